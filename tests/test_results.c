/* test_results.c - every accessor of parley_results.h against the JSON
 * document the same result writes (pl_analysis_json, pl_negotiation_json):
 * the built-in talks (empty zone: blocking sets, concession, proposals),
 * a small scenario with a zone (frontier, solutions, open values, slack),
 * seeded generated scenarios, the same above --max-outcomes (branch and
 * bound), and negotiations with their traces under both protocols. The
 * expectations are the JSON's numbers, so nothing here is hard-coded
 * except which keys exist. */
#include "parley.h"
#include "support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The JSON prints computed numbers with 12 significant digits
 * (docs/analysis.md, "Precision"): within half a unit of the 12th. */
#define CLOSE(a, b) (fabs((a) - (b)) <= 5e-12 * (1 + fabs(b)))

static json_t *parse_buffer(size_t (*write)(const void *, char *, size_t),
                            const void *obj) {
  size_t need = write(obj, NULL, 0);
  cr_assert_gt(need, 0);
  char *buf = malloc(need + 1);
  cr_assert_eq(write(obj, buf, need + 1), need);
  cr_assert_eq(strlen(buf), need);
  /* A short buffer gets what fits, terminated. */
  char small[8];
  cr_assert_eq(write(obj, small, sizeof small), need);
  cr_assert_eq(strncmp(small, buf, 7), 0);
  cr_assert_eq(small[7], 0);
  json_error_t e;
  json_t *j = json_loads(buf, 0, &e);
  cr_assert_not_null(j, "%s", e.text);
  free(buf);
  return j;
}

static size_t analysis_json(const void *a, char *b, size_t n) {
  return pl_analysis_json(a, b, n);
}
static size_t negotiation_json(const void *x, char *b, size_t n) {
  return pl_negotiation_json(x, b, n);
}

/* A package against its JSON object {"issue": value, ...}. */
static void expect_package(const pl_scenario *s, const uint32_t *values,
                           const json_t *outcome) {
  cr_assert(json_is_object(outcome));
  for (uint32_t i = 0; i < pl_scenario_num_issues(s); i++) {
    const json_t *v = json_object_get(outcome, pl_issue_name(s, i));
    cr_assert_not_null(v, "issue %s", pl_issue_name(s, i));
    char text[256];
    pl_issue_value_text(s, i, values[i], text, sizeof text);
    if (json_is_string(v))
      cr_expect_str_eq(text, json_string_value(v));
    else
      cr_expect(CLOSE(strtod(text, NULL), json_number_value(v)), "%s vs %g",
                text, json_number_value(v));
  }
}

static void expect_utilities(const double *u, const json_t *arr, uint32_t n) {
  cr_assert_eq(json_array_size(arr), n);
  for (uint32_t p = 0; p < n; p++)
    cr_expect(CLOSE(u[p], json_number_value(json_array_get(arr, p))),
              "party %u: %.17g vs %.17g", p, u[p],
              json_number_value(json_array_get(arr, p)));
}

static void expect_count(uint64_t got, const json_t *j, bool counted) {
  if (!counted)
    cr_expect((!j || json_is_null(j)) && got == 0);
  else
    cr_expect_eq(got, (uint64_t)json_integer_value(j));
}

static void expect_method(const pl_analysis *a, pl_stage st, const json_t *j) {
  const char *m = pl_method_name(pl_analysis_method(a, st));
  if (json_is_null(j))
    cr_expect_null(m, "stage %d", st);
  else
    cr_expect_str_eq(m, json_string_value(j));
}

static void check_counts(const pl_scenario *s, const pl_analysis *a,
                         const json_t *j) {
  uint32_t np = pl_scenario_num_parties(s), nr = pl_scenario_num_ratifiers(s);
  bool counted = pl_analysis_counted(a);
  cr_expect_eq(pl_analysis_num_outcomes(a),
               (uint64_t)json_integer_value(json_object_get(j, "outcomes")));
  expect_count(pl_analysis_feasible(a), json_object_get(j, "feasible"),
               counted);
  expect_count(pl_analysis_zone_size(a), json_object_get(j, "agreements"),
               counted);
  for (uint32_t p = 0; p < np; p++)
    expect_count(
        pl_analysis_acceptable(a, p),
        json_object_get(json_object_get(j, "acceptable"), pl_party_name(s, p)),
        counted);
  for (uint32_t r = 0; r < nr; r++)
    expect_count(
        pl_analysis_approved(a, r),
        json_object_get(json_object_get(j, "approved"), pl_ratifier_name(s, r)),
        counted);
  expect_method(a, PL_STAGE_SOLUTIONS, json_object_get(j, "method"));
  expect_method(a, PL_STAGE_COUNT, json_object_get(j, "counted_by"));
  expect_method(a, PL_STAGE_FRONTIER, json_object_get(j, "frontier_method"));
  cr_expect_eq(pl_analysis_threads(a),
               (unsigned)json_integer_value(
                   json_object_get(json_object_get(j, "run"), "threads")));
}

