/* summary.c - the ranking of a tournament's agents, with 95% confidence
 * intervals (docs/tournament.md, "Summary").
 *
 * Every seat an agent took is one sample: its utility, its advantage, the
 * welfare and the distances of that negotiation, whether it ended in an
 * agreement. Means come with Student t intervals, mean +- t(0.975, n-1)
 * s/sqrt(n); the agreement rate, a proportion often at 0 or 1, with the
 * Wilson score interval, which stays inside [0, 1] and is not empty there.
 * The samples are taken in index order, so the summary is the same however
 * the rows were computed.
 */
#define _POSIX_C_SOURCE 200809L
#include "tournament/tournament.h"
#include "util/diag.h"
#include "util/fmt.h"
#include "util/json_write.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define Z975 1.959963984540054

/* ---- Statistics ---------------------------------------------------------- */

double pl_tour_t975(uint64_t df) {
  static const double table[] = {
      NAN,        12.70620474, 4.30265273, 3.18244631, 2.77644511, 2.57058184,
      2.44691185, 2.36462425,  2.30600414, 2.26215716, 2.22813885, 2.20098516,
      2.17881283, 2.16036866,  2.14478669, 2.13144955, 2.11990530, 2.10981558,
      2.10092204, 2.09302405,  2.08596345, 2.07961384, 2.07387307, 2.06865761,
      2.06389856, 2.05953855,  2.05552944, 2.05183052, 2.04840714, 2.04522964,
      2.04227246};
  if (df < sizeof table / sizeof table[0])
    return table[df];
  /* Cornish-Fisher expansion of t around the normal quantile: within 1e-6
   * from 30 degrees of freedom on. */
  double z = Z975, z2 = z * z, v = (double)df;
  double g1 = (z2 * z + z) / 4;
  double g2 = (5 * pow(z, 5) + 16 * z2 * z + 3 * z) / 96;
  double g3 = (3 * pow(z, 7) + 19 * pow(z, 5) + 17 * z2 * z - 15 * z) / 384;
  double g4 = (79 * pow(z, 9) + 776 * pow(z, 7) + 1482 * pow(z, 5) -
               1920 * z2 * z - 945 * z) /
              92160;
  return z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v);
}

void pl_tour_stat_add(pl_tour_stat *s, double x, double *m2) {
  s->n++;
  double delta = x - s->mean;
  s->mean += delta / (double)s->n;
  *m2 += delta * (x - s->mean);
}

void pl_tour_stat_finish(pl_tour_stat *s, double m2) {
  s->sd = s->n > 1 ? sqrt(m2 / (double)(s->n - 1)) : NAN;
  s->has_ci = s->n > 1;
  double half =
      s->has_ci ? pl_tour_t975(s->n - 1) * s->sd / sqrt((double)s->n) : NAN;
  s->lo = s->mean - half;
  s->hi = s->mean + half;
  if (s->n == 0)
    s->mean = NAN;
}

static void wilson(uint64_t k, uint64_t n, double *rate, double *lo,
                   double *hi) {
  if (n == 0) {
    *rate = *lo = *hi = NAN;
    return;
  }
  double p = (double)k / (double)n, nn = (double)n, z2 = Z975 * Z975;
  double denom = 1 + z2 / nn;
  double center = (p + z2 / (2 * nn)) / denom;
  double half = Z975 * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
  *rate = p;
  *lo = fmax(0, center - half);
  *hi = fmin(1, center + half);
}

/* ---- Accumulating the rows ----------------------------------------------- */

enum { S_UTILITY, S_DISCOUNTED, S_ADVANTAGE, S_WELFARE, S_PARETO, S_NASH, NS };

typedef struct acc {
  pl_tour_stat s[NS];
  double m2[NS];
  uint64_t seats, agreements;
} acc;

/* Names to their position, by binary search over a sorted copy. */
typedef struct name_ix {
  const char *name;
  size_t ix;
} name_ix;

static int by_name(const void *a, const void *b) {
  return strcmp(((const name_ix *)a)->name, ((const name_ix *)b)->name);
}

static name_ix *index_names(char *const *names, size_t n) {
  name_ix *ix = malloc((n ? n : 1) * sizeof *ix);
  for (size_t k = 0; ix && k < n; k++)
    ix[k] = (name_ix){names[k], k};
  if (ix)
    qsort(ix, n, sizeof *ix, by_name);
  return ix;
}

