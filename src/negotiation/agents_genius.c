/* agents_genius.c - time-dependent agents that reproduce GENIUS 9.1.9's own
 * sessions deal for deal and round for round
 * (shared/reference/genius-agents.md, docs/agents.md section 5a).
 *
 * Two families, as GENIUS has them:
 *   family 1, agents.TimeDependentAgent (genius-boulware e = 0.2,
 *     genius-conceder e = 2, genius-linear e = 1, genius-hardliner e = 0):
 *     t = r/(N+1), target Pmin + (Pmax - Pmin)(1 - t^(1/e)) with
 *     Pmin = max(worst bid, reservation value); accepts iff the bid on the
 *     table is worth at least its planned bid.
 *   family 2, negotiator.parties.*NegotiationParty (genius-party-boulware
 *     e = 0.2, genius-party-conceder e = 2): target 1 - (t - 1/(N+1))^(1/e)
 *     on the fixed range [0, 1]; accepts iff its planned bid is worth
 *     strictly less than the bid on the table.
 * Both offer the bid GENIUS's SortedOutcomeSpace gives for the target,
 * which depends on its tie order (hashes of the bids) and on where its
 * binary search lands, so the ranking is built here, not taken from
 * pl_self_near (which breaks ties by outcome index).
 *
 * Every floating-point expression is written in GENIUS's order of
 * operations: a target one bit off can pick another bid.
 */
#include "negotiation/agents_genius.h"
#include "negotiation/self.h"
#include "negotiation/tactics.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Java hashes ----------------------------------------------------------
 */

/* The next code point of a UTF-8 string (invalid bytes stand for
 * themselves, as Latin-1 would read them). */
static uint32_t next_code_point(const unsigned char **p) {
  const unsigned char *s = *p;
  uint32_t c = s[0];
  int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  for (int k = 1; k <= more; k++)
    if ((s[k] & 0xC0) != 0x80)
      more = 0; /* malformed: take the lead byte alone */
  if (more) {
    c &= 0x3Fu >> more;
    for (int k = 1; k <= more; k++)
      c = (c << 6) | (s[k] & 0x3Fu);
  }
  *p = s + 1 + more;
  return c;
}

int32_t pl_java_string_hash(const char *utf8) {
  uint32_t h = 0; /* unsigned: Java's int overflow wraps, C's must not */
  const unsigned char *p = (const unsigned char *)utf8;
  while (*p) {
    uint32_t c = next_code_point(&p);
    if (c >= 0x10000) { /* a surrogate pair in UTF-16 */
      c -= 0x10000;
      h = 31 * h + (0xD800 + (c >> 10));
      c = 0xDC00 + (c & 0x3FF);
    }
    h = 31 * h + c;
  }
  return (int32_t)h;
}

int32_t pl_genius_value_hash(const pl_scenario *s, uint32_t issue,
                             uint32_t value) {
  const pl_issue *is = &s->issues[issue];
  if (is->labels)
    return pl_java_string_hash(is->labels[value]);
  char text[64];
  double x = is->numbers ? is->numbers[value] : value;
  if (is->kind == PL_ISSUE_INTEGER)
    snprintf(text, sizeof text, "%.0f", x);
  else
    snprintf(text, sizeof text, "%.17g", x);
  return pl_java_string_hash(text);
}

/* Double.hashCode: the IEEE bits folded to 32 bits. */
static uint32_t double_hash(double x) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  return (uint32_t)(bits ^ (bits >> 32));
}

int32_t pl_genius_bid_hash(int32_t value_hash_sum, double u) {
  uint32_t h = 31u + (uint32_t)value_hash_sum;
  h = 31u * h + double_hash(u);
  h = 31u * h + double_hash(-1.0); /* BidDetails' time: none */
  return (int32_t)h;
}

/* ---- SortedOutcomeSpace ---------------------------------------------------
 */

typedef struct ranked {
  double u;
  int32_t hash;
  uint64_t index;
} ranked;

