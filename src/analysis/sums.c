/* sums.c - the frontier of every outcome through its distinct partial sums.
 *
 * The enumeration sums each outcome's utilities in issue order. Two starts
 * (values of the first issues) whose sums are equal to the bit give equal
 * sums, to the bit, with any completion, so they need not be told apart
 * until the end: the distinct sums after each issue, each with the
 * (previous sum, value) pairs that lead to it, form a layered graph whose
 * paths from the empty start are the outcomes. Where issues repeat one
 * another the graph is tiny: AgentHp2 (five issues every party values
 * alike) has 20,712 distinct utility vectors for 5,764,801 outcomes, and
 * never more than 7 x 6,902 (sum, value) pairs in a layer. The frontier
 * is found among the distinct final vectors (capped as the enumeration
 * caps them), and each frontier vector's outcomes are read off its paths:
 * the same points and indices as the enumeration's archive, ties kept.
 *
 * When the sums stop repeating (fewer than SUMS_MIN_REPEAT outcomes per
 * distinct sum in a layer of more than SUMS_FREE_NODES), the graph gives
 * nothing the sweep does not, and building it is given up at once.
 */
#include "analysis/sums.h"
#include "util/radix.h"
#include "util/sort.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

/* Layers up to this many distinct sums are built whatever their repeat. */
#define SUMS_FREE_NODES 4096u
/* Beyond, at least this many outcomes per distinct sum, or give up. */
#define SUMS_MIN_REPEAT 8.0
/* Distinct sums in a layer, and (sum, value) pairs, at most. */
#define SUMS_MAX_NODES (1u << 21)
#define SUMS_MAX_EDGES (1u << 23)

typedef struct layer {
  size_t n;         /* distinct sums */
  double *u;        /* n * k; freed once the next layer is built */
  size_t *first;    /* n + 1: node j's pairs are [first[j], first[j + 1]) */
  uint32_t *parent; /* per pair: the node of the layer before */
  uint32_t *value;  /* per pair: the value of this layer's issue */
  double *paths;    /* per node: outcomes whose sums pass through it */
} layer;

typedef struct sums {
  const pl_scenario *s;
  uint32_t k, n; /* parties, issues */
  layer *lv;     /* n + 1 layers: lv[0] is the empty start */
  uint64_t stride[PL_MAX_ISSUES];
} sums;

bool pl_sums_applies(const pl_scenario *s) {
  if (s->has_boxes || s->nconstraints > 0 || s->nissues == 0)
    return false;
  for (uint32_t p = 0; p < s->nparties; p++)
    if (s->actors[p].nboxes > 0)
      return false;
  return true;
}

static uint64_t hash_vector(const double *u, uint32_t k) {
  uint64_t h = 0x9E3779B97F4A7C15ULL;
  for (uint32_t a = 0; a < k; a++) {
    uint64_t bits;
    memcpy(&bits, &u[a], sizeof bits);
    h = (h ^ bits) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
  }
  return h;
}

/* The pairs of the new layer, recorded in the order found, and the table
 * that finds a sum's node. */
typedef struct builder {
  uint32_t *node, *parent, *value; /* per pair */
  uint32_t *table;                 /* node + 1, or 0 for an empty slot */
  size_t mask, room;               /* table size - 1; room for sums in u */
} builder;

/* The node holding y, added when new; UINT32_MAX when out of memory. */
static uint32_t node_of(builder *b, layer *nx, const double *y, uint32_t k) {
  size_t at = hash_vector(y, k) & b->mask;
  for (; b->table[at]; at = (at + 1) & b->mask) {
    uint32_t j = b->table[at] - 1;
    if (!memcmp(nx->u + (size_t)j * k, y, k * sizeof *y))
      return j;
  }
  if (nx->n == b->room) {
    size_t room = b->room * 2;
    double *u = realloc(nx->u, room * k * sizeof *u);
    if (!u)
      return UINT32_MAX;
    nx->u = u;
    b->room = room;
  }
  memcpy(nx->u + nx->n * k, y, k * sizeof *y);
  b->table[at] = (uint32_t)++nx->n;
  return (uint32_t)(nx->n - 1);
}

