/* test_genius.c - the GENIUS XML reader (src/io/genius_read.c) and the
 * pl_scenario_load dispatcher (src/io/load.c).
 *
 * Expected utilities are worked out by hand from the files in
 * tests/data/genius (copies of real ANAC folders, see SOURCES.md there),
 * following shared/reference/genius-semantics.md: weights as written,
 * discrete evaluations divided by the issue's largest evaluation in the
 * profile, integer evaluators clip01(offset + slope * (x - lowerbound)),
 * the sum capped at 1; the raw (NegMAS) reading keeps the evaluations as
 * written and does not cap. Each expected value is written as the same sum,
 * in issue order, that the reader computes, so most comparisons are exact
 * up to 1e-12.
 *
 * Broken files are written to a temporary folder; each line of a test file
 * is one C string literal ending in "\n", so line N of the file is the
 * N-th literal, and the expected line numbers can be read off the source.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/scenario_io.h"
#include "model/scenario.h"
#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Helpers ------------------------------------------------------------- */

static void log_problems(const pl_diag *d) {
  for (size_t i = 0; i < pl_diag_count(d); i++) {
    pl_problem p = pl_diag_get(d, i);
    cr_log_info("problem %zu: %s:%d:%d: %s", i + 1, p.file ? p.file : "-",
                p.line, p.column, p.message);
  }
}

/* Loads paths through the public entry point; fails the test when they
 * do not load. */
static pl_scenario *load_paths(const char *const *paths, size_t n, bool raw) {
  pl_load_options o = {.raw_evaluations = raw};
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load(paths, n, &o, d);
  if (!s) {
    log_problems(d);
    cr_assert_fail("%s did not load", paths[0]);
  }
  cr_assert_eq(pl_diag_count(d), 0, "loaded with problems");
  pl_diag_free(d);
  return s;
}

static char *test_data(const char *name) {
  return strdup(data_path(name)); /* data_path reuses one buffer */
}

/* One of tests/data/genius, read as a folder. */
static pl_scenario *load_folder(const char *folder, bool raw) {
  char name[256];
  snprintf(name, sizeof name, "genius/%s", folder);
  char *path = test_data(name);
  const char *paths[] = {path};
  pl_scenario *s = load_paths(paths, 1, raw);
  free(path);
  return s;
}

/* Paths that must not load; returns the problems (caller frees). */
static pl_diag *load_fails(const char *const *paths, size_t n) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = pl_scenario_load(paths, n, NULL, d);
  if (s) {
    pl_scenario_free(s);
    cr_assert_fail("%s loaded but should have been rejected", paths[0]);
  }
  cr_assert_gt(pl_diag_count(d), 0, "rejected without a message");
  log_problems(d);
  return d;
}

/* The problem whose message contains `needle`; fails when there is none. */
static pl_problem find(const pl_diag *d, const char *needle) {
  for (size_t i = 0; i < pl_diag_count(d); i++) {
    pl_problem p = pl_diag_get(d, i);
    if (p.message && strstr(p.message, needle))
      return p;
  }
  log_problems(d);
  cr_assert_fail("no problem mentions \"%s\"", needle);
  return (pl_problem){0};
}

/* The problem mentioning `needle` is in a file ending with `file`, at
 * `line` (and `col` when not 0). */
static void expect(const pl_diag *d, const char *needle, const char *file,
                   int line, int col) {
  pl_problem p = find(d, needle);
  cr_assert_not_null(p.file, "\"%s\" names no file", needle);
  size_t a = strlen(p.file), b = strlen(file);
  cr_assert(a >= b && !strcmp(p.file + a - b, file),
            "\"%s\" is reported in %s, expected %s", needle, p.file, file);
  cr_assert_eq(p.line, line, "\"%s\": line %d, expected %d", needle, p.line,
               line);
  if (col)
    cr_assert_eq(p.column, col, "\"%s\": column %d, expected %d", needle,
                 p.column, col);
}

static double utility(const pl_scenario *s, uint32_t party,
                      const uint32_t *values) {
  return pl_party_utility(s, party, values);
}

/* A fresh temporary folder; remove it with rm_dir. */
static char *make_dir(void) {
  char tmpl[] = "/tmp/parley-genius-XXXXXX";
  char *dir = mkdtemp(tmpl);
  cr_assert_not_null(dir, "cannot create a temporary folder");
  return strdup(dir);
}

static void rm_dir(char *dir) {
  DIR *dp = opendir(dir);
  struct dirent *e;
  while (dp && (e = readdir(dp))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    unlink(path);
  }
  if (dp)
    closedir(dp);
  rmdir(dir);
  free(dir);
}

/* Writes `text` to dir/name; returns the path (caller frees). */
static char *write_file(const char *dir, const char *name, const char *text) {
  char *path = malloc(strlen(dir) + strlen(name) + 2);
  sprintf(path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f, "cannot write %s", path);
  fputs(text, f);
  fclose(f);
  return path;
}

/* `text` with the first occurrence of `from` replaced (caller frees). */
static char *replace(const char *text, const char *from, const char *to) {
  const char *hit = strstr(text, from);
  cr_assert_not_null(hit, "test bug: \"%s\" not in the text", from);
  size_t a = (size_t)(hit - text), b = strlen(from), c = strlen(to);
  char *out = malloc(strlen(text) - b + c + 1);
  memcpy(out, text, a);
  memcpy(out + a, to, c);
  strcpy(out + a + c, hit + b);
  return out;
}

/* ---- A small domain and profile for the broken-file tests ---------------- */

