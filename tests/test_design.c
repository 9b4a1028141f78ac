/* test_design.c - deal design: who blocks (the reference's worked example,
 * by hand), proposal repair against brute force on random scenarios, and
 * bad --package input. */
#define _POSIX_C_SOURCE 200809L
#include "analysis/analysis.h"
#include "analysis/design.h"
#include "parley_design.h"
#include "support.h"
#include "util/rng.h"

#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pl_analysis *analyze_with(const pl_scenario *s, uint64_t max_outcomes,
                                 const char *const *packages, size_t n) {
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = 1;
  if (max_outcomes)
    o.max_outcomes = max_outcomes;
  o.packages = packages;
  o.npackages = n;
  pl_status st;
  pl_diag *d = pl_diag_new();
  pl_analysis *a = pl_analyze(s, &o, d, &st);
  if (!a)
    pl_diag_print(d, stderr);
  cr_assert_not_null(a, "analysis failed");
  pl_diag_free(d);
  return a;
}

static void expect_who(const pl_analysis *a, size_t j, const uint32_t *want,
                       const double *short_by) {
  uint32_t sv[2], v[3];
  double gap[3];
  cr_assert(pl_blocking_who(a, 0, j, sv, v, gap));
  cr_expect_eq(sv[0], j, "territory's value");
  for (int i = 0; i < 3; i++)
    cr_expect_eq(v[i], want[i], "combination %zu, issue %d", j, i);
  for (int x = 0; x < 3; x++)
    cr_expect_float_eq(gap[x], short_by[x], 1e-9, "combination %zu, actor %d",
                       j, x);
}

/* Territory blocks alone (blocking-issues.md). By hand, for each of its
 * values, the best completion maximises min(U - 0.65, R - 0.60, M - 0.50):
 * - held: R gets 0 from territory, so at most 0.2 + 0.2 = 0.4 at (none,
 *   lifted), its only maximum: margin -0.20 there, with U 0.50 (short
 *   0.15), R 0.40 (short 0.20), M 0.12 + 0.06 + 0.30 = 0.48 (short 0.02).
 * - dmz: the reference's concession package (dmz, europe, phased), U 0.57
 *   and R 0.50, short 0.08 and 0.10 (delta* = 0.10 is the global best).
 * - ceded: U gets 0, so at most 0.3 + 0.2 = 0.5 at (backstop, keep), its
 *   only maximum: U short 0.15, R 0.6 (not short), M 0.06 + 0.15 + 0.15 =
 *   0.36 (short 0.14); the reference's "next best package needs 0.15". */
static void check_reference_who(const pl_analysis *a) {
  cr_assert_geq(pl_blocking_count(a), 1);
  uint32_t issues[2];
  cr_assert_eq(pl_blocking_issues(a, 0, issues), 1);
  cr_assert_eq(issues[0], 0);
  cr_assert_eq(pl_blocking_who_count(a, 0), 3);
  expect_who(a, 0, (uint32_t[]){0, 0, 2}, (double[]){0.15, 0.20, 0.02});
  expect_who(a, 1, (uint32_t[]){1, 1, 1}, (double[]){0.08, 0.10, 0});
  expect_who(a, 2, (uint32_t[]){2, 2, 0}, (double[]){0.15, 0, 0.14});
}

Test(who_blocks, reference_example_by_enumeration_and_search) {
  pl_scenario *s = load_reference_example(true);
  pl_analysis *a = analyze_with(s, 0, NULL, 0);
  check_reference_who(a);
  pl_analysis_free(a);
  a = analyze_with(s, 1, NULL, 0); /* above the cap: branch and bound */
  cr_expect(!a->enumerated);
  check_reference_who(a);
  pl_analysis_free(a);
  pl_scenario_free(s);
}

/* R's utility is below 0.60 whatever the rest when territory is held: at
 * most 0 + 0.2 + 0.2 = 0.4. U's with territory ceded: at most 0.5 < 0.65.
 * M can reach its threshold with any value (0.12 + 0.3 + 0.5 >= 0.5 ...). */
