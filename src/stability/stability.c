/* stability.c - Nash, GMR, SMR and SEQ stability for every DM and state.
 *
 * For a focal DM i with scores p_i (definitions.md section 3), and s1
 * ranging over i's unilateral improvements from s:
 *   GMR: every s1 has min_{u in R_{N-i}(s1)} p_i(u) <= p_i(s);
 *   SMR: every s1 has min_{u in R_{N-i}(s1)} esc_i(u) <= p_i(s), where
 *        esc_i(u) = max(p_i(u), max_{t in R_i(u)} p_i(t)) is the best i can
 *        reach from a sanction u (u itself included);
 *   SEQ: every s1 has min_{u in R+_{N-i}(s1)} p_i(u) <= p_i(s).
 * So each concept needs one minimum per state s1, independent of s: they
 * are computed once (reach.c) and the check per state s is a loop over its
 * own improvements. This is exactly the definition, with no limit on how
 * often an opponent moves in a sanction (only never twice in a row).
 */
#define _POSIX_C_SOURCE 200809L
#include "stability/analysis.h"
#include "stability/region.h"
#include "util/diag.h"
#include "util/parallel.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const GM_CONCEPT_KEY[GM_NCONCEPTS] = {"nash", "gmr", "smr", "seq"};
const char *const GM_CONCEPT_NAME[GM_NCONCEPTS] = {"Nash", "GMR", "SMR", "SEQ"};

/* Explanations cost one state index per state, DM and concept. */
#define MAX_EXPLAINED ((uint64_t)1 << 22)
/* Status quo searches visit at most this many (state, last mover) pairs. */
#define MAX_BFS_NODES ((uint64_t)1 << 22)

void pl_stability_options_init(pl_stability_options *o) {
  memset(o, 0, sizeof *o);
  o->concepts = GM_ALL_CONCEPTS;
  o->explain = true;
  o->limited_move = true;
  o->horizon = 4;
}

/* ---- One focal DM ----------------------------------------------------------
 *
 * Two ways to run the passes: by fibres of the focal DM's options with
 * region sweeps (region.h), when the space is indexed by code; or state by
 * state, enumerating moves, for the sorted list of very wide conflicts.
 * Both choose the same witnesses: for Nash, the improvement the DM likes
 * best; for the others, the improvement t that maximises
 * min(p_i(t), min_k(t)) (the one furthest from being deterred); ties go to
 * the smallest code.
 */

typedef struct focal {
  pl_stability *a;
  uint32_t i;
  uint32_t *esc, *min[GM_NCONCEPTS]; /* min[k] per state index */
  /* Fibre sweeps. */
  uint64_t Oi, fixed;
  gm_cube cube;
  uint64_t cells;
  uint64_t **T; /* per worker */
  bool *failed; /* per worker */
} focal;

static void set_witness(pl_stability *a, unsigned k, uint64_t at,
                        uint64_t code) {
  if (a->witness[k])
    a->witness[k][at] =
        code == UINT64_MAX ? GM_NONE : (uint32_t)gm_index(&a->x.space, code);
}

/* Pass 1: Nash, and esc_i for SMR. */
static void nash_state(focal *F, uint64_t s, uint32_t best,
                       uint64_t best_code) {
  pl_stability *a = F->a;
  uint32_t n = a->c->n, ps = gm_score(&a->x, F->i, s);
  uint64_t idx = gm_index(&a->x.space, s);
  F->esc[idx] = best > ps ? best : ps;
  bool stable = best <= ps;
  a->flags[idx * n + F->i] = stable ? GM_ALL_CONCEPTS : 0;
  set_witness(a, 0, idx * n + F->i, stable ? UINT64_MAX : best_code);
  for (unsigned k = 1; stable && k < GM_NCONCEPTS; k++)
    set_witness(a, k, idx * n + F->i, UINT64_MAX); /* pass 3 skips it */
}

static void nash_chunk(void *p, unsigned worker, uint64_t begin, uint64_t end) {
  focal *F = p;
  const gm_ctx *x = &F->a->x;
  (void)worker;
  for (uint64_t slot = begin; slot < end; slot++) {
    uint64_t s, d = 0, best_code = UINT64_MAX;
    if (!gm_slot(&x->space, slot, &s))
      continue;
    uint32_t best = 0;
    uint64_t C = gm_changeable(x->c, F->i, s);
    while ((d = (d - C) & C)) {
      uint64_t t = s ^ d;
      if (!gm_has(&x->space, t))
        continue;
      uint32_t pt = gm_score(x, F->i, t);
      if (best_code == UINT64_MAX || pt > best ||
          (pt == best && t < best_code)) {
        best = pt;
        best_code = t;
      }
    }
    nash_state(F, s, best, best_code);
  }
}

/* Pass 3: an improvement t of i from s is deterred under concept k when
 * min_k(t) <= p_i(s); s is unstable when some t has min(p_i(t), min_k(t))
 * above p_i(s). */
static void sanction_state(focal *F, uint64_t s, const uint32_t *open,
                           const uint64_t *open_code) {
  pl_stability *a = F->a;
  uint32_t n = a->c->n, ps = gm_score(&a->x, F->i, s);
  uint64_t idx = gm_index(&a->x.space, s);
  uint8_t flags = 0;
  for (unsigned k = 1; k < GM_NCONCEPTS; k++) {
    if (!F->min[k])
      continue;
    bool unstable = open[k] > ps;
    flags |= (uint8_t)!unstable << k;
    set_witness(a, k, idx * n + F->i, unstable ? open_code[k] : UINT64_MAX);
  }
  a->flags[idx * n + F->i] = flags;
}

static void sanction_chunk(void *p, unsigned worker, uint64_t begin,
                           uint64_t end) {
  focal *F = p;
  pl_stability *a = F->a;
  const gm_ctx *x = &a->x;
  (void)worker;
  for (uint64_t slot = begin; slot < end; slot++) {
    uint64_t s, d = 0;
    if (!gm_slot(&x->space, slot, &s) ||
        a->flags[gm_index(&x->space, s) * a->c->n + F->i] & 1)
      continue; /* Nash stable: stable under every concept */
    uint32_t open[GM_NCONCEPTS] = {0};
    uint64_t open_code[GM_NCONCEPTS] = {UINT64_MAX, UINT64_MAX, UINT64_MAX,
                                        UINT64_MAX};
    uint64_t C = gm_changeable(a->c, F->i, s);
    while ((d = (d - C) & C)) {
      uint64_t t = s ^ d;
      if (!gm_has(&x->space, t))
        continue;
      uint32_t pt = gm_score(x, F->i, t);
      uint64_t ti = gm_index(&x->space, t);
      for (unsigned k = 1; k < GM_NCONCEPTS; k++) {
        uint32_t v = F->min[k] && F->min[k][ti] < pt ? F->min[k][ti] : pt;
        if (F->min[k] && (open_code[k] == UINT64_MAX || v > open[k] ||
                          (v == open[k] && t < open_code[k]))) {
          open[k] = v;
          open_code[k] = t;
        }
      }
    }
    sanction_state(F, s, open, open_code);
  }
}

/* ---- The same by fibre sweeps ----------------------------------------- */

/* Keys for a maximum whose ties go to the smallest cell (= smallest code). */
#define MAX_KEY(v, cell)                                                       \
  ((uint64_t)(v) << 32 | (0xFFFFFFFFu - (uint32_t)(cell)))
#define KEY_VALUE(k) ((uint32_t)((k) >> 32))
#define KEY_CELL(k) (0xFFFFFFFFu - (uint32_t)(k))

static uint64_t *fibre_buffer(focal *F, unsigned worker) {
  if (!F->T[worker] && !F->failed[worker]) {
    F->T[worker] = malloc(F->cells * sizeof(uint64_t));
    F->failed[worker] = !F->T[worker];
  }
  return F->T[worker];
}

