/* conflict_json.c - reading parley conflict files (docs/stability.md).
 *
 * Options are numbered in the order they appear, decision maker by decision
 * maker, so option k of the file is bit k of every state.
 */
#include "stability/load.h"
#include "util/suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const TOP_KEYS[] = {
    "conflict",        "name",       "title",
    "decision_makers", "infeasible", "states",
    "status_quo",      "coalitions", NULL};
static const char *const DM_KEYS[] = {"name", "options", "preferences",
                                      "ranking", NULL};
static const char *const OPTION_KEYS[] = {"name", "reversibility", NULL};
static const char *const STATEMENT_KEYS[] = {"statement", NULL};
static const char *const RULE_KEYS[] = {
    "never",       "require", "exclusive", "at_least_one",
    "exactly_one", "pattern", NULL};
static const char *const STATE_KEYS[] = {"name", "taken", NULL};

/* Ranked lists are checked state by state: above this many feasible states
 * a ranking is refused (use option statements). */
#define MAX_RANKED_STATES (1u << 20)

/* ---- Names ----------------------------------------------------------------
 */

static void option_names(const pl_conflict *c, const char **names) {
  for (uint32_t k = 0; k < c->m; k++)
    names[k] = c->options[k].name;
}

/* Resolves an option name given as a JSON string; reports unknown names. */
static int32_t option_ref(gm_loader *L, const json_t *v, const char *what) {
  if (!json_is_string(v)) {
    pl_json_fail(&L->doc, v, "%s must name an option (a string), not %s", what,
                 pl_json_type_name(v));
    return -1;
  }
  const char *name = json_string_value(v);
  int32_t k = gm_find_option(L->c, name);
  if (k >= 0)
    return k;
  const char *names[GM_MAX_OPTIONS];
  option_names(L->c, names);
  const char *hint = pl_suggest(name, names, L->c->m);
  if (hint)
    pl_json_fail(&L->doc, v,
                 "%s names unknown option '%s' (did you mean '%s'?)", what,
                 name, hint);
  else
    pl_json_fail(&L->doc, v, "%s names unknown option '%s'", what, name);
  return -1;
}

/* Compiles a statement held in the JSON string `v`. */
static bool statement(gm_loader *L, const json_t *v, gm_formula *f,
                      const char *what) {
  if (!json_is_string(v)) {
    pl_json_fail(&L->doc, v, "%s must be a statement (a string), not %s", what,
                 pl_json_type_name(v));
    return false;
  }
  const char *names[GM_MAX_OPTIONS];
  option_names(L->c, names);
  int col;
  char msg[600];
  if (gm_formula_parse(&L->c->arena, json_string_value(v), names, L->c->m, f,
                       &col, msg, sizeof msg))
    return true;
  pl_json_fail_in_string(&L->doc, v, col, "%s: %s", what, msg);
  return false;
}

/* ---- Decision makers and options --------------------------------------- */

static bool load_option(gm_loader *L, const json_t *js, uint32_t dm) {
  pl_conflict *c = L->c;
  if (c->m == GM_MAX_OPTIONS) {
    pl_json_fail(&L->doc, js,
                 "too many options: at most %d are supported (a state is a "
                 "64-bit mask); this is option 64",
                 GM_MAX_OPTIONS);
    return false;
  }
  gm_option *o = &c->options[c->m];
  o->dm = (int32_t)dm;
  const json_t *name = js;
  if (json_is_object(js)) {
    pl_json_check_keys(&L->doc, js, "an option", OPTION_KEYS, true);
    o->description = pl_json_get_string(&L->doc, &L->c->arena, js,
                                        "description", false, "an option");
    const char *rev = pl_json_get_string(&L->doc, &L->c->arena, js,
                                         "reversibility", false, "an option");
    if (rev && !strcmp(rev, "to_yes"))
      o->rev = GM_REV_TO_YES;
    else if (rev && !strcmp(rev, "to_no"))
      o->rev = GM_REV_TO_NO;
    else if (rev && strcmp(rev, "both"))
      pl_json_fail_member(&L->doc, js, "reversibility", false,
                          "reversibility is \"%s\"; expected \"both\", "
                          "\"to_yes\" or \"to_no\"",
                          rev);
    name = json_object_get(js, "name");
    if (!name) {
      pl_json_fail(&L->doc, js, "an option has no \"name\"");
      return false;
    }
  }
  if (!json_is_string(name) || !*json_string_value(name)) {
    pl_json_fail(&L->doc, name, "an option's name must be a non-empty string");
    return false;
  }
  o->name = pl_arena_strdup(&c->arena, json_string_value(name));
  if (gm_find_option(c, o->name) >= 0) {
    pl_json_fail(&L->doc, name, "option '%s' is defined twice", o->name);
    return false;
  }
  c->dms[dm].options |= (uint64_t)1 << c->m;
  c->m++;
  return true;
}

static void load_dm_head(gm_loader *L, const json_t *js, uint32_t i) {
  pl_conflict *c = L->c;
  gm_dm *dm = &c->dms[i];
  if (!json_is_object(js)) {
    pl_json_fail(&L->doc, js, "a decision maker must be an object, not %s",
                 pl_json_type_name(js));
    return;
  }
  pl_json_check_keys(&L->doc, js, "a decision maker", DM_KEYS, true);
  dm->name = pl_json_get_string(&L->doc, &L->c->arena, js, "name", true,
                                "a decision maker");
  dm->description = pl_json_get_string(&L->doc, &L->c->arena, js, "description",
                                       false, "a decision maker");
  if (dm->name && gm_find_dm(c, dm->name) != (int32_t)i)
    pl_json_fail_member(&L->doc, js, "name", false,
                        "decision maker '%s' is defined twice", dm->name);
  const json_t *opts =
      pl_json_get_array(&L->doc, js, "options", true, "a decision maker");
  if (opts && json_array_size(opts) == 0)
    pl_json_fail(&L->doc, opts,
                 "decision maker '%s' controls no option; give it one",
                 dm->name ? dm->name : "?");
  for (size_t k = 0; opts && k < json_array_size(opts); k++)
    if (!load_option(L, json_array_get(opts, k), i) && c->m == GM_MAX_OPTIONS)
      break; /* one message about the 64th option is enough */
}

static bool load_statements(gm_loader *L, const json_t *arr, gm_dm *dm) {
  size_t q = json_array_size(arr);
  if (q > GM_MAX_STATEMENTS) {
    pl_json_fail(&L->doc, arr,
                 "decision maker '%s' has %zu statements; at most %d", dm->name,
                 q, GM_MAX_STATEMENTS);
    return false;
  }
  dm->stmts = pl_arena_calloc(&L->c->arena, q ? q : 1, sizeof *dm->stmts);
  dm->nstmts = (uint32_t)q;
  bool ok = true;
  for (size_t k = 0; k < q; k++) {
    const json_t *js = json_array_get(arr, k), *text = js;
    gm_statement *s = &dm->stmts[k];
    if (json_is_object(js)) {
      pl_json_check_keys(&L->doc, js, "a preference statement", STATEMENT_KEYS,
                         true);
      s->source = pl_json_get_string(&L->doc, &L->c->arena, js, "source", false,
                                     "a statement");
      text = json_object_get(js, "statement");
      if (!text) {
        pl_json_fail(&L->doc, js,
                     "a preference statement has no \"statement\"");
        ok = false;
        continue;
      }
    }
    char what[300];
    snprintf(what, sizeof what, "statement %zu of %s", k + 1, dm->name);
    if (statement(L, text, &s->f, what))
      s->text = pl_arena_strdup(&L->c->arena, json_string_value(text));
    else
      ok = false;
  }
  return ok;
}

