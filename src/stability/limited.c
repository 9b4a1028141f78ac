/* limited.c - limited-move (L_h) and non-myopic stability for two DMs
 * (Kilgour 1985; definitions.md section 3).
 *
 * G(a, s, h) is the state the conflict ends in when DM a is to move at s
 * with h moves left, the other DM b answering:
 *   G(a, s, 0) = s
 *   G(a, s, h) = the best for a of G(b, s1, h-1) over s1 in R_a(s), if a
 *                strictly prefers it to s; otherwise s (a stays).
 * Tie rule (stated because L_h depends on it): a moves only when the
 * anticipated state is strictly better than staying; among moves whose
 * anticipated states a likes equally, a picks the anticipated state with
 * the smallest number. s is L_h stable for a when G(a, s, h) = s. When the
 * tables G(., ., h) and G(., ., h-1) are equal they stay equal for every
 * larger h, and NM stability is L_h stability from then on; if that does
 * not happen within MAX_LEVELS moves, NM is reported as unsettled.
 */
#include "stability/analysis.h"
#include "util/parallel.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_LEVELS = 64 };

typedef struct lm_job {
  pl_stability *a;
  uint64_t *prev[2], *cur[2]; /* G per state index, as codes */
  uint32_t h;
  bool *changed; /* per worker */
} lm_job;

static uint64_t anticipate(const lm_job *J, uint32_t a, uint64_t s) {
  const gm_ctx *x = &J->a->x;
  uint32_t ps = gm_score(x, a, s), best = 0;
  uint64_t C = gm_changeable(x->c, a, s), d = 0, pick = UINT64_MAX;
  while ((d = (d - C) & C)) {
    uint64_t s1 = s ^ d;
    if (!gm_has(&x->space, s1))
      continue;
    uint64_t o = J->prev[1 - a][gm_index(&x->space, s1)];
    uint32_t so = gm_score(x, a, o);
    if (pick == UINT64_MAX || so > best || (so == best && o < pick)) {
      best = so;
      pick = o;
    }
  }
  return pick != UINT64_MAX && best > ps ? pick : s;
}

static void level_chunk(void *p, unsigned worker, uint64_t begin,
                        uint64_t end) {
  lm_job *J = p;
  pl_stability *A = J->a;
  for (uint64_t slot = begin; slot < end; slot++) {
    uint64_t s;
    if (!gm_slot(&A->x.space, slot, &s))
      continue;
    uint64_t idx = gm_index(&A->x.space, s);
    for (uint32_t a = 0; a < 2; a++) {
      uint64_t g = anticipate(J, a, s);
      J->cur[a][idx] = g;
      if (g != J->prev[a][idx])
        J->changed[worker] = true;
      if (J->h <= A->opt.horizon && g == s)
        A->lm[idx * 2 + a] |= (uint16_t)(1u << (J->h - 1));
    }
  }
}

static void init_chunk(void *p, unsigned worker, uint64_t begin, uint64_t end) {
  lm_job *J = p;
  (void)worker;
  for (uint64_t slot = begin; slot < end; slot++) {
    uint64_t s;
    if (gm_slot(&J->a->x.space, slot, &s)) {
      uint64_t idx = gm_index(&J->a->x.space, s);
      J->prev[0][idx] = J->prev[1][idx] = s; /* G(a, s, 0) = s */
    }
  }
}

pl_status gm_limited_move(pl_stability *a) {
  uint64_t F = a->x.space.count ? a->x.space.count : 1;
  lm_job J = {.a = a};
  a->lm = calloc(F * 2, sizeof *a->lm);
  J.changed = calloc(a->x.threads, sizeof *J.changed);
  for (int k = 0; k < 2; k++) {
    J.prev[k] = malloc(F * sizeof(uint64_t));
    J.cur[k] = malloc(F * sizeof(uint64_t));
  }
  pl_status st =
      a->lm && J.changed && J.prev[0] && J.prev[1] && J.cur[0] && J.cur[1]
          ? PL_OK
          : PL_ENOMEM;
  if (st == PL_OK)
    pl_parallel_for(a->x.threads, a->x.space.slots, init_chunk, &J);
  for (J.h = 1; st == PL_OK && J.h <= MAX_LEVELS; J.h++) {
    memset(J.changed, 0, a->x.threads * sizeof *J.changed);
    pl_parallel_for(a->x.threads, a->x.space.slots, level_chunk, &J);
    bool changed = false;
    for (unsigned t = 0; t < a->x.threads; t++)
      changed |= J.changed[t];
    a->lm_max = J.h;
    uint64_t *t0 = J.prev[0], *t1 = J.prev[1];
    J.prev[0] = J.cur[0];
    J.prev[1] = J.cur[1];
    J.cur[0] = t0;
    J.cur[1] = t1;
    if (!changed && J.h >= 2) { /* a fixed point: NM = L_h from now on */
      a->lm_nm = J.h;
      break;
    }
    if (J.h >= a->opt.horizon && J.h >= 2 && F > ((uint64_t)1 << 20))
      break; /* large conflicts: the horizon asked for, no NM */
  }
  /* After the fixed point every L_h is NM: fill the horizon's levels. */
  uint16_t later = 0;
  for (uint32_t h = a->lm_nm + 1; a->lm_nm && h <= a->opt.horizon; h++)
    later |= (uint16_t)(1u << (h - 1));
  for (uint64_t idx = 0; st == PL_OK && a->lm_nm && idx < F; idx++) {
    uint64_t s = gm_code(&a->x.space, idx);
    for (uint32_t d = 0; d < 2; d++)
      if (J.prev[d][idx] == s)
        a->lm[idx * 2 + d] |= GM_LM_NM | later;
  }
  a->has_lm = st == PL_OK;
  free(J.changed);
  for (int k = 0; k < 2; k++) {
    free(J.prev[k]);
    free(J.cur[k]);
  }
  return st;
}
