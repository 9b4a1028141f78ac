/* test_alloc_fail.c - every loader survives running out of memory at
 * every allocation (issue 20, "allocation failures handled").
 *
 * This test binary is linked with --wrap=malloc,calloc,realloc,strdup
 * (tests/CMakeLists.txt), so every allocation the library makes goes
 * through the counters below; jansson's own go through them too
 * (json_set_alloc_funcs). expat allocates with libc's malloc inside its
 * shared library, which the wrap cannot reach: parse trees the library
 * builds itself are covered, expat's buffers are not.
 *
 * For each loader on a valid input: one run counts its allocations (N);
 * then for k = 1..N the k-th allocation fails (only that one) and the
 * loader must either fail cleanly - NULL, with at least one message in the
 * diagnostics ("out of memory") - or succeed with exactly the result of
 * the normal run (the scenario written back as the same JSON). No crash,
 * and, under AddressSanitizer, no leak: LeakSanitizer checks the whole
 * run when the process exits. The counters are this test's own state, not
 * the library's. */
#define _GNU_SOURCE
#include "parley.h"
#include "parley_divide.h"
#include "parley_tournament.h"
#include "support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);

static atomic_ulong calls;   /* allocations since arm() */
static atomic_ulong fail_at; /* which one fails (1-based); 0: none */

static bool should_fail(void) {
  unsigned long k = atomic_fetch_add(&calls, 1) + 1;
  return k == atomic_load(&fail_at);
}

void *__wrap_malloc(size_t n) {
  return should_fail() ? NULL : __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t size) {
  return should_fail() ? NULL : __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t n) {
  return should_fail() ? NULL : __real_realloc(p, n);
}
char *__wrap_strdup(const char *s) {
  return should_fail() ? NULL : __real_strdup(s);
}

/* Which allocations of the counting run were jansson's (by number): its
 * lexer drops a character when its string buffer cannot grow (lex_save
 * ignores strbuffer_append_byte's failure), so there only "no crash, no
 * leak" is asked, not the same result. */
enum { MAX_TRACKED = 1 << 16 };
static bool by_jansson[MAX_TRACKED + 1];

static void *json_malloc(size_t n) {
  unsigned long k = atomic_load(&calls) + 1;
  if (k <= MAX_TRACKED)
    by_jansson[k] = true;
  return __wrap_malloc(n);
}

static atomic_bool armed;
static atomic_ulong counted; /* allocations between arm() and disarm() */

static void arm(unsigned long k) {
  atomic_store(&fail_at, k);
  atomic_store(&calls, 0);
  atomic_store(&armed, true);
}

/* The loading is over (what follows, such as writing the result back,
 * neither fails nor counts). */
static void disarm(void) {
  atomic_store(&fail_at, 0);
  if (atomic_exchange(&armed, false))
    atomic_store(&counted, atomic_load(&calls));
}

/* ---- The loaders under test ---------------------------------------------
 * Each loads its input into an object, returns a text that identifies
 * the result (or "" when there is nothing to compare), and frees it. The
 * text is made after disarm(), so only the loading can fail. */

typedef struct loader {
  const char *name;
  char *(*load)(const void *arg, pl_diag *d); /* NULL: the loader failed */
  const void *arg;
} loader;

static char *scenario_text(pl_scenario *s) {
  disarm();
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert(f);
  cr_assert_eq(pl_scenario_write_json(s, f), PL_OK);
  fclose(f);
  pl_scenario_free(s);
  return buf;
}

static char *load_scenario(const void *arg, pl_diag *d) {
  const char *const *paths = arg;
  size_t n = 0;
  while (paths[n])
    n++;
  pl_scenario *s = pl_scenario_load(paths, n, NULL, d);
  return s ? scenario_text(s) : NULL;
}

static char *load_builtin(const void *arg, pl_diag *d) {
  (void)arg;
  pl_scenario *s = pl_scenario_builtin(pl_builtin_default(), d);
  return s ? scenario_text(s) : NULL;
}

static char *load_conflict(const void *arg, pl_diag *d) {
  pl_conflict *c = pl_conflict_load_file(arg, d);
  if (!c)
    return NULL;
  disarm();
  char *id = NULL;
  cr_assert(asprintf(&id, "%u options, %u DMs", pl_conflict_num_options(c),
                     pl_conflict_num_dms(c)) > 0);
  pl_conflict_free(c);
  return id;
}

static char *load_tournament(const void *arg, pl_diag *d) {
  pl_tournament *t = pl_tournament_load(arg, NULL, d);
  if (!t)
    return NULL;
  disarm();
  pl_tournament_free(t);
  return strdup("");
}

static char *load_division(const void *arg, pl_diag *d) {
  pl_division *v = pl_divide_load_file(arg, d);
  if (!v)
    return NULL;
  disarm();
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert(f);
  cr_assert_eq(pl_divide_write_json(v, f), PL_OK);
  fclose(f);
  pl_divide_free(v);
  return buf;
}

