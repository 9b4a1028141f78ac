/* page.h - the HTML page of a report and its plots (internal).
 *
 * A page is a body of HTML built section by section, and the list of its
 * plots. Every piece of text that comes from a scenario or a results file
 * goes through the escaping of svg.h, so a party named "<script>" stays
 * text.
 */
#ifndef PL_REPORT_PAGE_H
#define PL_REPORT_PAGE_H

#include "parley_report.h"
#include "report/svg.h"
#include "util/diag.h"

typedef struct pl_plot {
  char *name; /* file name stem, unique in the page */
  char *svg;
} pl_plot;

struct pl_report {
  char *title;
  pl_buf body;
  pl_buf toc; /* the contents list */
  pl_plot *plots;
  size_t nplots, cap;
  uint32_t sections;
  bool failed; /* out of memory somewhere */
};

/* A new section (<section><h2>) with an anchor in the contents. */
void pl_page_section(pl_report *r, const char *heading);
/* A sub-heading (<h3>). */
void pl_page_heading(pl_report *r, const char *text);
/* A paragraph of escaped text, printf-style (numbers: format them with
 * pl_fmt_fixed first, so they do not depend on the locale). */
void pl_page_para(pl_report *r, const char *cls, const char *fmt, ...)
    PL_PRINTF(3, 4);
/* Raw HTML (only constant markup). */
void pl_page_raw(pl_report *r, const char *html);
/* Escaped text. */
void pl_page_text(pl_report *r, const char *text);
/* A table: begin with the header cells, add rows of cells, end. A cell
 * starting with '#' is right-aligned (a number) without the '#'. */
void pl_page_table_begin(pl_report *r, const char *caption,
                         const char *const *head, size_t n);
void pl_page_table_row(pl_report *r, const char *const *cells, size_t n);
void pl_page_table_end(pl_report *r);
/* Adds a finished plot (takes its text) with a caption under it. */
void pl_page_plot(pl_report *r, const char *name, pl_svg *g,
                  const char *caption);

/* "1,234,567" */
void pl_page_count(char *buf, size_t len, uint64_t n);
/* A number with `digits` decimals ('.' whatever the locale). */
const char *pl_page_fixed(char *buf, size_t len, double x, int digits);

#endif
