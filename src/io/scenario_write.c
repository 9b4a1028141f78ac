/* scenario_write.c - writing a scenario back as parley JSON.
 *
 * The document is one the loader (scenario_json.c) reads back to an
 * identical model: every real is printed with 17 significant digits, so it
 * parses to the same double, and value functions become tables that the
 * loader's interpolation turns back into exactly the same values.
 */
#include "model/scenario.h"
#include "util/json_write.h"

#include <jansson.h>
#include <stdio.h>

/* Building the document can only fail for lack of memory. */
typedef struct writer {
  const pl_scenario *s;
} writer;

/* ---- Small builders: each takes ownership of `v`, NULL meaning failure. */

static bool put(json_t *obj, const char *key, json_t *v) {
  return v && json_object_set_new(obj, key, v) == 0;
}

static bool push(json_t *arr, json_t *v) {
  return v && json_array_append_new(arr, v) == 0;
}

static bool put_text(json_t *obj, const char *key, const char *text) {
  return !text || put(obj, key, json_string(text));
}

/* Drops a half-built node and reports failure. */
static json_t *discard(json_t *v) {
  json_decref(v);
  return NULL;
}

/* A value of a numeric issue: integers as JSON integers (exact below 2^53,
 * which the loader enforces), reals as reals. */
static json_t *issue_number(const pl_issue *is, double x) {
  return is->kind == PL_ISSUE_INTEGER ? json_integer((json_int_t)x)
                                      : json_real(x);
}

/* ---- Issues ----------------------------------------------------------------
 */

static bool put_range(json_t *o, const pl_issue *is) {
  if (is->kind == PL_ISSUE_INTEGER)
    return put(o, "type", json_string("integer")) &&
           put(o, "min", issue_number(is, is->min)) &&
           put(o, "max", issue_number(is, is->max)) &&
           put(o, "step", issue_number(is, is->step));
  return put(o, "type", json_string("real")) &&
         put(o, "min", json_real(is->min)) &&
         put(o, "max", json_real(is->max)) &&
         put(o, "count", json_integer(is->nvalues));
}

static bool put_options(json_t *o, const pl_issue *is) {
  json_t *opts = json_array();
  bool ok =
      put(o, "type", json_string("categorical")) && put(o, "options", opts);
  for (uint32_t k = 0; ok && k < is->nvalues; k++)
    ok = push(opts, json_string(is->labels[k]));
  return ok;
}

static json_t *issue_json(const pl_issue *is) {
  json_t *o = json_object();
  bool ok = o && put(o, "name", json_string(is->name)) &&
            put_text(o, "description", is->description) &&
            (is->kind == PL_ISSUE_CATEGORICAL ? put_options(o, is)
                                              : put_range(o, is));
  return ok ? o : discard(o);
}

/* ---- Value functions
 * --------------------------------------------------------- */

/* {"shape": shape, key: value}, taking ownership of `value`. */
static json_t *shape_object(const char *shape, const char *key, json_t *value) {
  json_t *o = json_object();
  if (!o || !put(o, "shape", json_string(shape))) {
    json_decref(value);
    return discard(o);
  }
  return put(o, key, value) ? o : discard(o);
}

static bool push_point(json_t *pts, json_t *x, double v) {
  json_t *p = json_array();
  return push(pts, p) && push(p, x) && push(p, json_real(v));
}

/* A table with a point at every value of the issue: the loader returns a
 * point's value as written when x falls on it, so this reads back exactly
 * whatever shape the values came from. */
static json_t *numeric_values(const pl_issue *is, const double *v) {
  json_t *pts = json_array();
  bool ok = pts != NULL;
  for (uint32_t k = 0; ok && k < is->nvalues; k++)
    ok = push_point(pts, issue_number(is, is->numbers[k]), v[k]);
  return ok ? shape_object("table", "points", pts) : discard(pts);
}

