/* agent.h - the interface between a negotiation protocol and an agent.
 *
 * An agent is a struct of function pointers (pl_agent_class) and a block of
 * private state. Agents see only what a negotiator would: the issues, their
 * own preferences (utility, reservation value, red lines, and by default
 * their own ratifiers' verdicts: the two-level game), the number of
 * parties, the time, and the public actions. They never see another party's
 * utility. The protocol enforces the rules. A researcher adds an agent in
 * one file: see docs/agents.md and src/negotiation/agents_*.c; the built-in
 * agents use nothing but this header. Agents outside the library use
 * include/parley_agent.h alone (plug-ins, pl_agent_register).
 */
#ifndef PL_NEGOTIATION_AGENT_H
#define PL_NEGOTIATION_AGENT_H

#include "model/scenario.h"
#include "parley_agent.h"
#include "util/rng.h"

#include <stdbool.h>
#include <stdint.h>

/* The public part (pl_self_* services, pl_act, pl_agent_class, the
 * registry and plug-ins) is include/parley_agent.h; what follows is for the
 * library's protocols and built-in agents. */

/* The agent's own random numbers (seeded from the negotiation's seed). */
pl_rng *pl_self_rng(pl_self *me);
/* The protocol's clock, set before every turn: the current round
 * (1-based; 0 outside a protocol) and the deadline in rounds (0 when the
 * deadline is wall time). Agents that must reproduce another platform's
 * timeline exactly (agents_genius.c) compute their time from these. */
uint32_t pl_self_round(const pl_self *me);
uint32_t pl_self_deadline(const pl_self *me);

/* The built-in agents, in the order `parley agents` lists them (the
 * registry, pl_agent_count and pl_agent_at, follows them with the
 * registered ones). */
const pl_agent_class *const *pl_agent_classes(size_t *count);
/* Checks a class before it is registered: false with a message. */
bool pl_agent_class_check(const pl_agent_class *c, char *msg, size_t len);
/* Registers the n classes, all or none (checked, names free); false with a
 * message. Classes already registered are skipped. */
bool pl_agent_register_all(const pl_agent_class *const *list, size_t n,
                           char *msg, size_t len);

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
