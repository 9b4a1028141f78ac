/* scenario_body.c - reading a ratifier's "body" (docs/scenario-format.md,
 * section 7.1): chambers of blocs, a voting rule, a pass probability. */
#include "io/scenario_extra.h"

#include "model/body.h"
#include "util/fmt.h"

#include <string.h>

static void *arena_alloc(void *ctx, size_t n, size_t size) {
  return pl_arena_calloc(ctx, n, size);
}

static bool seat_count(pl_json_doc *j, const json_t *obj, const char *key,
                       const char *what, uint32_t *out) {
  const json_t *v = json_object_get(obj, key);
  if (!v)
    return true;
  if (!json_is_integer(v) || json_integer_value(v) < 1 ||
      json_integer_value(v) > PL_MAX_SEATS) {
    pl_json_fail(j, v, "\"%s\" of %s must be a whole number from 1 to %d", key,
                 what, PL_MAX_SEATS);
    return false;
  }
  *out = (uint32_t)json_integer_value(v);
  return true;
}

static bool load_bloc(pl_json_doc *j, pl_arena *A, const json_t *js, pl_bloc *b,
                      const char *chamber) {
  static const char *const keys[] = {"name",    "seats", "loyalty",
                                     "abstain", "shift", NULL};
  char what[1024];
  snprintf(what, sizeof what, "a bloc of %s", chamber);
  if (!json_is_object(js)) {
    pl_json_fail(j, js, "%s must be an object, not %s", what,
                 pl_json_type_name(js));
    return false;
  }
  pl_json_check_keys(j, js, what, keys, true);
  b->name = pl_json_get_string(j, A, js, "name", true, what);
  if (b->name)
    snprintf(what, sizeof what, "bloc '%s' of %s", b->name, chamber);
  b->seats = 1;
  b->loyalty = 1;
  bool ok = b->name != NULL && seat_count(j, js, "seats", what, &b->seats);
  if (json_object_get(js, "loyalty"))
    ok &=
        pl_json_get_number(j, js, "loyalty", false, what, 0.5, 1, &b->loyalty);
  if (json_object_get(js, "abstain"))
    ok &= pl_json_get_number(j, js, "abstain", false, what, 0, 0.999999,
                             &b->abstain);
  if (json_object_get(js, "shift"))
    ok &= pl_json_get_number(j, js, "shift", false, what, -1, 1, &b->shift);
  return ok;
}

/* The rule by name: a fraction num/den of the votes (or seats), strict or
 * not. */
static bool load_rule_name(pl_json_doc *j, const json_t *js, pl_chamber *c,
                           const char *what) {
  static const struct {
    const char *name;
    uint32_t num, den;
    bool strict;
  } rules[] = {{"majority", 1, 2, true},
               {"two-thirds", 2, 3, false},
               {"three-fifths", 3, 5, false},
               {"three-quarters", 3, 4, false}};
  c->num = 1, c->den = 2, c->strict = true;
  const json_t *r = json_object_get(js, "rule");
  if (!r)
    return true;
  for (size_t k = 0; json_is_string(r) && k < sizeof rules / sizeof *rules; k++)
    if (!strcmp(json_string_value(r), rules[k].name)) {
      c->num = rules[k].num, c->den = rules[k].den, c->strict = rules[k].strict;
      return true;
    }
  pl_json_fail(j, r,
               "\"rule\" of %s must be \"majority\", \"two-thirds\", "
               "\"three-fifths\" or \"three-quarters\"",
               what);
  return false;
}

static bool load_of(pl_json_doc *j, const json_t *js, pl_chamber *c,
                    const char *what) {
  const json_t *of = json_object_get(js, "of");
  c->of_seats = false;
  if (!of)
    return true;
  if (json_is_string(of) && (!strcmp(json_string_value(of), "all seats") ||
                             !strcmp(json_string_value(of), "votes cast"))) {
    c->of_seats = !strcmp(json_string_value(of), "all seats");
    return true;
  }
  pl_json_fail(j, of, "\"of\" of %s must be \"votes cast\" or \"all seats\"",
               what);
  return false;
}

static const char *const CHAMBER_KEYS[] = {"name",  "rule",  "of",
                                           "seats", "blocs", NULL};

