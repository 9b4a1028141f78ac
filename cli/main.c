/* main.c - the `parley` command: a thin layer over libparley.
 *
 * Exit codes: 0 success, 1 analysis refused (too large), 2 bad input or
 * usage, 3 out of memory, 4 output could not be written.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_INPUTS = 256 };

typedef struct options {
  const char *input; /* the first of inputs, or NULL */
  const char *inputs[MAX_INPUTS];
  size_t ninputs;
  bool raw_evaluations;
  const char *output;
  bool json;
  unsigned threads;
  uint64_t max_outcomes;
  bool frontier_all;
  bool frontier_none;
  bool no_count;
  const char *to; /* convert: target format */
  const char *report; /* negotiate --report FILE (docs/report.md) */
  pl_negotiation_options talk;
  pl_generate_options gen;
} options;

typedef struct command {
  const char *name;
  int (*run)(const options *o);
  const char *usage;
  const char *help;
} command;

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "parley: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'parley help'.\n");
  return PL_EINPUT;
}

/* ---- Loading ------------------------------------------------------------ */

/* No path: the default built-in. One name that is not a path: a built-in.
 * Otherwise files or a folder (parley JSON, GENIUS XML). */
static pl_scenario *load(const options *o, pl_diag *d) {
  if (o->ninputs == 0)
    return pl_scenario_builtin(pl_builtin_default(), d);
  if (o->ninputs == 1 && access(o->input, F_OK) != 0)
    for (size_t i = 0; i < pl_builtin_count(); i++)
      if (!strcmp(pl_builtin_name(i), o->input))
        return pl_scenario_builtin(o->input, d);
  pl_load_options lo = {.raw_evaluations = o->raw_evaluations};
  return pl_scenario_load(o->inputs, o->ninputs, &lo, d);
}

/* ---- Commands ----------------------------------------------------------- */

static int cmd_analyze(const options *o) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = load(o, d);
  int status = PL_EINPUT;
  if (s) {
    pl_analysis_options ao;
    pl_analysis_options_init(&ao);
    ao.threads = o->threads;
    if (o->max_outcomes)
      ao.max_outcomes = o->max_outcomes;
    ao.frontier_all = o->frontier_all;
    ao.no_frontier = o->frontier_none;
    ao.no_count = o->no_count;
    pl_status st;
    pl_analysis *a = pl_analyze(s, &ao, d, &st);
    status = st;
    sink k;
    if (a && sink_open(&k, o->output)) {
      status = o->json ? pl_analysis_write_json(a, k.f)
                       : pl_analysis_write_text(a, k.f);
      status = sink_close(&k, status);
    } else if (a) {
      status = PL_EIO;
    }
    pl_analysis_free(a);
    pl_scenario_free(s);
  }
  pl_diag_print(d, stderr);
  pl_diag_free(d);
  return status;
}

static int cmd_validate(const options *o) {
  if (!o->input)
    return usage_error("validate needs a scenario file%s", "");
  pl_diag *d = pl_diag_new();
  pl_scenario *s = load(o, d);
  int status = PL_EINPUT;
  if (s) {
    uint64_t n;
    bool fits = pl_scenario_num_outcomes(s, &n);
    char size[32];
    snprintf(size, sizeof size, fits ? "%llu" : ">= 2^64",
             (unsigned long long)n);
    printf("%s: valid: %u issues, %u parties, %u ratifiers, %s outcomes\n",
           o->input, pl_scenario_num_issues(s), pl_scenario_num_parties(s),
           pl_scenario_num_ratifiers(s), size);
    pl_scenario_free(s);
    status = PL_OK;
  } else {
    pl_diag_print(d, stderr);
    fprintf(stderr, "%s: %zu problem%s found\n", o->input, pl_diag_count(d),
            pl_diag_count(d) == 1 ? "" : "s");
  }
  pl_diag_free(d);
  return status;
}

static int cmd_scenarios(const options *o) {
  (void)o;
  for (size_t i = 0; i < pl_builtin_count(); i++) {
    pl_diag *d = pl_diag_new();
    pl_scenario *s = pl_scenario_builtin(pl_builtin_name(i), d);
    printf("%-12s %s%s\n", pl_builtin_name(i),
           s ? pl_scenario_title(s) : "(does not load)",
           strcmp(pl_builtin_name(i), pl_builtin_default()) ? ""
                                                            : "  [default]");
    pl_scenario_free(s);
    pl_diag_free(d);
  }
  return PL_OK;
}

