/* json_doc.c - reporting and typed members shared by the JSON loaders. */
#include "io/json_doc.h"
#include "util/fmt.h"
#include "util/suggest.h"

#include <stdarg.h>
#include <string.h>

/* ---- Reporting ---------------------------------------------------------- */

static void report(pl_json_doc *j, int line, int col, const char *fmt,
                   va_list ap) {
  pl_diag_addv(j->d, j->file, line, col, fmt, ap);
  j->errors++;
}

/* Where `node` (or its key) stands; 0:0 when unknown, so the message still
 * names the file. */
static void node_position(const pl_json_doc *j, const json_t *node, bool at_key,
                          int *line, int *col) {
  *line = *col = 0;
  if (!node)
    return;
  bool found = at_key ? pl_json_pos_key(j->pos, node, line, col)
                      : pl_json_pos_value(j->pos, node, line, col);
  if (!found && at_key) /* the root, an array element: no key */
    found = pl_json_pos_value(j->pos, node, line, col);
  if (!found)
    *line = *col = 0;
}

void pl_json_fail(pl_json_doc *j, const json_t *node, const char *fmt, ...) {
  int line, col;
  node_position(j, node, false, &line, &col);
  va_list ap;
  va_start(ap, fmt);
  report(j, line, col, fmt, ap);
  va_end(ap);
}

void pl_json_fail_key(pl_json_doc *j, const json_t *node, const char *fmt,
                      ...) {
  int line, col;
  node_position(j, node, true, &line, &col);
  va_list ap;
  va_start(ap, fmt);
  report(j, line, col, fmt, ap);
  va_end(ap);
}

void pl_json_fail_member(pl_json_doc *j, const json_t *obj, const char *key,
                         bool at_key, const char *fmt, ...) {
  int line = 0, col = 0;
  if (!pl_json_pos_member(j->pos, obj, key, at_key, &line, &col))
    line = col = 0;
  va_list ap;
  va_start(ap, fmt);
  report(j, line, col, fmt, ap);
  va_end(ap);
}

/* The file column of character `col` (1-based) of a JSON string whose
 * opening quote is at `raw` in the text, column `quote_col`: escapes such
 * as \" or \u00e9 take more columns in the file than in the string, and a
 * surrogate pair (\ud83d\ude00) is one character in twelve columns. */
