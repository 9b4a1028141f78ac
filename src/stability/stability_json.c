/* stability_json.c - `parley stability --json` (docs/stability.md defines
 * every key; schema/stability.schema.json checks it). */
#include "stability/describe.h"
#include "util/fmt.h"
#include "util/json_write.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA_VERSION 1
/* Improvements listed per DM for a focus state. */
#define MAX_FOCUS_MOVES 32

static json_t *number(const pl_stability *a, uint64_t code) {
  return json_integer((json_int_t)gm_index(&a->x.space, code) + 1);
}

static json_t *conflict_json(const pl_stability *a) {
  const pl_conflict *c = a->c;
  return json_pack("{s:s?, s:s?, s:s?, s:s}", "name", c->name, "title",
                   c->title, "file", c->file, "format", c->format);
}

static json_t *dms_json(const pl_conflict *c) {
  json_t *arr = json_array();
  for (uint32_t i = 0; i < c->n; i++) {
    json_t *opts = json_array();
    for (uint32_t k = 0; k < c->m; k++)
      if (c->dms[i].options >> k & 1)
        json_array_append_new(opts, json_string(c->options[k].name));
    json_array_append_new(
        arr, json_pack("{s:s, s:o}", "name", c->dms[i].name, "options", opts));
  }
  return arr;
}

static json_t *options_json(const pl_conflict *c) {
  json_t *arr = json_array();
  for (uint32_t k = 0; k < c->m; k++) {
    const gm_option *o = &c->options[k];
    json_array_append_new(
        arr,
        json_pack("{s:s, s:o, s:s}", "name", o->name, "decision_maker",
                  o->dm >= 0 ? json_string(c->dms[o->dm].name) : json_null(),
                  "reversibility", gm_rev_name(o->rev)));
  }
  return arr;
}

static json_t *states_json(const pl_stability *a) {
  json_t *arr = json_array();
  char yn[GM_MAX_OPTIONS + 1];
  for (uint64_t i = 0; i < a->x.space.count; i++) {
    uint64_t code = gm_code(&a->x.space, i);
    gm_state_yn(a->c, code, yn);
    json_t *st = json_pack("{s:I, s:I, s:s}", "number", (json_int_t)i + 1,
                           "code", (json_int_t)code, "yn", yn);
    const char *name = gm_state_name(a->c, code);
    if (name)
      json_object_set_new(st, "name", json_string(name));
    json_array_append_new(arr, st);
  }
  return arr;
}

/* Most preferred first; states a DM likes equally share an inner list. */
static json_t *preferences_json(const pl_stability *a) {
  json_t *obj = json_object();
  for (uint32_t i = 0; i < a->c->n; i++) {
    uint32_t *scores;
    uint64_t *order = gm_ranking(a, i, &scores);
    json_t *arr = json_array(), *tie = NULL;
    for (uint64_t k = 0; order && k < a->x.space.count; k++) {
      if (!k || scores[k] != scores[k - 1])
        json_array_append_new(arr, tie = json_array());
      json_array_append_new(tie, json_integer((json_int_t)order[k] + 1));
    }
    free(order);
    free(scores);
    json_object_set_new(obj, a->c->dms[i].name, arr);
  }
  return obj;
}

static json_t *stable_json(const pl_stability *a) {
  json_t *obj = json_object();
  for (unsigned k = 0; k < GM_NCONCEPTS; k++) {
    if (!(a->concepts >> k & 1))
      continue;
    json_t *per = json_object();
    for (uint32_t i = 0; i < a->c->n; i++) {
      json_t *arr = json_array();
      for (uint64_t s = 0; s < a->x.space.count; s++)
        if (gm_stable(a, k, i, s))
          json_array_append_new(arr, json_integer((json_int_t)s + 1));
      json_object_set_new(per, a->c->dms[i].name, arr);
    }
    json_object_set_new(obj, GM_CONCEPT_KEY[k], per);
  }
  return obj;
}

