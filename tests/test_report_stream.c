/* The analysis JSON's `pareto` array is streamed (src/io/report_pareto.c)
 * and its computed numbers formatted without printf where that is exact
 * (pl_json_computed_text): both must give the bytes of the tree writer
 * (pl_json_write of pl_analysis_to_json, pl_json_computed), which stays
 * the reference. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>

#include "io/report.h"
#include "parley.h"
#include "util/fmt.h"
#include "util/json_write.h"
#include "util/rng.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tree writer's text of pl_json_computed(x). */
static void tree_text(double x, char *out, size_t n) {
  json_t *v = pl_json_computed(x);
  char *text = pl_json_write_string(v);
  cr_assert_not_null(text);
  snprintf(out, n, "%s", text);
  free(text);
  json_decref(v);
}

static int mismatches;

static void same_text(double x) {
  char want[64], got[PL_JSON_NUMBER_MAX];
  tree_text(x, want, sizeof want);
  size_t n = pl_json_computed_text(got, x);
  cr_expect_eq(n, strlen(got));
  if (strcmp(want, got) != 0 && mismatches++ < 10)
    cr_expect_str_eq(got, want, "x = %.17g", x);
}

/* Numbers a utility or a slack takes, and those where one rounding could
 * go wrong: 12-digit midpoints (a 13th digit 5, exactly or within an
 * ulp), powers of ten and their neighbours, the fast path's edges
 * (1e-4, 10^11) and beyond, signs, zeros, non-finite values. */
Test(numbers, computed_text_is_the_tree_writers) {
  const double fixed[] = {0,         -0.0,           1,
                          0.1,       0.46,           0.98755,
                          0.11875,   1.0 / 3,        2.0 / 3,
                          0.5,       1e-4,           9.99e-5,
                          1e-5,      1e11,           99999999999.5,
                          1e12,      1e15,           1e20,
                          -0.0155,   -1e-7,          1234567.890625,
                          0.1 + 0.2, DBL_MIN,        5e-324,
                          DBL_MAX,   INFINITY,       -INFINITY,
                          NAN,       123456789012.5, 0.000123456789012345};
  for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++)
    same_text(fixed[k]);
  for (int e = -6; e <= 13; e++) {
    double p = pow(10, e);
    same_text(p);
    same_text(nextafter(p, 0));
    same_text(nextafter(p, INFINITY));
    same_text(-p);
  }
  pl_rng r;
  pl_rng_seed(&r, 13);
  for (int k = 0; k < 200000; k++) {
    double u = pl_rng_uniform(&r);
    same_text(u);                             /* a utility */
    same_text(u * pow(10, (k % 19) - 6));     /* any magnitude */
    same_text(floor(u * 1e6) / 64.0 + 1e-14); /* near dyadic ties */
  }
  /* Decimal midpoints between two 12-digit numbers, and their neighbours:
   * the cases a single rounded multiplication could round the wrong way,
   * which must go by printf. */
  for (int k = 0; k < 20000; k++) {
    char text[64];
    double u = pl_rng_uniform(&r);
    snprintf(text, sizeof text, "%.11f5e%d", 1 + 8 * u, (k % 16) - 5);
    double x = strtod(text, NULL);
    same_text(x);
    same_text(nextafter(x, 0));
    same_text(nextafter(x, INFINITY));
  }
  cr_expect_eq(mismatches, 0);
}

/* ---- The tree writer's own fast paths, against printf -------------------
 *
 * pl_json_computed rounds without printf and strtod where it can, and the
 * tree writer spells a real without them when it is the double nearest a
 * decimal of 12 digits or fewer (issue 13, item 7). The references are the
 * printf ways: pl_round_computed, and pl_fmt_number in jansson's spelling
 * (".0" on an integral real; no '+' or leading zeros in the exponent). */
static void printf_real_text(double x, char *out, size_t n) {
  char text[64];
  pl_fmt_number(text, sizeof text, x);
  char *e = strchr(text, 'e');
  if (!e && !strchr(text, '.'))
    strcat(text, ".0");
  if (e) {
    char *d = e + 1;
    if (*d == '+')
      memmove(d, d + 1, strlen(d));
    if (*d == '-')
      d++;
    while (d[0] == '0' && d[1])
      memmove(d, d + 1, strlen(d));
  }
  snprintf(out, n, "%s", text);
}

static int slow_mismatches;

static void writer_is_printfs(double x) {
  if (!isfinite(x))
    return;
  json_t *v = pl_json_computed(x);
  double want = pl_round_computed(x), got = json_real_value(v);
  json_decref(v);
  if (memcmp(&want, &got, sizeof got) != 0 && slow_mismatches++ < 10)
    cr_expect(false, "pl_json_computed(%.17g) = %.17g, printf's %.17g", x, got,
              want);
  char ref[64];
  const double both[2] = {x, want}; /* any real, and a computed one */
  for (int k = 0; k < 2; k++) {
    json_t *r = json_real(both[k]);
    char *text = pl_json_write_string(r);
    json_decref(r);
    printf_real_text(both[k], ref, sizeof ref);
    cr_assert_not_null(text);
    if (strcmp(text, ref) != 0 && slow_mismatches++ < 10)
      cr_expect_str_eq(text, ref, "x = %.17g", both[k]);
    free(text);
  }
}

Test(numbers, tree_writer_fast_paths_are_printfs) {
  const double fixed[] = {0,
                          -0.0,
                          1,
                          0.1,
                          0.46,
                          0.5,
                          1e-4,
                          9.99e-5,
                          1e-5,
                          1e11,
                          1e12,
                          1e15,
                          1e20,
                          -0.0155,
                          -1e-7,
                          0.1 + 0.2,
                          DBL_MIN,
                          5e-324,
                          DBL_MAX,
                          99999999999.5,
                          123456789012.5,
                          0.000123456789012345,
                          1.0 / 3};
  for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++)
    writer_is_printfs(fixed[k]);
  for (int e = -6; e <= 13; e++) {
    double p = pow(10, e);
    writer_is_printfs(p);
    writer_is_printfs(nextafter(p, 0));
    writer_is_printfs(nextafter(p, INFINITY));
    writer_is_printfs(-p);
  }
  pl_rng r;
  pl_rng_seed(&r, 7);
  for (int k = 0; k < 100000; k++) {
    double u = pl_rng_uniform(&r);
    writer_is_printfs(u);                         /* 16-17 digits */
    writer_is_printfs(u * pow(10, (k % 19) - 6)); /* any magnitude */
    char text[32]; /* a decimal of 1 to 15 digits, as an input holds */
    snprintf(text, sizeof text, "%.*g", 1 + k % 15, u * pow(10, k % 9 - 3));
    writer_is_printfs(strtod(text, NULL));
  }
  /* 12-digit midpoints and their neighbours: printf's side of the line */
  for (int k = 0; k < 20000; k++) {
    char text[64];
    snprintf(text, sizeof text, "%.11f5e%d", 1 + 8 * pl_rng_uniform(&r),
             (k % 16) - 5);
    double x = strtod(text, NULL);
    writer_is_printfs(x);
    writer_is_printfs(nextafter(x, 0));
    writer_is_printfs(nextafter(x, INFINITY));
  }
  cr_expect_eq(slow_mismatches, 0);
}

/* The writer's buffer: a document of many blocks, a string longer than the
 * buffer with escapes on both sides of its edges, nesting deeper than its
 * run of spaces and integers at both ends of the range are json_dumps's
 * text (no reals, which jansson spells otherwise). */
Test(json, buffered_writer_is_json_dumps) {
  size_t n = 20000;
  char *s = malloc(n + 1);
  cr_assert_not_null(s);
  for (size_t k = 0; k < n; k++)
    s[k] = "ab\"c\\\n\x01\xc3\xa9 xyz"[k % 13];
  s[n] = 0;
  json_t *doc = json_object();
  json_object_set_new(doc, "long", json_stringn(s, n));
  json_t *deep = json_array();
  json_object_set_new(doc, "deep", deep);
  for (int d = 0; d < 40; d++) {
    json_t *inner = json_array();
    json_array_append_new(deep, json_integer(d));
    json_array_append_new(deep, inner);
    deep = inner;
  }
  json_t *ints = json_array();
  const json_int_t is[] = {0, -1, 7, INT64_MAX, INT64_MIN, 1000000007};
  for (size_t k = 0; k < sizeof is / sizeof *is; k++)
    json_array_append_new(ints, json_integer(is[k]));
  json_object_set_new(doc, "ints", ints);
  json_t *many = json_array();
  for (int k = 0; k < 3000; k++)
    json_array_append_new(many, json_string("x"));
  json_object_set_new(doc, "many", many);
  char *ours = pl_json_write_string(doc);
  char *theirs = json_dumps(doc, JSON_INDENT(2));
  cr_assert_not_null(ours);
  cr_expect_eq(strlen(ours), strlen(theirs));
  cr_expect(strcmp(ours, theirs) == 0, "the texts differ");
  free(ours);
  free(theirs);
  free(s);
  json_decref(doc);
}

/* Three parties over five issues of five values (3,125 outcomes). Every
 * term is a multiple of 1/32, so every sum is exact: "down" gets 1 minus
 * "up" exactly and "same as up" equals "up", and no outcome dominates
 * another: the frontier is every outcome, with heavy ties. Names and
 * labels need escapes; integer (negative too), real and categorical
 * issues. */
static const char *SCENARIO =
    "{\"parley\": 1, \"name\": \"stream\", \"issues\": [{\"name\": \"price "
    "\\\"net\\\"\", \"type\": \"integer\", \"min\": 0, \"max\": 4, \"step\": "
    "1}, {\"name\": \"tab\\tname\", \"type\": \"real\", \"min\": 0, \"max\": "
    "1, \"count\": 5}, {\"name\": \"caf\\u00e9\", \"type\": \"categorical\", "
    "\"options\": [\"a\", \"b \\\"q\\\"\", \"c\\\\d\", \"\\u00e9\", "
    "\"x\\ny\"]}, "
    "{\"name\": \"i4\", \"type\": \"integer\", \"min\": -3, \"max\": 1, "
    "\"step\": 1}, {\"name\": \"i5\", \"type\": \"integer\", \"min\": 10, "
    "\"max\": 14, \"step\": 1}], \"parties\": [{\"name\": \"up\", "
    "\"reservation\": "
    "0, \"weights\": {\"price \\\"net\\\"\": 0.25, \"tab\\tname\": 0.25, "
    "\"caf\\u00e9\": 0.25, \"i4\": 0.125, \"i5\": 0.125}, \"values\": {\"price "
    "\\\"net\\\"\": {\"shape\": \"linear\", \"best\": \"max\"}, "
    "\"tab\\tname\": "
    "{\"shape\": \"linear\", \"best\": \"max\"}, \"caf\\u00e9\": {\"a\": "
    "0, \"b \\\"q\\\"\": 0.25, \"c\\\\d\": 0.5, \"\\u00e9\": 0.75, \"x\\ny\": "
    "1}, \"i4\": {\"shape\": \"linear\", \"best\": \"max\"}, \"i5\": "
    "{\"shape\": "
    "\"linear\", \"best\": \"max\"}}}, {\"name\": \"down\", \"reservation\": "
    "0, \"weights\": {\"price \\\"net\\\"\": 0.25, \"tab\\tname\": 0.25, "
    "\"caf\\u00e9\": 0.25, \"i4\": 0.125, \"i5\": 0.125}, \"values\": {\"price "
    "\\\"net\\\"\": {\"shape\": \"linear\", \"best\": \"min\"}, "
    "\"tab\\tname\": "
    "{\"shape\": \"linear\", \"best\": \"min\"}, \"caf\\u00e9\": {\"a\": "
    "1, \"b \\\"q\\\"\": 0.75, \"c\\\\d\": 0.5, \"\\u00e9\": 0.25, \"x\\ny\": "
    "0}, \"i4\": {\"shape\": \"linear\", \"best\": \"min\"}, \"i5\": "
    "{\"shape\": "
    "\"linear\", \"best\": \"min\"}}}, {\"name\": \"same as up\", "
    "\"reservation\": "
    "0, \"weights\": {\"price \\\"net\\\"\": 0.25, \"tab\\tname\": 0.25, "
    "\"caf\\u00e9\": 0.25, \"i4\": 0.125, \"i5\": 0.125}, \"values\": {\"price "
    "\\\"net\\\"\": {\"shape\": \"linear\", \"best\": \"max\"}, "
    "\"tab\\tname\": "
    "{\"shape\": \"linear\", \"best\": \"max\"}, \"caf\\u00e9\": {\"a\": "
    "0, \"b \\\"q\\\"\": 0.25, \"c\\\\d\": 0.5, \"\\u00e9\": 0.75, \"x\\ny\": "
    "1}, \"i4\": {\"shape\": \"linear\", \"best\": \"max\"}, \"i5\": "
    "{\"shape\": "
    "\"linear\", \"best\": \"max\"}}}]}";

static char *written(const pl_analysis *a, bool streamed) {
  char *mem = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&mem, &n);
  cr_assert_not_null(f);
  if (streamed) {
    cr_assert_eq(pl_analysis_write_json(a, f), PL_OK);
  } else {
    json_t *doc = pl_analysis_to_json(a);
    cr_assert_eq(pl_json_write(doc, f), 0);
    fputc('\n', f);
    json_decref(doc);
  }
  fclose(f);
  return mem;
}

static void compare_streamed_with_tree(bool frontier_all, bool no_frontier) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load_string(SCENARIO, "stream.json", d);
  if (!s)
    pl_diag_print(d, stderr);
  cr_assert_not_null(s);
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = 1;
  o.frontier_all = frontier_all;
  o.no_frontier = no_frontier;
  pl_status st;
  pl_analysis *a = pl_analyze(s, &o, d, &st);
  cr_assert_not_null(a);
  if (!no_frontier) {
    cr_expect_eq(pl_analysis_frontier_size(a), 3125, "%zu",
                 pl_analysis_frontier_size(a));
    cr_expect_lt(a->front_distinct, a->nfront);
  }
  char *tree = written(a, false), *stream = written(a, true);
  /* the run's seconds are read once, at the end of pl_analyze: both
   * documents hold the same */
  cr_expect_eq(strlen(stream), strlen(tree));
  cr_expect(strcmp(stream, tree) == 0, "the streamed document differs");
  if (!no_frontier) {
    cr_expect_not_null(strstr(stream, "\"price \\\"net\\\"\": "));
    cr_expect_not_null(strstr(stream, "\"caf\xc3\xa9\": \"x\\ny\""));
    cr_expect_not_null(strstr(stream, "\"tab\\tname\": 0.25,"));
  }
  free(tree);
  free(stream);
  pl_analysis_free(a);
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(pareto, streamed_document_is_the_tree_writers) {
  compare_streamed_with_tree(false, false);
  compare_streamed_with_tree(true, false);
  compare_streamed_with_tree(false, true);
}
