/* conflict.c - the conflict model: construction helpers and accessors. */
#include "stability/gm.h"

#include <stdlib.h>
#include <string.h>

pl_conflict *gm_conflict_new(void) {
  pl_conflict *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  pl_arena_init(&c->arena);
  c->status_quo = -1;
  return c;
}

void pl_conflict_free(pl_conflict *c) {
  if (!c)
    return;
  pl_arena_release(&c->arena);
  free(c);
}

void gm_conflict_finish(pl_conflict *c) {
  for (uint32_t i = 0; i < c->n; i++) {
    gm_dm *dm = &c->dms[i];
    dm->up = dm->down = 0;
    for (uint32_t k = 0; k < c->m; k++) {
      if (!(dm->options >> k & 1))
        continue;
      uint64_t bit = (uint64_t)1 << k;
      if (c->options[k].rev != GM_REV_TO_NO)
        dm->up |= bit;
      if (c->options[k].rev != GM_REV_TO_YES)
        dm->down |= bit;
    }
  }
}

int32_t gm_broken_rule(const pl_conflict *c, uint64_t code) {
  for (uint32_t r = 0; r < c->nrules; r++)
    if (gm_formula_eval(&c->rules[r].f, code))
      return (int32_t)r;
  return -1;
}

void gm_state_yn(const pl_conflict *c, uint64_t code, char *buf) {
  for (uint32_t k = 0; k < c->m; k++)
    buf[k] = (code >> k & 1) ? 'Y' : 'N';
  buf[c->m] = 0;
}

int32_t gm_find_dm(const pl_conflict *c, const char *name) {
  for (uint32_t i = 0; i < c->n; i++)
    if (c->dms[i].name && !strcmp(c->dms[i].name, name))
      return (int32_t)i;
  return -1;
}

int32_t gm_find_option(const pl_conflict *c, const char *name) {
  for (uint32_t k = 0; k < c->m; k++)
    if (c->options[k].name && !strcmp(c->options[k].name, name))
      return (int32_t)k;
  return -1;
}

/* ---- Public accessors -------------------------------------------------- */

const char *pl_conflict_name(const pl_conflict *c) { return c->name; }
const char *pl_conflict_title(const pl_conflict *c) { return c->title; }
uint32_t pl_conflict_num_options(const pl_conflict *c) { return c->m; }
uint32_t pl_conflict_num_dms(const pl_conflict *c) { return c->n; }

const char *pl_conflict_dm_name(const pl_conflict *c, uint32_t dm) {
  return dm < c->n ? c->dms[dm].name : NULL;
}

const char *pl_conflict_option_name(const pl_conflict *c, uint32_t option) {
  return option < c->m ? c->options[option].name : NULL;
}