/* Groups the pairs by node (counting sort) and counts each node's paths. */
static bool index_pairs(const builder *b, size_t npairs, const layer *cur,
                        layer *nx) {
  nx->first = calloc(nx->n + 1, sizeof *nx->first);
  nx->parent = malloc((npairs ? npairs : 1) * sizeof *nx->parent);
  nx->value = malloc((npairs ? npairs : 1) * sizeof *nx->value);
  nx->paths = calloc(nx->n ? nx->n : 1, sizeof *nx->paths);
  if (!nx->first || !nx->parent || !nx->value || !nx->paths)
    return false;
  for (size_t e = 0; e < npairs; e++)
    nx->first[b->node[e] + 1]++;
  for (size_t j = 0; j < nx->n; j++)
    nx->first[j + 1] += nx->first[j];
  size_t *fill = malloc((nx->n ? nx->n : 1) * sizeof *fill);
  if (!fill)
    return false;
  memcpy(fill, nx->first, nx->n * sizeof *fill);
  for (size_t e = 0; e < npairs; e++) {
    size_t at = fill[b->node[e]]++;
    nx->parent[at] = b->parent[e];
    nx->value[at] = b->value[e];
    nx->paths[b->node[e]] += cur->paths[b->parent[e]];
  }
  free(fill);
  return true;
}

/* Builds layer i + 1 from layer i by the values of issue i. */
static pl_sweep_status grow(sums *g, uint32_t i, double space) {
  const pl_scenario *s = g->s;
  layer *cur = &g->lv[i], *nx = &g->lv[i + 1];
  uint32_t k = g->k, nv = s->issues[i].nvalues;
  bool last = i + 1 == g->n;
  double cand = (double)cur->n * nv;
  if (cand > SUMS_MAX_EDGES)
    return PL_SWEEP_TOO_LARGE;
  size_t npairs = (size_t)cand;
  double limit = space / SUMS_MIN_REPEAT;
  if (limit < SUMS_FREE_NODES)
    limit = SUMS_FREE_NODES;
  if (limit > SUMS_MAX_NODES)
    limit = SUMS_MAX_NODES;
  size_t slots = 1;
  while (slots < 2 * (npairs < limit ? npairs : (size_t)limit))
    slots *= 2;
  builder b = {.node = malloc(npairs * sizeof *b.node),
               .parent = malloc(npairs * sizeof *b.parent),
               .value = malloc(npairs * sizeof *b.value),
               .table = calloc(slots, sizeof *b.table),
               .mask = slots - 1,
               .room = npairs < 65536 ? (npairs ? npairs : 1) : 65536};
  nx->u = malloc(b.room * k * sizeof *nx->u);
  pl_sweep_status st = PL_SWEEP_OK;
  if (!b.node || !b.parent || !b.value || !b.table || !nx->u)
    st = PL_SWEEP_NOMEM;
  size_t e = 0;
  for (size_t x = 0; x < cur->n && st == PL_SWEEP_OK; x++)
    for (uint32_t v = 0; v < nv; v++) {
      double y[PL_MAX_PARTIES];
      for (uint32_t a = 0; a < k; a++) {
        y[a] = cur->u[x * k + a] + s->term[a][s->offset[i] + v];
        if (last && s->actors[a].capped && y[a] > 1.0)
          y[a] = 1.0; /* pl_actor_finish, as the enumeration applies it */
      }
      uint32_t j = node_of(&b, nx, y, k);
      if (j == UINT32_MAX) {
        st = PL_SWEEP_NOMEM;
        break;
      }
      if (nx->n > limit) { /* the sums no longer repeat enough to pay */
        st = PL_SWEEP_TOO_LARGE;
        break;
      }
      b.node[e] = j;
      b.parent[e] = (uint32_t)x;
      b.value[e] = v;
      e++;
    }
  if (st == PL_SWEEP_OK && !index_pairs(&b, e, cur, nx))
    st = PL_SWEEP_NOMEM;
  free(b.node);
  free(b.parent);
  free(b.value);
  free(b.table);
  if (!last) {
    free(cur->u);
    cur->u = NULL;
  }
  return st;
}

/* Appends the outcome indices of every path from the start to node j of
 * layer l, acc holding the part of the index fixed by the later issues. */
