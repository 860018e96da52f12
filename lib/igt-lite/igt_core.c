// SPDX-License-Identifier: MIT
/*
 * Test control flow as in IGT's igt_core: fixtures, subtests, dynamic
 * subtests and groups, their results on stdout in the text protocol that
 * igt_runner parses, the process exit code, exit handlers, fatal signals
 * and timeouts.
 *
 * Result lines (stdout; also stderr when IGT_SENTINEL_ON_STDERR is set):
 *   Starting subtest: <name>
 *   Subtest <name>: SUCCESS|SKIP|FAIL|CRASH (<seconds>s)
 *   Starting dynamic subtest: <name>
 *   Dynamic subtest <name>: SUCCESS|SKIP|FAIL|CRASH (<seconds>s)
 * Exit code: 0 if something passed and nothing failed, 77 if everything
 * skipped, 98 (or the igt_fail() code) on failure, 128+signal after a
 * crash, 79 for a bad command line or unknown subtest, 112 on abort.
 */
/* igt_core's own messages carry its domain: "(prog:pid) igt_core-INFO: ..." */
#define IGT_LOG_DOMAIN "igt_core"

#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "igt_lite_internal.h"

sigjmp_buf igt_subtest_jmpbuf;
sigjmp_buf igt_dynamic_jmpbuf;
bool __igt_plain_output;

static struct igt_lite_opts opts;
static const char *command_str;

static bool test_with_subtests;
static bool in_fixture;
static char *in_subtest;
static char *in_dynamic_subtest;
static struct timespec subtest_time;
static struct timespec dynamic_subtest_time;

/* -1 outside a dynamic container, else how many dynamic subtests counted. */
static int dynamic_executed = -1;
static bool dynamic_failed_one;

static bool skipped_one, succeeded_one, failed_one;
static int igt_exitcode = IGT_EXIT_SUCCESS;
static bool run_subtest_found;
static bool stderr_needs_sentinel;
static bool exit_called, is_aborting, in_atexit_handler;

/* What a failed or skipped fixture does to the subtests that follow it. */
static enum { CONT = 0, SKIP, FAIL } skip_subtests_henceforth = CONT;

/* --describe: the pending igt_describe() text and those of enclosing groups. */
#define MAX_GROUP_DEPTH 32
static char current_description[512];
static char *group_descriptions[MAX_GROUP_DEPTH];
static int n_group_descriptions;

__attribute__((format(printf, 2, 3)))
static void internal_assert(bool cond, const char *format, ...)
{
	va_list ap;

	if (cond)
		return;

	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
	fprintf(stderr, "please refer to lib/igt_core documentation\n");
	fflush(stderr);
	abort();
}

static void print_backtrace(void)
{
	void *frames[32];
	int n = backtrace(frames, 32);
	char **symbols = backtrace_symbols(frames, n);

	igt_info("Stack trace:\n");
	for (int i = 1; i < n; i++)
		igt_info("  #%d %s\n", i - 1, symbols ? symbols[i] : "[<unknown>]");
	free(symbols);
}

const char *igt_test_name(void)
{
	return command_str;
}

const char *igt_subtest_name(void)
{
	return in_subtest;
}

const char *igt_dynamic_subtest_name(void)
{
	return in_dynamic_subtest;
}

bool igt_only_list_subtests(void)
{
	return opts.list_subtests || opts.show_testlist;
}

bool igt_can_fail(void)
{
	return !test_with_subtests || in_fixture || in_subtest;
}

/* ---- time --------------------------------------------------------------- */

int igt_gettime(struct timespec *ts)
{
	static clockid_t clock = (clockid_t)-1;

	memset(ts, 0, sizeof(*ts));
	if (clock != (clockid_t)-1)
		return clock_gettime(clock, ts) ? -errno : 0;

	clock = CLOCK_MONOTONIC_RAW;
	if (!clock_gettime(clock, ts))
		return 0;
	clock = CLOCK_MONOTONIC;
	if (!clock_gettime(clock, ts))
		return 0;

	igt_warn("Could not read monotonic time: %s\n", strerror(errno));
	return -errno;
}

