/* report.c - `parley report`: one self-contained HTML page of plots
 * (docs/report.md), and the --report option of the other commands.
 *
 *   parley report [SCENARIO...] [-o FILE] [--svg DIR] [--threads N]
 *   parley report [SCENARIO...] --negotiation RUN.json [-o FILE]
 *   parley report --tournament DIR [-o FILE]
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "parley_report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_PATHS = 256 };

typedef struct report_args {
  const char *paths[MAX_PATHS];
  size_t npaths;
  const char *output, *svg, *negotiation, *tournament;
  bool raw;
  unsigned threads;
  uint64_t max_outcomes;
} report_args;

static int report_usage(const char *fmt, const char *arg) {
  return cli_usage_error(&cli_cmd_report, fmt, arg);
}

static bool whole(const char *s, uint64_t max, uint64_t *out) {
  if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 19)
    return false;
  unsigned long long v = strtoull(s, NULL, 10);
  if (v == 0 || v > max)
    return false;
  *out = v;
  return true;
}

static int parse(int argc, char **argv, report_args *a) {
  for (int i = 1; i < argc; i++) {
    const char *o = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    uint64_t n;
    if (o[0] != '-' || !strcmp(o, "-")) {
      if (a->npaths == MAX_PATHS)
        return report_usage("more than 256 inputs%s", "");
      a->paths[a->npaths++] = o;
      continue;
    }
    if (!strcmp(o, "--raw-evaluations")) {
      a->raw = true;
      continue;
    }
    const char **target = !strcmp(o, "-o") || !strcmp(o, "--output")
                              ? &a->output
                          : !strcmp(o, "--svg")         ? &a->svg
                          : !strcmp(o, "--negotiation") ? &a->negotiation
                          : !strcmp(o, "--tournament")  ? &a->tournament
                                                        : NULL;
    bool numeric = !strcmp(o, "--threads") || !strcmp(o, "--max-outcomes");
    if (!target && !numeric)
      return report_usage("unknown option '%s'", o);
    if (!val)
      return report_usage("option %s needs a value", o);
    i++;
    if (target)
      *target = val;
    else if (!strcmp(o, "--threads")) {
      if (!whole(val, 1024, &n))
        return report_usage("--threads takes a number from 1 to 1024, not "
                            "'%s'",
                            val);
      a->threads = (unsigned)n;
    } else {
      if (!whole(val, UINT64_MAX, &n))
        return report_usage("--max-outcomes takes a positive number, not '%s'",
                            val);
      a->max_outcomes = n;
    }
  }
  if (a->negotiation && a->tournament)
    return report_usage("--negotiation and --tournament make different "
                        "reports: give one%s",
                        "");
  if (a->tournament && a->npaths)
    return report_usage("--tournament takes no scenario ('%s')", a->paths[0]);
  return PL_OK;
}

static pl_scenario *load_scenario(const report_args *a, pl_diag *d) {
  if (a->npaths == 0)
    return pl_scenario_builtin(pl_builtin_default(), d);
  if (a->npaths == 1 && access(a->paths[0], F_OK) != 0)
    for (size_t i = 0; i < pl_builtin_count(); i++)
      if (!strcmp(pl_builtin_name(i), a->paths[0]))
        return pl_scenario_builtin(a->paths[0], d);
  pl_load_options lo = {.raw_evaluations = a->raw};
  return pl_scenario_load(a->paths, a->npaths, &lo, d);
}

static pl_analysis *analyse(const report_args *a, const pl_scenario *s,
                            pl_diag *d, int *status) {
  pl_analysis_options ao;
  pl_analysis_options_init(&ao);
  ao.threads = a->threads;
  if (a->max_outcomes)
    ao.max_outcomes = a->max_outcomes;
  pl_status st;
  pl_analysis *an = pl_analyze(s, &ao, d, &st);
  *status = st;
  return an;
}

int pl_cli_write_report(const pl_report *r, const char *output,
                        const char *svg_dir, pl_diag *d) {
  int status = PL_OK;
  if (svg_dir)
    status = pl_report_write_svgs(r, svg_dir, d);
  if (status != PL_OK)
    return status;
  sink k;
  if (!sink_open(&k, output))
    return PL_EIO;
  return sink_close(&k, pl_report_write_html(r, k.f));
}

/* One section's page, written to `file`: the --report of other commands. */
typedef pl_status (*add_fn)(pl_report *r, const void *what, pl_diag *d);

static int report_one(const char *title, add_fn add, const void *what,
                      const char *file) {
  pl_diag *d = pl_diag_new();
  pl_report *r = pl_report_new(title);
  int status = r ? add(r, what, d) : PL_ENOMEM;
  if (status == PL_OK)
    status = pl_cli_write_report(r, file, NULL, d);
  pl_report_free(r);
  pl_diag_print(d, stderr);
  pl_diag_free(d);
  return status;
}

