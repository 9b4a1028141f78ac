/* analyze.c - `parley analyze`: one scan for counts, frontier, solutions and
 * the concession, one for opposition, then parking when the zone is empty.
 */
#define _POSIX_C_SOURCE 200809L
#include "analysis/analysis.h"
#include "analysis/bnb.h"
#include "analysis/design.h"
#include "analysis/margin.h"
#include "analysis/mitm.h"
#include "analysis/scan.h"
#include "analysis/sums.h"
#include "analysis/sweep.h"
#include "util/diag.h"
#include "util/parallel.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Native scenarios up to this size also get GENIUS's "KS". */
#define GENIUS_KS_MAX_OUTCOMES 1000000ULL
/* Up to this many outcomes GENIUS's KS comes from two passes over them
 * (pl_genius_ks_by_candidates) rather than from an archive of the
 * frontier of every feasible outcome kept during the scan. */
#define KS_APART_MAX_OUTCOMES 65536ULL

void pl_analysis_options_init(pl_analysis_options *o) {
  memset(o, 0, sizeof *o);
  o->max_outcomes = PL_DEFAULT_MAX_OUTCOMES;
}

void pl_analysis_free(pl_analysis *a) {
  if (!a)
    return;
  free(a->acceptable);
  free(a->approved);
  free(a->best_feasible);
  free(a->ideal);
  free(a->front_index);
  free(a->front_u);
  free(a->open);
  free(a->blocks);
  pl_design_free(a->design);
  free(a);
}

double pl_now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

/* Moves the scan's totals into the analysis (takes ownership). */
static void keep_totals(pl_analysis *a, scan_result *r) {
  a->feasible = r->feasible;
  a->zone = r->zone;
  a->acceptable = r->acceptable;
  a->approved = r->approved;
  a->best_feasible = r->best_feasible;
  a->ideal = r->ideal;
  a->open = r->open;
  r->acceptable = NULL;
  r->approved = NULL;
  r->best_feasible = NULL;
  r->ideal = NULL;
  r->open = NULL;
  if (a->zone > 0) {
    a->has_zone_slack = true;
    a->zone_slack = r->best_margin;
  } else {
    free(a->open);
    a->open = NULL;
    a->has_concession = r->any_ruled;
    a->delta = -r->best_margin;
    a->concession_index = r->best_margin_index;
  }
}

static void keep_frontier(pl_analysis *a, pl_archive *f) {
  a->nfront = f->n;
  a->front_index = f->index;
  a->front_u = f->u;
  f->index = NULL;
  f->u = NULL;
  f->n = f->cap = 0;
  uint32_t k = a->s->nparties;
  a->front_distinct = 0;
  for (size_t i = 0; i < a->nfront; i++)
    if (i == 0 || memcmp(a->front_u + i * k, a->front_u + (i - 1) * k,
                         k * sizeof(double)) != 0)
      a->front_distinct++;
}

/* Without constraints or boxes every outcome is feasible, and a party's
 * best utility is the sum, in issue order, of its best term on each issue
 * (capped if it is): exactly what the scan would find, since adding a
 * larger term never gives a smaller sum. Knowing it up front lets one scan
 * also find the opposition. */
/* Actor a's largest (or smallest) term on each issue, summed in issue
 * order as the scan sums, capped if the actor is: no outcome's utility is
 * larger (smaller), rounding being monotone, and one outcome attains it. */
static double extreme_utility(const pl_scenario *s, uint32_t a, bool largest) {
  double u = pl_actor_extreme_sum(s, a, largest);
  return s->actors[a].capped && u > 1.0 ? 1.0 : u;
}

static bool best_without_scanning(const pl_scenario *s, double *best) {
  if (s->nconstraints > 0 || s->has_boxes)
    return false;
  for (uint32_t p = 0; p < s->nparties; p++)
    best[p] = extreme_utility(s, p, true);
  return true;
}

/* The frontier of every feasible outcome is shown with --frontier all
 * and gives GENIUS's "KS"; it costs a second archive, so it is skipped
 * for large native scenarios (docs/analysis.md). */
static bool wants_genius_ks(const pl_analysis *a) {
  return a->frontier_all || a->s->reading != PL_READING_PARLEY ||
         a->outcomes <= GENIUS_KS_MAX_OUTCOMES;
}

static bool zone_is_everything(const pl_scenario *s, char *why, size_t n);

/* The caller's progress report, if any (pl_analysis_options.progress). */
static void stage(const pl_analysis *a, const char *name, uint64_t done,
                  uint64_t total) {
  if (a->opt.progress)
    a->opt.progress(a->opt.progress_ctx, name, done, total);
}

