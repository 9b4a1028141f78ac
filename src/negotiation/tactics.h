/* tactics.h - the pure rules behind the built-in agents.
 *
 * The agents (agents_*.c) are thin wrappers around these functions; they
 * are exposed so that the tests can check each rule against the reference
 * values in shared/reference/ without running a negotiation. docs/agents.md
 * states every rule in words.
 */
#ifndef PL_NEGOTIATION_TACTICS_H
#define PL_NEGOTIATION_TACTICS_H

#include "negotiation/agent.h"

#include <stdbool.h>
#include <stdint.h>

/* Utility comparisons with a reservation value or another utility allow the
 * library's tolerance (PL_EPS), as the ratifiers' thresholds do: two
 * outcomes worth the same on paper may differ in the last bit of their sums,
 * and rounding should never decide a negotiation. */
static inline bool pl_at_least(double u, double x) { return u >= x - PL_EPS; }

/* pl_self_near remembered: the last answer is reused while the agent asks
 * for the same target again (a hardliner every turn, a tit-for-tat agent
 * while the others hold still), which matters in spaces too large to rank,
 * where each search walks the issues. lo and hi must not change. */
typedef struct pl_near_cache {
  bool valid;
  double target;
  uint32_t outcome[PL_MAX_ISSUES];
} pl_near_cache;

bool pl_near_cached(pl_near_cache *c, pl_self *me, double target, double lo,
                    double hi, uint32_t *outcome);

/* ---- Time-dependent tactics (Faratin, Sierra & Jennings 1998) ------------ */

/* The target utility at normalised time t (clamped to [0, 1]) as GENIUS's
 * TimeDependentAgent computes it:
 *   F(t) = k + (1 - k) t^(1/e)      (F(t) = k when e == 0: a hardliner)
 *   p(t) = pmin + (pmax - pmin)(1 - F(t)). */
double pl_time_target(double t, double e, double k, double pmin, double pmax);

/* HardHeaded's concession curve (KLH.get_p, ANAC 2011) with its handling of
 * a discount factor d (any d outside (0, 1] counts as 1):
 *   d >= 0.9:  p = lo + (1 - F(t/d, e)) (hi - lo)
 *   t <= d:    p = lo' + (1 - F(t/d, e/d)) (hi - lo'),  lo' = lo + (hi-lo) d
 *   t >  d:    p = lo + (1 - F((t-d)/(1-d), 30)) (hi' - lo), hi' = lo'
 * with F(x, e) = ka + (1 - ka) x^(1/e). GENIUS lets p fall below lo once
 * t > d when 0.9 <= d < 1; here p is clamped to [lo, hi]. */
double pl_hardheaded_target(double t, double discount, double e, double ka,
                            double lo, double hi);

/* ---- Relative tit-for-tat ------------------------------------------------ */

/* How much of the way to my best an opponent came in one move, in my own
 * utility: (last - prev) / (pmax - prev); 0 when prev >= pmax. Negative
 * when it moved away from me. */
double pl_tft_concession(double prev, double last, double pmax);
/* My next target after mirroring a relative concession r: the same share
 * of my own remaining room, target - r (target - pmin), kept in
 * [pmin, pmax]. */
double pl_tft_next(double target, double r, double pmin, double pmax);

/* ---- HardHeaded's frequency opponent model ------------------------------- */

/* One model per opponent (shared/reference/frequency-opponent-model.txt).
 * Issue i's value v has count[offset[i] + v]; every value starts at 1.
 * Weights start at 1/n and always sum to 1. */
typedef struct pl_freq_model {
  uint32_t nissues;
  uint32_t *offset;  /* per issue: first count of its values */
  uint32_t *nvalues; /* per issue */
  double *w;         /* per issue: estimated weight */
  double *count;     /* per value: how often it was offered (+1) */
  double *max;       /* per issue: the largest count of its values */
  uint32_t *last;    /* the previous bid */
  uint64_t bids;     /* bids received */
} pl_freq_model;

bool pl_freq_init(pl_freq_model *m, uint32_t nissues, const uint32_t *nvalues);
void pl_freq_free(pl_freq_model *m);
/* Learns from one bid of the opponent (the reference's update rules). */
void pl_freq_update(pl_freq_model *m, const uint32_t *bid);
/* The opponent's estimated utility of an outcome:
 * sum_i w_i count_i(o_i) / max_v count_i(v). */
double pl_freq_predict(const pl_freq_model *m, const uint32_t *outcome);

#endif
