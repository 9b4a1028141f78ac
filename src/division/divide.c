/* divide.c - Adjusted Winner and Proportional Allocation for two parties
 * with exact fractions (docs/divide.md; the steps are those of
 * shared/reference/fair-division.md, after Brams and Taylor, "Fair
 * Division", 1996, ch. 4-5, and "The Win-Win Solution", 1999).
 */
#include "division/division.h"

#include <stdlib.h>

/* Winner phase: each item to the party that gives it more points; then
 * the tied items, in item order, each to the party behind in points at
 * that moment (the first party when level). */
static void winner_phase(pl_division *v, pl_rat_ctx *c, pl_rat *tot) {
  tot[0] = tot[1] = pl_rat_int(0);
  for (size_t i = 0; i < v->nitems; i++) {
    pl_division_item *it = &v->items[i];
    int cmp = pl_rat_cmp(it->points[0], it->points[1]);
    if (cmp == 0)
      continue;
    int w = cmp > 0 ? 0 : 1;
    it->share[PL_DIVIDE_ADJUSTED_WINNER] = pl_rat_int(w == 0);
    tot[w] = pl_rat_add(c, tot[w], it->points[w]);
  }
  for (size_t i = 0; i < v->nitems; i++) {
    pl_division_item *it = &v->items[i];
    if (pl_rat_cmp(it->points[0], it->points[1]) != 0)
      continue;
    int w = pl_rat_cmp(tot[1], tot[0]) < 0 ? 1 : 0;
    it->share[PL_DIVIDE_ADJUSTED_WINNER] = pl_rat_int(w == 0);
    tot[w] = pl_rat_add(c, tot[w], it->points[w]);
  }
}

/* The leader's items that may move (the other party gives them points),
 * smallest ratio leader/other first, item order among equal ratios. */
static size_t transfer_order(const pl_division *v, int lead, size_t *order) {
  size_t n = 0;
  for (size_t i = 0; i < v->nitems; i++) {
    const pl_division_item *it = &v->items[i];
    bool owned = pl_rat_cmp(it->share[PL_DIVIDE_ADJUSTED_WINNER],
                            pl_rat_int(lead == 0)) == 0;
    if (owned && it->points[1 - lead].num > 0)
      order[n++] = i;
  }
  /* Insertion sort, stable; a/b < c/d compared as a*d < c*b (no division). */
  for (size_t k = 1; k < n; k++) {
    size_t x = order[k], j = k;
    for (; j > 0; j--) {
      const pl_division_item *p = &v->items[order[j - 1]], *q = &v->items[x];
      pl_rat_ctx c = {true};
      pl_rat lhs = pl_rat_mul(&c, q->points[lead], p->points[1 - lead]);
      pl_rat rhs = pl_rat_mul(&c, p->points[lead], q->points[1 - lead]);
      if (pl_rat_cmp(lhs, rhs) >= 0)
        break;
      order[j] = order[j - 1];
    }
    order[j] = x;
  }
  return n;
}

/* Transfer phase: the leader's items move whole while it stays at least
 * level; the first that would put it behind is split so that both totals
 * are equal: the fraction (L - T) / (l_k + t_k) moves. */
