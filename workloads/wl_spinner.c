// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * spinner: a long SPIN_UNTIL in a batch, on a flag nobody sets, bounded by
 * its max iterations (about 100 ms per scale at HZ=250): a migration
 * right after the kick pauses the engine inside it, and its iteration
 * count must carry over. With a gate, the engine then also waits on the
 * gate before its last store.
 *
 *   ring:  BATCH_START b; fence
 *   b:     STORE pre; SPIN_UNTIL flag == 1 (max N); [gate]; STORE post;
 *          BATCH_END
 */
#include <errno.h>
#include <stdlib.h>

#include "wl_ref.h"
#include "workload.h"

enum { PRE, POST, FLAG, N_SLOTS };

struct spinner_wl {
	uint32_t pre, post, iterations;
	struct vf_bo data;
	struct vf_batch *batch;
};

static int spinner_prepare(struct workload *w)
{
	struct spinner_wl *s = calloc(1, sizeof(*s));
	uint64_t rng = wl_seed_for(w->seed, "spinner");
	uint32_t *d;
	int err;

	if (!s)
		return -ENOMEM;
	w->priv = s;
	s->pre = wl_rand32(&rng) | 2;
	s->post = wl_rand32(&rng) | 2;
	s->iterations = 25 * w->scale;
	err = vf_driver_bo_create(w->drv, 4 * N_SLOTS, &s->data);
	err = err ?: vf_engine_batch_create(w->eng, 256, &s->batch);
	if (err)
		return err;
	d = vf_bo_map(w->drv, &s->data);
	d[PRE] = d[POST] = d[FLAG] = 0;
	return 0;
}

static int spinner_emit(struct workload *w, struct wl_gate *gate)
{
	struct spinner_wl *s = w->priv;
	struct wl_cs bb = { .eng = w->eng, .batch = s->batch }, ring = { .eng = w->eng };
	uint64_t data = vf_bo_ggtt(w->drv, &s->data);

	wl_cs_store(&bb, data + 4 * PRE, s->pre);
	wl_cs_spin(&bb, data + 4 * FLAG, 1, s->iterations);
	wl_cs_gate(&bb, gate);
	wl_cs_store(&bb, data + 4 * POST, s->post);
	wl_cs_batch_end(&bb);
	if (bb.err)
		return bb.err;
	wl_cs_batch_start(&ring, vf_batch_ggtt(w->eng, s->batch, 0));
	wl_cs_fence(&ring, &w->done_seqno);
	return ring.err;
}

static int spinner_verify(struct workload *w, char *msg, size_t size)
{
	struct spinner_wl *s = w->priv;
	const uint32_t *d = vf_bo_map(w->drv, &s->data);

	if (d[PRE] != s->pre)
		return wl_mismatch(msg, size, "spinner: store before the spin: %#x, expected %#x",
				   d[PRE], s->pre);
	if (d[POST] != s->post)
		return wl_mismatch(msg, size, "spinner: store after the spin: %#x, expected %#x",
				   d[POST], s->post);
	if (d[FLAG])
		return wl_mismatch(msg, size, "spinner: its flag was written (%#x)", d[FLAG]);
	return 0;
}

const struct workload_ops wl_spinner_ops = {
	.name = "spinner",
	.summary = "a long bounded SPIN_UNTIL in a batch",
	.prepare = spinner_prepare,
	.emit = spinner_emit,
	.verify = spinner_verify,
};
