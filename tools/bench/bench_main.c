// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * xe_migtest_bench: how fast VF state moves and is verified, against the
 * machine's memcpy.
 *
 *   xe_migtest_bench run [OPTIONS]     measure here (in the sim VM, or on a
 *                                      lab host), write <out>/part-<name>.json
 *   xe_migtest_bench report DIR        merge DIR/part-*.json into
 *                                      DIR/bench.json, SVG plots, a table
 *
 * `xe-migtest bench` boots one sim VM per LMEM size, runs `run` in each
 * and `report` on the host.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"
#include "vf_state.h"

enum { OPT_OUT = 1000, OPT_PART, OPT_PF, OPT_REFS, OPT_MEM_SIZE, OPT_PUMP_BUFS,
       OPT_PATHS, OPT_VERIFY, OPT_SCALING, OPT_IDLE, OPT_REPS, OPT_SPREAD,
       OPT_SMOKE, OPT_ACCEL, OPT_CPU_MODEL };

struct run_opts {
	const char *out;
	const char *part;
	int pf;
	int refs;		/* 0 none, 1 memcpy, 2 all */
	uint64_t mem_size;
	uint64_t bufs[BENCH_MAX_LIST];
	int n_bufs;
	bool paths, verify;
	unsigned int pairs[BENCH_MAX_LIST];
	int n_pairs;
	int idle;		/* -1: none */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xe_migtest_bench run [OPTIONS]\n"
		"       xe_migtest_bench report DIR [--accel A] [--cpu-model M] [--smoke]\n"
		"\n"
		"run measures on this machine's VFs (first PF, or --pf N) and writes\n"
		"OUT/part-NAME.json. With none of --refs, --pump-bufs, --paths, --verify,\n"
		"--scaling, --idle it measures everything:\n"
		"  --out DIR            where part-NAME.json goes (default .)\n"
		"  --part NAME          (default lmem<size>)\n"
		"  --pf N               PF index (default 0)\n"
		"  --refs none|memcpy|all  references (memcpy always unless none)\n"
		"  --mem-size SIZE      bytes of the references (default 64M)\n"
		"  --pump-bufs LIST     pump buffer sizes, e.g. 64K,256K,1M,4M,16M\n"
		"  --paths              the module's save and restore paths\n"
		"  --verify             vf_state capture + compare\n"
		"  --scaling LIST       concurrent pairs, e.g. 1,2,4,8\n"
		"  --idle N             one pair with 0, then N idle VFs\n"
		"  --reps MIN:MAX       repetitions (default 3:15)\n"
		"  --spread PCT         stop once (max-min)/median < PCT%% (default 10)\n"
		"  --smoke              2 repetitions, whatever the spread\n");
}

static int parse_list(const char *arg, bool sizes, uint64_t *out, int *n)
{
	char copy[256], *save, *tok;

	snprintf(copy, sizeof(copy), "%s", arg);
	*n = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;
		char *end;

		if (*n == BENCH_MAX_LIST)
			return -EINVAL;
		if (sizes) {
			if (bench_parse_size(tok, &v) || !v)
				return -EINVAL;
		} else {
			v = strtoull(tok, &end, 10);
			if (*end || !v)
				return -EINVAL;
		}
		out[(*n)++] = v;
	}
	return *n ? 0 : -EINVAL;
}

