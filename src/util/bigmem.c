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

bool pl_prefault(void *p, size_t bytes) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  const uintptr_t page = 4096; /* a multiple of it is fine where larger */
  uintptr_t from = ((uintptr_t)p + page - 1) & ~(page - 1);
  uintptr_t to = ((uintptr_t)p + bytes) & ~(page - 1);
  return p && to > from &&
         madvise((void *)from, to - from, MADV_POPULATE_WRITE) == 0;
#else
  (void)p;
  (void)bytes;
  return false;
#endif
}
