/* mitm.c - counting a huge space by meet in the middle.
 *
 * The issues are split into a first half A and a second half B, each
 * enumerated once (sqrt N outcomes each instead of N). An outcome is a
 * pair (a, b), and an actor's utility is, as the enumeration sums it, a's
 * prefix sum continued by b's terms. That differs from a's sum plus b's
 * own sum by rounding only, at most delta (a bound from the terms' sizes),
 * so each pair and threshold is either surely met (b's sum >= the
 * threshold minus a's sum, plus delta), surely missed (below, minus
 * delta), or in a band of width 2 delta, where the pair is summed exactly
 * as the enumeration does. Sure pairs are counted with sorted lists (one
 * actor) or dominance counting (two: a sweep with a Fenwick tree; three:
 * divide and conquer over the first coordinate around that sweep). Rules
 * must each fall within one half, where they filter its outcomes.
 */
#include "analysis/mitm.h"

#include "analysis/orthant.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Divide and conquer counts dominance in up to three coordinates; four
 * and five (actors) go to the bit sets of orthant.c. */
enum { MAX_DIMS = 3, MAX_ACTORS = 5 };

typedef struct half {
  uint32_t first, last; /* issues [first, last) */
  size_t n;
  double *sum; /* n * na: the terms' sum in issue order, from 0 */
  uint8_t *ok; /* bit 0: constraints hold; bit 1 + p: p's red lines hold */
} half;

typedef struct mitm {
  const pl_scenario *s;
  uint32_t na, np;
  half A, B;
  double limit[MAX_ACTORS]; /* threshold - eps, as the enumeration compares */
  double delta[MAX_ACTORS];
  uint64_t band; /* pairs summed one by one so far */
  unsigned threads;
} mitm;

/* ---- The halves --------------------------------------------------------- */

static bool rule_within(const pl_rule *r, uint32_t first, uint32_t last) {
  for (uint32_t k = 0; k < r->nrefs; k++)
    if (r->refs[k] < first || r->refs[k] >= last)
      return false;
  return true;
}

static bool rules_split_at(const pl_scenario *s, uint32_t h) {
  uint32_t n = s->nissues;
  for (uint32_t c = 0; c < s->nconstraints; c++)
    if (!rule_within(&s->constraints[c], 0, h) &&
        !rule_within(&s->constraints[c], h, n))
      return false;
  for (uint32_t p = 0; p < s->nparties; p++)
    for (uint32_t k = 0; k < s->actors[p].nred_lines; k++)
      if (!rule_within(&s->actors[p].red_lines[k], 0, h) &&
          !rule_within(&s->actors[p].red_lines[k], h, n))
        return false;
  return true;
}

static double half_size(const pl_scenario *s, uint32_t first, uint32_t last) {
  double n = 1;
  for (uint32_t i = first; i < last; i++)
    n *= s->issues[i].nvalues;
  return n;
}

/* The split whose larger half is smallest, among those the rules allow;
 * 0 when none fits. */
static uint32_t choose_split(const pl_scenario *s) {
  uint32_t best = 0;
  double best_size = (double)PL_MITM_MAX_HALF + 1;
  for (uint32_t h = 1; h < s->nissues; h++) {
    double big = fmax(half_size(s, 0, h), half_size(s, h, s->nissues));
    if (big < best_size && rules_split_at(s, h)) {
      best = h;
      best_size = big;
    }
  }
  return best;
}

/* With four actors or more the zone's count grows with the product of
 * the halves' sizes (orthant.c): half a second at 10^10 outcomes, half a
 * minute at 10^12 (five parties). */
static bool orthant_affordable(const pl_scenario *s, uint32_t h) {
  uint32_t k = pl_num_actors(s);
  if (k <= MAX_DIMS)
    return true;
  double a = half_size(s, 0, h), b = half_size(s, h, s->nissues);
  double small = fmin(a, b), big = fmax(a, b);
  return pl_orthant_cost((size_t)small, (size_t)big, k) <= PL_MITM_MAX_WORK;
}

bool pl_mitm_applies(const pl_scenario *s) {
  return !s->nonadditive && pl_num_actors(s) <= MAX_ACTORS && s->nissues >= 2 &&
         choose_split(s) > 0;
}

static void decode(const pl_scenario *s, const half *h, size_t idx,
                   uint32_t *v) {
  for (uint32_t i = h->last; i-- > h->first;) {
    v[i] = (uint32_t)(idx % s->issues[i].nvalues);
    idx /= s->issues[i].nvalues;
  }
}

static bool rules_of_half_hold(const half *h, const pl_rule *r,
                               const uint32_t *v) {
  return !rule_within(r, h->first, h->last) || pl_rule_holds(r, v);
}

static bool build_half(const mitm *m, half *h) {
  const pl_scenario *s = m->s;
  h->n = (size_t)half_size(s, h->first, h->last);
  h->sum = malloc(h->n * m->na * sizeof *h->sum);
  h->ok = malloc(h->n);
  if (!h->sum || !h->ok)
    return false;
  uint32_t v[PL_MAX_ISSUES] = {0};
  for (size_t x = 0; x < h->n; x++) {
    decode(s, h, x, v);
    for (uint32_t a = 0; a < m->na; a++) {
      double u = 0;
      for (uint32_t i = h->first; i < h->last; i++)
        u += s->term[a][s->offset[i] + v[i]];
      h->sum[x * m->na + a] = u;
    }
    uint8_t ok = 1;
    for (uint32_t c = 0; c < s->nconstraints; c++)
      if (!rules_of_half_hold(h, &s->constraints[c], v))
        ok = 0;
    for (uint32_t p = 0; p < m->np; p++) {
      bool red = true;
      for (uint32_t k = 0; k < s->actors[p].nred_lines; k++)
        red &= rules_of_half_hold(h, &s->actors[p].red_lines[k], v);
      ok |= (uint8_t)(red << (1 + p));
    }
    h->ok[x] = ok;
  }
  return true;
}

/* Rounding allowance: sums of up to n + 1 terms of size <= M, regrouped,
 * and the threshold minus a prefix, differ from exact by far less. */
static void set_limits(mitm *m) {
  const pl_scenario *s = m->s;
  for (uint32_t a = 0; a < m->na; a++) {
    double M = 0;
    for (uint32_t i = 0; i < s->nissues; i++) {
      double big = 0;
      for (uint32_t v = 0; v < s->issues[i].nvalues; v++)
        big = fmax(big, fabs(s->term[a][s->offset[i] + v]));
      M += big;
    }
    m->limit[a] = s->actors[a].threshold - PL_EPS;
    m->delta[a] =
        4.0 * (s->nissues + 2) * (M + fabs(m->limit[a])) * DBL_EPSILON;
  }
}

/* The enumeration's sum for the pair: a's prefix, then b's terms. */
static bool pair_meets(const mitm *m, size_t ia, size_t ib,
                       const uint32_t *dims, uint32_t k) {
  const pl_scenario *s = m->s;
  uint32_t v[PL_MAX_ISSUES] = {0};
  decode(s, &m->B, ib, v);
  for (uint32_t d = 0; d < k; d++) {
    uint32_t a = dims[d];
    double u = m->A.sum[ia * m->na + a];
    for (uint32_t i = m->B.first; i < m->B.last; i++)
      u += s->term[a][s->offset[i] + v[i]];
    if (!(u >= m->limit[a]))
      return false;
  }
  return true;
}

/* ---- Dominance counting --------------------------------------------------
 * Points (from B) and queries (from A) in up to three coordinates; each
 * query counts the points at least as large in every coordinate. */

typedef struct elem {
  double x[MAX_DIMS];
  uint32_t query; /* UINT32_MAX for a point */
  uint32_t rank;  /* of the last coordinate among the points' (from 1) */
} elem;

typedef struct keyed {
  double key;
  size_t at;
} keyed;

/* The key's bits as an unsigned integer in the same order (-0 as +0). */
static uint64_t order_bits(double x) {
  x += 0.0;
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u >> 63 ? ~u : u | 1ULL << 63;
}

/* Stable sort by key, ascending: least significant digit first, 16 bits
 * at a time (millions of entries: several times faster than qsort). */
