/* cli.h - pieces shared by the files of the `parley` command. */
#ifndef PL_CLI_H
#define PL_CLI_H

#include "parley.h"

#include <stdbool.h>
#include <stdio.h>

/* Output to stdout, or atomically to a file: written to FILE.tmp.PID and
 * renamed on success, so a failed run never leaves a half-written or
 * truncated output in place of a good one. A symbolic link's target is
 * replaced (the link stays); devices and FIFOs are written through. */
typedef struct sink {
  FILE *f;
  const char *path;
  bool through;      /* a device or FIFO: written directly, not renamed */
  char target[4096]; /* the file replaced: path, or a link's target */
  char tmp[4200];
} sink;

bool sink_open(sink *k, const char *path);
/* Closes, renames or removes the temporary file; returns the status,
 * PL_EIO when writing failed. */
int sink_close(sink *k, int status);

/* The --report FILE of negotiate, stability and tournament and `parley
 * report` (cli/report.c, docs/report.md): writes a report's page (and its
 * plots into svg_dir when not NULL) atomically; messages on stderr;
 * returns the exit code. */
typedef struct pl_report pl_report;
int pl_cli_write_report(const pl_report *r, const char *output,
                        const char *svg_dir, pl_diag *d);
int pl_cli_report_negotiation(const pl_negotiation *n, const char *file);
int pl_cli_report_stability(const pl_stability *a, const char *file);
int pl_cli_report_tournament(const char *dir, const char *file);

/* ---- Commands and their help ---------------------------------------------
 *
 * Every command of `parley` is one `cli_command`, defined in the file that
 * runs it and named once in cli/commands.def. Everything a user reads about
 * it is generated from that one definition: `parley CMD --help`, `parley
 * CMD -h` and `parley help CMD` (the same text, exit 0), the list of
 * `parley help`, the man page (`parley help --man`, built into parley.1 and
 * installed by CMake) and "did you mean 'analyze'?" for `parley anlyze`.
 * tests/test_help.c checks every listed command, so a new one is tested
 * for its help without a line of test code.
 *
 * To add a command, say `divide`:
 *
 *   1. In cli/divide.c:
 *
 *        static const cli_option divide_options[] = {
 *            {"--json", NULL, NULL, "machine-readable output"},
 *            {"--rounds", "N", "100", "deadline in rounds"},
 *            {"--output", "FILE", "standard output",
 *             "write there (atomically) instead"},
 *            {0}};
 *
 *        static int divide_main(int argc, char **argv) {
 *          // argv[0] is "divide"; argv[1..argc) are the user's words.
 *          // --help and -h never get here: main() answers them.
 *          ...
 *          return PL_OK; // or PL_EINPUT, with cli_usage_error(...)
 *        }
 *
 *        const cli_command cli_cmd_divide = {
 *            .name = "divide",
 *            .purpose = "design deals that every party can ratify",
 *            .usage = "parley divide [SCENARIO...] [options]",
 *            .description = "Paragraphs, wrapped when printed. Say what the\n"
 *                           "command computes and where it is documented.",
 *            .options = divide_options,
 *            .examples = "parley divide\n"
 *                        "parley divide examples/domains/Laptop --json",
 *            .run = divide_main};
 *
 *   2. Add CLI_COMMAND(divide) to cli/commands.def, where it should appear
 *      in `parley help`.
 *
 * Write `purpose` as one line without a final period. Give every option its
 * default ("dflt", printed as "(default: ...)"; NULL for flags or when
 * there is none). Examples must run as printed from the top of a fresh
 * clone (tests/test_docs.c runs them): use built-in scenarios or files in
 * the repository. Keep option tables and parsers in step: an option the
 * parser accepts must be in the table, and cli_option_of() finds it. */

typedef struct cli_option {
  const char *name; /* "--rounds"; one per entry (aliases: "-o" in text) */
  const char *arg;  /* "N", "FILE", ...; NULL for a flag */
  const char *dflt; /* the default, or NULL */
  const char *text; /* what it does; wrapped when printed */
} cli_option;

typedef struct cli_command {
  const char *name;
  const char *purpose;       /* one line, for `parley help` and NAME */
  const char *usage;         /* synopsis; several forms on several lines */
  const char *description;   /* paragraphs separated by blank lines */
  const cli_option *options; /* ends with an entry whose name is NULL */
  const char *examples;      /* one command per line */
  int (*run)(int argc, char **argv); /* argv[0] is the command's name */
} cli_command;

#define CLI_COMMAND(id) extern const cli_command cli_cmd_##id;
#include "commands.def"
#undef CLI_COMMAND

/* Every command, in the order of cli/commands.def. */
const cli_command *const *cli_commands(size_t *n);
const cli_command *cli_find_command(const char *name);
/* The entry of cmd's table for `option` ("-o" is "--output"), or NULL. */
const cli_option *cli_option_of(const cli_command *cmd, const char *option);
/* The help of one command (what --help prints), the list of all, and the
 * man page in troff, all from the definitions above. */
void cli_print_help(const cli_command *cmd, FILE *out);
void cli_print_overview(FILE *out);
void cli_print_man(FILE *out);
/* "parley: <message>" and a hint to the command's help on stderr; returns
 * PL_EINPUT (exit 2). `fmt` has one %s, for `arg`. */
int cli_usage_error(const cli_command *cmd, const char *fmt, const char *arg);
/* "unknown command 'anlyze' (did you mean 'analyze'?)"; returns PL_EINPUT. */
int cli_unknown_command(const char *name);
/* Sets the allocator's policy for this process (heap.c); first in main. */
void cli_heap_tune(void);

#endif
