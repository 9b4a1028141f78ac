/* parley.h - the public API of libparley, a negotiation engine.
 *
 * parley models talks between several parties over several issues (what each
 * wants and how much, walk-away points, red lines, links between issues, who
 * must ratify a deal at home) and analyses them: the agreement zone, the
 * Pareto frontier, the bargaining solutions and what holds a deal up.
 *
 * Conventions: every name has the prefix pl_; every type is opaque and
 * owned by the object that created it; functions that can fail report
 * problems into a pl_diag (a list of messages with file, line and column) and
 * return NULL or a pl_status. The library has no global mutable state and
 * never changes the locale: numbers are read and written with '.' whatever
 * LC_NUMERIC says.
 *
 * What is exported: libparley is compiled with -fvisibility=hidden, and each
 * public header (every .h in include/) wraps its declarations in
 * `#pragma GCC visibility push(default)` ... `pop`, so exactly the functions
 * declared in include/ are exported from libparley.so (a test compares the
 * two lists). A new public function needs nothing more than its declaration
 * in a public header, between the pragmas.
 */
#ifndef PARLEY_H
#define PARLEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

#define PL_VERSION_MAJOR 0
#define PL_VERSION_MINOR 1
#define PL_VERSION_PATCH 0
#define PL_VERSION_STRING "0.1.0"

/* The version of the library actually linked. */
const char *pl_version(void);

/* The name among names[0..n) closest to a misspelt `name` ("anlyze" ->
 * "analyze", ignoring case), or NULL when none is close enough to be a
 * likely typo: for "did you mean" messages. */
const char *pl_suggest_name(const char *name, const char *const *names,
                            size_t n);

/* Status codes. The command-line program uses the first three as its exit
 * codes. */
typedef enum pl_status {
  PL_OK = 0,
  PL_EREFUSED = 1, /* the work would be too large (see pl_analyze) */
  PL_EINPUT = 2,   /* bad input: unreadable file, syntax, invalid model */
  PL_ENOMEM = 3,   /* out of memory */
  PL_EIO = 4       /* could not write output */
} pl_status;

/* ---- Diagnostics ------------------------------------------------------ */

/* One problem: where it is (file NULL and line/column 0 when unknown) and
 * what was expected. */
typedef struct pl_problem {
  const char *file;
  int line, column;
  const char *message;
} pl_problem;

typedef struct pl_diag pl_diag;

pl_diag *pl_diag_new(void);
void pl_diag_free(pl_diag *d);
size_t pl_diag_count(const pl_diag *d);
pl_problem pl_diag_get(const pl_diag *d, size_t i);
/* Prints "file:line:column: error: message" lines, one per problem. */
void pl_diag_print(const pl_diag *d, FILE *out);

/* ---- Scenarios ---------------------------------------------------------- */

typedef struct pl_scenario pl_scenario;

/* Reads a parley scenario (JSON, docs/scenario-format.md). Every problem
 * found is added to `d`; NULL when there was at least one. */
pl_scenario *pl_scenario_load_file(const char *path, pl_diag *d);
/* The same from memory; `filename` is only used in messages. */
pl_scenario *pl_scenario_load_string(const char *json, const char *filename,
                                     pl_diag *d);
/* The scenarios compiled into the library ("talks" is the default). */
size_t pl_builtin_count(void);
const char *pl_builtin_name(size_t i);
const char *pl_builtin_default(void);
pl_scenario *pl_scenario_builtin(const char *name, pl_diag *d);
void pl_scenario_free(pl_scenario *s);

/* How to read imported files. */
typedef struct pl_load_options {
  /* GENIUS files: NegMAS's reading (discrete evaluations used raw, no
   * division by the issue's largest, no cap at 1) instead of GENIUS's. */
  bool raw_evaluations;
} pl_load_options;

/* Loads a scenario from the command line's paths: one parley JSON file
 * ("-" for standard input); one GENIUS folder (domain and profiles told
 * apart by content, parties in natural file-name order) or a GENIUS domain
 * file followed by its profiles (parties in the order given); or GeniusWeb
 * JSON (a folder, or a domain and its profiles). docs/formats.md. `o` may
 * be NULL. */
