/* report_pareto.c - the analysis's `pareto` array written as it is made.
 *
 * A frontier can hold hundreds of thousands of packages (AgentHp2:
 * 136,917, 47 MB of its 65 MB of JSON). Built as a jansson tree it took
 * two objects, one array and a dozen values per package, each allocated,
 * formatted and freed: most of the run. Here each package's text is put
 * together from pieces made once (each issue's key, each value's text,
 * made by the tree writer itself so that they cannot differ) and the
 * utilities' text (pl_json_computed_text), in a buffer written out in
 * large blocks. The bytes are those pl_json_write gives the tree of
 * report_json.c's frontier_json: tests/test_report_stream.c compares
 * the two.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/report.h"
#include "util/json_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OUT_BUFFER = 1 << 16 };

/* A piece of text made once, with its length. */
typedef struct piece {
  char *text;
  size_t len;
} piece;

typedef struct pareto_out {
  const pl_scenario *s;
  FILE *out;
  char *buf;
  size_t n;
  bool failed;
  piece *key;   /* per issue: ",\n    \"name\": " (the comma for all but 0) */
  piece *value; /* per value overall (offset[i] + v): key and value text */
  char indent_text[4][64];
  piece indent[4];
  char head_text[160];
  piece head; /* ",", then a package's start up to its first member */
  piece tail; /* see make_tail */
  double tail_u[PL_MAX_PARTIES];
  bool has_tail;
} pareto_out;

static void flush(pareto_out *w) {
  if (w->n && fwrite(w->buf, 1, w->n, w->out) != w->n)
    w->failed = true;
  w->n = 0;
}

static void put(pareto_out *w, const char *text, size_t n) {
  if (w->n + n > OUT_BUFFER)
    flush(w);
  if (n > OUT_BUFFER) {
    if (fwrite(text, 1, n, w->out) != n)
      w->failed = true;
    return;
  }
  memcpy(w->buf + w->n, text, n);
  w->n += n;
}

static void put_piece(pareto_out *w, piece p) { put(w, p.text, p.len); }

/* "\n" and two spaces per level, as pl_json_write indents. */
static void make_indent(char *out, size_t size, int depth) {
  size_t n = 0;
  out[n++] = '\n';
  for (int i = 0; i < depth && n + 3 < size; i++) {
    out[n++] = ' ';
    out[n++] = ' ';
  }
  out[n] = 0;
}

/* The tree writer's text of a value (taken), or NULL. */
static char *text_of(json_t *v) {
  char *text = v ? pl_json_write_string(v) : NULL;
  json_decref(v);
  return text;
}

/* Each issue's key, as the tree writer writes an object member. The tree
 * would lose an issue whose name repeats another's or is not UTF-8 (the
 * object holds one value per key): false then, and the tree is written. */
static bool make_keys(pareto_out *w, int depth) {
  const pl_scenario *s = w->s;
  char ind[64];
  make_indent(ind, sizeof ind, depth);
  for (uint32_t i = 0; i < s->nissues; i++) {
    for (uint32_t j = 0; j < i; j++)
      if (!strcmp(s->issues[i].name, s->issues[j].name))
        return false;
    char *name = text_of(json_string(s->issues[i].name));
    size_t ni = strlen(ind), nn = name ? strlen(name) : 0, at = 0;
    char *key = name ? malloc(ni + nn + 4) : NULL;
    if (key) {
      if (i)
        key[at++] = ',';
      /* The last copy ends the key with ": " and its NUL. */
      /* NOLINTBEGIN(bugprone-not-null-terminated-result) */
      memcpy(key + at, ind, ni);
      memcpy(key + at + ni, name, nn);
      memcpy(key + at + ni + nn, ": ", 3);
      /* NOLINTEND(bugprone-not-null-terminated-result) */
      w->key[i] = (piece){key, at + ni + nn + 2};
    }
    free(name);
    if (!key)
      return false;
  }
  return true;
}

/* Issue i's member in an outcome: its key and value v's text. */
static const piece *member(pareto_out *w, uint32_t i, uint32_t v) {
  piece *slot = &w->value[w->s->offset[i] + v];
  if (!slot->text) {
    char *text = text_of(pl_value_json(w->s, i, v));
    size_t nk = w->key[i].len, nt = text ? strlen(text) : 0;
    slot->text = text ? malloc(nk + nt + 1) : NULL;
    if (slot->text) {
      memcpy(slot->text, w->key[i].text, nk);
      memcpy(slot->text + nk, text, nt + 1);
      slot->len = nk + nt;
    }
    free(text);
  }
  return slot->text ? slot : NULL;
}

/* Appends text to the tail being made. */
static void add(char **at, const char *text, size_t n) {
  memcpy(*at, text, n);
  *at += n;
}

/* What follows a package's last member: the end of its outcome, its
 * utilities and its end. It depends on the utilities only, and ties (a
 * frontier's runs of equal utilities, in order) share it: made again only
 * when the utilities differ from the last package's. */
static void make_tail(pareto_out *w, const double *u) {
  const pl_scenario *s = w->s;
  char *at = w->tail.text;
  if (s->nissues)
    add(&at, w->indent[2].text, w->indent[2].len);
  add(&at, "},", 2);
  add(&at, w->indent[2].text, w->indent[2].len);
  add(&at, "\"utilities\": [", 14);
  for (uint32_t p = 0; p < s->nparties; p++) {
    char num[PL_JSON_NUMBER_MAX];
    size_t n = pl_json_computed_text(num, u[p]);
    if (p)
      add(&at, ",", 1);
    add(&at, w->indent[3].text, w->indent[3].len);
    add(&at, num, n);
  }
  if (s->nparties)
    add(&at, w->indent[2].text, w->indent[2].len);
  add(&at, "]", 1);
  add(&at, w->indent[1].text, w->indent[1].len);
  add(&at, "}", 1);
  w->tail.len = (size_t)(at - w->tail.text);
  memcpy(w->tail_u, u, s->nparties * sizeof *u);
  w->has_tail = true;
}

static void write_point(pareto_out *w, uint64_t index, bool first) {
  const pl_scenario *s = w->s;
  uint32_t values[PL_MAX_ISSUES];
  pl_index_to_values(s, index, values);
  /* ",\n    {\n      \"outcome\": {" (no comma before the first) */
  put(w, w->head.text + first, w->head.len - first);
  for (uint32_t i = 0; i < s->nissues; i++) {
    const piece *m = member(w, i, values[i]);
    if (!m) {
      w->failed = true;
      return;
    }
    put_piece(w, *m);
  }
  /* the utilities pl_judge gives the tree, by the same function */
  double u[PL_MAX_PARTIES];
  for (uint32_t p = 0; p < s->nparties; p++)
    u[p] = pl_actor_utility(s, p, values);
  if (!w->has_tail || memcmp(u, w->tail_u, s->nparties * sizeof *u) != 0)
    make_tail(w, u);
  put_piece(w, w->tail);
}

static void free_pieces(pareto_out *w) {
  for (uint32_t i = 0; w->key && i < w->s->nissues; i++)
    free(w->key[i].text);
  for (uint32_t v = 0; w->value && v < w->s->total_values; v++)
    free(w->value[v].text);
  free(w->key);
  free(w->value);
  free(w->tail.text);
  free(w->buf);
}

/* The tree's way, for scenarios whose names the tree would merge. */
static int write_tree(const pl_analysis *a, FILE *out, int depth) {
  json_t *tree = pl_frontier_json(a);
  int rc = tree ? pl_json_write_at(tree, out, depth) : -1;
  json_decref(tree);
  return rc;
}

int pl_write_pareto(void *ctx, FILE *out, int depth) {
  const pl_analysis *a = ctx;
  pareto_out w = {.s = a->s, .out = out};
  w.buf = malloc(OUT_BUFFER);
  /* the tail's longest: four indents, its punctuation, each utility */
  w.tail.text =
      malloc(4 * 64 + 32 + a->s->nparties * (64 + PL_JSON_NUMBER_MAX));
  w.key = calloc(a->s->nissues ? a->s->nissues : 1, sizeof *w.key);
  w.value =
      calloc(a->s->total_values ? a->s->total_values : 1, sizeof *w.value);
  if (!w.buf || !w.tail.text || !w.key || !w.value) {
    free_pieces(&w);
    return -1;
  }
  for (int d = 0; d < 4; d++) {
    make_indent(w.indent_text[d], sizeof w.indent_text[d], depth + d);
    w.indent[d] = (piece){w.indent_text[d], strlen(w.indent_text[d])};
  }
  snprintf(w.head_text, sizeof w.head_text, ",%s{%s\"outcome\": {",
           w.indent[1].text, w.indent[2].text);
  w.head = (piece){w.head_text, strlen(w.head_text)};
  if (!make_keys(&w, depth + 3)) {
    free_pieces(&w);
    return write_tree(a, out, depth);
  }
  put(&w, "[", 1);
  for (size_t k = 0; k < a->nfront && !w.failed; k++)
    write_point(&w, a->front_index[k], k == 0);
  if (a->nfront)
    put_piece(&w, w.indent[0]);
  put(&w, "]", 1);
  flush(&w);
  bool failed = w.failed;
  free_pieces(&w);
  return failed ? -1 : 0;
}
