/* repair.c - proposal repair (docs/analysis.md, section 8.1): the nearest
 * package of the target set to a given one, by the number of issues
 * changed.
 *
 * The target set is the agreement zone, or when it is empty the packages
 * that open at delta* (u_a >= t_a - delta* - eps for every actor, every
 * constraint and red line kept). Among the packages at the smallest
 * distance, the one that costs the proposer least (u(from) - u(package)),
 * then the smallest outcome index.
 *
 * Exact by branch and bound on the number of changes: for k = 0, 1, ...
 * a depth-first search over the issues in order either keeps an issue's
 * value or changes it while changes are left. An actor's utility below a
 * node is at most what is fixed, plus what the kept values of the other
 * issues give, plus its k' largest gains from changing any of them (k'
 * the changes left): a node where some actor cannot reach its threshold
 * is cut. So the search never enumerates the space, and packages a few
 * changes away are found in milliseconds at 10^12 outcomes.
 */
#include "analysis/analysis.h"
#include "analysis/design.h"
#include "util/diag.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Proposer's losses closer than this are a tie (as the solutions' rule). */
#define LOSS_TIE 1e-12

typedef struct rsearch {
  const pl_scenario *s;
  uint32_t n, na;
  const uint32_t *from;
  int32_t proposer;
  double *need;   /* per actor: t_a - delta - eps */
  double *keep;   /* [i * na + a]: sum over j >= i of term(from_j) */
  double *top;    /* [(i * (n + 1) + r) * na + a]: r largest gains, j >= i */
  double *prefix; /* [i * na + a]: terms of the values chosen before i */
  double box_max[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  double tol;
  const pl_rule **rules; /* constraints and every party's red lines */
  uint32_t *rule_last;   /* per rule: its last issue */
  uint32_t nrules;
  bool constant_fails; /* a rule mentioning no issue fails */
  uint32_t *v;
  double from_u; /* the proposer's utility of `from` */
  uint64_t nodes, max_nodes;
  bool stopped, found;
  double best_loss;
  uint64_t best_index;
} rsearch;

static double term(const rsearch *m, uint32_t a, uint32_t i, uint32_t v) {
  return m->s->term[a][m->s->offset[i] + v];
}

static int desc_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a < b) - (a > b);
}

/* Most that actor a can gain on issue i by leaving from_i (0 at least). */
static double issue_gain(const rsearch *m, uint32_t a, uint32_t i) {
  double g = 0, base = term(m, a, i, m->from[i]);
  for (uint32_t v = 0; v < m->s->issues[i].nvalues; v++)
    g = fmax(g, term(m, a, i, v) - base);
  return g;
}

static bool build_tables(rsearch *m) {
  uint32_t n = m->n, na = m->na;
  m->keep = calloc((size_t)(n + 1) * na, sizeof *m->keep);
  m->top = calloc((size_t)(n + 1) * (n + 1) * na, sizeof *m->top);
  m->prefix = calloc((size_t)(n + 1) * na, sizeof *m->prefix);
  double *g = malloc((n ? n : 1) * sizeof *g);
  if (!m->keep || !m->top || !m->prefix || !g) {
    free(g);
    return false;
  }
  double room = 0;
  for (uint32_t a = 0; a < na; a++) {
    double big = 0;
    for (uint32_t i = n; i-- > 0;) {
      m->keep[i * na + a] =
          m->keep[(i + 1) * na + a] + term(m, a, i, m->from[i]);
      for (uint32_t v = 0; v < m->s->issues[i].nvalues; v++)
        big += fabs(term(m, a, i, v));
    }
    room = fmax(room, big + m->box_max[a] + fabs(m->s->actors[a].threshold));
    for (uint32_t i = 0; i <= n; i++) {
      uint32_t len = 0;
      for (uint32_t j = i; j < n; j++)
        g[len++] = issue_gain(m, a, j);
      qsort(g, len, sizeof *g, desc_double);
      double sum = 0;
      for (uint32_t r = 0; r <= n; r++) {
        if (r > 0 && r <= len)
          sum += g[r - 1];
        m->top[((size_t)i * (n + 1) + r) * na + a] = sum;
      }
    }
  }
  free(g);
  /* Sums of up to n + 2 terms differ by reordering by at most (n + 2) *
   * room * 2^-52: the bounds get ten times that. */
  m->tol = 10.0 * (n + 2) * room * DBL_EPSILON + 1e-300;
  return true;
}

