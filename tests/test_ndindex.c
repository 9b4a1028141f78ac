/* test_ndindex.c - the dominance index (src/analysis/ndindex.c) and the
 * Pareto archive that uses it for four parties or more, against linear
 * scans written out here. Coordinates are drawn from a few levels, so
 * that equal coordinates and equal points (ties) are everywhere, the
 * cases where a box test or a threshold could be off by one. */
#include "analysis/frontier.h"
#include "analysis/ndindex.h"
#include "util/rng.h"

#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAXK = 8 };

static void draw(pl_rng *r, double *u, uint32_t k, uint32_t levels) {
  for (uint32_t j = 0; j < k; j++)
    u[j] = (double)pl_rng_below(r, levels) / (levels - 1);
}

/* The definition (ndindex.h), by subtraction, as the sweep's beats(). */
static bool answers(const double *x, const double *p, const double *gap,
                    const bool *counts, uint32_t k) {
  bool win = false;
  for (uint32_t j = 0; j < k; j++) {
    if (x[j] < p[j])
      return false;
    win |= gap ? counts[j] && x[j] - p[j] > gap[j] : x[j] > p[j];
  }
  return win;
}

static bool linear(const double *pts, size_t n, const double *p,
                   const double *gap, const bool *counts, uint32_t k) {
  for (size_t i = 0; i < n; i++)
    if (answers(pts + i * k, p, gap, counts, k))
      return true;
  return false;
}

/* One query against the index and the scan; a hit must name a point that
 * answers. */
static void check_query(const pl_ndindex *x, const double *pts, size_t n,
                        const double *p, const double *gap, const bool *counts,
                        uint32_t k) {
  size_t id = SIZE_MAX;
  uint64_t work = 0;
  bool got = pl_ndindex_find(x, &(pl_ndquery){p, gap, counts}, &id, &work);
  bool want = linear(pts, n, p, gap, counts, k);
  cr_assert_eq(got, want, "k %u, %zu points: index %d, scan %d", k, n, got,
               want);
  if (got) {
    cr_assert_lt(id, n);
    cr_assert(answers(pts + id * k, p, gap, counts, k), "id %zu", id);
  }
  cr_assert_gt(work, 0, "the work counter must move");
}

/* Queries: a stored point itself (answered only by a strictly better
 * one), a fresh draw, and a fresh draw with gaps of 0, one level or half
 * a level on the coordinates that count. */
static void check_queries(pl_rng *r, const pl_ndindex *x, const double *pts,
                          size_t n, uint32_t k, uint32_t levels) {
  double p[MAXK], gap[MAXK];
  bool counts[MAXK];
  if (n > 0)
    check_query(x, pts, n, pts + pl_rng_below(r, n) * k, NULL, NULL, k);
  draw(r, p, k, levels);
  check_query(x, pts, n, p, NULL, NULL, k);
  double step = 1.0 / (levels - 1);
  for (uint32_t j = 0; j < k; j++) {
    counts[j] = pl_rng_below(r, 3) != 0;
    uint64_t g = pl_rng_below(r, 3);
    gap[j] = g == 0 ? 0 : g == 1 ? step : step / 2;
  }
  check_query(x, pts, n, p, gap, counts, k);
}

/* Points added one at a time, queried as they come (the sweep's use),
 * then compacted (the archive's) and queried again, then added to. */
Test(ndindex, matches_a_linear_scan) {
  pl_rng r;
  pl_rng_seed(&r, 13);
  for (uint32_t k = 1; k <= MAXK; k++)
    for (uint32_t levels = 3; levels <= 12; levels += 9) {
      size_t n = k <= 3 ? 600 : 2500;
      double *pts = malloc(n * k * sizeof *pts);
      cr_assert_not_null(pts);
      pl_ndindex x;
      pl_ndindex_init(&x, k);
      for (size_t i = 0; i < n; i++) {
        draw(&r, pts + i * k, k, levels);
        cr_assert(pl_ndindex_add(&x, pts + i * k, i));
        if (i % 7 == 0)
          check_queries(&r, &x, pts, i + 1, k, levels);
      }
      cr_assert_eq(x.n, n);
      cr_assert(pl_ndindex_compact(&x));
      for (int q = 0; q < 300; q++)
        check_queries(&r, &x, pts, n, k, levels);
      pl_ndindex_free(&x);
      free(pts);
    }
}

