/* sweep.h - the exact Pareto frontier of additive utilities, issue by
 * issue, without enumerating the space. */
#ifndef PL_ANALYSIS_SWEEP_H
#define PL_ANALYSIS_SWEEP_H

#include "analysis/frontier.h"
#include "model/scenario.h"

typedef enum pl_sweep_status {
  PL_SWEEP_OK = 0,
  PL_SWEEP_TOO_LARGE = 1, /* more than max_points starts after some issue */
  PL_SWEEP_NOMEM = 2,
  PL_SWEEP_TOO_SLOW = 3 /* over its budget of comparisons */
} pl_sweep_status;

/* Whether the sweep can run: additive utilities (capped or not), and every rule
 * that matters (constraints; red lines too for the zone) mentions one issue. */
bool pl_sweep_applies(const pl_scenario *s, bool zone);

typedef struct pl_sweep_info {
  size_t peak;   /* the most starts kept after any issue */
  uint64_t work; /* comparisons made (index nodes and points included) */
  /* When the sweep stops early: an upper bound on the frontier's points
   * (ties kept), as every frontier package starts with a kept start: the
   * starts kept after the last issue swept in full, times the completions
   * over the issues left. */
  double bound;
} pl_sweep_info;

/* The frontier of the zone (zone) or of the feasible outcomes, ties kept,
 * sorted as the enumeration's archive: the same points and indices. The
 * archive is initialised here and must be freed by the caller. */
pl_sweep_status pl_sweep_frontier(const pl_scenario *s, bool zone,
                                  size_t max_points, pl_archive *out,
                                  pl_sweep_info *info);
/* The same within max_work comparisons (at most the default's 5 x 10^8,
 * or 4 x 10^9 for four objectives or more, where each node or point the
 * dominance index looks at counts as one): PL_SWEEP_TOO_SLOW beyond, or
 * as soon as a step's cut would overrun it. */
pl_sweep_status pl_sweep_frontier_within(const pl_scenario *s, bool zone,
                                         size_t max_points, uint64_t max_work,
                                         pl_archive *out, pl_sweep_info *info);

#endif
