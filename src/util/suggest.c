#include "util/suggest.h"
#include "parley.h"

#include <string.h>

static char lower(char ch) {
  return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

size_t pl_edit_distance_n(const char *a, size_t na, const char *b, size_t nb) {
  size_t row[PL_SUGGEST_MAX + 1];
  if (na > PL_SUGGEST_MAX || nb > PL_SUGGEST_MAX)
    return na > nb ? na : nb;
  for (size_t j = 0; j <= nb; j++)
    row[j] = j;
  for (size_t i = 1; i <= na; i++) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= nb; j++) {
      size_t above = row[j];
      size_t best = diagonal + (lower(a[i - 1]) != lower(b[j - 1]));
      if (above + 1 < best)
        best = above + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diagonal = above;
    }
  }
  return row[nb];
}

int pl_is_near(const char *name, size_t n, const char *candidate) {
  size_t len = strlen(candidate);
  if (n > PL_SUGGEST_MAX || len > PL_SUGGEST_MAX)
    return 0;
  size_t d = pl_edit_distance_n(name, n, candidate, len);
  return 2 * d <= (len > n ? len : n);
}

const char *pl_suggest(const char *name, const char *const *candidates,
                       size_t n) {
  const char *best = NULL;
  size_t best_d = (size_t)-1, len = strlen(name);
  for (size_t k = 0; k < n; k++) {
    if (!candidates[k] || !pl_is_near(name, len, candidates[k]))
      continue;
    size_t d =
        pl_edit_distance_n(name, len, candidates[k], strlen(candidates[k]));
    if (d < best_d) {
      best_d = d;
      best = candidates[k];
    }
  }
  return best;
}

const char *pl_suggest_name(const char *name, const char *const *names,
                            size_t n) {
  return name ? pl_suggest(name, names, n) : NULL;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

int pl_natural_cmp(const char *a, const char *b) {
  while (*a && *b) {
    if (is_digit(*a) && is_digit(*b)) {
      while (*a == '0' && is_digit(a[1]))
        a++;
      while (*b == '0' && is_digit(b[1]))
        b++;
      size_t la = 0, lb = 0;
      while (is_digit(a[la]))
        la++;
      while (is_digit(b[lb]))
        lb++;
      int c = la != lb ? (la < lb ? -1 : 1) : memcmp(a, b, la);
      if (c)
        return c;
      a += la;
      b += lb;
    } else if (*a != *b) {
      return (unsigned char)*a - (unsigned char)*b;
    } else {
      a++, b++;
    }
  }
  return (unsigned char)*a - (unsigned char)*b;
}
