/* scenario_uncertain.c - reading uncertain inputs (docs/scenario-format.md,
 * section 13): a number may be a distribution, weights may be Dirichlet,
 * and "variants" lists named alternatives with probabilities. */
#include "io/scenario_extra.h"

#include "model/uncertain.h"
#include "util/fmt.h"

#include <math.h>
#include <string.h>

static pl_uncertainty *unc_of(pl_scenario *s) {
  if (!s->unc)
    s->unc = pl_arena_calloc(&s->arena, 1, sizeof *s->unc);
  return s->unc;
}

/* Reads the numbers of array `arr` (exactly n of them) into x. */
static bool numbers(pl_json_doc *j, const json_t *arr, size_t n,
                    const char *kind, const char *what, double *x) {
  bool ok = json_is_array(arr) && json_array_size(arr) == n;
  for (size_t k = 0; ok && k < n; k++) {
    const json_t *v = json_array_get(arr, k);
    ok = json_is_number(v);
    x[k] = ok ? json_number_value(v) : 0;
  }
  if (!ok)
    pl_json_fail(j, arr, "%s: \"%s\" takes an array of %zu numbers", what, kind,
                 n);
  return ok;
}

static bool in_range(pl_json_doc *j, const json_t *node, const char *what,
                     double x, double y, double lo, double hi) {
  if (x >= lo && y <= hi)
    return true;
  char a[32], b[32], c[32], d[32];
  pl_fmt_number(a, sizeof a, x), pl_fmt_number(b, sizeof b, y);
  pl_fmt_number(c, sizeof c, lo), pl_fmt_number(d, sizeof d, hi);
  pl_json_fail(j, node,
               "%s: the distribution ranges over [%s, %s], outside the "
               "parameter's range [%s, %s]",
               what, a, b, c, d);
  return false;
}

static const char *const DIST_KEYS[] = {"uniform", "interval", "triangular",
                                        "normal",  "beta",     "range",
                                        "value",   NULL};

bool pl_read_dist(pl_json_doc *j, const json_t *v, const char *what, double lo,
                  double hi, pl_dist *d) {
  *d = (pl_dist){.kind = PL_DIST_FIXED, .lo = lo, .hi = hi};
  if (json_is_number(v)) {
    double x = json_number_value(v);
    if (!(x >= lo && x <= hi)) {
      char a[32], b[32], c[32];
      pl_fmt_number(a, sizeof a, x), pl_fmt_number(b, sizeof b, lo);
      pl_fmt_number(c, sizeof c, hi);
      pl_json_fail(j, v, "%s is %s; it must lie from %s to %s", what, a, b, c);
      return false;
    }
    d->base = d->lo = d->hi = x;
    return true;
  }
  if (!json_is_object(v)) {
    pl_json_fail(j, v,
                 "%s must be a number or a distribution ({\"uniform\": [min, "
                 "max]}, ...), not %s",
                 what, pl_json_type_name(v));
    return false;
  }
  pl_json_check_keys(j, v, "a distribution", DIST_KEYS, false);
  const char *kinds[] = {"uniform", "interval", "triangular", "normal", "beta"};
  const json_t *par = NULL;
  int kind = -1, n = 0;
  for (int k = 0; k < 5; k++)
    if (json_object_get(v, kinds[k]))
      par = json_object_get(v, kinds[k]), kind = k, n++;
  if (n != 1) {
    pl_json_fail(j, v,
                 "%s: a distribution names exactly one of \"uniform\" (or "
                 "\"interval\"), \"triangular\", \"normal\" and \"beta\"",
                 what);
    return false;
  }
  double x[3];
  char a[32], b[32];
  switch (kind) {
  case 0:
  case 1:
    if (!numbers(j, par, 2, kinds[kind], what, x))
      return false;
    if (x[0] > x[1]) {
      pl_fmt_number(a, sizeof a, x[0]), pl_fmt_number(b, sizeof b, x[1]);
      pl_json_fail(j, par, "%s: the interval has min %s > max %s", what, a, b);
      return false;
    }
    *d = (pl_dist){PL_DIST_UNIFORM, x[0], x[1], 0, 0, (x[0] + x[1]) / 2};
    break;
  case 2:
    if (!numbers(j, par, 3, "triangular", what, x))
      return false;
    if (!(x[0] <= x[1] && x[1] <= x[2])) {
      pl_json_fail(j, par,
                   "%s: \"triangular\" is [min, mode, max] with min <= mode "
                   "<= max",
                   what);
      return false;
    }
    *d = (pl_dist){PL_DIST_TRIANGULAR, x[0], x[2], x[1], 0, x[1]};
    break;
  case 3: {
    if (!numbers(j, par, 2, "normal", what, x))
      return false;
    double r[2] = {lo, hi};
    const json_t *range = json_object_get(v, "range");
    if (range && !numbers(j, range, 2, "range", what, r))
      return false;
    if (range && r[0] > r[1]) {
      pl_json_fail(j, range, "%s: the range has min > max", what);
      return false;
    }
    if (!(x[1] > 0)) {
      pl_json_fail(j, par, "%s: \"normal\" is [mean, sd] with sd > 0", what);
      return false;
    }
    if (!in_range(j, range ? range : par, what, r[0], r[1], lo, hi))
      return false;
    if (!(x[0] >= r[0] && x[0] <= r[1])) {
      pl_json_fail(j, par, "%s: the mean lies outside the range", what);
      return false;
    }
    if (pl_normal_mass(x[0], x[1], r[0], r[1]) < 0.01) {
      pl_json_fail(j, par,
                   "%s: the range keeps less than 1%% of the normal's mass",
                   what);
      return false;
    }
    *d = (pl_dist){PL_DIST_NORMAL, r[0], r[1], x[0], x[1], x[0]};
    return true; /* the range was checked */
  }
  case 4:
    if (!numbers(j, par, 2, "beta", what, x))
      return false;
    if (!(x[0] > 0 && x[1] > 0 && x[0] < 1e6 && x[1] < 1e6)) {
      pl_json_fail(j, par, "%s: \"beta\" is [alpha, beta], both > 0", what);
      return false;
    }
    *d = (pl_dist){PL_DIST_BETA, 0, 1, x[0], x[1], x[0] / (x[0] + x[1])};
    break;
  }
  if (json_object_get(v, "range")) {
    pl_json_fail_member(j, v, "range", true,
                        "%s: \"range\" only goes with \"normal\"", what);
    return false;
  }
  if (!in_range(j, par, what, d->lo, d->hi, lo, hi))
    return false;
  const json_t *base = json_object_get(v, "value");
  if (base) {
    if (!json_is_number(base) || json_number_value(base) < d->lo ||
        json_number_value(base) > d->hi) {
      pl_json_fail(j, base,
                   "%s: \"value\" must be a number within the "
                   "distribution's range",
                   what);
      return false;
    }
    d->base = json_number_value(base);
  }
  return true;
}

bool pl_uncertain_add(pl_scenario *s, pl_param_kind kind, uint32_t actor,
                      uint32_t issue, uint32_t value, const pl_dist *d) {
  pl_uncertainty *u = unc_of(s);
  if (!u)
    return false;
  if (u->nparams == u->cap) {
    uint32_t cap = u->cap ? 2 * u->cap : 16;
    pl_param *p = pl_arena_calloc(&s->arena, cap, sizeof *p);
    if (!p)
      return false;
    if (u->nparams)
      memcpy(p, u->params, u->nparams * sizeof *p);
    u->params = p, u->cap = cap;
  }
  u->params[u->nparams++] = (pl_param){
      .kind = kind, .actor = actor, .issue = issue, .value = value, .dist = *d};
  return true;
}

