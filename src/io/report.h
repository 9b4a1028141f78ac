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

/* The document of pl_analysis_write_json (new reference). */
json_t *pl_analysis_to_json(const pl_analysis *a);
/* Its `pareto` array, as a tree (new reference) and as a stream written
 * straight to out (report_pareto.c; the same bytes, a pl_json_member_fn:
 * ctx is the analysis). */
json_t *pl_frontier_json(const pl_analysis *a);
int pl_write_pareto(void *ctx, FILE *out, int depth);

void pl_judge(const pl_scenario *s, const uint32_t *values, pl_verdicts *v);
/* An issue's value as JSON: option name, integer or real. */
json_t *pl_value_json(const pl_scenario *s, uint32_t i, uint32_t v);
/* {"issue": value, ...} */
json_t *pl_outcome_json(const pl_scenario *s, const uint32_t *values);

/* Columns of packages: one row per issue, then each actor's utility and
 * verdict, feasibility and zone membership; as many columns side by side
 * as fit `width` (0: no limit). */
void pl_print_packages(const pl_scenario *s, FILE *out,
                       const char *const *titles,
                       const uint32_t *const *packages, size_t n,
                       unsigned width);

/* Deal design (report_design.c): blocking[k].who, repair k (proposals,
 * then --package packages), the values each actor rules out. */
json_t *pl_who_json(const pl_analysis *a, size_t block);
json_t *pl_repair_json(const pl_analysis *a, size_t k, const uint32_t *from);
json_t *pl_rules_out_json(const pl_analysis *a);
size_t pl_extra_count(const pl_analysis *a);
const uint32_t *pl_extra_package(const pl_analysis *a, size_t k);
void pl_print_who(const pl_analysis *a, FILE *out);
void pl_print_repairs(const pl_analysis *a, FILE *out);
void pl_print_rules_out(const pl_analysis *a, FILE *out);
json_t *pl_linkages_json(const pl_analysis *a);
json_t *pl_moves_json(const pl_analysis *a);
void pl_print_linkages(const pl_analysis *a, FILE *out);
json_t *pl_agenda_json(const pl_analysis *a);
void pl_print_agenda(const pl_analysis *a, FILE *out);

#endif