static bool collect_rules(rsearch *m) {
  m->rules = pl_scenario_all_rules(m->s, &m->nrules);
  m->rule_last = calloc(m->nrules ? m->nrules : 1, sizeof *m->rule_last);
  if (!m->rules || !m->rule_last)
    return false;
  for (uint32_t r = 0; r < m->nrules; r++) {
    const pl_rule *x = m->rules[r];
    uint32_t last = 0;
    for (uint32_t k = 0; k < x->nrefs; k++)
      last = x->refs[k] > last ? x->refs[k] : last;
    m->rule_last[r] = last;
    if (x->nrefs == 0 && !pl_rule_holds(x, m->v))
      m->constant_fails = true;
  }
  return true;
}

/* The most actor a can have below a node at issue i with r changes left. */
static double upper(const rsearch *m, uint32_t a, uint32_t i, uint32_t r) {
  uint32_t na = m->na;
  double u = m->prefix[i * na + a] + m->keep[i * na + a] +
             m->top[((size_t)i * (m->n + 1) + r) * na + a] + m->box_max[a];
  if (m->s->actors[a].capped && u > 1.0)
    u = 1.0;
  return u + m->tol;
}

static bool rules_hold_at(const rsearch *m, uint32_t i) {
  for (uint32_t r = 0; r < m->nrules; r++)
    if (m->rules[r]->nrefs && m->rule_last[r] == i &&
        !pl_rule_holds(m->rules[r], m->v))
      return false;
  return true;
}

static void leaf(rsearch *m) {
  const pl_scenario *s = m->s;
  for (uint32_t a = 0; a < m->na; a++)
    if (pl_actor_utility(s, a, m->v) < m->need[a])
      return;
  double loss =
      m->proposer >= 0
          ? m->from_u - pl_actor_utility(s, (uint32_t)m->proposer, m->v)
          : 0;
  uint64_t index = pl_values_to_index(s, m->v);
  if (!m->found || loss < m->best_loss - LOSS_TIE ||
      (loss <= m->best_loss + LOSS_TIE && index < m->best_index)) {
    m->found = true;
    m->best_loss = loss;
    m->best_index = index;
  }
}

static void descend(rsearch *m, uint32_t i, uint32_t r);

static void try_value(rsearch *m, uint32_t i, uint32_t r, uint32_t v) {
  uint32_t na = m->na;
  m->v[i] = v;
  for (uint32_t a = 0; a < na; a++)
    m->prefix[(i + 1) * na + a] = m->prefix[i * na + a] + term(m, a, i, v);
  if (rules_hold_at(m, i))
    descend(m, i + 1, r);
}

static void descend(rsearch *m, uint32_t i, uint32_t r) {
  if (m->stopped)
    return;
  if (++m->nodes > m->max_nodes) {
    m->stopped = true;
    return;
  }
  if (i == m->n) {
    leaf(m);
    return;
  }
  for (uint32_t a = 0; a < m->na; a++)
    if (upper(m, a, i, r) < m->need[a])
      return;
  if (m->found && m->proposer >= 0 &&
      m->from_u - upper(m, (uint32_t)m->proposer, i, r) >
          m->best_loss + LOSS_TIE)
    return;
  try_value(m, i, r, m->from[i]);
  if (r == 0)
    return;
  for (uint32_t v = 0; v < m->s->issues[i].nvalues && !m->stopped; v++)
    if (v != m->from[i])
      try_value(m, i, r - 1, v);
}

static void free_search(rsearch *m) {
  free(m->need);
  free(m->keep);
  free(m->top);
  free(m->prefix);
  free(m->rules);
  free(m->rule_last);
  free(m->v);
}

/* What boxes can add at most (they only add their positive utilities). */
static double box_bound(const pl_actor *x) {
  double sum = 0;
  for (uint32_t b = 0; b < x->nboxes; b++)
    sum += fmax(0, x->boxes[b].utility);
  return fmax(0, x->box_scale) * sum;
}

bool pl_repair_package(const pl_analysis *a, const uint32_t *from,
                       int32_t proposer, uint64_t max_nodes,
                       pl_repair_result *out) {
  const pl_scenario *s = a->s;
  memset(out, 0, sizeof *out);
  bool empty = pl_zone_empty(a);
  if (empty && !a->has_concession)
    return true; /* no package meets the rules, or delta* is not known */
  out->searched = true;
  out->at_delta = empty ? a->delta : 0;
  rsearch m = {.s = s,
               .n = s->nissues,
               .na = pl_num_actors(s),
               .from = from,
               .proposer = proposer < (int32_t)s->nparties ? proposer : -1,
               .max_nodes = max_nodes};
  m.need = calloc(m.na, sizeof *m.need);
  m.v = calloc(m.n ? m.n : 1, sizeof *m.v);
  for (uint32_t x = 0; x < m.na; x++)
    m.box_max[x] = box_bound(&s->actors[x]);
  bool ok = m.need && m.v && build_tables(&m) && collect_rules(&m);
  if (ok && !m.constant_fails) {
    for (uint32_t x = 0; x < m.na; x++)
      m.need[x] = s->actors[x].threshold - out->at_delta - PL_EPS;
    if (m.proposer >= 0)
      m.from_u = pl_actor_utility(s, (uint32_t)m.proposer, from);
    for (uint32_t k = 0; k <= m.n && !m.found && !m.stopped; k++) {
      descend(&m, 0, k);
      out->nchanges = k;
    }
  }
  out->complete = ok && !m.stopped;
  out->found = out->complete && m.found;
  out->index = m.best_index;
  out->nodes = m.nodes;
  free_search(&m);
  return ok;
}

