// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The workload registry, the common life cycle, gates and the command
 * emission helpers every workload uses.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vf_cmd.h"
#include "wl_ref.h"
#include "workload.h"

/*
 * mix runs them in this order. ccs first: paused on its gate (spinning),
 * the engine has compressed and resolves only after the migration.
 */
const struct workload_ops *const workload_list[] = {
	&wl_ccs_ops, &wl_seqno_ops, &wl_fill_ops, &wl_batch_chain_ops, &wl_spinner_ops,
	&wl_mix_ops, NULL,
};

const struct workload_ops *workload_find(const char *name)
{
	for (int i = 0; workload_list[i]; i++)
		if (!strcmp(workload_list[i]->name, name))
			return workload_list[i];
	return NULL;
}

bool workload_known(const char *name)
{
	return workload_find(name);
}

const char *workload_simpler(const char *name, unsigned int k)
{
	if (strcmp(name, wl_mix_ops.name))
		return NULL;
	for (int i = 0; workload_list[i]; i++)
		if (workload_list[i] != &wl_mix_ops && !k--)
			return workload_list[i]->name;
	return NULL;
}

int workload_create(const char *name, struct vf_driver *drv, struct vf_engine *eng,
		    uint64_t seed, unsigned int scale, struct workload **out)
{
	const struct workload_ops *ops = workload_find(name);
	struct workload *w;

	if (!ops)
		return -ENOENT;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	*w = (struct workload){ .ops = ops, .drv = drv, .eng = eng, .seed = seed,
				.scale = scale ? scale : 1 };
	*out = w;
	return 0;
}

void workload_destroy(struct workload *w)
{
	if (!w)
		return;
	if (w->ops->fini)
		w->ops->fini(w);
	free(w->priv);
	free(w);
}

int workload_prepare(struct workload *w)
{
	return w->ops->prepare(w);
}

int workload_emit(struct workload *w, struct wl_gate *gate)
{
	if (gate)
		w->gate = gate;
	return w->ops->emit(w, gate);
}

int workload_verify(struct workload *w, char *msg, size_t size)
{
	/* What the engine wrote, into a shadow's CPU view (vf_driver.h). */
	int err = vf_driver_lmem_fetch(w->drv, 0, w->drv->lmem_next);

	err = err ?: w->ops->verify(w, msg, size);

	if (!err && w->gate)
		err = wl_gate_verify(w->drv, w->gate, msg, size);
	if (err && err != -EBADMSG)
		snprintf(msg, size, "%s: %s", w->ops->name, strerror(-err));
	return err;
}

/* Gate layout: the open dword, witnesses, then one arrival block per wait. */
#define GATE_WITNESS(k)		(64 + 4 * (k))
#define GATE_ARRIVAL(k)		(WL_BLOCK * (1 + (k)))
#define GATE_BYTES		GATE_ARRIVAL(WL_GATE_WAITS)
#define GATE_NOT_PASSED		0xffffffffu

static void gate_arrival_init(unsigned int k, uint8_t block[WL_BLOCK])
{
	uint64_t rng = wl_seed_for(k, "gate arrival");

	wl_rand_bytes(&rng, block, WL_BLOCK);
}

int wl_gate_create(struct vf_driver *drv, struct wl_gate *g)
{
	int err = vf_driver_bo_create(drv, GATE_BYTES, &g->bo);
	uint8_t *map;

	if (err)
		return err;
	map = vf_bo_map(drv, &g->bo);
	g->waits = 0;
	for (unsigned int k = 0; k < WL_GATE_WAITS; k++) {
		memset(map + GATE_WITNESS(k), 0xff, 4);
		gate_arrival_init(k, map + GATE_ARRIVAL(k));
	}
	__atomic_store_n((uint32_t *)map, 0, __ATOMIC_RELEASE);
	return 0;
}

void wl_gate_open(struct vf_driver *drv, const struct wl_gate *g)
{
	/* Through the current BAR2 mapping: after a hop, the new VF's. */
	__atomic_store_n((uint32_t *)vf_bo_map(drv, &g->bo), WL_GATE_OPEN, __ATOMIC_RELEASE);
	vf_driver_lmem_flush(drv);	/* a shadow's store reaches the VF now */
}

uint64_t wl_gate_ggtt(const struct vf_driver *drv, const struct wl_gate *g)
{
	return vf_bo_ggtt(drv, &g->bo);
}

