// SPDX-License-Identifier: MIT
/*
 * xe-migtest: the front end behind ./xe-migtest, which installs and builds
 * first and then runs this with XEMT_ROOT, XEMT_BUILD, XEMT_KERNEL and
 * XEMT_INITRD set.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cli.h"
#include "html_report.h"
#include "phase_clock.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xe-migtest COMMAND [OPTIONS]\n"
		"\n"
		"  run   [VM-OPTS] [--results-dir DIR] [-t REGEX] [-x REGEX]\n"
		"        run every test in the sim VM, write DIR (default\n"
		"        results/<timestamp>) and print a summary; then, unless\n"
		"        --no-host, the host-level tests (QEMU migrating whole VMs\n"
		"        on this host) into DIR/host; results are compared with\n"
		"        tests/xe_sriov_migration/expected-{sim,host}.txt\n"
		"  check [same options]\n"
		"        as run, but exit non-zero on anything other than a pass or\n"
		"        a skip those lists expect, or a test missing or not listed;\n"
		"        bench --smoke, the host-level tests and mutants run beside\n"
		"        the sim VM suite, their output after its summary\n"
		"  host  [--results-dir DIR] [-t REGEX] [-x REGEX]\n"
		"        only the host-level tests (results/host-<timestamp>)\n"
		"  report DIR\n"
		"        (re)write DIR/report.html, the results page run/check/host write\n"
		"  mutants [VM-OPTS] [--per-test-timeout S] [--fault NAME]...\n"
		"        in one sim VM, plant each xe_sriov_sim fault in turn; the\n"
		"        subtests uapi/xe_sriov_sim_fault_catchers.h names must pass\n"
		"        without it and fail with it, for the reason it names\n"
		"        (mutation score 100%%)\n"
		"  expected RUN_DIR\n"
		"        print a list of expected results from a run (for\n"
		"        tests/xe_sriov_migration/expected-sim.txt)\n"
		"  stream dump FILE | diff A B | check [--devid N --revid N\n"
		"        --ggtt-size N --vram-size N] FILE\n"
		"        print, compare or validate saved migration streams\n"
		"  vf list | enable COUNT | disable | reset|pause|resume --vf ID\n"
		"        [--backend sim|xe] [--pf N]: VFs by hand (sim: inside the VM)\n"
		"  save|restore [--backend sim|xe] [--pf N] --vf ID [--via vfio|debugfs]\n"
		"        [--seg BYTES] FILE: one VF's migration stream to or from FILE\n"
		"  bench [VM-OPTS] [--smoke] [--here] [--sizes MIB,...] ...\n"
		"        how fast VF state moves and is verified, against memcpy:\n"
		"        a table, results/bench-<timestamp>/bench.json and SVG plots\n"
		"        (bench --help for the rest)\n"
		"  vm    [VM-OPTS] [--] CMD [ARGS...]\n"
		"        run CMD in the sim VM, cwd = the project tree; exit status\n"
		"        is CMD's, or %d if the VM or its kernel failed\n"
		"\n"
		"VM-OPTS:\n"
		"  --timeout S        whole VM run, boot included (default 1800)\n"
		"  --results DIR      host dir shared read-write at the same path\n"
		"                     (default <project>/results)\n"
		"  --modparams STR    xe_sriov_sim module parameters\n"
		"  --console-log FILE the VM's whole serial console\n"
		"  --memory MB, --cpus N, --quiet\n"
		"  --cpu-model STR    QEMU -cpu under TCG (default max; KVM: host)\n",
		XEMT_EXIT_VM_FAILED);
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static int setup_cli(struct cli *cli)
{
	static char workdir[4096], results[4096];

	cli->root = env_or("XEMT_ROOT", NULL);
	cli->build = env_or("XEMT_BUILD", NULL);
	if (!cli->root || !cli->build) {
		fprintf(stderr,
			"xe-migtest: run me through ./xe-migtest (XEMT_ROOT and XEMT_BUILD unset)\n");
		return -1;
	}
	snprintf(workdir, sizeof(workdir), "%s/vm", cli->build);
	snprintf(results, sizeof(results), "%s/results", cli->root);
	cli->vm = (struct sim_vm_config) {
		.kernel = env_or("XEMT_KERNEL", NULL),
		.initrd = env_or("XEMT_INITRD", NULL),
		.root = cli->root,
		.results = results,
		.workdir = workdir,
		.timeout_s = 1800,
		.mem_mb = 2048,
		.cpus = 2,
	};
	return 0;
}

/* check's clocks: the child that runs beside the sim VM suite sets its own. */
struct check_clocks {
	struct phase_clock vm, host, bench, mutants;
};

