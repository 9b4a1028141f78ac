#include "util/fmt.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The C library writes the locale's decimal point; put '.' back. */
static void dot_decimal(char *buf) {
  const char *dp = localeconv()->decimal_point;
  if (!dp || (dp[0] == '.' && dp[1] == 0))
    return;
  size_t n = strlen(dp);
  char *p = strstr(buf, dp);
  if (p) {
    *p = '.';
    memmove(p + 1, p + n, strlen(p + n) + 1);
  }
}

size_t pl_fmt_fixed(char *buf, size_t len, double x, int digits) {
  if (x == 0)
    x = 0; /* no "-0.000" */
  int n = snprintf(buf, len, "%.*f", digits, x);
  if (len)
    dot_decimal(buf);
  /* "-0.000" from tiny negatives reads as a sign error: drop the sign. */
  if (len && buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
    memmove(buf, buf + 1, strlen(buf));
  return n < 0 ? 0 : (size_t)n;
}

static size_t fmt_g(char *buf, size_t len, double x, int digits) {
  int n = snprintf(buf, len, "%.*g", digits, x);
  if (len)
    dot_decimal(buf);
  return n < 0 ? 0 : (size_t)n;
}

/* Any decimal of 15 significant digits or fewer maps to its own double
 * (DBL_DIG), so when %.15g reads back, no shorter text does; otherwise 16,
 * and 17 digits always read back. Subnormals hold fewer digits: from 1. */
size_t pl_fmt_number(char *buf, size_t len, double x) {
  char text[40];
  if (!isfinite(x))
    return fmt_g(buf, len, x, 17);
  for (int digits = fabs(x) < DBL_MIN ? 1 : 15; digits < 17; digits++) {
    fmt_g(text, sizeof text, x, digits);
    double back;
    if (pl_parse_number(text, &back) && back == x)
      return fmt_g(buf, len, x, digits);
  }
  return fmt_g(buf, len, x, 17);
}

size_t pl_fmt_computed(char *buf, size_t len, double x) {
  if (x == 0)
    x = 0; /* no "-0" */
  return fmt_g(buf, len, x, 12);
}

double pl_round_computed(double x) {
  char text[40];
  double back;
  if (!isfinite(x))
    return x;
  pl_fmt_computed(text, sizeof text, x);
  return pl_parse_number(text, &back) ? back : x;
}

bool pl_parse_number(const char *text, double *out) {
  char buf[128];
  size_t n = strlen(text);
  if (n == 0 || n >= sizeof buf - 8)
    return false;
  /* strtod follows the locale: write its decimal point in place of '.'. */
  const char *dp = localeconv()->decimal_point;
  size_t dn = dp ? strlen(dp) : 1;
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    if (text[i] == '.' && dp && !(dp[0] == '.' && dn == 1)) {
      if (j + dn >= sizeof buf)
        return false;
      memcpy(buf + j, dp, dn);
      j += dn;
    } else {
      if (text[i] == ',' || (text[i] != '.' && dp && text[i] == dp[0]))
        return false;
      buf[j++] = text[i];
    }
  }
  buf[j] = 0;
  char *end;
  double v = strtod(buf, &end);
  if (end == buf || *end)
    return false;
  *out = v;
  return true;
}
