/* fuzz_geniusweb.c - GeniusWeb JSON: a domain and up to three profiles,
 * separated by FUZZ_SEPARATOR lines; analysed when they load. */
#include "fuzz.h"
#include "io/geniusweb.h"
#include "parley.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  char *parts[4];
  size_t n = fuzz_split(text, parts, 4);
  const char *paths[4];
  for (size_t k = 0; k < n; k++) {
    char name[32];
    snprintf(name, sizeof name, k ? "profile%zu.json" : "domain.json", k);
    paths[k] = fuzz_write((unsigned)k, name, parts[k]);
  }
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_geniusweb_load(paths, n, d);
  if (s)
    fuzz_exercise(s, 4096, 10);
  pl_scenario_free(s);
  pl_diag_free(d);
  free(text);
  return 0;
}
