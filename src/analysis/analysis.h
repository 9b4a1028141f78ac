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
  uint64_t count; /* partial packages in Z^S; PL_NOT_COUNTED above the cap */
} pl_block;

#define PL_NOT_COUNTED UINT64_MAX

enum { PL_NUM_SOLUTIONS = 4 };

struct pl_analysis {
  const pl_scenario *s;
  pl_analysis_options opt;
  unsigned threads;
  double seconds;
  uint64_t outcomes; /* UINT64_MAX with outcomes_overflow */
  bool outcomes_overflow;
  /* false: the space was above --max-outcomes, so the solutions come from
   * branch and bound, the frontier from a sweep or a search, and the
   * counts from meet in the middle (counted_mitm) or not at all. true:
   * every number is the enumeration's, though the planner may have found
   * them by other exact methods (count_method etc. are then set). */
  bool enumerated;
  /* Below the cap, how the planner computed the counts, the solutions and
   * the margins (NULL: by the enumeration; the frontier: frontier_method),
   * and why, in one line (docs/analysis.md, "The planner"). */
  const char *count_method, *solutions_method, *margins_method;
  char plan_note[400];
  bool sums_grouped; /* the planner's sweep grouped equal partial sums */
  uint64_t bnb_nodes;
  /* The frontier was found (always when enumerated; above the cap only
   * when its branch and bound finished within budget). */
  bool frontier_known;
  uint64_t feasible, zone;
  uint64_t *acceptable;  /* per party */
  uint64_t *approved;    /* per ratifier */
  double *best_feasible; /* per party */
  double *ideal;         /* per party over the zone (valid when zone > 0) */
  /* How the frontier was found; why not, when it was not. */
  enum {
    PL_FRONTIER_ENUMERATION = 0,
    PL_FRONTIER_SWEEP = 1, /* ties kept, as with enumeration */
    PL_FRONTIER_SEARCH = 2 /* one outcome per distinct point */
  } frontier_method;
  char frontier_note[256];
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
  bool has_zone_slack;
  double zone_slack;
  /* Zone empty: the minimal uniform concession (when some outcome meets
   * every constraint and red line) and the blocking issues. */
  bool has_concession;
  bool concession_unknown; /* above the cap: its search did not finish */
  bool solutions_searched; /* above the cap: by pl_bnb_solutions */
  bool margins_known; /* above the cap: slack or concession from frontiers */
  /* Above the cap: feasible, zone, acceptable and approved were counted by
   * meet in the middle (exact, as enumeration would count them). */
  bool counted_mitm;
  char count_note[160]; /* why meet in the middle was given up */
  double delta;
  uint64_t concession_index;
  pl_block *blocks;
  size_t nblocks;
  bool pairs_checked; /* false when the pair search was over budget */
  /* Above the cap: whether blocking sets, the concession and the zone's
   * slack were searched (and finished within budget). */
  bool blocking_searched;
  /* Wall time of each stage, in seconds (docs/analysis.md, "run"): the
   * enumeration (count), each solution's search above the cap (when
   * enumerated, solutions and frontier come with the count), the
   * frontier's search, and blocking with the concession. */
  double t_count, t_solution[PL_NUM_SOLUTIONS], t_ideal, t_frontier, t_blocking,
      t_estimate, t_design;
  /* Above the cap: the measured estimate of the time an enumeration would
   * take on these threads (0: not estimated). */
  double count_estimate;
  char blocking_note[256];
  /* Deal design: who blocks, repairs (analysis/design.h). */
  struct pl_design *design;
};

/* Monotonic clock, in seconds. */
double pl_now_seconds(void);

/* Each actor's best completion of v over the parked issues (their values
 * in v are overwritten) among those the rules allow: -DBL_MAX when none
 * (shared/reference/blocking-issues.md, "Parking"). */
void pl_best_completions(const pl_scenario *s, const uint32_t *parked,
                         uint32_t nparked, uint32_t *v, double *best);

/* Each actor x < na's sums of its terms over issues 0 .. i, in
 * prefix[x * nissues + i], for i >= from, from those below `from`: the
 * additions of pl_actor_utility in its order, so the last is its sum to
 * the bit (before pl_actor_finish). An odometer over the outcomes redoes
 * only the issues from the one that changed. */
void pl_prefix_sums(const pl_scenario *s, uint32_t na, uint32_t from,
                    const uint32_t *v, double *prefix);

/* Finds the blocking single issues and minimal pairs (zone empty). */
bool pl_find_blocking(pl_analysis *a);
/* The same by branch and bound, without counting Z^S (above the cap);
 * each search may visit max_nodes nodes. */
bool pl_find_blocking_bounded(pl_analysis *a, uint64_t max_nodes);
/* Whether the zone is known to be empty (counted, or searched above the
 * cap). */
static inline bool pl_counted(const pl_analysis *a) {
  return a->enumerated || a->counted_mitm;
}
static inline bool pl_zone_empty(const pl_analysis *a) {
  return a->enumerated ? a->zone == 0 : !a->has_solution;
}
/* Chooses the four solutions among the frontier points of the zone. */
void pl_choose_solutions(pl_analysis *a, const uint64_t *index, const double *u,
                         size_t n);
/* Chooses GENIUS's "KS" among the frontier points of all feasible
 * outcomes. */
void pl_choose_genius_ks(pl_analysis *a, const uint64_t *index, const double *u,
                         size_t n);
/* The same without that frontier, from the few feasible outcomes of
 * smallest spread (solutions.c); false when they do not settle it (then
 * nothing is set and the frontier is needed) or memory is short. */
bool pl_genius_ks_by_candidates(pl_analysis *a);

#endif