static int parse_run(int argc, char **argv, struct run_opts *o, struct bench_ctx *b)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, OPT_OUT },
		{ "part", required_argument, NULL, OPT_PART },
		{ "pf", required_argument, NULL, OPT_PF },
		{ "refs", required_argument, NULL, OPT_REFS },
		{ "mem-size", required_argument, NULL, OPT_MEM_SIZE },
		{ "pump-bufs", required_argument, NULL, OPT_PUMP_BUFS },
		{ "paths", no_argument, NULL, OPT_PATHS },
		{ "verify", no_argument, NULL, OPT_VERIFY },
		{ "scaling", required_argument, NULL, OPT_SCALING },
		{ "idle", required_argument, NULL, OPT_IDLE },
		{ "reps", required_argument, NULL, OPT_REPS },
		{ "spread", required_argument, NULL, OPT_SPREAD },
		{ "smoke", no_argument, NULL, OPT_SMOKE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint64_t list[BENCH_MAX_LIST];
	bool chosen = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_OUT:
			o->out = optarg;
			break;
		case OPT_PART:
			o->part = optarg;
			break;
		case OPT_PF:
			o->pf = atoi(optarg);
			break;
		case OPT_REFS:
			o->refs = !strcmp(optarg, "none") ? 0 : !strcmp(optarg, "memcpy") ? 1 :
				  !strcmp(optarg, "all") ? 2 : -1;
			if (o->refs < 0)
				return -1;
			chosen = true;
			break;
		case OPT_MEM_SIZE:
			if (bench_parse_size(optarg, &o->mem_size) || o->mem_size < 4096)
				return -1;
			break;
		case OPT_PUMP_BUFS:
			if (parse_list(optarg, true, o->bufs, &o->n_bufs))
				return -1;
			chosen = true;
			break;
		case OPT_PATHS:
			o->paths = chosen = true;
			break;
		case OPT_VERIFY:
			o->verify = chosen = true;
			break;
		case OPT_SCALING:
			if (parse_list(optarg, false, list, &o->n_pairs))
				return -1;
			for (int i = 0; i < o->n_pairs; i++)
				o->pairs[i] = list[i];
			chosen = true;
			break;
		case OPT_IDLE:
			o->idle = atoi(optarg);
			if (o->idle < 0)
				return -1;
			chosen = true;
			break;
		case OPT_REPS:
			if (sscanf(optarg, "%d:%d", &b->policy.min_reps, &b->policy.max_reps) != 2 ||
			    b->policy.min_reps < 1 || b->policy.max_reps < b->policy.min_reps ||
			    b->policy.max_reps > BENCH_MAX_REPS)
				return -1;
			break;
		case OPT_SPREAD:
			b->policy.max_spread = atof(optarg) / 100;
			break;
		case OPT_SMOKE:
			b->smoke = true;
			/* Two: each pump hop also goes back once. */
			b->policy.min_reps = 2;
			b->policy.max_reps = 2;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc)
		return -1;
	if (!chosen) {
		static const uint64_t bufs[] = { 64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20 };

		memcpy(o->bufs, bufs, sizeof(bufs));
		o->n_bufs = 5;
		o->paths = o->verify = true;
		o->pairs[0] = 1;
		o->pairs[1] = 2;
		o->pairs[2] = 4;
		o->pairs[3] = 8;
		o->n_pairs = 4;
		o->idle = 16;
	}
	return 0;
}

static int setup_vfs(struct bench_ctx *b)
{
	int err = sriov_fixture_init(&b->fx);

	if (err) {
		fprintf(stderr, "bench: no PF found (%d): is xe_sriov_sim or xe loaded?\n", err);
		return err;
	}
	if (b->pf >= b->fx.n_pfs) {
		fprintf(stderr, "bench: no PF %d\n", b->pf);
		return -ENOENT;
	}
	b->fx_ready = true;
	err = sriov_fixture_enable(&b->fx, b->pf, 2);
	if (err) {
		fprintf(stderr, "bench: enabling 2 VFs on PF %d: %d\n", b->pf, err);
		return err;
	}
	b->part.lmem = b->fx.vfs[b->pf][0].cfg.lmem_size;
	return 0;
}

