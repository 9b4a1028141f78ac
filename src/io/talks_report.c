/* talks_report.c - how the talks unfolded, for people and as JSON
 * (keys in docs/protocols.md). */
#define _POSIX_C_SOURCE 200809L
#include "io/report.h"
#include "negotiation/negotiation.h"
#include "util/fmt.h"
#include "util/json_write.h"
#include "util/wrap.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* How the rounds are laid out: each party's key over its utility column,
 * the width of the "who" column and of the lines. */
typedef struct layout {
  char key[PL_MAX_PARTIES][12];
  int who; /* width of the "who" column */
  unsigned width;
} layout;

enum { KEY_MAX = 5, WHO_MAX = 16 };

static bool is_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9');
}

/* A key for a name: the initials of its capitalised words when it has two
 * or more ("United States" -> "US"), else the initials of all its words
 * ("party one" -> "po"), else its first three characters ("Ukraine" ->
 * "Ukr"); "" when it has no letter or digit. */
static void initials(const char *name, char *key) {
  size_t words = 0, capitals = 0, n = 0;
  for (const char *c = name; *c; c++)
    if (is_alnum(*c) && (c == name || !is_alnum(c[-1]))) {
      words++;
      capitals += *c >= 'A' && *c <= 'Z';
    }
  for (const char *c = name; *c && n < KEY_MAX; c++) {
    bool first = is_alnum(*c) && (c == name || !is_alnum(c[-1]));
    if (words == 1      ? is_alnum(*c) && n < 3
        : capitals >= 2 ? first && *c >= 'A' && *c <= 'Z'
                        : first)
      key[n++] = *c;
    if (words == 1 && n == 3)
      break;
  }
  key[n] = 0;
}

static bool keys_unique(const layout *l, uint32_t np) {
  for (uint32_t p = 0; p < np; p++) {
    if (!l->key[p][0])
      return false;
    for (uint32_t q = 0; q < p; q++)
      if (!strcasecmp(l->key[p], l->key[q]))
        return false;
  }
  return true;
}

/* Keys identify the parties in the utility columns, which are 5 wide: the
 * initials when they tell the parties apart, else P1, P2, ... */
static void make_layout(const pl_scenario *s, unsigned width, layout *l) {
  uint32_t np = s->nparties;
  for (uint32_t p = 0; p < np; p++)
    initials(s->actors[p].name, l->key[p]);
  if (!keys_unique(l, np))
    for (uint32_t p = 0; p < np; p++)
      snprintf(l->key[p], sizeof l->key[p], "P%u", p + 1);
  l->who = 8; /* "mediator" */
  for (uint32_t p = 0; p < np; p++) {
    int w = (int)pl_text_width(s->actors[p].name);
    if (w > l->who)
      l->who = w > WHO_MAX ? WHO_MAX : w;
  }
  l->width = width;
}

/* A party's name in the "who" column, or its key when the name is too
 * long for it. */
static const char *who_name(const pl_scenario *s, const layout *l, int32_t a) {
  if (a < 0)
    return "mediator";
  const char *name = s->actors[a].name;
  return (int)pl_text_width(name) <= l->who ? name : l->key[a];
}

static void utilities_line(const pl_scenario *s, const uint32_t *v, FILE *out) {
  for (uint32_t p = 0; p < s->nparties; p++) {
    char b[32];
    pl_fmt_fixed(b, sizeof b, pl_actor_utility(s, p, v), 3);
    fprintf(out, "%s%s", p ? " " : "", b);
  }
}

/* The issues whose values differ from `before` (all when before is NULL),
 * as "issue=value, ..." in `buf`. */
static void changes(const pl_scenario *s, const uint32_t *before,
                    const uint32_t *v, char *buf, size_t len) {
  size_t at = 0;
  buf[0] = 0;
  for (uint32_t i = 0; i < s->nissues && at < len; i++) {
    if (before && before[i] == v[i])
      continue;
    char b[128];
    pl_issue_value_text(s, i, v[i], b, sizeof b);
    int n = snprintf(buf + at, len - at, "%s%s=%s", at ? ", " : "",
                     s->issues[i].name, b);
    at += n > 0 ? (size_t)n : 0;
  }
  if (!at)
    snprintf(buf, len, "(same as before)");
}

/* Columns before "what changed": 2 + round 5 + 2 + who + 1 + action 7,
 * then the utilities and 2 blanks. */
static size_t changes_column(const pl_scenario *s, const layout *l) {
  return 2 + 5 + 2 + (size_t)l->who + 1 + 7 + 6 * s->nparties - 1 + 2;
}

/* The text after the utilities, wrapped under its own column; when that
 * column leaves too little room (many parties), on lines of its own. */
static void what_changed(const pl_scenario *s, const layout *l,
                         const char *text, FILE *out) {
  enum { ROOM_MIN = 30, OWN_INDENT = 9 };
  size_t col = changes_column(s, l);
  if (l->width && col + ROOM_MIN > l->width) {
    fprintf(out, "\n%*s", OWN_INDENT, "");
    pl_text_wrap(out, text, OWN_INDENT, OWN_INDENT, l->width);
  } else {
    pl_text_wrap(out, text, col, col, l->width);
  }
}

