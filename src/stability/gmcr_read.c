/* gmcr_read.c - importing GMCR+ / gmcr-py files (.gmcr, JSON).
 *
 * The format (shared/reference/gmcr/definitions.md, section 6): options with
 * a permitted direction, decision makers with option indices and conditions
 * (most important first) or a manual ranking of state numbers, infeasible
 * conditions and an optional partition into coalitions. A condition is a
 * list of [option, "Y"|"N"] literals (their AND) or {"compound": true,
 * "members": [...]} (the OR of its members). Keys written by other versions
 * of the tools (program, version, coalitionsFull, ...) are ignored.
 */
#include "stability/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether `s` can be written as a bare name in a statement. */
static bool is_bare_name(const char *s) {
  if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
    return false;
  for (; *s; s++)
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
          (*s >= '0' && *s <= '9') || *s == '_' || *s == '.'))
      return false;
  return true;
}

/* Appends to the statement text that shows a condition to people. */
static void text_add(char *buf, size_t len, const char *s) {
  size_t n = strlen(buf);
  if (n + 1 < len)
    snprintf(buf + n, len - n, "%s", s);
}

static void text_option(char *buf, size_t len, const char *name, bool yes) {
  text_add(buf, len, yes ? "" : "not ");
  bool bare = is_bare_name(name);
  text_add(buf, len, bare ? "" : "`");
  text_add(buf, len, name);
  text_add(buf, len, bare ? "" : "`");
}

/* A list of literals: their AND (true when empty). */
static bool literals(gm_loader *L, const json_t *js, gm_builder *b, char *text,
                     size_t len) {
  uint64_t seen = 0;
  size_t n = json_array_size(js);
  for (size_t k = 0; k < n; k++) {
    const json_t *lit = json_array_get(js, k);
    const json_t *o = json_array_get(lit, 0), *v = json_array_get(lit, 1);
    const char *yn = json_is_string(v) ? json_string_value(v) : "";
    if (!json_is_array(lit) || json_array_size(lit) != 2 ||
        !json_is_integer(o) || (strcmp(yn, "Y") && strcmp(yn, "N"))) {
      pl_json_fail(&L->doc, lit, "a literal is [option index, \"Y\" or \"N\"]");
      return false;
    }
    json_int_t k2 = json_integer_value(o);
    if (k2 < 0 || k2 >= (json_int_t)L->c->m) {
      pl_json_fail(&L->doc, o,
                   "option index %lld is not one of the %u options (they "
                   "are numbered from 0)",
                   (long long)k2, L->c->m);
      return false;
    }
    if (seen >> k2 & 1) {
      pl_json_fail(&L->doc, o, "the condition names option %lld ('%s') twice",
                   (long long)k2, L->c->options[k2].name);
      return false;
    }
    seen |= (uint64_t)1 << k2;
    gm_build_literal(b, (uint32_t)k2, yn[0] == 'Y');
    if (k)
      gm_build_op(b, GM_OP_AND, 0);
    text_add(text, len, k ? " and " : "");
    text_option(text, len, L->c->options[k2].name, yn[0] == 'Y');
  }
  if (!n) {
    gm_build_op(b, GM_OP_TRUE, 0);
    text_add(text, len, "true");
  }
  return true;
}