pl_scenario *pl_scenario_load(const char *const *paths, size_t n,
                              const pl_load_options *o, pl_diag *d);

/* "parley", "genius" or "raw": how the evaluations were read. */
const char *pl_scenario_reading(const pl_scenario *s);

/* Writes the scenario back as parley JSON (value functions as tables). */
pl_status pl_scenario_write_json(const pl_scenario *s, FILE *out);

/* Writes a GENIUS domain file and one profile per party into `dir`
 * (created if missing), and a GeniusWeb domain and profiles (JSON). What
 * the format cannot hold is reported in d and the status is PL_EINPUT. */
pl_status pl_scenario_write_genius(const pl_scenario *s, const char *dir,
                                   pl_diag *d);
pl_status pl_scenario_write_geniusweb(const pl_scenario *s, const char *dir,
                                      pl_diag *d);

/* What `parley convert` may change so that a format can hold a scenario
 * (docs/formats.md, "When a format cannot hold the scenario"). */
typedef struct pl_export_options {
  /* Rescale weights that add up to within 0.001 of 1 (but not to exactly
   * 1 as decimals) so that they do. */
  bool normalize;
  /* genius, geniusweb: leave out constraints, red lines, ratifiers and
   * (GeniusWeb) discount factors; GENIUS: write an integer issue whose step
   * is not 1 as a discrete issue. */
  bool lossy;
} pl_export_options;
/* Changes s as the options allow for `format` ("parley", "genius" or
 * "geniusweb"), adding one message per change or loss to `changes`; then
 * the writers above. PL_ENOMEM when memory ran out. */
pl_status pl_scenario_fit_export(pl_scenario *s, const char *format,
                                 const pl_export_options *o, pl_diag *changes);

const char *pl_scenario_name(const pl_scenario *s);
const char *pl_scenario_title(const pl_scenario *s);
uint32_t pl_scenario_num_issues(const pl_scenario *s);
uint32_t pl_scenario_num_parties(const pl_scenario *s);
uint32_t pl_scenario_num_ratifiers(const pl_scenario *s);
const char *pl_issue_name(const pl_scenario *s, uint32_t issue);
uint32_t pl_issue_num_values(const pl_scenario *s, uint32_t issue);
/* The value as text (an option name, or a number written with '.'). Returns
 * the length it needs, like snprintf. */
size_t pl_issue_value_text(const pl_scenario *s, uint32_t issue, uint32_t value,
                           char *buf, size_t len);
const char *pl_party_name(const pl_scenario *s, uint32_t party);
const char *pl_ratifier_name(const pl_scenario *s, uint32_t ratifier);
/* Number of outcomes (packages); false when it is 2^64 or more. */
bool pl_scenario_num_outcomes(const pl_scenario *s, uint64_t *count);

/* An outcome is one value index per issue (values[i] < num_values(i)). */
double pl_party_utility(const pl_scenario *s, uint32_t party,
                        const uint32_t *values);
double pl_ratifier_utility(const pl_scenario *s, uint32_t ratifier,
                           const uint32_t *values);
/* Every constraint holds. */
bool pl_outcome_feasible(const pl_scenario *s, const uint32_t *values);

/* Seeded random scenarios (docs/generate.md). */
typedef struct pl_generate_options {
  uint32_t parties; /* 2 .. 64 */
  uint32_t issues;  /* 1 .. 64 */
  uint32_t values;  /* options per issue, 2 .. 1000 */
  uint64_t seed;
} pl_generate_options;
pl_scenario *pl_generate(const pl_generate_options *o, pl_diag *d);

/* ---- Analysis ----------------------------------------------------------- */

typedef struct pl_analysis pl_analysis;

/* Default cap on the outcomes an analysis may enumerate. */
#define PL_DEFAULT_MAX_OUTCOMES 100000000ULL

/* A progress report (pl_analysis_options, pl_negotiation_options). */
typedef void (*pl_progress_fn)(void *ctx, const char *stage, uint64_t done,
                               uint64_t total);