static const char DOMAIN[] =
    "<negotiation_template>\n"                               /* 1 */
    "<utility_space number_of_issues=\"2\">\n"               /* 2 */
    "<objective index=\"0\" name=\"root\">\n"                /* 3 */
    "<issue index=\"1\" name=\"color\" type=\"discrete\">\n" /* 4 */
    "<item index=\"1\" value=\"red\"/>\n"                    /* 5 */
    "<item index=\"2\" value=\"blue\"/>\n"                   /* 6 */
    "</issue>\n"                                             /* 7 */
    "<issue index=\"2\" name=\"size\" type=\"integer\" "
    "lowerbound=\"1\" upperbound=\"3\"/>\n" /* 8 */
    "</objective>\n"                        /* 9 */
    "</utility_space>\n"                    /* 10 */
    "</negotiation_template>\n";            /* 11 */

static const char PROFILE[] =
    "<utility_space>\n"                                      /* 1 */
    "<objective index=\"0\" name=\"root\">\n"                /* 2 */
    "<issue index=\"1\" name=\"color\" type=\"discrete\">\n" /* 3 */
    "<item value=\"red\" evaluation=\"2\"/>\n"               /* 4 */
    "<item value=\"blue\" evaluation=\"4\"/>\n"              /* 5 */
    "</issue>\n"                                             /* 6 */
    "<issue index=\"2\" name=\"size\" type=\"integer\" "
    "lowerbound=\"1\" upperbound=\"3\">\n"                       /* 7 */
    "<evaluator ftype=\"linear\" slope=\"0.5\" offset=\"0\"/>\n" /* 8 */
    "</issue>\n"                                                 /* 9 */
    "<weight index=\"1\" value=\"0.6\"/>\n"                      /* 10 */
    "<weight index=\"2\" value=\"0.4\"/>\n"                      /* 11 */
    "</objective>\n"                                             /* 12 */
    "<reservation value=\"0.25\"/>\n"                            /* 13 */
    "<discount_factor value=\"0.9\"/>\n"                         /* 14 */
    "</utility_space>\n";                                        /* 15 */

/* A folder with the domain, a good profile "a.xml" and `bad` as "b.xml";
 * returns the problems of loading it. */
static pl_diag *folder_with(const char *bad) {
  char *dir = make_dir();
  free(write_file(dir, "domain.xml", DOMAIN));
  free(write_file(dir, "a.xml", PROFILE));
  free(write_file(dir, "b.xml", bad));
  const char *paths[] = {dir};
  pl_diag *d = load_fails(paths, 1);
  rm_dir(dir);
  return d;
}

/* The same with a profile derived from PROFILE by one replacement. */
static pl_diag *profile_with(const char *from, const char *to) {
  char *bad = replace(PROFILE, from, to);
  pl_diag *d = folder_with(bad);
  free(bad);
  return d;
}

/* ---- Every copied folder loads ------------------------------------------- */

typedef struct folder_case {
  const char *name;
  uint32_t parties, issues;
  uint64_t outcomes; /* product of the issues' sizes, worked out below */
} folder_case;

static const folder_case FOLDERS[] = {
    {"Laptop", 2, 3, 27},                /* 3 * 3 * 3 */
    {"IntegerDomain", 2, 2, 121},        /* 11 * 11 (-5..5 twice) */
    {"AMPOvsCity", 2, 10, 1944000},      /* 6*5*6*5*3*4*3*6*2*5 */
    {"10issues", 2, 10, 10000000000ULL}, /* 10^10 (0..9 ten times) */
    {"group2-dinner", 3, 5, 1200},       /* 2 * 4 * 6 * 5 * 5 */
    {"Camera2011", 2, 6, 3600},          /* 5 * 4 * 3 * 3 * 5 * 4 */
    {"ItexvsCypress", 2, 4, 180},        /* 5 * 4 * 3 * 3 */
};

Test(genius, copied_folders_load) {
  for (size_t k = 0; k < sizeof FOLDERS / sizeof *FOLDERS; k++) {
    const folder_case *c = &FOLDERS[k];
    pl_scenario *s = load_folder(c->name, false);
    cr_assert_str_eq(pl_scenario_name(s), c->name);
    cr_assert_str_eq(pl_scenario_reading(s), "genius");
    cr_assert_eq(pl_scenario_num_parties(s), c->parties, "%s", c->name);
    cr_assert_eq(pl_scenario_num_issues(s), c->issues, "%s", c->name);
    uint64_t n, product = 1;
    cr_assert(pl_scenario_num_outcomes(s, &n));
    for (uint32_t i = 0; i < pl_scenario_num_issues(s); i++)
      product *= pl_issue_num_values(s, i);
    cr_assert_eq(n, product, "%s", c->name);
    cr_assert_eq(n, c->outcomes, "%s: %llu outcomes", c->name,
                 (unsigned long long)n);
    pl_scenario_free(s);
  }
}

Test(genius, laptop_issues_in_domain_order) {
  pl_scenario *s = load_folder("Laptop", false);
  cr_assert_str_eq(pl_issue_name(s, 0), "Laptop");
  cr_assert_str_eq(pl_issue_name(s, 1), "Harddisk");
  cr_assert_str_eq(pl_issue_name(s, 2), "External Monitor");
  char buf[64];
  pl_issue_value_text(s, 0, 2, buf, sizeof buf);
  cr_assert_str_eq(buf, "HP");
  pl_issue_value_text(s, 2, 0, buf, sizeof buf);
  cr_assert_str_eq(buf, "19'' LCD");
  /* Parties in natural order of the file names, named after them. */
  cr_assert_str_eq(pl_party_name(s, 0), "Laptop-C-prof1");
  cr_assert_str_eq(pl_party_name(s, 1), "Laptop-C-prof2");
  cr_assert_eq(s->actors[0].party, -1);
  cr_assert(strstr(s->actors[0].file, "Laptop-C-prof1.xml"));
  cr_assert_eq(s->actors[0].threshold, 0.0);
  cr_assert_eq(s->actors[0].discount, 1.0);
  pl_scenario_free(s);
}

/* ---- Laptop: discrete evaluations, both readings ------------------------- */

/* Laptop-C-prof1: weights (Laptop, Harddisk, Monitor) as written; their sum
 * is 1.0000518, not 1, and is not normalised. */
static const double W1[] = {0.4452125771655631, 0.37808251708013424,
                            0.1767567099260568};
/* Laptop-C-prof2: the same three numbers in another order. */
static const double W2[] = {0.37808251708013424, 0.1767567099260568,
                            0.4452125771655631};

Test(genius, laptop_genius_reading) {
  pl_scenario *s = load_folder("Laptop", false);
  /* Value indices: Laptop Dell 0, Macintosh 1, HP 2; Harddisk 60 Gb 0,
   * 80 Gb 1, 120 Gb 2; Monitor 19'' 0, 20'' 1, 23'' 2. */
  const uint32_t best1[] = {2, 0, 0}, best2[] = {1, 1, 0};
  const uint32_t dell_80_20[] = {0, 1, 1}, hp_60_19[] = {2, 0, 0};
  const uint32_t dell_120_23[] = {0, 2, 2};
  /* prof1 evaluations: Laptop 12, 20, 30 (max 30); Harddisk 30, 20, 9
   * (max 30); Monitor 30, 10, 20 (max 30). Its best bid (HP, 60 Gb, 19'')
   * scores every issue 1: W1[0] + W1[1] + W1[2] = 1.0000518, capped to
   * exactly 1. */
  cr_assert(W1[0] + W1[1] + W1[2] > 1.00005);
  cr_assert_eq(utility(s, 0, best1), 1.0);
  /* (Dell, 80 Gb, 20''): 12/30, 20/30, 10/30. */
  double u = W1[0] * (12.0 / 30) + W1[1] * (20.0 / 30) + W1[2] * (10.0 / 30);
  cr_assert_float_eq(utility(s, 0, dell_80_20), u, 1e-12);
  cr_assert_float_eq(u, 0.48906, 1e-5);
  /* prof2 evaluations: Laptop 12, 30, 20 (max 30); Harddisk 20, 30, 9 (max
   * 30); Monitor 3, 2, 1 (max 3). Best (Macintosh, 80 Gb, 19'') is capped
   * at 1 too. (HP, 60 Gb, 19''): 20/30, 20/30, 3/3 = 0.8151053951697. */
  cr_assert_eq(utility(s, 1, best2), 1.0);
  u = W2[0] * (20.0 / 30) + W2[1] * (20.0 / 30) + W2[2] * 1.0;
  cr_assert_float_eq(utility(s, 1, hp_60_19), u, 1e-12);
  cr_assert_float_eq(u, 0.8151053951697, 1e-12);
  /* (Dell, 120 Gb, 23''): 12/30, 9/30, 1/3. */
  u = W2[0] * (12.0 / 30) + W2[1] * (9.0 / 30) + W2[2] * (1.0 / 3);
  cr_assert_float_eq(utility(s, 1, dell_120_23), u, 1e-12);
  /* What is kept for writing the profile back. */
  const pl_actor *a = &s->actors[0];
  cr_assert(a->capped);
  cr_assert_eq(a->genius[0].kind, PL_EVAL_DISCRETE);
  cr_assert_eq(a->genius[0].raw[0], 12.0);
  cr_assert_eq(a->genius[0].raw[2], 30.0);
  cr_assert_eq(a->weights[1], W1[1]);
  cr_assert_eq(a->values[1][2], 9.0 / 30);
  cr_assert_eq(a->shapes[0], PL_SHAPE_TABLE);
  pl_scenario_free(s);
}

Test(genius, laptop_raw_reading) {
  pl_scenario *s = load_folder("Laptop", true);
  cr_assert_str_eq(pl_scenario_reading(s), "raw");
  cr_assert_not(s->actors[0].capped);
  /* Raw: evaluations as written, no cap. prof1's best bid:
   * 30 W1[0] + 30 W1[1] + 30 W1[2] = 30.001554. */
  const uint32_t best1[] = {2, 0, 0}, dell_120_23[] = {0, 2, 2};
  double u = 30 * W1[0] + 30 * W1[1] + 30 * W1[2];
  cr_assert_float_eq(utility(s, 0, best1), u, 1e-12);
  cr_assert_float_eq(u, 30.001554, 1e-6);
  /* prof2 (Dell, 120 Gb, 23''): 12 W2[0] + 9 W2[1] + 1 W2[2] = 6.573013. */
  u = 12 * W2[0] + 9 * W2[1] + 1 * W2[2];
  cr_assert_float_eq(utility(s, 1, dell_120_23), u, 1e-12);
  cr_assert_float_eq(u, 6.573013, 1e-6);
  pl_scenario_free(s);
}

Test(genius, readings_differ_on_laptop) {
  pl_scenario *g = load_folder("Laptop", false);
  pl_scenario *r = load_folder("Laptop", true);
  /* GENIUS = raw / issue max, so for every bid where no issue's max is 1
   * the raw utility is larger; on (Dell, 60 Gb, 19'') prof1 reads
   * 12 W1[0] + 30 W1[1] + 30 W1[2] raw against 12/30 W1[0] + W1[1] + W1[2]. */
  const uint32_t bid[] = {0, 0, 0};
  double ug = W1[0] * (12.0 / 30) + W1[1] * 1.0 + W1[2] * 1.0;
  double ur = 12 * W1[0] + 30 * W1[1] + 30 * W1[2];
  cr_assert_float_eq(utility(g, 0, bid), ug, 1e-12);
  cr_assert_float_eq(utility(r, 0, bid), ur, 1e-12);
  cr_assert_neq(utility(g, 0, bid), utility(r, 0, bid));
  pl_scenario_free(g);
  pl_scenario_free(r);
}

/* ---- IntegerDomain: lower-bound shift and clipping ----------------------- */

Test(genius, integer_domain) {
  pl_scenario *s = load_folder("IntegerDomain", false);
  /* price and otherprice: -5..5, value index v is the number v - 5. */
  cr_assert_eq(pl_issue_num_values(s, 0), 11);
  cr_assert_eq(s->issues[0].numbers[0], -5.0);
  /* prof1: price 0.75 * clip(0.3 + 0.08 (x + 5)), otherprice
   * 0.25 * clip(0.0 + 0.1 (x + 5)). */
  const uint32_t lowest[] = {0, 0}, highest[] = {10, 10};
  const uint32_t mid[] = {5, 7}, clipped[] = {9, 0};
  /* (-5, -5): 0.75 * 0.3 + 0.25 * 0 = 0.225 (without the shift, price
   * would be 0.3 - 0.4 < 0 and score 0). */
  cr_assert_float_eq(utility(s, 0, lowest), 0.75 * 0.3, 1e-12);
  /* (5, 5): price 0.3 + 0.8 = 1.1 clipped to 1; other 1.0 -> 1. */
  cr_assert_float_eq(utility(s, 0, highest), 1.0, 1e-12);
  /* (0, 2): 0.3 + 0.08 * 5 = 0.7 and 0.1 * 7 = 0.7 -> 0.7. */
  cr_assert_float_eq(utility(s, 0, mid), 0.75 * 0.7 + 0.25 * 0.7, 1e-12);
  /* (4, -5): 0.3 + 0.08 * 9 = 1.02 clipped to 1 -> 0.75. */
  cr_assert_float_eq(utility(s, 0, clipped), 0.75, 1e-12);
  /* prof2: 0.25 * 0.1 (x + 5) + 0.75 * 0.1 (y + 5). (0, 2): 0.125 + 0.525. */
  cr_assert_float_eq(utility(s, 1, lowest), 0.0, 1e-12);
  cr_assert_float_eq(utility(s, 1, mid), 0.25 * 0.5 + 0.75 * 0.7, 1e-12);
  /* discount_factor 0.0 means no discount. */
  cr_assert_eq(s->actors[0].discount, 1.0);
  const pl_genius_eval *g = &s->actors[0].genius[0];
  cr_assert_eq(g->kind, PL_EVAL_INTEGER);
  cr_assert_eq(g->slope, 0.08);
  cr_assert_eq(g->offset, 0.3);
  cr_assert_eq(g->lowerbound, -5.0);
  cr_assert_eq(g->upperbound, 5.0);
  pl_scenario_free(s);
  /* Integer evaluators read the same in the raw reading. */
  s = load_folder("IntegerDomain", true);
  cr_assert_float_eq(utility(s, 0, mid), 0.75 * 0.7 + 0.25 * 0.7, 1e-12);
  pl_scenario_free(s);
}

/* ---- AMPOvsCity: a value listed twice ------------------------------------ */

Test(genius, ampo_duplicate_value_last_wins) {
  pl_scenario *s = load_folder("AMPOvsCity", false);
  cr_assert_str_eq(pl_party_name(s, 0), "ampo_vs_city_ampo_space");
  /* AMPO lists "0" of "Increase in starting salaries" with evaluation 0,
   * then 8: the 8 counts, and the issue's largest is 100. */
  cr_assert_str_eq(pl_issue_name(s, 0), "Increase in starting salaries");
  cr_assert_eq(s->actors[0].genius[0].raw[0], 8.0);
  cr_assert_float_eq(s->actors[0].values[0][0], 0.08, 1e-15);
  /* Every issue at its first domain value: salaries "0" 8/100; the next
   * six issues and Sergeants score 0; "Commisioner Daniels" lists Fire
   * first in the template but Keep first in the profile, so values match
   * by name: Fire is 100/100; "Disband" is 100/100. Weights 0.457, 0.07,
   * 0.097. */
  uint32_t bid[10] = {0};
  double u = 0.457 * 0.08 + 0.07 * 1.0 + 0.097 * 1.0;
  cr_assert_float_eq(utility(s, 0, bid), u, 1e-12);
  /* City: salaries "0" 100/100 (0.13), Max. Salary 0-500 100/100 (0.019),
   * and the rest at their first values. */
  cr_assert_float_eq(s->actors[1].values[0][0], 1.0, 1e-15);
  pl_scenario_free(s);
}

/* ---- 10issues: non-linear profiles --------------------------------------- */

