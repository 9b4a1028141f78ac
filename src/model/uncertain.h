/* uncertain.h - uncertain inputs of a scenario (docs/scenario-format.md,
 * section 13): parameters given as distributions, Dirichlet weights and
 * named variants with probabilities.
 *
 * The scenario itself holds the base value of every parameter, so every
 * deterministic analysis runs on it unchanged; this list says what may
 * vary and how, for the Monte Carlo and sensitivity analyses
 * (src/uncertainty/). */
#ifndef PL_MODEL_UNCERTAIN_H
#define PL_MODEL_UNCERTAIN_H

#include "util/rng.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum pl_dist_kind {
  PL_DIST_FIXED = 0, /* a plain number (a variant's setting) */
  PL_DIST_UNIFORM = 1,
  PL_DIST_TRIANGULAR = 2,
  PL_DIST_NORMAL = 3, /* truncated to [lo, hi] */
  PL_DIST_BETA = 4    /* on [0, 1] */
} pl_dist_kind;

typedef struct pl_dist {
  pl_dist_kind kind;
  double lo, hi; /* support */
  double a, b;   /* triangular: a = mode; normal: mean, sd; beta: alpha, beta */
  double base;   /* the value the deterministic analysis uses */
} pl_dist;

typedef enum pl_param_kind {
  PL_PARAM_WEIGHT = 0,   /* actor, issue */
  PL_PARAM_VALUE = 1,    /* actor, issue, value (a categorical table entry) */
  PL_PARAM_THRESHOLD = 2 /* actor: reservation value or theta_q as written */
} pl_param_kind;

typedef struct pl_param {
  pl_param_kind kind;
  uint32_t actor, issue, value;
  pl_dist dist;
} pl_param;

/* An actor's weights drawn from Dirichlet(alpha): alpha[i] per issue (0:
 * the issue has no weight). */
typedef struct pl_dirichlet {
  uint32_t actor;
  double *alpha;
} pl_dirichlet;

/* A named alternative: with `probability`, the settings replace the
 * parameters they name (each a number or a distribution). */
typedef struct pl_variant {
  const char *name;
  double probability;
  pl_param *set;
  uint32_t nset;
} pl_variant;

typedef struct pl_uncertainty {
  pl_param *params;
  uint32_t nparams, cap;
  pl_dirichlet *dirichlet;
  uint32_t ndirichlet, capd;
  pl_variant *variants;
  uint32_t nvariants;
} pl_uncertainty;

/* One draw from the distribution (within [lo, hi]). */
double pl_dist_draw(const pl_dist *d, pl_rng *r);
/* Gamma(shape, 1), shape > 0 (Marsaglia and Tsang). */
double pl_gamma_draw(double shape, pl_rng *r);
/* A standard normal draw. */
double pl_normal_draw(pl_rng *r);
/* The fraction of a normal's mass within [lo, hi]. */
double pl_normal_mass(double mean, double sd, double lo, double hi);

#endif
