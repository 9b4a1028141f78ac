#include "model/scenario.h"

#include "util/fmt.h"
#include "util/labels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rules over issues whose combinations number at most this get a truth
 * table (one byte per combination). */
enum { RULE_TABLE_MAX = 1 << 20 };

const char *pl_version(void) { return PL_VERSION_STRING; }

pl_scenario *pl_scenario_new(void) {
  pl_scenario *s = calloc(1, sizeof *s);
  if (s)
    pl_arena_init(&s->arena);
  return s;
}

void pl_scenario_free(pl_scenario *s) {
  if (!s)
    return;
  for (uint32_t i = 0; i < s->nexprs; i++)
    pl_expr_free(s->exprs[i]);
  free(s->exprs);
  pl_arena_release(&s->arena);
  free(s);
}

static bool remember_expr(pl_scenario *s, pl_expr *e) {
  if (s->nexprs == s->cap_exprs) {
    uint32_t cap = s->cap_exprs ? s->cap_exprs * 2 : 16;
    pl_expr **p = realloc(s->exprs, cap * sizeof *p);
    if (!p)
      return false;
    s->exprs = p;
    s->cap_exprs = cap;
  }
  s->exprs[s->nexprs++] = e;
  return true;
}

/* Evaluates the rule on every combination of its issues once, so that the
 * hot loops of the analysis only index a table. */
static void build_rule_table(pl_scenario *s, pl_rule *r) {
  uint64_t combos = 1;
  for (uint32_t k = 0; k < r->nrefs; k++) {
    combos *= s->issues[r->refs[k]].nvalues;
    if (combos > RULE_TABLE_MAX)
      return;
  }
  r->strides =
      pl_arena_calloc(&s->arena, r->nrefs ? r->nrefs : 1, sizeof *r->strides);
  uint8_t *table = pl_arena_alloc(&s->arena, combos);
  uint32_t *values = calloc(s->nissues ? s->nissues : 1, sizeof *values);
  if (!r->strides || !table || !values) {
    free(values);
    return;
  }
  uint64_t stride = 1;
  for (uint32_t k = r->nrefs; k-- > 0;) {
    r->strides[k] = stride;
    stride *= s->issues[r->refs[k]].nvalues;
  }
  for (uint64_t c = 0; c < combos; c++) {
    for (uint32_t k = 0; k < r->nrefs; k++)
      values[r->refs[k]] =
          (uint32_t)(c / r->strides[k] % s->issues[r->refs[k]].nvalues);
    table[c] = pl_expr_eval(r->expr, values);
  }
  free(values);
  r->table = table;
}

bool pl_rule_compile(pl_scenario *s, pl_rule *r, const char *text, int *col,
                     char *msg, size_t msglen) {
  pl_expr_issue *view = calloc(s->nissues ? s->nissues : 1, sizeof *view);
  if (!view) {
    *col = 0;
    snprintf(msg, msglen, "out of memory");
    return false;
  }
  for (uint32_t i = 0; i < s->nissues; i++) {
    view[i].name = s->issues[i].name;
    view[i].kind = s->issues[i].kind;
    view[i].nvalues = s->issues[i].nvalues;
    view[i].labels = (const char *const *)s->issues[i].labels;
    view[i].numbers = s->issues[i].numbers;
  }
  pl_expr *e = pl_expr_compile(text, view, s->nissues, col, msg, msglen);
  free(view);
  if (!e)
    return false;
  if (!remember_expr(s, e)) {
    pl_expr_free(e);
    *col = 0;
    snprintf(msg, msglen, "out of memory");
    return false;
  }
  r->text = pl_arena_strdup(&s->arena, text);
  r->expr = e;
  r->nrefs = pl_expr_num_refs(e);
  r->refs = pl_expr_refs(e);
  r->table = NULL;
  build_rule_table(s, r);
  return true;
}

bool pl_rule_holds(const pl_rule *r, const uint32_t *values) {
  if (!r->table)
    return pl_expr_eval(r->expr, values);
  uint64_t c = 0;
  for (uint32_t k = 0; k < r->nrefs; k++)
    c += values[r->refs[k]] * r->strides[k];
  return r->table[c];
}

bool pl_rules_hold(const pl_scenario *s, int32_t party,
                   const uint32_t *values) {
  for (uint32_t c = 0; c < s->nconstraints; c++)
    if (!pl_rule_holds(&s->constraints[c], values))
      return false;
  if (party >= 0) {
    const pl_actor *a = &s->actors[party];
    for (uint32_t k = 0; k < a->nred_lines; k++)
      if (!pl_rule_holds(&a->red_lines[k], values))
        return false;
  }
  return true;
}

