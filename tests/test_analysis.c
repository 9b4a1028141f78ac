/* test_analysis.c - the analysis against hand-worked cases, the reference's
 * worked example, and brute force on random scenarios. */
#define _POSIX_C_SOURCE 200809L
#include "analysis/analysis.h"
#include "analysis/bnb.h"
#include "analysis/mitm.h"
#include "analysis/sums.h"
#include "analysis/sweep.h"
#include "support.h"
#include "util/rng.h"

#include <criterion/criterion.h>
#include <float.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pl_analysis *analyze(const pl_scenario *s, unsigned threads) {
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = threads;
  pl_status st;
  pl_diag *d = pl_diag_new();
  pl_analysis *a = pl_analyze(s, &o, d, &st);
  cr_assert_not_null(a, "analysis failed");
  pl_diag_free(d);
  return a;
}

Test(reference, worked_example_blocking_and_concession) {
  pl_scenario *s = load_reference_example(false);
  pl_analysis *a = analyze(s, 1);
  cr_expect_eq(a->outcomes, 27);
  cr_expect_eq(a->zone, 0, "the agreement zone is empty");
  /* territory blocks alone (6 partial packages); the only minimal pair is
   * {guarantee, sanctions}. Issue indices: territory 0, guarantee 1,
   * sanctions 2. */
  cr_assert_eq(a->nblocks, 2);
  cr_expect_eq(a->blocks[0].nissues, 1);
  cr_expect_eq(a->blocks[0].issues[0], 0);
  cr_expect_eq(a->blocks[0].count, 6);
  cr_expect_eq(a->blocks[1].nissues, 2);
  cr_expect_eq(a->blocks[1].issues[0], 1);
  cr_expect_eq(a->blocks[1].issues[1], 2);
  cr_expect(a->pairs_checked);
  /* delta* = 0.10 at (dmz, europe, phased): U 0.57, R 0.50, M 1.00. */
  cr_assert(a->has_concession);
  cr_expect_float_eq(a->delta, 0.10, 1e-9);
  uint32_t v[3];
  pl_index_to_values(s, a->concession_index, v);
  cr_expect_eq(v[0], 1);
  cr_expect_eq(v[1], 1);
  cr_expect_eq(v[2], 1);
  cr_expect_float_eq(pl_party_utility(s, 0, v), 0.57, 1e-9);
  cr_expect_float_eq(pl_party_utility(s, 1, v), 0.50, 1e-9);
  cr_expect_float_eq(pl_party_utility(s, 2, v), 1.00, 1e-9);
  pl_analysis_free(a);
  pl_scenario_free(s);
}

Test(reference, territory_parking_slack) {
  /* Slack by hand. Territory parked: U assumes held (0.5), R ceded (0.6),
   * M dmz (0.2). Margins (U, R, M) of the six partial packages:
   *   europe,keep     0.85-0.65, 0.72-0.60, 0.65-0.50 -> min 0.12
   *   europe,phased   0.77-0.65, 0.86-0.60, 1.00-0.50 -> min 0.12
   *   europe,lifted   0.65-0.65, ...                  -> min 0
   *   backstop,keep   1.00-0.65, 0.60-0.60, ...       -> min 0
   *   backstop,phased 0.92-0.65, 0.74-0.60, 0.85-0.50 -> min 0.14
   *   backstop,lifted 0.80-0.65, 0.80-0.60, 0.65-0.50 -> min 0.15
   * so the slack is 0.15. */
  pl_scenario *s = load_reference_example(false);
  pl_analysis *a = analyze(s, 1);
  cr_assert_gt(a->nblocks, 0);
  cr_expect_float_eq(a->blocks[0].slack, 0.15, 1e-9);
  pl_analysis_free(a);
  pl_scenario_free(s);
}

/* Two parties, one issue, hand-worked: options a, b, c with utilities
 * A: 1, 0.6, 0.2 and B: 0, 0.5, 1; reservations 0.1 and 0.1. Zone: all
 * three. Frontier: all three (no dominance). Nash products of gains:
 * a 0.9*-0.1 -> not in... a gives B 0 < 0.1, so a is outside the zone.
 * Zone = {b, c}. Gains b: (0.5, 0.4) product 0.2; c: (0.1, 0.9) product
 * 0.09 -> Nash b. Ideal over zone U = (0.6, 1): KS ratios b: (0.5/0.5,
 * 0.4/0.9) min 0.444; c: (0.1/0.5, 1) min 0.2 -> KS b. Egalitarian: min
 * gain b 0.4, c 0.1 -> b. Utilitarian: b 1.1, c 1.2 -> c. */
Test(solutions, hand_worked_two_parties) {
  pl_scenario *s = load_ok(
      "{\"issues\": [{\"name\": \"x\", \"type\": \"categorical\","
      " \"options\": [\"a\", \"b\", \"c\"]}],"
      "\"parties\": ["
      " {\"name\": \"A\", \"reservation\": 0.1, \"weights\": {\"x\": 1},"
      "  \"values\": {\"x\": {\"a\": 1, \"b\": 0.6, \"c\": 0.2}}},"
      " {\"name\": \"B\", \"reservation\": 0.1, \"weights\": {\"x\": 1},"
      "  \"values\": {\"x\": {\"a\": 0, \"b\": 0.5, \"c\": 1}}}]}");
  pl_analysis *a = analyze(s, 1);
  cr_expect_eq(a->zone, 2);
  cr_expect_eq(a->nfront, 2);
  uint32_t v[1];
  cr_assert(pl_analysis_solution(a, PL_SOLUTION_NASH, v));
  cr_expect_eq(v[0], 1);
  pl_analysis_solution(a, PL_SOLUTION_KALAI_SMORODINSKY, v);
  cr_expect_eq(v[0], 1);
  pl_analysis_solution(a, PL_SOLUTION_EGALITARIAN, v);
  cr_expect_eq(v[0], 1);
  pl_analysis_solution(a, PL_SOLUTION_UTILITARIAN, v);
  cr_expect_eq(v[0], 2);
  /* Opposition over feasible {a, b, c}: best utilities A 1, B 1.
   * a: (0)^2+(1)^2 = 1; b: 0.16+0.25 = 0.41; c: 0.64+0 = 0.64 -> sqrt(0.41).
   */
  cr_expect_float_eq(a->opposition, sqrt(0.41), 1e-12);
  /* GENIUS's "KS" over the frontier of all feasible outcomes a (1, 0),
   * b (0.6, 0.5), c (0.2, 1): |u_A - u_B| is 1, 0.1, 0.8 -> b. */
  cr_expect(a->has_genius_ks);
  cr_expect_eq(a->genius_ks, 1);
  pl_analysis_free(a);
  pl_scenario_free(s);
}

/* Ties: two options give identical utilities; the smaller index wins. And
 * a party with no possible gain (same utility everywhere) is left out of
 * the Nash product, which would otherwise be 0 for every package. */
Test(solutions, ties_and_zero_gain_party) {
  pl_scenario *s = load_ok(
      "{\"issues\": [{\"name\": \"x\", \"type\": \"categorical\","
      " \"options\": [\"a\", \"b\", \"c\", \"d\"]}],"
      "\"parties\": ["
      " {\"name\": \"A\", \"reservation\": 0, \"weights\": {\"x\": 1},"
      "  \"values\": {\"x\": {\"a\": 0.2, \"b\": 0.7, \"c\": 0.7, \"d\": "
      "0.4}}},"
      " {\"name\": \"B\", \"reservation\": 0.5, \"weights\": {\"x\": 1},"
      "  \"values\": {\"x\": {\"a\": 0.5, \"b\": 0.5, \"c\": 0.5, \"d\": 0.5}}}"
      "]}");
  pl_analysis *a = analyze(s, 1);
  cr_expect_eq(a->zone, 4);
  /* Frontier: b and c (equal vectors, ties kept); a and d are dominated. */
  cr_expect_eq(a->nfront, 2);
  cr_expect_eq(a->front_distinct, 1);
  uint32_t v[1];
  for (int w = 0; w < 4; w++) {
    cr_assert(pl_analysis_solution(a, (pl_solution)w, v));
    cr_expect_eq(v[0], 1, "solution %d should pick b (index 1), got %u", w,
                 v[0]);
  }
  pl_analysis_free(a);
  pl_scenario_free(s);
}

/* ---- Brute force on random scenarios ------------------------------------ */

/* Which rules a random scenario gets. RULES_LAST puts a red line on the
 * last issue, so the enumeration takes its general kernel and parking its
 * slow path; RULES_EARLY keeps the rules off the last issue, so the block
 * kernel runs with rules checked once per block. */