typedef struct pl_analysis_options {
  unsigned threads; /* 0: all cores */
  /* Enumerate up to this many outcomes (0: PL_DEFAULT_MAX_OUTCOMES); above
   * it the solutions come from branch and bound, the frontier from a sweep
   * or a search, and the counts from meet in the middle when it applies
   * (pl_analysis_counted tells; docs/analysis.md, section 9). */
  uint64_t max_outcomes;
  bool frontier_all; /* frontier of all feasible outcomes, not the zone */
  /* Do not report the frontier; above the cap, do not search for it. */
  bool no_frontier;
  /* Above the cap, do not count by meet in the middle (estimate only). */
  bool no_count;
  /* Below the cap: PL_PLAN_AUTO (0) lets the planner pick the fastest exact
   * method for each stage (docs/analysis.md, "The planner"), with the same
   * results as enumeration; PL_PLAN_ENUMERATE always enumerates;
   * PL_PLAN_ALWAYS takes the planner's methods wherever they apply, however
   * small the space (for tests and comparisons). */
  int plan;
  /* Packages judged and repaired beside the proposals, each
   * "issue=value,issue=value" (issues not named keep the first
   * proposal's values); a bad name makes pl_analyze fail with PL_EINPUT.
   * docs/analysis.md, section 8.1. */
  const char *const *packages;
  size_t npackages;
  /* Working groups: "a,b/c/d" (',' within a group, '/' between groups;
   * every issue exactly once): the cost of settling each group apart
   * (docs/analysis.md, 8.3); a bad partition makes pl_analyze fail with
   * PL_EINPUT. NULL: none. */
  const char *groups;
  /* Called now and then, never from two threads at once, with the stage
   * under way and how far it is: done of total units (total 0: not
   * known). NULL: not called. The CLI draws it on a terminal. */
  pl_progress_fn progress;
  void *progress_ctx;
} pl_analysis_options;

enum { PL_PLAN_AUTO = 0, PL_PLAN_ENUMERATE = 1, PL_PLAN_ALWAYS = 2 };

void pl_analysis_options_init(pl_analysis_options *o);

/* Analyses the deal space (docs/analysis.md). Returns NULL and sets *status
 * with a message in d: PL_EREFUSED when the space has 2^63 outcomes or
 * more, or when branch and bound (above the cap) does not finish. */
pl_analysis *pl_analyze(const pl_scenario *s, const pl_analysis_options *o,
                        pl_diag *d, pl_status *status);
void pl_analysis_free(pl_analysis *a);

/* Human-readable report and the JSON document of docs/analysis.md. */
pl_status pl_analysis_write_text(const pl_analysis *a, FILE *out);
pl_status pl_analysis_write_json(const pl_analysis *a, FILE *out);

/* How the text reports of the analysis and of a negotiation are laid out
 * (`--wide`, `--frontier-packages`); pl_*_write_text use the defaults. */
typedef struct pl_text_options {
  unsigned width; /* lines fit this many columns; 0: no limit (default 100) */
  /* Analysis: the first N frontier points are also shown with their
   * packages (default 3; 0: utilities only). */
  uint32_t frontier_packages;
} pl_text_options;
void pl_text_options_init(pl_text_options *o);
pl_status pl_analysis_write_text_with(const pl_analysis *a,
                                      const pl_text_options *o, FILE *out);

/* The four bargaining solutions. */
typedef enum pl_solution {
  PL_SOLUTION_NASH = 0,
  PL_SOLUTION_KALAI_SMORODINSKY = 1,
  PL_SOLUTION_EGALITARIAN = 2,
  PL_SOLUTION_UTILITARIAN = 3,
  /* GENIUS's "KS" ("genius_ks"): over the frontier of all feasible
   * outcomes, not Kalai-Smorodinsky (docs/analysis.md) */
  PL_SOLUTION_GENIUS_KS = 4
} pl_solution;

/* Whether the outcomes were counted: by enumeration, or above
 * max_outcomes by meet in the middle when it applies (docs/analysis.md);
 * false means the counts below are not known. */
