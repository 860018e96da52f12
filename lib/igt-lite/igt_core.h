/* SPDX-License-Identifier: MIT */
/*
 * igt-lite: the subset of IGT's lib/igt_core.h that the xe-migtest tests use.
 *
 * Same names, same semantics and same runner text protocol as upstream IGT
 * (2.3+ syntax: `int igt_main()`, `igt_fixture()`, `igt_subtest_group()`),
 * so that a test builds unchanged against lib/igt-lite or a real IGT tree.
 * Nothing here may exist that real IGT does not have, except the igt_lite_*
 * machinery the macros expand to (never call it from a test: it would not
 * build against IGT). Other igt-lite internals live in igt_lite_internal.h,
 * for igt-lite's own unit tests only. The macro bodies are igt-lite's own;
 * only their names and behaviour follow IGT's documentation.
 */
#ifndef IGT_CORE_H
#define IGT_CORE_H

#include <assert.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#ifndef IGT_LOG_DOMAIN
#define IGT_LOG_DOMAIN (NULL)
#endif

#ifndef __noreturn
#define __noreturn __attribute__((noreturn))
#endif
#ifndef __maybe_unused
#define __maybe_unused __attribute__((unused))
#endif

/* Exit codes, as IGT and igt_runner define them. */
#define IGT_EXIT_SUCCESS 0
#define IGT_EXIT_SKIP    77
#define IGT_EXIT_INVALID 79
#define IGT_EXIT_FAILURE 98
#define IGT_EXIT_ABORT   112

/* Binary-level description, printed by --help-description and --describe. */
extern const char *igt_lite_test_description __attribute__((weak));
#define IGT_TEST_DESCRIPTION(str) const char *igt_lite_test_description = str

#define __igt_tokencat2(x, y) x ## y
#define igt_tokencat(x, y) __igt_tokencat2(x, y)
#define igt_unique(prefix) \
	igt_tokencat(igt_tokencat(__igt_unique__, prefix), __LINE__)

/* ---- option parsing ---------------------------------------------------- */

typedef int (*igt_opt_handler_t)(int opt, int opt_index, void *data);
#define IGT_OPT_HANDLER_SUCCESS 0
#define IGT_OPT_HANDLER_ERROR -2

int igt_subtest_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data);
void igt_simple_init_parse_opts(int *argc, char **argv, const char *extra_short_opts,
				const struct option *extra_long_opts, const char *help_str,
				igt_opt_handler_t extra_opt_handler, void *handler_data);

#define igt_subtest_init(argc, argv) \
	igt_subtest_init_parse_opts(&argc, argv, NULL, NULL, NULL, NULL, NULL)
#define igt_simple_init(argc, argv) \
	igt_simple_init_parse_opts(&argc, argv, NULL, NULL, NULL, NULL, NULL)

/*
 * ---- igt-lite machinery behind the block macros -------------------------
 * Not IGT API: tests use only the macros. Every block is a for loop whose
 * init asks igt-lite whether the block runs, whose condition sets the
 * sigsetjmp() target that skip/fail/crash/success jump back to (making the
 * condition false), and whose increment ends a block that ran to its end.
 */
extern sigjmp_buf igt_lite_outer_jmp;	/* fixture, subtest */
extern sigjmp_buf igt_lite_inner_jmp;	/* dynamic subtest */

enum igt_lite_kind { IGT_LITE_PLAIN_SUBTEST, IGT_LITE_DYNAMIC_PARENT };

struct igt_lite_group {
	bool closed;
	int saved_gate;
	bool pushed_description;
};

typedef void (*igt_lite_body_t)(void);

__noreturn void igt_lite_main(bool with_subtests, int *argc, char **argv,
			      const char *short_opts,
			      const struct option *long_opts,
			      const char *help_str, igt_opt_handler_t handler,
			      void *handler_data, igt_lite_body_t body);
bool igt_lite_fixture_begin(void);
bool igt_lite_fixture_end(void);
__attribute__((format(printf, 4, 5)))
bool igt_lite_subtest_begin(enum igt_lite_kind kind, const char *file, int line,
			    const char *fmt, ...);
__attribute__((format(printf, 1, 2)))
bool igt_lite_dynamic_begin(const char *fmt, ...);
__noreturn void igt_lite_block_end(void);
struct igt_lite_group igt_lite_group_open(void);
void igt_lite_group_close(struct igt_lite_group *group);

#define igt_lite_main_with(subtests, so, lo, hs, oh, hd) \
	main(int argc, char **argv); \
	static void igt_unique(__real_main)(void); \
	int main(int argc, char **argv) \
	{ \
		igt_lite_main(subtests, &argc, argv, so, lo, hs, oh, hd, \
			      igt_unique(__real_main)); \
	} \
	static void igt_unique(__real_main)(void)

#define igt_lite_run_block(start, jmp) \
	for (bool igt_unique(__block_runs) = (start); \
	     igt_unique(__block_runs) && sigsetjmp(jmp, 1) == 0; \
	     igt_lite_block_end())

/* ---- test skeleton ------------------------------------------------------- */

/* `int igt_main() { ... }`: main() parses the command line, runs the body, igt_exit()s. */
#define igt_main_args(short_opts, long_opts, help_str, opt_handler, handler_data) \
	igt_lite_main_with(true, short_opts, long_opts, help_str, opt_handler, \
			   handler_data)
#define igt_main() igt_main_args(NULL, NULL, NULL, NULL, NULL)

#define igt_simple_main_args(short_opts, long_opts, help_str, opt_handler, handler_data) \
	igt_lite_main_with(false, short_opts, long_opts, help_str, opt_handler, \
			   handler_data)
#define igt_simple_main() igt_simple_main_args(NULL, NULL, NULL, NULL, NULL)

#define igt_fixture() \
	for (bool igt_unique(__fixture_runs) = igt_lite_fixture_begin(); \
	     igt_unique(__fixture_runs) && sigsetjmp(igt_lite_outer_jmp, 1) == 0; \
	     igt_unique(__fixture_runs) = igt_lite_fixture_end())

#define igt_subtest_f(f...) \
	igt_lite_run_block(igt_lite_subtest_begin(IGT_LITE_PLAIN_SUBTEST, \
						  __FILE__, __LINE__, f), \
			   igt_lite_outer_jmp)
#define igt_subtest(name) igt_subtest_f("%s", (name))

#define igt_subtest_with_dynamic_f(f...) \
	igt_lite_run_block(igt_lite_subtest_begin(IGT_LITE_DYNAMIC_PARENT, \
						  __FILE__, __LINE__, f), \
			   igt_lite_outer_jmp)
#define igt_subtest_with_dynamic(name) igt_subtest_with_dynamic_f("%s", (name))

#define igt_dynamic_f(f...) \
	igt_lite_run_block(igt_lite_dynamic_begin(f), igt_lite_inner_jmp)
#define igt_dynamic(name) igt_dynamic_f("%s", (name))

/* Scopes fixtures, requirements and descriptions. */
#define igt_subtest_group() \
	for (struct igt_lite_group igt_unique(__group) = igt_lite_group_open(); \
	     !igt_unique(__group).closed; \
	     igt_lite_group_close(&igt_unique(__group)))

const char *igt_test_name(void);
const char *igt_subtest_name(void);
const char *igt_dynamic_subtest_name(void);
bool igt_only_list_subtests(void);
bool igt_can_fail(void);

__attribute__((format(printf, 1, 2)))
void igt_describe_f(const char *fmt, ...);
#define igt_describe(dsc) igt_describe_f("%s", dsc)

/* ---- results ------------------------------------------------------------- */

void igt_success(void);
__noreturn void igt_fail(int exitcode);
__noreturn void igt_exit(void);

__noreturn __attribute__((format(printf, 1, 2)))
void igt_skip(const char *f, ...);

/* igt-lite machinery behind the checks below; not IGT API. */
__noreturn __attribute__((format(printf, 5, 6)))
void igt_lite_requirement_failed(const char *file, int line, const char *func,
				 const char *expr, const char *f, ...);
__noreturn __attribute__((format(printf, 6, 7)))
void igt_lite_assertion_failed(const char *domain, const char *file, int line,
			       const char *func, const char *expr,
			       const char *f, ...);
__noreturn __attribute__((format(printf, 6, 7)))
void igt_lite_abort_now(const char *domain, const char *file, int line,
			const char *func, const char *expr, const char *f, ...);

#define igt_skip_check(E, F...) \
	igt_lite_requirement_failed(__FILE__, __LINE__, __func__, E, F)

