/* stability.c - `parley stability`: conflict stability analysis (Graph
 * Model for Conflict Resolution, docs/stability.md).
 *
 * Exit codes as for every command: 0 success, 1 analysis refused (too many
 * states), 2 bad input or usage, 3 out of memory, 4 output not written.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "parley.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STABILITY_USAGE                                                        \
  "parley stability [FILE] [--json] [--concepts nash,gmr,smr,seq]\n"           \
  "               [--coalitions \"A+B\"] [--from STATE] [--threads N]\n"       \
  "               [--max-states N] [--horizon H] [--output FILE]\n"            \
  "               [--report FILE]"

typedef struct stab_options {
  const char *input, *output;
  const char *report; /* --report FILE: the HTML page (docs/report.md) */
  bool json;
  pl_stability_options an;
} stab_options;

static int stab_usage(const char *fmt, const char *arg) {
  fprintf(stderr, "parley: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nusage: %s\nTry 'parley stability --help'.\n",
          STABILITY_USAGE);
  return PL_EINPUT;
}

/* ---- Output: to stdout, or atomically to a file (as in main.c) -------- */

/* ---- Arguments ---------------------------------------------------------- */

static bool parse_count(const char *s, unsigned long long max,
                        unsigned long long *out) {
  if (!s || !*s || strspn(s, "0123456789") != strlen(s))
    return false;
  errno = 0;
  unsigned long long v = strtoull(s, NULL, 10);
  if (errno == ERANGE || v > max || v == 0)
    return false;
  *out = v;
  return true;
}

/* "nash,gmr" -> bit set of pl_concept; 0 when a name is unknown. */
static unsigned parse_concepts(const char *s) {
  static const char *const names[] = {"nash", "gmr", "smr", "seq"};
  unsigned set = 0;
  while (*s) {
    size_t len = strcspn(s, ",");
    unsigned k = 0;
    while (k < 4 && (strlen(names[k]) != len || strncmp(s, names[k], len)))
      k++;
    if (k == 4)
      return 0;
    set |= 1u << k;
    s += len + (s[len] == ',');
  }
  return set;
}

static int parse_value(stab_options *o, const char *a, const char *val) {
  unsigned long long n;
  if (!strcmp(a, "--output") || !strcmp(a, "-o")) {
    o->output = val;
  } else if (!strcmp(a, "--report")) {
    o->report = val;
  } else if (!strcmp(a, "--concepts")) {
    if (!(o->an.concepts = parse_concepts(val)))
      return stab_usage("--concepts takes a list of nash, gmr, smr, seq, "
                        "not '%s'",
                        val);
  } else if (!strcmp(a, "--coalitions")) {
    o->an.coalitions = val;
  } else if (!strcmp(a, "--from")) {
    o->an.from = val;
  } else if (!strcmp(a, "--threads")) {
    if (!parse_count(val, 1024, &n))
      return stab_usage("--threads takes a number from 1 to 1024, not '%s'",
                        val);
    o->an.threads = (unsigned)n;
  } else if (!strcmp(a, "--max-states")) {
    if (!parse_count(val, 1ULL << 32, &n))
      return stab_usage("--max-states takes a number from 1 to 2^32, not '%s'",
                        val);
    o->an.max_states = n;
  } else if (!strcmp(a, "--horizon")) {
    if (!parse_count(val, 15, &n))
      return stab_usage("--horizon takes a number from 1 to 15, not '%s'", val);
    o->an.horizon = (uint32_t)n;
  } else {
    return stab_usage("unknown option '%s'", a);
  }
  return PL_OK;
}

/* Options that take a value. */
static bool takes_value(const char *a) {
  static const char *const all[] = {
      "--output",  "-o",           "--concepts", "--coalitions", "--from",
      "--threads", "--max-states", "--horizon",  "--report",     NULL};
  for (int k = 0; all[k]; k++)
    if (!strcmp(a, all[k]))
      return true;
  return false;
}

