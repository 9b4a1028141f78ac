/* test_divide.c - Adjusted Winner and Proportional Allocation on published
 * textbook cases, worked by hand with exact fractions, and bad input. */
#define _POSIX_C_SOURCE 200809L
#include "parley_divide.h"
#include "support.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static pl_division *load(const char *json) {
  pl_diag *d = pl_diag_new();
  pl_division *v = pl_divide_load_string(json, "test.json", d);
  if (!v)
    pl_diag_print(d, stderr);
  cr_assert_not_null(v);
  pl_diag_free(d);
  return v;
}

static void expect_share(const pl_division *v, pl_divide_method m, size_t i,
                         int64_t num, int64_t den) {
  int64_t n, d;
  pl_divide_share(v, m, i, 0, &n, &d);
  cr_expect(n == num && d == den, "item %zu: %lld/%lld, expected %lld/%lld", i,
            (long long)n, (long long)d, (long long)num, (long long)den);
  int64_t n1, d1;
  pl_divide_share(v, m, i, 1, &n1, &d1);
  cr_expect(n1 == den - num && d1 == den, "item %zu: the other's share", i);
}

static void expect_points(const pl_division *v, pl_divide_method m,
                          int64_t num0, int64_t den0, int64_t num1,
                          int64_t den1) {
  int64_t n, d;
  pl_divide_points(v, m, 0, &n, &d);
  cr_expect(n == num0 && d == den0, "party 0: %lld/%lld", (long long)n,
            (long long)d);
  pl_divide_points(v, m, 1, &n, &d);
  cr_expect(n == num1 && d == den1, "party 1: %lld/%lld", (long long)n,
            (long long)d);
}

/* Brams and Taylor, The Win-Win Solution (1999), Bob and Carol's divorce,
 * as on https://pages.nyu.edu/adjustedwinner/awProcedure.htm: Carol gets
 * the retirement account (50) and the summer cottage (15), 65 points; Bob
 * the home (30) and "other" (10), 40, then the tied investments (he
 * trails), 50. Carol's items by ratio: retirement 50/40 < cottage 15/10,
 * and moving the retirement account whole would put her behind, so it is
 * split: 15 + 50 q = 50 + 40 (1 - q) gives q = 5/6 for Carol, 1/6 for
 * Bob, and 15 + 250/6 = 170/3 points each (56.67, as published).
 * Proportional Allocation by hand: Carol 50*5/9 + 20*2/5 + 15*3/5 + 10/2 +
 * 5/3 = 463/9, Bob the same (PA is equitable when both total 100). */
Test(adjusted_winner, bob_and_carol) {
  pl_division *v =
      load("{\"parties\": [\"Carol\", \"Bob\"], \"items\": ["
           "{\"name\": \"Retirement Account\", \"points\": [50, 40]},"
           "{\"name\": \"Home\", \"points\": [20, 30]},"
           "{\"name\": \"Summer Cottage\", \"points\": [15, 10]},"
           "{\"name\": \"Investments\", \"points\": [10, 10]},"
           "{\"name\": \"Other\", \"points\": [5, 10]}]}");
  expect_share(v, PL_DIVIDE_ADJUSTED_WINNER, 0, 5, 6);
  expect_share(v, PL_DIVIDE_ADJUSTED_WINNER, 1, 0, 1);
  expect_share(v, PL_DIVIDE_ADJUSTED_WINNER, 2, 1, 1);
  expect_share(v, PL_DIVIDE_ADJUSTED_WINNER, 3, 0, 1);
  expect_share(v, PL_DIVIDE_ADJUSTED_WINNER, 4, 0, 1);
  expect_points(v, PL_DIVIDE_ADJUSTED_WINNER, 170, 3, 170, 3);
  expect_share(v, PL_DIVIDE_PROPORTIONAL, 0, 5, 9);
  expect_share(v, PL_DIVIDE_PROPORTIONAL, 4, 1, 3);
  expect_points(v, PL_DIVIDE_PROPORTIONAL, 463, 9, 463, 9);
  pl_divide_free(v);
}

/* The Trumps' divorce (Brams and Taylor, The Win-Win Solution, ch. on
 * divorce; points as in the classroom notes "The Adjusted Winner",
 * vdocuments.mx): Donald gets Palm Beach (40) and the Tower triplex (38),
 * 78; Ivana the Connecticut estate (38) and the Plaza apartment (30), 68,
 * then the tied cash and jewelry (2, she trails), 70. Donald's ratios:
 * Palm Beach 40/20 = 2 < triplex 38/10; moving Palm Beach whole would put
 * him behind, so (78 - 70) / (40 + 20) = 2/15 of it moves: Donald keeps
 * 13/15, and both have 38 + 40 * 13/15 = 218/3 points (72.67). */
Test(adjusted_winner, trump_divorce) {
  pl_division *v =
      load("{\"parties\": [\"Donald\", \"Ivana\"], \"items\": ["
           "{\"name\": \"Connecticut Estate\", \"points\": [10, 38]},"
           "{\"name\": \"Palm Beach Mansion\", \"points\": [40, 20]},"
           "{\"name\": \"Trump Plaza Apartment\", \"points\": [10, 30]},"
           "{\"name\": \"Trump Tower Triplex\", \"points\": [38, 10]},"
           "{\"name\": \"Cash and Jewelry\", \"points\": [2, 2]}]}");
  expect_share(v, PL_DIVIDE_ADJUSTED_WINNER, 1, 13, 15);
  expect_share(v, PL_DIVIDE_ADJUSTED_WINNER, 3, 1, 1);
  expect_share(v, PL_DIVIDE_ADJUSTED_WINNER, 4, 0, 1);
  expect_points(v, PL_DIVIDE_ADJUSTED_WINNER, 218, 3, 218, 3);
  pl_divide_free(v);
}

/* Calvin and Hobbes' pirate loot (the exercise of the same classroom
 * notes), worked by hand: Calvin gets cannon 10, sword 15, cannon ball 5,
 * wooden leg 2, flag 10, crow's nest 2 = 44; Hobbes anchor 20, chest 20,
 * doubloon 14, figure head 30 = 84. Hobbes's ratios: doubloon 14/11 <
 * chest 20/15 < figure head 30/20 < anchor 20/10. The doubloon moves whole
 * (70 vs 55), then the chest would put Hobbes behind (50 vs 70): (70 - 55)
 * / (20 + 15) = 3/7 of it moves to Calvin, Hobbes keeps 4/7, and both
 * have 55 + 15 * 3/7 = 430/7 points (61.43). Points with decimals too
 * (read exactly): the same case scaled by 1/10 would not sum to 100, so
 * the cannon's 10 is written 10.0. */
Test(adjusted_winner, calvin_and_hobbes_loot_moves_one_then_splits) {
  pl_division *v = load("{\"parties\": [\"Calvin\", \"Hobbes\"], \"items\": ["
                        "{\"name\": \"Cannon\", \"points\": [10.0, 5]},"
                        "{\"name\": \"Anchor\", \"points\": [10, 20]},"
                        "{\"name\": \"Unopened chest\", \"points\": [15, 20]},"
                        "{\"name\": \"Doubloon\", \"points\": [11, 14]},"
                        "{\"name\": \"Figure head\", \"points\": [20, 30]},"
                        "{\"name\": \"Sword\", \"points\": [15, 6]},"
                        "{\"name\": \"Cannon ball\", \"points\": [5, 1]},"
                        "{\"name\": \"Wooden leg\", \"points\": [2, 1]},"
                        "{\"name\": \"Flag\", \"points\": [10, 2]},"
                        "{\"name\": \"Crow's nest\", \"points\": [2, 1]}]}");
  expect_share(v, PL_DIVIDE_ADJUSTED_WINNER, 3, 1, 1); /* doubloon moved */
  expect_share(v, PL_DIVIDE_ADJUSTED_WINNER, 2, 3, 7); /* the chest */
  expect_share(v, PL_DIVIDE_ADJUSTED_WINNER, 4, 0, 1);
  expect_share(v, PL_DIVIDE_ADJUSTED_WINNER, 1, 0, 1);
  expect_points(v, PL_DIVIDE_ADJUSTED_WINNER, 430, 7, 430, 7);
  pl_divide_free(v);
}

/* Decimal points are exact: 33.3 + 33.3 + 33.4 = 100 (doubles would not
 * sum to 100 exactly). A: x 33.3, y 33.3, z 33.4; B: 50, 25, 25. B wins x
 * (50), A wins y and z (66.7). A leads; ratios A/B: y 1.332 < z 1.336;
 * moving y whole would leave A 33.4 against 75, so y is split: (66.7 - 50)
 * / (33.3 + 25) = 167/583 of it moves, A keeps 416/583, and both have
 * 33.4 + 33.3 * 416/583 = (19472.2 + 13852.8) / 583 = 33325/583 (B: 50 +
 * 25 * 167/583, the same). */
Test(adjusted_winner, decimals_are_exact) {
  pl_division *v = load("{\"parties\": [\"A\", \"B\"], \"items\": ["
                        "{\"name\": \"x\", \"points\": [33.3, 50]},"
                        "{\"name\": \"y\", \"points\": [33.3, 25]},"
                        "{\"name\": \"z\", \"points\": [33.4, 25]}]}");
  expect_share(v, PL_DIVIDE_ADJUSTED_WINNER, 1, 416, 583);
  expect_points(v, PL_DIVIDE_ADJUSTED_WINNER, 33325, 583, 33325, 583);
  pl_divide_free(v);
}

static void expect_error(const char *json, const char *says, int line) {
  pl_diag *d = pl_diag_new();
  cr_expect_null(pl_divide_load_string(json, "bad.json", d));
  bool found = false;
  for (size_t k = 0; k < pl_diag_count(d); k++) {
    pl_problem p = pl_diag_get(d, k);
    if (strstr(p.message, says)) {
      found = true;
      cr_expect_eq(p.line, line, "%s: line %d", p.message, p.line);
      cr_expect_str_eq(p.file, "bad.json");
    }
  }
  cr_expect(found, "no message saying '%s'", says);
  pl_diag_free(d);
}

Test(divide_input, bad_points_name_the_item_or_party) {
  expect_error("{\"parties\": [\"A\", \"B\"], \"items\": [\n"
               "{\"name\": \"x\", \"points\": [60, 50]},\n"
               "{\"name\": \"y\", \"points\": [40, 40]}]}",
               "B's points sum to 90, not 100", 1);
  expect_error("{\"parties\": [\"A\", \"B\"], \"items\": [\n"
               "{\"name\": \"x\", \"points\": [110, 50]},\n"
               "{\"name\": \"y\", \"points\": [-10, 50]}]}",
               "item 'y': A's points are negative", 3);
  expect_error("{\"parties\": [\"A\", \"B\", \"C\"], \"items\": []}",
               "exactly two parties", 1);
  expect_error("{\"parties\": [\"A\", \"B\"], \"items\": [\n"
               "{\"name\": \"x\", \"points\": [1e2, 100]}]}",
               "plain decimal", 2);
  expect_error("{\"parties\": [\"A\", \"B\"], \"items\": [\n"
               "{\"name\": \"x\", \"points\": [100]}]}",
               "one number per party", 2);
  expect_error("{\"parties\": [\"A\", \"B\"], \"itmes\": []}",
               "unknown key 'itmes'", 1);
}

Test(divide_cli, json_and_exit_codes) {
  char *out, *err;
  int rc = run_cli("divide " PARLEY_EXAMPLES "/divide/bob-carol.json --json",
                   &out, &err);
  cr_expect_eq(rc, 0, "%s", err);
  cr_expect(strstr(out, "\"5/6\""), "%s", out);
  cr_expect(strstr(out, "\"170/3\""), "%s", out);
  free(out);
  free(err);
  rc = run_cli("divide /nonexistent.json", &out, &err);
  cr_expect_eq(rc, 2);
  free(out);
  free(err);
}
