/* negotiation_page.c - the report of a negotiation (parley_report.h): the
 * utilities of the offers over rounds, the offers in the utility plane,
 * the outcome against Nash. From a finished pl_negotiation or from its
 * saved JSON document (`parley negotiate --json --trace`). */
#include "io/json_doc.h"
#include "io/scenario_io.h"
#include "negotiation/negotiation.h"
#include "report/plots.h"

#include <stdlib.h>
#include <string.h>

/* One offer or draft: who made it and every party's utility of it. */
typedef struct offer {
  uint32_t round;
  int32_t by; /* party index; -1: the mediator */
  double u[PL_MAX_PARTIES];
} offer;

/* What the plots need, whichever source it came from. */
typedef struct run {
  uint32_t np;
  const char *party[PL_MAX_PARTIES];
  const char *agent[PL_MAX_PARTIES];
  const char *protocol, *reason, *by;
  uint32_t rounds;
  offer *offers;
  size_t noffers;
  bool agreed;
  double agreement[PL_MAX_PARTIES];
  bool has_pareto, has_nash_distance;
  double pareto_distance, nash_distance, welfare;
  /* From the scenario's analysis, when known. */
  const pl_analysis *a;
  bool has_nash;
  double nash[PL_MAX_PARTIES];
} run;

static const char *party_name(const run *r, int32_t p) {
  return p < 0 ? "mediator" : r->party[p];
}

static const char *party_colour(int32_t p) {
  return p < 0 ? "#000000" : pl_category_colour((uint32_t)p);
}

static char party_shape(int32_t p) {
  static const char shapes[] = "osd^";
  return p < 0 ? 'x' : shapes[p % 4];
}

/* ---- Plots -------------------------------------------------------------- */

/* One panel per party: its utility of every offer, by round, one series
 * per proposer. */
static void rounds_plot(pl_report *rep, const run *r) {
  uint32_t shown = r->np < 6 ? r->np : 6;
  const double ph = 170, top = 16, left = 70, w = 560;
  pl_svg g;
  pl_svg_begin(&g, 860, top + (ph + 56) * shown + 10,
               "Negotiation: each party's utility of every offer by round",
               "One panel per party; points are offers, coloured by who "
               "made them.");
  double *x = malloc((r->noffers + 1) * sizeof *x);
  double *y = malloc((r->noffers + 1) * sizeof *y);
  if (!x || !y) {
    free(x), free(y);
    g.b.failed = true;
    pl_page_plot(rep, "offers-by-round", &g, NULL);
    return;
  }
  /* whole rounds on the ticks: at most 10 ticks, a whole step apart */
  uint32_t rounds = r->rounds ? r->rounds : 1;
  uint32_t step = (rounds + 9) / 10, ticks = (rounds + step - 1) / step;
  for (uint32_t p = 0; p < shown; p++) {
    pl_axes ax = {.x = left,
                  .y = top + (ph + 56) * p,
                  .w = w,
                  .h = ph,
                  .xmin = 0,
                  .xmax = (double)ticks * step,
                  .ymin = 0,
                  .ymax = 1};
    char yt[300];
    snprintf(yt, sizeof yt, "utility of %s", r->party[p]);
    pl_svg_axes(&g, &ax, (int)ticks, 4, 0, 2, p + 1 == shown ? "round" : NULL,
                NULL);
    pl_svg_text(&g, left + w / 2, ax.y - 4, "middle", 12, true, 0, NULL, yt);
    if (r->a) {
      double t = r->a->s->actors[p].threshold;
      pl_svg_line(&g, ax.x, pl_axes_py(&ax, t), ax.x + ax.w, pl_axes_py(&ax, t),
                  PL_OKABE_ITO[PL_C_VERMILLION], 1.2, "6,4");
    }
    for (int32_t q = -1; q < (int32_t)r->np; q++) {
      size_t m = 0;
      for (size_t k = 0; k < r->noffers; k++)
        if (r->offers[k].by == q) {
          x[m] = r->offers[k].round;
          y[m++] = r->offers[k].u[p];
        }
      pl_svg_polyline(&g, &ax, x, y, m, party_colour(q), 1.2, NULL);
      for (size_t k = 0; k < m && m <= 400; k++)
        pl_svg_marker(&g, party_shape(q), pl_axes_px(&ax, x[k]),
                      pl_axes_py(&ax, y[k]), 2.8, party_colour(q), NULL, NULL);
    }
    if (r->agreed)
      pl_svg_marker(&g, '*', pl_axes_px(&ax, r->rounds),
                    pl_axes_py(&ax, r->agreement[p]), 7,
                    PL_OKABE_ITO[PL_C_YELLOW], "#000000", "agreement");
  }
  double ly = top + 10;
  pl_svg_text(&g, left + w + 20, ly, "start", 12, true, 0, NULL, "offers by");
  for (int32_t q = -1; q < (int32_t)r->np; q++) {
    bool any = false;
    for (size_t k = 0; k < r->noffers && !any; k++)
      any = r->offers[k].by == q;
    if (any)
      pl_svg_legend_item(&g, left + w + 30, ly += 18, party_shape(q),
                         party_colour(q), party_name(r, q));
  }
  if (r->agreed)
    pl_svg_legend_item(&g, left + w + 30, ly += 18, '*',
                       PL_OKABE_ITO[PL_C_YELLOW], "agreement");
  if (r->a)
    pl_svg_legend_item(&g, left + w + 30, ly + 18, '=',
                       PL_OKABE_ITO[PL_C_VERMILLION], "reservation value");
  free(x), free(y);
  pl_page_plot(rep, "offers-by-round", &g,
               "Each panel is one party's view: its utility of every offer "
               "on the table, by round, whoever made it. A conceding agent's "
               "own offers fall in its panel; the opponent's rise.");
}

/* Two parties: the offers in the utility plane, with the frontier. */
static void plane_plot(pl_report *rep, const run *r) {
  pl_svg g;
  pl_svg_begin(&g, 860, 470, "Negotiation: the offers in the utility plane",
               "Each offer by its utilities to the two parties, the path of "
               "each proposer's offers, the Pareto frontier, the Nash "
               "solution and the agreement.");
  pl_axes ax = {.x = 70,
                .y = 20,
                .w = 420,
                .h = 400,
                .xmin = 0,
                .xmax = 1,
                .ymin = 0,
                .ymax = 1};
  char xt[300], yt[300];
  snprintf(xt, sizeof xt, "utility of %s", r->party[0]);
  snprintf(yt, sizeof yt, "utility of %s", r->party[1]);
  pl_svg_axes(&g, &ax, 10, 10, 1, 1, xt, yt);
  if (r->a && r->a->nfront) {
    size_t n = r->a->nfront;
    double *fx = malloc(n * sizeof *fx), *fy = malloc(n * sizeof *fy);
    for (size_t k = 0; fx && fy && k < n; k++)
      fx[k] = r->a->front_u[2 * k], fy[k] = r->a->front_u[2 * k + 1];
    if (fx && fy)
      pl_svg_scatter(&g, &ax, fx, fy, n, 2.4, "#000000", 1);
    free(fx), free(fy);
  }
  double *x = malloc((r->noffers + 1) * sizeof *x);
  double *y = malloc((r->noffers + 1) * sizeof *y);
  for (int32_t q = -1; x && y && q < (int32_t)r->np; q++) {
    size_t m = 0;
    for (size_t k = 0; k < r->noffers; k++)
      if (r->offers[k].by == q) {
        x[m] = r->offers[k].u[0];
        y[m++] = r->offers[k].u[1];
      }
    pl_svg_polyline(&g, &ax, x, y, m, party_colour(q), 1, "4,2");
    for (size_t k = 0; k < m; k++)
      pl_svg_marker(&g, party_shape(q), pl_axes_px(&ax, x[k]),
                    pl_axes_py(&ax, y[k]), 3.5, party_colour(q), NULL, NULL);
  }
  free(x), free(y);
  if (r->has_nash)
    pl_svg_marker(&g, 's', pl_axes_px(&ax, r->nash[0]),
                  pl_axes_py(&ax, r->nash[1]), 7, PL_OKABE_ITO[PL_C_SKY],
                  "#000000", "Nash solution");
  if (r->agreed)
    pl_svg_marker(&g, '*', pl_axes_px(&ax, r->agreement[0]),
                  pl_axes_py(&ax, r->agreement[1]), 8,
                  PL_OKABE_ITO[PL_C_YELLOW], "#000000", "agreement");
  double ly = 34;
  for (int32_t q = -1; q < (int32_t)r->np; q++) {
    bool any = false;
    for (size_t k = 0; k < r->noffers && !any; k++)
      any = r->offers[k].by == q;
    if (any) {
      char label[300];
      snprintf(label, sizeof label, "offers by %s", party_name(r, q));
      pl_svg_legend_item(&g, 530, ly, party_shape(q), party_colour(q), label);
      ly += 18;
    }
  }
  if (r->a && r->a->nfront)
    pl_svg_legend_item(&g, 530, ly, 'o', "#000000",
                       r->a->frontier_all ? "Pareto frontier (all feasible)"
                                          : "Pareto frontier of the zone"),
        ly += 18;
  if (r->has_nash)
    pl_svg_legend_item(&g, 530, ly, 's', PL_OKABE_ITO[PL_C_SKY],
                       "Nash solution"),
        ly += 18;
  if (r->agreed)
    pl_svg_legend_item(&g, 530, ly, '*', PL_OKABE_ITO[PL_C_YELLOW],
                       "agreement");
  pl_page_plot(rep, "offers-plane", &g,
               "Each point is an offer placed by its utilities to the two "
               "parties; dashed lines join each proposer's offers in "
               "order.");
}

