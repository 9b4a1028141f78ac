/* divide_read.c - reading a division problem (docs/divide.md):
 *
 *   {"parties": ["Ann", "Ben"],
 *    "items": [{"name": "Car", "points": [35, 20]}, ...]}
 *
 * Points are read from the text as exact decimals (jansson's doubles would
 * round 0.1), and every problem is reported at its file:line:column.
 */
#include "division/division.h"
#include "io/json_doc.h"
#include "io/scenario_io.h"

#include <stdlib.h>
#include <string.h>

/* The exact decimal written at `node`'s place in the text. */
static bool exact_number(pl_json_doc *j, const json_t *node, pl_rat *out) {
  size_t at;
  if (!json_is_number(node) || !pl_json_pos_offset(j->pos, node, &at))
    return false;
  size_t len = strspn(j->text + at, "+-0123456789.eE");
  return pl_rat_parse_decimal(j->text + at, len, out);
}

static void read_parties(pl_json_doc *j, pl_division *v, const json_t *root) {
  const json_t *p = pl_json_get_array(j, root, "parties", true, "the file");
  if (!p)
    return;
  if (json_array_size(p) != 2) {
    pl_json_fail(j, p,
                 "\"parties\" must name exactly two parties (Adjusted Winner "
                 "and Proportional Allocation divide between two), not %zu",
                 json_array_size(p));
    return;
  }
  for (size_t k = 0; k < 2; k++) {
    const json_t *name = json_array_get(p, k);
    if (!json_is_string(name) || !*json_string_value(name)) {
      pl_json_fail(j, name, "a party's name must be a non-empty string");
      return;
    }
    v->party[k] = pl_arena_strdup(&v->arena, json_string_value(name));
    if (!v->party[k]) {
      pl_json_fail(j, NULL, "out of memory");
      return;
    }
  }
  if (!strcmp(v->party[0], v->party[1]))
    pl_json_fail(j, json_array_get(p, 1), "both parties are named '%s'",
                 v->party[0]);
}

static void read_item(pl_json_doc *j, pl_division *v, const json_t *obj,
                      size_t k) {
  static const char *const keys[] = {"name", "points", NULL};
  pl_division_item *it = &v->items[k];
  if (!json_is_object(obj)) {
    pl_json_fail(j, obj, "item %zu must be an object, not %s", k + 1,
                 pl_json_type_name(obj));
    return;
  }
  pl_json_check_keys(j, obj, "an item", keys, false);
  it->name = pl_json_get_string(j, &v->arena, obj, "name", true, "an item");
  const char *name = it->name ? it->name : "?";
  for (size_t i = 0; it->name && i < k; i++)
    if (v->items[i].name && !strcmp(v->items[i].name, it->name))
      pl_json_fail_member(j, obj, "name", false, "two items are named '%s'",
                          name);
  const json_t *pts = pl_json_get_array(j, obj, "points", true, "an item");
  if (!pts)
    return;
  if (json_array_size(pts) != 2) {
    pl_json_fail(j, pts,
                 "item '%s': \"points\" needs one number per party "
                 "(2), not %zu",
                 name, json_array_size(pts));
    return;
  }
  for (size_t p = 0; p < 2; p++) {
    const json_t *x = json_array_get(pts, p);
    if (!exact_number(j, x, &it->points[p])) {
      pl_json_fail(j, x,
                   "item '%s': points must be plain decimal numbers (at most "
                   "12 decimals, no exponent), not %s",
                   name, json_is_number(x) ? "this" : pl_json_type_name(x));
      continue;
    }
    if (it->points[p].num < 0)
      pl_json_fail(j, x, "item '%s': %s's points are negative", name,
                   v->party[p] ? v->party[p] : "a party");
  }
}

static void read_items(pl_json_doc *j, pl_division *v, const json_t *root) {
  const json_t *items = pl_json_get_array(j, root, "items", true, "the file");
  if (!items)
    return;
  if (json_array_size(items) == 0) {
    pl_json_fail(j, items, "\"items\" is empty: nothing to divide");
    return;
  }
  v->nitems = json_array_size(items);
  v->items = pl_arena_calloc(&v->arena, v->nitems, sizeof *v->items);
  if (!v->items) {
    pl_json_fail(j, NULL, "out of memory");
    return;
  }
  for (size_t k = 0; k < v->nitems; k++)
    read_item(j, v, json_array_get(items, k), k);
  if (j->errors)
    return;
  for (uint32_t p = 0; p < 2; p++) {
    pl_rat_ctx c = {true};
    pl_rat sum = pl_rat_int(0);
    for (size_t k = 0; k < v->nitems; k++)
      sum = pl_rat_add(&c, sum, v->items[k].points[p]);
    char t[64];
    pl_rat_text(sum, t, sizeof t);
    if (!c.ok || pl_rat_cmp(sum, pl_rat_int(100)) != 0)
      pl_json_fail(j, items,
                   "%s's points sum to %s, not 100 (each party spreads "
                   "exactly 100 points over the items)",
                   v->party[p] ? v->party[p] : "a party",
                   c.ok ? t : "too large a number");
  }
}

pl_division *pl_divide_load_string(const char *text, const char *filename,
                                   pl_diag *d) {
  pl_json_doc j;
  json_t *root = pl_json_doc_open(&j, text, filename, d);
  if (!root)
    return NULL;
  pl_division *v = calloc(1, sizeof *v);
  if (!v) {
    pl_json_doc_close(&j, root);
    pl_diag_add(d, filename, 0, 0, "out of memory");
    return NULL;
  }
  pl_arena_init(&v->arena);
  v->file = filename ? pl_arena_strdup(&v->arena, filename) : NULL;
  if (filename && !v->file) {
    pl_json_fail(&j, NULL, "out of memory");
  } else if (!json_is_object(root)) {
    pl_json_fail(&j, root, "a division problem is an object, not %s",
                 pl_json_type_name(root));
  } else {
    static const char *const keys[] = {"parties", "items", "name", NULL};
    pl_json_check_keys(&j, root, "the file", keys, false);
    read_parties(&j, v, root);
    read_items(&j, v, root);
  }
  if (!j.errors && !pl_division_solve(v))
    pl_json_fail(&j, NULL,
                 "the exact fractions outgrow 64-bit integers: use fewer "
                 "decimals in the points");
  size_t errors = j.errors;
  pl_json_doc_close(&j, root);
  if (errors) {
    pl_divide_free(v);
    return NULL;
  }
  return v;
}

pl_division *pl_divide_load_file(const char *path, pl_diag *d) {
  char *text = pl_read_file(path, d);
  if (!text)
    return NULL;
  pl_division *v = pl_divide_load_string(text, path, d);
  free(text);
  return v;
}
