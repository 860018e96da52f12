// SPDX-License-Identifier: MIT
/*
 * xe-migtest mutants-in-vm: the half of `mutants` that runs inside the
 * one sim VM:
 *
 *   1. baseline: every catcher of the plan runs once without any fault,
 *      in one runner            -> OUT/baseline/
 *   then for each fault of the plan, in order:
 *   2. plant the fault (the module's run-time parameter)
 *   3. the fault's catchers run  -> OUT/<fault>/planted/
 *   4. unplant it and remove every VF left, so the next fault starts clean
 *
 * Each step's runner output goes beside its results (OUT/baseline.log,
 * OUT/<fault>/planted.log), one line per step to the console. The verdicts are the host's (cmd_mutants.c): this
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

struct in_vm {
	const char *build, *out;
	unsigned int per_test_timeout;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Whether @name is a catcher of one of the first @n faults of @plan. */
static bool listed_before(const struct mutant_plan *plan, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < plan->faults[i].n_subtests; k++)
			if (!strcmp(plan->faults[i].subtests[k], name))
				return true;
	return false;
}

/*
 * The test list of a step: @f's catchers, or with @f NULL every catcher
 * of @plan once (the baseline); its number of tests, -1 on error.
 */
static int write_list(const struct mutant_plan *plan, const struct mutant_fault *f,
		      const char *path)
{
	FILE *list = fopen(path, "w");
	int n = 0;

	if (!list)
		return -1;
	for (size_t i = 0; i < plan->n; i++) {
		const struct mutant_fault *g = &plan->faults[i];

		if (f && g != f)
			continue;
		for (int k = 0; k < g->n_subtests; k++) {
			if (!f && listed_before(plan, i, g->subtests[k]))
				continue;
			fprintf(list, "%s\n", g->subtests[k]);
			n++;
		}
	}
	return fclose(list) ? -1 : n;
}

/* One step: the runner over its test list into @dir; seconds. */
static double run_step(struct in_vm *vm, const struct mutant_plan *plan,
		       const struct mutant_fault *f, const char *dir)
{
	char list[4300], log[4300], runner[4200], root[4200], timeout[16];
	const char *av[] = { runner, "--per-test-timeout", timeout,
			     "--abort-on-monitored-error=taint", "--test-list", list,
			     root, dir, NULL };
	double t0 = now_s();

	snprintf(list, sizeof(list), "%s.txt", dir);
	snprintf(log, sizeof(log), "%s.log", dir);
	snprintf(runner, sizeof(runner), "%s/runner/xe_migtest_runner", vm->build);
	snprintf(root, sizeof(root), "%s/tests/xe_sriov_migration", vm->build);
	snprintf(timeout, sizeof(timeout), "%u", vm->per_test_timeout);
	if (write_list(plan, f, list) <= 0)
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

static void run_fault(struct in_vm *vm, const struct mutant_plan *plan,
		      const struct mutant_fault *f)
{
	char dir[4200];
	double planted_s = 0;
	int err;

	snprintf(dir, sizeof(dir), "%s/%s", vm->out, f->name);
	mkdir(dir, 0755);
	err = sim_fault_plant(f->name);
	if (err) {
		record_plant_error(vm, f, err);
	} else {
		snprintf(dir, sizeof(dir), "%s/%s/planted", vm->out, f->name);
		planted_s = run_step(vm, plan, f, dir);
	}
	sim_fault_plant(XE_SRIOV_SIM_FAULT_NONE_NAME);
	reset_vfs();
	printf("mutants: %-16s planted %5.1f s%s\n", f->name, planted_s,
	       err ? " (could not plant it)" : "");
	fflush(stdout);
}

/* Every catcher once without a fault, in one runner: OUT/baseline/. */
static void run_baseline(struct in_vm *vm, const struct mutant_plan *plan)
{
	char dir[4200];
	double s;

	snprintf(dir, sizeof(dir), "%s/baseline", vm->out);
	s = run_step(vm, plan, NULL, dir);
	reset_vfs();
	printf("mutants: every catcher without a fault (baseline) %5.1f s\n", s);
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
	run_baseline(&vm, &plan);
	for (size_t i = 0; i < plan.n; i++)
		run_fault(&vm, &plan, &plan.faults[i]);
	mutant_plan_free(&plan);
	return 0;
}
