/* orthant.c - upper-orthant counting by bit sets (see orthant.h). */
#include "analysis/orthant.h"

#include "util/parallel.h"
#include "util/radix.h"

#include <stdlib.h>
#include <string.h>

/* The prefix sets take at most this much memory; B grows to fit. */
#define MAX_SET_BYTES (256.0 * 1024 * 1024)

typedef uint64_t (*common_fn)(const uint64_t *const *set, uint32_t m,
                              size_t bits);

typedef struct counter {
  common_fn common;  /* common_bits_popcnt or common_bits_portable */
  uint32_t k, first; /* first: the coordinate whose ranks are the ids */
  size_t n, words, block, nblocks;
  uint32_t *rec;  /* k * n * k: for coordinate d, rank r: the point's id
                     at [first], its rank in each other coordinate */
  uint64_t *sets; /* per coordinate but first: nblocks + 1 sets, the ids
                     of ranks < j B */
  uint32_t *at;   /* m * k: each query's count in each coordinate */
} counter;

/* Smallest multiple of 64 (at least 64) keeping the sets in memory. */
static size_t block_for(size_t n, uint32_t k) {
  double bytes_at_64 = (k - 1.0) * ((double)n / 64 + 1) * ((double)n / 8 + 8);
  size_t b = 64;
  while (bytes_at_64 * 64 / (double)b > MAX_SET_BYTES)
    b *= 2;
  return b;
}

double pl_orthant_cost(size_t n, size_t m, uint32_t k) {
  double b = (double)block_for(n, k), dn = (double)n;
  double per_query = (k - 1.0) * (dn / 16 + b / 2 * 4 * k) + 64.0 * k;
  double build = k * dn * (4.0 * k + 64) + (k - 1.0) * (dn / b + 1) * dn / 8;
  return (double)m * per_query + build;
}

/* ---- Bits ---------------------------------------------------------------- */

/* Bits set in all of the m sets among the first `bits` ids. Compiled
 * twice: for the processor's popcnt instruction where it has one (found
 * at run time), and portably (a library call per word, 3x slower). */
#define COMMON_BITS(name, attr)                                                \
  attr static uint64_t name(const uint64_t *const *set, uint32_t m,            \
                            size_t bits) {                                     \
    size_t whole = bits / 64;                                                  \
    uint64_t c = 0;                                                            \
    if (m == 3)                                                                \
      for (size_t w = 0; w < whole; w++)                                       \
        c +=                                                                   \
            (uint64_t)__builtin_popcountll(set[0][w] & set[1][w] & set[2][w]); \
    else if (m == 4)                                                           \
      for (size_t w = 0; w < whole; w++)                                       \
        c += (uint64_t)__builtin_popcountll(set[0][w] & set[1][w] &            \
                                            set[2][w] & set[3][w]);            \
    else                                                                       \
      for (size_t w = 0; w < whole; w++) {                                     \
        uint64_t x = set[0][w];                                                \
        for (uint32_t d = 1; d < m; d++)                                       \
          x &= set[d][w];                                                      \
        c += (uint64_t)__builtin_popcountll(x);                                \
      }                                                                        \
    if (bits % 64) {                                                           \
      uint64_t x = ~0ULL >> (64 - bits % 64);                                  \
      for (uint32_t d = 0; d < m; d++)                                         \
        x &= set[d][whole];                                                    \
      c += (uint64_t)__builtin_popcountll(x);                                  \
    }                                                                          \
    return c;                                                                  \
  }

COMMON_BITS(common_bits_portable, )
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
COMMON_BITS(common_bits_popcnt, __attribute__((target("popcnt"))))
static common_fn choose_common(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("popcnt") ? common_bits_popcnt
                                          : common_bits_portable;
}
#else
static common_fn choose_common(void) { return common_bits_portable; }
#endif

/* ---- Building ------------------------------------------------------------ */

/* Ranks the n entries x[j * k + d] largest first (ties in input order):
 * rank r holds entry ord[r]. */
static void rank_by(const double *x, size_t n, uint32_t k, uint32_t d,
                    pl_keyed *a, pl_keyed *tmp, uint32_t *ord) {
  for (size_t j = 0; j < n; j++)
    a[j] = (pl_keyed){pl_key_descending(x[j * k + d]), j};
  pl_radix_sort(a, tmp, n);
  for (size_t r = 0; r < n; r++)
    ord[r] = (uint32_t)a[r].index;
}

