/* space.c - the packages the Monte Carlo draws look at, and the parking
 * sets whose blocking they estimate (robust.h). */
#include "uncertainty/robust.h"

#include "util/diag.h"

#include <math.h>

#include <stdlib.h>
#include <string.h>

/* Parking sets and their partial-package numbers cost nsets * n entries;
 * above this the blocking estimates are skipped. */
#define MAX_GROUP_ENTRIES 20000000ULL

pl_probability pl_wilson(double k, uint64_t n) {
  if (n == 0)
    return (pl_probability){0, 0, 1};
  const double z = 1.959963984540054; /* the 97.5% normal quantile */
  double p = k / (double)n, z2n = z * z / (double)n;
  double centre = (p + z2n / 2) / (1 + z2n);
  double half =
      z * sqrt(p * (1 - p) / (double)n + z2n / (4.0 * (double)n)) / (1 + z2n);
  double lo = centre - half, hi = centre + half;
  return (pl_probability){p, lo < 0 ? 0 : lo, hi > 1 ? 1 : hi};
}

/* Issues [0, h) and [h, m) with the most even products. */
static uint32_t split(const pl_scenario *s, uint64_t *na, uint64_t *nb,
                      uint64_t total) {
  uint32_t best = 0;
  uint64_t bestmax = UINT64_MAX, a = 1;
  for (uint32_t h = 0; h <= s->nissues; h++) {
    uint64_t b = total / a, worst = a > b ? a : b;
    if (worst < bestmax)
      bestmax = worst, best = h, *na = a, *nb = b;
    if (h < s->nissues)
      a *= s->issues[h].nvalues;
  }
  return best;
}

static uint64_t red_mask(const pl_scenario *s, const uint32_t *v) {
  uint64_t mask = 0;
  for (uint32_t p = 0; p < s->nparties; p++) {
    bool ok = true;
    const pl_actor *a = &s->actors[p];
    for (uint32_t k = 0; ok && k < a->nred_lines; k++)
      ok = pl_rule_holds(&a->red_lines[k], v);
    mask |= ok ? 1ULL << p : 0;
  }
  return mask;
}

static bool constraints_hold(const pl_scenario *s, const uint32_t *v) {
  for (uint32_t k = 0; k < s->nconstraints; k++)
    if (!pl_rule_holds(&s->constraints[k], v))
      return false;
  return true;
}

static bool grow(pl_space *sp, uint64_t *cap) {
  uint64_t c = *cap ? 2 * *cap : 1024;
  uint64_t *i = realloc(sp->index, c * sizeof *i);
  if (i)
    sp->index = i;
  uint64_t *r = realloc(sp->redok, c * sizeof *r);
  if (r)
    sp->redok = r;
  if (!i || !r)
    return false;
  *cap = c;
  return true;
}

static bool enumerate(const pl_scenario *s, pl_space *sp, uint64_t total) {
  uint32_t v[PL_MAX_ISSUES] = {0};
  uint64_t cap = 0;
  for (uint64_t idx = 0; idx < total; idx++) {
    if (idx)
      for (int32_t i = (int32_t)s->nissues - 1; i >= 0; i--) {
        if (++v[i] < s->issues[i].nvalues)
          break;
        v[i] = 0;
      }
    if (!constraints_hold(s, v))
      continue;
    if (sp->n == cap && !grow(sp, &cap))
      return false;
    sp->index[sp->n] = idx;
    sp->redok[sp->n++] = red_mask(s, v);
  }
  sp->ia = malloc((sp->n ? sp->n : 1) * sizeof *sp->ia);
  sp->ib = malloc((sp->n ? sp->n : 1) * sizeof *sp->ib);
  if (!sp->ia || !sp->ib)
    return false;
  for (uint64_t k = 0; k < sp->n; k++) {
    sp->ia[k] = (uint32_t)(sp->index[k] / sp->nb);
    sp->ib[k] = (uint32_t)(sp->index[k] % sp->nb);
  }
  return true;
}

/* The partial package of `v` without the issues of set k. */
static uint32_t group_of(const pl_scenario *s, const pl_space *sp, uint32_t k,
                         const uint32_t *v) {
  uint64_t g = 0;
  for (uint32_t i = 0; i < s->nissues; i++) {
    if (i == sp->set[k][0] || (sp->set_size[k] == 2 && i == sp->set[k][1]))
      continue;
    g = g * s->issues[i].nvalues + v[i];
  }
  return (uint32_t)g;
}

