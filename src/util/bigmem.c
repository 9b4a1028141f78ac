#if defined(__linux__)
#define _DEFAULT_SOURCE /* madvise */
#include <sys/mman.h>
#endif
#include "util/bigmem.h"

#include <stdint.h>
#include <stdlib.h>

#define HUGE_PAGE ((size_t)2 << 20)

void *pl_big_alloc(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size - HUGE_PAGE)
    return NULL;
  size_t bytes = n * size;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes >= HUGE_PAGE / 2) { /* at most half of it wasted */
    size_t rounded = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    void *p = aligned_alloc(HUGE_PAGE, rounded);
    if (p)
      madvise(p, rounded, MADV_HUGEPAGE); /* a hint: failure is harmless */
    return p;
  }
#endif
  return malloc(bytes ? bytes : 1);
}
