/* report_json.c - the machine-readable analysis (docs/analysis.md lists and
 * defines every key; schema/analysis.schema.json checks it). */
#include "io/report.h"
#include "util/fmt.h"
#include "util/json_write.h"

#include <stdio.h>
#include <stdlib.h>

#define SCHEMA_VERSION 1

void pl_judge(const pl_scenario *s, const uint32_t *values, pl_verdicts *v) {
  v->feasible = pl_rules_hold(s, -1, values);
  v->in_zone = v->feasible;
  for (uint32_t a = 0; a < pl_num_actors(s); a++) {
    v->u[a] = pl_actor_utility(s, a, values);
    bool red = true;
    if (a < s->nparties) {
      const pl_actor *p = &s->actors[a];
      for (uint32_t k = 0; k < p->nred_lines && red; k++)
        red = pl_rule_holds(&p->red_lines[k], values);
      v->red_ok[a] = red;
    }
    v->accepts[a] = red && v->u[a] >= s->actors[a].threshold - PL_EPS;
    v->in_zone &= v->accepts[a];
  }
}

/* An issue's value as JSON: option name, integer or real. */
json_t *pl_value_json(const pl_scenario *s, uint32_t i, uint32_t v) {
  const pl_issue *is = &s->issues[i];
  if (is->kind == PL_ISSUE_CATEGORICAL)
    return json_string(is->labels[v]);
  if (is->kind == PL_ISSUE_INTEGER)
    return json_integer((json_int_t)is->numbers[v]);
  return pl_json_computed(is->numbers[v]); /* a point of the range's grid */
}

json_t *pl_outcome_json(const pl_scenario *s, const uint32_t *values) {
  json_t *o = json_object();
  for (uint32_t i = 0; i < s->nissues; i++)
    json_object_set_new(o, s->issues[i].name, pl_value_json(s, i, values[i]));
  return o;
}

static json_t *utilities_json(const double *u, uint32_t n) {
  json_t *arr = json_array();
  for (uint32_t p = 0; p < n; p++)
    json_array_append_new(arr, pl_json_computed(u[p]));
  return arr;
}

/* {"outcome": {...}, "utilities": [...]} for an outcome index. */
static json_t *point_json(const pl_scenario *s, uint64_t index,
                          bool with_ratifiers) {
  uint32_t values[PL_MAX_ISSUES];
  pl_index_to_values(s, index, values);
  pl_verdicts v;
  pl_judge(s, values, &v);
  json_t *pt = json_object();
  json_object_set_new(pt, "outcome", pl_outcome_json(s, values));
  json_object_set_new(pt, "utilities", utilities_json(v.u, s->nparties));
  if (with_ratifiers) {
    json_t *r = json_object();
    for (uint32_t q = s->nparties; q < pl_num_actors(s); q++)
      json_object_set_new(r, s->actors[q].name,
                          json_pack("{s:o, s:b}", "utility",
                                    pl_json_computed(v.u[q]), "approves",
                                    v.accepts[q]));
    json_object_set_new(pt, "ratifiers", r);
  }
  return pt;
}

static json_t *names_json(const pl_scenario *s, uint32_t from, uint32_t to) {
  json_t *arr = json_array();
  for (uint32_t a = from; a < to; a++)
    json_array_append_new(arr, json_string(s->actors[a].name));
  return arr;
}

static json_t *thresholds_json(const pl_scenario *s, uint32_t from,
                               uint32_t to) {
  json_t *arr = json_array();
  for (uint32_t a = from; a < to; a++)
    json_array_append_new(arr, json_real(s->actors[a].threshold));
  return arr;
}

/* Discount factors d (utility u * d^t at normalised time t), 1 for none. */
static json_t *discounts_json(const pl_scenario *s) {
  json_t *arr = json_array();
  for (uint32_t p = 0; p < s->nparties; p++)
    json_array_append_new(arr, json_real(s->actors[p].discount));
  return arr;
}

static json_t *counts_json(const pl_scenario *s, const uint64_t *n,
                           uint32_t from, uint32_t to) {
  json_t *o = json_object();
  for (uint32_t a = from; a < to; a++)
    json_object_set_new(o, s->actors[a].name,
                        json_integer((json_int_t)n[a - from]));
  return o;
}

json_t *pl_frontier_json(const pl_analysis *a) {
  json_t *arr = json_array();
  for (size_t k = 0; k < a->nfront; k++)
    json_array_append_new(arr, point_json(a->s, a->front_index[k], false));
  return arr;
}

