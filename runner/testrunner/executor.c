// SPDX-License-Identifier: MIT
/*
 * One job, as igt_runner's executor runs it: the child gets its own
 * process group, IGT_SENTINEL_ON_STDERR=1, XEMT_RESULTS_DIR (the results
 * directory, for tests that write results of their own) and a
 * parent-death signal;
 * the parent polls stdout, stderr and /dev/kmsg, restarts the per-test
 * timer at every "Starting (dynamic) subtest" line, and on expiry sends
 * SIGQUIT (IGT dumps its state and runs exit handlers), then SIGKILL.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "executor.h"
#include "kmsg.h"
#include "taint.h"

enum { OUT_STDOUT, OUT_STDERR, OUT_DMESG, OUT_JOURNAL, N_OUT };
static const char *const out_names[N_OUT] = {
	"out.txt", "err.txt", "dmesg.txt", "journal.txt",
};

struct job_run {
	const struct runner_settings *s;
	FILE *files[N_OUT];
	int out_fd, err_fd, kmsg_fd;
	int pid_fd;		/* readable once the child exited; -1 without pidfd */
	pid_t pid;
	char line[4096];	/* the current stdout line, for the journal */
	size_t line_len;
	char current[4096];	/* the subtest last started, "" after another's result */
	double start, deadline, kill_at;
	unsigned long taint_before;
	struct job_outcome *outcome;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void child_exec(const struct runner_settings *s, const struct job *job,
		       const char *path, int out, int err, pid_t runner)
{
	char *argv[8];
	char *subs = NULL;
	size_t len = 0;
	int n = 0;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The runner died before prctl took: no test may outlive it. */
	if (getppid() != runner)
		_exit(127);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	setenv("IGT_SENTINEL_ON_STDERR", "1", 1);
	/* Where a test may leave results of its own (stress.json); set wins. */
	if (s->results_path)
		setenv("XEMT_RESULTS_DIR", s->results_path, 0);
	argv[n++] = (char *)path;
	if (job->subtests) {
		for (int i = 0; i < job->n_subtests; i++)
			len += strlen(job->subtests[i]) + 1;
		subs = calloc(1, len + 1);
		for (int i = 0; subs && i < job->n_subtests; i++)
			strcat(strcat(subs, i ? "," : ""), job->subtests[i]);
		argv[n++] = "--run-subtest";
		argv[n++] = subs;
	}
	if (job->dynamic) {
		argv[n++] = "--dynamic-subtest";
		argv[n++] = job->dynamic;
	}
	argv[n] = NULL;
	execv(path, argv);
	fprintf(stderr, "xe_migtest_runner: exec %s: %s\n", path, strerror(errno));
	_exit(127);
}

static int open_job_files(struct job_run *r, const char *job_dir)
{
	char path[4200];

	if (mkdir(job_dir, 0755) && errno != EEXIST)
		return -1;
	for (int i = 0; i < N_OUT; i++) {
		snprintf(path, sizeof(path), "%s/%s", job_dir, out_names[i]);
		r->files[i] = fopen(path, "w");
		if (!r->files[i])
			return -1;
	}
	return 0;
}

static void restart_timer(struct job_run *r)
{
	r->deadline = r->s->per_test_timeout ? now() + r->s->per_test_timeout : 0;
}

/*
 * Journal every subtest start, and, as igt_runner does (IGT
 * runner/executor.c: monitor_output()), the name of a subtest that prints
 * a result without having started (skipped before it was entered); both
 * are what igt_results and igt_resume read back. Restart the timeout at
 * every (dynamic) subtest start.
 */
static void stdout_line(struct job_run *r, const char *line)
{
	static const char sub[] = "Starting subtest: ";
	static const char dyn[] = "Starting dynamic subtest: ";
	static const char res[] = "Subtest ";
	const char *name, *colon;

	if (!strncmp(line, sub, sizeof(sub) - 1)) {
		name = line + sizeof(sub) - 1;
		fprintf(r->files[OUT_JOURNAL], "%s\n", name);
		snprintf(r->current, sizeof(r->current), "%s", name);
		restart_timer(r);
	} else if (!strncmp(line, dyn, sizeof(dyn) - 1)) {
		restart_timer(r);
	} else if (!strncmp(line, res, sizeof(res) - 1) &&
		   (colon = strstr(line, ": "))) {
		name = line + sizeof(res) - 1;
		if (strlen(r->current) != (size_t)(colon - name) ||
		    strncmp(r->current, name, colon - name))
			fprintf(r->files[OUT_JOURNAL], "%.*s\n",
				(int)(colon - name), name);
		r->current[0] = '\0';
	}
	fflush(r->files[OUT_JOURNAL]);
}

static void scan_stdout(struct job_run *r, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n') {
			if (r->line_len < sizeof(r->line) - 1)
				r->line[r->line_len++] = buf[i];
			continue;
		}
		r->line[r->line_len] = '\0';
		stdout_line(r, r->line);
		r->line_len = 0;
	}
}