bool pl_all_rules_hold(const pl_scenario *s, const uint32_t *values) {
  if (!pl_rules_hold(s, -1, values))
    return false;
  for (uint32_t p = 0; p < s->nparties; p++) {
    const pl_actor *a = &s->actors[p];
    for (uint32_t k = 0; k < a->nred_lines; k++)
      if (!pl_rule_holds(&a->red_lines[k], values))
        return false;
  }
  return true;
}

double pl_actor_extreme_sum(const pl_scenario *s, uint32_t a, bool largest) {
  double u = 0;
  for (uint32_t i = 0; i < s->nissues; i++) {
    const double *t = s->term[a] + s->offset[i];
    double m = s->issues[i].nvalues ? t[0] : 0.0;
    for (uint32_t v = 1; v < s->issues[i].nvalues; v++)
      m = largest ? fmax(m, t[v]) : fmin(m, t[v]);
    u += m;
  }
  return u;
}

bool pl_scenario_finish(pl_scenario *s) {
  s->offset = pl_arena_calloc(&s->arena, s->nissues + 1, sizeof *s->offset);
  if (!s->offset)
    return false;
  uint64_t total = 0;
  for (uint32_t i = 0; i < s->nissues; i++) {
    s->offset[i] = (uint32_t)total;
    total += s->issues[i].nvalues;
    if (total > UINT32_MAX)
      return false;
  }
  s->offset[s->nissues] = (uint32_t)total;
  s->total_values = (uint32_t)total;
  uint32_t na = pl_num_actors(s);
  s->term = pl_arena_calloc(&s->arena, na ? na : 1, sizeof *s->term);
  if (!s->term)
    return false;
  for (uint32_t a = 0; a < na; a++) {
    const pl_actor *act = &s->actors[a];
    double *t = pl_arena_calloc(&s->arena, total ? total : 1, sizeof *t);
    if (!t)
      return false;
    for (uint32_t i = 0; i < s->nissues; i++)
      for (uint32_t v = 0; v < s->issues[i].nvalues; v++)
        t[s->offset[i] + v] =
            act->values[i] ? act->weights[i] * act->values[i][v] : 0.0;
    s->term[a] = t;
  }
  pl_scenario_terms_changed(s);
  return true;
}

void pl_scenario_terms_changed(pl_scenario *s) {
  s->nonadditive = s->has_boxes = s->has_caps = false;
  for (uint32_t a = 0; a < pl_num_actors(s); a++) {
    pl_actor *act = &s->actors[a];
    act->cap_binds = act->capped && pl_actor_extreme_sum(s, a, true) > 1.0;
    s->nonadditive |= act->cap_binds || act->nboxes > 0;
    s->has_boxes |= act->nboxes > 0;
    s->has_caps |= act->capped;
  }
}

static bool box_contains(const pl_box *b, const uint32_t *values) {
  for (uint32_t r = 0; r < b->nranges; r++) {
    uint32_t v = values[b->issue[r]];
    if (v < b->lo[r] || v > b->hi[r])
      return false;
  }
  return true;
}

bool pl_actor_values_alike(const pl_scenario *s, uint32_t a, uint32_t i,
                           uint32_t v, uint32_t w) {
  const pl_actor *x = &s->actors[a];
  if (s->term[a][s->offset[i] + v] != s->term[a][s->offset[i] + w])
    return false;
  for (uint32_t b = 0; b < x->nboxes; b++) {
    const pl_box *bx = &x->boxes[b];
    for (uint32_t r = 0; r < bx->nranges; r++) {
      if (bx->issue[r] != i)
        continue;
      bool in_v = v >= bx->lo[r] && v <= bx->hi[r];
      bool in_w = w >= bx->lo[r] && w <= bx->hi[r];
      if (in_v != in_w)
        return false;
    }
  }
  return true;
}

double pl_actor_finish(const pl_actor *a, double sum, const uint32_t *values) {
  if (a->nboxes) {
    double boxes = 0;
    for (uint32_t b = 0; b < a->nboxes; b++)
      if (box_contains(&a->boxes[b], values))
        boxes += a->boxes[b].utility;
    sum += boxes * a->box_scale;
  }
  return a->capped && sum > 1.0 ? 1.0 : sum;
}

double pl_actor_utility(const pl_scenario *s, uint32_t a,
                        const uint32_t *values) {
  const double *t = s->term[a];
  double u = 0;
  for (uint32_t i = 0; i < s->nissues; i++)
    u += t[s->offset[i] + values[i]];
  return s->nonadditive ? pl_actor_finish(&s->actors[a], u, values) : u;
}

