/* test_loader.c - the scenario loader on bad input: every problem comes with
 * a clear message and the line and column of the value at fault, nothing
 * crashes, and valid edge cases load.
 *
 * How the expected positions are derived: every JSON text below is written
 * one JSON line per C string literal, each literal ending in "\n", so line N
 * of the JSON is the N-th literal (marked "line N" where it matters).
 * Columns are 1-based and count characters, not bytes. They are computed
 * with col_of(), which counts the characters before a token on its line of
 * the JSON text itself; each test thereby names the token it expects the
 * loader to point at (a value, a key with its opening quote, or the '{' or
 * '[' of the object or array at fault). Syntax errors come from jansson,
 * which reports the column of the last character it read. */
#include "support.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Helpers ------------------------------------------------------------- */

/* The 1-based column, in characters, where `needle` first occurs on line
 * `line` of `text`; fails the test when it is not on that line. */
static int col_of(const char *text, int line, const char *needle) {
  const char *p = text;
  for (int l = 1; l < line; l++) {
    p = strchr(p, '\n');
    cr_assert_not_null(p, "the JSON has no line %d", line);
    p++;
  }
  const char *end = strchr(p, '\n');
  if (!end)
    end = p + strlen(p);
  const char *hit = strstr(p, needle);
  cr_assert(hit && hit < end, "test bug: '%s' is not on line %d", needle, line);
  int col = 1;
  for (const char *q = p; q < hit; q++)
    if (((unsigned char)*q & 0xC0) != 0x80)
      col++;
  return col;
}

static void log_problems(const pl_diag *d) {
  for (size_t i = 0; i < pl_diag_count(d); i++) {
    pl_problem p = pl_diag_get(d, i);
    cr_log_info("problem %zu: %s:%d:%d: %s", i + 1, p.file ? p.file : "-",
                p.line, p.column, p.message);
  }
}

/* The problem whose message contains `needle`; fails when there is none. */
static pl_problem find(const pl_diag *d, const char *needle) {
  for (size_t i = 0; i < pl_diag_count(d); i++) {
    pl_problem p = pl_diag_get(d, i);
    if (p.message && strstr(p.message, needle))
      return p;
  }
  log_problems(d);
  cr_assert_fail("no problem mentions \"%s\"", needle);
  return (pl_problem){0};
}

/* A problem mentioning `needle` is reported at line:col. */
static void expect_at(const pl_diag *d, const char *needle, int line, int col) {
  pl_problem p = find(d, needle);
  if (p.line != line || p.column != col)
    log_problems(d);
  cr_expect_eq(p.line, line, "\"%s\": line %d, expected %d", p.message, p.line,
               line);
  cr_expect_eq(p.column, col, "\"%s\": column %d, expected %d", p.message,
               p.column, col);
}

/* Loading must fail with exactly `n` problems. */
static pl_diag *fail_with(const char *json, size_t n) {
  pl_diag *d = load_fail(json);
  if (pl_diag_count(d) != n)
    log_problems(d);
  cr_assert_eq(pl_diag_count(d), n, "%zu problems reported, expected %zu",
               pl_diag_count(d), n);
  return d;
}

/* Lines shared by many tests. Two issues: x (categorical a, b) and n
 * (integer 0, 5, 10); party B is valid for both. */
#define ISSUES_X_N                                                             \
  "\"issues\": [{\"name\": \"x\", \"type\": \"categorical\", \"options\": "    \
  "[\"a\", \"b\"]},\n"                                                         \
  "  {\"name\": \"n\", \"type\": \"integer\", \"min\": 0, \"max\": 10, "       \
  "\"step\": 5}],\n"
#define PARTY_B                                                                \
  "{\"name\": \"B\", \"weights\": {\"x\": 1}, \"values\": {\"x\": {\"a\": "    \
  "0, \"b\": 1}}}"
#define PARTY_A                                                                \
  "{\"name\": \"A\", \"weights\": {\"x\": 1}, \"values\": {\"x\": {\"a\": "    \
  "1, \"b\": 0}}}"

/* ---- Malformed JSON: positions from jansson ------------------------------ */

Test(syntax, truncated) {
  const char *J = "{\n"
                  "  \"issues\": [1, 2"; /* line 2, 17 characters, no end */
  pl_diag *d = fail_with(J, 1);
  /* The text ends after the '2', the 17th character of line 2. */
  expect_at(d, "invalid JSON", 2, 17);
  cr_expect(strstr(pl_diag_get(d, 0).message, "end of file"),
            "message should say the file ended: %s", pl_diag_get(d, 0).message);
  cr_expect_str_eq(pl_diag_get(d, 0).file, "test.json");
  pl_diag_free(d);
}

Test(syntax, trailing_comma) {
  const char *J = "{\n"
                  "  \"issues\": [1, 2,]\n" /* line 2 */
                  "}\n";
  pl_diag *d = fail_with(J, 1);
  /* jansson stops at the ']' that follows the comma. */
  expect_at(d, "invalid JSON", 2, col_of(J, 2, "]"));
  cr_expect_eq(col_of(J, 2, "]"), 19);
  pl_diag_free(d);
}

Test(syntax, bad_literal) {
  const char *J = "{\n"
                  "  \"parley\": tru\n" /* line 2 */
                  "}\n";
  pl_diag *d = fail_with(J, 1);
  /* jansson reads the whole token 'tru' and reports its last character,
   * the 'u': two columns after the 't'. */
  expect_at(d, "invalid JSON", 2, col_of(J, 2, "tru") + 2);
  cr_expect(strstr(pl_diag_get(d, 0).message, "tru"),
            "message should quote the bad token: %s",
            pl_diag_get(d, 0).message);
  pl_diag_free(d);
}

Test(syntax, duplicate_key) {
  const char *J = "{\n"
                  "  \"issues\": [],\n"
                  "  \"issues\": []\n" /* line 3 */
                  "}\n";
  pl_diag *d = fail_with(J, 1);
  /* jansson reports the last character of the second key: its closing
   * quote, 7 characters after the opening one. */
  expect_at(d, "duplicate object key", 3, col_of(J, 3, "\"issues\"") + 7);
  pl_diag_free(d);
}

/* ---- Shape of the document ----------------------------------------------- */

