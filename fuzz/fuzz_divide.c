/* fuzz_divide.c - `parley divide` input (docs/divide.md): load, write the
 * text report and the JSON document, and check what the two methods
 * promise, exactly (a difference aborts, which the fuzzer reports):
 * - every item is shared out whole: the two shares of an item sum to 1;
 * - both Adjusted Winner and Proportional Allocation are equitable: the
 *   parties' point totals are equal (docs/divide.md: with both totals 100,
 *   AW's transfer phase ends level and PA's totals are equal by algebra). */
#include "fuzz.h"
#include "parley_divide.h"

#include <stdio.h>
#include <stdlib.h>

static void broken(const char *what) {
  fprintf(stderr, "fuzz_divide: %s\n", what);
  abort();
}

/* a/b == c/d for reduced fractions with positive denominators */
static bool same(int64_t a, int64_t b, int64_t c, int64_t d) {
  return (__int128)a * d == (__int128)c * b;
}

static void check(const pl_division *v, pl_divide_method m) {
  for (size_t i = 0; i < pl_divide_num_items(v); i++) {
    int64_t n0, d0, n1, d1;
    pl_divide_share(v, m, i, 0, &n0, &d0);
    pl_divide_share(v, m, i, 1, &n1, &d1);
    if (d0 <= 0 || d1 <= 0 || n0 < 0 || n1 < 0)
      broken("a share is negative or has no denominator");
    /* n0/d0 + n1/d1 == 1 */
    if ((__int128)n0 * d1 + (__int128)n1 * d0 != (__int128)d0 * d1)
      broken("an item's shares do not sum to 1");
  }
  int64_t p0, q0, p1, q1;
  pl_divide_points(v, m, 0, &p0, &q0);
  pl_divide_points(v, m, 1, &p1, &q1);
  if (!same(p0, q0, p1, q1))
    broken(m == PL_DIVIDE_ADJUSTED_WINNER ? "Adjusted Winner is not equitable"
                                          : "Proportional is not equitable");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  pl_diag *d = pl_diag_new();
  pl_division *v = pl_divide_load_string(text, "fuzz.json", d);
  if (v) {
    FILE *sink = fopen("/dev/null", "w");
    if (!sink)
      abort();
    pl_divide_write_text(v, sink);
    pl_divide_write_json(v, sink);
    fclose(sink);
    check(v, PL_DIVIDE_ADJUSTED_WINNER);
    check(v, PL_DIVIDE_PROPORTIONAL);
  }
  pl_divide_free(v);
  pl_diag_free(d);
  free(text);
  return 0;
}
