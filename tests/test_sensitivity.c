/* test_sensitivity.c - the exact sensitivity sweep (uncertainty/
 * sensitivity.c) against brute force: each flip point it reports must be
 * where a scan of the input, re-evaluating the whole model at every step,
 * sees the change. */
#include "support.h"

#include "analysis/analysis.h"
#include "model/body.h"
#include "parley_uncertainty.h"
#include "uncertainty/robust.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sets input x of scenario s to `value` (the others at base, from the
 * fresh copy `base`), the way the Monte Carlo does: weights renormalised. */
static void set_input(pl_scenario *s, const pl_scenario *base, const pl_sens *x,
                      double value) {
  pl_actor *a = &s->actors[x->actor];
  const pl_actor *b = &base->actors[x->actor];
  a->threshold = b->threshold;
  for (uint32_t i = 0; i < s->nissues; i++) {
    a->weights[i] = b->weights[i];
    for (uint32_t v = 0; b->values[i] && v < s->issues[i].nvalues; v++)
      a->values[i][v] = b->values[i][v];
  }
  if (x->kind == PL_PARAM_THRESHOLD)
    a->threshold = value + (b->body ? b->threshold - b->body->threshold : 0);
  else if (x->kind == PL_PARAM_VALUE)
    a->values[x->issue][x->value] = value;
  else {
    a->weights[x->issue] = value;
    double sum = 0;
    for (uint32_t i = 0; i < s->nissues; i++)
      sum += a->weights[i];
    for (uint32_t i = 0; i < s->nissues; i++)
      a->weights[i] /= sum;
  }
  cr_assert(pl_scenario_finish(s));
}

/* Brute force: is some package in the zone? */
static bool zone_open(const pl_scenario *s) {
  uint64_t n;
  cr_assert(pl_space_size(s, &n));
  uint32_t v[PL_MAX_ISSUES];
  for (uint64_t k = 0; k < n; k++) {
    pl_index_to_values(s, k, v);
    bool ok = pl_rules_hold(s, -1, v);
    for (uint32_t a = 0; ok && a < pl_num_actors(s); a++) {
      ok = pl_actor_utility(s, a, v) >= s->actors[a].threshold - PL_EPS;
      if (ok && a < s->nparties)
        ok = pl_rules_hold(s, (int32_t)a, v);
    }
    if (ok)
      return true;
  }
  return false;
}

/* The library's blocking sets, as text ("donbas;guarantees+economy;"). */
static void blocking_sets(const pl_scenario *s, char *buf, size_t len) {
  pl_diag *d = pl_diag_new();
  pl_status st;
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = 1;
  o.no_frontier = true;
  pl_analysis *a = pl_analyze(s, &o, d, &st);
  cr_assert_not_null(a);
  buf[0] = 0;
  for (size_t b = 0; b < a->nblocks; b++) {
    size_t at = strlen(buf);
    snprintf(buf + at, len - at, "%s%s%s;",
             s->issues[a->blocks[b].issues[0]].name,
             a->blocks[b].nissues == 2 ? "+" : "",
             a->blocks[b].nissues == 2 ? s->issues[a->blocks[b].issues[1]].name
                                       : "");
  }
  pl_analysis_free(a);
  pl_diag_free(d);
}

static pl_robust *talks_robust(pl_scenario *s, pl_analysis **a) {
  pl_diag *d = pl_diag_new();
  pl_status st;
  pl_analysis_options ao;
  pl_analysis_options_init(&ao);
  ao.threads = 1;
  *a = pl_analyze(s, &ao, d, &st);
  cr_assert_not_null(*a);
  pl_robust_options o;
  pl_robust_options_init(&o);
  o.draws = 10;
  o.threads = 1;
  pl_robust *r = pl_robust_analyze(*a, &o, d, &st);
  cr_assert_not_null(r);
  pl_diag_free(d);
  return r;
}

