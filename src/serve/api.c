/* api.c - answering a request: the security checks every request passes
 * (Host, token, Origin), the routes, and the endpoints that need no worker
 * (scenario, files, load, evaluate). docs/serve.md is the contract. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- Security -------------------------------------------------------------
 */

/* Host (or the host part of an Origin after "http://") names this server:
 * a loopback name or the --host address, with our port. */
static bool our_host(const sv_server *sv, const char *h) {
  char want[320];
  const char *names[] = {"127.0.0.1", "localhost", "[::1]", sv->host};
  for (size_t k = 0; k < 4; k++) {
    if (k == 3 && !strcmp(sv->host, "127.0.0.1"))
      break;
    bool v6 = k == 3 && strchr(sv->host, ':');
    snprintf(want, sizeof want, v6 ? "[%s]:%u" : "%s:%u", names[k],
             (unsigned)sv->port);
    if (!strcasecmp(h, want))
      return true;
  }
  return false;
}

/* Refuses the request (true) when a check fails. */
static bool refused(sv_server *sv, const sv_request *req, bool api,
                    sv_response *res) {
  if (!req->host || !our_host(sv, req->host)) {
    sv_reply_error(res, 403, "bad-host", NULL, 0, 0,
                   "the Host header '%s' does not name this server "
                   "(127.0.0.1:%u); DNS rebinding is refused",
                   req->host ? req->host : "", (unsigned)sv->port);
    return true;
  }
  if (!api)
    return false;
  const char *tok = req->token_header ? req->token_header : req->token_query;
  if (!tok || !*tok) {
    sv_reply_error(res, 401, "no-token", NULL, 0, 0,
                   "API calls need the token printed at start, as ?token= "
                   "or the X-Parley-Token header");
    return true;
  }
  if (!sv_token_equal(sv->token, tok)) {
    sv_reply_error(res, 403, "bad-token", NULL, 0, 0, "wrong token");
    return true;
  }
  if (strcmp(req->method, "POST"))
    return false;
  if (req->fetch_site && !strcmp(req->fetch_site, "cross-site")) {
    sv_reply_error(res, 403, "bad-origin", NULL, 0, 0,
                   "cross-site requests are refused");
    return true;
  }
  if (req->origin &&
      (strncmp(req->origin, "http://", 7) || !our_host(sv, req->origin + 7))) {
    sv_reply_error(res, 403, "bad-origin", NULL, 0, 0,
                   "requests from origin '%s' are refused", req->origin);
    return true;
  }
  if (req->content_type && req->body_len &&
      strncasecmp(req->content_type, "application/json", 16)) {
    sv_reply_error(res, 415, "bad-content-type", NULL, 0, 0,
                   "the body must be application/json, not '%s'",
                   req->content_type);
    return true;
  }
  return false;
}

/* ---- Endpoints without a worker ------------------------------------------
 */

/* The parley JSON of the model, written once. */
static const char *model_doc(sv_model *m) {
  pthread_mutex_lock(&m->mu);
  if (!m->doc) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f) {
      pl_status st = pl_scenario_write_json(m->s, f);
      fclose(f);
      if (st != PL_OK) {
        free(text);
        text = NULL;
      }
    }
    m->doc = text;
  }
  pthread_mutex_unlock(&m->mu);
  return m->doc;
}

static void reply_scenario(sv_model *m, sv_response *res) {
  const pl_scenario *s = m->s;
  const char *doc = model_doc(m);
  json_t *parsed = doc ? json_loads(doc, 0, NULL) : NULL;
  uint64_t n = 0;
  bool counted = pl_scenario_num_outcomes(s, &n);
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(pl_scenario_name(s)));
  const char *title = pl_scenario_title(s);
  json_object_set_new(o, "title", title ? json_string(title) : json_null());
  json_object_set(o, "source", m->source);
  json_object_set_new(o, "outcomes",
                      counted ? json_integer((json_int_t)n) : json_null());
  json_object_set_new(o, "summary", sv_scenario_summary(s));
  json_object_set_new(o, "scenario", parsed ? parsed : json_null());
  sv_reply_json(res, 200, o);
}

void sv_api_scenario(sv_server *sv, sv_response *res) {
  sv_model *m = sv_open_model(sv);
  if (!m) {
    sv_reply_error(res, 404, "not-found", NULL, 0, 0, "no open scenario");
    return;
  }
  reply_scenario(m, res);
  sv_model_unref(m);
}