Test(genius, tenissues_hyper_rectangles) {
  pl_scenario *s = load_folder("10issues", false);
  /* pareto.xml (text lines "u1, u2") is skipped without a problem. */
  cr_assert_eq(pl_scenario_num_parties(s), 2);
  cr_assert_str_eq(pl_party_name(s, 0), "profile-1");
  cr_assert_str_eq(pl_issue_name(s, 0), "c1-i10");
  uint32_t zeros[10] = {0}, nines[10], fives[10];
  for (int i = 0; i < 10; i++)
    nines[i] = 9, fives[i] = 5;
  /* The reference's exact values. */
  cr_assert_float_eq(utility(s, 0, zeros), 186.0 / 662, 1e-12);
  cr_assert_float_eq(utility(s, 1, zeros), 530.0 / 885, 1e-12);
  cr_assert_float_eq(utility(s, 0, nines), 13.0 / 662, 1e-12);
  cr_assert_float_eq(utility(s, 1, nines), 193.0 / 885, 1e-12);
  /* All 5, by hand from the rectangles: profile-1 contains it in those
   * worth 42, 27, 94, 56, 10, 45, 1, 9, 93 (377); profile-2 in 73, 85, 94,
   * 79, 89, 9, 41, 91, 62, 57, 67, 4, 74 (825). */
  cr_assert_float_eq(utility(s, 0, fives), 377.0 / 662, 1e-12);
  cr_assert_float_eq(utility(s, 1, fives), 825.0 / 885, 1e-12);
  /* The first rectangle of profile-1: utility 97, INCLUDES index 2 (issue
   * 1) 7..9, index 4 (issue 3) 2..7, ... as value indices (bounds 0..9). */
  const pl_actor *a = &s->actors[0];
  cr_assert_eq(a->nboxes, 20);
  cr_assert_eq(a->box_scale, 1.0 / 662);
  cr_assert_eq(a->boxes[0].utility, 97.0);
  cr_assert_eq(a->boxes[0].nranges, 4);
  cr_assert_eq(a->boxes[0].issue[0], 1);
  cr_assert_eq(a->boxes[0].lo[0], 7);
  cr_assert_eq(a->boxes[0].hi[0], 9);
  cr_assert_eq(a->boxes[0].issue[1], 3);
  cr_assert_eq(a->boxes[0].lo[1], 2);
  cr_assert_eq(a->boxes[0].hi[1], 7);
  cr_assert_null(a->values[0]);
  cr_assert_eq(a->weights[0], 0.0);
  cr_assert(a->capped);
  pl_scenario_free(s);
}

/* ---- Order of the parties ------------------------------------------------ */

static char *read_data(const char *name) {
  char *path = test_data(name);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot read %s", path);
  free(path);
  char *buf = calloc(1, 1 << 16);
  size_t n = fread(buf, 1, (1 << 16) - 1, f);
  buf[n] = 0;
  fclose(f);
  return buf;
}

Test(genius, natural_order_of_profiles) {
  char *dom = read_data("genius/Laptop/Laptop-C-domain.xml");
  char *p1 = read_data("genius/Laptop/Laptop-C-prof1.xml");
  char *p2 = read_data("genius/Laptop/Laptop-C-prof2.xml");
  char *dir = make_dir();
  /* Names chosen so that the domain sorts last and byte order would put
   * prof10 before prof2. */
  free(write_file(dir, "zz-domain.xml", dom));
  free(write_file(dir, "prof10.xml", p1));
  free(write_file(dir, "prof2.xml", p2));
  free(write_file(dir, "prof1.xml", p1));
  free(write_file(dir, "notes.txt", "not read: not *.xml"));
  const char *paths[] = {dir};
  pl_scenario *s = load_paths(paths, 1, false);
  cr_assert_eq(pl_scenario_num_parties(s), 3);
  cr_assert_str_eq(pl_party_name(s, 0), "prof1");
  cr_assert_str_eq(pl_party_name(s, 1), "prof2");
  cr_assert_str_eq(pl_party_name(s, 2), "prof10");
  const uint32_t hp_60_19[] = {2, 0, 0};
  cr_assert_eq(utility(s, 2, hp_60_19), 1.0); /* prof10 is prof1 */
  pl_scenario_free(s);
  rm_dir(dir);
  free(dom), free(p1), free(p2);
}

Test(genius, explicit_files_in_given_order) {
  char *dom = test_data("genius/Laptop/Laptop-C-domain.xml");
  char *p1 = test_data("genius/Laptop/Laptop-C-prof1.xml");
  char *p2 = test_data("genius/Laptop/Laptop-C-prof2.xml");
  const char *paths[] = {dom, p2, p1};
  pl_scenario *s = load_paths(paths, 3, false);
  cr_assert_str_eq(pl_scenario_name(s), "Laptop-C-domain");
  cr_assert_str_eq(pl_party_name(s, 0), "Laptop-C-prof2");
  cr_assert_str_eq(pl_party_name(s, 1), "Laptop-C-prof1");
  pl_scenario_free(s);
  /* The same profile twice (self-play): names stay distinct. */
  const char *twice[] = {dom, p1, p1};
  s = load_paths(twice, 3, false);
  cr_assert_str_eq(pl_party_name(s, 0), "Laptop-C-prof1");
  cr_assert_str_eq(pl_party_name(s, 1), "Laptop-C-prof1-2");
  pl_scenario_free(s);
  free(dom), free(p1), free(p2);
}

/* ---- The small domain: a valid pair, then broken ones -------------------- */

Test(genius, small_domain_loads) {
  char *dir = make_dir();
  free(write_file(dir, "domain.xml", DOMAIN));
  free(write_file(dir, "a.xml", PROFILE));
  free(write_file(dir, "b.xml", PROFILE));
  const char *paths[] = {dir};
  pl_scenario *s = load_paths(paths, 1, false);
  /* color: red 2/4, blue 4/4, weight 0.6; size 1..3: 0.5 (x - 1), 0.4. */
  const uint32_t red_1[] = {0, 0}, blue_3[] = {1, 2}, blue_2[] = {1, 1};
  cr_assert_float_eq(utility(s, 0, red_1), 0.6 * 0.5 + 0.4 * 0.0, 1e-12);
  cr_assert_float_eq(utility(s, 0, blue_3), 0.6 * 1.0 + 0.4 * 1.0, 1e-12);
  cr_assert_float_eq(utility(s, 0, blue_2), 0.6 * 1.0 + 0.4 * 0.5, 1e-12);
  cr_assert_eq(s->actors[0].threshold, 0.25);
  cr_assert_eq(s->actors[0].discount, 0.9);
  pl_scenario_free(s);
  rm_dir(dir);
}

