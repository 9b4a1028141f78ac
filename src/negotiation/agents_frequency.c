/* agents_frequency.c - frequency: the HardHeaded agent (van Krimpen,
 * Looije & Hajizadeh; winner of ANAC 2011) as GENIUS 10.4's KLH.java runs
 * it, reduced to its two published parts: its concession curve (KLH.get_p)
 * and its frequency opponent model (KLH.updateLearner), one model per
 * opponent (shared/reference/frequency-opponent-model.txt,
 * shared/reference/time-dependent-tactics.txt).
 *
 * Each turn it aims at p(t), looks at the outcomes it can sign whose
 * utility lies within 0.01 above the closest one to p(t) from above
 * (KLH's UTILITY_TOLORANCE), and offers the one its models say the others
 * like best: the mean of the models' estimates over the other parties
 * (with one opponent, that opponent's estimate).
 */
#include "negotiation/agent.h"
#include "negotiation/tactics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The opponent model ---------------------------------------------------
 */

#define LEARNING_COEF 0.2  /* KLH.LEARNING_COEF */
#define VALUE_ADDITION 1.0 /* KLH.LEARNING_VALUE_ADDITION */

void pl_freq_free(pl_freq_model *m) {
  free(m->offset);
  free(m->nvalues);
  free(m->w);
  free(m->count);
  free(m->max);
  free(m->last);
  memset(m, 0, sizeof *m);
}

bool pl_freq_init(pl_freq_model *m, uint32_t nissues, const uint32_t *nvalues) {
  memset(m, 0, sizeof *m);
  size_t n = nissues ? nissues : 1, total = 0;
  for (uint32_t i = 0; i < nissues; i++)
    total += nvalues[i];
  m->nissues = nissues;
  m->offset = malloc(n * sizeof *m->offset);
  m->nvalues = malloc(n * sizeof *m->nvalues);
  m->w = malloc(n * sizeof *m->w);
  m->max = malloc(n * sizeof *m->max);
  m->last = malloc(n * sizeof *m->last);
  m->count = malloc((total ? total : 1) * sizeof *m->count);
  if (!m->offset || !m->nvalues || !m->w || !m->max || !m->last || !m->count) {
    pl_freq_free(m);
    return false;
  }
  uint32_t at = 0;
  for (uint32_t i = 0; i < nissues; i++) {
    m->offset[i] = at;
    m->nvalues[i] = nvalues[i];
    m->w[i] = 1.0 / nissues;
    m->max[i] = 1;
    at += nvalues[i];
  }
  for (size_t v = 0; v < total; v++)
    m->count[v] = 1; /* every value starts at 1 (KLH.init) */
  return true;
}

/* Issues the opponent did not change are the ones it cares about: each
 * gains eps before the weights are normalised again, unless it already
 * holds the most a weight may (so that every weight keeps at least eps of
 * the total). The expressions keep KLH's order of operations, so the
 * weights agree with GENIUS's to the last bit. */
static void learn_weights(pl_freq_model *m, const uint32_t *bid) {
  uint32_t n = m->nissues, unchanged = 0;
  for (uint32_t i = 0; i < n; i++)
    unchanged += bid[i] == m->last[i];
  double eps = LEARNING_COEF / n;
  double total = 1.0 + eps * unchanged;
  double wmax = 1.0 - n * eps / total;
  for (uint32_t i = 0; i < n; i++) {
    if (bid[i] == m->last[i] && m->w[i] < wmax)
      m->w[i] = (m->w[i] + eps) / total;
    else
      m->w[i] = m->w[i] / total;
  }
}

void pl_freq_update(pl_freq_model *m, const uint32_t *bid) {
  if (m->nissues == 0)
    return;
  /* The first bid only becomes `last`: KLH learns from the difference of
   * the last two bids and counts values from the second bid on. */
  if (++m->bids >= 2) {
    learn_weights(m, bid);
    for (uint32_t i = 0; i < m->nissues; i++) {
      double *c = &m->count[m->offset[i] + bid[i]];
      *c += VALUE_ADDITION;
      if (*c > m->max[i])
        m->max[i] = *c;
    }
  }
  memcpy(m->last, bid, m->nissues * sizeof *bid);
}

double pl_freq_predict(const pl_freq_model *m, const uint32_t *outcome) {
  double u = 0;
  for (uint32_t i = 0; i < m->nissues; i++) /* EvaluatorDiscrete.normalize */
    u += m->w[i] * (m->count[m->offset[i] + outcome[i]] / m->max[i]);
  return u;
}

/* ---- The concession curve -------------------------------------------------
 */

static double hh_fraction(double x, double e, double ka) {
  return ka + (1 - ka) * pow(x, 1 / e);
}

double pl_hardheaded_target(double t, double discount, double e, double ka,
                            double lo, double hi) {
  double d = discount > 0 && discount <= 1 ? discount : 1;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  double p;
  if (d >= 0.9) { /* discounting too mild to matter: ignore it */
    p = lo + (1 - hh_fraction(t / d, e, ka)) * (hi - lo);
  } else if (t <= d) { /* concede only part of the way before time d */
    double lo2 = lo + fabs(hi - lo) * d;
    p = lo2 + (1 - hh_fraction(t / d, e / d, ka)) * (hi - lo2);
  } else { /* then fast (e = 30) the rest of the way down */
    double hi2 = lo + fabs(hi - lo) * d;
    p = lo + (1 - hh_fraction((t - d) / (1 - d), 30, ka)) * (hi2 - lo);
  }
  return fmin(fmax(p, lo), hi);
}

