/* report_text.c - the analysis for people: aligned tables, each section with
 * a line saying what it means (definitions in docs/analysis.md). */
#include "io/report.h"
#include "util/fmt.h"
#include "util/wrap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- A small table: cells of text, columns padded to the widest cell. ---- */

enum { MAX_COLS = 12, MAX_CELL = 160 };

typedef struct table {
  size_t rows, cap, cols;
  char (*cell)[MAX_COLS][MAX_CELL];
} table;

static void table_init(table *t, size_t cols) {
  memset(t, 0, sizeof *t);
  t->cols = cols < MAX_COLS ? cols : MAX_COLS;
}

/* Adds a row; cells are given as printf-free strings, NULL for empty. */
static void table_row(table *t, const char *const *cells, size_t n) {
  if (t->rows == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    void *p = realloc(t->cell, cap * sizeof *t->cell);
    if (!p)
      return;
    t->cell = p;
    t->cap = cap;
  }
  for (size_t c = 0; c < t->cols; c++)
    snprintf(t->cell[t->rows][c], MAX_CELL, "%s",
             c < n && cells[c] ? cells[c] : "");
  t->rows++;
}

static size_t width(const char *s) { return pl_text_width(s); }

/* Columns after the first are right-aligned when `numeric`. */
static void table_print(table *t, FILE *out, const char *indent, bool numeric) {
  size_t w[MAX_COLS] = {0};
  for (size_t r = 0; r < t->rows; r++)
    for (size_t c = 0; c < t->cols; c++)
      if (width(t->cell[r][c]) > w[c])
        w[c] = width(t->cell[r][c]);
  for (size_t r = 0; r < t->rows; r++) {
    fputs(indent, out);
    for (size_t c = 0; c < t->cols; c++) {
      const char *x = t->cell[r][c];
      size_t pad = w[c] - width(x);
      bool right = numeric && c > 0;
      if (c > 0)
        fputs("  ", out);
      if (right)
        fprintf(out, "%*s", (int)pad, "");
      fputs(x, out);
      if (!right && c + 1 < t->cols)
        fprintf(out, "%*s", (int)pad, "");
    }
    fputc('\n', out);
  }
  free(t->cell);
  memset(t, 0, sizeof *t);
}

/* ---- Formatting helpers -------------------------------------------------- */

static const char *num(char *buf, double x) {
  pl_fmt_fixed(buf, 32, x, 3);
  return buf;
}

/* 1234567 -> "1,234,567" (grouping by hand: the locale is not used). */
static const char *count(char *buf, uint64_t n) {
  char raw[32];
  int len = snprintf(raw, sizeof raw, "%llu", (unsigned long long)n);
  int o = 0;
  for (int i = 0; i < len; i++) {
    if (i > 0 && (len - i) % 3 == 0)
      buf[o++] = ',';
    buf[o++] = raw[i];
  }
  buf[o] = 0;
  return buf;
}

static void value_text(const pl_scenario *s, uint32_t i, uint32_t v,
                       char *buf) {
  pl_issue_value_text(s, i, v, buf, MAX_CELL);
}

static void heading(FILE *out, const char *title, const char *explain) {
  fprintf(out, "\n%s\n", title);
  if (explain)
    fprintf(out, "  %s\n", explain);
}

/* ---- Sections ------------------------------------------------------------ */

/* Appends printf-style text to buf (of BUF_TEXT bytes) at *at. */
enum { BUF_TEXT = 8192 };
static void append(char *buf, size_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t *at, const char *fmt, ...) {
  if (*at >= BUF_TEXT)
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf + *at, BUF_TEXT - *at, fmt, ap);
  va_end(ap);
  *at += n > 0 ? (size_t)n : 0;
  if (*at >= BUF_TEXT)
    *at = BUF_TEXT - 1;
}

