/* test_report.c - the HTML report and its SVG plots (docs/report.md):
 * golden pages, well-formed SVG (xmllint), escaping of scenario names,
 * determinism, the density binning, who blocks, and the command line's
 * errors (unwritable outputs, a JSON that is not a negotiation). */
#define _POSIX_C_SOURCE 200809L
#include "analysis/density.h"
#include "io/report.h"
#include "parley_report.h"
#include "support.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <float.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Helpers ------------------------------------------------------------ */

/* The page of an analysis of `s` with `threads` threads. */
static char *analysis_page(const pl_scenario *s, unsigned threads) {
  pl_diag *d = pl_diag_new();
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = threads;
  pl_status st;
  pl_analysis *a = pl_analyze(s, &o, d, &st);
  cr_assert(a, "analysis failed");
  pl_report *r = pl_report_new("test");
  cr_assert_eq(pl_report_add_analysis(r, a, d), PL_OK);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  cr_assert_eq(pl_report_write_html(r, f), PL_OK);
  fclose(f);
  pl_report_free(r);
  pl_analysis_free(a);
  pl_diag_print(d, stderr);
  pl_diag_free(d);
  return text;
}

static pl_scenario *builtin_talks(void) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_builtin("talks", d);
  pl_diag_free(d);
  cr_assert(s);
  return s;
}

static pl_scenario *laptop(void) {
  pl_diag *d = pl_diag_new();
  const char *path = data_path("genius/Laptop");
  pl_scenario *s = pl_scenario_load(&path, 1, NULL, d);
  pl_diag_print(d, stderr);
  pl_diag_free(d);
  cr_assert(s);
  return s;
}

/* Runs xmllint on `len` bytes of text; true when well-formed. */
static bool xmllint_ok(const char *text, size_t len) {
  FILE *p = popen("xmllint --noout - 2>&1", "w");
  cr_assert(p, "cannot run xmllint (Debian libxml2-utils)");
  fwrite(text, 1, len, p);
  return pclose(p) == 0;
}

/* Checks every top-level <svg> of an HTML page: well-formed (xmllint),
 * the SVG namespace, not nested, no script, no HTML entity (only numeric
 * character references), ASCII only. Returns how many there are. */
static size_t check_svgs(const char *html) {
  size_t n = 0;
  for (const char *p = strstr(html, "<svg"); p; p = strstr(p, "<svg")) {
    const char *end = strstr(p, "</svg>");
    cr_assert(end, "an <svg> is not closed");
    end += strlen("</svg>");
    size_t len = (size_t)(end - p);
    cr_assert(!strncmp(p, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39),
              "plot %zu does not declare the SVG namespace", n);
    char *svg = strndup(p, len);
    cr_assert(!strstr(svg + 4, "<svg"), "plot %zu has a nested <svg>", n);
    cr_assert(!strstr(svg, "<script"), "plot %zu has a script", n);
    for (const char *c = svg; *c; c++) {
      cr_assert((unsigned char)*c < 0x80, "plot %zu is not ASCII", n);
      if (*c == '&')
        cr_assert(c[1] == '#', "plot %zu has an entity: %.12s", n, c);
    }
    cr_assert(xmllint_ok(svg, len), "xmllint rejects plot %zu", n);
    free(svg);
    n++;
    p = end;
  }
  return n;
}

/* No external resource: no http(s) URL in any src or href. */
static void check_self_contained(const char *html) {
  for (const char *p = html; (p = strstr(p, "http")); p++) {
    const char *q = p;
    while (q > html && q[-1] != ' ' && q[-1] != '<')
      q--;
    cr_assert(strncmp(q, "src=", 4) && strncmp(q, "href=", 5),
              "external resource: %.60s", q);
  }
}

/* ---- Golden pages ------------------------------------------------------- */

/* The golden files are the pages as reviewed (the talks page is described
 * in docs/report.md); after an intended change of the plots regenerate
 * them with
 *   build-test/parley report -o tests/data/report/talks.html
 *   build-test/parley report tests/data/genius/Laptop \
 *       -o tests/data/report/laptop.html
 * and look at the difference before committing it. */
static void check_golden(const char *page, const char *golden) {
  char *want = read_text_file(data_path(golden));
  cr_assert(want, "missing golden file %s", golden);
  if (strcmp(page, want)) {
    size_t k = 0;
    while (page[k] && page[k] == want[k])
      k++;
    cr_assert_fail("%s differs at byte %zu: got '%.80s', want '%.80s'", golden,
                   k, page + k, want + k);
  }
  free(want);
}

static char *cli_page(const char *args) {
  char path[] = "/tmp/parley-report-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  char cmd[4096];
  char *err = NULL;
  snprintf(cmd, sizeof cmd, "report %s -o %s", args, path);
  int rc = run_cli(cmd, NULL, &err);
  cr_assert_eq(rc, 0, "parley %s: %s", cmd, err);
  free(err);
  char *page = read_text_file(path);
  unlink(path);
  return page;
}

Test(report, talks_page_matches_golden_file) {
  char *page = cli_page("");
  check_golden(page, "report/talks.html");
  free(page);
}

Test(report, genius_folder_page_matches_golden_file) {
  char args[1024];
  snprintf(args, sizeof args, "%s", data_path("genius/Laptop"));
  char *page = cli_page(args);
  check_golden(page, "report/laptop.html");
  free(page);
}

/* ---- What the talks page says ------------------------------------------- */

Test(report, talks_page_states_verdict_blockers_and_marks) {
  pl_scenario *s = builtin_talks();
  char *page = analysis_page(s, 0);
  /* docs/default-scenario.md: the zone is empty, donbas blocks alone,
   * delta* = 0.070 opens it, the US proposal is on the table. */
  cr_assert(strstr(page, "Verdict: no package can be accepted by every "
                         "party and ratified as the talks stand."));
  cr_assert(strstr(page, "<td>donbas</td><td class=\"n\">0.200</td>"));
  cr_assert(strstr(page, "delta* = 0.070"));
  cr_assert(strstr(page, "US proposal"));
  cr_assert(strstr(page, "concession package"));
  /* 3 parties: pairwise projections and parallel coordinates */
  cr_assert(strstr(page, "id=\"outcome-pairs\""));
  cr_assert(strstr(page, "id=\"frontier-parallel\""));
  cr_assert(strstr(page, "id=\"who-blocks\""));
  cr_assert_eq(check_svgs(page), 6);
  check_self_contained(page);
  free(page);
  pl_scenario_free(s);
}

/* Who blocks on donbas, recomputed here by brute force over the 8,100
 * packages: for each value of donbas the package with that value that
 * keeps every constraint and red line and has the largest smallest margin
 * u - threshold, and each actor's shortfall there. */
Test(report, who_blocks_shortfalls_match_brute_force) {
  pl_scenario *s = builtin_talks();
  char *page = analysis_page(s, 1);
  int32_t donbas = pl_find_issue(s, "donbas");
  cr_assert(donbas >= 0);
  uint64_t n;
  pl_scenario_num_outcomes(s, &n);
  for (uint32_t val = 0; val < s->issues[donbas].nvalues; val++) {
    double best = -DBL_MAX;
    uint64_t arg = 0;
    uint32_t v[PL_MAX_ISSUES];
    for (uint64_t o = 0; o < n; o++) {
      pl_index_to_values(s, o, v);
      if (v[donbas] != val)
        continue;
      pl_verdicts vd;
      pl_judge(s, v, &vd);
      bool ok = vd.feasible;
      double m = DBL_MAX;
      for (uint32_t p = 0; p < pl_num_actors(s); p++) {
        ok &= p >= s->nparties || vd.red_ok[p];
        double margin = vd.u[p] - s->actors[p].threshold;
        m = margin < m ? margin : m;
      }
      if (ok && m > best)
        best = m, arg = o;
    }
    pl_index_to_values(s, arg, v);
    char want[2000], num[32];
    size_t len = (size_t)snprintf(
        want, sizeof want,
        "With donbas = %s: falling short: ", s->issues[donbas].labels[val]);
    bool first = true;
    for (uint32_t p = 0; p < pl_num_actors(s); p++) {
      double sh = s->actors[p].threshold - pl_actor_utility(s, p, v);
      if (sh > PL_EPS) {
        snprintf(num, sizeof num, "%.3f", sh);
        len += (size_t)snprintf(want + len, sizeof want - len, "%s%s by %s",
                                first ? "" : ", ", s->actors[p].name, num);
        first = false;
      }
    }
    cr_assert(strstr(page, want), "the page does not say: %s", want);
  }
  /* and the settlement needing least concession needs delta* (0.070) */
  cr_assert(strstr(page, "With donbas = demilitarised free economic zone: "
                         "falling short: Russia by 0.070."));
  free(page);
  pl_scenario_free(s);
}