static void merge_keyed(keyed *a, keyed *tmp, size_t n) {
  if (n < 2)
    return;
  size_t h = n / 2, i = 0, j = h, o = 0;
  merge_keyed(a, tmp, h);
  merge_keyed(a + h, tmp, n - h);
  while (i < h && j < n)
    tmp[o++] = a[j].key < a[i].key ? a[j++] : a[i++];
  while (i < h)
    tmp[o++] = a[i++];
  while (j < n)
    tmp[o++] = a[j++];
  memcpy(a, tmp, n * sizeof *a);
}

static bool sort_keyed(keyed *a, size_t n) {
  if (n < 2)
    return true;
  keyed *tmp = malloc(n * sizeof *tmp);
  if (tmp && n < 65536) { /* the digit tables would cost more */
    merge_keyed(a, tmp, n);
    free(tmp);
    return true;
  }
  size_t *count = malloc(65536 * sizeof *count);
  if (!tmp || !count) {
    free(tmp);
    free(count);
    return false;
  }
  for (int shift = 0; shift < 64; shift += 16) {
    memset(count, 0, 65536 * sizeof *count);
    for (size_t i = 0; i < n; i++)
      count[(order_bits(a[i].key) >> shift) & 0xffff]++;
    size_t at = 0;
    for (size_t d = 0; d < 65536; d++) {
      size_t c = count[d];
      count[d] = at;
      at += c;
    }
    for (size_t i = 0; i < n; i++)
      tmp[count[(order_bits(a[i].key) >> shift) & 0xffff]++] = a[i];
    memcpy(a, tmp, n * sizeof *a);
  }
  free(tmp);
  free(count);
  return true;
}

/* Elements in descending order of coordinate x, stably (so points placed
 * before queries stay before them at equal values). */
static bool sort_elems_desc(elem *e, size_t n, uint32_t x, elem *scratch) {
  keyed *k = malloc((n ? n : 1) * sizeof *k);
  if (!k)
    return false;
  for (size_t i = 0; i < n; i++)
    k[i] = (keyed){-e[i].x[x], i};
  bool ok = sort_keyed(k, n);
  for (size_t i = 0; ok && i < n; i++)
    scratch[i] = e[k[i].at];
  if (ok)
    memcpy(e, scratch, n * sizeof *e);
  free(k);
  return ok;
}

typedef struct counter {
  uint32_t k;
  uint64_t *fen; /* Fenwick tree over the ranks of the last coordinate */
  double *ranks; /* distinct last coordinates of points, descending */
  size_t nranks;
  uint64_t *found; /* per query */
  elem *tmp;       /* 2n: a sweep's elements, then sorting room */
  bool failed;
} counter;

/* Number of distinct ranks >= q: the points with last coordinate >= q. */
static size_t rank_of(const counter *c, double q) {
  size_t lo = 0, hi = c->nranks;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->ranks[mid] >= q)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static void fen_add(counter *c, size_t pos, int64_t d) { /* pos from 1 */
  for (; pos <= c->nranks; pos += pos & -pos)
    c->fen[pos] += (uint64_t)d;
}

static uint64_t fen_sum(const counter *c, size_t pos) {
  uint64_t s = 0;
  for (; pos > 0; pos -= pos & -pos)
    s += c->fen[pos];
  return s;
}

/* Elements sorted so that points come before the queries they count in
 * the coordinate before `last`; the last coordinate goes to the tree. */
static void sweep(counter *c, elem *e, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (e[i].query == UINT32_MAX)
      fen_add(c, e[i].rank, 1);
    else
      c->found[e[i].query] += fen_sum(c, e[i].rank);
  }
  for (size_t i = 0; i < n; i++)
    if (e[i].query == UINT32_MAX)
      fen_add(c, e[i].rank, -1);
}

/* Three coordinates: e sorted by the first; left points count for right
 * queries by a sweep on the other two. */
static void divide(counter *c, elem *e, size_t n) {
  if (n < 2)
    return;
  size_t h = n / 2;
  divide(c, e, h);
  divide(c, e + h, n - h);
  size_t m = 0;
  for (size_t i = 0; i < h; i++)
    if (e[i].query == UINT32_MAX)
      c->tmp[m++] = e[i];
  size_t points = m;
  for (size_t i = h; i < n; i++)
    if (e[i].query != UINT32_MAX)
      c->tmp[m++] = e[i];
  if (points == 0 || points == m)
    return;
  if (!sort_elems_desc(c->tmp, m, 1, c->tmp + m)) {
    c->failed = true;
    return;
  }
  sweep(c, c->tmp, m);
}

static bool count_dominance(elem *e, size_t n, uint32_t k, uint64_t *found) {
  counter c = {.k = k, .found = found};
  size_t np = 0;
  for (size_t i = 0; i < n; i++)
    np += e[i].query == UINT32_MAX;
  keyed *r = malloc((np ? np : 1) * sizeof *r);
  c.ranks = malloc((np ? np : 1) * sizeof *c.ranks);
  c.fen = calloc(np + 1, sizeof *c.fen);
  c.tmp = malloc((n ? 2 * n : 1) * sizeof *c.tmp);
  bool ok = r && c.ranks && c.fen && c.tmp;
  /* The static analyzer counts the points (query == UINT32_MAX) of e
   * once when filling r and again when reading it, with different
   * assumptions, and reports reads of entries never written.
   * NOLINTBEGIN(clang-analyzer-core.uninitialized.Assign,clang-analyzer-core.CallAndMessage)
   */
  if (ok) {
    uint32_t last = k - 1;
    for (size_t i = 0; i < n; i++)
      if (e[i].query == UINT32_MAX)
        r[c.nranks++] = (keyed){-e[i].x[last], 0};
    ok = sort_keyed(r, c.nranks);
    size_t u = 0;
    for (size_t i = 0; ok && i < c.nranks; i++)
      if (u == 0 || -r[i].key != c.ranks[u - 1])
        c.ranks[u++] = -r[i].key;
    c.nranks = u;
    for (size_t i = 0; i < n; i++)
      e[i].rank = (uint32_t)rank_of(&c, e[i].x[last]);
    /* NOLINTEND(clang-analyzer-core.uninitialized.Assign,clang-analyzer-core.CallAndMessage)
     */
    /* points first, so that they stay first among equal values */
    size_t at = 0;
    for (size_t i = 0; i < n; i++)
      if (e[i].query == UINT32_MAX)
        c.tmp[at++] = e[i];
    for (size_t i = 0; i < n; i++)
      if (e[i].query != UINT32_MAX)
        c.tmp[at++] = e[i];
    memcpy(e, c.tmp, n * sizeof *e);
    ok = ok && sort_elems_desc(e, n, 0, c.tmp);
    if (ok && k <= 2)
      sweep(&c, e, n); /* k == 1: the first coordinate is also the last */
    else if (ok)
      divide(&c, e, n);
    ok = ok && !c.failed;
  }
  free(r);
  free(c.ranks);
  free(c.fen);
  free(c.tmp);
  return ok;
}

/* One coordinate: points and query thresholds both sorted, then one
 * walk (sorted memory, no binary searches over millions of points). e
 * holds q queries, then p points. */
static bool count_one(const elem *e, size_t q, size_t p, uint64_t *found) {
  keyed *b = malloc((p ? p : 1) * sizeof *b);
  keyed *t = malloc((q ? q : 1) * sizeof *t);
  bool ok = b && t;
  if (ok) {
    for (size_t j = 0; j < p; j++)
      b[j] = (keyed){e[q + j].x[0], j};
    for (size_t i = 0; i < q; i++)
      t[i] = (keyed){e[i].x[0], e[i].query};
    ok = sort_keyed(b, p) && sort_keyed(t, q);
  }
  if (ok) {
    size_t j = 0; /* first point >= the threshold */
    for (size_t i = 0; i < q; i++) {
      while (j < p && b[j].key < t[i].key)
        j++;
      found[t[i].at] = p - j;
    }
  }
  free(b);
  free(t);
  return ok;
}

/* ---- Counting pairs ------------------------------------------------------ */

