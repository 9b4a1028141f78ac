/* work.c - the endpoints that run on the worker pool: analyze, plots,
 * negotiate and stability. Each copies what it needs from the request into
 * a work item (the request is gone when the work runs), queues it, and
 * either waits for it or answers with the job. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include "parley_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void busy(sv_response *res) {
  sv_reply_error(res, 503, "busy", NULL, 0, 0,
                 "the job queue is full (%d jobs queued or running); try "
                 "again when one ends",
                 SV_MAX_ACTIVE_JOBS);
}

static void reply_job(sv_response *res, int status, sv_job *j, size_t since) {
  json_t *body = json_object();
  json_object_set_new(body, "job", sv_job_json(j, since));
  sv_reply_json(res, status, body);
}

/* A finished job's answer: its result (200) or its error. */
static void reply_result(sv_response *res, sv_job *j) {
  char *result = sv_job_result_copy(j);
  if (result) {
    res->status = 200;
    res->type = "application/json; charset=utf-8";
    res->body = result;
    res->len = strlen(result);
    res->body_static = false;
    return;
  }
  json_t *err = sv_job_error_copy(j);
  if (!err) {
    sv_reply_error(res, 503, "busy", NULL, 0, 0,
                   "the job was cancelled (the server is stopping?)");
    return;
  }
  int status = (int)json_integer_value(json_object_get(err, "status"));
  json_t *body = json_object();
  json_object_set_new(body, "error", err);
  sv_reply_json(res, status ? status : 422, body);
}

static void fail_with(sv_job *j, int status, const char *code, pl_diag *d) {
  sv_job_fail(j, sv_error_object(status, code, d));
}

/* Ends job j with {"KEY": the library's document of obj}, or with "busy"
 * (503) when memory ran out. */
static void finish_with_doc(sv_job *j, const char *key, sv_doc_fn fill,
                            const void *obj, pl_diag *d) {
  char *text = sv_doc_object(key, fill, obj);
  if (text)
    sv_job_finish(j, text);
  else
    fail_with(j, 503, "busy", d);
  free(text);
}

/* How a request answers once its job is queued: with the job at once
 * (202), with the result when the job has ended, or with the job unless
 * the job failed within a moment (bad agents or options fail at once). */
typedef enum { ANSWER_JOB, ANSWER_RESULT, ANSWER_FAILURE } answer_mode;

/* Queues fn(w) as a job of `kind` (the pool owns w from here, even when it
 * refuses the job) and answers as `how` says. */
static void queue_and_answer(sv_server *sv, sv_response *res, const char *kind,
                             sv_work_fn fn, void *w, void (*free_w)(void *),
                             answer_mode how) {
  sv_job *j = sv_pool_submit(sv->pool, kind, fn, w, free_w);
  if (!j) {
    busy(res);
    return;
  }
  bool answer_result = false;
  if (how == ANSWER_RESULT)
    answer_result = sv_job_wait(j, -1);
  else if (how == ANSWER_FAILURE)
    answer_result = sv_job_wait(j, 200) && sv_job_get_state(j) == SV_FAILED;
  if (answer_result)
    reply_result(res, j);
  else
    reply_job(res, 202, j, 0);
  sv_job_unref(j);
}

/* ---- analyze and plots --------------------------------------------------- */

typedef struct analyze_work {
  sv_model *m;
  pl_analysis_options o;
  char **packages;
  size_t npackages;
  char *groups;
  bool plots;
} analyze_work;

static void analyze_free(void *arg) {
  analyze_work *w = arg;
  sv_model_unref(w->m);
  for (size_t k = 0; k < w->npackages; k++)
    free(w->packages[k]);
  free(w->packages);
  free(w->groups);
  free(w);
}

static void plots_json(sv_buf *b, const pl_analysis *a, pl_diag *d) {
  pl_report *r = pl_report_new(NULL);
  if (!r || pl_report_add_analysis(r, a, d) != PL_OK) {
    pl_report_free(r);
    b->failed = true;
    return;
  }
  sv_buf_puts(b, "{\"plots\":[");
  for (size_t k = 0; k < pl_report_num_plots(r); k++) {
    json_t *name = json_string(pl_report_plot_name(r, k));
    json_t *svg = json_string(pl_report_plot_svg(r, k));
    sv_buf_puts(b, k ? ",{\"name\":" : "{\"name\":");
    sv_buf_json(b, name);
    sv_buf_puts(b, ",\"svg\":");
    sv_buf_json(b, svg);
    sv_buf_puts(b, "}");
    json_decref(name);
    json_decref(svg);
  }
  sv_buf_puts(b, "]}");
  pl_report_free(r);
}

static size_t analysis_doc(const void *a, char *buf, size_t len) {
  return pl_analysis_json(a, buf, len);
}

static void analyze_run(sv_job *j, void *arg) {
  analyze_work *w = arg;
  pl_diag *d = pl_diag_new();
  pl_status st = PL_OK;
  double t0 = sv_now();
  w->o.threads = sv_job_threads(j);
  pl_analysis *a = d ? pl_analyze(w->m->s, &w->o, d, &st) : NULL;
  double seconds = sv_now() - t0;
  if (!a) {
    fail_with(j, 422, "refused", d);
    pl_diag_free(d);
    return;
  }
  sv_job_progress(j, 1, 1, "analysis");
  sv_buf b = {0};
  if (w->plots) {
    plots_json(&b, a, d);
  } else {
    char num[64];
    sv_buf_puts(&b, "{\"analysis\":");
    sv_buf_doc(&b, analysis_doc, a);
    snprintf(num, sizeof num, ",\"seconds\":%.6f}", seconds);
    sv_buf_puts(&b, num);
  }
  if (b.failed)
    fail_with(j, 422, "refused", d);
  else
    sv_job_finish(j, b.p);
  free(b.p);
  pl_analysis_free(a);
  pl_diag_free(d);
}

static bool read_plan(const json_t *o, int *plan, sv_response *res) {
  const char *p = NULL;
  if (!sv_get_string(o, "plan", &p, res))
    return false;
  if (!p || !strcmp(p, "auto"))
    *plan = PL_PLAN_AUTO;
  else if (!strcmp(p, "enumerate"))
    *plan = PL_PLAN_ENUMERATE;
  else if (!strcmp(p, "always"))
    *plan = PL_PLAN_ALWAYS;
  else {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'plan' is \"auto\", \"enumerate\" or \"always\", not "
                   "\"%s\"",
                   p);
    return false;
  }
  return true;
}

static bool read_packages(const json_t *o, analyze_work *w, sv_response *res) {
  json_t *pk = json_object_get(o, "packages");
  if (!pk || json_is_null(pk))
    return true;
  if (!json_is_array(pk) || json_array_size(pk) > 1000) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'packages' must be an array of at most 1000 strings "
                   "\"issue=value,issue=value\"");
    return false;
  }
  w->packages = calloc(json_array_size(pk) + 1, sizeof *w->packages);
  for (size_t k = 0; w->packages && k < json_array_size(pk); k++) {
    json_t *x = json_array_get(pk, k);
    if (!json_is_string(x)) {
      sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                     "'packages'[%zu] must be a string", k);
      return false;
    }
    w->packages[w->npackages++] = strdup(json_string_value(x));
  }
  w->o.packages = (const char *const *)w->packages;
  w->o.npackages = w->npackages;
  return true;
}

static bool read_analysis_options(const json_t *o, analyze_work *w,
                                  sv_response *res) {
  static const char *const known[] = {"frontier_all", "no_frontier", "no_count",
                                      "max_outcomes", "packages",    "groups",
                                      "plan",         NULL};
  const char *groups = NULL;
  if (!o || json_is_null(o))
    return true;
  if (!json_is_object(o)) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'options' must be an object");
    return false;
  }
  if (!sv_check_fields(o, known, "options", res) ||
      !sv_get_bool(o, "frontier_all", &w->o.frontier_all, res) ||
      !sv_get_bool(o, "no_frontier", &w->o.no_frontier, res) ||
      !sv_get_bool(o, "no_count", &w->o.no_count, res) ||
      !sv_get_uint(o, "max_outcomes", UINT64_MAX >> 1, &w->o.max_outcomes,
                   res) ||
      !sv_get_string(o, "groups", &groups, res) ||
      !read_plan(o, &w->o.plan, res) || !read_packages(o, w, res))
    return false;
  if (groups) {
    w->groups = strdup(groups);
    w->o.groups = w->groups;
  }
  return true;
}

void sv_api_analyze(sv_server *sv, const json_t *body, bool plots,
                    sv_response *res) {
  static const char *const known[] = {"scenario", "options", "mode", NULL};
  static const char *const known_plots[] = {"scenario", "options", NULL};
  const char *mode = "auto";
  if (!sv_check_fields(body, plots ? known_plots : known,
                       plots ? "the plots request" : "the analyze request",
                       res) ||
      !sv_get_string(body, "mode", &mode, res))
    return;
  if (strcmp(mode, "auto") && strcmp(mode, "inline") && strcmp(mode, "job")) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'mode' is \"auto\", \"inline\" or \"job\", not \"%s\"",
                   mode);
    return;
  }
  analyze_work *w = calloc(1, sizeof *w);
  if (!w) {
    busy(res);
    return;
  }
  pl_analysis_options_init(&w->o);
  w->plots = plots;
  if (!read_analysis_options(json_object_get(body, "options"), w, res) ||
      !(w->m = sv_request_model(sv, body, res))) {
    analyze_free(w);
    return;
  }
  uint64_t n = 0;
  bool small = pl_scenario_num_outcomes(w->m->s, &n) && n <= SV_INLINE_OUTCOMES;
  bool wait =
      plots || !strcmp(mode, "inline") || (!strcmp(mode, "auto") && small);
  queue_and_answer(sv, res, plots ? "plots" : "analyze", analyze_run, w,
                   analyze_free, wait ? ANSWER_RESULT : ANSWER_JOB);
}

/* ---- negotiate ------------------------------------------------------------
 */

typedef struct negotiate_work {
  sv_model *m;
  pl_negotiation_options o;
  char *protocol, *agents, *mediator, *start_from;
  sv_job *job;
} negotiate_work;

static void negotiate_free(void *arg) {
  negotiate_work *w = arg;
  sv_model_unref(w->m);
  free(w->protocol);
  free(w->agents);
  free(w->mediator);
  free(w->start_from);
  free(w);
}

static bool on_event(void *ctx, const pl_trace_event *e,
                     const uint32_t *values) {
  negotiate_work *w = ctx;
  sv_job_add_event(w->job, e, values);
  sv_job_progress(w->job, e->round, w->o.rounds, "rounds");
  return !sv_job_cancelled(w->job);
}

static void negotiate_run(sv_job *j, void *arg) {
  negotiate_work *w = arg;
  w->job = j;
  w->o.on_event = on_event;
  w->o.on_event_ctx = w;
  sv_job_set_scenario(j, w->m);
  sv_job_progress(j, 0, w->o.rounds, "rounds");
  pl_diag *d = pl_diag_new();
  pl_status st = PL_OK;
  w->o.threads = 1; /* the talks run on one; so does the scoring */
  pl_negotiation *n = d ? pl_negotiate(w->m->s, &w->o, d, &st) : NULL;
  if (!n) {
    if (!sv_job_cancelled(j))
      fail_with(j, 422, "refused", d);
    pl_diag_free(d);
    return;
  }
  finish_with_doc(j, "negotiation", sv_negotiation_doc, n, d);
  pl_negotiation_free(n);
  pl_diag_free(d);
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static bool read_negotiation(const json_t *body, negotiate_work *w,
                             sv_response *res) {
  static const char *const known[] = {
      "scenario", "protocol",         "agents",   "rounds",
      "seed",     "ignore_ratifiers", "mediator", "start_from",
      "quota",    "change",           "anneal",   NULL};
  const char *protocol = NULL, *agents = NULL, *mediator = NULL,
             *start_from = NULL;
  uint64_t rounds = 100, seed = 1, quota = 0, change = 1;
  if (!sv_check_fields(body, known, "the negotiate request", res) ||
      !sv_get_string(body, "protocol", &protocol, res) ||
      !sv_get_string(body, "agents", &agents, res) ||
      !sv_get_string(body, "mediator", &mediator, res) ||
      !sv_get_string(body, "start_from", &start_from, res) ||
      !sv_get_uint(body, "rounds", SV_MAX_ROUNDS, &rounds, res) ||
      !sv_get_uint(body, "seed", UINT64_MAX >> 1, &seed, res) ||
      !sv_get_uint(body, "quota", 64, &quota, res) ||
      !sv_get_uint(body, "change", 64, &change, res) ||
      !sv_get_bool(body, "ignore_ratifiers", &w->o.ignore_ratifiers, res) ||
      !sv_get_number(body, "anneal", &w->o.anneal, res))
    return false;
  if (rounds == 0) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'rounds' must be from 1 to %d", SV_MAX_ROUNDS);
    return false;
  }
  w->protocol = dup_or_null(protocol);
  w->agents = dup_or_null(agents);
  w->mediator = dup_or_null(mediator);
  w->start_from = dup_or_null(start_from);
  w->o.protocol = w->protocol ? w->protocol : "saop";
  w->o.agents = w->agents;
  w->o.mediator = w->mediator;
  w->o.start_from = w->start_from;
  w->o.rounds = (uint32_t)rounds;
  w->o.seed = seed;
  w->o.quota = (uint32_t)quota;
  w->o.change = (uint32_t)change;
  w->o.trace = true;
  return true;
}

