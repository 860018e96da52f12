/* SPDX-License-Identifier: MIT */
/*
 * Which tests a run selected, from its joblist.txt (written by the runner
 * before the first job: "binary sub1,sub2[@dyn]" a line). A test listed
 * as expected but not selected (a -t/-x filter) is not missing.
 */
#ifndef XEMT_RUN_SELECTION_H
#define XEMT_RUN_SELECTION_H

#include <stdbool.h>
#include <stdio.h>

struct run_selection {
	char **jobs;		/* igt@bin@sub or igt@bin@sub@dyn */
	size_t n;
};

/* Parse a joblist; -1 on allocation failure. */
int run_selection_parse(struct run_selection *s, FILE *joblist);

/* <run_dir>/joblist.txt; -1 when it cannot be read. */
int run_selection_load(struct run_selection *s, const char *run_dir);

/* For verdict_compare(): @name (igt@bin@sub[@dyn]) was selected. */
bool run_selection_has(const char *name, void *selection);

void run_selection_free(struct run_selection *s);

#endif
