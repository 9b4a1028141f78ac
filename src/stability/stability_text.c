/* stability_text.c - the human-readable stability report. */
#include "stability/describe.h"
#include "util/wrap.h"

#include <stdlib.h>
#include <string.h>

/* Lists longer than this are cut ("... and 120 more"). */
#define MAX_LISTED 24
/* Per-state tables and explanations only for conflicts this small. */
#define MAX_TABLE_STATES 64
/* Improvements explained per DM for a focus state. */
#define MAX_FOCUS_MOVES 4

typedef struct out {
  const pl_stability *a;
  FILE *f;
} out;

static void label(const out *o, uint64_t code, char *buf, size_t len) {
  gm_state_label(o->a, code, buf, len);
}

/* "Russia -ru_withdraw -> 40 [...]; Ukraine ... -> 36 [...]" */
static void print_path(const out *o, uint64_t from, const gm_path *p) {
  char ch[512], lb[1024];
  for (uint32_t k = 0; k < p->n; k++) {
    gm_move_text(o->a->c, from, p->steps[k].code, ch, sizeof ch);
    label(o, p->steps[k].code, lb, sizeof lb);
    fprintf(o->f, "%s%s %s -> %s", k ? "; then " : "",
            o->a->c->dms[p->steps[k].dm].name, ch, lb);
    from = p->steps[k].code;
  }
}

/* ---- Head: the model ------------------------------------------------------
 */

static void print_model(const out *o) {
  const pl_conflict *c = o->a->c;
  fprintf(o->f, "Conflict: %s\n", c->title ? c->title : c->name);
  uint64_t all = (uint64_t)1 << c->m;
  fprintf(o->f,
          "%u decision makers, %u options; %llu of %llu states are "
          "feasible.\n",
          c->n, c->m, (unsigned long long)o->a->x.space.count,
          (unsigned long long)all);
  fprintf(o->f,
          "The feasible states are numbered 1 to %llu in increasing "
          "order of their decimal code\n(sum of 2^k over the options k "
          "taken); [..] lists state numbers.\n\n",
          (unsigned long long)o->a->x.space.count);
  fprintf(o->f, "Decision makers and options\n");
  for (uint32_t i = 0; i < c->n; i++) {
    fprintf(o->f, "  %s\n", c->dms[i].name);
    for (uint32_t k = 0; k < c->m; k++) {
      const gm_option *op = &c->options[k];
      if (op->dm != (int32_t)i)
        continue;
      fprintf(o->f, "    %-16s %s%s\n", op->name,
              op->description ? op->description : "",
              op->rev == GM_REV_TO_YES  ? " (can only be taken)"
              : op->rev == GM_REV_TO_NO ? " (can only be dropped)"
                                        : "");
    }
  }
}

static void print_preferences(const out *o) {
  const pl_conflict *c = o->a->c;
  fprintf(o->f, "\nPreferences (most important statement first)\n");
  for (uint32_t i = 0; i < c->n; i++) {
    const gm_dm *dm = &c->dms[i];
    fprintf(o->f, "  %s%s\n", dm->name,
            dm->ranked ? ": an explicit ranking of the states" : "");
    for (uint32_t k = 0; !dm->ranked && k < dm->nstmts; k++) {
      fprintf(o->f, "    %u. %s\n", k + 1, dm->stmts[k].text);
      if (dm->stmts[k].source) {
        fprintf(o->f, "       rests on: ");
        pl_text_wrap(o->f, dm->stmts[k].source, 17, 17, 100);
      }
    }
  }
}

/* ---- Equilibria ------------------------------------------------------------
 */

static void print_states(const out *o, const uint64_t *idx, uint64_t n,
                         const char *indent) {
  char lb[1024];
  for (uint64_t k = 0; k < n && k < MAX_LISTED; k++) {
    label(o, gm_code(&o->a->x.space, idx[k]), lb, sizeof lb);
    fprintf(o->f, "%s%s\n", indent, lb);
  }
  if (n > MAX_LISTED)
    fprintf(o->f, "%s... and %llu more\n", indent,
            (unsigned long long)(n - MAX_LISTED));
}

static void print_equilibria(const out *o) {
  const pl_stability *a = o->a;
  uint64_t F = a->x.space.count;
  uint64_t *list = malloc((F ? F : 1) * sizeof *list);
  if (!list)
    return;
  fprintf(o->f, "\nEquilibria (states stable for every decision maker)\n");
  for (unsigned k = 0; k < GM_NCONCEPTS; k++) {
    if (!(a->concepts >> k & 1))
      continue;
    uint64_t n = 0;
    for (uint64_t s = 0; s < F; s++)
      if (gm_equilibrium(a, k, s))
        list[n++] = s;
    fprintf(o->f, "  %s: %llu\n", GM_CONCEPT_NAME[k], (unsigned long long)n);
    print_states(o, list, n, "    ");
  }
  free(list);
}

/* ---- Focus states ----------------------------------------------------------
 */

static void print_deterrence(const out *o, unsigned k, uint32_t i, uint64_t s,
                             uint64_t t) {
  char ch[512], lb[1024];
  gm_move_text(o->a->c, s, t, ch, sizeof ch);
  label(o, t, lb, sizeof lb);
  fprintf(o->f, "      %s %s -> %s: ", o->a->c->dms[i].name, ch, lb);
  gm_path p = gm_sanction(o->a, k, i, s, t);
  if (!p.found) { /* the search stops at 2^22 pairs; the flags are exact */
    bool stable = gm_stable(o->a, k, i, gm_index(&o->a->x.space, s));
    fprintf(o->f, "%s\n",
            stable ? "deterred (the search for the shortest "
                     "sanction was cut short)."
                   : "nothing deters it.");
    return;
  }
  fprintf(o->f, "deterred: ");
  print_path(o, t, &p);
  fprintf(o->f, ", which %s likes no more than %llu.\n", o->a->c->dms[i].name,
          (unsigned long long)gm_index(&o->a->x.space, s) + 1);
  gm_path_free(&p);
}

static void print_focus_concept(const out *o, unsigned k, uint64_t s) {
  const pl_stability *a = o->a;
  uint64_t idx = gm_index(&a->x.space, s);
  bool eq = gm_equilibrium(a, k, idx);
  fprintf(o->f, "  %s: %s", GM_CONCEPT_NAME[k],
          eq ? "stable for every decision maker" : "unstable for");
  for (uint32_t i = 0, first = 1; !eq && i < a->c->n; i++)
    if (!gm_stable(a, k, i, idx)) {
      fprintf(o->f, "%s %s", first ? "" : ",", a->c->dms[i].name);
      first = 0;
    }
  fprintf(o->f, "\n");
  for (uint32_t i = 0; i < a->c->n; i++) {
    uint64_t moves[MAX_FOCUS_MOVES];
    uint32_t nm = gm_improvements(a, i, s, moves, MAX_FOCUS_MOVES);
    for (uint32_t j = 0; j < nm; j++) {
      if (k == PL_CONCEPT_NASH) {
        char ch[512], lb[1024];
        gm_move_text(a->c, s, moves[j], ch, sizeof ch);
        label(o, moves[j], lb, sizeof lb);
        fprintf(o->f, "      %s can improve: %s -> %s\n", a->c->dms[i].name, ch,
                lb);
      } else {
        print_deterrence(o, k, i, s, moves[j]);
      }
    }
  }
}

static void print_joint(const out *o, uint64_t s) {
  const pl_stability *a = o->a;
  uint32_t n = a->c->n;
  if (n > 6)
    return;
  bool any = false, cut = false;
  for (uint64_t H = 1; H < ((uint64_t)1 << n); H++) {
    gm_path p;
    if (__builtin_popcountll(H) < 2 ||
        !gm_joint_improvement(&a->x, H, s, &p, &cut))
      continue;
    fprintf(o->f, "%s    ",
            any ? ""
                : "  Joint moves that every member "
                  "of a coalition prefers:\n");
    for (uint32_t i = 0, first = 1; i < n; i++)
      if (H >> i & 1) {
        fprintf(o->f, "%s%s", first ? "" : " + ", a->c->dms[i].name);
        first = 0;
      }
    fprintf(o->f, ": ");
    print_path(o, s, &p);
    fprintf(o->f, "\n");
    gm_path_free(&p);
    any = true;
  }
  if (!any)
    fprintf(o->f,
            "  No coalition can move from here to a state all its "
            "members prefer%s.\n",
            cut ? " (as far as searched: some searches were cut short)" : "");
}

static void print_focus(const out *o, uint64_t s, const char *why) {
  char lb[1024];
  label(o, s, lb, sizeof lb);
  fprintf(o->f, "\nState %s%s\n", lb, why);
  for (unsigned k = 0; k < GM_NCONCEPTS; k++)
    if (o->a->concepts >> k & 1)
      print_focus_concept(o, k, s);
  print_joint(o, s);
}

