/* SPDX-License-Identifier: MIT */
/*
 * The plan of `xe-migtest mutants`: every fault xe_sriov_sim can plant
 * (uapi/xe_sriov_sim_faults.h) joined with the subtests that must catch
 * it and the pattern their failure must match
 * (uapi/xe_sriov_sim_fault_catchers.h). The two tables must agree: every
 * fault has exactly one line of catchers, and no line names an unknown
 * fault.
 */
#ifndef XEMT_MUTANT_PLAN_H
#define XEMT_MUTANT_PLAN_H

#include <stdbool.h>
#include <stdio.h>

#define MUTANT_MAX_CATCHERS 8

/* One fault as its tables give it. */
struct mutant_fault_def {
	const char *name, *what;
};

/* One line of the catchers' table. */
struct mutant_catcher_def {
	const char *fault, *subtests, *pattern;
};

struct mutant_fault {
	const char *name;	/* the fault */
	const char *what;	/* its defect, one line */
	const char *pattern;	/* POSIX ERE its catchers' failures match */
	char *subtests[MUTANT_MAX_CATCHERS];	/* igt@<binary>@<subtest>[@dyn] */
	int n_subtests;
};

struct mutant_plan {
	struct mutant_fault *faults;
	size_t n;
};

/*
 * Join @faults and @catchers into @p, keeping the faults named in @only
 * (all when @n_only is 0). What disagrees goes to @err; then -1.
 */
int mutant_plan_build_from(struct mutant_plan *p,
			   const struct mutant_fault_def *faults, size_t n_faults,
			   const struct mutant_catcher_def *catchers, size_t n_catchers,
			   const char *const *only, int n_only, FILE *err);

/* The same from the uapi tables. */
int mutant_plan_build(struct mutant_plan *p, const char *const *only, int n_only,
		      FILE *err);

/* "igt@xe_sriov_migration_data@migrate" -> "data@migrate" (a pointer into @name). */
const char *mutant_short_name(const char *name);

void mutant_plan_free(struct mutant_plan *p);

#endif