bool pl_read_dirichlet(pl_json_doc *j, pl_scenario *s, const json_t *alphas,
                       uint32_t actor, double *weights, const char *who) {
  pl_uncertainty *u = unc_of(s);
  double *alpha = pl_arena_calloc(&s->arena, s->nissues, sizeof *alpha);
  if (!u || !alpha)
    return false;
  if (!json_is_object(alphas) || json_object_size(alphas) == 0) {
    pl_json_fail(j, alphas,
                 "%s: \"dirichlet\" takes an object {issue: alpha > 0}", who);
    return false;
  }
  double sum = 0;
  bool ok = true;
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)alphas, key, v) {
    int32_t i = pl_find_issue(s, key);
    if (i < 0) {
      pl_json_fail_key(j, v, "%s: \"dirichlet\" names unknown issue '%s'", who,
                       key);
      ok = false;
      continue;
    }
    if (!json_is_number(v) || !(json_number_value(v) > 0) ||
        json_number_value(v) > 1e9) {
      pl_json_fail(j, v, "%s: the Dirichlet alpha of '%s' must be a number > 0",
                   who, key);
      ok = false;
      continue;
    }
    alpha[i] = json_number_value(v);
    sum += alpha[i];
  }
  if (!ok)
    return false;
  for (uint32_t i = 0; i < s->nissues; i++)
    weights[i] = alpha[i] / sum;
  if (u->ndirichlet == u->capd) {
    uint32_t cap = u->capd ? 2 * u->capd : 8;
    pl_dirichlet *p = pl_arena_calloc(&s->arena, cap, sizeof *p);
    if (!p)
      return false;
    if (u->ndirichlet)
      memcpy(p, u->dirichlet, u->ndirichlet * sizeof *p);
    u->dirichlet = p, u->capd = cap;
  }
  u->dirichlet[u->ndirichlet++] = (pl_dirichlet){actor, alpha};
  return true;
}

/* ---- Variants ----------------------------------------------------------- */

typedef struct setlist {
  pl_param *p;
  uint32_t n, cap;
} setlist;

static bool push(pl_scenario *s, setlist *l, pl_param p) {
  if (l->n == l->cap) {
    uint32_t cap = l->cap ? 2 * l->cap : 8;
    pl_param *q = pl_arena_calloc(&s->arena, cap, sizeof *q);
    if (!q)
      return false;
    if (l->n)
      memcpy(q, l->p, l->n * sizeof *q);
    l->p = q, l->cap = cap;
  }
  l->p[l->n++] = p;
  return true;
}

/* One actor's settings in a variant: reservation/threshold, weights,
 * values (categorical tables). */
static bool load_settings(pl_json_doc *j, pl_scenario *s, const json_t *js,
                          uint32_t a, setlist *l, const char *who) {
  static const char *const keys[] = {"reservation", "threshold", "weights",
                                     "values", NULL};
  if (!json_is_object(js)) {
    pl_json_fail(j, js, "%s must be an object of settings", who);
    return false;
  }
  pl_json_check_keys(j, js, who, keys, false);
  bool party = a < s->nparties, ok = true;
  const char *tkey = party ? "reservation" : "threshold";
  if (json_object_get(js, party ? "threshold" : "reservation")) {
    pl_json_fail_member(j, js, party ? "threshold" : "reservation", true,
                        "%s: a %s has a \"%s\"", who,
                        party ? "party" : "ratifier", tkey);
    ok = false;
  }
  pl_dist d;
  const json_t *t = json_object_get(js, tkey);
  if (t) {
    ok &= pl_read_dist(j, t, who, 0, 1, &d) &&
          push(s, l, (pl_param){PL_PARAM_THRESHOLD, a, 0, 0, d});
  }
  const json_t *w = json_object_get(js, "weights");
  const char *key;
  json_t *v;
  if (w) {
    json_object_foreach((json_t *)w, key, v) {
      int32_t i = pl_find_issue(s, key);
      if (i < 0) {
        pl_json_fail_key(j, v, "%s names unknown issue '%s'", who, key);
        ok = false;
        continue;
      }
      ok &= pl_read_dist(j, v, who, 0, 1, &d) &&
            push(s, l, (pl_param){PL_PARAM_WEIGHT, a, (uint32_t)i, 0, d});
    }
  }
  const json_t *vals = json_object_get(js, "values");
  if (vals) {
    json_object_foreach((json_t *)vals, key, v) {
      int32_t i = pl_find_issue(s, key);
      if (i < 0 || s->issues[i].kind != PL_ISSUE_CATEGORICAL ||
          !json_is_object(v) || !s->actors[a].values[i]) {
        pl_json_fail_key(j, v,
                         "%s: values are set per option of a categorical "
                         "issue the actor has values for ('%s' is not one)",
                         who, key);
        ok = false;
        continue;
      }
      const char *opt;
      json_t *x;
      json_object_foreach(v, opt, x) {
        int64_t k = pl_issue_find_label(&s->issues[i], opt);
        if (k < 0) {
          pl_json_fail_key(j, x, "%s: '%s' is not an option of '%s'", who, opt,
                           key);
          ok = false;
          continue;
        }
        ok &= pl_read_dist(j, x, who, 0, 1, &d) &&
              push(s, l,
                   (pl_param){PL_PARAM_VALUE, a, (uint32_t)i, (uint32_t)k, d});
      }
    }
  }
  return ok;
}