static long find_name(const name_ix *ix, size_t n, const char *name) {
  if (!name)
    return -1;
  name_ix key = {name, 0};
  const name_ix *hit = bsearch(&key, ix, n, sizeof *ix, by_name);
  return hit ? (long)hit->ix : -1;
}

static void add_opt(acc *a, int which, const json_t *v) {
  if (json_is_number(v))
    pl_tour_stat_add(&a->s[which], json_number_value(v), &a->m2[which]);
}

static void add_seat(acc *a, const json_t *row, size_t p) {
  const json_t *u = json_array_get(json_object_get(row, "utilities"), p);
  add_opt(a, S_UTILITY, u);
  add_opt(a, S_DISCOUNTED,
          json_array_get(json_object_get(row, "discounted_utilities"), p));
  add_opt(a, S_ADVANTAGE,
          json_array_get(json_object_get(row, "advantages"), p));
  add_opt(a, S_WELFARE, json_object_get(row, "welfare"));
  add_opt(a, S_PARETO, json_object_get(row, "pareto_distance"));
  add_opt(a, S_NASH, json_object_get(row, "nash_distance"));
  a->seats++;
  a->agreements += json_is_true(json_object_get(row, "agreement"));
}

typedef struct tally {
  acc *agents, *scenarios;
  name_ix *agent_ix, *scenario_ix;
  size_t nagents, nscenarios;
} tally;

static void add_row(tally *t, const json_t *row) {
  const json_t *agents = json_object_get(row, "agents");
  for (size_t p = 0; p < json_array_size(agents); p++) {
    long a = find_name(t->agent_ix, t->nagents,
                       json_string_value(json_array_get(agents, p)));
    if (a >= 0)
      add_seat(&t->agents[a], row, p);
  }
  long s = find_name(t->scenario_ix, t->nscenarios,
                     json_string_value(json_object_get(row, "scenario")));
  if (s >= 0) {
    acc *sc = &t->scenarios[s];
    add_opt(sc, S_WELFARE, json_object_get(row, "welfare"));
    sc->seats++;
    sc->agreements += json_is_true(json_object_get(row, "agreement"));
  }
}

/* ---- The ranking --------------------------------------------------------- */

static bool standing_of(pl_tour_standing *st, const char *name, acc *a) {
  for (int k = 0; k < NS; k++)
    pl_tour_stat_finish(&a->s[k], a->m2[k]);
  st->agent = strdup(name);
  st->n = a->seats;
  st->utility = a->s[S_UTILITY];
  st->discounted = a->s[S_DISCOUNTED];
  st->advantage = a->s[S_ADVANTAGE];
  st->welfare = a->s[S_WELFARE];
  st->pareto = a->s[S_PARETO];
  st->nash = a->s[S_NASH];
  st->agreements = a->agreements;
  wilson(a->agreements, a->seats, &st->rate, &st->rate_lo, &st->rate_hi);
  return st->agent != NULL;
}

/* Higher mean utility first; agents without rows last; then by name. */
static int by_utility(const void *a, const void *b) {
  const pl_tour_standing *x = a, *y = b;
  bool hx = x->n > 0, hy = y->n > 0;
  if (hx != hy)
    return hx ? -1 : 1;
  if (hx && x->utility.mean != y->utility.mean)
    return x->utility.mean > y->utility.mean ? -1 : 1;
  return strcmp(x->agent, y->agent);
}

static bool fill_summary(const pl_tour_manifest *m, tally *t,
                         pl_tour_summary *out) {
  out->standings = calloc(m->nagents ? m->nagents : 1, sizeof *out->standings);
  out->scenarios = calloc(m->nscenarios ? m->nscenarios : 1, sizeof(char *));
  out->sc_done = calloc(m->nscenarios ? m->nscenarios : 1, sizeof(uint64_t));
  out->sc_agreements =
      calloc(m->nscenarios ? m->nscenarios : 1, sizeof(uint64_t));
  out->sc_welfare =
      calloc(m->nscenarios ? m->nscenarios : 1, sizeof(pl_tour_stat));
  out->name = strdup(m->name ? m->name : "tournament");
  if (!out->standings || !out->scenarios || !out->sc_done ||
      !out->sc_agreements || !out->sc_welfare || !out->name)
    return false;
  out->nagents = m->nagents;
  for (size_t k = 0; k < m->nagents; k++)
    if (!standing_of(&out->standings[k], m->agents[k], &t->agents[k]))
      return false;
  qsort(out->standings, m->nagents, sizeof *out->standings, by_utility);
  for (size_t k = 0; k < m->nagents; k++)
    out->standings[k].rank = (uint32_t)k + 1;
  out->nscenarios = m->nscenarios;
  for (size_t k = 0; k < m->nscenarios; k++) {
    acc *sc = &t->scenarios[k];
    pl_tour_stat_finish(&sc->s[S_WELFARE], sc->m2[S_WELFARE]);
    out->scenarios[k] = strdup(m->scenarios[k]);
    if (!out->scenarios[k])
      return false;
    out->sc_done[k] = sc->seats;
    out->sc_agreements[k] = sc->agreements;
    out->sc_welfare[k] = sc->s[S_WELFARE];
  }
  return true;
}