/* ---- The agent ------------------------------------------------------------
 */

#define TIE_WINDOW 0.01 /* KLH.UTILITY_TOLORANCE */

typedef struct hardheaded {
  double e, ka;
  double lo, hi; /* MinUtil, MaxUtil */
  double discount;
  double lowest;      /* lowestYetUtility: the least it has offered itself */
  bool ranked;        /* small space: near-ties are broken by the models */
  pl_near_cache near; /* large space: no tie-breaking, so answers repeat */
  uint32_t self, parties;
  pl_freq_model model[PL_MAX_PARTIES]; /* one per other party */
} hardheaded;

static bool hh_start(void *state, pl_self *me, const double *p, char *msg,
                     size_t msglen) {
  hardheaded *a = state;
  a->e = p[0];
  a->ka = p[1];
  a->hi = pl_self_best(me);
  /* KLH sets MinUtil to 0.585 and never lets the reservation value reach
   * the curve (it updates a copy the curve does not read); parley keeps
   * 0.585 but never aims below the reservation value or the worst outcome
   * it can sign, nor above its best. */
  double lo = fmax(fmax(p[2], pl_self_reservation(me)), pl_self_worst(me));
  a->lo = lo > a->hi && pl_self_reservation(me) <= a->hi ? a->hi : lo;
  a->discount = pl_self_discount(me);
  a->lowest = a->hi;
  uint32_t tmp[PL_MAX_ISSUES];
  a->ranked = pl_self_ranked(me, 0, tmp);
  a->self = pl_self_index(me);
  a->parties = pl_self_parties(me);
  uint32_t n = pl_self_issues(me), nvalues[PL_MAX_ISSUES];
  for (uint32_t i = 0; i < n; i++)
    nvalues[i] = pl_self_values(me, i);
  for (uint32_t q = 0; q < a->parties; q++)
    if (q != a->self && !pl_freq_init(&a->model[q], n, nvalues)) {
      snprintf(msg, msglen, "out of memory for the opponent models");
      return false;
    }
  return true;
}

static void hh_finish(void *state) {
  hardheaded *a = state;
  for (uint32_t q = 0; q < a->parties; q++)
    pl_freq_free(&a->model[q]);
}

static void hh_observe(void *state, pl_self *me, uint32_t party, pl_act act,
                       const uint32_t *offer) {
  (void)me;
  hardheaded *a = state;
  if (act == PL_ACT_OFFER && offer && party != a->self)
    pl_freq_update(&a->model[party], offer);
}

/* What the others are predicted to think of an outcome: the mean of the
 * models, so that every opponent counts the same. */
static double others_estimate(const uint32_t *outcome, void *ctx) {
  const hardheaded *a = ctx;
  double sum = 0;
  uint32_t n = 0;
  for (uint32_t q = 0; q < a->parties; q++)
    if (q != a->self) {
      sum += pl_freq_predict(&a->model[q], outcome);
      n++;
    }
  return n ? sum / n : 0;
}

static pl_act hh_act(void *state, pl_self *me, double t, const uint32_t *table,
                     uint32_t *offer) {
  hardheaded *a = state;
  double target =
      pl_hardheaded_target(t, a->discount, a->e, a->ka, a->lo, a->hi);
  /* In spaces too large to rank pl_self_near_scored is pl_self_near:
   * remember its answer, as the curve is flat for the first half. */
  bool found =
      a->ranked
          ? pl_self_near_scored(me, target, a->lo - PL_EPS, a->hi, TIE_WINDOW,
                                others_estimate, a, offer)
          : pl_near_cached(&a->near, me, target, a->lo - PL_EPS, a->hi, offer);
  if (!found)
    return PL_ACT_END; /* nothing it can sign beats no deal */
  double mine = pl_self_utility(me, offer);
  /* KLH accepts an offer better than anything it has offered so far, or
   * at least as good as what it is about to offer. */
  if (table && pl_self_can_sign(me, table)) {
    double u = pl_self_utility(me, table);
    if (u > a->lowest || pl_at_least(u, mine))
      return PL_ACT_ACCEPT;
  }
  if (mine < a->lowest)
    a->lowest = mine;
  return PL_ACT_OFFER;
}

static const pl_param_spec hh_params[] = {
    {"e", 0.05, 0.001, 100, "concession exponent of the curve (KLH e)"},
    {"k", 0.05, 0, 1, "share of the range conceded at once at t = 0 (KLH Ka)"},
    {"min", 0.585, 0, 1,
     "the least it aims for (KLH MinUtil); the reservation value and the "
     "worst outcome it can sign raise it"},
    {NULL, 0, 0, 0, NULL}};

const pl_agent_class pl_agent_frequency = {
    .name = "frequency",
    .summary = "HardHeaded: Boulware curve, frequency opponent model breaks "
               "near-ties",
    .source = "van Krimpen, Looije & Hajizadeh, HardHeaded (ANAC 2011 "
              "winner); GENIUS 10.4 KLH.java",
    .params = hh_params,
    .state_size = sizeof(hardheaded),
    .start = hh_start,
    .act = hh_act,
    .observe = hh_observe,
    .finish = hh_finish};
