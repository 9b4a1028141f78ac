#define _POSIX_C_SOURCE 200809L
#include "support.h"

#include <stdarg.h>

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

pl_scenario *load_ok(const char *json) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load_string(json, "test.json", d);
  if (!s) {
    for (size_t i = 0; i < pl_diag_count(d); i++)
      cr_log_error("%d:%d: %s", pl_diag_get(d, i).line,
                   pl_diag_get(d, i).column, pl_diag_get(d, i).message);
    cr_assert_fail("scenario did not load");
  }
  pl_diag_free(d);
  return s;
}

/* shared/reference/blocking-issues.md, "Worked example": three issues, three
 * parties U, R, M, no constraints (test_analysis.c and test_design.c quote
 * their expected answers from there). */
static const char REFERENCE_EXAMPLE[] =
    "{\"issues\": ["
    " {\"name\": \"territory\", \"type\": \"categorical\","
    "  \"options\": [\"held\", \"dmz\", \"ceded\"]},"
    " {\"name\": \"guarantee\", \"type\": \"categorical\","
    "  \"options\": [\"none\", \"europe\", \"backstop\"]},"
    " {\"name\": \"sanctions\", \"type\": \"categorical\","
    "  \"options\": [\"keep\", \"phased\", \"lifted\"]}],"
    "\"parties\": ["
    " {\"name\": \"U\", \"reservation\": 0.65,"
    "  \"weights\": {\"territory\": 0.5, \"guarantee\": 0.3, \"sanctions\": "
    "0.2},"
    "  \"values\": {\"territory\": {\"held\": 1, \"dmz\": 0.6, \"ceded\": 0},"
    "   \"guarantee\": {\"none\": 0, \"europe\": 0.5, \"backstop\": 1},"
    "   \"sanctions\": {\"keep\": 1, \"phased\": 0.6, \"lifted\": 0}}},"
    " {\"name\": \"R\", \"reservation\": 0.60,"
    "  \"weights\": {\"territory\": 0.6, \"guarantee\": 0.2, \"sanctions\": "
    "0.2},"
    "  \"values\": {\"territory\": {\"held\": 0, \"dmz\": 0.4, \"ceded\": 1},"
    "   \"guarantee\": {\"none\": 1, \"europe\": 0.6, \"backstop\": 0},"
    "   \"sanctions\": {\"keep\": 0, \"phased\": 0.7, \"lifted\": 1}}},"
    " {\"name\": \"M\", \"reservation\": 0.50,"
    "  \"weights\": {\"territory\": 0.2, \"guarantee\": 0.3, \"sanctions\": "
    "0.5},"
    "  \"values\": {\"territory\": {\"held\": 0.6, \"dmz\": 1, \"ceded\": 0.3},"
    "   \"guarantee\": {\"none\": 0.2, \"europe\": 1, \"backstop\": 0.5},"
    "   \"sanctions\": {\"keep\": 0.3, \"phased\": 1, \"lifted\": 0.6}}}]";

pl_scenario *load_reference_example(bool with_offer) {
  /* U's proposal: (held, backstop, keep) */
  const char *offer =
      ",\"proposals\": [{\"name\": \"U's offer\", \"by\": \"U\", \"outcome\":"
      " {\"territory\": \"held\", \"guarantee\": \"backstop\","
      "  \"sanctions\": \"keep\"}}]";
  char json[sizeof REFERENCE_EXAMPLE + 512];
  snprintf(json, sizeof json, "%s%s}", REFERENCE_EXAMPLE,
           with_offer ? offer : "");
  return load_ok(json);
}

pl_diag *load_fail(const char *json) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load_string(json, "test.json", d);
  if (s) {
    pl_scenario_free(s);
    cr_assert_fail("scenario loaded but should have been rejected");
  }
  cr_assert_gt(pl_diag_count(d), 0, "rejected without a message");
  return d;
}

const char *data_path(const char *name) {
  static char buf[4096];
  snprintf(buf, sizeof buf, "%s/%s", PARLEY_TEST_DATA, name);
  return buf;
}

char *read_text_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  size_t got = fread(buf, 1, (size_t)n, f);
  buf[got] = 0;
  fclose(f);
  return buf;
}

static char *slurp(const char *path) {
  char *text = read_text_file(path);
  return text ? text : strdup("");
}

int run_cli(const char *args, char **out, char **err) {
  return run_cli_input(args, "/dev/null", out, err);
}

int run_cli_input(const char *args, const char *input, char **out, char **err) {
  char outp[] = "/tmp/parley-test-outXXXXXX",
       errp[] = "/tmp/parley-test-errXXXXXX";
  int fo = mkstemp(outp), fe = mkstemp(errp);
  close(fo);
  close(fe);
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "%s %s >%s 2>%s <'%s'", PARLEY_CLI, args, outp,
           errp, input);
  int st = system(cmd);
  if (out)
    *out = slurp(outp);
  if (err)
    *err = slurp(errp);
  unlink(outp);
  unlink(errp);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int run_shell(const char *line, char **out, char **err) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", PARLEY_CLI);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = 0;
  char script[] = "/tmp/parley-test-shXXXXXX";
  int fd = mkstemp(script);
  FILE *f = fdopen(fd, "w");
  /* A scratch folder that looks like the source tree (a link to each of
   * its entries), so that what an example writes lands in the scratch. */
  fprintf(f,
          "PATH='%s':\"$PATH\"\nd=$(mktemp -d /tmp/parley-example-XXXXXX)\n"
          "for e in '%s'/*; do case ${e##*/} in build*) ;; *) ln -s \"$e\" "
          "\"$d\"/ ;; esac; done\ncd \"$d\"\n"
          "(%s)\nrc=$?\ncd /\nrm -rf \"$d\"\nexit $rc\n",
          dir, PARLEY_SOURCE_DIR, line);
  fclose(f);
  char cmd[8192];
  char outp[] = "/tmp/parley-test-outXXXXXX",
       errp[] = "/tmp/parley-test-errXXXXXX";
  int fo = mkstemp(outp), fe = mkstemp(errp);
  close(fo);
  close(fe);
  snprintf(cmd, sizeof cmd, "sh %s >%s 2>%s </dev/null", script, outp, errp);
  int st = system(cmd);
  *out = slurp(outp);
  *err = slurp(errp);
  unlink(outp);
  unlink(errp);
  unlink(script);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

cli_result cli_callf(const char *fmt, ...) {
  char args[8192];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  cli_result r;
  r.rc = run_cli(args, &r.out, &r.err);
  return r;
}

void cli_result_free(cli_result *r) {
  free(r->out);
  free(r->err);
}

size_t put_categorical_issues(char *buf, size_t cap, uint32_t ni,
                              const uint32_t *nv) {
  size_t n = 0;
#define PUT(...)                                                               \
  n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, __VA_ARGS__)
  PUT("{\"issues\": [");
  for (uint32_t i = 0; i < ni; i++) {
    PUT("%s{\"name\": \"i%u\", \"type\": \"categorical\", \"options\": [",
        i ? "," : "", i);
    for (uint32_t v = 0; v < nv[i]; v++)
      PUT("%s\"v%u\"", v ? "," : "", v);
    PUT("]}");
  }
  PUT("]");
#undef PUT
  return n;
}

pl_analysis *analyze_or_fail(const pl_scenario *s,
                             const pl_analysis_options *o) {
  pl_status st;
  pl_diag *d = pl_diag_new();
  pl_analysis *a = pl_analyze(s, o, d, &st);
  if (!a)
    pl_diag_print(d, stderr);
  cr_assert_not_null(a, "analysis failed");
  pl_diag_free(d);
  return a;
}
