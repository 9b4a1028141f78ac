/* scenario_extra.h - the parts of the scenario format beyond the deal
 * model itself (internal to the loader): ratifiers as voting bodies
 * (scenario_body.c) and uncertain inputs (scenario_uncertain.c),
 * docs/scenario-format.md sections 7.1 and 13. */
#ifndef PL_IO_SCENARIO_EXTRA_H
#define PL_IO_SCENARIO_EXTRA_H

#include "io/json_doc.h"
#include "model/scenario.h"
#include "model/uncertain.h"

/* Reads member "body" of a ratifier (if any) into a->body and sets
 * a->threshold to the effective threshold (model/body.h). Call after the
 * threshold is read. */
bool pl_load_body(pl_json_doc *j, pl_scenario *s, const json_t *ratifier,
                  pl_actor *a, const char *who);

/* A number within [lo, hi] (kind PL_DIST_FIXED) or a distribution whose
 * range lies within [lo, hi]; reported at v and false otherwise. */
bool pl_read_dist(pl_json_doc *j, const json_t *v, const char *what, double lo,
                  double hi, pl_dist *d);
/* Registers an uncertain parameter of the scenario (false: out of
 * memory). */
bool pl_uncertain_add(pl_scenario *s, pl_param_kind kind, uint32_t actor,
                      uint32_t issue, uint32_t value, const pl_dist *d);
/* "weights": {"dirichlet": {issue: alpha}}: base weights alpha_i / sum. */
bool pl_read_dirichlet(pl_json_doc *j, pl_scenario *s, const json_t *alphas,
                       uint32_t actor, double *weights, const char *who);
/* The top-level "variants" (after the actors are read). */
bool pl_load_variants(pl_json_doc *j, pl_scenario *s, const json_t *root);

#endif
