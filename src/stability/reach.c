/* reach.c - minima over coalition reachable lists (Tarjan on the product
 * graph of state and last mover), and shortest legal paths (BFS). */
#include "stability/reach.h"
#include "stability/region.h"
#include "util/hash.h"

#include <stdlib.h>
#include <string.h>

/* ---- The product graph of one fibre ------------------------------------ *
 *
 * Inside a fibre every state is a local slot: its bits of the options H
 * controls, packed. Moves, feasibility, scores and keys are all looked up
 * by slot in arrays filled once per fibre, so the search never touches a
 * 64-bit code. A node is slot * hn + position in H of the last mover.
 */

typedef struct frame {
  uint32_t x;    /* the node's slot */
  uint32_t C, d; /* mover p's changeable options at x (local), subset */
  uint32_t v;    /* node id */
  uint32_t last; /* last mover position (hn: nobody yet) */
  uint32_t p;    /* position in H of the mover being tried */
} frame;

typedef struct rjob {
  const gm_ctx *x;
  uint64_t OH, fixed; /* options H controls; the others */
  uint32_t hn, h[GM_MAX_DMS];
  uint32_t up[GM_MAX_DMS], down[GM_MAX_DMS]; /* each member's, local */
  bool improving;
  const gm_keys *keys;
  uint32_t *const *out;
  uint64_t slots, nodes;
  bool cube;                 /* the space is indexed by code: sweeps */
  gm_cube cubes[GM_MAX_DMS]; /* each member's moves in the local space */
  /* Each member's own cube: its cells j sit at slot base | offs[b][j]. */
  gm_cube own[GM_MAX_DMS];
  uint32_t bmask[GM_MAX_DMS], bcells[GM_MAX_DMS], max_bcells;
  uint32_t *offs[GM_MAX_DMS];
  uint64_t *bases, nbases; /* sorted space: the fibres that exist */
  struct rwork *work;
} rjob;

typedef struct rwork {
  /* Per slot, filled for each fibre. */
  uint8_t *feas;
  uint32_t *score; /* [p * slots + slot]: member p's score (improving) */
  uint32_t *key;   /* [k * slots + slot] */
  /* Tarjan, per node. */
  uint32_t *index, *low, *val; /* val: keys->n per node */
  uint32_t *scc;               /* Tarjan's stack */
  frame *frames;               /* the depth-first path, grown on demand */
  size_t nframes_cap;
  /* Region sweeps, per slot. */
  uint64_t *T;
  uint32_t *outv, *scratch;
  /* Fixed point: V and U per (member, slot); two-best entries per slot;
   * one member's cube gathered (thresholds, keys, results, scratch). */
  uint32_t *V, *U;
  gm_entry *E1, *E2;
  uint32_t *gthr, *gkey, *gout, *gscratch;
  bool failed;
} rwork;

#define DONE UINT32_MAX

/* The states of a fibre in slot order: slot k is base | pdep(k, OH). */
#define FOR_SLOTS(J, base, slot, x)                                            \
  for (uint64_t slot = 0, sub_ = 0, x = (base); slot < (J)->slots;             \
       slot++, sub_ = (sub_ - (J)->OH) & (J)->OH, x = (base) | sub_)

/* Advances fr to its next successor w; false when there is none. */
static bool next_succ(const rjob *J, const rwork *W, frame *fr, uint32_t *w) {
  for (;;) {
    if (!fr->C) {
      while (fr->p < J->hn &&
             (fr->p == fr->last ||
              !(fr->C = (J->up[fr->p] & ~fr->x) | (J->down[fr->p] & fr->x))))
        fr->p++;
      if (fr->p >= J->hn)
        return false;
      fr->d = 0;
    }
    fr->d = (fr->d - fr->C) & fr->C; /* next non-empty subset */
    if (!fr->d) {
      fr->C = 0;
      fr->p++;
      continue;
    }
    uint32_t y = fr->x ^ fr->d;
    if (!W->feas[y])
      continue;
    if (J->improving) {
      const uint32_t *sc = W->score + (size_t)fr->p * J->slots;
      if (sc[y] <= sc[fr->x])
        continue;
    }
    *w = y * J->hn + fr->p;
    return true;
  }
}

static void min_into(uint32_t *dst, const uint32_t *src, uint32_t n) {
  for (uint32_t k = 0; k < n; k++)
    if (src[k] < dst[k])
      dst[k] = src[k];
}

