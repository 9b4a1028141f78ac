/* load.h - what the conflict readers (parley JSON, GMCR+) share (internal).
 *
 * Like the scenario loader, they report every problem they find, each at
 * the line and column of the value at fault (io/json_pos.h).
 */
#ifndef PL_STABILITY_LOAD_H
#define PL_STABILITY_LOAD_H

#include "io/json_doc.h"
#include "stability/gm.h"
#include "util/diag.h"

typedef struct gm_loader {
  pl_json_doc doc; /* text, file, positions, diagnostics, error count */
  const json_t *root;
  pl_conflict *c;
} gm_loader;

/* Reads a GMCR+ document (gmcr_read.c). */
void gm_load_gmcr(gm_loader *L);

/* Reads a parley conflict document (conflict_json.c). */
void gm_conflict_from_json_root(gm_loader *L);

/* Stores an explicit ranking: `levels[k]` for `codes[k]` (all feasible
 * states, any order); level 0 is the worst. */
bool gm_set_ranking(pl_conflict *c, gm_dm *dm, const uint64_t *codes,
                    const uint32_t *levels, uint64_t n);

#endif