Test(structure, root_not_object) {
  pl_diag *d = fail_with("[1, 2]", 1);
  expect_at(d, "must be a JSON object, not an array", 1, 1);
  pl_diag_free(d);
}

Test(structure, missing_issues) {
  const char *J = "{\n"
                  "  \"parties\": [" PARTY_A ", " PARTY_B "]\n"
                  "}\n";
  pl_diag *d = fail_with(J, 1);
  /* A missing key has no place of its own: the object that lacks it. */
  expect_at(d, "has no \"issues\"", 1, 1);
  pl_diag_free(d);
}

Test(structure, missing_parties) {
  const char *J = "{\n"
                  "  " ISSUES_X_N "  \"name\": \"no parties\"\n"
                  "}\n";
  pl_diag *d = fail_with(J, 1);
  expect_at(d, "has no \"parties\"", 1, 1);
  pl_diag_free(d);
}

Test(structure, empty_issues_and_one_party) {
  const char *J1 = "{\"issues\": [],\n" /* line 1 */
                   " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J1, 1);
  expect_at(d, "needs 1 to 64 issues, not 0", 1, col_of(J1, 1, "[]"));
  pl_diag_free(d);

  const char *J2 = "{" ISSUES_X_N                    /* lines 1-2 */
                   " \"parties\": [" PARTY_A "]}\n"; /* line 3 */
  d = fail_with(J2, 1);
  expect_at(d, "needs 2 to 64 parties, not 1", 3, col_of(J2, 3, "["));
  pl_diag_free(d);
}

Test(structure, format_version) {
  const char *J = "{\"parley\": 2,\n" /* line 1 */
                  " " ISSUES_X_N " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  expect_at(d, "format version and must be 1", 1, col_of(J, 1, "2"));
  pl_diag_free(d);
}

/* ---- Unknown keys -------------------------------------------------------- */

Test(keys, unknown_top_level_with_suggestion) {
  const char *J = "{\n"
                  "  " ISSUES_X_N                               /* lines 2-3 */
                  "  \"partys\": [],\n"                         /* line 4 */
                  "  \"parties\": [" PARTY_A ", " PARTY_B "]\n" /* line 5 */
                  "}\n";
  pl_diag *d = fail_with(J, 1);
  /* At the key itself, its opening quote. */
  expect_at(d, "unknown key 'partys' in the scenario (did you mean 'parties'?)",
            4, col_of(J, 4, "\"partys\""));
  pl_diag_free(d);
}

Test(keys, unknown_in_issue_and_party) {
  const char *J =
      "{\"issues\": [\n"
      "  {\"name\": \"x\", \"type\": \"categorical\", \"optins\": [\"a\"], "
      "\"options\": [\"a\", \"b\"]}],\n" /* line 2 */
      " \"parties\": [\n"
      "  {\"name\": \"A\", \"reservaton\": 0.5, \"weights\": {\"x\": 1}, "
      "\"values\": {\"x\": {\"a\": 1, \"b\": 0}}},\n" /* line 4 */
      "  " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 2);
  expect_at(d,
            "unknown key 'optins' in a categorical issue (did you mean "
            "'options'?)",
            2, col_of(J, 2, "\"optins\""));
  expect_at(d,
            "unknown key 'reservaton' in party 1 (did you mean "
            "'reservation'?)",
            4, col_of(J, 4, "\"reservaton\""));
  pl_diag_free(d);
}

Test(keys, comment_keys_anywhere) {
  /* "description", "source", "notes" and "label" are allowed everywhere. */
  pl_scenario *s = load_ok(
      "{\"description\": \"d\", \"notes\": \"n\", \"source\": \"s\",\n"
      " \"issues\": [{\"name\": \"x\", \"type\": \"categorical\", \"label\": "
      "\"l\", \"notes\": \"n\", \"options\": [\"a\", \"b\"]}],\n"
      " \"constraints\": [{\"name\": \"c\", \"rule\": \"x != 'b'\", "
      "\"source\": \"s\"}],\n"
      " \"parties\": [{\"name\": \"A\", \"source\": \"s\", \"weights\": "
      "{\"x\": 1}, \"values\": {\"x\": {\"a\": 1, \"b\": 0}}}, " PARTY_B "]}");
  uint32_t v[1] = {1};
  cr_expect_not(pl_outcome_feasible(s, v), "x = b breaks x != 'b'");
  v[0] = 0;
  cr_expect(pl_outcome_feasible(s, v));
  pl_scenario_free(s);
}

/* ---- Issues -------------------------------------------------------------- */

Test(issues, unknown_type) {
  const char *J = "{\"issues\": [\n"
                  "  {\"name\": \"x\", \"type\": \"categoricl\", \"options\": "
                  "[\"a\"]}],\n" /* line 2 */
                  " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  expect_at(d, "has type \"categoricl\"; expected \"categorical\"", 2,
            col_of(J, 2, "\"categoricl\""));
  pl_diag_free(d);
}

Test(issues, categorical_without_options) {
  const char *J = "{\"issues\": [\n"
                  "  {\"name\": \"x\", \"type\": \"categorical\", \"options\": "
                  "[]}],\n" /* line 2 */
                  " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  expect_at(d, "issue 'x' has no options", 2, col_of(J, 2, "[]"));
  pl_diag_free(d);
}

Test(issues, duplicate_option) {
  const char *J = "{\"issues\": [\n"
                  "  {\"name\": \"x\", \"type\": \"categorical\", \"options\": "
                  "[\"a\", \"b\", \"a\"]}],\n" /* line 2 */
                  " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  /* At the second "a", the one that repeats. */
  expect_at(d, "option \"a\" of issue 'x' is listed twice", 2,
            col_of(J, 2, "\"b\", \"a\"") + 5);
  pl_diag_free(d);
}

Test(issues, duplicate_issue_name) {
  const char *J =
      "{\"issues\": [\n"
      "  {\"name\": \"x\", \"type\": \"categorical\", \"options\": [\"a\", "
      "\"b\"]},\n"
      "  {\"name\": \"x\", \"type\": \"integer\", \"min\": 0, \"max\": 3}],\n"
      /* line 3 */
      " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  /* At the name of the second definition. */
  expect_at(d, "issue 'x' is defined twice", 3, col_of(J, 3, "\"x\""));
  pl_diag_free(d);
}

