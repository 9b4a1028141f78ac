/* parley_report.h - pictures of parley's results: self-contained HTML pages
 * with inline SVG plots (docs/report.md).
 *
 * A report is built by adding results to it (an analysis, a negotiation, a
 * tournament folder, a stability analysis), then written as one HTML file
 * that needs nothing else: inline CSS and SVG, no external resource, a few
 * lines of optional JavaScript for hover details. Every plot is also a
 * standalone SVG document (pl_report_write_svgs). The output carries no
 * time stamps or timings: the same input gives the same bytes.
 *
 * The report module uses the library; the library never uses it.
 */
#ifndef PARLEY_REPORT_H
#define PARLEY_REPORT_H

#include "parley.h"
#include "parley_uncertainty.h"

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

typedef struct pl_report pl_report;

/* An empty report with the page title (NULL: "parley report"). NULL when
 * out of memory. */
pl_report *pl_report_new(const char *title);
void pl_report_free(pl_report *r);

/* The analysis of a scenario: verdict, deal space, who blocks, outcome
 * space with frontier and solutions, proposals, minimal concession. The
 * analysis (and its scenario) must outlive the call only. PL_ENOMEM, or
 * PL_EINPUT with a message in d. */
pl_status pl_report_add_analysis(pl_report *r, const pl_analysis *a,
                                 pl_diag *d);
/* A negotiation: utilities of the offers over rounds, the offers in the
 * utility plane (2 parties) with the frontier and the agreement, the
 * outcome against Nash. */
pl_status pl_report_add_negotiation(pl_report *r, const pl_negotiation *n,
                                    pl_diag *d);
/* The same from a saved `parley negotiate --json --trace` document. With
 * a scenario (may be NULL) the frontier and the Nash solution are drawn
 * too. PL_EINPUT, with file:line:column, when the file is not a
 * negotiation document (schema/negotiation.schema.json). */
pl_status pl_report_add_negotiation_file(pl_report *r, const char *path,
                                         const pl_scenario *s, pl_diag *d);
/* A tournament results folder (`parley tournament --out DIR`): ranking
 * with confidence intervals, agreement rates, agent x agent heat map of
 * mean utility, per scenario. */
pl_status pl_report_add_tournament(pl_report *r, const char *dir, pl_diag *d);
/* A conflict's stability: the state table with equilibria per concept and,
 * up to PL_REPORT_MAX_GRAPH_STATES states, the graph of improving moves per
 * decision maker with the status quo path. */
#define PL_REPORT_MAX_GRAPH_STATES 64
pl_status pl_report_add_stability(pl_report *r, const pl_stability *a,
                                  pl_diag *d);

/* The robust analysis of an uncertain scenario (docs/uncertainty.md):
 * probability bars with their intervals, the histogram of delta* over the
 * draws, the tornado of the sensitivity analysis. */
pl_status pl_report_add_robust(pl_report *r, const pl_robust *rb, pl_diag *d);

/* Writes the page. PL_EIO when writing fails. */
pl_status pl_report_write_html(const pl_report *r, FILE *out);
/* The plots, in page order: a file name stem ("outcome-space") and the
 * standalone SVG document. */
size_t pl_report_num_plots(const pl_report *r);
const char *pl_report_plot_name(const pl_report *r, size_t i);
const char *pl_report_plot_svg(const pl_report *r, size_t i);
/* Writes every plot as DIR/NAME.svg (the folder is created if missing;
 * each file written atomically). PL_EIO with a message when it cannot. */
pl_status pl_report_write_svgs(const pl_report *r, const char *dir, pl_diag *d);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif
