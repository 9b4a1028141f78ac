/* blocking.c - what holds the deal up: parking issues
 * (shared/reference/blocking-issues.md).
 *
 * Parking a set S lets each actor assume the issues in S are settled its own
 * way, within the rules. When no rule mentions an issue of S, an actor's best
 * completion is simply its best value on each parked issue, so parking is
 * the ordinary scan with those issues collapsed to that value (fast path).
 * Otherwise every completion is tried and checked against the rules (slow
 * path). Both sum utilities in issue order, as the definition requires.
 */
#include "analysis/analysis.h"
#include "analysis/design.h"
#include "analysis/margin.h"
#include "analysis/scan.h"
#include "util/bigmem.h"
#include "util/parallel.h"

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parking work allowed for the pair search, in outcomes visited. */
#define PAIR_BUDGET 2000000000.0

typedef struct park_result {
  uint64_t count; /* partial packages in Z^S */
  double slack;   /* valid when count > 0 */
} park_result;

static void parked_radix(const pl_scenario *s, const bool *parked,
                         uint32_t *radix) {
  for (uint32_t i = 0; i < s->nissues; i++)
    radix[i] = parked[i] ? 1 : s->issues[i].nvalues;
}

/* Fast path: collapse each parked issue to each actor's best value. */
static bool park_fast(const pl_analysis *a, const bool *parked,
                      park_result *out) {
  const pl_scenario *s = a->s;
  uint32_t na = pl_num_actors(s);
  uint32_t radix[PL_MAX_ISSUES];
  parked_radix(s, parked, radix);
  double **term = calloc(na, sizeof *term);
  bool ok = term != NULL;
  for (uint32_t x = 0; ok && x < na; x++) {
    term[x] = malloc(s->total_values * sizeof **term);
    ok = term[x] != NULL;
    if (!ok)
      break;
    memcpy(term[x], s->term[x], s->total_values * sizeof **term);
    for (uint32_t i = 0; i < s->nissues; i++) {
      if (!parked[i])
        continue;
      double best = -DBL_MAX;
      for (uint32_t v = 0; v < s->issues[i].nvalues; v++)
        if (term[x][s->offset[i] + v] > best)
          best = term[x][s->offset[i] + v];
      term[x][s->offset[i]] = best;
    }
  }
  scan_result r;
  if (ok) {
    scan_spec spec = {.s = s,
                      .radix = radix,
                      .term = (const double *const *)term,
                      .what = 0,
                      .threads = a->threads};
    ok = pl_scan(&spec, &r);
    out->count = r.zone;
    out->slack = r.best_margin;
    pl_scan_result_free(&r);
  }
  for (uint32_t x = 0; term && x < na; x++)
    free(term[x]);
  free(term);
  return ok;
}

/* Slow path: each actor's best completion among those the rules allow. */
typedef struct slow_worker {
  uint32_t *v;
  double *best;
  uint64_t count;
  double slack;
} slow_worker;

typedef struct slow_ctx {
  const pl_scenario *s;
  const uint32_t *radix;
  uint32_t parked[PL_MAX_ISSUES], nparked;
  slow_worker *w;
} slow_ctx;

void pl_best_completions(const pl_scenario *s, const uint32_t *parked,
                         uint32_t nparked, uint32_t *v, double *best) {
  uint64_t completions = 1;
  for (uint32_t j = 0; j < nparked; j++)
    completions *= s->issues[parked[j]].nvalues;
  uint32_t na = pl_num_actors(s);
  for (uint32_t x = 0; x < na; x++)
    best[x] = -DBL_MAX;
  for (uint64_t k = 0; k < completions; k++) {
    uint64_t rest = k;
    for (uint32_t j = nparked; j-- > 0;) {
      uint32_t i = parked[j];
      v[i] = (uint32_t)(rest % s->issues[i].nvalues);
      rest /= s->issues[i].nvalues;
    }
    if (!pl_rules_hold(s, -1, v))
      continue;
    for (uint32_t x = 0; x < na; x++) {
      if (x < s->nparties && !pl_rules_hold(s, (int32_t)x, v))
        continue;
      double u = pl_actor_utility(s, x, v);
      if (u > best[x])
        best[x] = u;
    }
  }
}

