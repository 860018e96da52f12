/* SPDX-License-Identifier: MIT */
/*
 * The sim VM: Debian's 6.12 kernel under QEMU with VFIO, mdev and
 * xe_sriov_sim loaded, running one command. Outcomes that are not a clean
 * exit (panic, oops, fatal taint, hang) are reported as such.
 */
#ifndef XEMT_SIM_VM_H
#define XEMT_SIM_VM_H

#include <stdbool.h>
#include <stdio.h>

struct sim_vm_config {
	const char *kernel;	/* the kernel image QEMU boots */
	const char *initrd;	/* runner/vm/mkinitramfs.sh output */
	const char *root;	/* project tree: read-only, same path in the VM */
	const char *results;	/* read-write, same path in the VM; may be NULL */
	const char *workdir;	/* host scratch dir for the control share */
	const char *console_log; /* whole serial console, or NULL */
	const char *modparams;	/* xe_sriov_sim module parameters */
	const char *cpu_model;	/* TCG -cpu model; NULL: "max" (KVM: host) */
	unsigned int timeout_s;	/* whole VM run, boot included */
	unsigned int mem_mb;
	unsigned int cpus;
	bool quiet;		/* do not echo the command's output */
};

enum sim_vm_outcome {
	SIM_VM_EXITED,		/* the command ran and returned */
	SIM_VM_TIMEOUT,		/* no exit marker before timeout_s */
	SIM_VM_PANIC,		/* kernel panic */
	SIM_VM_BOOT_FAILED,	/* /init could not start the command */
	SIM_VM_LOST,		/* QEMU ended without an exit marker */
	SIM_VM_ERROR,		/* could not start QEMU at all */
};

struct sim_vm_report {
	enum sim_vm_outcome outcome;
	int status;		/* the command's exit status */
	unsigned long taint;	/* /proc/sys/kernel/tainted after it */
	bool oops;		/* Oops or BUG on the console */
	bool warn;		/* WARNING on the console */
	double boot_s;		/* QEMU start to command start (wall) */
	double guest_boot_s;	/* guest uptime at command start */
	double cmd_s;		/* command start to exit (wall) */
	double total_s;
	char detail[1024];
};

int sim_vm_run(const struct sim_vm_config *cfg, char *const argv[],
	       struct sim_vm_report *rep);
unsigned long sim_vm_fatal_taint(const struct sim_vm_report *rep);
bool sim_vm_clean(const struct sim_vm_report *rep);
void sim_vm_report_print(FILE *f, const struct sim_vm_report *rep);

#endif
