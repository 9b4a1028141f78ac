/* robust_page.c - the robust analysis in the HTML report
 * (docs/uncertainty.md, docs/report.md): probability bars with their
 * Wilson intervals, the histogram of delta* over the draws, and the
 * tornado of the sensitivity analysis. */
#include "report/page.h"
#include "uncertainty/robust.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct prow {
  char label[200];
  pl_probability p;
} prow;

/* The probabilities to draw: the zone, the blocking sets, the followed
 * packages and the robust package. */
static size_t probability_rows(const pl_robust *rb, prow *rows, size_t cap) {
  const pl_space *sp = &rb->sp;
  size_t n = 0;
  pl_probability p;
  if (pl_robust_zone_open(rb, &p) && n < cap)
    rows[n++] = (prow){"zone not empty", p};
  for (uint32_t k = 0; sp->blocking && k < sp->nsets && n < cap; k++) {
    if (!rb->set_blocks[k])
      continue;
    prow *x = &rows[n++];
    if (sp->set_size[k] == 1)
      snprintf(x->label, sizeof x->label, "%s blocks",
               rb->s->issues[sp->set[k][0]].name);
    else
      snprintf(x->label, sizeof x->label, "%s + %s block",
               rb->s->issues[sp->set[k][0]].name,
               rb->s->issues[sp->set[k][1]].name);
    x->p = pl_wilson((double)rb->set_blocks[k], rb->draws);
  }
  for (size_t k = 0; k < rb->nwatch && n < cap; k++) {
    prow *x = &rows[n++];
    snprintf(x->label, sizeof x->label, "%s: accepted and ratified",
             rb->watch[k].name);
    x->p = pl_wilson(rb->watch[k].accepted_ratified_fx / PL_FX, rb->draws);
  }
  if (rb->has_robust && n < cap)
    rows[n++] =
        (prow){"robust package: accepted and ratified",
               pl_wilson(rb->acc_ratified[rb->robust] / PL_FX, rb->draws)};
  return n;
}

static void probability_bars(pl_report *r, const pl_robust *rb) {
  prow rows[64];
  size_t n = probability_rows(rb, rows, 64);
  const double left = 330, width = 420, bh = 14, gap = 8, top = 30;
  pl_svg g;
  pl_svg_begin(&g, left + width + 90, top + (bh + gap) * (double)n + 40,
               "Probabilities over the Monte Carlo draws",
               "Each bar is a share of draws; the whisker its 95% Wilson "
               "interval.");
  for (int t = 0; t <= 4; t++) {
    double x = left + width * t / 4.0;
    pl_svg_line(&g, x, top - 6, x, top + (bh + gap) * (double)n, "#cccccc", 1,
                NULL);
    char b[16];
    pl_svg_text(&g, x, top - 10, "middle", 11, false, 0, NULL,
                pl_page_fixed(b, sizeof b, t / 4.0, 2));
  }
  for (size_t k = 0; k < n; k++) {
    double y = top + (bh + gap) * (double)k;
    char tip[512], a[16], b[16], c[16];
    snprintf(tip, sizeof tip, "%.199s: %s [%s, %s]", rows[k].label,
             pl_page_fixed(a, sizeof a, rows[k].p.p, 3),
             pl_page_fixed(b, sizeof b, rows[k].p.lo, 3),
             pl_page_fixed(c, sizeof c, rows[k].p.hi, 3));
    pl_svg_group_begin(&g, tip);
    pl_svg_text(&g, left - 8, y + 11, "end", 12, false, 0, NULL, rows[k].label);
    pl_svg_rect(&g, left, y, width * rows[k].p.p, bh, PL_OKABE_ITO[PL_C_BLUE],
                NULL, 0.85);
    double lo = left + width * rows[k].p.lo, hi = left + width * rows[k].p.hi;
    pl_svg_line(&g, lo, y + bh / 2, hi, y + bh / 2, "#000000", 1.5, NULL);
    pl_svg_line(&g, lo, y + 2, lo, y + bh - 2, "#000000", 1.5, NULL);
    pl_svg_line(&g, hi, y + 2, hi, y + bh - 2, "#000000", 1.5, NULL);
    pl_svg_text(&g, left + width + 8, y + 11, "start", 11, false, 0, NULL, a);
    pl_svg_group_end(&g);
  }
  pl_page_plot(r, "robust-probabilities", &g,
               "Probabilities over the draws, with 95% Wilson intervals "
               "(docs/uncertainty.md, section 4).");
}

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

