/* analysis.h - the results of `parley stability` (internal layout).
 * Definitions: docs/stability.md. */
#ifndef PL_STABILITY_ANALYSIS_H
#define PL_STABILITY_ANALYSIS_H

#include "stability/reach.h"

enum { GM_NCONCEPTS = 4 };
#define GM_ALL_CONCEPTS 15u

/* Concept names: "nash", "gmr", "smr", "seq" and "Nash", "GMR", ... */
extern const char *const GM_CONCEPT_KEY[GM_NCONCEPTS];
extern const char *const GM_CONCEPT_NAME[GM_NCONCEPTS];

/* One coalition's results (coalition Nash, GMR and SEQ). */
typedef struct gm_coalition {
  uint64_t members; /* bit mask of DMs */
  uint8_t *flags;   /* per state: bit k set = stable under concept k */
  uint32_t *witness[GM_NCONCEPTS]; /* joint improvement left open */
} gm_coalition;

/* Limited-move stability for two DMs: per state and DM, bit h-1 for L_h
 * (h <= horizon) and bit 15 for NM when it settled. */
#define GM_LM_NM 0x8000u

struct pl_stability {
  const pl_conflict *c;
  gm_ctx x;
  pl_stability_options opt;
  unsigned concepts;
  double seconds;
  uint8_t *flags; /* [index * n + dm]: bit k = stable under concept k */
  /* [concept][index * n + dm]: the improving move that nothing deters
   * (a state index), GM_NONE when stable; NULL without explanations. */
  uint32_t *witness[GM_NCONCEPTS];
  bool explained;
  gm_coalition *coal;
  uint32_t ncoal;
  /* Status quo analysis. */
  bool has_from;
  uint64_t from; /* its code */
  const char *from_name;
  gm_bfs *by_improvements, *by_moves;
  /* Limited move (n == 2). */
  bool has_lm;
  uint16_t *lm;    /* [index * 2 + dm] */
  uint32_t lm_nm;  /* horizon at which G settled; 0: did not settle */
  uint32_t lm_max; /* levels tried for NM */
};

static inline bool gm_stable(const pl_stability *a, unsigned k, uint32_t dm,
                             uint64_t idx) {
  return a->flags[idx * a->c->n + dm] >> k & 1;
}
bool gm_equilibrium(const pl_stability *a, unsigned k, uint64_t idx);

/* pl_stability_analyze, with the states kept as a sorted list when
 * `sorted` (moves enumerated one by one rather than swept by region):
 * tests check both ways agree. */
pl_stability *gm_analyze(const pl_conflict *c, const pl_stability_options *o,
                         bool sorted, pl_diag *d, pl_status *status);

/* coalition.c */
pl_status gm_analyse_coalition(pl_stability *a, gm_coalition *co);
/* Whether coalition H (a DM mask) can move jointly from `code` to a state
 * every member strictly prefers; the shortest such path in *p. The search
 * visits at most GM_JOINT_NODES (state, mover) pairs: *truncated is set
 * when that stopped it without an answer. */
#define GM_JOINT_NODES ((uint64_t)1 << 20)
bool gm_joint_improvement(const gm_ctx *x, uint64_t H, uint64_t code,
                          gm_path *p, bool *truncated);
/* limited.c */
pl_status gm_limited_move(pl_stability *a);

/* The sanction that deters DM i's improving move from s to s1 under
 * concept k (GMR, SMR, SEQ): the others' shortest legal path from s1 to a
 * state i likes no more than s (and, for SMR, from which i cannot escape
 * to anything better than s). found = false when nothing deters it. */
gm_path gm_sanction(const pl_stability *a, unsigned k, uint32_t i, uint64_t s,
                    uint64_t s1);

/* Output helpers: "2 (withdraw, guarantee)", a state by number and the
 * options taken. */
void gm_state_label(const pl_stability *a, uint64_t code, char *buf,
                    size_t len);

#endif
