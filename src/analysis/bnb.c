/* bnb.c - the Pareto frontier without enumerating every outcome.
 *
 * Depth-first branch and bound over the issues in order. At a node (the
 * first d issues fixed) each actor's utility is bounded above by what is
 * fixed plus the best that the remaining issues can add: their largest
 * terms, and the boxes not yet excluded (GENIUS non-linear profiles). A
 * subtree is cut when some actor cannot reach its threshold (zone), when a
 * rule that only mentions fixed issues fails, or when a frontier point
 * found so far is at least as good as the bound for every party: then the
 * subtree can add no new utility vector.
 *
 * Values of an issue that no rule mentions and that every actor values the
 * same way (same term, same boxes) are merged into one class, so the search
 * runs over classes; a class is tried through its smallest value, and
 * classes in the order of their smallest values, so the search meets
 * outcomes in index order and each frontier vector is represented by the
 * smallest outcome index that attains it.
 */
#include "analysis/bnb.h"
#include "util/sort.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The most frontier points the search collects before giving up. */
#define BNB_MAX_POINTS 2000

typedef struct issue_classes {
  uint32_t n;      /* number of classes */
  uint32_t *value; /* smallest value of each class, ascending */
} issue_classes;

typedef struct search {
  const pl_scenario *s;
  bool zone;
  uint32_t n, np, na;
  issue_classes *cls;
  double *suffix; /* suffix[i * na + a]: best that issues i.. add to a */
  uint32_t *v;    /* the outcome being built */
  double *prefix; /* prefix[i * na + a]: sum of the first i terms */
  double *bound;  /* scratch: the node's bound per actor */
  /* The distinct frontier so far: points with their representatives. */
  double *fu;
  uint64_t *fidx;
  size_t fn, fcap;
  uint64_t nodes, max_nodes;
  bool stopped, failed;
} search;

/* Whether value v and w of issue i are interchangeable for every actor. */
static bool same_for_everyone(const pl_scenario *s, uint32_t i, uint32_t v,
                              uint32_t w) {
  for (uint32_t a = 0; a < pl_num_actors(s); a++)
    if (!pl_actor_values_alike(s, a, i, v, w))
      return false;
  return true;
}

static bool build_classes(search *q) {
  const pl_scenario *s = q->s;
  q->cls = calloc(q->n, sizeof *q->cls);
  if (!q->cls)
    return false;
  for (uint32_t i = 0; i < q->n; i++) {
    uint32_t nv = s->issues[i].nvalues;
    issue_classes *c = &q->cls[i];
    c->value = malloc(nv * sizeof *c->value);
    if (!c->value)
      return false;
    bool only_i[PL_MAX_ISSUES] = {false};
    only_i[i] = true;
    bool ruled = pl_rules_mention(s, only_i);
    for (uint32_t v = 0; v < nv; v++) {
      bool merged = false;
      for (uint32_t k = 0; k < c->n && !ruled && !merged; k++)
        merged = same_for_everyone(s, i, c->value[k], v);
      if (!merged)
        c->value[c->n++] = v;
    }
  }
  return true;
}

double *pl_bnb_suffix(const pl_scenario *s) {
  uint32_t n = s->nissues, na = pl_num_actors(s);
  double *suffix = calloc((size_t)(n + 1) * na, sizeof *suffix);
  if (!suffix)
    return NULL;
  for (uint32_t i = n; i-- > 0;)
    for (uint32_t a = 0; a < na; a++) {
      double best = -DBL_MAX;
      for (uint32_t v = 0; v < s->issues[i].nvalues; v++)
        if (s->term[a][s->offset[i] + v] > best)
          best = s->term[a][s->offset[i] + v];
      suffix[i * na + a] = suffix[(i + 1) * na + a] + best;
    }
  return suffix;
}

/* Boxes that may still contain an outcome below this node: every range on
 * a fixed issue holds. Only positive utilities can raise the bound. */
static double open_boxes(const pl_actor *x, const uint32_t *v, uint32_t depth) {
  double sum = 0;
  for (uint32_t b = 0; b < x->nboxes; b++) {
    const pl_box *bx = &x->boxes[b];
    bool open = bx->utility > 0;
    for (uint32_t r = 0; r < bx->nranges && open; r++)
      open = bx->issue[r] >= depth ||
             (v[bx->issue[r]] >= bx->lo[r] && v[bx->issue[r]] <= bx->hi[r]);
    if (open)
      sum += bx->utility;
  }
  return sum * x->box_scale;
}