static bool condition(gm_loader *L, const json_t *js, gm_formula *f, char *text,
                      size_t len) {
  gm_builder b = {0};
  text[0] = 0;
  bool ok = true;
  if (json_is_array(js)) {
    ok = literals(L, js, &b, text, len);
  } else if (json_is_object(js) &&
             json_is_array(json_object_get(js, "members"))) {
    const json_t *mem = json_object_get(js, "members");
    for (size_t k = 0; ok && k < json_array_size(mem); k++) {
      const json_t *one = json_array_get(mem, k);
      if (!json_is_array(one)) {
        pl_json_fail(&L->doc, one,
                     "a member of a compound condition is a list of "
                     "literals");
        return false;
      }
      text_add(text, len, k ? " or (" : "(");
      ok = literals(L, one, &b, text, len);
      text_add(text, len, ")");
      if (k)
        gm_build_op(&b, GM_OP_OR, 0);
    }
    if (!json_array_size(mem)) {
      gm_build_op(&b, GM_OP_FALSE, 0);
      text_add(text, len, "false");
    }
  } else {
    pl_json_fail(&L->doc, js,
                 "a condition is a list of [option, \"Y\"|\"N\"] or "
                 "{\"compound\": true, \"members\": [...]}");
    return false;
  }
  if (ok && !gm_build_finish(&L->c->arena, &b, f)) {
    pl_json_fail(&L->doc, js, "condition too long");
    return false;
  }
  return ok;
}

/* False when the rest cannot be read (no options, or too many). */
static bool load_options(gm_loader *L) {
  pl_conflict *c = L->c;
  const json_t *arr =
      pl_json_get_array(&L->doc, L->root, "options", true, "a GMCR file");
  for (size_t k = 0; arr && k < json_array_size(arr); k++) {
    const json_t *js = json_array_get(arr, k);
    if (k == GM_MAX_OPTIONS) {
      pl_json_fail(&L->doc, js,
                   "too many options: at most %d are supported (a state is "
                   "a 64-bit mask); this is option 64",
                   GM_MAX_OPTIONS);
      return false;
    }
    gm_option *o = &c->options[c->m++];
    o->dm = -1;
    o->name = json_is_object(js) ? pl_json_get_string(&L->doc, &L->c->arena, js,
                                                      "name", true, "an option")
                                 : NULL;
    if (!o->name) {
      if (!json_is_object(js))
        pl_json_fail(&L->doc, js,
                     "an option is {\"name\", \"permittedDirection\"}");
      o->name = "?";
      continue;
    }
    const char *dir = pl_json_get_string(&L->doc, &L->c->arena, js,
                                         "permittedDirection", false, "");
    if (dir && !strcmp(dir, "fwd"))
      o->rev = GM_REV_TO_YES;
    else if (dir && !strcmp(dir, "back"))
      o->rev = GM_REV_TO_NO;
    else if (dir && strcmp(dir, "both"))
      pl_json_fail_member(&L->doc, js, "permittedDirection", false,
                          "permittedDirection is \"%s\"; expected both, fwd or "
                          "back",
                          dir);
  }
  return arr != NULL;
}

static void load_dm_options(gm_loader *L, const json_t *js, uint32_t i) {
  pl_conflict *c = L->c;
  const json_t *opts = pl_json_get_array(&L->doc, js, "options", true, "a DM");
  for (size_t k = 0; opts && k < json_array_size(opts); k++) {
    const json_t *v = json_array_get(opts, k);
    json_int_t o = json_is_integer(v) ? json_integer_value(v) : -1;
    if (o < 0 || o >= (json_int_t)c->m) {
      pl_json_fail(&L->doc, v, "not an option index (0 to %u)", c->m - 1);
    } else if (c->options[o].dm >= 0) {
      pl_json_fail(
          &L->doc, v, "option %lld ('%s') is already controlled by '%s'",
          (long long)o, c->options[o].name, c->dms[c->options[o].dm].name);
    } else {
      c->options[o].dm = (int32_t)i;
      c->dms[i].options |= (uint64_t)1 << o;
    }
  }
}

