// SPDX-License-Identifier: MIT
/*
 * The end of run/check: read results.json (igt_runner's format, so this
 * reads real igt_runner results as well), count results, name every test
 * that did not pass or skip, compare with the list of expected results
 * (verdict.c: an unexpected skip, notrun, missing or extra test) and
 * decide the exit status.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "expected.h"
#include "hop_report.h"
#include "run_selection.h"
#include "suite_summary.h"
#include "verdict.h"

static const char *const result_names[] = {
	"pass", "skip", "warn", "dmesg-warn", "fail", "dmesg-fail", "crash",
	"timeout", "incomplete", "abort", "notrun",
};
#define NRESULTS (sizeof(result_names) / sizeof(result_names[0]))
#define SUMMARY_EXCERPT_LINES 8

struct tally {
	unsigned int count[NRESULTS];
	unsigned int unknown;
	unsigned int total;
};

static int result_index(const char *r)
{
	for (unsigned int i = 0; i < NRESULTS; i++)
		if (!strcmp(r, result_names[i]))
			return i;
	return -1;
}

/* pass and skip are good everywhere; warn and dmesg-warn only in run. */
static bool result_ok(const char *r, bool strict)
{
	if (!strcmp(r, "pass") || !strcmp(r, "skip"))
		return true;
	return !strict && (!strcmp(r, "warn") || !strcmp(r, "dmesg-warn"));
}

/*
 * The first lines of a test's @key ("dmesg-warnings", "err"): what a CI
 * log must show for a failure read only from the console.
 */
static void print_excerpt(json_t *test, const char *key, FILE *out[2])
{
	const char *text = json_string_value(json_object_get(test, key));
	int lines = 0;

	while (text && *text && lines < SUMMARY_EXCERPT_LINES) {
		const char *nl = strchr(text, '\n');
		int len = nl ? (int)(nl - text) : (int)strlen(text);

		for (int k = 0; k < 2; k++)
			fprintf(out[k], "      %s| %.*s\n", key, len, text);
		text = nl ? nl + 1 : text + len;
		lines++;
	}
}

static void tally_tests(json_t *tests, struct tally *t, bool strict, FILE *out[2])
{
	const char *name;
	json_t *test;
	bool any = false;

	json_object_foreach(tests, name, test) {
		const char *r = json_string_value(json_object_get(test, "result"));
		int i = r ? result_index(r) : -1;

		t->total++;
		if (i < 0)
			t->unknown++;
		else
			t->count[i]++;
		if (r && result_ok(r, strict))
			continue;
		for (int k = 0; k < 2; k++)
			fprintf(out[k], "%s  %-11s %s\n",
				any ? "" : "tests not passed or skipped:\n",
				r ? r : "(none)", name);
		print_excerpt(test, "dmesg-warnings", out);
		print_excerpt(test, "err", out);
		any = true;
	}
}

static void print_tally(const struct tally *t, int deviations, FILE *out[2])
{
	unsigned int bad = t->total - t->count[0] - t->count[1];

	for (int k = 0; k < 2; k++) {
		fprintf(out[k], "results:");
		for (unsigned int i = 0; i < NRESULTS; i++)
			if (t->count[i])
				fprintf(out[k], " %s %u", result_names[i], t->count[i]);
		fprintf(out[k], " (of %u)\n", t->total);
		/* The closing line CI reads. */
		fprintf(out[k], "%u passed, %u failed, %u skipped", t->count[0], bad,
			t->count[1]);
		if (deviations >= 0)
			fprintf(out[k], ", %d not as expected", deviations);
		fprintf(out[k], "\n");
	}
}

/*
 * @tests against the list @path, deviations printed: their number, or
 * -1 without a list. A list that does not load counts as one.
 */
static int check_expected(const char *run_dir, json_t *tests, const char *path,
			  FILE *out[2])
{
	struct expected_list exp;
	struct run_selection sel;
	struct verdict v;
	bool have_sel;
	int n;

	if (!path)
		return -1;
	if (expected_load(&exp, path, stderr)) {
		for (int k = 0; k < 2; k++)
			fprintf(out[k], "expected results: %s does not load\n", path);
		expected_free(&exp);
		return 1;
	}
	/* No joblist (the runner never started): everything was selected. */
	have_sel = !run_selection_load(&sel, run_dir);
	n = verdict_compare(tests, &exp, have_sel ? run_selection_has : NULL, &sel, &v);
	for (int k = 0; k < 2; k++)
		verdict_print(&v, &exp, out[k]);
	n = n ? 1 : (int)v.n;
	verdict_free(&v);
	run_selection_free(&sel);
	expected_free(&exp);
	return n;
}

static bool vm_ok(const struct sim_vm_report *rep, FILE *out[2])
{
	/* The terminal has had the VM's report already; the file has not. */
	if (rep) {
		sim_vm_report_print(out[1], rep);
	} else {
		for (int k = 0; k < 2; k++)
			fprintf(out[k], "sim VM: did not start\n");
	}
	return rep && sim_vm_clean(rep) && rep->status == 0;
}

/*
 * Tally results.json of @run_dir into @out, compared with @expected (may
 * be NULL); false unless all passed or skipped, and in check (@strict) as
 * expected.
 */
static bool summarize_results(const char *run_dir, bool strict, const char *expected,
			      FILE *out[2])
{
	char path[4200];
	struct tally t = { 0 };
	json_error_t jerr;
	json_t *root;
	int deviations;

	snprintf(path, sizeof(path), "%s/results.json", run_dir);
	root = json_load_file(path, 0, &jerr);
	if (!root) {
		for (int k = 0; k < 2; k++)
			fprintf(out[k], "no results: %s: %s\n", path, jerr.text);
		return false;
	}
	tally_tests(json_object_get(root, "tests"), &t, strict, out);
	deviations = check_expected(run_dir, json_object_get(root, "tests"), expected, out);
	print_tally(&t, deviations, out);
	hop_report(run_dir, out, 2);
	json_decref(root);
	for (int k = 0; k < 2; k++)
		fprintf(out[k], "results: %s\n", run_dir);
	return !t.unknown && t.total > 0 && (!strict || deviations <= 0) &&
	       t.count[0] + t.count[1] + (strict ? 0 : t.count[2] + t.count[3]) == t.total;
}

static FILE *open_summary(const char *run_dir)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/summary.txt", run_dir);
	f = fopen(path, "w");
	return f ? f : fopen("/dev/null", "w");
}

int suite_summary(const char *run_dir, const struct sim_vm_report *rep,
		  bool strict, const char *expected)
{
	FILE *out[2] = { stdout, open_summary(run_dir) };
	bool ok;

	ok = vm_ok(rep, out);
	if (rep && rep->status)
		fprintf(stdout, "runner exited with status %d\n", rep->status);
	ok = summarize_results(run_dir, strict, expected, out) && ok;
	fclose(out[1]);
	return ok ? 0 : 1;
}

int suite_summary_host(const char *run_dir, int runner_status, bool strict,
		       const char *expected)
{
	FILE *out[2] = { stdout, open_summary(run_dir) };
	bool ok = runner_status == 0;

	if (runner_status)
		for (int k = 0; k < 2; k++)
			fprintf(out[k], "runner exited with status %d\n", runner_status);
	ok = summarize_results(run_dir, strict, expected, out) && ok;
	fclose(out[1]);
	return ok ? 0 : 1;
}
