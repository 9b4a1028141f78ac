/* space.c - enumerating feasible states and building preference scores. */
#include "stability/space.h"
#include "util/diag.h"
#include "util/parallel.h"

#include <stdlib.h>
#include <string.h>

/* ---- pext / pdep ----------------------------------------------------------
 */

void gm_pext_init(gm_pext *p, uint64_t mask) {
  memset(p, 0, sizeof *p);
  p->mask = mask;
  uint32_t shift = 0;
  for (uint32_t b = 0; b < 8; b++) {
    uint32_t mb = (uint32_t)(mask >> (8 * b)) & 255;
    if (!mb)
      continue;
    uint32_t k = p->nbytes++;
    p->byte[k] = (uint8_t)b;
    for (uint32_t v = 0; v < 256; v++) {
      uint32_t out = 0, pos = 0;
      for (uint32_t bit = 0; bit < 8; bit++)
        if (mb >> bit & 1)
          out |= ((v >> bit) & 1) << pos++;
      p->tab[k][v] = out << shift;
    }
    shift += (uint32_t)__builtin_popcount(mb);
  }
}

uint64_t gm_pdep(uint64_t x, uint64_t mask) {
  uint64_t r = 0;
  for (uint32_t pos = 0; mask; mask &= mask - 1, pos++)
    if (x >> pos & 1)
      r |= mask & -mask;
  return r;
}

uint64_t gm_pext_slow(uint64_t x, uint64_t mask) {
  uint64_t r = 0;
  for (uint32_t pos = 0; mask; mask &= mask - 1, pos++)
    if (x & mask & -mask)
      r |= (uint64_t)1 << pos;
  return r;
}

/* ---- Heavy items over util/parallel ------------------------------------ */

typedef struct items_job {
  gm_item_fn fn;
  void *ctx;
} items_job;

enum {
  ITEM_WEIGHT = 4096,    /* util/parallel's smallest chunk */
  SERIAL_CELLS = 1 << 15 /* less work than this runs on one thread */
};

static void items_chunk(void *p, unsigned worker, uint64_t begin,
                        uint64_t end) {
  items_job *j = p;
  for (uint64_t it = (begin + ITEM_WEIGHT - 1) / ITEM_WEIGHT;
       it * ITEM_WEIGHT < end; it++)
    j->fn(j->ctx, worker, it);
}

void gm_parallel_items(unsigned threads, uint64_t total, uint64_t cells,
                       gm_item_fn fn, void *ctx) {
  items_job j = {fn, ctx};
  /* Starting threads costs more than sweeping a few thousand cells. */
  if (total * cells < SERIAL_CELLS)
    threads = 1;
  pl_parallel_for(threads, total * ITEM_WEIGHT, items_chunk, &j);
}

/* ---- The space ------------------------------------------------------------
 */

uint64_t gm_sorted_find(const gm_space *s, uint64_t code) {
  uint64_t lo = 0, hi = s->count;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (s->codes[mid] < code)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < s->count && s->codes[lo] == code ? lo : UINT64_MAX;
}

uint64_t gm_code(const gm_space *s, uint64_t idx) {
  if (s->kind == GM_SPACE_ALL)
    return idx;
  if (s->kind == GM_SPACE_SORTED)
    return s->codes[idx];
  uint64_t words = s->slots > 64 ? s->slots / 64 : 1, lo = 0, hi = words;
  while (hi - lo > 1) { /* the last word whose prefix is <= idx */
    uint64_t mid = lo + (hi - lo) / 2;
    if (s->prefix[mid] <= idx)
      lo = mid;
    else
      hi = mid;
  }
  uint64_t w = s->bits[lo];
  for (uint64_t skip = idx - s->prefix[lo]; skip; skip--)
    w &= w - 1;
  return lo * 64 + (uint64_t)__builtin_ctzll(w);
}

/* Feasibility from the rules: a bit table over the options they mention
 * when there are few, else the rules themselves. */
typedef struct feas {
  const pl_conflict *c;
  gm_pext px;
  uint64_t *table; /* bit set: infeasible assignments of px.mask */
  uint64_t *bits;
  uint64_t words;
} feas;

static bool infeasible(const feas *f, uint64_t code) {
  if (f->table) {
    uint32_t k = gm_extract(&f->px, code);
    return f->table[k >> 6] >> (k & 63) & 1;
  }
  return gm_broken_rule(f->c, code) >= 0;
}

static void table_chunk(void *p, unsigned worker, uint64_t begin,
                        uint64_t end) {
  feas *f = p;
  (void)worker;
  for (uint64_t w = begin; w < end; w++) {
    uint64_t word = 0;
    for (uint64_t b = 0; b < 64; b++)
      if (gm_broken_rule(f->c, gm_pdep(w * 64 + b, f->px.mask)) >= 0)
        word |= (uint64_t)1 << b;
    f->table[w] = word;
  }
}

static void bitmap_chunk(void *p, unsigned worker, uint64_t begin,
                         uint64_t end) {
  feas *f = p;
  (void)worker;
  uint64_t limit = (uint64_t)1 << f->c->m;
  for (uint64_t w = begin; w < end; w++) {
    uint64_t word = 0;
    for (uint64_t b = 0; b < 64 && w * 64 + b < limit; b++)
      if (!infeasible(f, w * 64 + b))
        word |= (uint64_t)1 << b;
    f->bits[w] = word;
  }
}

static pl_status build_bitmap(gm_ctx *x, uint64_t max_states, pl_diag *d) {
  const pl_conflict *c = x->c;
  gm_space *s = &x->space;
  feas f = {.c = c};
  uint64_t refs = 0;
  for (uint32_t r = 0; r < c->nrules; r++)
    refs |= c->rules[r].f.refs;
  uint32_t nrefs = (uint32_t)__builtin_popcountll(refs);
  if (nrefs <= GM_TABLE_BITS) {
    gm_pext_init(&f.px, refs);
    uint64_t tw = ((uint64_t)1 << nrefs) / 64 + 1;
    f.table = calloc(tw, sizeof *f.table);
    if (!f.table)
      return PL_ENOMEM;
    pl_parallel_for(x->threads, ((uint64_t)1 << nrefs) / 64 + (nrefs < 6),
                    table_chunk, &f);
  }
  s->kind = GM_SPACE_BITMAP;
  s->slots = (uint64_t)1 << c->m;
  f.words = s->slots / 64 + (s->slots < 64);
  s->bits = f.bits = calloc(f.words, sizeof *s->bits);
  s->prefix = calloc(f.words, sizeof *s->prefix);
  if (s->bits && s->prefix)
    pl_parallel_for(x->threads, f.words, bitmap_chunk, &f);
  free(f.table);
  if (!s->bits || !s->prefix)
    return PL_ENOMEM;
  uint64_t total = 0;
  for (uint64_t w = 0; w < f.words; w++) {
    s->prefix[w] = (uint32_t)total;
    total += (uint64_t)__builtin_popcountll(s->bits[w]);
    if (total > max_states)
      break;
  }
  s->count = total;
  if (total > max_states) {
    pl_diag_add(d, c->file, 0, 0,
                "the conflict has more than %llu feasible states; raise "
                "--max-states or add infeasibility rules",
                (unsigned long long)max_states);
    return PL_EREFUSED;
  }
  return PL_OK;
}

static pl_status build_sorted(gm_ctx *x, uint64_t max_states, pl_diag *d) {
  gm_space *s = &x->space;
  const pl_conflict *c = x->c;
  uint64_t limit = (uint64_t)1 << c->m, n = 0, cap = 1024;
  s->kind = GM_SPACE_SORTED;
  s->codes = malloc(cap * sizeof *s->codes);
  for (uint64_t code = gm_next_feasible(c, 0); s->codes && code < limit;
       code = gm_next_feasible(c, code + 1)) {
    if (n == max_states) {
      pl_diag_add(d, c->file, 0, 0,
                  "the conflict has more than %llu feasible states; raise "
                  "--max-states or add infeasibility rules",
                  (unsigned long long)max_states);
      return PL_EREFUSED;
    }
    if (n == cap) {
      uint64_t *bigger = realloc(s->codes, 2 * cap * sizeof *bigger);
      if (!bigger)
        return PL_ENOMEM;
      s->codes = bigger;
      cap *= 2;
    }
    /* cppcheck-suppress nullPointerRedundantCheck ; the loop stops at NULL */
    s->codes[n++] = code;
  }
  if (!s->codes)
    return PL_ENOMEM;
  s->count = s->slots = n;
  return PL_OK;
}

static pl_status build_space(gm_ctx *x, uint64_t max_states, bool sorted,
                             pl_diag *d) {
  const pl_conflict *c = x->c;
  x->space.m = c->m;
  if (sorted)
    return build_sorted(x, max_states, d);
  if (!c->nrules && c->m <= 32) {
    uint64_t all = (uint64_t)1 << c->m;
    if (all > max_states) {
      pl_diag_add(d, c->file, 0, 0,
                  "the conflict has %llu states, more than the limit of "
                  "%llu; raise --max-states or add infeasibility rules",
                  (unsigned long long)all, (unsigned long long)max_states);
      return PL_EREFUSED;
    }
    x->space.kind = GM_SPACE_ALL;
    x->space.count = x->space.slots = all;
    return PL_OK;
  }
  if (c->m <= 30)
    return build_bitmap(x, max_states, d);
  return build_sorted(x, max_states, d);
}

/* ---- Preferences ----------------------------------------------------------
 */

static uint32_t psi(const gm_dm *dm, uint64_t code) {
  uint32_t score = 0;
  for (uint32_t k = 0; k < dm->nstmts; k++)
    score = score << 1 | gm_formula_eval(&dm->stmts[k].f, code);
  return score;
}

typedef struct pref_job {
  const gm_ctx *x;
  const gm_dm *dm;
  gm_pref *p;
} pref_job;

static void table_scores(void *q, unsigned worker, uint64_t begin,
                         uint64_t end) {
  pref_job *j = q;
  (void)worker;
  for (uint64_t k = begin; k < end; k++)
    j->p->table[k] = psi(j->dm, gm_pdep(k, j->p->px.mask));
}

static void state_scores(void *q, unsigned worker, uint64_t begin,
                         uint64_t end) {
  pref_job *j = q;
  (void)worker;
  for (uint64_t slot = begin; slot < end; slot++) {
    uint64_t code;
    if (gm_slot(&j->x->space, slot, &code))
      j->p->by_index[gm_index(&j->x->space, code)] = psi(j->dm, code);
  }
}

/* Ψ = Σ T_k 2^(q-k) (definitions.md section 4): most important first. */
static bool build_pref(const gm_ctx *x, const gm_dm *dm, gm_pref *p) {
  const gm_space *s = &x->space;
  if (dm->ranked) { /* the loader checked it ranks every feasible state */
    p->by_index = malloc((s->count ? s->count : 1) * sizeof *p->by_index);
    if (!p->by_index || dm->nranked != s->count)
      return false;
    memcpy(p->by_index, dm->rank_levels, s->count * sizeof *p->by_index);
    return true;
  }
  uint64_t refs = 0;
  for (uint32_t k = 0; k < dm->nstmts; k++)
    refs |= dm->stmts[k].f.refs;
  pref_job j = {x, dm, p};
  uint32_t nrefs = (uint32_t)__builtin_popcountll(refs);
  if (nrefs <= GM_TABLE_BITS) {
    gm_pext_init(&p->px, refs);
    p->table = malloc(((uint64_t)1 << nrefs) * sizeof *p->table);
    if (p->table)
      pl_parallel_for(x->threads, (uint64_t)1 << nrefs, table_scores, &j);
    return p->table != NULL;
  }
  p->by_index = malloc((s->count ? s->count : 1) * sizeof *p->by_index);
  if (p->by_index)
    pl_parallel_for(x->threads, s->slots, state_scores, &j);
  return p->by_index != NULL;
}

pl_status gm_ctx_init(gm_ctx *x, const pl_conflict *c, unsigned threads,
                      uint64_t max_states, bool sorted, pl_diag *d) {
  memset(x, 0, sizeof *x);
  x->c = c;
  x->threads = pl_thread_count(threads);
  pl_status st = build_space(x, max_states, sorted, d);
  if (st != PL_OK)
    return st;
  x->pref = calloc(c->n, sizeof *x->pref);
  if (!x->pref)
    return PL_ENOMEM;
  for (uint32_t i = 0; i < c->n; i++)
    if (!build_pref(x, &c->dms[i], &x->pref[i]))
      return PL_ENOMEM;
  return PL_OK;
}

void gm_ctx_free(gm_ctx *x) {
  free(x->space.bits);
  free(x->space.prefix);
  free(x->space.codes);
  for (uint32_t i = 0; x->pref && i < x->c->n; i++) {
    free(x->pref[i].table);
    free(x->pref[i].by_index);
  }
  free(x->pref);
  memset(x, 0, sizeof *x);
}