void sv_api_files(sv_server *sv, sv_response *res) {
  json_t *builtin = json_array();
  for (size_t k = 0; k < pl_builtin_count(); k++)
    json_array_append_new(builtin, json_string(pl_builtin_name(k)));
  json_t *o = json_object();
  json_object_set_new(o, "dir",
                      sv->cfg.dir ? json_string(sv->cfg.dir) : json_null());
  json_object_set_new(o, "builtin", builtin);
  json_object_set_new(o, "files", sv_list_files(sv->dir));
  sv_reply_json(res, 200, o);
}

/* Problems of a file of DIR name it relative to DIR, as the page shows
 * it. */
static void relative_file(json_t *x, const char *dir) {
  size_t n = strlen(dir);
  const char *f = json_string_value(json_object_get(x, "file"));
  if (f && !strncmp(f, dir, n) && f[n] == '/')
    json_object_set_new(x, "file", json_string(f + n + 1));
}

static void reply_load_problems(sv_server *sv, const pl_diag *d,
                                sv_response *res) {
  json_t *err = sv_error_object(422, "invalid-scenario", d);
  size_t k;
  json_t *p;
  relative_file(err, sv->dir);
  json_array_foreach(json_object_get(err, "problems"), k, p)
      relative_file(p, sv->dir);
  json_t *body = json_object();
  json_object_set_new(body, "error", err);
  sv_reply_json(res, 422, body);
}

void sv_api_load(sv_server *sv, const json_t *body, sv_response *res) {
  static const char *const known[] = {"path", "builtin", NULL};
  const char *path = NULL, *builtin = NULL;
  if (!sv_check_fields(body, known, "the load request", res) ||
      !sv_get_string(body, "path", &path, res) ||
      !sv_get_string(body, "builtin", &builtin, res))
    return;
  if (!path == !builtin) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "give 'path' (a file of the served folder) or 'builtin'");
    return;
  }
  pl_diag *d = pl_diag_new();
  sv_model *m = NULL;
  if (builtin) {
    m = sv_model_builtin(builtin, d);
    if (!m)
      sv_reply_problems(res, 404, "not-found", d);
  } else {
    char *real = sv_resolve(sv->dir, path, res);
    if (real) {
      m = sv_model_file(real, path, d);
      if (!m)
        reply_load_problems(sv, d, res);
    }
    free(real);
  }
  pl_diag_free(d);
  if (!m)
    return;
  sv_set_open_model(sv, sv_model_ref(m));
  reply_scenario(m, res);
  sv_model_unref(m);
}

/* ---- Evaluate -------------------------------------------------------------
 */

static json_t *parties_verdicts(const pl_scenario *s, const uint32_t *v,
                                json_t *rejected) {
  json_t *a = json_array();
  for (uint32_t p = 0; p < pl_scenario_num_parties(s); p++) {
    double u = pl_party_utility(s, p, v), r = pl_party_reservation(s, p);
    json_t *rl = json_array();
    for (uint32_t k = 0; k < pl_party_num_red_lines(s, p); k++)
      json_array_append_new(rl, json_pack("{s:s, s:b}", "name",
                                          pl_red_line_name(s, p, k), "holds",
                                          pl_red_line_holds(s, p, k, v)));
    bool accepts = pl_party_accepts(s, p, v);
    if (!accepts)
      json_array_append_new(rejected, json_string(pl_party_name(s, p)));
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(pl_party_name(s, p)));
    json_object_set_new(o, "utility", json_real(u));
    json_object_set_new(o, "reservation", json_real(r));
    json_object_set_new(o, "margin", json_real(u - r));
    json_object_set_new(o, "red_lines", rl);
    json_object_set_new(o, "red_lines_respected",
                        json_boolean(pl_party_red_lines_hold(s, p, v)));
    json_object_set_new(o, "accepts", json_boolean(accepts));
    json_array_append_new(a, o);
  }
  return a;
}

