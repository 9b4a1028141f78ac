/* self.c - what an agent may know, and the outcome search service.
 *
 * Small spaces: the outcomes the agent can sign, sorted by its utility
 * (descending, ties by index), so "closest to a target" is a binary search.
 * Large spaces (10^10 outcomes): one outcome per cell of values the agent
 * cannot tell apart, sorted the same way; meet in the middle when the
 * utility is a plain sum; else a depth-first search over the issues with
 * bounds on the agent's own utility, which never holds the space.
 */
#include "negotiation/self.h"
#include "util/bigmem.h"
#include "util/hash.h"
#include "util/radix.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pl_self_memo's values, owned by the model, shared by its views. */
typedef struct self_memos {
  pthread_mutex_t lock;
  struct {
    const void *key;
    void *value;
    void (*release)(void *value);
  } e[PL_SELF_MEMOS];
} self_memos;

struct pl_self {
  const pl_scenario *s;
  uint32_t party;
  bool two_level;
  pl_rng rng;
  uint64_t outcomes;
  /* Small spaces: signable outcomes by utility descending, index ascending. */
  bool table;
  bool complete; /* the table lists every signable outcome (not cells) */
  uint64_t *order;
  double *util;
  size_t n;
  double best, worst;
  /* Large spaces: per issue, the most and least this party's remaining
   * issues can add (suffix sums), and scratch for the search. */
  double *suffix_max, *suffix_min;
  uint32_t *v;
  /* Boxes (GENIUS hyperrectangles) bounded as the search fixes issues: the
   * ranges grouped by issue, ranges[range_start[i] .. range_start[i+1]),
   * and the sum of the boxes that hold everywhere. `dead` and `killed`
   * are the search's scratch (per view). */
  struct box_range *ranges;
  uint32_t *range_start;
  double box_always;
  uint32_t box_open; /* boxes with ranges and a non-zero utility */
  bool signs_all;    /* no rule, no ratifier: every outcome can be signed */
  uint8_t *dead;
  uint32_t *killed;
  /* Large spaces of plain additive utility and no rules of its own:
   * meet in the middle. Every combination of the last issues (from `half`
   * on), by its partial sum ascending; a query tries each combination of
   * the first issues against it by binary search. */
  bool mitm;
  uint32_t half;
  uint64_t nfirst, nsecond;
  double *second_sum;
  uint64_t *second_index;
  uint64_t *second_least; /* capped: the least index from each position on */
  /* Plain sums with few distinct values: each utility (ascending) and the
   * smallest outcome that has it. */
  bool sums;
  double *sums_u;
  uint64_t *sums_index;
  size_t nsums;
  bool capped;       /* the utility is min(1, sum) (GENIUS) */
  double slack;      /* two halves' sum against the sum in issue order */
  self_memos *memos; /* NULL: out of memory, nothing remembered */
  /* The tables above belong to another view (pl_self_share): not freed. */
  bool borrowed;
  uint32_t round, deadline; /* the protocol's clock (pl_self_set_clock) */
  void *context;            /* pl_negotiation_options.agent_context */
  char failure[256];        /* pl_self_fail's text; "" when none */
};

uint32_t pl_self_index(const pl_self *me) { return me->party; }
uint32_t pl_self_parties(const pl_self *me) { return me->s->nparties; }
uint32_t pl_self_issues(const pl_self *me) { return me->s->nissues; }
uint32_t pl_self_values(const pl_self *me, uint32_t issue) {
  return me->s->issues[issue].nvalues;
}
const pl_scenario *pl_self_domain(const pl_self *me) { return me->s; }
double pl_self_utility(const pl_self *me, const uint32_t *outcome) {
  return pl_actor_utility(me->s, me->party, outcome);
}
double pl_self_reservation(const pl_self *me) {
  return me->s->actors[me->party].threshold;
}
double pl_self_discount(const pl_self *me) {
  return me->s->actors[me->party].discount;
}
pl_rng *pl_self_rng(pl_self *me) { return &me->rng; }
double pl_self_best(const pl_self *me) { return me->best; }
double pl_self_worst(const pl_self *me) { return me->worst; }

bool pl_self_can_sign(const pl_self *me, const uint32_t *outcome) {
  const pl_scenario *s = me->s;
  if (!pl_rules_hold(s, (int32_t)me->party, outcome))
    return false;
  for (uint32_t q = s->nparties; me->two_level && q < pl_num_actors(s); q++)
    if (s->actors[q].party == (int32_t)me->party &&
        pl_actor_utility(s, q, outcome) < s->actors[q].threshold - PL_EPS)
      return false;
  return true;
}

/* ---- Small spaces: a sorted table --------------------------------------- */

/* Values of an issue this agent cannot tell apart: the same term and boxes
 * for it and for the ratifiers it answers to, on an issue no rule names.
 * cls[offset[i] ..] lists the smallest value of each class of issue i,
 * ascending, ncls[i] of them. */
static bool alike_for_me(const pl_self *me, uint32_t i, uint32_t v,
                         uint32_t w) {
  const pl_scenario *s = me->s;
  if (!pl_actor_values_alike(s, me->party, i, v, w))
    return false;
  for (uint32_t q = s->nparties; me->two_level && q < pl_num_actors(s); q++)
    if (s->actors[q].party == (int32_t)me->party &&
        !pl_actor_values_alike(s, q, i, v, w))
      return false;
  return true;
}

static void value_classes(const pl_self *me, uint32_t *cls, uint32_t *ncls) {
  const pl_scenario *s = me->s;
  for (uint32_t i = 0; i < s->nissues; i++) {
    uint32_t *c = cls + s->offset[i];
    bool only_i[PL_MAX_ISSUES] = {false};
    only_i[i] = true;
    bool ruled = pl_rules_mention(s, only_i);
    ncls[i] = 0;
    for (uint32_t v = 0; v < s->issues[i].nvalues; v++) {
      bool merged = false;
      for (uint32_t k = 0; k < ncls[i] && !ruled && !merged; k++)
        merged = alike_for_me(me, i, c[k], v);
      if (!merged)
        c[ncls[i]++] = v;
    }
  }
}

