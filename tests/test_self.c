/* test_self.c - the agents' outcome service (pl_self) answers the same by
 * each of its methods (every outcome sorted, one outcome per cell, the
 * bounded search), and the O(n) sort behind the tables is the stable sort
 * by utility it replaces (issue 13). */
#include "negotiation/self.h"
#include "support.h"
#include "util/radix.h"

#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- pl_sort_descending against a comparison sort ------------------------ */

typedef struct rec {
  double u;
  uint64_t id;
} rec;

static int by_u_then_id(const void *a, const void *b) {
  const rec *x = a, *y = b;
  if (x->u != y->u)
    return x->u > y->u ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static uint64_t lcg(uint64_t *s) {
  *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
  return *s >> 11;
}

/* Sorts u (ids 0 .. n-1, so "stable" is "ties by id") both ways and
 * compares every bit of both outputs. */
static void check_sort(const double *u, size_t n, const char *what) {
  rec *r = malloc((n ? n : 1) * sizeof *r);
  double *uo = malloc((n ? n : 1) * sizeof *uo);
  uint64_t *ido = malloc((n ? n : 1) * sizeof *ido);
  for (size_t k = 0; k < n; k++)
    r[k] = (rec){u[k], k};
  qsort(r, n, sizeof *r, by_u_then_id);
  cr_assert(pl_sort_descending(u, NULL, n, uo, ido), "%s", what);
  for (size_t k = 0; k < n; k++) {
    cr_assert_eq(ido[k], r[k].id, "%s: position %zu", what, k);
    cr_assert(memcmp(&uo[k], &u[r[k].id], sizeof uo[k]) == 0,
              "%s: value at %zu", what, k);
  }
  free(r);
  free(uo);
  free(ido);
}

Test(sort, descending_is_the_stable_comparison_sort) {
  enum { N = 200000 };
  double *u = malloc(N * sizeof *u);
  uint64_t seed = 7;
  size_t sizes[] = {0, 1, 2, 31, 32, 33, 1000, N};
  for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
    size_t n = sizes[z];
    for (size_t k = 0; k < n; k++) /* spread out in [0, 1) */
      u[k] = (double)lcg(&seed) / 9007199254740992.0;
    check_sort(u, n, "uniform");
    for (size_t k = 0; k < n; k++) /* few distinct values: long ties */
      u[k] = (double)(lcg(&seed) % 7) / 7;
    check_sort(u, n, "ties");
    for (size_t k = 0; k < n; k++) /* skewed: most bands empty */
      u[k] = exp(-(double)(lcg(&seed) % 100000) / 1000.0);
    check_sort(u, n, "exponential");
    for (size_t k = 0; k < n; k++) /* a range a few ulps wide */
      u[k] = nextafter(0.5, (lcg(&seed) % 2) ? 1 : 0) + 0 * k;
    check_sort(u, n, "narrow");
  }
  /* Signed zeros compare equal (stay by id); infinities and negatives. */
  double odd[] = {0.0,  -0.0, 1,      -1,     INFINITY, -INFINITY,
                  -0.0, 0.0,  1e-300, -1e300, DBL_MIN,  0.5};
  check_sort(odd, sizeof odd / sizeof *odd, "odd values");
  for (size_t k = 0; k < 100; k++)
    u[k] = odd[k % 12];
  check_sort(u, 100, "odd values repeated");
  free(u);
}

/* ---- The three methods agree --------------------------------------------- */

/* Probes pl_self_near at targets over the utility range and a little
 * beyond, with windows, and pl_self_best/worst: a and b must agree. */
