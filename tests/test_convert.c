/* test_convert.c - exporting to GENIUS XML and GeniusWeb JSON, and reading
 * back: the round trips that must be exact (every party's utility on every
 * outcome compared with ==, reservation values, discount factors), and the
 * refusals of what a format cannot hold, each named in a message, with
 * nothing written. */
#define _XOPEN_SOURCE 700
#include "support.h"

#include "io/geniusweb.h"
#include "model/scenario.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Helpers ------------------------------------------------------------- */

/* Outcome spaces up to this size are compared whole; larger ones (10issues
 * has 10^10) on a spread sample. */
#define FULL_COMPARE 2000000ULL
#define SAMPLE 200000ULL

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static void rm_rf(const char *dir) {
  nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh folder under /tmp; `sub` is a path inside it that does not exist
 * yet (the exporters create it). */
static void make_tmp(char *root, size_t len, char *sub, const char *name) {
  snprintf(root, len, "/tmp/parley-convert-XXXXXX");
  cr_assert_not_null(mkdtemp(root), "mkdtemp failed");
  snprintf(sub, len, "%s/%s", root, name);
}

static bool exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static void log_diag(const pl_diag *d) {
  for (size_t i = 0; i < pl_diag_count(d); i++) {
    pl_problem p = pl_diag_get(d, i);
    cr_log_info("%s:%d:%d: %s", p.file ? p.file : "-", p.line, p.column,
                p.message);
  }
}

/* The message that contains `needle`, or NULL. */
static const char *find_message(const pl_diag *d, const char *needle) {
  for (size_t i = 0; i < pl_diag_count(d); i++) {
    pl_problem p = pl_diag_get(d, i);
    if (p.message && strstr(p.message, needle))
      return p.message;
  }
  return NULL;
}

static void expect_message(const pl_diag *d, const char *needle) {
  if (!find_message(d, needle)) {
    log_diag(d);
    cr_assert_fail("no message mentions \"%s\"", needle);
  }
}

/* A GENIUS folder of tests/data/genius, or of the shared collection; the
 * test is skipped when neither has it. */
static const char *genius_folder(const char *name, char *buf, size_t len) {
  snprintf(buf, len, "%sgenius/%s", data_path(""), name);
  if (exists(buf))
    return buf;
  snprintf(buf, len, "/work/shared/scenarios/genius/%s", name);
  if (!exists(buf))
    cr_skip_test("GENIUS folder %s is not available", name);
  return buf;
}

static pl_scenario *load_genius(const char *path, bool raw) {
  pl_diag *d = pl_diag_new();
  pl_load_options o = {.raw_evaluations = raw};
  const char *paths[] = {path};
  pl_scenario *s = pl_scenario_load(paths, 1, &o, d);
  if (!s)
    log_diag(d);
  cr_assert_not_null(s, "%s did not load", path);
  pl_diag_free(d);
  return s;
}

static pl_scenario *load_geniusweb(const char *path) {
  pl_diag *d = pl_diag_new();
  const char *paths[] = {path};
  pl_scenario *s = pl_geniusweb_load(paths, 1, d);
  if (!s)
    log_diag(d);
  cr_assert_not_null(s, "%s did not load as GeniusWeb", path);
  pl_diag_free(d);
  return s;
}

static void write_ok(pl_status st, pl_diag *d, const char *what) {
  if (st != PL_OK)
    log_diag(d);
  cr_assert_eq(st, PL_OK, "%s failed with status %d", what, st);
}

static void assert_same_issues(const pl_scenario *a, const pl_scenario *b) {
  cr_assert_eq(a->nissues, b->nissues);
  for (uint32_t i = 0; i < a->nissues; i++) {
    const pl_issue *x = &a->issues[i], *y = &b->issues[i];
    cr_assert_str_eq(x->name, y->name);
    cr_assert_eq(x->kind, y->kind, "issue '%s' changed type", x->name);
    cr_assert_eq(x->nvalues, y->nvalues, "issue '%s'", x->name);
    for (uint32_t k = 0; k < x->nvalues; k++) {
      if (x->kind == PL_ISSUE_CATEGORICAL)
        cr_assert_str_eq(x->labels[k], y->labels[k]);
      else
        cr_assert(x->numbers[k] == y->numbers[k], "issue '%s' value %u",
                  x->name, k);
    }
  }
}

/* Outcome number k of the comparison: all of them, or a spread sample. */
static uint64_t pick(uint64_t k, uint64_t count) {
  return count <= FULL_COMPARE ? k
                               : (k * 0x9E3779B97F4A7C15ULL + k / 7) % count;
}

/* == on every party's utility on every (or a sampled) outcome. */
static void assert_same_utilities(const pl_scenario *a, const pl_scenario *b) {
  uint64_t count;
  cr_assert(pl_space_size(a, &count));
  uint64_t n = count <= FULL_COMPARE ? count : SAMPLE;
  uint32_t v[PL_MAX_ISSUES];
  for (uint64_t k = 0; k < n; k++) {
    pl_index_to_values(a, pick(k, count), v);
    for (uint32_t p = 0; p < a->nparties; p++) {
      double x = pl_actor_utility(a, p, v), y = pl_actor_utility(b, p, v);
      if (x != y)
        cr_assert_fail("party '%s', outcome %llu: %.17g became %.17g",
                       a->actors[p].name, (unsigned long long)pick(k, count), x,
                       y);
    }
  }
}

/* Same issues, parties (names, order), utilities, thresholds, discounts. */
static void assert_same(const pl_scenario *a, const pl_scenario *b) {
  assert_same_issues(a, b);
  cr_assert_eq(a->nparties, b->nparties);
  for (uint32_t p = 0; p < a->nparties; p++) {
    cr_assert_str_eq(a->actors[p].name, b->actors[p].name);
    cr_assert(a->actors[p].threshold == b->actors[p].threshold,
              "party '%s': reservation %.17g became %.17g", a->actors[p].name,
              a->actors[p].threshold, b->actors[p].threshold);
    cr_assert(a->actors[p].discount == b->actors[p].discount,
              "party '%s': discount %.17g became %.17g", a->actors[p].name,
              a->actors[p].discount, b->actors[p].discount);
  }
  assert_same_utilities(a, b);
}

/* The documented rule: the smallest utility >= r over all outcomes (0 when
 * r is 0: no reservation bid). */
static double next_utility_up(const pl_scenario *s, uint32_t p, double r) {
  if (r <= 0)
    return 0;
  uint64_t count;
  pl_space_size(s, &count);
  uint32_t v[PL_MAX_ISSUES];
  double best = INFINITY;
  for (uint64_t k = 0; k < count; k++) {
    pl_index_to_values(s, k, v);
    double u = pl_actor_utility(s, p, v);
    if (u >= r && u < best)
      best = u;
  }
  return best;
}

static pl_scenario *generated(uint32_t parties, uint32_t issues,
                              uint32_t values, uint64_t seed) {
  pl_generate_options o = {parties, issues, values, seed};
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_generate(&o, d);
  cr_assert_not_null(s);
  pl_diag_free(d);
  return s;
}

/* ---- GeniusWeb round trips ----------------------------------------------- */

static void geniusweb_round_trip(pl_scenario *s) {
  char root[256], dir[300];
  make_tmp(root, sizeof root, dir, "gw");
  pl_diag *d = pl_diag_new();
  write_ok(pl_scenario_write_geniusweb(s, dir, d), d, "GeniusWeb export");
  pl_scenario *back = load_geniusweb(dir);
  assert_same_issues(s, back);
  cr_assert_eq(back->nparties, s->nparties);
  for (uint32_t p = 0; p < s->nparties; p++) {
    cr_assert_str_eq(back->actors[p].name, s->actors[p].name);
    cr_assert(back->actors[p].discount == 1);
    double want = next_utility_up(s, p, s->actors[p].threshold);
    cr_assert(back->actors[p].threshold == want,
              "party %u: reservation %.17g should read back as %.17g, got "
              "%.17g",
              p, s->actors[p].threshold, want, back->actors[p].threshold);
    cr_assert(back->actors[p].threshold >= s->actors[p].threshold);
  }
  assert_same_utilities(s, back);
  pl_scenario_free(back);
  pl_diag_free(d);
  rm_rf(root);
}

Test(geniusweb, generated_round_trip_is_exact) {
  const uint32_t shapes[][4] = {
      {2, 2, 3, 1}, {3, 4, 5, 7}, {4, 3, 6, 42}, {2, 6, 4, 2024}};
  for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
    pl_scenario *s =
        generated(shapes[k][0], shapes[k][1], shapes[k][2], shapes[k][3]);
    geniusweb_round_trip(s);
    pl_scenario_free(s);
  }
}