/* The number of cells (one class per issue), or UINT64_MAX above `cap`. */
static uint64_t count_cells(const pl_scenario *s, const uint32_t *ncls,
                            uint64_t cap) {
  uint64_t n = 1;
  for (uint32_t i = 0; i < s->nissues; i++) {
    if (ncls[i] && n > cap / ncls[i])
      return UINT64_MAX;
    n *= ncls[i];
  }
  return n <= cap ? n : UINT64_MAX;
}

/* Sorted table of the signable cells' smallest outcomes (with every class
 * a single value: of every signable outcome). Each cell holds one utility,
 * and its smallest outcome is the smallest of that utility in the cell, so
 * "the smallest outcome closest to a target" is the same over the cells as
 * over the outcomes. Cells are visited in index order. */
/* Sorted table of the signable cells' smallest outcomes (with every class
 * a single value: of every signable outcome). Each cell holds one utility,
 * and its smallest outcome is the smallest of that utility in the cell, so
 * "the smallest outcome closest to a target" is the same over the cells as
 * over the outcomes. Cells are visited in index order and the sort is
 * stable, so equal utilities stay by index. */
typedef struct cell_walk {
  const uint32_t *cls, *ncls;
  uint32_t c[PL_MAX_ISSUES];        /* class of each issue */
  double prefix[PL_MAX_ISSUES + 1]; /* prefix[i]: sum of the first i terms */
  double *u;
  uint64_t *id; /* NULL when every outcome is listed: id = position */
  size_t n;
  bool complete;
} cell_walk;

/* Sets me->v for the issues from `from` on (the last issue's class 0) and
 * the sums after them, adding the terms in issue order as
 * pl_actor_utility does (to the bit). */
static void walk_set(pl_self *me, cell_walk *w, uint32_t from) {
  const pl_scenario *s = me->s;
  const double *t = s->term[me->party];
  for (uint32_t i = from; i < s->nissues; i++) {
    me->v[i] = w->cls[s->offset[i] + w->c[i]];
    w->prefix[i + 1] = w->prefix[i] + t[s->offset[i] + me->v[i]];
  }
}

/* One row: the cells that differ only in the last issue. */
static void walk_row(pl_self *me, cell_walk *w, uint64_t x) {
  const pl_scenario *s = me->s;
  const pl_actor *a = &s->actors[me->party];
  uint32_t last = s->nissues - 1, nc = w->ncls[last];
  const uint32_t *cls = w->cls + s->offset[last];
  const double *t = s->term[me->party] + s->offset[last];
  double p = w->prefix[last];
  for (uint32_t c = 0; c < nc; c++) {
    me->v[last] = cls[c];
    if (!me->signs_all && !pl_self_can_sign(me, me->v))
      continue;
    double u = p + t[cls[c]];
    w->u[w->n] = s->nonadditive ? pl_actor_finish(a, u, me->v) : u;
    if (w->id)
      w->id[w->n] = w->complete ? x + c : pl_values_to_index(s, me->v);
    w->n++;
  }
}

/* Every cell, by rows. */
static bool walk_cells(pl_self *me, cell_walk *w, uint64_t ncells) {
  const pl_scenario *s = me->s;
  if (s->nissues == 0) { /* one outcome, the empty one */
    if (me->signs_all || pl_self_can_sign(me, me->v)) {
      w->u[0] = pl_self_utility(me, me->v);
      if (w->id)
        w->id[0] = 0;
      w->n = 1;
    }
    return true;
  }
  uint32_t last = s->nissues - 1, from = 0;
  for (uint64_t x = 0; x < ncells; x += w->ncls[last]) {
    walk_set(me, w, from);
    walk_row(me, w, x);
    uint32_t i = last; /* the next row: issues before the last, odometer */
    while (i-- > 0 && ++w->c[i] == w->ncls[i])
      w->c[i] = 0;
    from = i < last ? i : 0;
  }
  return true;
}

static bool build_table(pl_self *me, const uint32_t *cls, const uint32_t *ncls,
                        uint64_t ncells, bool complete) {
  size_t cap = ncells ? ncells : 1;
  cell_walk w = {.cls = cls, .ncls = ncls, .complete = complete};
  w.u = pl_big_alloc(cap, sizeof *w.u);
  if (!(complete && me->signs_all))
    w.id = pl_big_alloc(cap, sizeof *w.id);
  bool ok = w.u && (w.id || (complete && me->signs_all)) &&
            walk_cells(me, &w, ncells);
  size_t n = w.n;
  me->order = ok ? pl_big_alloc(n, sizeof *me->order) : NULL;
  me->util = ok ? pl_big_alloc(n, sizeof *me->util) : NULL;
  ok = me->order && me->util &&
       pl_sort_descending(w.u, w.id, n, me->util, me->order);
  free(w.u);
  free(w.id);
  if (!ok)
    return false;
  me->n = n;
  me->best = n ? me->util[0] : 0;
  me->worst = n ? me->util[n - 1] : 0;
  return true;
}

/* The table of every outcome (small spaces), or of the cells when there
 * are few enough (large spaces whose issues have few distinct values for
 * this agent, such as GENIUS hyperrectangle profiles); false with
 * *tried = false when the cells are too many. */
