/* parley_uncertainty.h - robust analysis: ratification by voting bodies,
 * Monte Carlo over uncertain inputs (the SMAA view) and deterministic
 * sensitivity (docs/uncertainty.md).
 *
 * Same conventions as parley.h: pl_ prefix, opaque types, problems
 * reported into a pl_diag.
 */
#ifndef PARLEY_UNCERTAINTY_H
#define PARLEY_UNCERTAINTY_H

#include "parley.h"

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

/* ---- Ratifiers as bodies (docs/scenario-format.md, 7.1) ---------------- */

/* Whether ratifier `ratifier` (0-based among the ratifiers) is a body that
 * votes. */
bool pl_ratifier_is_body(const pl_scenario *s, uint32_t ratifier);
/* The probability that the ratifier ratifies the package: exact (a
 * dynamic programme over seats, independent votes) for a body; 1 or 0
 * (approves or not) for a plain ratifier. */
double pl_ratification_probability(const pl_scenario *s, uint32_t ratifier,
                                   const uint32_t *values);

/* ---- Uncertain inputs (docs/scenario-format.md, 13) -------------------- */

/* Number of uncertain parameters (distributions), Dirichlet weight sets
 * and variants; 0 for a scenario without uncertain inputs. */
size_t pl_scenario_num_uncertain(const pl_scenario *s);

/* ---- Monte Carlo and sensitivity (docs/uncertainty.md) ----------------- */

typedef struct pl_robust pl_robust;

#define PL_DEFAULT_DRAWS 10000
#define PL_DEFAULT_SEED 1

typedef struct pl_robust_options {
  unsigned threads; /* 0: all cores; results do not depend on it */
  uint64_t draws;   /* 0: PL_DEFAULT_DRAWS (the most, with precision) */
  uint64_t seed;
  /* > 0: sample whole batches of 1,000 draws until the widest 95% Wilson
   * interval is narrower than this (at most `draws`, default 10^6). */
  double precision;
  /* Enumerate the packages of spaces up to this size (0: 10^7); above it
   * only the proposals, solutions and frontier packages are followed. */
  uint64_t max_packages;
  bool no_sensitivity; /* skip the deterministic sensitivity analysis */
  /* Called from the calling thread after every batch of 1,000 draws
   * ("Monte Carlo draws") and every input of the sensitivity analysis
   * ("sensitivity"); NULL: none. */
  pl_progress_fn progress;
  void *progress_ctx;
} pl_robust_options;

void pl_robust_options_init(pl_robust_options *o);

/* Monte Carlo and sensitivity analysis of the scenario of `base` (which
 * must outlive the result). NULL with a message in d and *status
 * PL_EINPUT (bad options, a scenario the method cannot handle) or
 * PL_ENOMEM. */
pl_robust *pl_robust_analyze(const pl_analysis *base,
                             const pl_robust_options *o, pl_diag *d,
                             pl_status *status);
void pl_robust_free(pl_robust *r);

/* The report's section "Robustness" (docs/uncertainty.md). */
pl_status pl_robust_write_text(const pl_robust *r, FILE *out);
/* The whole `parley analyze --json` document of the base analysis with the
 * key "uncertainty" added (schema/analysis.schema.json). */
pl_status pl_robust_write_json(const pl_robust *r, FILE *out);

/* A probability with its 95% Wilson interval. */
typedef struct pl_probability {
  double p, lo, hi;
} pl_probability;

uint64_t pl_robust_draws(const pl_robust *r);
/* P(the agreement zone is not empty); false when it was not estimated
 * (above max_packages). */
bool pl_robust_zone_open(const pl_robust *r, pl_probability *p);
/* P(proposal k is accepted by every party and ratified). */
bool pl_robust_proposal(const pl_robust *r, size_t k, pl_probability *p);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif
