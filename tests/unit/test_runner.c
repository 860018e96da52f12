// SPDX-License-Identifier: MIT
/*
 * xe_migtest_runner: options and filters, taint and kmsg decoding, job
 * lists, result generation from hand-made job directories, and end to end
 * runs over the igt-lite self test binaries (and a hanging script for the
 * per-test timeout).
 *
 * argv: RUNNER SELFTEST SELFTEST_SIMPLE
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "job_list.h"
#include "kmsg.h"
#include "resultgen.h"
#include "settings.h"
#include "taint.h"

static const char *runner_bin, *selftest_bin, *simple_bin;

/* ---- helpers --------------------------------------------------------------- */

static int parse(struct runner_settings *s, const char *first, ...)
{
	char *argv[32] = { "xe_migtest_runner" };
	int argc = 1;
	va_list ap;
	FILE *devnull = fopen("/dev/null", "w");
	int rc;

	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	rc = settings_parse(s, argc, argv, devnull);
	fclose(devnull);
	return rc;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *make_tmpdir(void)
{
	char *d = strdup("/tmp/test_runner.XXXXXX");

	assert_non_null(mkdtemp(d));
	return d;
}

static void rm_rf(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static const char *result_of(json_t *tests, const char *name)
{
	json_t *t = json_object_get(tests, name);

	return t ? json_string_value(json_object_get(t, "result")) : "(missing)";
}

/* ---- settings -------------------------------------------------------------- */

static void test_settings_defaults(void **state)
{
	struct runner_settings s;

	assert_int_equal(parse(&s, "/root", "/res", NULL), 0);
	assert_string_equal(s.test_root, "/root");
	assert_string_equal(s.results_path, "/res");
	assert_int_equal(s.dmesg_warn_level, 4);
	assert_int_equal(s.per_test_timeout, 0);
	assert_int_equal(s.abort_mask, 0);
	assert_false(s.multiple_mode);
	settings_free(&s);
}

static void test_settings_options(void **state)
{
	struct runner_settings s;

	assert_int_equal(parse(&s, "--per-test-timeout", "600", "--overall-timeout=30",
			       "--abort-on-monitored-error=taint", "-t", "basic",
			       "-x", "slow", "-m", "-o", "-l", "quiet", "--dmesg-warn-level", "3",
			       "-n", "nightly", "/root", "/res", NULL), 0);
	assert_int_equal(s.per_test_timeout, 600);
	assert_int_equal(s.overall_timeout, 30);
	assert_int_equal(s.abort_mask, ABORT_TAINT);
	assert_int_equal(s.n_include, 1);
	assert_int_equal(s.n_exclude, 1);
	assert_true(s.multiple_mode && s.overwrite);
	assert_int_equal(s.log_level, LOG_QUIET);
	assert_int_equal(s.dmesg_warn_level, 3);
	assert_string_equal(s.name, "nightly");
	settings_free(&s);

	assert_int_equal(parse(&s, "--abort-on-monitored-error", "/root", "/res", NULL), 0);
	assert_int_equal(s.abort_mask, ABORT_ALL);
	settings_free(&s);
}

static void test_settings_errors(void **state)
{
	struct runner_settings s;

	assert_int_equal(parse(&s, NULL), -1);
	assert_int_equal(parse(&s, "/a", "/b", "/c", NULL), -1);
	assert_int_equal(parse(&s, "--per-test-timeout", "ten", "/a", "/b", NULL), -1);
	assert_int_equal(parse(&s, "--per-test-timeout", "-1", "/a", "/b", NULL), -1);
	assert_int_equal(parse(&s, "-t", "(unclosed", "/a", "/b", NULL), -1);
	settings_free(&s);
	assert_int_equal(parse(&s, "--abort-on-monitored-error=ping", "/a", "/b", NULL), -1);
	assert_int_equal(parse(&s, "-l", "chatty", "/a", "/b", NULL), -1);
	assert_int_equal(parse(&s, "--no-such-option", "/a", "/b", NULL), -1);
	assert_int_equal(parse(&s, "--dmesg-warn-level", "8", "/a", "/b", NULL), -1);
}

static void test_settings_env_root(void **state)
{
	struct runner_settings s;

	setenv("IGT_TEST_ROOT", "/from-env", 1);
	assert_int_equal(parse(&s, "/res", NULL), 0);
	assert_string_equal(s.test_root, "/from-env");
	assert_string_equal(s.results_path, "/res");
	unsetenv("IGT_TEST_ROOT");
	assert_int_equal(parse(&s, "/res", NULL), -1);
}

/*
 * metadata.txt as IGT's igt_results and igt_resume read it (IGT 2.2
 * runner/settings.c: read_settings_from_file()): fscanf("%ms : %m[^\n]")
 * until it fails, unknown names warned about. Every line must come back
 * as its own name and value, and prune_mode must be there: without it
 * igt_results takes 0 (keep-dynamic-subtests) and drops the parents of
 * dynamic subtests.
 */
static void igt_read_metadata(const char *text, int *lines, int *pairs,
			      char *prune, size_t size, char *name, size_t nsize)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	char *key = NULL, *val = NULL;

	*lines = *pairs = 0;
	*prune = *name = '\0';
	for (const char *p = text; *p; p++)
		*lines += *p == '\n';
	assert_non_null(f);
	while (fscanf(f, "%ms : %m[^\n]", &key, &val) == 2) {
		++*pairs;
		if (!strcmp(key, "prune_mode"))
			snprintf(prune, size, "%s", val);
		if (!strcmp(key, "name"))
			snprintf(name, nsize, "%s", val);
		free(key);
		free(val);
		key = val = NULL;
	}
	free(key);
	free(val);
	fclose(f);
}

static void test_settings_metadata_for_igt(void **state)
{
	struct runner_settings s;
	char *text = NULL, prune[16], name[64];
	size_t len = 0;
	int lines, pairs;
	FILE *f;

	/* no --name, no --test-list: those lines must be left out */
	assert_int_equal(parse(&s, "/root", "/out", NULL), 0);
	f = open_memstream(&text, &len);
	assert_int_equal(settings_write_metadata(&s, f), 0);
	fclose(f);
	settings_free(&s);
	igt_read_metadata(text, &lines, &pairs, prune, sizeof(prune), name,
			  sizeof(name));
	assert_int_equal(pairs, lines);
	assert_string_equal(prune, "2");	/* PRUNE_KEEP_ALL */
	assert_null(strstr(text, "name :"));
	free(text);

	/* a name with a backslash: escaped as IGT's escape_str() does */
	assert_int_equal(parse(&s, "-n", "a\\b", "/root", "/out", NULL), 0);
	text = NULL;
	f = open_memstream(&text, &len);
	assert_int_equal(settings_write_metadata(&s, f), 0);
	fclose(f);
	settings_free(&s);
	igt_read_metadata(text, &lines, &pairs, prune, sizeof(prune), name,
			  sizeof(name));
	assert_int_equal(pairs, lines);
	assert_string_equal(name, "a\\x5chb");
	free(text);
}

static void test_filters(void **state)
{
	struct runner_settings s;

	assert_int_equal(parse(&s, "-t", "basic", "-t", "^igt@b@", "-x", "FAIL",
			       "/r", "/o", NULL), 0);
	assert_true(settings_name_selected(&s, "igt@a@pass-basic"));
	assert_true(settings_name_selected(&s, "igt@b@other"));
	assert_false(settings_name_selected(&s, "igt@a@other"));
	/* Case-insensitive, like igt_runner's GRegex. */
	assert_false(settings_name_selected(&s, "igt@a@fail-basic"));
	settings_free(&s);

	assert_int_equal(parse(&s, "/r", "/o", NULL), 0);
	assert_true(settings_name_selected(&s, "igt@anything@at-all"));
}

/* ---- taint and kmsg ------------------------------------------------------- */

static void test_taint(void **state)
{
	char buf[256];

	/* Out-of-tree and unsigned modules are not fatal; WARN and DIE are. */
	assert_int_equal(taint_fatal((1ul << 12) | (1ul << 13)), 0);
	assert_int_equal(taint_fatal(1ul << 9), 1ul << 9);
	assert_int_equal(taint_fatal((1ul << 7) | (1ul << 12)), 1ul << 7);
	assert_int_equal(taint_fatal((1ul << 4) | (1ul << 5)), (1ul << 4) | (1ul << 5));
	taint_describe((1ul << 9) | (1ul << 12), buf, sizeof(buf));
	assert_string_equal(buf, "WARN OOT_MODULE");
	taint_describe(0, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	taint_describe(1ul << 40, buf, sizeof(buf));
	assert_string_equal(buf, "bit40");
}

static void test_kmsg_parse(void **state)
{
	struct kmsg_record r;

	assert_true(kmsg_parse("4,1234,5678901,-;WARNING: at foo\n", &r));
	assert_int_equal(r.level, 4);
	assert_int_equal(r.seq, 1234);
	assert_int_equal(r.usec, 5678901);
	assert_int_equal(r.msg_len, strlen("WARNING: at foo"));
	assert_memory_equal(r.msg, "WARNING: at foo", r.msg_len);
	/* Facility bits are above the level. */
	assert_true(kmsg_parse("14,1,2,c;user\n", &r));
	assert_int_equal(r.level, 6);
	assert_false(kmsg_parse(" SUBSYSTEM=pci\n", &r));
	assert_false(kmsg_parse("garbage\n", &r));
	assert_false(kmsg_parse("4,1,2\n", &r));
}

/* ---- job lists -------------------------------------------------------------- */

static void test_testlist_parse(void **state)
{
	char *dir = make_tmpdir();
	char **names;

	write_file(dir, "test-list.txt", "TESTLIST\nxe_a xe_b\nxe_c\nEND TESTLIST\n");
	names = job_list_read_testlist(dir, stderr);
	assert_non_null(names);
	assert_string_equal(names[0], "xe_a");
	assert_string_equal(names[1], "xe_b");
	assert_string_equal(names[2], "xe_c");
	assert_null(names[3]);
	strv_free(names);

	write_file(dir, "test-list.txt", "xe_a\n");
	assert_null(job_list_read_testlist(dir, fopen("/dev/null", "w")));
	rm_rf(dir);
	assert_null(job_list_read_testlist("/nonexistent", fopen("/dev/null", "w")));
	free(dir);
}

/* A test root with the self tests under their own names. */
static char *make_test_root(const char *extra_bins)
{
	char *root = make_tmpdir();
	char path[4200], list[512];

	snprintf(path, sizeof(path), "%s/igt_lite_selftest", root);
	assert_int_equal(symlink(selftest_bin, path), 0);
	snprintf(path, sizeof(path), "%s/igt_lite_selftest_simple", root);
	assert_int_equal(symlink(simple_bin, path), 0);
	snprintf(list, sizeof(list),
		 "TESTLIST\nigt_lite_selftest igt_lite_selftest_simple %s\nEND TESTLIST\n",
		 extra_bins);
	write_file(root, "test-list.txt", list);
	return root;
}

static char *joblist_text(const struct job_list *list)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	job_list_write(list, f);
	fclose(f);
	return buf;
}

static void test_job_list_build(void **state)
{
	char *root = make_test_root("");
	struct runner_settings s;
	struct job_list list;
	char *text;

	assert_int_equal(parse(&s, "-t", "igt@igt_lite_selftest@(pass|skip)-basic",
			       "-t", "simple", root, "/out", NULL), 0);
	assert_int_equal(job_list_build(&list, &s, stderr), 0);
	text = joblist_text(&list);
	assert_string_equal(text, "igt_lite_selftest pass-basic\n"
				  "igt_lite_selftest skip-basic\n"
				  "igt_lite_selftest_simple\n");
	free(text);
	job_list_free(&list);
	settings_free(&s);

	/* Multiple mode: one exec for consecutive subtests of a binary. */
	assert_int_equal(parse(&s, "-m", "-t", "(pass|skip)-basic", root, "/out", NULL), 0);
	assert_int_equal(job_list_build(&list, &s, stderr), 0);
	text = joblist_text(&list);
	assert_string_equal(text, "igt_lite_selftest pass-basic,skip-basic\n");
	free(text);
	job_list_free(&list);
	settings_free(&s);
	rm_rf(root);
	free(root);
}

static void test_job_list_file(void **state)
{
	char *root = make_test_root("");
	struct runner_settings s;
	struct job_list list;
	char listfile[4200], *text, *name;

	snprintf(listfile, sizeof(listfile), "%s/my.list", root);
	write_file(root, "my.list", "# nightly\n"
		   "igt@igt_lite_selftest@pass-basic\n"
		   "  igt@igt_lite_selftest@dynamic-mixed@dyn-pass  # one dynamic\n\n"
		   "igt@igt_lite_selftest_simple\n");
	assert_int_equal(parse(&s, "--test-list", listfile, root, "/out", NULL), 0);
	assert_int_equal(job_list_build(&list, &s, stderr), 0);
	text = joblist_text(&list);
	assert_string_equal(text, "igt_lite_selftest pass-basic\n"
				  "igt_lite_selftest dynamic-mixed@dyn-pass\n"
				  "igt_lite_selftest_simple\n");
	name = job_test_name(&list.jobs[1], 0);
	assert_string_equal(name, "igt@igt_lite_selftest@dynamic-mixed@dyn-pass");
	free(name);
	free(text);
	job_list_free(&list);

	write_file(root, "my.list", "xe_foo@bar\n");
	assert_int_equal(job_list_build(&list, &s, fopen("/dev/null", "w")), -1);
	job_list_free(&list);
	settings_free(&s);
	rm_rf(root);
	free(root);
}

/* ---- result generation from hand-made job directories ---------------------- */

struct fake_job {
	const char *out, *err, *dmesg, *journal;
};

static json_t *gen(const struct job *job, const struct fake_job *fj)
{
	char *dir = make_tmpdir();
	struct runner_settings s;
	json_t *tests = json_object();

	write_file(dir, "out.txt", fj->out);
	write_file(dir, "err.txt", fj->err);
	write_file(dir, "dmesg.txt", fj->dmesg);
	write_file(dir, "journal.txt", fj->journal);
	assert_int_equal(parse(&s, "/r", "/o", NULL), 0);
	assert_int_equal(resultgen_job(dir, job, &s, tests), 0);
	rm_rf(dir);
	free(dir);
	return tests;
}

static char *one_sub[] = { "sub", NULL };
static const struct job job_one = { "bin", one_sub, 1, NULL };

static void test_resultgen_pass_and_fields(void **state)
{
	struct fake_job fj = {
		"IGT-Version: 2.3\nStarting subtest: sub\nhello\n"
		"\x1b[1mSubtest sub: SUCCESS (1.250s)\x1b[0m\n",
		"Starting subtest: sub\nSubtest sub: SUCCESS (1.250s)\n",
		"6,10,1000000,-;[IGT] bin: starting subtest sub\n",
		"sub\nexit:0 (1.300s)\n",
	};
	json_t *tests = gen(&job_one, &fj), *t = json_object_get(tests, "igt@bin@sub");

	assert_non_null(t);
	assert_string_equal(result_of(tests, "igt@bin@sub"), "pass");
	/* as igt_results cuts it: what comes before the start belongs to it */
	assert_string_equal(json_string_value(json_object_get(t, "out")),
			    "IGT-Version: 2.3\nStarting subtest: sub\nhello\n"
			    "Subtest sub: SUCCESS (1.250s)\n");
	assert_string_equal(json_string_value(json_object_get(t, "igt-version")),
			    "IGT-Version: 2.3");
	assert_string_equal(json_string_value(json_object_get(t, "dmesg")),
			    "<6> [1.000000] [IGT] bin: starting subtest sub\n");
	assert_true(json_number_value(json_object_get(json_object_get(t, "time"), "end")) == 1.25);
	assert_null(json_object_get(t, "dmesg-warnings"));
	json_decref(tests);
}

/* igt_emit_ignore_dmesg_regex(): records after it that match are not warnings. */
static void test_resultgen_ignored_dmesg(void **state)
{
	struct fake_job ignored = {
		"Starting subtest: sub\nSubtest sub: SUCCESS (0.1s)\n", "",
		"6,1,5,-;[IGT] bin: add ignored dmesg regex: Failed to restore VF[0-9]+ [A-Z]+ data\n"
		"6,2,6,-;[IGT] bin: starting subtest sub\n"
		"3,3,7,-;xe_sriov_sim u: GT0: PF: Failed to restore VF2 GGTT data (-EINVAL)\n",
		"sub\nexit:0 (0.1s)\n",
	};
	struct fake_job other = {
		"Starting subtest: sub\nSubtest sub: SUCCESS (0.1s)\n", "",
		"6,1,5,-;[IGT] bin: add ignored dmesg regex: Failed to restore\n"
		"6,2,6,-;[IGT] bin: starting subtest sub\n"
		"3,3,7,-;xe_sriov_sim u: something else broke\n",
		"sub\nexit:0 (0.1s)\n",
	};
	struct fake_job before = {
		"Starting subtest: sub\nSubtest sub: SUCCESS (0.1s)\n", "",
		"6,1,5,-;[IGT] bin: starting subtest sub\n"
		"3,2,6,-;Failed to restore VF2 GGTT data (-EINVAL)\n"
		"6,3,7,-;[IGT] bin: add ignored dmesg regex: Failed to restore\n",
		"sub\nexit:0 (0.1s)\n",
	};
	json_t *tests;

	tests = gen(&job_one, &ignored);
	assert_string_equal(result_of(tests, "igt@bin@sub"), "pass");
	json_decref(tests);
	tests = gen(&job_one, &other);
	assert_string_equal(result_of(tests, "igt@bin@sub"), "dmesg-warn");
	json_decref(tests);
	tests = gen(&job_one, &before);
	assert_string_equal(result_of(tests, "igt@bin@sub"), "dmesg-warn");
	json_decref(tests);
}

static void test_resultgen_warn_and_dmesg(void **state)
{
	struct fake_job warn = {
		"Starting subtest: sub\nSubtest sub: SUCCESS (0.1s)\n",
		"Starting subtest: sub\n(bin:1) WARNING: odd\nSubtest sub: SUCCESS (0.1s)\n",
		"", "sub\nexit:0 (0.1s)\n",
	};
	struct fake_job dwarn = {
		"Starting subtest: sub\nSubtest sub: SUCCESS (0.1s)\n", "",
		"6,1,5,-;[IGT] bin: starting subtest sub\n4,2,6,-;WARNING: CPU: 0 PID: 1 at x\n",
		"sub\nexit:0 (0.1s)\n",
	};
	struct fake_job noise = {
		"Starting subtest: sub\nSubtest sub: SUCCESS (0.1s)\n", "",
		"6,1,5,-;[IGT] bin: starting subtest sub\n"
		"4,2,6,-;clocksource: Long readout interval, skipping watchdog check\n",
		"sub\nexit:0 (0.1s)\n",
	};
	struct fake_job other_igt = {
		"Starting subtest: sub\nSubtest sub: SUCCESS (0.1s)\n", "",
		"6,1,5,-;[IGT] bin: starting subtest sub\n"
		"3,2,6,-;[IGT] binx[12]: Abort in function main\n", "sub\nexit:0 (0.1s)\n",
	};
	struct fake_job own_igt = {
		"Starting subtest: sub\nSubtest sub: SUCCESS (0.1s)\n", "",
		"6,1,5,-;[IGT] bin: starting subtest sub\n"
		"3,2,6,-;[IGT] bin[12]: Abort in function main\n", "sub\nexit:0 (0.1s)\n",
	};
	struct fake_job dfail = {
		"Starting subtest: sub\nSubtest sub: FAIL (0.1s)\n", "",
		"6,1,5,-;[IGT] bin: starting subtest sub\n"
		"3,2,6,-;xe_sriov_sim: error\n", "sub\nexit:98 (0.1s)\n",
	};
	/* no subtest start in the log (no /dev/kmsg for the test): IGT
	 * gives each subtest the whole log and no warnings */
	struct fake_job unmarked = {
		"Starting subtest: sub\nSubtest sub: FAIL (0.1s)\n", "",
		"3,2,6,-;xe_sriov_sim: error\n", "sub\nexit:98 (0.1s)\n",
	};
	json_t *tests;

	tests = gen(&job_one, &warn);
	assert_string_equal(result_of(tests, "igt@bin@sub"), "warn");
	json_decref(tests);
	tests = gen(&job_one, &dwarn);
	assert_string_equal(result_of(tests, "igt@bin@sub"), "dmesg-warn");
	assert_non_null(json_object_get(json_object_get(tests, "igt@bin@sub"),
					"dmesg-warnings"));
	json_decref(tests);
	tests = gen(&job_one, &noise);
	assert_string_equal(result_of(tests, "igt@bin@sub"), "pass");
	json_decref(tests);
	tests = gen(&job_one, &other_igt);
	assert_string_equal(result_of(tests, "igt@bin@sub"), "pass");
	json_decref(tests);
	tests = gen(&job_one, &own_igt);
	assert_string_equal(result_of(tests, "igt@bin@sub"), "dmesg-warn");
	json_decref(tests);
	tests = gen(&job_one, &dfail);
	assert_string_equal(result_of(tests, "igt@bin@sub"), "dmesg-fail");
	json_decref(tests);
	tests = gen(&job_one, &unmarked);
	assert_string_equal(result_of(tests, "igt@bin@sub"), "fail");
	assert_string_equal(json_string_value(json_object_get(json_object_get(tests, "igt@bin@sub"),
							      "dmesg")),
			    "<3> [0.000006] xe_sriov_sim: error\n");
	json_decref(tests);
}

/*
 * No result line: what IGT's igt_results makes of the same files
 * (runner/resultgen.c: fill_from_journal(), result_from_exitcode()).
 */
static void test_resultgen_missing_results(void **state)
{
	struct fake_job timeout = {
		"Starting subtest: sub\n", "", "", "sub\ntimeout:-9 (5.0s)\n",
	};
	struct fake_job crash = {
		"Starting subtest: sub\n", "", "", "sub\nexit:-11 (0.2s)\n",
	};
	struct fake_job incomplete = { "Starting subtest: sub\n", "", "", "sub\n" };
	struct fake_job nothing = { "", "", "", "" };
	struct fake_job skipped = { "", "", "", "exit:77 (0.0s)\n" };
	struct fake_job invalid = { "", "", "", "exit:79 (0.0s)\n" };
	struct fake_job passed = { "", "", "", "exit:0 (0.0s)\n" };
	struct fake_job abort = { "Starting subtest: sub\n", "", "", "exit:112 (0.1s)\n" };
	struct fake_job abort_late = {
		"Starting subtest: sub\nSubtest sub: FAIL (0.1s)\n", "", "",
		"sub\nexit:112 (0.1s)\n",
	};
	struct fake_job timeout_late = {
		"Starting subtest: sub\nSubtest sub: SUCCESS (0.1s)\n", "", "",
		"sub\ntimeout:-9 (5.0s)\n",
	};
	json_t *t;

	t = gen(&job_one, &timeout);
	assert_string_equal(result_of(t, "igt@bin@sub"), "timeout");
	json_decref(t);
	/* killed without IGT's own "CRASH" line: IGT says incomplete */
	t = gen(&job_one, &crash);
	assert_string_equal(result_of(t, "igt@bin@sub"), "incomplete");
	json_decref(t);
	t = gen(&job_one, &incomplete);
	assert_string_equal(result_of(t, "igt@bin@sub"), "incomplete");
	json_decref(t);
	/* the job directory exists, the job never wrote: the machine went */
	t = gen(&job_one, &nothing);
	assert_string_equal(result_of(t, "igt@bin@sub"), "incomplete");
	json_decref(t);
	t = gen(&job_one, &skipped);
	assert_string_equal(result_of(t, "igt@bin@sub"), "skip");
	json_decref(t);
	t = gen(&job_one, &invalid);
	assert_string_equal(result_of(t, "igt@bin@sub"), "skip");
	json_decref(t);
	t = gen(&job_one, &passed);
	assert_string_equal(result_of(t, "igt@bin@sub"), "pass");
	json_decref(t);
	t = gen(&job_one, &abort);
	assert_string_equal(result_of(t, "igt@bin@sub"), "abort");
	json_decref(t);
	/* the journal's last subtest takes the job's abort or timeout */
	t = gen(&job_one, &abort_late);
	assert_string_equal(result_of(t, "igt@bin@sub"), "abort");
	json_decref(t);
	t = gen(&job_one, &timeout_late);
	assert_string_equal(result_of(t, "igt@bin@sub"), "timeout");
	json_decref(t);
}

static void test_resultgen_dynamic(void **state)
{
	struct fake_job fj = {
		"Starting subtest: sub\n"
		"Starting dynamic subtest: a\nDynamic subtest a: SUCCESS (0.1s)\n"
		"Starting dynamic subtest: b\nboom\nDynamic subtest b: FAIL (0.2s)\n"
		"Starting dynamic subtest: c\n",
		"", "6,1,1,-;[IGT] bin: starting subtest sub\n"
		"6,2,2,-;[IGT] bin: starting dynamic subtest a\n"
		"6,3,3,-;[IGT] bin: starting dynamic subtest b\n"
		"3,4,4,-;b's error\n"
		"6,5,5,-;[IGT] bin: starting dynamic subtest c\n",
		"sub\nexit:-6 (0.5s)\n",
	};
	json_t *t = gen(&job_one, &fj);

	assert_string_equal(result_of(t, "igt@bin@sub@a"), "pass");
	assert_string_equal(result_of(t, "igt@bin@sub@b"), "dmesg-fail");
	/* no result lines: incomplete, as igt_results says */
	assert_string_equal(result_of(t, "igt@bin@sub@c"), "incomplete");
	assert_string_equal(result_of(t, "igt@bin@sub"), "incomplete");
	assert_string_equal(json_string_value(json_object_get(json_object_get(t, "igt@bin@sub@b"),
							      "out")),
			    "Starting dynamic subtest: b\nboom\nDynamic subtest b: FAIL (0.2s)\n");
	json_decref(t);
}

/*
 * Where igt_results cuts out.txt, err.txt and dmesg.txt (runner/resultgen.c:
 * find_subtest_begin_limit(), find_subtest_end_limit(),
 * stderr_contains_warnings(), fill_from_dmesg()): text before a subtest's
 * start belongs to it; stderr makes a pass a warn only when a non-mark
 * line comes before some mark of the part, so text after the last mark
 * does not count. Each expectation was checked against igt_results 2.2.
 */
static void test_resultgen_igt_parts(void **state)
{
	struct fake_job before = {
		"Starting subtest: sub\nSubtest sub: SUCCESS (0.1s)\n",
		"fixture says\nStarting subtest: sub\nSubtest sub: SUCCESS (0.1s)\n",
		"", "sub\nexit:0 (0.1s)\n",
	};
	struct fake_job after = {
		"Starting subtest: sub\nSubtest sub: SUCCESS (0.1s)\n",
		"Starting subtest: sub\nSubtest sub: SUCCESS (0.1s)\nexit handler says\n",
		"", "sub\nexit:0 (0.1s)\n",
	};
	struct fake_job dyn = {
		"Starting subtest: sub\n"
		"Starting dynamic subtest: a\nDynamic subtest a: SUCCESS (0.1s)\n"
		"Starting dynamic subtest: b\nDynamic subtest b: SUCCESS (0.1s)\n"
		"Subtest sub: SUCCESS (0.3s)\n",
		"Starting subtest: sub\n"
		"Starting dynamic subtest: a\nDynamic subtest a: SUCCESS (0.1s)\n"
		"Starting dynamic subtest: b\nb is odd\nDynamic subtest b: SUCCESS (0.1s)\n"
		"Subtest sub: SUCCESS (0.3s)\n",
		"", "sub\nexit:0 (0.3s)\n",
	};
	/* dmesg: the first dynamic subtest's log starts where its parent's does */
	struct fake_job dyn_dmesg = {
		"Starting subtest: sub\n"
		"Starting dynamic subtest: a\nDynamic subtest a: SUCCESS (0.1s)\n"
		"Starting dynamic subtest: b\nDynamic subtest b: SUCCESS (0.1s)\n"
		"Subtest sub: SUCCESS (0.3s)\n", "",
		"6,0,1,-;before\n6,1,2,-;[IGT] bin: starting subtest sub\n"
		"4,2,3,-;parent warns\n6,3,4,-;[IGT] bin: starting dynamic subtest a\n"
		"6,4,5,-;[IGT] bin: starting dynamic subtest b\n",
		"sub\nexit:0 (0.3s)\n",
	};
	/* not entered, a result all the same: named in the journal */
	struct fake_job unentered = {
		"Subtest sub: SKIP (0.000s)\n", "", "", "sub\nexit:77 (0.0s)\n",
	};
	json_t *t;

	t = gen(&job_one, &before);
	assert_string_equal(result_of(t, "igt@bin@sub"), "warn");
	json_decref(t);
	t = gen(&job_one, &after);
	assert_string_equal(result_of(t, "igt@bin@sub"), "pass");
	json_decref(t);
	t = gen(&job_one, &dyn);
	assert_string_equal(result_of(t, "igt@bin@sub@a"), "pass");
	assert_string_equal(result_of(t, "igt@bin@sub@b"), "warn");
	assert_string_equal(result_of(t, "igt@bin@sub"), "warn");
	assert_string_equal(json_string_value(json_object_get(json_object_get(t, "igt@bin@sub@b"),
							      "out")),
			    "Starting dynamic subtest: b\nDynamic subtest b: SUCCESS (0.1s)\n"
			    "Subtest sub: SUCCESS (0.3s)\n");
	json_decref(t);
	t = gen(&job_one, &dyn_dmesg);
	assert_string_equal(result_of(t, "igt@bin@sub"), "dmesg-warn");
	assert_string_equal(result_of(t, "igt@bin@sub@a"), "dmesg-warn");
	assert_string_equal(result_of(t, "igt@bin@sub@b"), "pass");
	assert_string_equal(json_string_value(json_object_get(json_object_get(t, "igt@bin@sub@a"),
							      "dmesg")),
			    "<6> [0.000001] before\n<6> [0.000002] [IGT] bin: starting subtest sub\n"
			    "<4> [0.000003] parent warns\n"
			    "<6> [0.000004] [IGT] bin: starting dynamic subtest a\n");
	assert_string_equal(json_string_value(json_object_get(json_object_get(t, "igt@bin@sub@b"),
							      "dmesg")),
			    "<6> [0.000005] [IGT] bin: starting dynamic subtest b\n");
	json_decref(t);
	t = gen(&job_one, &unentered);
	assert_string_equal(result_of(t, "igt@bin@sub"), "skip");
	json_decref(t);
}

static void test_resultgen_whole_binary(void **state)
{
	static const struct job whole = { "simple", NULL, 0, NULL };
	struct fake_job codes[] = {
		{ "", "", "", "exit:0 (0.1s)\n" }, { "", "", "", "exit:77 (0.1s)\n" },
		{ "", "", "", "exit:98 (0.1s)\n" }, { "", "", "", "exit:-11 (0.1s)\n" },
		{ "", "", "", "" },
	};
	/* result_from_exitcode(): a signal is a plain fail */
	const char *expect[] = { "pass", "skip", "fail", "fail", "incomplete" };

	for (int i = 0; i < 5; i++) {
		json_t *t = gen(&whole, &codes[i]);

		assert_string_equal(result_of(t, "igt@simple"), expect[i]);
		json_decref(t);
	}
}

static void test_results_document(void **state)
{
	char *dir = make_tmpdir();
	struct runner_settings s;
	json_t *tests = json_object(), *doc, *totals;

	assert_int_equal(parse(&s, "/r", dir, NULL), 0);
	write_file(dir, "uname.txt", "Linux vm 6.12 #1 x86_64\n");
	write_file(dir, "starttime.txt", "100.5\n");
	write_file(dir, "endtime.txt", "110.5\n");
	write_file(dir, "aborted.txt", "Kernel tainted\n");
	json_object_set_new(tests, "igt@a@x", json_pack("{s:s,s:{s:f}}", "result", "pass",
							 "time", "end", 1.5));
	json_object_set_new(tests, "igt@a@y", json_pack("{s:s,s:{s:f}}", "result", "fail",
							 "time", "end", 2.0));
	json_object_set_new(tests, "igt@a@y@d", json_pack("{s:s,s:{s:f}}", "result", "fail",
							   "time", "end", 1.0));
	json_object_set_new(tests, "igt@b", json_pack("{s:s,s:{s:f}}", "result", "skip",
						       "time", "end", 0.5));
	doc = resultgen_document(dir, &s, tests);
	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(doc, "results_version")), 10);
	assert_string_equal(json_string_value(json_object_get(doc, "__type__")), "TestrunResult");
	assert_string_equal(json_string_value(json_object_get(doc, "uname")), "Linux vm 6.12 #1 x86_64");
	assert_true(json_real_value(json_object_get(json_object_get(doc, "time_elapsed"),
						     "start")) == 100.5);
	totals = json_object_get(doc, "totals");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(totals, "root"), "fail")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(totals, ""), "pass")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(totals, "igt@a"), "fail")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(totals, "igt@b"), "skip")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(totals, "igt@runner"), "fail")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(totals, "igt@b"), "notrun")), 0);
	/* Dynamic subtests run inside their parent: their time counts once. */
	assert_true(json_real_value(json_object_get(json_object_get(json_object_get(
		json_object_get(doc, "runtimes"), "igt@a"), "time"), "end")) == 3.5);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_object_get(doc, "tests"), "igt@runner@aborted"), "out")), "Kernel tainted\n");
	assert_int_equal(resultgen_write(dir, doc), 0);
	json_decref(doc);
	rm_rf(dir);
	free(dir);
}

/* ---- end to end ------------------------------------------------------------- */

static int run_runner(const char *first, ...)
{
	char *argv[32] = { (char *)runner_bin };
	int argc = 1, status;
	va_list ap;
	pid_t pid;

	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		execv(runner_bin, argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static json_t *load_results(const char *res)
{
	char path[4200];
	json_error_t err;
	json_t *doc;

	snprintf(path, sizeof(path), "%s/results.json", res);
	doc = json_load_file(path, 0, &err);
	if (!doc)
		fail_msg("%s: %s", path, err.text);
	return doc;
}

static bool exists(const char *dir, const char *name)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void test_e2e_selftest(void **state)
{
	char *root = make_test_root("");
	char res[4200];
	json_t *doc, *tests;

	snprintf(res, sizeof(res), "%s/results", root);
	assert_int_equal(run_runner("--per-test-timeout", "60", "-x", "@abort$",
				    "-x", "timeout$", "-x", "@killed$", root, res, NULL), 0);
	doc = load_results(res);
	tests = json_object_get(doc, "tests");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@pass-basic"), "pass");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@skip-basic"), "skip");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@fail-basic"), "fail");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@warn-on"), "warn");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@crash"), "crash");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@dynamic-mixed@dyn-pass"), "pass");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@dynamic-mixed@dyn-skip"), "skip");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@dynamic-mixed@dyn-fail-1"), "fail");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@dynamic-mixed"), "fail");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@dynamic-crash@dyn-crash"), "crash");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@group-subtest"), "pass");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest_simple"), "pass");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@abort"), "(missing)");
	assert_int_equal(json_integer_value(json_object_get(doc, "results_version")), 10);
	for (const char *const *f = (const char *const[]){ "metadata.txt", "joblist.txt",
			"uname.txt", "starttime.txt", "endtime.txt", "0/out.txt", "0/err.txt",
			"0/dmesg.txt", "0/journal.txt", NULL }; *f; f++)
		assert_true(exists(res, *f));
	assert_false(exists(res, "aborted.txt"));
	json_decref(doc);

	/* A used results directory is refused unless -o. */
	assert_int_equal(run_runner("-t", "pass-basic", root, res, NULL), 1);
	assert_int_equal(run_runner("-o", "-t", "pass-basic", root, res, NULL), 0);
	assert_false(exists(res, "1"));
	rm_rf(root);
	free(root);
}

static void test_e2e_abort(void **state)
{
	char *root = make_test_root("");
	char res[4200];
	json_t *doc, *tests;

	snprintf(res, sizeof(res), "%s/results", root);
	/* An exit code of 112 stops the run; what follows is notrun. */
	assert_int_equal(run_runner("-t", "@(abort|after-group)$", root, res, NULL), 1);
	doc = load_results(res);
	tests = json_object_get(doc, "tests");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@abort"), "abort");
	assert_string_equal(result_of(tests, "igt@igt_lite_selftest@after-group"), "notrun");
	assert_string_equal(result_of(tests, "igt@runner@aborted"), "fail");
	assert_true(exists(res, "aborted.txt"));
	json_decref(doc);
	rm_rf(root);
	free(root);
}

/*
 * A fixture that skips: the subtest never starts, and its out must carry
 * the fixture's reason (the verdict logic names a set-up skip by it).
 */
static void test_e2e_fixture_skip(void **state)
{
	char *root = make_test_root("fixture_skips");
	char res[4200], script[4400];
	const char *out, *err;
	json_t *doc, *t;

	snprintf(script, sizeof(script), "#!/bin/sh\nexec '%s' --top-fixture=skip \"$@\"\n",
		 selftest_bin);
	write_file(root, "fixture_skips", script);
	snprintf(res, sizeof(res), "%s/fixture_skips", root);
	assert_int_equal(chmod(res, 0755), 0);
	snprintf(res, sizeof(res), "%s/results", root);
	assert_int_equal(run_runner("-t", "fixture_skips@pass-basic$", root, res, NULL), 0);
	doc = load_results(res);
	t = json_object_get(json_object_get(doc, "tests"), "igt@fixture_skips@pass-basic");
	assert_string_equal(json_string_value(json_object_get(t, "result")), "skip");
	out = json_string_value(json_object_get(t, "out"));
	err = json_string_value(json_object_get(t, "err"));
	if (!strstr(out, "top fixture skips on purpose\nSubtest pass-basic: SKIP"))
		fail_msg("the fixture's reason is not in out: '%s'", out);
	assert_null(strstr(out, "Starting subtest"));
	assert_non_null(strstr(err, "Subtest pass-basic: SKIP"));
	json_decref(doc);
	rm_rf(root);
	free(root);
}

