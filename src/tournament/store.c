/* store.c - the results folder of a tournament (docs/tournament.md):
 *
 *   results.jsonl        the source of truth: one row per negotiation,
 *                        appended as they finish, fsync'ed in batches
 *   results.csv          regenerated from it at the end of a run
 *   summary.json         the ranking (summary.c)
 *   tournament-run.json  the manifest: what to resume, what to summarise
 *   config.json          the configuration as it was given
 *
 * Every file except results.jsonl is written whole to a temporary file
 * that is synced and renamed, so a crash leaves the old file or the new
 * one, never half of one. results.jsonl is only ever appended to (a crash
 * can tear its last line, which a resume drops) or replaced the same way.
 */
#define _POSIX_C_SOURCE 200809L
#include "tournament/tournament.h"
#include "util/diag.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool pl_tour_path(char *buf, size_t len, const char *dir, const char *name) {
  int n = snprintf(buf, len, "%s/%s", dir, name);
  return n > 0 && (size_t)n < len;
}

/* ---- Lines --------------------------------------------------------------- */

void pl_tour_lines_free(pl_tour_lines *l) {
  pl_buf_free(&l->text);
  free(l->at);
  *l = (pl_tour_lines){0};
}

bool pl_tour_lines_add(pl_tour_lines *l, uint64_t index, const char *line,
                       size_t len) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 256;
    pl_tour_line *at = realloc(l->at, cap * sizeof *at);
    if (!at)
      return false;
    l->at = at;
    l->cap = cap;
  }
  size_t off = l->text.len;
  pl_buf_put(&l->text, line, len);
  pl_buf_put(&l->text, "\n", 1);
  if (l->text.failed)
    return false;
  l->at[l->n++] = (pl_tour_line){index, off, len};
  return true;
}

static int by_index(const void *a, const void *b) {
  const pl_tour_line *x = a, *y = b;
  if (x->index != y->index)
    return x->index < y->index ? -1 : 1;
  return x->off < y->off ? -1 : x->off > y->off; /* the first one first */
}

void pl_tour_lines_sort(pl_tour_lines *l) {
  qsort(l->at, l->n, sizeof *l->at, by_index);
  size_t kept = 0;
  for (size_t k = 0; k < l->n; k++)
    if (kept == 0 || l->at[kept - 1].index != l->at[k].index)
      l->at[kept++] = l->at[k];
  l->n = kept;
}

/* ---- Reading results.jsonl ----------------------------------------------- */

/* The whole file; unlike pl_read_file, NUL bytes are kept (a power loss
 * can leave a block of zeros) and there is no size cap. */
static char *slurp(const char *path, size_t *len, bool *missing, pl_diag *d) {
  *len = 0;
  *missing = false;
  FILE *f = fopen(path, "rb");
  if (!f) {
    *missing = errno == ENOENT;
    if (!*missing)
      pl_diag_add(d, path, 0, 0, "cannot open: %s", strerror(errno));
    return NULL;
  }
  pl_buf b = {0};
  char chunk[1 << 16];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
    pl_buf_put(&b, chunk, got);
  bool bad = ferror(f) || b.failed;
  fclose(f);
  if (bad) {
    pl_diag_add(d, path, 0, 0, "cannot read: %s",
                b.failed ? "out of memory" : strerror(errno));
    pl_buf_free(&b);
    return NULL;
  }
  *len = b.len;
  return b.p ? b.p : calloc(1, 1);
}

/* A complete row: a JSON object with a whole "index". */
static bool row_index(const char *line, size_t len, uint64_t *index) {
  if (memchr(line, 0, len))
    return false;
  json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
  const json_t *ix = json_object_get(o, "index");
  bool ok = json_is_integer(ix) && json_integer_value(ix) >= 0;
  if (ok)
    *index = (uint64_t)json_integer_value(ix);
  json_decref(o);
  return ok;
}

bool pl_tour_read_lines(const char *path, pl_tour_lines *out,
                        pl_tour_read *info, pl_diag *d) {
  *info = (pl_tour_read){0};
  size_t len;
  bool missing;
  char *text = slurp(path, &len, &missing, d);
  if (!text)
    return missing;
  bool ok = true;
  for (size_t at = 0; at < len && ok;) {
    const char *nl = memchr(text + at, '\n', len - at);
    size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
    uint64_t index;
    bool complete = nl && row_index(text + at, n, &index);
    if (complete)
      ok = pl_tour_lines_add(out, index, text + at, n);
    else if (n > 0 || !nl)
      info->dropped++;
    if (!nl)
      info->torn_last = true; /* the writer died within this line */
    else if (!complete && n > 0 && nl + 1 == text + len)
      info->torn_last = true;
    at += n + 1;
  }
  free(text);
  if (!ok)
    pl_diag_add(d, path, 0, 0, "out of memory");
  return ok;
}

/* Same scenario and agents as negotiation `index` of this tournament. */
bool pl_tour_row_matches(const pl_tournament *t, uint64_t index,
                         const char *line, size_t len) {
  if (index >= t->total)
    return false;
  pl_tour_match m;
  pl_tour_match_at(t, index, &m);
  const pl_tour_scenario *sc = &t->scenarios[m.scenario];
  json_t *o = json_loadb(line, len, 0, NULL);
  const json_t *agents = json_object_get(o, "agents");
  bool ok =
      json_is_string(json_object_get(o, "scenario")) &&
      !strcmp(json_string_value(json_object_get(o, "scenario")), sc->name) &&
      json_array_size(agents) == sc->nparties;
  for (uint32_t p = 0; ok && p < sc->nparties; p++) {
    const json_t *a = json_array_get(agents, p);
    ok = json_is_string(a) &&
         !strcmp(json_string_value(a), t->agents[m.agents[p]].name);
  }
  json_decref(o);
  return ok;
}

/* ---- Writing whole files ------------------------------------------------- */

/* Makes a rename or a new file in `dir` survive a power loss. */
static void sync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

bool pl_tour_write_all(int fd, const char *p, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    p += n;
    len -= (size_t)n;
  }
  return true;
}

bool pl_tour_write_atomic(const char *dir, const char *name, const char *text,
                          size_t len, pl_diag *d) {
  char path[4096], tmp[4200];
  if (!pl_tour_path(path, sizeof path, dir, name)) {
    pl_diag_add(d, dir, 0, 0, "path too long");
    return false;
  }
  snprintf(tmp, sizeof tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  bool ok = fd >= 0 && pl_tour_write_all(fd, text, len) && fsync(fd) == 0;
  int err = errno;
  if (fd >= 0 && close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && rename(tmp, path) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    remove(tmp);
    pl_diag_add(d, path, 0, 0, "cannot write: %s", strerror(err));
    return false;
  }
  sync_dir(dir);
  return true;
}

bool pl_tour_rewrite_results(const char *dir, const pl_tour_lines *lines,
                             pl_diag *d) {
  pl_buf b = {0};
  for (size_t k = 0; k < lines->n; k++)
    pl_buf_put(&b, lines->text.p + lines->at[k].off, lines->at[k].len + 1);
  bool ok = !b.failed;
  if (!ok)
    pl_diag_add(d, dir, 0, 0, "out of memory");
  else
    ok = pl_tour_write_atomic(dir, PL_TOUR_RESULTS, b.p ? b.p : "", b.len, d);
  pl_buf_free(&b);
  return ok;
}

/* ---- The folder and its manifest ----------------------------------------- */

static bool make_dirs(const char *dir, pl_diag *d) {
  char path[4096];
  if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
    pl_diag_add(d, dir, 0, 0, "path too long");
    return false;
  }
  for (char *p = path + 1;; p++) {
    bool end = *p == 0;
    if (*p == '/' || end) {
      *p = 0;
      if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        pl_diag_add(d, path, 0, 0, "cannot create the output folder: %s",
                    strerror(errno));
        return false;
      }
      if (end)
        break;
      *p = '/';
    }
  }
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    pl_diag_add(d, dir, 0, 0, "the output is not a folder");
    return false;
  }
  return true;
}

static json_t *agent_names(const pl_tournament *t) {
  json_t *a = json_array();
  for (size_t k = 0; k < t->nagents; k++)
    json_array_append_new(a, json_string(t->agents[k].name));
  return a;
}

static json_t *scenario_names(const pl_tournament *t) {
  json_t *a = json_array();
  for (size_t k = 0; k < t->nscenarios; k++)
    json_array_append_new(a, json_string(t->scenarios[k].name));
  return a;
}

static char *manifest_text(const pl_tournament *t) {
  json_t *m = json_object();
  json_object_set_new(m, "parley_tournament_run", json_integer(1));
  json_object_set_new(m, "parley", json_string(pl_version()));
  json_object_set_new(m, "name", json_string(t->name));
  json_object_set_new(m, "config", json_string(PL_TOUR_CONFIG));
  json_object_set_new(m, "source", json_string(t->file));
  json_object_set_new(m, "base", json_string(t->base));
  json_object_set_new(m, "total", json_integer((json_int_t)t->total));
  json_object_set_new(m, "seed", json_integer((json_int_t)t->seed));
  json_object_set_new(m, "agents", agent_names(t));
  json_object_set_new(m, "scenarios", scenario_names(t));
  char *text = json_dumps(m, JSON_INDENT(2));
  json_decref(m);
  return text;
}

static bool holds_results(const char *dir) {
  char path[4096];
  struct stat st;
  return pl_tour_path(path, sizeof path, dir, PL_TOUR_MANIFEST) &&
         stat(path, &st) == 0;
}

/* An empty results.jsonl: proves the folder is writable before any work,
 * and is what the run appends to. */
static bool create_results(const char *dir, pl_diag *d) {
  char path[4096];
  if (!pl_tour_path(path, sizeof path, dir, PL_TOUR_RESULTS)) {
    pl_diag_add(d, dir, 0, 0, "path too long");
    return false;
  }
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    pl_diag_add(d, path, 0, 0, "cannot write: %s", strerror(errno));
    return false;
  }
  fsync(fd);
  close(fd);
  sync_dir(dir);
  return true;
}

pl_status pl_tour_store_create(const pl_tournament *t, const char *dir,
                               pl_diag *d) {
  if (!make_dirs(dir, d))
    return PL_EIO;
  if (holds_results(dir)) {
    pl_diag_add(d, dir, 0, 0,
                "this folder already holds a tournament: continue it with "
                "'parley tournament --resume %s', or choose another --out",
                dir);
    return PL_EINPUT;
  }
  char *manifest = manifest_text(t);
  bool ok =
      manifest && create_results(dir, d) &&
      pl_tour_write_atomic(dir, PL_TOUR_CONFIG, t->text, strlen(t->text), d) &&
      /* the manifest last: its presence means the folder is set up */
      pl_tour_write_atomic(dir, PL_TOUR_MANIFEST, manifest, strlen(manifest),
                           d);
  if (!manifest)
    pl_diag_add(d, dir, 0, 0, "out of memory");
  free(manifest);
  return ok ? PL_OK : manifest ? PL_EIO : PL_ENOMEM;
}

void pl_tour_manifest_free(pl_tour_manifest *m) {
  free(m->name);
  free(m->base);
  free(m->source);
  for (size_t k = 0; k < m->nagents; k++)
    free(m->agents[k]);
  for (size_t k = 0; k < m->nscenarios; k++)
    free(m->scenarios[k]);
  free(m->agents);
  free(m->scenarios);
  *m = (pl_tour_manifest){0};
}

static char *str_of(const json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s ? strdup(s) : NULL;
}

static char **strings_of(const json_t *arr, size_t *n) {
  *n = json_array_size(arr);
  char **out = calloc(*n ? *n : 1, sizeof *out);
  for (size_t k = 0; out && k < *n; k++) {
    const char *s = json_string_value(json_array_get(arr, k));
    out[k] = strdup(s ? s : "");
  }
  return out;
}

bool pl_tour_manifest_read(const char *dir, pl_tour_manifest *m, pl_diag *d) {
  *m = (pl_tour_manifest){0};
  char path[4096];
  if (!pl_tour_path(path, sizeof path, dir, PL_TOUR_MANIFEST)) {
    pl_diag_add(d, dir, 0, 0, "path too long");
    return false;
  }
  json_error_t err;
  json_t *o = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
  if (!o || !json_is_integer(json_object_get(o, "total"))) {
    struct stat st;
    if (stat(path, &st) != 0)
      pl_diag_add(d, dir, 0, 0,
                  "not a tournament results folder (no %s): start one with "
                  "'parley tournament CONFIG --out %s'",
                  PL_TOUR_MANIFEST, dir);
    else
      pl_diag_add(d, path, err.line > 0 ? err.line : 0, 0,
                  "not a tournament manifest: %s", o ? "no total" : err.text);
    json_decref(o);
    return false;
  }
  m->name = str_of(o, "name");
  m->base = str_of(o, "base");
  m->source = str_of(o, "source");
  m->total = (uint64_t)json_integer_value(json_object_get(o, "total"));
  m->seed = (uint64_t)json_integer_value(json_object_get(o, "seed"));
  m->agents = strings_of(json_object_get(o, "agents"), &m->nagents);
  m->scenarios = strings_of(json_object_get(o, "scenarios"), &m->nscenarios);
  json_decref(o);
  if (!m->agents || !m->scenarios) {
    pl_tour_manifest_free(m);
    pl_diag_add(d, path, 0, 0, "out of memory");
    return false;
  }
  return true;
}

/* ---- results.csv --------------------------------------------------------- */

static void csv_text(pl_buf *b, const char *s) {
  if (!s[strcspn(s, ",\"\r\n")] && s[0] != ' ') {
    pl_buf_puts(b, s);
    return;
  }
  pl_buf_puts(b, "\"");
  for (const char *c = s; *c; c++) {
    if (*c == '"')
      pl_buf_puts(b, "\"\""); /* RFC 4180: a quote is doubled */
    else
      pl_buf_put(b, c, 1);
  }
  pl_buf_puts(b, "\"");
}

/* A JSON value as a CSV cell: text as is, numbers as in the row, null
 * empty. */
static void csv_value(pl_buf *b, const json_t *v) {
  pl_buf_puts(b, ",");
  if (json_is_string(v))
    csv_text(b, json_string_value(v));
  else if (json_is_integer(v))
    pl_buf_printf(b, "%lld", (long long)json_integer_value(v));
  else if (json_is_real(v))
    pl_buf_json_number(b, json_real_value(v));
  else if (json_is_boolean(v))
    pl_buf_puts(b, json_is_true(v) ? "true" : "false");
}

static void csv_array(pl_buf *b, const json_t *arr, size_t width) {
  for (size_t p = 0; p < width; p++)
    csv_value(b, json_array_get(arr, p));
}

static void csv_package(pl_buf *b, const json_t *pkg) {
  pl_buf cell = {0};
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)pkg, key, val) {
    pl_buf_printf(&cell, "%s%s=%s", cell.len ? "; " : "", key,
                  json_is_string(val) ? json_string_value(val) : "");
  }
  pl_buf_puts(b, ",");
  csv_text(b, cell.p ? cell.p : "");
  pl_buf_free(&cell);
}

static void csv_header(pl_buf *b, size_t width) {
  static const char *const per_party[] = {"agent", "party"};
  static const char *const scores[] = {"utility", "discounted_utility",
                                       "advantage"};
  pl_buf_puts(b, "index,scenario,repetition,seed");
  for (size_t g = 0; g < 2; g++)
    for (size_t p = 1; p <= width; p++)
      pl_buf_printf(b, ",%s_%zu", per_party[g], p);
  pl_buf_puts(b, ",agreement,end,by,rounds");
  for (size_t g = 0; g < 3; g++)
    for (size_t p = 1; p <= width; p++)
      pl_buf_printf(b, ",%s_%zu", scores[g], p);
  pl_buf_puts(b, ",welfare,pareto_distance,nash_distance,wall_time,package\n");
}

static void csv_row(pl_buf *b, const json_t *o, size_t width) {
  pl_buf_printf(b, "%lld",
                (long long)json_integer_value(json_object_get(o, "index")));
  static const char *const head[] = {"scenario", "repetition", "seed"};
  for (size_t k = 0; k < 3; k++)
    csv_value(b, json_object_get(o, head[k]));
  csv_array(b, json_object_get(o, "agents"), width);
  csv_array(b, json_object_get(o, "parties"), width);
  static const char *const mid[] = {"agreement", "end", "by", "rounds"};
  for (size_t k = 0; k < 4; k++)
    csv_value(b, json_object_get(o, mid[k]));
  csv_array(b, json_object_get(o, "utilities"), width);
  csv_array(b, json_object_get(o, "discounted_utilities"), width);
  csv_array(b, json_object_get(o, "advantages"), width);
  static const char *const tail[] = {"welfare", "pareto_distance",
                                     "nash_distance", "wall_time"};
  for (size_t k = 0; k < 4; k++)
    csv_value(b, json_object_get(o, tail[k]));
  csv_package(b, json_object_get(o, "package"));
  pl_buf_puts(b, "\n");
}

static json_t *parse_line(const pl_tour_lines *l, size_t k) {
  return json_loadb(l->text.p + l->at[k].off, l->at[k].len, 0, NULL);
}

bool pl_tour_write_csv(const char *dir, const pl_tour_lines *lines,
                       pl_diag *d) {
  size_t width = 0; /* the most parties of any row: one column each */
  for (size_t k = 0; k < lines->n; k++) {
    json_t *o = parse_line(lines, k);
    size_t n = json_array_size(json_object_get(o, "agents"));
    width = n > width ? n : width;
    json_decref(o);
  }
  pl_buf b = {0};
  csv_header(&b, width);
  for (size_t k = 0; k < lines->n; k++) {
    json_t *o = parse_line(lines, k);
    if (o)
      csv_row(&b, o, width);
    json_decref(o);
  }
  bool ok = !b.failed;
  if (!ok)
    pl_diag_add(d, dir, 0, 0, "out of memory writing %s", PL_TOUR_CSV);
  else
    ok = pl_tour_write_atomic(dir, PL_TOUR_CSV, b.p, b.len, d);
  pl_buf_free(&b);
  return ok;
}
