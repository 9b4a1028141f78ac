/* fuzz_genius.c - GENIUS XML: a domain file and up to three profiles
 * (including hyperRectangle profiles), separated by FUZZ_SEPARATOR lines;
 * read the GENIUS way and the raw way, and analysed when they load. */
#include "fuzz.h"
#include "io/scenario_io.h"
#include "model/scenario.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *paths[4];
  size_t n =
      fuzz_write_parts(data, size, "domain.xml", "profile-%zu.xml", paths);
  if (!n)
    return 0;
  for (int raw = 0; raw < 2; raw++) {
    pl_diag *d = pl_diag_new();
    pl_scenario *s =
        pl_genius_load(paths, n, raw ? PL_READING_RAW : PL_READING_GENIUS, d);
    if (s && !raw)
      fuzz_exercise(s, 4096, 10);
    pl_scenario_free(s);
    pl_diag_free(d);
  }
  return 0;
}
