/* tournament_page.c - the report of a tournament results folder
 * (parley_report.h): the ranking with its confidence intervals, agreement
 * rates, an agent x agent heat map of mean utility, per scenario. */
#include "report/page.h"
#include "util/fmt.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Agents drawn in the heat map at most (the ranking lists all). */
enum { MAX_HEAT = 24 };

static int32_t agent_index(const pl_tour_summary *s, const char *name) {
  for (size_t k = 0; k < s->nagents; k++)
    if (!strcmp(s->standings[k].agent, name))
      return (int32_t)k;
  return -1;
}

/* Horizontal intervals: one row per agent, a dot at the mean and a
 * whisker over the 95% interval. */
static void interval_plot(pl_report *r, const pl_tour_summary *s, bool rate) {
  const double left = 170, top = 30, rh = 24, w = 460;
  pl_svg g;
  pl_svg_begin(&g, left + w + 200, top + rh * (double)s->nagents + 50,
               rate ? "Tournament: agreement rate per agent"
                    : "Tournament: mean utility per agent",
               rate ? "Share of each agent's negotiations that ended in an "
                      "agreement, with its 95% Wilson interval."
                    : "Each agent's mean utility over its seats, with the "
                      "95% Student t interval.");
  pl_axes ax = {.x = left,
                .y = top,
                .w = w,
                .h = rh * (double)s->nagents,
                .xmin = 0,
                .xmax = 1,
                .ymin = 0,
                .ymax = (double)s->nagents};
  pl_svg_axes(&g, &ax, 10, 0, 1, 1,
              rate ? "agreement rate (share of negotiations)"
                   : "mean utility (95% interval)",
              NULL);
  for (size_t k = 0; k < s->nagents; k++) {
    const pl_tour_standing *st = &s->standings[k];
    double y = top + rh * (double)k + rh / 2;
    double mean = rate ? st->rate : st->utility.mean;
    bool ci = rate || st->utility.has_ci;
    double lo = rate ? st->rate_lo : st->utility.lo;
    double hi = rate ? st->rate_hi : st->utility.hi;
    char m[32], l[32], h[32], tip[600], label[300];
    snprintf(tip, sizeof tip, "%s: %s [%s, %s]", st->agent,
             pl_page_fixed(m, sizeof m, mean, 3),
             ci ? pl_page_fixed(l, sizeof l, lo, 3) : "-",
             ci ? pl_page_fixed(h, sizeof h, hi, 3) : "-");
    snprintf(label, sizeof label, "%u. %s", st->rank, st->agent);
    pl_svg_group_begin(&g, tip);
    pl_svg_text(&g, left - 8, y + 4, "end", 12, false, 0, NULL, label);
    const char *c = pl_category_colour((uint32_t)k);
    if (ci) {
      pl_svg_line(&g, pl_axes_px(&ax, lo), y, pl_axes_px(&ax, hi), y, c, 2,
                  NULL);
      pl_svg_line(&g, pl_axes_px(&ax, lo), y - 5, pl_axes_px(&ax, lo), y + 5, c,
                  2, NULL);
      pl_svg_line(&g, pl_axes_px(&ax, hi), y - 5, pl_axes_px(&ax, hi), y + 5, c,
                  2, NULL);
    }
    pl_svg_marker(&g, 'o', pl_axes_px(&ax, mean), y, 5, c, "#000000", NULL);
    pl_svg_text(&g, left + w + 10, y + 4, "start", 11, false, 0, NULL, tip);
    pl_svg_group_end(&g);
  }
  pl_page_plot(r, rate ? "tournament-agreements" : "tournament-ranking", &g,
               rate ? "Agreement rate with its 95% Wilson score interval."
                    : "Agents ranked by mean utility; whiskers are the 95% "
                      "Student t interval of the mean (docs/tournament.md).");
}

/* Sum and count of the row agent's utility against each column agent,
 * from results.jsonl in index order (the same sums whatever the order the
 * rows were written in). */
static bool heat_sums(const char *dir, const pl_tour_summary *s, double *sum,
                      uint64_t *n, pl_diag *d) {
  char path[4096];
  if (!pl_tour_path(path, sizeof path, dir, PL_TOUR_RESULTS))
    return false;
  pl_tour_lines lines = {0};
  pl_tour_read info;
  if (!pl_tour_read_lines(path, &lines, &info, d))
    return false;
  pl_tour_lines_sort(&lines);
  size_t na = s->nagents;
  for (size_t k = 0; k < lines.n; k++) {
    json_t *row =
        json_loadb(lines.text.p + lines.at[k].off, lines.at[k].len, 0, NULL);
    const json_t *agents = json_object_get(row, "agents");
    const json_t *u = json_object_get(row, "utilities");
    size_t np = json_array_size(agents);
    for (size_t p = 0; np == json_array_size(u) && p < np; p++)
      for (size_t q = 0; q < np; q++) {
        int32_t i =
            agent_index(s, json_string_value(json_array_get(agents, p)));
        int32_t j =
            agent_index(s, json_string_value(json_array_get(agents, q)));
        if (p == q || i < 0 || j < 0)
          continue;
        sum[(size_t)i * na + (size_t)j] +=
            json_number_value(json_array_get(u, p));
        n[(size_t)i * na + (size_t)j]++;
      }
    json_decref(row);
  }
  pl_tour_lines_free(&lines);
  return true;
}

