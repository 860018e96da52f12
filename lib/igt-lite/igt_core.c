// SPDX-License-Identifier: MIT
/*
 * igt-lite's test control: written from IGT's documented API and the text
 * protocol igt_runner parses, not from IGT's source.
 *
 * Design. One record, `st`, holds the whole state of the binary, and
 * `st.where` is an explicit state machine of where control is:
 *
 *   TOP ──fixture_begin──> FIXTURE ──end/skip/fail──> TOP
 *   TOP ──subtest_begin──> SUBTEST ──success/skip/fail/crash──> TOP
 *   TOP ──subtest_begin──> PARENT (igt_subtest_with_dynamic) ──...──> TOP
 *   PARENT ──dynamic_begin──> DYNAMIC ──success/skip/fail/crash──> PARENT
 *
 * move_to() is the only writer of st.where and refuses an illegal arc with
 * a test-bug message. A block (subtest, parent, dynamic) is opened by
 * open_block() and closed by close_block(verdict), which prints the result
 * line and jumps back to the block's sigsetjmp() in the macro. What a
 * verdict does to the totals is decided in one place, tally(). A fixture
 * that skips or fails sets st.gate: every later subtest of its group is
 * then reported SKIP or FAIL without running (groups save/restore it).
 *
 * Protocol (stdout; start/result lines also on stderr with
 * IGT_SENTINEL_ON_STDERR):
 *   Starting subtest: <name>
 *   Subtest <name>: SUCCESS|SKIP|FAIL|CRASH (<seconds>s)
 *   Starting dynamic subtest: <name>
 *   Dynamic subtest <name>: SUCCESS|SKIP|FAIL|CRASH (<seconds>s)
 *   SUCCESS|SKIP|FAIL (<seconds>s)           (igt_simple_main)
 * kmsg: "<prog>: executing", "starting subtest", "starting dynamic
 * subtest", "finished subtest <name>, <RESULT>", "exiting, ret=<n>".
 * Exit code: 0 if something passed and nothing failed, 77 if all skipped,
 * the first failure's code otherwise (98, or 128+signal after a crash),
 * 79 for a bad command line or an unknown subtest, 112 on abort.
 */
/* Our own log lines carry this domain: "(prog:pid) igt_core-INFO: ..." */
#define IGT_LOG_DOMAIN "igt_core"

#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "igt_lite_internal.h"

sigjmp_buf igt_lite_outer_jmp;
sigjmp_buf igt_lite_inner_jmp;

enum where {
	AT_TOP,		/* igt_main between blocks, or igt_simple_main */
	IN_FIXTURE,
	IN_SUBTEST,
	IN_PARENT,	/* igt_subtest_with_dynamic, outside its igt_dynamic */
	IN_DYNAMIC,
};

static const char *const where_name[] = {
	[AT_TOP] = "the test body",
	[IN_FIXTURE] = "igt_fixture",
	[IN_SUBTEST] = "igt_subtest",
	[IN_PARENT] = "igt_subtest_with_dynamic",
	[IN_DYNAMIC] = "igt_dynamic",
};

/* The legal arcs of the state machine, as bit masks of destinations. */
#define TO(w) (1u << (w))
static const unsigned int arcs[] = {
	[AT_TOP] = TO(IN_FIXTURE) | TO(IN_SUBTEST) | TO(IN_PARENT),
	[IN_FIXTURE] = TO(AT_TOP),
	[IN_SUBTEST] = TO(AT_TOP),
	[IN_PARENT] = TO(AT_TOP) | TO(IN_DYNAMIC),
	[IN_DYNAMIC] = TO(IN_PARENT),
};

enum verdict { PASSED, SKIPPED, FAILED, CRASHED };

static const char *const verdict_word[] = {
	[PASSED] = "SUCCESS",
	[SKIPPED] = "SKIP",
	[FAILED] = "FAIL",
	[CRASHED] = "CRASH",
};

