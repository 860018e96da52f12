/* SPDX-License-Identifier: MIT */
/*
 * The job list: which binary runs which subtests, from test-list.txt and
 * each binary's --list-subtests (or a --test-list file), after -t/-x.
 * One job is one exec of one binary.
 */
#ifndef XEMT_RUNNER_JOB_LIST_H
#define XEMT_RUNNER_JOB_LIST_H

#include <stdio.h>

#include "settings.h"

struct job {
	char *binary;
	char **subtests;	/* NULL when the binary has no subtests */
	int n_subtests;
	char *dynamic;		/* --dynamic-subtest, or NULL */
};

struct job_list {
	struct job *jobs;
	int n_jobs;
};

/* Binary names from <root>/test-list.txt; a NULL-terminated array. */
char **job_list_read_testlist(const char *root, FILE *err);
/* "<root>/<bin> --list-subtests"; NULL-terminated, NULL on failure. */
char **job_list_list_subtests(const char *root, const char *binary, FILE *err);
int job_list_build(struct job_list *list, const struct runner_settings *s,
		   FILE *err);
/* joblist.txt: "bin sub[,sub...]" or "bin sub@dyn" or "bin". */
void job_list_write(const struct job_list *list, FILE *f);
/* The name of a job's i-th subtest: igt@bin@sub[@dyn] (caller frees). */
char *job_test_name(const struct job *job, int i);
void job_list_free(struct job_list *list);
void strv_free(char **v);

#endif
