/* sort.h - a stable merge sort of a permutation, for orders that need a
 * context (qsort's comparator has none, and global state is not allowed). */
#ifndef PL_UTIL_SORT_H
#define PL_UTIL_SORT_H

#include <stddef.h>

/* Negative when x goes before y, positive after, 0 when equal. */
typedef int (*pl_perm_cmp)(const void *ctx, size_t x, size_t y);

/* Sorts perm[0 .. n) by cmp, keeping equal elements in order; tmp must
 * have room for n. */
void pl_sort_perm(size_t *perm, size_t *tmp, size_t n, pl_perm_cmp cmp,
                  const void *ctx);

#endif
