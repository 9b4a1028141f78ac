/* config.c - reading a tournament configuration (docs/tournament.md,
 * schema/tournament.schema.json).
 *
 * Like the scenario loader, it does not stop at the first problem and
 * points at the line and column of each, and everything that could make a
 * run fail later (an unknown agent, a missing scenario, too few agents for
 * a scenario's parties) is checked here, before any negotiation starts.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "io/json_doc.h"
#include "io/scenario_io.h"
#include "tournament/tournament.h"
#include "util/diag.h"
#include "util/fmt.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct cfg {
  pl_json_doc doc; /* file, positions, diagnostics, error count */
  pl_tournament *t;
  const json_t *root;
} cfg;

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p)
    memcpy(p, s, n);
  return p;
}

/* ---- Typed members ------------------------------------------------------- */

static bool get_bool(cfg *C, const json_t *obj, const char *key, bool def) {
  const json_t *v = json_object_get(obj, key);
  if (!v)
    return def;
  if (!json_is_boolean(v)) {
    pl_json_fail_member(&C->doc, obj, key, false,
                        "\"%s\" must be true or false, not %s", key,
                        pl_json_type_name(v));
    return def;
  }
  return json_is_true(v);
}

/* A whole number in [lo, hi]; `def` when absent. */
static uint64_t get_count(cfg *C, const json_t *obj, const char *key,
                          uint64_t def, uint64_t lo, uint64_t hi,
                          const char *why) {
  const json_t *v = json_object_get(obj, key);
  if (!v)
    return def;
  if (!json_is_integer(v)) {
    pl_json_fail_member(&C->doc, obj, key, false,
                        "\"%s\" must be a whole number, not %s", key,
                        json_is_real(v) ? "a fraction" : pl_json_type_name(v));
    return def;
  }
  json_int_t x = json_integer_value(v);
  if (x < 0 || (uint64_t)x < lo || (uint64_t)x > hi) {
    pl_json_fail(&C->doc, v, "\"%s\" is %lld; %s", key, (long long)x, why);
    return def;
  }
  return (uint64_t)x;
}

static double get_real(cfg *C, const json_t *obj, const char *key, double def,
                       double lo, double hi) {
  const json_t *v = json_object_get(obj, key);
  if (!v)
    return def;
  double x = json_number_value(v);
  if (!json_is_number(v) || !(x >= lo && x <= hi)) {
    char a[32], b[32];
    pl_fmt_number(a, sizeof a, lo);
    pl_fmt_number(b, sizeof b, hi);
    pl_json_fail_member(&C->doc, obj, key, false,
                        "\"%s\" must be a number from %s to %s", key, a, b);
    return def;
  }
  return x;
}

/* ---- Scenarios ----------------------------------------------------------- */

static char *resolve(const char *base, const char *path) {
  if (path[0] == '/' || !base || !*base)
    return dup_str(path);
  size_t n = strlen(base) + strlen(path) + 2;
  char *p = malloc(n);
  if (p)
    snprintf(p, n, "%s/%s", base, path);
  return p;
}

static bool is_builtin(const char *name) {
  for (size_t i = 0; i < pl_builtin_count(); i++)
    if (!strcmp(pl_builtin_name(i), name))
      return true;
  return false;
}

/* The scenario's own problems (each with its file and line), after a line
 * at the config entry that names it. */
static void copy_problems(cfg *C, const pl_diag *from) {
  for (size_t i = 0; i < pl_diag_count(from); i++) {
    pl_problem p = pl_diag_get(from, i);
    pl_diag_add(C->doc.d, p.file, p.line, p.column, "%s", p.message);
  }
}

typedef struct source {
  const char *builtin; /* or NULL */
  char *paths[PL_MAX_PARTIES + 1];
  size_t npaths;
  bool raw;
} source;

static void source_free(source *s) {
  for (size_t k = 0; k < s->npaths; k++)
    free(s->paths[k]);
}

