/* labels.c - a sorted order of labels for lookups by name (labels.h). */
#include "util/labels.h"

#include "util/sort.h"

#include <stdlib.h>
#include <string.h>

static int label_cmp(const void *ctx, size_t x, size_t y) {
  const char *const *labels = ctx;
  return strcmp(labels[x], labels[y]);
}

bool pl_labels_sort(const char *const *labels, uint32_t n, uint32_t *order) {
  size_t *perm = malloc((n ? n : 1) * sizeof *perm);
  size_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
  bool ok = perm && tmp;
  if (ok) {
    for (uint32_t k = 0; k < n; k++)
      perm[k] = k;
    /* stable, so the first of equal labels comes first */
    pl_sort_perm(perm, tmp, n, label_cmp, labels);
    for (uint32_t k = 0; k < n; k++)
      order[k] = (uint32_t)perm[k];
  }
  free(perm);
  free(tmp);
  return ok;
}

int64_t pl_labels_find(const char *const *labels, const uint32_t *order,
                       uint32_t n, const char *key) {
  uint32_t lo = 0, hi = n; /* the first position whose label is >= key */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (strcmp(labels[order[mid]], key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n && !strcmp(labels[order[lo]], key) ? (int64_t)order[lo] : -1;
}

void pl_labels_repeats(const char *const *labels, const uint32_t *order,
                       uint32_t n, bool *repeat) {
  memset(repeat, 0, n * sizeof *repeat);
  for (uint32_t k = 1; k < n; k++)
    if (!strcmp(labels[order[k]], labels[order[k - 1]]))
      repeat[order[k]] = true;
}
