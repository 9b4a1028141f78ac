/* test_stability.c - conflict stability analysis (Graph Model for Conflict
 * Resolution, docs/stability.md).
 *
 * 1. The two worked cases of shared/reference/gmcr (copied into
 *    tests/data/gmcr): every expected stable set and equilibrium.
 * 2. Cases built by hand, the reasoning in comments: sanctions that need
 *    two opponents moving in turn, and one opponent moving twice; SMR's
 *    escape; irreversible options; coalitions; status quo paths.
 * 3. Random models checked against a naive implementation written
 *    straight from the definitions (BFS over (state, last mover) for every
 *    state), and the inclusions Nash <= SEQ <= GMR, Nash <= SMR <= GMR.
 * 4. Results that do not depend on the thread count nor on how the states
 *    are stored (region sweeps or move enumeration).
 * 5. Bad input: each problem with its file:line:column.
 */
#define _POSIX_C_SOURCE 200809L
#include "support.h"

#include "stability/analysis.h"
#include "stability/gm.h"
#include "util/rng.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Helpers ---------------------------------------------------------------
 */

static void log_problems(const pl_diag *d) {
  for (size_t i = 0; i < pl_diag_count(d); i++) {
    pl_problem p = pl_diag_get(d, i);
    cr_log_info("%s:%d:%d: %s", p.file ? p.file : "-", p.line, p.column,
                p.message);
  }
}

static pl_conflict *conflict_ok(const char *json) {
  pl_diag *d = pl_diag_new();
  pl_conflict *c = pl_conflict_load_string(json, "test.json", d);
  if (!c) {
    log_problems(d);
    cr_assert_fail("conflict did not load");
  }
  pl_diag_free(d);
  return c;
}

/* Loads a conflict that must fail; returns the problems (caller frees). */
static pl_diag *conflict_fail(const char *json) {
  pl_diag *d = pl_diag_new();
  pl_conflict *c = pl_conflict_load_string(json, "test.json", d);
  if (c) {
    pl_conflict_free(c);
    cr_assert_fail("conflict loaded but should have been rejected");
  }
  cr_assert_gt(pl_diag_count(d), 0, "rejected without a message");
  log_problems(d);
  return d;
}

/* The problem whose message contains `needle`. */
static pl_problem find(const pl_diag *d, const char *needle) {
  for (size_t i = 0; i < pl_diag_count(d); i++) {
    pl_problem p = pl_diag_get(d, i);
    if (p.message && strstr(p.message, needle))
      return p;
  }
  log_problems(d);
  cr_assert_fail("no problem mentions '%s'", needle);
  return (pl_problem){0};
}

/* The 1-based column (in characters) of `needle` on line `line`. */
static int col_of(const char *text, int line, const char *needle) {
  const char *p = text;
  for (int l = 1; l < line; l++) {
    p = strchr(p, '\n');
    cr_assert_not_null(p);
    p++;
  }
  const char *end = strchr(p, '\n'), *hit = strstr(p, needle);
  cr_assert(hit && (!end || hit < end), "'%s' is not on line %d", needle, line);
  int col = 1;
  for (const char *q = p; q < hit; q++)
    col += ((unsigned char)*q & 0xC0) != 0x80;
  return col;
}

static pl_stability *analyse_opts(const pl_conflict *c,
                                  const pl_stability_options *o) {
  pl_diag *d = pl_diag_new();
  pl_status st;
  pl_stability *a = pl_stability_analyze(c, o, d, &st);
  if (!a)
    log_problems(d);
  cr_assert_not_null(a, "analysis failed with status %d", st);
  pl_diag_free(d);
  return a;
}

static pl_stability *analyse(const pl_conflict *c) {
  pl_stability_options o;
  pl_stability_options_init(&o);
  o.threads = 2;
  return analyse_opts(c, &o);
}

/* State number of the state whose options taken are `yn` ("YNY"). */
static uint64_t number_of(const pl_stability *a, const char *yn) {
  uint64_t code = 0;
  for (size_t k = 0; yn[k]; k++)
    code |= (uint64_t)(yn[k] == 'Y') << k;
  for (uint64_t s = 1; s <= pl_stability_num_states(a); s++)
    if (pl_stability_state_code(a, s) == code)
      return s;
  cr_assert_fail("state %s is not feasible", yn);
  return 0;
}

static const char *const CONCEPT[4] = {"Nash", "GMR", "SMR", "SEQ"};

/* ---- 1. The reference cases ------------------------------------------------
 */

/* The parley conflict of a reference case: its options in order, each DM
 * with an explicit ranking by state number (most preferred first). */
static char *reference_conflict(const json_t *ref) {
  json_t *doc = json_object(), *dms = json_array();
  const json_t *opts = json_object_get(ref, "options");
  size_t next = 0, i;
  const json_t *dm;
  json_array_foreach(json_object_get(ref, "dms"), i, dm) {
    const char *name = json_string_value(json_object_get(dm, "name"));
    json_t *mine = json_array();
    size_t j;
    const json_t *k;
    json_array_foreach(json_object_get(dm, "options"), j, k) {
      /* parley numbers options DM by DM: the reference must agree */
      cr_assert_eq((size_t)json_integer_value(k), next++);
      const json_t *o = json_array_get(opts, (size_t)json_integer_value(k));
      char id[32];
      snprintf(id, sizeof id, "option_%zu", next - 1);
      json_array_append_new(
          mine,
          json_pack("{s:s, s:s, s:O}", "name", id, "description",
                    json_string_value(json_object_get(o, "name")),
                    "reversibility", json_object_get(o, "reversibility")));
    }
    json_array_append_new(
        dms,
        json_pack("{s:s, s:o, s:O}", "name", name, "options", mine, "ranking",
                  json_object_get(json_object_get(ref, "preferences"), name)));
  }
  json_object_set_new(doc, "conflict", json_integer(1));
  json_object_set_new(doc, "decision_makers", dms);
  char *text = json_dumps(doc, JSON_INDENT(1));
  json_decref(doc);
  return text;
}

/* Every state of `list` and no other is in the set tested by `in`. */
static void expect_set(const pl_stability *a, const json_t *list,
                       bool (*in)(const pl_stability *, uint32_t, uint32_t,
                                  uint64_t),
                       uint32_t k, uint32_t dm, const char *what) {
  uint64_t F = pl_stability_num_states(a);
  for (uint64_t s = 1; s <= F; s++) {
    bool want = false;
    size_t j;
    const json_t *v;
    json_array_foreach(list, j, v) want |= (uint64_t)json_integer_value(v) == s;
    cr_expect_eq(in(a, k, dm, s), want, "%s: state %llu should %sbe stable",
                 what, (unsigned long long)s, want ? "" : "not ");
  }
}

static bool stable_in(const pl_stability *a, uint32_t k, uint32_t dm,
                      uint64_t s) {
  return pl_stability_is_stable(a, (pl_concept)k, dm, s);
}

