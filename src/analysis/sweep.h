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

/* Whether the sweep can run: additive utilities, and every rule that
 * matters (constraints; red lines too for the zone) mentions one issue. */
bool pl_sweep_applies(const pl_scenario *s, bool zone);

/* The frontier of the zone (zone) or of the feasible outcomes, ties kept,
 * sorted as the enumeration's archive: the same points and indices. *peak
 * gets the most starts kept after any issue. The archive is initialised
 * here and must be freed by the caller. */
pl_sweep_status pl_sweep_frontier(const pl_scenario *s, bool zone,
                                  size_t max_points, pl_archive *out,
                                  size_t *peak);

#endif