static void outcome_table(pl_report *rep, const run *r) {
  const char *head[] = {"", "agreement", "Nash solution"};
  pl_page_table_begin(rep, "The outcome against the Nash solution", head, 3);
  for (uint32_t p = 0; p < r->np; p++) {
    char a[32] = "#-", n[32] = "#-";
    if (r->agreed)
      pl_page_fixed(a + 1, sizeof a - 1, r->agreement[p], 3);
    if (r->has_nash)
      pl_page_fixed(n + 1, sizeof n - 1, r->nash[p], 3);
    char name[300];
    snprintf(name, sizeof name, "utility of %s", r->party[p]);
    const char *row[] = {name, a, n};
    pl_page_table_row(rep, row, 3);
  }
  char pd[32] = "#-", nd[32] = "#-", w[32] = "#";
  if (r->has_pareto)
    pl_page_fixed(pd + 1, sizeof pd - 1, r->pareto_distance, 3);
  if (r->has_nash_distance)
    pl_page_fixed(nd + 1, sizeof nd - 1, r->nash_distance, 3);
  pl_page_fixed(w + 1, sizeof w - 1, r->welfare, 3);
  const char *rows[3][3] = {{"distance to the Pareto frontier", pd, ""},
                            {"distance to the Nash solution", nd, ""},
                            {"welfare (sum of utilities)", w, ""}};
  for (int k = 0; k < 3; k++)
    pl_page_table_row(rep, rows[k], 3);
  pl_page_table_end(rep);
}