static bool build_sets(const pl_scenario *s, pl_space *sp, uint64_t total) {
  uint32_t m = s->nissues;
  uint64_t nsets = m + (uint64_t)m * (m - 1) / 2;
  if (m > 64 || nsets * sp->n > MAX_GROUP_ENTRIES) {
    snprintf(sp->note, sizeof sp->note,
             "blocking not estimated: parking %llu sets over %llu packages is "
             "over the limit of %llu entries",
             (unsigned long long)nsets, (unsigned long long)sp->n,
             (unsigned long long)MAX_GROUP_ENTRIES);
    return true;
  }
  sp->nsets = (uint32_t)nsets;
  sp->set = calloc(nsets, sizeof *sp->set);
  sp->set_size = calloc(nsets, sizeof *sp->set_size);
  sp->gid = calloc(nsets, sizeof *sp->gid);
  sp->ngroups = calloc(nsets, sizeof *sp->ngroups);
  if (!sp->set || !sp->set_size || !sp->gid || !sp->ngroups)
    return false;
  uint32_t k = 0;
  for (uint32_t i = 0; i < m; i++, k++)
    sp->set[k][0] = i, sp->set_size[k] = 1;
  for (uint32_t i = 0; i < m; i++)
    for (uint32_t j = i + 1; j < m; j++, k++)
      sp->set[k][0] = i, sp->set[k][1] = j, sp->set_size[k] = 2;
  for (k = 0; k < nsets; k++) {
    uint64_t div = s->issues[sp->set[k][0]].nvalues;
    if (sp->set_size[k] == 2)
      div *= s->issues[sp->set[k][1]].nvalues;
    sp->ngroups[k] = total / div;
    sp->gid[k] = malloc((sp->n ? sp->n : 1) * sizeof **sp->gid);
    if (!sp->gid[k])
      return false;
  }
  uint32_t v[PL_MAX_ISSUES];
  for (uint64_t c = 0; c < sp->n; c++) {
    pl_index_to_values(s, sp->index[c], v);
    for (k = 0; k < nsets; k++)
      sp->gid[k][c] = group_of(s, sp, k, v);
  }
  sp->blocking = true;
  return true;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* Above the cap: the followed packages and the base frontier. */
static bool restricted(pl_robust *r) {
  const pl_scenario *s = r->s;
  pl_space *sp = &r->sp;
  size_t nf = r->base->frontier_known ? r->base->nfront : 0;
  nf = nf > 10000 ? 10000 : nf;
  uint64_t cap = r->nwatch + nf + 1;
  sp->index = malloc(cap * sizeof *sp->index);
  sp->redok = malloc(cap * sizeof *sp->redok);
  sp->digits = calloc(cap, sizeof *sp->digits);
  if (!sp->index || !sp->redok || !sp->digits)
    return false;
  uint64_t n = 0;
  for (size_t w = 0; w < r->nwatch; w++)
    if (r->watch[w].feasible)
      sp->index[n++] = pl_values_to_index(s, r->watch[w].values);
  for (size_t f = 0; f < nf; f++)
    sp->index[n++] = r->base->front_index[f];
  qsort(sp->index, n, sizeof *sp->index, cmp_u64);
  uint64_t u = 0;
  for (uint64_t k = 0; k < n; k++)
    if (!u || sp->index[k] != sp->index[u - 1])
      sp->index[u++] = sp->index[k];
  sp->n = u;
  for (uint64_t k = 0; k < u; k++) {
    sp->digits[k] = malloc((s->nissues ? s->nissues : 1) * sizeof(uint32_t));
    if (!sp->digits[k])
      return false;
    pl_index_to_values(s, sp->index[k], sp->digits[k]);
    sp->redok[k] = red_mask(s, sp->digits[k]);
  }
  snprintf(sp->note, sizeof sp->note,
           "the space is larger than %llu packages: only the proposals, "
           "solutions and %zu frontier packages were followed; the zone, "
           "delta* and blocking were not estimated",
           (unsigned long long)r->opt.max_packages, nf);
  return true;
}

bool pl_space_build(pl_robust *r, pl_diag *d) {
  const pl_scenario *s = r->s;
  pl_space *sp = &r->sp;
  uint64_t total;
  bool fits = pl_space_size(s, &total) && total <= r->opt.max_packages &&
              total < UINT32_MAX;
  if (!fits) {
    if (!restricted(r))
      goto oom;
    return true;
  }
  sp->enumerated = true;
  sp->h = split(s, &sp->na, &sp->nb, total);
  if (!enumerate(s, sp, total) || !build_sets(s, sp, total))
    goto oom;
  return true;
oom:
  pl_diag_add(d, NULL, 0, 0, "out of memory setting up the Monte Carlo");
  return false;
}

void pl_space_free(pl_space *sp) {
  free(sp->index);
  free(sp->redok);
  free(sp->ia);
  free(sp->ib);
  if (sp->digits)
    for (uint64_t k = 0; k < sp->n; k++)
      free(sp->digits[k]);
  free(sp->digits);
  for (uint32_t k = 0; sp->gid && k < sp->nsets; k++)
    free(sp->gid[k]);
  free(sp->gid);
  free(sp->set);
  free(sp->set_size);
  free(sp->ngroups);
}
