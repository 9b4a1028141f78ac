#include "util/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
  char *file, *message;
  int line, column;
} entry;

struct pl_diag {
  entry *items;
  size_t count, cap;
};

pl_diag *pl_diag_new(void) { return calloc(1, sizeof(pl_diag)); }

void pl_diag_free(pl_diag *d) {
  if (!d)
    return;
  for (size_t i = 0; i < d->count; i++) {
    free(d->items[i].file);
    free(d->items[i].message);
  }
  free(d->items);
  free(d);
}

size_t pl_diag_count(const pl_diag *d) { return d ? d->count : 0; }

pl_problem pl_diag_get(const pl_diag *d, size_t i) {
  pl_problem p = {0};
  if (d && i < d->count) {
    p.file = d->items[i].file;
    p.line = d->items[i].line;
    p.column = d->items[i].column;
    p.message = d->items[i].message;
  }
  return p;
}

static char *copy_string(const char *s) {
  if (!s)
    return NULL;
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p)
    memcpy(p, s, n);
  return p;
}

void pl_diag_addv(pl_diag *d, const char *file, int line, int column,
                  const char *fmt, va_list ap) {
  if (!d)
    return;
  if (d->count == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 8;
    entry *items = realloc(d->items, cap * sizeof *items);
    if (!items)
      return; /* out of memory: the problem is lost, not the process */
    d->items = items;
    d->cap = cap;
  }
  char buf[1024];
  vsnprintf(buf, sizeof buf, fmt, ap);
  entry *e = &d->items[d->count];
  e->file = copy_string(file);
  e->message = copy_string(buf);
  e->line = line;
  e->column = column;
  if (e->message)
    d->count++;
  else
    free(e->file);
}

void pl_diag_add(pl_diag *d, const char *file, int line, int column,
                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pl_diag_addv(d, file, line, column, fmt, ap);
  va_end(ap);
}

void pl_diag_print(const pl_diag *d, FILE *out) {
  for (size_t i = 0; i < pl_diag_count(d); i++) {
    pl_problem p = pl_diag_get(d, i);
    if (p.file && p.line > 0)
      fprintf(out, "%s:%d:%d: error: %s\n", p.file, p.line, p.column,
              p.message);
    else if (p.file)
      fprintf(out, "%s: error: %s\n", p.file, p.message);
    else
      fprintf(out, "error: %s\n", p.message);
  }
}
