/* density.c - packages binned over the utility plane (density.h).
 *
 * A walk of its own rather than a hook in the enumeration kernel (scan.c):
 * the report asks for it only when it draws, and the kernel stays free of
 * plotting concerns. A walk costs one utility sum per actor and package.
 */
#include "analysis/density.h"
#include "util/diag.h"
#include "util/parallel.h"
#include "util/rng.h"

#include <stdlib.h>
#include <string.h>

uint32_t pl_density_pair(uint32_t n, uint32_t i, uint32_t j) {
  /* Pairs in order (0,1), (0,2), ..., (1,2), ... */
  return i * n - i * (i + 1) / 2 + (j - i - 1);
}

typedef struct walk {
  const pl_scenario *s;
  const pl_density_options *o;
  uint32_t npairs;
  size_t cells;              /* per grid */
  uint64_t *feasible, *zone; /* per worker: npairs * cells each */
} walk;

/* Cell of utility u on an axis of n cells over [lo, hi]; -1 outside. */
static int cell_of(const pl_density_options *o, uint32_t n, double u) {
  double t = (u - o->lo) / (o->hi - o->lo);
  if (!(t >= 0) || t > 1)
    return -1;
  uint32_t c = (uint32_t)(t * n);
  return (int)(c >= n ? n - 1 : c);
}

/* Counts one package in the worker's grids. */
static void count(const walk *w, unsigned worker, const uint32_t *v) {
  const pl_scenario *s = w->s;
  const pl_density_options *o = w->o;
  for (uint32_t k = 0; k < s->nconstraints; k++)
    if (!pl_rule_holds(&s->constraints[k], v))
      return;
  bool in_zone = true;
  for (uint32_t a = 0; a < pl_num_actors(s) && in_zone; a++) {
    const pl_actor *act = &s->actors[a];
    in_zone = pl_actor_utility(s, a, v) >= act->threshold - PL_EPS;
    for (uint32_t r = 0; r < act->nred_lines && in_zone; r++)
      in_zone = pl_rule_holds(&act->red_lines[r], v);
  }
  int cx[PL_DENSITY_MAX_ACTORS], cy[PL_DENSITY_MAX_ACTORS];
  for (uint32_t k = 0; k < o->nactors; k++) {
    double u = pl_actor_utility(s, o->actors[k], v);
    cx[k] = cell_of(o, o->nx, u);
    cy[k] = cell_of(o, o->ny, u);
  }
  size_t base = (size_t)worker * w->npairs * w->cells;
  for (uint32_t i = 0; i < o->nactors; i++)
    for (uint32_t j = i + 1; j < o->nactors; j++) {
      if (cx[i] < 0 || cy[j] < 0)
        continue;
      size_t at = base + pl_density_pair(o->nactors, i, j) * w->cells +
                  (size_t)cy[j] * o->nx + (size_t)cx[i];
      w->feasible[at]++;
      if (in_zone)
        w->zone[at]++;
    }
}

/* Every package of [begin, end), the last issue fastest. */
static void walk_chunk(void *ctx, unsigned worker, uint64_t begin,
                       uint64_t end) {
  const walk *w = ctx;
  uint32_t v[PL_MAX_ISSUES];
  pl_index_to_values(w->s, begin, v);
  for (uint64_t k = begin; k < end; k++) {
    count(w, worker, v);
    for (uint32_t i = w->s->nissues; i-- > 0;) {
      if (++v[i] < w->s->issues[i].nvalues)
        break;
      v[i] = 0;
    }
  }
}

/* Samples [begin, end): sample k draws from its own stream of the seed, so
 * the sample is the same for every thread count. */
static void sample_chunk(void *ctx, unsigned worker, uint64_t begin,
                         uint64_t end) {
  const walk *w = ctx;
  uint32_t v[PL_MAX_ISSUES];
  for (uint64_t k = begin; k < end; k++) {
    pl_rng r;
    pl_rng_seed2(&r, w->o->seed, k);
    for (uint32_t i = 0; i < w->s->nissues; i++)
      v[i] = (uint32_t)pl_rng_below(&r, w->s->issues[i].nvalues);
    count(w, worker, v);
  }
}

static bool check_options(const pl_scenario *s, const pl_density_options *o,
                          pl_diag *d) {
  const char *why = NULL;
  if (o->nx < 1 || o->nx > 1000 || o->ny < 1 || o->ny > 1000)
    why = "a density grid has 1 to 1000 cells per axis";
  else if (o->nactors < 2 || o->nactors > PL_DENSITY_MAX_ACTORS)
    why = "a density needs 2 to 8 actors";
  else if (!(o->hi > o->lo))
    why = "a density's utility range is empty";
  for (uint32_t k = 0; !why && k < o->nactors; k++)
    if (o->actors[k] >= pl_num_actors(s))
      why = "a density names an actor the scenario does not have";
  if (why)
    pl_diag_add(d, NULL, 0, 0, "%s", why);
  return why == NULL;
}

pl_density *pl_density_bin(const pl_scenario *s, const pl_density_options *o,
                           pl_diag *d) {
  if (!check_options(s, o, d))
    return NULL;
  pl_density *g = calloc(1, sizeof *g);
  unsigned threads = pl_thread_count(o->threads);
  walk w = {.s = s, .o = o};
  w.npairs = o->nactors * (o->nactors - 1) / 2;
  w.cells = (size_t)o->nx * o->ny;
  size_t per = w.npairs * w.cells;
  if (g) {
    g->opt = *o;
    g->npairs = w.npairs;
    g->feasible = calloc(per, sizeof *g->feasible);
    g->zone = calloc(per, sizeof *g->zone);
    w.feasible = calloc(per * threads, sizeof *w.feasible);
    w.zone = calloc(per * threads, sizeof *w.zone);
  }
  if (!g || !g->feasible || !g->zone || !w.feasible || !w.zone) {
    free(w.feasible), free(w.zone);
    pl_density_free(g);
    pl_diag_add(d, NULL, 0, 0, "out of memory binning the packages");
    return NULL;
  }
  bool fits = pl_space_size(s, &g->outcomes);
  if (!fits)
    g->outcomes = UINT64_MAX;
  g->sampled = !fits || g->outcomes > o->max_walk;
  g->visited = g->sampled ? o->samples : g->outcomes;
  pl_parallel_for(threads, g->visited, g->sampled ? sample_chunk : walk_chunk,
                  &w);
  for (unsigned t = 0; t < threads; t++)
    for (size_t k = 0; k < per; k++) {
      g->feasible[k] += w.feasible[t * per + k];
      g->zone[k] += w.zone[t * per + k];
    }
  free(w.feasible), free(w.zone);
  return g;
}

void pl_density_free(pl_density *g) {
  if (!g)
    return;
  free(g->feasible), free(g->zone);
  free(g);
}
