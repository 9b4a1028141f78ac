#define _POSIX_C_SOURCE 200809L
#include "util/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct job {
  pl_chunk_fn fn;
  void *ctx;
  uint64_t total, chunk;
  atomic_uint_fast64_t next;
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

static void run_chunks(job *j, unsigned id) {
  for (;;) {
    uint64_t begin = atomic_fetch_add(&j->next, j->chunk);
    if (begin >= j->total)
      return;
    uint64_t end = j->total - begin < j->chunk ? j->total : begin + j->chunk;
    j->fn(j->ctx, id, begin, end);
  }
}

static void *worker_main(void *p) {
  worker_arg *a = p;
  run_chunks(a->j, a->id);
  return NULL;
}

bool pl_parallel_for(unsigned threads, uint64_t total, pl_chunk_fn fn,
                     void *ctx) {
  job j = {.fn = fn, .ctx = ctx, .total = total};
  /* About 16 chunks per thread balances load without much overhead. */
  uint64_t chunk = total / ((uint64_t)threads * 16 + 1) + 1;
  j.chunk = chunk < 4096 ? 4096 : chunk;
  atomic_init(&j.next, 0);
  if (threads <= 1 || total <= j.chunk) {
    run_chunks(&j, 0);
    return true;
  }
  pthread_t *tid = calloc(threads, sizeof *tid);
  worker_arg *args = calloc(threads, sizeof *args);
  unsigned started = 0;
  bool ok = tid && args;
  for (unsigned t = 1; ok && t < threads; t++) {
    args[t] = (worker_arg){&j, t};
    if (pthread_create(&tid[t], NULL, worker_main, &args[t]) != 0)
      break;
    started = t;
  }
  run_chunks(&j, 0);
  for (unsigned t = 1; t <= started; t++)
    pthread_join(tid[t], NULL);
  free(tid);
  free(args);
  return ok && started + 1 == threads;
}
