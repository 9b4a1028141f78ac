/* solutions.c - Nash, Kalai-Smorodinsky, egalitarian and utilitarian points
 * (shared/reference/bargaining.md), chosen among the Pareto-optimal points
 * of the agreement zone.
 *
 * Ties: values within SOLUTION_TIE of the best count as equal; among them
 * the larger sum of gains wins, then the smaller outcome index. The rule
 * works on the frontier alone, which is the same set for any thread count,
 * so the choice never depends on it.
 */
#include "analysis/analysis.h"
#include "analysis/bnb.h"
#include "analysis/margin.h"
#include "analysis/ndindex.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SOLUTION_TIE 1e-12

typedef struct bargain {
  uint32_t np;
  const double *d; /* disagreement point: reservation values */
  const double *U; /* ideal point over the zone */
} bargain;

/* A party whose best outcome in the zone is no better than no deal has no
 * possible gain and is left out of the Nash product and the KS ratios. */
static bool can_gain(const bargain *b, uint32_t p) {
  return b->U[p] - b->d[p] > PL_EPS;
}

static double objective(const bargain *b, pl_solution which, const double *u) {
  double x;
  switch (which) {
  case PL_SOLUTION_NASH:
    x = 1;
    for (uint32_t p = 0; p < b->np; p++)
      if (can_gain(b, p))
        x *= u[p] - b->d[p];
    return x;
  case PL_SOLUTION_KALAI_SMORODINSKY:
    x = DBL_MAX;
    for (uint32_t p = 0; p < b->np; p++)
      if (can_gain(b, p))
        x = fmin(x, (u[p] - b->d[p]) / (b->U[p] - b->d[p]));
    return x == DBL_MAX ? 0 : x;
  case PL_SOLUTION_EGALITARIAN:
    x = DBL_MAX;
    for (uint32_t p = 0; p < b->np; p++)
      x = fmin(x, u[p] - b->d[p]);
    return x;
  case PL_SOLUTION_UTILITARIAN:
  default:
    x = 0;
    for (uint32_t p = 0; p < b->np; p++)
      x += u[p];
    return x;
  }
}

static double sum_of_gains(const bargain *b, const double *u) {
  double x = 0;
  for (uint32_t p = 0; p < b->np; p++)
    /* False positive of clang-analyzer-core.UndefinedBinaryOperatorResult: u
     * holds every actor's utility, parties first (np <= na) */
    /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
    x += u[p] - b->d[p];
  return x;
}

static size_t choose(const bargain *b, pl_solution which, const uint64_t *index,
                     const double *u, size_t n) {
  double best = -DBL_MAX;
  for (size_t k = 0; k < n; k++)
    best = fmax(best, objective(b, which, u + k * b->np));
  double best_gain = -DBL_MAX;
  for (size_t k = 0; k < n; k++)
    if (objective(b, which, u + k * b->np) >= best - SOLUTION_TIE)
      best_gain = fmax(best_gain, sum_of_gains(b, u + k * b->np));
  size_t pick = SIZE_MAX;
  for (size_t k = 0; k < n; k++) {
    const double *uk = u + k * b->np;
    if (objective(b, which, uk) >= best - SOLUTION_TIE &&
        sum_of_gains(b, uk) >= best_gain - SOLUTION_TIE &&
        (pick == SIZE_MAX || index[k] < index[pick]))
      pick = k;
  }
  return pick;
}

void pl_choose_solutions(pl_analysis *a, const uint64_t *index, const double *u,
                         size_t n) {
  const pl_scenario *s = a->s;
  double d[PL_MAX_PARTIES];
  for (uint32_t p = 0; p < s->nparties; p++)
    d[p] = s->actors[p].threshold;
  bargain b = {s->nparties, d, a->ideal};
  a->has_solution = n > 0;
  for (int w = 0; w < PL_NUM_SOLUTIONS && n > 0; w++)
    a->solution[w] = index[choose(&b, (pl_solution)w, index, u, n)];
}

