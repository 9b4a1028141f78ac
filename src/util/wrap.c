/* wrap.c - see wrap.h. */
#include "util/wrap.h"

#include <string.h>

size_t pl_text_width(const char *s) {
  size_t w = 0;
  for (; *s; s++)
    w += ((unsigned char)*s & 0xC0) != 0x80;
  return w;
}

/* Width of the first n bytes of s. */
static size_t width_n(const char *s, size_t n) {
  size_t w = 0;
  for (size_t i = 0; i < n && s[i]; i++)
    w += ((unsigned char)s[i] & 0xC0) != 0x80;
  return w;
}

/* Bytes of s to put on a line of `room` columns: up to and including the
 * last ", " that fits when it fills half the line at least, else up to the
 * last space that fits, else the first word whole. */
static size_t line_length(const char *s, size_t room) {
  size_t n = strlen(s);
  if (width_n(s, n) <= room)
    return n;
  size_t comma = 0, space = 0;
  for (size_t i = 0; i < n && width_n(s, i) <= room; i++) {
    if (s[i] == ' ' && i > 0 && s[i - 1] == ',')
      comma = i + 1; /* the break goes after ", " */
    if (s[i] == ' ')
      space = i + 1;
  }
  if (comma && 2 * width_n(s, comma) >= room)
    return comma; /* a list breaks between its items */
  if (space)
    return space;
  const char *sp = strchr(s, ' ');
  return sp ? (size_t)(sp - s) + 1 : n;
}

void pl_text_wrap(FILE *out, const char *text, size_t col, size_t indent,
                  unsigned width) {
  const char *s = text;
  while (width && *s) {
    size_t room = width > col ? width - col : 0;
    size_t n = line_length(s, room);
    if (!s[n])
      break;
    size_t keep = n;
    while (keep && s[keep - 1] == ' ')
      keep--; /* no trailing blanks */
    fwrite(s, 1, keep, out);
    fprintf(out, "\n%*s", (int)indent, "");
    col = indent;
    s += n;
  }
  fputs(s, out);
  fputc('\n', out);
}
