// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Verification as the data tests do it: lib/vf_state captures a VF
 * (scratch registers, GGTT PTEs, xxh64 of every 64 KiB of LMEM through
 * the BAR2 mmap) and compares two captures. One sample is what a test
 * pays per migration: capture the destination and compare it with the
 * source's capture. The bytes are the LMEM. The two VFs must be equal:
 * a difference is an error of the migration, not a speed.
 */
#include <errno.h>
#include <stdio.h>

#include "bench.h"
#include "vf_state.h"

struct verify_ctx {
	struct sriov_vf *dst;
	struct vf_state want;
	unsigned int vf_id;	/* the PTEs' VF id to expect */
};

static int verify(void *arg, double *mbps)
{
	struct verify_ctx *c = arg;
	struct vf_state got;
	char report[512];
	uint64_t t0 = bench_now_ns();
	bool same;
	int err;

	err = vf_state_capture(&c->dst->dev, sriov_vf_n_ptes(c->dst), &got);
	if (err)
		return err;
	same = vf_state_equal(&c->want, &got, c->vf_id, report, sizeof(report));
	*mbps = bench_mbps(got.lmem_size, bench_now_ns() - t0);
	vf_state_free(&got);
	if (!same) {
		fprintf(stderr, "bench: %s differs from %s after migration:\n%s",
			c->dst->dev.name, "its source", report);
		return -EBADMSG;
	}
	return 0;
}

int bench_verify(struct bench_ctx *b, struct sriov_vf *src, struct sriov_vf *dst)
{
	struct verify_ctx c = { .dst = dst, .vf_id = dst->vf.vf_id };
	struct bench_fig *f = bench_fig_add(&b->part, BENCH_VERIFY, b->part.lmem);
	int err;

	if (!f)
		return -ENOSPC;
	err = vf_state_capture(&src->dev, sriov_vf_n_ptes(src), &c.want);
	if (err)
		return err;
	err = bench_measure(b, f, verify, &c);
	vf_state_free(&c.want);
	if (err)
		return err;
	f->lmem = b->part.lmem;
	bench_fig_done(b, f);
	return 0;
}
