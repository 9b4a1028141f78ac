/* reply.c - JSON responses and errors, and reading request bodies. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double sv_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Fifteen significant digits: 0.64 stays 0.64 (a utility summed from
 * weights may be 0.6400000000000001, which means the same). */
#define SV_DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

static void reply_oom(sv_response *res) {
  static const char oom[] =
      "{\"error\":{\"status\":503,\"code\":\"busy\",\"message\":\"out of "
      "memory\"}}";
  res->status = 503;
  res->type = "application/json; charset=utf-8";
  res->body = (char *)oom;
  res->len = sizeof oom - 1;
  res->body_static = true;
}

void sv_reply_json(sv_response *res, int status, json_t *body) {
  char *text = body ? json_dumps(body, SV_DUMP_FLAGS) : NULL;
  json_decref(body);
  if (!text) {
    reply_oom(res);
    return;
  }
  res->status = status;
  res->type = "application/json; charset=utf-8";
  res->body = text;
  res->len = strlen(text);
  res->body_static = false;
}

void sv_reply_text(sv_response *res, int status, const char *json) {
  char *text = strdup(json);
  if (!text) {
    reply_oom(res);
    return;
  }
  res->status = status;
  res->type = "application/json; charset=utf-8";
  res->body = text;
  res->len = strlen(text);
  res->body_static = false;
}

static json_t *problem_json(const char *file, int line, int column,
                            const char *message) {
  json_t *p = json_object();
  if (file)
    json_object_set_new(p, "file", json_string(file));
  if (line > 0) {
    json_object_set_new(p, "line", json_integer(line));
    json_object_set_new(p, "column", json_integer(column));
  }
  json_object_set_new(p, "message", json_string(message ? message : ""));
  return p;
}

/* {"status", "code", "message", place of the first problem, "problems"} */
static json_t *error_body(int status, const char *code, json_t *problems) {
  json_t *e = json_object();
  json_object_set_new(e, "status", json_integer(status));
  json_object_set_new(e, "code", json_string(code));
  json_t *first = json_array_get(problems, 0);
  const char *keys[] = {"message", "file", "line", "column"};
  for (size_t k = 0; first && k < 4; k++) {
    json_t *v = json_object_get(first, keys[k]);
    if (v)
      json_object_set(e, keys[k], v);
  }
  if (!first)
    json_object_set_new(e, "message", json_string(code));
  json_object_set_new(e, "problems", problems);
  return e;
}

void sv_reply_error(sv_response *res, int status, const char *code,
                    const char *file, int line, int column, const char *fmt,
                    ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  json_t *problems = json_array();
  json_array_append_new(problems, problem_json(file, line, column, msg));
  json_t *body = json_object();
  json_object_set_new(body, "error", error_body(status, code, problems));
  sv_reply_json(res, status, body);
}

json_t *sv_error_object(int status, const char *code, const pl_diag *d) {
  json_t *problems = json_array();
  for (size_t i = 0; d && i < pl_diag_count(d); i++) {
    pl_problem p = pl_diag_get(d, i);
    json_array_append_new(problems,
                          problem_json(p.file, p.line, p.column, p.message));
  }
  return error_body(status, code, problems);
}

void sv_reply_problems(sv_response *res, int status, const char *code,
                       const pl_diag *d) {
  json_t *body = json_object();
  json_object_set_new(body, "error", sv_error_object(status, code, d));
  sv_reply_json(res, status, body);
}

void sv_response_free(sv_response *res) {
  if (!res->body_static)
    free(res->body);
  res->body = NULL;
}

/* ---- A growing string ----------------------------------------------------
 */

void sv_buf_add(sv_buf *b, const char *s, size_t n) {
  if (b->failed)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->failed = true;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}

void sv_buf_puts(sv_buf *b, const char *s) { sv_buf_add(b, s, strlen(s)); }

void sv_buf_json(sv_buf *b, const json_t *v) {
  char *text = json_dumps(v, SV_DUMP_FLAGS | JSON_ENCODE_ANY);
  if (!text) {
    b->failed = true;
    return;
  }
  sv_buf_puts(b, text);
  free(text);
}

