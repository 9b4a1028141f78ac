#include "util/radix.h"
#include "util/bigmem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The bits of a double, flipped so that unsigned order is numeric order:
 * negatives have every bit inverted, positives only the sign. Then all
 * inverted again for descending order. */
uint64_t pl_key_descending(double x) {
  if (x == 0)
    x = 0; /* -0 sorts with +0 */
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  uint64_t ascending = b >> 63 ? ~b : b | (1ULL << 63);
  return ~ascending;
}

double pl_key_descending_value(uint64_t k) {
  uint64_t ascending = ~k;
  uint64_t b = ascending >> 63 ? ascending & ~(1ULL << 63) : ~ascending;
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

void pl_radix_sort(pl_keyed *a, pl_keyed *tmp, size_t n) {
  enum { DIGITS = 8, BUCKETS = 256 };
  size_t count[DIGITS][BUCKETS];
  memset(count, 0, sizeof count);
  for (size_t k = 0; k < n; k++)
    for (int d = 0; d < DIGITS; d++)
      count[d][(a[k].key >> (8 * d)) & 0xff]++;
  pl_keyed *from = a, *to = tmp;
  for (int d = 0; d < DIGITS; d++) {
    size_t *c = count[d];
    if (n == 0 || c[(from[0].key >> (8 * d)) & 0xff] == n)
      continue; /* every key has this byte: the pass would change nothing */
    size_t sum = 0;
    for (int b = 0; b < BUCKETS; b++) {
      size_t here = c[b];
      c[b] = sum;
      sum += here;
    }
    for (size_t k = 0; k < n; k++)
      to[c[(from[k].key >> (8 * d)) & 0xff]++] = from[k];
    pl_keyed *t = from;
    from = to;
    to = t;
  }
  if (from != a)
    memcpy(a, from, n * sizeof *a);
}

/* Sorts u/id[0 .. n) by u descending, stably, through a + n scratch. */
static bool radix_region(double *u, uint64_t *id, size_t n) {
  pl_keyed *a = pl_big_alloc(2 * n, sizeof *a);
  if (!a)
    return false;
  for (size_t k = 0; k < n; k++)
    a[k] = (pl_keyed){pl_key_descending(u[k]), k};
  pl_radix_sort(a, a + n, n);
  /* a[k].index is the old position of the k-th: permute through a + n. */
  double *tu = (double *)(a + n);
  for (size_t k = 0; k < n; k++)
    tu[k] = u[a[k].index];
  memcpy(u, tu, n * sizeof *u);
  uint64_t *ti = (uint64_t *)(a + n);
  for (size_t k = 0; k < n; k++)
    ti[k] = id[a[k].index];
  memcpy(id, ti, n * sizeof *id);
  free(a);
  return true;
}

static void insertion(double *u, uint64_t *id, size_t n) {
  for (size_t k = 1; k < n; k++) {
    double x = u[k];
    uint64_t i = id[k];
    size_t j = k;
    for (; j > 0 && u[j - 1] < x; j--) {
      u[j] = u[j - 1];
      id[j] = id[j - 1];
    }
    u[j] = x;
    id[j] = i;
  }
}

/* Up to 4 x TOP_BANDS utilities, the first level counts into TOP_BANDS
 * bands (a table on the heap that fits the second-level cache): one
 * scatter and insertion sorts of a few (TravelA: 188,160 utilities, 7.0 ->
 * 6.3 ms for two parties). Above that, and below the first level, into up
 * to MAX_BANDS (on the stack): more at the top would leave tens of
 * utilities in each band for the insertion sort (AMPOvsCity, 1.9 million:
 * 74 -> 81 ms with 2^16). */
enum { MAX_BANDS = 1024, TOP_BANDS = 1 << 16, SMALL = 32, MAX_DEPTH = 6 };

typedef struct bands {
  double lo, scale;
  size_t n;
  uint32_t *start; /* n + 1 */
} bands;

/* Bands of equal width over [lo, hi], the largest utilities first: an
 * order-preserving map (subtraction, a positive factor and truncation of
 * what is at least 0 are monotone), so sorting band by band sorts the
 * whole. x >= lo, the region's least. */
static size_t band_of(const bands *b, double x) {
  size_t q = (size_t)((x - b->lo) * b->scale);
  return b->n - 1 - (q < b->n - 1 ? q : b->n - 1);
}

/* Stable counting of u/id[0 .. n) into uo/ido by band; id NULL for ids
 * 0 .. n-1. b->start[k] is then where band k ends. */
static void scatter(bands *b, const double *u, const uint64_t *id, size_t n,
                    double *uo, uint64_t *ido) {
  memset(b->start, 0, (b->n + 1) * sizeof *b->start);
  for (size_t k = 0; k < n; k++)
    b->start[band_of(b, u[k]) + 1]++;
  for (size_t k = 0; k < b->n; k++)
    b->start[k + 1] += b->start[k];
  for (size_t k = 0; k < n; k++) {
    uint32_t at = b->start[band_of(b, u[k])]++;
    uo[at] = u[k];
    ido[at] = id ? id[k] : k;
  }
}

typedef enum shape { EQUAL, SPREAD, ODD } shape;

/* EQUAL: every utility the same (nothing to sort); SPREAD: finite, lo <
 * hi, and b set; ODD: infinities, NaN or a range too narrow for bands. */
static shape spread(const double *u, size_t n, size_t most, bands *b) {
  double lo = u[0], hi = u[0];
  bool finite = true;
  for (size_t k = 0; k < n; k++) {
    finite &= isfinite(u[k]);
    lo = u[k] < lo ? u[k] : lo;
    hi = u[k] > hi ? u[k] : hi;
  }
  b->n = n / 2 + 1 < most ? n / 2 + 1 : most;
  b->lo = lo;
  b->scale = (double)b->n / (hi - lo);
  if (finite && hi == lo)
    return EQUAL;
  return finite && hi > lo && isfinite(b->scale) ? SPREAD : ODD;
}

static bool sort_region(double *u, uint64_t *id, size_t n, double *tu,
                        uint64_t *tid, int depth);

static bool sort_bands(const bands *b, double *u, uint64_t *id, double *tu,
                       uint64_t *tid, int depth) {
  bool ok = true;
  for (size_t k = 0, from = 0; k < b->n && ok; from = b->start[k++])
    ok = sort_region(u + from, id + from, b->start[k] - from, tu, tid, depth);
  return ok;
}

/* Sorts u/id[0 .. n) in place, stably, with scratch tu/tid of room n. */
static bool sort_region(double *u, uint64_t *id, size_t n, double *tu,
                        uint64_t *tid, int depth) {
  if (n <= SMALL) {
    insertion(u, id, n);
    return true;
  }
  uint32_t start[MAX_BANDS + 1];
  bands b = {.start = start};
  shape sh = spread(u, n, MAX_BANDS, &b);
  if (sh == EQUAL)
    return true;
  if (sh == ODD || depth >= MAX_DEPTH)
    return radix_region(u, id, n);
  memcpy(tu, u, n * sizeof *u);
  memcpy(tid, id, n * sizeof *id);
  scatter(&b, tu, tid, n, u, id);
  return sort_bands(&b, u, id, tu, tid, depth + 1);
}

bool pl_sort_descending(const double *u, const uint64_t *id, size_t n,
                        double *uo, uint64_t *ido) {
  if (n > UINT32_MAX)
    return false; /* the bands count in 32 bits */
  bands b = {0};
  size_t top = n <= 4 * (size_t)TOP_BANDS ? TOP_BANDS : MAX_BANDS;
  shape sh = n <= SMALL ? ODD : spread(u, n, top, &b);
  if (sh != SPREAD) { /* copy, then one region */
    memcpy(uo, u, n * sizeof *u);
    for (size_t k = 0; k < n; k++)
      ido[k] = id ? id[k] : k;
    if (n <= SMALL)
      insertion(uo, ido, n);
    return n <= SMALL || sh == EQUAL || radix_region(uo, ido, n);
  }
  b.start = malloc((b.n + 1) * sizeof *b.start);
  if (!b.start)
    return false;
  scatter(&b, u, id, n, uo, ido);
  size_t widest = 0;
  for (size_t k = 0, from = 0; k < b.n; from = b.start[k++])
    widest = b.start[k] - from > widest ? b.start[k] - from : widest;
  double *tu = pl_big_alloc(widest, sizeof *tu);
  uint64_t *tid = pl_big_alloc(widest, sizeof *tid);
  bool ok = tu && tid && sort_bands(&b, uo, ido, tu, tid, 1);
  free(tu);
  free(tid);
  free(b.start);
  return ok;
}