enum { RULES_NONE = 0, RULES_LAST = 1, RULES_EARLY = 2 };

/* A random scenario as JSON: categorical issues, random tables, 0 to 2
 * ratifiers, and the rules `rules` says. */
static char *random_scenario(uint64_t seed, int rules) {
  pl_rng r;
  pl_rng_seed(&r, seed);
  uint32_t ni = 2 + (uint32_t)pl_rng_below(&r, 3);
  uint32_t np = 2 + (uint32_t)pl_rng_below(&r, 3);
  uint32_t nr = (uint32_t)pl_rng_below(&r, 3);
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
#define OUT(...) n += (size_t)snprintf(buf + n, cap - n, __VA_ARGS__)
  uint32_t nv[8];
  for (uint32_t i = 0; i < ni; i++)
    nv[i] = 2 + (uint32_t)pl_rng_below(&r, 3);
  n += put_categorical_issues(buf + n, cap - n, ni, nv);
  if (rules == RULES_LAST || (rules == RULES_EARLY && ni > 2))
    OUT(", \"constraints\": [\"i0 != 'v0' or i1 != 'v1'\"]");
  for (uint32_t kind = 0; kind < 2; kind++) {
    uint32_t count = kind ? nr : np;
    if (!count)
      continue;
    OUT(", \"%s\": [", kind ? "ratifiers" : "parties");
    for (uint32_t p = 0; p < count; p++) {
      /* Weights 1/ni (6 decimals), the rest on the last issue. */
      double w = floor(1e6 / ni) / 1e6;
      OUT("%s{\"name\": \"%c%u\", \"%s\": %.2f, \"weights\": {", p ? "," : "",
          kind ? 'Q' : 'P', p, kind ? "threshold" : "reservation",
          0.3 + 0.3 * pl_rng_uniform(&r));
      for (uint32_t i = 0; i < ni; i++)
        OUT("%s\"i%u\": %.6f", i ? "," : "", i,
            i + 1 < ni ? w : 1.0 - (ni - 1) * w);
      OUT("}, \"values\": {");
      for (uint32_t i = 0; i < ni; i++) {
        OUT("%s\"i%u\": {", i ? "," : "", i);
        for (uint32_t v = 0; v < nv[i]; v++)
          OUT("%s\"v%u\": %.1f", v ? "," : "", v,
              (double)pl_rng_below(&r, 11) / 10.0);
        OUT("}");
      }
      OUT("}");
      if (!kind && rules && p == 0)
        OUT(", \"red_lines\": [\"i%u != 'v0'\"]",
            rules == RULES_LAST ? ni - 1 : 0);
      OUT("}");
    }
    OUT("]");
  }
  OUT("}");
#undef OUT
  return buf;
}

typedef struct brute {
  uint64_t feasible, zone;
  bool any_ruled;
  double best_margin;
  uint64_t best_index;
} brute;

static double min_margin(const pl_scenario *s, const uint32_t *v) {
  double m = DBL_MAX;
  for (uint32_t a = 0; a < pl_num_actors(s); a++)
    m = fmin(m, pl_actor_utility(s, a, v) - s->actors[a].threshold);
  return m;
}

static bool all_red_lines(const pl_scenario *s, const uint32_t *v) {
  for (uint32_t p = 0; p < s->nparties; p++)
    if (!pl_rules_hold(s, (int32_t)p, v))
      return false;
  return true;
}

/* Every threshold met as the reference compares: u >= t - 1e-9. */
static bool meets_all(const pl_scenario *s, const uint32_t *v) {
  for (uint32_t a = 0; a < pl_num_actors(s); a++)
    if (pl_actor_utility(s, a, v) < s->actors[a].threshold - PL_EPS)
      return false;
  return true;
}

static brute brute_force(const pl_scenario *s) {
  brute b = {0, 0, false, -DBL_MAX, 0};
  uint64_t n;
  pl_space_size(s, &n);
  uint32_t v[PL_MAX_ISSUES];
  for (uint64_t idx = 0; idx < n; idx++) {
    pl_index_to_values(s, idx, v);
    if (!pl_rules_hold(s, -1, v))
      continue;
    b.feasible++;
    if (!all_red_lines(s, v))
      continue;
    double m = min_margin(s, v);
    b.any_ruled = true;
    if (m > b.best_margin) {
      b.best_margin = m;
      b.best_index = idx;
    }
    if (meets_all(s, v))
      b.zone++;
  }
  return b;
}

static bool in_zone(const pl_scenario *s, const uint32_t *v) {
  return pl_rules_hold(s, -1, v) && all_red_lines(s, v) && meets_all(s, v);
}

/* Frontier by the definition: zone points no other zone point dominates. */
static void check_frontier(const pl_scenario *s, const pl_analysis *a) {
  uint64_t n;
  pl_space_size(s, &n);
  uint32_t v[PL_MAX_ISSUES], w[PL_MAX_ISSUES];
  size_t count = 0;
  for (uint64_t x = 0; x < n; x++) {
    pl_index_to_values(s, x, v);
    if (!in_zone(s, v))
      continue;
    bool dominated = false;
    for (uint64_t y = 0; y < n && !dominated; y++) {
      pl_index_to_values(s, y, w);
      if (!in_zone(s, w))
        continue;
      bool ge = true, gt = false;
      for (uint32_t p = 0; p < s->nparties; p++) {
        double ux = pl_actor_utility(s, p, v), uy = pl_actor_utility(s, p, w);
        ge &= uy >= ux;
        gt |= uy > ux;
      }
      dominated = ge && gt;
    }
    if (dominated)
      continue;
    bool listed = false;
    for (size_t k = 0; k < a->nfront; k++)
      listed |= a->front_index[k] == x;
    cr_expect(listed, "outcome %llu is Pareto-optimal but not listed",
              (unsigned long long)x);
    count++;
  }
  cr_expect_eq(a->nfront, count, "frontier has %zu points, brute force %zu",
               a->nfront, count);
}

/* Z^S by the definition of shared/reference/blocking-issues.md: for each
 * partial package, each actor's best completion among those that satisfy
 * the constraints (and, for a party, its red lines); *slack gets the
 * largest smallest margin (best - threshold) over the partial packages in
 * Z^S, -DBL_MAX when there is none. */
static uint64_t brute_park(const pl_scenario *s, const bool *parked,
                           double *slack) {
  uint64_t n;
  pl_space_size(s, &n);
  uint32_t v[PL_MAX_ISSUES];
  uint64_t count = 0;
  *slack = -DBL_MAX;
  for (uint64_t x = 0; x < n; x++) {
    pl_index_to_values(s, x, v);
    bool canonical = true; /* one representative per partial package */
    for (uint32_t i = 0; i < s->nissues; i++)
      canonical &= !parked[i] || v[i] == 0;
    if (!canonical)
      continue;
    bool ok = true;
    double margin = DBL_MAX;
    for (uint32_t a = 0; a < pl_num_actors(s) && ok; a++) {
      double best = -DBL_MAX;
      uint32_t c[PL_MAX_ISSUES];
      for (uint64_t y = 0; y < n; y++) {
        pl_index_to_values(s, y, c);
        bool same = true;
        for (uint32_t i = 0; i < s->nissues; i++)
          same &= parked[i] || c[i] == v[i];
        if (!same || !pl_rules_hold(s, a < s->nparties ? (int32_t)a : -1, c))
          continue;
        best = fmax(best, pl_actor_utility(s, a, c));
      }
      ok = best >= s->actors[a].threshold - PL_EPS;
      margin = fmin(margin, best - s->actors[a].threshold);
    }
    count += ok;
    if (ok)
      *slack = fmax(*slack, margin);
  }
  return count;
}

/* The blocking sets, their counts and (to the bit: the analysis takes its
 * best completions from a table of every outcome below 64 MiB, from the
 * rules and sums otherwise) their slacks. */