static void load_dms(gm_loader *L) {
  const json_t *arr = pl_json_get_array(&L->doc, L->root, "decision_makers",
                                        true, "the conflict");
  if (!arr)
    return;
  size_t n = json_array_size(arr);
  if (n < 2 || n > GM_MAX_DMS) {
    pl_json_fail(&L->doc, arr,
                 "a conflict needs 2 to %d decision makers, not %zu",
                 GM_MAX_DMS, n);
    return;
  }
  pl_conflict *c = L->c;
  c->dms = pl_arena_calloc(&c->arena, n, sizeof *c->dms);
  c->n = (uint32_t)n;
  for (size_t i = 0; i < n; i++)
    load_dm_head(L, json_array_get(arr, i), (uint32_t)i);
}

/* ---- Infeasible states --------------------------------------------------- */

/* The options of a list rule ("exclusive": [...]) as a bit mask. */
static bool option_list(gm_loader *L, const json_t *arr, const char *what,
                        uint64_t *mask, uint32_t *list, uint32_t *n) {
  if (!json_is_array(arr) || json_array_size(arr) < 2) {
    pl_json_fail(&L->doc, arr, "%s takes a list of at least two options", what);
    return false;
  }
  *mask = 0;
  *n = 0;
  bool ok = true;
  for (size_t k = 0; k < json_array_size(arr); k++) {
    const json_t *v = json_array_get(arr, k);
    int32_t o = option_ref(L, v, what);
    if (o < 0) {
      ok = false;
    } else if (*mask >> o & 1) {
      pl_json_fail(&L->doc, v, "%s names option '%s' twice", what,
                   L->c->options[o].name);
      ok = false;
    } else {
      *mask |= (uint64_t)1 << o;
      list[(*n)++] = (uint32_t)o;
    }
  }
  return ok;
}

static gm_rule *new_rule(gm_loader *L, const char *text) {
  pl_conflict *c = L->c;
  gm_rule *r = pl_arena_alloc(&c->arena, sizeof *r * (c->nrules + 1));
  if (!r)
    return NULL;
  if (c->nrules)
    memcpy(r, c->rules, sizeof *r * c->nrules);
  c->rules = r;
  r[c->nrules].text = pl_arena_strdup(&c->arena, text);
  return &r[c->nrules++];
}

static void add_built_rule(gm_loader *L, const gm_builder *b,
                           const char *text) {
  gm_rule *r = new_rule(L, text);
  if (!r || !gm_build_finish(&L->c->arena, b, &r->f))
    pl_json_fail(&L->doc, NULL, "out of memory");
}

/* exclusive: no two at once (one rule per pair, so that the enumeration
 * skips by the lowest option of each); at_least_one: not all N. */
static void list_rules(gm_loader *L, const char *kind, const json_t *arr,
                       const char *text) {
  uint64_t mask;
  uint32_t list[GM_MAX_OPTIONS], n;
  char what[64];
  snprintf(what, sizeof what, "\"%s\"", kind);
  if (!option_list(L, arr, what, &mask, list, &n))
    return;
  bool excl = strcmp(kind, "at_least_one") != 0;
  bool least = strcmp(kind, "exclusive") != 0;
  for (uint32_t a = 0; excl && a < n; a++)
    for (uint32_t b = a + 1; b < n; b++) {
      gm_builder bl = {0};
      gm_build_literal(&bl, list[a], true);
      gm_build_literal(&bl, list[b], true);
      gm_build_op(&bl, GM_OP_AND, 0);
      add_built_rule(L, &bl, text);
    }
  if (least) {
    gm_builder bl = {0};
    for (uint32_t a = 0; a < n; a++) {
      gm_build_literal(&bl, list[a], false);
      if (a)
        gm_build_op(&bl, GM_OP_AND, 0);
    }
    add_built_rule(L, &bl, text);
  }
}

static void pattern_rule(gm_loader *L, const json_t *v, const char *text) {
  const char *p = json_is_string(v) ? json_string_value(v) : NULL;
  if (!p || strlen(p) != L->c->m || strspn(p, "YNyn-") != L->c->m) {
    pl_json_fail(&L->doc, v,
                 "a pattern is a string of %u characters Y, N or -, one per "
                 "option in order",
                 L->c->m);
    return;
  }
  gm_builder bl = {0};
  uint32_t lits = 0;
  for (uint32_t k = 0; k < L->c->m; k++) {
    if (p[k] == '-')
      continue;
    gm_build_literal(&bl, k, p[k] == 'Y' || p[k] == 'y');
    if (lits++)
      gm_build_op(&bl, GM_OP_AND, 0);
  }
  if (!lits)
    gm_build_op(&bl, GM_OP_TRUE, 0);
  add_built_rule(L, &bl, text);
}

