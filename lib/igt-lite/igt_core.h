/* SPDX-License-Identifier: MIT */
/*
 * igt-lite: the subset of IGT's lib/igt_core.h that the xe-migtest tests use.
 *
 * Same names, same semantics and same runner text protocol as upstream IGT
 * (2.3+ syntax: `int igt_main()`, `igt_fixture()`, `igt_subtest_group()`),
 * so that a test builds unchanged against lib/igt-lite or a real IGT tree.
 * Nothing here may exist that real IGT does not have; igt-lite internals
 * live in igt_lite_internal.h and are for igt-lite's own unit tests only.
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
extern const char *__igt_test_description __attribute__((weak));
#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = str

extern bool __igt_plain_output;

#define __igt_tokencat2(x, y) x ## y
#define igt_tokencat(x, y) __igt_tokencat2(x, y)
#define igt_unique(prefix) \
	igt_tokencat(igt_tokencat(__igt_unique__, prefix), __LINE__)

/* ---- option parsing ---------------------------------------------------- */

typedef int (*igt_opt_handler_t)(int opt, int opt_index, void *data);
#define IGT_OPT_HANDLER_SUCCESS 0
#define IGT_OPT_HANDLER_ERROR -2

int igt_subtest_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data);
void igt_simple_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data);

#define igt_subtest_init(argc, argv) \
	igt_subtest_init_parse_opts(&argc, argv, NULL, NULL, NULL, NULL, NULL)
#define igt_simple_init(argc, argv) \
	igt_simple_init_parse_opts(&argc, argv, NULL, NULL, NULL, NULL, NULL)

/* ---- test skeleton ------------------------------------------------------- */

extern sigjmp_buf igt_subtest_jmpbuf;
extern sigjmp_buf igt_dynamic_jmpbuf;

bool __igt_fixture(void);
void __igt_fixture_complete(void);
__noreturn void __igt_fixture_end(void);
bool __igt_run_subtest(const char *subtest_name, const char *file, const int line);
bool __igt_enter_dynamic_container(void);
bool __igt_run_dynamic_subtest(const char *dynamic_subtest_name);
void __igt_subtest_group_save(int *save, int *desc);
void __igt_subtest_group_restore(int save, int desc);

/*
 * `int igt_main() { ... }` expands to main(), which parses the command line,
 * runs the body and exits through igt_exit() with IGT's exit code.
 */
#define igt_main_args(short_opts, long_opts, help_str, opt_handler, handler_data) \
	main(int argc, char **argv); \
	static void igt_unique(__real_main)(void); \
	int main(int argc, char **argv) \
	{ \
		igt_subtest_init_parse_opts(&argc, argv, short_opts, long_opts, \
					    help_str, opt_handler, handler_data); \
		igt_unique(__real_main)(); \
		igt_exit(); \
	} \
	static void igt_unique(__real_main)(void)

#define igt_main() igt_main_args(NULL, NULL, NULL, NULL, NULL)

#define igt_simple_main_args(short_opts, long_opts, help_str, opt_handler, handler_data) \
	main(int argc, char **argv); \
	static void igt_unique(__real_main)(void); \
	int main(int argc, char **argv) \
	{ \
		igt_simple_init_parse_opts(&argc, argv, short_opts, long_opts, \
					   help_str, opt_handler, handler_data); \
		igt_unique(__real_main)(); \
		igt_exit(); \
	} \
	static void igt_unique(__real_main)(void)

#define igt_simple_main() igt_simple_main_args(NULL, NULL, NULL, NULL, NULL)

/*
 * Each block is a one-shot for loop: the guard decides whether the body
 * runs, sigsetjmp() is where skip/fail/success jump back to, and leaving
 * the body normally completes it. A jump back makes sigsetjmp() return 1,
 * which ends the loop.
 */
#define igt_fixture() \
	for (volatile int igt_unique(__fixture_pass) = 0; \
	     igt_unique(__fixture_pass) == 0 && __igt_fixture() && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_unique(__fixture_pass) = 1, __igt_fixture_complete())

#define igt_subtest(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

#define __igt_subtest_f(buf, fmt...) \
	for (char buf[256]; \
	     snprintf(buf, sizeof(buf), fmt), \
	     __igt_run_subtest(buf, __FILE__, __LINE__) && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())
#define igt_subtest_f(fmt...) __igt_subtest_f(igt_unique(__subtest_name), fmt)

#define igt_subtest_with_dynamic(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	     __igt_enter_dynamic_container() && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

#define __igt_subtest_with_dynamic_f(buf, fmt...) \
	for (char buf[256]; \
	     snprintf(buf, sizeof(buf), fmt), \
	     __igt_run_subtest(buf, __FILE__, __LINE__) && \
	     __igt_enter_dynamic_container() && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())
