/* scenario_json.c - reading parley scenario files (docs/scenario-format.md).
 *
 * The loader does not stop at the first problem: `parley validate` reports
 * every problem it can find, each with the file, line and column of the
 * value at fault, so a user fixes a file in one pass.
 */
#include "io/json_pos.h"
#include "io/scenario_io.h"
#include "model/scenario.h"
#include "util/diag.h"
#include "util/fmt.h"
#include "util/suggest.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Files larger than this are refused before parsing. */
#define MAX_FILE_BYTES (256u << 20)

typedef struct loader {
  const char *text; /* the file's text, to map columns inside strings */
  /* "reading" other than parley (a converted GENIUS scenario): weights
   * need not sum to 1 and values may exceed 1, as in the original. */
  bool imported;
  pl_scenario *s;
  pl_diag *d;
  const char *file;
  pl_json_pos *pos;
  const json_t *root;
  size_t errors;
} loader;

/* ---- Reporting ---------------------------------------------------------- */

static void report(loader *L, const json_t *node, bool at_key, const char *fmt,
                   va_list ap) {
  int line = 0, col = 0;
  if (node) {
    bool found = at_key ? pl_json_pos_key(L->pos, node, &line, &col)
                        : pl_json_pos_value(L->pos, node, &line, &col);
    if (!found && at_key)
      found = pl_json_pos_value(L->pos, node, &line, &col);
    if (!found)
      line = col = 0;
  }
  pl_diag_addv(L->d, L->file, line, col, fmt, ap);
  L->errors++;
}

/* A problem with the value `node`. */
static void fail(loader *L, const json_t *node, const char *fmt, ...)
    PL_PRINTF(3, 4);
static void fail(loader *L, const json_t *node, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(L, node, false, fmt, ap);
  va_end(ap);
}

/* A problem with the key under which `node` stands. */
static void fail_key(loader *L, const json_t *node, const char *fmt, ...)
    PL_PRINTF(3, 4);
static void fail_key(loader *L, const json_t *node, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(L, node, true, fmt, ap);
  va_end(ap);
}

/* A problem with member `key` of `obj`: at its value, or at its key when
 * `at_key`. Unlike fail(), this finds true/false/null values too. */
static void fail_member(loader *L, const json_t *obj, const char *key,
                        bool at_key, const char *fmt, ...) PL_PRINTF(5, 6);
static void fail_member(loader *L, const json_t *obj, const char *key,
                        bool at_key, const char *fmt, ...) {
  int line = 0, col = 0;
  if (!pl_json_pos_member(L->pos, obj, key, at_key, &line, &col))
    line = col = 0;
  va_list ap;
  va_start(ap, fmt);
  pl_diag_addv(L->d, L->file, line, col, fmt, ap);
  va_end(ap);
  L->errors++;
}

/* Keys that any object may carry for people: they are kept or ignored. */
static bool is_comment_key(const char *k) {
  return !strcmp(k, "description") || !strcmp(k, "source") ||
         !strcmp(k, "notes") || !strcmp(k, "label");
}

/* Reports every key of `obj` that is not in `allowed` (NULL-terminated), so
 * a misspelt key is an error instead of being silently ignored. */
static void check_keys(loader *L, const json_t *obj, const char *what,
                       const char *const *allowed) {
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)obj, key, val) {
    bool ok = is_comment_key(key);
    size_t n = 0;
    for (; allowed[n]; n++)
      ok = ok || !strcmp(key, allowed[n]);
    if (ok)
      continue;
    (void)val;
    const char *hint = pl_suggest(key, allowed, n);
    if (hint)
      fail_member(L, obj, key, true,
                  "unknown key '%s' in %s (did you mean '%s'?)", key, what,
                  hint);
    else
      fail_member(L, obj, key, true, "unknown key '%s' in %s", key, what);
  }
}

/* ---- Typed getters ------------------------------------------------------ */

static const json_t *get(loader *L, const json_t *obj, const char *key,
                         bool required, const char *what) {
  const json_t *v = json_object_get(obj, key);
  if (!v && required)
    fail(L, obj, "%s has no \"%s\"", what, key);
  return v;
}

