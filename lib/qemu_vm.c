// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The life of a migration-loop QEMU: spawn it in its own process group,
 * tied to us by PR_SET_PDEATHSIG, connect QMP while watching that it did
 * not die on its command line, and kill it on every way out. Running VMs
 * are tracked in a plain array so an exit or signal handler can kill them
 * without taking locks or allocating.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qemu_vm.h"

#define MAX_LIVE 32

static volatile pid_t live[MAX_LIVE];

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void track(pid_t pid)
{
	for (int i = 0; i < MAX_LIVE; i++) {
		if (!live[i]) {
			live[i] = pid;
			return;
		}
	}
}

static void untrack(pid_t pid)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (live[i] == pid)
			live[i] = 0;
}

void qemu_vm_kill_all(void)
{
	for (int i = 0; i < MAX_LIVE; i++) {
		pid_t pid = live[i];

		if (pid > 0) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			live[i] = 0;
		}
	}
}

/* In the child: never returns. */
static void exec_qemu(char **argv, pid_t parent, int out_fd)
{
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	/* Dies with the harness, however the harness dies. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);	/* the harness died before prctl took */
	dup2(null, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	execvp(argv[0], argv);
	dprintf(STDERR_FILENO, "cannot exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int spawn(struct qemu_vm *vm, char **argv)
{
	pid_t parent = getpid();
	int out_fd = open(vm->stderr_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	pid_t pid;

	if (out_fd < 0)
		return -errno;
	pid = fork();
	if (pid == 0)
		exec_qemu(argv, parent, out_fd);
	close(out_fd);
	if (pid < 0)
		return -errno;
	/* Also here: kill(-pid) must work even before the child ran. */
	setpgid(pid, pid);
	vm->pid = pid;
	track(pid);
	return 0;
}

bool qemu_vm_alive(struct qemu_vm *vm)
{
	if (vm->pid <= 0)
		return false;
	if (waitpid(vm->pid, NULL, WNOHANG) == 0)
		return true;
	untrack(vm->pid);
	/* It is gone, but its group (helpers) may not be. */
	kill(-vm->pid, SIGKILL);
	vm->pid = 0;
	return false;
}

void qemu_vm_stderr_tail(const struct qemu_vm *vm, char *buf, size_t size)
{
	int fd = open(vm->stderr_log, O_RDONLY | O_CLOEXEC);
	struct stat st;
	ssize_t n = 0;

	buf[0] = '\0';
	if (fd < 0)
		return;
	if (!fstat(fd, &st)) {
		off_t off = st.st_size > (off_t)size - 1 ? st.st_size - (off_t)size + 1 : 0;

		n = pread(fd, buf, size - 1, off);
	}
	close(fd);
	if (n < 0)
		n = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
}

static int connect_qmp(struct qemu_vm *vm, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	char tail[600];

	for (;;) {
		if (!qemu_vm_alive(vm)) {
			qemu_vm_stderr_tail(vm, tail, sizeof(tail));
			snprintf(vm->error, sizeof(vm->error), "QEMU %s exited at start: %s",
				 vm->name, tail[0] ? tail : "(no output)");
			return -ECHILD;
		}
		/* Short tries: a QEMU that died is noticed within one. */
		if (!qmp_connect(&vm->qmp, vm->qmp_path, 500)) {
			vm->connected = true;
			return 0;
		}
		if (now_ms() >= deadline) {
			snprintf(vm->error, sizeof(vm->error), "QEMU %s: %s", vm->name,
				 vm->qmp.error);
			return -ETIMEDOUT;
		}
	}
}

int qemu_vm_start(struct qemu_vm *vm, const struct qemu_vm_config *cfg, int timeout_ms)
{
	char **argv;
	int err;

	memset(vm, 0, sizeof(*vm));
	err = qemu_vm_paths(vm, cfg, getpid());
	if (err) {
		snprintf(vm->error, sizeof(vm->error),
			 "VM '%s': bad name or path (commas, or a socket path too long)",
			 cfg->name ? cfg->name : "");
		return err;
	}
	argv = qemu_vm_argv(cfg, vm);
	if (!argv) {
		snprintf(vm->error, sizeof(vm->error), "VM %s: out of memory", cfg->name);
		return -ENOMEM;
	}
	unlink(vm->qmp_path);
	err = spawn(vm, argv);
	qemu_vm_argv_free(argv);
	if (err) {
		snprintf(vm->error, sizeof(vm->error), "VM %s: cannot start QEMU: %s",
			 cfg->name, strerror(-err));
		return err;
	}
	err = connect_qmp(vm, timeout_ms);
	if (err)
		qemu_vm_kill(vm);
	return err;
}

void qemu_vm_kill(struct qemu_vm *vm)
{
	if (vm->pid > 0) {
		kill(-vm->pid, SIGKILL);
		kill(vm->pid, SIGKILL);
		waitpid(vm->pid, NULL, 0);
		untrack(vm->pid);
		vm->pid = 0;
	}
	if (vm->connected)
		qmp_close(&vm->qmp);
	vm->connected = false;
	unlink(vm->qmp_path);
}

void qemu_vm_quit(struct qemu_vm *vm)
{
	long long deadline = now_ms() + 3000;

	if (vm->pid > 0 && vm->connected && !qmp_cmd_ok(&vm->qmp, "quit", NULL, 2000)) {
		while (qemu_vm_alive(vm) && now_ms() < deadline)
			usleep(20000);
	}
	qemu_vm_kill(vm);
}

int qemu_vm_status(struct qemu_vm *vm, char *status, size_t size)
{
	json_t *r;

	status[0] = '\0';
	if (!vm->connected) {
		snprintf(vm->error, sizeof(vm->error), "VM %s: not connected", vm->name);
		return -ENOTCONN;
	}
	r = qmp_cmd(&vm->qmp, "query-status", NULL, 5000);
	if (!r) {
		snprintf(vm->error, sizeof(vm->error), "VM %s: %s", vm->name, vm->qmp.error);
		return -EIO;
	}
	snprintf(status, size, "%s", json_string_value(json_object_get(r, "status")) ?: "?");
	json_decref(r);
	return 0;
}

bool qemu_vm_kvm_usable(void)
{
	char buf[4096];
	bool virt = false;
	FILE *f;
	int fd;

	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return false;
	while (!virt && fgets(buf, sizeof(buf), f))
		virt = !strncmp(buf, "flags", 5) && (strstr(buf, " vmx") || strstr(buf, " svm"));
	fclose(f);
	return virt;
}