static void delta_histogram(pl_report *r, const pl_robust *rb) {
  double *x = malloc((rb->draws ? rb->draws : 1) * sizeof *x);
  uint64_t n = 0;
  for (uint64_t d = 0; x && d < rb->draws; d++)
    if (!isnan(rb->dstar[d]))
      x[n++] = rb->dstar[d];
  if (!x || !n) {
    free(x);
    return;
  }
  qsort(x, n, sizeof *x, cmp_double);
  enum { BINS = 20 };
  double top = x[n - 1] > 0 ? x[n - 1] : 1;
  uint64_t c[BINS] = {0}, most = 1;
  for (uint64_t k = 0; k < n; k++) {
    int b = (int)(x[k] / top * BINS);
    c[b >= BINS ? BINS - 1 : b]++;
  }
  for (int b = 0; b < BINS; b++)
    most = c[b] > most ? c[b] : most;
  pl_svg g;
  pl_svg_begin(&g, 640, 320, "Minimal uniform concession over the draws",
               "Histogram of delta* (0 when the zone is open).");
  pl_axes ax = {70, 20, 540, 240, 0, top, 0, (double)most * 1.05};
  pl_svg_axes(&g, &ax, 5, 4, 3, 0, "delta* (0: the zone is open)", "draws");
  for (int b = 0; b < BINS; b++) {
    double x0 = pl_axes_px(&ax, top * b / BINS);
    double x1 = pl_axes_px(&ax, top * (b + 1) / BINS);
    double y = pl_axes_py(&ax, (double)c[b]), y0 = pl_axes_py(&ax, 0);
    pl_svg_rect(&g, x0 + 1, y, x1 - x0 - 2, y0 - y, PL_OKABE_ITO[PL_C_SKY],
                "#000000", 1);
  }
  free(x);
  pl_page_plot(r, "delta-histogram", &g,
               "delta* per draw: the uniform lowering of every threshold "
               "that would open the zone (0 in the draws where it is "
               "open).");
}