/* Counts a partial package whose best completions are w->best. With
 * `ruled`, the slack is the largest margin over every partial package
 * whose rules hold (no best is -DBL_MAX), in the zone or not, as the scan
 * of park_fast finds it; otherwise over those in the zone. */
static void note_best_as(const pl_scenario *s, slow_worker *w, bool ruled) {
  double margin = DBL_MAX;
  bool meets = true, holds = true;
  for (uint32_t x = 0; x < pl_num_actors(s); x++) {
    double t = s->actors[x].threshold;
    margin = w->best[x] - t < margin ? w->best[x] - t : margin;
    meets &= w->best[x] >= t - PL_EPS;
    holds &= w->best[x] > -DBL_MAX;
  }
  w->count += meets;
  if ((ruled ? holds : meets) && margin > w->slack)
    w->slack = margin;
}

static void note_best(const pl_scenario *s, slow_worker *w) {
  note_best_as(s, w, false);
}

static void slow_chunk(void *vctx, unsigned wid, uint64_t begin, uint64_t end) {
  slow_ctx *c = vctx;
  slow_worker *w = &c->w[wid];
  const pl_scenario *s = c->s;
  for (uint64_t idx = begin; idx < end; idx++) {
    uint64_t rest = idx;
    for (uint32_t i = s->nissues; i-- > 0;) {
      w->v[i] = (uint32_t)(rest % c->radix[i]);
      rest /= c->radix[i];
    }
    pl_best_completions(s, c->parked, c->nparked, w->v, w->best);
    note_best(s, w);
  }
}

/* ---- Small spaces: the signable table ------------------------------------
 *
 * The slow path evaluates the rules and the utilities of every completion
 * of every partial package, once per parked set: every outcome of the
 * space, for each of up to a few dozen sets. Below SIGNABLE_MAX_BYTES they
 * are evaluated once instead: per outcome and actor, the actor's utility
 * where it may sign the outcome (the constraints and, for a party, its red
 * lines hold), -DBL_MAX where not. A parked set's best completion is then
 * the largest entry over its completions, taken in the order
 * pl_best_completions tries them, so every number is the same to the bit
 * (an entry of -DBL_MAX never raises a best that starts at -DBL_MAX, just
 * as a completion the rules exclude is skipped).
 *
 * The table is read in runs: the issues after the last parked one vary
 * fastest, so for fixed values of the others their entries are contiguous
 * and a run of partial packages takes its maxima from one contiguous run
 * per completion. Nothing but the table is allocated: on a machine where
 * every fresh page costs microseconds (a virtual machine), the table's own
 * pages are most of the cost of a small space (issue 13, item 7). */
#define SIGNABLE_MAX_BYTES (64u << 20)
/* Entries of partial packages whose maxima are taken at once (on the
 * stack); more actors than that go by the slow path. */
#define RUN_CELLS 512

typedef struct signable {
  bool tried;
  double *u;      /* u[outcome * actors + actor] */
  double *prefix; /* per worker, actor and issue: signable_chunk's sums */
  uint64_t stride[PL_MAX_ISSUES]; /* entries per unit of each issue */
} signable;

/* Whether party x's red lines hold (the constraints are checked apart). */
static bool red_lines_hold(const pl_scenario *s, uint32_t x,
                           const uint32_t *v) {
  const pl_actor *a = &s->actors[x];
  for (uint32_t k = 0; k < a->nred_lines; k++)
    if (!pl_rule_holds(&a->red_lines[k], v))
      return false;
  return true;
}

void pl_prefix_sums(const pl_scenario *s, uint32_t na, uint32_t from,
                    const uint32_t *v, double *prefix) {
  uint32_t n = s->nissues;
  for (uint32_t x = 0; x < na; x++) {
    const double *t = s->term[x];
    double *p = prefix + (size_t)x * n;
    double u = from ? p[from - 1] : 0;
    for (uint32_t i = from; i < n; i++) {
      u += t[s->offset[i] + v[i]];
      p[i] = u;
    }
  }
}

