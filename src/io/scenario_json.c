/* scenario_json.c - reading parley scenario files (docs/scenario-format.md).
 *
 * The loader does not stop at the first problem: `parley validate` reports
 * every problem it can find, each with the file, line and column of the
 * value at fault, so a user fixes a file in one pass.
 */
#define _POSIX_C_SOURCE 200809L /* fileno, fstat */
#include "io/json_doc.h"
#include "io/scenario_extra.h"
#include "io/scenario_io.h"
#include "model/scenario.h"
#include "util/diag.h"
#include "util/fmt.h"
#include "util/labels.h"
#include "util/suggest.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Files larger than this are refused before parsing. */
#define MAX_FILE_BYTES (256u << 20)

typedef struct loader {
  pl_json_doc doc; /* text, file, positions, diagnostics, error count */
  /* "reading" other than parley (a converted GENIUS scenario): weights
   * need not sum to 1 and values may exceed 1, as in the original. */
  bool imported;
  pl_scenario *s;
  const json_t *root;
} loader;

/* ---- Issues -------------------------------------------------------------- */

/* The keys each kind of issue takes: a key of another kind is an error,
 * not silently ignored. */
static const char *const CATEGORICAL_KEYS[] = {"name", "type", "options", NULL};
static const char *const INTEGER_KEYS[] = {"name", "type", "min",
                                           "max",  "step", NULL};
static const char *const REAL_KEYS[] = {"name", "type",  "min",
                                        "max",  "count", NULL};
static const char *const ANY_ISSUE_KEYS[] = {"name", "type", "options", "min",
                                             "max",  "step", "count",   NULL};

/* Sorts the options for lookups by name and reports each repeated one. */
static bool index_labels(loader *L, const json_t *opts, pl_issue *is) {
  bool *repeat = malloc(is->nvalues * sizeof *repeat);
  if (!repeat || !pl_issue_index_labels(&L->s->arena, is)) {
    free(repeat);
    pl_json_fail(&L->doc, opts, "out of memory");
    return false;
  }
  pl_labels_repeats(is->labels, is->by_label, is->nvalues, repeat);
  uint32_t twice = 0;
  for (uint32_t k = 0; k < is->nvalues; k++)
    if (repeat[k] && ++twice <= PL_LISTED_MAX)
      pl_json_fail(&L->doc, json_array_get(opts, k),
                   "option \"%s\" of issue '%s' is listed twice", is->labels[k],
                   is->name);
  if (twice > PL_LISTED_MAX)
    pl_json_fail(&L->doc, opts,
                 "and %u more options of issue '%s' are listed twice (%u in "
                 "all)",
                 twice - PL_LISTED_MAX, is->name, twice);
  free(repeat);
  return twice == 0;
}

static bool load_categorical(loader *L, const json_t *js, pl_issue *is) {
  const json_t *opts =
      pl_json_get_array(&L->doc, js, "options", true, "a categorical issue");
  if (!opts)
    return false;
  size_t n = json_array_size(opts);
  if (n == 0) {
    pl_json_fail(&L->doc, opts, "issue '%s' has no options; list at least one",
                 is->name);
    return false;
  }
  if (n > PL_MAX_VALUES) {
    pl_json_fail(&L->doc, opts,
                 "issue '%s' has %zu options; at most %d are supported",
                 is->name, n, PL_MAX_VALUES);
    return false;
  }
  is->labels = pl_arena_calloc(&L->s->arena, n, sizeof *is->labels);
  bool ok = true;
  for (size_t k = 0; k < n; k++) {
    const json_t *o = json_array_get(opts, k);
    if (!json_is_string(o)) {
      pl_json_fail(&L->doc, o,
                   "option %zu of issue '%s' must be a string, not %s", k + 1,
                   is->name, pl_json_type_name(o));
      ok = false;
      continue;
    }
    is->labels[k] = pl_arena_strdup(&L->s->arena, json_string_value(o));
  }
  is->nvalues = (uint32_t)n;
  return ok && index_labels(L, opts, is);
}

static bool load_integer(loader *L, const json_t *js, pl_issue *is) {
  const double big = 9007199254740992.0; /* 2^53: exact in a double */
  double lo, hi, step = 1;
  bool ok = pl_json_get_number(&L->doc, js, "min", true, "an integer issue",
                               -big, big, &lo);
  ok &= pl_json_get_number(&L->doc, js, "max", true, "an integer issue", -big,
                           big, &hi);
  if (json_object_get(js, "step"))
    ok &= pl_json_get_number(&L->doc, js, "step", false, "an integer issue", 1,
                             big, &step);
  if (!ok)
    return false;
  if (lo != floor(lo) || hi != floor(hi) || step != floor(step)) {
    pl_json_fail(&L->doc, js,
                 "integer issue '%s' needs whole numbers for min, max, step",
                 is->name);
    return false;
  }
  if (hi < lo) {
    pl_json_fail(&L->doc, json_object_get(js, "max"),
                 "issue '%s': max is below min; the range is empty", is->name);
    return false;
  }
  if (fmod(hi - lo, step) != 0) {
    pl_json_fail(&L->doc, json_object_get(js, "max"),
                 "issue '%s': max must be min plus a whole number of steps",
                 is->name);
    return false;
  }
  double count = (hi - lo) / step + 1;
  if (count > PL_MAX_VALUES) {
    pl_json_fail(&L->doc, js,
                 "issue '%s' has %.0f values; at most %d are supported",
                 is->name, count, PL_MAX_VALUES);
    return false;
  }
  is->nvalues = (uint32_t)count;
  is->numbers = pl_arena_calloc(&L->s->arena, is->nvalues, sizeof(double));
  for (uint32_t k = 0; k < is->nvalues; k++)
    is->numbers[k] = lo + step * k;
  is->min = lo;
  is->max = hi;
  is->step = step;
  return true;
}