static bool load_actor_settings(pl_json_doc *j, pl_scenario *s,
                                const json_t *map, bool parties, setlist *l,
                                const char *vname) {
  if (!map)
    return true;
  if (!json_is_object(map)) {
    pl_json_fail(j, map,
                 "variant '%s': \"%s\" must be an object {name: "
                 "settings}",
                 vname, parties ? "parties" : "ratifiers");
    return false;
  }
  bool ok = true;
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)map, key, v) {
    int32_t a = pl_find_actor(s, key);
    bool right = a >= 0 && ((uint32_t)a < s->nparties) == parties;
    if (!right) {
      pl_json_fail_key(j, v, "variant '%s' names unknown %s '%s'", vname,
                       parties ? "party" : "ratifier", key);
      ok = false;
      continue;
    }
    char who[400];
    snprintf(who, sizeof who, "variant '%s', %s", vname, key);
    ok &= load_settings(j, s, v, (uint32_t)a, l, who);
  }
  return ok;
}

bool pl_load_variants(pl_json_doc *j, pl_scenario *s, const json_t *root) {
  const json_t *arr = json_object_get(root, "variants");
  if (!arr)
    return true;
  size_t n = json_array_size(arr);
  if (!json_is_array(arr) || n == 0 || n > 1000) {
    pl_json_fail(j, arr, "\"variants\" must be an array of 1 to 1000 variants");
    return false;
  }
  pl_uncertainty *u = unc_of(s);
  pl_variant *vs = pl_arena_calloc(&s->arena, n, sizeof *vs);
  if (!u || !vs)
    return false;
  static const char *const keys[] = {"name", "probability", "parties",
                                     "ratifiers", NULL};
  bool ok = true;
  double total = 0;
  for (size_t k = 0; k < n; k++) {
    const json_t *v = json_array_get(arr, k);
    char what[64];
    snprintf(what, sizeof what, "variant %zu", k + 1);
    if (!json_is_object(v)) {
      pl_json_fail(j, v, "%s must be an object", what);
      ok = false;
      continue;
    }
    pl_json_check_keys(j, v, what, keys, false);
    vs[k].name = pl_json_get_string(j, &s->arena, v, "name", true, what);
    ok &= vs[k].name && pl_json_get_number(j, v, "probability", true, what,
                                           1e-12, 1, &vs[k].probability);
    total += vs[k].probability;
    setlist l = {0};
    if (vs[k].name) {
      ok &= load_actor_settings(j, s, json_object_get(v, "parties"), true, &l,
                                vs[k].name);
      ok &= load_actor_settings(j, s, json_object_get(v, "ratifiers"), false,
                                &l, vs[k].name);
    }
    vs[k].set = l.p, vs[k].nset = l.n;
  }
  if (ok && fabs(total - 1.0) > 1e-9) {
    char b[32];
    pl_fmt_number(b, sizeof b, total);
    pl_json_fail(j, arr,
                 "the probabilities of the variants sum to %s; they must sum "
                 "to 1 (within 1e-9)",
                 b);
    ok = false;
  }
  u->variants = vs, u->nvariants = (uint32_t)n;
  return ok;
}