static void signable_chunk(void *vctx, unsigned wid, uint64_t begin,
                           uint64_t end) {
  signable *t = ((void **)vctx)[0];
  const pl_scenario *s = ((void **)vctx)[1];
  uint32_t na = pl_num_actors(s), n = s->nissues, v[PL_MAX_ISSUES];
  double *prefix = t->prefix + (size_t)wid * na * n;
  pl_index_to_values(s, begin, v);
  pl_prefix_sums(s, na, 0, v, prefix);
  for (uint64_t idx = begin; idx < end; idx++) {
    if (idx > begin) { /* odometer: the last issue varies fastest */
      uint32_t i = n;
      while (i-- > 0 && ++v[i] == s->issues[i].nvalues)
        v[i] = 0;
      pl_prefix_sums(s, na, i, v, prefix);
    }
    bool feasible = pl_rules_hold(s, -1, v);
    double *u = t->u + idx * na;
    for (uint32_t x = 0; x < na; x++) {
      double sum = prefix[(size_t)x * n + n - 1];
      bool signs = feasible && (x >= s->nparties || red_lines_hold(s, x, v));
      u[x] = !signs           ? -DBL_MAX
             : s->nonadditive ? pl_actor_finish(&s->actors[x], sum, v)
                              : sum;
    }
  }
}

static void signable_free(signable *t) {
  free(t->u);
  free(t->prefix);
  t->u = t->prefix = NULL;
}

/* The table, built on first use; false when the space is too large for it
 * (or memory is short): the slow path then does the work. */
static bool signable_ready(const pl_analysis *a, signable *t) {
  const pl_scenario *s = a->s;
  uint32_t na = pl_num_actors(s);
  if (t->tried)
    return t->u != NULL;
  t->tried = true;
  if (s->nissues == 0 || na == 0 || na > RUN_CELLS ||
      a->outcomes > SIGNABLE_MAX_BYTES / sizeof(double) / na)
    return false;
  t->u = malloc(a->outcomes * na * sizeof *t->u);
  pl_prefault(t->u, a->outcomes * na * sizeof *t->u); /* written in full */
  t->prefix = malloc((size_t)a->threads * na * s->nissues * sizeof *t->prefix);
  if (!t->u || !t->prefix) {
    signable_free(t);
    return false;
  }
  uint64_t stride = na;
  for (uint32_t i = s->nissues; i-- > 0;) {
    t->stride[i] = stride;
    stride *= s->issues[i].nvalues;
  }
  void *ctx[2] = {t, (void *)s};
  pl_parallel_for(a->threads, a->outcomes, signable_chunk, ctx);
  return true;
}

/* The next values of `issues` (n of them) in odometer order, the last
 * fastest, with *at moved by their strides; false after the last. */
static bool next_values(const pl_scenario *s, const signable *t,
                        const uint32_t *issues, uint32_t n, uint32_t *v,
                        uint64_t *at) {
  for (uint32_t k = n; k-- > 0;) {
    uint32_t i = issues[k];
    *at += t->stride[i];
    if (++v[k] < s->issues[i].nvalues)
      return true;
    *at -= v[k] * t->stride[i];
    v[k] = 0;
  }
  return false;
}

/* Parks the sorted `parked` issues (n of them) with the table. The issues
 * before the last parked one and not parked (`outer`) take every value in
 * odometer order; for each, the run of entries of the issues after it is
 * contiguous for every completion. `ruled`: the slack as park_fast finds
 * it (note_best_as). */
static park_result park_by_table(const pl_analysis *a, const signable *t,
                                 const uint32_t *parked, uint32_t n,
                                 bool ruled) {
  const pl_scenario *s = a->s;
  uint32_t na = pl_num_actors(s), last = parked[n - 1];
  uint32_t outer[PL_MAX_ISSUES], nouter = 0, ov[PL_MAX_ISSUES] = {0};
  for (uint32_t i = 0, k = 0; i < last; i++) {
    if (k < n && parked[k] == i)
      k++;
    else
      outer[nouter++] = i;
  }
  uint64_t run = t->stride[last]; /* the issues after the last parked */
  slow_worker w = {.slack = -DBL_MAX};
  double best[RUN_CELLS];
  uint64_t chunk = RUN_CELLS / na * na, base = 0;
  do {
    for (uint64_t from = 0; from < run; from += chunk) {
      uint64_t len = run - from < chunk ? run - from : chunk;
      for (uint64_t k = 0; k < len; k++)
        best[k] = -DBL_MAX;
      uint32_t cv[PL_MAX_ISSUES] = {0};
      uint64_t at = base + from;
      do {
        const double *u = t->u + at;
        for (uint64_t k = 0; k < len; k++)
          best[k] = u[k] > best[k] ? u[k] : best[k];
      } while (next_values(s, t, parked, n, cv, &at));
      for (uint64_t k = 0; k < len; k += na) {
        w.best = best + k;
        note_best_as(s, &w, ruled);
      }
    }
  } while (next_values(s, t, outer, nouter, ov, &base));
  return (park_result){.count = w.count, .slack = w.slack};
}

