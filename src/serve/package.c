/* package.c - packages in requests and responses ("package" by names,
 * "values" by indices, "proposal" by name) and the scenario's summary. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SV_TEXT = 256 };

static json_t *value_text(const pl_scenario *s, uint32_t issue, uint32_t v) {
  char buf[SV_TEXT];
  pl_issue_value_text(s, issue, v, buf, sizeof buf);
  return json_string(buf);
}

json_t *sv_package_object(const pl_scenario *s, const uint32_t *values) {
  json_t *o = json_object();
  for (uint32_t i = 0; i < pl_scenario_num_issues(s); i++)
    json_object_set_new(o, pl_issue_name(s, i), value_text(s, i, values[i]));
  return o;
}

json_t *sv_values_array(const pl_scenario *s, const uint32_t *values) {
  json_t *a = json_array();
  for (uint32_t i = 0; i < pl_scenario_num_issues(s); i++)
    json_array_append_new(a, json_integer(values[i]));
  return a;
}

/* The index of a value given as text or as a number; false when none. */
static bool find_value(const pl_scenario *s, uint32_t issue, const json_t *v,
                       uint32_t *out) {
  uint32_t n = pl_issue_num_values(s, issue);
  char buf[SV_TEXT];
  for (uint32_t k = 0; k < n; k++) {
    pl_issue_value_text(s, issue, k, buf, sizeof buf);
    if (json_is_string(v) && !strcmp(buf, json_string_value(v))) {
      *out = k;
      return true;
    }
    if (json_is_number(v)) {
      char *end;
      double x = strtod(buf, &end);
      if (end != buf && !*end &&
          fabs(x - json_number_value(v)) <= 1e-9 * fmax(1, fabs(x))) {
        *out = k;
        return true;
      }
    }
  }
  return false;
}

static bool read_by_names(const pl_scenario *s, const json_t *pkg,
                          uint32_t *values, sv_response *res) {
  if (!json_is_object(pkg)) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'package' must be an object: issue name -> value");
    return false;
  }
  uint32_t ni = pl_scenario_num_issues(s);
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)pkg, key, v) {
    uint32_t i = 0;
    while (i < ni && strcmp(pl_issue_name(s, i), key))
      i++;
    if (i == ni) {
      sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                     "'package' names issue '%s', which the scenario does "
                     "not have",
                     key);
      return false;
    }
  }
  for (uint32_t i = 0; i < ni; i++) {
    json_t *x = json_object_get(pkg, pl_issue_name(s, i));
    if (!x) {
      sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                     "'package' gives no value for issue '%s'",
                     pl_issue_name(s, i));
      return false;
    }
    if (!find_value(s, i, x, &values[i])) {
      char *shown = json_dumps(x, JSON_ENCODE_ANY | JSON_COMPACT);
      sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                     "issue '%s' has no value %s", pl_issue_name(s, i),
                     shown ? shown : "?");
      free(shown);
      return false;
    }
  }
  return true;
}

static bool read_by_indices(const pl_scenario *s, const json_t *arr,
                            uint32_t *values, sv_response *res) {
  uint32_t ni = pl_scenario_num_issues(s);
  if (!json_is_array(arr) || json_array_size(arr) != ni) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'values' must be an array of %u value indices, one per "
                   "issue",
                   ni);
    return false;
  }
  for (uint32_t i = 0; i < ni; i++) {
    json_t *x = json_array_get(arr, i);
    if (!json_is_integer(x) || json_integer_value(x) < 0 ||
        json_integer_value(x) >= pl_issue_num_values(s, i)) {
      sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                     "'values'[%u] must be a value index of issue '%s', "
                     "from 0 to %u",
                     i, pl_issue_name(s, i), pl_issue_num_values(s, i) - 1);
      return false;
    }
    values[i] = (uint32_t)json_integer_value(x);
  }
  return true;
}