/* Enters node w (slot y, last mover p): numbered, on the stacks. False
 * when out of memory. */
static bool enter(const rjob *J, rwork *W, uint32_t w, uint32_t y, uint32_t p,
                  uint32_t *counter, size_t *nfr, size_t *nscc) {
  if (*nfr == W->nframes_cap) {
    size_t cap = W->nframes_cap ? W->nframes_cap * 2 : 1024;
    frame *f = realloc(W->frames, cap * sizeof *f);
    if (!f)
      return false;
    W->frames = f;
    W->nframes_cap = cap;
  }
  W->index[w] = W->low[w] = (*counter)++;
  for (uint32_t k = 0; k < J->keys->n; k++)
    W->val[(size_t)w * J->keys->n + k] = W->key[k * J->slots + y];
  W->scc[(*nscc)++] = w;
  W->frames[(*nfr)++] = (frame){.x = y, .v = w, .last = p};
  return true;
}

/* Node v is finished: close its component when it is the root. */
static void finish(const rjob *J, rwork *W, uint32_t v, size_t *nscc) {
  uint32_t K = J->keys->n;
  if (W->low[v] != W->index[v])
    return;
  uint32_t best[GM_MAX_KEYS];
  memcpy(best, &W->val[(size_t)v * K], K * sizeof *best);
  size_t top = *nscc;
  while (W->scc[top - 1] != v)
    min_into(best, &W->val[(size_t)W->scc[--top] * K], K);
  top--; /* v itself */
  for (size_t s = top; s < *nscc; s++) {
    memcpy(&W->val[(size_t)W->scc[s] * K], best, K * sizeof *best);
    W->low[W->scc[s]] = DONE;
  }
  *nscc = top;
}

/* Tarjan's algorithm from `root`, iteratively; each component's minimum
 * is settled when it closes (components close in reverse topological
 * order, so every successor outside it is already settled). */
static bool tarjan(const rjob *J, rwork *W, uint32_t root, uint32_t *counter) {
  uint32_t K = J->keys->n;
  size_t nfr = 0, nscc = 0;
  if (!enter(J, W, root, root / J->hn, root % J->hn, counter, &nfr, &nscc))
    return false;
  while (nfr) {
    frame *fr = &W->frames[nfr - 1];
    uint32_t v = fr->v, w;
    if (next_succ(J, W, fr, &w)) {
      if (!W->index[w]) {
        if (!enter(J, W, w, w / J->hn, w % J->hn, counter, &nfr, &nscc))
          return false;
      } else if (W->low[w] != DONE) { /* on the stack: same component */
        W->low[v] = W->index[w] < W->low[v] ? W->index[w] : W->low[v];
      } else {
        min_into(&W->val[(size_t)v * K], &W->val[(size_t)w * K], K);
      }
      continue;
    }
    nfr--;
    finish(J, W, v, &nscc);
    if (!nfr)
      break;
    uint32_t u = W->frames[nfr - 1].v;
    if (W->low[v] != DONE)
      W->low[u] = W->low[v] < W->low[u] ? W->low[v] : W->low[u];
    else
      min_into(&W->val[(size_t)u * K], &W->val[(size_t)v * K], K);
  }
  return true;
}

/* Tarjan's arrays are needed unless one DM moves alone (no legal second
 * step) in a space indexed by code. */
static bool needs_tarjan(const rjob *J) { return !(J->cube && J->hn == 1); }

