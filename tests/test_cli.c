/* test_cli.c - the `parley` program end to end: commands, options, exit
 * codes (0 ok, 1 refused, 2 bad input or usage, 4 output not written),
 * messages on stderr, and atomic --output. */
#define _POSIX_C_SOURCE 200809L
#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Helpers ------------------------------------------------------------- */

typedef cli_result run;

/* A fresh empty directory under /tmp; remove_dir() frees it. */
static char *make_dir(void) {
  char tmpl[] = "/tmp/parley-cli-XXXXXX";
  cr_assert_not_null(mkdtemp(tmpl));
  return strdup(tmpl);
}

/* Number of entries in `dir` other than . and .. */
static int dir_entries(const char *dir) {
  DIR *d = opendir(dir);
  cr_assert_not_null(d, "cannot list %s", dir);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
  closedir(d);
  return n;
}

/* Removes `dir` and the files directly in it. */
static void remove_dir(char *dir) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)))
      if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        remove(path);
      }
    closedir(d);
  }
  rmdir(dir);
  free(dir);
}

/* The whole file, or NULL when it does not exist. */
static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  size_t got;
  while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += got;
    if (n + 1 == cap)
      buf = realloc(buf, cap *= 2);
  }
  buf[n] = 0;
  fclose(f);
  return buf;
}

static void write_all(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f, "cannot create %s", path);
  fputs(text, f);
  fclose(f);
}

static json_t *parse_json(const char *text) {
  json_error_t e;
  json_t *j = json_loads(text, 0, &e);
  cr_assert_not_null(j, "output is not JSON (%d:%d: %s)", e.line, e.column,
                     e.text);
  return j;
}

/* The single-string array ["name"]. */
static bool is_single(const json_t *issues, const char *name) {
  return json_is_array(issues) && json_array_size(issues) == 1 &&
         json_is_string(json_array_get(issues, 0)) &&
         !strcmp(json_string_value(json_array_get(issues, 0)), name);
}

/* ---- Version, help, usage errors ----------------------------------------- */

Test(cli, version) {
  run r = cli_callf("--version");
  cr_expect_eq(r.rc, 0);
  cr_expect_str_eq(r.out, "parley " PL_VERSION_STRING "\n");
  char want[64];
  snprintf(want, sizeof want, "parley %s\n", pl_version());
  cr_expect_str_eq(r.out, want, "the program and the library disagree");
  cli_result_free(&r);
}

Test(cli, help_analyze) {
  run r = cli_callf("help analyze");
  cr_expect_eq(r.rc, 0);
  cr_expect(strstr(r.out, "usage: parley analyze"), "%s", r.out);
  cr_expect(strstr(r.out, "--max-outcomes"), "help should explain it: %s",
            r.out);
  cr_expect_str_empty(r.err);
  cli_result_free(&r);
}

Test(cli, unknown_command) {
  run r = cli_callf("frobnicate");
  cr_expect_eq(r.rc, 2);
  cr_expect(strstr(r.err, "unknown command 'frobnicate'"), "stderr: %s", r.err);
  cr_expect_str_empty(r.out);
  cli_result_free(&r);

  r = cli_callf("help frobnicate");
  cr_expect_eq(r.rc, 2);
  cr_expect(strstr(r.err, "frobnicate"), "stderr: %s", r.err);
  cli_result_free(&r);
}

Test(cli, bad_options) {
  static const struct {
    const char *args, *says;
  } cases[] = {
      {"analyze --frobnicate 1", "unknown option '--frobnicate'"},
      {"analyze --threads 0", "--threads takes a number"},
      {"analyze --threads 2x", "--threads takes a number"},
      {"analyze --max-outcomes -5",
       "--max-outcomes takes a whole number from 1 to 18446744073709551615"},
      {"analyze --frontier some", "--frontier takes 'zone', 'all' or 'none'"},
      {"analyze --json --threads", "option --threads needs a value"},
      {"analyze talks talks", "talks: error: cannot open"},
      {"validate", "validate needs a scenario file"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    run r = cli_callf("%s", cases[k].args);
    cr_expect_eq(r.rc, 2, "parley %s: exit %d", cases[k].args, r.rc);
    cr_expect(strstr(r.err, cases[k].says), "parley %s: stderr: %s",
              cases[k].args, r.err);
    cr_expect_str_empty(r.out, "parley %s wrote to stdout", cases[k].args);
    cli_result_free(&r);
  }
}

/* ---- analyze ------------------------------------------------------------- */

Test(analyze, builtin_talks_text) {
  run r = cli_callf("analyze");
  cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
  cr_expect(strstr(r.out, "The agreement zone is empty"), "%s", r.out);
  /* The blocking table: a header line "    blocking  ...  slack ..." then
   * one row per blocking set, issues joined by " + ", up to a blank line. */
  const char *h = strstr(r.out, "\n    blocking ");
  cr_assert_not_null(h, "no blocking table in:\n%s", r.out);
  const char *row = strchr(h + 1, '\n') + 1;
  int rows = 0, alone = 0;
  bool donbas_alone = false, zaporizhzhia_alone = false;
  while (*row && *row != '\n') {
    const char *end = strchr(row, '\n');
    cr_assert_not_null(end);
    while (*row == ' ')
      row++;
    const char *gap = strstr(row, "  "); /* the issues end at the column gap */
    cr_assert(gap && gap < end, "row without columns");
    char issues[256];
    snprintf(issues, sizeof issues, "%.*s", (int)(gap - row), row);
    rows++;
    if (!strstr(issues, " + ")) {
      alone++;
      donbas_alone |= !strcmp(issues, "donbas");
      zaporizhzhia_alone |= !strcmp(issues, "zaporizhzhia");
    }
    row = end + 1;
  }
  cr_expect_gt(rows, 0);
  cr_expect_eq(alone, 1, "exactly one issue should block alone, got %d", alone);
  cr_expect(donbas_alone, "donbas should block alone");
  cr_expect_not(zaporizhzhia_alone, "zaporizhzhia does not block alone");
  cli_result_free(&r);

  /* With no command at all, parley analyses the built-in talks too. */
  run bare = cli_callf("%s", "");
  run again = cli_callf("analyze");
  cr_expect_eq(bare.rc, 0);
  cr_expect_str_eq(bare.out, again.out);
  cli_result_free(&bare);
  cli_result_free(&again);
}

Test(analyze, builtin_talks_json) {
  run r = cli_callf("analyze --json");
  cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
  json_t *j = parse_json(r.out);
  cr_expect_eq(json_integer_value(json_object_get(j, "schema_version")), 1);
  cr_expect(json_is_integer(json_object_get(j, "schema_version")));
  json_t *agreements = json_object_get(j, "agreements");
  cr_expect(json_is_integer(agreements));
  cr_expect_eq(json_integer_value(agreements), 0);
  json_t *blocking = json_object_get(j, "blocking");
  cr_assert(json_is_array(blocking) && json_array_size(blocking) > 0);
  cr_expect(is_single(json_object_get(json_array_get(blocking, 0), "issues"),
                      "donbas"),
            "blocking[0].issues should be [\"donbas\"]");
  size_t k;
  json_t *b;
  json_array_foreach(blocking, k, b) {
    cr_expect_not(is_single(json_object_get(b, "issues"), "zaporizhzhia"),
                  "blocking[%zu] is zaporizhzhia alone", k);
    if (k > 0)
      cr_expect_gt(json_array_size(json_object_get(b, "issues")), 1,
                   "only donbas blocks alone; blocking[%zu] is single", k);
  }
  json_decref(j);
  cli_result_free(&r);
}

/* 3 parties, 5 issues of 10 values: 100,000 outcomes, three shares of
 * PL_MIN_THREAD_SHARE (32,768), so --threads 2 really runs on 2. */
static run analyze_generated(const char *path, unsigned threads) {
  return cli_callf("analyze '%s' --threads %u --json", path, threads);
}

Test(analyze, threads_give_identical_results) {
  char *dir = make_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/g.json", dir);
  run g = cli_callf(
      "generate --parties 3 --issues 5 --values 10 --seed 1 --output '%s'",
      path);
  cr_assert_eq(g.rc, 0, "%s", g.err);
  run r1 = analyze_generated(path, 1), r2 = analyze_generated(path, 2);
  cr_assert_eq(r1.rc, 0, "%s", r1.err);
  cr_assert_eq(r2.rc, 0, "%s", r2.err);
  json_t *j1 = parse_json(r1.out), *j2 = parse_json(r2.out);
  /* The "run" object says how it ran: it must differ, nothing else may. */
  json_t *run1 = json_object_get(j1, "run"), *run2 = json_object_get(j2, "run");
  cr_assert(json_is_object(run1) && json_is_object(run2));
  cr_expect_eq(json_integer_value(json_object_get(run1, "threads")), 1);
  cr_expect_eq(json_integer_value(json_object_get(run2, "threads")), 2);
  json_object_del(j1, "run");
  json_object_del(j2, "run");
  char *d1 = json_dumps(j1, JSON_SORT_KEYS | JSON_INDENT(1));
  char *d2 = json_dumps(j2, JSON_SORT_KEYS | JSON_INDENT(1));
  cr_expect(json_equal(j1, j2), "outputs differ beyond \"run\"");
  cr_expect_str_eq(d1, d2);
  free(d1);
  free(d2);
  json_decref(j1);
  json_decref(j2);
  cli_result_free(&g);
  cli_result_free(&r1);
  cli_result_free(&r2);
  remove_dir(dir);
}

Test(analyze, small_space_runs_on_one_thread) {
  /* The talks' 8,100 packages are less than two shares of 32,768: a second
   * thread would cost more wall time than it saves (bench/startup.sh). */
  run r = cli_callf("analyze --threads 2 --json");
  cr_assert_eq(r.rc, 0, "%s", r.err);
  json_t *j = parse_json(r.out);
  cr_expect_eq(
      json_integer_value(json_object_get(json_object_get(j, "run"), "threads")),
      1);
  json_decref(j);
  cli_result_free(&r);
}

Test(analyze, data_file) {
  /* tests/data/cli_small.json, worked by hand in its description: zone
   * {b, c}, Nash b, utilitarian c. */
  run r = cli_callf("analyze --json '%s'", data_path("cli_small.json"));
  cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
  json_t *j = parse_json(r.out);
  cr_expect_str_eq(json_string_value(
                       json_object_get(json_object_get(j, "scenario"), "name")),
                   "cli-small");
  cr_expect_eq(json_integer_value(json_object_get(j, "outcomes")), 3);
  cr_expect_eq(json_integer_value(json_object_get(j, "agreements")), 2);
  json_t *sol = json_object_get(j, "solutions");
  const char *nash = json_string_value(json_object_get(
      json_object_get(json_object_get(sol, "nash"), "outcome"), "x"));
  const char *util = json_string_value(json_object_get(
      json_object_get(json_object_get(sol, "utilitarian"), "outcome"), "x"));
  cr_expect(nash && !strcmp(nash, "b"), "nash: %s", nash ? nash : "null");
  cr_expect(util && !strcmp(util, "c"), "utilitarian: %s",
            util ? util : "null");
  json_decref(j);
  cli_result_free(&r);

  r = cli_callf("analyze '%s'", data_path("cli_small.json"));
  cr_expect_eq(r.rc, 0);
  cr_expect(strstr(r.out, "Two parties, one issue (test)"), "%s", r.out);
  cli_result_free(&r);
}

Test(analyze, above_max_outcomes) {
  /* talks has 8,100 outcomes: above the cap the frontier and solutions
   * come from branch and bound (exit 0), and the counts from meet in the
   * middle (five actors, every rule within one half of its two issues):
   * the enumeration's numbers. */
  run r = cli_callf("analyze --max-outcomes 10 --json");
  cr_expect_eq(r.rc, 0, "stderr: %s", r.err);
  cr_expect(strstr(r.out, "\"method\": \"branch-and-bound\""), "%s", r.out);
  cr_expect(strstr(r.out, "\"counted_by\": \"meet-in-the-middle\""), "%s",
            r.out);
  json_t *halves = json_loads(r.out, 0, NULL);
  cli_result_free(&r);

  r = cli_callf("analyze --max-outcomes 8100 --json");
  cr_expect_eq(r.rc, 0, "exactly the cap is allowed: %s", r.err);
  cr_expect(strstr(r.out, "\"method\": \"enumeration\""), "%s", r.out);
  json_t *all = json_loads(r.out, 0, NULL);
  cr_assert(halves && all);
  static const char *const counts[] = {"feasible", "agreements", "acceptable",
                                       "approved"};
  for (int k = 0; k < 4; k++)
    cr_expect(json_equal(json_object_get(halves, counts[k]),
                         json_object_get(all, counts[k])),
              "%s differs", counts[k]);
  json_decref(halves);
  json_decref(all);
  cli_result_free(&r);

  /* --verbose: the planner's choice and reason on stderr (talks has red
   * lines and few outcomes: enumeration). */
  r = cli_callf("analyze --verbose --json");
  cr_expect_eq(r.rc, 0, "stderr: %s", r.err);
  cr_expect(strstr(r.err, "planner: enumeration: 8100 outcomes"), "%s", r.err);
  cr_expect(strstr(r.out, "\"count\": \"enumeration\""), "%s", r.out);
  cli_result_free(&r);

  /* 2^64 outcomes (2^63 or more) do not fit JSON's integers: refused
   * with exit 1. */
  r = cli_callf("analyze '%s'", data_path("too_many_outcomes.json"));
  cr_expect_eq(r.rc, 1);
  cr_expect(strstr(r.err, "2^63"), "stderr: %s", r.err);
  cr_expect_str_empty(r.out);
  cli_result_free(&r);
}

/* ---- validate ------------------------------------------------------------ */

Test(validate, good_file) {
  const char *path = data_path("cli_small.json");
  run r = cli_callf("validate '%s'", path);
  cr_expect_eq(r.rc, 0, "stderr: %s", r.err);
  cr_expect(strstr(r.out, "valid: 1 issues, 2 parties, 0 ratifiers, 3 "
                          "outcomes"),
            "%s", r.out);
  cr_expect(strstr(r.out, path), "names the file: %s", r.out);
  cr_expect_str_empty(r.err);
  cli_result_free(&r);
}

Test(validate, bad_file_lists_every_problem) {
  /* tests/data/many_problems.json has problems on lines 7, 8, 10, 12, 16
   * (see its description and test_loader.c). */
  const char *path = data_path("many_problems.json");
  run r = cli_callf("validate '%s'", path);
  cr_expect_eq(r.rc, 2);
  cr_expect_str_empty(r.out);
  int errors = 0;
  bool seen[32] = {false};
  for (const char *line = r.err; *line;) {
    const char *end = strchr(line, '\n');
    if (!end)
      end = line + strlen(line);
    int ln = 0, col = 0, used = 0;
    size_t plen = strlen(path);
    if (!strncmp(line, path, plen) &&
        sscanf(line + plen, ":%d:%d: error: %n", &ln, &col, &used) == 2 &&
        used > 0) {
      errors++;
      cr_expect_gt(col, 0, "%.*s", (int)(end - line), line);
      if (ln > 0 && ln < 32)
        seen[ln] = true;
    }
    line = *end ? end + 1 : end;
  }
  cr_expect_geq(errors, 3, "stderr:\n%s", r.err);
  cr_expect_eq(errors, 5, "stderr:\n%s", r.err);
  static const int lines[] = {7, 8, 10, 12, 16};
  for (size_t k = 0; k < 5; k++)
    cr_expect(seen[lines[k]], "no error on line %d:\n%s", lines[k], r.err);
  cr_expect(strstr(r.err, "5 problems found"), "%s", r.err);
  cli_result_free(&r);
}

Test(validate, missing_file) {
  run r = cli_callf("validate /nonexistent/dir/scenario.json");
  cr_expect_eq(r.rc, 2);
  cr_expect(strstr(r.err, "/nonexistent/dir/scenario.json"), "stderr: %s",
            r.err);
  cr_expect(strstr(r.err, "cannot open"), "stderr: %s", r.err);
  cli_result_free(&r);
}

/* ---- scenarios ----------------------------------------------------------- */

Test(scenarios, lists_talks) {
  run r = cli_callf("scenarios");
  cr_expect_eq(r.rc, 0);
  /* The line that starts with "talks " (other titles contain the word). */
  const char *t =
      !strncmp(r.out, "talks ", 6) ? r.out : strstr(r.out, "\ntalks ");
  cr_assert_not_null(t, "%s", r.out);
  t += *t == '\n';
  cr_expect(t == r.out || t[-1] == '\n', "talks starts a line: %s", r.out);
  const char *eol = strchr(t, '\n');
  cr_assert_not_null(eol);
  const char *def = strstr(t, "[default]");
  cr_expect(def && def < eol, "talks is the default: %s", r.out);
  cr_expect(strstr(t, "Trilateral peace talks"), "%s", r.out);
  cli_result_free(&r);
}

/* ---- generate ------------------------------------------------------------ */

Test(generate, deterministic_and_reloadable) {
  const char *args = "generate --parties 3 --issues 4 --values 5 --seed 1";
  run a = cli_callf("%s", args), b = cli_callf("%s", args);
  cr_assert_eq(a.rc, 0, "%s", a.err);
  cr_assert_eq(b.rc, 0, "%s", b.err);
  cr_expect_gt(strlen(a.out), 100);
  cr_expect_str_eq(a.out, b.out, "same seed, different output");

  run c = cli_callf("generate --parties 3 --issues 4 --values 5 --seed 2");
  cr_expect_eq(c.rc, 0);
  cr_expect_str_neq(a.out, c.out, "the seed changes nothing");
  cli_result_free(&c);

  char *dir = make_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/gen.json", dir);
  run w = cli_callf("%s --output '%s'", args, path);
  cr_expect_eq(w.rc, 0, "%s", w.err);
  cr_expect_str_empty(w.out);
  char *file = read_all(path);
  cr_assert_not_null(file);
  cr_expect_str_eq(file, a.out, "--output differs from stdout");
  free(file);
  cli_result_free(&w);

  run v = cli_callf("validate '%s'", path);
  cr_expect_eq(v.rc, 0, "%s", v.err);
  cr_expect(strstr(v.out, "valid: 4 issues, 3 parties, 0 ratifiers, 625 "
                          "outcomes"),
            "%s", v.out);
  cli_result_free(&v);
  run an = cli_callf("analyze --json '%s'", path);
  cr_expect_eq(an.rc, 0, "%s", an.err);
  cr_expect_str_empty(an.err);
  json_t *j = parse_json(an.out);
  cr_expect_eq(json_integer_value(json_object_get(j, "outcomes")), 625);
  json_decref(j);
  cli_result_free(&an);

  remove_dir(dir);
  cli_result_free(&a);
  cli_result_free(&b);
}

Test(generate, one_party_is_refused) {
  run r = cli_callf("generate --parties 1 --issues 4 --values 5 --seed 1");
  cr_expect_eq(r.rc, 2);
  cr_expect(strstr(r.err, "parties"), "stderr: %s", r.err);
  cr_expect_str_empty(r.out);
  cli_result_free(&r);
}

/* ---- --output ------------------------------------------------------------ */

Test(output, missing_directory) {
  char *dir = make_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/nodir/out.txt", dir);
  run r = cli_callf("analyze --output '%s'", path);
  cr_expect_neq(r.rc, 0);
  cr_expect_eq(r.rc, 4, "output not written is exit 4, got %d", r.rc);
  cr_expect_neq(r.err[0], 0, "says why");
  struct stat st;
  cr_expect_neq(stat(path, &st), 0, "%s exists", path);
  cr_expect_eq(dir_entries(dir), 0, "something was left in %s", dir);
  cli_result_free(&r);
  remove_dir(dir);
}

Test(output, writes_the_file) {
  char *dir = make_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/report.txt", dir);
  run r = cli_callf("analyze --output '%s'", path);
  cr_expect_eq(r.rc, 0, "%s", r.err);
  cr_expect_str_empty(r.out, "the report went to stdout too");
  run plain = cli_callf("analyze");
  char *file = read_all(path);
  cr_assert_not_null(file, "%s was not written", path);
  cr_expect_str_eq(file, plain.out);
  cr_expect_eq(dir_entries(dir), 1, "temporary files left in %s", dir);
  free(file);
  cli_result_free(&plain);
  cli_result_free(&r);
  remove_dir(dir);
}

Test(output, existing_file_untouched_on_failure) {
  char *dir = make_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/report.txt", dir);
  const char *precious = "an earlier good report\n";
  write_all(path, precious);

  /* Bad input: exit 2. */
  run r = cli_callf("analyze --json --output '%s' '%s'", path,
                    data_path("many_problems.json"));
  cr_expect_eq(r.rc, 2);
  cr_expect(strstr(r.err, "many_problems.json:7:3: error:"), "stderr: %s",
            r.err);
  char *file = read_all(path);
  cr_expect_str_eq(file, precious);
  free(file);
  cli_result_free(&r);

  /* Refused: exit 1. */
  r = cli_callf("analyze '%s' --output '%s'",
                data_path("too_many_outcomes.json"), path);
  cr_expect_eq(r.rc, 1);
  file = read_all(path);
  cr_expect_str_eq(file, precious);
  free(file);
  cli_result_free(&r);

  /* A bad generate request. */
  r = cli_callf("generate --parties 1 --output '%s'", path);
  cr_expect_eq(r.rc, 2);
  file = read_all(path);
  cr_expect_str_eq(file, precious);
  free(file);
  cli_result_free(&r);

  cr_expect_eq(dir_entries(dir), 1, "temporary files left in %s", dir);
  remove_dir(dir);
}

/* "-" reads a parley scenario from standard input. */
Test(analyze, standard_input) {
  run a = {0}, b = {0};
  a.rc = run_cli_input("analyze - --json", data_path("cli_small.json"), &a.out,
                       &a.err);
  b = cli_callf("analyze '%s' --json", data_path("cli_small.json"));
  cr_assert_eq(a.rc, 0, "stderr: %s", a.err);
  /* The same analysis but for the file name and the run time. */
  const char *pa = strstr(a.out, "\"parties\""),
             *pb = strstr(b.out, "\"parties\"");
  const char *ra = strstr(a.out, "\"run\""), *rb = strstr(b.out, "\"run\"");
  cr_assert(pa && pb && ra && rb);
  cr_expect_eq(ra - pa, rb - pb);
  cr_expect(!strncmp(pa, pb, (size_t)(ra - pa)));
  cli_result_free(&a);
  cli_result_free(&b);
}

/* A GeniusWeb folder written by convert reads back through analyze with the
 * same frontier as the scenario it came from. */
Test(convert, geniusweb_folder_analyses_the_same) {
  char dir[] = "/tmp/parley-gw-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char src[4200], out[4200];
  snprintf(src, sizeof src, "%s/g.json", dir);
  snprintf(out, sizeof out, "%s/gw", dir);
  run r =
      cli_callf("generate --parties 2 --issues 3 --values 4 --seed 9 --output "
                "'%s'",
                src);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  cli_result_free(&r);
  r = cli_callf("convert --to geniusweb '%s' '%s'", src, out);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  cli_result_free(&r);
  run a = cli_callf("analyze '%s' --json", src),
      b = cli_callf("analyze '%s' --json", out);
  cr_assert_eq(b.rc, 0, "%s", b.err);
  const char *pa = strstr(a.out, "\"pareto\""),
             *pb = strstr(b.out, "\"pareto\"");
  const char *ea = strstr(a.out, "\"pareto_distinct\""),
             *eb = strstr(b.out, "\"pareto_distinct\"");
  cr_assert(pa && pb && ea && eb);
  cr_expect_eq(ea - pa, eb - pb, "frontiers differ");
  cr_expect(!strncmp(pa, pb, (size_t)(ea - pa)), "frontiers differ");
  cli_result_free(&a);
  cli_result_free(&b);
  char cmd[9000];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_expect_eq(system(cmd), 0);
}

/* ---- negotiate ----------------------------------------------------------- */

/* The built-in talks: the zone is empty (see analyze), so automated
 * negotiators cannot agree: the talks end at the deadline with everyone at
 * its reservation value (United States 0.55, Ukraine 0.5, Russia 0.6). */
Test(negotiate, builtin_talks_end_at_the_deadline) {
  run r = cli_callf("negotiate --json --rounds 50");
  cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
  json_error_t e;
  json_t *j = json_loads(r.out, 0, &e);
  cr_assert_not_null(j, "not JSON: %s", e.text);
  cr_expect_str_eq(
      json_string_value(json_object_get(json_object_get(j, "reason"), "kind")),
      "deadline");
  cr_expect(json_is_null(json_object_get(j, "agreement")));
  cr_expect_eq(json_integer_value(json_object_get(j, "rounds")), 50);
  json_t *u = json_object_get(j, "utilities");
  cr_expect_float_eq(json_real_value(json_array_get(u, 0)), 0.55, 1e-12);
  cr_expect_float_eq(json_real_value(json_array_get(u, 1)), 0.50, 1e-12);
  cr_expect_float_eq(json_real_value(json_array_get(u, 2)), 0.60, 1e-12);
  json_decref(j);
  cli_result_free(&r);
}

/* A scenario with a zone (cli_small.json): conceders agree; the agreement
 * is one both can sign and the same seed gives the same trace. */
Test(negotiate, agreement_and_determinism) {
  run a = cli_callf("negotiate '%s' --agents conceder --json --trace --seed 3",
                    data_path("cli_small.json"));
  run b = cli_callf("negotiate '%s' --agents conceder --json --trace --seed 3",
                    data_path("cli_small.json"));
  cr_assert_eq(a.rc, 0, "stderr: %s", a.err);
  cr_expect_str_eq(a.out, b.out, "same seed, different talks");
  cr_expect(strstr(a.out, "\"kind\": \"agreement\""), "%s", a.out);
  cr_expect(strstr(a.out, "\"trace\""), "%s", a.out);
  cli_result_free(&a);
  cli_result_free(&b);
}

Test(negotiate, bad_agents_and_options) {
  static const struct {
    const char *args, *says;
  } cases[] = {
      {"negotiate --agents boulwar", "did you mean 'boulware'"},
      {"negotiate --agents boulware:e=-1", "e"},
      {"negotiate --agents boulware:x=1", "x"},
      {"negotiate --agents boulware,conceder", "2 agents given for 3 parties"},
      {"negotiate --protocol auction", "unknown protocol 'auction'"},
      {"negotiate --protocol mediated --start-from nothing",
       "no proposal named 'nothing'"},
      {"negotiate --protocol mediated --mediator Canada",
       "--mediator takes 'neutral' or a party's name, not 'Canada'"},
      {"negotiate --rounds 0",
       "--rounds takes a whole number from 1 to 100000000 (10^8), not '0'"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    run r = cli_callf("%s", cases[k].args);
    cr_expect_eq(r.rc, 2, "parley %s: exit %d", cases[k].args, r.rc);
    cr_expect(strstr(r.err, cases[k].says), "parley %s: stderr: %s",
              cases[k].args, r.err);
    cli_result_free(&r);
  }
}

Test(negotiate, agents_list) {
  run r = cli_callf("agents");
  cr_assert_eq(r.rc, 0);
  static const char *const names[] = {"boulware",  "linear",      "conceder",
                                      "hardliner", "tit-for-tat", "random",
                                      "frequency", "micro"};
  for (size_t k = 0; k < 8; k++)
    cr_expect(strstr(r.out, names[k]), "%s missing:\n%s", names[k], r.out);
  cli_result_free(&r);
}

/* Issue 6's acceptance: a 10^12-outcome generated scenario gets its four
 * solutions (by branch and bound; nothing is counted). */
Test(analyze, ten_to_the_twelve) {
  char dir[] = "/tmp/parley-big-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char path[4200];
  snprintf(path, sizeof path, "%s/g.json", dir);
  run r = cli_callf("generate --parties 2 --issues 12 --values 10 --seed 1 "
                    "--output '%s'",
                    path);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  cli_result_free(&r);
  r = cli_callf("analyze '%s' --json", path);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  json_t *j = json_loads(r.out, 0, NULL);
  cr_assert_not_null(j);
  cr_expect_eq(json_integer_value(json_object_get(j, "outcomes")),
               1000000000000LL);
  /* Two parties, no rules: counted exactly by meet in the middle. */
  cr_expect_str_eq(json_string_value(json_object_get(j, "counted_by")),
                   "meet-in-the-middle");
  cr_expect_gt(json_integer_value(json_object_get(j, "agreements")), 0);
  cr_expect_leq(json_integer_value(json_object_get(j, "agreements")),
                json_integer_value(json_object_get(j, "feasible")));
  json_t *sol = json_object_get(j, "solutions");
  static const char *const keys[] = {"nash", "kalai_smorodinsky", "egalitarian",
                                     "utilitarian"};
  for (int k = 0; k < 4; k++)
    cr_expect(json_is_object(json_object_get(sol, keys[k])), "%s missing",
              keys[k]);
  /* Two parties, additive: the sweep gives the exact frontier too; the
   * zone is not empty, so it has a slack. */
  cr_expect_str_eq(json_string_value(json_object_get(j, "frontier_method")),
                   "sweep");
  cr_expect_gt(json_array_size(json_object_get(j, "pareto")), 1);
  cr_expect(json_is_real(json_object_get(j, "zone_slack")));
  json_decref(j);
  cli_result_free(&r);
  /* --no-count: only the measured estimate of the enumeration's time. */
  r = cli_callf("analyze '%s' --no-count --frontier none", path);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  cr_expect(strstr(r.out, "Kalai-Smorodinsky"), "%s", r.out);
  cr_expect(strstr(r.out, "Counting the zone by enumeration would take"));
  cli_result_free(&r);
  unlink(path);
  rmdir(dir);
}
