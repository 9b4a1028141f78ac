/* scan.h - one enumeration of an outcome space, split over threads.
 *
 * Outcomes are visited in odometer order (last issue fastest). Each worker
 * keeps running prefix sums of every actor's utility, issue by issue, so
 * moving to the next outcome costs one addition per actor unless an earlier
 * issue changed; the sums are the same, bit for bit, as summing in issue
 * order from scratch.
 *
 * The same kernel serves the main analysis and the parking of issues: a
 * parked issue gets radix 1 and, in each actor's table, its best value.
 */
#ifndef PL_ANALYSIS_SCAN_H
#define PL_ANALYSIS_SCAN_H

#include "analysis/frontier.h"
#include "model/scenario.h"

enum {
  SCAN_FRONTIER = 1 << 0,     /* Pareto archive of the zone */
  SCAN_FRONTIER_ALL = 1 << 1, /* Pareto archive of the feasible outcomes */
  SCAN_OPEN = 1 << 2,         /* which values occur in the zone */
  SCAN_OPPOSITION = 1 << 3    /* needs opp_max */
};

typedef struct scan_spec {
  const pl_scenario *s;
  const uint32_t *radix;     /* per issue; 1 for a parked issue */
  const double *const *term; /* per actor, indexed by offset[i] + value */
  unsigned what;
  const double *opp_max; /* SCAN_OPPOSITION: best utility per party */
  unsigned threads;
  /* Called by the calling thread after each of its chunks, with the
   * outcomes visited so far by all threads; NULL: not called. */
  pl_progress_fn progress;
  void *progress_ctx;
  const char *stage;
  /* Tests: visit every outcome with the general kernel even where the
   * block kernel applies, to compare the two. */
  bool general_kernel;
} scan_spec;

typedef struct scan_result {
  uint64_t feasible, zone;
  uint64_t *acceptable;  /* per party */
  uint64_t *approved;    /* per ratifier */
  double *best_feasible; /* per party, over feasible outcomes */
  double *ideal;         /* per party, over the zone */
  /* max over outcomes meeting every constraint and red line of the
   * smallest margin u_a - threshold_a over all actors; its outcome. */
  bool any_ruled;
  double best_margin;
  uint64_t best_margin_index;
  pl_archive zone_front, all_front;
  uint8_t *open; /* per value overall (offset[i] + v) */
  bool any_feasible;
  double opposition; /* smallest squared distance, see analysis.md */
  uint64_t opposition_index;
  bool by_blocks; /* the block kernel ran (scan.c), not the general one */
} scan_result;

/* Runs the scan; false when out of memory. The result must be released. */
bool pl_scan(const scan_spec *spec, scan_result *out);
void pl_scan_result_free(scan_result *r);

#endif
