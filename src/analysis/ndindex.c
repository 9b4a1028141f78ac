/* ndindex.c - the dominance index (ndindex.h): static k-d trees with a box
 * per node, kept by the logarithmic method.
 *
 * Why k-d trees: a dominance query only needs the region above p, and a
 * node's box (the largest and smallest of each coordinate over its
 * points) says in k comparisons whether that region can hold one of them
 * (its largest corner answers) or holds all of them (its smallest corner
 * answers). Splitting on the widest coordinate keeps boxes small for the
 * thin, curved sets Pareto fronts are; a bucketed grid over sorted
 * coordinates was the alternative, but needs b^k cells. Why the
 * logarithmic method: the sweep and the archive's reduction insert as
 * they query, and rebuilding two trees of a size into one keeps every
 * tree balanced at O(log n) amortised rebuilds per point.
 */
#include "analysis/ndindex.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
  BUFFER = 32,                   /* points scanned before they go into a tree */
  LEAF = 8,                      /* at most this many points in a leaf */
  STACK = 2 * 72,                /* a walk's stack: two nodes a level at most */
  SEALED = PL_NDINDEX_LEVELS - 1 /* the slot of a compacted tree */
};

/* The tree is implicit: node i's points are a range of the tree order,
 * halved at each level (the larger split values in the upper half, child
 * 2i + 1; the lower half is child 2i + 2), down to at most LEAF points, so
 * a walk only reads boxes and points. */
struct pl_ndtree {
  size_t n, nnodes;
  double *u;   /* n * k, in tree order */
  size_t *id;  /* the caller's ids, in tree order */
  double *box; /* node i: k largest values at 2ki, then k smallest */
};

static void tree_free(pl_ndtree *t) {
  if (!t)
    return;
  free(t->u);
  free(t->id);
  free(t->box);
  free(t);
}

void pl_ndindex_init(pl_ndindex *x, uint32_t k) {
  memset(x, 0, sizeof *x);
  x->k = k;
}

void pl_ndindex_free(pl_ndindex *x) {
  free(x->buf);
  free(x->buf_id);
  for (int l = 0; l < PL_NDINDEX_LEVELS; l++)
    tree_free(x->level[l]);
  memset(x, 0, sizeof *x);
}

/* ---- Building a tree ---------------------------------------------------- */

/* The tree's own arrays, rearranged in place: rows are swapped, not
 * reached through a permutation, so that partitions read memory in
 * order. Every function takes k as an argument, and build is called
 * with a constant k for the common sizes (tree_build), so that the
 * compiler specialises and unrolls the loops over coordinates (a build
 * was 18 % of a five-party enumeration). */
typedef struct builder {
  double *u;  /* the tree's points, n * k */
  size_t *id; /* and their ids */
  pl_ndtree *t;
} builder;

static inline double coord(const builder *b, uint32_t k, size_t at,
                           uint32_t d) {
  return b->u[at * k + d];
}

static inline void swap_at(builder *b, uint32_t k, size_t i, size_t j) {
  double *x = b->u + i * k, *y = b->u + j * k;
  for (uint32_t d = 0; d < k; d++) {
    double t = x[d];
    x[d] = y[d];
    y[d] = t;
  }
  size_t t = b->id[i];
  b->id[i] = b->id[j];
  b->id[j] = t;
}

/* Rearranges rows [begin, end) so that place kth holds the point it would
 * hold sorted by coordinate d, smaller ones before it and larger ones
 * after (quickselect, three-way partitions: runs of equal values, which
 * Pareto sets have, cost one pass). */