static int by_genius_order(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  if (x->u != y->u)
    return x->u > y->u ? -1 : 1;
  if (x->hash != y->hash)
    return x->hash < y->hash ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Every value's hash, at s->offset[i] + v. */
static int32_t *value_hashes(const pl_scenario *s) {
  int32_t *vh = malloc((s->total_values ? s->total_values : 1) * sizeof *vh);
  for (uint32_t i = 0; vh && i < s->nissues; i++)
    for (uint32_t v = 0; v < s->issues[i].nvalues; v++)
      vh[s->offset[i] + v] = pl_genius_value_hash(s, i, v);
  return vh;
}

static size_t rank_outcomes(pl_self *me, uint64_t outcomes, const int32_t *vh,
                            ranked *r) {
  const pl_scenario *s = pl_self_domain(me);
  uint32_t v[PL_MAX_ISSUES];
  size_t n = 0;
  for (uint64_t x = 0; x < outcomes; x++) {
    pl_index_to_values(s, x, v);
    if (!pl_self_can_sign(me, v))
      continue;
    uint32_t sum = 0;
    for (uint32_t i = 0; i < s->nissues; i++)
      sum += (uint32_t)vh[s->offset[i] + v[i]];
    double u = pl_self_utility(me, v);
    r[n++] = (ranked){u, pl_genius_bid_hash((int32_t)sum, u), x};
  }
  qsort(r, n, sizeof *r, by_genius_order);
  return n;
}

bool pl_genius_space_build(pl_genius_space *g, pl_self *me, char *msg,
                           size_t msglen) {
  memset(g, 0, sizeof *g);
  uint64_t outcomes;
  if (!pl_space_size(pl_self_domain(me), &outcomes) ||
      outcomes > PL_SELF_TABLE_MAX) {
    snprintf(msg, msglen,
             "GENIUS's agents rank every outcome, and this domain has more "
             "than %u; use the built-in time-dependent agents (boulware, "
             "conceder, linear), which search large spaces",
             (unsigned)PL_SELF_TABLE_MAX);
    return false;
  }
  int32_t *vh = value_hashes(pl_self_domain(me));
  ranked *r = malloc((outcomes ? outcomes : 1) * sizeof *r);
  size_t n = vh && r ? rank_outcomes(me, outcomes, vh, r) : 0;
  free(vh);
  g->index = r ? malloc((n ? n : 1) * sizeof *g->index) : NULL;
  g->util = r ? malloc((n ? n : 1) * sizeof *g->util) : NULL;
  if (!g->index || !g->util) {
    free(r);
    pl_genius_space_free(g);
    snprintf(msg, msglen, "out of memory ranking the outcomes");
    return false;
  }
  for (size_t k = 0; k < n; k++) {
    g->index[k] = r[k].index;
    g->util[k] = r[k].u;
  }
  g->n = n;
  free(r);
  return true;
}

void pl_genius_space_free(pl_genius_space *g) {
  free(g->index);
  free(g->util);
  memset(g, 0, sizeof *g);
}

size_t pl_genius_near(const double *util, size_t n, double p) {
  /* GENIUS's halving: it keeps `low` on a utility above p and `high` on
   * one below, and stops when the middle repeats. An exact match stops it
   * at once, wherever in a run of equal utilities it falls. */
  size_t low = 0, high = n - 1, middle = SIZE_MAX, last;
  do {
    last = middle;
    middle = (low + high) / 2;
    if (util[middle] == p)
      return middle;
    if (util[middle] < p)
      high = middle;
    else
      low = middle;
  } while (middle != last);
  if (middle + 1 < n && fabs(util[middle + 1] - p) < fabs(util[middle] - p))
    middle++;
  return middle;
}

/* ---- Time and targets -----------------------------------------------------
 */

double pl_genius_time(uint32_t round, uint32_t deadline) {
  return (double)round / (double)(deadline + 1u);
}

double pl_genius_party_target(double x, double e) {
  double target = 1.0 - (e == 0 ? 0.0 : pow(x, 1.0 / e));
  return target > 0 ? target : 0;
}

/* ---- The agents -------------------------------------------------------------
 */

typedef struct genius_agent {
  bool party; /* family 2 */
  double e;
  double pmin, pmax; /* family 1's range */
  pl_genius_space space;
  bool shared_space; /* space is the model's (pl_self_memo): not freed */
} genius_agent;

/* The ranking depends on the scenario and party alone: one per model,
 * shared by every negotiation of a tournament on the scenario instead of
 * sorted again at each start (188,160 outcomes on TravelA). */
static const char SPACE_KEY = 's';

static void *build_space(pl_self *me, void *arg) {
  (void)arg;
  char msg[8]; /* the agent's own attempt says why, if this fails */
  pl_genius_space *g = malloc(sizeof *g);
  if (g && pl_genius_space_build(g, me, msg, sizeof msg))
    return g;
  free(g);
  return NULL;
}

static void release_space(void *g) {
  pl_genius_space_free(g);
  free(g);
}

static bool start(genius_agent *a, pl_self *me, bool party, double e, char *msg,
                  size_t msglen) {
  a->party = party;
  a->e = e;
  const pl_genius_space *shared =
      pl_self_memo(me, &SPACE_KEY, build_space, NULL, release_space);
  a->shared_space = shared != NULL;
  if (shared)
    a->space = *shared;
  else if (!pl_genius_space_build(&a->space, me, msg, msglen))
    return false;
  if (a->space.n) {
    a->pmax = a->space.util[0];
    a->pmin = fmax(a->space.util[a->space.n - 1], pl_self_reservation(me));
  }
  return true;
}

static bool agent_start(void *state, pl_self *me, const double *p, char *msg,
                        size_t msglen) {
  return start(state, me, false, p[0], msg, msglen);
}

static bool party_start(void *state, pl_self *me, const double *p, char *msg,
                        size_t msglen) {
  return start(state, me, true, p[0], msg, msglen);
}

static void genius_finish(void *state) {
  genius_agent *a = state;
  if (!a->shared_space)
    pl_genius_space_free(&a->space);
}

/* The target this turn. With a wall-time deadline both families read the
 * protocol's t (the share of the time used), as GENIUS's continuous
 * timeline gives them, with no round offset. */
static double target_now(const genius_agent *a, const pl_self *me, double t) {
  uint32_t deadline = pl_self_deadline(me);
  double time = deadline ? pl_genius_time(pl_self_round(me), deadline) : t;
  if (!a->party)
    return pl_time_target(time, a->e, 0, a->pmin, a->pmax);
  double offset = deadline ? 1.0 / (double)(deadline + 1u) : 0;
  return pl_genius_party_target(time - offset, a->e);
}

static pl_act genius_act(void *state, pl_self *me, double t,
                         const uint32_t *table, uint32_t *offer) {
  genius_agent *a = state;
  if (!a->space.n) /* it can sign nothing: no deal is worth waiting for */
    return PL_ACT_END;
  size_t k = pl_genius_near(a->space.util, a->space.n, target_now(a, me, t));
  pl_index_to_values(pl_self_domain(me), a->space.index[k], offer);
  if (table && pl_self_can_sign(me, table)) {
    double on_table = pl_self_utility(me, table), planned = a->space.util[k];
    /* Exact comparisons, as GENIUS makes them: family 1 accepts at
     * equality, family 2 does not. */
    if (a->party ? planned < on_table : on_table >= planned)
      return PL_ACT_ACCEPT;
  }
  return PL_ACT_OFFER;
}

#define GENIUS_E_HELP                                                          \
  "concession exponent: below 1 concedes late (Boulware), above 1 early "      \
  "(Conceder), 0 never"

#define GENIUS_PARAMS(name, e)                                                 \
  static const pl_param_spec name[] = {{"e", e, 0, 100, GENIUS_E_HELP},        \
                                       {NULL, 0, 0, 0, NULL}}

GENIUS_PARAMS(boulware_params, 0.2);
GENIUS_PARAMS(conceder_params, 2);
GENIUS_PARAMS(linear_params, 1);
GENIUS_PARAMS(hardliner_params, 0);

#define AGENT_SOURCE "GENIUS 9.1.9 agents.TimeDependentAgent"
#define PARTY_SOURCE                                                           \
  "GENIUS 9.1.9 negotiator.parties.AbstractTimeDependentNegotiationParty"

#define GENIUS_CLASS(var, cname, csummary, csource, cparams, cstart)           \
  const pl_agent_class var = {.name = cname,                                   \
                              .summary = csummary,                             \
                              .source = csource,                               \
                              .params = cparams,                               \
                              .state_size = sizeof(genius_agent),              \
                              .start = cstart,                                 \
                              .act = genius_act,                               \
                              .finish = genius_finish}

GENIUS_CLASS(pl_agent_genius_boulware, "genius-boulware",
             "GENIUS's TimeDependentAgentBoulware, exactly (e = 0.2)",
             AGENT_SOURCE "Boulware", boulware_params, agent_start);
GENIUS_CLASS(pl_agent_genius_conceder, "genius-conceder",
             "GENIUS's TimeDependentAgentConceder, exactly (e = 2)",
             AGENT_SOURCE "Conceder", conceder_params, agent_start);
GENIUS_CLASS(pl_agent_genius_linear, "genius-linear",
             "GENIUS's TimeDependentAgentLinear, exactly (e = 1)",
             AGENT_SOURCE "Linear", linear_params, agent_start);
GENIUS_CLASS(pl_agent_genius_hardliner, "genius-hardliner",
             "GENIUS's TimeDependentAgentHardliner, exactly (e = 0)",
             AGENT_SOURCE "Hardliner", hardliner_params, agent_start);
GENIUS_CLASS(pl_agent_genius_party_boulware, "genius-party-boulware",
             "GENIUS's BoulwareNegotiationParty, exactly (e = 0.2)",
             PARTY_SOURCE, boulware_params, party_start);
GENIUS_CLASS(pl_agent_genius_party_conceder, "genius-party-conceder",
             "GENIUS's ConcederNegotiationParty, exactly (e = 2)", PARTY_SOURCE,
             conceder_params, party_start);
