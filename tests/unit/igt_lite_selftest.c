// SPDX-License-Identifier: MIT
/*
 * A tiny IGT test with one subtest per kind of result, driven by
 * test_igt_protocol.c to check exit codes and the runner protocol.
 * Uses only IGT API, so it builds against real IGT as well as igt-lite.
 *
 * Fixtures run whatever --run-subtest selects, so the failing and skipping
 * fixtures are armed by options:
 *   --top-fixture=skip|fail|abort|crash  the first fixture does that
 *   --group-fixture=skip|fail       the fixture of group-subtest does
 *   --value=N                        check-option asserts N == 42
 * Built a second time with -DSELFTEST_SIMPLE as an igt_simple_main() test.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"

IGT_TEST_DESCRIPTION("igt-lite self test: one subtest per kind of result.");

enum {
	OPT_TOP_FIXTURE = 1000,
	OPT_GROUP_FIXTURE,
};

static const char *top_fixture_mode = "";
static const char *group_fixture_mode = "";
static int opt_value = -1;
static bool opt_flag;
static int fixture_value;
static int *volatile null_pointer;

static int opt_handler(int opt, int opt_index, void *data)
{
	char *end;

	switch (opt) {
	case 'v':
		opt_value = (int)strtol(optarg, &end, 10);
		if (end == optarg || *end)
			return IGT_OPT_HANDLER_ERROR;
		break;
	case 'x':
		opt_flag = true;
		break;
	case OPT_TOP_FIXTURE:
		top_fixture_mode = optarg;
		break;
	case OPT_GROUP_FIXTURE:
		group_fixture_mode = optarg;
		break;
	default:
		return IGT_OPT_HANDLER_ERROR;
	}

	return IGT_OPT_HANDLER_SUCCESS;
}

static const struct option long_opts[] = {
	{ "value", required_argument, NULL, 'v' },
	{ "flag-x", no_argument, NULL, 'x' },
	{ "top-fixture", required_argument, NULL, OPT_TOP_FIXTURE },
	{ "group-fixture", required_argument, NULL, OPT_GROUP_FIXTURE },
	{ NULL, 0, NULL, 0 },
};

static const char help_str[] =
	"  --value=N\tvalue check-option expects to be 42\n"
	"  --flag-x\tsets a flag flag-option checks\n"
	"  --top-fixture=skip|fail|abort|crash\tmake the first fixture do that\n"
	"  --group-fixture=skip|fail\tmake the group's fixture do that\n";

static void selftest_exit_handler(int sig)
{
	printf("selftest exit handler (sig %d)\n", sig);
	fflush(stdout);
}

#ifdef SELFTEST_SIMPLE
/* The same binary without subtests; --top-fixture picks its result. */
int igt_simple_main_args("v:x", long_opts, help_str, opt_handler, NULL)
{
	igt_install_exit_handler(selftest_exit_handler);
	igt_require_f(strcmp(top_fixture_mode, "skip"),
		      "simple test skips on purpose\n");
	igt_assert_f(strcmp(top_fixture_mode, "fail"),
		     "simple test fails on purpose\n");
	igt_assert_eq(fixture_value, 0);
	igt_info("simple test ran\n");
}
#else
int igt_main_args("v:x", long_opts, help_str, opt_handler, NULL)
{
	igt_fixture() {
		igt_install_exit_handler(selftest_exit_handler);
		igt_require_f(strcmp(top_fixture_mode, "skip"),
			      "top fixture skips on purpose\n");
		igt_assert_f(strcmp(top_fixture_mode, "fail"),
			     "top fixture fails on purpose\n");
		igt_abort_on_f(!strcmp(top_fixture_mode, "abort"),
			       "top fixture aborts on purpose\n");
		if (!strcmp(top_fixture_mode, "crash"))
			*null_pointer = 1;
		fixture_value = 42;
	}

	igt_describe("Always passes.");
	igt_subtest("pass-basic") {
		igt_debug("pass-basic debug line\n");
		igt_assert_eq(fixture_value, 42);
		igt_assert_neq(fixture_value, 0);
		igt_assert_lt(1, 2);
		igt_assert_lte(2, 2);
		igt_assert_lt_u64(2, 3);
		igt_assert_lte_s64(-3, -3);
		igt_assert_eq_u32(0xffffffffu, 0xffffffffu);
		igt_assert_eq_u64(1ull << 40, 1ull << 40);
		igt_assert_fd(STDOUT_FILENO);
		igt_fail_on(fixture_value != 42);
		igt_fail_on_f(fixture_value != 42, "never\n");
		igt_skip_on(false);
		igt_skip_on_f(false, "never\n");
		igt_require(true);
		igt_assert(igt_subtest_name() && !strcmp(igt_subtest_name(), "pass-basic"));
		igt_assert(!igt_dynamic_subtest_name());
		igt_assert(!strcmp(igt_test_name(), "igt_lite_selftest"));
	}

	igt_describe("Always skips.");
	igt_subtest("skip-basic")
		igt_require_f(fixture_value == 0, "skip-basic skips on purpose\n");

	igt_subtest("fail-basic") {
		igt_debug("fail-basic debug line\n");
		igt_assert_eq(fixture_value, 43);
	}

	igt_subtest("check-option") {
		igt_require(opt_value >= 0);
		igt_assert_eq(opt_value, 42);
	}

	igt_subtest("flag-option")
		igt_assert(opt_flag);

	igt_subtest_f("formatted-%d", 7)
		igt_info("formatted-7 ran\n");

	igt_subtest("warn-on") {
		igt_warn_on(fixture_value == 42);
		igt_warn_on_f(fixture_value == 42, "warn-on warns on purpose\n");
		igt_warn("explicit warning\n");
	}

	igt_describe("Dynamic subtests with every result.");
	igt_subtest_with_dynamic("dynamic-mixed") {
		igt_dynamic("dyn-pass")
			igt_assert(igt_dynamic_subtest_name() &&
				   !strcmp(igt_dynamic_subtest_name(), "dyn-pass"));
		igt_dynamic("dyn-skip")
			igt_skip("dyn-skip skips on purpose\n");
		igt_dynamic_f("dyn-fail-%d", 1)
			igt_assert_eq(fixture_value, 1);
		igt_dynamic("dyn-pass-2")
			igt_info("dyn-pass-2 ran\n");
	}

	igt_subtest_with_dynamic("dynamic-all-skip") {
		igt_dynamic("skip-a")
			igt_require(fixture_value == 0);
		igt_dynamic("skip-b")
			igt_skip("skip-b skips on purpose\n");
	}

	igt_subtest_with_dynamic("dynamic-none") {
		igt_require(fixture_value == 42);
	}

	igt_subtest_with_dynamic_f("dynamic-%s", "pass") {
		igt_dynamic_f("only-%d", 1)
			igt_assert(true);
	}

	igt_subtest_with_dynamic("dynamic-parent-assert") {
		/* A test bug: IGT asserts on failing outside igt_dynamic. */
		igt_assert(fixture_value == 0);
	}

	igt_subtest_with_dynamic("dynamic-crash") {
		igt_dynamic("dyn-crash")
			*null_pointer = 1;
		igt_dynamic("after-crash")
			igt_info("after-crash ran\n");
	}

	igt_subtest("crash")
		*null_pointer = 1;

	igt_subtest("abort")
		igt_abort_on_f(fixture_value == 42, "abort aborts on purpose\n");

	igt_subtest("timeout") {
		igt_set_timeout(1, "sleeping on purpose");
		sleep(10);
		igt_reset_timeout();
	}

	igt_subtest_with_dynamic("dynamic-timeout") {
		igt_dynamic("dyn-hang") {
			igt_set_timeout(1, "dynamic sleeping on purpose");
			sleep(10);
			igt_reset_timeout();
		}
		igt_dynamic("after-hang")
			igt_reset_timeout();
	}

	igt_describe("A group with its own fixture.");
	igt_subtest_group() {
		igt_fixture() {
			igt_require_f(strcmp(group_fixture_mode, "skip"),
				      "group fixture skips on purpose\n");
			igt_assert_f(strcmp(group_fixture_mode, "fail"),
				     "group fixture fails on purpose\n");
		}

		igt_subtest("group-subtest")
			igt_assert(true);
	}

	igt_subtest("after-group")
		igt_assert(true);

	/* Killed like igt_runner kills a hung test: exit handlers see the signal. */
	igt_subtest("killed")
		raise(SIGTERM);

	igt_fixture() {
		igt_info("last fixture ran\n");
	}
}
#endif
