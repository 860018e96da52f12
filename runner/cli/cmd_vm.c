// SPDX-License-Identifier: MIT
/* xe-migtest vm: run one command in the sim VM. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static int parse_uint(const char *arg, unsigned int min, unsigned int *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (!*arg || *end || v < min || v > 1000000)
		return -1;
	*out = v;
	return 0;
}

/**
 * vm_parse_common - handle one VM option; 1 if not a VM option, -1 if bad
 */
int vm_parse_common(struct cli *cli, int opt, const char *arg)
{
	struct sim_vm_config *vm = &cli->vm;
	static char abs_results[4096];

	switch (opt) {
	case OPT_TIMEOUT:
		return parse_uint(arg, 10, &vm->timeout_s);
	case OPT_RESULTS:
		if (!realpath(arg, abs_results)) {
			mkdir(arg, 0755);
			if (!realpath(arg, abs_results))
				return -1;
		}
		vm->results = abs_results;
		return 0;
	case OPT_MODPARAMS:
		vm->modparams = arg;
		return 0;
	case OPT_CONSOLE:
		vm->console_log = arg;
		return 0;
	case OPT_MEMORY:
		return parse_uint(arg, 256, &vm->mem_mb);
	case OPT_CPUS:
		return parse_uint(arg, 1, &vm->cpus);
	case OPT_CPU_MODEL:
		vm->cpu_model = arg;
		return 0;
	case OPT_QUIET:
		vm->quiet = true;
		return 0;
	}
	return 1;
}

/**
 * vm_boot - run @argv in the sim VM and print how it went
 */
int vm_boot(struct cli *cli, char *const argv[], struct sim_vm_report *rep)
{
	int err;

	mkdir(cli->vm.workdir, 0755);
	if (cli->vm.results)
		mkdir(cli->vm.results, 0755);
	err = sim_vm_run(&cli->vm, argv, rep);
	sim_vm_report_print(stderr, rep);
	return err;
}

int cmd_vm(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { VM_LONG_OPTS, { 0 } };
	struct sim_vm_report rep;
	int opt;

	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (opt == 'h' || opt == '?' ||
		    vm_parse_common(cli, opt, optarg)) {
			fprintf(stderr, "usage: xe-migtest vm [VM-OPTS] [--] CMD [ARGS...]\n"
				"(see xe-migtest --help)\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "xe-migtest vm: no command given\n");
		return 2;
	}
	if (vm_boot(cli, argv + optind, &rep))
		return XEMT_EXIT_VM_FAILED;
	if (!sim_vm_clean(&rep))
		return XEMT_EXIT_VM_FAILED;
	return rep.status;
}
