// SPDX-License-Identifier: MIT
/*
 * Starting xe_migtest_runner on the host. Its --list-all prints the tests
 * a command line selects without running or writing anything, which is
 * how run/check learn that a phase has nothing to do (a -t filter that
 * matches only the other phase) instead of failing on "no tests selected".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner_exec.h"

#define MAX_ARGS 96

static int wait_status(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* In the child: stdout and stderr to @log, truncated. */
static void redirect_to(const char *log)
{
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return;
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
}

int runner_exec_run_log(const char *const *argv, const char *results_dir,
			const char *log)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (log)
			redirect_to(log);
		/* Where host-level tests put their metrics and VM logs. */
		if (results_dir)
			setenv("XEMT_RESULTS_DIR", results_dir, 1);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "xe-migtest: cannot run %s: %m\n", argv[0]);
		_exit(127);
	}
	return wait_status(pid);
}

int runner_exec_run(const char *const *argv, const char *results_dir)
{
	return runner_exec_run_log(argv, results_dir, NULL);
}

static int count_lines(int fd)
{
	FILE *f = fdopen(fd, "r");
	char line[1024];
	int n = 0;

	if (!f) {
		close(fd);
		return -1;
	}
	while (fgets(line, sizeof(line), f))
		n += !strncmp(line, "igt@", 4);
	fclose(f);
	return n;
}

int runner_exec_count(const char *const *argv)
{
	const char *av[MAX_ARGS];
	int n = 0, p[2], count;
	pid_t pid;

	av[n++] = argv[0];
	av[n++] = "--list-all";
	for (int i = 1; argv[i] && n < MAX_ARGS - 1; i++)
		av[n++] = argv[i];
	av[n] = NULL;
	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execv(av[0], (char *const *)av);
		_exit(127);
	}
	close(p[1]);
	count = count_lines(p[0]);
	return wait_status(pid) ? -1 : count;
}