static void same_answers(pl_self *a, pl_self *b, const pl_scenario *s,
                         const char *what) {
  uint32_t oa[PL_MAX_ISSUES], ob[PL_MAX_ISSUES];
  cr_assert_eq(pl_self_best(a), pl_self_best(b), "%s: best", what);
  cr_assert_eq(pl_self_worst(a), pl_self_worst(b), "%s: worst", what);
  double lo = pl_self_worst(a), hi = pl_self_best(a);
  for (int k = -1; k <= 21; k++) {
    double t = lo + (hi - lo) * k / 20.0;
    double win[][2] = {{-DBL_MAX, DBL_MAX}, {lo, hi}, {t - 0.05, t + 0.05}};
    for (int w = 0; w < 3; w++) {
      bool fa = pl_self_near(a, t, win[w][0], win[w][1], oa);
      bool fb = pl_self_near(b, t, win[w][0], win[w][1], ob);
      cr_assert_eq(fa, fb, "%s: found at target %g window %d", what, t, w);
      if (fa)
        cr_assert_arr_eq(oa, ob, s->nissues * sizeof *oa,
                         "%s: outcome at target %g window %d", what, t, w);
    }
  }
}

/* 10issues (ANAC 2014, hyperrectangle profiles, tests/data/genius) with
 * every issue cut to its first `keep` values in memory (3^10 = 59,049
 * outcomes), small enough for the complete table and the search, with the
 * boxes intact (ranges past the kept values simply never hold). */
static pl_scenario *ten_issues_cut(uint32_t keep) {
  const char *dir = data_path("genius/10issues");
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load(&dir, 1, NULL, d);
  pl_diag_free(d);
  cr_assert_not_null(s);
  for (uint32_t i = 0; i < s->nissues; i++)
    s->issues[i].nvalues = keep;
  return s;
}

Test(self, cells_and_search_answer_as_the_full_table_on_boxes) {
  pl_scenario *s = ten_issues_cut(3);
  for (uint32_t p = 0; p < s->nparties; p++) {
    pl_self *table = pl_self_new_method(s, p, true, 1, p, PL_SELF_TABLE);
    pl_self *cells = pl_self_new_method(s, p, true, 1, p, PL_SELF_CELLS);
    pl_self *search = pl_self_new_method(s, p, true, 1, p, PL_SELF_SEARCH);
    cr_assert(table && cells && search);
    /* Ranks come from the full table only. */
    uint32_t o[PL_MAX_ISSUES];
    cr_expect(pl_self_ranked(table, 0, o));
    cr_expect(!pl_self_ranked(cells, 0, o));
    same_answers(table, cells, s, "cells");
    same_answers(table, search, s, "search");
    pl_self_free(table);
    pl_self_free(cells);
    pl_self_free(search);
  }
  pl_scenario_free(s);
}

Test(self, full_ten_issues_starts_from_cells) {
  /* 10^10 outcomes: the cells (1,440,000 and 453,600 for the two
   * profiles, by hand from the boxes' ranges) fit, so the agent starts
   * without a search; its best is 1 (GENIUS caps the sum) and the
   * search agrees on targets around it. */
  const char *dir = data_path("genius/10issues");
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load(&dir, 1, NULL, d);
  pl_diag_free(d);
  cr_assert_not_null(s);
  pl_self *cells = pl_self_new(s, 0, true, 1, 0);
  cr_assert_not_null(cells);
  uint32_t o[PL_MAX_ISSUES];
  cr_assert(pl_self_near(cells, 2, -DBL_MAX, DBL_MAX, o));
  cr_expect_eq(pl_self_utility(cells, o), pl_self_best(cells));
  cr_expect(pl_self_best(cells) <= 1.0);
  pl_self_free(cells);
  pl_scenario_free(s);
}

