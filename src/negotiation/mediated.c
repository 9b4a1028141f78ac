/* mediated.c - the single negotiating text: Fisher's one-text procedure
 * (as the Americans ran it at Camp David, Raiffa 1982) in the automated
 * form of Klein, Faratin, Sayama & Bar-Yam 2003 ("Negotiating complex
 * contracts"). A mediator holds one draft; at every step it proposes
 * changing a few issues of it, every party votes whether the changed
 * draft is better for it than the current one, and the change is kept
 * when nobody vetoes it (or when a quota of parties votes yes). Voters
 * may anneal: accept a worse draft with probability e^(-delta/T), T
 * falling linearly to 0. At the end every party signs the final text or
 * not, and the ratifiers vote. The mediator sees the votes only, never a
 * utility. The exact rules, and the choices made where the sources are
 * silent, are in docs/protocols.md.
 */
#define _POSIX_C_SOURCE 200809L
#include "negotiation/negotiate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum {
  CHANGE_TRIES = 100, /* redraws of a change that breaks a constraint */
  START_TRIES = 1000, /* uniform draws of a random first draft */
  PEN_CANDIDATES = 8  /* changes a pen-holding party chooses among */
};
/* Nodes the search for a feasible first draft may visit (as the loader's
 * satisfiability check). */
#define START_BUDGET 10000000ULL

typedef struct mediation {
  const pl_scenario *s;
  const pl_talks_options *o;
  pl_seat *seats;
  pl_talks *out;
  pl_rng rng;       /* the neutral mediator's own stream: (seed, 0) */
  uint32_t nchange; /* issues changed per step */
  /* Issues with at least two values (only those can change), in the
   * order the last draw left them: a partial Fisher-Yates shuffle picks
   * distinct issues without another buffer. */
  uint32_t movable[PL_MAX_ISSUES];
  uint32_t nmovable;
  uint32_t draft[PL_MAX_ISSUES];
} mediation;


static bool feasible(const pl_scenario *s, const uint32_t *v) {
  return pl_rules_hold(s, -1, v);
}

/* ---- The first draft ------------------------------------------------------
 */

/* The number of leading issues a constraint needs assigned before it can be
 * checked: one past its last referenced issue. */
static uint32_t ready_depth(const pl_rule *r) {
  uint32_t d = 0;
  for (uint32_t j = 0; j < r->nrefs; j++)
    if (r->refs[j] + 1 > d)
      d = r->refs[j] + 1;
  return d;
}

/* Whether the constraints that become checkable at `depth` hold; along a
 * path from the root every constraint is checked exactly once. */
static bool ready_rules_hold(const pl_scenario *s, const uint32_t *v,
                             uint32_t depth) {
  for (uint32_t c = 0; c < s->nconstraints; c++)
    if (ready_depth(&s->constraints[c]) == depth &&
        !pl_rule_holds(&s->constraints[c], v))
      return false;
  return true;
}

/* Depth-first search for a feasible outcome, trying each issue's values
 * in the order that starts at from[i], so the first one found is the first
 * feasible outcome after a random point. */
static bool search_feasible(const pl_scenario *s, const uint32_t *from,
                            uint32_t *v, uint32_t depth, uint64_t *budget) {
  if (!ready_rules_hold(s, v, depth))
    return false;
  if (depth == s->nissues)
    return true;
  uint32_t nv = s->issues[depth].nvalues;
  for (uint32_t j = 0; j < nv && *budget; j++) {
    (*budget)--;
    v[depth] = (uint32_t)((from[depth] + (uint64_t)j) % nv);
    if (search_feasible(s, from, v, depth + 1, budget))
      return true;
  }
  return false;
}

/* A uniformly random feasible outcome by rejection; when constraints make
 * that hopeless, the first feasible outcome after the last draw. If even
 * the search finds none the last draw stays: nobody can sign it. */
static void random_draft(mediation *m) {
  const pl_scenario *s = m->s;
  for (uint32_t k = 0; k < START_TRIES; k++) {
    for (uint32_t i = 0; i < s->nissues; i++)
      m->draft[i] = (uint32_t)pl_rng_below(&m->rng, s->issues[i].nvalues);
    if (feasible(s, m->draft))
      return;
  }
  uint32_t from[PL_MAX_ISSUES];
  memcpy(from, m->draft, s->nissues * sizeof *from);
  uint64_t budget = START_BUDGET;
  if (!search_feasible(s, from, m->draft, 0, &budget))
    memcpy(m->draft, from, s->nissues * sizeof *from);
}

