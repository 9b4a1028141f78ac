/* rational.c - exact fractions with overflow checks (rational.h). */
#include "util/rational.h"

#include <stdio.h>

typedef __int128 wide;

static wide gcd(wide a, wide b) {
  if (a < 0)
    a = -a;
  if (b < 0)
    b = -b;
  while (b) {
    wide t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* Reduces num/den (den != 0) and narrows it to 64 bits. */
static pl_rat narrow(pl_rat_ctx *c, wide num, wide den) {
  if (den == 0) {
    c->ok = false;
    return (pl_rat){0, 1};
  }
  if (den < 0)
    num = -num, den = -den;
  wide g = gcd(num, den);
  if (g > 1)
    num /= g, den /= g;
  if (num > INT64_MAX || num < -INT64_MAX || den > INT64_MAX) {
    c->ok = false;
    return (pl_rat){0, 1};
  }
  return (pl_rat){(int64_t)num, (int64_t)den};
}

pl_rat pl_rat_make(pl_rat_ctx *c, int64_t num, int64_t den) {
  return narrow(c, num, den);
}

pl_rat pl_rat_add(pl_rat_ctx *c, pl_rat a, pl_rat b) {
  return narrow(c, (wide)a.num * b.den + (wide)b.num * a.den,
                (wide)a.den * b.den);
}

pl_rat pl_rat_sub(pl_rat_ctx *c, pl_rat a, pl_rat b) {
  return narrow(c, (wide)a.num * b.den - (wide)b.num * a.den,
                (wide)a.den * b.den);
}

pl_rat pl_rat_mul(pl_rat_ctx *c, pl_rat a, pl_rat b) {
  return narrow(c, (wide)a.num * b.num, (wide)a.den * b.den);
}

pl_rat pl_rat_div(pl_rat_ctx *c, pl_rat a, pl_rat b) {
  return narrow(c, (wide)a.num * b.den, (wide)a.den * b.num);
}

int pl_rat_cmp(pl_rat a, pl_rat b) {
  wide x = (wide)a.num * b.den, y = (wide)b.num * a.den;
  return (x > y) - (x < y);
}

double pl_rat_to_double(pl_rat a) { return (double)a.num / (double)a.den; }

void pl_rat_text(pl_rat a, char *buf, size_t len) {
  if (a.den == 1)
    snprintf(buf, len, "%lld", (long long)a.num);
  else
    snprintf(buf, len, "%lld/%lld", (long long)a.num, (long long)a.den);
}

bool pl_rat_parse_decimal(const char *s, size_t len, pl_rat *out) {
  size_t k = 0;
  bool neg = false;
  if (k < len && (s[k] == '-' || s[k] == '+'))
    neg = s[k++] == '-';
  wide num = 0, den = 1;
  int digits = 0, decimals = 0;
  bool point = false;
  for (; k < len; k++) {
    char ch = s[k];
    if (ch == '.' && !point) {
      point = true;
      continue;
    }
    if (ch < '0' || ch > '9')
      return false;
    if (++digits > 30 || (point && ++decimals > 12))
      return false;
    num = num * 10 + (ch - '0');
    if (point)
      den *= 10;
  }
  if (digits == 0)
    return false;
  pl_rat_ctx c = {true};
  *out = narrow(&c, neg ? -num : num, den);
  return c.ok;
}