static void page(pl_report *rep, const run *r, const char *title) {
  pl_page_section(rep, title);
  char agents[2048];
  size_t len = 0;
  for (uint32_t p = 0; p < r->np && len < sizeof agents; p++)
    len += (size_t)snprintf(agents + len, sizeof agents - len, "%s%s: %s",
                            p ? "; " : "", r->party[p], r->agent[p]);
  pl_page_para(rep, "note", "Protocol %s, %u rounds. Agents: %s.", r->protocol,
               r->rounds, agents);
  if (r->agreed)
    pl_page_para(rep, "verdict ok", "Outcome: agreement in round %u.",
                 r->rounds);
  else
    pl_page_para(rep, "verdict", "Outcome: no agreement (%s%s%s).", r->reason,
                 r->by ? ", by " : "", r->by ? r->by : "");
  rounds_plot(rep, r);
  if (r->np == 2)
    plane_plot(rep, r);
  outcome_table(rep, r);
}

/* Nash's utilities from the analysis, when it has a solution. */
static void take_analysis(run *r, const pl_analysis *a) {
  r->a = a;
  if (!a || !a->has_solution || a->s->nparties != r->np)
    return;
  uint32_t v[PL_MAX_ISSUES];
  pl_index_to_values(a->s, a->solution[PL_SOLUTION_NASH], v);
  for (uint32_t p = 0; p < r->np; p++)
    r->nash[p] = pl_actor_utility(a->s, p, v);
  r->has_nash = true;
}

/* ---- From a finished negotiation ---------------------------------------- */

static const char *const END_KIND[] = {"agreement", "deadline", "walk-out",
                                       "not ratified", "protocol violation"};

pl_status pl_report_add_negotiation(pl_report *rep, const pl_negotiation *n,
                                    pl_diag *d) {
  (void)d;
  const pl_scenario *s = n->s;
  const pl_talks *t = &n->t;
  run r = {.np = s->nparties,
           .protocol = t->opt.protocol == PL_SAOP ? "saop" : "mediated",
           .reason = END_KIND[t->end],
           .by = t->by >= 0 ? s->actors[t->by].name : NULL,
           .rounds = t->rounds,
           .agreed = t->end == PL_END_AGREEMENT,
           .has_pareto = n->has_pareto,
           .has_nash_distance = n->has_nash,
           .pareto_distance = n->pareto_distance,
           .nash_distance = n->nash_distance,
           .welfare = n->welfare};
  for (uint32_t p = 0; p < r.np; p++) {
    r.party[p] = s->actors[p].name;
    r.agent[p] = t->opt.agents[p].text;
    r.agreement[p] = t->utilities[p];
  }
  r.offers = malloc((t->nevents + 1) * sizeof *r.offers);
  if (!r.offers)
    return PL_ENOMEM;
  for (size_t k = 0; k < t->nevents; k++) {
    const pl_event *e = &t->events[k];
    if (e->outcome == UINT64_MAX || e->act != PL_ACT_OFFER)
      continue;
    offer *o = &r.offers[r.noffers++];
    o->round = e->round, o->by = e->party;
    uint32_t v[PL_MAX_ISSUES];
    pl_index_to_values(s, e->outcome, v);
    for (uint32_t p = 0; p < r.np; p++)
      o->u[p] = pl_actor_utility(s, p, v);
  }
  take_analysis(&r, n->a);
  char title[600];
  snprintf(title, sizeof title, "Negotiation: %s",
           s->title  ? s->title
           : s->name ? s->name
                     : "scenario");
  page(rep, &r, title);
  free(r.offers);
  return rep->failed ? PL_ENOMEM : PL_OK;
}

/* ---- From a saved document ---------------------------------------------- */

#define NOT_NEGOTIATION                                                        \
  "not a negotiation document (schema/negotiation.schema.json): "

static bool read_utilities(pl_json_doc *j, const json_t *arr, uint32_t np,
                           double *u, const char *what) {
  if (!json_is_array(arr) || json_array_size(arr) != np) {
    pl_json_fail(j, arr, NOT_NEGOTIATION "%s must be an array of %u numbers",
                 what, np);
    return false;
  }
  for (uint32_t p = 0; p < np; p++) {
    const json_t *x = json_array_get(arr, p);
    if (!json_is_number(x)) {
      pl_json_fail(j, x, NOT_NEGOTIATION "%s must hold numbers, not %s", what,
                   pl_json_type_name(x));
      return false;
    }
    u[p] = json_number_value(x);
  }
  return true;
}

