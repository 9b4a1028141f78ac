/* sensitivity.c - deterministic sensitivity (docs/uncertainty.md). */
#include "uncertainty/robust.h"

bool pl_sensitivity(pl_robust *r) {
  (void)r;
  return true;
}