int32_t pl_find_issue(const pl_scenario *s, const char *name) {
  for (uint32_t i = 0; i < s->nissues; i++)
    if (s->issues[i].name && strcmp(s->issues[i].name, name) == 0)
      return (int32_t)i;
  return -1;
}

bool pl_issue_index_labels(pl_arena *a, pl_issue *is) {
  is->by_label =
      pl_arena_calloc(a, is->nvalues ? is->nvalues : 1, sizeof *is->by_label);
  if (is->by_label && pl_labels_sort(is->labels, is->nvalues, is->by_label))
    return true;
  is->by_label = NULL;
  return false;
}

int64_t pl_issue_find_label(const pl_issue *is, const char *label) {
  if (is->by_label)
    return pl_labels_find(is->labels, is->by_label, is->nvalues, label);
  for (uint32_t k = 0; k < is->nvalues; k++)
    if (!strcmp(is->labels[k], label))
      return k;
  return -1;
}

int32_t pl_find_actor(const pl_scenario *s, const char *name) {
  for (uint32_t a = 0; a < pl_num_actors(s); a++)
    if (s->actors[a].name && strcmp(s->actors[a].name, name) == 0)
      return (int32_t)a;
  return -1;
}

bool pl_space_size(const pl_scenario *s, uint64_t *count) {
  uint64_t n = 1;
  for (uint32_t i = 0; i < s->nissues; i++) {
    uint64_t k = s->issues[i].nvalues;
    if (k && n > UINT64_MAX / k) {
      *count = UINT64_MAX;
      return false;
    }
    n *= k;
  }
  *count = n;
  return true;
}

void pl_index_to_values(const pl_scenario *s, uint64_t index,
                        uint32_t *values) {
  for (uint32_t i = s->nissues; i-- > 0;) {
    uint32_t k = s->issues[i].nvalues;
    values[i] = (uint32_t)(index % k);
    index /= k;
  }
}

uint64_t pl_values_to_index(const pl_scenario *s, const uint32_t *values) {
  uint64_t index = 0;
  for (uint32_t i = 0; i < s->nissues; i++)
    index = index * s->issues[i].nvalues + values[i];
  return index;
}

/* ---- Public accessors ---- */

const char *pl_scenario_name(const pl_scenario *s) { return s->name; }
const char *pl_scenario_title(const pl_scenario *s) {
  return s->title ? s->title : s->name;
}
uint32_t pl_scenario_num_issues(const pl_scenario *s) { return s->nissues; }
uint32_t pl_scenario_num_parties(const pl_scenario *s) { return s->nparties; }
uint32_t pl_scenario_num_ratifiers(const pl_scenario *s) {
  return s->nratifiers;
}
const char *pl_issue_name(const pl_scenario *s, uint32_t issue) {
  return issue < s->nissues ? s->issues[issue].name : NULL;
}
uint32_t pl_issue_num_values(const pl_scenario *s, uint32_t issue) {
  return issue < s->nissues ? s->issues[issue].nvalues : 0;
}
const char *pl_party_name(const pl_scenario *s, uint32_t party) {
  return party < s->nparties ? s->actors[party].name : NULL;
}
const char *pl_ratifier_name(const pl_scenario *s, uint32_t ratifier) {
  return ratifier < s->nratifiers ? s->actors[s->nparties + ratifier].name
                                  : NULL;
}
bool pl_scenario_num_outcomes(const pl_scenario *s, uint64_t *count) {
  return pl_space_size(s, count);
}
double pl_party_utility(const pl_scenario *s, uint32_t party,
                        const uint32_t *values) {
  return pl_actor_utility(s, party, values);
}
double pl_ratifier_utility(const pl_scenario *s, uint32_t ratifier,
                           const uint32_t *values) {
  return pl_actor_utility(s, s->nparties + ratifier, values);
}
bool pl_outcome_feasible(const pl_scenario *s, const uint32_t *values) {
  return pl_rules_hold(s, -1, values);
}

size_t pl_issue_value_text(const pl_scenario *s, uint32_t issue, uint32_t value,
                           char *buf, size_t len) {
  const pl_issue *is = &s->issues[issue];
  if (is->kind == PL_ISSUE_CATEGORICAL) {
    int n = snprintf(buf, len, "%s", is->labels[value]);
    return n < 0 ? 0 : (size_t)n;
  }
  /* Real values are points of a grid computed from the range. */
  return is->kind == PL_ISSUE_REAL
             ? pl_fmt_computed(buf, len, is->numbers[value])
             : pl_fmt_number(buf, len, is->numbers[value]);
}

