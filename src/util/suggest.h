/* suggest.h - "did you mean ...?" for misspelt names. */
#ifndef PL_UTIL_SUGGEST_H
#define PL_UTIL_SUGGEST_H

#include <stddef.h>

/* Edit distance (insertions, deletions, substitutions; case-insensitive). */
size_t pl_edit_distance(const char *a, const char *b);
/* The candidate closest to `name` when it is close enough to be a likely
 * typo (distance at most a third of the length, at least 1), else NULL. */
const char *pl_suggest(const char *name, const char *const *candidates,
                       size_t n);

#endif
