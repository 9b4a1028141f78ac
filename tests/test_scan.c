/* test_scan.c - the enumeration's block kernel against its general kernel
 * (src/analysis/scan.c) on GENIUS-style capped utilities: u = min(1, sum).
 *
 * The general kernel applies pl_actor_finish to every outcome's sum; the
 * block kernel caps each block's P + col[v] and its bounds. Both must give
 * every number to the bit: counts, ideal and best feasible utilities, the
 * best margin and its outcome, both Pareto archives (ties kept, indices
 * and utilities), the open values and the opposition. The utilities are
 * chosen so that the cap binds (sums above 1), sums land on exactly 1 and
 * many outcomes tie at 1, and so that it never binds (largest sum <= 1);
 * some have values that other values of their issue beat, which the block
 * kernel keeps out of the archives. */
#define _POSIX_C_SOURCE 200809L
#include "analysis/scan.h"
#include "support.h"
#include "util/rng.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_ACTORS = 8 };

/* Which rules a case gets. */
enum {
  RULES_NONE = 0,
  RULES_EARLY = 1,  /* a constraint and a red line on the first issues */
  RULES_LAST = 2,   /* a red line on the last issue: no block kernel */
  RULES_BEFORE = 3, /* a red line on the issue before last: blocks, but no
                       whole super-blocks */
  RULES_KINDS = 4
};

/* How a case's terms are drawn. */
enum {
  TERMS_DYADIC = 0,  /* multiples of 1/16: exact sums, many exactly 1 */
  TERMS_DECIMAL = 1, /* weight 1/n times tenths, as GENIUS files read */
  TERMS_UNIFORM = 2, /* random doubles, largest sum 0.7 to 1.4 */
  TERMS_BELOW = 3,   /* random doubles, largest sum <= 0.95: never capped */
  TERMS_KINDS = 4
};

typedef struct scan_case {
  pl_scenario *s;
  uint32_t radix[PL_MAX_ISSUES];
  double *term[MAX_ACTORS];
  double opp_max[MAX_ACTORS];
  unsigned what;
  int rules;
} scan_case;

/* Categorical issues (the last with up to 40 values, so that the block
 * kernel's compares and its binary search both run), 2 to 4 parties, 0 to
 * 2 ratifiers; the tables are placeholders, the terms come with the case. */
static char *case_json(pl_rng *r, uint32_t ni, const uint32_t *nv, uint32_t np,
                       uint32_t nr, int rules) {
  size_t cap = 1 << 14, n = 0;
  char *buf = malloc(cap);
  cr_assert_not_null(buf);
#define OUT(...) n += (size_t)snprintf(buf + n, cap - n, __VA_ARGS__)
  n += put_categorical_issues(buf + n, cap - n, ni, nv);
  if (rules == RULES_EARLY && ni > 2)
    OUT(", \"constraints\": [\"i0 != 'v0' or i1 != 'v1'\"]");
  for (uint32_t kind = 0; kind < 2; kind++) {
    uint32_t count = kind ? nr : np;
    if (!count)
      continue;
    OUT(", \"%s\": [", kind ? "ratifiers" : "parties");
    for (uint32_t p = 0; p < count; p++) {
      OUT("%s{\"name\": \"%c%u\", \"%s\": 0, \"weights\": {", p ? "," : "",
          kind ? 'Q' : 'P', p, kind ? "threshold" : "reservation");
      for (uint32_t i = 0; i < ni; i++)
        OUT("%s\"i%u\": %d", i ? "," : "", i, i == 0);
      OUT("}, \"values\": {");
      for (uint32_t i = 0; i < ni; i++) {
        OUT("%s\"i%u\": {", i ? "," : "", i);
        for (uint32_t v = 0; v < nv[i]; v++)
          OUT("%s\"v%u\": 0.5", v ? "," : "", v);
        OUT("}");
      }
      OUT("}");
      uint32_t at = rules == RULES_LAST     ? ni - 1
                    : rules == RULES_BEFORE ? ni - 2
                                            : 0;
      if (!kind && p == 0 && rules != RULES_NONE && ni >= 2)
        OUT(", \"red_lines\": [\"i%u != 'v%u'\"]", at,
            (uint32_t)pl_rng_below(r, 2));
      OUT("}");
    }
    OUT("]");
  }
  OUT("}");
#undef OUT
  cr_assert_lt(n, cap);
  return buf;
}