bool pl_tour_summarise(const pl_tour_manifest *m, const pl_tour_lines *rows,
                       pl_tour_summary *out, pl_diag *d) {
  memset(out, 0, sizeof *out);
  tally t = {.nagents = m->nagents, .nscenarios = m->nscenarios};
  t.agents = calloc(m->nagents ? m->nagents : 1, sizeof *t.agents);
  t.scenarios = calloc(m->nscenarios ? m->nscenarios : 1, sizeof *t.scenarios);
  t.agent_ix = index_names(m->agents, m->nagents);
  t.scenario_ix = index_names(m->scenarios, m->nscenarios);
  bool ok = t.agents && t.scenarios && t.agent_ix && t.scenario_ix;
  for (size_t k = 0; ok && k < rows->n; k++) {
    json_t *row =
        json_loadb(rows->text.p + rows->at[k].off, rows->at[k].len, 0, NULL);
    if (row)
      add_row(&t, row);
    json_decref(row);
  }
  out->total = m->total;
  out->done = rows->n;
  ok = ok && fill_summary(m, &t, out);
  if (!ok) {
    pl_diag_add(d, NULL, 0, 0, "out of memory summarising the results");
    pl_tour_summary_free(out);
  }
  free(t.agents);
  free(t.scenarios);
  free(t.agent_ix);
  free(t.scenario_ix);
  return ok;
}

void pl_tour_summary_free(pl_tour_summary *s) {
  for (size_t k = 0; s->scenarios && k < s->nscenarios; k++)
    free(s->scenarios[k]);
  for (size_t k = 0; s->standings && k < s->nagents; k++)
    free((char *)s->standings[k].agent);
  free(s->scenarios);
  free(s->standings);
  free(s->sc_done);
  free(s->sc_agreements);
  free(s->sc_welfare);
  free(s->name);
  memset(s, 0, sizeof *s);
}

/* ---- Text ---------------------------------------------------------------- */

/* "0.812 +-0.021", or "-" without samples; the width stays fixed. */
static void cell_stat(FILE *out, const pl_tour_stat *s) {
  char m[32], h[32];
  if (s->n == 0) {
    fprintf(out, "  %-14s", "-");
    return;
  }
  pl_fmt_fixed(m, sizeof m, s->mean, 3);
  if (s->has_ci)
    pl_fmt_fixed(h, sizeof h, (s->hi - s->lo) / 2, 3);
  fprintf(out, "  %6s +-%-5s", m, s->has_ci ? h : "?");
}

static void cell_rate(FILE *out, const pl_tour_standing *st) {
  char r[32], lo[32], hi[32];
  if (st->n == 0) {
    fprintf(out, "  %-20s", "-");
    return;
  }
  pl_fmt_fixed(r, sizeof r, 100 * st->rate, 1);
  pl_fmt_fixed(lo, sizeof lo, 100 * st->rate_lo, 1);
  pl_fmt_fixed(hi, sizeof hi, 100 * st->rate_hi, 1);
  fprintf(out, "  %5s%% [%5s,%5s]", r, lo, hi);
}