static void load_dm_statements(gm_loader *L, const json_t *js, gm_dm *dm) {
  const json_t *prefs =
      pl_json_get_array(&L->doc, js, "preferences", false, "a DM");
  size_t q = prefs ? json_array_size(prefs) : 0;
  if (q > GM_MAX_STATEMENTS) {
    pl_json_fail(&L->doc, prefs,
                 "decision maker '%s' has %zu statements; at most %d", dm->name,
                 q, GM_MAX_STATEMENTS);
    return;
  }
  dm->stmts = pl_arena_calloc(&L->c->arena, q ? q : 1, sizeof *dm->stmts);
  dm->nstmts = (uint32_t)q;
  for (size_t k = 0; k < q; k++) {
    char text[2048];
    if (condition(L, json_array_get(prefs, k), &dm->stmts[k].f, text,
                  sizeof text))
      dm->stmts[k].text = pl_arena_strdup(&L->c->arena, text);
  }
}

static void load_dms(gm_loader *L) {
  pl_conflict *c = L->c;
  const json_t *arr = pl_json_get_array(&L->doc, L->root, "decisionMakers",
                                        true, "a GMCR file");
  size_t n = arr ? json_array_size(arr) : 0;
  if (arr && (n < 2 || n > GM_MAX_DMS)) {
    pl_json_fail(&L->doc, arr,
                 "a conflict needs 2 to %d decision makers, not %zu",
                 GM_MAX_DMS, n);
    return;
  }
  c->dms = pl_arena_calloc(&c->arena, n ? n : 1, sizeof *c->dms);
  c->n = (uint32_t)n;
  for (size_t i = 0; i < n; i++) {
    const json_t *js = json_array_get(arr, i);
    if (!json_is_object(js)) {
      pl_json_fail(&L->doc, js, "a decision maker must be an object");
      continue;
    }
    gm_dm *dm = &c->dms[i];
    dm->name = pl_json_get_string(&L->doc, &L->c->arena, js, "name", true,
                                  "a decision maker");
    if (!dm->name)
      dm->name = "?";
    else if (gm_find_dm(c, dm->name) != (int32_t)i)
      pl_json_fail_member(&L->doc, js, "name", false,
                          "decision maker '%s' is defined twice", dm->name);
    load_dm_options(L, js, (uint32_t)i);
    load_dm_statements(L, js, dm);
  }
}

static void load_infeasibles(gm_loader *L) {
  pl_conflict *c = L->c;
  const json_t *arr =
      pl_json_get_array(&L->doc, L->root, "infeasibles", false, "a GMCR file");
  size_t n = arr ? json_array_size(arr) : 0;
  c->rules = pl_arena_calloc(&c->arena, n ? n : 1, sizeof *c->rules);
  for (size_t k = 0; k < n; k++) {
    char text[2048], label[2100];
    gm_rule *r = &c->rules[c->nrules];
    if (!condition(L, json_array_get(arr, k), &r->f, text, sizeof text))
      continue;
    snprintf(label, sizeof label, "infeasible condition %zu (%s)", k + 1, text);
    r->text = pl_arena_strdup(&c->arena, label);
    c->nrules++;
  }
  if (!L->doc.errors && gm_next_feasible(c, 0) == (uint64_t)1 << c->m)
    pl_json_fail(&L->doc, arr, "the infeasible conditions exclude every state");
}

/* preferenceRanking: feasible state numbers (1 = smallest code), most
 * preferred first, ties as inner lists. */
static void load_ranking(gm_loader *L, const json_t *rk, gm_dm *dm,
                         const uint64_t *codes, uint64_t count,
                         uint32_t *level) {
  for (uint64_t k = 0; k < count; k++)
    level[k] = UINT32_MAX;
  size_t n = json_array_size(rk), before = L->doc.errors;
  for (size_t j = 0; j < n; j++) {
    const json_t *e = json_array_get(rk, j);
    size_t m = json_is_array(e) ? json_array_size(e) : 1;
    for (size_t t = 0; t < m; t++) {
      const json_t *v = json_is_array(e) ? json_array_get(e, t) : e;
      json_int_t s = json_is_integer(v) ? json_integer_value(v) : 0;
      if (s < 1 || (uint64_t)s > count)
        pl_json_fail(&L->doc, v, "not a feasible state number (1 to %llu)",
                     (unsigned long long)count);
      else if (level[s - 1] != UINT32_MAX)
        pl_json_fail(&L->doc, v, "state %lld is ranked twice", (long long)s);
      else
        level[s - 1] = (uint32_t)(n - 1 - j);
    }
  }
  for (uint64_t k = 0; k < count && L->doc.errors == before; k++)
    if (level[k] == UINT32_MAX)
      pl_json_fail(&L->doc, rk, "the ranking of %s leaves out state %llu",
                   dm->name, (unsigned long long)k + 1);
  if (L->doc.errors == before && !gm_set_ranking(L->c, dm, codes, level, count))
    pl_json_fail(&L->doc, NULL, "out of memory");
}

