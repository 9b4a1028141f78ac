/* negotiate_bench.c - negotiation speed: steps (agent turns) per second and
 * negotiations per second, per agent, for 2, 3 and 5 parties on a small
 * and a large generated domain. Prints a table; run by bench/negotiate.sh.
 *
 * A negotiation here is the talks alone (pl_talks_run), as a tournament
 * runs them: the agents start (building their own sorted tables of the
 * outcomes they can sign), then take turns until agreement or deadline.
 */
#define _POSIX_C_SOURCE 200809L
#include "negotiation/negotiate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static double cpu(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static void bench(const pl_scenario *s, const char *agent, const char *label,
                  uint64_t outcomes, uint32_t rounds, int repeats) {
  pl_talks_options o;
  memset(&o, 0, sizeof o);
  o.protocol = PL_SAOP;
  o.rounds = rounds;
  o.two_level = true;
  o.trace = true; /* to count the turns */
  char msg[256];
  for (uint32_t p = 0; p < s->nparties; p++)
    if (!pl_agent_parse(agent, &o.agents[p], msg, sizeof msg)) {
      fprintf(stderr, "%s\n", msg);
      exit(2);
    }
  /* Starting the agents (each sorts the outcomes it can sign) is timed on
   * its own, from talks cut to one round, so us/step is the turns alone. */
  o.rounds = 1;
  o.seed = 1;
  double start = 1e30, start_cpu = 1e30;
  for (int k = 0; k < (outcomes > 100000 ? 3 : 5); k++) { /* the fastest */
    double s0 = now(), c0 = cpu();
    pl_talks t1;
    if (pl_talks_run(s, &o, &t1, NULL))
      pl_talks_free(&t1);
    if (now() - s0 < start)
      start = now() - s0;
    if (cpu() - c0 < start_cpu)
      start_cpu = cpu() - c0;
  }
  o.rounds = rounds;
  uint64_t steps = 0;
  int agreed = 0;
  double t0 = now(), c0 = cpu();
  for (int r = 0; r < repeats; r++) {
    o.seed = (uint64_t)r + 1;
    pl_talks t;
    pl_diag *d = pl_diag_new();
    if (!pl_talks_run(s, &o, &t, d)) {
      pl_diag_print(d, stderr);
      exit(1);
    }
    pl_diag_free(d);
    steps += t.nevents; /* one event per turn */
    agreed += t.end == PL_END_AGREEMENT;
    pl_talks_free(&t);
  }
  double dt = now() - t0, dc = cpu() - c0;
  double turns = dt - repeats * start, turns_cpu = dc - repeats * start_cpu;
  printf("| %-6s | %7u | %9llu | %-11s | %6d | %9.2f | %9.2f | %8.1f | "
         "%10.3f | %10.3f | %6d |\n",
         label, s->nparties, (unsigned long long)outcomes, agent, repeats,
         start * 1e3, start_cpu * 1e3, repeats / dt,
         turns > 0 ? turns * 1e6 / steps : 0,
         turns_cpu > 0 ? turns_cpu * 1e6 / steps : 0, agreed);
}

static const char *const agents[] = {"boulware",  "conceder", "tit-for-tat",
                                     "frequency", "micro",    "random"};

/* Every agent on a GENIUS folder, labelled by the folder's name. */
static void bench_folder(const char *dir, int quick) {
  pl_diag *d = pl_diag_new();
  const char *paths[] = {dir};
  pl_scenario *s = pl_scenario_load(paths, 1, NULL, d);
  if (!s) {
    pl_diag_print(d, stderr);
    pl_diag_free(d);
    return;
  }
  pl_diag_free(d);
  const char *label = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
  uint64_t n = 0;
  if (!pl_scenario_num_outcomes(s, &n))
    n = UINT64_MAX;
  int repeats = n > 1000000 ? (quick ? 1 : 3) : (quick ? 5 : 20);
  for (size_t a = 0; a < sizeof agents / sizeof *agents; a++)
    bench(s, agents[a], label, n, 1000, repeats);
  pl_scenario_free(s);
}

int main(int argc, char **argv) {
  int quick = argc > 1 && !strcmp(argv[1], "--quick");
  int first_dir = 1 + quick;
  if (argc > first_dir && !strcmp(argv[first_dir], "--genius")) {
    printf("| domain | parties |  outcomes | agent       | negot. | start ms "
           "| start cpu ms | negot./s |    us/step | us/step cpu | agreed "
           "|\n");
    printf("|--------|--------:|----------:|-------------|-------:|---------:|"
           "---------:|---------:|-----------:|-----------:|-------:|\n");
    for (int k = first_dir + 1; k < argc; k++)
      bench_folder(argv[k], quick);
    return 0;
  }
  printf("| domain | parties |  outcomes | agent       | negot. | start ms "
         "| start cpu ms | negot./s |    us/step | us/step cpu | agreed |\n");
  printf("|--------|--------:|----------:|-------------|-------:|---------:|"
         "---------:|---------:|-----------:|-----------:|-------:|\n");
  pl_diag *bd = pl_diag_new();
  pl_scenario *talks = pl_scenario_builtin("talks", bd);
  pl_diag_free(bd);
  uint64_t nt;
  pl_scenario_num_outcomes(talks, &nt);
  for (size_t a = 0; a < sizeof agents / sizeof *agents; a++)
    bench(talks, agents[a], "talks", nt, 1000, quick ? 20 : 200);
  pl_scenario_free(talks);
  uint32_t parties[] = {2, 3, 5};
  for (int k = 0; k < 3; k++)
    for (int large = 0; large < 2; large++) {
      pl_generate_options g = {.parties = parties[k],
                               .issues = large ? 6 : 3,
                               .values = 10,
                               .seed = 1};
      pl_diag *d = pl_diag_new();
      pl_scenario *s = pl_generate(&g, d);
      pl_diag_free(d);
      uint64_t n;
      pl_scenario_num_outcomes(s, &n);
      for (size_t a = 0; a < sizeof agents / sizeof *agents; a++)
        bench(s, agents[a], large ? "large" : "small", n, 1000,
              large ? (quick ? 2 : 5) : (quick ? 20 : 200));
      pl_scenario_free(s);
    }
  return 0;
}
