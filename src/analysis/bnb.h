/* bnb.h - frontier by branch and bound, for spaces too large to enumerate. */
#ifndef PL_ANALYSIS_BNB_H
#define PL_ANALYSIS_BNB_H

#include "analysis/analysis.h"

typedef struct pl_bnb_result {
  double *u;       /* n * nparties: the distinct frontier points */
  uint64_t *index; /* the smallest outcome index attaining each */
  size_t n;
  uint64_t nodes; /* search nodes visited */
  bool complete;  /* false when stopped at max_nodes: then the points are
                     only those found, not the whole frontier */
} pl_bnb_result;

/* The distinct Pareto frontier of the agreement zone (zone) or of the
 * feasible outcomes (!zone), in no particular order. False when out of
 * memory. The caller frees out->u and out->index. */
bool pl_bnb_frontier(const pl_scenario *s, bool zone, uint64_t max_nodes,
                     pl_bnb_result *out);

/* Shared by the branch-and-bound searches. */

/* suffix[i * na + a]: the most that issues i.. can add to actor a's
 * additive sum; (n + 1) * na entries, caller frees. */
double *pl_bnb_suffix(const pl_scenario *s);
/* Upper bound of every actor's utility below a node where issues
 * 0 .. depth-1 are fixed (v), prefix[depth * na + a] their sum. */
void pl_bnb_bound(const pl_scenario *s, const double *suffix,
                  const double *prefix, const uint32_t *v, uint32_t depth,
                  double *bound);
/* Per issue, its values by sum_a w[a] * term_a (actors 0 .. nw-1), best
 * first, ties in value order: good outcomes are met early, so bounds cut
 * more. NULL when out of memory; free with pl_bnb_value_order_free. */
uint32_t **pl_bnb_value_order(const pl_scenario *s, const double *w,
                              uint32_t nw);
void pl_bnb_value_order_free(uint32_t **order, uint32_t nissues);
/* The constraints (and red lines) whose last issue is `issue` hold. */
bool pl_bnb_rules_hold_at(const pl_scenario *s, const uint32_t *v,
                          uint32_t issue, bool red_lines);

/* The four solutions (and the ideal point) over the agreement zone by
 * branch and bound on each objective, with the enumeration's tie rule.
 * Sets a->has_solution, a->solution[], a->ideal. False when out of memory;
 * *complete false when a search hit max_nodes. */
bool pl_bnb_solutions(const pl_scenario *s, uint64_t max_nodes, pl_analysis *a,
                      bool *complete);

#endif