/* Pump (each buffer), save/restore, verify: the two VFs of setup_vfs(). */
static int run_pair(struct bench_ctx *b, const struct run_opts *o)
{
	struct sriov_vf *src = &b->fx.vfs[b->pf][0], *dst = &b->fx.vfs[b->pf][1];
	uint64_t t0 = bench_now_ns();
	int err;

	err = vf_state_fill(&src->dev, sriov_vf_n_ptes(src), 0x5eed);
	if (err) {
		fprintf(stderr, "bench: filling %s: %d\n", src->dev.name, err);
		return err;
	}
	printf("bench: filled %s (%llu MiB LMEM) in %.1f s\n", src->dev.name,
	       (unsigned long long)(b->part.lmem >> 20), (bench_now_ns() - t0) / 1e9);
	/* A first hop warms up: TCG translates the code paths once. */
	err = bench_pump_warmup(b, &src, &dst);
	for (int i = 0; i < o->n_bufs && !err; i++)
		err = bench_pump(b, &src, &dst, o->bufs[i], false);
	if (!err && o->n_bufs && o->refs == 2)
		err = bench_pump(b, &src, &dst, 1u << 20, true);
	if (!err && (o->paths || o->verify))
		err = bench_paths(b, src, dst);
	if (!err && o->verify)
		err = bench_verify(b, src, dst);
	return err;
}

static int cmd_run(int argc, char **argv)
{
	struct run_opts o = { .out = ".", .refs = 2, .mem_size = 64 << 20, .idle = -1 };
	struct bench_ctx *b = calloc(1, sizeof(*b));
	char path[4096], name[48];
	uint64_t t0 = bench_now_ns();
	bool vfs;
	int err = 0;

	if (!b)
		return 1;
	b->policy = BENCH_POLICY_FULL;
	if (parse_run(argc, argv, &o, b)) {
		usage(stderr);
		free(b);
		return 2;
	}
	b->pf = o.pf;
	b->part.policy = b->policy;
	bench_machine_probe(&b->part.machine);
	vfs = o.n_bufs || o.paths || o.verify || o.n_pairs || o.idle >= 0;
	/* Every sample gets a memcpy sample beside it (--refs none: none). */
	if (o.refs)
		err = bench_ref_init(b, o.mem_size);
	if (!err && o.refs)
		err = bench_mem(b, o.mem_size, 1u << 20, o.refs == 2);
	if (!err && vfs)
		err = setup_vfs(b);
	if (!err && (o.n_bufs || o.paths || o.verify))
		err = run_pair(b, &o);
	if (!err && o.n_pairs)
		err = bench_scaling(b, o.pairs, o.n_pairs);
	if (!err && o.idle >= 0)
		err = bench_idle(b, o.idle);
	if (b->fx_ready)
		sriov_fixture_disable(&b->fx, -1);
	bench_ref_fini(b);
	b->part.wall_s = (bench_now_ns() - t0) / 1e9;
	if (o.part)
		snprintf(name, sizeof(name), "%s", o.part);
	else
		snprintf(name, sizeof(name), "lmem%lluM",
			 (unsigned long long)(b->part.lmem >> 20));
	snprintf(b->part.name, sizeof(b->part.name), "%s", name);
	mkdir(o.out, 0755);
	snprintf(path, sizeof(path), "%s/part-%s.json", o.out, name);
	/* Whatever was measured is kept, also after an error. */
	if (bench_part_write(&b->part, path)) {
		fprintf(stderr, "bench: cannot write %s\n", path);
		err = err ?: -EIO;
	}
	if (err)
		fprintf(stderr, "bench: part %s FAILED: %s\n", name, strerror(-err));
	else
		printf("bench: part %s done in %.1f s -> %s\n", name, b->part.wall_s, path);
	free(b);
	return err ? 1 : 0;
}

static int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "accel", required_argument, NULL, OPT_ACCEL },
		{ "cpu-model", required_argument, NULL, OPT_CPU_MODEL },
		{ "smoke", no_argument, NULL, OPT_SMOKE },
		{ 0 }
	};
	struct bench_report_opts o = { 0 };
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_ACCEL:
			o.accel = optarg;
			break;
		case OPT_CPU_MODEL:
			o.cpu_model = optarg;
			break;
		case OPT_SMOKE:
			o.smoke = true;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	o.dir = argv[optind];
	return bench_report(&o, stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	/* Progress lines interleave with the VM console: never buffer them. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 1, argv + 1);
	usage(stderr);
	return 2;
}