static bool load_real(loader *L, const json_t *js, pl_issue *is) {
  double lo, hi, count;
  bool ok = pl_json_get_number(&L->doc, js, "min", true, "a real issue", -1e300,
                               1e300, &lo);
  ok &= pl_json_get_number(&L->doc, js, "max", true, "a real issue", -1e300,
                           1e300, &hi);
  ok &= pl_json_get_number(&L->doc, js, "count", true, "a real issue", 1,
                           PL_MAX_VALUES, &count);
  if (!ok)
    return false;
  if (count != floor(count)) {
    pl_json_fail(&L->doc, json_object_get(js, "count"),
                 "issue '%s': count must be a whole number of values",
                 is->name);
    return false;
  }
  if (hi < lo || (hi > lo && count < 2) || (hi == lo && count != 1)) {
    pl_json_fail(
        &L->doc, js,
        "issue '%s': need min < max with count >= 2 (both ends included), "
        "or min == max with count 1",
        is->name);
    return false;
  }
  is->nvalues = (uint32_t)count;
  is->numbers = pl_arena_calloc(&L->s->arena, is->nvalues, sizeof(double));
  for (uint32_t k = 0; k < is->nvalues; k++)
    is->numbers[k] = k + 1 == is->nvalues
                         ? hi /* exactly max, without rounding drift */
                         : lo + (hi - lo) * k / (is->nvalues - 1);
  is->min = lo;
  is->max = hi;
  return true;
}

static bool load_issue(loader *L, const json_t *js, pl_issue *is) {
  if (!json_is_object(js)) {
    pl_json_fail(&L->doc, js, "an issue must be an object, not %s",
                 pl_json_type_name(js));
    return false;
  }
  is->name =
      pl_json_get_string(&L->doc, &L->s->arena, js, "name", true, "an issue");
  is->description = pl_json_get_string(&L->doc, &L->s->arena, js, "description",
                                       false, "an issue");
  const char *type =
      pl_json_get_string(&L->doc, &L->s->arena, js, "type", true, "an issue");
  const char *const *keys = !type                          ? ANY_ISSUE_KEYS
                            : !strcmp(type, "categorical") ? CATEGORICAL_KEYS
                            : !strcmp(type, "integer")     ? INTEGER_KEYS
                            : !strcmp(type, "real")        ? REAL_KEYS
                                                           : ANY_ISSUE_KEYS;
  char what[300];
  if (keys == ANY_ISSUE_KEYS)
    snprintf(what, sizeof what, "an issue");
  else
    snprintf(what, sizeof what, "%s %s issue",
             keys == INTEGER_KEYS ? "an" : "a", type);
  pl_json_check_keys(&L->doc, js, what, keys, true);
  if (!is->name || !type)
    return false;
  if (!*is->name) {
    pl_json_fail(&L->doc, json_object_get(js, "name"),
                 "an issue name cannot be empty");
    return false;
  }
  if (!strcmp(type, "categorical")) {
    is->kind = PL_ISSUE_CATEGORICAL;
    return load_categorical(L, js, is);
  }
  if (!strcmp(type, "integer")) {
    is->kind = PL_ISSUE_INTEGER;
    return load_integer(L, js, is);
  }
  if (!strcmp(type, "real")) {
    is->kind = PL_ISSUE_REAL;
    return load_real(L, js, is);
  }
  pl_json_fail(
      &L->doc, json_object_get(js, "type"),
      "issue '%s' has type \"%s\"; expected \"categorical\", \"integer\" "
      "or \"real\"",
      is->name, type);
  return false;
}

static bool load_issues(loader *L) {
  const json_t *arr =
      pl_json_get_array(&L->doc, L->root, "issues", true, "the scenario");
  if (!arr)
    return false;
  size_t n = json_array_size(arr);
  if (n == 0 || n > PL_MAX_ISSUES) {
    pl_json_fail(&L->doc, arr, "a scenario needs 1 to %d issues, not %zu",
                 PL_MAX_ISSUES, n);
    return false;
  }
  pl_scenario *s = L->s;
  s->issues = pl_arena_calloc(&s->arena, n, sizeof *s->issues);
  s->nissues = (uint32_t)n;
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    const json_t *js = json_array_get(arr, i);
    ok &= load_issue(L, js, &s->issues[i]);
    for (size_t j = 0; j < i && s->issues[i].name; j++)
      if (s->issues[j].name && !strcmp(s->issues[j].name, s->issues[i].name)) {
        pl_json_fail(&L->doc, json_object_get(js, "name"),
                     "issue '%s' is defined twice", s->issues[i].name);
        ok = false;
      }
  }
  return ok;
}

/* ---- Value functions ----------------------------------------------------- */

static void issue_names(const pl_scenario *s, const char **names) {
  for (uint32_t i = 0; i < s->nissues; i++)
    names[i] = s->issues[i].name;
}

/* Resolves an issue name used as a key; reports unknown names. */
static int32_t issue_by_key(loader *L, const char *key, const json_t *node,
                            const char *what) {
  int32_t i = pl_find_issue(L->s, key);
  if (i >= 0)
    return i;
  const char *names[PL_MAX_ISSUES];
  issue_names(L->s, names);
  const char *hint = pl_suggest(key, names, L->s->nissues);
  if (hint)
    pl_json_fail_key(&L->doc, node,
                     "%s names unknown issue '%s' (did you mean '%s'?)", what,
                     key, hint);
  else
    pl_json_fail_key(&L->doc, node, "%s names unknown issue '%s'", what, key);
  return -1;
}

