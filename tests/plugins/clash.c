/* clash.c - a test plug-in with two agents, the second named like a
 * built-in ("Boulware"): parley must refuse the plug-in, loading neither. */
#include "parley_agent.h"

static pl_act clash_act(void *state, pl_self *me, double t,
                        const uint32_t *table, uint32_t *offer) {
  (void)state, (void)me, (void)t, (void)table, (void)offer;
  return PL_ACT_END;
}

static const pl_agent_class FIRST = {
    .name = "innocent", .summary = "never loaded (test)", .act = clash_act};
static const pl_agent_class SECOND = {
    .name = "Boulware", .summary = "never loaded (test)", .act = clash_act};
static const pl_agent_class *const CLASSES[] = {&FIRST, &SECOND, NULL};

PL_AGENT_PLUGIN_EXPORT const pl_agent_plugin *parley_agent_plugin(void) {
  static const pl_agent_plugin p = {PL_AGENT_ABI_VERSION, "clash", CLASSES};
  return &p;
}