static bool eq_in(const pl_stability *a, uint32_t k, uint32_t dm, uint64_t s) {
  (void)dm;
  return pl_stability_is_equilibrium(a, (pl_concept)k, s);
}

/* L_h (bit h-1) or NM (GM_LM_NM) equilibria. */
static uint16_t lm_bit;
static bool lm_in(const pl_stability *a, uint32_t k, uint32_t dm, uint64_t s) {
  (void)k;
  (void)dm;
  return a->lm[(s - 1) * 2] & a->lm[(s - 1) * 2 + 1] & lm_bit;
}

static void check_reference(const char *file) {
  char path[512];
  snprintf(path, sizeof path, "gmcr/%s", file);
  json_error_t err;
  json_t *ref = json_load_file(data_path(path), 0, &err);
  cr_assert_not_null(ref, "%s: %s", path, err.text);
  char *text = reference_conflict(ref);
  pl_conflict *c = conflict_ok(text);
  pl_stability *a = analyse(c);
  /* Our numbering is the reference's: increasing decimal code. */
  size_t i;
  const json_t *st;
  json_array_foreach(json_object_get(ref, "states"), i, st) {
    cr_assert_eq(number_of(a, json_string_value(json_object_get(st, "yn"))),
                 (uint64_t)json_integer_value(json_object_get(st, "id")));
  }
  const json_t *exp = json_object_get(ref, "expected");
  for (uint32_t k = 0; k < 4; k++) {
    const json_t *per =
        json_object_get(json_object_get(exp, "individual"), CONCEPT[k]);
    for (uint32_t dm = 0; dm < pl_conflict_num_dms(c); dm++) {
      char what[128];
      snprintf(what, sizeof what, "%s %s %s", file, CONCEPT[k],
               pl_conflict_dm_name(c, dm));
      expect_set(a, json_object_get(per, pl_conflict_dm_name(c, dm)), stable_in,
                 k, dm, what);
    }
    expect_set(a,
               json_object_get(json_object_get(exp, "equilibria"), CONCEPT[k]),
               eq_in, k, 0, CONCEPT[k]);
  }
  /* Limited move, where the reference gives it (tie rule: stay unless
   * strictly better, as ours). */
  const json_t *eqs = json_object_get(exp, "equilibria");
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)eqs, key, v) {
    if (!strcmp(key, "L1") || !strcmp(key, "L2"))
      lm_bit = (uint16_t)(1u << (key[1] - '1'));
    else if (!strncmp(key, "L_h", 3))
      lm_bit = GM_LM_NM;
    else
      continue;
    cr_assert(a->has_lm);
    expect_set(a, v, lm_in, 0, 0, key);
  }
  pl_stability_free(a);
  pl_conflict_free(c);
  free(text);
  json_decref(ref);
}

Test(reference, prisoners_dilemma) {
  check_reference("prisoners_dilemma.json");
}
Test(reference, chicken) { check_reference("chicken.json"); }

/* ---- 2. Cases built by hand ------------------------------------------------
 */

/* Three DMs with one option each: a (A), b (B), c (C). A's first concern
 * is that B and C do not both act ("not b or not c"); then it wants a.
 * At s = NNN A improves to s1 = YNN (score 2 -> 3). Neither B alone (YYN)
 * nor C alone (YNY) hurts A (both still score 3): only B and C moving in
 * turn reach YYY (score 1 < 2). So s is GMR stable for A only because
 * R_{B,C} chains their moves; and since each step is an improvement for
 * its mover (B wants b, C wants c), SEQ stable too. */
Test(hand, sanction_by_two_opponents_in_turn) {
  pl_conflict *c = conflict_ok(
      "{\"decision_makers\": ["
      " {\"name\": \"A\", \"options\": [\"a\"],"
      "  \"preferences\": [\"not b or not c\", \"a\"]},"
      " {\"name\": \"B\", \"options\": [\"b\"], \"preferences\": [\"b\"]},"
      " {\"name\": \"C\", \"options\": [\"c\"], \"preferences\": [\"c\"]}]}");
  pl_stability *a = analyse(c);
  uint64_t s = number_of(a, "NNN");
  cr_expect_not(pl_stability_is_stable(a, PL_CONCEPT_NASH, 0, s));
  cr_expect(pl_stability_is_stable(a, PL_CONCEPT_GMR, 0, s));
  cr_expect(pl_stability_is_stable(a, PL_CONCEPT_SEQ, 0, s));
  /* The explanation names both steps. */
  gm_path p = gm_sanction(a, PL_CONCEPT_GMR, 0, 0, 1);
  cr_assert(p.found);
  cr_expect_eq(p.n, 2);
  cr_expect_eq(p.steps[1].code, 7); /* YYY */
  gm_path_free(&p);
  pl_stability_free(a);
  pl_conflict_free(c);
}

/* A sanction that needs B to move twice (not in a row): B -> C -> B. A
 * controls a; B controls b1, b2; C controls c. Rules: c only if b1 (C
 * cannot act first), b2 only if c (B cannot take b2 before C acts). A's
 * first concern is not b2, then a. From s (nothing taken, A scores 2) A
 * improves to s1 = {a} (3). The only state A likes less than s is one
 * with b2, and from s1 the only way there is B: +b1, C: +c, B: +b2. An
 * analysis that lets each opponent move once (as GMCR+ does) finds no
 * sanction; the definition's legal sequences do. */
static const char *const TWICE =
    "{\"decision_makers\": ["
    " {\"name\": \"A\", \"options\": [\"a\"],"
    "  \"preferences\": [\"not b2\", \"a\"]},"
    " {\"name\": \"B\", \"options\": [\"b1\", \"b2\"],"
    "  \"preferences\": [\"b1\", \"b2\"]},"
    " {\"name\": \"C\", \"options\": [\"c\"], \"preferences\": [\"c\"]}],"
    " \"infeasible\": [{\"require\": \"c only if b1\"},"
    "                  {\"require\": \"b2 only if c\"}]}";

Test(hand, sanction_needs_an_opponent_twice) {
  pl_conflict *c = conflict_ok(TWICE);
  pl_stability *a = analyse(c);
  uint64_t s = number_of(a, "NNNN");
  cr_expect_not(pl_stability_is_stable(a, PL_CONCEPT_NASH, 0, s));
  cr_expect(pl_stability_is_stable(a, PL_CONCEPT_GMR, 0, s));
  /* B improves at each of its steps (b1, then b2 with b1 kept), C too. */
  cr_expect(pl_stability_is_stable(a, PL_CONCEPT_SEQ, 0, s));
  gm_path p = gm_sanction(a, PL_CONCEPT_GMR, 0, 0, 1);
  cr_assert(p.found);
  cr_assert_eq(p.n, 3);
  cr_expect_eq(p.steps[0].dm, 1);
  cr_expect_eq(p.steps[1].dm, 2);
  cr_expect_eq(p.steps[2].dm, 1);
  gm_path_free(&p);
  pl_stability_free(a);
  pl_conflict_free(c);
}

/* The same without b2 reachable (B may only drop it): no sanction left,
 * so s is GMR unstable for A. */
