/* copyout.c - see copyout.h. */
#include "util/copyout.h"

#include <string.h>

size_t pl_copy_out(const char *text, size_t n, char *buf, size_t len) {
  if (len) {
    size_t k = n < len ? n : len - 1;
    memcpy(buf, text, k);
    buf[k] = 0;
  }
  return n;
}