Test(issues, integer_max_below_min) {
  const char *J = "{\"issues\": [\n"
                  "  {\"name\": \"n\", \"type\": \"integer\", \"min\": 5, "
                  "\"max\": 3}],\n" /* line 2 */
                  " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  expect_at(d, "issue 'n': max is below min", 2, col_of(J, 2, "3}"));
  pl_diag_free(d);
}

Test(issues, integer_step_does_not_divide_range) {
  const char *J = "{\"issues\": [\n"
                  "  {\"name\": \"n\", \"type\": \"integer\", \"min\": 0, "
                  "\"max\": 10, \"step\": 3}],\n" /* line 2 */
                  " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  /* 10 - 0 is not a multiple of 3: pointed at max. */
  expect_at(d, "issue 'n': max must be min plus a whole number of steps", 2,
            col_of(J, 2, "10"));
  pl_diag_free(d);
}

Test(issues, integer_too_many_values) {
  const char *J = "{\"issues\": [\n"
                  "  {\"name\": \"n\", \"type\": \"integer\", \"min\": 0, "
                  "\"max\": 1e12}],\n" /* line 2 */
                  " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  /* 0 .. 10^12 step 1 is 10^12 + 1 values; at the issue's '{'. */
  expect_at(d, "issue 'n' has 1000000000001 values; at most 1000000", 2,
            col_of(J, 2, "{"));
  pl_diag_free(d);
}

Test(issues, integer_not_whole) {
  const char *J = "{\"issues\": [\n"
                  "  {\"name\": \"n\", \"type\": \"integer\", \"min\": 0.5, "
                  "\"max\": 3}],\n" /* line 2 */
                  " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  expect_at(d, "needs whole numbers", 2, col_of(J, 2, "{"));
  pl_diag_free(d);
}

Test(issues, real_count_one_with_range) {
  const char *J = "{\"issues\": [\n"
                  "  {\"name\": \"r\", \"type\": \"real\", \"min\": 0, "
                  "\"max\": 1, \"count\": 1}],\n" /* line 2 */
                  " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  expect_at(d, "issue 'r': need min < max with count >= 2", 2,
            col_of(J, 2, "{"));
  pl_diag_free(d);
}

/* ---- Weights and value functions ----------------------------------------- */

Test(weights, do_not_sum_to_one) {
  const char *J = "{" ISSUES_X_N /* lines 1-2 */
                  " \"parties\": [\n"
                  "  {\"name\": \"A\", \"weights\": {\"x\": 0.5, \"n\": 0.4}, "
                  "\"values\": {\"x\": {\"a\": 1, \"b\": 0}, \"n\": "
                  "{\"shape\": \"linear\", \"best\": \"max\"}}},\n" /* line 4 */
                  "  " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  /* 0.5 + 0.4 = 0.9, reported at the weights object. */
  expect_at(d, "party 'A': the weights sum to 0.9; they must sum to 1", 4,
            col_of(J, 4, "{\"x\": 0.5"));
  pl_diag_free(d);
}

Test(weights, unknown_issue_with_suggestion) {
  const char *J =
      "{\"issues\": [{\"name\": \"border\", \"type\": \"categorical\", "
      "\"options\": [\"a\", \"b\"]}],\n"
      " \"parties\": [\n"
      "  {\"name\": \"A\", \"weights\": {\"bordr\": 1}, \"values\": "
      "{\"border\": {\"a\": 1, \"b\": 0}}},\n" /* line 3 */
      "  {\"name\": \"B\", \"weights\": {\"border\": 1}, \"values\": "
      "{\"border\": {\"a\": 0, \"b\": 1}}}]}\n";
  pl_diag *d = fail_with(J, 1);
  /* At the key that names the unknown issue. */
  expect_at(d, "party 'A' names unknown issue 'bordr' (did you mean 'border'?)",
            3, col_of(J, 3, "\"bordr\""));
  pl_diag_free(d);
}

Test(values, missing_option) {
  const char *J = "{" ISSUES_X_N /* lines 1-2 */
                  " \"parties\": [\n"
                  "  {\"name\": \"A\", \"weights\": {\"x\": 1}, \"values\": "
                  "{\"x\": {\"a\": 1}}},\n" /* line 4 */
                  "  " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  /* At the value table of x, which lacks "b". */
  expect_at(d, "party 'A': no value for option 'b' of issue 'x'", 4,
            col_of(J, 4, "{\"a\": 1}"));
  pl_diag_free(d);
}

Test(values, out_of_unit_interval) {
  const char *J = "{" ISSUES_X_N /* lines 1-2 */
                  " \"parties\": [\n"
                  "  {\"name\": \"A\", \"weights\": {\"x\": 1}, \"values\": "
                  "{\"x\": {\"a\": 1.5, \"b\": -0.25}}},\n" /* line 4 */
                  "  " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 2);
  expect_at(d, "the value of 'a' on 'x' is 1.5; it must lie from 0 to 1", 4,
            col_of(J, 4, "1.5"));
  expect_at(d, "the value of 'b' on 'x' is -0.25", 4, col_of(J, 4, "-0.25"));
  pl_diag_free(d);
}

Test(values, unknown_option_with_suggestion) {
  const char *J =
      "{\"issues\": [{\"name\": \"level\", \"type\": \"categorical\", "
      "\"options\": [\"low\", \"high\"]}],\n"
      " \"parties\": [\n"
      "  {\"name\": \"A\", \"weights\": {\"level\": 1}, \"values\": "
      "{\"level\": {\"low\": 1, \"high\": 0, \"hihg\": 0}}},\n" /* line 3 */
      "  {\"name\": \"B\", \"weights\": {\"level\": 1}, \"values\": "
      "{\"level\": {\"low\": 0, \"high\": 1}}}]}\n";
  pl_diag *d = fail_with(J, 1);
  expect_at(d,
            "party 'A': 'hihg' is not an option of issue 'level' (did you "
            "mean 'high'?)",
            3, col_of(J, 3, "\"hihg\""));
  pl_diag_free(d);
}

/* Party A puts all its weight on n with the value function `fn`, written on
 * line 4 of the returned text (static buffer). */
static const char *numeric_party(const char *fn) {
  static char buf[2048];
  snprintf(buf, sizeof buf,
           "{" ISSUES_X_N /* lines 1-2 */
           " \"parties\": [\n"
           "  {\"name\": \"A\", \"weights\": {\"n\": 1}, \"values\": "
           "{\"n\": %s}},\n" /* line 4 */
           "  " PARTY_B "]}\n",
           fn);
  return buf;
}

