// SPDX-License-Identifier: MIT
/*
 * igt-lite command line parsing: IGT's core options, the test's own options
 * merged in as igt_main_args() does, and what makes a binary exit 0 or 79.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "igt_lite_internal.h"

/* The parser calls igt_only_list_subtests() through igt_log(). */

struct parsed {
	struct igt_lite_opts opts;
	enum igt_lite_opts_result result;
	int argc;
	char *argv[32];
	char *out, *err;
	size_t out_len, err_len;
};

struct handler_log {
	int calls;
	int last_opt;
	char last_arg[64];
	int value;
	bool flag;
	int ret;	/* what the handler returns */
};

static int test_handler(int opt, int opt_index, void *data)
{
	struct handler_log *log = data;

	log->calls++;
	log->last_opt = opt;
	snprintf(log->last_arg, sizeof(log->last_arg), "%s", optarg ? optarg : "");
	if (opt == 'v')
		log->value = atoi(optarg);
	if (opt == 'x')
		log->flag = true;
	return log->ret;
}

static const struct option test_long_opts[] = {
	{ "value", required_argument, NULL, 'v' },
	{ "flag-x", no_argument, NULL, 'x' },
	{ "long-only", optional_argument, NULL, 1000 },
	{ NULL, 0, NULL, 0 },
};

static const char description[] = "A test of the option parser.";

/* Parses the NULL-terminated arguments (after argv[0]) with the test's options. */
static void parse_with(struct parsed *p, const char *short_opts,
		       const struct option *long_opts, struct handler_log *log, ...)
{
	FILE *out, *err;
	va_list ap;

	memset(p, 0, sizeof(*p));
	p->argv[p->argc++] = (char *)"/path/to/xe_test";
	va_start(ap, log);
	for (const char *a; (a = va_arg(ap, const char *)) && p->argc < 31;)
		p->argv[p->argc++] = (char *)a;
	va_end(ap);
	p->argv[p->argc] = NULL;

	out = open_memstream(&p->out, &p->out_len);
	err = open_memstream(&p->err, &p->err_len);
	p->result = igt_lite_parse_opts(&p->opts, &p->argc, p->argv, short_opts,
					long_opts, "  --value=N\tsome value\n",
					log ? test_handler : NULL, log,
					description, out, err);
	fclose(out);
	fclose(err);
}

#define parse(p, ...) parse_with(p, NULL, NULL, NULL, __VA_ARGS__, NULL)
#define parse_test(p, log, ...) \
	parse_with(p, "v:x", test_long_opts, log, __VA_ARGS__, NULL)

static void parsed_free(struct parsed *p)
{
	igt_lite_opts_free(&p->opts);
	free(p->out);
	free(p->err);
}

static void test_no_options(void **state)
{
	struct parsed p;

	parse_with(&p, NULL, NULL, NULL, NULL);
	assert_int_equal(p.result, IGT_LITE_OPTS_RUN);
	assert_false(p.opts.list_subtests);
	assert_false(p.opts.show_testlist);
	assert_false(p.opts.describe);
	assert_null(p.opts.run_subtest);
	assert_null(p.opts.dynamic_subtest);
	assert_false(p.opts.debug);
	assert_int_equal(p.argc, 1);
	assert_string_equal(p.out, "");
	assert_string_equal(p.err, "");
	parsed_free(&p);
}

static void test_list_and_testlist(void **state)
{
	struct parsed p;

	parse(&p, "--list-subtests");
	assert_int_equal(p.result, IGT_LITE_OPTS_RUN);
	assert_true(p.opts.list_subtests);
	parsed_free(&p);

	parse(&p, "--show-testlist");
	assert_int_equal(p.result, IGT_LITE_OPTS_RUN);
	assert_true(p.opts.show_testlist);
	assert_false(p.opts.list_subtests);
	parsed_free(&p);
}

