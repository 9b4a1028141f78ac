/* reach.c - minima over coalition reachable lists (Tarjan on the product
 * graph of state and last mover), and shortest legal paths (BFS). */
#include "stability/reach.h"
#include "stability/region.h"

#include <stdlib.h>
#include <string.h>

/* ---- The product graph of one fibre ------------------------------------ */

typedef struct frame {
  uint64_t x;    /* the node's state */
  uint64_t C, d; /* mover p's changeable options at x, current subset */
  uint32_t v;    /* node id: local slot * hn + last mover position */
  uint32_t last; /* last mover position (hn: nobody yet) */
  uint32_t p;    /* position in H of the mover being tried */
  uint32_t sx;   /* mover p's score at x (improving moves) */
} frame;

typedef struct rjob {
  const gm_ctx *x;
  uint64_t OH, fixed; /* options H controls; the others */
  uint32_t hn, h[GM_MAX_DMS];
  bool improving;
  const gm_keys *keys;
  uint32_t *const *out;
  gm_pext local; /* fibre-local slot of a state: its bits of OH */
  uint64_t slots, nodes;
  bool cube;                /* the space is indexed by code: region sweeps */
  gm_cube cubes[GM_MAX_DMS]; /* each member's moves in the local space */
  uint64_t *bases, nbases;  /* sorted space: the fibres that exist */
  struct rwork *work;
} rjob;

typedef struct rwork {
  uint32_t *index, *low, *val; /* per node; val has keys->n per node */
  uint32_t *scc;               /* Tarjan's stack: one slot per node */
  frame *frames;               /* the depth-first path, grown on demand */
  size_t nframes_cap;
  uint64_t *T;                          /* region sweeps, per slot */
  uint32_t *thr, *keyv, *outv, *scratch; /* per slot */
  bool failed;
} rwork;

#define DONE UINT32_MAX

/* Advances fr to its next successor w; false when there is none. */
static bool next_succ(const rjob *J, frame *fr, uint32_t *w) {
  const pl_conflict *c = J->x->c;
  for (;;) {
    if (!fr->C) {
      while (fr->p < J->hn && (fr->p == fr->last ||
                               !(fr->C = gm_changeable(c, J->h[fr->p], fr->x))))
        fr->p++;
      if (fr->p >= J->hn)
        return false;
      fr->d = 0;
      if (J->improving)
        fr->sx = gm_score(J->x, J->h[fr->p], fr->x);
    }
    fr->d = (fr->d - fr->C) & fr->C; /* next non-empty subset */
    if (!fr->d) {
      fr->C = 0;
      fr->p++;
      continue;
    }
    uint64_t y = fr->x ^ fr->d;
    if (!gm_has(&J->x->space, y))
      continue;
    if (J->improving && gm_score(J->x, J->h[fr->p], y) <= fr->sx)
      continue;
    *w = gm_extract(&J->local, y) * J->hn + fr->p;
    return true;
  }
}

static uint32_t key_of(const rjob *J, uint32_t k, uint64_t code) {
  const gm_keys *K = J->keys;
  if (K->arr[k])
    return K->arr[k][gm_index(&J->x->space, code)];
  return gm_score(J->x, (uint32_t)K->dm[k], code);
}

static int cmp_u64(const void *p, const void *q) {
  uint64_t a = *(const uint64_t *)p, b = *(const uint64_t *)q;
  return a < b ? -1 : a > b;
}

static void min_into(uint32_t *dst, const uint32_t *src, uint32_t n) {
  for (uint32_t k = 0; k < n; k++)
    if (src[k] < dst[k])
      dst[k] = src[k];
}

/* Enters node w (state y, last mover p): numbered, on the stacks. False
 * when out of memory. */