#define igt_subtest_with_dynamic_f(fmt...) \
	__igt_subtest_with_dynamic_f(igt_unique(__subtest_name), fmt)

#define igt_dynamic(name) \
	for (; __igt_run_dynamic_subtest((name)) && \
	     sigsetjmp(igt_dynamic_jmpbuf, 1) == 0; \
	     igt_success())

#define __igt_dynamic_f(buf, fmt...) \
	for (char buf[256]; \
	     snprintf(buf, sizeof(buf), fmt), \
	     __igt_run_dynamic_subtest(buf) && \
	     sigsetjmp(igt_dynamic_jmpbuf, 1) == 0; \
	     igt_success())
#define igt_dynamic_f(fmt...) __igt_dynamic_f(igt_unique(__dynamic_name), fmt)

/* Scopes fixtures, requirements and descriptions. */
#define igt_subtest_group() \
	for (int igt_unique(__group_pass) = 0, igt_unique(__group_save) = 0, \
	     igt_unique(__group_desc) = 0; \
	     igt_unique(__group_pass) == 0 && \
	     (__igt_subtest_group_save(&igt_unique(__group_save), \
				       &igt_unique(__group_desc)), true); \
	     igt_unique(__group_pass) = 1, \
	     __igt_subtest_group_restore(igt_unique(__group_save), \
					 igt_unique(__group_desc)))

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
__noreturn __attribute__((format(printf, 5, 6)))
void __igt_skip_check(const char *file, const int line, const char *func,
		      const char *check, const char *format, ...);
#define igt_skip_check(E, F...) \
	__igt_skip_check(__FILE__, __LINE__, __func__, E, F)

__noreturn __attribute__((format(printf, 6, 7)))
void __igt_fail_assert(const char *domain, const char *file, const int line,
		       const char *func, const char *assertion,
		       const char *format, ...);
__noreturn __attribute__((format(printf, 6, 7)))
void __igt_abort(const char *domain, const char *file, const int line,
		 const char *func, const char *expression, const char *f, ...);

#define igt_assert(expr) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, #expr, NULL); \
	} while (0)

#define igt_assert_f(expr, f...) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, #expr, f); \
	} while (0)

#define igt_fail_on(expr) igt_assert(!(expr))
#define igt_fail_on_f(expr, f...) igt_assert_f(!(expr), f)

/* Typed comparison: evaluates each operand once, prints both on failure. */
#define __igt_assert_cmp(type, fmt, cast, n1, cmp, ncmp, n2) \
	do { \
		type __cmp_a = (n1), __cmp_b = (n2); \
		if (!(__cmp_a cmp __cmp_b)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, #n1 " " #cmp " " #n2, \
					  "error: " fmt " " #ncmp " " fmt "\n", \
					  (cast)__cmp_a, (cast)__cmp_b); \
	} while (0)

#define igt_assert_cmpint(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(int, "%d", int, n1, cmp, ncmp, n2)
#define igt_assert_cmpuint(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(uint32_t, "%#x", unsigned int, n1, cmp, ncmp, n2)
#define igt_assert_cmps64(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(int64_t, "%lld", long long, n1, cmp, ncmp, n2)
#define igt_assert_cmpu64(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(uint64_t, "%#llx", unsigned long long, n1, cmp, ncmp, n2)
#define igt_assert_cmpdouble(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(double, "%#lf", double, n1, cmp, ncmp, n2)
#define igt_assert_cmpptr(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(const void *, "%p", const void *, n1, cmp, ncmp, n2)

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
			__igt_abort(IGT_LOG_DOMAIN, __FILE__, __LINE__, __func__, \
				    #expr, f); \
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

#define igt_warn_on(condition) ({ \
		typeof(condition) __warn_ret = (condition); \
		if (__warn_ret) \
			igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
				 #condition, __func__, __FILE__, __LINE__); \
		__warn_ret; \
	})

#define igt_warn_on_f(condition, f...) ({ \
		typeof(condition) __warn_ret = (condition); \
		if (__warn_ret) { \
			igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
				 #condition, __func__, __FILE__, __LINE__); \
			igt_warn(f); \
		} \
		__warn_ret; \
	})

#define igt_debug_on(condition) ({ \
		typeof(condition) __debug_ret = (condition); \
		if (__debug_ret) \
			igt_debug("Condition %s occurred in function %s, file %s:%i\n", \
				  #condition, __func__, __FILE__, __LINE__); \
		__debug_ret; \
	})

#define igt_debug_on_f(condition, f...) ({ \
		typeof(condition) __debug_ret = (condition); \
		if (__debug_ret) { \
			igt_debug("condition %s occurred in function %s, file %s:%i\n", \
				  #condition, __func__, __FILE__, __LINE__); \
			igt_debug(f); \
		} \
		__debug_ret; \
	})

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