static bool work_alloc(const rjob *J, rwork *W) {
  if (W->feas)
    return true;
  size_t n = J->nodes, sl = J->slots, K = J->keys->n;
  W->feas = malloc(sl);
  W->key = malloc(K * sl * sizeof *W->key);
  W->score = malloc((J->improving ? J->hn : 1) * sl * sizeof *W->score);
  W->outv = malloc(sl * sizeof *W->outv);
  if (!W->feas || !W->key || !W->score || !W->outv)
    return false;
  if (needs_tarjan(J)) {
    W->index = malloc(n * sizeof *W->index);
    W->low = malloc(n * sizeof *W->low);
    W->val = malloc(n * K * sizeof *W->val);
    W->scc = malloc(n * sizeof *W->scc);
    W->nframes_cap = 1024;
    W->frames = malloc(W->nframes_cap * sizeof *W->frames);
    if (!W->index || !W->low || !W->val || !W->scc || !W->frames)
      return false;
  }
  if (J->cube) {
    W->T = malloc(sl * sizeof *W->T);
    W->scratch = malloc(4 * sl * sizeof *W->scratch);
    if (!W->T || !W->scratch)
      return false;
  }
  if (J->cube && J->hn >= 2) {
    size_t bc = J->max_bcells;
    W->V = malloc(J->hn * sl * sizeof *W->V);
    W->U = malloc(J->hn * sl * sizeof *W->U);
    W->E1 = malloc(sl * sizeof *W->E1);
    W->E2 = malloc(sl * sizeof *W->E2);
    W->gthr = malloc(bc * sizeof *W->gthr);
    W->gkey = malloc(bc * sizeof *W->gkey);
    W->gout = malloc(bc * sizeof *W->gout);
    W->gscratch = malloc(3 * bc * sizeof *W->gscratch);
    if (!W->V || !W->U || !W->E1 || !W->E2 || !W->gthr || !W->gkey ||
        !W->gout || !W->gscratch)
      return false;
  }
  return true;
}

static void work_free(rwork *W) {
  free(W->feas);
  free(W->score);
  free(W->key);
  free(W->index);
  free(W->low);
  free(W->val);
  free(W->scc);
  free(W->frames);
  free(W->T);
  free(W->outv);
  free(W->scratch);
  free(W->V);
  free(W->U);
  free(W->E1);
  free(W->E2);
  free(W->gthr);
  free(W->gkey);
  free(W->gout);
  free(W->gscratch);
}

static uint32_t key_of(const rjob *J, uint32_t k, uint64_t code) {
  const gm_keys *K = J->keys;
  if (K->arr[k])
    return K->arr[k][gm_index(&J->x->space, code)];
  return gm_score(J->x, (uint32_t)K->dm[k], code);
}

/* Feasibility, keys and (for improving moves) the members' scores of
 * every slot of the fibre. */
static void load_fibre(const rjob *J, rwork *W, uint64_t base) {
  FOR_SLOTS(J, base, slot, x) {
    bool has = gm_has(&J->x->space, x);
    W->feas[slot] = has;
    for (uint32_t k = 0; k < J->keys->n; k++)
      W->key[k * J->slots + slot] = has ? key_of(J, k, x) : GM_NONE;
    for (uint32_t p = 0; J->improving && p < J->hn; p++)
      W->score[p * J->slots + slot] = has ? gm_score(J->x, J->h[p], x) : 0;
  }
}

/* Writes outv (one key) to the states of the fibre. */
static void store(const rjob *J, const rwork *W, uint64_t base, uint32_t k) {
  FOR_SLOTS(J, base, slot, x) {
    if (W->feas[slot])
      J->out[k][gm_index(&J->x->space, x)] = W->outv[slot];
  }
}

/* One mover (two DMs): min of a key over its moves from each state, by a
 * region sweep, or over its improving moves by the threshold sweep. (The
 * plain sweep counts the state itself too, which only adds key(s): see
 * reach.h.) */
static void single_mover(const rjob *J, rwork *W, uint64_t base) {
  for (uint32_t k = 0; k < J->keys->n; k++) {
    const uint32_t *key = W->key + k * J->slots;
    if (J->improving) {
      for (uint64_t s = 0; s < J->slots; s++)
        W->scratch[s] = W->feas[s] ? W->score[s] : GM_NONE; /* thresholds */
      gm_region_min_above(&J->cubes[0], W->scratch, key, W->outv, J->slots,
                          W->scratch + J->slots);
    } else {
      for (uint64_t s = 0; s < J->slots; s++)
        W->T[s] = W->feas[s] ? key[s] : UINT64_MAX;
      gm_region_min(&J->cubes[0], W->T, J->slots);
      for (uint64_t s = 0; s < J->slots; s++)
        W->outv[s] = (uint32_t)W->T[s];
    }
    store(J, W, base, k);
  }
}

/* After Tarjan: per state, the min over every member's first move of the
 * settled values, by one region sweep per member (any moves), or by
 * enumerating the first moves (improving moves). */
