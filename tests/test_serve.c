/* test_serve.c - the workbench server's JSON API (docs/serve.md) over real
 * HTTP: each test starts the built `parley serve --port 0` as a child
 * process on an ephemeral loopback port, reads the URL and token from the
 * first line of its standard output, talks to it with libcurl, and stops it
 * with SIGTERM, which must end it with exit code 0. Numbers are checked
 * against the library's own answers for the same scenario. */
#define _DEFAULT_SOURCE
#include "parley.h"
#include "parley_agent.h"
#include "support.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- The server under test ------------------------------------------------
 */

typedef struct server {
  pid_t pid;
  int out; /* its stdout */
  int port;
  char token[128];
  char base[64];
} server;

/* Starts `parley serve ARGS --port 0` and reads its URL line. */
static server start(const char *const *args) {
  server s;
  memset(&s, 0, sizeof s);
  int fds[2];
  cr_assert_eq(pipe(fds), 0);
  const char *argv[16] = {"parley", "serve"};
  size_t n = 2;
  for (size_t k = 0; args && args[k] && n < 12; k++)
    argv[n++] = args[k];
  argv[n++] = "--port";
  argv[n++] = "0";
  argv[n] = NULL;
  s.pid = fork();
  cr_assert_neq(s.pid, -1);
  if (s.pid == 0) {
    /* A failed test must not leave its server running. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execv(PARLEY_CLI, (char *const *)argv);
    _exit(127);
  }
  close(fds[1]);
  s.out = fds[0];
  char line[512];
  size_t len = 0;
  /* The URL is the first line, flushed at once: 30 s covers a loaded
   * machine under the sanitizers. */
  while (len < sizeof line - 1) {
    struct pollfd p = {.fd = s.out, .events = POLLIN};
    cr_assert_gt(poll(&p, 1, 30000), 0, "no URL from parley serve");
    ssize_t k = read(s.out, line + len, 1);
    cr_assert_eq(k, 1, "parley serve ended before printing its URL");
    if (line[len] == '\n')
      break;
    len++;
  }
  line[len] = 0;
  char token[128];
  cr_assert_eq(sscanf(line, "http://127.0.0.1:%d/?token=%127s", &s.port, token),
               2, "first line: %s", line);
  cr_assert_gt(s.port, 0);
  cr_assert_eq(strlen(token), 64, "the token is 64 hex digits: %s", token);
  snprintf(s.token, sizeof s.token, "%s", token);
  snprintf(s.base, sizeof s.base, "http://127.0.0.1:%d", s.port);
  return s;
}

/* SIGTERM, and the exit code must be 0. */
static void stop(server *s) {
  cr_assert_eq(kill(s->pid, SIGTERM), 0);
  int status;
  cr_assert_eq(waitpid(s->pid, &status, 0), s->pid);
  close(s->out);
  cr_assert(WIFEXITED(status), "parley serve died of a signal");
  cr_assert_eq(WEXITSTATUS(status), 0, "parley serve exited %d",
               WEXITSTATUS(status));
}

/* ---- HTTP ------------------------------------------------------------------
 */

typedef struct reply {
  long status;
  char *body;
  size_t len;
  char *headers;
  size_t hlen;
  json_t *json;
} reply;

static size_t gather(char *p, size_t size, size_t n, void *ctx) {
  char **buf = ctx;
  size_t *len = (size_t *)(buf + 1);
  size_t add = size * n;
  char *q = realloc(*buf, *len + add + 1);
  cr_assert_not_null(q);
  memcpy(q + *len, p, add);
  *len += add;
  q[*len] = 0;
  *buf = q;
  return add;
}

typedef struct sink {
  char *p;
  size_t len;
} sink;

enum { WITH_TOKEN = 1, NO_JSON_TYPE = 2 };

/* METHOD base+path with `body` (NULL: none) and extra header lines. */
static reply http(const server *s, const char *method, const char *path,
                  const char *body, const char *const *headers, int flags) {
  reply r;
  memset(&r, 0, sizeof r);
  CURL *c = curl_easy_init();
  cr_assert_not_null(c);
  char url[1024], tok[200];
  snprintf(url, sizeof url, "%s%s", s->base, path);
  struct curl_slist *h = NULL;
  if (flags & WITH_TOKEN) {
    snprintf(tok, sizeof tok, "X-Parley-Token: %s", s->token);
    h = curl_slist_append(h, tok);
  }
  if (body && !(flags & NO_JSON_TYPE))
    h = curl_slist_append(h, "Content-Type: application/json");
  for (size_t k = 0; headers && headers[k]; k++)
    h = curl_slist_append(h, headers[k]);
  h = curl_slist_append(h, "Expect:");
  sink b = {0}, hd = {0};
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, gather);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, gather);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &hd);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
  if (body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
  }
  CURLcode rc = curl_easy_perform(c);
  cr_assert_eq(rc, CURLE_OK, "%s %s: %s", method, path, curl_easy_strerror(rc));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  r.body = b.p ? b.p : strdup("");
  r.len = b.len;
  r.headers = hd.p ? hd.p : strdup("");
  r.hlen = hd.len;
  r.json = json_loads(r.body, 0, NULL);
  return r;
}

static reply get(const server *s, const char *path) {
  return http(s, "GET", path, NULL, NULL, WITH_TOKEN);
}
static reply post(const server *s, const char *path, const char *body) {
  return http(s, "POST", path, body, NULL, WITH_TOKEN);
}

static void reply_free(reply *r) {
  free(r->body);
  free(r->headers);
  json_decref(r->json);
}

static json_t *at(json_t *v, const char *path) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *k = strtok(buf, "."); k && v; k = strtok(NULL, ".")) {
    if (*k >= '0' && *k <= '9')
      v = json_array_get(v, (size_t)atoi(k));
    else
      v = json_object_get(v, k);
  }
  return v;
}

static double num(json_t *v, const char *path) {
  json_t *x = at(v, path);
  cr_assert(json_is_number(x), "%s is not a number", path);
  return json_number_value(x);
}

static const char *str(json_t *v, const char *path) {
  json_t *x = at(v, path);
  cr_assert(json_is_string(x), "%s is not a string", path);
  return json_string_value(x);
}

/* A 4xx with the JSON error of docs/serve.md section 2. */
static void expect_error(reply *r, long status, const char *code) {
  cr_assert_eq(r->status, status, "status %ld, not %ld: %s", r->status, status,
               r->body);
  cr_assert_not_null(r->json, "not JSON: %s", r->body);
  cr_assert_str_eq(str(r->json, "error.code"), code, "%s", r->body);
  cr_assert(strlen(str(r->json, "error.message")) > 0);
  cr_assert_eq(num(r->json, "error.status"), status);
}