static void test_e2e_timeout(void **state)
{
	char *root = make_test_root("hang");
	char res[4200], journal[4200], *text = NULL;
	size_t size = 0;
	FILE *f;
	json_t *doc;

	/* Not an IGT binary: the text protocol is enough for the runner. */
	write_file(root, "hang",
		   "#!/bin/sh\n"
		   "[ \"$1\" = --list-subtests ] && { echo sleeper; exit 0; }\n"
		   "trap '' QUIT\n"
		   "echo 'Starting subtest: sleeper'\n"
		   "sleep 60\n");
	snprintf(res, sizeof(res), "%s/hang", root);
	assert_int_equal(chmod(res, 0755), 0);
	snprintf(res, sizeof(res), "%s/results", root);
	assert_int_equal(run_runner("--per-test-timeout", "1", "--kill-grace", "1",
				    "-t", "hang", root, res, NULL), 0);
	doc = load_results(res);
	assert_string_equal(result_of(json_object_get(doc, "tests"), "igt@hang@sleeper"),
			    "timeout");
	snprintf(journal, sizeof(journal), "%s/0/journal.txt", res);
	f = fopen(journal, "r");
	assert_non_null(f);
	assert_true(getdelim(&text, &size, '\0', f) > 0);
	assert_non_null(strstr(text, "sleeper\ntimeout:-9 ("));
	free(text);
	fclose(f);
	json_decref(doc);
	rm_rf(root);
	free(root);
}

