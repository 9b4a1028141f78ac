/* test_orthant.c - upper-orthant counting by bit sets (src/analysis/
 * orthant.c) against a count by definition written out here. Coordinates
 * come from a few levels, so equal coordinates, equal points and queries
 * exactly at a point are everywhere: the cases where a rank, a rounded
 * block boundary or the first-coordinate cut could be off by one. */
#include "analysis/orthant.h"
#include "util/rng.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The definition: points p with p[d] >= q[d] for every d. */
static uint64_t by_definition(const double *x, size_t n, uint32_t k,
                              const double *q) {
  uint64_t c = 0;
  for (size_t i = 0; i < n; i++) {
    bool in = true;
    for (uint32_t d = 0; d < k && in; d++)
      in = x[i * k + d] >= q[d];
    c += in;
  }
  return c;
}

static void draw(pl_rng *r, double *u, uint32_t k, uint32_t levels) {
  for (uint32_t d = 0; d < k; d++)
    u[d] = levels ? (double)pl_rng_below(r, levels) / levels - 0.5
                  : pl_rng_uniform(r) - 0.5;
}

static uint64_t total_by_definition(const double *x, size_t n, const double *q,
                                    size_t m, uint32_t k) {
  uint64_t t = 0;
  for (size_t i = 0; i < m; i++)
    t += by_definition(x, n, k, q + i * k);
  return t;
}

/* The first queries one at a time (each count on its own), then all of
 * them at once on 1, 2 and 3 threads. */
static void expect_counts(const double *x, size_t n, const double *q, size_t m,
                          uint32_t k, const char *what) {
  uint64_t t;
  for (size_t i = 0; i < m && i < 24; i++) {
    cr_assert(pl_orthant_total(x, n, q + i * k, 1, k, 1, &t));
    cr_expect_eq(t, by_definition(x, n, k, q + i * k), "%s, query %zu", what,
                 i);
  }
  uint64_t want = total_by_definition(x, n, q, m, k);
  for (unsigned threads = 1; threads <= 3; threads++) {
    cr_assert(pl_orthant_total(x, n, q, m, k, threads, &t));
    cr_expect_eq(t, want, "%s, all queries, %u threads", what, threads);
  }
}

/* n random points; 300 random queries and every point as a query. */
static void check(uint64_t seed, size_t n, uint32_t k, uint32_t levels) {
  pl_rng r;
  pl_rng_seed(&r, seed);
  size_t m = 300 + n;
  double *x = malloc((n ? n : 1) * k * sizeof *x);
  double *q = malloc(m * k * sizeof *q);
  cr_assert(x && q);
  for (size_t i = 0; i < n; i++)
    draw(&r, x + i * k, k, levels);
  for (size_t t = 0; t < 300; t++)
    draw(&r, q + t * k, k, levels);
  memcpy(q + 300 * k, x, n * k * sizeof *x);
  char what[80];
  snprintf(what, sizeof what, "seed %llu, n %zu, k %u, levels %u",
           (unsigned long long)seed, n, k, levels);
  expect_counts(x, n, q, m, k, what);
  free(x);
  free(q);
}

Test(orthant, counts_as_the_definition_with_ties) {
  /* Sizes around the block of 64 ids and the 64-bit words: 0, 1, 63,
   * 64, 65, 200, 1000; levels 2 (nearly all tied) to 0 (continuous). */
  size_t sizes[] = {0, 1, 63, 64, 65, 200, 1000};
  uint32_t levels[] = {2, 3, 7, 0};
  uint64_t seed = 1;
  for (uint32_t k = 1; k <= 6; k++)
    for (size_t a = 0; a < sizeof sizes / sizeof *sizes; a++)
      for (size_t b = 0; b < sizeof levels / sizeof *levels; b++)
        check(seed++, sizes[a], k, levels[b]);
}

/* Thin and full orthants take the shortcuts (a check per point of the
 * thinnest coordinate; every point above the query but in the first):
 * queries at the corners and just inside them. */
Test(orthant, corner_queries) {
  enum { N = 3000, K = 5, M = 2000 };
  pl_rng r;
  pl_rng_seed(&r, 99);
  double *x = malloc(N * K * sizeof *x), *q = malloc(M * K * sizeof *q);
  cr_assert(x && q);
  for (size_t i = 0; i < N; i++)
    draw(&r, x + i * K, K, 50);
  for (uint32_t t = 0; t < M; t++)
    for (uint32_t d = 0; d < K; d++) {
      /* each coordinate low (everything), high (almost nothing) or mid */
      uint64_t kind = pl_rng_below(&r, 3);
      q[t * K + d] = kind == 0   ? -1.0
                     : kind == 1 ? 0.48 - 0.02 * pl_rng_uniform(&r)
                                 : pl_rng_uniform(&r) - 0.5;
    }
  expect_counts(x, N, q, M, K, "corners");
  free(x);
  free(q);
}

/* Enough queries (140,000) for the threads to share them (parallel.h:
 * 32,768 or more each): the same total on 1, 2 and 3 threads as by the
 * definition. */
Test(orthant, threads_share_the_queries) {
  enum { N = 300, K = 4, M = 140000 };
  pl_rng r;
  pl_rng_seed(&r, 7);
  double *x = malloc(N * K * sizeof *x), *q = malloc(M * K * sizeof *q);
  cr_assert(x && q);
  for (size_t i = 0; i < N; i++)
    draw(&r, x + i * K, K, 5);
  for (size_t i = 0; i < M; i++)
    draw(&r, q + i * K, K, 5);
  uint64_t want = total_by_definition(x, N, q, M, K), t;
  cr_expect_gt(want, 0);
  for (unsigned threads = 1; threads <= 3; threads++) {
    cr_assert(pl_orthant_total(x, N, q, M, K, threads, &t));
    cr_expect_eq(t, want, "%u threads", threads);
  }
  free(x);
  free(q);
}