static json_t *equilibria_json(const pl_stability *a) {
  json_t *obj = json_object();
  for (unsigned k = 0; k < GM_NCONCEPTS; k++) {
    if (!(a->concepts >> k & 1))
      continue;
    json_t *arr = json_array();
    for (uint64_t s = 0; s < a->x.space.count; s++)
      if (gm_equilibrium(a, k, s))
        json_array_append_new(arr, json_integer((json_int_t)s + 1));
    json_object_set_new(obj, GM_CONCEPT_KEY[k], arr);
  }
  return obj;
}

static json_t *move_json(const pl_stability *a, uint64_t from, uint64_t to) {
  char changes[1024];
  gm_move_text(a->c, from, to, changes, sizeof changes);
  return json_pack("{s:o, s:s}", "to", number(a, to), "changes", changes);
}

static json_t *path_json(const pl_stability *a, uint64_t from,
                         const gm_path *p) {
  if (!p->found)
    return json_null();
  json_t *arr = json_array();
  for (uint32_t k = 0; k < p->n; k++) {
    char changes[1024];
    gm_move_text(a->c, from, p->steps[k].code, changes, sizeof changes);
    json_array_append_new(arr, json_pack("{s:s, s:o, s:s}", "decision_maker",
                                         a->c->dms[p->steps[k].dm].name, "to",
                                         number(a, p->steps[k].code), "changes",
                                         changes));
    from = p->steps[k].code;
  }
  return arr;
}

static json_t *explanations_json(const pl_stability *a) {
  if (!a->explained)
    return json_null();
  json_t *obj = json_object();
  uint32_t n = a->c->n;
  for (unsigned k = 0; k < GM_NCONCEPTS; k++) {
    if (!(a->concepts >> k & 1))
      continue;
    json_t *per = json_object();
    for (uint32_t i = 0; i < n; i++) {
      json_t *arr = json_array();
      for (uint64_t s = 0; s < a->x.space.count; s++) {
        uint32_t w = a->witness[k][s * n + i];
        if (w == GM_NONE)
          continue;
        uint64_t sc = gm_code(&a->x.space, s), wc = gm_code(&a->x.space, w);
        char changes[1024];
        gm_move_text(a->c, sc, wc, changes, sizeof changes);
        json_array_append_new(arr, json_pack("{s:I, s:I, s:s, s:s}", "state",
                                             (json_int_t)s + 1, "to",
                                             (json_int_t)w + 1, "changes",
                                             changes, "reason", gm_reason(k)));
      }
      json_object_set_new(per, a->c->dms[i].name, arr);
    }
    json_object_set_new(obj, GM_CONCEPT_KEY[k], per);
  }
  return obj;
}

/* ---- Focus states: named states and the status quo --------------------- */

static json_t *focus_dm(const pl_stability *a, unsigned k, uint32_t i,
                        uint64_t s) {
  uint64_t moves[MAX_FOCUS_MOVES];
  uint32_t nm = gm_improvements(a, i, s, moves, MAX_FOCUS_MOVES);
  json_t *arr = json_array();
  for (uint32_t j = 0; j < nm; j++) {
    json_t *mv = move_json(a, s, moves[j]);
    if (k != PL_CONCEPT_NASH) {
      gm_path p = gm_sanction(a, k, i, s, moves[j]);
      json_object_set_new(mv, "sanction", path_json(a, moves[j], &p));
      gm_path_free(&p);
    }
    json_array_append_new(arr, mv);
  }
  return json_pack("{s:b, s:o}", "stable",
                   gm_stable(a, k, i, gm_index(&a->x.space, s)), "improvements",
                   arr);
}

/* Every group of two or more DMs (n <= 6) with a joint improvement. */
static json_t *joint_json(const pl_stability *a, uint64_t s, bool *cut) {
  json_t *arr = json_array();
  uint32_t n = a->c->n;
  if (n > 6)
    return arr; /* 57 coalitions at most; beyond, use --coalitions */
  for (uint64_t H = 1; H < ((uint64_t)1 << n); H++) {
    if (__builtin_popcountll(H) < 2)
      continue;
    gm_path p;
    if (gm_joint_improvement(&a->x, H, s, &p, cut)) {
      json_t *mem = json_array();
      for (uint32_t i = 0; i < n; i++)
        if (H >> i & 1)
          json_array_append_new(mem, json_string(a->c->dms[i].name));
      json_array_append_new(arr, json_pack("{s:o, s:o}", "members", mem, "path",
                                           path_json(a, s, &p)));
    }
    gm_path_free(&p);
  }
  return arr;
}

