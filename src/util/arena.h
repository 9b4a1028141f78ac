/* arena.h - region allocator: many small allocations, one free.
 *
 * Scenario data (names, tables, rules) lives as long as its scenario, so it
 * is allocated from one arena and released at once; no object in it needs a
 * destructor of its own.
 */
#ifndef PL_UTIL_ARENA_H
#define PL_UTIL_ARENA_H

#include <stddef.h>

typedef struct pl_arena_block pl_arena_block;
typedef struct pl_arena {
  pl_arena_block *head;
} pl_arena;

void pl_arena_init(pl_arena *a);
void pl_arena_release(pl_arena *a);
/* Zeroed memory aligned for any type; NULL only when out of memory. */
void *pl_arena_alloc(pl_arena *a, size_t size);
void *pl_arena_calloc(pl_arena *a, size_t count, size_t size);
char *pl_arena_strdup(pl_arena *a, const char *s);

#endif