/* Values that cannot become thresholds (p + gap overflows) take the plain
 * subtraction: still the scan's answer. */
Test(ndindex, huge_values_take_the_plain_test) {
  enum { K = 4 };
  double pts[3][K] = {
      {DBL_MAX, DBL_MAX, 1, 1}, {DBL_MAX, -DBL_MAX, 2, 2}, {-DBL_MAX, 0, 0, 0}};
  pl_ndindex x;
  pl_ndindex_init(&x, K);
  for (size_t i = 0; i < 3; i++)
    cr_assert(pl_ndindex_add(&x, pts[i], i));
  double p[K] = {-DBL_MAX, -DBL_MAX, 0, 0};
  double gap[K] = {DBL_MAX, DBL_MAX, DBL_MAX, 0.5};
  bool counts[K] = {true, true, true, true};
  check_query(&x, &pts[0][0], 3, p, gap, counts, K);
  gap[3] =
      DBL_MAX; /* nothing wins by more than DBL_MAX but DBL_MAX - -DBL_MAX */
  check_query(&x, &pts[0][0], 3, p, gap, counts, K);
  counts[0] = false;
  check_query(&x, &pts[0][0], 3, p, gap, counts, K);
  pl_ndindex_free(&x);
}

/* The archive with 4-6 parties: the non-dominated points, ties kept,
 * sorted as frontier.h says (utilities descending, then index), whatever
 * the order points came in and whether they came in one archive or two
 * merged (the enumeration's threads). */
static int lex(const double *a, const double *b, uint32_t k) {
  for (uint32_t j = 0; j < k; j++)
    if (a[j] != b[j])
      return a[j] > b[j] ? -1 : 1;
  return 0;
}

/* Points whose integer coordinates sum to the same total, scaled: no two
 * different ones dominate each other, as on a frontier (so the archive
 * grows to hundreds of points); one in four has a coordinate lowered by
 * a level, which some other point may then dominate. */
static void on_a_plane(pl_rng *r, double *u, uint32_t k, uint32_t levels) {
  long total = (long)(k - 1) * (levels - 1) / 2, sum = 0;
  for (uint32_t j = 0; j + 1 < k; j++) {
    long c = (long)pl_rng_below(r, levels);
    u[j] = (double)c / (levels - 1);
    sum += c;
  }
  u[k - 1] = (double)(total - sum) / (levels - 1);
  if (pl_rng_below(r, 4) == 0) {
    uint32_t j = (uint32_t)pl_rng_below(r, k);
    u[j] -= 1.0 / (levels - 1);
  }
}

Test(ndindex, archive_keeps_the_frontier_with_ties) {
  pl_rng r;
  pl_rng_seed(&r, 29);
  for (uint32_t k = 4; k <= 6; k++)
    for (uint32_t levels = 4; levels <= 9; levels += 5) {
      size_t n = 4000;
      double *pts = malloc(n * k * sizeof *pts);
      bool *front = malloc(n * sizeof *front);
      cr_assert(pts && front);
      for (size_t i = 0; i < n; i++)
        on_a_plane(&r, pts + i * k, k, levels);
      pl_archive a, b;
      pl_archive_init(&a, k);
      pl_archive_init(&b, k);
      for (size_t i = 0; i < n; i++)
        pl_archive_add(i % 3 ? &a : &b, i, pts + i * k);
      pl_archive_merge(&a, &b);
      pl_archive_finish(&a);
      cr_assert(!a.failed);
      size_t want = 0;
      for (size_t i = 0; i < n; i++) {
        front[i] = true;
        for (size_t q = 0; q < n && front[i]; q++)
          if (answers(pts + q * k, pts + i * k, NULL, NULL, k))
            front[i] = false;
        want += front[i];
      }
      cr_assert_eq(a.n, want, "k %u levels %u", k, levels);
      cr_expect_gt(want, 100, "a frontier large enough for the trees");
      for (size_t f = 0; f < a.n; f++) {
        uint64_t i = a.index[f];
        cr_assert_lt(i, n);
        cr_expect(front[i], "point %llu is dominated", (unsigned long long)i);
        cr_expect_eq(memcmp(a.u + f * k, pts + i * k, k * sizeof(double)), 0);
        if (f > 0) {
          int c = lex(a.u + (f - 1) * k, a.u + f * k, k);
          cr_expect(c < 0 || (c == 0 && a.index[f - 1] < i), "order at %zu", f);
        }
      }
      pl_archive_free(&a);
      pl_archive_free(&b);
      free(pts);
      free(front);
    }
}

