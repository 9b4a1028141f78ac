/* sensitivity.c - deterministic sensitivity of the verdict and of the
 * blocking sets to each uncertain input (docs/uncertainty.md).
 *
 * One input moves while the others keep their base values. Only one
 * actor's utility or threshold depends on it, and whether that actor
 * clears its threshold at a package is a half-line in the input: its
 * margin is linear in a threshold or a value, and, weights being
 * renormalised, (S + d v) / (W + d) - t >= -eps is linear in d = w - w0
 * after multiplying by W + d > 0. So the zone and every parked zone Z^S
 * change only where one package crosses, and a sweep over those crossings
 * (sorted), updating counts of qualifying packages per partial package,
 * finds the exact nearest change on either side, with no grid. */
#include "uncertainty/robust.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Whether actor a clears its threshold at a package: c0 + c1 * (x - base)
 * >= 0. */
typedef struct line {
  double c0, c1;
} line;

typedef struct event {
  double at;
  uint64_t c;
  bool on; /* turns on (else off) */
} event;

typedef struct sweep {
  const pl_robust *r;
  uint32_t a;
  uint64_t all, others;
  uint64_t *omask; /* per candidate: actors other than a that clear */
  bool *on;        /* per candidate: a clears */
  uint64_t zone;   /* candidates where everyone clears */
  uint64_t **cnt;  /* per set, per group: candidates where a clears */
  uint64_t **gm;   /* per set, per group: OR of omask */
  uint64_t *full;  /* per set: groups where everyone clears */
} sweep;

static void toggle(sweep *w, uint64_t c, bool on) {
  const pl_space *sp = &w->r->sp;
  if (w->on[c] == on)
    return;
  w->on[c] = on;
  if (w->omask[c] == w->others)
    w->zone += on ? 1 : (uint64_t)-1;
  for (uint32_t k = 0; k < sp->nsets && sp->blocking; k++) {
    uint32_t g = sp->gid[k][c];
    bool before = w->cnt[k][g] > 0 && w->gm[k][g] == w->others;
    w->cnt[k][g] += on ? 1 : (uint64_t)-1;
    bool after = w->cnt[k][g] > 0 && w->gm[k][g] == w->others;
    if (before != after)
      w->full[k] += after ? 1 : (uint64_t)-1;
  }
}

/* The blocking sets now, as bits (singles, then minimal pairs). */
static uint64_t blocking_now(const sweep *w) {
  const pl_space *sp = &w->r->sp;
  if (w->zone || !sp->blocking)
    return 0;
  uint64_t bits = 0, single = 0;
  for (uint32_t k = 0; k < sp->nsets && k < 64; k++) {
    bool blocks = w->full[k] > 0;
    if (sp->set_size[k] == 2)
      blocks &=
          !((single >> sp->set[k][0]) & 1) && !((single >> sp->set[k][1]) & 1);
    else if (blocks)
      single |= 1ULL << sp->set[k][0];
    bits |= blocks ? 1ULL << k : 0;
  }
  return bits;
}

static int cmp_up(const void *x, const void *y) {
  const event *a = x, *b = y;
  if (a->at != b->at)
    return a->at < b->at ? -1 : 1;
  return (int)b->on - (int)a->on; /* on-events first at a point */
}

static int cmp_down(const void *x, const void *y) { return -cmp_up(x, y) * 1; }

/* Sweeps from the base towards `hi` (up) or `lo` (down) over the lines of
 * the ncand candidates: the nearest points where the verdict and the
 * blocking sets change (NAN: none). */
static void run_sweep(sweep *w, const line *ln, uint64_t ncand, double base,
                      double limit, bool up, event *ev, double *verdict,
                      double *blocking) {
  uint64_t n = 0;
  for (uint64_t c = 0; c < ncand; c++) {
    bool now = ln[c].c0 >= 0;
    toggle(w, c, now);
    if (ln[c].c1 == 0)
      continue;
    double root = base - ln[c].c0 / ln[c].c1;
    bool rising = ln[c].c1 > 0; /* clears for x >= root */
    if (up && rising && root > base && root <= limit)
      ev[n++] = (event){root, c, true};
    if (up && !rising && root >= base && root < limit)
      ev[n++] = (event){root, c, false};
    if (!up && !rising && root < base && root >= limit)
      ev[n++] = (event){root, c, true};
    if (!up && rising && root <= base && root > limit)
      ev[n++] = (event){root, c, false};
  }
  qsort(ev, n, sizeof *ev, up ? cmp_up : cmp_down);
  bool open0 = w->zone > 0;
  uint64_t block0 = blocking_now(w);
  *verdict = *blocking = NAN;
  for (uint64_t k = 0; k < n;) {
    double at = ev[k].at;
    /* At the point itself: the packages that start to clear there; just
     * beyond it: those that stop. */
    for (int phase = 0; phase < 2; phase++) {
      while (k < n && ev[k].at == at && ev[k].on == (phase == 0)) {
        toggle(w, ev[k].c, ev[k].on);
        k++;
      }
      if (isnan(*verdict) && (w->zone > 0) != open0)
        *verdict = at;
      if (isnan(*blocking) && blocking_now(w) != block0)
        *blocking = at;
    }
    if (!isnan(*verdict) && !isnan(*blocking))
      break;
  }
}