static void check_frontier(const pl_scenario *s, const pl_analysis *a,
                           const json_t *j) {
  uint32_t np = pl_scenario_num_parties(s), v[64];
  double u[64];
  const json_t *pareto = json_object_get(j, "pareto");
  cr_expect_eq(pl_analysis_frontier_known(a), !json_is_null(pareto));
  cr_expect_eq(
      pl_analysis_frontier_of_feasible(a),
      !strcmp(json_string_value(json_object_get(j, "frontier")), "feasible"));
  if (json_is_null(pareto)) {
    cr_expect_not(pl_analysis_frontier_point(a, 0, v, u));
    return;
  }
  cr_expect_eq(
      pl_analysis_frontier_distinct(a),
      (size_t)json_integer_value(json_object_get(j, "pareto_distinct")));
  cr_assert_eq(pl_analysis_frontier_size(a), json_array_size(pareto));
  for (size_t k = 0; k < json_array_size(pareto); k++) {
    const json_t *pt = json_array_get(pareto, k);
    cr_assert(pl_analysis_frontier_point(a, k, v, u));
    expect_package(s, v, json_object_get(pt, "outcome"));
    expect_utilities(u, json_object_get(pt, "utilities"), np);
  }
  cr_expect_not(pl_analysis_frontier_point(a, json_array_size(pareto), v, u));
}

static void check_solutions(const pl_scenario *s, const pl_analysis *a,
                            const json_t *j) {
  static const char *const keys[] = {"nash", "kalai_smorodinsky", "egalitarian",
                                     "utilitarian", "genius_ks"};
  uint32_t np = pl_scenario_num_parties(s), v[64];
  double u[64];
  const json_t *sol = json_object_get(j, "solutions");
  for (int w = 0; w <= PL_SOLUTION_GENIUS_KS; w++) {
    const json_t *pt = json_object_get(sol, keys[w]);
    bool has = pl_analysis_solution(a, (pl_solution)w, v);
    cr_expect_eq(has, !json_is_null(pt), "%s", keys[w]);
    cr_expect_eq(pl_analysis_solution_utilities(a, (pl_solution)w, u), has);
    if (has) {
      expect_package(s, v, json_object_get(pt, "outcome"));
      expect_utilities(u, json_object_get(pt, "utilities"), np);
    }
  }
  const json_t *ideal = json_object_get(j, "ideal");
  cr_expect_eq(pl_analysis_ideal(a, u), !json_is_null(ideal));
  if (!json_is_null(ideal))
    expect_utilities(u, ideal, np);
}

static void expect_maybe(bool has, double x, const json_t *j) {
  cr_expect_eq(has, !json_is_null(j));
  if (has)
    cr_expect(CLOSE(x, json_number_value(j)));
}

static void check_margins(const pl_scenario *s, const pl_analysis *a,
                          const json_t *j) {
  double x = 0;
  bool has = pl_analysis_opposition(a, &x);
  expect_maybe(has, x, json_object_get(j, "opposition"));
  has = pl_analysis_zone_slack(a, &x);
  expect_maybe(has, x, json_object_get(j, "zone_slack"));
  const json_t *open = json_object_get(j, "open_values");
  cr_expect_eq(pl_analysis_has_open_values(a), !json_is_null(open));
  for (uint32_t i = 0; !json_is_null(open) && i < pl_scenario_num_issues(s);
       i++) {
    const json_t *vals = json_object_get(open, pl_issue_name(s, i));
    size_t n = 0;
    for (uint32_t v = 0; v < pl_issue_num_values(s, i); v++)
      n += pl_analysis_value_open(a, i, v);
    cr_expect_eq(n, json_array_size(vals), "issue %s", pl_issue_name(s, i));
  }
}

