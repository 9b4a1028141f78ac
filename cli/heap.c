/* heap.c - the program's allocator policy (see cli.h). */
#include "cli.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

/* glibc maps every block over 128 KiB afresh and unmaps it when freed,
 * and trims the heap's top: an analysis that allocates and frees the same
 * few hundred KiB again and again (archives, tables) then touches fresh
 * pages each time. A page fault costs 0.1-0.3 us on bare metal but
 * 12-18 us on some virtual machines (this project's: the talks' analysis
 * spent over half its time in faults). Blocks up to 32 MiB therefore come
 * from the heap and return to it, and up to 64 MiB of free heap is kept:
 * memory the process already touched is reused. Larger blocks (the big
 * outcome tables) are still mapped and unmapped on their own. */
void cli_heap_tune(void) {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}
