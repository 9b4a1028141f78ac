/* parley_design.h - deal design: who blocks, proposal repair (on top of an
 * analysis).
 *
 * Definitions of every number: docs/analysis.md (sections 7.5, 7.6, 8.1). Same
 * conventions as parley.h: pl_ prefix, opaque types, problems reported into a
 * pl_diag.
 */
#ifndef PARLEY_DESIGN_H
#define PARLEY_DESIGN_H

#include "parley.h"

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

/* ---- Who blocks (docs/analysis.md, 7.5) ---------------------------------
 * Actors are numbered parties first (0 .. num_parties - 1), then ratifiers.
 */

/* Blocking sets found by the analysis (0 when the zone is not empty). */
size_t pl_blocking_count(const pl_analysis *a);
/* The issues of blocking set `set` (1 or 2 of them) into `issues`; returns
 * how many. */
uint32_t pl_blocking_issues(const pl_analysis *a, size_t set,
                            uint32_t issues[2]);
/* Combinations of the set's values (the product of their numbers of
 * values), the last issue of the set varying fastest. */
size_t pl_blocking_who_count(const pl_analysis *a, size_t set);
/* Combination j of blocking set `set`: the set's values into `values`
 * (one per issue of the set, may be NULL), the best completion of the
 * other issues into `outcome` (num_issues entries, may be NULL) and each
 * actor's shortfall t_a - u_a there (0 when it clears its threshold) into
 * `shortfall` (one per actor, may be NULL). False when no completion meets
 * the constraints and red lines, or when its search did not finish. */
bool pl_blocking_who(const pl_analysis *a, size_t set, size_t j,
                     uint32_t *values, uint32_t *outcome, double *shortfall);
/* Whether value `value` of `issue` is out of the actor's reach: even with
 * every other issue at its best, its utility is below its threshold (rules
 * ignored). False when not known (GENIUS hyperRectangle profiles). */
bool pl_value_out_of_reach(const pl_analysis *a, uint32_t actor, uint32_t issue,
                           uint32_t value);

/* ---- Proposal repair (docs/analysis.md, 8.1) ---------------------------- */

/* Packages repaired: the scenario's proposals, then the options' packages
 * (pl_analysis_options.packages), in that order. */
size_t pl_repair_count(const pl_analysis *a);
/* Repair k: the nearest package of the zone (or, when the zone is empty,
 * of the packages that open at delta*) into `outcome`, the number of
 * issues changed and the uniform concession it needs (0 in the zone).
 * False when there is none, or its search did not finish. */
bool pl_repair(const pl_analysis *a, size_t k, uint32_t *outcome,
               uint32_t *changes, double *at_delta);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif
