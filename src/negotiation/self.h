/* self.h - creating the agents' windows on the world (for protocols). */
#ifndef PL_NEGOTIATION_SELF_H
#define PL_NEGOTIATION_SELF_H

#include "negotiation/agent.h"

/* Spaces up to this many outcomes get a sorted table of the outcomes each
 * agent can sign; larger ones are searched by branch and bound. */
#define PL_SELF_TABLE_MAX (1u << 22)

/* `two_level`: the agent knows its own ratifiers and signs only what they
 * approve. The random stream is (seed, stream). NULL when out of memory. */
pl_self *pl_self_new(const pl_scenario *s, uint32_t party, bool two_level,
                     uint64_t seed, uint64_t stream);
void pl_self_free(pl_self *me);

/* How a view answers "the outcome closest to a utility" (pl_self_near):
 * TABLE, every signable outcome sorted by utility; CELLS, one outcome per
 * cell of values the agent cannot tell apart (issues no rule names, values
 * with the same term and boxes), each cell's smallest, sorted the same way
 * (GENIUS hyperrectangle profiles: 10^10 outcomes in 1.4 million cells).
 * When the utility is a sum (capped at 1 or not) with nothing else to
 * check: SUMS, one outcome per distinct utility, the smallest that has it
 * (found issue by issue, keeping the first partial outcome of each
 * running sum), when there are few (equal weights, linear evaluations);
 * MIDDLE, meet in the middle (the last issues' combinations sorted by
 * their sum; a query sums its few candidates exactly in issue order).
 * Else DEPTH_FIRST, a depth-first search bounded by the terms and the boxes
 * still possible. All give the same answers; only TABLE ranks
 * (pl_self_ranked). AUTO (pl_self_new): TABLE up to PL_SELF_TABLE_MAX
 * outcomes, CELLS up to as many cells, else SEARCH: SUMS, MIDDLE or
 * DEPTH_FIRST, the first that applies. Forcing a method is for the tests;
 * one that does not apply falls back to the next (TABLE and CELLS to the
 * search; pl_self_method_used says which answers). */
typedef enum pl_self_method {
  PL_SELF_AUTO,
  PL_SELF_TABLE,
  PL_SELF_CELLS,
  PL_SELF_SEARCH,
  PL_SELF_SUMS,
  PL_SELF_MIDDLE,
  PL_SELF_DEPTH_FIRST
} pl_self_method;
pl_self *pl_self_new_method(const pl_scenario *s, uint32_t party,
                            bool two_level, uint64_t seed, uint64_t stream,
                            pl_self_method method);
pl_self_method pl_self_method_used(const pl_self *me);
/* A new view with its own random stream that shares `model`'s sorted
 * outcomes instead of building them again: a tournament builds one model
 * per scenario and party and shares it with every negotiation. `model`
 * must outlive the view; only the view's random numbers are its own. */
pl_self *pl_self_share(const pl_self *model, uint64_t seed, uint64_t stream);
/* What an agent class derives from the view's scenario and party alone
 * (GENIUS's agents: their ranking of every outcome), made once per model
 * and shared by the model and all its views: the first to ask runs
 * `build` (under the model's lock, so others asking wait for it), later
 * ones get the same pointer. `key` tells the values apart (the address of
 * a static object of the caller's); `release` frees the value with the
 * model. NULL when build gave NULL or memory was short (not remembered:
 * the caller then makes its own). At most PL_SELF_MEMOS keys per model. */
enum { PL_SELF_MEMOS = 4 };
void *pl_self_memo(pl_self *me, const void *key,
                   void *(*build)(pl_self *me, void *arg), void *arg,
                   void (*release)(void *value));
/* Protocols: the round about to be played and the round deadline (0 for a
 * wall-time deadline), read by pl_self_round and pl_self_deadline. */
void pl_self_set_clock(pl_self *me, uint32_t round, uint32_t deadline);
/* What the agent said with pl_self_fail, or NULL. */
const char *pl_self_failure(const pl_self *me);
/* The caller's pointer that pl_self_context returns. */
void pl_self_set_context(pl_self *me, void *context);

#endif
