/* analysis.h - the results of `parley analyze` (internal layout).
 * Definitions of every number: docs/analysis.md. */
#ifndef PL_ANALYSIS_ANALYSIS_H
#define PL_ANALYSIS_ANALYSIS_H

#include "model/scenario.h"

/* A set of parked issues that blocks: with them parked, the zone opens. */
typedef struct pl_block {
  uint32_t nissues;
  uint32_t issues[2];
  double slack;   /* max over Z^S of the smallest margin above threshold */
  uint64_t count; /* partial packages in Z^S */
} pl_block;

enum { PL_NUM_SOLUTIONS = 4 };

struct pl_analysis {
  const pl_scenario *s;
  pl_analysis_options opt;
  unsigned threads;
  double seconds;
  uint64_t outcomes; /* UINT64_MAX with outcomes_overflow */
  bool outcomes_overflow;
  /* false: the space was above --max-outcomes, so the frontier and the
   * solutions come from branch and bound and nothing was counted. */
  bool enumerated;
  uint64_t bnb_nodes;
  /* The frontier was found (always when enumerated; above the cap only
   * when its branch and bound finished within budget). */
  bool frontier_known;
  uint64_t feasible, zone;
  uint64_t *acceptable;  /* per party */
  uint64_t *approved;    /* per ratifier */
  double *best_feasible; /* per party */
  double *ideal;         /* per party over the zone (valid when zone > 0) */
  /* Pareto frontier (of the zone, or of all feasible outcomes). */
  bool frontier_all;
  size_t nfront, front_distinct;
  uint64_t *front_index;
  double *front_u; /* nfront * nparties */
  /* Solutions over the zone. */
  bool has_solution;
  uint64_t solution[PL_NUM_SOLUTIONS];
  /* GENIUS's "KS": the point of the frontier of all feasible outcomes
   * minimising the sum over pairs of |u_i - u_j| (not Kalai-Smorodinsky). */
  bool has_genius_ks;
  uint64_t genius_ks;
  /* Opposition over the feasible outcomes. */
  bool has_opposition;
  double opposition;
  uint64_t opposition_index;
  /* Zone not empty: which values of each issue occur in it; its slack. */
  uint8_t *open;
  double zone_slack;
  /* Zone empty: the minimal uniform concession (when some outcome meets
   * every constraint and red line) and the blocking issues. */
  bool has_concession;
  double delta;
  uint64_t concession_index;
  pl_block *blocks;
  size_t nblocks;
  bool pairs_checked; /* false when the pair search was over budget */
  char blocking_note[256];
};

/* Finds the blocking single issues and minimal pairs (zone empty). */
bool pl_find_blocking(pl_analysis *a);
/* Chooses the four solutions among the frontier points of the zone. */
void pl_choose_solutions(pl_analysis *a, const uint64_t *index, const double *u,
                         size_t n);
/* Chooses GENIUS's "KS" among the frontier points of all feasible
 * outcomes. */
void pl_choose_genius_ks(pl_analysis *a, const uint64_t *index, const double *u,
                         size_t n);

#endif
