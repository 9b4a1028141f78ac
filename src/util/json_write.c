/* json_write.c - see json_write.h. */
#define _POSIX_C_SOURCE 200809L
#include "util/json_write.h"
#include "util/fmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int put(FILE *out, const char *s, size_t n) {
  return fwrite(s, 1, n, out) == n ? 0 : -1;
}

static int puts_(FILE *out, const char *s) { return put(out, s, strlen(s)); }

static int newline(FILE *out, int depth) {
  if (fputc('\n', out) == EOF)
    return -1;
  for (int i = 0; i < depth; i++)
    if (put(out, "  ", 2) != 0)
      return -1;
  return 0;
}

/* The escapes jansson writes by default: quote, backslash and control
 * characters; UTF-8 passes through. */
static int write_string(FILE *out, const char *s, size_t n) {
  if (fputc('"', out) == EOF)
    return -1;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
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
      if (c < 0x20) {
        snprintf(seq, sizeof seq, "\\u%04X", c);
        esc = seq;
      }
    }
    if (esc ? puts_(out, esc) != 0 : fputc(c, out) == EOF)
      return -1;
  }
  return fputc('"', out) == EOF ? -1 : 0;
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

static int write_real(FILE *out, double x) {
  char text[48];
  if (!isfinite(x))
    return -1; /* jansson never holds one */
  format_real(text, x);
  return puts_(out, text);
}

static int write_value(FILE *out, const json_t *v, int depth);

static int write_array(FILE *out, const json_t *a, int depth) {
  size_t n = json_array_size(a);
  if (fputc('[', out) == EOF)
    return -1;
  for (size_t i = 0; i < n; i++)
    if ((i && fputc(',', out) == EOF) || newline(out, depth + 1) != 0 ||
        write_value(out, json_array_get(a, i), depth + 1) != 0)
      return -1;
  if (n && newline(out, depth) != 0)
    return -1;
  return fputc(']', out) == EOF ? -1 : 0;
}

/* A member of the top-level object written by a callback (NULL: none). */
typedef struct member_hook {
  const char *key;
  pl_json_member_fn write;
  void *ctx;
} member_hook;

static int write_object(FILE *out, const json_t *o, int depth,
                        const member_hook *hook) {
  const char *key;
  json_t *v;
  size_t i = 0;
  if (fputc('{', out) == EOF)
    return -1;
  /* jansson keeps keys in insertion order, as json_dumpf writes them. */
  json_object_foreach((json_t *)o, key, v) {
    bool hooked = hook && !strcmp(key, hook->key);
    if ((i++ && fputc(',', out) == EOF) || newline(out, depth + 1) != 0 ||
        write_string(out, key, strlen(key)) != 0 || put(out, ": ", 2) != 0 ||
        (hooked ? hook->write(hook->ctx, out, depth + 1)
                : write_value(out, v, depth + 1)) != 0)
      return -1;
  }
  if (i && newline(out, depth) != 0)
    return -1;
  return fputc('}', out) == EOF ? -1 : 0;
}

static int write_value(FILE *out, const json_t *v, int depth) {
  char num[32];
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    return write_object(out, v, depth, NULL);
  case JSON_ARRAY:
    return write_array(out, v, depth);
  case JSON_STRING:
    return write_string(out, json_string_value(v), json_string_length(v));
  case JSON_INTEGER:
    snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    return puts_(out, num);
  case JSON_REAL:
    return write_real(out, json_real_value(v));
  case JSON_TRUE:
    return puts_(out, "true");
  case JSON_FALSE:
    return puts_(out, "false");
  case JSON_NULL:
    return puts_(out, "null");
  }
  return -1;
}

int pl_json_write(const json_t *doc, FILE *out) {
  if (!doc || !out)
    return -1;
  return write_value(out, doc, 0) == 0 && !ferror(out) ? 0 : -1;
}

int pl_json_write_at(const json_t *v, FILE *out, int depth) {
  return v && out && write_value(out, v, depth) == 0 ? 0 : -1;
}

int pl_json_write_hooked(const json_t *doc, FILE *out, const char *key,
                         pl_json_member_fn write, void *ctx) {
  if (!doc || !out)
    return -1;
  member_hook hook = {key, write, ctx};
  int rc = json_is_object(doc) && key && write
               ? write_object(out, doc, 0, &hook)
               : write_value(out, doc, 0);
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

json_t *pl_json_computed(double x) {
  return isfinite(x) ? json_real(pl_round_computed(x)) : json_null();
}

/* Exact powers of ten (every one up to 10^22 is a double). */
static const double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
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
static bool fast_computed(char *buf, size_t *len, double x) {
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
  if (fast_computed(buf, &n, x))
    return n;
  if (!isfinite(x)) {
    memcpy(buf, "null", 5);
    return 4;
  }
  format_real(buf, pl_round_computed(x));
  return strlen(buf);
}
