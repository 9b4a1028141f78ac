/* internal.h - what the files of the serve module share. */
#ifndef PL_SERVE_INTERNAL_H
#define PL_SERVE_INTERNAL_H

#include "serve.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>

/* ---- Limits (docs/serve.md, section 9) ---------------------------------- */
enum {
  SV_MAX_ACTIVE_JOBS = 16,    /* queued or running */
  SV_MAX_DONE_JOBS = 64,      /* finished jobs remembered */
  SV_JOB_KEEP_SECONDS = 600,  /* how long a finished job is remembered */
  SV_MAX_EVENTS = 100000,     /* events kept per negotiation job */
  SV_EVENTS_PER_REPLY = 1000, /* events in one answer (?since= for more) */
  SV_MAX_ROUNDS = 10000,      /* negotiation rounds through the API */
  SV_MAX_GAMES = 8,           /* live games */
  SV_GAME_IDLE_SECONDS = 900, /* a player silent this long walks out */
  SV_MAX_GAME_ROUNDS = 1000,
  SV_MODEL_CACHE = 8, /* compiled scenarios sent in requests */
  SV_MAX_FILES = 1000,
  SV_MAX_DEPTH = 4,
  SV_MAX_FILE = 256 << 20, /* a conflict file read for stability */
  SV_MAX_CONNECTIONS = 64,
  SV_CONNECTION_TIMEOUT = 30, /* seconds */
  SV_MOVE_WAIT_MS = 5000      /* a move waits this long for the agents */
};
#define SV_INLINE_OUTCOMES 1000000ULL /* mode auto: inline up to this */

double sv_now(void); /* monotonic seconds */

/* ---- Responses ---------------------------------------------------------- */

/* A JSON body (takes the reference) with a status. */
void sv_reply_json(sv_response *res, int status, json_t *body);
/* A JSON body from text (copied). */
void sv_reply_text(sv_response *res, int status, const char *json);
/* {"error": {...}}: status, code, message; line/column 0 when unknown. */
void sv_reply_error(sv_response *res, int status, const char *code,
                    const char *file, int line, int column, const char *fmt,
                    ...) __attribute__((format(printf, 7, 8)));
/* The error of every problem in d (the first is the message). */
void sv_reply_problems(sv_response *res, int status, const char *code,
                       const pl_diag *d);
/* The same error as a JSON object (for a failed job). */
json_t *sv_error_object(int status, const char *code, const pl_diag *d);

/* A growing string (for splicing the library's JSON documents). */
typedef struct sv_buf {
  char *p;
  size_t len, cap;
  bool failed;
} sv_buf;
void sv_buf_add(sv_buf *b, const char *s, size_t n);
void sv_buf_puts(sv_buf *b, const char *s);
void sv_buf_json(sv_buf *b, const json_t *v); /* compact JSON of v */
/* A library document writer: pl_analysis_json and the like. */
typedef size_t (*sv_doc_fn)(const void *obj, char *buf, size_t len);
/* The library's document of `fill`. */
void sv_buf_doc(sv_buf *b, sv_doc_fn fill, const void *obj);
/* {"KEY":document} as a string of its own (free it); NULL when memory ran
 * out. */
char *sv_doc_object(const char *key, sv_doc_fn fill, const void *obj);
/* pl_negotiation_json as an sv_doc_fn. */
size_t sv_negotiation_doc(const void *n, char *buf, size_t len);

/* ---- Request bodies ----------------------------------------------------- */

/* Parses the body (empty is {}); NULL after a 400 with line and column. */
json_t *sv_parse_body(const sv_request *req, sv_response *res);
/* Refuses fields not in `known` (NULL-terminated), suggesting the closest;
 * false after a 400. */
bool sv_check_fields(const json_t *obj, const char *const *known,
                     const char *what, sv_response *res);
/* Optional typed fields; false after a 400 naming the field. */
bool sv_get_string(const json_t *obj, const char *key, const char **out,
                   sv_response *res);
bool sv_get_bool(const json_t *obj, const char *key, bool *out,
                 sv_response *res);
bool sv_get_uint(const json_t *obj, const char *key, uint64_t max,
                 uint64_t *out, sv_response *res);
bool sv_get_number(const json_t *obj, const char *key, double *out,
                   sv_response *res);

/* ---- Compiled scenarios (models.c) -------------------------------------- */

/* A compiled scenario shared by requests, jobs and games (reference
 * counted). The frontier used by evaluate is computed once, on the pool. */
typedef struct sv_model {
  atomic_int refs;
  pl_scenario *s;
  char *key;      /* the text it was compiled from (cache key), or NULL */
  uint64_t hash;  /* of key */
  json_t *source; /* {"kind": "builtin"|"file"|"request", ...} */
  char *doc;      /* its parley JSON document, written when first asked */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int frontier; /* 0 not asked, 1 computing, 2 ready, 3 none */
  bool frontier_of_zone;
  bool frontier_late; /* a request gave up waiting for it */
  size_t nfront;
  double *front_u;   /* nfront * parties */
  uint32_t *front_v; /* nfront * issues */
} sv_model;

sv_model *sv_model_ref(sv_model *m);
void sv_model_unref(sv_model *m);

/* ---- Packages (package.c) ----------------------------------------------- */

/* Reads "package", "values" or "proposal" from obj into values; false after
 * a 400 (missing issue, unknown value, ...). `required`: one must be
 * there. Returns through *given whether one was. */
bool sv_read_package(const pl_scenario *s, const json_t *obj, uint32_t *values,
                     bool *given, sv_response *res);
/* {"issue": "value text", ...} and [indices]. */
json_t *sv_package_object(const pl_scenario *s, const uint32_t *values);
json_t *sv_values_array(const pl_scenario *s, const uint32_t *values);
/* The scenario's summary of GET /api/scenario. */
json_t *sv_scenario_summary(const pl_scenario *s);
/* Whether `party` can sign: constraints, its red lines, its ratifiers. */
bool sv_party_can_sign(const pl_scenario *s, uint32_t party,
                       const uint32_t *values);

/* ---- Files of DIR (files.c) --------------------------------------------- */

/* The real path of `rel` inside dir (malloc'd), or NULL after a 403
 * (forbidden-path) or 404. */
char *sv_resolve(const char *dir, const char *rel, sv_response *res);
/* The whole text of a regular file (at most SV_MAX_FILE bytes), or NULL
 * after an error response. */
char *sv_read_file(const char *path, sv_response *res);
/* The listing of GET /api/files ("files"). */
json_t *sv_list_files(const char *dir);

/* ---- Jobs (jobs.c) ------------------------------------------------------ */

typedef enum sv_job_state {
  SV_QUEUED = 0,
  SV_RUNNING = 1,
  SV_DONE = 2,
  SV_FAILED = 3,
  SV_CANCELLED = 4
} sv_job_state;

typedef struct sv_job sv_job;
typedef struct sv_pool sv_pool;

/* What a job does, on a worker: fills j's result (sv_job_finish) or
 * error (sv_job_fail). */
typedef void (*sv_work_fn)(sv_job *j, void *arg);

/* `threads`: how many threads the jobs' analyses may use in all (0: the
 * cores online); see sv_job_threads. */
sv_pool *sv_pool_new(unsigned workers, unsigned threads);
/* Cancels every job (shutdown: waiters wake up). */
void sv_pool_cancel_all(sv_pool *p);
/* Cancels every job, waits for the workers, frees the pool. */
void sv_pool_free(sv_pool *p);
/* Queues a job of `kind` ("analyze", "negotiate", "stability", "plots",
 * "frontier"). The pool owns arg from this call on, whatever the outcome:
 * `free_arg` releases it after the work, or at once when the job is
 * refused. NULL when the queue is full (the caller answers 503), the pool
 * is stopping or memory ran out. The job is returned with a reference for
 * the caller (sv_job_unref). */
sv_job *sv_pool_submit(sv_pool *p, const char *kind, sv_work_fn fn, void *arg,
                       void (*free_arg)(void *));
sv_job *sv_pool_find(sv_pool *p, uint64_t id); /* with a reference */
void sv_job_unref(sv_job *j);
uint64_t sv_job_id(const sv_job *j);
/* Waits until the job has ended (or ms passed, ms < 0: forever); true
 * when it has. */
bool sv_job_wait(sv_job *j, long ms);
sv_job_state sv_job_get_state(sv_job *j);
/* Cancels; a running job sees sv_job_cancelled. */
void sv_job_cancel(sv_job *j);
bool sv_job_cancelled(const sv_job *j);
/* For the work, once, before it starts an analysis: the threads it may use.
 * A running job holds one thread and an idle worker keeps one in reserve;
 * the first to ask takes the rest of the pool's budget, so that the
 * threads of all running jobs never exceed the budget (unless there are
 * more workers than that: then one each). A job that never asks (a
 * negotiation: its talks run on one thread) keeps one. */