double igt_time_elapsed(struct timespec *then, struct timespec *now)
{
	if (!(then->tv_sec || then->tv_nsec) || !(now->tv_sec || now->tv_nsec))
		return -1.0;

	return (double)(now->tv_sec - then->tv_sec) +
	       (double)(now->tv_nsec - then->tv_nsec) * 1e-9;
}

uint64_t igt_nsec_elapsed(struct timespec *start)
{
	struct timespec now;

	igt_gettime(&now);
	if (!start->tv_sec && !start->tv_nsec) {
		*start = now;
		return 0;
	}

	return (uint64_t)((now.tv_sec - start->tv_sec) * (int64_t)NSEC_PER_SEC +
			  (now.tv_nsec - start->tv_nsec));
}

/* ---- protocol lines ------------------------------------------------------- */

static void subtest_starting_message(bool dynamic, const char *name)
{
	const char *kind = dynamic ? "dynamic subtest" : "subtest";

	igt_info("Starting %s: %s\n", kind, name);
	fflush(stdout);
	if (stderr_needs_sentinel)
		igt_lite_log_line(stderr, "Starting %s: %s\n", kind, name);
}

static void subtest_result_message(bool dynamic, const char *name,
				   const char *result, double elapsed)
{
	const char *kind = dynamic ? "Dynamic subtest" : "Subtest";

	igt_lite_log_line(stdout, "%s%s %s: %s (%.3fs)%s\n",
			  __igt_plain_output ? "" : "\x1b[1m", kind, name, result,
			  elapsed, __igt_plain_output ? "" : "\x1b[0m");
	if (stderr_needs_sentinel)
		igt_lite_log_line(stderr, "%s %s: %s (%.3fs)\n", kind, name,
				  result, elapsed);
}

static void dump_log_buffer(void)
{
	char what[300];

	/*
	 * A dynamic container failing because one of its dynamic subtests
	 * did: that one already printed why, the rest is noise.
	 */
	if (in_subtest && !in_dynamic_subtest && dynamic_executed >= 0) {
		igt_lite_log_buffer_reset();
		return;
	}

	if (in_dynamic_subtest)
		snprintf(what, sizeof(what), "Dynamic subtest %s", in_dynamic_subtest);
	else if (in_subtest)
		snprintf(what, sizeof(what), "Subtest %s", in_subtest);
	else
		snprintf(what, sizeof(what), "Test %s", command_str);
	igt_lite_log_buffer_dump(what);
}

/* ---- describe ------------------------------------------------------------- */

void igt_describe_f(const char *fmt, ...)
{
	va_list args;

	internal_assert(!in_subtest || dynamic_executed < 0,
			"documenting dynamic subsubtests is impossible, document the subtest instead.\n");

	if (!opts.describe)
		return;

	va_start(args, fmt);
	vsnprintf(current_description, sizeof(current_description), fmt, args);
	va_end(args);
}

static void print_subtest_description(const char *name, const char *file, int line)
{
	bool documented = false;

	printf("SUB %s %s:%d:\n", name, file, line);
	for (int i = 0; i < n_group_descriptions; i++) {
		igt_lite_print_wrapped(stdout, "  ", group_descriptions[i]);
		printf("\n");
		documented = true;
	}
	if (current_description[0]) {
		igt_lite_print_wrapped(stdout, "  ", current_description);
		printf("\n");
		documented = true;
	}
	if (!documented)
		printf("  NO DOCUMENTATION!\n\n");
	fflush(stdout);
}

/* ---- blocks --------------------------------------------------------------- */

