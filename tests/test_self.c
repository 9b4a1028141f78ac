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