static void first_moves(const rjob *J, rwork *W, uint64_t base) {
  uint32_t K = J->keys->n;
  for (uint32_t k = 0; k < K; k++) {
    for (uint64_t s = 0; s < J->slots; s++)
      W->outv[s] = GM_NONE;
    for (uint32_t p = 0; J->cube && !J->improving && p < J->hn; p++) {
      for (uint64_t s = 0; s < J->slots; s++)
        W->T[s] =
            W->feas[s] ? W->val[((size_t)s * J->hn + p) * K + k] : UINT64_MAX;
      gm_region_min(&J->cubes[p], W->T, J->slots);
      for (uint64_t s = 0; s < J->slots; s++)
        if (W->T[s] < W->outv[s])
          W->outv[s] = (uint32_t)W->T[s];
    }
    for (uint32_t s = 0; (!J->cube || J->improving) && s < J->slots; s++) {
      frame fr = {.x = s, .last = J->hn};
      uint32_t w;
      while (W->feas[s] && next_succ(J, W, &fr, &w))
        if (W->val[(size_t)w * K + k] < W->outv[s])
          W->outv[s] = W->val[(size_t)w * K + k];
    }
    store(J, W, base, k);
  }
}

/* ---- Fixed point by region sweeps --------------------------------------
 *
 * The product graph's minima solve V(x, a) = min(key(x), min_{b != a}
 * U_b(x)), where U_b(x) is the min of V(y, b) over b's moves (improving
 * moves) y from x, y != x. Starting from V = key and lowering V until a
 * whole round changes nothing gives exactly the minimum over everything
 * each node reaches: V is always the key of a node it reaches, and at the
 * fixed point no node it reaches has a smaller key. A round is one region
 * sweep per member (its moves from every state at once) instead of one
 * visit per edge, and a few rounds usually suffice; a fibre that needs more
 * than MAX_ROUNDS goes to Tarjan, which is exact in any case. */
enum { MAX_ROUNDS = 12 };

/* U_b from V_b: region sweep keeping the two best cells, so that x itself
 * is left out (b moving from x must change something). */
static void member_min_any(const rjob *J, rwork *W, uint32_t b) {
  const uint32_t *V = W->V + b * J->slots;
  uint32_t *U = W->U + b * J->slots;
  for (uint32_t s = 0; s < J->slots; s++) {
    W->E1[s] = W->feas[s] ? (gm_entry){(uint64_t)(GM_NONE - V[s]) + 1, s}
                          : GM_NO_ENTRY;
    W->E2[s] = GM_NO_ENTRY;
  }
  gm_region_max2(&J->cubes[b], W->E1, W->E2, J->slots);
  for (uint32_t s = 0; s < J->slots; s++) {
    gm_entry e = W->E1[s].cell != s ? W->E1[s] : W->E2[s];
    U[s] = e.key ? GM_NONE - (uint32_t)(e.key - 1) : GM_NONE;
  }
}

/* U_b over improving moves: the threshold sweep on each copy of b's cube
 * (one per assignment of the other members' options). */
static void member_min_improving(const rjob *J, rwork *W, uint32_t b) {
  const uint32_t *V = W->V + b * J->slots, *sc = W->score + b * J->slots;
  uint32_t *U = W->U + b * J->slots, cells = J->bcells[b];
  uint32_t other = (uint32_t)(J->slots - 1) & ~J->bmask[b], c = 0;
  do {
    for (uint32_t j = 0; j < cells; j++) {
      uint32_t slot = c | J->offs[b][j];
      W->gthr[j] = W->feas[slot] ? sc[slot] : GM_NONE;
      W->gkey[j] = V[slot];
    }
    gm_region_min_above(&J->own[b], W->gthr, W->gkey, W->gout, cells,
                        W->gscratch);
    for (uint32_t j = 0; j < cells; j++)
      U[c | J->offs[b][j]] = W->gout[j];
    c = (c - other) & other;
  } while (c);
}

