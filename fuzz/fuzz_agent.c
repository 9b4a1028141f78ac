/* fuzz_agent.c - agent specifications as given to --agents and in
 * tournament configs ("boulware:e=0.2", "conceder:e=1.5,k=0.1"). */
#include "fuzz.h"
#include "negotiation/agent.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  pl_agent_spec spec;
  char msg[512];
  (void)pl_agent_parse(text, &spec, msg, sizeof msg);
  free(text);
  return 0;
}