static void check_blocking(const pl_scenario *s, const pl_analysis *a) {
  bool alone[PL_MAX_ISSUES] = {false};
  size_t expected = 0;
  double slack;
  for (uint32_t i = 0; i < s->nissues; i++) {
    bool parked[PL_MAX_ISSUES] = {false};
    parked[i] = true;
    uint64_t c = brute_park(s, parked, &slack);
    alone[i] = c > 0;
    if (alone[i]) {
      cr_assert_lt(expected, a->nblocks);
      cr_expect_eq(a->blocks[expected].nissues, 1);
      cr_expect_eq(a->blocks[expected].issues[0], i);
      cr_expect_eq(a->blocks[expected].count, c);
      cr_expect_eq(a->blocks[expected].slack, slack);
      expected++;
    }
  }
  for (uint32_t i = 0; i < s->nissues; i++)
    for (uint32_t j = i + 1; j < s->nissues; j++) {
      if (alone[i] || alone[j])
        continue;
      bool parked[PL_MAX_ISSUES] = {false};
      parked[i] = parked[j] = true;
      uint64_t c = brute_park(s, parked, &slack);
      if (!c)
        continue;
      cr_assert_lt(expected, a->nblocks);
      cr_expect_eq(a->blocks[expected].issues[0], i);
      cr_expect_eq(a->blocks[expected].issues[1], j);
      cr_expect_eq(a->blocks[expected].count, c);
      cr_expect_eq(a->blocks[expected].slack, slack);
      expected++;
    }
  cr_expect_eq(a->nblocks, expected);
}

/* What the random cases covered, so the tests can insist on coverage. */
typedef struct coverage {
  int empty_zone, blocked, open_zone, swept;
  int planned, declined_some, declined_none; /* the planner's choices */
  int grouped; /* the planner's sweep grouped equal partial sums */
} coverage;

/* A third of the scenarios get thresholds every outcome meets, where the
 * planner counts in closed form (zone = every outcome): 0 for every actor,
 * and for the first party exactly its smallest utility (smallest terms
 * summed in issue order, as the scan sums). One in nine has that threshold
 * 2e-9 higher instead, just out of reach (u >= t - 1e-9 fails for the
 * smallest outcome): the zone is then some of the space. Every sixth
 * scenario also has party 0's terms scaled by 1.25 and capped at 1, as
 * GENIUS caps a profile whose weights sum above 1: the cap then acts. */
static void lower_thresholds(pl_scenario *s, uint64_t seed) {
  if (seed % 3 != 0)
    return;
  if (seed % 6 == 0) {
    for (uint32_t x = 0; x < s->total_values; x++)
      s->term[0][x] *= 1.25;
    s->actors[0].capped = true;
    s->nonadditive = true;
  }
  for (uint32_t a = 0; a < pl_num_actors(s); a++)
    s->actors[a].threshold = 0;
  double u = 0;
  for (uint32_t i = 0; i < s->nissues; i++) {
    double m = s->term[0][s->offset[i]];
    for (uint32_t v = 1; v < s->issues[i].nvalues; v++)
      m = fmin(m, s->term[0][s->offset[i] + v]);
    u += m;
  }
  s->actors[0].threshold = fmin(u, 1.0) + (seed % 9 == 3 ? 2e-9 : 0);
}

static bool same_doubles(const double *x, const double *y, size_t n) {
  return n == 0 || !memcmp(x, y, n * sizeof *x);
}

/* The planner (PL_PLAN_ALWAYS: its methods whatever the size) gives every
 * number the enumeration e gives, to the bit; it takes its closed form
 * exactly when the zone is every outcome and no rule applies. */
static void check_planner(const pl_scenario *s, const pl_analysis *e,
                          uint64_t seed, coverage *cov, int plan) {
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = 1;
  o.plan = plan;
  pl_status st;
  pl_diag *d = pl_diag_new();
  pl_analysis *p = pl_analyze(s, &o, d, &st);
  cr_assert_not_null(p, "seed %llu: planned analysis failed",
                     (unsigned long long)seed);
  uint32_t np = s->nparties, nr = s->nratifiers;
  bool rules = s->nconstraints > 0;
  for (uint32_t x = 0; x < np; x++)
    rules |= s->actors[x].nred_lines > 0;
  bool everything = e->zone == e->outcomes && !rules;
  cov->planned += p->count_method != NULL;
  cov->grouped += p->sums_grouped;
  cov->declined_some += !p->count_method && e->zone > 0;
  cov->declined_none += !p->count_method && e->zone == 0;
  /* The closed form needs the smallest outcome in the zone; with the
   * threshold 2e-9 above it the zone is some of the space. */
  if (p->count_method)
    cr_expect(everything, "seed %llu: closed form on a partial zone",
              (unsigned long long)seed);
  cr_expect(p->enumerated);
  /* The JSON's counted_by says how the counts were made (issue 13). */
  cr_expect_eq(pl_analysis_method(p, PL_STAGE_COUNT),
               p->count_method ? PL_METHOD_CLOSED_FORM : PL_METHOD_ENUMERATION);
  cr_expect_str_eq(pl_method_name(pl_analysis_method(p, PL_STAGE_COUNT)),
                   p->count_method ? "closed-form" : "enumeration");
  cr_expect_eq(p->feasible, e->feasible);
  cr_expect_eq(p->zone, e->zone, "seed %llu", (unsigned long long)seed);
  for (uint32_t x = 0; x < np; x++)
    cr_expect_eq(p->acceptable[x], e->acceptable[x]);
  for (uint32_t x = 0; x < nr; x++)
    cr_expect_eq(p->approved[x], e->approved[x]);
  cr_expect(same_doubles(p->best_feasible, e->best_feasible, np));
  cr_expect_eq(p->open != NULL, e->open != NULL);
  if (p->open && e->open)
    cr_expect(!memcmp(p->open, e->open, s->total_values));
  if (e->zone > 0)
    cr_expect(same_doubles(p->ideal, e->ideal, np));
  cr_assert_eq(p->nfront, e->nfront, "seed %llu", (unsigned long long)seed);
  cr_expect_eq(p->front_distinct, e->front_distinct);
  for (size_t f = 0; f < e->nfront; f++)
    cr_expect_eq(p->front_index[f], e->front_index[f]);
  cr_expect(same_doubles(p->front_u, e->front_u, e->nfront * np));
  cr_expect_eq(p->has_solution, e->has_solution);
  for (int w = 0; w < PL_NUM_SOLUTIONS && e->has_solution; w++)
    cr_expect_eq(p->solution[w], e->solution[w], "seed %llu: solution %d",
                 (unsigned long long)seed, w);
  cr_expect_eq(p->has_genius_ks, e->has_genius_ks);
  if (e->has_genius_ks)
    cr_expect_eq(p->genius_ks, e->genius_ks);
  cr_expect_eq(p->has_opposition, e->has_opposition);
  if (e->has_opposition)
    cr_expect_eq(p->opposition, e->opposition, "seed %llu",
                 (unsigned long long)seed);
  cr_expect_eq(p->has_zone_slack, e->has_zone_slack);
  if (e->has_zone_slack)
    cr_expect_eq(p->zone_slack, e->zone_slack, "seed %llu",
                 (unsigned long long)seed);
  cr_expect_eq(p->has_concession, e->has_concession);
  if (e->has_concession) {
    cr_expect_eq(p->delta, e->delta);
    cr_expect_eq(p->concession_index, e->concession_index);
  }
  cr_expect_eq(p->nblocks, e->nblocks);
  pl_analysis_free(p);
  pl_diag_free(d);
}

/* Above --max-outcomes the counts come from meet in the middle whenever
 * it applies (at most three actors, rules within halves): exactly the
 * enumeration's. */
static void check_counts_by_halves(const pl_scenario *s, const pl_analysis *e,
                                   const pl_analysis *b) {
  cr_expect_eq(b->counted_mitm, pl_mitm_applies(s));
  if (!b->counted_mitm)
    return;
  cr_expect_eq(b->feasible, e->feasible);
  cr_expect_eq(b->zone, e->zone);
  for (uint32_t p = 0; p < s->nparties; p++)
    cr_expect_eq(b->acceptable[p], e->acceptable[p], "party %u", p);
  for (uint32_t q = 0; q < s->nratifiers; q++)
    cr_expect_eq(b->approved[q], e->approved[q], "ratifier %u", q);
}

/* Above --max-outcomes the zone's slack, the concession and the blocking
 * sets come from a branch and bound on the margin: the same sets, slacks
 * and concession package to the bit; only the counts of Z^S are unknown. */
