/* test_genius_analysis.c - analyses of GENIUS domains checked by hand. */
#include "analysis/analysis.h"
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

/* Laptop (tests/data/genius/Laptop), GENIUS reading. Weights (Laptop,
 * Harddisk, Monitor): prof1 .44521, .37808, .17676; prof2 .37808, .17676,
 * .44521 (each sums to 1.0000518). Evaluations divided by each issue's
 * largest: prof1 Laptop Dell 12/30, Mac 20/30, HP 1; HDD 60 Gb 1, 80 Gb
 * 20/30, 120 Gb 9/30; Monitor 19'' 1, 20'' 10/30, 23'' 20/30. prof2 Laptop
 * Dell 12/30, Mac 1, HP 20/30; HDD 60 20/30, 80 1, 120 9/30; Monitor 19''
 * 1, 20'' 2/3, 23'' 1/3. The frontier over all bids, by hand:
 *   HP, 60, 19   u1 = .44521+.37808+.17676 -> capped 1
 *                u2 = .37808*2/3 + .17676*2/3 + .44521 = .815105
 *   HP, 80, 19   u1 = .44521 + .37808*2/3 + .17676 = .874024 = u2
 *   Mac, 60, 19  u1 = .44521*2/3 + .37808 + .17676 = .851648
 *                u2 = .37808 + .17676*2/3 + .44521 = .941133
 *   Mac, 80, 19  u1 = .725620, u2 capped 1
 * Every other bid is dominated (19'' is best for both; Dell is worst for
 * both). Nash (reservations 0): products .8151, .7639, .8015, .7256 -> HP,
 * 60, 19. GENIUS's KS: |u1 - u2| .1849, 0, .0895, .2744 -> HP, 80, 19. */
Test(laptop, frontier_nash_and_genius_ks) {
  const char *dir = data_path("genius/Laptop");
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load(&dir, 1, NULL, d);
  cr_assert_not_null(s);
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.frontier_all = true;
  pl_status st;
  pl_analysis *a = pl_analyze(s, &o, d, &st);
  cr_assert_not_null(a);
  static const double want[4][2] = {{1.0, 0.815105},
                                    {0.874024, 0.874024},
                                    {0.851648, 0.941133},
                                    {0.725620, 1.0}};
  cr_assert_eq(a->nfront, 4);
  for (int k = 0; k < 4; k++) {
    cr_expect_float_eq(a->front_u[2 * k], want[k][0], 1e-6, "point %d", k);
    cr_expect_float_eq(a->front_u[2 * k + 1], want[k][1], 1e-6, "point %d", k);
  }
  uint32_t v[3];
  cr_assert(pl_analysis_solution(a, PL_SOLUTION_NASH, v));
  cr_expect_eq(v[0], 2, "Nash: HP"); /* Dell, Macintosh, HP */
  cr_expect_eq(v[1], 0, "Nash: 60 Gb");
  cr_expect_eq(v[2], 0, "Nash: 19''");
  cr_assert(a->has_genius_ks);
  pl_index_to_values(s, a->genius_ks, v);
  cr_expect_eq(v[0], 2, "GENIUS KS: HP");
  cr_expect_eq(v[1], 1, "GENIUS KS: 80 Gb");
  cr_expect_eq(v[2], 0, "GENIUS KS: 19''");
  pl_analysis_free(a);
  pl_scenario_free(s);
  pl_diag_free(d);
}

/* A cap binds only where some sum exceeds 1. Laptop's weights sum to
 * 1.0000518 (above), so its best bids are capped and it stays
 * non-additive; CameraB's and Camera2011's best terms, added in issue
 * order, stay at or below 1 (checked here), so min(1, u) = u everywhere
 * and they count as additive: above --max-outcomes their counts then come
 * from meet in the middle, and must be the enumeration's. */
static double best_sum(const pl_scenario *s, uint32_t a) {
  double u = 0;
  for (uint32_t i = 0; i < s->nissues; i++) {
    double b = s->term[a][s->offset[i]];
    for (uint32_t v = 1; v < s->issues[i].nvalues; v++)
      b = fmax(b, s->term[a][s->offset[i] + v]);
    u += b;
  }
  return u;
}

static pl_analysis *analyze_at_most(pl_scenario *s, uint64_t cap) {
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.max_outcomes = cap;
  o.threads = 1;
  return analyze_or_fail(s, &o);
}

Test(caps, only_binding_caps_make_a_profile_non_additive) {
  static const char *const folders[] = {"genius/Laptop", "genius/CameraB",
                                        "genius/Camera2011",
                                        "genius/AMPOvsCity"};
  for (int f = 0; f < 4; f++) {
    const char *dir = data_path(folders[f]);
    pl_diag *d = pl_diag_new();
    pl_scenario *s = pl_scenario_load(&dir, 1, NULL, d);
    cr_assert_not_null(s, "%s", folders[f]);
    bool binds = false;
    for (uint32_t a = 0; a < s->nparties; a++) {
      cr_assert(s->actors[a].capped, "the GENIUS reading caps");
      cr_expect_eq(s->actors[a].cap_binds, best_sum(s, a) > 1.0, "%s %u",
                   folders[f], a);
      binds |= s->actors[a].cap_binds;
    }
    /* Laptop: 1.0000518; AMPOvsCity: 1 + 2^-52 (one rounding) */
    cr_expect_eq(binds, f == 0 || f == 3, "%s", folders[f]);
    cr_expect_eq(s->nonadditive, binds, "%s", folders[f]);
    pl_analysis *e = analyze_at_most(s, 0), *m = analyze_at_most(s, 10);
    cr_expect_eq(m->counted_mitm, !binds, "%s", folders[f]);
    if (m->counted_mitm) {
      cr_expect_eq(m->feasible, e->feasible);
      cr_expect_eq(m->zone, e->zone, "%s", folders[f]);
      for (uint32_t p = 0; p < s->nparties; p++)
        cr_expect_eq(m->acceptable[p], e->acceptable[p]);
    }
    for (int w = 0; w < PL_NUM_SOLUTIONS && e->has_solution; w++)
      cr_expect_eq(m->solution[w], e->solution[w], "%s solution %d", folders[f],
                   w);
    pl_analysis_free(e);
    pl_analysis_free(m);
    pl_scenario_free(s);
    pl_diag_free(d);
  }
}