/* "rule 2 (exclusive: a, b)": how messages name a rule. */
static void rule_text(const json_t *v, const char *kind, size_t index,
                      char *buf, size_t len) {
  size_t n = (size_t)snprintf(buf, len, "rule %zu (%s", index + 1, kind);
  if (json_is_string(v))
    n += (size_t)snprintf(buf + n, n < len ? len - n : 0, ": %s",
                          json_string_value(v));
  for (size_t k = 0; json_is_array(v) && k < json_array_size(v); k++) {
    const json_t *e = json_array_get(v, k);
    n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
                          k ? ", " : ": ",
                          json_is_string(e) ? json_string_value(e) : "?");
  }
  snprintf(buf + (n < len ? n : len - 1), n < len ? len - n : 1, ")");
}

static void load_rule(gm_loader *L, const json_t *js, size_t index) {
  if (!json_is_object(js) || json_object_size(js) == 0) {
    pl_json_fail(&L->doc, js,
                 "an infeasibility rule is an object such as {\"never\": "
                 "\"a and b\"} or {\"exclusive\": [\"a\", \"b\"]}");
    return;
  }
  pl_json_check_keys(&L->doc, js, "an infeasibility rule", RULE_KEYS, true);
  const char *kind = NULL;
  for (int k = 0; RULE_KEYS[k]; k++)
    if (json_object_get(js, RULE_KEYS[k])) {
      if (kind) {
        pl_json_fail(&L->doc, js,
                     "a rule takes one of never, require, exclusive, "
                     "at_least_one, exactly_one, pattern");
        return;
      }
      kind = RULE_KEYS[k];
    }
  if (!kind)
    return; /* reported by pl_json_check_keys, or only comments */
  const json_t *v = json_object_get(js, kind);
  char text[700];
  rule_text(v, kind, index, text, sizeof text);
  if (!strcmp(kind, "never") || !strcmp(kind, "require")) {
    gm_formula f;
    char what[64];
    snprintf(what, sizeof what, "infeasibility rule %zu", index + 1);
    if (!statement(L, v, &f, what))
      return;
    gm_rule *r = new_rule(L, text);
    gm_op *ops = pl_arena_calloc(&L->c->arena, f.nops + 1, sizeof *ops);
    if (!r || !ops) {
      pl_json_fail(&L->doc, NULL, "out of memory");
      return;
    }
    memcpy(ops, f.ops, f.nops * sizeof *ops);
    r->f = f;
    r->f.ops = ops;
    if (!strcmp(kind, "require")) /* infeasible when the statement fails */
      ops[r->f.nops++] = (gm_op){GM_OP_NOT, 0};
  } else if (!strcmp(kind, "pattern")) {
    pattern_rule(L, v, text);
  } else {
    list_rules(L, kind, v, text);
  }
}

static void load_rules(gm_loader *L) {
  const json_t *arr =
      pl_json_get_array(&L->doc, L->root, "infeasible", false, "the conflict");
  for (size_t k = 0; arr && k < json_array_size(arr); k++)
    load_rule(L, json_array_get(arr, k), k);
  if (!L->doc.errors && L->c->m &&
      gm_next_feasible(L->c, 0) == (uint64_t)1 << L->c->m)
    pl_json_fail(&L->doc, arr, "the infeasibility rules exclude every state");
}

/* ---- Named states, status quo, coalitions ------------------------------- */

