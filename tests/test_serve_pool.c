/* test_serve_pool.c - the workbench server's worker pool shares one budget
 * of threads between the jobs running at once (docs/serve.md, "Threads"):
 * whatever arrives together, the running jobs' threads never exceed
 * `parley serve --threads` (or one per job when the workers are more).
 * Jobs here hold their threads until the test lets them go, so each case
 * is a fixed sequence, not a race. */
#include "internal.h"

#include <criterion/criterion.h>
#include <stdbool.h>
#include <string.h>

/* A job that asks for its threads (or not: a negotiation), says how many
 * it got, then waits until the test opens its gate. */
typedef struct gate {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool ask, started, open;
  unsigned got;
} gate;

static void held_job(sv_job *j, void *arg) {
  gate *g = arg;
  unsigned got = g->ask ? sv_job_threads(j) : 1;
  pthread_mutex_lock(&g->mu);
  g->got = got;
  g->started = true;
  pthread_cond_broadcast(&g->cv);
  while (!g->open)
    pthread_cond_wait(&g->cv, &g->mu);
  pthread_mutex_unlock(&g->mu);
  sv_job_finish(j, "{}");
}

typedef struct held {
  gate g;
  sv_job *j;
} held;

/* Starts a job and waits until it runs; returns the threads it got. */
static unsigned start(sv_pool *p, held *h, bool ask) {
  memset(h, 0, sizeof *h);
  pthread_mutex_init(&h->g.mu, NULL);
  pthread_cond_init(&h->g.cv, NULL);
  h->g.ask = ask;
  h->j = sv_pool_submit(p, "analyze", held_job, &h->g, NULL);
  cr_assert_not_null(h->j);
  pthread_mutex_lock(&h->g.mu);
  while (!h->g.started)
    pthread_cond_wait(&h->g.cv, &h->g.mu);
  unsigned got = h->g.got;
  pthread_mutex_unlock(&h->g.mu);
  return got;
}

/* Lets the job end: once it has said so (sv_job_finish), its worker is
 * idle and its threads are free. */
static void finish(held *h) {
  pthread_mutex_lock(&h->g.mu);
  h->g.open = true;
  pthread_cond_broadcast(&h->g.cv);
  pthread_mutex_unlock(&h->g.mu);
  cr_assert(sv_job_wait(h->j, 30000));
  sv_job_unref(h->j);
}

Test(serve_pool, running_jobs_never_hold_more_than_the_budget) {
  /* 2 workers, 3 threads: alone, an analysis keeps one for the idle
   * worker and gets 2; the next, while it runs, gets the 1 left. */
  sv_pool *p = sv_pool_new(2, 3);
  cr_assert_not_null(p);
  held a, b, c;
  cr_expect_eq(start(p, &a, true), 2);
  cr_expect_eq(start(p, &b, true), 1, "3 in all");
  finish(&a);
  finish(&b);
  cr_expect_eq(start(p, &c, true), 2, "given back");
  finish(&c);
  sv_pool_free(p);
}

Test(serve_pool, what_an_analysis_frees_the_next_one_takes) {
  /* 2 workers, 8 threads: 7 and 1; when the 7 end, the next takes the 6
   * the running one does not hold (8 in all again). */
  sv_pool *p = sv_pool_new(2, 8);
  held a, b, d;
  cr_expect_eq(start(p, &a, true), 7);
  cr_expect_eq(start(p, &b, true), 1);
  finish(&a);
  cr_expect_eq(start(p, &d, true), 7, "6 free and its own");
  finish(&b);
  finish(&d);
  sv_pool_free(p);
}

Test(serve_pool, a_negotiation_holds_one_thread) {
  /* 2 workers, 4 threads: a job that does not ask (a negotiation) holds
   * its own thread only; an analysis beside it gets the other 3. */
  sv_pool *p = sv_pool_new(2, 4);
  held n, a;
  cr_expect_eq(start(p, &n, false), 1);
  cr_expect_eq(start(p, &a, true), 3);
  finish(&n);
  finish(&a);
  sv_pool_free(p);
}

Test(serve_pool, more_workers_than_threads_one_each) {
  /* 3 workers, 2 threads: one thread per running job, never more. */
  sv_pool *p = sv_pool_new(3, 2);
  held h[3];
  for (int k = 0; k < 3; k++)
    cr_expect_eq(start(p, &h[k], true), 1, "job %d", k);
  for (int k = 0; k < 3; k++)
    finish(&h[k]);
  sv_pool_free(p);
}
