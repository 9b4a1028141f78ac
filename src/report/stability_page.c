/* stability_page.c - the report of a conflict's stability analysis
 * (parley_report.h): the state table with the equilibria per concept,
 * and up to PL_REPORT_MAX_GRAPH_STATES states the graph of improving moves
 * per decision maker with the status quo path. */
#include "report/page.h"
#include "stability/analysis.h"
#include "stability/describe.h"
#include "stability/gm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rows of the state table at most. */
enum { MAX_TABLE_STATES = 512 };

static bool asked(const pl_stability *a, unsigned k) {
  return a->concepts >> k & 1;
}

static void state_table(pl_report *r, const pl_stability *a) {
  const pl_conflict *c = a->c;
  uint64_t n = pl_stability_num_states(a);
  const char *head[4 + GM_NCONCEPTS] = {"state", "name", "options (Y/N)"};
  for (unsigned k = 0; k < GM_NCONCEPTS; k++)
    head[3 + k] = GM_CONCEPT_NAME[k];
  pl_page_table_begin(r,
                      "States and equilibria (yes: stable for every "
                      "decision maker)",
                      head, 3 + GM_NCONCEPTS);
  for (uint64_t s = 1; s <= n && s <= MAX_TABLE_STATES; s++) {
    uint64_t code = pl_stability_state_code(a, s);
    char num[32], yn[GM_MAX_OPTIONS + 1], cells[GM_NCONCEPTS][300];
    snprintf(num, sizeof num, "#%llu", (unsigned long long)s);
    gm_state_yn(c, code, yn);
    const char *row[3 + GM_NCONCEPTS] = {num, gm_state_name(c, code), yn};
    for (unsigned k = 0; k < GM_NCONCEPTS; k++) {
      if (!asked(a, k)) {
        snprintf(cells[k], sizeof cells[k], "-");
      } else if (pl_stability_is_equilibrium(a, (pl_concept)k, s)) {
        snprintf(cells[k], sizeof cells[k], "yes");
      } else { /* who can break it */
        size_t len = (size_t)snprintf(cells[k], sizeof cells[k], "no:");
        for (uint32_t dm = 0; dm < c->n && len < sizeof cells[k]; dm++)
          if (!pl_stability_is_stable(a, (pl_concept)k, dm, s))
            len += (size_t)snprintf(cells[k] + len, sizeof cells[k] - len,
                                    " %s", c->dms[dm].name);
      }
      row[3 + k] = cells[k];
    }
    pl_page_table_row(r, row, 3 + GM_NCONCEPTS);
  }
  pl_page_table_end(r);
  if (n > MAX_TABLE_STATES)
    pl_page_para(r, "note", "The table lists the first %d of %llu states.",
                 MAX_TABLE_STATES, (unsigned long long)n);
}

/* ---- The graph ---------------------------------------------------------- */

typedef struct node {
  double x, y;
} node;

/* An arrow from p to q bent to the left by `bend` (so that moves both
 * ways do not overlap), stopping at the target's circle. */
static void arrow(pl_svg *g, node p, node q, double radius, double bend,
                  const char *colour, double width, const char *tip) {
  double dx = q.x - p.x, dy = q.y - p.y, len = sqrt(dx * dx + dy * dy);
  if (len < 1)
    return;
  double nx = -dy / len, ny = dx / len;
  double cx = (p.x + q.x) / 2 + nx * bend, cy = (p.y + q.y) / 2 + ny * bend;
  /* end point on the target circle, along the control-to-target line */
  double ex = q.x - cx, ey = q.y - cy, el = sqrt(ex * ex + ey * ey);
  double tx = q.x - ex / el * radius, ty = q.y - ey / el * radius;
  double bx = cx - p.x, by = cy - p.y, bl = sqrt(bx * bx + by * by);
  double sx = p.x + bx / bl * radius, sy = p.y + by / bl * radius;
  pl_svg_group_begin(g, tip);
  pl_buf_puts(&g->b, "<path d=\"M");
  pl_svg_num(g, sx, 1, ",");
  pl_svg_num(g, sy, 1, "Q");
  pl_svg_num(g, cx, 1, ",");
  pl_svg_num(g, cy, 1, " ");
  pl_svg_num(g, tx, 1, ",");
  pl_svg_num(g, ty, 1, "\" fill=\"none\" stroke=\"");
  pl_buf_puts(&g->b, colour);
  pl_buf_puts(&g->b, "\" stroke-width=\"");
  pl_svg_num(g, width, 1, "\"/>\n");
  /* the head: a triangle pointing along the curve's end */
  double ux = ex / el, uy = ey / el, hl = 7 + width, hw = 3.5 + width / 2;
  pl_buf_puts(&g->b, "<path d=\"M");
  pl_svg_num(g, tx, 1, ",");
  pl_svg_num(g, ty, 1, "L");
  pl_svg_num(g, tx - ux * hl - uy * hw, 1, ",");
  pl_svg_num(g, ty - uy * hl + ux * hw, 1, "L");
  pl_svg_num(g, tx - ux * hl + uy * hw, 1, ",");
  pl_svg_num(g, ty - uy * hl - ux * hw, 1, "Z\" fill=\"");
  pl_buf_puts(&g->b, colour);
  pl_buf_puts(&g->b, "\"/>\n");
  pl_svg_group_end(g);
}

/* Every unilateral improvement of `dm` from state number s: calls out
 * with each target state number. */
static void improvements(const pl_stability *a, uint32_t dm, uint64_t s,
                         uint64_t *to, size_t *nto, size_t cap) {
  const pl_conflict *c = a->c;
  uint64_t code = pl_stability_state_code(a, s);
  uint64_t ch = gm_changeable(c, dm, code);
  *nto = 0;
  if (__builtin_popcountll(ch) > 16) /* 65,536 subsets at most */
    return;
  uint32_t here = gm_score(&a->x, dm, code);
  for (uint64_t sub = ch; sub && *nto < cap; sub = (sub - 1) & ch) {
    uint64_t next = code ^ sub;
    if (!gm_has(&a->x.space, next) || gm_score(&a->x, dm, next) <= here)
      continue;
    to[(*nto)++] = gm_index(&a->x.space, next) + 1;
  }
}

static void graph(pl_report *r, const pl_stability *a) {
  const pl_conflict *c = a->c;
  uint64_t n = pl_stability_num_states(a);
  const double size = 620, cx = 310, cy = 300, radius = n > 24 ? 13 : 17;
  double ring = 250;
  node *at = calloc(n + 1, sizeof *at);
  uint64_t *to = malloc(PL_REPORT_MAX_GRAPH_STATES * sizeof *to);
  if (!at || !to) {
    free(at), free(to);
    r->failed = true;
    return;
  }
  for (uint64_t s = 1; s <= n; s++) {
    double t = 2 * 3.14159265358979 * (double)(s - 1) / (double)n;
    at[s] = (node){cx + ring * sin(t), cy - ring * cos(t)};
  }
  pl_svg g;
  double legend_h = 40 + 18.0 * (c->n + 4);
  pl_svg_begin(&g, size + 280, size > legend_h ? size : legend_h,
               "Stability: improving moves per decision maker",
               "States on a circle; an arrow is a unilateral improvement, "
               "coloured by the decision maker who makes it.");
  /* the concept that marks equilibria: the first asked for (Nash, the
   * strictest, when it was) */
  int eq = -1;
  for (int k = GM_NCONCEPTS - 1; k >= 0; k--)
    if (asked(a, (unsigned)k))
      eq = k;
  for (uint32_t dm = 0; dm < c->n; dm++)
    for (uint64_t s = 1; s <= n; s++) {
      size_t nto;
      improvements(a, dm, s, to, &nto, PL_REPORT_MAX_GRAPH_STATES);
      for (size_t k = 0; k < nto; k++) {
        char tip[600];
        snprintf(tip, sizeof tip, "%s improves from state %llu to %llu",
                 c->dms[dm].name, (unsigned long long)s,
                 (unsigned long long)to[k]);
        arrow(&g, at[s], at[to[k]], radius, 14 + 6.0 * dm,
              pl_category_colour(dm), 1.2, tip);
      }
    }
  /* the status quo path: shortest by improvements to the first
   * equilibrium it reaches */
  uint64_t from = 0;
  if (a->has_from && a->by_improvements) {
    from = gm_index(&a->x.space, a->from) + 1;
    for (uint64_t s = 1; s <= n && eq >= 0; s++) {
      if (!pl_stability_is_equilibrium(a, (pl_concept)eq, s) || s == from)
        continue;
      gm_path p =
          gm_bfs_path(a->by_improvements, pl_stability_state_code(a, s));
      if (!p.found) {
        gm_path_free(&p);
        continue;
      }
      uint64_t prev = from;
      for (uint32_t k = 0; k < p.n; k++) {
        uint64_t next = gm_index(&a->x.space, p.steps[k].code) + 1;
        arrow(&g, at[prev], at[next], radius, 14 + 6.0 * p.steps[k].dm,
              "#000000", 3.5, "status quo path");
        prev = next;
      }
      gm_path_free(&p);
      break;
    }
  }
  for (uint64_t s = 1; s <= n; s++) {
    uint64_t code = pl_stability_state_code(a, s);
    bool is_eq = eq >= 0 && pl_stability_is_equilibrium(a, (pl_concept)eq, s);
    char label[600], num[32];
    gm_state_label(a, code, label, sizeof label);
    snprintf(num, sizeof num, "%llu", (unsigned long long)s);
    pl_svg_group_begin(&g, label);
    pl_svg_marker(&g, 'o', at[s].x, at[s].y, radius,
                  is_eq ? PL_OKABE_ITO[PL_C_GREEN] : "#ffffff",
                  s == from ? PL_OKABE_ITO[PL_C_VERMILLION] : "#000000", NULL);
    if (s == from)
      pl_svg_marker(&g, 'o', at[s].x, at[s].y, radius + 3, NULL,
                    PL_OKABE_ITO[PL_C_VERMILLION], NULL);
    pl_svg_text(&g, at[s].x, at[s].y + 4, "middle", 11, true, 0,
                is_eq ? "#ffffff" : "#000000", num);
    pl_svg_group_end(&g);
  }
  double lx = size + 20, ly = 30;
  pl_svg_text(&g, lx - 8, ly, "start", 12, true, 0, NULL, "improving moves by");
  for (uint32_t dm = 0; dm < c->n; dm++)
    pl_svg_legend_item(&g, lx, ly += 18, '-', pl_category_colour(dm),
                       c->dms[dm].name);
  char eqlabel[80];
  snprintf(eqlabel, sizeof eqlabel, "equilibrium (%s)",
           eq >= 0 ? GM_CONCEPT_NAME[eq] : "none asked");
  pl_svg_legend_item(&g, lx, ly += 26, 'o', PL_OKABE_ITO[PL_C_GREEN], eqlabel);
  if (from) {
    pl_svg_legend_item(&g, lx, ly += 18, 'o', "#ffffff",
                       "status quo (red ring)");
    pl_svg_legend_item(&g, lx, ly + 18, '-', "#000000", "status quo path");
  }
  free(at), free(to);
  pl_page_plot(r, "stability-graph", &g,
               "Each circle is a feasible state (its number as in the "
               "table); an arrow is a move one decision maker can make "
               "alone and prefers (a unilateral improvement). Green states "
               "are equilibria; the thick black arrows are the shortest "
               "path of improvements from the status quo to an "
               "equilibrium.");
}

