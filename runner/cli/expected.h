/* SPDX-License-Identifier: MIT */
/*
 * A checked-in list of the results a target must give (e.g.
 * tests/xe_sriov_migration/expected-sim.txt). One test a line:
 *
 *   igt@bin@sub[@dyn]              must pass
 *   igt@bin@sub[@dyn] skip REGEX   must skip, its output matching REGEX
 *                                  (POSIX ERE, case-insensitive)
 *
 * '#' starts a comment line; blank lines are ignored.
 */
#ifndef XEMT_EXPECTED_H
#define XEMT_EXPECTED_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct expected_test {
	char *name;		/* igt@bin@sub[@dyn] */
	char *skip_reason;	/* NULL: must pass; else the skip's pattern */
	regex_t re;		/* compiled skip_reason */
};

struct expected_list {
	char *path;		/* where it came from, for messages */
	struct expected_test *tests;
	size_t n;
};

/* Read @in (named @path in messages); errors with their line go to @err. */
int expected_parse(struct expected_list *l, FILE *in, const char *path, FILE *err);

/* The same from the file @path. */
int expected_load(struct expected_list *l, const char *path, FILE *err);

/* The entry for @name, or NULL. */
const struct expected_test *expected_find(const struct expected_list *l,
					  const char *name);

/* Whether @text matches the entry's skip pattern. */
bool expected_skip_matches(const struct expected_test *t, const char *text);

void expected_free(struct expected_list *l);

#endif
