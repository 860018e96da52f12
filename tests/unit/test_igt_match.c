// SPDX-License-Identifier: MIT
/*
 * igt-lite subtest name matching: IGT's uwildmat() semantics for
 * --run-subtest, --dynamic-subtest and --describe=<pattern>.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "igt_lite_internal.h"

#define match(t, p) assert_true(igt_lite_wildmat(t, p))
#define no_match(t, p) assert_false(igt_lite_wildmat(t, p))

static void test_literal(void **state)
{
	match("basic", "basic");
	no_match("basic", "basi");
	no_match("basi", "basic");
	no_match("basic", "basic-x");
	match("", "");
	no_match("a", "");
	no_match("", "a");
}

static void test_star(void **state)
{
	match("anything", "*");
	match("", "*");
	match("migrate-idle", "migrate-*");
	match("migrate-", "migrate-*");
	no_match("migrat", "migrate-*");
	match("migrate-busy-vram", "*-busy-*");
	match("migrate-busy-vram", "*vram");
	no_match("migrate-busy-vram", "*ggtt");
	match("abcabc", "*abc");
	match("aaa", "a**a");
	match("abcdef", "a*c*f");
	no_match("abcdef", "a*c*e");
	match("x-y-z", "*-*-*");
	no_match("x-y", "*-*-*");
}

static void test_question_mark(void **state)
{
	match("vf-1", "vf-?");
	no_match("vf-12", "vf-?");
	match("vf-12", "vf-??");
	no_match("vf-", "vf-?");
	match("numvfs-7", "numvfs-?*");
	no_match("numvfs-", "numvfs-?*");
}

static void test_classes(void **state)
{
	match("vf-1", "vf-[123]");
	no_match("vf-4", "vf-[123]");
	match("vf-5", "vf-[0-9]");
	match("vf-b", "vf-[a-c]");
	no_match("vf-d", "vf-[a-c]");
	/* ^ inverts */
	match("vf-x", "vf-[^0-9]");
	no_match("vf-3", "vf-[^0-9]");
	/* - first is literal, ] right after [ is a member */
	match("a-b", "a[-_]b");
	match("a_b", "a[-_]b");
	match("a]b", "a[]]b");
	match("a]b", "a[]x]b");
	/* malformed classes match nothing */
	no_match("a[b", "a[b");
	no_match("ab", "a[");
	/* a class must consume a character */
	no_match("vf-", "vf-[0-9]");
}

static void test_escape(void **state)
{
	match("a*b", "a\\*b");
	no_match("axb", "a\\*b");
	match("a?b", "a\\?b");
	no_match("ab", "ab\\");
	match("a,b", "a\\,b");
}

static void test_comma_list(void **state)
{
	const char *list = "basic,migrate-*,vf-[12]";

	match("basic", list);
	match("migrate-idle", list);
	match("vf-2", list);
	no_match("vf-3", list);
	no_match("basic-x", list);
	/* an empty element matches only the empty name */
	no_match("x", "a,,b");
	match("b", "a,,b");
	/* commas inside a class do not split */
	match("a,", "a[,x]");
}

static void test_negation(void **state)
{
	/* The last matching element decides. */
	match("migrate-idle", "migrate-*,!migrate-busy");
	no_match("migrate-busy", "migrate-*,!migrate-busy");
	no_match("other", "migrate-*,!migrate-busy");
	match("migrate-busy", "!migrate-busy,migrate-*");
	no_match("x", "!x");
	/* a lone negation matches nothing, not "everything else" */
	no_match("y", "!x");
	match("y", "*,!x");
	no_match("x", "*,!x");
}

static void test_case(void **state)
{
	/* IGT's copy folds the text only. */
	match("Basic", "basic");
	match("BASIC", "b*c");
	no_match("basic", "Basic");
	match("Basic", "Basic");
	match("vf-B", "vf-[a-c]");
}

static void test_dynamic_names(void **state)
{
	/* --dynamic-subtest patterns against typical dynamic subtest names */
	match("numvfs-1", "numvfs-*");
	match("numvfs-random", "numvfs-*");
	match("vf-last", "vf-1,vf-last");
	no_match("vf-2", "vf-1,vf-last");
	match("vram-ccs", "*,!ggtt-*");
	no_match("ggtt-relocate", "*,!ggtt-*");
}

static void test_valid_names(void **state)
{
	assert_true(igt_lite_valid_subtest_name("migrate-idle_vf1"));
	assert_true(igt_lite_valid_subtest_name("ABC-123"));
	assert_true(igt_lite_valid_subtest_name(""));
	assert_false(igt_lite_valid_subtest_name("with space"));
	assert_false(igt_lite_valid_subtest_name("a@b"));
	assert_false(igt_lite_valid_subtest_name("a/b"));
	assert_false(igt_lite_valid_subtest_name("a.b"));
	assert_false(igt_lite_valid_subtest_name("caf\xc3\xa9"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal),
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_question_mark),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_comma_list),
		cmocka_unit_test(test_negation),
		cmocka_unit_test(test_case),
		cmocka_unit_test(test_dynamic_names),
		cmocka_unit_test(test_valid_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
