/* copyout.h - handing text to a caller's buffer the way snprintf does, for
 * the public *_json functions that write a document into memory. */
#ifndef PL_UTIL_COPYOUT_H
#define PL_UTIL_COPYOUT_H

#include <stddef.h>

/* Copies as much of text[0..n) as fits into buf (len bytes with the
 * terminator; nothing when len is 0) and returns n. */
size_t pl_copy_out(const char *text, size_t n, char *buf, size_t len);

#endif
