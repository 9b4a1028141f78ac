/* progress.h - one line of progress on standard error, drawn only when it
 * is a terminal and the command has run for about a second (issue 11):
 * the stage, how far it is, and an estimate of the time left. Redirected
 * output never carries it. Any command can pass cli_progress_report as a
 * pl_progress_fn (include/parley.h). */
#ifndef PL_CLI_PROGRESS_H
#define PL_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cli_progress {
  const char *command; /* "analyze", shown first */
  bool tty;
  double delay;       /* seconds before the first line (default 1) */
  double start;       /* when the command started */
  double stage_start; /* when the current stage started */
  double drawn;       /* when the line was last drawn, 0: never */
  char stage[64];
  /* Two earlier (time, fraction done) points of the stage, for its pace
   * (cli_progress_left). */
  double mark_t[2], mark_f[2];
} cli_progress;

/* Starts the clock; draws nothing yet. PARLEY_PROGRESS_DELAY (seconds)
 * changes the delay, for tests. */
void cli_progress_init(cli_progress *p, const char *command);
/* A pl_progress_fn: ctx is the cli_progress. */
void cli_progress_report(void *ctx, const char *stage, uint64_t done,
                         uint64_t total);
/* Seconds left in the stage at time t with fraction f done, from the pace
 * of the last few seconds (that of the whole stage misleads when it
 * changes: the time-dependent agents' first rounds, at their best
 * outcomes, are quick, the rounds of concession slower); -1 when there is
 * no pace to go by (less than half a second, or no progress). Moves the
 * marks: call it with every report. */
double cli_progress_left(cli_progress *p, double t, double f);
/* Erases the line, if one was drawn, before the command's own output. */
void cli_progress_end(cli_progress *p);
/* s seconds as "1:05", or "1:02:03" past an hour. */
void cli_clock_text(double s, char *buf, size_t len);

#endif