static int cmd_generate(const options *o) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_generate(&o->gen, d);
  int status = PL_EINPUT;
  sink k;
  if (s && sink_open(&k, o->output))
    status = sink_close(&k, pl_scenario_write_json(s, k.f));
  pl_diag_print(d, stderr);
  pl_diag_free(d);
  pl_scenario_free(s);
  return status;
}

/* parley convert --to FORMAT INPUT... [OUTDIR]: parley JSON goes to
 * stdout (or --output); GENIUS and GeniusWeb files go to a folder. */
static int cmd_convert(const options *o) {
  if (!o->to)
    return usage_error("convert needs --to parley, genius or geniusweb%s", "");
  bool to_folder = strcmp(o->to, "parley") != 0;
  if (strcmp(o->to, "parley") && strcmp(o->to, "genius") &&
      strcmp(o->to, "geniusweb"))
    return usage_error("--to takes parley, genius or geniusweb, not '%s'",
                       o->to);
  options in = *o;
  const char *dir = NULL;
  if (to_folder) {
    if (in.ninputs < 2)
      return usage_error("convert --to %s needs an input and an output "
                         "folder",
                         o->to);
    dir = in.inputs[--in.ninputs];
  }
  pl_diag *d = pl_diag_new();
  pl_scenario *s = load(&in, d);
  int status = PL_EINPUT;
  if (s && !to_folder) {
    sink k;
    if (sink_open(&k, o->output))
      status = sink_close(&k, pl_scenario_write_json(s, k.f));
    else
      status = PL_EIO;
  } else if (s) {
    status = !strcmp(o->to, "genius") ? pl_scenario_write_genius(s, dir, d)
                                      : pl_scenario_write_geniusweb(s, dir, d);
  }
  pl_diag_print(d, stderr);
  pl_diag_free(d);
  pl_scenario_free(s);
  return status;
}

static int cmd_negotiate(const options *o) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = load(o, d);
  int status = PL_EINPUT;
  if (s) {
    pl_negotiation_options no = o->talk;
    no.threads = o->threads;
    pl_status st;
    pl_negotiation *n = pl_negotiate(s, &no, d, &st);
    status = st;
    sink k;
    if (n && sink_open(&k, o->output)) {
      status = o->json ? pl_negotiation_write_json(n, k.f)
                       : pl_negotiation_write_text(n, k.f);
      status = sink_close(&k, status);
    } else if (n) {
      status = PL_EIO;
    }
    if (n && status == PL_OK && o->report)
      status = pl_cli_report_negotiation(n, o->report);
    pl_negotiation_free(n);
    pl_scenario_free(s);
  }
  pl_diag_print(d, stderr);
  pl_diag_free(d);
  return status;
}

static int cmd_agents(const options *o) {
  (void)o;
  pl_agents_write(stdout);
  return PL_OK;
}

static int cmd_help(const options *o);

