// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * An igfx VF's CCS batches (see vf_ccs.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uapi/xe_sriov_sim_ccs.h"
#include "uapi/xe_sriov_sim_regs.h"
#include "vf_ccs.h"
#include "vf_cmd.h"
#include "vf_guc.h"

#define CMD_DW		(1 + XE_SRIOV_SIM_LEN_CTRL_SURF_COPY)
#define CCS_BLOCK	XE_SRIOV_SIM_CCS_BLOCK

enum { SAVE, RESTORE };

struct vf_ccs {
	struct vf_bo area;	/* the CCS copies, in the VM's memory */
	struct vf_bo bb[2];	/* save, restore */
	struct vf_bo *bos;	/* attached buffers, in creation order */
	unsigned int n, cap;
};

static uint32_t *bb_slot(struct vf_driver *d, int which, unsigned int i)
{
	return (uint32_t *)vf_bo_map(d, &d->ccs->bb[which]) + (size_t)i * CMD_DW;
}

/* Command i of both batches, for the slice d->cfg describes. */
static void write_cmds(struct vf_driver *d, unsigned int i)
{
	const struct vf_bo *bo = &d->ccs->bos[i];
	uint64_t surf = vf_bo_ggtt(d, bo);
	uint64_t copy = vf_bo_ggtt(d, &d->ccs->area) + bo->lmem_off / CCS_BLOCK;
	uint32_t dw[VF_CMD_MAX_DWORDS];

	vf_cmd_copy(dw, XE_SRIOV_SIM_OP_CTRL_SURF_COPY, 0, surf, copy, bo->size);
	memcpy(bb_slot(d, SAVE, i), dw, CMD_DW * 4);
	vf_cmd_copy(dw, XE_SRIOV_SIM_OP_CTRL_SURF_COPY, XE_SRIOV_SIM_CSC_TO_CCS, copy, surf,
		    bo->size);
	memcpy(bb_slot(d, RESTORE, i), dw, CMD_DW * 4);
}

/* BATCH_END at slot i of both batches: they end after i commands. */
static void write_end(struct vf_driver *d, unsigned int i)
{
	uint32_t dw[VF_CMD_MAX_DWORDS];

	vf_cmd_batch_end(dw);
	__atomic_store_n(bb_slot(d, SAVE, i), dw[0], __ATOMIC_RELEASE);
	__atomic_store_n(bb_slot(d, RESTORE, i), dw[0], __ATOMIC_RELEASE);
}

/* REGISTER_CONTEXT over the mailbox (xe_guc_register_vf_exec_queue). */
static int register_ctx(struct vf_driver *d, uint32_t type, uint64_t addr)
{
	uint32_t flags = XE_SRIOV_SIM_CTX_REG_FLAG_KMD |
			 type << XE_SRIOV_SIM_CTX_REG_FLAG_TYPE_SHIFT;
	uint32_t n = d->cfg.num_ctxs;
	uint32_t req[4] = {
		(XE_SRIOV_SIM_HXG_ORIGIN_HOST << XE_SRIOV_SIM_HXG_ORIGIN_SHIFT) |
		(XE_SRIOV_SIM_HXG_TYPE_REQUEST << XE_SRIOV_SIM_HXG_TYPE_SHIFT) |
		((flags << XE_SRIOV_SIM_HXG_DATA0_SHIFT) & XE_SRIOV_SIM_HXG_DATA0_MASK) |
		XE_SRIOV_SIM_GUC_ACTION_REGISTER_CONTEXT,
		/* The VF's last two contexts, as xe's permanent CCS queues. */
		n > 1 ? n - 3 + type : 0,
		(uint32_t)addr, (uint32_t)(addr >> 32),
	};
	int ret = vf_guc_send_io(&d->io, XE_SRIOV_SIM_GT_PRIMARY, req, 4, NULL, NULL);

	return ret < 0 ? ret : 0;
}

int vf_ccs_init(struct vf_driver *d)
{
	struct vf_ccs *c = calloc(1, sizeof(*c));
	uint64_t pages = d->cfg.lmem_size / 4096;
	int err;

	if (!c)
		return -ENOMEM;
	c->cap = pages;
	c->bos = calloc(pages, sizeof(*c->bos));
	err = c->bos ? 0 : -ENOMEM;
	err = err ?: vf_driver_bo_create(d, d->cfg.lmem_size / CCS_BLOCK, &c->area);
	err = err ?: vf_driver_bo_create(d, (pages * CMD_DW + 1) * 4, &c->bb[SAVE]);
	err = err ?: vf_driver_bo_create(d, (pages * CMD_DW + 1) * 4, &c->bb[RESTORE]);
	if (err) {
		free(c->bos);
		free(c);
		return err;
	}
	d->ccs = c;
	write_end(d, 0);
	err = register_ctx(d, XE_SRIOV_SIM_GUC_CONTEXT_COMPRESSION_SAVE,
			   vf_bo_ggtt(d, &c->bb[SAVE]));
	err = err ?: register_ctx(d, XE_SRIOV_SIM_GUC_CONTEXT_COMPRESSION_RESTORE,
				  vf_bo_ggtt(d, &c->bb[RESTORE]));
	if (err)
		vf_ccs_fini(d);
	return err;
}

void vf_ccs_fini(struct vf_driver *d)
{
	if (!d->ccs)
		return;
	free(d->ccs->bos);
	free(d->ccs);
	d->ccs = NULL;
}

int vf_ccs_attach_bo(struct vf_driver *d, const struct vf_bo *bo)
{
	struct vf_ccs *c = d->ccs;

	if (c->n == c->cap)
		return -ENOSPC;
	c->bos[c->n] = *bo;
	/* The new end first, then the command over the old end. */
	write_end(d, c->n + 1);
	write_cmds(d, c->n);
	c->n++;
	return 0;
}

void vf_ccs_detach_from(struct vf_driver *d, struct vf_mark mark)
{
	struct vf_ccs *c = d->ccs;

	/* Released below our own buffers: the batches are gone too. */
	if (mark.lmem < c->bb[RESTORE].lmem_off + c->bb[RESTORE].size) {
		vf_ccs_fini(d);
		return;
	}
	while (c->n && c->bos[c->n - 1].lmem_off >= mark.lmem)
		c->n--;
	write_end(d, c->n);
}

void vf_ccs_rebase(struct vf_driver *d)
{
	for (unsigned int i = 0; i < d->ccs->n; i++)
		write_cmds(d, i);
	write_end(d, d->ccs->n);
}

unsigned int vf_ccs_attached(const struct vf_driver *d)
{
	return d->ccs ? d->ccs->n : 0;
}