static bool check_unit(loader *L, const json_t *v, const char *what,
                       double *out) {
  if (!json_is_number(v)) {
    pl_json_fail(&L->doc, v, "%s must be a number from 0 to 1, not %s", what,
                 pl_json_type_name(v));
    return false;
  }
  double x = json_number_value(v);
  if (!(x >= 0 && (x <= 1 || (L->imported && x <= 1e300)))) {
    char b[32];
    pl_fmt_number(b, sizeof b, x);
    pl_json_fail(&L->doc, v,
                 L->imported ? "%s is %s; it must be a finite number >= 0"
                             : "%s is %s; it must lie from 0 to 1",
                 what, b);
    return false;
  }
  *out = x;
  return true;
}

/* A number from 0 to 1, or (in a parley file) a distribution over that
 * range: its base value goes to *out and the parameter is registered as
 * uncertain (docs/scenario-format.md, section 13). */
static bool read_param(loader *L, const json_t *v, const char *what,
                       pl_param_kind kind, uint32_t actor, uint32_t issue,
                       uint32_t value, double *out) {
  if (!json_is_object(v) || L->imported)
    return check_unit(L, v, what, out);
  pl_dist d;
  if (!pl_read_dist(&L->doc, v, what, 0, 1, &d))
    return false;
  *out = d.base;
  if (pl_uncertain_add(L->s, kind, actor, issue, value, &d))
    return true;
  pl_json_fail(&L->doc, v, "out of memory");
  return false;
}

static bool load_categorical_values(loader *L, const json_t *fn,
                                    const pl_issue *is, double *out,
                                    const char *who, uint32_t actor,
                                    uint32_t issue) {
  if (!json_is_object(fn)) {
    pl_json_fail(&L->doc, fn,
                 "%s: the values of categorical issue '%s' must be an object "
                 "{option: value}, not %s",
                 who, is->name, pl_json_type_name(fn));
    return false;
  }
  bool ok = true;
  const char *key;
  json_t *v;
  uint32_t unknown = 0, missing = 0;
  json_object_foreach((json_t *)fn, key, v) {
    int64_t k = pl_issue_find_label(is, key);
    if (k < 0 && ++unknown > PL_LISTED_MAX) {
      ok = false;
    } else if (k < 0) {
      const char *hint = pl_suggest(key, is->labels, is->nvalues);
      pl_json_fail_key(&L->doc, v,
                       "%s: '%s' is not an option of issue '%s'%s%s%s", who,
                       key, is->name, hint ? " (did you mean '" : "",
                       hint ? hint : "", hint ? "'?)" : "");
      ok = false;
      continue;
    }
    char what[512];
    snprintf(what, sizeof what, "%s: the value of '%s' on '%s'", who, key,
             is->name);
    ok &= read_param(L, v, what, PL_PARAM_VALUE, actor, issue, (uint32_t)k,
                     &out[k]);
  }
  if (unknown > PL_LISTED_MAX)
    pl_json_fail(&L->doc, fn,
                 "%s: and %u more keys are not options of issue '%s' (%u in "
                 "all)",
                 who, unknown - PL_LISTED_MAX, is->name, unknown);
  for (uint32_t k = 0; k < is->nvalues; k++)
    if (!json_object_get(fn, is->labels[k]) && ++missing <= PL_LISTED_MAX)
      pl_json_fail(&L->doc, fn, "%s: no value for option '%s' of issue '%s'",
                   who, is->labels[k], is->name);
  if (missing > PL_LISTED_MAX)
    pl_json_fail(&L->doc, fn,
                 "%s: and %u more options of issue '%s' have no value (%u "
                 "in all)",
                 who, missing - PL_LISTED_MAX, is->name, missing);
  return ok && missing == 0;
}

/* Piecewise-linear interpolation through points sorted by x; flat beyond
 * the first and last points. On a point it returns the value as written,
 * without arithmetic, so a table with a point at every value of the issue
 * (what the writer produces) reads back exactly. */
static double interpolate(const double *xs, const double *vs, size_t n,
                          double x) {
  if (x <= xs[0])
    return vs[0];
  for (size_t k = 1; k < n; k++) {
    if (x == xs[k])
      return vs[k];
    if (x < xs[k])
      return vs[k - 1] +
             (vs[k] - vs[k - 1]) * (x - xs[k - 1]) / (xs[k] - xs[k - 1]);
  }
  return vs[n - 1];
}

static bool load_points(loader *L, const json_t *fn, const pl_issue *is,
                        double *out, const char *who) {
  const json_t *pts =
      pl_json_get_array(&L->doc, fn, "points", true, "a table value function");
  if (!pts)
    return false;
  size_t n = json_array_size(pts);
  if (n == 0 || n > PL_MAX_VALUES) {
    pl_json_fail(&L->doc, pts,
                 "%s: a table for '%s' needs 1 to %d points [x, value]", who,
                 is->name, PL_MAX_VALUES);
    return false;
  }
  double *xs = malloc(n * sizeof *xs), *vs = malloc(n * sizeof *vs);
  bool ok = xs && vs;
  for (size_t k = 0; ok && k < n; k++) {
    const json_t *p = json_array_get(pts, k);
    const json_t *x = json_array_get(p, 0), *v = json_array_get(p, 1);
    if (!json_is_array(p) || json_array_size(p) != 2 || !json_is_number(x)) {
      pl_json_fail(&L->doc, p,
                   "%s: point %zu for '%s' must be [x, value] with numbers",
                   who, k + 1, is->name);
      ok = false;
      break;
    }
    xs[k] = json_number_value(x);
    char what[512];
    snprintf(what, sizeof what, "%s: the value at point %zu of '%s'", who,
             k + 1, is->name);
    ok = check_unit(L, v, what, &vs[k]);
    if (ok && k > 0 && xs[k] <= xs[k - 1]) {
      pl_json_fail(&L->doc, x, "%s: the points of '%s' must have increasing x",
                   who, is->name);
      ok = false;
    }
  }
  for (uint32_t k = 0; ok && k < is->nvalues; k++)
    out[k] = interpolate(xs, vs, n, is->numbers[k]);
  free(xs);
  free(vs);
  return ok;
}

