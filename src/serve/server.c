/* server.c - creating and stopping the server: the open scenario, DIR, the
 * token, the worker pool and the games. */
#define _DEFAULT_SOURCE
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool is_builtin(const char *name) {
  for (size_t k = 0; k < pl_builtin_count(); k++)
    if (!strcmp(pl_builtin_name(k), name))
      return true;
  return false;
}

static sv_model *first_model(const sv_config *c, pl_diag *d) {
  if (!c->scenario)
    return sv_model_builtin(pl_builtin_default(), d);
  if (is_builtin(c->scenario))
    return sv_model_builtin(c->scenario, d);
  return sv_model_file(c->scenario, c->scenario, d);
}

sv_server *sv_server_new(const sv_config *c, pl_diag *d, char *err,
                         size_t errlen) {
  err[0] = 0;
  sv_server *sv = calloc(1, sizeof *sv);
  if (!sv) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  sv->cfg = *c;
  pthread_mutex_init(&sv->mu, NULL);
  snprintf(sv->host, sizeof sv->host, "%s", c->host ? c->host : "127.0.0.1");
  sv->port = c->port;
  if (c->token)
    snprintf(sv->token, sizeof sv->token, "%s", c->token);
  else if (!sv_random_token(sv->token)) {
    snprintf(err, errlen,
             "no random source for the token (getrandom and "
             "/dev/urandom both failed)");
    sv_server_free(sv);
    return NULL;
  }
  if (c->dir) {
    struct stat st;
    sv->dir = realpath(c->dir, NULL);
    if (!sv->dir || stat(sv->dir, &st) || !S_ISDIR(st.st_mode)) {
      snprintf(err, errlen, "%s: %s", c->dir,
               sv->dir ? "not a folder" : strerror(errno));
      sv_server_free(sv);
      return NULL;
    }
  }
  sv->open = first_model(c, d);
  if (!sv->open) {
    sv_server_free(sv);
    return NULL;
  }
  sv->pool = sv_pool_new(c->workers ? c->workers : 2, c->threads);
  sv->games = sv_games_new();
  if (!sv->pool || !sv->games) {
    snprintf(err, errlen, "cannot start the worker threads");
    sv_server_free(sv);
    return NULL;
  }
  snprintf(sv->url, sizeof sv->url, "http://%s:%u/?token=%s", sv->host,
           (unsigned)sv->port, sv->token);
  return sv;
}

/* In-flight work is cancelled first, so that requests waiting for it
 * return and the connections' threads can be joined. */
void sv_server_free(sv_server *sv) {
  if (!sv)
    return;
  if (sv->pool)
    sv_pool_cancel_all(sv->pool);
  if (sv->games)
    sv_games_quit(sv->games);
  sv_unlisten(sv);
  sv_games_free(sv->games);
  sv_pool_free(sv->pool);
  sv_model_unref(sv->open);
  for (size_t k = 0; k < SV_MODEL_CACHE; k++)
    sv_model_unref(sv->cache[k]);
  free(sv->dir);
  pthread_mutex_destroy(&sv->mu);
  free(sv);
}

uint16_t sv_port(const sv_server *sv) { return sv->port; }
const char *sv_token(const sv_server *sv) { return sv->token; }
const char *sv_url(const sv_server *sv) { return sv->url; }