/* Numeric issues: GeniusWeb ranges and linear number utilities. */
#define NUMERIC_JSON(STEP)                                                     \
  "{\"parley\": 1, \"name\": \"numeric deal\",\n"                              \
  " \"issues\": [\n"                                                           \
  "  {\"name\": \"price\", \"type\": \"integer\", \"min\": 10, \"max\": 40,"   \
  "   \"step\": " #STEP "},\n"                                                 \
  "  {\"name\": \"share\", \"type\": \"real\", \"min\": 0, \"max\": 1,"        \
  "   \"count\": 21},\n"                                                       \
  "  {\"name\": \"colour\", \"type\": \"categorical\","                        \
  "   \"options\": [\"red\", \"blue & <green>\"]}],\n"                         \
  " \"parties\": [\n"                                                          \
  "  {\"name\": \"Buyer\", \"reservation\": 0.4,\n"                            \
  "   \"weights\": {\"price\": 0.5, \"share\": 0.3, \"colour\": 0.2},\n"       \
  "   \"values\": {\"price\": {\"shape\": \"linear\", \"best\": \"min\"},\n"   \
  "     \"share\": {\"shape\": \"linear\", \"best\": \"max\"},\n"              \
  "     \"colour\": {\"red\": 1, \"blue & <green>\": 0.25}}},\n"               \
  "  {\"name\": \"Seller\", \"reservation\": 0.3,\n"                           \
  "   \"weights\": {\"price\": 0.6, \"share\": 0.4},\n"                        \
  "   \"values\": {\"price\": {\"shape\": \"linear\", \"best\": \"max\"},\n"   \
  "     \"share\": {\"shape\": \"linear\", \"best\": \"min\"}}}]}\n"