static const char *const SOLUTION_KEYS[PL_NUM_SOLUTIONS] = {
    "nash", "kalai_smorodinsky", "egalitarian", "utilitarian"};

static json_t *solutions_json(const pl_analysis *a) {
  json_t *o = json_object();
  for (int w = 0; w < PL_NUM_SOLUTIONS; w++)
    json_object_set_new(o, SOLUTION_KEYS[w],
                        a->has_solution ? point_json(a->s, a->solution[w], true)
                                        : json_null());
  json_object_set_new(o, "genius_ks",
                      a->has_genius_ks ? point_json(a->s, a->genius_ks, true)
                                       : json_null());
  return o;
}

static json_t *maybe_real(bool has, double x) {
  return has ? pl_json_computed(x) : json_null();
}

static json_t *count_or_null(bool known, uint64_t n) {
  return known ? json_integer((json_int_t)n) : json_null();
}

static json_t *string_or_null(const char *x) {
  return x ? json_string(x) : json_null();
}

/* How each stage was computed (docs/analysis.md, "The planner"). */
static json_t *methods_json(const pl_analysis *a) {
  bool n = a->enumerated;
  const char *count = n ? (a->count_method ? a->count_method : "enumeration")
                      : a->counted_mitm ? "meet-in-the-middle"
                                        : NULL;
  const char *front = !a->frontier_known                        ? NULL
                      : a->frontier_method == PL_FRONTIER_SWEEP ? "sweep"
                      : a->frontier_method == PL_FRONTIER_SEARCH
                          ? "branch-and-bound"
                          : "enumeration";
  const char *sol =
      n ? (a->solutions_method ? a->solutions_method : "enumeration")
      : a->solutions_searched ? "branch-and-bound"
                              : "frontier";
  const char *margins =
      n ? (a->margins_method ? a->margins_method : "enumeration")
      : a->margins_known ? "frontier"
                         : "branch-and-bound";
  return json_pack("{s:o, s:o, s:s, s:s}", "count", string_or_null(count),
                   "frontier", string_or_null(front), "solutions", sol,
                   "blocking", margins);
}

static json_t *stages_json(const pl_analysis *a) {
  bool n = a->enumerated, planned = a->count_method != NULL;
  json_t *sol = json_null();
  if (a->solutions_searched) {
    sol = json_object();
    for (int w = 0; w < PL_NUM_SOLUTIONS; w++)
      json_object_set_new(sol, SOLUTION_KEYS[w],
                          pl_json_computed(a->t_solution[w]));
  }
  return json_pack("{s:o, s:o, s:o, s:o, s:f, s:o, s:o, s:f}", "count",
                   maybe_real(pl_counted(a), a->t_count), "ideal",
                   maybe_real(!n, a->t_ideal), "solutions", sol, "frontier",
                   maybe_real(!n || planned, a->t_frontier), "blocking",
                   pl_round_computed(a->t_blocking), "estimate",
                   maybe_real(!n, a->t_estimate), "methods", methods_json(a),
                   "design", pl_round_computed(a->t_design));
}

static json_t *blocking_json(const pl_analysis *a) {
  json_t *arr = json_array();
  for (size_t k = 0; k < a->nblocks; k++) {
    const pl_block *b = &a->blocks[k];
    json_t *issues = json_array();
    for (uint32_t j = 0; j < b->nissues; j++)
      json_array_append_new(issues,
                            json_string(a->s->issues[b->issues[j]].name));
    json_array_append_new(
        arr, json_pack("{s:o, s:f, s:o, s:o}", "issues", issues, "slack",
                       pl_round_computed(b->slack), "partial_packages",
                       count_or_null(b->count != PL_NOT_COUNTED, b->count),
                       "who", pl_who_json(a, k)));
  }
  return arr;
}

static json_t *concession_json(const pl_analysis *a) {
  if (!pl_zone_empty(a) || !a->has_concession)
    return json_null();
  const pl_scenario *s = a->s;
  uint32_t values[PL_MAX_ISSUES];
  pl_index_to_values(s, a->concession_index, values);
  json_t *short_by = json_object();
  for (uint32_t x = 0; x < pl_num_actors(s); x++) {
    double gap = s->actors[x].threshold - pl_actor_utility(s, x, values);
    json_object_set_new(short_by, s->actors[x].name,
                        pl_json_computed(gap > 0 ? gap : 0));
  }
  return json_pack("{s:f, s:o, s:o}", "delta", pl_round_computed(a->delta),
                   "point", point_json(s, a->concession_index, true),
                   "shortfalls", short_by);
}

