/* help.c - every command's help, the list of commands and the man page,
 * all generated from the cli_command definitions (cli.h), and the `help`
 * command itself. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <string.h>

enum {
  WIDTH = 79,      /* help text fits an 80-column terminal */
  OPTION_COL = 24, /* where an option's explanation starts */
};

static const char EXIT_CODES[] =
    "0 success, 1 analysis refused (too large), 2 bad input or usage, 3 out "
    "of memory, 4 output not written, 130 stopped by Ctrl-C (tournament).";

static const char OVERVIEW[] =
    "parley models, analyses and simulates negotiations between several "
    "parties over several issues: agreement zones, Pareto frontiers, fair "
    "compromises and what blocks a deal; automated negotiators and "
    "tournaments; conflict stability (Graph Model for Conflict Resolution). "
    "Wherever a scenario file is expected, a built-in scenario's name "
    "(`parley scenarios`) or a GENIUS or GeniusWeb folder will do.";

/* ---- The table ----------------------------------------------------------- */

#define CLI_COMMAND(id) &cli_cmd_##id,
static const cli_command *const ALL[] = {
#include "commands.def"
};
#undef CLI_COMMAND
enum { NALL = sizeof ALL / sizeof ALL[0] };

const cli_command *const *cli_commands(size_t *n) {
  *n = NALL;
  return ALL;
}

const cli_command *cli_find_command(const char *name) {
  for (size_t c = 0; c < NALL; c++)
    if (!strcmp(ALL[c]->name, name))
      return ALL[c];
  return NULL;
}

const cli_option *cli_option_of(const cli_command *cmd, const char *option) {
  if (!strcmp(option, "-o"))
    option = "--output";
  for (const cli_option *o = cmd->options; o && o->name; o++)
    if (!strcmp(o->name, option))
      return o;
  return NULL;
}

int cli_usage_error(const cli_command *cmd, const char *fmt, const char *arg) {
  fprintf(stderr, "parley: ");
  fprintf(stderr, fmt, arg);
  if (cmd)
    fprintf(stderr, "\nTry 'parley %s --help'.\n", cmd->name);
  else
    fprintf(stderr, "\nTry 'parley help'.\n");
  return PL_EINPUT;
}

/* ---- Plain text ---------------------------------------------------------- */

/* Writes text[0..len) as words filling lines up to WIDTH, the first line
 * starting at column `col` (already written), the others indented by
 * `indent`. Line breaks in the text count as spaces. */
static void wrap(FILE *out, const char *text, size_t len, int col, int indent) {
  const char *p = text, *end = text + len;
  bool first = true;
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\n'))
      p++;
    size_t w = 0;
    while (p + w < end && p[w] != ' ' && p[w] != '\n')
      w++;
    if (!w)
      break;
    if (!first && col + 1 + (int)w > WIDTH) {
      fprintf(out, "\n%*s", indent, "");
      col = indent;
    } else if (!first) {
      fputc(' ', out);
      col++;
    }
    fwrite(p, 1, w, out);
    col += (int)w;
    p += w;
    first = false;
  }
  fputc('\n', out);
}

/* Paragraphs are separated by blank lines. One whose first line starts with
 * a space (a list, a table) is printed as written; the others are wrapped. */
static void print_paragraphs(FILE *out, const char *text, int indent) {
  const char *p = text;
  while (*p) {
    const char *stop = strstr(p, "\n\n");
    size_t len = stop ? (size_t)(stop - p) : strlen(p);
    if (*p == ' ')
      for (const char *line = p; line < p + len;) {
        const char *nl = memchr(line, '\n', (size_t)(p + len - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(p + len - line);
        fprintf(out, "%*s%.*s\n", indent, "", (int)n, line);
        line += n + 1;
      }
    else {
      fprintf(out, "%*s", indent, "");
      wrap(out, p, len, indent, indent);
    }
    p += len;
    while (*p == '\n')
      p++;
    if (*p)
      fputc('\n', out);
  }
}

static void print_option(FILE *out, const cli_option *o) {
  char head[128];
  snprintf(head, sizeof head, "  %s%s%s", o->name, o->arg ? " " : "",
           o->arg ? o->arg : "");
  int col = (int)strlen(head);
  fputs(head, out);
  if (col + 2 > OPTION_COL) {
    fprintf(out, "\n%*s", OPTION_COL, "");
  } else {
    fprintf(out, "%*s", OPTION_COL - col, "");
  }
  char text[2048];
  snprintf(text, sizeof text, "%s%s%s%s", o->text, o->dflt ? " (default: " : "",
           o->dflt ? o->dflt : "", o->dflt ? ")" : "");
  wrap(out, text, strlen(text), OPTION_COL, OPTION_COL);
}

/* Each line of `lines` indented. */
static void print_lines(FILE *out, const char *lines, const char *indent) {
  for (const char *p = lines; *p;) {
    size_t n = strcspn(p, "\n");
    fprintf(out, "%s%.*s\n", indent, (int)n, p);
    p += n + (p[n] == '\n');
  }
}

void cli_print_help(const cli_command *cmd, FILE *out) {
  fprintf(out, "parley %s - %s\n\nusage: ", cmd->name, cmd->purpose);
  print_lines(out, cmd->usage, "");
  if (cmd->description) {
    fputc('\n', out);
    print_paragraphs(out, cmd->description, 0);
  }
  if (cmd->options && cmd->options->name) {
    fprintf(out, "\noptions:\n");
    for (const cli_option *o = cmd->options; o->name; o++)
      print_option(out, o);
    fprintf(out, "  --help, -h            this help\n");
  }
  if (cmd->examples) {
    fprintf(out, "\nexamples:\n");
    print_lines(out, cmd->examples, "  ");
  }
}

void cli_print_overview(FILE *out) {
  fprintf(out, "parley %s - a negotiation engine\n\n", pl_version());
  print_paragraphs(out, OVERVIEW, 0);
  fprintf(out, "\nusage: parley COMMAND [ARGUMENTS] [OPTIONS]\n"
               "       parley                  (the same as `parley "
               "analyze`)\n\ncommands:\n");
  for (size_t c = 0; c < NALL; c++)
    fprintf(out, "  %-12s %s\n", ALL[c]->name, ALL[c]->purpose);
  fprintf(out, "\n'parley help COMMAND' or 'parley COMMAND --help' explains "
               "one command,\nwith its options, their defaults and an "
               "example. 'parley --version' prints\nthe version.\n\n"
               "exit codes: ");
  wrap(out, EXIT_CODES, strlen(EXIT_CODES), 12, 12);
}

/* ---- The man page -------------------------------------------------------- */

/* Text for troff: backslashes and hyphens escaped, and a line never starts
 * with a control character. */
static void roff(FILE *out, const char *text, size_t len) {
  bool line_start = true;
  for (size_t k = 0; k < len; k++) {
    char c = text[k];
    if (line_start && (c == '.' || c == '\''))
      fputs("\\&", out);
    if (c == '\\')
      fputs("\\e", out);
    else if (c == '-')
      fputs("\\-", out);
    else
      fputc(c, out);
    line_start = c == '\n';
  }
}

static void roff_str(FILE *out, const char *text) {
  roff(out, text, strlen(text));
}

static void man_paragraphs(FILE *out, const char *text) {
  const char *p = text;
  while (*p) {
    const char *stop = strstr(p, "\n\n");
    size_t len = stop ? (size_t)(stop - p) : strlen(p);
    fputs(*p == ' ' ? ".PP\n.nf\n" : ".PP\n", out);
    roff(out, p, len);
    fputs(*p == ' ' ? "\n.fi\n" : "\n", out);
    p += len;
    while (*p == '\n')
      p++;
  }
}

static void man_command(FILE *out, const cli_command *cmd) {
  fprintf(out, ".SS \"%s\"\n", cmd->name);
  roff_str(out, cmd->purpose);
  fputs(".\n.PP\n.nf\n", out);
  roff_str(out, cmd->usage);
  fputs("\n.fi\n", out);
  if (cmd->description)
    man_paragraphs(out, cmd->description);
  for (const cli_option *o = cmd->options; o && o->name; o++) {
    fputs(o->arg ? ".TP\n.BI \"" : ".TP\n.B ", out);
    roff_str(out, o->name);
    if (o->arg) {
      fputs(" \" \"", out);
      roff_str(out, o->arg);
      fputs("\"", out);
    }
    fputc('\n', out);
    roff_str(out, o->text);
    if (o->dflt) {
      fputs(" (default: ", out);
      roff_str(out, o->dflt);
      fputs(")", out);
    }
    fputc('\n', out);
  }
  if (cmd->examples) {
    fputs(".PP\nExamples:\n.RS\n.nf\n", out);
    roff_str(out, cmd->examples);
    fputs("\n.fi\n.RE\n", out);
  }
}

void cli_print_man(FILE *out) {
  fprintf(out,
          ".\\\" parley.1 - generated by `parley help --man` from the "
          "commands' help; do not edit.\n"
          ".TH PARLEY 1 \"\" \"parley %s\" \"User Commands\"\n"
          ".SH NAME\nparley \\- a negotiation engine\n"
          ".SH SYNOPSIS\n.B parley\n.I COMMAND\n"
          "[\\fIARGUMENTS\\fR] [\\fIOPTIONS\\fR]\n"
          ".SH DESCRIPTION\n",
          pl_version());
  roff_str(out, OVERVIEW);
  fputs("\n.PP\nWithout a command, parley runs \\fBanalyze\\fR on the "
        "built-in scenario. Every command answers \\fB\\-\\-help\\fR "
        "and \\fB\\-h\\fR.\n.SH COMMANDS\n",
        out);
  for (size_t c = 0; c < NALL; c++)
    man_command(out, ALL[c]);
  fputs(".SH \"EXIT STATUS\"\n", out);
  roff_str(out, EXIT_CODES);
  fputs("\n.SH \"SEE ALSO\"\nThe documentation in docs/ (installed "
        "under share/doc/parley): analysis.md, scenario-format.md, "
        "formats.md, protocols.md, agents.md, tournament.md, "
        "stability.md.\n",
        out);
}

/* ---- `parley help` ------------------------------------------------------- */

/* The command closest to a misspelt `name`, or NULL. */
static const char *near_command(const char *name) {
  const char *names[NALL];
  for (size_t c = 0; c < NALL; c++)
    names[c] = ALL[c]->name;
  return pl_suggest_name(name, names, NALL);
}

int cli_unknown_command(const char *name) {
  const char *near = near_command(name);
  if (near) {
    fprintf(stderr, "parley: unknown command '%s' (did you mean '%s'?)\n", name,
            near);
    fprintf(stderr, "Try 'parley help'.\n");
    return PL_EINPUT;
  }
  return cli_usage_error(NULL, "unknown command '%s'", name);
}

static int help_main(int argc, char **argv) {
  if (argc > 2)
    return cli_usage_error(&cli_cmd_help,
                           "help takes one command, not also "
                           "'%s'",
                           argv[2]);
  if (argc < 2) {
    cli_print_overview(stdout);
  } else if (!strcmp(argv[1], "--man")) {
    cli_print_man(stdout);
  } else if (argv[1][0] == '-') {
    return cli_usage_error(&cli_cmd_help, "unknown option '%s'", argv[1]);
  } else {
    const cli_command *cmd = cli_find_command(argv[1]);
    if (!cmd)
      return cli_unknown_command(argv[1]);
    cli_print_help(cmd, stdout);
  }
  return fflush(stdout) == 0 ? PL_OK : PL_EIO;
}

static const cli_option help_options[] = {
    {"--man", NULL, NULL,
     "the manual page of every command, in troff (installed as parley.1; "
     "read it with `man ./parley.1`)"},
    {0}};

const cli_command cli_cmd_help = {
    .name = "help",
    .purpose = "explain a command, or list them all",
    .usage = "parley help [COMMAND]\nparley help --man",
    .description = "Without a command, lists every command with what it "
                   "does. With one, prints what `parley COMMAND --help` "
                   "prints: its purpose, usage, every option with its "
                   "default, and examples.",
    .options = help_options,
    .examples = "parley help\nparley help negotiate\nparley help --man > "
                "parley.1",
    .run = help_main};