static void check_margins_by_search(const pl_analysis *e,
                                    const pl_analysis *b) {
  cr_expect_eq(b->has_zone_slack, e->has_zone_slack);
  if (e->has_zone_slack && b->has_zone_slack)
    cr_expect_eq(b->zone_slack, e->zone_slack);
  if (e->zone > 0)
    return;
  cr_expect_eq(b->has_concession, e->has_concession);
  if (e->has_concession && b->has_concession) {
    cr_expect_eq(b->delta, e->delta);
    cr_expect_eq(b->concession_index, e->concession_index);
  }
  cr_expect(b->blocking_searched);
  cr_expect_eq(b->pairs_checked, e->pairs_checked);
  cr_assert_eq(b->nblocks, e->nblocks);
  for (size_t k = 0; k < e->nblocks; k++) {
    const pl_block *x = &e->blocks[k], *y = &b->blocks[k];
    cr_expect_eq(y->nissues, x->nissues);
    for (uint32_t j = 0; j < x->nissues; j++)
      cr_expect_eq(y->issues[j], x->issues[j]);
    cr_expect_eq(y->slack, x->slack);
    cr_expect_eq(y->count, PL_NOT_COUNTED);
  }
}

/* Above --max-outcomes the frontier comes from branch and bound: it must
 * hold the same distinct points, each represented by the smallest outcome
 * index among its ties, and so give the same solutions. */
static bool check_branch_and_bound(const pl_scenario *s, const pl_analysis *e) {
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.max_outcomes = 1;
  pl_status st;
  pl_diag *d = pl_diag_new();
  pl_analysis *b = pl_analyze(s, &o, d, &st);
  cr_assert_not_null(b, "branch and bound refused");
  cr_expect(!b->enumerated);
  uint32_t np = s->nparties;
  if (b->frontier_method == PL_FRONTIER_SWEEP) {
    /* The sweep finds the frontier with its ties, as enumeration does. */
    cr_assert_eq(b->nfront, e->nfront);
    for (size_t f = 0; f < e->nfront; f++) {
      cr_expect_eq(b->front_index[f], e->front_index[f]);
      cr_expect(!memcmp(b->front_u + f * np, e->front_u + f * np,
                        np * sizeof(double)));
    }
  }
  cr_assert_eq(b->front_distinct, e->front_distinct);
  size_t k = 0;
  for (size_t f = 0; b->frontier_method != PL_FRONTIER_SWEEP && f < e->nfront;
       f++) {
    if (f > 0 && !memcmp(e->front_u + f * np, e->front_u + (f - 1) * np,
                         np * sizeof(double)))
      continue; /* a tie: the first of a run has the smallest index */
    cr_expect_eq(b->front_index[k], e->front_index[f]);
    cr_expect(
        !memcmp(b->front_u + k * np, e->front_u + f * np, np * sizeof(double)));
    k++;
  }
  cr_expect_eq(b->has_solution, e->has_solution);
  for (int w = 0; w < PL_NUM_SOLUTIONS && e->has_solution; w++)
    cr_expect_eq(b->solution[w], e->solution[w], "solution %d", w);
  cr_expect_eq(b->has_genius_ks, e->has_genius_ks);
  if (e->has_genius_ks)
    cr_expect_eq(b->genius_ks, e->genius_ks);
  cr_expect_eq(b->has_opposition, e->has_opposition);
  if (e->has_opposition)
    cr_expect_float_eq(b->opposition, e->opposition, 1e-12);
  check_margins_by_search(e, b);
  check_counts_by_halves(s, e, b);
  bool swept = b->frontier_method == PL_FRONTIER_SWEEP;
  pl_analysis_free(b);
  pl_diag_free(d);
  return swept;
}

/* The branch and bound on each objective (used when the frontier is too
 * large to find) picks the same solutions and ideal point. */
static void check_solution_search(const pl_scenario *s, const pl_analysis *e,
                                  uint64_t seed) {
  pl_analysis b;
  memset(&b, 0, sizeof b);
  b.s = s;
  bool complete;
  cr_assert(pl_bnb_solutions(s, 100000000ULL, &b, &complete));
  cr_expect(complete);
  cr_expect_eq(b.has_solution, e->has_solution);
  for (int w = 0; w < PL_NUM_SOLUTIONS && e->has_solution; w++)
    cr_expect_eq(b.solution[w], e->solution[w], "seed %llu: solution %d",
                 (unsigned long long)seed, w);
  for (uint32_t p = 0; p < s->nparties && e->has_solution; p++)
    cr_expect_eq(b.ideal[p], e->ideal[p], "seed %llu: ideal of party %u",
                 (unsigned long long)seed, p);
  free(b.ideal);
}

static void check_random(uint64_t seed, int rules, coverage *cov) {
  char *json = random_scenario(seed, rules);
  pl_scenario *s = load_ok(json);
  free(json);
  lower_thresholds(s, seed);
  pl_analysis *a1 = analyze(s, 1), *a2 = analyze(s, 2);
  check_planner(s, a1, seed, cov, PL_PLAN_ALWAYS);
  brute b = brute_force(s);
  cr_expect_eq(a1->feasible, b.feasible, "seed %llu", (unsigned long long)seed);
  cr_expect_eq(a1->zone, b.zone, "seed %llu", (unsigned long long)seed);
  check_frontier(s, a1);
  if (b.zone == 0 && b.any_ruled) {
    cr_expect(a1->has_concession);
    cr_expect_eq(a1->delta, -b.best_margin);
    cr_expect_eq(a1->concession_index, b.best_index);
  }
  if (b.zone == 0)
    check_blocking(s, a1);
  cov->swept += check_branch_and_bound(s, a1);
  check_solution_search(s, a1, seed);
  cov->empty_zone += b.zone == 0;
  cov->blocked += a1->nblocks > 0;
  cov->open_zone += b.zone > 0;
  /* One thread or two: the same results, to the bit. */
  cr_expect_eq(a1->zone, a2->zone);
  cr_expect_eq(a1->nfront, a2->nfront);
  for (size_t k = 0; k < a1->nfront && k < a2->nfront; k++)
    cr_expect_eq(a1->front_index[k], a2->front_index[k]);
  cr_expect_eq(a1->has_solution, a2->has_solution);
  for (int w = 0; w < PL_NUM_SOLUTIONS; w++)
    cr_expect_eq(a1->solution[w], a2->solution[w]);
  cr_expect_eq(a1->opposition, a2->opposition);
  cr_expect_eq(a1->nblocks, a2->nblocks);
  pl_analysis_free(a1);
  pl_analysis_free(a2);
  pl_scenario_free(s);
}

static void check_coverage(const coverage *c) {
  cr_log_info("empty zone %d, blocked %d, open zone %d; planner: closed "
              "form %d, declined on %d partial and %d empty zones",
              c->empty_zone, c->blocked, c->open_zone, c->planned,
              c->declined_some, c->declined_none);
  cr_expect_gt(c->declined_some, 10, "too few partial zones for the planner");
  cr_expect_gt(c->declined_none, 10, "too few empty zones for the planner");
  cr_expect_gt(c->empty_zone, 10, "too few cases with an empty zone");
  cr_expect_gt(c->blocked, 5, "too few cases with blocking issues");
  cr_expect_gt(c->open_zone, 10, "too few cases with agreements");
}

/* 3,000 random scenarios in all (issue 6 asks for thousands). */
Test(brute_force, random_scenarios_without_rules) {
  coverage c = {0};
  for (uint64_t seed = 1; seed <= 1000; seed++)
    check_random(seed, RULES_NONE, &c);
  check_coverage(&c);
  cr_expect_eq(c.swept, 1000, "without rules the frontier is always swept");
  /* Thresholds at or below every actor's minimum in 2 seeds out of 9
   * (lower_thresholds, 222 of these 1,000): the closed form takes those. */
  cr_expect_geq(c.planned, 222, "the planner's closed form was too rare");
}

Test(brute_force, random_scenarios_with_rules_on_the_last_issue) {
  coverage c = {0};
  for (uint64_t seed = 10000; seed < 11000; seed++)
    check_random(seed, RULES_LAST, &c);
  check_coverage(&c);
}

Test(brute_force, random_scenarios_with_rules_on_early_issues) {
  coverage c = {0};
  for (uint64_t seed = 20000; seed < 21000; seed++)
    check_random(seed, RULES_EARLY, &c);
  check_coverage(&c);
}

/* A generated scenario large enough to be split into many chunks: the
 * frontier, counts and solutions do not depend on the thread count. */
