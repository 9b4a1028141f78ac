/* files.c - the files of DIR: listing them and resolving a path the page
 * sends, read-only and never outside DIR. A path is refused when it is
 * absolute or has a ".." component (whatever it would resolve to), and
 * when its real location, symbolic links resolved, is not inside DIR's
 * real location. */
#define _DEFAULT_SOURCE
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool has_dotdot(const char *rel) {
  const char *p = rel;
  while (*p) {
    size_t n = strcspn(p, "/");
    if (n == 2 && p[0] == '.' && p[1] == '.')
      return true;
    p += n;
    while (*p == '/')
      p++;
  }
  return false;
}

/* `real` lies inside `dir` (both real paths). */
static bool inside(const char *dir, const char *real) {
  size_t n = strlen(dir);
  if (n == 1 && dir[0] == '/')
    return true;
  return !strncmp(real, dir, n) && (real[n] == '/' || real[n] == 0);
}

char *sv_resolve(const char *dir, const char *rel, sv_response *res) {
  if (!dir) {
    sv_reply_error(res, 404, "not-found", NULL, 0, 0,
                   "no folder is served: start parley serve with a DIR");
    return NULL;
  }
  if (!*rel) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "the path is empty");
    return NULL;
  }
  if (rel[0] == '/' || rel[0] == '\\') {
    sv_reply_error(res, 403, "forbidden-path", NULL, 0, 0,
                   "'%s' is an absolute path: give a path relative to the "
                   "served folder",
                   rel);
    return NULL;
  }
  if (has_dotdot(rel) || strchr(rel, '\\')) {
    sv_reply_error(res, 403, "forbidden-path", NULL, 0, 0,
                   "'%s' has a '..' component (or a backslash): paths stay "
                   "inside the served folder",
                   rel);
    return NULL;
  }
  char joined[PATH_MAX + 2];
  if ((size_t)snprintf(joined, sizeof joined, "%s/%s", dir, rel) >=
      sizeof joined) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "the path is too long");
    return NULL;
  }
  char *real = realpath(joined, NULL);
  if (!real) {
    sv_reply_error(res, 404, "not-found", NULL, 0, 0, "'%s': %s", rel,
                   strerror(errno));
    return NULL;
  }
  if (!inside(dir, real)) {
    free(real);
    sv_reply_error(res, 403, "forbidden-path", NULL, 0, 0,
                   "'%s' leads outside the served folder (a symbolic link)",
                   rel);
    return NULL;
  }
  return real;
}

/* ---- Listing ------------------------------------------------------------- */

typedef struct walk {
  const char *root;
  json_t *files;
} walk;

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *extension(const char *name) {
  const char *dot = strrchr(name, '.');
  return dot ? dot + 1 : "";
}

static bool listed_extension(const char *name) {
  const char *e = extension(name);
  return !strcmp(e, "json") || !strcmp(e, "xml") || !strcmp(e, "gmcr");
}

/* The sorted visible names of a folder (caller frees); NULL when none. */
static char **names_of(const char *path, size_t *n) {
  *n = 0;
  DIR *d = opendir(path);
  if (!d)
    return NULL;
  char **names = NULL;
  size_t cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) && *n < 4 * SV_MAX_FILES) {
    if (e->d_name[0] == '.')
      continue;
    if (*n == cap) {
      cap = cap ? 2 * cap : 32;
      char **p = realloc(names, cap * sizeof *p);
      if (!p)
        break;
      names = p;
    }
    names[*n] = strdup(e->d_name);
    if (names[*n])
      (*n)++;
  }
  closedir(d);
  if (names)
    qsort(names, *n, sizeof *names, by_name);
  return names;
}

static void add_entry(walk *w, const char *rel, const char *kind,
                      long long size) {
  if (json_array_size(w->files) >= SV_MAX_FILES)
    return;
  json_t *f = json_object();
  json_object_set_new(f, "path", json_string(rel));
  json_object_set_new(f, "kind", json_string(kind));
  if (size >= 0)
    json_object_set_new(f, "size", json_integer(size));
  json_array_append_new(w->files, f);
}

/* The entry's target when it stays inside the root (symbolic links out
 * are not listed). */
static bool visible(const walk *w, const char *full, struct stat *st) {
  struct stat l;
  if (lstat(full, &l))
    return false;
  if (S_ISLNK(l.st_mode)) {
    char *real = realpath(full, NULL);
    bool ok = real && inside(w->root, real);
    free(real);
    if (!ok)
      return false;
  }
  return !stat(full, st);
}

static void walk_folder(walk *w, const char *full, const char *rel, int depth) {
  size_t n;
  char **names = names_of(full, &n);
  bool holds_files = false;
  size_t mark = json_array_size(w->files);
  for (size_t i = 0; i < n; i++) {
    char child[PATH_MAX], crel[PATH_MAX];
    struct stat st;
    if ((size_t)snprintf(child, sizeof child, "%s/%s", full, names[i]) >=
            sizeof child ||
        (size_t)snprintf(crel, sizeof crel, "%s%s%s", rel, *rel ? "/" : "",
                         names[i]) >= sizeof crel ||
        !visible(w, child, &st))
      continue;
    if (S_ISDIR(st.st_mode) && depth + 1 < SV_MAX_DEPTH) {
      walk_folder(w, child, crel, depth + 1);
    } else if (S_ISREG(st.st_mode) && listed_extension(names[i])) {
      holds_files |= strcmp(extension(names[i]), "gmcr") != 0;
      add_entry(w, crel, extension(names[i]), (long long)st.st_size);
    }
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  /* A folder of GENIUS or GeniusWeb files loads as one scenario: listed
   * before its files. */
  if (holds_files && *rel && json_array_size(w->files) < SV_MAX_FILES) {
    json_t *f = json_object();
    json_object_set_new(f, "path", json_string(rel));
    json_object_set_new(f, "kind", json_string("folder"));
    json_array_insert_new(w->files, mark, f);
  }
}

json_t *sv_list_files(const char *dir) {
  json_t *files = json_array();
  if (!dir)
    return files;
  walk w = {.root = dir, .files = files};
  walk_folder(&w, dir, "", 0);
  return files;
}
