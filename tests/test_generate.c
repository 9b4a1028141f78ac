/* test_generate.c - the seeded generator and writing scenarios back as JSON.
 *
 * The writer's promise is that reading its output gives the same model, so
 * most tests compare utilities with == on every outcome, not within a
 * tolerance: a difference in the last bit would change tie-breaking in the
 * analysis. */
#define _POSIX_C_SOURCE 200809L
#include "model/scenario.h"
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Helpers ----------------------------------------------------------------
 */

static pl_scenario *generate(uint32_t parties, uint32_t issues, uint32_t values,
                             uint64_t seed) {
  pl_generate_options o = {parties, issues, values, seed};
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_generate(&o, d);
  cr_assert_not_null(s, "pl_generate failed: %s",
                     pl_diag_count(d) ? pl_diag_get(d, 0).message : "?");
  cr_assert_eq(pl_diag_count(d), 0);
  pl_diag_free(d);
  return s;
}

/* Writes the scenario into a string (caller frees), expecting `want`. */
static char *write_status(const pl_scenario *s, pl_status want) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_not_null(f);
  pl_status st = pl_scenario_write_json(s, f);
  fclose(f);
  cr_assert_eq(st, want, "pl_scenario_write_json returned %d", (int)st);
  return buf;
}

static char *write_string(const pl_scenario *s) {
  return write_status(s, PL_OK);
}

/* Every actor's utility, the constraints and every party's red lines agree
 * on every outcome. */
static void assert_same_model(const pl_scenario *a, const pl_scenario *b) {
  cr_assert_eq(a->nissues, b->nissues);
  cr_assert_eq(a->nparties, b->nparties);
  cr_assert_eq(a->nratifiers, b->nratifiers);
  for (uint32_t i = 0; i < a->nissues; i++)
    cr_assert_eq(a->issues[i].nvalues, b->issues[i].nvalues);
  uint64_t n;
  cr_assert(pl_space_size(a, &n));
  uint32_t values[PL_MAX_ISSUES];
  for (uint64_t o = 0; o < n; o++) {
    pl_index_to_values(a, o, values);
    for (uint32_t x = 0; x < pl_num_actors(a); x++)
      cr_assert(pl_actor_utility(a, x, values) ==
                    pl_actor_utility(b, x, values),
                "actor %u differs on outcome %llu: %.17g vs %.17g", x,
                (unsigned long long)o, pl_actor_utility(a, x, values),
                pl_actor_utility(b, x, values));
    for (int32_t p = -1; p < (int32_t)a->nparties; p++)
      cr_assert_eq(pl_rules_hold(a, p, values), pl_rules_hold(b, p, values));
  }
}

/* Writes, reads back, checks the model is the same and that writing the
 * copy gives the same text. Returns the copy. */
static pl_scenario *round_trip(const pl_scenario *s) {
  char *text = write_string(s);
  pl_scenario *copy = load_ok(text);
  assert_same_model(s, copy);
  char *again = write_string(copy);
  cr_assert_str_eq(again, text);
  free(again);
  free(text);
  return copy;
}

/* ---- Generator -------------------------------------------------------------
 */

Test(generate, same_seed_gives_identical_json) {
  pl_scenario *a = generate(4, 5, 6, 42), *b = generate(4, 5, 6, 42);
  char *ta = write_string(a), *tb = write_string(b);
  cr_assert_str_eq(ta, tb);
  cr_assert_str_eq(pl_scenario_name(a), "generated-p4-i5-v6-s42");
  cr_assert_not_null(strstr(pl_scenario_title(a), "seed 42"));
  free(ta);
  free(tb);
  pl_scenario_free(a);
  pl_scenario_free(b);
}

Test(generate, different_seed_gives_different_scenario) {
  pl_scenario *a = generate(4, 5, 6, 42), *b = generate(4, 5, 6, 43);
  char *ta = write_string(a), *tb = write_string(b);
  /* Compare past the names, which differ anyway. */
  cr_assert_str_neq(strstr(ta, "\"issues\""), strstr(tb, "\"issues\""));
  free(ta);
  free(tb);
  pl_scenario_free(a);
  pl_scenario_free(b);
}

Test(generate, names_and_shape) {
  pl_scenario *s = generate(3, 2, 5, 1);
  cr_assert_eq(pl_scenario_num_parties(s), 3);
  cr_assert_eq(pl_scenario_num_issues(s), 2);
  cr_assert_eq(pl_scenario_num_ratifiers(s), 0);
  cr_assert_eq(s->nconstraints, 0);
  cr_assert_eq(s->nproposals, 0);
  cr_assert_str_eq(pl_party_name(s, 2), "P3");
  cr_assert_str_eq(pl_issue_name(s, 1), "i2");
  cr_assert_eq(pl_issue_num_values(s, 1), 5);
  char buf[16];
  pl_issue_value_text(s, 1, 4, buf, sizeof buf);
  cr_assert_str_eq(buf, "v5");
  for (uint32_t p = 0; p < 3; p++) {
    cr_assert_eq(s->actors[p].party, -1);
    cr_assert_eq(s->actors[p].discount, 1.0);
    cr_assert_eq(s->actors[p].nred_lines, 0);
  }
  pl_scenario_free(s);
}

Test(generate, weights_sum_to_one) {
  static const uint32_t sizes[][3] = {
      {2, 1, 2}, {3, 3, 4}, {5, 17, 3}, {64, 64, 2}, {2, 64, 10}};
  for (size_t c = 0; c < sizeof sizes / sizeof *sizes; c++) {
    pl_scenario *s = generate(sizes[c][0], sizes[c][1], sizes[c][2], c + 7);
    for (uint32_t p = 0; p < s->nparties; p++) {
      double sum = 0;
      for (uint32_t i = 0; i < s->nissues; i++) {
        double w = s->actors[p].weights[i];
        cr_assert(w >= 0 && w <= 1);
        /* Rounded to 6 decimals: the double nearest a whole millionth. */
        cr_assert_eq(w, round(w * 1e6) / 1e6);
        sum += w;
      }
      cr_assert(fabs(sum - 1) <= 1e-9, "party %u: weights sum to %.17g", p,
                sum);
    }
    pl_scenario_free(s);
  }
}

Test(generate, values_span_zero_to_one) {
  pl_scenario *s = generate(6, 8, 7, 2024);
  for (uint32_t p = 0; p < s->nparties; p++) {
    const pl_actor *a = &s->actors[p];
    for (uint32_t i = 0; i < s->nissues; i++) {
      double lo = 1, hi = 0;
      for (uint32_t v = 0; v < s->issues[i].nvalues; v++) {
        double x = a->values[i][v];
        cr_assert_eq(x, round(x * 1e4) / 1e4, "not rounded to 4 decimals");
        lo = fmin(lo, x);
        hi = fmax(hi, x);
      }
      cr_assert_eq(lo, 0.0, "party %u issue %u: min %.17g", p, i, lo);
      cr_assert_eq(hi, 1.0, "party %u issue %u: max %.17g", p, i, hi);
    }
    cr_assert(a->threshold >= 0.2 && a->threshold <= 0.5);
    cr_assert_eq(a->threshold, round(a->threshold * 100) / 100);
  }
  pl_scenario_free(s);
}

/* Generates with the options and expects `problems` messages, the first
 * mentioning `word`. */
static void expect_rejected(uint32_t parties, uint32_t issues, uint32_t values,
                            size_t problems, const char *word) {
  pl_generate_options o = {parties, issues, values, 1};
  pl_diag *d = pl_diag_new();
  cr_assert_null(pl_generate(&o, d));
  cr_assert_eq(pl_diag_count(d), problems, "%u/%u/%u: %zu problems", parties,
               issues, values, pl_diag_count(d));
  cr_assert_not_null(strstr(pl_diag_get(d, 0).message, word), "message: %s",
                     pl_diag_get(d, 0).message);
  pl_diag_free(d);
}

Test(generate, rejects_options_out_of_range) {
  expect_rejected(1, 3, 3, 1, "parties");
  expect_rejected(65, 3, 3, 1, "parties");
  expect_rejected(2, 0, 3, 1, "issues");
  expect_rejected(2, 65, 3, 1, "issues");
  expect_rejected(2, 3, 1, 1, "values");
  expect_rejected(2, 3, 1001, 1, "values");
  expect_rejected(0, 0, 0, 3, "parties");
  pl_diag *d = pl_diag_new();
  cr_assert_null(pl_generate(NULL, d));
  cr_assert_eq(pl_diag_count(d), 1);
  pl_diag_free(d);
}

Test(generate, accepts_the_limits) {
  pl_scenario_free(generate(2, 1, 2, 0));
  pl_scenario_free(generate(64, 2, 1000, UINT64_MAX));
}

Test(generate, round_trip_is_exact) {
  pl_scenario *s = generate(3, 3, 4, 7);
  pl_scenario *copy = round_trip(s);
  for (uint32_t p = 0; p < s->nparties; p++)
    cr_assert_eq(s->actors[p].threshold, copy->actors[p].threshold);
  cr_assert_str_eq(pl_scenario_name(copy), pl_scenario_name(s));
  cr_assert_str_eq(pl_scenario_title(copy), pl_scenario_title(s));
  pl_scenario_free(copy);
  pl_scenario_free(s);
}

/* ---- Writing hand-written scenarios
 * ------------------------------------------ */

/* Integer and real issues, every kind of value function, a weightless issue
 * with values, named and unnamed red lines, a discount, a constraint, two
 * ratifiers (one tied to a party) and two proposals. The linear functions
 * include neighbours a, b with a + (b - a) != b, which a plain table of
 * points would not give back exactly. */
static const char *const HARBOUR =
    "{\"parley\": 1, \"name\": \"harbour\", \"title\": \"Harbour deal\","
    " \"description\": \"round-trip test\","
    " \"issues\": ["
    "  {\"name\": \"price\", \"type\": \"integer\", \"min\": 0, \"max\": 100,"
    "   \"step\": 20, \"description\": \"per tonne\"},"
    "  {\"name\": \"duration\", \"type\": \"real\", \"min\": 0, \"max\": 1,"
    "   \"count\": 6},"
    "  {\"name\": \"site\", \"type\": \"categorical\","
    "   \"options\": [\"north\", \"south\", \"east\"]}],"
    " \"parties\": ["
    "  {\"name\": \"Port\", \"reservation\": 0.3,"
    "   \"weights\": {\"price\": 0.5, \"duration\": 0.3, \"site\": 0.2},"
    "   \"values\": {\"price\": {\"shape\": \"linear\", \"best\": \"min\"},"
    "    \"duration\": {\"shape\": \"linear\", \"best\": \"max\"},"
    "    \"site\": {\"north\": 1, \"south\": 0.4, \"east\": 0}},"
    "   \"red_lines\": [{\"name\": \"floor\", \"rule\": \"price >= 20\"},"
    "    \"site != 'east' or duration >= 0.4\"]},"
    "  {\"name\": \"City\", \"reservation\": 0.25, \"discount\": 0.95,"
    "   \"weights\": {\"price\": 0.6, \"site\": 0.4},"
    "   \"values\": {\"price\": {\"shape\": \"table\","
    "     \"points\": [[0, 0], [50, 0.8], [100, 1]]},"
    "    \"duration\": {\"shape\": \"peaked\", \"peak\": 0.3},"
    "    \"site\": {\"north\": 0, \"south\": 1, \"east\": 0.7}}},"
    "  {\"name\": \"Union\", \"reservation\": 0.2,"
    "   \"weights\": {\"price\": 0.2, \"duration\": 0.8},"
    "   \"values\": {\"price\": {\"shape\": \"peaked\", \"peak\": 60},"
    "    \"duration\": {\"shape\": \"table\","
    "     \"points\": [[0, 0.1], [0.5, 1], [1, 0.3]]}}}],"
    " \"ratifiers\": ["
    "  {\"name\": \"Council\", \"party\": \"City\", \"threshold\": 0.35,"
    "   \"weights\": {\"price\": 0.7, \"site\": 0.3},"
    "   \"values\": {\"price\": {\"shape\": \"linear\", \"best\": \"max\"},"
    "    \"site\": {\"north\": 0.2, \"south\": 1, \"east\": 0}}},"
    "  {\"name\": \"Press\", \"threshold\": 0.5,"
    "   \"weights\": {\"duration\": 1},"
    "   \"values\": {\"duration\": {\"shape\": \"peaked\", \"peak\": 0.6}}}],"
    " \"constraints\": [\"price <= 80 or site == 'south'\"],"
    " \"proposals\": ["
    "  {\"name\": \"opening\", \"by\": \"Port\", \"description\": \"first\","
    "   \"outcome\": {\"price\": 60, \"duration\": 0.6, \"site\": \"south\"}},"
    "  {\"name\": \"counter\","
    "   \"outcome\": {\"price\": 40, \"duration\": 1, \"site\": \"north\"}}]}";

