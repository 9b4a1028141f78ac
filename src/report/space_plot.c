/* space_plot.c - the outcome space in the parties' utilities (plots.h). */
#include "analysis/density.h"
#include "io/report.h"
#include "report/plots.h"

#include <stdlib.h>
#include <string.h>

/* Up to this many packages are drawn one point each; above, a density. */
enum { SCATTER_MAX = 6000, GRID = 64 };
/* Spaces up to this size are binned by walking every package; above, a
 * uniform sample of SAMPLES packages (10issues has 10^10). */
#define DENSITY_WALK 50000000ULL
#define DENSITY_SAMPLES 400000ULL
/* Pairwise panels for at most this many parties. */
enum { MAX_PANELS_PARTIES = 6 };

/* Where the packages lie, for every pair of the first k parties. */
typedef struct cloud {
  uint32_t k;
  /* scatter: n points, feasible ones with a zone flag */
  bool scatter;
  size_t n;
  double *u; /* n * k */
  bool *zone;
  pl_density *dens; /* otherwise */
} cloud;

static bool cloud_scatter(const pl_analysis *a, uint32_t k, cloud *c) {
  const pl_scenario *s = a->s;
  c->u = malloc((size_t)a->outcomes * k * sizeof *c->u);
  c->zone = malloc((size_t)a->outcomes * sizeof *c->zone);
  if (!c->u || !c->zone)
    return false;
  uint32_t v[PL_MAX_ISSUES];
  for (uint64_t o = 0; o < a->outcomes; o++) {
    pl_index_to_values(s, o, v);
    pl_verdicts vd;
    pl_judge(s, v, &vd);
    if (!vd.feasible)
      continue;
    for (uint32_t p = 0; p < k; p++)
      c->u[c->n * k + p] = vd.u[p];
    c->zone[c->n++] = vd.in_zone;
  }
  c->scatter = true;
  return true;
}

static bool cloud_build(const pl_space_view *v, uint32_t k, cloud *c,
                        pl_diag *d) {
  *c = (cloud){.k = k};
  const pl_analysis *a = v->a;
  if (!a->outcomes_overflow && a->outcomes <= SCATTER_MAX)
    return cloud_scatter(a, k, c);
  pl_density_options o = {.nx = GRID,
                          .ny = GRID,
                          .nactors = k,
                          .lo = v->lo,
                          .hi = v->hi,
                          .max_walk = DENSITY_WALK,
                          .samples = DENSITY_SAMPLES,
                          .seed = 1,
                          .threads = v->threads};
  for (uint32_t p = 0; p < k; p++)
    o.actors[p] = p;
  c->dens = pl_density_bin(a->s, &o, d);
  return c->dens != NULL;
}

static void cloud_free(cloud *c) {
  free(c->u), free(c->zone);
  pl_density_free(c->dens);
}

/* ---- One panel: parties i (x) and j (y) ---------------------------------- */

static void draw_cloud(pl_svg *g, const pl_axes *ax, const cloud *c, uint32_t i,
                       uint32_t j) {
  if (!c->scatter) {
    const uint32_t pair = pl_density_pair(c->k, i, j);
    const size_t cells = (size_t)GRID * GRID;
    pl_svg_density(g, ax, c->dens->feasible + pair * cells, GRID, GRID);
    return;
  }
  double *x = malloc((c->n + 1) * sizeof *x),
         *y = malloc((c->n + 1) * sizeof *y);
  if (!x || !y) {
    free(x), free(y);
    g->b.failed = true;
    return;
  }
  for (int pass = 0; pass < 2; pass++) { /* feasible, then the zone on top */
    size_t m = 0;
    for (size_t o = 0; o < c->n; o++)
      if (c->zone[o] == (pass == 1)) {
        x[m] = c->u[o * c->k + i];
        y[m++] = c->u[o * c->k + j];
      }
    pl_svg_scatter(g, ax, x, y, m, pass ? 2.6 : 1.8,
                   pass ? PL_OKABE_ITO[PL_C_GREEN] : "#9a9a9a",
                   pass ? 1 : 0.55);
  }
  free(x), free(y);
}

static int cmp_x(const void *p, const void *q) {
  const double *a = p, *b = q;
  if (a[0] != b[0])
    return (a[0] > b[0]) - (a[0] < b[0]);
  return (a[1] < b[1]) - (a[1] > b[1]);
}

/* The frontier projected on (i, j): points, and for 2 parties the line
 * through them in order of the first utility. */
static void draw_frontier(pl_svg *g, const pl_axes *ax, const pl_space_view *v,
                          uint32_t i, uint32_t j, bool line) {
  uint32_t np = v->a->s->nparties;
  double *xy = malloc((v->nfront + 1) * 2 * sizeof *xy);
  if (!xy) {
    g->b.failed = true;
    return;
  }
  for (size_t f = 0; f < v->nfront; f++) {
    xy[2 * f] = v->front_u[f * np + i];
    xy[2 * f + 1] = v->front_u[f * np + j];
  }
  if (line) {
    qsort(xy, v->nfront, 2 * sizeof *xy, cmp_x);
    pl_buf_puts(&g->b, "<polyline fill=\"none\" stroke=\"#000000\" "
                       "stroke-width=\"1.5\" points=\"");
    for (size_t f = 0; f < v->nfront; f++) {
      pl_svg_num(g, pl_axes_px(ax, xy[2 * f]), 1, ",");
      pl_svg_num(g, pl_axes_py(ax, xy[2 * f + 1]), 1, " ");
    }
    pl_buf_puts(&g->b, "\"/>\n");
  }
  double *x = malloc((v->nfront + 1) * sizeof *x);
  double *y = malloc((v->nfront + 1) * sizeof *y);
  for (size_t f = 0; x && y && f < v->nfront; f++)
    x[f] = xy[2 * f], y[f] = xy[2 * f + 1];
  if (x && y)
    pl_svg_scatter(g, ax, x, y, v->nfront, line ? 2.4 : 1.6, "#000000", 1);
  free(x), free(y), free(xy);
}

static void draw_reservations(pl_svg *g, const pl_axes *ax,
                              const pl_scenario *s, uint32_t i, uint32_t j,
                              bool shade) {
  double ri = s->actors[i].threshold, rj = s->actors[j].threshold;
  double xr = pl_axes_px(ax, ri), yr = pl_axes_py(ax, rj);
  if (shade)
    pl_svg_rect(g, xr, ax->y, ax->x + ax->w - xr, yr - ax->y,
                PL_OKABE_ITO[PL_C_SKY], NULL, 0.12);
  const char *red = PL_OKABE_ITO[PL_C_VERMILLION];
  if (ri >= ax->xmin && ri <= ax->xmax)
    pl_svg_line(g, xr, ax->y, xr, ax->y + ax->h, red, 1.2, "6,4");
  if (rj >= ax->ymin && rj <= ax->ymax)
    pl_svg_line(g, ax->x, yr, ax->x + ax->w, yr, red, 1.2, "6,4");
}

static void tip_for(const pl_mark *m, const pl_scenario *s, char *buf,
                    size_t len) {
  size_t k = (size_t)snprintf(buf, len, "%s:", m->label);
  for (uint32_t p = 0; p < s->nparties && k < len; p++) {
    char num[32];
    k += (size_t)snprintf(buf + k, len - k, "%s %s = %s", p ? "," : "",
                          s->actors[p].name,
                          pl_page_fixed(num, sizeof num, m->u[p], 3));
  }
}

static void draw_marks(pl_svg *g, const pl_axes *ax, const pl_space_view *v,
                       uint32_t i, uint32_t j, bool labels) {
  for (size_t m = 0; m < v->nmarks; m++) {
    const pl_mark *mk = &v->marks[m];
    double x = pl_axes_px(ax, mk->u[i]), y = pl_axes_py(ax, mk->u[j]);
    char tip[1024];
    tip_for(mk, v->a->s, tip, sizeof tip);
    pl_svg_marker(g, mk->shape, x, y, labels ? 6 : 4.5, mk->colour, "#000000",
                  tip);
    if (labels) /* stagger labels of marks at the same place */
      pl_svg_text(g, x + 9, y - 6 + 12.0 * (double)(m % 2), "start", 11, false,
                  0, NULL, mk->label);
  }
}

static void panel(pl_svg *g, const pl_axes *ax, const pl_space_view *v,
                  const cloud *c, uint32_t i, uint32_t j, bool big) {
  const pl_scenario *s = v->a->s;
  char xt[300], yt[300];
  snprintf(xt, sizeof xt, "utility of %s", s->actors[i].name);
  snprintf(yt, sizeof yt, "utility of %s", s->actors[j].name);
  draw_reservations(g, ax, s, i, j, true);
  draw_cloud(g, ax, c, i, j);
  pl_svg_axes(g, ax, big ? 10 : 4, big ? 10 : 4, 1, 1, xt, yt);
  draw_frontier(g, ax, v, i, j, s->nparties == 2);
  draw_marks(g, ax, v, i, j, big);
}

/* ---- Legends ------------------------------------------------------------ */

static double legend(pl_svg *g, double x, double y, const pl_space_view *v,
                     const cloud *c) {
  char label[300];
  if (c->scatter) {
    pl_svg_legend_item(g, x, y, 'o', "#9a9a9a", "feasible package");
    pl_svg_legend_item(g, x, y += 18, 'o', PL_OKABE_ITO[PL_C_GREEN],
                       "package in the agreement zone");
  } else {
    char n[32];
    pl_page_count(n, sizeof n, c->dens->visited);
    snprintf(label, sizeof label, "feasible packages among %s%s", n,
             c->dens->sampled ? " drawn at random" : " (all)");
    pl_svg_text(g, x - 8, y + 4, "start", 11, false, 0, NULL, label);
  }
  pl_svg_legend_item(g, x, y += 18, '=', PL_OKABE_ITO[PL_C_VERMILLION],
                     "reservation value (walk-away)");
  pl_svg_legend_item(g, x, y += 18, '#', "#dcedf8",
                     "both parties above their reservation value");
  snprintf(label, sizeof label, "%s (%zu points)", v->front_label, v->nfront);
  pl_svg_legend_item(g, x, y += 18, 'o', "#000000", label);
  for (size_t m = 0; m < v->nmarks; m++)
    pl_svg_legend_item(g, x, y += 18, v->marks[m].shape, v->marks[m].colour,
                       v->marks[m].label);
  if (!c->scatter) {
    uint64_t max = 0;
    for (size_t k = 0; k < (size_t)c->dens->npairs * GRID * GRID; k++)
      max = c->dens->feasible[k] > max ? c->dens->feasible[k] : max;
    pl_svg_density_scale(g, x - 8, y += 30, 180, max,
                         "feasible packages per cell (log scale)");
    y += 24;
  }
  return y;
}

/* ---- Two parties -------------------------------------------------------- */

static void two_parties(pl_report *r, const pl_space_view *v, const cloud *c) {
  const pl_scenario *s = v->a->s;
  pl_svg g;
  char title[600];
  snprintf(title, sizeof title, "Outcome space: %s against %s",
           s->actors[0].name, s->actors[1].name);
  double legend_h = 40 + 18.0 * (double)(v->nmarks + 5);
  double h = 470 > legend_h ? 470 : legend_h;
  pl_svg_begin(&g, 860, h, title,
               "Every feasible package by its utility to the two parties, "
               "the reservation values, the Pareto frontier and the marked "
               "packages.");
  pl_axes ax = {.x = 70,
                .y = 20,
                .w = 420,
                .h = 400,
                .xmin = v->lo,
                .xmax = v->hi,
                .ymin = v->lo,
                .ymax = v->hi};
  panel(&g, &ax, v, c, 0, 1, true);
  legend(&g, 530, 34, v, c);
  pl_page_plot(r, "outcome-space", &g,
               c->scatter
                   ? "Each grey point is a feasible package, each green one "
                     "a package of the agreement zone. The shaded region is "
                     "where both parties get at least their reservation "
                     "value (ratifiers and red lines may still refuse)."
                   : "The colour of a cell counts the feasible packages "
                     "whose utilities fall in it (viridis, logarithmic). "
                     "The shaded region is where both parties get at least "
                     "their reservation value.");
}

/* ---- Three or more parties ---------------------------------------------- */

static void pairwise(pl_report *r, const pl_space_view *v, const cloud *c) {
  const pl_scenario *s = v->a->s;
  uint32_t k = c->k;
  const double cell = 230, left = 70, top = 16;
  double w = left + (k - 1) * cell + 10, h = top + (k - 1) * cell + 30;
  double legend_h = top + 30 + 18.0 * (double)(v->nmarks + 6);
  double lx = left + (k - 1) * cell * 0.5 + 30; /* upper-right, empty */
  if (w < lx + 330)
    w = lx + 330;
  if (h < legend_h)
    h = legend_h;
  pl_svg g;
  pl_svg_begin(&g, w, h, "Outcome space: pairwise projections",
               "For each pair of parties, every feasible package by its two "
               "utilities, the reservation values, the Pareto frontier and "
               "the marked packages.");
  for (uint32_t j = 1; j < k; j++)
    for (uint32_t i = 0; i < j; i++) {
      pl_axes ax = {.x = left + i * cell,
                    .y = top + (j - 1) * cell,
                    .w = cell - 62,
                    .h = cell - 62,
                    .xmin = v->lo,
                    .xmax = v->hi,
                    .ymin = v->lo,
                    .ymax = v->hi};
      panel(&g, &ax, v, c, i, j, false);
    }
  legend(&g, lx, top + 18, v, c);
  (void)s;
  pl_page_plot(r, "outcome-pairs", &g,
               "Each panel shows two parties' utilities (the others' are "
               "not shown, so a point may hide packages that differ for "
               "them). Dashed lines: reservation values; shaded: both "
               "parties of the panel above them.");
}

/* At most this many frontier lines; an even spread of them above. */
enum { MAX_LINES = 400 };

