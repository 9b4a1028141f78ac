/* json_write.c - see json_write.h. */
#define _POSIX_C_SOURCE 200809L
#include "util/json_write.h"
#include "util/fmt.h"

#include <math.h>
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
static int write_real(FILE *out, double x) {
  char text[48];
  if (!isfinite(x))
    return -1; /* jansson never holds one */
  pl_fmt_number(text, sizeof text - 2, x);
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

static int write_object(FILE *out, const json_t *o, int depth) {
  const char *key;
  json_t *v;
  size_t i = 0;
  if (fputc('{', out) == EOF)
    return -1;
  /* jansson keeps keys in insertion order, as json_dumpf writes them. */
  json_object_foreach((json_t *)o, key, v) {
    if ((i++ && fputc(',', out) == EOF) || newline(out, depth + 1) != 0 ||
        write_string(out, key, strlen(key)) != 0 || put(out, ": ", 2) != 0 ||
        write_value(out, v, depth + 1) != 0)
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
    return write_object(out, v, depth);
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