/* Sum over pairs of parties of |u_i - u_j|: GENIUS 10.4's "KS" objective. */
static double pairwise_spread(const double *u, uint32_t np) {
  double x = 0;
  for (uint32_t i = 0; i < np; i++)
    for (uint32_t j = i + 1; j < np; j++)
      x += fabs(u[i] - u[j]);
  return x;
}

/* Smallest spread (ties within SOLUTION_TIE), then larger sum of
 * utilities, then smaller outcome index. */
void pl_choose_genius_ks(pl_analysis *a, const uint64_t *index, const double *u,
                         size_t n) {
  uint32_t np = a->s->nparties;
  double best = DBL_MAX, best_sum = -DBL_MAX;
  for (size_t k = 0; k < n; k++)
    best = fmin(best, pairwise_spread(u + k * np, np));
  for (size_t k = 0; k < n; k++)
    if (pairwise_spread(u + k * np, np) <= best + SOLUTION_TIE)
      best_sum = fmax(best_sum, objective(&(bargain){np, NULL, NULL},
                                          PL_SOLUTION_UTILITARIAN, u + k * np));
  size_t pick = SIZE_MAX;
  for (size_t k = 0; k < n; k++) {
    const double *uk = u + k * np;
    if (pairwise_spread(uk, np) <= best + SOLUTION_TIE &&
        objective(&(bargain){np, NULL, NULL}, PL_SOLUTION_UTILITARIAN, uk) >=
            best_sum - SOLUTION_TIE &&
        (pick == SIZE_MAX || index[k] < index[pick]))
      pick = k;
  }
  a->has_genius_ks = n > 0;
  if (n > 0)
    a->genius_ks = index[pick];
}

/* ---- GENIUS's KS without the frontier of every feasible outcome --------
 *
 * pl_choose_genius_ks weighs only the frontier points whose spread is
 * within SOLUTION_TIE of the smallest frontier spread. Those are found
 * without an archive of the whole frontier: one pass over the outcomes
 * keeps the KS_CANDIDATES feasible outcomes of smallest spread (ties: the
 * smaller index), a second drops each that some feasible outcome
 * dominates (frontier.h's exact dominance: >= everywhere, not equal).
 * With s the smallest spread among the survivors, every outcome of spread
 * up to s + SOLUTION_TIE is a candidate when that is below the largest
 * spread kept (or every feasible outcome was kept): the survivors then
 * hold every frontier point pl_choose_genius_ks would weigh, the smallest
 * spread included, and it picks from them the point it picks from the
 * whole frontier. Utilities are pl_actor_utility's (prefix sums in issue
 * order), as the scan's. For the talks' 4,320 feasible outcomes this
 * replaces an archive costing most of the analysis (issue 13, item 7). */
#define KS_CANDIDATES 32

typedef struct ks_search {
  const pl_scenario *s;
  uint32_t np, v[PL_MAX_ISSUES];
  uint64_t idx;
  double *prefix, *u; /* per party and issue; the outcome's utilities */
  uint64_t *feasible; /* one bit per outcome */
} ks_search;

/* The next feasible outcome in index order (the first when idx is
 * UINT64_MAX), its parties' utilities in q->u; false after the last. The
 * first pass checks the rules and marks the feasible outcomes in
 * q->feasible, the second reads the marks. */
static bool next_feasible(ks_search *q, uint64_t outcomes, bool marked) {
  const pl_scenario *s = q->s;
  uint32_t n = s->nissues, np = q->np;
  while (++q->idx < outcomes) {
    if (q->idx == 0) {
      memset(q->v, 0, sizeof q->v);
      pl_prefix_sums(s, np, 0, q->v, q->prefix);
    } else { /* odometer: the last issue varies fastest */
      uint32_t i = n;
      while (i-- > 0 && ++q->v[i] == s->issues[i].nvalues)
        q->v[i] = 0;
      pl_prefix_sums(s, np, i, q->v, q->prefix);
    }
    uint64_t bit = 1ULL << (q->idx % 64), *word = &q->feasible[q->idx / 64];
    if (marked ? !(*word & bit) : !pl_rules_hold(s, -1, q->v))
      continue;
    *word |= bit;
    for (uint32_t p = 0; p < np; p++) {
      double sum = q->prefix[(size_t)p * n + n - 1];
      q->u[p] =
          s->nonadditive ? pl_actor_finish(&s->actors[p], sum, q->v) : sum;
    }
    return true;
  }
  return false;
}

