/* analyze.c - `parley analyze`: one scan for counts, frontier, solutions and
 * the concession, one for opposition, then parking when the zone is empty.
 */
#define _POSIX_C_SOURCE 200809L
#include "analysis/analysis.h"
#include "analysis/scan.h"
#include "util/diag.h"
#include "util/parallel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
  free(a);
}

static double now_seconds(void) {
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

static bool main_scan(pl_analysis *a, const uint32_t *radix) {
  scan_spec spec = {.s = a->s,
                    .radix = radix,
                    .term = (const double *const *)a->s->term,
                    .what = SCAN_FRONTIER | SCAN_OPEN,
                    .threads = a->threads};
  if (a->frontier_all)
    spec.what |= SCAN_FRONTIER_ALL;
  scan_result r;
  if (!pl_scan(&spec, &r)) {
    pl_scan_result_free(&r);
    return false;
  }
  keep_totals(a, &r);
  pl_choose_solutions(a, r.zone_front.index, r.zone_front.u, r.zone_front.n);
  keep_frontier(a, a->frontier_all ? &r.all_front : &r.zone_front);
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
                    .threads = a->threads};
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

pl_analysis *pl_analyze(const pl_scenario *s, const pl_analysis_options *o,
                        pl_diag *d, pl_status *status) {
  pl_analysis_options defaults;
  if (!o) {
    pl_analysis_options_init(&defaults);
    o = &defaults;
  }
  uint64_t cap = o->max_outcomes ? o->max_outcomes : PL_DEFAULT_MAX_OUTCOMES;
  uint64_t count;
  bool fits = pl_space_size(s, &count);
  if (!fits || count > cap) {
    char size[64];
    if (fits)
      snprintf(size, sizeof size, "%llu", (unsigned long long)count);
    else
      snprintf(size, sizeof size, ">= 2^64");
    pl_diag_add(d, s->file && *s->file ? s->file : NULL, 0, 0,
                "the scenario has %s outcomes, more than the %llu this "
                "analysis may enumerate; raise the cap with --max-outcomes N",
                size, (unsigned long long)cap);
    *status = PL_EREFUSED;
    return NULL;
  }
  pl_analysis *a = calloc(1, sizeof *a);
  if (!a) {
    *status = PL_ENOMEM;
    return NULL;
  }
  double t0 = now_seconds();
  a->s = s;
  a->opt = *o;
  a->threads = pl_thread_count(o->threads);
  a->outcomes = count;
  a->frontier_all = o->frontier_all;
  uint32_t radix[PL_MAX_ISSUES];
  for (uint32_t i = 0; i < s->nissues; i++)
    radix[i] = s->issues[i].nvalues;
  bool ok = main_scan(a, radix) && opposition_scan(a, radix);
  if (ok && a->zone == 0)
    ok = pl_find_blocking(a);
  a->seconds = now_seconds() - t0;
  if (!ok) {
    pl_diag_add(d, NULL, 0, 0, "out of memory during the analysis");
    pl_analysis_free(a);
    *status = PL_ENOMEM;
    return NULL;
  }
  *status = PL_OK;
  return a;
}

uint64_t pl_analysis_zone_size(const pl_analysis *a) { return a->zone; }

size_t pl_analysis_frontier_size(const pl_analysis *a) { return a->nfront; }

bool pl_analysis_solution(const pl_analysis *a, pl_solution which,
                          uint32_t *values) {
  if (!a->has_solution || (unsigned)which >= PL_NUM_SOLUTIONS)
    return false;
  pl_index_to_values(a->s, a->solution[which], values);
  return true;
}
