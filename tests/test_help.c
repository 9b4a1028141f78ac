/* test_help.c - the help of every command (cli/cli.h): `parley CMD
 * --help`, `-h` and `parley help CMD` print the same text with purpose,
 * usage, options and examples (exit 0); the examples run; the man page is
 * generated from the same text; misspelt commands and options get a "did
 * you mean"; options that do not apply are refused, saying why; every range
 * error states the range. The commands are read from `parley help`, so a
 * command added later is checked without a change here. */
#define _POSIX_C_SOURCE 200809L
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_COMMANDS = 64 };

/* The names listed under "commands:" in `parley help`. */
static size_t listed_commands(char names[][32]) {
  char *out, *err;
  cr_assert_eq(run_cli("help", &out, &err), 0, "%s", err);
  char *p = strstr(out, "\ncommands:\n");
  cr_assert_not_null(p, "no command list in: %s", out);
  p += strlen("\ncommands:\n");
  size_t n = 0;
  while (p[0] == ' ' && p[1] == ' ' && n < MAX_COMMANDS) {
    cr_assert_eq(sscanf(p, " %31s", names[n]), 1);
    n++;
    p = strchr(p, '\n');
    cr_assert_not_null(p);
    p++;
  }
  free(out);
  free(err);
  return n;
}

Test(help, lists_every_command_with_its_purpose) {
  char names[MAX_COMMANDS][32];
  size_t n = listed_commands(names);
  static const char *const expected[] = {
      "analyze",   "validate", "scenarios",  "generate",  "convert",
      "negotiate", "agents",   "tournament", "stability", "help"};
  for (size_t k = 0; k < sizeof expected / sizeof expected[0]; k++) {
    bool found = false;
    for (size_t c = 0; c < n; c++)
      found |= !strcmp(names[c], expected[k]);
    cr_expect(found, "`parley help` does not list %s", expected[k]);
  }
  /* `parley --help` and `parley -h` are `parley help`. */
  char *a, *b, *c, *err;
  cr_expect_eq(run_cli("help", &a, &err), 0);
  free(err);
  cr_expect_eq(run_cli("--help", &b, &err), 0);
  free(err);
  cr_expect_eq(run_cli("-h", &c, &err), 0);
  free(err);
  cr_expect_str_eq(a, b);
  cr_expect_str_eq(a, c);
  /* Each command's line has a purpose after its name. */
  for (size_t k = 0; k < n; k++) {
    char line[64];
    snprintf(line, sizeof line, "\n  %-12s ", names[k]);
    char *at = strstr(a, line);
    cr_expect(at && at[strlen(line)] > ' ', "no purpose for %s", names[k]);
  }
  free(a), free(b), free(c);
}

/* Every line fits 80 columns. */
static void expect_narrow(const char *text, const char *what) {
  for (const char *p = text; *p;) {
    size_t len = strcspn(p, "\n");
    cr_expect_leq(len, 79, "%s: line of %zu columns: %.*s", what, len, (int)len,
                  p);
    p += len + (p[len] == '\n');
  }
}

Test(help, every_command_answers_help_and_h) {
  char names[MAX_COMMANDS][32];
  size_t n = listed_commands(names);
  cr_assert_geq(n, 10);
  for (size_t k = 0; k < n; k++) {
    char *help, *h, *via, *err;
    char args[64];
    snprintf(args, sizeof args, "%s --help", names[k]);
    cr_expect_eq(run_cli(args, &help, &err), 0, "parley %s", args);
    cr_expect_str_empty(err, "parley %s: %s", args, err);
    free(err);
    snprintf(args, sizeof args, "%s -h", names[k]);
    cr_expect_eq(run_cli(args, &h, &err), 0, "parley %s", args);
    free(err);
    snprintf(args, sizeof args, "help %s", names[k]);
    cr_expect_eq(run_cli(args, &via, &err), 0, "parley %s", args);
    free(err);
    cr_expect_str_eq(help, h, "%s: --help and -h differ", names[k]);
    cr_expect_str_eq(help, via, "%s: --help and `help` differ", names[k]);

    char head[64], usage[64];
    snprintf(head, sizeof head, "parley %s - ", names[k]);
    snprintf(usage, sizeof usage, "usage: parley %s", names[k]);
    cr_expect(!strncmp(help, head, strlen(head)), "%s", help);
    cr_expect(strstr(help, usage), "%s", help);
    cr_expect(strstr(help, "\nexamples:\n  parley "), "%s", help);
    expect_narrow(help, names[k]);
    free(help), free(h), free(via);
  }
}

