/* A 64-bit mixer for open-addressing tables (the finaliser of MurmurHash3,
 * public domain): every input bit reaches every output bit, so the low
 * bits that pick a slot are well spread even for doubles' bit patterns. */
#ifndef PL_UTIL_HASH_H
#define PL_UTIL_HASH_H

#include <stdint.h>

static inline uint64_t pl_mix64(uint64_t a) {
  a ^= a >> 33;
  a *= 0xff51afd7ed558ccdULL;
  a ^= a >> 33;
  a *= 0xc4ceb9fe1a85ec53ULL;
  return a ^ (a >> 33);
}

#endif
