/* reach.h - what a coalition can do to a focal DM: the least it can leave
 * him with, over every legal sequence of moves (internal).
 *
 * R_H(s) is the set of states coalition H reaches from s by legal
 * sequences: each step a unilateral move of one member, no member twice in
 * a row (R_H^+(s): each step also an improvement for its mover). Stability
 * needs, per state s1, only min_{u in R_H(s1)} key(u) for a few keys, so
 * no set is ever built: on the product graph of (state, last mover) the
 * minima solve V(x, a) = min(key(x), min over b != a and y in R_b(x) of
 * V(y, b)). They are found by lowering V from the keys with region sweeps
 * (one per member per round, region.h) until nothing changes, or, when that
 * takes too many rounds and in the sorted space, by Tarjan's algorithm: the
 * minimum is shared by a strongly connected component, and components
 * close in reverse topological order, so each is settled once.
 *
 * H's moves never change the options outside H's, so the states split into
 * fibres (one per assignment of those options) searched independently, in
 * parallel, each with arrays of its own size.
 */
#ifndef PL_STABILITY_REACH_H
#define PL_STABILITY_REACH_H

#include "stability/space.h"

enum { GM_MAX_KEYS = 8 };

/* Key k of a state: DM dm[k]'s score, or arr[k][index] when arr[k] is set. */
typedef struct gm_keys {
  uint32_t n;
  int32_t dm[GM_MAX_KEYS];
  const uint32_t *arr[GM_MAX_KEYS];
} gm_keys;

/* out[k][index(s)] = min of key k over R_H(s) (R_H^+(s) when improving),
 * GM_NONE when that set is empty. H is a bit mask of DMs. Without
 * `improving`, the minimum may also count key(s) itself (region sweeps
 * include the state they start from): callers only ask whether the minimum
 * is at most a value below key(s), where that makes no difference (s is an
 * improvement of the focal DM, so key(s) is above the threshold). */
pl_status gm_reach_min(const gm_ctx *x, uint64_t H, bool improving,
                       const gm_keys *keys, uint32_t *const *out);

/* ---- One path, for explanations ---------------------------------------- */

typedef struct gm_step {
  uint32_t dm;
  uint64_t code; /* the state after the move */
} gm_step;

typedef struct gm_path {
  gm_step *steps;
  uint32_t n;
  bool found;
} gm_path;

/* What a search looks for: a state u (not the start) with accept(u). */
typedef bool (*gm_accept_fn)(const void *arg, uint64_t code);

/* Breadth-first search over (state, last mover) from `from` by legal
 * sequences of the DMs in H (improving moves only when `improving`): the
 * shortest path to a state accepted, or found = false. At most max_nodes
 * (state, mover) pairs are visited; *truncated tells whether that limit
 * stopped the search. The path is malloc'ed (gm_path_free). */
gm_path gm_shortest_path(const gm_ctx *x, uint64_t H, bool improving,
                         uint64_t from, gm_accept_fn accept, const void *arg,
                         uint64_t max_nodes, bool *truncated);
void gm_path_free(gm_path *p);

/* The same search run to the end (nothing accepted), kept so that the
 * shortest path to any state can be read back (status quo analysis). */
typedef struct gm_bfs gm_bfs;
gm_bfs *gm_bfs_run(const gm_ctx *x, uint64_t H, bool improving, uint64_t from,
                   uint64_t max_nodes);
/* Shortest path to `code` (found = false when unreached). */
gm_path gm_bfs_path(const gm_bfs *b, uint64_t code);
bool gm_bfs_truncated(const gm_bfs *b);
void gm_bfs_free(gm_bfs *b);

#endif