static double utility_sum(const double *u, uint32_t np) {
  double x = 0;
  for (uint32_t p = 0; p < np; p++)
    x += u[p];
  return x;
}

bool pl_genius_ks_by_candidates(pl_analysis *a) {
  const pl_scenario *s = a->s;
  uint32_t np = s->nparties, n = s->nissues;
  if (n == 0 || np == 0)
    return false;
  ks_search q = {.s = s, .np = np, .idx = UINT64_MAX};
  /* candidates, best first: spread, index, dominated, utilities */
  double *spread = malloc(KS_CANDIDATES * sizeof *spread);
  uint64_t *index = malloc(KS_CANDIDATES * sizeof *index);
  bool *dominated = calloc(KS_CANDIDATES, sizeof *dominated);
  double *cu = malloc((size_t)KS_CANDIDATES * np * sizeof *cu);
  q.prefix = malloc((size_t)np * n * sizeof *q.prefix);
  q.u = malloc(np * sizeof *q.u);
  q.feasible = calloc(a->outcomes / 64 + 1, sizeof *q.feasible);
  bool ok = spread && index && dominated && cu && q.prefix && q.u && q.feasible;
  size_t kept = 0;
  uint64_t feasible = 0;
  while (ok && next_feasible(&q, a->outcomes, false)) {
    feasible++;
    double x = pairwise_spread(q.u, np);
    if (kept == KS_CANDIDATES && !(x < spread[kept - 1]))
      continue; /* a tie loses to the smaller index kept */
    size_t at = kept < KS_CANDIDATES ? kept++ : kept - 1;
    for (; at > 0 && spread[at - 1] > x; at--) {
      spread[at] = spread[at - 1];
      index[at] = index[at - 1];
      memcpy(cu + at * np, cu + (at - 1) * np, np * sizeof *cu);
    }
    spread[at] = x;
    index[at] = q.idx;
    memcpy(cu + at * np, q.u, np * sizeof *cu);
  }
  /* An outcome dominating a candidate has a sum of utilities at least the
   * candidate's (rounded additions in the same order are monotone): one
   * whose sum is below every live candidate's dominates none. */
  size_t alive = kept;
  double low = DBL_MAX;
  for (size_t c = 0; c < kept; c++)
    low = fmin(low, utility_sum(cu + c * np, np));
  q.idx = UINT64_MAX;
  while (ok && alive > 0 && next_feasible(&q, a->outcomes, true)) {
    if (utility_sum(q.u, np) < low)
      continue;
    for (size_t c = 0; c < kept; c++)
      if (!dominated[c] && pl_nd_dominates(q.u, cu + c * np, np)) {
        dominated[c] = true;
        alive--;
      }
  }
  /* the survivors, packed in order; s: the smallest spread among them */
  double largest = kept ? spread[kept - 1] : 0;
  size_t m = 0;
  for (size_t c = 0; ok && c < kept; c++)
    if (!dominated[c]) {
      spread[m] = spread[c];
      index[m] = index[c];
      memmove(cu + m * np, cu + c * np, np * sizeof *cu);
      m++;
    }
  bool settled =
      ok && (feasible == kept || (m > 0 && spread[0] + SOLUTION_TIE < largest));
  if (settled)
    pl_choose_genius_ks(a, index, cu, m);
  free(spread);
  free(index);
  free(dominated);
  free(cu);
  free(q.prefix);
  free(q.u);
  free(q.feasible);
  return settled;
}

/* ---- The solutions without enumerating: branch and bound ----------------
 *
 * Each objective is non-decreasing in every party's utility, so its value
 * at the node's utility bounds bounds it below the node. The enumeration's
 * rule is reproduced in three searches: the best value M; among outcomes
 * within SOLUTION_TIE of M, the largest sum of gains S; and among those
 * within SOLUTION_TIE of S, the first in index order. The first two may
 * visit values in any order, so they try each issue's values best first
 * (by the sum of the parties' terms); the last goes in index order.
 */
enum { FIND_MAX = 0, FIND_MAX_GAIN = 1, FIND_FIRST = 2, FIND_DOMINATOR = 3 };

typedef struct solver {
  const pl_scenario *s;
  uint32_t n, np, na;
  double *suffix, *prefix, *bound;
  uint32_t *v, *arg;
  uint32_t **best_first; /* per issue: values by the parties' total term */
  bargain b;
  int which; /* a pl_solution, or -1 - p: party p's utility */
  int mode;
  double fmin, gmin, best;
  bool found, stopped;
  bool failed; /* out of memory in a dominance search: nothing is sure */
  uint64_t nodes, max_nodes;
  /* Linear bounds (additive scenarios): sum_suffix[i] bounds what issues
   * i.. add to the sum of the parties' utilities, obj_suffix[i] what they
   * add to sum_p w[p] u_p, with weights suited to the objective. */
  double *sum_suffix, *obj_suffix;
  double ones[PL_MAX_PARTIES], w[PL_MAX_PARTIES];
  double wconst;     /* ideal point: sum_p mu_p t_p, see ideal_weights */
  const double *dom; /* FIND_DOMINATOR: the point to dominate */
  /* The zone's cut: weights f (pl_margin_weights), feas_suffix[i] the most
   * issues i.. add to sum_p f_p u_p, feas_t = sum_p f_p (t_p - 2 eps). */
  double f[PL_MAX_PARTIES], *feas_suffix, feas_t;
} solver;

static double solver_objective(const solver *q, const double *u) {
  return q->which >= 0 ? objective(&q->b, (pl_solution)q->which, u)
                       : u[-1 - q->which];
}

/* suffix[i] = sum over issues j >= i of the max over values of
 * sum_p w[p] * term_p: exact issue by issue, so much tighter than adding
 * each party's own best, which no single outcome reaches. */
static void build_linear(const solver *q, const double *w, double *suffix) {
  const pl_scenario *s = q->s;
  suffix[q->n] = 0;
  for (uint32_t i = q->n; i-- > 0;) {
    double best = -DBL_MAX;
    for (uint32_t v = 0; v < s->issues[i].nvalues; v++) {
      double x = 0;
      for (uint32_t p = 0; p < q->np; p++)
        x += w[p] * s->term[p][s->offset[i] + v];
      best = fmax(best, x);
    }
    suffix[i] = suffix[i + 1] + best;
  }
}

/* Bound on sum_p w[p] u_p below a node at `depth`. Boxes and caps make
 * utilities non-additive: those scenarios do without (+infinity). */
static double linear_at(const solver *q, const double *w, const double *suffix,
                        uint32_t depth) {
  if (q->s->nonadditive)
    return DBL_MAX;
  double x = suffix[depth];
  for (uint32_t p = 0; p < q->np; p++)
    x += w[p] * q->prefix[depth * q->na + p];
  return x + 1e-13 * (1 + fabs(x)); /* sums in another order may round up */
}

/* Whether party p takes part in the objective's weighted bound. */
static bool weighted(const solver *q, uint32_t p) {
  return q->which == PL_SOLUTION_EGALITARIAN ||
         q->which == PL_SOLUTION_UTILITARIAN || can_gain(&q->b, p);
}

/* min_p g_p <= sum_p l_p g_p for weights l summing to 1, and
 * prod_p g_p <= (sum_p l_p g_p / m)^m / prod_p l_p (arithmetic and
 * geometric means): both bounded through one weighted sum of utilities. */
static void objective_weights(solver *q, const double *lambda) {
  double total = 0;
  for (uint32_t p = 0; p < q->np; p++)
    total += weighted(q, p) ? lambda[p] : 0;
  for (uint32_t p = 0; p < q->np; p++) {
    double l = weighted(q, p) && total > 0 ? lambda[p] / total : 0;
    q->w[p] = q->which == PL_SOLUTION_UTILITARIAN ? 1.0
              : q->which == PL_SOLUTION_KALAI_SMORODINSKY && l > 0
                  ? l / (q->b.U[p] - q->b.d[p])
                  : l;
  }
  build_linear(q, q->w, q->obj_suffix);
}

