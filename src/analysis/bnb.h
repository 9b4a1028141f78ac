/* bnb.h - frontier by branch and bound, for spaces too large to enumerate. */
#ifndef PL_ANALYSIS_BNB_H
#define PL_ANALYSIS_BNB_H

#include "model/scenario.h"

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

#endif
