/* sweep.c - the exact Pareto frontier of additive utilities without
 * enumerating, issue by issue (docs/analysis.md, "Frontier by sweeping").
 *
 * A package on the frontier stays undominated when restricted to its first
 * k issues: were some other start at least as good for every actor (the
 * ratifiers too, whose thresholds are part of the zone) and better for a
 * party, the same completion would give a package in the zone that
 * dominates it. So the sweep keeps, after each issue, only the starts that
 * no other start dominates and that can still reach every threshold, and
 * extends them by the next issue's values.
 *
 * The sums are the enumeration's own: prefix sums in issue order, each
 * start's sum plus the next term. Rounding is monotone, so "at least as
 * good" survives any completion exactly; "better" is only trusted when the
 * gap exceeds what rounding can close (each addition still to come may
 * close one unit in the last place of the largest utility the party can
 * have, so the gap allowed grows with the issues left), so near-ties are
 * kept. The last
 * step's survivors carry exact utilities, and the Pareto archive makes the
 * final, exact cut, ties kept.
 *
 * Rules that mention a single issue remove values; a rule over several
 * issues or boxes make the sweep inapplicable. A cap (GENIUS's min(1, u))
 * is monotone, so "at least as good" survives it, but it can turn "better"
 * into a tie: a start earns no clear credit on a capped party while its
 * sum plus the most the issues left can add might still reach 1, and the
 * last step caps the sums as the enumeration does (the cap is left out for
 * a party whose largest sum, in issue order, is at most 1: it never acts).
 */
#include "analysis/sweep.h"
#include "analysis/frontier.h"
#include "analysis/ndindex.h"
#include "util/sort.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct sweep {
  const pl_scenario *s;
  bool zone;
  uint32_t n, np, k; /* k: objectives (parties, then ratifiers in zone) */
  double *best_rest; /* [i * k + a]: most issues i.. add to objective a */
  double room[PL_MAX_PARTIES];
  double gap[PL_MAX_PARTIES]; /* this step's "clearly better" margin */
  double tol;                 /* rounding allowance for the reachability cut */
  bool caps[PL_MAX_PARTIES +
            PL_MAX_RATIFIERS]; /* the actor's cap can act (some sum > 1) */
  uint32_t done;               /* issues in the candidates of this step */
  /* The current starts: n_cur vectors of k utilities and their indices. */
  double *u;
  uint64_t *index;
  size_t n_cur;
  size_t max_points;
  size_t peak;
  size_t whole_starts; /* starts after the issues [0, whole) swept in full */
  uint32_t whole;
  uint64_t work;     /* comparisons made by the cuts */
  uint64_t max_work; /* and the most they may make */
} sweep;

/* Comparisons allowed in all (a second or two): with three objectives the
 * cut compares each candidate with the starts kept so far. With four or
 * more it asks the index (ndindex.h), each node or point it looks at
 * counting as one comparison, at 10-20 ns each here: INDEX_WORK_LIMIT is
 * about a minute, what the 5-party frontier at 10^12 (439,169 points)
 * needs (bench/README.md). */
#define WORK_LIMIT 500000000ULL
#define INDEX_WORK_LIMIT 4000000000ULL

static bool rule_is_local(const pl_rule *r) { return r->nrefs == 1; }

bool pl_sweep_applies(const pl_scenario *s, bool zone) {
  if (s->has_boxes)
    return false;
  for (uint32_t c = 0; c < s->nconstraints; c++)
    if (!rule_is_local(&s->constraints[c]))
      return false;
  for (uint32_t p = 0; zone && p < s->nparties; p++)
    for (uint32_t r = 0; r < s->actors[p].nred_lines; r++)
      if (!rule_is_local(&s->actors[p].red_lines[r]))
        return false;
  return true;
}

