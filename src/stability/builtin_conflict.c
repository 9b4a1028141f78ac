/* builtin_conflict.c - the built-in conflict: scenarios/conflicts/talks.json
 * as C strings, one per line of the file (tests/test_stability.c checks that
 * the two are identical).
 *
 * After editing the JSON file, regenerate the table with:
 *   python3 -c 'import json,sys; [print("    " + json.dumps(l + "\n") + ",")
 *     for l in open("scenarios/conflicts/talks.json").read().split("\n")[:-1]]'
 * and paste it over LINES below, then run clang-format (which splits long
 * literals; adjacent literals join). The file is ASCII: non-ASCII
 * characters are written as \u escapes in the JSON.
 */
#include "stability/gm.h"

#include <stdlib.h>
#include <string.h>

static const char *const LINES[] = {
    "{\n",
    "  \"conflict\": 1,\n",
    "  \"name\": \"talks\",\n",
    "  \"title\": \"Trilateral talks on ending the war as a graph model "
    "(illustrative)\",\n",
    "  \"description\": \"An illustrative graph model of the talks described "
    "in a news report ('Zelensky Says Ukraine's Talks With US and Russia Will "
    "Focus on Territory'). Four decision makers each control yes/no options; "
    "each preference is an option statement resting on a sentence of the "
    "report, ranked by an assumption of ours. It is not a forecast: it shows "
    "whether the deal state is stable, who could break it, and how the talks "
    "could get there from the status quo. docs/stability.md explains every "
    "result.\",\n",
    "  \"source\": \"shared/seed/talks-article.txt\",\n",
    "  \"decision_makers\": [\n",
    "    {\n",
    "      \"name\": \"Ukraine\",\n",
    "      \"options\": [\n",
    "        {\n",
    "          \"name\": \"ua_withdraw\",\n",
    "          \"description\": \"withdraws its troops up to 40 km from the "
    "parts of Donetsk it still holds\"\n",
    "        }\n",
    "      ],\n",
    "      \"preferences\": [\n",
    "        {\n",
    "          \"statement\": \"ru_withdraw if ua_withdraw\",\n",
    "          \"source\": \"Ukraine has offered to withdraw troops up to 40 "
    "kilometres from parts of the Donetsk region it still controls, provided "
    "Russia does the same.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"not ru_strikes\",\n",
    "          \"source\": \"Russian strikes on Kyiv's power infrastructure. "
    "Large parts of the capital remain without heating, water, or "
    "electricity.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"us_guarantee\",\n",
    "          \"source\": \"\\u201cNo security guarantees work without the "
    "US,\\u201d Zelensky said.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"eu_monitors\",\n",
    "          \"source\": \"The so-called \\u201cCoalition of the "
    "Willing,\\u201d led by the UK and France, had pledged forces on the "
    "ground to help monitor a potential deal.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"not us_press\",\n",
    "          \"source\": \"\\u201cThe Russians have to be ready for "
    "compromises, not only Ukraine,\\u201d he said.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"not ua_withdraw\",\n",
    "          \"source\": \"Zelensky said land ownership and control remained "
    "the central issue.\"\n",
    "        }\n",
    "      ]\n",
    "    },\n",
    "    {\n",
    "      \"name\": \"Russia\",\n",
    "      \"options\": [\n",
    "        {\n",
    "          \"name\": \"ru_withdraw\",\n",
    "          \"description\": \"withdraws its troops from the line in "
    "Donetsk as far as Ukraine does\"\n",
    "        },\n",
    "        {\n",
    "          \"name\": \"ru_strikes\",\n",
    "          \"description\": \"keeps striking Ukraine's cities and power "
    "infrastructure\"\n",
    "        }\n",
    "      ],\n",
    "      \"preferences\": [\n",
    "        {\n",
    "          \"statement\": \"ua_withdraw\",\n",
    "          \"source\": \"Ukraine and Russia still held opposing positions "
    "on Donbas.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"not us_press or ua_withdraw\",\n",
    "          \"source\": \"Witkoff said that if there was genuine "
    "willingness on both sides, an agreement could still be achieved.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"ru_strikes if not ua_withdraw\",\n",
    "          \"source\": \"Zelensky arrived in Davos after travelling "
    "overnight, having initially postponed the trip due to Russian strikes on "
    "Kyiv's power infrastructure.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"not ru_withdraw\",\n",
    "          \"source\": \"Russian forces have continued to make slow "
    "advances in eastern Ukraine over the past year.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"not eu_monitors\",\n",
    "          \"source\": \"Russia's Kremlin said talks with US envoys would "
    "continue but declined to comment on the likelihood of a breakthrough.\"\n",
    "        }\n",
    "      ]\n",
    "    },\n",
    "    {\n",
    "      \"name\": \"United States\",\n",
    "      \"options\": [\n",
    "        {\n",
    "          \"name\": \"us_guarantee\",\n",
    "          \"description\": \"gives Ukraine a security guarantee "
    "(backstop) for a deal\"\n",
    "        },\n",
    "        {\n",
    "          \"name\": \"us_press\",\n",
    "          \"description\": \"presses Ukraine and Russia to accept the "
    "compromise (threatens to walk away)\"\n",
    "        }\n",
    "      ],\n",
    "      \"preferences\": [\n",
    "        {\n",
    "          \"statement\": \"ua_withdraw and ru_withdraw\",\n",
    "          \"source\": \"Witkoff expressed confidence that an agreement "
    "could be reached; a US-backed 20-point peace plan was close to "
    "completion.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"us_guarantee iff (ua_withdraw and "
    "ru_withdraw)\",\n",
    "          \"source\": \"Zelensky also said he had reached an "
    "understanding with Trump regarding future US security guarantees for "
    "Ukraine in the event of a peace deal.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"not ru_strikes\",\n",
    "          \"source\": \"Diplomatic efforts appeared to gain momentum "
    "following the meeting.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"us_press iff not (ua_withdraw and "
    "ru_withdraw)\",\n",
    "          \"source\": \"He said negotiations had narrowed down to a "
    "single unresolved issue, adding that it was \\u201csolvable\\u201d after "
    "multiple proposals had been discussed.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"eu_monitors\",\n",
    "          \"source\": \"The Coalition of the Willing had pledged forces "
    "on the ground to help monitor a potential deal. However, he insisted that "
    "US backing would still be essential.\"\n",
    "        }\n",
    "      ]\n",
    "    },\n",
    "    {\n",
    "      \"name\": \"European coalition\",\n",
    "      \"options\": [\n",
    "        {\n",
    "          \"name\": \"eu_monitors\",\n",
    "          \"description\": \"deploys forces on the ground to monitor the "
    "deal\"\n",
    "        }\n",
    "      ],\n",
    "      \"preferences\": [\n",
    "        {\n",
    "          \"statement\": \"not ru_strikes\",\n",
    "          \"source\": \"Zelensky criticised European leaders for what he "
    "described as a lack of political resolve in confronting Russia.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"eu_monitors only if us_guarantee\",\n",
    "          \"source\": \"\\u201cNo security guarantees work without the "
    "US,\\u201d Zelensky said.\"\n",
    "        },\n",
    "        {\n",
    "          \"statement\": \"eu_monitors iff (ua_withdraw and "
    "ru_withdraw)\",\n",
    "          \"source\": \"The Coalition of the Willing had pledged forces "
    "on the ground to help monitor a potential deal.\"\n",
    "        }\n",
    "      ]\n",
    "    }\n",
    "  ],\n",
    "  \"infeasible\": [\n",
    "    {\n",
    "      \"exclusive\": [\"ru_withdraw\", \"ru_strikes\"],\n",
    "      \"description\": \"A reciprocal withdrawal is part of a ceasefire: "
    "Russia cannot withdraw and keep striking.\"\n",
    "    },\n",
    "    {\n",
    "      \"require\": \"eu_monitors only if ua_withdraw\",\n",
    "      \"description\": \"The monitors watch the demilitarised line: there "
    "is none unless Ukraine withdraws.\"\n",
    "    }\n",
    "  ],\n",
    "  \"states\": [\n",
    "    {\n",
    "      \"name\": \"status-quo\",\n",
    "      \"taken\": [\"ru_strikes\", \"us_press\"],\n",
    "      \"description\": \"Today: Russia keeps striking, the US presses for "
    "a compromise, nobody has withdrawn.\"\n",
    "    },\n",
    "    {\n",
    "      \"name\": \"deal\",\n",
    "      \"taken\": [\"ua_withdraw\", \"ru_withdraw\", \"us_guarantee\", "
    "\"eu_monitors\"],\n",
    "      \"description\": \"Both sides withdraw 40 km, the US guarantees, "
    "Europe monitors, strikes stop.\"\n",
    "    }\n",
    "  ],\n",
    "  \"status_quo\": \"status-quo\"\n",
    "}\n",
};

char *gm_builtin_conflict_text(void) {
  size_t n = sizeof LINES / sizeof LINES[0], len = 1;
  for (size_t k = 0; k < n; k++)
    len += strlen(LINES[k]);
  char *text = malloc(len), *p = text;
  for (size_t k = 0; text && k < n; k++) {
    size_t l = strlen(LINES[k]);
    memcpy(p, LINES[k], l);
    p += l;
  }
  if (text)
    *p = 0;
  return text;
}
