/* analysis_page.c - the report of `parley analyze` (parley_report.h):
 * verdict, deal space, who blocks, outcome space, proposals, minimal
 * concession, solutions. */
#include "io/report.h"
#include "report/plots.h"

#include <stdlib.h>
#include <string.h>

static const char *const SOLUTION_NAME[PL_NUM_SOLUTIONS] = {
    "Nash", "Kalai-Smorodinsky", "egalitarian", "utilitarian"};

/* ---- Verdict and deal space --------------------------------------------- */

static void verdict(pl_report *r, const pl_analysis *a) {
  char n[32];
  bool counted = pl_counted(a);
  if (counted && a->zone > 0) {
    pl_page_count(n, sizeof n, a->zone);
    pl_page_para(r, "verdict ok",
                 "Verdict: %s package%s can be accepted by every party and "
                 "ratified.",
                 n, a->zone == 1 ? "" : "s");
  } else if (counted || !a->has_solution) {
    pl_page_para(r, "verdict",
                 "Verdict: no package can be accepted by every party and "
                 "ratified as the talks stand.");
  } else {
    pl_page_para(r, "verdict ok",
                 "Verdict: the agreement zone is not empty (found by "
                 "search; the space was too large to count).");
  }
}

typedef struct bar {
  const char *label;
  uint64_t n;
  const char *colour;
  const char *what;
} bar;

static void deal_space(pl_report *r, const pl_analysis *a) {
  const pl_scenario *s = a->s;
  if (!pl_counted(a)) {
    char n[32];
    pl_page_count(n, sizeof n, a->outcomes);
    pl_page_para(r, "note",
                 "%s packages: above --max-outcomes, and not counted (meet "
                 "in the middle does not apply), so there are no counts to "
                 "draw.",
                 a->outcomes_overflow ? "2^64 or more" : n);
    return;
  }
  uint32_t na = pl_num_actors(s);
  bar *bars = malloc((na + 3) * sizeof *bars);
  char(*labels)[300] = malloc((na + 3) * sizeof *labels);
  if (!bars || !labels) {
    free(bars), free(labels);
    r->failed = true;
    return;
  }
  size_t nb = 0;
  bars[nb++] = (bar){"all packages", a->outcomes, "#bdbdbd",
                     "every combination of issue values"};
  bars[nb++] =
      (bar){"feasible", a->feasible, "#8a8a8a", "meet every constraint"};
  for (uint32_t p = 0; p < na; p++) {
    bool party = p < s->nparties;
    snprintf(labels[p], sizeof labels[p], "%s %s",
             party ? "acceptable to" : "approved by", s->actors[p].name);
    int32_t owner = party ? (int32_t)p : s->actors[p].party;
    bars[nb++] = (bar){labels[p],
                       party ? a->acceptable[p] : a->approved[p - s->nparties],
                       owner >= 0 ? pl_category_colour((uint32_t)owner)
                                  : PL_OKABE_ITO[PL_C_PURPLE],
                       party ? "feasible, red lines kept, utility >= "
                               "reservation value"
                             : "feasible, utility >= approval threshold"};
  }
  bars[nb++] = (bar){"agreement zone", a->zone, PL_OKABE_ITO[PL_C_GREEN],
                     "feasible, acceptable to all, ratifiable"};
  const double left = 300, top = 16, bh = 20, gap = 8, width = 380;
  pl_svg g;
  pl_svg_begin(&g, left + width + 170, top + (bh + gap) * (double)nb + 40,
               "Deal space: packages each actor accepts",
               "One bar per actor: how many packages it accepts (parties) "
               "or approves (ratifiers), against all and feasible packages.");
  double max = a->outcomes ? (double)a->outcomes : 1;
  for (size_t k = 0; k < nb; k++) {
    double y = top + (bh + gap) * (double)k;
    char n[32], pct[32], text[80], tip[700];
    pl_page_count(n, sizeof n, bars[k].n);
    pl_page_fixed(pct, sizeof pct, 100.0 * (double)bars[k].n / max, 1);
    snprintf(text, sizeof text, "%s (%s%%)", n, pct);
    snprintf(tip, sizeof tip, "%s: %s packages (%s)", bars[k].label, n,
             bars[k].what);
    pl_svg_group_begin(&g, tip);
    pl_svg_text(&g, left - 8, y + 14, "end", 12, k + 1 == nb, 0, NULL,
                bars[k].label);
    pl_svg_rect(&g, left, y, width * (double)bars[k].n / max, bh,
                bars[k].colour, "#000000", 1);
    pl_svg_text(&g, left + width * (double)bars[k].n / max + 6, y + 14, "start",
                11, false, 0, NULL, text);
    pl_svg_group_end(&g);
  }
  double ya = top + (bh + gap) * (double)nb;
  pl_svg_line(&g, left, top - 4, left, ya, "#000000", 1, NULL);
  pl_svg_text(&g, left + width / 2, ya + 20, "middle", 12, false, 0, NULL,
              "packages (share of all packages in brackets)");
  pl_page_plot(r, "deal-space", &g,
               "A package is one value for every issue. A party accepts a "
               "feasible package that keeps its red lines and gives it at "
               "least its reservation value; a ratifier approves one that "
               "gives it at least its threshold. The agreement zone is "
               "what everyone accepts and approves.");
  free(bars), free(labels);
}

/* ---- Blocking ----------------------------------------------------------- */

static void blocking(pl_report *r, const pl_analysis *a) {
  const pl_scenario *s = a->s;
  pl_page_section(r, "What holds the deal up");
  if (!a->nblocks) {
    pl_page_para(r, NULL, "%s",
                 a->blocking_note[0] ? a->blocking_note
                                     : "No single issue or pair of issues "
                                       "blocks on its own.");
    return;
  }
  pl_page_para(r, NULL,
               "The agreement zone is empty. Parking a set of issues lets "
               "each side assume they go its way; the set blocks when "
               "everything else could then be agreed (docs/analysis.md).");
  const char *head[] = {"blocking set", "slack", "partial packages"};
  pl_page_table_begin(r, "Blocking issues and minimal pairs", head, 3);
  for (size_t k = 0; k < a->nblocks; k++) {
    const pl_block *b = &a->blocks[k];
    char set[300], slack[32], n[40];
    snprintf(set, sizeof set, "%s%s%s", s->issues[b->issues[0]].name,
             b->nissues > 1 ? " + " : "",
             b->nissues > 1 ? s->issues[b->issues[1]].name : "");
    slack[0] = '#';
    pl_page_fixed(slack + 1, sizeof slack - 1, b->slack, 3);
    n[0] = '#';
    if (b->count == PL_NOT_COUNTED)
      snprintf(n + 1, sizeof n - 1, "not counted");
    else
      pl_page_count(n + 1, sizeof n - 1, b->count);
    const char *row[] = {set, slack, n};
    pl_page_table_row(r, row, 3);
  }
  pl_page_table_end(r);
  pl_page_heading(r, "Who blocks, and by how much");
  if (a->enumerated)
    pl_plot_who_blocks(r, a);
  else
    pl_page_para(r, "note",
                 "The space was not enumerated, so the shortfalls per "
                 "settlement are not drawn.");
}

/* ---- Utilities against thresholds --------------------------------------- */

/* One block of bars: each actor's utility of a package, its threshold
 * (and the threshold lowered by delta when delta > 0). Returns the height
 * used. */
static double threshold_bars(pl_svg *g, double y, const pl_scenario *s,
                             const char *title, const uint32_t *v,
                             double delta) {
  const double left = 250, width = 400, bh = 16, gap = 6;
  pl_svg_text(g, 10, y + 14, "start", 13, true, 0, NULL, title);
  y += 26;
  pl_verdicts vd;
  pl_judge(s, v, &vd);
  for (uint32_t p = 0; p < pl_num_actors(s); p++) {
    double u = vd.u[p], t = s->actors[p].threshold;
    bool ok = u >= t - delta - PL_EPS && (p >= s->nparties || vd.red_ok[p]);
    char num[32], text[400], name[300];
    snprintf(name, sizeof name, "%s%s", s->actors[p].name,
             p < s->nparties ? "" : " (ratifier)");
    snprintf(text, sizeof text, "%s %s%s", pl_page_fixed(num, sizeof num, u, 3),
             ok ? (p < s->nparties ? "accepts" : "approves")
                : (p < s->nparties ? "REJECTS" : "REFUSES"),
             p < s->nparties && !vd.red_ok[p] ? " (red line)" : "");
    pl_svg_group_begin(g, text);
    pl_svg_text(g, left - 8, y + 12, "end", 12, false, 0, NULL, name);
    pl_svg_rect(g, left, y, width * (u > 0 ? (u < 1.2 ? u : 1.2) : 0) / 1.2, bh,
                ok ? PL_OKABE_ITO[PL_C_BLUE] : PL_OKABE_ITO[PL_C_VERMILLION],
                "#000000", 1);
    double xt = left + width * t / 1.2;
    pl_svg_line(g, xt, y - 3, xt, y + bh + 3, "#000000", 3, NULL);
    if (delta > 0) {
      double xl = left + width * (t - delta) / 1.2;
      pl_svg_line(g, xl, y - 3, xl, y + bh + 3, PL_OKABE_ITO[PL_C_ORANGE], 3,
                  "3,2");
    }
    pl_svg_text(g, left + width + 10, y + 12, "start", 11, !ok, 0, NULL, text);
    pl_svg_group_end(g);
    y += bh + gap;
  }
  return 26 + (bh + gap) * pl_num_actors(s) + 12;
}

static void threshold_legend(pl_svg *g, double y, bool lowered) {
  pl_svg_legend_item(g, 20, y, '#', PL_OKABE_ITO[PL_C_BLUE],
                     "accepts / approves");
  pl_svg_legend_item(g, 170, y, '#', PL_OKABE_ITO[PL_C_VERMILLION],
                     "rejects / refuses");
  pl_svg_line(g, 320, y - 7, 320, y + 7, "#000000", 3, NULL);
  pl_svg_text(g, 330, y + 4, "start", 11, false, 0, NULL,
              "threshold (reservation value or approval)");
  if (lowered) {
    pl_svg_line(g, 600, y - 7, 600, y + 7, PL_OKABE_ITO[PL_C_ORANGE], 3, "3,2");
    pl_svg_text(g, 610, y + 4, "start", 11, false, 0, NULL,
                "lowered by the concession");
  }
}

static double bars_height(const pl_scenario *s) {
  return 26 + 22.0 * pl_num_actors(s) + 12;
}

static void proposals(pl_report *r, const pl_analysis *a) {
  const pl_scenario *s = a->s;
  pl_page_section(r, "Proposals on the table");
  if (!s->nproposals) {
    pl_page_para(r, NULL, "The scenario has no proposals.");
    return;
  }
  pl_svg g;
  double h = bars_height(s) * s->nproposals + 50;
  pl_svg_begin(&g, 860, h, "Proposals: each actor's utility and threshold",
               "For each proposal, each actor's utility as a bar and its "
               "threshold as a tick.");
  double y = 8;
  for (uint32_t k = 0; k < s->nproposals; k++) {
    const pl_proposal *pr = &s->proposals[k];
    char title[500];
    snprintf(title, sizeof title, "%s%s%s", pr->name, pr->by ? ", by " : "",
             pr->by ? pr->by : "");
    y += threshold_bars(&g, y, s, title, pr->values, 0);
  }
  threshold_legend(&g, y + 14, false);
  pl_page_plot(r, "proposals", &g,
               "A bar is the actor's utility of the proposal (0 to 1.2 "
               "across), the black tick its threshold: a party accepts at "
               "or above its reservation value when its red lines are "
               "kept, a ratifier approves at or above its threshold.");
}

static void package_table(pl_report *r, const pl_scenario *s, const uint32_t *v,
                          const char *caption) {
  const char *head[] = {"issue", "value"};
  pl_page_table_begin(r, caption, head, 2);
  for (uint32_t i = 0; i < s->nissues; i++) {
    char val[300];
    pl_issue_value_text(s, i, v[i], val, sizeof val);
    const char *row[] = {s->issues[i].name, val};
    pl_page_table_row(r, row, 2);
  }
  pl_page_table_end(r);
}

