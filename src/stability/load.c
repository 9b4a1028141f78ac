/* load.c - entry points of the conflict readers and what they share. */
#include "stability/load.h"
#include "io/scenario_io.h"

#include <stdlib.h>
#include <string.h>

/* ---- Feasible states while loading -------------------------------------- */

uint64_t gm_next_feasible(const pl_conflict *c, uint64_t x) {
  uint64_t limit = (uint64_t)1 << c->m;
  while (x < limit) {
    int low = -1;
    for (uint32_t r = 0; r < c->nrules; r++) {
      if (!gm_formula_eval(&c->rules[r].f, x))
        continue;
      if (!c->rules[r].f.refs)
        return limit; /* a rule that holds everywhere */
      int lo = __builtin_ctzll(c->rules[r].f.refs);
      if (lo > low)
        low = lo;
    }
    if (low < 0)
      return x;
    x = ((x >> low) + 1) << low;
  }
  return limit;
}

uint64_t gm_list_feasible(const pl_conflict *c, uint64_t cap,
                          uint64_t **codes) {
  uint64_t limit = (uint64_t)1 << c->m, n = 0, alloc = 64;
  *codes = malloc(alloc * sizeof **codes);
  for (uint64_t x = gm_next_feasible(c, 0); *codes && x < limit;
       x = gm_next_feasible(c, x + 1)) {
    if (n == cap)
      return cap + 1;
    if (n == alloc) {
      uint64_t *bigger = realloc(*codes, 2 * alloc * sizeof **codes);
      if (!bigger) {
        free(*codes);
        *codes = NULL;
        break;
      }
      *codes = bigger;
      alloc *= 2;
    }
    /* cppcheck-suppress nullPointerRedundantCheck ; the loop stops at NULL */
    (*codes)[n++] = x;
  }
  return n;
}

static int cmp_pair(const void *a, const void *b) {
  const uint64_t *x = a, *y = b;
  return x[0] < y[0] ? -1 : x[0] > y[0];
}

bool gm_set_ranking(pl_conflict *c, gm_dm *dm, const uint64_t *codes,
                    const uint32_t *levels, uint64_t n) {
  uint64_t *pairs = malloc((n ? n : 1) * 2 * sizeof *pairs);
  if (!pairs)
    return false;
  for (uint64_t k = 0; k < n; k++) {
    pairs[2 * k] = codes[k];
    pairs[2 * k + 1] = levels[k];
  }
  qsort(pairs, n, 2 * sizeof *pairs, cmp_pair);
  dm->rank_codes = pl_arena_calloc(&c->arena, n ? n : 1, sizeof(uint64_t));
  dm->rank_levels = pl_arena_calloc(&c->arena, n ? n : 1, sizeof(uint32_t));
  bool ok = dm->rank_codes && dm->rank_levels;
  for (uint64_t k = 0; ok && k < n; k++) {
    dm->rank_codes[k] = pairs[2 * k];
    dm->rank_levels[k] = (uint32_t)pairs[2 * k + 1];
  }
  free(pairs);
  dm->ranked = ok;
  dm->nranked = n;
  return ok;
}

/* ---- Entry points -------------------------------------------------------- */

static pl_conflict *load_text(const char *text, const char *file, pl_diag *d) {
  gm_loader L = {0};
  json_t *root = pl_json_doc_open(&L.doc, text, file, d);
  if (!root)
    return NULL;
  L.root = root;
  L.c = gm_conflict_new();
  if (!L.c) {
    pl_diag_add(d, file, 0, 0, "out of memory");
    L.doc.errors++;
  } else if (!json_is_object(root)) {
    pl_json_fail(&L.doc, root, "a conflict must be a JSON object, not %s",
                 pl_json_type_name(root));
  } else {
    L.c->file = pl_arena_strdup(&L.c->arena, file);
    if (json_object_get(root, "decisionMakers")) /* GMCR+ / gmcr-py */
      gm_load_gmcr(&L);
    else
      gm_conflict_from_json_root(&L);
  }
  pl_json_doc_close(&L.doc, root);
  if (L.doc.errors) {
    pl_conflict_free(L.c);
    return NULL;
  }
  gm_conflict_finish(L.c);
  return L.c;
}

pl_conflict *pl_conflict_load_string(const char *text, const char *filename,
                                     pl_diag *d) {
  return load_text(text, filename ? filename : "<string>", d);
}

pl_conflict *pl_conflict_load_file(const char *path, pl_diag *d) {
  char *text = pl_read_file(path, d);
  if (!text)
    return NULL;
  pl_conflict *c = load_text(text, path, d);
  free(text);
  return c;
}

pl_conflict *pl_conflict_builtin(pl_diag *d) {
  char *text = gm_builtin_conflict_text();
  if (!text) {
    pl_diag_add(d, NULL, 0, 0, "out of memory");
    return NULL;
  }
  pl_conflict *c = load_text(text, "<built-in talks conflict>", d);
  free(text);
  return c;
}