static pl_scenario *talks(void) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_builtin("talks", d);
  cr_assert_not_null(s);
  pl_diag_free(d);
  return s;
}

/* A test that hangs fails instead of holding the suite. */
TestSuite(serve, .timeout = 150);

/* ---- The page ---------------------------------------------------------------
 */

Test(serve, page_and_files_without_token) {
  server s = start(NULL);
  reply r = http(&s, "GET", "/", NULL, NULL, 0);
  cr_assert_eq(r.status, 200);
  cr_assert(strstr(r.headers, "Content-Type: text/html"), "%s", r.headers);
  cr_assert(strstr(r.headers, "Content-Security-Policy: default-src 'self'"));
  cr_assert(strstr(r.headers, "X-Frame-Options: DENY"));
  cr_assert(strstr(r.body, "<html"), "%s", r.body);
  /* The page is web/index.html, byte for byte. */
  char *file = read_text_file(PARLEY_SOURCE_DIR "/web/index.html");
  cr_assert_not_null(file);
  cr_assert_eq(r.len, strlen(file));
  cr_assert_str_eq(r.body, file);
  free(file);
  reply_free(&r);
  r = http(&s, "GET", "/no-such-file.js", NULL, NULL, 0);
  expect_error(&r, 404, "not-found");
  reply_free(&r);
  /* No CORS, ever. */
  r = http(&s, "OPTIONS", "/api/evaluate", NULL, NULL, WITH_TOKEN);
  cr_assert_eq(r.status, 405);
  cr_assert_null(strstr(r.headers, "Access-Control-Allow"));
  reply_free(&r);
  stop(&s);
}

/* ---- Scenario and evaluate -------------------------------------------------
 */

Test(serve, scenario_summary) {
  server s = start(NULL);
  reply r = get(&s, "/api/scenario");
  cr_assert_eq(r.status, 200, "%s", r.body);
  /* docs/default-scenario.md: 3 x 5 x 5 x 4 x 3 x 3 x 3 = 8,100 packages */
  cr_assert_str_eq(str(r.json, "name"), "talks");
  cr_assert_eq(num(r.json, "outcomes"), 8100);
  cr_assert_str_eq(str(r.json, "summary.parties.2.name"), "Russia");
  cr_assert_float_eq(num(r.json, "summary.parties.2.reservation"), 0.6, 1e-12);
  cr_assert_str_eq(str(r.json, "summary.proposals.0.name"), "US proposal");
  cr_assert_str_eq(str(r.json, "scenario.name"), "talks");
  cr_assert_str_eq(str(r.json, "source.kind"), "builtin");
  cr_assert(strstr(r.headers, "Cache-Control: no-store"));
  reply_free(&r);
  stop(&s);
}

/* docs/default-scenario.md section 8: the US proposal gives the United
 * States 1.000, Ukraine 0.640 and Russia 0.410 against its 0.60: Russia
 * rejects, everyone else accepts or approves. Every number is also
 * checked against the library. */
Test(serve, evaluate_us_proposal_russia_rejects) {
  server s = start(NULL);
  reply r = post(&s, "/api/evaluate", "{\"proposal\": \"US proposal\"}");
  cr_assert_eq(r.status, 200, "%s", r.body);
  cr_assert_float_eq(num(r.json, "parties.0.utility"), 1.0, 1e-9);
  cr_assert_float_eq(num(r.json, "parties.1.utility"), 0.64, 1e-9);
  cr_assert_float_eq(num(r.json, "parties.2.utility"), 0.41, 1e-9);
  cr_assert(json_is_false(at(r.json, "parties.2.accepts")));
  cr_assert(json_is_true(at(r.json, "parties.1.accepts")));
  cr_assert(json_is_false(at(r.json, "in_zone")));
  cr_assert(json_is_true(at(r.json, "feasible")));
  cr_assert_eq(json_array_size(at(r.json, "rejected_by")), 1);
  cr_assert_str_eq(str(r.json, "rejected_by.0"), "Russia");
  cr_assert_str_eq(str(r.json, "parties.1.red_lines.0.name"),
                   "no deal without guarantees");
  pl_scenario *t = talks();
  uint32_t v[7];
  cr_assert(pl_proposal_values(t, 0, v));
  for (uint32_t i = 0; i < 7; i++)
    cr_assert_eq(json_integer_value(json_array_get(at(r.json, "values"), i)),
                 v[i]);
  for (uint32_t p = 0; p < 3; p++) {
    char key[64];
    snprintf(key, sizeof key, "parties.%u.utility", p);
    cr_assert_float_eq(num(r.json, key), pl_party_utility(t, p, v), 1e-12);
  }
  for (uint32_t q = 0; q < 2; q++) {
    char key[64];
    snprintf(key, sizeof key, "ratifiers.%u.utility", q);
    cr_assert_float_eq(num(r.json, key), pl_ratifier_utility(t, q, v), 1e-12);
    snprintf(key, sizeof key, "ratifiers.%u.approves", q);
    cr_assert_eq(json_is_true(at(r.json, key)), pl_ratifier_approves(t, q, v));
  }
  /* The nearest frontier point: its utilities are the utilities of its
   * package, and no point is closer than the distance reported. */
  json_t *nf = at(r.json, "nearest_frontier");
  cr_assert(json_is_object(nf), "%s", r.body);
  uint32_t fv[7];
  for (uint32_t i = 0; i < 7; i++)
    fv[i] = (uint32_t)json_integer_value(json_array_get(at(nf, "values"), i));
  double d2 = 0;
  for (uint32_t p = 0; p < 3; p++) {
    double fu = json_number_value(json_array_get(at(nf, "utilities"), p));
    cr_assert_float_eq(fu, pl_party_utility(t, p, fv), 1e-12);
    d2 += pow(fu - pl_party_utility(t, p, v), 2);
  }
  cr_assert_float_eq(num(nf, "distance"), sqrt(d2), 1e-9);
  pl_scenario_free(t);
  reply_free(&r);
  stop(&s);
}