static void expand(const sums *g, uint32_t l, uint32_t j, uint64_t acc,
                   uint64_t *out, size_t *n) {
  const layer *lv = &g->lv[l];
  uint64_t stride = g->stride[l - 1];
  for (size_t e = lv->first[j]; e < lv->first[j + 1]; e++) {
    uint64_t at = acc + lv->value[e] * stride;
    if (l == 1)
      out[(*n)++] = at;
    else
      expand(g, l - 1, lv->parent[e], at, out, n);
  }
}

/* Sorts x[0 .. n) ascending: by insertion when short, else by the radix
 * sort (tmp: room for 2n records). */
static void sort_indices(uint64_t *x, size_t n, pl_keyed *tmp) {
  if (n <= 32) {
    for (size_t i = 1; i < n; i++) {
      uint64_t v = x[i];
      size_t j = i;
      for (; j > 0 && x[j - 1] > v; j--)
        x[j] = x[j - 1];
      x[j] = v;
    }
    return;
  }
  for (size_t i = 0; i < n; i++)
    tmp[i] = (pl_keyed){x[i], 0};
  pl_radix_sort(tmp, tmp + n, n);
  for (size_t i = 0; i < n; i++)
    x[i] = tmp[i].key;
}

/* The outcomes of the frontier's vectors (best first), each vector's in
 * index order: the enumeration archive's order. */
static pl_sweep_status read_off(const sums *g, const pl_archive *best,
                                size_t max_points, pl_archive *out) {
  const layer *end = &g->lv[g->n];
  uint32_t k = g->k;
  double total = 0;
  for (size_t d = 0; d < best->n; d++)
    total += end->paths[best->index[d]];
  if (total > (double)max_points)
    return PL_SWEEP_TOO_LARGE;
  size_t n = (size_t)total, most = 1;
  for (size_t d = 0; d < best->n; d++)
    if (end->paths[best->index[d]] > (double)most)
      most = (size_t)end->paths[best->index[d]];
  out->index = malloc((n ? n : 1) * sizeof *out->index);
  out->u = malloc((n ? n : 1) * k * sizeof *out->u);
  pl_keyed *tmp = malloc(2 * most * sizeof *tmp);
  if (!out->index || !out->u || !tmp) {
    free(tmp);
    return PL_SWEEP_NOMEM;
  }
  size_t at = 0;
  for (size_t d = 0; d < best->n; d++) {
    size_t from = at;
    expand(g, g->n, (uint32_t)best->index[d], 0, out->index, &at);
    sort_indices(out->index + from, at - from, tmp);
    for (size_t x = from; x < at; x++)
      memcpy(out->u + x * k, best->u + d * k, k * sizeof *out->u);
  }
  free(tmp);
  out->n = out->cap = out->clean = at;
  return PL_SWEEP_OK;
}

typedef struct by_vector {
  const double *u;
  uint32_t k;
} by_vector;

/* Utilities descending, lexicographically (the archive's order). */
static int vector_before(const void *ctx, size_t x, size_t y) {
  const by_vector *c = ctx;
  const double *ux = c->u + x * c->k, *uy = c->u + y * c->k;
  for (uint32_t a = 0; a < c->k; a++)
    if (ux[a] != uy[a])
      return ux[a] > uy[a] ? -1 : 1;
  return 0;
}

static int ascending_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

/* Three parties, n distinct vectors: in the archive's order every
 * dominator of p comes before p (it is at least p's everywhere and not
 * equal), and whatever comes before has a first utility >= p's; so p is
 * dominated exactly when some earlier vector has second and third
 * utilities >= p's: the largest third over the earlier ones whose second
 * is >= p's, kept in a Fenwick tree over the seconds' ranks (descending).
 * O(n log n) instead of the archive's passes over its points. */