/* Whether value v of issue i passes every single-issue rule that applies. */
static bool value_allowed(const sweep *w, uint32_t i, uint32_t v,
                          uint32_t *scratch) {
  const pl_scenario *s = w->s;
  scratch[i] = v;
  for (uint32_t c = 0; c < s->nconstraints; c++) {
    const pl_rule *r = &s->constraints[c];
    if (r->nrefs == 1 && r->refs[0] == i && !pl_rule_holds(r, scratch))
      return false;
  }
  for (uint32_t p = 0; w->zone && p < s->nparties; p++)
    for (uint32_t k = 0; k < s->actors[p].nred_lines; k++) {
      const pl_rule *r = &s->actors[p].red_lines[k];
      if (r->nrefs == 1 && r->refs[0] == i && !pl_rule_holds(r, scratch))
        return false;
    }
  return true;
}

static double term(const sweep *w, uint32_t a, uint32_t i, uint32_t v) {
  return w->s->term[a][w->s->offset[i] + v];
}

static bool prepare(sweep *w) {
  const pl_scenario *s = w->s;
  w->best_rest = calloc((size_t)(w->n + 1) * w->k, sizeof *w->best_rest);
  if (!w->best_rest)
    return false;
  double biggest = 0;
  for (uint32_t a = 0; a < w->k; a++) {
    double room = 0;
    for (uint32_t i = w->n; i-- > 0;) {
      double best = -DBL_MAX, big = 0;
      for (uint32_t v = 0; v < s->issues[i].nvalues; v++) {
        best = fmax(best, term(w, a, i, v));
        big = fmax(big, fabs(term(w, a, i, v)));
      }
      w->best_rest[i * w->k + a] = w->best_rest[(i + 1) * w->k + a] + best;
      room += big;
    }
    if (a < w->np)
      w->room[a] = room;
    biggest = fmax(biggest, room + fabs(s->actors[a].threshold));
    /* The largest sum the enumeration can form, in its own order. */
    double top = 0;
    for (uint32_t i = 0; i < w->n; i++) {
      double best = -DBL_MAX;
      for (uint32_t v = 0; v < s->issues[i].nvalues; v++)
        best = fmax(best, term(w, a, i, v));
      top += best;
    }
    w->caps[a] = s->actors[a].capped && top > 1.0;
  }
  w->tol = 10.0 * (w->n + 2) * biggest * DBL_EPSILON;
  return true;
}

/* A start after `done` issues can still meet every threshold. */
static bool can_reach(const sweep *w, const double *u, uint32_t done) {
  if (!w->zone)
    return true;
  for (uint32_t a = 0; a < w->k; a++) {
    double t = w->s->actors[a].threshold - PL_EPS;
    if (done == w->n ? u[a] < t
                     : u[a] + w->best_rest[done * w->k + a] + w->tol < t)
      return false;
  }
  return true;
}

/* Whether p's utility for party a may still end at the cap, where being
 * better than p no longer shows. */
static bool may_cap(const sweep *w, const double *p, uint32_t a) {
  return w->caps[a] && w->done < w->n &&
         p[a] + w->best_rest[w->done * w->k + a] + w->tol >= 1.0;
}

/* q beats p for good: at least as good for every objective, and better
 * for some party by more than rounding can close (w->gap: each addition
 * still to come may close a unit in the last place) and the cap cannot. */
static bool beats(const sweep *w, const double *q, const double *p) {
  bool clear = false;
  for (uint32_t a = 0; a < w->k; a++) {
    if (q[a] < p[a])
      return false;
    if (a < w->np && q[a] - p[a] > w->gap[a] && !may_cap(w, p, a))
      clear = true;
  }
  return clear;
}

typedef struct order_ctx {
  const double *u;
  const double *key;
  uint32_t k;
} order_ctx;

/* Larger party sum first, then lexicographically larger: whatever beats a
 * start comes before it. */
