/* gm.h - the Graph Model for Conflict Resolution in option form (internal).
 *
 * A conflict has m <= 63 yes/no options, each controlled by one decision
 * maker (DM). A state is the bit mask of the options taken ("Y"): bit k is
 * option k, so a state's mask is also its decimal code sum 2^k. Rules make
 * some states infeasible; the feasible states are numbered 1, 2, ... in
 * increasing order of their code (docs/stability.md).
 *
 * Nothing here builds a state-by-state matrix: moves are generated from a
 * state's mask when they are needed (gm_moves), and preferences are a table
 * over the few options a DM's statements mention, or one rank per state.
 */
#ifndef PL_STABILITY_GM_H
#define PL_STABILITY_GM_H

#include "parley.h"
#include "util/arena.h"

#include <stdbool.h>
#include <stdint.h>

enum {
  GM_MAX_OPTIONS = 63, /* a state is a uint64_t; 64+ is refused */
  GM_MAX_DMS = 32,
  GM_MAX_STATEMENTS = 31, /* so that a score sum 2^(q-k) fits 31 bits */
  GM_TABLE_BITS = 22      /* preference tables over at most 2^22 cases */
};

/* A value no preference score reaches: "no such state". */
#define GM_NONE UINT32_MAX

/* ---- Formulas over options (statements, infeasibility rules) ----------- */

typedef enum gm_opcode {
  GM_OP_VAR,   /* push option `arg` */
  GM_OP_TRUE,  /* push true */
  GM_OP_FALSE, /* push false */
  GM_OP_NOT,
  GM_OP_AND,
  GM_OP_OR,
  GM_OP_IF,     /* a b IF: "a if b", true unless b and not a */
  GM_OP_ONLYIF, /* a b ONLYIF: "a only if b", true unless a and not b */
  GM_OP_IFF
} gm_opcode;

typedef struct gm_op {
  uint8_t code, arg;
} gm_op;

/* A formula compiled to postfix; it is evaluated on a state's mask with a
 * stack of bits held in one uint64_t (depth never exceeds 63 leaves). */
typedef struct gm_formula {
  gm_op *ops;
  uint32_t nops;
  uint64_t refs; /* the options it mentions */
} gm_formula;

bool gm_formula_eval(const gm_formula *f, uint64_t state);

/* Compiles a statement: option names joined by not/-/!, and/&, or/|, if,
 * only if, iff and parentheses (docs/stability.md). On failure returns false
 * with a message and the 1-based column of the problem. Naming an option
 * twice is an error: a statement speaks about each option once. */
bool gm_formula_parse(pl_arena *a, const char *text, const char *const *names,
                      uint32_t nnames, gm_formula *out, int *err_col, char *err,
                      size_t err_len);

/* Builder for formulas made in code (GMCR+ conditions, rule shorthands). */
typedef struct gm_builder {
  gm_op ops[512];
  uint32_t n;
  uint64_t refs;
  bool overflow;
} gm_builder;
void gm_build_op(gm_builder *b, uint8_t code, uint8_t arg);
/* Pushes the literal "option k is Y" (yes) or "... is N". */
void gm_build_literal(gm_builder *b, uint32_t k, bool yes);
bool gm_build_finish(pl_arena *a, const gm_builder *b, gm_formula *out);

/* ---- The model ------------------------------------------------------ */

typedef enum gm_reversibility {
  GM_REV_BOTH = 0,
  GM_REV_TO_YES = 1, /* N -> Y only (GMCR+ "fwd") */
  GM_REV_TO_NO = 2   /* Y -> N only (GMCR+ "back") */
} gm_reversibility;

typedef struct gm_option {
  const char *name, *description;
  int32_t dm; /* -1: nobody controls it (GMCR+ files only) */
  uint8_t rev;
} gm_option;

typedef struct gm_statement {
  gm_formula f;
  const char *text, *source;
} gm_statement;

typedef struct gm_dm {
  const char *name, *description;
  uint64_t options;    /* the options it controls */
  uint64_t up, down;   /* those it may turn Y, those it may turn N */
  gm_statement *stmts; /* option prioritisation, most important first */
  uint32_t nstmts;
  /* Explicit ranking instead: the level of every feasible state (higher is
   * better), as codes sorted increasingly with their levels. */
  bool ranked;
  uint64_t *rank_codes;
  uint32_t *rank_levels;
  uint64_t nranked;
} gm_dm;

typedef struct gm_rule {
  gm_formula f; /* the state is infeasible when this holds */
  const char *text;
} gm_rule;

typedef struct gm_named {
  const char *name, *description;
  uint64_t code;
} gm_named;

struct pl_conflict {
  pl_arena arena;
  const char *file, *name, *title, *description, *format;
  gm_option options[GM_MAX_OPTIONS];
  uint32_t m;
  gm_dm *dms;
  uint32_t n;
  gm_rule *rules;
  uint32_t nrules;
  gm_named *states;
  uint32_t nstates;
  int32_t status_quo;   /* index into states, or -1 */
  uint64_t *coalitions; /* default coalitions: bit masks of DMs */
  uint32_t ncoalitions;
};

pl_conflict *gm_conflict_new(void);
/* Fills the up/down masks of every DM from its options' reversibility. */
void gm_conflict_finish(pl_conflict *c);
/* The first rule that makes `code` infeasible, or -1. */
int32_t gm_broken_rule(const pl_conflict *c, uint64_t code);
/* The smallest feasible code >= x, or 2^m when there is none. Rules are
 * skipped over by blocks: a rule broken at x is broken by every code that
 * agrees with x on the options from its lowest one up. */
uint64_t gm_next_feasible(const pl_conflict *c, uint64_t x);
/* Every feasible code in increasing order, up to `cap` of them: returns
 * the count (cap + 1 when there are more), *codes malloc'ed. */
uint64_t gm_list_feasible(const pl_conflict *c, uint64_t cap, uint64_t **codes);
/* "YNN-": the state's options, option 1 first. buf has m + 1 bytes. */
void gm_state_yn(const pl_conflict *c, uint64_t code, char *buf);
/* Finds a DM or option by name; -1 when there is none. */
int32_t gm_find_dm(const pl_conflict *c, const char *name);
int32_t gm_find_option(const pl_conflict *c, const char *name);

/* The text of the built-in conflict (caller frees). */
char *gm_builtin_conflict_text(void);

#endif
