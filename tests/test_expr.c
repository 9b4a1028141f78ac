/* test_expr.c - unit tests of the red-line expression language. */
#include <criterion/criterion.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/expr.h"

/* ---- Fixture ---------------------------------------------------------- */

enum { DONETSK, UA_KM, RU_KM, BUDGET, ZONE, NISSUES };

static const char *const donetsk_labels[] = {"ukrainian", "demilitarised zone",
                                             "russian"};
static const char *const zone_labels[] = {"russian", "ukrainian", "none"};
static const double km[] = {0, 10, 20, 30, 40};
/* 10 + 5e-10 is within the 1e-9 tolerance of 10; 10 + 2e-9 is not. */
static const double budget[] = {-3.5, 0.0, 10.0 + 5e-10, 10.0 + 2e-9};

static const pl_expr_issue issues[NISSUES] = {
    [DONETSK] = {"donetsk", PL_ISSUE_CATEGORICAL, 3, donetsk_labels, NULL},
    [UA_KM] = {"ua_km", PL_ISSUE_INTEGER, 5, NULL, km},
    [RU_KM] = {"ru_km", PL_ISSUE_INTEGER, 5, NULL, km},
    [BUDGET] = {"budget", PL_ISSUE_REAL, 4, NULL, budget},
    [ZONE] = {"control zone", PL_ISSUE_CATEGORICAL, 3, zone_labels, NULL},
};

enum { NOUTCOMES = 3 * 5 * 5 * 4 * 3 };

static pl_expr *compile_ok(const char *text) {
  int col = -1;
  char msg[256];
  pl_expr *e = pl_expr_compile(text, issues, NISSUES, &col, msg, sizeof msg);
  cr_assert_not_null(e, "'%s' failed at column %d: %s", text, col, msg);
  return e;
}

/* Evaluates at the outcome where every issue takes value index 0 except the
 * ones given. */
static bool eval_at(const char *text, uint32_t issue, uint32_t value) {
  uint32_t v[NISSUES] = {0};
  v[issue] = value;
  pl_expr *e = compile_ok(text);
  bool answer = pl_expr_eval(e, v);
  pl_expr_free(e);
  return answer;
}

static bool eval_default(const char *text) { return eval_at(text, 0, 0); }

/* Steps through all outcomes like an odometer; false after the last. */
static bool next_outcome(uint32_t *v) {
  for (int i = 0; i < NISSUES; i++) {
    if (++v[i] < issues[i].nvalues)
      return true;
    v[i] = 0;
  }
  return false;
}

typedef bool (*predicate)(const uint32_t *v);

/* Compares the expression with a hand-written predicate on every outcome. */
static void check_truth_table(const char *text, predicate expected) {
  pl_expr *e = compile_ok(text);
  uint32_t v[NISSUES] = {0};
  int checked = 0, accepted = 0;
  do {
    bool got = pl_expr_eval(e, v);
    cr_assert_eq(got, expected(v), "'%s' at outcome (%u,%u,%u,%u,%u): got %d",
                 text, v[0], v[1], v[2], v[3], v[4], got);
    checked++;
    accepted += got;
  } while (next_outcome(v));
  pl_expr_free(e);
  cr_assert_eq(checked, NOUTCOMES);
  /* A table that is constant would not show much about the operators. */
  cr_assert(accepted > 0 && accepted < NOUTCOMES, "'%s' is constant", text);
}

static void expect_error(const char *text, int col, const char *message) {
  int got_col = -1;
  char msg[256];
  pl_expr *e =
      pl_expr_compile(text, issues, NISSUES, &got_col, msg, sizeof msg);
  cr_assert_null(e, "'%s' compiled but should not have", text);
  cr_assert_str_eq(msg, message, "'%s'", text);
  cr_assert_eq(got_col, col, "'%s': column %d, expected %d (%s)", text, got_col,
               col, msg);
}

static double ua(const uint32_t *v) { return km[v[UA_KM]]; }
static double ru(const uint32_t *v) { return km[v[RU_KM]]; }
static double bud(const uint32_t *v) { return budget[v[BUDGET]]; }
static const char *donetsk(const uint32_t *v) {
  return donetsk_labels[v[DONETSK]];
}
static const char *zone(const uint32_t *v) { return zone_labels[v[ZONE]]; }
static bool is(const char *label, const char *expected) {
  return strcmp(label, expected) == 0;
}

/* The comparisons as specified, with their absolute tolerance of 1e-9. */
static bool eq(double a, double b) { return fabs(a - b) <= 1e-9; }
static bool le(double a, double b) { return a <= b + 1e-9; }
static bool lt(double a, double b) { return a < b - 1e-9; }
static bool ge(double a, double b) { return a >= b - 1e-9; }
static bool gt(double a, double b) { return a > b + 1e-9; }
static bool implies(bool a, bool b) { return !a || b; }

/* ---- Truth tables ----------------------------------------------------- */

static bool p_withdrawal(const uint32_t *v) { return le(ua(v), ru(v)); }
Test(truth_table, numeric_issues) {
  check_truth_table("ua_km <= ru_km", p_withdrawal);
}

static bool p_withdrawal_plus(const uint32_t *v) {
  return le(ua(v), ru(v) + 10);
}
Test(truth_table, arithmetic_operand) {
  check_truth_table("ua_km <= ru_km + 10", p_withdrawal_plus);
}

static bool p_dmz_implies(const uint32_t *v) {
  return implies(is(donetsk(v), "demilitarised zone"), ua(v) != 0);
}
Test(truth_table, label_with_space_and_implies) {
  check_truth_table("donetsk == \"demilitarised zone\" implies ua_km != 0",
                    p_dmz_implies);
}

static bool p_not_and_in(const uint32_t *v) {
  return !is(donetsk(v), "russian") &&
         (is(zone(v), "ukrainian") || is(zone(v), "none"));
}
Test(truth_table, not_and_in_with_backticks) {
  check_truth_table("not (donetsk == 'russian') and `control zone` in "
                    "[\"ukrainian\", 'none']",
                    p_not_and_in);
}

/* and binds tighter than or: a or (b and c), not (a or b) and c. */
static bool p_or_and(const uint32_t *v) {
  return ua(v) == 0 || (ru(v) == 0 && gt(bud(v), 0));
}
Test(truth_table, and_binds_tighter_than_or) {
  check_truth_table("ua_km == 0 or ru_km == 0 and budget > 0", p_or_and);
}

static bool p_and_or(const uint32_t *v) {
  return (ua(v) == 0 && ru(v) == 0) || gt(bud(v), 0);
}
Test(truth_table, and_binds_tighter_than_or_on_the_left) {
  check_truth_table("ua_km == 0 and ru_km == 0 or budget > 0", p_and_or);
}

/* implies is right-associative: a => b => c is a => (b => c), which differs
 * from (a => b) => c when a is false and c is false. */
static bool p_implies_right(const uint32_t *v) {
  return implies(ua(v) == 0, implies(ru(v) == 0, is(donetsk(v), "russian")));
}
static bool p_implies_left(const uint32_t *v) {
  return implies(implies(ua(v) == 0, ru(v) == 0), is(donetsk(v), "russian"));
}
Test(truth_table, implies_is_right_associative) {
  check_truth_table(
      "ua_km == 0 implies ru_km == 0 implies donetsk == 'russian'",
      p_implies_right);
  check_truth_table("(ua_km == 0 implies ru_km == 0) implies donetsk == "
                    "'russian'",
                    p_implies_left);
}

/* implies binds looser than or: a or b implies c is (a or b) implies c. */
static bool p_or_implies(const uint32_t *v) {
  return implies(ua(v) == 0 || ru(v) == 0, is(donetsk(v), "ukrainian"));
}
Test(truth_table, implies_binds_looser_than_or) {
  check_truth_table("ua_km == 0 or ru_km == 0 implies donetsk == 'ukrainian'",
                    p_or_implies);
}

/* not binds tighter than and, looser than the comparison. */
static bool p_not_and(const uint32_t *v) { return ua(v) != 0 && ru(v) == 0; }
Test(truth_table, not_binds_tighter_than_and) {
  check_truth_table("not ua_km == 0 and ru_km == 0", p_not_and);
}

static bool p_symbols(const uint32_t *v) {
  return implies((!gt(ua(v), 10) && gt(ru(v), 10)) || lt(bud(v), 0),
                 !is(donetsk(v), "ukrainian"));
}
Test(truth_table, symbolic_operators) {
  check_truth_table("!(ua_km > 10) && ru_km > 10 || budget < 0 => donetsk != "
                    "'ukrainian'",
                    p_symbols);
}

static bool p_arithmetic(const uint32_t *v) {
  return ge(ua(v) * 2 - ru(v) / 4, bud(v) + 1 - 3 * 2);
}
Test(truth_table, arithmetic_precedence) {
  /* * and / before + and -, both left-associative. */
  check_truth_table("ua_km * 2 - ru_km / 4 >= budget + 1 - 3 * 2",
                    p_arithmetic);
}

static bool p_left_assoc_minus(const uint32_t *v) {
  return eq(ua(v) - ru(v) - 10, 0);
}
Test(truth_table, minus_is_left_associative) {
  /* Read right-associatively this would be ua - (ru - 10). */
  check_truth_table("ua_km - ru_km - 10 == 0", p_left_assoc_minus);
}

static bool p_unary_minus(const uint32_t *v) { return gt(ua(v), ru(v)); }
Test(truth_table, unary_minus) {
  check_truth_table("-ua_km < -ru_km", p_unary_minus);
}

static bool p_same_label(const uint32_t *v) { return is(donetsk(v), zone(v)); }
static bool p_other_label(const uint32_t *v) {
  return !is(donetsk(v), zone(v));
}
Test(truth_table, two_categorical_issues_compare_labels) {
  check_truth_table("donetsk == `control zone`", p_same_label);
  check_truth_table("`control zone` == donetsk", p_same_label);
  check_truth_table("donetsk != `control zone`", p_other_label);
}

static bool p_num_in(const uint32_t *v) {
  return ua(v) == 10 || ua(v) == 30 || ua(v) + ru(v) == 40;
}
Test(truth_table, numeric_in) {
  check_truth_table("ua_km in [10, 30] or ua_km + ru_km in [40]", p_num_in);
}

static bool p_num_not_in(const uint32_t *v) {
  return bud(v) != 0 && bud(v) != -3.5;
}
Test(truth_table, numeric_not_in) {
  check_truth_table("budget not in [0, -3.5]", p_num_not_in);
}

static bool p_cat_not_in(const uint32_t *v) {
  return !is(donetsk(v), "russian") && !is(donetsk(v), "ukrainian");
}
Test(truth_table, categorical_not_in) {
  check_truth_table("donetsk not in ['russian', \"ukrainian\"]", p_cat_not_in);
}

static bool p_cat_ne(const uint32_t *v) { return !is(zone(v), "none"); }
Test(truth_table, categorical_not_equal) {
  check_truth_table("'none' != `control zone`", p_cat_ne);
}

/* x / 0 makes the comparison false, even != and not in; a 'not' around
 * that comparison is then true. */
static bool p_div(const uint32_t *v) {
  return ru(v) != 0 && ge(ua(v) / ru(v), 1);
}
static bool p_not_div(const uint32_t *v) {
  return ru(v) == 0 || !lt(ua(v) / ru(v), 1);
}
static bool p_div_ne(const uint32_t *v) {
  return ru(v) != 0 && !eq(ua(v) / ru(v), 1);
}
static bool p_div_not_in(const uint32_t *v) {
  return ru(v) != 0 && !eq(ua(v) / ru(v), 2);
}
Test(truth_table, division_by_zero_is_false) {
  check_truth_table("ua_km / ru_km >= 1", p_div);
  check_truth_table("not (ua_km / ru_km < 1)", p_not_div);
  check_truth_table("ua_km / ru_km != 1", p_div_ne);
  check_truth_table("ua_km / ru_km not in [2]", p_div_not_in);
}

/* ---- Single evaluations ----------------------------------------------- */

Test(eval, tolerance_edges) {
  /* budget[2] = 10 + 5e-10 (within 1e-9 of 10), budget[3] = 10 + 2e-9. */
  cr_assert(eval_at("budget == 10", BUDGET, 2));
  cr_assert(!eval_at("budget == 10", BUDGET, 3));
  cr_assert(!eval_at("budget != 10", BUDGET, 2));
  cr_assert(eval_at("budget != 10", BUDGET, 3));
  cr_assert(eval_at("budget <= 10", BUDGET, 2));
  cr_assert(!eval_at("budget <= 10", BUDGET, 3));
  cr_assert(!eval_at("budget < 10", BUDGET, 2));
  cr_assert(eval_at("budget < 10", BUDGET, 1));
  /* 10 < 10 + 5e-10 exactly, but not with the tolerance; likewise >=. */
  cr_assert(!eval_at("10 < budget", BUDGET, 2));
  cr_assert(eval_at("10 < budget", BUDGET, 3));
  cr_assert(eval_at("10 >= budget", BUDGET, 2));
  cr_assert(!eval_at("10 >= budget", BUDGET, 3));
  cr_assert(!eval_at("budget > 10", BUDGET, 2));
  cr_assert(eval_at("budget > 10", BUDGET, 3));
  cr_assert(eval_at("budget >= 10.000000001", BUDGET, 2));
  cr_assert(!eval_at("budget >= 10.000000003", BUDGET, 2));
  cr_assert(eval_at("budget in [10]", BUDGET, 2));
  cr_assert(!eval_at("budget in [10]", BUDGET, 3));
  /* 0.1 + 0.2 is 0.30000000000000004 in binary floating point. */
  cr_assert(eval_default("0.1 + 0.2 == 0.3"));
}

Test(eval, each_comparison) {
  /* ua_km = 20 */
  cr_assert(eval_at("ua_km == 20", UA_KM, 2));
  cr_assert(!eval_at("ua_km == 20", UA_KM, 3));
  cr_assert(eval_at("ua_km != 30", UA_KM, 2));
  cr_assert(eval_at("ua_km < 30", UA_KM, 2));
  cr_assert(!eval_at("ua_km < 20", UA_KM, 2));
  cr_assert(eval_at("ua_km <= 20", UA_KM, 2));
  cr_assert(!eval_at("ua_km <= 10", UA_KM, 2));
  cr_assert(eval_at("ua_km > 10", UA_KM, 2));
  cr_assert(!eval_at("ua_km > 20", UA_KM, 2));
  cr_assert(eval_at("ua_km >= 20", UA_KM, 2));
  cr_assert(!eval_at("ua_km >= 30", UA_KM, 2));
}

Test(eval, literals) {
  cr_assert(eval_default("true"));
  cr_assert(!eval_default("false"));
  cr_assert(eval_default("false or true"));
  cr_assert(eval_default("not false"));
  cr_assert(eval_default("1e3 == 1000"));
  cr_assert(eval_default("1.5e-1 == 0.15"));
  cr_assert(eval_default("2.5E+1 == 25"));
  cr_assert(eval_default("2 - -3 == 5"));
  cr_assert(eval_default("- - 4 == 4"));
  cr_assert(eval_default("-(2 - 5) == 3"));
  cr_assert(eval_default("7 / 2 * 2 == 7"));
  cr_assert(eval_default("(1 + 2) * 3 == 9"));
  cr_assert(eval_default("1 + 2 * 3 == 7"));
  cr_assert(eval_at("budget == -3.5", BUDGET, 0));
  cr_assert(!eval_at("budget == -3.5", BUDGET, 1));
}

Test(eval, division_by_zero_constants) {
  cr_assert(!eval_default("1 / 0 == 1 / 0"));
  cr_assert(!eval_default("1 / 0 != 1"));
  cr_assert(!eval_default("(1 / 0) * 0 < 1"));
  cr_assert(!eval_default("-(1 / 0) <= 5"));
  cr_assert(eval_default("not (1 / 0 == 1)"));
  cr_assert(eval_default("1 / 0 == 1 or true"));
}

Test(eval, backtick_names) {
  cr_assert(eval_at("`control zone` == 'none'", ZONE, 2));
  cr_assert(!eval_at("`control zone` == 'none'", ZONE, 1));
  cr_assert(eval_at("`ua_km` < 20", UA_KM, 1));
  cr_assert(!eval_at("`ua_km` < 20", UA_KM, 2));
}

Test(eval, quotes_and_escapes) {
  static const char *const labels[] = {"it's", "say \"hi\"", "back\\slash"};
  const pl_expr_issue quote = {"quote", PL_ISSUE_CATEGORICAL, 3, labels, NULL};
  /* `accepts` has bit v set when value v must satisfy the expression. */
  const struct {
    const char *text;
    unsigned accepts;
  } cases[] = {
      {"quote == \"it's\"", 1u << 0},
      {"quote == 'it\\'s'", 1u << 0},
      {"quote == \"it\\'s\"", 1u << 0},
      {"quote == \"say \\\"hi\\\"\"", 1u << 1},
      {"quote == 'say \"hi\"'", 1u << 1},
      {"quote == 'back\\\\slash'", 1u << 2},
      {"quote in ['back\\\\slash', \"it's\"]", 1u << 0 | 1u << 2},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int col;
    char msg[256];
    pl_expr *e =
        pl_expr_compile(cases[i].text, &quote, 1, &col, msg, sizeof msg);
    cr_assert_not_null(e, "%s: %s", cases[i].text, msg);
    for (uint32_t v = 0; v < 3; v++)
      cr_assert_eq(pl_expr_eval(e, &v), (cases[i].accepts >> v & 1u) != 0,
                   "%s at %u", cases[i].text, v);
    pl_expr_free(e);
  }
}