static pl_scenario *load_source(cfg *C, const json_t *node, const source *src,
                                const char *shown) {
  pl_diag *sd = pl_diag_new();
  pl_scenario *s = NULL;
  if (src->builtin) {
    s = pl_scenario_builtin(src->builtin, sd);
  } else {
    pl_load_options lo = {.raw_evaluations = src->raw};
    s = pl_scenario_load((const char *const *)src->paths, src->npaths, &lo, sd);
  }
  if (!s) {
    pl_json_fail(&C->doc, node, "scenario '%s' does not load:", shown);
    copy_problems(C, sd);
  }
  pl_diag_free(sd);
  return s;
}

/* "Laptop" or "domains/Laptop": a path from the config's folder, else a
 * built-in of that name. */
static bool source_of_string(cfg *C, const json_t *node, source *src) {
  const char *text = json_string_value(node);
  char *path = resolve(C->t->base, text);
  if (!path) {
    pl_json_fail(&C->doc, node, "out of memory");
    return false;
  }
  struct stat st;
  if (stat(path, &st) != 0 && is_builtin(text)) {
    free(path);
    src->builtin = text;
    return true;
  }
  if (stat(path, &st) != 0) {
    pl_json_fail(&C->doc, node,
                 "missing scenario '%s': %s cannot be opened: %s", text, path,
                 strerror(errno));
    free(path);
    return false;
  }
  src->paths[src->npaths++] = path;
  return true;
}

static bool source_of_paths(cfg *C, const json_t *arr, source *src) {
  if (!json_is_array(arr) || json_array_size(arr) < 2 ||
      json_array_size(arr) > PL_MAX_PARTIES + 1) {
    pl_json_fail(
        &C->doc, arr,
        "\"paths\" must be an array of a domain file and its profiles");
    return false;
  }
  bool ok = true;
  for (size_t k = 0; k < json_array_size(arr); k++) {
    const json_t *p = json_array_get(arr, k);
    if (!json_is_string(p)) {
      pl_json_fail(&C->doc, p, "each of \"paths\" must be a string, not %s",
                   pl_json_type_name(p));
      ok = false;
      continue;
    }
    char *path = resolve(C->t->base, json_string_value(p));
    struct stat st;
    if (!path) {
      pl_json_fail(&C->doc, p, "out of memory");
      ok = false;
      continue;
    }
    if (stat(path, &st) != 0) {
      pl_json_fail(&C->doc, p, "missing scenario file: %s cannot be opened: %s",
                   path, strerror(errno));
      ok = false;
    }
    src->paths[src->npaths++] = path;
  }
  return ok;
}

static const char *const SCENARIO_KEYS[] = {
    "path", "paths", "builtin", "name", "raw_evaluations", NULL};

static bool source_of_object(cfg *C, const json_t *obj, source *src) {
  pl_json_check_keys(&C->doc, obj, "a scenario", SCENARIO_KEYS, false);
  src->raw = get_bool(C, obj, "raw_evaluations", src->raw);
  (void)pl_json_get_string(&C->doc, NULL, obj, "name", false,
                           "a scenario"); /* checks its type */
  const json_t *path = json_object_get(obj, "path");
  const json_t *paths = json_object_get(obj, "paths");
  const char *builtin =
      pl_json_get_string(&C->doc, NULL, obj, "builtin", false, "a scenario");
  if (!!path + !!paths + !!builtin != 1) {
    pl_json_fail(&C->doc, obj,
                 "a scenario needs exactly one of \"path\", \"paths\" and "
                 "\"builtin\"");
    return false;
  }
  if (builtin && !is_builtin(builtin)) {
    pl_json_fail_member(&C->doc, obj, "builtin", false,
                        "no built-in scenario named '%s'", builtin);
    return false;
  }
  src->builtin = builtin;
  if (paths)
    return source_of_paths(C, paths, src);
  if (path && !json_is_string(path)) {
    pl_json_fail(&C->doc, path, "\"path\" must be a string, not %s",
                 pl_json_type_name(path));
    return false;
  }
  if (path) {
    char *p = resolve(C->t->base, json_string_value(path));
    struct stat st;
    if (!p) {
      pl_json_fail(&C->doc, path, "out of memory");
      return false;
    }
    if (stat(p, &st) != 0) {
      pl_json_fail(&C->doc, path,
                   "missing scenario '%s': %s cannot be opened: %s",
                   json_string_value(path), p, strerror(errno));
      free(p);
      return false;
    }
    src->paths[src->npaths++] = p;
  }
  return true;
}

static const char *shown_source(const json_t *node) {
  if (json_is_string(node))
    return json_string_value(node);
  const json_t *v = json_object_get(node, "path");
  if (!v)
    v = json_object_get(node, "builtin");
  if (!v)
    v = json_array_get(json_object_get(node, "paths"), 0);
  return json_is_string(v) ? json_string_value(v) : "?";
}

static bool load_scenario(cfg *C, const json_t *node, pl_tour_scenario *sc,
                          bool raw) {
  source src = {.raw = raw};
  bool ok = false;
  if (json_is_string(node))
    ok = source_of_string(C, node, &src);
  else if (json_is_object(node))
    ok = source_of_object(C, node, &src);
  else
    pl_json_fail(&C->doc, node,
                 "a scenario is a path, a built-in name or an object, not %s",
                 pl_json_type_name(node));
  const char *shown = shown_source(node);
  if (ok)
    sc->s = load_source(C, node, &src, shown);
  source_free(&src);
  if (!sc->s)
    return false;
  const char *label = json_is_object(node)
                          ? json_string_value(json_object_get(node, "name"))
                          : NULL;
  const char *own = pl_scenario_name(sc->s);
  sc->name = dup_str(label ? label : own && *own ? own : shown);
  sc->source = dup_str(shown);
  sc->nparties = pl_scenario_num_parties(sc->s);
  return sc->name && sc->source;
}

static void unique_scenario_names(cfg *C, const json_t *arr) {
  pl_tournament *t = C->t;
  for (size_t k = 0; k < t->nscenarios; k++)
    for (size_t j = 0; j < k && t->scenarios[k].name; j++)
      if (t->scenarios[j].name &&
          !strcmp(t->scenarios[j].name, t->scenarios[k].name)) {
        pl_json_fail(&C->doc, json_array_get(arr, k),
                     "two scenarios are named '%s': give one a \"name\"",
                     t->scenarios[k].name);
        break;
      }
}

static void load_scenarios(cfg *C) {
  const json_t *arr = json_object_get(C->root, "scenarios");
  if (!arr) {
    pl_json_fail(&C->doc, C->root, "the tournament has no \"scenarios\"");
    return;
  }
  if (!json_is_array(arr) || json_array_size(arr) == 0) {
    pl_json_fail(&C->doc, arr, "\"scenarios\" must be a non-empty array");
    return;
  }
  pl_tournament *t = C->t;
  t->scenarios = calloc(json_array_size(arr), sizeof *t->scenarios);
  if (!t->scenarios) {
    pl_json_fail(&C->doc, arr, "out of memory");
    return;
  }
  t->nscenarios = json_array_size(arr);
  bool raw = get_bool(C, C->root, "raw_evaluations", false);
  for (size_t k = 0; k < t->nscenarios; k++)
    load_scenario(C, json_array_get(arr, k), &t->scenarios[k], raw);
  unique_scenario_names(C, arr);
}

/* ---- Agents -------------------------------------------------------------- */

static const char *const AGENT_KEYS[] = {"agent", "name", "params", NULL};

/* "conceder" with {"e": 1.5} -> "conceder:e=1.5". */
static bool spec_text(cfg *C, const json_t *obj, char *text, size_t len) {
  const char *agent =
      pl_json_get_string(&C->doc, NULL, obj, "agent", false, "an agent");
  if (!agent) {
    if (!json_object_get(obj, "agent"))
      pl_json_fail(&C->doc, obj,
                   "an agent needs \"agent\" (e.g. \"boulware\")");
    return false;
  }
  size_t n = (size_t)snprintf(text, len, "%s", agent);
  const json_t *params = json_object_get(obj, "params");
  if (params && !json_is_object(params)) {
    pl_json_fail(&C->doc, params,
                 "\"params\" must be an object of numbers, not %s",
                 pl_json_type_name(params));
    return false;
  }
  const char *key;
  json_t *val;
  char sep = strchr(agent, ':') ? ',' : ':';
  json_object_foreach((json_t *)params, key, val) {
    if (!json_is_number(val)) {
      pl_json_fail(&C->doc, val, "parameter '%s' must be a number, not %s", key,
                   pl_json_type_name(val));
      return false;
    }
    char num[32];
    pl_fmt_number(num, sizeof num, json_number_value(val));
    n += (size_t)snprintf(text + (n < len ? n : len), n < len ? len - n : 0,
                          "%c%s=%s", sep, key, num);
    sep = ',';
  }
  if (n >= len) {
    pl_json_fail(&C->doc, obj,
                 "agent specification too long (at most %zu characters)",
                 len - 1);
    return false;
  }
  return true;
}

static bool load_agent(cfg *C, const json_t *node, pl_tour_agent *a) {
  char text[sizeof a->spec.text];
  const char *name = NULL;
  if (json_is_string(node)) {
    snprintf(text, sizeof text, "%s", json_string_value(node));
    if (strlen(json_string_value(node)) >= sizeof text) {
      pl_json_fail(&C->doc, node,
                   "agent specification too long (at most %zu characters)",
                   sizeof text - 1);
      return false;
    }
  } else if (json_is_object(node)) {
    pl_json_check_keys(&C->doc, node, "an agent", AGENT_KEYS, false);
    name = pl_json_get_string(&C->doc, NULL, node, "name", false, "an agent");
    if (!spec_text(C, node, text, sizeof text))
      return false;
  } else {
    pl_json_fail(&C->doc, node,
                 "an agent is a specification such as \"conceder:e=1.5\" or "
                 "an object, not %s",
                 pl_json_type_name(node));
    return false;
  }
  char msg[512];
  if (!pl_agent_parse(text, &a->spec, msg, sizeof msg)) {
    pl_json_fail(&C->doc, node, "%s", msg);
    return false;
  }
  a->name = dup_str(name ? name : text);
  return a->name != NULL;
}

static void load_agents(cfg *C) {
  const json_t *arr = json_object_get(C->root, "agents");
  if (!arr) {
    pl_json_fail(&C->doc, C->root, "the tournament has no \"agents\"");
    return;
  }
  size_t n = json_array_size(arr);
  if (!json_is_array(arr) || n == 0 || n > PL_TOUR_MAX_AGENTS) {
    pl_json_fail(&C->doc, arr, "\"agents\" must be an array of 1 to %d agents",
                 PL_TOUR_MAX_AGENTS);
    return;
  }
  pl_tournament *t = C->t;
  t->agents = calloc(n, sizeof *t->agents);
  if (!t->agents) {
    pl_json_fail(&C->doc, arr, "out of memory");
    return;
  }
  t->nagents = n;
  for (size_t k = 0; k < n; k++) {
    const json_t *node = json_array_get(arr, k);
    if (!load_agent(C, node, &t->agents[k]))
      continue;
    for (size_t j = 0; j < k; j++)
      if (t->agents[j].name && !strcmp(t->agents[j].name, t->agents[k].name))
        pl_json_fail(&C->doc, node,
                     "two agents are named '%s': give one a \"name\" (e.g. "
                     "{\"agent\": \"%s\", \"name\": \"%s-2\"})",
                     t->agents[k].name, t->agents[k].spec.text,
                     t->agents[k].name);
  }
}

/* "agent_libs": plug-ins (parley_agent.h) loaded before the agents are
 * read, so that their agents are known by name; paths start from base. */
static void load_agent_libs(cfg *C) {
  const json_t *arr = json_object_get(C->root, "agent_libs");
  if (!arr)
    return;
  if (!json_is_array(arr)) {
    pl_json_fail(&C->doc, arr, "\"agent_libs\" must be an array of paths");
    return;
  }
  for (size_t k = 0; k < json_array_size(arr); k++) {
    const json_t *node = json_array_get(arr, k);
    if (!json_is_string(node)) {
      pl_json_fail(&C->doc, node, "a plug-in path must be a string, not %s",
                   pl_json_type_name(node));
      continue;
    }
    char *path = resolve(C->t->base, json_string_value(node));
    pl_diag *d = pl_diag_new();
    if (!path || !d || pl_agent_load_plugin(path, d) != PL_OK) {
      pl_json_fail(&C->doc, node, "cannot load the plug-in '%s'",
                   json_string_value(node));
      if (d)
        copy_problems(C, d);
    }
    pl_diag_free(d);
    free(path);
  }
}

/* ---- Everything else ----------------------------------------------------- */

static const char *const TOP_KEYS[] = {"parley_tournament",
                                       "name",
                                       "scenarios",
                                       "agents",
                                       "protocol",
                                       "rounds",
                                       "repetitions",
                                       "rotate_roles",
                                       "self_play",
                                       "seed",
                                       "ignore_ratifiers",
                                       "mediated",
                                       "raw_evaluations",
                                       "agent_libs",
                                       NULL};
static const char *const MEDIATED_KEYS[] = {"quota", "change", "anneal", NULL};

static void load_protocol(cfg *C) {
  pl_tournament *t = C->t;
  const char *p = pl_json_get_string(&C->doc, NULL, C->root, "protocol", false,
                                     "the tournament");
  if (p && strcmp(p, "saop") && strcmp(p, "mediated"))
    pl_json_fail_member(
        &C->doc, C->root, "protocol", false,
        "unknown protocol '%s'; expected \"saop\" or \"mediated\"", p);
  t->protocol = p && !strcmp(p, "mediated") ? PL_MEDIATED : PL_SAOP;
  t->change = 1;
  const json_t *m = json_object_get(C->root, "mediated");
  if (!m)
    return;
  if (!json_is_object(m)) {
    pl_json_fail(&C->doc, m, "\"mediated\" must be an object, not %s",
                 pl_json_type_name(m));
    return;
  }
  pl_json_check_keys(&C->doc, m, "\"mediated\"", MEDIATED_KEYS, false);
  t->quota = (uint32_t)get_count(C, m, "quota", 0, 0, PL_MAX_PARTIES,
                                 "expected 0 (everyone) to 64");
  t->change = (uint32_t)get_count(C, m, "change", 1, 1, PL_MAX_ISSUES,
                                  "expected 1 to 64 issues per step");
  t->anneal = get_real(C, m, "anneal", 0, 0, 1e9);
}

static void load_settings(cfg *C) {
  pl_tournament *t = C->t;
  const json_t *ver = json_object_get(C->root, "parley_tournament");
  if (ver && !(json_is_integer(ver) && json_integer_value(ver) == 1))
    pl_json_fail(&C->doc, ver,
                 "\"parley_tournament\" is the format version and must be 1");
  const char *name = pl_json_get_string(&C->doc, NULL, C->root, "name", false,
                                        "the tournament");
  if (name)
    t->name = dup_str(name);
  t->rounds = (uint32_t)get_count(C, C->root, "rounds", 100, 1, 100000000,
                                  "the deadline must be 1 to 10^8 rounds");
  t->repetitions =
      (uint32_t)get_count(C, C->root, "repetitions", 1, 1, 1000000,
                          "repetitions must be at least 1 (and at most 10^6)");
  t->seed = get_count(C, C->root, "seed", 1, 0, (uint64_t)LLONG_MAX,
                      "the seed must be 0 or more");
  t->rotate_roles = get_bool(C, C->root, "rotate_roles", true);
  t->self_play = get_bool(C, C->root, "self_play", false);
  t->ignore_ratifiers = get_bool(C, C->root, "ignore_ratifiers", false);
  load_protocol(C);
}

/* Without self-play a scenario of n parties needs n different agents. */
static void check_seats(cfg *C) {
  pl_tournament *t = C->t;
  const json_t *arr = json_object_get(C->root, "scenarios");
  for (size_t k = 0; k < t->nscenarios && !t->self_play; k++) {
    const pl_tour_scenario *sc = &t->scenarios[k];
    if (sc->s && sc->nparties > t->nagents)
      pl_json_fail(
          &C->doc, json_array_get(arr, k),
          "scenario '%s' has %u parties but there are only %zu agents: add "
          "agents or set \"self_play\": true",
          sc->name, sc->nparties, t->nagents);
  }
}