Test(serve, evaluate_by_names_and_bad_packages) {
  server s = start(NULL);
  /* Ukraine's red line broken: no guarantees. */
  reply r = post(&s, "/api/evaluate",
                 "{\"package\": {\"donbas\": \"Russian control\", "
                 "\"ua_withdrawal_km\": 0, \"ru_withdrawal_km\": \"10\", "
                 "\"guarantees\": \"none\", \"monitoring\": \"observers\", "
                 "\"zaporizhzhia\": \"Russian control\", \"economy\": "
                 "\"sanctions lifted\"}}");
  cr_assert_eq(r.status, 200, "%s", r.body);
  cr_assert(json_is_false(at(r.json, "parties.1.red_lines.0.holds")));
  cr_assert(json_is_false(at(r.json, "parties.1.red_lines_respected")));
  cr_assert(json_is_false(at(r.json, "parties.1.accepts")));
  cr_assert_str_eq(str(r.json, "package.ua_withdrawal_km"), "0");
  reply_free(&r);
  const char *bad[] = {
      "{\"package\": {\"donbas\": \"Russian control\"}}", /* issues missing */
      "{\"package\": {\"nope\": 1}}",                     /* unknown issue */
      "{\"values\": [0, 0, 0]}",                          /* too short */
      "{\"values\": [0, 9, 0, 0, 0, 0, 0]}",              /* out of range */
      "{\"proposal\": \"UN plan\"}",                      /* no such */
      "{}",                                               /* nothing */
      "{\"proposal\": \"US proposal\", \"values\": [0]}", /* two forms */
      "{\"propsal\": \"US proposal\"}",                   /* typo */
      "[1, 2]",                                           /* not an object */
  };
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
    r = post(&s, "/api/evaluate", bad[k]);
    expect_error(&r, 400, "bad-request");
    reply_free(&r);
  }
  r = post(&s, "/api/evaluate", "{\"propsal\": \"US proposal\"}");
  cr_assert(strstr(str(r.json, "error.message"), "did you mean 'proposal'"),
            "%s", r.body);
  reply_free(&r);
  stop(&s);
}

/* ---- Errors of the request itself -----------------------------------------
 */

Test(serve, malformed_json_has_line_and_column) {
  server s = start(NULL);
  /* jansson stops at the '}' on line 3, column 1. */
  reply r = post(&s, "/api/evaluate", "{\n  \"proposal\":\n}");
  expect_error(&r, 400, "bad-json");
  cr_assert_eq(num(r.json, "error.line"), 3, "%s", r.body);
  cr_assert_eq(num(r.json, "error.column"), 1, "%s", r.body);
  cr_assert_str_eq(str(r.json, "error.file"), "request");
  reply_free(&r);
  const char *bad[] = {
      "{",       "nul", "{\"a\": 1,}", "\"\\ud800\"", "{\"a\": 1, \"a\": 2}",
      "\xff\xfe"};
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
    r = post(&s, "/api/analyze", bad[k]);
    cr_assert_eq(r.status, 400, "%s -> %ld %s", bad[k], r.status, r.body);
    cr_assert_not_null(r.json);
    reply_free(&r);
  }
  /* A form post is not JSON (and is how cross-site forms post). */
  r = http(&s, "POST", "/api/evaluate", "proposal=US", NULL,
           WITH_TOKEN | NO_JSON_TYPE);
  expect_error(&r, 415, "bad-content-type");
  reply_free(&r);
  r = get(&s, "/api/evaluate");
  expect_error(&r, 405, "method-not-allowed");
  cr_assert(strstr(r.headers, "Allow: POST"), "%s", r.headers);
  reply_free(&r);
  r = get(&s, "/api/nothing");
  expect_error(&r, 404, "not-found");
  reply_free(&r);
  r = get(&s, "/api/jobs/999");
  expect_error(&r, 404, "not-found");
  reply_free(&r);
  stop(&s);
}

/* A raw request, to control Content-Length and send no body at all. */
static char *raw(const server *s, const char *request) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  cr_assert_geq(fd, 0);
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_port = htons((uint16_t)s->port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
  cr_assert_eq(write(fd, request, strlen(request)), (ssize_t)strlen(request));
  char *buf = calloc(1, 65536);
  size_t len = 0;
  for (;;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 20000) <= 0)
      break;
    ssize_t k = read(fd, buf + len, 65535 - len);
    if (k <= 0)
      break;
    len += (size_t)k;
    if (strstr(buf, "\r\n\r\n") && strchr(strstr(buf, "\r\n\r\n"), '}'))
      break;
  }
  close(fd);
  return buf;
}

Test(serve, oversized_body_is_413_before_reading) {
  server s = start(NULL);
  char req[512];
  /* 9,000,000 > 8 MiB announced, nothing sent: the answer comes anyway. */
  snprintf(req, sizeof req,
           "POST /api/evaluate?token=%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
           "Content-Type: application/json\r\nContent-Length: 9000000\r\n\r\n",
           s.token, s.port);
  char *answer = raw(&s, req);
  cr_assert(!strncmp(answer, "HTTP/1.1 413", 12), "%.200s", answer);
  cr_assert(strstr(answer, "\"too-large\""), "%s", answer);
  free(answer);
  /* A real body just over the limit, sent with its length. */
  size_t n = 8u * 1024 * 1024 + 10;
  char *big = malloc(n + 1);
  memset(big, ' ', n);
  big[0] = '{';
  big[n - 1] = '}';
  big[n] = 0;
  reply r = post(&s, "/api/evaluate", big);
  expect_error(&r, 413, "too-large");
  reply_free(&r);
  free(big);
  /* The server is still there. */
  r = post(&s, "/api/evaluate", "{\"proposal\": \"US proposal\"}");
  cr_assert_eq(r.status, 200);
  reply_free(&r);
  stop(&s);
}

/* ---- Security ---------------------------------------------------------------
 */

Test(serve, token_required_and_checked) {
  server s = start(NULL);
  reply r = http(&s, "GET", "/api/scenario", NULL, NULL, 0);
  expect_error(&r, 401, "no-token");
  reply_free(&r);
  const char *wrong[] = {"X-Parley-Token: 0000", NULL};
  r = http(&s, "GET", "/api/scenario", NULL, wrong, 0);
  expect_error(&r, 403, "bad-token");
  reply_free(&r);
  /* The right token with one digit changed, and a prefix of it. */
  char path[256];
  char t[128];
  snprintf(t, sizeof t, "%s", s.token);
  t[10] = t[10] == 'a' ? 'b' : 'a';
  snprintf(path, sizeof path, "/api/scenario?token=%s", t);
  r = http(&s, "GET", path, NULL, NULL, 0);
  expect_error(&r, 403, "bad-token");
  reply_free(&r);
  snprintf(path, sizeof path, "/api/scenario?token=%.63s", s.token);
  r = http(&s, "GET", path, NULL, NULL, 0);
  expect_error(&r, 403, "bad-token");
  reply_free(&r);
  snprintf(path, sizeof path, "/api/scenario?token=%s", s.token);
  r = http(&s, "GET", path, NULL, NULL, 0);
  cr_assert_eq(r.status, 200);
  reply_free(&r);
  r = http(&s, "POST", "/api/evaluate", "{\"proposal\": \"US proposal\"}", NULL,
           0);
  expect_error(&r, 401, "no-token");
  reply_free(&r);
  stop(&s);
}

Test(serve, cross_origin_post_refused) {
  server s = start(NULL);
  const char *body = "{\"proposal\": \"US proposal\"}";
  const char *evil[] = {"Origin: http://evil.example", NULL};
  reply r = http(&s, "POST", "/api/evaluate", body, evil, WITH_TOKEN);
  expect_error(&r, 403, "bad-origin");
  reply_free(&r);
  const char *null_origin[] = {"Origin: null", NULL};
  r = http(&s, "POST", "/api/evaluate", body, null_origin, WITH_TOKEN);
  expect_error(&r, 403, "bad-origin");
  reply_free(&r);
  const char *site[] = {"Sec-Fetch-Site: cross-site", NULL};
  r = http(&s, "POST", "/api/evaluate", body, site, WITH_TOKEN);
  expect_error(&r, 403, "bad-origin");
  reply_free(&r);
  /* Another port of the same machine is another origin. */
  char other[128], ours[128];
  snprintf(other, sizeof other, "Origin: http://127.0.0.1:%d", s.port + 1);
  const char *other_port[] = {other, NULL};
  r = http(&s, "POST", "/api/evaluate", body, other_port, WITH_TOKEN);
  expect_error(&r, 403, "bad-origin");
  reply_free(&r);
  snprintf(ours, sizeof ours, "Origin: http://localhost:%d", s.port);
  const char *same[] = {ours, "Sec-Fetch-Site: same-origin", NULL};
  r = http(&s, "POST", "/api/evaluate", body, same, WITH_TOKEN);
  cr_assert_eq(r.status, 200, "%s", r.body);
  reply_free(&r);
  stop(&s);
}

Test(serve, bad_host_refused) {
  server s = start(NULL);
  char evil[128];
  snprintf(evil, sizeof evil, "Host: evil.example:%d", s.port);
  const char *h[] = {evil, NULL};
  reply r = http(&s, "GET", "/api/scenario", NULL, h, WITH_TOKEN);
  expect_error(&r, 403, "bad-host");
  reply_free(&r);
  r = http(&s, "GET", "/", NULL, h, 0);
  expect_error(&r, 403, "bad-host");
  reply_free(&r);
  const char *wrong_port[] = {"Host: 127.0.0.1:1", NULL};
  r = http(&s, "GET", "/api/scenario", NULL, wrong_port, WITH_TOKEN);
  expect_error(&r, 403, "bad-host");
  reply_free(&r);
  char local[128];
  snprintf(local, sizeof local, "Host: localhost:%d", s.port);
  const char *ok[] = {local, NULL};
  r = http(&s, "GET", "/api/scenario", NULL, ok, WITH_TOKEN);
  cr_assert_eq(r.status, 200);
  reply_free(&r);
  stop(&s);
}

/* ---- Files of DIR
 * ------------------------------------------------------------ */

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f, "%s", path);
  fputs(text, f);
  fclose(f);
}

/* DIR with talks.json, sub/bad.json (an error at a known place), a symbolic
 * link to a scenario outside DIR, and that outside scenario. */
static void make_dir(char *root, size_t len) {
  snprintf(root, len, "/tmp/parley-serve-XXXXXX");
  cr_assert_not_null(mkdtemp(root));
  char path[512], outside[512];
  snprintf(path, sizeof path, "%s/dir", root);
  cr_assert_eq(mkdir(path, 0700), 0);
  snprintf(path, sizeof path, "%s/dir/sub", root);
  cr_assert_eq(mkdir(path, 0700), 0);
  char *talks_json = read_text_file(PARLEY_SOURCE_DIR "/scenarios/talks.json");
  cr_assert_not_null(talks_json);
  snprintf(path, sizeof path, "%s/dir/talks.json", root);
  write_file(path, talks_json);
  snprintf(outside, sizeof outside, "%s/outside.json", root);
  write_file(outside, talks_json);
  free(talks_json);
  char *conflict =
      read_text_file(PARLEY_SOURCE_DIR "/scenarios/conflicts/talks.json");
  cr_assert_not_null(conflict);
  snprintf(path, sizeof path, "%s/dir/sub/conflict.json", root);
  write_file(path, conflict);
  free(conflict);
  snprintf(path, sizeof path, "%s/dir/sub/bad.json", root);
  write_file(path, "{\n  \"parley\": 1,\n  \"name\": \"bad\",\n  \"issues\": "
                   "[}\n");
  snprintf(path, sizeof path, "%s/dir/link.json", root);
  cr_assert_eq(symlink(outside, path), 0);
}

static void remove_dir(const char *root) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  cr_assert_eq(system(cmd), 0);
}

Test(serve, files_load_and_path_traversal) {
  char root[256], dir[300];
  make_dir(root, sizeof root);
  snprintf(dir, sizeof dir, "%s/dir", root);
  const char *args[] = {dir, NULL};
  server s = start(args);
  reply r = get(&s, "/api/files");
  cr_assert_eq(r.status, 200, "%s", r.body);
  /* Listed: sub/bad.json, talks.json (and the folder sub); not the link
   * that leads out. */
  cr_assert(strstr(r.body, "\"talks.json\""), "%s", r.body);
  cr_assert(strstr(r.body, "\"sub/bad.json\""), "%s", r.body);
  cr_assert_null(strstr(r.body, "link.json"), "%s", r.body);
  cr_assert(strstr(r.body, "\"talks\""), "built-ins listed: %s", r.body);
  reply_free(&r);
  const char *refused[] = {
      "{\"path\": \"../outside.json\"}",
      "{\"path\": \"sub/../../outside.json\"}", "{\"path\": \"/etc/passwd\"}",
      "{\"path\": \"link.json\"}", "{\"path\": \"sub/..\"}"};
  for (size_t k = 0; k < sizeof refused / sizeof *refused; k++) {
    r = post(&s, "/api/load", refused[k]);
    expect_error(&r, 403, "forbidden-path");
    reply_free(&r);
  }
  r = post(&s, "/api/stability", "{\"path\": \"../outside.json\"}");
  expect_error(&r, 403, "forbidden-path");
  reply_free(&r);
  /* A conflict of DIR is named by its path in DIR. */
  r = post(&s, "/api/stability", "{\"path\": \"sub/conflict.json\"}");
  cr_assert_eq(r.status, 200, "%.300s", r.body);
  cr_assert_str_eq(str(r.json, "stability.conflict.file"), "sub/conflict.json");
  reply_free(&r);
  r = post(&s, "/api/load", "{\"path\": \"missing.json\"}");
  expect_error(&r, 404, "not-found");
  reply_free(&r);
  /* The bad file: the same place as `parley validate` reports, with the
   * path relative to DIR. */
  r = post(&s, "/api/load", "{\"path\": \"sub/bad.json\"}");
  expect_error(&r, 422, "invalid-scenario");
  cr_assert_str_eq(str(r.json, "error.file"), "sub/bad.json", "%s", r.body);
  char where[64];
  snprintf(where, sizeof where,
           "bad.json:%d:%d:", (int)num(r.json, "error.line"),
           (int)num(r.json, "error.column"));
  cr_assert_geq(num(r.json, "error.line"), 4);
  cli_result v = cli_callf("validate %s/sub/bad.json", dir);
  cr_assert_neq(v.rc, 0);
  cr_assert(strstr(v.err, where), "validate says %s, the API %s", v.err, where);
  cli_result_free(&v);
  reply_free(&r);
  /* The open scenario did not change; loading a good file changes it. */
  r = post(&s, "/api/load", "{\"path\": \"talks.json\"}");
  cr_assert_eq(r.status, 200, "%s", r.body);
  cr_assert_str_eq(str(r.json, "source.kind"), "file");
  cr_assert_str_eq(str(r.json, "source.path"), "talks.json");
  reply_free(&r);
  r = get(&s, "/api/scenario");
  cr_assert_str_eq(str(r.json, "source.path"), "talks.json");
  reply_free(&r);
  r = post(&s, "/api/load", "{\"builtin\": \"politics\"}");
  cr_assert_eq(r.status, 200, "%s", r.body);
  cr_assert_str_eq(str(r.json, "name"), "politics");
  reply_free(&r);
  stop(&s);
  remove_dir(root);
}

/* ---- Analysis and what-if
 * ---------------------------------------------------- */

/* The zone of the talks is empty; lowering Russia's reservation value by
 * the delta* the analysis reports (docs/analysis.md) opens it. */
Test(serve, analyze_then_what_if_opens_the_zone) {
  server s = start(NULL);
  reply r = post(&s, "/api/analyze", "{}");
  cr_assert_eq(r.status, 200, "%s", r.body);
  pl_scenario *t = talks();
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  pl_status st;
  pl_analysis *a = pl_analyze(t, &o, NULL, &st);
  cr_assert_not_null(a);
  double delta;
  cr_assert(pl_analysis_concession(a, &delta, NULL));
  cr_assert_eq(pl_analysis_zone_size(a), 0);
  cr_assert_eq(json_integer_value(at(r.json, "analysis.outcomes")), 8100,
               "%.300s", r.body);
  cr_assert_eq(json_integer_value(at(r.json, "analysis.agreements")), 0);
  json_t *conc = at(r.json, "analysis.concession.delta");
  cr_assert(json_is_number(conc), "%.2000s", r.body);
  cr_assert_float_eq(json_number_value(conc), delta, 1e-12);
  reply_free(&r);
  pl_analysis_free(a);
  /* The what-if: the scenario of GET /api/scenario, Russia lowered. */
  r = get(&s, "/api/scenario");
  json_t *scenario = json_deep_copy(at(r.json, "scenario"));
  reply_free(&r);
  json_t *russia = json_array_get(json_object_get(scenario, "parties"), 2);
  cr_assert_str_eq(json_string_value(json_object_get(russia, "name")),
                   "Russia");
  double rv = json_number_value(json_object_get(russia, "reservation"));
  json_object_set_new(russia, "reservation", json_real(rv - delta - 1e-9));
  json_t *body = json_pack("{s:o}", "scenario", scenario);
  char *text = json_dumps(body, JSON_COMPACT);
  json_decref(body);
  r = post(&s, "/api/analyze", text);
  cr_assert_eq(r.status, 200, "%.500s", r.body);
  cr_assert_gt(json_integer_value(at(r.json, "analysis.agreements")), 0,
               "%.3000s", r.body);
  reply_free(&r);
  /* The same edited scenario judged by evaluate: the open scenario is not
   * changed by it. */
  r = get(&s, "/api/scenario");
  cr_assert_float_eq(num(r.json, "summary.parties.2.reservation"), 0.6, 1e-12);
  reply_free(&r);
  free(text);
  pl_scenario_free(t);
  stop(&s);
}

Test(serve, analyses_share_the_thread_budget) {
  /* --threads 3 with 2 workers: an analysis alone keeps one thread for the
   * idle worker and runs on 2 (run.threads of its document); with
   * --threads 1, one per job (docs/serve.md, "Threads"). The scenario has
   * 100,000 outcomes: the talks' 8,100 would run on one thread whatever
   * the budget (util/parallel.h, PL_MIN_THREAD_SHARE). */
  char root[256], path[300];
  snprintf(root, sizeof root, "/tmp/parley-serve-XXXXXX");
  cr_assert_not_null(mkdtemp(root));
  snprintf(path, sizeof path, "%s/g.json", root);
  cli_result g = cli_callf(
      "generate --parties 3 --issues 5 --values 10 --seed 1 --output '%s'",
      path);
  cr_assert_eq(g.rc, 0, "%s", g.err);
  cli_result_free(&g);
  const char *three[] = {path, "--workers", "2", "--threads", "3", NULL};
  const char *one[] = {path, "--workers", "2", "--threads", "1", NULL};
  const char *const *args[] = {three, one};
  int want[] = {2, 1};
  for (int k = 0; k < 2; k++) {
    server s = start(args[k]);
    reply r = post(&s, "/api/analyze", "{\"mode\": \"inline\"}");
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_expect_eq(json_integer_value(at(r.json, "analysis.run.threads")),
                 want[k], "%.300s", r.body);
    reply_free(&r);
    stop(&s);
  }
  remove_dir(root);
}

Test(serve, bad_scenario_in_request_is_422_with_place) {
  server s = start(NULL);
  /* As text: the place is in that text (line 2, after "issues": []). */
  reply r = post(&s, "/api/analyze",
                 "{\"scenario\": \"{\\n  \\\"parley\\\": 1, \\\"name\\\": "
                 "\\\"x\\\", \\\"issues\\\": [], \\\"parties\\\": []\\n}\"}");
  expect_error(&r, 422, "invalid-scenario");
  cr_assert_str_eq(str(r.json, "error.file"), "scenario", "%s", r.body);
  cr_assert_gt(json_array_size(at(r.json, "error.problems")), 0);
  reply_free(&r);
  r = post(&s, "/api/evaluate", "{\"scenario\": 5, \"values\": [0]}");
  expect_error(&r, 400, "bad-request");
  reply_free(&r);
  r = post(&s, "/api/analyze", "{\"options\": {\"plan\": \"fast\"}}");
  expect_error(&r, 400, "bad-request");
  reply_free(&r);
  r = post(&s, "/api/analyze", "{\"options\": {\"groups\": \"donbas\"}}");
  expect_error(&r, 422, "refused");
  reply_free(&r);
  stop(&s);
}

Test(serve, plots_are_svg_documents) {
  server s = start(NULL);
  reply r = post(&s, "/api/plots", "{}");
  cr_assert_eq(r.status, 200, "%.300s", r.body);
  json_t *plots = at(r.json, "plots");
  cr_assert_gt(json_array_size(plots), 1);
  size_t k;
  json_t *p;
  json_array_foreach(plots, k, p) {
    cr_assert(strlen(str(p, "name")) > 0);
    cr_assert(!strncmp(str(p, "svg"), "<svg", 4), "%.80s", str(p, "svg"));
    cr_assert(strstr(str(p, "svg"), "</svg>"));
  }
  reply_free(&r);
  stop(&s);
}

/* ---- Jobs
 * --------------------------------------------------------------------- */

static json_t *wait_job(const server *s, int id, const char *until) {
  char path[64];
  snprintf(path, sizeof path, "/api/jobs/%d", id);
  for (int k = 0; k < 1200; k++) {
    reply r = get(s, path);
    cr_assert_eq(r.status, 200, "%s", r.body);
    const char *state = str(r.json, "job.state");
    if (!strcmp(state, until) || !strcmp(state, "failed") ||
        !strcmp(state, "cancelled") || !strcmp(state, "done")) {
      json_t *j = json_incref(at(r.json, "job"));
      reply_free(&r);
      return j;
    }
    reply_free(&r);
    usleep(50000);
  }
  cr_assert_fail("job %d never reached %s", id, until);
  return NULL;
}

/* The events of a negotiation job are the library's trace of the same
 * negotiation (same options, same seed), and the result is its document. */
Test(serve, negotiate_job_reports_every_round) {
  server s = start(NULL);
  reply r = post(&s, "/api/negotiate",
                 "{\"agents\": \"boulware,conceder,micro\", \"rounds\": 30, "
                 "\"seed\": 7}");
  cr_assert_eq(r.status, 202, "%s", r.body);
  int id = (int)num(r.json, "job.id");
  cr_assert_str_eq(str(r.json, "job.kind"), "negotiate");
  reply_free(&r);
  json_t *job = wait_job(&s, id, "done");
  cr_assert_str_eq(str(job, "state"), "done");
  pl_scenario *t = talks();
  pl_negotiation_options o;
  pl_negotiation_options_init(&o);
  o.agents = "boulware,conceder,micro";
  o.rounds = 30;
  o.seed = 7;
  o.trace = true;
  pl_status st;
  pl_negotiation *n = pl_negotiate(t, &o, NULL, &st);
  cr_assert_not_null(n);
  size_t size = pl_negotiation_trace_size(n);
  cr_assert_eq(num(job, "events_total"), size);
  json_t *events = at(job, "events");
  cr_assert_eq(json_array_size(events), size);
  for (size_t k = 0; k < size; k++) {
    pl_trace_event e;
    uint32_t v[7];
    pl_negotiation_trace_event(n, k, &e, v);
    json_t *x = json_array_get(events, k);
    cr_assert_eq(json_integer_value(json_object_get(x, "round")), e.round);
    cr_assert_str_eq(json_string_value(json_object_get(x, "party")),
                     pl_party_name(t, (uint32_t)e.party));
    if (e.has_outcome)
      for (uint32_t i = 0; i < 7; i++)
        cr_assert_eq(
            json_integer_value(json_array_get(json_object_get(x, "values"), i)),
            v[i]);
  }
  cr_assert_str_eq(str(job, "result.negotiation.reason.kind"),
                   pl_end_name(pl_negotiation_end(n)));
  json_decref(job);
  /* ?since= gives the rest only. */
  char path[64];
  snprintf(path, sizeof path, "/api/jobs/%d?since=%zu", id, size - 2);
  r = get(&s, path);
  cr_assert_eq(json_array_size(at(r.json, "job.events")), 2);
  cr_assert_eq(num(r.json, "job.events_from"), size - 2);
  reply_free(&r);
  snprintf(path, sizeof path, "/api/jobs/%d?since=x", id);
  r = get(&s, path);
  expect_error(&r, 400, "bad-request");
  reply_free(&r);
  pl_negotiation_free(n);
  pl_scenario_free(t);
  r = post(&s, "/api/negotiate", "{\"agents\": \"nobody\"}");
  expect_error(&r, 422, "refused");
  reply_free(&r);
  r = post(&s, "/api/negotiate", "{\"rounds\": 1000000}");
  expect_error(&r, 400, "bad-request");
  reply_free(&r);
  stop(&s);
}

/* A negotiate request that runs for minutes: 10,000 rounds over a
 * generated space of 8^10 packages, which the agents search at every turn
 * (docs/generate.md). */
static char *long_negotiation(void) {
  pl_generate_options g = {.parties = 3, .issues = 10, .values = 8, .seed = 1};
  pl_diag *d = pl_diag_new();
  pl_scenario *sc = pl_generate(&g, d);
  cr_assert_not_null(sc);
  pl_diag_free(d);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  cr_assert_eq(pl_scenario_write_json(sc, f), PL_OK);
  fclose(f);
  pl_scenario_free(sc);
  json_t *body = json_pack("{s:s, s:s, s:i}", "scenario", text, "agents",
                           "boulware", "rounds", 10000);
  free(text);
  char *out = json_dumps(body, JSON_COMPACT);
  json_decref(body);
  return out;
}

/* With one worker, a long negotiation runs and a second one waits in the
 * queue: cancelling the queued one means it never starts; cancelling the
 * running one stops it before its deadline, keeping the rounds so far. */