void sv_api_negotiate(sv_server *sv, const json_t *body, sv_response *res) {
  negotiate_work *w = calloc(1, sizeof *w);
  if (!w) {
    busy(res);
    return;
  }
  pl_negotiation_options_init(&w->o);
  if (!read_negotiation(body, w, res) ||
      !(w->m = sv_request_model(sv, body, res))) {
    negotiate_free(w);
    return;
  }
  queue_and_answer(sv, res, "negotiate", negotiate_run, w, negotiate_free,
                   ANSWER_FAILURE);
}

/* ---- stability ------------------------------------------------------------
 */

typedef struct stability_work {
  pl_conflict *c;
  pl_stability_options o;
  char *coalitions, *from;
} stability_work;

static void stability_free(void *arg) {
  stability_work *w = arg;
  pl_conflict_free(w->c);
  free(w->coalitions);
  free(w->from);
  free(w);
}

static size_t stability_doc(const void *a, char *buf, size_t len) {
  return pl_stability_json(a, buf, len);
}

static void stability_run(sv_job *j, void *arg) {
  stability_work *w = arg;
  pl_diag *d = pl_diag_new();
  pl_status st = PL_OK;
  w->o.threads = sv_job_threads(j);
  pl_stability *a = d ? pl_stability_analyze(w->c, &w->o, d, &st) : NULL;
  if (!a) {
    fail_with(j, 422, "refused", d);
    pl_diag_free(d);
    return;
  }
  finish_with_doc(j, "stability", stability_doc, a, d);
  pl_stability_free(a);
  pl_diag_free(d);
}

static bool read_concepts(const json_t *o, unsigned *bits, sv_response *res) {
  static const char *const names[] = {"nash", "gmr", "smr", "seq"};
  json_t *c = json_object_get(o, "concepts");
  if (!c || json_is_null(c))
    return true;
  if (!json_is_array(c)) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'concepts' must be an array of \"nash\", \"gmr\", "
                   "\"smr\", \"seq\"");
    return false;
  }
  size_t k;
  json_t *x;
  *bits = 0; /* the options' default is every concept */
  json_array_foreach(c, k, x) {
    unsigned i = 0;
    while (i < 4 &&
           !(json_is_string(x) && !strcmp(json_string_value(x), names[i])))
      i++;
    if (i == 4) {
      sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                     "'concepts'[%zu] is not one of \"nash\", \"gmr\", "
                     "\"smr\", \"seq\"",
                     k);
      return false;
    }
    *bits |= 1u << i;
  }
  return true;
}

