/* SPDX-License-Identifier: MIT */
#ifndef XEMT_SUITE_SUMMARY_H
#define XEMT_SUITE_SUMMARY_H

#include <stdbool.h>

#include "sim_vm.h"

/*
 * Print and save (summary.txt) the summary of an igt_runner results
 * directory; @rep is the VM run that produced it (NULL: it did not start).
 * @expected is the list of expected results (expected.h) or NULL: what
 * differs from it is printed, and fails @strict (check). Returns the exit
 * status of run/check.
 */
int suite_summary(const char *run_dir, const struct sim_vm_report *rep,
		  bool strict, const char *expected);

/* The same for a runner that ran on the host, exiting with @runner_status. */
int suite_summary_host(const char *run_dir, int runner_status, bool strict,
		       const char *expected);

#endif