/* ---- Determinism -------------------------------------------------------- */

Test(report, same_bytes_for_any_thread_count_and_run) {
  pl_scenario *s = builtin_talks();
  char *a = analysis_page(s, 1), *b = analysis_page(s, 2),
       *c = analysis_page(s, 2);
  cr_assert_str_eq(a, b);
  cr_assert_str_eq(b, c);
  free(a), free(b), free(c);
  pl_scenario_free(s);
}

/* ---- Escaping ----------------------------------------------------------- */

static const char HOSTILE[] =
    "{\"parley\": 1, \"name\": \"hostile\", \"title\": \"<b>T&amp;</b>\","
    " \"issues\": [{\"name\": \"x<y\", \"type\": \"categorical\","
    "  \"options\": [\"<i>a</i>\", \"b\\\"'\", \"caf\\u00e9\"]}],"
    " \"parties\": ["
    "  {\"name\": \"<script>alert(1)</script>\", \"reservation\": 0.1,"
    "   \"weights\": {\"x<y\": 1},"
    "   \"values\": {\"x<y\": {\"<i>a</i>\": 1, \"b\\\"'\": 0.6,"
    "                \"caf\\u00e9\": 0.2}}},"
    "  {\"name\": \"Q&A \\u00e9\", \"reservation\": 0.1,"
    "   \"weights\": {\"x<y\": 1},"
    "   \"values\": {\"x<y\": {\"<i>a</i>\": 0, \"b\\\"'\": 0.5,"
    "                \"caf\\u00e9\": 1}}}],"
    " \"proposals\": [{\"name\": \"</svg><script>\","
    "   \"outcome\": {\"x<y\": \"caf\\u00e9\"}}]}";

Test(report, names_from_scenarios_stay_text) {
  pl_scenario *s = load_ok(HOSTILE);
  char *page = analysis_page(s, 1);
  /* the page's own script is the only one */
  const char *first = strstr(page, "<script");
  cr_assert(first);
  cr_assert_null(strstr(first + 1, "<script"));
  cr_assert(strstr(page, "&#60;script&#62;alert(1)&#60;/script&#62;"));
  cr_assert(strstr(page, "Q&#38;A &#233;"));
  cr_assert(strstr(page, "&#60;/svg&#62;&#60;script&#62;"));
  cr_assert_null(strstr(page, "<i>"));
  /* deal space, outcome space, proposals (the zone is open) */
  cr_assert_eq(check_svgs(page), 3);
  free(page);
  pl_scenario_free(s);
}

/* ---- Density binning ---------------------------------------------------- */

static pl_density *bin(const pl_scenario *s, unsigned threads,
                       uint64_t max_walk) {
  pl_density_options o = {.nx = 40,
                          .ny = 30,
                          .nactors = 3,
                          .actors = {0, 1, 2},
                          .lo = 0,
                          .hi = 1,
                          .max_walk = max_walk,
                          .samples = 5000,
                          .seed = 9,
                          .threads = threads};
  pl_diag *d = pl_diag_new();
  pl_density *g = pl_density_bin(s, &o, d);
  pl_diag_free(d);
  cr_assert(g);
  return g;
}

static uint64_t grid_sum(const uint64_t *c, uint32_t pair) {
  uint64_t sum = 0;
  for (size_t k = 0; k < 40 * 30; k++)
    sum += c[pair * 40 * 30 + k];
  return sum;
}

Test(report, density_counts_every_feasible_package_once) {
  pl_scenario *s = builtin_talks();
  pl_density *g1 = bin(s, 1, 1000000), *g2 = bin(s, 2, 1000000);
  cr_assert_not(g1->sampled);
  cr_assert_eq(g1->visited, 8100);
  for (uint32_t pair = 0; pair < 3; pair++) {
    /* parley analyze: 4,320 feasible packages, an empty zone; every
     * utility of the talks lies in [0, 1] */
    cr_assert_eq(grid_sum(g1->feasible, pair), 4320);
    cr_assert_eq(grid_sum(g1->zone, pair), 0);
  }
  cr_assert_eq(memcmp(g1->feasible, g2->feasible, 3 * 40 * 30 * 8), 0);
  pl_density_free(g1), pl_density_free(g2);
  pl_scenario_free(s);
}

