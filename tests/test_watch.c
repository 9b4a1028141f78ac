/* test_watch.c - watching a negotiation as it runs (on_event, stopping it,
 * agent_context) and the scenario accessors the workbench server needs
 * (reservation values, thresholds, red lines one by one). */
#include "parley.h"
#include "parley_agent.h"

#include <criterion/criterion.h>
#include <string.h>

typedef struct watched {
  size_t calls, stop_after;
  pl_trace_event events[4096];
  uint32_t values[4096][8];
  bool had_values[4096];
} watched;

static bool watch(void *ctx, const pl_trace_event *e, const uint32_t *values) {
  watched *w = ctx;
  if (w->calls < 4096) {
    w->events[w->calls] = *e;
    w->had_values[w->calls] = values != NULL;
    if (values)
      memcpy(w->values[w->calls], values, 7 * sizeof *values);
  }
  w->calls++;
  return !w->stop_after || w->calls < w->stop_after;
}

static pl_scenario *talks(void) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_builtin("talks", d);
  cr_assert_not_null(s);
  pl_diag_free(d);
  return s;
}

/* Every event the trace keeps is reported once, in order, with the same
 * round, party, action and package. */
static void check_against_trace(const char *protocol, const char *agents) {
  pl_scenario *s = talks();
  static watched w;
  memset(&w, 0, sizeof w);
  pl_negotiation_options o;
  pl_negotiation_options_init(&o);
  o.protocol = protocol;
  o.agents = agents;
  o.rounds = 50;
  o.trace = true;
  o.on_event = watch;
  o.on_event_ctx = &w;
  pl_diag *d = pl_diag_new();
  pl_status st;
  pl_negotiation *n = pl_negotiate(s, &o, d, &st);
  cr_assert_not_null(n);
  size_t size = pl_negotiation_trace_size(n);
  cr_assert_gt(size, 1);
  cr_assert_eq(w.calls, size, "%zu calls for %zu events", w.calls, size);
  for (size_t k = 0; k < size; k++) {
    pl_trace_event e;
    uint32_t v[8];
    cr_assert(pl_negotiation_trace_event(n, k, &e, v));
    cr_assert_eq(e.round, w.events[k].round);
    cr_assert_eq(e.party, w.events[k].party);
    cr_assert_eq(e.action, w.events[k].action);
    cr_assert_eq(e.yes, w.events[k].yes, "event %zu", k);
    cr_assert_eq(e.kept, w.events[k].kept, "event %zu", k);
    cr_assert_eq(e.has_outcome, w.had_values[k]);
    if (e.has_outcome)
      cr_assert_arr_eq(v, w.values[k], 7 * sizeof *v);
  }
  pl_negotiation_free(n);
  pl_diag_free(d);
  pl_scenario_free(s);
}

Test(watch, saop_events_match_the_trace) {
  check_against_trace("saop", "boulware,conceder,micro");
}

Test(watch, mediated_steps_match_the_trace_with_votes) {
  check_against_trace("mediated", "boulware");
}

Test(watch, returning_false_stops_the_talks) {
  pl_scenario *s = talks();
  static watched w;
  memset(&w, 0, sizeof w);
  w.stop_after = 5;
  pl_negotiation_options o;
  pl_negotiation_options_init(&o);
  o.on_event = watch;
  o.on_event_ctx = &w;
  pl_diag *d = pl_diag_new();
  pl_status st = PL_OK;
  pl_negotiation *n = pl_negotiate(s, &o, d, &st);
  cr_assert_null(n);
  cr_assert_eq(st, PL_EREFUSED);
  cr_assert_eq(w.calls, 5, "no event after the stop: %zu", w.calls);
  cr_assert_eq(pl_diag_count(d), 1);
  cr_assert(strstr(pl_diag_get(d, 0).message, "stopped"));
  pl_diag_free(d);
  pl_scenario_free(s);
}

/* An agent of this program that reads its context: it counts its starts
 * there and offers its best outcome. */
static bool probe_start(void *state, pl_self *me, const double *p, char *msg,
                        size_t len) {
  (void)state, (void)p, (void)msg, (void)len;
  int *starts = pl_self_context(me);
  if (!starts)
    return false;
  (*starts)++;
  return true;
}
static pl_act probe_act(void *state, pl_self *me, double t,
                        const uint32_t *table, uint32_t *offer) {
  (void)state, (void)t, (void)table;
  return pl_self_ranked(me, 0, offer) ? PL_ACT_OFFER : PL_ACT_END;
}
static const pl_agent_class probe = {.name = "ctxprobe",
                                     .summary = "test",
                                     .start = probe_start,
                                     .act = probe_act};

Test(watch, agents_reach_the_agent_context) {
  pl_diag *d = pl_diag_new();
  cr_assert_eq(pl_agent_register(&probe, d), PL_OK);
  pl_scenario *s = talks();
  int starts = 0;
  pl_negotiation_options o;
  pl_negotiation_options_init(&o);
  o.agents = "ctxprobe,boulware,ctxprobe";
  o.rounds = 3;
  o.agent_context = &starts;
  pl_status st;
  pl_negotiation *n = pl_negotiate(s, &o, d, &st);
  cr_assert_not_null(n);
  cr_assert_eq(starts, 2, "two seats of ctxprobe started: %d", starts);
  pl_negotiation_free(n);
  /* Without a context the probe refuses to start: the talks do not run. */
  o.agent_context = NULL;
  cr_assert_null(pl_negotiate(s, &o, d, &st));
  cr_assert_eq(st, PL_EINPUT);
  pl_diag_free(d);
  pl_scenario_free(s);
}

/* scenarios/talks.json: reservations 0.55, 0.5, 0.6; the Rada (of
 * Ukraine) approves from 0.55; Ukraine's one red line is "no deal without
 * guarantees" (guarantees != "none"). */
Test(watch, scenario_accessors) {
  pl_scenario *s = talks();
  cr_assert_float_eq(pl_party_reservation(s, 0), 0.55, 1e-12);
  cr_assert_float_eq(pl_party_reservation(s, 1), 0.5, 1e-12);
  cr_assert_float_eq(pl_party_reservation(s, 2), 0.6, 1e-12);
  cr_assert_float_eq(pl_ratifier_threshold(s, 1), 0.55, 1e-12);
  cr_assert_eq(pl_ratifier_party(s, 0), 0);
  cr_assert_eq(pl_ratifier_party(s, 1), 1);
  cr_assert_eq(pl_ratifier_party(s, 9), -1);
  cr_assert_eq(pl_party_num_red_lines(s, 0), 0);
  cr_assert_eq(pl_party_num_red_lines(s, 1), 1);
  cr_assert_str_eq(pl_red_line_name(s, 1, 0), "no deal without guarantees");
  cr_assert_null(pl_red_line_name(s, 1, 1));
  uint32_t v[7];
  cr_assert(pl_proposal_values(s, 0, v));
  cr_assert(pl_red_line_holds(s, 1, 0, v)); /* coalition with US backstop */
  v[3] = 0;                                 /* guarantees: none */
  cr_assert_not(pl_red_line_holds(s, 1, 0, v));
  cr_assert_not(pl_party_red_lines_hold(s, 1, v));
  pl_scenario_free(s);
}