/* The utilities of every candidate under the base model (na per one). */
static double *base_utilities(const pl_robust *r, double *w, double *vals,
                              double *t) {
  const pl_scenario *s = r->s;
  pl_base_model(r, w, vals, t);
  double *u = malloc((r->sp.n ? r->sp.n : 1) * r->na * sizeof *u);
  uint32_t v[PL_MAX_ISSUES];
  for (uint64_t c = 0; u && c < r->sp.n; c++) {
    pl_index_to_values(s, r->sp.index[c], v);
    for (uint32_t a = 0; a < r->na; a++)
      u[c * r->na + a] = pl_actor_utility(s, a, v);
  }
  return u;
}

/* Without parking sets the verdict alone needs no sort: the zone is open
 * at x when some package where the others clear has x on its half-line,
 * i.e. when a package always clears, or x >= U (the smallest root of the
 * rising lines) or x <= D (the largest of the falling ones). */
static void verdict_direct(const sweep *w, const line *ln, uint64_t n,
                           pl_sens *x) {
  double U = INFINITY, D = -INFINITY, base = x->base;
  bool always = false;
  for (uint64_t c = 0; c < n; c++) {
    if (w->omask[c] != w->others)
      continue;
    if (ln[c].c1 == 0)
      always |= ln[c].c0 >= 0;
    else if (ln[c].c1 > 0)
      U = fmin(U, base - ln[c].c0 / ln[c].c1);
    else
      D = fmax(D, base - ln[c].c0 / ln[c].c1);
  }
  x->verdict_up = x->verdict_down = NAN;
  if (always)
    return;
  bool above = base >= U, below = base <= D;
  if (above && below)
    return; /* open on both sides, whatever x */
  if (above)
    x->verdict_down = U > D && U >= x->lo ? U : NAN;
  else if (below)
    x->verdict_up = D < U && D <= x->hi ? D : NAN;
  else {
    x->verdict_up = U <= x->hi ? U : NAN;
    x->verdict_down = D >= x->lo ? D : NAN;
  }
}

static double weight_sum(const pl_robust *r, uint32_t a) {
  double W = 0;
  for (uint32_t i = 0; i < r->m; i++)
    W += r->base_w[(size_t)a * r->m + i];
  return W;
}

/* Actor a's margin-line at candidate c for input x (see the top). */
static line line_of(const pl_robust *r, const pl_sens *x, const double *u,
                    const double *t, uint64_t c, uint32_t digit) {
  uint32_t a = x->actor;
  double uc = u[c * r->na + a], tc = t[a];
  if (a < r->s->nparties && !((r->sp.redok[c] >> a) & 1))
    return (line){-1, 0};
  switch (x->kind) {
  case PL_PARAM_THRESHOLD:
    return (line){uc - tc + PL_EPS, -1};
  case PL_PARAM_VALUE: {
    double wt = r->base_w[(size_t)a * r->m + x->issue];
    return (line){uc - tc + PL_EPS, digit == x->value ? wt : 0};
  }
  case PL_PARAM_WEIGHT: {
    double W = weight_sum(r, a);
    double v =
        r->base_vals[(size_t)a * r->total + r->s->offset[x->issue] + digit];
    return (line){uc * W - (tc - PL_EPS) * W, v - (tc - PL_EPS)};
  }
  }
  return (line){0, 0};
}

/* Actor a's margin at candidate c when the input is at value `at`. */
static double margin_at(const pl_robust *r, const pl_sens *x, const double *u,
                        const double *t, uint64_t c, uint32_t digit,
                        double at) {
  uint32_t a = x->actor;
  double uc = u[c * r->na + a], d = at - x->base;
  switch (x->kind) {
  case PL_PARAM_THRESHOLD:
    return uc - (at + r->t_offset[a]);
  case PL_PARAM_VALUE:
    return uc +
           (digit == x->value ? r->base_w[(size_t)a * r->m + x->issue] * d
                              : 0) -
           t[a];
  case PL_PARAM_WEIGHT: {
    double W = weight_sum(r, a);
    double v =
        r->base_vals[(size_t)a * r->total + r->s->offset[x->issue] + digit];
    return (uc * W + d * v) / (W + d) - t[a];
  }
  }
  return 0;
}

