/* play.c - one negotiation of the tournament, scored against its
 * scenario's analysis, as one row of results.jsonl.
 *
 * The analysis (frontier, Nash point, best utilities) is computed once per
 * scenario for the whole run: pl_negotiate would analyse the scenario for
 * every negotiation, which costs more than the talks on large spaces. The
 * distances are those of pl_negotiate (src/negotiation/negotiation.c):
 * Euclidean, in utility space, from the parties' undiscounted payoffs.
 */
#define _POSIX_C_SOURCE 200809L
#include "analysis/analysis.h"
#include "negotiation/self.h"
#include "tournament/tournament.h"
#include "util/diag.h"
#include "util/fmt.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const END_KIND[] = {"agreement", "deadline", "walk-out",
                                       "not-ratified", "protocol-violation"};

void pl_tour_forget_analysis(pl_tour_scenario *sc) {
  free(sc->front_u);
  sc->front_u = NULL;
  sc->nfront = 0;
  sc->has_nash = false;
  sc->analysed = false;
}

static void keep_best(pl_tour_scenario *sc, const pl_analysis *a) {
  for (uint32_t p = 0; p < sc->nparties; p++)
    sc->best[p] = a->best_feasible && a->best_feasible[p] > -DBL_MAX
                      ? a->best_feasible[p]
                      : NAN;
}

static void keep_nash(pl_tour_scenario *sc, const pl_analysis *a) {
  uint32_t v[PL_MAX_ISSUES];
  sc->has_nash = pl_analysis_solution(a, PL_SOLUTION_NASH, v);
  for (uint32_t p = 0; sc->has_nash && p < sc->nparties; p++)
    sc->nash_u[p] = pl_actor_utility(sc->s, p, v);
}

void pl_tour_analyse(pl_tournament *t, size_t k, unsigned threads) {
  pl_tour_scenario *sc = &t->scenarios[k];
  pl_tour_forget_analysis(sc);
  for (uint32_t p = 0; p < sc->nparties; p++)
    sc->best[p] = NAN;
  pl_analysis_options ao;
  pl_analysis_options_init(&ao);
  ao.threads = threads;
  pl_status st;
  pl_analysis *a = pl_analyze(sc->s, &ao, NULL, &st);
  sc->analysed = true;
  if (!a)
    return; /* refused: the distances of its rows are null */
  size_t bytes = a->nfront * sc->nparties * sizeof *sc->front_u;
  sc->front_u = a->nfront ? malloc(bytes) : NULL;
  if (sc->front_u) {
    memcpy(sc->front_u, a->front_u, bytes);
    sc->nfront = a->nfront;
  }
  keep_nash(sc, a);
  keep_best(sc, a);
  pl_analysis_free(a);
}

void pl_tour_build_selves(pl_tournament *t, size_t k, uint32_t party) {
  pl_tour_scenario *sc = &t->scenarios[k];
  if (sc->selves && party < sc->nparties && !sc->selves[party])
    sc->selves[party] =
        pl_self_new(sc->s, party, !t->ignore_ratifiers, 0, party + 1);
}

void pl_tour_forget_selves(pl_tour_scenario *sc) {
  for (uint32_t p = 0; sc->selves && p < sc->nparties; p++)
    pl_self_free(sc->selves[p]);
  free(sc->selves);
  sc->selves = NULL;
}

/* ---- One negotiation ----------------------------------------------------- */

static void talks_options(const pl_tournament *t, const pl_tour_match *m,
                          pl_talks_options *o) {
  const pl_tour_scenario *sc = &t->scenarios[m->scenario];
  memset(o, 0, sizeof *o);
  o->protocol = t->protocol;
  o->rounds = t->rounds;
  o->seed = m->seed;
  o->two_level = !t->ignore_ratifiers;
  o->pen = -1; /* a neutral mediator */
  o->start_from = -1;
  o->quota = t->quota;
  o->change = t->change ? t->change : 1;
  o->anneal = t->anneal;
  o->shared = sc->selves; /* a missing one is built by the negotiation */
  for (uint32_t p = 0; p < sc->nparties; p++)
    o->agents[p] = t->agents[m->agents[p]].spec;
}

static double distance(const double *a, const double *b, uint32_t n) {
  double d = 0;
  for (uint32_t p = 0; p < n; p++)
    d += (a[p] - b[p]) * (a[p] - b[p]);
  return sqrt(d);
}

static double pareto_distance(const pl_tour_scenario *sc, const double *u) {
  double best = DBL_MAX;
  for (size_t k = 0; k < sc->nfront; k++)
    best =
        fmin(best, distance(u, sc->front_u + k * sc->nparties, sc->nparties));
  return sc->nfront ? best : NAN;
}

/* (u - r) / (best - r): the share of what the party could have gained
 * over walking away that it got (NegMAS's "advantage"). */
static double advantage(const pl_tour_scenario *sc, uint32_t p, double u) {
  double r = sc->s->actors[p].threshold;
  double span = sc->best[p] - r;
  return span > 1e-12 ? (u - r) / span : NAN;
}

