/* radix.h - a stable sort of records by a 64-bit key in O(n) passes, and
 * the key that orders doubles. The agents' outcome tables (millions of
 * records) sort this way instead of by comparisons. */
#ifndef PL_UTIL_RADIX_H
#define PL_UTIL_RADIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pl_keyed {
  uint64_t key;
  uint64_t index;
} pl_keyed;

/* A key whose unsigned order is the order of the finite doubles x,
 * descending (the largest x gets the smallest key); -0 and +0 get the
 * same key, as they compare equal. */
uint64_t pl_key_descending(double x);
/* The double whose key is k (+0 for a zero). */
double pl_key_descending_value(uint64_t k);

/* Sorts a[0 .. n) by key ascending, keeping records of equal keys in
 * their order (least significant byte first, skipping the bytes that all
 * keys share); tmp must have room for n. */
void pl_radix_sort(pl_keyed *a, pl_keyed *tmp, size_t n);

/* Writes u[0 .. n) and id[0 .. n) to uo and ido sorted by u descending,
 * equal utilities in their input order: counting by utility quantised into
 * about n bands of equal width (an order-preserving map), then each band
 * sorted on its own, by insertion when small, by the radix sort when
 * large. Two passes over the data for spread-out utilities instead of
 * n log n comparisons. id may be NULL for ids 0 .. n-1. False when out of
 * memory or n >= 2^32. */
bool pl_sort_descending(const double *u, const uint64_t *id, size_t n,
                        double *uo, uint64_t *ido);

#endif
