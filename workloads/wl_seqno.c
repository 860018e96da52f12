// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * seqno: N jobs in the ring. Job i logs itself (STORE_DWORD log[i] = i),
 * then does a step that must run exactly once: a COPY of its own 12-byte
 * record onto itself one dword down (wl_ref_seqno_rec_run: not idempotent,
 * and never compressed, so a dgfx migration's decompression cannot change
 * it), then STORE_SEQNO of its fence. A lost job leaves its log slot empty
 * and its record unrun; a replayed one runs its record twice, and the
 * verifier names the job.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wl_ref.h"
#include "workload.h"

#define LOG_EMPTY 0xffffffffu

struct seqno_wl {
	unsigned int n;
	struct vf_bo log, rec;
	uint64_t rec_seed;
	uint32_t first_seqno;
};

static int seqno_prepare(struct workload *w)
{
	struct seqno_wl *s = calloc(1, sizeof(*s));
	uint8_t *rec;
	int err;

	if (!s)
		return -ENOMEM;
	w->priv = s;
	s->n = 16 * w->scale;
	s->rec_seed = wl_seed_for(w->seed, "seqno");
	err = vf_driver_bo_create(w->drv, 4ull * s->n, &s->log);
	err = err ?: vf_driver_bo_create(w->drv, (uint64_t)WL_SEQNO_REC_BYTES * s->n, &s->rec);
	if (err)
		return err;
	memset(vf_bo_map(w->drv, &s->log), 0xff, 4ull * s->n);
	rec = vf_bo_map(w->drv, &s->rec);
	for (unsigned int i = 0; i < s->n; i++) {
		uint32_t r[3];

		wl_ref_seqno_rec_init(s->rec_seed, i, r);
		memcpy(rec + (size_t)WL_SEQNO_REC_BYTES * i, r, sizeof(r));
	}
	return 0;
}

static void emit_job(struct workload *w, struct wl_cs *cs, unsigned int i, uint32_t *seqno)
{
	struct seqno_wl *s = w->priv;
	uint64_t rec = vf_bo_ggtt(w->drv, &s->rec) + (uint64_t)WL_SEQNO_REC_BYTES * i;

	wl_cs_store(cs, vf_bo_ggtt(w->drv, &s->log) + 4 * i, i);
	wl_cs_copy(cs, XE_SRIOV_SIM_OP_COPY, 0, rec + 4, rec, 8);
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

static int check_records(struct workload *w, char *msg, size_t size)
{
	struct seqno_wl *s = w->priv;
	const uint8_t *rec = vf_bo_map(w->drv, &s->rec);

	for (unsigned int i = 0; i < s->n; i++) {
		uint32_t r[3];
		int runs;

		memcpy(r, rec + (size_t)WL_SEQNO_REC_BYTES * i, sizeof(r));
		runs = wl_ref_seqno_rec_runs(s->rec_seed, i, r);
		if (runs == 1)
			continue;
		return wl_mismatch(msg, size, "seqno: job %u of %u (seqno %u) %s", i, s->n,
				   s->first_seqno + i,
				   runs == 0 ? "never ran its step (lost work)" :
				   runs == 2 ? "ran twice (a replayed command)" :
					       "left a corrupted record");
	}
	return 0;
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
	return err ?: check_records(w, msg, size);
}

const struct workload_ops wl_seqno_ops = {
	.name = "seqno",
	.summary = "jobs that log themselves, a non-idempotent step on a record each, one fence each",
	.prepare = seqno_prepare,
	.emit = seqno_emit,
	.verify = seqno_verify,
};
