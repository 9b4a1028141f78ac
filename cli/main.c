/* main.c - the `parley` command: a thin layer over libparley. It finds
 * the command (cli/commands.def), answers --help and -h from the command's
 * definition (cli/help.c) and runs it. The commands that share the options
 * below (analyze ... agents) are defined here; the others in files of
 * their own.
 *
 * Exit codes: 0 success, 1 analysis refused (too large), 2 bad input or
 * usage, 3 out of memory, 4 output could not be written.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "parley_agent.h"
#include "parley_uncertainty.h"
#include "progress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_INPUTS = 256, MAX_AGENT_LIBS = 64 };

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
  bool verbose;                     /* analyze: the planner, on stderr */
  const char *packages[MAX_INPUTS]; /* analyze --package, in order */
  size_t npackages;
  const char *groups; /* analyze --groups */
  /* analyze: the robust analysis (docs/uncertainty.md) */
  pl_robust_options robust;
  bool robust_given;  /* --draws or --precision */
  bool deterministic; /* --deterministic: no Monte Carlo */
  bool no_sensitivity;
  const char *to;               /* convert: target format */
  pl_export_options export_opt; /* convert --normalize, --lossy */
  const char *report;           /* negotiate --report FILE (docs/report.md) */
  const char *agent_libs[MAX_AGENT_LIBS]; /* --agent-lib FILE.so, in order */
  size_t nagent_libs;
  pl_negotiation_options talk;
  pl_generate_options gen;
  pl_text_options text;  /* --wide, --frontier-packages */
  const char *text_only; /* the first of them, refused with --json */
  const cli_command *cmd;
  /* Options given that only one protocol or output uses, to refuse them
   * when they do not apply. */
  const char *mediated_only; /* the first of --mediator, --quota, ... */
  bool rounds_given, seconds_given;
} options;

/* The command being run, for its usage errors. */
static int usage_error(const options *o, const char *fmt, const char *arg) {
  return cli_usage_error(o->cmd, fmt, arg);
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

/* Loads every --agent-lib plug-in; false (the message printed) when one
 * fails, and then nothing is run. */
static bool load_agent_libs(const options *o) {
  for (size_t k = 0; k < o->nagent_libs; k++) {
    pl_diag *d = pl_diag_new();
    pl_status st = pl_agent_load_plugin(o->agent_libs[k], d);
    pl_diag_print(d, stderr);
    pl_diag_free(d);
    if (st != PL_OK)
      return false;
  }
  return true;
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
    ao.packages = o->packages;
    ao.npackages = o->npackages;
    ao.groups = o->groups;
    cli_progress pr;
    cli_progress_init(&pr, "analyze");
    ao.progress = cli_progress_report;
    ao.progress_ctx = &pr;
    pl_status st;
    pl_analysis *a = pl_analyze(s, &ao, d, &st);
    cli_progress_end(&pr);
    status = st;
    if (a && o->verbose && *pl_analysis_plan(a))
      fprintf(stderr, "parley: planner: %s\n", pl_analysis_plan(a));
    pl_robust *r = NULL;
    bool uncertain = pl_scenario_num_uncertain(s) > 0 && !o->deterministic;
    if (a && !uncertain && o->robust_given) {
      fprintf(stderr, "parley analyze: --draws and --precision apply to a "
                      "scenario with uncertain inputs, and not with "
                      "--deterministic (docs/uncertainty.md)\n");
      status = PL_EINPUT;
      pl_analysis_free(a);
      a = NULL;
    }
    if (a && uncertain) {
      pl_robust_options ro = o->robust;
      ro.threads = o->threads;
      ro.no_sensitivity = o->no_sensitivity;
      cli_progress_init(&pr, "analyze");
      ro.progress = cli_progress_report;
      ro.progress_ctx = &pr;
      r = pl_robust_analyze(a, &ro, d, &st);
      cli_progress_end(&pr);
      status = st;
      if (!r) {
        pl_analysis_free(a);
        a = NULL;
      }
    }
    sink k;
    if (a && sink_open(&k, o->output)) {
      if (r)
        status = o->json
                     ? pl_robust_write_json(r, k.f)
                     : (pl_analysis_write_text_with(a, &o->text, k.f) == PL_OK
                            ? pl_robust_write_text(r, k.f)
                            : PL_EIO);
      else
        status = o->json ? pl_analysis_write_json(a, k.f)
                         : pl_analysis_write_text_with(a, &o->text, k.f);
      status = sink_close(&k, status);
    } else if (a) {
      status = PL_EIO;
    }
    pl_robust_free(r);
    pl_analysis_free(a);
    pl_scenario_free(s);
  }
  pl_diag_print(d, stderr);
  pl_diag_free(d);
  return status;
}

