/* fuzz_conflict.c - a conflict for `parley stability` (parley's conflict
 * JSON, or GMCR+ / gmcr-py JSON, told apart by content): load, and when it
 * loads a stability analysis of at most 4096 states. fuzz_gmcr is the same
 * program with GMCR+ seeds and dictionary. */
#include "fuzz.h"
#include "parley.h"

#include <stdlib.h>

#ifndef FUZZ_FILENAME
#define FUZZ_FILENAME "fuzz.json"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  pl_diag *d = pl_diag_new();
  pl_conflict *c = pl_conflict_load_string(text, FUZZ_FILENAME, d);
  if (c) {
    pl_stability_options o;
    pl_stability_options_init(&o);
    o.threads = 1;
    o.max_states = 4096;
    o.explain = true;
    pl_status st;
    pl_stability *a = pl_stability_analyze(c, &o, d, &st);
    pl_stability_free(a);
  }
  pl_conflict_free(c);
  pl_diag_free(d);
  free(text);
  return 0;
}