static const command COMMANDS[] = {
    {"analyze", cmd_analyze,
     "parley analyze [SCENARIO...] [--json] [--threads N] [--max-outcomes N]\n"
     "               [--frontier zone|all|none] [--no-count]\n"
     "               [--raw-evaluations] [--output FILE]",
     "Analyses a scenario: a parley JSON file, a built-in name (default: the\n"
     "built-in talks), '-' for standard input, a GENIUS folder, a GENIUS\n"
     "domain file followed by its profiles, or GeniusWeb JSON\n"
     "(docs/formats.md). It reports the deal space, the\n"
     "agreement zone, the Pareto\n"
     "frontier, the Nash, Kalai-Smorodinsky, egalitarian and utilitarian\n"
     "solutions, opposition, and when the zone is empty what blocks it.\n"
     "Every number is defined in docs/analysis.md.\n\n"
     "  --json             machine-readable output (keys in docs/analysis.md)\n"
     "  --threads N        threads for enumeration (default: all cores);\n"
     "                     results are identical for every N\n"
     "  --max-outcomes N   enumerate up to N outcomes (default 10^8); above,\n"
     "                     the solutions, slack, concession and blocking come\n"
     "                     from branch and bound, the frontier from a sweep\n"
     "                     or a search, the counts from meet in the middle\n"
     "                     when it applies (docs/analysis.md)\n"
     "  --no-count         above the cap, do not count the zone by meet in\n"
     "                     the middle (seconds at 10^12): estimate the time\n"
     "  --frontier all     frontier of every feasible package, not the zone\n"
     "  --frontier none    do not report the frontier (above the cap it is\n"
     "                     then not searched, except for GENIUS\n"
     "                     hyperRectangle profiles, whose solutions come\n"
     "                     from it)\n"
     "  --raw-evaluations  GENIUS discrete evaluations used raw, not divided\n"
     "                     by the issue's largest (docs/formats.md)\n"
     "  --output FILE      write there (atomically) instead of stdout"},
    {"validate", cmd_validate,
     "parley validate SCENARIO... [--raw-evaluations]",
     "Checks a scenario file and reports every problem found, each with\n"
     "file:line:column. Exit 0 when valid, 2 otherwise."},
    {"scenarios", cmd_scenarios, "parley scenarios",
     "Lists the built-in scenarios (usable wherever a file is expected)."},
    {"generate", cmd_generate,
     "parley generate --parties P --issues I --values V --seed S "
     "[--output FILE]",
     "Writes a seeded random scenario (docs/scenario-format.md): the same\n"
     "seed gives the same file on every machine."},
    {"convert", cmd_convert,
     "parley convert --to parley|genius|geniusweb SCENARIO... [OUTDIR]\n"
     "               [--raw-evaluations] [--output FILE]",
     "Converts between parley JSON, GENIUS XML (a domain file and one\n"
     "profile per party) and GeniusWeb JSON (docs/formats.md). parley JSON\n"
     "is written to stdout (or --output FILE); the other two into OUTDIR.\n"
     "What a format cannot hold (constraints, red lines, ratifiers in\n"
     "GENIUS) is refused with a message rather than silently dropped."},
    {"negotiate", cmd_negotiate,
     "parley negotiate [SCENARIO...] [--protocol saop|mediated]\n"
     "               [--agents A,B,...] [--rounds N] [--seconds S] [--seed N]\n"
     "               [--mediator neutral|PARTY] [--start-from PROPOSAL]\n"
     "               [--quota N] [--change N] [--anneal T0]\n"
     "               [--ignore-ratifiers] [--json] [--trace] [--threads N]\n"
     "               [--raw-evaluations] [--output FILE] [--report FILE]",
     "Simulates the talks with automated negotiators (docs/protocols.md,\n"
     "docs/agents.md) and scores the result against the analysis.\n\n"
     "  --protocol saop     stacked alternating offers (default)\n"
     "  --protocol mediated a mediator's single negotiating text\n"
     "  --agents LIST       one agent for all or one per party, in party\n"
     "                      order: boulware,conceder:e=1.5,tit-for-tat\n"
     "  --rounds N          deadline in rounds or mediator steps (100)\n"
     "  --seconds S         wall-time deadline instead (not reproducible)\n"
     "  --seed N            every random choice comes from it (1)\n"
     "  --mediator PARTY    let a party hold the pen (mediated)\n"
     "  --start-from NAME   first draft: a named proposal (mediated)\n"
     "  --quota N           yes votes that keep a change (default: all)\n"
     "  --change N          issues changed per mediator step (1)\n"
     "  --anneal T0         voters accept worse drafts with probability\n"
     "                      exp(-loss/T), T falling from T0 to 0\n"
     "  --ignore-ratifiers  agents do not know their own ratifiers\n"
     "  --trace             the JSON lists every action\n"
     "  --report FILE       also write an HTML page of the talks: offers by\n"
     "                      round and in the utility plane (docs/report.md)"},
    {"agents", cmd_agents, "parley agents",
     "Lists the negotiating agents with their parameters."},
    {"help", cmd_help, "parley help [COMMAND]", "Shows help."},
};
enum { NCOMMANDS = sizeof COMMANDS / sizeof COMMANDS[0] };