static void print_header(const pl_analysis *a, unsigned w, FILE *out) {
  const pl_scenario *s = a->s;
  char text[BUF_TEXT];
  size_t at = 0;
  append(text, &at, "parley %s - analysis of %s", pl_version(),
         s->title  ? s->title
         : s->name ? s->name
                   : "scenario");
  if (s->name && s->title)
    append(text, &at, " (%s)", s->name);
  pl_text_wrap(out, text, 0, 2, w);
  at = 0;
  append(text, &at, "%u parties:", s->nparties);
  for (uint32_t p = 0; p < s->nparties; p++)
    append(text, &at, "%s %s", p ? "," : "", s->actors[p].name);
  append(text, &at, "; %u ratifiers", s->nratifiers);
  for (uint32_t q = 0; q < s->nratifiers; q++)
    append(text, &at, "%s %s", q ? "," : ":", s->actors[s->nparties + q].name);
  append(text, &at, "; %u issues, %u constraints", s->nissues, s->nconstraints);
  pl_text_wrap(out, text, 0, 2, w);
}

static void print_space(const pl_analysis *a, FILE *out) {
  const pl_scenario *s = a->s;
  char b1[64], b2[64], b3[MAX_CELL];
  heading(out, "Deal space",
          "Packages are outcomes: one value for every issue.");
  table t;
  table_init(&t, 3);
  table_row(&t,
            (const char *[]){"outcomes", count(b1, a->outcomes),
                             "every combination of issue values"},
            3);
  table_row(&t,
            (const char *[]){"feasible", count(b1, a->feasible),
                             "meet every constraint"},
            3);
  for (uint32_t p = 0; p < s->nparties; p++) {
    char label[MAX_CELL];
    snprintf(label, sizeof label, "acceptable to %s", s->actors[p].name);
    snprintf(b3, sizeof b3, "feasible, red lines kept, utility >= %s",
             num(b2, s->actors[p].threshold));
    table_row(&t, (const char *[]){label, count(b1, a->acceptable[p]), b3}, 3);
  }
  for (uint32_t q = 0; q < s->nratifiers; q++) {
    const pl_actor *r = &s->actors[s->nparties + q];
    char label[MAX_CELL];
    snprintf(label, sizeof label, "approved by %s", r->name);
    snprintf(b3, sizeof b3, "feasible, utility >= %s", num(b2, r->threshold));
    table_row(&t, (const char *[]){label, count(b1, a->approved[q]), b3}, 3);
  }
  table_row(&t,
            (const char *[]){"agreement zone", count(b1, a->zone),
                             "feasible, acceptable to all, ratifiable"},
            3);
  table_print(&t, out, "  ", false);
}

/* Columns of packages: one row per issue, then utilities and verdicts. */
/* Widest cell of a package's column. */
static size_t package_width(const pl_scenario *s, const char *title,
                            const uint32_t *pk) {
  size_t w = width(title);
  for (uint32_t i = 0; i < s->nissues; i++) {
    char cell[MAX_CELL];
    value_text(s, i, pk[i], cell);
    if (width(cell) > w)
      w = width(cell);
  }
  return w > 14 ? w : 14; /* "0.700 approves" */
}

/* Width of the first column: issue and actor names. */
static size_t label_width(const pl_scenario *s) {
  size_t w = 11; /* "in the zone" */
  for (uint32_t i = 0; i < s->nissues; i++)
    if (width(s->issues[i].name) > w)
      w = width(s->issues[i].name);
  for (uint32_t x = 0; x < pl_num_actors(s); x++) {
    size_t aw = width(s->actors[x].name) + (x < s->nparties ? 0 : 11);
    if (aw > w)
      w = aw;
  }
  return w;
}

void pl_print_packages(const pl_scenario *s, FILE *out,
                       const char *const *titles,
                       const uint32_t *const *packages, size_t n,
                       unsigned fit) {
  size_t label = label_width(s);
  for (size_t first = 0, m; first < n; first += m) {
    /* as many columns as fit, at least one */
    size_t used = 2 + label;
    for (m = 0; first + m < n && m < MAX_COLS - 1; m++) {
      size_t cw = 2 + package_width(s, titles[first + m], packages[first + m]);
      if (m && fit && used + cw > fit)
        break;
      used += cw;
    }
    if (first)
      fputc('\n', out);
    table t;
    table_init(&t, m + 1);
    const char *row[MAX_COLS];
    char cells[MAX_COLS][MAX_CELL];
    row[0] = "";
    for (size_t k = 0; k < m; k++)
      row[k + 1] = titles[first + k];
    table_row(&t, row, m + 1);
    for (uint32_t i = 0; i < s->nissues; i++) {
      row[0] = s->issues[i].name;
      for (size_t k = 0; k < m; k++) {
        value_text(s, i, packages[first + k][i], cells[k]);
        row[k + 1] = cells[k];
      }
      table_row(&t, row, m + 1);
    }
    pl_verdicts v[MAX_COLS];
    for (size_t k = 0; k < m; k++)
      pl_judge(s, packages[first + k], &v[k]);
    for (uint32_t x = 0; x < pl_num_actors(s); x++) {
      bool party = x < s->nparties;
      snprintf(cells[MAX_COLS - 1], MAX_CELL, "%s%s", s->actors[x].name,
               party ? "" : " (ratifier)");
      row[0] = cells[MAX_COLS - 1];
      for (size_t k = 0; k < m; k++) {
        char b[32];
        const char *verdict =
            v[k].accepts[x] ? (party ? "accepts" : "approves") : "REJECTS";
        snprintf(cells[k], MAX_CELL, "%s %s", num(b, v[k].u[x]), verdict);
        row[k + 1] = cells[k];
      }
      table_row(&t, row, m + 1);
    }
    row[0] = "feasible";
    for (size_t k = 0; k < m; k++)
      row[k + 1] = v[k].feasible ? "yes" : "NO";
    table_row(&t, row, m + 1);
    row[0] = "in the zone";
    for (size_t k = 0; k < m; k++)
      row[k + 1] = v[k].in_zone ? "yes" : "no";
    table_row(&t, row, m + 1);
    table_print(&t, out, "  ", false);
  }
}

static void print_solutions(const pl_analysis *a, unsigned w, FILE *out) {
  heading(out, "Bargaining solutions over the agreement zone",
          "Gains are measured from each party's reservation value (no "
          "deal).");
  if (!a->has_solution) {
    fprintf(out, "  none: the agreement zone is empty.\n");
    return;
  }
  static const char *const titles[PL_NUM_SOLUTIONS] = {
      "Nash", "Kalai-Smorodinsky", "egalitarian", "utilitarian"};
  uint32_t vals[PL_NUM_SOLUTIONS][PL_MAX_ISSUES];
  const uint32_t *pk[PL_NUM_SOLUTIONS];
  for (int w = 0; w < PL_NUM_SOLUTIONS; w++) {
    pl_index_to_values(a->s, a->solution[w], vals[w]);
    pk[w] = vals[w];
  }
  pl_print_packages(a->s, out, titles, pk, PL_NUM_SOLUTIONS, w);
}

/* The packages of the first n frontier points, as columns #1, #2, ... */
static void print_frontier_packages(const pl_analysis *a, size_t n, unsigned w,
                                    FILE *out) {
  const pl_scenario *s = a->s;
  char(*titles)[24] = calloc(n, sizeof *titles);
  const char **tp = calloc(n, sizeof *tp);
  uint32_t(*vals)[PL_MAX_ISSUES] = calloc(n, sizeof *vals);
  const uint32_t **pk = calloc(n, sizeof *pk);
  if (titles && tp && vals && pk) {
    for (size_t k = 0; k < n; k++) {
      snprintf(titles[k], sizeof titles[k], "#%zu", k + 1);
      tp[k] = titles[k];
      pl_index_to_values(s, a->front_index[k], vals[k]);
      pk[k] = vals[k];
    }
    char last[32] = "";
    if (n > 1)
      snprintf(last, sizeof last, " %s #%zu", n == 2 ? "and" : "to", n);
    fprintf(out,
            "\n  The package%s of point%s #1%s (--frontier-packages N shows "
            "the first N):\n",
            n == 1 ? "" : "s", n == 1 ? "" : "s", last);
    pl_print_packages(s, out, tp, pk, n, w);
  }
  free(titles);
  free(tp);
  free(vals);
  free(pk);
}

