// SPDX-License-Identifier: MIT
/*
 * runner/cli verdicts: results.json's tests against the list of expected
 * results (expected.c, verdict.c) and the selection of a run
 * (run_selection.c). Skips are not passes: a removed subtest, a skipped
 * one, one whose fixture broke, an extra one, and an expected skip with
 * its reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expected.h"
#include "run_selection.h"
#include "verdict.h"

static const char list_text[] =
	"# a comment, then a blank line\n"
	"\n"
	"igt@bin@alpha\n"
	"igt@bin@beta\n"
	"igt@bin@beta@one\n"
	"igt@bin@beta@two\n"
	"  igt@bin@gamma   skip   needs a (lab|real) GPU\n";

/* The output of a passing subtest, and of one that skipped as it ran. */
static const char out_pass[] =
	"Starting subtest: alpha\nSubtest alpha: SUCCESS (0.1s)\n";
static const char out_skip_in_subtest[] =
	"Starting subtest: alpha\n"
	"Test requirement not met in function alpha, file t.c:10:\n"
	"Test requirement: have_thing()\n"
	"no thing here\n"
	"Subtest alpha: SKIP (0.0s)\n";
/* A fixture's igt_require failed: the subtest never started. */
static const char out_fixture_skip[] =
	"IGT-Version: 2.3-igt-lite (x86_64)\n"
	"Test requirement not met in function __real_main, file t.c:400:\n"
	"Test requirement: !err\n"
	"no SR-IOV PF: No such device\n"
	"Subtest alpha: SKIP (0.000s)\n";
static const char out_gamma_skip[] =
	"Starting subtest: gamma\n"
	"Test requirement not met in function gamma, file t.c:20:\n"
	"Test requirement: lab\n"
	"needs a real GPU\n"
	"Subtest gamma: SKIP (0.0s)\n";

static void load_list(struct expected_list *l, const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	assert_non_null(f);
	assert_int_equal(expected_parse(l, f, "expected-test.txt", stderr), 0);
	fclose(f);
}

static void set(json_t *tests, const char *name, const char *result, const char *out)
{
	json_object_set_new(tests, name, json_pack("{s:s, s:s, s:s}", "result", result,
						   "out", out, "err", ""));
}

/* Every listed test as listed: alpha and beta pass, gamma skips. */
static json_t *good_results(void)
{
	json_t *tests = json_object();

	set(tests, "igt@bin@alpha", "pass", out_pass);
	set(tests, "igt@bin@beta", "pass", "");
	set(tests, "igt@bin@beta@one", "pass", "");
	set(tests, "igt@bin@beta@two", "pass", "");
	set(tests, "igt@bin@gamma", "skip", out_gamma_skip);
	return tests;
}

struct fixture {
	struct expected_list exp;
	json_t *tests;
	struct verdict v;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	load_list(&f->exp, list_text);
	f->tests = good_results();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	verdict_free(&f->v);
	expected_free(&f->exp);
	json_decref(f->tests);
	free(f);
	return 0;
}

static void compare(struct fixture *f)
{
	assert_int_equal(verdict_compare(f->tests, &f->exp, NULL, NULL, &f->v), 0);
}

/* What verdict_print() says, for the reader of the summary. */
static char *printed(struct fixture *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	verdict_print(&f->v, &f->exp, out);
	fclose(out);
	return buf;
}

static void assert_one(struct fixture *f, enum verdict_kind kind, const char *name,
		       const char *says)
{
	char *text = printed(f);

	assert_int_equal(f->v.n, 1);
	assert_int_equal(f->v.items[0].kind, kind);
	assert_string_equal(f->v.items[0].name, name);
	if (!strstr(text, says))
		fail_msg("summary lacks '%s':\n%s", says, text);
	free(text);
}

static void test_parse(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->exp.n, 5);
	assert_null(expected_find(&f->exp, "igt@bin@alpha")->skip_reason);
	assert_string_equal(expected_find(&f->exp, "igt@bin@gamma")->skip_reason,
			    "needs a (lab|real) GPU");
	assert_null(expected_find(&f->exp, "igt@bin@delta"));
}

static void parse_fails(const char *text, const char *says)
{
	char *msg = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct expected_list l;

	assert_int_equal(expected_parse(&l, in, "x.txt", err), -1);
	fclose(in);
	fclose(err);
	if (!strstr(msg, says))
		fail_msg("'%s' not in '%s'", says, msg);
	expected_free(&l);
	free(msg);
}

static void test_parse_errors(void **state)
{
	parse_fails("igt@bin@a\nigt@bin@a\n", "x.txt:2: listed twice");
	parse_fails("bin@a\n", "x.txt:1: not igt@binary");
	parse_fails("igt@bin@a pass\n", "only \"skip REGEX\"");
	parse_fails("igt@bin@a skip\n", "needs a valid POSIX ERE");
	parse_fails("igt@bin@a skip (\n", "needs a valid POSIX ERE");
}

static void test_as_expected(void **state)
{
	struct fixture *f = *state;
	char *text;

	compare(f);
	assert_int_equal(f->v.n, 0);
	text = printed(f);
	assert_string_equal(text, "");
	free(text);
}

static void test_subtest_removed(void **state)
{
	struct fixture *f = *state;

	json_object_del(f->tests, "igt@bin@beta@two");
	compare(f);
	assert_one(f, VERDICT_MISSING, "igt@bin@beta@two", "listed, but no such result");
}

static void test_subtest_skipped(void **state)
{
	struct fixture *f = *state;

	set(f->tests, "igt@bin@alpha", "skip", out_skip_in_subtest);
	compare(f);
	assert_one(f, VERDICT_SKIP, "igt@bin@alpha",
		   "expected to pass; it skipped: Test requirement: have_thing() | no thing here");
	assert_false(f->v.items[0].in_fixture);
}

static void test_fixture_broken(void **state)
{
	struct fixture *f = *state;

	set(f->tests, "igt@bin@alpha", "skip", out_fixture_skip);
	compare(f);
	assert_one(f, VERDICT_SKIP, "igt@bin@alpha",
		   "its set-up (a fixture) skipped it: Test requirement: !err | no SR-IOV PF");
	assert_true(f->v.items[0].in_fixture);
}

static void test_extra_subtest(void **state)
{
	struct fixture *f = *state;

	set(f->tests, "igt@bin@delta", "pass", out_pass);
	compare(f);
	assert_one(f, VERDICT_EXTRA, "igt@bin@delta", "pass, but not listed");
}

static void test_notrun(void **state)
{
	struct fixture *f = *state;

	set(f->tests, "igt@bin@beta@one", "notrun", "");
	compare(f);
	assert_one(f, VERDICT_NOTRUN, "igt@bin@beta@one", "expected to run, not run");
}

static void test_expected_skip_other_reason(void **state)
{
	struct fixture *f = *state;

	set(f->tests, "igt@bin@gamma", "skip", out_fixture_skip);
	compare(f);
	assert_one(f, VERDICT_SKIP_REASON, "igt@bin@gamma",
		   "expected to skip matching 'needs a (lab|real) GPU'; its set-up");
}

static void test_expected_skip_passed(void **state)
{
	struct fixture *f = *state;

	set(f->tests, "igt@bin@gamma", "pass", out_pass);
	compare(f);
	assert_one(f, VERDICT_PASS, "igt@bin@gamma", "drop the skip from the list");
}

/* Failures are the tally's: no deviation for them. */
static void test_fail_is_not_a_deviation(void **state)
{
	struct fixture *f = *state;

	set(f->tests, "igt@bin@alpha", "fail", out_pass);
	compare(f);
	assert_int_equal(f->v.n, 0);
}

static void parse_selection(struct run_selection *sel, const char *joblist)
{
	FILE *in = fmemopen((void *)joblist, strlen(joblist), "r");

	assert_int_equal(run_selection_parse(sel, in), 0);
	fclose(in);
}

static void test_selection(void **state)
{
	struct run_selection sel;

	parse_selection(&sel, "bin alpha\nbin beta@one\nother\n");
	assert_int_equal(sel.n, 3);
	assert_true(run_selection_has("igt@bin@alpha", &sel));
	assert_true(run_selection_has("igt@bin@beta@one", &sel));
	assert_false(run_selection_has("igt@bin@beta@two", &sel));
	assert_false(run_selection_has("igt@bin@alphabet", &sel));
	assert_true(run_selection_has("igt@other@any", &sel));
	assert_false(run_selection_has("igt@bin@gamma", &sel));
	run_selection_free(&sel);
}

/* A -t run of alpha alone: the rest of the list is not missing. */
static void test_selection_filters_missing(void **state)
{
	struct fixture *f = *state;
	struct run_selection sel;

	parse_selection(&sel, "bin alpha\n");
	json_decref(f->tests);
	f->tests = json_object();
	set(f->tests, "igt@bin@alpha", "pass", out_pass);
	assert_int_equal(verdict_compare(f->tests, &f->exp, run_selection_has, &sel, &f->v), 0);
	assert_int_equal(f->v.n, 0);
	/* ... but alpha itself is, when the run selected it and it is gone. */
	json_object_del(f->tests, "igt@bin@alpha");
	verdict_free(&f->v);
	assert_int_equal(verdict_compare(f->tests, &f->exp, run_selection_has, &sel, &f->v), 0);
	assert_one(f, VERDICT_MISSING, "igt@bin@alpha", "no such result");
	run_selection_free(&sel);
}

static void test_skip_reason_text(void **state)
{
	char *r = verdict_skip_reason("Starting subtest: x\nNo dynamic tests executed.\n"
				      "Subtest x: SKIP (0.0s)\n");

	assert_string_equal(r, "No dynamic tests executed.");
	free(r);
	r = verdict_skip_reason("Subtest x: SKIP (0.0s)\n");
	assert_string_equal(r, "(no message)");
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse, setup, teardown),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test_setup_teardown(test_as_expected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subtest_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subtest_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fixture_broken, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_subtest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notrun, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expected_skip_other_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expected_skip_passed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_is_not_a_deviation, setup, teardown),
		cmocka_unit_test(test_selection),
		cmocka_unit_test_setup_teardown(test_selection_filters_missing, setup, teardown),
		cmocka_unit_test(test_skip_reason_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
