// SPDX-License-Identifier: MIT
/*
 * The host-level phase of run/check: test binaries that start QEMU VMs
 * themselves (the VM migration loop) run here on the host, through the
 * same xe_migtest_runner, never in the sim VM: a guest under TCG inside
 * a TCG VM does not boot in useful time. The sim VM run excludes them.
 *
 * The runner gets a --test-list of igt@bin@subtest lines, so the user's
 * -t/-x filters select among their subtests exactly as in the sim VM.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host_suite.h"
#include "runner_exec.h"

static const char *const host_tests[] = {
	"xe_sriov_migration_vm",
	NULL,
};

void host_suite_exclude(char *buf, size_t size)
{
	size_t n = snprintf(buf, size, "^igt@(");

	for (int i = 0; host_tests[i] && n < size; i++)
		n += snprintf(buf + n, size - n, "%s%s", i ? "|" : "", host_tests[i]);
	if (n < size)
		snprintf(buf + n, size - n, ")(@|$)");
}

/* "igt@bin@sub" lines for every subtest of every host-level binary. */
static int write_test_list(struct cli *cli, const char *path)
{
	FILE *out = fopen(path, "w");
	char cmd[4400], line[512];
	int rc = 0;

	if (!out)
		return -errno;
	for (int i = 0; host_tests[i] && !rc; i++) {
		FILE *p;

		snprintf(cmd, sizeof(cmd), "'%s/tests/xe_sriov_migration/%s' --list-subtests",
			 cli->build, host_tests[i]);
		p = popen(cmd, "r");
		if (!p) {
			rc = -errno;
			break;
		}
		while (fgets(line, sizeof(line), p)) {
			line[strcspn(line, "\r\n")] = '\0';
			if (line[0])
				fprintf(out, "igt@%s@%s\n", host_tests[i], line);
		}
		if (pclose(p))
			rc = -ENOEXEC;
	}
	if (fclose(out) && !rc)
		rc = -errno;
	return rc;
}

int host_suite_run(struct cli *cli, const char *run_dir,
		   const char *const *filters, int nfilters,
		   unsigned int per_test_timeout)
{
	char runner[4200], list[4200], timeout[16], root[4200];
	const char *av[80];
	int n = 0, err, selected;

	snprintf(list, sizeof(list), "%s/host-test-list.txt", cli->build);
	err = write_test_list(cli, list);
	if (err) {
		fprintf(stderr, "xe-migtest: cannot list the host-level tests: %s\n",
			strerror(-err));
		return -1;
	}
	snprintf(runner, sizeof(runner), "%s/runner/xe_migtest_runner", cli->build);
	snprintf(timeout, sizeof(timeout), "%u", per_test_timeout);
	snprintf(root, sizeof(root), "%s/tests/xe_sriov_migration", cli->build);
	av[n++] = runner;
	av[n++] = "--per-test-timeout";
	av[n++] = timeout;
	av[n++] = "--test-list";
	av[n++] = list;
	for (int i = 0; i < nfilters && n < 74; i++)
		av[n++] = filters[i];
	av[n++] = root;
	av[n++] = run_dir;
	av[n] = NULL;
	selected = runner_exec_count(av);
	if (selected == 0)
		return HOST_SUITE_NONE;
	return runner_exec_run(av, run_dir);
}