static const char *const LINEAR_KEYS[] = {"shape", "best", NULL};
static const char *const PEAKED_KEYS[] = {"shape", "peak", NULL};
static const char *const TABLE_KEYS[] = {"shape", "points", NULL};

static bool load_numeric_values(loader *L, const json_t *fn, const pl_issue *is,
                                double *out, pl_value_shape *shape,
                                const char *who) {
  if (!json_is_object(fn)) {
    pl_json_fail(
        &L->doc, fn,
        "%s: the values of numeric issue '%s' must be an object with a "
        "\"shape\", not %s",
        who, is->name, pl_json_type_name(fn));
    return false;
  }
  const char *kind = pl_json_get_string(&L->doc, &L->s->arena, fn, "shape",
                                        true, "a value function");
  if (!kind)
    return false;
  bool known = !strcmp(kind, "linear") || !strcmp(kind, "peaked") ||
               !strcmp(kind, "table");
  if (known) /* an unknown shape is reported once, below */
    pl_json_check_keys(&L->doc, fn, "this value function",
                       !strcmp(kind, "linear")   ? LINEAR_KEYS
                       : !strcmp(kind, "peaked") ? PEAKED_KEYS
                                                 : TABLE_KEYS,
                       true);
  double lo = is->numbers[0], hi = is->numbers[is->nvalues - 1];
  if (!strcmp(kind, "linear")) {
    const char *best = pl_json_get_string(&L->doc, &L->s->arena, fn, "best",
                                          true, "a linear value");
    if (!best)
      return false;
    bool up = !strcmp(best, "max");
    if (!up && strcmp(best, "min")) {
      pl_json_fail(&L->doc, json_object_get(fn, "best"),
                   "%s: \"best\" must be \"min\" or \"max\", not \"%s\"", who,
                   best);
      return false;
    }
    for (uint32_t k = 0; k < is->nvalues; k++) {
      /* A one-value issue: its only value is the best either way. */
      double t = hi > lo ? (is->numbers[k] - lo) / (hi - lo) : 1.0;
      out[k] = hi > lo && !up ? 1.0 - t : t;
    }
    *shape = PL_SHAPE_LINEAR;
    return true;
  }
  if (!strcmp(kind, "peaked")) {
    double peak;
    char what[512];
    snprintf(what, sizeof what, "the values of '%s' for %s", is->name, who);
    if (!pl_json_get_number(&L->doc, fn, "peak", true, what, lo, hi, &peak))
      return false;
    for (uint32_t k = 0; k < is->nvalues; k++) {
      double x = is->numbers[k];
      out[k] = x == peak  ? 1.0
               : x < peak ? (x - lo) / (peak - lo)
                          : (hi - x) / (hi - peak);
    }
    *shape = PL_SHAPE_PEAKED;
    return true;
  }
  if (!strcmp(kind, "table")) {
    *shape = PL_SHAPE_TABLE;
    return load_points(L, fn, is, out, who);
  }
  pl_json_fail(
      &L->doc, json_object_get(fn, "shape"),
      "%s: shape \"%s\" of '%s' is unknown; expected \"linear\", \"peaked\" "
      "or \"table\"",
      who, kind, is->name);
  return false;
}

/* ---- Actors -------------------------------------------------------------- */

static bool load_rule(loader *L, const json_t *js, pl_rule *r,
                      const char *what) {
  const json_t *text = js;
  if (json_is_object(js)) {
    static const char *const keys[] = {"name", "rule", NULL};
    pl_json_check_keys(&L->doc, js, what, keys, true);
    r->name =
        pl_json_get_string(&L->doc, &L->s->arena, js, "name", false, what);
    text = pl_json_get(&L->doc, js, "rule", true, what);
    if (!text)
      return false;
  }
  if (!json_is_string(text)) {
    pl_json_fail(&L->doc, text,
                 "%s must be a string (an expression) or an object with "
                 "\"rule\", not %s",
                 what, pl_json_type_name(text));
    return false;
  }
  int col = 0;
  char msg[512];
  if (pl_rule_compile(L->s, r, json_string_value(text), &col, msg, sizeof msg))
    return true;
  pl_json_fail_in_string(&L->doc, text, col, "%s: %s", what, msg);
  return false;
}

/* `what` names the kind ("red line"), `owner` whose they are, or NULL. */
static bool load_rules(loader *L, const json_t *arr, pl_rule **out,
                       uint32_t *count, const char *what, const char *owner) {
  size_t n = json_array_size(arr);
  *out = pl_arena_calloc(&L->s->arena, n ? n : 1, sizeof **out);
  *count = (uint32_t)n;
  bool ok = true;
  for (size_t k = 0; k < n; k++) {
    char w[400];
    snprintf(w, sizeof w, "%s %zu%s%s", what, k + 1, owner ? " of " : "",
             owner ? owner : "");
    ok &= load_rule(L, json_array_get(arr, k), &(*out)[k], w);
  }
  return ok;
}