bool __igt_fixture(void)
{
	internal_assert(!in_fixture, "nesting multiple igt_fixture()s is invalid\n");
	internal_assert(!in_subtest, "nesting igt_fixture() in igt_subtest is invalid\n");
	internal_assert(test_with_subtests, "igt_fixture() in igt_simple_main() is invalid\n");

	if (igt_only_list_subtests() || skip_subtests_henceforth)
		return false;

	in_fixture = true;
	return true;
}

void __igt_fixture_complete(void)
{
	in_fixture = false;
}

void __igt_fixture_end(void)
{
	in_fixture = false;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

void __igt_subtest_group_save(int *save, int *desc)
{
	internal_assert(test_with_subtests,
			"igt_subtest_group() is not allowed in igt_simple_main()\n");

	if (current_description[0] && n_group_descriptions < MAX_GROUP_DEPTH) {
		group_descriptions[n_group_descriptions++] = strdup(current_description);
		current_description[0] = '\0';
		*desc = true;
	}
	*save = skip_subtests_henceforth;
}

void __igt_subtest_group_restore(int save, int desc)
{
	if (desc && n_group_descriptions > 0)
		free(group_descriptions[--n_group_descriptions]);
	skip_subtests_henceforth = save;
}

bool __igt_run_subtest(const char *subtest_name, const char *file, const int line)
{
	internal_assert(!igt_can_fail(),
			"igt_subtest can be nested only in igt_main() or igt_subtest_group()\n");

	if (!igt_lite_valid_subtest_name(subtest_name)) {
		igt_critical("Invalid subtest name \"%s\".\n", subtest_name);
		igt_exit();
	}

	if (opts.run_subtest) {
		if (!igt_lite_wildmat(subtest_name, opts.run_subtest)) {
			current_description[0] = '\0';
			return false;
		}
		run_subtest_found = true;
	}

	if (opts.describe) {
		print_subtest_description(subtest_name, file, line);
		current_description[0] = '\0';
		return false;
	} else if (opts.show_testlist) {
		printf("igt@%s@%s\n", igt_test_name(), subtest_name);
		return false;
	} else if (opts.list_subtests) {
		printf("%s\n", subtest_name);
		return false;
	}

	if (skip_subtests_henceforth) {
		subtest_result_message(false, subtest_name,
				       skip_subtests_henceforth == SKIP ? "SKIP" : "FAIL",
				       0.0);
		return false;
	}

	igt_kmsg(KMSG_INFO "%s: starting subtest %s\n", command_str, subtest_name);
	subtest_starting_message(false, subtest_name);
	igt_lite_log_buffer_reset();
	igt_gettime(&subtest_time);

	in_subtest = strdup(subtest_name);
	internal_assert(in_subtest != NULL, "out of memory\n");
	return true;
}

bool __igt_enter_dynamic_container(void)
{
	dynamic_executed = 0;
	dynamic_failed_one = false;
	return true;
}

bool __igt_run_dynamic_subtest(const char *dynamic_subtest_name)
{
	internal_assert(in_subtest && dynamic_executed >= 0,
			"igt_dynamic is allowed only inside igt_subtest_with_dynamic\n");
	internal_assert(!in_dynamic_subtest,
			"igt_dynamic is not allowed to be nested in another igt_dynamic\n");

	if (!igt_lite_valid_subtest_name(dynamic_subtest_name)) {
		igt_critical("Invalid dynamic subtest name \"%s\".\n",
			     dynamic_subtest_name);
		igt_exit();
	}

	if (opts.dynamic_subtest &&
	    !igt_lite_wildmat(dynamic_subtest_name, opts.dynamic_subtest))
		return false;

	igt_kmsg(KMSG_INFO "%s: starting dynamic subtest %s\n", command_str,
		 dynamic_subtest_name);
	subtest_starting_message(true, dynamic_subtest_name);
	igt_lite_log_buffer_reset();
	dynamic_executed++;
	igt_gettime(&dynamic_subtest_time);

	in_dynamic_subtest = strdup(dynamic_subtest_name);
	internal_assert(in_dynamic_subtest != NULL, "out of memory\n");
	return true;
}

/* Reports the innermost running (dynamic) subtest and jumps out of it. */
__noreturn static void exit_subtest(const char *result)
{
	bool dynamic = in_dynamic_subtest != NULL;
	char **name = dynamic ? &in_dynamic_subtest : &in_subtest;
	struct timespec now;

	igt_gettime(&now);
	subtest_result_message(dynamic, *name, result,
			       igt_time_elapsed(dynamic ? &dynamic_subtest_time :
							  &subtest_time, &now));
	igt_kmsg(KMSG_INFO "%s: finished subtest %s, %s\n", command_str, *name,
		 result);

	if (dynamic)
		igt_lite_log_buffer_reset(); /* the container must not print it again */
	else
		dynamic_executed = -1;

	free(*name);
	*name = NULL;

	siglongjmp(dynamic ? igt_dynamic_jmpbuf : igt_subtest_jmpbuf, 1);
}

/* ---- results -------------------------------------------------------------- */

void igt_success(void)
{
	if (in_subtest && !in_dynamic_subtest && dynamic_executed >= 0) {
		/* Leaving a dynamic container: its result comes from its children. */
		if (dynamic_failed_one)
			igt_fail(IGT_EXIT_FAILURE);
		if (dynamic_executed == 0)
			igt_skip("No dynamic tests executed.\n");
	}

	if (!in_dynamic_subtest)
		succeeded_one = true;

	if (in_subtest)
		exit_subtest("SUCCESS");
}

void igt_skip(const char *f, ...)
{
	va_list args;

	skipped_one = true;

	if (!igt_only_list_subtests()) {
		va_start(args, f);
		vprintf(f, args);
		va_end(args);
		fflush(stdout);
	}

	if (in_subtest) {
		/* Skipped dynamic subtests do not count for their container. */
		if (in_dynamic_subtest)
			dynamic_executed--;
		exit_subtest("SKIP");
	} else if (test_with_subtests) {
		skip_subtests_henceforth = SKIP;
		internal_assert(in_fixture,
				"skipping is allowed only in fixtures, subtests or igt_simple_main()\n");
		__igt_fixture_end();
	} else {
		igt_exitcode = IGT_EXIT_SKIP;
		igt_exit();
	}
}

void __igt_skip_check(const char *file, const int line, const char *func,
		      const char *check, const char *f, ...)
{
	static char *msg; /* igt_skip() never returns: free the last one here */
	int err = errno;
	char errstr[300] = "";
	va_list args;

	free(msg);
	msg = NULL;
	if (err)
		snprintf(errstr, sizeof(errstr), "Last errno: %i, %s\n", err,
			 strerror(err));

	if (f) {
		va_start(args, f);
		if (vasprintf(&msg, f, args) < 0)
			msg = NULL;
		va_end(args);
	}

	igt_skip("Test requirement not met in function %s, file %s:%i:\n"
		 "Test requirement: %s\n%s%s",
		 func, file, line, check, msg ? msg : "", errstr);
}

void igt_fail(int exitcode)
{
	internal_assert(exitcode != IGT_EXIT_SUCCESS && exitcode != IGT_EXIT_SKIP,
			"igt_fail() with exit code %d is invalid\n", exitcode);

	/* An assertion failed in an exit handler: get out now. */
	if (in_atexit_handler)
		_exit(IGT_EXIT_FAILURE);

	if (in_dynamic_subtest) {
		dynamic_failed_one = true;
	} else {
		internal_assert(dynamic_executed < 0 || dynamic_failed_one,
				"igt_subtest_with_dynamic may only fail through its igt_dynamic blocks: "
				"move the failing check into an igt_dynamic, or make it an igt_require\n");
		if (!failed_one)
			igt_exitcode = exitcode;
		failed_one = true;
	}

	dump_log_buffer();

	if (in_subtest)
		exit_subtest("FAIL");

	internal_assert(igt_can_fail(),
			"failing test is only allowed in fixtures, subtests and igt_simple_main()\n");
	if (in_fixture) {
		skip_subtests_henceforth = FAIL;
		__igt_fixture_end();
	}

	igt_exit();
}

void __igt_fail_assert(const char *domain, const char *file, const int line,
		       const char *func, const char *assertion,
		       const char *f, ...)
{
	int err = errno;
	va_list args;

	igt_log(domain, IGT_LOG_CRITICAL,
		"Test assertion failure function %s, file %s:%i:\n", func, file, line);
	igt_log(domain, IGT_LOG_CRITICAL, "Failed assertion: %s\n", assertion);
	if (err)
		igt_log(domain, IGT_LOG_CRITICAL, "Last errno: %i, %s\n", err,
			strerror(err));
	if (f) {
		va_start(args, f);
		igt_vlog(domain, IGT_LOG_CRITICAL, f, args);
		va_end(args);
	}

	print_backtrace();
	igt_fail(IGT_EXIT_FAILURE);
}

void __igt_abort(const char *domain, const char *file, const int line,
		 const char *func, const char *expression, const char *f, ...)
{
	int err = errno;
	va_list args;

	is_aborting = true;

	igt_kmsg(KMSG_ERR "%s[%d]: Abort in function %s, file %s:%i, %s\n",
		 command_str, getpid(), func, file, line, expression);

	igt_log(domain, IGT_LOG_CRITICAL, "Test abort in function %s, file %s:%i:\n",
		func, file, line);
	igt_log(domain, IGT_LOG_CRITICAL, "abort condition: %s\n", expression);
	if (err)
		igt_log(domain, IGT_LOG_CRITICAL, "Last errno: %i, %s\n", err,
			strerror(err));
	if (f) {
		va_start(args, f);
		igt_vlog(domain, IGT_LOG_CRITICAL, f, args);
		va_end(args);
	}

	print_backtrace();
	dump_log_buffer();

	exit(IGT_EXIT_ABORT);
}

void igt_exit(void)
{
	exit_called = true;

	if (opts.run_subtest && !run_subtest_found) {
		igt_critical("Unknown subtest: %s\n", opts.run_subtest);
		exit(IGT_EXIT_INVALID);
	}

	if (igt_only_list_subtests())
		exit(IGT_EXIT_SUCCESS);

	internal_assert(!test_with_subtests || skipped_one || succeeded_one || failed_one,
			"igt_exit() reached without running, skipping or failing anything\n");

	if (test_with_subtests && !failed_one)
		igt_exitcode = succeeded_one ? IGT_EXIT_SUCCESS : IGT_EXIT_SKIP;

	if (command_str)
		igt_kmsg(KMSG_INFO "%s: exiting, ret=%d\n", command_str, igt_exitcode);
	igt_debug("Exiting with status code %d\n", igt_exitcode);

	if (!test_with_subtests) {
		struct timespec now;
		const char *result = igt_exitcode == IGT_EXIT_SUCCESS ? "SUCCESS" :
				     igt_exitcode == IGT_EXIT_SKIP ? "SKIP" : "FAIL";

		igt_gettime(&now);
		igt_lite_log_line(stdout, "%s (%.3fs)\n", result,
				  igt_time_elapsed(&subtest_time, &now));
	}

	exit(igt_exitcode);
}

/* ---- exit handlers and signals ------------------------------------------- */

#define MAX_EXIT_HANDLERS 10
static igt_exit_handler_t exit_handlers[MAX_EXIT_HANDLERS];
static int exit_handler_count;

static const struct {
	int sig;
	const char *name;	/* NULL: dies quietly */
} handled_signals[] = {
	{ SIGINT, NULL },
	{ SIGHUP, NULL },
	{ SIGPIPE, NULL },
	{ SIGTERM, NULL },
	{ SIGQUIT, "SIGQUIT" },	/* igt_runner's timeout */
	{ SIGABRT, "SIGABRT" },
	{ SIGSEGV, "SIGSEGV" },
	{ SIGBUS, "SIGBUS" },
	{ SIGFPE, "SIGFPE" },
};
#define N_HANDLED_SIGNALS (sizeof(handled_signals) / sizeof(handled_signals[0]))

static void write_stderr(const char *s)
{
	if (write(STDERR_FILENO, s, strlen(s)) < 0) {
		/* nothing sensible left to do */
	}
}

static void restore_all_sig_handlers(void)
{
	for (size_t i = 0; i < N_HANDLED_SIGNALS; i++)
		signal(handled_signals[i].sig, SIG_DFL);
}

static void call_exit_handlers(int sig)
{
	int n = exit_handler_count;

	/* Each handler runs once, even if it raises a signal itself. */
	exit_handler_count = 0;
	for (int i = n - 1; i >= 0; i--)
		exit_handlers[i](sig);
}

static void atexit_handler(void)
{
	in_atexit_handler = true;
	restore_all_sig_handlers();
	call_exit_handlers(0);
}

static bool crash_signal(int sig)
{
	return sig == SIGILL || sig == SIGBUS || sig == SIGFPE || sig == SIGSEGV;
}

static void fatal_sig_handler(int sig)
{
	for (size_t i = 0; i < N_HANDLED_SIGNALS; i++) {
		if (handled_signals[i].sig != sig)
			continue;

		if (handled_signals[i].name) {
			void *frames[32];
			int n = backtrace(frames, 32);

			write_stderr("Received signal ");
			write_stderr(handled_signals[i].name);
			write_stderr(".\n");
			write_stderr("Stack trace:\n");
			backtrace_symbols_fd(frames, n, STDERR_FILENO);
		}

		if (crash_signal(sig)) {
			/* Linux convention: 128 + signal. */
			if (!failed_one)
				igt_exitcode = 128 + sig;
			failed_one = true;

			/*
			 * Report the subtest and carry on with the next one, as
			 * IGT does. Like IGT, a crashed dynamic subtest does not
			 * fail its container (it reports SUCCESS if nothing else
			 * failed); the exit code still says 128+signal.
			 */
			if (in_subtest)
				exit_subtest("CRASH");
		}
		break;
	}

	restore_all_sig_handlers();
	call_exit_handlers(sig);
	raise(sig); /* delivered with the default action once we return */
}

static void common_exit_handler(int sig)
{
	/* Returning from main or calling exit() directly bypasses igt_exit(). */
	if (sig == 0 && !exit_called && !is_aborting) {
		fprintf(stderr, "%s: exited without igt_exit()\n",
			command_str ? command_str : "igt");
		fflush(stderr);
		abort();
	}
}

void igt_install_exit_handler(igt_exit_handler_t fn)
{
	for (int i = 0; i < exit_handler_count; i++)
		if (exit_handlers[i] == fn)
			return;

	igt_assert(exit_handler_count < MAX_EXIT_HANDLERS);
	exit_handlers[exit_handler_count++] = fn;
	if (exit_handler_count > 1)
		return;

	for (size_t i = 0; i < N_HANDLED_SIGNALS; i++) {
		struct sigaction sa = { .sa_handler = fatal_sig_handler,
					.sa_flags = SA_RESTART };

		sigemptyset(&sa.sa_mask);
		if (sigaction(handled_signals[i].sig, &sa, NULL))
			goto err;
	}
	if (atexit(atexit_handler))
		goto err;
	return;

err:
	restore_all_sig_handlers();
	exit_handler_count--;
	igt_assert_f(0, "failed to install the signal handler\n");
}

static const char *timeout_op;

__noreturn static void alarm_handler(int sig)
{
	(void)sig;
	if (timeout_op)
		igt_info("Timed out: %s\n", timeout_op);
	else
		igt_info("Timed out\n");

	igt_fail(IGT_EXIT_FAILURE);
}

void igt_set_timeout(unsigned int seconds, const char *op)
{
	struct sigaction sa = { .sa_handler = alarm_handler };

	sigemptyset(&sa.sa_mask);
	timeout_op = op;
	if (seconds)
		sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

void igt_reset_timeout(void)
{
	igt_set_timeout(0, NULL);
}

/* ---- start-up ------------------------------------------------------------- */

static void common_init_env(void)
{
	const char *env;

	__igt_plain_output = !isatty(STDOUT_FILENO) || getenv("IGT_PLAIN_OUTPUT");
	errno = 0; /* isatty() leaves ENOTTY behind */

	env = getenv("IGT_LOG_LEVEL");
	if (env)
		igt_lite_parse_log_level(env, &igt_log_level);

	stderr_needs_sentinel = getenv("IGT_SENTINEL_ON_STDERR") != NULL;
	/* IGT_RUNNER_SOCKET_FD is ignored: igt-lite speaks the text protocol. */
}

static void print_version(void)
{
	struct utsname uts;

	if (uname(&uts))
		memset(&uts, 0, sizeof(uts));
	igt_info("IGT-Version: %s (%s) (%s: %s %s)\n", IGT_LITE_VERSION,
		 uts.machine, uts.sysname, uts.release, uts.machine);
}

void igt_srandom(void)
{
	const char *param = getenv("IGT_SRANDOM");
	int seed = param ? atoi(param) : (int)time(NULL);

	srandom((unsigned int)seed);
	igt_info("Using IGT_SRANDOM=%d for randomisation\n", seed);
}

static void oom_adjust_for_doom(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, "1000", 4) < 0) {
		/* best effort */
	}
	close(fd);
}

