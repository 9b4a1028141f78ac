/* region.h - extremes over move regions, for all states at once (internal).
 *
 * A DM's unilateral moves from s reach the states t that differ from s only
 * in its options, with every changed option respecting its reversibility:
 * per option, t_k is free ("both"), t_k >= s_k ("to_yes") or t_k <= s_k
 * ("to_no"). That set (with s itself) is a product over the options, so
 * max_{t in region(s)} f(t) for every s of a cube of 2^q cells is q sweeps,
 * one per option, as in a sum-over-subsets transform: q * 2^q steps instead
 * of visiting 4^q pairs. Infeasible cells hold the neutral value.
 *
 * Cells are indexed by the packed bits of a local space (a fibre); the
 * region may cover some of its bits only (one mover inside a coalition's
 * fibre): the sweep then runs over those bit positions.
 */
#ifndef PL_STABILITY_REGION_H
#define PL_STABILITY_REGION_H

#include "stability/gm.h"

typedef struct gm_cube {
  uint32_t nbits;
  uint8_t pos[GM_MAX_OPTIONS]; /* local bit positions swept */
  uint8_t dir[GM_MAX_OPTIONS]; /* gm_reversibility of each */
} gm_cube;

/* The cube of DM `dm`'s options inside a local space whose bits are the
 * options of `space_mask` (in increasing order). */
void gm_cube_init(gm_cube *cb, const pl_conflict *c, uint32_t dm,
                  uint64_t space_mask);

/* In place over T[0 .. 2^Q): T[x] = max (min) of T over region(x) with x.
 * Keys are compared as numbers; 0 (UINT64_MAX) is neutral. */
void gm_region_max(const gm_cube *cb, uint64_t *T, uint64_t cells);
void gm_region_min(const gm_cube *cb, uint64_t *T, uint64_t cells);
/* A keyed cell; key 0 is "none". */
typedef struct gm_entry {
  uint64_t key;
  uint32_t cell;
} gm_entry;
#define GM_NO_ENTRY ((gm_entry){0, UINT32_MAX})

/* The two best entries of region(x) with x, from different cells (larger
 * key first, ties to the smaller cell): the best over region(x) without x
 * is T1[x] unless T1[x] is x's own. */
void gm_region_max2(const gm_cube *cb, gm_entry *T1, gm_entry *T2,
                    uint64_t cells);

/* For a full cube (every bit swept, cells = 2^nbits): out[x] = min of
 * key[t] over t in region(x) with thr[t] > thr[x] (GM_NONE when none).
 * Infeasible cells have thr = GM_NONE and are skipped. scratch needs
 * 3 * cells + 2^nbits entries. */
void gm_region_min_above(const gm_cube *cb, const uint32_t *thr,
                         const uint32_t *key, uint32_t *out, uint64_t cells,
                         uint32_t *scratch);

#endif