/* Whether some actor has neighbouring values a, b on a numeric issue for
 * which the loader's interpolation a + (b - a) * 1 does not give b. */
static bool has_rounding_neighbours(const pl_scenario *s) {
  for (uint32_t x = 0; x < pl_num_actors(s); x++)
    for (uint32_t i = 0; i < s->nissues; i++) {
      const pl_issue *is = &s->issues[i];
      const double *v = s->actors[x].values[i];
      for (uint32_t k = 1; v && is->numbers && k < is->nvalues; k++) {
        double dx = is->numbers[k] - is->numbers[k - 1];
        if (v[k - 1] + (v[k] - v[k - 1]) * dx / dx != v[k])
          return true;
      }
    }
  return false;
}

static void assert_same_rules(const pl_rule *a, const pl_rule *b, uint32_t n) {
  for (uint32_t k = 0; k < n; k++) {
    cr_assert_str_eq(a[k].text, b[k].text);
    cr_assert_eq(!a[k].name, !b[k].name);
    if (a[k].name)
      cr_assert_str_eq(a[k].name, b[k].name);
  }
}

static void assert_same_details(const pl_scenario *a, const pl_scenario *b) {
  cr_assert_str_eq(a->description, b->description);
  cr_assert_str_eq(a->issues[0].description, b->issues[0].description);
  for (uint32_t x = 0; x < pl_num_actors(a); x++) {
    const pl_actor *p = &a->actors[x], *q = &b->actors[x];
    cr_assert_str_eq(p->name, q->name);
    cr_assert_eq(p->threshold, q->threshold);
    cr_assert_eq(p->discount, q->discount);
    cr_assert_eq(p->party, q->party);
    cr_assert_eq(p->nred_lines, q->nred_lines);
    assert_same_rules(p->red_lines, q->red_lines, p->nred_lines);
    for (uint32_t i = 0; i < a->nissues; i++)
      cr_assert_eq(!p->values[i], !q->values[i], "values of %s on %u", p->name,
                   i);
  }
  cr_assert_eq(a->nconstraints, b->nconstraints);
  assert_same_rules(a->constraints, b->constraints, a->nconstraints);
  cr_assert_eq(a->nproposals, b->nproposals);
  for (uint32_t k = 0; k < a->nproposals; k++) {
    const pl_proposal *p = &a->proposals[k], *q = &b->proposals[k];
    cr_assert_str_eq(p->name, q->name);
    cr_assert_eq(!p->by, !q->by);
    if (p->by)
      cr_assert_str_eq(p->by, q->by);
    for (uint32_t i = 0; i < a->nissues; i++)
      cr_assert_eq(p->values[i], q->values[i]);
  }
}