static bool adjusted_winner(pl_division *v, pl_rat_ctx *c) {
  pl_rat tot[2];
  winner_phase(v, c, tot);
  v->aw.winner_points[0] = tot[0];
  v->aw.winner_points[1] = tot[1];
  v->aw.split = -1;
  int cmp = pl_rat_cmp(tot[0], tot[1]);
  v->aw.leader = cmp == 0 ? -1 : cmp > 0 ? 0 : 1;
  if (cmp != 0) {
    int lead = v->aw.leader, other = 1 - lead;
    size_t *order = malloc((v->nitems ? v->nitems : 1) * sizeof *order);
    if (!order)
      return false;
    size_t n = transfer_order(v, lead, order);
    for (size_t k = 0; k < n && pl_rat_cmp(tot[lead], tot[other]) > 0; k++) {
      pl_division_item *it = &v->items[order[k]];
      pl_rat after_lead = pl_rat_sub(c, tot[lead], it->points[lead]);
      pl_rat after_other = pl_rat_add(c, tot[other], it->points[other]);
      if (pl_rat_cmp(after_lead, after_other) >= 0) {
        it->share[PL_DIVIDE_ADJUSTED_WINNER] = pl_rat_int(other == 0);
        tot[lead] = after_lead;
        tot[other] = after_other;
        v->aw.moved++;
        continue;
      }
      pl_rat gap = pl_rat_sub(c, tot[lead], tot[other]);
      pl_rat both = pl_rat_add(c, it->points[lead], it->points[other]);
      pl_rat moves = pl_rat_div(c, gap, both);
      pl_rat keeps = pl_rat_sub(c, pl_rat_int(1), moves);
      it->share[PL_DIVIDE_ADJUSTED_WINNER] = lead == 0 ? keeps : moves;
      tot[lead] =
          pl_rat_sub(c, tot[lead], pl_rat_mul(c, moves, it->points[lead]));
      tot[other] =
          pl_rat_add(c, tot[other], pl_rat_mul(c, moves, it->points[other]));
      v->aw.split = (int32_t)order[k];
    }
    free(order);
  }
  v->total[PL_DIVIDE_ADJUSTED_WINNER][0] = tot[0];
  v->total[PL_DIVIDE_ADJUSTED_WINNER][1] = tot[1];
  return true;
}

/* Proportional Allocation: party 0 gets a / (a + b) of each item (an item
 * nobody gives a point is split in halves). */
static void proportional(pl_division *v, pl_rat_ctx *c) {
  pl_rat tot[2] = {pl_rat_int(0), pl_rat_int(0)};
  for (size_t i = 0; i < v->nitems; i++) {
    pl_division_item *it = &v->items[i];
    pl_rat both = pl_rat_add(c, it->points[0], it->points[1]);
    pl_rat a =
        both.num ? pl_rat_div(c, it->points[0], both) : pl_rat_make(c, 1, 2);
    it->share[PL_DIVIDE_PROPORTIONAL] = a;
    tot[0] = pl_rat_add(c, tot[0], pl_rat_mul(c, a, it->points[0]));
    tot[1] = pl_rat_add(
        c, tot[1],
        pl_rat_mul(c, pl_rat_sub(c, pl_rat_int(1), a), it->points[1]));
  }
  v->total[PL_DIVIDE_PROPORTIONAL][0] = tot[0];
  v->total[PL_DIVIDE_PROPORTIONAL][1] = tot[1];
}

bool pl_division_solve(pl_division *v) {
  pl_rat_ctx c = {true};
  if (!adjusted_winner(v, &c))
    return false;
  proportional(v, &c);
  return c.ok;
}

/* ---- Accessors ----------------------------------------------------------- */

size_t pl_divide_num_items(const pl_division *v) { return v->nitems; }

const char *pl_divide_item_name(const pl_division *v, size_t item) {
  return item < v->nitems ? v->items[item].name : NULL;
}

const char *pl_divide_party_name(const pl_division *v, uint32_t party) {
  return party < 2 ? v->party[party] : NULL;
}

static pl_rat share_of(const pl_division *v, pl_divide_method m, size_t item,
                       uint32_t party) {
  pl_rat a = v->items[item].share[m];
  if (party == 0)
    return a;
  pl_rat_ctx c = {true};
  return pl_rat_sub(&c, pl_rat_int(1), a);
}

void pl_divide_share(const pl_division *v, pl_divide_method m, size_t item,
                     uint32_t party, int64_t *num, int64_t *den) {
  pl_rat r = {0, 1};
  if (item < v->nitems && party < 2 && (unsigned)m < PL_DIVIDE_METHODS)
    r = share_of(v, m, item, party);
  *num = r.num;
  *den = r.den;
}

void pl_divide_points(const pl_division *v, pl_divide_method m, uint32_t party,
                      int64_t *num, int64_t *den) {
  pl_rat r = {0, 1};
  if (party < 2 && (unsigned)m < PL_DIVIDE_METHODS)
    r = v->total[m][party];
  *num = r.num;
  *den = r.den;
}

void pl_divide_free(pl_division *v) {
  if (!v)
    return;
  pl_arena_release(&v->arena);
  free(v);
}

pl_rat pl_division_share(const pl_division *v, pl_divide_method m, size_t item,
                         uint32_t party) {
  return share_of(v, m, item, party);
}