void pl_bnb_bound(const pl_scenario *s, const double *suffix,
                  const double *prefix, const uint32_t *v, uint32_t depth,
                  double *bound) {
  uint32_t na = pl_num_actors(s);
  for (uint32_t a = 0; a < na; a++) {
    const pl_actor *x = &s->actors[a];
    double ub = prefix[depth * na + a] + suffix[depth * na + a];
    if (x->nboxes)
      ub += open_boxes(x, v, depth);
    /* The outcomes below sum the same terms in another order, which may
     * round up by a few units in the last place: allow for it. */
    ub += 1e-13 * (1 + fabs(prefix[depth * na + a]) + fabs(ub));
    bound[a] = x->capped && ub > 1.0 ? 1.0 : ub;
  }
}

/* A frontier point at least as good as `u` for every party. */
static bool covered(const search *q, const double *u) {
  for (size_t f = 0; f < q->fn; f++) {
    const double *p = q->fu + f * q->np;
    uint32_t j = 0;
    while (j < q->np && p[j] >= u[j])
      j++;
    if (j == q->np)
      return true;
  }
  return false;
}

static bool cut(search *q, uint32_t depth) {
  pl_bnb_bound(q->s, q->suffix, q->prefix, q->v, depth, q->bound);
  if (q->zone)
    for (uint32_t a = 0; a < q->na; a++)
      if (q->bound[a] < q->s->actors[a].threshold - PL_EPS)
        return true;
  return covered(q, q->bound);
}

/* The issue after which a rule can be judged: its last reference, and
 * the first issue for a rule that mentions none (a constant, such as the
 * red line "false"). */
static uint32_t last_issue(const pl_rule *r) {
  return r->nrefs ? r->refs[r->nrefs - 1] : 0;
}

bool pl_bnb_rules_hold_at(const pl_scenario *s, const uint32_t *v,
                          uint32_t issue, bool red_lines) {
  for (uint32_t c = 0; c < s->nconstraints; c++) {
    const pl_rule *r = &s->constraints[c];
    if (last_issue(r) == issue && !pl_rule_holds(r, v))
      return false;
  }
  for (uint32_t p = 0; red_lines && p < s->nparties; p++)
    for (uint32_t k = 0; k < s->actors[p].nred_lines; k++) {
      const pl_rule *r = &s->actors[p].red_lines[k];
      if (last_issue(r) == issue && !pl_rule_holds(r, v))
        return false;
    }
  return true;
}

static void add_point(search *q, const double *u) {
  if (covered(q, u))
    return;
  size_t kept = 0; /* drop the points u dominates */
  for (size_t f = 0; f < q->fn; f++) {
    const double *p = q->fu + f * q->np;
    uint32_t j = 0;
    while (j < q->np && u[j] >= p[j])
      j++;
    if (j == q->np)
      continue;
    memmove(q->fu + kept * q->np, p, q->np * sizeof *p);
    q->fidx[kept++] = q->fidx[f];
  }
  q->fn = kept;
  if (q->fn == q->fcap) {
    size_t cap = q->fcap ? q->fcap * 2 : 64;
    double *fu = realloc(q->fu, cap * q->np * sizeof *fu);
    if (fu)
      q->fu = fu;
    uint64_t *fidx = realloc(q->fidx, cap * sizeof *fidx);
    if (fidx)
      q->fidx = fidx;
    if (!fu || !fidx) {
      q->failed = true;
      return;
    }
    q->fcap = cap;
  }
  memcpy(q->fu + q->fn * q->np, u, q->np * sizeof *u);
  q->fidx[q->fn++] = pl_values_to_index(q->s, q->v);
  /* Each node is checked against every point found: a frontier this large
   * is not one to find by search (the caller reports it as not found). */
  if (q->fn > BNB_MAX_POINTS)
    q->stopped = true;
}

