/* moves.h - the best Pareto-improving move from a reference package
 * (docs/analysis.md, section 8.2), by branch and bound over the issues. */
#ifndef PL_ANALYSIS_MOVES_H
#define PL_ANALYSIS_MOVES_H

#include "analysis/design.h"

/* Whether a package (smallest party gain lo, sum of party gains sum, index
 * idx) beats the best so far (have: there is one): larger lo, then larger
 * sum, then smaller index, gains within 1e-12 tying. */
bool pl_move_better(double lo, double sum, uint64_t idx, bool have, double blo,
                    double bsum, uint64_t bidx);

/* Fills out with the Pareto-improving packages from r: how many there are
 * and the best (largest smallest party gain, then largest sum of party
 * gains, then smallest index; gains within 1e-12 tie), exactly as one pass
 * over every outcome in index order finds them. The search visits at most
 * max_nodes partial packages (0: no limit); when it would visit more it
 * stops and out->searched stays false. Returns false when out of memory. */
bool pl_move_search(const pl_scenario *s, const uint32_t *r, uint64_t max_nodes,
                    pl_move *out);

#endif
