/* http.c - libmicrohttpd in front of sv_handle: one thread per connection
 * (a request may wait for its job), bodies gathered up to SV_MAX_BODY,
 * a larger Content-Length answered 413 before the body is read, and the
 * headers every answer carries. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

typedef struct conn {
  char *body;
  size_t len, cap;
  bool too_large;
} conn;

static const char *header(struct MHD_Connection *c, const char *name) {
  return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static enum MHD_Result send_response(struct MHD_Connection *c,
                                     sv_response *res) {
  struct MHD_Response *r =
      res->body_static ? MHD_create_response_from_buffer(res->len, res->body,
                                                         MHD_RESPMEM_PERSISTENT)
                       : MHD_create_response_from_buffer(res->len, res->body,
                                                         MHD_RESPMEM_MUST_COPY);
  sv_response_free(res);
  if (!r)
    return MHD_NO;
  MHD_add_response_header(r, "Content-Type", res->type);
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Cache-Control", "no-store");
  if (res->page)
    MHD_add_response_header(
        r, "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; "
        "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'self'");
  if (res->allow)
    MHD_add_response_header(r, "Allow", res->allow);
  enum MHD_Result ok = MHD_queue_response(c, (unsigned)res->status, r);
  MHD_destroy_response(r);
  return ok;
}

static enum MHD_Result reply_too_large(struct MHD_Connection *c) {
  sv_response res;
  memset(&res, 0, sizeof res);
  sv_reply_error(&res, 413, "too-large", NULL, 0, 0,
                 "the body is larger than %u bytes (8 MiB)", SV_MAX_BODY);
  return send_response(c, &res);
}

/* Keeps a chunk of the body; past the limit only counts it. */
static void gather(conn *k, const char *data, size_t n) {
  if (k->too_large)
    return;
  if (k->len + n > SV_MAX_BODY) {
    k->too_large = true;
    free(k->body);
    k->body = NULL;
    return;
  }
  if (k->len + n + 1 > k->cap) {
    size_t cap = k->cap ? k->cap : 4096;
    while (cap < k->len + n + 1)
      cap *= 2;
    char *p = realloc(k->body, cap);
    if (!p) {
      k->too_large = true;
      return;
    }
    k->body = p;
    k->cap = cap;
  }
  memcpy(k->body + k->len, data, n);
  k->len += n;
  k->body[k->len] = 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
  (void)version;
  sv_server *sv = cls;
  conn *k = *con_cls;
  if (!k) {
    k = calloc(1, sizeof *k);
    if (!k)
      return MHD_NO;
    *con_cls = k;
    const char *cl = header(c, "Content-Length");
    if (cl) {
      char *end;
      unsigned long long n = strtoull(cl, &end, 10);
      if (end == cl || *end || n > SV_MAX_BODY)
        return reply_too_large(c);
    }
    return MHD_YES;
  }
  if (*upload_size) {
    gather(k, upload, *upload_size);
    *upload_size = 0;
    return MHD_YES;
  }
  if (k->too_large)
    return reply_too_large(c);
  sv_request req = {
      .method = method,
      .path = url,
      .host = header(c, "Host"),
      .origin = header(c, "Origin"),
      .fetch_site = header(c, "Sec-Fetch-Site"),
      .content_type = header(c, "Content-Type"),
      .token_header = header(c, "X-Parley-Token"),
      .token_query =
          MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token"),
      .since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since"),
      .body = k->body ? k->body : "",
      .body_len = k->len};
  sv_response res;
  sv_handle(sv, &req, &res);
  return send_response(c, &res);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why) {
  (void)cls, (void)c, (void)why;
  conn *k = *con_cls;
  if (k) {
    free(k->body);
    free(k);
    *con_cls = NULL;
  }
}

static void log_mhd(void *cls, const char *fmt, va_list ap) {
  (void)cls, (void)fmt, (void)ap; /* libmicrohttpd's own chatter is not shown */
}

bool sv_listen(sv_server *sv, char *err, size_t errlen) {
  struct addrinfo hints = {.ai_family = AF_UNSPEC,
                           .ai_socktype = SOCK_STREAM,
                           .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV};
  struct addrinfo *ai = NULL;
  char port[16];
  snprintf(port, sizeof port, "%u", (unsigned)sv->cfg.port);
  if (getaddrinfo(sv->host, port, &hints, &ai) || !ai) {
    snprintf(err, errlen, "--host '%s' is not a numeric IPv4 or IPv6 address",
             sv->host);
    return false;
  }
  unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
                   MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
  if (ai->ai_family == AF_INET6)
    flags |= MHD_USE_IPv6;
  struct MHD_Daemon *daemon = MHD_start_daemon(
      flags, sv->cfg.port, NULL, NULL, on_request, sv, MHD_OPTION_SOCK_ADDR,
      ai->ai_addr, MHD_OPTION_NOTIFY_COMPLETED, on_completed, sv,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)SV_MAX_CONNECTIONS,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SV_CONNECTION_TIMEOUT,
      MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL, MHD_OPTION_END);
  freeaddrinfo(ai);
  if (!daemon) {
    snprintf(err, errlen, "cannot listen on %s port %u (in use?)", sv->host,
             (unsigned)sv->cfg.port);
    return false;
  }
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
  sv->port = info && info->port ? info->port : sv->cfg.port;
  sv->daemon = daemon;
  bool v6 = strchr(sv->host, ':') != NULL;
  snprintf(sv->url, sizeof sv->url,
           v6 ? "http://[%s]:%u/?token=%s" : "http://%s:%u/?token=%s", sv->host,
           (unsigned)sv->port, sv->token);
  return true;
}

void sv_unlisten(sv_server *sv) {
  if (sv->daemon)
    MHD_stop_daemon(sv->daemon);
  sv->daemon = NULL;
}
