/* test_body.c - ratifiers as bodies (model/body.c): the exact pass
 * probability of a vote against hand calculations, and how the
 * deterministic analysis uses it (docs/scenario-format.md, 7.1). */
#include "support.h"

#include "model/body.h"
#include "model/scenario.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* One issue x in {a, b}; the ratifier R likes a (1) not b (0), threshold
 * 0.5; its body is BODY (a JSON object). */
static char *scenario_with_body(const char *body) {
  static const char *fmt =
      "{\"parley\": 1, \"issues\": [{\"name\": \"x\", \"type\": "
      "\"categorical\", \"options\": [\"a\", \"b\"]}],\n"
      "\"parties\": [\n"
      " {\"name\": \"P\", \"reservation\": 0, \"weights\": {\"x\": 1}, "
      "\"values\": {\"x\": {\"a\": 1, \"b\": 0}}},\n"
      " {\"name\": \"Q\", \"reservation\": 0, \"weights\": {\"x\": 1}, "
      "\"values\": {\"x\": {\"a\": 1, \"b\": 0}}}],\n"
      "\"ratifiers\": [{\"name\": \"R\", \"party\": \"P\", \"threshold\": "
      "0.5, \"weights\": {\"x\": 1}, \"values\": {\"x\": {\"a\": 1, \"b\": "
      "0}},\n \"body\": %s}]}\n";
  size_t n = strlen(fmt) + strlen(body) + 1;
  char *t = malloc(n);
  snprintf(t, n, fmt, body);
  return t;
}

static pl_scenario *load_body(const char *body) {
  char *t = scenario_with_body(body);
  pl_scenario *s = load_ok(t);
  free(t);
  return s;
}

/* P(R ratifies) for x = a (u = 1) or b (u = 0). */
static double pass(const pl_scenario *s, uint32_t x) {
  const pl_actor *r = &s->actors[2];
  cr_assert_not_null(r->body);
  return pl_body_probability(r->body, x == 0 ? 1.0 : 0.0, r->body->threshold);
}

#define THREE                                                                  \
  "{\"name\": \"A\", \"loyalty\": 0.9}, {\"name\": \"B\", \"loyalty\": "       \
  "0.8}, {\"name\": \"C\", \"loyalty\": 0.6"

Test(body, three_members_in_favour) {
  /* Every member is in favour of a (u = 1 >= 0.5) and votes yes with its
   * loyalty: 0.9, 0.8, 0.6. A majority of votes cast (no abstention) is 2
   * of 3. By hand: P(>= 2 yes) = p1p2 + p1p3 + p2p3 - 2 p1p2p3
   * = 0.72 + 0.54 + 0.48 - 2 * 0.432 = 0.876. Against b every member votes
   * yes with 1 - loyalty (0.1, 0.2, 0.4): 0.02 + 0.04 + 0.08 - 2 * 0.008
   * = 0.124. */
  pl_scenario *s = load_body("{\"blocs\": [" THREE "}]}");
  cr_assert_float_eq(pass(s, 0), 0.876, 1e-12);
  cr_assert_float_eq(pass(s, 1), 0.124, 1e-12);
  /* 0.876 >= 0.5: the deterministic analysis approves a, not b; the
   * effective threshold is theta - shift of the deciding level = 0.5. */
  cr_assert_float_eq(s->actors[2].threshold, 0.5, 1e-12);
  pl_scenario_free(s);
}

Test(body, a_member_against) {
  /* C's shift -0.6 puts it against a (1 - 0.6 = 0.4 < 0.5): it votes yes
   * with 0.4. By hand: 0.9 * 0.8 + 0.9 * 0.4 + 0.8 * 0.4 - 2 * 0.288
   * = 0.72 + 0.36 + 0.32 - 0.576 = 0.824. */
  pl_scenario *s = load_body("{\"blocs\": [" THREE ", \"shift\": -0.6}]}");
  cr_assert_float_eq(pass(s, 0), 0.824, 1e-12);
  pl_scenario_free(s);
}

Test(body, abstention_of_all_seats_and_of_votes_cast) {
  /* A abstains with 0.5, so it votes yes with 0.45, no with 0.05. Of all
   * seats a majority is 2 yes of 3: P = P(A yes) P(B or C yes) + P(A not
   * yes) P(B and C yes) = 0.45 * 0.92 + 0.55 * 0.48 = 0.678. */
  pl_scenario *s = load_body("{\"of\": \"all seats\", \"blocs\": ["
                             "{\"name\": \"A\", \"loyalty\": 0.9, "
                             "\"abstain\": 0.5}, {\"name\": \"B\", "
                             "\"loyalty\": 0.8}, {\"name\": \"C\", "
                             "\"loyalty\": 0.6}]}");
  cr_assert_float_eq(pass(s, 0), 0.678, 1e-12);
  pl_scenario_free(s);
  /* Of votes cast, one member who abstains with 0.7 and otherwise votes yes
   * (loyalty 1) beside one who votes yes with 0.5: passes when yes > no
   * among the votes cast. A abstains (0.7): B alone decides, 0.5; A votes
   * yes (0.3): B's no would tie 1-1 (fails), so B yes, 0.5. P = 0.7 * 0.5
   * + 0.3 * 0.5 = 0.5. Two-thirds of votes cast: the same cases, 0.5. And
   * of all seats (2 of 2 needed): 0.3 * 0.5 = 0.15. */
  const char *two = "\"blocs\": [{\"name\": \"A\", \"abstain\": 0.7}, "
                    "{\"name\": \"B\", \"loyalty\": 0.5}]}";
  char body[400];
  snprintf(body, sizeof body, "{%s", two);
  s = load_body(body);
  cr_assert_float_eq(pass(s, 0), 0.5, 1e-12);
  pl_scenario_free(s);
  snprintf(body, sizeof body, "{\"rule\": \"two-thirds\", %s", two);
  s = load_body(body);
  cr_assert_float_eq(pass(s, 0), 0.5, 1e-12);
  pl_scenario_free(s);
  snprintf(body, sizeof body,
           "{\"of\": \"all seats\", \"pass_probability\": 0.1, %s", two);
  s = load_body(body);
  cr_assert_float_eq(pass(s, 0), 0.15, 1e-12);
  /* (0.15 < 0.5: at the default pass_probability it could never ratify;
   * bad_bodies tests that error.) */
  pl_scenario_free(s);
}

Test(body, nobody_votes_fails) {
  /* One member abstaining with 0.6, else voting yes: of votes cast the vote
   * passes only when it votes, 0.4 (a vote in which nobody votes fails). */
  pl_scenario *s =
      load_body("{\"pass_probability\": 0.3, \"blocs\": [{\"name\": \"A\", "
                "\"abstain\": 0.6}]}");
  cr_assert_float_eq(pass(s, 0), 0.4, 1e-12);
  pl_scenario_free(s);
}

Test(body, two_chambers_must_both_pass) {
  /* Chamber 1: A, B, C as above (0.876). Chamber 2: 5 seats of one bloc
   * with loyalty 0.7, two-thirds of votes cast: at least 4 of 5 yes:
   * C(5,4) 0.7^4 0.3 + 0.7^5 = 0.36015 + 0.16807 = 0.52822. Both pass
   * (independent chambers): 0.876 * 0.52822 = 0.46272072. */
  pl_scenario *s = load_body(
      "{\"chambers\": [{\"name\": \"House\", \"blocs\": [" THREE
      "}]}, {\"name\": \"Senate\", \"rule\": \"two-thirds\", \"seats\": 5, "
      "\"blocs\": [{\"name\": \"all\", \"seats\": 5, \"loyalty\": 0.7}]}], "
      "\"pass_probability\": 0.4}");
  cr_assert_float_eq(pass(s, 0), 0.876 * 0.52822, 1e-12);
  pl_scenario_free(s);
}

