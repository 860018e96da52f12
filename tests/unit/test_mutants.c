// SPDX-License-Identifier: MIT
/*
 * runner/cli mutants: the plan (faults joined with their catchers, the two
 * tables in agreement) and the verdict of one planted fault: caught only
 * when every catcher passed without it and failed with it for the reason
 * the table gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutant_plan.h"
#include "mutant_verdict.h"

static const struct mutant_fault_def faults[] = {
	{ "vram-flip", "save flips a byte" },
	{ "no-irq", "no MIGRATED interrupt" },
};

static const struct mutant_catcher_def catchers[] = {
	{ "vram-flip", "data@migrate qemu_vf@sim-vf-in-qemu", "LMEM: [0-9]+ of [0-9]+ blocks" },
	{ "no-irq", "data@migrated-interrupt", "MIGRATED" },
};

#define DATA "igt@xe_sriov_migration_data@migrate"
#define QVF "igt@xe_sriov_migration_qemu_vf@sim-vf-in-qemu"

static char *build_errors(const struct mutant_catcher_def *c, size_t n,
			  const char *const *only, int n_only, int want_rc)
{
	struct mutant_plan p;
	char *msg = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);

	assert_int_equal(mutant_plan_build_from(&p, faults, 2, c, n, only, n_only, err),
			 want_rc);
	fclose(err);
	mutant_plan_free(&p);
	return msg;
}

static void assert_says(char *text, const char *says)
{
	if (!strstr(text, says))
		fail_msg("'%s' not in:\n%s", says, text);
	free(text);
}

static void test_plan(void **state)
{
	const char *only[] = { "no-irq" };
	struct mutant_plan p;

	assert_int_equal(mutant_plan_build_from(&p, faults, 2, catchers, 2, NULL, 0, stderr), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.faults[0].name, "vram-flip");
	assert_int_equal(p.faults[0].n_subtests, 2);
	assert_string_equal(p.faults[0].subtests[0], DATA);
	assert_string_equal(p.faults[0].subtests[1], QVF);
	assert_string_equal(mutant_short_name(QVF), "qemu_vf@sim-vf-in-qemu");
	mutant_plan_free(&p);

	assert_int_equal(mutant_plan_build_from(&p, faults, 2, catchers, 2, only, 1, stderr), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.faults[0].name, "no-irq");
	mutant_plan_free(&p);
}

static void test_plan_disagrees(void **state)
{
	const struct mutant_catcher_def unknown[] = {
		catchers[0], catchers[1], { "size-zero", "stream@size-estimate", "0" },
	};
	const struct mutant_catcher_def twice[] = { catchers[0], catchers[1], catchers[1] };
	const struct mutant_catcher_def bad[] = {
		catchers[0], { "no-irq", "migrated-interrupt", "(" },
	};
	const char *nosuch[] = { "no-such" };

	/* A fault without a line fails even when another one is selected. */
	assert_says(build_errors(catchers, 1, (const char *[]){ "vram-flip" }, 1, -1),
		    "the fault \"no-irq\" has no line");
	assert_says(build_errors(unknown, 3, NULL, 0, -1),
		    "\"size-zero\" is not a fault of xe_sriov_sim_faults.h");
	assert_says(build_errors(twice, 3, NULL, 0, -1), "\"no-irq\" has two lines");
	assert_says(build_errors(bad, 2, NULL, 0, -1), "bad pattern '('");
	assert_says(build_errors(bad, 2, NULL, 0, -1), "'migrated-interrupt' is not binary@subtest");
	assert_says(build_errors(catchers, 2, nosuch, 1, -1), "no fault named \"no-such\"");
}

/* The real tables agree. */
static void test_real_tables(void **state)
{
	struct mutant_plan p;

	assert_int_equal(mutant_plan_build(&p, NULL, 0, stderr), 0);
	assert_true(p.n > 0);
	mutant_plan_free(&p);
}

static void set(json_t *tests, const char *name, const char *result, const char *err)
{
	json_object_set_new(tests, name, json_pack("{s:s, s:s, s:s}", "result", result,
						   "out", "Starting subtest: x\n", "err", err));
}

static const char lmem_err[] =
	"(data:1) CRITICAL: Failed assertion: vf_state_equal(...)\n"
	"LMEM: 1 of 64 blocks of 64 KiB differ, first at offset 0\n";

struct fx {
	struct mutant_plan p;
	json_t *baseline, *planted;
	char *text;
	size_t len;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_int_equal(mutant_plan_build_from(&f->p, faults, 2, catchers, 2, NULL, 0, stderr), 0);
	f->baseline = json_object();
	f->planted = json_object();
	set(f->baseline, DATA, "pass", "");
	set(f->baseline, QVF, "pass", "");
	set(f->planted, DATA, "fail", lmem_err);
	set(f->planted, QVF, "fail", lmem_err);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	mutant_plan_free(&f->p);
	json_decref(f->baseline);
	json_decref(f->planted);
	free(f->text);
	free(f);
	return 0;
}

static enum mutant_outcome judge(struct fx *f, json_t *planted)
{
	FILE *out;
	enum mutant_outcome o;

	free(f->text);
	f->text = NULL;
	out = open_memstream(&f->text, &f->len);
	o = mutant_judge(&f->p.faults[0], f->baseline, planted, out);
	fclose(out);
	return o;
}

static void assert_text(struct fx *f, const char *says)
{
	if (!strstr(f->text, says))
		fail_msg("'%s' not in:\n%s", says, f->text);
}

static void test_caught(void **state)
{
	struct fx *f = *state;

	assert_int_equal(judge(f, f->planted), MUTANT_CAUGHT);
	assert_text(f, "vram-flip        caught by data@migrate qemu_vf@sim-vf-in-qemu\n");
}

static void test_not_caught(void **state)
{
	struct fx *f = *state;

	set(f->planted, QVF, "pass", "");
	assert_int_equal(judge(f, f->planted), MUTANT_NOT_CAUGHT);
	assert_text(f, "vram-flip        NOT CAUGHT (save flips a byte)\n");
	assert_text(f, "qemu_vf@sim-vf-in-qemu: pass with the fault planted");
}

/* A failure that says something else: the wrong reason, quoted. */
static void test_wrong_message(void **state)
{
	struct fx *f = *state;

	set(f->planted, DATA, "fail", "(data:1) CRITICAL: open: No such device\n");
	assert_int_equal(judge(f, f->planted), MUTANT_WRONG_REASON);
	assert_text(f, "CAUGHT FOR THE WRONG REASON");
	assert_text(f, "data@migrate: fail, but its output does not match "
		       "/LMEM: [0-9]+ of [0-9]+ blocks/ (xe_sriov_sim_fault_catchers.h):\n");
	assert_text(f, "| (data:1) CRITICAL: open: No such device\n");
}

static void test_crash_is_wrong_reason(void **state)
{
	struct fx *f = *state;

	set(f->planted, QVF, "crash", "Received signal SIGSEGV\n");
	assert_int_equal(judge(f, f->planted), MUTANT_WRONG_REASON);
	assert_text(f, "qemu_vf@sim-vf-in-qemu: crash with the fault planted, not a failure:");
	assert_text(f, "| Received signal SIGSEGV");
}

static void test_missing_planted(void **state)
{
	struct fx *f = *state;

	json_object_del(f->planted, QVF);
	assert_int_equal(judge(f, f->planted), MUTANT_WRONG_REASON);
	assert_text(f, "qemu_vf@sim-vf-in-qemu: no result with the fault planted");
}

/* Failing with the fault proves nothing if it fails without it. */
static void test_no_baseline(void **state)
{
	struct fx *f = *state;

	set(f->baseline, DATA, "fail", lmem_err);
	assert_int_equal(judge(f, f->planted), MUTANT_NO_BASELINE);
	assert_text(f, "data@migrate: fail without the fault, so failing with it proves nothing:");
	json_object_del(f->baseline, QVF);
	assert_int_equal(judge(f, f->planted), MUTANT_NO_BASELINE);
	assert_text(f, "qemu_vf@sim-vf-in-qemu: no result (not run?) without the fault");
}

static void test_not_planted(void **state)
{
	struct fx *f = *state;

	assert_int_equal(judge(f, NULL), MUTANT_NOT_PLANTED);
	assert_text(f, "NOT PLANTED: the fault could not be planted");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_plan_disagrees),
		cmocka_unit_test(test_real_tables),
		cmocka_unit_test_setup_teardown(test_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_is_wrong_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_planted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_baseline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_planted, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