/* "examples/tournament-small.json" -> "tournament-small". */
static char *name_from_file(const char *file) {
  const char *slash = strrchr(file, '/');
  const char *b = slash ? slash + 1 : file;
  size_t n = strlen(b);
  if (n > 5 && !strcmp(b + n - 5, ".json"))
    n -= 5;
  char *p = malloc(n + 1);
  if (p) {
    memcpy(p, b, n);
    p[n] = 0;
  }
  return p;
}

static void load_root(cfg *C) {
  if (!json_is_object(C->root)) {
    pl_json_fail(&C->doc, C->root, "a tournament must be a JSON object, not %s",
                 pl_json_type_name(C->root));
    return;
  }
  /* In the order a configuration is usually written, so that the problems
   * come out roughly in file order. */
  load_scenarios(C);
  load_agent_libs(C);
  load_agents(C);
  load_settings(C);
  pl_json_check_keys(&C->doc, C->root, "the tournament", TOP_KEYS, false);
  if (C->doc.errors)
    return;
  check_seats(C);
  if (!C->t->name)
    C->t->name = name_from_file(C->doc.file);
  if (!C->doc.errors && !pl_tour_plan(C->t, C->doc.d))
    C->doc.errors++;
}

/* The folder of `file`, absolute when it can be, so that a run resumed
 * from another working directory still finds the scenarios. */
static char *folder_of(const char *file) {
  const char *slash = strrchr(file, '/');
  char *dir = slash ? malloc((size_t)(slash - file) + 2) : dup_str(".");
  if (slash && dir) {
    size_t n = slash == file ? 1 : (size_t)(slash - file);
    memcpy(dir, file, n);
    dir[n] = 0;
  }
  char *real = dir ? realpath(dir, NULL) : NULL;
  if (real) {
    free(dir);
    return real;
  }
  return dir;
}

pl_tournament *pl_tournament_parse(const char *text, const char *file,
                                   const char *base, pl_diag *d) {
  file = file ? file : "<string>";
  cfg C = {0};
  json_t *root = pl_json_doc_open(&C.doc, text, file, d);
  if (!root)
    return NULL;
  pl_tournament *t = calloc(1, sizeof *t);
  C.t = t;
  C.root = root;
  if (t) {
    t->file = dup_str(file);
    t->text = dup_str(text);
    t->base = base ? dup_str(base) : folder_of(file);
  }
  if (!t || !t->file || !t->text || !t->base) {
    pl_diag_add(d, file, 0, 0, "out of memory");
    C.doc.errors++;
  } else {
    load_root(&C);
  }
  pl_json_doc_close(&C.doc, root);
  if (C.doc.errors) {
    pl_tournament_free(t);
    return NULL;
  }
  return t;
}

pl_tournament *pl_tournament_load(const char *path, const char *base,
                                  pl_diag *d) {
  char *text = pl_read_file(path, d);
  if (!text)
    return NULL;
  pl_tournament *t = pl_tournament_parse(text, path, base, d);
  free(text);
  return t;
}

void pl_tournament_free(pl_tournament *t) {
  if (!t)
    return;
  for (size_t k = 0; k < t->nscenarios; k++) {
    pl_tour_scenario *sc = &t->scenarios[k];
    pl_tour_forget_selves(sc); /* before the scenario they point into */
    pl_scenario_free(sc->s);
    pl_tour_forget_analysis(sc);
    free(sc->name);
    free(sc->source);
  }
  for (size_t k = 0; k < t->nagents; k++)
    free(t->agents[k].name);
  for (size_t k = 0; k < t->ntuples; k++)
    free(t->tuples[k].ids);
  free(t->tuples);
  free(t->scenarios);
  free(t->agents);
  free(t->file);
  free(t->base);
  free(t->text);
  free(t->name);
  free(t);
}

int32_t pl_tournament_find_agent(const pl_tournament *t, const char *name) {
  for (size_t k = 0; k < t->nagents; k++)
    if (!strcmp(t->agents[k].name, name))
      return (int32_t)k;
  return -1;
}
