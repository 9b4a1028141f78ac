/* space.h - the feasible states, preferences and moves of a conflict
 * (internal).
 *
 * States are numbered by index 0 .. count-1 in increasing order of their
 * code (the output numbers them from 1). Three representations, chosen by
 * size:
 *   ALL     no infeasible state: index = code;
 *   BITMAP  m <= 30: one bit per code and a running count per 64 codes, so
 *           index(code) is a popcount;
 *   SORTED  larger m: the sorted list of feasible codes (binary search).
 * Preferences are scores (higher is better): a table over the options a
 * DM's statements mention, indexed by those options' bits, or one score per
 * state index.
 */
#ifndef PL_STABILITY_SPACE_H
#define PL_STABILITY_SPACE_H

#include "stability/gm.h"

/* ---- Bit extraction: the bits of x under `mask`, packed (like x86 pext). */

typedef struct gm_pext {
  uint64_t mask;
  uint32_t nbytes;
  uint8_t byte[8]; /* which bytes of x the mask touches */
  uint32_t tab[8][256];
} gm_pext;

void gm_pext_init(gm_pext *p, uint64_t mask); /* popcount(mask) <= 32 */
static inline uint32_t gm_extract(const gm_pext *p, uint64_t x) {
  uint32_t r = 0;
  for (uint32_t k = 0; k < p->nbytes; k++)
    r |= p->tab[k][(x >> (8 * p->byte[k])) & 255];
  return r;
}
/* The inverse: deposits the low bits of x at the positions of mask. */
uint64_t gm_pdep(uint64_t x, uint64_t mask);
/* pext without tables, for any mask (slow: setup only). */
uint64_t gm_pext_slow(uint64_t x, uint64_t mask);

/* ---- States ------------------------------------------------------------ */

typedef enum gm_space_kind {
  GM_SPACE_ALL,
  GM_SPACE_BITMAP,
  GM_SPACE_SORTED
} gm_space_kind;

typedef struct gm_space {
  uint32_t m;
  gm_space_kind kind;
  uint64_t count;   /* feasible states */
  uint64_t slots;   /* codes to scan (ALL, BITMAP: 2^m) or count (SORTED) */
  uint64_t *bits;   /* BITMAP */
  uint32_t *prefix; /* BITMAP: feasible codes before word w */
  uint64_t *codes;  /* SORTED */
} gm_space;

static inline bool gm_has(const gm_space *s, uint64_t code);
uint64_t gm_sorted_find(const gm_space *s, uint64_t code); /* or UINT64_MAX */

static inline bool gm_has(const gm_space *s, uint64_t code) {
  if (s->kind == GM_SPACE_ALL)
    return true;
  if (s->kind == GM_SPACE_BITMAP)
    return s->bits[code >> 6] >> (code & 63) & 1;
  return gm_sorted_find(s, code) != UINT64_MAX;
}

/* The index of a feasible code. */
static inline uint64_t gm_index(const gm_space *s, uint64_t code) {
  if (s->kind == GM_SPACE_ALL)
    return code;
  if (s->kind == GM_SPACE_BITMAP) {
    uint64_t below = s->bits[code >> 6] & (((uint64_t)1 << (code & 63)) - 1);
    return s->prefix[code >> 6] + (uint64_t)__builtin_popcountll(below);
  }
  return gm_sorted_find(s, code);
}

/* The code of state index `idx`. */
uint64_t gm_code(const gm_space *s, uint64_t idx);

/* Slot `slot` of the scan: its code, and whether it is feasible. */
static inline bool gm_slot(const gm_space *s, uint64_t slot, uint64_t *code) {
  if (s->kind == GM_SPACE_SORTED) {
    *code = s->codes[slot];
    return true;
  }
  *code = slot;
  return gm_has(s, slot);
}

/* ---- Context: a conflict with its states and preferences --------------- */

typedef struct gm_pref {
  uint32_t *table; /* scores by the packed bits of `px.mask`, or NULL */
  gm_pext px;
  uint32_t *by_index; /* scores by state index when there is no table */
} gm_pref;

typedef struct gm_ctx {
  const pl_conflict *c;
  gm_space space;
  gm_pref *pref; /* per DM */
  unsigned threads;
} gm_ctx;

/* Enumerates the feasible states and builds the preferences. PL_EREFUSED
 * (with a message) above max_states states. `sorted` forces the sorted
 * list (and so move enumeration instead of region sweeps): tests compare
 * the two. */
pl_status gm_ctx_init(gm_ctx *x, const pl_conflict *c, unsigned threads,
                      uint64_t max_states, bool sorted, pl_diag *d);
void gm_ctx_free(gm_ctx *x);

static inline uint32_t gm_score(const gm_ctx *x, uint32_t dm, uint64_t code) {
  const gm_pref *p = &x->pref[dm];
  if (p->table)
    return p->table[gm_extract(&p->px, code)];
  return p->by_index[gm_index(&x->space, code)];
}

/* The options DM `dm` may change at state `code` (any subset of them, not
 * empty, is one unilateral move when the result is feasible). */
static inline uint64_t gm_changeable(const pl_conflict *c, uint32_t dm,
                                     uint64_t code) {
  return (c->dms[dm].up & ~code) | (c->dms[dm].down & code);
}

/* Runs fn over [0, total) in parallel where each item is heavy (`cells`
 * states or so): it counts as a full chunk of util/parallel.h, so even a
 * few items are spread over the threads; little work stays on one. */
typedef void (*gm_item_fn)(void *ctx, unsigned worker, uint64_t item);
void gm_parallel_items(unsigned threads, uint64_t total, uint64_t cells,
                       gm_item_fn fn, void *ctx);

#endif
