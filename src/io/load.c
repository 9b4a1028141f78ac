/* load.c - pl_scenario_load: one entry point for the command line's paths.
 *
 * What the paths are is decided from the files themselves (a folder, JSON
 * starting with '{', XML starting with '<'), not from their names, so a
 * misnamed file still loads and a wrong combination gets a message that
 * says what would work.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/geniusweb.h"
#include "io/scenario_io.h"
#include "util/diag.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef enum path_kind {
  PATH_MISSING, /* reported */
  PATH_FOLDER,
  PATH_GENIUSWEB_FOLDER, /* .json files and no .xml */
  PATH_JSON,
  PATH_GENIUSWEB, /* a GeniusWeb domain or profile (JSON) */
  PATH_XML,
  PATH_OTHER
} path_kind;

/* The first byte that is not blank space (nor a UTF-8 byte-order mark),
 * or EOF. */
static int first_byte(FILE *f) {
  int c = getc(f);
  if (c == 0xEF && getc(f) == 0xBB && getc(f) == 0xBF)
    c = getc(f);
  while (c == ' ' || c == '\t' || c == '\n' || c == '\r')
    c = getc(f);
  return c;
}

/* GeniusWeb files are JSON too; their top-level keys tell them apart. */
static bool is_geniusweb_json(const char *path) {
  char *text = pl_read_file(path, NULL);
  json_t *root = text ? json_loads(text, 0, NULL) : NULL;
  bool yes = json_object_get(root, "issuesValues") ||
             json_object_get(root, "LinearAdditiveUtilitySpace");
  json_decref(root);
  free(text);
  return yes;
}

/* A folder of GeniusWeb JSON files: some .json and no .xml. */
static bool is_geniusweb_folder(const char *path) {
  DIR *dir = opendir(path);
  bool json = false, xml = false;
  for (struct dirent *e; dir && (e = readdir(dir));) {
    size_t n = strlen(e->d_name);
    json |= n > 5 && !strcmp(e->d_name + n - 5, ".json");
    xml |= n > 4 && !strcmp(e->d_name + n - 4, ".xml");
  }
  if (dir)
    closedir(dir);
  return json && !xml;
}

static path_kind kind_of_path(const char *path, pl_diag *d) {
  struct stat st;
  if (!strcmp(path, "-"))
    return PATH_JSON; /* standard input: parley JSON */
  if (stat(path, &st) != 0) {
    pl_diag_add(d, path, 0, 0, "cannot open: %s", strerror(errno));
    return PATH_MISSING;
  }
  if (S_ISDIR(st.st_mode))
    return is_geniusweb_folder(path) ? PATH_GENIUSWEB_FOLDER : PATH_FOLDER;
  FILE *f = fopen(path, "rb");
  if (!f) {
    pl_diag_add(d, path, 0, 0, "cannot open: %s", strerror(errno));
    return PATH_MISSING;
  }
  int c = first_byte(f);
  fclose(f);
  if (c == '{')
    return is_geniusweb_json(path) ? PATH_GENIUSWEB : PATH_JSON;
  return c == '<' ? PATH_XML : PATH_OTHER;
}

static pl_scenario *load_one(const char *path, pl_reading reading, pl_diag *d) {
  switch (kind_of_path(path, d)) {
  case PATH_FOLDER:
    return pl_genius_load(&path, 1, reading, d);
  case PATH_GENIUSWEB_FOLDER:
    return pl_geniusweb_load(&path, 1, d);
  case PATH_GENIUSWEB:
    pl_diag_add(d, path, 0, 0,
                "a GeniusWeb scenario needs its domain and at least two "
                "profiles, or a folder");
    return NULL;
  case PATH_JSON:
    return pl_scenario_load_file(path, d);
  case PATH_XML:
    pl_diag_add(d, path, 0, 0,
                "a GENIUS scenario needs a domain and at least two profiles, "
                "or a folder");
    return NULL;
  case PATH_OTHER:
    pl_diag_add(d, path, 0, 0,
                "not a scenario: expected parley JSON (starting with '{'), "
                "GENIUS XML files or a GENIUS folder");
    return NULL;
  default:
    return NULL;
  }
}

/* Several paths: a GENIUS domain and its profiles, all XML files. */
static pl_scenario *load_many(const char *const *paths, size_t n,
                              pl_reading reading, pl_diag *d) {
  bool ok = true;
  size_t geniusweb = 0;
  for (size_t k = 0; k < n; k++) {
    path_kind kind = kind_of_path(paths[k], d);
    if (kind == PATH_GENIUSWEB) {
      geniusweb++;
      continue;
    }
    ok &= kind == PATH_XML;
    if (kind == PATH_FOLDER)
      pl_diag_add(d, paths[k], 0, 0,
                  "a folder must be given alone (it holds the domain and the "
                  "profiles)");
    else if (kind == PATH_JSON)
      pl_diag_add(d, paths[k], 0, 0,
                  "a parley JSON scenario must be given alone");
    else if (kind == PATH_OTHER)
      pl_diag_add(d, paths[k], 0, 0,
                  "not an XML file; with several paths, give a GENIUS domain "
                  "file and then its profiles");
  }
  if (geniusweb == n)
    return pl_geniusweb_load(paths, n, d);
  if (geniusweb > 0) {
    pl_diag_add(d, NULL, 0, 0,
                "GeniusWeb JSON files cannot be mixed with other files");
    return NULL;
  }
  return ok ? pl_genius_load(paths, n, reading, d) : NULL;
}

pl_scenario *pl_scenario_load(const char *const *paths, size_t n,
                              const pl_load_options *o, pl_diag *d) {
  pl_reading reading =
      o && o->raw_evaluations ? PL_READING_RAW : PL_READING_GENIUS;
  if (n == 0 || !paths) {
    pl_diag_add(d, NULL, 0, 0, "no scenario given");
    return NULL;
  }
  return n == 1 ? load_one(paths[0], reading, d)
                : load_many(paths, n, reading, d);
}