Test(who_blocks, values_out_of_reach_by_hand) {
  pl_scenario *s = load_reference_example(true);
  pl_analysis *a = analyze_with(s, 0, NULL, 0);
  cr_expect(pl_value_out_of_reach(a, 1, 0, 0), "R: territory held");
  cr_expect(!pl_value_out_of_reach(a, 1, 0, 1), "R: dmz 0.24 + 0.4 >= 0.6");
  cr_expect(pl_value_out_of_reach(a, 0, 0, 2), "U: territory ceded");
  cr_expect(!pl_value_out_of_reach(a, 0, 0, 1), "U: dmz 0.3 + 0.5 >= 0.65");
  /* U, guarantee none: 0.5 + 0 + 0.2 = 0.7 >= 0.65, in reach. */
  cr_expect(!pl_value_out_of_reach(a, 0, 1, 0));
  for (uint32_t i = 0; i < 3; i++)
    for (uint32_t v = 0; v < 3; v++)
      cr_expect(!pl_value_out_of_reach(a, 2, i, v), "M: %u %u", i, v);
  pl_analysis_free(a);
  pl_scenario_free(s);
}

/* U's offer (held, backstop, keep) gives U 1.0, R 0.0 + 0 + 0 = 0.0, M
 * 0.12 + 0.15 + 0.15 = 0.42. The zone is empty and delta* = 0.10 is only
 * reached at (dmz, europe, phased) (the reference's "next best need 0.15"),
 * which differs from the offer on all three issues. */
Test(repair, reference_example_needs_three_changes_at_delta_star) {
  pl_scenario *s = load_reference_example(true);
  pl_analysis *a = analyze_with(s, 0, NULL, 0);
  cr_assert_eq(pl_repair_count(a), 1);
  uint32_t v[3], n;
  double at;
  cr_assert(pl_repair(a, 0, v, &n, &at));
  cr_expect_eq(n, 3);
  cr_expect_float_eq(at, 0.10, 1e-9);
  cr_expect(v[0] == 1 && v[1] == 1 && v[2] == 1);
  pl_analysis_free(a);
  pl_scenario_free(s);
}

/* ---- Repair against brute force ---------------------------------------- */

/* A random scenario: 2-5 categorical issues of 2-4 values, 2-3 parties with
 * values in tenths (so ties are common), 0-1 ratifier, sometimes a
 * constraint and a red line, and one proposal by P0. */
static char *random_scenario(uint64_t seed) {
  pl_rng r;
  pl_rng_seed(&r, seed);
  uint32_t ni = 2 + (uint32_t)pl_rng_below(&r, 4);
  uint32_t np = 2 + (uint32_t)pl_rng_below(&r, 2);
  uint32_t nr = (uint32_t)pl_rng_below(&r, 2);
  bool rules = pl_rng_below(&r, 2);
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
#define OUT(...) n += (size_t)snprintf(buf + n, cap - n, __VA_ARGS__)
  uint32_t nv[8];
  for (uint32_t i = 0; i < ni; i++)
    nv[i] = 2 + (uint32_t)pl_rng_below(&r, 3);
  n += put_categorical_issues(buf + n, cap - n, ni, nv);
  if (rules)
    OUT(", \"constraints\": [\"i0 != 'v1' or i1 != 'v1'\"]");
  for (uint32_t kind = 0; kind < 2; kind++) {
    uint32_t count = kind ? nr : np;
    if (!count)
      continue;
    OUT(", \"%s\": [", kind ? "ratifiers" : "parties");
    for (uint32_t p = 0; p < count; p++) {
      double w = floor(1e6 / ni) / 1e6;
      OUT("%s{\"name\": \"%c%u\", \"%s\": %.2f, \"weights\": {", p ? "," : "",
          kind ? 'Q' : 'P', p, kind ? "threshold" : "reservation",
          0.3 + 0.4 * pl_rng_uniform(&r));
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
      if (rules && p == 1)
        OUT(", \"red_lines\": [\"i%u != 'v0'\"]", ni - 1);
      OUT("}");
    }
    OUT("]");
  }
  OUT(", \"proposals\": [{\"name\": \"offer\", \"by\": \"P0\", \"outcome\": {");
  for (uint32_t i = 0; i < ni; i++)
    OUT("%s\"i%u\": \"v%u\"", i ? "," : "", i,
        (uint32_t)pl_rng_below(&r, nv[i]));
  OUT("}}]}");
#undef OUT
  return buf;
}

