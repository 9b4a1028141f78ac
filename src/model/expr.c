/* expr.c - compiles red-line expressions to code for a small stack machine.
 *
 * pl_expr_compile() is a single recursive-descent pass: each parse function
 * type-checks its operands and emits postfix code as soon as it has them, so
 * no syntax tree is built. Categorical issues and string literals never reach
 * the stack: a comparison between them is resolved while compiling into a
 * bitset over the issue's value indices (or, for two categorical issues, a
 * table mapping one issue's values to the other's). Numbers are doubles.
 *
 * pl_expr_eval() runs that code on a fixed-size stack without allocating;
 * `and`, `or` and `implies` jump over their right operand once the answer is
 * known. A compiled expression is one allocation: the pl_expr header followed
 * by its code, numbers, bitset words and references.
 *
 * Errors longjmp out of the parser (as in Lua), so the parse functions read
 * as if nothing could fail; whatever they allocate hangs off the compiler and
 * is freed in one place.
 */
#include "model/expr.h"
#include "util/labels.h"
#include "util/suggest.h"

#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  MAX_TEXT = 4096, /* bytes of source text */
  MAX_DEPTH = 64,  /* '(', 'not' and unary '-' open at the same time */
  MAX_STACK = 256, /* evaluation stack slots, see emit() */
  MAX_NUMBER = 64, /* bytes in a numeric literal */
  MAX_SHOWN = 32   /* bytes of a token quoted in a message */
};
#define EPSILON 1e-9
#define NONE UINT32_MAX /* no jump, no issue, no matching value */

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* ---- Compiled form ---------------------------------------------------- */

/* Arithmetic and comparison opcodes are in the same order as their tokens,
 * so the parser computes one from the other. */
typedef enum opcode {
  OP_TRUE,
  OP_FALSE,
  OP_NUM,  /* push the constant u.k */
  OP_LOAD, /* push the number of issue arg's value */
  OP_NEG,
  OP_ADD,
  OP_SUB,
  OP_MUL,
  OP_DIV,
  OP_EQ,
  OP_NE,
  OP_LT,
  OP_LE,
  OP_GT,
  OP_GE,
  OP_NUM_IN,   /* replace the number on top by its membership of a list */
  OP_CAT_IN,   /* push whether issue arg's value is in a bitset */
  OP_CAT_SAME, /* push whether issues arg and arg2 have the same label */
  OP_NOT,
  OP_AND, /* short-circuit operators: jump to arg with the answer on top */
  OP_OR,
  OP_IMPLIES
} opcode;

/* Slots each opcode adds to the stack. AND, OR and IMPLIES count the path
 * that falls through, which pops the left operand. */
static const signed char stack_effect[] = {
    [OP_TRUE] = 1,   [OP_FALSE] = 1,    [OP_NUM] = 1,  [OP_LOAD] = 1,
    [OP_NEG] = 0,    [OP_ADD] = -1,     [OP_SUB] = -1, [OP_MUL] = -1,
    [OP_DIV] = -1,   [OP_EQ] = -1,      [OP_NE] = -1,  [OP_LT] = -1,
    [OP_LE] = -1,    [OP_GT] = -1,      [OP_GE] = -1,  [OP_NUM_IN] = 0,
    [OP_CAT_IN] = 1, [OP_CAT_SAME] = 1, [OP_NOT] = 0,  [OP_AND] = -1,
    [OP_OR] = -1,    [OP_IMPLIES] = -1};

/* One instruction. `tab` locates the data an instruction consults: for LOAD
 * the issue's numbers and for NUM_IN the list (both in nums), for CAT_IN the
 * bitset and for CAT_SAME the map from arg's values to arg2's (both in
 * words). `len` is the issue's number of values, or the list's length. */
typedef struct instr {
  uint8_t op;
  bool negate;       /* NUM_IN and CAT_SAME: 'not in' and '!=' */
  uint32_t arg;      /* issue read, or jump target */
  uint32_t arg2;     /* second issue of CAT_SAME ... */
  uint32_t arg2_len; /* ... and its number of values */
  union {
    double k;
    struct {
      uint32_t off, len;
    } tab;
  } u;
} instr;

struct pl_expr {
  uint32_t ncode, nrefs;
  const instr *code;
  const double *nums;
  const uint32_t *words;
  const uint32_t *refs;
};

/* ---- Compiler state --------------------------------------------------- */

/* Token kinds; the runs TK_EQ..TK_GE and TK_PLUS..TK_SLASH mirror opcodes. */
typedef enum tkind {
  TK_END,
  TK_NAME,
  TK_NUMBER,
  TK_STRING,
  TK_AND,
  TK_OR,
  TK_NOT,
  TK_IMPLIES,
  TK_IN,
  TK_TRUE,
  TK_FALSE,
  TK_EQ,
  TK_NE,
  TK_LT,
  TK_LE,
  TK_GT,
  TK_GE,
  TK_PLUS,
  TK_MINUS,
  TK_STAR,
  TK_SLASH,
  TK_LPAREN,
  TK_RPAREN,
  TK_LBRACKET,
  TK_RBRACKET,
  TK_COMMA
} tkind;

_Static_assert(OP_GE - OP_EQ == TK_GE - TK_EQ, "comparisons out of step");
_Static_assert(OP_DIV - OP_ADD == TK_SLASH - TK_PLUS, "arithmetic out of step");

typedef struct token {
  tkind kind;
  size_t pos, end; /* the token is text[pos, end) */
  const char *s;   /* name, or string body with escapes left in */
  size_t n;
  double num;
} token;

typedef enum vtype { V_BOOL, V_NUM, V_CAT, V_STR } vtype;
typedef enum leaf_kind { L_NONE, L_ISSUE, L_NUMBER, L_STRING } leaf_kind;

/* What a parse function produced. Booleans and numbers are on the stack;
 * a categorical issue or a string is only described here until the
 * comparison that uses it knows what to emit. */
typedef struct operand {
  vtype type;
  leaf_kind leaf; /* what it is when it is a single token, for messages */
  uint32_t issue; /* L_ISSUE */
  const char *s;  /* L_STRING body */
  size_t n;
  size_t pos; /* where it starts, for messages */
} operand;

typedef struct pool {
  void *data;
  uint32_t n, cap;
} pool;

typedef struct issue_info {
  bool used;
  bool loaded;       /* its numbers have been copied into nums ... */
  uint32_t nums_off; /* ... at this offset */
} issue_info;

typedef struct compiler {
  const char *text;
  const pl_expr_issue *issues;
  uint32_t nissues;
  issue_info *info;
  token tok; /* the current token */
  int depth; /* open '(', 'not' and unary '-' */
  int sp;    /* stack slots in use when the code emitted so far has run */
  pool code, nums, words;
  jmp_buf on_error;
  size_t err_pos;
  char *msg;
  size_t msg_len, msg_used;
} compiler;

typedef void (*parse_fn)(compiler *c, operand *out);
static void parse_implies(compiler *c, operand *out);

/* ---- Errors ----------------------------------------------------------- */

static bool is_continuation(char ch) {
  return ((unsigned char)ch & 0xC0) == 0x80;
}

/* Bytes in the UTF-8 sequence that starts with `lead`. */
static size_t utf8_length(char lead) {
  unsigned char b = (unsigned char)lead;
  return b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
}

/* Columns count characters, so skip UTF-8 continuation bytes. */
static int column(const compiler *c, size_t pos) {
  int col = 1;
  for (size_t i = 0; i < pos; i++)
    col += !is_continuation(c->text[i]);
  return col;
}

/* A message cut short by err_len must not end inside a character. */
static void trim_partial_character(compiler *c) {
  size_t end = c->msg_used, lead = end;
  while (lead > 0 && is_continuation(c->msg[lead - 1]))
    lead--;
  if (lead > 0 && lead - 1 + utf8_length(c->msg[lead - 1]) > end)
    c->msg[lead - 1] = '\0';
}

static void begin_error(compiler *c, size_t pos) {
  c->err_pos = pos;
  c->msg_used = 0;
}

/* Appends to the message, cutting it short at err_len. */
static void vsay(compiler *c, const char *fmt, va_list ap) {
  if (c->msg_used + 1 >= c->msg_len)
    return;
  size_t room = c->msg_len - c->msg_used;
  int n = vsnprintf(c->msg + c->msg_used, room, fmt, ap);
  if (n < 0)
    return;
  if ((size_t)n >= room) {
    c->msg_used = c->msg_len - 1;
    trim_partial_character(c);
  } else {
    c->msg_used += (size_t)n;
  }
}

PRINTF_LIKE(2, 3) static void say(compiler *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsay(c, fmt, ap);
  va_end(ap);
}

static _Noreturn void throw_error(compiler *c) { longjmp(c->on_error, 1); }

PRINTF_LIKE(3, 4)
static _Noreturn void fail(compiler *c, size_t pos, const char *fmt, ...) {
  va_list ap;
  begin_error(c, pos);
  va_start(ap, fmt);
  vsay(c, fmt, ap);
  va_end(ap);
  throw_error(c);
}

/* Quotes a token as written, shortened to MAX_SHOWN bytes. */
static void say_token(compiler *c, const token *t) {
  if (t->kind == TK_END) {
    say(c, "the end of the expression");
    return;
  }
  size_t n = t->end - t->pos;
  if (n <= MAX_SHOWN) {
    say(c, "'%.*s'", (int)n, c->text + t->pos);
    return;
  }
  n = MAX_SHOWN;
  while (n > 0 && is_continuation(c->text[t->pos + n]))
    n--;
  say(c, "'%.*s...'", (int)n, c->text + t->pos);
}

static void say_operand(compiler *c, const operand *o) {
  switch (o->type) {
  case V_BOOL:
    say(c, "a condition");
    break;
  case V_NUM:
    if (o->leaf == L_ISSUE)
      say(c, "numeric issue '%s'", c->issues[o->issue].name);
    else
      say(c, o->leaf == L_NUMBER ? "a number" : "a numeric expression");
    break;
  case V_CAT:
    say(c, "categorical issue '%s'", c->issues[o->issue].name);
    break;
  case V_STR:
    say(c, "the string \"%.*s\"", (int)o->n, o->s);
    break;
  }
}

static _Noreturn void fail_expected(compiler *c, const char *what) {
  begin_error(c, c->tok.pos);
  say(c, "expected %s, but found ", what);
  say_token(c, &c->tok);
  throw_error(c);
}

/* ---- Memory ----------------------------------------------------------- */

/* Appends `count` zeroed elements to a pool and returns the first's index. */
static uint32_t pool_add(compiler *c, pool *p, uint32_t count, size_t size) {
  if (count > UINT32_MAX / 2 - p->n)
    fail(c, c->tok.pos, "expression is too large");
  uint32_t need = p->n + count;
  if (need > p->cap) {
    uint32_t cap = p->cap ? p->cap : 16;
    while (cap < need)
      cap *= 2;
    void *data = realloc(p->data, (size_t)cap * size);
    if (!data)
      fail(c, c->tok.pos, "out of memory");
    p->data = data;
    p->cap = cap;
  }
  memset((char *)p->data + (size_t)p->n * size, 0, (size_t)count * size);
  uint32_t first = p->n;
  p->n = need;
  return first;
}

