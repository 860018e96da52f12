// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * fill: a buffer filled dword by dword with seeded values by STORE_DWORDs
 * in a batch (thousands of GGTT operands for the fixups to patch), started
 * from the ring. With a gate, the batch waits on it halfway, so a
 * migration lands with the batch active and half of its stores pending.
 */
#include <errno.h>
#include <stdlib.h>

#include "vf_cmd.h"
#include "wl_ref.h"
#include "workload.h"

struct fill_wl {
	uint32_t dwords;
	uint64_t seed;
	struct vf_bo buf;
	struct vf_batch *batch;
};

static int fill_prepare(struct workload *w)
{
	struct fill_wl *f = calloc(1, sizeof(*f));
	/* Per dword a STORE_DWORD; plus the gate and BATCH_END. */
	uint64_t batch_bytes;
	int err;

	if (!f)
		return -ENOMEM;
	w->priv = f;
	f->dwords = 1024 * w->scale;
	f->seed = wl_seed_for(w->seed, "fill");
	batch_bytes = 16ull * f->dwords + 4 * (WL_GATE_DWORDS + 1);
	err = vf_driver_bo_create(w->drv, 4ull * f->dwords, &f->buf);
	err = err ?: vf_engine_batch_create(w->eng, batch_bytes, &f->batch);
	if (err)
		return err;
	/* Not a value the generator is likely to give: an unwritten dword shows. */
	for (uint32_t i = 0; i < f->dwords; i++)
		((uint32_t *)vf_bo_map(w->drv, &f->buf))[i] = ~wl_ref_fill_value(f->seed, i);
	return 0;
}

static int fill_emit(struct workload *w, struct wl_gate *gate)
{
	struct fill_wl *f = w->priv;
	struct wl_cs bb = { .eng = w->eng, .batch = f->batch }, ring = { .eng = w->eng };
	uint64_t buf = vf_bo_ggtt(w->drv, &f->buf);

	for (uint32_t i = 0; i < f->dwords; i++) {
		if (i == f->dwords / 2)
			wl_cs_gate(&bb, gate);
		wl_cs_store(&bb, buf + 4ull * i, wl_ref_fill_value(f->seed, i));
	}
	wl_cs_batch_end(&bb);
	if (bb.err)
		return bb.err;
	wl_cs_batch_start(&ring, vf_batch_ggtt(w->eng, f->batch, 0));
	wl_cs_fence(&ring, &w->done_seqno);
	return ring.err;
}

static int fill_verify(struct workload *w, char *msg, size_t size)
{
	struct fill_wl *f = w->priv;
	const uint32_t *buf = vf_bo_map(w->drv, &f->buf);
	uint32_t bad = 0, first = 0, got = 0;

	for (uint32_t i = 0; i < f->dwords; i++) {
		uint32_t v = __atomic_load_n(&buf[i], __ATOMIC_RELAXED);

		if (v != wl_ref_fill_value(f->seed, i) && !bad++) {
			first = i;
			got = v;
		}
	}
	if (!bad)
		return 0;
	return wl_mismatch(msg, size,
			   "fill: %u of %u dwords wrong; first dword %u (GGTT %#llx): %#x, expected %#x%s",
			   bad, f->dwords, first,
			   (unsigned long long)(vf_bo_ggtt(w->drv, &f->buf) + 4ull * first), got,
			   wl_ref_fill_value(f->seed, first),
			   got == ~wl_ref_fill_value(f->seed, first) ? " (never written)" : "");
}

const struct workload_ops wl_fill_ops = {
	.name = "fill",
	.summary = "a buffer filled by a batch of STORE_DWORDs, one per dword",
	.prepare = fill_prepare,
	.emit = fill_emit,
	.verify = fill_verify,
};
