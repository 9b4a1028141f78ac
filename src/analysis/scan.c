#include "analysis/scan.h"

#include "util/parallel.h"

#include <float.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Each worker's state starts on its own cache line, and so do the arrays it
 * writes for every outcome: two threads writing one line would slow each
 * other down (false sharing). */
enum { CACHE_LINE = 64 };

/* Whether a test that only saves work (an archive's dominance of a whole
 * block or super-block) is worth making: it is skipped while it rarely
 * succeeds, and made again now and then in case that changes. Its answer
 * never changes a result, only how much is offered to the archive. */
typedef struct gate {
  uint32_t tries, hits, idle;
} gate;

enum {
  GATE_WARM = 64,    /* always tested for the first tries */
  GATE_RATIO = 16,   /* ... then while one try in 16 or more succeeds */
  GATE_PROBE = 16,   /* ... and else once in this many chances */
  GATE_WINDOW = 1024 /* counts halved at this many tries: recent ones count */
};

static bool gate_open(gate *g) {
  if (g->tries < GATE_WARM || g->hits * GATE_RATIO >= g->tries ||
      ++g->idle >= GATE_PROBE) {
    g->idle = 0;
    return true;
  }
  return false;
}

static void gate_note(gate *g, bool hit) {
  g->tries++;
  g->hits += hit;
  if (g->tries >= GATE_WINDOW) {
    g->tries /= 2;
    g->hits /= 2;
  }
}

typedef struct worker {
  _Alignas(CACHE_LINE) scan_result r;
  uint32_t *digits;
  double *prefix;     /* (n + 1) * na running sums */
  double *u;          /* finished utilities of non-additive scenarios */
  uint64_t open_last; /* block kernel: last-issue values seen in the zone */
  /* Block kernel: an archive dominates every outcome of the current
   * super-block (see super_block), which then offers it nothing. */
  bool zone_skip, all_skip;
  /* Per archive (zone, all): its test of a block's best, of a super-block's. */
  gate block_gate[2], super_gate[2];
  /* [i]: the BEATEN_* flags of digits[0 .. i) (see find_beaten). */
  uint8_t *beaten_upto;
  bool ok;
} worker;

typedef struct scan_ctx {
  const scan_spec *spec;
  const pl_scenario *s;
  uint32_t n, np, na;
  double *cell;      /* cell[(offset[i] + v) * na + a]: actors side by side */
  double *threshold; /* per actor */
  worker *workers;
  /* Block kernel (see scan_blocks): used when utilities are sums, capped
   * or not, and no rule mentions the last issue. */
  bool blocks;
  /* Per actor, the cap applied to each sum (see cap_at): 1 for a GENIUS
   * actor whose sums can exceed 1, +inf otherwise. */
  double ceiling[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  /* Per actor, the largest prefix sum of every issue but the last. */
  double prefix_max[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  uint8_t *beaten;    /* per value overall (offset[i] + v): BEATEN_* flags */
  uint32_t V;         /* values of the last issue (its radix) */
  double *col;        /* col[a * V + v]: actor a's term for value v */
  double *sorted;     /* each actor's column, ascending */
  uint64_t *suffix;   /* [a * (V + 1) + j]: values of sorted[j ..] */
  double *colmax;     /* per actor */
  double *max2;       /* per actor: its best term of the issue before last */
  double *min2;       /* ... and its worst */
  bool super_fast;    /* no rule mentions the last two issues (super_whole) */
  uint64_t zone_cand; /* values that may be on the zone's frontier */
  uint64_t all_cand;  /* ... on the feasible outcomes' frontier */
  double inv_max[PL_MAX_PARTIES]; /* 1 / opp_max, 0 where opp_max <= 0 */
  /* Per party, the best entry among the frontier candidates. */
  double zone_cand_max[PL_MAX_PARTIES], all_cand_max[PL_MAX_PARTIES];
  atomic_uint_fast64_t visited; /* outcomes, for spec->progress */
  uint64_t total;
} scan_ctx;

/* After a chunk: count it, and let the calling thread (worker 0 of
 * pl_parallel_for) report, so that reports never overlap. */
static void chunk_done(scan_ctx *c, unsigned wid, uint64_t n) {
  uint64_t done = atomic_fetch_add(&c->visited, n) + n;
  if (wid == 0 && c->spec->progress)
    c->spec->progress(c->spec->progress_ctx, c->spec->stage, done, c->total);
}

/* Zeroed memory on a cache line of its own (rounded up to whole lines). */
static void *line_alloc(size_t size) {
  size = (size + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
  void *p = aligned_alloc(CACHE_LINE, size ? size : CACHE_LINE);
  if (p)
    memset(p, 0, size);
  return p;
}

static bool result_init(scan_result *r, const pl_scenario *s, unsigned what) {
  memset(r, 0, sizeof *r);
  uint32_t np = s->nparties, nr = s->nratifiers;
  r->acceptable = line_alloc(np * sizeof *r->acceptable);
  r->approved = line_alloc((nr ? nr : 1) * sizeof *r->approved);
  r->best_feasible = line_alloc(np * sizeof *r->best_feasible);
  r->ideal = line_alloc(np * sizeof *r->ideal);
  r->open = what & SCAN_OPEN ? line_alloc(s->total_values) : NULL;
  pl_archive_init(&r->zone_front, np);
  pl_archive_init(&r->all_front, np);
  r->best_margin = -DBL_MAX;
  r->opposition = DBL_MAX;
  if (!r->acceptable || !r->approved || !r->best_feasible || !r->ideal ||
      ((what & SCAN_OPEN) && !r->open))
    return false;
  for (uint32_t p = 0; p < np; p++)
    r->best_feasible[p] = r->ideal[p] = -DBL_MAX;
  return true;
}

void pl_scan_result_free(scan_result *r) {
  free(r->acceptable);
  free(r->approved);
  free(r->best_feasible);
  free(r->ideal);
  free(r->open);
  pl_archive_free(&r->zone_front);
  pl_archive_free(&r->all_front);
  memset(r, 0, sizeof *r);
}

/* Prefix sums of issues `from` .. upto-1, after digits[from..] changed. */
static void refresh_upto(const scan_ctx *c, worker *w, uint32_t from,
                         uint32_t upto) {
  const uint32_t *off = c->s->offset;
  uint32_t na = c->na;
  for (uint32_t i = from; i < upto; i++) {
    const double *prev = w->prefix + (size_t)i * na;
    double *next = w->prefix + (size_t)(i + 1) * na;
    const double *add = c->cell + (size_t)(off[i] + w->digits[i]) * na;
    for (uint32_t a = 0; a < na; a++)
      next[a] = prev[a] + add[a];
  }
}

static bool party_rules_hold(const pl_actor *p, const uint32_t *v) {
  for (uint32_t k = 0; k < p->nred_lines; k++)
    if (!pl_rule_holds(&p->red_lines[k], v))
      return false;
  return true;
}

static void note_zone(const scan_ctx *c, worker *w, uint64_t idx,
                      const double *u) {
  scan_result *r = &w->r;
  r->zone++;
  for (uint32_t p = 0; p < c->np; p++)
    if (u[p] > r->ideal[p])
      r->ideal[p] = u[p];
  if (c->spec->what & SCAN_FRONTIER)
    pl_archive_add(&r->zone_front, idx, u);
  if (r->open)
    for (uint32_t i = 0; i < c->n; i++)
      r->open[c->s->offset[i] + w->digits[i]] = 1;
}

static void note_opposition(const scan_ctx *c, worker *w, uint64_t idx,
                            const double *u) {
  double d = 0;
  for (uint32_t p = 0; p < c->np; p++) {
    double m = c->spec->opp_max[p];
    double t = m > 0 ? 1.0 - u[p] / m : 0.0;
    d += t * t;
  }
  if (d < w->r.opposition ||
      (d == w->r.opposition && idx < w->r.opposition_index)) {
    w->r.opposition = d;
    w->r.opposition_index = idx;
  }
}

/* Everything the analysis learns from one outcome. */
static void visit(const scan_ctx *c, worker *w, uint64_t idx) {
  const pl_scenario *s = c->s;
  const uint32_t *v = w->digits;
  const double *u = w->prefix + (size_t)c->n * c->na;
  scan_result *r = &w->r;
  if (s->nonadditive) { /* boxes and caps on top of the additive sums */
    for (uint32_t a = 0; a < c->na; a++)
      w->u[a] = pl_actor_finish(&s->actors[a], u[a], v);
    u = w->u;
  }
  bool feasible = true;
  for (uint32_t k = 0; k < s->nconstraints && feasible; k++)
    feasible = pl_rule_holds(&s->constraints[k], v);
  bool all_red = feasible;
  if (feasible) {
    r->feasible++;
    r->any_feasible = true;
    for (uint32_t p = 0; p < c->np; p++) {
      bool red = party_rules_hold(&s->actors[p], v);
      all_red &= red;
      if (red && u[p] >= c->threshold[p] - PL_EPS)
        r->acceptable[p]++;
      if (u[p] > r->best_feasible[p])
        r->best_feasible[p] = u[p];
    }
    for (uint32_t a = c->np; a < c->na; a++)
      if (u[a] >= c->threshold[a] - PL_EPS)
        r->approved[a - c->np]++;
    if (c->spec->what & SCAN_FRONTIER_ALL)
      pl_archive_add(&r->all_front, idx, u);
    if (c->spec->what & SCAN_OPPOSITION)
      note_opposition(c, w, idx, u);
  }
  if (!all_red)
    return;
  /* Thresholds are met as the reference compares them, u >= t - 1e-9, so
   * the zone agrees with the per-actor verdicts to the last bit. */
  double margin = DBL_MAX;
  bool meets = true;
  for (uint32_t a = 0; a < c->na; a++) {
    double m = u[a] - c->threshold[a];
    if (m < margin)
      margin = m;
    meets &= u[a] >= c->threshold[a] - PL_EPS;
  }
  r->any_ruled = true;
  if (margin > r->best_margin ||
      (margin == r->best_margin && idx < r->best_margin_index)) {
    r->best_margin = margin;
    r->best_margin_index = idx;
  }
  if (meets)
    note_zone(c, w, idx, u);
}

static void scan_chunk(void *vctx, unsigned wid, uint64_t begin, uint64_t end) {
  scan_ctx *c = vctx;
  worker *w = &c->workers[wid];
  const uint32_t *radix = c->spec->radix;
  uint64_t x = begin;
  for (uint32_t i = c->n; i-- > 0;) {
    w->digits[i] = (uint32_t)(x % radix[i]);
    x /= radix[i];
  }
  refresh_upto(c, w, 0, c->n);
  for (uint64_t idx = begin;;) {
    visit(c, w, idx);
    if (++idx == end)
      break;
    uint32_t i = c->n - 1;
    while (++w->digits[i] == radix[i]) /* odometer; idx < total: no wrap */
      w->digits[i--] = 0;
    refresh_upto(c, w, i, c->n);
  }
  chunk_done(c, wid, end - begin);
}

/* ---- Block kernel -------------------------------------------------------
 *
 * Outcomes that differ only in the last issue form a block. When
 * utilities are sums (no boxes), no rule mentions the last issue and it
 * has at most 64 values, everything but the last term is the same across
 * a block: the rules are checked once, and each utility is the block's
 * prefix sum plus one column entry, the very addition the general kernel
 * makes, then capped as pl_actor_finish caps it, so every bit agrees.
 *
 * A block is handled as bit masks over the last issue's values. Which
 * values meet an actor's threshold is a suffix of its column sorted
 * ascending (rounding is monotone), found by binary search: counts are
 * popcounts, and the zone is the AND of the actors' masks. The margin and
 * opposition loops run only when a bound from the block's best entries
 * says they could improve; frontier archives are offered only values that
 * no other value beats for every actor by more than rounding can hide,
 * and nothing at all when an archive point dominates the block's best or
 * when a digit before the last is a value another value of its issue
 * beats (find_beaten).
 *
 * GENIUS caps each utility at 1 (min(1, sum)). The cap is monotone, so
 * every bound below stays a bound once capped the same way (cap_at), and
 * a column sorted by entry is sorted by capped utility too. */

enum { BLOCK_MAX_VALUES = 64 };

typedef uint64_t vmask; /* bit v: value v of the last issue */

static bool blocks_apply(const scan_spec *spec) {
  const pl_scenario *s = spec->s;
  if (spec->general_kernel || s->has_boxes || s->nissues == 0)
    return false;
  uint32_t last = s->nissues - 1;
  if (spec->radix[last] > BLOCK_MAX_VALUES)
    return false;
  bool only_last[PL_MAX_ISSUES] = {false};
  only_last[last] = true;
  return !pl_rules_mention(s, only_last);
}

/* Actor a's utility from its sum x, bit for bit as pl_actor_finish makes
 * it for an actor without boxes: x > 1 ? 1 : x when capped, else x (the
 * ceiling is then +inf). */
static inline double cap_at(const scan_ctx *c, uint32_t a, double x) {
  return x > c->ceiling[a] ? c->ceiling[a] : x;
}

/* Whether value w beats v for actors [0, upto): at least as good for each,
 * and better for some party by more than twice the unit in the last place
 * of any utility that party can have, so that the sums (prefix + entry)
 * stay strictly apart however they round. Under a cap both sums may reach
 * 1 and tie: a capped party counts only when v's entry plus the largest
 * prefix stays below 1, so that v's utility is never capped and w's,
 * capped or not, stays above it. */
static bool beats(const scan_ctx *c, const double *room, uint32_t w, uint32_t v,
                  uint32_t upto) {
  bool strictly = false;
  for (uint32_t a = 0; a < upto; a++) {
    /* False positive of clang-analyzer-core.uninitialized.Assign: every column
     * is filled (build_cells); the analyzer loses it across calls */
    /* NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign) */
    double tw = c->col[a * c->V + w], tv = c->col[a * c->V + v];
    if (tw < tv)
      return false;
    if (a < c->np && tw - tv > room[a] * 0x1p-50 &&
        c->prefix_max[a] + tv < c->ceiling[a])
      strictly = true;
  }
  return strictly;
}

/* Actor a's best term of issue i over the values the scan visits. */
static double best_term(const scan_ctx *c, uint32_t a, uint32_t i) {
  const double *t = c->spec->term[a] + c->s->offset[i];
  double m = t[0];
  for (uint32_t v = 1; v < c->spec->radix[i]; v++)
    m = t[v] > m ? t[v] : m;
  return m;
}

/* Per party, a bound on |utility| and on every partial sum. */
static void find_room(const scan_ctx *c, double *room) {
  for (uint32_t p = 0; p < c->np; p++) {
    room[p] = 0;
    for (uint32_t i = 0; i < c->n; i++) {
      double m = 0;
      for (uint32_t v = 0; v < c->spec->radix[i]; v++)
        m = fmax(m, fabs(c->spec->term[p][c->s->offset[i] + v]));
      room[p] += m;
    }
  }
}

static void find_candidates(scan_ctx *c) {
  double room[PL_MAX_PARTIES]; /* bound on |utility| per party */
  find_room(c, room);
  c->zone_cand = c->all_cand = 0;
  for (uint32_t v = 0; v < c->V; v++) {
    bool zone = true, all = true;
    for (uint32_t w = 0; w < c->V; w++) {
      zone &= w == v || !beats(c, room, w, v, c->na);
      all &= w == v || !beats(c, room, w, v, c->np);
    }
    c->zone_cand |= (vmask)zone << v;
    c->all_cand |= (vmask)all << v;
  }
}

/* Values of an issue before the last that another value of it beats, for
 * the zone's archive (every actor) and the feasible outcomes' (every
 * party): an outcome with one is dominated by the same outcome with the
 * other, which no rule tells apart (the issue is in none) and which is in
 * the zone when it is, so it can never be on a frontier. */
enum { BEATEN_ZONE = 1, BEATEN_ALL = 2 };

/* Whether value w of issue i beats its value v for actors [0, upto), as
 * beats says for the last issue. The sums of two outcomes that differ only
 * there go through the same n - i additions from issue i on, each rounding
 * by at most half a unit in the last place of a partial sum (|sum| <=
 * room), so a gap above n * room * 2^-51 keeps them strictly apart. Under
 * a cap, v's outcome must stay below 1: `below` is v's largest sum (the
 * best terms of the other issues, in issue order) below its ceiling. */
static bool beats_early(const scan_ctx *c, const double *room,
                        const double *best, uint32_t i, uint32_t w, uint32_t v,
                        uint32_t upto) {
  bool strictly = false;
  for (uint32_t a = 0; a < upto; a++) {
    const double *t = c->spec->term[a] + c->s->offset[i];
    if (t[w] < t[v])
      return false;
    if (a >= c->np || strictly || !(t[w] - t[v] > room[a] * c->n * 0x1p-51))
      continue;
    double sum = 0;
    for (uint32_t j = 0; j < c->n; j++)
      sum += j == i ? t[v] : best[(size_t)a * c->n + j];
    strictly = sum < c->ceiling[a];
  }
  return strictly;
}

static bool find_beaten(scan_ctx *c) {
  const pl_scenario *s = c->s;
  c->beaten = calloc(s->total_values ? s->total_values : 1, 1);
  double *best = calloc((size_t)c->na * c->n, sizeof *best);
  if (!c->beaten || !best) {
    free(best);
    return false;
  }
  for (uint32_t a = 0; a < c->na; a++)
    for (uint32_t i = 0; i < c->n; i++)
      best[(size_t)a * c->n + i] = best_term(c, a, i);
  double room[PL_MAX_PARTIES];
  find_room(c, room);
  for (uint32_t i = 0; i + 1 < c->n; i++) {
    uint32_t V = c->spec->radix[i];
    bool only[PL_MAX_ISSUES] = {false};
    only[i] = true;
    if (V < 2 || V > BLOCK_MAX_VALUES || pl_rules_mention(s, only))
      continue;
    for (uint32_t v = 0; v < V; v++) {
      uint8_t flags = 0;
      for (uint32_t w = 0; w < V && flags != (BEATEN_ZONE | BEATEN_ALL); w++) {
        if (w == v)
          continue;
        if (!(flags & BEATEN_ZONE) &&
            beats_early(c, room, best, i, w, v, c->na))
          flags |= BEATEN_ZONE;
        if (!(flags & BEATEN_ALL) && beats_early(c, room, best, i, w, v, c->np))
          flags |= BEATEN_ALL;
      }
      c->beaten[s->offset[i] + v] = flags;
    }
  }
  free(best);
  return true;
}

/* Per actor, the largest sum of the issues before the last (prefix_max)
 * and of all of them, each in issue order as refresh_upto adds: rounding
 * is monotone, so no outcome's sum is larger. When the latter is at most
 * 1 the cap never binds and the actor is additive here (ceiling +inf). */
static void find_ceilings(scan_ctx *c) {
  for (uint32_t a = 0; a < c->na; a++) {
    double sum = 0;
    for (uint32_t i = 0; i < c->n; i++) {
      if (i + 1 == c->n)
        c->prefix_max[a] = sum;
      sum += best_term(c, a, i);
    }
    c->ceiling[a] = c->s->actors[a].capped && sum > 1.0 ? 1.0 : INFINITY;
  }
}

/* Each actor's column sorted ascending, the masks of its suffixes, and
 * its largest entry. */
static bool build_blocks(scan_ctx *c) {
  const pl_scenario *s = c->s;
  uint32_t last = c->n - 1, V = c->spec->radix[last];
  c->V = V;
  find_ceilings(c);
  c->col = malloc((size_t)c->na * V * sizeof *c->col);
  c->sorted = malloc((size_t)c->na * V * sizeof *c->sorted);
  c->suffix = malloc((size_t)c->na * (V + 1) * sizeof *c->suffix);
  c->colmax = malloc(c->na * sizeof *c->colmax);
  if (!c->col || !c->sorted || !c->suffix || !c->colmax)
    return false;
  for (uint32_t a = 0; a < c->na; a++) {
    double *col = c->col + (size_t)a * V, *sorted = c->sorted + (size_t)a * V;
    uint32_t order[BLOCK_MAX_VALUES];
    for (uint32_t v = 0; v < V; v++) {
      col[v] = c->spec->term[a][s->offset[last] + v];
      uint32_t at = v; /* insertion sort by entry */
      for (; at > 0 && col[order[at - 1]] > col[v]; at--)
        order[at] = order[at - 1];
      order[at] = v;
    }
    vmask *suffix = c->suffix + (size_t)a * (V + 1);
    suffix[V] = 0;
    for (uint32_t j = V; j-- > 0;) {
      /* cppcheck-suppress uninitvar ; the sort above set order[0..V-1] */
      sorted[j] = col[order[j]];
      suffix[j] = suffix[j + 1] | (vmask)1 << order[j];
    }
    c->colmax[a] = sorted[V - 1];
  }
  find_candidates(c);
  if (!find_beaten(c))
    return false;
  for (uint32_t p = 0; p < c->np; p++) {
    c->zone_cand_max[p] = c->all_cand_max[p] = -DBL_MAX;
    for (uint32_t v = 0; v < V; v++) {
      double x = c->col[(size_t)p * V + v];
      if ((c->zone_cand >> v & 1) && x > c->zone_cand_max[p])
        c->zone_cand_max[p] = x;
      if ((c->all_cand >> v & 1) && x > c->all_cand_max[p])
        c->all_cand_max[p] = x;
    }
  }
  c->max2 = malloc(c->na * sizeof *c->max2);
  c->min2 = malloc(c->na * sizeof *c->min2);
  if (!c->max2 || !c->min2)
    return false;
  for (uint32_t a = 0; a < c->na; a++) {
    c->max2[a] = -DBL_MAX;
    c->min2[a] = DBL_MAX;
  }
  if (c->n >= 2) { /* super-blocks exist: the issue before last's terms */
    for (uint32_t a = 0; a < c->na; a++)
      for (uint32_t v = 0; v < c->spec->radix[c->n - 2]; v++) {
        double x = c->spec->term[a][s->offset[c->n - 2] + v];
        c->max2[a] = x > c->max2[a] ? x : c->max2[a];
        c->min2[a] = x < c->min2[a] ? x : c->min2[a];
      }
    bool last_two[PL_MAX_ISSUES] = {false};
    last_two[c->n - 1] = last_two[c->n - 2] = true;
    c->super_fast = !pl_rules_mention(s, last_two);
  }
  for (uint32_t p = 0; c->spec->opp_max && p < c->np; p++)
    c->inv_max[p] = c->spec->opp_max[p] > 0 ? 1.0 / c->spec->opp_max[p] : 0.0;
  return true;
}

/* How many entries of the sorted column fall short of limit with P: the
 * values that reach it are the suffix after them. Under a cap the callers
 * ask only for limit <= 1 (a capped top reached it), where the capped sum
 * reaches the limit exactly when the sum does. */
static uint32_t short_of(const scan_ctx *c, uint32_t a, double P,
                         double limit) {
  const double *sorted = c->sorted + (size_t)a * c->V;
  /* All reach it, the common case when the zone is everything. */
  if (P + sorted[0] >= limit)
    return 0;
  if (c->V <= 16) { /* counting the ones below: independent compares, which
                       the compiler vectorises, beat a dependent search */
    uint32_t below = 0;
    for (uint32_t j = 0; j < c->V; j++)
      below += P + sorted[j] < limit;
    return below;
  }
  uint32_t lo = 0, n = c->V;
  while (n > 0) {
    uint32_t half = n / 2;
    bool below = P + sorted[lo + half] < limit;
    lo = below ? lo + half + 1 : lo;
    n = below ? n - half - 1 : half;
  }
  return lo;
}

/* Bits set, without relying on a popcount instruction (not in baseline
 * x86-64, where the builtin becomes a slow library call). */
static uint64_t bits_in(vmask m) {
  m = m - ((m >> 1) & 0x5555555555555555ULL);
  m = (m & 0x3333333333333333ULL) + ((m >> 2) & 0x3333333333333333ULL);
  m = (m + (m >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return (m * 0x0101010101010101ULL) >> 56;
}

static vmask range_mask(uint32_t v0, uint32_t v1) {
  vmask upto = v1 == BLOCK_MAX_VALUES ? ~(vmask)0 : ((vmask)1 << v1) - 1;
  return upto & ~(((vmask)1 << v0) - 1);
}

static uint32_t next_value(vmask *m) {
  uint32_t v = (uint32_t)__builtin_ctzll(*m);
  *m &= *m - 1;
  return v;
}

static void block_utilities(const scan_ctx *c, const double *P, uint32_t v,
                            double *u) {
  for (uint32_t a = 0; a < c->na; a++)
    u[a] = cap_at(c, a, P[a] + c->col[(size_t)a * c->V + v]);
}

/* Per actor, P plus the best entry among the values in m. */
static void block_top(const scan_ctx *c, const double *P, vmask m,
                      double *top) {
  for (uint32_t a = 0; a < c->na; a++) {
    const double *col = c->col + (size_t)a * c->V;
    double best = -DBL_MAX;
    for (vmask x = m; x;) {
      uint32_t v = next_value(&x);
      best = col[v] > best ? col[v] : best;
    }
    top[a] = cap_at(c, a, P[a] + best);
  }
}

static void block_opposition(const scan_ctx *c, worker *w, uint64_t base,
                             const double *P, const double *top, vmask range) {
  /* A bound by multiplication (divisions are slow): its error is far below
   * 1e-12, so blocks are skipped only when clearly no better; ties go to
   * the earlier outcome. */
  double bound = 0;
  for (uint32_t p = 0; p < c->np; p++) {
    /* False positive of clang-analyzer-core.UndefinedBinaryOperatorResult:
     * block_top fills top[a] for every actor, parties first (np <= na) */
    /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
    double t = c->inv_max[p] > 0 ? 1.0 - top[p] * c->inv_max[p] : 0.0;
    bound += t * t;
  }
  if (bound > w->r.opposition + 1e-12)
    return;
  for (vmask x = range; x;) {
    uint32_t v = next_value(&x);
    block_utilities(c, P, v, w->u);
    note_opposition(c, w, base + v, w->u);
  }
}

static void block_margin(const scan_ctx *c, worker *w, uint64_t base,
                         const double *P, const double *top, vmask range) {
  scan_result *r = &w->r;
  double bound = DBL_MAX;
  for (uint32_t a = 0; a < c->na; a++)
    bound = top[a] - c->threshold[a] < bound ? top[a] - c->threshold[a] : bound;
  bool improves = !r->any_ruled || bound > r->best_margin;
  r->any_ruled = true;
  if (!improves)
    return;
  for (vmask x = range; x;) {
    uint32_t v = next_value(&x);
    double margin = DBL_MAX;
    for (uint32_t a = 0; a < c->na; a++) {
      double m =
          cap_at(c, a, P[a] + c->col[(size_t)a * c->V + v]) - c->threshold[a];
      if (m < margin)
        margin = m;
    }
    if (margin > r->best_margin) {
      r->best_margin = margin;
      r->best_margin_index = base + v;
    }
  }
}

/* Whether archive f dominates the best of the values in m: first a bound
 * that costs one addition per actor, against the recent dominators only;
 * then the values' own best and the whole archive. */
static bool block_dominated(const scan_ctx *c, pl_archive *f, const double *P,
                            vmask m, const double *cand_max) {
  double top[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  for (uint32_t a = 0; a < c->np; a++)
    top[a] = cap_at(c, a, P[a] + cand_max[a]);
  if (pl_archive_cache_dominates(f, top))
    return true;
  block_top(c, P, m, top);
  return pl_archive_dominated(f, top);
}

/* Offers the values in m to an archive, unless it dominates their best. */
static void block_archive(const scan_ctx *c, worker *w, pl_archive *f, gate *g,
                          uint64_t base, const double *P, vmask m,
                          const double *cand_max) {
  if (!m)
    return;
  if (gate_open(g)) {
    bool dominated = block_dominated(c, f, P, m, cand_max);
    gate_note(g, dominated);
    if (dominated)
      return;
  }
  for (vmask x = m; x;) {
    uint32_t v = next_value(&x);
    block_utilities(c, P, v, w->u);
    pl_archive_add(f, base + v, w->u);
  }
}

static void block_zone(const scan_ctx *c, worker *w, uint64_t base,
                       const double *P, vmask zone) {
  scan_result *r = &w->r;
  r->zone += bits_in(zone);
  bool higher = false;
  for (uint32_t p = 0; p < c->np; p++)
    higher |= cap_at(c, p, P[p] + c->colmax[p]) > r->ideal[p];
  for (vmask x = higher ? zone : 0; x;) {
    uint32_t v = next_value(&x);
    for (uint32_t p = 0; p < c->np; p++) {
      double u = cap_at(c, p, P[p] + c->col[(size_t)p * c->V + v]);
      r->ideal[p] = u > r->ideal[p] ? u : r->ideal[p];
    }
  }
  if ((c->spec->what & SCAN_FRONTIER) && !w->zone_skip &&
      !(w->beaten_upto[c->n - 1] & BEATEN_ZONE))
    block_archive(c, w, &r->zone_front, &w->block_gate[0], base, P,
                  zone & c->zone_cand, c->zone_cand_max);
  if (r->open) {
    w->open_last |= zone;
    for (uint32_t i = 0; i + 1 < c->n; i++)
      r->open[c->s->offset[i] + w->digits[i]] = 1;
  }
}

/* Everything the analysis learns from outcomes base + v, v in range. */
static void visit_block(const scan_ctx *c, worker *w, uint64_t base,
                        vmask range, bool whole) {
  const pl_scenario *s = c->s;
  scan_result *r = &w->r;
  const uint32_t *v = w->digits; /* the last digit is not looked at */
  const double *P = w->prefix + (size_t)(c->n - 1) * c->na;
  for (uint32_t k = 0; k < s->nconstraints; k++)
    if (!pl_rule_holds(&s->constraints[k], v))
      return;
  double top[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  if (whole)
    for (uint32_t a = 0; a < c->na; a++)
      top[a] = cap_at(c, a, P[a] + c->colmax[a]);
  else
    block_top(c, P, range, top);
  r->feasible += bits_in(range);
  r->any_feasible = true;
  vmask zone = range;
  bool all_red = true;
  for (uint32_t a = 0; a < c->na; a++) {
    double limit = c->threshold[a] - PL_EPS;
    bool red = a >= c->np || party_rules_hold(&s->actors[a], v);
    all_red &= red;
    uint32_t below =
        red && top[a] >= limit ? short_of(c, a, P[a], limit) : c->V;
    vmask m = c->suffix[(size_t)a * (c->V + 1) + below] & range;
    zone &= m;
    uint64_t n = whole ? c->V - below : bits_in(m); /* popcount is slow */
    if (a >= c->np) {
      r->approved[a - c->np] += n;
    } else {
      r->acceptable[a] += n;
      if (top[a] > r->best_feasible[a])
        r->best_feasible[a] = top[a];
    }
  }
  if ((c->spec->what & SCAN_FRONTIER_ALL) && !w->all_skip &&
      !(w->beaten_upto[c->n - 1] & BEATEN_ALL))
    block_archive(c, w, &r->all_front, &w->block_gate[1], base, P,
                  c->all_cand & range, c->all_cand_max);
  if (c->spec->what & SCAN_OPPOSITION)
    block_opposition(c, w, base, P, top, range);
  if (!all_red)
    return;
  block_margin(c, w, base, P, top, range);
  if (zone)
    block_zone(c, w, base, P, zone);
}

/* Whether archive f dominates, with prefix Q (of every issue but the last
 * two), the best a candidate of the last issue can add to the best of the
 * issue before: then it dominates every such outcome. Rounding is
 * monotone, so (Q + best2) + best_last bounds (Q + x) + y for every x
 * and y, bit for bit; a point dominating that bound cannot tie with an
 * outcome below it. */
static bool super_dominated(const scan_ctx *c, pl_archive *f, gate *g,
                            const double *Q, const double *cand_max) {
  if (!gate_open(g))
    return false;
  double top[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  for (uint32_t a = 0; a < c->np; a++)
    top[a] = cap_at(c, a, (Q[a] + c->max2[a]) + cand_max[a]);
  bool dominated = pl_archive_dominated(f, top);
  gate_note(g, dominated);
  return dominated;
}

/* At the start of a super-block (the outcomes that differ only in the last
 * two issues): whether its blocks may skip each archive. One test per
 * V x radix outcomes instead of one per block. */
static void super_block(const scan_ctx *c, worker *w) {
  const double *Q = w->prefix + (size_t)(c->n - 2) * c->na;
  uint8_t beaten = w->beaten_upto[c->n - 2];
  w->zone_skip = (c->spec->what & SCAN_FRONTIER) &&
                 ((beaten & BEATEN_ZONE) ||
                  super_dominated(c, &w->r.zone_front, &w->super_gate[0], Q,
                                  c->zone_cand_max));
  w->all_skip = (c->spec->what & SCAN_FRONTIER_ALL) &&
                ((beaten & BEATEN_ALL) ||
                 super_dominated(c, &w->r.all_front, &w->super_gate[1], Q,
                                 c->all_cand_max));
}

/* Whether the super-block's bounds show that its per-block work changes
 * nothing but counts: every actor's threshold met by its worst outcome,
 * both archives skipped, and the margin and opposition bounds no better
 * than the best so far. Rounding is monotone, so (Q + min2) + column
 * minimum is below, and top = (Q + max2) + column maximum above, every
 * utility of the super-block, bit for bit; each block's own bounds lie
 * between, so each block would have found the same. top receives the
 * upper bounds. */
static bool super_settled(const scan_ctx *c, worker *w, double *top) {
  const double *Q = w->prefix + (size_t)(c->n - 2) * c->na;
  unsigned what = c->spec->what;
  if (((what & SCAN_FRONTIER) && !w->zone_skip) ||
      ((what & SCAN_FRONTIER_ALL) && !w->all_skip) || !w->r.any_ruled)
    return false;
  double margin = DBL_MAX;
  for (uint32_t a = 0; a < c->na; a++) {
    if (cap_at(c, a, (Q[a] + c->min2[a]) + c->sorted[(size_t)a * c->V]) <
        c->threshold[a] - PL_EPS)
      return false;
    top[a] = cap_at(c, a, (Q[a] + c->max2[a]) + c->colmax[a]);
    double m = top[a] - c->threshold[a];
    margin = m < margin ? m : margin;
  }
  if (margin > w->r.best_margin)
    return false;
  if (!(what & SCAN_OPPOSITION))
    return true;
  double bound = 0; /* as block_opposition's, t clamped at 0: a lower bound */
  for (uint32_t p = 0; p < c->np; p++) {
    double t = c->inv_max[p] > 0 ? 1.0 - top[p] * c->inv_max[p] : 0.0;
    t = t > 0 ? t : 0;
    bound += t * t;
  }
  return bound > w->r.opposition + 1e-12;
}

/* A whole super-block at once when no rule mentions its last two issues:
 * infeasible as a whole, or settled (super_settled) and counted from its
 * size alone. False: visit its blocks one by one. */
static bool super_whole(const scan_ctx *c, worker *w) {
  const pl_scenario *s = c->s;
  const uint32_t *v = w->digits; /* the last two digits are not looked at */
  for (uint32_t k = 0; k < s->nconstraints; k++)
    if (!pl_rule_holds(&s->constraints[k], v))
      return true;
  for (uint32_t p = 0; p < c->np; p++)
    if (!party_rules_hold(&s->actors[p], v))
      return false;
  double top[PL_MAX_PARTIES + PL_MAX_RATIFIERS];
  if (!super_settled(c, w, top))
    return false;
  scan_result *r = &w->r;
  uint32_t R = c->spec->radix[c->n - 2];
  uint64_t size = (uint64_t)c->V * R;
  r->feasible += size;
  r->any_feasible = true;
  r->zone += size;
  for (uint32_t p = 0; p < c->np; p++) {
    r->acceptable[p] += size;
    r->best_feasible[p] =
        top[p] > r->best_feasible[p] ? top[p] : r->best_feasible[p];
    r->ideal[p] = top[p] > r->ideal[p] ? top[p] : r->ideal[p];
  }
  for (uint32_t a = c->np; a < c->na; a++)
    r->approved[a - c->np] += size;
  if (r->open) {
    w->open_last |= range_mask(0, c->V);
    for (uint32_t i = 0; i + 2 < c->n; i++)
      r->open[s->offset[i] + v[i]] = 1;
    memset(r->open + s->offset[c->n - 2], 1, R);
  }
  return true;
}

/* refresh_upto, and the beaten flags of the digits before `upto`. */
static void refresh_blocks(const scan_ctx *c, worker *w, uint32_t from,
                           uint32_t upto) {
  refresh_upto(c, w, from, upto);
  for (uint32_t i = from; i < upto; i++)
    w->beaten_upto[i + 1] =
        w->beaten_upto[i] | c->beaten[c->s->offset[i] + w->digits[i]];
}

static void scan_blocks(void *vctx, unsigned wid, uint64_t begin,
                        uint64_t end) {
  scan_ctx *c = vctx;
  worker *w = &c->workers[wid];
  const uint32_t *radix = c->spec->radix;
  uint32_t last = c->n - 1;
  uint64_t x = begin;
  for (uint32_t i = c->n; i-- > 0;) {
    w->digits[i] = (uint32_t)(x % radix[i]);
    x /= radix[i];
  }
  refresh_blocks(c, w, 0, last);
  w->zone_skip = w->all_skip = false; /* a chunk may start mid-super-block */
  for (uint64_t idx = begin;;) {
    uint32_t v0 = w->digits[last];
    if (v0 == 0 && last >= 1 && w->digits[last - 1] == 0) {
      super_block(c, w);
      uint64_t size = (uint64_t)c->V * radix[last - 1];
      if (c->super_fast && end - idx >= size && super_whole(c, w)) {
        idx += size;
        if (idx == end)
          break;
        w->digits[last - 1] = 0;
        uint32_t i = last - 2; /* idx < total: a higher digit exists */
        while (++w->digits[i] == radix[i])
          w->digits[i--] = 0;
        refresh_blocks(c, w, i, last);
        continue;
      }
    }
    uint64_t len = end - idx < c->V - v0 ? end - idx : c->V - v0;
    uint32_t v1 = v0 + (uint32_t)len;
    visit_block(c, w, idx - v0, range_mask(v0, v1), v0 == 0 && v1 == c->V);
    idx += len;
    if (idx == end)
      break;
    w->digits[last] = 0;
    uint32_t i = last - 1; /* a block ends with the last value: i exists */
    while (++w->digits[i] == radix[i])
      w->digits[i--] = 0;
    refresh_blocks(c, w, i, last);
  }
  for (vmask m = w->open_last; m;)
    w->r.open[c->s->offset[last] + next_value(&m)] = 1;
  w->open_last = 0;
  chunk_done(c, wid, end - begin);
}

static void merge_into(scan_result *dst, const scan_result *src,
                       const pl_scenario *s) {
  dst->feasible += src->feasible;
  dst->zone += src->zone;
  for (uint32_t p = 0; p < s->nparties; p++) {
    dst->acceptable[p] += src->acceptable[p];
    if (src->best_feasible[p] > dst->best_feasible[p])
      dst->best_feasible[p] = src->best_feasible[p];
    if (src->ideal[p] > dst->ideal[p])
      dst->ideal[p] = src->ideal[p];
  }
  for (uint32_t q = 0; q < s->nratifiers; q++)
    dst->approved[q] += src->approved[q];
  dst->any_ruled |= src->any_ruled;
  if (src->any_ruled && (src->best_margin > dst->best_margin ||
                         (src->best_margin == dst->best_margin &&
                          src->best_margin_index < dst->best_margin_index))) {
    dst->best_margin = src->best_margin;
    dst->best_margin_index = src->best_margin_index;
  }
  dst->any_feasible |= src->any_feasible;
  if (src->opposition < dst->opposition ||
      (src->opposition == dst->opposition &&
       src->opposition_index < dst->opposition_index)) {
    dst->opposition = src->opposition;
    dst->opposition_index = src->opposition_index;
  }
  pl_archive_merge(&dst->zone_front, &src->zone_front);
  pl_archive_merge(&dst->all_front, &src->all_front);
  if (dst->open)
    for (uint32_t v = 0; v < s->total_values; v++)
      dst->open[v] |= src->open[v];
}

static bool build_cells(scan_ctx *c) {
  const pl_scenario *s = c->s;
  c->cell = malloc((size_t)s->total_values * c->na * sizeof *c->cell);
  c->threshold = malloc(c->na * sizeof *c->threshold);
  if (!c->cell || !c->threshold)
    return false;
  for (uint32_t a = 0; a < c->na; a++) {
    c->threshold[a] = s->actors[a].threshold;
    for (uint32_t v = 0; v < s->total_values; v++)
      c->cell[(size_t)v * c->na + a] = c->spec->term[a][v];
  }
  return true;
}

bool pl_scan(const scan_spec *spec, scan_result *out) {
  const pl_scenario *s = spec->s;
  scan_ctx c = {.spec = spec,
                .s = s,
                .n = s->nissues,
                .np = s->nparties,
                .na = pl_num_actors(s)};
  uint64_t total = 1;
  for (uint32_t i = 0; i < c.n; i++)
    total *= spec->radix[i];
  c.total = total;
  atomic_init(&c.visited, 0);
  unsigned threads = pl_thread_count(spec->threads);
  bool ok = result_init(out, s, spec->what) && build_cells(&c);
  c.blocks = ok && blocks_apply(spec);
  if (c.blocks)
    ok = build_blocks(&c);
  c.workers = line_alloc(threads * sizeof *c.workers);
  ok = ok && c.workers;
  for (unsigned t = 0; ok && t < threads; t++) {
    worker *w = &c.workers[t];
    w->digits = line_alloc(c.n * sizeof *w->digits);
    w->prefix = line_alloc((size_t)(c.n + 1) * c.na * sizeof *w->prefix);
    w->u = line_alloc(c.na * sizeof *w->u);
    w->beaten_upto = line_alloc(c.n + 1);
    w->ok = result_init(&w->r, s, spec->what) && w->digits && w->prefix &&
            w->u && w->beaten_upto;
    ok = w->ok;
  }
  if (ok && total > 0)
    pl_parallel_for(threads, total, c.blocks ? scan_blocks : scan_chunk, &c);
  if (ok && spec->progress) /* the last chunk may have been another's */
    spec->progress(spec->progress_ctx, spec->stage, total, total);
  for (unsigned t = 0; c.workers && t < threads; t++) {
    worker *w = &c.workers[t];
    if (ok)
      merge_into(out, &w->r, s);
    pl_scan_result_free(&w->r);
    free(w->digits);
    free(w->prefix);
    free(w->u);
    free(w->beaten_upto);
  }
  free(c.workers);
  free(c.cell);
  free(c.threshold);
  free(c.col);
  free(c.sorted);
  free(c.suffix);
  free(c.colmax);
  free(c.max2);
  free(c.min2);
  free(c.beaten);
  out->by_blocks = c.blocks;
  if (ok) {
    pl_archive_finish(&out->zone_front);
    pl_archive_finish(&out->all_front);
    ok = !out->zone_front.failed && !out->all_front.failed;
  }
  return ok;
}