static instr *code_at(compiler *c, uint32_t i) {
  return (instr *)c->code.data + i;
}
static double *nums_at(compiler *c, uint32_t i) {
  return (double *)c->nums.data + i;
}
static uint32_t *words_at(compiler *c, uint32_t i) {
  return (uint32_t *)c->words.data + i;
}

/* ---- Lexer ------------------------------------------------------------ */

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }
static bool is_name_start(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}
static bool is_name_char(char ch) { return is_name_start(ch) || is_digit(ch); }

static const struct {
  const char *text;
  tkind kind;
} keywords[] = {{"and", TK_AND},         {"or", TK_OR}, {"not", TK_NOT},
                {"implies", TK_IMPLIES}, {"in", TK_IN}, {"true", TK_TRUE},
                {"false", TK_FALSE}};

/* Longer operators first, so that "<=" is not read as "<". */
static const struct {
  const char *text;
  tkind kind;
} operators[] = {
    {"==", TK_EQ},      {"!=", TK_NE},      {"<=", TK_LE},    {">=", TK_GE},
    {"=>", TK_IMPLIES}, {"&&", TK_AND},     {"||", TK_OR},    {"<", TK_LT},
    {">", TK_GT},       {"!", TK_NOT},      {"+", TK_PLUS},   {"-", TK_MINUS},
    {"*", TK_STAR},     {"/", TK_SLASH},    {"(", TK_LPAREN}, {")", TK_RPAREN},
    {"[", TK_LBRACKET}, {"]", TK_RBRACKET}, {",", TK_COMMA}};

static void lex_word(compiler *c, token *t) {
  size_t end = t->pos;
  while (is_name_char(c->text[end]))
    end++;
  t->kind = TK_NAME;
  t->s = c->text + t->pos;
  t->n = end - t->pos;
  t->end = end;
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
    if (strlen(keywords[i].text) == t->n &&
        memcmp(keywords[i].text, t->s, t->n) == 0)
      t->kind = keywords[i].kind;
}

/* Backticks quote any name; there are no escapes inside them. */
static void lex_quoted_name(compiler *c, token *t) {
  const char *close = strchr(c->text + t->pos + 1, '`');
  if (!close)
    fail(c, t->pos, "unterminated name (missing closing `)");
  t->kind = TK_NAME;
  t->s = c->text + t->pos + 1;
  t->n = (size_t)(close - t->s);
  t->end = (size_t)(close - c->text) + 1;
  if (t->n == 0)
    fail(c, t->pos, "empty issue name ``");
}

/* strtod() follows the C locale's decimal point, so hand it the number with
 * '.' replaced by that point: "2.5" must mean 2.5 under any locale. */
static double number_value(compiler *c, const token *t) {
  const char *point = localeconv()->decimal_point;
  size_t point_len = strlen(point), n = 0;
  char buf[2 * MAX_NUMBER];
  if (t->end - t->pos > MAX_NUMBER || point_len > MAX_NUMBER)
    fail(c, t->pos, "number is too long (more than %d characters)", MAX_NUMBER);
  for (size_t i = t->pos; i < t->end; i++) {
    if (c->text[i] == '.') {
      memcpy(buf + n, point, point_len);
      n += point_len;
    } else {
      buf[n++] = c->text[i];
    }
  }
  buf[n] = '\0';
  char *stop;
  double x = strtod(buf, &stop);
  if (stop != buf + n)
    fail(c, t->pos, "cannot read number '%.*s' in the current locale",
         (int)(t->end - t->pos), c->text + t->pos);
  if (isinf(x))
    fail(c, t->pos, "number '%.*s' is out of range", (int)(t->end - t->pos),
         c->text + t->pos);
  return x;
}

static size_t skip_digits(const char *s, size_t i) {
  while (is_digit(s[i]))
    i++;
  return i;
}

/* digits [ '.' digits ] [ ('e'|'E') [sign] digits ]; the sign of a negative
 * number is the unary minus operator. */
static void lex_number(compiler *c, token *t) {
  const char *s = c->text;
  size_t i = skip_digits(s, t->pos);
  if (s[i] == '.') {
    if (!is_digit(s[i + 1]))
      fail(c, i, "expected a digit after the decimal point");
    i = skip_digits(s, i + 1);
  }
  if (s[i] == 'e' || s[i] == 'E') {
    size_t e = i++;
    if (s[i] == '+' || s[i] == '-')
      i++;
    if (!is_digit(s[i]))
      fail(c, e, "expected the digits of an exponent after '%c'", s[e]);
    i = skip_digits(s, i);
  }
  t->kind = TK_NUMBER;
  t->end = i;
  t->num = number_value(c, t);
}

/* Strings keep their escapes; they are only ever compared with option
 * labels, which label_matches() does without decoding into a buffer. */
static void lex_string(compiler *c, token *t) {
  const char *s = c->text;
  char quote = s[t->pos];
  size_t i = t->pos + 1;
  for (; s[i] != quote; i++) {
    if (s[i] == '\0')
      fail(c, t->pos, "unterminated string (missing closing %c)", quote);
    if (s[i] != '\\' || s[i + 1] == '\0')
      continue;
    if (s[i + 1] != '"' && s[i + 1] != '\'' && s[i + 1] != '\\')
      fail(c, i, "unknown escape '\\%.*s' in string (only \\\", \\' and \\\\)",
           (int)utf8_length(s[i + 1]), s + i + 1);
    i++;
  }
  t->kind = TK_STRING;
  t->s = s + t->pos + 1;
  t->n = i - t->pos - 1;
  t->end = i + 1;
}

static void lex_operator(compiler *c, token *t) {
  const char *s = c->text + t->pos;
  for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++) {
    size_t n = strlen(operators[i].text);
    if (strncmp(s, operators[i].text, n) == 0) {
      t->kind = operators[i].kind;
      t->end = t->pos + n;
      return;
    }
  }
  if (*s == '=' || *s == '&' || *s == '|')
    fail(c, t->pos, "unexpected '%c' (did you mean '%c%c'?)", *s, *s, *s);
  fail(c, t->pos, "unexpected character '%.*s'", (int)utf8_length(*s), s);
}

/* Reads the token starting at or after `pos`. Lexing from any position
 * gives the parser its one token of lookahead for 'not in'. */
static void lex(compiler *c, size_t pos, token *t) {
  const char *s = c->text;
  while (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r')
    pos++;
  t->pos = t->end = pos;
  t->kind = TK_END;
  t->s = s + pos;
  t->n = 0;
  if (s[pos] == '\0')
    return;
  if (is_name_start(s[pos]))
    lex_word(c, t);
  else if (is_digit(s[pos]))
    lex_number(c, t);
  else if (s[pos] == '"' || s[pos] == '\'')
    lex_string(c, t);
  else if (s[pos] == '`')
    lex_quoted_name(c, t);
  else
    lex_operator(c, t);
}

static void next(compiler *c) { lex(c, c->tok.end, &c->tok); }

static void expect(compiler *c, tkind kind, const char *what) {
  if (c->tok.kind != kind)
    fail_expected(c, what);
  next(c);
}

/* ---- Names ------------------------------------------------------------ */

/* The issue whose name is nearest to s, if at most half of the longer name
 * has to change; NONE otherwise. */
static uint32_t closest_issue(const compiler *c, const char *s, size_t n) {
  uint32_t best = NONE;
  size_t best_distance = SIZE_MAX;
  for (uint32_t i = 0; i < c->nissues; i++) {
    const char *name = c->issues[i].name;
    if (!pl_is_near(s, n, name))
      continue;
    size_t d = pl_edit_distance_n(s, n, name, strlen(name));
    if (d < best_distance) {
      best = i;
      best_distance = d;
    }
  }
  return best;
}

/* Keywords are lowercase; point that out when someone writes 'AND'. */
static void say_keyword_hint(compiler *c, const token *t) {
  if (t->kind != TK_NAME)
    return;
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
    const char *k = keywords[i].text;
    /* The same word but for case; `and` in backticks gets no hint. */
    if (strlen(k) == t->n && pl_edit_distance_n(k, t->n, t->s, t->n) == 0 &&
        memcmp(k, t->s, t->n) != 0) {
      say(c, " (keywords are lowercase: did you mean '%s'?)", k);
      return;
    }
  }
}

static uint32_t find_issue(compiler *c, const token *t) {
  for (uint32_t i = 0; i < c->nissues; i++) {
    const char *name = c->issues[i].name;
    if (strncmp(name, t->s, t->n) == 0 && name[t->n] == '\0')
      return i;
  }
  begin_error(c, t->pos);
  say(c, "unknown issue '%.*s'", (int)t->n, t->s);
  size_t before = c->msg_used;
  say_keyword_hint(c, t);
  uint32_t near = closest_issue(c, t->s, t->n);
  if (c->msg_used == before && near != NONE)
    say(c, " (did you mean '%s'?)", c->issues[near].name);
  throw_error(c);
}

/* Compares a string literal body, escapes included, with a label. */
static bool label_matches(const char *s, size_t n, const char *label) {
  for (size_t i = 0; i < n; i++, label++) {
    if (s[i] == '\\')
      i++;
    if (*label != s[i])
      return false;
  }
  return *label == '\0';
}

/* The value index of the option a string literal names. */
static uint32_t find_option(compiler *c, uint32_t issue, const char *s,
                            size_t n, size_t pos) {
  const pl_expr_issue *is = &c->issues[issue];
  for (uint32_t v = 0; v < is->nvalues; v++)
    if (label_matches(s, n, is->labels[v]))
      return v;
  begin_error(c, pos);
  say(c, "'%.*s' is not an option of issue '%s' (options:", (int)n, s,
      is->name);
  for (uint32_t v = 0; v < is->nvalues; v++)
    say(c, "%s \"%s\"", v ? "," : "", is->labels[v]);
  say(c, ")");
  throw_error(c);
}

/* ---- Code generation -------------------------------------------------- */

/* Tracks the stack depth the code will reach. Each '(' has at most three
 * numbers waiting beneath it, as in `a < b + c * (`, so MAX_DEPTH keeps the
 * depth under 3 * 64 + 4 slots; this check is what makes the fixed-size
 * stack of pl_expr_eval() safe whatever the grammar allows. */
static uint32_t emit(compiler *c, opcode op) {
  uint32_t at = pool_add(c, &c->code, 1, sizeof(instr));
  code_at(c, at)->op = (uint8_t)op;
  c->sp += stack_effect[op];
  if (c->sp > MAX_STACK)
    fail(c, c->tok.pos, "expression is too complex to evaluate");
  return at;
}

static void emit_load(compiler *c, uint32_t issue) {
  const pl_expr_issue *is = &c->issues[issue];
  issue_info *info = &c->info[issue];
  if (!info->loaded) {
    info->nums_off = pool_add(c, &c->nums, is->nvalues, sizeof(double));
    if (is->nvalues > 0)
      memcpy(nums_at(c, info->nums_off), is->numbers,
             is->nvalues * sizeof(double));
    info->loaded = true;
  }
  instr *in = code_at(c, emit(c, OP_LOAD));
  in->arg = issue;
  in->u.tab.off = info->nums_off;
  in->u.tab.len = is->nvalues;
}

/* Emits a CAT_IN that accepts no value yet; returns its bitset offset.
 * nvalues / 32 + 1 words is enough and, unlike rounding up, cannot wrap. */
static uint32_t emit_value_set(compiler *c, uint32_t issue) {
  uint32_t nvalues = c->issues[issue].nvalues;
  uint32_t off = pool_add(c, &c->words, nvalues / 32 + 1, sizeof(uint32_t));
  instr *in = code_at(c, emit(c, OP_CAT_IN));
  in->arg = issue;
  in->u.tab.off = off;
  in->u.tab.len = nvalues;
  return off;
}

static void accept_value(compiler *c, uint32_t set, uint32_t value) {
  *words_at(c, set + value / 32) |= 1u << (value % 32);
}

/* Turns a set into its complement among the issue's values: 'not in', '!='. */
static void invert_value_set(compiler *c, uint32_t set, uint32_t nvalues) {
  for (uint32_t v = 0; v < nvalues; v++)
    *words_at(c, set + v / 32) ^= 1u << (v % 32);
}

/* Two categorical issues are equal when their labels are: map each value of
 * `a` to the value of `b` with the same label, or NONE. */
static void emit_same_label(compiler *c, uint32_t a, uint32_t b, bool negate) {
  const pl_expr_issue *ia = &c->issues[a], *ib = &c->issues[b];
  uint32_t off = pool_add(c, &c->words, ia->nvalues, sizeof(uint32_t));
  /* b's labels sorted once: n log n, not na * nb, for huge issues */
  uint32_t *order = malloc((ib->nvalues ? ib->nvalues : 1) * sizeof *order);
  if (!order || !pl_labels_sort(ib->labels, ib->nvalues, order)) {
    free(order);
    fail(c, c->tok.pos, "out of memory");
  }
  for (uint32_t va = 0; va < ia->nvalues; va++) {
    int64_t vb = pl_labels_find(ib->labels, order, ib->nvalues, ia->labels[va]);
    *words_at(c, off + va) = vb < 0 ? NONE : (uint32_t)vb;
  }
  free(order);
  instr *in = code_at(c, emit(c, OP_CAT_SAME));
  in->arg = a;
  in->arg2 = b;
  in->arg2_len = ib->nvalues;
  in->negate = negate;
  in->u.tab.off = off;
  in->u.tab.len = ia->nvalues;
}

/* Jumps not yet knowing their target are chained through `arg`. */
static uint32_t emit_jump(compiler *c, opcode op, uint32_t chain) {
  uint32_t at = emit(c, op);
  code_at(c, at)->arg = chain;
  return at;
}

static void patch_jumps(compiler *c, uint32_t chain) {
  while (chain != NONE) {
    instr *in = code_at(c, chain);
    chain = in->arg;
    in->arg = c->code.n;
  }
}

/* ---- Parser ----------------------------------------------------------- */

static void enter(compiler *c) {
  if (++c->depth > MAX_DEPTH)
    fail(c, c->tok.pos, "expression is nested too deeply (more than %d levels)",
         MAX_DEPTH);
}

static void need_condition(compiler *c, const operand *o, const token *op) {
  if (o->type == V_BOOL)
    return;
  begin_error(c, o->pos);
  say(c, "'%.*s' needs a condition, but found ", (int)(op->end - op->pos),
      c->text + op->pos);
  say_operand(c, o);
  throw_error(c);
}

static void need_number(compiler *c, const operand *o, const token *op) {
  if (o->type == V_NUM)
    return;
  begin_error(c, o->pos);
  say(c, "'%.*s' needs numbers, but found ", (int)(op->end - op->pos),
      c->text + op->pos);
  say_operand(c, o);
  throw_error(c);
}

static operand computed(vtype type, size_t pos) {
  operand o = {.type = type, .leaf = L_NONE, .issue = NONE, .pos = pos};
  return o;
}

static void parse_issue(compiler *c, operand *out) {
  uint32_t issue = find_issue(c, &c->tok);
  *out = computed(V_NUM, c->tok.pos);
  out->leaf = L_ISSUE;
  out->issue = issue;
  c->info[issue].used = true;
  if (c->issues[issue].kind == PL_ISSUE_CATEGORICAL)
    out->type = V_CAT;
  else
    emit_load(c, issue);
  next(c);
}

static void parse_group(compiler *c, operand *out) {
  size_t open = c->tok.pos;
  enter(c);
  next(c);
  parse_implies(c, out);
  if (c->tok.kind != TK_RPAREN) {
    begin_error(c, c->tok.pos);
    say(c, "expected ')' to close '(' at column %d, but found ",
        column(c, open));
    say_token(c, &c->tok);
    throw_error(c);
  }
  next(c);
  c->depth--;
  out->pos = open;
}

static void parse_primary(compiler *c, operand *out) {
  switch (c->tok.kind) {
  case TK_NAME:
    parse_issue(c, out);
    return;
  case TK_LPAREN:
    parse_group(c, out);
    return;
  case TK_NUMBER:
    *out = computed(V_NUM, c->tok.pos);
    out->leaf = L_NUMBER;
    code_at(c, emit(c, OP_NUM))->u.k = c->tok.num;
    break;
  case TK_STRING:
    *out = computed(V_STR, c->tok.pos);
    out->leaf = L_STRING;
    out->s = c->tok.s;
    out->n = c->tok.n;
    break;
  case TK_TRUE:
  case TK_FALSE:
    *out = computed(V_BOOL, c->tok.pos);
    emit(c, c->tok.kind == TK_TRUE ? OP_TRUE : OP_FALSE);
    break;
  default:
    fail_expected(c, "an issue, a number, a string, true, false or '('");
  }
  next(c);
}

static void parse_unary(compiler *c, operand *out) {
  if (c->tok.kind != TK_MINUS) {
    parse_primary(c, out);
    return;
  }
  token op = c->tok;
  enter(c);
  next(c);
  parse_unary(c, out);
  need_number(c, out, &op);
  /* A negative literal is folded: its OP_NUM is the last instruction. */
  if (out->leaf == L_NUMBER) {
    code_at(c, c->code.n - 1)->u.k *= -1;
    out->pos = op.pos;
  } else {
    emit(c, OP_NEG);
    *out = computed(V_NUM, op.pos);
  }
  c->depth--;
}

/* Left-associative numeric operators `first` and `first + 1`. */
static void parse_arithmetic(compiler *c, operand *out, tkind first,
                             parse_fn operand_fn) {
  operand_fn(c, out);
  while (c->tok.kind == first || c->tok.kind == first + 1) {
    token op = c->tok;
    operand right;
    need_number(c, out, &op);
    next(c);
    operand_fn(c, &right);
    need_number(c, &right, &op);
    emit(c, (opcode)(OP_ADD + (op.kind - TK_PLUS)));
    *out = computed(V_NUM, out->pos);
  }
}

static void parse_product(compiler *c, operand *out) {
  parse_arithmetic(c, out, TK_STAR, parse_unary);
}

static void parse_sum(compiler *c, operand *out) {
  parse_arithmetic(c, out, TK_PLUS, parse_product);
}

static _Noreturn void fail_mismatch(compiler *c, const token *op,
                                    const operand *l, const operand *r) {
  begin_error(c, op->pos);
  say(c, "cannot compare ");
  say_operand(c, l);
  say(c, " with ");
  say_operand(c, r);
  throw_error(c);
}

/* A categorical issue is compared by value index: with a string, through a
 * one-value set; with another categorical issue, through a label map. */
static void compile_categorical(compiler *c, const token *op, const operand *l,
                                const operand *r) {
  const operand *cat = l->type == V_CAT ? l : r;
  const operand *other = cat == l ? r : l;
  bool negate = op->kind == TK_NE;
  if (op->kind != TK_EQ && op->kind != TK_NE) {
    begin_error(c, op->pos);
    say(c, "'%.*s' cannot be used on ", (int)(op->end - op->pos),
        c->text + op->pos);
    say_operand(c, cat);
    say(c, " (only ==, != and in)");
    throw_error(c);
  }
  if (other->type == V_CAT) {
    emit_same_label(c, l->issue, r->issue, negate);
  } else if (other->type == V_STR) {
    uint32_t value = find_option(c, cat->issue, other->s, other->n, other->pos);
    uint32_t nvalues = c->issues[cat->issue].nvalues;
    uint32_t set = emit_value_set(c, cat->issue);
    accept_value(c, set, value);
    if (negate)
      invert_value_set(c, set, nvalues);
  } else {
    fail_mismatch(c, op, l, r);
  }
}

static void compile_comparison(compiler *c, const token *op, const operand *l,
                               const operand *r) {
  if (l->type == V_NUM && r->type == V_NUM)
    emit(c, (opcode)(OP_EQ + (op->kind - TK_EQ)));
  else if (l->type == V_CAT || r->type == V_CAT)
    compile_categorical(c, op, l, r);
  else
    fail_mismatch(c, op, l, r);
}

static void parse_option_list(compiler *c, uint32_t issue, bool negate) {
  uint32_t set = emit_value_set(c, issue);
  do {
    next(c);
    if (c->tok.kind != TK_STRING) {
      begin_error(c, c->tok.pos);
      say(c, "expected an option of issue '%s' in quotes, but found ",
          c->issues[issue].name);
      say_token(c, &c->tok);
      throw_error(c);
    }
    accept_value(c, set, find_option(c, issue, c->tok.s, c->tok.n, c->tok.pos));
    next(c);
  } while (c->tok.kind == TK_COMMA);
  expect(c, TK_RBRACKET, "',' or ']' in the list");
  if (negate)
    invert_value_set(c, set, c->issues[issue].nvalues);
}

static void parse_number_list(compiler *c, bool negate) {
  uint32_t off = c->nums.n;
  do {
    next(c);
    bool minus = c->tok.kind == TK_MINUS;
    if (minus)
      next(c);
    if (c->tok.kind != TK_NUMBER)
      fail_expected(c, "a number in the list");
    *nums_at(c, pool_add(c, &c->nums, 1, sizeof(double))) =
        minus ? -c->tok.num : c->tok.num;
    next(c);
  } while (c->tok.kind == TK_COMMA);
  expect(c, TK_RBRACKET, "',' or ']' in the list");
  instr *in = code_at(c, emit(c, OP_NUM_IN));
  in->negate = negate;
  in->u.tab.off = off;
  in->u.tab.len = c->nums.n - off;
}

/* X in [...] and X not in [...]; the current token is 'in' or 'not'. */
static void parse_membership(compiler *c, const operand *left) {
  bool negate = c->tok.kind == TK_NOT;
  if (negate)
    next(c);
  if (left->type != V_CAT && left->type != V_NUM) {
    begin_error(c, left->pos);
    say(c, "'in' needs an issue or a number on its left, but found ");
    say_operand(c, left);
    throw_error(c);
  }
  next(c);
  if (c->tok.kind != TK_LBRACKET)
    fail_expected(c, "'[' after 'in'");
  if (left->type == V_CAT)
    parse_option_list(c, left->issue, negate);
  else
    parse_number_list(c, negate);
}

static bool at_comparison(const compiler *c) {
  return c->tok.kind >= TK_EQ && c->tok.kind <= TK_GE;
}

static bool at_membership(compiler *c) {
  token after;
  if (c->tok.kind == TK_IN)
    return true;
  if (c->tok.kind != TK_NOT)
    return false;
  lex(c, c->tok.end, &after);
  return after.kind == TK_IN;
}

