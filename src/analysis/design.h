/* design.h - deal design on top of the analysis: who blocks, proposal
 * repair (internal layout; docs/analysis.md, sections 7.5 and 8.1).
 *
 * Everything here is computed by pl_design_compute() after the analysis
 * proper, kept in one object the analysis owns, and read by the report
 * writers and the public accessors of include/parley_design.h.
 */
#ifndef PL_ANALYSIS_DESIGN_H
#define PL_ANALYSIS_DESIGN_H

#include "analysis/analysis.h"

/* One combination of the values of a blocking set, and the best completion
 * of the other issues: the largest smallest margin over the outcomes that
 * meet every constraint and red line (smallest index among ties). */
typedef struct pl_who_entry {
  uint32_t values[2]; /* the set's values, in the order of its issues */
  bool found;         /* some completion meets the rules */
  bool complete;      /* its search finished within budget */
  uint64_t index;     /* the best completion (an outcome index) */
  double margin;      /* min over actors of u_a - t_a there */
} pl_who_entry;

typedef struct pl_who {
  size_t n;
  pl_who_entry *e;
} pl_who;

/* The nearest package of the target set (the zone, or when it is empty the
 * packages that open at delta*) to a package, by issues changed. */
typedef struct pl_repair {
  bool searched; /* there is a target set to search */
  bool complete; /* the search finished within its node budget */
  bool found;
  uint32_t nchanges;
  uint64_t index;
  double at_delta; /* 0 in the zone, else delta* */
  uint64_t nodes;
} pl_repair_result;

/* A trade between two parties (docs/analysis.md, 8.2): parties[0] gives on
 * issues[0] and gets issues[1]; parties[1] the reverse. */
typedef struct pl_linkage {
  size_t from; /* the reference: repair k (proposal, then --package) */
  uint32_t issues[2], parties[2];
  uint64_t index; /* the package after the trade */
  double gain[2]; /* each trader's gain */
} pl_linkage;

/* The best Pareto-improving move from a reference package, searched to the
 * end in spaces of up to PL_MOVE_SCAN_MAX outcomes, and in larger ones up
 * to PL_MOVE_NODES_MAX partial packages. */
enum { PL_MOVE_SCAN_MAX = 1000000, PL_MOVE_NODES_MAX = 2000000 };
typedef struct pl_move {
  bool searched; /* the search finished (within budget above 10^6) */
  bool found;
  uint64_t index;
  uint64_t count; /* Pareto-improving packages */
  uint64_t nodes; /* partial packages the search visited */
} pl_move;

/* Which package the linkages start from when there is no proposal. */
enum { PL_REF_PROPOSALS = 0, PL_REF_CONCESSION = 1, PL_REF_NASH = 2 };

/* One way of settling the issues (docs/analysis.md, 8.3). */
typedef struct pl_agenda_result {
  bool found; /* the combined package meets the rules */
  uint64_t index;
  double delta;       /* the uniform concession it needs (0: in the zone) */
  double extra_delta; /* beyond the package deal's */
  double nash, welfare;
  uint64_t level_index; /* the package deal's settlement at that delta */
  double nash_drop, welfare_drop;
} pl_agenda_result;

typedef struct pl_agenda {
  uint32_t group[PL_MAX_ISSUES]; /* per issue: its group, from 0 */
  uint32_t ngroups;
  bool reference_is_proposal; /* else the package deal */
  pl_agenda_result deal;      /* found, index, delta, nash, welfare */
  pl_agenda_result apart, sequential;
  bool searched; /* the best partition into ngroups (up to 10 issues) */
  uint64_t partitions;
  pl_agenda_result best;
  uint32_t best_groups[PL_MAX_ISSUES];
  char note[160];
} pl_agenda;

struct pl_design {
  pl_who *who; /* one per blocking set (a->blocks) */
  size_t nwho;
  /* Per actor and value (a * total_values + offset[i] + v): the value is
   * out of the actor's reach, since even with every other issue at the
   * actor's best its utility falls below its threshold (rules ignored). */
  uint8_t *out_of_reach;
  bool reach_known; /* false with GENIUS hyperRectangle profiles */
  /* Packages judged beside the proposals (--package), num_issues each. */
  uint32_t *extra;
  size_t nextra;
  /* One per proposal, then one per extra package. */
  pl_repair_result *repair;
  /* Linkages from every reference, best first; one move per reference. */
  pl_linkage *links;
  size_t nlinks, caplinks;
  pl_move *moves;
  size_t nmoves;
  int reference;     /* PL_REF_* */
  pl_agenda *agenda; /* with --groups */
  /* The blocking stage's table, when it made one (blocking.c): per
   * outcome and actor, the utility where the actor may sign the outcome,
   * -DBL_MAX where not. Who blocks reads it instead of the rules and
   * sums; freed once that is done. */
  double *signable;
};

typedef struct pl_design pl_design;

/* Reads the options' --package texts (errors into d, PL_EINPUT) and
 * creates a->design. */
pl_status pl_design_prepare(pl_analysis *a, const pl_analysis_options *o,
                            pl_diag *d);
/* Computes who blocks and the repairs; false when out of memory. */
bool pl_design_compute(pl_analysis *a);
void pl_design_free(pl_design *d);

/* Parses "issue=value,issue=value" into values (num_issues entries).
 * Issues not named keep the values already in `values`; `named` (may be
 * NULL) gets which were named. False with a message naming the item. */
bool pl_parse_package(const pl_scenario *s, const char *text, uint32_t *values,
                      bool *named, char *msg, size_t msglen);

/* Agenda design (agenda.c): --groups, and its results. */
pl_status pl_agenda_parse(const pl_scenario *s, const char *text, pl_design *d,
                          pl_diag *diag);
bool pl_agenda_compute(pl_analysis *a, pl_design *d);
double pl_agenda_nash(const pl_scenario *s, const uint32_t *v, double delta);
double pl_agenda_welfare(const pl_scenario *s, const uint32_t *v);
/* Linkages and Pareto-improving moves (linkage.c). */
bool pl_linkages(pl_analysis *a, pl_design *d);
/* Who blocks, per blocking set; exposed for tests. */
bool pl_who_blocks(pl_analysis *a, pl_design *d);
/* The nearest package to `from` in the target set (see pl_repair). */
bool pl_repair_package(const pl_analysis *a, const uint32_t *from,
                       int32_t proposer, uint64_t max_nodes,
                       pl_repair_result *out);

#endif
