/* json_pos.h - where each value of a parsed JSON document stands in its text.
 *
 * jansson parses and reports syntax errors with line and column, but keeps no
 * positions in the tree. To point at the line and column of a *semantic*
 * error (an unknown issue name, weights that do not sum to 1), we walk the
 * text again alongside the tree and remember, for every object, array,
 * string and number node, where its value and its key start.
 */
#ifndef PL_IO_JSON_POS_H
#define PL_IO_JSON_POS_H

#include <jansson.h>
#include <stdbool.h>

typedef struct pl_json_pos pl_json_pos;

/* `text` must be the text jansson parsed into `root` (objects in insertion
 * order, duplicate keys rejected). NULL when out of memory. */
pl_json_pos *pl_json_pos_build(const char *text, const json_t *root);
void pl_json_pos_free(pl_json_pos *p);

/* Where `node` (its value) starts; false for unknown nodes and for the
 * shared true/false/null singletons. */
bool pl_json_pos_value(const pl_json_pos *p, const json_t *node, int *line,
                       int *col);
/* Where the key that holds `node` in its object starts. */
bool pl_json_pos_key(const pl_json_pos *p, const json_t *node, int *line,
                     int *col);

/* Where member `key` of object `obj` stands: its key (at_key) or its
 * value. Works for true/false/null values too. */
bool pl_json_pos_member(const pl_json_pos *p, const json_t *obj,
                        const char *key, bool at_key, int *line, int *col);

/* Byte offset in the text where `node`'s value starts. */
bool pl_json_pos_offset(const pl_json_pos *p, const json_t *node,
                        size_t *offset);

/* "an object", "a number", ...: for messages about a value of the wrong
 * type. */
const char *pl_json_type_name(const json_t *v);

#endif
