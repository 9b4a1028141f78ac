/* support.h - small helpers shared by the tests. */
#ifndef PL_TESTS_SUPPORT_H
#define PL_TESTS_SUPPORT_H

#include "parley.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Loads a scenario from a JSON string; fails the test with the problems
 * when it does not load. */
pl_scenario *load_ok(const char *json);
/* shared/reference/blocking-issues.md's worked example (support.c), with
 * U's proposal (held, backstop, keep) when with_offer. */
pl_scenario *load_reference_example(bool with_offer);
/* Loads a scenario that must fail; returns the diagnostics (caller frees). */
pl_diag *load_fail(const char *json);
/* Path of tests/data/NAME in a static buffer. */
const char *data_path(const char *name);
/* Runs the parley program with the arguments (a shell command tail),
 * returns its exit code and captures stdout/stderr (caller frees). */
int run_cli(const char *args, char **out, char **err);
/* The same with standard input read from the file `input`. */
int run_cli_input(const char *args, const char *input, char **out, char **err);
/* Runs a shell command line in which `parley` is the program under test
 * (its folder comes first in PATH), in a scratch folder holding a link to
 * every entry of the top of the source tree (so that relative paths work
 * as from a clone and what it writes is thrown away); returns the exit
 * code and captures stdout/stderr (caller frees). */
int run_shell(const char *line, char **out, char **err);

/* The tests' generated scenarios as JSON: writes `{"issues": [...]` (no
 * closing brace) with ni categorical issues i0, i1, ... whose options are
 * v0 .. v(nv[i] - 1) into buf (cap bytes); returns what snprintf would. */
size_t put_categorical_issues(char *buf, size_t cap, uint32_t ni,
                              const uint32_t *nv);

/* pl_analyze with the options; fails the test, printing the diagnostics,
 * when it returns nothing. */
pl_analysis *analyze_or_fail(const pl_scenario *s,
                             const pl_analysis_options *o);

/* A file's whole text (caller frees), or NULL when it cannot be read. */
char *read_text_file(const char *path);
/* parley run with printf-style arguments: exit code, stdout and stderr. */
typedef struct cli_result {
  int rc;
  char *out, *err;
} cli_result;
cli_result cli_callf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
void cli_result_free(cli_result *r);

#endif
