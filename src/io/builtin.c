/* builtin.c - scenarios compiled into the library (the JSON files in
 * scenarios/, embedded by cmake/embed.cmake), so `parley analyze` works without
 * any file. */
#include "io/scenario_io.h"

#include "util/diag.h"

#include <stdio.h>
#include <string.h>

/* Generated into the build tree from scenarios/ by cmake/embed.cmake. */
extern const struct pl_builtin_file {
  const char *name;
  const char *json;
} pl_builtin_files[];

size_t pl_builtin_count(void) {
  size_t n = 0;
  while (pl_builtin_files[n].name)
    n++;
  return n;
}

const char *pl_builtin_name(size_t i) {
  return i < pl_builtin_count() ? pl_builtin_files[i].name : NULL;
}

const char *pl_builtin_default(void) { return "talks"; }

pl_scenario *pl_scenario_builtin(const char *name, pl_diag *d) {
  for (size_t i = 0; pl_builtin_files[i].name; i++)
    if (!strcmp(pl_builtin_files[i].name, name)) {
      char file[256];
      snprintf(file, sizeof file, "<built-in %s>", name);
      return pl_scenario_from_json(pl_builtin_files[i].json, file, d);
    }
  pl_diag_add(d, NULL, 0, 0, "no built-in scenario named '%s'", name);
  return NULL;
}
