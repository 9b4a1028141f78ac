/* agents_reactive.c - agents that react to the others rather than to the
 * clock: tit-for-tat (relative concession mirroring), random (anything
 * acceptable) and micro (MiCRO, de Jonge 2022).
 */
#include "negotiation/agent.h"
#include "negotiation/tactics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The range an agent offers in: from its best outcome down to its
 * reservation value (or the worst outcome it can sign, if higher). */
static void offer_range(const pl_self *me, double *pmin, double *pmax) {
  *pmax = pl_self_best(me);
  *pmin = fmax(pl_self_reservation(me), pl_self_worst(me));
}

/* ==== tit-for-tat ========================================================= */

double pl_tft_concession(double prev, double last, double pmax) {
  if (prev >= pmax)
    return 0; /* it already offered my best: nothing left to concede */
  double r = (last - prev) / (pmax - prev);
  return r < -1 ? -1 : r > 1 ? 1 : r;
}

double pl_tft_next(double target, double r, double pmin, double pmax) {
  double next = target - r * (target - pmin);
  return next < pmin ? pmin : next > pmax ? pmax : next;
}

typedef struct tft {
  double pmin, pmax, target;
  pl_near_cache near;
  uint32_t self, parties;
  /* Per other party: my utility of its last two offers, how many it has
   * made, its last relative concession and whether that is news since my
   * last turn. */
  double prev[PL_MAX_PARTIES], last[PL_MAX_PARTIES], r[PL_MAX_PARTIES];
  uint64_t offers[PL_MAX_PARTIES];
  bool fresh[PL_MAX_PARTIES];
} tft;

static bool tft_start(void *state, pl_self *me, const double *p, char *msg,
                      size_t msglen) {
  (void)p, (void)msg, (void)msglen;
  tft *a = state;
  offer_range(me, &a->pmin, &a->pmax);
  a->target = a->pmax; /* it opens with its best */
  a->self = pl_self_index(me);
  a->parties = pl_self_parties(me);
  return true;
}

static void tft_observe(void *state, pl_self *me, uint32_t party, pl_act act,
                        const uint32_t *offer) {
  tft *a = state;
  if (act != PL_ACT_OFFER || !offer || party == a->self)
    return;
  a->prev[party] = a->last[party];
  a->last[party] = pl_self_utility(me, offer);
  if (++a->offers[party] >= 2) {
    a->r[party] = pl_tft_concession(a->prev[party], a->last[party], a->pmax);
    a->fresh[party] = true;
  }
}

/* The concession to mirror: the smallest among the parties that moved
 * since my last turn (the least generous sets the pace, so nobody is
 * rewarded for another's concession); 0 when nobody moved. With one
 * opponent this is its last move, as in the two-party rule. */
static double concession_to_mirror(tft *a) {
  bool any = false;
  double r = 0;
  for (uint32_t q = 0; q < a->parties; q++) {
    if (!a->fresh[q])
      continue;
    r = any ? fmin(r, a->r[q]) : a->r[q];
    any = true;
    a->fresh[q] = false;
  }
  return r;
}

static pl_act tft_act(void *state, pl_self *me, double t, const uint32_t *table,
                      uint32_t *offer) {
  (void)t;
  tft *a = state;
  a->target = pl_tft_next(a->target, concession_to_mirror(a), a->pmin, a->pmax);
  if (!pl_near_cached(&a->near, me, a->target, a->pmin - PL_EPS, a->pmax,
                      offer))
    return PL_ACT_END; /* nothing it can sign beats no deal */
  if (table && pl_self_can_sign(me, table) &&
      pl_at_least(pl_self_utility(me, table), pl_self_utility(me, offer)))
    return PL_ACT_ACCEPT;
  return PL_ACT_OFFER;
}

const pl_agent_class pl_agent_tit_for_tat = {
    .name = "tit-for-tat",
    .summary = "mirrors the others' last relative concession, measured in "
               "its own utility",
    .source = "Faratin, Sierra & Jennings 1998 (relative tit-for-tat); "
              "Baarslag et al. 2013 (Nice Tit for Tat), simplified",
    .params = NULL,
    .state_size = sizeof(tft),
    .start = tft_start,
    .act = tft_act,
    .observe = tft_observe};

