/* agenda.c - agenda design: the cost of settling groups of issues apart
 * (working groups) instead of in one package (docs/analysis.md, 8.3).
 *
 * A **settlement** of a set of free issues, the others held at given
 * values: delta, the smallest uniform concession that lets some package of
 * that sub-space meet every threshold (0 when one already does; every
 * constraint and red line kept), then the Nash point of the sub-space at
 * that level: the package maximising prod_p max(0, u_p - r_p + delta) among
 * those whose smallest margin is >= -delta - eps (ties: larger sum of the
 * parties' utilities, then smaller outcome index).
 *
 * The package deal is the settlement of every issue. Settled separately,
 * each group is settled with the other issues at the reference package
 * (the first proposal, else the package deal), all at once; sequentially,
 * in the order given, each group with the earlier ones at their settled
 * values. The combined package needs its own concession; the loss is that
 * concession beyond the package deal's, and, at that level, the drop in
 * Nash product and in welfare (sum of the parties' utilities) from the
 * package deal's settlement at the same level.
 */
#include "analysis/analysis.h"
#include "analysis/design.h"
#include "util/diag.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TIE 1e-12
/* The partition search settles every group of every partition. */
#define AGENDA_MAX_ISSUES 10
#define AGENDA_MAX_OUTCOMES 20000000ULL

static double margin_of(const pl_scenario *s, const uint32_t *v) {
  double m = DBL_MAX;
  for (uint32_t a = 0; a < pl_num_actors(s); a++) {
    double g = pl_actor_utility(s, a, v) - s->actors[a].threshold;
    m = g < m ? g : m;
  }
  return m;
}

double pl_agenda_nash(const pl_scenario *s, const uint32_t *v, double delta) {
  double np = 1;
  for (uint32_t p = 0; p < s->nparties; p++)
    np *= fmax(0, pl_actor_utility(s, p, v) - s->actors[p].threshold + delta);
  return np;
}

double pl_agenda_welfare(const pl_scenario *s, const uint32_t *v) {
  double w = 0;
  for (uint32_t p = 0; p < s->nparties; p++)
    w += pl_actor_utility(s, p, v);
  return w;
}

/* Next combination of the free issues' values (odometer, last fastest);
 * false after the last. */
static bool next(const pl_scenario *s, const bool *free, uint32_t *v) {
  for (uint32_t i = s->nissues; i-- > 0;) {
    if (!free[i])
      continue;
    if (++v[i] < s->issues[i].nvalues)
      return true;
    v[i] = 0;
  }
  return false;
}

/* The Nash point at `delta` of the sub-space (free issues; the others as
 * in v). False when no package of it qualifies. */
static bool nash_at(const pl_scenario *s, const bool *free, uint32_t *v,
                    double delta, uint64_t *index) {
  uint32_t w[PL_MAX_ISSUES];
  memcpy(w, v, s->nissues * sizeof *w);
  for (uint32_t i = 0; i < s->nissues; i++)
    if (free[i])
      w[i] = 0;
  bool found = false;
  double best = 0, bsum = 0;
  do {
    if (!pl_all_rules_hold(s, w) || margin_of(s, w) < -delta - PL_EPS)
      continue;
    double np = pl_agenda_nash(s, w, delta), sum = pl_agenda_welfare(s, w);
    uint64_t idx = pl_values_to_index(s, w);
    if (!found || np > best + TIE ||
        (np >= best - TIE &&
         (sum > bsum + TIE || (sum >= bsum - TIE && idx < *index)))) {
      found = true;
      best = np;
      bsum = sum;
      *index = idx;
    }
  } while (next(s, free, w));
  return found;
}

/* The settlement of the sub-space: its concession, then its Nash point. */
static bool settle(const pl_scenario *s, const bool *free, uint32_t *v,
                   double *delta, uint64_t *index) {
  uint32_t w[PL_MAX_ISSUES];
  memcpy(w, v, s->nissues * sizeof *w);
  for (uint32_t i = 0; i < s->nissues; i++)
    if (free[i])
      w[i] = 0;
  bool any = false;
  double best = -DBL_MAX;
  do {
    if (pl_all_rules_hold(s, w)) {
      any = true;
      best = fmax(best, margin_of(s, w));
    }
  } while (next(s, free, w));
  if (!any)
    return false;
  *delta = best >= 0 ? 0 : -best;
  return nash_at(s, free, v, *delta, index);
}

