// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The data pump as the tests and the CLI use it: vfio_migrate() walks src
 * to STOP_COPY and dst to RESUMING and mig_data_pump() moves the stream
 * from one data fd to the other through a buffer of the given size (QEMU
 * reads 1 MiB at a time). One sample is one hop; the next hop goes back,
 * so a VF is always a fresh destination. Each hop gives two figures: the
 * pump's MB/s (read and write loop only) and vfio_migrate's downtime (src
 * leaves RUNNING .. dst RUNNING again). The serial variant is the pump
 * as it was before it overlapped reads and writes: the reference that
 * shows what the second thread buys.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "vfio_migrate.h"

struct pump_ctx {
	struct sriov_vf *src, *dst;
	size_t buf;
	bool serial;
	struct bench_fig *downtime;
	uint64_t stream_bytes;
};

static int hop(void *arg, double *mbps)
{
	struct pump_ctx *c = arg;
	struct vfio_migrate_opts opts = { .bufsize = c->buf, .serial_pump = c->serial };
	struct vfio_migrate_result res;
	struct sriov_vf *t;
	int err;

	err = vfio_migrate(&c->src->dev, &c->dst->dev, &opts, &res);
	if (err) {
		fprintf(stderr, "bench: migrating %s -> %s: %d\n", c->src->dev.name,
			c->dst->dev.name, err);
		return err;
	}
	*mbps = bench_mbps(res.data.bytes, res.data.ns);
	c->downtime->v[c->downtime->n++] = res.downtime_ns / 1e6;
	c->stream_bytes = res.data.bytes;
	t = c->src;
	c->src = c->dst;
	c->dst = t;
	return 0;
}

int bench_pump(struct bench_ctx *b, struct sriov_vf **src, struct sriov_vf **dst,
	       uint64_t buf, bool serial)
{
	struct pump_ctx c = { *src, *dst, buf, serial, NULL, 0 };
	struct bench_fig *f = bench_fig_add(&b->part, serial ? BENCH_PUMP_SERIAL : BENCH_PUMP, 0);
	struct bench_fig dt;
	int err;

	/* The downtime of a serial pump is not a figure of its own. */
	c.downtime = serial ? &dt : bench_fig_add(&b->part, BENCH_DOWNTIME, 0);
	dt.n = 0;
	if (!f || !c.downtime)
		return -ENOSPC;
	err = bench_measure(b, f, hop, &c);
	*src = c.src;
	*dst = c.dst;
	if (err)
		return err;
	memcpy(c.downtime->ref, f->ref, sizeof(f->ref));
	f->bytes = c.downtime->bytes = c.stream_bytes;
	f->lmem = c.downtime->lmem = b->part.lmem;
	f->buf = c.downtime->buf = buf;
	b->part.stream_bytes = c.stream_bytes;
	bench_fig_done(b, f);
	if (!serial)
		bench_fig_done(b, c.downtime);
	return 0;
}

int bench_pump_warmup(struct bench_ctx *b, struct sriov_vf **src, struct sriov_vf **dst)
{
	struct bench_fig dt = { .n = 0 };
	struct pump_ctx c = { *src, *dst, 1u << 20, false, &dt, 0 };
	double mbps;
	int err = hop(&c, &mbps);

	*src = c.src;
	*dst = c.dst;
	return err;
}
