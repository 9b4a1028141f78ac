/* pacer.c - a negotiating agent as a parley plug-in (docs/agents.md,
 * section 11).
 *
 * "pacer" holds out at its best outcome for the first `hold` share of the
 * time, then concedes along u(t) = best - (best - floor) * s^e with s the
 * share of the remaining time gone, towards a floor that is the better of
 * its reservation value and the best utility the others have offered it
 * so far: it never asks for less than it has already been offered. It
 * accepts an offer worth at least what it would ask next.
 *
 * It uses nothing but <parley_agent.h>, so it builds against an installed
 * parley: see CMakeLists.txt (find_package) or Makefile (pkg-config).
 *
 *   parley negotiate --agent-lib ./pacer.so --agents pacer:e=0.5,boulware
 */
#include <parley_agent.h>

#include <math.h>
#include <stdlib.h>

typedef struct pacer {
  double e, hold; /* parameters */
  double best;    /* best utility it can sign */
  double offered; /* best utility offered to it so far (-1: none) */
  uint32_t issues;
} pacer;

static const pl_param_spec PARAMS[] = {
    {"e", 1.0, 0.05, 20.0, "concession exponent: below 1 concedes early"},
    {"hold", 0.2, 0.0, 0.95, "share of the time it holds out at its best"},
    {NULL, 0, 0, 0, NULL}};

static bool pacer_start(void *state, pl_self *me, const double *p, char *msg,
                        size_t msglen) {
  (void)msg, (void)msglen;
  pacer *a = state;
  a->e = p[0];
  a->hold = p[1];
  a->best = pl_self_best(me);
  a->offered = -1;
  a->issues = pl_self_issues(me);
  return true;
}

/* What it asks for at time t. */
static double target(const pacer *a, const pl_self *me, double t) {
  double floor = pl_self_reservation(me);
  if (a->offered > floor)
    floor = a->offered;
  if (floor > a->best)
    return a->best;
  double s = t <= a->hold ? 0 : (t - a->hold) / (1 - a->hold);
  return a->best - (a->best - floor) * pow(s, a->e);
}

static pl_act pacer_act(void *state, pl_self *me, double t,
                        const uint32_t *table, uint32_t *offer) {
  pacer *a = state;
  double want = target(a, me, t);
  if (table && pl_self_can_sign(me, table) &&
      pl_self_utility(me, table) >= want - 1e-12)
    return PL_ACT_ACCEPT;
  /* The outcome it can sign closest to the target from above. */
  if (!pl_self_near(me, want, want, 1.0, offer) &&
      !pl_self_near(me, want, 0.0, 1.0, offer))
    return PL_ACT_END; /* it can sign nothing at all */
  return PL_ACT_OFFER;
}

static void pacer_observe(void *state, pl_self *me, uint32_t party, pl_act act,
                          const uint32_t *offer) {
  (void)party;
  pacer *a = state;
  if (act == PL_ACT_OFFER && pl_self_can_sign(me, offer)) {
    double u = pl_self_utility(me, offer);
    if (u > a->offered)
      a->offered = u;
  }
}

static const pl_agent_class PACER = {
    .name = "pacer",
    .summary = "holds out, then concedes towards the best offer received "
               "(example plug-in)",
    .source = "examples/agents/pacer.c",
    .params = PARAMS,
    .state_size = sizeof(pacer),
    .start = pacer_start,
    .act = pacer_act,
    .observe = pacer_observe,
};

static const pl_agent_class *const CLASSES[] = {&PACER, NULL};

/* The plug-in's entry point: the one symbol parley looks up. */
PL_AGENT_PLUGIN_EXPORT const pl_agent_plugin *parley_agent_plugin(void) {
  static const pl_agent_plugin plugin = {PL_AGENT_ABI_VERSION, "pacer",
                                         CLASSES};
  return &plugin;
}