/* Key k's minima for the fibre into outv; false when it did not settle. */
static bool fixed_point(const rjob *J, rwork *W, uint32_t k) {
  const uint32_t *key = W->key + k * J->slots;
  for (uint32_t p = 0; p < J->hn; p++)
    for (uint32_t s = 0; s < J->slots; s++)
      W->V[p * J->slots + s] = W->feas[s] ? key[s] : GM_NONE;
  for (int round = 0; round < MAX_ROUNDS; round++) {
    bool changed = false;
    for (uint32_t b = 0; b < J->hn; b++) {
      if (J->improving)
        member_min_improving(J, W, b);
      else
        member_min_any(J, W, b);
      const uint32_t *U = W->U + b * J->slots;
      for (uint32_t p = 0; p < J->hn; p++) { /* V_p takes b's moves */
        uint32_t *V = W->V + p * J->slots;
        for (uint32_t s = 0; p != b && s < J->slots; s++)
          if (W->feas[s] && U[s] < V[s]) {
            V[s] = U[s];
            changed = true;
          }
      }
    }
    if (!changed) { /* every U_b was computed from the final V_b */
      for (uint32_t s = 0; s < J->slots; s++) {
        W->outv[s] = GM_NONE;
        for (uint32_t b = 0; b < J->hn; b++)
          if (W->U[b * J->slots + s] < W->outv[s])
            W->outv[s] = W->U[b * J->slots + s];
      }
      return true;
    }
  }
  return false;
}

static void do_fibre(void *p, unsigned worker, uint64_t f) {
  const rjob *J = p;
  rwork *W = &J->work[worker];
  if (W->failed || !work_alloc(J, W)) {
    W->failed = true; /* the analysis then fails as a whole */
    return;
  }
  uint64_t base = J->bases ? J->bases[f] : gm_pdep(f, J->fixed);
  load_fibre(J, W, base);
  if (!needs_tarjan(J)) {
    single_mover(J, W, base);
    return;
  }
  uint32_t k = 0;
  while (J->cube && k < J->keys->n && fixed_point(J, W, k))
    store(J, W, base, k++);
  if (J->cube && k == J->keys->n)
    return;
  memset(W->index, 0, J->nodes * sizeof *W->index);
  uint32_t counter = 1;
  for (uint32_t v = 0; v < J->nodes; v++)
    /* False positive of clang-analyzer-core.uninitialized.Branch: feas has one
     * flag per slot, every one written by load_fibre */
    /* NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch) */
    if (W->feas[v / J->hn] && !W->index[v] && !tarjan(J, W, v, &counter)) {
      W->failed = true;
      return;
    }
  first_moves(J, W, base);
}

static int cmp_u64(const void *p, const void *q) {
  uint64_t a = *(const uint64_t *)p, b = *(const uint64_t *)q;
  return a < b ? -1 : a > b;
}

/* Sorted space: the fibres that hold a state (distinct codes & fixed). */
static bool list_bases(rjob *J) {
  const gm_space *sp = &J->x->space;
  J->bases = malloc((sp->count ? sp->count : 1) * sizeof *J->bases);
  if (!J->bases)
    return false;
  for (uint64_t k = 0; k < sp->count; k++)
    J->bases[k] = sp->codes[k] & J->fixed;
  qsort(J->bases, sp->count, sizeof *J->bases, cmp_u64);
  J->nbases = 0;
  for (uint64_t k = 0; k < sp->count; k++)
    if (!J->nbases || J->bases[J->nbases - 1] != J->bases[k])
      J->bases[J->nbases++] = J->bases[k];
  return true;
}

static uint64_t options_of(const pl_conflict *c, uint64_t H) {
  uint64_t o = 0;
  for (uint32_t i = 0; i < c->n; i++)
    if (H >> i & 1)
      o |= c->dms[i].options;
  return o;
}

static pl_status setup(rjob *J, uint64_t H) {
  const pl_conflict *c = J->x->c;
  uint64_t all = ((uint64_t)1 << c->m) - 1; /* m <= 63 */
  for (uint32_t i = 0; i < c->n; i++)
    if (H >> i & 1)
      J->h[J->hn++] = i;
  J->OH = options_of(c, H);
  J->fixed = all & ~J->OH;
  if (__builtin_popcountll(J->OH) >= 32)
    return PL_EREFUSED;
  J->slots = (uint64_t)1 << __builtin_popcountll(J->OH);
  J->nodes = J->slots * J->hn;
  if (J->nodes >= DONE)
    return PL_EREFUSED;
  J->cube = J->x->space.kind != GM_SPACE_SORTED;
  for (uint32_t p = 0; p < J->hn; p++) {
    gm_cube_init(&J->cubes[p], c, J->h[p], J->OH);
    J->up[p] = (uint32_t)gm_pext_slow(c->dms[J->h[p]].up, J->OH);
    J->down[p] = (uint32_t)gm_pext_slow(c->dms[J->h[p]].down, J->OH);
    J->bmask[p] = (uint32_t)gm_pext_slow(c->dms[J->h[p]].options, J->OH);
    J->own[p] = J->cubes[p];
    for (uint32_t t = 0; t < J->own[p].nbits; t++)
      J->own[p].pos[t] = (uint8_t)t;
    J->bcells[p] = 1u << J->own[p].nbits;
    if (J->bcells[p] > J->max_bcells)
      J->max_bcells = J->bcells[p];
    J->offs[p] = malloc(J->bcells[p] * sizeof *J->offs[p]);
    if (!J->offs[p])
      return PL_ENOMEM;
    for (uint32_t j = 0; j < J->bcells[p]; j++)
      J->offs[p][j] = (uint32_t)gm_pdep(j, J->bmask[p]);
  }
  return PL_OK;
}

