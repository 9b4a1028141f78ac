/* self.c - what an agent may know, and the outcome search service.
 *
 * Small spaces: the outcomes the agent can sign, sorted by its utility
 * (descending, ties by index), so "closest to a target" is a binary search.
 * Large spaces (10^10 outcomes): a depth-first search over the issues with
 * bounds on the agent's own utility, which never holds the space.
 */
#include "negotiation/self.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pl_self {
  const pl_scenario *s;
  uint32_t party;
  bool two_level;
  pl_rng rng;
  uint64_t outcomes;
  /* Small spaces: signable outcomes by utility descending, index ascending. */
  bool table;
  uint64_t *order;
  double *util;
  size_t n;
  double best, worst;
  /* Large spaces: per issue, the most and least this party's remaining
   * issues can add (suffix sums), and scratch for the search. */
  double *suffix_max, *suffix_min;
  uint32_t *v;
  /* Large spaces of plain additive utility and no rules of its own:
   * meet in the middle. Every combination of the last issues (from `half`
   * on), by its partial sum ascending; a query tries each combination of
   * the first issues against it by binary search. */
  bool mitm;
  uint32_t half;
  uint64_t nfirst, nsecond;
  double *second_sum;
  uint64_t *second_index;
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

typedef struct entry {
  double u;
  uint64_t index;
} entry;