/* ---- --package issue=value,... ------------------------------------------ */

/* The value of issue i written `text` (an option name or a number). */
static bool find_value(const pl_scenario *s, uint32_t i, const char *text,
                       uint32_t *out) {
  char buf[256];
  for (uint32_t v = 0; v < s->issues[i].nvalues; v++) {
    pl_issue_value_text(s, i, v, buf, sizeof buf);
    if (!strcmp(buf, text)) {
      *out = v;
      return true;
    }
  }
  if (s->issues[i].kind == PL_ISSUE_CATEGORICAL)
    return false;
  char *end;
  double x = strtod(text, &end); /* the library never changes LC_NUMERIC */
  if (end == text || *end)
    return false;
  for (uint32_t v = 0; v < s->issues[i].nvalues; v++)
    if (fabs(s->issues[i].numbers[v] - x) <= 1e-9 * fmax(1, fabs(x))) {
      *out = v;
      return true;
    }
  return false;
}

bool pl_parse_package(const pl_scenario *s, const char *text, uint32_t *values,
                      bool *named, char *msg, size_t msglen) {
  if (named)
    memset(named, 0, s->nissues * sizeof *named);
  const char *p = text;
  while (*p) {
    size_t len = strcspn(p, ",");
    char item[512];
    if (len >= sizeof item) {
      snprintf(msg, msglen, "--package: item too long: '%.40s...'", p);
      return false;
    }
    memcpy(item, p, len);
    item[len] = 0;
    p += len + (p[len] == ',');
    char *eq = strchr(item, '=');
    if (!eq) {
      snprintf(msg, msglen, "--package: '%s' is not issue=value", item);
      return false;
    }
    *eq = 0;
    int32_t i = pl_find_issue(s, item);
    if (i < 0) {
      snprintf(msg, msglen, "--package: no issue named '%s'", item);
      return false;
    }
    if (!find_value(s, (uint32_t)i, eq + 1, &values[i])) {
      snprintf(msg, msglen, "--package: issue '%s' has no value '%s'", item,
               eq + 1);
      return false;
    }
    if (named)
      named[i] = true;
  }
  return true;
}

/* One --package: issues not named keep the first proposal's values; with
 * no proposal every issue must be named. */
static bool read_package(const pl_scenario *s, const char *text,
                         uint32_t *values, pl_diag *d) {
  char msg[600];
  bool named[PL_MAX_ISSUES];
  if (s->nproposals)
    memcpy(values, s->proposals[0].values, s->nissues * sizeof *values);
  if (!pl_parse_package(s, text, values, named, msg, sizeof msg)) {
    pl_diag_add(d, NULL, 0, 0, "%s", msg);
    return false;
  }
  for (uint32_t i = 0; i < s->nissues && !s->nproposals; i++)
    if (!named[i]) {
      pl_diag_add(d, NULL, 0, 0,
                  "--package: issue '%s' has no value (the scenario has no "
                  "proposal to take it from)",
                  s->issues[i].name);
      return false;
    }
  return true;
}

pl_status pl_design_prepare(pl_analysis *a, const pl_analysis_options *o,
                            pl_diag *d) {
  const pl_scenario *s = a->s;
  pl_design *g = a->design = calloc(1, sizeof *g);
  if (!g)
    return PL_ENOMEM;
  if (o->groups) {
    pl_status st = pl_agenda_parse(s, o->groups, g, d);
    if (st != PL_OK)
      return st;
  }
  if (o->npackages == 0)
    return PL_OK;
  g->extra =
      calloc(o->npackages * (s->nissues ? s->nissues : 1), sizeof *g->extra);
  if (!g->extra)
    return PL_ENOMEM;
  for (size_t k = 0; k < o->npackages; k++)
    if (!read_package(s, o->packages[k], g->extra + k * s->nissues, d))
      return PL_EINPUT;
  g->nextra = o->npackages;
  return PL_OK;
}