static bool load_weights(loader *L, const json_t *js, pl_actor *a,
                         const char *who) {
  const json_t *w = pl_json_get_object(&L->doc, js, "weights", true, who);
  const json_t *vals = pl_json_get_object(&L->doc, js, "values", true, who);
  if (!w || !vals)
    return false;
  pl_scenario *s = L->s;
  a->weights = pl_arena_calloc(&s->arena, s->nissues, sizeof *a->weights);
  a->values = pl_arena_calloc(&s->arena, s->nissues, sizeof *a->values);
  a->shapes = pl_arena_calloc(&s->arena, s->nissues, sizeof *a->shapes);
  bool ok = true;
  double sum = 0;
  const char *key;
  json_t *v;
  const json_t *dir = json_object_get(w, "dirichlet");
  if (dir && json_object_size(w) == 1 && !L->imported) {
    ok = pl_read_dirichlet(&L->doc, s, dir, (uint32_t)(a - s->actors),
                           a->weights, who);
    w = NULL; /* the weights are read */
  }
  if (w)
    json_object_foreach((json_t *)w, key, v) {
      int32_t i = issue_by_key(L, key, v, who);
      if (i < 0) {
        ok = false;
        continue;
      }
      char what[512];
      snprintf(what, sizeof what, "%s: the weight of '%s'", who, key);
      ok &= read_param(L, v, what, PL_PARAM_WEIGHT, (uint32_t)(a - s->actors),
                       (uint32_t)i, 0, &a->weights[i]);
      sum += a->weights[i];
    }
  if (ok && w && !L->imported && fabs(sum - 1.0) > 1e-6) {
    char b[32];
    pl_fmt_computed(b, sizeof b, sum);
    pl_json_fail(&L->doc, w,
                 "%s: the weights sum to %s; they must sum to 1 (within 1e-6)",
                 who, b);
    ok = false;
  }
  json_object_foreach((json_t *)vals, key, v) {
    int32_t i = issue_by_key(L, key, v, who);
    if (i < 0) {
      ok = false;
      continue;
    }
    const pl_issue *is = &s->issues[i];
    double *out = pl_arena_calloc(&s->arena, is->nvalues, sizeof *out);
    if (!out) {
      pl_json_fail(&L->doc, v, "out of memory");
      ok = false;
      continue;
    }
    bool good =
        is->kind == PL_ISSUE_CATEGORICAL
            ? load_categorical_values(L, v, is, out, who,
                                      (uint32_t)(a - s->actors), (uint32_t)i)
            : load_numeric_values(L, v, is, out, &a->shapes[i], who);
    a->values[i] = good ? out : NULL;
    ok &= good;
  }
  for (uint32_t i = 0; ok && i < s->nissues; i++)
    if (a->weights[i] > 0 && !json_object_get(vals, s->issues[i].name)) {
      pl_json_fail(&L->doc, vals, "%s: issue '%s' has a weight but no values",
                   who, s->issues[i].name);
      ok = false;
    }
  return ok;
}

static const char *const PARTY_KEYS[] = {"name",   "reservation", "weights",
                                         "values", "red_lines",   "discount",
                                         "capped", "boxes",       NULL};
static const char *const RATIFIER_KEYS[] = {"name",    "party",  "threshold",
                                            "weights", "values", "capped",
                                            "boxes",   "body",   NULL};

/* The value index range [lo, hi] of `is` whose numbers lie in [x, y]. */
static bool index_range(const pl_issue *is, double x, double y, uint32_t *lo,
                        uint32_t *hi) {
  *lo = UINT32_MAX;
  *hi = 0;
  for (uint32_t v = 0; v < is->nvalues; v++)
    if (is->numbers[v] >= x - PL_EPS && is->numbers[v] <= y + PL_EPS) {
      *lo = *lo == UINT32_MAX ? v : *lo;
      *hi = v;
    }
  return *lo != UINT32_MAX;
}

/* One hyperrectangle: {"utility": u, "ranges": {issue: [low, high]}}. */
static bool load_box(loader *L, const json_t *js, pl_box *b, const char *who) {
  static const char *const keys[] = {"utility", "ranges", NULL};
  if (!json_is_object(js)) {
    pl_json_fail(&L->doc, js, "%s: a box must be an object, not %s", who,
                 pl_json_type_name(js));
    return false;
  }
  pl_json_check_keys(&L->doc, js, "a box", keys, true);
  const json_t *ranges = pl_json_get_object(&L->doc, js, "ranges", true, who);
  if (!pl_json_get_number(&L->doc, js, "utility", true, who, -1e300, 1e300,
                          &b->utility) ||
      !ranges)
    return false;
  size_t n = json_object_size(ranges);
  pl_arena *A = &L->s->arena;
  b->issue = pl_arena_calloc(A, n ? n : 1, sizeof *b->issue);
  b->lo = pl_arena_calloc(A, n ? n : 1, sizeof *b->lo);
  b->hi = pl_arena_calloc(A, n ? n : 1, sizeof *b->hi);
  const char *key;
  json_t *r;
  bool ok = true;
  json_object_foreach((json_t *)ranges, key, r) {
    int32_t i = issue_by_key(L, key, r, who);
    if (i < 0 || L->s->issues[i].kind == PL_ISSUE_CATEGORICAL ||
        json_array_size(r) != 2 || !json_is_number(json_array_get(r, 0)) ||
        !json_is_number(json_array_get(r, 1))) {
      if (i >= 0)
        pl_json_fail(&L->doc, r,
                     "%s: a box range on '%s' must be [low, high] on a "
                     "numeric issue",
                     who, key);
      ok = false;
      continue;
    }
    uint32_t k = b->nranges++;
    b->issue[k] = (uint32_t)i;
    if (!index_range(&L->s->issues[i], json_number_value(json_array_get(r, 0)),
                     json_number_value(json_array_get(r, 1)), &b->lo[k],
                     &b->hi[k])) {
      b->lo[k] = 1; /* no value inside: the box never applies */
      b->hi[k] = 0;
    }
  }
  return ok;
}