Test(eval, deep_nesting_within_the_stack) {
  /* 63 levels of "1 + 1 * (...)" around "1": each level keeps two numbers
   * on the stack while the inner one runs, and the value is 64. */
  char text[1024] = "64 == ";
  for (int i = 0; i < 63; i++)
    strcat(text, "1 + 1 * (");
  strcat(text, "1");
  for (int i = 0; i < 63; i++)
    strcat(text, ")");
  cr_assert(eval_default(text));
}

Test(eval, out_of_range_value_index_is_safe) {
  /* The outcome is the caller's; a bad index must not be read, and every
   * comparison involving it is false, even the negated ones. */
  static const uint32_t bad[NISSUES] = {99, 99, 99, 99, 99};
  static const uint32_t bad_donetsk[NISSUES] = {99, 0, 0, 0, 0};
  static const uint32_t bad_zone[NISSUES] = {0, 0, 0, 0, 99};
  const struct {
    const char *text;
    const uint32_t *values;
  } cases[] = {
      {"ua_km < 100", bad},
      {"ua_km != 5", bad},
      {"ua_km not in [5]", bad},
      {"budget * 0 == 0", bad},
      {"donetsk == 'russian'", bad},
      {"donetsk != 'russian'", bad},
      {"donetsk not in ['russian']", bad},
      {"donetsk != `control zone`", bad_donetsk},
      {"donetsk != `control zone`", bad_zone},
      {"`control zone` != donetsk", bad_donetsk},
      {"`control zone` == donetsk", bad_zone},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    pl_expr *e = compile_ok(cases[i].text);
    cr_assert(!pl_expr_eval(e, cases[i].values), "%s", cases[i].text);
    pl_expr_free(e);
  }
}

/* ---- References ------------------------------------------------------- */

Test(refs, sorted_and_unique) {
  pl_expr *e = compile_ok("budget > 0 or ua_km < ru_km and ua_km > 0 and "
                          "`control zone` == donetsk and ru_km != 5");
  const uint32_t expected[] = {DONETSK, UA_KM, RU_KM, BUDGET, ZONE};
  cr_assert_eq(pl_expr_num_refs(e), 5);
  for (uint32_t i = 0; i < 5; i++)
    cr_assert_eq(pl_expr_refs(e)[i], expected[i]);
  pl_expr_free(e);
}

Test(refs, subset) {
  pl_expr *e = compile_ok("ru_km > budget and budget != ru_km");
  cr_assert_eq(pl_expr_num_refs(e), 2);
  cr_assert_eq(pl_expr_refs(e)[0], RU_KM);
  cr_assert_eq(pl_expr_refs(e)[1], BUDGET);
  pl_expr_free(e);
}

Test(refs, none) {
  pl_expr *e = compile_ok("true and 1 < 2");
  cr_assert_eq(pl_expr_num_refs(e), 0);
  pl_expr_free(e);
}

/* ---- Errors ----------------------------------------------------------- */

Test(errors, unknown_issue) {
  /* The name starts the text: column 1. */
  expect_error("donetsk_status == 'dmz'", 1,
               "unknown issue 'donetsk_status' (did you mean 'donetsk'?)");
  /* "ua_km < " is 8 characters, the name starts at column 9. */
  expect_error("ua_km < ru_kn", 9,
               "unknown issue 'ru_kn' (did you mean 'ru_km'?)");
  expect_error("ua_km < zzz", 9, "unknown issue 'zzz'");
  /* Issue names are case-sensitive, but the suggestion ignores case. */
  expect_error("Budget > 1", 1,
               "unknown issue 'Budget' (did you mean 'budget'?)");
  /* A name in backticks is never a keyword; the column is the backtick. */
  expect_error("true and `and`", 10, "unknown issue 'and'");
}

Test(errors, keywords_are_lowercase) {
  expect_error("NOT true", 1,
               "unknown issue 'NOT' (keywords are lowercase: did you mean "
               "'not'?)");
  /* "ua_km < 1 " is 10 characters: AND at column 11. */
  expect_error("ua_km < 1 AND true", 11,
               "unexpected text after the end of the expression: 'AND' "
               "(keywords are lowercase: did you mean 'and'?)");
}

Test(errors, not_an_option) {
  /* "ua_km > 0 and donetsk == " is 25 characters: the quote is column 26. */
  expect_error("ua_km > 0 and donetsk == 'foo'", 26,
               "'foo' is not an option of issue 'donetsk' (options: "
               "\"ukrainian\", \"demilitarised zone\", \"russian\")");
  /* "donetsk in ['russian', " is 23 characters: 'dmz' is at column 24. */
  expect_error("donetsk in ['russian', 'dmz']", 24,
               "'dmz' is not an option of issue 'donetsk' (options: "
               "\"ukrainian\", \"demilitarised zone\", \"russian\")");
  /* Labels are case-sensitive; the literal is at column 1. */
  expect_error("'Russian' == `control zone`", 1,
               "'Russian' is not an option of issue 'control zone' (options: "
               "\"russian\", \"ukrainian\", \"none\")");
}

Test(errors, unclosed_parenthesis) {
  /* '(' is column 9; the text has 19 characters, so its end is column 20. */
  expect_error("ua_km < (ru_km + 10", 20,
               "expected ')' to close '(' at column 9, but found the end of "
               "the expression");
  /* "(ua_km < 1 " is 11 characters: ru_km at column 12. */
  expect_error("(ua_km < 1 ru_km)", 12,
               "expected ')' to close '(' at column 1, but found 'ru_km'");
}

Test(errors, text_after_the_end) {
  /* "ua_km < 1" is 9 characters: ')' at column 10. */
  expect_error("ua_km < 1)", 10,
               "unexpected text after the end of the expression: ')'");
  /* "true " is 5 characters: false at column 6. */
  expect_error("true false", 6,
               "unexpected text after the end of the expression: 'false'");
}

Test(errors, categorical_type_errors) {
  /* Comparison type errors point at the operator: '==' is column 9. */
  expect_error("donetsk == 5", 9,
               "cannot compare categorical issue 'donetsk' with a number");
  expect_error("ua_km != `control zone`", 7,
               "cannot compare numeric issue 'ua_km' with categorical issue "
               "'control zone'");
  expect_error("donetsk >= 'russian'", 9,
               "'>=' cannot be used on categorical issue 'donetsk' (only ==, "
               "!= and in)");
  expect_error("donetsk < `control zone`", 9,
               "'<' cannot be used on categorical issue 'donetsk' (only ==, "
               "!= and in)");
  /* Operand type errors point at the operand: "ua_km + " is 8 characters. */
  expect_error("ua_km + donetsk > 1", 9,
               "'+' needs numbers, but found categorical issue 'donetsk'");
  expect_error("-donetsk < 1", 2,
               "'-' needs numbers, but found categorical issue 'donetsk'");
  expect_error("donetsk * 2 < 1", 1,
               "'*' needs numbers, but found categorical issue 'donetsk'");
}

Test(errors, other_type_errors) {
  /* The two strings: '==' is column 5. */
  expect_error("'a' == 'a'", 5,
               "cannot compare the string \"a\" with the string \"a\"");
  /* "(ua_km < 1) " is 12 characters: '==' at column 13. */
  expect_error("(ua_km < 1) == true", 13,
               "cannot compare a condition with a condition");
  expect_error("ua_km + 1 < 'x'", 11,
               "cannot compare a numeric expression with the string \"x\"");
  expect_error("ua_km and true", 1,
               "'and' needs a condition, but found numeric issue 'ua_km'");
  /* "true || " is 8 characters. */
  expect_error("true || 5", 9, "'||' needs a condition, but found a number");
  expect_error("not ua_km", 5,
               "'not' needs a condition, but found numeric issue 'ua_km'");
  expect_error("true + 1 > 0", 1, "'+' needs numbers, but found a condition");
}

Test(errors, expression_must_be_a_condition) {
  expect_error("ua_km + 1", 1,
               "the expression must be a condition such as a comparison, but "
               "it is a numeric expression");
  /* Leading spaces: the expression starts at column 3. */
  expect_error("  ua_km", 3,
               "the expression must be a condition such as a comparison, but "
               "it is numeric issue 'ua_km'");
  expect_error("(donetsk)", 1,
               "the expression must be a condition such as a comparison, but "
               "it is categorical issue 'donetsk'");
  expect_error("'dmz'", 1,
               "the expression must be a condition such as a comparison, but "
               "it is the string \"dmz\"");
  expect_error("42", 1,
               "the expression must be a condition such as a comparison, but "
               "it is a number");
}

Test(errors, chained_comparison) {
  /* "ua_km < ru_km " is 14 characters: the second '<' is column 15. */
  expect_error("ua_km < ru_km < 30", 15,
               "comparisons cannot be chained; join them with 'and'");
  /* "0 <= ua_km " is 11 characters: 'in' at column 12. */
  expect_error("0 <= ua_km in [10]", 12,
               "comparisons cannot be chained; join them with 'and'");
}