/* Upper bound of the objective below a node, from the weighted sum. */
static double linear_bound(const solver *q, uint32_t depth) {
  if (q->which < 0) {
    double x = linear_at(q, q->w, q->obj_suffix, depth);
    return x == DBL_MAX ? x : x - q->wconst;
  }
  double x = linear_at(q, q->w, q->obj_suffix, depth);
  if (x == DBL_MAX || q->which == PL_SOLUTION_UTILITARIAN)
    return x;
  uint32_t m = 0;
  double prod = 1;
  for (uint32_t p = 0; p < q->np; p++)
    if (q->w[p] > 0) {
      x -= q->w[p] * q->b.d[p];
      m++;
      prod *= q->w[p];
    }
  if (m == 0)
    return DBL_MAX;
  if (q->which != PL_SOLUTION_NASH)
    return x;
  return x <= 0 ? 0 : pow(x / m, m) / prod;
}

/* The ideal point's search maximises u_p over the zone, where every
 * u_a - t_a >= 0: so u_p <= u_p + sum_a mu_a (u_a - t_a) for any mu >= 0,
 * a weighted sum bounded issue by issue. Without it, proving that little
 * of a huge space meets the thresholds takes most of the nodes. mu comes
 * from projected subgradient steps on that bound at the root. */
static void ideal_weights(solver *q, uint32_t target) {
  const pl_scenario *s = q->s;
  double mu[PL_MAX_PARTIES] = {0}, best_mu[PL_MAX_PARTIES] = {0};
  double best = DBL_MAX;
  for (int it = 0; it < 200; it++) {
    double g[PL_MAX_PARTIES], L = 0;
    for (uint32_t p = 0; p < q->np; p++) {
      q->w[p] = (p == target) + mu[p];
      g[p] = -s->actors[p].threshold;
      L -= mu[p] * s->actors[p].threshold;
    }
    for (uint32_t i = 0; i < q->n; i++) {
      uint32_t arg = 0;
      double top = -DBL_MAX;
      for (uint32_t v = 0; v < s->issues[i].nvalues; v++) {
        double x = 0;
        for (uint32_t p = 0; p < q->np; p++)
          x += q->w[p] * s->term[p][s->offset[i] + v];
        if (x > top)
          top = x, arg = v;
      }
      L += top;
      for (uint32_t p = 0; p < q->np; p++)
        g[p] += s->term[p][s->offset[i] + arg];
    }
    if (L < best) {
      best = L;
      memcpy(best_mu, mu, sizeof mu);
    }
    double step = 0.5 / sqrt(1.0 + it);
    for (uint32_t p = 0; p < q->np; p++)
      mu[p] = fmax(0.0, mu[p] - step * g[p]);
  }
  /* The zone admits u_a >= t_a - 1e-9, and sums may round differently:
   * both are allowed for, so the bound stays an upper bound. */
  q->wconst = -1e-12;
  for (uint32_t p = 0; p < q->np; p++) {
    q->w[p] = (p == target) + best_mu[p];
    q->wconst += best_mu[p] * (s->actors[p].threshold - 2 * PL_EPS);
  }
  build_linear(q, q->w, q->obj_suffix);
}

/* Nash: once a better outcome is found, weights 1/g_p make the bound
 * tight around it (the product's tangent plane there). */
static void retune_nash(solver *q, const double *u) {
  double lambda[PL_MAX_PARTIES];
  for (uint32_t p = 0; p < q->np; p++)
    lambda[p] = 1.0 / fmax(u[p] - q->b.d[p], 1e-9);
  objective_weights(q, lambda);
}

/* Whether an outcome (depth == n: u its utilities) or the outcomes below
 * a node (u the bounds) can still qualify and improve on what was found. */
