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
