/* rational.h - exact fractions num/den of 64-bit integers, always reduced
 * with den > 0. Every operation checks for overflow (intermediates in 128
 * bits) and sets the sticky flag `ok` to false instead of wrapping, so a
 * caller tests once at the end. */
#ifndef PL_UTIL_RATIONAL_H
#define PL_UTIL_RATIONAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pl_rat {
  int64_t num, den;
} pl_rat;

typedef struct pl_rat_ctx {
  bool ok; /* false once an operation overflowed or divided by zero */
} pl_rat_ctx;

pl_rat pl_rat_make(pl_rat_ctx *c, int64_t num, int64_t den);
static inline pl_rat pl_rat_int(int64_t n) { return (pl_rat){n, 1}; }
pl_rat pl_rat_add(pl_rat_ctx *c, pl_rat a, pl_rat b);
pl_rat pl_rat_sub(pl_rat_ctx *c, pl_rat a, pl_rat b);
pl_rat pl_rat_mul(pl_rat_ctx *c, pl_rat a, pl_rat b);
pl_rat pl_rat_div(pl_rat_ctx *c, pl_rat a, pl_rat b);
/* -1, 0 or 1 as a < b, a == b, a > b (exact, no overflow possible). */
int pl_rat_cmp(pl_rat a, pl_rat b);
double pl_rat_to_double(pl_rat a);
/* "3/7", or "2" when den is 1. */
void pl_rat_text(pl_rat a, char *buf, size_t len);
/* Reads an exact decimal ("35", "12.5", "1e1" is refused): at most 12
 * digits after the point; false when not a plain decimal or too large. */
bool pl_rat_parse_decimal(const char *s, size_t len, pl_rat *out);

#endif
