/* agents_genius.h - the rules behind the GENIUS-compatible time-dependent
 * agents (agents_genius.c), exposed so that the tests can check each one
 * against shared/reference/genius-agents.md without a negotiation.
 *
 * GENIUS 9.1.9 ranks every bid once (genius.core.boaframework.
 * SortedOutcomeSpace): by utility descending, bit-identical utilities by
 * the Java hash code of the bid's details ascending. Its bid for a target
 * utility is where a particular binary search over that ranking lands.
 * Reproducing a GENIUS session deal for deal needs both to the bit.
 */
#ifndef PL_NEGOTIATION_AGENTS_GENIUS_H
#define PL_NEGOTIATION_AGENTS_GENIUS_H

#include "negotiation/agent.h"

#include <stddef.h>
#include <stdint.h>

/* Java's String.hashCode of a UTF-8 string: h = 31 h + c over its UTF-16
 * code units, in 32-bit wrap-around arithmetic. */
int32_t pl_java_string_hash(const char *utf8);

/* The hash of one value of an issue as GENIUS's Bid sees it: the hash of
 * the value's name (integer and real values: their decimal rendering). */
int32_t pl_genius_value_hash(const pl_scenario *s, uint32_t issue,
                             uint32_t value);

/* BidDetails.hashCode of a bid with undiscounted utility u and no time
 * (-1.0): 31 (31 (31 + S) + h(u)) + h(-1.0), S the sum of the value hashes,
 * h(x) = (int)(bits ^ (bits >>> 32)) of x's IEEE bits. */
int32_t pl_genius_bid_hash(int32_t value_hash_sum, double u);

/* An agent's ranking of the outcomes it can sign (on a GENIUS domain:
 * every outcome), in SortedOutcomeSpace's order; ties of utility and hash
 * (which GENIUS leaves to its bid iterator) by outcome index. */
typedef struct pl_genius_space {
  size_t n;
  uint64_t *index; /* outcome index of each rank */
  double *util;    /* the agent's undiscounted utility of each rank */
} pl_genius_space;

/* Ranks the outcomes of me's party. False with a message when the space
 * has more than PL_SELF_TABLE_MAX outcomes or memory runs out. */
bool pl_genius_space_build(pl_genius_space *g, pl_self *me, char *msg,
                           size_t msglen);
void pl_genius_space_free(pl_genius_space *g);

/* The rank getBidNearUtility(p) returns over util[0..n), n > 0, sorted
 * descending: the binary search lands on the last rank strictly above p (or
 * on a rank equal to p, wherever the halving meets it first); the next rank
 * is taken instead only when strictly closer to p. */
size_t pl_genius_near(const double *util, size_t n, double p);

/* GENIUS's time in round r (1-based) of a deadline of N rounds: its
 * DiscreteTimeline has N + 1 rounds, so t = r / (N + 1). */
double pl_genius_time(uint32_t round, uint32_t deadline);

/* Family 2's target (AbstractTimeDependentNegotiationParty) at time x,
 * which in a round deadline is t - 1/(N + 1): 1 - x^(1/e) (1 when e = 0),
 * never below 0. Family 1's is pl_time_target(t, e, 0, Pmin, Pmax). */
double pl_genius_party_target(double x, double e);

#endif
