/* agent.c - the registry of built-in agents and the parser of agent
 * specifications ("boulware", "conceder:e=1.5,k=0.1").
 *
 * Adding an agent: define its pl_agent_class in a file of its own (see
 * docs/agents.md), declare it below and add it to `classes`.
 *
 * The mediated protocol's defaults for agents without `vote` or `sign`
 * (agent.h) live with that protocol: vote yes iff the proposed text is
 * worth more to the agent than the current one; sign iff the agent can sign
 * the text and it is worth at least its reservation value.
 */
#include "negotiation/agent.h"
#include "util/diag.h"
#include "util/fmt.h"
#include "util/suggest.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

extern const pl_agent_class pl_agent_boulware, pl_agent_linear,
    pl_agent_conceder, pl_agent_hardliner, pl_agent_tit_for_tat,
    pl_agent_random, pl_agent_frequency, pl_agent_micro;
/* GENIUS-compatible agents (agents_genius.c). */
extern const pl_agent_class pl_agent_genius_boulware, pl_agent_genius_conceder,
    pl_agent_genius_linear, pl_agent_genius_hardliner,
    pl_agent_genius_party_boulware, pl_agent_genius_party_conceder;

static const pl_agent_class *const classes[] = {
    &pl_agent_boulware, &pl_agent_linear, &pl_agent_conceder,
    &pl_agent_hardliner, &pl_agent_tit_for_tat, &pl_agent_random,
    &pl_agent_frequency, &pl_agent_micro,
    /* GENIUS-compatible */
    &pl_agent_genius_boulware, &pl_agent_genius_conceder,
    &pl_agent_genius_linear, &pl_agent_genius_hardliner,
    &pl_agent_genius_party_boulware, &pl_agent_genius_party_conceder};

enum { NCLASSES = sizeof classes / sizeof classes[0] };

const pl_agent_class *const *pl_agent_classes(size_t *count) {
  if (count)
    *count = NCLASSES;
  return classes;
}

static char lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Names match whatever their ASCII case: "Boulware" is boulware. */
static bool same_name(const char *a, size_t na, const char *b) {
  size_t nb = strlen(b);
  if (na != nb)
    return false;
  for (size_t i = 0; i < na; i++)
    if (lower(a[i]) != lower(b[i]))
      return false;
  return true;
}

/* ---- The registry ----------------------------------------------------------
 *
 * Registered classes (pl_agent_register, plug-ins) follow the built-ins.
 * Append-only: a writer fills the next slot under the lock, then publishes
 * the new count with release order, so readers need no lock. This is the
 * library's one piece of process-wide state, because the code of a loaded
 * plug-in is process-wide too. */

enum { MAX_REGISTERED = 1024 };
static const pl_agent_class *registered[MAX_REGISTERED];
static atomic_size_t nregistered;
static pthread_mutex_t registering = PTHREAD_MUTEX_INITIALIZER;

size_t pl_agent_count(void) {
  return NCLASSES + atomic_load_explicit(&nregistered, memory_order_acquire);
}

const pl_agent_class *pl_agent_at(size_t i) {
  if (i < NCLASSES)
    return classes[i];
  return i < pl_agent_count() ? registered[i - NCLASSES] : NULL;
}

static const pl_agent_class *find_n(const char *name, size_t n) {
  size_t count = pl_agent_count();
  for (size_t k = 0; k < count; k++)
    if (same_name(name, n, pl_agent_at(k)->name))
      return pl_agent_at(k);
  return NULL;
}

const pl_agent_class *pl_agent_find(const char *name) {
  return name ? find_n(name, strlen(name)) : NULL;
}