/* The frontier of pts[0 .. n) by the textbook's linear archive: each
 * point is compared with every one kept, dropped when one dominates it,
 * and drops those it dominates (dominance is transitive, so what is kept
 * at the end is what nothing dominates). front[i] says whether point i is
 * on it. */
static void linear_front(const double *pts, size_t n, uint32_t k, bool *front) {
  size_t *kept = malloc((n ? n : 1) * sizeof *kept), m = 0;
  cr_assert_not_null(kept);
  for (size_t i = 0; i < n; i++) {
    front[i] = false;
    bool beaten = false;
    for (size_t q = 0; q < m && !beaten; q++)
      beaten = answers(pts + kept[q] * k, pts + i * k, NULL, NULL, k);
    if (beaten)
      continue;
    size_t w = 0;
    for (size_t q = 0; q < m; q++)
      if (!answers(pts + i * k, pts + kept[q] * k, NULL, NULL, k))
        kept[w++] = kept[q];
    kept[w++] = i;
    m = w;
  }
  for (size_t q = 0; q < m; q++)
    front[kept[q]] = true;
  free(kept);
}

/* A point on a plane (on_a_plane) raised on its last coordinate by a level
 * every `drift` points: later points often dominate earlier ones, as an
 * enumeration's later outcomes do, so that the archive's reductions drop
 * points that were once on the frontier. */
static void drifting(pl_rng *r, double *u, uint32_t k, uint32_t levels,
                     size_t i, size_t drift) {
  if (k == 1) {
    draw(r, u, k, levels);
    return;
  }
  on_a_plane(r, u, k, levels);
  u[k - 1] += (double)(i / drift) / (levels - 1);
}

/* The archive at every size of vector it takes a path for: one party (a
 * linear pass), two (a sweep), three (the staircase in the reduction, the
 * grid or, beyond 1,200 distinct points, the index for the tests), four
 * to six (the index), seventeen (more than the cache takes: nothing is
 * dropped before the reduction). Points come into three archives in runs
 * of 97, the first merged into an empty one (a copy) and the others after
 * it; every "yes" of pl_archive_dominated along the way must name a
 * dominator among the points that archive was given, and the end must be
 * the frontier of all the points, ties kept, in the archive's order.
 * Enough points for tens of reductions per archive. */