struct block {
	char *name;		/* NULL when not open */
	struct timespec since;
};

#define DESC_DEPTH 32

static struct {
	bool subtests;		/* igt_main (true) or igt_simple_main */
	const char *prog;	/* basename of argv[0] */
	struct igt_lite_opts cl;	/* the command line */
	bool plain;		/* no colours on stdout */
	bool sentinel;		/* IGT_SENTINEL_ON_STDERR */

	enum where where;
	struct block sub;	/* the subtest or dynamic parent */
	struct block dyn;	/* the dynamic subtest */
	unsigned int dyn_counted;	/* dynamic subtests that did not skip */
	bool dyn_failed;
	enum verdict gate;	/* PASSED, or what a fixture did to the rest */

	unsigned int n_passed, n_skipped, n_failed;
	int code;		/* exit code so far */
	bool selected_any;	/* --run-subtest matched something */

	bool exiting;		/* igt_exit() reached */
	bool aborting;		/* igt_abort_on_f() fired */
	bool at_exit;		/* exit handlers running from atexit */

	char pending_desc[512];
	char *group_desc[DESC_DEPTH];
	int n_group_desc;
} st = { .code = IGT_EXIT_SUCCESS };

__noreturn __attribute__((format(printf, 1, 2)))
static void test_bug(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("igt-lite: test bug: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	fflush(stderr);
	abort();
}

static void move_to(enum where to)
{
	if (!(arcs[st.where] & TO(to)))
		test_bug("%s inside %s", where_name[to], where_name[st.where]);
	st.where = to;
}

static bool listing(void)
{
	return st.cl.list_subtests || st.cl.show_testlist;
}

/* exit() that the exit-without-igt_exit() guard lets through. */
__noreturn static void leave_process(int code)
{
	st.exiting = true;
	exit(code);
}

static void log_backtrace(void)
{
	void *pc[40];
	int n = backtrace(pc, 40);
	char **sym = backtrace_symbols(pc, n);

	igt_info("Backtrace:\n");
	for (int i = 1; i < n; i++)
		igt_info("  [%d] %s\n", i, sym ? sym[i] : "?");
	free(sym);
}

const char *igt_test_name(void)
{
	return st.prog;
}

const char *igt_subtest_name(void)
{
	return st.sub.name;
}

const char *igt_dynamic_subtest_name(void)
{
	return st.dyn.name;
}

bool igt_only_list_subtests(void)
{
	return listing();
}

bool igt_can_fail(void)
{
	return !st.subtests || st.where != AT_TOP;
}

/* ---- time --------------------------------------------------------------- */

int igt_gettime(struct timespec *ts)
{
	if (clock_gettime(CLOCK_MONOTONIC_RAW, ts) == 0 ||
	    clock_gettime(CLOCK_MONOTONIC, ts) == 0)
		return 0;

	memset(ts, 0, sizeof(*ts));
	igt_warn("no monotonic clock: %s\n", strerror(errno));
	return -errno;
}

double igt_time_elapsed(struct timespec *then, struct timespec *now)
{
	bool unset = (then->tv_sec == 0 && then->tv_nsec == 0) ||
		     (now->tv_sec == 0 && now->tv_nsec == 0);

	if (unset)
		return -1.0;
	return (double)(now->tv_sec - then->tv_sec) +
	       (double)(now->tv_nsec - then->tv_nsec) / 1e9;
}

uint64_t igt_nsec_elapsed(struct timespec *start)
{
	struct timespec now;
	int64_t ns;

	igt_gettime(&now);
	if (start->tv_sec == 0 && start->tv_nsec == 0) {
		*start = now;
		return 0;
	}
	ns = (int64_t)(now.tv_sec - start->tv_sec) * (int64_t)NSEC_PER_SEC;
	return (uint64_t)(ns + (now.tv_nsec - start->tv_nsec));
}

static double seconds_since(struct timespec *t0)
{
	struct timespec now;

	igt_gettime(&now);
	return igt_time_elapsed(t0, &now);
}

/* ---- protocol lines ------------------------------------------------------- */

static void announce(bool dynamic, const char *name)
{
	const char *what = dynamic ? "dynamic subtest" : "subtest";

	igt_info("Starting %s: %s\n", what, name);
	fflush(stdout);
	if (st.sentinel)
		igt_lite_log_line(stderr, "Starting %s: %s\n", what, name);
}

static void report(bool dynamic, const char *name, enum verdict v, double secs)
{
	const char *what = dynamic ? "Dynamic subtest" : "Subtest";
	const char *on = st.plain ? "" : "\x1b[1m";
	const char *off = st.plain ? "" : "\x1b[0m";

	igt_lite_log_line(stdout, "%s%s %s: %s (%.3fs)%s\n", on, what, name,
			  verdict_word[v], secs, off);
	if (st.sentinel)
		igt_lite_log_line(stderr, "%s %s: %s (%.3fs)\n", what, name,
				  verdict_word[v], secs);
}

/* On failure: the debug ring of the failing block goes to stderr. */
static void spill_debug_ring(void)
{
	char title[320];

	/* A parent failing for its failed dynamic subtest: already told. */
	if (st.where == IN_PARENT) {
		igt_lite_log_buffer_reset();
		return;
	}
	if (st.where == IN_DYNAMIC)
		snprintf(title, sizeof(title), "Dynamic subtest %s", st.dyn.name);
	else if (st.sub.name)
		snprintf(title, sizeof(title), "Subtest %s", st.sub.name);
	else
		snprintf(title, sizeof(title), "Test %s", st.prog);
	igt_lite_log_buffer_dump(title);
}

/* ---- outcomes ------------------------------------------------------------- */

/* The first failure decides the exit code. */
static void count_failure(int code)
{
	if (st.n_failed++ == 0)
		st.code = code;
}

/* What a block's verdict adds to the totals. */
static void tally(enum where w, enum verdict v)
{
	if (w == IN_DYNAMIC) {
		/* The parent's verdict is made from these two. */
		if (v != SKIPPED)
			st.dyn_counted++;
		if (v == FAILED)
			st.dyn_failed = true;
		return;
	}
	if (v == PASSED)
		st.n_passed++;
	/* skips are counted by igt_skip(), failures by igt_fail() and crashes */
}

static bool in_block(void)
{
	return st.where == IN_SUBTEST || st.where == IN_PARENT ||
	       st.where == IN_DYNAMIC;
}

/* Ends the innermost open block with @v and jumps back to its macro. */
__noreturn static void close_block(enum verdict v)
{
	bool dynamic = st.where == IN_DYNAMIC;
	struct block *b = dynamic ? &st.dyn : &st.sub;

	tally(st.where, v);
	report(dynamic, b->name, v, seconds_since(&b->since));
	igt_kmsg(KMSG_INFO "%s: finished subtest %s, %s\n", st.prog, b->name,
		 verdict_word[v]);
	free(b->name);
	b->name = NULL;

	if (dynamic) {
		/* what the dynamic subtest logged is not the parent's */
		igt_lite_log_buffer_reset();
		move_to(IN_PARENT);
		siglongjmp(igt_lite_inner_jmp, 1);
	}
	move_to(AT_TOP);
	siglongjmp(igt_lite_outer_jmp, 1);
}

/* A fixture gave up: the subtests after it in its group get @v. */
__noreturn static void drop_fixture(enum verdict v)
{
	st.gate = v;
	move_to(AT_TOP);
	siglongjmp(igt_lite_outer_jmp, 1);
}

/* Opens a (dynamic) subtest: kmsg, start line, fresh debug ring, clock. */
static void open_block(enum where w, char *name)
{
	struct block *b = w == IN_DYNAMIC ? &st.dyn : &st.sub;

	igt_kmsg(KMSG_INFO "%s: starting %s %s\n", st.prog,
		 w == IN_DYNAMIC ? "dynamic subtest" : "subtest", name);
	announce(w == IN_DYNAMIC, name);
	igt_lite_log_buffer_reset();
	move_to(w);
	b->name = name;
	igt_gettime(&b->since);
	if (w == IN_PARENT) {
		st.dyn_counted = 0;
		st.dyn_failed = false;
	}
}

void igt_lite_block_end(void)
{
	igt_success();
	/* igt_success() returns only outside blocks: the macros never get here */
	test_bug("a block ended outside any subtest");
}

void igt_success(void)
{
	switch (st.where) {
	case IN_PARENT:
		if (st.dyn_failed)
			igt_fail(IGT_EXIT_FAILURE);
		if (st.dyn_counted == 0)
			igt_skip("No dynamic tests executed.\n");
		close_block(PASSED);
	case IN_SUBTEST:
	case IN_DYNAMIC:
		close_block(PASSED);
	case AT_TOP:
	case IN_FIXTURE:
		st.n_passed++;
		break;
	}
}

void igt_skip(const char *f, ...)
{
	va_list ap;

	st.n_skipped++;
	if (!listing()) {
		va_start(ap, f);
		vprintf(f, ap);
		va_end(ap);
		fflush(stdout);
	}

	switch (st.where) {
	case IN_SUBTEST:
	case IN_PARENT:
	case IN_DYNAMIC:
		close_block(SKIPPED);
	case IN_FIXTURE:
		drop_fixture(SKIPPED);
	case AT_TOP:
		break;
	}
	if (st.subtests)
		test_bug("igt_skip() outside fixtures and subtests");
	st.code = IGT_EXIT_SKIP;
	igt_exit();
}

void igt_fail(int exitcode)
{
	if (exitcode == IGT_EXIT_SUCCESS || exitcode == IGT_EXIT_SKIP)
		test_bug("igt_fail(%d): that code is not a failure", exitcode);
	if (st.at_exit)
		_exit(IGT_EXIT_FAILURE); /* a check failed in an exit handler */
	if (st.where == AT_TOP && st.subtests)
		test_bug("failing outside fixtures and subtests");
	if (st.where == IN_PARENT && !st.dyn_failed)
		test_bug("igt_subtest_with_dynamic may only fail through its igt_dynamic blocks; "
			 "put the check in an igt_dynamic, or make it an igt_require");

	if (st.where != IN_DYNAMIC)
		count_failure(exitcode);
	spill_debug_ring();

	switch (st.where) {
	case IN_SUBTEST:
	case IN_PARENT:
	case IN_DYNAMIC:
		close_block(FAILED);
	case IN_FIXTURE:
		drop_fixture(FAILED);
	case AT_TOP:
		break;
	}
	igt_exit();
}

/*
 * The CRITICAL lines that explain a failed assertion or an abort: where,
 * the expression, errno if it was set, the test's message, a backtrace.
 */
static void explain(const char *domain, const char *where_line,
		    const char *func, const char *file, int line,
		    const char *expr_label, const char *expr, int err,
		    const char *f, va_list ap)
{
	igt_log(domain, IGT_LOG_CRITICAL, "%s %s, file %s:%i:\n", where_line,
		func, file, line);
	igt_log(domain, IGT_LOG_CRITICAL, "%s: %s\n", expr_label, expr);
	if (err)
		igt_log(domain, IGT_LOG_CRITICAL, "errno was %d (%s)\n", err,
			strerror(err));
	if (f)
		igt_vlog(domain, IGT_LOG_CRITICAL, f, ap);
	log_backtrace();
}

void igt_lite_requirement_failed(const char *file, int line, const char *func,
				 const char *expr, const char *f, ...)
{
	static char *why; /* igt_skip() does not return: freed next time */
	char err_note[160] = "";
	int err = errno;
	va_list ap;

	free(why);
	why = NULL;
	if (f) {
		va_start(ap, f);
		if (vasprintf(&why, f, ap) < 0)
			why = NULL;
		va_end(ap);
	}
	if (err)
		snprintf(err_note, sizeof(err_note), "errno was %d (%s)\n", err,
			 strerror(err));

	igt_skip("Test requirement not met in function %s, file %s:%i:\n"
		 "Test requirement: %s\n%s%s", func, file, line, expr,
		 why ? why : "", err_note);
}

void igt_lite_assertion_failed(const char *domain, const char *file, int line,
			       const char *func, const char *expr,
			       const char *f, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, f);
	explain(domain, "Test assertion failure function", func, file, line,
		"Failed assertion", expr, err, f, ap);
	va_end(ap);
	igt_fail(IGT_EXIT_FAILURE);
}

