/* test_plugins.c - agents from outside the library: plug-ins built by this
 * test build (examples/agents/pacer.c and the broken ones in
 * tests/plugins) loaded by `parley negotiate`, `parley agents` and a
 * tournament configuration; their errors; and agents registered in the
 * caller's process with pl_agent_register, played by pl_negotiate and by
 * pl_tournament_run (progress callback, cancel flag, resume). */
#define _POSIX_C_SOURCE 200809L
#include "parley.h"
#include "parley_agent.h"
#include "parley_tournament.h"
#include "support.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *plugin(const char *name) {
  static char buf[4][4096];
  static int next;
  char *b = buf[next++ % 4];
  snprintf(b, 4096, "%s/%s.so", PARLEY_PLUGIN_DIR, name);
  return b;
}

static json_t *parse(const char *text) {
  json_error_t e;
  json_t *j = json_loads(text, 0, &e);
  cr_assert_not_null(j, "not JSON (%s): %s", e.text, text);
  return j;
}

/* ---- The CLI ------------------------------------------------------------- */

Test(plugins, agents_lists_the_plugin_after_the_builtins) {
  char *plain, *with, *err;
  cr_assert_eq(run_cli("agents", &plain, &err), 0);
  free(err);
  char args[8192];
  snprintf(args, sizeof args, "agents --agent-lib %s", plugin("pacer"));
  cr_assert_eq(run_cli(args, &with, &err), 0, "%s", err);
  /* The built-ins unchanged, then the plug-in's agent in the same format:
   * "name" padded to 12, summary; one line per parameter; its source. */
  size_t n = strlen(plain);
  cr_assert_eq(strncmp(with, plain, n), 0);
  cr_expect_str_eq(with + n,
                   "pacer        holds out, then concedes towards the best "
                   "offer received (example plug-in)\n"
                   "  e          concession exponent: below 1 concedes early "
                   "(default 1, 0.05 to 20)\n"
                   "  hold       share of the time it holds out at its best "
                   "(default 0.2, 0 to 0.95)\n"
                   "  source: examples/agents/pacer.c\n");
  free(plain), free(with), free(err);
}

Test(plugins, negotiate_plays_a_plugin_agent_with_parameters) {
  char args[8192], *out, *err;
  snprintf(args, sizeof args,
           "negotiate --json --agent-lib %s --agents "
           "pacer:e=0.5,hold=0,boulware,conceder",
           plugin("pacer"));
  cr_assert_eq(run_cli(args, &out, &err), 0, "%s", err);
  json_t *j = parse(out);
  cr_expect_str_eq(
      json_string_value(json_array_get(json_object_get(j, "agents"), 0)),
      "pacer:e=0.5,hold=0");
  const char *kind =
      json_string_value(json_object_get(json_object_get(j, "reason"), "kind"));
  cr_assert_not_null(kind);
  cr_expect_str_neq(kind, "protocol-violation");
  /* Reproducible: the same command gives the same document. */
  char *again, *err2;
  cr_assert_eq(run_cli(args, &again, &err2), 0);
  cr_expect_str_eq(out, again);
  /* The parameter changes the play: never conceding (hold 0.95, e 20)
   * against itself ends differently from conceding early. */
  snprintf(args, sizeof args,
           "negotiate --json --agent-lib %s --agents pacer:e=0.05,hold=0",
           plugin("pacer"));
  char *soft, *err3;
  cr_assert_eq(run_cli(args, &soft, &err3), 0, "%s", err3);
  cr_expect_str_neq(out, soft);
  json_decref(j);
  free(out), free(err), free(again), free(err2), free(soft), free(err3);
}

Test(plugins, a_plugin_parameter_out_of_range_is_refused) {
  char args[8192], *out, *err;
  snprintf(args, sizeof args, "negotiate --agent-lib %s --agents pacer:e=99",
           plugin("pacer"));
  cr_expect_eq(run_cli(args, &out, &err), 2);
  cr_expect(strstr(err, "parameter 'e' of agent 'pacer' must be between 0.05 "
                        "and 20, not 99"),
            "%s", err);
  cr_expect_str_eq(out, "");
  free(out), free(err);
}

/* Runs `parley negotiate --agent-lib PATH`: exit 2, nothing on stdout, and
 * a message naming the file and containing `what`. */
static void refused(const char *path, const char *what) {
  char args[8192], *out, *err;
  snprintf(args, sizeof args, "negotiate --agent-lib %s --agents boulware",
           path);
  cr_expect_eq(run_cli(args, &out, &err), 2, "%s", path);
  cr_expect_str_eq(out, "", "nothing run for %s", path);
  char where[4200];
  snprintf(where, sizeof where, "%s: error: agent plug-in: ", path);
  cr_expect(strstr(err, where), "no file named in: %s", err);
  cr_expect(strstr(err, what), "expected '%s' in: %s", what, err);
  free(out), free(err);
}

Test(plugins, bad_plugins_are_refused_naming_the_file) {
  refused("/nonexistent/agents.so", "cannot open: No such file or directory");
  refused(plugin("no_entry"), "not a parley plug-in: it does not define "
                              "parley_agent_plugin");
  char abi[256];
  snprintf(abi, sizeof abi,
           "built for agent ABI version %d, but this parley "
           "(%s) has version %d",
           PL_AGENT_ABI_VERSION + 1, pl_version(), PL_AGENT_ABI_VERSION);
  refused(plugin("wrong_abi"), abi);
  refused(plugin("clash"), "agent name 'Boulware' is already taken by the "
                           "built-in agent 'boulware'");
  /* A text file is not a shared object. */
  refused(data_path("cli_small.json"), "not a loadable shared object");
}

Test(plugins, a_refused_plugin_loads_none_of_its_agents) {
  /* clash.so's first agent is valid, but the plug-in is all or nothing. */
  char args[8192], *out, *err;
  snprintf(args, sizeof args, "agents --agent-lib %s --agent-lib %s",
           plugin("pacer"), plugin("clash"));
  cr_expect_eq(run_cli(args, &out, &err), 2);
  cr_expect_str_eq(out, "");
  free(out), free(err);
  snprintf(args, sizeof args, "negotiate --agent-lib %s --agents innocent",
           plugin("pacer"));
  cr_expect_eq(run_cli(args, &out, &err), 2);
  cr_expect(strstr(err, "unknown agent 'innocent'"), "%s", err);
  free(out), free(err);
}

Test(plugins, an_invalid_package_is_a_protocol_violation_naming_the_party) {
  char args[8192], *out, *err;
  snprintf(args, sizeof args,
           "negotiate --json --trace --agent-lib %s --agents "
           "boulware,cheat,boulware",
           plugin("cheat"));
  cr_assert_eq(run_cli(args, &out, &err), 0, "%s", err);
  json_t *j = parse(out);
  json_t *reason = json_object_get(j, "reason");
  cr_expect_str_eq(json_string_value(json_object_get(reason, "kind")),
                   "protocol-violation");
  /* The built-in talks: party 1 is Ukraine. */
  cr_expect_str_eq(json_string_value(json_object_get(reason, "by")), "Ukraine");
  json_decref(j);
  free(out), free(err);
}

/* A tournament configuration in a fresh folder: the plug-ins by absolute
 * path, the Laptop domain from tests/data. */
static char *write_config(char *dir, const char *libs, const char *agents) {
  cr_assert_not_null(mkdtemp(dir));
  static char path[4200];
  snprintf(path, sizeof path, "%s/tour.json", dir);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fprintf(f,
          "{\"parley_tournament\": 1, \"name\": \"plugins\",\n"
          " \"agent_libs\": [%s],\n"
          " \"scenarios\": [\"%s\"],\n"
          " \"agents\": [%s], \"rounds\": 50, \"repetitions\": 2, "
          "\"seed\": 3}\n",
          libs, data_path("genius/Laptop"), agents);
  fclose(f);
  return path;
}

Test(plugins, a_tournament_config_loads_plugins) {
  char dir[] = "/tmp/parley-plugins-XXXXXX", libs[8400], args[8192];
  snprintf(libs, sizeof libs, "\"%s\", \"%s\"", plugin("pacer"),
           plugin("cheat"));
  const char *cfg =
      write_config(dir, libs, "\"pacer:e=0.5\", \"cheat\", \"boulware\"");
  char *out, *err;
  snprintf(args, sizeof args, "tournament %s --out %s/res --threads 2", cfg,
           dir);
  cr_assert_eq(run_cli(args, &out, &err), 0, "%s", err);
  /* 3 agents, 2 parties, both role orders, no self-play: 6 assignments,
   * 2 repetitions: 12 rows. Every row with the cheat ends in its
   * violation; the others go on. */
  char res[4200];
  snprintf(res, sizeof res, "%s/res", dir);
  pl_diag *d = pl_diag_new();
  pl_tournament_rows *rows = pl_tournament_rows_load(res, d);
  cr_assert_not_null(rows);
  cr_assert_eq(pl_tournament_rows_count(rows), 12);
  size_t cheats = 0, violations = 0, pacer = 0;
  for (size_t i = 0; i < 12; i++) {
    const char *row = pl_tournament_row_json(rows, i, NULL);
    cr_expect_eq(pl_tournament_row_index(rows, i), i);
    cheats += strstr(row, "\"cheat\"") != NULL;
    pacer += strstr(row, "\"pacer:e=0.5\"") != NULL;
    violations += strstr(row, "protocol-violation") != NULL;
  }
  cr_expect_eq(cheats, 8);
  cr_expect_eq(pacer, 8);
  cr_expect_eq(violations, cheats);
  pl_tournament_rows_free(rows);
  pl_diag_free(d);
  free(out), free(err);
  snprintf(args, sizeof args, "rm -rf '%s'", dir);
  cr_expect_eq(system(args), 0);
}

Test(plugins, a_bad_agent_lib_in_a_config_names_the_line) {
  char dir[] = "/tmp/parley-plugins-XXXXXX", libs[8400], args[8192];
  snprintf(libs, sizeof libs, "\"%s\"", plugin("wrong_abi"));
  const char *cfg = write_config(dir, libs, "\"boulware\", \"conceder\"");
  char *out, *err;
  snprintf(args, sizeof args, "tournament %s --out %s/res", cfg, dir);
  cr_expect_eq(run_cli(args, &out, &err), 2);
  char where[4400];
  snprintf(where, sizeof where, "%s:2:", cfg); /* line 2: "agent_libs" */
  cr_expect(strstr(err, where), "%s", err);
  cr_expect(strstr(err, "agent ABI version"), "%s", err);
  free(out), free(err);
  snprintf(args, sizeof args, "rm -rf '%s'", dir);
  cr_expect_eq(system(args), 0);
}

/* ---- Agents of the caller's process -------------------------------------- */

/* Offers its best outcome until `t` passes the parameter, then walks out:
 * easy to recognise in a result. It takes 3 ms a turn, so that a
 * tournament lasts long enough to be cancelled midway. */
static pl_act quitter_act(void *state, pl_self *me, double t,
                          const uint32_t *table, uint32_t *offer) {
  double *quit_at = state;
  (void)table;
  nanosleep(&(struct timespec){.tv_nsec = 3000000}, NULL);
  if (t >= *quit_at)
    return PL_ACT_END;
  return pl_self_ranked(me, 0, offer) ? PL_ACT_OFFER : PL_ACT_END;
}

static bool quitter_start(void *state, pl_self *me, const double *p, char *msg,
                          size_t len) {
  (void)me, (void)msg, (void)len;
  *(double *)state = p[0];
  return true;
}

static const pl_param_spec QUIT_PARAMS[] = {
    {"at", 0.5, 0, 1, "time at which it walks out"}, {NULL, 0, 0, 0, NULL}};
static const pl_agent_class QUITTER = {.name = "quitter",
                                       .summary = "walks out (test)",
                                       .params = QUIT_PARAMS,
                                       .state_size = sizeof(double),
                                       .start = quitter_start,
                                       .act = quitter_act};

static void register_quitter(void) {
  pl_diag *d = pl_diag_new();
  cr_assert_eq(pl_agent_register(&QUITTER, d), PL_OK);
  cr_assert_eq(pl_agent_register(&QUITTER, d), PL_OK, "twice is a no-op");
  pl_diag_free(d);
}

Test(registry, a_registered_agent_is_used_by_name_with_parameters) {
  size_t before = pl_agent_count();
  register_quitter();
  cr_expect_eq(pl_agent_count(), before + 1);
  cr_expect_eq(pl_agent_at(before), &QUITTER);
  cr_expect_eq(pl_agent_find("QUITTER"), &QUITTER, "names ignore case");
  cr_expect_null(pl_agent_at(before + 1));
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_builtin("talks", d);
  pl_negotiation_options o;
  pl_negotiation_options_init(&o);
  o.agents = "boulware,quitter:at=0.1,boulware";
  pl_status st;
  pl_negotiation *n = pl_negotiate(s, &o, d, &st);
  cr_assert_not_null(n);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  pl_negotiation_write_json(n, f);
  fclose(f);
  json_t *j = parse(buf);
  json_t *reason = json_object_get(j, "reason");
  cr_expect_str_eq(json_string_value(json_object_get(reason, "kind")),
                   "walk-out");
  cr_expect_str_eq(json_string_value(json_object_get(reason, "by")), "Ukraine");
  /* Walking out at t >= 0.1 of 100 rounds: in round 11 (t = 10/100). */
  cr_expect_eq(json_integer_value(json_object_get(j, "rounds")), 11);
  json_decref(j);
  free(buf);
  pl_negotiation_free(n);
  pl_scenario_free(s);
  pl_diag_free(d);
}

Test(registry, bad_classes_and_taken_names_are_refused) {
  pl_diag *d = pl_diag_new();
  pl_agent_class c = QUITTER;
  c.name = "boulware";
  cr_expect_eq(pl_agent_register(&c, d), PL_EINPUT);
  c.name = "has space";
  cr_expect_eq(pl_agent_register(&c, d), PL_EINPUT);
  c.name = "noact";
  c.act = NULL;
  cr_expect_eq(pl_agent_register(&c, d), PL_EINPUT);
  cr_assert_eq(pl_diag_count(d), 3);
  cr_expect_str_eq(pl_diag_get(d, 0).message,
                   "agent name 'boulware' is already taken by the built-in "
                   "agent 'boulware'");
  cr_expect(strstr(pl_diag_get(d, 1).message, "is not a name"));
  cr_expect_str_eq(pl_diag_get(d, 2).message,
                   "agent 'noact' has no act function");
  cr_expect_null(pl_agent_find("noact"));
  pl_diag_free(d);
}

/* ---- Tournaments as a library call --------------------------------------- */

typedef struct watch {
  uint64_t calls, last, total;
  volatile sig_atomic_t *cancel;
  uint64_t cancel_at;
} watch;

static void on_progress(void *ctx, uint64_t done, uint64_t total) {
  watch *w = ctx;
  cr_expect_geq(done, w->last, "progress never goes back");
  w->calls++;
  w->last = done;
  w->total = total;
  if (w->cancel && done >= w->cancel_at)
    *w->cancel = 1;
}