/* Everything a job owns, on every way out (setup may have stopped half
 * way: what it did not allocate is NULL). */
static void job_free(rjob *J) {
  for (unsigned t = 0; J->work && t < J->x->threads; t++)
    work_free(&J->work[t]);
  free(J->work);
  free(J->bases);
  for (uint32_t p = 0; p < J->hn; p++)
    free(J->offs[p]);
}

pl_status gm_reach_min(const gm_ctx *x, uint64_t H, bool improving,
                       const gm_keys *keys, uint32_t *const *out) {
  rjob J = {.x = x, .improving = improving, .keys = keys, .out = out};
  if (!(H & (((uint64_t)1 << x->c->n) - 1))) { /* nobody to move */
    for (uint64_t s = 0; s < x->space.count; s++)
      for (uint32_t k = 0; k < keys->n; k++)
        out[k][s] = GM_NONE;
    return PL_OK;
  }
  pl_status st = setup(&J, H);
  if (st == PL_OK) {
    J.work = calloc(x->threads, sizeof *J.work);
    if (!J.work || (!J.cube && !list_bases(&J)))
      st = PL_ENOMEM;
  }
  if (st == PL_OK) {
    uint64_t nfib =
        J.cube ? (uint64_t)1 << __builtin_popcountll(J.fixed) : J.nbases;
    gm_parallel_items(x->threads, nfib, J.nodes, do_fibre, &J);
    for (unsigned t = 0; t < x->threads; t++)
      if (J.work[t].failed)
        st = PL_ENOMEM;
  }
  job_free(&J);
  return st;
}

/* ---- Breadth-first search over (state, last mover) --------------------- */

typedef struct bnode {
  uint64_t code;
  uint32_t parent; /* UINT32_MAX: the start */
  uint8_t mover;   /* DM; NOBODY at the start */
} bnode;

#define NOBODY 255

struct gm_bfs {
  const gm_ctx *x;
  bnode *nodes; /* in visiting order: also the queue */
  uint64_t n, cap;
  uint32_t *pairs; /* hash set of (code, mover) -> node + 1 */
  uint32_t *first; /* hash of code -> first node + 1 */
  uint64_t hmask;
  bool truncated;
};

/* The slot of (code, mover) in pairs, or of code in first (mover < 0). */
static uint64_t find_slot(const gm_bfs *b, uint64_t code, int mover) {
  const uint32_t *tab = mover < 0 ? b->first : b->pairs;
  uint64_t h = pl_mix64(code * 67 + (uint64_t)(mover + 1)) & b->hmask;
  for (;; h = (h + 1) & b->hmask) {
    uint32_t e = tab[h];
    if (!e)
      return h;
    const bnode *nd = &b->nodes[e - 1];
    if (nd->code == code && (mover < 0 || nd->mover == mover))
      return h;
  }
}

static bool bfs_grow(gm_bfs *b) {
  uint64_t cap = b->cap ? b->cap * 2 : 1024;
  bnode *nodes = realloc(b->nodes, cap * sizeof *nodes);
  if (!nodes)
    return false;
  b->nodes = nodes;
  b->cap = cap;
  free(b->pairs);
  free(b->first);
  b->hmask = cap * 2 - 1;
  b->pairs = calloc(cap * 2, sizeof *b->pairs);
  b->first = calloc(cap * 2, sizeof *b->first);
  if (!b->pairs || !b->first)
    return false;
  for (uint64_t k = 0; k < b->n; k++) {
    const bnode *nd = &b->nodes[k];
    b->pairs[find_slot(b, nd->code, nd->mover)] = (uint32_t)k + 1;
    uint64_t f = find_slot(b, nd->code, -1);
    if (!b->first[f])
      b->first[f] = (uint32_t)k + 1;
  }
  return true;
}

