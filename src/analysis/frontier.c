#include "analysis/frontier.h"

#include <stdlib.h>
#include <string.h>

enum { ARCHIVE_MIN_CAP = 1024 };

void pl_archive_init(pl_archive *a, uint32_t k) {
  memset(a, 0, sizeof *a);
  a->k = k;
}

void pl_archive_free(pl_archive *a) {
  free(a->index);
  free(a->u);
  memset(a, 0, sizeof *a);
}

static bool reserve(pl_archive *a, size_t cap) {
  if (cap <= a->cap)
    return true;
  uint64_t *index = realloc(a->index, cap * sizeof *index);
  if (index)
    a->index = index;
  double *u = realloc(a->u, cap * a->k * sizeof *u);
  if (u)
    a->u = u;
  if (!index || !u) {
    a->failed = true;
    return false;
  }
  a->cap = cap;
  return true;
}

/* Lexicographic order: utilities descending, then index ascending. */
static int compare(const pl_archive *a, size_t x, size_t y) {
  const double *ux = a->u + x * a->k, *uy = a->u + y * a->k;
  for (uint32_t j = 0; j < a->k; j++)
    if (ux[j] != uy[j])
      return ux[j] > uy[j] ? -1 : 1;
  return a->index[x] < a->index[y] ? -1 : a->index[x] > a->index[y];
}

/* Merge sort of a permutation (stable, no global comparator state). */
static void sort_perm(const pl_archive *a, size_t *perm, size_t *tmp,
                      size_t n) {
  if (n < 2)
    return;
  size_t h = n / 2;
  sort_perm(a, perm, tmp, h);
  sort_perm(a, perm + h, tmp, n - h);
  size_t i = 0, j = h, o = 0;
  while (i < h && j < n)
    tmp[o++] = compare(a, perm[i], perm[j]) <= 0 ? perm[i++] : perm[j++];
  while (i < h)
    tmp[o++] = perm[i++];
  while (j < n)
    tmp[o++] = perm[j++];
  memcpy(perm, tmp, n * sizeof *perm);
}

/* True when q (earlier in the order, so lexicographically >= p) dominates
 * p: all coordinates >= and not all equal. */
static bool dominates(const double *q, const double *p, uint32_t k) {
  bool differ = false;
  for (uint32_t j = 0; j < k; j++) {
    if (q[j] < p[j])
      return false;
    differ |= q[j] != p[j];
  }
  return differ;
}

/* Sorts all points and keeps the non-dominated ones, in order. Each point
 * can only be dominated by one before it, so one sweep decides. */
static void reduce(pl_archive *a) {
  size_t n = a->n, k = a->k;
  if (n == 0 || a->failed)
    return;
  size_t *perm = malloc(n * sizeof *perm), *tmp = malloc(n * sizeof *tmp);
  uint64_t *index = malloc(n * sizeof *index);
  double *u = malloc(n * k * sizeof *u);
  if (!perm || !tmp || !index || !u) {
    free(perm), free(tmp), free(index), free(u);
    a->failed = true;
    return;
  }
  for (size_t i = 0; i < n; i++)
    perm[i] = i;
  sort_perm(a, perm, tmp, n);
  size_t kept = 0;
  double best1 = 0, best1_u0 = 0; /* two parties: best u1 so far, its u0 */
  for (size_t r = 0; r < n; r++) {
    const double *p = a->u + perm[r] * k;
    bool dominated = false;
    if (k == 2 && kept > 0) {
      dominated = best1 > p[1] || (best1 == p[1] && best1_u0 > p[0]);
    } else if (k != 2) {
      for (size_t q = 0; q < kept && !dominated; q++)
        dominated = dominates(u + q * k, p, (uint32_t)k);
    }
    if (dominated)
      continue;
    if (k == 2 && (kept == 0 || p[1] > best1)) {
      best1 = p[1];
      best1_u0 = p[0];
    }
    index[kept] = a->index[perm[r]];
    memcpy(u + kept * k, p, k * sizeof *u);
    kept++;
  }
  free(perm);
  free(tmp);
  free(a->index);
  free(a->u);
  a->index = index;
  a->u = u;
  a->n = a->clean = kept;
  a->cap = n;
}

void pl_archive_add(pl_archive *a, uint64_t index, const double *u) {
  if (a->failed)
    return;
  if (a->n == a->cap) {
    reduce(a);
    /* Keep the buffer at least as large again as the archive, so reducing
     * costs O(1) amortised per point added. */
    size_t want = a->n * 2 > ARCHIVE_MIN_CAP ? a->n * 2 : ARCHIVE_MIN_CAP;
    if (!reserve(a, want))
      return;
  }
  a->index[a->n] = index;
  memcpy(a->u + a->n * a->k, u, a->k * sizeof *u);
  a->n++;
}

void pl_archive_merge(pl_archive *dst, const pl_archive *src) {
  dst->failed |= src->failed;
  for (size_t i = 0; i < src->n; i++)
    pl_archive_add(dst, src->index[i], src->u + i * src->k);
}

void pl_archive_finish(pl_archive *a) {
  if (a->n != a->clean)
    reduce(a);
}
