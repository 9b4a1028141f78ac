/* robust.c - setting up and reading the robust analysis (robust.h). */
#include "uncertainty/robust.h"

#include "io/report.h"
#include "util/diag.h"
#include "util/parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool pl_montecarlo(pl_robust *r, pl_diag *d);
uint64_t pl_precision_max_draws(void);

static const char *const SOLUTION_NAMES[PL_NUM_SOLUTIONS] = {
    "Nash solution", "Kalai-Smorodinsky solution", "egalitarian solution",
    "utilitarian solution"};

void pl_robust_options_init(pl_robust_options *o) {
  *o = (pl_robust_options){.seed = PL_DEFAULT_SEED};
}

bool pl_ratifier_is_body(const pl_scenario *s, uint32_t q) {
  return q < s->nratifiers && s->actors[s->nparties + q].body != NULL;
}

double pl_ratification_probability(const pl_scenario *s, uint32_t q,
                                   const uint32_t *values) {
  if (q >= s->nratifiers)
    return 0;
  uint32_t a = s->nparties + q;
  const pl_actor *act = &s->actors[a];
  double u = pl_actor_utility(s, a, values);
  if (act->body)
    return pl_body_probability(act->body, u, act->body->threshold);
  return u >= act->threshold - PL_EPS ? 1.0 : 0.0;
}

size_t pl_scenario_num_uncertain(const pl_scenario *s) {
  const pl_uncertainty *u = s->unc;
  return u ? (size_t)u->nparams + u->ndirichlet + u->nvariants : 0;
}

static bool add_watch(pl_robust *r, const char *kind, const char *name,
                      const uint32_t *values) {
  const pl_scenario *s = r->s;
  pl_watch *w = &r->watch[r->nwatch++];
  w->kind = kind;
  snprintf(w->name, sizeof w->name, "%s", name);
  w->values = malloc((s->nissues ? s->nissues : 1) * sizeof *w->values);
  w->accepts = calloc(r->na, sizeof *w->accepts);
  w->ratify_fx = calloc(r->na, sizeof *w->ratify_fx);
  if (!w->values || !w->accepts || !w->ratify_fx)
    return false;
  memcpy(w->values, values, s->nissues * sizeof *values);
  w->feasible = pl_outcome_feasible(s, values);
  w->redok = 0;
  for (uint32_t p = 0; p < s->nparties; p++) {
    bool ok = true;
    for (uint32_t k = 0; ok && k < s->actors[p].nred_lines; k++)
      ok = pl_rule_holds(&s->actors[p].red_lines[k], values);
    w->redok |= ok ? 1ULL << p : 0;
  }
  return true;
}

static bool watch_list(pl_robust *r) {
  const pl_scenario *s = r->s;
  const pl_analysis *a = r->base;
  size_t extra = pl_extra_count(a);
  r->watch =
      calloc(s->nproposals + extra + PL_NUM_SOLUTIONS + 2, sizeof *r->watch);
  uint32_t *v = malloc((s->nissues ? s->nissues : 1) * sizeof *v);
  bool ok = r->watch && v;
  for (uint32_t k = 0; ok && k < s->nproposals; k++)
    ok = add_watch(r, "proposal", s->proposals[k].name, s->proposals[k].values);
  for (size_t k = 0; ok && k < extra; k++) {
    char name[32];
    snprintf(name, sizeof name, "package %zu", k + 1);
    ok = add_watch(r, "package", name, pl_extra_package(a, k));
  }
  for (int k = 0; ok && a->has_solution && k < PL_NUM_SOLUTIONS; k++) {
    pl_index_to_values(s, a->solution[k], v);
    ok = add_watch(r, "solution", SOLUTION_NAMES[k], v);
  }
  if (ok && a->has_concession) {
    pl_index_to_values(s, a->concession_index, v);
    ok = add_watch(r, "concession", "concession package", v);
  }
  free(v);
  return ok;
}

static bool model_arrays(pl_robust *r) {
  const pl_scenario *s = r->s;
  r->na = pl_num_actors(s);
  r->m = s->nissues;
  r->total = s->total_values;
  r->base_w = calloc((size_t)r->na * r->m + 1, sizeof *r->base_w);
  r->base_vals = calloc((size_t)r->na * r->total + 1, sizeof *r->base_vals);
  r->base_t = calloc(r->na + 1, sizeof *r->base_t);
  r->t_offset = calloc(r->na + 1, sizeof *r->t_offset);
  r->renorm = calloc(r->na + 1, sizeof *r->renorm);
  if (!r->base_w || !r->base_vals || !r->base_t || !r->t_offset || !r->renorm)
    return false;
  for (uint32_t a = 0; a < r->na; a++) {
    const pl_actor *act = &s->actors[a];
    for (uint32_t i = 0; i < r->m; i++) {
      r->base_w[(size_t)a * r->m + i] = act->weights[i];
      for (uint32_t v = 0; act->values[i] && v < s->issues[i].nvalues; v++)
        r->base_vals[(size_t)a * r->total + s->offset[i] + v] =
            act->values[i][v];
    }
    r->base_t[a] = act->threshold;
    r->t_offset[a] = act->body ? act->threshold - act->body->threshold : 0;
  }
  const pl_uncertainty *u = s->unc;
  for (uint32_t k = 0; u && k < u->nparams; k++)
    if (u->params[k].kind == PL_PARAM_WEIGHT)
      r->renorm[u->params[k].actor] = true;
  for (uint32_t v = 0; u && v < u->nvariants; v++)
    for (uint32_t k = 0; k < u->variants[v].nset; k++)
      if (u->variants[v].set[k].kind == PL_PARAM_WEIGHT)
        r->renorm[u->variants[v].set[k].actor] = true;
  return true;
}

