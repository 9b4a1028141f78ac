/* api.c - the public tournament API (parley_tournament.h) over the
 * internal modules: a summary owns its pl_tour_summary and the run's
 * figures; rows are copied out of results.jsonl as terminated strings. */
#include "parley_tournament.h"
#include "tournament/tournament.h"
#include "util/copyout.h"
#include "util/diag.h"

#include <stdlib.h>
#include <string.h>

struct pl_tournament_summary {
  pl_tour_summary s;
  pl_tournament_run_info run;
};

struct pl_processes {
  pl_tour_comm c;
};

struct pl_tournament_rows {
  size_t n;
  uint64_t *index;
  char **json;
};

const char *pl_tournament_name(const pl_tournament *t) {
  return t ? t->name : NULL;
}

uint64_t pl_tournament_total(const pl_tournament *t) {
  return t ? t->total : 0;
}

/* ---- Processes ----------------------------------------------------------- */

pl_processes *pl_processes_start(void) {
  pl_processes *p = calloc(1, sizeof *p);
  if (p)
    pl_tour_comm_init(&p->c);
  return p;
}

void pl_processes_end(pl_processes *p) {
  if (!p)
    return;
  pl_tour_comm_finalize(&p->c);
  free(p);
}

int pl_processes_rank(const pl_processes *p) { return p ? p->c.rank : 0; }
int pl_processes_count(const pl_processes *p) { return p ? p->c.size : 1; }

bool pl_processes_all(const pl_processes *p, bool ok) {
  return p ? pl_tour_comm_all(&p->c, ok) : ok;
}

/* ---- Running ------------------------------------------------------------- */

void pl_tournament_options_init(pl_tournament_options *o) {
  memset(o, 0, sizeof *o);
}

pl_tournament_summary *pl_tournament_run(pl_tournament *t,
                                         const pl_tournament_options *o,
                                         pl_diag *d, pl_status *status) {
  pl_status dummy;
  /* cppcheck-suppress uninitvar ; only its address, written next */
  status = status ? status : &dummy;
  *status = PL_EINPUT;
  if (!t || !o || !o->out || !*o->out) {
    pl_diag_add(d, NULL, 0, 0, "a tournament run needs a results folder");
    return NULL;
  }
  pl_tournament_summary *s = calloc(1, sizeof *s);
  if (!s) {
    *status = PL_ENOMEM;
    return NULL;
  }
  pl_tour_options to;
  pl_tour_options_init(&to);
  to.threads = o->threads;
  to.out = o->out;
  to.resume = o->resume;
  to.stop = o->cancel;
  to.progress = o->progress;
  to.progress_ctx = o->progress_ctx;
  to.log = o->log;
  to.comm = o->processes ? &o->processes->c : NULL;
  pl_tour_outcome res;
  *status = pl_tour_run(t, &to, &res, d);
  s->s = res.summary;
  s->run = (pl_tournament_run_info){.total = res.total,
                                    .done_before = res.done_before,
                                    .played = res.played,
                                    .interrupted = res.interrupted,
                                    .seconds = res.seconds,
                                    .threads = res.threads,
                                    .processes = res.ranks};
  if (*status != PL_OK) {
    pl_tournament_summary_free(s);
    return NULL;
  }
  return s;
}

/* ---- The summary --------------------------------------------------------- */

pl_tournament_summary *pl_tournament_summary_load(const char *dir, pl_diag *d) {
  pl_tournament_summary *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  if (!pl_tour_summary_of(dir, &s->s, d)) {
    free(s);
    return NULL;
  }
  return s;
}

void pl_tournament_summary_free(pl_tournament_summary *s) {
  if (!s)
    return;
  pl_tour_summary_free(&s->s);
  free(s);
}

pl_status pl_tournament_summary_write_text(const pl_tournament_summary *s,
                                           FILE *out) {
  pl_tour_summary_text(&s->s, out);
  return ferror(out) ? PL_EIO : PL_OK;
}

pl_status pl_tournament_summary_write_json(const pl_tournament_summary *s,
                                           FILE *out) {
  char *json = pl_tour_summary_json(&s->s);
  if (!json)
    return PL_ENOMEM;
  int rc = fprintf(out, "%s\n", json);
  free(json);
  return rc < 0 || ferror(out) ? PL_EIO : PL_OK;
}

