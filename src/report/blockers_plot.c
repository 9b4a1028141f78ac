/* blockers_plot.c - who blocks: the actors that fall short on each
 * blocking set, and by how much (plots.h).
 *
 * For a blocking set S and a combination c of its values, the package
 * shown is the one with S = c that meets every constraint and red line and
 * has the largest smallest margin min_a (u_a - threshold_a): the package
 * that needs the least uniform concession once S is settled as c (the
 * minimal concession of docs/analysis.md restricted to S = c). Each
 * actor's shortfall there is max(0, threshold_a - u_a); the actors with a
 * shortfall are the ones who block that settlement of S. The packages
 * are the analysis's own (pl_blocking_who, docs/analysis.md 7.5), so the
 * plot and the text and JSON reports name the same ones.
 */
#include "io/report.h"
#include "parley_design.h"
#include "report/plots.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

/* Rows shown per blocking set: the combinations needing least concession. */
enum { ROWS_PER_SET = 8, ROWS_PER_PAIR = 3, MAX_COLUMNS = 14 };

typedef struct best {
  double margin; /* -DBL_MAX: no package with S = c keeps the rules */
  uint64_t index;
} best;

typedef struct row {
  uint32_t set;
  uint64_t combo;
  best b;
} row;

/* A blocking set's best packages, one per combination of its values. */
typedef struct table {
  best *e; /* NULL: out of memory */
  uint64_t n;
} table;

/* t[set].e[combo] for every set, from the analysis's who-blocks results
 * (pl_blocking_who: the same best completion the text and JSON reports
 * show), with the smallest margin min_a (u_a - threshold_a) there. */
static table *find_best(const pl_analysis *a) {
  const pl_scenario *s = a->s;
  table *t = calloc(a->nblocks, sizeof *t);
  uint32_t v[PL_MAX_ISSUES];
  for (size_t k = 0; t && k < a->nblocks; k++) {
    uint64_t n = pl_blocking_who_count(a, k);
    best *e = t[k].e = malloc((n ? n : 1) * sizeof *e);
    if (!e)
      return t; /* caller frees; checked per set */
    t[k].n = n;
    for (uint64_t c = 0; c < n; c++) {
      e[c] = (best){-DBL_MAX, 0};
      if (!pl_blocking_who(a, k, c, NULL, v, NULL))
        continue;
      double m = DBL_MAX;
      for (uint32_t p = 0; p < pl_num_actors(s); p++) {
        double margin = pl_actor_utility(s, p, v) - s->actors[p].threshold;
        m = margin < m ? margin : m;
      }
      e[c] = (best){m, pl_values_to_index(s, v)};
    }
  }
  return t;
}

static int cmp_rows(const void *p, const void *q) {
  const row *a = p, *b = q;
  if (a->set != b->set)
    return a->set < b->set ? -1 : 1;
  if (a->b.margin != b->b.margin)
    return a->b.margin > b->b.margin ? -1 : 1;
  return (a->combo > b->combo) - (a->combo < b->combo);
}

static void combo_label(const pl_scenario *s, const pl_block *b, uint64_t c,
                        char *buf, size_t len) {
  uint32_t vals[2] = {0, 0};
  if (b->nissues == 1)
    vals[0] = (uint32_t)c;
  else {
    uint32_t n1 = s->issues[b->issues[1]].nvalues;
    vals[0] = (uint32_t)(c / n1), vals[1] = (uint32_t)(c % n1);
  }
  size_t k = 0;
  for (uint32_t i = 0; i < b->nissues && i < 2 && k < len; i++) {
    char val[200];
    pl_issue_value_text(s, b->issues[i], vals[i], val, sizeof val);
    k += (size_t)snprintf(buf + k, len - k, "%s%s = %s", i ? ", " : "",
                          s->issues[b->issues[i]].name, val);
  }
}

/* Keeps ROWS_PER_SET rows per set, sorted; returns how many. */
static size_t pick_rows(const pl_analysis *a, const table *t, row *out) {
  size_t n = 0;
  for (size_t k = 0; k < a->nblocks; k++) {
    uint64_t nc = t[k].n;
    size_t first = n;
    size_t keep = a->blocks[k].nissues == 1 ? ROWS_PER_SET : ROWS_PER_PAIR;
    for (uint64_t c = 0; c < nc; c++) {
      row rw = {(uint32_t)k, c, t[k].e[c]};
      if (rw.b.margin == -DBL_MAX)
        continue;
      /* insertion into the set's sorted top rows */
      size_t have = n - first;
      if (have == keep && cmp_rows(&rw, &out[n - 1]) >= 0)
        continue;
      size_t at = have == keep ? n - 1 : n++;
      out[at] = rw;
      while (at > first && cmp_rows(&out[at], &out[at - 1]) < 0) {
        row tmp = out[at];
        out[at] = out[at - 1], out[at - 1] = tmp;
        at--;
      }
    }
  }
  return n;
}

static void draw_matrix(pl_report *r, const pl_analysis *a, const row *rows,
                        size_t n) {
  const pl_scenario *s = a->s;
  uint32_t na = pl_num_actors(s) < MAX_COLUMNS ? pl_num_actors(s) : MAX_COLUMNS;
  const double left = 340, top = 64, cw = 100, ch = 22;
  double maxshort = 0;
  for (size_t k = 0; k < n; k++)
    maxshort = -rows[k].b.margin > maxshort ? -rows[k].b.margin : maxshort;
  pl_svg g;
  pl_svg_begin(&g, left + cw * (na + 1) + 20, top + ch * (double)n + 70,
               "Who blocks: shortfalls per blocking set and actor",
               "Rows: a blocking set settled at one combination of values; "
               "columns: actors; cells: how far the actor's utility falls "
               "below its threshold at the best package with that "
               "settlement.");
  for (uint32_t p = 0; p <= na; p++) {
    const char *name = p < na ? s->actors[p].name : "needed";
    char shortname[40];
    snprintf(shortname, sizeof shortname, "%.14s%s", name,
             strlen(name) > 14 ? "." : "");
    double x = left + cw * p + cw / 2;
    pl_svg_group_begin(&g, name);
    pl_svg_text(&g, x, top - 24, "middle", 11, true, 0, NULL, shortname);
    pl_svg_text(&g, x, top - 10, "middle", 10, false, 0, "#555555",
                p >= na           ? "(concession)"
                : p < s->nparties ? "(party)"
                                  : "(ratifier)");
    pl_svg_group_end(&g);
  }
  uint32_t last_set = UINT32_MAX;
  for (size_t k = 0; k < n; k++) {
    double y = top + ch * (double)k;
    char label[600];
    combo_label(s, &a->blocks[rows[k].set], rows[k].combo, label, sizeof label);
    if (rows[k].set != last_set && k)
      pl_svg_line(&g, 10, y, left + cw * (na + 1), y, "#000000", 1.5, NULL);
    last_set = rows[k].set;
    char shown[64];
    snprintf(shown, sizeof shown, "%.50s%s", label,
             strlen(label) > 50 ? "..." : "");
    pl_svg_group_begin(&g, label);
    pl_svg_text(&g, left - 8, y + 15, "end", 11, false, 0, NULL, shown);
    pl_svg_group_end(&g);
    uint32_t v[PL_MAX_ISSUES];
    pl_index_to_values(s, rows[k].b.index, v);
    for (uint32_t p = 0; p <= na; p++) {
      double sh = p < na ? s->actors[p].threshold - pl_actor_utility(s, p, v)
                         : -rows[k].b.margin;
      char num[32], colour[8], tip[700];
      bool short_ = sh > PL_EPS;
      pl_viridis(maxshort > 0 ? 1 - sh / maxshort : 1, colour);
      snprintf(tip, sizeof tip, "%s: %s %s %s", label,
               p < na ? s->actors[p].name : "concession",
               short_ ? "falls short by" : "is satisfied, margin",
               pl_page_fixed(num, sizeof num, short_ ? sh : -sh, 3));
      pl_svg_group_begin(&g, tip);
      pl_svg_rect(&g, left + cw * p, y, cw, ch, short_ ? colour : "#ffffff",
                  "#bbbbbb", 1);
      pl_svg_text(&g, left + cw * p + cw / 2, y + 15, "middle", 11, short_, 0,
                  short_ && (maxshort <= 0 || sh / maxshort > 0.45) ? "#ffffff"
                                                                    : "#000000",
                  short_ ? pl_page_fixed(num, sizeof num, sh, 3) : "ok");
      pl_svg_group_end(&g);
    }
  }
  double ly = top + ch * (double)n + 28;
  pl_svg_text(&g, 10, ly, "start", 11, false, 0, NULL,
              "Cell: shortfall below the threshold (darker = larger); "
              "\"ok\": threshold met.");
  char dark[8], light[8];
  pl_viridis(0, dark), pl_viridis(0.9, light);
  pl_svg_legend_item(&g, 18, ly + 20, '#', light, "small shortfall");
  pl_svg_legend_item(&g, 150, ly + 20, '#', dark, "largest shortfall");
  pl_page_plot(
      r, "who-blocks", &g,
      "Each row settles a blocking set at one combination of "
      "values (the combinations needing least concession first, "
      "at most 8 per issue, 3 per pair) and takes the package that needs the "
      "least uniform concession with that settlement; the cells "
      "give each actor's shortfall there. The last column is the "
      "concession that package needs (the largest shortfall).");
}

/* Sentences under the matrix: who falls short at every settlement of a
 * single blocking issue, and at the best settlement of each pair. */
static void describe(pl_report *r, const pl_analysis *a, const row *rows,
                     size_t n) {
  const pl_scenario *s = a->s;
  for (size_t k = 0; k < n; k++) {
    const pl_block *b = &a->blocks[rows[k].set];
    if (b->nissues > 1 && k && rows[k].set == rows[k - 1].set)
      continue;
    char label[600], text[2000], num[32];
    combo_label(s, b, rows[k].combo, label, sizeof label);
    uint32_t v[PL_MAX_ISSUES];
    pl_index_to_values(s, rows[k].b.index, v);
    size_t len = 0;
    for (uint32_t p = 0; p < pl_num_actors(s) && len < sizeof text; p++) {
      double sh = s->actors[p].threshold - pl_actor_utility(s, p, v);
      if (sh > PL_EPS)
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s by %s",
                                len ? ", " : "", s->actors[p].name,
                                pl_page_fixed(num, sizeof num, sh, 3));
    }
    pl_page_para(r, NULL, "%s %s: %s%s.",
                 b->nissues > 1 ? "Best settlement with" : "With", label,
                 len ? "falling short: " : "everyone's threshold is met",
                 len ? text : "");
  }
}

void pl_plot_who_blocks(pl_report *r, const pl_analysis *a) {
  if (!a->nblocks || !a->enumerated)
    return;
  table *t = find_best(a);
  size_t total = a->nblocks * ROWS_PER_SET;
  row *rows = malloc(total * sizeof *rows);
  bool ok = t && rows;
  for (size_t k = 0; ok && k < a->nblocks; k++)
    ok = t[k].e != NULL;
  if (ok) {
    size_t n = pick_rows(a, t, rows);
    if (n) {
      draw_matrix(r, a, rows, n);
      describe(r, a, rows, n);
    }
  } else {
    r->failed = true;
  }
  for (size_t k = 0; t && k < a->nblocks; k++)
    free(t[k].e);
  free(t), free(rows);
}