/* The benchmarks must run (never judged on speed here). */
static int check_bench(struct cli *cli, void *arg)
{
	char *smoke_argv[] = { "bench", "--smoke", NULL };
	struct check_clocks *c = arg;
	int rc;

	optind = 0;	/* each command parses its own argv afresh */
	phase_clock_start(&c->bench);
	rc = cmd_bench(cli, 2, smoke_argv);
	phase_clock_stop(&c->bench);
	return rc;
}

/* The suite must fail on every planted bug. */
static int check_mutants(struct cli *cli, void *arg)
{
	char *mutants_argv[] = { "mutants", NULL };
	struct check_clocks *c = arg;
	int rc;

	optind = 0;
	phase_clock_start(&c->mutants);
	rc = cmd_mutants(cli, 1, mutants_argv);
	phase_clock_stop(&c->mutants);
	return rc;
}

/*
 * check: the sim VM suite, and beside it (a child process: they use the
 * host's kernel, the suite the VM's) bench --smoke, the host-level tests
 * and mutants; then what each took (wall against CPU: the rest was
 * waiting, for a CPU or for the other half).
 */
static int cmd_check(struct cli *cli, int argc, char **argv)
{
	struct check_clocks *c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
				      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct suite_beside b = { .before = check_bench, .after = check_mutants };
	struct phase_clock total;
	int rc;

	if (c == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	memset(c, 0, sizeof(*c));
	b.arg = c;
	b.vm_clock = &c->vm;
	b.host_clock = &c->host;
	phase_clock_start(&total);
	rc = cmd_suite_beside(cli, argc - 1, argv + 1, &b);
	phase_clock_stop(&total);
	if (c->vm.wall0)
		phase_clock_print(&c->vm, "check: sim VM suite", stdout);
	if (c->bench.wall0)
		phase_clock_print(&c->bench, "check: bench --smoke (beside the suite)", stdout);
	if (c->host.wall0)
		phase_clock_print(&c->host, "check: host-level tests (beside the suite)", stdout);
	if (c->mutants.wall0)
		phase_clock_print(&c->mutants, "check: mutants (beside the suite)", stdout);
	/* A usage error ran no phase: no timing to report. */
	if (c->vm.wall0)
		phase_clock_print(&total, "check: all of the above", stdout);
	munmap(c, sizeof(*c));
	return rc;
}

int main(int argc, char **argv)
{
	struct cli cli;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	/* Streams are files: no project tree or VM needed. */
	if (!strcmp(argv[1], "stream"))
		return cmd_stream(argc - 1, argv + 1);
	/* A VF by hand: the device is here (a lab host, or inside the VM). */
	if (!strcmp(argv[1], "vf"))
		return cmd_vf(argc - 1, argv + 1);
	if (!strcmp(argv[1], "save") || !strcmp(argv[1], "restore"))
		return cmd_save_restore(argc - 1, argv + 1);
	/* A results page: files only. */
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 1, argv + 1);
	/* A list of expected results from a run: files only. */
	if (!strcmp(argv[1], "expected"))
		return cmd_expected(argc - 1, argv + 1);
	/* The half of mutants that runs inside the sim VM (mutants_vm.c). */
	if (!strcmp(argv[1], "mutants-in-vm"))
		return cmd_mutants_in_vm(argc - 1, argv + 1);
	if (setup_cli(&cli))
		return 2;
	if (!strcmp(argv[1], "vm"))
		return cmd_vm(&cli, argc - 1, argv + 1);
	if (!strcmp(argv[1], "run"))
		return cmd_suite(&cli, argc - 1, argv + 1, false);
	if (!strcmp(argv[1], "check"))
		return cmd_check(&cli, argc, argv);
	if (!strcmp(argv[1], "mutants"))
		return cmd_mutants(&cli, argc - 1, argv + 1);
	if (!strcmp(argv[1], "host"))
		return cmd_host(&cli, argc - 1, argv + 1);

	if (!strcmp(argv[1], "bench"))
		return cmd_bench(&cli, argc - 1, argv + 1);
	fprintf(stderr, "xe-migtest: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