/* Adds (code, mover) unless seen; returns its node number + 1, 0 when it
 * was seen (or memory ran out: b->truncated). */
static uint64_t bfs_add(gm_bfs *b, uint64_t code, uint8_t mover,
                        uint32_t parent, uint64_t max_nodes) {
  if (b->n && b->pairs[find_slot(b, code, mover)])
    return 0;
  if (b->n == max_nodes) {
    b->truncated = true;
    return 0;
  }
  if (b->n == b->cap && !bfs_grow(b)) {
    b->truncated = true;
    return 0;
  }
  b->nodes[b->n] = (bnode){code, parent, mover};
  b->pairs[find_slot(b, code, mover)] = (uint32_t)b->n + 1;
  uint64_t f = find_slot(b, code, -1);
  if (!b->first[f])
    b->first[f] = (uint32_t)b->n + 1;
  return ++b->n;
}

/* The search itself; stops early at a state accepted (returns its node
 * number + 1) when accept is given. */
static uint64_t bfs(gm_bfs *b, uint64_t H, bool improving, uint64_t from,
                    gm_accept_fn accept, const void *arg, uint64_t max_nodes) {
  const pl_conflict *c = b->x->c;
  bfs_add(b, from, NOBODY, UINT32_MAX, max_nodes);
  for (uint64_t q = 0; q < b->n; q++) {
    bnode cur = b->nodes[q];
    for (uint32_t j = 0; j < c->n; j++) {
      if (!(H >> j & 1) || j == cur.mover)
        continue;
      uint64_t C = gm_changeable(c, j, cur.code), d = 0;
      uint32_t sx = improving ? gm_score(b->x, j, cur.code) : 0;
      while ((d = (d - C) & C)) {
        uint64_t y = cur.code ^ d;
        if (!gm_has(&b->x->space, y) ||
            (improving && gm_score(b->x, j, y) <= sx))
          continue;
        uint64_t k = bfs_add(b, y, (uint8_t)j, (uint32_t)q, max_nodes);
        if (k && accept && accept(arg, y))
          return k;
      }
    }
  }
  return 0;
}

static gm_path path_to(const gm_bfs *b, uint64_t node) {
  gm_path p = {0};
  uint32_t len = 0;
  for (uint64_t k = node; b->nodes[k].parent != UINT32_MAX;
       k = b->nodes[k].parent)
    len++;
  p.steps = malloc((len ? len : 1) * sizeof *p.steps);
  if (!p.steps)
    return p;
  p.n = len;
  p.found = true;
  for (uint64_t k = node; b->nodes[k].parent != UINT32_MAX;
       k = b->nodes[k].parent)
    p.steps[--len] = (gm_step){b->nodes[k].mover, b->nodes[k].code};
  return p;
}

gm_bfs *gm_bfs_run(const gm_ctx *x, uint64_t H, bool improving, uint64_t from,
                   uint64_t max_nodes) {
  gm_bfs *b = calloc(1, sizeof *b);
  if (!b)
    return NULL;
  b->x = x;
  bfs(b, H, improving, from, NULL, NULL, max_nodes);
  return b;
}

gm_path gm_bfs_path(const gm_bfs *b, uint64_t code) {
  if (!b->n)
    return (gm_path){0};
  uint32_t e = b->first[find_slot(b, code, -1)];
  return e ? path_to(b, e - 1) : (gm_path){0};
}

bool gm_bfs_truncated(const gm_bfs *b) { return b->truncated; }

void gm_bfs_free(gm_bfs *b) {
  if (!b)
    return;
  free(b->nodes);
  free(b->pairs);
  free(b->first);
  free(b);
}

gm_path gm_shortest_path(const gm_ctx *x, uint64_t H, bool improving,
                         uint64_t from, gm_accept_fn accept, const void *arg,
                         uint64_t max_nodes, bool *truncated) {
  gm_bfs b = {.x = x};
  uint64_t k = bfs(&b, H, improving, from, accept, arg, max_nodes);
  gm_path p = k ? path_to(&b, k - 1) : (gm_path){0};
  if (truncated)
    *truncated = b.truncated;
  free(b.nodes);
  free(b.pairs);
  free(b.first);
  return p;
}

void gm_path_free(gm_path *p) {
  free(p->steps);
  p->steps = NULL;
  p->n = 0;
}