void pl_tour_summary_text(const pl_tour_summary *s, FILE *out) {
  int w = 5;
  for (size_t k = 0; k < s->nagents; k++)
    w = (int)strlen(s->standings[k].agent) > w
            ? (int)strlen(s->standings[k].agent)
            : w;
  fprintf(out,
          "Tournament %s: %llu of %llu negotiations, %zu scenarios, %zu "
          "agents\n",
          s->name, (unsigned long long)s->done, (unsigned long long)s->total,
          s->nscenarios, s->nagents);
  fprintf(out, "Means +- half-width of the 95%% Student t interval; agreement "
               "rate with its 95%%\nWilson score interval. Ranked by mean "
               "utility.\n\n");
  fprintf(out, "rank  %-*s  %7s  %-14s  %-14s  %-14s  %-20s  %-14s  %s\n", w,
          "agent", "n", "utility", "advantage", "welfare", "agreement (%)",
          "pareto dist.", "nash dist.");
  for (size_t k = 0; k < s->nagents; k++) {
    const pl_tour_standing *st = &s->standings[k];
    fprintf(out, "%4u  %-*s  %7llu", st->rank, w, st->agent,
            (unsigned long long)st->n);
    cell_stat(out, &st->utility);
    cell_stat(out, &st->advantage);
    cell_stat(out, &st->welfare);
    cell_rate(out, st);
    cell_stat(out, &st->pareto);
    cell_stat(out, &st->nash);
    fputc('\n', out);
  }
}

/* ---- summary.json -------------------------------------------------------- */

static json_t *number(double x) { return pl_json_computed(x); }

static json_t *stat_json(const pl_tour_stat *s) {
  json_t *o = json_object();
  json_object_set_new(o, "n", json_integer((json_int_t)s->n));
  json_object_set_new(o, "mean", number(s->mean));
  json_object_set_new(o, "sd", number(s->sd));
  json_object_set_new(o, "ci95",
                      s->has_ci
                          ? json_pack("[o,o]", number(s->lo), number(s->hi))
                          : json_null());
  return o;
}

static json_t *standing_json(const pl_tour_standing *st) {
  json_t *o = json_object();
  json_object_set_new(o, "rank", json_integer(st->rank));
  json_object_set_new(o, "agent", json_string(st->agent));
  json_object_set_new(o, "n", json_integer((json_int_t)st->n));
  json_object_set_new(o, "utility", stat_json(&st->utility));
  json_object_set_new(o, "discounted_utility", stat_json(&st->discounted));
  json_object_set_new(o, "advantage", stat_json(&st->advantage));
  json_object_set_new(o, "welfare", stat_json(&st->welfare));
  json_t *rate = json_object();
  json_object_set_new(rate, "n", json_integer((json_int_t)st->n));
  json_object_set_new(rate, "agreements",
                      json_integer((json_int_t)st->agreements));
  json_object_set_new(rate, "rate", number(st->rate));
  json_object_set_new(
      rate, "ci95",
      st->n ? json_pack("[o,o]", number(st->rate_lo), number(st->rate_hi))
            : json_null());
  json_object_set_new(o, "agreement", rate);
  json_object_set_new(o, "pareto_distance", stat_json(&st->pareto));
  json_object_set_new(o, "nash_distance", stat_json(&st->nash));
  return o;
}

static json_t *scenarios_json(const pl_tour_summary *s) {
  json_t *arr = json_array();
  for (size_t k = 0; k < s->nscenarios; k++) {
    json_t *o = json_object();
    json_object_set_new(o, "scenario", json_string(s->scenarios[k]));
    json_object_set_new(o, "negotiations",
                        json_integer((json_int_t)s->sc_done[k]));
    json_object_set_new(o, "agreements",
                        json_integer((json_int_t)s->sc_agreements[k]));
    json_object_set_new(o, "welfare", stat_json(&s->sc_welfare[k]));
    json_array_append_new(arr, o);
  }
  return arr;
}

char *pl_tour_summary_json(const pl_tour_summary *s) {
  json_t *o = json_object();
  json_object_set_new(o, "schema_version", json_integer(1));
  json_object_set_new(o, "tournament", json_string(s->name));
  json_object_set_new(o, "negotiations", json_integer((json_int_t)s->total));
  json_object_set_new(o, "done", json_integer((json_int_t)s->done));
  json_object_set_new(
      o, "confidence",
      json_pack("{s:f, s:s, s:s}", "level", 0.95, "means",
                "Student t: mean +- t(0.975, n-1) * sd / sqrt(n)",
                "agreement_rate", "Wilson score interval"));
  json_object_set_new(o, "ranked_by", json_string("utility"));
  json_t *agents = json_array();
  for (size_t k = 0; k < s->nagents; k++)
    json_array_append_new(agents, standing_json(&s->standings[k]));
  json_object_set_new(o, "agents", agents);
  json_object_set_new(o, "scenarios", scenarios_json(s));
  char *text = pl_json_write_string(o);
  json_decref(o);
  return text;
}
