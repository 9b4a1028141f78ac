/* plugin.c - agents from shared objects (parley_agent.h): dlopen, the entry
 * point, the ABI check, then the registry, all the plug-in's agents or
 * none. A loaded plug-in is never closed: its classes are in the registry
 * for the rest of the process. */
#define _POSIX_C_SOURCE 200809L
#include "negotiation/agent.h"
#include "util/diag.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_PLUGIN_AGENTS = 256 };

static pl_status refuse(pl_diag *d, const char *path, void *handle,
                        const char *fmt, const char *detail) {
  char msg[1024];
  snprintf(msg, sizeof msg, fmt, detail);
  pl_diag_add(d, path, 0, 0, "agent plug-in: %s", msg);
  if (handle)
    dlclose(handle);
  return PL_EINPUT;
}

/* The classes of a descriptor, counted; false past MAX_PLUGIN_AGENTS. */
static bool count_classes(const pl_agent_plugin *p, size_t *n) {
  *n = 0;
  while (p->classes && p->classes[*n])
    if (++*n > MAX_PLUGIN_AGENTS)
      return false;
  return true;
}

pl_status pl_agent_load_plugin(const char *path, pl_diag *d) {
  struct stat st;
  if (!path || !*path)
    return refuse(d, NULL, NULL, "no file given%s", "");
  if (stat(path, &st) != 0)
    return refuse(d, path, NULL, "cannot open: %s", strerror(errno));
  if (!S_ISREG(st.st_mode))
    return refuse(d, path, NULL, "not a regular file%s", "");
  /* dlopen looks for a bare name on the library path; the user means the
   * file in the current folder. */
  char local[4096];
  if (!strchr(path, '/')) {
    snprintf(local, sizeof local, "./%s", path);
    path = local;
  }
  dlerror();
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *why = dlerror();
    return refuse(d, path, NULL, "not a loadable shared object: %s",
                  why ? why : "unknown error");
  }
  const pl_agent_plugin *(*entry)(void);
  void *sym = dlsym(h, PL_AGENT_PLUGIN_SYMBOL);
  if (!sym)
    return refuse(d, path, h,
                  "not a parley plug-in: it does not define %s "
                  "(docs/agents.md, section 11)",
                  PL_AGENT_PLUGIN_SYMBOL);
  memcpy(&entry, &sym, sizeof entry); /* object to function pointer */
  const pl_agent_plugin *p = entry();
  if (!p)
    return refuse(d, path, h, "%s returned NULL", PL_AGENT_PLUGIN_SYMBOL);
  if (p->abi != PL_AGENT_ABI_VERSION) {
    char detail[256];
    snprintf(detail, sizeof detail,
             "built for agent ABI version %u, but this parley (%s) has "
             "version %d: rebuild it against this parley's parley_agent.h",
             p->abi, pl_version(), PL_AGENT_ABI_VERSION);
    return refuse(d, path, h, "%s", detail);
  }
  size_t n;
  if (!count_classes(p, &n))
    return refuse(d, path, h,
                  "more than 256 agents, or a list without its "
                  "NULL end%s",
                  "");
  if (n == 0)
    return refuse(d, path, h, "it defines no agents%s", "");
  char msg[512];
  if (!pl_agent_register_all(p->classes, n, msg, sizeof msg))
    return refuse(d, path, h, "%s", msg);
  return PL_OK;
}