static bool park_slow(const pl_analysis *a, const bool *parked,
                      park_result *out) {
  const pl_scenario *s = a->s;
  uint32_t radix[PL_MAX_ISSUES];
  parked_radix(s, parked, radix);
  slow_ctx c = {.s = s, .radix = radix};
  uint64_t total = 1;
  for (uint32_t i = 0; i < s->nissues; i++) {
    total *= radix[i];
    if (parked[i])
      c.parked[c.nparked++] = i;
  }
  unsigned threads = a->threads;
  c.w = calloc(threads, sizeof *c.w);
  bool ok = c.w != NULL;
  for (unsigned t = 0; ok && t < threads; t++) {
    c.w[t].v = calloc(s->nissues, sizeof *c.w[t].v);
    c.w[t].best = calloc(pl_num_actors(s), sizeof *c.w[t].best);
    c.w[t].slack = -DBL_MAX;
    ok = c.w[t].v && c.w[t].best;
  }
  if (ok)
    pl_parallel_for(threads, total, slow_chunk, &c);
  out->count = 0;
  out->slack = -DBL_MAX;
  for (unsigned t = 0; c.w && t < threads; t++) {
    out->count += c.w[t].count;
    if (c.w[t].slack > out->slack)
      out->slack = c.w[t].slack;
    free(c.w[t].v);
    free(c.w[t].best);
  }
  free(c.w);
  return ok;
}

/* Whether parking these issues needs the slow path: a rule mentions one of
 * them, or boxes span several issues, so that a parked issue's best value
 * depends on the others and only trying every completion is exact. */
static bool park_is_slow(const pl_scenario *s, const uint32_t *issues,
                         uint32_t n) {
  bool parked[PL_MAX_ISSUES] = {false};
  for (uint32_t k = 0; k < n; k++)
    parked[issues[k]] = true;
  return s->has_boxes || pl_rules_mention(s, parked);
}

/* A set no rule mentions goes by the fast path, or by the table when an
 * earlier set has built it: then each actor's best completion is the sum
 * with each parked issue at its best term, which is what the fast path
 * sums (rounding is monotone, and so is a cap), and the rules, which do
 * not mention the parked issues, hold for all completions or none. */
static bool park(const pl_analysis *a, const uint32_t *issues, uint32_t n,
                 signable *t, park_result *out) {
  bool parked[PL_MAX_ISSUES] = {false};
  for (uint32_t k = 0; k < n; k++)
    parked[issues[k]] = true;
  bool slow = park_is_slow(a->s, issues, n);
  if (!slow && !t->u)
    return park_fast(a, parked, out);
  if (!signable_ready(a, t))
    return park_slow(a, parked, out);
  *out = park_by_table(a, t, issues, n, !slow);
  return true;
}

/* Outcomes a parking of these issues visits. */
static double park_cost(const pl_analysis *a, const uint32_t *issues,
                        uint32_t n) {
  double cost = (double)a->outcomes;
  if (park_is_slow(a->s, issues, n))
    return cost;
  for (uint32_t k = 0; k < n; k++)
    cost /= a->s->issues[issues[k]].nvalues;
  return cost;
}

static bool add_block(pl_analysis *a, const uint32_t *issues, uint32_t n,
                      const park_result *r) {
  pl_block *b = realloc(a->blocks, (a->nblocks + 1) * sizeof *b);
  if (!b)
    return false;
  a->blocks = b;
  b += a->nblocks++;
  b->nissues = n;
  memcpy(b->issues, issues, n * sizeof *issues);
  b->slack = r->slack;
  b->count = r->count;
  return true;
}

