/* montecarlo.c - the Monte Carlo (SMAA) analysis (docs/uncertainty.md).
 *
 * Each draw d takes its own random stream (seed, d), so a draw's inputs do
 * not depend on which thread runs it or in which order; every total is an
 * integer (counts, or fixed-point sums of values in [0, 1], robust.h), so
 * the totals are the same for any number of threads. Per draw the actors'
 * term tables are rebuilt (utilities are linear in the weights and
 * values), the utility of each package is the sum of two half tables, and
 * one pass over the packages gives the zone, delta*, every package's
 * acceptance and ratification and the masks the parking sets need.
 */
#include "uncertainty/robust.h"

#include "util/diag.h"
#include "util/parallel.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Draws per batch with --precision. */
#define BATCH 1000
#define MAX_PRECISION_DRAWS 1000000ULL

/* Candidates per chunk: a chunk's accumulators stay in cache while every
 * draw of a block passes over it. */
#define CHUNK 8192
#define MAX_BLOCK 32

typedef struct worker {
  const pl_robust *r;
  uint64_t begin, end; /* draws */
  uint32_t block;      /* draws per block */
  /* Scratch for one draw, then per draw j of a block: term, t, half
   * tables, the best margin and whether the zone is open. */
  double *w, *vals, *term, *t, *ha, *hb, *u, *best;
  bool *open;
  uint64_t *ok; /* per draw of the block, per candidate (blocking only) */
  uint64_t *gmask;
  uint64_t zone_open, same, *set_blocks;
  int64_t *acc_r, *acc_n;
  /* Per watched package: accepts[na], ratify_fx[na], all, zone, accrat. */
  int64_t *wacc;
} worker;

static size_t wstride(const pl_robust *r) { return 2 * (size_t)r->na + 3; }

void pl_base_model(const pl_robust *r, double *w, double *vals, double *t) {
  memcpy(w, r->base_w, (size_t)r->na * r->m * sizeof *w);
  memcpy(vals, r->base_vals, (size_t)r->na * r->total * sizeof *vals);
  memcpy(t, r->base_t, r->na * sizeof *t);
}

static void apply(const pl_robust *r, const pl_param *p, double x, double *w,
                  double *vals, double *t) {
  switch (p->kind) {
  case PL_PARAM_WEIGHT:
    w[(size_t)p->actor * r->m + p->issue] = x;
    break;
  case PL_PARAM_VALUE:
    vals[(size_t)p->actor * r->total + r->s->offset[p->issue] + p->value] = x;
    break;
  case PL_PARAM_THRESHOLD:
    t[p->actor] = x + r->t_offset[p->actor];
    break;
  }
}

static double *term_of(const pl_robust *r, const worker *W, uint32_t j) {
  return W->term + (size_t)j * r->na * r->total;
}
static double *t_of(const pl_robust *r, const worker *W, uint32_t j) {
  return W->t + (size_t)j * r->na;
}
static double *ha_of(const pl_robust *r, const worker *W, uint32_t j) {
  return W->ha + (size_t)j * r->na * r->sp.na;
}
static double *hb_of(const pl_robust *r, const worker *W, uint32_t j) {
  return W->hb + (size_t)j * r->na * r->sp.nb;
}

