/* divide_write.c - the report and the JSON document of `parley divide`
 * (docs/divide.md lists every key). Fractions are exact strings; decimals
 * are for display only. */
#include "division/division.h"
#include "util/fmt.h"
#include "util/json_write.h"

#include <jansson.h>
#include <string.h>

static const char *const METHOD_KEY[PL_DIVIDE_METHODS] = {"adjusted_winner",
                                                          "proportional"};
static const char *const METHOD_TITLE[PL_DIVIDE_METHODS] = {
    "Adjusted Winner (Brams and Taylor)", "Proportional Allocation"};

static json_t *rat_json(pl_rat r) {
  char t[64];
  pl_rat_text(r, t, sizeof t);
  return json_string(t);
}

static json_t *method_json(const pl_division *v, pl_divide_method m) {
  json_t *items = json_array();
  for (size_t i = 0; i < v->nitems; i++)
    json_array_append_new(
        items, json_pack("{s:s, s:[o, o]}", "name", v->items[i].name, "shares",
                         rat_json(pl_division_share(v, m, i, 0)),
                         rat_json(pl_division_share(v, m, i, 1))));
  json_t *o = json_pack("{s:o, s:[o, o], s:[f, f]}", "items", items, "points",
                        rat_json(v->total[m][0]), rat_json(v->total[m][1]),
                        "points_decimal",
                        pl_round_computed(pl_rat_to_double(v->total[m][0])),
                        pl_round_computed(pl_rat_to_double(v->total[m][1])));
  if (m == PL_DIVIDE_ADJUSTED_WINNER) {
    const pl_aw_trace *t = &v->aw;
    json_object_set_new(o, "winner_phase_points",
                        json_pack("[o, o]", rat_json(t->winner_points[0]),
                                  rat_json(t->winner_points[1])));
    json_object_set_new(o, "split_item",
                        t->split >= 0 ? json_string(v->items[t->split].name)
                                      : json_null());
  }
  return o;
}

pl_status pl_divide_write_json(const pl_division *v, FILE *out) {
  json_t *o =
      json_pack("{s:i, s:s?, s:[s, s], s:o, s:o}", "schema_version", 1, "file",
                v->file, "parties", v->party[0], v->party[1], METHOD_KEY[0],
                method_json(v, PL_DIVIDE_ADJUSTED_WINNER), METHOD_KEY[1],
                method_json(v, PL_DIVIDE_PROPORTIONAL));
  if (!o)
    return PL_ENOMEM;
  int rc = pl_json_write(o, out);
  json_decref(o);
  return rc != 0 || fputc('\n', out) == EOF ? PL_EIO : PL_OK;
}

/* "3/7 (42.86%)", "1 (100%)", "0". */
static void share_text(pl_rat r, char *buf, size_t len) {
  char t[64];
  pl_rat_text(r, t, sizeof t);
  if (r.num == 0)
    snprintf(buf, len, "0");
  else
    snprintf(buf, len, "%s (%.2f%%)", t, 100.0 * pl_rat_to_double(r));
}

static void points_text(pl_rat r, char *buf, size_t len) {
  char t[64];
  pl_rat_text(r, t, sizeof t);
  if (r.den == 1)
    snprintf(buf, len, "%s", t);
  else
    snprintf(buf, len, "%s = %.3f", t, pl_rat_to_double(r));
}

static size_t widest_name(const pl_division *v) {
  size_t w = 4;
  for (size_t i = 0; i < v->nitems; i++)
    if (strlen(v->items[i].name) > w)
      w = strlen(v->items[i].name);
  return w;
}

static void print_method(const pl_division *v, pl_divide_method m, FILE *out) {
  int w = (int)widest_name(v);
  char a[96], b[96], pa[32], pb[32];
  fprintf(out, "\n%s\n", METHOD_TITLE[m]);
  fprintf(out, "  %-*s  %10s %10s   %-20s %s\n", w, "item", v->party[0],
          v->party[1], v->party[0], v->party[1]);
  fprintf(out, "  %-*s  %10s %10s   %-20s %s\n", w, "", "points", "points",
          "share", "share");
  for (size_t i = 0; i < v->nitems; i++) {
    pl_rat_text(v->items[i].points[0], pa, sizeof pa);
    pl_rat_text(v->items[i].points[1], pb, sizeof pb);
    share_text(pl_division_share(v, m, i, 0), a, sizeof a);
    share_text(pl_division_share(v, m, i, 1), b, sizeof b);
    fprintf(out, "  %-*s  %10s %10s   %-20s %s\n", w, v->items[i].name, pa, pb,
            a, b);
  }
  points_text(v->total[m][0], a, sizeof a);
  points_text(v->total[m][1], b, sizeof b);
  fprintf(out, "  points received: %s %s, %s %s\n", v->party[0], a, v->party[1],
          b);
}

pl_status pl_divide_write_text(const pl_division *v, FILE *out) {
  fprintf(out, "parley %s - fair division between %s and %s, %zu item(s)\n",
          pl_version(), v->party[0], v->party[1], v->nitems);
  print_method(v, PL_DIVIDE_ADJUSTED_WINNER, out);
  const pl_aw_trace *t = &v->aw;
  char a[96], b[96];
  points_text(t->winner_points[0], a, sizeof a);
  points_text(t->winner_points[1], b, sizeof b);
  fprintf(out,
          "  winner phase (each item to the higher bidder, ties to the party "
          "behind): %s %s, %s %s\n",
          v->party[0], a, v->party[1], b);
  if (t->leader < 0)
    fprintf(out, "  equal already: nothing moves.\n");
  else if (t->split < 0)
    fprintf(out, "  %zu item(s) moved whole from %s; none split.\n", t->moved,
            v->party[t->leader]);
  else
    fprintf(out,
            "  %zu item(s) moved whole from %s, then '%s' split: equal points, "
            "efficient and envy-free.\n",
            t->moved, v->party[t->leader], v->items[t->split].name);
  print_method(v, PL_DIVIDE_PROPORTIONAL, out);
  fprintf(out, "  each item split in proportion to the points: equitable, "
               "not always efficient.\n");
  return ferror(out) ? PL_EIO : PL_OK;
}