pl_status pl_report_add_stability(pl_report *r, const pl_stability *a,
                                  pl_diag *d) {
  (void)d;
  const pl_conflict *c = a->c;
  char heading[600];
  snprintf(heading, sizeof heading, "Stability: %s",
           c->title  ? c->title
           : c->name ? c->name
                     : "conflict");
  pl_page_section(r, heading);
  uint64_t n = pl_stability_num_states(a);
  pl_page_para(r, "note",
               "%u decision makers, %u options, %llu feasible "
               "states (docs/stability.md).",
               c->n, c->m, (unsigned long long)n);
  for (unsigned k = 0; k < GM_NCONCEPTS; k++) {
    if (!asked(a, k))
      continue;
    char list[1000];
    size_t len = 0;
    list[0] = 0;
    for (uint64_t s = 1; s <= n && len < sizeof list; s++)
      if (pl_stability_is_equilibrium(a, (pl_concept)k, s))
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%llu",
                                len ? ", " : "", (unsigned long long)s);
    pl_page_para(r, NULL, "%s equilibria: %s.", GM_CONCEPT_NAME[k],
                 len ? list : "none");
  }
  if (n <= PL_REPORT_MAX_GRAPH_STATES)
    graph(r, a);
  else
    pl_page_para(r, "note",
                 "%llu states: more than %d, so the graph of moves is not "
                 "drawn; the table below lists them.",
                 (unsigned long long)n, PL_REPORT_MAX_GRAPH_STATES);
  state_table(r, a);
  return r->failed ? PL_ENOMEM : PL_OK;
}