static json_t *open_values_json(const pl_analysis *a) {
  if (!a->open)
    return json_null();
  const pl_scenario *s = a->s;
  json_t *o = json_object();
  for (uint32_t i = 0; i < s->nissues; i++) {
    json_t *vals = json_array();
    for (uint32_t v = 0; v < s->issues[i].nvalues; v++) {
      if (a->open[s->offset[i] + v])
        json_array_append_new(vals, pl_value_json(s, i, v));
    }
    json_object_set_new(o, s->issues[i].name, vals);
  }
  return o;
}

/* One package on the table: how every actor judges it, and its repair. */
static json_t *proposal_json(const pl_analysis *a, size_t k, const char *name,
                             const char *by, const uint32_t *values) {
  const pl_scenario *s = a->s;
  pl_verdicts v;
  pl_judge(s, values, &v);
  json_t *violated = json_array();
  for (uint32_t c = 0; c < s->nconstraints; c++)
    if (!pl_rule_holds(&s->constraints[c], values))
      json_array_append_new(violated,
                            json_string(s->constraints[c].name
                                            ? s->constraints[c].name
                                            : s->constraints[c].text));
  json_t *parties = json_object(), *rats = json_object();
  for (uint32_t x = 0; x < pl_num_actors(s); x++) {
    if (x < s->nparties)
      json_object_set_new(parties, s->actors[x].name,
                          json_pack("{s:o, s:b, s:b}", "utility",
                                    pl_json_computed(v.u[x]), "accepts",
                                    v.accepts[x], "red_lines_respected",
                                    v.red_ok[x]));
    else
      json_object_set_new(rats, s->actors[x].name,
                          json_pack("{s:o, s:b}", "utility",
                                    pl_json_computed(v.u[x]), "approves",
                                    v.accepts[x]));
  }
  return json_pack(
      "{s:s, s:s?, s:o, s:o, s:b, s:o, s:o, s:o, s:b, s:o}", "name", name, "by",
      by, "outcome", pl_outcome_json(s, values), "utilities",
      utilities_json(v.u, s->nparties), "feasible", v.feasible,
      "violated_constraints", violated, "parties", parties, "ratifiers", rats,
      "in_zone", v.in_zone, "repair", pl_repair_json(a, k, values));
}

/* The scenario's proposals, then the --package packages ("package 1"...). */
static json_t *proposals_json(const pl_analysis *a) {
  const pl_scenario *s = a->s;
  json_t *arr = json_array();
  for (uint32_t k = 0; k < s->nproposals; k++)
    json_array_append_new(arr, proposal_json(a, k, s->proposals[k].name,
                                             s->proposals[k].by,
                                             s->proposals[k].values));
  for (size_t k = 0; k < pl_extra_count(a); k++) {
    char name[32];
    snprintf(name, sizeof name, "package %zu", k + 1);
    json_array_append_new(arr, proposal_json(a, s->nproposals + k, name, NULL,
                                             pl_extra_package(a, k)));
  }
  return arr;
}