static int cmd_validate(const options *o) {
  if (!o->input)
    return usage_error(o, "validate needs a scenario file%s", "");
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
  int w = 0; /* the names' column fits the longest */
  for (size_t i = 0; i < pl_builtin_count(); i++)
    if ((int)strlen(pl_builtin_name(i)) > w)
      w = (int)strlen(pl_builtin_name(i));
  for (size_t i = 0; i < pl_builtin_count(); i++) {
    pl_diag *d = pl_diag_new();
    pl_scenario *s = pl_scenario_builtin(pl_builtin_name(i), d);
    printf("%-*s  %s%s\n", w, pl_builtin_name(i),
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

/* --normalize, --lossy: what was changed or left out, on stderr (the
 * output itself says nothing of it). */
static bool fit_for_export(pl_scenario *s, const options *o) {
  pl_diag *changes = pl_diag_new();
  pl_status st = pl_scenario_fit_export(s, o->to, &o->export_opt, changes);
  for (size_t k = 0; k < pl_diag_count(changes); k++)
    fprintf(stderr, "parley: convert: %s\n", pl_diag_get(changes, k).message);
  pl_diag_free(changes);
  return st == PL_OK;
}

/* parley convert --to FORMAT INPUT... [OUTDIR]: parley JSON goes to
 * stdout (or --output); GENIUS and GeniusWeb files go to a folder. */
static int cmd_convert(const options *o) {
  if (!o->to)
    return usage_error(o, "convert needs --to parley, genius or geniusweb%s",
                       "");
  bool to_folder = strcmp(o->to, "parley") != 0;
  if (strcmp(o->to, "parley") && strcmp(o->to, "genius") &&
      strcmp(o->to, "geniusweb"))
    return usage_error(o, "--to takes parley, genius or geniusweb, not '%s'",
                       o->to);
  options in = *o;
  const char *dir = NULL;
  if (to_folder) {
    if (in.ninputs < 2)
      return usage_error(o,
                         "convert --to %s needs an input and an output "
                         "folder",
                         o->to);
    dir = in.inputs[--in.ninputs];
  }
  if (o->export_opt.lossy && !to_folder)
    return usage_error(o,
                       "--lossy applies to --to genius and geniusweb (parley "
                       "JSON holds every part of a scenario)%s",
                       "");
  pl_diag *d = pl_diag_new();
  pl_scenario *s = load(&in, d);
  int status = PL_EINPUT;
  if (s && !fit_for_export(s, o)) {
    status = PL_ENOMEM;
  } else if (s && !to_folder) {
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
  if (!load_agent_libs(o))
    return PL_EINPUT;
  pl_diag *d = pl_diag_new();
  pl_scenario *s = load(o, d);
  int status = PL_EINPUT;
  if (s) {
    pl_negotiation_options no = o->talk;
    no.threads = o->threads;
    cli_progress pr;
    cli_progress_init(&pr, "negotiate");
    no.progress = cli_progress_report;
    no.progress_ctx = &pr;
    pl_status st;
    pl_negotiation *n = pl_negotiate(s, &no, d, &st);
    cli_progress_end(&pr);
    status = st;
    sink k;
    if (n && sink_open(&k, o->output)) {
      status = o->json ? pl_negotiation_write_json(n, k.f)
                       : pl_negotiation_write_text_with(n, &o->text, k.f);
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
  if (!load_agent_libs(o))
    return PL_EINPUT;
  pl_agents_write(stdout);
  return PL_OK;
}

/* ---- The commands' definitions (their help: cli.h) ------------------------
 */

#define OPT_OUTPUT                                                             \
  {                                                                            \
    "--output", "FILE", "standard output",                                     \
        "write there instead (atomically: a failed run leaves no partial "     \
        "file; "                                                               \
        "-o is the same)"                                                      \
  }
#define OPT_RAW                                                                \
  {                                                                            \
    "--raw-evaluations", NULL, NULL,                                           \
        "GENIUS discrete evaluations used raw, not divided by the issue's "    \
        "largest (NegMAS's reading; docs/formats.md)"                          \
  }
#define OPT_AGENT_LIB                                                          \
  {                                                                            \
    "--agent-lib", "FILE.so", NULL,                                            \
        "load agents from a plug-in (docs/agents.md, section 11); may be "     \
        "repeated"                                                             \
  }
#define OPT_WIDE                                                               \
  {                                                                            \
    "--wide", NULL, NULL,                                                      \
        "text report: one line per row, however long (by default lines are "   \
        "wrapped to fit 100 columns)"                                          \
  }
#define OPT_THREADS(what)                                                      \
  {                                                                            \
    "--threads", "N", "all cores",                                             \
        what "; the results are identical for every N (1 to 1024)"             \
  }

static int run_with_options(const cli_command *cmd, int argc, char **argv,
                            int (*body)(const options *o));
/* run_analyze(argc, argv) and so on: the shared options, then cmd_analyze. */
#define SHARED_RUN(id)                                                         \
  static int run_##id(int argc, char **argv) {                                 \
    return run_with_options(&cli_cmd_##id, argc, argv, cmd_##id);              \
  }
SHARED_RUN(analyze)
SHARED_RUN(validate)
SHARED_RUN(scenarios)
SHARED_RUN(generate)
SHARED_RUN(convert)
SHARED_RUN(negotiate)
SHARED_RUN(agents)

static const cli_option analyze_options[] = {
    {"--json", NULL, NULL,
     "machine-readable output (keys in docs/analysis.md, "
     "schema/analysis.schema.json)"},
    OPT_THREADS("threads for the enumeration"),
    {"--max-outcomes", "N", "10^8",
     "enumerate up to N outcomes; above, the solutions, slack, concession "
     "and blocking come from branch and bound, the frontier from a sweep or "
     "a search, the counts from meet in the middle when it applies "
     "(docs/analysis.md)"},
    {"--frontier", "zone|all|none", "zone",
     "the Pareto frontier of the agreement zone, of every feasible package "
     "(all), or none (above the cap it is then not searched, except for "
     "GENIUS hyperRectangle profiles, whose solutions come from it)"},
    {"--no-count", NULL, NULL,
     "above the cap, do not count the zone by meet in the middle (seconds "
     "at 10^12 outcomes): estimate the time instead"},
    {"--verbose", NULL, NULL,
     "say on standard error which method the planner chose for each stage, "
     "and why (docs/analysis.md)"},
    {"--package", "ISSUE=VALUE,...", NULL,
     "also judge and repair this package (issues not named keep the first "
     "proposal's values; docs/analysis.md, 8.1); may be repeated"},
    {"--groups", "A,B/C/...", NULL,
     "working groups: ',' within a group, '/' between groups, every issue "
     "once; the cost of settling each apart (docs/analysis.md, 8.3)"},
    {"--draws", "N", "10000",
     "Monte Carlo draws for a scenario with uncertain inputs (with "
     "--precision: the most, default 10^6; docs/uncertainty.md)"},
    {"--seed", "S", "1",
     "seed of the Monte Carlo draws (the same for any --threads)"},
    {"--precision", "W", NULL,
     "draw whole batches of 1,000 until every 95% interval is narrower "
     "than W"},
    {"--deterministic", NULL, NULL,
     "analyse the base values only, without the Monte Carlo"},
    {"--no-sensitivity", NULL, NULL,
     "skip the deterministic sensitivity of each uncertain input"},
    {"--frontier-packages", "N", "3",
     "the text report also shows the packages of the first N frontier "
     "points (0: utilities only; --json lists every point's package)"},
    OPT_WIDE,
    OPT_RAW,
    OPT_OUTPUT,
    {0}};

const cli_command cli_cmd_analyze = {
    .name = "analyze",
    .purpose = "agreement zone, Pareto frontier, solutions, what blocks a deal",
    .usage = "parley analyze [SCENARIO...] [options]",
    .description =
        "Analyses a scenario exactly: the deal space, the agreement zone "
        "(packages every party accepts and every ratifier approves), the "
        "Pareto frontier, the Nash, Kalai-Smorodinsky, egalitarian and "
        "utilitarian solutions, opposition, and when the zone is empty which "
        "issues block it, who holds out on them and the smallest uniform "
        "concession that opens it, and for each proposal the nearest "
        "package everyone could sign. "
        "Every number is defined in docs/analysis.md.\n\n"
        "SCENARIO is a parley JSON file, a built-in scenario's name (`parley "
        "scenarios`; default: the built-in talks), '-' for standard input, "
        "a GENIUS folder, a GENIUS domain file followed by its profiles, or "
        "a GeniusWeb folder or files (docs/formats.md).",
    .options = analyze_options,
    .examples = "parley analyze\n"
                "parley analyze examples/domains/Laptop --json\n"
                "parley analyze --package \"donbas=stays Ukrainian\"\n"
                "parley generate --parties 4 --issues 5 --values 4 --seed 3 "
                "| parley analyze -",
    .run = run_analyze};

static const cli_option validate_options[] = {OPT_RAW, {0}};

const cli_command cli_cmd_validate = {
    .name = "validate",
    .purpose = "check a scenario file and report every problem in it",
    .usage = "parley validate SCENARIO... [options]",
    .description = "Reads a scenario (the same inputs as `parley analyze`) "
                   "and reports every problem found, each as "
                   "file:line:column: error: message, or one line saying "
                   "that it is valid with its size. Exit 0 when valid, 2 "
                   "otherwise.",
    .options = validate_options,
    .examples = "parley validate scenarios/talks.json\n"
                "parley validate examples/domains/Laptop",
    .run = run_validate};

const cli_command cli_cmd_scenarios = {
    .name = "scenarios",
    .purpose = "list the built-in scenarios",
    .usage = "parley scenarios",
    .description = "Lists the scenarios compiled into parley, with their "
                   "titles. Their names can be given wherever a scenario "
                   "file is expected.",
    .options = NULL,
    .examples = "parley scenarios",
    .run = run_scenarios};

static const cli_option generate_options[] = {
    {"--parties", "P", "3", "parties P1 ... PP (2 to 64)"},
    {"--issues", "I", "4", "categorical issues i1 ... iI (1 to 64)"},
    {"--values", "V", "5", "options v1 ... vV of every issue (2 to 1000)"},
    {"--seed", "S", "1", "seed of the random generator (0 to 2^64 - 1)"},
    OPT_OUTPUT,
    {0}};

const cli_command cli_cmd_generate = {
    .name = "generate",
    .purpose = "write a seeded random scenario",
    .usage = "parley generate [options]",
    .description = "Writes a random scenario in parley JSON "
                   "(docs/generate.md says how it is drawn): the same "
                   "options give the same file on every machine.",
    .options = generate_options,
    .examples = "parley generate --parties 4 --issues 5 --values 4 --seed 3\n"
                "parley generate --seed 7 --output random.json",
    .run = run_generate};

static const cli_option convert_options[] = {
    {"--to", "parley|genius|geniusweb", NULL, "the target format (required)"},
    {"--normalize", NULL, NULL,
     "rescale the weights of a party whose weights add up to within 0.001 "
     "of 1 (GENIUS files often hold 1.00005) so that they add up to exactly "
     "1; each change is listed on standard error"},
    {"--lossy", NULL, NULL,
     "genius, geniusweb: write what the format can hold, leaving out "
     "constraints, red lines, ratifiers and (GeniusWeb) discount factors; "
     "every loss is listed on standard error"},
    OPT_RAW,
    {"--output", "FILE", "standard output",
     "with --to parley: write there instead (atomically; -o is the same)"},
    {0}};

const cli_command cli_cmd_convert = {
    .name = "convert",
    .purpose = "convert between parley JSON, GENIUS XML and GeniusWeb JSON",
    .usage = "parley convert --to parley SCENARIO... [--output FILE]\n"
             "parley convert --to genius|geniusweb SCENARIO... OUTDIR",
    .description =
        "Converts a scenario (the inputs of `parley analyze`) to parley JSON "
        "on standard output, or to GENIUS XML (a domain file and one profile "
        "per party) or GeniusWeb JSON in the folder OUTDIR "
        "(docs/formats.md). What the target format cannot hold "
        "(constraints, red lines, ratifiers in GENIUS) is refused with one "
        "message per item, and nothing is written, unless --lossy leaves it "
        "out; weights that add up to nearly 1 are refused by GeniusWeb "
        "unless --normalize rescales them.",
    .options = convert_options,
    .examples = "parley convert --to parley examples/domains/Laptop\n"
                "parley convert --to genius examples/domains/Laptop "
                "laptop-genius\n"
                "parley convert --to geniusweb --normalize "
                "examples/domains/Laptop laptop-web\n"
                "parley convert --to genius --lossy talks talks-genius",
    .run = run_convert};

static const cli_option negotiate_options[] = {
    {"--protocol", "saop|mediated", "saop",
     "stacked alternating offers, or a mediator's single negotiating text "
     "(docs/protocols.md)"},
    {"--agents", "LIST", "boulware",
     "one agent for all or one per party, in party order, with parameters: "
     "boulware,conceder:e=1.5,tit-for-tat (`parley agents`)"},
    {"--rounds", "N", "100",
     "deadline in rounds or mediator steps (1 to 10^8)"},
    {"--seconds", "S", NULL,
     "a wall-time deadline instead of --rounds (above 0, at most 1e9; not "
     "reproducible)"},
    {"--seed", "N", "1", "every random choice comes from it"},
    {"--mediator", "neutral|PARTY", "neutral", "mediated: who holds the pen"},
    {"--start-from", "PROPOSAL", "a random draft",
     "mediated: the first draft, a proposal named in the scenario"},
    {"--quota", "N", "every party",
     "mediated: yes votes that keep a change (0 to the number of parties)"},
    {"--change", "N", "1", "mediated: issues changed per mediator step"},
    {"--anneal", "T0", "0",
     "mediated: voters accept a worse draft with probability exp(-loss/T), "
     "T falling linearly from T0 to 0 (0 to 1e9)"},
    {"--ignore-ratifiers", NULL, NULL,
     "agents do not know their own ratifiers"},
    {"--json", NULL, NULL, "machine-readable output (docs/protocols.md)"},
    {"--trace", NULL, NULL, "with --json: list every action"},
    {"--report", "FILE", NULL,
     "also write an HTML page of the talks: each party's utility of the "
     "offers by round, the offers in the utility plane (docs/report.md)"},
    OPT_WIDE,
    OPT_THREADS("threads for the analysis that scores the result"),
    OPT_AGENT_LIB,
    OPT_RAW,
    OPT_OUTPUT,
    {0}};

const cli_command cli_cmd_negotiate = {
    .name = "negotiate",
    .purpose = "simulate the talks with automated negotiators",
    .usage = "parley negotiate [SCENARIO...] [options]",
    .description =
        "Runs the talks between automated negotiators (docs/agents.md) "
        "under a protocol (docs/protocols.md), shows them round by round, "
        "and scores the result against the analysis: distance to the Pareto "
        "frontier and to the Nash solution. The same seed gives the same "
        "talks.",
    .options = negotiate_options,
    .examples = "parley negotiate\n"
                "parley negotiate talks --agents conceder:e=1.5 --rounds 200 "
                "--seed 7\n"
                "parley negotiate talks --protocol mediated --start-from \"US "
                "proposal\"",
    .run = run_negotiate};

static const cli_option agents_options[] = {OPT_AGENT_LIB, {0}};

const cli_command cli_cmd_agents = {
    .name = "agents",
    .purpose = "list the negotiating agents and their parameters",
    .usage = "parley agents [--agent-lib FILE.so]",
    .description = "Lists every agent `parley negotiate --agents` and "
                   "tournaments accept, with its parameters and their "
                   "defaults (docs/agents.md defines each rule): the "
                   "built-ins, then those of each --agent-lib plug-in.",
    .options = agents_options,
    .examples = "parley agents",
    .run = run_agents};

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

/* A number written with '.', whatever the locale. */
static bool parse_double(const char *s, double *out) {
  char *end;
  errno = 0;
  double x = strtod(s, &end); /* the CLI never changes LC_NUMERIC */
  if (end == s || *end || errno == ERANGE || x != x)
    return false;
  *out = x;
  return true;
}

/* An option that is not the command's: say whose it is, or what was
 * perhaps meant. */
static int foreign_option(const cli_command *cmd, const char *a) {
  size_t n;
  const cli_command *const *all = cli_commands(&n);
  char owners[256] = "";
  for (size_t c = 0; c < n; c++)
    if (cli_option_of(all[c], a) && strlen(owners) + 32 < sizeof owners)
      snprintf(owners + strlen(owners), sizeof owners - strlen(owners), "%s%s",
               *owners ? ", " : "", all[c]->name);
  if (*owners) {
    char msg[320];
    snprintf(msg, sizeof msg,
             "%%s does not apply to %s (it is an option of %s)", cmd->name,
             owners);
    return cli_usage_error(cmd, msg, a);
  }
  const char *names[64];
  size_t k = 0;
  for (const cli_option *o = cmd->options; o && o->name && k < 63; o++)
    names[k++] = o->name;
  names[k++] = "--help";
  const char *near = pl_suggest_name(a, names, k);
  if (near) {
    char msg[256];
    snprintf(msg, sizeof msg, "unknown option '%%s' (did you mean '%s'?)",
             near);
    return cli_usage_error(cmd, msg, a);
  }
  return cli_usage_error(cmd, "unknown option '%s'", a);
}

static int parse_value(options *o, const char *a, const char *val) {
  uint64_t n;
  if (!strcmp(a, "--output") || !strcmp(a, "-o")) {
    o->output = val;
  } else if (!strcmp(a, "--groups")) {
    o->groups = val;
  } else if (!strcmp(a, "--package")) {
    if (o->npackages == MAX_INPUTS)
      return usage_error(o, "more than 256 --package options%s", "");
    o->packages[o->npackages++] = val;
  } else if (!strcmp(a, "--report")) {
    o->report = val;
  } else if (!strcmp(a, "--to")) {
    o->to = val;
  } else if (!strcmp(a, "--frontier")) {
    if (strcmp(val, "zone") && strcmp(val, "all") && strcmp(val, "none"))
      return usage_error(
          o, "--frontier takes 'zone', 'all' or 'none', not '%s'", val);
    o->frontier_all = !strcmp(val, "all");
    o->frontier_none = !strcmp(val, "none");
  } else if (!strcmp(a, "--threads")) {
    if (!parse_u64(val, 1024, &n) || n == 0)
      return usage_error(o, "--threads takes a number from 1 to 1024, not '%s'",
                         val);
    o->threads = (unsigned)n;
  } else if (!strcmp(a, "--frontier-packages")) {
    if (!parse_u64(val, 1000000, &n))
      return usage_error(o,
                         "--frontier-packages takes a whole number from 0 "
                         "to 1000000, not '%s'",
                         val);
    o->text.frontier_packages = (uint32_t)n;
  } else if (!strcmp(a, "--max-outcomes")) {
    if (!parse_u64(val, UINT64_MAX, &n) || n == 0)
      return usage_error(o,
                         "--max-outcomes takes a whole number from 1 to "
                         "18446744073709551615 (2^64 - 1), not '%s'",
                         val);
    o->max_outcomes = n;
  } else if (!strcmp(a, "--parties") || !strcmp(a, "--issues") ||
             !strcmp(a, "--values")) {
    /* The generator checks the ranges and reports every one out of range. */
    const cli_option *opt = cli_option_of(o->cmd, a);
    if (!parse_u64(val, 1000000, &n)) {
      char msg[128];
      snprintf(msg, sizeof msg, "%s takes a whole number %s, not '%%s'", a,
               strchr(opt->text, '(') ? strchr(opt->text, '(') : "");
      return usage_error(o, msg, val);
    }
    uint32_t *f = !strcmp(a, "--parties")  ? &o->gen.parties
                  : !strcmp(a, "--issues") ? &o->gen.issues
                                           : &o->gen.values;
    *f = (uint32_t)n;
  } else if (!strcmp(a, "--draws")) {
    if (!parse_u64(val, 100000000, &n) || n == 0)
      return usage_error(o,
                         "--draws takes a whole number from 1 to 100000000 "
                         "(10^8), not '%s'",
                         val);
    o->robust.draws = n;
    o->robust_given = true;
  } else if (!strcmp(a, "--precision")) {
    double x;
    if (!parse_double(val, &x) || !(x > 0) || !(x < 1))
      return usage_error(
          o,
          "--precision takes an interval width above 0 and below 1, not '%s'",
          val);
    o->robust.precision = x;
    o->robust_given = true;
  } else if (!strcmp(a, "--seed")) {
    if (!parse_u64(val, UINT64_MAX, &o->gen.seed))
      return usage_error(o,
                         "--seed takes a whole number from 0 to "
                         "18446744073709551615 (2^64 - 1), not '%s'",
                         val);
    o->talk.seed = o->gen.seed;
    o->robust.seed = o->gen.seed;
  } else if (!strcmp(a, "--protocol")) {
    o->talk.protocol = val;
  } else if (!strcmp(a, "--agent-lib")) {
    if (o->nagent_libs == MAX_AGENT_LIBS)
      return usage_error(o, "more than 64 --agent-lib plug-ins%s", "");
    o->agent_libs[o->nagent_libs++] = val;
  } else if (!strcmp(a, "--agents")) {
    o->talk.agents = val;
  } else if (!strcmp(a, "--mediator")) {
    o->talk.mediator = val;
  } else if (!strcmp(a, "--start-from")) {
    o->talk.start_from = val;
  } else if (!strcmp(a, "--rounds") || !strcmp(a, "--change")) {
    if (!parse_u64(val, 100000000, &n) || n == 0)
      return usage_error(o,
                         !strcmp(a, "--rounds")
                             ? "--rounds takes a whole number from 1 to "
                               "100000000 (10^8), not '%s'"
                             : "--change takes a whole number from 1 to "
                               "100000000 (10^8), not '%s'",
                         val);
    *(!strcmp(a, "--rounds") ? &o->talk.rounds : &o->talk.change) = (uint32_t)n;
  } else if (!strcmp(a, "--quota")) {
    if (!parse_u64(val, 100000000, &n))
      return usage_error(o,
                         "--quota takes a whole number from 0 (every party) "
                         "to the number of parties, not '%s'",
                         val);
    o->talk.quota = (uint32_t)n;
  } else if (!strcmp(a, "--seconds")) {
    double x;
    if (!parse_double(val, &x) || !(x > 0) || x > 1e9)
      return usage_error(o,
                         "--seconds takes a number of seconds above 0 and "
                         "at most 1e9, not '%s'",
                         val);
    o->talk.seconds = x;
  } else if (!strcmp(a, "--anneal")) {
    double x;
    if (!parse_double(val, &x) || x < 0 || x > 1e9)
      return usage_error(
          o, "--anneal takes a temperature from 0 to 1e9, not '%s'", val);
    o->talk.anneal = x;
  } else {
    return usage_error(o, "unknown option '%s'", a);
  }
  if (!o->mediated_only &&
      (!strcmp(a, "--mediator") || !strcmp(a, "--start-from") ||
       !strcmp(a, "--quota") || !strcmp(a, "--change") ||
       !strcmp(a, "--anneal")))
    o->mediated_only = a;
  if (!o->text_only && !strcmp(a, "--frontier-packages"))
    o->text_only = a;
  o->rounds_given |= !strcmp(a, "--rounds");
  o->seconds_given |= !strcmp(a, "--seconds");
  return PL_OK;
}

static bool is_flag(const char *a, options *o) {
  bool *f = !strcmp(a, "--json")               ? &o->json
            : !strcmp(a, "--raw-evaluations")  ? &o->raw_evaluations
            : !strcmp(a, "--no-count")         ? &o->no_count
            : !strcmp(a, "--verbose")          ? &o->verbose
            : !strcmp(a, "--deterministic")    ? &o->deterministic
            : !strcmp(a, "--no-sensitivity")   ? &o->no_sensitivity
            : !strcmp(a, "--trace")            ? &o->talk.trace
            : !strcmp(a, "--ignore-ratifiers") ? &o->talk.ignore_ratifiers
            : !strcmp(a, "--normalize")        ? &o->export_opt.normalize
            : !strcmp(a, "--lossy")            ? &o->export_opt.lossy
                                               : NULL;
  if (!strcmp(a, "--wide")) {
    o->text.width = 0;
    o->text_only = o->text_only ? o->text_only : a;
    return true;
  }
  if (f)
    *f = true;
  return f != NULL;
}

/* Options given together that cannot all take effect. */
static int check_combination(const options *o) {
  bool mediated = o->talk.protocol && !strcmp(o->talk.protocol, "mediated");
  if (o->mediated_only && !mediated)
    return usage_error(o,
                       "%s applies only to --protocol mediated (this run "
                       "uses saop, stacked alternating offers)",
                       o->mediated_only);
  if (o->text_only && o->json)
    return usage_error(o,
                       "%s lays out the text report; it does not apply with "
                       "--json",
                       o->text_only);
  if (o->rounds_given && o->seconds_given)
    return usage_error(o,
                       "--rounds and --seconds are two deadlines; give "
                       "one%s",
                       "");
  if (o->talk.trace && !o->json)
    return usage_error(o,
                       "--trace adds every action to the JSON output; add "
                       "--json (the text shows the rounds already)%s",
                       "");
  if (o->output && o->to && strcmp(o->to, "parley"))
    return usage_error(o,
                       "--output goes with --to parley; --to %s writes into "
                       "the folder given last",
                       o->to);
  return PL_OK;
}

/* argv[0] is the command's name. */
static int parse_args(int argc, char **argv, options *o) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] == '-' && a[1] && !cli_option_of(o->cmd, a))
      return foreign_option(o->cmd, a);
    if (is_flag(a, o))
      continue;
    if (a[0] != '-' || !strcmp(a, "-")) {
      if (o->ninputs == MAX_INPUTS)
        return usage_error(o, "more than 256 input files%s", "");
      o->inputs[o->ninputs++] = a;
      o->input = o->inputs[0];
      continue;
    }
    if (i + 1 >= argc)
      return usage_error(o, "option %s needs a value", a);
    int rc = parse_value(o, a, argv[++i]);
    if (rc)
      return rc;
  }
  return check_combination(o);
}

/* Parses the shared options for `cmd` and runs `body` with them. */
static int run_with_options(const cli_command *cmd, int argc, char **argv,
                            int (*body)(const options *o)) {
  options o = {.gen = {.parties = 3, .issues = 4, .values = 5, .seed = 1},
               .cmd = cmd};
  pl_robust_options_init(&o.robust);
  pl_negotiation_options_init(&o.talk);
  pl_text_options_init(&o.text);
  int rc = parse_args(argc, argv, &o);
  return rc ? rc : body(&o);
}

static bool asks_help(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
      return true;
  return false;
}

int main(int argc, char **argv) {
  cli_heap_tune();
  if (argc < 2)
    return run_analyze(1, (char *[]){"analyze", NULL});
  const char *name = argv[1];
  if (!strcmp(name, "--version") || !strcmp(name, "version")) {
    printf("parley %s\n", pl_version());
    return PL_OK;
  }
  if (!strcmp(name, "--help") || !strcmp(name, "-h"))
    name = "help";
  const cli_command *cmd = cli_find_command(name);
  if (!cmd)
    return name[0] == '-' ? cli_usage_error(NULL, "unknown option '%s'", name)
                          : cli_unknown_command(name);
  if (asks_help(argc - 1, argv + 1)) {
    cli_print_help(cmd, stdout);
    return fflush(stdout) == 0 ? PL_OK : PL_EIO;
  }
  if (cmd == &cli_cmd_help && name != argv[1]) /* parley --help */
    return cmd->run(1, (char *[]){"help", NULL});
  return cmd->run(argc - 1, argv + 1);
}