Test(hand, sanction_blocked_by_irreversibility) {
  char *text = strdup(TWICE);
  char *at = strstr(text, "\"b2\"]");
  cr_assert_not_null(at);
  const char *with = "{\"name\": \"b2\", \"reversibility\": \"to_no\"}]";
  size_t len = strlen(text) + strlen(with);
  char *doc = malloc(len + 1);
  snprintf(doc, len + 1, "%.*s%s%s", (int)(at - text), text, with, at + 5);
  pl_conflict *c = conflict_ok(doc);
  pl_stability *a = analyse(c);
  uint64_t s = number_of(a, "NNNN");
  cr_expect_not(pl_stability_is_stable(a, PL_CONCEPT_GMR, 0, s));
  cr_expect_not(pl_stability_is_stable(a, PL_CONCEPT_SMR, 0, s));
  pl_stability_free(a);
  pl_conflict_free(c);
  free(doc);
  free(text);
}

/* SMR's escape. A controls a1, a2; B controls b. A's ranking (best first)
 * by Y/N vector a1 a2 b: YYY, YNN, NYY, NNN, YNY, YYN, NYN, NNY. At s = NNN
 * (4th) A's only improvement is YNN (2nd); B sanctions it with YNY (5th,
 * worse than s), so s is GMR stable for A. But from YNY A can move to NYY
 * (3rd), which it prefers to s: the sanction does not hold, so s is not
 * SMR stable. */
Test(hand, smr_escape) {
  pl_conflict *c = conflict_ok(
      "{\"decision_makers\": ["
      " {\"name\": \"A\", \"options\": [\"a1\", \"a2\"],"
      "  \"ranking\": [\"YYY\", \"YNN\", \"NYY\", \"NNN\", \"YNY\", \"YYN\","
      "               \"NYN\", \"NNY\"]},"
      " {\"name\": \"B\", \"options\": [\"b\"],"
      "  \"ranking\": [\"YNY\", [\"NNN\", \"YYY\", \"YNN\", \"NYY\", \"YYN\","
      "               \"NYN\", \"NNY\"]]}]}");
  pl_stability *a = analyse(c);
  uint64_t s = number_of(a, "NNN");
  cr_expect_not(pl_stability_is_stable(a, PL_CONCEPT_NASH, 0, s));
  cr_expect(pl_stability_is_stable(a, PL_CONCEPT_GMR, 0, s));
  cr_expect_not(pl_stability_is_stable(a, PL_CONCEPT_SMR, 0, s));
  /* B's sanction YNN -> YNY is an improvement for B: SEQ stable. */
  cr_expect(pl_stability_is_stable(a, PL_CONCEPT_SEQ, 0, s));
  pl_stability_free(a);
  pl_conflict_free(c);
}

/* An option that can only be taken: once A has it, A cannot go back, even
 * though it would like to; so YN is Nash stable for A. With "both" it is
 * not. */
Test(hand, irreversible_option) {
  const char *fmt =
      "{\"decision_makers\": ["
      " {\"name\": \"A\", \"options\": [{\"name\": \"a\", "
      "\"reversibility\": \"%s\"}], \"preferences\": [\"not a\"]},"
      " {\"name\": \"B\", \"options\": [\"b\"], \"preferences\": [\"b\"]}]}";
  char doc[512];
  snprintf(doc, sizeof doc, fmt, "to_yes");
  pl_conflict *c = conflict_ok(doc);
  pl_stability *a = analyse(c);
  cr_expect(pl_stability_is_stable(a, PL_CONCEPT_NASH, 0, number_of(a, "YN")));
  pl_stability_free(a);
  pl_conflict_free(c);
  snprintf(doc, sizeof doc, fmt, "both");
  c = conflict_ok(doc);
  a = analyse(c);
  cr_expect_not(
      pl_stability_is_stable(a, PL_CONCEPT_NASH, 0, number_of(a, "YN")));
  pl_stability_free(a);
  pl_conflict_free(c);
}

/* The Prisoners' Dilemma by option statements (GMCR II style) gives the
 * reference results too: P1 most wants P2 not to defect, then to defect
 * itself. */
static const char *const PD_STATEMENTS =
    "{\"decision_makers\": ["
    " {\"name\": \"P1\", \"options\": [\"d1\"],"
    "  \"preferences\": [\"-d2\", \"d1\"]},"
    " {\"name\": \"P2\", \"options\": [\"d2\"],"
    "  \"preferences\": [\"NOT d1\", \"d2\"]}],"
    " \"states\": [{\"name\": \"defect\", \"taken\": [\"d1\", \"d2\"]},"
    "              {\"name\": \"cooperate\", \"taken\": []}],"
    " \"status_quo\": \"defect\"}";

Test(hand, statements_and_status_quo) {
  pl_conflict *c = conflict_ok(PD_STATEMENTS);
  pl_stability *a = analyse(c);
  for (uint64_t s = 1; s <= 4; s++) {
    cr_expect_eq(pl_stability_is_equilibrium(a, PL_CONCEPT_NASH, s), s == 4);
    cr_expect_eq(pl_stability_is_equilibrium(a, PL_CONCEPT_GMR, s),
                 s == 1 || s == 4);
  }
  /* From mutual defection, cooperation is reached only by moves that are
   * not improvements (each prisoner loses by cooperating alone): 2 moves. */
  cr_assert(a->has_from);
  gm_path pi = gm_bfs_path(a->by_improvements, 0);
  gm_path pm = gm_bfs_path(a->by_moves, 0);
  cr_expect_not(pi.found);
  cr_assert(pm.found);
  cr_expect_eq(pm.n, 2);
  cr_expect_neq(pm.steps[0].dm, pm.steps[1].dm);
  gm_path_free(&pi);
  gm_path_free(&pm);
  /* Coalition analysis: together the prisoners leave mutual defection for
   * cooperation, which both prefer; from cooperation no joint move helps
   * both. Nobody is left to sanction, so GMR = Nash for the coalition. */
  cr_assert_eq(a->ncoal, 0);
  pl_stability_options o;
  pl_stability_options_init(&o);
  o.coalitions = "P1+P2";
  pl_stability *b = analyse_opts(c, &o);
  cr_assert_eq(b->ncoal, 1);
  cr_expect_not(b->coal[0].flags[3] & 1); /* state 4: joint improvement */
  cr_expect(b->coal[0].flags[0] & 1);     /* state 1: none */
  cr_expect_eq(b->coal[0].flags[3] >> 1 & 1, 0);
  cr_expect_eq(b->coal[0].witness[0][3], 0); /* ... to state 1 */
  pl_stability_free(b);
  pl_stability_free(a);
  pl_conflict_free(c);
}

Test(hand, formulas) {
  const char *names[] = {"p", "q", "r"};
  struct {
    const char *text;
    unsigned truth; /* bit k: value at code k (p = bit 0, q = bit 1) */
  } cases[] = {
      {"p", 0xAA},
      {"not p", 0x55},
      {"-p", 0x55},
      {"p and q", 0x88},
      {"p & q", 0x88},
      {"p or q", 0xEE},
      {"q if p", 0xDD},
      {"q IF p", 0xDD},
      {"p only if q", 0xDD},
      {"p iff q", 0x99},
      {"`p` or r", 0xFA},
      {"!(p || q) && r", 0x10},
      {"p and (q or r)", 0xA8},
      {"not not p", 0xAA},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    pl_arena arena;
    pl_arena_init(&arena);
    gm_formula f;
    int col;
    char msg[256];
    cr_assert(gm_formula_parse(&arena, cases[k].text, names, 3, &f, &col, msg,
                               sizeof msg),
              "%s: %s", cases[k].text, msg);
    for (uint64_t s = 0; s < 8; s++)
      cr_expect_eq(gm_formula_eval(&f, s), (cases[k].truth >> s) & 1,
                   "%s at %llu", cases[k].text, (unsigned long long)s);
    pl_arena_release(&arena);
  }
  struct {
    const char *text, *msg;
    int col;
  } bad[] = {{"p and not p", "twice", 13 - 2},
             {"p and x", "unknown", 7},
             {"p if q if r", "chain", 8},
             {"(p or q", "')'", 8},
             {"p q", "unexpected", 3},
             {"", "ends", 1},
             {"`p", "backquote", 1}};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    pl_arena arena;
    pl_arena_init(&arena);
    gm_formula f;
    int col;
    char msg[256];
    cr_expect_not(gm_formula_parse(&arena, bad[k].text, names, 3, &f, &col, msg,
                                   sizeof msg),
                  "%s parsed", bad[k].text);
    cr_expect(strstr(msg, bad[k].msg), "%s: %s", bad[k].text, msg);
    cr_expect_eq(col, bad[k].col, "%s: column %d", bad[k].text, col);
    pl_arena_release(&arena);
  }
}

/* ---- 3. Random models against a naive implementation --------------------- */

enum { RM_OPTIONS = 7, RM_DMS = 4 };

typedef struct rmodel {
  uint32_t m, n;
  int owner[RM_OPTIONS];
  uint8_t rev[RM_OPTIONS];
  uint32_t npat;
  uint64_t care[3], want[3]; /* infeasible patterns */
  uint32_t score[RM_DMS][1 << RM_OPTIONS];
  uint8_t nmoves[RM_DMS][1 << RM_OPTIONS]; /* rm_prepare's table */
  uint8_t moves[RM_DMS][1 << RM_OPTIONS][1 << RM_OPTIONS];
} rmodel;

static bool rm_feasible(const rmodel *M, uint64_t s) {
  for (uint32_t k = 0; k < M->npat; k++)
    if ((s & M->care[k]) == M->want[k])
      return false;
  return true;
}

/* R_j(s), from the definition: t != s feasible, differing from s only in
 * j's options, each changed option respecting its reversibility. */
static uint32_t rm_moves_def(const rmodel *M, uint32_t j, uint64_t s,
                             uint64_t *out) {
  uint32_t n = 0;
  for (uint64_t t = 0; t < ((uint64_t)1 << M->m); t++) {
    uint64_t diff = s ^ t;
    bool ok = t != s && rm_feasible(M, t);
    for (uint32_t k = 0; ok && k < M->m; k++) {
      if (!(diff >> k & 1))
        continue;
      ok = M->owner[k] == (int)j &&
           !(M->rev[k] == GM_REV_TO_YES && !(t >> k & 1)) &&
           !(M->rev[k] == GM_REV_TO_NO && (t >> k & 1));
    }
    if (ok)
      out[n++] = t;
  }
  return n;
}

/* The same, looked up in a table filled once per model (speed only). */
static uint32_t rm_moves(const rmodel *M, uint32_t j, uint64_t s,
                         uint64_t *out) {
  uint32_t n = M->nmoves[j][s];
  for (uint32_t k = 0; k < n; k++)
    out[k] = M->moves[j][s][k];
  return n;
}

static void rm_prepare(rmodel *M) {
  uint64_t list[1 << RM_OPTIONS];
  for (uint32_t j = 0; j < M->n; j++)
    for (uint64_t s = 0; s < ((uint64_t)1 << M->m); s++) {
      M->nmoves[j][s] = (uint8_t)rm_moves_def(M, j, s, list);
      for (uint32_t k = 0; k < M->nmoves[j][s]; k++)
        M->moves[j][s][k] = (uint8_t)list[k];
    }
}

/* R_H(s) or R_H^+(s): the pseudocode of definitions.md section 2. */
static void rm_reach(const rmodel *M, uint64_t H, bool improving, uint64_t s,
                     bool *in) {
  enum { NS = 1 << RM_OPTIONS };
  static _Thread_local bool seen[NS][RM_DMS];
  uint64_t queue[NS * RM_DMS][2], moves[NS];
  size_t head = 0, tail = 0;
  memset(seen, 0, sizeof seen);
  memset(in, 0, NS * sizeof *in);
  for (uint32_t j = 0; j < M->n; j++) {
    if (!(H >> j & 1))
      continue;
    uint32_t nm = rm_moves(M, j, s, moves);
    for (uint32_t k = 0; k < nm; k++)
      if ((!improving || M->score[j][moves[k]] > M->score[j][s]) &&
          !seen[moves[k]][j]) {
        seen[moves[k]][j] = true;
        queue[tail][0] = moves[k];
        queue[tail++][1] = j;
      }
  }
  while (head < tail) {
    uint64_t x = queue[head][0], last = queue[head++][1];
    in[x] = true;
    for (uint32_t j = 0; j < M->n; j++) {
      if (!(H >> j & 1) || j == last)
        continue;
      uint32_t nm = rm_moves(M, j, x, moves);
      for (uint32_t k = 0; k < nm; k++)
        if ((!improving || M->score[j][moves[k]] > M->score[j][x]) &&
            !seen[moves[k]][j]) {
          seen[moves[k]][j] = true;
          queue[tail][0] = moves[k];
          queue[tail++][1] = j;
        }
    }
  }
}

/* Bit k: stable under concept k, straight from section 3. */
static unsigned rm_stability(const rmodel *M, uint32_t i, uint64_t s) {
  uint64_t ui[1 << RM_OPTIONS], esc[1 << RM_OPTIONS];
  bool in[1 << RM_OPTIONS];
  uint32_t n = rm_moves(M, i, s, ui), nu = 0;
  for (uint32_t k = 0; k < n; k++)
    if (M->score[i][ui[k]] > M->score[i][s])
      ui[nu++] = ui[k];
  unsigned flags = nu ? 14 : 15;
  uint64_t others = ((1u << M->n) - 1) & ~(1u << i);
  for (uint32_t k = 0; k < nu; k++) {
    bool gmr = false, smr = false, seq = false;
    rm_reach(M, others, false, ui[k], in);
    for (uint64_t u = 0; u < ((uint64_t)1 << M->m); u++) {
      if (!in[u] || M->score[i][u] > M->score[i][s])
        continue;
      gmr = true;
      uint32_t ne = rm_moves(M, i, u, esc);
      bool escape = false;
      for (uint32_t e = 0; e < ne; e++)
        escape |= M->score[i][esc[e]] > M->score[i][s];
      smr |= !escape;
    }
    rm_reach(M, others, true, ui[k], in);
    for (uint64_t u = 0; u < ((uint64_t)1 << M->m); u++)
      seq |= in[u] && M->score[i][u] <= M->score[i][s];
    flags &= ~(unsigned)((!gmr) << 1 | (!smr) << 2 | (!seq) << 3);
  }
  return flags;
}

/* A random model, and its parley JSON (rankings by state number, rules as
 * patterns). */
static char *random_model(pl_rng *r, rmodel *M) {
  do {
    memset(M, 0, sizeof *M);
    M->m = 2 + (uint32_t)pl_rng_below(r, RM_OPTIONS - 1);
    M->n = 2 + (uint32_t)pl_rng_below(r, (M->m < RM_DMS ? M->m : RM_DMS) - 1);
    for (uint32_t k = 0; k < M->m; k++) {
      M->owner[k] = k < M->n ? (int)k : (int)pl_rng_below(r, M->n);
      uint64_t x = pl_rng_below(r, 10);
      M->rev[k] = x < 6 ? GM_REV_BOTH : x < 8 ? GM_REV_TO_YES : GM_REV_TO_NO;
    }
    M->npat = (uint32_t)pl_rng_below(r, 3);
    for (uint32_t p = 0; p < M->npat; p++)
      for (int l = 0; l < 2 + (int)pl_rng_below(r, 2); l++) {
        uint64_t k = pl_rng_below(r, M->m);
        M->care[p] |= (uint64_t)1 << k;
        M->want[p] |= pl_rng_below(r, 2) << k;
      }
  } while (!rm_feasible(M, 0) && !rm_feasible(M, (1u << M->m) - 1));
  /* Options sorted by owner, so that parley's numbering (DM by DM) is the
   * model's. */
  for (uint32_t a = 0; a < M->m; a++)
    for (uint32_t b = a + 1; b < M->m; b++)
      if (M->owner[b] < M->owner[a]) {
        int t = M->owner[a];
        M->owner[a] = M->owner[b];
        M->owner[b] = t;
      }
  for (uint32_t i = 0; i < M->n; i++)
    for (uint64_t s = 0; s < ((uint64_t)1 << M->m); s++)
      M->score[i][s] = (uint32_t)pl_rng_below(r, 6);
  rm_prepare(M);
  json_t *doc = json_object(), *dms = json_array(), *inf = json_array();
  uint64_t number[1 << RM_OPTIONS], count = 0;
  for (uint64_t s = 0; s < ((uint64_t)1 << M->m); s++)
    number[s] = rm_feasible(M, s) ? ++count : 0;
  for (uint32_t i = 0; i < M->n; i++) {
    json_t *opts = json_array(), *rank = json_array();
    for (uint32_t k = 0; k < M->m; k++) {
      char name[16];
      snprintf(name, sizeof name, "o%u", k);
      if (M->owner[k] == (int)i)
        json_array_append_new(
            opts, json_pack("{s:s, s:s}", "name", name, "reversibility",
                            M->rev[k] == GM_REV_BOTH     ? "both"
                            : M->rev[k] == GM_REV_TO_YES ? "to_yes"
                                                         : "to_no"));
    }
    for (int v = 5; v >= 0; v--) {
      json_t *tie = json_array();
      for (uint64_t s = 0; s < ((uint64_t)1 << M->m); s++)
        if (number[s] && M->score[i][s] == (uint32_t)v)
          json_array_append_new(tie, json_integer((json_int_t)number[s]));
      if (json_array_size(tie))
        json_array_append_new(rank, tie);
      else
        json_decref(tie);
    }
    char name[16];
    snprintf(name, sizeof name, "D%u", i);
    json_array_append_new(dms, json_pack("{s:s, s:o, s:o}", "name", name,
                                         "options", opts, "ranking", rank));
  }
  for (uint32_t p = 0; p < M->npat; p++) {
    char pat[RM_OPTIONS + 1];
    for (uint32_t k = 0; k < M->m; k++)
      pat[k] = !(M->care[p] >> k & 1) ? '-' : (M->want[p] >> k & 1) ? 'Y' : 'N';
    pat[M->m] = 0;
    json_array_append_new(inf, json_pack("{s:s}", "pattern", pat));
  }
  json_object_set_new(doc, "decision_makers", dms);
  json_object_set_new(doc, "infeasible", inf);
  char *text = json_dumps(doc, 0);
  json_decref(doc);
  return text;
}

/* Coalition {D0, D1} by the definitions: a joint improvement t (every
 * member strictly better, t in R_C(s)) is deterred when the others reach
 * from t a state some member likes no more than s. */
static unsigned rm_coalition(const rmodel *M, uint64_t s) {
  bool jt[1 << RM_OPTIONS], in[1 << RM_OPTIONS];
  uint64_t C = 3, others = ((1u << M->n) - 1) & ~C;
  rm_reach(M, C, false, s, jt);
  unsigned flags = 1 | 2 | 8;
  for (uint64_t t = 0; t < ((uint64_t)1 << M->m); t++) {
    if (!jt[t] || M->score[0][t] <= M->score[0][s] ||
        M->score[1][t] <= M->score[1][s])
      continue;
    flags &= ~1u;
    for (int imp = 0; imp < 2; imp++) {
      rm_reach(M, others, imp, t, in);
      bool deterred = false;
      for (uint64_t u = 0; u < ((uint64_t)1 << M->m); u++)
        deterred |= in[u] && (M->score[0][u] <= M->score[0][s] ||
                              M->score[1][u] <= M->score[1][s]);
      if (!deterred)
        flags &= ~(imp ? 8u : 2u);
    }
  }
  return flags;
}

/* G(a, s, h) of limited.c's header, by plain recursion. */
static uint64_t rm_anticipate(const rmodel *M, uint32_t a, uint64_t s,
                              uint32_t h) {
  if (!h)
    return s;
  uint64_t moves[1 << RM_OPTIONS], pick = UINT64_MAX;
  uint32_t nm = rm_moves(M, a, s, moves);
  for (uint32_t k = 0; k < nm; k++) {
    uint64_t o = rm_anticipate(M, 1 - a, moves[k], h - 1);
    if (pick == UINT64_MAX || M->score[a][o] > M->score[a][pick] ||
        (M->score[a][o] == M->score[a][pick] && o < pick))
      pick = o;
  }
  return pick != UINT64_MAX && M->score[a][pick] > M->score[a][s] ? pick : s;
}