static bool load_chamber(pl_json_doc *j, pl_arena *A, const json_t *js,
                         pl_chamber *c, const char *who, bool alone) {
  char what[400];
  c->name = json_is_object(js)
                ? pl_json_get_string(j, A, js, "name", false, "a chamber")
                : NULL;
  snprintf(what, sizeof what, "%s%s%s of %s",
           c->name ? "chamber '" : "the body", c->name ? c->name : "",
           c->name ? "'" : "", who);
  if (!json_is_object(js)) {
    pl_json_fail(j, js, "%s must be an object, not %s", what,
                 pl_json_type_name(js));
    return false;
  }
  if (!alone)
    pl_json_check_keys(j, js, what, CHAMBER_KEYS, true);
  const json_t *blocs = pl_json_get_array(j, js, "blocs", true, what);
  bool ok = load_rule_name(j, js, c, what);
  ok &= load_of(j, js, c, what); /* both are reported */
  if (!blocs)
    return false;
  c->nblocs = (uint32_t)json_array_size(blocs);
  if (c->nblocs == 0) {
    pl_json_fail(j, blocs, "%s has no blocs; list at least one", what);
    return false;
  }
  c->blocs = pl_arena_calloc(A, c->nblocs, sizeof *c->blocs);
  uint64_t sum = 0;
  for (uint32_t b = 0; b < c->nblocs; b++) {
    ok &= load_bloc(j, A, json_array_get(blocs, b), &c->blocs[b], what);
    sum += c->blocs[b].seats;
  }
  uint32_t seats = 0;
  ok &= seat_count(j, js, "seats", what, &seats);
  if (ok && seats && sum != seats) {
    pl_json_fail(j, json_object_get(js, "seats"),
                 "%s has %u seats but its blocs have %llu in all; the seats "
                 "of the blocs must add up to the body's",
                 what, seats, (unsigned long long)sum);
    return false;
  }
  if (ok && sum > PL_MAX_SEATS) {
    pl_json_fail(j, blocs, "%s has %llu seats; at most %d are supported", what,
                 (unsigned long long)sum, PL_MAX_SEATS);
    return false;
  }
  c->seats = (uint32_t)sum;
  return ok;
}

bool pl_load_body(pl_json_doc *j, pl_scenario *s, const json_t *ratifier,
                  pl_actor *a, const char *who) {
  const json_t *js = json_object_get(ratifier, "body");
  if (!js)
    return true;
  if (!json_is_object(js)) {
    pl_json_fail(j, js, "\"body\" of %s must be an object, not %s", who,
                 pl_json_type_name(js));
    return false;
  }
  pl_arena *A = &s->arena;
  pl_body *b = pl_arena_calloc(A, 1, sizeof *b);
  if (!b)
    return false;
  b->pass_probability = 0.5;
  bool ok = true;
  if (json_object_get(js, "pass_probability"))
    ok &= pl_json_get_number(j, js, "pass_probability", false, who, 1e-9, 1,
                             &b->pass_probability);
  const json_t *ch = json_object_get(js, "chambers");
  if (ch) {
    static const char *const keys[] = {"pass_probability", "chambers", NULL};
    pl_json_check_keys(j, js, "\"body\"", keys, false);
    if (!json_is_array(ch) || json_array_size(ch) == 0 ||
        json_array_size(ch) > 8) {
      pl_json_fail(j, ch,
                   "\"chambers\" of %s must be an array of 1 to 8 "
                   "chambers",
                   who);
      return false;
    }
    b->nchambers = (uint32_t)json_array_size(ch);
    b->chambers = pl_arena_calloc(A, b->nchambers, sizeof *b->chambers);
    for (uint32_t k = 0; k < b->nchambers; k++)
      ok &= load_chamber(j, A, json_array_get(ch, k), &b->chambers[k], who,
                         false);
  } else {
    static const char *const keys[] = {
        "pass_probability", "name", "rule", "of", "seats", "blocs", NULL};
    pl_json_check_keys(j, js, "\"body\"", keys, false);
    b->nchambers = 1;
    b->chambers = pl_arena_calloc(A, 1, sizeof *b->chambers);
    ok &= load_chamber(j, A, js, &b->chambers[0], who, true);
  }
  if (!ok)
    return false;
  b->threshold = a->threshold;
  if (!pl_body_prepare(b, arena_alloc, A)) {
    char p[32], q[32];
    pl_fmt_number(p, sizeof p, b->prob ? b->prob[b->nlevels] : 0);
    pl_fmt_number(q, sizeof q, b->pass_probability);
    pl_json_fail(j, js,
                 "%s can never ratify: with every bloc in favour its vote "
                 "passes with probability %s, below its pass_probability %s",
                 who, p, q);
    return false;
  }
  if (b->always)
    b->offset = -1.0 - b->threshold;
  a->threshold = b->threshold + b->offset;
  a->body = b;
  return true;
}
