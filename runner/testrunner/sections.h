/* SPDX-License-Identifier: MIT */
/*
 * The parts of a job's out.txt or err.txt that belong to one subtest or
 * dynamic subtest, cut where IGT's igt_results cuts them (IGT 2.2
 * runner/resultgen.c: find_matches(), find_subtest_idx_limited(),
 * find_subtest_begin_limit_limited(), find_subtest_end_limit_limited(),
 * process_dynamic_subtest_output(), stderr_contains_warnings()), so that
 * results.json's "out", "err" and warn results are the ones igt_results
 * regenerates from the same directory.
 *
 * The marks are the lines that start with "Starting subtest: ",
 * "Subtest <name>: ", "Starting dynamic subtest: " and
 * "Dynamic subtest <name>: " (<name> of [A-Za-z0-9_-]). A subtest's part
 * runs from the line after the mark before its start (the text before it
 * belongs to it) to the mark after its result; without a result, to the
 * next subtest start or result.
 */
#ifndef XEMT_RUNNER_SECTIONS_H
#define XEMT_RUNNER_SECTIONS_H

#include <stdbool.h>
#include <stddef.h>

enum mark_kind { MARK_START, MARK_RESULT, MARK_DYN_START, MARK_DYN_RESULT };

struct mark {
	const char *where;
	enum mark_kind kind;
};

struct marks {
	const char *buf, *end;
	struct mark *v;
	int n;
};

/* The marks of buf[0..len); marks_free() after. */
void marks_find(struct marks *m, const char *buf, size_t len);
void marks_free(struct marks *m);

/* One (dynamic) subtest's part: [beg, end), and its result line or NULL. */
struct part {
	const char *beg, *end;
	const char *result_line;
	int start_idx, result_idx;	/* mark indices, -1 if absent */
};

/* Subtest @name's part of the whole text. */
struct part marks_subtest(const struct marks *m, const char *name);

/*
 * The dynamic subtests inside @parent: calls @fn with each one's name and
 * part, in order.
 */
void marks_dynamic(const struct marks *m, const struct part *parent,
		   void (*fn)(void *ctx, const char *name, const struct part *p),
		   void *ctx);

/* A dynamic subtest @name's part inside @parent (for err.txt). */
struct part marks_dynamic_named(const struct marks *m, const struct part *parent,
				const char *name);

/*
 * igt_results' test for stderr warnings in a part: some line that is not
 * a mark comes before a mark. (Text after the last mark does not count.)
 */
bool part_has_warnings(const struct marks *m, const struct part *p);

#endif
