/* play.c - a person in one party's seat under SAOP against built-in agents
 * (docs/serve.md, section 7). The game is an ordinary pl_negotiate run on
 * a thread of its own, in which the player's seat is the agent "human":
 * its act callback (reaching the game through pl_self_context) waits for
 * the player's move from the HTTP side. So the library's protocol runs the
 * game and enforces its rules for everyone, the player included. A game
 * occupies its thread while it waits for the player, so games are few
 * (SV_MAX_GAMES) and a silent player walks out after SV_GAME_IDLE_SECONDS.
 */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include "parley_agent.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { G_WAITING = 0, G_YOUR_TURN = 1, G_ENDED = 2 };
enum { SV_MAX_GAMES_KEPT = 2 * SV_MAX_GAMES };

typedef struct game_event {
  pl_trace_event e;
  bool has_values;
} game_event;

typedef struct sv_game {
  uint64_t id;
  int refs; /* requests using it, under the table's mutex */
  sv_model *m;
  uint32_t party, rounds;
  char *agents;  /* the list given to pl_negotiate */
  json_t *names; /* the agents per party, for the state */
  uint64_t seed;
  pthread_t thread;
  bool started;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int state;
  uint64_t turn; /* how many times it has been the player's turn */
  double t;
  uint32_t round;
  bool has_table;
  int32_t table_by;
  uint32_t *table;
  bool move_ready, quit;
  pl_act move;
  uint32_t *move_values;
  game_event *events;
  uint32_t *values; /* nissues per event */
  size_t nevents, cap;
  char *result; /* {"negotiation": ...} once ended */
  char error[512];
} sv_game;

struct sv_games {
  pthread_mutex_t mu;
  sv_game *games[SV_MAX_GAMES_KEPT];
  size_t n;
  uint64_t next_id;
};

/* ---- The player's seat ----------------------------------------------------
 */

static pl_act human_act(void *state, pl_self *me, double t,
                        const uint32_t *table, uint32_t *offer) {
  (void)state, (void)table;
  sv_game *g = pl_self_context(me);
  uint32_t ni = pl_scenario_num_issues(g->m->s);
  pthread_mutex_lock(&g->mu);
  g->state = G_YOUR_TURN;
  g->turn++;
  g->t = t;
  pthread_cond_broadcast(&g->cv);
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += SV_GAME_IDLE_SECONDS;
  bool timed_out = false;
  while (!g->move_ready && !g->quit && !timed_out)
    timed_out = pthread_cond_timedwait(&g->cv, &g->mu, &until) == ETIMEDOUT;
  pl_act act = PL_ACT_END; /* shutdown or a silent player: a walk-out */
  if (g->move_ready && !g->quit) {
    act = g->move;
    if (act == PL_ACT_OFFER)
      memcpy(offer, g->move_values, ni * sizeof *offer);
  }
  g->move_ready = false;
  g->state = G_WAITING;
  pthread_mutex_unlock(&g->mu);
  return act;
}

static const pl_agent_class human_class = {
    .name = "human",
    .summary = "a person playing through parley serve (the workbench)",
    .act = human_act};

static bool game_event_cb(void *ctx, const pl_trace_event *e,
                          const uint32_t *values) {
  sv_game *g = ctx;
  uint32_t ni = pl_scenario_num_issues(g->m->s);
  pthread_mutex_lock(&g->mu);
  if (g->nevents == g->cap) {
    size_t cap = g->cap ? 2 * g->cap : 64;
    game_event *ev = realloc(g->events, cap * sizeof *ev);
    if (ev)
      g->events = ev;
    uint32_t *v = ev ? realloc(g->values, cap * ni * sizeof *v) : NULL;
    if (v) {
      g->values = v;
      g->cap = cap;
    }
  }
  if (g->nevents < g->cap) {
    g->events[g->nevents] = (game_event){.e = *e, .has_values = values != NULL};
    if (values)
      memcpy(g->values + g->nevents * ni, values, ni * sizeof *values);
    g->nevents++;
  }
  g->round = e->round;
  if (e->action == PL_ACT_OFFER && values) {
    g->has_table = true;
    g->table_by = e->party;
    memcpy(g->table, values, ni * sizeof *values);
  }
  bool go_on = !g->quit;
  pthread_mutex_unlock(&g->mu);
  return go_on;
}

