// SPDX-License-Identifier: MIT
/*
 * xe-migtest run / check: every test binary through xe_migtest_runner in
 * the sim VM, an igt_runner results directory under results/, a summary;
 * then the host-level phase (host_suite.c: tests that boot their own
 * VMs) into <run>/host/ with its own summary. Each phase's results are
 * compared with its list of expected results (expected-sim.txt,
 * expected-host.txt beside the tests): check fails on anything but pass
 * or an expected skip, and on a test missing or not listed; run prints
 * the same. xe-migtest host runs only the host-level phase. check runs
 * the host phase beside the sim VM phase (cmd_suite_beside()): the VM
 * phase uses the sim VM's kernel, the host phase the host's.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "host_suite.h"
#include "runner_exec.h"
#include "suite_summary.h"
#include "html_report.h"

#define MAX_FILTERS 16

/* The lists of expected results, under the project tree. */
#define EXPECTED_SIM "tests/xe_sriov_migration/expected-sim.txt"
#define EXPECTED_HOST "tests/xe_sriov_migration/expected-host.txt"

struct suite_opts {
	const char *results_dir;
	const char *filters[2 * MAX_FILTERS];	/* "-t"/"-x", regex pairs */
	int nfilters;
	unsigned int per_test_timeout;
	bool no_host;		/* skip the host-level phase */
};

enum { OPT_RESULTS_DIR = 2000, OPT_PER_TEST_TIMEOUT, OPT_NO_HOST };

/*
 * A -t/-x regex as the runner compiles it (settings.c): refused here, before
 * a VM boots, and not once per phase by each runner.
 */
static bool filter_regex_ok(int opt, const char *re)
{
	char why[128];
	regex_t r;
	int rc = regcomp(&r, re, REG_EXTENDED | REG_ICASE | REG_NOSUB);

	if (!rc) {
		regfree(&r);
		return true;
	}
	regerror(rc, &r, why, sizeof(why));
	fprintf(stderr, "xe-migtest: -%c '%s': bad regex: %s\n", opt, re, why);
	return false;
}

static int parse_suite_opts(struct cli *cli, int argc, char **argv,
			    struct suite_opts *so)
{
	static const struct option opts[] = {
		VM_LONG_OPTS,
		{ "results-dir", required_argument, NULL, OPT_RESULTS_DIR },
		{ "per-test-timeout", required_argument, NULL, OPT_PER_TEST_TIMEOUT },
		{ "no-host", no_argument, NULL, OPT_NO_HOST },
		{ "include-tests", required_argument, NULL, 't' },
		{ "exclude-tests", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "t:x:h", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
		case 'x':
			if (so->nfilters == 2 * MAX_FILTERS || !filter_regex_ok(opt, optarg))
				return -1;
			so->filters[so->nfilters++] = opt == 't' ? "-t" : "-x";
			so->filters[so->nfilters++] = optarg;
			break;
		case OPT_RESULTS_DIR:
			so->results_dir = optarg;
			break;
		case OPT_NO_HOST:
			so->no_host = true;
			break;
		case OPT_PER_TEST_TIMEOUT:
			so->per_test_timeout = strtoul(optarg, NULL, 10);
			if (!so->per_test_timeout)
				return -1;
			break;
		default:
			if (opt == 'h' || vm_parse_common(cli, opt, optarg))
				return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

/* results/<prefix><timestamp> under the shared dir. */
static int make_run_dir(struct cli *cli, struct suite_opts *so, const char *prefix,
			char *out, size_t size)
{
	char stamp[32];
	time_t t = time(NULL);

	if (so->results_dir) {
		if (so->results_dir[0] != '/') {
			fprintf(stderr, "xe-migtest: --results-dir must be absolute\n");
			return -1;
		}
		snprintf(out, size, "%s", so->results_dir);
	} else {
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&t));
		snprintf(out, size, "%s/%s%s", cli->vm.results, prefix, stamp);
	}
	if (strncmp(out, cli->vm.results, strlen(cli->vm.results))) {
		fprintf(stderr, "xe-migtest: %s is not under the shared results dir %s\n",
			out, cli->vm.results);
		return -1;
	}
	return 0;
}

static void runner_argv(struct cli *cli, struct suite_opts *so,
			const char *run_dir, char bufs[][4096], char **av)
{
	int n = 0;

	snprintf(bufs[0], 4096, "%s/runner/xe_migtest_runner", cli->build);
	snprintf(bufs[1], 4096, "%u", so->per_test_timeout);
	snprintf(bufs[2], 4096, "%s/tests/xe_sriov_migration", cli->build);
	host_suite_exclude(bufs[3], 4096);
	av[n++] = bufs[0];
	av[n++] = "--per-test-timeout";
	av[n++] = bufs[1];
	av[n++] = "--abort-on-monitored-error=taint";
	for (int i = 0; i < so->nfilters; i++)
		av[n++] = (char *)so->filters[i];
	/* They boot VMs of their own: the host phase runs them. */
	av[n++] = "-x";
	av[n++] = bufs[3];
	av[n++] = bufs[2];
	av[n++] = (char *)run_dir;
	av[n] = NULL;
}

static void expected_path(struct cli *cli, const char *rel, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", cli->root, rel);
}

/* The host-level tests into @dir; 0 when they gave the expected results. */
static int host_phase(struct cli *cli, struct suite_opts *so, const char *dir,
		      bool strict)
{
	char expected[4200];
	int status;

	printf("xe-migtest: host-level tests (QEMU VM migration on this host), results in %s\n",
	       dir);
	fflush(stdout);
	status = host_suite_run(cli, dir, so->filters, so->nfilters, so->per_test_timeout);
	if (status == HOST_SUITE_NONE) {
		printf("xe-migtest: no host-level test selected\n");
		return 0;
	}
	expected_path(cli, EXPECTED_HOST, expected, sizeof(expected));
	return suite_summary_host(dir, status, strict, expected);
}

/* The suite in the sim VM into @run_dir; 0 when it gave the expected results. */
static int vm_phase(struct cli *cli, struct suite_opts *so, const char *run_dir,
		    bool strict)
{
	char console[4200], final_console[4200], env[4200], expected[4200];
	struct sim_vm_report rep;
	char bufs[4][4096];
	char *av[66];
	int err;

	/* Tests put their metrics (vm-migration.jsonl) and VM logs beside the results. */
	snprintf(env, sizeof(env), "XEMT_RESULTS_DIR=%s", run_dir);
	av[0] = "env";
	av[1] = env;
	runner_argv(cli, so, run_dir, bufs, av + 2);
	/* A -t meant for the host phase only: no VM to boot. */
	if (so->nfilters && runner_exec_count((const char *const *)av + 2) == 0) {
		printf("xe-migtest: no sim VM test selected\n");
		mkdir(run_dir, 0755);
		return 0;
	}
	/* The runner owns run_dir; the console goes beside it until the end. */
	snprintf(console, sizeof(console), "%s.console.log", run_dir);
	cli->vm.console_log = console;
	printf("xe-migtest: running the suite in the sim VM, results in %s\n",
	       run_dir);
	fflush(stdout);
	err = vm_boot(cli, av, &rep);
	snprintf(final_console, sizeof(final_console), "%s/vm-console.log", run_dir);
	if (rename(console, final_console))
		snprintf(final_console, sizeof(final_console), "%s", console);
	expected_path(cli, EXPECTED_SIM, expected, sizeof(expected));
	return suite_summary(run_dir, err ? NULL : &rep, strict, expected);
}

/* report.html beside the results (runner/cli/html_report.c); @rc passes through. */
static int report_page(const char *dir, int rc)
{
	if (!html_report_write(dir))
		printf("xe-migtest: report %s/report.html\n", dir);
	return rc;
}

int cmd_suite(struct cli *cli, int argc, char **argv, bool strict)
{
	struct suite_opts so = { .per_test_timeout = 600 };
	char run_dir[4096], host_dir[4200];
	int rc;

	if (parse_suite_opts(cli, argc, argv, &so)) {
		fprintf(stderr, "usage: xe-migtest %s [VM-OPTS] [--results-dir DIR] [--per-test-timeout S] [--no-host] [-t REGEX] [-x REGEX]\n",
			strict ? "check" : "run");
		return 2;
	}
	mkdir(cli->vm.results, 0755);
	if (make_run_dir(cli, &so, strict ? "check-" : "", run_dir, sizeof(run_dir)))
		return 2;
	rc = vm_phase(cli, &so, run_dir, strict);
	if (so.no_host)
		return report_page(run_dir, rc);
	snprintf(host_dir, sizeof(host_dir), "%s/host", run_dir);
	return report_page(run_dir, host_phase(cli, &so, host_dir, strict) || rc);
}

/*
 * The host phase writes into <run>/host: wait until the VM phase's runner
 * made <run> (its joblist.txt), or until the VM phase ended (@vm_done, the
 * read end of a pipe the parent closes then) without making it.
 */
static void wait_for_run_dir(const char *run_dir, int vm_done)
{
	char path[4200];
	struct pollfd p = { .fd = vm_done, .events = POLLIN };

	snprintf(path, sizeof(path), "%s/joblist.txt", run_dir);
	while (access(path, F_OK)) {
		if (poll(&p, 1, 200) == 1) {
			mkdir(run_dir, 0755);
			return;
		}
	}
}

/* The child of cmd_suite_beside(): before, host phase, after; 0 when all passed. */
static int beside_child(struct cli *cli, struct suite_opts *so, const char *run_dir,
			int vm_done, const struct suite_beside *b)
{
	char host_dir[4200];
	int rc = b->before ? b->before(cli, b->arg) : 0;

	if (!so->no_host) {
		wait_for_run_dir(run_dir, vm_done);
		snprintf(host_dir, sizeof(host_dir), "%s/host", run_dir);
		phase_clock_start(b->host_clock);
		rc |= host_phase(cli, so, host_dir, true);
		phase_clock_stop(b->host_clock);
	}
	if (b->after)
		rc |= b->after(cli, b->arg);
	return rc;
}

/* Copy @path to stdout. */
static void print_file(const char *path)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("xe-migtest: cannot read %s: %m\n", path);
		return;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	fflush(stdout);
}

