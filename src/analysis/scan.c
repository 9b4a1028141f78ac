#include "analysis/scan.h"

#include "util/parallel.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

/* Each worker's state starts on its own cache line, and so do the arrays it
 * writes for every outcome: two threads writing one line would slow each
 * other down (false sharing). */
enum { CACHE_LINE = 64 };

typedef struct worker {
  _Alignas(CACHE_LINE) scan_result r;
  uint32_t *digits;
  double *prefix; /* (n + 1) * na running sums */
  double *u;      /* finished utilities of non-additive scenarios */
  bool ok;
} worker;

typedef struct scan_ctx {
  const scan_spec *spec;
  const pl_scenario *s;
  uint32_t n, np, na;
  double *cell;      /* cell[(offset[i] + v) * na + a]: actors side by side */
  double *threshold; /* per actor */
  worker *workers;
} scan_ctx;

/* Zeroed memory on a cache line of its own (rounded up to whole lines). */
static void *line_alloc(size_t size) {
  size = (size + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
  void *p = aligned_alloc(CACHE_LINE, size ? size : CACHE_LINE);
  if (p)
    memset(p, 0, size);
  return p;
}

static bool result_init(scan_result *r, const pl_scenario *s, unsigned what) {
  memset(r, 0, sizeof *r);
  uint32_t np = s->nparties, nr = s->nratifiers;
  r->acceptable = line_alloc(np * sizeof *r->acceptable);
  r->approved = line_alloc((nr ? nr : 1) * sizeof *r->approved);
  r->best_feasible = line_alloc(np * sizeof *r->best_feasible);
  r->ideal = line_alloc(np * sizeof *r->ideal);
  r->open = what & SCAN_OPEN ? line_alloc(s->total_values) : NULL;
  pl_archive_init(&r->zone_front, np);
  pl_archive_init(&r->all_front, np);
  r->best_margin = -DBL_MAX;
  r->opposition = DBL_MAX;
  if (!r->acceptable || !r->approved || !r->best_feasible || !r->ideal ||
      ((what & SCAN_OPEN) && !r->open))
    return false;
  for (uint32_t p = 0; p < np; p++)
    r->best_feasible[p] = r->ideal[p] = -DBL_MAX;
  return true;
}

void pl_scan_result_free(scan_result *r) {
  free(r->acceptable);
  free(r->approved);
  free(r->best_feasible);
  free(r->ideal);
  free(r->open);
  pl_archive_free(&r->zone_front);
  pl_archive_free(&r->all_front);
  memset(r, 0, sizeof *r);
}

/* Prefix sums from issue `from` on, after digits[from..] changed. */
static void refresh(const scan_ctx *c, worker *w, uint32_t from) {
  const uint32_t *off = c->s->offset;
  uint32_t na = c->na;
  for (uint32_t i = from; i < c->n; i++) {
    const double *prev = w->prefix + (size_t)i * na;
    double *next = w->prefix + (size_t)(i + 1) * na;
    const double *add = c->cell + (size_t)(off[i] + w->digits[i]) * na;
    for (uint32_t a = 0; a < na; a++)
      next[a] = prev[a] + add[a];
  }
}

static bool party_rules_hold(const pl_actor *p, const uint32_t *v) {
  for (uint32_t k = 0; k < p->nred_lines; k++)
    if (!pl_rule_holds(&p->red_lines[k], v))
      return false;
  return true;
}

static void note_zone(const scan_ctx *c, worker *w, uint64_t idx,
                      const double *u) {
  scan_result *r = &w->r;
  r->zone++;
  for (uint32_t p = 0; p < c->np; p++)
    if (u[p] > r->ideal[p])
      r->ideal[p] = u[p];
  if (c->spec->what & SCAN_FRONTIER)
    pl_archive_add(&r->zone_front, idx, u);
  if (r->open)
    for (uint32_t i = 0; i < c->n; i++)
      r->open[c->s->offset[i] + w->digits[i]] = 1;
}

static void note_opposition(const scan_ctx *c, worker *w, uint64_t idx,
                            const double *u) {
  double d = 0;
  for (uint32_t p = 0; p < c->np; p++) {
    double m = c->spec->opp_max[p];
    double t = m > 0 ? 1.0 - u[p] / m : 0.0;
    d += t * t;
  }
  if (d < w->r.opposition ||
      (d == w->r.opposition && idx < w->r.opposition_index)) {
    w->r.opposition = d;
    w->r.opposition_index = idx;
  }
}

/* Everything the analysis learns from one outcome. */
static void visit(const scan_ctx *c, worker *w, uint64_t idx) {
  const pl_scenario *s = c->s;
  const uint32_t *v = w->digits;
  const double *u = w->prefix + (size_t)c->n * c->na;
  scan_result *r = &w->r;
  if (s->nonadditive) { /* boxes and caps on top of the additive sums */
    for (uint32_t a = 0; a < c->na; a++)
      w->u[a] = pl_actor_finish(&s->actors[a], u[a], v);
    u = w->u;
  }
  bool feasible = true;
  for (uint32_t k = 0; k < s->nconstraints && feasible; k++)
    feasible = pl_rule_holds(&s->constraints[k], v);
  bool all_red = feasible;
  if (feasible) {
    r->feasible++;
    r->any_feasible = true;
    for (uint32_t p = 0; p < c->np; p++) {
      bool red = party_rules_hold(&s->actors[p], v);
      all_red &= red;
      if (red && u[p] >= c->threshold[p] - PL_EPS)
        r->acceptable[p]++;
      if (u[p] > r->best_feasible[p])
        r->best_feasible[p] = u[p];
    }
    for (uint32_t a = c->np; a < c->na; a++)
      if (u[a] >= c->threshold[a] - PL_EPS)
        r->approved[a - c->np]++;
    if (c->spec->what & SCAN_FRONTIER_ALL)
      pl_archive_add(&r->all_front, idx, u);
    if (c->spec->what & SCAN_OPPOSITION)
      note_opposition(c, w, idx, u);
  }
  if (!all_red)
    return;
  /* Thresholds are met as the reference compares them, u >= t - 1e-9, so
   * the zone agrees with the per-actor verdicts to the last bit. */
  double margin = DBL_MAX;
  bool meets = true;
  for (uint32_t a = 0; a < c->na; a++) {
    double m = u[a] - c->threshold[a];
    if (m < margin)
      margin = m;
    meets &= u[a] >= c->threshold[a] - PL_EPS;
  }
  r->any_ruled = true;
  if (margin > r->best_margin ||
      (margin == r->best_margin && idx < r->best_margin_index)) {
    r->best_margin = margin;
    r->best_margin_index = idx;
  }
  if (meets)
    note_zone(c, w, idx, u);
}

static void scan_chunk(void *vctx, unsigned wid, uint64_t begin, uint64_t end) {
  scan_ctx *c = vctx;
  worker *w = &c->workers[wid];
  const uint32_t *radix = c->spec->radix;
  uint64_t x = begin;
  for (uint32_t i = c->n; i-- > 0;) {
    w->digits[i] = (uint32_t)(x % radix[i]);
    x /= radix[i];
  }
  refresh(c, w, 0);
  for (uint64_t idx = begin;;) {
    visit(c, w, idx);
    if (++idx == end)
      break;
    uint32_t i = c->n - 1;
    while (++w->digits[i] == radix[i]) /* odometer; idx < total: no wrap */
      w->digits[i--] = 0;
    refresh(c, w, i);
  }
}

static void merge_into(scan_result *dst, const scan_result *src,
                       const pl_scenario *s) {
  dst->feasible += src->feasible;
  dst->zone += src->zone;
  for (uint32_t p = 0; p < s->nparties; p++) {
    dst->acceptable[p] += src->acceptable[p];
    if (src->best_feasible[p] > dst->best_feasible[p])
      dst->best_feasible[p] = src->best_feasible[p];
    if (src->ideal[p] > dst->ideal[p])
      dst->ideal[p] = src->ideal[p];
  }
  for (uint32_t q = 0; q < s->nratifiers; q++)
    dst->approved[q] += src->approved[q];
  dst->any_ruled |= src->any_ruled;
  if (src->any_ruled && (src->best_margin > dst->best_margin ||
                         (src->best_margin == dst->best_margin &&
                          src->best_margin_index < dst->best_margin_index))) {
    dst->best_margin = src->best_margin;
    dst->best_margin_index = src->best_margin_index;
  }
  dst->any_feasible |= src->any_feasible;
  if (src->opposition < dst->opposition ||
      (src->opposition == dst->opposition &&
       src->opposition_index < dst->opposition_index)) {
    dst->opposition = src->opposition;
    dst->opposition_index = src->opposition_index;
  }
  pl_archive_merge(&dst->zone_front, &src->zone_front);
  pl_archive_merge(&dst->all_front, &src->all_front);
  if (dst->open)
    for (uint32_t v = 0; v < s->total_values; v++)
      dst->open[v] |= src->open[v];
}

static bool build_cells(scan_ctx *c) {
  const pl_scenario *s = c->s;
  c->cell = malloc((size_t)s->total_values * c->na * sizeof *c->cell);
  c->threshold = malloc(c->na * sizeof *c->threshold);
  if (!c->cell || !c->threshold)
    return false;
  for (uint32_t a = 0; a < c->na; a++) {
    c->threshold[a] = s->actors[a].threshold;
    for (uint32_t v = 0; v < s->total_values; v++)
      c->cell[(size_t)v * c->na + a] = c->spec->term[a][v];
  }
  return true;
}

bool pl_scan(const scan_spec *spec, scan_result *out) {
  const pl_scenario *s = spec->s;
  scan_ctx c = {.spec = spec,
                .s = s,
                .n = s->nissues,
                .np = s->nparties,
                .na = pl_num_actors(s)};
  uint64_t total = 1;
  for (uint32_t i = 0; i < c.n; i++)
    total *= spec->radix[i];
  unsigned threads = pl_thread_count(spec->threads);
  bool ok = result_init(out, s, spec->what) && build_cells(&c);
  c.workers = line_alloc(threads * sizeof *c.workers);
  ok = ok && c.workers;
  for (unsigned t = 0; ok && t < threads; t++) {
    worker *w = &c.workers[t];
    w->digits = line_alloc(c.n * sizeof *w->digits);
    w->prefix = line_alloc((size_t)(c.n + 1) * c.na * sizeof *w->prefix);
    w->u = line_alloc(c.na * sizeof *w->u);
    w->ok = result_init(&w->r, s, spec->what) && w->digits && w->prefix && w->u;
    ok = w->ok;
  }
  if (ok && total > 0)
    pl_parallel_for(threads, total, scan_chunk, &c);
  for (unsigned t = 0; c.workers && t < threads; t++) {
    worker *w = &c.workers[t];
    if (ok)
      merge_into(out, &w->r, s);
    pl_scan_result_free(&w->r);
    free(w->digits);
    free(w->prefix);
    free(w->u);
  }
  free(c.workers);
  free(c.cell);
  free(c.threshold);
  if (ok) {
    pl_archive_finish(&out->zone_front);
    pl_archive_finish(&out->all_front);
    ok = !out->zone_front.failed && !out->all_front.failed;
  }
  return ok;
}
