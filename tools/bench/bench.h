/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * xe_migtest_bench: how fast VF state moves and is verified, each figure
 * next to the machine's memcpy bandwidth. A run ("part") happens where
 * the VFs are (in the sim VM, or on a lab host) and writes
 * part-<name>.json; the report merges parts into bench.json, a table and
 * SVG plots. See README.md, "Benchmarks".
 */
#ifndef XEMT_BENCH_H
#define XEMT_BENCH_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bench_stats.h"
#include "sriov_fixture.h"

#define BENCH_MAX_FIGS	64
#define BENCH_MAX_PARTS	16
#define BENCH_MAX_LIST	8

/* What one figure measures; its samples are MB/s unless said otherwise. */
enum bench_kind {
	BENCH_MEMCPY,		/* memcpy of bytes: the reference of every ratio */
	BENCH_MEMCPY_MT,	/* memcpy split over every CPU */
	BENCH_PIPE,		/* write() into a pipe, read() out, buf at a time */
	BENCH_REP_MOVSB,	/* the kernel's copy_*_user with ERMS/FSRM */
	BENCH_REP_MOVSQ,	/* ... without */
	BENCH_PUMP,		/* mig_data_pump inside vfio_migrate, buf */
	BENCH_PUMP_SERIAL,	/* mig_data_pump_serial: read, write, read, ... */
	BENCH_DOWNTIME,		/* vfio_migrate downtime, ms; bytes = stream */
	BENCH_SAVE,		/* STOP_COPY fd to memory */
	BENCH_RESTORE,		/* memory to RESUMING fd, and the commit */
	BENCH_VERIFY,		/* vf_state capture + compare of lmem bytes */
	BENCH_SCALING,		/* pairs concurrent migrations, aggregate */
	BENCH_IDLE,		/* one pair's downtime with idle VFs present, ms */
	BENCH_NUM_KINDS
};

struct bench_fig {
	enum bench_kind kind;
	uint64_t bytes;		/* moved per sample (downtime: the stream) */
	uint64_t lmem;		/* LMEM per VF, 0 for the references */
	uint64_t buf;		/* buffer / segment size, 0 if none */
	unsigned int pairs;	/* scaling */
	unsigned int idle;	/* idle VFs present */
	int n;
	double v[BENCH_MAX_REPS];
	double ref[BENCH_MAX_REPS];	/* memcpy MB/s just before v[i]; 0: none */
	struct bench_summary s;
};

struct bench_machine {
	char cpu[128];
	unsigned int cores;
	uint64_t mem_bytes;
	char kernel[160];
	char accel[32];		/* tcg, kvm, none (bare metal), or what was said */
	char load[48];		/* /proc/loadavg's first three fields when probed */
};

struct bench_part {
	char name[48];
	struct bench_machine machine;
	struct bench_policy policy;
	uint64_t lmem;		/* LMEM per VF in this part, 0 if no VFs */
	uint64_t stream_bytes;	/* one VF's migration stream */
	double wall_s;
	struct bench_fig figs[BENCH_MAX_FIGS];
	int n_figs;
};

/* The memcpy that runs beside every sample (bench_mem.c). */
struct bench_refcopy {
	uint8_t *src, *dst;
	size_t size;
};

struct bench_ctx {
	struct bench_policy policy;
	struct bench_refcopy ref;
	bool smoke;
	bool verbose;
	struct sriov_fixture fx;
	bool fx_ready;
	int pf;
	struct bench_part part;
};

/* Identity of a kind: the JSON name, and a label for people. */
const char *bench_kind_name(enum bench_kind k);
const char *bench_kind_label(enum bench_kind k);
int bench_kind_by_name(const char *name);
/* Whether the samples are milliseconds (lower is better), not MB/s. */
bool bench_kind_is_time(enum bench_kind k);

/* A new figure in the part (NULL when full); its samples come later. */
struct bench_fig *bench_fig_add(struct bench_part *p, enum bench_kind k,
				uint64_t bytes);
/*
 * Repeat measure() into f->v[] by the policy, each sample right after a
 * memcpy sample into f->ref[] (when b->ref is set up): ratios are taken
 * sample by sample, side by side, so the machine's other load cancels
 * out. Sets f->n; the first error of measure() is returned.
 */
int bench_measure(struct bench_ctx *b, struct bench_fig *f,
		  int (*measure)(void *ctx, double *value), void *ctx);
/* Summarize, and print a progress line. */
void bench_fig_done(struct bench_ctx *b, struct bench_fig *f);
/* The first figure of a kind matching lmem/buf/pairs/idle (~0: any). */
const struct bench_fig *bench_part_find(const struct bench_part *p,
					enum bench_kind k, uint64_t lmem,
					uint64_t buf, unsigned int pairs,
					unsigned int idle);
/* The part's memcpy median in MB/s, 0 if it has none. */
double bench_part_memcpy(const struct bench_part *p);
/* Its fastest memcpy sample: the memcpy figure's and every side-by-side one. */
double bench_part_memcpy_best(const struct bench_part *p);

#define BENCH_ANY ((uint64_t)~0ull)

/* MB/s (1e6 bytes per second) of bytes moved in ns. */
static inline double bench_mbps(uint64_t bytes, uint64_t ns)
{
	return ns ? bytes * 1e3 / ns : 0;
}

/* Threads wait at a gate until it opens: a common start for timing. */
struct bench_gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool open;
};

#define BENCH_GATE_INIT { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false }

static inline void bench_gate_wait(struct bench_gate *g)
{
	pthread_mutex_lock(&g->lock);
	while (!g->open)
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
}

static inline void bench_gate_open(struct bench_gate *g)
{
	pthread_mutex_lock(&g->lock);
	g->open = true;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

/* bench_mem.c: the references. full adds the multi-thread and rep movs. */
int bench_mem(struct bench_ctx *b, uint64_t size, uint64_t pipe_buf, bool full);
/* The side-by-side memcpy of size bytes: set up, one sample (MB/s), free. */
int bench_ref_init(struct bench_ctx *b, uint64_t size);
double bench_ref_sample(struct bench_ctx *b);
void bench_ref_fini(struct bench_ctx *b);

/*
 * A figure against memcpy, two ways (0 when there is no reference):
 *
 *   best    its fastest sample against the part's fastest memcpy sample:
 *           other load on the machine only ever slows a sample down, so
 *           the best samples are the least disturbed. The targets use it.
 *   median  the median over samples of the ratio to the memcpy sample
 *           taken just before (side by side).
 *
 * MB/s figures: figure / memcpy. Times (downtime): the time over the time
 * memcpy takes for the figure's bytes, i.e. how many copies' worth.
 */
struct bench_ratio {
	double best;
	double median;
};

void bench_fig_ratios(const struct bench_part *p, const struct bench_fig *f,
		      struct bench_ratio *r);

/* bench_pump.c: vfio_migrate *src -> *dst, then back, buf sized pump
 * (serial: in one thread); *src and *dst are swapped so that *src holds
 * the state at the end. */
int bench_pump(struct bench_ctx *b, struct sriov_vf **src, struct sriov_vf **dst,
	       uint64_t buf, bool serial);
/* One hop, not measured. */
int bench_pump_warmup(struct bench_ctx *b, struct sriov_vf **src, struct sriov_vf **dst);

/* bench_paths.c: the module's save (src) and restore (dst) paths. dst
 * ends STOPped with src's state, src STOPped. */
int bench_paths(struct bench_ctx *b, struct sriov_vf *src, struct sriov_vf *dst);

/* bench_verify.c: capture src, then capture+compare dst; they must match. */
int bench_verify(struct bench_ctx *b, struct sriov_vf *src, struct sriov_vf *dst);

/* bench_scaling.c: N pairs at once for each N of pairs[]; idle VFs. */
int bench_scaling(struct bench_ctx *b, const unsigned int *pairs, int n);
int bench_idle(struct bench_ctx *b, unsigned int idle);

/* bench_json.c */
void bench_machine_probe(struct bench_machine *m);
json_t *bench_machine_json(const struct bench_machine *m);
json_t *bench_fig_json(const struct bench_fig *f);
int bench_part_write(const struct bench_part *p, const char *path);
int bench_part_read(struct bench_part *p, const char *path);

/* bench_report.c */
struct bench_report_opts {
	const char *dir;		/* holds part-*.json; gets bench.json, *.svg */
	const char *accel;		/* how the VM ran, as the front end knows */
	const char *cpu_model;		/* QEMU -cpu of the VM */
	bool smoke;
};

/* Merge the parts of dir: bench.json, the table on f, SVG plots. */
int bench_report(const struct bench_report_opts *o, FILE *f);

#endif