/* Draw d's inputs into slot j: its term tables and thresholds. */
static void draw_model(const pl_robust *r, worker *W, uint64_t d, uint32_t j) {
  const pl_uncertainty *u = r->s->unc;
  double *T = t_of(r, W, j);
  pl_rng rng;
  pl_rng_seed2(&rng, r->opt.seed, d);
  pl_base_model(r, W->w, W->vals, T);
  for (uint32_t k = 0; k < u->nparams; k++)
    apply(r, &u->params[k], pl_dist_draw(&u->params[k].dist, &rng), W->w,
          W->vals, T);
  for (uint32_t k = 0; k < u->ndirichlet; k++) {
    const pl_dirichlet *dir = &u->dirichlet[k];
    double *w = W->w + (size_t)dir->actor * r->m, sum = 0;
    for (uint32_t i = 0; i < r->m; i++) {
      w[i] = dir->alpha[i] > 0 ? pl_gamma_draw(dir->alpha[i], &rng) : 0;
      sum += w[i];
    }
    for (uint32_t i = 0; sum > 0 && i < r->m; i++)
      w[i] /= sum;
  }
  if (u->nvariants) {
    double x = pl_rng_uniform(&rng), acc = 0;
    uint32_t v = 0;
    while (v + 1 < u->nvariants && x >= (acc += u->variants[v].probability))
      v++;
    for (uint32_t k = 0; k < u->variants[v].nset; k++) {
      const pl_param *p = &u->variants[v].set[k];
      apply(r, p, pl_dist_draw(&p->dist, &rng), W->w, W->vals, T);
    }
  }
  double *term0 = term_of(r, W, j);
  for (uint32_t a = 0; a < r->na; a++) {
    double *w = W->w + (size_t)a * r->m, sum = 0;
    if (r->renorm[a]) {
      for (uint32_t i = 0; i < r->m; i++)
        sum += w[i];
      for (uint32_t i = 0; sum > 0 && i < r->m; i++)
        w[i] /= sum;
    }
    const double *val = W->vals + (size_t)a * r->total;
    double *term = term0 + (size_t)a * r->total;
    for (uint32_t i = 0; i < r->m; i++)
      for (uint32_t o = r->s->offset[i]; o < r->s->offset[i + 1]; o++)
        term[o] = w[i] * val[o];
  }
}

/* The half table of actor a over issues [from, to): sums of terms. */
static void half_table(const pl_robust *r, const double *term, uint32_t from,
                       uint32_t to, double *out, uint64_t n) {
  const pl_scenario *s = r->s;
  uint32_t v[PL_MAX_ISSUES] = {0};
  for (uint64_t k = 0; k < n; k++) {
    if (k)
      for (int32_t i = (int32_t)to - 1; i >= (int32_t)from; i--) {
        if (++v[i] < s->issues[i].nvalues)
          break;
        v[i] = 0;
      }
    double sum = 0;
    for (uint32_t i = from; i < to; i++)
      sum += term[s->offset[i] + v[i]];
    out[k] = sum;
  }
}

/* x >= 0 in fixed point; a Nash product above 2^20 saturates. */
static int64_t fx(double x) {
  if (x > 1048576.0)
    x = 1048576.0;
  return (int64_t)(x * PL_FX + 0.5);
}

/* P(every body ratifies) at utilities u (others: 1). */
static double bodies_pass(const pl_robust *r, const double *t,
                          const double *u) {
  double p = 1.0;
  for (uint32_t a = r->s->nparties; a < r->na; a++) {
    const pl_body *b = r->s->actors[a].body;
    if (b)
      p *= pl_body_probability(b, u[a], t[a] - r->t_offset[a]);
  }
  return p;
}

static uint64_t party_bits(const pl_robust *r) {
  return r->s->nparties >= 64 ? ~0ULL : (1ULL << r->s->nparties) - 1;
}

/* Ratifiers that are not bodies: their approval is all-or-nothing. */
static uint64_t plain_bits(const pl_robust *r) {
  uint64_t m = 0;
  for (uint32_t a = r->s->nparties; a < r->na; a++)
    if (!r->s->actors[a].body)
      m |= 1ULL << a;
  return m;
}

static uint64_t all_bits(const pl_robust *r) {
  return r->na >= 64 ? ~0ULL : (1ULL << r->na) - 1;
}

/* Utilities of one package from the term tables, in issue order. */
static void utilities(const pl_robust *r, const double *term, const uint32_t *v,
                      double *u) {
  for (uint32_t a = 0; a < r->na; a++) {
    const double *t = term + (size_t)a * r->total;
    double sum = 0;
    for (uint32_t i = 0; i < r->m; i++)
      sum += t[r->s->offset[i] + v[i]];
    u[a] = r->s->actors[a].capped && sum > 1 ? 1 : sum;
  }
}

/* The mask of actors that clear their thresholds at utilities u (parties:
 * with their red lines), and the smallest margin. */
static uint64_t clear_mask(const pl_robust *r, const double *u, const double *t,
                           uint64_t redok, double *minm) {
  uint64_t mask = 0;
  double lowest = INFINITY;
  for (uint32_t a = 0; a < r->na; a++) {
    double m = u[a] - t[a];
    lowest = m < lowest ? m : lowest;
    if (m >= -PL_EPS)
      mask |= 1ULL << a;
  }
  *minm = lowest;
  return mask & (redok | ~party_bits(r));
}

static void follow_watched(const pl_robust *r, worker *W, uint32_t j) {
  uint64_t all = all_bits(r), parties = party_bits(r), plain = plain_bits(r);
  const double *T = t_of(r, W, j);
  for (size_t k = 0; k < r->nwatch; k++) {
    const pl_watch *x = &r->watch[k];
    int64_t *acc = W->wacc + k * wstride(r);
    utilities(r, term_of(r, W, j), x->values, W->u);
    double minm;
    uint64_t mask = clear_mask(r, W->u, T, x->redok, &minm);
    for (uint32_t a = 0; a < r->na; a++) {
      acc[a] += (mask >> a) & 1;
      if (a >= r->s->nparties)
        acc[r->na + a] +=
            r->s->actors[a].body
                ? fx(pl_body_probability(r->s->actors[a].body, W->u[a],
                                         T[a] - r->t_offset[a]))
                : (int64_t)((mask >> a) & 1) * (int64_t)PL_FX;
    }
    bool parties_ok = (mask & parties) == parties;
    acc[2 * r->na] += parties_ok;
    acc[2 * r->na + 1] += x->feasible && mask == all;
    if (x->feasible && parties_ok && (mask & plain) == plain)
      acc[2 * r->na + 2] += fx(bodies_pass(r, T, W->u));
  }
}

/* The blocking sets of a draw whose zone is empty, from its masks ok: bit
 * k set when parking set k blocks (pairs only when neither of their issues
 * blocks alone). A set's search stops at its first full group. */
static uint64_t draw_blocking(const pl_robust *r, worker *W,
                              const uint64_t *ok) {
  const pl_space *sp = &r->sp;
  uint64_t all = all_bits(r), single = 0, bits = 0;
  for (uint32_t k = 0; k < sp->nsets; k++) {
    if (sp->set_size[k] == 2 &&
        ((single >> sp->set[k][0]) & 1 || (single >> sp->set[k][1]) & 1))
      continue;
    memset(W->gmask, 0, sp->ngroups[k] * sizeof *W->gmask);
    const uint32_t *g = sp->gid[k];
    bool blocks = false;
    for (uint64_t c = 0; c < sp->n && !blocks; c++)
      if (ok[c])
        blocks = (W->gmask[g[c]] |= ok[c]) == all;
    if (blocks) {
      W->set_blocks[k]++;
      if (sp->set_size[k] == 1)
        single |= 1ULL << sp->set[k][0];
      if (k < 64)
        bits |= 1ULL << k;
    }
  }
  return bits;
}