/* The inputs: every distribution and every Dirichlet weight. */
static size_t list_inputs(pl_robust *r) {
  const pl_scenario *s = r->s;
  const pl_uncertainty *u = s->unc;
  size_t n = u->nparams;
  for (uint32_t k = 0; k < u->ndirichlet; k++)
    for (uint32_t i = 0; i < r->m; i++)
      n += u->dirichlet[k].alpha[i] > 0;
  r->sens = calloc(n ? n : 1, sizeof *r->sens);
  if (!r->sens)
    return 0;
  size_t j = 0;
  for (uint32_t k = 0; k < u->nparams; k++) {
    const pl_param *p = &u->params[k];
    pl_sens *x = &r->sens[j++];
    x->kind = p->kind, x->actor = p->actor, x->issue = p->issue;
    x->value = p->value, x->base = p->dist.base;
    x->lo = p->dist.lo, x->hi = p->dist.hi;
    if (p->dist.kind == PL_DIST_BETA) {
      double a = p->dist.a, b = p->dist.b, mu = a / (a + b);
      double sd = sqrt(mu * (1 - mu) / (a + b + 1));
      x->lo = fmax(0, mu - 2 * sd), x->hi = fmin(1, mu + 2 * sd);
    }
  }
  for (uint32_t k = 0; k < u->ndirichlet; k++) {
    const pl_dirichlet *dir = &u->dirichlet[k];
    double a0 = 0;
    for (uint32_t i = 0; i < r->m; i++)
      a0 += dir->alpha[i];
    for (uint32_t i = 0; i < r->m; i++) {
      if (!(dir->alpha[i] > 0))
        continue;
      pl_sens *x = &r->sens[j++];
      double mu = dir->alpha[i] / a0, sd = sqrt(mu * (1 - mu) / (a0 + 1));
      *x = (pl_sens){.kind = PL_PARAM_WEIGHT, .actor = dir->actor, .issue = i};
      x->base = r->base_w[(size_t)dir->actor * r->m + i];
      x->lo = fmax(0, mu - 2 * sd), x->hi = fmin(1, mu + 2 * sd);
    }
  }
  for (size_t k = 0; k < n; k++) {
    pl_sens *x = &r->sens[k];
    const char *who = s->actors[x->actor].name;
    const pl_issue *is = &s->issues[x->issue];
    char val[128];
    if (x->kind == PL_PARAM_THRESHOLD)
      snprintf(x->name, sizeof x->name, "%s %s", who,
               x->actor < s->nparties ? "reservation" : "threshold");
    else if (x->kind == PL_PARAM_WEIGHT)
      snprintf(x->name, sizeof x->name, "%s weight of %s", who, is->name);
    else {
      pl_issue_value_text(s, x->issue, x->value, val, sizeof val);
      snprintf(x->name, sizeof x->name, "%s value of %s = %s", who, is->name,
               val);
    }
  }
  return n;
}

static int by_swing(const void *x, const void *y) {
  const pl_sens *a = x, *b = y;
  if (a->swing != b->swing)
    return a->swing > b->swing ? -1 : 1;
  return strcmp(a->name, b->name);
}

static bool alloc_sweep(sweep *w, const pl_robust *r) {
  const pl_space *sp = &r->sp;
  size_t n = sp->n ? sp->n : 1;
  w->omask = malloc(n * sizeof *w->omask);
  w->on = malloc(n * sizeof *w->on);
  w->cnt = calloc(sp->nsets + 1, sizeof *w->cnt);
  w->gm = calloc(sp->nsets + 1, sizeof *w->gm);
  w->full = calloc(sp->nsets + 1, sizeof *w->full);
  if (!w->omask || !w->on || !w->cnt || !w->gm || !w->full)
    return false;
  for (uint32_t k = 0; k < sp->nsets; k++) {
    w->cnt[k] = malloc(sp->ngroups[k] * sizeof **w->cnt);
    w->gm[k] = malloc(sp->ngroups[k] * sizeof **w->gm);
    if (!w->cnt[k] || !w->gm[k])
      return false;
  }
  return true;
}

static void free_sweep(sweep *w, const pl_robust *r) {
  for (uint32_t k = 0; w->cnt && k < r->sp.nsets; k++)
    free(w->cnt[k]), free(w->gm[k]);
  free(w->omask), free(w->on), free(w->cnt), free(w->gm), free(w->full);
}