/*
 * The journal names the subtests a job entered and those that printed a
 * result without being entered (a fixture skipped them), as igt_runner's
 * does: igt_results and igt_resume learn of subtests from it alone.
 */
static void test_e2e_journal(void **state)
{
	char *root = make_test_root("fixture");
	char res[4200], journal[4200], *text = NULL;
	size_t size = 0;
	FILE *f;
	json_t *doc;

	write_file(root, "fixture",
		   "#!/bin/sh\n"
		   "[ \"$1\" = --list-subtests ] && { echo a; exit 0; }\n"
		   "echo 'Test requirement not met in the fixture'\n"
		   "echo 'Subtest a: SKIP (0.000s)'\n"
		   "exit 77\n");
	snprintf(res, sizeof(res), "%s/fixture", root);
	assert_int_equal(chmod(res, 0755), 0);
	snprintf(res, sizeof(res), "%s/results", root);
	assert_int_equal(run_runner("-t", "fixture", root, res, NULL), 0);
	snprintf(journal, sizeof(journal), "%s/0/journal.txt", res);
	f = fopen(journal, "r");
	assert_non_null(f);
	assert_true(getdelim(&text, &size, '\0', f) > 0);
	fclose(f);
	assert_true(!strncmp(text, "a\nexit:77 (", strlen("a\nexit:77 (")));
	doc = load_results(res);
	assert_string_equal(result_of(json_object_get(doc, "tests"), "igt@fixture@a"), "skip");
	json_decref(doc);
	free(text);
	rm_rf(root);
	free(root);
}

