/* test_memory.c - pl_prefault (util/bigmem.h): the pages of a buffer are
 * mapped by one call, so writing the buffer afterwards takes (almost) no
 * page faults, where a fresh buffer takes one per page (issue 13, item 7:
 * the talks' blocking table). Faults are the process's minor faults
 * (getrusage); AddressSanitizer's shadow pages fault either way, an eighth
 * of the buffer's. */
#define _DEFAULT_SOURCE
#include "util/bigmem.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static long minor_faults(void) {
  struct rusage r;
  getrusage(RUSAGE_SELF, &r);
  return r.ru_minflt;
}

/* Faults taken writing every byte of a fresh buffer of n bytes, after
 * pl_prefault when `prefault`; -1 when pl_prefault is not supported. */
static long faults_writing(size_t n, bool prefault) {
  char *p = malloc(n);
  cr_assert_not_null(p);
  if (prefault && !pl_prefault(p, n)) {
    free(p);
    return -1;
  }
  long before = minor_faults();
  memset(p, 1, n);
  long faults = minor_faults() - before;
  cr_expect_eq(p[n - 1], 1);
  free(p);
  return faults;
}

Test(prefault, writing_a_prefaulted_buffer_takes_few_faults) {
  size_t n = 4u << 20; /* 1,024 pages: mapped afresh by malloc */
  long fresh = faults_writing(n, false), pre = faults_writing(n, true);
  if (pre < 0)
    cr_skip_test("MADV_POPULATE_WRITE is not supported here");
  cr_log_info("faults writing 1,024 pages: %ld fresh, %ld prefaulted", fresh,
              pre);
  if (fresh < 500) /* transparent huge pages for every mapping */
    cr_skip_test("a fresh buffer took only %ld faults", fresh);
  cr_expect_lt(pre, fresh / 4);
}

Test(prefault, handles_null_and_sub_page_ranges) {
  cr_expect_not(pl_prefault(NULL, 4096));
  char small[64];
  cr_expect_not(pl_prefault(small, sizeof small)); /* no whole page */
}
