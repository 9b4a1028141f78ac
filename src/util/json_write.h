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
/* The same text in a malloc'd string, or NULL. */
char *pl_json_write_string(const json_t *doc);
/* A real for a computed number: x rounded to 12 significant digits
 * (pl_round_computed); null when x is not finite. */
json_t *pl_json_computed(double x);

#endif
