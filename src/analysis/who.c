/* who.c - who holds the deal up (docs/analysis.md, section 7.5).
 *
 * Parking makes every actor content by construction, so "who" is asked of
 * real values: for each blocking set S and each combination x_S of its
 * values, the best completion of the other issues (the largest smallest
 * margin over the outcomes that meet every constraint and red line, as in
 * the concession search) and the actors still short of their threshold
 * there. Each completion is one branch and bound of margin.c with the
 * set's issues fixed, so it is exact with and without enumeration.
 *
 * Beside it, per actor, the values that are out of its reach: even with
 * every other issue settled its way, its utility stays below its threshold.
 */
#include "analysis/analysis.h"
#include "analysis/design.h"
#include "analysis/margin.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

/* Nodes each completion's search may visit. */
#define WHO_MAX_NODES 5000000ULL

/* One entry per combination of the set's values. */
static bool alloc_entries(const pl_scenario *s, const pl_block *b, pl_who *w) {
  size_t n = 1;
  for (uint32_t j = 0; j < b->nissues; j++)
    n *= s->issues[b->issues[j]].nvalues;
  w->e = calloc(n, sizeof *w->e);
  if (!w->e)
    return false;
  w->n = n;
  return true;
}

static bool who_of_block(const pl_analysis *a, const pl_block *b, pl_who *w) {
  const pl_scenario *s = a->s;
  if (!alloc_entries(s, b, w))
    return false;
  size_t n = w->n;
  uint32_t fixed[PL_MAX_ISSUES];
  for (uint32_t i = 0; i < s->nissues; i++)
    fixed[i] = PL_MARGIN_FREE;
  for (size_t k = 0; k < n; k++) {
    pl_who_entry *e = &w->e[k];
    size_t rest = k; /* the last issue of the set varies fastest */
    for (uint32_t j = b->nissues; j-- > 0;) {
      uint32_t nv = s->issues[b->issues[j]].nvalues;
      e->values[j] = (uint32_t)(rest % nv);
      rest /= nv;
      fixed[b->issues[j]] = e->values[j];
    }
    pl_margin_query q = {
        .zone = false, .max_nodes = WHO_MAX_NODES, .fixed = fixed};
    pl_margin_result m;
    if (!pl_bnb_margin(s, &q, &m))
      return false;
    e->complete = m.complete;
    e->found = m.found;
    e->index = m.index;
    e->margin = m.margin;
  }
  return true;
}

/* Small spaces: one pass over every outcome serves every blocking set at
 * once (the outcome's margin, kept for its set's combination when it is
 * larger; index order keeps the smallest index among ties, as the search
 * does). Cheaper than one search per combination below this size. */
#define WHO_SCAN_MAX 4000000ULL

static size_t combination(const pl_scenario *s, const pl_block *b,
                          const uint32_t *v) {
  size_t c = 0;
  for (uint32_t j = 0; j < b->nissues; j++)
    c = c * s->issues[b->issues[j]].nvalues + v[b->issues[j]];
  return c;
}

/* Keeps the outcome's margin for its combination of each set's values. */
static void note_margin(const pl_analysis *a, pl_design *d, const uint32_t *v,
                        uint64_t idx, double margin) {
  for (size_t k = 0; k < d->nwho; k++) {
    pl_who_entry *e = &d->who[k].e[combination(a->s, &a->blocks[k], v)];
    if (!e->found || margin > e->margin) {
      e->found = true;
      e->margin = margin;
      e->index = idx;
    }
  }
}

/* The same from the blocking stage's table: the rules hold where no
 * entry is -DBL_MAX (a party's entry is where the constraints or its red
 * lines fail, a ratifier's where the constraints do), and the entries are
 * pl_actor_utility's values. */
static void who_from_table(const pl_analysis *a, pl_design *d) {
  const pl_scenario *s = a->s;
  uint32_t na = pl_num_actors(s), v[PL_MAX_ISSUES] = {0};
  for (uint64_t idx = 0; idx < a->outcomes; idx++) {
    if (idx > 0) /* odometer: the last issue varies fastest */
      for (uint32_t i = s->nissues; i-- > 0 && ++v[i] == s->issues[i].nvalues;)
        v[i] = 0;
    const double *u = d->signable + idx * na;
    double margin = DBL_MAX;
    bool holds = true;
    for (uint32_t x = 0; x < na; x++) {
      double g = u[x] - s->actors[x].threshold;
      margin = g < margin ? g : margin;
      holds &= u[x] > -DBL_MAX;
    }
    if (holds)
      note_margin(a, d, v, idx, margin);
  }
}

static bool who_scan(const pl_analysis *a, pl_design *d) {
  const pl_scenario *s = a->s;
  if (d->signable) {
    who_from_table(a, d);
    return true;
  }
  uint32_t na = pl_num_actors(s), n = s->nissues, v[PL_MAX_ISSUES] = {0};
  double *prefix = malloc(((size_t)na * n + 1) * sizeof *prefix);
  if (!prefix)
    return false;
  pl_prefix_sums(s, na, 0, v, prefix);
  for (uint64_t idx = 0; idx < a->outcomes; idx++) {
    if (idx > 0) { /* odometer: the last issue varies fastest */
      uint32_t i = n;
      while (i-- > 0 && ++v[i] == s->issues[i].nvalues)
        v[i] = 0;
      pl_prefix_sums(s, na, i, v, prefix);
    }
    if (!pl_all_rules_hold(s, v))
      continue;
    double margin = DBL_MAX;
    for (uint32_t x = 0; x < na; x++) {
      double u = prefix[(size_t)x * n + n - 1]; /* pl_actor_utility's */
      if (s->nonadditive)
        u = pl_actor_finish(&s->actors[x], u, v);
      double g = u - s->actors[x].threshold;
      margin = g < margin ? g : margin;
    }
    note_margin(a, d, v, idx, margin);
  }
  free(prefix);
  return true;
}

static bool who_entries(const pl_analysis *a, const pl_block *b, pl_who *w) {
  const pl_scenario *s = a->s;
  if (!alloc_entries(s, b, w))
    return false;
  size_t n = w->n;
  for (size_t k = 0; k < n; k++) {
    size_t rest = k;
    for (uint32_t j = b->nissues; j-- > 0;) {
      uint32_t nv = s->issues[b->issues[j]].nvalues;
      w->e[k].values[j] = (uint32_t)(rest % nv);
      rest /= nv;
    }
    w->e[k].complete = true;
  }
  return true;
}

bool pl_who_blocks(pl_analysis *a, pl_design *d) {
  if (a->nblocks == 0)
    return true;
  d->who = calloc(a->nblocks, sizeof *d->who);
  if (!d->who)
    return false;
  d->nwho = a->nblocks;
  bool scan = a->enumerated && a->outcomes <= WHO_SCAN_MAX;
  for (size_t k = 0; k < a->nblocks; k++) {
    /* By search, pairs are left out: there may be dozens of them with
     * hundreds of combinations each (docs/analysis.md, 7.5). */
    if (!scan && a->blocks[k].nissues > 1)
      continue;
    if (!(scan ? who_entries(a, &a->blocks[k], &d->who[k])
               : who_of_block(a, &a->blocks[k], &d->who[k])))
      return false;
  }
  return !scan || who_scan(a, d);
}

/* Per actor and value: out of reach when the actor's best utility with
 * that value (every other issue at its best term, sums in issue order,
 * cap applied) is below its threshold. Rules are ignored, so this is what
 * the actor's own preferences rule out, whatever the others do. */
static bool out_of_reach(pl_analysis *a, pl_design *d) {
  const pl_scenario *s = a->s;
  uint32_t na = pl_num_actors(s);
  if (s->has_boxes)
    return true; /* boxes span issues: the best per issue is no bound */
  d->out_of_reach = calloc((size_t)na * s->total_values, 1);
  if (!d->out_of_reach)
    return false;
  d->reach_known = true;
  for (uint32_t x = 0; x < na; x++) {
    const double *t = s->term[x];
    double best[PL_MAX_ISSUES];
    for (uint32_t i = 0; i < s->nissues; i++) {
      best[i] = -DBL_MAX;
      for (uint32_t v = 0; v < s->issues[i].nvalues; v++)
        if (t[s->offset[i] + v] > best[i])
          best[i] = t[s->offset[i] + v];
    }
    for (uint32_t i = 0; i < s->nissues; i++)
      for (uint32_t v = 0; v < s->issues[i].nvalues; v++) {
        double u = 0;
        for (uint32_t j = 0; j < s->nissues; j++)
          u += j == i ? t[s->offset[i] + v] : best[j];
        if (s->actors[x].capped && u > 1.0)
          u = 1.0;
        d->out_of_reach[(size_t)x * s->total_values + s->offset[i] + v] =
            u < s->actors[x].threshold - PL_EPS;
      }
  }
  return true;
}

void pl_design_free(pl_design *d) {
  if (!d)
    return;
  for (size_t k = 0; k < d->nwho; k++)
    free(d->who[k].e);
  free(d->who);
  free(d->out_of_reach);
  free(d->extra);
  free(d->repair);
  free(d->links);
  free(d->moves);
  free(d->agenda);
  free(d->signable);
  free(d);
}

/* Repairs: every proposal, then every --package. */
static bool repairs(pl_analysis *a, pl_design *d) {
  const pl_scenario *s = a->s;
  size_t n = s->nproposals + d->nextra;
  if (n == 0)
    return true;
  d->repair = calloc(n, sizeof *d->repair);
  if (!d->repair)
    return false;
  for (size_t k = 0; k < n; k++) {
    const uint32_t *from = k < s->nproposals
                               ? s->proposals[k].values
                               : d->extra + (k - s->nproposals) * s->nissues;
    int32_t by = -1;
    if (k < s->nproposals && s->proposals[k].by)
      by = pl_find_actor(s, s->proposals[k].by);
    if (!pl_repair_package(a, from, by, 50000000ULL, &d->repair[k]))
      return false;
  }
  return true;
}

bool pl_design_compute(pl_analysis *a) {
  pl_design *d = a->design;
  if (!d) {
    d = a->design = calloc(1, sizeof *d);
    if (!d)
      return false;
  }
  bool ok = out_of_reach(a, d) && pl_who_blocks(a, d);
  free(d->signable);
  d->signable = NULL;
  return ok && repairs(a, d) && pl_linkages(a, d) && pl_agenda_compute(a, d);
}