static void test_run_subtest(void **state)
{
	struct parsed p;

	parse(&p, "--run-subtest", "basic,migrate-*");
	assert_int_equal(p.result, IGT_LITE_OPTS_RUN);
	assert_string_equal(p.opts.run_subtest, "basic,migrate-*");
	parsed_free(&p);

	parse(&p, "--run-subtest=basic");
	assert_string_equal(p.opts.run_subtest, "basic");
	parsed_free(&p);

	/* getopt_long's unambiguous prefixes work too */
	parse(&p, "--run-sub=basic");
	assert_string_equal(p.opts.run_subtest, "basic");
	parsed_free(&p);

	/* the last one wins */
	parse(&p, "--run-subtest", "a", "--run-subtest", "b");
	assert_string_equal(p.opts.run_subtest, "b");
	parsed_free(&p);

	parse(&p, "--dynamic-subtest", "numvfs-*");
	assert_string_equal(p.opts.dynamic_subtest, "numvfs-*");
	assert_null(p.opts.run_subtest);
	parsed_free(&p);

	parse(&p, "--run-subtest", "x", "--dynamic-subtest=vf-1");
	assert_string_equal(p.opts.run_subtest, "x");
	assert_string_equal(p.opts.dynamic_subtest, "vf-1");
	parsed_free(&p);

	/* missing argument */
	parse(&p, "--run-subtest");
	assert_int_equal(p.result, IGT_LITE_OPTS_EXIT_INVALID);
	assert_non_null(strstr(p.err, "Usage: xe_test [OPTIONS]"));
	parsed_free(&p);
}

static void test_run_subtest_vs_list(void **state)
{
	struct parsed p;

	/* As IGT: whichever comes first wins. */
	parse(&p, "--list-subtests", "--run-subtest", "basic");
	assert_true(p.opts.list_subtests);
	assert_null(p.opts.run_subtest);
	parsed_free(&p);

	parse(&p, "--run-subtest", "basic", "--list-subtests");
	assert_false(p.opts.list_subtests);
	assert_string_equal(p.opts.run_subtest, "basic");
	parsed_free(&p);

	parse(&p, "--show-testlist", "--dynamic-subtest", "x");
	assert_null(p.opts.dynamic_subtest);
	parsed_free(&p);
}

static void test_describe(void **state)
{
	struct parsed p;

	parse(&p, "--describe");
	assert_int_equal(p.result, IGT_LITE_OPTS_RUN);
	assert_true(p.opts.describe);
	assert_true(p.opts.list_subtests);
	assert_null(p.opts.run_subtest);
	assert_string_equal(p.out, "A test of the option parser.\n\n");
	parsed_free(&p);

	parse(&p, "--describe=migrate-*");
	assert_true(p.opts.describe);
	assert_string_equal(p.opts.run_subtest, "migrate-*");
	parsed_free(&p);

	parse(&p, "--help-description");
	assert_int_equal(p.result, IGT_LITE_OPTS_EXIT_OK);
	assert_string_equal(p.out, "A test of the option parser.\n");
	parsed_free(&p);
}

static void test_help_and_version(void **state)
{
	struct parsed p;

	parse(&p, "--help");
	assert_int_equal(p.result, IGT_LITE_OPTS_EXIT_OK);
	assert_non_null(strstr(p.out, "Usage: xe_test [OPTIONS]\n"));
	assert_non_null(strstr(p.out, "  --list-subtests\n"));
	assert_non_null(strstr(p.out, "  --dynamic-subtest <pattern>\n"));
	assert_non_null(strstr(p.out, "  --value=N\tsome value\n"));
	assert_string_equal(p.err, "");
	parsed_free(&p);

	parse(&p, "-h");
	assert_int_equal(p.result, IGT_LITE_OPTS_EXIT_OK);
	assert_non_null(strstr(p.out, "Usage: xe_test"));
	parsed_free(&p);

	parse(&p, "--version");
	assert_int_equal(p.result, IGT_LITE_OPTS_EXIT_OK);
	assert_int_equal(strncmp(p.out, "IGT-Version: 2.3-igt-lite (", 27), 0);
	assert_non_null(strstr(p.out, ") (Linux: "));
	parsed_free(&p);
}