size_t pl_tournament_summary_json(const pl_tournament_summary *s, char *buf,
                                  size_t len) {
  char *json = pl_tour_summary_json(&s->s);
  size_t n = json ? pl_copy_out(json, strlen(json), buf, len)
                  : pl_copy_out("", 0, buf, len);
  free(json);
  return n;
}

pl_tournament_run_info
pl_tournament_summary_run(const pl_tournament_summary *s) {
  return s->run;
}

uint64_t pl_tournament_summary_total(const pl_tournament_summary *s) {
  return s->s.total;
}

uint64_t pl_tournament_summary_done(const pl_tournament_summary *s) {
  return s->s.done;
}

size_t pl_tournament_summary_num_agents(const pl_tournament_summary *s) {
  return s->s.nagents;
}

static pl_tournament_stat stat_of(const pl_tour_stat *x) {
  return (pl_tournament_stat){.n = x->n,
                              .mean = x->mean,
                              .sd = x->sd,
                              .has_ci = x->has_ci,
                              .lo = x->lo,
                              .hi = x->hi};
}

bool pl_tournament_summary_standing(const pl_tournament_summary *s, size_t i,
                                    pl_tournament_standing *out) {
  if (i >= s->s.nagents)
    return false;
  const pl_tour_standing *g = &s->s.standings[i];
  *out = (pl_tournament_standing){.agent = g->agent,
                                  .rank = g->rank,
                                  .seats = g->n,
                                  .utility = stat_of(&g->utility),
                                  .discounted = stat_of(&g->discounted),
                                  .advantage = stat_of(&g->advantage),
                                  .welfare = stat_of(&g->welfare),
                                  .pareto = stat_of(&g->pareto),
                                  .nash = stat_of(&g->nash),
                                  .agreements = g->agreements,
                                  .rate = g->rate,
                                  .rate_lo = g->rate_lo,
                                  .rate_hi = g->rate_hi};
  return true;
}

/* ---- Rows ---------------------------------------------------------------- */

void pl_tournament_rows_free(pl_tournament_rows *r) {
  if (!r)
    return;
  for (size_t k = 0; k < r->n; k++)
    free(r->json[k]);
  free(r->json);
  free(r->index);
  free(r);
}

static bool copy_rows(pl_tournament_rows *r, const pl_tour_lines *l) {
  r->json = calloc(l->n ? l->n : 1, sizeof *r->json);
  r->index = calloc(l->n ? l->n : 1, sizeof *r->index);
  if (!r->json || !r->index)
    return false;
  for (; r->n < l->n; r->n++) {
    const pl_tour_line *at = &l->at[r->n];
    char *row = malloc(at->len + 1);
    if (!row)
      return false;
    memcpy(row, l->text.p + at->off, at->len);
    row[at->len] = 0;
    r->json[r->n] = row;
    r->index[r->n] = at->index;
  }
  return true;
}

pl_tournament_rows *pl_tournament_rows_load(const char *dir, pl_diag *d) {
  char path[4096];
  pl_tour_lines lines = {0};
  pl_tour_read info;
  if (!pl_tour_path(path, sizeof path, dir, PL_TOUR_RESULTS) ||
      !pl_tour_read_lines(path, &lines, &info, d)) {
    pl_tour_lines_free(&lines);
    return NULL;
  }
  pl_tour_lines_sort(&lines);
  pl_tournament_rows *r = calloc(1, sizeof *r);
  if (r && !copy_rows(r, &lines)) {
    pl_diag_add(d, path, 0, 0, "out of memory");
    pl_tournament_rows_free(r);
    r = NULL;
  }
  pl_tour_lines_free(&lines);
  return r;
}

size_t pl_tournament_rows_count(const pl_tournament_rows *r) {
  return r ? r->n : 0;
}

uint64_t pl_tournament_row_index(const pl_tournament_rows *r, size_t i) {
  return r && i < r->n ? r->index[i] : 0;
}

const char *pl_tournament_row_json(const pl_tournament_rows *r, size_t i,
                                   size_t *len) {
  if (!r || i >= r->n)
    return NULL;
  if (len)
    *len = strlen(r->json[i]);
  return r->json[i];
}