static bool main_scan(pl_analysis *a, const uint32_t *radix,
                      bool *opposition_done) {
  double best[PL_MAX_PARTIES];
  scan_spec spec = {.s = a->s,
                    .radix = radix,
                    .term = (const double *const *)a->s->term,
                    .what = SCAN_FRONTIER | SCAN_OPEN,
                    .threads = a->threads,
                    .progress = a->opt.progress,
                    .progress_ctx = a->opt.progress_ctx,
                    .stage = "enumerating the packages"};
  stage(a, spec.stage, 0, a->outcomes);
  *opposition_done = best_without_scanning(a->s, best);
  if (*opposition_done) {
    spec.what |= SCAN_OPPOSITION;
    spec.opp_max = best;
  }
  /* With every outcome in the zone the two frontiers are one: one
   * archive serves both. */
  char why[160];
  bool one = zone_is_everything(a->s, why, sizeof why);
  /* A small space finds GENIUS's KS from a few candidates, without the
   * frontier of every feasible outcome (pl_genius_ks_by_candidates). */
  bool ks_apart = wants_genius_ks(a) && !one && !a->frontier_all &&
                  a->outcomes <= KS_APART_MAX_OUTCOMES;
  if (wants_genius_ks(a) && !one && !ks_apart)
    spec.what |= SCAN_FRONTIER_ALL;
  scan_result r;
  if (!pl_scan(&spec, &r)) {
    pl_scan_result_free(&r);
    return false;
  }
  if (ks_apart && !pl_genius_ks_by_candidates(a)) {
    scan_result all; /* not settled by the candidates: the archive */
    scan_spec again = spec;
    again.what = SCAN_FRONTIER_ALL;
    if (!pl_scan(&again, &all)) {
      pl_scan_result_free(&all);
      pl_scan_result_free(&r);
      return false;
    }
    pl_choose_genius_ks(a, all.all_front.index, all.all_front.u,
                        all.all_front.n);
    pl_scan_result_free(&all);
  }
  keep_totals(a, &r);
  if (*opposition_done && r.any_feasible) {
    a->has_opposition = true;
    a->opposition = sqrt(r.opposition);
    a->opposition_index = r.opposition_index;
  }
  pl_choose_solutions(a, r.zone_front.index, r.zone_front.u, r.zone_front.n);
  pl_archive *all = one ? &r.zone_front : &r.all_front;
  if (wants_genius_ks(a) && !ks_apart)
    pl_choose_genius_ks(a, all->index, all->u, all->n);
  keep_frontier(a, a->frontier_all ? all : &r.zone_front);
  pl_scan_result_free(&r);
  return true;
}

/* Opposition needs each party's best feasible utility first: a second scan. */
static bool opposition_scan(pl_analysis *a, const uint32_t *radix) {
  if (a->feasible == 0)
    return true;
  scan_spec spec = {.s = a->s,
                    .radix = radix,
                    .term = (const double *const *)a->s->term,
                    .what = SCAN_OPPOSITION,
                    .opp_max = a->best_feasible,
                    .threads = a->threads,
                    .progress = a->opt.progress,
                    .progress_ctx = a->opt.progress_ctx,
                    .stage = "opposition"};
  stage(a, spec.stage, 0, a->outcomes);
  scan_result r;
  bool ok = pl_scan(&spec, &r);
  if (ok && r.any_feasible) {
    a->has_opposition = true;
    a->opposition = sqrt(r.opposition);
    a->opposition_index = r.opposition_index;
  }
  pl_scan_result_free(&r);
  return ok;
}

/* Search nodes the branch and bound may visit for the solutions, and for
 * each frontier (which may be too large to find: it is then left out). */
#define BNB_MAX_NODES 50000000ULL
#define BNB_FRONTIER_NODES 4000000ULL
#define BNB_SMALL_FRONTIER 300000ULL
#define BNB_PARK_NODES 5000000ULL
/* The most starts the frontier sweep keeps after any issue. */
#define SWEEP_MAX_POINTS 10000000ULL

/* Frontier points in the order the enumeration lists them. */
static bool keep_points(pl_analysis *a, const pl_bnb_result *r) {
  pl_archive f;
  pl_archive_init(&f, a->s->nparties);
  for (size_t k = 0; k < r->n; k++)
    pl_archive_add(&f, r->index[k], r->u + k * a->s->nparties);
  pl_archive_finish(&f);
  bool ok = !f.failed;
  if (ok)
    keep_frontier(a, &f);
  pl_archive_free(&f);
  return ok;
}

/* Frontier points: their outcome indices and utilities (n * parties). */
typedef struct points {
  const uint64_t *index;
  const double *u;
  size_t n;
} points;