static bool promising(const solver *q, const double *u, uint32_t depth) {
  for (uint32_t a = 0; a < q->na; a++)
    if (u[a] < q->s->actors[a].threshold - PL_EPS)
      return false;
  bool node = depth < q->n;
  if (node && linear_at(q, q->f, q->feas_suffix, depth) < q->feas_t)
    return false; /* no package below meets every party's threshold */
  double f = solver_objective(q, u);
  if (node)
    f = fmin(f, linear_bound(q, depth));
  if (q->mode == FIND_MAX)
    return !q->found || f > q->best;
  if (f < q->fmin)
    return false;
  double g = sum_of_gains(&q->b, u);
  if (node) {
    double d = 0;
    for (uint32_t p = 0; p < q->np; p++)
      d += q->b.d[p];
    g = fmin(g, linear_at(q, q->ones, q->sum_suffix, depth) - d);
  }
  if (q->mode == FIND_MAX_GAIN)
    return !q->found || g > q->best;
  if (q->mode == FIND_DOMINATOR)
    for (uint32_t p = 0; p < q->np; p++)
      if (u[p] < q->dom[p])
        return false;
  return g >= q->gmin;
}

static void solver_descend(solver *q, uint32_t depth);

/* Whether some outcome of the zone dominates u: a search among outcomes at
 * least as good for every party, which the tie thresholds keep small. */
static bool dominated_in_zone(solver *q, const double *u) {
  solver d = *q;
  d.mode = FIND_DOMINATOR;
  d.dom = u;
  d.found = d.stopped = false;
  d.v = calloc(q->n ? q->n : 1, sizeof *d.v);
  d.prefix = calloc((size_t)(q->n + 1) * q->na, sizeof *d.prefix);
  d.bound = calloc(q->na, sizeof *d.bound);
  bool ok = d.v && d.prefix && d.bound;
  if (ok)
    solver_descend(&d, 0);
  q->nodes = d.nodes;
  q->failed |= !ok;
  q->stopped |= !ok || d.nodes > q->max_nodes;
  free(d.v);
  free(d.prefix);
  free(d.bound);
  return d.found;
}

static bool strictly_above(const double *u, const double *dom, uint32_t np) {
  bool above = false;
  for (uint32_t p = 0; p < np; p++) {
    if (u[p] < dom[p])
      return false;
    above |= u[p] > dom[p];
  }
  return above;
}