Test(threads, generated_scenario_same_for_1_and_2_threads) {
  pl_generate_options g = {.parties = 3, .issues = 6, .values = 6, .seed = 7};
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_generate(&g, d);
  cr_assert_not_null(s);
  pl_analysis *a1 = analyze(s, 1), *a2 = analyze(s, 2);
  cr_expect_eq(a1->outcomes, 46656); /* 6 issues of 6 values: 6^6 */
  cr_expect_eq(a1->zone, a2->zone);
  cr_expect_eq(a1->nfront, a2->nfront);
  for (size_t k = 0; k < a1->nfront && k < a2->nfront; k++)
    cr_expect_eq(a1->front_index[k], a2->front_index[k]);
  for (int w = 0; w < PL_NUM_SOLUTIONS; w++)
    cr_expect_eq(a1->solution[w], a2->solution[w]);
  cr_expect_eq(a1->opposition, a2->opposition);
  pl_analysis_free(a1);
  pl_analysis_free(a2);
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(limits, above_max_outcomes_uses_branch_and_bound) {
  pl_scenario *s = load_reference_example(false);
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.max_outcomes = 26; /* the example has 27 */
  pl_status st = PL_OK;
  pl_diag *d = pl_diag_new();
  pl_analysis *a = pl_analyze(s, &o, d, &st);
  cr_assert_not_null(a);
  cr_expect(!a->enumerated);
  cr_expect(!a->has_solution, "the zone is empty (reference)");
  /* Blocking and the concession by search, as the reference has them:
   * territory alone, the pair {guarantee, sanctions}, and delta* = 0.10 at
   * (dmz, europe, phased), outcome 1*9 + 1*3 + 1 = 13. */
  cr_assert(a->blocking_searched);
  cr_assert_eq(a->nblocks, 2);
  cr_expect_eq(a->blocks[0].nissues, 1);
  cr_expect_eq(a->blocks[0].issues[0], 0);
  cr_expect_eq(a->blocks[0].count, PL_NOT_COUNTED);
  cr_expect_eq(a->blocks[1].nissues, 2);
  cr_expect_eq(a->blocks[1].issues[0], 1);
  cr_expect_eq(a->blocks[1].issues[1], 2);
  cr_expect(a->has_concession);
  cr_expect_float_eq(a->delta, 0.10, 1e-9);
  cr_expect_eq(a->concession_index, 13);
  pl_analysis_free(a);
  pl_diag_free(d);
  pl_scenario_free(s);
}

/* 64 issues of 2 options: 2^64 outcomes, whose indices do not fit. */
Test(limits, refuses_2_to_the_64) {
  char json[16384];
  size_t n = (size_t)snprintf(json, sizeof json, "{\"issues\": [");
  for (int i = 0; i < 64; i++)
    n += (size_t)snprintf(json + n, sizeof json - n,
                          "%s{\"name\": \"i%d\", \"type\": \"integer\", "
                          "\"min\": 0, \"max\": 1}",
                          i ? "," : "", i);
  n += (size_t)snprintf(json + n, sizeof json - n, "], \"parties\": [");
  for (int p = 0; p < 2; p++) {
    n += (size_t)snprintf(json + n, sizeof json - n,
                          "%s{\"name\": \"P%d\", \"weights\": {", p ? "," : "",
                          p);
    for (int i = 0; i < 64; i++) /* 1/64 = 0.015625 exactly */
      n += (size_t)snprintf(json + n, sizeof json - n, "%s\"i%d\": 0.015625",
                            i ? "," : "", i);
    n += (size_t)snprintf(json + n, sizeof json - n, "}, \"values\": {");
    for (int i = 0; i < 64; i++)
      n += (size_t)snprintf(json + n, sizeof json - n,
                            "%s\"i%d\": {\"shape\": \"linear\", \"best\": "
                            "\"max\"}",
                            i ? "," : "", i);
    n += (size_t)snprintf(json + n, sizeof json - n, "}}");
  }
  snprintf(json + n, sizeof json - n, "]}");
  pl_scenario *s = load_ok(json);
  uint64_t count;
  cr_expect(!pl_scenario_num_outcomes(s, &count), "2^64 does not fit");
  pl_status st = PL_OK;
  pl_diag *d = pl_diag_new();
  cr_expect_null(pl_analyze(s, NULL, d, &st));
  cr_expect_eq(st, PL_EREFUSED);
  cr_assert_gt(pl_diag_count(d), 0);
  cr_expect_not_null(strstr(pl_diag_get(d, 0).message, "2^63"));
  pl_diag_free(d);
  pl_scenario_free(s);
}

/* 63 issues of 2 values: 2^63 outcomes fit in 64 bits but not in JSON's
 * signed integers, where counts and indices are written: refused too. */
Test(limits, refuses_2_to_the_63) {
  pl_generate_options g = {.parties = 2, .issues = 63, .values = 2, .seed = 1};
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_generate(&g, d);
  cr_assert_not_null(s);
  pl_status st = PL_OK;
  cr_expect_null(pl_analyze(s, NULL, d, &st));
  cr_expect_eq(st, PL_EREFUSED);
  cr_assert_gt(pl_diag_count(d), 0);
  cr_expect_not_null(strstr(pl_diag_get(d, 0).message, "2^63"));
  pl_diag_free(d);
  pl_scenario_free(s);
}

static pl_analysis *analyze_capped(const pl_scenario *s, uint64_t cap);

/* A red line that mentions no issue ("false") shuts every package out; the
 * searches above the cap must see it as the enumeration does (review of
 * issue 6: they once checked rules only at their last issue). */
Test(limits, constant_red_line_is_seen_above_the_cap) {
  static const char *json =
      "{\"issues\": ["
      "{\"name\": \"a\", \"type\": \"categorical\", \"options\": [\"x\", "
      "\"y\", \"z\"]},"
      "{\"name\": \"b\", \"type\": \"categorical\", \"options\": [\"x\", "
      "\"y\"]}],"
      "\"parties\": ["
      "{\"name\": \"P\", \"reservation\": 0.5, \"weights\": {\"a\": 0.5, "
      "\"b\": 0.5}, \"values\": {\"a\": {\"x\": 1, \"y\": 0.5, \"z\": 0}, "
      "\"b\": {\"x\": 1, \"y\": 0}}, \"red_lines\": [\"false\"]},"
      "{\"name\": \"Q\", \"reservation\": 0.5, \"weights\": {\"a\": 0.5, "
      "\"b\": 0.5}, \"values\": {\"a\": {\"x\": 0, \"y\": 0.5, \"z\": 1}, "
      "\"b\": {\"x\": 0, \"y\": 1}}}]}";
  pl_scenario *s = load_ok(json);
  pl_analysis *e = analyze_capped(s, 1000), *b = analyze_capped(s, 1);
  cr_expect_eq(e->zone, 0);
  cr_expect(!e->has_concession, "no package keeps the red line");
  cr_expect(!b->has_solution);
  cr_expect(!b->has_zone_slack);
  cr_expect(!b->has_concession);
  cr_expect_eq(b->nblocks, 0);
  cr_expect(b->counted_mitm);
  cr_expect_eq(b->zone, 0);
  pl_analysis_free(e);
  pl_analysis_free(b);
  pl_scenario_free(s);
}

/* ---- Large spaces with an empty zone ------------------------------------ */

static pl_scenario *generated(uint32_t parties, uint32_t issues,
                              uint64_t seed) {
  pl_generate_options g = {
      .parties = parties, .issues = issues, .values = 10, .seed = seed};
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_generate(&g, d);
  cr_assert_not_null(s);
  pl_diag_free(d);
  return s;
}

/* Every reservation value 0; party 0 scaled by 1.25 and capped at 1 when
 * asked (the cap then acts: the GENIUS reading of weights summing above
 * 1). */
static void zero_reservations(pl_scenario *s, bool capped) {
  for (uint32_t a = 0; a < pl_num_actors(s); a++)
    s->actors[a].threshold = 0;
  if (capped) {
    for (uint32_t x = 0; x < s->total_values; x++)
      s->term[0][x] *= 1.25;
    s->actors[0].capped = s->nonadditive = true;
  }
}

/* The enumeration's analysis (PL_PLAN_ENUMERATE), then the planner's
 * (plan) checked against it. */
static pl_analysis *check_planner_against_enumeration(const pl_scenario *s,
                                                      uint64_t seed,
                                                      coverage *cov, int plan) {
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = 2;
  o.plan = PL_PLAN_ENUMERATE;
  pl_status st;
  pl_diag *d = pl_diag_new();
  pl_analysis *e = pl_analyze(s, &o, d, &st);
  cr_assert_not_null(e);
  cr_expect_null(e->count_method);
  check_planner(s, e, seed, cov, plan);
  pl_diag_free(d);
  return e;
}

/* The default planner on 10^6 outcomes (above its 200,000 floor) with
 * every reservation value 0, so that the zone is every outcome: 2 and 3
 * parties, party 0 plain or scaled by 1.25 and capped at 1 (the cap acts:
 * the GENIUS reading of weights summing above 1). It counts in closed form
 * and sweeps, and every number is the enumeration's, to the bit. */
Test(planner, reservation_zero_matches_enumeration) {
  coverage cov = {0};
  for (uint32_t parties = 2; parties <= 3; parties++)
    for (int capped = 0; capped <= 1; capped++) {
      pl_scenario *s = generated(parties, 6, 3);
      zero_reservations(s, capped);
      pl_analysis *e =
          check_planner_against_enumeration(s, parties, &cov, PL_PLAN_AUTO);
      cr_expect_eq(e->zone, 1000000);
      pl_analysis_free(e);
      pl_scenario_free(s);
    }
  cr_expect_eq(cov.planned, 4, "the closed form and the sweep every time");
}

/* Four and five parties (the dominance index's cases), 10^5 outcomes,
 * with the planner's methods whatever the size (PL_PLAN_ALWAYS) against
 * enumeration (PL_PLAN_ENUMERATE), on zones that are all of the space
 * (every threshold 0: closed form and sweep), some of it (the generator's
 * reservation values) and none of it (0.95): every number to the bit. */
Test(planner, four_and_five_parties_match_enumeration) {
  coverage cov = {0};
  for (uint32_t parties = 4; parties <= 5; parties++)
    for (int zone = 0; zone < 3; zone++) {
      pl_scenario *s = generated(parties, 5, 70 + parties);
      for (uint32_t a = 0; zone != 1 && a < pl_num_actors(s); a++)
        s->actors[a].threshold = zone == 0 ? 0 : 0.95;
      int planned = cov.planned;
      pl_analysis *e =
          check_planner_against_enumeration(s, parties, &cov, PL_PLAN_ALWAYS);
      if (zone == 0)
        cr_expect_eq(e->zone, e->outcomes);
      else if (zone == 1)
        cr_expect(e->zone > 0 && e->zone < e->outcomes, "%u parties: %llu",
                  parties, (unsigned long long)e->zone);
      else
        cr_expect_eq(e->zone, 0);
      if (zone == 0)
        cr_expect_gt(e->front_distinct, 100, "a frontier for the index");
      cr_expect_eq(cov.planned - planned, zone == 0,
                   "%u parties, zone %d: the planner's methods exactly when "
                   "the zone is everything",
                   parties, zone);
      pl_analysis_free(e);
      pl_scenario_free(s);
    }
  cr_expect_eq(cov.planned, 2);
  cr_expect_eq(cov.declined_some, 2);
  cr_expect_eq(cov.declined_none, 2);
}

/* Issues that repeat one another, as in GENIUS's AgentHp2 (five issues
 * every party values alike): 10^5 generated outcomes whose five issues
 * all get issue 0's terms, reservation 0, for 2, 3 and 4 parties,
 * party 0 plain or scaled by 1.25 and capped at 1. The planner groups the
 * equal partial sums for 3 and 4 parties (many outcomes share a utility
 * vector, to the bit) and every number, the frontier's ties and their order
 * included, is the enumeration's. */
Test(planner, repeated_issues_group_equal_sums_as_enumeration_ties) {
  coverage cov = {0};
  int tied = 0;
  for (uint32_t parties = 2; parties <= 4; parties++)
    for (int capped = 0; capped <= 1; capped++) {
      pl_scenario *s = generated(parties, 5, 7 + parties);
      for (uint32_t a = 0; a < pl_num_actors(s); a++)
        for (uint32_t i = 1; i < 5; i++)
          for (uint32_t v = 0; v < 10; v++)
            s->term[a][s->offset[i] + v] = s->term[a][s->offset[0] + v];
      zero_reservations(s, capped);
      pl_analysis *e =
          check_planner_against_enumeration(s, parties, &cov, PL_PLAN_ALWAYS);
      tied += e->nfront > e->front_distinct;
      /* and called directly (two parties included): the same archive */
      pl_archive f;
      cr_assert_eq(pl_sums_frontier(s, 10000000, &f), PL_SWEEP_OK);
      cr_assert_eq(f.n, e->nfront, "%u parties", parties);
      for (size_t k = 0; k < f.n; k++)
        cr_expect_eq(f.index[k], e->front_index[k]);
      cr_expect(same_doubles(f.u, e->front_u, f.n * parties));
      pl_archive_free(&f);
      pl_analysis_free(e);
      pl_scenario_free(s);
    }
  cr_expect_eq(cov.planned, 6);
  /* two parties sweep first, which suffices here */
  cr_expect_eq(cov.grouped, 4, "equal partial sums grouped for 3-4 parties");
  cr_expect_geq(tied, 4, "too few frontiers with ties");
}

static pl_analysis *analyze_with(const pl_scenario *s, uint64_t cap,
                                 bool count) {
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.max_outcomes = cap;
  o.no_count = !count;
  o.no_frontier = cap == 0; /* the default cap: these tests need no frontier */
  o.threads = 2;
  return analyze_or_fail(s, &o);
}

static pl_analysis *analyze_capped(const pl_scenario *s, uint64_t cap) {
  return analyze_with(s, cap, true);
}

static void set_thresholds(pl_scenario *s, double t) {
  for (uint32_t p = 0; p < s->nparties; p++)
    s->actors[p].threshold = t;
}

/* 10^5 generated outcomes whose reservations are raised (in steps of 0.02)
 * until the zone is just empty: the searches must find the enumeration's
 * blocking sets, slacks and concession package, and real pruning happens
 * at this size. */
Test(large, searches_match_enumeration_on_generated_empty_zones) {
  for (uint32_t parties = 2; parties <= 5; parties += 3) {
    pl_scenario *s = generated(parties, 5, 11 + parties);
    pl_analysis *e = NULL;
    for (double t = 0.5; t < 1.0; t += 0.02) {
      set_thresholds(s, t);
      pl_analysis_free(e);
      e = analyze_capped(s, 0);
      if (e->zone == 0)
        break;
    }
    cr_assert_eq(e->zone, 0, "no threshold empties the zone");
    cr_assert(e->has_concession);
    pl_analysis *b = analyze_capped(s, 1);
    cr_expect(!b->enumerated);
    check_margins_by_search(e, b);
    pl_analysis_free(b);
    pl_analysis_free(e);
    pl_scenario_free(s);
  }
}

/* 10^12 outcomes, 5 parties, with an empty zone: no enumeration can
 * check these, so
 * the concession is checked by its definition: lowering every threshold by
 * delta* opens the zone, and by 10^-6 less keeps it shut. */
/* Above the cap without the counts: at 10^12 outcomes and five parties
 * meet in the middle would count them in minutes under the sanitizers,
 * and these tests are about the searches. */
static pl_analysis *analyze_uncounted(const pl_scenario *s) {
  return analyze_with(s, 0, false);
}

Test(large, concession_at_10_to_the_12_opens_the_zone_exactly) {
  /* 0.72: the generator draws reservations in 0.2 .. 0.5; raised to 0.72
   * every party at once, this seed's zone is empty (found by trying;
   * bench/huge.sh shows delta* = 0.0365 for it). */
  pl_scenario *s = generated(5, 12, 1);
  set_thresholds(s, 0.72);
  pl_analysis *a = analyze_uncounted(s);
  cr_assert(!a->enumerated);
  cr_assert(!a->has_solution, "the zone should be empty at 0.72");
  cr_assert(a->has_concession);
  cr_expect_gt(a->delta, 0);
  cr_expect(a->blocking_searched);
  cr_expect_gt(a->count_estimate, 0);
  /* The package attains -delta* as its smallest margin. */
  uint32_t v[PL_MAX_ISSUES];
  pl_index_to_values(s, a->concession_index, v);
  double margin = DBL_MAX;
  for (uint32_t p = 0; p < s->nparties; p++)
    margin = fmin(margin, pl_actor_utility(s, p, v) - 0.72);
  cr_expect_eq(margin, -a->delta);
  double delta = a->delta;
  pl_analysis_free(a);
  set_thresholds(s, 0.72 - delta + 1e-6);
  a = analyze_uncounted(s);
  cr_expect(!a->has_solution, "delta* - 1e-6 must not open the zone");
  pl_analysis_free(a);
  set_thresholds(s, 0.72 - delta);
  a = analyze_uncounted(s);
  cr_expect(a->has_solution, "delta* must open the zone");
  cr_expect(a->has_zone_slack);
  pl_analysis_free(a);
  pl_scenario_free(s);
}

/* The sweep's frontiers (zone, and every feasible outcome) equal the
 * enumeration's, ties and all, on generated 10^5-outcome scenarios; from
 * four parties on both sides answer dominance by the index (ndindex.c). */
Test(large, sweep_frontiers_match_enumeration) {
  for (uint32_t parties = 2; parties <= 5; parties++)
    for (int all = 0; all < 2; all++) {
      pl_scenario *s = generated(parties, 5, 40 + parties);
      pl_analysis_options o;
      pl_analysis_options_init(&o);
      o.frontier_all = all;
      pl_status st;
      pl_diag *d = pl_diag_new();
      pl_analysis *e = pl_analyze(s, &o, d, &st);
      o.max_outcomes = 1;
      pl_analysis *b = pl_analyze(s, &o, d, &st);
      cr_assert(e && b);
      cr_assert_eq(b->frontier_method, PL_FRONTIER_SWEEP);
      cr_assert_eq(b->nfront, e->nfront, "%u parties", parties);
      cr_expect_gt(e->nfront, 1);
      for (size_t k = 0; k < e->nfront; k++) {
        cr_expect_eq(b->front_index[k], e->front_index[k]);
        for (uint32_t p = 0; p < parties; p++)
          cr_expect_eq(b->front_u[k * parties + p],
                       e->front_u[k * parties + p]);
      }
      for (int w = 0; w < PL_NUM_SOLUTIONS; w++)
        cr_expect_eq(b->solution[w], e->solution[w]);
      cr_expect_eq(b->opposition, e->opposition);
      /* The bound the sweep reports when it stops early holds here too:
       * every frontier package extends a kept start. */
      pl_archive f;
      pl_sweep_info info;
      cr_assert_eq(pl_sweep_frontier(s, !all, 10000000, &f, &info),
                   PL_SWEEP_OK);
      cr_expect_eq(f.n, e->nfront);
      cr_expect_geq(info.bound, (double)f.n);
      cr_expect_geq(info.peak, 1);
      pl_archive_free(&f);
      pl_analysis_free(e);
      pl_analysis_free(b);
      pl_diag_free(d);
      pl_scenario_free(s);
    }
}

/* The 5-party frontier of 10^12 outcomes (above --max-outcomes), found by
 * the sweep with the dominance index and checked by its definition.
 * Issues 0-2 are in conflict (each party's terms drawn from 0..8/64),
 * issues 3-11 aligned (every party's term v/64 for value v, but value 9
 * of issue 3 is tied with value 8): multiples of 1/64, so every sum is
 * exact in any order. The frontier is then the non-dominated combinations
 * of issues 0-2, with issue 3 at 8 or 9 and the other aligned issues at 9:
 * two outcomes for each combination (ties kept). */
Test(large, five_party_frontier_at_10_to_the_12) {
  pl_scenario *s = generated(5, 12, 1);
  pl_rng r;
  pl_rng_seed(&r, 5);
  for (uint32_t a = 0; a < 5; a++) {
    s->actors[a].threshold = 0;
    for (uint32_t i = 0; i < 12; i++)
      for (uint32_t v = 0; v < 10; v++)
        s->term[a][s->offset[i] + v] =
            i < 3 ? (double)pl_rng_below(&r, 9) / 64
                  : (double)(i == 3 && v == 9 ? 8 : v) / 64;
  }
  enum { COMBOS = 1000 };
  double(*u)[5] = malloc(COMBOS * sizeof *u);
  bool *front = malloc(COMBOS);
  cr_assert(u && front);
  for (uint32_t c = 0; c < COMBOS; c++) {
    uint32_t v[PL_MAX_ISSUES] = {c / 100, c / 10 % 10, c % 10};
    for (uint32_t i = 3; i < 12; i++)
      v[i] = 9;
    for (uint32_t a = 0; a < 5; a++)
      u[c][a] = pl_actor_utility(s, a, v);
  }
  size_t want = 0;
  for (uint32_t c = 0; c < COMBOS; c++) {
    front[c] = true;
    for (uint32_t d = 0; d < COMBOS && front[c]; d++) {
      bool ge = true, gt = false;
      for (uint32_t a = 0; a < 5; a++) {
        ge &= u[d][a] >= u[c][a];
        gt |= u[d][a] > u[c][a];
      }
      front[c] = !(ge && gt);
    }
    want += front[c];
  }
  cr_expect_gt(want, 100, "a frontier large enough for the index's trees");
  pl_analysis *a = analyze(s, 1);
  cr_assert(!a->enumerated, "10^12 is above the default cap");
  cr_assert_eq(a->frontier_method, PL_FRONTIER_SWEEP, "%s", a->frontier_note);
  cr_assert_eq(a->nfront, 2 * want);
  cr_expect_eq(a->front_distinct, want);
  unsigned char seen[COMBOS] = {0};
  for (size_t f = 0; f < a->nfront; f++) {
    uint32_t v[PL_MAX_ISSUES];
    pl_index_to_values(s, a->front_index[f], v);
    uint32_t c = v[0] * 100 + v[1] * 10 + v[2];
    cr_expect(front[c], "combination %u is dominated", c);
    cr_expect(v[3] == 8 || v[3] == 9);
    for (uint32_t i = 4; i < 12; i++)
      cr_expect_eq(v[i], 9);
    seen[c] |= (unsigned char)(v[3] == 8 ? 1 : 2);
    for (uint32_t p = 0; p < 5; p++)
      cr_expect_eq(a->front_u[f * 5 + p], u[c][p]);
  }
  for (uint32_t c = 0; c < COMBOS; c++)
    cr_expect_eq(seen[c], front[c] ? 3 : 0, "combination %u", c);
  /* Each solution is a frontier package. */
  cr_assert(a->has_solution);
  for (int w = 0; w < PL_NUM_SOLUTIONS; w++) {
    uint32_t v[PL_MAX_ISSUES];
    pl_index_to_values(s, a->solution[w], v);
    cr_expect(front[v[0] * 100 + v[1] * 10 + v[2]], "solution %d", w);
  }
  pl_analysis_free(a);
  free(u);
  free(front);
  pl_scenario_free(s);
}

/* Meet in the middle at the very edge: each threshold is set so that an
 * outcome's utility sits right at it (t = u + 1e-9, compared as u >=
 * t - 1e-9), where summing the halves apart and summing in issue order
 * may round differently. The counts must still be the enumeration's. */
Test(large, counts_by_halves_match_enumeration_at_the_edge) {
  /* 2-3 parties: divide and conquer; 4-5: the bit sets of orthant.c. */
  for (uint32_t parties = 2; parties <= 5; parties++)
    for (uint64_t seed = 1; seed <= 6; seed++) {
      pl_scenario *s = generated(parties, 5, 60 + seed);
      uint32_t v[PL_MAX_ISSUES];
      /* Any outcome of the 10^5 will do: a prime stride spreads them. */
      pl_index_to_values(s, seed * 7919 % 100000, v);
      double u[PL_MAX_PARTIES];
      for (uint32_t p = 0; p < parties; p++)
        u[p] = pl_actor_utility(s, p, v);
      for (uint32_t p = 0; p < parties; p++)
        s->actors[p].threshold = u[p] + PL_EPS;
      pl_analysis *e = analyze_capped(s, 1000000);
      pl_analysis_options o;
      pl_analysis_options_init(&o);
      o.max_outcomes = 1;
      o.no_frontier = true;
      pl_status st;
      pl_diag *d = pl_diag_new();
      pl_analysis *b = pl_analyze(s, &o, d, &st);
      cr_assert_not_null(b);
      cr_assert(b->counted_mitm);
      cr_expect_gt(e->zone, 0, "the chosen outcome is in the zone");
      check_counts_by_halves(s, e, b);
      pl_analysis_free(e);
      pl_analysis_free(b);
      pl_diag_free(d);
      pl_scenario_free(s);
    }
}

/* ---- The block kernel against the general one --------------------------- */

/* A generated scenario as JSON, with (when `tautology`) a red line on the
 * last issue that always holds: it changes no answer, but a rule on the
 * last issue sends the enumeration to its general kernel. */
static pl_scenario *generated_with(uint32_t values, uint32_t issues,
                                   bool tautology) {
  pl_generate_options g = {
      .parties = 3, .issues = issues, .values = values, .seed = 5};
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_generate(&g, d);
  cr_assert_not_null(s);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  cr_assert_eq(pl_scenario_write_json(s, f), PL_OK);
  fclose(f);
  pl_scenario_free(s);
  json_t *j = json_loads(text, 0, NULL);
  free(text);
  cr_assert_not_null(j);
  if (tautology) {
    char rule[64];
    snprintf(rule, sizeof rule, "i%u == 'v1' or i%u != 'v1'", issues, issues);
    json_t *p0 = json_array_get(json_object_get(j, "parties"), 0);
    json_object_set_new(p0, "red_lines", json_pack("[s]", rule));
  }
  text = json_dumps(j, JSON_REAL_PRECISION(17));
  json_decref(j);
  s = load_ok(text);
  free(text);
  pl_diag_free(d);
  return s;
}

/* Every number, to the bit, for 1 and 2 threads: the block kernel's three
 * ways of finding a block's mask (compares for up to 16 values, a binary
 * search up to 64) and its bounds against the per-outcome kernel. Above
 * 64 values the block kernel does not apply, which is checked too. */
Test(kernels, block_kernel_equals_general_kernel) {
  /* {values, issues}: up to 16 values the compares, 20 and 40 the binary
   * search, 70 no block kernel; 6.4e4 to 1.6e5 outcomes each. */
  static const uint32_t shapes[][2] = {{5, 7}, {20, 4}, {40, 3}, {70, 3}};
  for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++)
    for (unsigned threads = 1; threads <= 2; threads++) {
      pl_scenario *fast = generated_with(shapes[k][0], shapes[k][1], false);
      pl_scenario *slow = generated_with(shapes[k][0], shapes[k][1], true);
      pl_analysis *a = analyze(fast, threads), *b = analyze(slow, threads);
      cr_assert_eq(a->zone, b->zone, "%u values", shapes[k][0]);
      cr_expect_gt(a->zone, 0);
      cr_expect_eq(a->feasible, b->feasible);
      for (uint32_t p = 0; p < 3; p++) {
        cr_expect_eq(a->acceptable[p], b->acceptable[p]);
        cr_expect_eq(a->ideal[p], b->ideal[p]);
        cr_expect_eq(a->best_feasible[p], b->best_feasible[p]);
      }
      cr_assert_eq(a->nfront, b->nfront);
      for (size_t f = 0; f < a->nfront; f++)
        cr_expect_eq(a->front_index[f], b->front_index[f]);
      for (int w = 0; w < PL_NUM_SOLUTIONS; w++)
        cr_expect_eq(a->solution[w], b->solution[w]);
      cr_expect_eq(a->opposition, b->opposition);
      cr_expect_eq(a->opposition_index, b->opposition_index);
      cr_expect_eq(a->zone_slack, b->zone_slack);
      for (uint32_t v = 0; v < fast->total_values; v++)
        cr_expect_eq(a->open[v], b->open[v]);
      pl_analysis_free(a);
      pl_analysis_free(b);
      pl_scenario_free(fast);
      pl_scenario_free(slow);
    }
}