static int by_utility(const void *a, const void *b) {
  const entry *x = a, *y = b;
  if (x->u != y->u)
    return x->u > y->u ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static bool build_table(pl_self *me) {
  entry *e = malloc(me->outcomes * sizeof *e);
  if (!e)
    return false;
  size_t n = 0;
  for (uint64_t x = 0; x < me->outcomes; x++) {
    pl_index_to_values(me->s, x, me->v);
    if (pl_self_can_sign(me, me->v))
      e[n++] = (entry){pl_self_utility(me, me->v), x};
  }
  qsort(e, n, sizeof *e, by_utility);
  me->order = malloc((n ? n : 1) * sizeof *me->order);
  me->util = malloc((n ? n : 1) * sizeof *me->util);
  if (!me->order || !me->util) {
    free(e);
    return false;
  }
  for (size_t k = 0; k < n; k++) {
    me->order[k] = e[k].index;
    me->util[k] = e[k].u;
  }
  free(e);
  me->n = n;
  me->best = n ? me->util[0] : 0;
  me->worst = n ? me->util[n - 1] : 0;
  return true;
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

typedef struct dfs {
  pl_self *me;
  double target, lo, hi;
  bool above;   /* looking for the smallest utility >= target */
  double found; /* best utility found so far */
  bool any;
  uint32_t *best;
  uint64_t budget;
} dfs;

/* Bounds of this party's additive sum below a node; boxes and caps make the
 * exact utility differ, so those scenarios only prune on the range. */
static void sum_bounds(const pl_self *me, double prefix, uint32_t depth,
                       double *lo, double *hi) {
  const pl_actor *a = &me->s->actors[me->party];
  *lo = prefix + me->suffix_min[depth];
  *hi = prefix + me->suffix_max[depth];
  if (a->nboxes) { /* boxes only add: widen the top by all positive ones */
    for (uint32_t b = 0; b < a->nboxes; b++)
      if (a->boxes[b].utility > 0)
        *hi += a->boxes[b].utility * a->box_scale;
  }
  if (a->capped && *hi > 1.0)
    *hi = 1.0;
}

static bool better(const dfs *q, double u) {
  if (!q->any)
    return true;
  return q->above ? u < q->found : u > q->found;
}

static void search(dfs *q, uint32_t depth, double prefix) {
  pl_self *me = q->me;
  const pl_scenario *s = me->s;
  if (q->budget == 0)
    return;
  q->budget--;
  double lo, hi;
  sum_bounds(me, prefix, depth, &lo, &hi);
  double need_lo = q->above ? fmax(q->lo, q->target) : q->lo;
  double need_hi = q->above ? q->hi : fmin(q->hi, q->target);
  if (hi < need_lo || lo > need_hi)
    return;
  if (q->any && (q->above ? lo >= q->found : hi <= q->found))
    return; /* nothing below can be strictly closer */
  if (depth == s->nissues) {
    double u = pl_self_utility(me, me->v);
    if (u >= need_lo && u <= need_hi && better(q, u) &&
        pl_self_can_sign(me, me->v)) {
      q->found = u;
      q->any = true;
      memcpy(q->best, me->v, s->nissues * sizeof *me->v);
    }
    return;
  }
  const double *t = s->term[me->party];
  for (uint32_t v = 0; v < s->issues[depth].nvalues; v++) {
    me->v[depth] = v;
    search(q, depth + 1, prefix + t[s->offset[depth] + v]);
  }
}

/* ---- Large additive spaces: meet in the middle --------------------------- */

/* Combinations of issues [from, to) up to this many are listed. */
#define MITM_HALF_MAX (1u << 21)

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

/* Plain additive utility, nothing to check but the sum: no constraint, no
 * red line of its own, no ratifier it answers to. */
static bool plain(const pl_self *me) {
  const pl_scenario *s = me->s;
  if (s->nonadditive || s->nconstraints || s->actors[me->party].nred_lines)
    return false;
  for (uint32_t q = s->nparties; me->two_level && q < pl_num_actors(s); q++)
    if (s->actors[q].party == (int32_t)me->party)
      return false;
  return true;
}

static bool build_mitm(pl_self *me) {
  const pl_scenario *s = me->s;
  uint64_t second = 1;
  uint32_t half = s->nissues;
  while (half > 0 && second * s->issues[half - 1].nvalues <= MITM_HALF_MAX)
    second *= s->issues[--half].nvalues;
  uint64_t first = me->outcomes / second;
  if (half == 0 || first > 4 * MITM_HALF_MAX)
    return true; /* too lopsided: the search will do */
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
  me->mitm = true;
  me->half = half;
  me->nfirst = first;
  me->nsecond = second;
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

/* Smallest total >= want (above) or largest total <= want (!above) within
 * [lo, hi]; ties by smaller outcome index. */
static bool mitm_near(pl_self *me, double want, double lo, double hi,
                      bool above, uint32_t *outcome) {
  const pl_scenario *s = me->s;
  bool any = false;
  double best = 0;
  uint64_t best_index = 0;
  for (uint64_t c = 0; c < me->nfirst; c++) {
    combination(s, 0, me->half, c, me->v);
    double a = partial_sum(me, 0, me->half, me->v);
    uint64_t k = lower_bound(me, want - a);
    if (!above) { /* the last position with sum <= want - a */
      k = lower_bound(me, nextafter(want - a, DBL_MAX));
      if (k == 0)
        continue;
      k--;
    }
    if (k >= me->nsecond)
      continue;
    double u = a + me->second_sum[k];
    if (u < lo || u > hi)
      continue;
    uint64_t index = c * me->nsecond + me->second_index[k];
    if (!any || (above ? u < best : u > best) ||
        (u == best && index < best_index)) {
      any = true;
      best = u;
      best_index = index;
    }
  }
  if (any)
    pl_index_to_values(s, best_index, outcome);
  return any;
}

static bool large_near(pl_self *me, double target, double lo, double hi,
                       uint32_t *outcome) {
  if (me->mitm)
    return mitm_near(me, fmax(target, lo), lo, hi, true, outcome) ||
           mitm_near(me, fmin(target, hi), lo, hi, false, outcome);
  dfs q = {.me = me,
           .target = target,
           .lo = lo,
           .hi = hi,
           .above = true,
           .best = outcome,
           .budget = 100000000ULL};
  search(&q, 0, 0);
  if (!q.any) { /* nothing >= target: the largest below it */
    q.above = false;
    q.budget = 100000000ULL;
    search(&q, 0, 0);
  }
  return q.any;
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
  if (!me->table || !score)
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
  if (!me->table || n >= me->n)
    return false;
  pl_index_to_values(me->s, me->order[n], outcome);
  return true;
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
  }
  free(me->v);
  free(me);
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

pl_self *pl_self_new(const pl_scenario *s, uint32_t party, bool two_level,
                     uint64_t seed, uint64_t stream) {
  pl_self *me = calloc(1, sizeof *me);
  if (!me)
    return NULL;
  me->s = s;
  me->party = party;
  me->two_level = two_level;
  pl_rng_seed2(&me->rng, seed, stream);
  me->v = calloc(s->nissues ? s->nissues : 1, sizeof *me->v);
  bool fits = pl_space_size(s, &me->outcomes);
  me->table = fits && me->outcomes <= PL_SELF_TABLE_MAX;
  bool ok =
      me->v && (me->table ? build_table(me)
                          : build_bounds(me) && (!plain(me) || build_mitm(me)));
  if (ok && !me->table)
    large_extremes(me);
  if (!ok) {
    pl_self_free(me);
    return NULL;
  }
  return me;
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
  if (!me->v) {
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
