/* test_saop.c - the stacked alternating offers protocol against the test
 * vectors of shared/reference/saop-rules-and-vectors.txt, played by
 * scripted agents. */
#include "negotiation/negotiate.h"
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

/* Outcomes of the one-issue test scenario: A, B, C, B' are options 0..3. */
enum { A = 0, B = 1, C = 2, B2 = 3, ACC = 10, END = 11, STOP = 12 };

/* scripts[vector][party][turn]: an outcome to offer, ACC, END, or STOP
 * (the script ran out: the test fails if it is ever reached). */
static const int SCRIPTS[8][3][4] = {
    [1] = {{A, ACC, STOP}, {B, STOP}, {ACC, STOP}},
    [2] = {{A, STOP}, {ACC, STOP}, {ACC, STOP}},
    [3] = {{A, ACC, STOP}, {ACC, ACC, STOP}, {C, STOP}},
    [4] = {{A, STOP}, {ACC, STOP}, {END, STOP}},
    [5] = {{ACC, STOP}, {STOP}, {STOP}},
    [6] = {{A, ACC, STOP}, {B, B2, STOP}, {C, C, STOP}},
    [7] = {{A, STOP}, {ACC, STOP}},
};

typedef struct scripted {
  int vector, turn;
} scripted;

static bool scripted_start(void *state, pl_self *me, const double *p, char *msg,
                           size_t len) {
  (void)me, (void)msg, (void)len;
  ((scripted *)state)->vector = (int)p[0];
  return true;
}

static pl_act scripted_act(void *state, pl_self *me, double t,
                           const uint32_t *table, uint32_t *offer) {
  (void)t, (void)table;
  scripted *x = state;
  int step = SCRIPTS[x->vector][pl_self_index(me)][x->turn++];
  cr_assert_neq(step, STOP, "party %u acted after its script ended",
                pl_self_index(me));
  if (step == ACC)
    return PL_ACT_ACCEPT;
  if (step == END)
    return PL_ACT_END;
  offer[0] = (uint32_t)step;
  return PL_ACT_OFFER;
}

static const pl_agent_class SCRIPTED = {
    .name = "scripted",
    .summary = "plays a fixed script (tests only)",
    .state_size = sizeof(scripted),
    .start = scripted_start,
    .act = scripted_act,
};

/* Three parties (two for V7) with reservation values 0.5, 0.4, 0.3; party
 * 1 discounts by 0.9. */
static pl_scenario *scenario(int parties) {
  char json[2048];
  snprintf(json, sizeof json,
           "{\"issues\": [{\"name\": \"x\", \"type\": \"categorical\","
           " \"options\": [\"A\", \"B\", \"C\", \"B2\"]}],"
           " \"parties\": ["
           "  {\"name\": \"P1\", \"reservation\": 0.5, \"discount\": 0.9,"
           "   \"weights\": {\"x\": 1}, \"values\": {\"x\": {\"A\": 1, \"B\": "
           "0.8, \"C\": 0.6, \"B2\": 0.7}}},"
           "  {\"name\": \"P2\", \"reservation\": 0.4, \"weights\": {\"x\": "
           "1}, \"values\": {\"x\": {\"A\": 0.2, \"B\": 1, \"C\": 0.5, \"B2\": "
           "0.9}}}%s]}",
           parties == 3
               ? ", {\"name\": \"P3\", \"reservation\": 0.3, \"weights\": "
                 "{\"x\": 1}, \"values\": {\"x\": {\"A\": 0.5, \"B\": 0.5, "
                 "\"C\": 1, \"B2\": 0.5}}}"
               : "");
  return load_ok(json);
}

static pl_talks play(const pl_scenario *s, int vector, uint32_t rounds) {
  pl_talks_options o;
  memset(&o, 0, sizeof o);
  o.protocol = PL_SAOP;
  o.rounds = rounds;
  o.seed = 1;
  o.trace = true;
  for (uint32_t p = 0; p < s->nparties; p++) {
    o.agents[p].cls = &SCRIPTED;
    o.agents[p].p[0] = vector;
    snprintf(o.agents[p].text, sizeof o.agents[p].text, "scripted");
  }
  pl_talks t;
  pl_diag *d = pl_diag_new();
  cr_assert(pl_talks_run(s, &o, &t, d));
  pl_diag_free(d);
  return t;
}

static void expect_agreement(int vector, uint32_t outcome, size_t actions) {
  pl_scenario *s = scenario(vector == 7 ? 2 : 3);
  pl_talks t = play(s, vector, 10);
  cr_expect_eq(t.end, PL_END_AGREEMENT, "V%d: end %d", vector, t.end);
  cr_expect_eq(t.outcome, outcome, "V%d", vector);
  cr_expect_eq(t.nevents, actions, "V%d: %zu actions", vector, t.nevents);
  pl_talks_free(&t);
  pl_scenario_free(s);
}

/* V1: P1 Offer(A), P2 Offer(B), P3 Accept; r2: P1 Accept -> B, 4 actions. */
Test(saop, v1_agreement_after_counter_offer) { expect_agreement(1, B, 4); }
/* V2: P1 Offer(A), P2 Accept, P3 Accept -> A after 3 actions. */
Test(saop, v2_immediate_agreement) { expect_agreement(2, A, 3); }
/* V3: P1 Offer(A), P2 Accept, P3 Offer(C); r2: P1 Accept, P2 Accept -> C
 * after 5 actions (P2's first accept does not count for C). */
Test(saop, v3_offer_resets_the_accepts) { expect_agreement(3, C, 5); }
/* V7: two parties: P1 Offer(A), P2 Accept -> A. */
Test(saop, v7_bilateral) { expect_agreement(7, A, 2); }

/* V4: P1 Offer(A), P2 Accept, P3 EndNegotiation -> no agreement, ended by
 * P3; everyone keeps its reservation value, discounted at t = 0 (round 1):
 * P1 0.5 * 0.9^0 = 0.5. */
Test(saop, v4_walk_out) {
  pl_scenario *s = scenario(3);
  pl_talks t = play(s, 4, 10);
  cr_expect_eq(t.end, PL_END_WALK_OUT);
  cr_expect_eq(t.by, 2);
  cr_expect_float_eq(t.utilities[0], 0.5, 1e-12);
  cr_expect_float_eq(t.utilities[1], 0.4, 1e-12);
  cr_expect_float_eq(t.discounted[0], 0.5, 1e-12);
  pl_talks_free(&t);
  pl_scenario_free(s);
}

/* V5: the first action of the session cannot be an accept. */
Test(saop, v5_first_accept_is_illegal) {
  pl_scenario *s = scenario(3);
  pl_talks t = play(s, 5, 10);
  cr_expect_eq(t.end, PL_END_PROTOCOL_VIOLATION);
  cr_expect_eq(t.by, 0);
  cr_expect_eq(t.nevents, 1);
  pl_talks_free(&t);
  pl_scenario_free(s);
}

/* V6: offers and counter-offers until the deadline (2 rounds): no
 * agreement; payoffs are the reservation values, discounted at t = 1:
 * P1 0.5 * 0.9 = 0.45, the others do not discount. */
Test(saop, v6_deadline) {
  pl_scenario *s = scenario(3);
  pl_talks t = play(s, 6, 2);
  cr_expect_eq(t.end, PL_END_DEADLINE);
  cr_expect_eq(t.rounds, 2);
  cr_expect_eq(t.nevents, 6);
  cr_expect_float_eq(t.utilities[0], 0.5, 1e-12);
  cr_expect_float_eq(t.discounted[0], 0.45, 1e-12);
  cr_expect_float_eq(t.discounted[1], 0.4, 1e-12);
  cr_expect(t.discounting);
  pl_talks_free(&t);
  pl_scenario_free(s);
}

/* Round k of R begins at t = (k - 1) / R: with R = 2, round 2 is t = 0.5. */
Test(saop, time_of_each_round) {
  pl_scenario *s = scenario(3);
  pl_talks t = play(s, 6, 2);
  cr_assert_eq(t.nevents, 6);
  for (size_t k = 0; k < 6; k++)
    cr_expect_float_eq(t.events[k].t, k < 3 ? 0.0 : 0.5, 1e-15);
  pl_talks_free(&t);
  pl_scenario_free(s);
}

/* An agreement a ratifier rejects fails as not-ratified, naming it; an
 * offer breaking a constraint is a protocol violation. */
Test(saop, ratification_and_constraints) {
  pl_scenario *s = load_ok(
      "{\"issues\": [{\"name\": \"x\", \"type\": \"categorical\","
      " \"options\": [\"A\", \"B\", \"C\"]}],"
      " \"constraints\": [{\"name\": \"never C\", \"rule\": \"x != 'C'\"}],"
      " \"parties\": ["
      "  {\"name\": \"P1\", \"weights\": {\"x\": 1}, \"values\": {\"x\": "
      "{\"A\": 1, \"B\": 0, \"C\": 0}}},"
      "  {\"name\": \"P2\", \"weights\": {\"x\": 1}, \"values\": {\"x\": "
      "{\"A\": 0, \"B\": 1, \"C\": 0}}},"
      "  {\"name\": \"P3\", \"weights\": {\"x\": 1}, \"values\": {\"x\": "
      "{\"A\": 0, \"B\": 0, \"C\": 1}}}],"
      " \"ratifiers\": [{\"name\": \"Senate\", \"threshold\": 0.5,"
      "  \"weights\": {\"x\": 1}, \"values\": {\"x\": {\"A\": 0, \"B\": 1, "
      "\"C\": 1}}}]}");
  pl_talks t = play(s, 2, 10); /* V2: A is agreed, but the Senate says no */
  cr_expect_eq(t.end, PL_END_NOT_RATIFIED);
  cr_expect_eq(t.by, 3, "the Senate is actor 3 (after three parties)");
  cr_expect(t.agreed);
  pl_talks_free(&t);
  t = play(s, 3, 10); /* V3: P3 offers C, which breaks the constraint */
  cr_expect_eq(t.end, PL_END_PROTOCOL_VIOLATION);
  cr_expect_eq(t.by, 2);
  cr_expect(strstr(t.message, "never C"), "%s", t.message);
  pl_talks_free(&t);
  pl_scenario_free(s);
}