static const char *get_string(pl_json_doc *j, const json_t *o,
                              const char *key) {
  const json_t *v = json_object_get(o, key);
  if (json_is_string(v))
    return json_string_value(v);
  if (!v)
    pl_json_fail(j, o, NOT_NEGOTIATION "no \"%s\"", key);
  else
    pl_json_fail(j, v, NOT_NEGOTIATION "\"%s\" must be a string, not %s", key,
                 pl_json_type_name(v));
  return NULL;
}

static bool read_names(pl_json_doc *j, const json_t *root, const char *key,
                       const char **out, uint32_t *n) {
  const json_t *a = json_object_get(root, key);
  if (!json_is_array(a) || json_array_size(a) < 2 ||
      json_array_size(a) > PL_MAX_PARTIES) {
    pl_json_fail(j, a ? a : root,
                 NOT_NEGOTIATION "\"%s\" must be an array of 2 to 64 strings",
                 key);
    return false;
  }
  for (size_t k = 0; k < json_array_size(a); k++) {
    const json_t *s = json_array_get(a, k);
    if (!json_is_string(s)) {
      pl_json_fail(j, s, NOT_NEGOTIATION "\"%s\" must hold strings, not %s",
                   key, pl_json_type_name(s));
      return false;
    }
    out[k] = json_string_value(s);
  }
  if (*n && *n != json_array_size(a)) {
    pl_json_fail(j, a, NOT_NEGOTIATION "\"%s\" has %zu entries for %u parties",
                 key, json_array_size(a), *n);
    return false;
  }
  *n = (uint32_t)json_array_size(a);
  return true;
}

