// SPDX-License-Identifier: MIT
/* The plan of xe-migtest mutants: faults joined with their catchers. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "mutant_plan.h"
#include "uapi/xe_sriov_sim_fault_catchers.h"
#include "uapi/xe_sriov_sim_faults.h"

#define FAULT_DEF(id, name, what) { name, what },
static const struct mutant_fault_def fault_defs[] = {
	XE_SRIOV_SIM_FAULTS(FAULT_DEF)
};

#define CATCHER_DEF(fault, subtests, pattern) { fault, subtests, pattern },
static const struct mutant_catcher_def catcher_defs[] = {
	XE_SRIOV_SIM_FAULT_CATCHERS(CATCHER_DEF)
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct mutant_catcher_def *
find_catcher(const struct mutant_catcher_def *c, size_t n, const char *fault)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].fault, fault))
			return &c[i];
	return NULL;
}

static bool known_fault(const struct mutant_fault_def *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].name, name))
			return true;
	return false;
}

/* Each catcher line names a known fault, once, with a valid pattern. */
static int check_catchers(const struct mutant_fault_def *faults, size_t n_faults,
			  const struct mutant_catcher_def *c, size_t n, FILE *err)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		regex_t re;

		if (!known_fault(faults, n_faults, c[i].fault)) {
			fprintf(err, "catchers: \"%s\" is not a fault of xe_sriov_sim_faults.h\n",
				c[i].fault);
			rc = -1;
		}
		if (find_catcher(c, i, c[i].fault)) {
			fprintf(err, "catchers: \"%s\" has two lines\n", c[i].fault);
			rc = -1;
		}
		if (regcomp(&re, c[i].pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB)) {
			fprintf(err, "catchers: \"%s\": bad pattern '%s'\n", c[i].fault,
				c[i].pattern);
			rc = -1;
			continue;
		}
		regfree(&re);
	}
	return rc;
}

/* "data@migrate qemu_vf@x" into igt@xe_sriov_migration_data@migrate, ... */
static int split_subtests(struct mutant_fault *f, const char *list, FILE *err)
{
	char *copy = strdup(list), *save = NULL;
	int rc = 0;

	for (char *w = strtok_r(copy, " ", &save); w && !rc; w = strtok_r(NULL, " ", &save)) {
		if (f->n_subtests == MUTANT_MAX_CATCHERS || !strchr(w, '@')) {
			fprintf(err, "catchers: \"%s\": '%s' is not binary@subtest, or one too many\n",
				f->name, w);
			rc = -1;
		} else if (asprintf(&f->subtests[f->n_subtests], "igt@%s%s",
				    strncmp(w, "xe_sriov_", 9) ?
				    XE_SRIOV_SIM_CATCHER_BINARY_PREFIX : "", w) < 0) {
			rc = -1;
		} else {
			f->n_subtests++;
		}
	}
	if (!rc && !f->n_subtests) {
		fprintf(err, "catchers: \"%s\" names no subtest\n", f->name);
		rc = -1;
	}
	free(copy);
	return rc;
}

static bool wanted(const char *name, const char *const *only, int n_only)
{
	for (int i = 0; i < n_only; i++)
		if (!strcmp(only[i], name))
			return true;
	return n_only == 0;
}

static int add_fault(struct mutant_plan *p, const struct mutant_fault_def *def,
		     const struct mutant_catcher_def *c, FILE *err)
{
	struct mutant_fault *f = &p->faults[p->n++];

	*f = (struct mutant_fault){ .name = def->name, .what = def->what };
	if (!c) {
		fprintf(err, "catchers: the fault \"%s\" has no line in xe_sriov_sim_fault_catchers.h\n",
			def->name);
		return -1;
	}
	f->pattern = c->pattern;
	return split_subtests(f, c->subtests, err);
}

int mutant_plan_build_from(struct mutant_plan *p,
			   const struct mutant_fault_def *faults, size_t n_faults,
			   const struct mutant_catcher_def *catchers, size_t n_catchers,
			   const char *const *only, int n_only, FILE *err)
{
	int rc = check_catchers(faults, n_faults, catchers, n_catchers, err);

	*p = (struct mutant_plan){ .faults = calloc(n_faults, sizeof(*p->faults)) };
	if (!p->faults)
		return -1;
	for (int i = 0; i < n_only; i++)
		if (!known_fault(faults, n_faults, only[i])) {
			fprintf(err, "no fault named \"%s\"\n", only[i]);
			rc = -1;
		}
	for (size_t i = 0; i < n_faults; i++) {
		const struct mutant_catcher_def *c =
			find_catcher(catchers, n_catchers, faults[i].name);

		/* Every fault is checked against the table, selected or not. */
		if (!c || wanted(faults[i].name, only, n_only))
			rc |= add_fault(p, &faults[i], c, err);
	}
	return rc ? -1 : 0;
}

int mutant_plan_build(struct mutant_plan *p, const char *const *only, int n_only,
		      FILE *err)
{
	return mutant_plan_build_from(p, fault_defs, ARRAY_SIZE(fault_defs), catcher_defs,
				      ARRAY_SIZE(catcher_defs), only, n_only, err);
}

const char *mutant_short_name(const char *name)
{
	static const char prefix[] = "igt@" XE_SRIOV_SIM_CATCHER_BINARY_PREFIX;

	return strncmp(name, prefix, sizeof(prefix) - 1) ? name : name + sizeof(prefix) - 1;
}

void mutant_plan_free(struct mutant_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		for (int k = 0; k < p->faults[i].n_subtests; k++)
			free(p->faults[i].subtests[k]);
	free(p->faults);
	*p = (struct mutant_plan){ 0 };
}
