/* agent.h - the interface between a negotiation protocol and an agent.
 *
 * An agent is a struct of function pointers (pl_agent_class) and a block of
 * private state. Agents see only what a negotiator would: the issues, their
 * own preferences (utility, reservation value, red lines, and by default
 * their own ratifiers' verdicts: the two-level game), the number of
 * parties, the time, and the public actions. They never see another party's
 * utility. The protocol enforces the rules. A researcher adds an agent in
 * one file: see docs/agents.md and src/negotiation/agents_*.c; the built-in
 * agents use nothing but this header.
 */
#ifndef PL_NEGOTIATION_AGENT_H
#define PL_NEGOTIATION_AGENT_H

#include "model/scenario.h"
#include "util/rng.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- What an agent may know about itself --------------------------------- */

typedef struct pl_self pl_self; /* opaque: the agent's window on the world */

uint32_t pl_self_index(const pl_self *me);   /* party index */
uint32_t pl_self_parties(const pl_self *me); /* number of parties */
uint32_t pl_self_issues(const pl_self *me);
uint32_t pl_self_values(const pl_self *me, uint32_t issue);
const pl_scenario *pl_self_domain(const pl_self *me); /* issue names only */
/* The agent's own utility of an outcome (one value index per issue). */
double pl_self_utility(const pl_self *me, const uint32_t *outcome);
double pl_self_reservation(const pl_self *me);
double pl_self_discount(const pl_self *me);
/* Whether the outcome is one this party can sign: every constraint and its
 * own red lines hold and (when the two-level game is on) each of its own
 * ratifiers approves. */
bool pl_self_can_sign(const pl_self *me, const uint32_t *outcome);
/* The agent's own random numbers (seeded from the negotiation's seed). */
pl_rng *pl_self_rng(pl_self *me);
/* The protocol's clock, set before every turn: the current round
 * (1-based; 0 outside a protocol) and the deadline in rounds (0 when the
 * deadline is wall time). Agents that must reproduce another platform's
 * timeline exactly (agents_genius.c) compute their time from these. */
uint32_t pl_self_round(const pl_self *me);
uint32_t pl_self_deadline(const pl_self *me);

/* Best and worst utility of outcomes it can sign (0 and 0 when none). */
double pl_self_best(const pl_self *me);
double pl_self_worst(const pl_self *me);

/* The search service: an outcome the agent can sign with utility in
 * [lo, hi], the one closest to `target` from above (the smallest utility
 * >= target; if none is >= target, the largest below it), ties broken by
 * the smallest outcome index. Works without holding the whole space when
 * it is large. Writes the outcome and returns true; false when no outcome
 * in [lo, hi] can be signed. */
bool pl_self_near(pl_self *me, double target, double lo, double hi,
                  uint32_t *outcome);
/* Like pl_self_near, but among the outcomes within `tie` of the closest
 * utility, the one maximising score(outcome, ctx) (for example an
 * opponent model's estimate of the others' utility). */
bool pl_self_near_scored(pl_self *me, double target, double lo, double hi,
                         double tie,
                         double (*score)(const uint32_t *outcome, void *ctx),
                         void *ctx, uint32_t *outcome);
/* The n-th best outcome the agent can sign (0 = best), in order of its own
 * utility descending, ties by smaller index; false past the last. For
 * agents that walk down their own ranking (MiCRO). */
bool pl_self_ranked(pl_self *me, uint64_t n, uint32_t *outcome);

/* ---- Actions --------------------------------------------------------------
 */

typedef enum pl_act {
  PL_ACT_OFFER = 0,  /* put an outcome on the table */
  PL_ACT_ACCEPT = 1, /* accept the outcome on the table */
  PL_ACT_END = 2     /* walk away: the talks end without agreement */
} pl_act;

/* ---- Parameters ("boulware:e=0.2,k=0") ---------------------------------- */

enum { PL_AGENT_MAX_PARAMS = 8 };

typedef struct pl_param_spec {
  const char *name;
  double def, min, max;
  const char *help;
} pl_param_spec;

/* ---- The agent class ------------------------------------------------------
 */

typedef struct pl_agent_class {
  const char *name;            /* canonical name, e.g. "boulware" */
  const char *summary;         /* one line for `parley agents` */
  const char *source;          /* the published rule it follows */
  const pl_param_spec *params; /* NULL-name terminated, or NULL */
  size_t state_size;           /* bytes of private state (zeroed) */
  /* Called once before the talks; p[k] is the value of params[k]. Return
   * false (with a message in msg) to refuse, e.g. a bad parameter. */
  bool (*start)(void *state, pl_self *me, const double *p, char *msg,
                size_t msglen);
  /* SAOP turn at normalised time t in [0, 1): `table` is the outcome on the
   * table or NULL at the very first turn. Return the action; for an offer,
   * write it into `offer`. */
  pl_act (*act)(void *state, pl_self *me, double t, const uint32_t *table,
                uint32_t *offer);
  /* Every action of the other parties (offer is NULL unless an offer). */
  void (*observe)(void *state, pl_self *me, uint32_t party, pl_act act,
                  const uint32_t *offer);
  /* Mediated single text: is `proposed` better for me than `current`?
   * NULL: yes iff my utility of proposed is higher (see agent.c). */
  bool (*vote)(void *state, pl_self *me, double t, const uint32_t *current,
               const uint32_t *proposed);
  /* Mediated single text, at the end: sign the final text? NULL: yes iff
   * it can be signed and is worth at least the reservation value. */
  bool (*sign)(void *state, pl_self *me, const uint32_t *text);
  void (*finish)(void *state); /* release what start allocated; may be NULL */
} pl_agent_class;

/* The built-in agents, in the order `parley agents` lists them. */
const pl_agent_class *const *pl_agent_classes(size_t *count);
const pl_agent_class *pl_agent_find(const char *name);

/* A configured agent: "name" or "name:p=v,q=w". False with a message when
 * the name or a parameter is unknown or out of range. */
typedef struct pl_agent_spec {
  const pl_agent_class *cls;
  double p[PL_AGENT_MAX_PARAMS];
  char text[128]; /* as written */
} pl_agent_spec;

bool pl_agent_parse(const char *text, pl_agent_spec *out, char *msg,
                    size_t msglen);

#endif
