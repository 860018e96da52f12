// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * batch-chain: batches calling batches 3 deep, with GGTT addresses in
 * every kind of operand (stores, BATCH_STARTs, a COPY's src and dst, a
 * SPIN_UNTIL's address). The innermost batch shares a buffer with its
 * caller and is entered at an offset, so fixups must walk a buffer
 * holding two command streams. With a gate, the engine waits 3 levels
 * deep, so every active BATCH_START must be fixed.
 *
 *   ring: BATCH_START b1; fence
 *   b1:   STORE a0; BATCH_START b2; STORE a1; STORE a6; BATCH_END
 *   b2:   STORE a2; BATCH_START b3; STORE a3; BATCH_END
 *   b3:   STORE a4; [gate]; COPY src -> dst; SPIN_UNTIL a4 == v4 (max 1);
 *         STORE a5; BATCH_END
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wl_ref.h"
#include "workload.h"

#define SLOTS		8	/* a0..a6 written, a7 never */
#define COPY_BYTES	256
#define SRC_OFF		256
#define DST_OFF		512
#define UNTOUCHED	0x5a5a5a5au

struct chain_wl {
	uint32_t v[SLOTS];
	struct vf_bo data;	/* a0..a7, src, dst */
	struct vf_batch *outer;	/* b1 */
	struct vf_batch *inner;	/* b3 at 0, then b2 */
	uint8_t src[COPY_BYTES];
};

static int chain_prepare(struct workload *w)
{
	struct chain_wl *c = calloc(1, sizeof(*c));
	uint64_t rng = wl_seed_for(w->seed, "batch-chain");
	uint8_t *data;
	int err;

	if (!c)
		return -ENOMEM;
	w->priv = c;
	err = vf_driver_bo_create(w->drv, DST_OFF + COPY_BYTES, &c->data);
	err = err ?: vf_engine_batch_create(w->eng, 256, &c->outer);
	err = err ?: vf_engine_batch_create(w->eng, 512, &c->inner);
	if (err)
		return err;
	for (int i = 0; i < SLOTS; i++)
		c->v[i] = wl_rand32(&rng) | 1;	/* never UNTOUCHED's twin 0 */
	wl_rand_bytes(&rng, c->src, COPY_BYTES);
	data = vf_bo_map(w->drv, &c->data);
	for (int i = 0; i < SLOTS; i++)
		((uint32_t *)data)[i] = UNTOUCHED;
	memcpy(data + SRC_OFF, c->src, COPY_BYTES);
	memset(data + DST_OFF, 0, COPY_BYTES);
	return 0;
}

static uint64_t slot(struct workload *w, int i)
{
	struct chain_wl *c = w->priv;

	return vf_bo_ggtt(w->drv, &c->data) + 4 * i;
}

static void emit_b3(struct workload *w, struct wl_cs *cs, struct wl_gate *gate)
{
	struct chain_wl *c = w->priv;
	uint64_t data = vf_bo_ggtt(w->drv, &c->data);

	wl_cs_store(cs, slot(w, 4), c->v[4]);
	wl_cs_gate(cs, gate);
	wl_cs_copy(cs, XE_SRIOV_SIM_OP_COPY, 0, data + SRC_OFF, data + DST_OFF, COPY_BYTES);
	wl_cs_spin(cs, slot(w, 4), c->v[4], 1);
	wl_cs_store(cs, slot(w, 5), c->v[5]);
	wl_cs_batch_end(cs);
}

static int chain_emit(struct workload *w, struct wl_gate *gate)
{
	struct chain_wl *c = w->priv;
	struct wl_cs in = { .eng = w->eng, .batch = c->inner };
	struct wl_cs out = { .eng = w->eng, .batch = c->outer }, ring = { .eng = w->eng };
	uint64_t b3 = vf_batch_ggtt(w->eng, c->inner, 0), b2;

	emit_b3(w, &in, gate);
	b2 = vf_batch_ggtt(w->eng, c->inner, c->inner->used);
	wl_cs_store(&in, slot(w, 2), c->v[2]);
	wl_cs_batch_start(&in, b3);
	wl_cs_store(&in, slot(w, 3), c->v[3]);
	wl_cs_batch_end(&in);
	wl_cs_store(&out, slot(w, 0), c->v[0]);
	wl_cs_batch_start(&out, b2);
	wl_cs_store(&out, slot(w, 1), c->v[1]);
	wl_cs_store(&out, slot(w, 6), c->v[6]);
	wl_cs_batch_end(&out);
	if (in.err || out.err)
		return in.err ?: out.err;
	wl_cs_batch_start(&ring, vf_batch_ggtt(w->eng, c->outer, 0));
	wl_cs_fence(&ring, &w->done_seqno);
	return ring.err;
}

static int chain_verify(struct workload *w, char *msg, size_t size)
{
	static const char *const where[SLOTS] = {
		"b1 before b2", "b1 after b2", "b2 before b3", "b2 after b3",
		"b3 before the gate", "b3 after COPY and SPIN_UNTIL", "b1's last store", "none",
	};
	struct chain_wl *c = w->priv;
	const uint8_t *data = vf_bo_map(w->drv, &c->data);
	const uint32_t *a = (const uint32_t *)data;

	for (int i = 0; i < SLOTS; i++) {
		uint32_t want = i == SLOTS - 1 ? UNTOUCHED : c->v[i];

		if (a[i] != want)
			return wl_mismatch(msg, size, "batch-chain: a%d (%s): %#x, expected %#x", i,
					   where[i], a[i], want);
	}
	for (int i = 0; i < COPY_BYTES; i++)
		if (data[DST_OFF + i] != c->src[i])
			return wl_mismatch(msg, size,
					   "batch-chain: COPY in b3: dst byte %d is %#x, expected %#x",
					   i, data[DST_OFF + i], c->src[i]);
	return 0;
}

const struct workload_ops wl_batch_chain_ops = {
	.name = "batch-chain",
	.summary = "batches 3 deep, GGTT addresses in every operand kind",
	.prepare = chain_prepare,
	.emit = chain_emit,
	.verify = chain_verify,
};