static bool read_stability_options(const json_t *o, stability_work *w,
                                   sv_response *res) {
  static const char *const known[] = {"concepts", "coalitions",   "from",
                                      "explain",  "limited_move", "horizon",
                                      NULL};
  const char *coalitions = NULL, *from = NULL;
  uint64_t horizon = w->o.horizon;
  if (!o || json_is_null(o))
    return true;
  if (!json_is_object(o)) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'options' must be an object");
    return false;
  }
  if (!sv_check_fields(o, known, "options", res) ||
      !read_concepts(o, &w->o.concepts, res) ||
      !sv_get_string(o, "coalitions", &coalitions, res) ||
      !sv_get_string(o, "from", &from, res) ||
      !sv_get_bool(o, "explain", &w->o.explain, res) ||
      !sv_get_bool(o, "limited_move", &w->o.limited_move, res) ||
      !sv_get_uint(o, "horizon", 15, &horizon, res))
    return false;
  w->o.horizon = (uint32_t)horizon;
  w->coalitions = dup_or_null(coalitions);
  w->from = dup_or_null(from);
  w->o.coalitions = w->coalitions;
  w->o.from = w->from;
  return true;
}

/* The conflict of the request: "path" in DIR, "conflict" (object or
 * text), or the built-in one. NULL after an error response. */
static pl_conflict *request_conflict(sv_server *sv, const json_t *body,
                                     sv_response *res) {
  const char *path = NULL;
  json_t *given = json_object_get(body, "conflict");
  if (!sv_get_string(body, "path", &path, res))
    return NULL;
  pl_diag *d = pl_diag_new();
  pl_conflict *c = NULL;
  if (path && given) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "give 'path' or 'conflict', not both");
  } else if (path) {
    char *real = sv_resolve(sv->dir, path, res);
    char *text = real ? sv_read_file(real, res) : NULL;
    if (text) {
      /* Named by its path in DIR, in messages and in the document. */
      c = pl_conflict_load_string(text, path, d);
      if (!c)
        sv_reply_problems(res, 422, "invalid-conflict", d);
    }
    free(text);
    free(real);
  } else if (given && (json_is_string(given) || json_is_object(given))) {
    char *text = json_is_string(given) ? strdup(json_string_value(given))
                                       : json_dumps(given, JSON_INDENT(2));
    c = text ? pl_conflict_load_string(text, "conflict", d) : NULL;
    if (!c)
      sv_reply_problems(res, 422, "invalid-conflict", d);
    free(text);
  } else if (given && !json_is_null(given)) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'conflict' must be a conflict document or its text");
  } else {
    c = pl_conflict_builtin(d);
    if (!c)
      sv_reply_problems(res, 422, "invalid-conflict", d);
  }
  pl_diag_free(d);
  return c;
}

void sv_api_stability(sv_server *sv, const json_t *body, sv_response *res) {
  static const char *const known[] = {"path", "conflict", "options", NULL};
  if (!sv_check_fields(body, known, "the stability request", res))
    return;
  stability_work *w = calloc(1, sizeof *w);
  if (!w) {
    busy(res);
    return;
  }
  pl_stability_options_init(&w->o);
  if (!read_stability_options(json_object_get(body, "options"), w, res) ||
      !(w->c = request_conflict(sv, body, res))) {
    stability_free(w);
    return;
  }
  queue_and_answer(sv, res, "stability", stability_run, w, stability_free,
                   ANSWER_RESULT);
}

/* ---- jobs -----------------------------------------------------------------
 */

void sv_api_job(sv_server *sv, uint64_t id, const char *since, bool cancel,
                sv_response *res) {
  sv_job *j = sv_pool_find(sv->pool, id);
  if (!j) {
    sv_reply_error(res, 404, "not-found", NULL, 0, 0,
                   "no job %llu (finished jobs are kept %d minutes)",
                   (unsigned long long)id, SV_JOB_KEEP_SECONDS / 60);
    return;
  }
  size_t from = 0;
  if (since) {
    char *end;
    unsigned long long v = strtoull(since, &end, 10);
    if (end == since || *end || since[0] == '-') {
      sv_job_unref(j);
      sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                     "'since' must be an event number, not '%s'", since);
      return;
    }
    from = (size_t)v;
  }
  if (cancel)
    sv_job_cancel(j);
  reply_job(res, 200, j, from);
  sv_job_unref(j);
}
