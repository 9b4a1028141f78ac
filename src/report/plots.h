/* plots.h - the plots of an analysis report, one function per plot
 * (internal; analysis_page.c puts them on the page). */
#ifndef PL_REPORT_PLOTS_H
#define PL_REPORT_PLOTS_H

#include "analysis/analysis.h"
#include "report/page.h"

/* A package marked on the plots of the outcome space. */
typedef struct pl_mark {
  const char *label; /* "Nash", "US proposal" */
  char shape;        /* svg.h marker shape */
  const char *colour;
  double u[PL_MAX_PARTIES];
} pl_mark;

/* What the outcome-space plots draw: the frontier, the marks, and where
 * the packages lie (every package as a point for small spaces, a density
 * binned by the library for large ones). */
typedef struct pl_space_view {
  const pl_analysis *a;
  const double *front_u; /* nfront * nparties */
  size_t nfront;
  const char *front_label; /* "Pareto frontier of the zone" */
  pl_mark *marks;
  size_t nmarks;
  double lo, hi; /* utility range of every axis */
  unsigned threads;
} pl_space_view;

/* The outcome space: a scatter or density for 2 parties, a matrix of
 * pairwise projections and a parallel-coordinates plot of the frontier
 * for 3 or more. */
void pl_plot_outcome_space(pl_report *r, const pl_space_view *v, pl_diag *d);

/* Who blocks: for each blocking set and each combination of its values,
 * every actor's shortfall at the package that needs the least concession
 * there. Enumerated spaces only. */
void pl_plot_who_blocks(pl_report *r, const pl_analysis *a);

#endif
