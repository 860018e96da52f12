// SPDX-License-Identifier: MIT
/*
 * xe-migtest mutants: how we know the suite is good. Every fault
 * xe_sriov_sim can plant (uapi/xe_sriov_sim_faults.h) must be caught by
 * the subtests uapi/xe_sriov_sim_fault_catchers.h names, for the reason
 * it names: each passes without the fault and fails with it, its failure
 * matching the table's pattern, with the kernel still clean (a planted
 * bug must be caught by a test, not by a crash).
 *
 * One sim VM serves every fault: mutants_vm.c runs inside it (every
 * catcher once without a fault; then per fault: plant at run time,
 * planted run, unplant and reset the VFs);
 * this side boots it, then judges each fault from the results
 * (mutant_verdict.c). The mutation score is caught/planted; anything
 * below 100% fails.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "mutant_plan.h"
#include "mutant_verdict.h"
#include "phase_clock.h"

#define MAX_ONLY 64

struct mutants_opts {
	const char *only[MAX_ONLY];
	int n_only;
	unsigned int per_test_timeout;
	char base[4096];
};

enum { OPT_FAULT = 3000, OPT_PER_TEST };

static int parse_opts(struct cli *cli, int argc, char **argv, struct mutants_opts *o)
{
	static const struct option opts[] = {
		VM_LONG_OPTS,
		{ "fault", required_argument, NULL, OPT_FAULT },
		{ "per-test-timeout", required_argument, NULL, OPT_PER_TEST },
		{ 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == OPT_FAULT && o->n_only < MAX_ONLY)
			o->only[o->n_only++] = optarg;
		else if (opt == OPT_PER_TEST)
			o->per_test_timeout = strtoul(optarg, NULL, 10);
		else if (opt == OPT_FAULT || vm_parse_common(cli, opt, optarg))
			return -1;
	}
	return optind == argc && o->per_test_timeout ? 0 : -1;
}

/* The VM's command: mutants_vm.c over the plan's faults. */
static int boot_one_vm(struct cli *cli, const struct mutants_opts *o,
		       const struct mutant_plan *plan, struct sim_vm_report *rep)
{
	char self[4200], timeout[16], console[4200];
	char *av[16 + MAX_ONLY] = { self, "mutants-in-vm", "--build", (char *)cli->build,
				    "--out", (char *)o->base, "--per-test-timeout", timeout };
	struct sim_vm_config vm = cli->vm;
	int n = 8;

	snprintf(self, sizeof(self), "%s/runner/cli/xe-migtest", cli->build);
	snprintf(timeout, sizeof(timeout), "%u", o->per_test_timeout);
	snprintf(console, sizeof(console), "%s/vm-console.log", o->base);
	for (size_t i = 0; i < plan->n && n < 15 + MAX_ONLY; i++)
		av[n++] = (char *)plan->faults[i].name;
	av[n] = NULL;
	vm.console_log = console;
	return sim_vm_run(&vm, av, rep);
}

/*
 * The VM ran every fault and exited cleanly. A VM that never started the
 * command (infrastructure, not a verdict) gets one more try.
 */
static bool run_vm(struct cli *cli, const struct mutants_opts *o,
		   const struct mutant_plan *plan, struct sim_vm_report *rep)
{
	int err = boot_one_vm(cli, o, plan, rep);

	if (!err && rep->outcome != SIM_VM_BOOT_FAILED && rep->outcome != SIM_VM_ERROR)
		return rep->outcome == SIM_VM_EXITED && rep->status == 0 && sim_vm_clean(rep);
	printf("xe-migtest: the VM did not run the command, retrying once:\n");
	sim_vm_report_print(stdout, rep);
	err = boot_one_vm(cli, o, plan, rep);
	return !err && rep->outcome == SIM_VM_EXITED && rep->status == 0 && sim_vm_clean(rep);
}

/* results.json's "tests" of OUT/<sub>, or NULL. */
static json_t *load_tests(const char *base, const char *sub)
{
	char path[4400];
	json_t *root, *tests;

	snprintf(path, sizeof(path), "%s/%s/results.json", base, sub);
	root = json_load_file(path, 0, NULL);
	tests = json_incref(json_object_get(root, "tests"));
	json_decref(root);
	return tests;
}

/* Every catcher's baseline result (OUT/baseline/): a catcher runs once. */
static json_t *load_baselines(const char *base)
{
	json_t *all = load_tests(base, "baseline");

	return all ? all : json_object();
}

static bool plant_failed(const char *base, const char *fault)
{
	char path[4400];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s/plant-error.txt", base, fault);
	return !stat(path, &st);
}

/* Judge every fault; how many were caught for the right reason. */
static size_t judge_all(const char *base, const struct mutant_plan *plan)
{
	json_t *baseline = load_baselines(base);
	size_t caught = 0;

	for (size_t i = 0; i < plan->n; i++) {
		const struct mutant_fault *f = &plan->faults[i];
		char sub[4200];
		json_t *planted;

		snprintf(sub, sizeof(sub), "%s/planted", f->name);
		planted = plant_failed(base, f->name) ? NULL : load_tests(base, sub);

		if (!planted && !plant_failed(base, f->name))
			planted = json_object();	/* no results at all: all missing */
		caught += mutant_judge(f, baseline, planted, stdout) == MUTANT_CAUGHT;
		json_decref(planted);
	}
	json_decref(baseline);
	return caught;
}

static int make_base(struct cli *cli, struct mutants_opts *o)
{
	char stamp[32];
	time_t t = time(NULL);

	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&t));
	mkdir(cli->vm.results, 0755);
	mkdir(cli->vm.workdir, 0755);
	snprintf(o->base, sizeof(o->base), "%s/mutants-%s", cli->vm.results, stamp);
	if (mkdir(o->base, 0755)) {
		perror(o->base);
		return -1;
	}
	return 0;
}

int cmd_mutants(struct cli *cli, int argc, char **argv)
{
	struct mutants_opts o = { .per_test_timeout = 300 };
	struct mutant_plan plan;
	struct sim_vm_report rep;
	struct phase_clock clock;
	size_t caught;
	bool vm_ok;
	int rc;

	if (parse_opts(cli, argc, argv, &o)) {
		fprintf(stderr, "usage: xe-migtest mutants [VM-OPTS] [--per-test-timeout S] [--fault NAME]...\n");
		return 2;
	}
	if (mutant_plan_build(&plan, o.only, o.n_only, stderr) || make_base(cli, &o)) {
		mutant_plan_free(&plan);
		return 2;
	}
	printf("xe-migtest: planting %zu faults in one sim VM; results in %s\n", plan.n, o.base);
	fflush(stdout);
	phase_clock_start(&clock);
	vm_ok = run_vm(cli, &o, &plan, &rep);
	phase_clock_stop(&clock);
	sim_vm_report_print(stdout, &rep);
	phase_clock_print(&clock, "mutants VM", stdout);
	caught = judge_all(o.base, &plan);
	if (!vm_ok)
		printf("the VM or its kernel failed (console: %s/vm-console.log): no fault counts as caught\n",
		       o.base);
	printf("mutation score: %zu of %zu planted faults caught for the right reason\n",
	       vm_ok ? caught : 0, plan.n);
	/* Decided before the plan is freed: freeing it zeroes plan.n. */
	rc = vm_ok && caught == plan.n ? 0 : 1;
	mutant_plan_free(&plan);
	return rc;
}