/* Actor a's terms, drawn as `kind` says (see TERMS_*). When `lead`, the
 * first issue's value 0 is the actor's best and each other value is as
 * good or far worse: the first super-blocks then dominate the later ones,
 * which the block kernel settles whole (super_whole) even where the cap
 * binds in them. */
static void draw_terms(pl_rng *r, const pl_scenario *s, int kind, bool lead,
                       double *t) {
  uint32_t n = s->nissues;
  double scale = kind == TERMS_UNIFORM ? 0.7 + 0.7 * pl_rng_uniform(r)
                                       : 0.5 + 0.45 * pl_rng_uniform(r);
  uint32_t left = 16 + (uint32_t)pl_rng_below(r, 9); /* sixteenths, 1-1.5 */
  for (uint32_t i = 0; i < n; i++) {
    double *row = t + s->offset[i];
    uint32_t V = s->issues[i].nvalues;
    if (kind == TERMS_DYADIC) {
      /* The issue's best: an equal share of what is left, the rest
       * below it; one value holds it, others may tie with it. */
      uint32_t best = i + 1 == n ? left : left / (n - i);
      left -= best;
      for (uint32_t v = 0; v < V; v++)
        row[v] = (double)pl_rng_below(r, best + 1) / 16;
      row[pl_rng_below(r, V)] = (double)best / 16;
    } else if (kind == TERMS_DECIMAL) {
      for (uint32_t v = 0; v < V; v++)
        row[v] = (1.0 / n) * ((double)pl_rng_below(r, 11) / 10.0);
      row[pl_rng_below(r, V)] = (1.0 / n) * 1.0;
    } else {
      for (uint32_t v = 0; v < V; v++)
        row[v] = scale / n * pl_rng_uniform(r);
      row[pl_rng_below(r, V)] = scale / n;
    }
    if (lead && i == 0) {
      double best = row[0];
      for (uint32_t v = 0; v < V; v++)
        best = fmax(best, row[v]);
      bool same = pl_rng_below(r, 2); /* this actor does not mind */
      for (uint32_t v = 0; v < V; v++)
        row[v] = v == 0 || same ? best : best / 4;
    }
  }
}

/* The largest sum, in issue order over the values the scan visits. */
static double largest_sum(const scan_case *k, uint32_t a) {
  double sum = 0;
  for (uint32_t i = 0; i < k->s->nissues; i++) {
    double m = -INFINITY;
    for (uint32_t v = 0; v < k->radix[i]; v++)
      m = fmax(m, k->term[a][k->s->offset[i] + v]);
    sum += m;
  }
  return sum;
}

/* A threshold that the cap makes interesting: at 1, just inside the
 * tolerance around 1, above what a capped actor can reach, or ordinary. */
static double draw_threshold(pl_rng *r) {
  switch (pl_rng_below(r, 16)) {
  case 0:
    return 1.0;
  case 1:
    return 1.0 + 5e-10; /* 1 meets it: u >= t - 1e-9 */
  case 2:
    return 1.5; /* no capped outcome meets it */
  case 3:
  case 4:
    return 0.5 + 0.5 * pl_rng_uniform(r);
  default:
    return 0;
  }
}