static inline void select_kth(builder *b, uint32_t k, size_t begin, size_t end,
                              size_t kth, uint32_t d) {
  size_t lo = begin, hi = end;
  while (hi - lo > 1) {
    double x = coord(b, k, lo, d), y = coord(b, k, lo + (hi - lo) / 2, d),
           z = coord(b, k, hi - 1, d);
    double pivot =
        x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    size_t lt = lo, i = lo, gt = hi;
    while (i < gt) {
      double v = coord(b, k, i, d);
      if (v < pivot)
        swap_at(b, k, lt++, i++);
      else if (v > pivot)
        swap_at(b, k, i, --gt);
      else
        i++;
    }
    if (kth < lt)
      hi = lt;
    else if (kth >= gt)
      lo = gt;
    else
      return;
  }
}

/* Nodes a tree of n points needs in its implicit layout from node i. */
static size_t heap_size(size_t i, size_t n) {
  if (n <= LEAF)
    return i + 1;
  size_t hi = heap_size(2 * i + 1, n - n / 2), lo = heap_size(2 * i + 2, n / 2);
  return hi > lo ? hi : lo;
}

/* Node i, for rows [begin, end) and, beyond LEAF points, its children:
 * split at the median of the coordinate its points spread most on. */
static void build(builder *b, uint32_t k, size_t i, size_t begin, size_t end) {
  double *top = b->t->box + i * 2 * k, *bottom = top + k;
  for (uint32_t d = 0; d < k; d++)
    top[d] = bottom[d] = coord(b, k, begin, d);
  for (size_t x = begin + 1; x < end; x++)
    for (uint32_t d = 0; d < k; d++) {
      double v = coord(b, k, x, d);
      top[d] = v > top[d] ? v : top[d];
      bottom[d] = v < bottom[d] ? v : bottom[d];
    }
  if (end - begin <= LEAF)
    return;
  uint32_t split = 0;
  for (uint32_t d = 1; d < k; d++)
    if (top[d] - bottom[d] > top[split] - bottom[split])
      split = d;
  size_t mid = begin + (end - begin) / 2;
  select_kth(b, k, begin, end, mid, split);
  build(b, k, 2 * i + 1, mid, end);
  build(b, k, 2 * i + 2, begin, mid);
}

static void tree_build(builder *b, uint32_t k, size_t m) {
  switch (k) {
  case 3:
    build(b, 3, 0, 0, m);
    break;
  case 4:
    build(b, 4, 0, 0, m);
    break;
  case 5:
    build(b, 5, 0, 0, m);
    break;
  case 6:
    build(b, 6, 0, 0, m);
    break;
  default:
    build(b, k, 0, 0, m);
  }
}

/* A tree over m points (u: m * k, ids), or NULL when out of memory. */
static pl_ndtree *tree_new(uint32_t k, const double *u, const size_t *id,
                           size_t m, bool gather) {
  pl_ndtree *t = calloc(1, sizeof *t);
  if (t) {
    t->n = m;
    t->nnodes = m ? heap_size(0, m) : 1;
    t->u = malloc((m ? m : 1) * k * sizeof *t->u);
    t->id = malloc((m ? m : 1) * sizeof *t->id);
    t->box = malloc(t->nnodes * 2 * (k ? k : 1) * sizeof *t->box);
  }
  if (!t || !t->u || !t->id || !t->box) {
    tree_free(t);
    return NULL;
  }
  if (gather) /* point i is row id[i] of u */
    for (size_t i = 0; i < m; i++)
      for (uint32_t d = 0; d < k; d++)
        t->u[i * k + d] = u[id[i] * k + d];
  else
    memcpy(t->u, u, m * k * sizeof *u);
  memcpy(t->id, id, m * sizeof *id);
  builder b = {t->u, t->id, t};
  if (m > 0)
    tree_build(&b, k, m);
  return t;
}

/* ---- Queries ------------------------------------------------------------ */

/* A query as thresholds: x answers when x[j] >= p[j] for every j and
 * x[a] >= win[a] for some a that counts, win[a] being the smallest double
 * with win[a] - p[a] > gap[a]. x - p grows with x (IEEE subtraction is
 * monotone), so that is the same test as the subtraction's, with two
 * comparisons a coordinate and no arithmetic in the walk. */
