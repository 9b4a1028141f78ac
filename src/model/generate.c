/* generate.c - seeded random scenarios for benchmarks and tests.
 *
 * Every number comes from one xoshiro256** generator seeded with the seed and
 * drawn in a fixed order (per party: the weights, then each issue's value
 * table, then the reservation value), and every number is rounded to a few
 * decimals, so the same options give the same scenario on any machine and
 * the scenario survives being written out and read back bit for bit.
 */
#include "model/scenario.h"
#include "util/diag.h"
#include "util/rng.h"

#include <math.h>
#include <stdio.h>

/* Limits of the options (parley.h); values are capped far below
 * PL_MAX_VALUES because a generated issue is a categorical table. */
enum { GEN_MAX_VALUES = 1000 };

/* Weights are rounded to millionths: exact integers keep the sum exact. */
#define WEIGHT_UNITS 1000000.0

static bool check_range(pl_diag *d, const char *what, uint32_t got, uint32_t lo,
                        uint32_t hi) {
  if (got >= lo && got <= hi)
    return true;
  pl_diag_add(d, NULL, 0, 0,
              "cannot generate a scenario with %u %s; choose %u to %u", got,
              what, lo, hi);
  return false;
}

/* Reports every option out of range, not only the first. */
static bool check_options(const pl_generate_options *o, pl_diag *d) {
  if (!o) {
    pl_diag_add(d, NULL, 0, 0, "no options given for the generator");
    return false;
  }
  bool ok = check_range(d, "parties", o->parties, 2, PL_MAX_PARTIES);
  ok &= check_range(d, "issues", o->issues, 1, PL_MAX_ISSUES);
  ok &= check_range(d, "values per issue", o->values, 2, GEN_MAX_VALUES);
  return ok;
}

/* "<prefix><n>" copied into the arena. */
static const char *numbered(pl_arena *a, const char *prefix, uint32_t n) {
  char buf[32];
  snprintf(buf, sizeof buf, "%s%u", prefix, n);
  return pl_arena_strdup(a, buf);
}

static bool make_issues(pl_scenario *s, uint32_t n, uint32_t k) {
  s->issues = pl_arena_calloc(&s->arena, n, sizeof *s->issues);
  if (!s->issues)
    return false;
  s->nissues = n;
  for (uint32_t i = 0; i < n; i++) {
    pl_issue *is = &s->issues[i];
    is->name = numbered(&s->arena, "i", i + 1);
    is->kind = PL_ISSUE_CATEGORICAL;
    is->nvalues = k;
    is->labels = pl_arena_calloc(&s->arena, k, sizeof *is->labels);
    if (!is->name || !is->labels)
      return false;
    for (uint32_t v = 0; v < k; v++)
      if (!(is->labels[v] = numbered(&s->arena, "v", v + 1)))
        return false;
  }
  return true;
}

/* Uniform weights normalised to 1 and rounded to millionths. The rounding
 * is done on integers, the error going to the largest weight, so the
 * weights add up to exactly one million units and their sum as doubles is
 * 1 within a few ulps; each weight is the double nearest its decimal. */
static void draw_weights(pl_rng *r, double *w, uint32_t n) {
  double sum = 0;
  for (uint32_t i = 0; i < n; i++)
    sum += w[i] = pl_rng_uniform(r);
  long long units[PL_MAX_ISSUES] = {0}, total = 0;
  uint32_t largest = 0;
  for (uint32_t i = 0; i < n; i++) {
    /* sum is 0 only if every draw was exactly 0: then weigh equally. */
    double share = sum > 0 ? w[i] / sum : 1.0 / n;
    units[i] = llround(share * WEIGHT_UNITS);
    total += units[i];
    if (w[i] > w[largest])
      largest = i;
  }
  units[largest] += (long long)WEIGHT_UNITS - total;
  for (uint32_t i = 0; i < n; i++)
    w[i] = (double)units[i] / WEIGHT_UNITS;
}

/* A value table rescaled to span [0, 1] exactly (as GENIUS normalises) and
 * rounded to 4 decimals; round(x*1e4)/1e4 is the double that reading the
 * printed decimal gives, so a written scenario reads back identical. */
static void draw_values(pl_rng *r, double *v, uint32_t k) {
  double lo = 1, hi = 0;
  for (uint32_t j = 0; j < k; j++) {
    v[j] = pl_rng_uniform(r);
    lo = fmin(lo, v[j]);
    hi = fmax(hi, v[j]);
  }
  for (uint32_t j = 0; j < k; j++) {
    /* All draws equal is next to impossible; a ramp keeps the span. */
    double x = hi > lo ? (v[j] - lo) / (hi - lo) : (double)j / (k - 1);
    v[j] = round(x * 1e4) / 1e4;
  }
}

static bool make_party(pl_scenario *s, pl_rng *r, pl_actor *a, uint32_t p) {
  uint32_t n = s->nissues;
  a->name = numbered(&s->arena, "P", p + 1);
  a->kind = PL_PARTY;
  a->discount = 1;
  a->party = -1;
  a->weights = pl_arena_calloc(&s->arena, n, sizeof *a->weights);
  a->values = pl_arena_calloc(&s->arena, n, sizeof *a->values);
  a->shapes = pl_arena_calloc(&s->arena, n, sizeof *a->shapes);
  if (!a->name || !a->weights || !a->values || !a->shapes)
    return false;
  draw_weights(r, a->weights, n);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t k = s->issues[i].nvalues;
    a->values[i] = pl_arena_calloc(&s->arena, k, sizeof *a->values[i]);
    if (!a->values[i])
      return false;
    draw_values(r, a->values[i], k);
  }
  /* Two statements, so no compiler fuses them into an fma (which rounds
   * differently) on machines that have one: same seed, same numbers. */
  double reservation = 0.3 * pl_rng_uniform(r);
  reservation += 0.2;
  a->threshold = round(reservation * 100) / 100;
  return true;
}

static bool make_parties(pl_scenario *s, pl_rng *r, uint32_t m) {
  s->actors = pl_arena_calloc(&s->arena, m, sizeof *s->actors);
  if (!s->actors)
    return false;
  s->nparties = m;
  for (uint32_t p = 0; p < m; p++)
    if (!make_party(s, r, &s->actors[p], p))
      return false;
  return true;
}

static bool make_names(pl_scenario *s, const pl_generate_options *o) {
  char buf[160];
  snprintf(buf, sizeof buf, "generated-p%u-i%u-v%u-s%llu", o->parties,
           o->issues, o->values, (unsigned long long)o->seed);
  s->name = pl_arena_strdup(&s->arena, buf);
  snprintf(buf, sizeof buf,
           "Generated: %u parties, %u issues of %u options (seed %llu)",
           o->parties, o->issues, o->values, (unsigned long long)o->seed);
  s->title = pl_arena_strdup(&s->arena, buf);
  return s->name && s->title;
}

pl_scenario *pl_generate(const pl_generate_options *o, pl_diag *d) {
  if (!check_options(o, d))
    return NULL;
  pl_scenario *s = pl_scenario_new();
  pl_rng r;
  pl_rng_seed(&r, o->seed);
  bool ok = s && make_names(s, o) && make_issues(s, o->issues, o->values) &&
            make_parties(s, &r, o->parties) && pl_scenario_finish(s);
  if (!ok) {
    pl_scenario_free(s);
    pl_diag_add(d, NULL, 0, 0, "out of memory while generating a scenario");
    return NULL;
  }
  return s;
}