static void *game_thread(void *arg) {
  sv_game *g = arg;
  pl_negotiation_options o;
  pl_negotiation_options_init(&o);
  o.agents = g->agents;
  o.rounds = g->rounds;
  o.seed = g->seed;
  o.trace = true;
  o.on_event = game_event_cb;
  o.on_event_ctx = g;
  o.agent_context = g;
  o.threads = 1; /* a game is no pool job: its scoring takes no more */
  pl_diag *d = pl_diag_new();
  pl_status st;
  pl_negotiation *n = d ? pl_negotiate(g->m->s, &o, d, &st) : NULL;
  char *text = n ? sv_doc_object("negotiation", sv_negotiation_doc, n) : NULL;
  pthread_mutex_lock(&g->mu);
  if (text) {
    g->result = text;
    text = NULL;
  } else {
    snprintf(g->error, sizeof g->error, "%s",
             d && pl_diag_count(d) ? pl_diag_get(d, 0).message
                                   : "the game could not be played");
  }
  g->state = G_ENDED;
  pthread_cond_broadcast(&g->cv);
  pthread_mutex_unlock(&g->mu);
  free(text);
  pl_negotiation_free(n);
  pl_diag_free(d);
  return NULL;
}

/* ---- The table of games ---------------------------------------------------
 */

static void game_free(sv_game *g) {
  if (g->started) {
    pthread_mutex_lock(&g->mu);
    g->quit = true;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->thread, NULL);
  }
  sv_model_unref(g->m);
  json_decref(g->names);
  free(g->agents);
  free(g->table);
  free(g->move_values);
  free(g->events);
  free(g->values);
  free(g->result);
  pthread_mutex_destroy(&g->mu);
  pthread_cond_destroy(&g->cv);
  free(g);
}

sv_games *sv_games_new(void) {
  sv_games *gs = calloc(1, sizeof *gs);
  if (!gs)
    return NULL;
  pthread_mutex_init(&gs->mu, NULL);
  pl_diag *d = pl_diag_new();
  pl_agent_register(&human_class, d); /* a no-op the second time */
  pl_diag_free(d);
  return gs;
}

void sv_games_free(sv_games *gs) {
  if (!gs)
    return;
  for (size_t k = 0; k < gs->n; k++)
    game_free(gs->games[k]);
  pthread_mutex_destroy(&gs->mu);
  free(gs);
}

static int game_state(sv_game *g) {
  pthread_mutex_lock(&g->mu);
  int s = g->state;
  pthread_mutex_unlock(&g->mu);
  return s;
}

/* Makes room for a game (under gs->mu): false when SV_MAX_GAMES are live.
 * Ended games no request is using are forgotten, oldest first. */
static bool make_room(sv_games *gs) {
  size_t live = 0;
  for (size_t k = 0; k < gs->n; k++)
    live += game_state(gs->games[k]) != G_ENDED;
  if (live >= SV_MAX_GAMES)
    return false;
  while (gs->n >= SV_MAX_GAMES_KEPT) {
    size_t k = 0;
    while (k < gs->n &&
           (game_state(gs->games[k]) != G_ENDED || gs->games[k]->refs))
      k++;
    if (k == gs->n)
      return false;
    game_free(gs->games[k]);
    memmove(gs->games + k, gs->games + k + 1,
            (gs->n - k - 1) * sizeof *gs->games);
    gs->n--;
  }
  return true;
}

/* ---- State ----------------------------------------------------------------
 */

static json_t *table_json(sv_game *g) {
  const pl_scenario *s = g->m->s;
  if (!g->has_table)
    return json_null();
  json_t *o = json_object();
  json_object_set_new(o, "by",
                      json_string(pl_party_name(s, (uint32_t)g->table_by)));
  json_object_set_new(o, "package", sv_package_object(s, g->table));
  json_object_set_new(o, "values", sv_values_array(s, g->table));
  json_object_set_new(o, "utility",
                      json_real(pl_party_utility(s, g->party, g->table)));
  json_object_set_new(o, "can_sign",
                      json_boolean(sv_party_can_sign(s, g->party, g->table)));
  return o;
}