static void nash_fibre(void *p, unsigned worker, uint64_t f) {
  focal *F = p;
  const gm_ctx *x = &F->a->x;
  uint64_t *T = fibre_buffer(F, worker), base = gm_pdep(f, F->fixed), sub = 0;
  if (!T)
    return;
  for (uint64_t cell = 0; cell < F->cells; cell++) {
    uint64_t s = base | sub;
    T[cell] = gm_has(&x->space, s) ? MAX_KEY(gm_score(x, F->i, s), cell) : 0;
    sub = (sub - F->Oi) & F->Oi;
  }
  gm_region_max(&F->cube, T, F->cells);
  sub = 0;
  for (uint64_t cell = 0; cell < F->cells; cell++) {
    uint64_t s = base | sub;
    if (gm_has(&x->space, s))
      nash_state(F, s, KEY_VALUE(T[cell]),
                 base | gm_pdep(KEY_CELL(T[cell]), F->Oi));
    sub = (sub - F->Oi) & F->Oi;
  }
}

static void sanction_fibre(void *p, unsigned worker, uint64_t f) {
  focal *F = p;
  pl_stability *a = F->a;
  const gm_ctx *x = &a->x;
  uint64_t *T = fibre_buffer(F, worker), base = gm_pdep(f, F->fixed);
  if (!T)
    return;
  for (unsigned k = 1; k < GM_NCONCEPTS; k++) {
    if (!F->min[k])
      continue;
    uint64_t sub = 0;
    for (uint64_t cell = 0; cell < F->cells; cell++) {
      uint64_t t = base | sub;
      T[cell] = 0;
      if (gm_has(&x->space, t)) {
        uint32_t pt = gm_score(x, F->i, t),
                 mk = F->min[k][gm_index(&x->space, t)];
        T[cell] = MAX_KEY(mk < pt ? mk : pt, cell);
      }
      sub = (sub - F->Oi) & F->Oi;
    }
    gm_region_max(&F->cube, T, F->cells);
    sub = 0;
    for (uint64_t cell = 0; cell < F->cells; cell++) {
      uint64_t s = base | sub;
      sub = (sub - F->Oi) & F->Oi;
      if (!gm_has(&x->space, s))
        continue;
      uint64_t at = gm_index(&x->space, s) * a->c->n + F->i;
      if (a->flags[at] & 1)
        continue; /* Nash stable */
      bool unstable = KEY_VALUE(T[cell]) > gm_score(x, F->i, s);
      a->flags[at] = (uint8_t)((a->flags[at] & ~(1u << k)) | !unstable << k);
      set_witness(a, k, at,
                  unstable ? base | gm_pdep(KEY_CELL(T[cell]), F->Oi)
                           : UINT64_MAX);
    }
  }
}

/* Runs one pass: fibre sweeps when the space is indexed by code. */
static bool run_pass(focal *F, pl_chunk_fn by_state, gm_item_fn by_fibre) {
  const gm_ctx *x = &F->a->x;
  if (x->space.kind == GM_SPACE_SORTED) {
    pl_parallel_for(x->threads, x->space.slots, by_state, F);
    return true;
  }
  gm_parallel_items(x->threads, (uint64_t)1 << __builtin_popcountll(F->fixed),
                    F->cells, by_fibre, F);
  for (unsigned t = 0; t < x->threads; t++)
    if (F->failed[t])
      return false;
  return true;
}

static void setup_fibres(focal *F, uint32_t i) {
  const pl_conflict *c = F->a->c;
  F->i = i;
  F->Oi = c->dms[i].options;
  F->fixed = (((uint64_t)1 << c->m) - 1) & ~F->Oi;
  F->cells = (uint64_t)1 << __builtin_popcountll(F->Oi);
  gm_cube_init(&F->cube, c, i, F->Oi);
  for (unsigned t = 0; t < F->a->x.threads; t++) {
    free(F->T[t]);
    F->T[t] = NULL;
  }
}

static pl_status analyse_dm(pl_stability *a, uint32_t i, focal *F) {
  const gm_ctx *x = &a->x;
  setup_fibres(F, i);
  if (!run_pass(F, nash_chunk, nash_fibre))
    return PL_ENOMEM;
  uint64_t others = (((uint64_t)1 << a->c->n) - 1) & ~((uint64_t)1 << i);
  pl_status st = PL_OK;
  if (a->concepts & 6) { /* GMR, SMR: any moves of the others */
    gm_keys K = {0};
    uint32_t *out[2];
    if (F->min[1]) { /* GMR: i's score */
      K.dm[K.n] = (int32_t)i;
      out[K.n++] = F->min[1];
    }
    if (F->min[2]) { /* SMR: the best i can escape to */
      K.arr[K.n] = F->esc;
      out[K.n++] = F->min[2];
    }
    st = gm_reach_min(x, others, false, &K, out);
  }
  if (st == PL_OK && (a->concepts & 8)) { /* SEQ: their improvements */
    gm_keys K = {.n = 1, .dm = {(int32_t)i}};
    st = gm_reach_min(x, others, true, &K, &F->min[3]);
  }
  if (st == PL_OK && !run_pass(F, sanction_chunk, sanction_fibre))
    st = PL_ENOMEM;
  return st;
}

static pl_status analyse_all(pl_stability *a) {
  uint64_t F = a->x.space.count ? a->x.space.count : 1;
  focal f = {.a = a};
  f.T = calloc(a->x.threads, sizeof *f.T);
  f.failed = calloc(a->x.threads, sizeof *f.failed);
  f.esc = malloc(F * sizeof *f.esc);
  f.min[1] = malloc(F * sizeof(uint32_t));
  f.min[2] = malloc(F * sizeof(uint32_t));
  f.min[3] = malloc(F * sizeof(uint32_t));
  pl_status st = f.T && f.failed && f.esc && f.min[1] && f.min[2] && f.min[3]
                     ? PL_OK
                     : PL_ENOMEM;
  for (unsigned k = 1; k < GM_NCONCEPTS; k++)
    if (!(a->concepts >> k & 1)) { /* not asked for: never computed */
      free(f.min[k]);
      f.min[k] = NULL;
    }
  for (uint32_t i = 0; st == PL_OK && i < a->c->n; i++)
    st = analyse_dm(a, i, &f);
  free(f.esc);
  for (unsigned k = 1; k < GM_NCONCEPTS; k++)
    free(f.min[k]);
  for (unsigned t = 0; f.T && t < a->x.threads; t++)
    free(f.T[t]);
  free(f.T);
  free(f.failed);
  return st;
}

/* ---- Options ------------------------------------------------------------ */

/* A state given by name, number or Y/N vector; false with a message. */
static bool resolve_state(pl_stability *a, const char *text, uint64_t *code,
                          pl_diag *d) {
  const pl_conflict *c = a->c;
  for (uint32_t k = 0; k < c->nstates; k++)
    if (!strcmp(c->states[k].name, text)) {
      *code = c->states[k].code;
      return true;
    }
  size_t len = strlen(text);
  if (len && strspn(text, "0123456789") == len) {
    unsigned long long k = strtoull(text, NULL, 10);
    if (k >= 1 && k <= a->x.space.count) {
      *code = gm_code(&a->x.space, k - 1);
      return true;
    }
    pl_diag_add(d, NULL, 0, 0, "state %s: the states are numbered 1 to %llu",
                text, (unsigned long long)a->x.space.count);
    return false;
  }
  if (len == c->m && strspn(text, "YN") == len) {
    *code = 0;
    for (uint32_t k = 0; k < c->m; k++)
      *code |= (uint64_t)(text[k] == 'Y') << k;
    int32_t r = gm_broken_rule(c, *code);
    if (r < 0)
      return true;
    pl_diag_add(d, NULL, 0, 0, "state %s is infeasible: it breaks %s", text,
                c->rules[r].text);
    return false;
  }
  pl_diag_add(d, NULL, 0, 0,
              "'%s' is not a state: give a state's name, its number (1 to "
              "%llu) or its options as %u letters Y/N",
              text, (unsigned long long)a->x.space.count, c->m);
  return false;
}

/* "A+B,C+D" into coalition masks. */
static bool parse_coalitions(pl_stability *a, const char *text, pl_diag *d) {
  const pl_conflict *c = a->c;
  a->coal = calloc(c->n, sizeof *a->coal);
  if (!a->coal)
    return false;
  uint64_t used = 0, cur = 0;
  const char *p = text;
  for (;;) {
    size_t len = strcspn(p, "+,");
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)len, p);
    int32_t i = gm_find_dm(c, name);
    if (i < 0) {
      pl_diag_add(d, NULL, 0, 0, "--coalitions: '%s' is not a decision maker",
                  name);
      return false;
    }
    if ((used | cur) >> i & 1) {
      pl_diag_add(d, NULL, 0, 0,
                  "--coalitions: '%s' is named twice (coalitions are "
                  "disjoint)",
                  name);
      return false;
    }
    cur |= (uint64_t)1 << i;
    p += len;
    if (*p != '+') {
      if (__builtin_popcountll(cur) < 2) {
        pl_diag_add(d, NULL, 0, 0,
                    "--coalitions: a coalition joins at least two decision "
                    "makers with '+', as in \"A+B\"");
        return false;
      }
      a->coal[a->ncoal++].members = cur;
      used |= cur;
      cur = 0;
    }
    if (!*p)
      return true;
    p++;
  }
}

static bool setup_coalitions(pl_stability *a, pl_diag *d) {
  if (a->opt.coalitions)
    return parse_coalitions(a, a->opt.coalitions, d);
  a->coal = calloc(a->c->ncoalitions + 1, sizeof *a->coal);
  for (uint32_t k = 0; a->coal && k < a->c->ncoalitions; k++)
    a->coal[a->ncoal++].members = a->c->coalitions[k];
  return a->coal != NULL;
}

static bool setup_from(pl_stability *a, pl_diag *d) {
  const pl_conflict *c = a->c;
  if (a->opt.from) {
    a->from_name = a->opt.from;
    a->has_from = resolve_state(a, a->opt.from, &a->from, d);
    return a->has_from;
  }
  if (c->status_quo >= 0) {
    a->has_from = true;
    a->from = c->states[c->status_quo].code;
    a->from_name = c->states[c->status_quo].name;
  }
  return true;
}

/* ---- Entry point ----------------------------------------------------------
 */

static pl_status allocate(pl_stability *a) {
  uint64_t F = a->x.space.count ? a->x.space.count : 1, n = a->c->n;
  a->flags = calloc(F * n, 1);
  if (!a->flags)
    return PL_ENOMEM;
  a->explained = a->opt.explain && F * n <= MAX_EXPLAINED;
  for (unsigned k = 0; a->explained && k < GM_NCONCEPTS; k++)
    if (a->concepts >> k & 1 || k == 0) {
      a->witness[k] = malloc(F * n * sizeof(uint32_t));
      if (!a->witness[k])
        return PL_ENOMEM;
    }
  return PL_OK;
}

