// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The VF driver model's core: GGTT and LMEM ownership and xe's
 * post-migration recovery. Engine-specific fixups plug in as a callback.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "uapi/xe_sriov_sim_regs.h"
#include "vf_ccs.h"
#include "vf_driver.h"

#define PAGE XE_SRIOV_SIM_GGTT_PAGE_SIZE

static int map_lmem(struct vf_driver *d)
{
	void *p;
	int err = vfio_dev_region_mmap(d->dev, XE_SRIOV_SIM_BAR_LMEM, &p, &d->lmem_map_size);

	if (!err)
		d->lmem = p;
	return err;
}

static void unmap_lmem(struct vf_driver *d)
{
	if (d->lmem)
		munmap(d->lmem, d->lmem_map_size);
	d->lmem = NULL;
}

/* xe_gt_sriov_vf_bootstrap() and query_config, on every GT. */
static int probe_gts(struct vf_driver *d, struct vf_guc_config *cfg)
{
	int err = 0;

	for (unsigned int gt = 0; gt < VF_GUC_NUM_GTS && !err; gt++) {
		err = vf_guc_match_version(d->dev, gt, &d->guc_version[gt]);
		err = err ?: vf_guc_query_config(d->dev, gt, &cfg[gt]);
	}
	return err;
}

int vf_driver_init(struct vf_driver *d, struct vfio_dev *dev)
{
	struct vf_guc_config cfg[VF_GUC_NUM_GTS];
	int err;

	memset(d, 0, sizeof(*d));
	d->dev = dev;
	err = probe_gts(d, cfg);
	if (err)
		return err;
	d->cfg = cfg[0];
	d->media = cfg[1];
	return map_lmem(d);
}

void vf_driver_fini(struct vf_driver *d)
{
	vf_ccs_fini(d);
	unmap_lmem(d);
}

static int write_pte(struct vf_driver *d, uint64_t index, uint64_t lmem_off)
{
	uint64_t pte = XE_SRIOV_SIM_PTE_VALID | (lmem_off & XE_SRIOV_SIM_PTE_ADDR_MASK);

	return vfio_dev_region_write(d->dev, XE_SRIOV_SIM_BAR_MMIO,
				     XE_SRIOV_SIM_GGTT_WINDOW + 8 * index, &pte, sizeof(pte));
}

int vf_driver_bo_create(struct vf_driver *d, uint64_t size, struct vf_bo *bo)
{
	uint64_t pages = (size + PAGE - 1) / PAGE;
	int err = 0;

	if (d->wedged)
		return -EIO;
	if (!pages || d->lmem_next + pages * PAGE > d->cfg.lmem_size ||
	    d->ggtt_next + pages * PAGE > d->cfg.ggtt_size)
		return -ENOSPC;
	bo->lmem_off = d->lmem_next;
	bo->ggtt_off = d->ggtt_next;
	bo->size = pages * PAGE;
	for (uint64_t i = 0; i < pages && !err; i++)
		err = write_pte(d, bo->ggtt_off / PAGE + i, bo->lmem_off + i * PAGE);
	if (err)
		return err;
	d->lmem_next += bo->size;
	d->ggtt_next += bo->size;
	/* xe_sriov_vf_ccs_attach_bo(): its CCS goes into the batches. */
	return d->ccs ? vf_ccs_attach_bo(d, bo) : 0;
}

int vf_driver_release(struct vf_driver *d, struct vf_mark mark)
{
	uint64_t zero = 0;
	int err = 0;

	if (mark.lmem > d->lmem_next || mark.ggtt > d->ggtt_next)
		return -EINVAL;
	for (uint64_t off = mark.ggtt; off < d->ggtt_next && !err; off += PAGE)
		err = vfio_dev_region_write(d->dev, XE_SRIOV_SIM_BAR_MMIO,
					    XE_SRIOV_SIM_GGTT_WINDOW + 8 * (off / PAGE), &zero,
					    sizeof(zero));
	d->lmem_next = mark.lmem;
	d->ggtt_next = mark.ggtt;
	if (d->ccs)
		vf_ccs_detach_from(d, mark);
	return err;
}

int vf_driver_attach(struct vf_driver *d, struct vfio_dev *dev)
{
	unmap_lmem(d);
	d->dev = dev;
	return map_lmem(d);
}

/*
 * Any change but the GGTT base is fatal, as in xe (xe_gt_sriov_vf.c
 * vf_get_ggtt_info, vf_get_lmem_info, vf_get_submission_cfg).
 */
static int check_config(struct vf_driver *d, unsigned int gt, const struct vf_guc_config *was,
			const struct vf_guc_config *now)
{
	if (now->ggtt_size != was->ggtt_size || now->lmem_size != was->lmem_size ||
	    now->num_ctxs != was->num_ctxs || now->num_dbs != was->num_dbs) {
		snprintf(d->error, sizeof(d->error),
			 "GT%u: unexpected reassignment (EREMCHG): GGTT size %#llx -> %#llx, LMEM %llu -> %llu, contexts %u -> %u, doorbells %u -> %u",
			 gt, (unsigned long long)was->ggtt_size,
			 (unsigned long long)now->ggtt_size, (unsigned long long)was->lmem_size,
			 (unsigned long long)now->lmem_size, was->num_ctxs, now->num_ctxs,
			 was->num_dbs, now->num_dbs);
		return -EREMCHG;
	}
	return 0;
}

/* One pass of the sequence; -EAGAIN when a RESFIX_DONE says "migrated". */
static int recover_once(struct vf_driver *d)
{
	struct vf_guc_config now[VF_GUC_NUM_GTS];
	const struct vf_guc_config *was[VF_GUC_NUM_GTS] = { &d->cfg, &d->media };
	uint16_t marker = vf_guc_next_marker(d->marker);
	int64_t shift;
	int err = 0;

	d->marker = marker;
	for (unsigned int gt = 0; gt < VF_GUC_NUM_GTS && !err; gt++)
		err = vf_guc_resfix_start(d->dev, gt, marker);
	for (unsigned int gt = 0; gt < VF_GUC_NUM_GTS && !err; gt++) {
		err = vf_guc_query_config(d->dev, gt, &now[gt]);
		err = err ?: check_config(d, gt, was[gt], &now[gt]);
	}
	if (err)
		return err;
	shift = (int64_t)(now[0].ggtt_start - d->cfg.ggtt_start);
	d->cfg = now[0];
	d->media = now[1];
	/* xe_sriov_vf_ccs_rebase(), before the GuC may run them again. */
	if (d->ccs)
		vf_ccs_rebase(d);
	if (d->fixup) {
		err = d->fixup(d, shift, d->fixup_data);
		if (err)
			return err;
	}
	for (unsigned int gt = 0; gt < VF_GUC_NUM_GTS && !err; gt++)
		err = vf_guc_resfix_done(d->dev, gt, marker);
	return err == -EREMCHG ? -EAGAIN : err;
}

int vf_driver_recover(struct vf_driver *d, unsigned int max_requeues)
{
	int err;

	if (d->wedged)
		return -EIO;
	d->error[0] = '\0';
	for (unsigned int i = 0;; i++) {
		err = recover_once(d);
		if (err != -EAGAIN || i == max_requeues)
			break;
		d->requeues++;
	}
	if (err) {
		/* xe_device_declare_wedged(): nothing runs on this VF any more. */
		d->wedged = true;
		return err == -EAGAIN ? -EREMCHG : err;
	}
	d->recoveries++;
	return 0;
}