/* Copy what is readable from *fd; close and mark -1 at EOF. */
static void pump_fd(struct job_run *r, int *fd, int which)
{
	char buf[16384];
	ssize_t n = read(*fd, buf, sizeof(buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		close(*fd);
		*fd = -1;
		return;
	}
	fwrite(buf, 1, n, r->files[which]);
	fflush(r->files[which]);
	if (which == OUT_STDOUT)
		scan_stdout(r, buf, n);
}

static void kill_group(struct job_run *r, int sig)
{
	if (kill(-r->pid, sig) && errno == ESRCH)
		kill(r->pid, sig);
}

/* Timeout and fatal-taint checks, once per poll round. */
static void check_limits(struct job_run *r)
{
	double t = now();

	if (r->kill_at) {
		if (t >= r->kill_at) {
			kill_group(r, SIGKILL);
			r->kill_at = t + 3600;
		}
		return;
	}
	if (r->deadline && t >= r->deadline) {
		fprintf(r->files[OUT_STDERR],
			"xe_migtest_runner: per-test timeout (%us) expired, sending SIGQUIT\n",
			r->s->per_test_timeout);
		r->outcome->timed_out = true;
	} else if ((r->s->abort_mask & ABORT_TAINT) &&
		   taint_fatal(taint_read() & ~r->taint_before)) {
		fprintf(r->files[OUT_STDERR],
			"xe_migtest_runner: the kernel got a fatal taint, stopping the test\n");
		r->outcome->taint_killed = true;
	} else {
		return;
	}
	kill_group(r, SIGQUIT);
	r->kill_at = t + r->s->kill_grace;
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/*
 * Poll until the child is gone and its pipes are drained. The child's
 * pidfd wakes the loop when it exits: its pipes close a little before it
 * can be reaped, and without it the loop would sleep out its timeout.
 */
static int monitor(struct job_run *r)
{
	int status = 0;
	bool reaped = false;

	while (!reaped || r->out_fd >= 0 || r->err_fd >= 0) {
		struct pollfd p[4] = {
			{ r->out_fd, POLLIN, 0 }, { r->err_fd, POLLIN, 0 },
			{ r->kmsg_fd, POLLIN, 0 }, { reaped ? -1 : r->pid_fd, POLLIN, 0 },
		};

		poll(p, 4, reaped ? 50 : 250);
		if (r->out_fd >= 0 && (p[0].revents || reaped))
			pump_fd(r, &r->out_fd, OUT_STDOUT);
		if (r->err_fd >= 0 && (p[1].revents || reaped))
			pump_fd(r, &r->err_fd, OUT_STDERR);
		kmsg_drain(r->kmsg_fd, r->files[OUT_DMESG]);
		if (!reaped && waitpid(r->pid, &status, WNOHANG) == r->pid) {
			reaped = true;
			/* Leftover children must not keep the pipes open. */
			kill_group(r, SIGKILL);
		}
		if (!reaped)
			check_limits(r);
	}
	return status;
}

static void record_exit(struct job_run *r, int status)
{
	struct job_outcome *o = r->outcome;

	o->elapsed = now() - r->start;
	if (WIFSIGNALED(status))
		o->exit_code = -WTERMSIG(status);
	else
		o->exit_code = WEXITSTATUS(status);
	o->exec_failed = !WIFSIGNALED(status) && o->exit_code == 127;
	fprintf(r->files[OUT_JOURNAL], "%s:%d (%.3fs)\n",
		o->timed_out ? "timeout" : "exit", o->exit_code, o->elapsed);
}

static void close_job(struct job_run *r)
{
	for (int i = 0; i < N_OUT; i++)
		if (r->files[i])
			fclose(r->files[i]);
	if (r->kmsg_fd >= 0)
		close(r->kmsg_fd);
	if (r->pid_fd >= 0)
		close(r->pid_fd);
}

static int start_child(struct job_run *r, const struct job *job)
{
	char path[4200];
	int out[2], err[2];
	pid_t runner;

	snprintf(path, sizeof(path), "%s/%s", r->s->test_root, job->binary);
	if (pipe2(out, O_CLOEXEC))
		return -1;
	if (pipe2(err, O_CLOEXEC)) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	fflush(NULL);
	runner = getpid();
	r->pid = fork();
	if (r->pid == 0)
		child_exec(r->s, job, path, out[1], err[1], runner);
	close(out[1]);
	close(err[1]);
	r->out_fd = out[0];
	r->err_fd = err[0];
	if (r->pid < 0) {
		close(out[0]);
		close(err[0]);
		return -1;
	}
	/* Both sides set the group, so kill(-pid) works at once. */
	setpgid(r->pid, r->pid);
	r->pid_fd = (int)syscall(SYS_pidfd_open, r->pid, 0);
	set_nonblock(r->out_fd);
	set_nonblock(r->err_fd);
	return 0;
}

int execute_job(const struct runner_settings *s, const struct job *job,
		const char *job_dir, struct job_outcome *outcome)
{
	struct job_run r = { .s = s, .kmsg_fd = -1, .pid_fd = -1, .outcome = outcome };
	int rc = -1;

	memset(outcome, 0, sizeof(*outcome));
	if (open_job_files(&r, job_dir))
		goto out;
	r.kmsg_fd = kmsg_open_at_end();
	r.taint_before = taint_read();
	r.start = now();
	restart_timer(&r);
	if (start_child(&r, job))
		goto out;
	record_exit(&r, monitor(&r));
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "xe_migtest_runner: cannot run %s in %s: %s\n",
			job->binary, job_dir, strerror(errno));
	close_job(&r);
	return rc;
}