unsigned sv_job_threads(sv_job *j);
/* For the work, as its last step: the result as JSON text (copied), or the
 * error; its threads are free from then on. */
void sv_job_finish(sv_job *j, const char *json);
void sv_job_fail(sv_job *j, json_t *error);
void sv_job_progress(sv_job *j, uint64_t done, uint64_t total,
                     const char *unit);
/* Negotiation events (the scenario gives the package's size). */
void sv_job_set_scenario(sv_job *j, sv_model *m);
void sv_job_add_event(sv_job *j, const struct pl_trace_event *e,
                      const uint32_t *values);
/* The job object of docs/serve.md, section 8, events from `since`. */
json_t *sv_job_json(sv_job *j, size_t since);
/* The result text of a finished job (NULL otherwise), and its error. */
char *sv_job_result_copy(sv_job *j);
json_t *sv_job_error_copy(sv_job *j);

/* One event as the API writes it (jobs and games): utilities of every
 * party, or only `party`'s as "utility" when party >= 0. */
json_t *sv_event_json(const pl_scenario *s, const struct pl_trace_event *e,
                      const uint32_t *values, int32_t party);

/* ---- Games (play.c) ----------------------------------------------------- */

typedef struct sv_games sv_games;
sv_games *sv_games_new(void);
void sv_games_quit(sv_games *g); /* every player walks out (shutdown) */
void sv_games_free(sv_games *g); /* ends every game */

/* ---- The server --------------------------------------------------------- */

struct sv_server {
  sv_config cfg;
  char *dir; /* real path of DIR, or NULL */
  char token[65];
  char url[512];
  char host[256];
  uint16_t port;
  sv_pool *pool;
  sv_games *games;
  pthread_mutex_t mu; /* the open model and the cache */
  sv_model *open;
  sv_model *cache[SV_MODEL_CACHE];
  uint64_t cache_tick[SV_MODEL_CACHE], tick;
  void *daemon; /* struct MHD_Daemon */
};

/* http.c: stops listening (waits for the connections' threads). */
void sv_unlisten(sv_server *sv);

/* models.c */
sv_model *sv_model_builtin(const char *name, pl_diag *d);
sv_model *sv_model_file(const char *path, const char *shown, pl_diag *d);
/* The model of the request: its "scenario" field (cached) or the open one;
 * NULL after an error response. */
sv_model *sv_request_model(sv_server *sv, const json_t *body, sv_response *res);
sv_model *sv_open_model(sv_server *sv);
void sv_set_open_model(sv_server *sv, sv_model *m);
/* The frontier for evaluate, computed on the pool the first time; false
 * when there is none (too large, or not known). */
bool sv_model_frontier(sv_server *sv, sv_model *m);

/* Endpoints (api.c, work.c, play.c). */
void sv_api_scenario(sv_server *sv, sv_response *res);
void sv_api_files(sv_server *sv, sv_response *res);
void sv_api_agents(sv_response *res);
void sv_api_load(sv_server *sv, const json_t *body, sv_response *res);
void sv_api_evaluate(sv_server *sv, const json_t *body, sv_response *res);
void sv_api_analyze(sv_server *sv, const json_t *body, bool plots,
                    sv_response *res);
void sv_api_negotiate(sv_server *sv, const json_t *body, sv_response *res);
void sv_api_stability(sv_server *sv, const json_t *body, sv_response *res);
void sv_api_job(sv_server *sv, uint64_t id, const char *since, bool cancel,
                sv_response *res);
void sv_api_play_start(sv_server *sv, const json_t *body, sv_response *res);
void sv_api_play_move(sv_server *sv, uint64_t id, const json_t *body,
                      sv_response *res);
void sv_api_play_get(sv_server *sv, uint64_t id, sv_response *res);

/* Embedded files (assets.c over the generated web_data.c). */
typedef struct sv_asset {
  const char *name; /* "index.html", "img/logo.svg" */
  const unsigned char *data;
  size_t len;
} sv_asset;
const sv_asset *sv_asset_find(const char *name);
const char *sv_content_type(const char *name);

/* token.c */
bool sv_random_token(char out[65]);
bool sv_token_equal(const char *a, const char *b);

#endif
