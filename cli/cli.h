/* cli.h - pieces shared by the files of the `parley` command. */
#ifndef PL_CLI_H
#define PL_CLI_H

#include "parley.h"

#include <stdbool.h>
#include <stdio.h>

/* Output to stdout, or atomically to a file: written to FILE.tmp.PID and
 * renamed on success, so a failed run never leaves a half-written or
 * truncated output in place of a good one. A symbolic link's target is
 * replaced (the link stays); devices and FIFOs are written through. */
typedef struct sink {
  FILE *f;
  const char *path;
  bool through;      /* a device or FIFO: written directly, not renamed */
  char target[4096]; /* the file replaced: path, or a link's target */
  char tmp[4200];
} sink;

bool sink_open(sink *k, const char *path);
/* Closes, renames or removes the temporary file; returns the status,
 * PL_EIO when writing failed. */
int sink_close(sink *k, int status);

/* Commands with their own argument handling, in their own files. */
int pl_cli_stability(int argc, char **argv);
int pl_cli_tournament(int argc, char **argv);

#endif