static int32_t party_index(const run *r, const char *name) {
  for (uint32_t p = 0; p < r->np; p++)
    /* False positive of clang-analyzer-core.NonNullParamChecker: read_names
     * stores only json_string_value of strings, never NULL */
    /* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
    if (!strcmp(r->party[p], name))
      return (int32_t)p;
  return !strcmp(name, "mediator") ? -1 : -2;
}

static bool read_event(pl_json_doc *j, run *r, const json_t *e) {
  if (!json_is_object(e)) {
    pl_json_fail(j, e,
                 NOT_NEGOTIATION "a trace event must be an object, not "
                                 "%s",
                 pl_json_type_name(e));
    return false;
  }
  const json_t *round = json_object_get(e, "round");
  const char *party = get_string(j, e, "party");
  const char *action = party ? get_string(j, e, "action") : NULL;
  if (!action)
    return false;
  if (!json_is_integer(round) || json_integer_value(round) < 1) {
    pl_json_fail(j, round ? round : e,
                 NOT_NEGOTIATION "\"round\" must be an integer >= 1");
    return false;
  }
  int32_t by = party_index(r, party);
  if (by == -2) {
    pl_json_fail_member(j, e, "party", false,
                        NOT_NEGOTIATION "\"%s\" is not one of \"parties\"",
                        party);
    return false;
  }
  const json_t *u = json_object_get(e, "utilities");
  if (!u || (strcmp(action, "offer") && strcmp(action, "draft")))
    return true;
  offer *o = &r->offers[r->noffers];
  o->round = (uint32_t)json_integer_value(round);
  o->by = by;
  if (!read_utilities(j, u, r->np, o->u, "\"utilities\""))
    return false;
  r->noffers++;
  return true;
}

static bool read_document(pl_json_doc *j, const json_t *root, run *r) {
  if (!json_is_object(root)) {
    pl_json_fail(j, root,
                 NOT_NEGOTIATION "the document must be an object, "
                                 "not %s",
                 pl_json_type_name(root));
    return false;
  }
  const json_t *version = json_object_get(root, "schema_version");
  if (!json_is_integer(version) || json_integer_value(version) != 1) {
    pl_json_fail(j, version ? version : root,
                 NOT_NEGOTIATION "\"schema_version\" must be 1");
    return false;
  }
  if (!read_names(j, root, "parties", r->party, &r->np) ||
      !read_names(j, root, "agents", r->agent, &r->np) ||
      !(r->protocol = get_string(j, root, "protocol")))
    return false;
  const json_t *reason = json_object_get(root, "reason");
  r->reason = json_is_object(reason)
                  ? json_string_value(json_object_get(reason, "kind"))
                  : NULL;
  if (!r->reason) {
    pl_json_fail(j, reason ? reason : root,
                 NOT_NEGOTIATION "\"reason\" must be an object with a "
                                 "\"kind\"");
    return false;
  }
  r->by = json_string_value(json_object_get(reason, "by"));
  const json_t *rounds = json_object_get(root, "rounds");
  if (!json_is_integer(rounds) || json_integer_value(rounds) < 0) {
    pl_json_fail(j, rounds ? rounds : root,
                 NOT_NEGOTIATION "\"rounds\" must be an integer >= 0");
    return false;
  }
  r->rounds = (uint32_t)json_integer_value(rounds);
  const json_t *agreement = json_object_get(root, "agreement");
  if (json_is_object(agreement)) {
    r->agreed = read_utilities(j, json_object_get(agreement, "utilities"),
                               r->np, r->agreement,
                               "the agreement's "
                               "\"utilities\"");
    if (!r->agreed)
      return false;
  }
  const json_t *pd = json_object_get(root, "pareto_distance");
  const json_t *nd = json_object_get(root, "nash_distance");
  r->has_pareto = json_is_number(pd), r->has_nash_distance = json_is_number(nd);
  r->pareto_distance = json_number_value(pd);
  r->nash_distance = json_number_value(nd);
  r->welfare = json_number_value(json_object_get(root, "welfare"));
  const json_t *trace = json_object_get(root, "trace");
  if (!json_is_array(trace)) {
    pl_json_fail(j, trace ? trace : root, NOT_NEGOTIATION "%s",
                 trace ? "\"trace\" must be an array"
                       : "no \"trace\": save the run with "
                         "`parley negotiate --json --trace`");
    return false;
  }
  r->offers = malloc((json_array_size(trace) + 1) * sizeof *r->offers);
  if (!r->offers) {
    pl_json_fail(j, NULL, "out of memory");
    return false;
  }
  for (size_t k = 0; k < json_array_size(trace); k++)
    if (!read_event(j, r, json_array_get(trace, k)))
      return false;
  return true;
}

pl_status pl_report_add_negotiation_file(pl_report *rep, const char *path,
                                         const pl_scenario *s, pl_diag *d) {
  char *text = pl_read_file(path, d);
  if (!text)
    return PL_EINPUT;
  pl_json_doc j;
  json_t *root = pl_json_doc_open(&j, text, path, d);
  run r = {0};
  bool ok = root && read_document(&j, root, &r);
  pl_analysis *a = NULL;
  if (ok && s && s->nparties != r.np) {
    pl_diag_add(d, path, 0, 0,
                "the run has %u parties but the scenario has %u: give the "
                "scenario it was run on",
                r.np, s->nparties);
    ok = false;
  }
  if (ok && s) {
    pl_status st;
    a = pl_analyze(s, NULL, d, &st);
    ok = a != NULL;
  }
  if (ok) {
    take_analysis(&r, a);
    char title[4200];
    snprintf(title, sizeof title, "Negotiation: %s", path);
    page(rep, &r, title);
  }
  free(r.offers);
  pl_analysis_free(a);
  if (root)
    pl_json_doc_close(&j, root);
  free(text);
  if (!ok)
    return pl_diag_count(d) ? PL_EINPUT : PL_ENOMEM;
  return rep->failed ? PL_ENOMEM : PL_OK;
}