/* "boxes": {"scale": s, "list": [box, ...]} (GENIUS non-linear profiles). */
static bool load_boxes(loader *L, const json_t *js, pl_actor *a,
                       const char *who) {
  static const char *const keys[] = {"scale", "list", NULL};
  const json_t *bx = pl_json_get_object(&L->doc, js, "boxes", false, who);
  if (!bx)
    return !json_object_get(js, "boxes");
  pl_json_check_keys(&L->doc, bx, "\"boxes\"", keys, true);
  const json_t *list = pl_json_get_array(&L->doc, bx, "list", true, who);
  if (!pl_json_get_number(&L->doc, bx, "scale", true, who, 0, 1e300,
                          &a->box_scale) ||
      !list)
    return false;
  a->nboxes = (uint32_t)json_array_size(list);
  a->boxes = pl_arena_calloc(&L->s->arena, a->nboxes ? a->nboxes : 1,
                             sizeof *a->boxes);
  bool ok = true;
  for (uint32_t b = 0; b < a->nboxes; b++)
    ok &= load_box(L, json_array_get(list, b), &a->boxes[b], who);
  return ok;
}

/* "capped": true makes the utility min(1, sum), as GENIUS computes it. */
static bool load_capped(loader *L, const json_t *js, pl_actor *a) {
  const json_t *c = json_object_get(js, "capped");
  a->capped = L->s->reading == PL_READING_GENIUS;
  if (!c)
    return true;
  if (!json_is_boolean(c)) {
    pl_json_fail_member(&L->doc, js, "capped", false,
                        "\"capped\" must be true or false");
    return false;
  }
  a->capped = json_is_true(c);
  return true;
}

static bool load_actor(loader *L, const json_t *js, pl_actor *a,
                       pl_actor_kind kind, size_t k) {
  const char *kind_name = kind == PL_PARTY ? "party" : "ratifier";
  char who[320];
  snprintf(who, sizeof who, "%s %zu", kind_name, k + 1);
  if (!json_is_object(js)) {
    pl_json_fail(&L->doc, js, "%s must be an object, not %s", who,
                 pl_json_type_name(js));
    return false;
  }
  pl_json_check_keys(&L->doc, js, who,
                     kind == PL_PARTY ? PARTY_KEYS : RATIFIER_KEYS, true);
  a->kind = kind;
  a->party = -1;
  a->discount = 1;
  a->name = pl_json_get_string(&L->doc, &L->s->arena, js, "name", true, who);
  a->description =
      pl_json_get_string(&L->doc, &L->s->arena, js, "description", false, who);
  if (!a->name)
    return false;
  snprintf(who, sizeof who, "%s '%s'", kind_name, a->name);
  bool ok = load_weights(L, js, a, who);
  ok &= load_capped(L, js, a);
  ok &= load_boxes(L, js, a, who);
  if (kind == PL_PARTY) {
    const json_t *rv = json_object_get(js, "reservation");
    if (json_is_object(rv) && !L->imported)
      ok &= read_param(L, rv, who, PL_PARAM_THRESHOLD,
                       (uint32_t)(a - L->s->actors), 0, 0, &a->threshold);
    else if (rv)
      ok &= pl_json_get_number(&L->doc, js, "reservation", false, who, 0,
                               L->imported ? 1e300 : 1, &a->threshold);
    if (json_object_get(js, "discount"))
      ok &= pl_json_get_number(&L->doc, js, "discount", false, who, 1e-300, 1,
                               &a->discount);
    const json_t *red = pl_json_get_array(&L->doc, js, "red_lines", false, who);
    if (red)
      ok &= load_rules(L, red, &a->red_lines, &a->nred_lines, "red line", who);
  } else {
    const json_t *tv = json_object_get(js, "threshold");
    if (json_is_object(tv))
      ok &= read_param(L, tv, who, PL_PARAM_THRESHOLD,
                       (uint32_t)(a - L->s->actors), 0, 0, &a->threshold);
    else
      ok &= pl_json_get_number(&L->doc, js, "threshold", true, who, 0, 1,
                               &a->threshold);
    ok = ok && pl_load_body(&L->doc, L->s, js, a, who);
  }
  return ok;
}

static bool load_actors(loader *L) {
  pl_scenario *s = L->s;
  const json_t *parties =
      pl_json_get_array(&L->doc, L->root, "parties", true, "the scenario");
  const json_t *rats =
      pl_json_get_array(&L->doc, L->root, "ratifiers", false, "the scenario");
  size_t np = parties ? json_array_size(parties) : 0;
  size_t nr = rats ? json_array_size(rats) : 0;
  if (parties && (np < 2 || np > PL_MAX_PARTIES)) {
    pl_json_fail(&L->doc, parties, "a scenario needs 2 to %d parties, not %zu",
                 PL_MAX_PARTIES, np);
    return false;
  }
  if (nr > PL_MAX_RATIFIERS) {
    pl_json_fail(&L->doc, rats, "at most %d ratifiers are supported",
                 PL_MAX_RATIFIERS);
    return false;
  }
  if (!parties)
    return false;
  s->actors = pl_arena_calloc(&s->arena, np + nr, sizeof *s->actors);
  s->nparties = (uint32_t)np;
  s->nratifiers = (uint32_t)nr;
  bool ok = true;
  for (size_t a = 0; a < np + nr; a++) {
    bool party = a < np;
    const json_t *js =
        party ? json_array_get(parties, a) : json_array_get(rats, a - np);
    ok &= load_actor(L, js, &s->actors[a], party ? PL_PARTY : PL_RATIFIER,
                     party ? a : a - np);
    for (size_t b = 0; b < a && s->actors[a].name; b++)
      if (s->actors[b].name && !strcmp(s->actors[b].name, s->actors[a].name)) {
        pl_json_fail(&L->doc, json_object_get(js, "name"),
                     "the name '%s' is used by two parties or ratifiers",
                     s->actors[a].name);
        ok = false;
      }
    if (!party && json_is_object(js)) {
      const char *owner = pl_json_get_string(&L->doc, &L->s->arena, js, "party",
                                             false, "a ratifier");
      int32_t p = owner ? pl_find_actor(s, owner) : -1;
      if (owner && (p < 0 || p >= (int32_t)np)) {
        pl_json_fail(&L->doc, json_object_get(js, "party"),
                     "ratifier '%s' belongs to unknown party '%s'",
                     s->actors[a].name ? s->actors[a].name : "?", owner);
        ok = false;
      }
      s->actors[a].party = p;
    }
  }
  return ok;
}

/* ---- Constraints and proposals ------------------------------------------- */

static bool load_constraints(loader *L) {
  const json_t *arr =
      pl_json_get_array(&L->doc, L->root, "constraints", false, "the scenario");
  if (!arr)
    return !json_object_get(L->root, "constraints");
  return load_rules(L, arr, &L->s->constraints, &L->s->nconstraints,
                    "constraint", NULL);
}

static bool load_value(loader *L, const json_t *v, const pl_issue *is,
                       uint32_t *out, const char *who) {
  if (is->kind == PL_ISSUE_CATEGORICAL) {
    int64_t k =
        json_is_string(v) ? pl_issue_find_label(is, json_string_value(v)) : -1;
    if (k >= 0) {
      *out = (uint32_t)k;
      return true;
    }
    if (!json_is_string(v))
      pl_json_fail(&L->doc, v,
                   "%s: the value of '%s' must be one of its options (a "
                   "string), not %s",
                   who, is->name, pl_json_type_name(v));
    else
      pl_json_fail(&L->doc, v, "%s: \"%s\" is not an option of issue '%s'", who,
                   json_string_value(v), is->name);
    return false;
  }
  if (json_is_number(v)) {
    double x = json_number_value(v);
    for (uint32_t k = 0; k < is->nvalues; k++)
      if (fabs(is->numbers[k] - x) <= PL_EPS) {
        *out = k;
        return true;
      }
    char b[32];
    pl_fmt_number(b, sizeof b, x);
    pl_json_fail(&L->doc, v, "%s: %s is not one of the values of issue '%s'",
                 who, b, is->name);
    return false;
  }
  pl_json_fail(&L->doc, v,
               "%s: the value of numeric issue '%s' must be a number, not %s",
               who, is->name, pl_json_type_name(v));
  return false;
}

static bool load_proposal(loader *L, const json_t *js, pl_proposal *p,
                          size_t k) {
  static const char *const keys[] = {"name", "by", "outcome", NULL};
  char who[320];
  snprintf(who, sizeof who, "proposal %zu", k + 1);
  if (!json_is_object(js)) {
    pl_json_fail(&L->doc, js, "%s must be an object, not %s", who,
                 pl_json_type_name(js));
    return false;
  }
  pl_json_check_keys(&L->doc, js, who, keys, true);
  p->name = pl_json_get_string(&L->doc, &L->s->arena, js, "name", true, who);
  p->by = pl_json_get_string(&L->doc, &L->s->arena, js, "by", false, who);
  p->description =
      pl_json_get_string(&L->doc, &L->s->arena, js, "description", false, who);
  if (p->name)
    snprintf(who, sizeof who, "proposal '%s'", p->name);
  bool ok = p->name != NULL;
  if (p->by && pl_find_actor(L->s, p->by) < 0) {
    pl_json_fail(&L->doc, json_object_get(js, "by"),
                 "%s is by unknown party '%s'", who, p->by);
    ok = false;
  }
  const json_t *out = pl_json_get_object(&L->doc, js, "outcome", true, who);
  if (!out)
    return false;
  pl_scenario *s = L->s;
  p->values = pl_arena_calloc(&s->arena, s->nissues, sizeof *p->values);
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)out, key, v) {
    int32_t i = issue_by_key(L, key, v, who);
    ok &= i >= 0 && load_value(L, v, &s->issues[i], &p->values[i], who);
  }
  for (uint32_t i = 0; i < s->nissues; i++)
    if (!json_object_get(out, s->issues[i].name)) {
      pl_json_fail(&L->doc, out, "%s gives no value for issue '%s'", who,
                   s->issues[i].name);
      ok = false;
    }
  return ok;
}

static bool load_proposals(loader *L) {
  const json_t *arr =
      pl_json_get_array(&L->doc, L->root, "proposals", false, "the scenario");
  if (!arr)
    return !json_object_get(L->root, "proposals");
  size_t n = json_array_size(arr);
  pl_scenario *s = L->s;
  s->proposals = pl_arena_calloc(&s->arena, n ? n : 1, sizeof *s->proposals);
  s->nproposals = (uint32_t)n;
  bool ok = true;
  for (size_t k = 0; k < n; k++)
    ok &= load_proposal(L, json_array_get(arr, k), &s->proposals[k], k);
  return ok;
}