Test(tournament_api, run_with_progress_cancel_and_resume) {
  register_quitter();
  char dir[] = "/tmp/parley-tourapi-XXXXXX", out[4200], args[8400];
  const char *cfg = write_config(dir, "",
                                 "\"boulware\", \"quitter:at=0.3\", "
                                 "\"conceder\", \"micro\"");
  snprintf(out, sizeof out, "%s/res", dir);
  pl_diag *d = pl_diag_new();
  pl_tournament *t = pl_tournament_load(cfg, NULL, d);
  cr_assert_not_null(t);
  /* 4 agents, both role orders: 12 assignments x 2 repetitions. */
  cr_expect_eq(pl_tournament_total(t), 24);
  cr_expect_str_eq(pl_tournament_name(t), "plugins");
  volatile sig_atomic_t cancel = 0;
  watch w = {.cancel = &cancel, .cancel_at = 0}; /* at the start */
  pl_tournament_options o;
  pl_tournament_options_init(&o);
  o.out = out;
  o.threads = 1;
  o.cancel = &cancel;
  o.progress = on_progress;
  o.progress_ctx = &w;
  pl_status st;
  pl_tournament_summary *s = pl_tournament_run(t, &o, d, &st);
  cr_assert_not_null(s, "status %d", st);
  pl_tournament_run_info run = pl_tournament_summary_run(s);
  cr_expect(run.interrupted);
  cr_expect_lt(pl_tournament_summary_done(s), 24);
  cr_expect_eq(w.total, 24);
  pl_tournament_summary_free(s);
  pl_tournament_free(t);

  /* Resume: the rest is played, and the summary is the folder's. */
  t = pl_tournament_open(out, d);
  cr_assert_not_null(t);
  w = (watch){0};
  o.cancel = NULL;
  o.resume = true;
  s = pl_tournament_run(t, &o, d, &st);
  cr_assert_not_null(s);
  run = pl_tournament_summary_run(s);
  cr_expect_not(run.interrupted);
  cr_expect_eq(run.done_before + run.played, 24);
  cr_expect_gt(run.done_before, 0);
  cr_expect_eq(w.last, 24);
  cr_expect_eq(pl_tournament_summary_done(s), 24);
  cr_assert_eq(pl_tournament_summary_num_agents(s), 4);

  /* The standings equal summary.json, written by the run. */
  size_t need = pl_tournament_summary_json(s, NULL, 0);
  char *json = malloc(need + 1);
  cr_assert_eq(pl_tournament_summary_json(s, json, need + 1), need);
  json_t *j = parse(json);
  json_t *ranking = json_object_get(j, "agents");
  cr_assert_eq(json_array_size(ranking), 4, "%s", json);
  for (size_t i = 0; i < 4; i++) {
    pl_tournament_standing g;
    cr_assert(pl_tournament_summary_standing(s, i, &g));
    json_t *r = json_array_get(ranking, i);
    cr_expect_str_eq(g.agent, json_string_value(json_object_get(r, "agent")));
    cr_expect_eq(g.rank, json_integer_value(json_object_get(r, "rank")));
    cr_expect_eq(g.seats, json_integer_value(json_object_get(r, "n")));
    /* summary.json writes 12 significant digits (docs/analysis.md,
     * "Precision"); utilities lie in [0, 1] */
    json_t *u = json_object_get(r, "utility");
    cr_expect_float_eq(g.utility.mean,
                       json_real_value(json_object_get(u, "mean")), 5e-12);
    cr_expect_float_eq(
        g.utility.lo,
        json_real_value(json_array_get(json_object_get(u, "ci95"), 0)), 5e-12);
  }
  cr_expect_not(
      pl_tournament_summary_standing(s, 4, &(pl_tournament_standing){0}));
  pl_tournament_summary *again = pl_tournament_summary_load(out, d);
  cr_assert_not_null(again);
  char *json2 = malloc(need + 1);
  pl_tournament_summary_json(again, json2, need + 1);
  cr_expect_str_eq(json, json2, "the folder's summary is the run's");
  json_decref(j);
  free(json), free(json2);
  pl_tournament_summary_free(again);
  pl_tournament_summary_free(s);
  pl_tournament_free(t);
  pl_diag_free(d);
  snprintf(args, sizeof args, "rm -rf '%s'", dir);
  cr_expect_eq(system(args), 0);
}