static bool enter(const rjob *J, rwork *W, uint32_t w, uint64_t y, uint32_t p,
                  uint32_t *counter, size_t *nfr, size_t *nscc) {
  if (*nfr == W->nframes_cap) {
    size_t cap = W->nframes_cap * 2;
    frame *f = realloc(W->frames, cap * sizeof *f);
    if (!f)
      return false;
    W->frames = f;
    W->nframes_cap = cap;
  }
  W->index[w] = W->low[w] = (*counter)++;
  for (uint32_t k = 0; k < J->keys->n; k++)
    W->val[(size_t)w * J->keys->n + k] = key_of(J, k, y);
  W->scc[(*nscc)++] = w;
  W->frames[(*nfr)++] = (frame){.x = y, .v = w, .last = p, .p = 0};
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

static bool tarjan(const rjob *J, rwork *W, uint32_t root, uint64_t x,
                   uint32_t *counter) {
  uint32_t K = J->keys->n;
  size_t nfr = 0, nscc = 0;
  if (!enter(J, W, root, x, root % J->hn, counter, &nfr, &nscc))
    return false;
  while (nfr) {
    frame *fr = &W->frames[nfr - 1];
    uint32_t v = fr->v, w;
    if (next_succ(J, fr, &w)) {
      if (!W->index[w]) {
        if (!enter(J, W, w, fr->x ^ fr->d, fr->p, counter, &nfr, &nscc))
          return false;
      } else if (W->low[w] != DONE) /* on the stack: same component */
        W->low[v] = W->index[w] < W->low[v] ? W->index[w] : W->low[v];
      else
        min_into(&W->val[(size_t)v * K], &W->val[(size_t)w * K], K);
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
  if (W->index || W->T)
    return true;
  size_t n = J->nodes, sl = J->slots;
  if (needs_tarjan(J)) {
    W->index = malloc(n * sizeof *W->index);
    W->low = malloc(n * sizeof *W->low);
    W->val = malloc(n * J->keys->n * sizeof *W->val);
    W->scc = malloc(n * sizeof *W->scc);
    W->nframes_cap = 1024;
    W->frames = malloc(W->nframes_cap * sizeof *W->frames);
    if (!W->index || !W->low || !W->val || !W->scc || !W->frames)
      return false;
  }
  if (J->cube) {
    W->T = malloc(sl * sizeof *W->T);
    W->thr = malloc(sl * sizeof *W->thr);
    W->keyv = malloc(sl * sizeof *W->keyv);
    W->outv = malloc(sl * sizeof *W->outv);
    W->scratch = malloc(4 * sl * sizeof *W->scratch);
    if (!W->T || !W->thr || !W->keyv || !W->outv || !W->scratch)
      return false;
  }
  return true;
}

static void work_free(rwork *W) {
  free(W->index);
  free(W->low);
  free(W->val);
  free(W->scc);
  free(W->frames);
  free(W->T);
  free(W->thr);
  free(W->keyv);
  free(W->outv);
  free(W->scratch);
}

/* The minima for the states of one fibre, from the settled nodes: the
 * first step from s1 may be any member's move. */
static void fibre_out(const rjob *J, rwork *W, uint64_t base) {
  uint32_t K = J->keys->n;
  uint64_t sub = 0;
  do {
    uint64_t x = base | sub;
    if (gm_has(&J->x->space, x)) {
      uint32_t best[GM_MAX_KEYS], w;
      for (uint32_t k = 0; k < K; k++)
        best[k] = GM_NONE;
      frame fr = {.x = x, .last = J->hn};
      while (next_succ(J, &fr, &w))
        min_into(best, &W->val[(size_t)w * K], K);
      uint64_t idx = gm_index(&J->x->space, x);
      for (uint32_t k = 0; k < K; k++)
        J->out[k][idx] = best[k];
    }
    sub = (sub - J->OH) & J->OH;
  } while (sub);
}

/* The states of a fibre in slot order: slot k is base | pdep(k, OH). */
#define FOR_SLOTS(J, base, slot, x)                                            \
  for (uint64_t slot = 0, sub_ = 0, x = (base); slot < (J)->slots;             \
       slot++, sub_ = (sub_ - (J)->OH) & (J)->OH, x = (base) | sub_)

/* One mover (two DMs): min of key over its moves from each state, by a
 * region sweep, or over its improving moves by the threshold sweep. */
static void single_mover(const rjob *J, rwork *W, uint64_t base) {
  const gm_space *sp = &J->x->space;
  for (uint32_t k = 0; k < J->keys->n; k++) {
    FOR_SLOTS(J, base, slot, x) {
      bool has = gm_has(sp, x);
      W->keyv[slot] = has ? key_of(J, k, x) : GM_NONE;
      W->thr[slot] = has ? gm_score(J->x, J->h[0], x) : GM_NONE;
      W->T[slot] = has ? W->keyv[slot] : UINT64_MAX;
    }
    if (J->improving)
      gm_region_min_above(&J->cubes[0], W->thr, W->keyv, W->outv, J->slots,
                          W->scratch);
    else
      gm_region_min(&J->cubes[0], W->T, J->slots);
    FOR_SLOTS(J, base, slot, x) {
      if (!gm_has(sp, x))
        continue;
      J->out[k][gm_index(sp, x)] =
          J->improving ? W->outv[slot] : (uint32_t)W->T[slot];
    }
  }
}

/* After Tarjan: for each state, the min over every member's first move of
 * the settled value, by one region sweep per member. */
static void sweep_out(const rjob *J, rwork *W, uint64_t base) {
  const gm_space *sp = &J->x->space;
  uint32_t K = J->keys->n;
  for (uint32_t k = 0; k < K; k++) {
    for (uint64_t slot = 0; slot < J->slots; slot++)
      W->outv[slot] = GM_NONE;
    for (uint32_t p = 0; p < J->hn; p++) {
      FOR_SLOTS(J, base, slot, x) {
        uint32_t v = (uint32_t)(slot * J->hn + p);
        W->T[slot] = gm_has(sp, x) ? W->val[(size_t)v * K + k] : UINT64_MAX;
      }
      gm_region_min(&J->cubes[p], W->T, J->slots);
      for (uint64_t slot = 0; slot < J->slots; slot++)
        if (W->T[slot] < W->outv[slot])
          W->outv[slot] = (uint32_t)W->T[slot];
    }
    FOR_SLOTS(J, base, slot, x) {
      if (gm_has(sp, x))
        J->out[k][gm_index(sp, x)] = W->outv[slot];
    }
  }
}

static void do_fibre(void *p, unsigned worker, uint64_t f) {
  const rjob *J = p;
  rwork *W = &J->work[worker];
  if (W->failed || !work_alloc(J, W)) {
    W->failed = true; /* the analysis then fails as a whole */
    return;
  }
  uint64_t base = J->bases ? J->bases[f] : gm_pdep(f, J->fixed);
  if (!needs_tarjan(J)) {
    single_mover(J, W, base);
    return;
  }
  memset(W->index, 0, J->nodes * sizeof *W->index);
  uint32_t counter = 1;
  FOR_SLOTS(J, base, slot, x) {
    if (!gm_has(&J->x->space, x))
      continue;
    for (uint32_t pos = 0; pos < J->hn; pos++)
      if (!W->index[slot * J->hn + pos] &&
          !tarjan(J, W, (uint32_t)(slot * J->hn + pos), x, &counter)) {
        W->failed = true;
        return;
      }
  }
  if (J->cube && !J->improving)
    sweep_out(J, W, base);
  else
    fibre_out(J, W, base);
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

uint64_t gm_reach_fibre_nodes(const gm_ctx *x, uint64_t H) {
  uint64_t OH = options_of(x->c, H);
  return ((uint64_t)1 << __builtin_popcountll(OH)) *
         (uint64_t)__builtin_popcountll(H);
}

pl_status gm_reach_min(const gm_ctx *x, uint64_t H, bool improving,
                       const gm_keys *keys, uint32_t *const *out) {
  const pl_conflict *c = x->c;
  rjob J = {.x = x, .improving = improving, .keys = keys, .out = out};
  for (uint32_t i = 0; i < c->n; i++)
    if (H >> i & 1)
      J.h[J.hn++] = i;
  if (!J.hn) { /* nobody to move */
    for (uint64_t s = 0; s < x->space.count; s++)
      for (uint32_t k = 0; k < keys->n; k++)
        out[k][s] = GM_NONE;
    return PL_OK;
  }
  uint64_t all = ((uint64_t)1 << c->m) - 1; /* m <= 63 */
  J.OH = options_of(c, H);
  J.fixed = all & ~J.OH;
  if (__builtin_popcountll(J.OH) >= 32)
    return PL_EREFUSED;
  J.slots = (uint64_t)1 << __builtin_popcountll(J.OH);
  J.nodes = J.slots * J.hn;
  if (J.nodes >= DONE)
    return PL_EREFUSED;
  gm_pext_init(&J.local, J.OH);
  J.cube = x->space.kind != GM_SPACE_SORTED;
  for (uint32_t p = 0; p < J.hn; p++)
    gm_cube_init(&J.cubes[p], c, J.h[p], J.OH);
  uint64_t nfib = (uint64_t)1 << __builtin_popcountll(J.fixed);
  if (!J.cube) {
    if (!list_bases(&J))
      return PL_ENOMEM;
    nfib = J.nbases;
  }
  J.work = calloc(x->threads, sizeof *J.work);
  if (!J.work) {
    free(J.bases);
    return PL_ENOMEM;
  }
  gm_parallel_items(x->threads, nfib, do_fibre, &J);
  bool failed = false;
  for (unsigned t = 0; t < x->threads; t++) {
    failed |= J.work[t].failed;
    work_free(&J.work[t]);
  }
  free(J.work);
  free(J.bases);
  return failed ? PL_ENOMEM : PL_OK;
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

static uint64_t mix(uint64_t a) {
  a ^= a >> 33;
  a *= 0xff51afd7ed558ccdULL;
  a ^= a >> 33;
  a *= 0xc4ceb9fe1a85ec53ULL;
  return a ^ (a >> 33);
}

/* The slot of (code, mover) in pairs, or of code in first (mover < 0). */
static uint64_t find_slot(const gm_bfs *b, uint64_t code, int mover) {
  const uint32_t *tab = mover < 0 ? b->first : b->pairs;
  uint64_t h = mix(code * 67 + (uint64_t)(mover + 1)) & b->hmask;
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
