/* test_uncertainty.c - uncertain inputs and the Monte Carlo analysis
 * (docs/uncertainty.md): estimates against probabilities computed on
 * paper, statistical checks over fixed seeds, thread invariance, bad
 * input. */
#define _POSIX_C_SOURCE 200809L
#include "support.h"

#include "parley_uncertainty.h"
#include "uncertainty/robust.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Two parties split 100 units ("share" = A's part, 0..100): A's value is
 * share / 100, B's 1 - share / 100 (weights 1); both reservation values
 * uniform on [0, 1]. PROPOSAL is an extra proposal object (or ""). */
static char *split_scenario(const char *extra) {
  static const char *fmt =
      "{\"parley\": 1, \"issues\": [{\"name\": \"share\", \"type\": "
      "\"integer\", \"min\": 0, \"max\": 100, \"step\": 1}],\n"
      "\"parties\": [\n"
      " {\"name\": \"A\", \"reservation\": {\"uniform\": [0, 1]}, "
      "\"weights\": {\"share\": 1}, \"values\": {\"share\": {\"shape\": "
      "\"linear\", \"best\": \"max\"}}},\n"
      " {\"name\": \"B\", \"reservation\": {\"uniform\": [0, 1]}, "
      "\"weights\": {\"share\": 1}, \"values\": {\"share\": {\"shape\": "
      "\"linear\", \"best\": \"min\"}}}]%s}\n";
  size_t n = strlen(fmt) + strlen(extra) + 1;
  char *t = malloc(n);
  snprintf(t, n, fmt, extra);
  return t;
}

static pl_robust *robust_of(pl_scenario *s, pl_analysis **a, uint64_t draws,
                            uint64_t seed, unsigned threads) {
  pl_diag *d = pl_diag_new();
  pl_status st;
  pl_analysis_options ao;
  pl_analysis_options_init(&ao);
  ao.threads = 1;
  *a = pl_analyze(s, &ao, d, &st);
  cr_assert_not_null(*a);
  pl_robust_options o;
  pl_robust_options_init(&o);
  o.draws = draws;
  o.seed = seed;
  o.threads = threads;
  pl_robust *r = pl_robust_analyze(*a, &o, d, &st);
  if (!r)
    pl_diag_print(d, stderr);
  cr_assert_not_null(r);
  pl_diag_free(d);
  return r;
}

Test(uncertainty, zone_probability_is_an_area) {
  /* The zone is open when some share s in 0..100 has s/100 >= r_A and
   * 1 - s/100 >= r_B. With X = 100 r_A, Y = 100 r_B uniform on [0, 100]
   * that is ceil(X) + ceil(Y) <= 100, and ceil(X) = i with probability
   * 1/100 for i = 1..100, so P = #{(i, j) in [1, 100]^2 : i + j <= 100} /
   * 10^4 = (99 * 100 / 2) / 10^4 = 0.495 (the triangle r_A + r_B <= 1 of
   * area 1/2, less its discretisation). With 20,000 draws the 95% Wilson
   * interval must hold it. */
  char *t = split_scenario("");
  pl_scenario *s = load_ok(t);
  free(t);
  pl_analysis *a;
  pl_robust *r = robust_of(s, &a, 20000, 7, 2);
  pl_probability p;
  cr_assert(pl_robust_zone_open(r, &p));
  cr_assert(p.lo <= 0.495 && 0.495 <= p.hi, "P = %f [%f, %f]", p.p, p.lo, p.hi);
  /* The robust package: P(share s accepted by both) = (s/100)(1 - s/100)
   * (r_A <= s/100 and r_B <= 1 - s/100, independent), largest at s = 50
   * (0.25) but within 0.0036 of it for 44 <= s <= 56, which sampling cannot
   * tell apart: the robust package lies there, and its estimate's interval
   * holds its exact probability. */
  cr_assert(r->has_robust);
  uint64_t sh = r->sp.index[r->robust];
  cr_assert(sh >= 40 && sh <= 60, "robust share %llu", (unsigned long long)sh);
  double exact = sh / 100.0 * (1 - sh / 100.0);
  pl_probability q = pl_wilson(r->acc_ratified[r->robust] / PL_FX, r->draws);
  cr_assert(q.lo <= exact && exact <= q.hi, "P = %f, exact %f", q.p, exact);
  pl_robust_free(r);
  pl_analysis_free(a);
  pl_scenario_free(s);
}

Test(uncertainty, wilson_intervals_over_many_seeds) {
  /* For 20 fixed seeds of 2,000 draws each, the 95% interval of P(zone
   * open) should miss the exact 0.495 about once. The test allows up to 4
   * misses: a correct sampler fails it with probability P(Binomial(20,
   * 0.05) >= 5) = 0.26% (for a random choice of seeds; these seeds are
   * fixed, so the test is deterministic). */
  char *t = split_scenario("");
  pl_scenario *s = load_ok(t);
  free(t);
  int misses = 0;
  for (uint64_t seed = 1; seed <= 20; seed++) {
    pl_analysis *a;
    pl_robust *r = robust_of(s, &a, 2000, seed, 1);
    pl_probability p;
    cr_assert(pl_robust_zone_open(r, &p));
    misses += !(p.lo <= 0.495 && 0.495 <= p.hi);
    pl_robust_free(r);
    pl_analysis_free(a);
  }
  cr_assert(misses <= 4, "%d of 20 intervals miss", misses);
  pl_scenario_free(s);
}

Test(uncertainty, body_probability_enters_ratification) {
  /* The proposal share = 60 gives A 0.6 (accepted with P(r_A <= 0.6) =
   * 0.6) and B 0.4 (P = 0.4); a ratifier of A, a body of three members of
   * loyalty 0.9, 0.8, 0.6 all in favour (its utility 1 >= 0.5), ratifies
   * with 0.876 (test_body.c). P(accepted and ratified) = 0.6 * 0.4 *
   * 0.876 = 0.21024. */
  char *t = split_scenario(
      ",\n\"ratifiers\": [{\"name\": \"R\", \"party\": \"A\", \"threshold\": "
      "0.5, \"weights\": {\"share\": 1}, \"values\": {\"share\": {\"shape\": "
      "\"linear\", \"best\": \"max\"}}, \"body\": {\"blocs\": [{\"name\": "
      "\"x\", \"loyalty\": 0.9, \"shift\": 1}, {\"name\": \"y\", \"loyalty\": "
      "0.8, \"shift\": 1}, {\"name\": \"z\", \"loyalty\": 0.6, \"shift\": "
      "1}]}}],\n"
      "\"proposals\": [{\"name\": \"sixty\", \"outcome\": {\"share\": 60}}]");
  pl_scenario *s = load_ok(t);
  free(t);
  uint32_t v[1] = {60};
  cr_assert_float_eq(pl_ratification_probability(s, 0, v), 0.876, 1e-12);
  pl_analysis *a;
  pl_robust *r = robust_of(s, &a, 20000, 3, 2);
  pl_probability p;
  cr_assert(pl_robust_proposal(r, 0, &p));
  cr_assert(p.lo <= 0.21024 && 0.21024 <= p.hi, "P = %f [%f, %f]", p.p, p.lo,
            p.hi);
  /* Ratification alone: the body's probability is exact in every draw. */
  cr_assert_float_eq(r->watch[0].ratify_fx[2] / PL_FX / (double)r->draws, 0.876,
                     1e-9);
  pl_robust_free(r);
  pl_analysis_free(a);
  pl_scenario_free(s);
}

/* Everything the Monte Carlo reports, as text, for comparisons. */
static char *summary(const pl_robust *r) {
  char *buf;
  size_t len;
  FILE *f = open_memstream(&buf, &len);
  fprintf(f, "%llu %llu %llu|", (unsigned long long)r->zone_open,
          (unsigned long long)r->same_diagnosis, (unsigned long long)r->robust);
  for (uint32_t k = 0; k < r->sp.nsets; k++)
    fprintf(f, "%llu,", (unsigned long long)r->set_blocks[k]);
  for (uint64_t c = 0; c < r->sp.n; c++)
    fprintf(f, "%lld/%lld,", (long long)r->acc_ratified[c],
            (long long)r->acc_nash[c]);
  for (size_t w = 0; w < r->nwatch; w++)
    fprintf(f, "%lld %llu;", (long long)r->watch[w].accepted_ratified_fx,
            (unsigned long long)r->watch[w].in_zone);
  for (uint64_t d = 0; d < r->draws; d++)
    fprintf(f, "%a,", r->dstar[d]);
  fclose(f);
  return buf;
}

Test(uncertainty, same_results_for_any_thread_count) {
  /* The talks with uncertain inputs: 1, 2 and 3 threads give the same
   * totals, package by package and draw by draw. */
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_builtin("talks-uncertain", d);
  cr_assert_not_null(s);
  char *first = NULL;
  for (unsigned th = 1; th <= 3; th++) {
    pl_analysis *a;
    pl_robust *r = robust_of(s, &a, 300, 11, th);
    char *x = summary(r);
    if (!first)
      first = x;
    else {
      cr_assert_str_eq(x, first, "threads %u differ", th);
      free(x);
    }
    pl_robust_free(r);
    pl_analysis_free(a);
  }
  /* Another seed gives other draws. */
  pl_analysis *a;
  pl_robust *r = robust_of(s, &a, 300, 12, 2);
  char *x = summary(r);
  cr_assert_str_neq(x, first);
  free(x);
  free(first);
  pl_robust_free(r);
  pl_analysis_free(a);
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(uncertainty, precision_stops_at_whole_batches) {
  /* --precision 0.05: batches of 1,000 draws until every interval is
   * narrower than 0.05; a Wilson interval near p = 0.5 is about 2 * 1.96 *
   * sqrt(0.25 / n) wide, under 0.05 from n = 1,537: so 2,000 draws. */
  char *t = split_scenario("");
  pl_scenario *s = load_ok(t);
  free(t);
  pl_diag *d = pl_diag_new();
  pl_status st;
  pl_analysis_options ao;
  pl_analysis_options_init(&ao);
  pl_analysis *a = pl_analyze(s, &ao, d, &st);
  pl_robust_options o;
  pl_robust_options_init(&o);
  o.precision = 0.05;
  o.no_sensitivity = true;
  pl_robust *r = pl_robust_analyze(a, &o, d, &st);
  cr_assert_not_null(r);
  cr_assert_eq(pl_robust_draws(r) % 1000, 0);
  cr_assert_eq(pl_robust_draws(r), 2000, "%llu draws",
               (unsigned long long)pl_robust_draws(r));
  pl_robust_free(r);
  pl_analysis_free(a);
  pl_scenario_free(s);
  pl_diag_free(d);
}

/* ---- Bad input ------------------------------------------------------- */

static void expect_problem(const char *json, int line, const char *needle) {
  pl_diag *d = load_fail(json);
  bool found = false;
  for (size_t i = 0; i < pl_diag_count(d); i++) {
    pl_problem p = pl_diag_get(d, i);
    cr_log_info("%d:%d: %s", p.line, p.column, p.message);
    found |= strstr(p.message, needle) && p.line == line && p.column > 0;
  }
  cr_assert(found, "no problem on line %d with '%s'", line, needle);
  pl_diag_free(d);
}

/* A two-party scenario whose line 4 holds A's reservation RES, and line 6
 * whatever comes after the parties (EXTRA). */
static char *bad_scenario(const char *res, const char *extra) {
  static const char *fmt =
      "{\"parley\": 1, \"issues\": [{\"name\": \"x\", \"type\": "
      "\"categorical\", \"options\": [\"a\", \"b\"]}],\n"
      "\"parties\": [\n"
      " {\"name\": \"A\", \"weights\": {\"x\": 1}, \"values\": {\"x\": "
      "{\"a\": 1, \"b\": 0}},\n"
      "  \"reservation\": %s},\n"
      " {\"name\": \"B\", \"weights\": {\"x\": 1}, \"values\": {\"x\": "
      "{\"a\": 0, \"b\": 1}}}]\n"
      "%s}\n";
  size_t n = strlen(fmt) + strlen(res) + strlen(extra) + 1;
  char *t = malloc(n);
  snprintf(t, n, fmt, res, extra);
  return t;
}

Test(uncertainty, bad_distributions) {
  const char *cases[][2] = {
      {"{\"uniform\": [0.7, 0.5]}", "min 0.7 > max 0.5"},
      {"{\"uniform\": [-0.1, 0.5]}", "outside the parameter's range"},
      {"{\"triangular\": [0.2, 0.1, 0.5]}", "min <= mode <= max"},
      {"{\"normal\": [0.5, 0]}", "sd > 0"},
      {"{\"normal\": [0.5, 0.1], \"range\": [0.2, 1.5]}",
       "outside the parameter's range"},
      {"{\"normal\": [0.9, 0.01], \"range\": [0, 0.5]}", "outside the range"},
      {"{\"beta\": [0, 2]}", "both > 0"},
      {"{\"uniform\": [0.2, 0.4], \"beta\": [1, 1]}", "exactly one"},
      {"{\"uniform\": [0.2, 0.4], \"value\": 0.5}", "\"value\""},
      {"{\"uniform\": [0.2]}", "array of 2 numbers"}};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    char *t = bad_scenario(cases[k][0], "");
    expect_problem(t, 4, cases[k][1]);
    free(t);
  }
}