Test(serve, cancel_jobs) {
  const char *args[] = {"--workers", "1", NULL};
  server s = start(args);
  char *body = long_negotiation();
  reply r = post(&s, "/api/negotiate", body);
  cr_assert_eq(r.status, 202, "%s", r.body);
  int first = (int)num(r.json, "job.id");
  reply_free(&r);
  r = post(&s, "/api/negotiate", body);
  int second = (int)num(r.json, "job.id");
  reply_free(&r);
  char path[64];
  snprintf(path, sizeof path, "/api/jobs/%d/cancel", second);
  r = post(&s, path, "");
  cr_assert_eq(r.status, 200, "%s", r.body);
  cr_assert_str_eq(str(r.json, "job.state"), "cancelled");
  cr_assert_eq(num(r.json, "job.events_total"), 0, "never started");
  reply_free(&r);
  snprintf(path, sizeof path, "/api/jobs/%d/cancel", first);
  r = post(&s, path, "{}");
  cr_assert_str_eq(str(r.json, "job.state"), "cancelled", "%.300s", r.body);
  reply_free(&r);
  usleep(300000);
  snprintf(path, sizeof path, "/api/jobs/%d", first);
  r = get(&s, path);
  cr_assert_str_eq(str(r.json, "job.state"), "cancelled");
  cr_assert_lt(num(r.json, "job.events_total"), 30000, "stopped early");
  cr_assert(json_is_null(at(r.json, "job.result")));
  reply_free(&r);
  /* The worker is free again. */
  r = post(&s, "/api/analyze", "{\"mode\": \"inline\"}");
  cr_assert_eq(r.status, 200);
  reply_free(&r);
  free(body);
  stop(&s);
}

Test(serve, sigterm_with_work_in_flight_exits_0) {
  server s = start(NULL);
  char *body = long_negotiation();
  reply r = post(&s, "/api/negotiate", body);
  cr_assert_eq(r.status, 202);
  reply_free(&r);
  free(body);
  r = post(&s, "/api/play", "{\"party\": \"Ukraine\"}");
  cr_assert_eq(r.status, 201, "%s", r.body);
  reply_free(&r);
  stop(&s); /* asserts exit code 0 */
}

/* ---- Play
 * ---------------------------------------------------------------------- */

static char *move(int id, const char *json, const server *s, reply *r) {
  char path[64];
  snprintf(path, sizeof path, "/api/play/%d/move", id);
  *r = post(s, path, json);
  return r->body;
}

/* The talks with Russia's reservation value lowered from 0.60 to 0.45,
 * which opens the zone (delta* = 0.07, docs/default-scenario.md section
 * 8), as the "scenario" field of a request. */
static json_t *open_talks(const server *s) {
  reply r = get(s, "/api/scenario");
  json_t *scenario = json_deep_copy(at(r.json, "scenario"));
  reply_free(&r);
  json_t *russia = json_array_get(json_object_get(scenario, "parties"), 2);
  json_object_set_new(russia, "reservation", json_real(0.45));
  return scenario;
}

/* A full game as Ukraine against conceders: the player accepts what it can
 * sign at or above its reservation value (0.5), and otherwise offers the
 * package of the minimal concession (docs/default-scenario.md section 8:
 * demilitarised zone, no withdrawals, coalition with US backstop,
 * observers, the plant under Russian control, phased relief: 0.81, 0.508,
 * 0.53), which every party accepts once Russia's reservation is 0.45. The
 * conceders concede, so the game ends in an agreement in the zone. */
Test(serve, play_a_full_game_to_an_agreement) {
  server s = start(NULL);
  json_t *scenario = open_talks(&s);
  json_t *start_body =
      json_pack("{s:O, s:s, s:s, s:i, s:i}", "scenario", scenario, "party",
                "Ukraine", "agents", "conceder", "rounds", 40, "seed", 3);
  char *text = json_dumps(start_body, JSON_COMPACT);
  json_decref(start_body);
  reply r = post(&s, "/api/play", text);
  free(text);
  cr_assert_eq(r.status, 201, "%s", r.body);
  int id = (int)num(r.json, "id");
  cr_assert_str_eq(str(r.json, "agents.1"), "human");
  json_t *state = json_incref(r.json);
  reply_free(&r);
  int moves = 0;
  while (strcmp(json_string_value(json_object_get(state, "state")), "ended")) {
    cr_assert_lt(moves++, 200);
    const char *st = json_string_value(json_object_get(state, "state"));
    if (!strcmp(st, "waiting")) {
      char path[64];
      snprintf(path, sizeof path, "/api/play/%d", id);
      r = get(&s, path);
    } else {
      json_t *table = json_object_get(state, "table");
      bool take =
          json_is_object(table) &&
          json_is_true(json_object_get(table, "can_sign")) &&
          json_number_value(json_object_get(table, "utility")) >= 0.5 - 1e-9;
      if (take)
        move(id, "{\"action\": \"accept\"}", &s, &r);
      else
        move(id, "{\"action\": \"offer\", \"values\": [1, 0, 0, 2, 1, 0, 1]}",
             &s, &r);
    }
    cr_assert_eq(r.status, 200, "%s", r.body);
    json_decref(state);
    state = json_incref(r.json);
    reply_free(&r);
  }
  json_t *neg = at(state, "result.negotiation");
  cr_assert_not_null(neg, "%s", json_dumps(state, 0));
  cr_assert_str_eq(str(neg, "reason.kind"), "agreement");
  /* The agreement is in the zone of the scenario played. */
  json_t *agr = at(neg, "agreement.outcome");
  cr_assert(json_is_object(agr));
  json_t *eval = json_pack("{s:O, s:O}", "scenario", scenario, "package", agr);
  text = json_dumps(eval, JSON_COMPACT);
  json_decref(eval);
  reply ev = post(&s, "/api/evaluate", text);
  free(text);
  cr_assert_eq(ev.status, 200, "%s", ev.body);
  cr_assert(json_is_true(at(ev.json, "in_zone")), "%s", ev.body);
  reply_free(&ev);
  /* A move after the end is refused. */
  move(id, "{\"action\": \"end\"}", &s, &r);
  expect_error(&r, 409, "conflict");
  reply_free(&r);
  json_decref(state);
  json_decref(scenario);
  stop(&s);
}