static void concession(pl_report *r, const pl_analysis *a) {
  const pl_scenario *s = a->s;
  if (!a->has_concession) {
    if (a->concession_unknown)
      pl_page_para(r, "note",
                   "The minimal concession's search did not "
                   "finish within its budget.");
    return;
  }
  pl_page_section(r, "Minimal concession");
  char d[32];
  pl_page_fixed(d, sizeof d, a->delta, 3);
  pl_page_para(r, NULL,
               "Lowering every reservation value and ratification threshold "
               "by delta* = %s opens the agreement zone, first with the "
               "package below (no smaller uniform concession opens it).",
               d);
  uint32_t v[PL_MAX_ISSUES];
  pl_index_to_values(s, a->concession_index, v);
  package_table(r, s, v, "The concession package");
  pl_svg g;
  pl_svg_begin(&g, 860, bars_height(s) + 40,
               "Minimal concession: utilities against lowered thresholds",
               "The concession package's utility for each actor, its "
               "threshold and the threshold lowered by delta*.");
  char title[80];
  snprintf(title, sizeof title, "The concession package (delta* = %s)", d);
  double y = 8 + threshold_bars(&g, 8, s, title, v, a->delta);
  threshold_legend(&g, y + 10, true);
  pl_page_plot(r, "concession", &g,
               "Colours judge the package against the lowered thresholds "
               "(orange ticks): with delta* everyone accepts; the black "
               "ticks are the thresholds as they stand.");
}

/* ---- Solutions ---------------------------------------------------------- */

static void solutions_table(pl_report *r, const pl_analysis *a) {
  const pl_scenario *s = a->s;
  pl_page_section(r, "Bargaining solutions");
  if (!a->has_solution && !a->has_genius_ks) {
    pl_page_para(r, NULL, "None: the agreement zone is empty.");
    return;
  }
  uint32_t np = s->nparties;
  const char **head = calloc(np + s->nissues + 1, sizeof *head);
  const char **row = calloc(np + s->nissues + 1, sizeof *row);
  char(*cell)[300] = calloc(np + s->nissues + 1, sizeof *cell);
  if (!head || !row || !cell) {
    free(head), free(row), free(cell);
    r->failed = true;
    return;
  }
  head[0] = "solution";
  for (uint32_t p = 0; p < np; p++)
    head[1 + p] = s->actors[p].name;
  for (uint32_t i = 0; i < s->nissues; i++)
    head[1 + np + i] = s->issues[i].name;
  pl_page_table_begin(r, "Solutions: utilities and packages", head,
                      1 + np + s->nissues);
  for (int k = 0; k <= PL_NUM_SOLUTIONS; k++) {
    bool has = k < PL_NUM_SOLUTIONS ? a->has_solution : a->has_genius_ks;
    if (!has)
      continue;
    uint64_t idx = k < PL_NUM_SOLUTIONS ? a->solution[k] : a->genius_ks;
    uint32_t v[PL_MAX_ISSUES];
    pl_index_to_values(s, idx, v);
    row[0] = k < PL_NUM_SOLUTIONS ? SOLUTION_NAME[k]
                                  : "GENIUS \"KS\" (all feasible packages)";
    for (uint32_t p = 0; p < np; p++) {
      cell[p][0] = '#';
      pl_page_fixed(cell[p] + 1, sizeof cell[p] - 1, pl_actor_utility(s, p, v),
                    3);
      row[1 + p] = cell[p];
    }
    for (uint32_t i = 0; i < s->nissues; i++) {
      pl_issue_value_text(s, i, v[i], cell[np + i], sizeof cell[np + i]);
      row[1 + np + i] = cell[np + i];
    }
    pl_page_table_row(r, row, 1 + np + s->nissues);
  }
  pl_page_table_end(r);
  free(head), free(row), free(cell);
}

/* ---- Outcome space ------------------------------------------------------ */

static void add_mark(pl_space_view *v, const pl_scenario *s, const char *label,
                     char shape, const char *colour, uint64_t index) {
  pl_mark *m = &v->marks[v->nmarks++];
  *m = (pl_mark){.label = label, .shape = shape, .colour = colour};
  uint32_t vals[PL_MAX_ISSUES];
  pl_index_to_values(s, index, vals);
  for (uint32_t p = 0; p < s->nparties; p++)
    m->u[p] = pl_actor_utility(s, p, vals);
}