static void print_frontier(const pl_analysis *a, const pl_text_options *o,
                           FILE *out) {
  if (a->opt.no_frontier) {
    heading(out, "Pareto frontier", "Not requested (--frontier none).");
    return;
  }
  if (!a->frontier_known) {
    heading(out, "Pareto frontier",
            "Not computed: too large to find within the search budget "
            "(the solutions above are exact).");
    if (a->frontier_note[0])
      fprintf(out, "  (%s)\n", a->frontier_note);
    return;
  }
  const pl_scenario *s = a->s;
  char b[64];
  char title[160];
  snprintf(title, sizeof title,
           "Pareto frontier of %s: %s points (%s distinct)",
           a->frontier_all ? "the feasible packages" : "the agreement zone",
           count(b, a->nfront), count(b + 32, a->front_distinct));
  heading(out, title,
          "No other package is at least as good for every party and better "
          "for one.");
  enum { SHOWN = 12 };
  uint32_t np = s->nparties < MAX_COLS - 1 ? s->nparties : MAX_COLS - 1;
  table t;
  table_init(&t, np + 1);
  const char *row[MAX_COLS];
  char cells[MAX_COLS][MAX_CELL];
  row[0] = "#";
  for (uint32_t p = 0; p < np; p++)
    row[p + 1] = s->actors[p].name;
  table_row(&t, row, np + 1);
  for (size_t k = 0; k < a->nfront && k < SHOWN; k++) {
    snprintf(cells[0], MAX_CELL, "%zu", k + 1);
    row[0] = cells[0];
    for (uint32_t p = 0; p < np; p++) {
      num(cells[p + 1], a->front_u[k * s->nparties + p]);
      row[p + 1] = cells[p + 1];
    }
    table_row(&t, row, np + 1);
  }
  if (a->nfront)
    table_print(&t, out, "  ", true);
  else
    free(t.cell);
  if (a->nfront > SHOWN)
    fprintf(out, "  ... %zu more; --json lists every point with its package\n",
            a->nfront - SHOWN);
  size_t np_shown =
      a->nfront < o->frontier_packages ? a->nfront : o->frontier_packages;
  if (np_shown)
    print_frontier_packages(a, np_shown, o->width, out);
}

static void print_open_values(const pl_analysis *a, unsigned w, FILE *out) {
  const pl_scenario *s = a->s;
  char b[32];
  heading(out, "Inside the agreement zone",
          "Values of each issue that occur in at least one agreement.");
  for (uint32_t i = 0; i < s->nissues; i++) {
    char text[BUF_TEXT];
    size_t at = 0;
    const char *name = s->issues[i].name;
    size_t nw = width(name);
    fprintf(out, "  %s%*s", name, nw < 24 ? (int)(24 - nw) : 0, "");
    uint32_t n = 0;
    for (uint32_t v = 0; v < s->issues[i].nvalues; v++) {
      if (!a->open[s->offset[i] + v])
        continue;
      char buf[MAX_CELL];
      value_text(s, i, v, buf);
      append(text, &at, "%s%s", n++ ? ", " : " ", buf);
    }
    if (n == 1)
      append(text, &at, "   (settled)");
    size_t col = 2 + (nw < 24 ? 24 : nw);
    pl_text_wrap(out, text, col, 27, w);
  }
  fprintf(out,
          "  slack of the zone: %s (the best agreement's smallest margin "
          "above any threshold)\n",
          num(b, a->zone_slack));
}

static void block_name(const pl_scenario *s, const pl_block *b, char *buf) {
  if (b->nissues == 1)
    snprintf(buf, MAX_CELL, "%s", s->issues[b->issues[0]].name);
  else
    snprintf(buf, MAX_CELL, "%s + %s", s->issues[b->issues[0]].name,
             s->issues[b->issues[1]].name);
}

/* The package that opens the zone at delta*: its values, then each actor's
 * utility against its threshold lowered by delta*, which it meets. */
