// SPDX-License-Identifier: MIT
/*
 * xe-migtest expected RUN_DIR: print a list of expected results
 * (expected.h) from a run, in the run's job order: a line per test that
 * passed, "skip REGEX" with the skip's reason for one that skipped, and
 * a comment for anything else. After adding or renaming subtests, run
 * the suite, check that every result is right, then review this output
 * against tests/xe_sriov_migration/expected-sim.txt (host/ for
 * expected-host.txt).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "run_selection.h"
#include "verdict.h"

/* @text as a POSIX ERE that matches it literally. */
static void print_literal(const char *text, FILE *out)
{
	for (const char *p = text; *p; p++) {
		if (strchr(".[]()*+?{}|^$\\", *p))
			fputc('\\', out);
		fputc(*p, out);
	}
}

static void print_test(const char *name, json_t *test, FILE *out)
{
	const char *r = json_string_value(json_object_get(test, "result"));
	char *why;

	if (!r || !strcmp(r, "pass")) {
		fprintf(out, "%s\n", name);
		return;
	}
	if (strcmp(r, "skip")) {
		fprintf(out, "# %s: %s in this run\n%s\n", name, r, name);
		return;
	}
	why = verdict_skip_reason(json_string_value(json_object_get(test, "out")) ?: "");
	/* "Test requirement: X | message": the message, one line of the output. */
	fprintf(out, "%s skip ", name);
	print_literal(strstr(why, " | ") ? strstr(why, " | ") + 3 : why, out);
	fputc('\n', out);
	free(why);
}

/* Every test of @job (igt@bin@sub) in @tests: the subtest, then its dynamic ones. */
static void print_job(json_t *tests, const char *job, FILE *out)
{
	size_t n = strlen(job);
	const char *name;
	json_t *test;

	if (json_object_get(tests, job))
		print_test(job, json_object_get(tests, job), out);
	json_object_foreach(tests, name, test)
		if (!strncmp(name, job, n) && name[n] == '@')
			print_test(name, test, out);
}

int cmd_expected(int argc, char **argv)
{
	struct run_selection sel;
	char path[4200];
	json_t *root;

	if (argc != 2) {
		fprintf(stderr, "usage: xe-migtest expected RUN_DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/results.json", argv[1]);
	root = json_load_file(path, 0, NULL);
	if (!root || run_selection_load(&sel, argv[1])) {
		fprintf(stderr, "xe-migtest: %s: no results.json or joblist.txt\n", argv[1]);
		json_decref(root);
		return 1;
	}
	for (size_t i = 0; i < sel.n; i++)
		print_job(json_object_get(root, "tests"), sel.jobs[i], stdout);
	run_selection_free(&sel);
	json_decref(root);
	return 0;
}
