/* SPDX-License-Identifier: MIT */
/*
 * The migration part of a run's report: per-hop records the tests leave
 * in the results directory (vm-migration.jsonl, one JSON object per hop),
 * summed up as hops, completions, total time and downtime.
 */
#ifndef XEMT_HOP_REPORT_H
#define XEMT_HOP_REPORT_H

#include <stdio.h>

/* Print the summary of dir/vm-migration.jsonl to each of n files, if any. */
void hop_report(const char *dir, FILE **out, int n);

#endif
