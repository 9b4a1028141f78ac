/* export_fit.c - what `parley convert --normalize` and `--lossy` change so
 * that a format can hold a scenario (docs/formats.md, "When a format
 * cannot hold the scenario"). The scenario is changed in place, before the
 * writers' checks, and every change is listed: nothing changes silently.
 *
 * --normalize rescales the weights of a party (or ratifier) whose weights
 * add up to within PL_NORMALIZE_TOLERANCE of 1, but not to 1 exactly as the
 * decimals written: GENIUS files often hold 1.00005 (examples/domains/
 * Laptop), which GeniusWeb refuses. The new weights are decimals with 15
 * places that add up to exactly 1.
 *
 * --lossy leaves out what the format has no place for (constraints, red
 * lines, ratifiers; GeniusWeb: discount factors) and writes an integer
 * issue whose step is not 1 as a discrete issue for GENIUS. What would
 * change the utilities themselves is still refused. */
#include "io/geniusweb.h"
#include "model/scenario.h"
#include "util/diag.h"
#include "util/fmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PL_NORMALIZE_TOLERANCE 1e-3
#define SCALE 1e15 /* 15 decimal places; an integer below 2^53 */

static void note(pl_diag *d, const pl_scenario *s, const char *fmt, ...)
    PL_PRINTF(3, 4);
static void note(pl_diag *d, const pl_scenario *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pl_diag_addv(d, pl_export_source(s), 0, 0, fmt, ap);
  va_end(ap);
}

/* Weights that already add up to 1 as the decimals 15 places long that
 * they are. */
static bool exact_unit(const double *w, uint32_t n) {
  double total = 0;
  for (uint32_t i = 0; i < n; i++) {
    double k = round(w[i] * SCALE);
    if (k / SCALE != w[i])
      return false;
    total += k;
  }
  return total == SCALE;
}

static void normalize_actor(pl_scenario *s, uint32_t a, pl_diag *d) {
  pl_actor *p = &s->actors[a];
  uint32_t n = s->nissues;
  double sum = 0;
  for (uint32_t i = 0; i < n; i++)
    sum += p->weights[i];
  /* No issues, nothing to normalise (sum is 0 then, but said outright the
   * static analyser sees that k[big] below is written). */
  if (n == 0 || !(sum > 0) || fabs(sum - 1) > PL_NORMALIZE_TOLERANCE ||
      exact_unit(p->weights, n))
    return;
  /* Round each w / sum to 15 places, then give the rounding remainder to
   * the largest weight, so that the decimals add up to exactly 1. */
  double k[PL_MAX_ISSUES], total = 0;
  uint32_t big = 0;
  for (uint32_t i = 0; i < n; i++) {
    k[i] = round(p->weights[i] / sum * SCALE);
    total += k[i];
    if (k[i] > k[big])
      big = i;
  }
  k[big] += SCALE - total;
  char b[32];
  pl_fmt_number(b, sizeof b, sum);
  const char *who = a < s->nparties ? "party" : "ratifier";
  if (fabs(sum - 1) < 1e-12)
    note(d, s,
         "%s '%s': its weights do not add up to exactly 1 as the "
         "decimals written (they miss by less than 1e-12); they were "
         "rounded to 15 decimal places that do",
         who, p->name);
  else
    note(d, s,
         "%s '%s': its weights added up to %s; each was divided by it "
         "(rounded to 15 decimal places, adding up to exactly 1)",
         who, p->name, b);
  for (uint32_t i = 0; i < n; i++) {
    p->weights[i] = k[i] / SCALE;
    for (uint32_t v = 0; v < s->issues[i].nvalues; v++)
      s->term[a][s->offset[i] + v] =
          p->values[i] ? p->weights[i] * p->values[i][v] : 0.0;
  }
}

static void drop_rules(pl_scenario *s, const char *format, pl_diag *d) {
  for (uint32_t c = 0; c < s->nconstraints; c++)
    note(d, s, "left out constraint '%s' (%s): %s has no constraints",
         s->constraints[c].name ? s->constraints[c].name : "",
         s->constraints[c].text, format);
  s->nconstraints = 0;
  for (uint32_t a = 0; a < s->nparties; a++) {
    pl_actor *p = &s->actors[a];
    for (uint32_t k = 0; k < p->nred_lines; k++)
      note(d, s,
           "left out red line '%s' of party '%s' (%s): %s has no red "
           "lines",
           p->red_lines[k].name ? p->red_lines[k].name : "", p->name,
           p->red_lines[k].text, format);
    p->nred_lines = 0;
  }
  for (uint32_t q = 0; q < s->nratifiers; q++)
    note(d, s, "left out ratifier '%s': %s has no ratifiers",
         s->actors[s->nparties + q].name, format);
  s->nratifiers = 0;
}

/* GENIUS integer issues have step 1: a discrete issue with the same values
 * (as labels) and the same utilities holds the others. */
static bool integer_as_discrete(pl_scenario *s, pl_issue *is, pl_diag *d) {
  const char **labels = pl_arena_calloc(&s->arena, is->nvalues, sizeof *labels);
  if (!labels)
    return false;
  char list[256] = "";
  for (uint32_t k = 0; k < is->nvalues; k++) {
    char b[48];
    pl_fmt_number(b, sizeof b, is->numbers[k]);
    labels[k] = pl_arena_strdup(&s->arena, b);
    if (!labels[k])
      return false;
    if (strlen(list) + strlen(b) + 8 < sizeof list)
      snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
               k ? ", " : "", b);
  }
  char step[48];
  pl_fmt_number(step, sizeof step, is->step);
  note(d, s,
       "integer issue '%s' (step %s) written as a discrete issue with "
       "the values %s: GENIUS integer issues take every whole number",
       is->name, step, list);
  is->kind = PL_ISSUE_CATEGORICAL;
  is->labels = labels;
  for (uint32_t a = 0; a < pl_num_actors(s); a++)
    if (s->actors[a].shapes)
      s->actors[a].shapes[is - s->issues] = PL_SHAPE_TABLE;
  return pl_issue_index_labels(&s->arena, is);
}

pl_status pl_scenario_fit_export(pl_scenario *s, const char *format,
                                 const pl_export_options *o, pl_diag *changes) {
  bool genius = !strcmp(format, "genius"), web = !strcmp(format, "geniusweb");
  const char *name = genius ? "GENIUS" : web ? "GeniusWeb" : "parley";
  if (o->normalize)
    for (uint32_t a = 0; a < pl_num_actors(s); a++)
      normalize_actor(s, a, changes);
  if (!o->lossy || !(genius || web))
    return PL_OK;
  drop_rules(s, name, changes);
  for (uint32_t a = 0; web && a < s->nparties; a++) {
    pl_actor *p = &s->actors[a];
    if (p->discount != 1) {
      char b[32];
      pl_fmt_number(b, sizeof b, p->discount);
      note(changes, s,
           "left out party '%s''s discount factor %s: GeniusWeb "
           "profiles have none",
           p->name, b);
      p->discount = 1;
    }
  }
  for (uint32_t i = 0; genius && i < s->nissues; i++) {
    pl_issue *is = &s->issues[i];
    if (is->kind == PL_ISSUE_INTEGER && is->step != 1 &&
        !integer_as_discrete(s, is, changes))
      return PL_ENOMEM;
  }
  return PL_OK;
}
