/* SPDX-License-Identifier: MIT */
/*
 * xe_migtest_runner options: igt_runner's command line, the subset this
 * project needs, with the same names and meanings.
 */
#ifndef XEMT_RUNNER_SETTINGS_H
#define XEMT_RUNNER_SETTINGS_H

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>

#define RUNNER_MAX_FILTERS 32

enum runner_log_level { LOG_NORMAL, LOG_QUIET, LOG_VERBOSE };

/* Bits of --abort-on-monitored-error. */
#define ABORT_TAINT	(1u << 0)
#define ABORT_ALL	ABORT_TAINT

struct runner_settings {
	const char *test_root;
	const char *results_path;
	const char *test_list;		/* --test-list FILE, or NULL */
	const char *name;		/* -n NAME; default: results dir name */
	regex_t include[RUNNER_MAX_FILTERS];
	regex_t exclude[RUNNER_MAX_FILTERS];
	int n_include, n_exclude;
	unsigned int per_test_timeout;	/* seconds, 0 = none */
	unsigned int overall_timeout;	/* seconds, 0 = none */
	unsigned int kill_grace;	/* seconds from SIGQUIT to SIGKILL */
	unsigned int abort_mask;
	int dmesg_warn_level;
	enum runner_log_level log_level;
	bool dry_run;
	bool multiple_mode;
	bool overwrite;
	bool list_only;
};

/*
 * Parse argv into @s. Returns 0 on success, 1 if help was printed, or -1
 * with a message on @err for bad arguments.
 */
int settings_parse(struct runner_settings *s, int argc, char **argv, FILE *err);
void settings_free(struct runner_settings *s);
/* Whether "igt@bin@sub" passes the -t/-x filters. */
bool settings_name_selected(const struct runner_settings *s, const char *name);
/* metadata.txt in the results directory: the settings, one per line. */
int settings_write_metadata(const struct runner_settings *s, FILE *f);

#endif