/* Which parking sets block in the base analysis (bits, as the draws). */
static void base_sets(pl_robust *r) {
  const pl_analysis *a = r->base;
  r->base_blocking =
      pl_zone_empty(a) && a->nblocks > 0 && r->sp.blocking && r->sp.nsets <= 64;
  r->base_sets = 0;
  for (size_t b = 0; r->base_blocking && b < a->nblocks; b++)
    for (uint32_t k = 0; k < r->sp.nsets; k++) {
      bool same = r->sp.set_size[k] == a->blocks[b].nissues &&
                  r->sp.set[k][0] == a->blocks[b].issues[0] &&
                  (a->blocks[b].nissues == 1 ||
                   r->sp.set[k][1] == a->blocks[b].issues[1]);
      if (same)
        r->base_sets |= 1ULL << k;
    }
}

static pl_robust *refuse(pl_robust *r, pl_diag *d, pl_status *st,
                         pl_status code, const char *msg) {
  pl_diag_add(d, NULL, 0, 0, "%s", msg);
  *st = code;
  pl_robust_free(r);
  return NULL;
}

pl_robust *pl_robust_analyze(const pl_analysis *base,
                             const pl_robust_options *o, pl_diag *d,
                             pl_status *st) {
  pl_robust *r = calloc(1, sizeof *r);
  if (!r)
    return refuse(r, d, st, PL_ENOMEM, "out of memory");
  r->base = base;
  r->s = base->s;
  pl_robust_options_init(&r->opt);
  if (o)
    r->opt = *o;
  if (!r->opt.draws)
    r->opt.draws =
        r->opt.precision > 0 ? pl_precision_max_draws() : PL_DEFAULT_DRAWS;
  if (!r->opt.max_packages)
    r->opt.max_packages = 10000000ULL;
  if (r->opt.draws > 100000000ULL)
    return refuse(r, d, st, PL_EINPUT, "--draws: at most 10^8 draws");
  if (!(r->opt.precision >= 0 && r->opt.precision < 1))
    return refuse(r, d, st, PL_EINPUT,
                  "--precision: an interval width in (0, 1)");
  r->threads = pl_thread_count(r->opt.threads);
  r->threads = r->threads > 64 ? 64 : r->threads < 1 ? 1 : r->threads;
  const pl_scenario *s = r->s;
  if (!s->unc)
    return refuse(r, d, st, PL_EINPUT,
                  "the scenario has no uncertain inputs to draw "
                  "(docs/scenario-format.md, section 13)");
  if (s->has_boxes)
    return refuse(r, d, st, PL_EINPUT,
                  "the Monte Carlo analysis does not handle non-linear "
                  "(hyperRectangle) profiles");
  if (pl_num_actors(s) > 64)
    return refuse(r, d, st, PL_EINPUT,
                  "the Monte Carlo analysis handles at most 64 parties and "
                  "ratifiers together");
  if (!model_arrays(r) || !watch_list(r))
    return refuse(r, d, st, PL_ENOMEM, "out of memory");
  if (!pl_space_build(r, d)) {
    *st = PL_ENOMEM;
    pl_robust_free(r);
    return NULL;
  }
  base_sets(r);
  r->set_blocks = calloc(r->sp.nsets + 1, sizeof *r->set_blocks);
  r->acc_ratified = calloc(r->sp.n + 1, sizeof *r->acc_ratified);
  r->acc_nash = calloc(r->sp.n + 1, sizeof *r->acc_nash);
  if (!r->set_blocks || !r->acc_ratified || !r->acc_nash)
    return refuse(r, d, st, PL_ENOMEM, "out of memory");
  if (!pl_montecarlo(r, d)) {
    *st = PL_ENOMEM;
    pl_robust_free(r);
    return NULL;
  }
  if (!r->opt.no_sensitivity && !pl_sensitivity(r))
    return refuse(r, d, st, PL_ENOMEM, "out of memory in the sensitivity");
  *st = PL_OK;
  return r;
}

void pl_robust_free(pl_robust *r) {
  if (!r)
    return;
  for (size_t k = 0; k < r->nwatch; k++) {
    free(r->watch[k].values);
    free(r->watch[k].accepts);
    free(r->watch[k].ratify_fx);
  }
  free(r->watch);
  pl_space_free(&r->sp);
  free(r->base_w), free(r->base_vals), free(r->base_t), free(r->t_offset);
  free(r->renorm), free(r->set_blocks), free(r->dstar);
  free(r->acc_ratified), free(r->acc_nash), free(r->sens);
  free(r);
}

uint64_t pl_robust_draws(const pl_robust *r) { return r->draws; }

bool pl_robust_zone_open(const pl_robust *r, pl_probability *p) {
  if (!r->sp.enumerated)
    return false;
  *p = pl_wilson((double)r->zone_open, r->draws);
  return true;
}

bool pl_robust_proposal(const pl_robust *r, size_t k, pl_probability *p) {
  if (k >= r->s->nproposals)
    return false;
  *p = pl_wilson(r->watch[k].accepted_ratified_fx / PL_FX, r->draws);
  return true;
}
