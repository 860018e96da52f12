// SPDX-License-Identifier: MIT
/*
 * End-to-end checks of igt-lite: runs igt_lite_selftest (and its
 * igt_simple_main build) with various command lines and checks exit codes,
 * the stdout/stderr lines igt_runner parses, and the kmsg records.
 *
 * Usage: test_igt_protocol <igt_lite_selftest> <igt_lite_selftest_simple> [--real]
 * With --real the binaries were built against a real IGT tree: the same
 * checks run, except igt-lite's own version string, kmsg capture and
 * internal-error wording. That keeps igt-lite honest about matching IGT.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

extern char **environ;

static const char *selftest_path;
static const char *simple_path;
/* false with --real: the self test is built against real IGT. */
static bool lite = true;

struct run {
	int status;
	char *out;
	char *err;
	char *kmsg;
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	if (!f)
		return strdup("");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	if (buf && len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

/*
 * Runs @bin with the NULL-terminated argument list; @extra_env is one
 * "NAME=value" or NULL. IGT_* variables of our own environment are dropped.
 */
static void run_bin(struct run *r, const char *bin, const char *extra_env, ...)
{
	char dir[] = "/tmp/igt-lite-protoXXXXXX";
	char out_path[64], err_path[64], kmsg_path[64], kmsg_env[96];
	const char *argv[32];
	char *envp[256];
	posix_spawn_file_actions_t fa;
	va_list ap;
	int argc = 0, envc = 0;
	pid_t pid;

	assert_non_null(mkdtemp(dir));
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	snprintf(err_path, sizeof(err_path), "%s/err", dir);
	snprintf(kmsg_path, sizeof(kmsg_path), "%s/kmsg", dir);
	snprintf(kmsg_env, sizeof(kmsg_env), "IGT_LITE_KMSG_PATH=%s", kmsg_path);

	argv[argc++] = bin;
	va_start(ap, extra_env);
	for (const char *a; (a = va_arg(ap, const char *)) && argc < 31;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;

	for (char **e = environ; *e && envc < 250; e++)
		if (strncmp(*e, "IGT_", 4))
			envp[envc++] = *e;
	envp[envc++] = kmsg_env;
	if (extra_env)
		envp[envc++] = (char *)extra_env;
	envp[envc] = NULL;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err_path,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_int_equal(posix_spawn(&pid, bin, &fa, NULL, (char *const *)argv, envp), 0);
	posix_spawn_file_actions_destroy(&fa);
	assert_int_equal(waitpid(pid, &r->status, 0), pid);

	r->out = slurp(out_path);
	r->err = slurp(err_path);
	r->kmsg = slurp(kmsg_path);
	unlink(out_path);
	unlink(err_path);
	unlink(kmsg_path);
	rmdir(dir);
}

#define run_selftest(r, env, ...) run_bin(r, selftest_path, env, __VA_ARGS__, NULL)
#define run_simple(r, env, ...) run_bin(r, simple_path, env, __VA_ARGS__, NULL)

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	free(r->kmsg);
}

static int exit_code(const struct run *r)
{
	if (WIFEXITED(r->status))
		return WEXITSTATUS(r->status);
	return -1;
}

/* Whether @text has a line equal to @line. */
static bool has_line(const char *text, const char *line)
{
	size_t len = strlen(line);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, line, len) && (p[len] == '\n' || p[len] == '\0'))
			return true;
	return false;
}

/* Whether @text has a line "<prefix><digits>.<3 digits>s)". */
static bool has_result_line(const char *text, const char *prefix)
{
	size_t len = strlen(prefix);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *q = p + len;
		int whole = 0, frac = 0;

		if (strncmp(p, prefix, len))
			continue;
		while (*q >= '0' && *q <= '9')
			q++, whole++;
		if (*q++ != '.')
			continue;
		while (*q >= '0' && *q <= '9')
			q++, frac++;
		if (whole && frac == 3 && !strncmp(q, "s)", 2) &&
		    (q[2] == '\n' || q[2] == '\0'))
			return true;
	}
	return false;
}

static int count_lines_with(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

#define assert_line(text, line) \
	do { if (!has_line(text, line)) fail_msg("missing line \"%s\" in:\n%s", line, text); } while (0)
#define assert_no_line(text, line) \
	do { if (has_line(text, line)) fail_msg("unexpected line \"%s\" in:\n%s", line, text); } while (0)
#define assert_result(text, prefix) \
	do { if (!has_result_line(text, prefix)) fail_msg("missing \"%s<t>s)\" in:\n%s", prefix, text); } while (0)
#define assert_contains(text, s) \
	do { if (!strstr(text, s)) fail_msg("missing \"%s\" in:\n%s", s, text); } while (0)
/* kmsg goes to a file only with igt-lite (IGT_LITE_KMSG_PATH); real IGT writes /dev/kmsg. */
#define assert_kmsg_line(text, line) do { if (lite) assert_line(text, line); } while (0)
#define assert_kmsg_contains(text, s) do { if (lite) assert_contains(text, s); } while (0)
#define assert_not_contains(text, s) \
	do { if (strstr(text, s)) fail_msg("unexpected \"%s\" in:\n%s", s, text); } while (0)

static void test_list_subtests(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--list-subtests");
	assert_int_equal(exit_code(&r), 0);
	assert_string_equal(r.out,
		"pass-basic\nskip-basic\nfail-basic\ncheck-option\nflag-option\n"
		"formatted-7\nwarn-on\ndynamic-mixed\ndynamic-all-skip\ndynamic-none\n"
		"dynamic-pass\ndynamic-parent-assert\ndynamic-crash\ncrash\nabort\n"
		"timeout\ndynamic-timeout\ngroup-subtest\nafter-group\nkilled\n");
	assert_string_equal(r.err, "");
	assert_string_equal(r.kmsg, ""); /* listing runs nothing */
	run_free(&r);

	/* Fixtures do not run while listing, even a failing one. */
	run_selftest(&r, NULL, "--top-fixture=fail", "--list-subtests");
	assert_int_equal(exit_code(&r), 0);
	assert_contains(r.out, "pass-basic\n");
	run_free(&r);
}

static void test_show_testlist(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--show-testlist");
	assert_int_equal(exit_code(&r), 0);
	assert_line(r.out, "igt@igt_lite_selftest@pass-basic");
	assert_line(r.out, "igt@igt_lite_selftest@dynamic-mixed");
	assert_line(r.out, "igt@igt_lite_selftest@after-group");
	assert_int_equal(count_lines_with(r.out, "igt@"), 20);
	run_free(&r);
}

static void test_pass(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--run-subtest", "pass-basic");
	assert_int_equal(exit_code(&r), 0);
	assert_int_equal(strncmp(r.out, "IGT-Version: ", 13), 0);
	if (lite)
		assert_int_equal(strncmp(r.out, "IGT-Version: 2.3-igt-lite (", 27), 0);
	assert_contains(r.out, ") (Linux: ");
	assert_line(r.out, "Starting subtest: pass-basic");
	assert_result(r.out, "Subtest pass-basic: SUCCESS (");
	assert_not_contains(r.out, "\x1b["); /* not a tty: plain output */
	assert_not_contains(r.out, "Starting subtest: skip-basic");
	assert_not_contains(r.out, "pass-basic debug line"); /* debug is off */
	assert_line(r.out, "last fixture ran");
	/* the exit handler runs at exit */
	assert_line(r.out, "selftest exit handler (sig 0)");
	assert_string_equal(r.err, "");
	assert_kmsg_line(r.kmsg, "<6>[IGT] igt_lite_selftest: executing");
	assert_kmsg_line(r.kmsg, "<6>[IGT] igt_lite_selftest: starting subtest pass-basic");
	assert_kmsg_line(r.kmsg, "<6>[IGT] igt_lite_selftest: finished subtest pass-basic, SUCCESS");
	assert_kmsg_line(r.kmsg, "<6>[IGT] igt_lite_selftest: exiting, ret=0");
	run_free(&r);

	/* --run-subtest=<name> form */
	run_selftest(&r, NULL, "--run-subtest=formatted-7");
	assert_int_equal(exit_code(&r), 0);
	assert_line(r.out, "formatted-7 ran");
	assert_result(r.out, "Subtest formatted-7: SUCCESS (");
	run_free(&r);
}

static void test_skip(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--run-subtest", "skip-basic");
	assert_int_equal(exit_code(&r), 77);
	assert_line(r.out, "Starting subtest: skip-basic");
	assert_result(r.out, "Subtest skip-basic: SKIP (");
	/* the reason goes to stdout, as IGT prints it */
	assert_contains(r.out, "Test requirement not met in function __igt_unique____real_main");
	assert_line(r.out, "Test requirement: fixture_value == 0");
	assert_line(r.out, "skip-basic skips on purpose");
	assert_kmsg_line(r.kmsg, "<6>[IGT] igt_lite_selftest: finished subtest skip-basic, SKIP");
	assert_kmsg_line(r.kmsg, "<6>[IGT] igt_lite_selftest: exiting, ret=77");
	run_free(&r);
}

static void test_fail(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--run-subtest", "fail-basic");
	assert_int_equal(exit_code(&r), 98);
	assert_line(r.out, "Starting subtest: fail-basic");
	assert_result(r.out, "Subtest fail-basic: FAIL (");
	assert_contains(r.err, ") CRITICAL: Test assertion failure function __igt_unique____real_main");
	assert_contains(r.err, "igt_lite_selftest.c:");
	assert_contains(r.err, "CRITICAL: Failed assertion: fixture_value == 43\n");
	assert_contains(r.err, "CRITICAL: error: 42 != 43\n");
	/* the debug log is dumped on failure */
	assert_line(r.err, "Subtest fail-basic failed.");
	assert_line(r.err, "**** DEBUG ****");
	assert_contains(r.err, "DEBUG: fail-basic debug line\n");
	assert_line(r.err, "****  END  ****");
	assert_kmsg_line(r.kmsg, "<6>[IGT] igt_lite_selftest: finished subtest fail-basic, FAIL");
	run_free(&r);
}

static void test_comma_list_and_wildcards(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--run-subtest", "pass-basic,skip-basic");
	assert_int_equal(exit_code(&r), 0);
	assert_result(r.out, "Subtest pass-basic: SUCCESS (");
	assert_result(r.out, "Subtest skip-basic: SKIP (");
	run_free(&r);

	run_selftest(&r, NULL, "--run-subtest", "pass-basic,fail-basic,skip-basic");
	assert_int_equal(exit_code(&r), 98);
	run_free(&r);

	/* wildmat + negation: every *-basic except fail-basic */
	run_selftest(&r, NULL, "--run-subtest", "*-basic,!fail-basic");
	assert_int_equal(exit_code(&r), 0);
	assert_line(r.out, "Starting subtest: pass-basic");
	assert_line(r.out, "Starting subtest: skip-basic");
	assert_not_contains(r.out, "fail-basic");
	run_free(&r);

	run_selftest(&r, NULL, "--run-subtest", "s?ip-basi[a-c]");
	assert_int_equal(exit_code(&r), 77);
	run_free(&r);
}

static void test_unknown_subtest(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--run-subtest", "no-such-subtest");
	assert_int_equal(exit_code(&r), 79);
	assert_contains(r.err, ") igt_core-CRITICAL: Unknown subtest: no-such-subtest\n");
	assert_not_contains(r.out, "Starting subtest");
	run_free(&r);
}

static void test_bad_options(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--no-such-option");
	assert_int_equal(exit_code(&r), 79);
	assert_contains(r.err, "Usage: igt_lite_selftest [OPTIONS]");
	assert_contains(r.err, "--value=N");
	assert_string_equal(r.kmsg, "");
	run_free(&r);

	/* the test's handler refuses the value */
	run_selftest(&r, NULL, "--value=abc", "--run-subtest", "check-option");
	assert_int_equal(exit_code(&r), 79);
	run_free(&r);

	/* missing required argument */
	run_selftest(&r, NULL, "--run-subtest");
	assert_int_equal(exit_code(&r), 79);
	run_free(&r);
}

static void test_test_options(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--run-subtest", "check-option");
	assert_int_equal(exit_code(&r), 77);
	run_free(&r);

	run_selftest(&r, NULL, "--value", "42", "--run-subtest", "check-option");
	assert_int_equal(exit_code(&r), 0);
	run_free(&r);

	run_selftest(&r, NULL, "-v", "41", "--run-subtest", "check-option");
	assert_int_equal(exit_code(&r), 98);
	run_free(&r);

	run_selftest(&r, NULL, "-x", "--run-subtest", "flag-option");
	assert_int_equal(exit_code(&r), 0);
	run_free(&r);

	run_selftest(&r, NULL, "--run-subtest", "flag-option", "--flag-x");
	assert_int_equal(exit_code(&r), 0);
	run_free(&r);
}

static void test_help(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--help");
	assert_int_equal(exit_code(&r), 0);
	assert_contains(r.out, "Usage: igt_lite_selftest [OPTIONS]\n");
	assert_contains(r.out, "  --run-subtest <pattern>\n");
	assert_contains(r.out, "  --flag-x\tsets a flag flag-option checks\n");
	run_free(&r);

	run_selftest(&r, NULL, "--help-description");
	assert_int_equal(exit_code(&r), 0);
	assert_string_equal(r.out, "igt-lite self test: one subtest per kind of result.\n");
	run_free(&r);
}

static void test_describe(void **state)
{
	struct run r;
	char *sub;

	run_selftest(&r, NULL, "--describe");
	assert_int_equal(exit_code(&r), 0);
	assert_int_equal(strncmp(r.out, "igt-lite self test: one subtest per kind of result.\n\n", 53), 0);
	assert_non_null(sub = strstr(r.out, "SUB pass-basic "));
	assert_contains(sub, "igt_lite_selftest.c:");
	assert_contains(sub, ":\n  Always passes.\n\n");
	assert_contains(r.out, "SUB fail-basic ");
	assert_contains(strstr(r.out, "SUB fail-basic "), "  NO DOCUMENTATION!\n\n");
	/* the group's description applies to its subtests */
	assert_contains(strstr(r.out, "SUB group-subtest "), "  A group with its own fixture.\n\n");
	assert_contains(strstr(r.out, "SUB after-group "), "  NO DOCUMENTATION!\n");
	run_free(&r);

	run_selftest(&r, NULL, "--describe=skip-*");
	assert_int_equal(exit_code(&r), 0);
	assert_contains(r.out, "SUB skip-basic ");
	assert_contains(r.out, "  Always skips.\n");
	assert_not_contains(r.out, "SUB pass-basic");
	run_free(&r);

	run_selftest(&r, NULL, "--describe=nothing-like-this");
	assert_int_equal(exit_code(&r), 79);
	run_free(&r);
}

static void test_dynamic_mixed(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--run-subtest", "dynamic-mixed");
	assert_int_equal(exit_code(&r), 98);
	assert_line(r.out, "Starting subtest: dynamic-mixed");
	assert_line(r.out, "Starting dynamic subtest: dyn-pass");
	assert_result(r.out, "Dynamic subtest dyn-pass: SUCCESS (");
	assert_result(r.out, "Dynamic subtest dyn-skip: SKIP (");
	assert_line(r.out, "dyn-skip skips on purpose");
	assert_result(r.out, "Dynamic subtest dyn-fail-1: FAIL (");
	assert_result(r.out, "Dynamic subtest dyn-pass-2: SUCCESS (");
	assert_result(r.out, "Subtest dynamic-mixed: FAIL (");
	assert_line(r.err, "Dynamic subtest dyn-fail-1 failed.");
	assert_not_contains(r.err, "Subtest dynamic-mixed failed.");
	assert_kmsg_line(r.kmsg, "<6>[IGT] igt_lite_selftest: starting dynamic subtest dyn-pass");
	assert_kmsg_line(r.kmsg, "<6>[IGT] igt_lite_selftest: finished subtest dyn-fail-1, FAIL");
	assert_kmsg_line(r.kmsg, "<6>[IGT] igt_lite_selftest: finished subtest dynamic-mixed, FAIL");
	run_free(&r);

	/* --dynamic-subtest picks among them */
	run_selftest(&r, NULL, "--run-subtest", "dynamic-mixed",
		     "--dynamic-subtest", "dyn-pass*");
	assert_int_equal(exit_code(&r), 0);
	assert_result(r.out, "Dynamic subtest dyn-pass: SUCCESS (");
	assert_result(r.out, "Dynamic subtest dyn-pass-2: SUCCESS (");
	assert_not_contains(r.out, "dyn-fail");
	assert_result(r.out, "Subtest dynamic-mixed: SUCCESS (");
	run_free(&r);

	run_selftest(&r, NULL, "--run-subtest", "dynamic-mixed",
		     "--dynamic-subtest", "dyn-skip");
	assert_int_equal(exit_code(&r), 77);
	assert_result(r.out, "Subtest dynamic-mixed: SKIP (");
	run_free(&r);
}

static void test_dynamic_skip_and_pass(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--run-subtest", "dynamic-all-skip");
	assert_int_equal(exit_code(&r), 77);
	assert_result(r.out, "Dynamic subtest skip-a: SKIP (");
	assert_result(r.out, "Dynamic subtest skip-b: SKIP (");
	assert_result(r.out, "Subtest dynamic-all-skip: SKIP (");
	run_free(&r);

	run_selftest(&r, NULL, "--run-subtest", "dynamic-none");
	assert_int_equal(exit_code(&r), 77);
	assert_line(r.out, "No dynamic tests executed.");
	assert_result(r.out, "Subtest dynamic-none: SKIP (");
	run_free(&r);

	run_selftest(&r, NULL, "--run-subtest", "dynamic-pass");
	assert_int_equal(exit_code(&r), 0);
	assert_result(r.out, "Dynamic subtest only-1: SUCCESS (");
	assert_result(r.out, "Subtest dynamic-pass: SUCCESS (");
	run_free(&r);
}

static void test_dynamic_parent_assert(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--run-subtest", "dynamic-parent-assert");
	assert_true(WIFSIGNALED(r.status));
	assert_int_equal(WTERMSIG(r.status), SIGABRT);
	if (lite) /* real IGT: a plain assert() message */
		assert_contains(r.err, "igt_subtest_with_dynamic may only fail through its igt_dynamic blocks");
	assert_contains(r.err, "Received signal SIGABRT.\n");
	run_free(&r);
}

static void test_crash(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--run-subtest", "crash,after-group");
	assert_int_equal(exit_code(&r), 128 + SIGSEGV);
	assert_result(r.out, "Subtest crash: CRASH (");
	assert_contains(r.err, "Received signal SIGSEGV.\n");
	/* as in IGT, the next subtests still run */
	assert_result(r.out, "Subtest after-group: SUCCESS (");
	assert_kmsg_line(r.kmsg, "<6>[IGT] igt_lite_selftest: finished subtest crash, CRASH");
	run_free(&r);

	run_selftest(&r, NULL, "--run-subtest", "dynamic-crash");
	assert_int_equal(exit_code(&r), 128 + SIGSEGV);
	assert_result(r.out, "Dynamic subtest dyn-crash: CRASH (");
	assert_result(r.out, "Dynamic subtest after-crash: SUCCESS (");
	/* IGT's behaviour: a crash does not count as a dynamic failure */
	assert_result(r.out, "Subtest dynamic-crash: SUCCESS (");
	run_free(&r);
}

static void test_abort(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--run-subtest", "abort,after-group");
	assert_int_equal(exit_code(&r), 112);
	assert_line(r.out, "Starting subtest: abort");
	assert_not_contains(r.out, "Subtest abort:");
	assert_not_contains(r.out, "after-group");
	assert_contains(r.err, "CRITICAL: Test abort in function __igt_unique____real_main");
	assert_contains(r.err, "CRITICAL: abort condition: fixture_value == 42\n");
	assert_contains(r.err, "CRITICAL: abort aborts on purpose\n");
	assert_kmsg_contains(r.kmsg, "<3>[IGT] igt_lite_selftest[");
	assert_kmsg_contains(r.kmsg, "]: Abort in function __igt_unique____real_main");
	/* exit handlers still run */
	assert_line(r.out, "selftest exit handler (sig 0)");
	run_free(&r);

	run_selftest(&r, NULL, "--top-fixture=abort", "--run-subtest", "pass-basic");
	assert_int_equal(exit_code(&r), 112);
	assert_not_contains(r.out, "Subtest pass-basic");
	run_free(&r);
}

static void test_timeout(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--run-subtest", "timeout,after-group");
	assert_int_equal(exit_code(&r), 98);
	assert_line(r.out, "Timed out: sleeping on purpose");
	assert_result(r.out, "Subtest timeout: FAIL (");
	assert_contains(r.out, "Subtest timeout: FAIL (1."); /* after about 1 s */
	assert_result(r.out, "Subtest after-group: SUCCESS (");
	run_free(&r);
}

static void test_dynamic_timeout(void **state)
{
	struct run r;

	/* The alarm fails the dynamic subtest, its parent, and the run goes on. */
	run_selftest(&r, NULL, "--run-subtest", "dynamic-timeout,after-group");
	assert_int_equal(exit_code(&r), 98);
	assert_line(r.out, "Timed out: dynamic sleeping on purpose");
	assert_contains(r.out, "Dynamic subtest dyn-hang: FAIL (1.");
	assert_result(r.out, "Dynamic subtest after-hang: SUCCESS (");
	assert_result(r.out, "Subtest dynamic-timeout: FAIL (");
	assert_line(r.err, "Dynamic subtest dyn-hang failed.");
	assert_not_contains(r.err, "Subtest dynamic-timeout failed.");
	assert_result(r.out, "Subtest after-group: SUCCESS (");
	run_free(&r);
}

static void test_exit_handlers(void **state)
{
	struct run r;

	/* Killed by a signal: the handlers get its number, and it still kills. */
	run_selftest(&r, NULL, "--run-subtest", "killed");
	assert_true(WIFSIGNALED(r.status));
	assert_int_equal(WTERMSIG(r.status), SIGTERM);
	assert_line(r.out, "Starting subtest: killed");
	assert_not_contains(r.out, "Subtest killed:");
	assert_line(r.out, "selftest exit handler (sig 15)");
	assert_int_equal(count_lines_with(r.out, "selftest exit handler"), 1);
	run_free(&r);

	/* A crash outside any subtest ends the process with that signal. */
	run_selftest(&r, NULL, "--top-fixture=crash", "--run-subtest", "pass-basic");
	assert_true(WIFSIGNALED(r.status));
	assert_int_equal(WTERMSIG(r.status), SIGSEGV);
	assert_contains(r.err, "Received signal SIGSEGV.\n");
	assert_line(r.out, "selftest exit handler (sig 11)");
	assert_not_contains(r.out, "Subtest pass-basic");
	run_free(&r);

	/* A crash inside a subtest: the run goes on, handlers run once at exit. */
	run_selftest(&r, NULL, "--run-subtest", "crash,pass-basic");
	assert_int_equal(exit_code(&r), 128 + SIGSEGV);
	assert_line(r.out, "selftest exit handler (sig 0)");
	assert_int_equal(count_lines_with(r.out, "selftest exit handler"), 1);
	run_free(&r);
}

static void test_fixtures(void **state)
{
	struct run r;

	/* a skipping top fixture skips everything after it */
	run_selftest(&r, NULL, "--top-fixture=skip");
	assert_int_equal(exit_code(&r), 77);
	assert_line(r.out, "top fixture skips on purpose");
	assert_line(r.out, "Subtest pass-basic: SKIP (0.000s)");
	assert_line(r.out, "Subtest after-group: SKIP (0.000s)");
	assert_not_contains(r.out, "Starting subtest");
	assert_not_contains(r.out, "last fixture ran");
	run_free(&r);

	/* a failing one fails everything after it */
	run_selftest(&r, NULL, "--top-fixture=fail", "--run-subtest", "pass-basic,skip-basic");
	assert_int_equal(exit_code(&r), 98);
	assert_contains(r.err, "CRITICAL: top fixture fails on purpose\n");
	assert_line(r.err, "Test igt_lite_selftest failed.");
	assert_line(r.out, "Subtest pass-basic: FAIL (0.000s)");
	assert_line(r.out, "Subtest skip-basic: FAIL (0.000s)");
	run_free(&r);

	/* a group's fixture only affects the group */
	run_selftest(&r, NULL, "--group-fixture=skip", "--run-subtest", "group-subtest,after-group");
	assert_int_equal(exit_code(&r), 0);
	assert_line(r.out, "Subtest group-subtest: SKIP (0.000s)");
	assert_result(r.out, "Subtest after-group: SUCCESS (");
	assert_line(r.out, "last fixture ran");
	run_free(&r);

	run_selftest(&r, NULL, "--group-fixture=fail", "--run-subtest", "group-subtest,after-group");
	assert_int_equal(exit_code(&r), 98);
	assert_line(r.out, "Subtest group-subtest: FAIL (0.000s)");
	assert_result(r.out, "Subtest after-group: SUCCESS (");
	run_free(&r);

	run_selftest(&r, NULL, "--group-fixture=skip", "--run-subtest", "group-subtest");
	assert_int_equal(exit_code(&r), 77);
	run_free(&r);
}

static void test_sentinel_on_stderr(void **state)
{
	struct run r;

	run_selftest(&r, "IGT_SENTINEL_ON_STDERR=1", "--run-subtest", "pass-basic,dynamic-pass");
	assert_int_equal(exit_code(&r), 0);
	assert_line(r.err, "Starting subtest: pass-basic");
	assert_result(r.err, "Subtest pass-basic: SUCCESS (");
	assert_line(r.err, "Starting dynamic subtest: only-1");
	assert_result(r.err, "Dynamic subtest only-1: SUCCESS (");
	assert_not_contains(r.err, "IGT-Version");
	assert_line(r.out, "Starting subtest: pass-basic");
	run_free(&r);
}

static void test_log_levels(void **state)
{
	struct run r;

	run_selftest(&r, NULL, "--debug", "--run-subtest", "pass-basic");
	assert_int_equal(exit_code(&r), 0);
	assert_contains(r.out, ") DEBUG: pass-basic debug line\n");
	assert_contains(r.out, ") DEBUG: Test requirement passed: true\n");
	run_free(&r);

	run_selftest(&r, "IGT_LOG_LEVEL=debug", "--run-subtest", "pass-basic");
	assert_contains(r.out, ") DEBUG: pass-basic debug line\n");
	run_free(&r);

	/* warnings go to stderr, with the program and pid */
	run_selftest(&r, NULL, "--run-subtest", "warn-on");
	assert_int_equal(exit_code(&r), 0);
	assert_contains(r.err, "(igt_lite_selftest:");
	assert_contains(r.err, ") WARNING: Warning on condition fixture_value == 42 in function");
	assert_contains(r.err, ") WARNING: warn-on warns on purpose\n");
	assert_contains(r.err, ") WARNING: explicit warning\n");
	run_free(&r);

	/* IGT_LOG_LEVEL=warn hides info, including the protocol's start lines */
	run_selftest(&r, "IGT_LOG_LEVEL=warn", "--run-subtest", "pass-basic");
	assert_int_equal(exit_code(&r), 0);
	assert_not_contains(r.out, "IGT-Version");
	assert_not_contains(r.out, "Starting subtest");
	assert_result(r.out, "Subtest pass-basic: SUCCESS (");
	run_free(&r);
}

static void test_all_subtests(void **state)
{
	struct run r;

	/* everything except what kills the run */
	run_selftest(&r, NULL, "--run-subtest", "*,!abort,!dynamic-parent-assert,!timeout,!dynamic-timeout,!killed");
	/* the first failure (fail-basic) sets the exit code, not the later crash */
	assert_int_equal(exit_code(&r), 98);
	assert_int_equal(count_lines_with(r.out, "Starting subtest: "), 15);
	assert_int_equal(count_lines_with(r.out, "\nSubtest "), 15);
	run_free(&r);

	run_selftest(&r, NULL, "--run-subtest", "pass-basic,skip-basic,formatted-7,after-group");
	assert_int_equal(exit_code(&r), 0);
	run_free(&r);
}

static void test_simple_main(void **state)
{
	struct run r;

	run_simple(&r, NULL, "--top-fixture=pass");
	assert_int_equal(exit_code(&r), 0);
	assert_int_equal(strncmp(r.out, "IGT-Version: ", 13), 0);
	assert_line(r.out, "simple test ran");
	assert_result(r.out, "SUCCESS (");
	run_free(&r);

	run_simple(&r, NULL, "--top-fixture=skip");
	assert_int_equal(exit_code(&r), 77);
	assert_result(r.out, "SKIP (");
	run_free(&r);

	run_simple(&r, NULL, "--top-fixture=fail");
	assert_int_equal(exit_code(&r), 98);
	assert_result(r.out, "FAIL (");
	assert_contains(r.err, "CRITICAL: simple test fails on purpose\n");
	run_free(&r);

	run_simple(&r, NULL, "--list-subtests");
	assert_int_equal(exit_code(&r), 79);
	run_free(&r);

	run_simple(&r, NULL, "--run-subtest", "foo");
	assert_int_equal(exit_code(&r), 79);
	assert_contains(r.err, ") igt_core-WARNING: Unknown subtest: foo\n");
	run_free(&r);

	run_simple(&r, NULL, "--show-testlist");
	assert_int_equal(exit_code(&r), 0);
	assert_string_equal(r.out, "igt@igt_lite_selftest_simple\n");
	run_free(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_subtests),
		cmocka_unit_test(test_show_testlist),
		cmocka_unit_test(test_pass),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_fail),
		cmocka_unit_test(test_comma_list_and_wildcards),
		cmocka_unit_test(test_unknown_subtest),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_test_options),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_dynamic_mixed),
		cmocka_unit_test(test_dynamic_skip_and_pass),
		cmocka_unit_test(test_dynamic_parent_assert),
		cmocka_unit_test(test_crash),
		cmocka_unit_test(test_abort),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_dynamic_timeout),
		cmocka_unit_test(test_exit_handlers),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_sentinel_on_stderr),
		cmocka_unit_test(test_log_levels),
		cmocka_unit_test(test_all_subtests),
		cmocka_unit_test(test_simple_main),
	};

	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "--real"))) {
		fprintf(stderr, "usage: %s <igt_lite_selftest> <igt_lite_selftest_simple> [--real]\n",
			argv[0]);
		return 2;
	}
	selftest_path = argv[1];
	simple_path = argv[2];
	lite = argc == 3;

	return cmocka_run_group_tests(tests, NULL, NULL);
}
