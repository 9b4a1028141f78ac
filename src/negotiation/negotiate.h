/* negotiate.h - running a negotiation under a protocol (internal). */
#ifndef PL_NEGOTIATION_NEGOTIATE_H
#define PL_NEGOTIATION_NEGOTIATE_H

#include "negotiation/agent.h"

typedef enum pl_protocol { PL_SAOP = 0, PL_MEDIATED = 1 } pl_protocol;

/* pl_end, how the talks ended, is public (parley_results.h). */

typedef struct pl_talks_options {
  pl_protocol protocol;
  uint32_t rounds; /* deadline in rounds (SAOP) or mediator steps */
  double seconds;  /* > 0: wall-time deadline instead (not reproducible) */
  uint64_t seed;
  bool two_level; /* agents know their own ratifiers (default on) */
  bool trace;     /* keep every action */
  pl_agent_spec agents[PL_MAX_PARTIES]; /* one per party */
  /* Mediated single text. */
  int32_t pen;        /* -1: a neutral mediator; else the party holding it */
  int32_t start_from; /* proposal index for the first draft, or -1 random */
  uint32_t quota;     /* yes votes needed to keep a change (0: everyone) */
  uint32_t change;    /* issues changed per step (default 1) */
  /* Optional, per party: views built once (pl_self_new with this
   * scenario, party and two_level) whose sorted outcomes the agents share
   * (pl_self_share) instead of building them for every negotiation. */
  pl_self *const *shared;
  double anneal; /* initial temperature T0 of the voters' annealing
                    (0: plain hill climbing); T falls linearly to 0 */
  /* pl_negotiation_options.on_event, on_event_ctx and agent_context. */
  bool (*on_event)(void *ctx, const pl_trace_event *e, const uint32_t *values);
  void *on_event_ctx;
  void *agent_context;
} pl_talks_options;

/* One event of the trace: an action (SAOP) or a vote on a draft (mediated). */
typedef struct pl_event {
  uint32_t round;   /* 1-based */
  int32_t party;    /* -1: the neutral mediator */
  pl_act act;       /* SAOP action; mediated: OFFER = proposed draft */
  uint64_t outcome; /* index of the outcome concerned (offer, table, draft) */
  double t;
  uint32_t yes; /* mediated: yes votes */
  bool kept;    /* mediated: the change was kept */
} pl_event;

typedef struct pl_talks {
  const pl_scenario *s;
  pl_talks_options opt;
  pl_end end;
  int32_t by;           /* actor responsible (walk-out, violation, ratifier) */
  bool agreed;          /* an outcome was agreed (even if not ratified) */
  uint64_t outcome;     /* the agreement (or the final text) */
  uint64_t first_draft; /* mediated: the text the mediator started from */
  uint32_t rounds;      /* rounds begun */
  double t_end;         /* normalised time when the talks ended */
  double utilities[PL_MAX_PARTIES];
  double discounted[PL_MAX_PARTIES];
  bool discounting; /* some party has a discount factor below 1 */
  pl_event *events;
  size_t nevents, cap;
  char message[256]; /* e.g. what the protocol violation was */
  bool stopped;      /* on_event returned false */
  pl_event last;     /* the latest event, for on_event without a trace */
} pl_talks;

/* Runs the talks; false (with a message in d) when an agent refuses to
 * start or memory runs out. */
bool pl_talks_run(const pl_scenario *s, const pl_talks_options *o,
                  pl_talks *out, pl_diag *d);
void pl_talks_free(pl_talks *t);

/* Protocols (saop.c, mediated.c); the agents are started. */
typedef struct pl_seat {
  const pl_agent_class *cls;
  void *state;
  pl_self *me;
} pl_seat;

bool pl_saop_run(const pl_scenario *s, const pl_talks_options *o,
                 pl_seat *seats, pl_talks *out);
bool pl_mediated_run(const pl_scenario *s, const pl_talks_options *o,
                     pl_seat *seats, pl_talks *out);

/* Shared by the protocols. */
bool pl_talks_record(pl_talks *t, uint32_t round, int32_t party, pl_act act,
                     const uint32_t *outcome, double t_norm);
/* Tells on_event about the event just recorded (after a mediated step's
 * votes are filled in); false when it asks to stop (t->stopped is set). */
bool pl_talks_notify(pl_talks *t);
/* Event k of the trace (k == SIZE_MAX: the latest event, trace or not) in
 * the public form, with its package into values when it has one. */
void pl_talks_event(const pl_talks *t, size_t k, pl_trace_event *e,
                    uint32_t *values);
/* Ends the talks on `agreement` (ratification checked) or without one. */
void pl_talks_settle(pl_talks *t, const uint32_t *agreement, double t_norm);
/* The protocols' clock: seconds from a monotonic origin; the normalised
 * time of round (or mediator step) k, 1-based: (k - 1) / rounds, or with
 * a wall-time deadline the fraction of it used since t0; and whether the
 * deadline has passed before round k. */
double pl_talks_now(void);
double pl_talks_clock(const pl_talks_options *o, uint32_t k, double t0);
bool pl_talks_deadline_passed(const pl_talks_options *o, uint32_t k, double t0);

#endif
