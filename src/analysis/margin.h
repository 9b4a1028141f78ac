/* margin.h - the largest smallest margin above threshold, by branch and
 * bound: the minimal uniform concession and the parking of issues
 * (shared/reference/blocking-issues.md) without enumerating the space.
 */
#ifndef PL_ANALYSIS_MARGIN_H
#define PL_ANALYSIS_MARGIN_H

#include "model/scenario.h"

typedef struct pl_margin_query {
  /* Per issue: parked (each actor takes its best completion, within the
   * rules). NULL: nothing parked. */
  const bool *parked;
  /* Only packages where every actor meets its threshold (u >= t - 1e-9):
   * the zone, or Z^S when issues are parked. Otherwise every outcome that
   * meets the constraints and red lines (the concession). */
  bool zone;
  uint64_t max_nodes;
  /* Per issue: the only value allowed, or PL_MARGIN_FREE. NULL: none
   * fixed (who blocks, docs/analysis.md 7.5). Not with parked issues. */
  const uint32_t *fixed;
} pl_margin_query;

#define PL_MARGIN_FREE UINT32_MAX

typedef struct pl_margin_result {
  bool found;     /* some package qualifies */
  double margin;  /* max over them of min over actors of u_a - t_a */
  uint64_t index; /* nothing parked: the smallest outcome index attaining it */
  uint64_t nodes;
  bool complete; /* false: stopped at max_nodes, nothing is known */
} pl_margin_result;

/* False when out of memory. Boxes (GENIUS non-linear profiles) are only
 * supported with nothing parked. */
bool pl_bnb_margin(const pl_scenario *s, const pl_margin_query *q,
                   pl_margin_result *out);

/* Weights on the simplex over actors [0, na) for which sum_a l_a (u_a -
 * t_a) has the smallest maximum issue by issue (nothing parked): any
 * package meeting every threshold has that sum >= about 0, so a search
 * may cut where even its maximum is negative. */
void pl_margin_weights(const pl_scenario *s, uint32_t na, double *lambda);

#endif
