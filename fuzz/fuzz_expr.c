/* fuzz_expr.c - the rule language alone (docs/scenario-format.md, rules):
 * compile against four fixed issues and evaluate on every outcome. */
#include "fuzz.h"
#include "model/expr.h"

#include <stdlib.h>

static const char *const COLOURS[] = {"red", "green", "dark blue"};
static const char *const SHADES[] = {"red", "x", "it's"};
static const double KM[] = {0, 10, 20, 30, 40};
static const double SHARE[] = {0, 0.25, 0.5, 1};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  const pl_expr_issue issues[] = {
      {"colour", PL_ISSUE_CATEGORICAL, 3, COLOURS, NULL},
      {"km", PL_ISSUE_INTEGER, 5, NULL, KM},
      {"share", PL_ISSUE_REAL, 4, NULL, SHARE},
      {"shade", PL_ISSUE_CATEGORICAL, 3, SHADES, NULL},
  };
  int col;
  char msg[256];
  pl_expr *e = pl_expr_compile(text, issues, 4, &col, msg, sizeof msg);
  if (e) {
    uint32_t v[4];
    for (v[0] = 0; v[0] < 3; v[0]++)
      for (v[1] = 0; v[1] < 5; v[1]++)
        for (v[2] = 0; v[2] < 4; v[2]++)
          for (v[3] = 0; v[3] < 3; v[3]++)
            (void)pl_expr_eval(e, v);
    (void)pl_expr_refs(e);
    pl_expr_free(e);
  }
  free(text);
  return 0;
}