void sv_buf_doc(sv_buf *b, sv_doc_fn fill, const void *obj) {
  size_t need = fill(obj, NULL, 0);
  char *text = need ? malloc(need + 1) : NULL;
  if (!text || fill(obj, text, need + 1) != need) {
    free(text);
    b->failed = true;
    return;
  }
  /* The documents end with a newline: drop it inside a larger one. */
  while (need && (text[need - 1] == '\n' || text[need - 1] == ' '))
    need--;
  sv_buf_add(b, text, need);
  free(text);
}

char *sv_doc_object(const char *key, sv_doc_fn fill, const void *obj) {
  sv_buf b = {0};
  sv_buf_puts(&b, "{\"");
  sv_buf_puts(&b, key);
  sv_buf_puts(&b, "\":");
  sv_buf_doc(&b, fill, obj);
  sv_buf_puts(&b, "}");
  if (b.failed) {
    free(b.p);
    return NULL;
  }
  return b.p;
}

size_t sv_negotiation_doc(const void *n, char *buf, size_t len) {
  return pl_negotiation_json(n, buf, len);
}

/* ---- Request bodies ------------------------------------------------------
 */

json_t *sv_parse_body(const sv_request *req, sv_response *res) {
  size_t n = req->body_len;
  const char *p = req->body;
  while (n && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++, n--;
  if (!n)
    return json_object();
  json_error_t err;
  json_t *v =
      json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
  if (!v) {
    sv_reply_error(res, 400, "bad-json", "request", err.line, err.column,
                   "invalid JSON: %s", err.text);
    return NULL;
  }
  if (!json_is_object(v)) {
    json_decref(v);
    sv_reply_error(res, 400, "bad-request", "request", 1, 1,
                   "the body must be a JSON object");
    return NULL;
  }
  return v;
}

bool sv_check_fields(const json_t *obj, const char *const *known,
                     const char *what, sv_response *res) {
  const char *key;
  json_t *v;
  size_t n = 0;
  while (known[n])
    n++;
  json_object_foreach((json_t *)obj, key, v) {
    bool found = false;
    for (size_t k = 0; k < n && !found; k++)
      found = !strcmp(key, known[k]);
    if (found)
      continue;
    const char *near = pl_suggest_name(key, known, n);
    if (near)
      sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                     "unknown field '%s' in %s (did you mean '%s'?)", key, what,
                     near);
    else
      sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                     "unknown field '%s' in %s", key, what);
    return false;
  }
  return true;
}

static bool wrong_type(const char *key, const char *type, sv_response *res) {
  sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                 "field '%s' must be %s", key, type);
  return false;
}

bool sv_get_string(const json_t *obj, const char *key, const char **out,
                   sv_response *res) {
  json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v))
    return true;
  if (!json_is_string(v))
    return wrong_type(key, "a string", res);
  *out = json_string_value(v);
  return true;
}

bool sv_get_bool(const json_t *obj, const char *key, bool *out,
                 sv_response *res) {
  json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v))
    return true;
  if (!json_is_boolean(v))
    return wrong_type(key, "true or false", res);
  *out = json_is_true(v);
  return true;
}

bool sv_get_uint(const json_t *obj, const char *key, uint64_t max,
                 uint64_t *out, sv_response *res) {
  json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v))
    return true;
  if (!json_is_integer(v) || json_integer_value(v) < 0 ||
      (uint64_t)json_integer_value(v) > max) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "field '%s' must be an integer from 0 to %llu", key,
                   (unsigned long long)max);
    return false;
  }
  *out = (uint64_t)json_integer_value(v);
  return true;
}

bool sv_get_number(const json_t *obj, const char *key, double *out,
                   sv_response *res) {
  json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v))
    return true;
  if (!json_is_number(v))
    return wrong_type(key, "a number", res);
  *out = json_number_value(v);
  return true;
}
