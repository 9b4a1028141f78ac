/* robust_report.c - the robust analysis in the text report and in the
 * JSON key "uncertainty" (docs/uncertainty.md). */
#include "uncertainty/robust.h"

#include "io/report.h"
#include "util/fmt.h"
#include "util/json_write.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Shared -------------------------------------------------------------- */

static pl_probability count_p(const pl_robust *r, uint64_t k) {
  return pl_wilson((double)k, r->draws);
}

static pl_probability fx_p(const pl_robust *r, int64_t sum) {
  return pl_wilson((double)sum / PL_FX, r->draws);
}

static const char *set_name(const pl_robust *r, uint32_t k, char *buf,
                            size_t len) {
  const pl_space *sp = &r->sp;
  if (sp->set_size[k] == 1)
    snprintf(buf, len, "%s", r->s->issues[sp->set[k][0]].name);
  else
    snprintf(buf, len, "%s + %s", r->s->issues[sp->set[k][0]].name,
             r->s->issues[sp->set[k][1]].name);
  return buf;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The delta* of the draws where it exists, sorted (caller frees). */
static double *sorted_delta(const pl_robust *r, uint64_t *n) {
  double *x = malloc((r->draws ? r->draws : 1) * sizeof *x);
  *n = 0;
  for (uint64_t d = 0; x && d < r->draws; d++)
    if (!isnan(r->dstar[d]))
      x[(*n)++] = r->dstar[d];
  if (x)
    qsort(x, *n, sizeof *x, cmp_double);
  return x;
}

/* The q-quantile of sorted x[0..n) (nearest rank). */
static double quantile(const double *x, uint64_t n, double q) {
  uint64_t k = (uint64_t)ceil(q * (double)n);
  return x[k ? k - 1 : 0];
}

/* ---- Text ---------------------------------------------------------------- */

static void print_p(FILE *out, pl_probability p) {
  fprintf(out, "%.3f [%.3f, %.3f]", p.p, p.lo, p.hi);
}

static void print_package(const pl_robust *r, FILE *out, uint64_t c) {
  uint32_t v[PL_MAX_ISSUES];
  pl_index_to_values(r->s, r->sp.index[c], v);
  for (uint32_t i = 0; i < r->m; i++) {
    char b[128];
    pl_issue_value_text(r->s, i, v[i], b, sizeof b);
    fprintf(out, "      %-24s %s\n", r->s->issues[i].name, b);
  }
}

static void print_watched(const pl_robust *r, FILE *out) {
  const pl_scenario *s = r->s;
  if (!r->nwatch)
    return;
  fprintf(out,
          "\n  Packages followed through every draw: P(each party accepts; "
          "each ratifier ratifies),\n  P(in the zone), P(accepted by every "
          "party and ratified):\n");
  for (size_t k = 0; k < r->nwatch; k++) {
    const pl_watch *w = &r->watch[k];
    fprintf(out, "    %s (%s)%s\n", w->name, w->kind,
            w->feasible ? "" : " - breaks a constraint");
    fprintf(out, "      ");
    for (uint32_t a = 0; a < r->na; a++)
      fprintf(out, "%s%s %.3f", a ? ", " : "", s->actors[a].name,
              a < s->nparties ? count_p(r, w->accepts[a]).p
                              : fx_p(r, w->ratify_fx[a]).p);
    fprintf(out, "\n      in the zone ");
    print_p(out, count_p(r, w->in_zone));
    fprintf(out, "; accepted and ratified ");
    print_p(out, fx_p(r, w->accepted_ratified_fx));
    fprintf(out, "\n");
  }
}

static void print_delta(const pl_robust *r, FILE *out) {
  uint64_t n;
  double *x = sorted_delta(r, &n);
  if (x && n) {
    double sum = 0;
    for (uint64_t k = 0; k < n; k++)
      sum += x[k];
    fprintf(out,
            "  delta* (0 when the zone is open): mean %.3f, median %.3f, "
            "5%%-95%% %.3f-%.3f, max %.3f\n",
            sum / (double)n, quantile(x, n, 0.5), quantile(x, n, 0.05),
            quantile(x, n, 0.95), x[n - 1]);
  }
  free(x);
}

static void print_blocking(const pl_robust *r, FILE *out) {
  const pl_space *sp = &r->sp;
  if (!sp->blocking) {
    if (sp->note[0])
      fprintf(out, "  (%s)\n", sp->note);
    return;
  }
  fprintf(out, "  P(the zone is empty and this set blocks; pairs only when "
               "minimal):\n");
  bool any = false;
  for (uint32_t k = 0; k < sp->nsets; k++) {
    bool in_base = (r->base_sets >> k) & 1 && r->base_blocking;
    if (!r->set_blocks[k] && !in_base)
      continue;
    char b[256];
    fprintf(out, "    %-34s ", set_name(r, k, b, sizeof b));
    print_p(out, count_p(r, r->set_blocks[k]));
    fprintf(out, "%s\n", in_base ? "  (blocks in the base)" : "");
    any = true;
  }
  if (!any)
    fprintf(out, "    (no single issue or pair blocks in any draw)\n");
  if (r->base_blocking) {
    fprintf(out, "  the base diagnosis holds (zone empty, exactly the base's "
                 "blocking sets) ");
    print_p(out, count_p(r, r->same_diagnosis));
    fprintf(out, "\n");
  }
}

/* The input names ("Russia value of donbas = demilitarised free economic
 * zone") are wrapped in a column this wide so that the table fits 100
 * columns, the width of every other text table. */
enum { SENS_NAME_WIDTH = 30 };

/* The length of the first line of name when wrapped at spaces into
 * SENS_NAME_WIDTH columns (a word longer than that is cut). */
static int name_piece(const char *name) {
  int n = (int)strlen(name);
  if (n <= SENS_NAME_WIDTH)
    return n;
  for (int k = SENS_NAME_WIDTH; k > 0; k--)
    if (name[k] == ' ')
      return k;
  return SENS_NAME_WIDTH;
}

static void print_sensitivity(const pl_robust *r, FILE *out) {
  if (!r->nsens) {
    if (r->sens_note[0])
      fprintf(out, "\nSensitivity: %s\n", r->sens_note);
    return;
  }
  fprintf(out,
          "\nSensitivity (deterministic: one input at a time over its range, "
          "the others at base)\n"
          "  Ranked by the swing of the best margin (-delta* when the zone is "
          "empty, its slack\n  when not) between the two ends of the range; "
          "'flips at' is the nearest value where\n  the verdict (zone empty or "
          "not) changes, 'blocking at' where the blocking sets change.\n");
  fprintf(out, "    %-4s %-*s %-13s %-8s %-9s %-11s %s\n", "rank",
          SENS_NAME_WIDTH, "input", "range", "base", "flips at",
          "blocking at", "margin lo..hi");
  for (size_t k = 0; k < r->nsens; k++) {
    const pl_sens *x = &r->sens[k];
    char range[40], flip[32], blk[32];
    snprintf(range, sizeof range, "%.3f-%.3f", x->lo, x->hi);
    double f = !isnan(x->verdict_down) &&
                       (isnan(x->verdict_up) ||
                        x->base - x->verdict_down < x->verdict_up - x->base)
                   ? x->verdict_down
                   : x->verdict_up;
    double g = !isnan(x->blocking_down) &&
                       (isnan(x->blocking_up) ||
                        x->base - x->blocking_down < x->blocking_up - x->base)
                   ? x->blocking_down
                   : x->blocking_up;
    if (isnan(f))
      snprintf(flip, sizeof flip, "-");
    else
      snprintf(flip, sizeof flip, "%.4f", f);
    if (isnan(g))
      snprintf(blk, sizeof blk, "-");
    else
      snprintf(blk, sizeof blk, "%.4f", g);
    const char *name = x->name;
    int len = name_piece(name);
    fprintf(out, "    %-4zu %-*.*s %-13s %-8.3f %-9s %-11s %+.3f..%+.3f\n",
            k + 1, SENS_NAME_WIDTH, len, name, range, x->base, flip, blk,
            x->margin_lo, x->margin_hi);
    for (name += len; *name == ' '; name++)
      ;
    while (*name) {
      len = name_piece(name);
      fprintf(out, "    %-4s %.*s\n", "", len, name);
      for (name += len; *name == ' '; name++)
        ;
    }
  }
}

pl_status pl_robust_write_text(const pl_robust *r, FILE *out) {
  fprintf(out,
          "\nRobustness: %llu Monte Carlo draws (seed %llu) over %zu "
          "uncertain input(s) (docs/uncertainty.md)\n"
          "  Probabilities are shares of draws with their 95%% Wilson "
          "intervals.\n",
          (unsigned long long)r->draws, (unsigned long long)r->opt.seed,
          pl_scenario_num_uncertain(r->s));
  pl_probability p;
  if (pl_robust_zone_open(r, &p)) {
    fprintf(out, "  P(the zone is not empty)  ");
    print_p(out, p);
    fprintf(out, "\n");
    print_delta(r, out);
    print_blocking(r, out);
  } else {
    fprintf(out, "  (%s)\n", r->sp.note);
  }
  print_watched(r, out);
  if (r->has_robust) {
    fprintf(out, "\n  Robust package (highest P(accepted by every party and "
                 "ratified)): ");
    print_p(out, fx_p(r, r->acc_ratified[r->robust]));
    fprintf(out, "\n");
    print_package(r, out, r->robust);
    fprintf(out,
            "  Highest expected Nash product: %.3g (P(accepted and "
            "ratified) %.3f)\n",
            (double)r->acc_nash[r->nash_best] / PL_FX / (double)r->draws,
            fx_p(r, r->acc_ratified[r->nash_best]).p);
    if (r->nash_best != r->robust)
      print_package(r, out, r->nash_best);
    else
      fprintf(out, "      (the robust package)\n");
  }
  print_sensitivity(r, out);
  return ferror(out) ? PL_EIO : PL_OK;
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *p_json(pl_probability p) {
  return json_pack("{s:f, s:f, s:f}", "p", pl_round_computed(p.p), "lo",
                   pl_round_computed(p.lo), "hi", pl_round_computed(p.hi));
}

static json_t *real_or_null(double x) {
  return isnan(x) ? json_null() : pl_json_computed(x);
}

static json_t *delta_json(const pl_robust *r) {
  uint64_t n;
  double *x = sorted_delta(r, &n);
  if (!x || !n) {
    free(x);
    return json_null();
  }
  double sum = 0;
  for (uint64_t k = 0; k < n; k++)
    sum += x[k];
  json_t *q = json_object();
  static const double qs[] = {0.05, 0.25, 0.5, 0.75, 0.95};
  static const char *const qn[] = {"0.05", "0.25", "0.5", "0.75", "0.95"};
  for (int k = 0; k < 5; k++)
    json_object_set_new(q, qn[k], pl_json_computed(quantile(x, n, qs[k])));
  /* 20 equal bins over [0, max]; a draw at the top goes to the last. */
  enum { BINS = 20 };
  double top = x[n - 1] > 0 ? x[n - 1] : 1;
  json_t *edges = json_array(), *counts = json_array();
  uint64_t c[BINS] = {0};
  for (uint64_t k = 0; k < n; k++) {
    int b = (int)(x[k] / top * BINS);
    c[b >= BINS ? BINS - 1 : b]++;
  }
  for (int b = 0; b <= BINS; b++)
    json_array_append_new(edges, pl_json_computed(top * b / BINS));
  for (int b = 0; b < BINS; b++)
    json_array_append_new(counts, json_integer((json_int_t)c[b]));
  json_t *o =
      json_pack("{s:f, s:o, s:{s:o, s:o}, s:I}", "mean",
                pl_round_computed(sum / (double)n), "quantiles", q, "histogram",
                "edges", edges, "counts", counts, "draws", (json_int_t)n);
  free(x);
  return o;
}

static json_t *blocking_json(const pl_robust *r) {
  const pl_space *sp = &r->sp;
  if (!sp->enumerated || !sp->blocking)
    return json_null();
  json_t *arr = json_array();
  for (uint32_t k = 0; k < sp->nsets; k++) {
    bool in_base = r->base_blocking && (r->base_sets >> k) & 1;
    if (!r->set_blocks[k] && !in_base)
      continue;
    json_t *issues = json_array();
    for (uint32_t j = 0; j < sp->set_size[k]; j++)
      json_array_append_new(issues,
                            json_string(r->s->issues[sp->set[k][j]].name));
    json_array_append_new(arr, json_pack("{s:o, s:o, s:b}", "issues", issues,
                                         "probability",
                                         p_json(count_p(r, r->set_blocks[k])),
                                         "in_base", in_base));
  }
  return arr;
}

static json_t *watched_json(const pl_robust *r) {
  const pl_scenario *s = r->s;
  json_t *arr = json_array();
  for (size_t k = 0; k < r->nwatch; k++) {
    const pl_watch *w = &r->watch[k];
    json_t *acc = json_object(), *rat = json_object();
    for (uint32_t a = 0; a < r->na; a++)
      if (a < s->nparties)
        json_object_set_new(acc, s->actors[a].name,
                            p_json(count_p(r, w->accepts[a])));
      else
        json_object_set_new(rat, s->actors[a].name,
                            p_json(fx_p(r, w->ratify_fx[a])));
    json_array_append_new(
        arr, json_pack("{s:s, s:s, s:o, s:b, s:o, s:o, s:o, s:o, s:o}", "name",
                       w->name, "kind", w->kind, "outcome",
                       pl_outcome_json(s, w->values), "feasible", w->feasible,
                       "accepts", acc, "ratifies", rat, "all_parties_accept",
                       p_json(count_p(r, w->all_accept)), "in_zone",
                       p_json(count_p(r, w->in_zone)), "accepted_and_ratified",
                       p_json(fx_p(r, w->accepted_ratified_fx))));
  }
  return arr;
}

static json_t *candidate_json(const pl_robust *r, uint64_t c) {
  uint32_t v[PL_MAX_ISSUES];
  pl_index_to_values(r->s, r->sp.index[c], v);
  return json_pack(
      "{s:o, s:o, s:f}", "outcome", pl_outcome_json(r->s, v),
      "accepted_and_ratified", p_json(fx_p(r, r->acc_ratified[c])),
      "expected_nash",
      pl_round_computed((double)r->acc_nash[c] / PL_FX / (double)r->draws));
}

static json_t *sensitivity_json(const pl_robust *r) {
  if (r->opt.no_sensitivity)
    return json_null();
  json_t *arr = json_array();
  for (size_t k = 0; k < r->nsens; k++) {
    const pl_sens *x = &r->sens[k];
    json_array_append_new(
        arr,
        json_pack("{s:s, s:f, s:f, s:f, s:{s:o, s:o}, s:{s:o, s:o}, s:f, s:f, "
                  "s:f}",
                  "input", x->name, "base", x->base, "min", x->lo, "max", x->hi,
                  "verdict_flips", "below", real_or_null(x->verdict_down),
                  "above", real_or_null(x->verdict_up), "blocking_changes",
                  "below", real_or_null(x->blocking_down), "above",
                  real_or_null(x->blocking_up), "margin_at_min",
                  pl_round_computed(x->margin_lo), "margin_at_max",
                  pl_round_computed(x->margin_hi), "swing",
                  pl_round_computed(x->swing)));
  }
  return arr;
}

static json_t *uncertainty_json(const pl_robust *r) {
  pl_probability p;
  bool zone = pl_robust_zone_open(r, &p);
  json_t *o = json_object();
  json_object_set_new(o, "draws", json_integer((json_int_t)r->draws));
  json_object_set_new(o, "seed", json_integer((json_int_t)r->opt.seed));
  json_object_set_new(o, "precision",
                      r->opt.precision > 0 ? json_real(r->opt.precision)
                                           : json_null());
  json_object_set_new(
      o, "inputs", json_integer((json_int_t)pl_scenario_num_uncertain(r->s)));
  json_object_set_new(o, "packages_enumerated", json_boolean(r->sp.enumerated));
  json_object_set_new(o, "note",
                      r->sp.note[0] ? json_string(r->sp.note) : json_null());
  json_object_set_new(o, "zone_open", zone ? p_json(p) : json_null());
  json_object_set_new(o, "delta", zone ? delta_json(r) : json_null());
  json_object_set_new(o, "blocking", blocking_json(r));
  json_object_set_new(o, "base_diagnosis",
                      r->base_blocking && zone
                          ? p_json(count_p(r, r->same_diagnosis))
                          : json_null());
  json_object_set_new(o, "packages", watched_json(r));
  json_object_set_new(o, "robust_package",
                      r->has_robust ? candidate_json(r, r->robust)
                                    : json_null());
  json_object_set_new(o, "max_expected_nash",
                      r->has_robust ? candidate_json(r, r->nash_best)
                                    : json_null());
  json_object_set_new(o, "sensitivity", sensitivity_json(r));
  return o;
}

pl_status pl_robust_write_json(const pl_robust *r, FILE *out) {
  json_t *o = pl_analysis_to_json(r->base);
  if (!o)
    return PL_ENOMEM;
  json_object_set_new(o, "uncertainty", uncertainty_json(r));
  int rc = pl_json_write(o, out);
  json_decref(o);
  if (rc != 0 || fputc('\n', out) == EOF)
    return PL_EIO;
  return PL_OK;
}
