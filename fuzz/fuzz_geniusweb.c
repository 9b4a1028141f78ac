/* fuzz_geniusweb.c - GeniusWeb JSON: a domain and up to three profiles,
 * separated by FUZZ_SEPARATOR lines; analysed when they load. */
#include "fuzz.h"
#include "io/geniusweb.h"
#include "parley.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *paths[4];
  size_t n =
      fuzz_write_parts(data, size, "domain.json", "profile%zu.json", paths);
  if (!n)
    return 0;
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_geniusweb_load(paths, n, d);
  if (s)
    fuzz_exercise(s, 4096, 10);
  pl_scenario_free(s);
  pl_diag_free(d);
  return 0;
}
