/* fmt.h - numbers written and read with '.' whatever the C locale says. */
#ifndef PL_UTIL_FMT_H
#define PL_UTIL_FMT_H

#include <stdbool.h>
#include <stddef.h>

/* Like snprintf(buf, len, "%.*f", digits, x) but always with '.'. */
size_t pl_fmt_fixed(char *buf, size_t len, double x, int digits);
/* The shortest of %.15g that reads back the same: "10", "0.25", "1e+20". */
size_t pl_fmt_number(char *buf, size_t len, double x);
/* Parses a whole string as a number written with '.'; false otherwise. */
bool pl_parse_number(const char *text, double *out);

#endif