static void check_blocking(const pl_scenario *s, const pl_analysis *a,
                           const json_t *j) {
  const json_t *arr = json_object_get(j, "blocking");
  cr_assert_eq(pl_analysis_num_blocking(a), json_array_size(arr));
  for (size_t k = 0; k < json_array_size(arr); k++) {
    const json_t *b = json_array_get(arr, k);
    pl_blocking got;
    cr_assert(pl_analysis_blocking(a, k, &got));
    const json_t *issues = json_object_get(b, "issues");
    cr_assert_eq(got.num_issues, json_array_size(issues));
    for (uint32_t i = 0; i < got.num_issues; i++)
      cr_expect_str_eq(pl_issue_name(s, got.issues[i]),
                       json_string_value(json_array_get(issues, i)));
    cr_expect(CLOSE(got.slack, json_number_value(json_object_get(b, "slack"))));
    expect_count(got.partial_packages, json_object_get(b, "partial_packages"),
                 got.counted);
  }
  cr_expect_eq(pl_analysis_blocking_pairs_searched(a),
               json_is_true(json_object_get(j, "blocking_pairs_searched")));
  const json_t *c = json_object_get(j, "concession");
  double delta;
  uint32_t v[64];
  cr_expect_eq(pl_analysis_concession(a, &delta, v), !json_is_null(c));
  uint32_t nact = pl_scenario_num_parties(s) + pl_scenario_num_ratifiers(s);
  if (json_is_null(c)) {
    for (uint32_t x = 0; x < nact; x++)
      cr_expect_eq(pl_analysis_concession_shortfall(a, x), 0);
    return;
  }
  cr_expect(CLOSE(delta, json_number_value(json_object_get(c, "delta"))));
  expect_package(s, v, json_object_get(json_object_get(c, "point"), "outcome"));
  const json_t *sh = json_object_get(c, "shortfalls");
  for (uint32_t x = 0; x < nact; x++) {
    const char *name =
        x < pl_scenario_num_parties(s)
            ? pl_party_name(s, x)
            : pl_ratifier_name(s, x - pl_scenario_num_parties(s));
    cr_expect(CLOSE(pl_analysis_concession_shortfall(a, x),
                    json_number_value(json_object_get(sh, name))),
              "%s", name);
  }
}

static void check_proposals(const pl_scenario *s, const json_t *j) {
  const json_t *arr = json_object_get(j, "proposals");
  uint32_t np = pl_scenario_num_parties(s), v[64];
  cr_assert_eq(pl_scenario_num_proposals(s), json_array_size(arr));
  for (uint32_t k = 0; k < pl_scenario_num_proposals(s); k++) {
    const json_t *p = json_array_get(arr, k);
    cr_expect_str_eq(pl_proposal_name(s, k),
                     json_string_value(json_object_get(p, "name")));
    const json_t *by = json_object_get(p, "by");
    if (by)
      cr_expect_str_eq(pl_proposal_by(s, k), json_string_value(by));
    else
      cr_expect_null(pl_proposal_by(s, k));
    cr_assert(pl_proposal_values(s, k, v));
    expect_package(s, v, json_object_get(p, "outcome"));
    cr_expect_eq(pl_outcome_feasible(s, v),
                 json_is_true(json_object_get(p, "feasible")));
    cr_expect_eq(pl_outcome_in_zone(s, v),
                 json_is_true(json_object_get(p, "in_zone")));
    size_t violated = 0;
    for (uint32_t c = 0; c < pl_scenario_num_constraints(s); c++)
      if (!pl_constraint_holds(s, c, v))
        cr_expect_str_eq(
            pl_constraint_name(s, c),
            json_string_value(json_array_get(
                json_object_get(p, "violated_constraints"), violated++)));
    cr_expect_eq(violated,
                 json_array_size(json_object_get(p, "violated_constraints")));
    const json_t *parties = json_object_get(p, "parties");
    for (uint32_t x = 0; x < np; x++) {
      const json_t *e = json_object_get(parties, pl_party_name(s, x));
      cr_expect(CLOSE(pl_party_utility(s, x, v),
                      json_number_value(json_object_get(e, "utility"))));
      cr_expect_eq(pl_party_accepts(s, x, v),
                   json_is_true(json_object_get(e, "accepts")));
      cr_expect_eq(pl_party_red_lines_hold(s, x, v),
                   json_is_true(json_object_get(e, "red_lines_respected")));
    }
    const json_t *rats = json_object_get(p, "ratifiers");
    for (uint32_t r = 0; r < pl_scenario_num_ratifiers(s); r++) {
      const json_t *e = json_object_get(rats, pl_ratifier_name(s, r));
      cr_expect(CLOSE(pl_ratifier_utility(s, r, v),
                      json_number_value(json_object_get(e, "utility"))));
      cr_expect_eq(pl_ratifier_approves(s, r, v),
                   json_is_true(json_object_get(e, "approves")));
    }
  }
}