Test(uncertainty, bad_variants) {
  char *t = bad_scenario(
      "0.5", ",\"variants\": [{\"name\": \"v\", \"probability\": 0.5}, "
             "{\"name\": \"w\", \"probability\": 0.4}]");
  expect_problem(t, 6, "sum to 0.9");
  free(t);
  t = bad_scenario("0.5", ",\"variants\": [{\"name\": \"v\", \"probability\": "
                          "1, \"parties\": {\"C\": {\"reservation\": 0.2}}}]");
  expect_problem(t, 6, "unknown party 'C'");
  free(t);
  t = bad_scenario("0.5",
                   ",\"variants\": [{\"name\": \"v\", \"probability\": 1, "
                   "\"parties\": {\"A\": {\"reservation\": {\"uniform\": "
                   "[0.9, 0.1]}}}}]");
  expect_problem(t, 6, "min 0.9 > max 0.1");
  free(t);
}

Test(uncertainty, old_files_and_the_cli) {
  /* A scenario without uncertain inputs has none, and --draws is refused
   * for it (exit 2); the uncertain built-in is analysed by Monte Carlo by
   * default and reports the key "uncertainty". */
  cli_result c = cli_callf("analyze talks --draws 10");
  cr_assert_eq(c.rc, 2);
  cr_assert(strstr(c.err, "uncertain inputs"));
  cli_result_free(&c);
  c = cli_callf("analyze talks-uncertain --draws 200 --json --no-sensitivity");
  cr_assert_eq(c.rc, 0, "%s", c.err);
  cr_assert(strstr(c.out, "\"uncertainty\": {"));
  cr_assert(strstr(c.out, "\"draws\": 200"));
  cli_result_free(&c);
  c = cli_callf("analyze talks-uncertain --precision 2");
  cr_assert_eq(c.rc, 2);
  cli_result_free(&c);
}

Test(uncertainty, html_report_plots) {
  /* parley report on the uncertain built-in adds the robustness section
   * with its three plots (docs/report.md): the bars hold one row per
   * probability, the tornado one row per input. */
  char path[64];
  snprintf(path, sizeof path, "/tmp/parley-uncertain-%d.html", (int)getpid());
  cli_result c = cli_callf("report talks-uncertain -o %s", path);
  cr_assert_eq(c.rc, 0, "%s", c.err);
  cli_result_free(&c);
  char *html = read_text_file(path);
  remove(path);
  cr_assert_not_null(html);
  cr_assert(strstr(html, "Robustness: uncertain inputs"));
  cr_assert(strstr(html, "Probabilities over the Monte Carlo draws"));
  cr_assert(strstr(html, "Minimal uniform concession over the draws"));
  cr_assert(strstr(html, "Tornado: the best margin"));
  /* The tips: P(donbas blocks) of the 10,000 draws (as the text report),
   * and Russia's reservation at 0.5 (delta* would be 0.07 - 0.1 < 0: the
   * zone's slack 0.017) and at 0.7 (-0.11). */
  cr_assert(strstr(html, "donbas blocks: 0.899"), "the blocking bar's tip");
  cr_assert(strstr(html, "Russia reservation: margin 0.017 at the minimum"));
  free(html);
}
