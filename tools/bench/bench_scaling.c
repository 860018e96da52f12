// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Many VFs at once, and VFs that only exist.
 *
 * scaling  N pairs (VF 2i+1 <-> VF 2i+2) migrate concurrently, one thread
 *          each, all started at one gate: the aggregate MB/s is every
 *          stream's bytes over the wall time until the last one ends.
 * idle     one pair's downtime with `idle` more VFs enabled and opened but
 *          never touched, then without them. On the sim the idle VFs are
 *          removed and the same pair measured again: a new pair would have
 *          its LMEM elsewhere, and under TCG where a buffer sits can cost
 *          more than anything measured here (see lib/mig_data.c). Other
 *          backends enable two VFs afresh.
 *
 * Sources keep the zeroed LMEM of a fresh VF: the pump copies bytes, it
 * does not look at them, and filling 16 VFs would cost more than the
 * measurement under TCG.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "sim_pf.h"
#include "vfio_migrate.h"

#define MAX_PAIRS	(SRIOV_FIXTURE_MAX_VFS / 2)

struct pair_job {
	struct sriov_vf *src, *dst;
	struct bench_gate *go;
	uint64_t bytes;
	uint64_t downtime_ns;
	int err;
};

static void *pair_run(void *arg)
{
	struct pair_job *j = arg;
	struct vfio_migrate_result res;
	struct sriov_vf *t;

	if (j->go)
		bench_gate_wait(j->go);
	j->err = vfio_migrate(&j->src->dev, &j->dst->dev, NULL, &res);
	j->bytes = res.data.bytes;
	j->downtime_ns = res.downtime_ns;
	if (!j->err) {
		t = j->src;
		j->src = j->dst;
		j->dst = t;
	}
	return NULL;
}

struct scaling_ctx {
	struct pair_job jobs[MAX_PAIRS];
	unsigned int n;
	uint64_t bytes;
};

static int concurrent(void *arg, double *mbps)
{
	struct bench_gate go = BENCH_GATE_INIT;
	struct scaling_ctx *c = arg;
	pthread_t th[MAX_PAIRS];
	unsigned int started;
	uint64_t t0, bytes = 0;
	int err = 0;

	for (started = 0; started < c->n; started++) {
		c->jobs[started].go = &go;
		if (pthread_create(&th[started], NULL, pair_run, &c->jobs[started]))
			break;
	}
	t0 = bench_now_ns();
	bench_gate_open(&go);
	for (unsigned int i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		bytes += c->jobs[i].bytes;
		err = err ?: c->jobs[i].err;
	}
	*mbps = bench_mbps(bytes, bench_now_ns() - t0);
	c->bytes = bytes;
	if (err)
		fprintf(stderr, "bench: concurrent migration failed: %d\n", err);
	return err ?: started == c->n ? 0 : -EAGAIN;
}

static int enable(struct bench_ctx *b, unsigned int n)
{
	int err = sriov_fixture_enable(&b->fx, b->pf, n);

	if (err)
		fprintf(stderr, "bench: enabling %u VFs on PF %d: %d\n", n, b->pf, err);
	return err;
}

int bench_scaling(struct bench_ctx *b, const unsigned int *pairs, int n)
{
	unsigned int most = 0;
	int err;

	for (int i = 0; i < n; i++)
		most = pairs[i] > most ? pairs[i] : most;
	if (most < 1 || most > MAX_PAIRS)
		return -EINVAL;
	if (b->fx.n_vfs[b->pf] < 2 * most) {
		err = enable(b, 2 * most);
		if (err)
			return err;
	}
	for (int i = 0; i < n; i++) {
		struct scaling_ctx c = { .n = pairs[i] };
		struct bench_fig *f = bench_fig_add(&b->part, BENCH_SCALING, 0);

		if (!f)
			return -ENOSPC;
		for (unsigned int p = 0; p < c.n; p++) {
			c.jobs[p].src = &b->fx.vfs[b->pf][2 * p];
			c.jobs[p].dst = &b->fx.vfs[b->pf][2 * p + 1];
		}
		err = bench_measure(b, f, concurrent, &c);
		if (err)
			return err;
		f->bytes = c.bytes;
		f->lmem = b->part.lmem;
		f->pairs = c.n;
		f->buf = 1u << 20;
		bench_fig_done(b, f);
	}
	return 0;
}

struct idle_ctx {
	struct pair_job job;
	struct bench_fig *f;
};

static int one_pair(void *arg, double *ms)
{
	struct idle_ctx *c = arg;

	pair_run(&c->job);
	*ms = c->job.downtime_ns / 1e6;
	return c->job.err;
}

static int idle_run(struct bench_ctx *b, unsigned int idle)
{
	struct bench_fig *f = bench_fig_add(&b->part, BENCH_IDLE, 0);
	struct idle_ctx c = { .f = f };
	int err;

	if (!f)
		return -ENOSPC;
	c.job.src = &b->fx.vfs[b->pf][0];
	c.job.dst = &b->fx.vfs[b->pf][1];
	/* A first hop on new VFs warms up, as in bench_pump. */
	pair_run(&c.job);
	if (c.job.err)
		return c.job.err;
	err = bench_measure(b, f, one_pair, &c);
	if (err)
		return err;
	f->bytes = c.job.bytes;
	f->lmem = b->part.lmem;
	f->idle = idle;
	f->pairs = 1;
	f->buf = 1u << 20;
	bench_fig_done(b, f);
	return 0;
}

/* Close and remove VFs 3.. of the sim PF, keeping the pair. */
static int remove_idle(struct bench_ctx *b)
{
	unsigned int n = b->fx.n_vfs[b->pf];
	int err = 0;

	if (b->fx.ops != &pf_backend_sim)
		return -EOPNOTSUPP;
	for (unsigned int i = 2; i < n; i++) {
		struct sriov_vf *v = &b->fx.vfs[b->pf][i];
		struct sim_vf sv = { 0 };
		int e;

		if (v->open)
			vfio_dev_close(&v->dev);
		v->open = false;
		snprintf(sv.sysfs, sizeof(sv.sysfs), "%s", v->vf.sysfs);
		e = sim_vf_remove(&sv);
		err = err ?: e;
	}
	b->fx.n_vfs[b->pf] = 2;
	return err;
}

int bench_idle(struct bench_ctx *b, unsigned int idle)
{
	int err;

	if (2 + idle > SRIOV_FIXTURE_MAX_VFS)
		return -EINVAL;
	err = enable(b, 2 + idle) ?: idle_run(b, idle);
	if (err || !idle)
		return err;
	err = remove_idle(b);
	if (err == -EOPNOTSUPP)
		err = enable(b, 2);
	else if (err)
		fprintf(stderr, "bench: removing the idle VFs: %d\n", err);
	return err ?: idle_run(b, 0);
}