static void print_concession(const pl_analysis *a, unsigned w, FILE *out) {
  const pl_scenario *s = a->s;
  uint32_t values[PL_MAX_ISSUES];
  pl_index_to_values(s, a->concession_index, values);
  size_t label = label_width(s); /* the actors' column below */
  for (uint32_t i = 0; i < s->nissues; i++) {
    char cell[MAX_CELL];
    value_text(s, i, values[i], cell);
    const char *name = s->issues[i].name;
    fprintf(out, "    %s%*s  %s\n", name, (int)(label - width(name)), "", cell);
  }
  table t;
  table_init(&t, 4);
  table_row(
      &t, (const char *[]){"", "utility", "threshold - delta*", "verdict"}, 4);
  for (uint32_t x = 0; x < pl_num_actors(s); x++) {
    bool party = x < s->nparties;
    double u = pl_actor_utility(s, x, values), t0 = s->actors[x].threshold;
    char name[MAX_CELL], b1[32], b2[32], b3[32], b4[32], low[MAX_CELL];
    char verdict[MAX_CELL];
    snprintf(name, sizeof name, "%s%s", s->actors[x].name,
             party ? "" : " (ratifier)");
    snprintf(low, sizeof low, "%s = %s - %s", num(b1, t0 - a->delta),
             num(b2, t0), num(b3, a->delta));
    bool meets = u >= t0 - a->delta - PL_EPS;
    if (u >= t0 - PL_EPS)
      snprintf(verdict, sizeof verdict, "%s", party ? "accepts" : "approves");
    else
      snprintf(verdict, sizeof verdict, "%s at delta* (%s below %s)",
               meets ? (party ? "accepts" : "approves") : "REJECTS",
               num(b4, t0 - u), num(b2, t0));
    table_row(&t, (const char *[]){name, num(b1, u), low, verdict}, 4);
  }
  table_print(&t, out, "    ", false);
  pl_verdicts v;
  pl_judge(s, values, &v);
  fprintf(out, "    constraints and red lines: %s\n",
          v.feasible ? "kept" : "NOT kept");
  (void)w;
}

static void print_blocking(const pl_analysis *a, unsigned w, FILE *out) {
  const pl_scenario *s = a->s;
  heading(out, "What holds the deal up",
          "The agreement zone is empty. Parking issues lets each side "
          "assume they go its way;");
  fprintf(out, "  a set blocks when everything else could then be agreed.\n");
  size_t singles = 0;
  for (size_t k = 0; k < a->nblocks; k++)
    singles += a->blocks[k].nissues == 1;
  table t;
  table_init(&t, 3);
  table_row(&t, (const char *[]){"blocking", "slack", "partial packages"}, 3);
  for (size_t k = 0; k < a->nblocks; k++) {
    char name[MAX_CELL], b1[32], b2[32];
    block_name(s, &a->blocks[k], name);
    table_row(&t,
              (const char *[]){name, num(b1, a->blocks[k].slack),
                               a->blocks[k].count == PL_NOT_COUNTED
                                   ? "not counted"
                                   : count(b2, a->blocks[k].count)},
              3);
  }
  if (a->nblocks) {
    fprintf(out, "\n  %zu issue(s) block alone, %zu minimal pair(s):\n",
            singles, a->nblocks - singles);
    table_print(&t, out, "    ", true);
    fputc('\n', out);
    pl_text_wrap(out,
                 "    slack: with the set parked, how much every threshold "
                 "could rise together and a package of the other issues "
                 "still be accepted and ratified by all (the best such "
                 "package's smallest margin).",
                 0, 4, w);
    pl_text_wrap(out,
                 "    partial packages: how many packages of the other "
                 "issues everyone could then accept (docs/analysis.md, "
                 "7.2).",
                 0, 4, w);
  } else {
    free(t.cell);
    fprintf(out,
            "\n  No single issue%s blocks: the disagreement is spread "
            "wider.\n",
            a->pairs_checked ? " and no pair" : "");
  }
  if (!a->pairs_checked && a->blocking_note[0])
    fprintf(out, "  (%s)\n", a->blocking_note);
  pl_print_who(a, out);
  if (!a->has_concession) {
    fprintf(out, a->concession_unknown
                     ? "\n  Minimal uniform concession: not found (its "
                       "branch and bound search ran out of nodes).\n"
                     : "\n  No package meets every constraint and red line: "
                       "no lowering of thresholds opens the zone.\n");
    return;
  }
  char b[32];
  fprintf(out, "\n  Minimal uniform concession: delta* = %s\n",
          num(b, a->delta));
  pl_text_wrap(out,
               "  Lowering every reservation value and ratification "
               "threshold by delta* opens the zone, first with this "
               "package, which every actor accepts at its lowered "
               "threshold:",
               0, 2, w);
  print_concession(a, w, out);
  pl_print_rules_out(a, out);
}