/* The options' defaults are stated: spot checks against the library's
 * defaults (pl_negotiation_options_init: 100 rounds, seed 1; generate:
 * 3 parties, 4 issues, 5 values; PL_DEFAULT_MAX_OUTCOMES 10^8). */
Test(help, options_state_their_defaults) {
  static const struct {
    const char *cmd, *says;
  } cases[] = {
      {"negotiate", "--rounds N"},
      {"negotiate", "(default: 100)"},
      {"negotiate", "(default: saop)"},
      {"negotiate", "(default: boulware)"},
      {"generate", "--parties P"},
      {"generate", "(default: 3)"},
      {"generate", "(default: 5)"},
      {"analyze", "(default: 10^8)"},
      {"analyze", "(default: all cores)"},
      {"stability", "(default: nash,gmr,smr,seq)"},
      {"stability", "--horizon H"},
      {"convert", "--to parley|genius|geniusweb"},
      {"tournament", "--resume DIR"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    char *out, *err, args[64];
    snprintf(args, sizeof args, "%s --help", cases[k].cmd);
    cr_expect_eq(run_cli(args, &out, &err), 0);
    /* The text is wrapped: compare with every run of spaces as one. */
    char *w = out;
    for (char *r = out; *r; r++)
      if (!(*r == ' ' || *r == '\n') || (w > out && w[-1] != ' '))
        *w++ = *r == '\n' ? ' ' : *r;
    *w = 0;
    cr_expect(strstr(out, cases[k].says), "parley %s lacks '%s':\n%s", args,
              cases[k].says, out);
    free(out), free(err);
  }
}

/* The lines under "examples:" of one help text, one by one. */
static size_t examples_of(const char *help, char lines[][512], size_t max) {
  const char *p = strstr(help, "\nexamples:\n");
  size_t n = 0;
  if (!p)
    return 0;
  p += strlen("\nexamples:\n");
  while (p[0] == ' ' && p[1] == ' ' && n < max) {
    p += 2;
    size_t len = strcspn(p, "\n");
    snprintf(lines[n++], 512, "%.*s", (int)len, p);
    p += len + (p[len] == '\n');
  }
  return n;
}

/* Every example of every command runs as printed from the top of the
 * source tree (the state of a fresh clone plus the build). */
Test(help, examples_run, .timeout = 240) {
  char names[MAX_COMMANDS][32];
  size_t n = listed_commands(names);
  for (size_t k = 0; k < n; k++) {
    char *help, *err, args[64];
    snprintf(args, sizeof args, "%s --help", names[k]);
    cr_assert_eq(run_cli(args, &help, &err), 0);
    free(err);
    char lines[16][512];
    size_t m = examples_of(help, lines, 16);
    cr_expect_geq(m, 1, "%s has no example", names[k]);
    for (size_t e = 0; e < m; e++) {
      char *out;
      int rc = run_shell(lines[e], &out, &err);
      cr_expect_eq(rc, 0, "example of %s exits %d: %s\n%s", names[k], rc,
                   lines[e], err);
      free(out), free(err);
    }
    free(help);
  }
}

Test(help, man_page_has_every_command) {
  char names[MAX_COMMANDS][32];
  size_t n = listed_commands(names);
  char *man, *err;
  cr_assert_eq(run_cli("help --man", &man, &err), 0, "%s", err);
  cr_expect(!strncmp(man, ".\\\"", 3) && strstr(man, "\n.TH PARLEY 1 "),
            "%.200s", man);
  for (size_t k = 0; k < n; k++) {
    char section[64];
    snprintf(section, sizeof section, "\n.SS \"%s\"\n", names[k]);
    cr_expect(strstr(man, section), "no section for %s", names[k]);
  }
  /* Options are escaped for troff (\- for '-'), with their defaults. */
  cr_expect(strstr(man, ".BI \"\\-\\-rounds \" \"N\"\n"), "%s", man);
  cr_expect(strstr(man, "(default: 100)"));
  cr_expect(strstr(man, ".SH \"EXIT STATUS\""));
  /* No text line starts with a troff control character by accident. */
  for (const char *p = man; (p = strchr(p, '\n')); p++)
    if (p[1] == '\'')
      cr_expect_fail("a line starts with a quote: %.40s", p + 1);
  free(man), free(err);
}

Test(help, did_you_mean) {
  static const struct {
    const char *args, *says;
  } cases[] = {
      {"anlyze", "unknown command 'anlyze' (did you mean 'analyze'?)"},
      {"negotiat", "(did you mean 'negotiate'?)"},
      {"help stabilty", "(did you mean 'stability'?)"},
      {"analyze --jsn", "unknown option '--jsn' (did you mean '--json'?)"},
      {"negotiate --round 5", "(did you mean '--rounds'?)"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    char *out, *err;
    cr_expect_eq(run_cli(cases[k].args, &out, &err), 2, "%s", cases[k].args);
    cr_expect(strstr(err, cases[k].says), "parley %s: %s", cases[k].args, err);
    cr_expect_str_empty(out);
    free(out), free(err);
  }
  char *out, *err;
  cr_expect_eq(run_cli("xyzzyplugh", &out, &err), 2);
  cr_expect(strstr(err, "unknown command 'xyzzyplugh'\n"), "%s", err);
  free(out), free(err);
}

/* Issue 11, item 2: each of these used to exit 0 and ignore an option. */
Test(help, options_that_do_not_apply_are_refused) {
  static const struct {
    const char *args, *says;
  } cases[] = {
      {"negotiate --protocol saop --mediator tenant",
       "--mediator applies only to --protocol mediated"},
      {"negotiate --quota 1", "--quota applies only to --protocol mediated"},
      {"negotiate --anneal 2", "--anneal applies only to --protocol mediated"},
      {"negotiate --start-from X",
       "--start-from applies only to --protocol mediated"},
      {"negotiate --change 2", "--change applies only to --protocol mediated"},
      {"negotiate --rounds 5 --seconds 1",
       "--rounds and --seconds are two deadlines"},
      {"negotiate --trace", "--trace adds every action to the JSON output"},
      {"analyze --to genius", "--to does not apply to analyze (it is an "
                              "option of convert)"},
      {"analyze --rounds 3", "(it is an option of negotiate)"},
      {"validate talks --json", "--json does not apply to validate"},
      {"convert --to genius talks /tmp/x --output y",
       "--output goes with --to parley"},
      {"scenarios --threads 2", "--threads does not apply to scenarios"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    char *out, *err;
    cr_expect_eq(run_cli(cases[k].args, &out, &err), 2, "%s", cases[k].args);
    cr_expect(strstr(err, cases[k].says), "parley %s: %s", cases[k].args, err);
    cr_expect_str_empty(out, "parley %s", cases[k].args);
    free(out), free(err);
  }
}

/* Issue 20, item 5: every range error states the range. */
Test(help, range_errors_state_the_range) {
  static const struct {
    const char *args, *says;
  } cases[] = {
      {"negotiate --seconds 1e308",
       "--seconds takes a number of seconds above 0 and at most 1e9, not "
       "'1e308'"},
      {"negotiate --seconds 0", "above 0 and at most 1e9"},
      {"negotiate --rounds 0", "--rounds takes a whole number from 1 to "
                               "100000000 (10^8), not '0'"},
      {"negotiate --rounds 100000001", "from 1 to 100000000"},
      {"negotiate --protocol mediated --anneal -1",
       "--anneal takes a temperature from 0 to 1e9, not '-1'"},
      {"negotiate --protocol mediated --quota x",
       "--quota takes a whole number from 0 (every party) to the number of "
       "parties"},
      {"analyze --threads 1025", "--threads takes a number from 1 to 1024"},
      {"generate --parties x", "--parties takes a whole number (2 to 64)"},
      {"generate --values -1", "--values takes a whole number (2 to 1000)"},
      {"generate --seed 18446744073709551616",
       "--seed takes a whole number from 0 to 18446744073709551615"},
      {"stability --horizon 16", "--horizon takes a number from 1 to 15"},
      {"tournament --threads 0 x.json",
       "--threads takes a number from 1 to 1024"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    char *out, *err;
    cr_expect_eq(run_cli(cases[k].args, &out, &err), 2, "%s", cases[k].args);
    cr_expect(strstr(err, cases[k].says), "parley %s: %s", cases[k].args, err);
    free(out), free(err);
  }
}