typedef struct nd_query {
  const double *p;
  bool plain; /* no gap: plain dominance, pl_nd_dominates */
  double win[PL_NDINDEX_MAX_K];
  unsigned char counts[PL_NDINDEX_MAX_K];
} nd_query;

/* The smallest double t with t - p > g, found from p + g by stepping one
 * unit in the last place at a time (rounding puts it within a few); false
 * when that does not settle (huge or odd values: the caller then keeps
 * the coordinate out of the shortcut). */
static bool win_threshold(double p, double g, double *out) {
  double t = p + g;
  int steps = 0;
  while (!(t - p > g) && steps++ < 16)
    t = nextafter(t, INFINITY);
  if (!(t - p > g))
    return false;
  for (double d = nextafter(t, -INFINITY); d - p > g && steps++ < 32;
       d = nextafter(t, -INFINITY))
    t = d;
  if (steps >= 32 || !isfinite(t))
    return false;
  *out = t;
  return true;
}

static bool prepare_query(const pl_ndquery *q, uint32_t k, nd_query *out) {
  out->p = q->p;
  out->plain = !q->gap;
  if (out->plain)
    return true; /* pl_nd_dominates needs no thresholds */
  for (uint32_t j = 0; j < k; j++) {
    bool counts = !q->gap || q->counts[j];
    out->counts[j] = counts;
    out->win[j] = INFINITY;
    if (counts && !win_threshold(q->p[j], q->gap ? q->gap[j] : 0, &out->win[j]))
      return false;
  }
  return true;
}

/* Whether x answers the query: x >= p everywhere, and a win somewhere it
 * counts. Branch-free: the walk asks this of most nodes it visits. */
static inline bool answers(const double *x, const nd_query *q, uint32_t k) {
  unsigned below = 0, win = 0;
  for (uint32_t j = 0; j < k; j++) {
    below |= x[j] < q->p[j];
    win |= (x[j] >= q->win[j]) & q->counts[j];
  }
  return !below && win;
}

static inline bool hit(const double *x, const nd_query *q, uint32_t k,
                       bool plain) {
  return plain ? pl_nd_dominates(x, q->p, k) : answers(x, q, k);
}

/* Whether x >= p everywhere: for a plain query, the largest corner's test
 * without its "better somewhere" half, which fails only when the corner
 * equals p (then no point of the node answers, and the walk finds that
 * out below). */
static inline bool reaches(const double *x, const double *p, uint32_t k) {
#if defined(__SSE2__)
  if (k >= 4 && k <= 6) {
    __m128d lt =
        _mm_or_pd(_mm_cmplt_pd(_mm_loadu_pd(x), _mm_loadu_pd(p)),
                  _mm_cmplt_pd(_mm_loadu_pd(x + 2), _mm_loadu_pd(p + 2)));
    if (k == 6)
      lt =
          _mm_or_pd(lt, _mm_cmplt_pd(_mm_loadu_pd(x + 4), _mm_loadu_pd(p + 4)));
    return !_mm_movemask_pd(lt) && (k != 5 || !(x[4] < p[4]));
  }
#endif
  unsigned below = 0;
  for (uint32_t j = 0; j < k; j++)
    below |= x[j] < p[j];
  return !below;
}

static inline bool may_hold(const double *top, const nd_query *q, uint32_t k,
                            bool plain) {
  return plain ? reaches(top, q->p, k) : answers(top, q, k);
}

/* The same by the subtraction itself, for a query prepare_query could not
 * turn into thresholds. */
static bool answers_slow(const double *x, const pl_ndquery *q, uint32_t k) {
  const double *p = q->p;
  bool win = false;
  for (uint32_t j = 0; j < k; j++) {
    if (x[j] < p[j])
      return false;
    win |= q->gap ? q->counts[j] && x[j] - p[j] > q->gap[j] : x[j] > p[j];
  }
  return win;
}