static bool valid_name(const char *name) {
  if (!name || !*name || strlen(name) > 48)
    return false;
  for (const char *c = name; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
          (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
      return false;
  return true;
}

bool pl_agent_class_check(const pl_agent_class *c, char *msg, size_t len) {
  if (!c || !valid_name(c->name)) {
    snprintf(msg, len,
             "agent name '%.48s' is not a name: use 1 to 48 letters, digits, "
             "'-' or '_'",
             c && c->name ? c->name : "");
    return false;
  }
  if (!c->act) {
    snprintf(msg, len, "agent '%s' has no act function", c->name);
    return false;
  }
  size_t np = 0;
  for (; c->params && c->params[np].name; np++) {
    const pl_param_spec *p = &c->params[np];
    if (np == PL_AGENT_MAX_PARAMS) {
      snprintf(msg, len, "agent '%s' has more than %d parameters", c->name,
               PL_AGENT_MAX_PARAMS);
      return false;
    }
    if (!valid_name(p->name) || !(p->min <= p->def && p->def <= p->max)) {
      snprintf(msg, len,
               "agent '%s': parameter %zu ('%.48s') needs a name and a "
               "default between its min and max",
               c->name, np + 1, p->name);
      return false;
    }
  }
  return true;
}

static bool builtin(const pl_agent_class *c) {
  for (size_t k = 0; k < NCLASSES; k++)
    if (classes[k] == c)
      return true;
  return false;
}

/* Whether c can join: false with a message when another class has its
 * name (the same class pointer again is fine). */
static bool name_free(const pl_agent_class *c, char *msg, size_t len) {
  const pl_agent_class *same = pl_agent_find(c->name);
  if (same && same != c) {
    snprintf(msg, len, "agent name '%s' is already taken by the %s agent '%s'",
             c->name, builtin(same) ? "built-in" : "registered", same->name);
    return false;
  }
  return true;
}

bool pl_agent_register_all(const pl_agent_class *const *list, size_t n,
                           char *msg, size_t len) {
  for (size_t k = 0; k < n; k++) {
    if (!pl_agent_class_check(list[k], msg, len))
      return false;
    for (size_t j = 0; j < k; j++)
      if (same_name(list[k]->name, strlen(list[k]->name), list[j]->name)) {
        snprintf(msg, len, "agent name '%s' is used twice", list[k]->name);
        return false;
      }
  }
  pthread_mutex_lock(&registering);
  size_t have = atomic_load_explicit(&nregistered, memory_order_relaxed);
  bool ok = true;
  for (size_t k = 0; ok && k < n; k++) /* all or none: check first */
    ok = name_free(list[k], msg, len);
  size_t fresh = 0;
  for (size_t k = 0; ok && k < n; k++)
    fresh += pl_agent_find(list[k]->name) == NULL;
  if (ok && have + fresh > MAX_REGISTERED) {
    snprintf(msg, len, "more than %d registered agents", MAX_REGISTERED);
    ok = false;
  }
  for (size_t k = 0; ok && k < n; k++)
    if (!pl_agent_find(list[k]->name)) {
      registered[have] = list[k];
      atomic_store_explicit(&nregistered, ++have, memory_order_release);
    }
  pthread_mutex_unlock(&registering);
  return ok;
}

pl_status pl_agent_register(const pl_agent_class *c, pl_diag *d) {
  char msg[512];
  if (pl_agent_register_all(&c, 1, msg, sizeof msg))
    return PL_OK;
  pl_diag_add(d, NULL, 0, 0, "%s", msg);
  return PL_EINPUT;
}

/* The random services of parley_agent.h, over the view's own stream. */
double pl_self_random(pl_self *me) { return pl_rng_uniform(pl_self_rng(me)); }

uint64_t pl_self_random_below(pl_self *me, uint64_t n) {
  return n ? pl_rng_below(pl_self_rng(me), n) : 0;
}

/* ---- Messages --------------------------------------------------------------
 */

/* Appends to msg (keeping it terminated, truncating when full). */
static void append(char *msg, size_t len, const char *text) {
  size_t at = strlen(msg);
  if (at + 1 < len)
    snprintf(msg + at, len - at, "%s", text);
}

static void unknown_agent(const char *name, size_t n, char *msg, size_t len) {
  char word[PL_SUGGEST_MAX + 1];
  size_t count = pl_agent_count();
  const char *names[NCLASSES + MAX_REGISTERED];
  for (size_t k = 0; k < count; k++)
    names[k] = pl_agent_at(k)->name;
  const char *near = NULL;
  if (n <= PL_SUGGEST_MAX) {
    memcpy(word, name, n);
    word[n] = 0;
    near = pl_suggest(word, names, count);
  }
  if (n == 0)
    snprintf(msg, len, "missing agent name");
  else
    snprintf(msg, len, "unknown agent '%.*s'", (int)(n < 64 ? n : 64), name);
  if (near) {
    append(msg, len, " (did you mean '");
    append(msg, len, near);
    append(msg, len, "'?)");
  }
  append(msg, len, "; the agents are:");
  for (size_t k = 0; k < count; k++) {
    append(msg, len, k ? ", " : " ");
    append(msg, len, names[k]);
  }
}

static size_t count_params(const pl_agent_class *c) {
  size_t n = 0;
  while (c->params && c->params[n].name)
    n++;
  return n;
}

static void unknown_param(const pl_agent_class *c, const char *name, size_t n,
                          char *msg, size_t len) {
  snprintf(msg, len, "agent '%s' has no parameter '%.*s'", c->name,
           (int)(n < 64 ? n : 64), name);
  size_t np = count_params(c);
  if (np == 0) {
    append(msg, len, "; it takes no parameters");
    return;
  }
  append(msg, len, "; its parameters are:");
  for (size_t k = 0; k < np; k++) {
    char range[256], lo[32], hi[32], def[32];
    pl_fmt_number(lo, sizeof lo, c->params[k].min);
    pl_fmt_number(hi, sizeof hi, c->params[k].max);
    pl_fmt_number(def, sizeof def, c->params[k].def);
    snprintf(range, sizeof range, "%s%s (%s to %s, default %s)", k ? ", " : " ",
             c->params[k].name, lo, hi, def);
    append(msg, len, range);
  }
}

/* ---- Parsing ---------------------------------------------------------------
 */

/* One "name=value" of agent c, text[0..n). */
static bool parse_param(const pl_agent_class *c, const char *text, size_t n,
                        pl_agent_spec *out, bool *seen, char *msg, size_t len) {
  const char *eq = memchr(text, '=', n);
  size_t nn = eq ? (size_t)(eq - text) : n;
  size_t np = count_params(c), k = 0;
  while (k < np && !same_name(text, nn, c->params[k].name))
    k++;
  if (k == np) {
    unknown_param(c, text, nn, msg, len);
    return false;
  }
  const pl_param_spec *ps = &c->params[k];
  if (!eq) {
    snprintf(msg, len, "parameter '%s' of agent '%s' needs a value: %s=NUMBER",
             ps->name, c->name, ps->name);
    return false;
  }
  if (seen[k]) {
    snprintf(msg, len, "parameter '%s' of agent '%s' is given twice", ps->name,
             c->name);
    return false;
  }
  char value[64];
  size_t nv = n - nn - 1;
  double v;
  if (nv >= sizeof value) {
    snprintf(msg, len, "parameter '%s' of agent '%s': value too long", ps->name,
             c->name);
    return false;
  }
  memcpy(value, eq + 1, nv);
  value[nv] = 0;
  if (!pl_parse_number(value, &v)) {
    snprintf(msg, len,
             "parameter '%s' of agent '%s' must be a number, not '%s'",
             ps->name, c->name, value);
    return false;
  }
  if (!(v >= ps->min && v <= ps->max)) { /* also refuses NaN */
    char lo[32], hi[32];
    pl_fmt_number(lo, sizeof lo, ps->min);
    pl_fmt_number(hi, sizeof hi, ps->max);
    snprintf(msg, len,
             "parameter '%s' of agent '%s' must be between %s and %s, not %s",
             ps->name, c->name, lo, hi, value);
    return false;
  }
  out->p[k] = v;
  seen[k] = true;
  return true;
}

/* The parameters after the colon: "p=v,q=w" (none is fine: "name:"). */
static bool parse_params(const pl_agent_class *c, const char *text,
                         pl_agent_spec *out, char *msg, size_t len) {
  bool seen[PL_AGENT_MAX_PARAMS] = {false};
  while (*text) {
    const char *comma = strchr(text, ',');
    size_t n = comma ? (size_t)(comma - text) : strlen(text);
    if (n == 0) {
      snprintf(msg, len, "empty parameter in agent '%s': write %s:p=v,q=w",
               c->name, c->name);
      return false;
    }
    if (!parse_param(c, text, n, out, seen, msg, len))
      return false;
    text += n + (comma ? 1 : 0);
    if (comma && !*text) {
      snprintf(msg, len, "trailing ',' after the parameters of agent '%s'",
               c->name);
      return false;
    }
  }
  return true;
}

bool pl_agent_parse(const char *text, pl_agent_spec *out, char *msg,
                    size_t msglen) {
  if (msglen)
    msg[0] = 0;
  memset(out, 0, sizeof *out);
  if (!text)
    text = "";
  if (strlen(text) >= sizeof out->text) {
    snprintf(msg, msglen,
             "agent specification too long (at most %zu "
             "characters)",
             sizeof out->text - 1);
    return false;
  }
  const char *colon = strchr(text, ':');
  size_t n = colon ? (size_t)(colon - text) : strlen(text);
  const pl_agent_class *c = find_n(text, n);
  if (!c) {
    unknown_agent(text, n, msg, msglen);
    return false;
  }
  out->cls = c;
  snprintf(out->text, sizeof out->text, "%s", text);
  size_t np = count_params(c);
  for (size_t k = 0; k < np && k < PL_AGENT_MAX_PARAMS; k++)
    out->p[k] = c->params[k].def;
  if (colon && !parse_params(c, colon + 1, out, msg, msglen)) {
    out->cls = NULL;
    return false;
  }
  return true;
}