static void print_proposals(const pl_analysis *a, unsigned w, FILE *out) {
  const pl_scenario *s = a->s;
  size_t n = s->nproposals + pl_extra_count(a); /* then --package */
  if (!n)
    return;
  heading(out, "Proposals on the table", NULL);
  const char **titles = calloc(n, sizeof *titles);
  const uint32_t **pk = calloc(n, sizeof *pk);
  char(*names)[32] = calloc(n, sizeof *names);
  if (titles && pk && names) {
    for (size_t k = 0; k < n; k++) {
      bool own = k < s->nproposals;
      snprintf(names[k], sizeof names[k], "package %zu", k - s->nproposals + 1);
      titles[k] = own ? s->proposals[k].name : names[k];
      pk[k] =
          own ? s->proposals[k].values : pl_extra_package(a, k - s->nproposals);
    }
    pl_print_packages(s, out, titles, pk, n, w);
  }
  free(names);
  free(titles);
  free(pk);
}

static void print_verdict(const pl_analysis *a, FILE *out) {
  char b[64];
  if (a->zone > 0)
    fprintf(out,
            "\nVerdict: %s package(s) can be accepted by every party and "
            "ratified.\n",
            count(b, a->zone));
  else
    fprintf(out, "\nVerdict: no package can be accepted by every party and "
                 "ratified as the talks stand.\n");
}

/* Above --max-outcomes: say what was computed, and how. */
static void print_unenumerated(const pl_analysis *a, unsigned w, FILE *out) {
  char b[64];
  if (a->counted_mitm) {
    print_space(a, out);
    fprintf(out, "\n  Counted exactly by meet in the middle: the issues split "
                 "in two halves,\n  each enumerated once.\n");
  } else {
    heading(out, "Deal space", NULL);
  }
  fprintf(out,
          "  %s outcomes: more than --max-outcomes, so they were not "
          "enumerated.\n"
          "  The ideal point, the solutions, the slack or the concession and\n"
          "  the blocking issues below are exact, found by branch and bound\n"
          "  (%s search nodes in all) without enumerating.\n",
          count(b, a->outcomes), count(b + 32, a->bnb_nodes));
  if (a->count_note[0])
    fprintf(out, "  (%s)\n", a->count_note);
  if (a->count_estimate > 0)
    fprintf(out,
            "  Counting the zone by enumeration would take about %s s on %u "
            "thread(s)\n  (measured on a slice of the space; raise "
            "--max-outcomes to run it).\n",
            num(b, a->count_estimate), a->threads);
  if (a->counted_mitm)
    print_verdict(a, out);
  else
    fprintf(out, "\nVerdict: the agreement zone is %s.\n",
            a->has_solution ? "not empty" : "empty");
  if (!a->has_solution)
    print_blocking(a, w, out);
  else if (a->has_zone_slack)
    fprintf(out,
            "  slack of the zone: %s (the best agreement's smallest margin "
            "above any threshold)\n",
            num(b, a->zone_slack));
}

void pl_text_options_init(pl_text_options *o) {
  o->width = 100;
  o->frontier_packages = 3;
}

pl_status pl_analysis_write_text_with(const pl_analysis *a,
                                      const pl_text_options *o, FILE *out) {
  char b[32];
  pl_text_options def;
  if (!o) {
    pl_text_options_init(&def);
    o = &def;
  }
  unsigned w = o->width;
  print_header(a, w, out);
  if (!a->enumerated) {
    print_unenumerated(a, w, out);
  } else {
    print_space(a, out);
    print_verdict(a, out);
    if (a->zone == 0)
      print_blocking(a, w, out);
    else
      print_open_values(a, w, out);
  }
  print_solutions(a, w, out);
  print_frontier(a, o, out);
  if (a->has_opposition) {
    char text[256];
    snprintf(text, sizeof text,
             "Opposition: %s (0 when one package gives every party its best; "
             "larger means more conflict)",
             num(b, a->opposition));
    fputc('\n', out);
    pl_text_wrap(out, text, 0, 2, w);
  }
  print_proposals(a, w, out);
  pl_print_repairs(a, out);
  pl_print_linkages(a, out);
  pl_print_agenda(a, out);
  return ferror(out) ? PL_EIO : PL_OK;
}

pl_status pl_analysis_write_text(const pl_analysis *a, FILE *out) {
  return pl_analysis_write_text_with(a, NULL, out);
}
