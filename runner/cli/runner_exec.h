/* SPDX-License-Identifier: MIT */
/* xe_migtest_runner run on the host: a whole run, or only its selection. */
#ifndef XEMT_RUNNER_EXEC_H
#define XEMT_RUNNER_EXEC_H

/*
 * Run @argv (argv[0]: the runner) with XEMT_RESULTS_DIR=@results_dir (may
 * be NULL) and wait: its exit status, 128+signal, or -1.
 */
int runner_exec_run(const char *const *argv, const char *results_dir);

/* The same with its stdout and stderr going to the file @log (NULL: ours). */
int runner_exec_run_log(const char *const *argv, const char *results_dir,
			const char *log);

/*
 * How many tests @argv selects: the same command line with --list-all
 * added, nothing run or written. -1 when the runner failed.
 */
int runner_exec_count(const char *const *argv);

#endif
