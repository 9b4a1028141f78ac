/* parley_results.h - every result of an analysis and of a negotiation, read
 * without parsing JSON (included by parley.h).
 *
 * Each accessor returns the number `--json` prints under the key named in
 * its comment (docs/analysis.md and docs/protocols.md define them); where
 * the JSON has null, the accessor returns false (or 0 for counts, with a
 * function saying whether the count is known). Outcomes are one value index
 * per issue (pl_scenario_num_issues entries); utilities are one double per
 * party, in party order. Actors are the parties (0 .. parties-1) followed
 * by the ratifiers (parties .. parties+ratifiers-1).
 *
 * The JSON documents can also be written into a buffer: the *_json
 * functions return the length they need without the terminator, like
 * snprintf, and write at most len bytes including it (0: out of memory or
 * not written). */
#ifndef PARLEY_RESULTS_H
#define PARLEY_RESULTS_H

#include "parley.h"

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

/* ---- Packages judged on their own ---------------------------------------- */

/* The scenario's constraints (rules every outcome must meet), by name or,
 * unnamed, by their text. */
uint32_t pl_scenario_num_constraints(const pl_scenario *s);
const char *pl_constraint_name(const pl_scenario *s, uint32_t c);
bool pl_constraint_holds(const pl_scenario *s, uint32_t c,
                         const uint32_t *values);
/* The party's red lines all hold ("red_lines_respected"). */
bool pl_party_red_lines_hold(const pl_scenario *s, uint32_t party,
                             const uint32_t *values);
/* "accepts": red lines hold and utility >= reservation value. */
bool pl_party_accepts(const pl_scenario *s, uint32_t party,
                      const uint32_t *values);
/* "approves": the ratifier's utility reaches its threshold. */
bool pl_ratifier_approves(const pl_scenario *s, uint32_t ratifier,
                          const uint32_t *values);
/* "in_zone": feasible, accepted by every party, approved by every
 * ratifier. */
bool pl_outcome_in_zone(const pl_scenario *s, const uint32_t *values);

/* The scenario's named proposals ("proposals"): name, author (NULL when
 * none) and package; judge them with the functions above. */
uint32_t pl_scenario_num_proposals(const pl_scenario *s);
const char *pl_proposal_name(const pl_scenario *s, uint32_t k);
const char *pl_proposal_by(const pl_scenario *s, uint32_t k);
bool pl_proposal_values(const pl_scenario *s, uint32_t k, uint32_t *values);

/* A party's reservation value ("reservation") and a ratifier's
 * approval threshold ("threshold"); 0 for an index out of range. */
double pl_party_reservation(const pl_scenario *s, uint32_t party);
double pl_ratifier_threshold(const pl_scenario *s, uint32_t ratifier);
/* The party a ratifier belongs to ("party"), or -1 when none. */
int32_t pl_ratifier_party(const pl_scenario *s, uint32_t ratifier);
/* A party's red lines one by one: how many, each one's name (or, unnamed,
 * its rule text) and whether it holds for a package. */
uint32_t pl_party_num_red_lines(const pl_scenario *s, uint32_t party);
const char *pl_red_line_name(const pl_scenario *s, uint32_t party, uint32_t k);
bool pl_red_line_holds(const pl_scenario *s, uint32_t party, uint32_t k,
                       const uint32_t *values);

/* ---- Analysis ------------------------------------------------------------ */

/* "outcomes": the size of the space (0 with 2^64 or more). */
uint64_t pl_analysis_num_outcomes(const pl_analysis *a);
/* "feasible", "acceptable"[party] and "approved"[ratifier]; 0 when not
 * counted (pl_analysis_counted). */
uint64_t pl_analysis_feasible(const pl_analysis *a);
uint64_t pl_analysis_acceptable(const pl_analysis *a, uint32_t party);
uint64_t pl_analysis_approved(const pl_analysis *a, uint32_t ratifier);

/* Which method answered each stage ("method", "counted_by",
 * "frontier_method"). */
typedef enum pl_stage {
  PL_STAGE_SOLUTIONS = 0, /* "method": enumeration or branch-and-bound */
  PL_STAGE_COUNT = 1,     /* "counted_by": enumeration, closed-form, m-i-t-m */
  PL_STAGE_FRONTIER = 2   /* "frontier_method": enumeration, sweep, b&b */
} pl_stage;
typedef enum pl_method {
  PL_METHOD_NONE = 0, /* the stage gave no answer (null in the JSON) */
  PL_METHOD_ENUMERATION = 1,
  PL_METHOD_BRANCH_AND_BOUND = 2,
  PL_METHOD_MEET_IN_THE_MIDDLE = 3,
  PL_METHOD_SWEEP = 4,
  PL_METHOD_CLOSED_FORM = 5 /* counts known without a pass (the planner) */
} pl_method;
pl_method pl_analysis_method(const pl_analysis *a, pl_stage stage);
/* The JSON's spelling: "enumeration", "branch-and-bound", ... ; NULL for
 * PL_METHOD_NONE. */
const char *pl_method_name(pl_method m);

/* "ideal": each party's best utility over the zone; false when empty. */
bool pl_analysis_ideal(const pl_analysis *a, double *utilities);

/* "pareto": whether the frontier is known, of which set ("frontier":
 * true for all feasible outcomes, false for the zone), its distinct points
 * ("pareto_distinct"), and point k (0 .. pl_analysis_frontier_size-1):
 * its package and/or utilities (either pointer may be NULL). */
bool pl_analysis_frontier_known(const pl_analysis *a);
bool pl_analysis_frontier_of_feasible(const pl_analysis *a);
size_t pl_analysis_frontier_distinct(const pl_analysis *a);
bool pl_analysis_frontier_point(const pl_analysis *a, size_t k,
                                uint32_t *values, double *utilities);

