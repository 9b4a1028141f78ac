/* fuzz_options.c - the option strings the library parses: stability's
 * --coalitions and --from (on the built-in conflict), a negotiation's
 * --agents list, --mediator and --start-from, and the analysis's
 * --package (up to four, one per line) and --groups (on a small copy of
 * the talks). The input is "FIELD\nVALUE": FIELD picks the option. */
#include "fuzz.h"
#include "parley.h"

#include <stdlib.h>
#include <string.h>

static void stability(const char *coalitions, const char *from) {
  pl_diag *d = pl_diag_new();
  pl_conflict *c = pl_conflict_builtin(d);
  pl_stability_options o;
  pl_stability_options_init(&o);
  o.threads = 1;
  o.coalitions = coalitions;
  o.from = from;
  pl_status st;
  pl_stability_free(pl_stability_analyze(c, &o, d, &st));
  pl_conflict_free(c);
  pl_diag_free(d);
}

static void negotiation(const char *agents, const char *mediator,
                        const char *start) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_builtin(pl_builtin_default(), d);
  pl_negotiation_options o;
  pl_negotiation_options_init(&o);
  o.rounds = 5;
  o.threads = 1;
  o.agents = agents;
  if (mediator || start)
    o.protocol = "mediated";
  o.mediator = mediator;
  o.start_from = start;
  pl_status st;
  pl_negotiation_free(pl_negotiate(s, &o, d, &st));
  pl_scenario_free(s);
  pl_diag_free(d);
}

/* The talks cut down to 81 packages, with what the design stage looks at
 * (red lines, a ratifier, a proposal), so that an analysis takes
 * milliseconds, not the 8,100-package talks' tenth of a second. */
static const char SMALL_TALKS[] =
    "{\"parley\": 1, \"name\": \"small talks\", \"issues\": ["
    "{\"name\": \"donbas\", \"type\": \"categorical\", \"options\": "
    "[\"stays Ukrainian\", \"demilitarised free economic zone\", "
    "\"Russian control\"]},"
    "{\"name\": \"ua_withdrawal_km\", \"type\": \"integer\", \"min\": 0, "
    "\"max\": 40, \"step\": 20},"
    "{\"name\": \"guarantees\", \"type\": \"categorical\", \"options\": "
    "[\"none\", \"European forces only\", \"US treaty-level\"]},"
    "{\"name\": \"monitoring\", \"type\": \"categorical\", \"options\": "
    "[\"none\", \"observers\", \"Coalition of the Willing troops\"]}],"
    "\"parties\": ["
    "{\"name\": \"United States\", \"reservation\": 0.5, \"weights\": "
    "{\"donbas\": 0.4, \"ua_withdrawal_km\": 0.1, \"guarantees\": 0.3, "
    "\"monitoring\": 0.2}, \"values\": {\"donbas\": {\"stays Ukrainian\": "
    "0.6, \"demilitarised free economic zone\": 1, \"Russian control\": "
    "0.5}, \"ua_withdrawal_km\": {\"shape\": \"linear\", \"best\": "
    "\"max\"}, \"guarantees\": {\"none\": 0.3, \"European forces only\": "
    "1, \"US treaty-level\": 0.2}, \"monitoring\": {\"none\": 0.2, "
    "\"observers\": 0.7, \"Coalition of the Willing troops\": 1}}},"
    "{\"name\": \"Ukraine\", \"reservation\": 0.45, \"weights\": "
    "{\"donbas\": 0.5, \"ua_withdrawal_km\": 0.1, \"guarantees\": 0.3, "
    "\"monitoring\": 0.1}, \"values\": {\"donbas\": {\"stays Ukrainian\": "
    "1, \"demilitarised free economic zone\": 0.45, \"Russian control\": "
    "0}, \"ua_withdrawal_km\": {\"shape\": \"linear\", \"best\": "
    "\"min\"}, \"guarantees\": {\"none\": 0, \"European forces only\": "
    "0.3, \"US treaty-level\": 1}, \"monitoring\": {\"none\": 0, "
    "\"observers\": 0.4, \"Coalition of the Willing troops\": 1}}, "
    "\"red_lines\": [{\"name\": \"no deal without guarantees\", \"rule\": "
    "\"guarantees != 'none'\"}]},"
    "{\"name\": \"Russia\", \"reservation\": 0.5, \"weights\": "
    "{\"donbas\": 0.6, \"ua_withdrawal_km\": 0.1, \"guarantees\": 0.1, "
    "\"monitoring\": 0.2}, \"values\": {\"donbas\": {\"stays Ukrainian\": "
    "0, \"demilitarised free economic zone\": 0.4, \"Russian control\": "
    "1}, \"ua_withdrawal_km\": {\"shape\": \"linear\", \"best\": "
    "\"max\"}, \"guarantees\": {\"none\": 1, \"European forces only\": "
    "0.2, \"US treaty-level\": 0.3}, \"monitoring\": {\"none\": 1, "
    "\"observers\": 0.7, \"Coalition of the Willing troops\": 0}}}],"
    "\"ratifiers\": [{\"name\": \"US Congress\", \"party\": \"United "
    "States\", \"threshold\": 0.5, \"weights\": {\"guarantees\": 1}, "
    "\"values\": {\"guarantees\": {\"none\": 1, \"European forces only\": "
    "1, \"US treaty-level\": 0.1}}}],"
    "\"proposals\": [{\"name\": \"US proposal\", \"by\": \"United "
    "States\", \"outcome\": {\"donbas\": \"demilitarised free economic "
    "zone\", \"ua_withdrawal_km\": 40, \"guarantees\": \"European forces "
    "only\", \"monitoring\": \"Coalition of the Willing troops\"}}]}";

/* The whole analysis with the design stage (who blocks, repairs, the
 * agenda) on SMALL_TALKS. */
static void analysis(char *packages, const char *groups) {
  const char *list[4];
  size_t n = 0;
  for (char *p = packages; p && n < 4;) {
    list[n++] = p;
    char *nl = strchr(p, '\n');
    if (nl)
      *nl++ = '\0';
    p = nl;
  }
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load_string(SMALL_TALKS, "small.json", d);
  if (!s)
    abort(); /* the target's own scenario must load */
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = 1;
  o.packages = n ? list : NULL;
  o.npackages = n;
  o.groups = groups;
  pl_status st;
  pl_analysis_free(pl_analyze(s, &o, d, &st));
  pl_scenario_free(s);
  pl_diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  char *value = strchr(text, '\n');
  if (value) {
    *value++ = '\0';
    if (!strcmp(text, "coalitions"))
      stability(value, NULL);
    else if (!strcmp(text, "from"))
      stability(NULL, value);
    else if (!strcmp(text, "agents"))
      negotiation(value, NULL, NULL);
    else if (!strcmp(text, "mediator"))
      negotiation(NULL, value, NULL);
    else if (!strcmp(text, "start-from"))
      negotiation(NULL, NULL, value);
    else if (!strcmp(text, "package"))
      analysis(value, NULL);
    else if (!strcmp(text, "groups"))
      analysis(NULL, value);
  }
  free(text);
  return 0;
}
