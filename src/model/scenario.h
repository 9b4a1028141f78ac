/* scenario.h - the negotiation model: issues, actors (parties and ratifiers),
 * rules (constraints and red lines) and proposals.
 *
 * Internal to the library: the analysis and I/O modules read these structs
 * directly; users go through parley.h. All memory belongs to the scenario's
 * arena except compiled expressions, which the scenario frees.
 */
#ifndef PL_MODEL_SCENARIO_H
#define PL_MODEL_SCENARIO_H

#include "model/expr.h"
#include "parley.h"
#include "util/arena.h"

/* Limits that keep every table small enough to build. */
enum {
  PL_MAX_ISSUES = 64,
  PL_MAX_PARTIES = 64,
  PL_MAX_RATIFIERS = 64,
  PL_MAX_VALUES = 1000000 /* values of one issue */
};

/* Comparisons of utilities with thresholds use this absolute tolerance
 * (shared/reference/blocking-issues.md). */
#define PL_EPS 1e-9

typedef struct pl_issue {
  const char *name;
  const char *description; /* may be NULL */
  pl_issue_kind kind;
  uint32_t nvalues;
  const char **labels; /* categorical: option names */
  /* categorical: the value indices in label order (strcmp), for lookups by
   * name in O(log n) (pl_issue_find_label); NULL until indexed */
  uint32_t *by_label;
  double *numbers; /* integer/real: the value of each index */
  /* The range as written, for writing the scenario back. */
  double min, max, step; /* integer: step; real: min, max */
} pl_issue;

/* A constraint or a red line. `table`, when not NULL, holds the truth value
 * for every combination of the referenced issues (mixed radix, last
 * fastest), so checking an outcome is one lookup instead of an expression
 * evaluation. */
typedef struct pl_rule {
  const char *name; /* may be NULL */
  const char *text;
  pl_expr *expr;
  uint32_t nrefs;
  const uint32_t *refs;
  uint64_t *strides; /* per ref, for indexing `table` */
  uint8_t *table;
} pl_rule;

typedef enum pl_actor_kind { PL_PARTY = 0, PL_RATIFIER = 1 } pl_actor_kind;

/* How the evaluations of an imported scenario were read (docs/formats.md). */
typedef enum pl_reading {
  PL_READING_PARLEY = 0, /* a parley file: values in [0,1], weights sum 1 */
  PL_READING_GENIUS = 1, /* GENIUS: evaluations / issue max, sum capped at 1 */
  PL_READING_RAW = 2     /* NegMAS: discrete evaluations raw, no cap */
} pl_reading;

/* A GENIUS "hyperRectangle" (ANAC 2014 non-linear profiles): it adds
 * `utility` when, for every range, the value index of issue[r] lies in
 * [lo[r], hi[r]]. */
typedef struct pl_box {
  double utility;
  uint32_t nranges;
  uint32_t *issue, *lo, *hi;
} pl_box;

/* An evaluator as a GENIUS profile writes it, kept so that an imported
 * scenario exports back exactly. */
typedef enum pl_eval_kind {
  PL_EVAL_NONE = 0,     /* the profile has no evaluator for the issue */
  PL_EVAL_DISCRETE = 1, /* raw[v]: the evaluation of each value as written */
  PL_EVAL_INTEGER = 2,  /* clip01(offset + slope * (x - lowerbound)) */
  PL_EVAL_REAL = 3      /* slope * x + offset (parameter1, parameter0) */
} pl_eval_kind;

typedef struct pl_genius_eval {
  pl_eval_kind kind;
  double *raw;
  double slope, offset, lowerbound, upperbound;
} pl_genius_eval;

/* A value function as written, kept to describe and write back the model. */
typedef enum pl_value_shape {
  PL_SHAPE_TABLE = 0, /* categorical table, or numeric table of points */
  PL_SHAPE_LINEAR = 1,
  PL_SHAPE_PEAKED = 2
} pl_value_shape;

/* A party (utility, reservation value, red lines) or a ratifier (utility,
 * approval threshold, optionally tied to a party). Utility is additive:
 * u(o) = sum over issues i, in issue order, of weights[i] * values[i][o_i]. */
typedef struct pl_actor {
  const char *name;
  const char *description;
  pl_actor_kind kind;
  double threshold; /* reservation value, or approval threshold */
  double discount;  /* 1 when there is none */
  double *weights;  /* per issue */
  double **values;  /* per issue: value in [0,1] of each index */
  pl_value_shape *shapes;
  pl_rule *red_lines; /* parties only */
  uint32_t nred_lines;
  int32_t party; /* ratifier: the party it belongs to, or -1 */
  /* Non-additive parts (GENIUS imports). The utility is
   *   u = sum_i term_i + box_scale * (sum of utilities of boxes containing o)
   * then, when `capped`, min(1, u). The cap is monotone, so dominance,
   * maxima and parking work on it unchanged. */
  bool capped;
  /* Capped and some outcome's sum, added in issue order, exceeds 1: its
   * best terms so added exceed 1 (rounding is monotone, so that sum is
   * the largest). Set by pl_scenario_finish. */
  bool cap_binds;
  pl_box *boxes;
  uint32_t nboxes;
  double box_scale;
  pl_genius_eval *genius; /* per issue, when imported from GENIUS */
  const char *file;       /* the profile it was read from, if any */
  /* Ratifier: a body that votes (model/body.h), or NULL. Its threshold is
   * then the effective one: theta_q as written + body->offset. */
  struct pl_body *body;
} pl_actor;

