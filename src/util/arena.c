#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Blocks grow geometrically so a large scenario needs few of them. */
enum { ARENA_MIN_BLOCK = 16 * 1024 };

struct pl_arena_block {
  pl_arena_block *next;
  size_t used, size;
  max_align_t data[]; /* flexible array keeps `data` maximally aligned */
};

void pl_arena_init(pl_arena *a) { a->head = NULL; }

void pl_arena_release(pl_arena *a) {
  pl_arena_block *b = a->head;
  while (b) {
    pl_arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
}

static size_t round_up(size_t n) {
  size_t align = sizeof(max_align_t);
  return (n + align - 1) / align * align;
}

void *pl_arena_alloc(pl_arena *a, size_t size) {
  if (size > SIZE_MAX / 2)
    return NULL;
  size = round_up(size ? size : 1);
  pl_arena_block *b = a->head;
  if (!b || b->size - b->used < size) {
    size_t cap = b ? b->size * 2 : ARENA_MIN_BLOCK;
    if (cap < size)
      cap = round_up(size);
    b = malloc(sizeof *b + cap);
    if (!b)
      return NULL;
    b->next = a->head;
    b->used = 0;
    b->size = cap;
    a->head = b;
  }
  void *p = (char *)b->data + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

void *pl_arena_calloc(pl_arena *a, size_t count, size_t size) {
  if (size && count > SIZE_MAX / size)
    return NULL;
  return pl_arena_alloc(a, count * size);
}

char *pl_arena_strdup(pl_arena *a, const char *s) {
  size_t n = strlen(s) + 1;
  char *p = pl_arena_alloc(a, n);
  if (p)
    memcpy(p, s, n);
  return p;
}