Test(values, numeric_unknown_shape) {
  const char *J = numeric_party("{\"shape\": \"lineal\", \"best\": \"max\"}");
  pl_diag *d = fail_with(J, 1);
  expect_at(d,
            "party 'A': shape \"lineal\" of 'n' is unknown; expected "
            "\"linear\", \"peaked\" or \"table\"",
            4, col_of(J, 4, "\"lineal\""));
  pl_diag_free(d);
}

Test(values, numeric_bad_best) {
  const char *J = numeric_party("{\"shape\": \"linear\", \"best\": \"high\"}");
  pl_diag *d = fail_with(J, 1);
  expect_at(d, "party 'A': \"best\" must be \"min\" or \"max\", not \"high\"",
            4, col_of(J, 4, "\"high\""));
  pl_diag_free(d);
}

Test(values, numeric_peak_out_of_range) {
  const char *J = numeric_party("{\"shape\": \"peaked\", \"peak\": 11}");
  pl_diag *d = fail_with(J, 1);
  /* n runs from 0 to 10. */
  expect_at(d,
            "\"peak\" of the values of 'n' for party 'A' is 11; "
            "expected a number from 0 "
            "to 10",
            4, col_of(J, 4, "11"));
  pl_diag_free(d);
}

Test(values, numeric_table_not_increasing) {
  const char *J = numeric_party(
      "{\"shape\": \"table\", \"points\": [[0, 0], [5, 1], [5, 0.5]]}");
  pl_diag *d = fail_with(J, 1);
  /* The third point repeats x = 5: at that x. */
  expect_at(d, "party 'A': the points of 'n' must have increasing x", 4,
            col_of(J, 4, "[5, 0.5]") + 1);
  pl_diag_free(d);
}

Test(values, numeric_functions_evaluate) {
  /* The good cases of the same functions, checked at n = 0, 5, 10. */
  const struct {
    const char *fn;
    double u[3];
  } cases[] = {
      {"{\"shape\": \"linear\", \"best\": \"max\"}", {0, 0.5, 1}},
      {"{\"shape\": \"linear\", \"best\": \"min\"}", {1, 0.5, 0}},
      {"{\"shape\": \"peaked\", \"peak\": 5}", {0, 1, 0}},
      /* 0.2 at 0, 1 at 10, linear in between: 0.6 at 5. */
      {"{\"shape\": \"table\", \"points\": [[0, 0.2], [10, 1]]}",
       {0.2, 0.6, 1}},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    pl_scenario *s = load_ok(numeric_party(cases[c].fn));
    for (uint32_t k = 0; k < 3; k++) {
      uint32_t v[2] = {0, k};
      cr_expect_float_eq(pl_party_utility(s, 0, v), cases[c].u[k], 1e-12,
                         "%s at n index %u", cases[c].fn, k);
    }
    pl_scenario_free(s);
  }
}

/* ---- Red lines and constraints ------------------------------------------- */

Test(rules, red_line_error_column_inside_string) {
  const char *J = "{" ISSUES_X_N /* lines 1-2 */
                  " \"parties\": [\n"
                  "  {\"name\": \"A\", \"weights\": {\"x\": 1}, \"values\": "
                  "{\"x\": {\"a\": 1, \"b\": 0}},\n"
                  "   \"red_lines\": [\"n >= 5 and x == 'c'\"]},\n" /* line 5 */
                  "  " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  /* In "n >= 5 and x == 'c'" the bad label 'c' is the 17th character; the
   * string's opening quote is at col_of(...), so 'c' is 17 columns on. */
  int quote = col_of(J, 5, "\"n >= 5");
  expect_at(d, "'c' is not an option of issue 'x'", 5, quote + 17);
  cr_expect_eq(quote + 17, col_of(J, 5, "'c'"));
  cr_expect(strstr(find(d, "'c'").message, "red line"),
            "the message says it is a red line");
  pl_diag_free(d);
}

Test(rules, red_line_object_form) {
  const char *J = "{" ISSUES_X_N /* lines 1-2 */
                  " \"parties\": [\n"
                  "  {\"name\": \"A\", \"weights\": {\"x\": 1}, \"values\": "
                  "{\"x\": {\"a\": 1, \"b\": 0}},\n"
                  "   \"red_lines\": [{\"name\": \"r\", \"rule\": \"n > 0 or "
                  "y\"}]},\n" /* line 5 */
                  "  " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  /* "n > 0 or y": y is the 10th character after the opening quote. */
  int quote = col_of(J, 5, "\"n > 0");
  expect_at(d, "unknown issue 'y'", 5, quote + 10);
  pl_diag_free(d);
}

Test(rules, constraint_unknown_issue) {
  const char *J = "{" ISSUES_X_N /* lines 1-2 */
                  " \"constraints\": [\"n >= 5 or bogus == 1\"],\n" /* line 3 */
                  " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  /* "n >= 5 or bogus == 1": bogus starts at the 11th character. */
  int quote = col_of(J, 3, "\"n >= 5");
  expect_at(d, "constraint 1: unknown issue 'bogus'", 3, quote + 11);
  cr_expect_eq(quote + 11, col_of(J, 3, "bogus"));
  pl_diag_free(d);
}

/* Regression test (this was a bug): the column of an expression error is the
 * opening quote's column plus the position in the *decoded* string, so every
 * escape before the error
 * (\" is 2 characters in the file but 1 in the expression, \u0022 is 6)
 * shifts it left. Here bogus is at column 34 of line 3 but is reported at
 * 32. Rules quoting labels with \"...\" are the usual way to write them
 * (scenarios/talks.json does so). See the report. */
Test(rules, error_column_after_escapes) {
  const char *J = "{" ISSUES_X_N /* lines 1-2 */
                  " \"constraints\": [\"x == \\\"a\\\" and bogus\"],\n"
                  /* line 3: "constraints": ["x == \"a\" and bogus"], */
                  " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  expect_at(d, "unknown issue 'bogus'", 3, col_of(J, 3, "bogus"));
  pl_diag_free(d);
}

