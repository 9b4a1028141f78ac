/* fmt.h - numbers written and read with '.' whatever the C locale says. */
#ifndef PL_UTIL_FMT_H
#define PL_UTIL_FMT_H

#include <stdbool.h>
#include <stddef.h>

/* Like snprintf(buf, len, "%.*f", digits, x) but always with '.'. */
size_t pl_fmt_fixed(char *buf, size_t len, double x, int digits);
/* A number from the input, as written: the shortest text that reads back
 * to the same double ("10", "0.25", "0.32", "1e+20"; 17 digits at most). */
size_t pl_fmt_number(char *buf, size_t len, double x);
/* A computed number: 12 significant digits, trailing zeros dropped, so that
 * rounding noise does not show (0.0155000000000001 is written 0.0155). */
size_t pl_fmt_computed(char *buf, size_t len, double x);
/* x rounded to the 12 significant digits pl_fmt_computed writes: the double
 * whose shortest text is that number (for writers that print the shortest
 * text of every real, such as pl_json_write). Non-finite x is returned. */
double pl_round_computed(double x);
/* Parses a whole string as a number written with '.'; false otherwise. */
bool pl_parse_number(const char *text, double *out);

#endif
