/* tournament.c - `parley tournament`: every agent against every other on
 * many scenarios (docs/tournament.md).
 *
 *   parley tournament CONFIG [--threads N] [--out DIR]
 *   parley tournament --resume DIR [--threads N]
 *   parley tournament --summary DIR [--json]
 *
 * Under mpirun (a build with -DPARLEY_MPI=ON) the same command spreads the
 * negotiations over the ranks; rank 0 writes the results and prints.
 *
 * Exit codes as for every command: 0 success, 2 bad input or usage, 3 out
 * of memory, 4 output not written; 130 when stopped by Ctrl-C (the rows
 * done so far are kept: resume with --resume DIR).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "parley.h"
#include "parley_tournament.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TOURNAMENT_USAGE                                                       \
  "parley tournament CONFIG [--threads N] [--out DIR] [--report FILE]\n"       \
  "parley tournament --resume DIR [--threads N]\n"                             \
  "parley tournament --summary DIR [--json] [--report FILE]"

enum { EXIT_INTERRUPTED = 130 };

typedef struct tour_args {
  const char *config, *out, *resume, *summary, *report;
  unsigned threads;
  bool json;
} tour_args;

static int tour_usage(const char *fmt, const char *arg) {
  fprintf(stderr, "parley: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nusage: %s\nTry 'parley tournament --help'.\n",
          TOURNAMENT_USAGE);
  return PL_EINPUT;
}

/* ---- Arguments ----------------------------------------------------------- */

static bool parse_threads(const char *s, unsigned *out) {
  if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 5)
    return false;
  unsigned long v = strtoul(s, NULL, 10);
  if (v < 1 || v > 1024)
    return false;
  *out = (unsigned)v;
  return true;
}

static int parse_value(tour_args *a, const char *opt, const char *val) {
  if (!val)
    return tour_usage("option %s needs a value", opt);
  if (!strcmp(opt, "--threads")) {
    if (!parse_threads(val, &a->threads))
      return tour_usage("--threads takes a number from 1 to 1024, not '%s'",
                        val);
  } else if (!strcmp(opt, "--out") || !strcmp(opt, "-o")) {
    a->out = val;
  } else if (!strcmp(opt, "--resume")) {
    a->resume = val;
  } else if (!strcmp(opt, "--report")) {
    a->report = val;
  } else {
    a->summary = val;
  }
  return PL_OK;
}

static bool takes_value(const char *opt) {
  return !strcmp(opt, "--threads") || !strcmp(opt, "--out") ||
         !strcmp(opt, "-o") || !strcmp(opt, "--resume") ||
         !strcmp(opt, "--summary") || !strcmp(opt, "--report");
}

static int check_combination(const tour_args *a) {
  int modes = !!a->config + !!a->resume + !!a->summary;
  if (modes == 0)
    return tour_usage("tournament needs a configuration file%s", "");
  if (modes > 1)
    return tour_usage("give one of CONFIG, --resume DIR and --summary DIR%s",
                      "");
  if (a->out && !a->config)
    return tour_usage("--out goes with CONFIG (a resumed run writes into its "
                      "own folder)%s",
                      "");
  if (a->json && !a->summary)
    return tour_usage("--json goes with --summary DIR%s", "");
  if (a->threads && a->summary)
    return tour_usage("--threads does not apply to --summary%s", "");
  return PL_OK;
}

static int parse_tour_args(int argc, char **argv, tour_args *a) {
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (!strcmp(arg, "--json")) {
      a->json = true;
    } else if (takes_value(arg)) {
      int rc = parse_value(a, arg, i + 1 < argc ? argv[i + 1] : NULL);
      if (rc)
        return rc;
      i++;
    } else if (arg[0] == '-' && arg[1]) {
      return tour_usage("unknown option '%s'", arg);
    } else if (a->config) {
      return tour_usage("one configuration at a time, not also '%s'", arg);
    } else {
      a->config = arg;
    }
  }
  return check_combination(a);
}