static void print_event(const pl_talks *t, const layout *l, const pl_event *e,
                        uint32_t *last, bool *have_last, FILE *out) {
  const pl_scenario *s = t->s;
  const char *who = who_name(s, l, e->party);
  /* padded by display width, not bytes (UTF-8 names) */
  fprintf(out, "  %5u  %s%*s %-7s", e->round, who,
          l->who - (int)pl_text_width(who), "", act_name(t, e));
  if (e->outcome == UINT64_MAX) {
    fprintf(out, "\n");
    return;
  }
  uint32_t v[PL_MAX_ISSUES];
  pl_index_to_values(s, e->outcome, v);
  utilities_line(s, v, out);
  fprintf(out, "  ");
  char text[4096];
  size_t at = 0;
  if (t->opt.protocol == PL_MEDIATED)
    at = (size_t)snprintf(text, sizeof text, "%u yes, %s: ", e->yes,
                          e->kept ? "kept" : "dropped");
  if (e->act == PL_ACT_ACCEPT)
    snprintf(text + at, sizeof text - at, "accepts the offer on the table");
  else
    changes(s, *have_last ? last : NULL, v, text + at, sizeof text - at);
  what_changed(s, l, text, out);
  if (e->act == PL_ACT_OFFER && (t->opt.protocol == PL_SAOP || e->kept)) {
    memcpy(last, v, s->nissues * sizeof *v);
    *have_last = true;
  }
}

/* Long talks: the first and last rounds, with the middle summarised. */
enum { SHOW_ROUNDS = 8 };

static void print_rounds(const pl_talks *t, const layout *l, FILE *out) {
  const pl_scenario *s = t->s;
  fprintf(out, "\n  round  %-*s %-7s", l->who, "who", "action");
  for (uint32_t p = 0; p < s->nparties; p++)
    fprintf(out, "%s%-5s", p ? " " : "", l->key[p]);
  fprintf(out, "  what changed\n");
  uint32_t last[PL_MAX_ISSUES];
  bool have_last = false, skipped = false;
  if (t->opt.protocol == PL_MEDIATED) { /* changes are from the first draft */
    pl_index_to_values(s, t->first_draft, last);
    have_last = true;
    fprintf(out, "      0  %-*s %-7s", l->who, "mediator", "start");
    utilities_line(s, last, out);
    fprintf(out, "  ");
    char text[4096];
    changes(s, NULL, last, text, sizeof text);
    what_changed(s, l, text, out);
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
    print_event(t, l, e, last, &have_last, out);
  }
}

/* "  label: A 0.550; B 0.500; ..." wrapped to the width. */
static void per_party(const pl_scenario *s, const char *label, const double *u,
                      unsigned width, FILE *out) {
  char text[4096];
  size_t at = 0;
  for (uint32_t p = 0; p < s->nparties && at < sizeof text; p++) {
    char b[32];
    pl_fmt_fixed(b, sizeof b, u[p], 3);
    int n = snprintf(text + at, sizeof text - at, "%s%s %s", p ? "; " : "",
                     s->actors[p].name, b);
    at += n > 0 ? (size_t)n : 0;
  }
  fprintf(out, "  %s: ", label);
  pl_text_wrap(out, text, 4 + strlen(label), 4, width);
}

static void print_result(const pl_negotiation *n, unsigned width, FILE *out) {
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
    pl_print_packages(s, out, title, pk, 1, width);
  }
  per_party(s, "payoffs", t->utilities, width, out);
  if (t->end != PL_END_AGREEMENT)
    fprintf(out, "  (no agreement: each party keeps its reservation value)\n");
  if (t->discounting)
    per_party(s, "discounted (u * d^t)", t->discounted, width, out);
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
    pl_text_wrap(out,
                 "  (the agreement zone is empty: no frontier or Nash point "
                 "to compare with; see parley analyze)",
                 0, 3, width);
  }
}

pl_status pl_negotiation_write_text_with(const pl_negotiation *n,
                                         const pl_text_options *o, FILE *out) {
  const pl_talks *t = &n->t;
  const pl_scenario *s = n->s;
  pl_text_options def;
  if (!o) {
    pl_text_options_init(&def);
    o = &def;
  }
  layout l;
  make_layout(s, o->width, &l);
  char title[1024];
  snprintf(title, sizeof title, "parley %s - %s talks on %s", pl_version(),
           t->opt.protocol == PL_SAOP ? "stacked alternating offers"
                                      : "mediated single-text",
           s->title  ? s->title
           : s->name ? s->name
                     : "scenario");
  pl_text_wrap(out, title, 0, 2, o->width);
  /* The key of each party's utility column, then its agent. */
  fprintf(out, "  %-5s %-*s agent\n", "key", l.who, "party");
  for (uint32_t p = 0; p < s->nparties; p++) {
    const pl_agent_spec *a = &t->opt.agents[p];
    /* Under the mediator an agent acts only through its vote and sign
     * rules; most agents have none and then the protocol's default voter
     * decides for them (docs/agents.md): say so, rather than suggest that
     * the agent's offer strategy plays a part. */
    bool own = a->cls->vote || a->cls->sign;
    char line[1024];
    snprintf(line, sizeof line, "agent %s%s", a->text,
             t->opt.protocol == PL_SAOP ? ""
             : own                      ? " (votes and signs by its own rules)"
                   : " (no vote rule of its own: votes and signs as the "
                     "default voter)");
    const char *name = s->actors[p].name;
    fprintf(out, "  %-5s %s%*s ", l.key[p], name,
            l.who > (int)pl_text_width(name) ? l.who - (int)pl_text_width(name)
                                             : 0,
            "");
    size_t col =
        2 + 6 +
        (size_t)(l.who > (int)pl_text_width(name) ? l.who
                                                  : (int)pl_text_width(name)) +
        1;
    pl_text_wrap(out, line, col, col, o->width);
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
  print_rounds(t, &l, out);
  print_result(n, o->width, out);
  return ferror(out) ? PL_EIO : PL_OK;
}

pl_status pl_negotiation_write_text(const pl_negotiation *n, FILE *out) {
  return pl_negotiation_write_text_with(n, NULL, out);
}