/* Pairs in the band of dim d (and surely met in the dims before it, not
 * surely missed after it) that meet every threshold when summed exactly.
 * B is sorted by its sum in d, so each a finds its band by two binary
 * searches. */
static bool count_band(mitm *m, const uint32_t *dims, uint32_t k, uint32_t d,
                       const size_t *aidx, size_t q, const size_t *bidx,
                       size_t p, uint64_t *extra) {
  const half *A = &m->A, *B = &m->B;
  uint32_t na = m->na, ad = dims[d];
  keyed *b = malloc((p ? p : 1) * sizeof *b);
  keyed *a = malloc((q ? q : 1) * sizeof *a);
  *extra = 0;
  bool ok = a && b;
  if (ok) {
    for (size_t j = 0; j < p; j++)
      b[j] = (keyed){B->sum[bidx[j] * na + ad], bidx[j]};
    for (size_t i = 0; i < q; i++)
      a[i] = (keyed){m->limit[ad] - A->sum[aidx[i] * na + ad], aidx[i]};
    ok = sort_keyed(b, p) && sort_keyed(a, q);
  }
  size_t lo = 0, hi = 0; /* the band [c - delta, c + delta) in b */
  for (size_t i = 0; ok && i < q; i++) {
    size_t ia = a[i].at;
    double c = a[i].key;
    while (lo < p && b[lo].key < c - m->delta[ad])
      lo++;
    if (hi < lo)
      hi = lo;
    while (hi < p && b[hi].key < c + m->delta[ad])
      hi++;
    for (size_t j = lo; j < hi; j++) {
      size_t ib = b[j].at;
      bool fits = true;
      for (uint32_t e = 0; e < k && fits; e++) {
        if (e == d)
          continue;
        uint32_t ae = dims[e];
        double ce = m->limit[ae] - A->sum[ia * na + ae];
        double sb = B->sum[ib * na + ae];
        fits = e < d ? sb >= ce + m->delta[ae] : sb >= ce - m->delta[ae];
      }
      if (fits && pair_meets(m, ia, ib, dims, k))
        (*extra)++;
    }
    m->band += hi - lo;
    if (m->band > PL_MITM_MAX_BAND)
      break; /* the caller gives up */
  }
  free(a);
  free(b);
  return ok;
}

/* Four or five coordinates (orthant.c). A pair is surely met when T(b)
 * >= c(a) + delta in every coordinate: B's sums are the points and A's
 * requirements the queries, or, when A is the smaller list (the index's
 * memory grows with the square of the points), -(c(a) + delta) the points
 * and -T(b) the queries (negation is exact). */
static bool count_orthants(const mitm *m, size_t q, size_t p, uint32_t k,
                           double *qx, double *px, uint64_t *total) {
  if (p <= q)
    return pl_orthant_total(px, p, qx, q, k, m->threads, total);
  for (size_t i = 0; i < (q + p) * k; i++)
    qx[i] = -qx[i]; /* qx and px are one array */
  return pl_orthant_total(qx, q, px, p, k, m->threads, total);
}

