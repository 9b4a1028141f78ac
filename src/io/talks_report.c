/* talks_report.c - how the talks unfolded, for people and as JSON
 * (keys in docs/protocols.md). */
#include "io/report.h"
#include "negotiation/negotiation.h"
#include "util/fmt.h"
#include "util/json_write.h"

#include <stdlib.h>
#include <string.h>

static const char *const END_KIND[] = {"agreement", "deadline", "walk-out",
                                       "not-ratified", "protocol-violation"};

static const char *actor_or_mediator(const pl_scenario *s, int32_t a) {
  return a < 0 ? "mediator" : s->actors[a].name;
}

static const char *act_name(const pl_talks *t, const pl_event *e) {
  if (t->opt.protocol == PL_MEDIATED)
    return "draft";
  return e->act == PL_ACT_OFFER    ? "offer"
         : e->act == PL_ACT_ACCEPT ? "accept"
                                   : "end";
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *reals(const double *x, uint32_t n) {
  json_t *a = json_array();
  for (uint32_t k = 0; k < n; k++)
    json_array_append_new(a, pl_json_computed(x[k]));
  return a;
}

static json_t *point(const pl_scenario *s, uint64_t index) {
  uint32_t v[PL_MAX_ISSUES];
  double u[PL_MAX_PARTIES];
  pl_index_to_values(s, index, v);
  for (uint32_t p = 0; p < s->nparties; p++)
    u[p] = pl_actor_utility(s, p, v);
  return json_pack("{s:o, s:o}", "outcome", pl_outcome_json(s, v), "utilities",
                   reals(u, s->nparties));
}

static json_t *event_json(const pl_talks *t, const pl_event *e) {
  const pl_scenario *s = t->s;
  json_t *o = json_pack("{s:i, s:s, s:s, s:f}", "round", (int)e->round, "party",
                        actor_or_mediator(s, e->party), "action",
                        act_name(t, e), "t", pl_round_computed(e->t));
  if (e->outcome != UINT64_MAX) {
    json_t *pt = point(s, e->outcome);
    json_object_set(o, "outcome", json_object_get(pt, "outcome"));
    json_object_set(o, "utilities", json_object_get(pt, "utilities"));
    json_decref(pt);
  }
  if (t->opt.protocol == PL_MEDIATED) {
    json_object_set_new(o, "yes", json_integer(e->yes));
    json_object_set_new(o, "kept", json_boolean(e->kept));
  }
  return o;
}

static json_t *agents_json(const pl_talks *t) {
  json_t *a = json_array();
  for (uint32_t p = 0; p < t->s->nparties; p++)
    json_array_append_new(a, json_string(t->opt.agents[p].text));
  return a;
}

static json_t *maybe(bool has, double x) {
  return has ? pl_json_computed(x) : json_null();
}

pl_status pl_negotiation_write_json(const pl_negotiation *n, FILE *out) {
  const pl_talks *t = &n->t;
  const pl_scenario *s = n->s;
  json_t *o = json_object();
  json_object_set_new(o, "schema_version", json_integer(1));
  json_object_set_new(
      o, "protocol",
      json_string(t->opt.protocol == PL_SAOP ? "saop" : "mediated"));
  json_t *parties = json_array();
  for (uint32_t p = 0; p < s->nparties; p++)
    json_array_append_new(parties, json_string(s->actors[p].name));
  json_object_set_new(o, "parties", parties);
  json_object_set_new(o, "agents", agents_json(t));
  json_object_set_new(o, "seed", json_integer((json_int_t)t->opt.seed));
  json_object_set_new(o, "agreement",
                      t->end == PL_END_AGREEMENT ? point(s, t->outcome)
                                                 : json_null());
  json_object_set_new(o, "reason",
                      json_pack("{s:s, s:s?}", "kind", END_KIND[t->end], "by",
                                t->by >= 0 ? s->actors[t->by].name : NULL));
  if (t->message[0])
    json_object_set_new(o, "violation", json_string(t->message));
  json_object_set_new(o, "rounds", json_integer(t->rounds));
  if (t->opt.protocol == PL_MEDIATED) {
    json_object_set_new(o, "first_draft", point(s, t->first_draft));
    json_object_set_new(o, "final_text", point(s, t->outcome));
  }
  json_object_set_new(o, "utilities", reals(t->utilities, s->nparties));
  if (t->discounting)
    json_object_set_new(o, "discounted_utilities",
                        reals(t->discounted, s->nparties));
  json_object_set_new(o, "pareto_distance",
                      maybe(n->has_pareto, n->pareto_distance));
  json_object_set_new(o, "nash_distance", maybe(n->has_nash, n->nash_distance));
  json_object_set_new(o, "welfare", pl_json_computed(n->welfare));
  if (n->json_trace) {
    json_t *trace = json_array();
    for (size_t k = 0; k < t->nevents; k++)
      json_array_append_new(trace, event_json(t, &t->events[k]));
    json_object_set_new(o, "trace", trace);
  }
  int rc = pl_json_write(o, out);
  json_decref(o);
  return rc == 0 && fputc('\n', out) != EOF ? PL_OK : PL_EIO;
}

/* ---- Text --------------------------------------------------------------- */

static void utilities_line(const pl_scenario *s, const uint32_t *v, FILE *out) {
  for (uint32_t p = 0; p < s->nparties; p++) {
    char b[32];
    pl_fmt_fixed(b, sizeof b, pl_actor_utility(s, p, v), 3);
    fprintf(out, "%s%s", p ? " " : "", b);
  }
}

/* The issues whose values differ from `before` (all when before is NULL). */
static void changes(const pl_scenario *s, const uint32_t *before,
                    const uint32_t *v, FILE *out) {
  int shown = 0;
  for (uint32_t i = 0; i < s->nissues; i++) {
    if (before && before[i] == v[i])
      continue;
    char b[128];
    pl_issue_value_text(s, i, v[i], b, sizeof b);
    fprintf(out, "%s%s=%s", shown++ ? ", " : "", s->issues[i].name, b);
  }
  if (!shown)
    fprintf(out, "(same as before)");
}

static void print_event(const pl_talks *t, const pl_event *e, uint32_t *last,
                        bool *have_last, FILE *out) {
  const pl_scenario *s = t->s;
  fprintf(out, "  %5u  %-16s %-7s", e->round, actor_or_mediator(s, e->party),
          act_name(t, e));
  if (e->outcome == UINT64_MAX) {
    fprintf(out, "\n");
    return;
  }
  uint32_t v[PL_MAX_ISSUES];
  pl_index_to_values(s, e->outcome, v);
  fprintf(out, "[");
  utilities_line(s, v, out);
  fprintf(out, "]  ");
  if (t->opt.protocol == PL_MEDIATED)
    fprintf(out, "%u yes, %s: ", e->yes, e->kept ? "kept" : "dropped");
  if (e->act == PL_ACT_ACCEPT)
    fprintf(out, "accepts the offer on the table");
  else
    changes(s, *have_last ? last : NULL, v, out);
  fprintf(out, "\n");
  if (e->act == PL_ACT_OFFER && (t->opt.protocol == PL_SAOP || e->kept)) {
    memcpy(last, v, s->nissues * sizeof *v);
    *have_last = true;
  }
}

/* Long talks: the first and last rounds, with the middle summarised. */
enum { SHOW_ROUNDS = 8 };

static void print_rounds(const pl_talks *t, FILE *out) {
  const pl_scenario *s = t->s;
  fprintf(out, "\n  round  %-16s %-7s[", "who", "action");
  for (uint32_t p = 0; p < s->nparties; p++)
    fprintf(out, "%s%.5s", p ? " " : "", s->actors[p].name);
  fprintf(out, "]  what changed\n");
  uint32_t last[PL_MAX_ISSUES];
  bool have_last = false, skipped = false;
  if (t->opt.protocol == PL_MEDIATED) { /* changes are from the first draft */
    pl_index_to_values(s, t->first_draft, last);
    have_last = true;
    fprintf(out, "      0  %-16s %-7s[", "mediator", "start");
    utilities_line(s, last, out);
    fprintf(out, "]  ");
    changes(s, NULL, last, out);
    fprintf(out, "\n");
  }
  for (size_t k = 0; k < t->nevents; k++) {
    const pl_event *e = &t->events[k];
    bool shown = e->round <= SHOW_ROUNDS || e->round + SHOW_ROUNDS > t->rounds;
    if (!shown) {
      if (!skipped)
        fprintf(out,
                "  ...    (rounds %u to %u not shown; --json --trace "
                "lists every action)\n",
                (unsigned)SHOW_ROUNDS + 1, t->rounds - SHOW_ROUNDS);
      skipped = true;
      if (e->act == PL_ACT_OFFER && (t->opt.protocol == PL_SAOP || e->kept)) {
        pl_index_to_values(s, e->outcome, last);
        have_last = true;
      }
      continue;
    }
    print_event(t, e, last, &have_last, out);
  }
}

static void print_result(const pl_negotiation *n, FILE *out) {
  const pl_talks *t = &n->t;
  const pl_scenario *s = n->s;
  char b[32];
  fprintf(out, "\nResult: %s", END_KIND[t->end]);
  if (t->by >= 0)
    fprintf(out, " (%s)", s->actors[t->by].name);
  fprintf(out, " after %u round%s\n", t->rounds, t->rounds == 1 ? "" : "s");
  if (t->message[0])
    fprintf(out, "  %s\n", t->message);
  if (t->agreed || (t->opt.protocol == PL_MEDIATED && t->rounds > 0)) {
    uint32_t v[PL_MAX_ISSUES];
    pl_index_to_values(s, t->outcome, v);
    const uint32_t *pk[1] = {v};
    const char *title[1] = {t->end == PL_END_AGREEMENT       ? "agreement"
                            : t->opt.protocol == PL_MEDIATED ? "final text"
                                                             : "agreed text"};
    pl_print_packages(s, out, title, pk, 1);
  }
  fprintf(out, "  payoffs:");
  for (uint32_t p = 0; p < s->nparties; p++) {
    pl_fmt_fixed(b, sizeof b, t->utilities[p], 3);
    fprintf(out, " %s %s;", s->actors[p].name, b);
  }
  fprintf(out, "\n");
  if (t->end != PL_END_AGREEMENT)
    fprintf(out, "  (no agreement: each party keeps its reservation value)\n");
  if (t->discounting) {
    fprintf(out, "  discounted (u * d^t):");
    for (uint32_t p = 0; p < s->nparties; p++) {
      pl_fmt_fixed(b, sizeof b, t->discounted[p], 3);
      fprintf(out, " %s %s;", s->actors[p].name, b);
    }
    fprintf(out, "\n");
  }
  pl_fmt_fixed(b, sizeof b, n->welfare, 3);
  fprintf(out, "  welfare (sum of payoffs): %s\n", b);
  if (n->has_pareto) {
    pl_fmt_fixed(b, sizeof b, n->pareto_distance, 3);
    fprintf(out, "  distance to the Pareto frontier of the zone: %s\n", b);
  }
  if (n->has_nash) {
    pl_fmt_fixed(b, sizeof b, n->nash_distance, 3);
    fprintf(out, "  distance to the Nash solution: %s\n", b);
  } else {
    fprintf(out, "  (the agreement zone is empty: no frontier or Nash point "
                 "to compare with; see parley analyze)\n");
  }
}

pl_status pl_negotiation_write_text(const pl_negotiation *n, FILE *out) {
  const pl_talks *t = &n->t;
  const pl_scenario *s = n->s;
  fprintf(out, "parley %s - %s talks on %s\n", pl_version(),
          t->opt.protocol == PL_SAOP ? "stacked alternating offers"
                                     : "mediated single-text",
          s->title  ? s->title
          : s->name ? s->name
                    : "scenario");
  for (uint32_t p = 0; p < s->nparties; p++) {
    const pl_agent_spec *a = &t->opt.agents[p];
    /* Under the mediator an agent acts only through its vote and sign
     * rules; most agents have none and then the protocol's default voter
     * decides for them (docs/agents.md): say so, rather than suggest that
     * the agent's offer strategy plays a part. */
    bool own = a->cls->vote || a->cls->sign;
    fprintf(out, "  %-16s agent %s%s\n", s->actors[p].name, a->text,
            t->opt.protocol == PL_SAOP ? ""
            : own                      ? " (votes and signs by its own rules)"
                  : " (no vote rule of its own: votes and signs as the "
                    "default voter)");
  }
  if (t->opt.seconds > 0)
    fprintf(out,
            "  deadline %g s of wall time (not reproducible), seed "
            "%llu\n",
            t->opt.seconds, (unsigned long long)t->opt.seed);
  else
    fprintf(out, "  deadline %u %s, seed %llu\n", t->opt.rounds,
            t->opt.protocol == PL_SAOP ? "rounds" : "steps",
            (unsigned long long)t->opt.seed);
  print_rounds(t, out);
  print_result(n, out);
  return ferror(out) ? PL_EIO : PL_OK;
}
