/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * uapi/xe_sriov_sim_faults.h as user space uses it: built as C89 with
 * -pedantic-errors, the fault list expands into a table of {name, desc}
 * whose names are unique, lower-case words joined by '-', and not "none".
 * uapi/xe_sriov_sim_fault_catchers.h builds in plain C89 too, with one
 * line per fault (test_mutants checks what the lines say).
 */
#include <stdio.h>
#include <string.h>

#include "uapi/xe_sriov_sim_fault_catchers.h"
#include "uapi/xe_sriov_sim_faults.h"

struct fault {
	const char *id, *name, *desc;
};

#define FAULT_ENTRY(id, name, desc) { #id, name, desc },
static const struct fault faults[] = {
	XE_SRIOV_SIM_FAULTS(FAULT_ENTRY)
};

#define N_FAULTS (sizeof(faults) / sizeof(faults[0]))

struct catcher {
	const char *fault, *subtests, *pattern;
};

#define CATCHER_ENTRY(fault, subtests, pattern) { fault, subtests, pattern },
static const struct catcher catchers[] = {
	XE_SRIOV_SIM_FAULT_CATCHERS(CATCHER_ENTRY)
};

#define N_CATCHERS (sizeof(catchers) / sizeof(catchers[0]))

static int good_name(const char *s)
{
	const char *p;

	if (!*s || *s == '-' || s[strlen(s) - 1] == '-')
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

int main(void)
{
	unsigned int i, j;
	int bad = 0;

	for (i = 0; i < N_FAULTS; i++) {
		const struct fault *f = &faults[i];

		if (!good_name(f->name) || !strcmp(f->name, XE_SRIOV_SIM_FAULT_NONE_NAME)) {
			fprintf(stderr, "%s: bad name \"%s\"\n", f->id, f->name);
			bad = 1;
		}
		if (!*f->desc) {
			fprintf(stderr, "%s: no description\n", f->id);
			bad = 1;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(f->name, faults[j].name)) {
				fprintf(stderr, "%s: name \"%s\" twice\n", f->id, f->name);
				bad = 1;
			}
	}
	if (N_CATCHERS != N_FAULTS) {
		fprintf(stderr, "%u faults but %u lines of catchers\n", (unsigned int)N_FAULTS,
			(unsigned int)N_CATCHERS);
		bad = 1;
	}
	if (!N_FAULTS || strncmp(XE_SRIOV_SIM_FAULT_PARAM, "/sys/module/", 12)) {
		fprintf(stderr, "empty list or odd parameter path\n");
		bad = 1;
	}
	printf("%u faults%s\n", (unsigned int)N_FAULTS, bad ? ", BAD" : "");
	return bad;
}