/* Numeric issues: GeniusWeb ranges and linear number utilities. GENIUS
 * takes integer issues with step 1 only. */
static const char *NUMERIC = NUMERIC_JSON(5);
static const char *NUMERIC_STEP1 = NUMERIC_JSON(1);

Test(geniusweb, numeric_issues_round_trip_exactly) {
  pl_scenario *s = load_ok(NUMERIC);
  geniusweb_round_trip(s);
  pl_scenario_free(s);
}

/* ---- GENIUS round trips -------------------------------------------------- */

static void genius_round_trip(const char *name, bool raw) {
  char buf[512], root[256], dir[300];
  pl_scenario *s = load_genius(genius_folder(name, buf, sizeof buf), raw);
  make_tmp(root, sizeof root, dir, name);
  pl_diag *d = pl_diag_new();
  write_ok(pl_scenario_write_genius(s, dir, d), d, "GENIUS export");
  pl_scenario *back = load_genius(dir, raw);
  cr_assert_eq(back->reading, s->reading);
  assert_same(s, back);
  /* And again from the export: the files are a fixed point. */
  char dir2[300];
  snprintf(dir2, sizeof dir2, "%s/again", root);
  write_ok(pl_scenario_write_genius(back, dir2, d), d, "second export");
  pl_scenario *again = load_genius(dir2, raw);
  assert_same(s, again);
  pl_scenario_free(again);
  pl_scenario_free(back);
  pl_scenario_free(s);
  pl_diag_free(d);
  rm_rf(root);
}

Test(genius, laptop_round_trip_is_exact) { genius_round_trip("Laptop", false); }
Test(genius, integer_domain_round_trip_is_exact) {
  genius_round_trip("IntegerDomain", false);
}
Test(genius, ampo_vs_city_round_trip_is_exact) {
  genius_round_trip("AMPOvsCity", false);
}
Test(genius, ampo_vs_city_raw_round_trip_is_exact) {
  genius_round_trip("AMPOvsCity", true);
}
Test(genius, nonlinear_10issues_round_trip_is_exact) {
  genius_round_trip("10issues", false);
}
Test(genius, dinner_round_trip_is_exact) {
  genius_round_trip("group2-dinner", false);
}
Test(genius, camera_round_trip_is_exact) {
  genius_round_trip("Camera2011", false);
}
Test(genius, itex_round_trip_is_exact) {
  genius_round_trip("ItexvsCypress", false);
}

/* The five bids the reference gives exact utilities for survive export. */
Test(genius, nonlinear_reference_bids_after_export) {
  char buf[512], root[256], dir[300];
  pl_scenario *s =
      load_genius(genius_folder("10issues", buf, sizeof buf), false);
  make_tmp(root, sizeof root, dir, "10issues");
  pl_diag *d = pl_diag_new();
  write_ok(pl_scenario_write_genius(s, dir, d), d, "GENIUS export");
  pl_scenario *back = load_genius(dir, false);
  uint32_t zeros[10] = {0}, nines[10];
  for (int i = 0; i < 10; i++)
    nines[i] = 9;
  cr_assert_float_eq(pl_party_utility(back, 0, zeros), 186.0 / 662, 1e-15);
  cr_assert_float_eq(pl_party_utility(back, 1, zeros), 530.0 / 885, 1e-15);
  cr_assert_float_eq(pl_party_utility(back, 0, nines), 13.0 / 662, 1e-15);
  cr_assert_float_eq(pl_party_utility(back, 1, nines), 193.0 / 885, 1e-15);
  pl_scenario_free(back);
  pl_scenario_free(s);
  pl_diag_free(d);
  rm_rf(root);
}

