/* region.c - sweeps over move regions (see region.h). */
#include "stability/region.h"

#include <stdlib.h>
#include <string.h>

void gm_cube_init(gm_cube *cb, const pl_conflict *c, uint32_t dm,
                  uint64_t space_mask) {
  memset(cb, 0, sizeof *cb);
  uint32_t local = 0;
  for (uint32_t k = 0; k < c->m; k++) {
    if (!(space_mask >> k & 1))
      continue;
    if (c->dms[dm].options >> k & 1) {
      cb->pos[cb->nbits] = (uint8_t)local;
      cb->dir[cb->nbits++] = c->options[k].rev;
    }
    local++;
  }
}

/* One sweep along local bit `b`: every pair (x without b, x with b). The
 * region of x without b reaches x with b unless the option only goes to
 * no; the region of x with b reaches x without b unless it only goes to
 * yes. */
#define SWEEP(cb, cells, ...)                                                  \
  for (uint32_t k = 0; k < (cb)->nbits; k++) {                                 \
    uint64_t bit = (uint64_t)1 << (cb)->pos[k];                                \
    bool down_ok = (cb)->dir[k] != GM_REV_TO_YES; /* x|b reaches x */          \
    bool up_ok = (cb)->dir[k] != GM_REV_TO_NO;    /* x reaches x|b */          \
    for (uint64_t hi = 0; hi < (cells); hi += 2 * bit)                         \
      for (uint64_t x = hi; x < hi + bit; x++) {                               \
        uint64_t y = x | bit;                                                  \
        __VA_ARGS__                                                            \
      }                                                                        \
  }

void gm_region_max(const gm_cube *cb, uint64_t *T, uint64_t cells) {
  SWEEP(cb, cells, {
    uint64_t a = T[x], b = T[y];
    if (up_ok && b > a)
      T[x] = b;
    if (down_ok && a > b)
      T[y] = a;
  })
}

void gm_region_min(const gm_cube *cb, uint64_t *T, uint64_t cells) {
  SWEEP(cb, cells, {
    uint64_t a = T[x], b = T[y];
    if (up_ok && b < a)
      T[x] = b;
    if (down_ok && a < b)
      T[y] = a;
  })
}

/* Whether entry a goes before b: larger key, then smaller cell. */
static inline bool before(gm_entry a, gm_entry b) {
  return a.key > b.key || (a.key == b.key && a.cell < b.cell);
}

/* Merges the top-two list (b1, b2) into (*t1, *t2): the two best entries
 * of different cells (a cell always carries the same entry). */
static inline void merge2(gm_entry *t1, gm_entry *t2, gm_entry b1,
                          gm_entry b2) {
  gm_entry a1 = *t1, a2 = *t2;
  if (before(b1, a1)) { /* b's list leads: swap the roles */
    gm_entry x1 = a1, x2 = a2;
    a1 = b1;
    a2 = b2;
    b1 = x1;
    b2 = x2;
  }
  /* a1 is the best; the second is a2 or b's best of another cell. */
  gm_entry c = b1.cell != a1.cell ? b1 : b2;
  *t1 = a1;
  *t2 = before(c, a2) ? c : a2;
}

void gm_region_max2(const gm_cube *cb, gm_entry *T1, gm_entry *T2,
                    uint64_t cells) {
  SWEEP(cb, cells, {
    gm_entry a1 = T1[x], a2 = T2[x], b1 = T1[y], b2 = T2[y];
    if (up_ok)
      merge2(&T1[x], &T2[x], b1, b2);
    if (down_ok)
      merge2(&T1[y], &T2[y], a1, a2);
  })
}

/* ---- Threshold: improving moves -------------------------------------- */

static int by_thr_desc(const void *p, const void *q) {
  const uint32_t *a = p, *b = q;
  if (a[0] != b[0])
    return a[0] > b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1];
}

/* The cell's irreversible options as a pattern where region(x) is
 * "supersets of pattern(x)": to_no options are flipped. */
static uint32_t pattern(const gm_cube *cb, const uint8_t *mpos,
                        const uint8_t *flip, uint32_t nm, uint64_t x) {
  uint32_t z = 0;
  (void)cb;
  for (uint32_t k = 0; k < nm; k++)
    z |= (uint32_t)(((x >> mpos[k]) & 1) ^ flip[k]) << k;
  return z;
}

void gm_region_min_above(const gm_cube *cb, const uint32_t *thr,
                         const uint32_t *key, uint32_t *out, uint64_t cells,
                         uint32_t *scratch) {
  uint8_t mpos[GM_MAX_OPTIONS], flip[GM_MAX_OPTIONS];
  uint32_t nm = 0;
  for (uint32_t k = 0; k < cb->nbits; k++)
    if (cb->dir[k] != GM_REV_BOTH) {
      mpos[nm] = cb->pos[k];
      flip[nm++] = cb->dir[k] == GM_REV_TO_NO;
    }
  uint32_t *pairs = scratch, *S = scratch + 2 * cells, n = 0;
  for (uint64_t x = 0; x < cells; x++) {
    out[x] = GM_NONE;
    if (thr[x] != GM_NONE) {
      pairs[2 * n] = thr[x];
      pairs[2 * n++ + 1] = (uint32_t)x;
    }
  }
  qsort(pairs, n, 2 * sizeof *pairs, by_thr_desc);
  for (uint32_t z = 0; z < (1u << nm); z++)
    S[z] = GM_NONE;
  /* Best thresholds first; a group of equal thresholds is queried before
   * it is inserted, since moves must be strict improvements. */
  for (uint32_t g = 0; g < n;) {
    uint32_t e = g;
    while (e < n && pairs[2 * e] == pairs[2 * g])
      e++;
    for (uint32_t k = g; k < e; k++) {
      uint32_t x = pairs[2 * k + 1];
      out[x] = S[pattern(cb, mpos, flip, nm, x)];
    }
    for (uint32_t k = g; k < e; k++) {
      uint32_t t = pairs[2 * k + 1], z = pattern(cb, mpos, flip, nm, t);
      uint32_t v = key[t], sub = z;
      for (;;) { /* every pattern y below z: t is in region(y) */
        if (v < S[sub])
          S[sub] = v;
        if (!sub)
          break;
        sub = (sub - 1) & z;
      }
    }
    g = e;
  }
}
