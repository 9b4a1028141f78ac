/* talks.c - setting up the parties' agents, running a protocol, and
 * settling the result (ratification, reservation values, discounting). */
#define _POSIX_C_SOURCE 200809L
#include "negotiation/negotiate.h"
#include "negotiation/self.h"
#include "util/diag.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double pl_talks_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

double pl_talks_clock(const pl_talks_options *o, uint32_t k, double t0) {
  if (o->seconds > 0) {
    double t = (pl_talks_now() - t0) / o->seconds;
    return t < 1 ? t : 1;
  }
  return (double)(k - 1) / o->rounds;
}

/* Every protocol asks before each round: the place to say how far the
 * talks are (in milliseconds of a wall-time deadline). */
bool pl_talks_deadline_passed(const pl_talks_options *o, uint32_t k,
                              double t0) {
  if (o->seconds > 0) {
    double t = pl_talks_now() - t0;
    if (o->progress)
      o->progress(o->progress_ctx, "talks", (uint64_t)(t * 1000),
                  (uint64_t)(o->seconds * 1000));
    return t >= o->seconds;
  }
  if (o->progress && k >= 1)
    o->progress(o->progress_ctx, "talks", k - 1, o->rounds);
  return k > o->rounds;
}

/* An offer with a value out of range (a protocol violation the caller
 * reports next) has no outcome index. */
static bool in_range(const pl_scenario *s, const uint32_t *outcome) {
  for (uint32_t i = 0; i < s->nissues; i++)
    if (outcome[i] >= s->issues[i].nvalues)
      return false;
  return true;
}

bool pl_talks_record(pl_talks *t, uint32_t round, int32_t party, pl_act act,
                     const uint32_t *outcome, double t_norm) {
  if (outcome && !in_range(t->s, outcome))
    outcome = NULL;
  t->last = (pl_event){.round = round,
                       .party = party,
                       .act = act,
                       .outcome = outcome ? pl_values_to_index(t->s, outcome)
                                          : UINT64_MAX,
                       .t = t_norm};
  if (!t->opt.trace)
    return true;
  if (t->nevents == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    pl_event *e = realloc(t->events, cap * sizeof *e);
    if (!e)
      return false;
    t->events = e;
    t->cap = cap;
  }
  t->events[t->nevents++] = t->last;
  return true;
}

void pl_talks_event(const pl_talks *t, size_t k, pl_trace_event *e,
                    uint32_t *values) {
  const pl_event *x = k == SIZE_MAX ? &t->last : &t->events[k];
  bool mediated = t->opt.protocol == PL_MEDIATED;
  *e = (pl_trace_event){.round = x->round,
                        .party = x->party,
                        .action = mediated ? PL_ACT_OFFER : x->act,
                        .has_outcome = x->outcome != UINT64_MAX,
                        .t = x->t,
                        .yes = mediated ? x->yes : 0,
                        .kept = mediated && x->kept};
  if (values && e->has_outcome)
    pl_index_to_values(t->s, x->outcome, values);
}

bool pl_talks_notify(pl_talks *t) {
  if (!t->opt.on_event)
    return true;
  pl_trace_event e;
  uint32_t values[PL_MAX_ISSUES];
  pl_talks_event(t, SIZE_MAX, &e, values);
  if (t->opt.on_event(t->opt.on_event_ctx, &e, e.has_outcome ? values : NULL))
    return true;
  t->stopped = true;
  return false;
}

/* The first ratifier that rejects the outcome, or -1. */
static int32_t rejecting_ratifier(const pl_scenario *s,
                                  const uint32_t *outcome) {
  for (uint32_t q = s->nparties; q < pl_num_actors(s); q++)
    if (pl_actor_utility(s, q, outcome) < s->actors[q].threshold - PL_EPS)
      return (int32_t)q;
  return -1;
}

void pl_talks_settle(pl_talks *t, const uint32_t *agreement, double t_norm) {
  const pl_scenario *s = t->s;
  t->t_end = t_norm;
  if (agreement) {
    t->agreed = true;
    t->outcome = pl_values_to_index(s, agreement);
    int32_t q = rejecting_ratifier(s, agreement);
    t->end = q < 0 ? PL_END_AGREEMENT : PL_END_NOT_RATIFIED;
    t->by = q;
  }
  for (uint32_t p = 0; p < s->nparties; p++) {
    const pl_actor *a = &s->actors[p];
    /* No deal (or a deal not ratified): each party keeps its reservation
     * value; a deal gives its utility. Discounting: u * d^t. */
    double u = t->end == PL_END_AGREEMENT ? pl_actor_utility(s, p, agreement)
                                          : a->threshold;
    t->utilities[p] = u;
    t->discounted[p] = a->discount < 1 ? u * pow(a->discount, t_norm) : u;
    t->discounting |= a->discount < 1;
  }
}

void pl_talks_free(pl_talks *t) {
  free(t->events);
  t->events = NULL;
  t->nevents = t->cap = 0;
}

static void stop_agents(pl_seat *seats, uint32_t n) {
  for (uint32_t p = 0; p < n; p++) {
    if (seats[p].state && seats[p].cls->finish)
      seats[p].cls->finish(seats[p].state);
    free(seats[p].state);
    pl_self_free(seats[p].me);
  }
}

/* Seat p: its agent's view of the talks, its zeroed state, then the
 * agent's start. False (with the reason in d) when any of them fails. */
static bool start_seat(const pl_scenario *s, const pl_talks_options *o,
                       uint32_t p, pl_seat *seat, pl_diag *d) {
  const pl_agent_spec *spec = &o->agents[p];
  seat->cls = spec->cls;
  seat->me = o->shared && o->shared[p]
                 ? pl_self_share(o->shared[p], o->seed, p + 1)
                 : pl_self_new(s, p, o->two_level, o->seed, p + 1);
  seat->state = calloc(1, seat->cls->state_size ? seat->cls->state_size : 1);
  if (!seat->me || !seat->state) {
    pl_diag_add(d, NULL, 0, 0, "out of memory starting the agents");
    return false;
  }
  pl_self_set_context(seat->me, o->agent_context);
  char msg[256] = "";
  if (seat->cls->start &&
      !seat->cls->start(seat->state, seat->me, spec->p, msg, sizeof msg)) {
    pl_diag_add(d, NULL, 0, 0, "agent %s for %s: %s", spec->text,
                s->actors[p].name, msg[0] ? msg : "refused to start");
    return false;
  }
  return true;
}

/* Each party's agent gets its own random stream, so a run depends only on
 * the seed, never on the order in which anything else draws numbers.
 * When a seat fails, the seats set up so far (that one included: its
 * start may have allocated before refusing) are stopped here: the caller
 * owns the agents only when this returns true. */
static bool start_agents(const pl_scenario *s, const pl_talks_options *o,
                         pl_seat *seats, pl_diag *d) {
  uint32_t n = s->nparties;
  for (uint32_t p = 0; p < n; p++) {
    if (o->progress)
      o->progress(o->progress_ctx, "setting up agents", p, n);
    if (!start_seat(s, o, p, &seats[p], d)) {
      stop_agents(seats, p + 1);
      return false;
    }
  }
  return true;
}

bool pl_talks_run(const pl_scenario *s, const pl_talks_options *o,
                  pl_talks *out, pl_diag *d) {
  memset(out, 0, sizeof *out);
  out->s = s;
  out->opt = *o;
  out->by = -1;
  pl_seat seats[PL_MAX_PARTIES];
  memset(seats, 0, sizeof seats);
  bool started = start_agents(s, o, seats, d), ok = started;
  if (started) {
    ok = o->protocol == PL_SAOP ? pl_saop_run(s, o, seats, out)
                                : pl_mediated_run(s, o, seats, out);
    stop_agents(seats, s->nparties);
  }
  if (!ok && out->stopped)
    pl_diag_add(d, NULL, 0, 0, "the talks were stopped in round %u (on_event)",
                out->rounds);
  else if (!ok && !pl_diag_count(d))
    pl_diag_add(d, NULL, 0, 0, "%s",
                out->message[0] ? out->message
                                : "out of memory during the talks");
  return ok;
}
