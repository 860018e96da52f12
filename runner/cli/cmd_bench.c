// SPDX-License-Identifier: MIT
/*
 * xe-migtest bench: how fast VF state moves and is verified, against the
 * machine's memcpy (issue #6). The module's lmem_size is per VF and fixed
 * at load, so each state size gets a sim VM of its own:
 *
 *   host            xe_migtest_bench run --refs all       (references, natively)
 *   VM lmem=16M     pump 1 MiB, save/restore, verify, downtime
 *   VM lmem=32M     same
 *   VM lmem=64M     same, plus N pairs at once and idle VFs
 *   VM lmem=128M    same
 *   VM lmem=256M    all references, the pump at every buffer size, ...
 *   VM lmem=512M    as 16M
 *   VM lmem=1024M   as 16M: the module's largest LMEM per VF
 *   host            xe_migtest_bench report DIR: table, bench.json, SVG
 *
 * --smoke does one small VM with two repetitions of everything: it fails
 * on errors only, never on speed. --here runs it all on this machine (a
 * lab host with xe and xe-vfio-pci): one part, at the VFs' own LMEM size.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "qemu_vm.h"

#define MAX_SIZES	8
/* Under TCG the kernel's copy_to_user/copy_from_user are rep movsb when
 * the CPU has ERMS/FSRM, which TCG runs a byte per iteration; without
 * them they are rep movsq. See README.md, "Benchmarks". */
#define BENCH_CPU_MODEL	"max,erms=off,fsrm=off"

struct bench_opts {
	bool smoke;
	bool here;
	const char *out;
	const char *sizes;	/* LMEM sizes in MiB, e.g. "16,32,64,128,256" */
	const char *bufs;
	const char *pairs;
	unsigned int scaling_mib;
	unsigned int sweep_mib;
	unsigned int idle;
	bool mem_given;
	bool cpu_given;
};

enum { OPT_SMOKE = 3000, OPT_HERE, OPT_OUT, OPT_SIZES, OPT_BUFS, OPT_PAIRS,
       OPT_SCALING_SIZE, OPT_SWEEP_SIZE, OPT_IDLE };

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xe-migtest bench [VM-OPTS] [--smoke] [--here] [--out DIR]\n"
		"         [--sizes MIB,...] [--bufs SIZE,...] [--pairs N,...]\n"
		"         [--sweep-size MIB] [--scaling-size MIB] [--idle N]\n"
		"\n"
		"  --smoke          one small VM, 2 repetitions: checks it works, not speed\n"
		"  --here           run on this machine's VFs, no VM (a lab host)\n"
		"  --out DIR        results directory (default results/bench-<timestamp>)\n"
		"  --sizes LIST     LMEM per VF in MiB, one VM each (default 16,32,64,128,256,512,1024);\n"
		"                   the largest also gets the references and every buffer\n"
		"  --bufs LIST      pump buffers there (default 64K,256K,1M,4M,16M)\n"
		"  --pairs LIST     concurrent pairs (default 1,2,4,8)\n"
		"  --scaling-size M LMEM of the VM that runs pairs and idle VFs (default 64)\n"
		"  --idle N         idle VFs next to one migrating pair (default 16)\n"
		"VM-OPTS as for 'vm'; --memory defaults to what the sizes need,\n"
		"--cpu-model to " BENCH_CPU_MODEL " under TCG.\n");
}

static int parse(struct cli *cli, int argc, char **argv, struct bench_opts *o)
{
	static const struct option opts[] = {
		VM_LONG_OPTS,
		{ "smoke", no_argument, NULL, OPT_SMOKE },
		{ "here", no_argument, NULL, OPT_HERE },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "sizes", required_argument, NULL, OPT_SIZES },
		{ "bufs", required_argument, NULL, OPT_BUFS },
		{ "pairs", required_argument, NULL, OPT_PAIRS },
		{ "scaling-size", required_argument, NULL, OPT_SCALING_SIZE },
		{ "sweep-size", required_argument, NULL, OPT_SWEEP_SIZE },
		{ "idle", required_argument, NULL, OPT_IDLE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_SMOKE:
			o->smoke = true;
			break;
		case OPT_HERE:
			o->here = true;
			break;
		case OPT_OUT:
			o->out = optarg;
			break;
		case OPT_SIZES:
			o->sizes = optarg;
			break;
		case OPT_BUFS:
			o->bufs = optarg;
			break;
		case OPT_PAIRS:
			o->pairs = optarg;
			break;
		case OPT_SCALING_SIZE:
			o->scaling_mib = strtoul(optarg, NULL, 10);
			break;
		case OPT_SWEEP_SIZE:
			o->sweep_mib = strtoul(optarg, NULL, 10);
			break;
		case OPT_IDLE:
			o->idle = strtoul(optarg, NULL, 10);
			break;
		case OPT_MEMORY:
			o->mem_given = true;
			goto common;
		case OPT_CPU_MODEL:
			o->cpu_given = true;
			goto common;
		default:
common:
			if (opt == 'h' || vm_parse_common(cli, opt, optarg))
				return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

static int parse_sizes(const char *list, unsigned int *mib, int *n)
{
	char copy[256], *save, *tok;

	snprintf(copy, sizeof(copy), "%s", list);
	*n = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long v = strtoul(tok, &end, 10);

		/* The module takes 64 KiB .. 1 GiB of LMEM per VF. */
		if (*end || !v || v > 1024 || *n == MAX_SIZES)
			return -1;
		mib[(*n)++] = v;
	}
	/* Ascending: the largest runs last and is the main part. */
	for (int i = 1; i < *n; i++)
		for (int j = i; j > 0 && mib[j - 1] > mib[j]; j--) {
			unsigned int t = mib[j];

			mib[j] = mib[j - 1];
			mib[j - 1] = t;
		}
	return *n ? 0 : -1;
}

/* fork/exec here, wait; the exit status, or -1. */
static int run_native(char *const argv[])
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		execv(argv[0], argv);
		fprintf(stderr, "xe-migtest bench: cannot exec %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct argv_buf {
	char *av[48];
	char s[24][256];
	int n, ns;
};

static void add(struct argv_buf *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct argv_buf *a, const char *fmt, ...)
{
	va_list ap;

	if (a->n == 47 || a->ns == 24)
		return;
	va_start(ap, fmt);
	vsnprintf(a->s[a->ns], sizeof(a->s[0]), fmt, ap);
	va_end(ap);
	a->av[a->n++] = a->s[a->ns++];
	a->av[a->n] = NULL;
}

/*
 * One part of the plan: a run of the bench binary, natively (host
 * references, --here) or in a sim VM of its own LMEM size.
 */
struct part {
	char name[16];		/* --part: host, here, lmem<N>M */
	unsigned int mib;	/* LMEM per VF of its VM; 0: native */
	const char *refs;	/* --refs */
	bool mem_size;		/* --mem-size, smaller under --smoke */
	const char *bufs;	/* --pump-bufs, --paths, --verify; NULL: none */
	bool scaling;		/* --scaling and --idle */
	const char *say;	/* printed before a native part, or NULL */
};

/* The bench binary's run command for one part. */
static void part_argv(struct cli *cli, const struct bench_opts *o, const char *dir,
		      const struct part *p, struct argv_buf *a)
{
	add(a, "%s/tools/bench/xe_migtest_bench", cli->build);
	add(a, "run");
	add(a, "--out");
	add(a, "%s", dir);
	add(a, "--part");
	add(a, "%s", p->name);
	if (o->smoke)
		add(a, "--smoke");
	add(a, "--refs");
	add(a, "%s", p->refs);
	if (p->mem_size) {
		add(a, "--mem-size");
		add(a, o->smoke ? "8M" : "64M");
	}
	if (p->bufs) {
		add(a, "--pump-bufs");
		add(a, "%s", p->bufs);
		add(a, "--paths");
		add(a, "--verify");
	}
	if (p->scaling) {
		add(a, "--scaling");
		add(a, "%s", o->pairs);
		add(a, "--idle");
		add(a, "%u", o->idle);
	}
}

/* Enough for the VFs the part makes, its buffers and the references. */
static unsigned int vm_memory_mb(unsigned int mib, bool scaling, unsigned int idle,
				 unsigned int pairs_max)
{
	unsigned int vfs = 2, need;

	if (scaling) {
		vfs = 2 + idle > 2 * pairs_max ? 2 + idle : 2 * pairs_max;
	}
	/* VFs (LMEM + CCS), a stream in memory, references, the rest. */
	need = vfs * (mib + mib / 256 + 1) + mib + 2 * 64 + 768;
	return need < 2048 ? 2048 : need;
}

static unsigned int max_in(const char *list)
{
	unsigned int m = 0;
	char copy[256], *save, *tok;

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		m = (unsigned int)atoi(tok) > m ? (unsigned int)atoi(tok) : m;
	return m;
}

static int make_dir(struct cli *cli, const struct bench_opts *o, char *dir, size_t size)
{
	char stamp[32];
	time_t t = time(NULL);

	mkdir(cli->vm.results, 0755);
	if (o->out) {
		if (!realpath(o->out, dir)) {
			if (mkdir(o->out, 0755) || !realpath(o->out, dir)) {
				fprintf(stderr, "xe-migtest bench: cannot make %s\n", o->out);
				return -1;
			}
		}
	} else {
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&t));
		snprintf(dir, size, "%s/bench-%s%s", cli->vm.results, o->smoke ? "smoke-" : "",
			 stamp);
	}
	mkdir(dir, 0755);
	if (!o->here && strncmp(dir, cli->vm.results, strlen(cli->vm.results))) {
		fprintf(stderr, "xe-migtest bench: %s is not under the shared results dir %s\n",
			dir, cli->vm.results);
		return -1;
	}
	return 0;
}