Test(rules, constraints_unsatisfiable) {
  const char *J = "{" ISSUES_X_N /* lines 1-2 */
                  " \"constraints\": [\"x == 'a'\", \"x == 'b' or n > 10\"],\n"
                  /* line 3 */
                  " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 1);
  /* At the constraints array. */
  expect_at(d, "the constraints together exclude every outcome", 3,
            col_of(J, 3, "["));
  pl_diag_free(d);
}

/* ---- Parties and ratifiers ----------------------------------------------- */

Test(actors, ratifier_of_unknown_party) {
  const char *J = "{" ISSUES_X_N /* lines 1-2 */
                  " \"parties\": [" PARTY_A ", " PARTY_B "],\n"
                  " \"ratifiers\": [{\"name\": \"R\", \"party\": \"Nobody\", "
                  "\"threshold\": 0.5, \"weights\": {\"x\": 1}, \"values\": "
                  "{\"x\": {\"a\": 1, \"b\": 0}}}]}\n"; /* line 4 */
  pl_diag *d = fail_with(J, 1);
  expect_at(d, "ratifier 'R' belongs to unknown party 'Nobody'", 4,
            col_of(J, 4, "\"Nobody\""));
  pl_diag_free(d);
}

Test(actors, duplicate_party_names) {
  const char *J = "{" ISSUES_X_N /* lines 1-2 */
                  " \"parties\": [\n"
                  "  " PARTY_A ",\n"
                  "  " PARTY_B ",\n"
                  "  " PARTY_A "]}\n"; /* line 6 */
  pl_diag *d = fail_with(J, 1);
  /* At the name of the second A. */
  expect_at(d, "the name 'A' is used by two parties or ratifiers", 6,
            col_of(J, 6, "\"A\""));
  pl_diag_free(d);
}

/* ---- Proposals ----------------------------------------------------------- */

Test(proposals, bad_outcomes) {
  const char *J = "{" ISSUES_X_N /* lines 1-2 */
                  " \"parties\": [" PARTY_A ", " PARTY_B "],\n"
                  " \"proposals\": [\n"
                  "  {\"name\": \"p1\", \"outcome\": {\"x\": \"a\"}},\n"
                  /* line 5: no n */
                  "  {\"name\": \"p2\", \"outcome\": {\"x\": \"c\", \"n\": "
                  "5}},\n" /* line 6: c is no option */
                  "  {\"name\": \"p3\", \"outcome\": {\"x\": \"a\", \"n\": "
                  "7}}]}\n"; /* line 7: 7 is not 0, 5 or 10 */
  pl_diag *d = fail_with(J, 3);
  expect_at(d, "proposal 'p1' gives no value for issue 'n'", 5,
            col_of(J, 5, "{\"x\""));
  expect_at(d, "proposal 'p2': \"c\" is not an option of issue 'x'", 6,
            col_of(J, 6, "\"c\""));
  expect_at(d, "proposal 'p3': 7 is not one of the values of issue 'n'", 7,
            col_of(J, 7, "7"));
  pl_diag_free(d);
}

/* ---- Wrong JSON types ---------------------------------------------------- */

Test(types, in_issues) {
  const char *J =
      "{\"issues\": [\n"
      "  {\"name\": 5, \"type\": \"categorical\", \"options\": [\"a\"]},\n"
      /* line 2 */
      "  {\"name\": \"y\", \"type\": \"categorical\", \"options\": {\"a\": "
      "1}},\n" /* line 3 */
      "  {\"name\": \"z\", \"type\": \"integer\", \"min\": \"0\", \"max\": "
      "3}],\n" /* line 4 */
      " \"parties\": [" PARTY_A ", " PARTY_B "]}\n";
  pl_diag *d = fail_with(J, 3);
  expect_at(d, "\"name\" of an issue must be a string, not a number", 2,
            col_of(J, 2, "5"));
  expect_at(d,
            "\"options\" of a categorical issue must be an array, not an "
            "object",
            3, col_of(J, 3, "{\"a\""));
  expect_at(d, "\"min\" of an integer issue must be a number, not a string", 4,
            col_of(J, 4, "\"0\""));
  pl_diag_free(d);
}

Test(types, in_parties_and_root) {
  const char *J = "{\"title\": [\"t\"],\n" /* line 1 */
                  " " ISSUES_X_N           /* lines 2-3 */
                  " \"parties\": [\n"
                  "  {\"name\": \"A\", \"reservation\": \"0.5\", \"weights\": "
                  "{\"x\": 1}, \"values\": {\"x\": {\"a\": 1, \"b\": 0}}},\n"
                  /* line 5 */
                  "  {\"name\": \"B\", \"weights\": [1], \"values\": {}}],\n"
                  /* line 6 */
                  " \"constraints\": {\"c\": \"x == 'a'\"}}\n"; /* line 7 */
  pl_diag *d = fail_with(J, 4);
  expect_at(d, "\"title\" of the scenario must be a string, not an array", 1,
            col_of(J, 1, "[\"t\"]"));
  expect_at(d, "\"reservation\" of party 'A' must be a number, not a string", 5,
            col_of(J, 5, "\"0.5\""));
  expect_at(d, "\"weights\" of party 'B' must be an object, not an array", 6,
            col_of(J, 6, "[1]"));
  expect_at(d,
            "\"constraints\" of the scenario must be an array, not an "
            "object",
            7, col_of(J, 7, "{"));
  pl_diag_free(d);
}

/* Regression test (this was a bug): true, false and null are shared nodes in
 * jansson that json_pos.c does not place, and the typed getters report at that
 * node: the problem gets line 0 and column 0 (pl_diag_print then shows no
 * position at all). Expected: the line of the value (or of its key) and a
 * column on it. See the report. */
Test(types, boolean_and_null_have_a_position) {
  const char *J = "{" ISSUES_X_N /* lines 1-2 */
                  " \"parties\": [\n"
                  "  {\"name\": \"A\", \"reservation\": true, \"weights\": "
                  "{\"x\": 1}, \"values\": {\"x\": {\"a\": 1, \"b\": 0}}},\n"
                  /* line 4 */
                  "  {\"name\": null, \"weights\": {\"x\": 1}, \"values\": "
                  "{\"x\": {\"a\": 0, \"b\": 1}}}]}\n"; /* line 5 */
  pl_diag *d = fail_with(J, 2);
  pl_problem p = find(d, "\"reservation\" of party 'A' must be a number");
  cr_expect_eq(p.line, 4);
  cr_expect(p.column == col_of(J, 4, "true") ||
                p.column == col_of(J, 4, "\"reservation\""),
            "column %d is neither the value's nor the key's", p.column);
  p = find(d, "\"name\" of party 2 must be a string, not null");
  cr_expect_eq(p.line, 5);
  cr_expect(p.column == col_of(J, 5, "null") ||
                p.column == col_of(J, 5, "\"name\""),
            "column %d is neither the value's nor the key's", p.column);
  pl_diag_free(d);
}