/* Candidates [c0, c1) under draw j of the block. */
static void eval_chunk(const pl_robust *r, worker *W, uint32_t j, uint64_t c0,
                       uint64_t c1) {
  const pl_space *sp = &r->sp;
  const pl_scenario *s = r->s;
  const double *T = t_of(r, W, j), *ha = ha_of(r, W, j), *hb = hb_of(r, W, j);
  uint64_t all = all_bits(r), parties = party_bits(r), plain = plain_bits(r);
  uint64_t need = parties | plain;
  bool bodies = plain != (all & ~parties), capped = s->has_caps;
  uint64_t *ok = W->ok ? W->ok + (size_t)j * sp->n : NULL;
  /* u[a] is written for every actor (na >= nparties) of every candidate;
   * zeroed once per chunk as well, so that the static analyser, which
   * cannot relate na to nparties, sees no read of garbage. */
  double best = W->best[j], u[64] = {0};
  bool open = W->open[j];
  for (uint64_t c = c0; c < c1; c++) {
    if (sp->enumerated)
      for (uint32_t a = 0; a < r->na; a++) {
        double x = ha[(size_t)a * sp->na + sp->ia[c]] +
                   hb[(size_t)a * sp->nb + sp->ib[c]];
        u[a] = capped && s->actors[a].capped && x > 1 ? 1 : x;
      }
    else
      utilities(r, term_of(r, W, j), sp->digits[c], u);
    double minm;
    uint64_t mask = clear_mask(r, u, T, sp->redok[c], &minm);
    if (ok)
      ok[c] = mask;
    if ((sp->redok[c] & parties) == parties && minm > best)
      best = minm;
    if ((mask & need) == need) {
      double p = bodies ? bodies_pass(r, T, u) : 1.0;
      if (p > 0)
        W->acc_r[c] += fx(p);
    }
    if (mask == all) {
      open = true;
      double nash = 1;
      for (uint32_t p = 0; p < s->nparties; p++)
        nash *= u[p] - T[p] > 0 ? u[p] - T[p] : 0;
      W->acc_n[c] += fx(nash);
    }
  }
  W->best[j] = best;
  W->open[j] = open;
}

/* Draws [d0, d0 + nb): their inputs, then every chunk of candidates under
 * each of them, then each draw's zone, delta* and blocking. */
static void run_block(const pl_robust *r, worker *W, uint64_t d0, uint32_t nb) {
  const pl_space *sp = &r->sp;
  for (uint32_t j = 0; j < nb; j++) {
    draw_model(r, W, d0 + j, j);
    follow_watched(r, W, j);
    W->best[j] = -INFINITY;
    W->open[j] = false;
    if (!sp->enumerated)
      continue;
    for (uint32_t a = 0; a < r->na; a++) {
      const double *term = term_of(r, W, j) + (size_t)a * r->total;
      half_table(r, term, 0, sp->h, ha_of(r, W, j) + (size_t)a * sp->na,
                 sp->na);
      half_table(r, term, sp->h, r->m, hb_of(r, W, j) + (size_t)a * sp->nb,
                 sp->nb);
    }
  }
  for (uint64_t c0 = 0; c0 < sp->n; c0 += CHUNK) {
    uint64_t c1 = sp->n - c0 < CHUNK ? sp->n : c0 + CHUNK;
    for (uint32_t j = 0; j < nb; j++)
      eval_chunk(r, W, j, c0, c1);
  }
  if (!sp->enumerated)
    return;
  for (uint32_t j = 0; j < nb; j++) {
    double best = W->best[j];
    bool open = W->open[j];
    W->zone_open += open;
    ((pl_robust *)r)->dstar[d0 + j] = best == -INFINITY ? NAN
                                      : open            ? 0
                                                        : -best;
    if (!open && sp->blocking && best != -INFINITY) {
      uint64_t bits = draw_blocking(r, W, W->ok + (size_t)j * sp->n);
      if (r->base_blocking && bits == r->base_sets)
        W->same++;
    }
  }
}

static void *run_worker(void *arg) {
  worker *W = arg;
  for (uint64_t d = W->begin; d < W->end; d += W->block) {
    uint64_t nb = W->end - d < W->block ? W->end - d : W->block;
    run_block(W->r, W, d, (uint32_t)nb);
  }
  return NULL;
}

static void worker_free(worker *W) {
  free(W->w), free(W->vals), free(W->t), free(W->term), free(W->ha);
  free(W->hb), free(W->u), free(W->best), free(W->open), free(W->ok);
  free(W->gmask), free(W->set_blocks), free(W->acc_r), free(W->acc_n);
  free(W->wacc);
}

/* Draws per block: their half tables within 2 MiB, their masks (blocking)
 * within 4 MiB. */
