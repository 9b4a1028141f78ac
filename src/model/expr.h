/* expr.h - the small, safe expression language of red lines and constraints.
 *
 * An expression is compiled once against the scenario's issues and then
 * evaluated on outcomes (one value index per issue) without allocating.
 *
 * Grammar, loosest binding first:
 *   expr       := or { ('implies' | '=>') or }        right-associative
 *   or         := and { ('or' | '||') and }
 *   and        := not { ('and' | '&&') not }
 *   not        := ('not' | '!') not | comparison
 *   comparison := sum [ ('=='|'!='|'<'|'<='|'>'|'>=') sum
 *                     | ['not'] 'in' '[' literal { ',' literal } ']' ]
 *   sum        := product { ('+' | '-') product }
 *   product    := unary { ('*' | '/') unary }
 *   unary      := '-' unary | primary
 *   primary    := name | `any name` | number | "string" | 'string'
 *               | 'true' | 'false' | '(' expr ')'
 * Comparisons do not chain. Keywords are lowercase. Strings know the escapes
 * \" \' and \\. Numbers are read the same under any C locale.
 *
 * Types: a numeric issue stands for the number of its value; a categorical
 * issue can only be compared with ==, != or 'in' against its own option
 * labels or with another categorical issue (equal labels). The expression
 * must be a condition. Numbers compare with an absolute tolerance of 1e-9
 * (a == b when |a - b| <= 1e-9, a < b when a < b - 1e-9, and so on). A
 * comparison involving a division by zero is false, whatever its operator.
 *
 * Limits: 4096 bytes of text and 64 levels of '(', 'not' and unary '-'.
 */
#ifndef PL_MODEL_EXPR_H
#define PL_MODEL_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum pl_issue_kind {
  PL_ISSUE_CATEGORICAL = 0,
  PL_ISSUE_INTEGER = 1,
  PL_ISSUE_REAL = 2
} pl_issue_kind;

/* What the compiler needs to know about one issue. */
typedef struct pl_expr_issue {
  const char *name;
  pl_issue_kind kind;
  uint32_t nvalues;
  const char *const *labels; /* categorical: option names, nvalues of them */
  const double *numbers;     /* integer/real: numeric value of each index */
} pl_expr_issue;

typedef struct pl_expr pl_expr;

/* Compiles `text`. On failure returns NULL, sets *err_col to the 1-based
 * column (in characters) where the problem is, and writes a message. The
 * message is always NUL-terminated and cut to err_len bytes; on success it
 * is empty and *err_col is 0. err_col and err_msg may be NULL. The result
 * copies what it needs from `issues`, which need not outlive the call. */
pl_expr *pl_expr_compile(const char *text, const pl_expr_issue *issues,
                         uint32_t nissues, int *err_col, char *err_msg,
                         size_t err_len);

/* True when the outcome (values[i] = value index of issue i) satisfies e.
 * Never allocates. A value index out of range is never read out of bounds:
 * every comparison, 'in' and 'not in' that involves it is false. */
bool pl_expr_eval(const pl_expr *e, const uint32_t *values);

/* The issues the expression mentions: sorted, without repeats. */
uint32_t pl_expr_num_refs(const pl_expr *e);
const uint32_t *pl_expr_refs(const pl_expr *e);

void pl_expr_free(pl_expr *e);

#endif