static pl_status add_negotiation(pl_report *r, const void *n, pl_diag *d) {
  return pl_report_add_negotiation(r, n, d);
}
static pl_status add_stability(pl_report *r, const void *a, pl_diag *d) {
  return pl_report_add_stability(r, a, d);
}
static pl_status add_tournament(pl_report *r, const void *dir, pl_diag *d) {
  return pl_report_add_tournament(r, dir, d);
}

int pl_cli_report_negotiation(const pl_negotiation *n, const char *file) {
  return report_one("Negotiation report", add_negotiation, n, file);
}
int pl_cli_report_stability(const pl_stability *a, const char *file) {
  return report_one("Stability report", add_stability, a, file);
}
int pl_cli_report_tournament(const char *dir, const char *file) {
  return report_one("Tournament report", add_tournament, dir, file);
}

/* The page for the arguments; *status says why when NULL. */
static pl_report *build(const report_args *a, pl_diag *d, int *status) {
  pl_report *r = NULL;
  *status = PL_ENOMEM;
  if (a->tournament) {
    r = pl_report_new("Tournament report");
    *status = r ? pl_report_add_tournament(r, a->tournament, d) : PL_ENOMEM;
    return r;
  }
  pl_scenario *s = NULL;
  pl_analysis *an = NULL;
  if (!a->negotiation || a->npaths) {
    s = load_scenario(a, d);
    *status = PL_EINPUT;
    if (s)
      an = analyse(a, s, d, status);
    if (!an) {
      pl_scenario_free(s);
      return NULL;
    }
  }
  if (a->negotiation) {
    r = pl_report_new("Negotiation report");
    *status =
        r ? pl_report_add_negotiation_file(r, a->negotiation, s, d) : PL_ENOMEM;
  } else {
    char title[512];
    snprintf(title, sizeof title, "parley report: %s",
             pl_scenario_title(s) ? pl_scenario_title(s) : pl_scenario_name(s));
    r = pl_report_new(title);
    *status = r ? pl_report_add_analysis(r, an, d) : PL_ENOMEM;
    if (r && *status == PL_OK && pl_scenario_num_uncertain(s) > 0) {
      pl_robust_options ro;
      pl_robust_options_init(&ro);
      ro.threads = a->threads;
      pl_status st;
      pl_robust *rb = pl_robust_analyze(an, &ro, d, &st);
      *status = rb ? pl_report_add_robust(r, rb, d) : st;
      pl_robust_free(rb);
    }
  }
  pl_analysis_free(an);
  pl_scenario_free(s);
  return r;
}

static int report_main(int argc, char **argv) {
  report_args a = {0};
  int status = parse(argc, argv, &a);
  if (status != PL_OK)
    return status;
  pl_diag *d = pl_diag_new();
  pl_report *r = build(&a, d, &status);
  if (r && status == PL_OK)
    status = pl_cli_write_report(r, a.output, a.svg, d);
  pl_report_free(r);
  pl_diag_print(d, stderr);
  pl_diag_free(d);
  return status;
}

static const cli_option report_options[] = {
    {"--output", "FILE", "standard output",
     "write the page there, atomically (-o is the same)"},
    {"--svg", "DIR", NULL,
     "also write every plot alone as DIR/NAME.svg (the folder is created)"},
    {"--negotiation", "RUN.json", NULL,
     "the report of a saved `parley negotiate --json --trace`; with a "
     "SCENARIO its frontier and Nash solution are drawn too"},
    {"--tournament", "DIR", NULL,
     "the report of a tournament results folder (`parley tournament --out "
     "DIR`)"},
    {"--threads", "N", "all cores",
     "threads for the analysis (1 to 1024); the page is the same for every "
     "N"},
    {"--max-outcomes", "N", "10^8",
     "enumerate up to N packages, as for analyze"},
    {"--raw-evaluations", NULL, NULL,
     "GENIUS evaluations used raw, not divided by the issue's largest "
     "(docs/formats.md)"},
    {0}};

const cli_command cli_cmd_report = {
    .name = "report",
    .purpose = "write one self-contained HTML page of plots",
    .usage = "parley report [SCENARIO...] [options]\n"
             "parley report [SCENARIO...] --negotiation RUN.json [options]\n"
             "parley report --tournament DIR [options]",
    .description =
        "Writes one HTML file that needs nothing else (inline SVG and CSS, "
        "no external resource; a few lines of optional JavaScript for hover "
        "details) with the plots of an analysis: the verdict, the deal "
        "space, who blocks and by how much, the outcome space with the "
        "Pareto frontier, the solutions, the proposals and the minimal "
        "concession (docs/report.md). SCENARIO is read as by analyze "
        "(default: the built-in talks). With --negotiation or --tournament "
        "it draws a saved negotiation or a tournament instead. The same "
        "input gives the same bytes.",
    .options = report_options,
    .examples = "parley report -o talks.html\n"
                "parley report examples/domains/Laptop -o laptop.html --svg "
                "laptop-plots",
    .run = report_main};