static void test_debug_and_misc(void **state)
{
	struct parsed p;

	parse(&p, "--debug");
	assert_true(p.opts.debug);
	assert_null(p.opts.debug_domain);
	parsed_free(&p);

	parse(&p, "--debug=xe_migration");
	assert_true(p.opts.debug);
	assert_string_equal(p.opts.debug_domain, "xe_migration");
	parsed_free(&p);

	parse(&p, "--device", "pci:vendor=8086", "--skip-crc-compare", "--trace-on-oops",
	      "--interactive-debug");
	assert_int_equal(p.result, IGT_LITE_OPTS_RUN);
	assert_string_equal(p.opts.device, "pci:vendor=8086");
	assert_true(p.opts.skip_crc_compare);
	assert_true(p.opts.trace_on_oops);
	assert_string_equal(p.opts.interactive_debug, "all");
	parsed_free(&p);
}

static void test_bad_options(void **state)
{
	struct parsed p;

	parse(&p, "--no-such-option");
	assert_int_equal(p.result, IGT_LITE_OPTS_EXIT_INVALID);
	assert_non_null(strstr(p.err, "Usage: xe_test [OPTIONS]"));
	parsed_free(&p);

	parse(&p, "-q");
	assert_int_equal(p.result, IGT_LITE_OPTS_EXIT_INVALID);
	parsed_free(&p);

	/* the test's options do not exist without igt_main_args */
	parse(&p, "--value=3");
	assert_int_equal(p.result, IGT_LITE_OPTS_EXIT_INVALID);
	parsed_free(&p);

	/* no argument allowed */
	parse(&p, "--list-subtests=x");
	assert_int_equal(p.result, IGT_LITE_OPTS_EXIT_INVALID);
	parsed_free(&p);
}

static void test_merged_test_options(void **state)
{
	struct handler_log log = { 0 };
	struct parsed p;

	parse_test(&p, &log, "--value", "7", "-x", "--run-subtest", "basic");
	assert_int_equal(p.result, IGT_LITE_OPTS_RUN);
	assert_int_equal(log.calls, 2);
	assert_int_equal(log.value, 7);
	assert_true(log.flag);
	assert_string_equal(p.opts.run_subtest, "basic");
	parsed_free(&p);

	memset(&log, 0, sizeof(log));
	parse_test(&p, &log, "-v9", "--list-subtests", "--long-only=abc");
	assert_int_equal(p.result, IGT_LITE_OPTS_RUN);
	assert_int_equal(log.value, 9);
	assert_int_equal(log.last_opt, 1000);
	assert_string_equal(log.last_arg, "abc");
	assert_true(p.opts.list_subtests);
	parsed_free(&p);

	/* the test's help text is part of the usage */
	memset(&log, 0, sizeof(log));
	parse_test(&p, &log, "--flag-x", "--help");
	assert_int_equal(p.result, IGT_LITE_OPTS_EXIT_OK);
	assert_true(log.flag);
	assert_non_null(strstr(p.out, "  --value=N\tsome value\n"));
	parsed_free(&p);
}

static void test_handler_errors(void **state)
{
	struct handler_log log = { .ret = IGT_OPT_HANDLER_ERROR };
	struct parsed p;

	parse_test(&p, &log, "--value", "7", "--run-subtest", "basic");
	assert_int_equal(p.result, IGT_LITE_OPTS_EXIT_INVALID);
	assert_int_equal(log.calls, 1);
	assert_int_equal(p.opts.handler_ret, IGT_OPT_HANDLER_ERROR);
	/* parsing stops there */
	assert_null(p.opts.run_subtest);
	parsed_free(&p);

	/* IGT exits 0 when a handler returns -1 */
	memset(&log, 0, sizeof(log));
	log.ret = -1;
	parse_test(&p, &log, "-x");
	assert_int_equal(p.result, IGT_LITE_OPTS_EXIT_OK);
	parsed_free(&p);
}

static void test_leftover_arguments(void **state)
{
	struct parsed p;

	parse(&p, "first", "--debug", "second");
	assert_int_equal(p.result, IGT_LITE_OPTS_RUN);
	assert_int_equal(p.argc, 3);
	assert_string_equal(p.argv[0], "/path/to/xe_test");
	assert_string_equal(p.argv[1], "first");
	assert_string_equal(p.argv[2], "second");
	assert_null(p.argv[3]);
	parsed_free(&p);

	parse(&p, "--", "--list-subtests");
	assert_false(p.opts.list_subtests);
	assert_int_equal(p.argc, 2);
	assert_string_equal(p.argv[1], "--list-subtests");
	parsed_free(&p);
}

static void test_conflicts(void **state)
{
	static const struct option same_name[] = {
		{ "list-subtests", no_argument, NULL, 'l' }, { NULL, 0, NULL, 0 } };
	static const struct option same_val_as_help[] = {
		{ "hello", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	static const struct option same_val_as_core[] = {
		{ "mine", no_argument, NULL, 500 }, { NULL, 0, NULL, 0 } };
	struct handler_log log = { 0 };
	struct parsed p;

	parse_with(&p, NULL, same_name, &log, NULL);
	assert_int_equal(p.result, IGT_LITE_OPTS_CONFLICT);
	assert_non_null(strstr(p.err, "--list-subtests"));
	parsed_free(&p);

	parse_with(&p, NULL, same_val_as_help, &log, NULL);
	assert_int_equal(p.result, IGT_LITE_OPTS_CONFLICT);
	parsed_free(&p);

	parse_with(&p, NULL, same_val_as_core, &log, NULL);
	assert_int_equal(p.result, IGT_LITE_OPTS_CONFLICT);
	parsed_free(&p);

	parse_with(&p, "vh", NULL, &log, NULL);
	assert_int_equal(p.result, IGT_LITE_OPTS_CONFLICT);
	assert_non_null(strstr(p.err, "Conflicting short option: -h"));
	parsed_free(&p);

	parse_with(&p, "v:x", test_long_opts, &log, NULL);
	assert_int_equal(p.result, IGT_LITE_OPTS_RUN);
	parsed_free(&p);
}

static void test_log_level_names(void **state)
{
	enum igt_log_level level = IGT_LOG_INFO;

	assert_true(igt_lite_parse_log_level("debug", &level));
	assert_int_equal(level, IGT_LOG_DEBUG);
	assert_true(igt_lite_parse_log_level("warn", &level));
	assert_int_equal(level, IGT_LOG_WARN);
	assert_true(igt_lite_parse_log_level("none", &level));
	assert_int_equal(level, IGT_LOG_NONE);
	assert_true(igt_lite_parse_log_level("info", &level));
	assert_int_equal(level, IGT_LOG_INFO);
	assert_false(igt_lite_parse_log_level("loud", &level));
	assert_int_equal(level, IGT_LOG_INFO);
}

static void test_wrapping(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char word[11] = "abcdefghi ";
	char text[400] = "";

	for (int i = 0; i < 20; i++)
		strcat(text, word);
	text[strlen(text) - 1] = '\0';
	igt_lite_print_wrapped(f, "  ", text);
	fclose(f);

	/* 20 nine-letter words: 7 per 78-column line */
	for (char *line = buf, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		assert_true(nl - line <= 80);
		assert_int_equal(strncmp(line, "  abcdefghi", 11), 0);
	}
	assert_int_equal(strlen(buf), 2 * 3 + 20 * 9 + 17 + 3);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_options),
		cmocka_unit_test(test_list_and_testlist),
		cmocka_unit_test(test_run_subtest),
		cmocka_unit_test(test_run_subtest_vs_list),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_debug_and_misc),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_merged_test_options),
		cmocka_unit_test(test_handler_errors),
		cmocka_unit_test(test_leftover_arguments),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_log_level_names),
		cmocka_unit_test(test_wrapping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