Test(serve, play_refuses_illegal_moves) {
  server s = start(NULL);
  reply r = post(&s, "/api/play", "{\"party\": \"United States\"}");
  cr_assert_eq(r.status, 201, "%s", r.body);
  int id = (int)num(r.json, "id");
  cr_assert_str_eq(str(r.json, "state"), "your-turn");
  cr_assert(json_is_null(at(r.json, "table")), "the US moves first");
  reply_free(&r);
  /* Nothing to accept yet. */
  move(id, "{\"action\": \"accept\"}", &s, &r);
  expect_error(&r, 422, "illegal-move");
  reply_free(&r);
  /* Ukraine withdraws 40 km, Russia 0: breaks "reciprocity". */
  move(id, "{\"action\": \"offer\", \"values\": [0, 4, 0, 0, 1, 0, 0]}", &s,
       &r);
  expect_error(&r, 422, "illegal-move");
  cr_assert(strstr(str(r.json, "error.message"), "reciprocity"), "%s", r.body);
  reply_free(&r);
  move(id, "{\"action\": \"dance\"}", &s, &r);
  expect_error(&r, 400, "bad-request");
  reply_free(&r);
  /* The game goes on: a legal offer is played. */
  move(id, "{\"action\": \"offer\", \"proposal\": \"US proposal\"}", &s, &r);
  cr_assert_eq(r.status, 200, "%s", r.body);
  cr_assert_str_eq(str(r.json, "events.0.action"), "offer");
  cr_assert_str_eq(str(r.json, "events.0.party"), "United States");
  reply_free(&r);
  move(id, "{\"action\": \"end\"}", &s, &r);
  cr_assert_eq(r.status, 200, "%s", r.body);
  cr_assert_str_eq(str(r.json, "state"), "ended");
  cr_assert_str_eq(str(r.json, "result.negotiation.reason.kind"), "walk-out");
  reply_free(&r);
  /* A comma list gives one agent per party; a bad agent is refused at
   * once. */
  r = post(&s, "/api/play",
           "{\"party\": \"Ukraine\", \"agents\": "
           "\"random,boulware:e=0.5,random\"}");
  cr_assert_eq(r.status, 201, "%s", r.body);
  cr_assert_str_eq(str(r.json, "agents.0"), "random");
  cr_assert_str_eq(str(r.json, "agents.1"), "human");
  cr_assert_str_eq(str(r.json, "agents.2"), "random");
  reply_free(&r);
  r = post(&s, "/api/play",
           "{\"party\": \"Ukraine\", \"agents\": [\"micro\", null, "
           "\"conceder:e=2,k=0.1\"]}");
  cr_assert_eq(r.status, 400, "one agent per array entry: %s", r.body);
  reply_free(&r);
  r = post(&s, "/api/play",
           "{\"party\": \"Ukraine\", \"agents\": [\"micro\", null, "
           "\"conceder:e=2\"]}");
  cr_assert_eq(r.status, 201, "%s", r.body);
  cr_assert_str_eq(str(r.json, "agents.2"), "conceder:e=2");
  reply_free(&r);
  r = post(&s, "/api/play",
           "{\"party\": \"Ukraine\", \"agents\": "
           "\"nobody\"}");
  expect_error(&r, 422, "refused");
  cr_assert(strstr(str(r.json, "error.message"), "nobody"), "%s", r.body);
  reply_free(&r);
  r = post(&s, "/api/play",
           "{\"party\": \"Ukraine\", \"agents\": "
           "\"random,random\"}");
  expect_error(&r, 400, "bad-request");
  reply_free(&r);
  r = post(&s, "/api/play", "{\"party\": \"Mars\"}");
  expect_error(&r, 400, "bad-request");
  reply_free(&r);
  r = get(&s, "/api/play/77");
  expect_error(&r, 404, "not-found");
  reply_free(&r);
  stop(&s);
}

/* ---- Stability
 * ----------------------------------------------------------------- */

Test(serve, stability_of_the_builtin_conflict) {
  server s = start(NULL);
  reply r = post(&s, "/api/stability",
                 "{\"options\": {\"concepts\": "
                 "[\"nash\", \"seq\"]}}");
  cr_assert_eq(r.status, 200, "%.300s", r.body);
  pl_diag *d = pl_diag_new();
  pl_conflict *c = pl_conflict_builtin(d);
  pl_stability_options o;
  pl_stability_options_init(&o);
  o.concepts = 1u << PL_CONCEPT_NASH | 1u << PL_CONCEPT_SEQ;
  pl_status st;
  pl_stability *a = pl_stability_analyze(c, &o, d, &st);
  cr_assert_not_null(a);
  size_t need = pl_stability_json(a, NULL, 0);
  char *doc = malloc(need + 1);
  pl_stability_json(a, doc, need + 1);
  json_t *want = json_loads(doc, 0, NULL);
  json_t *got = at(r.json, "stability");
  cr_assert_not_null(got);
  /* Everything but the run's threads and wall time. */
  json_object_del(want, "run");
  json_object_del(got, "run");
  cr_assert(json_equal(want, got),
            "the API's document differs from the library's");
  cr_assert_eq(json_array_size(at(got, "concepts")), 2);
  json_decref(want);
  free(doc);
  pl_stability_free(a);
  pl_conflict_free(c);
  pl_diag_free(d);
  reply_free(&r);
  r = post(&s, "/api/stability", "{\"conflict\": \"{\\\"conflict\\\": 1}\"}");
  expect_error(&r, 422, "invalid-conflict");
  reply_free(&r);
  r = post(&s, "/api/stability", "{\"options\": {\"concepts\": [\"xyz\"]}}");
  expect_error(&r, 400, "bad-request");
  reply_free(&r);
  stop(&s);
}

Test(serve, agents_listed) {
  server s = start(NULL);
  reply r = get(&s, "/api/agents");
  cr_assert_eq(r.status, 200, "%s", r.body);
  json_t *list = at(r.json, "agents");
  /* This process has the built-in agents; the server has them and the
   * player's seat "human", which is not listed. */
  cr_assert_eq(json_array_size(list), pl_agent_count(), "%s", r.body);
  cr_assert_null(strstr(r.body, "\"human\""));
  cr_assert_str_eq(str(list, "0.name"), pl_agent_at(0)->name);
  size_t k;
  json_t *a;
  bool boulware = false;
  json_array_foreach(list, k, a) {
    if (!strcmp(str(a, "name"), "boulware")) {
      boulware = true;
      cr_assert_str_eq(str(a, "params.0.name"), "e");
    }
  }
  cr_assert(boulware);
  reply_free(&r);
  stop(&s);
}

/* ---- The command line
 * ---------------------------------------------------------- */

Test(serve, bad_options_and_files) {
  cli_result r = cli_callf("serve --port 70000");
  cr_assert_eq(r.rc, 2);
  cr_assert(strstr(r.err, "--port"), "%s", r.err);
  cli_result_free(&r);
  r = cli_callf("serve --workers 0");
  cr_assert_eq(r.rc, 2);
  cli_result_free(&r);
  r = cli_callf("serve --threads 0 --port 0");
  cr_assert_eq(r.rc, 2);
  cr_assert(strstr(r.err, "--threads takes 1 to 1024"), "%s", r.err);
  cli_result_free(&r);
  r = cli_callf("serve %s/tests/data/nonexistent.json --port 0",
                PARLEY_SOURCE_DIR);
  cr_assert_eq(r.rc, 2, "%s", r.err);
  cr_assert(strstr(r.err, "nonexistent.json"), "%s", r.err);
  cli_result_free(&r);
  r = cli_callf("serve --host 999.1.1.1 --port 0");
  cr_assert_neq(r.rc, 0);
  cr_assert(strstr(r.err, "999.1.1.1"), "%s", r.err);
  cli_result_free(&r);
}