static void parse_comparison(compiler *c, operand *out) {
  parse_sum(c, out);
  if (at_comparison(c)) {
    token op = c->tok;
    operand right;
    next(c);
    parse_sum(c, &right);
    compile_comparison(c, &op, out, &right);
  } else if (at_membership(c)) {
    parse_membership(c, out);
  } else if (c->tok.kind == TK_NOT) {
    next(c);
    fail_expected(c, "'in' after 'not'");
  } else {
    return;
  }
  if (at_comparison(c) || at_membership(c))
    fail(c, c->tok.pos, "comparisons cannot be chained; join them with 'and'");
  *out = computed(V_BOOL, out->pos);
}

static void parse_not(compiler *c, operand *out) {
  if (c->tok.kind != TK_NOT) {
    parse_comparison(c, out);
    return;
  }
  token op = c->tok;
  enter(c);
  next(c);
  parse_not(c, out);
  need_condition(c, out, &op);
  emit(c, OP_NOT);
  c->depth--;
  *out = computed(V_BOOL, op.pos);
}

/* Operands joined by one boolean operator. Each operator jumps to the end of
 * the chain as soon as the answer is known, so `a implies b implies c` runs
 * as "not a or not b or c": the right-associative reading. */
static void parse_logic(compiler *c, operand *out, tkind kind, opcode jump,
                        parse_fn operand_fn) {
  uint32_t chain = NONE;
  operand_fn(c, out);
  while (c->tok.kind == kind) {
    token op = c->tok;
    operand right;
    need_condition(c, out, &op);
    chain = emit_jump(c, jump, chain);
    next(c);
    operand_fn(c, &right);
    need_condition(c, &right, &op);
  }
  patch_jumps(c, chain);
}

static void parse_and(compiler *c, operand *out) {
  parse_logic(c, out, TK_AND, OP_AND, parse_not);
}

static void parse_or(compiler *c, operand *out) {
  parse_logic(c, out, TK_OR, OP_OR, parse_and);
}

static void parse_implies(compiler *c, operand *out) {
  parse_logic(c, out, TK_IMPLIES, OP_IMPLIES, parse_or);
}

/* ---- Compilation ------------------------------------------------------ */

static size_t align_up(size_t n, size_t alignment) {
  return (n + alignment - 1) / alignment * alignment;
}

static void copy_pool(void *dst, const pool *p, size_t size) {
  if (p->n > 0)
    memcpy(dst, p->data, (size_t)p->n * size);
}

/* Moves the code and its data into one block owned by the result. */
static pl_expr *finish(compiler *c) {
  uint32_t nrefs = 0;
  for (uint32_t i = 0; i < c->nissues; i++)
    nrefs += c->info[i].used;
  size_t code_off = align_up(sizeof(pl_expr), _Alignof(instr));
  size_t nums_off =
      align_up(code_off + c->code.n * sizeof(instr), _Alignof(double));
  size_t words_off = nums_off + c->nums.n * sizeof(double);
  size_t refs_off = words_off + c->words.n * sizeof(uint32_t);
  char *block = malloc(refs_off + nrefs * sizeof(uint32_t));
  if (!block)
    fail(c, 0, "out of memory");
  pl_expr *e = (pl_expr *)block;
  uint32_t *refs = (uint32_t *)(block + refs_off);
  copy_pool(block + code_off, &c->code, sizeof(instr));
  copy_pool(block + nums_off, &c->nums, sizeof(double));
  copy_pool(block + words_off, &c->words, sizeof(uint32_t));
  e->ncode = c->code.n;
  e->nrefs = 0;
  for (uint32_t i = 0; i < c->nissues; i++)
    if (c->info[i].used)
      refs[e->nrefs++] = i;
  e->code = (const instr *)(block + code_off);
  /* cppcheck-suppress invalidPointerCast ; nums_off is aligned for doubles */
  e->nums = (const double *)(block + nums_off);
  e->words = (const uint32_t *)(block + words_off);
  e->refs = refs;
  return e;
}

static pl_expr *compile(compiler *c) {
  size_t len = 0;
  operand top;
  while (len <= MAX_TEXT && c->text[len])
    len++;
  if (len > MAX_TEXT)
    fail(c, 0, "expression is too long (more than %d bytes)", MAX_TEXT);
  c->info = calloc(c->nissues ? c->nissues : 1, sizeof(issue_info));
  if (!c->info)
    fail(c, 0, "out of memory");
  next(c);
  if (c->tok.kind == TK_END)
    fail(c, 0, "empty expression");
  parse_implies(c, &top);
  if (c->tok.kind != TK_END) {
    begin_error(c, c->tok.pos);
    say(c, "unexpected text after the end of the expression: ");
    say_token(c, &c->tok);
    say_keyword_hint(c, &c->tok);
    throw_error(c);
  }
  if (top.type != V_BOOL) {
    begin_error(c, top.pos);
    say(c, "the expression must be a condition such as a comparison, but "
           "it is ");
    say_operand(c, &top);
    throw_error(c);
  }
  return finish(c);
}

/* setjmp() lives in a function of its own so that no local variable of the
 * parser can be clobbered by the longjmp() of an error. */
static pl_expr *compile_protected(compiler *c) {
  if (setjmp(c->on_error))
    return NULL;
  return compile(c);
}

pl_expr *pl_expr_compile(const char *text, const pl_expr_issue *issues,
                         uint32_t nissues, int *err_col, char *err_msg,
                         size_t err_len) {
  compiler c;
  memset(&c, 0, sizeof c);
  c.text = text ? text : "";
  c.issues = issues;
  c.nissues = nissues;
  c.msg = err_msg;
  c.msg_len = err_msg ? err_len : 0;
  if (c.msg_len > 0)
    err_msg[0] = '\0';
  pl_expr *e = compile_protected(&c);
  free(c.info);
  free(c.code.data);
  free(c.nums.data);
  free(c.words.data);
  if (err_col)
    *err_col = e ? 0 : column(&c, c.err_pos);
  return e;
}

