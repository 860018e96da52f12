/* SPDX-License-Identifier: MIT */
/*
 * Honest verdicts: what ran (results.json's "tests") against what the
 * target must give (expected.h). Skips are not passes: a test that skips
 * or is not run while expected to pass, one that skips for another reason
 * than listed, one listed but absent, one present but not listed, are
 * each a deviation, and check fails on any. A subtest that never started
 * (its fixture skipped it: a set-up failure) is named as such.
 *
 * Failures, crashes and the like are not deviations: the summary counts
 * those already.
 */
#ifndef XEMT_VERDICT_H
#define XEMT_VERDICT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "expected.h"

enum verdict_kind {
	VERDICT_SKIP,		/* expected to pass, skipped */
	VERDICT_NOTRUN,		/* expected to run, was not */
	VERDICT_SKIP_REASON,	/* expected to skip, skipped for another reason */
	VERDICT_PASS,		/* expected to skip, passed: the list is stale */
	VERDICT_MISSING,	/* listed and selected, no result */
	VERDICT_EXTRA,		/* a result, not listed */
};

struct verdict_item {
	enum verdict_kind kind;
	char *name;
	bool in_fixture;	/* skipped before it started: set-up */
	char *why;		/* the skip's reason, or NULL */
};

struct verdict {
	struct verdict_item *items;
	size_t n;
};

/* Whether the run selected the test igt@bin@sub[@dyn] (NULL: all were). */
typedef bool (*verdict_selected_fn)(const char *name, void *ctx);

/* Compare @tests with @exp into @v; -1 on allocation failure. */
int verdict_compare(json_t *tests, const struct expected_list *exp,
		    verdict_selected_fn selected, void *ctx, struct verdict *v);

/* One line per deviation (nothing when there is none). */
void verdict_print(const struct verdict *v, const struct expected_list *exp,
		   FILE *out);

/* The reason a skip printed in @out, on one line (malloc'd). */
char *verdict_skip_reason(const char *out);

void verdict_free(struct verdict *v);

#endif
