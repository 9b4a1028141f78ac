/* division.h - fair division of divisible items between two parties
 * (internal layout; docs/divide.md).
 *
 * Each party spreads 100 points over the items; every share and total is
 * an exact fraction (util/rational.h), computed once when the problem is
 * read. shared/reference/fair-division.md gives the definitions.
 */
#ifndef PL_DIVISION_DIVISION_H
#define PL_DIVISION_DIVISION_H

#include "parley_divide.h"
#include "util/arena.h"
#include "util/rational.h"

enum { PL_DIVIDE_METHODS = 2 };

typedef struct pl_division_item {
  const char *name;
  pl_rat points[2];
  pl_rat share[PL_DIVIDE_METHODS]; /* party 0's share; party 1 has 1 - it */
} pl_division_item;

/* How Adjusted Winner went, for the report. */
typedef struct pl_aw_trace {
  pl_rat winner_points[2]; /* after the winner phase (ties included) */
  int32_t leader;          /* who led after it, -1 when equal */
  int32_t split;           /* the item split, or -1 */
  size_t moved;            /* items transferred whole */
} pl_aw_trace;

struct pl_division {
  pl_arena arena;
  const char *file;
  const char *party[2];
  pl_division_item *items;
  size_t nitems;
  pl_rat total[PL_DIVIDE_METHODS][2];
  pl_aw_trace aw;
};

/* A party's share of an item under a method. */
pl_rat pl_division_share(const pl_division *v, pl_divide_method m, size_t item,
                         uint32_t party);
/* Runs both methods on the items read; false when a fraction overflowed. */
bool pl_division_solve(pl_division *v);

#endif