static json_t *focus_one(const pl_stability *a, uint64_t s, const char *name) {
  json_t *per = json_object();
  for (unsigned k = 0; k < GM_NCONCEPTS; k++) {
    if (!(a->concepts >> k & 1))
      continue;
    json_t *dms = json_object();
    for (uint32_t i = 0; i < a->c->n; i++)
      json_object_set_new(dms, a->c->dms[i].name, focus_dm(a, k, i, s));
    json_object_set_new(per, GM_CONCEPT_KEY[k], dms);
  }
  bool cut = false;
  json_t *joint = joint_json(a, s, &cut);
  return json_pack("{s:o, s:s?, s:o, s:o, s:b}", "state", number(a, s), "name",
                   name, "stability", per, "joint_improvements", joint,
                   "joint_search_truncated", cut);
}

static json_t *focus_json(const pl_stability *a) {
  json_t *arr = json_array();
  const pl_conflict *c = a->c;
  bool from_named = false;
  for (uint32_t k = 0; k < c->nstates; k++) {
    json_array_append_new(arr,
                          focus_one(a, c->states[k].code, c->states[k].name));
    from_named |= a->has_from && c->states[k].code == a->from;
  }
  if (a->has_from && !from_named)
    json_array_append_new(arr, focus_one(a, a->from, NULL));
  return arr;
}

/* ---- Coalitions, status quo, limited move --------------------------------
 */

static json_t *members_json(const pl_conflict *c, uint64_t H) {
  json_t *arr = json_array();
  for (uint32_t i = 0; i < c->n; i++)
    if (H >> i & 1)
      json_array_append_new(arr, json_string(c->dms[i].name));
  return arr;
}

static json_t *coalition_json(const pl_stability *a, const gm_coalition *co) {
  json_t *st = json_object(), *ex = json_object();
  for (unsigned k = 0; k < GM_NCONCEPTS; k++) {
    if (!(a->concepts >> k & 1) || k == PL_CONCEPT_SMR)
      continue;
    json_t *arr = json_array(), *why = json_array();
    for (uint64_t s = 0; s < a->x.space.count; s++) {
      if (co->flags[s] >> k & 1)
        json_array_append_new(arr, json_integer((json_int_t)s + 1));
      else if (co->witness[k])
        json_array_append_new(
            why, json_pack("{s:I, s:I}", "state", (json_int_t)s + 1,
                           "joint_move", (json_int_t)co->witness[k][s] + 1));
    }
    json_object_set_new(st, GM_CONCEPT_KEY[k], arr);
    json_object_set_new(ex, GM_CONCEPT_KEY[k], why);
  }
  return json_pack(
      "{s:o, s:o, s:o}", "members", members_json(a->c, co->members), "stable",
      st, "explanations", a->explained ? ex : (json_decref(ex), json_null()));
}

static json_t *coalitions_json(const pl_stability *a) {
  json_t *arr = json_array();
  for (uint32_t k = 0; k < a->ncoal; k++)
    json_array_append_new(arr, coalition_json(a, &a->coal[k]));
  return arr;
}

/* Targets of the status quo analysis: every equilibrium and named state. */
static json_t *status_quo_json(const pl_stability *a) {
  if (!a->has_from)
    return json_null();
  json_t *targets = json_array();
  for (uint64_t s = 0; s < a->x.space.count; s++) {
    uint64_t code = gm_code(&a->x.space, s);
    json_t *eq = json_array();
    for (unsigned k = 0; k < GM_NCONCEPTS; k++)
      if (a->concepts >> k & 1 && gm_equilibrium(a, k, s))
        json_array_append_new(eq, json_string(GM_CONCEPT_KEY[k]));
    const char *name = gm_state_name(a->c, code);
    if (!json_array_size(eq) && !name) {
      json_decref(eq);
      continue;
    }
    gm_path pi = gm_bfs_path(a->by_improvements, code);
    gm_path pm = gm_bfs_path(a->by_moves, code);
    json_array_append_new(
        targets, json_pack("{s:I, s:s?, s:o, s:o, s:o}", "state",
                           (json_int_t)s + 1, "name", name, "equilibrium_under",
                           eq, "by_improvements", path_json(a, a->from, &pi),
                           "by_moves", path_json(a, a->from, &pm)));
    gm_path_free(&pi);
    gm_path_free(&pm);
  }
  return json_pack("{s:o, s:s?, s:b, s:o}", "from", number(a, a->from), "name",
                   gm_state_name(a->c, a->from), "truncated",
                   gm_bfs_truncated(a->by_improvements) ||
                       gm_bfs_truncated(a->by_moves),
                   "targets", targets);
}

