/* run.c - running a tournament: a pool of worker threads plays the missing
 * negotiations; each rank's main thread coordinates.
 *
 * Workers take indices from an atomic counter (negotiations differ a lot in
 * length, so handing them out one at a time keeps every core busy) and put
 * finished rows on a queue. The coordinator of rank 0 appends them to
 * results.jsonl as they come, in whatever order they finish (the index in
 * each row, not its place in the file, says which negotiation it is), and
 * fsyncs in batches; other ranks' coordinators send theirs to rank 0. A
 * kill loses only the negotiations under way: the next --resume runs
 * exactly the indices missing from the file.
 */
#define _POSIX_C_SOURCE 200809L
#include "tournament/tournament.h"
#include "util/diag.h"
#include "util/parallel.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void pl_tour_options_init(pl_tour_options *o) {
  memset(o, 0, sizeof *o);
  o->sync_rows = 256;
  o->sync_seconds = 1.0;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- What to run --------------------------------------------------------- */

/* The indices still to play: every one for a fresh run (`all`), else the
 * sorted list of missing ones. */
typedef struct todo {
  bool all;
  uint64_t n;
  uint64_t *ix;
} todo;

static uint64_t todo_at(const todo *w, uint64_t k) {
  return w->all ? k : w->ix[k];
}

static bool todo_missing(todo *w, const pl_tournament *t,
                         const pl_tour_lines *have) {
  w->all = false;
  w->n = t->total - have->n;
  w->ix = malloc((w->n ? w->n : 1) * sizeof *w->ix);
  if (!w->ix)
    return false;
  uint64_t k = 0, j = 0;
  for (uint64_t i = 0; i < t->total; i++) {
    while (j < have->n && have->at[j].index < i)
      j++;
    if (j < have->n && have->at[j].index == i)
      continue;
    w->ix[k++] = i;
  }
  w->n = k;
  return true;
}

/* ---- Worker threads ------------------------------------------------------ */

typedef struct pool {
  const pl_tournament *t;
  const todo *work;
  uint64_t first, stride, mine; /* this rank's share: first + k * stride */
  atomic_uint_fast64_t next;
  atomic_int stop;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  pl_buf queue;   /* finished rows, whole lines */
  unsigned alive; /* workers still running */
  bool failed;
  char failure[1024];
} pool;

static void fail_pool(pool *p, const pl_diag *d) {
  if (!p->failed) {
    p->failed = true;
    pl_problem pr = pl_diag_get(d, 0);
    snprintf(p->failure, sizeof p->failure, "%s",
             pr.message ? pr.message : "out of memory");
    for (size_t k = 1; k < pl_diag_count(d); k++) {
      size_t n = strlen(p->failure);
      snprintf(p->failure + n, sizeof p->failure - n, "; %s",
               pl_diag_get(d, k).message);
    }
  }
  atomic_store(&p->stop, 1);
}

static void *worker(void *arg) {
  pool *p = arg;
  pl_buf row = {0};
  pl_diag *d = pl_diag_new();
  while (!atomic_load(&p->stop)) {
    uint64_t k = atomic_fetch_add(&p->next, 1);
    if (k >= p->mine)
      break;
    row.len = 0;
    bool ok =
        d &&
        pl_tour_play(p->t, todo_at(p->work, p->first + k * p->stride), &row, d);
    pthread_mutex_lock(&p->mu);
    if (ok)
      pl_buf_put(&p->queue, row.p, row.len);
    if (!ok || p->queue.failed)
      fail_pool(p, d);
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
  }
  pthread_mutex_lock(&p->mu);
  p->alive--;
  pthread_cond_signal(&p->cv);
  pthread_mutex_unlock(&p->mu);
  pl_buf_free(&row);
  pl_diag_free(d);
  return NULL;
}

static unsigned start_pool(pool *p, unsigned threads, pthread_t *tid) {
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv, NULL);
  atomic_init(&p->next, 0);
  atomic_init(&p->stop, 0);
  /* Counted before any thread runs: a worker that ends at once must not
   * find a count that does not include it yet. */
  p->alive = threads;
  unsigned started = 0;
  for (unsigned k = 0; k < threads; k++)
    if (pthread_create(&tid[started], NULL, worker, p) == 0)
      started++;
  pthread_mutex_lock(&p->mu);
  p->alive -= threads - started;
  pthread_mutex_unlock(&p->mu);
  return started;
}

static void stop_pool(pool *p, pthread_t *tid, unsigned started) {
  atomic_store(&p->stop, 1);
  for (unsigned k = 0; k < started; k++)
    pthread_join(tid[k], NULL);
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->cv);
  pl_buf_free(&p->queue);
}

/* Waits up to `seconds` for rows, then takes all of them (swapping the
 * queue with the empty buffer `out`). Returns the workers still alive. */
static unsigned take_rows(pool *p, pl_buf *out, double seconds) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  long ns = until.tv_nsec + (long)(seconds * 1e9);
  until.tv_sec += ns / 1000000000L;
  until.tv_nsec = ns % 1000000000L;
  pthread_mutex_lock(&p->mu);
  while (p->queue.len == 0 && p->alive > 0 &&
         pthread_cond_timedwait(&p->cv, &p->mu, &until) == 0)
    ;
  pl_buf full = p->queue;
  p->queue = *out;
  *out = full;
  unsigned alive = p->alive;
  pthread_mutex_unlock(&p->mu);
  return alive;
}

/* ---- Rank 0: the results file -------------------------------------------- */

typedef struct writer {
  const char *dir;
  int fd;
  pl_tour_lines *lines; /* every row of the file so far */
  uint64_t unsynced;
  double synced_at;
  const pl_tour_options *o;
  bool failed;
} writer;

/* Rows begin with {"index":N (play.c writes them so). */
static bool remember_rows(pl_tour_lines *l, const char *text, size_t len,
                          uint64_t *count) {
  for (size_t at = 0; at < len;) {
    const char *nl = memchr(text + at, '\n', len - at);
    size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
    uint64_t index = strtoull(text + at + strlen("{\"index\":"), NULL, 10);
    if (!pl_tour_lines_add(l, index, text + at, n))
      return false;
    (*count)++;
    at += n + 1;
  }
  return true;
}

/* Appends whole rows with one write and fsyncs every sync_rows rows or
 * sync_seconds: a power loss costs at most that batch, never the file. */
static bool write_rows(writer *w, const char *text, size_t len, pl_diag *d) {
  if (len == 0 || w->failed)
    return !w->failed;
  uint64_t n = 0;
  if (!pl_tour_write_all(w->fd, text, len)) {
    pl_diag_add(d, w->dir, 0, 0, "cannot write %s: %s", PL_TOUR_RESULTS,
                strerror(errno));
    w->failed = true;
    return false;
  }
  if (!remember_rows(w->lines, text, len, &n)) {
    pl_diag_add(d, NULL, 0, 0, "out of memory keeping the rows");
    w->failed = true;
    return false;
  }
  w->unsynced += n;
  if (w->unsynced >= w->o->sync_rows ||
      now() - w->synced_at >= w->o->sync_seconds) {
    fdatasync(w->fd);
    w->unsynced = 0;
    w->synced_at = now();
  }
  return true;
}

static bool open_results(writer *w, pl_diag *d) {
  char path[4096];
  if (!pl_tour_path(path, sizeof path, w->dir, PL_TOUR_RESULTS)) {
    pl_diag_add(d, w->dir, 0, 0, "path too long");
    return false;
  }
  w->fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (w->fd < 0)
    pl_diag_add(d, path, 0, 0, "cannot write: %s", strerror(errno));
  w->synced_at = now();
  return w->fd >= 0;
}

/* ---- The coordinator ----------------------------------------------------- */

typedef struct run {
  pl_tournament *t;
  const pl_tour_options *o;
  const pl_tour_comm *c;
  todo work;
  pl_tour_lines lines;
  pl_tour_outcome *res;
  uint64_t done; /* rows in the file */
} run;

static void progress(run *r) {
  if (r->o->progress && r->c->rank == 0)
    r->o->progress(r->o->progress_ctx, r->done, r->t->total);
}

/* Rank 0: local rows and other ranks' rows into the file. */
static bool gather(run *r, pool *p, writer *w, pl_diag *d) {
  pl_buf got = {0};
  int ranks_left = r->c->size - 1;
  double wait = r->c->size > 1 ? 0.002 : 0.2;
  for (;;) {
    unsigned alive = take_rows(p, &got, wait);
    uint64_t before = w->lines->n;
    bool ok = write_rows(w, got.p, got.len, d);
    got.len = 0;
    bool done_rank;
    while (ok && pl_tour_comm_poll(r->c, &got, &done_rank)) {
      ranks_left -= done_rank;
      ok = write_rows(w, got.p, got.len, d);
      got.len = 0;
    }
    r->done += w->lines->n - before;
    progress(r);
    if (!ok) {
      pl_buf_free(&got);
      return false;
    }
    if (r->o->stop && *r->o->stop)
      atomic_store(&p->stop, 1);
    /* No worker left means the last rows were just taken. */
    if (alive == 0 && ranks_left == 0)
      break;
  }
  pl_buf_free(&got);
  return true;
}

/* Other ranks: local rows to rank 0. */
static bool forward(run *r, pool *p) {
  pl_buf got = {0};
  bool ok = true;
  for (;;) {
    unsigned alive = take_rows(p, &got, 0.1);
    ok = ok && pl_tour_comm_send(r->c, got.p, got.len, false);
    got.len = 0;
    if (r->o->stop && *r->o->stop)
      atomic_store(&p->stop, 1);
    if (alive == 0)
      break;
  }
  pl_buf_free(&got);
  return pl_tour_comm_send(r->c, NULL, 0, true) && ok;
}

static unsigned threads_for(const pl_tour_options *o, const pl_tour_comm *c) {
  if (o->threads)
    return o->threads;
  unsigned cores = pl_thread_count(0);
  unsigned share = cores / (unsigned)(c->local_size > 0 ? c->local_size : 1);
  return share ? share : 1;
}

/* Plays this rank's share of the missing negotiations. */
static bool play_share(run *r, writer *w, pl_diag *d) {
  const pl_tour_comm *c = r->c;
  unsigned threads = threads_for(r->o, c);
  pool p = {.t = r->t,
            .work = &r->work,
            .first = (uint64_t)c->rank,
            .stride = (uint64_t)c->size};
  p.mine = r->work.n > p.first ? (r->work.n - p.first - 1) / p.stride + 1 : 0;
  unsigned workers = threads < p.mine ? threads : (unsigned)p.mine;
  pthread_t *tid = calloc(workers ? workers : 1, sizeof *tid);
  unsigned started = start_pool(&p, tid ? workers : 0, tid);
  bool ok = started > 0 || p.mine == 0;
  if (!ok)
    pl_diag_add(d, NULL, 0, 0, "cannot start the worker threads");
  double t0 = now();
  ok = (c->rank == 0 ? gather(r, &p, w, d) : forward(r, &p)) && ok;
  r->res->seconds = now() - t0;
  r->res->threads = threads;
  if (p.failed)
    pl_diag_add(d, NULL, 0, 0, "%s", p.failure);
  ok = ok && !p.failed;
  stop_pool(&p, tid, started);
  free(tid);
  return ok;
}

/* ---- Preparing: the folder, the missing indices, the analyses ------------ */

static bool check_rows(run *r, pl_diag *d) {
  for (size_t k = 0; k < r->lines.n; k++) {
    const pl_tour_line *l = &r->lines.at[k];
    if (!pl_tour_row_matches(r->t, l->index, r->lines.text.p + l->off,
                             l->len)) {
      pl_diag_add(d, r->o->out, 0, 0,
                  "row %llu of %s does not belong to this tournament (other "
                  "scenario or agents): not resuming",
                  (unsigned long long)l->index, PL_TOUR_RESULTS);
      return false;
    }
  }
  return true;
}

/* The rows already written: PL_EINPUT when they cannot be read or do not
 * belong to this tournament, PL_EIO when the cleaned file cannot be written
 * back (a full disk). */
static pl_status load_existing(run *r, pl_diag *d) {
  char path[4096];
  pl_tour_read info;
  if (!pl_tour_path(path, sizeof path, r->o->out, PL_TOUR_RESULTS) ||
      !pl_tour_read_lines(path, &r->lines, &info, d))
    return PL_EINPUT;
  size_t read = r->lines.n;
  pl_tour_lines_sort(&r->lines);
  if (!check_rows(r, d))
    return PL_EINPUT;
  if (info.dropped && r->o->log)
    fprintf(r->o->log, "parley: dropped %zu incomplete line%s of %s (%s)\n",
            info.dropped, info.dropped == 1 ? "" : "s", PL_TOUR_RESULTS,
            info.torn_last ? "the last row was being written when the run "
                             "stopped"
                           : "not a row");
  /* Rewritten without the torn line, so that appending starts clean. */
  if ((info.dropped || read != r->lines.n) &&
      !pl_tour_rewrite_results(r->o->out, &r->lines, d))
    return PL_EIO;
  return PL_OK;
}

/* Rank 0: the folder and the list of what is missing. */
static pl_status prepare_root(run *r, pl_diag *d) {
  if (!r->o->resume) {
    r->work.all = true;
    r->work.n = r->t->total;
    return pl_tour_store_create(r->t, r->o->out, d);
  }
  pl_status st = load_existing(r, d);
  if (st != PL_OK)
    return st;
  if (!todo_missing(&r->work, r->t, &r->lines)) {
    pl_diag_add(d, NULL, 0, 0, "out of memory");
    return PL_ENOMEM;
  }
  if (r->o->log)
    fprintf(r->o->log,
            "parley: resuming %s: %llu of %llu negotiations done, "
            "%llu to run\n",
            r->o->out, (unsigned long long)r->lines.n,
            (unsigned long long)r->t->total, (unsigned long long)r->work.n);
  return PL_OK;
}

/* Every rank gets rank 0's list of missing indices. */
static bool share_todo(run *r) {
  const pl_tour_comm *c = r->c;
  uint64_t head[2] = {r->work.all, r->work.n};
  if (!pl_tour_comm_bcast(c, head, sizeof head, 0))
    return false;
  r->work.all = head[0] != 0;
  r->work.n = head[1];
  if (r->work.all)
    return true;
  /* Ranks other than 0 have no list yet (prepare_root runs on rank 0). */
  if (c->rank != 0) {
    free(r->work.ix); /* NULL: ownership stays obvious */
    r->work.ix = malloc((r->work.n ? r->work.n : 1) * sizeof *r->work.ix);
  }
  if (!pl_tour_comm_all(c, r->work.ix != NULL))
    return false;
  return pl_tour_comm_bcast(c, r->work.ix, r->work.n * sizeof *r->work.ix, 0);
}

static void needed_scenarios(const run *r, bool *need) {
  for (uint64_t k = 0; k < r->work.n; k++) {
    pl_tour_match m;
    pl_tour_match_at(r->t, todo_at(&r->work, k), &m);
    need[m.scenario] = true;
    if (r->work.all) { /* every index: every scenario */
      for (size_t s = 0; s < r->t->nscenarios; s++)
        need[s] = true;
      return;
    }
  }
}

typedef struct analysis_head {
  uint64_t nfront;
  uint8_t has_nash;
  double nash_u[PL_MAX_PARTIES], best[PL_MAX_PARTIES];
} analysis_head;

/* Scenario k's analysis from the rank that made it to every other. */
static bool share_analysis(run *r, size_t k) {
  pl_tour_scenario *sc = &r->t->scenarios[k];
  int owner = (int)(k % (size_t)r->c->size);
  analysis_head h = {sc->nfront, sc->has_nash, {0}, {0}};
  memcpy(h.nash_u, sc->nash_u, sizeof h.nash_u);
  memcpy(h.best, sc->best, sizeof h.best);
  if (!pl_tour_comm_bcast(r->c, &h, sizeof h, owner))
    return false;
  if (r->c->rank != owner) {
    pl_tour_forget_analysis(sc);
    sc->front_u =
        h.nfront ? malloc(h.nfront * sc->nparties * sizeof(double)) : NULL;
    sc->nfront = sc->front_u ? h.nfront : 0;
    sc->has_nash = h.has_nash;
    memcpy(sc->nash_u, h.nash_u, sizeof h.nash_u);
    memcpy(sc->best, h.best, sizeof h.best);
    sc->analysed = true;
  }
  bool ok = pl_tour_comm_all(r->c, !h.nfront || sc->front_u);
  return ok &&
         pl_tour_comm_bcast(r->c, sc->front_u,
                            h.nfront * sc->nparties * sizeof(double), owner);
}

/* Each scenario is analysed once: on one rank, spread over the ranks, and
 * sent to the others. */
static bool analyse(run *r, const bool *need, pl_diag *d) {
  size_t n = r->t->nscenarios;
  unsigned threads = threads_for(r->o, r->c);
  for (size_t k = 0; k < n; k++)
    if (need[k] && (int)(k % (size_t)r->c->size) == r->c->rank)
      pl_tour_analyse(r->t, k, threads);
  bool ok = true;
  for (size_t k = 0; k < n && ok && r->c->size > 1; k++)
    if (need[k])
      ok = share_analysis(r, k);
  if (!ok)
    pl_diag_add(d, NULL, 0, 0, "out of memory sharing the analyses");
  return ok;
}

/* The agents' outcome tables: one job per scenario and party, built by as
 * many threads as will play (a table of 10^6 outcomes takes a second). */
typedef struct builder {
  pl_tournament *t;
  const uint64_t *jobs; /* scenario * PL_MAX_PARTIES + party */
  size_t njobs;
  atomic_size_t next;
} builder;

static void *build_jobs(void *arg) {
  builder *b = arg;
  for (size_t k; (k = atomic_fetch_add(&b->next, 1)) < b->njobs;)
    pl_tour_build_selves(b->t, b->jobs[k] / PL_MAX_PARTIES,
                         (uint32_t)(b->jobs[k] % PL_MAX_PARTIES));
  return NULL;
}

/* Without the tables (out of memory) each negotiation builds its own. */
static void build_selves(run *r, const bool *need) {
  pl_tournament *t = r->t;
  size_t njobs = 0;
  uint64_t *jobs = calloc(t->nscenarios * PL_MAX_PARTIES, sizeof *jobs);
  for (size_t k = 0; jobs && k < t->nscenarios; k++) {
    pl_tour_scenario *sc = &t->scenarios[k];
    if (!need[k] || sc->selves)
      continue;
    sc->selves = calloc(sc->nparties, sizeof *sc->selves);
    for (uint32_t p = 0; sc->selves && p < sc->nparties; p++)
      jobs[njobs++] = k * PL_MAX_PARTIES + p;
  }
  builder b = {.t = t, .jobs = jobs, .njobs = njobs};
  atomic_init(&b.next, 0);
  unsigned threads = threads_for(r->o, r->c);
  threads = threads < njobs ? threads : (unsigned)njobs;
  pthread_t tid[64];
  unsigned started = 0;
  for (unsigned k = 1; k < threads && k < 64; k++)
    started += pthread_create(&tid[started], NULL, build_jobs, &b) == 0;
  build_jobs(&b);
  for (unsigned k = 0; k < started; k++)
    pthread_join(tid[k], NULL);
  free(jobs);
}

/* What the negotiations to play need: each scenario analysed once (on one
 * rank, shared with the others) and its agents' tables. */
static bool prepare_scenarios(run *r, pl_diag *d) {
  bool *need = calloc(r->t->nscenarios, sizeof *need);
  /* every rank agrees; `!need` only says so where the analyzer can see it
   * (the collective answers false if any rank is short) */
  if (!pl_tour_comm_all(r->c, need != NULL) || !need) {
    free(need);
    pl_diag_add(d, NULL, 0, 0, "out of memory");
    return false;
  }
  needed_scenarios(r, need);
  bool ok = analyse(r, need, d);
  if (ok)
    build_selves(r, need);
  free(need);
  return ok;
}

/* ---- Finishing (rank 0) -------------------------------------------------- */

bool pl_tour_manifest_of(const pl_tournament *t, pl_tour_manifest *m) {
  *m = (pl_tour_manifest){.total = t->total, .seed = t->seed};
  m->name = strdup(t->name);
  m->agents = calloc(t->nagents, sizeof *m->agents);
  m->scenarios = calloc(t->nscenarios, sizeof *m->scenarios);
  bool ok = m->name && m->agents && m->scenarios;
  for (size_t k = 0; ok && k < t->nagents; k++, m->nagents++)
    ok = (m->agents[k] = strdup(t->agents[k].name)) != NULL;
  for (size_t k = 0; ok && k < t->nscenarios; k++, m->nscenarios++)
    ok = (m->scenarios[k] = strdup(t->scenarios[k].name)) != NULL;
  if (!ok)
    pl_tour_manifest_free(m);
  return ok;
}

/* Rows in index order (so the file is the same however it was run), the
 * CSV and the summary: PL_EIO when a file cannot be written (a full disk). */
static pl_status finish(run *r, pl_diag *d) {
  pl_tour_lines_sort(&r->lines);
  pl_tour_manifest m;
  if (!pl_tour_manifest_of(r->t, &m)) {
    pl_diag_add(d, NULL, 0, 0, "out of memory");
    return PL_ENOMEM;
  }
  pl_status st = PL_OK;
  if (!pl_tour_rewrite_results(r->o->out, &r->lines, d) ||
      !pl_tour_write_csv(r->o->out, &r->lines, d))
    st = PL_EIO;
  else if (!pl_tour_summarise(&m, &r->lines, &r->res->summary, d))
    st = PL_ENOMEM; /* its only failure */
  char *json = st == PL_OK ? pl_tour_summary_json(&r->res->summary) : NULL;
  if (st == PL_OK && !json) {
    pl_diag_add(d, NULL, 0, 0, "out of memory");
    st = PL_ENOMEM;
  } else if (st == PL_OK && !pl_tour_write_atomic(r->o->out, PL_TOUR_SUMMARY,
                                                  json, strlen(json), d)) {
    st = PL_EIO;
  }
  free(json);
  pl_tour_manifest_free(&m);
  return st;
}

/* ---- The whole run ------------------------------------------------------- */

static pl_status execute(run *r, pl_diag *d) {
  const pl_tour_comm *c = r->c;
  pl_status st = c->rank == 0 ? prepare_root(r, d) : PL_OK;
  if (!pl_tour_comm_bcast(c, &st, sizeof st, 0) || st != PL_OK)
    return st; /* rank 0 says why */
  r->res->done_before = r->lines.n;
  r->done = r->lines.n;
  if (!share_todo(r) || !prepare_scenarios(r, d))
    return PL_ENOMEM;
  writer w = {.dir = r->o->out, .fd = -1, .lines = &r->lines, .o = r->o};
  bool ok = c->rank != 0 || open_results(&w, d);
  if (!pl_tour_comm_all(c, ok))
    return PL_EIO;
  progress(r);
  ok = play_share(r, &w, d);
  if (w.fd >= 0) {
    fsync(w.fd);
    close(w.fd);
  }
  r->res->played = r->done - r->res->done_before;
  r->res->interrupted = r->o->stop && *r->o->stop && r->done < r->t->total;
  pl_status fin = PL_OK;
  if (c->rank == 0 && !w.failed)
    fin = finish(r, d);
  else if (w.failed)
    pl_tour_comm_abort(c, PL_EIO); /* the others would wait for rank 0 */
  if (pl_tour_comm_all(c, ok && fin == PL_OK))
    return PL_OK;
  return w.failed ? PL_EIO : fin != PL_OK ? fin : PL_EINPUT;
}

pl_status pl_tour_run(pl_tournament *t, const pl_tour_options *o,
                      pl_tour_outcome *res, pl_diag *d) {
  pl_tour_comm single = {.rank = 0, .size = 1, .local_size = 1};
  pl_tour_options defaults;
  if (!o->sync_rows || o->sync_seconds <= 0) {
    defaults = *o;
    defaults.sync_rows = o->sync_rows ? o->sync_rows : 256;
    defaults.sync_seconds = o->sync_seconds > 0 ? o->sync_seconds : 1.0;
    o = &defaults;
  }
  memset(res, 0, sizeof *res);
  res->total = t->total;
  run r = {.t = t, .o = o, .c = o->comm ? o->comm : &single, .res = res};
  res->ranks = r.c->size;
  pl_status st = execute(&r, d);
  pl_tour_lines_free(&r.lines);
  free(r.work.ix);
  return st;
}

/* ---- Reopening a folder -------------------------------------------------- */

static bool same_names(const pl_tournament *t, const pl_tour_manifest *m) {
  bool same = t->nagents == m->nagents && t->nscenarios == m->nscenarios &&
              t->total == m->total;
  for (size_t k = 0; same && k < t->nagents; k++)
    same = !strcmp(t->agents[k].name, m->agents[k]);
  for (size_t k = 0; same && k < t->nscenarios; k++)
    same = !strcmp(t->scenarios[k].name, m->scenarios[k]);
  return same;
}

pl_tournament *pl_tournament_open(const char *dir, pl_diag *d) {
  pl_tour_manifest m;
  if (!pl_tour_manifest_read(dir, &m, d))
    return NULL;
  char path[4096];
  pl_tournament *t = NULL;
  if (pl_tour_path(path, sizeof path, dir, PL_TOUR_CONFIG))
    t = pl_tournament_load(path, m.base, d);
  if (t && !same_names(t, &m)) {
    pl_diag_add(d, path, 0, 0,
                "the tournament no longer matches its results (a scenario's "
                "name or number of parties changed since the run began): "
                "start a new run instead of resuming");
    pl_tournament_free(t);
    t = NULL;
  }
  pl_tour_manifest_free(&m);
  return t;
}

bool pl_tour_summary_of(const char *dir, pl_tour_summary *out, pl_diag *d) {
  pl_tour_manifest m;
  if (!pl_tour_manifest_read(dir, &m, d))
    return false;
  char path[4096];
  pl_tour_lines lines = {0};
  pl_tour_read info;
  bool ok = pl_tour_path(path, sizeof path, dir, PL_TOUR_RESULTS) &&
            pl_tour_read_lines(path, &lines, &info, d);
  if (ok) {
    pl_tour_lines_sort(&lines);
    ok = pl_tour_summarise(&m, &lines, out, d);
  }
  pl_tour_lines_free(&lines);
  pl_tour_manifest_free(&m);
  return ok;
}
