/* SPDX-License-Identifier: MIT */
/*
 * The results directory's plain files, as igt_runner writes them:
 * metadata.txt, joblist.txt, uname.txt, starttime.txt, endtime.txt and,
 * when a run stops early, aborted.txt.
 */
#ifndef XEMT_RUNNER_RESULTS_DIR_H
#define XEMT_RUNNER_RESULTS_DIR_H

#include <stdio.h>

#include "job_list.h"
#include "settings.h"

/* Create @path, or accept it empty; with @overwrite empty it first. */
int results_dir_prepare(const char *path, bool overwrite, FILE *err);
int results_dir_write_start(const char *path, const struct runner_settings *s,
			    const struct job_list *list);
int results_dir_write_end(const char *path);
int results_dir_write_aborted(const char *path, const char *reason);

#endif
