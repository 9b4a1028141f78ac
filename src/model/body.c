/* body.c - the exact pass probability of a body of blocs (body.h). */
#include "model/body.h"

#include "model/scenario.h"

#include <string.h>

/* P(yes) and P(no) of one member of bloc b. */
static void member_votes(const pl_bloc *b, bool favour, double *yes,
                         double *no) {
  double cast = 1.0 - b->abstain;
  double with = cast * b->loyalty, against = cast * (1.0 - b->loyalty);
  *yes = favour ? with : against;
  *no = favour ? against : with;
}

/* Of all seats: a distribution over the number of yes votes, one member
 * at a time (dp[k] = P(k yes so far)), updated in place from the top. */
static double pass_of_seats(const pl_chamber *c, const bool *favour,
                            double *dp) {
  uint32_t n = 0;
  dp[0] = 1.0;
  for (uint32_t b = 0; b < c->nblocs; b++) {
    double y, no;
    member_votes(&c->blocs[b], favour[b], &y, &no);
    for (uint32_t m = 0; m < c->blocs[b].seats; m++) {
      dp[n + 1] = dp[n] * y;
      for (uint32_t k = n; k > 0; k--)
        dp[k] = dp[k] * (1.0 - y) + dp[k - 1] * y;
      dp[0] *= 1.0 - y;
      n++;
    }
  }
  double p = 0;
  for (uint64_t k = 0; k <= n; k++) {
    bool pass = c->strict ? k * c->den > (uint64_t)c->num * c->seats
                          : k * c->den >= (uint64_t)c->num * c->seats;
    if (pass)
      p += dp[k];
  }
  return p;
}

/* Of votes cast: yes * den > num * (yes + no) is a condition on the score
 * (den - num) * yes - num * no, so one distribution over the score does
 * (index = score + num * seats); abstentions leave it unchanged. */
static double pass_of_cast(const pl_chamber *c, const bool *favour,
                           double *work) {
  uint32_t up = c->den - c->num, down = c->num;
  uint64_t size = (uint64_t)c->den * c->seats + 1;
  double *cur = work, *next = work + size;
  uint64_t zero = (uint64_t)down * c->seats, lo = zero, hi = zero;
  cur[zero] = 1.0;
  double nobody = 1.0; /* P(every member so far abstained) */
  for (uint32_t b = 0; b < c->nblocs; b++) {
    double y, no, ab = c->blocs[b].abstain;
    member_votes(&c->blocs[b], favour[b], &y, &no);
    for (uint32_t m = 0; m < c->blocs[b].seats; m++) {
      uint64_t nlo = lo - down, nhi = hi + up;
      for (uint64_t k = nlo; k <= nhi; k++)
        next[k] = 0;
      for (uint64_t k = lo; k <= hi; k++) {
        double x = cur[k];
        next[k + up] += x * y;
        next[k - down] += x * no;
        next[k] += x * ab;
      }
      double *t = cur;
      cur = next;
      next = t;
      lo = nlo;
      hi = nhi;
      nobody *= ab;
    }
  }
  double p = 0;
  for (uint64_t k = c->strict ? zero + 1 : zero; k <= hi; k++)
    p += cur[k];
  if (!c->strict)
    p -= nobody; /* score 0 because nobody voted: the vote fails */
  return p < 0 ? 0 : p;
}

double pl_chamber_pass(const pl_chamber *c, const bool *favour, double *work) {
  return c->of_seats ? pass_of_seats(c, favour, work)
                     : pass_of_cast(c, favour, work);
}

uint32_t pl_body_work_size(const pl_body *b) {
  uint32_t most = 0;
  for (uint32_t k = 0; k < b->nchambers; k++) {
    uint32_t need = 2 * (b->chambers[k].den * b->chambers[k].seats + 1);
    most = need > most ? need : most;
  }
  return most;
}

/* P(every chamber passes) with the blocs of the j largest shifts in
 * favour. */
static double pass_at_level(const pl_body *b, uint32_t j, bool *favour,
                            double *work) {
  double p = 1.0;
  for (uint32_t k = 0; k < b->nchambers; k++) {
    const pl_chamber *c = &b->chambers[k];
    for (uint32_t x = 0; x < c->nblocs; x++)
      favour[x] = j > 0 && c->blocs[x].shift >= b->shifts[j - 1];
    p *= pl_chamber_pass(c, favour, work);
  }
  return p;
}

bool pl_body_prepare(pl_body *b, pl_alloc_fn alloc, void *ctx) {
  uint32_t nb = 0, most = 1;
  for (uint32_t k = 0; k < b->nchambers; k++) {
    nb += b->chambers[k].nblocs;
    most = b->chambers[k].nblocs > most ? b->chambers[k].nblocs : most;
  }
  b->shifts = alloc(ctx, nb ? nb : 1, sizeof *b->shifts);
  b->prob = alloc(ctx, nb + 1, sizeof *b->prob);
  bool *favour = alloc(ctx, most, sizeof *favour);
  double *work = alloc(ctx, pl_body_work_size(b), sizeof *work);
  if (!b->shifts || !b->prob || !favour || !work)
    return false;
  /* Distinct shifts, descending (insertion: bodies have few blocs). */
  b->nlevels = 0;
  for (uint32_t k = 0; k < b->nchambers; k++)
    for (uint32_t x = 0; x < b->chambers[k].nblocs; x++) {
      double s = b->chambers[k].blocs[x].shift;
      uint32_t at = 0;
      while (at < b->nlevels && b->shifts[at] > s)
        at++;
      if (at < b->nlevels && b->shifts[at] == s)
        continue;
      memmove(b->shifts + at + 1, b->shifts + at,
              (b->nlevels - at) * sizeof *b->shifts);
      b->shifts[at] = s;
      b->nlevels++;
    }
  for (uint32_t j = 0; j <= b->nlevels; j++)
    b->prob[j] = pass_at_level(b, j, favour, work);
  /* The deterministic analysis approves when the pass probability reaches
   * pass_probability: from the first level j* where it does, i.e. when
   * u + shifts[j*-1] >= theta - eps. */
  const double tol = 1e-12;
  uint32_t j = 0;
  while (j <= b->nlevels && b->prob[j] < b->pass_probability - tol)
    j++;
  if (j > b->nlevels)
    return false;
  b->always = j == 0;
  b->offset = j == 0 ? 0 : -b->shifts[j - 1];
  return true;
}

double pl_body_probability(const pl_body *b, double u, double theta) {
  /* j = the number of distinct shifts s with u + s >= theta - eps. */
  uint32_t lo = 0, hi = b->nlevels;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (u + b->shifts[mid] >= theta - PL_EPS)
      lo = mid + 1;
    else
      hi = mid;
  }
  return b->prob[lo];
}
