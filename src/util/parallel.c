#define _POSIX_C_SOURCE 200809L
#include "util/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

/* One parallel loop. The caller works too and then waits, on a condition
 * variable (never spinning), only until every index is done: not for the
 * helpers to exit. On a busy machine a helper thread may first run long
 * after it was created; it then finds no chunk left and leaves without
 * being waited for, so a loaded machine costs at most the work itself.
 * The job is therefore shared and freed by whoever leaves it last. */
typedef struct job {
  pl_chunk_fn fn;
  void *ctx;
  uint64_t total, chunk;
  atomic_uint_fast64_t next;
  pthread_mutex_t mu;
  pthread_cond_t all_done;
  uint64_t done;  /* indices finished (under mu) */
  unsigned users; /* the caller and the helpers still holding the job */
} job;

typedef struct worker_arg {
  job *j;
  unsigned id;
} worker_arg;

unsigned pl_thread_count(unsigned requested) {
  if (requested)
    return requested > 1024 ? 1024 : requested;
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1;
}

unsigned pl_threads_for(unsigned requested, uint64_t work) {
  uint64_t most = work / PL_MIN_THREAD_SHARE;
  if (most <= 1 || requested == 1)
    return 1;
  unsigned n = pl_thread_count(requested);
  return most < n ? (unsigned)most : n;
}

/* Claims and runs chunks until none is left; the number of indices run. */
static uint64_t run_chunks(job *j, unsigned id) {
  uint64_t ran = 0;
  for (;;) {
    uint64_t begin = atomic_fetch_add(&j->next, j->chunk);
    if (begin >= j->total)
      return ran;
    uint64_t end = j->total - begin < j->chunk ? j->total : begin + j->chunk;
    j->fn(j->ctx, id, begin, end);
    ran += end - begin;
  }
}

/* Leaves the job; the last one out frees it. */
static void release(job *j) {
  pthread_mutex_lock(&j->mu);
  bool last = --j->users == 0;
  pthread_mutex_unlock(&j->mu);
  if (last) {
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->all_done);
    free(j);
  }
}

static void finish(job *j, uint64_t ran) {
  pthread_mutex_lock(&j->mu);
  j->done += ran;
  if (j->done == j->total)
    pthread_cond_broadcast(&j->all_done);
  pthread_mutex_unlock(&j->mu);
}

static void *worker_main(void *p) {
  worker_arg a = *(worker_arg *)p;
  free(p);
  finish(a.j, run_chunks(a.j, a.id));
  release(a.j);
  return NULL;
}

static bool start_helper(job *j, unsigned id, const pthread_attr_t *attr) {
  worker_arg *a = malloc(sizeof *a);
  if (!a)
    return false;
  *a = (worker_arg){j, id};
  pthread_mutex_lock(&j->mu);
  j->users++;
  pthread_mutex_unlock(&j->mu);
  pthread_t t;
  if (pthread_create(&t, attr, worker_main, a) == 0)
    return true;
  free(a);
  pthread_mutex_lock(&j->mu);
  j->users--;
  pthread_mutex_unlock(&j->mu);
  return false;
}

static void serial(pl_chunk_fn fn, void *ctx, uint64_t total, uint64_t chunk) {
  for (uint64_t b = 0; b < total; b += chunk)
    fn(ctx, 0, b, total - b < chunk ? total : b + chunk);
}

static job *new_job(pl_chunk_fn fn, void *ctx, uint64_t total, uint64_t chunk) {
  job *j = calloc(1, sizeof *j);
  if (!j)
    return NULL;
  j->fn = fn;
  j->ctx = ctx;
  j->total = total;
  j->chunk = chunk;
  j->users = 1;
  atomic_init(&j->next, 0);
  if (pthread_mutex_init(&j->mu, NULL) != 0) {
    free(j);
    return NULL;
  }
  if (pthread_cond_init(&j->all_done, NULL) != 0) {
    pthread_mutex_destroy(&j->mu);
    free(j);
    return NULL;
  }
  return j;
}

/* Starts up to n - 1 detached helpers; how many started. */
static unsigned start_helpers(job *j, unsigned n) {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0)
    return 0;
  unsigned started = 0;
  if (pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0)
    for (unsigned t = 1; t < n && start_helper(j, t, &attr); t++)
      started++;
  pthread_attr_destroy(&attr);
  return started;
}

bool pl_parallel_for(unsigned threads, uint64_t total, pl_chunk_fn fn,
                     void *ctx) {
  uint64_t most = total / PL_MIN_THREAD_SHARE;
  if (threads > most)
    threads = most ? (unsigned)most : 1;
  /* About 16 chunks per thread balances load without much overhead. */
  uint64_t chunk = total / ((uint64_t)threads * 16 + 1) + 1;
  chunk = chunk < 4096 ? 4096 : chunk;
  if (threads <= 1 || total <= chunk) {
    serial(fn, ctx, total, chunk);
    return true;
  }
  job *j = new_job(fn, ctx, total, chunk);
  if (!j) {
    serial(fn, ctx, total, chunk);
    return false;
  }
  unsigned started = start_helpers(j, threads);
  finish(j, run_chunks(j, 0));
  pthread_mutex_lock(&j->mu);
  while (j->done < j->total)
    pthread_cond_wait(&j->all_done, &j->mu);
  pthread_mutex_unlock(&j->mu);
  release(j);
  return started + 1 == threads;
}
