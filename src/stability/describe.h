/* describe.h - words for states and moves (internal). */
#ifndef PL_STABILITY_DESCRIBE_H
#define PL_STABILITY_DESCRIBE_H

#include "stability/analysis.h"

#include <stddef.h>

/* The name of a named state with this code, or NULL. */
const char *gm_state_name(const pl_conflict *c, uint64_t code);
/* "+us_guarantee, -ru_strikes": the options a move takes and drops. */
void gm_move_text(const pl_conflict *c, uint64_t from, uint64_t to, char *buf,
                  size_t len);
/* State indices sorted by the DM's preference, best first (ties by
 * number), and their scores; NULL when out of memory. Both malloc'ed. */
uint64_t *gm_ranking(const pl_stability *a, uint32_t dm, uint32_t **scores);
const char *gm_rev_name(uint8_t rev);
/* DM i's improvements from s, best for i first (ties: smaller code), at
 * most max of them. */
uint32_t gm_improvements(const pl_stability *a, uint32_t i, uint64_t s,
                         uint64_t *out, uint32_t max);
/* Why a state is unstable for a DM under concept k, in words. */
const char *gm_reason(unsigned k);

#endif
