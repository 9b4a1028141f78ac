/* wrap.h - text wrapped to a width for the text reports (issue 11: lines
 * fit 100 columns unless --wide). */
#ifndef PL_UTIL_WRAP_H
#define PL_UTIL_WRAP_H

#include <stddef.h>
#include <stdio.h>

/* Display width of UTF-8 text: continuation bytes take no column. */
size_t pl_text_width(const char *s);
/* Writes `text` (one line, no '\n') starting at column `col` of the
 * current line, then a newline. Lines break after ", " where one fits
 * (and fills half the line), else at a space, so that none passes `width`
 * columns; each continuation line starts with `indent` spaces. A word longer
 * than the room left is written whole. width 0: no wrapping. */
void pl_text_wrap(FILE *out, const char *text, size_t col, size_t indent,
                  unsigned width);

#endif
