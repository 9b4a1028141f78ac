/* json_write.c - see json_write.h. */
#define _POSIX_C_SOURCE 200809L
#include "util/json_write.h"
#include "util/fmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The writer's own buffer: the document goes out in blocks of JW_BUFFER
 * bytes, not in a library call per punctuation mark (issue 13, item 7:
 * fwrite and fputc were most of the talks' JSON time). */
enum { JW_BUFFER = 4096 };

typedef struct jw {
  FILE *out;
  size_t n;
  bool failed;
  char buf[JW_BUFFER];
} jw;

static int flush(jw *w) {
  if (w->n && fwrite(w->buf, 1, w->n, w->out) != w->n)
    w->failed = true;
  w->n = 0;
  return w->failed ? -1 : 0;
}

static int put(jw *w, const char *s, size_t n) {
  while (n) {
    if (w->n == JW_BUFFER && flush(w) != 0)
      return -1;
    size_t k = JW_BUFFER - w->n < n ? JW_BUFFER - w->n : n;
    memcpy(w->buf + w->n, s, k);
    w->n += k;
    s += k;
    n -= k;
  }
  return 0;
}

static int putc_(jw *w, char c) {
  if (w->n == JW_BUFFER && flush(w) != 0)
    return -1;
  w->buf[w->n++] = c;
  return 0;
}

static int puts_(jw *w, const char *s) { return put(w, s, strlen(s)); }

static int newline(jw *w, int depth) {
  static const char spaces[] = "                                ";
  if (putc_(w, '\n') != 0)
    return -1;
  for (size_t left = 2 * (size_t)depth; left;) {
    size_t k = left < sizeof spaces - 1 ? left : sizeof spaces - 1;
    if (put(w, spaces, k) != 0)
      return -1;
    left -= k;
  }
  return 0;
}

/* The escapes jansson writes by default: quote, backslash and control
 * characters; UTF-8 passes through. Runs without any go out at once. */
static int write_string(jw *w, const char *s, size_t n) {
  if (putc_(w, '"') != 0)
    return -1;
  size_t plain = 0; /* start of the run not yet written */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    const char *esc = NULL;
    char seq[8];
    switch (c) {
    case '"':
      esc = "\\\"";
      break;
    case '\\':
      esc = "\\\\";
      break;
    case '\b':
      esc = "\\b";
      break;
    case '\f':
      esc = "\\f";
      break;
    case '\n':
      esc = "\\n";
      break;
    case '\r':
      esc = "\\r";
      break;
    case '\t':
      esc = "\\t";
      break;
    default:
      snprintf(seq, sizeof seq, "\\u%04X", c);
      esc = seq;
    }
    if (put(w, s + plain, i - plain) != 0 || puts_(w, esc) != 0)
      return -1;
    plain = i + 1;
  }
  if (put(w, s + plain, n - plain) != 0)
    return -1;
  return putc_(w, '"');
}

/* The shortest text that reads back, in jansson's spelling: ".0" keeps an
 * integral real a real, and the exponent loses its '+' and leading zeros
 * (1e+20 is written 1e20, 1e-05 is written 1e-5). */
static void format_real(char text[48], double x) {
  pl_fmt_number(text, 46, x);
  char *e = strchr(text, 'e');
  if (!e && !strchr(text, '.'))
    strcat(text, ".0");
  if (e) {
    char *digits = e + 1;
    if (*digits == '-')
      digits++;
    char *first = e + 1;
    if (*first == '+')
      memmove(first, first + 1, strlen(first));
    while (digits[0] == '0' && digits[1])
      memmove(digits, digits + 1, strlen(digits));
  }
}

static bool fast_computed(char *buf, size_t *len, double x, uint64_t *r12,
                          int *exp10);
static const double POW10[17];

/* The double strtod reads fast_computed's text of x as: r 10^(e-11),
 * signed as x, by one correctly rounded division of exact operands. */
static double decimal_value(double x, uint64_t r, int e) {
  double m = (double)r / POW10[11 - e];
  return x < 0 ? -m : m;
}

/* format_real's text without printf when x is the double nearest a
 * decimal of 12 significant digits or fewer, 1e-4 <= |x| < 10^11 (every
 * computed number, pl_json_computed): fast_computed's 12 digits D = r
 * 10^(e-11) are then those of x, and r / 10^(11-e), one correctly rounded
 * division of exact operands, is the double strtod reads D as. When it is
 * x, %.15g reads back (DBL_DIG), so pl_fmt_number spells D, the way
 * fast_computed does (json_write.h). */