static void leaf(search *q) {
  double u[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  for (uint32_t a = 0; a < q->na; a++) {
    u[a] = pl_actor_utility(q->s, a, q->v);
    if (q->zone && u[a] < q->s->actors[a].threshold - PL_EPS)
      return;
  }
  add_point(q, u);
}

static void descend(search *q, uint32_t depth) {
  if (q->stopped || q->failed)
    return;
  if (++q->nodes > q->max_nodes) {
    q->stopped = true;
    return;
  }
  if (depth == q->n) {
    leaf(q);
    return;
  }
  if (cut(q, depth))
    return;
  const pl_scenario *s = q->s;
  const issue_classes *c = &q->cls[depth];
  for (uint32_t k = 0; k < c->n; k++) {
    uint32_t v = c->value[k];
    q->v[depth] = v;
    for (uint32_t a = 0; a < q->na; a++)
      q->prefix[(depth + 1) * q->na + a] =
          q->prefix[depth * q->na + a] + s->term[a][s->offset[depth] + v];
    if (pl_bnb_rules_hold_at(s, q->v, depth, q->zone))
      descend(q, depth + 1);
  }
}

static void free_search(search *q) {
  for (uint32_t i = 0; q->cls && i < q->n; i++)
    free(q->cls[i].value);
  free(q->cls);
  free(q->suffix);
  free(q->v);
  free(q->prefix);
  free(q->bound);
}

bool pl_bnb_frontier(const pl_scenario *s, bool zone, uint64_t max_nodes,
                     pl_bnb_result *out) {
  search q = {.s = s,
              .zone = zone,
              .n = s->nissues,
              .np = s->nparties,
              .na = pl_num_actors(s),
              .max_nodes = max_nodes};
  q.v = calloc(q.n ? q.n : 1, sizeof *q.v);
  q.prefix = calloc((size_t)(q.n + 1) * q.na, sizeof *q.prefix);
  q.bound = calloc(q.na, sizeof *q.bound);
  q.suffix = pl_bnb_suffix(s);
  bool ok = q.v && q.prefix && q.bound && q.suffix && build_classes(&q);
  if (ok)
    descend(&q, 0);
  ok = ok && !q.failed;
  free_search(&q);
  memset(out, 0, sizeof *out);
  if (!ok) {
    free(q.fu);
    free(q.fidx);
    return false;
  }
  out->u = q.fu;
  out->index = q.fidx;
  out->n = q.fn;
  out->nodes = q.nodes;
  out->complete = !q.stopped;
  return true;
}

/* Larger key first; equal keys in value order. ctx: the keys. */
static int key_before(const void *ctx, size_t x, size_t y) {
  const double *key = ctx;
  if (key[x] != key[y])
    return key[x] > key[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

uint32_t **pl_bnb_value_order(const pl_scenario *s, const double *w,
                              uint32_t nw) {
  uint32_t **order = calloc(s->nissues ? s->nissues : 1, sizeof *order);
  size_t most = 1;
  for (uint32_t i = 0; i < s->nissues; i++)
    if (s->issues[i].nvalues > most)
      most = s->issues[i].nvalues;
  double *key = malloc(most * sizeof *key);
  size_t *perm = malloc(most * sizeof *perm), *tmp = malloc(most * sizeof *tmp);
  bool ok = order && key && perm && tmp;
  for (uint32_t i = 0; ok && i < s->nissues; i++) {
    uint32_t nv = s->issues[i].nvalues;
    ok = (order[i] = malloc(nv * sizeof **order)) != NULL;
    for (uint32_t v = 0; ok && v < nv; v++) {
      key[v] = 0;
      for (uint32_t a = 0; a < nw; a++)
        key[v] += w[a] * s->term[a][s->offset[i] + v];
      perm[v] = v;
    }
    if (ok) {
      pl_sort_perm(perm, tmp, nv, key_before, key);
      for (uint32_t v = 0; v < nv; v++)
        order[i][v] = (uint32_t)perm[v];
    }
  }
  free(key);
  free(perm);
  free(tmp);
  if (!ok) {
    pl_bnb_value_order_free(order, s->nissues);
    return NULL;
  }
  return order;
}

void pl_bnb_value_order_free(uint32_t **order, uint32_t nissues) {
  for (uint32_t i = 0; order && i < nissues; i++)
    free(order[i]);
  free(order);
}