/* Reports that `code` is infeasible, at `where`, naming the rule. */
static bool check_feasible(gm_loader *L, const json_t *where, uint64_t code,
                           const char *what) {
  int32_t r = gm_broken_rule(L->c, code);
  if (r < 0)
    return true;
  char yn[GM_MAX_OPTIONS + 1];
  gm_state_yn(L->c, code, yn);
  pl_json_fail(&L->doc, where, "%s (%s) is infeasible: it breaks %s", what, yn,
               L->c->rules[r].text);
  return false;
}

static void load_state(gm_loader *L, const json_t *js, gm_named *st) {
  if (!json_is_object(js)) {
    pl_json_fail(&L->doc, js,
                 "a named state is an object {\"name\", \"taken\"}, not %s",
                 pl_json_type_name(js));
    return;
  }
  pl_json_check_keys(&L->doc, js, "a named state", STATE_KEYS, true);
  st->name = pl_json_get_string(&L->doc, &L->c->arena, js, "name", true,
                                "a named state");
  st->description = pl_json_get_string(&L->doc, &L->c->arena, js, "description",
                                       false, "a state");
  const json_t *taken =
      pl_json_get_array(&L->doc, js, "taken", true, "a named state");
  bool ok = st->name && taken;
  for (size_t k = 0; taken && k < json_array_size(taken); k++) {
    const json_t *v = json_array_get(taken, k);
    int32_t o = option_ref(L, v, "\"taken\"");
    if (o >= 0 && (st->code >> o & 1))
      pl_json_fail(&L->doc, v, "option '%s' is listed twice",
                   L->c->options[o].name);
    if (o >= 0)
      st->code |= (uint64_t)1 << o;
    ok &= o >= 0;
  }
  if (ok) {
    char what[300];
    snprintf(what, sizeof what, "state '%s'", st->name);
    check_feasible(L, js, st->code, what);
  }
}

static void load_states(gm_loader *L) {
  pl_conflict *c = L->c;
  const json_t *arr =
      pl_json_get_array(&L->doc, L->root, "states", false, "the conflict");
  size_t n = arr ? json_array_size(arr) : 0;
  c->states = pl_arena_calloc(&c->arena, n ? n : 1, sizeof *c->states);
  for (size_t k = 0; k < n; k++) {
    load_state(L, json_array_get(arr, k), &c->states[k]);
    for (size_t j = 0; j < k && c->states[k].name; j++)
      if (c->states[j].name && !strcmp(c->states[j].name, c->states[k].name))
        pl_json_fail(&L->doc, json_array_get(arr, k),
                     "state '%s' is defined twice", c->states[k].name);
  }
  c->nstates = (uint32_t)n;
  const json_t *sq = json_object_get(L->root, "status_quo");
  if (!sq)
    return;
  if (!json_is_string(sq)) {
    pl_json_fail(&L->doc, sq, "\"status_quo\" names a state of \"states\"");
    return;
  }
  const char *names[256];
  for (uint32_t k = 0; k < c->nstates && k < 256; k++) {
    names[k] = c->states[k].name;
    if (names[k] && !strcmp(names[k], json_string_value(sq)))
      c->status_quo = (int32_t)k;
  }
  if (c->status_quo < 0) {
    const char *hint = pl_suggest(json_string_value(sq), names,
                                  c->nstates < 256 ? c->nstates : 256);
    pl_json_fail(&L->doc, sq,
                 "the status quo '%s' is not a state of \"states\"%s%s%s",
                 json_string_value(sq), hint ? " (did you mean '" : "",
                 hint ? hint : "", hint ? "'?)" : "");
  } else if (gm_broken_rule(c, c->states[c->status_quo].code) >= 0) {
    check_feasible(L, sq, c->states[c->status_quo].code, "the status quo");
  }
}

