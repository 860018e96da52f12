// SPDX-License-Identifier: MIT
/*
 * xe-migtest mutants: how we know the suite is good. For every fault
 * xe_sriov_sim can plant (uapi/xe_sriov_sim_faults.h), boot the sim VM
 * with fault=<name>, run the test binary meant to catch it, and require
 * at least one failing subtest, with the kernel still clean (a planted
 * bug must be caught by a test, not by a crash). The mutation score is
 * caught/planted; anything below 100% fails.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "uapi/xe_sriov_sim_faults.h"

struct fault {
	const char *name;
	const char *what;
};

#define XEMT_FAULT_ENTRY(id, name, what) { name, what },
static const struct fault faults[] = {
	XE_SRIOV_SIM_FAULTS(XEMT_FAULT_ENTRY)
};
#define N_FAULTS (sizeof(faults) / sizeof(faults[0]))

/* The test binary that should catch each fault (full name); default: all of them. */
static const struct {
	const char *prefix;	/* fault name prefix */
	const char *binary;
} catchers[] = {
#define M(b) "xe_sriov_migration_" b
#define S(b) "xe_sriov_sim_" b
	{ "vram-", M("data") }, { "ccs-", S("ccs") }, { "ggtt-", M("data") },
	{ "mmio-", M("data") }, { "no-irq", M("data") }, { "marker-", M("data") },
	{ "flr-", M("data") }, { "size-", M("stream") }, { "read-seg", M("stream") },
	{ "write-seg", M("stream") }, { "debugfs-", M("stream") }, { "devid-", M("negative") },
	{ "trailer-", M("negative") }, { "bounds-", M("negative") }, { "p2p-", M("fsm") },
	{ "fd-", M("fsm") }, { "reset-", M("fsm") }, { "cmd-", S("fixups") },
#undef M
#undef S
};

static const char *catcher(const char *fault)
{
	for (size_t i = 0; i < sizeof(catchers) / sizeof(catchers[0]); i++)
		if (!strncmp(fault, catchers[i].prefix, strlen(catchers[i].prefix)))
			return catchers[i].binary;
	return NULL;
}

/* Failing subtests in results.json, listed into buf; -1 if unreadable. */
static int count_failures(const char *dir, char *buf, size_t size)
{
	char path[4200];
	const char *name;
	json_t *root, *t;
	size_t len = 0;
	int n = 0;

	snprintf(path, sizeof(path), "%s/results.json", dir);
	root = json_load_file(path, 0, NULL);
	if (!root)
		return -1;
	buf[0] = '\0';
	json_object_foreach(json_object_get(root, "tests"), name, t) {
		const char *r = json_string_value(json_object_get(t, "result"));

		/*
		 * Only a test's own verdict counts: a planted fault may log
		 * kernel warnings, and a dmesg-warn is not the test catching it.
		 */
		if (!r || !strcmp(r, "pass") || !strcmp(r, "skip") || !strcmp(r, "notrun") ||
		    !strcmp(r, "warn") || !strcmp(r, "dmesg-warn"))
			continue;
		if (n++ < 3 && len < size)
			len += snprintf(buf + len, size - len, "%s%s(%s)", n > 1 ? " " : "",
					name + strlen("igt@"), r);
	}
	json_decref(root);
	return n;
}

struct mutant_run {
	struct cli *cli;
	char base[4096];
	unsigned int per_test_timeout;
};

/* One fault: boot with it, run its catcher; 1 if caught, 0 if not. */
static int run_one(struct mutant_run *m, const struct fault *f)
{
	char dir[4300], modparams[512], filter[128], timeout[16], runner[4200], root[4200];
	char caught_by[512], console[4400];
	const char *bin = catcher(f->name);
	char *av[] = { runner, "--per-test-timeout", timeout, "-t", filter, root, dir, NULL };
	struct sim_vm_config vm = m->cli->vm;
	struct sim_vm_report rep;
	int n, err;

	snprintf(dir, sizeof(dir), "%s/%s", m->base, f->name);
	snprintf(modparams, sizeof(modparams), "%s%sfault=%s",
		 m->cli->vm.modparams ? m->cli->vm.modparams : "",
		 m->cli->vm.modparams ? " " : "", f->name);
	snprintf(filter, sizeof(filter), bin ? "^igt@%s@" : "^igt@%s", bin ? bin : "");
	snprintf(timeout, sizeof(timeout), "%u", m->per_test_timeout);
	snprintf(runner, sizeof(runner), "%s/runner/xe_migtest_runner", m->cli->build);
	snprintf(root, sizeof(root), "%s/tests/xe_sriov_migration", m->cli->build);
	snprintf(console, sizeof(console), "%s/%s.console.log", m->base, f->name);
	vm.modparams = modparams;
	vm.console_log = console;
	vm.quiet = true;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (attempt)	/* keep the first console: it says why */
			snprintf(console, sizeof(console), "%s/%s.retry.console.log", m->base,
				 f->name);
		err = sim_vm_run(&vm, av, &rep);
		n = err ? -1 : count_failures(dir, caught_by, sizeof(caught_by));
		/* The VM never got to run the tests: infrastructure, not a verdict. */
		if (n >= 0 || attempt || (!err && rep.outcome == SIM_VM_EXITED))
			break;
		printf("  %-16s the VM did not run the tests, retrying once:\n", f->name);
		sim_vm_report_print(stdout, &rep);
	}
	if (err || !sim_vm_clean(&rep)) {
		printf("  %-16s NOT CAUGHT: the VM or its kernel failed (console: %s)\n",
		       f->name, console);
		if (!err)
			sim_vm_report_print(stdout, &rep);
		return 0;
	}
	if (n <= 0) {
		printf("  %-16s NOT CAUGHT: %s passed (%s)\n", f->name,
		       bin ? bin : "the suite", f->what);
		return 0;
	}
	printf("  %-16s caught by %d: %s%s\n", f->name, n, caught_by, n > 3 ? " ..." : "");
	fflush(stdout);
	return 1;
}

int cmd_mutants(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		VM_LONG_OPTS,
		{ "fault", required_argument, NULL, 'f' },
		{ 0 }
	};
	struct mutant_run m = { .cli = cli, .per_test_timeout = 300 };
	const char *only[N_FAULTS];
	unsigned int n_only = 0, planted = 0, caught = 0;
	char stamp[32];
	time_t t = time(NULL);
	int opt;

	while ((opt = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
		if (opt == 'f' && n_only < N_FAULTS)
			only[n_only++] = optarg;
		else if (opt == 'f' || vm_parse_common(cli, opt, optarg))
			return 2;
	}
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&t));
	mkdir(cli->vm.results, 0755);
	snprintf(m.base, sizeof(m.base), "%s/mutants-%s", cli->vm.results, stamp);
	if (mkdir(m.base, 0755)) {
		perror(m.base);
		return 1;
	}
	printf("xe-migtest: planting %s of %zu faults, one VM each; results in %s\n",
	       n_only ? "some" : "each", N_FAULTS, m.base);
	fflush(stdout);
	for (size_t i = 0; i < N_FAULTS; i++) {
		bool want = !n_only;

		for (unsigned int k = 0; k < n_only; k++)
			want |= !strcmp(only[k], faults[i].name);
		if (!want)
			continue;
		planted++;
		caught += run_one(&m, &faults[i]);
	}
	printf("mutation score: %u of %u planted faults caught\n", caught, planted);
	return planted && caught == planted ? 0 : 1;
}
