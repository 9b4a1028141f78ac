/* test_fmt.c - how numbers are written (issue 11, item 5; docs/analysis.md,
 * "Precision"): a number from the input as written (the shortest text that
 * reads back to the same double), a computed number with 12 significant
 * digits and no rounding noise, in JSON and text alike; JSON documents laid
 * out as jansson lays them out and read back exactly. */
#define _POSIX_C_SOURCE 200809L
#include "support.h"
#include "util/fmt.h"
#include "util/json_write.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <jansson.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *number(double x) {
  static char buf[64];
  pl_fmt_number(buf, sizeof buf, x);
  return buf;
}

static const char *computed(double x) {
  static char buf[64];
  pl_fmt_computed(buf, sizeof buf, x);
  return buf;
}

/* Significant digits of a number's text: digits of the mantissa without
 * leading zeros. */
static int significant(const char *text) {
  int n = 0;
  bool started = false;
  for (const char *c = text; *c && *c != 'e' && *c != 'E'; c++) {
    if (!isdigit((unsigned char)*c))
      continue;
    if (*c != '0')
      started = true;
    if (started)
      n++;
  }
  /* trailing zeros of "100" are significant only as magnitude: %g drops
   * those after a point, which is all that matters here */
  return n;
}

/* ---- Numbers from the input ---------------------------------------------- */

Test(input_numbers, are_printed_as_written) {
  /* What generate used to write as 0.32000000000000001 (%.17g). */
  cr_expect_str_eq(number(0.32), "0.32");
  cr_expect_str_eq(number(0.95), "0.95");
  cr_expect_str_eq(number(10), "10");
  cr_expect_str_eq(number(1e20), "1e+20");
  cr_expect_str_eq(number(-2.5e-7), "-2.5e-07");
  /* 13 and 16 significant digits, as GENIUS files hold them
   * (examples/domains/Laptop/Laptop-C-prof1.xml has 0.4452125771655631). */
  cr_expect_str_eq(number(0.1428571428571), "0.1428571428571");
  cr_expect_str_eq(number(0.4452125771655631), "0.4452125771655631");
  /* 0.1 + 0.2 is not 0.3: the text that reads back needs 17 digits. */
  cr_expect_str_eq(number(0.1 + 0.2), "0.30000000000000004");
}

/* Every double reads back from its text, and one digit fewer never does:
 * the text is the shortest (doubles drawn from a fixed-seed generator over
 * all bit patterns and over short decimals). */
Test(input_numbers, are_the_shortest_text_that_reads_back) {
  uint64_t state = 0x9e3779b97f4a7c15u;
  for (int k = 0; k < 20000; k++) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    double x;
    if (k % 2) {
      memcpy(&x, &state, sizeof x);
      if (!isfinite(x))
        continue;
    } else {
      x = (double)(state % 1000000) / 10000; /* 4 decimals */
    }
    const char *text = number(x);
    double back;
    cr_assert(pl_parse_number(text, &back), "%s", text);
    cr_assert(back == x, "%.17g written %s", x, text);
    int digits = significant(text);
    if (digits > 1) {
      char shorter[400];
      snprintf(shorter, sizeof shorter, "%.*g", digits - 1, x);
      double b2 = strtod(shorter, NULL);
      cr_assert(b2 != x, "%s is shorter than %s", shorter, text);
    }
    if (k % 2 == 0)
      cr_assert(digits <= 6, "%.17g written %s", x, text);
  }
}

/* ---- Computed numbers ---------------------------------------------------- */

Test(computed_numbers, carry_no_rounding_noise) {
  /* The slack issue 11 saw as 0.0155000000000001: a difference of decimal
   * inputs, off by a few units in the last place. */
  double slack = 0.53 - 0.5145;
  cr_expect_neq(slack, 0.0155); /* the noise is there in the double */
  cr_expect_str_eq(computed(slack), "0.0155");
  cr_expect_str_eq(computed(0.1 + 0.2), "0.3");
  cr_expect_str_eq(computed(2.0 / 3), "0.666666666667"); /* 12 digits */
  cr_expect_str_eq(computed(1e-300 * 1e-10), "1e-310");
  cr_expect_str_eq(computed(-0.0), "0");
  cr_expect_eq(pl_round_computed(slack), 0.0155);
  cr_expect_eq(pl_round_computed(2.0 / 3), 0.666666666667);
  cr_expect(isnan(pl_round_computed(NAN)));
}