static json_t *categorical_values(const pl_issue *is, const double *v) {
  json_t *o = json_object();
  bool ok = o != NULL;
  for (uint32_t k = 0; ok && k < is->nvalues; k++)
    ok = put(o, is->labels[k], json_real(v[k]));
  return ok ? o : discard(o);
}

/* ---- Actors
 * ------------------------------------------------------------------ */

static json_t *weights_json(const pl_scenario *s, const pl_actor *a) {
  json_t *o = json_object();
  bool ok = o != NULL;
  for (uint32_t i = 0; ok && i < s->nissues; i++)
    if (a->weights[i] > 0)
      ok = put(o, s->issues[i].name, json_real(a->weights[i]));
  return ok ? o : discard(o);
}

/* Every issue with a value table, weighted or not, so nothing is lost. */
static json_t *values_json(writer *w, const pl_actor *a) {
  const pl_scenario *s = w->s;
  json_t *o = json_object();
  bool ok = o != NULL;
  for (uint32_t i = 0; ok && i < s->nissues; i++) {
    const pl_issue *is = &s->issues[i];
    if (a->values[i])
      ok = put(o, is->name,
               is->kind == PL_ISSUE_CATEGORICAL
                   ? categorical_values(is, a->values[i])
                   : numeric_values(is, a->values[i]));
  }
  return ok ? o : discard(o);
}

/* A named rule as {"name", "rule"}, an unnamed one as its text. */
static json_t *rule_json(const pl_rule *r) {
  if (!r->name)
    return json_string(r->text);
  json_t *o = json_object();
  bool ok = o && put(o, "name", json_string(r->name)) &&
            put(o, "rule", json_string(r->text));
  return ok ? o : discard(o);
}

static json_t *rules_json(const pl_rule *rules, uint32_t n) {
  json_t *arr = json_array();
  bool ok = arr != NULL;
  for (uint32_t k = 0; ok && k < n; k++)
    ok = push(arr, rule_json(&rules[k]));
  return ok ? arr : discard(arr);
}

static bool put_party_fields(json_t *o, const pl_actor *a) {
  return put(o, "reservation", json_real(a->threshold));
}

static bool put_ratifier_fields(json_t *o, const pl_scenario *s,
                                const pl_actor *a) {
  return (a->party < 0 ||
          put(o, "party", json_string(s->actors[a->party].name))) &&
         put(o, "threshold", json_real(a->threshold));
}

/* GENIUS hyperrectangles: ranges written as issue numbers, so the loader
 * maps them back to the same value indices. */
static json_t *boxes_json(const pl_scenario *s, const pl_actor *a) {
  json_t *list = json_array();
  bool ok = list != NULL;
  for (uint32_t b = 0; ok && b < a->nboxes; b++) {
    const pl_box *bx = &a->boxes[b];
    json_t *ranges = json_object();
    ok = ranges != NULL;
    for (uint32_t r = 0; ok && r < bx->nranges; r++) {
      const pl_issue *is = &s->issues[bx->issue[r]];
      json_t *pair = json_array();
      bool empty = bx->lo[r] > bx->hi[r]; /* matches no value */
      ok =
          push(pair, json_real(empty ? is->max + 1 : is->numbers[bx->lo[r]])) &&
          push(pair, json_real(empty ? is->max + 1 : is->numbers[bx->hi[r]])) &&
          put(ranges, is->name, pair);
    }
    json_t *box = json_object();
    ok = ok && box && put(box, "utility", json_real(bx->utility)) &&
         put(box, "ranges", ranges) && push(list, box);
  }
  json_t *o = json_object();
  ok = ok && o && put(o, "scale", json_real(a->box_scale)) &&
       put(o, "list", list);
  return ok ? o : discard(o);
}

static json_t *actor_json(writer *w, const pl_actor *a) {
  bool party = a->kind == PL_PARTY;
  json_t *o = json_object();
  bool ok =
      o && put(o, "name", json_string(a->name)) &&
      put_text(o, "description", a->description) &&
      (party ? put_party_fields(o, a) : put_ratifier_fields(o, w->s, a)) &&
      put(o, "weights", weights_json(w->s, a)) &&
      put(o, "values", values_json(w, a));
  if (ok && party && a->nred_lines)
    ok = put(o, "red_lines", rules_json(a->red_lines, a->nred_lines));
  if (ok && party && a->discount != 1)
    ok = put(o, "discount", json_real(a->discount));
  if (ok && a->capped != (w->s->reading == PL_READING_GENIUS))
    ok = put(o, "capped", json_boolean(a->capped));
  if (ok && a->nboxes)
    ok = put(o, "boxes", boxes_json(w->s, a));
  return ok ? o : discard(o);
}

static json_t *actors_json(writer *w, uint32_t from, uint32_t to) {
  json_t *arr = json_array();
  bool ok = arr != NULL;
  for (uint32_t a = from; ok && a < to; a++)
    ok = push(arr, actor_json(w, &w->s->actors[a]));
  return ok ? arr : discard(arr);
}

/* ---- Proposals
 * --------------------------------------------------------------- */

static json_t *outcome_json(const pl_scenario *s, const uint32_t *values) {
  json_t *o = json_object();
  bool ok = o != NULL;
  for (uint32_t i = 0; ok && i < s->nissues; i++) {
    const pl_issue *is = &s->issues[i];
    ok = put(o, is->name,
             is->kind == PL_ISSUE_CATEGORICAL
                 ? json_string(is->labels[values[i]])
                 : issue_number(is, is->numbers[values[i]]));
  }
  return ok ? o : discard(o);
}

static json_t *proposal_json(const pl_scenario *s, const pl_proposal *p) {
  json_t *o = json_object();
  bool ok = o && put(o, "name", json_string(p->name)) &&
            put_text(o, "description", p->description) &&
            put_text(o, "by", p->by) &&
            put(o, "outcome", outcome_json(s, p->values));
  return ok ? o : discard(o);
}

static json_t *proposals_json(const pl_scenario *s) {
  json_t *arr = json_array();
  bool ok = arr != NULL;
  for (uint32_t k = 0; ok && k < s->nproposals; k++)
    ok = push(arr, proposal_json(s, &s->proposals[k]));
  return ok ? arr : discard(arr);
}

/* ---- Whole document
 * ------------------------------------------------------------ */

static json_t *issues_json(const pl_scenario *s) {
  json_t *arr = json_array();
  bool ok = arr != NULL;
  for (uint32_t i = 0; ok && i < s->nissues; i++)
    ok = push(arr, issue_json(&s->issues[i]));
  return ok ? arr : discard(arr);
}

/* Empty optional sections are left out. */
static json_t *scenario_json(writer *w) {
  const pl_scenario *s = w->s;
  uint32_t np = s->nparties, na = pl_num_actors(s);
  json_t *o = json_object();
  bool ok = o && put(o, "parley", json_integer(1)) &&
            put_text(o, "name", s->name) && put_text(o, "title", s->title) &&
            put_text(o, "description", s->description) &&
            (s->reading == PL_READING_PARLEY ||
             put(o, "reading", json_string(pl_scenario_reading(s)))) &&
            put(o, "issues", issues_json(s)) &&
            put(o, "parties", actors_json(w, 0, np));
  if (ok && s->nratifiers)
    ok = put(o, "ratifiers", actors_json(w, np, na));
  if (ok && s->nconstraints)
    ok = put(o, "constraints", rules_json(s->constraints, s->nconstraints));
  if (ok && s->nproposals)
    ok = put(o, "proposals", proposals_json(s));
  return ok ? o : discard(o);
}

pl_status pl_scenario_write_json(const pl_scenario *s, FILE *out) {
  writer w = {.s = s};
  json_t *root = scenario_json(&w);
  if (!root)
    return PL_ENOMEM;
  int rc = pl_json_write(root, out);
  json_decref(root);
  /* Flush so that a full disk shows up here and not at fclose. */
  if (rc != 0 || fputc('\n', out) == EOF || fflush(out) != 0 || ferror(out))
    return PL_EIO;
  return PL_OK;
}