static int run_vm_part(struct cli *cli, const struct bench_opts *o, const char *dir,
		       const struct part *p)
{
	struct argv_buf a = { .n = 0 };
	struct sim_vm_report rep;
	char modparams[64], console[4200];
	unsigned int mib = p->mib;
	unsigned int mem = vm_memory_mb(mib, p->scaling, o->idle, max_in(o->pairs));
	unsigned int saved_mem = cli->vm.mem_mb;

	part_argv(cli, o, dir, p, &a);
	snprintf(modparams, sizeof(modparams), "lmem_size=%llu",
		 (unsigned long long)mib << 20);
	snprintf(console, sizeof(console), "%s/vm-lmem%uM.console.log", dir, mib);
	cli->vm.modparams = modparams;
	cli->vm.console_log = console;
	if (!o->mem_given)
		cli->vm.mem_mb = mem;
	printf("xe-migtest bench: VM with lmem_size=%u MiB, %u MB, -cpu %s\n", mib,
	       cli->vm.mem_mb, cli->vm.cpu_model ? cli->vm.cpu_model : "max");
	fflush(stdout);
	if (vm_boot(cli, a.av, &rep) || !sim_vm_clean(&rep) || rep.status) {
		fprintf(stderr, "xe-migtest bench: the part with lmem_size=%u MiB failed\n", mib);
		cli->vm.mem_mb = saved_mem;
		return -1;
	}
	cli->vm.mem_mb = saved_mem;
	return 0;
}

static int run_part(struct cli *cli, const struct bench_opts *o, const char *dir,
		    const struct part *p)
{
	struct argv_buf a = { .n = 0 };

	if (p->mib)
		return run_vm_part(cli, o, dir, p);
	part_argv(cli, o, dir, p, &a);
	if (p->say)
		printf("xe-migtest bench: %s\n", p->say);
	return run_native(a.av) ? -1 : 0;
}

/*
 * The parts in the order they run: --here is one native part on the
 * lab's VFs; else the host's references (to see what the VM costs), then
 * a VM per size, ascending. The sweep VM gets every reference and buffer,
 * the others memcpy and 1 MiB; pairs and idle VFs go to the VM of
 * scaling_mib, else the next larger one, else the largest.
 */