/* The exported files use GENIUS's elements and attributes, escaped. */
Test(genius, native_files_look_like_genius) {
  char root[256], dir[300], path[400];
  pl_scenario *s = load_ok(NUMERIC_STEP1);
  make_tmp(root, sizeof root, dir, "out");
  pl_diag *d = pl_diag_new();
  write_ok(pl_scenario_write_genius(s, dir, d), d, "GENIUS export");
  snprintf(path, sizeof path, "%s/numeric deal-domain.xml", dir);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "no %s", path);
  char text[8192] = {0};
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  cr_assert_gt(n, 0);
  cr_assert_not_null(strstr(text, "<negotiation_template>"));
  cr_assert_not_null(strstr(text, "value=\"blue &amp; &lt;green&gt;\""));
  cr_assert_not_null(
      strstr(text, "name=\"share\" lowerbound=\"0\" upperbound=\"1\">\n"
                   "<range lowerbound=\"0\" upperbound=\"1\"/>"));
  snprintf(path, sizeof path, "%s/Buyer.xml", dir);
  cr_assert(exists(path));
  pl_scenario_free(s);
  pl_diag_free(d);
  rm_rf(root);
}

/* ---- GENIUS -> parley JSON -> back --------------------------------------- */

static pl_scenario *via_parley_json(const pl_scenario *s, pl_diag *d) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  cr_assert_not_null(f);
  cr_assert_eq(pl_scenario_write_json(s, f), PL_OK);
  fclose(f);
  pl_scenario *back = pl_scenario_load_string(text, "roundtrip.json", d);
  free(text);
  return back;
}