/* Each query's count in coordinate d: the points at or above it there,
 * by one merge of the two rankings. */
static void counts_in(counter *c, const double *p, const uint32_t *pord,
                      const double *q, size_t m, pl_keyed *a, pl_keyed *tmp,
                      uint32_t d) {
  for (size_t i = 0; i < m; i++)
    a[i] = (pl_keyed){pl_key_descending(q[i * c->k + d]), i};
  pl_radix_sort(a, tmp, m);
  size_t j = 0;
  for (size_t r = 0; r < m; r++) {
    double v = q[a[r].index * c->k + d];
    while (j < c->n && p[(size_t)pord[j] * c->k + d] >= v)
      j++;
    c->at[a[r].index * c->k + d] = (uint32_t)j;
  }
}

static bool build_sets(counter *c) {
  size_t per = (c->nblocks + 1) * c->words, all = (c->k - 1) * per;
  c->sets = calloc(all > 0 ? all : 1, sizeof *c->sets);
  if (!c->sets)
    return false;
  uint64_t *s = c->sets;
  for (uint32_t d = 0; d < c->k; d++) {
    if (d == c->first)
      continue;
    const uint32_t *rec = c->rec + (size_t)d * c->n * c->k;
    for (size_t j = 1; j <= c->nblocks; j++) {
      uint64_t *cur = s + j * c->words;
      memcpy(cur, cur - c->words, c->words * sizeof *cur);
      size_t end = j * c->block < c->n ? j * c->block : c->n;
      for (size_t r = (j - 1) * c->block; r < end; r++) {
        uint32_t id = rec[r * c->k + c->first];
        cur[id / 64] |= 1ULL << (id % 64);
      }
    }
    s += per;
  }
  return true;
}

/* The records (see counter) from each coordinate's ranking ord (k * n). */
static void build_records(counter *c, const uint32_t *ord, uint32_t *rank) {
  size_t n = c->n;
  uint32_t k = c->k;
  for (uint32_t d = 0; d < k; d++)
    for (size_t r = 0; r < n; r++) /* rank[point * k + d] */
      rank[(size_t)ord[d * n + r] * k + d] = (uint32_t)r;
  for (uint32_t d = 0; d < k; d++)
    for (size_t r = 0; r < n; r++) {
      const uint32_t *from = rank + (size_t)ord[d * n + r] * k;
      memcpy(c->rec + ((size_t)d * n + r) * k, from, k * sizeof *from);
    }
}

/* ---- Counting ------------------------------------------------------------ */

/* The points among the first `count` ranks of coordinate d that are in
 * the orthant: one check each. */
static uint64_t count_directly(const counter *c, uint32_t d, size_t count,
                               const uint32_t *at) {
  uint64_t sum = 0;
  const uint32_t *rec = c->rec + (size_t)d * c->n * c->k;
  for (size_t r = 0; r < count; r++) {
    const uint32_t *x = rec + r * c->k;
    bool in = true;
    for (uint32_t e = 0; e < c->k && in; e++)
      in = x[e] < at[e];
    sum += in;
  }
  return sum;
}

static uint64_t count_query(const counter *c, const uint32_t *at) {
  uint32_t k = c->k, f = c->first, thin = 0;
  bool rest = true; /* every point is at or above q but in `first` */
  for (uint32_t d = 0; d < k; d++) {
    if (at[d] == 0)
      return 0;
    thin = at[d] < at[thin] ? d : thin;
    rest &= d == f || at[d] == c->n;
  }
  if (k == 1 || rest)
    return at[f];
  /* A check per point of the thinnest coordinate, or a pass over the
   * sets' words and up to B checks per coordinate for the rounding. */
  if (2 * (size_t)at[thin] <= at[f] / 64 + c->block)
    return count_directly(c, thin, at[thin], at);
  const uint64_t *set[PL_ORTHANT_MAX_DIMS] = {NULL};
  size_t cut[PL_ORTHANT_MAX_DIMS] = {0}, per = (c->nblocks + 1) * c->words;
  uint32_t m = 0;
  for (uint32_t d = 0; d < k; d++)
    if (d != f) {
      cut[d] = at[d] / c->block * c->block;
      set[m] = c->sets + m * per + at[d] / c->block * c->words;
      m++;
    }
  uint64_t sum = c->common(set, m, at[f]);
  /* The ids each coordinate's rounding down left out, counted at the
   * first coordinate that left them out. */
  for (uint32_t d = 0; d < k; d++) {
    if (d == f)
      continue;
    const uint32_t *rec = c->rec + (size_t)d * c->n * k;
    for (size_t r = cut[d]; r < at[d]; r++) {
      const uint32_t *x = rec + r * k;
      bool in = x[f] < at[f];
      for (uint32_t e = 0; e < k && in; e++)
        in = e == d || e == f || x[e] < (e < d ? cut[e] : at[e]);
      sum += in;
    }
  }
  return sum;
}

