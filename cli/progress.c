/* progress.c - see progress.h. */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* At most this often, so that drawing costs nothing next to the work. */
#define REDRAW_SECONDS 0.1

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_progress_init(cli_progress *p, const char *command) {
  memset(p, 0, sizeof *p);
  p->command = command;
  p->tty = isatty(STDERR_FILENO) == 1;
  p->delay = 1;
  const char *env = getenv("PARLEY_PROGRESS_DELAY");
  char *end;
  double d = env ? strtod(env, &end) : 0;
  if (env && *env && !*end && d >= 0)
    p->delay = d;
  p->start = p->stage_start = now();
}

void cli_clock_text(double s, char *buf, size_t len) {
  long t = s > 0 && s < 1e8 ? (long)(s + 0.5) : 0;
  int n = t >= 3600 ? snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600,
                               t / 60 % 60, t % 60)
                    : snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
  /* A clock that does not fit is no clock (and gcc -O3 sees it checked). */
  if ((n < 0 || (size_t)n >= len) && len > 0)
    snprintf(buf, len, "--:--");
}

/* The pace is measured over the last PACE_SECONDS to twice as long. */
#define PACE_SECONDS 2.0

static void pace_restart(cli_progress *p, double t, double f) {
  for (int k = 0; k < 2; k++) {
    p->mark_t[k] = t;
    p->mark_f[k] = f;
  }
}

double cli_progress_left(cli_progress *p, double t, double f) {
  if (t - p->mark_t[1] >= PACE_SECONDS) {
    p->mark_t[0] = p->mark_t[1];
    p->mark_f[0] = p->mark_f[1];
    p->mark_t[1] = t;
    p->mark_f[1] = f;
  }
  double dt = t - p->mark_t[0], df = f - p->mark_f[0];
  if (f <= 0.01 || dt < 0.5 || df <= 0)
    return -1;
  return (1 - f) * dt / df;
}

void cli_progress_report(void *ctx, const char *stage, uint64_t done,
                         uint64_t total) {
  cli_progress *p = ctx;
  if (!p->tty)
    return;
  double t = now();
  bool new_stage = strncmp(p->stage, stage, sizeof p->stage - 1) != 0;
  bool counted = total > 0 && done <= total;
  double f = counted ? (double)done / (double)total : 0;
  if (new_stage) {
    snprintf(p->stage, sizeof p->stage, "%s", stage);
    p->stage_start = t;
    pace_restart(p, t, f);
  }
  double left = counted ? cli_progress_left(p, t, f) : -1;
  bool finished = total > 0 && done == total; /* a stage's 100% shows */
  if (t - p->start < p->delay ||
      (!new_stage && !finished && t - p->drawn < REDRAW_SECONDS))
    return;
  char line[160], spent[16], clock[16];
  cli_clock_text(t - p->start, spent, sizeof spent);
  int n = snprintf(line, sizeof line, "parley %s: %s", p->command, p->stage);
  if (counted) {
    n += snprintf(line + n, sizeof line - (size_t)n, " %3.0f%%", 100 * f);
    if (left >= 0) {
      cli_clock_text(left, clock, sizeof clock);
      n +=
          snprintf(line + n, sizeof line - (size_t)n, ", about %s left", clock);
    }
  }
  snprintf(line + n, sizeof line - (size_t)n, " (%s)", spent);
  /* Back to the start of the line, the text, then erase what is left of a
   * longer earlier line. */
  fprintf(stderr, "\r%s\033[K", line);
  fflush(stderr);
  p->drawn = t;
}

void cli_progress_end(cli_progress *p) {
  if (p->drawn > 0) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
  }
  p->drawn = 0;
}
