/* SPDX-License-Identifier: MIT */
/*
 * igt-lite internals shared between its source files and exposed to its
 * unit tests (tests/unit/test_igt_*.c). Not part of the IGT API: test
 * binaries must never include this header, they would not build against
 * real IGT.
 */
#ifndef IGT_LITE_INTERNAL_H
#define IGT_LITE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "igt_core.h"

/* The version string after "IGT-Version: " starts with this. */
#define IGT_LITE_VERSION "2.3-igt-lite"

/*
 * igt-lite only: when set, kmsg records go to this file instead of
 * /dev/kmsg (appended, one record per write). Used by the protocol tests.
 */
#define IGT_LITE_KMSG_ENV "IGT_LITE_KMSG_PATH"

/* ---- igt_match.c ---------------------------------------------------------- */

/*
 * IGT's uwildmat(): @pattern is a comma-separated list of wildmat patterns
 * (`*`, `?`, `[a-z]`, `[^...]`, `\` escapes), each optionally prefixed by
 * `!` to negate it; the last pattern that matches decides. Like IGT's copy,
 * an upper-case character in @text also matches its lower-case form in
 * @pattern.
 */
bool igt_lite_wildmat(const char *text, const char *pattern);

/* A subtest or dynamic subtest name may only use [A-Za-z0-9_-]. */
bool igt_lite_valid_subtest_name(const char *name);

/* ---- igt_opts.c ----------------------------------------------------------- */

enum igt_lite_opts_result {
	IGT_LITE_OPTS_RUN = 0,		/* go on and run the test */
	IGT_LITE_OPTS_EXIT_OK,		/* --help, --help-description, --version */
	IGT_LITE_OPTS_EXIT_INVALID,	/* bad option or handler error: exit 79 */
	IGT_LITE_OPTS_CONFLICT,		/* test options clash with core ones: a bug */
};

struct igt_lite_opts {
	bool list_subtests;
	bool show_testlist;
	bool describe;
	char *run_subtest;		/* wildmat list, NULL for all */
	char *dynamic_subtest;		/* wildmat list, NULL for all */
	bool debug;
	char *debug_domain;		/* --debug=<domain>, NULL for all */
	char *device;			/* --device, accepted and kept */
	bool skip_crc_compare;
	bool trace_on_oops;
	char *interactive_debug;
	int handler_ret;		/* last non-zero test handler return */
};

/*
 * Parses IGT's core options plus the test's own, getopt_long-merged as IGT
 * does (test options first; their names and values must not clash with the
 * core ones). Messages (--help, --help-description, --describe's test
 * description, usage after a bad option) go to @out / @err. On return
 * argv[1..*argc-1] hold the non-option arguments. Never exits.
 */
enum igt_lite_opts_result
igt_lite_parse_opts(struct igt_lite_opts *opts, int *argc, char **argv,
		    const char *extra_short_opts,
		    const struct option *extra_long_opts,
		    const char *help_str,
		    igt_opt_handler_t extra_opt_handler, void *handler_data,
		    const char *test_description, FILE *out, FILE *err);

void igt_lite_opts_free(struct igt_lite_opts *opts);

/* The "IGT-Version: ..." line (with its newline) that starts a run's output. */
void igt_lite_version_string(char *buf, size_t size);

/* IGT_LOG_LEVEL: debug|info|warn|critical|none; false if not recognised. */
bool igt_lite_parse_log_level(const char *s, enum igt_log_level *level);

/* Prints @text word-wrapped at 80 columns, each line prefixed by @indent. */
void igt_lite_print_wrapped(FILE *f, const char *indent, const char *text);

/* ---- igt_log.c ------------------------------------------------------------ */

void igt_lite_log_set_domain_filter(const char *domain);
void igt_lite_log_buffer_reset(void);
/* Dumps the debug ring buffer to stderr after "@what failed." */
void igt_lite_log_buffer_dump(const char *what);
/* Writes to stdout/stderr, serialised with igt_log's own output. */
__attribute__((format(printf, 2, 3)))
void igt_lite_log_line(FILE *f, const char *format, ...);

#endif /* IGT_LITE_INTERNAL_H */