Test(self, rules_and_ratifiers_keep_their_issues_apart) {
  /* The built-in talks: constraints, red lines and ratifiers (two-level),
   * so the cells keep every value of the issues the rules name and check
   * each cell; the answers must still be the full table's. */
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_builtin("talks", d);
  pl_diag_free(d);
  cr_assert_not_null(s);
  for (uint32_t p = 0; p < s->nparties; p++)
    for (int two = 0; two < 2; two++) {
      pl_self *table = pl_self_new_method(s, p, two, 1, p, PL_SELF_TABLE);
      pl_self *cells = pl_self_new_method(s, p, two, 1, p, PL_SELF_CELLS);
      pl_self *search = pl_self_new_method(s, p, two, 1, p, PL_SELF_SEARCH);
      cr_assert(table && cells && search);
      same_answers(table, cells, s, "talks cells");
      same_answers(table, search, s, "talks search");
      pl_self_free(table);
      pl_self_free(cells);
      pl_self_free(search);
    }
  pl_scenario_free(s);
}

Test(self, table_ranks_are_the_stable_sort_of_every_signable_outcome) {
  /* TravelA-sized check on a GENIUS domain of tests/data: the ranked list
   * is every outcome by utility descending, ties by index (the order the
   * comparison sort gave before the O(n) sort). */
  const char *dir = data_path("genius/AMPOvsCity");
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load(&dir, 1, NULL, d);
  pl_diag_free(d);
  cr_assert_not_null(s);
  uint64_t n = 0;
  cr_assert(pl_scenario_num_outcomes(s, &n));
  rec *r = malloc(n * sizeof *r);
  uint32_t v[PL_MAX_ISSUES], o[PL_MAX_ISSUES];
  pl_self *me = pl_self_new(s, 1, true, 1, 1);
  cr_assert_not_null(me);
  for (uint64_t x = 0; x < n; x++) {
    pl_index_to_values(s, x, v);
    r[x] = (rec){pl_actor_utility(s, 1, v), x};
  }
  qsort(r, n, sizeof *r, by_u_then_id);
  for (uint64_t k = 0; k < n; k += 1 + k / 64) { /* denser at the top */
    cr_assert(pl_self_ranked(me, k, o));
    cr_assert_eq(pl_values_to_index(s, o), r[k].id, "rank %llu",
                 (unsigned long long)k);
  }
  cr_assert(pl_self_ranked(me, n - 1, o));
  cr_expect_eq(pl_values_to_index(s, o), r[n - 1].id);
  cr_expect(!pl_self_ranked(me, n, o));
  free(r);
  pl_self_free(me);
  pl_scenario_free(s);
}

/* pl_self_memo: one value per model and key, built once and shared by the
 * model's views; a failed build is not remembered. */
typedef struct memo_try {
  int builds;
  bool ok; /* whether the build succeeds */
} memo_try;
static void *memo_build(pl_self *me, void *arg) {
  (void)me;
  memo_try *m = arg;
  m->builds++;
  return m->ok ? malloc(16) : NULL;
}
static const char MEMO_A = 'a', MEMO_B = 'b';

Test(self, memo_built_once_per_model_and_shared) {
  const char *dir = data_path("genius/Laptop");
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load(&dir, 1, NULL, d);
  pl_diag_free(d);
  cr_assert_not_null(s);
  pl_self *model = pl_self_new(s, 0, true, 0, 1);
  pl_self *view = pl_self_share(model, 5, 1);
  pl_self *other = pl_self_new(s, 0, true, 0, 1); /* a model of its own */
  cr_assert(model && view && other);
  memo_try yes = {0, true}, no = {0, false};
  void *a = pl_self_memo(view, &MEMO_A, memo_build, &yes, free);
  cr_assert_not_null(a);
  cr_expect_eq(pl_self_memo(model, &MEMO_A, memo_build, &yes, free), a);
  cr_expect_eq(pl_self_memo(view, &MEMO_A, memo_build, &yes, free), a);
  cr_expect_eq(yes.builds, 1, "built %d times", yes.builds);
  void *b = pl_self_memo(model, &MEMO_B, memo_build, &yes, free);
  cr_expect(b && b != a);
  void *c = pl_self_memo(other, &MEMO_A, memo_build, &yes, free);
  cr_expect(c && c != a, "another model shares nothing");
  cr_expect_eq(yes.builds, 3);
  pl_self *none = pl_self_new(s, 1, true, 0, 2);
  cr_expect_null(pl_self_memo(none, &MEMO_A, memo_build, &no, free));
  cr_expect_null(pl_self_memo(none, &MEMO_A, memo_build, &no, free));
  cr_expect_eq(no.builds, 2, "a failed build is tried again");
  pl_self_free(view); /* the model's values outlive its views */
  cr_expect_eq(pl_self_memo(model, &MEMO_A, memo_build, &yes, free), a);
  pl_self_free(none);
  pl_self_free(other);
  pl_self_free(model);
  pl_scenario_free(s);
}