static void first_draft(mediation *m) {
  if (m->o->start_from >= 0)
    memcpy(m->draft, m->s->proposals[m->o->start_from].values,
           m->s->nissues * sizeof *m->draft);
  else
    random_draft(m);
}

/* ---- Proposing a change ---------------------------------------------------
 */

/* A change of the draft: nchange distinct issues, each set to a different
 * value, all uniformly at random from r; redrawn while it breaks a
 * constraint. False when no feasible change turned up. */
static bool draw_change(mediation *m, pl_rng *r, uint32_t *next) {
  const pl_scenario *s = m->s;
  if (!m->nchange)
    return false;
  for (uint32_t k = 0; k < CHANGE_TRIES; k++) {
    memcpy(next, m->draft, s->nissues * sizeof *next);
    for (uint32_t j = 0; j < m->nchange; j++) {
      uint32_t pick = j + (uint32_t)pl_rng_below(r, m->nmovable - j);
      uint32_t i = m->movable[pick];
      m->movable[pick] = m->movable[j];
      m->movable[j] = i;
      uint32_t v = (uint32_t)pl_rng_below(r, s->issues[i].nvalues - 1);
      next[i] = v >= m->draft[i] ? v + 1 : v;
    }
    if (feasible(s, next))
      return true;
  }
  return false;
}

/* A party holding the pen proposes, of PEN_CANDIDATES random changes drawn
 * from its own stream, the one it likes best (the first of equals). It is
 * the party proposing, so it may use its own utility; the others' stay
 * hidden from it. */
static bool pen_change(mediation *m, uint32_t *next) {
  pl_self *me = m->seats[m->o->pen].me;
  uint32_t cand[PL_MAX_ISSUES];
  bool any = false;
  double best = 0;
  for (uint32_t c = 0; c < PEN_CANDIDATES; c++) {
    if (!draw_change(m, pl_self_rng(me), cand))
      continue;
    double u = pl_self_utility(me, cand);
    if (!any || u > best) {
      best = u;
      any = true;
      memcpy(next, cand, m->s->nissues * sizeof *next);
    }
  }
  return any;
}

static bool propose(mediation *m, uint32_t *next) {
  return m->o->pen >= 0 ? pen_change(m, next) : draw_change(m, &m->rng, next);
}

/* ---- Voting ---------------------------------------------------------------
 */

/* Klein et al.'s voters: a hill climber says yes iff the proposed draft is
 * strictly better for it; an annealer (T0 > 0) also says yes to a draft
 * worse by delta with probability e^(-delta/T), T = T0 (1 - t), drawn from
 * its own stream. Red lines are no veto here: while drafting a party judges
 * by utility only, and its red lines bind when it signs. */
static bool default_vote(pl_self *me, double t, double anneal,
                         const uint32_t *current, const uint32_t *proposed) {
  double now_u = pl_self_utility(me, current);
  double new_u = pl_self_utility(me, proposed);
  if (new_u > now_u)
    return true;
  double temp = anneal * (1 - t);
  if (!(temp > 0))
    return false;
  return pl_rng_uniform(pl_self_rng(me)) < exp(-(now_u - new_u) / temp);
}

/* Every party votes, in party order (each draws only from its own stream,
 * so the order changes nothing but is fixed anyway). */
static uint32_t count_yes(mediation *m, double t, const uint32_t *next) {
  uint32_t yes = 0;
  for (uint32_t p = 0; p < m->s->nparties; p++) {
    pl_seat *seat = &m->seats[p];
    bool y = seat->cls->vote
                 ? seat->cls->vote(seat->state, seat->me, t, m->draft, next)
                 : default_vote(seat->me, t, m->o->anneal, m->draft, next);
    yes += y;
  }
  return yes;
}

static bool passes(const mediation *m, uint32_t yes) {
  return m->o->quota ? yes >= m->o->quota : yes == m->s->nparties;
}

/* ---- Steps and the end ----------------------------------------------------
 */

/* One event per step: the proposed draft (none when no feasible change was
 * found), its yes votes and whether it was kept. */
static bool record_step(mediation *m, uint32_t k, const uint32_t *next,
                        double t, uint32_t yes, bool kept) {
  pl_talks *out = m->out;
  if (!pl_talks_record(out, k, m->o->pen >= 0 ? m->o->pen : -1, PL_ACT_OFFER,
                       next, t))
    return false;
  if (out->opt.trace && out->nevents) { /* nothing is kept without a trace */
    out->events[out->nevents - 1].yes = yes;
    out->events[out->nevents - 1].kept = kept;
  }
  out->last.yes = yes;
  out->last.kept = kept;
  return pl_talks_notify(out);
}

static bool step(mediation *m, uint32_t k, double t) {
  uint32_t next[PL_MAX_ISSUES];
  if (!propose(m, next))
    return record_step(m, k, NULL, t, 0, false);
  uint32_t yes = count_yes(m, t, next);
  bool kept = passes(m, yes);
  if (!record_step(m, k, next, t, yes, kept))
    return false;
  if (kept)
    memcpy(m->draft, next, m->s->nissues * sizeof *next);
  return true;
}

static bool default_sign(pl_self *me, const uint32_t *text) {
  return pl_self_can_sign(me, text) &&
         pl_self_utility(me, text) >= pl_self_reservation(me) - PL_EPS;
}

/* Every party is asked, in party order; a party that will not sign ends
 * the talks as a walk-out (the first such party is named), and the final
 * text is still reported as the outcome, though not agreed. */
static void sign_and_settle(mediation *m) {
  pl_talks *out = m->out;
  int32_t refuses = -1;
  for (uint32_t p = 0; p < m->s->nparties; p++) {
    pl_seat *seat = &m->seats[p];
    bool ok = seat->cls->sign ? seat->cls->sign(seat->state, seat->me, m->draft)
                              : default_sign(seat->me, m->draft);
    if (!ok && refuses < 0)
      refuses = (int32_t)p;
  }
  if (refuses < 0) {
    pl_talks_settle(out, m->draft, 1.0);
    return;
  }
  out->end = PL_END_WALK_OUT;
  out->by = refuses;
  pl_talks_settle(out, NULL, 1.0);
  out->outcome = pl_values_to_index(m->s, m->draft);
}

/* The caller checks the options; these guard the indices used here. */
static bool options_ok(mediation *m) {
  const pl_talks_options *o = m->o;
  if (o->pen >= (int32_t)m->s->nparties) {
    snprintf(m->out->message, sizeof m->out->message,
             "the pen is given to party %d of %u", (int)o->pen, m->s->nparties);
    return false;
  }
  if (o->start_from >= (int32_t)m->s->nproposals) {
    snprintf(m->out->message, sizeof m->out->message,
             "the first draft is proposal %d of %u", (int)o->start_from,
             m->s->nproposals);
    return false;
  }
  return true;
}

static void find_movable(mediation *m) {
  m->nmovable = 0;
  for (uint32_t i = 0; i < m->s->nissues; i++)
    if (m->s->issues[i].nvalues > 1)
      m->movable[m->nmovable++] = i;
  m->nchange = m->o->change ? m->o->change : 1;
  if (m->nchange > m->nmovable)
    m->nchange = m->nmovable;
}

bool pl_mediated_run(const pl_scenario *s, const pl_talks_options *o,
                     pl_seat *seats, pl_talks *out) {
  mediation m = {.s = s, .o = o, .seats = seats, .out = out};
  if (!options_ok(&m))
    return false;
  find_movable(&m);
  pl_rng_seed2(&m.rng, o->seed, 0); /* the parties have streams 1 .. n */
  first_draft(&m);
  out->first_draft = pl_values_to_index(s, m.draft);
  double t0 = pl_talks_now();
  for (uint32_t k = 1; !pl_talks_deadline_passed(o, k, t0); k++) {
    out->rounds = k;
    if (!step(&m, k, pl_talks_clock(o, k, t0)))
      return false;
  }
  sign_and_settle(&m);
  return true;
}
