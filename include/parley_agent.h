/* parley_agent.h - writing negotiating agents for libparley.
 *
 * An agent is a pl_agent_class (a name, parameters and a few callbacks) and
 * a block of private state the protocol allocates and zeroes for each
 * negotiation. Agents see only what a negotiator would, through the
 * pl_self_* services: the issues, their own preferences (utility,
 * reservation value, red lines and, by default, their own ratifiers'
 * verdicts), the number of parties, the time and the public actions. They
 * never see another party's utility. The protocol enforces the rules: an
 * invalid offer ends the talks with a protocol violation naming the party.
 *
 * Two ways to bring an agent (docs/agents.md, section 11):
 *   - in your own program: pl_agent_register(&my_class, d), then use its
 *     name in pl_negotiation_options.agents or a tournament configuration;
 *   - as a plug-in: a shared object that defines PL_AGENT_PLUGIN_SYMBOL
 *     ("parley_agent_plugin"), loaded with `parley negotiate --agent-lib
 *     FILE.so`, "agent_libs" in a tournament configuration, or
 *     pl_agent_load_plugin. examples/agents/ is a complete plug-in.
 * Either way the agent is used by name exactly like a built-in one,
 * parameters included ("mine:speed=2").
 *
 * Callbacks may run on several threads at once (tournaments), each call
 * with its own state and pl_self: keep everything in the state block.
 */
#ifndef PARLEY_AGENT_H
#define PARLEY_AGENT_H

#include "parley.h"

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

/* Bumped whenever pl_agent_class, pl_agent_plugin or the meaning of a
 * pl_self_* service changes; a plug-in built with another value is
 * refused. */
#define PL_AGENT_ABI_VERSION 1

/* ---- What an agent may know about itself --------------------------------- */

typedef struct pl_self pl_self; /* opaque: the agent's window on the world */

uint32_t pl_self_index(const pl_self *me);   /* party index */
uint32_t pl_self_parties(const pl_self *me); /* number of parties */
uint32_t pl_self_issues(const pl_self *me);
uint32_t pl_self_values(const pl_self *me, uint32_t issue);
/* The scenario, for issue and value names only (pl_issue_name,
 * pl_issue_value_text): an agent must not read other parties' utilities. */
const pl_scenario *pl_self_domain(const pl_self *me);
/* The agent's own utility of an outcome (one value index per issue). */
double pl_self_utility(const pl_self *me, const uint32_t *outcome);
double pl_self_reservation(const pl_self *me);
double pl_self_discount(const pl_self *me);
/* Whether the outcome is one this party can sign: every constraint and its
 * own red lines hold and (when the two-level game is on) each of its own
 * ratifiers approves. */
bool pl_self_can_sign(const pl_self *me, const uint32_t *outcome);
/* The agent's own random numbers, seeded from the negotiation's seed and
 * the party: uniform in [0, 1), and uniform in 0 .. n-1 (0 when n is 0). */
double pl_self_random(pl_self *me);
uint64_t pl_self_random_below(pl_self *me, uint64_t n);

/* The negotiation's pl_negotiation_options.agent_context (NULL when not
 * set): how an agent of your program reaches the program. */
void *pl_self_context(const pl_self *me);

/* An agent that cannot go on (an exception in a language binding, a
 * resource it lacks) says why before returning an action that is none of
 * PL_ACT_OFFER, PL_ACT_ACCEPT and PL_ACT_END: the protocol violation that
 * ends the talks then carries the text ("violation" in the JSON) instead
 * of "unknown action". At most 255 bytes are kept; the last call wins. */
void pl_self_fail(pl_self *me, const char *why);

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

/* pl_act (PL_ACT_OFFER, PL_ACT_ACCEPT, PL_ACT_END) is declared in
 * parley_results.h, which parley.h includes: traces report it too. */

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
  /* Canonical name, e.g. "boulware": letters, digits, '-' and '_' (names
   * match whatever their ASCII case). */
  const char *name;
  const char *summary;         /* one line for `parley agents` */
  const char *source;          /* the published rule it follows, or NULL */
  const pl_param_spec *params; /* NULL-name terminated, or NULL */
  size_t state_size;           /* bytes of private state (zeroed) */
  /* Called once before the talks; p[k] is the value of params[k]. Return
   * false (with a message in msg) to refuse, e.g. a bad parameter. */
  bool (*start)(void *state, pl_self *me, const double *p, char *msg,
                size_t msglen);
  /* SAOP turn at normalised time t in [0, 1): `table` is the outcome on the
   * table or NULL at the very first turn. Return the action; for an offer,
   * write it into `offer`. Required. */
  pl_act (*act)(void *state, pl_self *me, double t, const uint32_t *table,
                uint32_t *offer);
  /* Every action of the other parties (offer is NULL unless an offer). */
  void (*observe)(void *state, pl_self *me, uint32_t party, pl_act act,
                  const uint32_t *offer);
  /* Mediated single text: is `proposed` better for me than `current`?
   * NULL: yes iff my utility of proposed is higher. */
  bool (*vote)(void *state, pl_self *me, double t, const uint32_t *current,
               const uint32_t *proposed);
  /* Mediated single text, at the end: sign the final text? NULL: yes iff
   * it can be signed and is worth at least the reservation value. */
  bool (*sign)(void *state, pl_self *me, const uint32_t *text);
  void (*finish)(void *state); /* release what start allocated; may be NULL */
} pl_agent_class;

/* ---- The registry ---------------------------------------------------------
 *
 * The built-in agents, then those registered, in order of registration.
 * The registry is the process's (like the plug-ins' code, which lives in
 * the process): classes are added, never removed, and must stay valid
 * until the process ends. It is safe to read from any thread while
 * another registers. */

size_t pl_agent_count(void);
const pl_agent_class *pl_agent_at(size_t i); /* NULL when i >= count */
/* By name, whatever its ASCII case; NULL when there is none. */
const pl_agent_class *pl_agent_find(const char *name);

/* Adds an agent of the caller's process. PL_EINPUT with a message in d
 * when the class is incomplete (no name or act, a bad name, more than
 * PL_AGENT_MAX_PARAMS parameters, a default outside its range) or its name
 * is taken; registering the same class twice is a no-op. */
pl_status pl_agent_register(const pl_agent_class *c, pl_diag *d);

/* ---- Plug-ins -------------------------------------------------------------
 *
 * A plug-in is a shared object defining one function, its entry point:
 *
 *   PL_AGENT_PLUGIN_EXPORT const pl_agent_plugin *parley_agent_plugin(void)
 *   { static const pl_agent_plugin p = {PL_AGENT_ABI_VERSION, "mine",
 *                                       classes};
 *     return &p; }
 */

typedef struct pl_agent_plugin {
  uint32_t abi;     /* PL_AGENT_ABI_VERSION as the plug-in was compiled */
  const char *name; /* the plug-in's name, for messages */
  const pl_agent_class *const *classes; /* NULL-terminated */
} pl_agent_plugin;

#define PL_AGENT_PLUGIN_SYMBOL "parley_agent_plugin"
#define PL_AGENT_PLUGIN_EXPORT __attribute__((visibility("default")))
const pl_agent_plugin *parley_agent_plugin(void);

/* Opens the shared object at `path` (a path without '/' is taken in the
 * current folder, not the library search path) and registers its agents,
 * all or none. PL_EINPUT with a message naming the file when it cannot be
 * opened, has no entry point, was built for another PL_AGENT_ABI_VERSION,
 * or one of its agents is invalid or takes a name already used. Loading
 * the same plug-in again is a no-op. The object is never unloaded. */
pl_status pl_agent_load_plugin(const char *path, pl_diag *d);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif
