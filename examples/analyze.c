/* analyze.c - the smallest program using libparley: load a scenario (or the
 * built-in talks), analyse it, and print the Nash solution.
 *
 *   cc analyze.c $(pkg-config --cflags --libs parley) -o analyze
 *   (or --libs parley-static to link libparley.a into the program)
 *   ./analyze [scenario.json]
 */
#include <parley.h>
#include <stdio.h>

int main(int argc, char **argv) {
  pl_diag *d = pl_diag_new();
  pl_scenario *s = argc > 1 ? pl_scenario_load_file(argv[1], d)
                            : pl_scenario_builtin(pl_builtin_default(), d);
  if (!s) {
    pl_diag_print(d, stderr);
    pl_diag_free(d);
    return 2;
  }
  pl_status st;
  pl_analysis *a = pl_analyze(s, NULL, d, &st);
  int rc = a ? 0 : (int)st;
  if (a) {
    uint32_t values[64];
    if (pl_analysis_counted(a))
      printf("%llu agreement(s)\n",
             (unsigned long long)pl_analysis_zone_size(a));
    else
      printf("too many outcomes to count; solutions by branch and bound\n");
    if (pl_analysis_solution(a, PL_SOLUTION_NASH, values))
      for (uint32_t i = 0; i < pl_scenario_num_issues(s); i++) {
        char text[128];
        pl_issue_value_text(s, i, values[i], text, sizeof text);
        printf("  %s = %s\n", pl_issue_name(s, i), text);
      }
    else
      printf("no Nash solution: the agreement zone is empty\n");
    pl_analysis_free(a);
  }
  pl_diag_print(d, stderr);
  pl_diag_free(d);
  pl_scenario_free(s);
  return rc;
}
