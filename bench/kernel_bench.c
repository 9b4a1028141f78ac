/* kernel_bench.c - the enumeration kernel's worst case (bench/kernel.sh).
 *
 *   kernel-bench FILE THREADS REPEATS
 *
 * Loads a scenario (parley JSON or a GENIUS folder), analyses it with
 * PL_PLAN_ENUMERATE (every outcome enumerated, as the planner would not)
 * REPEATS times on THREADS threads, and prints one line: outcomes, the
 * fastest analysis's seconds (wall, from pl_analyze's call to its return),
 * the zone's size, the frontier's size and the Nash solution, so that a
 * baseline built from another commit can be compared with it. Uses the public
 * API only, so the same file builds against an older libparley.
 */
#define _POSIX_C_SOURCE 200809L
#include <parley.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: kernel-bench FILE THREADS REPEATS\n");
    return 2;
  }
  pl_diag *d = pl_diag_new();
  const char *paths[1] = {argv[1]};
  pl_scenario *s = pl_scenario_load(paths, 1, NULL, d);
  if (!s) {
    pl_diag_print(d, stderr);
    pl_diag_free(d);
    return 2;
  }
  pl_analysis_options o;
  pl_analysis_options_init(&o);
  o.threads = (unsigned)atoi(argv[2]);
  o.plan = PL_PLAN_ENUMERATE;
  int repeats = atoi(argv[3]) > 0 ? atoi(argv[3]) : 1;
  double best = 1e30;
  uint64_t outcomes = 0, zone = 0, front = 0;
  char nash[256] = "-";
  for (int k = 0; k < repeats; k++) {
    pl_status st;
    double t0 = now();
    pl_analysis *a = pl_analyze(s, &o, d, &st);
    double t = now() - t0;
    if (!a) {
      pl_diag_print(d, stderr);
      return 1;
    }
    best = t < best ? t : best;
    pl_scenario_num_outcomes(s, &outcomes);
    zone = pl_analysis_zone_size(a);
    front = pl_analysis_frontier_size(a);
    uint32_t v[64];
    if (pl_analysis_solution(a, PL_SOLUTION_NASH, v)) {
      size_t at = 0;
      for (uint32_t i = 0; i < pl_scenario_num_issues(s) && at < 240; i++)
        at += (size_t)snprintf(nash + at, sizeof nash - at, "%s%u",
                               i ? "," : "", (unsigned)v[i]);
    }
    pl_analysis_free(a);
  }
  /* outcomes, seconds, zone, frontier points, the Nash solution's values */
  printf("%llu %.4f %llu %llu %s\n", (unsigned long long)outcomes, best,
         (unsigned long long)zone, (unsigned long long)front, nash);
  pl_scenario_free(s);
  pl_diag_free(d);
  return 0;
}
