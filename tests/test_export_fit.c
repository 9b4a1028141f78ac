/* test_export_fit.c - `parley convert --normalize` and `--lossy` (issue 11,
 * item 6; docs/formats.md, "When a format cannot hold the scenario"):
 * without them the refusal names the option and nothing is written; with
 * them the file is written, every change or loss is listed on standard
 * error, and what is written reads back to the numbers it should. */
#define _XOPEN_SOURCE 700
#include "support.h"

#include "io/geniusweb.h"
#include "model/scenario.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

/* A fresh folder; `out` is a folder inside it that does not exist yet. */
static void scratch(char *root, size_t len, char *out) {
  snprintf(root, len, "/tmp/parley-fit-XXXXXX");
  cr_assert_not_null(mkdtemp(root));
  snprintf(out, len, "%s/out", root);
}

static bool exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static int count(const char *text, const char *needle) {
  int n = 0;
  for (const char *p = text; (p = strstr(p, needle)); p++)
    n++;
  return n;
}

static pl_scenario *load_paths(const char *path, bool web) {
  pl_diag *d = pl_diag_new();
  const char *paths[] = {path};
  pl_load_options lo = {0};
  pl_scenario *s =
      web ? pl_geniusweb_load(paths, 1, d) : pl_scenario_load(paths, 1, &lo, d);
  cr_assert_not_null(s, "%s did not load: %s", path,
                     pl_diag_count(d) ? pl_diag_get(d, 0).message : "");
  pl_diag_free(d);
  return s;
}

#define LAPTOP PARLEY_EXAMPLES "/domains/Laptop"

/* GENIUS's Laptop weights add up to 1.0000518041717541 (0.4452125771655631
 * + 0.37808251708013424 + 0.1767567099260568, Laptop-C-prof1.xml). */