static const char *get_string(loader *L, const json_t *obj, const char *key,
                              bool required, const char *what) {
  const json_t *v = get(L, obj, key, required, what);
  if (!v)
    return NULL;
  if (!json_is_string(v)) {
    fail_member(L, obj, key, false, "\"%s\" of %s must be a string, not %s",
                key, what, pl_json_type_name(v));
    return NULL;
  }
  return pl_arena_strdup(&L->s->arena, json_string_value(v));
}

/* A number within [lo, hi]; returns false (after reporting) otherwise. */
static bool get_number(loader *L, const json_t *obj, const char *key,
                       bool required, const char *what, double lo, double hi,
                       double *out) {
  const json_t *v = get(L, obj, key, required, what);
  if (!v)
    return false;
  if (!json_is_number(v)) {
    fail_member(L, obj, key, false, "\"%s\" of %s must be a number, not %s",
                key, what, pl_json_type_name(v));
    return false;
  }
  double x = json_number_value(v);
  if (!(x >= lo && x <= hi)) {
    char a[32], b[32], c[32];
    pl_fmt_number(a, sizeof a, x);
    pl_fmt_number(b, sizeof b, lo);
    pl_fmt_number(c, sizeof c, hi);
    fail(L, v, "\"%s\" of %s is %s; expected a number from %s to %s", key, what,
         a, b, c);
    return false;
  }
  *out = x;
  return true;
}

static const json_t *get_array(loader *L, const json_t *obj, const char *key,
                               bool required, const char *what) {
  const json_t *v = get(L, obj, key, required, what);
  if (v && !json_is_array(v)) {
    fail_member(L, obj, key, false, "\"%s\" of %s must be an array, not %s",
                key, what, pl_json_type_name(v));
    return NULL;
  }
  return v;
}

static const json_t *get_object(loader *L, const json_t *obj, const char *key,
                                bool required, const char *what) {
  const json_t *v = get(L, obj, key, required, what);
  if (v && !json_is_object(v)) {
    fail_member(L, obj, key, false, "\"%s\" of %s must be an object, not %s",
                key, what, pl_json_type_name(v));
    return NULL;
  }
  return v;
}

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

static bool load_categorical(loader *L, const json_t *js, pl_issue *is) {
  const json_t *opts = get_array(L, js, "options", true, "a categorical issue");
  if (!opts)
    return false;
  size_t n = json_array_size(opts);
  if (n == 0) {
    fail(L, opts, "issue '%s' has no options; list at least one", is->name);
    return false;
  }
  if (n > PL_MAX_VALUES) {
    fail(L, opts, "issue '%s' has %zu options; at most %d are supported",
         is->name, n, PL_MAX_VALUES);
    return false;
  }
  is->labels = pl_arena_calloc(&L->s->arena, n, sizeof *is->labels);
  bool ok = true;
  for (size_t k = 0; k < n; k++) {
    const json_t *o = json_array_get(opts, k);
    if (!json_is_string(o)) {
      fail(L, o, "option %zu of issue '%s' must be a string, not %s", k + 1,
           is->name, pl_json_type_name(o));
      ok = false;
      continue;
    }
    const char *label = json_string_value(o);
    for (size_t j = 0; j < k; j++)
      if (is->labels[j] && !strcmp(is->labels[j], label)) {
        fail(L, o, "option \"%s\" of issue '%s' is listed twice", label,
             is->name);
        ok = false;
      }
    is->labels[k] = pl_arena_strdup(&L->s->arena, label);
  }
  is->nvalues = (uint32_t)n;
  return ok;
}

