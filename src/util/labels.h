/* labels.h - finding an option by its name among many.
 *
 * A categorical issue may have up to a million options (PL_MAX_VALUES), and
 * loaders look options up by name once per value they read: a linear search
 * makes loading quadratic (36 s for 10^5 options). An order of the labels,
 * sorted once in O(n log n), answers each lookup in O(log n) and shows
 * repeated labels as neighbours.
 */
#ifndef PL_UTIL_LABELS_H
#define PL_UTIL_LABELS_H

#include <stdbool.h>
#include <stdint.h>

/* Fills order[0 .. n) with the indices of `labels` sorted by strcmp, equal
 * labels in index order. False (order untouched) when out of memory. */
bool pl_labels_sort(const char *const *labels, uint32_t n, uint32_t *order);
/* The index of the first label equal to `key` (order from pl_labels_sort),
 * or -1. */
int64_t pl_labels_find(const char *const *labels, const uint32_t *order,
                       uint32_t n, const char *key);
/* Sets repeat[k] to whether labels[k] repeats an earlier label. */
void pl_labels_repeats(const char *const *labels, const uint32_t *order,
                       uint32_t n, bool *repeat);

#endif
