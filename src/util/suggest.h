/* suggest.h - "did you mean ...?" for misspelt names. */
#ifndef PL_UTIL_SUGGEST_H
#define PL_UTIL_SUGGEST_H

#include <stddef.h>

/* Longer names are never offered as suggestions (and cost too much). */
enum { PL_SUGGEST_MAX = 64 };

/* Edit distance (insertions, deletions, substitutions), ignoring ASCII
 * case, between a[0..na) and b[0..nb); both lengths <= PL_SUGGEST_MAX. */
size_t pl_edit_distance_n(const char *a, size_t na, const char *b, size_t nb);
/* Whether `name` is close enough to `candidate` to be a likely typo of it:
 * at most half of the longer name has to change. */
int pl_is_near(const char *name, size_t n, const char *candidate);
/* Among more candidates than this no suggestion is looked for: each costs
 * up to PL_SUGGEST_MAX^2 steps, and a file with many misspelt options of a
 * huge issue would take hours to be refused. */
enum { PL_SUGGEST_CANDIDATES = 10000 };

/* The closest near candidate to `name`, or NULL (always NULL above
 * PL_SUGGEST_CANDIDATES candidates). */
const char *pl_suggest(const char *name, const char *const *candidates,
                       size_t n);

/* Orders names as people do: "prof2" before "prof10" (runs of digits
 * compare as numbers), otherwise byte by byte. */
int pl_natural_cmp(const char *a, const char *b);

#endif