/* ==== random ============================================================== */

#define RANDOM_TRIES 1000 /* rejection draws per offer in unranked spaces */

typedef struct rnd {
  double res, pmin, pmax;
  bool ranked;         /* the space is small enough to rank */
  uint64_t acceptable; /* ranked: how many of the top are worth res */
} rnd;

static bool worth(pl_self *me, uint64_t n, double res) {
  uint32_t o[PL_MAX_ISSUES];
  return pl_self_ranked(me, n, o) && pl_at_least(pl_self_utility(me, o), res);
}

/* The outcomes worth the reservation value are a prefix of the ranking:
 * find its length by doubling, then bisection (O(log n) look-ups). */
static uint64_t acceptable_prefix(pl_self *me, double res) {
  uint64_t lo = 0, hi = 1; /* worth(n) for every n < lo */
  while (worth(me, hi - 1, res)) {
    lo = hi;
    hi *= 2;
  }
  uint64_t b = hi - 1; /* !worth(b): the answer is in [lo, b] */
  while (lo < b) {
    uint64_t m = lo + (b - lo) / 2;
    if (worth(me, m, res))
      lo = m + 1;
    else
      b = m;
  }
  return lo;
}

static bool random_start(void *state, pl_self *me, const double *p, char *msg,
                         size_t msglen) {
  (void)p, (void)msg, (void)msglen;
  rnd *a = state;
  uint32_t o[PL_MAX_ISSUES];
  a->res = pl_self_reservation(me);
  offer_range(me, &a->pmin, &a->pmax);
  a->ranked = pl_self_ranked(me, 0, o);
  if (a->ranked)
    a->acceptable = acceptable_prefix(me, a->res);
  return true;
}

/* Spaces too large to rank: uniform draws until one is acceptable; if
 * none of RANDOM_TRIES is, the outcome nearest a uniform random target
 * utility in [Pmin, Pmax] (no longer uniform over outcomes). */
static bool random_unranked(const rnd *a, pl_self *me, uint32_t *offer) {
  pl_rng *rng = pl_self_rng(me);
  uint32_t n = pl_self_issues(me);
  for (int k = 0; k < RANDOM_TRIES; k++) {
    for (uint32_t i = 0; i < n; i++)
      offer[i] = (uint32_t)pl_rng_below(rng, pl_self_values(me, i));
    if (pl_self_can_sign(me, offer) &&
        pl_at_least(pl_self_utility(me, offer), a->res))
      return true;
  }
  double target = a->pmin + pl_rng_uniform(rng) * (a->pmax - a->pmin);
  return pl_self_near(me, target, a->pmin - PL_EPS, a->pmax, offer);
}

static pl_act random_act(void *state, pl_self *me, double t,
                         const uint32_t *table, uint32_t *offer) {
  (void)t;
  const rnd *a = state;
  if (table && pl_self_can_sign(me, table) &&
      pl_at_least(pl_self_utility(me, table), a->res))
    return PL_ACT_ACCEPT;
  if (a->ranked) {
    if (a->acceptable == 0)
      return PL_ACT_END; /* nothing it can sign beats no deal */
    uint64_t k = pl_rng_below(pl_self_rng(me), a->acceptable);
    pl_self_ranked(me, k, offer);
    return PL_ACT_OFFER;
  }
  return random_unranked(a, me, offer) ? PL_ACT_OFFER : PL_ACT_END;
}

const pl_agent_class pl_agent_random = {
    .name = "random",
    .summary = "offers a uniformly random outcome worth its reservation "
               "value; accepts any such outcome",
    .source = "the random baseline of GENIUS and NegMAS",
    .params = NULL,
    .state_size = sizeof(rnd),
    .start = random_start,
    .act = random_act};

/* ==== micro =============================================================== */

/* A set of outcomes, to count an opponent's distinct offers: the outcomes
 * one after another in `items`, found through an open-addressing table of
 * their positions + 1 (0: empty). */