static void put_names(pl_buf *b, const char *key, const char *const *names,
                      uint32_t n) {
  pl_buf_printf(b, ",\"%s\":[", key);
  for (uint32_t p = 0; p < n; p++) {
    if (p)
      pl_buf_puts(b, ",");
    pl_buf_json_string(b, names[p]);
  }
  pl_buf_puts(b, "]");
}

static void put_numbers(pl_buf *b, const char *key, const double *x,
                        uint32_t n) {
  pl_buf_printf(b, ",\"%s\":[", key);
  for (uint32_t p = 0; p < n; p++) {
    if (p)
      pl_buf_puts(b, ",");
    pl_buf_json_number(b, pl_round_computed(x[p]));
  }
  pl_buf_puts(b, "]");
}

static void put_package(pl_buf *b, const pl_scenario *s, const pl_talks *tk) {
  pl_buf_puts(b, ",\"package\":");
  if (tk->end != PL_END_AGREEMENT) {
    pl_buf_puts(b, "null");
    return;
  }
  uint32_t v[PL_MAX_ISSUES];
  pl_index_to_values(s, tk->outcome, v);
  pl_buf_puts(b, "{");
  for (uint32_t i = 0; i < s->nissues; i++) {
    char text[256];
    pl_issue_value_text(s, i, v[i], text, sizeof text);
    pl_buf_puts(b, i ? "," : "");
    pl_buf_json_string(b, s->issues[i].name);
    pl_buf_puts(b, ":");
    pl_buf_json_string(b, text);
  }
  pl_buf_puts(b, "}");
}

static void put_scores(pl_buf *b, const pl_tour_scenario *sc,
                       const pl_talks *tk) {
  uint32_t np = sc->nparties;
  double adv[PL_MAX_PARTIES], welfare = 0;
  for (uint32_t p = 0; p < np; p++) {
    adv[p] = advantage(sc, p, tk->utilities[p]);
    welfare += tk->utilities[p];
  }
  put_numbers(b, "utilities", tk->utilities, np);
  put_numbers(b, "discounted_utilities", tk->discounted, np);
  put_numbers(b, "advantages", adv, np);
  pl_buf_puts(b, ",\"welfare\":");
  pl_buf_json_number(b, pl_round_computed(welfare));
  pl_buf_puts(b, ",\"pareto_distance\":");
  pl_buf_json_number(b, pl_round_computed(pareto_distance(sc, tk->utilities)));
  pl_buf_puts(b, ",\"nash_distance\":");
  pl_buf_json_number(
      b, pl_round_computed(
             sc->has_nash ? distance(tk->utilities, sc->nash_u, np) : NAN));
}

static void put_row(pl_buf *b, const pl_tournament *t, uint64_t index,
                    const pl_tour_match *m, const pl_talks *tk, double wall) {
  const pl_tour_scenario *sc = &t->scenarios[m->scenario];
  const char *agents[PL_MAX_PARTIES], *parties[PL_MAX_PARTIES];
  for (uint32_t p = 0; p < sc->nparties; p++) {
    agents[p] = t->agents[m->agents[p]].name;
    parties[p] = sc->s->actors[p].name;
  }
  /* "index" first: the coordinator reads it without parsing the row. */
  pl_buf_printf(b, "{\"index\":%llu,\"scenario\":", (unsigned long long)index);
  pl_buf_json_string(b, sc->name);
  pl_buf_printf(b, ",\"repetition\":%u", m->repetition);
  put_names(b, "agents", agents, sc->nparties);
  put_names(b, "parties", parties, sc->nparties);
  pl_buf_printf(b, ",\"seed\":%llu,\"agreement\":%s,\"end\":\"%s\",\"by\":",
                (unsigned long long)m->seed,
                tk->end == PL_END_AGREEMENT ? "true" : "false",
                END_KIND[tk->end]);
  if (tk->by >= 0)
    pl_buf_json_string(b, sc->s->actors[tk->by].name);
  else
    pl_buf_puts(b, "null");
  if (tk->end == PL_END_PROTOCOL_VIOLATION && tk->message[0]) {
    pl_buf_puts(b, ",\"violation\":");
    pl_buf_json_string(b, tk->message);
  }
  put_package(b, sc->s, tk);
  pl_buf_printf(b, ",\"rounds\":%u", tk->rounds);
  put_scores(b, sc, tk);
  pl_buf_puts(b, ",\"wall_time\":");
  pl_buf_json_number(b, wall);
  pl_buf_puts(b, "}\n");
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

bool pl_tour_play(const pl_tournament *t, uint64_t index, pl_buf *row,
                  pl_diag *d) {
  pl_tour_match m;
  pl_tour_match_at(t, index, &m);
  pl_talks_options o;
  talks_options(t, &m, &o);
  const pl_tour_scenario *sc = &t->scenarios[m.scenario];
  pl_talks tk;
  double start = now();
  bool ok = pl_talks_run(sc->s, &o, &tk, d);
  double wall = now() - start;
  if (ok)
    put_row(row, t, index, &m, &tk, wall);
  else
    pl_diag_add(d, NULL, 0, 0, "negotiation %llu (%s) failed",
                (unsigned long long)index, sc->name);
  pl_talks_free(&tk);
  if (ok && row->failed)
    pl_diag_add(d, NULL, 0, 0, "out of memory writing a row");
  return ok && !row->failed;
}