Test(genius, malformed_xml) {
  /* Line 5 lacks its "/": expat finds the mismatch at </issue> on line 6. */
  pl_diag *d = profile_with("evaluation=\"4\"/>", "evaluation=\"4\">");
  expect(d, "malformed XML", "b.xml", 6, 3);
  pl_diag_free(d);
}

Test(genius, unreadable_file) {
  char *dir = make_dir();
  char *dom = write_file(dir, "domain.xml", DOMAIN);
  char *a = write_file(dir, "a.xml", PROFILE);
  char missing[4200];
  snprintf(missing, sizeof missing, "%s/missing.xml", dir);
  const char *paths[] = {dom, a, missing};
  pl_diag *d = load_fails(paths, 3);
  pl_problem p = find(d, "cannot open");
  cr_assert_str_eq(p.file, missing);
  pl_diag_free(d);
  /* pl_genius_load itself reports it too. */
  d = pl_diag_new();
  cr_assert_null(pl_genius_load(paths, 3, PL_READING_GENIUS, d));
  find(d, "cannot open");
  pl_diag_free(d);
  free(dom), free(a);
  rm_dir(dir);
}

Test(genius, folder_without_domain) {
  char *dir = make_dir();
  free(write_file(dir, "a.xml", PROFILE));
  free(write_file(dir, "b.xml", PROFILE));
  const char *paths[] = {dir};
  pl_diag *d = load_fails(paths, 1);
  pl_problem p = find(d, "no GENIUS domain in the folder");
  cr_assert_str_eq(p.file, dir);
  pl_diag_free(d);
  rm_dir(dir);
}

Test(genius, folder_with_two_domains) {
  char *dir = make_dir();
  free(write_file(dir, "d1.xml", DOMAIN));
  free(write_file(dir, "d2.xml", DOMAIN));
  free(write_file(dir, "a.xml", PROFILE));
  free(write_file(dir, "b.xml", PROFILE));
  const char *paths[] = {dir};
  pl_diag *d = load_fails(paths, 1);
  expect(d, "second domain", "d2.xml", 1, 1);
  pl_diag_free(d);
  rm_dir(dir);
}

Test(genius, too_few_profiles) {
  char *dir = make_dir();
  free(write_file(dir, "domain.xml", DOMAIN));
  const char *paths[] = {dir};
  pl_diag *d = load_fails(paths, 1);
  find(d, "no profile; a GENIUS scenario needs a domain and at least two");
  pl_diag_free(d);
  char *a = write_file(dir, "a.xml", PROFILE);
  d = load_fails(paths, 1);
  find(d, "only one profile");
  pl_diag_free(d);
  /* Explicit files: a domain and one profile. */
  char dom[4200];
  snprintf(dom, sizeof dom, "%s/domain.xml", dir);
  const char *two[] = {dom, a};
  d = load_fails(two, 2);
  find(d, "only one profile");
  pl_diag_free(d);
  free(a);
  rm_dir(dir);
}

Test(genius, profile_of_another_domain) {
  /* The issue at index 1 is called "colour" in the profile (line 3). */
  pl_diag *d = profile_with("name=\"color\"", "name=\"colour\"");
  expect(d, "another domain", "b.xml", 3, 1);
  pl_diag_free(d);
  /* An issue index the domain does not have. */
  d = profile_with("<issue index=\"2\"", "<issue index=\"5\"");
  expect(d, "issue index 5 ('size') is not in the domain", "b.xml", 7, 1);
  pl_diag_free(d);
}

Test(genius, weight_for_unknown_issue) {
  pl_diag *d = profile_with("<weight index=\"2\"", "<weight index=\"7\"");
  expect(d, "weight for unknown issue index 7", "b.xml", 11, 1);
  /* The issue left without a weight is reported as well. */
  find(d, "no <weight> for issue 'size'");
  pl_diag_free(d);
}

Test(genius, negative_weight) {
  pl_diag *d = profile_with("value=\"0.6\"", "value=\"-0.6\"");
  expect(d, "cannot be negative", "b.xml", 10, 1);
  pl_diag_free(d);
}

Test(genius, evaluation_for_unknown_value) {
  pl_diag *d = profile_with("value=\"blue\"", "value=\"green\"");
  expect(d, "'green' is not a value of issue 'color'", "b.xml", 5, 1);
  /* blue then has no evaluation. */
  find(d, "value 'blue' of issue 'color' has no evaluation");
  pl_diag_free(d);
}

Test(genius, non_numeric_attributes) {
  pl_diag *d = profile_with("evaluation=\"2\"", "evaluation=\"two\"");
  expect(d, "'evaluation' of <item> is \"two\"; expected a number", "b.xml", 4,
         1);
  pl_diag_free(d);
  d = profile_with("slope=\"0.5\"", "slope=\"0,5\"");
  expect(d, "'slope' of <evaluator> is \"0,5\"", "b.xml", 8, 1);
  pl_diag_free(d);
  d = profile_with("<reservation value=\"0.25\"", "<reservation value=\"x\"");
  expect(d, "'value' of <reservation>", "b.xml", 13, 1);
  pl_diag_free(d);
}

Test(genius, missing_attributes) {
  pl_diag *d = profile_with("<weight index=\"1\" value=\"0.6\"/>",
                            "<weight index=\"1\"/>");
  expect(d, "<weight> has no 'value' attribute", "b.xml", 10, 1);
  pl_diag_free(d);
  d = profile_with(" slope=\"0.5\"", "");
  expect(d, "<evaluator> has no 'slope' attribute", "b.xml", 8, 1);
  pl_diag_free(d);
}

