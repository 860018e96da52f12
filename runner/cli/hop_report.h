/* SPDX-License-Identifier: MIT */
/*
 * The migration part of a run's report, from what the tests leave in the
 * results directory: the VF stress campaign (stress.json: hops, rate,
 * bytes, downtime per subtest) and the VM loop (vm-migration.jsonl, one
 * JSON object per hop: hops, completions, total time and downtime).
 */
#ifndef XEMT_HOP_REPORT_H
#define XEMT_HOP_REPORT_H

#include <stdio.h>

/* Print what dir holds of the above to each of n files. */
void hop_report(const char *dir, FILE **out, int n);

#endif
