/* parley_design.h - deal design: who blocks, proposal repair (on top of an
 * analysis), and fair division of divisible items between two parties
 * (Adjusted Winner, Proportional Allocation).
 *
 * Definitions of every number: docs/analysis.md (sections 7.5 and 8.1) and
 * docs/divide.md. Same conventions as parley.h: pl_ prefix, opaque types,
 * problems reported into a pl_diag.
 */
#ifndef PARLEY_DESIGN_H
#define PARLEY_DESIGN_H

#include "parley.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/* ---- Fair division (docs/divide.md) ------------------------------------- */

/* Two parties spread 100 points each over divisible items. */
typedef struct pl_division pl_division;

typedef enum pl_divide_method {
  PL_DIVIDE_ADJUSTED_WINNER = 0,
  PL_DIVIDE_PROPORTIONAL = 1
} pl_divide_method;

/* Reads {"parties": [A, B], "items": [{"name", "points": [a, b]}, ...]}
 * (points as exact decimals, each party's summing to 100) and divides the
 * items by both methods with exact rational arithmetic. NULL with every
 * problem in d (file:line:column). */
pl_division *pl_divide_load_file(const char *path, pl_diag *d);
pl_division *pl_divide_load_string(const char *json, const char *filename,
                                   pl_diag *d);
void pl_divide_free(pl_division *v);

size_t pl_divide_num_items(const pl_division *v);
const char *pl_divide_item_name(const pl_division *v, size_t item);
const char *pl_divide_party_name(const pl_division *v, uint32_t party);
/* Party `party`'s (0 or 1) share of `item` under the method, as the
 * reduced fraction num/den. */
void pl_divide_share(const pl_division *v, pl_divide_method m, size_t item,
                     uint32_t party, int64_t *num, int64_t *den);
/* Party's total points under the method, as a reduced fraction. */
void pl_divide_points(const pl_division *v, pl_divide_method m, uint32_t party,
                      int64_t *num, int64_t *den);

/* The report and the JSON document of docs/divide.md. */
pl_status pl_divide_write_text(const pl_division *v, FILE *out);
pl_status pl_divide_write_json(const pl_division *v, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
