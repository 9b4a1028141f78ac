#include "io/json_pos.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
  const void *node; /* a json_t, or an object member's iterator */
  int line, col, key_line, key_col;
  size_t offset; /* byte offset of the value in the text */
} slot;

struct pl_json_pos {
  slot *slots;
  size_t cap, count;
};

/* The walker's place in the text: byte offset, line, column in characters. */
typedef struct cursor {
  const char *s;
  size_t i;
  int line, col;
} cursor;

static size_t hash_ptr(const void *p) {
  uintptr_t x = (uintptr_t)p;
  x ^= x >> 17;
  x *= 0xed5ad4bbU;
  x ^= x >> 11;
  return (size_t)x;
}

static bool grow(pl_json_pos *p);

static slot *find_slot(const pl_json_pos *p, const void *node) {
  size_t mask = p->cap - 1;
  for (size_t h = hash_ptr(node) & mask;; h = (h + 1) & mask)
    if (p->slots[h].node == node || !p->slots[h].node)
      return &p->slots[h];
}

static bool is_singleton(const json_t *node) {
  return json_is_true(node) || json_is_false(node) || json_is_null(node);
}

static slot *record_key(pl_json_pos *p, const void *key);

static slot *record(pl_json_pos *p, const json_t *node) {
  if (!node || is_singleton(node))
    return NULL;
  return record_key(p, node);
}

static bool grow(pl_json_pos *p) {
  size_t cap = p->cap ? p->cap * 2 : 256;
  slot *old = p->slots;
  size_t oldcap = p->cap;
  p->slots = calloc(cap, sizeof *p->slots);
  if (!p->slots) {
    p->slots = old;
    return false;
  }
  p->cap = cap;
  for (size_t i = 0; i < oldcap; i++)
    if (old[i].node)
      *find_slot(p, old[i].node) = old[i];
  free(old);
  return true;
}

/* A slot keyed by any unique address (an object member's iterator). */
static slot *record_key(pl_json_pos *p, const void *key) {
  if ((p->count + 1) * 2 > p->cap && !grow(p))
    return NULL;
  slot *s = find_slot(p, key);
  if (!s->node) {
    s->node = key;
    p->count++;
  }
  return s;
}

static void advance(cursor *c) {
  unsigned char ch = (unsigned char)c->s[c->i++];
  if (ch == '\n') {
    c->line++;
    c->col = 1;
  } else if ((ch & 0xC0) != 0x80) {
    c->col++; /* count characters, not UTF-8 continuation bytes */
  }
}

static void skip_space(cursor *c) {
  while (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\n' ||
         c->s[c->i] == '\r')
    advance(c);
}

static void skip_string(cursor *c) {
  advance(c); /* opening quote */
  while (c->s[c->i] && c->s[c->i] != '"') {
    if (c->s[c->i] == '\\')
      advance(c);
    if (c->s[c->i])
      advance(c);
  }
  if (c->s[c->i])
    advance(c);
}

static void walk_value(pl_json_pos *p, cursor *c, const json_t *node,
                       int depth);

static void walk_object(pl_json_pos *p, cursor *c, const json_t *obj,
                        int depth) {
  void *it = json_object_iter((json_t *)obj);
  advance(c); /* { */
  for (;;) {
    skip_space(c);
    if (c->s[c->i] != '"')
      break;
    int kl = c->line, kc = c->col;
    skip_string(c);
    skip_space(c);
    if (c->s[c->i] == ':')
      advance(c);
    skip_space(c);
    const json_t *child = it ? json_object_iter_value(it) : NULL;
    int vl = c->line, vc = c->col;
    size_t vo = c->i;
    walk_value(p, c, child, depth + 1);
    slot *s = child ? record(p, child) : NULL;
    if (s) {
      s->key_line = kl;
      s->key_col = kc;
    }
    /* Members are also found by their iterator, which is unique even when
     * the value is a shared true/false/null. */
    slot *m = it ? record_key(p, it) : NULL;
    if (m)
      *m = (slot){it, vl, vc, kl, kc, vo};
    if (it)
      it = json_object_iter_next((json_t *)obj, it);
    skip_space(c);
    if (c->s[c->i] != ',')
      break;
    advance(c);
  }
  if (c->s[c->i] == '}')
    advance(c);
}

static void walk_array(pl_json_pos *p, cursor *c, const json_t *arr,
                       int depth) {
  size_t k = 0;
  advance(c); /* [ */
  skip_space(c);
  if (c->s[c->i] == ']') {
    advance(c);
    return;
  }
  for (;;) {
    skip_space(c);
    walk_value(p, c, json_array_get(arr, k++), depth + 1);
    skip_space(c);
    if (c->s[c->i] != ',')
      break;
    advance(c);
  }
  if (c->s[c->i] == ']')
    advance(c);
}

static void walk_value(pl_json_pos *p, cursor *c, const json_t *node,
                       int depth) {
  slot *s = record(p, node);
  if (s) {
    s->line = c->line;
    s->col = c->col;
    s->offset = c->i;
  }
  char ch = c->s[c->i];
  if (ch == '{' && depth < 2048)
    walk_object(p, c, json_is_object(node) ? node : NULL, depth);
  else if (ch == '[' && depth < 2048)
    walk_array(p, c, json_is_array(node) ? node : NULL, depth);
  else if (ch == '"')
    skip_string(c);
  else
    while (c->s[c->i] && !strchr(",]} \t\r\n", c->s[c->i]))
      advance(c); /* a number or a literal */
}

pl_json_pos *pl_json_pos_build(const char *text, const json_t *root) {
  pl_json_pos *p = calloc(1, sizeof *p);
  if (!p || !grow(p)) {
    free(p);
    return NULL;
  }
  cursor c = {text, 0, 1, 1};
  skip_space(&c);
  walk_value(p, &c, root, 0);
  return p;
}

void pl_json_pos_free(pl_json_pos *p) {
  if (!p)
    return;
  free(p->slots);
  free(p);
}

bool pl_json_pos_value(const pl_json_pos *p, const json_t *node, int *line,
                       int *col) {
  if (!p || !node || is_singleton(node))
    return false;
  const slot *s = find_slot(p, node);
  if (!s->node)
    return false;
  *line = s->line;
  *col = s->col;
  return true;
}

bool pl_json_pos_key(const pl_json_pos *p, const json_t *node, int *line,
                     int *col) {
  if (!p || !node || is_singleton(node))
    return false;
  const slot *s = find_slot(p, node);
  if (!s->node || !s->key_line)
    return false;
  *line = s->key_line;
  *col = s->key_col;
  return true;
}

bool pl_json_pos_offset(const pl_json_pos *p, const json_t *node,
                        size_t *offset) {
  if (!p || !node || is_singleton(node))
    return false;
  const slot *s = find_slot(p, node);
  if (!s->node)
    return false;
  *offset = s->offset;
  return true;
}

bool pl_json_pos_member(const pl_json_pos *p, const json_t *obj,
                        const char *key, bool at_key, int *line, int *col) {
  void *it = p && obj ? json_object_iter_at((json_t *)obj, key) : NULL;
  if (!it)
    return false;
  const slot *s = find_slot(p, it);
  if (!s->node)
    return false;
  *line = at_key ? s->key_line : s->line;
  *col = at_key ? s->key_col : s->col;
  return true;
}

const char *pl_json_type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    return "an object";
  case JSON_ARRAY:
    return "an array";
  case JSON_STRING:
    return "a string";
  case JSON_INTEGER:
  case JSON_REAL:
    return "a number";
  case JSON_TRUE:
  case JSON_FALSE:
    return "a boolean";
  default:
    return "null";
  }
}
