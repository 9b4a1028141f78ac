/* scenario_io.h - reading and writing scenario files (internal). */
#ifndef PL_IO_SCENARIO_IO_H
#define PL_IO_SCENARIO_IO_H

#include "model/scenario.h"

/* The whole file as a NUL-terminated string (caller frees), or NULL with a
 * problem in d. */
char *pl_read_file(const char *path, pl_diag *d);
/* Parses parley scenario JSON; `file` names it in messages. */
pl_scenario *pl_scenario_from_json(const char *text, const char *file,
                                   pl_diag *d);

/* Reads a GENIUS domain and profiles: `paths` is one folder, or a domain
 * file followed by profile files (docs/formats.md). */
pl_scenario *pl_genius_load(const char *const *paths, size_t n,
                            pl_reading reading, pl_diag *d);

#endif