static bool build_any_table(pl_self *me, bool complete, bool *tried) {
  const pl_scenario *s = me->s;
  uint32_t *cls = malloc((s->total_values ? s->total_values : 1) * sizeof *cls);
  uint32_t ncls[PL_MAX_ISSUES];
  if (!cls)
    return *tried = true, false;
  if (complete)
    for (uint32_t i = 0; i < s->nissues; i++) {
      ncls[i] = s->issues[i].nvalues;
      for (uint32_t v = 0; v < ncls[i]; v++)
        cls[s->offset[i] + v] = v;
    }
  else
    value_classes(me, cls, ncls);
  uint64_t ncells = count_cells(s, ncls, PL_SELF_TABLE_MAX);
  *tried = ncells != UINT64_MAX;
  bool ok = *tried && build_table(me, cls, ncls, ncells, complete);
  free(cls);
  return ok;
}

/* The position of the closest utility to target from above within [lo, hi]
 * (the first of its run of equal utilities: the smallest index), or SIZE_MAX.
 */
static size_t table_near(const pl_self *me, double target, double lo,
                         double hi) {
  /* util is descending: find the last position with util >= target. */
  size_t a = 0, b = me->n; /* util[a..b) */
  while (a < b) {
    size_t m = a + (b - a) / 2;
    if (me->util[m] >= target)
      a = m + 1;
    else
      b = m;
  }
  size_t k = a; /* first position below target */
  if (k > 0 && me->util[k - 1] <= hi && me->util[k - 1] >= lo)
    k--; /* the smallest utility >= target */
  else if (!(k < me->n && me->util[k] >= lo && me->util[k] <= hi))
    return SIZE_MAX;
  while (k > 0 && me->util[k - 1] == me->util[k])
    k--;
  return k;
}

/* ---- Large spaces: depth-first search with bounds ------------------------ */

static bool build_bounds(pl_self *me) {
  const pl_scenario *s = me->s;
  uint32_t n = s->nissues;
  me->suffix_max = calloc(n + 1, sizeof *me->suffix_max);
  me->suffix_min = calloc(n + 1, sizeof *me->suffix_min);
  if (!me->suffix_max || !me->suffix_min)
    return false;
  const double *t = s->term[me->party];
  for (uint32_t i = n; i-- > 0;) {
    double hi = -DBL_MAX, lo = DBL_MAX;
    for (uint32_t v = 0; v < s->issues[i].nvalues; v++) {
      hi = fmax(hi, t[s->offset[i] + v]);
      lo = fmin(lo, t[s->offset[i] + v]);
    }
    me->suffix_max[i] = me->suffix_max[i + 1] + hi;
    me->suffix_min[i] = me->suffix_min[i + 1] + lo;
  }
  return true;
}

/* One range of a box on one issue. `last`: the box's last range in issue
 * order, so that a box still alive after it contains the outcome. */
typedef struct box_range {
  uint32_t box, lo, hi;
  bool last;
} box_range;

/* Groups this party's box ranges by issue (boxes of zero utility dropped,
 * boxes without ranges counted once in box_always). */
static bool build_box_ranges(pl_self *me) {
  const pl_scenario *s = me->s;
  const pl_actor *a = &s->actors[me->party];
  uint32_t n = s->nissues, total = 0;
  for (uint32_t b = 0; b < a->nboxes; b++)
    total += a->boxes[b].utility != 0 ? a->boxes[b].nranges : 0;
  me->ranges = malloc((total ? total : 1) * sizeof *me->ranges);
  me->range_start = calloc(n + 1, sizeof *me->range_start);
  if (!me->ranges || !me->range_start)
    return false;
  uint32_t k = 0;
  for (uint32_t i = 0; i < n; i++) {
    me->range_start[i] = k;
    for (uint32_t b = 0; b < a->nboxes; b++) {
      const pl_box *bx = &a->boxes[b];
      uint32_t last = 0;
      for (uint32_t r = 0; r < bx->nranges; r++)
        last = bx->issue[r] >= bx->issue[last] ? r : last;
      for (uint32_t r = 0; bx->utility != 0 && r < bx->nranges; r++)
        if (bx->issue[r] == i)
          me->ranges[k++] = (box_range){b, bx->lo[r], bx->hi[r], r == last};
    }
  }
  me->range_start[n] = k;
  for (uint32_t b = 0; b < a->nboxes; b++) {
    if (a->boxes[b].nranges == 0)
      me->box_always += a->boxes[b].utility;
    else if (a->boxes[b].utility != 0)
      me->box_open++;
  }
  return true;
}

static bool alloc_search_scratch(pl_self *me) {
  const pl_actor *a = &me->s->actors[me->party];
  uint32_t nr = me->range_start ? me->range_start[me->s->nissues] : 0;
  me->dead = calloc(a->nboxes ? a->nboxes : 1, 1);
  me->killed = malloc((nr ? nr : 1) * sizeof *me->killed);
  return me->dead && me->killed;
}

/* What the boxes of a node add: those that contain every outcome below it
 * (`certain`), and the positive and negative utilities of those that may
 * (`pos`, `neg`), `open` of them. */
typedef struct node {
  uint32_t depth;
  double prefix, certain, pos, neg;
  uint32_t open;
} node;

typedef struct dfs {
  pl_self *me;
  double target, lo, hi;
  bool above;   /* looking for the smallest utility >= target */
  double found; /* best utility found so far */
  bool any;
  uint32_t *best;
  uint64_t budget;
} dfs;

/* Bounds of this party's utility below a node, widened by a few units in
 * the last place (the leaves sum the same numbers in another order);
 * `exact` when every outcome below has the same utility. */
static void node_bounds(const pl_self *me, const node *x, double *lo,
                        double *hi, bool *exact) {
  const pl_actor *a = &me->s->actors[me->party];
  double scale = a->nboxes ? a->box_scale : 0;
  double blo = scale * (x->certain + (scale > 0 ? x->neg : x->pos));
  double bhi = scale * (x->certain + (scale > 0 ? x->pos : x->neg));
  *lo = x->prefix + me->suffix_min[x->depth] + blo;
  *hi = x->prefix + me->suffix_max[x->depth] + bhi;
  double eps = 1e-12 * (1 + fabs(*lo) + fabs(*hi));
  *lo -= eps;
  *hi += eps;
  *exact = x->open == 0 && me->suffix_min[x->depth] == me->suffix_max[x->depth];
  if (a->capped && *lo >= 1.0)
    *exact = true; /* the cap holds everywhere below: exactly 1 */
  if (a->capped && *hi > 1.0)
    *hi = 1.0;
  if (a->capped && *lo > 1.0)
    *lo = 1.0;
}