#define igt_assert_f(expr, f...) \
	do { \
		if (!(expr)) \
			igt_lite_assertion_failed(IGT_LOG_DOMAIN, __FILE__, \
						  __LINE__, __func__, #expr, f); \
	} while (0)
#define igt_assert(expr) \
	do { \
		if (!(expr)) \
			igt_lite_assertion_failed(IGT_LOG_DOMAIN, __FILE__, \
						  __LINE__, __func__, #expr, NULL); \
	} while (0)

#define igt_fail_on(expr) igt_assert(!(expr))
#define igt_fail_on_f(expr, f...) igt_assert_f(!(expr), f)

/* Typed comparison: each operand evaluated once, both printed on failure. */
#define igt_lite_compare(T, fmt, P, a, op, not_op, b) \
	do { \
		T igt_unique(__lhs) = (a); \
		T igt_unique(__rhs) = (b); \
		if (!(igt_unique(__lhs) op igt_unique(__rhs))) \
			igt_lite_assertion_failed(IGT_LOG_DOMAIN, __FILE__, \
				__LINE__, __func__, #a " " #op " " #b, \
				"error: " fmt " " #not_op " " fmt "\n", \
				(P)igt_unique(__lhs), (P)igt_unique(__rhs)); \
	} while (0)

#define igt_assert_cmpint(n1, cmp, ncmp, n2) \
	igt_lite_compare(int, "%d", int, n1, cmp, ncmp, n2)
#define igt_assert_cmpuint(n1, cmp, ncmp, n2) \
	igt_lite_compare(uint32_t, "%#x", unsigned int, n1, cmp, ncmp, n2)
#define igt_assert_cmps64(n1, cmp, ncmp, n2) \
	igt_lite_compare(int64_t, "%lld", long long, n1, cmp, ncmp, n2)
#define igt_assert_cmpu64(n1, cmp, ncmp, n2) \
	igt_lite_compare(uint64_t, "%#llx", unsigned long long, n1, cmp, ncmp, n2)
#define igt_assert_cmpdouble(n1, cmp, ncmp, n2) \
	igt_lite_compare(double, "%#lf", double, n1, cmp, ncmp, n2)
#define igt_assert_cmpptr(n1, cmp, ncmp, n2) \
	igt_lite_compare(const void *, "%p", const void *, n1, cmp, ncmp, n2)

#define igt_assert_eq(n1, n2) igt_assert_cmpint(n1, ==, !=, n2)
#define igt_assert_neq(n1, n2) igt_assert_cmpint(n1, !=, ==, n2)
#define igt_assert_lt(n1, n2) igt_assert_cmpint(n1, <, >=, n2)
#define igt_assert_lte(n1, n2) igt_assert_cmpint(n1, <=, >, n2)
/* No igt_assert_gt/gte: real IGT has none; swap the operands of lt/lte. */

#define igt_assert_eq_u32(n1, n2) igt_assert_cmpuint(n1, ==, !=, n2)
#define igt_assert_neq_u32(n1, n2) igt_assert_cmpuint(n1, !=, ==, n2)
#define igt_assert_lt_u32(n1, n2) igt_assert_cmpuint(n1, <, >=, n2)
#define igt_assert_lte_u32(n1, n2) igt_assert_cmpuint(n1, <=, >, n2)

#define igt_assert_eq_s64(n1, n2) igt_assert_cmps64(n1, ==, !=, n2)
#define igt_assert_lt_s64(n1, n2) igt_assert_cmps64(n1, <, >=, n2)
#define igt_assert_lte_s64(n1, n2) igt_assert_cmps64(n1, <=, >, n2)

#define igt_assert_eq_u64(n1, n2) igt_assert_cmpu64(n1, ==, !=, n2)
#define igt_assert_neq_u64(n1, n2) igt_assert_cmpu64(n1, !=, ==, n2)
#define igt_assert_lt_u64(n1, n2) igt_assert_cmpu64(n1, <, >=, n2)
#define igt_assert_lte_u64(n1, n2) igt_assert_cmpu64(n1, <=, >, n2)

#define igt_assert_eq_double(n1, n2) igt_assert_cmpdouble(n1, ==, !=, n2)
#define igt_assert_neq_double(n1, n2) igt_assert_cmpdouble(n1, !=, ==, n2)

#define igt_assert_eq_ptr(n1, n2) igt_assert_cmpptr(n1, ==, !=, n2)
#define igt_assert_neq_ptr(n1, n2) igt_assert_cmpptr(n1, !=, ==, n2)

#define igt_assert_fd(fd) \
	igt_assert_f(fd >= 0, "file descriptor " #fd " failed\n")

#define igt_require(expr) \
	do { \
		if (!(expr)) \
			igt_skip_check(#expr, NULL); \
		else \
			igt_debug("Test requirement passed: %s\n", #expr); \
	} while (0)

#define igt_require_f(expr, f...) \
	do { \
		if (!(expr)) \
			igt_skip_check(#expr, f); \
		else \
			igt_debug("Test requirement passed: %s\n", #expr); \
	} while (0)

#define igt_require_fd(fd) \
	igt_require_f(fd >= 0, "file descriptor " #fd " failed\n")

#define igt_skip_on(expr) \
	do { \
		if ((expr)) \
			igt_skip_check("!(" #expr ")", NULL); \
		else \
			igt_debug("Test requirement passed: !(%s)\n", #expr); \
	} while (0)

#define igt_skip_on_f(expr, f...) \
	do { \
		if ((expr)) \
			igt_skip_check("!(" #expr ")", f); \
		else \
			igt_debug("Test requirement passed: !(%s)\n", #expr); \
	} while (0)

/* Exits with IGT_EXIT_ABORT: igt_runner stops the whole run. */
#define igt_abort_on_f(expr, f...) \
	do { \
		if ((expr)) \
			igt_lite_abort_now(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					   __func__, #expr, f); \
	} while (0)

/* ---- exit handlers and timeouts ----------------------------------------- */

typedef void (*igt_exit_handler_t)(int sig);
void igt_install_exit_handler(igt_exit_handler_t fn);

void igt_set_timeout(unsigned int seconds, const char *op);
void igt_reset_timeout(void);

/* Seeds random() from IGT_SRANDOM or the time, and says which seed. */
void igt_srandom(void);

int igt_gettime(struct timespec *ts);
double igt_time_elapsed(struct timespec *then, struct timespec *now);
uint64_t igt_nsec_elapsed(struct timespec *start);
static inline uint32_t igt_seconds_elapsed(struct timespec *start)
{
	return igt_nsec_elapsed(start) >> 30;
}

/* ---- logging ------------------------------------------------------------- */

enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};
extern enum igt_log_level igt_log_level;

__attribute__((format(printf, 3, 4)))
void igt_log(const char *domain, enum igt_log_level level, const char *format, ...);
__attribute__((format(printf, 3, 0)))
void igt_vlog(const char *domain, enum igt_log_level level, const char *format,
	      va_list args);

#define igt_debug(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_DEBUG, f)
#define igt_info(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_INFO, f)
#define igt_warn(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_WARN, f)
#define igt_critical(f...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_CRITICAL, f)

typedef bool (*igt_buffer_log_handler_t)(const char *line, void *data);
void igt_log_buffer_inspect(igt_buffer_log_handler_t check, void *data);

/*
 * igt_warn_on() and friends evaluate to the condition's value and log one
 * line (plus the test's own, for the _f forms) when it is true.
 */
#define igt_lite_log_if(level, what, cond, cond_text, more) ({ \
		typeof(cond) igt_unique(__hit) = (cond); \
		if (igt_unique(__hit)) { \
			igt_log(IGT_LOG_DOMAIN, level, \
				what " %s in function %s, file %s:%i\n", \
				cond_text, __func__, __FILE__, __LINE__); \
			more; \
		} \
		igt_unique(__hit); \
	})
#define igt_warn_on(condition) \
	igt_lite_log_if(IGT_LOG_WARN, "Warning on condition", condition, \
			#condition, (void)0)
#define igt_warn_on_f(condition, f...) \
	igt_lite_log_if(IGT_LOG_WARN, "Warning on condition", condition, \
			#condition, igt_warn(f))
#define igt_debug_on(condition) \
	igt_lite_log_if(IGT_LOG_DEBUG, "Debug condition", condition, \
			#condition, (void)0)
#define igt_debug_on_f(condition, f...) \
	igt_lite_log_if(IGT_LOG_DEBUG, "Debug condition", condition, \
			#condition, igt_debug(f))

/* /dev/kmsg; failures are ignored. */
__attribute__((format(printf, 1, 2)))
void igt_kmsg(const char *format, ...);
#define KMSG_EMER	"<0>[IGT] "
#define KMSG_ALERT	"<1>[IGT] "
#define KMSG_CRIT	"<2>[IGT] "
#define KMSG_ERR	"<3>[IGT] "
#define KMSG_WARNING	"<4>[IGT] "
#define KMSG_NOTICE	"<5>[IGT] "
#define KMSG_INFO	"<6>[IGT] "

/*
 * Kernel log records matching the POSIX extended regex, from now on in
 * this test, are expected: the runner does not count them as dmesg
 * warnings (IGT's igt_emit_ignore_dmesg_regex(), a kmsg record
 * "<binary>: add ignored dmesg regex: <regex>").
 */
void igt_emit_ignore_dmesg_regex(const char *regex);
#define KMSG_DEBUG	"<7>[IGT] "

#define MSEC_PER_SEC (1000ul)
#define USEC_PER_MSEC (1000ul)
#define NSEC_PER_USEC (1000ul)
#define USEC_PER_SEC (1000u * MSEC_PER_SEC)
#define NSEC_PER_SEC (1000u * USEC_PER_SEC)
#define NSEC_PER_MSEC (1000u * USEC_PER_MSEC)

#endif /* IGT_CORE_H */
