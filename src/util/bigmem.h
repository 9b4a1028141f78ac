/* bigmem.h - large arrays that fault in by huge pages.
 *
 * A table of a million entries is touched once, page by page, right after
 * it is allocated; on virtual machines each 4 KiB page fault can cost 10 us
 * or more (measured 13.6 us here), more than the work that fills the page.
 * Arrays of 1 MiB and more are therefore rounded up to and aligned to 2 MiB and
 * marked for transparent huge pages where the system has them (Linux madvise),
 * so that they fault in 512 times less often. Free them with free(). */
#ifndef PL_UTIL_BIGMEM_H
#define PL_UTIL_BIGMEM_H

#include <stdbool.h>
#include <stddef.h>

/* Room for n elements of `size` bytes, or NULL (also on overflow). */
void *pl_big_alloc(size_t n, size_t size);

/* Maps in one call the pages wholly inside [p, p + bytes) that are not
 * mapped yet, instead of one fault each when first written (Linux
 * MADV_POPULATE_WRITE): for memory about to be written in full and too
 * small for huge pages. Here that costs about half as much per page (13
 * against 28 us measured under load; the talks' blocking table is 80
 * pages). A hint: where it is not supported nothing happens (false). */
bool pl_prefault(void *p, size_t bytes);

#endif