Test(report, density_sample_is_seeded_and_thread_independent) {
  pl_scenario *s = builtin_talks();
  pl_density *g1 = bin(s, 1, 100), *g2 = bin(s, 2, 100);
  cr_assert(g1->sampled);
  cr_assert_eq(g1->visited, 5000);
  uint64_t sum = grid_sum(g1->feasible, 0);
  /* about 4,320 / 8,100 of the draws are feasible: 2,667 expected,
   * standard deviation about 35 */
  cr_assert(sum > 2400 && sum < 2950, "feasible draws: %llu",
            (unsigned long long)sum);
  cr_assert_eq(memcmp(g1->feasible, g2->feasible, 3 * 40 * 30 * 8), 0);
  pl_density_free(g1), pl_density_free(g2);
  pl_scenario_free(s);
}

Test(report, density_rejects_bad_options) {
  pl_scenario *s = builtin_talks();
  pl_density_options o = {.nx = 0, .ny = 10, .nactors = 2, .hi = 1};
  pl_diag *d = pl_diag_new();
  cr_assert_null(pl_density_bin(s, &o, d));
  cr_assert_eq(pl_diag_count(d), 1);
  pl_diag_free(d);
  pl_scenario_free(s);
}

/* ---- Command line ------------------------------------------------------- */

typedef cli_result run;

static char *temp_dir(void) {
  char *dir = strdup("/tmp/parley-report-test-XXXXXX");
  cr_assert(mkdtemp(dir));
  return dir;
}

Test(report, svg_dir_holds_each_plot_alone) {
  char *dir = temp_dir();
  run r = cli_callf("report -o %s/t.html --svg %s/plots", dir, dir);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  char path[4200];
  snprintf(path, sizeof path, "%s/t.html", dir);
  char *page = read_text_file(path);
  const char *names[] = {"deal-space",        "who-blocks", "outcome-pairs",
                         "frontier-parallel", "proposals",  "concession"};
  for (int k = 0; k < 6; k++) {
    snprintf(path, sizeof path, "%s/plots/%s.svg", dir, names[k]);
    char *svg = read_text_file(path);
    cr_assert(svg, "missing %s", path);
    cr_assert(xmllint_ok(svg, strlen(svg)), "xmllint rejects %s", path);
    cr_assert(strstr(page, svg), "%s is not the page's plot", path);
    free(svg);
  }
  free(page);
  cli_result_free(&r);
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
  free(dir);
}

Test(report, unwritable_output_exits_4_and_writes_nothing) {
  char *dir = temp_dir();
  run r = cli_callf("report -o %s/missing/t.html", dir);
  cr_assert_eq(r.rc, 4); /* README: 4, output not written */
  cr_assert(strstr(r.err, "cannot write"), "%s", r.err);
  cli_result_free(&r);
  /* --svg under a file: nothing written, the page neither */
  char path[4200];
  snprintf(path, sizeof path, "%s/file", dir);
  FILE *f = fopen(path, "w");
  fclose(f);
  r = cli_callf("report -o %s/t.html --svg %s/file/plots", dir, dir);
  cr_assert_eq(r.rc, 4);
  snprintf(path, sizeof path, "%s/t.html", dir);
  cr_assert_neq(access(path, F_OK), 0);
  cli_result_free(&r);
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
  free(dir);
}

Test(report, not_a_negotiation_gives_the_schema_error_with_place) {
  char *dir = temp_dir();
  char path[4200];
  snprintf(path, sizeof path, "%s/run.json", dir);
  FILE *f = fopen(path, "w");
  /* line 3, column 21: the value of the first event's "round" */
  fputs("{\"schema_version\": 1, \"protocol\": \"saop\", \"parties\": "
        "[\"A\", \"B\"],\n\"agents\": [\"x\", \"y\"], \"rounds\": 1, "
        "\"reason\": {\"kind\": \"deadline\", \"by\": null},\n\"trace\": "
        "[{\"round\": \"one\", \"party\": \"A\", \"action\": \"offer\"}]}\n",
        f);
  fclose(f);
  run r = cli_callf("report --negotiation %s -o %s/t.html", path, dir);
  cr_assert_eq(r.rc, 2);
  char want[4400];
  snprintf(want, sizeof want,
           "%s:3:21: error: not a negotiation document "
           "(schema/negotiation.schema.json): \"round\" must be an integer",
           path);
  cr_assert(strstr(r.err, want), "got: %s", r.err);
  cli_result_free(&r);
  /* a scenario is not a negotiation either */
  r = cli_callf("report --negotiation %s -o %s/t.html",
                data_path("cli_small.json"), dir);
  cr_assert_eq(r.rc, 2);
  cr_assert(strstr(r.err, "cli_small.json:1:1: error: not a negotiation "
                          "document"),
            "got: %s", r.err);
  cli_result_free(&r);
  snprintf(path, sizeof path, "%s/t.html", dir);
  cr_assert_neq(access(path, F_OK), 0);
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
  free(dir);
}

