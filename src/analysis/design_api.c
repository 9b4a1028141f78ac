/* design_api.c - the public accessors of include/parley_design.h for who
 * blocks and proposal repair. */
#include "analysis/design.h"
#include "parley_design.h"

#include <string.h>

size_t pl_blocking_count(const pl_analysis *a) { return a->nblocks; }

uint32_t pl_blocking_issues(const pl_analysis *a, size_t set,
                            uint32_t issues[2]) {
  if (set >= a->nblocks)
    return 0;
  const pl_block *b = &a->blocks[set];
  memcpy(issues, b->issues, b->nissues * sizeof *issues);
  return b->nissues;
}

size_t pl_blocking_who_count(const pl_analysis *a, size_t set) {
  const pl_design *d = a->design;
  return d && set < d->nwho ? d->who[set].n : 0;
}

bool pl_blocking_who(const pl_analysis *a, size_t set, size_t j,
                     uint32_t *values, uint32_t *outcome, double *shortfall) {
  const pl_design *d = a->design;
  if (!d || set >= d->nwho || j >= d->who[set].n)
    return false;
  const pl_who_entry *e = &d->who[set].e[j];
  if (values)
    memcpy(values, e->values, a->blocks[set].nissues * sizeof *values);
  if (!e->found)
    return false;
  const pl_scenario *s = a->s;
  uint32_t v[PL_MAX_ISSUES];
  pl_index_to_values(s, e->index, v);
  if (outcome)
    memcpy(outcome, v, s->nissues * sizeof *outcome);
  for (uint32_t x = 0; shortfall && x < pl_num_actors(s); x++) {
    double gap = s->actors[x].threshold - pl_actor_utility(s, x, v);
    shortfall[x] = gap > 0 ? gap : 0;
  }
  return true;
}

bool pl_value_out_of_reach(const pl_analysis *a, uint32_t actor, uint32_t issue,
                           uint32_t value) {
  const pl_design *d = a->design;
  const pl_scenario *s = a->s;
  if (!d || !d->reach_known || actor >= pl_num_actors(s) ||
      issue >= s->nissues || value >= s->issues[issue].nvalues)
    return false;
  return d->out_of_reach[(size_t)actor * s->total_values + s->offset[issue] +
                         value];
}

size_t pl_repair_count(const pl_analysis *a) {
  return a->design && a->design->repair ? a->s->nproposals + a->design->nextra
                                        : 0;
}

bool pl_repair(const pl_analysis *a, size_t k, uint32_t *outcome,
               uint32_t *changes, double *at_delta) {
  if (k >= pl_repair_count(a))
    return false;
  const pl_repair_result *r = &a->design->repair[k];
  if (!r->found)
    return false;
  if (outcome)
    pl_index_to_values(a->s, r->index, outcome);
  if (changes)
    *changes = r->nchanges;
  if (at_delta)
    *at_delta = r->at_delta;
  return true;
}