static bool load_integer(loader *L, const json_t *js, pl_issue *is) {
  const double big = 9007199254740992.0; /* 2^53: exact in a double */
  double lo, hi, step = 1;
  bool ok = get_number(L, js, "min", true, "an integer issue", -big, big, &lo);
  ok &= get_number(L, js, "max", true, "an integer issue", -big, big, &hi);
  if (json_object_get(js, "step"))
    ok &= get_number(L, js, "step", false, "an integer issue", 1, big, &step);
  if (!ok)
    return false;
  if (lo != floor(lo) || hi != floor(hi) || step != floor(step)) {
    fail(L, js, "integer issue '%s' needs whole numbers for min, max, step",
         is->name);
    return false;
  }
  if (hi < lo) {
    fail(L, json_object_get(js, "max"),
         "issue '%s': max is below min; the range is empty", is->name);
    return false;
  }
  if (fmod(hi - lo, step) != 0) {
    fail(L, json_object_get(js, "max"),
         "issue '%s': max must be min plus a whole number of steps", is->name);
    return false;
  }
  double count = (hi - lo) / step + 1;
  if (count > PL_MAX_VALUES) {
    fail(L, js, "issue '%s' has %.0f values; at most %d are supported",
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
  bool ok = get_number(L, js, "min", true, "a real issue", -1e300, 1e300, &lo);
  ok &= get_number(L, js, "max", true, "a real issue", -1e300, 1e300, &hi);
  ok &= get_number(L, js, "count", true, "a real issue", 1, PL_MAX_VALUES,
                   &count);
  if (!ok)
    return false;
  if (count != floor(count)) {
    fail(L, json_object_get(js, "count"),
         "issue '%s': count must be a whole number of values", is->name);
    return false;
  }
  if (hi < lo || (hi > lo && count < 2) || (hi == lo && count != 1)) {
    fail(L, js,
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
    fail(L, js, "an issue must be an object, not %s", pl_json_type_name(js));
    return false;
  }
  is->name = get_string(L, js, "name", true, "an issue");
  is->description = get_string(L, js, "description", false, "an issue");
  const char *type = get_string(L, js, "type", true, "an issue");
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
  check_keys(L, js, what, keys);
  if (!is->name || !type)
    return false;
  if (!*is->name) {
    fail(L, json_object_get(js, "name"), "an issue name cannot be empty");
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
  fail(L, json_object_get(js, "type"),
       "issue '%s' has type \"%s\"; expected \"categorical\", \"integer\" "
       "or \"real\"",
       is->name, type);
  return false;
}

static bool load_issues(loader *L) {
  const json_t *arr = get_array(L, L->root, "issues", true, "the scenario");
  if (!arr)
    return false;
  size_t n = json_array_size(arr);
  if (n == 0 || n > PL_MAX_ISSUES) {
    fail(L, arr, "a scenario needs 1 to %d issues, not %zu", PL_MAX_ISSUES, n);
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
        fail(L, json_object_get(js, "name"), "issue '%s' is defined twice",
             s->issues[i].name);
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
    fail_key(L, node, "%s names unknown issue '%s' (did you mean '%s'?)", what,
             key, hint);
  else
    fail_key(L, node, "%s names unknown issue '%s'", what, key);
  return -1;
}

static bool check_unit(loader *L, const json_t *v, const char *what,
                       double *out) {
  if (!json_is_number(v)) {
    fail(L, v, "%s must be a number from 0 to 1, not %s", what,
         pl_json_type_name(v));
    return false;
  }
  double x = json_number_value(v);
  if (!(x >= 0 && (x <= 1 || (L->imported && x <= 1e300)))) {
    char b[32];
    pl_fmt_number(b, sizeof b, x);
    fail(L, v,
         L->imported ? "%s is %s; it must be a finite number >= 0"
                     : "%s is %s; it must lie from 0 to 1",
         what, b);
    return false;
  }
  *out = x;
  return true;
}

static bool load_categorical_values(loader *L, const json_t *fn,
                                    const pl_issue *is, double *out,
                                    const char *who) {
  if (!json_is_object(fn)) {
    fail(L, fn,
         "%s: the values of categorical issue '%s' must be an object "
         "{option: value}, not %s",
         who, is->name, pl_json_type_name(fn));
    return false;
  }
  bool ok = true;
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)fn, key, v) {
    uint32_t k = 0;
    while (k < is->nvalues && strcmp(is->labels[k], key))
      k++;
    if (k == is->nvalues) {
      const char *hint = pl_suggest(key, is->labels, is->nvalues);
      fail_key(L, v, "%s: '%s' is not an option of issue '%s'%s%s%s", who, key,
               is->name, hint ? " (did you mean '" : "", hint ? hint : "",
               hint ? "'?)" : "");
      ok = false;
      continue;
    }
    char what[512];
    snprintf(what, sizeof what, "%s: the value of '%s' on '%s'", who, key,
             is->name);
    ok &= check_unit(L, v, what, &out[k]);
  }
  for (uint32_t k = 0; k < is->nvalues; k++)
    if (!json_object_get(fn, is->labels[k])) {
      fail(L, fn, "%s: no value for option '%s' of issue '%s'", who,
           is->labels[k], is->name);
      ok = false;
    }
  return ok;
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
      get_array(L, fn, "points", true, "a table value function");
  if (!pts)
    return false;
  size_t n = json_array_size(pts);
  if (n == 0 || n > PL_MAX_VALUES) {
    fail(L, pts, "%s: a table for '%s' needs 1 to %d points [x, value]", who,
         is->name, PL_MAX_VALUES);
    return false;
  }
  double *xs = malloc(n * sizeof *xs), *vs = malloc(n * sizeof *vs);
  bool ok = xs && vs;
  for (size_t k = 0; ok && k < n; k++) {
    const json_t *p = json_array_get(pts, k);
    const json_t *x = json_array_get(p, 0), *v = json_array_get(p, 1);
    if (!json_is_array(p) || json_array_size(p) != 2 || !json_is_number(x)) {
      fail(L, p, "%s: point %zu for '%s' must be [x, value] with numbers", who,
           k + 1, is->name);
      ok = false;
      break;
    }
    xs[k] = json_number_value(x);
    char what[512];
    snprintf(what, sizeof what, "%s: the value at point %zu of '%s'", who,
             k + 1, is->name);
    ok = check_unit(L, v, what, &vs[k]);
    if (ok && k > 0 && xs[k] <= xs[k - 1]) {
      fail(L, x, "%s: the points of '%s' must have increasing x", who,
           is->name);
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
    fail(L, fn,
         "%s: the values of numeric issue '%s' must be an object with a "
         "\"shape\", not %s",
         who, is->name, pl_json_type_name(fn));
    return false;
  }
  const char *kind = get_string(L, fn, "shape", true, "a value function");
  if (!kind)
    return false;
  bool known = !strcmp(kind, "linear") || !strcmp(kind, "peaked") ||
               !strcmp(kind, "table");
  if (known) /* an unknown shape is reported once, below */
    check_keys(L, fn, "this value function",
               !strcmp(kind, "linear")   ? LINEAR_KEYS
               : !strcmp(kind, "peaked") ? PEAKED_KEYS
                                         : TABLE_KEYS);
  double lo = is->numbers[0], hi = is->numbers[is->nvalues - 1];
  if (!strcmp(kind, "linear")) {
    const char *best = get_string(L, fn, "best", true, "a linear value");
    if (!best)
      return false;
    bool up = !strcmp(best, "max");
    if (!up && strcmp(best, "min")) {
      fail(L, json_object_get(fn, "best"),
           "%s: \"best\" must be \"min\" or \"max\", not \"%s\"", who, best);
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
    if (!get_number(L, fn, "peak", true, what, lo, hi, &peak))
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
  fail(L, json_object_get(fn, "shape"),
       "%s: shape \"%s\" of '%s' is unknown; expected \"linear\", \"peaked\" "
       "or \"table\"",
       who, kind, is->name);
  return false;
}

/* ---- Actors -------------------------------------------------------------- */

/* The file column of character `col` (1-based) of a JSON string whose
 * opening quote is at `raw` in the text, column `quote_col`: escapes such
 * as \" or \u00e9 take more columns in the file than in the string. */
static int column_in_string(const char *raw, int quote_col, int col) {
  int file_col = quote_col + 1;
  const char *p = raw + 1;
  for (int k = 1; k < col && *p && *p != '"'; k++) {
    if (*p == '\\') {
      bool pair = p[1] == 'u' && p[6] == '\\' && p[7] == 'u' &&
                  (p[2] == 'd' || p[2] == 'D') &&
                  strchr("89abAB", p[3]) != NULL;
      int n = p[1] == 'u' ? (pair ? 12 : 6) : 2;
      for (int j = 0; j < n && p[j]; j++)
        file_col++;
      p += n;
      continue;
    }
    p++; /* one character: a lead byte and its continuation bytes */
    while (((unsigned char)*p & 0xC0) == 0x80)
      p++;
    file_col++;
  }
  return file_col;
}

static bool load_rule(loader *L, const json_t *js, pl_rule *r,
                      const char *what) {
  const json_t *text = js;
  if (json_is_object(js)) {
    static const char *const keys[] = {"name", "rule", NULL};
    check_keys(L, js, what, keys);
    r->name = get_string(L, js, "name", false, what);
    text = get(L, js, "rule", true, what);
    if (!text)
      return false;
  }
  if (!json_is_string(text)) {
    fail(L, text,
         "%s must be a string (an expression) or an object with "
         "\"rule\", not %s",
         what, pl_json_type_name(text));
    return false;
  }
  int col = 0;
  char msg[512];
  if (pl_rule_compile(L->s, r, json_string_value(text), &col, msg, sizeof msg))
    return true;
  int line = 0, c0 = 0;
  size_t at;
  if (pl_json_pos_value(L->pos, text, &line, &c0) &&
      pl_json_pos_offset(L->pos, text, &at) && col > 0)
    c0 = column_in_string(L->text + at, c0, col);
  pl_diag_add(L->d, L->file, line, c0, "%s: %s", what, msg);
  L->errors++;
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
  const json_t *w = get_object(L, js, "weights", true, who);
  const json_t *vals = get_object(L, js, "values", true, who);
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
  json_object_foreach((json_t *)w, key, v) {
    int32_t i = issue_by_key(L, key, v, who);
    if (i < 0) {
      ok = false;
      continue;
    }
    char what[512];
    snprintf(what, sizeof what, "%s: the weight of '%s'", who, key);
    ok &= check_unit(L, v, what, &a->weights[i]);
    sum += a->weights[i];
  }
  if (ok && !L->imported && fabs(sum - 1.0) > 1e-6) {
    char b[32];
    pl_fmt_number(b, sizeof b, sum);
    fail(L, w, "%s: the weights sum to %s; they must sum to 1 (within 1e-6)",
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
    bool good = is->kind == PL_ISSUE_CATEGORICAL
                    ? load_categorical_values(L, v, is, out, who)
                    : load_numeric_values(L, v, is, out, &a->shapes[i], who);
    a->values[i] = good ? out : NULL;
    ok &= good;
  }
  for (uint32_t i = 0; ok && i < s->nissues; i++)
    if (a->weights[i] > 0 && !json_object_get(vals, s->issues[i].name)) {
      fail(L, vals, "%s: issue '%s' has a weight but no values", who,
           s->issues[i].name);
      ok = false;
    }
  return ok;
}

static const char *const PARTY_KEYS[] = {"name",   "reservation", "weights",
                                         "values", "red_lines",   "discount",
                                         "capped", "boxes",       NULL};
static const char *const RATIFIER_KEYS[] = {
    "name", "party", "threshold", "weights", "values", "capped", "boxes", NULL};

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
    fail(L, js, "%s: a box must be an object, not %s", who,
         pl_json_type_name(js));
    return false;
  }
  check_keys(L, js, "a box", keys);
  const json_t *ranges = get_object(L, js, "ranges", true, who);
  if (!get_number(L, js, "utility", true, who, -1e300, 1e300, &b->utility) ||
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
        fail(L, r,
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
  const json_t *bx = get_object(L, js, "boxes", false, who);
  if (!bx)
    return !json_object_get(js, "boxes");
  check_keys(L, bx, "\"boxes\"", keys);
  const json_t *list = get_array(L, bx, "list", true, who);
  if (!get_number(L, bx, "scale", true, who, 0, 1e300, &a->box_scale) || !list)
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
    fail_member(L, js, "capped", false, "\"capped\" must be true or false");
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
    fail(L, js, "%s must be an object, not %s", who, pl_json_type_name(js));
    return false;
  }
  check_keys(L, js, who, kind == PL_PARTY ? PARTY_KEYS : RATIFIER_KEYS);
  a->kind = kind;
  a->party = -1;
  a->discount = 1;
  a->name = get_string(L, js, "name", true, who);
  a->description = get_string(L, js, "description", false, who);
  if (!a->name)
    return false;
  snprintf(who, sizeof who, "%s '%s'", kind_name, a->name);
  bool ok = load_weights(L, js, a, who);
  ok &= load_capped(L, js, a) & load_boxes(L, js, a, who);
  if (kind == PL_PARTY) {
    if (json_object_get(js, "reservation"))
      ok &= get_number(L, js, "reservation", false, who, 0,
                       L->imported ? 1e300 : 1, &a->threshold);
    if (json_object_get(js, "discount"))
      ok &= get_number(L, js, "discount", false, who, 1e-300, 1, &a->discount);
    const json_t *red = get_array(L, js, "red_lines", false, who);
    if (red)
      ok &= load_rules(L, red, &a->red_lines, &a->nred_lines, "red line", who);
  } else {
    ok &= get_number(L, js, "threshold", true, who, 0, 1, &a->threshold);
  }
  return ok;
}

static bool load_actors(loader *L) {
  pl_scenario *s = L->s;
  const json_t *parties =
      get_array(L, L->root, "parties", true, "the scenario");
  const json_t *rats =
      get_array(L, L->root, "ratifiers", false, "the scenario");
  size_t np = parties ? json_array_size(parties) : 0;
  size_t nr = rats ? json_array_size(rats) : 0;
  if (parties && (np < 2 || np > PL_MAX_PARTIES)) {
    fail(L, parties, "a scenario needs 2 to %d parties, not %zu",
         PL_MAX_PARTIES, np);
    return false;
  }
  if (nr > PL_MAX_RATIFIERS) {
    fail(L, rats, "at most %d ratifiers are supported", PL_MAX_RATIFIERS);
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
        fail(L, json_object_get(js, "name"),
             "the name '%s' is used by two parties or ratifiers",
             s->actors[a].name);
        ok = false;
      }
    if (!party && json_is_object(js)) {
      const char *owner = get_string(L, js, "party", false, "a ratifier");
      int32_t p = owner ? pl_find_actor(s, owner) : -1;
      if (owner && (p < 0 || p >= (int32_t)np)) {
        fail(L, json_object_get(js, "party"),
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
      get_array(L, L->root, "constraints", false, "the scenario");
  if (!arr)
    return !json_object_get(L->root, "constraints");
  return load_rules(L, arr, &L->s->constraints, &L->s->nconstraints,
                    "constraint", NULL);
}

static bool load_value(loader *L, const json_t *v, const pl_issue *is,
                       uint32_t *out, const char *who) {
  if (is->kind == PL_ISSUE_CATEGORICAL) {
    if (json_is_string(v))
      for (uint32_t k = 0; k < is->nvalues; k++)
        if (!strcmp(is->labels[k], json_string_value(v))) {
          *out = k;
          return true;
        }
    if (!json_is_string(v))
      fail(L, v,
           "%s: the value of '%s' must be one of its options (a "
           "string), not %s",
           who, is->name, pl_json_type_name(v));
    else
      fail(L, v, "%s: \"%s\" is not an option of issue '%s'", who,
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
    fail(L, v, "%s: %s is not one of the values of issue '%s'", who, b,
         is->name);
    return false;
  }
  fail(L, v, "%s: the value of numeric issue '%s' must be a number, not %s",
       who, is->name, pl_json_type_name(v));
  return false;
}

static bool load_proposal(loader *L, const json_t *js, pl_proposal *p,
                          size_t k) {
  static const char *const keys[] = {"name", "by", "outcome", NULL};
  char who[320];
  snprintf(who, sizeof who, "proposal %zu", k + 1);
  if (!json_is_object(js)) {
    fail(L, js, "%s must be an object, not %s", who, pl_json_type_name(js));
    return false;
  }
  check_keys(L, js, who, keys);
  p->name = get_string(L, js, "name", true, who);
  p->by = get_string(L, js, "by", false, who);
  p->description = get_string(L, js, "description", false, who);
  if (p->name)
    snprintf(who, sizeof who, "proposal '%s'", p->name);
  bool ok = p->name != NULL;
  if (p->by && pl_find_actor(L->s, p->by) < 0) {
    fail(L, json_object_get(js, "by"), "%s is by unknown party '%s'", who,
         p->by);
    ok = false;
  }
  const json_t *out = get_object(L, js, "outcome", true, who);
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
      fail(L, out, "%s gives no value for issue '%s'", who, s->issues[i].name);
      ok = false;
    }
  return ok;
}

static bool load_proposals(loader *L) {
  const json_t *arr = get_array(L, L->root, "proposals", false, "the scenario");
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
    "parley",      "name",      "title",     "issues",  "parties",
    "constraints", "ratifiers", "proposals", "reading", NULL};

/* "reading": how a converted scenario's numbers are to be read. */
static void load_reading(loader *L) {
  const char *r = get_string(L, L->root, "reading", false, "the scenario");
  if (!r || !strcmp(r, "parley"))
    return;
  if (!strcmp(r, "genius") || !strcmp(r, "raw")) {
    L->s->reading = !strcmp(r, "genius") ? PL_READING_GENIUS : PL_READING_RAW;
    L->imported = true;
    return;
  }
  fail_member(L, L->root, "reading", false,
              "\"reading\" is \"%s\"; expected \"parley\", \"genius\" or "
              "\"raw\"",
              r);
}

static void load_root(loader *L) {
  pl_scenario *s = L->s;
  check_keys(L, L->root, "the scenario", TOP_KEYS);
  const json_t *ver = json_object_get(L->root, "parley");
  if (ver && !(json_is_integer(ver) && json_integer_value(ver) == 1))
    fail(L, ver, "\"parley\" is the format version and must be 1");
  s->name = get_string(L, L->root, "name", false, "the scenario");
  s->title = get_string(L, L->root, "title", false, "the scenario");
  s->description = get_string(L, L->root, "description", false, "the scenario");
  load_reading(L);
  if (!load_issues(L))
    return; /* everything else refers to the issues */
  bool ok = load_actors(L);
  ok &= load_constraints(L);
  ok &= load_proposals(L);
  if (!ok)
    return;
  if (!pl_scenario_finish(s)) {
    fail(L, NULL, "out of memory while building utility tables");
    return;
  }
  if (pl_rules_satisfiable(s, -1) == 0)
    fail(L, json_object_get(L->root, "constraints"),
         "the constraints together exclude every outcome: no package can "
         "satisfy them all");
}

pl_scenario *pl_scenario_from_json(const char *text, const char *file,
                                   pl_diag *d) {
  json_error_t err;
  json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
  if (!root) {
    pl_diag_add(d, file, err.line > 0 ? err.line : 0,
                err.column > 0 ? err.column : 0, "invalid JSON: %s", err.text);
    return NULL;
  }
  loader L = {0};
  L.text = text;
  L.d = d;
  L.file = file;
  L.root = root;
  L.s = pl_scenario_new();
  L.pos = pl_json_pos_build(text, root);
  if (!L.s || !L.pos) {
    pl_diag_add(d, file, 0, 0, "out of memory");
    L.errors++;
  } else if (!json_is_object(root)) {
    fail(&L, root, "a scenario must be a JSON object, not %s",
         pl_json_type_name(root));
  } else {
    L.s->file = pl_arena_strdup(&L.s->arena, file ? file : "");
    load_root(&L);
  }
  pl_json_pos_free(L.pos);
  json_decref(root);
  if (L.errors) {
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