static void solver_leaf(solver *q) {
  double u[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  for (uint32_t a = 0; a < q->na; a++)
    u[a] = pl_actor_utility(q->s, a, q->v);
  if (!promising(q, u, q->n))
    return;
  if (q->mode == FIND_DOMINATOR) {
    q->found = q->stopped = strictly_above(u, q->dom, q->np);
    return;
  }
  /* Enumeration picks among frontier points: an outcome that another
   * beats by a rounding error is a near-tie but not a candidate. */
  if (q->mode == FIND_FIRST && dominated_in_zone(q, u))
    return;
  q->best =
      q->mode == FIND_MAX ? solver_objective(q, u) : sum_of_gains(&q->b, u);
  q->found = true;
  memcpy(q->arg, q->v, q->n * sizeof *q->v);
  if (q->mode == FIND_MAX && q->which == PL_SOLUTION_NASH && !q->s->nonadditive)
    retune_nash(q, u);
  if (q->mode == FIND_FIRST)
    q->stopped = true; /* index order: the first is the smallest */
}

static void solver_descend(solver *q, uint32_t depth) {
  if (q->stopped)
    return;
  if (++q->nodes > q->max_nodes) {
    q->stopped = true;
    return;
  }
  if (depth == q->n) {
    solver_leaf(q);
    return;
  }
  pl_bnb_bound(q->s, q->suffix, q->prefix, q->v, depth, q->bound);
  if (!promising(q, q->bound, depth))
    return;
  const pl_scenario *s = q->s;
  for (uint32_t k = 0; k < s->issues[depth].nvalues && !q->stopped; k++) {
    uint32_t v = q->mode == FIND_FIRST ? k : q->best_first[depth][k];
    q->v[depth] = v;
    for (uint32_t a = 0; a < q->na; a++)
      q->prefix[(depth + 1) * q->na + a] =
          q->prefix[depth * q->na + a] + s->term[a][s->offset[depth] + v];
    if (pl_bnb_rules_hold_at(s, q->v, depth, true))
      solver_descend(q, depth + 1);
  }
}

static bool run(solver *q, int which, int mode) {
  q->which = which;
  q->mode = mode;
  q->found = false;
  q->best = -DBL_MAX;
  q->stopped = false;
  solver_descend(q, 0);
  return q->found;
}

static void free_solver(solver *q) {
  pl_bnb_value_order_free(q->best_first, q->n);
  free(q->suffix);
  free(q->prefix);
  free(q->bound);
  free(q->v);
  free(q->arg);
  free(q->sum_suffix);
  free(q->obj_suffix);
  free(q->feas_suffix);
}

/* One solution by the three searches; false when the zone is empty. */
static bool solve_one(solver *q, pl_solution w, uint64_t *index) {
  q->which = (int)w;
  objective_weights(q, q->ones);
  if (!run(q, (int)w, FIND_MAX))
    return false;
  q->fmin = q->best - SOLUTION_TIE;
  run(q, (int)w, FIND_MAX_GAIN);
  q->gmin = q->best - SOLUTION_TIE;
  run(q, (int)w, FIND_FIRST);
  *index = pl_values_to_index(q->s, q->arg);
  return true;
}

static bool solver_init(solver *q) {
  q->suffix = pl_bnb_suffix(q->s);
  q->prefix = calloc((size_t)(q->n + 1) * q->na, sizeof *q->prefix);
  q->bound = calloc(q->na, sizeof *q->bound);
  q->v = calloc(q->n, sizeof *q->v);
  q->arg = calloc(q->n, sizeof *q->arg);
  q->sum_suffix = calloc(q->n + 1, sizeof *q->sum_suffix);
  q->obj_suffix = calloc(q->n + 1, sizeof *q->obj_suffix);
  q->feas_suffix = calloc(q->n + 1, sizeof *q->feas_suffix);
  for (uint32_t p = 0; p < q->np; p++)
    q->ones[p] = 1;
  if (!q->suffix || !q->prefix || !q->bound || !q->v || !q->arg ||
      !q->sum_suffix || !q->obj_suffix || !q->feas_suffix ||
      !(q->best_first = pl_bnb_value_order(q->s, q->ones, q->np)))
    return false;
  build_linear(q, q->ones, q->sum_suffix);
  pl_margin_weights(q->s, q->np, q->f);
  q->feas_t = 0;
  for (uint32_t p = 0; p < q->np; p++)
    q->feas_t += q->f[p] * (q->s->actors[p].threshold - 2 * PL_EPS);
  build_linear(q, q->f, q->feas_suffix);
  return true;
}

bool pl_bnb_solutions(const pl_scenario *s, uint64_t max_nodes, pl_analysis *a,
                      bool *complete) {
  solver q = {.s = s,
              .n = s->nissues,
              .np = s->nparties,
              .na = pl_num_actors(s),
              .max_nodes = max_nodes};
  double d[PL_MAX_PARTIES];
  for (uint32_t p = 0; p < q.np; p++)
    d[p] = s->actors[p].threshold;
  a->ideal = malloc(q.np * sizeof *a->ideal);
  bool ok = a->ideal && solver_init(&q);
  bool any = ok;
  q.b = (bargain){q.np, d, a->ideal};
  /* The ideal point: each party's best utility in the zone. */
  double t0 = pl_now_seconds();
  for (uint32_t p = 0; any && p < q.np; p++) {
    ideal_weights(&q, p);
    any = run(&q, -1 - (int)p, FIND_MAX);
    a->ideal[p] = q.best;
  }
  a->t_ideal += pl_now_seconds() - t0;
  for (int w = 0; any && w < PL_NUM_SOLUTIONS; w++) {
    t0 = pl_now_seconds();
    any = solve_one(&q, (pl_solution)w, &a->solution[w]);
    a->t_solution[w] = pl_now_seconds() - t0;
  }
  a->has_solution = ok && any;
  *complete = q.nodes <= max_nodes && !q.failed;
  a->bnb_nodes += q.nodes;
  free_solver(&q);
  return ok;
}