/* Analyses s with the cap and checks every accessor against the JSON. */
static void check_analysis(const pl_scenario *s, uint64_t max_outcomes) {
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = 2;
  if (max_outcomes)
    o.max_outcomes = max_outcomes;
  pl_diag *d = pl_diag_new();
  pl_status st;
  pl_analysis *a = pl_analyze(s, &o, d, &st);
  cr_assert_not_null(a, "status %d", st);
  json_t *j = parse_buffer(analysis_json, a);
  check_counts(s, a, j);
  check_frontier(s, a, j);
  check_solutions(s, a, j);
  check_margins(s, a, j);
  check_blocking(s, a, j);
  check_proposals(s, j);
  json_decref(j);
  pl_analysis_free(a);
  pl_diag_free(d);
}

Test(results, the_builtin_talks) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_builtin("talks", d);
  cr_assert_not_null(s);
  check_analysis(s, 0);
  /* Above the cap: branch and bound, counts by meet in the middle. */
  check_analysis(s, 1000);
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(results, a_scenario_with_a_zone) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load_file(data_path("cli_small.json"), d);
  cr_assert_not_null(s);
  check_analysis(s, 0);
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(results, generated_scenarios) {
  for (uint64_t seed = 1; seed <= 6; seed++) {
    pl_generate_options g = {.parties = 2 + (uint32_t)(seed % 3),
                             .issues = 3 + (uint32_t)(seed % 3),
                             .values = 4,
                             .seed = seed};
    pl_diag *d = pl_diag_new();
    pl_scenario *s = pl_generate(&g, d);
    cr_assert_not_null(s);
    check_analysis(s, 0);
    check_analysis(s, 50); /* above the cap */
    pl_scenario_free(s);
    pl_diag_free(d);
  }
}

/* ---- Negotiations -------------------------------------------------------- */

static const char *party_or_mediator(const pl_scenario *s, int32_t p) {
  return p < 0 ? "mediator" : pl_party_name(s, (uint32_t)p);
}