void igt_lite_abort_now(const char *domain, const char *file, int line,
			const char *func, const char *expr, const char *f, ...)
{
	int err = errno;
	va_list ap;

	st.aborting = true;
	igt_kmsg(KMSG_ERR "%s[%d]: Abort in function %s, file %s:%i, %s\n",
		 st.prog, getpid(), func, file, line, expr);
	va_start(ap, f);
	explain(domain, "Test abort in function", func, file, line,
		"abort condition", expr, err, f, ap);
	va_end(ap);
	spill_debug_ring();
	exit(IGT_EXIT_ABORT);
}

void igt_exit(void)
{
	st.exiting = true;

	if (st.cl.run_subtest && !st.selected_any) {
		igt_critical("Unknown subtest: %s\n", st.cl.run_subtest);
		exit(IGT_EXIT_INVALID);
	}
	if (listing())
		exit(IGT_EXIT_SUCCESS);

	if (st.subtests) {
		if (!st.n_passed && !st.n_skipped && !st.n_failed)
			test_bug("igt_main() ran no subtest and skipped or failed nothing");
		if (!st.n_failed)
			st.code = st.n_passed ? IGT_EXIT_SUCCESS : IGT_EXIT_SKIP;
	}

	igt_kmsg(KMSG_INFO "%s: exiting, ret=%d\n", st.prog, st.code);
	igt_debug("exit code %d\n", st.code);

	if (!st.subtests) {
		enum verdict v = st.code == IGT_EXIT_SUCCESS ? PASSED :
				 st.code == IGT_EXIT_SKIP ? SKIPPED : FAILED;

		igt_lite_log_line(stdout, "%s (%.3fs)\n", verdict_word[v],
				  seconds_since(&st.sub.since));
	}
	exit(st.code);
}

