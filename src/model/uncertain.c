/* uncertain.c - drawing uncertain parameters (uncertain.h). */
#include "model/uncertain.h"

#include <math.h>

double pl_normal_draw(pl_rng *r) {
  /* Box-Muller; one of the pair is used, so a draw always takes two
   * uniforms and the stream stays aligned. */
  double u = 1.0 - pl_rng_uniform(r); /* in (0, 1] */
  double v = pl_rng_uniform(r);
  return sqrt(-2.0 * log(u)) * cos(6.283185307179586476925 * v);
}

double pl_normal_mass(double mean, double sd, double lo, double hi) {
  return 0.5 * (erfc((lo - mean) / (sd * 1.4142135623730950488)) -
                erfc((hi - mean) / (sd * 1.4142135623730950488)));
}

double pl_gamma_draw(double shape, pl_rng *r) {
  if (shape < 1.0) {
    /* Gamma(shape) = Gamma(shape + 1) * U^(1/shape). */
    double u = 1.0 - pl_rng_uniform(r);
    return pl_gamma_draw(shape + 1.0, r) * pow(u, 1.0 / shape);
  }
  double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
  for (;;) {
    double x = pl_normal_draw(r), v = 1.0 + c * x;
    if (v <= 0)
      continue;
    v = v * v * v;
    double u = 1.0 - pl_rng_uniform(r);
    if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
      return d * v;
  }
}

static double triangular(const pl_dist *d, double u) {
  double lo = d->lo, hi = d->hi, m = d->a;
  if (hi <= lo)
    return lo;
  double f = (m - lo) / (hi - lo);
  return u < f ? lo + sqrt(u * (hi - lo) * (m - lo))
               : hi - sqrt((1.0 - u) * (hi - lo) * (hi - m));
}

double pl_dist_draw(const pl_dist *d, pl_rng *r) {
  switch (d->kind) {
  case PL_DIST_FIXED:
    return d->base;
  case PL_DIST_UNIFORM:
    return d->lo + (d->hi - d->lo) * pl_rng_uniform(r);
  case PL_DIST_TRIANGULAR:
    return triangular(d, pl_rng_uniform(r));
  case PL_DIST_NORMAL:
    /* Rejection: the loader refuses ranges holding under 1% of the mass,
     * so this takes at most about 100 tries on average. */
    for (;;) {
      double x = d->a + d->b * pl_normal_draw(r);
      if (x >= d->lo && x <= d->hi)
        return x;
    }
  case PL_DIST_BETA: {
    double x = pl_gamma_draw(d->a, r), y = pl_gamma_draw(d->b, r);
    return x + y > 0 ? x / (x + y) : 0.5;
  }
  }
  return d->base;
}