/* The definition of docs/analysis.md 8.1, by visiting every outcome. */
static bool brute_repair(const pl_scenario *s, const pl_analysis *a,
                         const uint32_t *from, uint32_t *dist,
                         uint64_t *index) {
  double delta = pl_zone_empty(a) ? a->delta : 0;
  bool found = false;
  double best_loss = 0;
  uint32_t v[PL_MAX_ISSUES];
  double from_u = pl_actor_utility(s, 0, from);
  for (uint64_t k = 0; k < a->outcomes; k++) {
    pl_index_to_values(s, k, v);
    bool ok = pl_rules_hold(s, -1, v);
    for (uint32_t p = 0; ok && p < s->nparties; p++)
      ok = pl_rules_hold(s, (int32_t)p, v);
    for (uint32_t x = 0; ok && x < pl_num_actors(s); x++)
      ok = pl_actor_utility(s, x, v) >= s->actors[x].threshold - delta - PL_EPS;
    if (!ok)
      continue;
    uint32_t d = 0;
    for (uint32_t i = 0; i < s->nissues; i++)
      d += v[i] != from[i];
    double loss = from_u - pl_actor_utility(s, 0, v);
    /* Visiting in index order: a later tie never replaces. */
    if (!found || d < *dist || (d == *dist && loss < best_loss - 1e-12)) {
      found = true;
      *dist = d;
      best_loss = loss;
      *index = k;
    }
  }
  return found;
}

/* who blocks by enumeration and by the search give the same packages. */
static void check_who_paths(pl_analysis *a) {
  pl_design d2 = {0};
  bool saved = a->enumerated;
  a->enumerated = false;
  cr_assert(pl_who_blocks(a, &d2));
  a->enumerated = saved;
  cr_assert_eq(d2.nwho, a->design->nwho);
  for (size_t k = 0; k < d2.nwho; k++)
    for (size_t j = 0; j < d2.who[k].n; j++) {
      const pl_who_entry *x = &a->design->who[k].e[j], *y = &d2.who[k].e[j];
      cr_expect(y->complete);
      cr_expect_eq(x->found, y->found);
      if (x->found && y->found) {
        cr_expect_eq(x->index, y->index, "set %zu combination %zu", k, j);
        cr_expect_eq(x->margin, y->margin);
      }
    }
  for (size_t k = 0; k < d2.nwho; k++)
    free(d2.who[k].e);
  free(d2.who);
}

Test(repair, random_scenarios_against_brute_force) {
  int empty = 0, open = 0, moved = 0, blocked = 0;
  for (uint64_t seed = 1; seed <= 3000; seed++) {
    char *json = random_scenario(seed);
    pl_scenario *s = load_ok(json);
    free(json);
    pl_analysis *a = analyze_with(s, 0, NULL, 0);
    const uint32_t *from = s->proposals[0].values;
    uint32_t dist = 0, got[PL_MAX_ISSUES], n;
    uint64_t index = 0;
    double at;
    bool want = (!pl_zone_empty(a) || a->has_concession) &&
                brute_repair(s, a, from, &dist, &index);
    bool have = pl_repair(a, 0, got, &n, &at);
    cr_expect_eq(have, want, "seed %llu", (unsigned long long)seed);
    if (have && want) {
      cr_expect_eq(n, dist, "seed %llu: distance", (unsigned long long)seed);
      cr_expect_eq(pl_values_to_index(s, got), index, "seed %llu: package",
                   (unsigned long long)seed);
      cr_expect_eq(at, pl_zone_empty(a) ? a->delta : 0);
    }
    empty += pl_zone_empty(a);
    open += !pl_zone_empty(a);
    moved += have && n > 1;
    blocked += a->nblocks > 0;
    if (a->nblocks)
      check_who_paths(a);
    pl_analysis_free(a);
    pl_scenario_free(s);
  }
  cr_log_info("empty %d open %d moved %d blocked %d", empty, open, moved,
              blocked);
  cr_expect_gt(empty, 300);
  cr_expect_gt(open, 300);
  cr_expect_gt(moved, 300, "too few repairs changing two issues or more");
  cr_expect_gt(blocked, 100);
}

/* --package: unnamed issues keep the first proposal's values. */
Test(repair, package_option_and_its_errors) {
  pl_scenario *s = load_reference_example(true);
  const char *ok[] = {"territory=dmz,guarantee=europe"};
  pl_analysis *a = analyze_with(s, 0, ok, 1);
  cr_assert_eq(pl_repair_count(a), 2);
  uint32_t v[3], n;
  double at;
  cr_assert(pl_repair(a, 1, v, &n, &at));
  /* (dmz, europe, keep): one change to (dmz, europe, phased) opens at
   * delta* = 0.10. */
  cr_expect_eq(n, 1);
  cr_expect(v[0] == 1 && v[1] == 1 && v[2] == 1);
  pl_analysis_free(a);
  const char *bad[] = {"territory=dmz,guarante=europe", "territory=moon",
                       "territory"};
  const char *says[] = {"no issue named 'guarante'",
                        "issue 'territory' has no value 'moon'",
                        "'territory' is not issue=value"};
  for (int k = 0; k < 3; k++) {
    pl_analysis_options o;
    pl_analysis_options_init(&o);
    o.packages = &bad[k];
    o.npackages = 1;
    pl_status st;
    pl_diag *d = pl_diag_new();
    cr_expect_null(pl_analyze(s, &o, d, &st));
    cr_expect_eq(st, PL_EINPUT);
    cr_assert_eq(pl_diag_count(d), 1);
    cr_expect(strstr(pl_diag_get(d, 0).message, says[k]), "%s",
              pl_diag_get(d, 0).message);
    pl_diag_free(d);
  }
  pl_scenario_free(s);
}

