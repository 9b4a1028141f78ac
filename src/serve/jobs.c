/* jobs.c - the worker pool: analyses, negotiations, stability analyses and
 * plots run here, never on the HTTP threads. A job is queued (at most
 * SV_MAX_ACTIVE_JOBS queued or running), run by the first free worker, and
 * remembered after it ends (at most SV_MAX_DONE_JOBS, each for
 * SV_JOB_KEEP_SECONDS) so that its result can be fetched. One mutex guards
 * the pool and every job: the work itself runs without it. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct sv_event {
  pl_trace_event e;
  bool has_values;
} sv_event;

struct sv_job {
  sv_pool *pool;
  int refs; /* under the pool's mutex */
  uint64_t id;
  const char *kind;
  sv_job_state state;
  atomic_bool cancel;
  sv_work_fn fn;
  void *arg;
  void (*free_arg)(void *);
  double created, started, ended;
  uint64_t done, total;
  const char *unit;
  char *result;  /* JSON text */
  json_t *error; /* error object */
  /* negotiations */
  sv_model *model;
  sv_event *events;
  uint32_t *values; /* nissues per event */
  size_t nevents, cap;
  uint64_t events_total;
  sv_job *next_queued;
  unsigned threads; /* held from the pool's budget while it runs */
  bool holding;     /* its worker is busy with it (threads are held) */
};

struct sv_pool {
  pthread_mutex_t mu;
  pthread_cond_t work_cv; /* a job was queued, or stopping */
  pthread_cond_t done_cv; /* a job ended */
  pthread_t *threads;
  unsigned nthreads;
  /* The analyses' threads: at most `budget` in all (sv_job_threads). Every
   * running job holds one, and an idle worker keeps one in reserve. */
  unsigned budget, held, idle;
  bool stopping;
  uint64_t next_id;
  sv_job *queue_head, *queue_tail;
  size_t active;  /* queued or running */
  sv_job **table; /* every job remembered */
  size_t njobs, cap;
};

static bool ended(sv_job_state s) { return s >= SV_DONE; }

static void job_free(sv_job *j) {
  if (j->free_arg && j->arg)
    j->free_arg(j->arg);
  free(j->result);
  json_decref(j->error);
  sv_model_unref(j->model);
  free(j->events);
  free(j->values);
  free(j);
}

/* Under the pool's mutex. */
static void unref_locked(sv_job *j) {
  if (--j->refs == 0)
    job_free(j);
}

void sv_job_unref(sv_job *j) {
  if (!j)
    return;
  sv_pool *p = j->pool;
  pthread_mutex_lock(&p->mu);
  unref_locked(j);
  pthread_mutex_unlock(&p->mu);
}

/* Ends a job (under the mutex): the argument is released at once. */
static void end_locked(sv_job *j, sv_job_state state) {
  if (ended(j->state))
    return;
  if (j->state == SV_QUEUED || j->state == SV_RUNNING)
    j->pool->active--;
  j->state = state;
  j->ended = sv_now();
  pthread_cond_broadcast(&j->pool->done_cv);
}

/* The work has ended (it said so, or returned): its worker is idle again
 * and its threads free, in the same step, so that the budget holds. */
static void release_locked(sv_job *j) {
  if (!j->holding)
    return;
  j->pool->held -= j->threads;
  j->pool->idle++;
  j->holding = false;
}

static sv_job *pop_queued(sv_pool *p) {
  sv_job *j = p->queue_head;
  if (j) {
    p->queue_head = j->next_queued;
    if (!p->queue_head)
      p->queue_tail = NULL;
  }
  return j;
}

static void *worker(void *arg) {
  sv_pool *p = arg;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->stopping && !p->queue_head)
      pthread_cond_wait(&p->work_cv, &p->mu);
    sv_job *j = pop_queued(p);
    if (!j)
      break;                     /* stopping, nothing queued */
    if (j->state != SV_QUEUED) { /* cancelled while queued */
      unref_locked(j);
      continue;
    }
    j->state = SV_RUNNING;
    j->started = sv_now();
    j->threads = 1; /* its own: the worker's reserve */
    j->holding = true;
    p->held++;
    p->idle--;
    pthread_mutex_unlock(&p->mu);
    j->fn(j, j->arg);
    pthread_mutex_lock(&p->mu);
    release_locked(j);
    if (!ended(j->state)) /* the work forgot to say */
      end_locked(j, SV_DONE);
    if (j->free_arg && j->arg) {
      j->free_arg(j->arg);
      j->arg = NULL;
    }
    unref_locked(j); /* the queue's reference */
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

/* The cores online (at least 1). */
static unsigned online_cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1;
}

sv_pool *sv_pool_new(unsigned workers, unsigned threads) {
  sv_pool *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->budget = threads ? threads : online_cores();
  p->idle = workers; /* no job can start before this returns */
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->work_cv, NULL);
  pthread_cond_init(&p->done_cv, NULL);
  p->threads = calloc(workers, sizeof *p->threads);
  if (!p->threads) {
    free(p);
    return NULL;
  }
  for (unsigned k = 0; k < workers; k++) {
    if (pthread_create(&p->threads[k], NULL, worker, p))
      break;
    p->nthreads++;
  }
  if (!p->nthreads) {
    sv_pool_free(p);
    return NULL;
  }
  pthread_mutex_lock(&p->mu);
  p->idle = p->nthreads;
  pthread_mutex_unlock(&p->mu);
  return p;
}

unsigned sv_job_threads(sv_job *j) {
  sv_pool *p = j->pool;
  pthread_mutex_lock(&p->mu);
  /* held + idle <= budget stays true (when workers <= budget): the job
   * takes what neither a running job nor an idle worker holds. */
  if (j->holding && j->threads == 1 && p->held + p->idle < p->budget) {
    unsigned more = p->budget - p->held - p->idle;
    j->threads += more;
    p->held += more;
  }
  unsigned t = j->threads;
  pthread_mutex_unlock(&p->mu);
  return t;
}

void sv_pool_cancel_all(sv_pool *p) {
  pthread_mutex_lock(&p->mu);
  p->stopping = true;
  for (size_t k = 0; k < p->njobs; k++) {
    atomic_store(&p->table[k]->cancel, true);
    end_locked(p->table[k], SV_CANCELLED);
  }
  pthread_cond_broadcast(&p->work_cv);
  pthread_mutex_unlock(&p->mu);
}

void sv_pool_free(sv_pool *p) {
  if (!p)
    return;
  sv_pool_cancel_all(p);
  for (unsigned k = 0; k < p->nthreads; k++)
    pthread_join(p->threads[k], NULL);
  for (size_t k = 0; k < p->njobs; k++)
    unref_locked(p->table[k]);
  free(p->table);
  free(p->threads);
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->work_cv);
  pthread_cond_destroy(&p->done_cv);
  free(p);
}

/* Forgets finished jobs that are too old or too many (under the mutex). */
static void forget_old(sv_pool *p) {
  double now = sv_now();
  size_t finished = 0;
  for (size_t k = 0; k < p->njobs; k++)
    finished += ended(p->table[k]->state);
  size_t out = 0;
  for (size_t k = 0; k < p->njobs; k++) {
    sv_job *j = p->table[k];
    bool drop = ended(j->state) && (now - j->ended > SV_JOB_KEEP_SECONDS ||
                                    finished >= SV_MAX_DONE_JOBS);
    if (drop) {
      finished--;
      unref_locked(j);
    } else {
      p->table[out++] = j;
    }
  }
  p->njobs = out;
}

/* Refuses a job: arg is the pool's from the call on, so it is released
 * here, and the caller never frees what it handed over. */
static sv_job *refuse(sv_pool *p, void *arg, void (*free_arg)(void *)) {
  pthread_mutex_unlock(&p->mu);
  if (free_arg && arg)
    free_arg(arg);
  return NULL;
}

sv_job *sv_pool_submit(sv_pool *p, const char *kind, sv_work_fn fn, void *arg,
                       void (*free_arg)(void *)) {
  pthread_mutex_lock(&p->mu);
  forget_old(p);
  if (p->stopping || p->active >= SV_MAX_ACTIVE_JOBS)
    return refuse(p, arg, free_arg);
  if (p->njobs == p->cap) {
    size_t cap = p->cap ? 2 * p->cap : 32;
    sv_job **t = realloc(p->table, cap * sizeof *t);
    if (!t)
      return refuse(p, arg, free_arg);
    p->table = t;
    p->cap = cap;
  }
  sv_job *j = calloc(1, sizeof *j);
  if (!j)
    return refuse(p, arg, free_arg);
  j->pool = p;
  j->refs = 3; /* the table, the queue, the caller */
  j->id = ++p->next_id;
  j->kind = kind;
  j->state = SV_QUEUED;
  atomic_init(&j->cancel, false);
  j->fn = fn;
  j->arg = arg;
  j->free_arg = free_arg;
  j->created = sv_now();
  j->total = 1;
  j->unit = kind;
  p->table[p->njobs++] = j;
  if (!strcmp(kind, "frontier")) {
    /* Short (at most 10^6 outcomes) and awaited by evaluate, which must
     * stay quick: ahead of the queue. */
    j->next_queued = p->queue_head;
    p->queue_head = j;
    if (!p->queue_tail)
      p->queue_tail = j;
  } else if (p->queue_tail) {
    p->queue_tail->next_queued = j;
    p->queue_tail = j;
  } else {
    p->queue_head = p->queue_tail = j;
  }
  p->active++;
  pthread_cond_signal(&p->work_cv);
  pthread_mutex_unlock(&p->mu);
  return j;
}

sv_job *sv_pool_find(sv_pool *p, uint64_t id) {
  sv_job *found = NULL;
  pthread_mutex_lock(&p->mu);
  for (size_t k = 0; k < p->njobs && !found; k++)
    if (p->table[k]->id == id) {
      found = p->table[k];
      found->refs++;
    }
  pthread_mutex_unlock(&p->mu);
  return found;
}

uint64_t sv_job_id(const sv_job *j) { return j->id; }

bool sv_job_wait(sv_job *j, long ms) {
  sv_pool *p = j->pool;
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  if (ms >= 0) {
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
      until.tv_sec++;
      until.tv_nsec -= 1000000000L;
    }
  }
  pthread_mutex_lock(&p->mu);
  while (!ended(j->state)) {
    if (ms < 0)
      pthread_cond_wait(&p->done_cv, &p->mu);
    else if (pthread_cond_timedwait(&p->done_cv, &p->mu, &until) == ETIMEDOUT)
      break;
  }
  bool done = ended(j->state);
  pthread_mutex_unlock(&p->mu);
  return done;
}

sv_job_state sv_job_get_state(sv_job *j) {
  pthread_mutex_lock(&j->pool->mu);
  sv_job_state s = j->state;
  pthread_mutex_unlock(&j->pool->mu);
  return s;
}

void sv_job_cancel(sv_job *j) {
  pthread_mutex_lock(&j->pool->mu);
  atomic_store(&j->cancel, true);
  end_locked(j, SV_CANCELLED);
  pthread_mutex_unlock(&j->pool->mu);
}

bool sv_job_cancelled(const sv_job *j) { return atomic_load(&j->cancel); }

void sv_job_finish(sv_job *j, const char *json) {
  char *copy = json ? strdup(json) : NULL;
  pthread_mutex_lock(&j->pool->mu);
  if (!ended(j->state)) { /* a cancelled job's result is dropped */
    j->result = copy;
    copy = NULL;
    if (j->result)
      end_locked(j, SV_DONE);
    else
      end_locked(j, SV_FAILED);
  }
  release_locked(j);
  pthread_mutex_unlock(&j->pool->mu);
  free(copy);
}

void sv_job_fail(sv_job *j, json_t *error) {
  pthread_mutex_lock(&j->pool->mu);
  if (!ended(j->state)) {
    j->error = error;
    error = NULL;
    end_locked(j, SV_FAILED);
  }
  release_locked(j);
  pthread_mutex_unlock(&j->pool->mu);
  json_decref(error);
}

void sv_job_progress(sv_job *j, uint64_t done, uint64_t total,
                     const char *unit) {
  pthread_mutex_lock(&j->pool->mu);
  j->done = done;
  j->total = total;
  j->unit = unit;
  pthread_mutex_unlock(&j->pool->mu);
}

void sv_job_set_scenario(sv_job *j, sv_model *m) {
  pthread_mutex_lock(&j->pool->mu);
  sv_model *old = j->model;
  j->model = sv_model_ref(m);
  pthread_mutex_unlock(&j->pool->mu);
  sv_model_unref(old);
}

void sv_job_add_event(sv_job *j, const pl_trace_event *e,
                      const uint32_t *values) {
  uint32_t ni = pl_scenario_num_issues(j->model->s);
  pthread_mutex_lock(&j->pool->mu);
  j->events_total++;
  if (j->nevents == j->cap && j->cap < SV_MAX_EVENTS) {
    size_t cap = j->cap ? 2 * j->cap : 64;
    if (cap > SV_MAX_EVENTS)
      cap = SV_MAX_EVENTS;
    sv_event *ev = realloc(j->events, cap * sizeof *ev);
    if (ev)
      j->events = ev;
    uint32_t *v = ev ? realloc(j->values, cap * ni * sizeof *v) : NULL;
    if (v) {
      j->values = v;
      j->cap = cap;
    }
  }
  if (j->nevents < j->cap) {
    j->events[j->nevents] = (sv_event){.e = *e, .has_values = values != NULL};
    if (values)
      memcpy(j->values + j->nevents * ni, values, ni * sizeof *values);
    j->nevents++;
  }
  pthread_mutex_unlock(&j->pool->mu);
}

/* ---- JSON ---------------------------------------------------------------- */

static const char *action_name(pl_act a) {
  return a == PL_ACT_OFFER ? "offer" : a == PL_ACT_ACCEPT ? "accept" : "end";
}

json_t *sv_event_json(const pl_scenario *s, const pl_trace_event *e,
                      const uint32_t *values, int32_t party) {
  json_t *o = json_object();
  json_object_set_new(o, "round", json_integer(e->round));
  json_object_set_new(o, "party",
                      e->party >= 0
                          ? json_string(pl_party_name(s, (uint32_t)e->party))
                          : json_string("mediator"));
  json_object_set_new(o, "action", json_string(action_name(e->action)));
  json_object_set_new(o, "t", json_real(e->t));
  if (e->yes || e->kept) {
    json_object_set_new(o, "yes", json_integer(e->yes));
    json_object_set_new(o, "kept", json_boolean(e->kept));
  }
  if (!values) {
    json_object_set_new(o, "package", json_null());
    json_object_set_new(o, "values", json_null());
    json_object_set_new(o, party >= 0 ? "utility" : "utilities", json_null());
    return o;
  }
  json_object_set_new(o, "package", sv_package_object(s, values));
  json_object_set_new(o, "values", sv_values_array(s, values));
  if (party >= 0) {
    json_object_set_new(
        o, "utility", json_real(pl_party_utility(s, (uint32_t)party, values)));
  } else {
    json_t *u = json_array();
    for (uint32_t p = 0; p < pl_scenario_num_parties(s); p++)
      json_array_append_new(u, json_real(pl_party_utility(s, p, values)));
    json_object_set_new(o, "utilities", u);
  }
  return o;
}

static const char *state_name(sv_job_state s) {
  static const char *names[] = {"queued", "running", "done", "failed",
                                "cancelled"};
  return names[s];
}

json_t *sv_job_json(sv_job *j, size_t since) {
  pthread_mutex_lock(&j->pool->mu);
  json_t *o = json_object();
  json_object_set_new(o, "id", json_integer((json_int_t)j->id));
  json_object_set_new(o, "kind", json_string(j->kind));
  json_object_set_new(o, "state", json_string(state_name(j->state)));
  json_object_set_new(o, "progress",
                      json_pack("{s:I, s:I, s:s}", "done", (json_int_t)j->done,
                                "total", (json_int_t)j->total, "unit",
                                j->unit));
  double end = ended(j->state) ? j->ended : sv_now();
  json_object_set_new(o, "seconds",
                      json_real(j->started > 0 ? end - j->started : 0));
  if (j->model || !strcmp(j->kind, "negotiate")) {
    const pl_scenario *s = j->model ? j->model->s : NULL;
    uint32_t ni = s ? pl_scenario_num_issues(s) : 0;
    json_t *ev = json_array();
    for (size_t k = since; k < j->nevents && k - since < SV_EVENTS_PER_REPLY;
         k++)
      json_array_append_new(
          ev, sv_event_json(s, &j->events[k].e,
                            j->events[k].has_values ? j->values + k * ni : NULL,
                            -1));
    json_object_set_new(o, "events_total",
                        json_integer((json_int_t)j->events_total));
    json_object_set_new(o, "events_from", json_integer((json_int_t)since));
    json_object_set_new(o, "events", ev);
  }
  json_t *result = NULL;
  if (j->result && j->state == SV_DONE)
    result = json_loads(j->result, 0, NULL);
  json_object_set_new(o, "result", result ? result : json_null());
  json_object_set_new(o, "error",
                      j->error ? json_incref(j->error) : json_null());
  pthread_mutex_unlock(&j->pool->mu);
  return o;
}

char *sv_job_result_copy(sv_job *j) {
  pthread_mutex_lock(&j->pool->mu);
  char *r = j->state == SV_DONE && j->result ? strdup(j->result) : NULL;
  pthread_mutex_unlock(&j->pool->mu);
  return r;
}

json_t *sv_job_error_copy(sv_job *j) {
  pthread_mutex_lock(&j->pool->mu);
  json_t *e = j->error ? json_deep_copy(j->error) : NULL;
  pthread_mutex_unlock(&j->pool->mu);
  return e;
}