Test(computed_numbers, keep_twelve_significant_digits) {
  uint64_t state = 12345;
  for (int k = 0; k < 20000; k++) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    double x = (double)(state >> 11) / 9007199254740992.0 *
               pow(10, (int)(state % 7) - 3);
    const char *text = computed(x);
    cr_assert_leq(significant(text), 12, "%s", text);
    double back = strtod(text, NULL);
    cr_assert_leq(fabs(back - x), 5e-12 * fabs(x), "%.17g written %s", x, text);
    /* the rounded double prints as that text again, shortest */
    cr_assert_str_eq(number(pl_round_computed(x)), text);
  }
}

/* A locale with a decimal comma changes nothing. */
Test(numbers, are_written_with_a_point_in_any_locale) {
  if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") &&
      !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
    cr_skip_test("no locale with a decimal comma installed");
  cr_expect_str_eq(number(0.32), "0.32");
  cr_expect_str_eq(computed(0.53 - 0.5145), "0.0155");
  setlocale(LC_NUMERIC, "C");
}

/* ---- JSON ------------------------------------------------------------------
 */

static json_t *sample_document(void) {
  json_error_t e;
  /* Every kind of value, nesting, empty containers, escapes and UTF-8. */
  json_t *doc = json_loads(
      "{\"name\": \"Kyiv \\u00e9 \\\"q\\\" \\\\ \\n\\t\\u0001/\", "
      "\"n\": -42, \"big\": 9007199254740993, \"yes\": true, \"no\": false, "
      "\"none\": null, \"empty\": {}, \"list\": [], "
      "\"nested\": {\"a\": [1, [2, {}], {\"b\": []}]}, "
      "\"reals\": [0.25, 3.0, -0.5, 1e20, 9.5367431640625e-07, 1024.5]}",
      0, &e);
  cr_assert_not_null(doc, "%s", e.text);
  return doc;
}

/* Apart from how a real is spelled, the text is json_dumpf's, byte for byte
 * (these reals print the same at %.17g). */
Test(json, is_laid_out_as_jansson_lays_it_out) {
  json_t *doc = sample_document();
  char *ours = pl_json_write_string(doc);
  char *theirs = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
  cr_assert_not_null(ours);
  cr_expect_str_eq(ours, theirs);
  /* and the reals as jansson spells them: a point or an exponent */
  cr_expect_not_null(strstr(ours, "    3.0,\n"));
  cr_expect_not_null(strstr(ours, "    1e20,\n"));
  cr_expect_not_null(strstr(ours, "    9.5367431640625e-7,\n"));
  free(ours);
  free(theirs);
  json_decref(doc);
}

/* Reals that %.17g writes with noise and %.15g would not read back: ours
 * writes each as typed and reads back the same double. */
Test(json, reads_back_exactly) {
  const double xs[] = {0.32,
                       0.1 + 0.2,
                       0.4452125771655631,
                       1.00005,
                       1.0 / 3,
                       5e-324,
                       1.7976931348623157e308,
                       -0.0155,
                       123456789012345678.0};
  const char *as[] = {"0.32",
                      "0.30000000000000004",
                      "0.4452125771655631",
                      "1.00005",
                      "0.3333333333333333",
                      "5e-324",
                      "1.7976931348623157e308",
                      "-0.0155",
                      "1.2345678901234568e17"};
  json_t *arr = json_array();
  for (size_t k = 0; k < sizeof xs / sizeof *xs; k++)
    json_array_append_new(arr, json_real(xs[k]));
  char *text = pl_json_write_string(arr);
  cr_assert_not_null(text);
  for (size_t k = 0; k < sizeof as / sizeof *as; k++) {
    char want[64];
    snprintf(want, sizeof want, "  %s%s\n", as[k],
             k + 1 < sizeof as / sizeof *as ? "," : "");
    cr_expect_not_null(strstr(text, want), "%s not in\n%s", want, text);
  }
  json_t *back = json_loads(text, 0, NULL);
  cr_assert_not_null(back);
  for (size_t k = 0; k < sizeof xs / sizeof *xs; k++)
    cr_expect_eq(json_real_value(json_array_get(back, k)), xs[k], "%zu", k);
  free(text);
  json_decref(back);
  json_decref(arr);
}