static scan_case make_case(uint64_t seed) {
  pl_rng r;
  pl_rng_seed(&r, seed);
  scan_case k;
  memset(&k, 0, sizeof k);
  /* One case in four large enough (up to 3.1e4 outcomes) for several
   * chunks, so that chunks start and end inside blocks and super-blocks. */
  bool large = pl_rng_below(&r, 4) == 0;
  uint32_t ni = large ? 4 + (uint32_t)pl_rng_below(&r, 2)
                      : 1 + (uint32_t)pl_rng_below(&r, 4);
  uint32_t np = 2 + (uint32_t)pl_rng_below(&r, 3);
  uint32_t nr = (uint32_t)pl_rng_below(&r, 3);
  static const uint32_t last_values[] = {2, 3, 5, 8, 13, 16, 20, 40};
  uint32_t nv[PL_MAX_ISSUES];
  for (uint32_t i = 0; i + 1 < ni; i++)
    nv[i] = (large ? 3 : 2) + (uint32_t)pl_rng_below(&r, 5);
  nv[ni - 1] = last_values[pl_rng_below(&r, large && ni == 5 ? 5 : 8)];
  k.rules = (int)pl_rng_below(&r, RULES_KINDS);
  if (ni < 2 || (k.rules == RULES_EARLY && ni < 3))
    k.rules = RULES_NONE;
  char *json = case_json(&r, ni, nv, np, nr, k.rules);
  k.s = load_ok(json);
  free(json);
  pl_scenario *s = k.s;
  /* GENIUS's cap, on most actors (scenario.c: pl_actor_finish). */
  s->nonadditive = true;
  int kind = (int)pl_rng_below(&r, TERMS_KINDS);
  bool lead = ni >= 3 && pl_rng_below(&r, 3) == 0;
  for (uint32_t a = 0; a < pl_num_actors(s); a++) {
    s->actors[a].capped = pl_rng_below(&r, 4) != 0;
    s->actors[a].threshold = draw_threshold(&r);
    k.term[a] = calloc(s->total_values, sizeof *k.term[a]);
    cr_assert_not_null(k.term[a]);
    /* Mostly one kind per case (as one GENIUS domain), sometimes mixed. */
    draw_terms(&r, s, pl_rng_below(&r, 4) ? kind : (int)pl_rng_below(&r, 4),
               lead, k.term[a]);
  }
  for (uint32_t i = 0; i < ni; i++) /* sometimes an issue parked */
    k.radix[i] = i + 1 < ni && pl_rng_below(&r, 6) == 0 ? 1 : nv[i];
  for (uint32_t p = 0; p < np; p++) { /* as analyze.c's extreme_utility */
    double u = largest_sum(&k, p);
    k.opp_max[p] = s->actors[p].capped && u > 1.0 ? 1.0 : u;
  }
  k.what = SCAN_FRONTIER | SCAN_OPEN;
  k.what |= pl_rng_below(&r, 4) ? SCAN_FRONTIER_ALL : 0;
  k.what |= pl_rng_below(&r, 4) ? SCAN_OPPOSITION : 0;
  return k;
}

static void free_case(scan_case *k) {
  for (uint32_t a = 0; a < MAX_ACTORS; a++)
    free(k->term[a]);
  pl_scenario_free(k->s);
}

static void run_scan(const scan_case *k, unsigned threads, bool general,
                     scan_result *out) {
  scan_spec spec = {.s = k->s,
                    .radix = k->radix,
                    .term = (const double *const *)k->term,
                    .what = k->what,
                    .opp_max = k->what & SCAN_OPPOSITION ? k->opp_max : NULL,
                    .threads = threads,
                    .general_kernel = general};
  cr_assert(pl_scan(&spec, out), "scan failed");
}

static void expect_same_archive(const pl_archive *x, const pl_archive *y,
                                uint64_t seed, const char *which) {
  cr_assert_eq(x->n, y->n, "seed %llu: %s archive %zu points, general %zu",
               (unsigned long long)seed, which, x->n, y->n);
  for (size_t j = 0; j < x->n; j++)
    cr_expect_eq(x->index[j], y->index[j], "seed %llu: %s point %zu",
                 (unsigned long long)seed, which, j);
  cr_expect(x->n == 0 || !memcmp(x->u, y->u, x->n * x->k * sizeof *x->u),
            "seed %llu: %s utilities", (unsigned long long)seed, which);
}

/* Every field, bit for bit (memcmp on doubles: -0 and 0 differ too). */
static void expect_same(const scan_case *k, const scan_result *x,
                        const scan_result *y, uint64_t seed) {
  const pl_scenario *s = k->s;
  unsigned long long sd = (unsigned long long)seed;
  cr_expect_eq(x->feasible, y->feasible, "seed %llu: feasible", sd);
  cr_expect_eq(x->zone, y->zone, "seed %llu: zone %llu, general %llu", sd,
               (unsigned long long)x->zone, (unsigned long long)y->zone);
  cr_expect_eq(
      memcmp(x->acceptable, y->acceptable, s->nparties * sizeof *x->acceptable),
      0, "seed %llu: acceptable", sd);
  cr_expect_eq(
      memcmp(x->approved, y->approved, s->nratifiers * sizeof *x->approved), 0,
      "seed %llu: approved", sd);
  cr_expect_eq(memcmp(x->best_feasible, y->best_feasible,
                      s->nparties * sizeof *x->best_feasible),
               0, "seed %llu: best feasible", sd);
  cr_expect_eq(memcmp(x->ideal, y->ideal, s->nparties * sizeof *x->ideal), 0,
               "seed %llu: ideal", sd);
  cr_expect_eq(x->any_feasible, y->any_feasible, "seed %llu", sd);
  cr_expect_eq(x->any_ruled, y->any_ruled, "seed %llu", sd);
  cr_expect_eq(memcmp(&x->best_margin, &y->best_margin, sizeof(double)), 0,
               "seed %llu: best margin %.17g, general %.17g", sd,
               x->best_margin, y->best_margin);
  cr_expect_eq(x->best_margin_index, y->best_margin_index,
               "seed %llu: best margin's outcome", sd);
  if (k->what & SCAN_OPPOSITION) {
    cr_expect_eq(memcmp(&x->opposition, &y->opposition, sizeof(double)), 0,
                 "seed %llu: opposition %.17g, general %.17g", sd,
                 x->opposition, y->opposition);
    cr_expect_eq(x->opposition_index, y->opposition_index,
                 "seed %llu: opposition's outcome", sd);
  }
  cr_expect_eq(memcmp(x->open, y->open, s->total_values), 0,
               "seed %llu: open values", sd);
  expect_same_archive(&x->zone_front, &y->zone_front, seed, "zone");
  expect_same_archive(&x->all_front, &y->all_front, seed, "feasible");
}

/* What the cases covered, to be sure the cap's edges were there. */
typedef struct coverage {
  int cases, blocks, binds, never, exactly_one, ties_at_one, front_at_one,
      zone_all, zone_some, zone_none, beaten;
} coverage;

/* Whether some issue before the last, in no rule, has a value that another
 * beats for every actor (>=, and > by far for a party): the block kernel
 * then keeps its outcomes out of the archives. */
static bool has_beaten_value(const scan_case *k) {
  const pl_scenario *s = k->s;
  for (uint32_t i = 0; i + 1 < s->nissues; i++) {
    bool only[PL_MAX_ISSUES] = {false};
    only[i] = true;
    if (pl_rules_mention(s, only))
      continue;
    for (uint32_t v = 0; v < k->radix[i]; v++)
      for (uint32_t w = 0; w < k->radix[i]; w++) {
        bool ge = w != v, gt = false;
        for (uint32_t a = 0; a < pl_num_actors(s) && ge; a++) {
          double tw = k->term[a][s->offset[i] + w];
          double tv = k->term[a][s->offset[i] + v];
          ge = tw >= tv;
          gt |= a < s->nparties && tw > tv + 1e-6;
        }
        if (ge && gt)
          return true;
      }
  }
  return false;
}

/* Counts, over the visited outcomes, the sums of capped actors above 1 and
 * exactly 1, as the scan sums them (issue order). */
static void cover(const scan_case *k, const scan_result *x, coverage *c) {
  const pl_scenario *s = k->s;
  uint32_t n = s->nissues, na = pl_num_actors(s);
  uint64_t total = 1;
  for (uint32_t i = 0; i < n; i++)
    total *= k->radix[i];
  bool binds = false, never = false;
  uint64_t ones = 0;
  for (uint32_t a = 0; a < na; a++)
    if (s->actors[a].capped) {
      bool over = largest_sum(k, a) > 1.0;
      binds |= over;
      never |= !over;
    }
  uint32_t v[PL_MAX_ISSUES];
  for (uint64_t idx = 0; idx < total; idx++) {
    uint64_t q = idx;
    for (uint32_t i = n; i-- > 0;) {
      v[i] = (uint32_t)(q % k->radix[i]);
      q /= k->radix[i];
    }
    for (uint32_t a = 0; a < na; a++) {
      double sum = 0;
      for (uint32_t i = 0; i < n; i++)
        sum += k->term[a][s->offset[i] + v[i]];
      ones += s->actors[a].capped && sum == 1.0;
    }
  }
  for (size_t j = 0; j < x->zone_front.n; j++)
    for (uint32_t p = 0; p < s->nparties; p++)
      c->front_at_one +=
          x->zone_front.u[j * s->nparties + p] == 1.0 && s->actors[p].capped;
  c->cases++;
  c->blocks += x->by_blocks;
  c->binds += binds;
  c->never += never;
  c->exactly_one += ones > 0;
  c->ties_at_one += ones > 1;
  c->zone_all += x->zone == total;
  c->zone_some += x->zone > 0 && x->zone < total;
  c->zone_none += x->zone == 0;
  c->beaten += x->by_blocks && has_beaten_value(k);
}

/* 600 seeded cases (1 to 5 issues, 2-4 parties, 0-2 ratifiers, up to
 * 3.1e4 outcomes), each with 1 and 2 threads: the block kernel (where it
 * applies) against the general kernel. */
Test(kernels, capped_block_kernel_equals_general_kernel) {
  coverage c = {0};
  for (uint64_t seed = 1; seed <= 600; seed++) {
    scan_case k = make_case(seed);
    for (unsigned threads = 1; threads <= 2; threads++) {
      scan_result fast, slow;
      run_scan(&k, threads, false, &fast);
      run_scan(&k, threads, true, &slow);
      cr_assert_not(slow.by_blocks, "the switch forces the general kernel");
      cr_assert_eq(fast.by_blocks, k.rules != RULES_LAST,
                   "seed %llu: block kernel %d with rules %d",
                   (unsigned long long)seed, fast.by_blocks, k.rules);
      expect_same(&k, &fast, &slow, seed);
      if (threads == 1)
        cover(&k, &fast, &c);
      pl_scan_result_free(&fast);
      pl_scan_result_free(&slow);
    }
    free_case(&k);
  }
  cr_log_info("%d cases: %d block kernel, cap binds %d, never binds %d, "
              "sums exactly 1 in %d (ties in %d), %d frontier utilities at 1; "
              "zone all %d, some %d, none %d; a beaten value before the "
              "last issue %d",
              c.cases, c.blocks, c.binds, c.never, c.exactly_one, c.ties_at_one,
              c.front_at_one, c.zone_all, c.zone_some, c.zone_none, c.beaten);
  cr_expect_gt(c.blocks, 350, "too few cases for the block kernel");
  cr_expect_gt(c.binds, 200, "too few cases where the cap binds");
  cr_expect_gt(c.never, 100, "too few cases where the cap never binds");
  cr_expect_gt(c.ties_at_one, 100, "too few cases with ties at exactly 1");
  cr_expect_gt(c.front_at_one, 100, "too few frontier utilities at 1");
  cr_expect_gt(c.zone_all, 50);
  cr_expect_gt(c.zone_some, 50);
  cr_expect_gt(c.zone_none, 20);
  cr_expect_gt(c.beaten, 100, "too few cases with beaten values");
}
