/* describe.c - words for states and moves, shared by the text and JSON
 * reports. */
#include "stability/describe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *gm_state_name(const pl_conflict *c, uint64_t code) {
  for (uint32_t k = 0; k < c->nstates; k++)
    if (c->states[k].code == code)
      return c->states[k].name;
  return NULL;
}

/* Appends printf-style text to buf (cut at len). */
static void add(char *buf, size_t len, size_t *n, const char *fmt,
                const char *arg) {
  if (*n + 1 >= len)
    return;
  int w = snprintf(buf + *n, len - *n, fmt, arg);
  if (w > 0)
    *n += (size_t)w < len - *n ? (size_t)w : len - *n - 1;
}

void gm_state_label(const pl_stability *a, uint64_t code, char *buf,
                    size_t len) {
  const pl_conflict *c = a->c;
  size_t n = 0;
  char num[32];
  snprintf(num, sizeof num, "%llu",
           (unsigned long long)gm_index(&a->x.space, code) + 1);
  add(buf, len, &n, "%s", num);
  const char *name = gm_state_name(c, code);
  if (name)
    add(buf, len, &n, " '%s'", name);
  add(buf, len, &n, "%s", " [");
  bool any = false;
  for (uint32_t k = 0; k < c->m; k++)
    if (code >> k & 1) {
      add(buf, len, &n, any ? ", %s" : "%s", c->options[k].name);
      any = true;
    }
  add(buf, len, &n, "%s]", any ? "" : "no option taken");
}

void gm_move_text(const pl_conflict *c, uint64_t from, uint64_t to, char *buf,
                  size_t len) {
  size_t n = 0;
  buf[0] = 0;
  for (uint32_t k = 0; k < c->m; k++)
    if ((from ^ to) >> k & 1) {
      add(buf, len, &n, "%s", n ? ", " : "");
      add(buf, len, &n, (to >> k & 1) ? "+%s" : "-%s", c->options[k].name);
    }
}

typedef struct ranked {
  uint32_t score;
  uint64_t idx;
} ranked;

static int by_score(const void *x, const void *y) {
  const ranked *a = x, *b = y;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  return a->idx < b->idx ? -1 : a->idx > b->idx;
}

uint64_t *gm_ranking(const pl_stability *a, uint32_t dm, uint32_t **scores) {
  uint64_t F = a->x.space.count;
  ranked *r = malloc((F ? F : 1) * sizeof *r);
  uint64_t *order = malloc((F ? F : 1) * sizeof *order);
  *scores = malloc((F ? F : 1) * sizeof **scores);
  if (!r || !order || !*scores) {
    free(r);
    free(order);
    free(*scores);
    *scores = NULL;
    return NULL;
  }
  for (uint64_t i = 0; i < F; i++)
    r[i] = (ranked){gm_score(&a->x, dm, gm_code(&a->x.space, i)), i};
  qsort(r, F, sizeof *r, by_score);
  for (uint64_t i = 0; i < F; i++) {
    order[i] = r[i].idx;
    (*scores)[i] = r[i].score;
  }
  free(r);
  return order;
}

const char *gm_rev_name(uint8_t rev) {
  return rev == GM_REV_TO_YES  ? "to_yes"
         : rev == GM_REV_TO_NO ? "to_no"
                               : "both";
}

const char *gm_reason(unsigned k) {
  static const char *const why[GM_NCONCEPTS] = {
      "it can move to a state it prefers",
      "it can move to a state it prefers, and no sequence of moves by the "
      "others from there reaches a state it likes no more than this one",
      "it can move to a state it prefers, and every state the others can "
      "reach from there that it likes no more than this one leaves it a "
      "move to a state it prefers to this one",
      "it can move to a state it prefers, and no sequence of the others' "
      "own improving moves from there reaches a state it likes no more than "
      "this one"};
  return k < GM_NCONCEPTS ? why[k] : "";
}

typedef struct ui {
  uint32_t score;
  uint64_t code;
} ui;

static int by_ui(const void *x, const void *y) {
  const ui *a = x, *b = y;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  return a->code < b->code ? -1 : a->code > b->code;
}

uint32_t gm_improvements(const pl_stability *a, uint32_t i, uint64_t s,
                         uint64_t *out, uint32_t max) {
  const gm_ctx *x = &a->x;
  uint32_t ps = gm_score(x, i, s), n = 0;
  uint64_t C = gm_changeable(a->c, i, s), d = 0;
  uint64_t room = (uint64_t)1
                  << (__builtin_popcountll(C) < 12 ? __builtin_popcountll(C)
                                                   : 12);
  ui *list = malloc(sizeof *list * room);
  if (!list)
    return 0;
  while ((d = (d - C) & C) && n < room) {
    uint64_t t = s ^ d;
    if (!gm_has(&x->space, t))
      continue;
    uint32_t pt = gm_score(x, i, t);
    if (pt > ps)
      list[n++] = (ui){pt, t};
  }
  qsort(list, n, sizeof *list, by_ui);
  if (n > max)
    n = max;
  for (uint32_t k = 0; k < n; k++)
    out[k] = list[k].code;
  free(list);
  return n;
}