static json_t *ratifiers_verdicts(const pl_scenario *s, const uint32_t *v,
                                  json_t *rejected) {
  json_t *a = json_array();
  for (uint32_t r = 0; r < pl_scenario_num_ratifiers(s); r++) {
    double u = pl_ratifier_utility(s, r, v), t = pl_ratifier_threshold(s, r);
    int32_t p = pl_ratifier_party(s, r);
    bool ok = pl_ratifier_approves(s, r, v);
    if (!ok)
      json_array_append_new(rejected, json_string(pl_ratifier_name(s, r)));
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(pl_ratifier_name(s, r)));
    json_object_set_new(o, "party",
                        p >= 0 ? json_string(pl_party_name(s, (uint32_t)p))
                               : json_null());
    json_object_set_new(o, "utility", json_real(u));
    json_object_set_new(o, "threshold", json_real(t));
    json_object_set_new(o, "margin", json_real(u - t));
    json_object_set_new(o, "approves", json_boolean(ok));
    json_array_append_new(a, o);
  }
  return a;
}

static json_t *nearest_json(sv_server *sv, sv_model *m, const uint32_t *v) {
  if (!sv_model_frontier(sv, m))
    return json_null();
  const pl_scenario *s = m->s;
  uint32_t np = pl_scenario_num_parties(s), ni = pl_scenario_num_issues(s);
  double u[64];
  for (uint32_t p = 0; p < np && p < 64; p++)
    u[p] = pl_party_utility(s, p, v);
  size_t best = 0;
  double best_d = INFINITY;
  for (size_t k = 0; k < m->nfront; k++) {
    double d = 0;
    for (uint32_t p = 0; p < np; p++) {
      double x = m->front_u[k * np + p] - u[p];
      d += x * x;
    }
    if (d < best_d) {
      best_d = d;
      best = k;
    }
  }
  json_t *fu = json_array();
  for (uint32_t p = 0; p < np; p++)
    json_array_append_new(fu, json_real(m->front_u[best * np + p]));
  json_t *o = json_object();
  json_object_set_new(o, "of",
                      json_string(m->frontier_of_zone ? "zone" : "feasible"));
  json_object_set_new(o, "package",
                      sv_package_object(s, m->front_v + best * ni));
  json_object_set_new(o, "values", sv_values_array(s, m->front_v + best * ni));
  json_object_set_new(o, "utilities", fu);
  json_object_set_new(o, "distance", json_real(sqrt(best_d)));
  return o;
}

void sv_api_evaluate(sv_server *sv, const json_t *body, sv_response *res) {
  static const char *const known[] = {"scenario", "package", "values",
                                      "proposal", NULL};
  if (!sv_check_fields(body, known, "the evaluate request", res))
    return;
  sv_model *m = sv_request_model(sv, body, res);
  if (!m)
    return;
  const pl_scenario *s = m->s;
  uint32_t v[64];
  bool given = false;
  if (!sv_read_package(s, body, v, &given, res)) {
    sv_model_unref(m);
    return;
  }
  if (!given) {
    sv_model_unref(m);
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "give the package to judge: 'package', 'values' or "
                   "'proposal'");
    return;
  }
  json_t *constraints = json_array();
  for (uint32_t c = 0; c < pl_scenario_num_constraints(s); c++)
    json_array_append_new(
        constraints, json_pack("{s:s, s:b}", "name", pl_constraint_name(s, c),
                               "holds", pl_constraint_holds(s, c, v)));
  json_t *rejected = json_array();
  json_t *o = json_object();
  json_object_set_new(o, "package", sv_package_object(s, v));
  json_object_set_new(o, "values", sv_values_array(s, v));
  json_object_set_new(o, "feasible", json_boolean(pl_outcome_feasible(s, v)));
  json_object_set_new(o, "constraints", constraints);
  json_object_set_new(o, "parties", parties_verdicts(s, v, rejected));
  json_object_set_new(o, "ratifiers", ratifiers_verdicts(s, v, rejected));
  json_object_set_new(o, "in_zone", json_boolean(pl_outcome_in_zone(s, v)));
  json_object_set_new(o, "rejected_by", rejected);
  json_object_set_new(o, "nearest_frontier", nearest_json(sv, m, v));
  sv_reply_json(res, 200, o);
  sv_model_unref(m);
}

/* ---- Routing ---------------------------------------------------------------
 */

static void method_not_allowed(sv_response *res, const char *allow) {
  sv_reply_error(res, 405, "method-not-allowed", NULL, 0, 0,
                 "use %s for this path", allow);
  res->allow = allow;
}

/* "/api/jobs/12" + "/cancel": the id and the rest; false when it is not a
 * number. */
static bool path_id(const char *p, uint64_t *id, const char **rest) {
  if (*p < '0' || *p > '9')
    return false;
  char *end;
  unsigned long long v = strtoull(p, &end, 10);
  *id = v;
  *rest = end;
  return v > 0 && (end - p) < 20;
}

