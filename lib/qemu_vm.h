/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Launch and own QEMU processes for the migration loop: a source booting a
 * kernel + initramfs, or a destination waiting with -incoming defer, each
 * with its own serial log, QEMU's stderr in a file and a QMP socket already
 * connected (lib/qmp). Optionally a VFIO device with enable-migration=on:
 * an mdev by sysfs path, or a VF by PCI address on a lab host.
 *
 * QEMU never outlives the harness: every VM runs in its own process group
 * with PR_SET_PDEATHSIG, qemu_vm_kill_all() is async-signal-safe for exit
 * handlers, and qemu_vm_reap_stale() kills what a crashed earlier run left
 * behind. Such leftovers are found by the marker each VM carries in its
 * command line, "-name xemt-vm.<owner pid>.<name>": a marked QEMU whose
 * parent is no longer that owner belongs to nobody.
 */
#ifndef XEMIG_QEMU_VM_H
#define XEMIG_QEMU_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "qmp.h"

#define QEMU_VM_MARKER "xemt-vm."
#define QEMU_VM_MAX_EXTRA 16

struct qemu_vm_config {
	const char *name;	/* short: in the marker and the file names */
	const char *sock_dir;	/* QMP socket (a sun_path: keep it short) */
	const char *log_dir;	/* serial log and QEMU's stderr; NULL: sock_dir */
	const char *qemu;	/* NULL: qemu-system-x86_64 */
	const char *machine;	/* NULL: q35 */
	const char *accel;	/* NULL: tcg */
	const char *cpu;	/* NULL: max */
	unsigned int mem_mb;	/* 0: 128 */
	unsigned int cpus;	/* 0: 1 */
	const char *kernel;
	const char *initrd;
	const char *append;	/* kernel command line */
	/*
	 * A VFIO device: a path ("/sys/bus/mdev/devices/<uuid>", the sim's
	 * VFs) becomes sysfsdev=, anything else (a PCI address, a lab's VF)
	 * host=. NULL: none.
	 */
	const char *vfio;
	bool incoming;		/* destination: -incoming defer */
	const char *extra[QEMU_VM_MAX_EXTRA];	/* more arguments, NULL-ended */
};

struct qemu_vm {
	pid_t pid;		/* 0: not running */
	char name[96];		/* the -name marker */
	char qmp_path[108];
	char serial_log[4096];
	char stderr_log[4096];
	struct qmp qmp;
	bool connected;		/* qmp is open */
	char error[1024];	/* why the last call failed */
};

/*
 * The command line for @cfg (malloc'd, NULL-terminated, free with
 * qemu_vm_argv_free()); paths come from @vm (qemu_vm_paths()). NULL when
 * out of memory or when @cfg has too many extra arguments.
 */
char **qemu_vm_argv(const struct qemu_vm_config *cfg, const struct qemu_vm *vm);
void qemu_vm_argv_free(char **argv);

/* Fill vm->name, qmp_path, serial_log, stderr_log for @cfg and owner @owner. */
int qemu_vm_paths(struct qemu_vm *vm, const struct qemu_vm_config *cfg, pid_t owner);

/*
 * Start QEMU and connect QMP within @timeout_ms. 0, or -errno with
 * vm->error saying why (QEMU's own stderr when it exited); on any error
 * nothing is left running.
 */
int qemu_vm_start(struct qemu_vm *vm, const struct qemu_vm_config *cfg, int timeout_ms);

/*
 * SIGKILL the VM's process group, reap it, close QMP. Idempotent, and
 * harmless on a zeroed struct qemu_vm that never started.
 */
void qemu_vm_kill(struct qemu_vm *vm);

/* "quit" over QMP, then qemu_vm_kill() whatever happened. */
void qemu_vm_quit(struct qemu_vm *vm);

/* The process is still there (reaps it if not). */
bool qemu_vm_alive(struct qemu_vm *vm);

/* query-status's "status" ("running", "paused", "postmigrate", ...). */
int qemu_vm_status(struct qemu_vm *vm, char *status, size_t size);

/* The last @size - 1 bytes of QEMU's stderr, trailing newlines dropped. */
void qemu_vm_stderr_tail(const struct qemu_vm *vm, char *buf, size_t size);

/* SIGKILL every VM this process started and has not killed yet. */
void qemu_vm_kill_all(void);

/*
 * The owner pid in a /proc/PID/cmdline (@len bytes, NUL-separated) of a
 * QEMU started by qemu_vm_start(), or 0 when it is not one.
 */
pid_t qemu_vm_cmdline_owner(const char *cmdline, size_t len);

/*
 * Kill every marked QEMU whose parent is not its owner: left behind by a
 * run that died. VMs of other live harnesses are left alone. Returns how
 * many were killed.
 */
int qemu_vm_reap_stale(void);

/* /dev/kvm opens and the CPU has vmx/svm (a PVM-only KVM boots no stock kernel). */
bool qemu_vm_kvm_usable(void);

/*
 * "qemu-system-x86_64 --version" is at least 9.1 (exit-on-error,
 * switchover-ack); @version gets the "major.minor" found, if any.
 */
bool qemu_vm_version_ok(char *version, size_t size);

/* rm -r @dir: a test's sockets and logs. Async-signal-unsafe (nftw). */
void qemu_vm_remove_dir(const char *dir);

/*
 * Remove the socket and log dirs of tests that were killed: directories
 * @tmp/xemt-<tag>.<pid>.<suffix> (as mkdtemp() made them) whose pid is
 * gone. Returns how many.
 */
int qemu_vm_sweep_dead_dirs(const char *tmp);

/*
 * Where VMs log (@log_dir) and the per-hop metrics file (*@metrics, for
 * appending): with $XEMT_RESULTS_DIR, its vm-logs/ (created) and
 * vm-migration.jsonl; without, @sock_dir and none (NULL). 0, or -errno
 * when vm-migration.jsonl does not open.
 */
int qemu_vm_results_open(const char *sock_dir, char *log_dir, size_t size, FILE **metrics);

#endif
