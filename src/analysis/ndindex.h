/* ndindex.h - a dominance index over points of k coordinates, for the
 * Pareto archive (frontier.c) and the frontier sweep's cut (sweep.c) when
 * there are four objectives or more.
 *
 * The question it answers, exactly: is there a point q in the set with
 * q[j] >= p[j] for every coordinate j, and q[a] - p[a] > gap[a] for some
 * coordinate a that may count? With every gap 0 and every coordinate
 * counting, that is "some q dominates p" (at least as good everywhere,
 * better somewhere); the sweep's wider gaps ask for a clear win.
 *
 * Points go into static k-d trees (median splits on the widest coordinate,
 * each node with the box of its points) kept by the logarithmic method: a
 * small buffer, then trees of 32, 64, 128, ... points, two of a size
 * rebuilt into one. A query walks each tree, skipping a node whose box
 * cannot hold an answer and answering at once for a node whose every
 * point is one. Only comparisons of the stored doubles: no rounding, so
 * the answer is the linear scan's, whatever the order points came in.
 */
#ifndef PL_ANALYSIS_NDINDEX_H
#define PL_ANALYSIS_NDINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* PL_NDINDEX_MAX_K: coordinates the fast path handles (more: the same
 * answers by the plain subtraction). */
enum { PL_NDINDEX_LEVELS = 48, PL_NDINDEX_MAX_K = 128 };

typedef struct pl_ndtree pl_ndtree;

typedef struct pl_ndindex {
  uint32_t k;
  size_t n; /* points held */
  /* The buffer: the latest points, up to PL_NDINDEX_BUFFER, scanned. */
  double *buf;
  size_t *buf_id, nbuf;
  pl_ndtree *level[PL_NDINDEX_LEVELS]; /* level i: NULL or a tree */
  bool failed;                         /* out of memory: answers incomplete */
} pl_ndindex;

/* What a query asks: p (k coordinates), and per coordinate the gap a win
 * must exceed and whether it may count (gap NULL: 0 everywhere, every
 * coordinate counts: plain dominance). */
typedef struct pl_ndquery {
  const double *p;
  const double *gap;
  const bool *counts;
} pl_ndquery;

/* Whether x dominates p: x >= p everywhere and x > p somewhere (a query
 * without gaps; the archive's cache too). Inline, for the walks and the
 * cache to specialise on a constant k. */
static inline bool pl_nd_dominates(const double *x, const double *p,
                                   uint32_t k) {
#if defined(__SSE2__)
  /* Four to six coordinates, two at a time (x86-64 has SSE2 always):
   * the same ordered comparisons (NaN compares false either way), half
   * the instructions of the walk's commonest test. */
  if (k >= 4 && k <= 6) {
    __m128d x0 = _mm_loadu_pd(x), p0 = _mm_loadu_pd(p);
    __m128d x1 = _mm_loadu_pd(x + 2), p1 = _mm_loadu_pd(p + 2);
    __m128d lt = _mm_or_pd(_mm_cmplt_pd(x0, p0), _mm_cmplt_pd(x1, p1));
    __m128d gt = _mm_or_pd(_mm_cmpgt_pd(x0, p0), _mm_cmpgt_pd(x1, p1));
    if (k == 6) {
      __m128d x2 = _mm_loadu_pd(x + 4), p2 = _mm_loadu_pd(p + 4);
      lt = _mm_or_pd(lt, _mm_cmplt_pd(x2, p2));
      gt = _mm_or_pd(gt, _mm_cmpgt_pd(x2, p2));
    }
    unsigned below = (unsigned)_mm_movemask_pd(lt);
    unsigned win = (unsigned)_mm_movemask_pd(gt);
    if (k == 5) {
      below |= x[4] < p[4];
      win |= x[4] > p[4];
    }
    return !below && win;
  }
#endif
  unsigned below = 0, win = 0;
  for (uint32_t j = 0; j < k; j++) {
    below |= x[j] < p[j];
    win |= x[j] > p[j];
  }
  return !below && win;
}

void pl_ndindex_init(pl_ndindex *x, uint32_t k);
void pl_ndindex_free(pl_ndindex *x);
/* Adds a copy of u with the caller's id; false when out of memory (the
 * index is then marked failed and must not be trusted to say "no"). */
bool pl_ndindex_add(pl_ndindex *x, const double *u, size_t id);
/* Fills an empty index, in one tree, with the points u + rows[i] * k
 * (ids rows[i]): cheaper than adding them one by one when no query comes
 * in between. False when out of memory (failed). */
bool pl_ndindex_build(pl_ndindex *x, const double *u, const size_t *rows,
                      size_t n);
/* Rebuilds everything into one tree, for a set that no longer grows. */
bool pl_ndindex_compact(pl_ndindex *x);
/* Whether some point answers q; *id is then its id. *work (when not NULL)
 * grows by the nodes and points looked at. */
bool pl_ndindex_find(const pl_ndindex *x, const pl_ndquery *q, size_t *id,
                     uint64_t *work);

#endif
