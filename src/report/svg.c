/* svg.c - the SVG writer of the reports (svg.h). */
#include "report/svg.h"
#include "util/fmt.h"

#include <math.h>
#include <string.h>

const char *const PL_OKABE_ITO[8] = {"#000000", "#E69F00", "#56B4E9",
                                     "#009E73", "#F0E442", "#0072B2",
                                     "#D55E00", "#CC79A7"};

const char *pl_category_colour(uint32_t k) {
  /* Blue, vermillion, green, orange, purple, sky, yellow: the darker ones
   * first, since yellow and sky are faint on white. */
  static const int order[7] = {PL_C_BLUE,   PL_C_VERMILLION, PL_C_GREEN,
                               PL_C_ORANGE, PL_C_PURPLE,     PL_C_SKY,
                               PL_C_YELLOW};
  return PL_OKABE_ITO[order[k % 7]];
}

/* viridis (matplotlib, CC0) sampled at nine evenly spaced points. */
void pl_viridis(double t, char buf[8]) {
  static const unsigned char stops[9][3] = {
      {0x44, 0x01, 0x54}, {0x47, 0x2D, 0x7B}, {0x3B, 0x52, 0x8B},
      {0x2C, 0x72, 0x8E}, {0x21, 0x90, 0x8C}, {0x27, 0xAD, 0x81},
      {0x5D, 0xC8, 0x63}, {0xAA, 0xDC, 0x32}, {0xFD, 0xE7, 0x25}};
  if (!(t > 0))
    t = 0;
  if (t > 1)
    t = 1;
  double pos = t * 8;
  int k = (int)pos;
  if (k > 7)
    k = 7;
  double f = pos - k;
  static const char hex[] = "0123456789abcdef";
  buf[0] = '#';
  for (int c = 0; c < 3; c++) {
    int v = (int)lround(stops[k][c] + f * (stops[k + 1][c] - stops[k][c]));
    buf[1 + 2 * c] = hex[v >> 4];
    buf[2 + 2 * c] = hex[v & 15];
  }
  buf[7] = 0;
}

/* ---- Escaping ----------------------------------------------------------- */

/* Decodes one UTF-8 character at s; its length in *n, or U+FFFD with
 * length 1 for an invalid byte. */