/* Resets the sweep for actor a with every candidate "not clearing". */
static void reset_sweep(sweep *w, const pl_robust *r, uint32_t a,
                        const double *u, const double *t) {
  const pl_space *sp = &r->sp;
  w->r = r, w->a = a;
  w->all = r->na >= 64 ? ~0ULL : (1ULL << r->na) - 1;
  w->others = w->all & ~(1ULL << a);
  w->zone = 0;
  for (uint64_t c = 0; c < sp->n; c++) {
    uint64_t m = 0;
    for (uint32_t b = 0; b < r->na; b++) {
      bool red = b >= r->s->nparties || (sp->redok[c] >> b) & 1;
      if (b != a && red && u[c * r->na + b] - t[b] >= -PL_EPS)
        m |= 1ULL << b;
    }
    w->omask[c] = m;
    w->on[c] = false;
  }
  for (uint32_t k = 0; k < sp->nsets; k++) {
    memset(w->cnt[k], 0, sp->ngroups[k] * sizeof **w->cnt);
    memset(w->gm[k], 0, sp->ngroups[k] * sizeof **w->gm);
    w->full[k] = 0;
    for (uint64_t c = 0; c < sp->n; c++)
      w->gm[k][sp->gid[k][c]] |= w->omask[c];
  }
}

bool pl_sensitivity(pl_robust *r) {
  const pl_space *sp = &r->sp;
  if (!sp->enumerated) {
    snprintf(r->sens_note, sizeof r->sens_note,
             "not computed (the packages were not enumerated)");
    return true;
  }
  r->nsens = list_inputs(r);
  if (!r->sens)
    return false;
  double *w0 = malloc(((size_t)r->na * r->m + 1) * sizeof *w0);
  double *v0 = malloc(((size_t)r->na * r->total + 1) * sizeof *v0);
  double *t0 = malloc((r->na + 1) * sizeof *t0);
  /* The candidates' count, read once: ln, ev and dig have n entries, every
   * one written for each input before it is read. */
  const uint64_t n = sp->n;
  line *ln = malloc((n ? n : 1) * sizeof *ln);
  event *ev = malloc((n ? n : 1) * sizeof *ev);
  uint32_t *dig = malloc((n ? n : 1) * sizeof *dig);
  double *u = w0 && v0 && t0 ? base_utilities(r, w0, v0, t0) : NULL;
  sweep w = {0};
  bool ok = u && ln && ev && dig && alloc_sweep(&w, r);
  for (size_t k = 0; ok && k < r->nsens; k++) {
    pl_sens *x = &r->sens[k];
    uint64_t stride = 1;
    for (uint32_t i = x->issue + 1; i < r->m; i++)
      stride *= r->s->issues[i].nvalues;
    for (uint64_t c = 0; c < n; c++) {
      dig[c] =
          (uint32_t)(sp->index[c] / stride % r->s->issues[x->issue].nvalues);
      ln[c] = line_of(r, x, u, t0, c, dig[c]);
    }
    /* The verdict directly; the blocking sets by the sweep (whose own
     * verdict agrees; tests/test_sensitivity.c checks both against brute
     * force). */
    double vu, vd;
    reset_sweep(&w, r, x->actor, u, t0);
    verdict_direct(&w, ln, n, x);
    x->blocking_up = x->blocking_down = NAN;
    if (sp->blocking) {
      run_sweep(&w, ln, n, x->base, x->hi, true, ev, &vu, &x->blocking_up);
      reset_sweep(&w, r, x->actor, u, t0);
      run_sweep(&w, ln, n, x->base, x->lo, false, ev, &vd, &x->blocking_down);
    }
    /* The best margin at both ends. */
    double best[2] = {-INFINITY, -INFINITY}, at[2] = {x->lo, x->hi};
    uint64_t allred =
        r->s->nparties >= 64 ? ~0ULL : (1ULL << r->s->nparties) - 1;
    for (uint64_t c = 0; c < sp->n; c++) {
      if ((sp->redok[c] & allred) != allred)
        continue;
      double others = INFINITY;
      for (uint32_t b = 0; b < r->na; b++)
        if (b != x->actor)
          others = fmin(others, u[c * r->na + b] - t0[b]);
      for (int e = 0; e < 2; e++)
        best[e] = fmax(best[e],
                       fmin(others, margin_at(r, x, u, t0, c, dig[c], at[e])));
    }
    x->margin_lo = best[0], x->margin_hi = best[1];
    x->swing = fabs(best[1] - best[0]);
    if (r->opt.progress)
      r->opt.progress(r->opt.progress_ctx, "sensitivity", k + 1, r->nsens);
  }
  if (ok)
    qsort(r->sens, r->nsens, sizeof *r->sens, by_swing);
  free_sweep(&w, r);
  free(w0), free(v0), free(t0), free(ln), free(ev), free(dig), free(u);
  return ok;
}
