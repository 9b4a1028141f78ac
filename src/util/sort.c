#include "util/sort.h"

#include <string.h>

void pl_sort_perm(size_t *perm, size_t *tmp, size_t n, pl_perm_cmp cmp,
                  const void *ctx) {
  if (n < 2)
    return;
  size_t h = n / 2;
  pl_sort_perm(perm, tmp, h, cmp, ctx);
  pl_sort_perm(perm + h, tmp, n - h, cmp, ctx);
  size_t i = 0, j = h, o = 0;
  while (i < h && j < n)
    tmp[o++] = cmp(ctx, perm[i], perm[j]) <= 0 ? perm[i++] : perm[j++];
  while (i < h)
    tmp[o++] = perm[i++];
  while (j < n)
    tmp[o++] = perm[j++];
  memcpy(perm, tmp, n * sizeof *perm);
}