static bool better(const dfs *q, double u) {
  if (!q->any)
    return true;
  return q->above ? u < q->found : u > q->found;
}

static void leaf(dfs *q, double need_lo, double need_hi) {
  pl_self *me = q->me;
  double u = pl_self_utility(me, me->v);
  if (u >= need_lo && u <= need_hi && better(q, u) &&
      pl_self_can_sign(me, me->v)) {
    q->found = u;
    q->any = true;
    memcpy(q->best, me->v, me->s->nissues * sizeof *me->v);
  }
}

/* Fixes issue x->depth to v: the child's prefix and boxes. Boxes that the
 * value excludes are marked dead and pushed on `killed` from *top. */
static node child_node(pl_self *me, const node *x, uint32_t v, uint32_t *top) {
  const pl_scenario *s = me->s;
  const pl_actor *a = &s->actors[me->party];
  uint32_t i = x->depth;
  node c = *x;
  c.depth = i + 1;
  c.prefix += s->term[me->party][s->offset[i] + v];
  for (uint32_t r = me->range_start[i]; r < me->range_start[i + 1]; r++) {
    const box_range *g = &me->ranges[r];
    if (me->dead[g->box])
      continue;
    double u = a->boxes[g->box].utility;
    bool in = v >= g->lo && v <= g->hi;
    if (!in) {
      me->dead[g->box] = 1;
      me->killed[(*top)++] = g->box;
    } else if (g->last) {
      c.certain += u;
    }
    if (!in || g->last) {
      *(u > 0 ? &c.pos : &c.neg) -= u;
      c.open--;
    }
  }
  return c;
}

static void search(dfs *q, const node *x, uint32_t top) {
  pl_self *me = q->me;
  const pl_scenario *s = me->s;
  if (q->budget == 0)
    return;
  q->budget--;
  double lo, hi;
  bool exact;
  node_bounds(me, x, &lo, &hi, &exact);
  double need_lo = q->above ? fmax(q->lo, q->target) : q->lo;
  double need_hi = q->above ? q->hi : fmin(q->hi, q->target);
  if (hi < need_lo || lo > need_hi)
    return;
  if (q->any && (q->above ? lo >= q->found : hi <= q->found))
    return; /* nothing below can be strictly closer */
  if (x->depth == s->nissues || (exact && me->signs_all)) {
    /* One utility below: its smallest outcome is the first leaf. */
    for (uint32_t i = x->depth; i < s->nissues; i++)
      me->v[i] = 0;
    leaf(q, need_lo, need_hi);
    return;
  }
  for (uint32_t v = 0; v < s->issues[x->depth].nvalues; v++) {
    me->v[x->depth] = v;
    uint32_t t = top;
    node c = child_node(me, x, v, &t);
    search(q, &c, t);
    while (t > top)
      me->dead[me->killed[--t]] = 0;
  }
}

static bool search_near(pl_self *me, double target, double lo, double hi,
                        bool above, uint32_t *outcome) {
  const pl_actor *a = &me->s->actors[me->party];
  dfs q = {.me = me,
           .target = target,
           .lo = lo,
           .hi = hi,
           .above = above,
           .best = outcome,
           .budget = 100000000ULL};
  node root = {.depth = 0, .certain = me->box_always, .open = me->box_open};
  for (uint32_t b = 0; b < a->nboxes; b++)
    if (a->boxes[b].nranges && a->boxes[b].utility != 0)
      *(a->boxes[b].utility > 0 ? &root.pos : &root.neg) += a->boxes[b].utility;
  search(&q, &root, 0);
  return q.any;
}

/* ---- Large additive spaces: meet in the middle --------------------------- */

/* The combinations of the last issues are listed and sorted by their sum:
 * at most MITM_HALF_MAX of them, and about outcomes / MITM_FIRST of them,
 * so that a query tries some hundreds of combinations of the first issues
 * (a binary search each) and the set-up sorts some thousands (AgentHp2,
 * 7^8 outcomes: 16,807 sorted, 343 tried). */
#define MITM_HALF_MAX (1u << 21)
#define MITM_FIRST 512

typedef struct pair {
  double sum;
  uint64_t index;
} pair;

