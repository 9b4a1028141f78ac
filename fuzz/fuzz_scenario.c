/* fuzz_scenario.c - a parley scenario (JSON): load, validate (the loader
 * checks everything validate reports), write back, and when it loads a
 * small analysis and a few negotiation rounds. */
#include "fuzz.h"
#include "parley.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load_string(text, "fuzz.json", d);
  if (s) {
    FILE *null = fopen("/dev/null", "w");
    if (null) {
      pl_scenario_write_json(s, null);
      fclose(null);
    }
    fuzz_exercise(s, 4096, 10);
  }
  pl_scenario_free(s);
  pl_diag_free(d);
  free(text);
  return 0;
}