Test(genius, several_problems_in_one_pass) {
  char *bad = replace(PROFILE, "value=\"0.6\"", "value=\"-1\"");
  char *worse = replace(bad, "evaluation=\"2\"", "evaluation=\"?\"");
  pl_diag *d = folder_with(worse);
  expect(d, "cannot be negative", "b.xml", 10, 1);
  expect(d, "expected a number", "b.xml", 4, 1);
  pl_diag_free(d);
  free(bad), free(worse);
}

Test(genius, dtd_and_entities_refused) {
  char *bad = NULL;
  const char *head = "<?xml version=\"1.0\"?>\n"
                     "<!DOCTYPE utility_space [\n"
                     "  <!ENTITY lol \"lol\">\n"
                     "]>\n";
  bad = malloc(strlen(head) + sizeof PROFILE);
  strcpy(bad, head);
  strcat(bad, PROFILE);
  pl_diag *d = folder_with(bad);
  /* Expat calls back once it has read the DOCTYPE's name: line 2. */
  expect(d, "DOCTYPE", "b.xml", 2, 0);
  pl_diag_free(d);
  free(bad);
  /* Without a DTD an entity reference is simply undefined (expat points
   * at the start of the element whose attribute holds it). */
  d = profile_with("value=\"blue\"", "value=\"&lol;\"");
  expect(d, "malformed XML: undefined entity", "b.xml", 5, 1);
  pl_diag_free(d);
}

Test(genius, wrong_files_in_explicit_order) {
  char *dir = make_dir();
  char *dom = write_file(dir, "domain.xml", DOMAIN);
  char *a = write_file(dir, "a.xml", PROFILE);
  char *txt = write_file(dir, "pareto.xml", "0.5, 0.5\n1.0, 0.1\n");
  /* A profile first. */
  const char *p_first[] = {a, dom, a};
  pl_diag *d = load_fails(p_first, 3);
  expect(d, "not a domain", "a.xml", 1, 1);
  expect(d, "this is a domain, not a profile", "domain.xml", 1, 1);
  pl_diag_free(d);
  /* A text file among the profiles: named, not skipped. */
  const char *with_txt[] = {dom, a, txt};
  d = load_fails(with_txt, 3);
  find(d, "not an XML file");
  pl_diag_free(d);
  /* One XML file alone. */
  const char *alone[] = {dom};
  d = load_fails(alone, 1);
  find(d, "a GENIUS scenario needs a domain and at least two profiles, or a "
          "folder");
  pl_diag_free(d);
  /* A folder among files. */
  const char *mixed[] = {dom, a, dir};
  d = load_fails(mixed, 3);
  find(d, "a folder must be given alone");
  pl_diag_free(d);
  free(dom), free(a), free(txt);
  rm_dir(dir);
}

/* ---- Shapes the ANAC folders do not use ---------------------------------- */

Test(genius, real_issue_and_nested_objectives) {
  char *dir = make_dir();
  free(write_file(dir, "domain.xml",
                  "<negotiation_template>\n"
                  "<agent name=\"a\" class=\"x\" utility_space=\"p1.xml\"/>\n"
                  "<utility_space>\n"
                  "<objective index=\"0\" name=\"root\">\n"
                  "<objective index=\"1\" name=\"money\">\n"
                  "<issue index=\"2\" name=\"price\" type=\"real\">\n"
                  "<range lowerbound=\"0\" upperbound=\"10\"/>\n"
                  "</issue>\n"
                  "</objective>\n"
                  "<issue index=\"3\" name=\"when\" type=\"discrete\">\n"
                  "<item value=\"now\"/><item value=\"later\"/>\n"
                  "<similarity_function type=\"binary\" weight=\"0.5\"/>\n"
                  "</issue>\n"
                  "</objective>\n"
                  "<discount_factor><value>0.5</value></discount_factor>\n"
                  "</utility_space>\n"
                  "</negotiation_template>\n"));
  const char *profile =
      "<utility_space>\n"
      "<objective index=\"0\" name=\"root\">\n"
      "<objective index=\"1\" name=\"money\">\n"
      "<issue index=\"2\" name=\"price\" type=\"real\" lowerbound=\"0\" "
      "upperbound=\"10\">\n"
      "<evaluator ftype=\"linear\" parameter0=\"0.2\" parameter1=\"0.05\"/>\n"
      "</issue>\n"
      "<weight index=\"2\" value=\"0.5\"/>\n"
      "</objective>\n"
      "<issue index=\"3\" name=\"when\">\n"
      "<item value=\"now\" evaluation=\"1\" cost=\"3\"/>\n"
      "<item value=\"later\" evaluation=\"0\"/>\n"
      "</issue>\n"
      "<weight index=\"1\" value=\"0.9\"/>\n"
      "<weight index=\"3\" value=\"0.5\"/>\n"
      "</objective>\n"
      "</utility_space>\n";
  free(write_file(dir, "p1.xml", profile));
  free(write_file(dir, "p2.xml", profile));
  const char *paths[] = {dir};
  pl_scenario *s = load_paths(paths, 1, false);
  /* Leaves in document order; the real issue has GENIUS's 21 values. */
  cr_assert_str_eq(pl_issue_name(s, 0), "price");
  cr_assert_str_eq(pl_issue_name(s, 1), "when");
  cr_assert_eq(pl_issue_num_values(s, 0), 21);
  cr_assert_eq(s->issues[0].numbers[0], 0.0);
  cr_assert_eq(s->issues[0].numbers[20], 10.0);
  cr_assert_float_eq(s->issues[0].numbers[4], 2.0, 1e-15);
  /* price: 0.05 x + 0.2 (no shift); weight 0.5; the weight of objective 1
   * is ignored, as in GENIUS. x = 2 (index 4), now: 0.5 * 0.3 + 0.5 * 1. */
  const uint32_t bid[] = {4, 0};
  cr_assert_float_eq(utility(s, 0, bid), 0.5 * (0.05 * 2 + 0.2) + 0.5 * 1.0,
                     1e-12);
  cr_assert_eq(s->actors[0].genius[0].kind, PL_EVAL_REAL);
  cr_assert_eq(s->actors[0].genius[0].slope, 0.05);
  cr_assert_eq(s->actors[0].genius[0].offset, 0.2);
  pl_scenario_free(s);
  rm_dir(dir);
}