/* ---- Linkage ------------------------------------------------------------ */

/* The textbook logroll (Raiffa, The Art and Science of Negotiation, 1982,
 * ch. 10; Pruitt's "logrolling"): two issues, each party cares most about
 * one. A: x 0.8, y 0.2; B: x 0.2, y 0.8; on both issues A wants "a" and B
 * "b" (values 1 and 0). From the reference (x = b, y = a) each has its
 * minor issue: A 0.2, B 0.2. Trading (A gives y, B gives x) gives (x = a,
 * y = b): A 0.8, B 0.8, gains 0.6 each by hand. It is also the only
 * Pareto-improving move: (a, a) leaves B at 0, (b, b) leaves A at 0. */
static const char *LOGROLL =
    "{\"issues\": ["
    " {\"name\": \"x\", \"type\": \"categorical\", \"options\": [\"a\", "
    "\"b\"]},"
    " {\"name\": \"y\", \"type\": \"categorical\", \"options\": [\"a\", "
    "\"b\"]}],"
    "\"parties\": ["
    " {\"name\": \"A\", \"reservation\": 0.1, \"weights\": {\"x\": 0.8, \"y\": "
    "0.2},"
    "  \"values\": {\"x\": {\"a\": 1, \"b\": 0}, \"y\": {\"a\": 1, \"b\": 0}}},"
    " {\"name\": \"B\", \"reservation\": 0.1, \"weights\": {\"x\": 0.2, \"y\": "
    "0.8},"
    "  \"values\": {\"x\": {\"a\": 0, \"b\": 1}, \"y\": {\"a\": 0, \"b\": 1}}}]"
    "%s,"
    "\"proposals\": [{\"name\": \"r\", \"outcome\": {\"x\": \"b\", \"y\": "
    "\"a\"}}]}";

Test(linkage, textbook_two_issue_logroll) {
  char json[4096];
  snprintf(json, sizeof json, LOGROLL, "");
  pl_scenario *s = load_ok(json);
  pl_analysis *a = analyze_with(s, 0, NULL, 0);
  const pl_design *d = a->design;
  /* One trade: A gives y (its minor issue) and gets x; B the reverse. */
  cr_assert_eq(d->nlinks, 1);
  const pl_linkage *l = &d->links[0];
  cr_expect_eq(l->parties[0], 0);
  cr_expect_eq(l->issues[0], 1, "A gives y");
  cr_expect_eq(l->issues[1], 0, "and gets x");
  cr_expect_float_eq(l->gain[0], 0.6, 1e-9);
  cr_expect_float_eq(l->gain[1], 0.6, 1e-9);
  cr_expect_eq(l->index, 1, "(x = a, y = b) is outcome 1");
  cr_assert_eq(d->nmoves, 1);
  cr_expect(d->moves[0].found);
  cr_expect_eq(d->moves[0].count, 1);
  cr_expect_eq(d->moves[0].index, 1);
  pl_analysis_free(a);
  pl_scenario_free(s);
}

/* A ratifier who wants y = a loses by the trade (third parties and
 * ratifiers may not lose): no linkage, no Pareto-improving move. */
Test(linkage, a_ratifier_who_loses_blocks_the_trade) {
  char json[4096];
  snprintf(json, sizeof json, LOGROLL,
           ", \"ratifiers\": [{\"name\": \"Q\", \"threshold\": 0.1,"
           " \"weights\": {\"y\": 1}, \"values\": {\"y\": {\"a\": 1, \"b\": "
           "0.5}}}]");
  pl_scenario *s = load_ok(json);
  pl_analysis *a = analyze_with(s, 0, NULL, 0);
  cr_expect_eq(a->design->nlinks, 0);
  cr_expect(!a->design->moves[0].found);
  pl_analysis_free(a);
  pl_scenario_free(s);
}

/* ---- Agenda ------------------------------------------------------------- */