static pl_sweep_status cut3(const double *u, size_t n, pl_archive *best) {
  size_t *perm = malloc((n ? n : 1) * sizeof *perm);
  size_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
  double *second = malloc((n ? n : 1) * sizeof *second);
  double *tree = malloc((n + 1) * sizeof *tree);
  best->index = malloc((n ? n : 1) * sizeof *best->index);
  best->u = malloc((n ? n : 1) * 3 * sizeof *best->u);
  pl_sweep_status st = PL_SWEEP_NOMEM;
  if (perm && tmp && second && tree && best->index && best->u) {
    for (size_t j = 0; j < n; j++) {
      perm[j] = j;
      second[j] = u[j * 3 + 1];
    }
    by_vector c = {u, 3};
    pl_sort_perm(perm, tmp, n, vector_before, &c);
    qsort(second, n, sizeof *second, ascending_double);
    size_t m = 0; /* distinct seconds, ascending */
    for (size_t j = 0; j < n; j++)
      if (m == 0 || second[j] != second[m - 1])
        second[m++] = second[j];
    for (size_t j = 0; j <= m; j++)
      tree[j] = -DBL_MAX;
    size_t kept = 0;
    for (size_t r = 0; r < n; r++) {
      const double *p = u + perm[r] * 3;
      /* Position, counted from the largest second, of p's second. */
      size_t lo = 0, hi = m;
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (second[mid] < p[1])
          lo = mid + 1;
        else
          hi = mid;
      }
      size_t pos = m - lo; /* 1-based: seconds >= p[1] are positions 1..pos */
      double top = -DBL_MAX;
      for (size_t x = pos; x > 0; x &= x - 1)
        top = tree[x] > top ? tree[x] : top;
      if (!(top >= p[2])) {
        best->index[kept] = perm[r];
        memcpy(best->u + kept * 3, p, 3 * sizeof *p);
        kept++;
      }
      for (size_t x = pos; x <= m; x += x & (~x + 1))
        tree[x] = p[2] > tree[x] ? p[2] : tree[x];
    }
    best->n = best->cap = best->clean = kept;
    st = PL_SWEEP_OK;
  }
  free(perm);
  free(tmp);
  free(second);
  free(tree);
  return st;
}

/* The frontier among the distinct final vectors (no two equal, so the
 * archive's order is the utilities' alone). */
static pl_sweep_status final_cut(const sums *g, pl_archive *best) {
  const layer *end = &g->lv[g->n];
  pl_archive_init(best, g->k);
  if (g->k == 3)
    return cut3(end->u, end->n, best);
  for (size_t j = 0; j < end->n; j++)
    pl_archive_add(best, j, end->u + j * g->k);
  pl_archive_finish(best);
  return best->failed ? PL_SWEEP_NOMEM : PL_SWEEP_OK;
}

pl_sweep_status pl_sums_frontier(const pl_scenario *s, size_t max_points,
                                 pl_archive *out) {
  pl_archive_init(out, s->nparties);
  if (!pl_sums_applies(s))
    return PL_SWEEP_TOO_LARGE;
  sums g = {.s = s, .k = s->nparties, .n = s->nissues};
  g.lv = calloc(g.n + 1, sizeof *g.lv);
  if (!g.lv)
    return PL_SWEEP_NOMEM;
  uint64_t stride = 1;
  for (uint32_t i = g.n; i-- > 0;) {
    g.stride[i] = stride;
    stride *= s->issues[i].nvalues;
  }
  pl_sweep_status st = PL_SWEEP_NOMEM;
  layer *root = &g.lv[0];
  root->n = 1;
  root->u = calloc(g.k ? g.k : 1, sizeof *root->u); /* the empty start */
  root->paths = malloc(sizeof *root->paths);
  if (root->u && root->paths) {
    root->paths[0] = 1;
    st = PL_SWEEP_OK;
    double space = 1;
    for (uint32_t i = 0; i < g.n && st == PL_SWEEP_OK; i++) {
      space *= s->issues[i].nvalues;
      st = grow(&g, i, space);
    }
  }
  if (st == PL_SWEEP_OK) {
    pl_archive best;
    st = final_cut(&g, &best);
    if (st == PL_SWEEP_OK)
      st = read_off(&g, &best, max_points, out);
    pl_archive_free(&best);
  }
  if (st != PL_SWEEP_OK) {
    pl_archive_free(out);
    pl_archive_init(out, s->nparties);
  }
  for (uint32_t l = 0; l <= g.n; l++) {
    free(g.lv[l].u);
    free(g.lv[l].first);
    free(g.lv[l].parent);
    free(g.lv[l].value);
    free(g.lv[l].paths);
  }
  free(g.lv);
  return st;
}