/* Per party, the largest utility among the points. */
static double *best_of(points r, uint32_t np) {
  double *best = malloc(np * sizeof *best);
  for (uint32_t p = 0; best && p < np; p++) {
    best[p] = -DBL_MAX;
    for (size_t k = 0; k < r.n; k++)
      best[p] = fmax(best[p], r.u[k * np + p]);
  }
  return best;
}

/* Opposition from the frontier of the feasible outcomes: its minimum is
 * attained there, as the distance falls when any utility rises. */
static void opposition_from(pl_analysis *a, points all) {
  uint32_t np = a->s->nparties;
  double best = DBL_MAX;
  for (size_t k = 0; k < all.n; k++) {
    double dist = 0;
    for (uint32_t p = 0; p < np; p++) {
      double m = a->best_feasible[p];
      double t = m > 0 ? 1.0 - all.u[k * np + p] / m : 0.0;
      dist += t * t;
    }
    if (dist < best || (dist == best && all.index[k] < a->opposition_index)) {
      best = dist;
      a->opposition_index = all.index[k];
    }
  }
  a->has_opposition = all.n > 0;
  a->opposition = sqrt(best);
}

/* min over actors of u_a - t_a, as the scan computes it. */
static double smallest_margin(const pl_scenario *s, const double *u) {
  double margin = DBL_MAX;
  for (uint32_t p = 0; p < s->nparties; p++)
    if (u[p] - s->actors[p].threshold < margin)
      margin = u[p] - s->actors[p].threshold;
  return margin;
}

/* Without ratifiers, constraints or red lines the margin only grows with
 * each party's utility, so its maximum over a set is attained on the
 * set's frontier: the zone's slack, and the concession's delta* (its
 * package is then the first frontier point attaining it in index order).
 * This serves GENIUS hyperrectangle profiles, whose margin search lacks
 * the linear bound. */
static bool margins_from_frontiers(pl_analysis *a, points zone, points all) {
  const pl_scenario *s = a->s;
  bool simple = s->nratifiers == 0 && s->nconstraints == 0;
  for (uint32_t p = 0; p < s->nparties; p++)
    simple &= s->actors[p].nred_lines == 0;
  if (!simple)
    return false;
  points set = zone.n ? zone : all;
  double best = -DBL_MAX;
  uint64_t at = 0;
  for (size_t k = 0; k < set.n; k++) {
    double m = smallest_margin(s, set.u + k * s->nparties);
    if (m > best || (m == best && set.index[k] < at)) {
      best = m;
      at = set.index[k];
    }
  }
  if (zone.n) {
    a->has_zone_slack = true;
    a->zone_slack = best;
  } else {
    a->has_concession = all.n > 0;
    a->delta = -best;
    a->concession_index = at;
  }
  a->margins_known = true;
  return true;
}

/* Everything that follows from the two frontiers, as after enumeration. */
static bool use_frontiers(pl_analysis *a, points zone, points all) {
  uint32_t np = a->s->nparties;
  free(a->ideal);
  free(a->best_feasible);
  a->ideal = best_of(zone, np);
  a->best_feasible = best_of(all, np);
  if (!a->ideal || !a->best_feasible)
    return false;
  pl_choose_solutions(a, zone.index, zone.u, zone.n);
  pl_choose_genius_ks(a, all.index, all.u, all.n);
  opposition_from(a, all);
  return true;
}

static void free_bnb(pl_bnb_result *r) {
  free(r->u);
  free(r->index);
}

/* The frontier (of the zone and of every feasible outcome) by branch and
 * bound within `budget` nodes each; when found, everything that follows
 * from a frontier comes from it. */
static pl_status frontier_search(pl_analysis *a, uint64_t budget) {
  const pl_scenario *s = a->s;
  pl_bnb_result zone, all;
  if (!pl_bnb_frontier(s, true, budget, &zone))
    return PL_ENOMEM;
  if (!pl_bnb_frontier(s, false, budget, &all)) {
    free_bnb(&zone);
    return PL_ENOMEM;
  }
  pl_status st = PL_OK;
  a->bnb_nodes += zone.nodes + all.nodes;
  a->frontier_known = zone.complete && all.complete;
  if (a->frontier_known) {
    a->frontier_method = PL_FRONTIER_SEARCH;
    points z = {zone.index, zone.u, zone.n}, f = {all.index, all.u, all.n};
    if (!use_frontiers(a, z, f) ||
        !keep_points(a, a->frontier_all ? &all : &zone))
      st = PL_ENOMEM;
    if (s->has_boxes)
      margins_from_frontiers(a, z, f);
  }
  free_bnb(&zone);
  free_bnb(&all);
  return st;
}

/* The frontiers by sweeping the issues (additive utilities, local rules):
 * exact with ties, as enumeration gives them, when each stays within
 * SWEEP_MAX_POINTS starts. */
static pl_status frontier_sweep(pl_analysis *a) {
  const pl_scenario *s = a->s;
  pl_archive zone, all;
  pl_sweep_info iz = {0}, ia = {0};
  pl_sweep_status z = pl_sweep_frontier(s, true, SWEEP_MAX_POINTS, &zone, &iz);
  pl_sweep_status f =
      z == PL_SWEEP_OK
          ? pl_sweep_frontier(s, false, SWEEP_MAX_POINTS, &all, &ia)
          : z;
  if (z != PL_SWEEP_OK)
    pl_archive_init(&all, s->nparties);
  pl_status st = PL_OK; /* out of memory: the frontier is left out */
  a->frontier_known = z == PL_SWEEP_OK && f == PL_SWEEP_OK;
  if (a->frontier_known) {
    a->frontier_method = PL_FRONTIER_SWEEP;
    if (!use_frontiers(a, (points){zone.index, zone.u, zone.n},
                       (points){all.index, all.u, all.n}))
      st = PL_ENOMEM;
    else
      keep_frontier(a, a->frontier_all ? &all : &zone);
  } else if (st == PL_OK) {
    pl_sweep_status why = z != PL_SWEEP_OK ? z : f;
    const pl_sweep_info *in = z != PL_SWEEP_OK ? &iz : &ia;
    snprintf(a->frontier_note, sizeof a->frontier_note,
             "the sweep for the frontier %s stopped: %s (up to %zu starts "
             "kept after an issue); that frontier has at most %.3g points",
             z != PL_SWEEP_OK ? "of the zone" : "of the feasible outcomes",
             why == PL_SWEEP_TOO_LARGE
                 ? "more than 10^7 starts, or 8 x 10^7 candidates"
             : why == PL_SWEEP_NOMEM ? "out of memory"
                                     : "over its budget of comparisons "
                                       "(5 x 10^8; 4 x 10^9 with four "
                                       "objectives or more)",
             in->peak, in->bound);
  }
  pl_archive_free(&zone);
  pl_archive_free(&all);
  return st;
}

static pl_status frontier_by_search(pl_analysis *a, uint64_t budget) {
  double t0 = pl_now_seconds();
  pl_status st = pl_sweep_applies(a->s, true) && pl_sweep_applies(a->s, false)
                     ? frontier_sweep(a)
                     : frontier_search(a, budget);
  a->t_frontier += pl_now_seconds() - t0;
  return st;
}

/* Above the cap, the margins by branch and bound: the zone's slack, or
 * (zone empty) the minimal uniform concession and the blocking sets. */
static bool margins_by_search(pl_analysis *a, const pl_margin_result *zone) {
  if (a->has_solution) {
    a->has_zone_slack = zone->found;
    a->zone_slack = zone->margin;
    return true;
  }
  pl_margin_query q = {.zone = false, .max_nodes = BNB_MAX_NODES};
  pl_margin_result m;
  if (!pl_bnb_margin(a->s, &q, &m))
    return false;
  a->bnb_nodes += m.nodes;
  a->has_concession = m.found;
  a->delta = -m.margin;
  a->concession_index = m.index;
  a->concession_unknown = !m.complete;
  return pl_find_blocking_bounded(a, BNB_PARK_NODES);
}

/* Above the cap: how long counting by enumeration would take, measured
 * on a slice of the space (the last issues, up to 2^18 outcomes, with
 * the first ones held at one value) with the same kernel, scaled up. */
static bool estimate_count(pl_analysis *a) {
  const pl_scenario *s = a->s;
  uint32_t radix[PL_MAX_ISSUES];
  double slice = 1;
  for (uint32_t i = s->nissues; i-- > 0;) {
    uint32_t nv = s->issues[i].nvalues;
    radix[i] = slice * nv <= 262144.0 ? nv : 1;
    slice *= radix[i];
  }
  scan_spec spec = {.s = s,
                    .radix = radix,
                    .term = (const double *const *)s->term,
                    .what = SCAN_FRONTIER,
                    .threads = 1};
  scan_result r;
  double t0 = pl_now_seconds();
  bool ok = pl_scan(&spec, &r);
  double dt = pl_now_seconds() - t0;
  pl_scan_result_free(&r);
  a->count_estimate = dt * ((double)a->outcomes / slice) / a->threads;
  return ok;
}

/* Above the cap, the counts by meet in the middle when it applies
 * (otherwise only an estimate of the enumeration's time). */
static bool count_or_estimate(pl_analysis *a) {
  const pl_scenario *s = a->s;
  double t0 = pl_now_seconds();
  if (!a->opt.no_count && pl_mitm_applies(s)) {
    pl_mitm_counts c;
    uint32_t np = s->nparties, nr = s->nratifiers;
    a->acceptable = calloc(np, sizeof *a->acceptable);
    a->approved = calloc(nr ? nr : 1, sizeof *a->approved);
    if (!a->acceptable || !a->approved)
      return false;
    pl_mitm_status st = pl_mitm_count(s, a->threads, &c);
    a->t_count = pl_now_seconds() - t0;
    if (st != PL_MITM_OK) { /* fall back to the estimate, and say why */
      snprintf(a->count_note, sizeof a->count_note,
               "counting by meet in the middle was given up: %s",
               st == PL_MITM_NOMEM ? "out of memory"
               : st == PL_MITM_OVER_BUDGET
                   ? "four or five actors, and the zone's count would "
                     "take over a minute (estimated)"
                   : "too many pairs within rounding distance of a "
                     "threshold (more than 5 x 10^7)");
      a->t_count = 0;
      t0 = pl_now_seconds();
      bool ok = estimate_count(a);
      a->t_estimate = pl_now_seconds() - t0;
      return ok;
    }
    a->feasible = c.feasible;
    a->zone = c.zone;
    memcpy(a->acceptable, c.acceptable, np * sizeof *a->acceptable);
    memcpy(a->approved, c.approved, nr * sizeof *a->approved);
    a->counted_mitm = true;
    return true;
  }
  bool ok = estimate_count(a);
  a->t_estimate = pl_now_seconds() - t0;
  return ok;
}

/* Above the cap: no counts. The solutions by a branch and bound on each
 * objective, which weighted-sum bounds make fast on additive utilities;
 * then the frontier, if it can be found within a small budget. With
 * GENIUS hyperrectangles those bounds do not apply, but the frontier
 * search (which merges values the boxes do not tell apart) does: it goes
 * first there. */
static pl_status bounded_analysis(pl_analysis *a, uint64_t cap, pl_diag *d) {
  const pl_scenario *s = a->s;
  /* Boxes: the frontier search (which merges the values the boxes do not
   * tell apart) may give everything a frontier gives, solutions included. */
  if (s->has_boxes) {
    pl_status st = frontier_by_search(a, BNB_FRONTIER_NODES);
    if (st != PL_OK)
      return st;
  }
  if (a->margins_known) { /* all from the frontier (boxes) */
    a->solutions_searched = false;
    bool ok = a->has_solution || pl_find_blocking_bounded(a, BNB_PARK_NODES);
    return ok && count_or_estimate(a) ? PL_OK : PL_ENOMEM;
  }
  /* Whether the zone is empty, by the margin search's tighter bounds: the
   * solutions' searches would have to prove it with per-party bounds. */
  double t_zone = pl_now_seconds();
  pl_margin_query q = {.zone = true, .max_nodes = BNB_MAX_NODES};
  pl_margin_result zone;
  if (!pl_bnb_margin(s, &q, &zone))
    return PL_ENOMEM;
  a->bnb_nodes += zone.nodes;
  a->t_ideal = pl_now_seconds() - t_zone;
  bool complete = zone.complete;
  a->solutions_searched =
      zone.complete && zone.found && !(s->has_boxes && a->frontier_known);
  if (a->solutions_searched &&
      !pl_bnb_solutions(s, BNB_MAX_NODES, a, &complete))
    return PL_ENOMEM;
  if (!complete) {
    pl_diag_add(d, s->file && *s->file ? s->file : NULL, 0, 0,
                "the scenario has %llu outcomes, more than the %llu this "
                "analysis may enumerate (--max-outcomes), and the branch and "
                "bound search for its %s stopped after %llu nodes without "
                "finishing",
                (unsigned long long)a->outcomes, (unsigned long long)cap,
                zone.complete ? "solutions" : "agreement zone",
                (unsigned long long)BNB_MAX_NODES);
    return PL_EREFUSED;
  }
  double t0 = pl_now_seconds();
  bool ok = margins_by_search(a, &zone);
  a->t_blocking = pl_now_seconds() - t0;
  if (!ok || !count_or_estimate(a))
    return PL_ENOMEM;
  return s->has_boxes || a->opt.no_frontier
             ? PL_OK
             : frontier_by_search(a, BNB_SMALL_FRONTIER);
}

/* --frontier none: the frontier was needed for the solutions only. */
static void drop_frontier(pl_analysis *a) {
  free(a->front_index);
  free(a->front_u);
  a->front_index = NULL;
  a->front_u = NULL;
  a->nfront = a->front_distinct = 0;
  a->frontier_known = false;
  snprintf(a->frontier_note, sizeof a->frontier_note,
           "not requested (--frontier none)");
}

/* The planner, below the cap (docs/analysis.md, "The planner"): when the
 * numbers enumeration would give follow by faster exact methods, take
 * those; otherwise enumerate. */

/* Spaces the planner leaves to enumeration unless asked (PL_PLAN_ALWAYS):
 * they take milliseconds either way. */
#define PLAN_MIN_OUTCOMES 200000ULL
/* Comparisons the planner's sweep may make per outcome of the space (and
 * at least 10^6, a millisecond or so), so that a sweep given up costs
 * less than about one enumeration. */
#define PLAN_SWEEP_WORK_PER_OUTCOME 2ULL
#define PLAN_SWEEP_MIN_WORK 1000000ULL
/* With four parties or more the sweep's cut asks the dominance index
 * (about 40 ns a node or point, sorting included), while enumerating
 * costs 200-350 ns an outcome (its archive asks the same index for most
 * outcomes): 4 per outcome keeps a sweep given up under an enumeration
 * (bench/README.md, "Many parties"). */
#define PLAN_SWEEP_INDEX_WORK_PER_OUTCOME 4ULL
#define PLAN_SWEEP_INDEX_PARTIES 4

/* Whether every feasible outcome is in the zone, known without looking at
 * them: no constraints, red lines or boxes, and each actor's smallest
 * utility (its smallest terms summed in issue order, capped if it is; no
 * outcome's sum can be smaller, rounding being monotone) meets its
 * threshold as the scan compares it, u >= t - 1e-9. Otherwise `why` says
 * what stands in the way. */
static bool zone_is_everything(const pl_scenario *s, char *why, size_t n) {
  if (s->nconstraints > 0 || s->has_boxes) {
    snprintf(why, n, "%s", s->has_boxes ? "boxes" : "constraints");
    return false;
  }
  for (uint32_t a = 0; a < pl_num_actors(s); a++) {
    const pl_actor *x = &s->actors[a];
    if (x->nred_lines > 0) {
      snprintf(why, n, "%s has red lines", x->name);
      return false;
    }
    double u = extreme_utility(s, a, false);
    if (!(u >= x->threshold - PL_EPS)) {
      snprintf(why, n, "%s's threshold %.6g is above its smallest utility %.6g",
               x->name, x->threshold, u);
      return false;
    }
  }
  return true;
}

/* Zone = every outcome: the counts are the space's size, every value of
 * every issue occurs in the zone. */
static bool closed_form_counts(pl_analysis *a) {
  const pl_scenario *s = a->s;
  uint32_t np = s->nparties, nr = s->nratifiers;
  a->acceptable = malloc(np * sizeof *a->acceptable);
  a->approved = malloc((nr ? nr : 1) * sizeof *a->approved);
  a->open = malloc(s->total_values ? s->total_values : 1);
  if (!a->acceptable || !a->approved || !a->open)
    return false;
  a->feasible = a->zone = a->outcomes;
  for (uint32_t p = 0; p < np; p++)
    a->acceptable[p] = a->outcomes;
  for (uint32_t q = 0; q < nr; q++)
    a->approved[q] = a->outcomes;
  memset(a->open, 1, s->total_values);
  return true;
}

/* Zone = every outcome, so its frontier is that of all outcomes: the
 * sweep finds it once; ideal, solutions, GENIUS's "KS" (when enumeration
 * would give it), opposition and, without ratifiers, the zone's slack
 * follow from it as after enumeration; with ratifiers the slack comes from
 * the margin's branch and bound. *done is false when the sweep or that
 * search gave up. */
static pl_status frontier_plan(pl_analysis *a, bool genius_ks, bool *done) {
  const pl_scenario *s = a->s;
  pl_archive f;
  pl_sweep_info info = {0};
  double t0 = pl_now_seconds();
  uint64_t work = a->outcomes * (s->nparties >= PLAN_SWEEP_INDEX_PARTIES
                                     ? PLAN_SWEEP_INDEX_WORK_PER_OUTCOME
                                     : PLAN_SWEEP_WORK_PER_OUTCOME);
  if (work < PLAN_SWEEP_MIN_WORK)
    work = PLAN_SWEEP_MIN_WORK;
  /* Where the partial sums repeat (GENIUS domains whose issues repeat
   * one another), grouping them is cheaper than the sweep's cut with
   * three parties or more, and gives up at once where they do not; two
   * parties sweep first (in O(n log n)) and group only if that fails. */
  bool group_first = s->nparties >= 3;
  pl_sweep_status st = group_first ? pl_sums_frontier(s, SWEEP_MAX_POINTS, &f)
                                   : PL_SWEEP_TOO_LARGE;
  a->sums_grouped = st == PL_SWEEP_OK;
  if (st != PL_SWEEP_OK) {
    if (group_first)
      pl_archive_free(&f);
    st = pl_sweep_frontier_within(s, false, SWEEP_MAX_POINTS, work, &f, &info);
  }
  if (st != PL_SWEEP_OK && st != PL_SWEEP_NOMEM && !group_first) {
    pl_archive_free(&f);
    st = pl_sums_frontier(s, SWEEP_MAX_POINTS, &f);
    a->sums_grouped = st == PL_SWEEP_OK;
  }
  a->t_frontier = pl_now_seconds() - t0;
  *done = st == PL_SWEEP_OK;
  if (!*done) {
    pl_archive_free(&f);
    return st == PL_SWEEP_NOMEM ? PL_ENOMEM : PL_OK;
  }
  points all = {f.index, f.u, f.n};
  a->ideal = best_of(all, s->nparties);
  a->best_feasible = best_of(all, s->nparties);
  if (!a->ideal || !a->best_feasible) {
    pl_archive_free(&f);
    return PL_ENOMEM;
  }
  pl_choose_solutions(a, all.index, all.u, all.n);
  if (genius_ks)
    pl_choose_genius_ks(a, all.index, all.u, all.n);
  opposition_from(a, all);
  t0 = pl_now_seconds();
  bool ok = true;
  if (margins_from_frontiers(a, all, all)) {
    a->margins_method = "frontier";
  } else {
    pl_margin_query q = {.zone = true, .max_nodes = BNB_MAX_NODES};
    pl_margin_result m;
    ok = pl_bnb_margin(s, &q, &m);
    a->bnb_nodes += ok ? m.nodes : 0;
    a->has_zone_slack = ok && m.found;
    a->zone_slack = m.margin;
    *done = ok && m.complete; /* over budget: enumerate after all */
    a->margins_method = "branch-and-bound";
  }
  a->t_blocking = pl_now_seconds() - t0;
  if (*done)
    keep_frontier(a, &f);
  pl_archive_free(&f);
  a->frontier_method = PL_FRONTIER_SWEEP;
  a->solutions_method = "frontier";
  return ok ? PL_OK : PL_ENOMEM;
}

/* Undoes a plan given up, so that the enumeration starts afresh. */
static void drop_plan(pl_analysis *a) {
  free(a->acceptable);
  free(a->approved);
  free(a->open);
  a->acceptable = a->approved = NULL;
  free(a->ideal);
  free(a->best_feasible);
  a->ideal = a->best_feasible = NULL;
  a->open = NULL;
  a->count_method = a->solutions_method = a->margins_method = NULL;
  a->frontier_method = PL_FRONTIER_ENUMERATION;
  a->has_zone_slack = a->has_genius_ks = a->margins_known = false;
  a->t_count = a->t_frontier = a->t_blocking = 0;
}

/* *planned: the planner's methods gave every number (otherwise nothing is
 * kept and the caller enumerates). */
static pl_status plan_analysis(pl_analysis *a, bool genius_ks, bool *planned) {
  const pl_scenario *s = a->s;
  char why[160];
  *planned = false;
  if (a->opt.plan == PL_PLAN_ENUMERATE) {
    snprintf(a->plan_note, sizeof a->plan_note,
             "enumeration: asked for (PL_PLAN_ENUMERATE)");
    return PL_OK;
  }
  if (a->opt.plan != PL_PLAN_ALWAYS && a->outcomes < PLAN_MIN_OUTCOMES) {
    snprintf(a->plan_note, sizeof a->plan_note,
             "enumeration: %llu outcomes take milliseconds",
             (unsigned long long)a->outcomes);
    return PL_OK;
  }
  if (!zone_is_everything(s, why, sizeof why) || !pl_sweep_applies(s, false)) {
    snprintf(a->plan_note, sizeof a->plan_note,
             "enumeration: the zone may not be every outcome (%s)", why);
    return PL_OK;
  }
  double t0 = pl_now_seconds();
  if (!closed_form_counts(a))
    return PL_ENOMEM;
  a->count_method = "closed-form";
  a->t_count = pl_now_seconds() - t0;
  bool swept;
  pl_status st = frontier_plan(a, genius_ks, &swept);
  if (st != PL_OK)
    return st;
  if (!swept) {
    snprintf(a->plan_note, sizeof a->plan_note,
             "enumeration: every outcome is in the zone, but the %s gave up "
             "(%.3g s lost)",
             a->margins_method ? "slack's branch and bound"
                               : "sweep for the frontier (within its "
                                 "budget of comparisons)",
             a->t_frontier + a->t_blocking);
    drop_plan(a);
    return PL_OK;
  }
  *planned = true;
  snprintf(a->plan_note, sizeof a->plan_note,
           "every threshold is at or below the actor's smallest utility, so "
           "the zone is every outcome: counts in closed form; frontier by "
           "sweeping the issues%s (%zu points%s); solutions, opposition and "
           "slack from it%s",
           a->sums_grouped ? " with equal partial sums grouped" : "", a->nfront,
           s->nparties >= PLAN_SWEEP_INDEX_PARTIES && !a->sums_grouped
               ? ", cut by the dominance index: four parties or more"
               : "",
           a->margins_method[0] == 'b' ? " (slack by branch and bound: "
                                         "ratifiers)"
                                       : "");
  return PL_OK;
}

/* Every outcome visited: the main scan (and the opposition's when the
 * best utilities are not known up front), then parking when the zone is
 * empty. */
static bool enumerate_all(pl_analysis *a) {
  uint32_t radix[PL_MAX_ISSUES];
  for (uint32_t i = 0; i < a->s->nissues; i++)
    radix[i] = a->s->issues[i].nvalues;
  double t0 = pl_now_seconds();
  bool opposition_done;
  bool ok = main_scan(a, radix, &opposition_done) &&
            (opposition_done || opposition_scan(a, radix));
  a->t_count = pl_now_seconds() - t0;
  if (ok && a->zone == 0) {
    stage(a, "blocking issues", 0, 0);
    ok = pl_find_blocking(a);
  }
  a->t_blocking = pl_now_seconds() - t0 - a->t_count;
  return ok;
}

pl_analysis *pl_analyze(const pl_scenario *s, const pl_analysis_options *o,
                        pl_diag *d, pl_status *status) {
  pl_analysis_options defaults;
  if (!o) {
    pl_analysis_options_init(&defaults);
    o = &defaults;
  }
  uint64_t cap = o->max_outcomes ? o->max_outcomes : PL_DEFAULT_MAX_OUTCOMES;
  uint64_t count;
  bool fits = pl_space_size(s, &count) && count <= (uint64_t)INT64_MAX;
  if (!fits) {
    pl_diag_add(d, s->file && *s->file ? s->file : NULL, 0, 0,
                "the scenario has 2^63 outcomes or more: counts and outcome "
                "indices must fit in JSON's signed 64-bit integers, so it "
                "cannot be analysed");
    *status = PL_EREFUSED;
    return NULL;
  }
  pl_analysis *a = calloc(1, sizeof *a);
  if (!a) {
    *status = PL_ENOMEM;
    return NULL;
  }
  double t0 = pl_now_seconds();
  a->s = s;
  a->opt = *o;
  a->threads = pl_threads_for(o->threads, count);
  a->outcomes = count;
  a->frontier_all = o->frontier_all;
  pl_status dst = pl_design_prepare(a, o, d);
  if (dst != PL_OK) {
    pl_analysis_free(a);
    *status = dst;
    return NULL;
  }
  bool ok;
  a->frontier_known = true;
  if (count <= cap) {
    a->enumerated = true;
    bool planned;
    pl_status st = plan_analysis(a, wants_genius_ks(a), &planned);
    ok = st == PL_OK && (planned || enumerate_all(a));
  } else {
    stage(a, "branch and bound", 0, 0);
    pl_status st = bounded_analysis(a, cap, d);
    if (st != PL_OK) {
      pl_analysis_free(a);
      *status = st;
      return NULL;
    }
    ok = true;
  }
  if (ok && o->no_frontier)
    drop_frontier(a);
  double t_design = pl_now_seconds();
  stage(a, "deal design", 0, 0);
  ok = ok && pl_design_compute(a);
  a->t_design = pl_now_seconds() - t_design;
  a->seconds = pl_now_seconds() - t0;
  if (!ok) {
    pl_diag_add(d, NULL, 0, 0, "out of memory during the analysis");
    pl_analysis_free(a);
    *status = PL_ENOMEM;
    return NULL;
  }
  *status = PL_OK;
  return a;
}

bool pl_analysis_counted(const pl_analysis *a) { return pl_counted(a); }

const char *pl_analysis_plan(const pl_analysis *a) { return a->plan_note; }

uint64_t pl_analysis_zone_size(const pl_analysis *a) { return a->zone; }

size_t pl_analysis_frontier_size(const pl_analysis *a) { return a->nfront; }

bool pl_analysis_solution(const pl_analysis *a, pl_solution which,
                          uint32_t *values) {
  if (which == PL_SOLUTION_GENIUS_KS && a->has_genius_ks) {
    pl_index_to_values(a->s, a->genius_ks, values);
    return true;
  }
  if (!a->has_solution || (unsigned)which >= PL_NUM_SOLUTIONS)
    return false;
  pl_index_to_values(a->s, a->solution[which], values);
  return true;
}
