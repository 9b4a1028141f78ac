/* genius_write.c - writing a scenario as GENIUS XML: "<name>-domain.xml"
 * and one profile per party, "<party>.xml", in the element and attribute
 * style of GENIUS's own files, so that GENIUS (and genius_read.c) reads
 * them back to the same utilities (shared/reference/genius-semantics.md).
 *
 * A scenario imported from GENIUS kept its evaluators as written
 * (pl_genius_eval) and its hyperRectangles: they are written back as they
 * were, with the weights, reservation value and discount factor, so GENIUS
 * folder -> parley -> GENIUS gives the same numbers. A parley scenario is
 * translated: a categorical value table becomes discrete evaluations
 * (GENIUS divides them by the issue's largest, so a weighted issue's best
 * value must be worth 1), a linear numeric value function becomes GENIUS's
 * linear evaluator. Whatever GENIUS cannot hold is refused, each item named,
 * before anything is written.
 */
#include "io/geniusweb.h"
#include "model/scenario.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GENIUS enumerates a real issue as 21 evenly spaced values. */
enum { GENIUS_REAL_VALUES = 21 };
/* A linear evaluator may miss a parley value by this much (rounding of
 * slope and offset); anything more is not linear. */
#define FIT_TOLERANCE 1e-12

typedef struct gx {
  const pl_scenario *s;
  pl_diag *d;
  const char *src;
  bool ok;
} gx;

static void refuse(gx *g, const char *fmt, ...) PL_PRINTF(2, 3);
static void refuse(gx *g, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pl_diag_addv(g->d, g->src, 0, 0, fmt, ap);
  va_end(ap);
  g->ok = false;
}

static const char *num(char *buf, size_t len, double x) {
  pl_export_number(buf, len, x);
  return buf;
}

static double clip01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

/* The GENIUS evaluator of a parley numeric value function: the line through
 * its first and last values. Returns how far, at worst, GENIUS's reading of
 * it (clip01(offset + slope * (x - shift)), as genius_read.c computes)
 * lands from the values. */
static double fit_linear(const pl_issue *is, const double *v,
                         pl_genius_eval *e) {
  uint32_t n = is->nvalues;
  bool integer = is->kind == PL_ISSUE_INTEGER;
  double x0 = is->numbers[0], x1 = is->numbers[n - 1];
  *e = (pl_genius_eval){.kind = integer ? PL_EVAL_INTEGER : PL_EVAL_REAL,
                        .lowerbound = is->min,
                        .upperbound = is->max};
  e->slope = n > 1 ? (v[n - 1] - v[0]) / (x1 - x0) : 0;
  /* Integer evaluators are shifted by the lower bound, real ones not. */
  e->offset = integer ? v[0] : v[0] - e->slope * x0;
  double shift = integer ? x0 : 0, worst = 0;
  for (uint32_t k = 0; k < n; k++)
    worst = fmax(
        worst,
        fabs(clip01(e->offset + e->slope * (is->numbers[k] - shift)) - v[k]));
  return worst;
}

/* ---- What GENIUS cannot hold --------------------------------------------- */

static void check_issue(gx *g, const pl_issue *is) {
  char a[48], b[48];
  if (is->kind == PL_ISSUE_INTEGER && is->step != 1)
    refuse(g,
           "integer issue '%s' has step %s; GENIUS integer issues take "
           "every whole number between their bounds (step 1); --lossy "
           "writes it as a discrete issue with the same values",
           is->name, num(a, sizeof a, is->step));
  if (is->kind == PL_ISSUE_INTEGER &&
      (fabs(is->min) > 2147483647.0 || fabs(is->max) > 2147483647.0))
    refuse(g,
           "integer issue '%s' runs from %s to %s; GENIUS integer bounds "
           "are 32-bit numbers",
           is->name, num(a, sizeof a, is->min), num(b, sizeof b, is->max));
  if (is->kind == PL_ISSUE_REAL && is->nvalues != GENIUS_REAL_VALUES)
    refuse(g,
           "real issue '%s' has %u values; GENIUS always enumerates a real "
           "issue as %d evenly spaced values (both ends included), so it "
           "would not read back the same: set its count to %d",
           is->name, is->nvalues, GENIUS_REAL_VALUES, GENIUS_REAL_VALUES);
}

static double largest(const double *v, uint32_t n) {
  double m = 0;
  for (uint32_t k = 0; k < n; k++)
    m = fmax(m, v[k]);
  return m;
}

/* A parley party: its value functions must mean the same under GENIUS's
 * reading. */