/* Additive GENIUS scenarios whose cap never bites fit parley JSON. */
static void parley_json_round_trip(const char *name) {
  char buf[512];
  pl_scenario *s = load_genius(genius_folder(name, buf, sizeof buf), false);
  pl_diag *d = pl_diag_new();
  pl_scenario *back = via_parley_json(s, d);
  if (!back)
    log_diag(d);
  cr_assert_not_null(back, "%s did not read back from parley JSON", name);
  assert_same(s, back);
  pl_scenario_free(back);
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(parley_json, integer_domain) { parley_json_round_trip("IntegerDomain"); }
Test(parley_json, dinner) { parley_json_round_trip("group2-dinner"); }
Test(parley_json, camera) { parley_json_round_trip("Camera2011"); }
Test(parley_json, itex) { parley_json_round_trip("ItexvsCypress"); }

/* What parley JSON cannot hold (weights that do not sum to 1, hyper-
 * rectangles, GENIUS's cap at 1 when it bites) must not come back as
 * different numbers: kept exactly, or refused with a message. AMPOvsCity's
 * AMPO weights sum to 1.0000000000000002 in doubles, so its best outcomes
 * are capped to 1 under the GENIUS reading. */
static void parley_json_refuses_or_keeps(const char *name) {
  char buf[512];
  pl_scenario *s = load_genius(genius_folder(name, buf, sizeof buf), false);
  pl_diag *d = pl_diag_new();
  pl_scenario *back = via_parley_json(s, d);
  if (back)
    assert_same(s, back);
  else
    cr_assert_gt(pl_diag_count(d), 0);
  pl_scenario_free(back);
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(parley_json, laptop_is_kept_or_refused) {
  parley_json_refuses_or_keeps("Laptop");
}
Test(parley_json, ampo_vs_city_is_kept_or_refused) {
  parley_json_refuses_or_keeps("AMPOvsCity");
}
Test(parley_json, nonlinear_is_kept_or_refused) {
  parley_json_refuses_or_keeps("10issues");
}

/* ---- Native parley -> GENIUS --------------------------------------------- */

/* GENIUS caps at 1 and its linear evaluators multiply by a slope where
 * parley divides: equal up to rounding. */
Test(genius, native_numeric_scenario_reads_back) {
  char root[256], dir[300], domain[400], p1[400], p2[400];
  pl_scenario *s = load_ok(NUMERIC);
  make_tmp(root, sizeof root, dir, "native");
  pl_diag *d = pl_diag_new();
  cr_assert_eq(pl_scenario_write_genius(s, dir, d), PL_EINPUT,
               "price has step 5: GENIUS integer issues have step 1");
  expect_message(d, "integer issue 'price' has step 5");
  cr_assert_not(exists(dir), "a refused export must write nothing");
  pl_scenario_free(s);
  /* Step 1 fits: now the export must read back. */
  s = load_ok(NUMERIC_STEP1);
  write_ok(pl_scenario_write_genius(s, dir, d), d, "GENIUS export");
  snprintf(domain, sizeof domain, "%s/numeric deal-domain.xml", dir);
  snprintf(p1, sizeof p1, "%s/Buyer.xml", dir);
  snprintf(p2, sizeof p2, "%s/Seller.xml", dir);
  const char *paths[] = {domain, p1, p2};
  pl_scenario *back = pl_scenario_load(paths, 3, NULL, d);
  if (!back)
    log_diag(d);
  cr_assert_not_null(back);
  assert_same_issues(s, back);
  uint64_t count;
  pl_space_size(s, &count);
  uint32_t v[PL_MAX_ISSUES];
  for (uint64_t k = 0; k < count; k++) {
    pl_index_to_values(s, k, v);
    for (uint32_t q = 0; q < 2; q++) {
      double want = fmin(1, pl_party_utility(s, q, v));
      cr_assert_float_eq(pl_party_utility(back, q, v), want, 1e-12);
    }
  }
  for (uint32_t q = 0; q < 2; q++)
    cr_assert(back->actors[q].threshold == s->actors[q].threshold);
  pl_scenario_free(back);
  pl_scenario_free(s);
  pl_diag_free(d);
  rm_rf(root);
}

/* ---- Refusals ------------------------------------------------------------ */

static void expect_refused(pl_status (*write)(const pl_scenario *, const char *,
                                              pl_diag *),
                           const pl_scenario *s, pl_diag *d) {
  char root[256], dir[300];
  make_tmp(root, sizeof root, dir, "refused");
  pl_status st = write(s, dir, d);
  cr_assert_eq(st, PL_EINPUT, "expected PL_EINPUT, got %d", st);
  cr_assert_not(exists(dir), "a refused export left %s behind", dir);
  rm_rf(root);
}

Test(refuse, talks_to_genius_names_what_genius_cannot_hold) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_builtin("talks", d);
  cr_assert_not_null(s);
  expect_refused(pl_scenario_write_genius, s, d);
  expect_message(d, "constraint 'reciprocity'");
  expect_message(d, "red line 'no deal without guarantees' of party "
                    "'Ukraine'");
  expect_message(d, "ratifier 'US Congress'");
  expect_message(d, "ratifier 'Verkhovna Rada'");
  expect_message(d, "GENIUS has no constraints");
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(refuse, talks_to_geniusweb_names_what_geniusweb_cannot_hold) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_builtin("talks", d);
  cr_assert_not_null(s);
  expect_refused(pl_scenario_write_geniusweb, s, d);
  expect_message(d, "constraint 'reciprocity'");
  expect_message(d, "ratifier 'US Congress'");
  expect_message(d, "GeniusWeb has no red lines");
  pl_scenario_free(s);
  pl_diag_free(d);
}

/* Parties for the small refusal cases below: `extra` completes party A. */
static pl_scenario *two_parties(const char *issues, const char *a) {
  char json[4096];
  snprintf(json, sizeof json,
           "{\"parley\": 1, \"name\": \"r\", \"issues\": [%s],\n"
           " \"parties\": [%s,\n"
           "  {\"name\": \"B\", \"weights\": {\"x\": 1},"
           "   \"values\": {\"x\": {\"shape\": \"linear\", \"best\": "
           "\"max\"}}}]}",
           issues, a);
  return load_ok(json);
}

static const char *CAT_X = "{\"name\": \"x\", \"type\": \"categorical\", "
                           "\"options\": [\"a\", \"b\", \"c\"]}";

static pl_scenario *categorical_pair(const char *a) {
  char json[4096];
  snprintf(json, sizeof json,
           "{\"parley\": 1, \"name\": \"r\", \"issues\": [%s],\n"
           " \"parties\": [%s,\n"
           "  {\"name\": \"B\", \"weights\": {\"x\": 1},"
           "   \"values\": {\"x\": {\"a\": 1, \"b\": 0, \"c\": 0.5}}}]}",
           CAT_X, a);
  return load_ok(json);
}

Test(refuse, genius_best_value_below_one) {
  pl_scenario *s = categorical_pair(
      "{\"name\": \"A\", \"weights\": {\"x\": 1},"
      " \"values\": {\"x\": {\"a\": 0.8, \"b\": 0, \"c\": 0.5}}}");
  pl_diag *d = pl_diag_new();
  expect_refused(pl_scenario_write_genius, s, d);
  expect_message(d, "party 'A', issue 'x': its best value is worth 0.8");
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(refuse, genius_nonlinear_numeric_value_function) {
  pl_scenario *s = two_parties(
      "{\"name\": \"x\", \"type\": \"integer\", \"min\": 0, \"max\": 4}",
      "{\"name\": \"A\", \"weights\": {\"x\": 1},"
      " \"values\": {\"x\": {\"shape\": \"peaked\", \"peak\": 2}}}");
  pl_diag *d = pl_diag_new();
  expect_refused(pl_scenario_write_genius, s, d);
  expect_message(d, "party 'A', issue 'x': GENIUS evaluates numeric issues "
                    "with linear functions only");
  pl_diag_free(d);
  d = pl_diag_new();
  expect_refused(pl_scenario_write_geniusweb, s, d);
  expect_message(d, "party 'A', issue 'x': GeniusWeb number utilities are "
                    "linear");
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(refuse, genius_real_issue_needs_21_values) {
  pl_scenario *s = two_parties(
      "{\"name\": \"x\", \"type\": \"real\", \"min\": 0, \"max\": 1, "
      "\"count\": 11}",
      "{\"name\": \"A\", \"weights\": {\"x\": 1},"
      " \"values\": {\"x\": {\"shape\": \"linear\", \"best\": \"min\"}}}");
  pl_diag *d = pl_diag_new();
  expect_refused(pl_scenario_write_genius, s, d);
  expect_message(d, "real issue 'x' has 11 values; GENIUS always enumerates");
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(refuse, geniusweb_discount_and_inexact_weights) {
  char json[4096];
  snprintf(json, sizeof json,
           "{\"parley\": 1, \"name\": \"r\", \"issues\": [%s, "
           "{\"name\": \"y\", \"type\": \"categorical\", \"options\": "
           "[\"p\", \"q\"]}, {\"name\": \"z\", \"type\": \"categorical\", "
           "\"options\": [\"p\", \"q\"]}],\n"
           " \"parties\": [{\"name\": \"A\", \"discount\": 0.9,"
           "   \"weights\": {\"x\": 0.3333333, \"y\": 0.3333333, "
           "\"z\": 0.3333333},"
           "   \"values\": {\"x\": {\"a\": 1, \"b\": 0, \"c\": 0.5},"
           "     \"y\": {\"p\": 1, \"q\": 0}, \"z\": {\"p\": 0, \"q\": 1}}},\n"
           "  {\"name\": \"B\", \"weights\": {\"x\": 1},"
           "   \"values\": {\"x\": {\"a\": 1, \"b\": 0, \"c\": 0.5}}}]}",
           CAT_X);
  pl_scenario *s = load_ok(json);
  pl_diag *d = pl_diag_new();
  expect_refused(pl_scenario_write_geniusweb, s, d);
  expect_message(d, "party 'A' has discount factor 0.9; GeniusWeb profiles "
                    "have none");
  expect_message(d, "party 'A': its weights add up to 0.9999999; GeniusWeb "
                    "requires exactly 1");
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(refuse, geniusweb_reservation_above_every_outcome) {
  pl_scenario *s = categorical_pair(
      "{\"name\": \"A\", \"reservation\": 1, \"weights\": {\"x\": 1},"
      " \"values\": {\"x\": {\"a\": 0.9, \"b\": 0, \"c\": 0.5}}}");
  pl_diag *d = pl_diag_new();
  expect_refused(pl_scenario_write_geniusweb, s, d);
  expect_message(d, "party 'A': its reservation value 1 is above every "
                    "outcome's utility");
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(refuse, geniusweb_nonlinear_and_capped_genius_profiles) {
  char buf[512];
  pl_scenario *s =
      load_genius(genius_folder("10issues", buf, sizeof buf), false);
  pl_diag *d = pl_diag_new();
  expect_refused(pl_scenario_write_geniusweb, s, d);
  expect_message(d, "party 'profile-1' has non-linear (hyperRectangle) "
                    "utilities");
  pl_scenario_free(s);
  pl_diag_free(d);
  s = load_genius(genius_folder("Laptop", buf, sizeof buf), false);
  d = pl_diag_new();
  expect_refused(pl_scenario_write_geniusweb, s, d);
  expect_message(d, "its weights add up to 1.00005180417175414");
  expect_message(d, "which the GENIUS reading caps at 1");
  pl_scenario_free(s);
  pl_diag_free(d);
  s = load_genius(genius_folder("Camera2011", buf, sizeof buf), false);
  d = pl_diag_new();
  expect_refused(pl_scenario_write_geniusweb, s, d);
  expect_message(d, "party 'camera_buyer_utility' has discount factor "
                    "0.890596104; GeniusWeb profiles have none");
  pl_scenario_free(s);
  pl_diag_free(d);
}

/* ---- Output folders ------------------------------------------------------ */

Test(folder, parent_must_exist) {
  char root[256], dir[300];
  make_tmp(root, sizeof root, dir, "missing/deeper");
  pl_scenario *s = generated(2, 2, 3, 1);
  pl_diag *d = pl_diag_new();
  cr_assert_eq(pl_scenario_write_geniusweb(s, dir, d), PL_EIO);
  expect_message(d, "the folder above it does not exist");
  pl_scenario_free(s);
  pl_diag_free(d);
  rm_rf(root);
}

Test(folder, existing_folder_with_other_files_is_refused) {
  char root[256], dir[300], stray[400];
  make_tmp(root, sizeof root, dir, "out");
  cr_assert_eq(mkdir(dir, 0777), 0);
  pl_scenario *s = generated(2, 2, 3, 1);
  pl_diag *d = pl_diag_new();
  /* Our own files are replaced; a file we would not write is refused. */
  write_ok(pl_scenario_write_geniusweb(s, dir, d), d, "first export");
  write_ok(pl_scenario_write_geniusweb(s, dir, d), d, "second export");
  snprintf(stray, sizeof stray, "%s/other.json", dir);
  FILE *f = fopen(stray, "w");
  cr_assert_not_null(f);
  fputs("{}\n", f);
  fclose(f);
  cr_assert_eq(pl_scenario_write_geniusweb(s, dir, d), PL_EIO);
  expect_message(d, "already holds 'other.json'");
  pl_scenario_free(s);
  pl_diag_free(d);
  rm_rf(root);
}

/* Decimal commas in the C locale must not leak into the files. */
Test(folder, numbers_use_a_dot_in_any_locale) {
  if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") &&
      !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
    cr_skip_test("no locale with a decimal comma is installed");
  pl_scenario *s = generated(3, 3, 4, 9);
  geniusweb_round_trip(s);
  char root[256], dir[300], path[400];
  make_tmp(root, sizeof root, dir, "g");
  pl_diag *d = pl_diag_new();
  write_ok(pl_scenario_write_genius(s, dir, d), d, "GENIUS export");
  snprintf(path, sizeof path, "%s/P1.xml", dir);
  FILE *f = fopen(path, "rb");
  char text[8192] = {0};
  size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
  if (f)
    fclose(f);
  setlocale(LC_NUMERIC, "C");
  cr_assert_gt(n, 0);
  cr_assert_null(strstr(text, "0,"), "a decimal comma in:\n%s", text);
  pl_scenario_free(s);
  pl_diag_free(d);
  rm_rf(root);
}

/* ---- GeniusWeb reader ---------------------------------------------------- */

static void put_file(const char *dir, const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
}

static const char *GW_DOMAIN =
    "{\"name\": \"jobs\", \"issuesValues\": {\n"
    "  \"salary\": {\"values\": [\"2000\", \"3000\"]},\n"
    "  \"fte\": {\"range\": {\"low\": 0.5, \"high\": 1, \"step\": 0.25}}}}\n";

static void gw_profile(const char *dir, const char *name, const char *weights,
                       const char *bid) {
  char text[2048];
  snprintf(text, sizeof text,
           "{\"LinearAdditiveUtilitySpace\": {\n"
           "  \"issueUtilities\": {\n"
           "    \"salary\": {\"DiscreteValueSetUtilities\": {\"valueUtilities"
           "\": {\"2000\": 0, \"3000\": 1}}},\n"
           "    \"fte\": {\"NumberValueSetUtilities\": {\"lowValue\": 0.5, "
           "\"lowUtility\": 0.2, \"highValue\": 1, \"highUtility\": 1}}},\n"
           "  \"issueWeights\": %s,\n"
           "  \"domain\": %s,\n"
           "  \"name\": \"%s\",\n"
           "  \"reservationBid\": %s}}\n",
           weights, GW_DOMAIN, name, bid);
  char file[256];
  snprintf(file, sizeof file, "%s.json", name);
  put_file(dir, file, text);
}

Test(geniusweb_read, hand_written_scenario) {
  char root[256], dir[300];
  make_tmp(root, sizeof root, dir, "jobs");
  cr_assert_eq(mkdir(dir, 0777), 0);
  put_file(dir, "domain.json", GW_DOMAIN);
  gw_profile(dir, "jobs1", "{\"salary\": 0.4, \"fte\": 0.6}",
             "{\"issuevalues\": {\"salary\": \"2000\", \"fte\": 0.75}}");
  gw_profile(dir, "jobs2", "{\"salary\": 0.5, \"fte\": 0.5}", "null");
  pl_scenario *s = load_geniusweb(dir);
  cr_assert_str_eq(s->name, "jobs");
  cr_assert_eq(s->nparties, 2);
  cr_assert_str_eq(s->actors[0].name, "jobs1");
  cr_assert_eq(s->issues[1].kind, PL_ISSUE_REAL);
  cr_assert_eq(s->issues[1].nvalues, 3);
  /* fte 0.75: 0.2 + 0.8 * 0.5 = 0.6; reservation = 0.6 * 0.6. */
  cr_assert_float_eq(s->actors[0].threshold, 0.6 * 0.6, 1e-15);
  cr_assert(s->actors[1].threshold == 0);
  uint32_t v[] = {1, 2};
  cr_assert_float_eq(pl_party_utility(s, 0, v), 1.0, 1e-15);
  /* And it exports back to a folder that reads the same. */
  char dir2[300];
  snprintf(dir2, sizeof dir2, "%s/again", root);
  pl_diag *d = pl_diag_new();
  write_ok(pl_scenario_write_geniusweb(s, dir2, d), d, "GeniusWeb export");
  pl_scenario *back = load_geniusweb(dir2);
  assert_same(s, back);
  pl_scenario_free(back);
  pl_scenario_free(s);
  pl_diag_free(d);
  rm_rf(root);
}

Test(geniusweb_read, profiles_alone_use_their_embedded_domain) {
  char root[256], dir[300], p1[400], p2[400];
  make_tmp(root, sizeof root, dir, "jobs");
  cr_assert_eq(mkdir(dir, 0777), 0);
  gw_profile(dir, "b", "{\"salary\": 0.4, \"fte\": 0.6}", "null");
  gw_profile(dir, "a", "{\"salary\": 0.5, \"fte\": 0.5}", "null");
  snprintf(p1, sizeof p1, "%s/b.json", dir);
  snprintf(p2, sizeof p2, "%s/a.json", dir);
  const char *paths[] = {p1, p2};
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_geniusweb_load(paths, 2, d);
  if (!s)
    log_diag(d);
  cr_assert_not_null(s);
  cr_assert_str_eq(s->actors[0].name, "b", "parties in the order given");
  pl_scenario_free(s);
  pl_diag_free(d);
  rm_rf(root);
}

/* A syntax error comes with jansson's line and column. */
Test(geniusweb_read, syntax_error_has_line_and_column) {
  char root[256], dir[300];
  make_tmp(root, sizeof root, dir, "bad");
  cr_assert_eq(mkdir(dir, 0777), 0);
  put_file(dir, "domain.json", "{\"name\": \"x\",\n \"issuesValues\": {,}}\n");
  pl_diag *d = pl_diag_new();
  const char *paths[] = {dir};
  cr_assert_null(pl_geniusweb_load(paths, 1, d));
  pl_problem p = pl_diag_get(d, 0);
  cr_assert_not_null(strstr(p.file, "domain.json"));
  cr_assert_eq(p.line, 2);
  cr_assert_gt(p.column, 0);
  cr_assert_not_null(strstr(p.message, "invalid JSON"));
  pl_diag_free(d);
  rm_rf(root);
}

/* Semantic errors name the file and the key, at the key's place. */
Test(geniusweb_read, semantic_errors_name_file_and_key) {
  char root[256], dir[300];
  make_tmp(root, sizeof root, dir, "bad");
  cr_assert_eq(mkdir(dir, 0777), 0);
  put_file(dir, "domain.json", GW_DOMAIN);
  gw_profile(dir, "jobs1", "{\"salary\": 0.4, \"fte\": 0.6}",
             "{\"issuevalues\": {\"salary\": \"9999\", \"fte\": 0.75}}");
  gw_profile(dir, "jobs2", "{\"salary\": 0.5, \"fee\": 0.5}", "null");
  pl_diag *d = pl_diag_new();
  const char *paths[] = {dir};
  cr_assert_null(pl_geniusweb_load(paths, 1, d));
  log_diag(d);
  expect_message(d, "the reservation bid's value for issue 'salary' is not "
                    "one of its values");
  expect_message(d, "\"issueWeights\" has no \"fte\"");
  expect_message(d, "weight for unknown issue 'fee'");
  bool placed = false;
  for (size_t i = 0; i < pl_diag_count(d); i++) {
    pl_problem p = pl_diag_get(d, i);
    if (strstr(p.message, "unknown issue 'fee'")) {
      cr_assert_not_null(strstr(p.file, "jobs2.json"));
      placed = p.line == 5 && p.column == 35; /* its "fee" */
    }
  }
  cr_assert(placed, "the unknown weight is not placed at its key (5:35)");
  pl_diag_free(d);
  rm_rf(root);
}

Test(geniusweb_read, one_profile_is_not_a_scenario) {
  char root[256], dir[300];
  make_tmp(root, sizeof root, dir, "one");
  cr_assert_eq(mkdir(dir, 0777), 0);
  put_file(dir, "domain.json", GW_DOMAIN);
  gw_profile(dir, "jobs1", "{\"salary\": 0.4, \"fte\": 0.6}", "null");
  pl_diag *d = pl_diag_new();
  const char *paths[] = {dir};
  cr_assert_null(pl_geniusweb_load(paths, 1, d));
  expect_message(d, "1 profiles; a GeniusWeb scenario needs 2");
  pl_diag_free(d);
  rm_rf(root);
}
