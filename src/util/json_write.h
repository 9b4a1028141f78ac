/* json_write.h - JSON text with numbers a person can read and a program can
 * read back exactly.
 *
 * jansson writes every real with one printf precision for the whole
 * document: %.17g shows 0.32 as 0.32000000000000001, %.15g loses the last
 * digits of a number such as 0.30000000000000004 read from a GENIUS file.
 * These writers lay the document out as jansson's JSON_INDENT(2) does, but
 * write each real as the shortest text that reads back to the same double
 * (pl_fmt_number), so a number from the input is printed as written.
 * Computed numbers are rounded where they are put into the document
 * (pl_json_computed) and so carry no rounding noise. */
#ifndef PL_UTIL_JSON_WRITE_H
#define PL_UTIL_JSON_WRITE_H

#include <jansson.h>
#include <stdio.h>

/* Writes doc (no final newline, like json_dumpf); 0, or -1 on a failed
 * write or a document jansson could not hold. */
int pl_json_write(const json_t *doc, FILE *out);
/* Writes a top-level member by a callback: the same as pl_json_write, but
 * the value of the top-level object's member `key` is written by
 * write(ctx, out, depth) instead of from the tree, which may then hold a
 * placeholder. The callback must lay its text out as this writer would
 * (depth: that of the member's value) and return 0, or -1 on failure.
 * Large arrays are written this way without a tree of their elements. */
typedef int (*pl_json_member_fn)(void *ctx, FILE *out, int depth);
int pl_json_write_hooked(const json_t *doc, FILE *out, const char *key,
                         pl_json_member_fn write, void *ctx);
/* Writes v as pl_json_write would where it sits at `depth` (the
 * indentation of its inner lines), for such callbacks; 0 or -1. */
int pl_json_write_at(const json_t *v, FILE *out, int depth);
/* The same text in a malloc'd string, or NULL. */
char *pl_json_write_string(const json_t *doc);
/* A real for a computed number: x rounded to 12 significant digits
 * (pl_round_computed); null when x is not finite. */
json_t *pl_json_computed(double x);
/* The text pl_json_write gives pl_json_computed(x) ("0.0", "0.46",
 * "null"), in buf, NUL-terminated; its length. The same bytes, but
 * without printf for 1e-4 <= |x| < 10^11 (unless x is within 10^-3 of a
 * unit of the 12th digit from a rounding midpoint): there the 12 digits
 * printf would round to come from one multiplication by a power of ten.
 * Why it equals: pl_round_computed(x) is the double nearest the 12-digit
 * decimal D; %.15g of that double is D again (fewer than 16 digits read
 * back, DBL_DIG), which pl_fmt_number keeps; both spell D the same way
 * below 10^12 (%.12g turns to exponent notation at 10^12, %.15g at
 * 10^15: those go by printf). */
enum { PL_JSON_NUMBER_MAX = 48 };
size_t pl_json_computed_text(char buf[PL_JSON_NUMBER_MAX], double x);

#endif