/* The solution's parties' utilities; false when there is none. */
bool pl_analysis_solution_utilities(const pl_analysis *a, pl_solution which,
                                    double *utilities);

/* "opposition" and "zone_slack"; false when null. */
bool pl_analysis_opposition(const pl_analysis *a, double *value);
bool pl_analysis_zone_slack(const pl_analysis *a, double *value);
/* "open_values": whether the value of the issue occurs in the zone;
 * pl_analysis_has_open_values false when the JSON has null. */
bool pl_analysis_has_open_values(const pl_analysis *a);
bool pl_analysis_value_open(const pl_analysis *a, uint32_t issue,
                            uint32_t value);

/* "blocking": sets of one or two issues that, parked, open the zone. */
typedef struct pl_blocking {
  uint32_t num_issues; /* 1 or 2 */
  uint32_t issues[2];
  double slack;
  bool counted;              /* false: "partial_packages" is null */
  uint64_t partial_packages; /* when counted */
} pl_blocking;
size_t pl_analysis_num_blocking(const pl_analysis *a);
bool pl_analysis_blocking(const pl_analysis *a, size_t k, pl_blocking *out);
/* "blocking_pairs_searched" */
bool pl_analysis_blocking_pairs_searched(const pl_analysis *a);

/* "concession": the smallest uniform concession delta* that opens the
 * zone and the package it opens it with; false when null. `values` may be
 * NULL. The shortfall of actor x (party or ratifier numbering above) is
 * "shortfalls"[x]: how far below its threshold that package leaves it. */
bool pl_analysis_concession(const pl_analysis *a, double *delta,
                            uint32_t *values);
double pl_analysis_concession_shortfall(const pl_analysis *a, uint32_t actor);

/* "run": threads and wall time. */
unsigned pl_analysis_threads(const pl_analysis *a);
double pl_analysis_seconds(const pl_analysis *a);

/* The report and the JSON document into a buffer. */
size_t pl_analysis_json(const pl_analysis *a, char *buf, size_t len);
size_t pl_analysis_text(const pl_analysis *a, char *buf, size_t len);

/* ---- Negotiation --------------------------------------------------------- */

/* "reason".kind */
typedef enum pl_end {
  PL_END_AGREEMENT = 0,
  PL_END_DEADLINE = 1,
  PL_END_WALK_OUT = 2,
  PL_END_NOT_RATIFIED = 3,
  PL_END_PROTOCOL_VIOLATION = 4
} pl_end;
pl_end pl_negotiation_end(const pl_negotiation *n);
/* "agreement", "walk-out", ... as in the JSON. */
const char *pl_end_name(pl_end e);
/* "reason".by: the actor responsible (walk-out, violation, the rejecting
 * ratifier) or -1 when none. */
int32_t pl_negotiation_end_by(const pl_negotiation *n);
/* "violation": what the protocol violation was; "" otherwise. */
const char *pl_negotiation_violation(const pl_negotiation *n);
/* "agreement": the agreed package; false when none. */
bool pl_negotiation_agreement(const pl_negotiation *n, uint32_t *values);
/* "utilities" and "discounted_utilities" (the latter equals the former
 * when no party discounts). */
void pl_negotiation_utilities(const pl_negotiation *n, double *utilities);
void pl_negotiation_discounted(const pl_negotiation *n, double *utilities);
uint32_t pl_negotiation_rounds(const pl_negotiation *n);
uint64_t pl_negotiation_seed(const pl_negotiation *n);
/* "agents"[party], as written ("conceder:e=1.5"). */
const char *pl_negotiation_agent(const pl_negotiation *n, uint32_t party);
/* "pareto_distance" and "nash_distance"; false when null. */
bool pl_negotiation_pareto_distance(const pl_negotiation *n, double *d);
bool pl_negotiation_nash_distance(const pl_negotiation *n, double *d);
double pl_negotiation_welfare(const pl_negotiation *n);

/* An action of the alternating-offers protocol ("action" in a trace; what
 * an agent's act callback returns, parley_agent.h). */
typedef enum pl_act {
  PL_ACT_OFFER = 0,  /* put an outcome on the table */
  PL_ACT_ACCEPT = 1, /* accept the outcome on the table */
  PL_ACT_END = 2     /* walk away: the talks end without agreement */
} pl_act;

/* "trace" (kept when pl_negotiation_options.trace is set): one event per
 * action (SAOP) or mediator step. */
typedef struct pl_trace_event {
  uint32_t round; /* from 1 */
  int32_t party;  /* -1: the neutral mediator */
  pl_act action;  /* SAOP action; mediated: PL_ACT_OFFER (a draft) */
  bool has_outcome;
  double t;     /* normalised time */
  uint32_t yes; /* mediated: yes votes */
  bool kept;    /* mediated: the change was kept */
} pl_trace_event;
size_t pl_negotiation_trace_size(const pl_negotiation *n);
/* Event k and, when it has one and values is not NULL, its package. */
bool pl_negotiation_trace_event(const pl_negotiation *n, size_t k,
                                pl_trace_event *e, uint32_t *values);

size_t pl_negotiation_json(const pl_negotiation *n, char *buf, size_t len);
size_t pl_negotiation_text(const pl_negotiation *n, char *buf, size_t len);

/* ---- Conflict stability -------------------------------------------------- */

/* The documents of `parley stability` (--json and text) into a buffer. */
size_t pl_stability_json(const pl_stability *a, char *buf, size_t len);
size_t pl_stability_text(const pl_stability *a, char *buf, size_t len);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif
