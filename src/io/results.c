/* results.c - the accessors of parley_results.h: each reads the field the
 * JSON writers (report_json.c, talks_report.c) print, with the same
 * helpers (pl_judge for verdicts), so the numbers agree by construction. */
#define _POSIX_C_SOURCE 200809L
#include "io/report.h"
#include "negotiation/negotiation.h"
#include "util/copyout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Documents into a buffer --------------------------------------------- */

/* Runs a writer into memory and copies what fits, snprintf-like. */
static size_t to_buffer(pl_status (*write)(const void *, FILE *),
                        const void *obj, char *buf, size_t len) {
  char *mem = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&mem, &n);
  if (len)
    buf[0] = 0;
  if (!f)
    return 0;
  pl_status st = write(obj, f);
  if (fclose(f) != 0 || st != PL_OK) {
    free(mem);
    return 0;
  }
  pl_copy_out(mem, n, buf, len);
  free(mem);
  return n;
}

static pl_status analysis_json(const void *a, FILE *f) {
  return pl_analysis_write_json(a, f);
}
static pl_status analysis_text(const void *a, FILE *f) {
  return pl_analysis_write_text(a, f);
}
static pl_status negotiation_json(const void *n, FILE *f) {
  return pl_negotiation_write_json(n, f);
}
static pl_status negotiation_text(const void *n, FILE *f) {
  return pl_negotiation_write_text(n, f);
}

static pl_status stability_json(const void *a, FILE *f) {
  return pl_stability_write_json(a, f);
}
static pl_status stability_text(const void *a, FILE *f) {
  return pl_stability_write_text(a, f);
}

size_t pl_stability_json(const pl_stability *a, char *buf, size_t len) {
  return to_buffer(stability_json, a, buf, len);
}
size_t pl_stability_text(const pl_stability *a, char *buf, size_t len) {
  return to_buffer(stability_text, a, buf, len);
}

size_t pl_analysis_json(const pl_analysis *a, char *buf, size_t len) {
  return to_buffer(analysis_json, a, buf, len);
}
size_t pl_analysis_text(const pl_analysis *a, char *buf, size_t len) {
  return to_buffer(analysis_text, a, buf, len);
}
size_t pl_negotiation_json(const pl_negotiation *n, char *buf, size_t len) {
  return to_buffer(negotiation_json, n, buf, len);
}
size_t pl_negotiation_text(const pl_negotiation *n, char *buf, size_t len) {
  return to_buffer(negotiation_text, n, buf, len);
}

/* ---- Packages ------------------------------------------------------------ */

uint32_t pl_scenario_num_constraints(const pl_scenario *s) {
  return s->nconstraints;
}

const char *pl_constraint_name(const pl_scenario *s, uint32_t c) {
  if (c >= s->nconstraints)
    return NULL;
  return s->constraints[c].name ? s->constraints[c].name
                                : s->constraints[c].text;
}

bool pl_constraint_holds(const pl_scenario *s, uint32_t c,
                         const uint32_t *values) {
  return c < s->nconstraints && pl_rule_holds(&s->constraints[c], values);
}

bool pl_party_red_lines_hold(const pl_scenario *s, uint32_t party,
                             const uint32_t *values) {
  pl_verdicts v;
  pl_judge(s, values, &v);
  return party < s->nparties && v.red_ok[party];
}

bool pl_party_accepts(const pl_scenario *s, uint32_t party,
                      const uint32_t *values) {
  pl_verdicts v;
  pl_judge(s, values, &v);
  return party < s->nparties && v.accepts[party];
}

bool pl_ratifier_approves(const pl_scenario *s, uint32_t ratifier,
                          const uint32_t *values) {
  pl_verdicts v;
  pl_judge(s, values, &v);
  return ratifier < s->nratifiers && v.accepts[s->nparties + ratifier];
}

bool pl_outcome_in_zone(const pl_scenario *s, const uint32_t *values) {
  pl_verdicts v;
  pl_judge(s, values, &v);
  return v.in_zone;
}

uint32_t pl_scenario_num_proposals(const pl_scenario *s) {
  return s->nproposals;
}

const char *pl_proposal_name(const pl_scenario *s, uint32_t k) {
  return k < s->nproposals ? s->proposals[k].name : NULL;
}

const char *pl_proposal_by(const pl_scenario *s, uint32_t k) {
  return k < s->nproposals ? s->proposals[k].by : NULL;
}

bool pl_proposal_values(const pl_scenario *s, uint32_t k, uint32_t *values) {
  if (k >= s->nproposals)
    return false;
  memcpy(values, s->proposals[k].values, s->nissues * sizeof *values);
  return true;
}

double pl_party_reservation(const pl_scenario *s, uint32_t party) {
  return party < s->nparties ? s->actors[party].threshold : 0;
}

double pl_ratifier_threshold(const pl_scenario *s, uint32_t ratifier) {
  return ratifier < s->nratifiers ? s->actors[s->nparties + ratifier].threshold
                                  : 0;
}

int32_t pl_ratifier_party(const pl_scenario *s, uint32_t ratifier) {
  return ratifier < s->nratifiers ? s->actors[s->nparties + ratifier].party
                                  : -1;
}

uint32_t pl_party_num_red_lines(const pl_scenario *s, uint32_t party) {
  return party < s->nparties ? s->actors[party].nred_lines : 0;
}

const char *pl_red_line_name(const pl_scenario *s, uint32_t party, uint32_t k) {
  if (k >= pl_party_num_red_lines(s, party))
    return NULL;
  const pl_rule *r = &s->actors[party].red_lines[k];
  return r->name ? r->name : r->text;
}

bool pl_red_line_holds(const pl_scenario *s, uint32_t party, uint32_t k,
                       const uint32_t *values) {
  return k < pl_party_num_red_lines(s, party) &&
         pl_rule_holds(&s->actors[party].red_lines[k], values);
}

/* ---- Analysis ------------------------------------------------------------ */

/* The parties' utilities of outcome `index`. */
static void utilities_of(const pl_scenario *s, uint64_t index, double *u) {
  uint32_t v[PL_MAX_ISSUES];
  pl_index_to_values(s, index, v);
  for (uint32_t p = 0; p < s->nparties; p++)
    u[p] = pl_actor_utility(s, p, v);
}

uint64_t pl_analysis_num_outcomes(const pl_analysis *a) {
  return a->outcomes_overflow ? 0 : a->outcomes;
}

uint64_t pl_analysis_feasible(const pl_analysis *a) {
  return pl_counted(a) ? a->feasible : 0;
}

uint64_t pl_analysis_acceptable(const pl_analysis *a, uint32_t party) {
  return pl_counted(a) && party < a->s->nparties ? a->acceptable[party] : 0;
}

uint64_t pl_analysis_approved(const pl_analysis *a, uint32_t ratifier) {
  return pl_counted(a) && ratifier < a->s->nratifiers ? a->approved[ratifier]
                                                      : 0;
}

pl_method pl_analysis_method(const pl_analysis *a, pl_stage stage) {
  switch (stage) {
  case PL_STAGE_SOLUTIONS:
    return a->enumerated ? PL_METHOD_ENUMERATION : PL_METHOD_BRANCH_AND_BOUND;
  case PL_STAGE_COUNT:
    if (a->enumerated && a->count_method &&
        !strcmp(a->count_method, "closed-form"))
      return PL_METHOD_CLOSED_FORM;
    return a->enumerated     ? PL_METHOD_ENUMERATION
           : a->counted_mitm ? PL_METHOD_MEET_IN_THE_MIDDLE
                             : PL_METHOD_NONE;
  case PL_STAGE_FRONTIER:
    return !a->frontier_known                        ? PL_METHOD_NONE
           : a->frontier_method == PL_FRONTIER_SWEEP ? PL_METHOD_SWEEP
           : a->frontier_method == PL_FRONTIER_SEARCH
               ? PL_METHOD_BRANCH_AND_BOUND
               : PL_METHOD_ENUMERATION;
  }
  return PL_METHOD_NONE;
}

const char *pl_method_name(pl_method m) {
  static const char *const names[] = {
      NULL,    "enumeration", "branch-and-bound", "meet-in-the-middle",
      "sweep", "closed-form"};
  return (unsigned)m < sizeof names / sizeof names[0] ? names[m] : NULL;
}

bool pl_analysis_ideal(const pl_analysis *a, double *utilities) {
  if (!a->has_solution)
    return false;
  memcpy(utilities, a->ideal, a->s->nparties * sizeof *utilities);
  return true;
}

bool pl_analysis_frontier_known(const pl_analysis *a) {
  return a->frontier_known;
}

bool pl_analysis_frontier_of_feasible(const pl_analysis *a) {
  return a->frontier_all;
}

size_t pl_analysis_frontier_distinct(const pl_analysis *a) {
  return a->frontier_known ? a->front_distinct : 0;
}

bool pl_analysis_frontier_point(const pl_analysis *a, size_t k,
                                uint32_t *values, double *utilities) {
  if (!a->frontier_known || k >= a->nfront)
    return false;
  if (values)
    pl_index_to_values(a->s, a->front_index[k], values);
  if (utilities) /* as the JSON: the package's utilities, recomputed */
    utilities_of(a->s, a->front_index[k], utilities);
  return true;
}

bool pl_analysis_solution_utilities(const pl_analysis *a, pl_solution which,
                                    double *utilities) {
  uint32_t v[PL_MAX_ISSUES];
  if (!pl_analysis_solution(a, which, v))
    return false;
  for (uint32_t p = 0; p < a->s->nparties; p++)
    utilities[p] = pl_actor_utility(a->s, p, v);
  return true;
}

bool pl_analysis_opposition(const pl_analysis *a, double *value) {
  if (a->has_opposition)
    *value = a->opposition;
  return a->has_opposition;
}

bool pl_analysis_zone_slack(const pl_analysis *a, double *value) {
  if (a->has_zone_slack)
    *value = a->zone_slack;
  return a->has_zone_slack;
}

bool pl_analysis_has_open_values(const pl_analysis *a) {
  return a->open != NULL;
}

bool pl_analysis_value_open(const pl_analysis *a, uint32_t issue,
                            uint32_t value) {
  const pl_scenario *s = a->s;
  return a->open && issue < s->nissues && value < s->issues[issue].nvalues &&
         a->open[s->offset[issue] + value];
}

size_t pl_analysis_num_blocking(const pl_analysis *a) { return a->nblocks; }

bool pl_analysis_blocking(const pl_analysis *a, size_t k, pl_blocking *out) {
  if (k >= a->nblocks)
    return false;
  const pl_block *b = &a->blocks[k];
  *out = (pl_blocking){.num_issues = b->nissues,
                       .issues = {b->issues[0], b->issues[1]},
                       .slack = b->slack,
                       .counted = b->count != PL_NOT_COUNTED,
                       .partial_packages =
                           b->count != PL_NOT_COUNTED ? b->count : 0};
  if (b->nissues < 2)
    out->issues[1] = 0;
  return true;
}

bool pl_analysis_blocking_pairs_searched(const pl_analysis *a) {
  return pl_zone_empty(a) && a->pairs_checked;
}

bool pl_analysis_concession(const pl_analysis *a, double *delta,
                            uint32_t *values) {
  if (!pl_zone_empty(a) || !a->has_concession)
    return false;
  if (delta)
    *delta = a->delta;
  if (values)
    pl_index_to_values(a->s, a->concession_index, values);
  return true;
}

double pl_analysis_concession_shortfall(const pl_analysis *a, uint32_t actor) {
  const pl_scenario *s = a->s;
  uint32_t v[PL_MAX_ISSUES];
  if (actor >= pl_num_actors(s) || !pl_analysis_concession(a, NULL, v))
    return 0;
  double gap = s->actors[actor].threshold - pl_actor_utility(s, actor, v);
  return gap > 0 ? gap : 0;
}

unsigned pl_analysis_threads(const pl_analysis *a) { return a->threads; }
double pl_analysis_seconds(const pl_analysis *a) { return a->seconds; }

/* ---- Negotiation --------------------------------------------------------- */

pl_end pl_negotiation_end(const pl_negotiation *n) { return n->t.end; }

const char *pl_end_name(pl_end e) {
  static const char *const names[] = {"agreement", "deadline", "walk-out",
                                      "not-ratified", "protocol-violation"};
  return (unsigned)e < sizeof names / sizeof names[0] ? names[e] : NULL;
}

int32_t pl_negotiation_end_by(const pl_negotiation *n) { return n->t.by; }

const char *pl_negotiation_violation(const pl_negotiation *n) {
  return n->t.message;
}

bool pl_negotiation_agreement(const pl_negotiation *n, uint32_t *values) {
  if (n->t.end != PL_END_AGREEMENT)
    return false;
  pl_index_to_values(n->s, n->t.outcome, values);
  return true;
}

void pl_negotiation_utilities(const pl_negotiation *n, double *utilities) {
  memcpy(utilities, n->t.utilities, n->s->nparties * sizeof *utilities);
}

void pl_negotiation_discounted(const pl_negotiation *n, double *utilities) {
  memcpy(utilities, n->t.discounting ? n->t.discounted : n->t.utilities,
         n->s->nparties * sizeof *utilities);
}

uint32_t pl_negotiation_rounds(const pl_negotiation *n) { return n->t.rounds; }
uint64_t pl_negotiation_seed(const pl_negotiation *n) { return n->t.opt.seed; }

const char *pl_negotiation_agent(const pl_negotiation *n, uint32_t party) {
  return party < n->s->nparties ? n->t.opt.agents[party].text : NULL;
}

bool pl_negotiation_pareto_distance(const pl_negotiation *n, double *d) {
  if (n->has_pareto)
    *d = n->pareto_distance;
  return n->has_pareto;
}

bool pl_negotiation_nash_distance(const pl_negotiation *n, double *d) {
  if (n->has_nash)
    *d = n->nash_distance;
  return n->has_nash;
}

double pl_negotiation_welfare(const pl_negotiation *n) { return n->welfare; }

size_t pl_negotiation_trace_size(const pl_negotiation *n) {
  return n->json_trace ? n->t.nevents : 0;
}

bool pl_negotiation_trace_event(const pl_negotiation *n, size_t k,
                                pl_trace_event *e, uint32_t *values) {
  if (k >= pl_negotiation_trace_size(n))
    return false;
  pl_talks_event(&n->t, k, e, values);
  return true;
}
