/* body.h - a ratifier as a body that votes: chambers of seat-weighted blocs.
 *
 * A parliament is not one actor (Putnam's two-level games): its members
 * vote, each with some probability, and a package is ratified when the vote
 * passes in every chamber. A bloc's interest is the body's utility plus the
 * bloc's shift: the bloc is in favour of package o when
 * u_q(o) + shift >= theta_q - eps. Each member of a bloc in favour votes
 * yes with probability (1 - abstain) * loyalty, no with (1 - abstain) *
 * (1 - loyalty), and abstains with probability abstain; a member of a bloc
 * against swaps yes and no. Members vote independently (the assumption of
 * the model), so the pass probability is exact: a Poisson-binomial
 * dynamic programme over seats (pl_chamber_pass). docs/scenario-format.md,
 * section 7.1, defines the format and the rules.
 */
#ifndef PL_MODEL_BODY_H
#define PL_MODEL_BODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* At most this many seats in a chamber (the programme is quadratic). */
#define PL_MAX_SEATS 5000

typedef struct pl_bloc {
  const char *name;
  uint32_t seats;
  double loyalty; /* in [0.5, 1]: P(vote with the bloc's interest) */
  double abstain; /* in [0, 1): P(abstain) */
  double shift;   /* added to the body's utility */
} pl_bloc;

/* A vote passes when yes * den > num * base (strict) or >= (not strict),
 * with base = seats (of all seats) or yes + no (of votes cast; a vote in
 * which nobody votes fails). */
typedef struct pl_chamber {
  const char *name;
  uint32_t seats;
  uint32_t num, den;
  bool strict;
  bool of_seats;
  pl_bloc *blocs;
  uint32_t nblocs;
} pl_chamber;

typedef struct pl_body {
  pl_chamber *chambers;
  uint32_t nchambers;
  double pass_probability; /* the deterministic analysis approves above it */
  double threshold;        /* theta_q as written */
  /* The distinct bloc shifts over all chambers, descending, and prob[j]:
   * the pass probability when exactly the blocs with the j largest shifts
   * are in favour (prob has nlevels + 1 entries, non-decreasing). */
  uint32_t nlevels;
  double *shifts, *prob;
  /* The effective threshold minus theta_q: the deterministic analysis
   * treats the body as a ratifier with threshold theta_q + offset. */
  double offset;
  bool always; /* passes whatever the package (threshold -1) */
} pl_body;

/* P(the chamber passes) when favour[b] says whether bloc b is in favour.
 * `work` holds at least 2 * (den * seats + 1) doubles. */
double pl_chamber_pass(const pl_chamber *c, const bool *favour, double *work);
/* Doubles of work pl_chamber_pass needs for the largest chamber of b. */
uint32_t pl_body_work_size(const pl_body *b);

/* Fills shifts, prob and offset (arrays malloc'ed into the body by the
 * caller's allocator `alloc`); false when out of memory or when the body
 * passes nothing (prob[nlevels] < pass_probability). */
typedef void *(*pl_alloc_fn)(void *ctx, size_t n, size_t size);
bool pl_body_prepare(pl_body *b, pl_alloc_fn alloc, void *ctx);

/* P(the body ratifies) for utility u of the body and written threshold
 * theta (both chambers must pass; chambers vote independently). */
double pl_body_probability(const pl_body *b, double u, double theta);

#endif
