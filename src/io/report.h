/* report.h - shared pieces of the analysis reports (internal). */
#ifndef PL_IO_REPORT_H
#define PL_IO_REPORT_H

#include "analysis/analysis.h"

#include <jansson.h>

/* How one package fares with every actor. */
typedef struct pl_verdicts {
  bool feasible, in_zone;
  double u[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  bool accepts[PL_MAX_PARTIES + PL_MAX_RATIFIERS]; /* or approves */
  bool red_ok[PL_MAX_PARTIES];
} pl_verdicts;

void pl_judge(const pl_scenario *s, const uint32_t *values, pl_verdicts *v);
/* {"issue": value, ...} */
json_t *pl_outcome_json(const pl_scenario *s, const uint32_t *values);

/* Columns of packages: one row per issue, then each actor's utility and
 * verdict, feasibility and zone membership. */
void pl_print_packages(const pl_scenario *s, FILE *out,
                       const char *const *titles,
                       const uint32_t *const *packages, size_t n);

#endif
