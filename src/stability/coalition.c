/* coalition.c - coalition analysis (definitions.md section 5).
 *
 * A coalition C improves jointly from s to t when t is in R_C(s) (a legal
 * sequence of its members' unilateral moves, no member twice in a row) and
 * every member strictly prefers t to s. s is coalition-Nash stable for C
 * when C has no joint improvement; coalition-GMR stable when every joint
 * improvement t is sanctioned: the others (N - C, by legal sequences)
 * can reach from t a state that some member likes no more than s; coalition
 * SEQ the same with sanctions made of the others' own improvements. With a
 * sanction judged member by member, the test needs per member k only
 * min_{u in R_{N-C}(t)} p_k(u), computed once per t as for single DMs.
 */
#include "stability/analysis.h"
#include "util/parallel.h"

#include <stdlib.h>
#include <string.h>

typedef struct cwork {
  uint32_t *stamp; /* per (local state, mover): visited at `epoch` */
  uint32_t *seen;  /* per local state: checked at `epoch` */
  struct qentry {
    uint64_t code;
    uint32_t mover; /* position in the coalition */
  } * queue;
  uint32_t epoch;
  bool failed;
} cwork;

typedef struct cjob {
  pl_stability *a;
  gm_coalition *co;
  uint32_t cn, member[GM_MAX_DMS];
  uint64_t OC;
  gm_pext local;
  uint64_t nodes, slots;
  uint32_t *minG, *minQ; /* [k * count + index], NULL when not asked */
  cwork *work;
} cjob;

static bool cwork_alloc(const cjob *J, cwork *W) {
  if (W->stamp)
    return true;
  W->stamp = calloc(J->nodes, sizeof *W->stamp);
  W->seen = calloc(J->slots, sizeof *W->seen);
  W->queue = malloc(J->nodes * sizeof *W->queue);
  return W->stamp && W->seen && W->queue;
}

static uint32_t next_epoch(const cjob *J, cwork *W) {
  if (++W->epoch == 0) { /* wrapped: forget everything once */
    memset(W->stamp, 0, J->nodes * sizeof *W->stamp);
    memset(W->seen, 0, J->slots * sizeof *W->seen);
    W->epoch = 1;
  }
  return W->epoch;
}

/* Whether some member k likes u no more than s: min[k](t) <= p_k(s). */
static bool sanctioned(const cjob *J, const uint32_t *min, uint64_t ti,
                       const uint32_t *ps) {
  uint64_t F = J->a->x.space.count;
  for (uint32_t k = 0; k < J->cn; k++)
    if (min[k * F + ti] <= ps[k])
      return true;
  return false;
}

typedef struct verdict {
  bool open[GM_NCONCEPTS];
  uint64_t code[GM_NCONCEPTS];
} verdict;

/* Judges the joint move s -> t. True when nothing more can change. */
static bool judge(const cjob *J, uint64_t t, const uint32_t *ps, verdict *v) {
  const gm_ctx *x = &J->a->x;
  for (uint32_t k = 0; k < J->cn; k++)
    if (gm_score(x, J->member[k], t) <= ps[k])
      return false; /* not a joint improvement */
  uint64_t ti = gm_index(&x->space, t);
  bool open[GM_NCONCEPTS] = {true, J->minG && !sanctioned(J, J->minG, ti, ps),
                             false, J->minQ && !sanctioned(J, J->minQ, ti, ps)};
  bool done = true;
  for (unsigned k = 0; k < GM_NCONCEPTS; k++) {
    if (open[k] && !v->open[k]) {
      v->open[k] = true;
      v->code[k] = t;
    }
    done &=
        v->open[k] || (k == 1 && !J->minG) || k == 2 || (k == 3 && !J->minQ);
  }
  return done;
}

/* Pushes the moves of every member but `last` from x. */
static void expand(const cjob *J, cwork *W, uint64_t x, uint32_t last,
                   uint64_t *tail) {
  const pl_conflict *c = J->a->c;
  for (uint32_t p = 0; p < J->cn; p++) {
    if (p == last)
      continue;
    uint64_t C = gm_changeable(c, J->member[p], x), d = 0;
    while ((d = (d - C) & C)) {
      uint64_t y = x ^ d;
      if (!gm_has(&J->a->x.space, y))
        continue;
      uint64_t node = (uint64_t)gm_extract(&J->local, y) * J->cn + p;
      if (W->stamp[node] == W->epoch)
        continue;
      W->stamp[node] = W->epoch;
      W->queue[(*tail)++] = (struct qentry){y, p};
    }
  }
}

static void judge_state(const cjob *J, cwork *W, uint64_t s) {
  const gm_ctx *x = &J->a->x;
  uint32_t ps[GM_MAX_DMS];
  for (uint32_t k = 0; k < J->cn; k++)
    ps[k] = gm_score(x, J->member[k], s);
  verdict v = {0};
  next_epoch(J, W);
  uint64_t head = 0, tail = 0;
  expand(J, W, s, J->cn, &tail);
  while (head < tail) {
    struct qentry e = W->queue[head++];
    uint64_t y = e.code;
    uint32_t slot = gm_extract(&J->local, y);
    if (W->seen[slot] != W->epoch) {
      W->seen[slot] = W->epoch;
      if (judge(J, y, ps, &v))
        break;
    }
    expand(J, W, y, e.mover, &tail);
  }
  uint64_t idx = gm_index(&x->space, s);
  uint8_t flags = 0;
  for (unsigned k = 0; k < GM_NCONCEPTS; k++) {
    flags |= (uint8_t)(!v.open[k]) << k;
    if (J->co->witness[k])
      J->co->witness[k][idx] =
          v.open[k] ? (uint32_t)gm_index(&x->space, v.code[k]) : GM_NONE;
  }
  J->co->flags[idx] = flags & ~(1u << PL_CONCEPT_SMR);
}

static void coalition_chunk(void *p, unsigned worker, uint64_t begin,
                            uint64_t end) {
  cjob *J = p;
  cwork *W = &J->work[worker];
  if (W->failed || !cwork_alloc(J, W)) {
    W->failed = true;
    return;
  }
  for (uint64_t slot = begin; slot < end; slot++) {
    uint64_t s;
    if (gm_slot(&J->a->x.space, slot, &s))
      judge_state(J, W, s);
  }
}

/* min_{u in R_{N-C}(t)} p_k(u) for every member k, GM_MAX_KEYS at a time. */
static pl_status member_minima(cjob *J, bool improving, uint32_t *out) {
  const gm_ctx *x = &J->a->x;
  uint64_t all = ((uint64_t)1 << J->a->c->n) - 1, F = x->space.count;
  pl_status st = PL_OK;
  for (uint32_t k0 = 0; st == PL_OK && k0 < J->cn; k0 += GM_MAX_KEYS) {
    gm_keys K = {0};
    uint32_t *o[GM_MAX_KEYS];
    for (uint32_t k = k0; k < J->cn && K.n < GM_MAX_KEYS; k++) {
      o[K.n] = out + (uint64_t)k * F;
      K.dm[K.n++] = (int32_t)J->member[k];
    }
    st = gm_reach_min(x, all & ~J->co->members, improving, &K, o);
  }
  return st;
}

static pl_status setup(cjob *J) {
  pl_stability *a = J->a;
  uint64_t F = a->x.space.count ? a->x.space.count : 1;
  for (uint32_t i = 0; i < a->c->n; i++)
    if (J->co->members >> i & 1) {
      J->member[J->cn++] = i;
      J->OC |= a->c->dms[i].options;
    }
  if (__builtin_popcountll(J->OC) >= 28)
    return PL_EREFUSED;
  gm_pext_init(&J->local, J->OC);
  J->slots = (uint64_t)1 << __builtin_popcountll(J->OC);
  J->nodes = J->slots * J->cn;
  J->co->flags = calloc(F, 1);
  if (!J->co->flags)
    return PL_ENOMEM;
  for (unsigned k = 0; a->explained && k < GM_NCONCEPTS; k++)
    if (k != PL_CONCEPT_SMR &&
        !(J->co->witness[k] = malloc(F * sizeof(uint32_t))))
      return PL_ENOMEM;
  if (a->concepts & (1u << PL_CONCEPT_GMR) &&
      !(J->minG = malloc(F * J->cn * sizeof(uint32_t))))
    return PL_ENOMEM;
  if (a->concepts & (1u << PL_CONCEPT_SEQ) &&
      !(J->minQ = malloc(F * J->cn * sizeof(uint32_t))))
    return PL_ENOMEM;
  return PL_OK;
}

pl_status gm_analyse_coalition(pl_stability *a, gm_coalition *co) {
  cjob J = {.a = a, .co = co};
  pl_status st = setup(&J);
  if (st == PL_OK && J.minG)
    st = member_minima(&J, false, J.minG);
  if (st == PL_OK && J.minQ)
    st = member_minima(&J, true, J.minQ);
  if (st == PL_OK) {
    J.work = calloc(a->x.threads, sizeof *J.work);
    if (!J.work)
      st = PL_ENOMEM;
  }
  if (st == PL_OK)
    pl_parallel_for(a->x.threads, a->x.space.slots, coalition_chunk, &J);
  for (unsigned t = 0; J.work && t < a->x.threads; t++) {
    if (J.work[t].failed)
      st = PL_ENOMEM;
    free(J.work[t].stamp);
    free(J.work[t].seen);
    free(J.work[t].queue);
  }
  free(J.work);
  free(J.minG);
  free(J.minQ);
  return st;
}

/* ---- One state, for explanations ------------------------------------------
 */

typedef struct joint_arg {
  const gm_ctx *x;
  uint64_t H;
  uint32_t ps[GM_MAX_DMS];
} joint_arg;

static bool all_better(const void *p, uint64_t t) {
  const joint_arg *A = p;
  for (uint32_t i = 0; i < A->x->c->n; i++)
    if (A->H >> i & 1 && gm_score(A->x, i, t) <= A->ps[i])
      return false;
  return true;
}

bool gm_joint_improvement(const gm_ctx *x, uint64_t H, uint64_t code,
                          gm_path *p, bool *truncated) {
  joint_arg A = {x, H, {0}};
  for (uint32_t i = 0; i < x->c->n; i++)
    A.ps[i] = gm_score(x, i, code);
  bool cut = false;
  *p =
      gm_shortest_path(x, H, false, code, all_better, &A, GM_JOINT_NODES, &cut);
  *truncated |= cut && !p->found;
  return p->found;
}