/* ---- Plain sums above the table: SUMS and MIDDLE against the search ----- */

/* AgentHp2 (ANAC 2016, tests/data/genius: 3 parties, 8 issues of 7
 * values, linear evaluations, equal weights: many outcomes share a
 * utility, and many more differ from one another by a unit in the last
 * place), every issue cut to its first `keep` values when keep > 0, every
 * term multiplied by `scale` (above 1: many sums pass 1, where GENIUS's
 * cap makes them all worth 1) and shifted by `jitter` times a pseudo-random
 * number (no two sums alike). */
static pl_scenario *agent_hp2(uint32_t keep, double scale, double jitter) {
  const char *dir = data_path("genius/AgentHp2");
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load(&dir, 1, NULL, d);
  pl_diag_free(d);
  cr_assert_not_null(s);
  cr_assert(s->actors[0].capped, "GENIUS caps the sum at 1");
  uint64_t seed = 7;
  for (uint32_t a = 0; a < pl_num_actors(s); a++)
    for (uint32_t k = 0; k < s->total_values; k++)
      s->term[a][k] = s->term[a][k] * scale +
                      jitter * (double)lcg(&seed) / 9007199254740992.0;
  for (uint32_t i = 0; keep && i < s->nissues; i++)
    s->issues[i].nvalues = keep;
  pl_scenario_terms_changed(s); /* scaled by 3, the sums pass the cap */
  return s;
}

/* Probes at utilities the outcomes have exactly, a unit in the last place
 * either side, and windows that close on them: where ties are decided. */
static void same_at_utilities(pl_self *a, pl_self *b, const pl_scenario *s,
                              int probes, const char *what) {
  uint64_t n = 1, seed = 11;
  for (uint32_t i = 0; i < s->nissues; i++)
    n *= s->issues[i].nvalues;
  uint32_t v[PL_MAX_ISSUES], oa[PL_MAX_ISSUES], ob[PL_MAX_ISSUES];
  for (int k = 0; k < probes; k++) {
    pl_index_to_values(s, lcg(&seed) % n, v);
    double u = pl_self_utility(a, v), down = nextafter(u, -INFINITY),
           up = nextafter(u, INFINITY);
    double probe[][3] = {{u, -DBL_MAX, DBL_MAX},    {down, -DBL_MAX, DBL_MAX},
                         {up, -DBL_MAX, DBL_MAX},   {u, u, u},
                         {down, u, DBL_MAX},        {up, -DBL_MAX, u},
                         {up, down, down},          {u, up, DBL_MAX},
                         {down, -DBL_MAX, -DBL_MAX}};
    for (size_t p = 0; p < sizeof probe / sizeof *probe; p++) {
      bool fa = pl_self_near(a, probe[p][0], probe[p][1], probe[p][2], oa);
      bool fb = pl_self_near(b, probe[p][0], probe[p][1], probe[p][2], ob);
      cr_assert_eq(fa, fb, "%s: found, utility %.17g, probe %zu", what, u, p);
      if (fa)
        cr_assert_arr_eq(oa, ob, s->nissues * sizeof *oa,
                         "%s: outcome, utility %.17g, probe %zu", what, u, p);
    }
  }
}