static int cmd_help(const options *o) {
  if (o->input && !strcmp(o->input, "stability"))
    return pl_cli_stability(2, (char *[]){"stability", "--help", NULL});
  if (o->input && !strcmp(o->input, "tournament"))
    return pl_cli_tournament(2, (char *[]){"tournament", "--help", NULL});
  if (o->input && !strcmp(o->input, "report"))
    return pl_cli_report(2, (char *[]){"report", "--help", NULL});
  for (int c = 0; o->input && c < NCOMMANDS; c++)
    if (!strcmp(o->input, COMMANDS[c].name)) {
      printf("usage: %s\n\n%s\n", COMMANDS[c].usage, COMMANDS[c].help);
      return PL_OK;
    }
  if (o->input)
    return usage_error("no command named '%s'", o->input);
  printf("parley %s - a negotiation engine\n\nusage:\n", pl_version());
  for (int c = 0; c < NCOMMANDS; c++)
    printf("  %s\n", COMMANDS[c].usage);
  printf("  parley stability [FILE] [--json] [--concepts nash,gmr,smr,seq]\n"
         "               [--coalitions \"A+B\"] [--from STATE] [--threads N]\n"
         "               [--max-states N] [--horizon H] [--output FILE]\n");
  printf("  parley tournament CONFIG [--threads N] [--out DIR]\n"
         "  parley tournament --resume DIR [--threads N]\n"
         "  parley tournament --summary DIR [--json]\n");
  printf("  parley report [SCENARIO...] [-o FILE] [--svg DIR]\n"
         "               [--negotiation RUN.json | --tournament DIR]\n");
  printf("  parley --version\n\n'parley help COMMAND' explains one. Exit "
         "codes: 0 ok, 1 analysis refused,\n2 bad input or usage, 3 out of "
         "memory, 4 output not written.\n");
  return PL_OK;
}

/* ---- Argument parsing ---------------------------------------------------- */

/* Whole decimal numbers only: "12", not "12x", "-1", "" or 2^64. */
static bool parse_u64(const char *s, uint64_t max, uint64_t *out) {
  if (!s || !*s || strspn(s, "0123456789") != strlen(s))
    return false;
  errno = 0;
  unsigned long long v = strtoull(s, NULL, 10);
  if (errno == ERANGE || v > max)
    return false;
  *out = v;
  return true;
}

static bool known_option(const char *a) {
  static const char *const all[] = {
      "--json",     "--raw-evaluations",  "--output",  "-o",
      "--to",       "--frontier",         "--threads", "--max-outcomes",
      "--parties",  "--issues",           "--values",  "--seed",
      "--protocol", "--agents",           "--rounds",  "--seconds",
      "--mediator", "--start-from",       "--quota",   "--change",
      "--anneal",   "--ignore-ratifiers", "--trace",   "--no-count",
      "--report",   NULL};
  for (int k = 0; all[k]; k++)
    if (!strcmp(a, all[k]))
      return true;
  return false;
}

/* A number written with '.', whatever the locale. */
static bool parse_double(const char *s, double *out) {
  char *end;
  errno = 0;
  double x = strtod(s, &end); /* the CLI never changes LC_NUMERIC */
  if (end == s || *end || errno == ERANGE)
    return false;
  *out = x;
  return true;
}

/* An option applies to a command when its usage line names it. */
static bool applies(const command *cmd, const char *option) {
  return strstr(cmd->usage, !strcmp(option, "-o") ? "--output" : option) !=
         NULL;
}