static void check_random(pl_rng *r, int round) {
  static rmodel M; /* 70 KB: not on the stack */
  char *text = random_model(r, &M);
  pl_conflict *c = conflict_ok(text);
  pl_stability_options o;
  pl_stability_options_init(&o);
  o.threads = 1 + (unsigned)(round % 3);
  o.coalitions = M.n >= 3 ? "D0+D1" : NULL;
  for (int sorted = 0; sorted < 2; sorted++) {
    pl_diag *d = pl_diag_new();
    pl_status st;
    pl_stability *a = gm_analyze(c, &o, sorted, d, &st);
    cr_assert_not_null(a);
    for (uint64_t s = 0; s < ((uint64_t)1 << M.m); s++) {
      if (!rm_feasible(&M, s))
        continue;
      uint64_t idx = gm_index(&a->x.space, s);
      for (uint32_t i = 0; i < M.n; i++) {
        unsigned want = rm_stability(&M, i, s), got = a->flags[idx * M.n + i];
        cr_assert_eq(got, want,
                     "round %d (%s): state %llu DM %u: got %x, want %x\n%s",
                     round, sorted ? "enumeration" : "sweeps",
                     (unsigned long long)s, i, got, want, text);
      }
      if (M.n >= 3)
        cr_assert_eq(a->coal[0].flags[idx], rm_coalition(&M, s),
                     "round %d coalition at %llu\n%s", round,
                     (unsigned long long)s, text);
      for (uint32_t h = 1; M.n == 2 && h <= o.horizon; h++)
        for (uint32_t dm = 0; dm < 2; dm++)
          cr_assert_eq(a->lm[idx * 2 + dm] >> (h - 1) & 1,
                       rm_anticipate(&M, dm, s, h) == s,
                       "round %d: L%u at %llu for D%u\n%s", round, h,
                       (unsigned long long)s, dm, text);
    }
    pl_stability_free(a);
    pl_diag_free(d);
  }
  pl_conflict_free(c);
  free(text);
}

Test(random, against_the_definitions) {
  pl_rng r;
  pl_rng_seed(&r, 20261127);
  for (int round = 0; round < 150; round++)
    check_random(&r, round);
}

/* A random conflict of option statements and rules, for the larger
 * checks (JSON text written here; the same seed gives the same model). */
static char *statement_model(pl_rng *r, uint32_t m, uint32_t n) {
  json_t *doc = json_object(), *dms = json_array(), *inf = json_array();
  const char *ops[] = {" and ", " or ", " if ", " iff ", " only if "};
  for (uint32_t i = 0; i < n; i++) {
    json_t *opts = json_array(), *prefs = json_array();
    for (uint32_t k = i; k < m; k += n) {
      char name[16];
      snprintf(name, sizeof name, "o%u", k);
      uint64_t x = pl_rng_below(r, 8);
      json_array_append_new(opts, json_pack("{s:s, s:s}", "name", name,
                                            "reversibility",
                                            x < 6   ? "both"
                                            : x < 7 ? "to_yes"
                                                    : "to_no"));
    }
    for (int q = 0; q < 3 + (int)pl_rng_below(r, 4); q++) {
      uint64_t a = pl_rng_below(r, m), b = pl_rng_below(r, m);
      char st[64];
      if (a == b)
        snprintf(st, sizeof st, "%so%llu", pl_rng_below(r, 2) ? "not " : "",
                 (unsigned long long)a);
      else
        snprintf(st, sizeof st, "%so%llu%s%so%llu",
                 pl_rng_below(r, 2) ? "not " : "", (unsigned long long)a,
                 ops[pl_rng_below(r, 5)], pl_rng_below(r, 2) ? "-" : "",
                 (unsigned long long)b);
      json_array_append_new(prefs, json_string(st));
    }
    char name[16];
    snprintf(name, sizeof name, "D%u", i);
    json_array_append_new(dms,
                          json_pack("{s:s, s:o, s:o}", "name", name, "options",
                                    opts, "preferences", prefs));
  }
  for (uint32_t k = 0; k + 5 < m; k += 5) {
    char a[16], b[16];
    snprintf(a, sizeof a, "o%u", k);
    snprintf(b, sizeof b, "o%u", k + 3);
    json_array_append_new(inf, json_pack("{s:[s,s]}", "exclusive", a, b));
  }
  json_object_set_new(doc, "decision_makers", dms);
  json_object_set_new(doc, "infeasible", inf);
  char *text = json_dumps(doc, 0);
  json_decref(doc);
  return text;
}

Test(random, inclusions) {
  pl_rng r;
  pl_rng_seed(&r, 7);
  for (int round = 0; round < 30; round++) {
    uint32_t m = 4 + (uint32_t)pl_rng_below(&r, 7);
    uint32_t n = 2 + (uint32_t)pl_rng_below(&r, 4);
    char *text = statement_model(&r, m, n);
    pl_conflict *c = conflict_ok(text);
    pl_stability *a = analyse(c);
    for (uint64_t s = 0; s < a->x.space.count; s++)
      for (uint32_t i = 0; i < n; i++) {
        bool nash = gm_stable(a, 0, i, s), gmr = gm_stable(a, 1, i, s),
             smr = gm_stable(a, 2, i, s), seq = gm_stable(a, 3, i, s);
        cr_assert(!nash || seq, "Nash but not SEQ\n%s", text);
        cr_assert(!seq || gmr, "SEQ but not GMR\n%s", text);
        cr_assert(!nash || smr, "Nash but not SMR\n%s", text);
        cr_assert(!smr || gmr, "SMR but not GMR\n%s", text);
      }
    pl_stability_free(a);
    pl_conflict_free(c);
    free(text);
  }
}

/* ---- 4. Independence of threads and storage ------------------------------ */

/* The JSON report without "run" (threads, time). */
static json_t *report(const pl_stability *a) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_eq(pl_stability_write_json(a, f), PL_OK);
  fclose(f);
  json_error_t err;
  json_t *doc = json_loads(buf, 0, &err);
  cr_assert_not_null(doc, "invalid JSON: %s", err.text);
  json_object_del(doc, "run");
  free(buf);
  return doc;
}

Test(threads, same_results) {
  pl_rng r;
  pl_rng_seed(&r, 99);
  uint32_t shapes[][2] = {{10, 2}, {10, 3}, {9, 4}};
  for (size_t k = 0; k < 3; k++) {
    char *text = statement_model(&r, shapes[k][0], shapes[k][1]);
    pl_conflict *c = conflict_ok(text);
    pl_stability_options o;
    pl_stability_options_init(&o);
    o.coalitions = shapes[k][1] > 2 ? "D0+D1" : NULL;
    o.from = "1";
    json_t *first = NULL;
    for (unsigned t = 1; t <= 4; t += 3) {
      for (int sorted = 0; sorted < 2; sorted++) {
        o.threads = t;
        pl_diag *d = pl_diag_new();
        pl_status st;
        pl_stability *a = gm_analyze(c, &o, sorted, d, &st);
        cr_assert_not_null(a);
        json_t *doc = report(a);
        if (!first)
          first = doc;
        else {
          cr_expect(json_equal(first, doc),
                    "%u threads, %s: a different report", t,
                    sorted ? "enumeration" : "sweeps");
          json_decref(doc);
        }
        pl_stability_free(a);
        pl_diag_free(d);
      }
    }
    json_decref(first);
    pl_conflict_free(c);
    free(text);
  }
}

/* ---- The built-in conflict -------------------------------------------------
 */

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = 0;
  fclose(f);
  return buf;
}

Test(builtin, embedded_copy_is_the_file) {
  char *file = slurp(PARLEY_TEST_DATA "/../../scenarios/conflicts/talks.json");
  char *embedded = gm_builtin_conflict_text();
  cr_expect_str_eq(embedded, file,
                   "src/stability/builtin_conflict.c is out of date: "
                   "regenerate it from scenarios/conflicts/talks.json");
  free(file);
  free(embedded);
}

Test(builtin, deal_and_status_quo) {
  pl_diag *d = pl_diag_new();
  pl_conflict *c = pl_conflict_builtin(d);
  if (!c)
    log_problems(d);
  cr_assert_not_null(c);
  pl_diag_free(d);
  pl_stability *a = analyse(c);
  uint64_t deal = 0, sq = 0;
  for (uint32_t k = 0; k < c->nstates; k++)
    *(strcmp(c->states[k].name, "deal") ? &sq : &deal) = c->states[k].code;
  uint64_t ndeal = gm_index(&a->x.space, deal) + 1;
  /* The deal holds under GMR, SMR and SEQ but not Nash: Russia would
   * gain by pulling back its withdrawal, and is deterred. */
  cr_expect_not(pl_stability_is_equilibrium(a, PL_CONCEPT_NASH, ndeal));
  for (int k = 1; k < 4; k++)
    cr_expect(pl_stability_is_equilibrium(a, (pl_concept)k, ndeal));
  uint32_t russia = (uint32_t)gm_find_dm(c, "Russia");
  for (uint32_t i = 0; i < c->n; i++)
    cr_expect_eq(pl_stability_is_stable(a, PL_CONCEPT_NASH, i, ndeal),
                 i != russia, "%s", c->dms[i].name);
  /* The status quo is the only Nash equilibrium; the deal is reached from
   * it in four moves, not all improvements. */
  cr_expect(pl_stability_is_equilibrium(a, PL_CONCEPT_NASH,
                                        gm_index(&a->x.space, sq) + 1));
  gm_path p = gm_bfs_path(a->by_moves, deal);
  cr_assert(p.found);
  cr_expect_eq(p.n, 4);
  gm_path_free(&p);
  p = gm_bfs_path(a->by_improvements, deal);
  cr_expect_not(p.found);
  gm_path_free(&p);
  /* The text report says all this. */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_eq(pl_stability_write_text(a, f), PL_OK);
  fclose(f);
  cr_expect(strstr(buf, "'deal'"));
  cr_expect(strstr(buf, "Nash: unstable for Russia"));
  cr_expect(strstr(buf, "rests on:"));
  free(buf);
  pl_stability_free(a);
  pl_conflict_free(c);
}

/* ---- GMCR+ import
 * ------------------------------------------------------------ */

/* The Prisoners' Dilemma as gmcr-py saves it (Examples/Prisoners.gmcr of
 * onp/gmcr-py has this structure): option 0 is "P1 cooperates", so state 1
 * (NN) is mutual defection. */
static const char *const PD_GMCR =
    "{\"useManualPreferenceRanking\": false, \"infeasibles\": [],\n"
    " \"program\": \"gmcr-py\",\n"
    " \"options\": [{\"name\": \"Cooperate with 2\", \"permittedDirection\": "
    "\"both\"},\n"
    "   {\"name\": \"Cooperate with One\", \"permittedDirection\": "
    "\"both\"}],\n"
    " \"decisionMakers\": [\n"
    "  {\"preferences\": [[[1, \"Y\"]], [[0, \"N\"]]], \"name\": \"One\", "
    "\"options\": [0]},\n"
    "  {\"preferences\": [[[0, \"Y\"]], [[1, \"N\"]]], \"name\": \"Two\", "
    "\"options\": [1]}]}\n";

Test(gmcr, prisoners) {
  pl_conflict *c = conflict_ok(PD_GMCR);
  pl_stability *a = analyse(c);
  for (uint64_t s = 1; s <= 4; s++) {
    cr_expect_eq(pl_stability_is_equilibrium(a, PL_CONCEPT_NASH, s), s == 1);
    cr_expect_eq(pl_stability_is_equilibrium(a, PL_CONCEPT_SEQ, s),
                 s == 1 || s == 4);
  }
  pl_stability_free(a);
  pl_conflict_free(c);
}

Test(gmcr, manual_ranking_and_coalitions) {
  pl_conflict *c = conflict_ok(
      "{\"useManualPreferenceRanking\": true, \"infeasibles\": [],\n"
      " \"options\": [{\"name\": \"a\", \"permittedDirection\": \"fwd\"},\n"
      "   {\"name\": \"b\", \"permittedDirection\": \"both\"},\n"
      "   {\"name\": \"c\", \"permittedDirection\": \"back\"}],\n"
      " \"decisionMakers\": [\n"
      "  {\"name\": \"A\", \"options\": [0], \"preferences\": [],\n"
      "   \"preferenceRanking\": [8, [7, 6], 5, 4, 3, 2, 1]},\n"
      "  {\"name\": \"B\", \"options\": [1], \"preferences\": [],\n"
      "   \"preferenceRanking\": [1, 2, 3, 4, 5, 6, 7, 8]},\n"
      "  {\"name\": \"C\", \"options\": [2], \"preferences\": [],\n"
      "   \"preferenceRanking\": [[1, 2, 3, 4, 5, 6, 7, 8]]}],\n"
      " \"coalitions\": [[0, 1], 2]}");
  cr_expect_eq(c->options[0].rev, GM_REV_TO_YES);
  cr_expect_eq(c->options[2].rev, GM_REV_TO_NO);
  cr_expect_eq(c->ncoalitions, 1);
  cr_expect_eq(c->coalitions[0], 3);
  pl_stability *a = analyse(c);
  /* C is indifferent between all states: stable everywhere. A prefers
   * higher numbers (a = bit 0 raises the number), but can only take a. */
  for (uint64_t s = 1; s <= 8; s++) {
    cr_expect(pl_stability_is_stable(a, PL_CONCEPT_NASH, 2, s));
    cr_expect_eq(pl_stability_is_stable(a, PL_CONCEPT_NASH, 0, s), s % 2 == 0,
                 "A at %llu", (unsigned long long)s);
  }
  cr_expect_eq(a->ncoal, 1);
  pl_stability_free(a);
  pl_conflict_free(c);
}

/* ---- 5. Bad input ----------------------------------------------------------
 */

Test(bad, unknown_option_in_statement) {
  const char *doc = "{\"decision_makers\": [\n"
                    " {\"name\": \"A\", \"options\": [\"alpha\"],\n"
                    "  \"preferences\": [\"alpha and betta\"]},\n"
                    " {\"name\": \"B\", \"options\": [\"beta\"],\n"
                    "  \"preferences\": [\"beta\"]}]}\n";
  pl_diag *d = conflict_fail(doc);
  pl_problem p = find(d, "unknown option 'betta' (did you mean 'beta'?)");
  cr_expect_str_eq(p.file, "test.json");
  cr_expect_eq(p.line, 3);
  cr_expect_eq(p.column, col_of(doc, 3, "betta"));
  pl_diag_free(d);
}