static int before(const void *ctx, size_t x, size_t y) {
  const order_ctx *c = ctx;
  if (c->key[x] != c->key[y])
    return c->key[x] > c->key[y] ? -1 : 1;
  const double *ux = c->u + x * c->k, *uy = c->u + y * c->k;
  for (uint32_t a = 0; a < c->k; a++)
    if (ux[a] != uy[a])
      return ux[a] > uy[a] ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* Replaces the starts by the kept candidates. */
static bool take(sweep *w, const double *cu, const uint64_t *ci,
                 const size_t *kept, size_t nk) {
  uint32_t k = w->k;
  double *u = malloc((nk ? nk : 1) * k * sizeof *u);
  uint64_t *index = malloc((nk ? nk : 1) * sizeof *index);
  if (!u || !index) {
    free(u);
    free(index);
    return false;
  }
  for (size_t r = 0; r < nk; r++) {
    memcpy(u + r * k, cu + kept[r] * k, k * sizeof *u);
    index[r] = ci[kept[r]];
  }
  free(w->u);
  free(w->index);
  w->u = u;
  w->index = index;
  w->n_cur = nk;
  return true;
}

/* Four objectives or more: the cut asks a dominance index of the kept
 * candidates (ndindex.h) instead of comparing with each of them. */
enum { SWEEP_INDEX_K = 4 };

/* Whether a kept candidate of the index beats p (beats(), asked of the
 * index with the same gaps: exactly the same answer); *last becomes its
 * place in the kept ones. */
static bool beaten_by_index(sweep *w, const pl_ndindex *nd, const double *p,
                            size_t *last) {
  double gap[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  bool counts[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  for (uint32_t a = 0; a < w->k; a++) {
    counts[a] = a < w->np && !may_cap(w, p, a);
    gap[a] = a < w->np ? w->gap[a] : 0;
  }
  pl_ndquery q = {p, gap, counts};
  return pl_ndindex_find(nd, &q, last, &w->work);
}

/* Keeps the candidates that no other beats; they become the starts. */
static bool keep_unbeaten(sweep *w, const double *cu, const uint64_t *ci,
                          size_t nc) {
  uint32_t k = w->k;
  double *key = malloc((nc ? nc : 1) * sizeof *key);
  size_t *perm = malloc((nc ? nc : 1) * sizeof *perm);
  size_t *tmp = malloc((nc ? nc : 1) * sizeof *tmp);
  size_t *kept = malloc((nc ? nc : 1) * sizeof *kept);
  size_t *rep = malloc((nc ? nc : 1) * sizeof *rep);
  bool ok = key && perm && tmp && kept && rep;
  size_t nk = 0;
  if (ok) {
    for (size_t c = 0; c < nc; c++) {
      double x = 0;
      for (uint32_t p = 0; p < w->np; p++)
        x += cu[c * k + p];
      key[c] = x;
      perm[c] = c;
    }
    order_ctx oc = {cu, key, k};
    pl_sort_perm(perm, tmp, nc, before, &oc);
    /* Equal vectors are adjacent in that order and share a verdict (what
     * beats one beats the other), so each is judged once, against one
     * kept candidate per distinct vector (rep): ties, which GENIUS
     * domains have by the hundred thousand, cost no comparisons. */
    size_t last = 0, nrep = 0; /* last: place in rep of the last beater */
    bool beaten = false;
    pl_ndindex nd;
    pl_ndindex_init(&nd, k);
    for (size_t r = 0; r < nc && w->work <= w->max_work && ok; r++) {
      const double *p = cu + perm[r] * k;
      if (r == 0 || memcmp(p, cu + perm[r - 1] * k, k * sizeof *p) != 0) {
        beaten = nrep > 0 && beats(w, cu + rep[last] * k, p);
        if (k >= SWEEP_INDEX_K && !beaten) {
          beaten = beaten_by_index(w, &nd, p, &last);
          w->work += 1;
        } else {
          size_t q = 0;
          for (; q < nrep && !beaten; q++)
            if (beats(w, cu + rep[q] * k, p)) {
              beaten = true;
              last = q;
            }
          w->work += q + 1;
        }
        if (!beaten && k >= SWEEP_INDEX_K && !pl_ndindex_add(&nd, p, nrep))
          ok = false;
        if (!beaten)
          rep[nrep++] = perm[r];
      }
      if (!beaten)
        kept[nk++] = perm[r];
    }
    pl_ndindex_free(&nd);
  }
  ok = ok && take(w, cu, ci, kept, nk);
  free(key);
  free(perm);
  free(tmp);
  free(kept);
  free(rep);
  return ok;
}

/* Two objectives: in order of the first, descending, p is beaten by an
 * earlier q when q1 > p1 by a clear gap, or when q1 >= p1 and q0 > p0 by
 * a clear gap: the earlier ones with q0 clearly above p0 form a prefix of
 * the order, so prefix maxima of the second objective answer both in
 * O(log n). Whatever beats p also beats what p beats (the gaps only
 * grow), so comparing with every candidate, kept or not, is the same. */
static bool keep_unbeaten2(sweep *w, const double *cu, const uint64_t *ci,
                           size_t nc) {
  size_t *perm = malloc((nc ? nc : 1) * sizeof *perm);
  size_t *tmp = malloc((nc ? nc : 1) * sizeof *tmp);
  double *key = malloc((nc ? nc : 1) * sizeof *key);
  double *pmax = malloc((nc ? nc : 1) * sizeof *pmax);
  size_t *kept = malloc((nc ? nc : 1) * sizeof *kept);
  bool ok = perm && tmp && key && pmax && kept;
  size_t nk = 0;
  if (ok) {
    for (size_t c = 0; c < nc; c++) {
      perm[c] = c;
      key[c] = cu[c * 2]; /* order by u0, then u1, descending */
    }
    order_ctx oc = {cu, key, 2};
    pl_sort_perm(perm, tmp, nc, before, &oc);
    for (size_t r = 0; r < nc; r++) {
      double u1 = cu[perm[r] * 2 + 1];
      pmax[r] = r == 0 || u1 > pmax[r - 1] ? u1 : pmax[r - 1];
    }
    double d0 = w->gap[0], d1 = w->gap[1];
    for (size_t r = 0; r < nc; r++) {
      const double *p = cu + perm[r] * 2;
      double p0 = p[0], p1 = p[1];
      bool beaten = r > 0 && pmax[r - 1] - p1 > d1 && !may_cap(w, p, 1);
      /* earlier ones with u0 - p0 > d0: a prefix [0, lo) */
      size_t lo = 0, hi = r;
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cu[perm[mid] * 2] - p0 > d0)
          lo = mid + 1;
        else
          hi = mid;
      }
      beaten |= lo > 0 && pmax[lo - 1] >= p1 && !may_cap(w, p, 0);
      if (!beaten)
        kept[nk++] = perm[r];
    }
    ok = take(w, cu, ci, kept, nk);
  }
  free(perm);
  free(tmp);
  free(key);
  free(pmax);
  free(kept);
  return ok;
}

/* Extends every start by each allowed value of issue i. */
static pl_sweep_status step(sweep *w, uint32_t i) {
  const pl_scenario *s = w->s;
  uint32_t k = w->k, nv = s->issues[i].nvalues;
  w->whole = i;
  w->whole_starts = w->n_cur;
  w->done = i + 1;
  for (uint32_t p = 0; p < w->np; p++)
    w->gap[p] = (w->n - i + 2) * w->room[p] * 0x1p-51;
  uint32_t scratch[PL_MAX_ISSUES] = {0};
  size_t cap = w->n_cur * nv;
  if (cap > w->max_points * 8)
    return PL_SWEEP_TOO_LARGE;
  /* With three objectives or more the cut compares candidates with the
   * starts kept, about 0.15 * candidates * starts comparisons (measured on
   * generated scenarios): when that would overrun the budget, give up now
   * rather than after seconds of work. */
  if (!(w->k == 2 && w->np == 2) && w->k < SWEEP_INDEX_K &&
      0.15 * (double)cap * (double)w->n_cur > (double)(w->max_work - w->work))
    return PL_SWEEP_TOO_SLOW;
  /* With the index, each candidate costs a query of at least a few nodes
   * per tree (log2 of the starts): the same early refusal. */
  if (w->k >= SWEEP_INDEX_K && (double)cap * log2((double)w->n_cur + 2) >
                                   (double)(w->max_work - w->work))
    return PL_SWEEP_TOO_SLOW;
  double *cu = malloc((cap ? cap : 1) * k * sizeof *cu);
  uint64_t *ci = malloc((cap ? cap : 1) * sizeof *ci);
  if (!cu || !ci) {
    free(cu);
    free(ci);
    return PL_SWEEP_NOMEM;
  }
  size_t nc = 0;
  for (uint32_t v = 0; v < nv; v++) {
    if (!value_allowed(w, i, v, scratch))
      continue;
    for (size_t x = 0; x < w->n_cur; x++) {
      double *y = cu + nc * k;
      for (uint32_t a = 0; a < k; a++) {
        y[a] = w->u[x * k + a] + term(w, a, i, v);
        if (w->caps[a] && w->done == w->n && y[a] > 1.0)
          y[a] = 1.0;
      }
      if (!can_reach(w, y, i + 1))
        continue;
      ci[nc++] = w->index[x] * nv + v;
    }
  }
  bool ok =
      w->k == 2 ? keep_unbeaten2(w, cu, ci, nc) : keep_unbeaten(w, cu, ci, nc);
  free(cu);
  free(ci);
  if (!ok)
    return PL_SWEEP_NOMEM;
  if (w->work > w->max_work)
    return PL_SWEEP_TOO_SLOW;
  if (w->n_cur > w->peak)
    w->peak = w->n_cur;
  return w->n_cur > w->max_points ? PL_SWEEP_TOO_LARGE : PL_SWEEP_OK;
}

pl_sweep_status pl_sweep_frontier(const pl_scenario *s, bool zone,
                                  size_t max_points, pl_archive *out,
                                  pl_sweep_info *info) {
  return pl_sweep_frontier_within(s, zone, max_points, UINT64_MAX, out, info);
}

pl_sweep_status pl_sweep_frontier_within(const pl_scenario *s, bool zone,
                                         size_t max_points, uint64_t max_work,
                                         pl_archive *out, pl_sweep_info *info) {
  uint32_t k = zone ? pl_num_actors(s) : s->nparties;
  uint64_t limit = k >= SWEEP_INDEX_K ? INDEX_WORK_LIMIT : WORK_LIMIT;
  sweep w = {.s = s,
             .zone = zone,
             .n = s->nissues,
             .np = s->nparties,
             .k = k,
             .max_points = max_points,
             .max_work = max_work < limit ? max_work : limit};
  pl_archive_init(out, s->nparties);
  pl_sweep_status st = PL_SWEEP_NOMEM;
  w.u = calloc(w.k ? w.k : 1, sizeof *w.u); /* the empty start: all zero */
  w.index = calloc(1, sizeof *w.index);
  if (w.u && w.index && prepare(&w)) {
    w.n_cur = 1;
    st = PL_SWEEP_OK;
    for (uint32_t i = 0; i < w.n && st == PL_SWEEP_OK; i++)
      st = step(&w, i);
  }
  if (st == PL_SWEEP_OK) {
    for (size_t x = 0; x < w.n_cur; x++)
      pl_archive_add(out, w.index[x], w.u + x * w.k);
    pl_archive_finish(out);
    if (out->failed)
      st = PL_SWEEP_NOMEM;
  }
  info->peak = w.peak;
  info->work = w.work;
  info->bound = (double)w.whole_starts;
  for (uint32_t i = w.whole; i < w.n; i++)
    info->bound *= s->issues[i].nvalues;
  free(w.best_rest);
  free(w.u);
  free(w.index);
  return st;
}