typedef struct oset {
  uint32_t *items;
  uint32_t n, cap;
  uint32_t *slots;
  uint32_t nslots; /* a power of two, at least twice n */
} oset;

static uint64_t hash_outcome(const uint32_t *o, uint32_t nissues) {
  uint64_t h = 0x9e3779b97f4a7c15u;
  for (uint32_t i = 0; i < nissues; i++) {
    h = (h ^ o[i]) * 0xff51afd7ed558ccdu;
    h ^= h >> 32;
  }
  return h;
}

/* The slot holding `o`, or the empty slot where it belongs. */
static uint32_t oset_slot(const oset *s, const uint32_t *o, uint32_t ni) {
  uint32_t mask = s->nslots - 1, k = (uint32_t)hash_outcome(o, ni) & mask;
  while (s->slots[k] && memcmp(&s->items[(size_t)(s->slots[k] - 1) * ni], o,
                               ni * sizeof *o) != 0)
    k = (k + 1) & mask;
  return k;
}

static bool oset_grow(oset *s, uint32_t ni) {
  uint32_t cap = s->cap ? s->cap * 2 : 16;
  uint32_t *items = realloc(s->items, (size_t)cap * ni * sizeof *items);
  if (!items)
    return false;
  s->items = items; /* larger, but cap only grows with the table below */
  uint32_t *slots = calloc((size_t)cap * 2, sizeof *slots);
  if (!slots)
    return false;
  free(s->slots);
  s->slots = slots;
  s->nslots = cap * 2;
  s->cap = cap;
  for (uint32_t j = 0; j < s->n; j++)
    s->slots[oset_slot(s, &s->items[(size_t)j * ni], ni)] = j + 1;
  return true;
}

/* Adds o unless it is there; out of memory, the set simply stops growing
 * (the agent then concedes less, never more). */
static void oset_add(oset *s, const uint32_t *o, uint32_t ni) {
  if (s->n == s->cap && !oset_grow(s, ni))
    return;
  uint32_t k = oset_slot(s, o, ni);
  if (s->slots[k])
    return;
  memcpy(&s->items[(size_t)s->n * ni], o, ni * sizeof *o);
  s->slots[k] = ++s->n;
}

typedef struct micro {
  double res, pmin, pmax;
  bool ranked;  /* walk the ranking; otherwise step a target down */
  int64_t pos;  /* ranked: its lowest position so far (-1: none yet) */
  uint64_t own; /* distinct outcomes it has offered */
  bool has_cur; /* unranked: its lowest offer so far */
  uint32_t cur[PL_MAX_ISSUES];
  uint32_t self, parties, nissues;
  oset seen[PL_MAX_PARTIES]; /* per other party: its distinct offers */
} micro;

#define MICRO_STEPS 1000.0 /* unranked: steps from Pmax down to Pmin */

static bool micro_start(void *state, pl_self *me, const double *p, char *msg,
                        size_t msglen) {
  (void)p, (void)msg, (void)msglen;
  micro *a = state;
  uint32_t o[PL_MAX_ISSUES];
  a->res = pl_self_reservation(me);
  offer_range(me, &a->pmin, &a->pmax);
  a->ranked = pl_self_ranked(me, 0, o);
  a->pos = -1;
  a->self = pl_self_index(me);
  a->parties = pl_self_parties(me);
  a->nissues = pl_self_issues(me);
  return true;
}

static void micro_finish(void *state) {
  micro *a = state;
  for (uint32_t q = 0; q < a->parties; q++) {
    free(a->seen[q].items);
    free(a->seen[q].slots);
  }
}

static void micro_observe(void *state, pl_self *me, uint32_t party, pl_act act,
                          const uint32_t *offer) {
  (void)me;
  micro *a = state;
  if (act == PL_ACT_OFFER && offer && party != a->self)
    oset_add(&a->seen[party], offer, a->nissues);
}

/* The others' distinct offers, for the rule "concede only when they have
 * made at least as many as I have": the smallest count among the other
 * parties, so that it concedes only when every one of them has. */
static uint64_t others_distinct(const micro *a) {
  uint64_t m = UINT64_MAX;
  for (uint32_t q = 0; q < a->parties; q++)
    if (q != a->self && a->seen[q].n < m)
      m = a->seen[q].n;
  return m == UINT64_MAX ? 0 : m;
}

/* The position it would offer from this turn: one step further down its
 * ranking when the others have kept pace and the next outcome is still
 * worth its reservation value. */
static int64_t ranked_position(const micro *a, pl_self *me, bool *step) {
  uint32_t o[PL_MAX_ISSUES];
  *step = a->own <= others_distinct(a) &&
          pl_self_ranked(me, (uint64_t)(a->pos + 1), o) &&
          pl_at_least(pl_self_utility(me, o), a->res);
  return a->pos + (*step ? 1 : 0);
}

static pl_act micro_ranked(micro *a, pl_self *me, const uint32_t *table,
                           uint32_t *offer) {
  bool step;
  int64_t pos = ranked_position(a, me, &step);
  if (pos < 0)
    return PL_ACT_END; /* even its best is not worth its reservation */
  pl_self_ranked(me, (uint64_t)pos, offer);
  /* It accepts whatever it would offer itself. */
  if (table && pl_self_can_sign(me, table) &&
      pl_at_least(pl_self_utility(me, table), pl_self_utility(me, offer)))
    return PL_ACT_ACCEPT;
  if (step) {
    a->pos = pos;
    a->own++;
  } else { /* repeat one of its earlier offers at random, as MiCRO does */
    pl_self_ranked(me, pl_rng_below(pl_self_rng(me), (uint64_t)pos + 1), offer);
  }
  return PL_ACT_OFFER;
}

/* Unranked spaces: instead of the next outcome of the ranking, the
 * outcome closest from above to a target one step (1/1000 of [Pmin,
 * Pmax]) below its current offer, among those worth strictly less than
 * it, so every step is a new outcome. */
static bool unranked_step(const micro *a, pl_self *me, uint32_t *next) {
  if (!a->has_cur)
    return pl_self_near(me, a->pmax, a->pmin - PL_EPS, a->pmax, next);
  double u = pl_self_utility(me, a->cur);
  double step = (a->pmax - a->pmin) / MICRO_STEPS;
  return pl_self_near(me, u - step, a->pmin - PL_EPS, nextafter(u, -INFINITY),
                      next);
}

static pl_act micro_unranked(micro *a, pl_self *me, const uint32_t *table,
                             uint32_t *offer) {
  bool step = a->own <= others_distinct(a) && unranked_step(a, me, offer);
  if (!step && !a->has_cur)
    return PL_ACT_END; /* nothing it can sign beats no deal */
  if (!step)
    memcpy(offer, a->cur, a->nissues * sizeof *offer);
  if (table && pl_self_can_sign(me, table) &&
      pl_at_least(pl_self_utility(me, table), pl_self_utility(me, offer)))
    return PL_ACT_ACCEPT;
  if (step) { /* a repeat is its current offer: there is no list to draw
                 earlier offers from without holding them all */
    memcpy(a->cur, offer, a->nissues * sizeof *offer);
    a->has_cur = true;
    a->own++;
  }
  return PL_ACT_OFFER;
}

static pl_act micro_act(void *state, pl_self *me, double t,
                        const uint32_t *table, uint32_t *offer) {
  (void)t;
  micro *a = state;
  return a->ranked ? micro_ranked(a, me, table, offer)
                   : micro_unranked(a, me, table, offer);
}

const pl_agent_class pl_agent_micro = {
    .name = "micro",
    .summary = "MiCRO: one step down its own ranking per new distinct offer "
               "of the others",
    .source = "de Jonge, An Analysis of the Linear Bilateral ANAC Domains "
              "Using the MiCRO Benchmark Strategy, IJCAI 2022",
    .params = NULL,
    .state_size = sizeof(micro),
    .start = micro_start,
    .act = micro_act,
    .observe = micro_observe,
    .finish = micro_finish};
