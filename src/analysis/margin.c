/* margin.c - the largest smallest margin above threshold, by branch and
 * bound over the issues that are not parked.
 *
 * At a node (the first k active issues fixed) each actor's utility is
 * bounded by what is fixed plus the best the other issues can add (parked
 * ones included), so min_a (bound_a - t_a) bounds the margin. For additive
 * utilities a second, much tighter bound comes from one weighted sum:
 * min_a g_a <= sum_a l_a g_a for weights l on the simplex, and the weighted
 * sum is maximised exactly issue by issue. The weights are chosen before
 * the search by a few hundred steps of exponentiated subgradient descent
 * on that bound at the root (its minimum is the linear relaxation's
 * value), which is what makes 10^12-outcome spaces take milliseconds.
 *
 * Leaves are evaluated exactly as the enumeration does (sums in issue
 * order; with parked issues each actor's best completion), so the margin
 * found is the same to the bit; bounds get a small allowance for
 * rounding, which costs nodes, never answers.
 */
#include "analysis/margin.h"
#include "analysis/analysis.h"
#include "analysis/bnb.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { PHASE_MAX = 0, PHASE_FIRST = 1 };

typedef struct msearch {
  const pl_scenario *s;
  const pl_margin_query *q;
  uint32_t n, na;
  bool slow; /* a rule mentions a parked issue: try every completion */
  bool linear;
  uint32_t act[PL_MAX_ISSUES], nact;   /* active issues, in order */
  uint32_t park[PL_MAX_ISSUES], npark; /* parked issues, in order */
  bool *rule_parked;                   /* per rule: mentions a parked issue */
  const pl_rule **rules;               /* constraints, then red lines */
  uint32_t nrules;
  double *suffix;  /* [k * na + a]: most that act[k..] and parked add */
  double *prefix;  /* [k * na + a]: sum of act[0..k) terms (bounds only) */
  double *lsuffix; /* [k]: most that act[k..] and parked add to sum l u */
  double lambda[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  double lt;        /* sum_a l_a t_a */
  uint32_t **order; /* per issue: values best first by the weights */
  uint32_t *v;
  double *u, *bound;
  double tol;
  int phase;
  bool found, stopped;
  double best;
  uint64_t best_index, nodes;
} msearch;

static double term(const msearch *m, uint32_t a, uint32_t i, uint32_t v) {
  return m->s->term[a][m->s->offset[i] + v];
}

/* A fixed issue (q->fixed) allows its one value only. */
static bool allowed(const msearch *m, uint32_t i, uint32_t v) {
  return !m->q || !m->q->fixed || m->q->fixed[i] == PL_MARGIN_FREE ||
         m->q->fixed[i] == v;
}

static double best_term(const msearch *m, uint32_t a, uint32_t i) {
  double b = -DBL_MAX;
  for (uint32_t v = 0; v < m->s->issues[i].nvalues; v++)
    if (allowed(m, i, v))
      b = fmax(b, term(m, a, i, v));
  return b;
}

static double weighted_term(const msearch *m, uint32_t i, uint32_t v) {
  double x = 0;
  for (uint32_t a = 0; a < m->na; a++)
    x += m->lambda[a] * term(m, a, i, v);
  return x;
}

static bool mentions_parked(const msearch *m, const pl_rule *r) {
  for (uint32_t k = 0; k < r->nrefs; k++)
    for (uint32_t j = 0; j < m->npark; j++)
      if (r->refs[k] == m->park[j])
        return true;
  return false;
}

static bool collect_rules(msearch *m) {
  m->rules = pl_scenario_all_rules(m->s, &m->nrules);
  m->rule_parked = calloc(m->nrules ? m->nrules : 1, sizeof *m->rule_parked);
  if (!m->rules || !m->rule_parked)
    return false;
  for (uint32_t r = 0; r < m->nrules; r++) {
    m->rule_parked[r] = mentions_parked(m, m->rules[r]);
    m->slow |= m->rule_parked[r];
  }
  return true;
}

/* Weights for the linear bound: exponentiated subgradient descent on
 * L(l) = sum over active issues of max_v sum_a l_a term + sum_a l_a
 * (parked best - t_a), whose value at any l bounds the margin. */
static void choose_weights(msearch *m) {
  uint32_t na = m->na;
  double g[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  double best_l[PL_MAX_PARTIES + PL_MAX_RATIFIERS], best_L = DBL_MAX;
  for (uint32_t a = 0; a < na; a++)
    m->lambda[a] = 1.0 / na;
  /* Each step costs a pass over every value: fewer steps for huge issues. */
  double work = 0;
  for (uint32_t k = 0; k < m->nact; k++)
    work += (double)m->s->issues[m->act[k]].nvalues * na;
  int steps = work > 0 ? (int)fmin(300, fmax(20, 2e7 / work)) : 300;
  for (int it = 0; it < steps; it++) {
    double L = 0;
    for (uint32_t a = 0; a < na; a++) {
      g[a] = -m->s->actors[a].threshold;
      for (uint32_t j = 0; j < m->npark; j++)
        g[a] += best_term(m, a, m->park[j]);
    }
    for (uint32_t k = 0; k < m->nact; k++) {
      uint32_t i = m->act[k], arg = 0;
      double top = -DBL_MAX;
      for (uint32_t v = 0; v < m->s->issues[i].nvalues; v++) {
        double x = allowed(m, i, v) ? weighted_term(m, i, v) : -DBL_MAX;
        if (x > top)
          top = x, arg = v;
      }
      for (uint32_t a = 0; a < na; a++)
        g[a] += term(m, a, i, arg);
    }
    for (uint32_t a = 0; a < na; a++)
      L += m->lambda[a] * g[a];
    if (L < best_L) {
      best_L = L;
      memcpy(best_l, m->lambda, na * sizeof *best_l);
    }
    double step = 4.0 / sqrt(1.0 + it), total = 0;
    for (uint32_t a = 0; a < na; a++) {
      m->lambda[a] *= exp(-step * g[a]);
      m->lambda[a] = fmax(m->lambda[a], 1e-12);
      total += m->lambda[a];
    }
    for (uint32_t a = 0; a < na; a++)
      m->lambda[a] /= total;
  }
  memcpy(m->lambda, best_l, na * sizeof *best_l);
  m->lt = 0;
  for (uint32_t a = 0; a < na; a++)
    m->lt += m->lambda[a] * m->s->actors[a].threshold;
}

static bool build_bounds(msearch *m) {
  uint32_t na = m->na, K = m->nact;
  m->suffix = calloc((size_t)(K + 1) * na, sizeof *m->suffix);
  m->prefix = calloc((size_t)(K + 1) * na, sizeof *m->prefix);
  m->lsuffix = calloc(K + 1, sizeof *m->lsuffix);
  if (!m->suffix || !m->prefix || !m->lsuffix)
    return false;
  double room = 0;
  for (uint32_t a = 0; a < na; a++) {
    double parked = 0, lp = 0;
    for (uint32_t j = 0; j < m->npark; j++)
      parked += best_term(m, a, m->park[j]);
    m->suffix[K * na + a] = parked;
    for (uint32_t k = K; k-- > 0;)
      m->suffix[k * na + a] =
          m->suffix[(k + 1) * na + a] + best_term(m, a, m->act[k]);
    for (uint32_t i = 0; i < m->n; i++) {
      double big = 0;
      for (uint32_t v = 0; v < m->s->issues[i].nvalues; v++)
        big = fmax(big, fabs(term(m, a, i, v)));
      lp += big;
    }
    room = fmax(room, lp + fabs(m->s->actors[a].threshold));
  }
  /* Sums of up to n + 2 terms of size <= room differ by reordering by at
   * most (n + 2) * room * 2^-52; allow ten times that. */
  m->tol = 10.0 * (m->n + 2) * room * DBL_EPSILON + 1e-300;
  double lparked = 0;
  for (uint32_t a = 0; a < na; a++)
    for (uint32_t j = 0; j < m->npark; j++)
      lparked += m->lambda[a] * best_term(m, a, m->park[j]);
  m->lsuffix[K] = lparked;
  for (uint32_t k = K; k-- > 0;) {
    uint32_t i = m->act[k];
    double top = -DBL_MAX;
    for (uint32_t v = 0; v < m->s->issues[i].nvalues; v++)
      if (allowed(m, i, v))
        top = fmax(top, weighted_term(m, i, v));
    m->lsuffix[k] = m->lsuffix[k + 1] + top;
  }
  return true;
}

/* Upper bound of the margin below a node at depth k; false when the node
 * cannot qualify (zone mode: some actor cannot reach its threshold). */
static bool node_bound(msearch *m, uint32_t k, double *mb) {
  uint32_t na = m->na;
  if (m->npark == 0) {
    pl_bnb_bound(m->s, m->suffix, m->prefix, m->v, k, m->bound);
  } else {
    for (uint32_t a = 0; a < na; a++) {
      double ub = m->prefix[k * na + a] + m->suffix[k * na + a];
      m->bound[a] = m->s->actors[a].capped && ub > 1.0 ? 1.0 : ub;
    }
  }
  double x = DBL_MAX;
  for (uint32_t a = 0; a < na; a++) {
    double ub = m->bound[a] + m->tol, t = m->s->actors[a].threshold;
    if (m->q->zone && ub < t - PL_EPS)
      return false;
    x = fmin(x, ub - t);
  }
  if (m->linear) {
    double l = m->lsuffix[k] - m->lt;
    for (uint32_t a = 0; a < na; a++)
      l += m->lambda[a] * m->prefix[k * na + a];
    x = fmin(x, l + m->tol);
  }
  *mb = x;
  return true;
}

/* Each actor's utility at the leaf: the outcome's, or with parked issues
 * its best completion within the rules (-DBL_MAX when it has none). */
static void leaf_utilities(msearch *m) {
  const pl_scenario *s = m->s;
  uint32_t na = m->na;
  if (!m->slow && m->npark == 0) {
    for (uint32_t a = 0; a < na; a++)
      m->u[a] = pl_actor_utility(s, a, m->v);
    return;
  }
  if (!m->slow) { /* as the scan of park_fast: best terms, issue order */
    for (uint32_t j = 0; j < m->npark; j++)
      m->v[m->park[j]] = 0;
    for (uint32_t a = 0; a < na; a++) {
      double u = 0;
      for (uint32_t i = 0; i < m->n; i++)
        u += m->q->parked[i] ? best_term(m, a, i) : term(m, a, i, m->v[i]);
      m->u[a] = s->nonadditive ? pl_actor_finish(&s->actors[a], u, m->v) : u;
    }
    return;
  }
  pl_best_completions(s, m->park, m->npark, m->v, m->u);
}

static void leaf(msearch *m) {
  leaf_utilities(m);
  double margin = DBL_MAX;
  for (uint32_t a = 0; a < m->na; a++) {
    double t = m->s->actors[a].threshold;
    if (m->u[a] == -DBL_MAX || (m->q->zone && m->u[a] < t - PL_EPS))
      return;
    double x = m->u[a] - t;
    if (x < margin)
      margin = x;
  }
  if (m->phase == PHASE_FIRST) {
    if (margin >= m->best) {
      m->best_index = pl_values_to_index(m->s, m->v);
      m->stopped = true; /* index order: the first is the smallest */
    }
    return;
  }
  if (!m->found || margin > m->best) {
    m->found = true;
    m->best = margin;
    m->best_index = pl_values_to_index(m->s, m->v);
  }
}

/* The rules that only mention fixed issues and end at issue i hold. */
static bool rules_hold_at(const msearch *m, uint32_t i) {
  for (uint32_t r = 0; r < m->nrules; r++) {
    const pl_rule *x = m->rules[r];
    if (!m->rule_parked[r] && x->nrefs && x->refs[x->nrefs - 1] == i &&
        !pl_rule_holds(x, m->v))
      return false;
  }
  return true;
}

static void descend(msearch *m, uint32_t k) {
  if (m->stopped)
    return;
  if (++m->nodes > m->q->max_nodes) {
    m->stopped = true;
    return;
  }
  if (k == m->nact) {
    leaf(m);
    return;
  }
  double mb;
  if (!node_bound(m, k, &mb))
    return;
  /* A package that meets every threshold (u >= t - 1e-9) has a margin of
   * at least -1e-9, give or take rounding. */
  if (m->q->zone && mb < -2 * PL_EPS)
    return;
  if (m->phase == PHASE_MAX ? m->found && mb <= m->best : mb < m->best)
    return;
  uint32_t i = m->act[k], na = m->na;
  for (uint32_t x = 0; x < m->s->issues[i].nvalues && !m->stopped; x++) {
    uint32_t v = m->phase == PHASE_FIRST ? x : m->order[i][x];
    if (!allowed(m, i, v))
      continue;
    m->v[i] = v;
    for (uint32_t a = 0; a < na; a++)
      m->prefix[(k + 1) * na + a] = m->prefix[k * na + a] + term(m, a, i, v);
    if (rules_hold_at(m, i))
      descend(m, k + 1);
  }
}

static void free_search(msearch *m) {
  pl_bnb_value_order_free(m->order, m->n);
  free(m->rules);
  free(m->rule_parked);
  free(m->suffix);
  free(m->prefix);
  free(m->lsuffix);
  free(m->v);
  free(m->u);
  free(m->bound);
}

bool pl_bnb_margin(const pl_scenario *s, const pl_margin_query *q,
                   pl_margin_result *out) {
  msearch m = {.s = s, .q = q, .n = s->nissues, .na = pl_num_actors(s)};
  memset(out, 0, sizeof *out);
  for (uint32_t i = 0; i < m.n; i++) {
    if (q->parked && q->parked[i])
      m.park[m.npark++] = i;
    else
      m.act[m.nact++] = i;
  }
  m.linear = !s->nonadditive;
  if (s->has_boxes && m.npark > 0)
    return true; /* boxes span issues: no bound for a parked one (!complete) */
  m.v = calloc(m.n ? m.n : 1, sizeof *m.v);
  m.u = calloc(m.na, sizeof *m.u);
  m.bound = calloc(m.na, sizeof *m.bound);
  bool ok = m.v && m.u && m.bound && collect_rules(&m);
  if (ok) {
    choose_weights(&m);
    m.order = pl_bnb_value_order(s, m.lambda, m.na);
    ok = m.order && build_bounds(&m);
  }
  /* A rule that mentions no issue (say the red line "false") holds for
   * every package or for none: judged once, here. */
  bool constant_fails = false;
  for (uint32_t r = 0; ok && r < m.nrules; r++)
    constant_fails |= m.rules[r]->nrefs == 0 && !pl_rule_holds(m.rules[r], m.v);
  if (ok && constant_fails) {
    out->complete = true; /* nothing qualifies */
  } else if (ok) {
    m.phase = PHASE_MAX;
    descend(&m, 0);
    out->complete = !m.stopped;
    /* The smallest index among the outcomes with the best margin. */
    if (out->complete && m.found && m.npark == 0) {
      m.phase = PHASE_FIRST;
      descend(&m, 0);
      out->complete = m.stopped && m.nodes <= q->max_nodes;
    }
    out->found = out->complete && m.found;
    out->margin = m.best;
    out->index = m.best_index;
    out->nodes = m.nodes;
  }
  free_search(&m);
  return ok;
}

void pl_margin_weights(const pl_scenario *s, uint32_t na, double *lambda) {
  msearch m = {.s = s, .n = s->nissues, .na = na};
  for (uint32_t i = 0; i < m.n; i++)
    m.act[m.nact++] = i;
  choose_weights(&m);
  memcpy(lambda, m.lambda, na * sizeof *lambda);
}
