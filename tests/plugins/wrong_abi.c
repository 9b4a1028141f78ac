/* wrong_abi.c - a test plug-in that claims to be built for the next agent
 * ABI: parley must refuse it, naming the file and both versions. */
#include "parley_agent.h"

static pl_act future_act(void *state, pl_self *me, double t,
                         const uint32_t *table, uint32_t *offer) {
  (void)state, (void)me, (void)t, (void)table, (void)offer;
  return PL_ACT_END;
}

static const pl_agent_class FUTURE = {
    .name = "future", .summary = "never loaded (test)", .act = future_act};
static const pl_agent_class *const CLASSES[] = {&FUTURE, NULL};

PL_AGENT_PLUGIN_EXPORT const pl_agent_plugin *parley_agent_plugin(void) {
  static const pl_agent_plugin p = {PL_AGENT_ABI_VERSION + 1, "future",
                                    CLASSES};
  return &p;
}
