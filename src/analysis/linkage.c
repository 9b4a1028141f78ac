/* linkage.c - logrolling and Pareto-improving moves (docs/analysis.md,
 * section 8.2).
 *
 * From a reference package r (each proposal and --package; without any,
 * the concession package when the zone is empty, else the Nash solution):
 *
 * - a **linkage** of issues i and j between parties p and q changes only
 *   r_i and r_j, to x and y, so that p gives on i (its term on i falls)
 *   and gets j (its term on j rises) while q gives on j and gets i; both
 *   gain overall (by more than eps), every other actor, third parties and
 *   ratifiers alike, is no worse off (u_a >= u_a(r) - eps), and the new
 *   package meets every constraint and red line. For each pair of issues
 *   and pair of parties the best such trade is kept: the largest smaller
 *   gain, then the largest sum of the two gains, then the smallest index;
 *   all are listed best first.
 * - a **Pareto-improving move** (Raiffa's post-settlement settlement) is a
 *   package meeting the rules that no actor likes less than r and some
 *   party likes more; the one with the largest smallest party gain is
 *   reported (ties: larger sum of gains, then smaller index), found by
 *   branch and bound (moves.c): to the end in spaces of up to 10^6
 *   outcomes, within a budget of partial packages in larger ones.
 */
#include "analysis/analysis.h"
#include "analysis/design.h"
#include "analysis/moves.h"

#include <stdlib.h>
#include <string.h>

static double term(const pl_scenario *s, uint32_t a, uint32_t i, uint32_t v) {
  return s->term[a][s->offset[i] + v];
}

/* The best trade of i (p gives) for j (q gives) from r, if any. */
static bool best_trade(const pl_scenario *s, const uint32_t *r,
                       const double *ur, uint32_t i, uint32_t j, uint32_t p,
                       uint32_t q, pl_linkage *out) {
  uint32_t v[PL_MAX_ISSUES], na = pl_num_actors(s);
  memcpy(v, r, s->nissues * sizeof *v);
  bool have = false;
  for (uint32_t x = 0; x < s->issues[i].nvalues; x++) {
    if (!(term(s, p, i, x) < term(s, p, i, r[i]) &&
          term(s, q, i, x) > term(s, q, i, r[i])))
      continue;
    for (uint32_t y = 0; y < s->issues[j].nvalues; y++) {
      if (!(term(s, q, j, y) < term(s, q, j, r[j]) &&
            term(s, p, j, y) > term(s, p, j, r[j])))
        continue;
      v[i] = x;
      v[j] = y;
      double gp = pl_actor_utility(s, p, v) - ur[p];
      double gq = pl_actor_utility(s, q, v) - ur[q];
      if (gp <= PL_EPS || gq <= PL_EPS || !pl_all_rules_hold(s, v))
        continue;
      bool others = true;
      for (uint32_t a = 0; a < na && others; a++)
        others =
            a == p || a == q || pl_actor_utility(s, a, v) >= ur[a] - PL_EPS;
      if (!others)
        continue;
      double lo = gp < gq ? gp : gq;
      uint64_t idx = pl_values_to_index(s, v);
      if (pl_move_better(lo, gp + gq, idx, have,
                         out->gain[0] < out->gain[1] ? out->gain[0]
                                                     : out->gain[1],
                         out->gain[0] + out->gain[1], out->index)) {
        have = true;
        out->index = idx;
        out->gain[0] = gp;
        out->gain[1] = gq;
      }
    }
  }
  if (have) {
    out->issues[0] = i;
    out->issues[1] = j;
    out->parties[0] = p;
    out->parties[1] = q;
  }
  return have;
}

static int by_value(const void *x, const void *y) {
  const pl_linkage *a = x, *b = y;
  double la = a->gain[0] < a->gain[1] ? a->gain[0] : a->gain[1];
  double lb = b->gain[0] < b->gain[1] ? b->gain[0] : b->gain[1];
  if (la != lb)
    return la > lb ? -1 : 1;
  double sa = a->gain[0] + a->gain[1], sb = b->gain[0] + b->gain[1];
  if (sa != sb)
    return sa > sb ? -1 : 1;
  if (a->from != b->from)
    return a->from < b->from ? -1 : 1;
  return a->index < b->index ? -1 : a->index > b->index;
}

static bool add_linkage(pl_design *d, const pl_linkage *l) {
  if (d->nlinks == d->caplinks) {
    size_t cap = d->caplinks ? 2 * d->caplinks : 16;
    pl_linkage *n = realloc(d->links, cap * sizeof *n);
    if (!n)
      return false;
    d->links = n;
    d->caplinks = cap;
  }
  d->links[d->nlinks++] = *l;
  return true;
}

static bool linkages_from(const pl_scenario *s, pl_design *d, size_t from,
                          const uint32_t *r) {
  double ur[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  for (uint32_t a = 0; a < pl_num_actors(s); a++)
    ur[a] = pl_actor_utility(s, a, r);
  for (uint32_t i = 0; i < s->nissues; i++)
    for (uint32_t j = 0; j < s->nissues; j++)
      for (uint32_t p = 0; p < s->nparties; p++)
        for (uint32_t q = p + 1; q < s->nparties; q++) {
          if (i == j)
            continue;
          pl_linkage l = {.from = from};
          if (best_trade(s, r, ur, i, j, p, q, &l) && !add_linkage(d, &l))
            return false;
        }
  return true;
}

/* The best Pareto-improving move from r (moves.c), enumerated or not: to
 * the end in spaces of up to PL_MOVE_SCAN_MAX outcomes (as the one pass over
 * them did before), else within PL_MOVE_NODES_MAX partial packages (about
 * the work of that pass: 15 ms, 0.2 s with boxes). */
static bool best_move(const pl_analysis *a, const uint32_t *r, pl_move *out) {
  return pl_move_search(
      a->s, r, a->outcomes <= PL_MOVE_SCAN_MAX ? 0 : PL_MOVE_NODES_MAX, out);
}

bool pl_linkages(pl_analysis *a, pl_design *d) {
  const pl_scenario *s = a->s;
  size_t n = s->nproposals + d->nextra;
  uint32_t fallback[PL_MAX_ISSUES];
  if (n == 0) { /* no proposal: the concession package, or Nash's */
    bool empty = pl_zone_empty(a);
    if (empty ? !a->has_concession : !a->has_solution)
      return true;
    pl_index_to_values(
        s, empty ? a->concession_index : a->solution[PL_SOLUTION_NASH],
        fallback);
    d->reference = empty ? PL_REF_CONCESSION : PL_REF_NASH;
  }
  size_t nref = n ? n : 1;
  d->moves = calloc(nref, sizeof *d->moves);
  if (!d->moves)
    return false;
  d->nmoves = nref;
  for (size_t k = 0; k < nref; k++) {
    const uint32_t *r = n == 0 ? fallback
                        : k < s->nproposals
                            ? s->proposals[k].values
                            : d->extra + (k - s->nproposals) * s->nissues;
    if (!linkages_from(s, d, k, r))
      return false;
    if (!best_move(a, r, &d->moves[k]))
      return false;
  }
  if (d->nlinks > 1)
    qsort(d->links, d->nlinks, sizeof *d->links, by_value);
  return true;
}