static void heat_map(pl_report *r, const char *dir, const pl_tour_summary *s,
                     pl_diag *d) {
  size_t na = s->nagents < MAX_HEAT ? s->nagents : MAX_HEAT;
  double *sum = calloc(s->nagents * s->nagents + 1, sizeof *sum);
  uint64_t *n = calloc(s->nagents * s->nagents + 1, sizeof *n);
  if (!sum || !n || !heat_sums(dir, s, sum, n, d)) {
    free(sum), free(n);
    pl_page_para(r, "note",
                 "The results rows could not be read: no heat "
                 "map.");
    return;
  }
  const double left = 170, top = 90, cw = 70, ch = 26;
  pl_svg g;
  pl_svg_begin(&g, left + cw * (double)na + 40, top + ch * (double)na + 70,
               "Tournament: mean utility of each agent against each other",
               "Rows: the agent whose utility is shown; columns: the agent "
               "it faced.");
  pl_svg_text(&g, left + cw * (double)na / 2, 20, "middle", 12, true, 0, NULL,
              "against (opponent)");
  for (size_t j = 0; j < na; j++) {
    char shortname[24];
    const char *name = s->standings[j].agent;
    snprintf(shortname, sizeof shortname, "%.10s%s", name,
             strlen(name) > 10 ? "." : "");
    pl_svg_text(&g, left + cw * (double)j + cw / 2, top - 10, "middle", 11,
                false, 0, NULL, shortname);
  }
  for (size_t i = 0; i < na; i++) {
    double y = top + ch * (double)i;
    pl_svg_text(&g, left - 8, y + 17, "end", 12, false, 0, NULL,
                s->standings[i].agent);
    for (size_t j = 0; j < na; j++) {
      uint64_t c = n[i * s->nagents + j];
      double m = c ? sum[i * s->nagents + j] / (double)c : 0;
      char colour[8], num[32], tip[600];
      pl_viridis(m, colour);
      snprintf(tip, sizeof tip,
               "%s against %s: mean utility %s over %llu "
               "seats",
               s->standings[i].agent, s->standings[j].agent,
               c ? pl_page_fixed(num, sizeof num, m, 3) : "-",
               (unsigned long long)c);
      pl_svg_group_begin(&g, tip);
      pl_svg_rect(&g, left + cw * (double)j, y, cw, ch, c ? colour : "#ffffff",
                  "#bbbbbb", 1);
      pl_svg_text(&g, left + cw * (double)j + cw / 2, y + 17, "middle", 11,
                  false, 0, c && m < 0.6 ? "#ffffff" : "#000000",
                  c ? pl_page_fixed(num, sizeof num, m, 2) : "-");
      pl_svg_group_end(&g);
    }
  }
  pl_svg_colour_scale(&g, left, top + ch * (double)na + 30, 200, "0", "1",
                      "mean utility");
  free(sum), free(n);
  pl_page_plot(r, "tournament-heatmap", &g,
               "Each cell is the row agent's mean utility in the "
               "negotiations where it faced the column agent (viridis, 0 "
               "to 1); '-': they never met.");
}

static void scenario_table(pl_report *r, const pl_tour_summary *s) {
  const char *head[] = {"scenario", "negotiations", "agreements",
                        "mean welfare"};
  pl_page_table_begin(r, "Per scenario", head, 4);
  for (size_t k = 0; k < s->nscenarios; k++) {
    char done[40] = "#", agr[40] = "#", w[40] = "#";
    pl_page_count(done + 1, sizeof done - 1, s->sc_done[k]);
    pl_page_count(agr + 1, sizeof agr - 1, s->sc_agreements[k]);
    pl_page_fixed(w + 1, sizeof w - 1, s->sc_welfare[k].mean, 3);
    const char *row[] = {s->scenarios[k], done, agr, w};
    pl_page_table_row(r, row, 4);
  }
  pl_page_table_end(r);
}

pl_status pl_report_add_tournament(pl_report *r, const char *dir, pl_diag *d) {
  pl_tour_summary s = {0};
  if (!pl_tour_summary_of(dir, &s, d))
    return PL_EINPUT;
  char heading[600], done[32], total[32];
  snprintf(heading, sizeof heading, "Tournament: %s", s.name ? s.name : dir);
  pl_page_section(r, heading);
  pl_page_count(done, sizeof done, s.done);
  pl_page_count(total, sizeof total, s.total);
  pl_page_para(r, s.done == s.total ? "verdict ok" : "verdict",
               "%s of %s negotiations, %zu agents, %zu scenarios.%s", done,
               total, s.nagents, s.nscenarios,
               s.done == s.total ? ""
                                 : " The run is not complete: resume it "
                                   "with parley tournament --resume.");
  if (s.nagents) {
    interval_plot(r, &s, false);
    interval_plot(r, &s, true);
    heat_map(r, dir, &s, d);
  }
  scenario_table(r, &s);
  pl_tour_summary_free(&s);
  return r->failed ? PL_ENOMEM : PL_OK;
}