/* ---- blocks --------------------------------------------------------------- */

bool igt_lite_fixture_begin(void)
{
	if (!st.subtests)
		test_bug("igt_fixture in igt_simple_main");
	if (!(arcs[st.where] & TO(IN_FIXTURE)))
		test_bug("igt_fixture inside %s", where_name[st.where]);
	if (listing() || st.gate != PASSED)
		return false;
	move_to(IN_FIXTURE);
	return true;
}

bool igt_lite_fixture_end(void)
{
	move_to(AT_TOP);
	return false;
}

static char *format_name(const char *fmt, va_list ap)
{
	char *name;

	if (vasprintf(&name, fmt, ap) < 0)
		test_bug("out of memory for a subtest name");
	if (!igt_lite_valid_subtest_name(name)) {
		igt_critical("subtest name \"%s\": only A-Z, a-z, 0-9, '-' and '_' are allowed\n",
			     name);
		leave_process(IGT_EXIT_INVALID);
	}
	return name;
}

static void describe_subtest(const char *name, const char *file, int line)
{
	bool said = false;

	printf("SUB %s %s:%d:\n", name, file, line);
	for (int i = 0; i <= st.n_group_desc; i++) {
		const char *d = i < st.n_group_desc ? st.group_desc[i] : st.pending_desc;

		if (!*d)
			continue;
		igt_lite_print_wrapped(stdout, "  ", d);
		putchar('\n');
		said = true;
	}
	if (!said)
		fputs("  NO DOCUMENTATION!\n\n", stdout);
	fflush(stdout);
}

