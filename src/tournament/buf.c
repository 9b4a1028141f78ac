/* buf.c - the growable text buffer rows and reports are written into. */
#include "tournament/tournament.h"
#include "util/fmt.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void pl_buf_free(pl_buf *b) {
  free(b->p);
  *b = (pl_buf){0};
}

static bool reserve(pl_buf *b, size_t more) {
  if (b->failed)
    return false;
  if (b->len + more + 1 <= b->cap)
    return true;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + more + 1)
    cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) {
    b->failed = true;
    return false;
  }
  b->p = p;
  b->cap = cap;
  return true;
}

void pl_buf_put(pl_buf *b, const char *s, size_t n) {
  if (!reserve(b, n))
    return;
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}

void pl_buf_puts(pl_buf *b, const char *s) { pl_buf_put(b, s, strlen(s)); }

void pl_buf_printf(pl_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || !reserve(b, (size_t)n))
    return;
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void pl_buf_json_string(pl_buf *b, const char *s) {
  pl_buf_put(b, "\"", 1);
  for (const unsigned char *c = (const unsigned char *)s; c && *c; c++) {
    if (*c == '"' || *c == '\\') {
      char esc[2] = {'\\', (char)*c};
      pl_buf_put(b, esc, 2);
    } else if (*c < 0x20) {
      pl_buf_printf(b, "\\u%04x", *c);
    } else {
      pl_buf_put(b, (const char *)c, 1); /* UTF-8 passes through */
    }
  }
  pl_buf_put(b, "\"", 1);
}

void pl_buf_json_number(pl_buf *b, double x) {
  if (!isfinite(x)) {
    pl_buf_puts(b, "null");
    return;
  }
  /* The shortest text that reads back exactly (0.25, not
   * 0.25000000000000000); computed numbers are rounded by the caller. */
  char text[48];
  pl_fmt_number(text, sizeof text, x);
  pl_buf_puts(b, text);
}
