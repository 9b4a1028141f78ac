/* cheat.c - a test plug-in whose agent breaks the rules: at its first turn
 * it offers a value one past the last of issue 0, which the protocol must
 * refuse as a protocol violation naming the party (tests/test_plugins.c). */
#include "parley_agent.h"

static pl_act cheat_act(void *state, pl_self *me, double t,
                        const uint32_t *table, uint32_t *offer) {
  (void)state, (void)t, (void)table;
  for (uint32_t i = 0; i < pl_self_issues(me); i++)
    offer[i] = 0;
  offer[0] = pl_self_values(me, 0); /* out of range */
  return PL_ACT_OFFER;
}

static const pl_agent_class CHEAT = {.name = "cheat",
                                     .summary =
                                         "offers an invalid package (test)",
                                     .act = cheat_act};
static const pl_agent_class *const CLASSES[] = {&CHEAT, NULL};

PL_AGENT_PLUGIN_EXPORT const pl_agent_plugin *parley_agent_plugin(void) {
  static const pl_agent_plugin p = {PL_AGENT_ABI_VERSION, "cheat", CLASSES};
  return &p;
}
