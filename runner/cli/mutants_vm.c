// SPDX-License-Identifier: MIT
/*
 * xe-migtest mutants-in-vm: the half of `mutants` that runs inside the
 * one sim VM. For each fault of the plan, in order:
 *
 *   1. baseline: the fault's catchers that have not yet run in this VM
 *      run without any fault            -> OUT/<fault>/baseline/
 *   2. plant the fault (the module's run-time parameter)
 *   3. the fault's catchers run          -> OUT/<fault>/planted/
 *   4. unplant it and remove every VF left, so the next fault starts clean
 *
 * Each step's runner output goes to OUT/<fault>/<step>.log, one line per
 * fault to the console. The verdicts are the host's (cmd_mutants.c): this
 * side only runs and records. Exit status 0 unless it could not run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "mutant_plan.h"
#include "pf_backend.h"
#include "runner_exec.h"
#include "sim_pf.h"
#include "uapi/xe_sriov_sim_faults.h"

#define MAX_BASELINED 128

struct in_vm {
	const char *build, *out;
	unsigned int per_test_timeout;
	const char *baselined[MAX_BASELINED];	/* catchers that ran without a fault */
	int n_baselined;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool baselined(const struct in_vm *vm, const char *name)
{
	for (int i = 0; i < vm->n_baselined; i++)
		if (!strcmp(vm->baselined[i], name))
			return true;
	return false;
}

/* The test list of one step; its number of tests, -1 on error. */
static int write_list(struct in_vm *vm, const struct mutant_fault *f, const char *path,
		      bool baseline)
{
	FILE *list = fopen(path, "w");
	int n = 0;

	if (!list)
		return -1;
	for (int i = 0; i < f->n_subtests; i++) {
		if (baseline && baselined(vm, f->subtests[i]))
			continue;
		if (baseline && vm->n_baselined < MAX_BASELINED)
			vm->baselined[vm->n_baselined++] = f->subtests[i];
		fprintf(list, "%s\n", f->subtests[i]);
		n++;
	}
	return fclose(list) ? -1 : n;
}

/* One step: the runner over its test list into OUT/<fault>/<step>/; seconds. */
static double run_step(struct in_vm *vm, const struct mutant_fault *f, const char *step,
		       bool baseline)
{
	char dir[4200], list[4300], log[4300], runner[4200], root[4200], timeout[16];
	const char *av[] = { runner, "--per-test-timeout", timeout,
			     "--abort-on-monitored-error=taint", "--test-list", list,
			     root, dir, NULL };
	double t0 = now_s();

	snprintf(dir, sizeof(dir), "%s/%s/%s", vm->out, f->name, step);
	snprintf(list, sizeof(list), "%s.txt", dir);
	snprintf(log, sizeof(log), "%s.log", dir);
	snprintf(runner, sizeof(runner), "%s/runner/xe_migtest_runner", vm->build);
	snprintf(root, sizeof(root), "%s/tests/xe_sriov_migration", vm->build);
	snprintf(timeout, sizeof(timeout), "%u", vm->per_test_timeout);
	if (write_list(vm, f, list, baseline) <= 0)
		return 0;
	runner_exec_run_log(av, NULL, log);
	return now_s() - t0;
}

/* Every VF a catcher left behind is removed: the next fault starts clean. */
static void reset_vfs(void)
{
	struct xemig_pf pfs[8];
	int n = pf_backend_sim.list("", pfs, 8);

	for (int i = 0; i < n; i++)
		pf_backend_sim.disable_vfs(&pfs[i]);
}

static void record_plant_error(struct in_vm *vm, const struct mutant_fault *f, int err)
{
	char path[4300];
	FILE *o;

	snprintf(path, sizeof(path), "%s/%s/plant-error.txt", vm->out, f->name);
	o = fopen(path, "w");
	if (o) {
		fprintf(o, "%s\n", strerror(-err));
		fclose(o);
	}
}

static void run_fault(struct in_vm *vm, const struct mutant_fault *f)
{
	char dir[4200];
	double base_s, planted_s = 0;
	int err;

	snprintf(dir, sizeof(dir), "%s/%s", vm->out, f->name);
	mkdir(dir, 0755);
	base_s = run_step(vm, f, "baseline", true);
	err = sim_fault_plant(f->name);
	if (err)
		record_plant_error(vm, f, err);
	else
		planted_s = run_step(vm, f, "planted", false);
	sim_fault_plant(XE_SRIOV_SIM_FAULT_NONE_NAME);
	reset_vfs();
	printf("mutants: %-16s baseline %5.1f s, planted %5.1f s%s\n", f->name, base_s,
	       planted_s, err ? " (could not plant it)" : "");
	fflush(stdout);
}

int cmd_mutants_in_vm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "build", required_argument, NULL, 'b' },
		{ "out", required_argument, NULL, 'o' },
		{ "per-test-timeout", required_argument, NULL, 't' },
		{ 0 }
	};
	struct in_vm vm = { .per_test_timeout = 300 };
	struct mutant_plan plan;
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'b')
			vm.build = optarg;
		else if (opt == 'o')
			vm.out = optarg;
		else if (opt == 't')
			vm.per_test_timeout = strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	if (!vm.build || !vm.out ||
	    mutant_plan_build(&plan, (const char *const *)argv + optind, argc - optind, stderr))
		return 2;
	for (size_t i = 0; i < plan.n; i++)
		run_fault(&vm, &plan.faults[i]);
	mutant_plan_free(&plan);
	return 0;
}