static void check_native(gx *g, const pl_actor *p) {
  char a[48];
  for (uint32_t i = 0; i < g->s->nissues; i++) {
    const pl_issue *is = &g->s->issues[i];
    const double *v = p->values[i];
    pl_genius_eval e;
    if (!v)
      continue;
    if (is->kind == PL_ISSUE_CATEGORICAL && p->weights[i] > 0 &&
        largest(v, is->nvalues) != 1)
      refuse(g,
             "party '%s', issue '%s': its best value is worth %s, but GENIUS "
             "divides every evaluation by the issue's largest, which would "
             "raise it to 1 and change the utilities; give the best value 1 "
             "(and scale the weight to keep the same utilities)",
             p->name, is->name, num(a, sizeof a, largest(v, is->nvalues)));
    if (is->kind != PL_ISSUE_CATEGORICAL &&
        fit_linear(is, v, &e) > FIT_TOLERANCE)
      refuse(g,
             "party '%s', issue '%s': GENIUS evaluates numeric issues with "
             "linear functions only, and this value function is not linear; "
             "make it linear or the issue categorical",
             p->name, is->name);
  }
}

static bool eval_fits(const pl_genius_eval *e, const pl_issue *is) {
  switch (e->kind) {
  case PL_EVAL_DISCRETE:
    return is->kind == PL_ISSUE_CATEGORICAL && e->raw;
  case PL_EVAL_INTEGER:
    return is->kind == PL_ISSUE_INTEGER;
  case PL_EVAL_REAL:
    return is->kind == PL_ISSUE_REAL;
  default:
    return true;
  }
}

/* A party read from GENIUS: its evaluators and boxes go back as read. */
static void check_imported(gx *g, const pl_actor *p) {
  const pl_scenario *s = g->s;
  bool weighted = false;
  for (uint32_t i = 0; i < s->nissues; i++) {
    weighted |= p->weights[i] > 0 && p->values[i];
    if (!eval_fits(&p->genius[i], &s->issues[i]))
      refuse(g,
             "party '%s', issue '%s': its GENIUS evaluator does not fit "
             "the issue's type",
             p->name, s->issues[i].name);
  }
  if (!p->nboxes)
    return;
  if (weighted)
    refuse(g,
           "party '%s' has both hyperRectangles and weighted issues; a "
           "GENIUS non-linear profile holds hyperRectangles only",
           p->name);
  if (!(p->box_scale > 0) || !isfinite(1 / p->box_scale))
    refuse(g, "party '%s': its hyperRectangles have no usable maxutility",
           p->name);
  for (uint32_t b = 0; b < p->nboxes; b++)
    for (uint32_t r = 0; r < p->boxes[b].nranges; r++)
      if (s->issues[p->boxes[b].issue[r]].kind != PL_ISSUE_INTEGER) {
        refuse(g,
               "party '%s': a hyperRectangle ranges over issue '%s', which "
               "is not integer; GENIUS ranges are over integer issues",
               p->name, s->issues[p->boxes[b].issue[r]].name);
        return;
      }
}

static bool genius_check(gx *g) {
  const pl_scenario *s = g->s;
  g->ok = pl_export_check_rules(s, "GENIUS", g->d);
  for (uint32_t i = 0; i < s->nissues; i++)
    check_issue(g, &s->issues[i]);
  for (uint32_t a = 0; a < s->nparties; a++) {
    const pl_actor *p = &s->actors[a];
    if (p->genius)
      check_imported(g, p);
    else
      check_native(g, p);
  }
  return g->ok;
}

/* ---- XML text ------------------------------------------------------------ */

/* An attribute value between double quotes. XML 1.0 allows no control
 * characters but tab, newline and carriage return; those three are written
 * as references so that attribute normalisation keeps them. */
static void xml_escaped(pl_text *t, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    char c[2] = {(char)*p, 0};
    switch (*p) {
    case '&':
      pl_text_put(t, "&amp;");
      break;
    case '<':
      pl_text_put(t, "&lt;");
      break;
    case '>':
      pl_text_put(t, "&gt;");
      break;
    case '"':
      pl_text_put(t, "&quot;");
      break;
    case '\t':
    case '\n':
    case '\r':
      pl_text_printf(t, "&#%d;", *p);
      break;
    default:
      pl_text_put(t, *p < 0x20 || *p == 0x7f ? "?" : c);
    }
  }
}

static void attr(pl_text *t, const char *name, const char *value) {
  pl_text_printf(t, " %s=\"", name);
  xml_escaped(t, value);
  pl_text_put(t, "\"");
}

static void attr_num(pl_text *t, const char *name, double x) {
  pl_text_printf(t, " %s=\"", name);
  pl_text_number(t, x);
  pl_text_put(t, "\"");
}

static const char *type_of(const pl_issue *is) {
  return is->kind == PL_ISSUE_CATEGORICAL ? "discrete"
         : is->kind == PL_ISSUE_INTEGER   ? "integer"
                                          : "real";
}

/* "<issue index=.. etype=.. type=.. vtype=.. name=.." without its end. */
static void issue_start(pl_text *t, const pl_issue *is, uint32_t i) {
  const char *type = type_of(is);
  pl_text_printf(t,
                 "<issue index=\"%u\" etype=\"%s\" type=\"%s\" "
                 "vtype=\"%s\"",
                 i + 1, type, type, type);
  attr(t, "name", is->name);
}

/* Items, with evaluations when `raw` is given. */
static void items(pl_text *t, const pl_issue *is, const double *raw) {
  for (uint32_t k = 0; k < is->nvalues; k++) {
    pl_text_printf(t, "<item index=\"%u\"", k + 1);
    attr(t, "value", is->labels[k]);
    if (raw)
      attr_num(t, "evaluation", raw[k]);
    pl_text_put(t, "/>\n");
  }
}

static void numeric_evaluator(pl_text *t, const pl_genius_eval *e) {
  pl_text_put(t, "<evaluator ftype=\"linear\"");
  if (e->kind == PL_EVAL_INTEGER) {
    attr_num(t, "slope", e->slope);
    attr_num(t, "offset", e->offset);
  } else {
    attr_num(t, "parameter0", e->offset);
    attr_num(t, "parameter1", e->slope);
  }
  pl_text_put(t, "/>\n");
}

/* The rest of a numeric <issue>: bounds as attributes (as GENIUS 10.4
 * writes integer issues), for real issues also as the <range> child that
 * GENIUS's real issues and evaluators read, then the evaluator if any. */
static void numeric_rest(pl_text *t, const pl_issue *is, double lo, double hi,
                         const pl_genius_eval *e) {
  bool real = is->kind == PL_ISSUE_REAL;
  bool evaluated = e && e->kind != PL_EVAL_NONE; /* none: it scores 0 */
  attr_num(t, "lowerbound", lo);
  attr_num(t, "upperbound", hi);
  if (!real && !evaluated) {
    pl_text_put(t, "/>\n");
    return;
  }
  pl_text_put(t, ">\n");
  if (real) {
    pl_text_put(t, "<range");
    attr_num(t, "lowerbound", lo);
    attr_num(t, "upperbound", hi);
    pl_text_put(t, "/>\n");
  }
  if (evaluated)
    numeric_evaluator(t, e);
  pl_text_put(t, "</issue>\n");
}

/* The issue as the domain (and a non-linear profile) lists it. */
static void plain_issue(pl_text *t, const pl_issue *is, uint32_t i) {
  issue_start(t, is, i);
  if (is->kind != PL_ISSUE_CATEGORICAL) {
    numeric_rest(t, is, is->min, is->max, NULL);
    return;
  }
  pl_text_put(t, ">\n");
  items(t, is, NULL);
  pl_text_put(t, "</issue>\n");
}

static void objective_start(pl_text *t, const pl_scenario *s) {
  pl_text_put(t, "<objective index=\"0\" etype=\"objective\" "
                 "type=\"objective\" description=\"\"");
  attr(t, "name", s->name && *s->name ? s->name : "root");
  pl_text_put(t, ">\n");
}

static void domain_xml(pl_text *t, const pl_scenario *s) {
  pl_text_printf(t,
                 "<negotiation_template>\n<utility_space "
                 "number_of_issues=\"%u\">\n",
                 s->nissues);
  objective_start(t, s);
  for (uint32_t i = 0; i < s->nissues; i++)
    plain_issue(t, &s->issues[i], i);
  pl_text_put(t, "</objective>\n</utility_space>\n</negotiation_template>\n");
}

/* ---- Profiles ------------------------------------------------------------ */

/* The evaluator to write for issue i: as imported, or made from the parley
 * value function. `zeros` stands in for a missing value table. */
static pl_genius_eval evaluator(const pl_scenario *s, const pl_actor *p,
                                uint32_t i, const double *zeros) {
  const pl_issue *is = &s->issues[i];
  pl_genius_eval e = {.lowerbound = is->min, .upperbound = is->max};
  if (p->genius)
    return p->genius[i];
  if (is->kind == PL_ISSUE_CATEGORICAL) {
    e.kind = PL_EVAL_DISCRETE;
    e.raw = p->values[i] ? p->values[i] : (double *)zeros;
  } else if (p->values[i]) {
    fit_linear(is, p->values[i], &e);
  }
  return e;
}

static void profile_issue(pl_text *t, const pl_scenario *s, const pl_actor *p,
                          uint32_t i, const double *zeros) {
  const pl_issue *is = &s->issues[i];
  pl_genius_eval e = evaluator(s, p, i, zeros);
  if (is->kind == PL_ISSUE_CATEGORICAL && e.kind == PL_EVAL_NONE)
    return; /* GENIUS left it out: it scores 0 */
  issue_start(t, is, i);
  if (is->kind != PL_ISSUE_CATEGORICAL) {
    numeric_rest(t, is, e.lowerbound, e.upperbound, &e);
    return;
  }
  pl_text_put(t, ">\n");
  items(t, is, e.raw);
  pl_text_put(t, "</issue>\n");
}

/* A maxutility m whose reciprocal is exactly the scale read from it. */
static double max_utility(double scale) {
  double m = 1.0 / scale;
  for (int k = 0; k < 8 && 1.0 / m != scale; k++)
    m = nextafter(m, 1.0 / m < scale ? 0 : INFINITY);
  return m;
}

static void box_xml(pl_text *t, const pl_scenario *s, const pl_box *b) {
  pl_text_put(t, "<hyperRectangle");
  attr_num(t, "utility", b->utility);
  pl_text_put(t, ">\n");
  for (uint32_t r = 0; r < b->nranges; r++) {
    const pl_issue *is = &s->issues[b->issue[r]];
    pl_text_printf(t, "<INCLUDES index=\"%u\"", b->issue[r] + 1);
    if (b->lo[r] > b->hi[r]) { /* empty: no value lies in 1..0 */
      pl_text_put(t, " min=\"1\" max=\"0\"/>\n");
      continue;
    }
    attr_num(t, "min", is->numbers[b->lo[r]]);
    attr_num(t, "max", is->numbers[b->hi[r]]);
    pl_text_put(t, "/>\n");
  }
  pl_text_put(t, "</hyperRectangle>\n");
}

static void boxes_xml(pl_text *t, const pl_scenario *s, const pl_actor *p) {
  pl_text_put(t, "<utility");
  attr_num(t, "maxutility", max_utility(p->box_scale));
  pl_text_put(t, ">\n<ufun type=\"PlainUfun\" weight=\"1\" "
                 "aggregation=\"sum\">\n");
  for (uint32_t b = 0; b < p->nboxes; b++)
    box_xml(t, s, &p->boxes[b]);
  pl_text_put(t, "</ufun>\n</utility>\n");
}

static void profile_xml(pl_text *t, const pl_scenario *s, const pl_actor *p,
                        const double *zeros) {
  pl_text_put(t, p->nboxes ? "<utility_space type=\"nonlinear\">\n"
                           : "<utility_space>\n");
  objective_start(t, s);
  for (uint32_t i = 0; i < s->nissues; i++) {
    if (p->nboxes)
      plain_issue(t, &s->issues[i], i);
    else
      profile_issue(t, s, p, i, zeros);
  }
  if (p->nboxes)
    boxes_xml(t, s, p);
  for (uint32_t i = 0; !p->nboxes && i < s->nissues; i++) {
    pl_text_printf(t, "<weight index=\"%u\"", i + 1);
    attr_num(t, "value", p->weights[i]);
    pl_text_put(t, "/>\n");
  }
  pl_text_put(t, "</objective>\n<discount_factor");
  attr_num(t, "value", p->discount);
  pl_text_put(t, "/>\n<reservation");
  attr_num(t, "value", p->threshold);
  pl_text_put(t, "/>\n</utility_space>\n");
}

static bool genius_build(const pl_scenario *s, pl_export *x,
                         const double *zeros) {
  char name[512];
  snprintf(name, sizeof name, "%s-domain",
           s->name && *s->name ? s->name : "scenario");
  pl_text *t = pl_export_add(x, name, ".xml");
  if (!t)
    return false;
  domain_xml(t, s);
  for (uint32_t a = 0; a < s->nparties; a++) {
    if (!(t = pl_export_add(x, s->actors[a].name, ".xml")))
      return false;
    profile_xml(t, s, &s->actors[a], zeros);
  }
  return true;
}

pl_status pl_scenario_write_genius(const pl_scenario *s, const char *dir,
                                   pl_diag *d) {
  gx g = {.s = s, .d = d, .src = pl_export_source(s)};
  if (!genius_check(&g))
    return PL_EINPUT;
  uint32_t most = 1;
  for (uint32_t i = 0; i < s->nissues; i++)
    most = s->issues[i].nvalues > most ? s->issues[i].nvalues : most;
  double *zeros = calloc(most, sizeof *zeros);
  pl_export x = {0};
  pl_status st = PL_ENOMEM;
  if (zeros && genius_build(s, &x, zeros))
    st = pl_export_commit(&x, dir, ".xml", d);
  else
    pl_diag_add(d, dir, 0, 0, "out of memory while building the files");
  pl_export_free(&x);
  free(zeros);
  return st;
}