/*
 * IGT's own igt_results and igt_resume, when a lab has them ($IGT_RESULTS,
 * $IGT_RESUME, else on PATH; Debian 12's intel-gpu-tools 1.27.1 ships
 * neither, so elsewhere this is skipped): the results directory our runner
 * writes must be one they read completely.
 */
static char *find_tool(const char *env, const char *name)
{
	const char *e = getenv(env), *path = getenv("PATH");
	char buf[4200];

	if (e && *e)
		return access(e, X_OK) ? NULL : strdup(e);
	for (const char *p = path; p && *p; ) {
		size_t n = strcspn(p, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, name);
		if (n && !access(buf, X_OK))
			return strdup(buf);
		p += n + (p[n] == ':');
	}
	return NULL;
}

static void run_tool(const char *tool, const char *dir)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(126);
		execl(tool, tool, dir, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Every entry, and its result, the same in both; the count the same. */
static void same_tests(json_t *ours, json_t *theirs)
{
	const char *name;
	json_t *t;
	int diff = 0;

	json_object_foreach(ours, name, t)
		if (strcmp(result_of(ours, name), result_of(theirs, name))) {
			print_message("%s: ours %s, IGT's %s\n", name,
				      result_of(ours, name), result_of(theirs, name));
			diff++;
		}
	json_object_foreach(theirs, name, t)
		if (!json_object_get(ours, name)) {
			print_message("%s: only IGT's (%s)\n", name, result_of(theirs, name));
			diff++;
		}
	assert_int_equal(diff, 0);
	assert_int_equal(json_object_size(ours), json_object_size(theirs));
}

static void test_e2e_igt_tools(void **state)
{
	char *results = find_tool("IGT_RESULTS", "igt_results");
	char *resume = find_tool("IGT_RESUME", "igt_resume");
	char *root, res[4200], path[4300];
	json_t *ours, *theirs;

	if (!results) {
		free(resume);
		skip();
	}
	root = make_test_root("");
	/* an aborted run: results, dynamic subtests, notrun, igt@runner@aborted */
	snprintf(res, sizeof(res), "%s/results", root);
	assert_int_equal(run_runner("--per-test-timeout", "60", "-x", "@timeout$",
				    root, res, NULL), 1);
	ours = load_results(res);
	snprintf(path, sizeof(path), "%s/results.json", res);
	assert_int_equal(unlink(path), 0);
	run_tool(results, res);
	theirs = load_results(res);
	same_tests(json_object_get(ours, "tests"), json_object_get(theirs, "tests"));
	json_decref(theirs);
	json_decref(ours);

	/* a run cut short before its last two jobs: igt_resume runs them */
	if (resume) {
		char last[32];
		int n_jobs = 0;
		FILE *f;

		snprintf(res, sizeof(res), "%s/resumed", root);
		assert_int_equal(run_runner("--per-test-timeout", "60", "-x", "@timeout$",
					    "-x", "@abort$", root, res, NULL), 0);
		ours = load_results(res);
		snprintf(path, sizeof(path), "%s/joblist.txt", res);
		f = fopen(path, "r");
		assert_non_null(f);
		for (int c; (c = fgetc(f)) != EOF; )
			n_jobs += c == '\n';
		fclose(f);
		assert_true(n_jobs > 2);
		for (int j = n_jobs - 2; j < n_jobs; j++) {
			snprintf(path, sizeof(path), "%s/%d", res, j);
			rm_rf(path);
		}
		for (const char *const *f = (const char *const[]){ "endtime.txt",
				"results.json", NULL }; *f; f++) {
			snprintf(path, sizeof(path), "%s/%s", res, *f);
			rm_rf(path);
		}
		run_tool(resume, res);
		theirs = load_results(res);
		snprintf(last, sizeof(last), "%d/journal.txt", n_jobs - 1);
		assert_true(exists(res, last));
		same_tests(json_object_get(ours, "tests"), json_object_get(theirs, "tests"));
		json_decref(theirs);
		json_decref(ours);
	}
	rm_rf(root);
	free(root);
	free(results);
	free(resume);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings_defaults),
		cmocka_unit_test(test_settings_options),
		cmocka_unit_test(test_settings_errors),
		cmocka_unit_test(test_settings_env_root),
		cmocka_unit_test(test_settings_metadata_for_igt),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_taint),
		cmocka_unit_test(test_kmsg_parse),
		cmocka_unit_test(test_testlist_parse),
		cmocka_unit_test(test_job_list_build),
		cmocka_unit_test(test_job_list_file),
		cmocka_unit_test(test_resultgen_pass_and_fields),
		cmocka_unit_test(test_resultgen_warn_and_dmesg),
		cmocka_unit_test(test_resultgen_ignored_dmesg),
		cmocka_unit_test(test_resultgen_missing_results),
		cmocka_unit_test(test_resultgen_dynamic),
		cmocka_unit_test(test_resultgen_igt_parts),
		cmocka_unit_test(test_resultgen_whole_binary),
		cmocka_unit_test(test_results_document),
		cmocka_unit_test(test_e2e_selftest),
		cmocka_unit_test(test_e2e_abort),
		cmocka_unit_test(test_e2e_timeout),
		cmocka_unit_test(test_e2e_journal),
		cmocka_unit_test(test_e2e_igt_tools),
		cmocka_unit_test(test_e2e_fixture_skip),
	};

	if (argc != 4) {
		fprintf(stderr, "usage: %s RUNNER SELFTEST SELFTEST_SIMPLE\n", argv[0]);
		return 2;
	}
	/* The test roots hold symlinks: the paths must be absolute. */
	runner_bin = realpath(argv[1], NULL);
	selftest_bin = realpath(argv[2], NULL);
	simple_bin = realpath(argv[3], NULL);
	if (!runner_bin || !selftest_bin || !simple_bin) {
		perror("realpath");
		return 2;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