static pl_self *forced(const pl_scenario *s, uint32_t p, pl_self_method m) {
  pl_self *me = pl_self_new_method(s, p, true, 1, p, m);
  cr_assert_not_null(me);
  cr_assert_eq(pl_self_method_used(me), m, "method %d answers", (int)m);
  return me;
}

Test(self, sums_and_middle_answer_as_the_table_and_the_search) {
  /* 3^8 = 6,561 outcomes: small enough for the table and the depth-first
   * search to check the other two; as read, with sums past the cap (by
   * hand from the profiles: each party's best cut outcome is worth more
   * than 0.5), and with no two sums alike. */
  const struct {
    double scale, jitter;
    const char *what;
  } variant[] = {{1, 0, "as read"}, {3, 0, "capped"}, {1, 1e-3, "jitter"}};
  for (size_t w = 0; w < sizeof variant / sizeof *variant; w++) {
    pl_scenario *s = agent_hp2(3, variant[w].scale, variant[w].jitter);
    for (uint32_t p = 0; p < s->nparties; p++) {
      pl_self *table = forced(s, p, PL_SELF_TABLE);
      pl_self *dfs = forced(s, p, PL_SELF_DEPTH_FIRST);
      pl_self *sums = forced(s, p, PL_SELF_SUMS);
      pl_self *mid = forced(s, p, PL_SELF_MIDDLE);
      char what[64];
      snprintf(what, sizeof what, "%s, party %u", variant[w].what, p);
      same_answers(table, sums, s, what);
      same_answers(table, mid, s, what);
      same_answers(table, dfs, s, what);
      char w2[80];
      snprintf(w2, sizeof w2, "%s, sums", what);
      same_at_utilities(dfs, sums, s, 60, w2);
      snprintf(w2, sizeof w2, "%s, middle", what);
      same_at_utilities(dfs, mid, s, 60, w2);
      double top = 0; /* the largest sum: each issue's largest term */
      for (uint32_t i = 0; i < s->nissues; i++) {
        double m = -DBL_MAX;
        for (uint32_t v = 0; v < s->issues[i].nvalues; v++)
          m = fmax(m, s->term[p][s->offset[i] + v]);
        top += m;
      }
      if (variant[w].scale > 1)
        cr_expect(top > 1 && pl_self_best(sums) == 1.0, "%s: capped", what);
      pl_self_free(table);
      pl_self_free(dfs);
      pl_self_free(sums);
      pl_self_free(mid);
    }
    pl_scenario_free(s);
  }
}

Test(self, agent_hp2_starts_without_the_table) {
  /* 7^8 outcomes, above PL_SELF_TABLE_MAX: each party lists its distinct
   * utilities (few: equal weights, linear evaluations); with jitter every
   * sum is distinct and meet in the middle answers. Each agrees with
   * another method (the depth-first search, the method before at 8 ms a
   * query, takes seconds here under the sanitizers: one party). */
  for (int jitter = 0; jitter < 2; jitter++) {
    pl_scenario *s = agent_hp2(0, 1, jitter ? 1e-3 : 0);
    for (uint32_t p = 0; p < s->nparties; p++) {
      pl_self *me = pl_self_new(s, p, true, 1, p);
      cr_assert_not_null(me);
      cr_expect_eq(pl_self_method_used(me),
                   jitter ? PL_SELF_MIDDLE : PL_SELF_SUMS, "party %u", p);
      pl_self *other =
          p != 1 ? NULL
                 : forced(s, p, jitter ? PL_SELF_DEPTH_FIRST : PL_SELF_MIDDLE);
      if (other) {
        cr_expect_eq(pl_self_best(me), pl_self_best(other));
        cr_expect_eq(pl_self_worst(me), pl_self_worst(other));
        same_at_utilities(other, me, s, 2, jitter ? "jitter" : "as read");
      }
      pl_self_free(me);
      pl_self_free(other);
    }
    pl_scenario_free(s);
  }
}