Test(genius, integer_issue_without_evaluator_scores_zero) {
  char *dir = make_dir();
  char *p =
      replace(PROFILE,
              "<evaluator ftype=\"linear\" slope=\"0.5\" offset=\"0\"/>\n", "");
  free(write_file(dir, "domain.xml", DOMAIN));
  free(write_file(dir, "a.xml", p));
  free(write_file(dir, "b.xml", PROFILE));
  const char *paths[] = {dir};
  pl_scenario *s = load_paths(paths, 1, false);
  const uint32_t blue_3[] = {1, 2};
  cr_assert_float_eq(utility(s, 0, blue_3), 0.6, 1e-12);
  cr_assert_eq(s->actors[0].genius[1].kind, PL_EVAL_NONE);
  pl_scenario_free(s);
  rm_dir(dir);
  free(p);
}

Test(genius, nonlinear_errors) {
  char *dir = make_dir();
  free(write_file(dir, "domain.xml", DOMAIN));
  free(write_file(dir, "a.xml", PROFILE));
  free(write_file(dir, "b.xml",
                  "<utility_space type=\"nonlinear\">\n"            /* 1 */
                  "<objective index=\"0\" name=\"root\">\n"         /* 2 */
                  "<utility maxutility=\"10\">\n"                   /* 3 */
                  "<ufun type=\"PlainUfun\" aggregation=\"sum\">\n" /* 4 */
                  "<hyperRectangle utility=\"4\">\n"                /* 5 */
                  "<INCLUDES index=\"9\" min=\"1\" max=\"2\"/>\n"   /* 6 */
                  "<INCLUDES index=\"1\" min=\"1\" max=\"2\"/>\n"   /* 7 */
                  "</hyperRectangle>\n"                             /* 8 */
                  "<hyperRectangle utility=\"4\">\n"                /* 9 */
                  "<EXCLUDES index=\"2\" min=\"1\" max=\"2\"/>\n"   /* 10 */
                  "</hyperRectangle>\n"                             /* 11 */
                  "</ufun>\n"
                  "</utility>\n"
                  "</objective>\n"
                  "</utility_space>\n"));
  const char *paths[] = {dir};
  pl_diag *d = load_fails(paths, 1);
  expect(d, "INCLUDES refers to unknown issue index 9", "b.xml", 6, 1);
  expect(d, "INCLUDES on issue 'color', which is discrete", "b.xml", 7, 1);
  expect(d, "EXCLUDES ranges", "b.xml", 10, 1);
  pl_diag_free(d);
  rm_dir(dir);
}

Test(genius, profile_without_weight_or_evaluation) {
  pl_diag *d = profile_with("<weight index=\"2\" value=\"0.4\"/>\n", "");
  expect(d, "no <weight> for issue 'size' (index 2)", "b.xml", 7, 1);
  pl_diag_free(d);
  d = profile_with("<item value=\"blue\" evaluation=\"4\"/>\n", "");
  expect(d, "value 'blue' of issue 'color' has no evaluation", "b.xml", 3, 1);
  pl_diag_free(d);
}

/* ---- The dispatcher ------------------------------------------------------ */

Test(genius, dispatch_json_file) {
  char *dir = make_dir();
  char *path = write_file(
      dir, "s.txt", /* content decides, not the name */
      "  {\"parley\": 1, \"issues\": [{\"name\": \"x\", \"type\": "
      "\"categorical\", \"options\": [\"a\", \"b\"]}], \"parties\": ["
      "{\"name\": \"p\", \"weights\": {\"x\": 1}, \"values\": {\"x\": "
      "{\"a\": 1, \"b\": 0}}},"
      "{\"name\": \"q\", \"weights\": {\"x\": 1}, \"values\": {\"x\": "
      "{\"a\": 0, \"b\": 1}}}]}\n");
  const char *paths[] = {path};
  pl_scenario *s = load_paths(paths, 1, true);
  cr_assert_str_eq(pl_scenario_reading(s), "parley");
  pl_scenario_free(s);
  char *junk = write_file(dir, "junk", "hello\n");
  const char *bad[] = {junk};
  pl_diag *d = load_fails(bad, 1);
  find(d, "not a scenario");
  pl_diag_free(d);
  free(path), free(junk);
  rm_dir(dir);
}

/* ---- All shared folders -------------------------------------------------- */

#define SHARED "/work/shared/scenarios/genius"

Test(genius, all_shared_folders_load) {
  DIR *dp = opendir(SHARED);
  if (!dp)
    cr_skip_test("%s is not here", SHARED);
  struct dirent *e;
  int folders = 0;
  while ((e = readdir(dp))) {
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", SHARED, e->d_name);
    if (e->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
      continue;
    for (int raw = 0; raw < 2; raw++) {
      const char *paths[] = {path};
      pl_scenario *s = load_paths(paths, 1, raw);
      cr_assert_geq(pl_scenario_num_parties(s), 2, "%s", path);
      pl_scenario_free(s);
    }
    folders++;
  }
  closedir(dp);
  cr_assert_geq(folders, 19, "%d folders", folders);
}