/* Settles the groups apart (simultaneously from `ref`, or sequentially),
 * writes the combined package into out. False when a group has no
 * package meeting the rules. */
static bool settle_apart(const pl_scenario *s, const uint32_t *group,
                         uint32_t ngroups, const uint32_t *ref, bool sequential,
                         uint32_t *out) {
  uint32_t base[PL_MAX_ISSUES], got[PL_MAX_ISSUES];
  memcpy(base, ref, s->nissues * sizeof *base);
  memcpy(out, ref, s->nissues * sizeof *out);
  for (uint32_t g = 0; g < ngroups; g++) {
    bool free[PL_MAX_ISSUES];
    for (uint32_t i = 0; i < s->nissues; i++)
      free[i] = group[i] == g;
    double delta;
    uint64_t idx;
    if (!settle(s, free, base, &delta, &idx))
      return false;
    pl_index_to_values(s, idx, got);
    for (uint32_t i = 0; i < s->nissues; i++)
      if (free[i]) {
        out[i] = got[i];
        if (sequential)
          base[i] = got[i];
      }
  }
  return true;
}

/* One split settlement, scored against the package deal. */
static void score(const pl_scenario *s, const uint32_t *o, double deal_delta,
                  pl_agenda_result *r) {
  r->found = pl_all_rules_hold(s, o);
  r->index = pl_values_to_index(s, o);
  if (!r->found)
    return;
  double m = margin_of(s, o);
  r->delta = m >= 0 ? 0 : -m;
  r->extra_delta = r->delta - deal_delta;
  r->nash = pl_agenda_nash(s, o, r->delta);
  r->welfare = pl_agenda_welfare(s, o);
  /* The package deal at the same level. */
  bool all[PL_MAX_ISSUES];
  uint32_t v[PL_MAX_ISSUES] = {0};
  for (uint32_t i = 0; i < s->nissues; i++)
    all[i] = true;
  uint64_t idx;
  if (nash_at(s, all, v, r->delta, &idx)) {
    pl_index_to_values(s, idx, v);
    r->level_index = idx;
    r->nash_drop = pl_agenda_nash(s, v, r->delta) - r->nash;
    r->welfare_drop = pl_agenda_welfare(s, v) - r->welfare;
  }
}

/* Losses compare as: extra concession, then Nash drop, then welfare. */
static bool less_loss(const pl_agenda_result *a, const pl_agenda_result *b) {
  if (!a->found || !b->found)
    return a->found && !b->found;
  if (fabs(a->extra_delta - b->extra_delta) > TIE)
    return a->extra_delta < b->extra_delta;
  if (fabs(a->nash_drop - b->nash_drop) > TIE)
    return a->nash_drop < b->nash_drop;
  return a->welfare_drop < b->welfare_drop - TIE;
}

/* Every partition of the issues into exactly k groups, as restricted
 * growth strings (issue 0 in group 0, each next issue in a group already
 * used or the next new one), scored simultaneously from the reference;
 * branches that cannot open k groups any more are cut. */
typedef struct psearch {
  const pl_scenario *s;
  uint32_t k;
  const uint32_t *ref;
  double deal_delta;
  uint32_t g[PL_MAX_ISSUES];
  pl_agenda *ag;
} psearch;

static void partitions(psearch *q, uint32_t i, uint32_t used) {
  uint32_t n = q->s->nissues;
  if (used + (n - i) < q->k)
    return;
  if (i == n) {
    pl_agenda_result r = {0};
    uint32_t o[PL_MAX_ISSUES];
    if (settle_apart(q->s, q->g, q->k, q->ref, false, o))
      score(q->s, o, q->deal_delta, &r);
    if (q->ag->partitions++ == 0 || less_loss(&r, &q->ag->best)) {
      q->ag->best = r;
      memcpy(q->ag->best_groups, q->g, n * sizeof *q->g);
    }
    return;
  }
  for (uint32_t b = 0; b < used; b++) {
    q->g[i] = b;
    partitions(q, i + 1, used);
  }
  if (used < q->k) {
    q->g[i] = used;
    partitions(q, i + 1, used + 1);
  }
}