bool sv_read_package(const pl_scenario *s, const json_t *obj, uint32_t *values,
                     bool *given, sv_response *res) {
  json_t *pkg = json_object_get(obj, "package");
  json_t *idx = json_object_get(obj, "values");
  json_t *prop = json_object_get(obj, "proposal");
  int forms = (pkg != NULL) + (idx != NULL) + (prop != NULL);
  *given = forms > 0;
  if (forms > 1) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "give one of 'package', 'values' and 'proposal'");
    return false;
  }
  if (pkg)
    return read_by_names(s, pkg, values, res);
  if (idx)
    return read_by_indices(s, idx, values, res);
  if (!prop)
    return true;
  if (!json_is_string(prop)) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'proposal' must be a proposal's name");
    return false;
  }
  for (uint32_t k = 0; k < pl_scenario_num_proposals(s); k++)
    if (!strcmp(pl_proposal_name(s, k), json_string_value(prop)))
      return pl_proposal_values(s, k, values);
  sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                 "the scenario has no proposal named '%s'",
                 json_string_value(prop));
  return false;
}

bool sv_party_can_sign(const pl_scenario *s, uint32_t party,
                       const uint32_t *values) {
  if (!pl_outcome_feasible(s, values) ||
      !pl_party_red_lines_hold(s, party, values))
    return false;
  for (uint32_t r = 0; r < pl_scenario_num_ratifiers(s); r++)
    if (pl_ratifier_party(s, r) == (int32_t)party &&
        !pl_ratifier_approves(s, r, values))
      return false;
  return true;
}

/* ---- The summary of GET /api/scenario ------------------------------------
 */

static json_t *issues_json(const pl_scenario *s) {
  json_t *a = json_array();
  for (uint32_t i = 0; i < pl_scenario_num_issues(s); i++) {
    json_t *vals = json_array();
    uint32_t n = pl_issue_num_values(s, i);
    /* Huge numeric issues: the first thousand values (the document
     * has them all). */
    for (uint32_t k = 0; k < n && k < 1000; k++)
      json_array_append_new(vals, value_text(s, i, k));
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(pl_issue_name(s, i)));
    json_object_set_new(o, "num_values", json_integer(n));
    json_object_set_new(o, "values", vals);
    json_array_append_new(a, o);
  }
  return a;
}

static json_t *parties_json(const pl_scenario *s) {
  json_t *a = json_array();
  for (uint32_t p = 0; p < pl_scenario_num_parties(s); p++) {
    json_t *rl = json_array();
    for (uint32_t k = 0; k < pl_party_num_red_lines(s, p); k++)
      json_array_append_new(rl, json_string(pl_red_line_name(s, p, k)));
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(pl_party_name(s, p)));
    json_object_set_new(o, "reservation",
                        json_real(pl_party_reservation(s, p)));
    json_object_set_new(o, "red_lines", rl);
    json_array_append_new(a, o);
  }
  return a;
}

static json_t *ratifiers_json(const pl_scenario *s) {
  json_t *a = json_array();
  for (uint32_t r = 0; r < pl_scenario_num_ratifiers(s); r++) {
    int32_t p = pl_ratifier_party(s, r);
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(pl_ratifier_name(s, r)));
    json_object_set_new(o, "party",
                        p >= 0 ? json_string(pl_party_name(s, (uint32_t)p))
                               : json_null());
    json_object_set_new(o, "threshold", json_real(pl_ratifier_threshold(s, r)));
    json_array_append_new(a, o);
  }
  return a;
}

static json_t *proposals_json(const pl_scenario *s) {
  json_t *a = json_array();
  uint32_t *v = calloc(pl_scenario_num_issues(s) + 1, sizeof *v);
  for (uint32_t k = 0; v && k < pl_scenario_num_proposals(s); k++) {
    pl_proposal_values(s, k, v);
    const char *by = pl_proposal_by(s, k);
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(pl_proposal_name(s, k)));
    json_object_set_new(o, "by", by ? json_string(by) : json_null());
    json_object_set_new(o, "package", sv_package_object(s, v));
    json_object_set_new(o, "values", sv_values_array(s, v));
    json_array_append_new(a, o);
  }
  free(v);
  return a;
}

json_t *sv_scenario_summary(const pl_scenario *s) {
  json_t *c = json_array();
  for (uint32_t k = 0; k < pl_scenario_num_constraints(s); k++)
    json_array_append_new(c, json_string(pl_constraint_name(s, k)));
  json_t *o = json_object();
  json_object_set_new(o, "issues", issues_json(s));
  json_object_set_new(o, "parties", parties_json(s));
  json_object_set_new(o, "ratifiers", ratifiers_json(s));
  json_object_set_new(o, "constraints", c);
  json_object_set_new(o, "proposals", proposals_json(s));
  return o;
}
