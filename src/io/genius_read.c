/* genius_read.c - reading GENIUS domains and profiles (XML).
 *
 * The rules are GENIUS 10.4's own (shared/reference/genius-semantics.md):
 * weights as written, discrete evaluations divided by the issue's largest,
 * integer evaluators shifted by the profile's lower bound and clipped, the
 * sum capped at 1. NegMAS's "raw" reading keeps discrete evaluations as
 * written and does not cap.
 *
 * Each file is parsed by expat into a small element tree (GENIUS files are
 * a few kilobytes; the tree makes "direct child" rules easy to follow). No
 * DTD is accepted, so no entity is ever expanded. Like the JSON loader,
 * this one reports every problem it can find, each with file:line:column.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/scenario_io.h"
#include "model/scenario.h"
#include "util/diag.h"
#include "util/fmt.h"
#include "util/labels.h"
#include "util/suggest.h"

#include <dirent.h>
#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Real GENIUS files are kilobytes; anything this large is not one. */
#define MAX_XML_BYTES (64u << 20)

enum {
  MAX_DEPTH = 64,        /* element nesting */
  READ_CHUNK = 1 << 16,  /* bytes handed to expat at a time */
  MAX_OBJECTIVES = 1024, /* objective (non-issue) nodes of a domain */
  REAL_STEPS = 21,       /* GENIUS enumerates a real issue so */
  MAX_PROFILES = PL_MAX_PARTIES
};

/* ---- Element tree -------------------------------------------------------- */

typedef struct xnode xnode;
struct xnode {
  const char *tag;
  const char **attrs; /* name, value, name, value, ..., NULL */
  int line, col;
  xnode *parent, *first, *last, *next;
};

typedef enum doc_kind { DOC_OTHER, DOC_DOMAIN, DOC_PROFILE } doc_kind;

typedef struct xdoc {
  const char *path; /* as given, for messages */
  const char *stem; /* file name without folder and extension */
  xnode *root;
  doc_kind kind;
} xdoc;

typedef enum parse_status {
  PARSE_OK,
  PARSE_NOT_XML,
  PARSE_FAILED
} parse_status;

static const char *attr(const xnode *n, const char *name) {
  for (const char **a = n->attrs; a && a[0]; a += 2)
    if (!strcmp(a[0], name))
      return a[1];
  return NULL;
}

static bool tag_is(const xnode *n, const char *tag) {
  return !strcmp(n->tag, tag);
}

/* The first direct child named `tag`: GENIUS only looks one level down. */
static const xnode *child(const xnode *n, const char *tag) {
  for (const xnode *c = n->first; c; c = c->next)
    if (tag_is(c, tag))
      return c;
  return NULL;
}

/* ---- Parsing with expat -------------------------------------------------- */

typedef struct xbuild {
  XML_Parser p;
  pl_arena *arena;
  xnode *root, *cur;
  int depth;
  /* Blank space before the first '<' is dropped before expat sees it
   * (GENIUS accepts it even before an XML declaration); positions are
   * shifted back by what was dropped. */
  int skip_lines, skip_cols;
  bool started; /* the first '<' has been seen */
  bool stopped;
  int line, col;
  char msg[256];
} xbuild;

static void where(const xbuild *b, int *line, int *col) {
  int l = (int)XML_GetCurrentLineNumber(b->p);
  int c = (int)XML_GetCurrentColumnNumber(b->p) + 1;
  *line = l + b->skip_lines;
  *col = l == 1 ? c + b->skip_cols : c;
}

static void stop(xbuild *b, const char *fmt, ...) PL_PRINTF(2, 3);
static void stop(xbuild *b, const char *fmt, ...) {
  if (b->stopped)
    return;
  b->stopped = true;
  where(b, &b->line, &b->col);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(b->msg, sizeof b->msg, fmt, ap);
  va_end(ap);
  XML_StopParser(b->p, XML_FALSE);
}

static xnode *new_node(xbuild *b, const XML_Char *name, const XML_Char **atts) {
  size_t n = 0;
  while (atts[n])
    n++;
  xnode *x = pl_arena_alloc(b->arena, sizeof *x);
  const char **a = pl_arena_calloc(b->arena, n + 1, sizeof *a);
  if (!x || !a)
    return NULL;
  x->tag = pl_arena_strdup(b->arena, name);
  for (size_t k = 0; k < n; k++)
    if (!(a[k] = pl_arena_strdup(b->arena, atts[k])))
      return NULL;
  x->attrs = a;
  return x->tag ? x : NULL;
}

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **atts) {
  xbuild *b = ud;
  if (b->stopped)
    return;
  if (b->depth >= MAX_DEPTH) {
    stop(b, "elements are nested more than %d deep", MAX_DEPTH);
    return;
  }
  xnode *x = new_node(b, name, atts);
  if (!x) {
    stop(b, "out of memory");
    return;
  }
  where(b, &x->line, &x->col);
  x->parent = b->cur;
  if (!b->cur)
    b->root = x;
  else if (b->cur->last)
    b->cur->last->next = x;
  else
    b->cur->first = x;
  if (b->cur)
    b->cur->last = x;
  b->cur = x;
  b->depth++;
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
  (void)name;
  xbuild *b = ud;
  if (b->stopped || !b->cur)
    return;
  b->cur = b->cur->parent;
  b->depth--;
}

/* A DTD could declare entities that expand without bound: refuse it before
 * expat reads any declaration. GENIUS files never have one. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name,
                               const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal_subset) {
  (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
  stop(ud, "a DOCTYPE (DTD) is not accepted: GENIUS files have none, and "
           "entities are never expanded");
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int param,
                              const XML_Char *value, int len,
                              const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation) {
  (void)param, (void)value, (void)len, (void)base, (void)sysid, (void)pubid,
      (void)notation;
  stop(ud, "entity declaration '%s' refused: entities are never expanded",
       name);
}

static bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Skips a byte-order mark (at the very start) and blank space, counting
 * the lines and columns skipped; returns how many bytes were skipped. */
static size_t skip_blank(xbuild *b, const char *buf, size_t n, bool at_start) {
  size_t k = 0;
  if (at_start && n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
    k = 3;
  for (; k < n && blank(buf[k]); k++) {
    if (buf[k] == '\n') {
      b->skip_lines++;
      b->skip_cols = 0;
    } else if (buf[k] != '\r') {
      b->skip_cols++;
    }
  }
  return k;
}

static void report_parse_error(const xbuild *b, const char *path, pl_diag *d) {
  if (b->stopped) {
    pl_diag_add(d, path, b->line, b->col, "%s", b->msg);
    return;
  }
  int line, col;
  where(b, &line, &col);
  pl_diag_add(d, path, line, col, "malformed XML: %s",
              XML_ErrorString(XML_GetErrorCode(b->p)));
}

/* Hands one chunk to expat, first dropping the blank space before the
 * document. A file whose first non-blank byte is not '<' (or that is
 * empty) is PARSE_NOT_XML, without a message: the caller decides whether
 * that is an error. */
static parse_status feed_chunk(xbuild *b, const char *buf, size_t n, bool first,
                               bool last, const char *path, pl_diag *d) {
  size_t k = 0;
  if (!b->started) {
    k = skip_blank(b, buf, n, first);
    if (k == n)
      return last ? PARSE_NOT_XML : PARSE_OK;
    if (buf[k] != '<')
      return PARSE_NOT_XML;
    b->started = true;
  }
  if (XML_Parse(b->p, buf + k, (int)(n - k), last) != XML_STATUS_ERROR)
    return PARSE_OK;
  report_parse_error(b, path, d);
  return PARSE_FAILED;
}

/* Streams the file through expat, refusing files above the size limit. */
static parse_status feed(FILE *f, xbuild *b, const char *path, pl_diag *d) {
  char *buf = malloc(READ_CHUNK);
  if (!buf) {
    pl_diag_add(d, path, 0, 0, "out of memory");
    return PARSE_FAILED;
  }
  size_t total = 0;
  parse_status st;
  for (;;) {
    size_t n = fread(buf, 1, READ_CHUNK, f);
    if (ferror(f)) {
      pl_diag_add(d, path, 0, 0, "cannot read: %s", strerror(errno));
      st = PARSE_FAILED;
      break;
    }
    total += n;
    if (total > MAX_XML_BYTES) {
      pl_diag_add(d, path, 0, 0,
                  "file is larger than %u MiB; not a GENIUS file",
                  MAX_XML_BYTES >> 20);
      st = PARSE_FAILED;
      break;
    }
    bool last = n < READ_CHUNK;
    st = feed_chunk(b, buf, n, total == n, last, path, d);
    if (st != PARSE_OK || last)
      break;
  }
  free(buf);
  return st;
}

/* Parses `doc->path` into a tree allocated from `arena`. */
static parse_status parse_doc(xdoc *doc, pl_arena *arena, pl_diag *d) {
  FILE *f = fopen(doc->path, "rb");
  if (!f) {
    pl_diag_add(d, doc->path, 0, 0, "cannot open: %s", strerror(errno));
    return PARSE_FAILED;
  }
  xbuild b = {.arena = arena};
  b.p = XML_ParserCreate(NULL);
  if (!b.p) {
    fclose(f);
    pl_diag_add(d, doc->path, 0, 0, "out of memory");
    return PARSE_FAILED;
  }
  XML_SetUserData(b.p, &b);
  XML_SetElementHandler(b.p, on_start, on_end);
  XML_SetStartDoctypeDeclHandler(b.p, on_doctype);
  XML_SetEntityDeclHandler(b.p, on_entity);
  XML_SetParamEntityParsing(b.p, XML_PARAM_ENTITY_PARSING_NEVER);
  parse_status st = feed(f, &b, doc->path, d);
  XML_ParserFree(b.p);
  fclose(f);
  doc->root = st == PARSE_OK ? b.root : NULL;
  return st;
}

/* ---- Telling domains from profiles --------------------------------------- */

/* Elements only a profile has. `similarity_function` blocks are skipped:
 * domains carry them too, and their items are not evaluations. */
static bool has_profile_parts(const xnode *n) {
  for (const xnode *c = n->first; c; c = c->next) {
    if (tag_is(c, "similarity_function"))
      continue;
    if (tag_is(c, "weight") || tag_is(c, "evaluator") || tag_is(c, "utility") ||
        tag_is(c, "ufun") || tag_is(c, "hyperRectangle") ||
        (tag_is(c, "item") && attr(c, "evaluation")) || has_profile_parts(c))
      return true;
  }
  return false;
}

static bool has_issue(const xnode *n) {
  for (const xnode *c = n->first; c; c = c->next)
    if (tag_is(c, "issue") || has_issue(c))
      return true;
  return false;
}

static doc_kind classify(const xnode *root) {
  if (!root) /* expat gives a root for every well-formed document */
    return DOC_OTHER;
  if (tag_is(root, "negotiation_template"))
    return DOC_DOMAIN;
  if (!tag_is(root, "utility_space"))
    return DOC_OTHER;
  if (has_profile_parts(root))
    return DOC_PROFILE;
  return has_issue(root) ? DOC_DOMAIN : DOC_OTHER;
}

/* ---- Loader state and reporting ------------------------------------------ */

typedef struct gl {
  pl_scenario *s;
  pl_diag *d;
  pl_reading reading;
  size_t errors;
  pl_arena tmp;                  /* trees, paths; freed at the end */
  int32_t gindex[PL_MAX_ISSUES]; /* GENIUS index of each issue */
  int32_t *objectives;           /* indices of non-issue objectives */
  uint32_t nobjectives;
} gl;

static void fail(gl *L, const xdoc *doc, const xnode *at, const char *fmt, ...)
    PL_PRINTF(4, 5);
static void fail(gl *L, const xdoc *doc, const xnode *at, const char *fmt,
                 ...) {
  va_list ap;
  va_start(ap, fmt);
  pl_diag_addv(L->d, doc ? doc->path : NULL, at ? at->line : 0,
               at ? at->col : 0, fmt, ap);
  va_end(ap);
  L->errors++;
}

/* A problem that belongs to no element (a folder, a count of files). */
static void fail_path(gl *L, const char *path, const char *fmt, ...)
    PL_PRINTF(3, 4);
static void fail_path(gl *L, const char *path, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pl_diag_addv(L->d, path, 0, 0, fmt, ap);
  va_end(ap);
  L->errors++;
}

/* ---- Attributes ---------------------------------------------------------- */

typedef enum astat { A_OK, A_MISSING, A_BAD } astat;

/* A number as Java's Double.valueOf reads it in these files: blank space
 * around it allowed, '.' as decimal point, finite. */
static bool parse_double(const char *text, double *out) {
  while (blank(*text))
    text++;
  size_t n = strlen(text);
  while (n > 0 && blank(text[n - 1]))
    n--;
  char buf[64];
  if (n == 0 || n >= sizeof buf)
    return false;
  memcpy(buf, text, n);
  buf[n] = 0;
  return pl_parse_number(buf, out) && isfinite(*out);
}

static astat num_attr(gl *L, const xdoc *doc, const xnode *n, const char *name,
                      bool required, double *out) {
  const char *t = attr(n, name);
  if (!t) {
    if (required)
      fail(L, doc, n, "<%s> has no '%s' attribute", n->tag, name);
    return A_MISSING;
  }
  if (!parse_double(t, out)) {
    fail(L, doc, n, "'%s' of <%s> is \"%s\"; expected a number", name, n->tag,
         t);
    return A_BAD;
  }
  return A_OK;
}

/* A whole number that fits an int32 (indices, integer bounds). */
static astat int_attr(gl *L, const xdoc *doc, const xnode *n, const char *name,
                      bool required, int32_t *out) {
  double x;
  astat st = num_attr(L, doc, n, name, required, &x);
  if (st != A_OK)
    return st;
  if (x != floor(x) || fabs(x) > 2147483647.0) {
    fail(L, doc, n, "'%s' of <%s> is \"%s\"; expected a whole number", name,
         n->tag, attr(n, name));
    return A_BAD;
  }
  *out = (int32_t)x;
  return A_OK;
}

static const char *need_attr(gl *L, const xdoc *doc, const xnode *n,
                             const char *name) {
  const char *t = attr(n, name);
  if (!t)
    fail(L, doc, n, "<%s> has no '%s' attribute", n->tag, name);
  return t;
}

/* ---- Domain -------------------------------------------------------------- */

static int32_t issue_of(const gl *L, int32_t gindex) {
  for (uint32_t i = 0; i < L->s->nissues; i++)
    if (L->gindex[i] == gindex)
      return (int32_t)i;
  return -1;
}

static bool is_objective(const gl *L, int32_t gindex) {
  for (uint32_t k = 0; k < L->nobjectives; k++)
    if (L->objectives[k] == gindex)
      return true;
  return false;
}

/* GENIUS uses `type`; some files only have `vtype`; none means discrete. */
static const char *issue_type(const xnode *n) {
  const char *t = attr(n, "type");
  if (!t)
    t = attr(n, "vtype");
  return t ? t : "discrete";
}

static bool kind_of(const char *type, pl_issue_kind *kind) {
  if (!strcmp(type, "discrete"))
    *kind = PL_ISSUE_CATEGORICAL;
  else if (!strcmp(type, "integer"))
    *kind = PL_ISSUE_INTEGER;
  else if (!strcmp(type, "real"))
    *kind = PL_ISSUE_REAL;
  else
    return false;
  return true;
}

static const char *kind_name(pl_issue_kind k) {
  return k == PL_ISSUE_CATEGORICAL ? "discrete"
         : k == PL_ISSUE_INTEGER   ? "integer"
                                   : "real";
}

/* Sorts the items for lookups by name and reports each repeated one. */
static bool report_repeats(gl *L, const xdoc *doc, pl_issue *is,
                           const xnode **items) {
  bool *repeat = malloc((is->nvalues ? is->nvalues : 1) * sizeof *repeat);
  if (!repeat || !pl_issue_index_labels(&L->s->arena, is)) {
    free(repeat);
    return false;
  }
  pl_labels_repeats(is->labels, is->by_label, is->nvalues, repeat);
  bool ok = true;
  uint32_t twice = 0;
  for (uint32_t k = 0; k < is->nvalues; k++)
    if (repeat[k] && ++twice > PL_LISTED_MAX) {
      ok = false;
    } else if (repeat[k]) {
      /* False positive of clang-analyzer-core.CallAndMessage: items[k] is set
       * with every value (read_discrete_issue); the analyzer thinks
       * pl_issue_index_labels may change nvalues */
      /* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
      fail(L, doc, items[k], "value '%s' of issue '%s' is listed twice",
           is->labels[k], is->name);
      ok = false;
    }
  if (twice > PL_LISTED_MAX)
    fail(L, doc, items[0],
         "and %u more values of issue '%s' are listed twice (%u in all)",
         twice - PL_LISTED_MAX, is->name, twice);
  free(repeat);
  return ok;
}

static bool read_discrete_issue(gl *L, const xdoc *doc, const xnode *n,
                                pl_issue *is) {
  uint32_t count = 0;
  for (const xnode *c = n->first; c; c = c->next)
    count += tag_is(c, "item");
  if (count == 0 || count > PL_MAX_VALUES) {
    fail(L, doc, n, "discrete issue '%s' has %u items; it needs 1 to %d",
         is->name, count, PL_MAX_VALUES);
    return false;
  }
  is->labels = pl_arena_calloc(&L->s->arena, count, sizeof *is->labels);
  if (!is->labels)
    return false;
  const xnode **items = malloc(count * sizeof *items);
  if (!items)
    return false;
  bool ok = true;
  for (const xnode *c = n->first; c; c = c->next) {
    if (!tag_is(c, "item"))
      continue;
    const char *v = need_attr(L, doc, c, "value");
    if (!v) {
      ok = false;
      continue;
    }
    items[is->nvalues] = c;
    is->labels[is->nvalues++] = pl_arena_strdup(&L->s->arena, v);
  }
  ok = ok && report_repeats(L, doc, is, items);
  free(items);
  return ok;
}

/* Integer bounds from `lowerbound`/`upperbound`, or GENIUS's older
 * <range> child. */
static const xnode *bounds_node(const xnode *n) {
  if (attr(n, "lowerbound") || attr(n, "upperbound"))
    return n;
  const xnode *r = child(n, "range");
  return r ? r : n;
}

static bool read_integer_issue(gl *L, const xdoc *doc, const xnode *n,
                               pl_issue *is) {
  const xnode *b = bounds_node(n);
  int32_t lo, hi;
  bool ok = int_attr(L, doc, b, "lowerbound", true, &lo) == A_OK;
  ok &= int_attr(L, doc, b, "upperbound", true, &hi) == A_OK;
  if (!ok)
    return false;
  double count = (double)hi - lo + 1;
  if (count < 1 || count > PL_MAX_VALUES) {
    fail(L, doc, b,
         "integer issue '%s' has bounds %d..%d; it needs 1 to %d values",
         is->name, lo, hi, PL_MAX_VALUES);
    return false;
  }
  is->nvalues = (uint32_t)count;
  is->numbers = pl_arena_calloc(&L->s->arena, is->nvalues, sizeof(double));
  if (!is->numbers)
    return false;
  for (uint32_t k = 0; k < is->nvalues; k++)
    is->numbers[k] = (double)lo + k;
  is->min = lo;
  is->max = hi;
  is->step = 1;
  return true;
}

static bool read_real_issue(gl *L, const xdoc *doc, const xnode *n,
                            pl_issue *is) {
  const xnode *b = bounds_node(n);
  double lo, hi;
  bool ok = num_attr(L, doc, b, "lowerbound", true, &lo) == A_OK;
  ok &= num_attr(L, doc, b, "upperbound", true, &hi) == A_OK;
  if (!ok)
    return false;
  if (!(lo < hi)) {
    fail(L, doc, b, "real issue '%s' needs lowerbound < upperbound", is->name);
    return false;
  }
  is->nvalues = REAL_STEPS;
  is->numbers = pl_arena_calloc(&L->s->arena, REAL_STEPS, sizeof(double));
  if (!is->numbers)
    return false;
  for (uint32_t k = 0; k < REAL_STEPS; k++)
    is->numbers[k] = k + 1 == REAL_STEPS
                         ? hi /* exactly the bound, without rounding drift */
                         : lo + (hi - lo) * k / (REAL_STEPS - 1);
  is->min = lo;
  is->max = hi;
  return true;
}

/* GENIUS numbers objectives and issues from one sequence. */
static bool index_taken(const gl *L, int32_t gindex) {
  return issue_of(L, gindex) >= 0 || is_objective(L, gindex);
}

static void add_issue(gl *L, const xdoc *doc, const xnode *n) {
  pl_scenario *s = L->s;
  if (s->nissues == PL_MAX_ISSUES) {
    fail(L, doc, n, "more than %d issues; parley supports at most %d",
         PL_MAX_ISSUES, PL_MAX_ISSUES);
    return;
  }
  const char *name = need_attr(L, doc, n, "name");
  int32_t gindex;
  bool ok = int_attr(L, doc, n, "index", true, &gindex) == A_OK;
  if (!name || !ok)
    return;
  if (index_taken(L, gindex)) {
    fail(L, doc, n, "index %d of issue '%s' is already used", gindex, name);
    return;
  }
  if (pl_find_issue(s, name) >= 0) {
    fail(L, doc, n, "issue '%s' is defined twice", name);
    return;
  }
  pl_issue is = {.name = pl_arena_strdup(&s->arena, name)};
  if (!is.name) {
    fail(L, doc, n, "out of memory");
    return;
  }
  const char *type = issue_type(n);
  if (!kind_of(type, &is.kind)) {
    fail(L, doc, n,
         "issue '%s' has type '%s'; expected discrete, integer or real", name,
         type);
    return;
  }
  ok = is.kind == PL_ISSUE_CATEGORICAL ? read_discrete_issue(L, doc, n, &is)
       : is.kind == PL_ISSUE_INTEGER   ? read_integer_issue(L, doc, n, &is)
                                       : read_real_issue(L, doc, n, &is);
  if (!ok)
    return;
  L->gindex[s->nissues] = gindex;
  s->issues[s->nissues++] = is;
}

static void add_objective(gl *L, const xdoc *doc, const xnode *n) {
  int32_t gindex;
  if (int_attr(L, doc, n, "index", false, &gindex) != A_OK)
    return;
  if (index_taken(L, gindex)) {
    fail(L, doc, n, "index %d of objective '%s' is already used", gindex,
         attr(n, "name") ? attr(n, "name") : "?");
    return;
  }
  if (L->nobjectives == MAX_OBJECTIVES) {
    fail(L, doc, n, "more than %d objectives", MAX_OBJECTIVES);
    return;
  }
  L->objectives[L->nobjectives++] = gindex;
}

/* Issues are the leaves of the objective tree, taken in document order. */
static void collect_issues(gl *L, const xdoc *doc, const xnode *obj) {
  add_objective(L, doc, obj);
  for (const xnode *c = obj->first; c; c = c->next) {
    if (tag_is(c, "objective"))
      collect_issues(L, doc, c);
    else if (tag_is(c, "issue"))
      add_issue(L, doc, c);
  }
}

/* The <utility_space> of a domain: the template's child, or the root. */
static const xnode *domain_space(gl *L, const xdoc *doc) {
  const xnode *root = doc->root;
  if (tag_is(root, "utility_space"))
    return root;
  const xnode *us = child(root, "utility_space");
  if (!us)
    fail(L, doc, root, "<%s> has no <utility_space> with the issues",
         root->tag);
  return us;
}

static bool read_domain(gl *L, const xdoc *doc) {
  pl_scenario *s = L->s;
  s->issues = pl_arena_calloc(&s->arena, PL_MAX_ISSUES, sizeof *s->issues);
  L->objectives =
      pl_arena_calloc(&L->tmp, MAX_OBJECTIVES, sizeof *L->objectives);
  if (!s->issues || !L->objectives) {
    fail(L, doc, NULL, "out of memory");
    return false;
  }
  const xnode *us = domain_space(L, doc);
  if (!us)
    return false;
  const xnode *obj = child(us, "objective");
  if (!obj) {
    fail(L, doc, us, "<utility_space> has no <objective> with the issues");
    return false;
  }
  size_t before = L->errors;
  collect_issues(L, doc, obj);
  if (s->nissues == 0 && L->errors == before)
    fail(L, doc, obj, "the domain has no issues");
  return L->errors == before;
}

/* ---- Profiles: common parts ---------------------------------------------- */

static double clip01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

static void read_reservation(gl *L, const xdoc *doc, const xnode *us,
                             pl_actor *a) {
  const xnode *r = child(us, "reservation");
  double x;
  a->threshold = 0; /* GENIUS: missing means 0 */
  if (r && num_attr(L, doc, r, "value", false, &x) == A_OK)
    a->threshold = x;
}

static void read_discount(gl *L, const xdoc *doc, const xnode *us,
                          pl_actor *a) {
  const xnode *f = child(us, "discount_factor");
  double x;
  a->discount = 1; /* GENIUS: missing, <= 0 or > 1 means no discount */
  if (f && num_attr(L, doc, f, "value", false, &x) == A_OK && x > 0 && x <= 1)
    a->discount = x;
}

/* Checks one <issue> of a profile against the domain and remembers it. */
static void match_issue(gl *L, const xdoc *doc, const xnode *n,
                        const xnode **pnodes) {
  int32_t gindex;
  if (int_attr(L, doc, n, "index", true, &gindex) != A_OK)
    return;
  const char *name = attr(n, "name");
  int32_t i = issue_of(L, gindex);
  if (i < 0) {
    fail(L, doc, n,
         "issue index %d%s%s%s is not in the domain; is this profile for "
         "another domain?",
         gindex, name ? " ('" : "", name ? name : "", name ? "')" : "");
    return;
  }
  const pl_issue *is = &L->s->issues[i];
  pl_issue_kind kind;
  if (name && strcmp(name, is->name)) {
    fail(L, doc, n,
         "issue %d is '%s' here but '%s' in the domain; is this profile for "
         "another domain?",
         gindex, name, is->name);
  } else if (!kind_of(issue_type(n), &kind) || kind != is->kind) {
    fail(L, doc, n, "issue '%s' has type '%s' here but is %s in the domain",
         is->name, issue_type(n), kind_name(is->kind));
  } else if (pnodes[i]) {
    fail(L, doc, n, "issue '%s' is listed twice (first on line %d)", is->name,
         pnodes[i]->line);
  } else {
    pnodes[i] = n;
  }
}

static void match_issues(gl *L, const xdoc *doc, const xnode *obj,
                         const xnode **pnodes) {
  for (const xnode *c = obj->first; c; c = c->next) {
    if (tag_is(c, "objective"))
      match_issues(L, doc, c, pnodes);
    else if (tag_is(c, "issue"))
      match_issue(L, doc, c, pnodes);
  }
}

/* ---- Additive profiles --------------------------------------------------- */

static void read_weight(gl *L, const xdoc *doc, const xnode *n, pl_actor *a,
                        bool *has_weight) {
  int32_t gindex;
  if (int_attr(L, doc, n, "index", true, &gindex) != A_OK)
    return;
  int32_t i = issue_of(L, gindex);
  if (i < 0) {
    /* GENIUS keeps weights of inner objectives but never uses them. */
    if (!is_objective(L, gindex))
      fail(L, doc, n, "weight for unknown issue index %d", gindex);
    return;
  }
  /* Even a bad weight is a weight: no second "no weight" message. */
  has_weight[i] = true;
  double w;
  if (num_attr(L, doc, n, "value", true, &w) != A_OK)
    return;
  if (w < 0) {
    fail(L, doc, n, "weight of issue '%s' is %s; weights cannot be negative",
         L->s->issues[i].name, attr(n, "value"));
    return;
  }
  a->weights[i] = w; /* as written: GENIUS does not normalise */
}

static void read_weights(gl *L, const xdoc *doc, const xnode *obj, pl_actor *a,
                         bool *has_weight) {
  for (const xnode *c = obj->first; c; c = c->next) {
    if (tag_is(c, "objective"))
      read_weights(L, doc, c, a, has_weight);
    else if (tag_is(c, "weight"))
      read_weight(L, doc, c, a, has_weight);
  }
}

/* One <item> of a profile: records its evaluation in raw[] and set[]. */
static void read_item(gl *L, const xdoc *doc, const xnode *c,
                      const pl_issue *is, double *raw, bool *set) {
  const char *v = need_attr(L, doc, c, "value");
  if (!v)
    return;
  int64_t k = pl_issue_find_label(is, v);
  if (k < 0) {
    fail(L, doc, c, "'%s' is not a value of issue '%s' in the domain", v,
         is->name);
    return;
  }
  const char *e = attr(c, "evaluation");
  double x;
  if (!e || !strcmp(e, "null")) /* GENIUS skips such items */
    return;
  if (num_attr(L, doc, c, "evaluation", true, &x) != A_OK)
    return;
  if (x < 0) {
    fail(L, doc, c, "evaluation of '%s' on issue '%s' is negative", v,
         is->name);
    return;
  }
  raw[k] = x; /* a value listed twice: the last one wins, as in GENIUS */
  set[k] = true;
}

static void read_discrete_eval(gl *L, const xdoc *doc, const xnode *pnode,
                               const xnode *obj, uint32_t i, pl_actor *a) {
  const pl_issue *is = &L->s->issues[i];
  pl_genius_eval *g = &a->genius[i];
  double *raw = pl_arena_calloc(&L->s->arena, is->nvalues, sizeof *raw);
  bool *set = pl_arena_calloc(&L->tmp, is->nvalues, sizeof *set);
  if (!raw || !set) {
    fail(L, doc, obj, "out of memory");
    return;
  }
  for (const xnode *c = pnode ? pnode->first : NULL; c; c = c->next)
    if (tag_is(c, "item"))
      read_item(L, doc, c, is, raw, set);
  g->kind = pnode ? PL_EVAL_DISCRETE : PL_EVAL_NONE;
  g->raw = raw;
  double max = 0;
  uint32_t missing = 0;
  for (uint32_t k = 0; k < is->nvalues; k++) {
    if (!set[k] && a->weights[i] > 0 && ++missing <= PL_LISTED_MAX)
      fail(L, doc, pnode ? pnode : obj,
           "value '%s' of issue '%s' has no evaluation", is->labels[k],
           is->name);
    max = set[k] && raw[k] > max ? raw[k] : max;
  }
  if (missing > PL_LISTED_MAX)
    fail(L, doc, pnode ? pnode : obj,
         "and %u more values of issue '%s' have no evaluation (%u in all)",
         missing - PL_LISTED_MAX, is->name, missing);
  for (uint32_t k = 0; k < is->nvalues; k++)
    a->values[i][k] = L->reading == PL_READING_RAW ? raw[k]
                      : max < 0.00001              ? 0 /* as GENIUS: all zero */
                                                   : raw[k] / max;
}

/* The profile's own bounds (the evaluator shifts by its lower bound). */
static void profile_bounds(gl *L, const xdoc *doc, const xnode *pnode,
                           const pl_issue *is, pl_genius_eval *g) {
  g->lowerbound = is->min;
  g->upperbound = is->max;
  if (!pnode)
    return;
  const xnode *b = bounds_node(pnode);
  double x;
  if (num_attr(L, doc, b, "lowerbound", false, &x) == A_OK)
    g->lowerbound = x;
  if (num_attr(L, doc, b, "upperbound", false, &x) == A_OK)
    g->upperbound = x;
}

/* The linear <evaluator> of a numeric issue, or NULL when there is none
 * (the issue then scores 0). */
static const xnode *linear_evaluator(gl *L, const xdoc *doc, const xnode *pnode,
                                     const pl_issue *is) {
  const xnode *ev = pnode ? child(pnode, "evaluator") : NULL;
  const char *ftype = ev ? attr(ev, "ftype") : NULL;
  if (ftype && strcmp(ftype, "linear")) {
    fail(L, doc, ev,
         "evaluator of issue '%s' has ftype '%s'; only 'linear' is supported",
         is->name, ftype);
    return NULL;
  }
  return ev;
}

static void read_numeric_eval(gl *L, const xdoc *doc, const xnode *pnode,
                              uint32_t i, pl_actor *a) {
  const pl_issue *is = &L->s->issues[i];
  pl_genius_eval *g = &a->genius[i];
  bool integer = is->kind == PL_ISSUE_INTEGER;
  profile_bounds(L, doc, pnode, is, g);
  const xnode *ev = linear_evaluator(L, doc, pnode, is);
  if (!ev)
    return; /* kind NONE, values 0 */
  /* Integer: slope/offset (GENIUS 10.4); real: parameter1/parameter0. */
  bool ok = num_attr(L, doc, ev, integer ? "slope" : "parameter1", true,
                     &g->slope) == A_OK;
  ok &= num_attr(L, doc, ev, integer ? "offset" : "parameter0", true,
                 &g->offset) == A_OK;
  if (!ok)
    return;
  g->kind = integer ? PL_EVAL_INTEGER : PL_EVAL_REAL;
  double shift = integer ? g->lowerbound : 0;
  for (uint32_t k = 0; k < is->nvalues; k++)
    a->values[i][k] = clip01(g->offset + g->slope * (is->numbers[k] - shift));
}

static void read_additive(gl *L, const xdoc *doc, const xnode *obj,
                          const xnode **pnodes, pl_actor *a) {
  pl_scenario *s = L->s;
  bool has_weight[PL_MAX_ISSUES] = {false};
  read_weights(L, doc, obj, a, has_weight);
  for (uint32_t i = 0; i < s->nissues; i++) {
    const pl_issue *is = &s->issues[i];
    a->values[i] = pl_arena_calloc(&s->arena, is->nvalues, sizeof(double));
    if (!a->values[i]) {
      fail(L, doc, obj, "out of memory");
      return;
    }
    if (!has_weight[i])
      fail(L, doc, pnodes[i] ? pnodes[i] : obj,
           "no <weight> for issue '%s' (index %d)", is->name, L->gindex[i]);
    else if (is->kind == PL_ISSUE_CATEGORICAL && !pnodes[i] && a->weights[i])
      fail(L, doc, obj, "no evaluations for issue '%s' (index %d)", is->name,
           L->gindex[i]);
    else if (is->kind == PL_ISSUE_CATEGORICAL)
      read_discrete_eval(L, doc, pnodes[i], obj, i, a);
    else
      read_numeric_eval(L, doc, pnodes[i], i, a);
  }
}

/* ---- Non-linear profiles (ANAC 2014 hyperRectangles) --------------------- */

static bool is_nonlinear(const xnode *us, const xnode *obj) {
  const char *t = attr(us, "type");
  return (t && !strcmp(t, "nonlinear")) || child(obj, "utility") ||
         child(us, "utility");
}

static uint32_t count_boxes(const xnode *f) {
  uint32_t n = 0;
  for (const xnode *c = f->first; c; c = c->next)
    n += tag_is(c, "hyperRectangle") ? 1
         : tag_is(c, "ufun")         ? count_boxes(c)
                                     : 0;
  return n;
}

/* One INCLUDES range as value indices of its (integer) issue. GENIUS
 * compares the bid's integer value with min and max. */
static bool read_range(gl *L, const xdoc *doc, const xnode *c, pl_box *box,
                       uint32_t r) {
  int32_t gindex, mn, mx;
  bool ok = int_attr(L, doc, c, "index", true, &gindex) == A_OK;
  ok &= int_attr(L, doc, c, "min", true, &mn) == A_OK;
  ok &= int_attr(L, doc, c, "max", true, &mx) == A_OK;
  if (!ok)
    return false;
  int32_t i = issue_of(L, gindex);
  if (i < 0) {
    fail(L, doc, c, "INCLUDES refers to unknown issue index %d", gindex);
    return false;
  }
  const pl_issue *is = &L->s->issues[i];
  if (is->kind != PL_ISSUE_INTEGER) {
    fail(L, doc, c, "INCLUDES on issue '%s', which is %s, not integer",
         is->name, kind_name(is->kind));
    return false;
  }
  box->issue[r] = (uint32_t)i;
  double lo = fmax(mn, is->min), hi = fmin(mx, is->max);
  if (lo > hi) { /* no value of the issue lies in it: an empty range */
    box->lo[r] = 1;
    box->hi[r] = 0;
  } else {
    box->lo[r] = (uint32_t)(lo - is->min);
    box->hi[r] = (uint32_t)(hi - is->min);
  }
  return true;
}

static void read_box(gl *L, const xdoc *doc, const xnode *n, double weight,
                     pl_box *box) {
  double u, w = 1;
  bool ok = num_attr(L, doc, n, "utility", true, &u) == A_OK;
  ok &= num_attr(L, doc, n, "weight", false, &w) != A_BAD;
  uint32_t count = 0;
  for (const xnode *c = n->first; c; c = c->next) {
    count += tag_is(c, "INCLUDES");
    if (tag_is(c, "EXCLUDES")) {
      fail(L, doc, c,
           "EXCLUDES ranges (exclusive hyperRectangles) are not "
           "supported");
      ok = false;
    }
  }
  pl_arena *ar = &L->s->arena;
  box->issue = pl_arena_calloc(ar, count ? count : 1, sizeof *box->issue);
  box->lo = pl_arena_calloc(ar, count ? count : 1, sizeof *box->lo);
  box->hi = pl_arena_calloc(ar, count ? count : 1, sizeof *box->hi);
  if (!box->issue || !box->lo || !box->hi) {
    fail(L, doc, n, "out of memory");
    return;
  }
  for (const xnode *c = n->first; c; c = c->next)
    if (tag_is(c, "INCLUDES"))
      ok &= read_range(L, doc, c, box, box->nranges++);
  /* No range at all: GENIUS counts the rectangle for every bid. */
  box->utility = ok ? u * w * weight : 0;
}

/* A <ufun> sums its rectangles and its inner ufuns (times their weight).
 * GENIUS ignores the weight of the outermost one. */
static void read_ufun(gl *L, const xdoc *doc, const xnode *f, double weight,
                      pl_actor *a) {
  const char *agg = attr(f, "aggregation");
  if (agg && strcmp(agg, "sum") && strcmp(agg, "SUM")) {
    fail(L, doc, f, "ufun aggregation '%s' is not supported (only sum)", agg);
    return;
  }
  for (const xnode *c = f->first; c; c = c->next) {
    double w = 1;
    if (tag_is(c, "hyperRectangle"))
      read_box(L, doc, c, weight, &a->boxes[a->nboxes++]);
    else if (tag_is(c, "ufun") &&
             num_attr(L, doc, c, "weight", false, &w) != A_BAD)
      read_ufun(L, doc, c, weight * w, a);
  }
}

static void read_nonlinear(gl *L, const xdoc *doc, const xnode *us,
                           const xnode *obj, pl_actor *a) {
  const xnode *u = child(obj, "utility");
  if (!u)
    u = child(us, "utility");
  if (!u) {
    fail(L, doc, obj, "a nonlinear profile needs <utility maxutility=...>");
    return;
  }
  double maxu;
  if (num_attr(L, doc, u, "maxutility", true, &maxu) != A_OK)
    return;
  if (!(maxu > 0)) {
    fail(L, doc, u, "maxutility must be above 0");
    return;
  }
  const xnode *f = child(u, "ufun");
  if (!f) {
    fail(L, doc, u, "<utility> has no <ufun>");
    return;
  }
  uint32_t n = count_boxes(f);
  a->boxes = pl_arena_calloc(&L->s->arena, n ? n : 1, sizeof *a->boxes);
  if (!a->boxes) {
    fail(L, doc, u, "out of memory");
    return;
  }
  read_ufun(L, doc, f, 1.0, a);
  a->box_scale = 1.0 / maxu; /* GENIUS divides the sum by maxutility */
}

/* ---- Profiles ------------------------------------------------------------ */

static bool init_actor(gl *L, const xdoc *doc, pl_actor *a) {
  pl_scenario *s = L->s;
  uint32_t n = s->nissues;
  a->kind = PL_PARTY;
  a->party = -1;
  a->file = pl_arena_strdup(&s->arena, doc->path);
  a->weights = pl_arena_calloc(&s->arena, n, sizeof *a->weights);
  a->values = pl_arena_calloc(&s->arena, n, sizeof *a->values);
  a->shapes = pl_arena_calloc(&s->arena, n, sizeof *a->shapes); /* TABLE */
  a->genius = pl_arena_calloc(&s->arena, n, sizeof *a->genius);
  a->capped = L->reading != PL_READING_RAW;
  if (!a->file || !a->weights || !a->values || !a->shapes || !a->genius) {
    fail(L, doc, NULL, "out of memory");
    return false;
  }
  return true;
}

static void read_profile(gl *L, const xdoc *doc, pl_actor *a) {
  if (!init_actor(L, doc, a))
    return;
  const xnode *us = doc->root;
  read_reservation(L, doc, us, a);
  read_discount(L, doc, us, a);
  const xnode *obj = child(us, "objective");
  if (!obj) {
    fail(L, doc, us, "<utility_space> has no <objective>");
    return;
  }
  const xnode *pnodes[PL_MAX_ISSUES] = {NULL};
  size_t before = L->errors;
  match_issues(L, doc, obj, pnodes);
  if (L->errors != before)
    return; /* the rest would only repeat the mismatch */
  if (is_nonlinear(us, obj))
    read_nonlinear(L, doc, us, obj, a);
  else
    read_additive(L, doc, obj, pnodes, a);
}

/* Parties are named after their files; the same file given twice (a
 * profile negotiating with itself) gets "-2", "-3", ... */
static void name_party(gl *L, uint32_t k, const char *stem) {
  pl_scenario *s = L->s;
  char buf[512];
  snprintf(buf, sizeof buf, "%s", stem);
  for (unsigned n = 2; pl_find_actor(s, buf) >= 0; n++)
    snprintf(buf, sizeof buf, "%s-%u", stem, n);
  s->actors[k].name = pl_arena_strdup(&s->arena, buf);
  if (!s->actors[k].name)
    fail_path(L, s->file, "out of memory");
}

/* ---- Whole scenario ------------------------------------------------------ */

static pl_scenario *build(gl *L, const xdoc *domain, xdoc *const *profiles,
                          size_t np, const char *name, const char *file) {
  pl_scenario *s = L->s = pl_scenario_new();
  if (!s) {
    fail_path(L, file, "out of memory");
    return NULL;
  }
  s->reading = L->reading;
  s->name = pl_arena_strdup(&s->arena, name);
  s->file = pl_arena_strdup(&s->arena, file);
  s->actors = pl_arena_calloc(&s->arena, np ? np : 1, sizeof *s->actors);
  if (!s->name || !s->file || !s->actors)
    fail_path(L, file, "out of memory");
  else if (read_domain(L, domain)) {
    for (size_t k = 0; k < np; k++) {
      read_profile(L, profiles[k], &s->actors[k]);
      name_party(L, (uint32_t)k, profiles[k]->stem);
      s->nparties = (uint32_t)k + 1;
    }
  }
  if (!L->errors && !pl_scenario_finish(s))
    fail_path(L, file, "out of memory while building utility tables");
  if (L->errors) {
    pl_scenario_free(s);
    return NULL;
  }
  return s;
}

/* The last part of a path, without its extension when `strip` (a file). */
static const char *base_of(pl_arena *ar, const char *path, bool strip) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/')
    n--;
  size_t start = n;
  while (start > 0 && path[start - 1] != '/')
    start--;
  char *s = pl_arena_alloc(ar, n - start + 1);
  if (!s)
    return path;
  memcpy(s, path + start, n - start);
  char *dot = strip ? strrchr(s, '.') : NULL;
  if (dot && dot != s)
    *dot = 0;
  return s;
}

static bool check_profile_count(gl *L, const char *where, size_t np) {
  if (np >= 2 && np <= MAX_PROFILES)
    return true;
  if (np > MAX_PROFILES)
    fail_path(L, where, "%zu profiles; parley supports at most %d parties", np,
              MAX_PROFILES);
  else
    fail_path(L, where,
              "%s; a GENIUS scenario needs a domain and at least two profiles",
              np ? "only one profile" : "no profile");
  return false;
}

/* ---- Explicit files: a domain, then profiles ----------------------------- */

static xdoc *open_doc(gl *L, const char *path) {
  xdoc *doc = pl_arena_alloc(&L->tmp, sizeof *doc);
  if (!doc) {
    fail_path(L, path, "out of memory");
    return NULL;
  }
  doc->path = path;
  doc->stem = base_of(&L->tmp, path, true);
  parse_status st = parse_doc(doc, &L->tmp, L->d);
  if (st == PARSE_FAILED)
    L->errors++;
  else if (st == PARSE_NOT_XML)
    fail_path(L, path, "not an XML file (GENIUS domains and profiles are XML)");
  else
    doc->kind = classify(doc->root);
  return st == PARSE_OK ? doc : NULL;
}

static pl_scenario *load_files(gl *L, const char *const *paths, size_t n) {
  xdoc *domain = open_doc(L, paths[0]);
  if (domain && domain->kind == DOC_PROFILE)
    fail(L, domain, domain->root,
         "this is a profile (it has weights or evaluations), not a domain; "
         "give the domain file first");
  else if (domain && domain->kind != DOC_DOMAIN)
    fail(L, domain, domain->root,
         "<%s> is not a GENIUS domain (<negotiation_template> or "
         "<utility_space> with issues)",
         domain->root->tag);
  xdoc **profiles = pl_arena_calloc(&L->tmp, n, sizeof *profiles);
  size_t np = 0;
  for (size_t k = 1; profiles && k < n; k++) {
    xdoc *p = open_doc(L, paths[k]);
    if (p && p->kind == DOC_PROFILE)
      profiles[np++] = p;
    else if (p)
      fail(L, p, p->root,
           "this is %s, not a profile (<utility_space> with "
           "weights and evaluations)",
           p->kind == DOC_DOMAIN ? "a domain" : "not a GENIUS file");
  }
  check_profile_count(L, paths[0], n - 1);
  if (!domain || domain->kind != DOC_DOMAIN || !profiles)
    return NULL;
  return build(L, domain, profiles, np, domain->stem, paths[0]);
}

/* ---- A folder ------------------------------------------------------------ */

static int cmp_docs(const void *x, const void *y) {
  const xdoc *a = *(xdoc *const *)x, *b = *(xdoc *const *)y;
  int c = pl_natural_cmp(a->path, b->path);
  return c ? c : strcmp(a->path, b->path);
}

static bool xml_name(const char *name) {
  size_t n = strlen(name);
  if (name[0] == '.' || n < 5) /* hidden files, as a shell's *.xml */
    return false;
  const char *e = name + n - 4;
  return e[0] == '.' && (e[1] | 32) == 'x' && (e[2] | 32) == 'm' &&
         (e[3] | 32) == 'l';
}

static char *join(pl_arena *ar, const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  char *p = pl_arena_alloc(ar, a + b + 2);
  if (p)
    snprintf(p, a + b + 2, "%s%s%s", dir, a && dir[a - 1] == '/' ? "" : "/",
             name);
  return p;
}

/* The regular *.xml files of `dir`, in natural order of their paths. */
static xdoc **list_folder(gl *L, const char *dir, size_t *n) {
  DIR *dp = opendir(dir);
  if (!dp) {
    fail_path(L, dir, "cannot open folder: %s", strerror(errno));
    return NULL;
  }
  size_t cap = 64;
  xdoc **docs = malloc(cap * sizeof *docs);
  *n = 0;
  struct dirent *e;
  bool short_of_memory = !docs; /* a file left out would go unnoticed */
  while (!short_of_memory && (e = readdir(dp))) {
    struct stat st;
    if (!xml_name(e->d_name))
      continue;
    char *path = join(&L->tmp, dir, e->d_name);
    xdoc *doc = path ? pl_arena_alloc(&L->tmp, sizeof *doc) : NULL;
    if (!doc) {
      short_of_memory = true;
      break;
    }
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
      continue;
    if (*n == cap) {
      xdoc **more = realloc(docs, 2 * cap * sizeof *docs);
      if (!more) {
        short_of_memory = true;
        break;
      }
      docs = more;
      cap *= 2;
    }
    doc->path = path;
    doc->stem = base_of(&L->tmp, path, true);
    docs[(*n)++] = doc;
  }
  closedir(dp);
  if (short_of_memory) {
    free(docs);
    fail_path(L, dir, "out of memory");
    return NULL;
  }
  qsort(docs, *n, sizeof *docs, cmp_docs);
  return docs;
}

/* Parses every file and sorts them into one domain and the profiles;
 * files that are neither (10issues' pareto.xml is text) are skipped. */
static const xdoc *sort_folder(gl *L, xdoc **docs, size_t n, xdoc **profiles,
                               size_t *np, size_t *failed) {
  const xdoc *domain = NULL;
  for (size_t k = 0; k < n; k++) {
    xdoc *doc = docs[k];
    parse_status st = parse_doc(doc, &L->tmp, L->d);
    *failed += st == PARSE_FAILED;
    L->errors += st == PARSE_FAILED;
    if (st != PARSE_OK)
      continue;
    doc->kind = classify(doc->root);
    if (doc->kind == DOC_PROFILE)
      profiles[(*np)++] = doc;
    else if (doc->kind == DOC_DOMAIN && domain)
      fail(L, doc, doc->root,
           "a second domain in the folder (the first is %s); a folder holds "
           "one domain",
           domain->path);
    else if (doc->kind == DOC_DOMAIN)
      domain = doc;
  }
  return domain;
}

static pl_scenario *load_folder(gl *L, const char *dir) {
  size_t n = 0, np = 0, failed = 0;
  xdoc **docs = list_folder(L, dir, &n);
  xdoc **profiles = docs ? malloc((n ? n : 1) * sizeof *profiles) : NULL;
  if (docs && !profiles)
    fail_path(L, dir, "out of memory");
  const xdoc *domain =
      profiles ? sort_folder(L, docs, n, profiles, &np, &failed) : NULL;
  /* A file that did not parse may be the missing domain or profile: do
   * not guess about the folder's shape then. */
  if (profiles && !failed && !domain)
    fail_path(L, dir,
              "no GENIUS domain in the folder (a <negotiation_template> "
              "or a <utility_space> with issues only)");
  if (profiles && !failed)
    check_profile_count(L, dir, np);
  pl_scenario *s = NULL;
  if (domain)
    s = build(L, domain, profiles, np < MAX_PROFILES ? np : MAX_PROFILES,
              base_of(&L->tmp, dir, false), dir);
  free(profiles);
  free(docs);
  return s;
}

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

pl_scenario *pl_genius_load(const char *const *paths, size_t n,
                            pl_reading reading, pl_diag *d) {
  gl L = {.d = d, .reading = reading};
  pl_arena_init(&L.tmp);
  pl_scenario *s = NULL;
  if (n == 1 && is_dir(paths[0]))
    s = load_folder(&L, paths[0]);
  else if (n >= 2)
    s = load_files(&L, paths, n);
  else
    fail_path(&L, n ? paths[0] : NULL,
              "a GENIUS scenario needs a domain and at least two profiles, "
              "or a folder");
  pl_arena_release(&L.tmp);
  if (L.errors && s) { /* cannot happen: build frees on error */
    pl_scenario_free(s);
    s = NULL;
  }
  return s;
}