static uint32_t block_size(const pl_robust *r) {
  const pl_space *sp = &r->sp;
  uint64_t per = (uint64_t)r->na * (sp->enumerated ? sp->na + sp->nb : 1) * 8;
  uint64_t b = (2u << 20) / (per ? per : 1);
  if (sp->blocking)
    b = b < (4u << 20) / (8 * sp->n + 8) ? b : (4u << 20) / (8 * sp->n + 8);
  return b < 1 ? 1 : b > MAX_BLOCK ? MAX_BLOCK : (uint32_t)b;
}

static bool worker_init(const pl_robust *r, worker *W) {
  const pl_space *sp = &r->sp;
  uint64_t groups = 1;
  for (uint32_t k = 0; k < sp->nsets; k++)
    groups = sp->ngroups[k] > groups ? sp->ngroups[k] : groups;
  size_t n = sp->n ? sp->n : 1, B = block_size(r);
  *W = (worker){.r = r, .block = (uint32_t)B};
  W->w = malloc((size_t)r->na * r->m * sizeof *W->w + 8);
  W->vals = malloc((size_t)r->na * r->total * sizeof *W->vals + 8);
  W->t = malloc(B * r->na * sizeof *W->t + 8);
  W->term = malloc(B * r->na * r->total * sizeof *W->term + 8);
  W->ha = malloc(B * r->na * (sp->enumerated ? sp->na : 1) * 8 + 8);
  W->hb = malloc(B * r->na * (sp->enumerated ? sp->nb : 1) * 8 + 8);
  W->u = malloc(r->na * sizeof *W->u + 8);
  W->best = malloc(B * sizeof *W->best);
  W->open = malloc(B * sizeof *W->open);
  W->ok = sp->blocking ? malloc(B * n * sizeof *W->ok) : NULL;
  W->gmask = malloc(groups * sizeof *W->gmask);
  W->set_blocks = calloc(sp->nsets + 1, sizeof *W->set_blocks);
  W->acc_r = calloc(n, sizeof *W->acc_r);
  W->acc_n = calloc(n, sizeof *W->acc_n);
  W->wacc = calloc(r->nwatch * wstride(r) + 1, sizeof *W->wacc);
  return W->w && W->vals && W->t && W->term && W->ha && W->hb && W->u &&
         W->best && W->open && (W->ok || !sp->blocking) && W->gmask &&
         W->set_blocks && W->acc_r && W->acc_n && W->wacc;
}

/* Runs draws [from, to) on the workers and adds their totals to r. */
static bool run_draws(pl_robust *r, worker *ws, uint64_t from, uint64_t to) {
  unsigned T = r->threads;
  pthread_t tid[64];
  bool started[64] = {0};
  for (unsigned k = 0; k < T; k++) {
    ws[k].begin = from + (to - from) * k / T;
    ws[k].end = from + (to - from) * (k + 1) / T;
  }
  for (unsigned k = 1; k < T; k++)
    started[k] = pthread_create(&tid[k], NULL, run_worker, &ws[k]) == 0;
  run_worker(&ws[0]);
  for (unsigned k = 1; k < T; k++) {
    if (started[k])
      pthread_join(tid[k], NULL);
    else
      run_worker(&ws[k]); /* could not start a thread: do its share here */
  }
  return true;
}

/* Adds the workers' totals into r and clears them. */
static void gather(pl_robust *r, worker *ws) {
  for (unsigned k = 0; k < r->threads; k++) {
    worker *W = &ws[k];
    r->zone_open += W->zone_open;
    r->same_diagnosis += W->same;
    W->zone_open = W->same = 0;
    for (uint32_t j = 0; j < r->sp.nsets; j++)
      r->set_blocks[j] += W->set_blocks[j], W->set_blocks[j] = 0;
    for (uint64_t c = 0; c < r->sp.n; c++) {
      r->acc_ratified[c] += W->acc_r[c];
      r->acc_nash[c] += W->acc_n[c];
      W->acc_r[c] = W->acc_n[c] = 0;
    }
    for (size_t x = 0; x < r->nwatch; x++) {
      pl_watch *w = &r->watch[x];
      int64_t *acc = W->wacc + x * wstride(r);
      for (uint32_t a = 0; a < r->na; a++) {
        w->accepts[a] += (uint64_t)acc[a];
        w->ratify_fx[a] += acc[r->na + a];
      }
      w->all_accept += (uint64_t)acc[2 * r->na];
      w->in_zone += (uint64_t)acc[2 * r->na + 1];
      w->accepted_ratified_fx += acc[2 * r->na + 2];
      memset(acc, 0, wstride(r) * sizeof *acc);
    }
  }
}