typedef struct pl_proposal {
  const char *name;
  const char *description;
  const char *by; /* actor who tabled it, may be NULL */
  uint32_t *values;
} pl_proposal;

struct pl_scenario {
  pl_arena arena;
  const char *name, *title, *description, *file;
  pl_issue *issues;
  uint32_t nissues;
  uint32_t *offset; /* offset[i]: index of issue i's first value overall */
  uint32_t total_values;
  /* Parties come first (0 .. nparties-1), then ratifiers. */
  pl_actor *actors;
  uint32_t nparties, nratifiers;
  pl_rule *constraints;
  uint32_t nconstraints;
  pl_proposal *proposals;
  uint32_t nproposals;
  /* term[a][offset[i] + v] = weights[i] * values[i][v] for actor a. */
  double **term;
  pl_reading reading;
  /* Some actor has boxes, or a cap that can bind (cap_binds): utilities
   * need pl_actor_finish. A capped actor whose sums never exceed 1 is
   * additive: min(1, u) = u for every outcome. */
  bool nonadditive;
  bool has_boxes;
  bool has_caps; /* some actor is capped, binding or not */
  /* Uncertain inputs (model/uncertain.h), or NULL: the base values are the
   * ones in the actors above. */
  struct pl_uncertainty *unc;
  /* Compiled expressions to free with the scenario. */
  pl_expr **exprs;
  uint32_t nexprs, cap_exprs;
};

static inline uint32_t pl_num_actors(const pl_scenario *s) {
  return s->nparties + s->nratifiers;
}

/* Turns the additive sum of actor a's terms into its utility: adds its
 * boxes and applies its cap (identity for a parley scenario). */
double pl_actor_finish(const pl_actor *a, double sum, const uint32_t *values);

/* Utility of actor a, summed in issue order (so every path agrees to the
 * last bit). */
double pl_actor_utility(const pl_scenario *s, uint32_t a,
                        const uint32_t *values);

bool pl_rule_holds(const pl_rule *r, const uint32_t *values);

/* Whether values v and w of issue i are worth the same to actor a in every
 * outcome: the same term, and inside the same ones of its boxes. */
bool pl_actor_values_alike(const pl_scenario *s, uint32_t a, uint32_t i,
                           uint32_t v, uint32_t w);

/* Whether some constraint or red line mentions an issue of the set
 * (issues[i] true for each issue i in it). */
bool pl_rules_mention(const pl_scenario *s, const bool *issues);
/* Every constraint holds, and (when party >= 0) that party's red lines. */
bool pl_rules_hold(const pl_scenario *s, int32_t party, const uint32_t *values);
/* Every constraint holds, and every party's red lines: the outcome is
 * open to all the parties at once. */
bool pl_all_rules_hold(const pl_scenario *s, const uint32_t *values);

/* Every rule of the scenario, constraints first, then each party's red
 * lines in party order, in a new array of *n pointers (never NULL unless
 * out of memory; the caller frees it). The searches that judge all rules at
 * once (margin.c, repair.c) share this one order. */
const pl_rule **pl_scenario_all_rules(const pl_scenario *s, uint32_t *n);

/* Building a scenario (used by the loaders and the generator). */
pl_scenario *pl_scenario_new(void);
/* Fills offset, total_values and term once issues and actors are set. */
bool pl_scenario_finish(pl_scenario *s);
/* Recomputes what follows from the term tables and the caps and boxes
 * (cap_binds, nonadditive, has_boxes, has_caps): pl_scenario_finish calls
 * it; so must whoever edits s->term or those fields afterwards. */
void pl_scenario_terms_changed(pl_scenario *s);
/* Actor a's largest (or smallest) term of each issue, added in issue
 * order: rounding is monotone, so no outcome's sum, before boxes and the
 * cap, is larger (or smaller). */
double pl_actor_extreme_sum(const pl_scenario *s, uint32_t a, bool largest);
/* Compiles rule text against the issues; on error returns false and fills
 * column and message. The expression is owned by the scenario. */
bool pl_rule_compile(pl_scenario *s, pl_rule *r, const char *text, int *col,
                     char *msg, size_t msglen);
/* Index of an issue or actor by name, or -1. */
int32_t pl_find_issue(const pl_scenario *s, const char *name);
/* Sorts a categorical issue's labels into is->by_label (from the arena);
 * false when out of memory. */
bool pl_issue_index_labels(pl_arena *a, pl_issue *is);
/* The value index of the option named `label`, or -1; O(log n) once the
 * issue is indexed, a linear search before. */
int64_t pl_issue_find_label(const pl_issue *is, const char *label);
int32_t pl_find_actor(const pl_scenario *s, const char *name);
/* The name of actor a. */
static inline const char *pl_actor_name(const pl_scenario *s, uint32_t a) {
  return s->actors[a].name;
}

/* Outcome space: count with overflow detection; index <-> values with the
 * last issue varying fastest. */
bool pl_space_size(const pl_scenario *s, uint64_t *count);
void pl_index_to_values(const pl_scenario *s, uint64_t index, uint32_t *values);
uint64_t pl_values_to_index(const pl_scenario *s, const uint32_t *values);

/* Whether any outcome satisfies every constraint (and, when party >= 0,
 * that party's red lines): 1 yes, 0 no, -1 not known (search too large). */
int pl_rules_satisfiable(const pl_scenario *s, int32_t party);

#endif
