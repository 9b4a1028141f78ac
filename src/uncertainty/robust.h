/* robust.h - the Monte Carlo (SMAA) and sensitivity analyses of a scenario
 * with uncertain inputs (internal; docs/uncertainty.md defines every
 * number). This module uses the library (model, analysis); nothing in the
 * library uses it. */
#ifndef PL_UNCERTAINTY_ROBUST_H
#define PL_UNCERTAINTY_ROBUST_H

#include "analysis/analysis.h"
#include "model/body.h"
#include "model/uncertain.h"
#include "parley_uncertainty.h"

/* Sums of per-draw values in [0, 1] are kept in fixed point (units of
 * 2^-40), so that they add up exactly in any order: the same totals for any
 * number of threads. */
#define PL_FX 1099511627776.0

/* The packages the draws look at: every feasible package (enumerated), or
 * above max_packages only the followed ones and the base frontier. */
typedef struct pl_space {
  bool enumerated;
  uint64_t n;        /* candidates */
  uint64_t *index;   /* package index of each, ascending */
  uint64_t *redok;   /* bit p: party p's red lines hold */
  uint32_t *ia, *ib; /* enumerated: the index in each half of the issues */
  uint32_t h;        /* issues [0, h) form the first half */
  uint64_t na, nb;   /* packages of each half */
  uint32_t **digits; /* not enumerated: each candidate's values */
  /* Parking sets for the blocking estimates: singles, then pairs. */
  uint32_t nsets;
  uint32_t (*set)[2];
  uint32_t *set_size;
  uint32_t **gid; /* per set, per candidate: its partial package */
  uint64_t *ngroups;
  bool blocking;
  char note[200];
} pl_space;

/* A package followed through every draw. */
typedef struct pl_watch {
  char name[96];
  const char *kind; /* "proposal", "solution", "concession", "package" */
  uint32_t *values;
  bool feasible;
  uint64_t redok;
  /* Totals over the draws (fixed point where marked). */
  uint64_t *accepts;  /* per actor: party accepts / ratifier approves */
  int64_t *ratify_fx; /* per ratifier actor: P(ratifies) */
  uint64_t all_accept, in_zone;
  int64_t accepted_ratified_fx;
} pl_watch;

/* One uncertain quantity for the sensitivity analysis. */
typedef struct pl_sens {
  char name[160];
  pl_param_kind kind;
  uint32_t actor, issue, value;
  double base, lo, hi;
  /* The nearest values (below and above the base, within [lo, hi]) at
   * which the verdict and the set of blocking issues change; NAN: none. */
  double verdict_down, verdict_up, blocking_down, blocking_up;
  /* The best margin max_o min_a (u_a - t_a) at lo and at hi (-delta* when
   * the zone is empty, its slack when not). */
  double margin_lo, margin_hi, swing;
} pl_sens;

struct pl_robust {
  const pl_scenario *s;
  const pl_analysis *base;
  pl_robust_options opt;
  unsigned threads;
  uint64_t draws;
  pl_space sp;
  /* Per-draw model. */
  uint32_t na, m, total;
  double *base_w, *base_vals, *base_t, *t_offset;
  bool *renorm;
  /* Results. */
  uint64_t zone_open, same_diagnosis;
  uint64_t *set_blocks; /* per parking set */
  double *dstar;        /* per draw: delta* (0 when the zone is open) */
  uint64_t dstar_cap;
  int64_t *acc_ratified, *acc_nash; /* per candidate */
  pl_watch *watch;
  size_t nwatch;
  bool has_robust;
  uint64_t robust, nash_best; /* candidate numbers */
  bool base_blocking;         /* the base analysis found blocking sets */
  uint64_t base_sets;         /* bit per parking set: blocks in the base */
  pl_sens *sens;
  size_t nsens;
  char sens_note[200];
};

/* Sets up the candidates and parking sets (space.c). */
bool pl_space_build(pl_robust *r, pl_diag *d);
void pl_space_free(pl_space *sp);
/* The 95% Wilson interval for `sum` successes (or a sum of values in [0,
 * 1]) out of n. */
pl_probability pl_wilson(double sum, uint64_t n);
/* The deterministic sensitivity analysis (sensitivity.c). */
bool pl_sensitivity(pl_robust *r);
/* The base value of every parameter into w (na * m), vals (na * total), t
 * (na, effective thresholds). */
void pl_base_model(const pl_robust *r, double *w, double *vals, double *t);

#endif