/* "examples/tournament-small.json" -> "tournament-small-results". */
static void default_out(const char *config, char *buf, size_t len) {
  /* False positive of clang-analyzer-core.NonNullParamChecker: config is NULL
   * only with --resume or --summary (parse_tour_args), which never ask for a
   * default folder */
  /* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
  const char *slash = strrchr(config, '/');
  const char *base = slash ? slash + 1 : config;
  size_t n = strlen(base);
  if (n > 5 && !strcmp(base + n - 5, ".json"))
    n -= 5;
  snprintf(buf, len, "%.*s-results", (int)n, base);
}

/* ---- Ctrl-C and the progress bar ----------------------------------------- */

/* The only state outside the call stack: a signal handler can reach
 * nothing else. */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig) {
  (void)sig;
  interrupted = 1;
}

/* The first Ctrl-C lets the negotiations under way finish and be saved;
 * SA_RESETHAND makes a second one end the program at once. */
static void catch_interrupt(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_interrupt;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

typedef struct bar {
  bool tty;
  bool shown;
  double start, drawn;
  uint64_t first; /* rows done when the bar started, for the rate */
  bool started;
} bar;

static double seconds_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void clock_text(double s, char *buf, size_t len) {
  long t = s > 0 && s < 1e8 ? (long)(s + 0.5) : 0;
  if (t >= 3600)
    snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  else
    snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

/* "[#######.....] 1234/3300  57.3/s  ETA 0:36" on one line of stderr. */
static void draw(bar *b, uint64_t done, uint64_t total, double t) {
  enum { WIDTH = 30 };
  int fill = total ? (int)((double)WIDTH * (double)done / (double)total) : 0;
  char cells[WIDTH + 1];
  for (int k = 0; k < WIDTH; k++)
    cells[k] = k < fill ? '#' : '.';
  cells[WIDTH] = 0;
  double rate = t > b->start ? (double)(done - b->first) / (t - b->start) : 0;
  char eta[32] = "?";
  if (rate > 0)
    clock_text((double)(total - done) / rate, eta, sizeof eta);
  fprintf(stderr, "\r[%s] %llu/%llu  %.1f/s  ETA %s   ", cells,
          (unsigned long long)done, (unsigned long long)total, rate, eta);
  fflush(stderr);
  b->shown = true;
  b->drawn = t;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total) {
  bar *b = ctx;
  double t = seconds_now();
  if (!b->started) {
    b->started = true;
    b->start = t;
    b->first = done;
  }
  if (b->tty && (t - b->drawn >= 0.1 || done == total))
    draw(b, done, total, t);
}

static void clear_bar(bar *b) {
  if (b->shown)
    fputs("\r\033[K", stderr); /* back to the start, erase the line */
}

/* ---- Running ------------------------------------------------------------- */

static void report_run(const pl_tournament_run_info *res, const char *out,
                       double elapsed) {
  double rate = res->seconds > 0 ? (double)res->played / res->seconds : 0;
  fprintf(stderr,
          "parley: %llu negotiations in %.2f s (%.1f per second; %u thread%s "
          "x %d rank%s), %.2f s in all; results in %s/\n",
          (unsigned long long)res->played, res->seconds, rate, res->threads,
          res->threads == 1 ? "" : "s", res->processes,
          res->processes == 1 ? "" : "s", elapsed, out);
}

static int finish_run(const pl_tournament_summary *s, pl_status st,
                      const char *out, double elapsed) {
  if (st != PL_OK)
    return st;
  pl_tournament_run_info res = pl_tournament_summary_run(s);
  if (res.interrupted) {
    fprintf(stderr,
            "parley: stopped after %llu of %llu negotiations; the rows are "
            "saved: continue with 'parley tournament --resume %s'\n",
            (unsigned long long)pl_tournament_summary_done(s),
            (unsigned long long)res.total, out);
    return EXIT_INTERRUPTED;
  }
  pl_tournament_summary_write_text(s, stdout);
  report_run(&res, out, elapsed);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "parley: cannot write the output: %s\n", strerror(errno));
    return PL_EIO;
  }
  return PL_OK;
}

/* Loads the tournament on every rank (each reads the files itself). */
static pl_tournament *open_tournament(const tour_args *a, const char *out,
                                      const pl_processes *c, pl_diag *d) {
  pl_tournament *t = a->resume ? pl_tournament_open(out, d)
                               : pl_tournament_load(a->config, NULL, d);
  bool all = pl_processes_all(c, t != NULL);
  int rank = pl_processes_rank(c);
  if (!t && (rank == 0 || pl_diag_count(d))) {
    if (rank > 0)
      fprintf(stderr, "parley: on MPI rank %d:\n", rank);
    pl_diag_print(d, stderr);
  }
  if (!all) {
    pl_tournament_free(t);
    return NULL;
  }
  return t;
}