/*
 * Whether the subtest runs. When it does not, this is where listing,
 * describing and the fixture gate print what they print.
 */
static bool subtest_wanted(const char *name, const char *file, int line)
{
	if (st.cl.run_subtest) {
		if (!igt_lite_wildmat(name, st.cl.run_subtest)) {
			st.pending_desc[0] = '\0';
			return false;
		}
		st.selected_any = true;
	}

	if (st.cl.describe) {
		describe_subtest(name, file, line);
		st.pending_desc[0] = '\0';
		return false;
	}
	if (st.cl.show_testlist) {
		printf("igt@%s@%s\n", st.prog, name);
		return false;
	}
	if (st.cl.list_subtests) {
		printf("%s\n", name);
		return false;
	}
	if (st.gate != PASSED) {
		report(false, name, st.gate, 0.0);
		return false;
	}
	return true;
}

bool igt_lite_subtest_begin(enum igt_lite_kind kind, const char *file, int line,
			    const char *fmt, ...)
{
	enum where w = kind == IGT_LITE_DYNAMIC_PARENT ? IN_PARENT : IN_SUBTEST;
	va_list ap;
	char *name;

	if (!st.subtests || !(arcs[st.where] & TO(w)))
		test_bug("%s inside %s", where_name[w],
			 st.subtests ? where_name[st.where] : "igt_simple_main");

	va_start(ap, fmt);
	name = format_name(fmt, ap);
	va_end(ap);

	if (!subtest_wanted(name, file, line)) {
		free(name);
		return false;
	}
	open_block(w, name);
	return true;
}