/* Both box tests are exact: every point of a node is at most its largest
 * corner and at least its smallest, so the largest corner failing rules
 * out every point, and the smallest answering makes every point answer.
 * The stack holds (node, begin, end). Inlined for each common k, so that
 * the compiler unrolls the comparisons. */
static inline bool walk(const pl_ndtree *t, const nd_query *q, uint32_t k,
                        bool plain, size_t *id, uint64_t *seen) {
  size_t stack[3 * STACK];
  size_t top = 0;
  stack[0] = 0, stack[1] = 0, stack[2] = t->n;
  top = 3;
  while (top > 0) {
    top -= 3;
    size_t i = stack[top], begin = stack[top + 1], end = stack[top + 2];
    const double *box = t->box + i * 2 * k;
    ++*seen;
    if (!may_hold(box, q, k, plain))
      continue;
    /* A leaf's points are tested one by one: its smallest corner would
     * rarely answer for them all, and costs as much as two of them. Nor
     * is it asked in plain queries (the archive's): there it answered too
     * rarely to pay for itself (cachegrind, gen p5 i6 r0 enumerated: 8 %
     * more instructions with it). */
    if (!plain && end - begin > LEAF && hit(box + k, q, k, plain)) {
      *id = t->id[begin];
      return true;
    }
    if (end - begin <= LEAF) {
      for (size_t x = begin; x < end; x++)
        if (hit(t->u + x * k, q, k, plain)) {
          *seen += x - begin + 1;
          *id = t->id[x];
          return true;
        }
      *seen += end - begin;
      continue;
    }
    size_t mid = begin + (end - begin) / 2;
    stack[top] = 2 * i + 2, stack[top + 1] = begin, stack[top + 2] = mid;
    /* the upper half (larger split values) on top: likelier to answer */
    stack[top + 3] = 2 * i + 1, stack[top + 4] = mid, stack[top + 5] = end;
    top += 6;
  }
  return false;
}

static bool tree_find(const pl_ndtree *t, const nd_query *q, uint32_t k,
                      size_t *id, uint64_t *seen) {
  if (!t || t->n == 0)
    return false;
  bool plain = q->plain;
  switch (k) {
  case 3:
    return plain ? walk(t, q, 3, true, id, seen)
                 : walk(t, q, 3, false, id, seen);
  case 4:
    return plain ? walk(t, q, 4, true, id, seen)
                 : walk(t, q, 4, false, id, seen);
  case 5:
    return plain ? walk(t, q, 5, true, id, seen)
                 : walk(t, q, 5, false, id, seen);
  case 6:
    return plain ? walk(t, q, 6, true, id, seen)
                 : walk(t, q, 6, false, id, seen);
  default:
    return plain ? walk(t, q, k, true, id, seen)
                 : walk(t, q, k, false, id, seen);
  }
}

/* Every point by the subtraction itself, for a query prepare_query could
 * not turn into thresholds (huge or odd values: never in practice). */
static bool find_slow(const pl_ndindex *x, const pl_ndquery *q, size_t *id,
                      uint64_t *seen) {
  uint32_t k = x->k;
  for (size_t i = 0; i < x->nbuf; i++)
    if (++*seen, answers_slow(x->buf + i * k, q, k)) {
      *id = x->buf_id[i];
      return true;
    }
  for (int l = PL_NDINDEX_LEVELS; l-- > 0;)
    for (size_t i = 0; x->level[l] && i < x->level[l]->n; i++)
      if (++*seen, answers_slow(x->level[l]->u + i * k, q, k)) {
        *id = x->level[l]->id[i];
        return true;
      }
  return false;
}

