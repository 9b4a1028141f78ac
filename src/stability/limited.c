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
 * not happen within MAX_LEVELS moves (fewer for large conflicts: a level
 * costs a sweep over every state, and the levels beyond the horizon asked
 * for get a budget of LEVEL_BUDGET state-option steps), NM is reported as
 * unsettled.
 */
#include "stability/analysis.h"
#include "stability/region.h"
#include "util/parallel.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_LEVELS = 64 };
#define LEVEL_BUDGET ((uint64_t)1 << 27)

/* Levels to try: the horizon, and more while within the budget. */
static uint32_t max_levels(const pl_stability *a) {
  uint64_t per = a->x.space.count * (a->c->m ? a->c->m : 1);
  uint64_t fit = LEVEL_BUDGET / (per ? per : 1);
  uint32_t h = fit > MAX_LEVELS ? MAX_LEVELS : (uint32_t)fit;
  return h > a->opt.horizon ? h : a->opt.horizon;
}

typedef struct lm_job {
  pl_stability *a;
  uint64_t *prev[2], *cur[2]; /* G per state index, as codes */
  uint32_t h;
  bool *changed; /* per worker */
  /* Region sweeps by fibres of the mover's options (space indexed by
   * code): the mover, its options, the others, buffers per worker. */
  uint32_t mover;
  uint64_t Oa, fixed, cells, max_cells;
  gm_cube cube;
  gm_entry **T1, **T2;
  bool *failed;
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

/* Records G(a, s, h) = g. */
static void record(lm_job *J, unsigned worker, uint32_t a, uint64_t s,
                   uint64_t idx, uint64_t g) {
  J->cur[a][idx] = g;
  if (g != J->prev[a][idx])
    J->changed[worker] = true;
  if (J->h <= J->a->opt.horizon && g == s)
    J->a->lm[idx * 2 + a] |= (uint16_t)(1u << (J->h - 1));
}

/* One fibre of mover a's options: the best anticipated state over the
 * moves from each state, by a two-best region sweep (a state's own cell
 * is not a move). Keys: a's score of the anticipated state, then the
 * smaller state number. */
static void level_fibre(void *p, unsigned worker, uint64_t f) {
  lm_job *J = p;
  const gm_ctx *x = &J->a->x;
  uint32_t a = J->mover;
  if (!J->T1[worker] && !J->failed[worker]) { /* for either mover */
    J->T1[worker] = malloc(J->max_cells * sizeof(gm_entry));
    J->T2[worker] = malloc(J->max_cells * sizeof(gm_entry));
    J->failed[worker] = !J->T1[worker] || !J->T2[worker];
  }
  if (J->failed[worker])
    return;
  gm_entry *T1 = J->T1[worker], *T2 = J->T2[worker];
  uint64_t base = gm_pdep(f, J->fixed), sub = 0;
  for (uint64_t cell = 0; cell < J->cells; cell++) {
    uint64_t s1 = base | sub;
    T1[cell] = T2[cell] = GM_NO_ENTRY;
    if (gm_has(&x->space, s1)) {
      uint64_t o = J->prev[1 - a][gm_index(&x->space, s1)];
      uint64_t oi = gm_index(&x->space, o);
      T1[cell] = (gm_entry){(uint64_t)gm_score(x, a, o) << 32 |
                                (0xFFFFFFFFu - (uint32_t)oi),
                            (uint32_t)cell};
    }
    sub = (sub - J->Oa) & J->Oa;
  }
  gm_region_max2(&J->cube, T1, T2, J->cells);
  sub = 0;
  for (uint64_t cell = 0; cell < J->cells; cell++) {
    uint64_t s = base | sub;
    sub = (sub - J->Oa) & J->Oa;
    if (!gm_has(&x->space, s))
      continue;
    gm_entry e = T1[cell].cell != cell ? T1[cell] : T2[cell];
    uint64_t g = s;
    if (e.key && (uint32_t)(e.key >> 32) > gm_score(x, a, s)) {
      uint64_t t = base | gm_pdep(e.cell, J->Oa); /* the move */
      g = J->prev[1 - a][gm_index(&x->space, t)];
    }
    record(J, worker, a, s, gm_index(&x->space, s), g);
  }
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
    for (uint32_t a = 0; a < 2; a++)
      record(J, worker, a, s, idx, anticipate(J, a, s));
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

/* One level for both DMs: by fibres when the space is indexed by code. */
static bool run_level(lm_job *J) {
  pl_stability *a = J->a;
  if (a->x.space.kind == GM_SPACE_SORTED) {
    pl_parallel_for(a->x.threads, a->x.space.slots, level_chunk, J);
    return true;
  }
  for (uint32_t m = 0; m < 2; m++) {
    J->mover = m;
    J->Oa = a->c->dms[m].options;
    J->fixed = (((uint64_t)1 << a->c->m) - 1) & ~J->Oa;
    J->cells = (uint64_t)1 << __builtin_popcountll(J->Oa);
    gm_cube_init(&J->cube, a->c, m, J->Oa);
    gm_parallel_items(a->x.threads,
                      (uint64_t)1 << __builtin_popcountll(J->fixed), J->cells,
                      level_fibre, J);
    for (unsigned t = 0; t < a->x.threads; t++)
      if (J->failed[t])
        return false;
  }
  return true;
}

pl_status gm_limited_move(pl_stability *a) {
  uint64_t F = a->x.space.count ? a->x.space.count : 1;
  lm_job J = {.a = a};
  J.T1 = calloc(a->x.threads, sizeof *J.T1);
  J.T2 = calloc(a->x.threads, sizeof *J.T2);
  J.failed = calloc(a->x.threads, sizeof *J.failed);
  for (uint32_t m = 0; m < 2; m++) {
    uint64_t cells = (uint64_t)1 << __builtin_popcountll(a->c->dms[m].options);
    J.max_cells = cells > J.max_cells ? cells : J.max_cells;
  }
  a->lm = calloc(F * 2, sizeof *a->lm);
  J.changed = calloc(a->x.threads, sizeof *J.changed);
  for (int k = 0; k < 2; k++) {
    J.prev[k] = malloc(F * sizeof(uint64_t));
    J.cur[k] = malloc(F * sizeof(uint64_t));
  }
  pl_status st = a->lm && J.changed && J.prev[0] && J.prev[1] && J.cur[0] &&
                         J.cur[1] && J.T1 && J.T2 && J.failed
                     ? PL_OK
                     : PL_ENOMEM;
  if (st == PL_OK)
    pl_parallel_for(a->x.threads, a->x.space.slots, init_chunk, &J);
  uint32_t levels = max_levels(a);
  for (J.h = 1; st == PL_OK && J.h <= levels; J.h++) {
    memset(J.changed, 0, a->x.threads * sizeof *J.changed);
    if (!run_level(&J))
      st = PL_ENOMEM;
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
  }
  /* After the fixed point every L_h is NM: fill the horizon's levels. */
  uint16_t later = 0;
  for (uint32_t h = a->lm_nm + 1; a->lm_nm && h <= a->opt.horizon; h++)
    /* False positive of clang-analyzer-core.UndefinedBinaryOperatorResult: h >=
     * 2 here (lm_nm >= 1) and the horizon is clamped to 15 */
    /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
    later |= (uint16_t)(1u << (h - 1));
  for (uint64_t idx = 0; st == PL_OK && a->lm_nm && idx < F; idx++) {
    uint64_t s = gm_code(&a->x.space, idx);
    for (uint32_t d = 0; d < 2; d++)
      if (J.prev[d][idx] == s)
        a->lm[idx * 2 + d] |= GM_LM_NM | later;
  }
  a->has_lm = st == PL_OK;
  for (unsigned t = 0; J.T1 && J.T2 && t < a->x.threads; t++) {
    free(J.T1[t]);
    free(J.T2[t]);
  }
  free(J.T1);
  free(J.T2);
  free(J.failed);
  free(J.changed);
  for (int k = 0; k < 2; k++) {
    free(J.prev[k]);
    free(J.cur[k]);
  }
  return st;
}