static uint32_t utf8_next(const unsigned char *s, size_t *n) {
  uint32_t c = s[0];
  size_t len = c < 0x80         ? 1
               : (c >> 5) == 6  ? 2
               : (c >> 4) == 14 ? 3
               : (c >> 3) == 30 ? 4
                                : 0;
  if (len == 0) {
    *n = 1;
    return 0xFFFD;
  }
  c = len == 1 ? c : c & (0x7F >> len);
  for (size_t k = 1; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80) {
      *n = 1;
      return 0xFFFD;
    }
    c = c << 6 | (s[k] & 0x3F);
  }
  static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
  *n = len;
  if (c < least[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0xFFFD;
  return c;
}

void pl_xml_text(pl_buf *b, const char *s) {
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  while (*p) {
    size_t n;
    uint32_t c = utf8_next(p, &n);
    p += n;
    bool plain = c >= 0x20 && c < 0x7F && !strchr("&<>\"'", (int)c);
    if (plain) {
      char ch = (char)c;
      pl_buf_put(b, &ch, 1);
      continue;
    }
    /* XML 1.0 allows tab, newline and carriage return among the controls,
     * and nothing in U+FFFE..U+FFFF. */
    bool allowed = c == 9 || c == 10 || c == 13 ||
                   (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
    pl_buf_printf(b, "&#%lu;", (unsigned long)(allowed ? c : 0xFFFD));
  }
}

/* ---- Document ----------------------------------------------------------- */

void pl_svg_num(pl_svg *g, double x, int digits, const char *suffix) {
  char num[64];
  pl_fmt_fixed(num, sizeof num, x, digits);
  pl_buf_puts(&g->b, num);
  pl_buf_puts(&g->b, suffix);
}

/* A coordinate in pixels: one decimal is finer than any screen. */
static void px(pl_svg *g, double x, const char *suffix) {
  pl_svg_num(g, x, 1, suffix);
}

void pl_svg_begin(pl_svg *g, double width, double height, const char *title,
                  const char *desc) {
  *g = (pl_svg){.width = width, .height = height};
  pl_buf_puts(&g->b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"");
  px(g, width, "\" height=\"");
  px(g, height, "\" viewBox=\"0 0 ");
  px(g, width, " ");
  px(g, height,
     "\" font-family=\"DejaVu Sans, Helvetica, Arial, "
     "sans-serif\" font-size=\"12\" role=\"img\">\n<title>");
  pl_xml_text(&g->b, title);
  pl_buf_puts(&g->b, "</title>\n");
  if (desc) {
    pl_buf_puts(&g->b, "<desc>");
    pl_xml_text(&g->b, desc);
    pl_buf_puts(&g->b, "</desc>\n");
  }
  pl_svg_rect(g, 0, 0, width, height, "#ffffff", NULL, 1);
}

void pl_svg_end(pl_svg *g) { pl_buf_puts(&g->b, "</svg>\n"); }

void pl_svg_free(pl_svg *g) { pl_buf_free(&g->b); }

static void attr(pl_svg *g, const char *name, const char *value) {
  if (!value)
    return;
  pl_buf_printf(&g->b, " %s=\"", name);
  pl_xml_text(&g->b, value);
  pl_buf_puts(&g->b, "\"");
}

void pl_svg_text(pl_svg *g, double x, double y, const char *anchor, double size,
                 bool bold, double rotate, const char *fill, const char *text) {
  pl_buf_puts(&g->b, "<text x=\"");
  px(g, x, "\" y=\"");
  px(g, y, "\"");
  if (anchor && strcmp(anchor, "start"))
    attr(g, "text-anchor", anchor);
  if (size != 12) {
    pl_buf_puts(&g->b, " font-size=\"");
    px(g, size, "\"");
  }
  if (bold)
    pl_buf_puts(&g->b, " font-weight=\"bold\"");
  if (rotate != 0) {
    pl_buf_puts(&g->b, " transform=\"rotate(");
    pl_svg_num(g, rotate, 0, " ");
    px(g, x, " ");
    px(g, y, ")\"");
  }
  attr(g, "fill", fill && strcmp(fill, "#000000") ? fill : NULL);
  pl_buf_puts(&g->b, ">");
  pl_xml_text(&g->b, text);
  pl_buf_puts(&g->b, "</text>\n");
}

void pl_svg_line(pl_svg *g, double x1, double y1, double x2, double y2,
                 const char *stroke, double width, const char *dash) {
  pl_buf_puts(&g->b, "<line x1=\"");
  px(g, x1, "\" y1=\"");
  px(g, y1, "\" x2=\"");
  px(g, x2, "\" y2=\"");
  px(g, y2, "\"");
  attr(g, "stroke", stroke);
  pl_buf_puts(&g->b, " stroke-width=\"");
  px(g, width, "\"");
  attr(g, "stroke-dasharray", dash);
  pl_buf_puts(&g->b, "/>\n");
}

void pl_svg_rect(pl_svg *g, double x, double y, double w, double h,
                 const char *fill, const char *stroke, double opacity) {
  pl_buf_puts(&g->b, "<rect x=\"");
  px(g, x, "\" y=\"");
  px(g, y, "\" width=\"");
  px(g, w > 0 ? w : 0, "\" height=\"");
  px(g, h > 0 ? h : 0, "\"");
  attr(g, "fill", fill ? fill : "none");
  attr(g, "stroke", stroke);
  if (opacity < 1) {
    pl_buf_puts(&g->b, " fill-opacity=\"");
    pl_svg_num(g, opacity, 2, "\"");
  }
  pl_buf_puts(&g->b, "/>\n");
}

static void tip_element(pl_svg *g, const char *tip) {
  if (!tip)
    return;
  pl_buf_puts(&g->b, "<title>");
  pl_xml_text(&g->b, tip);
  pl_buf_puts(&g->b, "</title>");
}

void pl_svg_group_begin(pl_svg *g, const char *tip) {
  pl_buf_puts(&g->b, "<g>");
  tip_element(g, tip);
  pl_buf_puts(&g->b, "\n");
}

void pl_svg_group_end(pl_svg *g) { pl_buf_puts(&g->b, "</g>\n"); }

/* The outline of a marker as path data centred on (x, y). */
static void marker_path(pl_svg *g, char shape, double x, double y, double r) {
  static const double star[10][2] = {
      {0, -1},          {0.225, -0.309}, {0.951, -0.309}, {0.363, 0.118},
      {0.588, 0.809},   {0, 0.382},      {-0.588, 0.809}, {-0.363, 0.118},
      {-0.951, -0.309}, {-0.225, -0.309}};
  double pts[10][2];
  int n = 0;
  if (shape == 's' || shape == 'd') {
    double q = shape == 's' ? 0.85 : 1.2;
    static const double sq[4][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
    static const double di[4][2] = {{0, -1}, {1, 0}, {0, 1}, {-1, 0}};
    for (n = 0; n < 4; n++) {
      pts[n][0] = (shape == 's' ? sq : di)[n][0] * q;
      pts[n][1] = (shape == 's' ? sq : di)[n][1] * q;
    }
  } else if (shape == '^') {
    static const double tr[3][2] = {{0, -1.2}, {1.1, 0.8}, {-1.1, 0.8}};
    for (n = 0; n < 3; n++)
      pts[n][0] = tr[n][0], pts[n][1] = tr[n][1];
  } else {
    for (n = 0; n < 10; n++)
      pts[n][0] = star[n][0] * 1.5, pts[n][1] = star[n][1] * 1.5;
  }
  for (int k = 0; k < n; k++) {
    pl_buf_puts(&g->b, k ? "L" : "M");
    px(g, x + pts[k][0] * r, ",");
    px(g, y + pts[k][1] * r, "");
  }
  pl_buf_puts(&g->b, "Z");
}

void pl_svg_marker(pl_svg *g, char shape, double x, double y, double r,
                   const char *fill, const char *stroke, const char *tip) {
  if (shape == 'o') {
    pl_buf_puts(&g->b, "<circle cx=\"");
    px(g, x, "\" cy=\"");
    px(g, y, "\" r=\"");
    px(g, r, "\"");
  } else if (shape == 'x') {
    pl_buf_puts(&g->b, "<path d=\"M");
    px(g, x - r, ",");
    px(g, y - r, "L");
    px(g, x + r, ",");
    px(g, y + r, "M");
    px(g, x - r, ",");
    px(g, y + r, "L");
    px(g, x + r, ",");
    px(g, y - r, "\" stroke-width=\"2.5\"");
    fill = NULL;
    stroke = stroke ? stroke : "#000000";
  } else {
    pl_buf_puts(&g->b, "<path d=\"");
    marker_path(g, shape, x, y, r);
    pl_buf_puts(&g->b, "\"");
  }
  attr(g, "fill", fill ? fill : "none");
  attr(g, "stroke", stroke);
  if (!tip) {
    pl_buf_puts(&g->b, "/>\n");
    return;
  }
  pl_buf_puts(&g->b, ">");
  tip_element(g, tip);
  pl_buf_puts(&g->b, shape == 'o' ? "</circle>\n" : "</path>\n");
}

/* ---- Axes --------------------------------------------------------------- */

double pl_axes_px(const pl_axes *a, double x) {
  double span = a->xmax - a->xmin;
  return a->x + (span > 0 ? (x - a->xmin) / span : 0.5) * a->w;
}

double pl_axes_py(const pl_axes *a, double y) {
  double span = a->ymax - a->ymin;
  return a->y + a->h - (span > 0 ? (y - a->ymin) / span : 0.5) * a->h;
}

void pl_svg_axes(pl_svg *g, const pl_axes *a, int xticks, int yticks,
                 int xdigits, int ydigits, const char *xtitle,
                 const char *ytitle) {
  char label[64];
  for (int k = 0; k <= xticks && xticks > 0; k++) {
    double v = a->xmin + (a->xmax - a->xmin) * k / xticks;
    double x = pl_axes_px(a, v);
    pl_svg_line(g, x, a->y, x, a->y + a->h, "#e0e0e0", 1, NULL);
    pl_svg_line(g, x, a->y + a->h, x, a->y + a->h + 4, "#000000", 1, NULL);
    pl_fmt_fixed(label, sizeof label, v, xdigits);
    pl_svg_text(g, x, a->y + a->h + 16, "middle", 11, false, 0, NULL, label);
  }
  for (int k = 0; k <= yticks && yticks > 0; k++) {
    double v = a->ymin + (a->ymax - a->ymin) * k / yticks;
    double y = pl_axes_py(a, v);
    pl_svg_line(g, a->x, y, a->x + a->w, y, "#e0e0e0", 1, NULL);
    pl_svg_line(g, a->x - 4, y, a->x, y, "#000000", 1, NULL);
    pl_fmt_fixed(label, sizeof label, v, ydigits);
    pl_svg_text(g, a->x - 7, y + 4, "end", 11, false, 0, NULL, label);
  }
  pl_svg_rect(g, a->x, a->y, a->w, a->h, NULL, "#000000", 1);
  if (xtitle)
    pl_svg_text(g, a->x + a->w / 2, a->y + a->h + 34, "middle", 12, false, 0,
                NULL, xtitle);
  if (ytitle)
    pl_svg_text(g, a->x - 40, a->y + a->h / 2, "middle", 12, false, -90, NULL,
                ytitle);
}

void pl_svg_scatter(pl_svg *g, const pl_axes *a, const double *x,
                    const double *y, size_t n, double r, const char *fill,
                    double opacity) {
  if (n == 0)
    return;
  /* One path of tiny closed arcs: a few bytes per point. */
  pl_buf_puts(&g->b, "<path d=\"");
  for (size_t i = 0; i < n; i++) {
    pl_buf_puts(&g->b, "M");
    px(g, pl_axes_px(a, x[i]) - r, ",");
    px(g, pl_axes_py(a, y[i]), "a");
    px(g, r, ",");
    px(g, r, " 0 1 0 ");
    px(g, 2 * r, ",0a");
    px(g, r, ",");
    px(g, r, " 0 1 0 ");
    px(g, -2 * r, ",0");
  }
  pl_buf_puts(&g->b, "\"");
  attr(g, "fill", fill);
  if (opacity < 1) {
    pl_buf_puts(&g->b, " fill-opacity=\"");
    pl_svg_num(g, opacity, 2, "\"");
  }
  pl_buf_puts(&g->b, "/>\n");
}

void pl_svg_polyline(pl_svg *g, const pl_axes *a, const double *x,
                     const double *y, size_t n, const char *stroke,
                     double width, const char *dash) {
  if (n < 2)
    return;
  pl_buf_puts(&g->b, "<polyline points=\"");
  for (size_t i = 0; i < n; i++) {
    px(g, pl_axes_px(a, x[i]), ",");
    px(g, pl_axes_py(a, y[i]), i + 1 < n ? " " : "\"");
  }
  pl_buf_puts(&g->b, " fill=\"none\"");
  attr(g, "stroke", stroke);
  pl_buf_puts(&g->b, " stroke-width=\"");
  px(g, width, "\"");
  attr(g, "stroke-dasharray", dash);
  pl_buf_puts(&g->b, "/>\n");
}

/* Colour of a count on a log scale from 1 to max. */
static void density_colour(uint64_t c, uint64_t max, char buf[8]) {
  double t = max > 1 ? log((double)c) / log((double)max) : 1;
  pl_viridis(t, buf);
}

void pl_svg_density(pl_svg *g, const pl_axes *a, const uint64_t *counts,
                    uint32_t nx, uint32_t ny) {
  uint64_t max = 0;
  for (size_t k = 0; k < (size_t)nx * ny; k++)
    max = counts[k] > max ? counts[k] : max;
  double cw = a->w / nx, ch = a->h / ny;
  pl_buf_puts(&g->b, "<g shape-rendering=\"crispEdges\">\n");
  for (uint32_t row = 0; row < ny; row++) {
    for (uint32_t col = 0; col < nx;) {
      uint64_t c = counts[(size_t)row * nx + col];
      if (c == 0) {
        col++;
        continue;
      }
      char colour[8], next[8];
      density_colour(c, max, colour);
      uint32_t end = col + 1;
      while (end < nx && counts[(size_t)row * nx + end] &&
             (density_colour(counts[(size_t)row * nx + end], max, next),
              !strcmp(next, colour)))
        end++;
      /* A hair wider than the cell so that anti-aliasing leaves no seams. */
      pl_svg_rect(g, a->x + col * cw, a->y + a->h - (row + 1) * ch,
                  (end - col) * cw + 0.3, ch + 0.3, colour, NULL, 1);
      col = end;
    }
  }
  pl_buf_puts(&g->b, "</g>\n");
}

void pl_svg_legend_item(pl_svg *g, double x, double y, char shape,
                        const char *colour, const char *label) {
  if (shape == '-')
    pl_svg_line(g, x - 8, y, x + 8, y, colour, 2.5, NULL);
  else if (shape == '=')
    pl_svg_line(g, x - 8, y, x + 8, y, colour, 1.5, "5,3");
  else if (shape == '#')
    pl_svg_rect(g, x - 7, y - 6, 14, 12, colour, NULL, 1);
  else
    pl_svg_marker(g, shape, x, y, 5, colour, "#000000", NULL);
  pl_svg_text(g, x + 14, y + 4, "start", 11, false, 0, NULL, label);
}

void pl_svg_colour_scale(pl_svg *g, double x, double y, double w,
                         const char *lo, const char *hi, const char *title) {
  enum { STEPS = 32 };
  for (int k = 0; k < STEPS; k++) {
    char colour[8];
    pl_viridis((double)k / (STEPS - 1), colour);
    pl_svg_rect(g, x + w * k / STEPS, y, w / STEPS + 0.3, 10, colour, NULL, 1);
  }
  pl_svg_rect(g, x, y, w, 10, NULL, "#000000", 1);
  pl_svg_text(g, x, y + 22, "start", 10, false, 0, NULL, lo);
  pl_svg_text(g, x + w, y + 22, "end", 10, false, 0, NULL, hi);
  if (title)
    pl_svg_text(g, x + w / 2, y - 4, "middle", 10, false, 0, NULL, title);
}

void pl_svg_density_scale(pl_svg *g, double x, double y, double w, uint64_t max,
                          const char *title) {
  char label[32];
  snprintf(label, sizeof label, "%llu", (unsigned long long)(max ? max : 1));
  pl_svg_colour_scale(g, x, y, w, "1", label, title);
}