static void common_init(int *argc, char **argv, const char *extra_short_opts,
			const struct option *extra_long_opts, const char *help_str,
			igt_opt_handler_t extra_opt_handler, void *handler_data)
{
	const char *description = &__igt_test_description ? __igt_test_description : NULL;
	enum igt_lite_opts_result r;
	void *frame;

	common_init_env();
	command_str = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	backtrace(&frame, 1); /* loads libgcc now, not in a signal handler */

	r = igt_lite_parse_opts(&opts, argc, argv, extra_short_opts, extra_long_opts,
				help_str, extra_opt_handler, handler_data,
				description, stdout, stderr);
	fflush(stdout);
	internal_assert(r != IGT_LITE_OPTS_CONFLICT,
			"the test's options conflict with IGT's own\n");

	if (opts.debug) {
		igt_log_level = IGT_LOG_DEBUG;
		igt_lite_log_set_domain_filter(opts.debug_domain);
	}

	/* A test without subtests has nothing to list or select. */
	if (!test_with_subtests) {
		if (opts.run_subtest) {
			igt_warn("Unknown subtest: %s\n", opts.run_subtest);
			exit(IGT_EXIT_INVALID);
		}
		if (opts.show_testlist) {
			printf("igt@%s\n", igt_test_name());
			exit(IGT_EXIT_SUCCESS);
		}
		if (opts.list_subtests)
			exit(IGT_EXIT_INVALID);
	}

	if (r == IGT_LITE_OPTS_EXIT_OK)
		exit(IGT_EXIT_SUCCESS);
	if (r != IGT_LITE_OPTS_RUN)
		exit(IGT_EXIT_INVALID);

	if (!igt_only_list_subtests()) {
		igt_kmsg(KMSG_INFO "%s: executing\n", command_str);
		print_version();
		igt_srandom();
		oom_adjust_for_doom();
	}

	igt_install_exit_handler(common_exit_handler);

	if (!test_with_subtests)
		igt_gettime(&subtest_time);
}

int igt_subtest_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data)
{
	test_with_subtests = true;
	common_init(argc, argv, extra_short_opts, extra_long_opts, help_str,
		    extra_opt_handler, handler_data);
	return 0;
}

void igt_simple_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data)
{
	common_init(argc, argv, extra_short_opts, extra_long_opts, help_str,
		    extra_opt_handler, handler_data);
}
