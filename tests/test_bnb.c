/* test_bnb.c - the frontier without enumeration (branch and bound) on the
 * ANAC 2014 non-linear domain 10issues: 10^10 outcomes, two parties. */
#include "analysis/analysis.h"
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The folder's pareto.xml (not XML: lines "u1, u2") holds GENIUS's
 * frontier as 32-bit floats, so it matches to about 3e-8
 * (shared/reference/genius-semantics.md). */
static size_t read_pareto(const char *path, double (*pts)[2], size_t max) {
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f, "cannot open %s", path);
  size_t n = 0;
  while (n < max && fscanf(f, " %lf , %lf", &pts[n][0], &pts[n][1]) == 2)
    n++;
  fclose(f);
  return n;
}

Test(bnb, ten_issues_frontier_matches_pareto_xml) {
  const char *dir = data_path("genius/10issues");
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load(&dir, 1, NULL, d);
  cr_assert_not_null(s);
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.frontier_all = true; /* GENIUS's frontier ignores reservation values */
  pl_status st;
  pl_analysis *a = pl_analyze(s, &o, d, &st);
  cr_assert_not_null(a);
  cr_expect(!a->enumerated, "10^10 outcomes are above the default cap");
  char path[4096];
  snprintf(path, sizeof path, "%s/pareto.xml", dir);
  double want[32][2];
  size_t n = read_pareto(path, want, 32);
  cr_assert_eq(n, 10);
  cr_assert_eq(a->nfront, n, "frontier has %zu points", a->nfront);
  /* pareto.xml lists the points in its own order: find each among ours. */
  for (size_t k = 0; k < n; k++) {
    double best = INFINITY;
    for (size_t f = 0; f < a->nfront; f++)
      best = fmin(best, fabs(a->front_u[2 * f] - want[k][0]) +
                            fabs(a->front_u[2 * f + 1] - want[k][1]));
    cr_expect_lt(best, 1e-7, "point %zu (%g, %g) not found", k, want[k][0],
                 want[k][1]);
  }
  /* Exact ends: party 1's best is 662/662 with party 2 at 526/885
   * (0.5943503 in pareto.xml), party 2's best 885/885 with 449/662. */
  cr_expect_float_eq(a->front_u[0], 1.0, 1e-12);
  cr_expect_float_eq(a->front_u[1], 526.0 / 885, 1e-12);
  cr_expect_float_eq(a->front_u[2 * (n - 1)], 449.0 / 662, 1e-12);
  cr_expect_float_eq(a->front_u[2 * (n - 1) + 1], 1.0, 1e-12);
  pl_analysis_free(a);
  pl_scenario_free(s);
  pl_diag_free(d);
}