static int parse_args(int argc, char **argv, const command *cmd, options *o) {
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    uint64_t n;
    if (a[0] == '-' && a[1] && !applies(cmd, a)) {
      if (!known_option(a))
        return usage_error("unknown option '%s'", a);
      fprintf(stderr, "parley: option %s does not apply to '%s'\n", a,
              cmd->name);
      return usage_error("usage: %s", cmd->usage);
    }
    if (!strcmp(a, "--json")) {
      o->json = true;
      continue;
    }
    if (!strcmp(a, "--raw-evaluations")) {
      o->raw_evaluations = true;
      continue;
    }
    if (!strcmp(a, "--no-count")) {
      o->no_count = true;
      continue;
    }
    if (!strcmp(a, "--trace") || !strcmp(a, "--ignore-ratifiers")) {
      *(!strcmp(a, "--trace") ? &o->talk.trace : &o->talk.ignore_ratifiers) =
          true;
      continue;
    }
    if (a[0] != '-' || !strcmp(a, "-")) {
      if (o->ninputs == MAX_INPUTS)
        return usage_error("more than 256 input files%s", "");
      o->inputs[o->ninputs++] = a;
      o->input = o->inputs[0];
      continue;
    }
    if (!val)
      return usage_error("option %s needs a value", a);
    i++;
    if (!strcmp(a, "--output") || !strcmp(a, "-o")) {
      o->output = val;
    } else if (!strcmp(a, "--report")) {
      o->report = val;
    } else if (!strcmp(a, "--to")) {
      o->to = val;
    } else if (!strcmp(a, "--frontier")) {
      if (strcmp(val, "zone") && strcmp(val, "all") && strcmp(val, "none"))
        return usage_error("--frontier takes 'zone', 'all' or 'none', not '%s'",
                           val);
      o->frontier_all = !strcmp(val, "all");
      o->frontier_none = !strcmp(val, "none");
    } else if (!strcmp(a, "--threads")) {
      if (!parse_u64(val, 1024, &n) || n == 0)
        return usage_error("--threads takes a number from 1 to 1024, not '%s'",
                           val);
      o->threads = (unsigned)n;
    } else if (!strcmp(a, "--max-outcomes")) {
      if (!parse_u64(val, UINT64_MAX, &n) || n == 0)
        return usage_error("--max-outcomes takes a positive number, not '%s'",
                           val);
      o->max_outcomes = n;
    } else if (!strcmp(a, "--parties") || !strcmp(a, "--issues") ||
               !strcmp(a, "--values")) {
      if (!parse_u64(val, 1000000, &n))
        return usage_error("expected a whole number, not '%s'", val);
      uint32_t *f = !strcmp(a, "--parties")  ? &o->gen.parties
                    : !strcmp(a, "--issues") ? &o->gen.issues
                                             : &o->gen.values;
      *f = (uint32_t)n;
    } else if (!strcmp(a, "--seed")) {
      if (!parse_u64(val, UINT64_MAX, &o->gen.seed))
        return usage_error("--seed takes a whole number, not '%s'", val);
      o->talk.seed = o->gen.seed;
    } else if (!strcmp(a, "--protocol")) {
      o->talk.protocol = val;
    } else if (!strcmp(a, "--agents")) {
      o->talk.agents = val;
    } else if (!strcmp(a, "--mediator")) {
      o->talk.mediator = val;
    } else if (!strcmp(a, "--start-from")) {
      o->talk.start_from = val;
    } else if (!strcmp(a, "--rounds") || !strcmp(a, "--quota") ||
               !strcmp(a, "--change")) {
      if (!parse_u64(val, 100000000, &n) || (n == 0 && strcmp(a, "--quota")))
        return usage_error("expected a positive whole number, not '%s'", val);
      uint32_t *f = !strcmp(a, "--rounds")  ? &o->talk.rounds
                    : !strcmp(a, "--quota") ? &o->talk.quota
                                            : &o->talk.change;
      *f = (uint32_t)n;
    } else if (!strcmp(a, "--seconds") || !strcmp(a, "--anneal")) {
      double x;
      if (!parse_double(val, &x) || x < 0 || x > 1e9)
        return usage_error("expected a number >= 0, not '%s'", val);
      *(!strcmp(a, "--seconds") ? &o->talk.seconds : &o->talk.anneal) = x;
    } else {
      return usage_error("unknown option '%s'", a);
    }
  }
  return PL_OK;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return cmd_analyze(&(options){0});
  if (!strcmp(argv[1], "stability"))
    return pl_cli_stability(argc - 1, argv + 1);
  if (!strcmp(argv[1], "tournament"))
    return pl_cli_tournament(argc - 1, argv + 1);
  if (!strcmp(argv[1], "report"))
    return pl_cli_report(argc - 1, argv + 1);
  if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
    printf("parley %s\n", pl_version());
    return PL_OK;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
    return cmd_help(&(options){0});
  options o = {.gen = {.parties = 3, .issues = 4, .values = 5, .seed = 1}};
  pl_negotiation_options_init(&o.talk);
  for (int c = 0; c < NCOMMANDS; c++)
    if (!strcmp(argv[1], COMMANDS[c].name)) {
      int rc = parse_args(argc, argv, &COMMANDS[c], &o);
      return rc ? rc : COMMANDS[c].run(&o);
    }
  return usage_error("unknown command '%s'", argv[1]);
}