/* ---- Whole file ------------------------------------------------------------
 */

static const char *const TOP_KEYS[] = {
    "parley",    "name",      "title",   "issues",   "parties", "constraints",
    "ratifiers", "proposals", "reading", "variants", NULL};

/* "reading": how a converted scenario's numbers are to be read. */
static void load_reading(loader *L) {
  const char *r = pl_json_get_string(&L->doc, &L->s->arena, L->root, "reading",
                                     false, "the scenario");
  if (!r || !strcmp(r, "parley"))
    return;
  if (!strcmp(r, "genius") || !strcmp(r, "raw")) {
    L->s->reading = !strcmp(r, "genius") ? PL_READING_GENIUS : PL_READING_RAW;
    L->imported = true;
    return;
  }
  pl_json_fail_member(
      &L->doc, L->root, "reading", false,
      "\"reading\" is \"%s\"; expected \"parley\", \"genius\" or "
      "\"raw\"",
      r);
}

static void load_root(loader *L) {
  pl_scenario *s = L->s;
  pl_json_check_keys(&L->doc, L->root, "the scenario", TOP_KEYS, true);
  const json_t *ver = json_object_get(L->root, "parley");
  if (ver && !(json_is_integer(ver) && json_integer_value(ver) == 1))
    pl_json_fail(&L->doc, ver,
                 "\"parley\" is the format version and must be 1");
  s->name = pl_json_get_string(&L->doc, &L->s->arena, L->root, "name", false,
                               "the scenario");
  s->title = pl_json_get_string(&L->doc, &L->s->arena, L->root, "title", false,
                                "the scenario");
  s->description = pl_json_get_string(&L->doc, &L->s->arena, L->root,
                                      "description", false, "the scenario");
  load_reading(L);
  if (!load_issues(L))
    return; /* everything else refers to the issues */
  bool ok = load_actors(L);
  ok = ok && pl_load_variants(&L->doc, s, L->root);
  ok &= load_constraints(L);
  ok &= load_proposals(L);
  if (!ok)
    return;
  if (!pl_scenario_finish(s)) {
    pl_json_fail(&L->doc, NULL, "out of memory while building utility tables");
    return;
  }
  if (pl_rules_satisfiable(s, -1) == 0)
    pl_json_fail(
        &L->doc, json_object_get(L->root, "constraints"),
        "the constraints together exclude every outcome: no package can "
        "satisfy them all");
}

pl_scenario *pl_scenario_from_json(const char *text, const char *file,
                                   pl_diag *d) {
  loader L = {0};
  json_t *root = pl_json_doc_open(&L.doc, text, file, d);
  if (!root)
    return NULL;
  L.root = root;
  L.s = pl_scenario_new();
  if (!L.s) {
    pl_diag_add(d, file, 0, 0, "out of memory");
    L.doc.errors++;
  } else if (!json_is_object(root)) {
    pl_json_fail(&L.doc, root, "a scenario must be a JSON object, not %s",
                 pl_json_type_name(root));
  } else {
    L.s->file = pl_arena_strdup(&L.s->arena, file ? file : "");
    load_root(&L);
  }
  pl_json_doc_close(&L.doc, root);
  if (L.doc.errors) {
    pl_scenario_free(L.s);
    return NULL;
  }
  return L.s;
}

pl_scenario *pl_scenario_load_string(const char *json, const char *filename,
                                     pl_diag *d) {
  return pl_scenario_from_json(json, filename ? filename : "<string>", d);
}

char *pl_read_file(const char *path, pl_diag *d) {
  bool is_stdin = !strcmp(path, "-"); /* the usual name of standard input */
  FILE *f = is_stdin ? stdin : fopen(path, "rb");
  if (!f) {
    pl_diag_add(d, path, 0, 0, "cannot open: %s", strerror(errno));
    return NULL;
  }
  /* A regular file's size is known: refuse it before reading any of it
   * (the loop below stops a pipe at the same limit). */
  struct stat info;
  if (!is_stdin && fstat(fileno(f), &info) == 0 && S_ISREG(info.st_mode) &&
      (uintmax_t)info.st_size > MAX_FILE_BYTES) {
    pl_diag_add(d, path, 0, 0, "file is larger than %u MiB",
                MAX_FILE_BYTES >> 20);
    fclose(f);
    return NULL;
  }
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0)
      break;
    if (n + 1 == cap) {
      if (cap >= MAX_FILE_BYTES) {
        pl_diag_add(d, path, 0, 0, "file is larger than %u MiB",
                    MAX_FILE_BYTES >> 20);
        free(buf);
        buf = NULL;
        break;
      }
      char *bigger = realloc(buf, cap * 2);
      if (!bigger) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = bigger;
      cap *= 2;
    }
  }
  if (buf && ferror(f)) {
    pl_diag_add(d, path, 0, 0, "cannot read: %s", strerror(errno));
    free(buf);
    buf = NULL;
  }
  if (!is_stdin)
    fclose(f);
  if (buf)
    buf[n] = 0;
  else if (!pl_diag_count(d))
    pl_diag_add(d, path, 0, 0, "out of memory reading the file");
  if (buf && strlen(buf) != n) {
    pl_diag_add(d, path, 0, 0, "file contains a NUL byte; not a text file");
    free(buf);
    buf = NULL;
  }
  return buf;
}

pl_scenario *pl_scenario_load_file(const char *path, pl_diag *d) {
  char *text = pl_read_file(path, d);
  if (!text)
    return NULL;
  pl_scenario *s = pl_scenario_from_json(text, path, d);
  free(text);
  return s;
}
