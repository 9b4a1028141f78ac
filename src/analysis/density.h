/* density.h - how the packages spread over the utility plane of two
 * actors, binned into a grid (internal; the report draws it).
 *
 * A plot of a large space cannot show one point per package. Instead the
 * packages are walked once (every one of them up to `max_walk`, above that
 * a seeded uniform sample) and counted per cell of a grid over each pair of
 * the actors asked for, separately for the feasible packages and for the
 * agreement zone. Counts are sums over threads, so they do not depend on
 * the thread count; the sample depends only on the seed.
 */
#ifndef PL_ANALYSIS_DENSITY_H
#define PL_ANALYSIS_DENSITY_H

#include "model/scenario.h"

enum { PL_DENSITY_MAX_ACTORS = 8 };

typedef struct pl_density_options {
  uint32_t nx, ny;                        /* cells per axis (1 .. 1000) */
  uint32_t nactors;                       /* 2 .. PL_DENSITY_MAX_ACTORS */
  uint32_t actors[PL_DENSITY_MAX_ACTORS]; /* actor indices (parties first) */
  double lo, hi;                          /* the utility range of both axes */
  uint64_t max_walk; /* walk every package up to this many */
  uint64_t samples;  /* above it, draw this many uniformly */
  uint64_t seed;
  unsigned threads; /* 0: all cores */
} pl_density_options;

typedef struct pl_density {
  pl_density_options opt;
  uint32_t npairs; /* nactors * (nactors - 1) / 2, pairs (i, j), i < j */
  /* Per pair, nx * ny counts, row 0 at `lo` of the second actor:
   * feasible[pair * nx * ny + row * nx + col]. */
  uint64_t *feasible, *zone;
  uint64_t visited;  /* packages walked or drawn */
  bool sampled;      /* a sample, not every package */
  uint64_t outcomes; /* size of the space (UINT64_MAX: 2^64 or more) */
} pl_density;

/* Index of pair (i, j), i < j, among the pairs of nactors. */
uint32_t pl_density_pair(uint32_t nactors, uint32_t i, uint32_t j);

/* Bins the packages; NULL (with a message in d) for bad options or when
 * memory runs out. */
pl_density *pl_density_bin(const pl_scenario *s, const pl_density_options *o,
                           pl_diag *d);
void pl_density_free(pl_density *g);

#endif
