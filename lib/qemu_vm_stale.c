// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Leftover QEMUs of a harness that crashed. PR_SET_PDEATHSIG normally
 * takes them down with it, but it is tied to the thread that forked and
 * is lost across a crash in the wrong place; a VM left running holds its
 * VF and its sockets. The processes come from libproc2 (procps), as ps
 * and pkill see them: the marker in the command line names the owner,
 * and a live owner is always the QEMU's parent (it forked it), so
 * "parent != owner" means orphaned.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "qemu_vm.h"

static bool is_qemu(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	return !strncmp(base ? base + 1 : argv0, "qemu-system-", 12);
}

pid_t qemu_vm_cmdline_owner(const char *cmdline, size_t len)
{
	const char *end = cmdline + len;
	const char *arg = cmdline;
	bool after_name = false;

	if (!len || !memchr(cmdline, '\0', len) || !is_qemu(cmdline))
		return 0;
	while (arg < end) {
		size_t n = strnlen(arg, end - arg);

		if (after_name && !strncmp(arg, QEMU_VM_MARKER, strlen(QEMU_VM_MARKER))) {
			long owner = strtol(arg + strlen(QEMU_VM_MARKER), NULL, 10);

			return owner > 0 ? (pid_t)owner : 0;
		}
		after_name = n == 5 && !strncmp(arg, "-name", 5);
		arg += n + 1;
	}
	return 0;
}

/* libproc2's argv back into /proc/PID/cmdline form; its length, 0 if none. */
static size_t join_argv(char **argv, char *buf, size_t size)
{
	size_t n = 0;

	for (; argv && *argv; argv++) {
		size_t len = strlen(*argv) + 1;

		if (n + len > size)
			break;
		memcpy(buf + n, *argv, len);
		n += len;
	}
	return n;
}

int qemu_vm_reap_stale(void)
{
	enum pids_item items[] = { PIDS_ID_PID, PIDS_ID_PPID, PIDS_CMDLINE_V };
	enum { I_PID, I_PPID, I_ARGV };
	struct pids_info *info = NULL;
	struct pids_stack *st;
	char cmdline[8192];
	int killed = 0;

	if (procps_pids_new(&info, items, sizeof(items) / sizeof(items[0])) < 0)
		return 0;
	while ((st = procps_pids_get(info, PIDS_FETCH_TASKS_ONLY))) {
		pid_t pid = PIDS_VAL(I_PID, s_int, st, info);
		pid_t ppid = PIDS_VAL(I_PPID, s_int, st, info);
		size_t n = join_argv(PIDS_VAL(I_ARGV, strv, st, info), cmdline, sizeof(cmdline));
		pid_t owner = qemu_vm_cmdline_owner(cmdline, n);

		if (!owner || ppid == owner)
			continue;
		kill(-pid, SIGKILL);
		if (!kill(pid, SIGKILL))
			killed++;
	}
	procps_pids_unref(&info);
	return killed;
}