static void load_coalitions(gm_loader *L) {
  pl_conflict *c = L->c;
  const json_t *arr =
      pl_json_get_array(&L->doc, L->root, "coalitions", false, "the conflict");
  size_t n = arr ? json_array_size(arr) : 0;
  c->coalitions = pl_arena_calloc(&c->arena, n ? n : 1, sizeof(uint64_t));
  uint64_t used = 0;
  for (size_t k = 0; k < n; k++) {
    const json_t *g = json_array_get(arr, k);
    if (!json_is_array(g) || json_array_size(g) < 2) {
      pl_json_fail(&L->doc, g,
                   "a coalition is a list of at least two decision makers");
      continue;
    }
    uint64_t mask = 0;
    for (size_t j = 0; j < json_array_size(g); j++) {
      const json_t *v = json_array_get(g, j);
      int32_t i = json_is_string(v) ? gm_find_dm(c, json_string_value(v)) : -1;
      if (i < 0)
        pl_json_fail(&L->doc, v, "not a decision maker of the conflict");
      else if ((used | mask) >> i & 1)
        pl_json_fail(&L->doc, v,
                     "'%s' is already in a coalition (they partition the "
                     "decision makers)",
                     c->dms[i].name);
      else
        mask |= (uint64_t)1 << i;
    }
    used |= mask;
    c->coalitions[c->ncoalitions++] = mask;
  }
}

/* ---- Explicit rankings ----------------------------------------------------
 */

typedef struct ranker {
  uint64_t *codes; /* feasible states in order: number k is codes[k-1] */
  uint64_t count;
  uint32_t *level; /* per state number - 1; UINT32_MAX: not ranked yet */
} ranker;

static void rank_state(gm_loader *L, ranker *R, const json_t *v, uint64_t k,
                       uint32_t level) {
  if (R->level[k] != UINT32_MAX) {
    pl_json_fail(&L->doc, v, "state %llu is ranked twice",
                 (unsigned long long)k + 1);
    return;
  }
  R->level[k] = level;
}

/* One entry: a state number, a state name, a Y/N/- pattern, or a list of
 * those (tied). */
static void rank_entry(gm_loader *L, ranker *R, const json_t *v, uint32_t level,
                       bool nested) {
  pl_conflict *c = L->c;
  if (json_is_array(v) && !nested) {
    for (size_t j = 0; j < json_array_size(v); j++)
      rank_entry(L, R, json_array_get(v, j), level, true);
    return;
  }
  if (json_is_integer(v)) {
    json_int_t k = json_integer_value(v);
    if (k < 1 || (uint64_t)k > R->count)
      pl_json_fail(&L->doc, v,
                   "state number %lld is not one of the %llu feasible "
                   "states",
                   (long long)k, (unsigned long long)R->count);
    else
      rank_state(L, R, v, (uint64_t)k - 1, level);
    return;
  }
  const char *s = json_is_string(v) ? json_string_value(v) : NULL;
  if (!s) {
    pl_json_fail(&L->doc, v,
                 "a ranking entry is a state number, a state name, a "
                 "Y/N/- pattern or a list of those (tied)");
    return;
  }
  for (uint32_t n = 0; n < c->nstates; n++)
    if (c->states[n].name && !strcmp(c->states[n].name, s)) {
      for (uint64_t k = 0; k < R->count; k++)
        if (R->codes[k] == c->states[n].code)
          rank_state(L, R, v, k, level);
      return;
    }
  if (strlen(s) != c->m || strspn(s, "YN-") != c->m) {
    pl_json_fail(&L->doc, v,
                 "'%s' is neither a named state nor a pattern of %u "
                 "characters Y, N or -",
                 s, c->m);
    return;
  }
  uint64_t care = 0, want = 0, hits = 0;
  for (uint32_t k = 0; k < c->m; k++) {
    care |= (uint64_t)(s[k] != '-') << k;
    want |= (uint64_t)(s[k] == 'Y') << k;
  }
  for (uint64_t k = 0; k < R->count; k++)
    if ((R->codes[k] & care) == want) {
      rank_state(L, R, v, k, level);
      hits++;
    }
  if (!hits)
    pl_json_fail(&L->doc, v, "pattern %s matches no feasible state", s);
}