static void load_rankings(gm_loader *L) {
  const json_t *manual = json_object_get(L->root, "useManualPreferenceRanking");
  if (!manual)
    manual = json_object_get(L->root, "useManualPreferenceVectors");
  if (!json_is_true(manual) || L->doc.errors)
    return;
  pl_conflict *c = L->c;
  uint64_t *codes = NULL;
  uint64_t count = gm_list_feasible(c, 1u << 20, &codes);
  uint32_t *level = calloc(count ? count : 1, sizeof *level);
  const json_t *arr = json_object_get(L->root, "decisionMakers");
  for (uint32_t i = 0; codes && level && count <= (1u << 20) && i < c->n; i++) {
    const json_t *js = json_array_get(arr, i);
    const json_t *rk = json_object_get(js, "preferenceRanking");
    if (!rk)
      rk = json_object_get(js, "preferenceVector");
    if (!json_is_array(rk))
      pl_json_fail(&L->doc, js,
                   "useManualPreferenceRanking is true but '%s' has no "
                   "preferenceRanking",
                   c->dms[i].name);
    else
      load_ranking(L, rk, &c->dms[i], codes, count, level);
  }
  if (count > (1u << 20))
    pl_json_fail(&L->doc, manual,
                 "manual rankings need at most 2^20 feasible states");
  free(codes);
  free(level);
}

static void load_partition(gm_loader *L) {
  pl_conflict *c = L->c;
  const json_t *arr = json_object_get(L->root, "coalitions");
  size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
  c->coalitions = pl_arena_calloc(&c->arena, n ? n : 1, sizeof(uint64_t));
  uint64_t used = 0;
  for (size_t k = 0; k < n; k++) {
    const json_t *g = json_array_get(arr, k);
    if (!json_is_array(g))
      continue; /* a single DM */
    uint64_t mask = 0;
    for (size_t j = 0; j < json_array_size(g); j++) {
      const json_t *v = json_array_get(g, j);
      json_int_t i = json_is_integer(v) ? json_integer_value(v) : -1;
      if (i < 0 || i >= (json_int_t)c->n || ((used | mask) >> i & 1))
        pl_json_fail(&L->doc, v,
                     "coalitions must partition the decision makers "
                     "(indices from 0)");
      else
        mask |= (uint64_t)1 << i;
    }
    used |= mask;
    if (__builtin_popcountll(mask) >= 2)
      c->coalitions[c->ncoalitions++] = mask;
  }
}

void gm_load_gmcr(gm_loader *L) {
  pl_conflict *c = L->c;
  c->format = "gmcr";
  /* The file's base name without extension names the conflict. */
  const char *base =
      strrchr(L->doc.file, '/') ? strrchr(L->doc.file, '/') + 1 : L->doc.file;
  char name[256];
  snprintf(name, sizeof name, "%s", base);
  char *dot = strrchr(name, '.');
  if (dot && dot != name)
    *dot = 0;
  c->name = pl_arena_strdup(&c->arena, name);
  if (!load_options(L))
    return; /* everything else refers to the options */
  load_dms(L);
  if (L->doc.errors)
    return;
  load_infeasibles(L);
  load_rankings(L);
  load_partition(L);
}
