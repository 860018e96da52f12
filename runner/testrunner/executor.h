/* SPDX-License-Identifier: MIT */
/*
 * Running one job: fork/exec the binary with --run-subtest, copy its
 * stdout, stderr and the kernel log into the job directory, enforce the
 * per-test timeout, and write journal.txt as igt_runner does.
 */
#ifndef XEMT_RUNNER_EXECUTOR_H
#define XEMT_RUNNER_EXECUTOR_H

#include <stdbool.h>

#include "job_list.h"
#include "settings.h"

struct job_outcome {
	int exit_code;		/* exit status, or -signal */
	bool timed_out;
	bool taint_killed;	/* killed because the kernel got a fatal taint */
	bool exec_failed;
	double elapsed;		/* seconds */
};

/* Run @job with its files in @job_dir (created). 0, or -1 on a runner error. */
int execute_job(const struct runner_settings *s, const struct job *job,
		const char *job_dir, struct job_outcome *out);

#endif