/* {"h": h, "stable": ..., "equilibria": ...}; h 0 for NM. */
static json_t *lm_level(const pl_stability *a, uint16_t bit, uint32_t h) {
  json_t *st = json_object(), *eq = json_array();
  for (uint32_t i = 0; i < 2; i++) {
    json_t *arr = json_array();
    for (uint64_t s = 0; s < a->x.space.count; s++)
      if (a->lm[s * 2 + i] & bit)
        json_array_append_new(arr, json_integer((json_int_t)s + 1));
    json_object_set_new(st, a->c->dms[i].name, arr);
  }
  for (uint64_t s = 0; s < a->x.space.count; s++)
    if (a->lm[s * 2] & a->lm[s * 2 + 1] & bit)
      json_array_append_new(eq, json_integer((json_int_t)s + 1));
  if (h)
    return json_pack("{s:i, s:o, s:o}", "h", (int)h, "stable", st, "equilibria",
                     eq);
  return json_pack("{s:i, s:o, s:o}", "settled_at", (int)a->lm_nm, "stable", st,
                   "equilibria", eq);
}

static json_t *limited_json(const pl_stability *a) {
  if (!a->has_lm)
    return json_null();
  json_t *levels = json_array();
  for (uint32_t h = 1; h <= a->opt.horizon && (h <= a->lm_max || a->lm_nm);
       h++) {
    json_array_append_new(levels, lm_level(a, (uint16_t)(1u << (h - 1)), h));
  }
  json_t *nm = json_null();
  if (a->lm_nm)
    nm = lm_level(a, GM_LM_NM, 0);
  return json_pack(
      "{s:s, s:i, s:o, s:o, s:i}", "tie_rule",
      "a DM moves only if the anticipated final state is strictly better "
      "than staying; among equally good anticipated states it picks the one "
      "with the smallest number",
      "horizon", (int)a->opt.horizon, "levels", levels, "nm", nm,
      "levels_tried", (int)a->lm_max);
}

pl_status pl_stability_write_json(const pl_stability *a, FILE *out) {
  json_t *concepts = json_array();
  for (unsigned k = 0; k < GM_NCONCEPTS; k++)
    if (a->concepts >> k & 1)
      json_array_append_new(concepts, json_string(GM_CONCEPT_KEY[k]));
  json_t *doc = json_object();
  json_object_set_new(doc, "schema_version", json_integer(SCHEMA_VERSION));
  json_object_set_new(doc, "conflict", conflict_json(a));
  json_object_set_new(doc, "decision_makers", dms_json(a->c));
  json_object_set_new(doc, "options", options_json(a->c));
  json_object_set_new(doc, "concepts", concepts);
  json_object_set_new(doc, "states", states_json(a));
  json_object_set_new(doc, "preferences", preferences_json(a));
  json_object_set_new(doc, "stable", stable_json(a));
  json_object_set_new(doc, "equilibria", equilibria_json(a));
  json_object_set_new(doc, "explanations", explanations_json(a));
  json_object_set_new(doc, "focus", focus_json(a));
  json_object_set_new(doc, "coalitions", coalitions_json(a));
  json_object_set_new(doc, "status_quo", status_quo_json(a));
  json_object_set_new(doc, "limited_move", limited_json(a));
  json_object_set_new(doc, "run",
                      json_pack("{s:i, s:f}", "threads", (int)a->x.threads,
                                "seconds", pl_round_computed(a->seconds)));
  int rc = pl_json_write(doc, out);
  json_decref(doc);
  if (rc != 0 || fputc('\n', out) == EOF || ferror(out))
    return PL_EIO;
  return PL_OK;
}
