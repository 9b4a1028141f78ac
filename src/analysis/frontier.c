#include "analysis/frontier.h"
#include "analysis/ndindex.h"
#include "util/sort.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

enum { ARCHIVE_MIN_CAP = 1024 };

void pl_archive_init(pl_archive *a, uint32_t k) {
  memset(a, 0, sizeof *a);
  a->k = k;
}

void pl_archive_free(pl_archive *a) {
  free(a->index);
  free(a->u);
  free(a->distinct);
  free(a->grid);
  free(a->g0);
  free(a->g1);
  free(a->g2);
  if (a->nd)
    pl_ndindex_free(a->nd);
  free(a->nd);
  memset(a, 0, sizeof *a);
}

static bool reserve(pl_archive *a, size_t cap) {
  if (cap <= a->cap)
    return true;
  uint64_t *index = realloc(a->index, cap * sizeof *index);
  if (index)
    a->index = index;
  double *u = realloc(a->u, cap * a->k * sizeof *u);
  if (u)
    a->u = u;
  if (!index || !u) {
    a->failed = true;
    return false;
  }
  a->cap = cap;
  return true;
}

/* Lexicographic order: utilities descending, then index ascending. */
static int compare(const void *ctx, size_t x, size_t y) {
  const pl_archive *a = ctx;
  const double *ux = a->u + x * a->k, *uy = a->u + y * a->k;
  for (uint32_t j = 0; j < a->k; j++)
    if (ux[j] != uy[j])
      return ux[j] > uy[j] ? -1 : 1;
  return a->index[x] < a->index[y] ? -1 : a->index[x] > a->index[y];
}

/* True when q (earlier in the order, so lexicographically >= p) dominates
 * p: all coordinates >= and not all equal. */
static bool dominates(const double *q, const double *p, uint32_t k) {
  bool differ = false;
  for (uint32_t j = 0; j < k; j++) {
    if (q[j] < p[j])
      return false;
    differ |= q[j] != p[j];
  }
  return differ;
}

/* Whether one of the distinct kept points (positions `at[0..n)` in u)
 * dominates p; *hint is the place in `at` of the one that did. The one
 * that dominated the previous candidate is tried first: dominators
 * cluster, so most candidates fall at the first test. */
static bool dominated_by_kept(const double *u, const size_t *at, size_t n,
                              const double *p, uint32_t k, size_t *hint) {
  if (*hint < n && dominates(u + at[*hint] * k, p, k))
    return true;
  for (size_t q = 0; q < n; q++) {
    const double *x = u + at[q] * k;
    if (x[0] < p[0])
      break; /* sorted by the first utility, descending: none further */
    if (dominates(x, p, k)) {
      *hint = q;
      return true;
    }
  }
  return false;
}

/* Two parties: sorted by u0 descending, p is dominated exactly when some
 * earlier point has a larger u1, or the same u1 with a larger u0. */
typedef struct sweep2 {
  double best1, best1_u0;
  bool any;
} sweep2;

static bool dominated2(sweep2 *w, const double *p) {
  if (w->any && (w->best1 > p[1] || (w->best1 == p[1] && w->best1_u0 > p[0])))
    return true;
  if (!w->any || p[1] > w->best1) {
    w->best1 = p[1];
    w->best1_u0 = p[0];
    w->any = true;
  }
  return false;
}

/* Three parties, in the archive's order: every point before p has a
 * first utility >= p's, so p is dominated exactly when an earlier kept
 * point has second and third utilities >= p's (and is not p's equal:
 * equal points are adjacent, and taken as ties before this test). The
 * staircase holds the pairs (second, third) of the kept points that no
 * other kept pair reaches on both, by second descending and so third
 * ascending: the earlier pairs with a second >= p's are a prefix, and
 * the largest third among them is the prefix's last. Kung, Luccio and
 * Preparata's three-dimensional maxima, O(n log n) but for the moves;
 * within a run of equal first utilities the seconds descend, so the new
 * pair lands near the end and little moves. */
