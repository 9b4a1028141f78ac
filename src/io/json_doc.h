/* json_doc.h - reporting and typed members for the JSON loaders (internal).
 *
 * The scenario, conflict and tournament loaders all report every problem
 * they find, each at the line and column of the value at fault
 * (io/json_pos.h), with the same wording. They share this module so that a
 * message or a position is computed one way everywhere.
 */
#ifndef PL_IO_JSON_DOC_H
#define PL_IO_JSON_DOC_H

#include "io/json_pos.h"
#include "util/arena.h"
#include "util/diag.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* One document being read: where it came from, where its values stand and
 * how many problems were reported against it so far. */
typedef struct pl_json_doc {
  const char *text; /* the text parsed, to map columns inside strings */
  const char *file;
  pl_json_pos *pos;
  pl_diag *d;
  size_t errors;
} pl_json_doc;

/* Parses `text` (duplicate keys rejected) into a document with positions.
 * NULL, with "invalid JSON" at jansson's line and column or "out of
 * memory" in d, when it cannot; pl_json_doc_close releases the rest. */
json_t *pl_json_doc_open(pl_json_doc *j, const char *text, const char *file,
                         pl_diag *d);
void pl_json_doc_close(pl_json_doc *j, json_t *root);

/* A problem at the value `node` (NULL: no position). */
void pl_json_fail(pl_json_doc *j, const json_t *node, const char *fmt, ...)
    PL_PRINTF(3, 4);
/* A problem at the key under which `node` stands (its value when it has no
 * key). */
void pl_json_fail_key(pl_json_doc *j, const json_t *node, const char *fmt, ...)
    PL_PRINTF(3, 4);
/* A problem at member `key` of `obj`: its key (at_key) or its value. Unlike
 * pl_json_fail(), this finds true/false/null values too. */
void pl_json_fail_member(pl_json_doc *j, const json_t *obj, const char *key,
                         bool at_key, const char *fmt, ...) PL_PRINTF(5, 6);
/* A problem at character `col` (1-based; 0: the string itself) inside the
 * string value `str`. */
void pl_json_fail_in_string(pl_json_doc *j, const json_t *str, int col,
                            const char *fmt, ...) PL_PRINTF(4, 5);

/* Reports every key of `obj` not in `allowed` (NULL-terminated), with a
 * did-you-mean hint, so a misspelt key is an error instead of being
 * silently ignored. "description", "source" and "notes" are always
 * allowed, and "label" too when `allow_label`. */
void pl_json_check_keys(pl_json_doc *j, const json_t *obj, const char *what,
                        const char *const *allowed, bool allow_label);

/* Member `key` of `obj`; NULL (reported when `required`) when absent. */
const json_t *pl_json_get(pl_json_doc *j, const json_t *obj, const char *key,
                          bool required, const char *what);
/* Member `key` of the type asked for; NULL (reported when present or
 * required) otherwise. A string is copied into `arena`, or returned as
 * jansson holds it (alive as long as the tree) when `arena` is NULL. */
const char *pl_json_get_string(pl_json_doc *j, pl_arena *arena,
                               const json_t *obj, const char *key,
                               bool required, const char *what);
const json_t *pl_json_get_array(pl_json_doc *j, const json_t *obj,
                                const char *key, bool required,
                                const char *what);
const json_t *pl_json_get_object(pl_json_doc *j, const json_t *obj,
                                 const char *key, bool required,
                                 const char *what);
/* A number within [lo, hi] into *out; false (reported when present or
 * required) otherwise. */
bool pl_json_get_number(pl_json_doc *j, const json_t *obj, const char *key,
                        bool required, const char *what, double lo, double hi,
                        double *out);

#endif
