// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * seqno: N jobs in the ring. Job i logs itself (STORE_DWORD log[i] = i),
 * then does a step that must run exactly once: STORE_DWORD of a seeded
 * value into a 256-byte block, then a COPY of the block onto itself one
 * dword down (wl_ref_shift: not idempotent, and never compressed, so a
 * dgfx migration's decompression cannot change it), then STORE_SEQNO of
 * its fence. A lost job leaves its log slot empty; a
 * replayed or reordered one changes the block, which the verifier
 * replays on the CPU and, if it differs, explains (which job ran twice
 * or never).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wl_ref.h"
#include "workload.h"

#define LOG_EMPTY 0xffffffffu

struct seqno_wl {
	unsigned int n;
	struct vf_bo log, block;
	uint8_t init[WL_BLOCK];
	uint32_t *values;
	uint32_t first_seqno;
};

static int seqno_prepare(struct workload *w)
{
	struct seqno_wl *s = calloc(1, sizeof(*s));
	uint64_t rng = wl_seed_for(w->seed, "seqno");
	int err;

	if (!s)
		return -ENOMEM;
	w->priv = s;
	s->n = 16 * w->scale;
	s->values = calloc(s->n, sizeof(*s->values));
	if (!s->values)
		return -ENOMEM;
	err = vf_driver_bo_create(w->drv, 4ull * s->n, &s->log);
	err = err ?: vf_driver_bo_create(w->drv, WL_BLOCK, &s->block);
	if (err)
		return err;
	for (unsigned int i = 0; i < s->n; i++)
		s->values[i] = wl_rand32(&rng);
	wl_rand_bytes(&rng, s->init, WL_BLOCK);
	memset(vf_bo_map(w->drv, &s->log), 0xff, 4ull * s->n);
	memcpy(vf_bo_map(w->drv, &s->block), s->init, WL_BLOCK);
	return 0;
}

static void emit_job(struct workload *w, struct wl_cs *cs, unsigned int i, uint32_t *seqno)
{
	struct seqno_wl *s = w->priv;
	uint64_t block = vf_bo_ggtt(w->drv, &s->block);

	wl_cs_store(cs, vf_bo_ggtt(w->drv, &s->log) + 4 * i, i);
	wl_cs_store(cs, block + 4 * (i % WL_SEQNO_SLOTS), s->values[i]);
	wl_cs_copy(cs, XE_SRIOV_SIM_OP_COPY, 0, block + 4, block, WL_SHIFT_BYTES);
	wl_cs_fence(cs, seqno);
}

static int seqno_emit(struct workload *w, struct wl_gate *gate)
{
	struct seqno_wl *s = w->priv;
	struct wl_cs cs = { .eng = w->eng };
	uint32_t seqno = 0;

	for (unsigned int i = 0; i < s->n && !cs.err; i++) {
		if (i == s->n / 2)
			wl_cs_gate(&cs, gate);
		emit_job(w, &cs, i, &seqno);
		if (!i)
			s->first_seqno = seqno;
		/* Nothing else emits fences meanwhile: one seqno per job. */
		if (!cs.err && seqno != s->first_seqno + i)
			cs.err = -EPROTO;
	}
	w->done_seqno = seqno;
	return cs.err;
}

static int check_log(struct workload *w, char *msg, size_t size)
{
	struct seqno_wl *s = w->priv;
	const uint32_t *log = vf_bo_map(w->drv, &s->log);
	unsigned int bad = 0, first = 0;

	for (unsigned int i = 0; i < s->n; i++)
		if (__atomic_load_n(&log[i], __ATOMIC_RELAXED) != i && !bad++)
			first = i;
	if (!bad)
		return 0;
	return wl_mismatch(msg, size,
			   "seqno: %u of %u jobs never logged; first: job %u (seqno %u), log %#x",
			   bad, s->n, first, s->first_seqno + first, log[first]);
}

static int check_block(struct workload *w, char *msg, size_t size)
{
	struct seqno_wl *s = w->priv;
	uint8_t want[WL_BLOCK], got[WL_BLOCK];
	char why[160];
	unsigned int at = 0;

	memcpy(want, s->init, WL_BLOCK);
	wl_ref_seqno_run(want, s->values, s->n, -1, -1);
	memcpy(got, vf_bo_map(w->drv, &s->block), WL_BLOCK);
	if (!memcmp(want, got, WL_BLOCK))
		return 0;
	while (want[at] == got[at])
		at++;
	wl_ref_seqno_diagnose(s->init, s->values, s->n, got, why, sizeof(why));
	return wl_mismatch(msg, size,
			   "seqno: the compressed block after %u jobs differs from the CPU replay at byte %u (%#x, expected %#x): %s",
			   s->n, at, got[at], want[at], why);
}

static int seqno_verify(struct workload *w, char *msg, size_t size)
{
	struct seqno_wl *s = w->priv;
	uint32_t fence = vf_engine_seqno(w->eng);
	int err;

	if (!vf_seqno_passed(fence, w->done_seqno))
		return wl_mismatch(msg, size, "seqno: fence at %u, jobs signal %u..%u", fence,
				   s->first_seqno, w->done_seqno);
	err = check_log(w, msg, size);
	return err ?: check_block(w, msg, size);
}

static void seqno_fini(struct workload *w)
{
	struct seqno_wl *s = w->priv;

	if (s)
		free(s->values);
}

const struct workload_ops wl_seqno_ops = {
	.name = "seqno",
	.summary = "jobs that log themselves, a non-idempotent compress step each, one fence each",
	.prepare = seqno_prepare,
	.emit = seqno_emit,
	.verify = seqno_verify,
	.fini = seqno_fini,
};
