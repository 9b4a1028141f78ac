/* sink.c - output to stdout, or to a file (cli.h).
 *
 * A regular file (or a new one) is written atomically: to a temporary file
 * beside it, renamed over it on success. A symbolic link is followed: its
 * target is what gets replaced, so the link stays a link (a link to a
 * missing file is refused: nothing sensible to replace). Anything else at
 * the path - a character device such as /dev/null or /dev/stdout, a FIFO, a
 * socket - is opened and written through: renaming over it would destroy
 * it, and it cannot hold a half-written file anyway. */
#define _XOPEN_SOURCE 700
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool sink_fail(const sink *k, int err) {
  fprintf(stderr, "parley: cannot write %s: %s\n", k->path, strerror(err));
  return false;
}

/* Where the atomic write goes: the path itself, or a link's final target. */
static bool resolve_target(sink *k, struct stat *st, bool *exists) {
  struct stat lst;
  *exists = lstat(k->path, &lst) == 0;
  if (!*exists || !S_ISLNK(lst.st_mode)) {
    snprintf(k->target, sizeof k->target, "%s", k->path);
    *st = lst;
    return true;
  }
  char *real = realpath(k->path, NULL);
  if (!real || stat(real, st) != 0) {
    fprintf(stderr,
            "parley: cannot write %s: it is a symbolic link to a missing "
            "file; give the target's path instead\n",
            k->path);
    free(real);
    return false;
  }
  int n = snprintf(k->target, sizeof k->target, "%s", real);
  free(real);
  if (n < 0 || (size_t)n >= sizeof k->target)
    return sink_fail(k, ENAMETOOLONG);
  return true;
}

bool sink_open(sink *k, const char *path) {
  k->path = path;
  k->through = false;
  if (!path) {
    k->f = stdout;
    return true;
  }
  struct stat st;
  bool exists;
  if (!resolve_target(k, &st, &exists))
    return false;
  k->through = exists && !S_ISREG(st.st_mode);
  if (exists && S_ISDIR(st.st_mode))
    return sink_fail(k, EISDIR);
  if (k->through) {
    k->f = fopen(k->target, "w");
    return k->f ? true : sink_fail(k, errno);
  }
  int n =
      snprintf(k->tmp, sizeof k->tmp, "%s.tmp.%ld", k->target, (long)getpid());
  if (n < 0 || (size_t)n >= sizeof k->tmp)
    return sink_fail(k, ENAMETOOLONG);
  k->f = fopen(k->tmp, "w");
  if (!k->f) /* name the path the user gave, not the temporary file */
    return sink_fail(k, errno);
  if (exists) /* the replacement keeps the file's permissions */
    fchmod(fileno(k->f), st.st_mode & 07777);
  return true;
}

/* Flushes and closes; the error number of the first failure, or 0. */
static int close_file(FILE *f) {
  errno = 0;
  int err = 0;
  if (fflush(f) != 0 || ferror(f))
    err = errno ? errno : EIO;
  errno = 0;
  if (fclose(f) != 0 && !err)
    err = errno ? errno : EIO;
  return err;
}

int sink_close(sink *k, int status) {
  if (!k->path) {
    if (fflush(stdout) != 0 && status == PL_OK)
      status = PL_EIO;
    if (status == PL_EIO)
      fprintf(stderr, "parley: cannot write the output: %s\n", strerror(errno));
    return status;
  }
  int err = close_file(k->f);
  if (err && status == PL_OK)
    status = PL_EIO;
  if (status == PL_OK && !k->through && rename(k->tmp, k->target) != 0) {
    err = errno;
    status = PL_EIO;
  }
  if (status == PL_EIO)
    sink_fail(k, err ? err : EIO);
  if (status != PL_OK && !k->through)
    remove(k->tmp);
  return status;
}