Test(errors, strings) {
  /* "donetsk == " is 11 characters: the opening quote is column 12. */
  expect_error("donetsk == \"dmz", 12,
               "unterminated string (missing closing \")");
  expect_error("donetsk == 'dmz", 12,
               "unterminated string (missing closing ')");
  /* A backslash at the very end escapes nothing: still unterminated. */
  expect_error("donetsk == 'dmz\\", 12,
               "unterminated string (missing closing ')");
  /* The backslash is column 14: quote at 12, 'a' at 13. */
  expect_error("donetsk == 'a\\tb'", 14,
               "unknown escape '\\t' in string (only \\\", \\' and \\\\)");
}

Test(errors, backtick_names) {
  expect_error("`control zone == 'none'", 1,
               "unterminated name (missing closing `)");
  expect_error("`` == 'none'", 1, "empty issue name ``");
}

Test(errors, empty) {
  expect_error("", 1, "empty expression");
  expect_error("  \t ", 1, "empty expression");
  int col = -1;
  char msg[64];
  cr_assert_null(pl_expr_compile(NULL, issues, NISSUES, &col, msg, sizeof msg));
  cr_assert_str_eq(msg, "empty expression");
}

Test(errors, bad_characters) {
  /* "ua_km " is 6 characters: the operator is column 7. */
  expect_error("ua_km # 1", 7, "unexpected character '#'");
  expect_error("ua_km = 10", 7, "unexpected '=' (did you mean '=='?)");
  expect_error("true & false", 6, "unexpected '&' (did you mean '&&'?)");
  expect_error("true | false", 6, "unexpected '|' (did you mean '||'?)");
}

Test(errors, columns_count_characters_not_bytes) {
  /* 'ü' and 'é' take two bytes each but one column: '"ü" ' is 4
   * characters (6 bytes), so '==' is column 5. */
  expect_error("\"ü\" == \"é\"", 5,
               "cannot compare the string \"ü\" with the string \"é\"");
  /* "ua_km < 10 and " is 15 characters: 'ñ' at column 16. */
  expect_error("ua_km < 10 and ñ", 16, "unexpected character 'ñ'");
  /* '"日本語" ' is 6 characters but 12 bytes: '==' is column 7. */
  expect_error("\"日本語\" == 'x'", 7,
               "cannot compare the string \"日本語\" with the string \"x\"");
}

Test(errors, numbers) {
  /* "ua_km < " is 8 characters: the number is column 9. */
  expect_error("ua_km < 1e999", 9, "number '1e999' is out of range");
  /* The decimal point is column 10 and the exponent letter column 10. */
  expect_error("ua_km < 1.", 10, "expected a digit after the decimal point");
  expect_error("ua_km < 1e+", 10,
               "expected the digits of an exponent after 'e'");
  expect_error("ua_km < .5", 9, "unexpected character '.'");
}

Test(errors, long_tokens) {
  /* A long token is quoted up to 32 bytes; "true " is 5 characters. */
  expect_error("true aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd", 6,
               "unexpected text after the end of the expression: "
               "'aaaaaaaaaabbbbbbbbbbccccccccccdd...'");
  /* 65 digits: longer than any number needs. */
  char text[128] = "ua_km < ";
  memset(text + 8, '1', 65);
  text[73] = '\0';
  expect_error(text, 9, "number is too long (more than 64 characters)");
}

Test(errors, missing_operand) {
  /* "ua_km < " is 8 characters: ')' is column 9. */
  expect_error("ua_km < )", 9,
               "expected an issue, a number, a string, true, false or '(', "
               "but found ')'");
  /* "ua_km <" is 7 characters: the end is column 8. */
  expect_error("ua_km <", 8,
               "expected an issue, a number, a string, true, false or '(', "
               "but found the end of the expression");
  expect_error("true and", 9,
               "expected an issue, a number, a string, true, false or '(', "
               "but found the end of the expression");
}