/* ---- Several problems at once -------------------------------------------- */

Test(many, every_problem_reported_with_its_line) {
  /* tests/data/many_problems.json: line 7 unknown key "partys", line 8 an
   * unknown issue z in a constraint, line 10 a string reservation, line 12
   * a weight for unknown issue y, line 16 a proposal value 7 that n (0, 5,
   * 10) does not have. */
  const char *path = data_path("many_problems.json");
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load_file(path, d);
  cr_assert_null(s);
  log_problems(d);
  cr_assert_geq(pl_diag_count(d), 3);
  cr_expect_eq(pl_diag_count(d), 5);
  const struct {
    const char *needle;
    int line;
  } want[] = {{"unknown key 'partys'", 7},
              {"unknown issue 'z'", 8},
              {"\"reservation\" of party 'A' must be a number", 10},
              {"unknown issue 'y'", 12},
              {"7 is not one of the values of issue 'n'", 16}};
  for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
    pl_problem p = find(d, want[k].needle);
    cr_expect_eq(p.line, want[k].line, "\"%s\" on line %d, expected %d",
                 p.message, p.line, want[k].line);
    cr_expect_gt(p.column, 0);
    cr_expect_str_eq(p.file, path);
  }
  pl_diag_free(d);
}

Test(many, missing_file_names_it) {
  pl_diag *d = pl_diag_new();
  cr_assert_null(pl_scenario_load_file("/nonexistent/parley.json", d));
  cr_assert_eq(pl_diag_count(d), 1);
  pl_problem p = pl_diag_get(d, 0);
  cr_expect_str_eq(p.file, "/nonexistent/parley.json");
  cr_expect(strstr(p.message, "cannot open"), "%s", p.message);
  pl_diag_free(d);
}

/* ---- Positions: characters, not bytes; CRLF line ends -------------------- */

Test(positions, utf8_and_crlf) {
  /* "é" is two bytes but one character; lines end in CRLF. */
  const char *J = "{\"description\": \"\xc3\xa9t\xc3\xa9\",\r\n"
                  " \"issues\": [{\"name\": \"\xc3\xa9\", \"type\": "
                  "\"categoricl\", \"options\": [\"a\"]}],\r\n" /* line 2 */
                  " \"parties\": []}\r\n";
  pl_diag *d = fail_with(J, 1);
  /* 34 characters (35 bytes) precede "categoricl" on line 2:
   * ` "issues": [{"name": "é", "type": ` */
  expect_at(d, "has type \"categoricl\"", 2, 35);
  cr_expect_eq(col_of(J, 2, "\"categoricl\""), 35);
  pl_diag_free(d);

  /* jansson counts the same way. */
  /* {"éé": tru} -- the 'u' is character 10 (byte 12). */
  const char *K = "{\"\xc3\xa9\xc3\xa9\": tru}";
  d = fail_with(K, 1);
  expect_at(d, "invalid JSON", 1, 10);
  pl_diag_free(d);
}

/* ---- Valid edge cases ---------------------------------------------------- */

Test(valid, one_issue_one_option) {
  pl_scenario *s = load_ok(
      "{\"issues\": [{\"name\": \"x\", \"type\": \"categorical\", "
      "\"options\": [\"only\"]}],\n"
      " \"parties\": [{\"name\": \"A\", \"weights\": {\"x\": 1}, \"values\": "
      "{\"x\": {\"only\": 0.25}}},\n"
      "  {\"name\": \"B\", \"weights\": {\"x\": 1}, \"values\": {\"x\": "
      "{\"only\": 1}}}]}");
  cr_expect_eq(pl_scenario_num_issues(s), 1);
  cr_expect_eq(pl_scenario_num_parties(s), 2);
  uint64_t n = 0;
  cr_assert(pl_scenario_num_outcomes(s, &n));
  cr_expect_eq(n, 1);
  uint32_t v[1] = {0};
  cr_expect_float_eq(pl_party_utility(s, 0, v), 0.25, 1e-15);
  cr_expect_float_eq(pl_party_utility(s, 1, v), 1.0, 1e-15);
  pl_scenario_free(s);
}

Test(valid, real_issue_single_value) {
  pl_scenario *s = load_ok(
      "{\"issues\": [{\"name\": \"r\", \"type\": \"real\", \"min\": 2.5, "
      "\"max\": 2.5, \"count\": 1}],\n"
      " \"parties\": [{\"name\": \"A\", \"weights\": {\"r\": 1}, \"values\": "
      "{\"r\": {\"shape\": \"linear\", \"best\": \"max\"}}},\n"
      "  {\"name\": \"B\", \"weights\": {\"r\": 1}, \"values\": {\"r\": "
      "{\"shape\": \"peaked\", \"peak\": 2.5}}}],\n"
      " \"proposals\": [{\"name\": \"p\", \"outcome\": {\"r\": 2.5}}]}");
  cr_expect_eq(pl_issue_num_values(s, 0), 1);
  char buf[32];
  pl_issue_value_text(s, 0, 0, buf, sizeof buf);
  cr_expect_str_eq(buf, "2.5");
  uint32_t v[1] = {0};
  /* A one-value range: the only value is the best one can get. */
  cr_expect_float_eq(pl_party_utility(s, 0, v), 1.0, 1e-15);
  cr_expect_float_eq(pl_party_utility(s, 1, v), 1.0, 1e-15);
  pl_scenario_free(s);
}

/* Regression test (this was a bug): on an issue with a single value (min ==
 * max), a linear value function gives that value 1 with "best": "max" but 0
 * with "best": "min" (load_numeric_values sets t = 1 when hi == lo, then uses 1
 * - t for "min"). The only value is the best and the worst at once; its value
 * should not depend on the direction (peaked gives 1 too). See the report. */
