/* moves.c - the best Pareto-improving move from a reference package r
 * (docs/analysis.md, section 8.2), by branch and bound over the issues.
 *
 * A package o qualifies when it meets every rule, no actor loses more than
 * eps (u_a(o) - u_a(r) >= -eps) and some party gains more than eps. The
 * answer must be the one pass over the space gives: the number of
 * qualifying packages, and the best of them met in index order (`better`
 * is not transitive, because gains within GAIN_TIE tie, so the order of
 * the visits matters). The search therefore assigns the issues in order,
 * each one's values ascending, which meets the packages in index order, and
 * skips only subtrees holding no qualifying package:
 *
 * - Sums: prefix[d][a] = ((0 + t_0) + t_1) + ... + t_{d-1}, actor a's terms
 *   of the first d issues added in issue order, the order pl_actor_utility
 *   adds them in, so a package's sum is bit-identical to its.
 * - Bounds: below a node of depth d, u_a is at most the prefix plus a's best
 *   term of each remaining issue, added in issue order, then its boxes' most
 *   and its cap: rounded addition and multiplication by a positive number
 *   are monotone, and so is the cap, so this bounds every rounded utility of
 *   the subtree. (NaN sums never qualify, so they need no bound.) The
 *   subtree is skipped when some actor's bound loses more than eps, or when
 *   no party's bound gains more than eps.
 * - Rules: each is judged at the node assigning the last issue it mentions.
 */
#include "analysis/moves.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GAIN_TIE 1e-12

typedef struct move_search {
  const pl_scenario *s;
  uint32_t n, na, np;
  bool finish;    /* utilities need pl_actor_finish */
  double *cell;   /* cell[(offset[i] + v) * na + a]: actors side by side */
  double *best;   /* best[i * na + a]: a's largest term on issue i */
  double *prefix; /* (n + 1) * na running sums */
  double *top;    /* per actor: the most its boxes add */
  double *ur;     /* per actor: u_a(r) */
  /* The rules judged at issue d: rules[first[d] .. first[d + 1]). */
  const pl_rule **rules;
  uint32_t first[PL_MAX_ISSUES + 1];
  uint32_t v[PL_MAX_ISSUES];
  uint64_t base[PL_MAX_ISSUES + 1]; /* index of v[0 .. d-1] */
  uint64_t nodes, max_nodes;
  bool cut;
  double blo, bsum;
  pl_move *out;
} move_search;

bool pl_move_better(double lo, double sum, uint64_t idx, bool have, double blo,
                    double bsum, uint64_t bidx) {
  if (!have || lo > blo + GAIN_TIE)
    return true;
  if (lo < blo - GAIN_TIE)
    return false;
  if (sum > bsum + GAIN_TIE)
    return true;
  if (sum < bsum - GAIN_TIE)
    return false;
  return idx < bidx;
}

static bool rules_hold(const move_search *m, uint32_t d) {
  for (uint32_t k = m->first[d]; k < m->first[d + 1]; k++)
    if (!pl_rule_holds(m->rules[k], m->v))
      return false;
  return true;
}

/* The most actor a's boxes can add: box_scale times the sum, in box order,
 * of the utilities of the boxes that raise it (those of a sign that times
 * box_scale is positive). */
static double box_top(const pl_actor *a) {
  if (!a->nboxes)
    return 0;
  double sum = 0;
  for (uint32_t b = 0; b < a->nboxes; b++) {
    double u = a->boxes[b].utility;
    sum += a->box_scale >= 0 ? (u > 0 ? u : 0) : (u < 0 ? u : 0);
  }
  return sum * a->box_scale;
}

/* Rules by the last issue they mention (rules without issues at -1:
 * returned false when one of them fails). */
static bool sort_rules(move_search *m) {
  uint32_t n;
  const pl_rule **all = pl_scenario_all_rules(m->s, &n);
  if (!all)
    return false;
  m->rules = calloc(n ? n : 1, sizeof *m->rules);
  if (!m->rules) {
    free(all);
    return false;
  }
  uint32_t k = 0;
  for (uint32_t d = 0; d < m->n; d++) {
    m->first[d] = k;
    for (uint32_t j = 0; j < n; j++) {
      const pl_rule *r = all[j];
      uint32_t last = 0;
      for (uint32_t x = 0; x < r->nrefs; x++)
        last = r->refs[x] > last ? r->refs[x] : last;
      if (r->nrefs && last == d)
        m->rules[k++] = r;
    }
  }
  m->first[m->n] = k;
  free(all);
  return true;
}

static bool rules_without_issues_hold(const pl_scenario *s, const uint32_t *v) {
  uint32_t n;
  const pl_rule **all = pl_scenario_all_rules(s, &n);
  bool ok = all != NULL;
  for (uint32_t j = 0; ok && j < n; j++)
    ok = all[j]->nrefs > 0 || pl_rule_holds(all[j], v);
  free(all);
  return ok;
}

