/* tournament.h - tournaments: every agent against every other, in every
 * role, on many scenarios, several times (docs/tournament.md).
 *
 * Internal to the library: `parley tournament` (cli/tournament.c) and the
 * tests use it. The pieces:
 *   config.c   the configuration file (JSON, schema/tournament.schema.json)
 *   plan.c     the fixed enumeration: index -> scenario, agents, repetition,
 *              seed; so a row depends on nothing but (config, index)
 *   play.c     the per-scenario analysis cache and one negotiation -> row
 *   buf.c      the growable text buffer rows are written into
 *   store.c    the results folder: manifest, results.jsonl, results.csv
 *   summary.c  the ranking with confidence intervals, summary.json
 *   run.c      the thread pool and the coordinator that writes the rows
 *   comm.c     MPI (built with PARLEY_MPI) or a single process
 */
#ifndef PL_TOURNAMENT_TOURNAMENT_H
#define PL_TOURNAMENT_TOURNAMENT_H

#include "negotiation/negotiate.h"
#include "parley_tournament.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- Text buffer (buf.c) ------------------------------------------------- */

typedef struct pl_buf {
  char *p;
  size_t len, cap;
  bool failed; /* an allocation failed: the text is incomplete */
} pl_buf;

void pl_buf_free(pl_buf *b);
void pl_buf_put(pl_buf *b, const char *s, size_t n);
void pl_buf_puts(pl_buf *b, const char *s);
void pl_buf_printf(pl_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A JSON string literal with the escapes JSON needs. */
void pl_buf_json_string(pl_buf *b, const char *s);
/* The shortest decimal that reads back as the same double ('.' whatever
 * the locale); null for NaN and infinities. */
void pl_buf_json_number(pl_buf *b, double x);

/* ---- Configuration (config.c) -------------------------------------------- */

/* Agents are numbered in config order; a match lists one per party. */
typedef uint16_t pl_agent_id;
enum { PL_TOUR_MAX_AGENTS = 4096 };

typedef struct pl_tour_agent {
  char *name;         /* unique label used in rows and the ranking */
  pl_agent_spec spec; /* parsed "class:p=v,..." */
} pl_tour_agent;

/* Every assignment of agents to n parties, in lexicographic order. */
typedef struct pl_tour_tuples {
  uint32_t nparties;
  uint64_t count;
  pl_agent_id *ids; /* count * nparties */
} pl_tour_tuples;

typedef struct pl_tour_scenario {
  char *name;   /* unique label used in rows */
  char *source; /* where it came from, for messages and the manifest */
  pl_scenario *s;
  uint32_t nparties;
  const pl_tour_tuples *tuples; /* assignments for nparties */
  uint64_t first, count;        /* its negotiations: [first, first+count) */
  /* The analysis, computed once per run (pl_tour_analyse). */
  bool analysed;
  size_t nfront;
  double *front_u; /* nfront * nparties: the zone's Pareto frontier */
  bool has_nash;
  double nash_u[PL_MAX_PARTIES];
  double best[PL_MAX_PARTIES]; /* each party's best feasible utility */
  /* Each party's sorted outcomes, built once per run and shared by the
   * agents of every negotiation on the scenario (pl_self_share). */
  pl_self **selves;
} pl_tour_scenario;

typedef struct pl_tournament {
  char *file; /* the configuration's path */
  char *base; /* folder that relative scenario paths start from */
  char *text; /* the configuration as read (copied into the results) */
  char *name;
  pl_tour_scenario *scenarios;
  size_t nscenarios;
  pl_tour_agent *agents;
  size_t nagents;
  pl_tour_tuples *tuples; /* one per distinct number of parties */
  size_t ntuples;
  pl_protocol protocol;
  uint32_t rounds, repetitions;
  bool rotate_roles, self_play, ignore_ratifiers;
  uint64_t seed;
  uint32_t quota, change; /* mediated protocol */
  double anneal;
  uint64_t total; /* negotiations in the whole tournament */
} pl_tournament;

/* Reads a configuration; relative scenario paths start from `base` (NULL:
 * the configuration file's folder). Every problem found goes into d, with
 * file:line:column; NULL when there was one. */
pl_tournament *pl_tournament_load(const char *path, const char *base,
                                  pl_diag *d);
/* The same from text; `file` names it in messages. */
pl_tournament *pl_tournament_parse(const char *text, const char *file,
                                   const char *base, pl_diag *d);
void pl_tournament_free(pl_tournament *t);
int32_t pl_tournament_find_agent(const pl_tournament *t, const char *name);

/* ---- The enumeration (plan.c) -------------------------------------------- */

typedef struct pl_tour_match {
  uint32_t scenario;
  uint32_t repetition;
  const pl_agent_id *agents; /* one per party, in party order */
  uint64_t seed;             /* the negotiation's seed */
} pl_tour_match;

/* Builds the assignments and numbers the negotiations: scenario by
 * scenario in config order, then assignment, then repetition. False (with
 * a message) when the tournament would be too large. */
bool pl_tour_plan(pl_tournament *t, pl_diag *d);
/* Negotiation `index` (< t->total). */
void pl_tour_match_at(const pl_tournament *t, uint64_t index, pl_tour_match *m);
/* The seed of negotiation `index`: from (tournament seed, index) only. */
uint64_t pl_tour_seed(uint64_t tournament_seed, uint64_t index);

/* ---- Playing (play.c) ---------------------------------------------------- */

/* Analyses scenario k once (frontier of the zone, Nash point, each party's
 * best feasible utility). A refused analysis leaves the distances null. */
void pl_tour_analyse(pl_tournament *t, size_t k, unsigned threads);
void pl_tour_forget_analysis(pl_tour_scenario *sc);
/* Builds each party's outcome table of scenario k (on every rank: it
 * cannot travel); without it every negotiation builds its own. */
void pl_tour_build_selves(pl_tournament *t, size_t k, uint32_t party);
void pl_tour_forget_selves(pl_tour_scenario *sc);
/* Runs negotiation `index` and appends its row (one JSON line with its
 * '\n') to `row`. False with a message when an agent refused to start or
 * memory ran out. */
bool pl_tour_play(const pl_tournament *t, uint64_t index, pl_buf *row,
                  pl_diag *d);

/* ---- Rows read back (store.c) -------------------------------------------- */

/* Rows as text lines, each with its index. */
typedef struct pl_tour_line {
  uint64_t index;
  size_t off; /* into the text */
  size_t len; /* without the '\n' */
} pl_tour_line;

typedef struct pl_tour_lines {
  pl_buf text;
  pl_tour_line *at;
  size_t n, cap;
} pl_tour_lines;

void pl_tour_lines_free(pl_tour_lines *l);
bool pl_tour_lines_add(pl_tour_lines *l, uint64_t index, const char *line,
                       size_t len);
/* Sorts by index and keeps the first of duplicates. */
void pl_tour_lines_sort(pl_tour_lines *l);

/* What a folder's results.jsonl held. `dropped` counts lines that were not
 * complete rows (a torn last line after a kill, or garbage); `notes` says
 * which. */
typedef struct pl_tour_read {
  size_t dropped;
  bool torn_last; /* the last line had no '\n' or did not parse */
} pl_tour_read;

bool pl_tour_read_lines(const char *path, pl_tour_lines *out,
                        pl_tour_read *info, pl_diag *d);

/* One row as the summary needs it. */
typedef struct pl_tour_result {
  uint64_t index;
  uint32_t scenario; /* index into the summary's scenario names */
  uint32_t nparties;
  int32_t *agents; /* agent index per party (-1: not in the list) */
  double *utility, *discounted, *advantage;
  bool agreement;
  bool has_pareto, has_nash;
  double pareto, nash, welfare;
} pl_tour_result;

/* ---- The results folder (store.c) ---------------------------------------- */

/* File names inside the --out folder. */
#define PL_TOUR_RESULTS "results.jsonl"
#define PL_TOUR_CSV "results.csv"
#define PL_TOUR_SUMMARY "summary.json"
#define PL_TOUR_MANIFEST "tournament-run.json"
#define PL_TOUR_CONFIG "config.json"

/* What the manifest records: enough to resume and to summarise without
 * loading the scenarios again. */
typedef struct pl_tour_manifest {
  char *name, *base, *source;
  uint64_t total, seed;
  char **agents;
  size_t nagents;
  char **scenarios;
  size_t nscenarios;
} pl_tour_manifest;

void pl_tour_manifest_free(pl_tour_manifest *m);
bool pl_tour_manifest_read(const char *dir, pl_tour_manifest *m, pl_diag *d);

/* A fresh run: creates the folder, refuses one that already holds results
 * (PL_EINPUT), writes the manifest and a copy of the configuration (PL_EIO
 * when it cannot). */
pl_status pl_tour_store_create(const pl_tournament *t, const char *dir,
                               pl_diag *d);
/* Writes all len bytes to fd, retrying short writes and EINTR; false on an
 * error (errno says which). */
bool pl_tour_write_all(int fd, const char *p, size_t len);
/* Writes `text` to dir/name through a temporary file, renamed and synced,
 * so a crash never leaves half a file in place of a good one. */
bool pl_tour_write_atomic(const char *dir, const char *name, const char *text,
                          size_t len, pl_diag *d);
/* Makes results.jsonl hold exactly `lines`, in order (atomically). */
bool pl_tour_rewrite_results(const char *dir, const pl_tour_lines *lines,
                             pl_diag *d);
/* results.csv from the rows (sorted). */
bool pl_tour_write_csv(const char *dir, const pl_tour_lines *lines, pl_diag *d);
/* Path of dir/name in buf (false when it does not fit). */
bool pl_tour_path(char *buf, size_t len, const char *dir, const char *name);
/* Whether a row belongs to negotiation `index` of this tournament (same
 * scenario and agents), so a wrong folder is not resumed. */
bool pl_tour_row_matches(const pl_tournament *t, uint64_t index,
                         const char *line, size_t len);

/* ---- Summary (summary.c) ------------------------------------------------- */

/* Mean with its 95% interval. */
typedef struct pl_tour_stat {
  uint64_t n;
  double mean, sd;
  bool has_ci;
  double lo, hi;
} pl_tour_stat;

typedef struct pl_tour_standing {
  const char *agent; /* owned by the summary */
  uint32_t rank;
  uint64_t n; /* seats taken (negotiations, twice with self-play) */
  pl_tour_stat utility, discounted, advantage, welfare, pareto, nash;
  uint64_t agreements;
  double rate, rate_lo, rate_hi; /* agreement rate, Wilson interval */
} pl_tour_standing;

typedef struct pl_tour_summary {
  char *name;
  uint64_t total, done;
  size_t nagents;
  pl_tour_standing *standings; /* ranked: mean utility, then name */
  size_t nscenarios;
  char **scenarios;
  uint64_t *sc_done, *sc_agreements;
  pl_tour_stat *sc_welfare;
} pl_tour_summary;

/* Two-sided 95% Student t quantile t(0.975, df). */
double pl_tour_t975(uint64_t df);
/* Adds x to a running mean and sum of squares (Welford) in row order. */
void pl_tour_stat_add(pl_tour_stat *s, double x, double *m2);
void pl_tour_stat_finish(pl_tour_stat *s, double m2);

/* Builds the ranking from the rows (sorted by index). */
bool pl_tour_summarise(const pl_tour_manifest *m, const pl_tour_lines *rows,
                       pl_tour_summary *out, pl_diag *d);
void pl_tour_summary_free(pl_tour_summary *s);
void pl_tour_summary_text(const pl_tour_summary *s, FILE *out);
/* summary.json (keys in docs/tournament.md). */
char *pl_tour_summary_json(const pl_tour_summary *s);

/* ---- Processes (comm.c) -------------------------------------------------- */

/* The ranks of an MPI job, or one process. Only the coordinating thread
 * of each rank talks to the others (MPI_THREAD_FUNNELED). */
typedef struct pl_tour_comm {
  int rank, size;
  int local_size; /* ranks on this machine, to share its cores */
  bool mpi;       /* MPI_Init was called (and MPI_Finalize is due) */
} pl_tour_comm;

/* Starts MPI when the program was built with it and started by an MPI
 * launcher (mpirun sets OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK);
 * otherwise one process. */
void pl_tour_comm_init(pl_tour_comm *c);
void pl_tour_comm_finalize(pl_tour_comm *c);
/* Whether the program was built with MPI. */
bool pl_tour_comm_built_with_mpi(void);
/* Ends every rank at once (rank 0 could not write the results). */
void pl_tour_comm_abort(const pl_tour_comm *c, int code);
/* True on every rank iff `ok` on every rank. */
bool pl_tour_comm_all(const pl_tour_comm *c, bool ok);
/* Rank 0's bytes to every rank. */
bool pl_tour_comm_bcast(const pl_tour_comm *c, void *buf, size_t bytes,
                        int root);
/* Rows from a rank to rank 0; `done` says the rank has finished. */
bool pl_tour_comm_send(const pl_tour_comm *c, const char *rows, size_t len,
                       bool done);
/* Rank 0: one message if one is waiting (false otherwise); `*done` when a
 * rank said it has finished. The rows are appended to `rows`. */
bool pl_tour_comm_poll(const pl_tour_comm *c, pl_buf *rows, bool *done);

/* ---- Running (run.c) ----------------------------------------------------- */

typedef struct pl_tour_options {
  unsigned threads; /* per rank; 0: the machine's cores shared by its ranks */
  const char *out;  /* the results folder */
  bool resume;      /* continue the run in `out` */
  /* Set asynchronously (SIGINT): finish the negotiations under way, save
   * them and stop. */
  volatile sig_atomic_t *stop;
  /* Called on rank 0 as rows arrive, from the coordinating thread. */
  void (*progress)(void *ctx, uint64_t done, uint64_t total);
  void *progress_ctx;
  FILE *log; /* notes such as "resuming: 120 of 240 done"; may be NULL */
  /* fsync after this many rows or seconds, whichever first (0: 256, 1 s) */
  unsigned sync_rows;
  double sync_seconds;
  const pl_tour_comm *comm; /* NULL: one process */
} pl_tour_options;

void pl_tour_options_init(pl_tour_options *o);

/* What a run did (rank 0). */
typedef struct pl_tour_outcome {
  uint64_t total, done_before, played;
  bool interrupted;
  double seconds;   /* wall time of the negotiations */
  unsigned threads; /* per rank */
  int ranks;
  pl_tour_summary summary; /* of every row so far (pl_tour_summary_free) */
} pl_tour_outcome;

/* Runs the missing negotiations into o->out, then writes results.csv and
 * summary.json (rank 0). PL_OK, PL_EINPUT (bad folder), PL_EIO (cannot
 * write), PL_ENOMEM. */
pl_status pl_tour_run(pl_tournament *t, const pl_tour_options *o,
                      pl_tour_outcome *res, pl_diag *d);
/* Loads the tournament recorded in a results folder (its copy of the
 * configuration, paths from the original folder). */
pl_tournament *pl_tournament_open(const char *dir, pl_diag *d);
/* The summary of a folder's rows (complete or not). */
bool pl_tour_summary_of(const char *dir, pl_tour_summary *out, pl_diag *d);
/* A manifest describing `t` (for summaries during a run). */
bool pl_tour_manifest_of(const pl_tournament *t, pl_tour_manifest *m);

#endif
