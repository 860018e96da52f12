// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The VF driver model's core: GGTT and LMEM ownership and xe's
 * post-migration recovery. Engine-specific fixups plug in as a callback.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "uapi/xe_sriov_sim_regs.h"
#include "vf_ccs.h"
#include "vf_driver.h"

#define PAGE XE_SRIOV_SIM_GGTT_PAGE_SIZE

static int map_lmem(struct vf_driver *d)
{
	void *p;
	int err;

	if (!d->dev)
		return 0;	/* the shadow stays */
	err = vfio_dev_region_mmap(d->dev, XE_SRIOV_SIM_BAR_LMEM, &p, &d->lmem_map_size);
	if (!err)
		d->lmem = p;
	return err;
}

static void unmap_lmem(struct vf_driver *d)
{
	if (d->lmem_synced)
		return;		/* a shadow: vf_driver_fini() frees it */
	if (d->lmem)
		munmap(d->lmem, d->lmem_map_size);
	d->lmem = NULL;
}

/* No CPU mapping: a shadow, LMEM as a fresh (reset) VF holds it, zero. */
static int shadow_lmem(struct vf_driver *d)
{
	d->lmem_map_size = d->cfg.lmem_size;
	d->lmem = calloc(1, d->lmem_map_size);
	d->lmem_synced = calloc(1, d->lmem_map_size);
	return d->lmem && d->lmem_synced ? 0 : -ENOMEM;
}

/*
 * Write the dword runs the CPU changed since the last sync. Runs closer
 * than gap dwords are written as one: only safe while the shadow is what
 * the VF holds everywhere else (just after a fetch), since the dwords in
 * between are written too.
 */
static int flush_runs(struct vf_driver *d, uint64_t gap)
{
	const uint32_t *now = (const uint32_t *)d->lmem;
	uint32_t *was = (uint32_t *)d->lmem_synced;
	uint64_t n = d->lmem_next / 4, i = 0;

	if (!d->lmem_synced)
		return 0;
	while (i < n) {
		uint64_t end = i + 1, run;
		int err;

		if (now[i] == was[i]) {
			i++;
			continue;
		}
		/* [i, end) ends with a changed dword; at most gap equal ones follow. */
		for (uint64_t j = end; j < n && j - end <= gap; j++)
			if (now[j] != was[j])
				end = j + 1;
		run = end - i;
		err = d->io.ops->lmem_write(&d->io, 4 * i, now + i, 4 * run);
		if (err)
			return err;
		memcpy(was + i, now + i, 4 * run);
		i += run;
	}
	return 0;
}

int vf_driver_lmem_flush(struct vf_driver *d)
{
	return flush_runs(d, 0);
}

int vf_driver_lmem_fetch(struct vf_driver *d, uint64_t off, uint64_t len)
{
	int err;

	if (!d->lmem_synced)
		return 0;
	if (off > d->lmem_map_size || len > d->lmem_map_size - off)
		return -EINVAL;
	err = vf_driver_lmem_flush(d);
	err = err ?: d->io.ops->lmem_read(&d->io, off, d->lmem + off, len);
	if (!err)
		memcpy(d->lmem_synced + off, d->lmem + off, len);
	return err;
}

uint32_t vf_driver_lmem_read32(struct vf_driver *d, uint64_t off)
{
	uint32_t v = 0;

	if (!d->lmem_synced)
		return __atomic_load_n((uint32_t *)(d->lmem + off), __ATOMIC_ACQUIRE);
	/* A dword the VF writes and the CPU does not: shadow and record follow. */
	if (!d->io.ops->lmem_read(&d->io, off, &v, sizeof(v))) {
		memcpy(d->lmem + off, &v, sizeof(v));
		memcpy(d->lmem_synced + off, &v, sizeof(v));
	}
	return v;
}

/* xe_gt_sriov_vf_bootstrap() and query_config, on every GT. */
static int probe_gts(struct vf_driver *d, struct vf_guc_config *cfg)
{
	int err = 0;

	for (unsigned int gt = 0; gt < VF_GUC_NUM_GTS && !err; gt++) {
		err = vf_guc_match_version_io(&d->io, gt, &d->guc_version[gt]);
		err = err ?: vf_guc_query_config_io(&d->io, gt, &cfg[gt]);
	}
	return err;
}

int vf_driver_init_io(struct vf_driver *d, const struct vf_io *io)
{
	struct vf_guc_config cfg[VF_GUC_NUM_GTS];
	int err;

	memset(d, 0, sizeof(*d));
	d->io = *io;
	d->dev = io->ops == &vf_io_vfio_ops ? io->dev : NULL;
	err = probe_gts(d, cfg);
	if (err)
		return err;
	d->cfg = cfg[0];
	d->media = cfg[1];
	return d->dev ? map_lmem(d) : shadow_lmem(d);
}

int vf_driver_init(struct vf_driver *d, struct vfio_dev *dev)
{
	struct vf_io io = vf_io_vfio(dev, -1);

	return vf_driver_init_io(d, &io);
}

void vf_driver_fini(struct vf_driver *d)
{
	vf_ccs_fini(d);
	unmap_lmem(d);
	if (d->lmem_synced) {
		free(d->lmem);
		free(d->lmem_synced);
		d->lmem = NULL;
		d->lmem_synced = NULL;
	}
}

static int write_pte(struct vf_driver *d, uint64_t index, uint64_t lmem_off)
{
	uint64_t pte = XE_SRIOV_SIM_PTE_VALID | (lmem_off & XE_SRIOV_SIM_PTE_ADDR_MASK);

	return d->io.ops->mmio_write(&d->io, XE_SRIOV_SIM_GGTT_WINDOW + 8 * index, &pte,
				     sizeof(pte));
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
		err = d->io.ops->mmio_write(&d->io, XE_SRIOV_SIM_GGTT_WINDOW + 8 * (off / PAGE),
					    &zero, sizeof(zero));
	d->lmem_next = mark.lmem;
	d->ggtt_next = mark.ggtt;
	if (d->ccs)
		vf_ccs_detach_from(d, mark);
	return err;
}

int vf_driver_attach(struct vf_driver *d, struct vfio_dev *dev)
{
	int efd = d->io.efd;

	unmap_lmem(d);
	d->dev = dev;
	d->io = vf_io_vfio(dev, efd);
	return map_lmem(d);
}

int vf_driver_attach_io(struct vf_driver *d, const struct vf_io *io)
{
	if ((d->lmem_synced != NULL) == (io->ops == &vf_io_vfio_ops))
		return -EINVAL;	/* a shadow cannot turn into a mapping */
	if (io->ops == &vf_io_vfio_ops)
		return vf_driver_attach(d, io->dev);
	d->io = *io;
	return 0;
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
		err = vf_guc_resfix_start_io(&d->io, gt, marker);
	for (unsigned int gt = 0; gt < VF_GUC_NUM_GTS && !err; gt++) {
		err = vf_guc_query_config_io(&d->io, gt, &now[gt]);
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
	/* The VF's LMEM is the destination's now: the CPU view follows. */
	err = vf_driver_lmem_fetch(d, 0, d->lmem_next);
	if (err)
		return err;
	if (d->fixup) {
		err = d->fixup(d, shift, d->fixup_data);
		if (err)
			return err;
	}
	/*
	 * The fixed-up commands reach the VF before its engine runs them; the
	 * shadow was just fetched, so nearby patches go out as one write.
	 */
	err = flush_runs(d, 1024);
	for (unsigned int gt = 0; gt < VF_GUC_NUM_GTS && !err; gt++)
		err = vf_guc_resfix_done_io(&d->io, gt, marker);
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
