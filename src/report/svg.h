/* svg.h - a small writer of standalone SVG plots (internal to the report).
 *
 * The plots parley draws are simple (axes, points, lines, bars, a density
 * raster, labels), so a plotting library would be a heavy dependency for
 * little. Every document this writer makes is one well-formed
 * <svg xmlns="http://www.w3.org/2000/svg"> element, ASCII only: text from
 * scenarios is escaped with numeric character references (&#60;, &#233;),
 * never with HTML entities, so the same bytes are valid inside an HTML page
 * and as a .svg file. Numbers are written with fixed precision and '.'
 * whatever the locale, so the same plot always gives the same bytes.
 */
#ifndef PL_REPORT_SVG_H
#define PL_REPORT_SVG_H

#include "tournament/tournament.h" /* pl_buf */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Okabe & Ito's eight colours for categories (distinct for the common
 * colour blindnesses, and in greyscale by lightness); black first. */
extern const char *const PL_OKABE_ITO[8];
enum {
  PL_C_BLACK = 0,
  PL_C_ORANGE = 1,
  PL_C_SKY = 2,
  PL_C_GREEN = 3,
  PL_C_YELLOW = 4,
  PL_C_BLUE = 5,
  PL_C_VERMILLION = 6,
  PL_C_PURPLE = 7
};
/* The colour for category k (parties, agents, DMs): black is skipped. */
const char *pl_category_colour(uint32_t k);
/* Viridis at t in [0, 1] as "#rrggbb" (buf: 8 bytes). */
void pl_viridis(double t, char buf[8]);

/* Escaped text: & < > " ' and every non-ASCII character become numeric
 * character references; control characters and invalid UTF-8 become
 * U+FFFD. Safe in element content and in quoted attributes. */
void pl_xml_text(pl_buf *b, const char *s);

typedef struct pl_svg {
  pl_buf b;
  double width, height;
} pl_svg;

/* Starts a document of the given size in CSS pixels, with a <title> (what
 * screen readers and file browsers show) and a <desc>. */
void pl_svg_begin(pl_svg *g, double width, double height, const char *title,
                  const char *desc);
/* Closes the document; its text is g->b.p (owned by g, pl_svg_free). */
void pl_svg_end(pl_svg *g);
void pl_svg_free(pl_svg *g);

/* A number with `digits` decimals, then `suffix`. */
void pl_svg_num(pl_svg *g, double x, int digits, const char *suffix);

/* Text anchored at (x, y): anchor "start", "middle" or "end"; size in px;
 * `rotate` degrees around (x, y); bold when `bold`. */
void pl_svg_text(pl_svg *g, double x, double y, const char *anchor, double size,
                 bool bold, double rotate, const char *fill, const char *text);
void pl_svg_line(pl_svg *g, double x1, double y1, double x2, double y2,
                 const char *stroke, double width, const char *dash);
void pl_svg_rect(pl_svg *g, double x, double y, double w, double h,
                 const char *fill, const char *stroke, double opacity);
/* A marker: 'o' circle, 's' square, 'd' diamond, '^' triangle, '*' star,
 * 'x' cross; a hover title when `tip` is not NULL. */
void pl_svg_marker(pl_svg *g, char shape, double x, double y, double r,
                   const char *fill, const char *stroke, const char *tip);
/* Opens and closes a group (<g>) with an optional hover title. */
void pl_svg_group_begin(pl_svg *g, const char *tip);
void pl_svg_group_end(pl_svg *g);

/* ---- Plots with axes ---------------------------------------------------- */

/* A plot area in pixels and the data range it shows. */
typedef struct pl_axes {
  double x, y, w, h; /* the inner area, top-left corner and size */
  double xmin, xmax, ymin, ymax;
} pl_axes;

double pl_axes_px(const pl_axes *a, double x);
double pl_axes_py(const pl_axes *a, double y);

/* Frame, grid, ticks (`xticks` + 1 and `yticks` + 1 of them, 0: none),
 * tick labels with `xdigits` and `ydigits` decimals, the axis titles. */
void pl_svg_axes(pl_svg *g, const pl_axes *a, int xticks, int yticks,
                 int xdigits, int ydigits, const char *xtitle,
                 const char *ytitle);
/* Points (x[i], y[i]) as small circles, one path for all of them so a
 * scatter of thousands stays small. */
void pl_svg_scatter(pl_svg *g, const pl_axes *a, const double *x,
                    const double *y, size_t n, double r, const char *fill,
                    double opacity);
/* A polyline through the points, in order. */
void pl_svg_polyline(pl_svg *g, const pl_axes *a, const double *x,
                     const double *y, size_t n, const char *stroke,
                     double width, const char *dash);
/* A density raster: counts[row * nx + col] for nx x ny cells covering the
 * axes' range (row 0 at ymin), drawn as viridis rectangles on a log scale;
 * empty cells are left blank. Runs of equal colour in a row are merged. */
void pl_svg_density(pl_svg *g, const pl_axes *a, const uint64_t *counts,
                    uint32_t nx, uint32_t ny);
/* A legend entry at (x, y): a marker (or a line when shape is '-') and its
 * label. */
void pl_svg_legend_item(pl_svg *g, double x, double y, char shape,
                        const char *colour, const char *label);
/* A viridis colour bar from `lo` (dark) to `hi` (light) labels. */
void pl_svg_colour_scale(pl_svg *g, double x, double y, double w,
                         const char *lo, const char *hi, const char *title);
/* The viridis scale of a density raster: a bar from 1 to max count. */
void pl_svg_density_scale(pl_svg *g, double x, double y, double w, uint64_t max,
                          const char *title);

#endif