bool igt_lite_dynamic_begin(const char *fmt, ...)
{
	va_list ap;
	char *name;

	if (st.where != IN_PARENT)
		test_bug("igt_dynamic inside %s", where_name[st.where]);

	va_start(ap, fmt);
	name = format_name(fmt, ap);
	va_end(ap);

	if (st.cl.dynamic_subtest && !igt_lite_wildmat(name, st.cl.dynamic_subtest)) {
		free(name);
		return false;
	}
	open_block(IN_DYNAMIC, name);
	return true;
}

struct igt_lite_group igt_lite_group_open(void)
{
	struct igt_lite_group g = { .saved_gate = st.gate };

	if (!st.subtests)
		test_bug("igt_subtest_group in igt_simple_main");
	if (st.pending_desc[0] && st.n_group_desc < DESC_DEPTH) {
		st.group_desc[st.n_group_desc++] = strdup(st.pending_desc);
		st.pending_desc[0] = '\0';
		g.pushed_description = true;
	}
	return g;
}

void igt_lite_group_close(struct igt_lite_group *group)
{
	if (group->pushed_description)
		free(st.group_desc[--st.n_group_desc]);
	st.gate = (enum verdict)group->saved_gate;
	group->closed = true;
}

void igt_describe_f(const char *fmt, ...)
{
	va_list ap;

	if (st.where == IN_PARENT || st.where == IN_DYNAMIC)
		test_bug("igt_describe inside %s: describe the subtest instead",
			 where_name[st.where]);
	if (!st.cl.describe)
		return;

	va_start(ap, fmt);
	vsnprintf(st.pending_desc, sizeof(st.pending_desc), fmt, ap);
	va_end(ap);
}

/* ---- exit handlers, signals, timeouts ------------------------------------ */

#define MAX_HANDLERS 10
static igt_exit_handler_t handlers[MAX_HANDLERS];
static int n_handlers;

static const struct fatal_signal {
	int sig;
	const char *name;	/* NULL: no message */
	bool crash;		/* the program's fault: CRASH, exit 128+sig */
} fatal_signals[] = {
	{ SIGINT, NULL, false },
	{ SIGHUP, NULL, false },
	{ SIGPIPE, NULL, false },
	{ SIGTERM, NULL, false },
	{ SIGQUIT, "SIGQUIT", false },	/* igt_runner's timeout */
	{ SIGABRT, "SIGABRT", false },
	{ SIGSEGV, "SIGSEGV", true },
	{ SIGBUS, "SIGBUS", true },
	{ SIGFPE, "SIGFPE", true },
};
#define N_FATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

static void default_dispositions(void)
{
	for (size_t i = 0; i < N_FATAL; i++)
		signal(fatal_signals[i].sig, SIG_DFL);
}

/* Each handler runs once, newest first, even if one of them dies. */
static void run_handlers(int sig)
{
	while (n_handlers > 0) {
		igt_exit_handler_t fn = handlers[--n_handlers];

		fn(sig);
	}
}

static void raw_stderr(const char *s)
{
	ssize_t r = write(STDERR_FILENO, s, strlen(s));

	(void)r;
}

static void on_fatal_signal(int sig)
{
	const struct fatal_signal *fs = NULL;

	for (size_t i = 0; i < N_FATAL; i++)
		if (fatal_signals[i].sig == sig)
			fs = &fatal_signals[i];

	if (fs && fs->name) {
		void *pc[40];
		int n = backtrace(pc, 40);

		raw_stderr("Received signal ");
		raw_stderr(fs->name);
		raw_stderr(".\nBacktrace:\n");
		backtrace_symbols_fd(pc, n, STDERR_FILENO);
	}

	if (fs && fs->crash) {
		count_failure(128 + sig);
		/* The run goes on with the next block, as in IGT. */
		if (in_block())
			close_block(CRASHED);
	}

	default_dispositions();
	run_handlers(sig);
	raise(sig); /* the default action, once this handler returns */
}

static void on_process_exit(void)
{
	st.at_exit = true;
	default_dispositions();
	run_handlers(0);
}

/* Installed first, so it runs last: catches returning from main. */
static void exit_guard(int sig)
{
	if (sig || st.exiting || st.aborting)
		return;
	fprintf(stderr, "igt-lite: %s left without igt_exit()\n",
		st.prog ? st.prog : "the test");
	fflush(stderr);
	abort();
}

static bool hook_signals(void)
{
	struct sigaction sa = { .sa_handler = on_fatal_signal, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_FATAL; i++)
		if (sigaction(fatal_signals[i].sig, &sa, NULL))
			return false;
	return atexit(on_process_exit) == 0;
}

void igt_install_exit_handler(igt_exit_handler_t fn)
{
	for (int i = 0; i < n_handlers; i++)
		if (handlers[i] == fn)
			return;

	igt_assert(n_handlers < MAX_HANDLERS);
	handlers[n_handlers++] = fn;
	if (n_handlers == 1 && !hook_signals()) {
		default_dispositions();
		n_handlers = 0;
		igt_assert_f(false, "cannot hook the fatal signals\n");
	}
}

static const char *alarm_what;

__noreturn static void on_alarm(int sig)
{
	(void)sig;
	igt_info("Timed out: %s\n", alarm_what ? alarm_what : "(no operation named)");
	igt_fail(IGT_EXIT_FAILURE);
}

void igt_set_timeout(unsigned int seconds, const char *op)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigemptyset(&sa.sa_mask);
	alarm_what = op;
	if (seconds)
		sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

void igt_reset_timeout(void)
{
	igt_set_timeout(0, NULL);
}

/* ---- start-up ------------------------------------------------------------- */

void igt_srandom(void)
{
	const char *env = getenv("IGT_SRANDOM");
	unsigned int seed = env ? (unsigned int)atoi(env) : (unsigned int)time(NULL);

	srandom(seed);
	igt_info("Random seed %d (set IGT_SRANDOM=%d to repeat)\n", (int)seed,
		 (int)seed);
}

