/* mitm.h - counting the agreement zone of a huge space by meet in the
 * middle: the issues split in two halves, each enumerated once, and the
 * compatible pairs counted with sorted lists and dominance counting. */
#ifndef PL_ANALYSIS_MITM_H
#define PL_ANALYSIS_MITM_H

#include "model/scenario.h"

/* Most outcomes in either half. */
#define PL_MITM_MAX_HALF 4194304ULL

typedef struct pl_mitm_counts {
  uint64_t feasible, zone;
  uint64_t acceptable[PL_MAX_PARTIES];
  uint64_t approved[PL_MAX_RATIFIERS];
} pl_mitm_counts;

/* Four actors or more: the zone's count may cost at most this many bytes
 * of memory traffic (orthant.c's estimate; 0.7-1.2 x 10^10 a second on
 * one core here, so about a minute at most: 10^12 outcomes and five
 * parties cost 3.3 x 10^11, 29 s). */
#define PL_MITM_MAX_WORK 6e11

/* Whether the counts can be made this way: additive utilities, at most
 * five actors, every rule within one half, and halves of at most
 * PL_MITM_MAX_HALF outcomes. */
bool pl_mitm_applies(const pl_scenario *s);

typedef enum pl_mitm_status {
  PL_MITM_OK = 0,
  PL_MITM_NOMEM = 1,
  /* More than PL_MITM_MAX_BAND pairs sat within rounding distance of a
   * threshold, each to be summed on its own: too slow, given up. */
  PL_MITM_TOO_SLOW = 2,
  /* Four or five actors: the zone's count was estimated at more than
   * PL_MITM_MAX_WORK, and not started. */
  PL_MITM_OVER_BUDGET = 3
} pl_mitm_status;

#define PL_MITM_MAX_BAND 50000000ULL

/* The same counts as the enumeration, exactly, when PL_MITM_OK. One
 * thread, but four or five actors' zone count (orthant.c) shares its
 * queries out over up to `threads`. */
pl_mitm_status pl_mitm_count(const pl_scenario *s, unsigned threads,
                             pl_mitm_counts *out);

#endif
