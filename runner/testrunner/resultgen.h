/* SPDX-License-Identifier: MIT */
/*
 * Results from a job directory (out.txt, err.txt, dmesg.txt, journal.txt)
 * and the results.json that igt_runner writes (results_version 10).
 * Everything is derived from the files, so results.json can be rebuilt
 * from a results directory alone.
 */
#ifndef XEMT_RUNNER_RESULTGEN_H
#define XEMT_RUNNER_RESULTGEN_H

#include <jansson.h>

#include "job_list.h"
#include "settings.h"

/*
 * Add the tests of @job (subtests, their dynamic subtests) from @job_dir to
 * the object @tests, keyed igt@bin@sub[@dyn]. A job that never ran (no
 * journal exit line) gives incomplete/notrun. Returns 0 or -1.
 */
int resultgen_job(const char *job_dir, const struct job *job,
		  const struct runner_settings *s, json_t *tests);
/* A job that was not started: its tests are notrun. */
void resultgen_notrun(const struct job *job, json_t *tests);
/*
 * The whole results.json document around @tests (stolen): name, uname,
 * time_elapsed from starttime.txt/endtime.txt, totals, runtimes, and the
 * igt@runner@aborted pseudo-test when aborted.txt exists.
 */
json_t *resultgen_document(const char *results_path,
			   const struct runner_settings *s, json_t *tests);
int resultgen_write(const char *results_path, json_t *doc);

/* "Subtest x: SUCCESS (1.2s)" style result words to igt_runner's names. */
const char *resultgen_map_result(const char *word);

#endif