static void load_ranking(gm_loader *L, const json_t *arr, gm_dm *dm,
                         ranker *R) {
  size_t n = json_array_size(arr);
  for (uint64_t k = 0; k < R->count; k++)
    R->level[k] = UINT32_MAX;
  size_t before = L->doc.errors;
  for (size_t j = 0; j < n; j++)
    rank_entry(L, R, json_array_get(arr, j), (uint32_t)(n - 1 - j), false);
  if (L->doc.errors != before)
    return;
  char missing[200] = "";
  uint64_t nmissing = 0;
  for (uint64_t k = 0; k < R->count; k++)
    if (R->level[k] == UINT32_MAX && nmissing++ < 8) {
      size_t len = strlen(missing);
      snprintf(missing + len, sizeof missing - len, "%s%llu", len ? ", " : "",
               (unsigned long long)k + 1);
    }
  if (nmissing)
    pl_json_fail(&L->doc, arr,
                 "the ranking of %s leaves out %llu state%s (%s%s); rank "
                 "every feasible state once",
                 dm->name, (unsigned long long)nmissing,
                 nmissing == 1 ? "" : "s", missing,
                 nmissing > 8 ? ", ..." : "");
  else if (!gm_set_ranking(L->c, dm, R->codes, R->level, R->count))
    pl_json_fail(&L->doc, NULL, "out of memory");
}

/* Preferences come after options, rules and states: statements name
 * options, rankings name states. */
static void load_preferences(gm_loader *L) {
  pl_conflict *c = L->c;
  const json_t *arr = json_object_get(L->root, "decision_makers");
  ranker R = {0};
  for (uint32_t i = 0; i < c->n; i++) {
    const json_t *js = json_array_get(arr, i);
    if (!json_is_object(js) || !c->dms[i].name)
      continue;
    const json_t *st =
        pl_json_get_array(&L->doc, js, "preferences", false, "a DM");
    const json_t *rk = pl_json_get_array(&L->doc, js, "ranking", false, "a DM");
    if (st && rk) {
      pl_json_fail_member(
          &L->doc, js, "ranking", true,
          "%s has both \"preferences\" and \"ranking\"; give one",
          c->dms[i].name);
    } else if (st) {
      load_statements(L, st, &c->dms[i]);
    } else if (rk && !L->doc.errors) {
      if (!R.codes) {
        R.count = gm_list_feasible(c, MAX_RANKED_STATES, &R.codes);
        R.level = calloc(R.count ? R.count : 1, sizeof *R.level);
      }
      if (!R.codes || !R.level)
        pl_json_fail(&L->doc, NULL, "out of memory");
      else if (R.count > MAX_RANKED_STATES)
        pl_json_fail(&L->doc, rk,
                     "explicit rankings need at most %u feasible states; "
                     "use option statements",
                     MAX_RANKED_STATES);
      else
        load_ranking(L, rk, &c->dms[i], &R);
    } else if (!rk && !json_object_get(js, "ranking")) {
      pl_json_fail(&L->doc, js,
                   "decision maker '%s' has no \"preferences\" (option "
                   "statements) nor \"ranking\"",
                   c->dms[i].name);
    }
  }
  free(R.codes);
  free(R.level);
}

void gm_conflict_from_json_root(gm_loader *L) {
  pl_conflict *c = L->c;
  c->format = "parley";
  pl_json_check_keys(&L->doc, L->root, "the conflict", TOP_KEYS, true);
  const json_t *ver = json_object_get(L->root, "conflict");
  if (ver && !(json_is_integer(ver) && json_integer_value(ver) == 1))
    pl_json_fail(&L->doc, ver,
                 "\"conflict\" is the format version and must be 1");
  c->name = pl_json_get_string(&L->doc, &L->c->arena, L->root, "name", false,
                               "the conflict");
  c->title = pl_json_get_string(&L->doc, &L->c->arena, L->root, "title", false,
                                "the conflict");
  c->description = pl_json_get_string(&L->doc, &L->c->arena, L->root,
                                      "description", false, "the conflict");
  load_dms(L);
  if (L->doc.errors || !c->n)
    return; /* everything else names the options */
  load_rules(L);
  load_states(L);
  load_coalitions(L);
  load_preferences(L);
}