/* Pairs (a, b), both passing `mask`, meeting the thresholds of dims. */
static bool count_pairs(mitm *m, uint8_t mask, const uint32_t *dims, uint32_t k,
                        uint64_t *total) {
  const half *A = &m->A, *B = &m->B;
  size_t na_ok = 0, nb_ok = 0;
  for (size_t x = 0; x < A->n; x++)
    na_ok += (A->ok[x] & mask) == mask;
  for (size_t x = 0; x < B->n; x++)
    nb_ok += (B->ok[x] & mask) == mask;
  size_t n = na_ok + nb_ok;
  uint64_t *found = calloc(na_ok ? na_ok : 1, sizeof *found);
  size_t *aidx = malloc((na_ok ? na_ok : 1) * sizeof *aidx);
  size_t *bidx = malloc((nb_ok ? nb_ok : 1) * sizeof *bidx);
  /* Coordinates: queries c(a) + delta, then points T(b), k each. */
  double *x = malloc((n ? n : 1) * k * sizeof *x);
  bool ok = found && aidx && bidx && x;
  size_t q = 0, p = 0;
  for (size_t i = 0; ok && i < A->n; i++)
    if ((A->ok[i] & mask) == mask) {
      for (uint32_t d = 0; d < k; d++) {
        double c = m->limit[dims[d]] - A->sum[i * m->na + dims[d]];
        x[q * k + d] = c + m->delta[dims[d]];
      }
      aidx[q++] = i;
    }
  for (size_t i = 0; ok && i < B->n; i++)
    if ((B->ok[i] & mask) == mask) {
      for (uint32_t d = 0; d < k; d++)
        x[(q + p) * k + d] = B->sum[i * m->na + dims[d]];
      bidx[p++] = i;
    }
  *total = 0;
  if (ok && k > MAX_DIMS) {
    ok = count_orthants(m, q, p, k, x, x + q * k, total);
  } else if (ok) {
    elem *e = malloc((n ? n : 1) * sizeof *e);
    for (size_t i = 0; e && i < n; i++) {
      for (uint32_t d = 0; d < k; d++)
        e[i].x[d] = x[i * k + d];
      e[i].query = i < q ? (uint32_t)i : UINT32_MAX;
    }
    free(x); /* copied: the sort needs the room */
    x = NULL;
    ok = e &&
         (k == 1 ? count_one(e, q, p, found) : count_dominance(e, n, k, found));
    for (size_t i = 0; ok && i < q; i++)
      *total += found[i];
    free(e);
  }
  free(x);
  free(found);
  /* The band: pairs where some threshold is neither surely met nor
   * surely missed; each is summed exactly, once (at its first such dim). */
  for (uint32_t d = 0; ok && d < k && m->band <= PL_MITM_MAX_BAND; d++) {
    uint64_t extra;
    ok = count_band(m, dims, k, d, aidx, q, bidx, p, &extra);
    *total += extra;
  }
  free(aidx);
  free(bidx);
  return ok;
}

pl_mitm_status pl_mitm_count(const pl_scenario *s, unsigned threads,
                             pl_mitm_counts *out) {
  mitm m = {
      .s = s, .na = pl_num_actors(s), .np = s->nparties, .threads = threads};
  memset(out, 0, sizeof *out);
  uint32_t h = choose_split(s);
  if (h == 0)
    return PL_MITM_NOMEM; /* callers ask pl_mitm_applies first */
  if (!orthant_affordable(s, h))
    return PL_MITM_OVER_BUDGET;
  m.A = (half){.first = 0, .last = h};
  m.B = (half){.first = h, .last = s->nissues};
  set_limits(&m);
  bool ok = build_half(&m, &m.A) && build_half(&m, &m.B);
  uint8_t all_red = 1;
  for (uint32_t p = 0; p < m.np; p++)
    all_red |= (uint8_t)(1u << (1 + p));
  if (ok) {
    uint64_t fa = 0, fb = 0;
    for (size_t x = 0; x < m.A.n; x++)
      fa += m.A.ok[x] & 1;
    for (size_t x = 0; x < m.B.n; x++)
      fb += m.B.ok[x] & 1;
    out->feasible = fa * fb;
  }
  for (uint32_t a = 0; ok && m.band <= PL_MITM_MAX_BAND && a < m.na; a++) {
    uint8_t mask = a < m.np ? (uint8_t)(1 | 1u << (1 + a)) : 1;
    uint64_t n;
    ok = count_pairs(&m, mask, &a, 1, &n);
    if (a < m.np)
      out->acceptable[a] = n;
    else
      out->approved[a - m.np] = n;
  }
  uint32_t dims[MAX_ACTORS] = {0, 1, 2, 3, 4};
  ok = ok && (m.band > PL_MITM_MAX_BAND ||
              count_pairs(&m, all_red, dims, m.na, &out->zone));
  free(m.A.sum);
  free(m.A.ok);
  free(m.B.sum);
  free(m.B.ok);
  return !ok                         ? PL_MITM_NOMEM
         : m.band > PL_MITM_MAX_BAND ? PL_MITM_TOO_SLOW
                                     : PL_MITM_OK;
}