bool pl_ndindex_find(const pl_ndindex *x, const pl_ndquery *q, size_t *id,
                     uint64_t *work) {
  uint32_t k = x->k;
  uint64_t seen = 0;
  bool found = false;
  nd_query fast;
  if (k > PL_NDINDEX_MAX_K || !prepare_query(q, k, &fast)) {
    found = find_slow(x, q, id, &seen);
  } else {
    for (size_t i = 0; i < x->nbuf && !found; i++)
      if (++seen, hit(x->buf + i * k, &fast, k, fast.plain)) {
        *id = x->buf_id[i];
        found = true;
      }
    /* The largest trees first: they hold most of the points. */
    for (int l = PL_NDINDEX_LEVELS; l-- > 0 && !found;)
      found = tree_find(x->level[l], &fast, k, id, &seen);
  }
  if (work)
    *work += seen;
  return found;
}

/* ---- Insertion ---------------------------------------------------------- */

/* One tree of the buffer and the levels [from, to) (and the sealed tree
 * when `sealed`), which are then emptied; NULL when out of memory, with
 * nothing changed. */
static pl_ndtree *gather(pl_ndindex *x, int from, int to, bool sealed) {
  uint32_t k = x->k;
  size_t m = x->nbuf;
  for (int l = from; l < to; l++)
    m += x->level[l] ? x->level[l]->n : 0;
  if (sealed && x->level[SEALED])
    m += x->level[SEALED]->n;
  if (m < x->nbuf)
    return NULL; /* cannot happen: sizes do not wrap */
  double *u = malloc(m * k * sizeof *u + 1);
  size_t *id = malloc(m * sizeof *id + 1);
  pl_ndtree *t = NULL;
  if (u && id) {
    size_t n = x->nbuf;
    memcpy(u, x->buf, n * k * sizeof *u);
    memcpy(id, x->buf_id, n * sizeof *id);
    for (int l = from; l <= to; l++) {
      pl_ndtree *s = l < to ? x->level[l] : sealed ? x->level[SEALED] : NULL;
      if (!s)
        continue;
      memcpy(u + n * k, s->u, s->n * k * sizeof *u);
      memcpy(id + n, s->id, s->n * sizeof *id);
      n += s->n;
    }
    t = tree_new(k, u, id, m, false);
  }
  free(u);
  free(id);
  if (!t)
    return NULL;
  for (int l = from; l < to; l++) {
    tree_free(x->level[l]);
    x->level[l] = NULL;
  }
  if (sealed) {
    tree_free(x->level[SEALED]);
    x->level[SEALED] = NULL;
  }
  x->nbuf = 0;
  return t;
}

bool pl_ndindex_add(pl_ndindex *x, const double *u, size_t id) {
  uint32_t k = x->k;
  if (!x->buf) {
    x->buf = malloc(BUFFER * (k ? k : 1) * sizeof *x->buf);
    x->buf_id = malloc(BUFFER * sizeof *x->buf_id);
    if (!x->buf || !x->buf_id) {
      x->failed = true;
      return false;
    }
  }
  if (x->nbuf == BUFFER) {
    int l = 0; /* the buffer and levels [0, l) make a tree of level l */
    while (l < SEALED - 1 && x->level[l])
      l++;
    pl_ndtree *t = gather(x, 0, l, false);
    if (!t) {
      x->failed = true;
      return false;
    }
    x->level[l] = t;
  }
  memcpy(x->buf + x->nbuf * k, u, k * sizeof *u);
  x->buf_id[x->nbuf++] = id;
  x->n++;
  return true;
}

bool pl_ndindex_build(pl_ndindex *x, const double *u, const size_t *rows,
                      size_t n) {
  if (n == 0)
    return true;
  pl_ndtree *t = x->n == 0 ? tree_new(x->k, u, rows, n, true) : NULL;
  if (!t) {
    x->failed = true;
    return false;
  }
  x->level[SEALED] = t;
  x->n = n;
  return true;
}

bool pl_ndindex_compact(pl_ndindex *x) {
  if (x->n == 0)
    return true;
  pl_ndtree *t = gather(x, 0, SEALED, true);
  if (!t) {
    x->failed = true;
    return false;
  }
  x->level[SEALED] = t;
  return true;
}
