/* test_limits.c - the limits of docs/limits.md: each one refused with a
 * clear message (exit 2 from the command line), never a crash. */
#define _POSIX_C_SOURCE 200809L /* getpid, truncate */
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes `text` to a file of this test process ("/tmp/parley-limits-PID"
 * with `suffix`), whose name it leaves in path and returns. */
static const char *temp_file(char path[128], const char *text,
                             const char *suffix) {
  snprintf(path, 128, "/tmp/parley-limits-%ld%s", (long)getpid(), suffix);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  cr_assert_eq(fclose(f), 0);
  return path;
}

/* `parley COMMAND PATH` must exit `code` with `want` in its messages. */
static void cli_refuses(const char *command, const char *path, int code,
                        const char *want) {
  char args[512], *out, *err;
  snprintf(args, sizeof args, "%s '%s'", command, path);
  cr_expect_eq(run_cli(args, &out, &err), code, "%s: exit code", args);
  cr_expect(strstr(err, want), "%s: no \"%s\" in: %.300s", args, want, err);
  free(out), free(err);
}

/* Loads `json` (which must fail) and expects a message containing `want`;
 * then `parley validate` on it as a file must exit 2 with that message. */
static void refused(const char *json, const char *want) {
  pl_diag *d = load_fail(json);
  bool found = false;
  for (size_t i = 0; i < pl_diag_count(d); i++)
    found |= strstr(pl_diag_get(d, i).message, want) != NULL;
  cr_expect(found, "no message with \"%s\" (first: %s)", want,
            pl_diag_count(d) ? pl_diag_get(d, 0).message : "none");
  pl_diag_free(d);
  char path[128];
  temp_file(path, json, ".json");
  cli_refuses("validate", path, 2, want);
  remove(path);
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
  /* a number of 65 digits */
  char number[128] = "x < ";
  memset(number + 4, '1', 65);
  number[69] = '\0';
  s = with_rule(number);
  refused(s, "number is too long (more than 64 characters)");
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

/* docs/limits.md: a ratifier more than PL_MAX_RATIFIERS (64) is refused. */
Test(limits, ratifiers) {
  char *s = malloc(1 << 16), *w = s;
  w += sprintf(w, "{\"parley\":1,\"name\":\"r\",\"issues\":[{\"name\":\"x\","
                  "\"type\":\"integer\",\"min\":0,\"max\":1}],\"parties\":[");
  for (int k = 0; k < 2; k++)
    w += sprintf(w,
                 "%s{\"name\":\"P%d\",\"weights\":{\"x\":1},\"values\":{"
                 "\"x\":{\"shape\":\"linear\",\"best\":\"max\"}}}",
                 k ? "," : "", k);
  w += sprintf(w, "],\"ratifiers\":[");
  for (int k = 0; k < 65; k++)
    w += sprintf(w,
                 "%s{\"name\":\"R%d\",\"party\":\"P0\",\"threshold\":0.5,"
                 "\"weights\":{\"x\":1},\"values\":{\"x\":{\"shape\":"
                 "\"linear\",\"best\":\"max\"}}}",
                 k ? "," : "", k);
  sprintf(w, "]}");
  refused(s, "at most 64 ratifiers are supported");
  free(s);
}

/* A file of `bytes` bytes that starts with `head`: the rest is NULs (a
 * sparse file) or, when `spaces`, written out as spaces (for a reader that
 * parses up to its limit). */
static void big_file(char path[128], const char *suffix, size_t bytes,
                     const char *head, bool spaces) {
  temp_file(path, head, suffix);
  if (!spaces) {
    cr_assert_eq(truncate(path, (off_t)bytes), 0);
    return;
  }
  FILE *f = fopen(path, "a");
  cr_assert_not_null(f);
  size_t chunk = 1 << 16;
  char *buf = malloc(chunk);
  cr_assert_not_null(buf);
  memset(buf, ' ', chunk);
  for (size_t n = strlen(head); n < bytes; n += chunk)
    cr_assert_eq(fwrite(buf, 1, chunk, f), chunk);
  free(buf);
  cr_assert_eq(fclose(f), 0);
}

/* docs/limits.md: a parley JSON file over 256 MiB is refused before it is
 * parsed (from its size), by each reader (scenario, conflict, tournament),
 * and from standard input when 256 MiB have been read; exit 2. A GENIUS
 * XML file over 64 MiB too. The JSON file is "{" and then sparse (its NULs
 * would make it invalid JSON, but the size is checked first); the XML file
 * is an element followed by 65 MiB of spaces, which expat parses up to the
 * limit. */
Test(limits, file_sizes, .timeout = 120) {
  char path[128];
  big_file(path, ".json", (256u << 20) + 4096, "{", false);
  cli_refuses("validate", path, 2, "file is larger than 256 MiB");
  cli_refuses("stability", path, 2, "file is larger than 256 MiB");
  cli_refuses("tournament", path, 2, "file is larger than 256 MiB");
  /* The same file through a pipe (no size known before reading): the read
   * stops at the limit. */
  char *out, *err;
  cr_expect_eq(run_cli_input("validate -", path, &out, &err), 2);
  cr_expect(strstr(err, "file is larger than 256 MiB"), "%.300s", err);
  free(out), free(err);
  remove(path);
  big_file(path, ".xml", 65u << 20, "<negotiation_template>", true);
  char three[600];
  snprintf(three, sizeof three, "%s' '%s' '%s", path, path, path);
  cli_refuses("validate", three, 2, "file is larger than 64 MiB");
  remove(path);
}

/* docs/limits.md, conflicts: 2 to 32 decision makers, 63 options, and a
 * hand-made ranking over at most 2^20 feasible states; above each,
 * `parley stability` exits 2 naming the limit. */
Test(limits, conflict) {
  char *s = malloc(1 << 16), *w = s;
  w += sprintf(w, "{\"decision_makers\":[");
  for (int k = 0; k < 33; k++)
    w += sprintf(w,
                 "%s{\"name\":\"D%d\",\"options\":[\"o%d\"],"
                 "\"preferences\":[\"o%d\"]}",
                 k ? "," : "", k, k, k);
  sprintf(w, "]}");
  char path[128];
  temp_file(path, s, ".json");
  cli_refuses("stability", path, 2, "2 to 32 decision makers, not 33");
  /* 40 + 24 = 64 options */
  w = s;
  w += sprintf(w, "{\"decision_makers\":[");
  for (int dm = 0; dm < 2; dm++) {
    w += sprintf(w, "%s{\"name\":\"D%d\",\"preferences\":[],\"options\":[",
                 dm ? "," : "", dm);
    for (int k = 0; k < (dm ? 24 : 40); k++)
      w += sprintf(w, "%s\"o%d_%d\"", k ? "," : "", dm, k);
    w += sprintf(w, "]}");
  }
  sprintf(w, "]}");
  temp_file(path, s, ".json");
  cli_refuses("stability", path, 2, "at most 63");
  /* 11 + 10 options, nothing infeasible: 2^21 states, and D1 ranks them */
  w = s;
  w += sprintf(w, "{\"decision_makers\":[");
  for (int dm = 0; dm < 2; dm++) {
    w += sprintf(w, "%s{\"name\":\"D%d\",%s\"options\":[", dm ? "," : "", dm,
                 dm ? "\"ranking\":[1]," : "\"preferences\":[],");
    for (int k = 0; k < (dm ? 10 : 11); k++)
      w += sprintf(w, "%s\"o%d_%d\"", k ? "," : "", dm, k);
    w += sprintf(w, "]}");
  }
  sprintf(w, "]}");
  temp_file(path, s, ".json");
  cli_refuses("stability", path, 2,
              "explicit rankings need at most 1048576 feasible states");
  remove(path);
  free(s);
}

/* docs/limits.md: 2^63 outcomes or more (63 issues of 2 values here) are
 * refused by `analyze` with exit 1 (too large), not 2: the file is valid. */
Test(limits, outcomes_exit_1) {
  char *out, *err;
  char path[128];
  snprintf(path, sizeof path, "/tmp/parley-limits-%ld-63.json", (long)getpid());
  char args[256];
  snprintf(args, sizeof args,
           "generate --parties 2 --issues 63 --values 2 --output '%s'", path);
  cr_assert_eq(run_cli(args, &out, &err), 0, "%s", err);
  free(out), free(err);
  cli_refuses("validate", path, 0, "");
  cli_refuses("analyze", path, 1, "2^63");
  remove(path);
}
