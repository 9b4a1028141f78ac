/* plan.c - the tournament's fixed enumeration of negotiations.
 *
 * Negotiation `index` is found by arithmetic, not by replaying a schedule:
 * scenarios in config order, within a scenario the assignments of agents to
 * parties in lexicographic order of agent numbers, within an assignment the
 * repetitions. Its seed comes from (tournament seed, index) alone. So any
 * thread, any MPI rank, and a resumed run compute exactly the same row for
 * an index, which is what makes results independent of how they were run.
 */
#include "tournament/tournament.h"
#include "util/diag.h"
#include "util/rng.h"

#include <stdlib.h>
#include <string.h>

/* Above this many assignments for one number of parties, the tournament is
 * refused: it could not be run in any reasonable time anyway. */
#define MAX_TUPLES 10000000ULL

typedef struct gen {
  const pl_tournament *t;
  pl_tour_tuples *out;
  uint64_t cap; /* of out->ids, in tuples */
  pl_agent_id cur[PL_MAX_PARTIES];
  bool overflow, nomem;
} gen;

/* Whether agent a may take seat `depth` after the agents already seated. */
static bool may_sit(const gen *g, uint32_t depth, pl_agent_id a) {
  const pl_tournament *t = g->t;
  if (depth == 0)
    return true;
  pl_agent_id prev = g->cur[depth - 1];
  if (!t->rotate_roles) /* each set of agents once, in config order */
    return t->self_play ? a >= prev : a > prev;
  for (uint32_t k = 0; k < depth && !t->self_play; k++)
    if (g->cur[k] == a)
      return false;
  return true;
}

static void emit(gen *g) {
  pl_tour_tuples *o = g->out;
  if (o->count == MAX_TUPLES) {
    g->overflow = true;
    return;
  }
  if (o->count == g->cap) {
    uint64_t cap = g->cap ? g->cap * 2 : 64;
    pl_agent_id *ids = realloc(o->ids, cap * o->nparties * sizeof *ids);
    if (!ids) {
      g->nomem = true;
      return;
    }
    o->ids = ids;
    g->cap = cap;
  }
  memcpy(o->ids + o->count * o->nparties, g->cur, o->nparties * sizeof *g->cur);
  o->count++;
}

static void seat(gen *g, uint32_t depth) {
  if (g->overflow || g->nomem)
    return;
  if (depth == g->out->nparties) {
    emit(g);
    return;
  }
  for (size_t a = 0; a < g->t->nagents; a++) {
    if (!may_sit(g, depth, (pl_agent_id)a))
      continue;
    g->cur[depth] = (pl_agent_id)a;
    seat(g, depth + 1);
  }
}

static pl_tour_tuples *tuples_for(pl_tournament *t, uint32_t nparties,
                                  pl_diag *d) {
  for (size_t k = 0; k < t->ntuples; k++)
    if (t->tuples[k].nparties == nparties)
      return &t->tuples[k];
  pl_tour_tuples *all = realloc(t->tuples, (t->ntuples + 1) * sizeof *all);
  if (!all) {
    pl_diag_add(d, t->file, 0, 0, "out of memory");
    return NULL;
  }
  t->tuples = all;
  pl_tour_tuples *o = &t->tuples[t->ntuples++];
  *o = (pl_tour_tuples){.nparties = nparties};
  gen g = {.t = t, .out = o};
  seat(&g, 0);
  if (g.overflow)
    pl_diag_add(d, t->file, 0, 0,
                "more than %llu assignments of %zu agents to %u parties: "
                "the tournament is too large",
                (unsigned long long)MAX_TUPLES, t->nagents, nparties);
  else if (g.nomem)
    pl_diag_add(d, t->file, 0, 0, "out of memory");
  return g.overflow || g.nomem ? NULL : o;
}

bool pl_tour_plan(pl_tournament *t, pl_diag *d) {
  /* All assignment tables first: adding one moves the others. */
  for (size_t k = 0; k < t->nscenarios; k++)
    if (!tuples_for(t, t->scenarios[k].nparties, d))
      return false;
  uint64_t total = 0;
  for (size_t k = 0; k < t->nscenarios; k++) {
    pl_tour_scenario *sc = &t->scenarios[k];
    sc->tuples = tuples_for(t, sc->nparties, d);
    sc->first = total;
    sc->count = sc->tuples->count * t->repetitions;
    if (sc->tuples->count > UINT64_MAX / t->repetitions ||
        total > UINT64_MAX / 2 - sc->count) {
      pl_diag_add(d, t->file, 0, 0, "the tournament is too large");
      return false;
    }
    total += sc->count;
  }
  t->total = total;
  return true;
}

uint64_t pl_tour_seed(uint64_t tournament_seed, uint64_t index) {
  pl_rng r;
  pl_rng_seed2(&r, tournament_seed, index);
  /* 63 bits: every JSON reader, and `parley negotiate --seed`, takes it. */
  return pl_rng_next(&r) >> 1;
}

void pl_tour_match_at(const pl_tournament *t, uint64_t index,
                      pl_tour_match *m) {
  size_t lo = 0, hi = t->nscenarios; /* the last scenario with first <= index */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->scenarios[mid].first <= index)
      lo = mid;
    else
      hi = mid;
  }
  /* Scenarios without negotiations share their `first` with the next one. */
  while (lo + 1 < t->nscenarios && t->scenarios[lo].count == 0)
    lo++;
  const pl_tour_scenario *sc = &t->scenarios[lo];
  uint64_t local = index - sc->first;
  uint64_t tuple = local / t->repetitions;
  m->scenario = (uint32_t)lo;
  m->repetition = (uint32_t)(local % t->repetitions);
  m->agents = sc->tuples->ids + tuple * sc->nparties;
  m->seed = pl_tour_seed(t->seed, index);
}