static int by_sum(const void *a, const void *b) {
  const pair *x = a, *y = b;
  if (x->sum != y->sum)
    return x->sum < y->sum ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Mixed-radix digits of combination `c` of issues [from, to), into v. */
static void combination(const pl_scenario *s, uint32_t from, uint32_t to,
                        uint64_t c, uint32_t *v) {
  for (uint32_t i = to; i-- > from;) {
    v[i] = (uint32_t)(c % s->issues[i].nvalues);
    c /= s->issues[i].nvalues;
  }
}

static double partial_sum(const pl_self *me, uint32_t from, uint32_t to,
                          const uint32_t *v) {
  const pl_scenario *s = me->s;
  double x = 0;
  for (uint32_t i = from; i < to; i++)
    x += s->term[me->party][s->offset[i] + v[i]];
  return x;
}

/* A sum of terms, capped at 1 or not (GENIUS), with nothing else to check:
 * no box, constraint or red line, no ratifier it answers to. */
static bool plain(const pl_self *me) {
  const pl_scenario *s = me->s;
  const pl_actor *a = &s->actors[me->party];
  if (a->nboxes || s->nconstraints || a->nred_lines)
    return false;
  for (uint32_t q = s->nparties; me->two_level && q < pl_num_actors(s); q++)
    if (s->actors[q].party == (int32_t)me->party)
      return false;
  return true;
}

/* How far a sum of the two halves (first + second) may be from the same
 * terms added in issue order, with room to spare: a few units in the
 * last place of the largest sum possible, for each issue. */
static double mitm_slack(const pl_self *me) {
  const pl_scenario *s = me->s;
  double big = 1;
  for (uint32_t i = 0; i < s->nissues; i++) {
    double m = 0;
    for (uint32_t v = 0; v < s->issues[i].nvalues; v++)
      m = fmax(m, fabs(s->term[me->party][s->offset[i] + v]));
    big += m;
  }
  return 1e-12 * big;
}

/* The number of combinations of issues [from, to), or 0 above `cap`. */
static uint64_t combinations(const pl_scenario *s, uint32_t from, uint32_t to,
                             uint64_t cap) {
  uint64_t n = 1;
  for (uint32_t i = from; i < to; i++) {
    uint32_t k = s->issues[i].nvalues;
    if (k == 0 || n > cap / k)
      return 0;
    n *= k;
  }
  return n;
}

/* second_least[k]: the smallest combination index at sorted positions k
 * and after (capped utilities: the first outcome that reaches 1). */
static bool build_second_least(pl_self *me) {
  me->second_least = malloc(me->nsecond * sizeof *me->second_least);
  if (!me->second_least)
    return false;
  uint64_t least = UINT64_MAX;
  for (uint64_t k = me->nsecond; k-- > 0;) {
    if (me->second_index[k] < least)
      least = me->second_index[k];
    me->second_least[k] = least;
  }
  return true;
}

static bool build_mitm(pl_self *me) {
  const pl_scenario *s = me->s;
  uint64_t second = 1, want = me->outcomes / MITM_FIRST;
  uint32_t half = s->nissues;
  while (half > 1 && second < want &&
         second * s->issues[half - 1].nvalues <= MITM_HALF_MAX)
    second *= s->issues[--half].nvalues;
  uint64_t first = combinations(s, 0, half, 4ull * MITM_HALF_MAX);
  if (first == 0 || combinations(s, half, s->nissues, MITM_HALF_MAX) == 0)
    return true; /* too lopsided, or empty: the search will do */
  pair *p = malloc(second * sizeof *p);
  me->second_sum = malloc(second * sizeof *me->second_sum);
  me->second_index = malloc(second * sizeof *me->second_index);
  if (!p || !me->second_sum || !me->second_index) {
    free(p);
    return false;
  }
  for (uint64_t c = 0; c < second; c++) {
    combination(s, half, s->nissues, c, me->v);
    p[c] = (pair){partial_sum(me, half, s->nissues, me->v), c};
  }
  qsort(p, second, sizeof *p, by_sum);
  for (uint64_t c = 0; c < second; c++) {
    me->second_sum[c] = p[c].sum;
    me->second_index[c] = p[c].index;
  }
  free(p);
  me->half = half;
  me->nfirst = first;
  me->nsecond = second;
  me->capped = s->actors[me->party].capped;
  me->slack = mitm_slack(me);
  if (me->capped && !build_second_least(me))
    return false;
  me->mitm = true;
  return true;
}

/* The first position in second_sum with sum >= x. */
static uint64_t lower_bound(const pl_self *me, double x) {
  uint64_t a = 0, b = me->nsecond;
  while (a < b) {
    uint64_t m = a + (b - a) / 2;
    if (me->second_sum[m] < x)
      a = m + 1;
    else
      b = m;
  }
  return a;
}

/* The sum of an outcome whose first issues' terms add up to `prefix` (in
 * issue order) and whose last issues are combination j: the additions of
 * pl_actor_utility, in its order, so the same double to the bit (before
 * the cap). The sorted halves only say where to look. */
static double mitm_exact(pl_self *me, double prefix, uint64_t j) {
  const pl_scenario *s = me->s;
  const double *t = s->term[me->party];
  combination(s, me->half, s->nissues, j, me->v);
  for (uint32_t i = me->half; i < s->nissues; i++)
    prefix += t[s->offset[i] + me->v[i]];
  return prefix;
}

/* Calls visit(c, prefix) for every combination c of the first issues in
 * index order, prefix its terms' sum in issue order, until visit says
 * stop (false). */
typedef bool (*mitm_visit)(pl_self *me, void *ctx, uint64_t c, double prefix);

static void mitm_each_first(pl_self *me, mitm_visit visit, void *ctx) {
  const pl_scenario *s = me->s;
  const double *t = s->term[me->party];
  uint32_t h = me->half, v[PL_MAX_ISSUES] = {0};
  double prefix[PL_MAX_ISSUES + 1] = {0};
  for (uint32_t i = 0; i < h; i++)
    prefix[i + 1] = prefix[i] + t[s->offset[i]];
  for (uint64_t c = 0; c < me->nfirst; c++) {
    if (!visit(me, ctx, c, prefix[h]))
      return;
    uint32_t i = h; /* the next combination, odometer */
    while (i-- > 0 && ++v[i] == s->issues[i].nvalues)
      v[i] = 0;
    for (uint32_t k = i < h ? i : 0; k < h; k++)
      prefix[k + 1] = prefix[k] + t[s->offset[k] + v[k]];
  }
}

/* The smallest (above) or largest sum in [lo, hi], ties by the smaller
 * outcome index, as the depth-first search finds it. */
typedef struct mitm_query {
  double lo, hi;
  bool above;
  bool any;
  double best;
  uint64_t index;
} mitm_query;

static void mitm_offer(mitm_query *q, double u, uint64_t index) {
  if (!(u >= q->lo && u <= q->hi))
    return;
  if (q->any && (q->above ? u > q->best : u < q->best))
    return;
  if (q->any && u == q->best && index > q->index)
    return;
  q->any = true;
  q->best = u;
  q->index = index;
}

/* Every outcome of first combination c whose sum can be in the window and
 * as good as the best so far: those whose two halves add up to within the
 * slack of it (sorted, so a run of positions), each summed exactly. */
static bool mitm_scan(pl_self *me, void *ctx, uint64_t c, double p) {
  mitm_query *q = ctx;
  double d = me->slack;
  uint64_t base = c * me->nsecond;
  if (q->above) {
    for (uint64_t k = lower_bound(me, q->lo - d - p); k < me->nsecond; k++) {
      double bound = q->any ? fmin(q->best, q->hi) : q->hi;
      if (p + me->second_sum[k] > bound + d)
        break;
      uint64_t j = me->second_index[k];
      mitm_offer(q, mitm_exact(me, p, j), base + j);
    }
  } else {
    for (uint64_t k = lower_bound(me, nextafter(q->hi + d - p, INFINITY));
         k-- > 0;) {
      double bound = q->any ? fmax(q->best, q->lo) : q->lo;
      if (p + me->second_sum[k] < bound - d)
        break;
      uint64_t j = me->second_index[k];
      mitm_offer(q, mitm_exact(me, p, j), base + j);
    }
  }
  return true;
}

/* Capped utilities: the smallest index whose sum reaches 1. */
typedef struct mitm_first_one {
  bool any;
  uint64_t index;
} mitm_first_one;

static bool mitm_reach_one(pl_self *me, void *ctx, uint64_t c, double p) {
  mitm_first_one *f = ctx;
  double d = me->slack;
  uint64_t k0 = lower_bound(me, 1.0 - d - p);
  uint64_t k1 = lower_bound(me, 1.0 + d - p); /* from here, surely >= 1 */
  uint64_t j = k1 < me->nsecond ? me->second_least[k1] : UINT64_MAX;
  for (uint64_t k = k0; k < k1; k++)
    if (me->second_index[k] < j && mitm_exact(me, p, me->second_index[k]) >= 1)
      j = me->second_index[k];
  if (j == UINT64_MAX)
    return true; /* none in this combination: the next */
  f->any = true;
  f->index = c * me->nsecond + j;
  return false;
}

/* The smallest (above) or largest utility in [lo, hi], ties by the smaller
 * outcome index. With the cap, every sum from 1 on is worth 1, and the
 * first such outcome is the one that counts. */
static bool mitm_near(pl_self *me, double lo, double hi, bool above,
                      uint32_t *outcome) {
  mitm_query q = {.lo = lo, .hi = hi, .above = above};
  mitm_first_one one = {0};
  bool one_in = me->capped && lo <= 1.0 && hi >= 1.0;
  if (me->capped) /* below 1 the utility is the sum */
    q.hi = fmin(hi, nextafter(1.0, -INFINITY));
  if (!above && one_in)
    mitm_each_first(me, mitm_reach_one, &one);
  if (!one.any && q.lo <= q.hi)
    mitm_each_first(me, mitm_scan, &q);
  if (!one.any && !q.any && above && one_in)
    mitm_each_first(me, mitm_reach_one, &one);
  if (!one.any && !q.any)
    return false;
  pl_index_to_values(me->s, one.any ? one.index : q.index, outcome);
  return true;
}

/* ---- Large sums with few distinct values: one outcome per sum ------------ */

/* A plain sum's value depends on the outcome only through the running sum
 * (in issue order), so of two partial outcomes with the same running sum
 * only the one of smaller index can ever be an answer: it has the same
 * completions, each worth the same, with smaller indexes. Extending the
 * first issues one at a time and keeping, for each distinct running sum,
 * its first partial outcome ends in one outcome per distinct utility, the
 * smallest that has it. Domains of equal weights and linear evaluations
 * (AgentHp2: 7^8 outcomes, 49 utilities for one party) have few; when a
 * running sum has more than SUMS_MAX, meet in the middle instead. */
#define SUMS_MAX (1u << 16)

static uint64_t hash_double(double x) {
  uint64_t b;
  x = x == 0 ? 0.0 : x; /* -0 and +0 are the same sum */
  memcpy(&b, &x, sizeof b);
  return pl_mix64(b);
}

/* The running sums after issue i: each of `from` (n, by index ascending)
 * extended by each value of issue i, the first of each sum kept, so `to`
 * is again by index ascending. SIZE_MAX when more than SUMS_MAX. */
static size_t sums_extend(const pl_self *me, uint32_t i, const pair *from,
                          size_t n, pair *to, uint32_t *slot, size_t nslots) {
  const pl_scenario *s = me->s;
  const double *t = s->term[me->party] + s->offset[i];
  uint32_t nv = s->issues[i].nvalues;
  size_t m = 0;
  memset(slot, 0xff, nslots * sizeof *slot);
  for (size_t e = 0; e < n; e++)
    for (uint32_t v = 0; v < nv; v++) {
      double x = from[e].sum + t[v];
      size_t h = hash_double(x) & (nslots - 1);
      while (slot[h] != UINT32_MAX && to[slot[h]].sum != x)
        h = (h + 1) & (nslots - 1);
      if (slot[h] != UINT32_MAX)
        continue; /* an earlier partial outcome has this sum */
      if (m == SUMS_MAX)
        return SIZE_MAX;
      slot[h] = (uint32_t)m;
      to[m++] = (pair){x, from[e].index * nv + v};
    }
  return m;
}

/* With the cap, every sum from 1 on is worth 1: one entry, the first. */
static size_t sums_cap(pair *p, size_t n) {
  size_t m = 0;
  uint64_t first = UINT64_MAX;
  for (size_t e = 0; e < n; e++)
    if (p[e].sum >= 1.0)
      first = p[e].index < first ? p[e].index : first;
    else
      p[m++] = p[e];
  if (first != UINT64_MAX)
    p[m++] = (pair){1.0, first};
  return m;
}

static bool sums_keep(pl_self *me, pair *p, size_t n) {
  if (me->s->actors[me->party].capped)
    n = sums_cap(p, n);
  qsort(p, n, sizeof *p, by_sum); /* distinct sums: ascending */
  me->sums_u = malloc((n ? n : 1) * sizeof *me->sums_u);
  me->sums_index = malloc((n ? n : 1) * sizeof *me->sums_index);
  if (!me->sums_u || !me->sums_index)
    return false;
  for (size_t e = 0; e < n; e++) {
    me->sums_u[e] = p[e].sum;
    me->sums_index[e] = p[e].index;
  }
  me->nsums = n;
  me->sums = true;
  return true;
}

/* false only when memory ran out; me->sums says whether the sums fit. */
static bool build_sums(pl_self *me) {
  const pl_scenario *s = me->s;
  size_t nslots = 1;
  while (nslots < 2 * (size_t)SUMS_MAX)
    nslots *= 2;
  pair *a = malloc(SUMS_MAX * sizeof *a), *b = malloc(SUMS_MAX * sizeof *b);
  uint32_t *slot = malloc(nslots * sizeof *slot);
  bool ok = a && b && slot;
  size_t n = 1;
  if (ok)
    a[0] = (pair){0, 0};
  for (uint32_t i = 0; ok && n != SIZE_MAX && i < s->nissues; i++) {
    /* a smaller table for small layers: clearing it is most of the cost */
    size_t want = 1;
    while (want < 2 * n * s->issues[i].nvalues && want < nslots)
      want *= 2;
    n = sums_extend(me, i, a, n, b, slot, want);
    pair *swap = a;
    a = b;
    b = swap;
  }
  if (ok && n != SIZE_MAX)
    ok = sums_keep(me, a, n);
  free(a);
  free(b);
  free(slot);
  return ok;
}

/* The smallest (above) or largest utility in [lo, hi], as the depth-first
 * search finds it (the sums are distinct, each with its first outcome). */
static bool sums_near(pl_self *me, double lo, double hi, bool above,
                      uint32_t *outcome) {
  if (!(lo <= hi))
    return false;
  size_t a = 0, b = me->nsums; /* above: the first >= lo; else: > hi */
  while (a < b) {
    size_t m = a + (b - a) / 2;
    if (above ? me->sums_u[m] < lo : me->sums_u[m] <= hi)
      a = m + 1;
    else
      b = m;
  }
  if (above ? a == me->nsums || me->sums_u[a] > hi
            : a == 0 || me->sums_u[a - 1] < lo)
    return false;
  pl_index_to_values(me->s, me->sums_index[above ? a : a - 1], outcome);
  return true;
}

static bool large_near(pl_self *me, double target, double lo, double hi,
                       uint32_t *outcome) {
  if (me->sums)
    return sums_near(me, fmax(target, lo), hi, true, outcome) ||
           sums_near(me, lo, fmin(target, hi), false, outcome);
  if (me->mitm)
    return mitm_near(me, fmax(target, lo), hi, true, outcome) ||
           mitm_near(me, lo, fmin(target, hi), false, outcome);
  /* nothing >= target: the largest below it */
  return search_near(me, target, lo, hi, true, outcome) ||
         search_near(me, target, lo, hi, false, outcome);
}

/* ---- The service ----------------------------------------------------------
 */

bool pl_self_near(pl_self *me, double target, double lo, double hi,
                  uint32_t *outcome) {
  if (!me->table)
    return large_near(me, target, lo, hi, outcome);
  size_t k = table_near(me, target, lo, hi);
  if (k == SIZE_MAX)
    return false;
  pl_index_to_values(me->s, me->order[k], outcome);
  return true;
}

bool pl_self_near_scored(pl_self *me, double target, double lo, double hi,
                         double tie,
                         double (*score)(const uint32_t *outcome, void *ctx),
                         void *ctx, uint32_t *outcome) {
  if (!me->complete || !score)
    return pl_self_near(me, target, lo, hi, outcome);
  size_t k = table_near(me, target, lo, hi);
  if (k == SIZE_MAX)
    return false;
  /* Candidates: utilities in [u*, u* + tie], i.e. positions k back to the
   * first whose utility is within tie above. */
  double u0 = me->util[k];
  size_t first = k;
  while (first > 0 && me->util[first - 1] <= u0 + tie &&
         me->util[first - 1] <= hi)
    first--;
  size_t last = k;
  while (last + 1 < me->n && me->util[last + 1] == u0)
    last++;
  double best = -DBL_MAX;
  uint64_t pick = UINT64_MAX;
  for (size_t j = first; j <= last; j++) {
    pl_index_to_values(me->s, me->order[j], me->v);
    double sc = score(me->v, ctx);
    if (sc > best || (sc == best && me->order[j] < pick)) {
      best = sc;
      pick = me->order[j];
    }
  }
  pl_index_to_values(me->s, pick, outcome);
  return true;
}

bool pl_self_ranked(pl_self *me, uint64_t n, uint32_t *outcome) {
  if (!me->complete || n >= me->n)
    return false;
  pl_index_to_values(me->s, me->order[n], outcome);
  return true;
}

static self_memos *new_memos(void) {
  self_memos *m = calloc(1, sizeof *m);
  if (m && pthread_mutex_init(&m->lock, NULL) != 0) {
    free(m);
    m = NULL;
  }
  return m;
}

static void free_memos(self_memos *m) {
  if (!m)
    return;
  for (int k = 0; k < PL_SELF_MEMOS; k++)
    if (m->e[k].key && m->e[k].release)
      m->e[k].release(m->e[k].value);
  pthread_mutex_destroy(&m->lock);
  free(m);
}

void *pl_self_memo(pl_self *me, const void *key,
                   void *(*build)(pl_self *me, void *arg), void *arg,
                   void (*release)(void *value)) {
  self_memos *m = me->memos;
  if (!m)
    return NULL;
  pthread_mutex_lock(&m->lock);
  void *value = NULL;
  int k = 0;
  while (k < PL_SELF_MEMOS && m->e[k].key && m->e[k].key != key)
    k++;
  if (k < PL_SELF_MEMOS && m->e[k].key == key) {
    value = m->e[k].value;
  } else if (k < PL_SELF_MEMOS && (value = build(me, arg)) != NULL) {
    m->e[k].key = key;
    m->e[k].value = value;
    m->e[k].release = release;
  }
  pthread_mutex_unlock(&m->lock);
  return value;
}

void pl_self_free(pl_self *me) {
  if (!me)
    return;
  if (!me->borrowed) {
    free(me->order);
    free(me->util);
    free(me->suffix_max);
    free(me->suffix_min);
    free(me->second_sum);
    free(me->second_index);
    free(me->second_least);
    free(me->sums_u);
    free(me->sums_index);
    free(me->ranges);
    free(me->range_start);
    free_memos(me->memos);
  }
  free(me->dead);
  free(me->killed);
  free(me->v);
  free(me);
}

/* Everything a large space's search needs: bounds, boxes, scratch; when
 * the utility is a plain sum, one outcome per distinct sum if there are
 * few, else meet in the middle (unless `method` asks for one of them). */
static bool build_search(pl_self *me, pl_self_method method) {
  if (!(build_bounds(me) && build_box_ranges(me) && alloc_search_scratch(me)))
    return false;
  if (method == PL_SELF_DEPTH_FIRST || !plain(me))
    return true;
  if (method != PL_SELF_MIDDLE && !build_sums(me))
    return false;
  return me->sums || method == PL_SELF_SUMS || build_mitm(me);
}

/* Best and worst signable utility in a large space, by the search. */
static void large_extremes(pl_self *me) {
  uint32_t *tmp = malloc(me->s->nissues * sizeof *tmp);
  if (!tmp)
    return;
  if (large_near(me, DBL_MAX, -DBL_MAX, DBL_MAX, tmp))
    me->best = pl_self_utility(me, tmp);
  if (large_near(me, -DBL_MAX, -DBL_MAX, DBL_MAX, tmp))
    me->worst = pl_self_utility(me, tmp);
  free(tmp);
}

/* The method for a space of this size: every outcome up to
 * PL_SELF_TABLE_MAX, the cells up to as many, else the search. */
static pl_self_method choose(const pl_self *me, bool fits) {
  if (fits && me->outcomes <= PL_SELF_TABLE_MAX)
    return PL_SELF_TABLE;
  return PL_SELF_CELLS; /* falls back to the search when too many */
}

pl_self *pl_self_new_method(const pl_scenario *s, uint32_t party,
                            bool two_level, uint64_t seed, uint64_t stream,
                            pl_self_method method) {
  pl_self *me = calloc(1, sizeof *me);
  if (!me)
    return NULL;
  me->s = s;
  me->party = party;
  me->two_level = two_level;
  pl_rng_seed2(&me->rng, seed, stream);
  me->v = calloc(s->nissues ? s->nissues : 1, sizeof *me->v);
  me->memos = new_memos(); /* NULL only costs the sharing */
  bool fits = pl_space_size(s, &me->outcomes);
  if (method == PL_SELF_AUTO)
    method = choose(me, fits);
  me->signs_all = !s->nconstraints && !s->actors[party].nred_lines;
  for (uint32_t q = s->nparties; two_level && q < pl_num_actors(s); q++)
    me->signs_all &= s->actors[q].party != (int32_t)party;
  bool tried = false, ok = me->v != NULL;
  me->complete = method == PL_SELF_TABLE;
  if (ok && (method == PL_SELF_TABLE || method == PL_SELF_CELLS))
    me->table = build_any_table(me, me->complete, &tried);
  if (!me->table)
    me->complete = false;
  ok = ok && (me->table || (!tried && build_search(me, method)));
  if (ok && !me->table)
    large_extremes(me);
  if (!ok) {
    pl_self_free(me);
    return NULL;
  }
  return me;
}

pl_self_method pl_self_method_used(const pl_self *me) {
  if (me->table)
    return me->complete ? PL_SELF_TABLE : PL_SELF_CELLS;
  return me->sums   ? PL_SELF_SUMS
         : me->mitm ? PL_SELF_MIDDLE
                    : PL_SELF_DEPTH_FIRST;
}

pl_self *pl_self_new(const pl_scenario *s, uint32_t party, bool two_level,
                     uint64_t seed, uint64_t stream) {
  return pl_self_new_method(s, party, two_level, seed, stream, PL_SELF_AUTO);
}

pl_self *pl_self_share(const pl_self *model, uint64_t seed, uint64_t stream) {
  pl_self *me = malloc(sizeof *me);
  if (!me)
    return NULL;
  *me = *model; /* the same scenario, party, tables and extremes */
  me->failure[0] = '\0';
  me->borrowed = true;
  pl_rng_seed2(&me->rng, seed, stream);
  me->v = calloc(me->s->nissues ? me->s->nissues : 1, sizeof *me->v);
  me->dead = NULL;
  me->killed = NULL;
  if (!me->v || (!me->table && !alloc_search_scratch(me))) {
    free(me->v);
    free(me->dead);
    free(me->killed);
    free(me);
    return NULL;
  }
  return me;
}

void pl_self_fail(pl_self *me, const char *why) {
  snprintf(me->failure, sizeof me->failure, "%s", why ? why : "");
}

const char *pl_self_failure(const pl_self *me) {
  return me->failure[0] ? me->failure : NULL;
}

void pl_self_set_clock(pl_self *me, uint32_t round, uint32_t deadline) {
  me->round = round;
  me->deadline = deadline;
}
uint32_t pl_self_round(const pl_self *me) { return me->round; }
void pl_self_set_context(pl_self *me, void *context) { me->context = context; }
void *pl_self_context(const pl_self *me) { return me->context; }
uint32_t pl_self_deadline(const pl_self *me) { return me->deadline; }
