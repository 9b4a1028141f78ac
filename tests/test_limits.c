/* test_limits.c - the limits of docs/limits.md: each one refused with a
 * clear message (exit 2 from the command line), never a crash. */
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Loads `json` (which must fail) and expects a message containing `want`. */
static void refused(const char *json, const char *want) {
  pl_diag *d = load_fail(json);
  bool found = false;
  for (size_t i = 0; i < pl_diag_count(d); i++)
    found |= strstr(pl_diag_get(d, i).message, want) != NULL;
  cr_expect(found, "no message with \"%s\" (first: %s)", want,
            pl_diag_count(d) ? pl_diag_get(d, 0).message : "none");
  pl_diag_free(d);
}

/* A scenario with one integer issue x in [0, 3] and two parties; `rule`
 * (may be NULL) as a constraint. */
static char *with_rule(const char *rule) {
  size_t n = strlen(rule) + 1024;
  char *s = malloc(n);
  snprintf(s, n,
           "{\"parley\":1,\"name\":\"r\",\"issues\":[{\"name\":\"x\",\"type\":"
           "\"integer\",\"min\":0,\"max\":3}],\"constraints\":[\"%s\"],"
           "\"parties\":[{\"name\":\"A\",\"weights\":{\"x\":1},\"values\":{"
           "\"x\":{\"shape\":\"linear\",\"best\":\"max\"}}},{\"name\":\"B\","
           "\"weights\":{\"x\":1},\"values\":{\"x\":{\"shape\":\"linear\","
           "\"best\":\"min\"}}}]}",
           rule);
  return s;
}

Test(limits, nesting_depth) {
  /* jansson refuses JSON nested deeper than 2048 */
  size_t depth = 3000;
  char *s = malloc(2 * depth + 64), *w = s;
  w += sprintf(w, "{\"parley\":1,\"x\":");
  memset(w, '[', depth), w += depth;
  memset(w, ']', depth), w += depth;
  strcpy(w, "}");
  refused(s, "maximum parsing depth");
  free(s);
}

Test(limits, issues_parties_values) {
  char *s = malloc(1 << 16), *w = s;
  w += sprintf(w, "{\"parley\":1,\"name\":\"i\",\"issues\":[");
  for (int k = 0; k < 65; k++)
    w += sprintf(w,
                 "%s{\"name\":\"i%d\",\"type\":\"integer\",\"min\":0,"
                 "\"max\":1}",
                 k ? "," : "", k);
  sprintf(w, "],\"parties\":[]}");
  refused(s, "1 to 64 issues, not 65");
  w = s;
  w += sprintf(w, "{\"parley\":1,\"name\":\"p\",\"issues\":[{\"name\":\"x\","
                  "\"type\":\"integer\",\"min\":0,\"max\":1}],\"parties\":[");
  for (int k = 0; k < 65; k++)
    w += sprintf(w,
                 "%s{\"name\":\"P%d\",\"weights\":{\"x\":1},\"values\":{"
                 "\"x\":{\"shape\":\"linear\",\"best\":\"max\"}}}",
                 k ? "," : "", k);
  sprintf(w, "]}");
  refused(s, "2 to 64 parties, not 65");
  /* 0 .. 10^6 is 10^6 + 1 values, one above PL_MAX_VALUES */
  refused("{\"parley\":1,\"name\":\"v\",\"issues\":[{\"name\":\"x\",\"type\":"
          "\"integer\",\"min\":0,\"max\":1000000}],\"parties\":[]}",
          "at most 1000000 are supported");
  free(s);
}

Test(limits, rule_length_and_depth) {
  /* 4097 bytes: "x >= 0" padded with spaces */
  char rule[5000];
  memset(rule, ' ', 4097);
  memcpy(rule, "x >= 0", 6);
  rule[4097] = '\0';
  char *s = with_rule(rule);
  refused(s, "more than 4096 bytes");
  free(s);
  /* 65 nested parentheses */
  char deep[200] = "";
  for (int k = 0; k < 65; k++)
    strcat(deep, "(");
  strcat(deep, "x > 1");
  for (int k = 0; k < 65; k++)
    strcat(deep, ")");
  s = with_rule(deep);
  refused(s, "nested too deeply (more than 64 levels)");
  free(s);
}

/* GENIUS XML: a DTD (which could declare entities) is refused. */
Test(limits, xml_entities) {
  const char *path = "/tmp/parley-limits-entity.xml";
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("<!DOCTYPE x [<!ENTITY e \"xxxxxxxx\">]><negotiation_template/>", f);
  fclose(f);
  char args[512], *out, *err;
  snprintf(args, sizeof args, "validate %s %s %s", path, path, path);
  cr_expect_eq(run_cli(args, &out, &err), 2);
  cr_expect(strstr(err, "entities are never expanded"), "%s", err);
  free(out), free(err);
  remove(path);
}

/* How many messages contain `want`. */
static size_t messages_with(const pl_diag *d, const char *want) {
  size_t n = 0;
  for (size_t i = 0; i < pl_diag_count(d); i++)
    n += strstr(pl_diag_get(d, i).message, want) != NULL;
  return n;
}

/* docs/limits.md: problems of one kind in one list are listed one by one
 * up to PL_LISTED_MAX (10), then once with how many more. The issue has
 * 1000 options o0..o999 with o0..o29 given twice more (so 1060 entries,
 * 30 repeated); party A gives a value to o0 only (999 missing) plus 25
 * keys that are no option; party B gives every value. */
Test(limits, listed_problems_capped) {
  size_t cap = 1 << 20;
  char *s = malloc(cap), *w = s;
  w += sprintf(w, "{\"parley\":1,\"name\":\"many\",\"issues\":[{\"name\":"
                  "\"x\",\"type\":\"categorical\",\"options\":[");
  for (int k = 0; k < 1000; k++)
    w += sprintf(w, "%s\"o%d\"", k ? "," : "", k);
  w += sprintf(w, "]}],\"parties\":[{\"name\":\"A\",\"weights\":{\"x\":1},"
                  "\"values\":{\"x\":{\"o0\":1");
  for (int k = 0; k < 25; k++)
    w += sprintf(w, ",\"nope%d\":0.5", k);
  w += sprintf(w, "}}},{\"name\":\"B\",\"weights\":{\"x\":1},\"values\":{"
                  "\"x\":{");
  for (int k = 0; k < 1000; k++)
    w += sprintf(w, "%s\"o%d\":0.5", k ? "," : "", k);
  w += sprintf(w, "}}}]}");
  pl_diag *d = load_fail(s);
  /* 999 missing: 10 listed, then "and 989 more ... (999 in all)" */
  cr_expect_eq(messages_with(d, "party 'A': no value for option"), 10);
  cr_expect_eq(
      messages_with(d, "party 'A': and 989 more options of issue 'x' have "
                       "no value (999 in all)"),
      1);
  /* 25 unknown keys: 10 listed, then 15 more */
  cr_expect_eq(messages_with(d, "is not an option of issue 'x'"), 10);
  cr_expect_eq(messages_with(d, "and 15 more keys are not options of issue "
                                "'x' (25 in all)"),
               1);
  cr_expect_eq(messages_with(d, "party 'B'"), 0, "B gives every value");
  cr_expect_eq(pl_diag_count(d), 22, "%zu messages", pl_diag_count(d));
  pl_diag_free(d);

  /* 30 options listed twice: 10 listed, then 20 more */
  w = s;
  w += sprintf(w, "{\"parley\":1,\"name\":\"twice\",\"issues\":[{\"name\":"
                  "\"x\",\"type\":\"categorical\",\"options\":[");
  for (int k = 0; k < 1030; k++)
    w += sprintf(w, "%s\"o%d\"", k ? "," : "", k % 1000);
  w += sprintf(w, "]}],\"parties\":[{\"name\":\"A\",\"weights\":{\"x\":1},"
                  "\"values\":{\"x\":{\"shape\":\"linear\"}}},{\"name\":"
                  "\"B\",\"weights\":{\"x\":1},\"values\":{\"x\":{\"shape\":"
                  "\"linear\"}}}]}");
  d = load_fail(s);
  cr_expect_eq(messages_with(d, "is listed twice"), 10);
  cr_expect_eq(messages_with(d, "and 20 more options of issue 'x' are listed "
                                "twice (30 in all)"),
               1);
  pl_diag_free(d);
  free(s);
}
