/* parley_tournament.h - tournaments as a library call (docs/tournament.md).
 *
 * A tournament plays every agent against every other, in every assignment
 * to the parties, on many scenarios, several times, into a results folder
 * (results.jsonl, results.csv, summary.json), and ranks the agents with
 * 95% confidence intervals. The rows depend only on the configuration,
 * whatever the threads or processes.
 *
 *   pl_diag *d = pl_diag_new();
 *   pl_tournament *t = pl_tournament_load("tour.json", NULL, d);
 *   pl_tournament_options o;
 *   pl_tournament_options_init(&o);
 *   o.out = "tour-results";
 *   pl_status st;
 *   pl_tournament_summary *s = pl_tournament_run(t, &o, d, &st);
 *   pl_tournament_summary_write_text(s, stdout);
 */
#ifndef PARLEY_TOURNAMENT_H
#define PARLEY_TOURNAMENT_H

#include "parley.h"

#include <signal.h>

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

typedef struct pl_tournament pl_tournament;
typedef struct pl_tournament_summary pl_tournament_summary;
typedef struct pl_tournament_rows pl_tournament_rows;
typedef struct pl_processes pl_processes;

/* Reads a configuration (schema/tournament.schema.json): relative paths
 * (scenarios, "agent_libs" plug-ins) start from `base` (NULL: the file's
 * folder). Every problem goes into d with file:line:column; NULL when
 * there was one. Plug-ins listed in "agent_libs" are loaded here. */
pl_tournament *pl_tournament_load(const char *path, const char *base,
                                  pl_diag *d);
/* The tournament recorded in a results folder (to resume it). */
pl_tournament *pl_tournament_open(const char *dir, pl_diag *d);
void pl_tournament_free(pl_tournament *t);
const char *pl_tournament_name(const pl_tournament *t);
/* Negotiations in the whole tournament. */
uint64_t pl_tournament_total(const pl_tournament *t);

/* The processes of an MPI job (a library built with -DPARLEY_MPI=ON and
 * started by mpirun), or this one process. Start once per process, before
 * loading, and end after the last tournament. */
pl_processes *pl_processes_start(void);
void pl_processes_end(pl_processes *p);
int pl_processes_rank(const pl_processes *p); /* 0 writes the results */
int pl_processes_count(const pl_processes *p);
/* True on every process iff `ok` on every process. */
bool pl_processes_all(const pl_processes *p, bool ok);

typedef struct pl_tournament_options {
  unsigned threads; /* per process; 0: all cores (shared by local ranks) */
  const char *out;  /* the results folder (required) */
  bool resume;      /* continue the run recorded in `out` */
  /* When *cancel becomes non-zero (from another thread or a signal
   * handler), the negotiations under way finish, are saved, and the run
   * stops with interrupted set: resume it later. NULL: never. */
  volatile sig_atomic_t *cancel;
  /* Called on process 0 as rows arrive, from the calling thread. */
  void (*progress)(void *ctx, uint64_t done, uint64_t total);
  void *progress_ctx;
  FILE *log; /* notes such as "resuming: 120 of 240 done"; may be NULL */
  const pl_processes *processes; /* NULL: this process alone */
} pl_tournament_options;

void pl_tournament_options_init(pl_tournament_options *o);

/* Runs the negotiations not yet in o->out, then writes results.csv and
 * summary.json. NULL with *status PL_EINPUT (bad folder), PL_EIO (cannot
 * write) or PL_ENOMEM and a message in d. The summary covers every row so
 * far (on process 0; elsewhere it is empty). */
pl_tournament_summary *pl_tournament_run(pl_tournament *t,
                                         const pl_tournament_options *o,
                                         pl_diag *d, pl_status *status);

/* ---- The summary (summary.json, docs/tournament.md) ---------------------- */

/* The summary of a results folder's rows, complete or not. */
pl_tournament_summary *pl_tournament_summary_load(const char *dir, pl_diag *d);
void pl_tournament_summary_free(pl_tournament_summary *s);
pl_status pl_tournament_summary_write_text(const pl_tournament_summary *s,
                                           FILE *out);
pl_status pl_tournament_summary_write_json(const pl_tournament_summary *s,
                                           FILE *out);
/* summary.json into buf (terminated when len > 0); returns the length it
 * needs without the terminator, like snprintf (0 when out of memory). */
size_t pl_tournament_summary_json(const pl_tournament_summary *s, char *buf,
                                  size_t len);

/* What the run did (pl_tournament_run; zero for a loaded summary). */
typedef struct pl_tournament_run_info {
  uint64_t total, done_before, played;
  bool interrupted; /* stopped by the cancel flag before the end */
  double seconds;   /* wall time of the negotiations */
  unsigned threads; /* per process */
  int processes;
} pl_tournament_run_info;
pl_tournament_run_info
pl_tournament_summary_run(const pl_tournament_summary *s);

uint64_t pl_tournament_summary_total(const pl_tournament_summary *s);
uint64_t pl_tournament_summary_done(const pl_tournament_summary *s);

/* A mean with its 95% confidence interval (has_ci false below 2 values). */
typedef struct pl_tournament_stat {
  uint64_t n;
  double mean, sd;
  bool has_ci;
  double lo, hi;
} pl_tournament_stat;

/* One agent's line of the ranking. */
typedef struct pl_tournament_standing {
  const char *agent; /* owned by the summary */
  uint32_t rank;     /* 1 = best mean utility */
  uint64_t seats;    /* negotiations it sat in (twice with self-play) */
  pl_tournament_stat utility, discounted, advantage, welfare, pareto, nash;
  uint64_t agreements;
  double rate, rate_lo, rate_hi; /* agreement rate, Wilson interval */
} pl_tournament_standing;

size_t pl_tournament_summary_num_agents(const pl_tournament_summary *s);
/* The i-th of the ranking (0 = first); false past the end. */
bool pl_tournament_summary_standing(const pl_tournament_summary *s, size_t i,
                                    pl_tournament_standing *out);

/* ---- The rows (results.jsonl, docs/tournament.md) ------------------------ */

/* Every complete row of a results folder, by negotiation index. */
pl_tournament_rows *pl_tournament_rows_load(const char *dir, pl_diag *d);
void pl_tournament_rows_free(pl_tournament_rows *r);
size_t pl_tournament_rows_count(const pl_tournament_rows *r);
uint64_t pl_tournament_row_index(const pl_tournament_rows *r, size_t i);
/* The row as one JSON object (not terminated by a newline); its length in
 * *len when len is not NULL; NULL past the end. */
const char *pl_tournament_row_json(const pl_tournament_rows *r, size_t i,
                                   size_t *len);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif
