/* negotiation.h - a finished negotiation with its score (internal). */
#ifndef PL_NEGOTIATION_NEGOTIATION_H
#define PL_NEGOTIATION_NEGOTIATION_H

#include "analysis/analysis.h"
#include "negotiation/negotiate.h"

struct pl_negotiation {
  const pl_scenario *s;
  pl_talks t;
  pl_analysis *a;         /* the scenario's analysis, to score against */
  bool has_pareto;        /* the zone has a frontier */
  double pareto_distance; /* to the nearest frontier point of the zone */
  bool has_nash;
  double nash_distance; /* to the Nash solution's utilities */
  double welfare;       /* sum of the parties' utilities */
  bool json_trace;      /* the JSON lists every event */
};

#endif