static int run_tournament(const tour_args *a, const pl_processes *c) {
  double start = seconds_now();
  char out[4096];
  if (a->resume)
    snprintf(out, sizeof out, "%s", a->resume);
  else if (a->out)
    snprintf(out, sizeof out, "%s", a->out);
  else
    default_out(a->config, out, sizeof out);
  pl_diag *d = pl_diag_new();
  pl_tournament *t = open_tournament(a, out, c, d);
  int rc = PL_EINPUT;
  if (t) {
    int rank = pl_processes_rank(c);
    bar b = {.tty = rank == 0 && isatty(STDERR_FILENO)};
    pl_tournament_options o;
    pl_tournament_options_init(&o);
    o.threads = a->threads;
    o.out = out;
    o.resume = a->resume != NULL;
    o.cancel = &interrupted;
    o.progress = on_progress;
    o.progress_ctx = &b;
    o.log = rank == 0 ? stderr : NULL;
    o.processes = c;
    catch_interrupt();
    pl_status st;
    pl_tournament_summary *s = pl_tournament_run(t, &o, d, &st);
    clear_bar(&b);
    if (pl_diag_count(d))
      pl_diag_print(d, stderr);
    rc = rank == 0 ? finish_run(s, st, out, seconds_now() - start) : (int)st;
    if (rc == PL_OK && rank == 0 && a->report)
      rc = pl_cli_report_tournament(out, a->report);
    pl_tournament_summary_free(s);
    pl_tournament_free(t);
  }
  pl_diag_free(d);
  return rc;
}

static int show_summary(const tour_args *a) {
  pl_diag *d = pl_diag_new();
  int rc = PL_EINPUT;
  pl_tournament_summary *s = pl_tournament_summary_load(a->summary, d);
  if (s) {
    rc = a->json ? pl_tournament_summary_write_json(s, stdout)
                 : pl_tournament_summary_write_text(s, stdout);
    pl_tournament_summary_free(s);
    if (fflush(stdout) != 0)
      rc = PL_EIO;
    if (rc == PL_OK && a->report)
      rc = pl_cli_report_tournament(a->summary, a->report);
  }
  pl_diag_print(d, stderr);
  pl_diag_free(d);
  return rc;
}

static int tournament_main(int argc, char **argv) {
  tour_args a = {0};
  int rc = parse_tour_args(argc, argv, &a);
  if (rc)
    return rc;
  if (a.summary)
    return show_summary(&a);
  pl_processes *c = pl_processes_start();
  if (!c)
    return PL_ENOMEM;
  rc = run_tournament(&a, c);
  pl_processes_end(c);
  return rc;
}

static const cli_option tournament_options[] = {
    {"--threads", "N", "all cores",
     "worker threads (1 to 1024; under mpirun, the cores shared by the "
     "ranks on each machine); the rows are identical for every N and every "
     "number of ranks"},
    {"--out", "DIR", "CONFIG's name without .json, plus -results",
     "the results folder: results.jsonl, results.csv, summary.json (-o is "
     "the same)"},
    {"--resume", "DIR", NULL, "run what a stopped or killed run left undone"},
    {"--summary", "DIR", NULL, "print the ranking of a finished run again"},
    {"--json", NULL, NULL, "with --summary: print summary.json"},
    {"--report", "FILE", NULL,
     "also write the HTML report of the results: the ranking with its "
     "intervals, agreement rates, agent x agent mean utility "
     "(docs/report.md)"},
    {0}};

const cli_command cli_cmd_tournament = {
    .name = "tournament",
    .purpose = "play agents against each other on many scenarios; rank them",
    .usage = TOURNAMENT_USAGE,
    .description =
        "Plays every agent against every other, in every assignment to the "
        "parties, on every scenario of CONFIG, several times, and ranks the "
        "agents with 95% confidence intervals (docs/tournament.md). Under "
        "mpirun (a build with -DPARLEY_MPI=ON) the negotiations are spread "
        "over the ranks.\n\n"
        "Ctrl-C stops after the negotiations under way (exit 130); resume "
        "later with --resume DIR.",
    .options = tournament_options,
    .examples = "parley tournament examples/tournament-small.json --out "
                "small-results",
    .run = tournament_main};