/* ---- GENIUS's KS from candidates (issue 13, item 7) ----------------------
 *
 * Below 65,536 outcomes the analysis finds GENIUS's KS from the feasible
 * outcomes of smallest spread (pl_genius_ks_by_candidates) instead of the
 * frontier of every feasible outcome; with --frontier all that frontier is
 * still built and the KS taken from it. Both must pick the same package,
 * whether the candidates settle it or the archive is built after all. */
static char *ks_scenario(uint64_t seed) {
  pl_rng r;
  pl_rng_seed(&r, seed);
  uint32_t ni = 3 + (uint32_t)pl_rng_below(&r, 4);
  uint32_t np = 2 + (uint32_t)pl_rng_below(&r, 3);
  bool rule = pl_rng_below(&r, 2);
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
#define OUT(...) n += (size_t)snprintf(buf + n, cap - n, __VA_ARGS__)
  uint32_t nv[8];
  for (uint32_t i = 0; i < ni; i++)
    nv[i] = 2 + (uint32_t)pl_rng_below(&r, 5);
  n += put_categorical_issues(buf + n, cap - n, ni, nv);
  if (rule)
    OUT(", \"constraints\": [\"i0 != 'v0' or i1 != 'v1'\"]");
  OUT(", \"parties\": [");
  for (uint32_t p = 0; p < np; p++) {
    /* Coarse values (tenths) and nearly equal weights: many equal
     * utilities and spreads, so ties between candidates are common. */
    OUT("%s{\"name\": \"P%u\", \"reservation\": %.2f, \"weights\": {",
        p ? "," : "", p, 0.3 + 0.5 * pl_rng_uniform(&r));
    double w = floor(1e6 / ni) / 1e6; /* the rest on the last issue */
    for (uint32_t i = 0; i < ni; i++)
      OUT("%s\"i%u\": %.6f", i ? "," : "", i,
          i + 1 < ni ? w : 1.0 - (ni - 1) * w);
    OUT("}, \"values\": {");
    for (uint32_t i = 0; i < ni; i++) {
      OUT("%s\"i%u\": {", i ? "," : "", i);
      for (uint32_t v = 0; v < nv[i]; v++)
        OUT("%s\"v%u\": %.1f", v ? "," : "", v,
            (double)pl_rng_below(&r, 11) / 10.0);
      OUT("}");
    }
    OUT("}}");
  }
  OUT("]}");
#undef OUT
  return buf;
}