static void serve_asset(const sv_request *req, sv_response *res) {
  if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
    method_not_allowed(res, "GET");
    return;
  }
  const char *name = req->path[1] ? req->path + 1 : "index.html";
  const sv_asset *a = sv_asset_find(name);
  if (!a) {
    sv_reply_error(res, 404, "not-found", NULL, 0, 0, "no page at '%s'",
                   req->path);
    return;
  }
  res->status = 200;
  res->type = sv_content_type(a->name);
  res->body = (char *)a->data;
  res->len = a->len;
  res->body_static = true;
  res->page = true;
}

typedef enum { R_GET, R_POST } route_method;

/* The endpoints taking a JSON body. */
static void post_route(sv_server *sv, const char *p, const json_t *body,
                       sv_response *res) {
  uint64_t id;
  const char *rest;
  if (!strcmp(p, "evaluate"))
    sv_api_evaluate(sv, body, res);
  else if (!strcmp(p, "analyze"))
    sv_api_analyze(sv, body, false, res);
  else if (!strcmp(p, "plots"))
    sv_api_analyze(sv, body, true, res);
  else if (!strcmp(p, "negotiate"))
    sv_api_negotiate(sv, body, res);
  else if (!strcmp(p, "stability"))
    sv_api_stability(sv, body, res);
  else if (!strcmp(p, "load"))
    sv_api_load(sv, body, res);
  else if (!strcmp(p, "play"))
    sv_api_play_start(sv, body, res);
  else if (!strncmp(p, "play/", 5) && path_id(p + 5, &id, &rest) &&
           !strcmp(rest, "/move"))
    sv_api_play_move(sv, id, body, res);
  else if (!strncmp(p, "jobs/", 5) && path_id(p + 5, &id, &rest) &&
           !strcmp(rest, "/cancel"))
    sv_api_job(sv, id, NULL, true, res);
  else
    sv_reply_error(res, 404, "not-found", NULL, 0, 0,
                   "no endpoint POST /api/%s", p);
}

/* Which method the path takes, for a 405; NULL: no such path. */
static const char *allowed(const char *p) {
  static const char *const posts[] = {
      "evaluate", "analyze", "plots", "negotiate", "stability", "load", "play"};
  uint64_t id;
  const char *rest;
  for (size_t k = 0; k < sizeof posts / sizeof *posts; k++)
    if (!strcmp(p, posts[k]))
      return "POST";
  if (!strcmp(p, "scenario") || !strcmp(p, "files"))
    return "GET";
  if ((!strncmp(p, "play/", 5) && path_id(p + 5, &id, &rest)) ||
      (!strncmp(p, "jobs/", 5) && path_id(p + 5, &id, &rest)))
    return *rest ? "POST" : "GET";
  return NULL;
}

static void api_route(sv_server *sv, const sv_request *req, sv_response *res) {
  const char *p = req->path + 5; /* after "/api/" */
  bool get = !strcmp(req->method, "GET");
  bool post = !strcmp(req->method, "POST");
  uint64_t id;
  const char *rest;
  if (get && !strcmp(p, "scenario")) {
    sv_api_scenario(sv, res);
  } else if (get && !strcmp(p, "files")) {
    sv_api_files(sv, res);
  } else if (get && !strncmp(p, "jobs/", 5) && path_id(p + 5, &id, &rest) &&
             !*rest) {
    sv_api_job(sv, id, req->since, false, res);
  } else if (get && !strncmp(p, "play/", 5) && path_id(p + 5, &id, &rest) &&
             !*rest) {
    sv_api_play_get(sv, id, res);
  } else if (post && allowed(p) && !strcmp(allowed(p), "POST")) {
    json_t *body = sv_parse_body(req, res);
    if (body)
      post_route(sv, p, body, res);
    json_decref(body);
  } else if (allowed(p)) {
    method_not_allowed(res, allowed(p));
  } else {
    sv_reply_error(res, 404, "not-found", NULL, 0, 0, "no endpoint %s %s",
                   req->method, req->path);
  }
}

void sv_handle(sv_server *sv, const sv_request *req, sv_response *res) {
  memset(res, 0, sizeof *res);
  bool api = !strncmp(req->path, "/api/", 5);
  if (refused(sv, req, api, res))
    return;
  if (api)
    api_route(sv, req, res);
  else
    serve_asset(req, res);
}
