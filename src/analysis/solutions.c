/* solutions.c - Nash, Kalai-Smorodinsky, egalitarian and utilitarian points
 * (shared/reference/bargaining.md), chosen among the Pareto-optimal points
 * of the agreement zone.
 *
 * Ties: values within SOLUTION_TIE of the best count as equal; among them
 * the larger sum of gains wins, then the smaller outcome index. The rule
 * works on the frontier alone, which is the same set for any thread count,
 * so the choice never depends on it.
 */
#include "analysis/analysis.h"

#include <float.h>
#include <math.h>

#define SOLUTION_TIE 1e-12

typedef struct bargain {
  uint32_t np;
  const double *d; /* disagreement point: reservation values */
  const double *U; /* ideal point over the zone */
} bargain;

/* A party whose best outcome in the zone is no better than no deal has no
 * possible gain and is left out of the Nash product and the KS ratios. */
static bool can_gain(const bargain *b, uint32_t p) {
  return b->U[p] - b->d[p] > PL_EPS;
}

static double objective(const bargain *b, pl_solution which, const double *u) {
  double x;
  switch (which) {
  case PL_SOLUTION_NASH:
    x = 1;
    for (uint32_t p = 0; p < b->np; p++)
      if (can_gain(b, p))
        x *= u[p] - b->d[p];
    return x;
  case PL_SOLUTION_KALAI_SMORODINSKY:
    x = DBL_MAX;
    for (uint32_t p = 0; p < b->np; p++)
      if (can_gain(b, p))
        x = fmin(x, (u[p] - b->d[p]) / (b->U[p] - b->d[p]));
    return x == DBL_MAX ? 0 : x;
  case PL_SOLUTION_EGALITARIAN:
    x = DBL_MAX;
    for (uint32_t p = 0; p < b->np; p++)
      x = fmin(x, u[p] - b->d[p]);
    return x;
  case PL_SOLUTION_UTILITARIAN:
  default:
    x = 0;
    for (uint32_t p = 0; p < b->np; p++)
      x += u[p];
    return x;
  }
}

static double sum_of_gains(const bargain *b, const double *u) {
  double x = 0;
  for (uint32_t p = 0; p < b->np; p++)
    x += u[p] - b->d[p];
  return x;
}

static size_t choose(const bargain *b, pl_solution which, const uint64_t *index,
                     const double *u, size_t n) {
  double best = -DBL_MAX;
  for (size_t k = 0; k < n; k++)
    best = fmax(best, objective(b, which, u + k * b->np));
  double best_gain = -DBL_MAX;
  for (size_t k = 0; k < n; k++)
    if (objective(b, which, u + k * b->np) >= best - SOLUTION_TIE)
      best_gain = fmax(best_gain, sum_of_gains(b, u + k * b->np));
  size_t pick = SIZE_MAX;
  for (size_t k = 0; k < n; k++) {
    const double *uk = u + k * b->np;
    if (objective(b, which, uk) >= best - SOLUTION_TIE &&
        sum_of_gains(b, uk) >= best_gain - SOLUTION_TIE &&
        (pick == SIZE_MAX || index[k] < index[pick]))
      pick = k;
  }
  return pick;
}

void pl_choose_solutions(pl_analysis *a, const uint64_t *index, const double *u,
                         size_t n) {
  const pl_scenario *s = a->s;
  double d[PL_MAX_PARTIES];
  for (uint32_t p = 0; p < s->nparties; p++)
    d[p] = s->actors[p].threshold;
  bargain b = {s->nparties, d, a->ideal};
  a->has_solution = n > 0;
  for (int w = 0; w < PL_NUM_SOLUTIONS && n > 0; w++)
    a->solution[w] = index[choose(&b, (pl_solution)w, index, u, n)];
}

/* Sum over pairs of parties of |u_i - u_j|: GENIUS 10.4's "KS" objective. */
static double pairwise_spread(const double *u, uint32_t np) {
  double x = 0;
  for (uint32_t i = 0; i < np; i++)
    for (uint32_t j = i + 1; j < np; j++)
      x += fabs(u[i] - u[j]);
  return x;
}

/* Smallest spread (ties within SOLUTION_TIE), then larger sum of
 * utilities, then smaller outcome index. */
void pl_choose_genius_ks(pl_analysis *a, const uint64_t *index, const double *u,
                         size_t n) {
  uint32_t np = a->s->nparties;
  double best = DBL_MAX, best_sum = -DBL_MAX;
  for (size_t k = 0; k < n; k++)
    best = fmin(best, pairwise_spread(u + k * np, np));
  for (size_t k = 0; k < n; k++)
    if (pairwise_spread(u + k * np, np) <= best + SOLUTION_TIE)
      best_sum = fmax(best_sum, objective(&(bargain){np, NULL, NULL},
                                          PL_SOLUTION_UTILITARIAN, u + k * np));
  size_t pick = SIZE_MAX;
  for (size_t k = 0; k < n; k++) {
    const double *uk = u + k * np;
    if (pairwise_spread(uk, np) <= best + SOLUTION_TIE &&
        objective(&(bargain){np, NULL, NULL}, PL_SOLUTION_UTILITARIAN, uk) >=
            best_sum - SOLUTION_TIE &&
        (pick == SIZE_MAX || index[k] < index[pick]))
      pick = k;
  }
  a->has_genius_ks = n > 0;
  if (n > 0)
    a->genius_ks = index[pick];
}
