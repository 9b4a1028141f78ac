/* fuzz_tournament.c - a tournament configuration: parse and plan (no
 * negotiation). Relative scenario paths start from the folder given at
 * build time (the repository's tests/data/tournament), so the seeds' real
 * scenarios load. */
#include "fuzz.h"
#include "tournament/tournament.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  pl_diag *d = pl_diag_new();
  pl_tournament *t =
      pl_tournament_parse(text, "fuzz.json", FUZZ_TOURNAMENT_BASE, d);
  if (t)
    pl_tour_plan(t, d);
  pl_tournament_free(t);
  pl_diag_free(d);
  free(text);
  return 0;
}