Test(ndindex, archive_at_every_size_matches_a_linear_scan) {
  struct {
    uint32_t k, levels;
    size_t n, drift;
  } cases[] = {{1, 5, 3000, 1},     {2, 40, 12000, 400}, {3, 6, 20000, 2000},
               {3, 70, 6000, 6000}, {4, 9, 20000, 2000}, {5, 5, 20000, 2000},
               {6, 4, 20000, 3000}, {17, 3, 4000, 400}};
  pl_rng r;
  pl_rng_seed(&r, 31);
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
    uint32_t k = cases[c].k, levels = cases[c].levels;
    size_t n = cases[c].n;
    double *pts = malloc(n * k * sizeof *pts);
    bool *front = malloc(n * sizeof *front);
    cr_assert(pts && front);
    for (size_t i = 0; i < n; i++)
      drifting(&r, pts + i * k, k, levels, i, cases[c].drift);
    pl_archive part[3], all;
    for (int x = 0; x < 3; x++)
      pl_archive_init(&part[x], k);
    pl_archive_init(&all, k);
    size_t said = 0;
    for (size_t i = 0; i < n; i++) {
      pl_archive *a = &part[(i / 97) % 3];
      if (i % 11 == 0 && pl_archive_dominated(a, pts + i * k)) {
        bool found = false; /* a dominator among the points a was given */
        for (size_t q = i; q-- > 0 && !found;)
          found = (q / 97) % 3 == (i / 97) % 3 &&
                  answers(pts + q * k, pts + i * k, NULL, NULL, k);
        cr_assert(found, "k %u: point %zu said dominated", k, i);
        said++;
      }
      pl_archive_add(a, i, pts + i * k);
    }
    if (k <= 6)
      cr_expect_gt(said, 0, "k %u: some points said dominated", k);
    for (int x = 0; x < 3; x++)
      pl_archive_merge(&all, &part[x]);
    pl_archive_finish(&all);
    cr_assert(!all.failed);
    linear_front(pts, n, k, front);
    size_t want = 0;
    for (size_t i = 0; i < n; i++)
      want += front[i];
    cr_assert_eq(all.n, want, "k %u levels %u: %zu points, scan %zu", k, levels,
                 all.n, want);
    size_t distinct = 0;
    for (size_t f = 0; f < all.n; f++) {
      uint64_t i = all.index[f];
      cr_assert_lt(i, n);
      cr_assert(front[i], "k %u: point %llu is dominated", k,
                (unsigned long long)i);
      cr_assert_eq(memcmp(all.u + f * k, pts + i * k, k * sizeof(double)), 0);
      int o = f > 0 ? lex(all.u + (f - 1) * k, all.u + f * k, k) : -1;
      cr_assert(o < 0 || (o == 0 && all.index[f - 1] < i), "k %u: order at %zu",
                k, f);
      distinct += o != 0;
    }
    if (k == 3 && levels == 70)
      cr_expect_gt(distinct, 1200, "a three-party frontier beyond the grid");
    if (k <= 6)
      cr_expect_lt(distinct, all.n, "k %u: ties on the frontier", k);
    for (int x = 0; x < 3; x++)
      pl_archive_free(&part[x]);
    pl_archive_free(&all);
    free(front);
    free(pts);
  }
}

/* The point that fills the buffer is compared with the clean points
 * before the reduction it triggers: once that reduction has made clean a
 * point that dominates it (here the strongest of the first 1,024, all on
 * a plane), it must be compared again, since from four parties on the
 * reductions compare new points only with each other. */
Test(ndindex, archive_drops_a_point_dominated_by_one_just_reduced) {
  for (uint32_t k = 2; k <= 6; k++) {
    pl_rng r;
    pl_rng_seed(&r, 41 + k);
    pl_archive a;
    pl_archive_init(&a, k);
    double u[MAXK];
    size_t n = 0;
    for (; n < 1023; n++) {
      for (uint32_t j = 0; j < k; j++) /* sums 0: none dominates another */
        u[j] = (double)pl_rng_below(&r, 1000) - 500;
      double sum = 0;
      for (uint32_t j = 0; j + 1 < k; j++)
        sum += u[j];
      u[k - 1] = -sum;
      pl_archive_add(&a, n, u);
    }
    for (uint32_t j = 0; j < k; j++)
      u[j] = 1e4; /* the strongest: dominates every point but ... */
    pl_archive_add(&a, n++, u);
    u[0] = 1e4 - 1; /* ... this one, which only it dominates */
    pl_archive_add(&a, n++, u);
    pl_archive_finish(&a);
    cr_assert(!a.failed);
    cr_assert_eq(a.n, 1, "k %u: %zu points", k, a.n);
    cr_assert_eq(a.index[0], 1023, "k %u", k);
    pl_archive_free(&a);
  }
}
