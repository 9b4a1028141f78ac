/* formula.c - statements over options: parsing and evaluation.
 *
 * Grammar, loosest binding first (keywords in lower or upper case):
 *   stmt := or [ ('if' | 'only if' | 'iff') or ]      no chaining
 *   or   := and { ('or' | '|' | '||') and }
 *   and  := not { ('and' | '&' | '&&') not }
 *   not  := ('not' | '-' | '!' | '~') not | atom
 *   atom := NAME | `any name` | '(' stmt ')'
 * NAME is [A-Za-z_][A-Za-z0-9_.]*. "q if p" is GMCR II's conditional
 * (true unless p holds without q); "q only if p" is "p if q".
 * "not a" is also written "-a", the GMCR II notation.
 */
#include "stability/gm.h"
#include "util/suggest.h"

#include <stdio.h>
#include <string.h>

/* ---- Evaluation -------------------------------------------------------- */

bool gm_formula_eval(const gm_formula *f, uint64_t state) {
  uint64_t st = 0; /* the stack: top of stack is bit 0 */
  for (uint32_t i = 0; i < f->nops; i++) {
    const gm_op *o = &f->ops[i];
    uint64_t b;
    switch (o->code) {
    case GM_OP_VAR:
      st = st << 1 | ((state >> o->arg) & 1);
      break;
    case GM_OP_TRUE:
    case GM_OP_FALSE:
      st = st << 1 | (o->code == GM_OP_TRUE);
      break;
    case GM_OP_NOT:
      st ^= 1;
      break;
    default:
      b = st & 1; /* second operand */
      st >>= 1;
      {
        uint64_t a = st & 1, r;
        if (o->code == GM_OP_AND)
          r = a & b;
        else if (o->code == GM_OP_OR)
          r = a | b;
        else if (o->code == GM_OP_IF)
          r = a | (b ^ 1);
        else if (o->code == GM_OP_ONLYIF)
          r = (a ^ 1) | b;
        else
          r = (a ^ b) ^ 1;
        st = (st & ~(uint64_t)1) | r;
      }
    }
  }
  return st & 1;
}

/* ---- Builder ------------------------------------------------------------- */

void gm_build_op(gm_builder *b, uint8_t code, uint8_t arg) {
  if (b->n == sizeof b->ops / sizeof b->ops[0]) {
    b->overflow = true;
    return;
  }
  b->ops[b->n++] = (gm_op){code, arg};
  if (code == GM_OP_VAR)
    b->refs |= (uint64_t)1 << arg;
}

void gm_build_literal(gm_builder *b, uint32_t k, bool yes) {
  gm_build_op(b, GM_OP_VAR, (uint8_t)k);
  if (!yes)
    gm_build_op(b, GM_OP_NOT, 0);
}

bool gm_build_finish(pl_arena *a, const gm_builder *b, gm_formula *out) {
  if (b->overflow)
    return false;
  out->ops = pl_arena_calloc(a, b->n ? b->n : 1, sizeof *out->ops);
  if (!out->ops)
    return false;
  memcpy(out->ops, b->ops, b->n * sizeof *out->ops);
  out->nops = b->n;
  out->refs = b->refs;
  return true;
}

/* ---- Parser ------------------------------------------------------------ */

typedef struct parser {
  const char *text;
  size_t i;
  const char *const *names;
  uint32_t nnames;
  gm_builder b;
  int depth;
  char *err;
  size_t err_len;
  int err_col;
} parser;

/* 1-based column in characters of byte offset `at`. */
static int column(const parser *p, size_t at) {
  int col = 1;
  for (size_t k = 0; k < at && p->text[k]; k++)
    if (((unsigned char)p->text[k] & 0xC0) != 0x80)
      col++;
  return col;
}

static bool fail(parser *p, size_t at, const char *fmt, const char *arg) {
  if (!p->err_col) {
    p->err_col = column(p, at);
    snprintf(p->err, p->err_len, fmt, arg);
  }
  return false;
}

static void skip_space(parser *p) {
  while (p->text[p->i] == ' ' || p->text[p->i] == '\t' ||
         p->text[p->i] == '\n' || p->text[p->i] == '\r')
    p->i++;
}

static bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '.';
}

/* Length of the word at the cursor (0 when none). */
static size_t word_len(const parser *p) {
  size_t n = 0;
  if (!is_name_start(p->text[p->i]))
    return 0;
  while (is_name_char(p->text[p->i + n]))
    n++;
  return n;
}

/* Whether the word at the cursor is `kw` in lower or upper case. */
static bool at_keyword(const parser *p, const char *kw) {
  size_t n = word_len(p), k = strlen(kw);
  if (n != k)
    return false;
  bool lower = !strncmp(p->text + p->i, kw, k), upper = true;
  for (size_t j = 0; j < k; j++)
    upper &= p->text[p->i + j] == kw[j] - 'a' + 'A';
  return lower || upper;
}

static bool is_keyword(const parser *p) {
  static const char *const kws[] = {"not", "and",  "or", "if",
                                    "iff", "only", NULL};
  for (int k = 0; kws[k]; k++)
    if (at_keyword(p, kws[k]))
      return true;
  return false;
}

static bool parse_stmt(parser *p);

static bool resolve_name(parser *p, const char *name, size_t len, size_t at) {
  char buf[256];
  if (len >= sizeof buf)
    return fail(p, at, "option name too long%s", "");
  memcpy(buf, name, len);
  buf[len] = 0;
  for (uint32_t k = 0; k < p->nnames; k++)
    if (p->names[k] && !strcmp(p->names[k], buf)) {
      if (p->b.refs >> k & 1)
        return fail(p, at,
                    "the statement names option '%s' twice; a statement "
                    "speaks about each option once",
                    buf);
      gm_build_op(&p->b, GM_OP_VAR, (uint8_t)k);
      return true;
    }
  const char *hint = pl_suggest(buf, p->names, p->nnames);
  if (hint) {
    char msg[600];
    snprintf(msg, sizeof msg, "unknown option '%s' (did you mean '%s'?)", buf,
             hint);
    return fail(p, at, "%s", msg);
  }
  return fail(p, at, "unknown option '%s'", buf);
}

static bool parse_atom(parser *p) {
  skip_space(p);
  size_t at = p->i;
  char c = p->text[p->i];
  if (c == '(') {
    if (++p->depth > 64)
      return fail(p, at, "parentheses nested too deeply%s", "");
    p->i++;
    if (!parse_stmt(p))
      return false;
    skip_space(p);
    if (p->text[p->i] != ')')
      return fail(p, p->i, "expected ')' to close the '(' here%s", "");
    p->i++;
    p->depth--;
    return true;
  }
  if (c == '`') {
    const char *end = strchr(p->text + at + 1, '`');
    if (!end)
      return fail(p, at, "unclosed `: expected a closing backquote%s", "");
    p->i = (size_t)(end - p->text) + 1;
    return resolve_name(p, p->text + at + 1, (size_t)(end - p->text) - at - 1,
                        at);
  }
  size_t n = word_len(p);
  if (!n || is_keyword(p))
    return fail(p, at,
                c ? "expected an option name, 'not' or '('%s"
                  : "the statement ends where an option name was "
                    "expected%s",
                "");
  p->i += n;
  return resolve_name(p, p->text + at, n, at);
}

static bool parse_not(parser *p) {
  skip_space(p);
  char c = p->text[p->i];
  bool neg = at_keyword(p, "not");
  if (neg || c == '-' || c == '!' || c == '~') {
    if (++p->depth > 64)
      return fail(p, p->i, "negations nested too deeply%s", "");
    p->i += neg ? 3 : 1;
    if (!parse_not(p))
      return false;
    p->depth--;
    gm_build_op(&p->b, GM_OP_NOT, 0);
    return true;
  }
  return parse_atom(p);
}

/* Consumes an operator spelt as a keyword or as symbols. */
static bool accept_op(parser *p, const char *kw, char sym) {
  skip_space(p);
  if (at_keyword(p, kw)) {
    p->i += strlen(kw);
    return true;
  }
  if (p->text[p->i] == sym) {
    p->i += p->text[p->i + 1] == sym ? 2 : 1;
    return true;
  }
  return false;
}

static bool parse_and(parser *p) {
  if (!parse_not(p))
    return false;
  while (accept_op(p, "and", '&')) {
    if (!parse_not(p))
      return false;
    gm_build_op(&p->b, GM_OP_AND, 0);
  }
  return true;
}

static bool parse_or(parser *p) {
  if (!parse_and(p))
    return false;
  while (accept_op(p, "or", '|')) {
    if (!parse_and(p))
      return false;
    gm_build_op(&p->b, GM_OP_OR, 0);
  }
  return true;
}

/* 'if', 'only if' or 'iff' at the cursor: its opcode, or 0 when none. */
static int conditional_at(parser *p) {
  skip_space(p);
  if (at_keyword(p, "iff")) {
    p->i += 3;
    return GM_OP_IFF;
  }
  if (at_keyword(p, "if")) {
    p->i += 2;
    return GM_OP_IF;
  }
  if (at_keyword(p, "only")) {
    size_t save = p->i;
    p->i += 4;
    skip_space(p);
    if (at_keyword(p, "if")) {
      p->i += 2;
      return GM_OP_ONLYIF;
    }
    p->i = save;
  }
  return 0;
}

static bool parse_stmt(parser *p) {
  if (!parse_or(p))
    return false;
  int op = conditional_at(p);
  if (!op)
    return true;
  if (!parse_or(p))
    return false;
  gm_build_op(&p->b, (uint8_t)op, 0);
  size_t at = p->i;
  if (conditional_at(p))
    return fail(p, at, "conditionals do not chain: add parentheses%s", "");
  return true;
}

bool gm_formula_parse(pl_arena *a, const char *text, const char *const *names,
                      uint32_t nnames, gm_formula *out, int *err_col, char *err,
                      size_t err_len) {
  parser p = {.text = text,
              .names = names,
              .nnames = nnames,
              .err = err,
              .err_len = err_len};
  if (err_len)
    err[0] = 0;
  bool ok = parse_stmt(&p);
  skip_space(&p);
  if (ok && p.text[p.i])
    ok = fail(&p, p.i,
              "unexpected text after the statement (an operator such as "
              "'and' or 'or' missing?)%s",
              "");
  if (ok && p.b.overflow)
    ok = fail(&p, 0, "statement too long%s", "");
  if (ok && !gm_build_finish(a, &p.b, out))
    ok = fail(&p, 0, "out of memory%s", "");
  *err_col = ok ? 0 : p.err_col;
  return ok;
}
