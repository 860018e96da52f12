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

int workload_emit(struct workload *w, const struct wl_gate *gate)
{
	return w->ops->emit(w, gate);
}

int workload_verify(struct workload *w, char *msg, size_t size)
{
	int err = w->ops->verify(w, msg, size);

	if (err && err != -EBADMSG)
		snprintf(msg, size, "%s: %s", w->ops->name, strerror(-err));
	return err;
}

int wl_gate_create(struct vf_driver *drv, struct wl_gate *g)
{
	int err = vf_driver_bo_create(drv, 4, &g->bo);

	if (!err)
		__atomic_store_n((uint32_t *)vf_bo_map(drv, &g->bo), 0, __ATOMIC_RELEASE);
	return err;
}

void wl_gate_open(struct vf_driver *drv, const struct wl_gate *g)
{
	/* Through the current BAR2 mapping: after a hop, the new VF's. */
	__atomic_store_n((uint32_t *)vf_bo_map(drv, &g->bo), WL_GATE_OPEN, __ATOMIC_RELEASE);
}

uint64_t wl_gate_ggtt(const struct vf_driver *drv, const struct wl_gate *g)
{
	return vf_bo_ggtt(drv, &g->bo);
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

void wl_cs_gate(struct wl_cs *cs, const struct wl_gate *g)
{
	if (g)
		wl_cs_spin(cs, wl_gate_ggtt(cs->eng->drv, g), WL_GATE_OPEN, 0);
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