static int gate_check_wait(const uint8_t *map, unsigned int k, char *msg, size_t size)
{
	uint8_t once[WL_BLOCK], twice[WL_BLOCK];
	const uint8_t *got = map + GATE_ARRIVAL(k);
	uint32_t witness;

	memcpy(&witness, map + GATE_WITNESS(k), 4);
	gate_arrival_init(k, once);
	if (!memcmp(got, once, WL_BLOCK))
		return wl_mismatch(msg, size, "gate wait %u: its arrival never ran", k);
	wl_ref_shift(once);
	memcpy(twice, once, WL_BLOCK);
	wl_ref_shift(twice);
	if (!memcmp(got, twice, WL_BLOCK))
		return wl_mismatch(msg, size,
				   "gate wait %u: its arrival ran twice (a command replayed at the pause)",
				   k);
	if (memcmp(got, once, WL_BLOCK))
		return wl_mismatch(msg, size, "gate wait %u: arrival block corrupted", k);
	if (witness == 0)
		return wl_mismatch(msg, size,
				   "gate wait %u: passed while the gate was closed (its SPIN_UNTIL lost)",
				   k);
	if (witness != WL_GATE_OPEN)
		return wl_mismatch(msg, size, "gate wait %u: %s (witness %#x)", k,
				   witness == GATE_NOT_PASSED ? "never passed" : "witness corrupted",
				   witness);
	return 0;
}

int wl_gate_verify(struct vf_driver *drv, const struct wl_gate *g, char *msg, size_t size)
{
	const uint8_t *map = vf_bo_map(drv, &g->bo);
	int err = vf_driver_lmem_fetch(drv, g->bo.lmem_off, g->bo.size);

	if (err)
		return wl_mismatch(msg, size, "reading the gate: %s", strerror(-err));

	for (unsigned int k = 0; k < g->waits; k++) {
		int err = gate_check_wait(map, k, msg, size);

		if (err)
			return err;
	}
	return 0;
}

void wl_cs_dwords(struct wl_cs *cs, const uint32_t *dw, unsigned int n)
{
	if (cs->err)
		return;
	cs->err = cs->batch ? vf_engine_batch_emit(cs->eng, cs->batch, dw, n) :
			      vf_engine_emit(cs->eng, dw, n);
}

void wl_cs_store(struct wl_cs *cs, uint64_t addr, uint32_t value)
{
	uint32_t dw[VF_CMD_MAX_DWORDS];

	wl_cs_dwords(cs, dw, vf_cmd_store(dw, addr, value));
}

void wl_cs_spin(struct wl_cs *cs, uint64_t addr, uint32_t value, uint32_t max_iterations)
{
	uint32_t dw[VF_CMD_MAX_DWORDS];

	wl_cs_dwords(cs, dw, vf_cmd_spin_until(dw, addr, value, max_iterations));
}

void wl_cs_gate(struct wl_cs *cs, struct wl_gate *g)
{
	uint64_t base;
	unsigned int k;

	if (!g || cs->err)
		return;
	if (g->waits == WL_GATE_WAITS) {
		cs->err = -ENOSPC;
		return;
	}
	k = g->waits++;
	base = wl_gate_ggtt(cs->eng->drv, g);
	wl_cs_copy(cs, XE_SRIOV_SIM_OP_COPY, 0, base + GATE_ARRIVAL(k) + 4, base + GATE_ARRIVAL(k),
		   WL_SHIFT_BYTES);
	wl_cs_spin(cs, base, WL_GATE_OPEN, 0);
	wl_cs_copy(cs, XE_SRIOV_SIM_OP_COPY, 0, base, base + GATE_WITNESS(k), 4);
}

void wl_cs_copy(struct wl_cs *cs, uint32_t op, uint32_t flags, uint64_t src, uint64_t dst,
		uint32_t bytes)
{
	uint32_t dw[VF_CMD_MAX_DWORDS];

	wl_cs_dwords(cs, dw, vf_cmd_copy(dw, op, flags, src, dst, bytes));
}

void wl_cs_batch_start(struct wl_cs *cs, uint64_t addr)
{
	uint32_t dw[VF_CMD_MAX_DWORDS];

	wl_cs_dwords(cs, dw, vf_cmd_batch_start(dw, addr));
}

void wl_cs_batch_end(struct wl_cs *cs)
{
	uint32_t dw[VF_CMD_MAX_DWORDS];

	wl_cs_dwords(cs, dw, vf_cmd_batch_end(dw));
}

void wl_cs_fence(struct wl_cs *cs, uint32_t *seqno)
{
	if (!cs->err && cs->batch)
		cs->err = -EINVAL;
	if (!cs->err)
		cs->err = vf_engine_emit_fence(cs->eng, seqno);
}

int wl_mismatch(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}