/* Runs the loader with allocation k failing (0: none); returns its text. */
static char *run_once(const loader *l, unsigned long k, size_t *messages) {
  disarm();
  pl_diag *d = pl_diag_new();
  cr_assert(d);
  arm(k);
  char *text = l->load(l->arg, d);
  disarm();
  *messages = pl_diag_count(d);
  pl_diag_free(d);
  return text;
}

static void fail_every_allocation(const loader *l) {
  json_set_alloc_funcs(json_malloc, free);
  memset(by_jansson, 0, sizeof by_jansson);
  size_t messages;
  char *want = run_once(l, 0, &messages);
  unsigned long n = atomic_load(&counted);
  cr_assert(want, "%s: does not load without failures", l->name);
  cr_assert_gt(n, 3, "%s: only %lu allocations counted: is the wrap on?",
               l->name, n);
  unsigned long failed_cleanly = 0, silent = 0, different = 0, first = 0;
  for (unsigned long k = 1; k <= n; k++) {
    char *got = run_once(l, k, &messages);
    if (!got) {
      failed_cleanly++;
      silent += messages == 0;
    } else if (strcmp(got, want) && !(k <= MAX_TRACKED && by_jansson[k])) {
      if (!different++) {
        first = k;
        if (getenv("ALLOC_FAIL_DEBUG"))
          fprintf(stderr, "--- want\n%s\n--- got\n%s\n", want, got);
      }
    }
    free(got);
    if (silent == 1 && !first)
      first = k;
  }
  free(want);
  cr_expect_eq(silent, 0,
               "%s: %lu of %lu allocation failures made the loader fail "
               "without a message (the first at allocation %lu)",
               l->name, silent, n, first);
  cr_expect_eq(different, 0,
               "%s: %lu of %lu allocation failures let the loader succeed "
               "with a different result (the first at allocation %lu)",
               l->name, different, n, first);
  /* most allocations matter: a loader that ignored them all would show */
  cr_expect_gt(failed_cleanly, n / 2, "%s: %lu of %lu failures noticed",
               l->name, failed_cleanly, n);
  json_set_alloc_funcs(malloc, free);
}

Test(alloc_fail, scenario_json) {
  const char *paths[] = {PARLEY_SOURCE_DIR "/scenarios/talks.json", NULL};
  fail_every_allocation(&(loader){"talks.json", load_scenario, paths});
}

Test(alloc_fail, builtin_scenario) {
  fail_every_allocation(&(loader){"built-in talks", load_builtin, NULL});
}

Test(alloc_fail, genius_xml) {
  const char *paths[] = {PARLEY_TEST_DATA "/genius/ItexvsCypress", NULL};
  fail_every_allocation(
      &(loader){"GENIUS ItexvsCypress", load_scenario, paths});
}

Test(alloc_fail, genius_hyperrectangle) {
  const char *paths[] = {
      PARLEY_TEST_DATA "/genius/10issues/10issues-domain.xml",
      PARLEY_TEST_DATA "/genius/10issues/profile-1.xml",
      PARLEY_TEST_DATA "/genius/10issues/profile-2.xml", NULL};
  fail_every_allocation(&(loader){"GENIUS 10issues", load_scenario, paths});
}

Test(alloc_fail, geniusweb_json) {
  /* GeniusWeb files written by parley from a small scenario, then read */
  pl_diag *d = pl_diag_new();
  const char *src[] = {PARLEY_TEST_DATA "/cli_small.json"};
  pl_scenario *s = pl_scenario_load(src, 1, NULL, d);
  cr_assert(s);
  char dir[] = "/tmp/parley-alloc-XXXXXX";
  cr_assert(mkdtemp(dir));
  cr_assert_eq(pl_scenario_write_geniusweb(s, dir, d), PL_OK);
  pl_scenario_free(s);
  pl_diag_free(d);
  const char *paths[] = {dir, NULL};
  fail_every_allocation(&(loader){"GeniusWeb cli_small", load_scenario, paths});
  char cmd[64];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_expect_eq(system(cmd), 0);
}

Test(alloc_fail, conflict_json) {
  fail_every_allocation(&(loader){"conflict", load_conflict,
                                  PARLEY_SOURCE_DIR
                                  "/scenarios/conflicts/talks.json"});
}

Test(alloc_fail, gmcr) {
  fail_every_allocation(&(loader){"GMCR+", load_conflict,
                                  PARLEY_SOURCE_DIR
                                  "/fuzz/corpus/gmcr/prisoners.gmcr"});
}

Test(alloc_fail, tournament_config) {
  fail_every_allocation(&(loader){"tournament", load_tournament,
                                  PARLEY_TEST_DATA "/tournament/small.json"});
}

Test(alloc_fail, division) {
  fail_every_allocation(&(loader){"divide", load_division,
                                  PARLEY_EXAMPLES "/divide/bob-carol.json"});
}
