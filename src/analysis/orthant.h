/* orthant.h - how many (point, query) pairs have the point at least the
 * query in every coordinate, for 4 coordinates or more, where divide and
 * conquer costs a factor log n per coordinate.
 *
 * For each coordinate the points are ranked, largest first, and each
 * query's count in it (the points at or above it there) found by one
 * merge. The coordinate whose counts are smallest numbers the points (by
 * their rank in it), so that a query's points there are the ids [0, L).
 * For every other coordinate, bit sets of the ids of the first j * B ranks
 * are kept for every j: a query ANDs one such set per coordinate over its
 * L bits and counts them, then checks the fewer than B points of each
 * coordinate that the rounding down to a multiple of B left out (stored in
 * rank order, so that check reads memory in sequence). A query whose count
 * is small in some coordinate checks those points one by one instead.
 * Quadratic over all pairs, but with a small constant, and exact
 * (comparisons of doubles, ties included). */
#ifndef PL_ANALYSIS_ORTHANT_H
#define PL_ANALYSIS_ORTHANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PL_ORTHANT_MAX_DIMS 8

/* Sum over the m queries q (q_i at q[i * k ...]) of the number of the n
 * points p (p_j at p[j * k ...]) with p[d] >= q[d] for every coordinate
 * d < k, the queries shared out over up to `threads` threads (the same
 * sum for any number). False when out of memory or n or m >= 2^32. */
bool pl_orthant_total(const double *p, size_t n, const double *q, size_t m,
                      uint32_t k, unsigned threads, uint64_t *total);

/* About how many bytes of memory traffic such a count costs, for callers
 * choosing between methods (an upper estimate). */
double pl_orthant_cost(size_t n, size_t m, uint32_t k);

#endif