/* Under g->mu. */
static json_t *game_json(sv_game *g) {
  static const char *states[] = {"waiting", "your-turn", "ended"};
  const pl_scenario *s = g->m->s;
  uint32_t ni = pl_scenario_num_issues(s);
  json_t *o = json_object();
  json_object_set_new(o, "id", json_integer((json_int_t)g->id));
  json_object_set_new(o, "party", json_string(pl_party_name(s, g->party)));
  json_object_set_new(o, "party_index", json_integer(g->party));
  json_object_set_new(o, "state", json_string(states[g->state]));
  json_object_set_new(o, "round", json_integer(g->round ? g->round : 1));
  json_object_set_new(o, "rounds", json_integer(g->rounds));
  json_object_set_new(o, "t", json_real(g->t));
  json_object_set_new(o, "agents", json_incref(g->names));
  json_object_set_new(o, "reservation",
                      json_real(pl_party_reservation(s, g->party)));
  json_object_set_new(o, "table", table_json(g));
  json_t *ev = json_array();
  for (size_t k = 0; k < g->nevents; k++)
    json_array_append_new(
        ev, sv_event_json(s, &g->events[k].e,
                          g->events[k].has_values ? g->values + k * ni : NULL,
                          (int32_t)g->party));
  json_object_set_new(o, "events", ev);
  json_t *result = g->result ? json_loads(g->result, 0, NULL) : NULL;
  json_object_set_new(o, "result", result ? result : json_null());
  json_object_set_new(o, "error",
                      g->error[0] ? json_string(g->error) : json_null());
  return o;
}

/* Waits (under g->mu) until the player's turn after `turn`, or the end. */
static void wait_for_player(sv_game *g, uint64_t turn) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += SV_MOVE_WAIT_MS / 1000;
  while (g->state != G_ENDED && !(g->state == G_YOUR_TURN && g->turn > turn))
    if (pthread_cond_timedwait(&g->cv, &g->mu, &until) == ETIMEDOUT)
      break;
}

static void reply_game(sv_response *res, int status, sv_game *g) {
  sv_reply_json(res, status, game_json(g));
}

/* ---- Endpoints ------------------------------------------------------------
 */

/* The agents of the seats, the player's replaced by "human": a string
 * (one agent for every other party, or a comma list of one per party), or
 * an array of one per party. */
static char *agent_list(const pl_scenario *s, uint32_t party,
                        const json_t *agents, json_t *names, sv_response *res) {
  uint32_t np = pl_scenario_num_parties(s);
  char(*each)[128] = calloc(np + 1, sizeof *each);
  size_t n = 0;
  if (!each) {
    sv_reply_error(res, 503, "busy", NULL, 0, 0, "out of memory");
    return NULL;
  }
  if (!agents || json_is_null(agents)) {
    n = 1;
    snprintf(each[0], 128, "boulware");
  } else if (json_is_string(agents)) {
    /* By the library's own rule, into spans of the list. */
    const char *list = json_string_value(agents);
    size_t *span = calloc(2 * (size_t)np, sizeof *span);
    if (!span) {
      free(each);
      sv_reply_error(res, 503, "busy", NULL, 0, 0, "out of memory");
      return NULL;
    }
    n = pl_agent_list_split(list, span, span + np, np);
    for (size_t k = 0; k < n && k < np; k++)
      snprintf(each[k], 128, "%.*s", (int)span[np + k], list + span[k]);
    free(span);
  } else if (json_is_array(agents) && json_array_size(agents) == np) {
    for (uint32_t p = 0; p < np; p++) {
      json_t *x = json_array_get(agents, p);
      if (p != party &&
          (!json_is_string(x) || strchr(json_string_value(x), ','))) {
        free(each);
        sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                       "'agents'[%u] must be one agent's name", p);
        return NULL;
      }
      snprintf(each[p], 128, "%s",
               json_is_string(x) ? json_string_value(x) : "human");
    }
    n = np;
  }
  if (n != 1 && n != np) {
    free(each);
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'agents' must be one agent for every other party, or "
                   "%u of them, one per party in party order (a comma list "
                   "or an array)",
                   np);
    return NULL;
  }
  sv_buf b = {0};
  for (uint32_t p = 0; p < np; p++) {
    const char *a = p == party ? "human" : each[n == 1 ? 0 : p];
    if (!*a) {
      free(each);
      free(b.p);
      sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                     "'agents': the agent of party %u is empty", p);
      return NULL;
    }
    sv_buf_puts(&b, p ? "," : "");
    sv_buf_puts(&b, a);
    json_array_append_new(names, json_string(a));
  }
  free(each);
  if (b.failed) {
    free(b.p);
    sv_reply_error(res, 503, "busy", NULL, 0, 0, "out of memory");
    return NULL;
  }
  return b.p;
}

