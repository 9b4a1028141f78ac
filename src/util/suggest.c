#include "util/suggest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

size_t pl_edit_distance(const char *a, const char *b) {
  size_t n = strlen(a), m = strlen(b);
  if (n > 256 || m > 256)
    return n > m ? n : m; /* names that long are not typos of each other */
  size_t row[257];
  for (size_t j = 0; j <= m; j++)
    row[j] = j;
  for (size_t i = 1; i <= n; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t up = row[j];
      size_t cost = tolower((unsigned char)a[i - 1]) !=
                    tolower((unsigned char)b[j - 1]);
      size_t best = diag + cost;
      if (row[j] + 1 < best)
        best = row[j] + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[m];
}

const char *pl_suggest(const char *name, const char *const *candidates,
                       size_t n) {
  const char *best = NULL;
  size_t best_d = (size_t)-1;
  for (size_t k = 0; k < n; k++) {
    if (!candidates[k])
      continue;
    size_t d = pl_edit_distance(name, candidates[k]);
    if (d < best_d) {
      best_d = d;
      best = candidates[k];
    }
  }
  size_t len = strlen(name);
  size_t limit = len / 3 > 1 ? len / 3 : 1;
  return best && best_d <= limit ? best : NULL;
}