Test(valid, single_value_linear_min) {
  pl_scenario *s = load_ok(
      "{\"issues\": [{\"name\": \"r\", \"type\": \"real\", \"min\": 2.5, "
      "\"max\": 2.5, \"count\": 1}],\n"
      " \"parties\": [{\"name\": \"A\", \"weights\": {\"r\": 1}, \"values\": "
      "{\"r\": {\"shape\": \"linear\", \"best\": \"min\"}}},\n"
      "  {\"name\": \"B\", \"weights\": {\"r\": 1}, \"values\": {\"r\": "
      "{\"shape\": \"linear\", \"best\": \"max\"}}}]}");
  uint32_t v[1] = {0};
  cr_expect_float_eq(pl_party_utility(s, 0, v), pl_party_utility(s, 1, v),
                     1e-15, "best min gives %g, best max gives %g",
                     pl_party_utility(s, 0, v), pl_party_utility(s, 1, v));
  pl_scenario_free(s);
}

Test(valid, exponent_numbers) {
  pl_scenario *s = load_ok(
      "{\"parley\": 1,\n"
      " \"issues\": [{\"name\": \"x\", \"type\": \"categorical\", "
      "\"options\": [\"a\", \"b\"]},\n"
      "  {\"name\": \"n\", \"type\": \"integer\", \"min\": -1E1, \"max\": "
      "1e1, \"step\": 1e+1},\n"
      "  {\"name\": \"r\", \"type\": \"real\", \"min\": 0, \"max\": 5e-1, "
      "\"count\": 3E0}],\n"
      " \"parties\": [{\"name\": \"A\", \"reservation\": 2.5e-1,\n"
      "   \"weights\": {\"x\": 5e-1, \"n\": 2.5E-1, \"r\": 25e-2},\n"
      "   \"values\": {\"x\": {\"a\": 1e0, \"b\": 1.25e-1},\n"
      "     \"n\": {\"shape\": \"linear\", \"best\": \"max\"},\n"
      "     \"r\": {\"shape\": \"linear\", \"best\": \"max\"}}},\n"
      "  {\"name\": \"B\", \"weights\": {\"x\": 1}, \"values\": {\"x\": "
      "{\"a\": 0, \"b\": 1}}}],\n"
      " \"proposals\": [{\"name\": \"p\", \"outcome\": {\"x\": \"a\", \"n\": "
      "-1e1, \"r\": 2.5e-1}}]}");
  /* n: -10, 0, 10; r: 0, 0.25, 0.5. */
  cr_assert_eq(pl_issue_num_values(s, 1), 3);
  cr_assert_eq(pl_issue_num_values(s, 2), 3);
  char buf[32];
  pl_issue_value_text(s, 1, 0, buf, sizeof buf);
  cr_expect_str_eq(buf, "-10");
  pl_issue_value_text(s, 2, 1, buf, sizeof buf);
  cr_expect_str_eq(buf, "0.25");
  /* x = b (0.125), n = 0 (0.5), r = 0.5 (1):
   * 0.5 * 0.125 + 0.25 * 0.5 + 0.25 * 1 = 0.4375. */
  uint32_t v[3] = {1, 1, 2};
  cr_expect_float_eq(pl_party_utility(s, 0, v), 0.4375, 1e-12);
  pl_scenario_free(s);
}

/* ---- Locale independence ------------------------------------------------- */

static const char *LOCALE_SCENARIO =
    "{\"issues\": [{\"name\": \"r\", \"type\": \"real\", \"min\": 0, "
    "\"max\": 5, \"count\": 3},\n"
    "  {\"name\": \"x\", \"type\": \"categorical\", \"options\": [\"a\", "
    "\"b\"]}],\n"
    " \"constraints\": [\"r <= 2.5\"],\n"
    " \"parties\": [{\"name\": \"A\", \"reservation\": 0.25,\n"
    "   \"weights\": {\"r\": 0.25, \"x\": 0.75},\n"
    "   \"values\": {\"r\": {\"shape\": \"table\", \"points\": [[0, 0.25], "
    "[5, 0.75]]},\n"
    "     \"x\": {\"a\": 0.25, \"b\": 0.5}}},\n"
    "  {\"name\": \"B\", \"weights\": {\"x\": 1}, \"values\": {\"x\": "
    "{\"a\": 0, \"b\": 1}}}]}";

/* Utilities of A on all six outcomes, the value text of r's middle value
 * and which outcomes are feasible. */
typedef struct locale_facts {
  double u[6];
  bool feasible[6];
  char middle[32];
} locale_facts;

static locale_facts locale_run(void) {
  locale_facts f;
  pl_scenario *s = load_ok(LOCALE_SCENARIO);
  for (uint32_t k = 0; k < 6; k++) {
    uint32_t v[2] = {k / 2, k % 2};
    f.u[k] = pl_party_utility(s, 0, v);
    f.feasible[k] = pl_outcome_feasible(s, v);
  }
  pl_issue_value_text(s, 0, 1, f.middle, sizeof f.middle);
  pl_scenario_free(s);
  return f;
}

Test(locale, comma_decimal_locale) {
  cr_assert_not_null(setlocale(LC_NUMERIC, "C"));
  locale_facts c = locale_run();
  /* Under "C": r = 2.5 with x = b: table 0.25 + 0.5 * 2.5 / 5 = 0.5, so
   * 0.25 * 0.5 + 0.75 * 0.5 = 0.5. r = 5 breaks r <= 2.5. */
  cr_expect_float_eq(c.u[3], 0.5, 1e-12);
  cr_expect_str_eq(c.middle, "2.5");
  cr_expect(c.feasible[2] && c.feasible[3]);
  cr_expect(!c.feasible[4] && !c.feasible[5]);

  static const char *const comma[] = {
      "de_DE.UTF-8", "de_DE.utf8",  "de_DE",       "fr_FR.UTF-8",
      "fr_FR.utf8",  "fr_FR",       "ru_RU.UTF-8", "nl_NL.UTF-8",
      "es_ES.UTF-8", "it_IT.UTF-8", "pt_BR.UTF-8", "C.UTF-8@comma"};
  const char *used = NULL;
  for (size_t k = 0; !used && k < sizeof comma / sizeof comma[0]; k++)
    if (setlocale(LC_NUMERIC, comma[k]) &&
        !strcmp(localeconv()->decimal_point, ","))
      used = comma[k];
  if (!used) {
    setlocale(LC_NUMERIC, "C");
    cr_log_info("no comma-decimal locale installed: only the \"C\" half of "
                "this test ran");
    return;
  }
  char probe[16];
  snprintf(probe, sizeof probe, "%.2f", 0.25);
  cr_assert_str_eq(probe, "0,25", "%s is not in effect", used);
  locale_facts l = locale_run();
  setlocale(LC_NUMERIC, "C");
  for (int k = 0; k < 6; k++) {
    cr_expect_eq(l.u[k], c.u[k], "utility %d under %s: %.17g vs %.17g", k, used,
                 l.u[k], c.u[k]);
    cr_expect_eq(l.feasible[k], c.feasible[k], "feasible %d under %s", k, used);
  }
  cr_expect_str_eq(l.middle, "2.5", "value text under %s", used);
}