static sv_game *game_new(sv_model *m, uint32_t party) {
  sv_game *g = calloc(1, sizeof *g);
  uint32_t ni = pl_scenario_num_issues(m->s);
  if (!g)
    return NULL;
  pthread_mutex_init(&g->mu, NULL);
  pthread_cond_init(&g->cv, NULL);
  g->m = m;
  g->party = party;
  g->names = json_array();
  g->table = calloc(ni, sizeof *g->table);
  g->move_values = calloc(ni, sizeof *g->move_values);
  if (!g->table || !g->move_values || !g->names) {
    game_free(g);
    return NULL;
  }
  return g;
}

static bool read_game(sv_game *g, const json_t *body, sv_response *res) {
  uint64_t rounds = 20, seed = 1;
  if (!sv_get_uint(body, "rounds", SV_MAX_GAME_ROUNDS, &rounds, res) ||
      !sv_get_uint(body, "seed", UINT64_MAX >> 1, &seed, res))
    return false;
  if (!rounds) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'rounds' must be from 1 to %d", SV_MAX_GAME_ROUNDS);
    return false;
  }
  g->rounds = (uint32_t)rounds;
  g->seed = seed;
  g->agents = agent_list(g->m->s, g->party, json_object_get(body, "agents"),
                         g->names, res);
  return g->agents != NULL;
}

static bool find_party(const pl_scenario *s, const json_t *body,
                       uint32_t *party, sv_response *res) {
  const char *name = NULL;
  if (!sv_get_string(body, "party", &name, res))
    return false;
  uint32_t np = pl_scenario_num_parties(s);
  for (uint32_t p = 0; name && p < np; p++)
    if (!strcmp(pl_party_name(s, p), name)) {
      *party = p;
      return true;
    }
  sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                 name ? "the scenario has no party named '%s'"
                      : "'party' (the seat to play) is required%s",
                 name ? name : "");
  return false;
}

void sv_api_play_start(sv_server *sv, const json_t *body, sv_response *res) {
  static const char *const known[] = {"scenario", "party", "agents",
                                      "rounds",   "seed",  NULL};
  if (!sv_check_fields(body, known, "the play request", res))
    return;
  sv_model *m = sv_request_model(sv, body, res);
  uint32_t party = 0;
  if (!m)
    return;
  if (!find_party(m->s, body, &party, res)) {
    sv_model_unref(m);
    return;
  }
  sv_game *g = game_new(m, party);
  if (!g) {
    sv_model_unref(m);
    sv_reply_error(res, 503, "busy", NULL, 0, 0, "out of memory");
    return;
  }
  if (!read_game(g, body, res)) {
    game_free(g);
    return;
  }
  sv_games *gs = sv->games;
  pthread_mutex_lock(&gs->mu);
  if (!make_room(gs)) {
    pthread_mutex_unlock(&gs->mu);
    game_free(g);
    sv_reply_error(res, 503, "busy", NULL, 0, 0,
                   "%d games are being played; end one first", SV_MAX_GAMES);
    return;
  }
  g->id = ++gs->next_id;
  g->started = !pthread_create(&g->thread, NULL, game_thread, g);
  if (!g->started) {
    pthread_mutex_unlock(&gs->mu);
    game_free(g);
    sv_reply_error(res, 503, "busy", NULL, 0, 0, "no thread for the game");
    return;
  }
  gs->games[gs->n++] = g;
  g->refs++;
  pthread_mutex_unlock(&gs->mu);
  pthread_mutex_lock(&g->mu);
  wait_for_player(g, 0);
  if (g->state == G_ENDED && !g->result) /* bad agents or options */
    sv_reply_error(res, 422, "refused", NULL, 0, 0, "%s", g->error);
  else
    reply_game(res, 201, g);
  pthread_mutex_unlock(&g->mu);
  pthread_mutex_lock(&gs->mu);
  g->refs--;
  pthread_mutex_unlock(&gs->mu);
}

/* The game with the id, with a reference (put_game); NULL after a 404. */
static sv_game *find_game(sv_games *gs, uint64_t id, sv_response *res) {
  sv_game *g = NULL;
  pthread_mutex_lock(&gs->mu);
  for (size_t k = 0; k < gs->n && !g; k++)
    if (gs->games[k]->id == id) {
      g = gs->games[k];
      g->refs++;
    }
  pthread_mutex_unlock(&gs->mu);
  if (!g)
    sv_reply_error(res, 404, "not-found", NULL, 0, 0, "no game %llu",
                   (unsigned long long)id);
  return g;
}

static void put_game(sv_games *gs, sv_game *g) {
  pthread_mutex_lock(&gs->mu);
  g->refs--;
  pthread_mutex_unlock(&gs->mu);
}

void sv_games_quit(sv_games *gs) {
  pthread_mutex_lock(&gs->mu);
  for (size_t k = 0; k < gs->n; k++) {
    sv_game *g = gs->games[k];
    pthread_mutex_lock(&g->mu);
    g->quit = true;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
  }
  pthread_mutex_unlock(&gs->mu);
}

void sv_api_play_get(sv_server *sv, uint64_t id, sv_response *res) {
  sv_game *g = find_game(sv->games, id, res);
  if (!g)
    return;
  pthread_mutex_lock(&g->mu);
  reply_game(res, 200, g);
  pthread_mutex_unlock(&g->mu);
  put_game(sv->games, g);
}

/* The move of the body into g (under g->mu); false after an error. */
static bool read_move(sv_game *g, const json_t *body, sv_response *res) {
  static const char *const known[] = {"action", "package", "values", "proposal",
                                      NULL};
  const pl_scenario *s = g->m->s;
  const char *action = NULL;
  if (!sv_check_fields(body, known, "the move", res) ||
      !sv_get_string(body, "action", &action, res))
    return false;
  if (g->state != G_YOUR_TURN) {
    sv_reply_error(res, 409, "conflict", NULL, 0, 0,
                   g->state == G_ENDED ? "the game has ended"
                                       : "it is not your turn yet");
    return false;
  }
  bool given = false;
  if (action && !strcmp(action, "offer")) {
    if (!sv_read_package(s, body, g->move_values, &given, res))
      return false;
    if (!given) {
      sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                     "an offer needs a 'package', 'values' or 'proposal'");
      return false;
    }
    for (uint32_t c = 0; c < pl_scenario_num_constraints(s); c++)
      if (!pl_constraint_holds(s, c, g->move_values)) {
        sv_reply_error(res, 422, "illegal-move", NULL, 0, 0,
                       "the offer breaks the constraint '%s'",
                       pl_constraint_name(s, c));
        return false;
      }
    g->move = PL_ACT_OFFER;
  } else if (action && !strcmp(action, "accept")) {
    if (!g->has_table) {
      sv_reply_error(res, 422, "illegal-move", NULL, 0, 0,
                     "there is no offer on the table to accept");
      return false;
    }
    g->move = PL_ACT_ACCEPT;
  } else if (action && !strcmp(action, "end")) {
    g->move = PL_ACT_END;
  } else {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "'action' is \"offer\", \"accept\" or \"end\"");
    return false;
  }
  if (!given &&
      (json_object_get(body, "package") || json_object_get(body, "values") ||
       json_object_get(body, "proposal"))) {
    sv_reply_error(res, 400, "bad-request", "request", 0, 0,
                   "only an offer carries a package");
    return false;
  }
  return true;
}

void sv_api_play_move(sv_server *sv, uint64_t id, const json_t *body,
                      sv_response *res) {
  sv_game *g = find_game(sv->games, id, res);
  if (!g)
    return;
  pthread_mutex_lock(&g->mu);
  if (read_move(g, body, res)) {
    uint64_t turn = g->turn;
    g->move_ready = true;
    pthread_cond_broadcast(&g->cv);
    wait_for_player(g, turn);
    reply_game(res, 200, g);
  }
  pthread_mutex_unlock(&g->mu);
  put_game(sv->games, g);
}