Test(report, negotiation_report_live_and_from_json_agree) {
  char *dir = temp_dir();
  const char *lap = data_path("genius/Laptop");
  run r = cli_callf("negotiate %s --json --trace --output %s/run.json --report "
                    "%s/live.html",
                    lap, dir, dir);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  cli_result_free(&r);
  r = cli_callf("report %s --negotiation %s/run.json -o %s/saved.html", lap,
                dir, dir);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  cli_result_free(&r);
  char path[4200];
  snprintf(path, sizeof path, "%s/live.html", dir);
  char *live = read_text_file(path);
  snprintf(path, sizeof path, "%s/saved.html", dir);
  char *saved = read_text_file(path);
  cr_assert_eq(check_svgs(live), 2);
  cr_assert_eq(check_svgs(saved), 2);
  /* the same plane of offers, whichever the source */
  const char *a = strstr(live, "id=\"offers-plane\""),
             *b = strstr(saved, "id=\"offers-plane\"");
  cr_assert(a && b);
  size_t la = (size_t)(strstr(a, "</figure>") - a);
  cr_assert_eq(strncmp(a, b, la), 0);
  free(live), free(saved);
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
  free(dir);
}

Test(report, stability_and_tournament_reports) {
  char *dir = temp_dir();
  run r = cli_callf("stability --report %s/s.html", dir);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  cli_result_free(&r);
  char path[4200];
  snprintf(path, sizeof path, "%s/s.html", dir);
  char *page = read_text_file(path);
  cr_assert_eq(check_svgs(page), 1);
  cr_assert(strstr(page, "id=\"stability-graph\""));
  /* docs/stability.md: the built-in conflict's only Nash equilibrium */
  cr_assert(strstr(page, "Nash equilibria: 17."));
  free(page);
  r = cli_callf(
      "tournament %s/../../examples/tournament-small.json --threads 2 "
      "--out %s/t --report %s/t.html",
      PARLEY_TEST_DATA, dir, dir);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  cli_result_free(&r);
  snprintf(path, sizeof path, "%s/t.html", dir);
  page = read_text_file(path);
  cr_assert_eq(check_svgs(page), 3);
  cr_assert(strstr(page, "120 of 120 negotiations, 4 agents, 2 scenarios."));
  cr_assert(strstr(page, "id=\"tournament-heatmap\""));
  /* the same page from the folder, once the run is over */
  r = cli_callf("report --tournament %s/t -o %s/t2.html", dir, dir);
  cr_assert_eq(r.rc, 0, "%s", r.err);
  cli_result_free(&r);
  snprintf(path, sizeof path, "%s/t2.html", dir);
  char *again = read_text_file(path);
  cr_assert_str_eq(page, again);
  free(page), free(again);
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
  free(dir);
}

Test(report, help_names_options_and_an_example) {
  run r = cli_callf("report --help");
  cr_assert_eq(r.rc, 0);
  cr_assert(strstr(r.out, "--svg DIR"));
  cr_assert(strstr(r.out, "examples:"));
  cli_result_free(&r);
  r = cli_callf("report --bogus");
  cr_assert_eq(r.rc, 2);
  cli_result_free(&r);
}

Test(report, two_parties_get_the_utility_plane) {
  pl_scenario *s = laptop();
  char *page = analysis_page(s, 1);
  /* Laptop: 27 packages, a non-empty zone: no blocking section */
  cr_assert(strstr(page, "id=\"outcome-space\""));
  cr_assert_null(strstr(page, "id=\"who-blocks\""));
  cr_assert(strstr(page, "Verdict: 27 packages can be accepted"), "%.200s",
            strstr(page, "Verdict"));
  cr_assert(strstr(page, "Nash"));
  cr_assert_eq(check_svgs(page), 2);
  free(page);
  pl_scenario_free(s);
}