int cmd_suite_beside(struct cli *cli, int argc, char **argv, const struct suite_beside *b)
{
	struct suite_opts so = { .per_test_timeout = 600 };
	char run_dir[4096], log[4200], final_log[4200];
	int pipe_fd[2], rc, status = 0, fd;
	pid_t pid;

	if (parse_suite_opts(cli, argc, argv, &so)) {
		fprintf(stderr, "usage: xe-migtest check [VM-OPTS] [--results-dir DIR] [--per-test-timeout S] [--no-host] [-t REGEX] [-x REGEX]\n");
		return 2;
	}
	mkdir(cli->vm.results, 0755);
	if (make_run_dir(cli, &so, "check-", run_dir, sizeof(run_dir)))
		return 2;
	snprintf(log, sizeof(log), "%s.beside.log", run_dir);
	if (pipe2(pipe_fd, O_CLOEXEC))
		return 2;
	printf("xe-migtest: bench --smoke, the host-level tests and mutants run beside the sim VM suite; their output follows its summary (%s)\n",
	       log);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(pipe_fd[1]);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(2);
		optind = 0;	/* each command parses its own argv afresh */
		rc = beside_child(cli, &so, run_dir, pipe_fd[0], b);
		fflush(NULL);
		_exit(rc ? 1 : 0);
	}
	close(pipe_fd[0]);
	if (pid < 0) {
		perror("fork");
		close(pipe_fd[1]);
		return 2;
	}
	phase_clock_start(b->vm_clock);
	rc = vm_phase(cli, &so, run_dir, true);
	phase_clock_stop(b->vm_clock);
	printf("xe-migtest: the sim VM suite is done; waiting for what runs beside it\n");
	fflush(stdout);
	close(pipe_fd[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	printf("\nxe-migtest: what ran beside the sim VM suite (bench --smoke, host-level tests, mutants):\n");
	print_file(log);
	snprintf(final_log, sizeof(final_log), "%s/beside.log", run_dir);
	if (!rename(log, final_log))
		printf("xe-migtest: that output is in %s\n", final_log);
	rc |= !WIFEXITED(status) || WEXITSTATUS(status);
	return report_page(run_dir, rc);
}

int cmd_host(struct cli *cli, int argc, char **argv)
{
	struct suite_opts so = { .per_test_timeout = 600 };
	char run_dir[4096];

	if (parse_suite_opts(cli, argc, argv, &so)) {
		fprintf(stderr, "usage: xe-migtest host [--results-dir DIR] [--per-test-timeout S] [-t REGEX] [-x REGEX]\n");
		return 2;
	}
	mkdir(cli->vm.results, 0755);
	if (make_run_dir(cli, &so, "host-", run_dir, sizeof(run_dir)))
		return 2;
	return report_page(run_dir, host_phase(cli, &so, run_dir, true));
}
