/* rng.h - xoshiro256** (Blackman & Vigna, public domain), seeded by
 * splitmix64. Every random choice in parley draws from one of these, so the
 * same seed gives the same result. */
#ifndef PL_UTIL_RNG_H
#define PL_UTIL_RNG_H

#include <stdint.h>

typedef struct pl_rng {
  uint64_t s[4];
} pl_rng;

void pl_rng_seed(pl_rng *r, uint64_t seed);
/* A generator for stream `stream` of `seed`: independent of any other. */
void pl_rng_seed2(pl_rng *r, uint64_t seed, uint64_t stream);
uint64_t pl_rng_next(pl_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double pl_rng_uniform(pl_rng *r);
/* Uniform integer in [0, n) without modulo bias; n > 0. */
uint64_t pl_rng_below(pl_rng *r, uint64_t n);

#endif