static void check_negotiation(const pl_scenario *s,
                              const pl_negotiation_options *o) {
  pl_diag *d = pl_diag_new();
  pl_status st;
  pl_negotiation *n = pl_negotiate(s, o, d, &st);
  cr_assert_not_null(n);
  json_t *j = parse_buffer(negotiation_json, n);
  uint32_t np = pl_scenario_num_parties(s), v[64];
  double u[64];
  const json_t *reason = json_object_get(j, "reason");
  cr_expect_str_eq(pl_end_name(pl_negotiation_end(n)),
                   json_string_value(json_object_get(reason, "kind")));
  const json_t *by = json_object_get(reason, "by");
  int32_t who = pl_negotiation_end_by(n);
  if (json_is_null(by))
    cr_expect_eq(who, -1);
  else
    cr_expect_str_eq(who < (int32_t)np
                         ? pl_party_name(s, (uint32_t)who)
                         : pl_ratifier_name(s, (uint32_t)who - np),
                     json_string_value(by));
  const json_t *agreement = json_object_get(j, "agreement");
  cr_expect_eq(pl_negotiation_agreement(n, v), !json_is_null(agreement));
  if (!json_is_null(agreement))
    expect_package(s, v, json_object_get(agreement, "outcome"));
  pl_negotiation_utilities(n, u);
  expect_utilities(u, json_object_get(j, "utilities"), np);
  pl_negotiation_discounted(n, u);
  const json_t *disc = json_object_get(j, "discounted_utilities");
  expect_utilities(u, disc ? disc : json_object_get(j, "utilities"), np);
  cr_expect_eq(pl_negotiation_rounds(n),
               (uint32_t)json_integer_value(json_object_get(j, "rounds")));
  cr_expect_eq(pl_negotiation_seed(n),
               (uint64_t)json_integer_value(json_object_get(j, "seed")));
  for (uint32_t p = 0; p < np; p++)
    cr_expect_str_eq(
        pl_negotiation_agent(n, p),
        json_string_value(json_array_get(json_object_get(j, "agents"), p)));
  double x = 0;
  bool has = pl_negotiation_pareto_distance(n, &x);
  expect_maybe(has, x, json_object_get(j, "pareto_distance"));
  has = pl_negotiation_nash_distance(n, &x);
  expect_maybe(has, x, json_object_get(j, "nash_distance"));
  cr_expect(CLOSE(pl_negotiation_welfare(n),
                  json_number_value(json_object_get(j, "welfare"))));
  const json_t *viol = json_object_get(j, "violation");
  cr_expect_str_eq(pl_negotiation_violation(n),
                   viol ? json_string_value(viol) : "");
  const json_t *trace = json_object_get(j, "trace");
  cr_assert_eq(pl_negotiation_trace_size(n), json_array_size(trace));
  static const char *const acts[] = {"offer", "accept", "end"};
  bool mediated = o->protocol && !strcmp(o->protocol, "mediated");
  for (size_t k = 0; k < json_array_size(trace); k++) {
    const json_t *e = json_array_get(trace, k);
    pl_trace_event ev;
    cr_assert(pl_negotiation_trace_event(n, k, &ev, v));
    cr_expect_eq(ev.round,
                 (uint32_t)json_integer_value(json_object_get(e, "round")));
    cr_expect_str_eq(party_or_mediator(s, ev.party),
                     json_string_value(json_object_get(e, "party")));
    cr_expect_str_eq(mediated ? "draft" : acts[ev.action],
                     json_string_value(json_object_get(e, "action")));
    cr_expect(CLOSE(ev.t, json_number_value(json_object_get(e, "t"))));
    cr_expect_eq(ev.has_outcome, json_object_get(e, "outcome") != NULL);
    if (ev.has_outcome)
      expect_package(s, v, json_object_get(e, "outcome"));
    if (mediated) {
      cr_expect_eq(ev.yes,
                   (uint32_t)json_integer_value(json_object_get(e, "yes")));
      cr_expect_eq(ev.kept, json_is_true(json_object_get(e, "kept")));
    }
  }
  cr_expect_not(pl_negotiation_trace_event(n, json_array_size(trace),
                                           &(pl_trace_event){0}, v));
  json_decref(j);
  pl_negotiation_free(n);
  pl_diag_free(d);
}

Test(results, negotiations_and_their_traces) {
  pl_diag *d = pl_diag_new();
  pl_scenario *talks = pl_scenario_builtin("talks", d);
  pl_scenario *small = pl_scenario_load_file(data_path("cli_small.json"), d);
  cr_assert(talks && small);
  pl_negotiation_options o;
  pl_negotiation_options_init(&o);
  o.trace = true;
  check_negotiation(talks, &o); /* deadline: the zone is empty */
  o.agents = "conceder:e=2";
  check_negotiation(small, &o); /* an agreement */
  o.agents = "boulware,tit-for-tat";
  o.trace = false; /* no trace kept: size 0 */
  check_negotiation(small, &o);
  pl_negotiation_options_init(&o);
  o.protocol = "mediated";
  o.trace = true;
  check_negotiation(talks, &o);
  check_negotiation(small, &o);
  for (uint64_t seed = 1; seed <= 3; seed++) {
    pl_generate_options g = {.parties = 2 + (uint32_t)seed % 2,
                             .issues = 3,
                             .values = 5,
                             .seed = seed};
    pl_scenario *s = pl_generate(&g, d);
    pl_negotiation_options_init(&o);
    o.trace = true;
    o.seed = seed;
    o.agents = "micro";
    check_negotiation(s, &o);
    pl_scenario_free(s);
  }
  pl_scenario_free(talks);
  pl_scenario_free(small);
  pl_diag_free(d);
}
