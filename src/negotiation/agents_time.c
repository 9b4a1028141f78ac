/* agents_time.c - the time-dependent agents boulware, linear, conceder and
 * hardliner: Faratin, Sierra & Jennings (1998) in the utility-space form
 * GENIUS 10.4's TimeDependentAgent uses
 * (shared/reference/time-dependent-tactics.txt).
 *
 * Each turn the agent computes its target p(t), offers the outcome it can
 * sign whose utility is closest to p(t) from above (pl_self_near: ties by
 * the lowest outcome index, as these agents have no opponent model), and
 * accepts the outcome on the table instead when it can sign it and it is
 * worth at least that offer (AC_next).
 */
#include "negotiation/agent.h"
#include "negotiation/tactics.h"

#include <math.h>
#include <string.h>

double pl_time_target(double t, double e, double k, double pmin, double pmax) {
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  double f = e == 0 ? k : k + (1 - k) * pow(t, 1 / e);
  return pmin + (pmax - pmin) * (1 - f);
}

bool pl_near_cached(pl_near_cache *c, pl_self *me, double target, double lo,
                    double hi, uint32_t *outcome) {
  uint32_t n = pl_self_issues(me);
  if (!(c->valid && c->target == target)) {
    c->valid = pl_self_near(me, target, lo, hi, c->outcome);
    c->target = target;
  }
  if (c->valid)
    memcpy(outcome, c->outcome, n * sizeof *outcome);
  return c->valid;
}

typedef struct timed {
  double e, k;
  double pmin, pmax;
  pl_near_cache near;
} timed;

/* Pmax is the best outcome it can sign; Pmin never lets it go below its
 * reservation value, nor aim below the worst outcome it could sign. */
static void set_range(timed *a, const pl_self *me) {
  a->pmax = pl_self_best(me);
  a->pmin = fmax(pl_self_reservation(me), pl_self_worst(me));
}

static bool timed_start(void *state, pl_self *me, const double *p, char *msg,
                        size_t msglen) {
  (void)msg, (void)msglen;
  timed *a = state;
  a->e = p[0];
  a->k = p[1];
  set_range(a, me);
  return true;
}

static bool hardliner_start(void *state, pl_self *me, const double *p,
                            char *msg, size_t msglen) {
  (void)p, (void)msg, (void)msglen;
  timed *a = state;
  a->e = 0; /* F(t) = k = 0: the target stays at Pmax */
  a->k = 0;
  set_range(a, me);
  return true;
}

static pl_act timed_act(void *state, pl_self *me, double t,
                        const uint32_t *table, uint32_t *offer) {
  timed *a = state;
  double target = pl_time_target(t, a->e, a->k, a->pmin, a->pmax);
  /* Nothing it can sign is worth its reservation value (for example the
   * reservation is above its best outcome): no deal beats every deal, so
   * it leaves rather than stall the others until the deadline. */
  if (!pl_near_cached(&a->near, me, target, a->pmin - PL_EPS, a->pmax, offer))
    return PL_ACT_END;
  if (table && pl_self_can_sign(me, table) &&
      pl_at_least(pl_self_utility(me, table), pl_self_utility(me, offer)))
    return PL_ACT_ACCEPT;
  return PL_ACT_OFFER;
}

#define E_HELP                                                                 \
  "concession exponent: below 1 concedes late (Boulware), above 1 early "      \
  "(Conceder), 0 never"
#define K_HELP "share of the range [Pmin, Pmax] conceded at once at t = 0"

#define TIMED_PARAMS(name, e)                                                  \
  static const pl_param_spec name[] = {                                        \
      {"e", e, 0, 100, E_HELP}, {"k", 0, 0, 1, K_HELP}, {NULL, 0, 0, 0, NULL}}

TIMED_PARAMS(boulware_params, 0.2);
TIMED_PARAMS(linear_params, 1);
TIMED_PARAMS(conceder_params, 2);

#define TIME_SOURCE                                                            \
  "Faratin, Sierra & Jennings 1998; GENIUS 10.4 TimeDependentAgent"

const pl_agent_class pl_agent_boulware = {
    .name = "boulware",
    .summary = "time-dependent, concedes late (e = 0.2)",
    .source = TIME_SOURCE,
    .params = boulware_params,
    .state_size = sizeof(timed),
    .start = timed_start,
    .act = timed_act};

const pl_agent_class pl_agent_linear = {
    .name = "linear",
    .summary = "time-dependent, concedes at a constant rate (e = 1)",
    .source = TIME_SOURCE,
    .params = linear_params,
    .state_size = sizeof(timed),
    .start = timed_start,
    .act = timed_act};

const pl_agent_class pl_agent_conceder = {
    .name = "conceder",
    .summary = "time-dependent, concedes early (e = 2)",
    .source = TIME_SOURCE,
    .params = conceder_params,
    .state_size = sizeof(timed),
    .start = timed_start,
    .act = timed_act};

const pl_agent_class pl_agent_hardliner = {
    .name = "hardliner",
    .summary = "always offers its best outcome, accepts only one as good",
    .source = "the e = 0 time-dependent tactic (Faratin et al. 1998); "
              "negmas 'hardheaded' aspiration",
    .params = NULL,
    .state_size = sizeof(timed),
    .start = hardliner_start,
    .act = timed_act};
