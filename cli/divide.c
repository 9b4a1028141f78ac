/* divide.c - `parley divide FILE`: fair division of divisible items between
 * two parties, by Adjusted Winner and Proportional Allocation, with exact
 * fractions (docs/divide.md). Uses only the public headers. */
#include "cli.h"
#include "parley_divide.h"

#include <string.h>

static const cli_option divide_options[] = {
    {"--json", NULL, NULL, "machine-readable output (keys in docs/divide.md)"},
    {"--output", "FILE", "standard output", "write there (atomically) instead"},
    {0}};

static int divide_main(int argc, char **argv);

const cli_command cli_cmd_divide = {
    .name = "divide",
    .purpose = "divide items fairly between two parties (Adjusted Winner)",
    .usage = "parley divide FILE [--json] [--output FILE]",
    .description =
        "Divides divisible items between two parties who each spread 100 "
        "points over them, by Adjusted Winner (Brams and Taylor: each item "
        "to the higher bidder, a tied item to the party behind in points, "
        "then items move from the leader, smallest ratio first, until both "
        "have the same points; at most one item is split) and by "
        "Proportional Allocation (each item split in proportion to the "
        "points). Every share and total is an exact fraction. FILE is "
        "{\"parties\": [\"Ann\", \"Ben\"], \"items\": [{\"name\": \"Car\", "
        "\"points\": [35, 20]}, ...]} (docs/divide.md).",
    .options = divide_options,
    .examples = "parley divide examples/divide/bob-carol.json\n"
                "parley divide examples/divide/bob-carol.json --json",
    .run = divide_main};

static int divide_main(int argc, char **argv) {
  const char *input = NULL, *output = NULL;
  bool json = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--json")) {
      json = true;
    } else if (!strcmp(a, "--output") || !strcmp(a, "-o")) {
      if (i + 1 == argc)
        return cli_usage_error(&cli_cmd_divide, "%s needs a file", a);
      output = argv[++i];
    } else if (a[0] == '-' && a[1]) {
      return cli_usage_error(&cli_cmd_divide, "unknown option '%s'", a);
    } else if (input) {
      return cli_usage_error(&cli_cmd_divide,
                             "divide reads one file; '%s' is a second", a);
    } else {
      input = a;
    }
  }
  if (!input)
    return cli_usage_error(&cli_cmd_divide, "divide needs a file%s", "");
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