Test(write, hand_written_round_trip) {
  pl_scenario *s = load_ok(HARBOUR);
  cr_assert(has_rounding_neighbours(s), "the test lost its hard case");
  pl_scenario *copy = round_trip(s);
  assert_same_details(s, copy);
  /* Spot checks against the source text, not only against each other. */
  cr_assert_str_eq(copy->actors[0].red_lines[0].name, "floor");
  cr_assert_str_eq(copy->actors[0].red_lines[0].text, "price >= 20");
  cr_assert_null(copy->actors[0].red_lines[1].name);
  cr_assert_eq(copy->actors[3].party, 1);
  cr_assert_eq(copy->actors[3].threshold, 0.35);
  cr_assert_eq(copy->actors[4].party, -1);
  cr_assert_eq(copy->actors[1].discount, 0.95);
  cr_assert_str_eq(copy->constraints[0].text, "price <= 80 or site == 'south'");
  cr_assert_eq(copy->proposals[0].values[0], 3);
  cr_assert_eq(copy->proposals[0].values[1], 3);
  cr_assert_eq(copy->proposals[0].values[2], 1);
  cr_assert_null(copy->proposals[1].by);
  pl_scenario_free(copy);
  pl_scenario_free(s);
}

Test(write, document_layout) {
  pl_scenario *s = load_ok(HARBOUR);
  char *text = write_string(s);
  /* Keys in the documented order, integers as integers, the weightless
   * issue's values kept, its weight left out. */
  const char *order[] = {"\"parley\": 1", "\"name\": \"harbour\"",
                         "\"title\"",     "\"description\"",
                         "\"issues\"",    "\"parties\"",
                         "\"ratifiers\"", "\"constraints\"",
                         "\"proposals\""};
  const char *at = text;
  for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
    const char *next = strstr(at, order[k]);
    cr_assert_not_null(next, "%s missing or out of order", order[k]);
    at = next;
  }
  cr_assert_not_null(strstr(text, "\"step\": 20"));
  cr_assert_not_null(strstr(text, "\"price\": 60,"));
  cr_assert_not_null(strstr(text, "\"party\": \"City\""));
  /* 0.95 as written, not %.17g's 0.94999999999999996 (issue 11). */
  cr_assert_not_null(strstr(text, "\"discount\": 0.95\n"), "%s", text);
  pl_scenario *copy = load_ok(text);
  cr_assert_eq(copy->actors[1].weights[1], 0.0);
  cr_assert_not_null(copy->actors[1].values[1]);
  pl_scenario_free(copy);
  free(text);
  pl_scenario_free(s);
}

/* A scenario with one real issue of 20001 values and the given value
 * function for party A: wide tables must read back exactly too. */
static pl_scenario *wide(const char *fn) {
  char json[1024];
  snprintf(
      json, sizeof json,
      "{\"issues\": [{\"name\": \"x\", \"type\": \"real\", \"min\": 0,"
      " \"max\": 1, \"count\": 20001}],"
      " \"parties\": ["
      "  {\"name\": \"A\", \"weights\": {\"x\": 1}, \"values\": {\"x\": %s}},"
      "  {\"name\": \"B\", \"weights\": {\"x\": 1},"
      "   \"values\": {\"x\": {\"shape\": \"linear\", \"best\": \"min\"}}}"
      "]}",
      fn);
  return load_ok(json);
}

Test(write, wide_issue_round_trips) {
  const char *fns[] = {"{\"shape\": \"linear\", \"best\": \"max\"}",
                       "{\"shape\": \"peaked\", \"peak\": 0.25}",
                       "{\"shape\": \"table\","
                       " \"points\": [[0, 0], [0.3, 1], [1, 0.2]]}"};
  for (size_t k = 0; k < 3; k++) {
    pl_scenario *s = wide(fns[k]);
    pl_scenario_free(round_trip(s));
    pl_scenario_free(s);
  }
}

Test(write, full_disk_is_an_io_error) {
  FILE *f = fopen("/dev/full", "w");
  if (!f)
    cr_skip_test("no /dev/full here");
  pl_scenario *s = generate(3, 3, 4, 7);
  cr_assert_eq(pl_scenario_write_json(s, f), PL_EIO);
  fclose(f);
  pl_scenario_free(s);
}
