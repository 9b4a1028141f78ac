/* parley_divide.h - fair division of divisible items between two parties:
 * Adjusted Winner (Brams and Taylor) and Proportional Allocation, with
 * exact rational arithmetic (docs/divide.md).
 *
 * Same conventions as parley.h: pl_ prefix, opaque types, problems
 * reported into a pl_diag with file:line:column.
 */
#ifndef PARLEY_DIVIDE_H
#define PARLEY_DIVIDE_H

#include "parley.h"

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

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

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif
