/* models.c - compiled scenarios: the open one, and a small cache of those
 * sent in requests (the what-if edits), keyed by their text; and the
 * frontier that evaluate measures distances to, computed once per scenario
 * on the worker pool. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sv_model *model_new(pl_scenario *s, json_t *source) {
  sv_model *m = calloc(1, sizeof *m);
  if (!m) {
    pl_scenario_free(s);
    json_decref(source);
    return NULL;
  }
  atomic_init(&m->refs, 1);
  m->s = s;
  m->source = source;
  pthread_mutex_init(&m->mu, NULL);
  pthread_cond_init(&m->cv, NULL);
  return m;
}

sv_model *sv_model_ref(sv_model *m) {
  if (m)
    atomic_fetch_add(&m->refs, 1);
  return m;
}

void sv_model_unref(sv_model *m) {
  if (!m || atomic_fetch_sub(&m->refs, 1) != 1)
    return;
  pl_scenario_free(m->s);
  json_decref(m->source);
  free(m->key);
  free(m->doc);
  free(m->front_u);
  free(m->front_v);
  pthread_mutex_destroy(&m->mu);
  pthread_cond_destroy(&m->cv);
  free(m);
}

sv_model *sv_model_builtin(const char *name, pl_diag *d) {
  pl_scenario *s = pl_scenario_builtin(name, d);
  if (!s)
    return NULL;
  return model_new(s, json_pack("{s:s, s:s}", "kind", "builtin", "name", name));
}

sv_model *sv_model_file(const char *path, const char *shown, pl_diag *d) {
  const char *paths[] = {path};
  pl_scenario *s = pl_scenario_load(paths, 1, NULL, d);
  if (!s)
    return NULL;
  return model_new(s, json_pack("{s:s, s:s}", "kind", "file", "path", shown));
}

sv_model *sv_open_model(sv_server *sv) {
  pthread_mutex_lock(&sv->mu);
  sv_model *m = sv_model_ref(sv->open);
  pthread_mutex_unlock(&sv->mu);
  return m;
}

void sv_set_open_model(sv_server *sv, sv_model *m) {
  pthread_mutex_lock(&sv->mu);
  sv_model *old = sv->open;
  sv->open = m;
  pthread_mutex_unlock(&sv->mu);
  sv_model_unref(old);
}

static uint64_t fnv1a(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

/* A cached model for the text, with a reference; NULL when not cached. */
static sv_model *cache_find(sv_server *sv, const char *text, uint64_t h) {
  sv_model *m = NULL;
  pthread_mutex_lock(&sv->mu);
  for (size_t k = 0; k < SV_MODEL_CACHE && !m; k++)
    if (sv->cache[k] && sv->cache[k]->hash == h &&
        !strcmp(sv->cache[k]->key, text)) {
      m = sv_model_ref(sv->cache[k]);
      sv->cache_tick[k] = ++sv->tick;
    }
  pthread_mutex_unlock(&sv->mu);
  return m;
}

/* Puts m in the least recently used slot. */
static void cache_put(sv_server *sv, sv_model *m) {
  pthread_mutex_lock(&sv->mu);
  size_t slot = 0;
  for (size_t k = 0; k < SV_MODEL_CACHE; k++) {
    if (!sv->cache[k]) {
      slot = k;
      break;
    }
    if (sv->cache_tick[k] < sv->cache_tick[slot])
      slot = k;
  }
  sv_model *old = sv->cache[slot];
  sv->cache[slot] = sv_model_ref(m);
  sv->cache_tick[slot] = ++sv->tick;
  pthread_mutex_unlock(&sv->mu);
  sv_model_unref(old);
}

sv_model *sv_request_model(sv_server *sv, const json_t *body,
                           sv_response *res) {
  json_t *given = json_object_get(body, "scenario");
  if (!given || json_is_null(given)) {
    sv_model *m = sv_open_model(sv);
    if (!m)
      sv_reply_error(res, 404, "not-found", NULL, 0, 0, "no open scenario");
    return m;
  }
  char *text = NULL;
  if (json_is_string(given))
    text = strdup(json_string_value(given));
  else if (json_is_object(given))
    text = json_dumps(given, JSON_INDENT(2));
  else {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'scenario' must be a scenario document (an object) or "
                   "its text (a string)");
    return NULL;
  }
  if (!text) {
    sv_reply_error(res, 503, "busy", NULL, 0, 0, "out of memory");
    return NULL;
  }
  uint64_t h = fnv1a(text);
  sv_model *m = cache_find(sv, text, h);
  if (m) {
    free(text);
    return m;
  }
  pl_diag *d = pl_diag_new();
  pl_scenario *s = d ? pl_scenario_load_string(text, "scenario", d) : NULL;
  if (!s) {
    sv_reply_problems(res, 422, "invalid-scenario", d);
    pl_diag_free(d);
    free(text);
    return NULL;
  }
  pl_diag_free(d);
  m = model_new(s, json_pack("{s:s}", "kind", "request"));
  if (!m) {
    free(text);
    sv_reply_error(res, 503, "busy", NULL, 0, 0, "out of memory");
    return NULL;
  }
  m->key = text;
  m->hash = h;
  cache_put(sv, m);
  return m;
}

/* ---- The frontier for evaluate ------------------------------------------
 */

/* Copies the analysis's frontier into the model. */
static bool keep_frontier(sv_model *m, const pl_analysis *a, bool of_zone) {
  size_t n = pl_analysis_frontier_size(a);
  uint32_t np = pl_scenario_num_parties(m->s);
  uint32_t ni = pl_scenario_num_issues(m->s);
  if (!n || !pl_analysis_frontier_known(a))
    return false;
  double *u = malloc(n * np * sizeof *u);
  uint32_t *v = malloc(n * ni * sizeof *v);
  if (!u || !v) {
    free(u);
    free(v);
    return false;
  }
  for (size_t k = 0; k < n; k++)
    pl_analysis_frontier_point(a, k, v + k * ni, u + k * np);
  m->front_u = u;
  m->front_v = v;
  m->nfront = n;
  m->frontier_of_zone = of_zone;
  return true;
}

/* On a worker: the zone's frontier when the zone is not empty, else the
 * frontier of every feasible package. */
static void frontier_work(sv_job *j, void *arg) {
  sv_model *m = arg;
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = sv_job_threads(j);
  pl_status st;
  pl_analysis *a = pl_analyze(m->s, &o, NULL, &st);
  bool ok = false;
  if (a && pl_analysis_zone_size(a) > 0)
    ok = keep_frontier(m, a, true);
  pl_analysis_free(a);
  if (!ok) {
    o.frontier_all = true;
    a = pl_analyze(m->s, &o, NULL, &st);
    ok = a && keep_frontier(m, a, false);
    pl_analysis_free(a);
  }
  pthread_mutex_lock(&m->mu);
  m->frontier = ok ? 2 : 3;
  pthread_cond_broadcast(&m->cv);
  pthread_mutex_unlock(&m->mu);
  sv_job_finish(j, "{}");
}

static void unref_model(void *arg) { sv_model_unref(arg); }

bool sv_model_frontier(sv_server *sv, sv_model *m) {
  pthread_mutex_lock(&m->mu);
  if (m->frontier == 0) {
    uint64_t n;
    if (!pl_scenario_num_outcomes(m->s, &n) || n > SV_INLINE_OUTCOMES) {
      m->frontier = 3;
    } else {
      /* The job holds a reference of its own, which the pool drops (even
       * when it refuses the job); ours stays with the caller. */
      sv_job *j = sv_pool_submit(sv->pool, "frontier", frontier_work,
                                 sv_model_ref(m), unref_model);
      if (j) {
        m->frontier = 1;
        sv_job_unref(j);
      }
    }
  }
  /* Every worker may be busy with a long job: evaluate answers without
   * the frontier rather than wait long for it. */
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 2;
  while (m->frontier == 1 && !m->frontier_late)
    if (pthread_cond_timedwait(&m->cv, &m->mu, &until) == ETIMEDOUT)
      m->frontier_late = true; /* later requests do not wait at all */
  bool ready = m->frontier == 2;
  pthread_mutex_unlock(&m->mu);
  return ready;
}