static void parallel(pl_report *r, const pl_space_view *v) {
  const pl_scenario *s = v->a->s;
  uint32_t np = s->nparties;
  double gap = np > 6 ? 110 : 150, left = 60, top = 30, hgt = 300;
  double w = left + gap * (np - 1) + 260;
  pl_svg g;
  pl_svg_begin(&g, w, top + hgt + 60, "Pareto frontier: parallel coordinates",
               "One vertical axis per party; each frontier package is a "
               "line through its utilities.");
  pl_axes ax = {.x = left,
                .y = top,
                .w = gap * (np - 1),
                .h = hgt,
                .xmin = 0,
                .xmax = np - 1,
                .ymin = v->lo,
                .ymax = v->hi};
  double *x = malloc(np * sizeof *x), *y = malloc(np * sizeof *y);
  if (!x || !y) {
    free(x), free(y);
    g.b.failed = true;
    pl_page_plot(r, "frontier-parallel", &g, NULL);
    return;
  }
  for (uint32_t p = 0; p < np; p++)
    x[p] = p;
  size_t step =
      v->nfront > MAX_LINES ? (v->nfront + MAX_LINES - 1) / MAX_LINES : 1;
  for (size_t f = 0; f < v->nfront; f += step) {
    for (uint32_t p = 0; p < np; p++)
      y[p] = v->front_u[f * np + p];
    pl_svg_polyline(&g, &ax, x, y, np, "#8a8a8a", 1, NULL);
  }
  for (size_t m = 0; m < v->nmarks; m++) {
    for (uint32_t p = 0; p < np; p++)
      y[p] = v->marks[m].u[p];
    pl_svg_polyline(&g, &ax, x, y, np, v->marks[m].colour, 2.5,
                    m % 2 ? "7,3" : NULL);
    for (uint32_t p = 0; p < np; p++)
      pl_svg_marker(&g, v->marks[m].shape, pl_axes_px(&ax, x[p]),
                    pl_axes_py(&ax, y[p]), 4.5, v->marks[m].colour, "#000000",
                    v->marks[m].label);
  }
  for (uint32_t p = 0; p < np; p++) {
    double px = pl_axes_px(&ax, p);
    pl_svg_line(&g, px, top, px, top + hgt, "#000000", 1, NULL);
    for (int t = 0; t <= 4; t++) {
      double u = v->lo + (v->hi - v->lo) * t / 4, py = pl_axes_py(&ax, u);
      char lab[32];
      pl_svg_line(&g, px - 3, py, px + 3, py, "#000000", 1, NULL);
      if (p == 0)
        pl_svg_text(&g, px - 6, py + 4, "end", 10, false, 0, NULL,
                    pl_page_fixed(lab, sizeof lab, u, 2));
    }
    double rv = pl_axes_py(&ax, s->actors[p].threshold);
    pl_svg_line(&g, px - 9, rv, px + 9, rv, PL_OKABE_ITO[PL_C_VERMILLION], 3,
                NULL);
    pl_svg_text(&g, px, top + hgt + 18, "middle", 11, true, 0, NULL,
                s->actors[p].name);
  }
  pl_svg_text(&g, left - 45, top + hgt / 2, "middle", 12, false, -90, NULL,
              "utility");
  double ly = top + 8, lx = left + gap * (np - 1) + 40;
  char label[300];
  snprintf(label, sizeof label, "%s (%zu%s)", v->front_label, v->nfront,
           step > 1 ? ", an even spread shown" : "");
  pl_svg_legend_item(&g, lx, ly, '-', "#8a8a8a", label);
  pl_svg_legend_item(&g, lx, ly += 18, '-', PL_OKABE_ITO[PL_C_VERMILLION],
                     "reservation value");
  for (size_t m = 0; m < v->nmarks; m++)
    pl_svg_legend_item(&g, lx, ly += 18, v->marks[m].shape, v->marks[m].colour,
                       v->marks[m].label);
  free(x), free(y);
  pl_page_plot(r, "frontier-parallel", &g,
               "Each grey line is a package of the Pareto frontier, crossing "
               "each party's axis at its utility; the thick ticks are the "
               "reservation values. Coloured lines are the marked "
               "packages.");
}

void pl_plot_outcome_space(pl_report *r, const pl_space_view *v, pl_diag *d) {
  uint32_t np = v->a->s->nparties;
  uint32_t k = np < MAX_PANELS_PARTIES ? np : MAX_PANELS_PARTIES;
  cloud c;
  if (!cloud_build(v, k, &c, d)) {
    cloud_free(&c);
    r->failed = true;
    return;
  }
  if (np == 2) {
    two_parties(r, v, &c);
  } else {
    if (np > k)
      pl_page_para(r, "note",
                   "The pairwise panels show the first %u of the %u "
                   "parties; the parallel coordinates show all of them.",
                   k, np);
    pairwise(r, v, &c);
    parallel(r, v);
  }
  cloud_free(&c);
}
