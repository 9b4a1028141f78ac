/* test_moves.c - the Pareto-improving move search (analysis/moves.c, docs/
 * analysis.md 8.2) against a plain pass over every outcome, on seeded random
 * scenarios: 2-5 parties, ratifiers, constraints and red lines, capped
 * GENIUS-style sums and hyperRectangle-like boxes, from references that are
 * and are not Pareto optimal. */
#define _POSIX_C_SOURCE 200809L
#include "analysis/analysis.h"
#include "analysis/design.h"
#include "analysis/moves.h"
#include "support.h"
#include "util/rng.h"

#include <criterion/criterion.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The definition of 8.2 read literally: every outcome in index order; the
 * best has the largest smallest party gain, then the largest sum, then the
 * smallest index, gains within 1e-12 tying (a later tie never replaces). */
static pl_move brute_move(const pl_scenario *s, const uint32_t *r) {
  pl_move m = {.searched = true};
  uint64_t n;
  cr_assert(pl_scenario_num_outcomes(s, &n));
  double blo = 0, bsum = 0, ur[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  for (uint32_t x = 0; x < pl_num_actors(s); x++)
    ur[x] = pl_actor_utility(s, x, r);
  uint32_t v[PL_MAX_ISSUES];
  for (uint64_t k = 0; k < n; k++) {
    pl_index_to_values(s, k, v);
    if (!pl_all_rules_hold(s, v))
      continue;
    bool ok = true, gains = false;
    double lo = DBL_MAX, sum = 0;
    for (uint32_t x = 0; x < pl_num_actors(s); x++) {
      double g = pl_actor_utility(s, x, v) - ur[x];
      ok &= g >= -PL_EPS;
      if (x < s->nparties) {
        gains |= g > PL_EPS;
        lo = g < lo ? g : lo;
        sum += g;
      }
    }
    if (!ok || !gains)
      continue;
    m.count++;
    bool wins = !m.found || lo > blo + 1e-12 ||
                (lo >= blo - 1e-12 &&
                 (sum > bsum + 1e-12 || (sum >= bsum - 1e-12 && k < m.index)));
    if (wins) {
      m.found = true;
      m.index = k;
      blo = lo;
      bsum = sum;
    }
  }
  return m;
}

/* Boxes the test adds to an actor (the scenario does not own them). */
typedef struct test_boxes {
  pl_box box[3];
  uint32_t issue[3][2], lo[3][2], hi[3][2];
} test_boxes;

/* A random scenario as JSON: 2-5 categorical issues of 2-5 values, 2-5
 * parties and 0-2 ratifiers with random weights and values in tenths (so
 * that ties are common), sometimes a constraint and red lines (on the first,
 * the last and on two issues). */
static char *random_json(pl_rng *r, uint32_t *nvalues, uint32_t *nissues) {
  uint32_t ni = 2 + (uint32_t)pl_rng_below(r, 4);
  uint32_t np = 2 + (uint32_t)pl_rng_below(r, 4);
  uint32_t nr = (uint32_t)pl_rng_below(r, 3);
  bool rules = pl_rng_below(r, 2);
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  cr_assert_not_null(buf);
#define OUT(...) n += (size_t)snprintf(buf + n, cap - n, __VA_ARGS__)
  for (uint32_t i = 0; i < ni; i++)
    nvalues[i] = 2 + (uint32_t)pl_rng_below(r, 4);
  n += put_categorical_issues(buf + n, cap - n, ni, nvalues);
  if (rules)
    OUT(", \"constraints\": [\"i0 != 'v1' or i%u != 'v1'\"]", ni - 1);
  for (uint32_t kind = 0; kind < 2; kind++) {
    uint32_t count = kind ? nr : np;
    if (!count)
      continue;
    OUT(", \"%s\": [", kind ? "ratifiers" : "parties");
    for (uint32_t p = 0; p < count; p++) {
      OUT("%s{\"name\": \"%c%u\", \"%s\": 0.3, \"weights\": {", p ? "," : "",
          kind ? 'Q' : 'P', p, kind ? "threshold" : "reservation");
      /* Weights in whole percent that sum to 100. */
      uint32_t left = 100;
      for (uint32_t i = 0; i < ni; i++) {
        uint32_t w =
            i + 1 < ni ? (uint32_t)pl_rng_below(r, left / 2 + 1) : left;
        left -= w;
        OUT("%s\"i%u\": %.2f", i ? "," : "", i, w / 100.0);
      }
      OUT("}, \"values\": {");
      for (uint32_t i = 0; i < ni; i++) {
        OUT("%s\"i%u\": {", i ? "," : "", i);
        for (uint32_t v = 0; v < nvalues[i]; v++)
          OUT("%s\"v%u\": %.1f", v ? "," : "", v,
              (double)pl_rng_below(r, 11) / 10.0);
        OUT("}");
      }
      OUT("}");
      if (rules && kind == 0 && p == 1)
        OUT(", \"red_lines\": [\"i%u != 'v0'\", \"i0 != 'v0' or i1 != "
            "'v1'\"]",
            ni - 1);
      if (rules && kind == 0 && p == 2)
        OUT(", \"red_lines\": [\"i0 != 'v%u'\"]", nvalues[0] - 1);
      OUT("}");
    }
    OUT("]");
  }
  OUT("}");
#undef OUT
  *nissues = ni;
  return buf;
}

/* Makes some actors non-additive, as GENIUS imports are: terms scaled up so
 * that sums pass 1 and capped there, and boxes (of either sign, with a
 * positive or a negative scale). */
static void make_nonadditive(pl_scenario *s, pl_rng *r, test_boxes *tb) {
  for (uint32_t a = 0; a < pl_num_actors(s); a++) {
    pl_actor *x = &s->actors[a];
    uint32_t kind = (uint32_t)pl_rng_below(r, 4);
    if (kind == 1 || kind == 3) {
      x->capped = true;
      for (uint32_t k = 0; k < s->total_values; k++)
        s->term[a][k] *= 1.7;
    }
    if (kind >= 2) {
      test_boxes *b = &tb[a];
      x->boxes = b->box;
      x->nboxes = 1 + (uint32_t)pl_rng_below(r, 3);
      x->box_scale = pl_rng_below(r, 4) ? 0.5 : -0.25;
      for (uint32_t k = 0; k < x->nboxes; k++) {
        pl_box *bx = &b->box[k];
        bx->nranges = 1 + (uint32_t)pl_rng_below(r, 2);
        bx->issue = b->issue[k];
        bx->lo = b->lo[k];
        bx->hi = b->hi[k];
        bx->utility = ((double)pl_rng_below(r, 9) - 3.0) / 10.0;
        for (uint32_t j = 0; j < bx->nranges; j++) {
          uint32_t i = (uint32_t)pl_rng_below(r, s->nissues);
          uint32_t nv = s->issues[i].nvalues;
          b->issue[k][j] = i;
          b->lo[k][j] = (uint32_t)pl_rng_below(r, nv);
          b->hi[k][j] =
              b->lo[k][j] + (uint32_t)pl_rng_below(r, nv - b->lo[k][j]);
        }
      }
      s->has_boxes = true;
    }
    s->nonadditive |= x->capped || x->nboxes;
  }
}

static void drop_boxes(pl_scenario *s) {
  for (uint32_t a = 0; a < pl_num_actors(s); a++)
    s->actors[a].boxes = NULL, s->actors[a].nboxes = 0;
}

static void expect_same(const pl_scenario *s, const uint32_t *r, uint64_t seed,
                        const char *what, pl_move *got) {
  pl_move want = brute_move(s, r);
  cr_assert(pl_move_search(s, r, 0, got));
  cr_expect(got->searched, "seed %llu %s", (unsigned long long)seed, what);
  cr_expect_eq(got->count, want.count, "seed %llu %s: count",
               (unsigned long long)seed, what);
  cr_expect_eq(got->found, want.found, "seed %llu %s: found",
               (unsigned long long)seed, what);
  if (got->found && want.found)
    cr_expect_eq(got->index, want.index, "seed %llu %s: index",
                 (unsigned long long)seed, what);
}

/* The utilitarian package (largest sum of party utilities, smallest index
 * among equals) among those meeting the rules: Pareto optimal there. */
static bool utilitarian(const pl_scenario *s, uint32_t *best) {
  uint64_t n;
  cr_assert(pl_scenario_num_outcomes(s, &n));
  bool have = false;
  double top = 0;
  uint32_t v[PL_MAX_ISSUES];
  for (uint64_t k = 0; k < n; k++) {
    pl_index_to_values(s, k, v);
    if (!pl_all_rules_hold(s, v))
      continue;
    double sum = 0;
    for (uint32_t p = 0; p < s->nparties; p++)
      sum += pl_actor_utility(s, p, v);
    if (!have || sum > top) {
      have = true;
      top = sum;
      memcpy(best, v, s->nissues * sizeof *v);
    }
  }
  return have;
}

/* A random scenario (random_json) and a random package of it. */
static pl_scenario *random_case(pl_rng *r, uint64_t seed, uint32_t *ref) {
  pl_rng_seed(r, seed);
  uint32_t nv[PL_MAX_ISSUES], ni;
  char *json = random_json(r, nv, &ni);
  pl_scenario *s = load_ok(json);
  free(json);
  for (uint32_t i = 0; i < ni; i++)
    ref[i] = (uint32_t)pl_rng_below(r, nv[i]);
  return s;
}

/* 3,000 scenarios, each from a random package, from the moves that follow
 * it (best move after best move, up to a package with none: Pareto optimal)
 * and from the utilitarian package. */
Test(moves, random_scenarios_against_one_pass) {
  int with = 0, none = 0, capped = 0, boxed = 0, pareto = 0;
  for (uint64_t seed = 1; seed <= 3000; seed++) {
    pl_rng r;
    uint32_t ref[PL_MAX_ISSUES];
    pl_scenario *s = random_case(&r, seed, ref);
    test_boxes tb[16];
    memset(tb, 0, sizeof tb);
    if (pl_rng_below(&r, 2))
      make_nonadditive(s, &r, tb);
    capped += s->nonadditive;
    boxed += s->has_boxes;
    pl_move got;
    char what[64];
    for (int step = 0; step < 8; step++) {
      snprintf(what, sizeof what, "move %d", step);
      expect_same(s, ref, seed, what, &got);
      with += step == 0 && got.count > 1;
      if (!got.found)
        break;
      pl_index_to_values(s, got.index, ref);
    }
    none += !got.found;
    pareto += !got.found && got.count == 0;
    if (utilitarian(s, ref))
      expect_same(s, ref, seed, "utilitarian", &got);
    drop_boxes(s);
    pl_scenario_free(s);
  }
  /* The draws cover every case: random references with several moves,
   * chains that end at a package without any, non-additive actors. */
  cr_expect_gt(with, 1000);
  cr_expect_gt(none, 1000);
  cr_expect_gt(pareto, 1000);
  cr_expect_gt(capped, 1000);
  cr_expect_gt(boxed, 500);
}

/* docs/analysis.md 8.2's worked example: from the talks' package 1 (Donbas
 * stays Ukrainian, no guarantees, the rest as the US proposal) there are 8
 * Pareto-improving packages, the most even giving the United States +0.050,
 * Ukraine +0.033 and Russia +0.030 (by hand in the docs). */
Test(moves, talks_package_one) {
  cli_result c = cli_callf("analyze --json --package \"donbas=stays "
                           "Ukrainian,guarantees=none\"");
  cr_assert_eq(c.rc, 0, "%s", c.err);
  const char *m = strstr(c.out, "\"pareto_moves\"");
  cr_assert_not_null(m);
  const char *k = strstr(m, "\"from\": \"package 1\"");
  cr_assert_not_null(k, "%s", m);
  cr_expect_not_null(strstr(k, "\"count\": 8"), "%s", k);
  cr_expect_not_null(strstr(k, "\"United States\": 0.05,"), "%s", k);
  cr_expect_not_null(strstr(k, "\"Ukraine\": 0.033,"), "%s", k);
  cr_expect_not_null(strstr(k, "\"Russia\": 0.03,"), "%s", k);
  cli_result_free(&c);
}

/* A node budget too small for the space stops the search: not searched,
 * nothing reported; a large enough one finishes. */
Test(moves, node_budget) {
  for (uint64_t seed = 1; seed <= 50; seed++) {
    pl_rng r;
    uint32_t ref[PL_MAX_ISSUES];
    pl_scenario *s = random_case(&r, seed, ref);
    pl_move m, full;
    cr_assert(pl_move_search(s, ref, 0, &full));
    cr_assert(full.searched);
    if (full.count > 1) {
      /* Two packages qualify, so the search visits more than one node. */
      cr_assert(pl_move_search(s, ref, 1, &m));
      cr_expect(!m.searched, "seed %llu", (unsigned long long)seed);
      cr_expect(!m.found);
      cr_expect_eq(m.count, 0);
    }
    /* With at least 2 values per issue a tree over n outcomes has fewer
     * than 2n nodes. */
    uint64_t n;
    cr_assert(pl_scenario_num_outcomes(s, &n));
    cr_assert(pl_move_search(s, ref, 2 * n, &m));
    cr_expect(m.searched);
    cr_expect_eq(m.count, full.count);
    cr_expect_eq(m.index, full.index);
    pl_scenario_free(s);
  }
}

static pl_analysis *analyze_above_cap(const pl_scenario *s,
                                      const char *package) {
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = 1;
  o.max_outcomes = 1000;
  const char *packages[1] = {package};
  o.packages = package ? packages : NULL;
  o.npackages = package ? 1 : 0;
  pl_diag *d = pl_diag_new();
  pl_status st;
  pl_analysis *a = pl_analyze(s, &o, d, &st);
  if (!a)
    pl_diag_print(d, stderr);
  cr_assert_not_null(a);
  pl_diag_free(d);
  cr_assert(!a->enumerated, "above --max-outcomes");
  cr_assert_eq(a->design->nmoves, 1);
  return a;
}

/* Above --max-outcomes the moves are searched too (they were not while the
 * search was a pass over the enumeration): at 10^6 outcomes to the end, the
 * same as the pass; at 10^8 from the Nash solution (Pareto optimal, so the
 * bounds cut nearly everything), but not from a package of every issue's
 * first value, whose millions of moves need more than the budget. */
Test(moves, above_the_cap) {
  pl_generate_options g = {.parties = 2, .issues = 6, .values = 10, .seed = 1};
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_generate(&g, d);
  cr_assert_not_null(s);
  const char *first = "i1=v1,i2=v1,i3=v1,i4=v1,i5=v1,i6=v1";
  pl_analysis *a = analyze_above_cap(s, first);
  uint32_t r[PL_MAX_ISSUES] = {0};
  pl_move want = brute_move(s, r);
  const pl_move *got = &a->design->moves[0];
  cr_expect(got->searched);
  cr_expect_gt(want.count, 1000);
  cr_expect_eq(got->count, want.count);
  cr_expect_eq(got->found, want.found);
  cr_expect_eq(got->index, want.index);
  pl_analysis_free(a);
  pl_scenario_free(s);

  g.issues = 8;
  s = pl_generate(&g, d);
  cr_assert_not_null(s);
  a = analyze_above_cap(s, NULL);
  cr_expect(a->design->moves[0].searched, "from the Nash solution");
  cr_expect_lt(a->design->moves[0].nodes, 100000);
  pl_analysis_free(a);
  a = analyze_above_cap(s, "i1=v1,i2=v1,i3=v1,i4=v1,i5=v1,i6=v1,i7=v1,i8=v1");
  cr_expect(!a->design->moves[0].searched);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  cr_assert_not_null(f);
  pl_analysis_write_text(a, f);
  fclose(f);
  cr_expect_not_null(strstr(text, "from package 1: Pareto-improving moves "
                                  "not searched: over 2000000 partial "
                                  "packages to visit."),
                     "%s", text);
  free(text);
  pl_analysis_free(a);
  pl_scenario_free(s);
  pl_diag_free(d);
}