Test(errors, in_lists) {
  /* "ua_km in " is 9 characters: '10' is column 10. */
  expect_error("ua_km in 10", 10, "expected '[' after 'in', but found '10'");
  /* "ua_km in [10 " is 13 characters: '20' is column 14. */
  expect_error("ua_km in [10 20]", 14,
               "expected ',' or ']' in the list, but found '20'");
  expect_error("ua_km in [donetsk]", 11,
               "expected a number in the list, but found 'donetsk'");
  expect_error("ua_km in []", 11,
               "expected a number in the list, but found ']'");
  expect_error("donetsk in [1]", 13,
               "expected an option of issue 'donetsk' in quotes, but found "
               "'1'");
  expect_error("'x' in ['x']", 1,
               "'in' needs an issue or a number on its left, but found the "
               "string \"x\"");
  /* "ua_km not " is 10 characters: '5' is column 11. */
  expect_error("ua_km not 5", 11, "expected 'in' after 'not', but found '5'");
}

Test(errors, nesting_depth_limit) {
  char text[1024];
  /* 64 nested parentheses are allowed... */
  memset(text, '(', 64);
  strcpy(text + 64, "true");
  memset(text + 68, ')', 64);
  text[132] = '\0';
  cr_assert(eval_default(text));
  /* ...the 65th, at column 65, is not. */
  memset(text, '(', 65);
  strcpy(text + 65, "true");
  memset(text + 69, ')', 65);
  text[134] = '\0';
  expect_error(text, 65,
               "expression is nested too deeply (more than 64 levels)");
  /* 'not' and unary '-' nest too: the 65th "not " starts at column 257. */
  text[0] = '\0';
  for (int i = 0; i < 65; i++)
    strcat(text, "not ");
  strcat(text, "true");
  expect_error(text, 257,
               "expression is nested too deeply (more than 64 levels)");
  /* 64 of them are fine, and an even number of 'not' cancels out. */
  cr_assert(eval_default(text + 4));
  memset(text, '-', 65);
  strcpy(text + 65, "1 < 0");
  expect_error(text, 65,
               "expression is nested too deeply (more than 64 levels)");
  /* Long flat chains are not nesting. */
  text[0] = '\0';
  for (int i = 0; i < 100; i++)
    strcat(text, "true and ");
  strcat(text, "ua_km == 0");
  cr_assert(eval_default(text));
}

Test(errors, text_length_limit) {
  static char text[4098];
  /* 4096 bytes compile: "true" followed by spaces. */
  memset(text, ' ', 4096);
  memcpy(text, "true", 4);
  text[4096] = '\0';
  cr_assert(eval_default(text));
  text[4096] = ' ';
  text[4097] = '\0';
  expect_error(text, 1, "expression is too long (more than 4096 bytes)");
}

Test(errors, message_is_truncated_safely) {
  int col = -1;
  char msg[10];
  memset(msg, 'x', sizeof msg);
  cr_assert_null(pl_expr_compile("zzz < 1", issues, NISSUES, &col, msg, 10));
  cr_assert_str_eq(msg, "unknown i");
  cr_assert_eq(col, 1);
  msg[0] = 'x';
  cr_assert_null(pl_expr_compile("zzz < 1", issues, NISSUES, &col, msg, 1));
  cr_assert_eq(msg[0], '\0');
  /* No buffer and no column at all must still work. */
  cr_assert_null(pl_expr_compile("zzz < 1", issues, NISSUES, NULL, NULL, 0));
  /* "unexpected character '" is 22 bytes and 'ü' two more: a 24-byte buffer
   * holds 23, which would split 'ü', so the message stops before it. */
  char utf[24];
  cr_assert_null(pl_expr_compile("ü", issues, NISSUES, &col, utf, sizeof utf));
  cr_assert_str_eq(utf, "unexpected character '");
}

Test(errors, success_clears_the_error) {
  int col = -1;
  char msg[32] = "stale";
  pl_expr *e = pl_expr_compile("true", issues, NISSUES, &col, msg, sizeof msg);
  cr_assert_not_null(e);
  cr_assert_eq(col, 0);
  cr_assert_str_eq(msg, "");
  pl_expr_free(e);
}

/* ---- Locale ----------------------------------------------------------- */

Test(locale, numbers_ignore_the_decimal_comma) {
  const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                         "fr_FR.utf8",  "de_DE",      "fr_FR"};
  const char *found = NULL;
  for (size_t i = 0; i < sizeof names / sizeof names[0] && !found; i++)
    if (setlocale(LC_NUMERIC, names[i]))
      found = names[i];
  if (!found)
    cr_skip_test("no locale with a decimal comma is installed");
  cr_assert_str_eq(localeconv()->decimal_point, ",");
  bool answer = eval_at("budget == -3.5 and 2.25 * 2 == 4.5", BUDGET, 0);
  setlocale(LC_NUMERIC, "C");
  cr_assert(answer);
}
