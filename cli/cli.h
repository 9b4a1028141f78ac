/* cli.h - pieces shared by the files of the `parley` command. */
#ifndef PL_CLI_H
#define PL_CLI_H

#include "parley.h"

#include <stdbool.h>
#include <stdio.h>

/* Output to stdout, or atomically to a file: written to FILE.tmp.PID and
 * renamed on success, so a failed run never leaves a half-written or
 * truncated output in place of a good one. */
typedef struct sink {
  FILE *f;
  const char *path;
  char tmp[4096];
} sink;

bool sink_open(sink *k, const char *path);
/* Closes, renames or removes the temporary file; returns the status,
 * PL_EIO when writing failed. */
int sink_close(sink *k, int status);

/* Commands with their own argument handling, in their own files. */
int pl_cli_stability(int argc, char **argv);
int pl_cli_tournament(int argc, char **argv);
int pl_cli_report(int argc, char **argv);

/* The --report FILE of negotiate, stability and tournament (cli/report.c,
 * docs/report.md): the page of a finished result, written atomically;
 * messages on stderr; returns the exit code. */
typedef struct pl_report pl_report;
int pl_cli_write_report(const pl_report *r, const char *output,
                        const char *svg_dir, pl_diag *d);
int pl_cli_report_negotiation(const pl_negotiation *n, const char *file);
int pl_cli_report_stability(const pl_stability *a, const char *file);
int pl_cli_report_tournament(const char *dir, const char *file);

#endif
