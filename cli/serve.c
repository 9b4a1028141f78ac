/* serve.c - `parley serve [SCENARIO | DIR]`: the workbench, a local web
 * server over the engine (docs/serve.md). The server itself is the module
 * src/serve; this file reads the options, prints the URL and waits for
 * SIGINT or SIGTERM.
 *
 * The module and libmicrohttpd (with GnuTLS and a dozen libraries behind
 * it) are loaded only here, from libparley-serve.so beside libparley:
 * linked into the program, loading and initialising them took 5 ms of the
 * start of every other command (issue 13, item 7). */
#define _GNU_SOURCE /* dladdr */
#include "serve.h"
#include "cli.h"

#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const cli_option serve_options[] = {
    {"--port", "N", "8642",
     "TCP port to listen on; 0 picks a free one (the "
     "URL printed shows it)"},
    {"--host", "ADDRESS", "127.0.0.1",
     "numeric address to listen on; anything but loopback exposes the "
     "server to the network, so a warning is printed"},
    {"--workers", "N", "2",
     "threads of the worker pool that runs analyses, negotiations and "
     "stability analyses (1 to 64)"},
    {"--threads", "N", "all cores",
     "threads the running analyses share in all (1 to 1024): each running "
     "job holds one, an idle worker keeps one in reserve, and an analysis "
     "takes the rest when it starts"},
    {0}};

static int serve_main(int argc, char **argv);

const cli_command cli_cmd_serve = {
    .name = "serve",
    .purpose = "open the workbench: a local web page and JSON API",
    .usage = "parley serve [SCENARIO | DIR] [options]",
    .description =
        "Starts a local web server over the engine: the workbench page "
        "(scenario, package builder, what-if, plots, negotiation, play "
        "against agents, stability) and the JSON API behind it "
        "(docs/serve.md). The first line of standard output is the URL to "
        "open, with the session token (http://127.0.0.1:PORT/?token=...); "
        "it is printed as soon as the server listens.\n\n"
        "SCENARIO is a scenario to open (a parley JSON file, a GENIUS or "
        "GeniusWeb folder, or a built-in name; default: talks). DIR is a "
        "folder whose scenario and conflict files the page may list and "
        "load (read-only; nothing outside it is ever read, nothing is ever "
        "written).\n\n"
        "Security: the server listens on 127.0.0.1 only unless --host is "
        "given; every API call needs the random token; Host and Origin "
        "headers are checked; request bodies are limited to 8 MiB. SIGINT "
        "(Ctrl-C) or SIGTERM cancels the jobs in flight and exits 0.",
    .options = serve_options,
    .examples = "parley serve --port 0 & sleep 2; kill -TERM $!; wait $!\n"
                "parley serve examples/domains --port 0 & sleep 2; kill $!; "
                "wait $!",
    .run = serve_main};

static bool is_loopback(const char *host) {
  return !strncmp(host, "127.", 4) || !strcmp(host, "::1");
}

static bool read_number(const char *text, unsigned long max,
                        unsigned long *out) {
  char *end;
  if (!*text || *text == '-')
    return false;
  unsigned long v = strtoul(text, &end, 10);
  if (*end || v > max)
    return false;
  *out = v;
  return true;
}

static int parse(int argc, char **argv, sv_config *c) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    unsigned long v;
    bool takes = !strcmp(a, "--port") || !strcmp(a, "--host") ||
                 !strcmp(a, "--workers") || !strcmp(a, "--threads");
    if (takes && i + 1 == argc)
      return cli_usage_error(&cli_cmd_serve, "%s needs a value", a);
    if (!strcmp(a, "--port")) {
      if (!read_number(argv[++i], 65535, &v))
        return cli_usage_error(&cli_cmd_serve,
                               "--port takes 0 to 65535, not '%s'", argv[i]);
      c->port = (uint16_t)v;
    } else if (!strcmp(a, "--host")) {
      c->host = argv[++i];
    } else if (!strcmp(a, "--workers")) {
      if (!read_number(argv[++i], 64, &v) || v == 0)
        return cli_usage_error(&cli_cmd_serve,
                               "--workers takes 1 to 64, not '%s'", argv[i]);
      c->workers = (unsigned)v;
    } else if (!strcmp(a, "--threads")) {
      if (!read_number(argv[++i], 1024, &v) || v == 0)
        return cli_usage_error(&cli_cmd_serve,
                               "--threads takes 1 to 1024, not '%s'", argv[i]);
      c->threads = (unsigned)v;
    } else if (a[0] == '-' && a[1]) {
      return cli_usage_error(&cli_cmd_serve, "unknown option '%s'", a);
    } else if (c->scenario || c->dir) {
      return cli_usage_error(&cli_cmd_serve,
                             "serve takes one scenario or folder; '%s' is a "
                             "second",
                             a);
    } else {
      struct stat st;
      bool folder = !stat(a, &st) && S_ISDIR(st.st_mode);
      /* A GENIUS folder is one scenario; any other folder is a DIR. */
      if (folder) {
        pl_diag *d = pl_diag_new();
        const char *paths[] = {a};
        pl_scenario *s = pl_scenario_load(paths, 1, NULL, d);
        if (s)
          c->scenario = a;
        else
          c->dir = a;
        pl_scenario_free(s);
        pl_diag_free(d);
      } else {
        c->scenario = a;
      }
    }
  }
  return PL_OK;
}

/* The module's entry points (src/serve/serve.h). */
typedef struct server_module {
  sv_server *(*server_new)(const sv_config *, pl_diag *, char *, size_t);
  void (*server_free)(sv_server *);
  bool (*listen)(sv_server *, char *, size_t);
  const char *(*url)(const sv_server *);
} server_module;

/* Sets *fn (a function pointer) to the module's symbol `name`. */
static bool entry(void *h, const char *name, void *fn) {
  void *sym = dlsym(h, name);
  if (sym) /* object to function pointer, as POSIX allows */
    memcpy(fn, &sym, sizeof sym);
  return sym != NULL;
}

/* The module's path: beside the libparley this program runs with (the
 * build folder, or lib/ when installed), found with dladdr. A bare name
 * would do through the program's run path, but AddressSanitizer's dlopen
 * searches its own. */
static void module_path(char *path, size_t len) {
  const char *(*fn)(void) = pl_version;
  void *addr;
  memcpy(&addr, &fn, sizeof addr); /* function to object pointer */
  Dl_info info;
  const char *lib = dladdr(addr, &info) && info.dli_fname ? info.dli_fname : "";
  const char *slash = strrchr(lib, '/');
  int dir = slash ? (int)(slash - lib) : 0;
  int n = snprintf(path, len, "%.*s%slibparley-serve.so", dir, lib,
                   slash ? "/" : "");
  if (n < 0 || (size_t)n >= len)
    snprintf(path, len, "libparley-serve.so");
}

/* False with the reason printed. */
static bool load_module(server_module *m) {
  char path[4096];
  module_path(path, sizeof path);
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  const char *why = h ? "an entry point is missing" : dlerror();
  if (h && entry(h, "sv_server_new", &m->server_new) &&
      entry(h, "sv_server_free", &m->server_free) &&
      entry(h, "sv_listen", &m->listen) && entry(h, "sv_url", &m->url))
    return true;
  fprintf(stderr, "parley: serve: cannot load the workbench module %s: %s\n",
          path, why ? why : "unknown error");
  return false;
}

static int serve_main(int argc, char **argv) {
  sv_config c = {.port = 8642, .workers = 2};
  int rc = parse(argc, argv, &c);
  if (rc != PL_OK)
    return rc;
  server_module m;
  if (!load_module(&m))
    return PL_EIO;
  /* The signals are taken by sigwait below, on this thread: every thread
   * the server starts inherits the mask. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);
  pl_diag *d = pl_diag_new();
  char err[512];
  sv_server *sv = m.server_new(&c, d, err, sizeof err);
  if (!sv) {
    if (pl_diag_count(d))
      pl_diag_print(d, stderr);
    else
      fprintf(stderr, "parley: %s\n", err);
    pl_diag_free(d);
    return PL_EINPUT;
  }
  pl_diag_free(d);
  if (!m.listen(sv, err, sizeof err)) {
    fprintf(stderr, "parley: %s\n", err);
    m.server_free(sv);
    return PL_EIO;
  }
  printf("%s\n", m.url(sv));
  fflush(stdout);
  if (c.host && !is_loopback(c.host))
    fprintf(stderr,
            "parley: warning: listening on %s, not loopback: anyone who can "
            "reach this address and has the token can use the server\n",
            c.host);
  int sig = 0;
  sigwait(&stop, &sig);
  fprintf(stderr, "parley: %s: stopping the server\n",
          sig == SIGINT ? "SIGINT" : "SIGTERM");
  m.server_free(sv);
  return PL_OK;
}