typedef struct stair {
  double *s1, *s2;
  size_t n;
} stair;

/* First place in the staircase whose second is below x (<= x when
 * `or_equal`): a prefix's end. */
static size_t stair_prefix(const stair *st, double x, bool or_equal) {
  size_t lo = 0, hi = st->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (or_equal ? st->s1[mid] > x : st->s1[mid] >= x)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Whether p is dominated by a kept point; if not, p's pair joins the
 * staircase, replacing the pairs it reaches on both. */
static bool stair_dominated(stair *st, const double *p) {
  size_t i = stair_prefix(st, p[1], false); /* [0, i): second >= p[1] */
  if (i > 0 && st->s2[i - 1] >= p[2])
    return true;
  size_t j = stair_prefix(st, p[1], true); /* [j, n): second <= p[1] */
  size_t hi = j;                           /* [j, hi): third <= p[2] too */
  size_t lo2 = j, hi2 = st->n;
  while (lo2 < hi2) {
    size_t mid = lo2 + (hi2 - lo2) / 2;
    if (st->s2[mid] <= p[2])
      lo2 = mid + 1;
    else
      hi2 = mid;
  }
  hi = lo2;
  if (hi == j) { /* nothing replaced: make room at j */
    memmove(st->s1 + j + 1, st->s1 + j, (st->n - j) * sizeof *st->s1);
    memmove(st->s2 + j + 1, st->s2 + j, (st->n - j) * sizeof *st->s2);
    st->n++;
  } else if (hi > j + 1) {
    memmove(st->s1 + j + 1, st->s1 + hi, (st->n - hi) * sizeof *st->s1);
    memmove(st->s2 + j + 1, st->s2 + hi, (st->n - hi) * sizeof *st->s2);
    st->n -= hi - j - 1;
  }
  st->s1[j] = p[1];
  st->s2[j] = p[2];
  return false;
}

/* Archives of this many parties or more answer dominance by the index of
 * ndindex.h: with thousands of frontier points the linear pass was most
 * of a five-party enumeration (76 % of its time, bench/README.md). */
enum { ND_MIN_K = 4 };

/* Whether a point of the archive dominates p, the archive being reduced
 * by the index (four parties or more). The clean points do not dominate
 * one another, so a clean point can only be dominated by a point added
 * since (`added`: an index of those), and an added one by another or by a
 * clean one (a->nd, the index of the clean distinct points; is_new: p is
 * an added point) — unless pl_archive_add compared it with them all
 * already (!a->unchecked), as it does up to PL_ARCHIVE_CACHE_K parties.
 * Dominance is transitive, so asking all of them, kept or not, is the
 * same as asking the kept ones. *last (a row of a->u, or SIZE_MAX) is the
 * one that dominated the previous point dropped, tried first. */
static bool dominated_nd(const pl_archive *a, const pl_ndindex *added,
                         const double *p, bool is_new, size_t *last) {
  uint32_t k = a->k;
  if (*last != SIZE_MAX && dominates(a->u + *last * k, p, k))
    return true;
  pl_ndquery q = {p, NULL, NULL};
  return pl_ndindex_find(added, &q, last, NULL) ||
         (is_new && a->unchecked && a->nd &&
          pl_ndindex_find(a->nd, &q, last, NULL));
}

static void index_clean(pl_archive *a);

/* The index of the points added since the last reduction, rows [clean, n)
 * of a->u. */
static bool index_added(const pl_archive *a, pl_ndindex *x) {
  size_t m = a->n - a->clean;
  size_t *rows = malloc((m ? m : 1) * sizeof *rows);
  for (size_t i = 0; rows && i < m; i++)
    rows[i] = a->clean + i;
  bool ok = rows && pl_ndindex_build(x, a->u, rows, m);
  free(rows);
  return ok;
}

static void drop_index(pl_archive *a);

/* perm[0 .. n) receives the rows of a in the archive's order. The clean
 * rows are in that order already (the last reduction wrote them so), so
 * only the rows added since are sorted, then merged with them: a
 * reduction sorted thousands of clean points again each time. tmp has
 * room for n. */
static void sort_rows(const pl_archive *a, size_t *perm, size_t *tmp) {
  size_t n = a->n, c = a->clean;
  bool in_order = true; /* as reduce leaves them; checked, not assumed */
  for (size_t i = 1; i < c && in_order; i++)
    in_order = compare(a, i - 1, i) < 0;
  if (!in_order)
    c = 0;
  for (size_t i = 0; i < n; i++)
    tmp[i] = i;
  pl_sort_perm(tmp + c, perm, n - c, compare, a);
  size_t x = 0, y = c;
  for (size_t r = 0; r < n; r++)
    perm[r] = y == n || (x < c && compare(a, tmp[x], tmp[y]) < 0) ? tmp[x++]
                                                                  : tmp[y++];
}

static void reduce(pl_archive *a) {
  size_t n = a->n;
  uint32_t k = a->k;
  if (n == 0 || a->failed)
    return;
  size_t *perm = malloc(n * sizeof *perm), *tmp = malloc(n * sizeof *tmp);
  uint64_t *index = malloc(n * sizeof *index);
  double *u = malloc(n * k * sizeof *u);
  if (!perm || !tmp || !index || !u) {
    free(perm), free(tmp), free(index), free(u);
    a->failed = true;
    return;
  }
  sort_rows(a, perm, tmp);
  size_t *distinct = malloc(n * sizeof *distinct);
  if (!distinct) {
    free(perm), free(tmp), free(index), free(u);
    a->failed = true;
    return;
  }
  size_t kept = 0, ndistinct = 0, hint = 0, last = SIZE_MAX;
  sweep2 w2 = {0, 0, false};
  bool by_index = k >= ND_MIN_K;
  pl_ndindex added;
  pl_ndindex_init(&added, k);
  if (by_index && !index_added(a, &added))
    a->failed = true;
  if (by_index && a->unchecked && a->unindexed)
    index_clean(a);
  stair st = {NULL, NULL, 0};
  if (k == 3) {
    st.s1 = malloc(n * sizeof *st.s1);
    st.s2 = malloc(n * sizeof *st.s2);
    if (!st.s1 || !st.s2)
      a->failed = true;
  }
  for (size_t r = 0; r < n && !a->failed; r++) {
    const double *p = a->u + perm[r] * k;
    /* Equal to the last kept point: a tie, kept like it. Ties come
     * together after sorting, so only distinct points need comparing. */
    bool tie = kept > 0 && !memcmp(u + (kept - 1) * k, p, k * sizeof *p);
    if (!tie &&
        (k == 2     ? dominated2(&w2, p)
         : k == 3   ? stair_dominated(&st, p)
         : by_index ? dominated_nd(a, &added, p, perm[r] >= a->clean, &last)
                    : dominated_by_kept(u, distinct, ndistinct, p, k, &hint)))
      continue;
    if (!tie)
      distinct[ndistinct++] = kept;
    index[kept] = a->index[perm[r]];
    memcpy(u + kept * k, p, k * sizeof *u);
    kept++;
  }
  free(perm);
  free(tmp);
  free(st.s1);
  free(st.s2);
  pl_ndindex_free(&added);
  if (a->failed) {
    free(index), free(u), free(distinct);
    return;
  }
  free(a->index);
  free(a->u);
  free(a->distinct);
  a->index = index;
  a->u = u;
  a->distinct = distinct;
  a->ndistinct = ndistinct;
  a->n = a->clean = kept;
  a->cap = n;
  a->ncache = 0; /* the cache holds copies: still valid, but refresh it */
  a->unchecked = false;
  drop_index(a);
}

/* The table of pl_archive.grid for at most this many distinct points
 * (1201^2 ranks of 16 bits: 2.9 MB); beyond, the linear pass. */
enum { GRID_MAX_POINTS = 1200 };

static int ascending(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

/* Sorted distinct values of coordinate j of the distinct points. */
static size_t sorted_values(const pl_archive *a, uint32_t j, double *out) {
  size_t n = 0;
  for (size_t d = 0; d < a->ndistinct; d++)
    out[n++] = a->u[a->distinct[d] * a->k + j];
  qsort(out, n, sizeof *out, ascending);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (m == 0 || out[i] != out[m - 1])
      out[m++] = out[i];
  return m;
}

/* First place in v[0..n) holding a value >= x (n when none), v ascending.
 * Branch-free (the answer lies in [lo, lo + n], halved each step by a
 * conditional move): the grid's searches take most of a three-party
 * test, and a mispredicted branch costs as much as a step. */
static size_t first_at_least(const double *v, size_t n, double x) {
  size_t lo = 0;
  while (n > 1) {
    size_t half = n / 2;
    lo = v[lo + half - 1] < x ? lo + half : lo;
    n -= half;
  }
  return lo + (n == 1 && v[lo] < x);
}

static void drop_grid(pl_archive *a) {
  free(a->grid), free(a->g0), free(a->g1), free(a->g2);
  a->grid = NULL;
  a->g0 = a->g1 = a->g2 = NULL;
}

/* The clean points changed: their grid or index is rebuilt when next
 * asked (index_clean). */
static void drop_index(pl_archive *a) {
  drop_grid(a);
  if (a->nd)
    pl_ndindex_free(a->nd);
  free(a->nd);
  a->nd = NULL;
  a->unindexed = true;
}

static void build_grid(pl_archive *a) {
  size_t d = a->ndistinct;
  _Static_assert(GRID_MAX_POINTS < UINT16_MAX, "ranks must fit 16 bits");
  a->g0 = malloc((d + 1) * sizeof *a->g0);
  a->g1 = malloc(d * sizeof *a->g1);
  a->g2 = malloc(d * sizeof *a->g2);
  if (!a->g0 || !a->g1 || !a->g2) {
    drop_grid(a);
    return; /* the linear pass still answers */
  }
  a->g0[0] = -DBL_MAX; /* rank 0: no point */
  size_t n0 = sorted_values(a, 0, a->g0 + 1);
  a->n1 = sorted_values(a, 1, a->g1);
  a->n2 = sorted_values(a, 2, a->g2);
  size_t w = a->n2 + 1;
  a->grid = malloc((a->n1 + 1) * w * sizeof *a->grid);
  if (!a->grid) {
    drop_grid(a);
    return;
  }
  memset(a->grid, 0, (a->n1 + 1) * w * sizeof *a->grid);
  for (size_t q = 0; q < d; q++) {
    const double *p = a->u + a->distinct[q] * 3;
    size_t i = first_at_least(a->g1, a->n1, p[1]);
    size_t j = first_at_least(a->g2, a->n2, p[2]);
    uint16_t r = (uint16_t)(first_at_least(a->g0 + 1, n0, p[0]) + 1);
    if (r > a->grid[i * w + j])
      a->grid[i * w + j] = r;
  }
  /* Ranks order as the utilities do, so their maxima are the same. */
  for (size_t i = a->n1; i-- > 0;)
    for (size_t j = a->n2; j-- > 0;) {
      uint16_t m = a->grid[i * w + j];
      m = m > a->grid[(i + 1) * w + j] ? m : a->grid[(i + 1) * w + j];
      m = m > a->grid[i * w + j + 1] ? m : a->grid[i * w + j + 1];
      a->grid[i * w + j] = m;
    }
}

/* The grid (three parties, up to GRID_MAX_POINTS distinct points) or the
 * index (four parties or more, or three beyond the grid) of the distinct
 * clean points, for pl_archive_dominated and the next reduction. Without
 * one (out of memory for the grid) the linear pass answers. */
static void index_clean(pl_archive *a) {
  a->unindexed = false;
  size_t d = a->ndistinct;
  if (d == 0 || a->k < 3)
    return;
  if (a->k == 3 && d <= GRID_MAX_POINTS) {
    build_grid(a);
    return;
  }
  pl_ndindex *nd = malloc(sizeof *nd);
  if (nd)
    pl_ndindex_init(nd, a->k);
  if (!nd || !pl_ndindex_build(nd, a->u, a->distinct, d)) {
    if (nd)
      pl_ndindex_free(nd);
    free(nd);
    a->failed = true;
    return;
  }
  a->nd = nd;
}

/* By the table, exactly: some distinct point x >= p differs from p,
 * that is has x0 > p0, or x1 > p1, or x2 > p2 with the rest at least
 * p's: three lookups of the largest x0 over a quadrant. */
static bool grid_dominated(const pl_archive *a, const double *p) {
  size_t w = a->n2 + 1;
  size_t i = first_at_least(a->g1, a->n1, p[1]);
  size_t j = first_at_least(a->g2, a->n2, p[2]);
  size_t i2 = i < a->n1 && a->g1[i] == p[1] ? i + 1 : i; /* x1 > p1 */
  size_t j2 = j < a->n2 && a->g2[j] == p[2] ? j + 1 : j; /* x2 > p2 */
  const double *x0 = a->g0;
  return x0[a->grid[i * w + j]] > p[0] || x0[a->grid[i2 * w + j]] >= p[0] ||
         x0[a->grid[i * w + j2]] >= p[0];
}

/* Puts a copy of point q at the front of the cache of dominators. */
static void cache_front(pl_archive *a, const double *q) {
  uint32_t k = a->k;
  uint32_t n = a->ncache < PL_ARCHIVE_CACHE ? a->ncache + 1 : a->ncache;
  memmove(a->cache + k, a->cache, (n - 1) * k * sizeof(double));
  memcpy(a->cache, q, k * sizeof(double));
  a->ncache = n;
}

/* The place in the cache of the first point that dominates u, or ncache:
 * with k constant (cache_find) the test of a point is unrolled and
 * branch-free, one branch per cached point (the cache was 13 % of a
 * five-party enumeration). */
static inline uint32_t cache_scan(const double *cache, uint32_t ncache,
                                  const double *u, uint32_t k) {
  for (uint32_t c = 0; c < ncache; c++)
    if (pl_nd_dominates(cache + c * k, u, k))
      return c;
  return ncache;
}

static uint32_t cache_find(const pl_archive *a, const double *u) {
  switch (a->k) {
  case 2:
    return cache_scan(a->cache, a->ncache, u, 2);
  case 3:
    return cache_scan(a->cache, a->ncache, u, 3);
  case 4:
    return cache_scan(a->cache, a->ncache, u, 4);
  case 5:
    return cache_scan(a->cache, a->ncache, u, 5);
  case 6:
    return cache_scan(a->cache, a->ncache, u, 6);
  default:
    return cache_scan(a->cache, a->ncache, u, a->k);
  }
}

/* Whether a cached dominator dominates u; the one found moves to the front
 * (least recently useful ones fall off the end). */
static bool cache_dominates(pl_archive *a, const double *u) {
  uint32_t k = a->k, c = cache_find(a, u);
  if (c == a->ncache)
    return false;
  if (c > 0) {
    double q[PL_ARCHIVE_CACHE_K];
    memcpy(q, a->cache + c * k, k * sizeof(double));
    memmove(a->cache + k, a->cache, c * k * sizeof(double));
    memcpy(a->cache, q, k * sizeof(double));
  }
  return true;
}

bool pl_archive_cache_dominates(pl_archive *a, const double *u) {
  return a->k <= PL_ARCHIVE_CACHE_K && cache_dominates(a, u);
}

/* A point dominated by one of the archive is dominated by whatever later
 * dominates that one too, so it can never be on the frontier: it is
 * dropped at once rather than buffered. The cache of recent dominators
 * catches most such points in a few comparisons. */
bool pl_archive_dominated(pl_archive *a, const double *u) {
  if (a->k > PL_ARCHIVE_CACHE_K)
    return false;
  if (cache_dominates(a, u))
    return true;
  if (a->unindexed)
    index_clean(a);
  if (a->grid)
    return grid_dominated(a, u);
  if (a->nd) {
    size_t at;
    pl_ndquery q = {u, NULL, NULL};
    if (!pl_ndindex_find(a->nd, &q, &at, NULL))
      return false;
    cache_front(a, a->u + at * a->k);
    return true;
  }
  size_t q = a->hint;
  if (dominated_by_kept(a->u, a->distinct, a->ndistinct, u, a->k, &q)) {
    a->hint = q;
    cache_front(a, a->u + a->distinct[q] * a->k);
    return true;
  }
  return false;
}

void pl_archive_add(pl_archive *a, uint64_t index, const double *u) {
  if (a->failed || pl_archive_dominated(a, u))
    return;
  if (a->n == a->cap) {
    /* The grid or index of the reduced archive is built by the next
     * test, not here: the last reduction (finish) would build it for
     * nothing, and fresh pages cost 15 us each on some virtual machines
     * (the talks' whole analysis was mostly the grid's). */
    reduce(a);
    /* u was compared with the clean points before the reduction, not
     * with those it has just made clean. */
    if (a->failed || pl_archive_dominated(a, u))
      return;
    /* Keep the buffer at least as large again as the archive, so reducing
     * costs O(1) amortised per point added. */
    size_t want = a->n * 2 > ARCHIVE_MIN_CAP ? a->n * 2 : ARCHIVE_MIN_CAP;
    if (!reserve(a, want))
      return;
  }
  /* pl_archive_dominated compared u with every clean point, unless it
   * could not (see pl_archive.unchecked). */
  if (a->k > PL_ARCHIVE_CACHE_K || (a->clean > 0 && a->ndistinct == 0))
    a->unchecked = true;
  a->index[a->n] = index;
  memcpy(a->u + a->n * a->k, u, a->k * sizeof *u);
  a->n++;
}

/* Into an empty archive, a copy of src as it stands (its reduction state
 * included): adding its points one by one would reduce them all again. */
static void copy_into_empty(pl_archive *dst, const pl_archive *src) {
  uint32_t k = src->k;
  size_t *distinct =
      malloc((src->ndistinct ? src->ndistinct : 1) * sizeof *distinct);
  if (!distinct || !reserve(dst, src->cap > 0 ? src->cap : 1)) {
    free(distinct);
    dst->failed = true;
    return;
  }
  memcpy(dst->index, src->index, src->n * sizeof *src->index);
  memcpy(dst->u, src->u, src->n * k * sizeof *src->u);
  if (src->ndistinct > 0)
    memcpy(distinct, src->distinct, src->ndistinct * sizeof *distinct);
  free(dst->distinct);
  dst->distinct = distinct;
  dst->ndistinct = src->ndistinct;
  dst->n = src->n;
  dst->clean = src->clean;
  dst->unchecked = src->unchecked;
  memcpy(dst->cache, src->cache, sizeof dst->cache);
  dst->ncache = src->ncache;
  drop_index(dst);
}

void pl_archive_merge(pl_archive *dst, const pl_archive *src) {
  dst->failed |= src->failed;
  if (dst->failed)
    return;
  if (dst->n == 0 && dst->k == src->k && src->n > 0) {
    copy_into_empty(dst, src);
    return;
  }
  for (size_t i = 0; i < src->n; i++)
    pl_archive_add(dst, src->index[i], src->u + i * src->k);
}

void pl_archive_finish(pl_archive *a) {
  if (a->n != a->clean)
    reduce(a);
}
