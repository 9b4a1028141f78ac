/* fuzz_struct.c - structure-aware: the fuzzer's bytes choose a scenario
 * (issues of the three kinds, option names, parties, weights, values,
 * reservations, rules, ratifiers), written as parley JSON, so that nearly
 * every input loads and reaches analysis and negotiation, not just the
 * parser.
 *
 * The differential property: a scenario GENIUS can hold (the GENIUS writer
 * accepts it: no constraints, red lines or ratifiers, values it can
 * express) is written as GENIUS files and read back; every party's utility
 * of every outcome, and the size of the agreement zone, must be the same
 * within 1e-9 (docs/formats.md: "reproduces the values up to rounding, at
 * most 1e-12"). A difference aborts, which the fuzzer reports as a crash. */
#define _XOPEN_SOURCE 700
#include "fuzz.h"
#include "io/scenario_io.h"
#include "model/scenario.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct bytes {
  const uint8_t *p;
  size_t n;
} bytes;

/* The next choice in [0, mod); 0 once the input runs out. */
static unsigned take(bytes *b, unsigned mod) {
  if (!b->n)
    return 0;
  b->n--;
  return *b->p++ % mod;
}

typedef struct out {
  char *s;
  size_t len, cap;
} out;

static void put(out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void put(out *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(o->s + o->len, o->cap - o->len, fmt, ap);
  va_end(ap);
  if (n > 0 && o->len + (size_t)n < o->cap)
    o->len += (size_t)n;
  else
    o->len = o->cap; /* full: the scenario is cut and will not load */
}

/* Option names as JSON writes them (escaped); rules, which are JSON strings
 * too, use them the same way. */
static const char *const LABELS[] = {"no",
                                     "yes",
                                     "two words",
                                     "\\u00e9t\\u00e9",
                                     "x-1",
                                     "0",
                                     "o\\\"q",
                                     "",
                                     "long option name, with a comma"};
enum { NLABELS = sizeof LABELS / sizeof LABELS[0] };

typedef struct issue {
  int kind; /* 0 categorical, 1 integer, 2 real */
  unsigned n, label[6];
  int lo, step;
} issue;

typedef struct gen {
  bytes b;
  out o;
  unsigned nissues;
  issue is[4];
  bool rules; /* constraints, red lines or ratifiers written */
} gen;

static void gen_issues(gen *g) {
  g->nissues = 1 + take(&g->b, 4);
  put(&g->o, "\"issues\":[");
  for (unsigned i = 0; i < g->nissues; i++) {
    issue *is = &g->is[i];
    is->kind = (int)take(&g->b, 3);
    put(&g->o, "%s{\"name\":\"i%u\",", i ? "," : "", i);
    if (is->kind == 0) {
      is->n = 1 + take(&g->b, 5);
      put(&g->o, "\"type\":\"categorical\",\"options\":[");
      unsigned first = take(&g->b, NLABELS);
      for (unsigned k = 0; k < is->n; k++) {
        /* distinct labels, unless the input asks for a repeat */
        is->label[k] = take(&g->b, 16) == 0 ? first : (first + k) % NLABELS;
        put(&g->o, "%s\"%s\"", k ? "," : "", LABELS[is->label[k]]);
      }
      put(&g->o, "]}");
    } else if (is->kind == 1) {
      is->lo = (int)take(&g->b, 7) - 3;
      is->step = 1 + (int)take(&g->b, 3);
      is->n = 1 + take(&g->b, 6);
      put(&g->o, "\"type\":\"integer\",\"min\":%d,\"max\":%d,\"step\":%d}",
          is->lo, is->lo + is->step * (int)(is->n - 1), is->step);
    } else {
      is->n = take(&g->b, 4) ? 2 + take(&g->b, 4) : 21;
      put(&g->o, "\"type\":\"real\",\"min\":0,\"max\":%u,\"count\":%u}",
          1 + take(&g->b, 3), is->n);
    }
  }
  put(&g->o, "]");
}

/* A value of issue i as a rule writes it. */
static void rule_value(gen *g, const issue *is) {
  if (is->kind == 0)
    put(&g->o, "'%s'", LABELS[is->label[take(&g->b, is->n)]]);
  else if (is->kind == 1)
    put(&g->o, "%d", is->lo + is->step * (int)take(&g->b, is->n));
  else
    put(&g->o, "%g", take(&g->b, 9) / 4.0);
}

static void rule(gen *g, int depth) {
  static const char *const CMP[] = {"==", "!=", "<", "<=", ">", ">="};
  static const char *const JOIN[] = {" and ", " or ", " implies ", " AND "};
  unsigned pick = depth > 2 ? 0 : take(&g->b, 5);
  unsigned i = take(&g->b, g->nissues);
  switch (pick) {
  case 0:
  case 1:
    put(&g->o, "i%u %s ", i, CMP[take(&g->b, 6)]);
    rule_value(g, &g->is[i]);
    break;
  case 2:
    put(&g->o, "i%u %s i%u", i, CMP[take(&g->b, 6)], take(&g->b, g->nissues));
    break;
  case 3:
    put(&g->o, "not (");
    rule(g, depth + 1);
    put(&g->o, ")");
    break;
  default:
    put(&g->o, "(");
    rule(g, depth + 1);
    put(&g->o, "%s", JOIN[take(&g->b, 4)]);
    rule(g, depth + 1);
    put(&g->o, ")");
  }
}

static void gen_values(gen *g) {
  double w[4], sum = 0;
  for (unsigned i = 0; i < g->nissues; i++)
    sum += w[i] = 1 + take(&g->b, 9);
  put(&g->o, "\"weights\":{");
  for (unsigned i = 0; i < g->nissues; i++)
    put(&g->o, "%s\"i%u\":%.17g", i ? "," : "", i, w[i] / sum);
  put(&g->o, "},\"values\":{");
  for (unsigned i = 0; i < g->nissues; i++) {
    const issue *is = &g->is[i];
    put(&g->o, "%s\"i%u\":", i ? "," : "", i);
    if (is->kind == 0) {
      put(&g->o, "{");
      unsigned best = take(&g->b, is->n);
      for (unsigned k = 0; k < is->n; k++)
        put(&g->o, "%s\"%s\":%g", k ? "," : "", LABELS[is->label[k]],
            k == best ? 1.0 : take(&g->b, 11) / 10.0);
      put(&g->o, "}");
    } else {
      unsigned shape = take(&g->b, 4);
      if (shape < 2)
        put(&g->o, "{\"shape\":\"linear\",\"best\":\"%s\"}",
            shape ? "min" : "max");
      else if (shape == 2)
        put(&g->o, "{\"shape\":\"peaked\",\"peak\":%d}",
            is->kind == 1 ? is->lo : 0);
      else
        put(&g->o, "{\"shape\":\"table\",\"points\":[[%d,%g],[%d,1]]}",
            is->kind == 1 ? is->lo : 0, take(&g->b, 11) / 10.0,
            is->kind == 1 ? is->lo + 1 : 1);
    }
  }
  put(&g->o, "}");
}

static char *generate(const uint8_t *data, size_t size) {
  gen g = {.b = {data, size}};
  g.o.cap = 1 << 16;
  g.o.s = malloc(g.o.cap);
  if (!g.o.s)
    return NULL;
  put(&g.o, "{\"parley\":1,\"name\":\"fuzz\",");
  gen_issues(&g);
  unsigned flags = take(&g.b, 16);
  if (flags & 1) {
    put(&g.o, ",\"constraints\":[\"");
    rule(&g, 0);
    put(&g.o, "\"]");
  }
  unsigned nparties = 2 + take(&g.b, 2);
  put(&g.o, ",\"parties\":[");
  for (unsigned p = 0; p < nparties; p++) {
    put(&g.o, "%s{\"name\":\"P%u\",\"reservation\":%g,", p ? "," : "", p,
        take(&g.b, 8) / 10.0);
    if (flags & 2 && p == 0) {
      put(&g.o, "\"red_lines\":[\"");
      rule(&g, 0);
      put(&g.o, "\"],");
    }
    gen_values(&g);
    put(&g.o, "}");
  }
  put(&g.o, "]");
  if (flags & 4) {
    put(&g.o,
        ",\"ratifiers\":[{\"name\":\"R\",\"party\":\"P0\","
        "\"threshold\":%g,",
        take(&g.b, 10) / 10.0);
    gen_values(&g);
    put(&g.o, "}]");
  }
  put(&g.o, "}");
  if (g.o.len >= g.o.cap) {
    free(g.o.s);
    return NULL;
  }
  return g.o.s;
}

/* ---- The GENIUS round trip ----------------------------------------------- */

static uint64_t zone(const pl_scenario *s) {
  pl_diag *d = pl_diag_new();
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = 1;
  pl_status st;
  pl_analysis *a = pl_analyze(s, &o, d, &st);
  uint64_t z = a ? pl_analysis_zone_size(a) : UINT64_MAX;
  pl_analysis_free(a);
  pl_diag_free(d);
  return z;
}

static void differ(const char *what) {
  fprintf(stderr, "fuzz_struct: the GENIUS round trip changed %s\n", what);
  abort();
}

static void round_trip(const pl_scenario *s, uint64_t space) {
  static unsigned serial;
  char dir[256];
  const char *probe = fuzz_write(7, "probe", "");
  snprintf(dir, sizeof dir, "%.*s/genius-%u",
           (int)(strrchr(probe, '/') - probe), probe, serial++);
  pl_diag *d = pl_diag_new();
  if (pl_scenario_write_genius(s, dir, d) != PL_OK) {
    pl_diag_free(d); /* a scenario GENIUS cannot hold: refused, fine */
    return;
  }
  const char *paths[] = {dir};
  pl_scenario *t = pl_genius_load(paths, 1, PL_READING_GENIUS, d);
  if (!t) {
    pl_diag_print(d, stderr);
    differ("a loadable scenario into one that does not load");
  }
  if (t->nissues != s->nissues || t->nparties != s->nparties)
    differ("the number of issues or parties");
  uint32_t map[PL_MAX_PARTIES]; /* party of s -> party of t, by name */
  for (uint32_t p = 0; p < s->nparties; p++) {
    int32_t q = pl_find_actor(t, s->actors[p].name);
    if (q < 0)
      differ("a party's name");
    map[p] = (uint32_t)q;
  }
  bool near_threshold = false;
  uint32_t v[4];
  for (uint64_t k = 0; k < space; k++) {
    pl_index_to_values(s, k, v);
    for (uint32_t p = 0; p < s->nparties; p++) {
      double a = pl_actor_utility(s, p, v), b = pl_actor_utility(t, map[p], v);
      if (fabs(a - b) > 1e-9)
        differ("a utility");
      near_threshold |= fabs(a - s->actors[p].threshold) <= 1e-9;
    }
  }
  /* the zone compares utilities with reservations: equal unless some
   * utility sits within rounding of one */
  if (!near_threshold && zone(s) != zone(t))
    differ("the size of the agreement zone");
  pl_scenario_free(t);
  pl_diag_free(d);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *json = generate(data, size);
  if (!json)
    return 0;
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load_string(json, "struct.json", d);
  if (s) {
    uint64_t space = 1;
    for (uint32_t i = 0; i < s->nissues; i++)
      space *= s->issues[i].nvalues;
    fuzz_exercise(s, 4096, 20);
    if (space <= 4096)
      round_trip(s, space);
  }
  pl_scenario_free(s);
  pl_diag_free(d);
  free(json);
  return 0;
}
