/* negotiation.c - pl_negotiate: options to agents, the talks, and the
 * score of their result against the scenario's analysis. */
#include "negotiation/negotiation.h"
#include "util/diag.h"
#include "util/wrap.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void pl_negotiation_options_init(pl_negotiation_options *o) {
  memset(o, 0, sizeof *o);
  o->protocol = "saop";
  o->rounds = 100;
  o->seed = 1;
  o->change = 1;
}

void pl_negotiation_free(pl_negotiation *n) {
  if (!n)
    return;
  pl_talks_free(&n->t);
  pl_analysis_free(n->a);
  free(n);
}

size_t pl_agent_list_split(const char *list, size_t *start, size_t *len,
                           size_t max) {
  size_t n = 0;
  for (const char *p = list; p && *p;) {
    size_t piece = strcspn(p, ",");
    bool parameter =
        memchr(p, '=', piece) != NULL && memchr(p, ':', piece) == NULL;
    if (n && parameter) { /* the previous agent's parameters go on */
      if (n - 1 < max)
        len[n - 1] = (size_t)(p - list) + piece - start[n - 1];
    } else {
      if (n < max) {
        start[n] = (size_t)(p - list);
        len[n] = piece;
      }
      n++;
    }
    p += piece + (p[piece] == ',');
  }
  return n;
}

static bool parse_agents(const pl_scenario *s, const char *list,
                         pl_talks_options *t, pl_diag *d) {
  size_t start[PL_MAX_PARTIES], len[PL_MAX_PARTIES];
  if (!list || !*list)
    list = "boulware";
  size_t n = pl_agent_list_split(list, start, len, PL_MAX_PARTIES);
  if (n != 1 && n != s->nparties) {
    pl_diag_add(d, NULL, 0, 0,
                "%zu agents given for %u parties: give one agent for "
                "everyone or one per party, in party order",
                n, s->nparties);
    return false;
  }
  for (uint32_t p = 0; p < s->nparties; p++) {
    char msg[512], piece[128];
    size_t k = n == 1 ? 0 : p;
    snprintf(piece, sizeof piece, "%.*s", (int)len[k], list + start[k]);
    if (!pl_agent_parse(piece, &t->agents[p], msg, sizeof msg)) {
      pl_diag_add(d, NULL, 0, 0, "--agents: %s", msg);
      return false;
    }
  }
  return true;
}

static bool parse_protocol(const pl_scenario *s,
                           const pl_negotiation_options *o, pl_talks_options *t,
                           pl_diag *d) {
  const char *proto = o->protocol ? o->protocol : "saop";
  if (!strcmp(proto, "saop")) {
    t->protocol = PL_SAOP;
  } else if (!strcmp(proto, "mediated")) {
    t->protocol = PL_MEDIATED;
  } else {
    pl_diag_add(d, NULL, 0, 0,
                "unknown protocol '%s'; expected 'saop' or 'mediated'", proto);
    return false;
  }
  t->pen = -1;
  if (o->mediator && strcmp(o->mediator, "neutral")) {
    int32_t p = pl_find_actor(s, o->mediator);
    if (p < 0 || p >= (int32_t)s->nparties) {
      pl_diag_add(d, NULL, 0, 0,
                  "--mediator takes 'neutral' or a party's name, not '%s'",
                  o->mediator);
      return false;
    }
    t->pen = p;
  }
  t->start_from = -1;
  for (uint32_t k = 0; o->start_from && k < s->nproposals; k++)
    if (!strcmp(s->proposals[k].name, o->start_from))
      t->start_from = (int32_t)k;
  if (o->start_from && t->start_from < 0) {
    pl_diag_add(d, NULL, 0, 0, "--start-from: no proposal named '%s'",
                o->start_from);
    return false;
  }
  if (o->quota > s->nparties) {
    pl_diag_add(d, NULL, 0, 0, "--quota %u is more than the %u parties",
                o->quota, s->nparties);
    return false;
  }
  return true;
}