Test(bad, statement_names_an_option_twice) {
  const char *doc = "{\"decision_makers\": [\n"
                    " {\"name\": \"A\", \"options\": [\"a\"],\n"
                    "  \"preferences\": [\"a or (b and not a)\"]},\n"
                    " {\"name\": \"B\", \"options\": [\"b\"],\n"
                    "  \"preferences\": [\"b\"]}]}\n";
  pl_diag *d = conflict_fail(doc);
  pl_problem p = find(d, "names option 'a' twice");
  cr_expect_eq(p.line, 3);
  cr_expect_eq(p.column, col_of(doc, 3, "a)"));
  pl_diag_free(d);
}

Test(bad, infeasible_status_quo) {
  const char *doc =
      "{\"decision_makers\": [\n"
      " {\"name\": \"A\", \"options\": [\"a\"], \"preferences\": [\"a\"]},\n"
      " {\"name\": \"B\", \"options\": [\"b\"], \"preferences\": [\"b\"]}],\n"
      " \"infeasible\": [{\"exclusive\": [\"a\", \"b\"]}],\n"
      " \"states\": [{\"name\": \"both\", \"taken\": [\"a\", \"b\"]},\n"
      "            {\"name\": \"none\", \"taken\": []}],\n"
      " \"status_quo\": \"both\"}\n";
  pl_diag *d = conflict_fail(doc);
  pl_problem p = find(d, "the status quo (YY) is infeasible: it breaks rule 1 "
                         "(exclusive: a, b)");
  cr_expect_eq(p.line, 7);
  cr_expect_eq(p.column, col_of(doc, 7, "\"both\""));
  p = find(d, "state 'both' (YY) is infeasible");
  cr_expect_eq(p.line, 5);
  pl_diag_free(d);
}

Test(bad, sixty_four_options) {
  /* A with 40 options, B with 24: the 64th option is B's 24th. */
  char doc[8192];
  size_t n = (size_t)snprintf(doc, sizeof doc,
                              "{\"decision_makers\": [\n"
                              " {\"name\": \"A\", \"preferences\": [],\n"
                              "  \"options\": [");
  for (int k = 0; k < 40; k++)
    n += (size_t)snprintf(doc + n, sizeof doc - n, "%s\"a%d\"", k ? ", " : "",
                          k);
  n += (size_t)snprintf(doc + n, sizeof doc - n,
                        "]},\n {\"name\": \"B\", \"preferences\": [],\n"
                        "  \"options\": [");
  for (int k = 0; k < 24; k++)
    n += (size_t)snprintf(doc + n, sizeof doc - n, "%s\"b%d\"", k ? ", " : "",
                          k);
  snprintf(doc + n, sizeof doc - n, "]}]}\n");
  pl_diag *d = conflict_fail(doc);
  pl_problem p = find(d, "at most 63");
  cr_expect_eq(p.line, 5);
  cr_expect_eq(p.column, col_of(doc, 5, "\"b23\""));
  pl_diag_free(d);
}

Test(bad, misspelt_key_and_ranking) {
  const char *doc =
      "{\"decision_makers\": [\n"
      " {\"name\": \"A\", \"options\": [\"a\"], \"preferneces\": [\"a\"]},\n"
      " {\"name\": \"B\", \"options\": [\"b\"], \"ranking\": [1, 2, 2]}]}\n";
  pl_diag *d = conflict_fail(doc);
  pl_problem p = find(d, "did you mean 'preferences'?");
  cr_expect_eq(p.line, 2);
  cr_expect_eq(p.column, col_of(doc, 2, "\"preferneces\""));
  pl_diag_free(d);
}

Test(bad, ranking_problems) {
  const char *doc =
      "{\"decision_makers\": [\n"
      " {\"name\": \"A\", \"options\": [\"a\"], \"preferences\": [\"a\"]},\n"
      " {\"name\": \"B\", \"options\": [\"b\"], \"ranking\": [1, 2, 2]}]}\n";
  pl_diag *d = conflict_fail(doc);
  pl_problem p = find(d, "state 2 is ranked twice");
  cr_expect_eq(p.line, 3);
  cr_expect_eq(p.column, col_of(doc, 3, "2]"));
  pl_diag_free(d);
  doc =
      "{\"decision_makers\": [\n"
      " {\"name\": \"A\", \"options\": [\"a\"], \"preferences\": [\"a\"]},\n"
      " {\"name\": \"B\", \"options\": [\"b\"], \"ranking\": [1, \"Y-\"]}]}\n";
  d = conflict_fail(doc);
  find(d, "leaves out 1 state (3)");
  pl_diag_free(d);
}

Test(bad, gmcr_condition_names_an_option_twice) {
  const char *doc =
      "{\"options\": [{\"name\": \"a\", \"permittedDirection\": \"both\"},\n"
      "  {\"name\": \"b\", \"permittedDirection\": \"sideways\"}],\n"
      " \"decisionMakers\": [\n"
      "  {\"name\": \"A\", \"options\": [0], \"preferences\": [[[0, \"Y\"], "
      "[0, \"N\"]]]},\n"
      "  {\"name\": \"B\", \"options\": [1], \"preferences\": []}]}\n";
  pl_diag *d = conflict_fail(doc);
  pl_problem p = find(d, "names option 0 ('a') twice");
  cr_expect_eq(p.line, 4);
  cr_expect_eq(p.column, col_of(doc, 4, "0, \"N\""));
  p = find(d, "permittedDirection is \"sideways\"");
  cr_expect_eq(p.line, 2);
  pl_diag_free(d);
}

Test(bad, options_of_the_analysis) {
  pl_conflict *c = conflict_ok(PD_STATEMENTS);
  const char *froms[] = {"nowhere", "9", "YNY"},
             *coals[] = {"P1+P3", "P1", "P1+P1"};
  for (int k = 0; k < 6; k++) {
    pl_stability_options o;
    pl_stability_options_init(&o);
    if (k < 3)
      o.from = froms[k];
    else
      o.coalitions = coals[k - 3];
    pl_diag *d = pl_diag_new();
    pl_status st;
    cr_expect_null(pl_stability_analyze(c, &o, d, &st));
    cr_expect_eq(st, PL_EINPUT);
    cr_expect_gt(pl_diag_count(d), 0);
    log_problems(d);
    pl_diag_free(d);
  }
  pl_stability_options o;
  pl_stability_options_init(&o);
  o.max_states = 3;
  pl_diag *d = pl_diag_new();
  pl_status st;
  cr_expect_null(pl_stability_analyze(c, &o, d, &st));
  cr_expect_eq(st, PL_EREFUSED);
  pl_diag_free(d);
  pl_conflict_free(c);
}