static void outcome_space(pl_report *r, const pl_analysis *a, pl_diag *d) {
  const pl_scenario *s = a->s;
  pl_page_section(r, "Outcome space");
  pl_space_view v = {.a = a,
                     .front_u = a->front_u,
                     .nfront = a->nfront,
                     .lo = 0,
                     .hi = 1,
                     .threads = a->threads};
  v.front_label = a->frontier_all ? "Pareto frontier of all feasible packages"
                                  : "Pareto frontier of the zone";
  for (uint32_t p = 0; p < s->nparties; p++)
    if (a->best_feasible[p] > v.hi)
      v.hi = a->best_feasible[p];
  /* An empty zone has no frontier of its own: draw that of every
   * feasible package, from a second analysis (cheap when enumerated). */
  pl_analysis *all = NULL;
  if (!a->nfront && !a->frontier_all && a->enumerated) {
    pl_analysis_options o = a->opt;
    o.frontier_all = true;
    o.no_frontier = false;
    pl_status st;
    all = pl_analyze(s, &o, d, &st);
    if (all) {
      v.front_u = all->front_u, v.nfront = all->nfront;
      v.front_label = "Pareto frontier of all feasible packages";
    }
  }
  v.marks = calloc(PL_NUM_SOLUTIONS + 2 + s->nproposals, sizeof *v.marks);
  if (!v.marks) {
    pl_analysis_free(all);
    r->failed = true;
    return;
  }
  static const char shapes[PL_NUM_SOLUTIONS] = {'s', 'd', '^', 'o'};
  static const int colours[PL_NUM_SOLUTIONS] = {PL_C_SKY, PL_C_YELLOW,
                                                PL_C_PURPLE, PL_C_GREEN};
  for (int k = 0; a->has_solution && k < PL_NUM_SOLUTIONS; k++)
    add_mark(&v, s, SOLUTION_NAME[k], shapes[k], PL_OKABE_ITO[colours[k]],
             a->solution[k]);
  if (a->has_genius_ks)
    add_mark(&v, s, "GENIUS \"KS\"", 'x', "#000000", a->genius_ks);
  for (uint32_t k = 0; k < s->nproposals; k++) {
    v.marks[v.nmarks] = (pl_mark){.label = s->proposals[k].name,
                                  .shape = '*',
                                  .colour = PL_OKABE_ITO[PL_C_VERMILLION]};
    for (uint32_t p = 0; p < s->nparties; p++)
      v.marks[v.nmarks].u[p] = pl_actor_utility(s, p, s->proposals[k].values);
    v.nmarks++;
  }
  if (a->has_concession)
    add_mark(&v, s, "concession package", 'd', PL_OKABE_ITO[PL_C_ORANGE],
             a->concession_index);
  if (!a->frontier_known && !all)
    pl_page_para(r, "note", "The frontier was not found: %s",
                 a->frontier_note[0] ? a->frontier_note : "not searched.");
  pl_plot_outcome_space(r, &v, d);
  free(v.marks);
  pl_analysis_free(all);
}

pl_status pl_report_add_analysis(pl_report *r, const pl_analysis *a,
                                 pl_diag *d) {
  const pl_scenario *s = a->s;
  char heading[600];
  snprintf(heading, sizeof heading, "Analysis: %s",
           s->title  ? s->title
           : s->name ? s->name
                     : "scenario");
  pl_page_section(r, heading);
  char n[32];
  if (a->outcomes_overflow)
    snprintf(n, sizeof n, "2^64 or more");
  else
    pl_page_count(n, sizeof n, a->outcomes);
  pl_page_para(r, "note",
               "Scenario %s: %u parties, %u ratifiers, %u issues, %u "
               "constraints, %s packages; utilities read as \"%s\".",
               s->name ? s->name : "(unnamed)", s->nparties, s->nratifiers,
               s->nissues, s->nconstraints, n, pl_scenario_reading(s));
  verdict(r, a);
  deal_space(r, a);
  if (pl_zone_empty(a))
    blocking(r, a);
  outcome_space(r, a, d);
  proposals(r, a);
  concession(r, a);
  solutions_table(r, a);
  return r->failed ? PL_ENOMEM : PL_OK;
}