Test(normalize, geniusweb_refuses_without_it_and_names_it) {
  char root[64], out[80];
  scratch(root, sizeof root, out);
  cli_result r = cli_callf("convert --to geniusweb %s %s", LAPTOP, out);
  cr_expect_eq(r.rc, 2);
  cr_expect_eq(count(r.err, "convert with --normalize to rescale them"), 2,
               "%s", r.err);
  cr_expect_not(exists(out), "nothing is written");
  cli_result_free(&r);
  nftw(root, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

Test(normalize, rescales_to_exactly_one_and_says_so) {
  char root[64], out[80];
  scratch(root, sizeof root, out);
  cli_result r =
      cli_callf("convert --to geniusweb --normalize %s %s", LAPTOP, out);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  cr_expect_not_null(strstr(r.err, "parley: convert: party 'Laptop-C-prof1': "
                                   "its weights added up to "
                                   "1.000051804171754; each was divided by "
                                   "it"),
                     "%s", r.err);
  cr_expect_eq(count(r.err, "parley: convert: "), 2, "%s", r.err);
  cli_result_free(&r);
  /* Read back: each weight is the old one over the sum, within the 15th
   * decimal place, and every utility likewise scaled (no cap: the sum is
   * 1). */
  pl_scenario *old = load_paths(LAPTOP, false), *now = load_paths(out, true);
  cr_assert_eq(now->nparties, 2);
  for (uint32_t p = 0; p < 2; p++) {
    double sum = 0, k = 0;
    for (uint32_t i = 0; i < old->nissues; i++)
      sum += old->actors[p].weights[i];
    for (uint32_t i = 0; i < now->nissues; i++) {
      k += round(now->actors[p].weights[i] * 1e15);
      cr_expect_leq(
          fabs(now->actors[p].weights[i] - old->actors[p].weights[i] / sum),
          1e-15);
    }
    cr_expect_eq(k, 1e15, "the decimals add up to exactly 1");
    uint32_t v[PL_MAX_ISSUES] = {0};
    for (uint64_t o = 0; o < 27; o++) { /* 3 x 3 x 3 outcomes */
      pl_index_to_values(old, o, v);
      /* The weighted sum before GENIUS's cap at 1 (which only the best
       * outcome, 1.0000518, reaches), divided by the old sum. */
      double raw = 0;
      for (uint32_t i = 0; i < old->nissues; i++)
        raw += old->term[p][old->offset[i] + v[i]];
      double want = raw / sum;
      cr_expect_leq(fabs(pl_actor_utility(now, p, v) - want), 1e-12,
                    "party %u outcome %llu", p, (unsigned long long)o);
    }
  }
  pl_scenario_free(old);
  pl_scenario_free(now);
  nftw(root, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* Weights already adding up to 1 as decimals (the talks': 0.25, 0.2, ...)
 * change nothing, and nothing is said. */
Test(normalize, leaves_exact_weights_alone) {
  cli_result a = cli_callf("convert --to parley --normalize talks");
  cli_result b = cli_callf("convert --to parley talks");
  cr_expect_eq(a.rc, 0, "%s", a.err);
  cr_expect_str_empty(a.err);
  cr_expect_str_eq(a.out, b.out);
  cli_result_free(&a);
  cli_result_free(&b);
}

/* ItexvsCypress's weights are written with 16 and 17 digits: they add up
 * to 1 in binary but not as decimals, which GeniusWeb requires. */
Test(normalize, weights_one_in_binary_but_not_in_decimal) {
  char root[64], out[80];
  scratch(root, sizeof root, out);
  const char *itex = PARLEY_EXAMPLES "/domains/ItexvsCypress";
  cli_result r = cli_callf("convert --to geniusweb %s %s", itex, out);
  cr_expect_eq(r.rc, 2);
  cr_expect_not_null(strstr(r.err, "--normalize"), "%s", r.err);
  cli_result_free(&r);
  r = cli_callf("convert --to geniusweb --normalize %s %s", itex, out);
  cr_expect_eq(r.rc, 0, "%s", r.err);
  cr_expect_not_null(strstr(r.err, "do not add up to exactly 1 as the "
                                   "decimals written"),
                     "%s", r.err);
  cli_result_free(&r);
  nftw(root, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* ---- --lossy --------------------------------------------------------------
 */

/* The talks have 2 constraints, 1 red line, 2 ratifiers and 2 integer
 * issues of step 10 (docs/default-scenario.md): 7 refusals. */
Test(lossy, genius_refuses_without_it_and_names_it) {
  char root[64], out[80];
  scratch(root, sizeof root, out);
  cli_result r = cli_callf("convert --to genius talks %s", out);
  cr_expect_eq(r.rc, 2);
  cr_expect_eq(count(r.err, "error:"), 7, "%s", r.err);
  cr_expect_eq(count(r.err, "--lossy"), 7, "%s", r.err);
  cr_expect_not(exists(out));
  cli_result_free(&r);
  nftw(root, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

Test(lossy, genius_writes_what_it_can_and_lists_every_loss) {
  char root[64], out[80];
  scratch(root, sizeof root, out);
  cli_result r = cli_callf("convert --to genius --lossy talks %s", out);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  cr_expect_eq(count(r.err, "parley: convert: "), 7, "%s", r.err);
  cr_expect_not_null(strstr(r.err, "left out constraint 'reciprocity' "
                                   "(ua_withdrawal_km <= ru_withdrawal_km)"));
  cr_expect_not_null(strstr(r.err, "left out red line 'no deal without "
                                   "guarantees' of party 'Ukraine'"));
  cr_expect_not_null(strstr(r.err, "left out ratifier 'US Congress'"));
  cr_expect_not_null(strstr(r.err, "left out ratifier 'Verkhovna Rada'"));
  cr_expect_not_null(strstr(r.err, "integer issue 'ua_withdrawal_km' (step "
                                   "10) written as a discrete issue with the "
                                   "values 0, 10, 20, 30, 40"),
                     "%s", r.err);
  cli_result_free(&r);
  /* Read back: the parties' utilities of every outcome are the talks'
   * (8,100 outcomes; the issues keep their order and values; the GENIUS
   * reader orders the parties by file name, docs/formats.md). */
  pl_diag *d = pl_diag_new();
  pl_scenario *talks = pl_scenario_builtin("talks", d);
  pl_scenario *back = load_paths(out, false);
  cr_assert_eq(back->nparties, 3);
  cr_assert_eq(back->nratifiers, 0);
  cr_assert_eq(back->nconstraints, 0);
  uint32_t v[PL_MAX_ISSUES];
  int32_t same[3];
  for (uint32_t p = 0; p < 3; p++) {
    same[p] = pl_find_actor(back, talks->actors[p].name);
    cr_assert_geq(same[p], 0, "%s", talks->actors[p].name);
  }
  for (uint64_t o = 0; o < 8100; o++) {
    pl_index_to_values(talks, o, v);
    for (uint32_t p = 0; p < 3; p++)
      cr_assert_leq(fabs(pl_actor_utility(talks, p, v) -
                         pl_actor_utility(back, (uint32_t)same[p], v)),
                    1e-12, "party %u, outcome %llu", p, (unsigned long long)o);
  }
  pl_scenario_free(talks);
  pl_scenario_free(back);
  pl_diag_free(d);
  nftw(root, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

Test(lossy, geniusweb_writes_the_talks_too) {
  char root[64], out[80];
  scratch(root, sizeof root, out);
  cli_result r = cli_callf("convert --to geniusweb --lossy talks %s", out);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  /* constraints, red line, ratifiers: GeniusWeb has number issues with
   * any step, so the integer issues stay. */
  cr_expect_eq(count(r.err, "parley: convert: left out"), 5, "%s", r.err);
  cr_expect_null(strstr(r.err, "discrete"));
  cli_result_free(&r);
  nftw(root, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

Test(lossy, does_not_apply_to_parley_json) {
  cli_result r = cli_callf("convert --to parley --lossy talks");
  cr_expect_eq(r.rc, 2);
  cr_expect_not_null(strstr(r.err, "--lossy applies to --to genius and "
                                   "geniusweb"),
                     "%s", r.err);
  cr_expect_str_empty(r.out);
  cli_result_free(&r);
}
