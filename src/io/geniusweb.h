/* geniusweb.h - GeniusWeb JSON domains and profiles, and what the two
 * exporters (GENIUS XML in genius_write.c, GeniusWeb JSON in geniusweb.c)
 * share: building files in memory, numbers that read back exactly, safe
 * file names, and writing a folder only once everything is known to fit.
 * Internal to the library.
 */
#ifndef PL_IO_GENIUSWEB_H
#define PL_IO_GENIUSWEB_H

#include "model/scenario.h"
#include "util/diag.h"

#include <stdbool.h>
#include <stddef.h>

/* Reads a GeniusWeb scenario: one folder holding a domain (an object with
 * "issuesValues") and profiles ("LinearAdditiveUtilitySpace"), or files
 * given one by one (told apart by content; parties in the order given).
 * Without a domain file, the domain embedded in the first profile is used.
 * A profile's reservation bid becomes the party's reservation value: the
 * utility of that bid (docs/formats.md). NULL with problems in d. */
pl_scenario *pl_geniusweb_load(const char *const *paths, size_t n, pl_diag *d);

/* ---- Shared by the exporters ------------------------------------------- */

/* Growing text; once an allocation fails, `failed` stays set and further
 * output is dropped, so builders check once at the end. */
typedef struct pl_text {
  char *data;
  size_t len, cap;
  bool failed;
} pl_text;

void pl_text_put(pl_text *t, const char *s);
void pl_text_printf(pl_text *t, const char *fmt, ...) PL_PRINTF(2, 3);
/* x as the shortest decimal that reads back as the same double (up to 17
 * significant digits), with '.' whatever the locale; -0 is written 0. */
void pl_text_number(pl_text *t, double x);
size_t pl_export_number(char *buf, size_t len, double x);

/* The files of one export, all built before the disk is touched. */
typedef struct pl_export {
  char **names;
  pl_text **texts; /* separately allocated: pointers stay valid */
  size_t n, cap;
  bool failed; /* out of memory */
} pl_export;

/* A new file "<stem><ext>" (ext with its dot): the stem is `name` made safe
 * for a file name (see pl_export_safe_name), with "-2", "-3"... added when
 * the name is taken (compared without case, for case-insensitive disks).
 * NULL when out of memory. */
pl_text *pl_export_add(pl_export *x, const char *name, const char *ext);
/* Creates `dir` when missing (its parent must exist) and writes the files.
 * Each file is written under a temporary name first and renamed once all
 * were written, so a failure leaves no new file behind. A folder that
 * already holds other files with extension `ext` is refused: reading it
 * back would mix them with the export. */
pl_status pl_export_commit(const pl_export *x, const char *dir, const char *ext,
                           pl_diag *d);
void pl_export_free(pl_export *x);

/* `name` with every byte that is unsafe in a file name on common systems
 * (control characters, / \ : * ? " < > |, a leading dot) replaced by '_';
 * "scenario" when empty. */
void pl_export_safe_name(const char *name, char *out, size_t len);

/* Reports, one problem each, what neither GENIUS nor GeniusWeb can hold:
 * constraints, red lines and ratifiers. `format` names the target in the
 * messages. True when there is none. */
bool pl_export_check_rules(const pl_scenario *s, const char *format,
                           pl_diag *d);

/* The scenario's file for messages, or NULL for a built-in or generated
 * scenario. */
const char *pl_export_source(const pl_scenario *s);

#endif
