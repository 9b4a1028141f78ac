/* report_design.c - the deal-design parts of the analysis reports: who
 * blocks, proposal repairs, what each actor rules out (docs/analysis.md,
 * sections 7.5, 7.6 and 8.1; JSON keys in section 10). */
#include "analysis/design.h"
#include "io/report.h"
#include "parley_design.h"
#include "util/fmt.h"
#include "util/json_write.h"

#include <stdlib.h>
#include <string.h>

enum { VALUE_TEXT = 256 };

static json_t *shortfalls_json(const pl_scenario *s, const double *gap) {
  json_t *o = json_object();
  for (uint32_t x = 0; x < pl_num_actors(s); x++)
    json_object_set_new(o, s->actors[x].name, pl_json_computed(gap[x]));
  return o;
}

/* t_a - u_a(values) when positive, else 0, for every actor. */
static void shortfalls(const pl_scenario *s, const uint32_t *values,
                       double *gap) {
  for (uint32_t x = 0; x < pl_num_actors(s); x++) {
    double g = s->actors[x].threshold - pl_actor_utility(s, x, values);
    gap[x] = g > 0 ? g : 0;
  }
}

json_t *pl_who_json(const pl_analysis *a, size_t block) {
  const pl_scenario *s = a->s;
  const pl_block *b = &a->blocks[block];
  if (pl_blocking_who_count(a, block) == 0)
    return json_null(); /* a pair above the cap: not computed */
  json_t *arr = json_array();
  for (size_t j = 0; j < pl_blocking_who_count(a, block); j++) {
    uint32_t sv[2], v[PL_MAX_ISSUES];
    double gap[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
    bool found = pl_blocking_who(a, block, j, sv, v, gap);
    json_t *vals = json_object();
    for (uint32_t k = 0; k < b->nissues; k++)
      json_object_set_new(vals, s->issues[b->issues[k]].name,
                          pl_value_json(s, b->issues[k], sv[k]));
    json_array_append_new(
        arr,
        json_pack("{s:o, s:o, s:o}", "values", vals, "outcome",
                  found ? pl_outcome_json(s, v) : json_null(), "shortfalls",
                  found ? shortfalls_json(s, gap) : json_null()));
  }
  return arr;
}

size_t pl_extra_count(const pl_analysis *a) {
  return a->design ? a->design->nextra : 0;
}

const uint32_t *pl_extra_package(const pl_analysis *a, size_t k) {
  return a->design->extra + k * a->s->nissues;
}

json_t *pl_repair_json(const pl_analysis *a, size_t k, const uint32_t *from) {
  const pl_scenario *s = a->s;
  uint32_t v[PL_MAX_ISSUES], n;
  double at;
  if (!pl_repair(a, k, v, &n, &at))
    return json_null();
  json_t *changes = json_array();
  for (uint32_t i = 0; i < s->nissues; i++)
    if (v[i] != from[i])
      json_array_append_new(changes, json_string(s->issues[i].name));
  double gap[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  shortfalls(s, v, gap);
  return json_pack("{s:o, s:o, s:f, s:o}", "changes", changes, "outcome",
                   pl_outcome_json(s, v), "at_delta", pl_round_computed(at),
                   "shortfalls", shortfalls_json(s, gap));
}

/* Per actor, the values out of its reach, issue by issue; null when not
 * known (hyperRectangle profiles). */
json_t *pl_rules_out_json(const pl_analysis *a) {
  const pl_scenario *s = a->s;
  if (!a->design || !a->design->reach_known)
    return json_null();
  json_t *o = json_object();
  for (uint32_t x = 0; x < pl_num_actors(s); x++) {
    json_t *issues = json_object();
    for (uint32_t i = 0; i < s->nissues; i++) {
      json_t *vals = json_array();
      for (uint32_t v = 0; v < s->issues[i].nvalues; v++)
        if (pl_value_out_of_reach(a, x, i, v))
          json_array_append_new(vals, pl_value_json(s, i, v));
      if (json_array_size(vals))
        json_object_set_new(issues, s->issues[i].name, vals);
      else
        json_decref(vals);
    }
    json_t *red = json_array();
    for (uint32_t k = 0; x < s->nparties && k < s->actors[x].nred_lines; k++) {
      const pl_rule *r = &s->actors[x].red_lines[k];
      json_array_append_new(red, json_string(r->name ? r->name : r->text));
    }
    json_object_set_new(
        o, s->actors[x].name,
        json_pack("{s:o, s:o}", "out_of_reach", issues, "red_lines", red));
  }
  return o;
}

/* ---- Text ---------------------------------------------------------------- */

static const char *num(char *buf, double x) {
  pl_fmt_fixed(buf, 32, x, 3);
  return buf;
}

/* "Russia 0.200, Ukraine 0.050" or "nobody". */
static void print_short(const pl_scenario *s, const double *gap, FILE *out) {
  bool any = false;
  char b[32];
  for (uint32_t x = 0; x < pl_num_actors(s); x++)
    if (gap[x] > PL_EPS) {
      fprintf(out, "%s%s %s", any ? ", " : "", s->actors[x].name,
              num(b, gap[x]));
      any = true;
    }
  if (!any)
    fputs("nobody", out);
}

void pl_print_who(const pl_analysis *a, FILE *out) {
  const pl_scenario *s = a->s;
  if (!a->design || a->design->nwho == 0)
    return;
  fprintf(out, "\n  Who blocks: each value of a blocking set, with the best "
               "completion of the\n  other issues (largest smallest margin), "
               "and who is still short there, by how much:\n");
  size_t pairs = 0;
  for (size_t k = 0; k < a->design->nwho; k++) {
    const pl_block *b = &a->blocks[k];
    if (b->nissues > 1) { /* too many lines for a report: in the JSON */
      pairs++;
      continue;
    }
    for (size_t j = 0; j < pl_blocking_who_count(a, k); j++) {
      uint32_t sv[2], v[PL_MAX_ISSUES];
      double gap[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
      bool found = pl_blocking_who(a, k, j, sv, v, gap);
      fputs("    ", out);
      for (uint32_t i = 0; i < b->nissues; i++) {
        char t[VALUE_TEXT];
        pl_issue_value_text(s, b->issues[i], sv[i], t, sizeof t);
        fprintf(out, "%s%s = %s", i ? ", " : "", s->issues[b->issues[i]].name,
                t);
      }
      fputs(": ", out);
      if (found)
        print_short(s, gap, out);
      else
        fputs(a->design->who[k].e[j].complete
                  ? "no package with these values meets the rules"
                  : "not found (search budget)",
              out);
      fputc('\n', out);
    }
  }
  if (pairs)
    fprintf(out,
            "    (the same for every combination of values of the %zu "
            "pair(s): --json, blocking[].who)\n",
            pairs);
}

static void print_changes(const pl_scenario *s, const uint32_t *from,
                          const uint32_t *to, FILE *out) {
  for (uint32_t i = 0; i < s->nissues; i++) {
    if (from[i] == to[i])
      continue;
    char x[VALUE_TEXT], y[VALUE_TEXT];
    pl_issue_value_text(s, i, from[i], x, sizeof x);
    pl_issue_value_text(s, i, to[i], y, sizeof y);
    fprintf(out, "      %s: %s -> %s\n", s->issues[i].name, x, y);
  }
}

static void print_repair(const pl_analysis *a, size_t k, const char *name,
                         const uint32_t *from, FILE *out) {
  const pl_scenario *s = a->s;
  const pl_repair_result *r = &a->design->repair[k];
  double gap[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  shortfalls(s, from, gap);
  fprintf(out, "  %s: short of a threshold: ", name);
  print_short(s, gap, out);
  fputc('\n', out);
  if (!r->searched) {
    fprintf(out, "    no package meets every constraint and red line: "
                 "nothing to repair towards.\n");
    return;
  }
  if (!r->found) {
    fprintf(out,
            "    repair not found: its search stopped after %llu "
            "nodes.\n",
            (unsigned long long)r->nodes);
    return;
  }
  uint32_t v[PL_MAX_ISSUES];
  pl_index_to_values(s, r->index, v);
  char b[32];
  if (r->nchanges == 0) {
    fprintf(out, "    %s\n",
            r->at_delta > 0 ? "already opens at delta*: nothing to change."
                            : "in the agreement zone: nothing to change.");
    return;
  }
  if (r->at_delta > 0)
    fprintf(out,
            "    nearest package that opens at delta* = %s: change %u "
            "issue(s)\n",
            num(b, r->at_delta), r->nchanges);
  else
    fprintf(out, "    nearest package in the zone: change %u issue(s)\n",
            r->nchanges);
  print_changes(s, from, v, out);
  if (r->at_delta > 0) {
    shortfalls(s, v, gap);
    fputs("    there, each actor would concede: ", out);
    print_short(s, gap, out);
    fputc('\n', out);
  }
}

void pl_print_repairs(const pl_analysis *a, FILE *out) {
  const pl_scenario *s = a->s;
  size_t n = pl_repair_count(a);
  if (n == 0)
    return;
  fprintf(out, "\nRepairing the proposals\n  The nearest package every "
               "actor can accept and ratify (when the zone is\n  empty: that "
               "opens at delta*), by issues changed; ties: smallest loss to "
               "the\n  proposer, then smallest outcome index.\n");
  for (size_t k = 0; k < n; k++) {
    char name[64];
    const uint32_t *from;
    if (k < s->nproposals) {
      snprintf(name, sizeof name, "%s", s->proposals[k].name);
      from = s->proposals[k].values;
    } else {
      snprintf(name, sizeof name, "package %zu", k - s->nproposals + 1);
      from = pl_extra_package(a, k - s->nproposals);
    }
    print_repair(a, k, name, from, out);
  }
}

void pl_print_rules_out(const pl_analysis *a, FILE *out) {
  const pl_scenario *s = a->s;
  if (!a->design || !a->design->reach_known)
    return;
  bool header = false;
  for (uint32_t x = 0; x < pl_num_actors(s); x++) {
    bool any = false;
    for (uint32_t i = 0; i < s->nissues; i++) {
      bool first = true;
      for (uint32_t v = 0; v < s->issues[i].nvalues; v++) {
        if (!pl_value_out_of_reach(a, x, i, v))
          continue;
        if (!header)
          fprintf(out, "\n  Values out of each actor's reach (its utility "
                       "stays below its threshold\n  even with every other "
                       "issue its way):\n");
        header = true;
        if (!any)
          fprintf(out, "    %s:", s->actors[x].name);
        char t[VALUE_TEXT];
        pl_issue_value_text(s, i, v, t, sizeof t);
        if (first)
          fprintf(out, "%s%s = ", any ? "; " : " ", s->issues[i].name);
        else
          fputs(", ", out);
        fputs(t, out);
        any = true;
        first = false;
      }
    }
    if (any)
      fputc('\n', out);
  }
}

/* ---- Linkages and Pareto-improving moves (docs/analysis.md, 8.2) ------- */

/* The name of reference k: a proposal, "package N", or the fallback. */
static void reference_name(const pl_analysis *a, size_t k, char *buf,
                           size_t len) {
  const pl_scenario *s = a->s;
  if (a->design->reference == PL_REF_CONCESSION)
    snprintf(buf, len, "concession package");
  else if (a->design->reference == PL_REF_NASH)
    snprintf(buf, len, "Nash solution");
  else if (k < s->nproposals)
    snprintf(buf, len, "%s", s->proposals[k].name);
  else
    snprintf(buf, len, "package %zu", k - s->nproposals + 1);
}

static void reference_values(const pl_analysis *a, size_t k, uint32_t *v) {
  const pl_scenario *s = a->s;
  const pl_design *d = a->design;
  if (d->reference != PL_REF_PROPOSALS)
    pl_index_to_values(s,
                       d->reference == PL_REF_CONCESSION
                           ? a->concession_index
                           : a->solution[PL_SOLUTION_NASH],
                       v);
  else
    memcpy(v,
           k < s->nproposals ? s->proposals[k].values
                             : pl_extra_package(a, k - s->nproposals),
           s->nissues * sizeof *v);
}

json_t *pl_linkages_json(const pl_analysis *a) {
  const pl_scenario *s = a->s;
  json_t *arr = json_array();
  for (size_t k = 0; a->design && k < a->design->nlinks; k++) {
    const pl_linkage *l = &a->design->links[k];
    char from[64];
    reference_name(a, l->from, from, sizeof from);
    uint32_t v[PL_MAX_ISSUES];
    pl_index_to_values(s, l->index, v);
    const char *p = s->actors[l->parties[0]].name,
               *q = s->actors[l->parties[1]].name;
    json_t *gives = json_object(), *gains = json_object();
    json_object_set_new(gives, p, json_string(s->issues[l->issues[0]].name));
    json_object_set_new(gives, q, json_string(s->issues[l->issues[1]].name));
    json_object_set_new(gains, p, pl_json_computed(l->gain[0]));
    json_object_set_new(gains, q, pl_json_computed(l->gain[1]));
    json_array_append_new(
        arr,
        json_pack("{s:s, s:[s, s], s:[s, s], s:o, s:o, s:o}", "from", from,
                  "issues", s->issues[l->issues[0]].name,
                  s->issues[l->issues[1]].name, "parties", p, q, "gives", gives,
                  "outcome", pl_outcome_json(s, v), "gains", gains));
  }
  return arr;
}

json_t *pl_moves_json(const pl_analysis *a) {
  const pl_scenario *s = a->s;
  json_t *arr = json_array();
  for (size_t k = 0; a->design && k < a->design->nmoves; k++) {
    const pl_move *m = &a->design->moves[k];
    char from[64];
    reference_name(a, k, from, sizeof from);
    json_t *outcome = json_null(), *gains = json_null();
    if (m->found) {
      uint32_t v[PL_MAX_ISSUES], r[PL_MAX_ISSUES];
      pl_index_to_values(s, m->index, v);
      reference_values(a, k, r);
      outcome = pl_outcome_json(s, v);
      gains = json_object();
      for (uint32_t x = 0; x < pl_num_actors(s); x++)
        json_object_set_new(gains, s->actors[x].name,
                            pl_json_computed(pl_actor_utility(s, x, v) -
                                             pl_actor_utility(s, x, r)));
    }
    json_array_append_new(
        arr, json_pack("{s:s, s:o, s:o, s:o}", "from", from, "outcome", outcome,
                       "gains", gains, "count",
                       m->searched ? json_integer((json_int_t)m->count)
                                   : json_null()));
  }
  return arr;
}

void pl_print_linkages(const pl_analysis *a, FILE *out) {
  const pl_scenario *s = a->s;
  const pl_design *d = a->design;
  if (!d || (d->nlinks == 0 && d->nmoves == 0))
    return;
  char b1[32], b2[32], from[64];
  fprintf(out, "\nLinkages (logrolls)\n  Two parties trade: each gives on "
               "the issue it cares less about and gets the\n  other; both "
               "gain, nobody else (ratifiers included) loses. Best first:\n");
  enum { SHOWN = 10 };
  for (size_t k = 0; k < d->nlinks && k < SHOWN; k++) {
    const pl_linkage *l = &d->links[k];
    reference_name(a, l->from, from, sizeof from);
    uint32_t v[PL_MAX_ISSUES];
    pl_index_to_values(s, l->index, v);
    char x[VALUE_TEXT], y[VALUE_TEXT];
    pl_issue_value_text(s, l->issues[0], v[l->issues[0]], x, sizeof x);
    pl_issue_value_text(s, l->issues[1], v[l->issues[1]], y, sizeof y);
    fprintf(out,
            "  from %s: %s gives %s (-> %s) for %s (-> %s) from %s: gains "
            "%s %s, %s %s\n",
            from, s->actors[l->parties[0]].name, s->issues[l->issues[0]].name,
            x, s->issues[l->issues[1]].name, y, s->actors[l->parties[1]].name,
            s->actors[l->parties[0]].name, num(b1, l->gain[0]),
            s->actors[l->parties[1]].name, num(b2, l->gain[1]));
  }
  if (d->nlinks == 0)
    fprintf(out, "  none: no such trade of two issues exists.\n");
  else if (d->nlinks > SHOWN)
    fprintf(out, "  ... %zu more in --json (linkages)\n", d->nlinks - SHOWN);
  for (size_t k = 0; k < d->nmoves; k++) {
    const pl_move *m = &d->moves[k];
    reference_name(a, k, from, sizeof from);
    if (!m->searched) {
      fprintf(out,
              "  from %s: Pareto-improving moves not searched: over %d "
              "partial packages to visit.\n",
              from, PL_MOVE_NODES_MAX);
      continue;
    }
    if (!m->found) {
      fprintf(out,
              "  from %s: no package is better for a party and worse "
              "for nobody.\n",
              from);
      continue;
    }
    uint32_t v[PL_MAX_ISSUES], r[PL_MAX_ISSUES];
    pl_index_to_values(s, m->index, v);
    reference_values(a, k, r);
    fprintf(out,
            "  from %s: %llu package(s) better for a party and worse for "
            "nobody; the most even:\n",
            from, (unsigned long long)m->count);
    print_changes(s, r, v, out);
    fputs("      gains:", out);
    for (uint32_t p = 0; p < s->nparties; p++)
      fprintf(out, " %s %s;", s->actors[p].name,
              num(b1, pl_actor_utility(s, p, v) - pl_actor_utility(s, p, r)));
    fputc('\n', out);
  }
}

/* ---- Agenda (docs/analysis.md, 8.3) ------------------------------------- */

static json_t *groups_json(const pl_scenario *s, const uint32_t *group,
                           uint32_t n) {
  json_t *arr = json_array();
  for (uint32_t g = 0; g < n; g++) {
    json_t *one = json_array();
    for (uint32_t i = 0; i < s->nissues; i++)
      if (group[i] == g)
        json_array_append_new(one, json_string(s->issues[i].name));
    json_array_append_new(arr, one);
  }
  return arr;
}

static json_t *settlement_json(const pl_scenario *s, const pl_agenda_result *r,
                               bool deal) {
  if (!r->found)
    return json_null();
  uint32_t v[PL_MAX_ISSUES];
  pl_index_to_values(s, r->index, v);
  json_t *o = json_pack(
      "{s:o, s:f, s:f, s:f}", "outcome", pl_outcome_json(s, v), "at_delta",
      pl_round_computed(r->delta), "nash_product", pl_round_computed(r->nash),
      "welfare", pl_round_computed(r->welfare));
  if (!deal)
    json_object_set_new(o, "loss",
                        json_pack("{s:f, s:f, s:f}", "extra_delta",
                                  pl_round_computed(r->extra_delta),
                                  "nash_product",
                                  pl_round_computed(r->nash_drop), "welfare",
                                  pl_round_computed(r->welfare_drop)));
  return o;
}

json_t *pl_agenda_json(const pl_analysis *a) {
  const pl_agenda *ag = a->design ? a->design->agenda : NULL;
  if (!ag)
    return json_null();
  const pl_scenario *s = a->s;
  json_t *o = json_object();
  json_object_set_new(o, "groups", groups_json(s, ag->group, ag->ngroups));
  json_object_set_new(o, "note",
                      ag->note[0] ? json_string(ag->note) : json_null());
  json_object_set_new(o, "reference",
                      json_string(ag->reference_is_proposal
                                      ? s->proposals[0].name
                                      : "package deal"));
  json_object_set_new(o, "package_deal", settlement_json(s, &ag->deal, true));
  json_object_set_new(o, "settled_separately",
                      settlement_json(s, &ag->apart, false));
  json_object_set_new(o, "sequential",
                      settlement_json(s, &ag->sequential, false));
  json_object_set_new(
      o, "loss",
      ag->apart.found
          ? json_pack("{s:f, s:f, s:f}", "extra_delta",
                      pl_round_computed(ag->apart.extra_delta), "nash_product",
                      pl_round_computed(ag->apart.nash_drop), "welfare",
                      pl_round_computed(ag->apart.welfare_drop))
          : json_null());
  json_object_set_new(
      o, "best_partition",
      ag->searched
          ? json_pack("{s:o, s:o, s:I, s:s}", "groups",
                      groups_json(s, ag->best_groups, ag->ngroups), "settled",
                      settlement_json(s, &ag->best, false), "partitions",
                      (json_int_t)ag->partitions, "method", "exact")
          : json_null());
  return o;
}

static void print_settlement(const pl_analysis *a, const char *title,
                             const pl_agenda_result *r, FILE *out) {
  char b1[32], b2[32], b3[32], b4[32];
  if (!r->found) {
    fprintf(out, "  %s: a group has no package meeting the rules.\n", title);
    return;
  }
  fprintf(out,
          "  %s: needs delta %s (extra %s); at that level Nash product %s "
          "lower, welfare %s lower\n",
          title, num(b1, r->delta), num(b2, r->extra_delta),
          num(b3, r->nash_drop), num(b4, r->welfare_drop));
  (void)a;
}

static void print_groups(const pl_scenario *s, const uint32_t *group,
                         uint32_t n, FILE *out) {
  for (uint32_t g = 0; g < n; g++) {
    fputs(g ? " / " : "", out);
    bool first = true;
    for (uint32_t i = 0; i < s->nissues; i++)
      if (group[i] == g) {
        fprintf(out, "%s%s", first ? "" : ", ", s->issues[i].name);
        first = false;
      }
  }
}

void pl_print_agenda(const pl_analysis *a, FILE *out) {
  const pl_agenda *ag = a->design ? a->design->agenda : NULL;
  if (!ag)
    return;
  const pl_scenario *s = a->s;
  char b1[32], b2[32];
  fprintf(out,
          "\nWorking groups (--groups)\n  Each group settled on its own "
          "(its concession, then its Nash point), the\n  other issues "
          "at the %s; compared with one package deal.\n  groups: ",
          ag->reference_is_proposal ? "first proposal" : "package deal");
  print_groups(s, ag->group, ag->ngroups, out);
  fputc('\n', out);
  if (ag->note[0]) {
    fprintf(out, "  (%s)\n", ag->note);
    return;
  }
  fprintf(out, "  package deal: needs delta %s, Nash product %s\n",
          num(b1, ag->deal.delta), num(b2, ag->deal.nash));
  print_settlement(a, "settled separately", &ag->apart, out);
  print_settlement(a, "sequentially, in this order", &ag->sequential, out);
  if (ag->searched) {
    fprintf(out, "  best of the %llu partitions into %u groups (exact): ",
            (unsigned long long)ag->partitions, ag->ngroups);
    print_groups(s, ag->best_groups, ag->ngroups, out);
    fputc('\n', out);
    print_settlement(a, "  it", &ag->best, out);
  }
}
