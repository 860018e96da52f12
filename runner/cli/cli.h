/* SPDX-License-Identifier: MIT */
/* The xe-migtest front end: shared state of its commands. */
#ifndef XEMT_CLI_H
#define XEMT_CLI_H

#include <getopt.h>

#include "phase_clock.h"
#include "sim_vm.h"

/* Exit status of 'vm' when the VM or its kernel failed, not the command. */
#define XEMT_EXIT_VM_FAILED 125

/* Options of every command that boots the VM (cmd_vm.c). */
enum { OPT_TIMEOUT = 1000, OPT_RESULTS, OPT_MODPARAMS, OPT_CONSOLE,
       OPT_MEMORY, OPT_CPUS, OPT_QUIET, OPT_CPU_MODEL };

#define VM_LONG_OPTS \
	{ "timeout", required_argument, NULL, OPT_TIMEOUT }, \
	{ "results", required_argument, NULL, OPT_RESULTS }, \
	{ "modparams", required_argument, NULL, OPT_MODPARAMS }, \
	{ "console-log", required_argument, NULL, OPT_CONSOLE }, \
	{ "memory", required_argument, NULL, OPT_MEMORY }, \
	{ "cpus", required_argument, NULL, OPT_CPUS }, \
	{ "cpu-model", required_argument, NULL, OPT_CPU_MODEL }, \
	{ "quiet", no_argument, NULL, OPT_QUIET }

struct cli {
	const char *root;	/* project tree */
	const char *build;	/* build directory */
	struct sim_vm_config vm;
};

int cmd_vm(struct cli *cli, int argc, char **argv);
int cmd_suite(struct cli *cli, int argc, char **argv, bool strict);

/*
 * check's suite (cmd_suite.c): a child process runs @before, the host
 * phase (once the sim VM's runner made the results dir) and @after while
 * this one runs the sim VM phase; the child's output follows the VM
 * phase's. The child's clocks must be in shared memory.
 */
struct suite_beside {
	int (*before)(struct cli *cli, void *arg);	/* its status, 0: ok */
	int (*after)(struct cli *cli, void *arg);
	void *arg;
	struct phase_clock *vm_clock, *host_clock;
};
int cmd_suite_beside(struct cli *cli, int argc, char **argv, const struct suite_beside *b);
int cmd_host(struct cli *cli, int argc, char **argv);
int cmd_bench(struct cli *cli, int argc, char **argv);
int cmd_stream(int argc, char **argv);
int cmd_vf(int argc, char **argv);
int cmd_mutants(struct cli *cli, int argc, char **argv);
int cmd_mutants_in_vm(int argc, char **argv);
int cmd_expected(int argc, char **argv);
int cmd_save_restore(int argc, char **argv);

/* Shared by the commands that boot the VM. */
int vm_parse_common(struct cli *cli, int opt, const char *arg);
int vm_boot(struct cli *cli, char *const argv[], struct sim_vm_report *rep);

#endif