static int column_in_string(const char *raw, int quote_col, int col) {
  int file_col = quote_col + 1;
  const char *p = raw + 1;
  for (int k = 1; k < col && *p && *p != '"'; k++) {
    if (*p == '\\') {
      bool pair = p[1] == 'u' && p[6] == '\\' && p[7] == 'u' &&
                  (p[2] == 'd' || p[2] == 'D') &&
                  strchr("89abAB", p[3]) != NULL;
      int n = p[1] == 'u' ? (pair ? 12 : 6) : 2;
      for (int i = 0; i < n && p[i]; i++)
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

void pl_json_fail_in_string(pl_json_doc *j, const json_t *str, int col,
                            const char *fmt, ...) {
  int line = 0, c0 = 0;
  size_t at;
  if (pl_json_pos_value(j->pos, str, &line, &c0) &&
      pl_json_pos_offset(j->pos, str, &at) && col > 0 && j->text[at] == '"')
    c0 = column_in_string(j->text + at, c0, col);
  va_list ap;
  va_start(ap, fmt);
  report(j, line, c0, fmt, ap);
  va_end(ap);
}

/* ---- Keys ---------------------------------------------------------------- */

/* Keys that any object may carry for people: they are kept or ignored.
 * "label" is optional because a tournament config has no use for it and
 * has always refused it. */
static bool is_comment_key(const char *k, bool allow_label) {
  return !strcmp(k, "description") || !strcmp(k, "source") ||
         !strcmp(k, "notes") || (allow_label && !strcmp(k, "label"));
}

void pl_json_check_keys(pl_json_doc *j, const json_t *obj, const char *what,
                        const char *const *allowed, bool allow_label) {
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)obj, key, val) {
    (void)val;
    bool ok = is_comment_key(key, allow_label);
    size_t n = 0;
    for (; allowed[n]; n++)
      ok = ok || !strcmp(key, allowed[n]);
    if (ok)
      continue;
    const char *hint = pl_suggest(key, allowed, n);
    if (hint)
      pl_json_fail_member(j, obj, key, true,
                          "unknown key '%s' in %s (did you mean '%s'?)", key,
                          what, hint);
    else
      pl_json_fail_member(j, obj, key, true, "unknown key '%s' in %s", key,
                          what);
  }
}

/* ---- Typed getters ------------------------------------------------------ */

const json_t *pl_json_get(pl_json_doc *j, const json_t *obj, const char *key,
                          bool required, const char *what) {
  const json_t *v = json_object_get(obj, key);
  if (!v && required)
    pl_json_fail(j, obj, "%s has no \"%s\"", what, key);
  return v;
}

const char *pl_json_get_string(pl_json_doc *j, pl_arena *arena,
                               const json_t *obj, const char *key,
                               bool required, const char *what) {
  const json_t *v = pl_json_get(j, obj, key, required, what);
  if (!v)
    return NULL;
  if (!json_is_string(v)) {
    pl_json_fail_member(j, obj, key, false,
                        "\"%s\" of %s must be a string, not %s", key, what,
                        pl_json_type_name(v));
    return NULL;
  }
  return arena ? pl_arena_strdup(arena, json_string_value(v))
               : json_string_value(v);
}

const json_t *pl_json_get_array(pl_json_doc *j, const json_t *obj,
                                const char *key, bool required,
                                const char *what) {
  const json_t *v = pl_json_get(j, obj, key, required, what);
  if (v && !json_is_array(v)) {
    pl_json_fail_member(j, obj, key, false,
                        "\"%s\" of %s must be an array, not %s", key, what,
                        pl_json_type_name(v));
    return NULL;
  }
  return v;
}

const json_t *pl_json_get_object(pl_json_doc *j, const json_t *obj,
                                 const char *key, bool required,
                                 const char *what) {
  const json_t *v = pl_json_get(j, obj, key, required, what);
  if (v && !json_is_object(v)) {
    pl_json_fail_member(j, obj, key, false,
                        "\"%s\" of %s must be an object, not %s", key, what,
                        pl_json_type_name(v));
    return NULL;
  }
  return v;
}

bool pl_json_get_number(pl_json_doc *j, const json_t *obj, const char *key,
                        bool required, const char *what, double lo, double hi,
                        double *out) {
  const json_t *v = pl_json_get(j, obj, key, required, what);
  if (!v)
    return false;
  if (!json_is_number(v)) {
    pl_json_fail_member(j, obj, key, false,
                        "\"%s\" of %s must be a number, not %s", key, what,
                        pl_json_type_name(v));
    return false;
  }
  double x = json_number_value(v);
  if (!(x >= lo && x <= hi)) {
    char a[32], b[32], c[32];
    pl_fmt_number(a, sizeof a, x);
    pl_fmt_number(b, sizeof b, lo);
    pl_fmt_number(c, sizeof c, hi);
    pl_json_fail(j, v, "\"%s\" of %s is %s; expected a number from %s to %s",
                 key, what, a, b, c);
    return false;
  }
  *out = x;
  return true;
}

json_t *pl_json_doc_open(pl_json_doc *j, const char *text, const char *file,
                         pl_diag *d) {
  *j = (pl_json_doc){.text = text, .file = file, .d = d};
  json_error_t err;
  json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
  if (!root) {
    pl_diag_add(d, file, err.line > 0 ? err.line : 0,
                err.column > 0 ? err.column : 0, "invalid JSON: %s", err.text);
    return NULL;
  }
  j->pos = pl_json_pos_build(text, root);
  if (!j->pos) {
    pl_diag_add(d, file, 0, 0, "out of memory");
    json_decref(root);
    return NULL;
  }
  return root;
}

void pl_json_doc_close(pl_json_doc *j, json_t *root) {
  pl_json_pos_free(j->pos);
  j->pos = NULL;
  json_decref(root);
}
