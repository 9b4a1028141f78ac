/* frontier.h - Pareto archive: the non-dominated points among those added.
 *
 * Points are added to a buffer; when it fills, buffer and archive are sorted
 * together and dominated points dropped, so memory follows the size of the
 * frontier, not the number of outcomes scanned. Points with equal utility
 * vectors are all kept (ties kept). A point q dominates p when q_j >= p_j for
 * every party j and q != p: exact comparisons, because every path sums
 * utilities in the same order and so gets the same bits.
 */
#ifndef PL_ANALYSIS_FRONTIER_H
#define PL_ANALYSIS_FRONTIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { PL_ARCHIVE_CACHE = 16, PL_ARCHIVE_CACHE_K = 16 };

typedef struct pl_archive {
  uint32_t k;    /* utilities per point */
  size_t n, cap; /* points held, room */
  size_t clean;  /* points[0 .. clean) are known to be non-dominated */
  uint64_t *index;
  double *u;   /* n * k */
  bool failed; /* out of memory */
  /* Copies of archive points that recently dominated a new point, most
   * recent first: most outcomes are dominated by one of them and are
   * dropped before reaching the buffer (up to PL_ARCHIVE_CACHE_K parties). */
  double cache[PL_ARCHIVE_CACHE * PL_ARCHIVE_CACHE_K];
  uint32_t ncache;
  size_t hint; /* place in `distinct` of the last dominator found */
  /* Positions in the clean part of the first point of each run of equal
   * points: dominance needs comparing with distinct points only. */
  size_t *distinct, ndistinct;
  /* Three parties: for the distinct clean points, the largest first
   * utility among those whose second and third are at least each pair of
   * their values (a suffix-maximum table over the sorted values, rebuilt
   * when the archive is reduced), answering most dominance tests in two
   * binary searches instead of a pass over the points. The table holds
   * ranks in g0 (g0[0] = -DBL_MAX, then the sorted distinct first
   * utilities), 16 bits each: a quarter of the fresh pages of doubles. */
  uint16_t *grid;
  double *g0, *g1, *g2;
  size_t n1, n2;
  /* Four parties or more (three beyond the grid's size): a dominance
   * index over the distinct clean points (ndindex.h). */
  struct pl_ndindex *nd;
  /* The grid or index above is not built yet for the clean points: built
   * when a query first needs it, so that the last reduction (finish) and
   * a merge into an empty archive build nothing. */
  bool unindexed;
  /* Some point of [clean, n) was buffered without being compared with
   * every clean point (more than PL_ARCHIVE_CACHE_K parties, or clean
   * points with no `distinct` list): the reduction must compare them. */
  bool unchecked;
} pl_archive;

void pl_archive_init(pl_archive *a, uint32_t k);
void pl_archive_free(pl_archive *a);
void pl_archive_add(pl_archive *a, uint64_t index, const double *u);
/* Whether a point of the archive dominates u, found cheaply (false when
 * unsure): then u, and any point u dominates, can never be on the
 * frontier. */
bool pl_archive_dominated(pl_archive *a, const double *u);
/* The same against the few recent dominators only: cheaper, surer to miss. */
bool pl_archive_cache_dominates(pl_archive *a, const double *u);
/* Adds every point of src into dst. */
void pl_archive_merge(pl_archive *dst, const pl_archive *src);
/* Drops dominated points and sorts: first utility descending, then the
 * next ones descending, then outcome index ascending. */
void pl_archive_finish(pl_archive *a);

#endif
