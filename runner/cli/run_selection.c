// SPDX-License-Identifier: MIT
/* The tests a run selected, from its joblist.txt (see run_selection.h). */
#include <stdlib.h>
#include <string.h>

#include "run_selection.h"

static int add_job(struct run_selection *s, const char *bin, const char *sub,
		   const char *dyn)
{
	char **grown = realloc(s->jobs, (s->n + 1) * sizeof(*grown));
	char *name;

	if (!grown)
		return -1;
	s->jobs = grown;
	if (asprintf(&name, "igt@%s%s%s%s%s", bin, sub ? "@" : "", sub ? sub : "",
		     dyn ? "@" : "", dyn ? dyn : "") < 0)
		return -1;
	s->jobs[s->n++] = name;
	return 0;
}

/* "binary sub1,sub2[@dyn]" (or "binary") into jobs. */
static int add_line(struct run_selection *s, char *line)
{
	char *subs = strchr(line, ' '), *dyn = NULL, *save = NULL;
	int rc = 0;

	if (!subs)
		return add_job(s, line, NULL, NULL);
	*subs++ = '\0';
	dyn = strchr(subs, '@');
	if (dyn)
		*dyn++ = '\0';
	for (char *sub = strtok_r(subs, ",", &save); sub && !rc;
	     sub = strtok_r(NULL, ",", &save))
		rc = add_job(s, line, sub, dyn);
	return rc;
}

int run_selection_parse(struct run_selection *s, FILE *joblist)
{
	char *line = NULL;
	size_t size = 0;
	int rc = 0;

	*s = (struct run_selection){ 0 };
	while (!rc && getline(&line, &size, joblist) >= 0) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0])
			rc = add_line(s, line);
	}
	free(line);
	return rc;
}

int run_selection_load(struct run_selection *s, const char *run_dir)
{
	char path[4200];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/joblist.txt", run_dir);
	f = fopen(path, "r");
	if (!f) {
		*s = (struct run_selection){ 0 };
		return -1;
	}
	rc = run_selection_parse(s, f);
	fclose(f);
	return rc;
}

/* @name is @job, or a dynamic subtest of it. */
static bool within(const char *name, const char *job)
{
	size_t n = strlen(job);

	return !strncmp(name, job, n) && (name[n] == '\0' || name[n] == '@');
}

bool run_selection_has(const char *name, void *selection)
{
	const struct run_selection *s = selection;

	for (size_t i = 0; i < s->n; i++)
		if (within(name, s->jobs[i]))
			return true;
	return false;
}

void run_selection_free(struct run_selection *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->jobs[i]);
	free(s->jobs);
	*s = (struct run_selection){ 0 };
}