static int parse(int argc, char **argv, stab_options *o) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--json")) {
      o->json = true;
    } else if (a[0] != '-' || !strcmp(a, "-")) {
      if (o->input)
        return stab_usage("stability reads one conflict file, not also '%s'",
                          a);
      o->input = a;
    } else if (!takes_value(a)) {
      return stab_usage("unknown option '%s'", a);
    } else if (i + 1 >= argc) {
      return stab_usage("option %s needs a value", a);
    } else {
      int rc = parse_value(o, a, argv[++i]);
      if (rc)
        return rc;
    }
  }
  return PL_OK;
}

/* No file (or the name "talks" when no such file exists): the built-in. */
static pl_conflict *load(const stab_options *o, pl_diag *d) {
  if (!o->input || (!strcmp(o->input, "talks") && access("talks", F_OK)))
    return pl_conflict_builtin(d);
  return pl_conflict_load_file(o->input, d);
}

static int run(const stab_options *o) {
  pl_diag *d = pl_diag_new();
  pl_conflict *c = load(o, d);
  int status = PL_EINPUT;
  if (c) {
    pl_status st;
    pl_stability *a = pl_stability_analyze(c, &o->an, d, &st);
    status = st;
    sink k;
    if (a && sink_open(&k, o->output)) {
      status = o->json ? pl_stability_write_json(a, k.f)
                       : pl_stability_write_text(a, k.f);
      status = sink_close(&k, status);
    } else if (a) {
      status = PL_EIO;
    }
    if (a && status == PL_OK && o->report)
      status = pl_cli_report_stability(a, o->report);
    pl_stability_free(a);
    pl_conflict_free(c);
  }
  pl_diag_print(d, stderr);
  pl_diag_free(d);
  return status;
}

static int stability_main(int argc, char **argv) {
  stab_options o = {0};
  pl_stability_options_init(&o.an);
  int rc = parse(argc, argv, &o);
  return rc ? rc : run(&o);
}

static const cli_option stability_options[] = {
    {"--json", NULL, NULL, "machine-readable output (docs/stability.md)"},
    {"--concepts", "LIST", "nash,gmr,smr,seq",
     "the stability concepts to compute"},
    {"--coalitions", "\"A+B,C+D\"", "the conflict's own",
     "coalitions to analyse: decision makers' names joined by '+'"},
    {"--from", "STATE", "the conflict's status quo",
     "status quo analysis from this state (a name, a number or a Y/N "
     "vector): the shortest paths to each equilibrium"},
    {"--threads", "N", "all cores",
     "worker threads (1 to 1024); the results do not depend on it"},
    {"--max-states", "N", "2^25",
     "refuse conflicts with more states (1 to 2^32)"},
    {"--horizon", "H", "4",
     "limited-move stability L1 ... LH for two decision makers (1 to 15)"},
    {"--output", "FILE", "standard output",
     "write there instead (atomically; -o is the same)"},
    {"--report", "FILE", NULL,
     "also write the HTML report: the states with their equilibria and, up "
     "to 64 states, the graph of improving moves (docs/report.md)"},
    {0}};

const cli_command cli_cmd_stability = {
    .name = "stability",
    .purpose = "conflict stability (Graph Model for Conflict Resolution)",
    .usage = "parley stability [FILE] [options]",
    .description =
        "For every decision maker and state, whether it is Nash, GMR, SMR or "
        "SEQ stable, the equilibria, why each unstable state is unstable, "
        "coalition analysis, status quo analysis and, for two decision "
        "makers, limited-move stability. FILE is a parley conflict (JSON) or "
        "a GMCR+ .gmcr file; without it, the built-in talks conflict. "
        "docs/stability.md defines everything.",
    .options = stability_options,
    .examples =
        "parley stability\n"
        "parley stability --json --concepts nash,gmr\n"
        "parley stability scenarios/conflicts/talks.json --from status-quo",
    .run = stability_main};