bool pl_analysis_counted(const pl_analysis *a);
/* Below the cap: which method the planner chose for each stage, and why
 * (one line, for --verbose); "" above the cap. */
const char *pl_analysis_plan(const pl_analysis *a);
/* Number of outcomes in the agreement zone (0 when not counted). */
uint64_t pl_analysis_zone_size(const pl_analysis *a);
/* Points on the frontier (ties kept). */
size_t pl_analysis_frontier_size(const pl_analysis *a);
/* Copies the solution's outcome into values (num_issues entries); false when
 * the zone is empty. */
bool pl_analysis_solution(const pl_analysis *a, pl_solution which,
                          uint32_t *values);

/* ---- Negotiation ----------------------------------------------------------
 */

typedef struct pl_negotiation pl_negotiation;
struct pl_trace_event; /* one event of the trace (parley_results.h) */

typedef struct pl_negotiation_options {
  const char *protocol; /* "saop" (default) or "mediated" */
  /* One agent per party, or one for all: "boulware,conceder:e=1.5,micro".
   * docs/agents.md lists them; NULL: "boulware" for everyone. */
  const char *agents;
  uint32_t rounds; /* deadline in rounds / mediator steps (default 100) */
  double seconds;  /* > 0: a wall-time deadline instead (not reproducible) */
  uint64_t seed;   /* every random choice comes from this */
  bool ignore_ratifiers; /* agents do not know their own ratifiers */
  bool trace;            /* keep every action for the JSON output */
  /* Mediated single text. */
  const char *mediator;   /* "neutral" (default) or a party's name */
  const char *start_from; /* a proposal's name; NULL: a random draft */
  uint32_t quota;         /* yes votes that keep a change (0: everyone) */
  uint32_t change;        /* issues changed per step (default 1) */
  double anneal;          /* voters' initial temperature (0: none) */
  unsigned threads;       /* for the analysis that scores the result */
  /* Watching the talks as they happen: called on the thread running
   * pl_negotiate after every event of the trace (an SAOP action, a mediator
   * step), in order, with the event and its package (NULL when it has
   * none), whether or not `trace` is set. Return false to stop the talks:
   * pl_negotiate then returns NULL with *status PL_EREFUSED and a message
   * in d. NULL: not called. */
  bool (*on_event)(void *ctx, const struct pl_trace_event *e,
                   const uint32_t *values);
  void *on_event_ctx;
  /* Handed to every agent through pl_self_context (parley_agent.h): lets an
   * agent registered by your program reach the program, e.g. a person
   * playing one seat from a user interface. */
  void *agent_context;
  /* As in pl_analysis_options: the stage ("talks", then the analysis's
   * stages) and rounds done of the deadline's. NULL: not called. */
  pl_progress_fn progress;
  void *progress_ctx;
} pl_negotiation_options;

void pl_negotiation_options_init(pl_negotiation_options *o);
/* The agents of an `agents` list ("boulware,conceder:e=1.5,k=0.1,micro"):
 * commas separate agents, except that a piece with '=' and no ':'
 * continues the previous agent's parameters. Agent k, for k < max, is the
 * len[k] bytes of list from list + start[k]. Returns how many agents the
 * list has, which may be more than max. */
size_t pl_agent_list_split(const char *list, size_t *start, size_t *len,
                           size_t max);
/* Runs the talks and scores the result against the analysis of the
 * scenario (docs/protocols.md). NULL with a message in d and *status
 * PL_EINPUT for bad options or agents. */
pl_negotiation *pl_negotiate(const pl_scenario *s,
                             const pl_negotiation_options *o, pl_diag *d,
                             pl_status *status);
void pl_negotiation_free(pl_negotiation *n);
pl_status pl_negotiation_write_text(const pl_negotiation *n, FILE *out);
pl_status pl_negotiation_write_text_with(const pl_negotiation *n,
                                         const pl_text_options *o, FILE *out);
pl_status pl_negotiation_write_json(const pl_negotiation *n, FILE *out);
/* Writes `parley agents`: every agent with its parameters. */
void pl_agents_write(FILE *out);

