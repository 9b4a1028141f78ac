/* fuzz_options.c - the option strings the library parses: stability's
 * --coalitions and --from (on the built-in conflict), a negotiation's
 * --agents list, --mediator and --start-from, and the analysis's
 * --package (up to four, one per line) and --groups (on the built-in
 * scenario). The input is "FIELD\nVALUE": FIELD picks the option. */
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

/* The whole analysis with the design stage (who blocks, repairs, the
 * agenda) on the talks: 8,100 packages, enumerated. */
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
  pl_scenario *s = pl_scenario_builtin(pl_builtin_default(), d);
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
