/* saop.c - the stacked alternating offers protocol (Aydogan et al. 2017),
 * as GENIUS 10.4 runs it (shared/reference/saop-rules-and-vectors.txt):
 * parties take turns in a fixed order, one turn each per round; a turn is
 * an offer (which replaces the one on the table), an accept of the offer
 * on the table, or a walk-out. The very first action cannot be an accept.
 * An offer is agreed when all the other parties accept it in turn right
 * after it (the proposer counts as agreeing). Round k of R begins at
 * normalised time t = (k - 1) / R.
 */
#define _POSIX_C_SOURCE 200809L
#include "negotiation/negotiate.h"
#include "negotiation/self.h"

#include <stdio.h>
#include <string.h>


/* An offer must name a value of every issue and satisfy every constraint:
 * the library never lets an infeasible outcome onto the table. */
static bool legal_offer(const pl_scenario *s, const uint32_t *offer, char *why,
                        size_t len) {
  for (uint32_t i = 0; i < s->nissues; i++)
    if (offer[i] >= s->issues[i].nvalues) {
      snprintf(why, len, "offered value %u of issue '%s', which has %u",
               offer[i], s->issues[i].name, s->issues[i].nvalues);
      return false;
    }
  for (uint32_t c = 0; c < s->nconstraints; c++)
    if (!pl_rule_holds(&s->constraints[c], offer)) {
      snprintf(why, len, "offered an outcome that breaks constraint '%s'",
               s->constraints[c].name ? s->constraints[c].name
                                      : s->constraints[c].text);
      return false;
    }
  return true;
}

static void tell_others(pl_seat *seats, uint32_t n, uint32_t from, pl_act act,
                        const uint32_t *offer) {
  for (uint32_t p = 0; p < n; p++)
    if (p != from && seats[p].cls->observe)
      seats[p].cls->observe(seats[p].state, seats[p].me, from, act,
                            act == PL_ACT_OFFER ? offer : NULL);
}

bool pl_saop_run(const pl_scenario *s, const pl_talks_options *o,
                 pl_seat *seats, pl_talks *out) {
  uint32_t n = s->nparties;
  uint32_t table[PL_MAX_ISSUES], offer[PL_MAX_ISSUES];
  bool on_table = false;
  uint32_t agreeing = 0; /* the proposer and the accepts right after it */
  double t0 = pl_talks_now();
  for (uint32_t k = 1; !pl_talks_deadline_passed(o, k, t0); k++) {
    out->rounds = k;
    for (uint32_t p = 0; p < n; p++) {
      double t = pl_talks_clock(o, k, t0);
      pl_self_set_clock(seats[p].me, k, o->seconds > 0 ? 0 : o->rounds);
      memset(offer, 0, sizeof offer);
      pl_act act = seats[p].cls->act(seats[p].state, seats[p].me, t,
                                     on_table ? table : NULL, offer);
      if (!pl_talks_record(out, k, (int32_t)p, act,
                           act == PL_ACT_OFFER ? offer
                           : on_table          ? table
                                               : NULL,
                           t) ||
          !pl_talks_notify(out))
        return false;
      if (act == PL_ACT_END) {
        out->end = PL_END_WALK_OUT;
        out->by = (int32_t)p;
        pl_talks_settle(out, NULL, t);
        return true;
      }
      if (act == PL_ACT_ACCEPT && !on_table) {
        snprintf(out->message, sizeof out->message,
                 "accepted before any offer was made");
      } else if (act == PL_ACT_OFFER &&
                 !legal_offer(s, offer, out->message, sizeof out->message)) {
      } else if (act != PL_ACT_OFFER && act != PL_ACT_ACCEPT &&
                 pl_self_failure(seats[p].me)) {
        snprintf(out->message, sizeof out->message, "%s's agent failed: %s",
                 s->actors[p].name, pl_self_failure(seats[p].me));
      } else if (act != PL_ACT_OFFER && act != PL_ACT_ACCEPT) {
        snprintf(out->message, sizeof out->message, "unknown action %d",
                 (int)act);
      } else {
        out->message[0] = 0;
      }
      if (out->message[0]) {
        out->end = PL_END_PROTOCOL_VIOLATION;
        out->by = (int32_t)p;
        pl_talks_settle(out, NULL, t);
        return true;
      }
      if (act == PL_ACT_OFFER) {
        memcpy(table, offer, s->nissues * sizeof *table);
        on_table = true;
        agreeing = 1;
      } else {
        agreeing++;
      }
      tell_others(seats, n, p, act, table);
      if (agreeing == n) {
        pl_talks_settle(out, table, t);
        return true;
      }
    }
  }
  out->end = PL_END_DEADLINE;
  pl_talks_settle(out, NULL, 1.0);
  return true;
}