static double distance(const double *a, const double *b, uint32_t n) {
  double d = 0;
  for (uint32_t p = 0; p < n; p++)
    d += (a[p] - b[p]) * (a[p] - b[p]);
  return sqrt(d);
}

/* Distances of the result (the parties' undiscounted payoffs) to the
 * frontier of the agreement zone and to its Nash point. */
static void score(pl_negotiation *n, const pl_negotiation_options *o) {
  const pl_scenario *s = n->s;
  uint32_t np = s->nparties;
  n->welfare = 0;
  for (uint32_t p = 0; p < np; p++)
    n->welfare += n->t.utilities[p];
  pl_analysis_options ao;
  pl_analysis_options_init(&ao);
  ao.threads = o->threads;
  ao.progress = o->progress; /* its stages follow the talks' */
  ao.progress_ctx = o->progress_ctx;
  pl_status st;
  n->a = pl_analyze(s, &ao, NULL, &st);
  if (!n->a || n->a->nfront == 0)
    return;
  n->has_pareto = true;
  n->pareto_distance = DBL_MAX;
  for (size_t k = 0; k < n->a->nfront; k++)
    n->pareto_distance =
        fmin(n->pareto_distance,
             distance(n->t.utilities, n->a->front_u + k * np, np));
  uint32_t v[PL_MAX_ISSUES];
  if (pl_analysis_solution(n->a, PL_SOLUTION_NASH, v)) {
    double u[PL_MAX_PARTIES];
    for (uint32_t p = 0; p < np; p++)
      u[p] = pl_actor_utility(s, p, v);
    n->has_nash = true;
    n->nash_distance = distance(n->t.utilities, u, np);
  }
}

pl_negotiation *pl_negotiate(const pl_scenario *s,
                             const pl_negotiation_options *o, pl_diag *d,
                             pl_status *status) {
  pl_negotiation_options defaults;
  if (!o) {
    pl_negotiation_options_init(&defaults);
    o = &defaults;
  }
  pl_talks_options t;
  memset(&t, 0, sizeof t);
  t.rounds = o->rounds ? o->rounds : 100;
  t.seconds = o->seconds;
  t.seed = o->seed;
  t.two_level = !o->ignore_ratifiers;
  t.trace = true; /* the text report shows the rounds */
  t.quota = o->quota;
  t.change = o->change ? o->change : 1;
  t.anneal = o->anneal;
  t.on_event = o->on_event;
  t.on_event_ctx = o->on_event_ctx;
  t.agent_context = o->agent_context;
  t.progress = o->progress;
  t.progress_ctx = o->progress_ctx;
  *status = PL_EINPUT;
  if (!parse_protocol(s, o, &t, d) || !parse_agents(s, o->agents, &t, d))
    return NULL;
  pl_negotiation *n = calloc(1, sizeof *n);
  if (!n) {
    *status = PL_ENOMEM;
    return NULL;
  }
  n->s = s;
  n->json_trace = o->trace;
  if (!pl_talks_run(s, &t, &n->t, d)) {
    if (n->t.stopped)
      *status = PL_EREFUSED;
    pl_negotiation_free(n);
    return NULL;
  }
  score(n, o);
  *status = PL_OK;
  return n;
}

void pl_agents_write(FILE *out) {
  size_t n = pl_agent_count(); /* built-ins, then registered and plug-ins */
  for (size_t k = 0; k < n; k++) {
    const pl_agent_class *c = pl_agent_at(k);
    fprintf(out, "%-12s %s\n", c->name, c->summary ? c->summary : "");
    for (const pl_param_spec *p = c->params; p && p->name; p++) {
      char text[1024];
      snprintf(text, sizeof text, "%s (default %g, %g to %g)", p->help, p->def,
               p->min, p->max);
      fprintf(out, "  %-10s ", p->name);
      pl_text_wrap(out, text, 13, 13, 100); /* the column of the help */
    }
    if (c->source)
      fprintf(out, "  source: %s\n", c->source);
  }
}
