/* load.h - what the conflict readers (parley JSON, GMCR+) share (internal).
 *
 * Like the scenario loader, they report every problem they find, each at
 * the line and column of the value at fault (io/json_pos.h).
 */
#ifndef PL_STABILITY_LOAD_H
#define PL_STABILITY_LOAD_H

#include "io/json_pos.h"
#include "stability/gm.h"
#include "util/diag.h"

typedef struct gm_loader {
  const char *text, *file;
  pl_diag *d;
  pl_json_pos *pos;
  const json_t *root;
  pl_conflict *c;
  size_t errors;
} gm_loader;

/* A problem at the value `node` (NULL: no position). */
void gm_fail(gm_loader *L, const json_t *node, const char *fmt, ...)
    PL_PRINTF(3, 4);
/* A problem at the key of member `key` of `obj` (at_key) or its value. */
void gm_fail_member(gm_loader *L, const json_t *obj, const char *key,
                    bool at_key, const char *fmt, ...) PL_PRINTF(5, 6);
/* A problem at character `col` (1-based) inside the string value `str`. */
void gm_fail_in_string(gm_loader *L, const json_t *str, int col,
                       const char *fmt, ...) PL_PRINTF(4, 5);

/* Reports keys of `obj` not in `allowed` (NULL-terminated); "description",
 * "source", "notes" and "label" are always allowed. */
void gm_check_keys(gm_loader *L, const json_t *obj, const char *what,
                   const char *const *allowed);
/* Member `key` of the type asked for; NULL (reported when present or
 * required) otherwise. Strings are copied into the conflict's arena. */
const char *gm_get_string(gm_loader *L, const json_t *obj, const char *key,
                          bool required, const char *what);
const json_t *gm_get_array(gm_loader *L, const json_t *obj, const char *key,
                           bool required, const char *what);

/* Reads a GMCR+ document (gmcr_read.c). */
void gm_load_gmcr(gm_loader *L);

/* Reads a parley conflict document (conflict_json.c). */
void gm_conflict_from_json_root(gm_loader *L);

/* Stores an explicit ranking: `levels[k]` for `codes[k]` (all feasible
 * states, any order); level 0 is the worst. */
bool gm_set_ranking(pl_conflict *c, gm_dm *dm, const uint64_t *codes,
                    const uint32_t *levels, uint64_t n);

#endif
