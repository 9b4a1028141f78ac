/* sums.h - the exact Pareto frontier of all outcomes by grouping equal
 * partial sums, for spaces whose utility vectors repeat (docs/analysis.md,
 * "Frontier by sweeping"). */
#ifndef PL_ANALYSIS_SUMS_H
#define PL_ANALYSIS_SUMS_H

#include "analysis/frontier.h"
#include "analysis/sweep.h"
#include "model/scenario.h"

/* Whether it can run: additive utilities (capped or not), no boxes, no
 * constraints. */
bool pl_sums_applies(const pl_scenario *s);

/* The frontier of every outcome, ties kept, sorted as the enumeration's
 * archive (utilities descending, then outcome index ascending): the same
 * points and indices, bit for bit. PL_SWEEP_TOO_LARGE when the distinct
 * partial sums stop repeating enough to pay (then the caller sweeps or
 * enumerates), or the frontier would have more than max_points packages.
 * The archive is initialised here and must be freed by the caller. */
pl_sweep_status pl_sums_frontier(const pl_scenario *s, size_t max_points,
                                 pl_archive *out);

#endif