static int plan(const struct bench_opts *o, const unsigned int *mib, int n, int sweep,
		struct part *parts)
{
	bool scaled = false;

	if (o->here) {
		parts[0] = (struct part) {
			.name = "here", .refs = "all", .bufs = o->bufs, .scaling = true,
		};
		return 1;
	}
	parts[0] = (struct part) {
		.name = "host", .refs = "all", .mem_size = true,
		.say = "references on the host",
	};
	for (int i = 0; i < n; i++) {
		struct part *p = &parts[i + 1];

		*p = (struct part) {
			.mib = mib[i], .refs = i == sweep ? "all" : "memcpy", .mem_size = true,
			.bufs = i == sweep ? o->bufs : "1M",
			.scaling = !scaled && (mib[i] >= o->scaling_mib || i == n - 1),
		};
		snprintf(p->name, sizeof(p->name), "lmem%uM", mib[i]);
		scaled |= p->scaling;
	}
	return n + 1;
}

static int report(struct cli *cli, const struct bench_opts *o, const char *dir)
{
	struct argv_buf a = { .n = 0 };

	add(&a, "%s/tools/bench/xe_migtest_bench", cli->build);
	add(&a, "report");
	add(&a, "%s", dir);
	add(&a, "--accel");
	add(&a, "%s", o->here ? "none (no VM)" : qemu_vm_kvm_usable() ? "kvm" : "tcg");
	if (!o->here && !qemu_vm_kvm_usable()) {
		add(&a, "--cpu-model");
		add(&a, "%s", cli->vm.cpu_model ? cli->vm.cpu_model : "max");
	}
	if (o->smoke)
		add(&a, "--smoke");
	return run_native(a.av) ? -1 : 0;
}

int cmd_bench(struct cli *cli, int argc, char **argv)
{
	struct bench_opts o = {
		.sizes = "16,32,64,128,256,512,1024",
		.bufs = "64K,256K,1M,4M,16M",
		.pairs = "1,2,4,8",
		.scaling_mib = 64,
		.sweep_mib = 256,
		.idle = 16,
	};
	unsigned int mib[MAX_SIZES];
	struct part parts[MAX_SIZES + 1];
	char dir[4096];
	time_t t0 = time(NULL);
	int n, n_parts, sweep = 0, failed = 0;

	if (parse(cli, argc, argv, &o)) {
		usage(stderr);
		return 2;
	}
	if (o.smoke) {
		o.sizes = "8";
		o.bufs = "64K,1M";
		o.pairs = "1,2";
		o.scaling_mib = 8;
		o.sweep_mib = 8;
		o.idle = 2;
	}
	if (parse_sizes(o.sizes, mib, &n) || max_in(o.pairs) < 1 || max_in(o.pairs) > 12 ||
	    o.idle > 22) {
		fprintf(stderr, "xe-migtest bench: bad --sizes, --pairs or --idle\n");
		return 2;
	}
	/* The sweep: the largest size up to sweep_mib, else the smallest. */
	for (int i = 0; i < n; i++)
		if (mib[i] <= o.sweep_mib)
			sweep = i;
	if (!o.cpu_given && !qemu_vm_kvm_usable())
		cli->vm.cpu_model = BENCH_CPU_MODEL;
	if (make_dir(cli, &o, dir, sizeof(dir)))
		return 2;
	printf("xe-migtest bench%s: results in %s\n", o.smoke ? " --smoke" : "", dir);
	n_parts = plan(&o, mib, n, sweep, parts);
	for (int i = 0; i < n_parts && !failed; i++)
		failed |= run_part(cli, &o, dir, &parts[i]);
	/* What was measured is reported, also after a failure. */
	failed |= report(cli, &o, dir);
	printf("xe-migtest bench: %s in %lds\n", failed ? "FAILED" : "done",
	       (long)(time(NULL) - t0));
	return failed ? 1 : 0;
}