Test(sensitivity, verdict_flips_equal_a_brute_force_scan) {
  /* Every input of talks-uncertain, 200 steps across its range: the first
   * step on each side of the base where the zone's emptiness changes must
   * bracket the flip point the sweep reports (and no step must change when
   * it reports none). */
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_builtin("talks-uncertain", d);
  pl_scenario *base = pl_scenario_builtin("talks-uncertain", d);
  pl_analysis *a;
  pl_robust *r = talks_robust(base, &a);
  cr_assert_gt(r->nsens, 10);
  bool open0 = zone_open(base);
  int flips = 0;
  for (size_t k = 0; k < r->nsens; k++) {
    const pl_sens *x = &r->sens[k];
    const int steps = 200;
    double h = (x->hi - x->lo) / steps;
    /* Up: the first step above the base where the verdict differs. */
    double found_up = NAN, found_down = NAN;
    for (int j = 1; j <= steps && isnan(found_up); j++) {
      double at = x->base + j * h;
      if (at > x->hi + 1e-12)
        break;
      set_input(s, base, x, at);
      if (zone_open(s) != open0)
        found_up = at;
    }
    for (int j = 1; j <= steps && isnan(found_down); j++) {
      double at = x->base - j * h;
      if (at < x->lo - 1e-12)
        break;
      set_input(s, base, x, at);
      if (zone_open(s) != open0)
        found_down = at;
    }
    if (isnan(found_up))
      cr_assert(isnan(x->verdict_up) || x->verdict_up > x->hi - h,
                "%s: sweep flips at %.6f, the scan sees none", x->name,
                x->verdict_up);
    else
      cr_assert(x->verdict_up > found_up - h - 1e-9 &&
                    x->verdict_up <= found_up + 1e-9,
                "%s: sweep %.6f, scan %.6f", x->name, x->verdict_up, found_up);
    if (isnan(found_down))
      cr_assert(isnan(x->verdict_down) || x->verdict_down < x->lo + h,
                "%s: sweep flips at %.6f below, the scan sees none", x->name,
                x->verdict_down);
    else
      cr_assert(x->verdict_down < found_down + h + 1e-9 &&
                    x->verdict_down >= found_down - 1e-9,
                "%s: sweep %.6f, scan %.6f", x->name, x->verdict_down,
                found_down);
    flips += !isnan(found_up) + !isnan(found_down);
  }
  /* The talks open when Russia's reservation drops by delta* = 0.07 (to
   * 0.53) or its value of the demilitarised zone rises by delta* / w =
   * 0.07 / 0.5 = 0.14 (to 0.54): at least these two flip. */
  cr_assert_geq(flips, 2);
  for (size_t k = 0; k < r->nsens; k++)
    if (!strcmp(r->sens[k].name, "Russia reservation"))
      cr_assert_float_eq(r->sens[k].verdict_down, 0.53 + PL_EPS, 1e-9);
  pl_robust_free(r);
  pl_analysis_free(a);
  pl_scenario_free(s);
  pl_scenario_free(base);
  pl_diag_free(d);
}

Test(sensitivity, blocking_changes_match_the_library) {
  /* Where the sweep says the blocking sets change, the library's own
   * analysis (parking by enumeration) must give the base sets just before
   * the point and other sets just after it. */
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_builtin("talks-uncertain", d);
  pl_scenario *base = pl_scenario_builtin("talks-uncertain", d);
  pl_analysis *a;
  pl_robust *r = talks_robust(base, &a);
  char b0[512], b1[512];
  blocking_sets(base, b0, sizeof b0);
  int checked = 0;
  for (size_t k = 0; k < r->nsens && checked < 4; k++) {
    const pl_sens *x = &r->sens[k];
    double at = !isnan(x->blocking_up) ? x->blocking_up : x->blocking_down;
    if (isnan(at))
      continue;
    double dir = at == x->blocking_up ? 1 : -1;
    /* Halfway between the base and the point: still the base sets. */
    set_input(s, base, x, (x->base + at) / 2);
    blocking_sets(s, b1, sizeof b1);
    cr_assert_str_eq(b1, b0, "%s at %.6f", x->name, (x->base + at) / 2);
    /* At the point or just beyond it: other sets. */
    set_input(s, base, x, at);
    blocking_sets(s, b1, sizeof b1);
    bool changed = strcmp(b1, b0) != 0;
    set_input(s, base, x, at + dir * 1e-7);
    blocking_sets(s, b1, sizeof b1);
    changed |= strcmp(b1, b0) != 0;
    cr_assert(changed, "%s: no change at %.6f", x->name, at);
    checked++;
  }
  cr_assert_geq(checked, 3);
  pl_robust_free(r);
  pl_analysis_free(a);
  pl_scenario_free(s);
  pl_scenario_free(base);
  pl_diag_free(d);
}
