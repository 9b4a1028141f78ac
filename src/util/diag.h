/* diag.h - collecting problems (pl_diag) with their place in a file. */
#ifndef PL_UTIL_DIAG_H
#define PL_UTIL_DIAG_H

#include "parley.h"

#include <stdarg.h>

#if defined(__GNUC__)
#define PL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PL_PRINTF(f, a)
#endif

/* Adds a problem; `file` may be NULL and line/column 0. A NULL d is
 * allowed (the problem is dropped). */
/* Problems of one kind in one list (options without a value, options
 * listed twice, ...) are reported one by one up to this many, then once
 * with how many more (docs/limits.md): a party that forgets the values of
 * a 10^6-option issue gets 11 messages, not a million. */
#define PL_LISTED_MAX 10

void pl_diag_add(pl_diag *d, const char *file, int line, int column,
                 const char *fmt, ...) PL_PRINTF(5, 6);
void pl_diag_addv(pl_diag *d, const char *file, int line, int column,
                  const char *fmt, va_list ap);

#endif