static void print_focus_states(const out *o) {
  const pl_stability *a = o->a;
  bool from_named = false;
  for (uint32_t k = 0; k < a->c->nstates; k++) {
    print_focus(o, a->c->states[k].code, "");
    from_named |= a->has_from && a->c->states[k].code == a->from;
  }
  if (a->has_from && !from_named)
    print_focus(o, a->from, " (the status quo)");
}

/* ---- Status quo ------------------------------------------------------------
 */

static void print_target(const out *o, uint64_t s, bool eq_only) {
  const pl_stability *a = o->a;
  uint64_t code = gm_code(&a->x.space, s);
  char lb[1024], eq[64] = "";
  for (unsigned k = 0; k < GM_NCONCEPTS; k++)
    if (a->concepts >> k & 1 && gm_equilibrium(a, k, s)) {
      strcat(eq, *eq ? ", " : "");
      strcat(eq, GM_CONCEPT_NAME[k]);
    }
  if ((eq_only && !*eq) || (!eq_only && (*eq || !gm_state_name(a->c, code))))
    return;
  label(o, code, lb, sizeof lb);
  fprintf(o->f, "    %s%s%s%s\n", lb, *eq ? " (" : "", eq, *eq ? ")" : "");
  gm_path pi = gm_bfs_path(a->by_improvements, code);
  gm_path pm = gm_bfs_path(a->by_moves, code);
  if (pi.found && pi.n == 0)
    fprintf(o->f, "      it is the status quo\n");
  else if (pi.found)
    fprintf(o->f, "      by %u improving move%s: ", pi.n, pi.n == 1 ? "" : "s");
  else if (pm.found)
    fprintf(o->f, "      not by improving moves; by %u move%s: ", pm.n,
            pm.n == 1 ? "" : "s");
  else
    fprintf(o->f, "      not reachable from the status quo\n");
  if ((pi.found && pi.n) || (!pi.found && pm.found)) {
    print_path(o, a->from, pi.found ? &pi : &pm);
    fprintf(o->f, "\n");
  }
  gm_path_free(&pi);
  gm_path_free(&pm);
}

static void print_status_quo(const out *o) {
  const pl_stability *a = o->a;
  if (!a->has_from)
    return;
  char lb[1024];
  label(o, a->from, lb, sizeof lb);
  fprintf(o->f,
          "\nStatus quo analysis from %s\n"
          "  Shortest paths, no decision maker moving twice in a row; each "
          "move an\n  improvement for its mover when possible.\n",
          lb);
  if (gm_bfs_truncated(a->by_improvements) || gm_bfs_truncated(a->by_moves))
    fprintf(o->f, "  (search cut short: too many states)\n");
  fprintf(o->f, "  Equilibria:\n");
  uint64_t shown = 0;
  for (uint64_t s = 0; s < a->x.space.count && shown < MAX_LISTED; s++) {
    bool eq = false;
    for (unsigned k = 0; k < GM_NCONCEPTS; k++)
      eq |= a->concepts >> k & 1 && gm_equilibrium(a, k, s);
    if (eq) {
      print_target(o, s, true);
      shown++;
    }
  }
  bool named = false;
  for (uint32_t k = 0; k < a->c->nstates; k++) {
    uint64_t idx = gm_index(&a->x.space, a->c->states[k].code);
    bool eq = false;
    for (unsigned c = 0; c < GM_NCONCEPTS; c++)
      eq |= a->concepts >> c & 1 && gm_equilibrium(a, c, idx);
    named |= !eq;
  }
  if (named)
    fprintf(o->f, "  Named states that are not equilibria:\n");
  for (uint64_t s = 0; named && s < a->x.space.count; s++)
    print_target(o, s, false);
}

/* ---- Coalitions and limited move --------------------------------------- */