Test(body, effective_threshold_from_the_deciding_bloc) {
  /* Blocs of 3 seats each, loyalty 1: W (shift +0.2), M (0), H (-0.2),
   * majority of all 9 seats (5 yes). In favour with u + shift >= 0.5:
   * only W (u in [0.3, 0.5)): 3 yes, fails; W and M (u in [0.5, 0.7)):
   * 6 yes, passes. So the body approves from u = 0.5: effective threshold
   * 0.5 = theta - shift of M. With pass_probability 1 it is the same; if
   * M were 2 seats (W 3 + M 2 = 5 of 8), still 0.5. */
  pl_scenario *s = load_body(
      "{\"of\": \"all seats\", \"seats\": 9, \"blocs\": [{\"name\": \"W\", "
      "\"seats\": 3, \"shift\": 0.2}, {\"name\": \"M\", \"seats\": 3}, "
      "{\"name\": \"H\", \"seats\": 3, \"shift\": -0.2}]}");
  const pl_body *b = s->actors[2].body;
  cr_assert_eq(b->nlevels, 3);
  cr_assert_float_eq(b->prob[1], 0.0, 1e-12);
  cr_assert_float_eq(b->prob[2], 1.0, 1e-12);
  cr_assert_float_eq(s->actors[2].threshold, 0.5, 1e-12);
  cr_assert_float_eq(pl_body_probability(b, 0.45, 0.5), 0.0, 1e-12);
  cr_assert_float_eq(pl_body_probability(b, 0.55, 0.5), 1.0, 1e-12);
  pl_scenario_free(s);
}

Test(body, bad_bodies) {
  /* Seats that do not add up, a loyalty below 0.5, an unknown rule, a body
   * that can never pass. */
  const char *bad[][2] = {
      {"{\"seats\": 4, \"blocs\": [" THREE "}]}", "must add up"},
      {"{\"blocs\": [{\"name\": \"A\", \"loyalty\": 0.3}]}", "loyalty"},
      {"{\"rule\": \"most\", \"blocs\": [{\"name\": \"A\"}]}", "\"rule\""},
      {"{\"pass_probability\": 0.9, \"blocs\": [{\"name\": \"A\", "
       "\"loyalty\": 0.8}]}",
       "can never ratify"},
      {"{\"blocs\": []}", "no blocs"}};
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
    char *t = scenario_with_body(bad[k][0]);
    pl_diag *d = load_fail(t);
    bool found = false;
    for (size_t i = 0; i < pl_diag_count(d); i++) {
      pl_problem p = pl_diag_get(d, i);
      found |=
          strstr(p.message, bad[k][1]) != NULL && p.line == 6 && p.column > 0;
    }
    cr_assert(found, "case %zu: no problem at line 6 mentioning '%s'", k,
              bad[k][1]);
    pl_diag_free(d);
    free(t);
  }
}

Test(body, four_hundred_fifty_seats) {
  /* 450 seats in four blocs: the programme sums to 1 over all outcomes, so
   * P(pass) + P(fail) = 1; check against an independent count: with every
   * bloc of loyalty 1 in favour the vote passes surely, and with none in
   * favour it fails surely. */
  pl_scenario *s = load_body(
      "{\"of\": \"all seats\", \"seats\": 450, \"blocs\": ["
      "{\"name\": \"S\", \"seats\": 235}, {\"name\": \"E\", \"seats\": 27, "
      "\"shift\": -0.3}, {\"name\": \"B\", \"seats\": 24, \"shift\": "
      "-0.2}, {\"name\": \"O\", \"seats\": 164, \"shift\": -0.1}]}");
  /* In favour of a (u = 1): all; of b (u = 0): none. */
  cr_assert_float_eq(pass(s, 0), 1.0, 1e-12);
  cr_assert_float_eq(pass(s, 1), 0.0, 1e-12);
  /* u = 0.55: S (1 + 0 > 0.5... 0.55 >= 0.5) and O (0.45 < 0.5: against):
   * 235 yes of 450 >= 226: passes. u = 0.45: S against: 0 yes. */
  const pl_body *b = s->actors[2].body;
  cr_assert_float_eq(pl_body_probability(b, 0.55, 0.5), 1.0, 1e-12);
  cr_assert_float_eq(pl_body_probability(b, 0.45, 0.5), 0.0, 1e-12);
  pl_scenario_free(s);
}
