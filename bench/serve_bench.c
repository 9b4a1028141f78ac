/* serve_bench.c - the load test of `parley serve` (bench/serve.sh): a fixed
 * number of requests from a few concurrent clients over loopback, each
 * client one keep-alive libcurl connection, and the latency of each
 * request from sending to the last byte of the answer. Prints one table
 * row per measure; any answer that is not the expected status counts as an
 * error (and the script fails).
 *
 *   bench-serve BASE TOKEN CLIENTS REQUESTS
 *
 * Measures: POST /api/evaluate of the talks' US proposal (target p99 < 2
 * ms); the what-if, POST /api/analyze with the talks edited (Russia's
 * reservation value changed at every request, so each one is compiled
 * and analysed anew: target < 50 ms end to end); GET / (the page); and,
 * as the baseline, the same evaluation in-process through the library,
 * without HTTP. */
#define _POSIX_C_SOURCE 200809L
#include "parley.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct job {
  const char *base, *token, *path;
  const char *method;
  char **bodies; /* one per request, or one for all */
  size_t nbodies;
  long expect;
  size_t requests;
  double *lat; /* seconds, one per request */
  size_t errors;
} job;

static size_t discard(char *p, size_t size, size_t n, void *ctx) {
  (void)p, (void)ctx;
  return size * n;
}

static void *client(void *arg) {
  job *j = arg;
  CURL *c = curl_easy_init();
  char url[512], tok[200];
  snprintf(url, sizeof url, "%s%s", j->base, j->path);
  snprintf(tok, sizeof tok, "X-Parley-Token: %s", j->token);
  struct curl_slist *h = curl_slist_append(NULL, tok);
  h = curl_slist_append(h, "Content-Type: application/json");
  h = curl_slist_append(h, "Expect:");
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  for (size_t k = 0; k < j->requests; k++) {
    if (!strcmp(j->method, "POST"))
      curl_easy_setopt(c, CURLOPT_POSTFIELDS,
                       j->bodies[j->nbodies > 1 ? k % j->nbodies : 0]);
    else
      curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    double t0 = now();
    CURLcode rc = curl_easy_perform(c);
    j->lat[k] = now() - t0;
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status != j->expect)
      j->errors++;
  }
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  return NULL;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void row(const char *name, double *lat, size_t n, size_t clients,
                size_t errors, const char *target) {
  qsort(lat, n, sizeof *lat, by_value);
  double p50 = lat[n / 2], p99 = lat[(size_t)((double)n * 0.99)],
         max = lat[n - 1];
  printf("| %-44s | %6zu | %2zu | %8.4f | %8.4f | %8.3f | %5zu | %s |\n", name,
         n, clients, p50 * 1e3, p99 * 1e3, max * 1e3, errors, target);
}

/* CLIENTS threads, REQUESTS in all. */
static size_t run(const char *name, const char *base, const char *token,
                  const char *method, const char *path, char **bodies,
                  size_t nbodies, long expect, size_t clients, size_t requests,
                  const char *target) {
  job jobs[16];
  pthread_t threads[16];
  double *lat = malloc(requests * sizeof *lat);
  size_t per = requests / clients, errors = 0;
  for (size_t k = 0; k < clients; k++) {
    jobs[k] = (job){.base = base,
                    .token = token,
                    .path = path,
                    .method = method,
                    .bodies = bodies,
                    .nbodies = nbodies,
                    .expect = expect,
                    .requests = per,
                    .lat = lat + k * per};
    pthread_create(&threads[k], NULL, client, &jobs[k]);
  }
  for (size_t k = 0; k < clients; k++) {
    pthread_join(threads[k], NULL);
    errors += jobs[k].errors;
  }
  row(name, lat, per * clients, clients, errors, target);
  free(lat);
  return errors;
}

/* The talks' JSON with Russia's reservation value set to `rv`. */
static char *edited_talks(double rv) {
  pl_scenario *s = pl_scenario_builtin("talks", NULL);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  pl_scenario_write_json(s, f);
  fclose(f);
  pl_scenario_free(s);
  /* Russia is the third party: its "reservation" is the third one. */
  const char *key = "\"reservation\": ";
  char *at = text;
  for (int k = 0; k < 3 && at; k++)
    at = strstr(k ? at + 1 : at, key);
  if (!at) {
    fprintf(stderr, "bench-serve: Russia's reservation not found\n");
    exit(2);
  }
  char *body = malloc(len + 256);
  const char *rest = at + strlen(key);
  rest += strspn(rest, "0123456789.eE+-");
  sprintf(body, "{\"scenario\": %.*s%s%.9f%s}", (int)(at - text), text, key, rv,
          rest);
  free(text);
  return body;
}

/* Baseline: the evaluation the API performs, in-process. */
static void baseline(size_t n) {
  pl_scenario *s = pl_scenario_builtin("talks", NULL);
  uint32_t v[7];
  pl_proposal_values(s, 0, v);
  double *lat = malloc(n * sizeof *lat);
  volatile double sink = 0;
  for (size_t k = 0; k < n; k++) {
    double t0 = now();
    for (uint32_t p = 0; p < 3; p++)
      sink += pl_party_utility(s, p, v) + pl_party_accepts(s, p, v);
    for (uint32_t r = 0; r < 2; r++)
      sink += pl_ratifier_approves(s, r, v);
    sink += pl_outcome_in_zone(s, v);
    lat[k] = now() - t0;
  }
  row("baseline: the same evaluation in-process", lat, n, 1, sink < 0, "-");
  free(lat);
  pl_scenario_free(s);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: bench-serve BASE TOKEN CLIENTS REQUESTS\n");
    return 2;
  }
  const char *base = argv[1], *token = argv[2];
  size_t clients = (size_t)atoi(argv[3]), requests = (size_t)atoi(argv[4]);
  if (clients < 1 || clients > 16 || requests < clients) {
    fprintf(stderr, "bench-serve: 1 to 16 clients, requests >= clients\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  printf("| measure | requests | clients | p50 ms | p99 ms | max ms | errors "
         "| target |\n|---|---|---|---|---|---|---|---|\n");
  size_t errors = 0;
  char *us = "{\"proposal\": \"US proposal\"}";
  errors += run("POST /api/evaluate (talks, US proposal)", base, token, "POST",
                "/api/evaluate", &us, 1, 200, clients, requests, "p99 < 2 ms");
  errors += run("POST /api/evaluate, one client", base, token, "POST",
                "/api/evaluate", &us, 1, 200, 1, requests / 4, "p99 < 2 ms");
  size_t nwhat = requests / 20 > 50 ? requests / 20 : 50;
  char **edits = malloc(nwhat * sizeof *edits);
  for (size_t k = 0; k < nwhat; k++)
    edits[k] = edited_talks(0.53 + 1e-6 * (double)k);
  errors += run("what-if: POST /api/analyze, edited scenario", base, token,
                "POST", "/api/analyze", edits, nwhat, 200, 1, nwhat, "< 50 ms");
  for (size_t k = 0; k < nwhat; k++)
    free(edits[k]);
  free(edits);
  errors += run("GET / (the page)", base, token, "GET", "/", NULL, 0, 200, 1,
                200, "< 300 ms");
  baseline(requests);
  curl_global_cleanup();
  return errors ? 1 : 0;
}