static void print_coalitions(const out *o) {
  const pl_stability *a = o->a;
  uint64_t F = a->x.space.count;
  uint64_t *list = malloc((F ? F : 1) * sizeof *list);
  for (uint32_t c = 0; list && c < a->ncoal; c++) {
    const gm_coalition *co = &a->coal[c];
    fprintf(o->f, "\nCoalition ");
    for (uint32_t i = 0, first = 1; i < a->c->n; i++)
      if (co->members >> i & 1) {
        fprintf(o->f, "%s%s", first ? "" : " + ", a->c->dms[i].name);
        first = 0;
      }
    fprintf(o->f, ": states where it has no joint improvement left open\n");
    for (unsigned k = 0; k < GM_NCONCEPTS; k++) {
      if (!(a->concepts >> k & 1) || k == PL_CONCEPT_SMR)
        continue;
      uint64_t n = 0;
      for (uint64_t s = 0; s < F; s++)
        if (co->flags[s] >> k & 1)
          list[n++] = s;
      fprintf(o->f, "  coalition %s: %llu\n", GM_CONCEPT_NAME[k],
              (unsigned long long)n);
      print_states(o, list, n, "    ");
    }
  }
  free(list);
}

static void print_lm_level(const out *o, uint16_t bit, const char *name) {
  const pl_stability *a = o->a;
  fprintf(o->f, "  %s equilibria:", name);
  uint64_t n = 0;
  for (uint64_t s = 0; s < a->x.space.count; s++)
    if (a->lm[s * 2] & a->lm[s * 2 + 1] & bit && n++ < MAX_LISTED)
      fprintf(o->f, " %llu", (unsigned long long)s + 1);
  fprintf(o->f, "%s\n", n ? (n > MAX_LISTED ? " ..." : "") : " none");
}

static void print_limited(const out *o) {
  const pl_stability *a = o->a;
  if (!a->has_lm)
    return;
  fprintf(o->f,
          "\nLimited-move stability (two decision makers)\n"
          "  Tie rule: a decision maker moves only if the anticipated final "
          "state is\n  strictly better than staying; among equally good "
          "anticipated states it\n  picks the one with the smallest "
          "number.\n");
  for (uint32_t h = 1; h <= a->opt.horizon && (h <= a->lm_max || a->lm_nm);
       h++) {
    char name[16];
    snprintf(name, sizeof name, "L%u", h);
    print_lm_level(o, (uint16_t)(1u << (h - 1)), name);
  }
  if (a->lm_nm) {
    fprintf(o->f, "  (the anticipated states settle from h = %u on)\n",
            a->lm_nm);
    print_lm_level(o, GM_LM_NM, "Non-myopic");
  } else {
    fprintf(o->f,
            "  Non-myopic: the anticipated states did not settle "
            "within %u moves\n",
            a->lm_max);
  }
}

/* ---- Small conflicts: every state ---------------------------------------- */

static void print_table(const out *o) {
  const pl_stability *a = o->a;
  if (a->x.space.count > MAX_TABLE_STATES)
    return;
  fprintf(o->f, "\nEvery state: the concepts under which it is stable, per "
                "decision maker\n");
  fprintf(o->f, "  (N Nash, G GMR, S SMR, Q SEQ; '.' unstable)\n");
  fprintf(o->f, "  %5s  %-*s", "state", (int)(a->c->m > 4 ? a->c->m : 4),
          "Y/N");
  for (uint32_t i = 0; i < a->c->n; i++)
    fprintf(o->f, "  %-6.6s", a->c->dms[i].name);
  fprintf(o->f, "\n");
  for (uint64_t s = 0; s < a->x.space.count; s++) {
    char yn[GM_MAX_OPTIONS + 1];
    gm_state_yn(a->c, gm_code(&a->x.space, s), yn);
    fprintf(o->f, "  %5llu  %-*s", (unsigned long long)s + 1,
            (int)(a->c->m > 4 ? a->c->m : 4), yn);
    for (uint32_t i = 0; i < a->c->n; i++) {
      fprintf(o->f, "  ");
      for (unsigned k = 0; k < GM_NCONCEPTS; k++)
        if (a->concepts >> k & 1)
          fputc(gm_stable(a, k, i, s) ? "NGSQ"[k] : '.', o->f);
      fprintf(o->f, "%*s", 6 - __builtin_popcount(a->concepts), "");
    }
    fprintf(o->f, "\n");
  }
}

pl_status pl_stability_write_text(const pl_stability *a, FILE *f) {
  out o = {a, f};
  print_model(&o);
  print_preferences(&o);
  print_equilibria(&o);
  print_focus_states(&o);
  print_status_quo(&o);
  print_coalitions(&o);
  print_limited(&o);
  print_table(&o);
  fprintf(f, "\n%u thread%s, %.3f s. Definitions: docs/stability.md.\n",
          a->x.threads, a->x.threads == 1 ? "" : "s", a->seconds);
  return ferror(f) ? PL_EIO : PL_OK;
}