static void best_partition(const pl_scenario *s, uint32_t k,
                           const uint32_t *ref, double deal_delta,
                           pl_agenda *ag) {
  psearch q = {.s = s, .k = k, .ref = ref, .deal_delta = deal_delta, .ag = ag};
  if (s->nissues > 0)
    partitions(&q, 1, 1);
}

bool pl_agenda_compute(pl_analysis *a, pl_design *d) {
  const pl_scenario *s = a->s;
  pl_agenda *ag = d->agenda;
  if (!ag)
    return true;
  if (!a->enumerated || a->outcomes > AGENDA_MAX_OUTCOMES) {
    snprintf(ag->note, sizeof ag->note,
             "not computed: the agenda needs the space enumerated, at most "
             "%llu outcomes",
             (unsigned long long)AGENDA_MAX_OUTCOMES);
    return true;
  }
  bool all[PL_MAX_ISSUES];
  uint32_t v[PL_MAX_ISSUES] = {0}, ref[PL_MAX_ISSUES];
  for (uint32_t i = 0; i < s->nissues; i++)
    all[i] = true;
  ag->deal.found = settle(s, all, v, &ag->deal.delta, &ag->deal.index);
  if (!ag->deal.found) {
    snprintf(ag->note, sizeof ag->note,
             "no package meets every constraint and red line");
    return true;
  }
  pl_index_to_values(s, ag->deal.index, v);
  ag->deal.nash = pl_agenda_nash(s, v, ag->deal.delta);
  ag->deal.welfare = pl_agenda_welfare(s, v);
  if (s->nproposals)
    memcpy(ref, s->proposals[0].values, s->nissues * sizeof *ref);
  else
    memcpy(ref, v, s->nissues * sizeof *ref);
  ag->reference_is_proposal = s->nproposals > 0;
  uint32_t o[PL_MAX_ISSUES];
  if (settle_apart(s, ag->group, ag->ngroups, ref, false, o))
    score(s, o, ag->deal.delta, &ag->apart);
  if (settle_apart(s, ag->group, ag->ngroups, ref, true, o))
    score(s, o, ag->deal.delta, &ag->sequential);
  if (s->nissues <= AGENDA_MAX_ISSUES) {
    ag->searched = true;
    best_partition(s, ag->ngroups, ref, ag->deal.delta, ag);
  }
  return true;
}

/* "a,b/c/d": every issue exactly once. */
pl_status pl_agenda_parse(const pl_scenario *s, const char *text, pl_design *d,
                          pl_diag *diag) {
  pl_agenda *ag = calloc(1, sizeof *ag);
  if (!ag)
    return PL_ENOMEM;
  d->agenda = ag;
  bool seen[PL_MAX_ISSUES] = {false};
  const char *p = text;
  uint32_t g = 0;
  while (*p || g == 0) {
    size_t len = strcspn(p, ",/");
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)(len < 255 ? len : 255), p);
    int32_t i = pl_find_issue(s, name);
    if (i < 0) {
      pl_diag_add(diag, NULL, 0, 0, "--groups: no issue named '%s'", name);
      return PL_EINPUT;
    }
    if (seen[i]) {
      pl_diag_add(diag, NULL, 0, 0,
                  "--groups: issue '%s' is in two groups (the groups must "
                  "partition the issues)",
                  name);
      return PL_EINPUT;
    }
    seen[i] = true;
    ag->group[i] = g;
    p += len;
    if (*p == '/')
      g++;
    if (*p)
      p++;
    if (!*p)
      break;
  }
  ag->ngroups = g + 1;
  for (uint32_t i = 0; i < s->nissues; i++)
    if (!seen[i]) {
      pl_diag_add(diag, NULL, 0, 0,
                  "--groups: issue '%s' is in no group (the groups must "
                  "partition the issues)",
                  s->issues[i].name);
      return PL_EINPUT;
    }
  return PL_OK;
}