/* ---- Conflict stability (Graph Model for Conflict Resolution) ---- */

/* A conflict in option form: decision makers (DMs) each controlling yes/no
 * options, infeasible states, and each DM's preferences (option statements
 * or an explicit ranking). docs/stability.md defines the file format and
 * every result. */
typedef struct pl_conflict pl_conflict;
typedef struct pl_stability pl_stability;

/* Reads a conflict: parley's conflict JSON, or a GMCR+ / gmcr-py `.gmcr`
 * file (told apart by content). Every problem found is added to `d`, with
 * file:line:column; NULL when there was at least one. */
pl_conflict *pl_conflict_load_file(const char *path, pl_diag *d);
pl_conflict *pl_conflict_load_string(const char *text, const char *filename,
                                     pl_diag *d);
/* The built-in conflict: the talks of the default scenario as a graph
 * model (scenarios/conflicts/talks.json). */
pl_conflict *pl_conflict_builtin(pl_diag *d);
void pl_conflict_free(pl_conflict *c);

const char *pl_conflict_name(const pl_conflict *c);
const char *pl_conflict_title(const pl_conflict *c);
uint32_t pl_conflict_num_options(const pl_conflict *c);
uint32_t pl_conflict_num_dms(const pl_conflict *c);
const char *pl_conflict_dm_name(const pl_conflict *c, uint32_t dm);
const char *pl_conflict_option_name(const pl_conflict *c, uint32_t option);

/* The four stability concepts (docs/stability.md). */
typedef enum pl_concept {
  PL_CONCEPT_NASH = 0,
  PL_CONCEPT_GMR = 1,
  PL_CONCEPT_SMR = 2,
  PL_CONCEPT_SEQ = 3
} pl_concept;

/* Default cap on the feasible states an analysis may enumerate. */
#define PL_DEFAULT_MAX_STATES (1ULL << 25)

typedef struct pl_stability_options {
  unsigned threads;    /* 0: all cores; results do not depend on it */
  unsigned concepts;   /* bit set of 1u << pl_concept; 0: all four */
  uint64_t max_states; /* refuse above this (0: PL_DEFAULT_MAX_STATES) */
  /* Coalitions to analyse, "A+B" or "A+B,C+D" (DM names joined by '+');
   * NULL: the conflict's own "coalitions", if any. */
  const char *coalitions;
  /* Status quo analysis from this state (a state name, a state number or
   * a Y/N vector); NULL: the conflict's status quo, if any. */
  const char *from;
  bool explain;      /* keep the improving move behind every instability */
  bool limited_move; /* L_h and non-myopic stability (two DMs only) */
  uint32_t horizon;  /* L_1 .. L_horizon are reported (1 .. 15) */
} pl_stability_options;

void pl_stability_options_init(pl_stability_options *o);

/* Analyses the conflict, which must outlive the result. NULL with a
 * message in d and *status PL_EINPUT (bad options), PL_EREFUSED (too many
 * states) or PL_ENOMEM. */
pl_stability *pl_stability_analyze(const pl_conflict *c,
                                   const pl_stability_options *o, pl_diag *d,
                                   pl_status *status);
void pl_stability_free(pl_stability *a);

/* The report and the JSON document of docs/stability.md. */
pl_status pl_stability_write_text(const pl_stability *a, FILE *out);
pl_status pl_stability_write_json(const pl_stability *a, FILE *out);

/* Feasible states are numbered 1 .. count in increasing order of their
 * decimal code (the sum of 2^k over the options k taken, from 0). */
uint64_t pl_stability_num_states(const pl_stability *a);
uint64_t pl_stability_state_code(const pl_stability *a, uint64_t number);
/* Whether state `number` is stable for `dm` under `concept` (false for a
 * concept that was not asked for), and for every DM. */
bool pl_stability_is_stable(const pl_stability *a, pl_concept concept,
                            uint32_t dm, uint64_t number);
bool pl_stability_is_equilibrium(const pl_stability *a, pl_concept concept,
                                 uint64_t number);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif

/* Every result of an analysis and a negotiation, read field by field. */
#include "parley_results.h"
#endif