/* ---- Evaluation ------------------------------------------------------- */

typedef union slot {
  double num;
  bool yes;
} slot;

/* Out-of-range value indices make every comparison false, and are never used
 * to read: as a number such a value is NaN, which no comparison accepts. */
static double load(const pl_expr *e, const instr *in, const uint32_t *values) {
  uint32_t v = values[in->arg];
  return v < in->u.tab.len ? e->nums[in->u.tab.off + v] : NAN;
}

/* Division by zero gives NaN, so the comparison containing it is false. */
static double divide(double a, double b) { return b == 0.0 ? NAN : a / b; }

/* NaN, from a division by zero, is neither in a list nor out of it. */
static bool in_list(const pl_expr *e, const instr *in, double x) {
  if (isnan(x))
    return false;
  const double *list = e->nums + in->u.tab.off;
  bool found = false;
  for (uint32_t i = 0; i < in->u.tab.len && !found; i++)
    found = fabs(x - list[i]) <= EPSILON;
  return found != in->negate;
}

static bool in_set(const pl_expr *e, const instr *in, const uint32_t *values) {
  uint32_t v = values[in->arg];
  return v < in->u.tab.len &&
         ((e->words[in->u.tab.off + v / 32] >> (v % 32)) & 1u);
}

static bool same_label(const pl_expr *e, const instr *in,
                       const uint32_t *values) {
  uint32_t va = values[in->arg], vb = values[in->arg2];
  if (va >= in->u.tab.len || vb >= in->arg2_len)
    return false;
  return (e->words[in->u.tab.off + va] == vb) != in->negate;
}

/* The comparisons are written so that NaN makes every one of them false.
 * The stack discipline (every pop has its push, depth <= MAX_STACK) is the
 * compiler's guarantee, which the static analyzer cannot follow through
 * the bytecode: it reports reads of unwritten slots.
 * NOLINTBEGIN(clang-analyzer-core.uninitialized.Assign,clang-analyzer-core.UndefinedBinaryOperatorResult,clang-analyzer-core.CallAndMessage,clang-analyzer-core.uninitialized.Branch,clang-analyzer-core.uninitialized.UndefReturn)
 */
bool pl_expr_eval(const pl_expr *e, const uint32_t *values) {
  slot st[MAX_STACK];
  uint32_t sp = 0, pc = 0;
  while (pc < e->ncode) {
    const instr *in = &e->code[pc++];
    switch ((opcode)in->op) {
    case OP_TRUE:
    case OP_FALSE:
      st[sp++].yes = in->op == OP_TRUE;
      break;
    case OP_NUM:
      st[sp++].num = in->u.k;
      break;
    case OP_LOAD:
      st[sp++].num = load(e, in, values);
      break;
    case OP_NEG:
      st[sp - 1].num = -st[sp - 1].num;
      break;
    case OP_ADD:
      sp--;
      st[sp - 1].num += st[sp].num;
      break;
    case OP_SUB:
      sp--;
      st[sp - 1].num -= st[sp].num;
      break;
    case OP_MUL:
      sp--;
      st[sp - 1].num *= st[sp].num;
      break;
    case OP_DIV:
      sp--;
      st[sp - 1].num = divide(st[sp - 1].num, st[sp].num);
      break;
    case OP_EQ:
      sp--;
      st[sp - 1].yes = fabs(st[sp - 1].num - st[sp].num) <= EPSILON;
      break;
    case OP_NE:
      sp--;
      st[sp - 1].yes = fabs(st[sp - 1].num - st[sp].num) > EPSILON;
      break;
    case OP_LT:
      sp--;
      st[sp - 1].yes = st[sp - 1].num < st[sp].num - EPSILON;
      break;
    case OP_LE:
      sp--;
      st[sp - 1].yes = st[sp - 1].num <= st[sp].num + EPSILON;
      break;
    case OP_GT:
      sp--;
      st[sp - 1].yes = st[sp - 1].num > st[sp].num + EPSILON;
      break;
    case OP_GE:
      sp--;
      st[sp - 1].yes = st[sp - 1].num >= st[sp].num - EPSILON;
      break;
    case OP_NUM_IN:
      st[sp - 1].yes = in_list(e, in, st[sp - 1].num);
      break;
    case OP_CAT_IN:
      st[sp++].yes = in_set(e, in, values);
      break;
    case OP_CAT_SAME:
      st[sp++].yes = same_label(e, in, values);
      break;
    case OP_NOT:
      st[sp - 1].yes = !st[sp - 1].yes;
      break;
    case OP_AND:
      if (st[sp - 1].yes)
        sp--;
      else
        pc = in->arg;
      break;
    case OP_OR:
      if (st[sp - 1].yes)
        pc = in->arg;
      else
        sp--;
      break;
    case OP_IMPLIES:
      if (st[sp - 1].yes) {
        sp--;
      } else {
        st[sp - 1].yes = true;
        pc = in->arg;
      }
      break;
    }
  }
  return st[0].yes;
}
/* NOLINTEND(clang-analyzer-core.uninitialized.Assign,clang-analyzer-core.UndefinedBinaryOperatorResult,clang-analyzer-core.CallAndMessage,clang-analyzer-core.uninitialized.Branch,clang-analyzer-core.uninitialized.UndefReturn)
 */

uint32_t pl_expr_num_refs(const pl_expr *e) { return e->nrefs; }

const uint32_t *pl_expr_refs(const pl_expr *e) { return e->refs; }

void pl_expr_free(pl_expr *e) { free(e); }