static void choose_robust(pl_robust *r) {
  r->has_robust = false;
  for (uint64_t c = 0; c < r->sp.n; c++) {
    if (!r->has_robust || r->acc_ratified[c] > r->acc_ratified[r->robust])
      r->robust = c;
    if (!r->has_robust || r->acc_nash[c] > r->acc_nash[r->nash_best])
      r->nash_best = c;
    r->has_robust = true;
  }
}

static double width(pl_probability p) { return p.hi - p.lo; }

/* The widest interval among those reported. */
static double widest(const pl_robust *r) {
  uint64_t n = r->draws;
  double w = 0;
#define WIDEN(sum) w = fmax(w, width(pl_wilson((sum), n)))
  if (r->sp.enumerated)
    WIDEN((double)r->zone_open);
  for (uint32_t k = 0; k < r->sp.nsets; k++)
    if (r->set_blocks[k])
      WIDEN((double)r->set_blocks[k]);
  for (size_t x = 0; x < r->nwatch; x++) {
    const pl_watch *v = &r->watch[x];
    for (uint32_t a = 0; a < r->na; a++)
      WIDEN((double)v->accepts[a]);
    WIDEN((double)v->in_zone);
    WIDEN(v->accepted_ratified_fx / PL_FX);
  }
  if (r->has_robust)
    WIDEN(r->acc_ratified[r->robust] / PL_FX);
#undef WIDEN
  return w;
}

bool pl_montecarlo(pl_robust *r, pl_diag *d) {
  unsigned T = r->threads;
  worker ws[64];
  if (T < 1 || T > 64) { /* robust.c keeps it within 1 to 64 */
    pl_diag_add(d, NULL, 0, 0, "internal error: %u Monte Carlo threads", T);
    return false;
  }
  unsigned ready = 0;
  bool ok = true;
  for (; ready < T && ok; ready++)
    ok = worker_init(r, &ws[ready]);
  /* With --precision, draws is already the cap (robust.c); batches stop
   * earlier once the widest interval is narrow enough. */
  uint64_t most = r->opt.draws;
  r->dstar_cap = most;
  r->dstar = malloc((most ? most : 1) * sizeof *r->dstar);
  if (!ok || !r->dstar) {
    for (unsigned k = 0; k < ready; k++)
      worker_free(&ws[k]);
    pl_diag_add(d, NULL, 0, 0, "out of memory for the Monte Carlo workers");
    return false;
  }
  /* Whole batches when sampling to a precision or reporting progress;
   * the totals are integer sums over draws with their own streams, so
   * the batching changes no result. */
  bool batched = r->opt.precision > 0 || r->opt.progress;
  uint64_t step = batched ? BATCH : most;
  while (r->draws < most) {
    uint64_t to = r->draws + step > most ? most : r->draws + step;
    run_draws(r, ws, r->draws, to);
    gather(r, ws);
    r->draws = to;
    choose_robust(r);
    if (r->opt.progress)
      r->opt.progress(r->opt.progress_ctx, "Monte Carlo draws", r->draws, most);
    if (r->opt.precision > 0 && widest(r) < r->opt.precision)
      break;
  }
  for (unsigned k = 0; k < T; k++)
    worker_free(&ws[k]);
  return true;
}

uint64_t pl_precision_max_draws(void) { return MAX_PRECISION_DRAWS; }
