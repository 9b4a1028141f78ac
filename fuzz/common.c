/* common.c - helpers shared by the fuzz targets (fuzz.h). */
#define _XOPEN_SOURCE 700
#include "fuzz.h"

#include "parley.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *fuzz_text(const uint8_t *data, size_t size) {
  if (memchr(data, 0, size))
    return NULL;
  char *s = malloc(size + 1);
  if (s) {
    memcpy(s, data, size);
    s[size] = '\0';
  }
  return s;
}

size_t fuzz_split(char *text, char **parts, size_t max) {
  size_t n = 0, sep = strlen(FUZZ_SEPARATOR);
  while (n < max) {
    parts[n++] = text;
    char *cut = strstr(text, FUZZ_SEPARATOR);
    if (!cut)
      break;
    *cut = '\0';
    text = cut + sep;
  }
  return n;
}

static char scratch[64];

static void remove_scratch(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
  if (system(cmd) != 0)
    fprintf(stderr, "fuzz: could not remove %s\n", scratch);
}

const char *fuzz_write(unsigned slot, const char *name, const char *text) {
  static char paths[8][256];
  if (!scratch[0]) {
    snprintf(scratch, sizeof scratch, "/tmp/parley-fuzz-%ld-XXXXXX",
             (long)getpid());
    if (!mkdtemp(scratch))
      abort();
    atexit(remove_scratch);
  }
  slot %= 8;
  snprintf(paths[slot], sizeof paths[slot], "%s/%s", scratch, name);
  FILE *f = fopen(paths[slot], "wb");
  if (!f)
    abort();
  fputs(text, f);
  fclose(f);
  return paths[slot];
}

void fuzz_exercise(const pl_scenario *s, uint64_t cap, unsigned rounds) {
  pl_diag *d = pl_diag_new();
  pl_analysis_options ao;
  pl_analysis_options_init(&ao);
  ao.threads = 1;
  ao.max_outcomes = cap;
  ao.no_frontier = false;
  ao.no_count = true;
  pl_status st;
  uint64_t space = 1;
  for (uint32_t i = 0; i < pl_scenario_num_issues(s) && space <= cap; i++)
    space *= pl_issue_num_values(s, i);
  /* above the cap the searches may run long: only small spaces */
  if (space <= cap) {
    pl_analysis *a = pl_analyze(s, &ao, d, &st);
    pl_analysis_free(a);
    if (rounds && pl_scenario_num_parties(s) >= 2) {
      pl_negotiation_options no;
      pl_negotiation_options_init(&no);
      no.rounds = rounds;
      no.threads = 1;
      no.seed = 1;
      pl_negotiation *n = pl_negotiate(s, &no, d, &st);
      pl_negotiation_free(n);
    }
  }
  pl_diag_free(d);
}

size_t fuzz_write_parts(const uint8_t *data, size_t size, const char *first,
                        const char *rest, const char *paths[4]) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  char *parts[4];
  size_t n = fuzz_split(text, parts, 4);
  for (size_t k = 0; k < n; k++) {
    char name[64];
    if (k)
      snprintf(name, sizeof name, rest, k);
    else
      snprintf(name, sizeof name, "%s", first);
    paths[k] = fuzz_write((unsigned)k, name, parts[k]);
  }
  free(text);
  return n;
}