/* streamed: `pareto` holds a placeholder, written by pl_write_pareto. */
static json_t *analysis_json(const pl_analysis *a, bool streamed) {
  const pl_scenario *s = a->s;
  uint32_t np = s->nparties;
  json_t *o = json_object();
  json_object_set_new(o, "schema_version", json_integer(SCHEMA_VERSION));
  json_object_set_new(o, "scenario",
                      json_pack("{s:s?, s:s?, s:s?}", "name", s->name, "title",
                                s->title, "file",
                                s->file && *s->file ? s->file : NULL));
  json_object_set_new(o, "reading", json_string(pl_scenario_reading(s)));
  json_object_set_new(o, "parties", names_json(s, 0, np));
  json_object_set_new(o, "reservation", thresholds_json(s, 0, np));
  json_object_set_new(o, "discount", discounts_json(s));
  json_object_set_new(o, "ratifiers", names_json(s, np, pl_num_actors(s)));
  json_object_set_new(o, "outcomes", json_integer((json_int_t)a->outcomes));
  /* Counts exist when the space was enumerated or counted by meet in the
   * middle. */
  bool n = a->enumerated, counted = pl_counted(a);
  json_object_set_new(o, "method",
                      json_string(n ? "enumeration" : "branch-and-bound"));
  json_object_set_new(
      o, "counted_by",
      n         ? json_string(a->count_method ? a->count_method : "enumeration")
      : counted ? json_string("meet-in-the-middle")
                : json_null());
  json_object_set_new(o, "feasible", count_or_null(counted, a->feasible));
  json_object_set_new(o, "agreements", count_or_null(counted, a->zone));
  json_object_set_new(o, "acceptable",
                      counted ? counts_json(s, a->acceptable, 0, np)
                              : json_null());
  json_object_set_new(o, "approved",
                      counted
                          ? counts_json(s, a->approved, np, pl_num_actors(s))
                          : json_null());
  json_object_set_new(
      o, "note",
      n ? json_null()
        : json_sprintf(
              "the space is larger than --max-outcomes, so it was not "
              "enumerated; %s; the solutions are exact (branch and bound, "
              "%llu nodes in all); %s",
              counted            ? "the counts are exact, by meet in the middle"
              : a->count_note[0] ? a->count_note
                                 : "nothing was counted",
              (unsigned long long)a->bnb_nodes,
              !a->frontier_known
                  ? (a->frontier_note[0]
                         ? a->frontier_note
                         : "the frontier is too large to find within the "
                           "search budget, so pareto is null")
              : a->frontier_method == PL_FRONTIER_SWEEP
                  ? "the frontier was found exactly by sweeping the issues, "
                    "ties kept as with enumeration"
                  : "pareto lists one outcome per distinct point, the "
                    "smallest index"));
  json_object_set_new(o, "frontier_method",
                      !a->frontier_known ? json_null()
                      : a->frontier_method == PL_FRONTIER_SWEEP
                          ? json_string("sweep")
                      : a->frontier_method == PL_FRONTIER_SEARCH
                          ? json_string("branch-and-bound")
                          : json_string("enumeration"));
  json_object_set_new(
      o, "ideal", a->has_solution ? utilities_json(a->ideal, np) : json_null());
  json_object_set_new(o, "frontier",
                      json_string(a->frontier_all ? "feasible" : "zone"));
  json_object_set_new(o, "pareto",
                      a->frontier_known && !streamed ? pl_frontier_json(a)
                                                     : json_null());
  json_object_set_new(o, "pareto_distinct",
                      a->frontier_known
                          ? json_integer((json_int_t)a->front_distinct)
                          : json_null());
  json_object_set_new(o, "solutions", solutions_json(a));
  json_object_set_new(o, "opposition",
                      maybe_real(a->has_opposition, a->opposition));
  json_object_set_new(o, "zone_slack",
                      maybe_real(a->has_zone_slack, a->zone_slack));
  json_object_set_new(o, "open_values", open_values_json(a));
  json_object_set_new(o, "blocking", blocking_json(a));
  json_object_set_new(o, "blocking_pairs_searched",
                      json_boolean(pl_zone_empty(a) && a->pairs_checked));
  json_object_set_new(o, "concession", concession_json(a));
  json_object_set_new(o, "rules_out", pl_rules_out_json(a));
  json_object_set_new(o, "proposals", proposals_json(a));
  json_object_set_new(o, "linkages", pl_linkages_json(a));
  json_object_set_new(o, "pareto_moves", pl_moves_json(a));
  json_object_set_new(o, "agenda", pl_agenda_json(a));
  json_object_set_new(
      o, "zone_count_estimate_seconds",
      maybe_real(!counted && a->count_estimate > 0, a->count_estimate));
  json_object_set_new(o, "run",
                      json_pack("{s:i, s:f, s:o}", "threads", (int)a->threads,
                                "seconds", pl_round_computed(a->seconds),
                                "stages", stages_json(a)));
  return o;
}

json_t *pl_analysis_to_json(const pl_analysis *a) {
  return analysis_json(a, false);
}

pl_status pl_analysis_write_json(const pl_analysis *a, FILE *out) {
  json_t *o = analysis_json(a, true);
  if (!o)
    return PL_ENOMEM;
  /* The frontier, which may hold hundreds of thousands of packages, goes
   * straight to out: the same bytes as its tree. */
  int rc = a->frontier_known ? pl_json_write_hooked(o, out, "pareto",
                                                    pl_write_pareto, (void *)a)
                             : pl_json_write(o, out);
  json_decref(o);
  if (rc != 0 || fputc('\n', out) == EOF)
    return PL_EIO;
  return PL_OK;
}
