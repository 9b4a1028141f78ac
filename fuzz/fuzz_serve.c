/* fuzz_serve.c - the workbench server's request handler (src/serve,
 * docs/serve.md) fed raw request bodies, one endpoint per input: the input
 * is "ENDPOINT\nBODY", ENDPOINT one of evaluate, analyze, plots, negotiate,
 * play, move, stability, load, cancel. The request passes the Host and
 * token checks, so the body reaches the JSON parser and the endpoint.
 * "move" first starts a game as Ukraine and then plays the body as a move;
 * "cancel" first queues a negotiation. Each input gets a fresh server (no
 * network: sv_handle is called directly), freed at the end, so that
 * in-flight jobs and games are cancelled as on shutdown. The property: no
 * crash, no leak, no undefined behaviour, and every answer is a status
 * from 200 to 599 with a JSON body. */
#include "fuzz.h"
#include "serve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void request(sv_server *sv, const char *method, const char *path,
                    const char *body, size_t len) {
  sv_request req = {.method = method,
                    .path = path,
                    .host = "127.0.0.1:8642",
                    .content_type = "application/json",
                    .token_header = TOKEN,
                    .body = body,
                    .body_len = len};
  sv_response res;
  sv_handle(sv, &req, &res);
  if (res.status < 200 || res.status > 599 || !res.body || !res.len ||
      (strncmp(res.type, "application/json", 16) && res.status != 200))
    abort();
  sv_response_free(&res);
}

static const struct {
  const char *name, *path;
} endpoints[] = {
    {"evaluate", "/api/evaluate"},   {"analyze", "/api/analyze"},
    {"plots", "/api/plots"},         {"negotiate", "/api/negotiate"},
    {"play", "/api/play"},           {"move", "/api/play/1/move"},
    {"stability", "/api/stability"}, {"load", "/api/load"},
    {"cancel", "/api/jobs/1/cancel"}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_text(data, size);
  if (!text)
    return 0;
  char *body = strchr(text, '\n');
  if (body)
    *body++ = 0;
  else
    body = text + strlen(text);
  size_t k = 0, n = sizeof endpoints / sizeof *endpoints;
  while (k < n && strcmp(text, endpoints[k].name))
    k++;
  if (k == n) {
    free(text);
    return 0;
  }
  sv_config c = {.workers = 1, .token = TOKEN, .port = 8642};
  pl_diag *d = pl_diag_new();
  char err[256];
  sv_server *sv = sv_server_new(&c, d, err, sizeof err);
  pl_diag_free(d);
  if (!sv)
    abort(); /* the built-in scenario always loads */
  if (!strcmp(endpoints[k].name, "move")) {
    const char *start = "{\"party\": \"Ukraine\", \"rounds\": 3}";
    request(sv, "POST", "/api/play", start, strlen(start));
  } else if (!strcmp(endpoints[k].name, "cancel")) {
    const char *job = "{\"rounds\": 5}";
    request(sv, "POST", "/api/negotiate", job, strlen(job));
  }
  request(sv, "POST", endpoints[k].path, body, strlen(body));
  sv_server_free(sv);
  free(text);
  return 0;
}