Test(json, computed_reals_are_rounded_where_they_are_made) {
  json_t *o = json_object();
  json_object_set_new(o, "slack", pl_json_computed(0.53 - 0.5145));
  json_object_set_new(o, "nan", pl_json_computed(NAN));
  char *text = pl_json_write_string(o);
  cr_expect_str_eq(text, "{\n  \"slack\": 0.0155,\n  \"nan\": null\n}");
  free(text);
  json_decref(o);
}

/* ---- What the commands write --------------------------------------------- */

/* Every number token of a text, in order; returns how many have more than
 * `max` significant digits, naming the first. */
static int long_numbers(const char *text, int max, char *first, size_t n) {
  int count = 0;
  for (const char *c = text; *c; c++) {
    if (!(isdigit((unsigned char)*c) &&
          (c == text || !isalnum((unsigned char)c[-1]))))
      continue;
    const char *end = c;
    while (isdigit((unsigned char)*end) || *end == '.' || *end == 'e' ||
           *end == 'E' || ((*end == '-' || *end == '+') && (end[-1] == 'e')))
      end++;
    char tok[64];
    size_t len = (size_t)(end - c) < sizeof tok ? (size_t)(end - c) : 63;
    memcpy(tok, c, len);
    tok[len] = 0;
    if (strchr(tok, '.') && significant(tok) > max && count++ == 0)
      snprintf(first, n, "%s", tok);
    c = end - 1;
  }
  return count;
}

/* The talks' blocking table had "slack": 0.0155000000000001; the analysis
 * of the talks and of an ANAC domain, a negotiation with its trace and a
 * generated scenario now hold no real with more than 12 significant digits
 * (their inputs have at most 4), and each document, read and written again,
 * is the same text. */
Test(commands, write_no_rounding_noise) {
  const char *cmds[] = {"analyze --json",
                        "analyze " PARLEY_EXAMPLES
                        "/domains/ItexvsCypress --json",
                        "negotiate --json --trace",
                        "negotiate " PARLEY_EXAMPLES
                        "/domains/ItexvsCypress --json --trace --rounds 50",
                        "generate --parties 4 --issues 3 --seed 7",
                        "stability --json"};
  for (size_t k = 0; k < sizeof cmds / sizeof *cmds; k++) {
    cli_result r = cli_callf("%s", cmds[k]);
    cr_assert_eq(r.rc, 0, "%s: %s", cmds[k], r.err);
    char first[64] = "";
    cr_expect_eq(long_numbers(r.out, 12, first, sizeof first), 0,
                 "%s: %s has more than 12 significant digits", cmds[k], first);
    json_t *doc = json_loads(r.out, 0, NULL);
    cr_assert_not_null(doc, "%s", cmds[k]);
    char *again = pl_json_write_string(doc);
    cr_expect(again && strncmp(again, r.out, strlen(again)) == 0 &&
                  strcmp(r.out + strlen(again), "\n") == 0,
              "%s does not read back to the same text", cmds[k]);
    free(again);
    json_decref(doc);
    cli_result_free(&r);
  }
  cli_result r = cli_callf("analyze --json");
  cr_expect_not_null(strstr(r.out, "\"slack\": 0.0155,"));
  cli_result_free(&r);
}

/* Text output too: the real issue's grid points are computed
 * (lo + (hi - lo) k / (n - 1)) and printed without noise. */
Test(commands, text_numbers_carry_no_noise) {
  cli_result r = cli_callf("analyze " PARLEY_EXAMPLES "/domains/Laptop");
  cr_assert_eq(r.rc, 0, "%s", r.err);
  char first[64] = "";
  cr_expect_eq(long_numbers(r.out, 12, first, sizeof first), 0, "%s", first);
  cli_result_free(&r);
}

/* generate wrote "reservation": 0.32000000000000001 (%.17g). */
Test(commands, generate_writes_its_numbers_as_drawn) {
  cli_result r = cli_callf("generate");
  cr_assert_eq(r.rc, 0);
  cr_expect_not_null(strstr(r.out, "\"reservation\": 0.32,"), "%s", r.out);
  cr_expect_null(strstr(r.out, "0000000"), "%s", r.out);
  cli_result_free(&r);
}
