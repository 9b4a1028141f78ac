/* test_progress.c - progress on standard error (issue 11, item 7): drawn
 * on a terminal for analyze and negotiate (stage, percentage, time),
 * never into redirected output. `script` (util-linux) gives the command a
 * terminal; PARLEY_PROGRESS_DELAY=0 draws from the start instead of after
 * a second, so that the test does not depend on the machine's speed. */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"
#include "support.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs `args` with stderr on a terminal and stdout thrown away; returns
 * what the terminal showed. */
static char *on_terminal(const char *args) {
  if (system("command -v script >/dev/null 2>&1") != 0)
    cr_skip_test("no script(1) to give the command a terminal");
  char line[4096];
  snprintf(line, sizeof line,
           "PARLEY_PROGRESS_DELAY=0 script -qec \"parley %s >/dev/null\" "
           "/dev/null",
           args);
  char *out, *err;
  int rc = run_shell(line, &out, &err);
  cr_assert_eq(rc, 0, "%s: %s", line, err);
  free(err);
  return out;
}

Test(progress, analyze_shows_its_stages_on_a_terminal) {
  char *t = on_terminal("analyze");
  /* The talks: 8,100 packages enumerated, then the blocking issues (the
   * zone is empty), then the design stage; each line starts with \r. */
  cr_expect_not_null(strstr(t, "\rparley analyze: enumerating the packages"),
                     "%s", t);
  cr_expect_not_null(strstr(t, "100%"), "%s", t);
  cr_expect_not_null(strstr(t, "\rparley analyze: blocking issues"), "%s", t);
  cr_expect_not_null(strstr(t, "\rparley analyze: deal design"), "%s", t);
  /* and the line is erased at the end */
  cr_expect_not_null(strstr(t, "\r\033[K"), "%s", t);
  free(t);
}

Test(progress, monte_carlo_shows_its_draws_on_a_terminal) {
  /* talks-uncertain: 10,000 draws in batches of 1,000, so 10% is the
   * first step and 100% the last; then one step per sensitivity input. */
  char *t = on_terminal("analyze talks-uncertain --threads 1");
  cr_expect_not_null(strstr(t, "\rparley analyze: Monte Carlo draws  10%"),
                     "%s", t);
  cr_expect_not_null(strstr(t, "\rparley analyze: Monte Carlo draws 100%"),
                     "%s", t);
  cr_expect_not_null(strstr(t, "\rparley analyze: sensitivity"), "%s", t);
  free(t);
}

Test(progress, negotiate_shows_rounds_on_a_terminal) {
  char *t = on_terminal("negotiate --rounds 40");
  cr_expect_not_null(strstr(t, "\rparley negotiate: setting up agents"), "%s",
                     t);
  cr_expect_not_null(strstr(t, "\rparley negotiate: talks"), "%s", t);
  /* the analysis that scores the result follows the talks */
  cr_expect_not_null(strstr(t, "\rparley negotiate: enumerating the "
                               "packages"),
                     "%s", t);
  free(t);
}

/* Redirected, standard error holds only messages: no progress, even when
 * the delay is 0; and standard output is the same as without a delay. */
Test(progress, never_in_redirected_output) {
  const char *cmds[] = {"analyze", "negotiate --rounds 40", "analyze --json",
                        "negotiate --json --trace"};
  for (size_t k = 0; k < sizeof cmds / sizeof *cmds; k++) {
    char line[512], *out, *err, *plain, *err2;
    snprintf(line, sizeof line, "PARLEY_PROGRESS_DELAY=0 parley %s", cmds[k]);
    cr_assert_eq(run_shell(line, &out, &err), 0, "%s", cmds[k]);
    cr_expect_str_empty(err, "%s wrote to stderr: %s", cmds[k], err);
    snprintf(line, sizeof line, "parley %s", cmds[k]);
    cr_assert_eq(run_shell(line, &plain, &err2), 0);
    if (!strstr(cmds[k], "json")) /* JSON holds timings */
      cr_expect_str_eq(out, plain, "%s", cmds[k]);
    cr_expect_null(strchr(out, '\r'), "%s", cmds[k]);
    free(out), free(err), free(plain), free(err2);
  }
}

/* The time left follows the recent pace, not the stage's average. */
Test(progress, time_left_follows_the_recent_pace) {
  /* 70% in the first second, then 1% a second (boulware on AgentHp2
   * before its agents' search was fixed: quick rounds at the top, slow
   * ones when conceding): at 86% after 17 s, 14% are left at 1% a
   * second, 14 s; the stage's average pace (86% in 17 s) said 2.8 s. */
  cli_progress p;
  memset(&p, 0, sizeof p);
  cr_expect_eq(cli_progress_left(&p, 0.2, 0.1), -1, "too early to tell");
  double left = cli_progress_left(&p, 1, 0.70);
  for (int k = 1; k <= 16; k++)
    left = cli_progress_left(&p, 1 + k, 0.70 + 0.01 * k);
  cr_expect(fabs(left - 14) < 0.01, "left %g s", left);
  /* Nothing done for 5 s: no pace to go by. */
  left = 0;
  for (int k = 1; k <= 5; k++)
    left = cli_progress_left(&p, 17 + k, 0.86);
  cr_expect_eq(left, -1, "left %g s", left);
  /* A steady pace: 10% a second from the start, 40% done, 6 s left. */
  memset(&p, 0, sizeof p);
  for (int k = 1; k <= 4; k++)
    left = cli_progress_left(&p, k, 0.1 * k);
  cr_expect(fabs(left - 6) < 0.01, "left %g s", left);
}
