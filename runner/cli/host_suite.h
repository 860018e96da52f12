/* SPDX-License-Identifier: MIT */
/*
 * The host-level phase of run/check: tests that boot their own QEMU VMs
 * run on the host through xe_migtest_runner, not in the sim VM.
 */
#ifndef XEMT_HOST_SUITE_H
#define XEMT_HOST_SUITE_H

#include <stddef.h>

#include "cli.h"

/* A runner -x regex that leaves the host-level binaries out (sim VM run). */
void host_suite_exclude(char *buf, size_t size);

/* host_suite_run(): the filters select no host-level test. */
#define HOST_SUITE_NONE (-2)

/*
 * Run every host-level subtest selected by @filters ("-t"/"-x", regex
 * pairs) into @run_dir, with XEMT_RESULTS_DIR=@run_dir for the tests.
 * The runner's exit status, -1 when it could not be started, or
 * HOST_SUITE_NONE (nothing run, nothing written).
 */
int host_suite_run(struct cli *cli, const char *run_dir,
		   const char *const *filters, int nfilters,
		   unsigned int per_test_timeout);

#endif