/* Under memory pressure, the OOM killer should pick the test first. */
static void volunteer_for_oom(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return;
	r = write(fd, "1000", 4);
	(void)r;
	close(fd);
}

static void read_environment(void)
{
	const char *level = getenv("IGT_LOG_LEVEL");

	st.plain = getenv("IGT_PLAIN_OUTPUT") || !isatty(STDOUT_FILENO);
	st.sentinel = getenv("IGT_SENTINEL_ON_STDERR") != NULL;
	if (level)
		igt_lite_parse_log_level(level, &igt_log_level);
	/* IGT_RUNNER_SOCKET_FD is not honoured: igt-lite speaks only text. */
	errno = 0; /* isatty() leaves ENOTTY, which a first check would report */
}

/*
 * The command line asked for something other than running the test (or
 * for nothing a simple test can do): exits with the right code.
 */
static void settle_command_line(enum igt_lite_opts_result r)
{
	if (r == IGT_LITE_OPTS_CONFLICT)
		test_bug("the test's own options clash with the core options");

	if (!st.subtests) {
		if (st.cl.run_subtest) {
			igt_warn("Unknown subtest: %s\n", st.cl.run_subtest);
			leave_process(IGT_EXIT_INVALID);
		}
		if (st.cl.show_testlist) {
			printf("igt@%s\n", st.prog);
			leave_process(IGT_EXIT_SUCCESS);
		}
		if (st.cl.list_subtests)
			leave_process(IGT_EXIT_INVALID);
	}
	if (r == IGT_LITE_OPTS_EXIT_OK)
		leave_process(IGT_EXIT_SUCCESS);
	if (r != IGT_LITE_OPTS_RUN)
		leave_process(IGT_EXIT_INVALID);
}

static void start_up(bool subtests, int *argc, char **argv,
		     const char *short_opts, const struct option *long_opts,
		     const char *help_str, igt_opt_handler_t handler, void *data)
{
	const char *slash = strrchr(argv[0], '/');
	enum igt_lite_opts_result r;
	char version[256];
	void *warm_up;

	st.subtests = subtests;
	st.prog = slash ? slash + 1 : argv[0];
	read_environment();
	backtrace(&warm_up, 1); /* loads libgcc_s now, not in a signal handler */

	r = igt_lite_parse_opts(&st.cl, argc, argv, short_opts, long_opts,
				help_str, handler, data,
				&igt_lite_test_description ? igt_lite_test_description : NULL,
				stdout, stderr);
	fflush(stdout);
	if (st.cl.debug) {
		igt_log_level = IGT_LOG_DEBUG;
		igt_lite_log_set_domain_filter(st.cl.debug_domain);
	}
	settle_command_line(r);

	if (!listing()) {
		igt_kmsg(KMSG_INFO "%s: executing\n", st.prog);
		igt_lite_version_string(version, sizeof(version));
		igt_info("%s", version);
		igt_srandom();
		volunteer_for_oom();
	}
	igt_install_exit_handler(exit_guard);
	if (!subtests)
		igt_gettime(&st.sub.since);
}

/* The public entry points: igt_main_args() and igt_simple_main_args() use igt_lite_main(). */
int igt_subtest_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data)
{
	start_up(true, argc, argv, extra_short_opts, extra_long_opts, help_str,
		 extra_opt_handler, handler_data);
	return 0;
}

void igt_simple_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data)
{
	start_up(false, argc, argv, extra_short_opts, extra_long_opts, help_str,
		 extra_opt_handler, handler_data);
}

void igt_lite_main(bool with_subtests, int *argc, char **argv,
		   const char *short_opts, const struct option *long_opts,
		   const char *help_str, igt_opt_handler_t handler,
		   void *handler_data, igt_lite_body_t body)
{
	start_up(with_subtests, argc, argv, short_opts, long_opts, help_str,
		 handler, handler_data);
	body();
	igt_exit();
}