/* ---- Satisfiability of the rules ---------------------------------------- */

typedef struct sat_search {
  const pl_scenario *s;
  const pl_rule **rules;
  uint32_t nrules;
  uint32_t issues[PL_MAX_ISSUES]; /* referenced issues, ascending */
  uint32_t nissues;
  uint32_t *values;
  uint64_t budget;
} sat_search;

/* The rules whose last referenced issue is `issue` become decidable once
 * that issue is assigned: check them there, to prune early. */
static bool decidable_rules_hold(const sat_search *q, uint32_t issue) {
  for (uint32_t k = 0; k < q->nrules; k++) {
    const pl_rule *r = q->rules[k];
    uint32_t last = r->nrefs ? r->refs[r->nrefs - 1] : 0;
    if (r->nrefs && last == issue && !pl_rule_holds(r, q->values))
      return false;
  }
  return true;
}

static int sat_dfs(sat_search *q, uint32_t depth) {
  if (depth == q->nissues)
    return 1;
  uint32_t issue = q->issues[depth];
  bool unknown = false;
  for (uint32_t v = 0; v < q->s->issues[issue].nvalues; v++) {
    if (q->budget-- == 0)
      return -1;
    q->values[issue] = v;
    if (!decidable_rules_hold(q, issue))
      continue;
    int r = sat_dfs(q, depth + 1);
    if (r == 1)
      return 1;
    unknown |= r < 0;
  }
  return unknown ? -1 : 0;
}

int pl_rules_satisfiable(const pl_scenario *s, int32_t party) {
  const pl_actor *a = party >= 0 ? &s->actors[party] : NULL;
  uint32_t n = s->nconstraints + (a ? a->nred_lines : 0);
  sat_search q = {.s = s, .budget = 10000000};
  q.rules = calloc(n ? n : 1, sizeof *q.rules);
  q.values = calloc(s->nissues ? s->nissues : 1, sizeof *q.values);
  if (!q.rules || !q.values) {
    free(q.rules);
    free(q.values);
    return -1;
  }
  bool used[PL_MAX_ISSUES] = {false};
  for (uint32_t k = 0; k < n; k++) {
    const pl_rule *r = k < s->nconstraints ? &s->constraints[k]
                                           : &a->red_lines[k - s->nconstraints];
    q.rules[q.nrules++] = r;
    for (uint32_t j = 0; j < r->nrefs; j++)
      used[r->refs[j]] = true;
  }
  for (uint32_t i = 0; i < s->nissues; i++)
    if (used[i])
      q.issues[q.nissues++] = i;
  /* Rules with no issue at all ("false") are decided up front. */
  int result = 1;
  for (uint32_t k = 0; k < q.nrules; k++)
    if (q.rules[k]->nrefs == 0 && !pl_rule_holds(q.rules[k], q.values))
      result = 0;
  if (result)
    result = sat_dfs(&q, 0);
  free(q.rules);
  free(q.values);
  return result;
}

const char *pl_scenario_reading(const pl_scenario *s) {
  static const char *const names[] = {"parley", "genius", "raw"};
  return names[s->reading];
}

static bool rule_mentions(const pl_rule *r, const bool *issues) {
  for (uint32_t k = 0; k < r->nrefs; k++)
    if (issues[r->refs[k]])
      return true;
  return false;
}

bool pl_rules_mention(const pl_scenario *s, const bool *issues) {
  for (uint32_t k = 0; k < s->nconstraints; k++)
    if (rule_mentions(&s->constraints[k], issues))
      return true;
  for (uint32_t p = 0; p < s->nparties; p++)
    for (uint32_t k = 0; k < s->actors[p].nred_lines; k++)
      if (rule_mentions(&s->actors[p].red_lines[k], issues))
        return true;
  return false;
}

const pl_rule **pl_scenario_all_rules(const pl_scenario *s, uint32_t *n) {
  uint32_t total = s->nconstraints;
  for (uint32_t p = 0; p < s->nparties; p++)
    total += s->actors[p].nred_lines;
  const pl_rule **rules = calloc(total ? total : 1, sizeof *rules);
  *n = 0;
  if (!rules)
    return NULL;
  for (uint32_t c = 0; c < s->nconstraints; c++)
    rules[(*n)++] = &s->constraints[c];
  for (uint32_t p = 0; p < s->nparties; p++)
    for (uint32_t k = 0; k < s->actors[p].nred_lines; k++)
      rules[(*n)++] = &s->actors[p].red_lines[k];
  return rules;
}