typedef struct share {
  const counter *c;
  const uint32_t *order;
  uint64_t *sum; /* per worker */
} share;

static void count_chunk(void *ctx, unsigned worker, uint64_t begin,
                        uint64_t end) {
  const share *sh = ctx;
  uint64_t sum = 0;
  for (uint64_t i = begin; i < end; i++)
    sum += count_query(sh->c, sh->c->at + (size_t)sh->order[i] * sh->c->k);
  sh->sum[worker] += sum;
}

/* Queries in order of their set of the first coordinate but `first`, so
 * that consecutive queries share it in the cache; chunks of that order go
 * to the threads, and the sum does not depend on how many. */
static bool total_in_order(const counter *c, size_t m, unsigned threads,
                           uint64_t *total) {
  uint32_t g = c->first == 0 ? 1 : 0;
  size_t nb = c->nblocks + 1;
  threads = pl_threads_for(threads, m);
  size_t *start = calloc(nb + 1, sizeof *start);
  uint32_t *order = malloc((m ? m : 1) * sizeof *order);
  uint64_t *sum = calloc(threads, sizeof *sum);
  bool ok = start && order && sum;
  for (size_t i = 0; ok && i < m; i++)
    start[c->at[i * c->k + g] / c->block + 1]++;
  for (size_t b = 0; ok && b < nb; b++)
    start[b + 1] += start[b];
  for (size_t i = 0; ok && i < m; i++)
    order[start[c->at[i * c->k + g] / c->block]++] = (uint32_t)i;
  if (ok) {
    share sh = {c, order, sum};
    pl_parallel_for(threads, m, count_chunk, &sh);
    *total = 0;
    for (unsigned t = 0; t < threads; t++)
      *total += sum[t];
  }
  free(start);
  free(order);
  free(sum);
  return ok;
}

bool pl_orthant_total(const double *p, size_t n, const double *q, size_t m,
                      uint32_t k, unsigned threads, uint64_t *total) {
  *total = 0;
  if (k < 1 || k > PL_ORTHANT_MAX_DIMS || n >= UINT32_MAX || m >= UINT32_MAX)
    return false;
  if (n == 0 || m == 0)
    return true;
  counter c = {.common = choose_common(), .k = k, .n = n};
  size_t big = n > m ? n : m;
  pl_keyed *a = malloc(big * sizeof *a), *tmp = malloc(big * sizeof *tmp);
  uint32_t *ord = malloc((size_t)k * n * sizeof *ord);
  uint32_t *rank = malloc((size_t)k * n * sizeof *rank);
  c.at = malloc((size_t)k * m * sizeof *c.at);
  c.rec = malloc((size_t)k * n * k * sizeof *c.rec);
  bool ok = a && tmp && ord && rank && c.at && c.rec;
  double least = 0;
  for (uint32_t d = 0; ok && d < k; d++) {
    rank_by(p, n, k, d, a, tmp, ord + (size_t)d * n);
    counts_in(&c, p, ord + (size_t)d * n, q, m, a, tmp, d);
    double sum = 0; /* the queries' bits to AND if d numbers the ids */
    for (size_t i = 0; i < m; i++)
      sum += c.at[i * k + d];
    if (d == 0 || sum < least) {
      least = sum;
      c.first = d;
    }
  }
  free(a);
  free(tmp);
  if (ok && k == 1) {
    for (size_t i = 0; i < m; i++)
      *total += c.at[i];
  } else if (ok) {
    c.words = (n + 63) / 64;
    c.block = block_for(n, k);
    c.nblocks = (n + c.block - 1) / c.block;
    build_records(&c, ord, rank);
    ok = build_sets(&c) && total_in_order(&c, m, threads, total);
  }
  free(ord);
  free(rank);
  free(c.at);
  free(c.rec);
  free(c.sets);
  return ok;
}
