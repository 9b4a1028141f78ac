/* serve.h - the workbench server (`parley serve`, docs/serve.md): the
 * module's interface, used by cli/serve.c, the API tests and the fuzz
 * target.
 *
 * The server is split in two so that the request handler can be driven
 * without a network: sv_server_new builds everything that answers requests
 * (the open scenario, the worker pool, the games, the token), sv_handle
 * answers one request, and sv_listen puts libmicrohttpd in front of it.
 * The module uses libparley's public API only; the library never uses it.
 */
#ifndef PL_SERVE_SERVE_H
#define PL_SERVE_SERVE_H

#include "parley.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sv_server sv_server;

typedef struct sv_config {
  /* A scenario to open (a path, or a built-in name), or NULL: talks. */
  const char *scenario;
  /* A folder the page may list and load files from, or NULL. */
  const char *dir;
  const char *host; /* NULL: 127.0.0.1 */
  uint16_t port;    /* 0: a free port */
  unsigned workers; /* 0: 2 */
  unsigned threads; /* the analyses' threads in all; 0: the cores online */
  /* For tests and fuzzing: a fixed token instead of a random one. */
  const char *token;
} sv_config;

/* Everything but the network. NULL with the problems of a scenario that
 * does not load in d, or another reason (a DIR that is not a folder, no
 * random source) in err. */
sv_server *sv_server_new(const sv_config *c, pl_diag *d, char *err,
                         size_t errlen);
/* Cancels the jobs, ends the games, stops listening, frees everything. */
void sv_server_free(sv_server *s);

/* Starts listening (libmicrohttpd, one thread per connection). False with a
 * message in err when the address cannot be bound. */
bool sv_listen(sv_server *s, char *err, size_t errlen);
/* The port actually bound (after sv_listen), the token, and the URL to
 * open ("http://127.0.0.1:PORT/?token=..."). */
uint16_t sv_port(const sv_server *s);
const char *sv_token(const sv_server *s);
const char *sv_url(const sv_server *s);

/* One HTTP request, as the handler sees it (strings NUL-terminated, NULL
 * when absent). */
typedef struct sv_request {
  const char *method; /* "GET", "POST", ... */
  const char *path;   /* decoded, without the query */
  const char *host, *origin, *fetch_site, *content_type;
  const char *token_query, *token_header;
  const char *since; /* query parameter of GET /api/jobs/ID */
  const char *body;  /* NUL-terminated copy, body_len bytes before it */
  size_t body_len;
} sv_request;

typedef struct sv_response {
  int status;
  const char *type; /* Content-Type */
  char *body;       /* malloc'd, unless body_static */
  size_t len;
  bool body_static;  /* body points into the embedded files */
  bool page;         /* an embedded file: gets the Content-Security-Policy */
  const char *allow; /* the Allow header of a 405 */
} sv_response;

/* Answers one request; never fails (errors are 4xx/5xx responses). */
void sv_handle(sv_server *s, const sv_request *req, sv_response *res);
void sv_response_free(sv_response *res);

/* The body limit (docs/serve.md, section 9). */
#define SV_MAX_BODY (8u * 1024 * 1024)

#endif