static pl_analysis *analyze_frontier_all(const pl_scenario *s, bool all) {
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = 1;
  o.frontier_all = all;
  pl_status st;
  pl_diag *d = pl_diag_new();
  pl_analysis *a = pl_analyze(s, &o, d, &st);
  cr_assert_not_null(a, "analysis failed");
  pl_diag_free(d);
  return a;
}

Test(genius_ks, candidates_pick_the_frontiers_package) {
  int settled = 0, unsettled = 0;
  for (uint64_t seed = 1; seed <= 400; seed++) {
    char *json = ks_scenario(seed);
    pl_scenario *s = load_ok(json);
    free(json);
    pl_analysis *c = analyze_frontier_all(s, false),
                *e = analyze_frontier_all(s, true);
    cr_expect_eq(c->has_genius_ks, e->has_genius_ks, "seed %llu",
                 (unsigned long long)seed);
    if (e->has_genius_ks)
      cr_expect_eq(c->genius_ks, e->genius_ks, "seed %llu",
                   (unsigned long long)seed);
    pl_analysis t = {.s = s, .outcomes = e->outcomes};
    if (pl_genius_ks_by_candidates(&t)) {
      settled++;
      cr_expect_eq(t.has_genius_ks, e->has_genius_ks);
      if (e->has_genius_ks)
        cr_expect_eq(t.genius_ks, e->genius_ks, "seed %llu",
                     (unsigned long long)seed);
    } else {
      unsettled++;
    }
    pl_analysis_free(c);
    pl_analysis_free(e);
    pl_scenario_free(s);
  }
  cr_log_info("KS by candidates: %d settled, %d by the archive", settled,
              unsettled);
  cr_expect_gt(settled, 200);
}

/* Two parties, one issue of 60 options: 40 packages (k/100, k/100) of
 * spread 0, 19 of (0.2, 0.05), all dominated by the last, (1, 0.9): the 32
 * candidates of smallest spread are all dominated, so the analysis builds
 * the archive after all, and GENIUS's KS is the last option. */
Test(genius_ks, unsettled_candidates_fall_back_to_the_archive) {
  size_t cap = 1 << 14, n = 0;
  char *buf = malloc(cap);
#define OUT(...) n += (size_t)snprintf(buf + n, cap - n, __VA_ARGS__)
  OUT("{\"issues\": [{\"name\": \"x\", \"type\": \"categorical\", "
      "\"options\": [");
  for (int k = 0; k < 60; k++)
    OUT("%s\"o%d\"", k ? "," : "", k);
  OUT("]}], \"parties\": [");
  for (int p = 0; p < 2; p++) {
    OUT("%s{\"name\": \"%c\", \"reservation\": 0.95, \"weights\": "
        "{\"x\": 1}, \"values\": {\"x\": {",
        p ? "," : "", p ? 'B' : 'A');
    for (int k = 0; k < 60; k++)
      OUT("%s\"o%d\": %.2f", k ? "," : "", k,
          k < 40   ? k / 100.0
          : k < 59 ? (p ? 0.05 : 0.2)
                   : (p ? 0.9 : 1.0));
    OUT("}}}");
  }
  OUT("]}");
#undef OUT
  pl_scenario *s = load_ok(buf);
  free(buf);
  pl_analysis t = {.s = s, .outcomes = 60};
  cr_expect_not(pl_genius_ks_by_candidates(&t));
  pl_analysis *a = analyze_frontier_all(s, false);
  cr_expect(a->has_genius_ks);
  cr_expect_eq(a->genius_ks, 59);
  pl_analysis_free(a);
  pl_scenario_free(s);
}