/* ---- Never a crash ------------------------------------------------------- */

/* A compact scenario using every feature. */
static const char *FULL =
    "{\"parley\": 1, \"name\": \"full\",\n"
    " \"issues\": [{\"name\": \"x\", \"type\": \"categorical\", "
    "\"options\": [\"a\", \"b\"]},\n"
    "  {\"name\": \"n\", \"type\": \"integer\", \"min\": 0, \"max\": 10, "
    "\"step\": 5},\n"
    "  {\"name\": \"r\", \"type\": \"real\", \"min\": 0, \"max\": 1, "
    "\"count\": 3}],\n"
    " \"constraints\": [{\"name\": \"c\", \"rule\": \"x == 'a' implies n >= "
    "5\"}],\n"
    " \"parties\": [{\"name\": \"A\", \"reservation\": 0.2, \"discount\": "
    "0.9,\n"
    "   \"weights\": {\"x\": 0.5, \"n\": 0.25, \"r\": 0.25},\n"
    "   \"values\": {\"x\": {\"a\": 1, \"b\": 0}, \"n\": {\"shape\": "
    "\"linear\", \"best\": \"max\"},\n"
    "     \"r\": {\"shape\": \"table\", \"points\": [[0, 0], [1, 1]]}},\n"
    "   \"red_lines\": [\"r > 0\"]},\n"
    "  {\"name\": \"B\", \"weights\": {\"x\": 0.5, \"n\": 0.5},\n"
    "   \"values\": {\"x\": {\"a\": 0, \"b\": 1}, \"n\": {\"shape\": "
    "\"peaked\", \"peak\": 5}}}],\n"
    " \"ratifiers\": [{\"name\": \"R\", \"party\": \"A\", \"threshold\": 0.5,\n"
    "   \"weights\": {\"x\": 1}, \"values\": {\"x\": {\"a\": 1, \"b\": "
    "0.5}}}],\n"
    " \"proposals\": [{\"name\": \"p\", \"by\": \"B\", \"outcome\": {\"x\": "
    "\"b\", \"n\": 5, \"r\": 0.5}}]}\n";

static int count_lines(const char *t) {
  int n = 1;
  for (; *t; t++)
    n += *t == '\n';
  return n;
}

/* Every problem has a message and, when it has a line, a line that exists
 * and a column on it: 0 (jansson's "before the first character", as at the
 * end of a file that ends in a newline) to the line's length + 1. */
static void check_sane(const pl_diag *d, const char *text, size_t cut) {
  int lines = count_lines(text);
  for (size_t i = 0; i < pl_diag_count(d); i++) {
    pl_problem p = pl_diag_get(d, i);
    cr_assert(p.message && *p.message, "empty message (cut %zu)", cut);
    cr_assert(p.line >= 0 && p.line <= lines, "line %d of %d (cut %zu): %s",
              p.line, lines, cut, p.message);
    if (p.line > 0) {
      const char *start = text;
      for (int l = 1; l < p.line; l++)
        start = strchr(start, '\n') + 1;
      int len = 0;
      for (const char *q = start; *q && *q != '\n'; q++)
        len += ((unsigned char)*q & 0xC0) != 0x80;
      cr_assert(p.column >= 0 && p.column <= len + 1,
                "column %d of a %d-character line (cut %zu): %s", p.column, len,
                cut, p.message);
    }
  }
}

Test(robustness, full_scenario_loads) {
  pl_scenario *s = load_ok(FULL);
  cr_expect_eq(pl_scenario_num_ratifiers(s), 1);
  pl_scenario_free(s);
}

Test(robustness, every_truncation_fails_cleanly) {
  size_t n = strlen(FULL);
  size_t last = strrchr(FULL, '}') - FULL; /* the prefix ending there parses */
  char *buf = malloc(n + 1);
  for (size_t cut = 0; cut <= last; cut++) {
    memcpy(buf, FULL, cut);
    buf[cut] = 0;
    pl_diag *d = pl_diag_new();
    pl_scenario *s = pl_scenario_load_string(buf, "cut.json", d);
    cr_assert_null(s, "a prefix of %zu bytes loaded", cut);
    cr_assert_geq(pl_diag_count(d), 1, "cut %zu: no message", cut);
    pl_problem p = pl_diag_get(d, 0);
    cr_assert(strstr(p.message, "invalid JSON"), "cut %zu: %s", cut, p.message);
    cr_assert_gt(p.line, 0, "cut %zu: no line", cut);
    check_sane(d, buf, cut);
    pl_diag_free(d);
  }
  free(buf);
}

Test(robustness, every_single_deletion_is_safe) {
  /* Deleting one character anywhere: loads or fails, never crashes (the
   * sanitizers watch), and any problem is well formed. */
  size_t n = strlen(FULL);
  char *buf = malloc(n + 1);
  size_t rejected = 0;
  for (size_t cut = 0; cut < n; cut++) {
    memcpy(buf, FULL, cut);
    memcpy(buf + cut, FULL + cut + 1, n - cut);
    pl_diag *d = pl_diag_new();
    pl_scenario *s = pl_scenario_load_string(buf, "del.json", d);
    if (!s) {
      rejected++;
      cr_assert_geq(pl_diag_count(d), 1, "deletion at %zu: no message", cut);
      check_sane(d, buf, cut);
    }
    pl_scenario_free(s);
    pl_diag_free(d);
  }
  /* Most single deletions break the JSON or a name. */
  cr_expect_gt(rejected, n / 2);
  free(buf);
}
