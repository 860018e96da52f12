// SPDX-License-Identifier: MIT
/*
 * xe_migtest_runner: an igt_runner work-alike for IGT's text protocol.
 *
 *   job list (test-list.txt, --list-subtests, -t/-x)
 *     -> results dir: metadata.txt joblist.txt uname.txt starttime.txt
 *     -> for each job N: exec, capture N/{out,err,dmesg,journal}.txt,
 *        per-test timeout, then the abort checks (fatal taint, exit 112)
 *     -> endtime.txt, results.json (version 10)
 *
 * Exit status: 0 when every job ran, 1 on an error or an abort, 2 when
 * --overall-timeout stopped the run.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "executor.h"
#include "resultgen.h"
#include "results_dir.h"
#include "taint.h"

enum run_end { RUN_COMPLETE, RUN_ABORTED, RUN_OVERALL_TIMEOUT };

struct run_state {
	const struct runner_settings *s;
	const struct job_list *list;
	json_t *tests;
	unsigned long taint_start;
	int n_tests_total;
	int n_printed;
	time_t started;
};

static int count_tests(const struct job_list *list)
{
	int n = 0;

	for (int i = 0; i < list->n_jobs; i++)
		n += list->jobs[i].subtests ? list->jobs[i].n_subtests : 1;
	return n;
}

static int count_at(const char *name)
{
	int n = 0;

	for (; *name; name++)
		n += *name == '@';
	return n;
}

/* "[n/m] igt@bin@sub RESULT (t s)"; dynamic subtests indented below. */
static void print_progress(struct run_state *st, json_t *job_tests)
{
	const char *name;
	json_t *t;

	if (st->s->log_level == LOG_QUIET)
		return;
	json_object_foreach(job_tests, name, t) {
		const char *r = json_string_value(json_object_get(t, "result"));
		double secs = json_number_value(json_object_get(json_object_get(t, "time"),
								"end"));

		if (count_at(name) >= 3)
			printf("        %s %s (%.3fs)\n", name, r, secs);
		else
			printf("[%d/%d] %s %s (%.3fs)\n", ++st->n_printed,
			       st->n_tests_total, name, r, secs);
	}
	fflush(stdout);
}

/* Why the run must stop after this job, or NULL. */
static char *abort_reason(struct run_state *st, const struct job *job,
			  const struct job_outcome *o)
{
	unsigned long fatal = taint_fatal(taint_read() & ~st->taint_start);
	char names[256], *reason = NULL;

	if ((st->s->abort_mask & ABORT_TAINT) && fatal) {
		taint_describe(fatal, names, sizeof(names));
		if (asprintf(&reason, "Kernel tainted (0x%lx: %s) by %s", fatal, names,
			     job->binary) < 0)
			reason = NULL;
	} else if (!o->timed_out && o->exit_code == 112) {
		if (asprintf(&reason, "%s exited with IGT_EXIT_ABORT (112)", job->binary) < 0)
			reason = NULL;
	}
	return reason;
}

static enum run_end run_jobs(struct run_state *st, int *next_job)
{
	const struct runner_settings *s = st->s;
	char dir[4200];

	for (*next_job = 0; *next_job < st->list->n_jobs; (*next_job)++) {
		const struct job *job = &st->list->jobs[*next_job];
		struct job_outcome o;
		json_t *jt;
		char *reason;

		if (s->overall_timeout && time(NULL) - st->started >= s->overall_timeout) {
			printf("xe_migtest_runner: overall timeout (%us) reached\n",
			       s->overall_timeout);
			return RUN_OVERALL_TIMEOUT;
		}
		snprintf(dir, sizeof(dir), "%s/%d", s->results_path, *next_job);
		if (execute_job(s, job, dir, &o))
			return RUN_ABORTED;
		jt = json_object();
		resultgen_job(dir, job, s, jt);
		print_progress(st, jt);
		json_object_update(st->tests, jt);
		json_decref(jt);
		reason = abort_reason(st, job, &o);
		if (reason) {
			printf("xe_migtest_runner: aborting: %s\n", reason);
			results_dir_write_aborted(s->results_path, reason);
			free(reason);
			(*next_job)++;
			return RUN_ABORTED;
		}
	}
	return RUN_COMPLETE;
}

static enum run_end run(struct run_state *st)
{
	enum run_end end = RUN_ABORTED;
	char names[256];
	int next = 0;

	st->taint_start = taint_read();
	if ((st->s->abort_mask & ABORT_TAINT) && taint_fatal(st->taint_start)) {
		/* Like igt_runner: a tainted kernel at start runs nothing. */
		taint_describe(taint_fatal(st->taint_start), names, sizeof(names));
		fprintf(stderr, "xe_migtest_runner: the kernel is already tainted (%s); running nothing\n",
			names);
		results_dir_write_aborted(st->s->results_path, "Kernel tainted before the run");
	} else {
		end = run_jobs(st, &next);
	}
	for (; next < st->list->n_jobs; next++)
		resultgen_notrun(&st->list->jobs[next], st->tests);
	return end;
}

static void list_tests(const struct job_list *list)
{
	for (int i = 0; i < list->n_jobs; i++)
		for (int k = 0; k < (list->jobs[i].subtests ? list->jobs[i].n_subtests : 1); k++) {
			char *name = job_test_name(&list->jobs[i], k);

			if (name)
				puts(name);
			free(name);
		}
}

static int finish(struct run_state *st, enum run_end end)
{
	json_t *doc;

	results_dir_write_end(st->s->results_path);
	doc = resultgen_document(st->s->results_path, st->s, st->tests);
	if (!doc || resultgen_write(st->s->results_path, doc)) {
		fprintf(stderr, "xe_migtest_runner: cannot write %s/results.json\n",
			st->s->results_path);
		json_decref(doc);
		return 1;
	}
	json_decref(doc);
	if (end == RUN_OVERALL_TIMEOUT)
		return 2;
	return end == RUN_COMPLETE ? 0 : 1;
}

static int run_main(const struct runner_settings *s, const struct job_list *list)
{
	struct run_state st = {
		.s = s, .list = list, .started = time(NULL),
		.n_tests_total = count_tests(list),
	};

	if (results_dir_prepare(s->results_path, s->overwrite, stderr))
		return 1;
	if (results_dir_write_start(s->results_path, s, list)) {
		fprintf(stderr, "xe_migtest_runner: cannot write to %s\n", s->results_path);
		return 1;
	}
	if (s->dry_run)
		return 0;
	st.tests = json_object();
	return finish(&st, run(&st));
}

int main(int argc, char **argv)
{
	struct runner_settings s;
	struct job_list list;
	int rc;

	rc = settings_parse(&s, argc, argv, stderr);
	if (rc)
		return rc > 0 ? 0 : 1;
	if (job_list_build(&list, &s, stderr)) {
		settings_free(&s);
		return 1;
	}
	if (s.list_only)
		list_tests(&list);
	else if (!list.n_jobs)
		fprintf(stderr, "xe_migtest_runner: no tests selected\n");
	rc = s.list_only ? 0 : list.n_jobs ? run_main(&s, &list) : 1;
	job_list_free(&list);
	settings_free(&s);
	return rc;
}