static size_t real_text(char text[48], double x) {
  size_t n;
  uint64_t r;
  int e;
  if (x == 0) { /* %.15g: "0" or "-0", then ".0" */
    n = signbit(x) ? 4 : 3;
    memcpy(text, &"-0.0"[4 - n], n + 1);
    return n;
  }
  if (fast_computed(text, &n, x, &r, &e) && decimal_value(x, r, e) == x)
    return n;
  format_real(text, x);
  return strlen(text);
}

static int write_real(jw *w, double x) {
  char text[48];
  if (!isfinite(x))
    return -1; /* jansson never holds one */
  return put(w, text, real_text(text, x));
}

/* "%" JSON_INTEGER_FORMAT's digits. */
static int write_integer(jw *w, json_int_t x) {
  char text[24];
  size_t n = sizeof text;
  uint64_t m = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
  do
    text[--n] = (char)('0' + m % 10);
  while (m /= 10);
  if (x < 0)
    text[--n] = '-';
  return put(w, text + n, sizeof text - n);
}

static int write_value(jw *w, const json_t *v, int depth);

static int write_array(jw *w, const json_t *a, int depth) {
  size_t n = json_array_size(a);
  if (putc_(w, '[') != 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if ((i && putc_(w, ',') != 0) || newline(w, depth + 1) != 0 ||
        write_value(w, json_array_get(a, i), depth + 1) != 0)
      return -1;
  if (n && newline(w, depth) != 0)
    return -1;
  return putc_(w, ']');
}

/* A member of the top-level object written by a callback (NULL: none). */
typedef struct member_hook {
  const char *key;
  pl_json_member_fn write;
  void *ctx;
} member_hook;

/* The callback writes to the stream itself: what is buffered goes first. */
static int write_hooked(jw *w, const member_hook *hook, int depth) {
  return flush(w) == 0 && hook->write(hook->ctx, w->out, depth) == 0 ? 0 : -1;
}

static int write_object(jw *w, const json_t *o, int depth,
                        const member_hook *hook) {
  const char *key;
  json_t *v;
  size_t i = 0;
  if (putc_(w, '{') != 0)
    return -1;
  /* jansson keeps keys in insertion order, as json_dumpf writes them. */
  json_object_foreach((json_t *)o, key, v) {
    bool hooked = hook && !strcmp(key, hook->key);
    if ((i++ && putc_(w, ',') != 0) || newline(w, depth + 1) != 0 ||
        write_string(w, key, strlen(key)) != 0 || put(w, ": ", 2) != 0 ||
        (hooked ? write_hooked(w, hook, depth + 1)
                : write_value(w, v, depth + 1)) != 0)
      return -1;
  }
  if (i && newline(w, depth) != 0)
    return -1;
  return putc_(w, '}');
}

static int write_value(jw *w, const json_t *v, int depth) {
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    return write_object(w, v, depth, NULL);
  case JSON_ARRAY:
    return write_array(w, v, depth);
  case JSON_STRING:
    return write_string(w, json_string_value(v), json_string_length(v));
  case JSON_INTEGER:
    return write_integer(w, json_integer_value(v));
  case JSON_REAL:
    return write_real(w, json_real_value(v));
  case JSON_TRUE:
    return puts_(w, "true");
  case JSON_FALSE:
    return puts_(w, "false");
  case JSON_NULL:
    return puts_(w, "null");
  }
  return -1;
}

/* Writes v at depth (with hook, when v is an object), then what is left
 * in the buffer; 0 or -1. */
static int write_doc(FILE *out, const json_t *v, int depth,
                     const member_hook *hook) {
  jw *w = malloc(sizeof *w);
  if (!w)
    return -1;
  w->out = out;
  w->n = 0;
  w->failed = false;
  int rc = hook && json_is_object(v) ? write_object(w, v, depth, hook)
                                     : write_value(w, v, depth);
  rc = flush(w) == 0 ? rc : -1;
  free(w);
  return rc;
}

int pl_json_write(const json_t *doc, FILE *out) {
  if (!doc || !out)
    return -1;
  return write_doc(out, doc, 0, NULL) == 0 && !ferror(out) ? 0 : -1;
}

int pl_json_write_at(const json_t *v, FILE *out, int depth) {
  return v && out && write_doc(out, v, depth, NULL) == 0 ? 0 : -1;
}

int pl_json_write_hooked(const json_t *doc, FILE *out, const char *key,
                         pl_json_member_fn write, void *ctx) {
  if (!doc || !out)
    return -1;
  member_hook hook = {key, write, ctx};
  int rc = write_doc(out, doc, 0, key && write ? &hook : NULL);
  return rc == 0 && !ferror(out) ? 0 : -1;
}

char *pl_json_write_string(const json_t *doc) {
  char *mem = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&mem, &n);
  if (!f)
    return NULL;
  int rc = pl_json_write(doc, f);
  if (fclose(f) != 0 || rc != 0) {
    free(mem);
    return NULL;
  }
  return mem;
}

/* pl_round_computed(x) without printf and strtod where fast_computed
 * finds the 12 digits %.12g would: decimal_value is the double strtod
 * gives them. */
static double round_computed(double x) {
  char text[PL_JSON_NUMBER_MAX];
  size_t n;
  uint64_t r;
  int e;
  if (x == 0)
    return 0; /* %.12g writes "0" for -0 too (pl_fmt_computed) */
  return fast_computed(text, &n, x, &r, &e) ? decimal_value(x, r, e)
                                            : pl_round_computed(x);
}

json_t *pl_json_computed(double x) {
  return isfinite(x) ? json_real(round_computed(x)) : json_null();
}

/* Exact powers of ten (every one up to 10^22 is a double). */
static const double POW10[17] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                 1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16};

/* The text of pl_json_computed(x) without printf for the usual numbers,
 * 1e-4 <= |x| < 10^12 (decimal, not exponent, notation in both %.12g and
 * the %.15g that pl_fmt_number then finds: the same digits, see
 * json_write.h). m = |x| 10^(11-e) is one rounded multiplication, off the
 * exact product by at most 2^-14 (m < 2^40); unless m lies within 10^-3
 * of a rounding midpoint, rounding it to an integer gives the 12 digits
 * printf's exact conversion gives. Otherwise false: the caller falls back
 * to printf. */
static bool fast_computed(char *buf, size_t *len, double x, uint64_t *r12,
                          int *exp10) {
  double ax = fabs(x);
  if (!(ax >= 1e-4 && ax < 1e11))
    return false;
  /* The decimal exponent of ax, then of its rounding to 12 digits: the
   * guess may be one off either way, which the loop corrects. */
  int e = 0;
  while (e < 11 && ax >= POW10[e + 1])
    e++;
  while (e <= 0 && e > -4 && ax * POW10[-e + 1] < 1.0)
    e--;
  uint64_t r = 0;
  for (int tries = 0;; tries++) {
    if (tries == 3 || e < -4 || e > 11)
      return false;
    double m = ax * POW10[11 - e];
    double whole = floor(m), frac = m - whole;
    if (fabs(frac - 0.5) < 1e-3)
      return false; /* too near a midpoint for one rounding */
    double rounded = frac > 0.5 ? whole + 1 : whole;
    if (rounded >= 1e12)
      e++; /* rounding carried into a new digit */
    else if (rounded < 1e11)
      e--;
    else {
      r = (uint64_t)rounded;
      break;
    }
  }
  *r12 = r;
  *exp10 = e;
  char digits[12];
  for (int d = 11; d >= 0; d--, r /= 10)
    digits[d] = (char)('0' + r % 10);
  int nd = 12;
  while (nd > 1 && digits[nd - 1] == '0')
    nd--;
  size_t n = 0;
  if (x < 0)
    buf[n++] = '-';
  if (e >= 0) {
    for (int d = 0; d <= e; d++)
      buf[n++] = d < nd ? digits[d] : '0';
    buf[n++] = '.';
    if (nd > e + 1)
      for (int d = e + 1; d < nd; d++)
        buf[n++] = digits[d];
    else
      buf[n++] = '0'; /* an integral real keeps ".0", as jansson writes */
  } else {
    buf[n++] = '0';
    buf[n++] = '.';
    for (int z = 0; z < -e - 1; z++)
      buf[n++] = '0';
    for (int d = 0; d < nd; d++)
      buf[n++] = digits[d];
  }
  buf[n] = 0;
  *len = n;
  return true;
}

size_t pl_json_computed_text(char buf[PL_JSON_NUMBER_MAX], double x) {
  size_t n;
  if (x == 0) {
    memcpy(buf, "0.0", 4);
    return 3;
  }
  uint64_t r;
  int e;
  if (fast_computed(buf, &n, x, &r, &e))
    return n;
  if (!isfinite(x)) {
    memcpy(buf, "null", 5);
    return 4;
  }
  format_real(buf, pl_round_computed(x));
  return strlen(buf);
}