/* Three binary issues, by hand. A: x 0.6, y 0.2, z 0.2, wants "a"; B: x
 * 0.2, y 0.4, z 0.4, wants "b"; reservations 0, so every package is in the
 * zone and every delta is 0. Package deal: the Nash point (a, b, b), A 0.6
 * B 0.8, product 0.48, welfare 1.4 (next best (a, a, b) 0.8 * 0.4 = 0.32).
 * Groups x / y, z from the proposal (b, a, a): x with y = z = a: "a" gives
 * B 0, "b" gives 0.4 * 0.2 = 0.08, so x = b; y, z with x = b: (a, a) 0.08,
 * (a, b) and (b, a) 0.2 * 0.6 = 0.12 (tie: the smaller index, (b, a, b)),
 * (b, b) 0. Combined (b, a, b): A 0.2, B 0.6, product 0.12, welfare 0.8:
 * the split loses 0.36 of Nash product and 0.6 of welfare, no concession.
 * Sequentially (x first) the same. Grouping x, y / z instead settles
 * (a, b) then z = b: the package deal itself, no loss, so the best
 * partition into two groups loses nothing. */
Test(agenda, three_issues_by_hand) {
  const char *json =
      "{\"issues\": ["
      " {\"name\": \"x\", \"type\": \"categorical\", \"options\": [\"a\", "
      "\"b\"]},"
      " {\"name\": \"y\", \"type\": \"categorical\", \"options\": [\"a\", "
      "\"b\"]},"
      " {\"name\": \"z\", \"type\": \"categorical\", \"options\": [\"a\", "
      "\"b\"]}],"
      "\"parties\": ["
      " {\"name\": \"A\", \"reservation\": 0, \"weights\": {\"x\": 0.6, "
      "\"y\": 0.2, \"z\": 0.2}, \"values\": {\"x\": {\"a\": 1, \"b\": 0},"
      " \"y\": {\"a\": 1, \"b\": 0}, \"z\": {\"a\": 1, \"b\": 0}}},"
      " {\"name\": \"B\", \"reservation\": 0, \"weights\": {\"x\": 0.2, "
      "\"y\": 0.4, \"z\": 0.4}, \"values\": {\"x\": {\"a\": 0, \"b\": 1},"
      " \"y\": {\"a\": 0, \"b\": 1}, \"z\": {\"a\": 0, \"b\": 1}}}],"
      "\"proposals\": [{\"name\": \"p\", \"outcome\": {\"x\": \"b\", \"y\": "
      "\"a\", \"z\": \"a\"}}]}";
  pl_scenario *s = load_ok(json);
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.groups = "x/y,z";
  pl_status st;
  pl_analysis *a = pl_analyze(s, &o, NULL, &st);
  cr_assert_not_null(a);
  const pl_agenda *ag = a->design->agenda;
  cr_assert_not_null(ag);
  cr_expect_eq(ag->deal.index, 3, "(a, b, b)");
  cr_expect_float_eq(ag->deal.nash, 0.48, 1e-9);
  cr_expect_float_eq(ag->deal.welfare, 1.4, 1e-9);
  cr_assert(ag->apart.found);
  cr_expect_eq(ag->apart.index, 5, "(b, a, b)");
  cr_expect_float_eq(ag->apart.delta, 0, 1e-12);
  cr_expect_float_eq(ag->apart.nash_drop, 0.36, 1e-9);
  cr_expect_float_eq(ag->apart.welfare_drop, 0.6, 1e-9);
  cr_expect_eq(ag->sequential.index, 5);
  cr_assert(ag->searched);
  cr_expect_eq(ag->partitions, 3, "S(3, 2) = 3 partitions into two groups");
  cr_expect_float_eq(ag->best.nash_drop, 0, 1e-12);
  cr_expect_eq(ag->best.index, 3);
  pl_analysis_free(a);
  const char *bad[] = {"x/y", "x/y,z,x", "x/y,w"};
  const char *says[] = {"'z' is in no group", "'x' is in two groups",
                        "no issue named 'w'"};
  for (int k = 0; k < 3; k++) {
    o.groups = bad[k];
    pl_diag *d = pl_diag_new();
    cr_expect_null(pl_analyze(s, &o, d, &st));
    cr_expect_eq(st, PL_EINPUT);
    cr_assert_eq(pl_diag_count(d), 1);
    cr_expect(strstr(pl_diag_get(d, 0).message, says[k]), "%s",
              pl_diag_get(d, 0).message);
    pl_diag_free(d);
  }
  pl_scenario_free(s);
}