/* The single issues, then the minimal pairs (neither of whose issues
 * blocks alone); t is the signable table, built on first need. */
static bool find_blocking(pl_analysis *a, signable *t) {
  const pl_scenario *s = a->s;
  bool alone[PL_MAX_ISSUES] = {false};
  for (uint32_t i = 0; i < s->nissues; i++) {
    park_result r;
    if (!park(a, &i, 1, t, &r))
      return false;
    alone[i] = r.count > 0;
    if (alone[i] && !add_block(a, &i, 1, &r))
      return false;
  }
  double cost = 0;
  for (uint32_t i = 0; i < s->nissues; i++)
    for (uint32_t j = i + 1; j < s->nissues; j++)
      if (!alone[i] && !alone[j])
        cost += park_cost(a, (uint32_t[]){i, j}, 2);
  if (cost > PAIR_BUDGET) {
    snprintf(a->blocking_note, sizeof a->blocking_note,
             "pairs not searched: parking every pair would visit %.3g "
             "outcomes (limit %.3g)",
             cost, PAIR_BUDGET);
    return true;
  }
  a->pairs_checked = true;
  for (uint32_t i = 0; i < s->nissues; i++)
    for (uint32_t j = i + 1; j < s->nissues; j++) {
      if (alone[i] || alone[j])
        continue;
      park_result r;
      uint32_t pair[2] = {i, j};
      if (!park(a, pair, 2, t, &r))
        return false;
      if (r.count > 0 && !add_block(a, pair, 2, &r))
        return false;
    }
  return true;
}

bool pl_find_blocking(pl_analysis *a) {
  signable t = {0};
  bool ok = find_blocking(a, &t);
  if (ok && t.u && a->design) { /* who blocks reads it next */
    free(a->design->signable);
    a->design->signable = t.u;
    t.u = NULL;
  }
  signable_free(&t);
  return ok;
}

/* ---- Above the cap: branch and bound on the margin --------------------- */

/* Whether parking `issues` opens the zone, by search; *r gets the slack.
 * False in *done when the search ran out of nodes. */
static bool park_search(pl_analysis *a, const uint32_t *issues, uint32_t n,
                        uint64_t max_nodes, bool *opens, park_result *r,
                        bool *done) {
  bool parked[PL_MAX_ISSUES] = {false};
  for (uint32_t k = 0; k < n; k++)
    parked[issues[k]] = true;
  pl_margin_query q = {.parked = parked, .zone = true, .max_nodes = max_nodes};
  pl_margin_result m;
  if (!pl_bnb_margin(a->s, &q, &m))
    return false;
  a->bnb_nodes += m.nodes;
  *done = m.complete;
  *opens = m.found;
  r->count = PL_NOT_COUNTED;
  r->slack = m.margin;
  return true;
}

bool pl_find_blocking_bounded(pl_analysis *a, uint64_t max_nodes) {
  const pl_scenario *s = a->s;
  bool alone[PL_MAX_ISSUES] = {false}, done = true;
  if (s->has_boxes) {
    snprintf(a->blocking_note, sizeof a->blocking_note,
             "blocking issues not searched: parking an issue of a "
             "non-linear (hyperRectangle) profile needs enumeration");
    return true;
  }
  for (uint32_t i = 0; i < s->nissues && done; i++) {
    park_result r;
    if (!park_search(a, &i, 1, max_nodes, &alone[i], &r, &done))
      return false;
    if (alone[i] && !add_block(a, &i, 1, &r))
      return false;
  }
  for (uint32_t i = 0; i < s->nissues && done; i++)
    for (uint32_t j = i + 1; j < s->nissues && done; j++) {
      if (alone[i] || alone[j])
        continue;
      park_result r;
      bool opens;
      uint32_t pair[2] = {i, j};
      if (!park_search(a, pair, 2, max_nodes, &opens, &r, &done))
        return false;
      if (opens && done && !add_block(a, pair, 2, &r))
        return false;
    }
  a->blocking_searched = done;
  a->pairs_checked = done;
  if (!done) {
    a->nblocks = 0;
    snprintf(a->blocking_note, sizeof a->blocking_note,
             "blocking issues not found: a parking search stopped after "
             "%llu nodes",
             (unsigned long long)max_nodes);
  }
  return true;
}