static void tornado(pl_report *r, const pl_robust *rb) {
  size_t n = rb->nsens < 15 ? rb->nsens : 15;
  if (!n)
    return;
  double lo = 0, hi = 0;
  for (size_t k = 0; k < n; k++) {
    lo = fmin(lo, fmin(rb->sens[k].margin_lo, rb->sens[k].margin_hi));
    hi = fmax(hi, fmax(rb->sens[k].margin_lo, rb->sens[k].margin_hi));
  }
  double pad = (hi - lo) * 0.05 + 1e-6;
  const double left = 380, width = 380, bh = 14, gap = 8, top = 30;
  pl_svg g;
  pl_svg_begin(&g, left + width + 40, top + (bh + gap) * (double)n + 60,
               "Tornado: the best margin at both ends of each input's range",
               "Bars from the base margin to the margin at the input's "
               "minimum (light) and maximum (dark); the dashed line at 0 is "
               "where the zone opens.");
  pl_axes ax = {left,     top,      width, (bh + gap) * (double)n,
                lo - pad, hi + pad, 0,     1};
  const pl_analysis *an = rb->base;
  double base = pl_zone_empty(an) ? (an->has_concession ? -an->delta : NAN)
                                  : (an->has_zone_slack ? an->zone_slack : NAN);
  double bottom = top + (bh + gap) * (double)n;
  for (int k = 0; k <= 4; k++) {
    double v = ax.xmin + (ax.xmax - ax.xmin) * k / 4, xv = pl_axes_px(&ax, v);
    char b[16];
    pl_svg_line(&g, xv, top - 4, xv, bottom, "#dddddd", 1, NULL);
    pl_svg_text(&g, xv, bottom + 14, "middle", 10, false, 0, NULL,
                pl_page_fixed(b, sizeof b, v, 3));
  }
  if (!isnan(base)) {
    double xb = pl_axes_px(&ax, base);
    pl_svg_line(&g, xb, top - 4, xb, bottom, "#000000", 2, NULL);
  }
  double x0 = pl_axes_px(&ax, 0);
  pl_svg_line(&g, x0, top - 8, x0, top + (bh + gap) * (double)n, "#000000", 1,
              "4,3");
  pl_svg_text(&g, x0, top - 12, "middle", 11, false, 0, NULL,
              "0: the zone opens");
  for (size_t k = 0; k < n; k++) {
    const pl_sens *x = &rb->sens[k];
    double y = top + (bh + gap) * (double)k;
    double a = pl_axes_px(&ax, x->margin_lo), b = pl_axes_px(&ax, x->margin_hi);
    char tip[400], m1[16], m2[16];
    snprintf(tip, sizeof tip, "%s: margin %s at the minimum, %s at the maximum",
             x->name, pl_page_fixed(m1, sizeof m1, x->margin_lo, 3),
             pl_page_fixed(m2, sizeof m2, x->margin_hi, 3));
    pl_svg_group_begin(&g, tip);
    pl_svg_text(&g, left - 8, y + 11, "end", 11, false, 0, NULL, x->name);
    double mid =
        pl_axes_px(&ax, isnan(base) ? (x->margin_lo + x->margin_hi) / 2 : base);
    pl_svg_rect(&g, fmin(a, mid), y, fabs(mid - a), bh, PL_OKABE_ITO[PL_C_SKY],
                NULL, 1);
    pl_svg_rect(&g, fmin(b, mid), y, fabs(b - mid), bh, PL_OKABE_ITO[PL_C_BLUE],
                NULL, 1);
    pl_svg_group_end(&g);
  }
  pl_svg_legend_item(&g, left - 200, bottom + 34, '#', PL_OKABE_ITO[PL_C_SKY],
                     "input at its minimum");
  pl_svg_legend_item(&g, left - 20, bottom + 34, '#', PL_OKABE_ITO[PL_C_BLUE],
                     "at its maximum");
  pl_svg_line(&g, left + 140, bottom + 27, left + 140, bottom + 41, "#000000",
              2, NULL);
  pl_svg_text(&g, left + 148, bottom + 38, "start", 11, false, 0, NULL,
              "base margin (-delta* or the zone's slack)");
  pl_page_plot(r, "tornado", &g,
               "Sensitivity, one input at a time: the best margin max min "
               "(u - threshold), -delta* when the zone is empty, at both ends "
               "of each range, largest swing first (docs/uncertainty.md, "
               "section 5).");
}

pl_status pl_report_add_robust(pl_report *r, const pl_robust *rb, pl_diag *d) {
  (void)d;
  char n[32], s[32];
  pl_page_section(r, "Robustness: uncertain inputs");
  pl_page_count(n, sizeof n, rb->draws);
  snprintf(s, sizeof s, "%llu", (unsigned long long)rb->opt.seed);
  pl_page_para(r, NULL,
               "%s Monte Carlo draws (seed %s) over the scenario's uncertain "
               "inputs; ratifiers that vote count with their exact pass "
               "probability (docs/uncertainty.md).",
               n, s);
  if (!rb->sp.enumerated)
    pl_page_para(r, "note", "%s", rb->sp.note);
  probability_bars(r, rb);
  if (rb->sp.enumerated)
    delta_histogram(r, rb);
  tornado(r, rb);
  return r->failed ? PL_ENOMEM : PL_OK;
}
