// SPDX-License-Identifier: MIT
/*
 * Build the job list the way igt_runner does (runner/job_list.c): each
 * binary of test-list.txt is asked for --list-subtests, names are matched
 * as igt@bin@subtest against -t/-x, and with --multiple-mode consecutive
 * subtests of one binary share an exec.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "job_list.h"

void strv_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

static int strv_push(char ***v, int *n, const char *s, size_t len)
{
	char **nv = realloc(*v, (*n + 2) * sizeof(**v));

	if (!nv)
		return -1;
	*v = nv;
	nv[*n] = strndup(s, len);
	if (!nv[*n])
		return -1;
	nv[++*n] = NULL;
	return 0;
}

/* Whitespace-separated words of @text into a NULL-terminated array. */
static char **split_words(const char *text)
{
	char **v = calloc(1, sizeof(*v));
	int n = 0;

	while (v && *text) {
		size_t len;

		text += strspn(text, " \t\r\n");
		len = strcspn(text, " \t\r\n");
		if (len && strv_push(&v, &n, text, len)) {
			strv_free(v);
			return NULL;
		}
		text += len;
	}
	return v;
}

static char *slurp_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t size = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &size, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

char **job_list_read_testlist(const char *root, FILE *err)
{
	char path[4096], *text, *begin, *end;
	char **names;

	snprintf(path, sizeof(path), "%s/test-list.txt", root);
	text = slurp_file(path);
	if (!text) {
		fprintf(err, "xe_migtest_runner: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	begin = strstr(text, "TESTLIST\n");
	end = begin ? strstr(begin, "END TESTLIST") : NULL;
	if (!begin || !end || (begin != text && begin[-1] != '\n')) {
		fprintf(err, "xe_migtest_runner: %s: not a test list (TESTLIST ... END TESTLIST)\n",
			path);
		free(text);
		return NULL;
	}
	*end = '\0';
	names = split_words(begin + strlen("TESTLIST\n"));
	free(text);
	return names;
}

/* Run argv, return its stdout; *status gets the wait status. */
static char *capture_stdout(char *const argv[], int *status)
{
	char *buf = NULL;
	size_t len = 0;
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return NULL;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		char chunk[4096], *nb;
		ssize_t r = read(fds[0], chunk, sizeof(chunk));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		nb = realloc(buf, len + r + 1);
		if (!nb)
			break;
		buf = nb;
		memcpy(buf + len, chunk, r);
		len += r;
		buf[len] = '\0';
	}
	close(fds[0]);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return buf ? buf : strdup("");
}

char **job_list_list_subtests(const char *root, const char *binary, FILE *err)
{
	char path[4096], *out, **names;
	char *argv[] = { path, "--list-subtests", NULL };
	int status = 0;

	snprintf(path, sizeof(path), "%s/%s", root, binary);
	if (access(path, X_OK)) {
		fprintf(err, "xe_migtest_runner: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	out = capture_stdout(argv, &status);
	/* IGT exits 79 (no subtests) or 0 after listing; anything else is broken. */
	if (!out || !WIFEXITED(status) ||
	    (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 79)) {
		fprintf(err, "xe_migtest_runner: %s --list-subtests failed (status 0x%x)\n",
			path, status);
		free(out);
		return NULL;
	}
	names = split_words(out);
	free(out);
	return names;
}

static struct job *new_job(struct job_list *list, const char *binary)
{
	struct job *nj = realloc(list->jobs, (list->n_jobs + 1) * sizeof(*nj));

	if (!nj)
		return NULL;
	list->jobs = nj;
	nj = &list->jobs[list->n_jobs++];
	memset(nj, 0, sizeof(*nj));
	nj->binary = strdup(binary);
	return nj->binary ? nj : NULL;
}

static int add_subtest(struct job_list *list, const struct runner_settings *s,
		       const char *binary, const char *sub, const char *dyn)
{
	struct job *last = list->n_jobs ? &list->jobs[list->n_jobs - 1] : NULL;
	bool join = s->multiple_mode && last && !dyn && !last->dynamic &&
		    last->subtests && !strcmp(last->binary, binary);
	struct job *job = join ? last : new_job(list, binary);

	if (!job || strv_push(&job->subtests, &job->n_subtests, sub, strlen(sub)))
		return -1;
	if (dyn) {
		job->dynamic = strdup(dyn);
		if (!job->dynamic)
			return -1;
	}
	return 0;
}

static int add_binary(struct job_list *list, const struct runner_settings *s,
		      const char *binary, FILE *err)
{
	char **subs = job_list_list_subtests(s->test_root, binary, err);
	char name[1024];
	int rc = 0;

	if (!subs)
		return -1;
	if (!subs[0]) {
		/* A binary without subtests is one test: igt@bin. */
		snprintf(name, sizeof(name), "igt@%s", binary);
		if (settings_name_selected(s, name) && !new_job(list, binary))
			rc = -1;
	}
	for (char **p = subs; !rc && *p; p++) {
		snprintf(name, sizeof(name), "igt@%s@%s", binary, *p);
		if (settings_name_selected(s, name))
			rc = add_subtest(list, s, binary, *p, NULL);
	}
	strv_free(subs);
	return rc;
}

/* One --test-list line: igt@bin, igt@bin@sub or igt@bin@sub@dyn. */
static int add_list_line(struct job_list *list, const struct runner_settings *s,
			 char *line, FILE *err)
{
	char *bin, *sub, *dyn;

	line[strcspn(line, "#\r\n")] = '\0';
	line += strspn(line, " \t");
	line[strcspn(line, " \t")] = '\0';
	if (!*line)
		return 0;
	if (strncmp(line, "igt@", 4) || !line[4]) {
		fprintf(err, "xe_migtest_runner: test list: '%s' is not igt@bin[@sub[@dyn]]\n",
			line);
		return -1;
	}
	if (!settings_name_selected(s, line))
		return 0;
	bin = line + 4;
	sub = strchr(bin, '@');
	if (!sub)
		return add_binary(list, s, bin, err);
	*sub++ = '\0';
	dyn = strchr(sub, '@');
	if (dyn)
		*dyn++ = '\0';
	return add_subtest(list, s, bin, sub, dyn);
}

static int build_from_file(struct job_list *list, const struct runner_settings *s,
			   FILE *err)
{
	FILE *f = fopen(s->test_list, "r");
	char *line = NULL;
	size_t size = 0;
	int rc = 0;

	if (!f) {
		fprintf(err, "xe_migtest_runner: %s: %s\n", s->test_list, strerror(errno));
		return -1;
	}
	while (!rc && getline(&line, &size, f) >= 0)
		rc = add_list_line(list, s, line, err);
	free(line);
	fclose(f);
	return rc;
}

int job_list_build(struct job_list *list, const struct runner_settings *s,
		   FILE *err)
{
	char **bins;
	int rc = 0;

	memset(list, 0, sizeof(*list));
	if (s->test_list)
		return build_from_file(list, s, err);
	bins = job_list_read_testlist(s->test_root, err);
	if (!bins)
		return -1;
	for (char **b = bins; !rc && *b; b++)
		rc = add_binary(list, s, *b, err);
	strv_free(bins);
	return rc;
}

void job_list_write(const struct job_list *list, FILE *f)
{
	for (int i = 0; i < list->n_jobs; i++) {
		const struct job *job = &list->jobs[i];

		fputs(job->binary, f);
		for (int k = 0; k < job->n_subtests; k++)
			fprintf(f, "%c%s", k ? ',' : ' ', job->subtests[k]);
		if (job->dynamic)
			fprintf(f, "@%s", job->dynamic);
		fputc('\n', f);
	}
}

char *job_test_name(const struct job *job, int i)
{
	char *name = NULL;

	if (!job->subtests)
		return asprintf(&name, "igt@%s", job->binary) < 0 ? NULL : name;
	if (asprintf(&name, "igt@%s@%s%s%s", job->binary, job->subtests[i],
		     job->dynamic ? "@" : "", job->dynamic ? job->dynamic : "") < 0)
		return NULL;
	return name;
}

void job_list_free(struct job_list *list)
{
	for (int i = 0; i < list->n_jobs; i++) {
		free(list->jobs[i].binary);
		strv_free(list->jobs[i].subtests);
		free(list->jobs[i].dynamic);
	}
	free(list->jobs);
	memset(list, 0, sizeof(*list));
}
