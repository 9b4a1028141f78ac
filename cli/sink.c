/* sink.c - output to stdout, or atomically to a file (cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

bool sink_open(sink *k, const char *path) {
  k->path = path;
  if (!path) {
    k->f = stdout;
    return true;
  }
  snprintf(k->tmp, sizeof k->tmp, "%s.tmp.%ld", path, (long)getpid());
  k->f = fopen(k->tmp, "w");
  if (!k->f) /* name the path the user gave, not the temporary file */
    fprintf(stderr, "parley: cannot write %s: %s\n", path, strerror(errno));
  return k->f != NULL;
}

int sink_close(sink *k, int status) {
  if (!k->path) {
    if (fflush(stdout) != 0 && status == PL_OK)
      status = PL_EIO;
    if (status == PL_EIO)
      fprintf(stderr, "parley: cannot write the output: %s\n", strerror(errno));
    return status;
  }
  if (fclose(k->f) != 0 && status == PL_OK)
    status = PL_EIO;
  if (status == PL_OK && rename(k->tmp, k->path) != 0) {
    fprintf(stderr, "parley: cannot write %s: %s\n", k->path, strerror(errno));
    status = PL_EIO;
  }
  if (status != PL_OK)
    remove(k->tmp);
  return status;
}
