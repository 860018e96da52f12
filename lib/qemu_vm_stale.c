// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Leftover QEMUs of a harness that crashed. PR_SET_PDEATHSIG normally
 * takes them down with it, but it is tied to the thread that forked and
 * is lost across a crash in the wrong place; a VM left running holds its
 * VF and its sockets. Plain /proc scanning: the marker in the command
 * line names the owner, and a live owner is always the QEMU's parent
 * (it forked it), so "parent != owner" means orphaned.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static ssize_t read_proc(pid_t pid, const char *what, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* Field 4 of /proc/PID/stat; the command name (2) may hold spaces and ')'. */
static pid_t parent_of(pid_t pid)
{
	char buf[1024];
	const char *p;
	int ppid;

	if (read_proc(pid, "stat", buf, sizeof(buf)) <= 0)
		return -1;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return ppid;
}

int qemu_vm_reap_stale(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char cmdline[8192];
	int killed = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		pid_t pid, owner;
		ssize_t n;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = atoi(de->d_name);
		n = read_proc(pid, "cmdline", cmdline, sizeof(cmdline));
		owner = n > 0 ? qemu_vm_cmdline_owner(cmdline, n) : 0;
		if (!owner || parent_of(pid) == owner)
			continue;
		kill(-pid, SIGKILL);
		if (!kill(pid, SIGKILL))
			killed++;
	}
	closedir(d);
	return killed;
}
