/* divide.c - `parley divide FILE`: fair division of divisible items between
 * two parties, by Adjusted Winner and Proportional Allocation, with exact
 * fractions (docs/divide.md). Uses only the public headers. */
#include "cli.h"
#include "parley_divide.h"

int pl_cli_divide(const char *input, bool json, const char *output) {
  if (!input) {
    fprintf(stderr, "parley: divide needs a file\nusage: parley divide FILE "
                    "[--json] [--output FILE]\nTry 'parley help divide'.\n");
    return PL_EINPUT;
  }
  pl_diag *d = pl_diag_new();
  pl_division *v = pl_divide_load_file(input, d);
  int status = PL_EINPUT;
  if (v) {
    sink k;
    if (sink_open(&k, output))
      status = sink_close(&k, json ? pl_divide_write_json(v, k.f)
                                   : pl_divide_write_text(v, k.f));
    else
      status = PL_EIO;
  }
  pl_diag_print(d, stderr);
  pl_diag_free(d);
  pl_divide_free(v);
  return status;
}
