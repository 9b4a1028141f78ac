/* test_hardening.c - what the probes of issue 20 found, each kept fixed:
 * --output onto devices, FIFOs and symbolic links; a failed write names
 * the file and says why; a resumed tournament on a full disk exits 4;
 * categorical issues with 10^5 options load in O(n log n). */
#define _XOPEN_SOURCE 700
#include "model/scenario.h"
#include "support.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *make_dir(void) {
  char tmpl[] = "/tmp/parley-hard-XXXXXX";
  cr_assert_not_null(mkdtemp(tmpl));
  return strdup(tmpl);
}

static void remove_dir(char *dir) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_expect_eq(system(cmd), 0);
  free(dir);
}

static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *s = calloc((size_t)n + 1, 1);
  cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  return s;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f, "cannot write %s", path);
  fputs(text, f);
  fclose(f);
}

static const char *small(void) { return data_path("cli_small.json"); }

/* ---- --output onto what is not a regular file --------------------------- */

/* A FIFO stays a FIFO and its reader gets the whole output. */
Test(output, fifo_is_written_through) {
  char *dir = make_dir();
  char fifo[512], got[512], cmd[16384];
  snprintf(fifo, sizeof fifo, "%s/pipe", dir);
  snprintf(got, sizeof got, "%s/got.json", dir);
  cr_assert_eq(mkfifo(fifo, 0600), 0);
  snprintf(cmd, sizeof cmd,
           "cat '%s' > '%s' & %s analyze --json --output '%s' '%s'; rc=$?; "
           "wait; exit $rc",
           fifo, got, PARLEY_CLI, fifo, small());
  int st = system(cmd);
  cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
  struct stat sb;
  cr_assert_eq(lstat(fifo, &sb), 0);
  cr_expect(S_ISFIFO(sb.st_mode), "the FIFO was replaced by a file");
  char *text = read_all(got);
  cr_assert_not_null(text);
  cr_expect(strstr(text, "\"cli-small\""), "%s", text);
  free(text);
  remove_dir(dir);
}

/* A character device stays one; writing to /dev/full fails with a message
 * that names the file and the reason, exit 4 (probe 3). */
Test(output, device_full_says_why) {
  char args[4200], *out, *err;
  snprintf(args, sizeof args, "analyze --json --output /dev/full '%s'",
           small());
  int rc = run_cli(args, &out, &err);
  cr_expect_eq(rc, 4, "stderr: %s", err);
  cr_expect(strstr(err, "cannot write /dev/full: No space left on device"),
            "%s", err);
  struct stat sb;
  cr_assert_eq(stat("/dev/full", &sb), 0);
  cr_expect(S_ISCHR(sb.st_mode), "/dev/full is no longer a device");
  free(out), free(err);
}

/* A symbolic link is followed: its target gets the output (atomically),
 * the link stays a link. */
Test(output, symlink_target_is_replaced) {
  char *dir = make_dir();
  char target[4200], link[4200], args[9000];
  snprintf(target, sizeof target, "%s/target.json", dir);
  snprintf(link, sizeof link, "%s/link.json", dir);
  write_file(target, "old\n");
  chmod(target, 0640);
  cr_assert_eq(symlink("target.json", link), 0);
  snprintf(args, sizeof args, "analyze --json --output '%s' '%s'", link,
           small());
  char *out, *err;
  cr_assert_eq(run_cli(args, &out, &err), 0, "stderr: %s", err);
  struct stat sb;
  cr_assert_eq(lstat(link, &sb), 0);
  cr_expect(S_ISLNK(sb.st_mode), "the link was replaced by a file");
  cr_assert_eq(stat(target, &sb), 0);
  cr_expect_eq(sb.st_mode & 0777, 0640, "the target's permissions changed");
  char *text = read_all(target);
  cr_expect(strstr(text, "\"cli-small\""), "%s", text);
  free(text), free(out), free(err);
  remove_dir(dir);
}

/* A link to nothing is refused with a message; nothing is created. */
Test(output, dangling_symlink_is_refused) {
  char *dir = make_dir();
  char link[4200], args[9000], missing[4200];
  snprintf(link, sizeof link, "%s/link.json", dir);
  snprintf(missing, sizeof missing, "%s/missing.json", dir);
  cr_assert_eq(symlink("missing.json", link), 0);
  snprintf(args, sizeof args, "analyze --json --output '%s' '%s'", link,
           small());
  char *out, *err;
  cr_expect_eq(run_cli(args, &out, &err), 4);
  cr_expect(strstr(err, "symbolic link to a missing file"), "%s", err);
  struct stat sb;
  cr_expect_neq(stat(missing, &sb), 0, "the missing target was created");
  free(out), free(err);
  remove_dir(dir);
}

/* ---- A tournament resumed onto a full disk ------------------------------- */

/* Runs `cmd` with files limited to `bytes` (SIGXFSZ ignored, so a write
 * past the limit fails with EFBIG, as on a full disk); returns the exit
 * status and stderr. */
static int run_limited(const char *cmd, long bytes, char **err) {
  char errp[] = "/tmp/parley-hard-errXXXXXX";
  int fe = mkstemp(errp);
  pid_t pid = fork();
  cr_assert_geq(pid, 0);
  if (pid == 0) {
    dup2(fe, 2);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {(rlim_t)bytes, (rlim_t)bytes};
    setrlimit(RLIMIT_FSIZE, &rl);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  close(fe);
  *err = read_all(errp);
  unlink(errp);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* docs/tournament.md: exit 4 when the results cannot be written. A stopped
 * run's torn last line makes the resume rewrite results.jsonl first, which
 * exited 2 on a full disk. */
Test(tournament_full_disk, resume_exits_4) {
  char *dir = make_dir();
  char cmd[9000], rows[4200];
  snprintf(cmd, sizeof cmd,
           "%s tournament '%s/tournament/small.json' --out '%s/r' "
           ">/dev/null 2>&1",
           PARLEY_CLI, PARLEY_TEST_DATA, dir);
  cr_assert_eq(system(cmd), 0);
  snprintf(rows, sizeof rows, "%s/r/results.jsonl", dir);
  char *all = read_all(rows);
  cr_assert_not_null(all);
  /* keep 30 rows and half of the 31st, as a killed run leaves them */
  char *p = all;
  for (int k = 0; k < 30; k++)
    p = strchr(p, '\n') + 1;
  p[strcspn(p, "\n") / 2] = '\0';
  write_file(rows, all);
  long kept = (long)strlen(all);
  free(all);
  snprintf(cmd, sizeof cmd, "exec %s tournament --resume '%s/r' >/dev/null",
           PARLEY_CLI, dir);
  char *err;
  int rc = run_limited(cmd, kept / 2, &err);
  cr_expect_eq(rc, 4, "stderr: %s", err);
  cr_expect(strstr(err, "results.jsonl") && strstr(err, "cannot write"), "%s",
            err);
  free(err);
  /* with room again the same folder resumes and completes */
  snprintf(cmd, sizeof cmd, "%s tournament --resume '%s/r' >/dev/null 2>&1",
           PARLEY_CLI, dir);
  cr_expect_eq(system(cmd), 0);
  remove_dir(dir);
}

/* ---- Categorical issues with many options -------------------------------- */

/* A scenario whose one issue has n options o0..o{n-1}, party A valuing them
 * and B by tables, plus `extra` (a JSON fragment starting with ',') appended to
 * the options. */
static char *many_options(unsigned n, const char *extra) {
  size_t cap = (size_t)n * 64 + 1024; /* about 45 bytes per option */
  char *s = malloc(cap), *w = s;
  w += sprintf(w, "{\"parley\":1,\"name\":\"many\",\"issues\":[{\"name\":\"x\","
                  "\"type\":\"categorical\",\"options\":[");
  for (unsigned k = 0; k < n; k++)
    w += sprintf(w, "%s\"o%u\"", k ? "," : "", k);
  w += sprintf(w,
               "%s]}],\"parties\":[{\"name\":\"A\",\"weights\":{\"x\":1},"
               "\"values\":{\"x\":{",
               extra);
  for (unsigned k = 0; k < n; k++)
    w += sprintf(w, "%s\"o%u\":%g", k ? "," : "", k, (k % 11) / 10.0);
  w += sprintf(w, "}}},{\"name\":\"B\",\"weights\":{\"x\":1},"
                  "\"values\":{\"x\":{");
  for (unsigned k = 0; k < n; k++)
    w += sprintf(w, "%s\"o%u\":%g", k ? "," : "", k, (k % 7) / 6.0);
  w += sprintf(w, "}}}]}");
  return s;
}

/* 10^5 options with a table: 36 s before the sorted label index (each of
 * the 10^5 table keys searched linearly), well under a second now; the
 * values land on the right options. */
Test(many_options, hundred_thousand_load, .timeout = 60) {
  char *json = many_options(100000, "");
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load_string(json, "many.json", d);
  for (size_t i = 0; !s && i < pl_diag_count(d) && i < 5; i++)
    cr_log_error("%s", pl_diag_get(d, i).message);
  cr_assert_not_null(s);
  /* option o54321: A's table says (54321 % 11) / 10 = 0.3, B's
   * (54321 % 7) / 6 = 1/6, written by %g as 0.166667 (weight 1 each, so
   * utility = value) */
  uint32_t v = 54321;
  cr_expect_float_eq(pl_actor_utility(s, 0, &v), 0.3, 1e-12);
  cr_expect_float_eq(pl_actor_utility(s, 1, &v), 0.166667, 1e-12);
  free(json);
  pl_scenario_free(s);
  pl_diag_free(d);
}

/* A repeated option among 10^5 is found and located: the repeat is the
 * 100,001st element, "o77", which starts at column 1 + the length of
 * everything before it. */
Test(many_options, repeat_is_located, .timeout = 60) {
  char *json = many_options(100000, ",\"o77\"");
  const char *at = strstr(json, ",\"o77\"]");
  cr_assert_not_null(at);
  int col = (int)(at - json) + 2; /* 1-based, after the comma */
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load_string(json, "many.json", d);
  cr_expect_null(s);
  bool found = false;
  for (size_t i = 0; i < pl_diag_count(d); i++) {
    pl_problem e = pl_diag_get(d, i);
    if (strstr(e.message, "option \"o77\" of issue 'x' is listed twice")) {
      found = true;
      cr_expect_eq(e.column, col, "column %d, expected %d", e.column, col);
    }
  }
  cr_expect(found, "the repeated option was not reported");
  free(json);
  pl_scenario_free(s);
  pl_diag_free(d);
}