static bool prepare(move_search *m, const uint32_t *r) {
  const pl_scenario *s = m->s;
  uint32_t na = m->na, total = s->total_values;
  m->cell = malloc((total ? total : 1) * (size_t)na * sizeof *m->cell);
  m->best = malloc((m->n ? m->n : 1) * (size_t)na * sizeof *m->best);
  m->prefix = calloc((m->n + 1) * (size_t)na, sizeof *m->prefix);
  m->top = malloc(na * sizeof *m->top);
  m->ur = malloc(na * sizeof *m->ur);
  if (!m->cell || !m->best || !m->prefix || !m->top || !m->ur || !sort_rules(m))
    return false;
  for (uint32_t a = 0; a < na; a++) {
    m->ur[a] = pl_actor_utility(s, a, r);
    m->top[a] = box_top(&s->actors[a]);
    for (uint32_t i = 0; i < m->n; i++) {
      double hi = -INFINITY;
      for (uint32_t v = 0; v < s->issues[i].nvalues; v++) {
        double t = s->term[a][s->offset[i] + v];
        m->cell[(size_t)(s->offset[i] + v) * na + a] = t;
        hi = t > hi ? t : hi;
      }
      m->best[(size_t)i * na + a] = hi;
    }
  }
  return true;
}

/* Whether the subtree below depth d (issues 0 .. d-1 assigned, prefix[d]
 * filled) may hold a qualifying package. */
static bool promising(const move_search *m, uint32_t d) {
  const pl_scenario *s = m->s;
  const double *p = m->prefix + (size_t)d * m->na;
  bool gain = false;
  for (uint32_t a = 0; a < m->na; a++) {
    double u = p[a];
    for (uint32_t i = d; i < m->n; i++)
      u += m->best[(size_t)i * m->na + a];
    if (m->finish) {
      const pl_actor *x = &s->actors[a];
      if (x->nboxes)
        u += m->top[a];
      if (x->capped && u > 1.0)
        u = 1.0;
    }
    double g = u - m->ur[a];
    if (g < -PL_EPS)
      return false;
    gain |= a < m->np && g > PL_EPS;
  }
  return gain;
}

/* The packages below depth n - 1: the last issue's values, one by one. */
static void leaves(move_search *m) {
  const pl_scenario *s = m->s;
  uint32_t last = m->n - 1, na = m->na, np = m->np;
  const double *p = m->prefix + (size_t)last * na;
  pl_move *out = m->out;
  for (uint32_t x = 0; x < s->issues[last].nvalues; x++) {
    const double *c = m->cell + (size_t)(s->offset[last] + x) * na;
    m->v[last] = x;
    double lo = DBL_MAX, sum = 0, up = 0;
    bool ok = true;
    for (uint32_t a = 0; a < na && ok; a++) {
      double u = p[a] + c[a];
      if (m->finish)
        u = pl_actor_finish(&s->actors[a], u, m->v);
      double g = u - m->ur[a];
      ok = g >= -PL_EPS;
      if (a < np) {
        lo = g < lo ? g : lo;
        sum += g;
        up = g > up ? g : up;
      }
    }
    if (!ok || up <= PL_EPS || !rules_hold(m, last))
      continue;
    out->count++;
    uint64_t idx = m->base[last] * s->issues[last].nvalues + x;
    if (pl_move_better(lo, sum, idx, out->found, m->blo, m->bsum, out->index)) {
      out->found = true;
      out->index = idx;
      m->blo = lo;
      m->bsum = sum;
    }
  }
}

/* Issues 0 .. d-1 are assigned (d < n - 1): each value of issue d. */
static void descend(move_search *m, uint32_t d) {
  const pl_scenario *s = m->s;
  uint32_t na = m->na, nv = s->issues[d].nvalues;
  const double *p = m->prefix + (size_t)d * na;
  double *q = m->prefix + (size_t)(d + 1) * na;
  for (uint32_t x = 0; x < nv && !m->cut; x++) {
    if (++m->nodes > m->max_nodes) {
      m->cut = true;
      return;
    }
    const double *c = m->cell + (size_t)(s->offset[d] + x) * na;
    for (uint32_t a = 0; a < na; a++)
      q[a] = p[a] + c[a];
    m->v[d] = x;
    if (!promising(m, d + 1) || !rules_hold(m, d))
      continue;
    m->base[d + 1] = m->base[d] * nv + x;
    if (d + 2 == m->n) {
      if ((m->nodes += s->issues[d + 1].nvalues) > m->max_nodes) {
        m->cut = true;
        return;
      }
      leaves(m);
    } else {
      descend(m, d + 1);
    }
  }
}

bool pl_move_search(const pl_scenario *s, const uint32_t *r, uint64_t max_nodes,
                    pl_move *out) {
  memset(out, 0, sizeof *out);
  move_search m = {.s = s,
                   .n = s->nissues,
                   .na = pl_num_actors(s),
                   .np = s->nparties,
                   .finish = s->nonadditive,
                   .max_nodes = max_nodes ? max_nodes : UINT64_MAX,
                   .out = out};
  bool ok = prepare(&m, r);
  if (ok) {
    if (m.n == 0) {
      /* One package, the empty one: r itself, which gains nothing. */
    } else if (rules_without_issues_hold(s, m.v) && promising(&m, 0)) {
      if (m.n == 1 && (m.nodes = s->issues[0].nvalues) > m.max_nodes)
        m.cut = true;
      else if (m.n == 1)
        leaves(&m);
      else
        descend(&m, 0);
    }
    out->searched = !m.cut;
    out->nodes = m.nodes;
    if (m.cut) {
      out->found = false;
      out->count = 0;
    }
  }
  free(m.cell);
  free(m.best);
  free(m.prefix);
  free(m.top);
  free(m.ur);
  free(m.rules);
  return ok;
}