static pl_status run(pl_stability *a, pl_diag *d) {
  pl_status st = allocate(a);
  if (st == PL_OK)
    st = analyse_all(a);
  for (uint32_t k = 0; st == PL_OK && k < a->ncoal; k++)
    st = gm_analyse_coalition(a, &a->coal[k]);
  if (st == PL_OK && a->has_from) {
    uint64_t all = ((uint64_t)1 << a->c->n) - 1;
    a->by_improvements = gm_bfs_run(&a->x, all, true, a->from, MAX_BFS_NODES);
    a->by_moves = gm_bfs_run(&a->x, all, false, a->from, MAX_BFS_NODES);
    if (!a->by_improvements || !a->by_moves)
      st = PL_ENOMEM;
  }
  if (st == PL_OK && a->opt.limited_move && a->c->n == 2)
    st = gm_limited_move(a);
  if (st == PL_ENOMEM)
    pl_diag_add(d, a->c->file, 0, 0, "out of memory during the analysis");
  else if (st == PL_EREFUSED)
    pl_diag_add(d, a->c->file, 0, 0,
                "a coalition controls 32 or more options: too many states "
                "per search");
  return st;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

pl_stability *pl_stability_analyze(const pl_conflict *c,
                                   const pl_stability_options *o, pl_diag *d,
                                   pl_status *status) {
  return gm_analyze(c, o, false, d, status);
}

pl_stability *gm_analyze(const pl_conflict *c, const pl_stability_options *o,
                         bool sorted, pl_diag *d, pl_status *status) {
  double t0 = now();
  pl_stability *a = calloc(1, sizeof *a);
  pl_status st = a ? PL_OK : PL_ENOMEM;
  if (a) {
    a->c = c;
    if (o)
      a->opt = *o;
    else
      pl_stability_options_init(&a->opt);
    a->concepts = a->opt.concepts & GM_ALL_CONCEPTS;
    if (!a->concepts)
      a->concepts = GM_ALL_CONCEPTS;
    if (a->opt.horizon < 1 || a->opt.horizon > 15)
      a->opt.horizon = a->opt.horizon < 1 ? 1 : 15;
    st = gm_ctx_init(&a->x, c, a->opt.threads,
                     a->opt.max_states ? a->opt.max_states
                                       : PL_DEFAULT_MAX_STATES,
                     sorted, d);
  }
  if (st == PL_OK && (!setup_coalitions(a, d) || !setup_from(a, d)))
    st = PL_EINPUT;
  if (st == PL_OK)
    st = run(a, d);
  if (st != PL_OK) {
    if (st == PL_ENOMEM && !pl_diag_count(d))
      pl_diag_add(d, NULL, 0, 0, "out of memory");
    pl_stability_free(a);
    a = NULL;
  } else {
    a->seconds = now() - t0;
  }
  if (status)
    *status = st;
  return a;
}

void pl_stability_free(pl_stability *a) {
  if (!a)
    return;
  free(a->flags);
  for (unsigned k = 0; k < GM_NCONCEPTS; k++)
    free(a->witness[k]);
  for (uint32_t k = 0; a->coal && k < a->ncoal; k++) {
    free(a->coal[k].flags);
    for (unsigned j = 0; j < GM_NCONCEPTS; j++)
      free(a->coal[k].witness[j]);
  }
  free(a->coal);
  gm_bfs_free(a->by_improvements);
  gm_bfs_free(a->by_moves);
  free(a->lm);
  gm_ctx_free(&a->x);
  free(a);
}

/* ---- Queries ---------------------------------------------------------------
 */

bool gm_equilibrium(const pl_stability *a, unsigned k, uint64_t idx) {
  for (uint32_t i = 0; i < a->c->n; i++)
    if (!gm_stable(a, k, i, idx))
      return false;
  return true;
}

uint64_t pl_stability_num_states(const pl_stability *a) {
  return a->x.space.count;
}

uint64_t pl_stability_state_code(const pl_stability *a, uint64_t number) {
  return number >= 1 && number <= a->x.space.count
             ? gm_code(&a->x.space, number - 1)
             : UINT64_MAX;
}

bool pl_stability_is_stable(const pl_stability *a, pl_concept concept,
                            uint32_t dm, uint64_t number) {
  unsigned k = (unsigned)concept;
  return k < GM_NCONCEPTS && (a->concepts >> k & 1) && dm < a->c->n &&
         number >= 1 && number <= a->x.space.count &&
         gm_stable(a, k, dm, number - 1);
}

bool pl_stability_is_equilibrium(const pl_stability *a, pl_concept concept,
                                 uint64_t number) {
  unsigned k = (unsigned)concept;
  return k < GM_NCONCEPTS && (a->concepts >> k & 1) && number >= 1 &&
         number <= a->x.space.count && gm_equilibrium(a, k, number - 1);
}

/* ---- Sanctions for explanations ------------------------------------------ */

typedef struct sanction_arg {
  const pl_stability *a;
  unsigned k;
  uint32_t i, ps;
} sanction_arg;

/* Whether u deters: i likes it no more than s (and, for SMR, i cannot
 * escape from it to a state better than s). */
static bool deters(const void *p, uint64_t u) {
  const sanction_arg *A = p;
  const gm_ctx *x = &A->a->x;
  if (gm_score(x, A->i, u) > A->ps)
    return false;
  if (A->k != PL_CONCEPT_SMR)
    return true;
  uint64_t C = gm_changeable(A->a->c, A->i, u), d = 0;
  while ((d = (d - C) & C))
    if (gm_has(&x->space, u ^ d) && gm_score(x, A->i, u ^ d) > A->ps)
      return false;
  return true;
}

gm_path gm_sanction(const pl_stability *a, unsigned k, uint32_t i, uint64_t s,
                    uint64_t s1) {
  sanction_arg A = {a, k, i, gm_score(&a->x, i, s)};
  uint64_t others = (((uint64_t)1 << a->c->n) - 1) & ~((uint64_t)1 << i);
  return gm_shortest_path(&a->x, others, k == PL_CONCEPT_SEQ, s1, deters, &A,
                          MAX_BFS_NODES, NULL);
}
