// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: VF system memory (DMA)
 *
 * A system-memory PTE of the PPGTT (DM clear) holds an IOVA of the VF's
 * DMA space: the mappings of the VFIO container or IOAS the VF's user
 * made with VFIO_IOMMU_MAP_DMA or IOMMU_IOAS_MAP (for a VM, its guest
 * physical memory). The sim reaches such a page as an mdev driver does
 * (samples/vfio-mdev, kvmgt): vfio_pin_pages() of the page, then the
 * kernel mapping of the pinned page.
 *
 * Pin cache. Each VF keeps up to XE_SRIOV_SIM_DMA_PINS pages pinned
 * (read and write); a miss replaces the entries round robin, so the two
 * or three pages one command touches stay valid while it runs. An IOVA
 * that vfio_pin_pages() refuses (not mapped, mapped read-only) faults
 * PPGTT_DMA, and so does any system-memory access while the VFIO device
 * is not open (a VF the PF restored and resumed through debugfs can run
 * its engine then; it has no DMA space).
 *
 * Invalidation. vfio_pin_pages() requires &vfio_device_ops.dma_unmap: the
 * IOMMU backend calls it when its user unmaps a range that has pinned
 * pages, and vfio_iommu_type1 BUG()s if they are still pinned once the
 * callback returns. xe_sriov_sim_dma_unmap() takes the VF's state_lock
 * (so the engine is between two commands: no pointer of the cache is in
 * use), unpins and forgets every cached page of the range; the next access
 * pins again, which fails for the unmapped IOVA: PPGTT_DMA. So an unmap
 * is a real invalidation of what the engine can reach, as it is for an
 * mdev. FLR, close and restore unpin everything.
 *
 * Fault dma-unmap-stale: the callback copies each cached page of the
 * range into a page the sim owns before unpinning, and the engine goes on
 * using the copy: it reads and writes memory its user no longer mapped,
 * without a fault. The copy is the sim's own, so the defect is wrong but
 * safe; FLR and close free it.
 *
 * Locking: state_lock, then the IOMMU backend's locks (vfio_pin_pages()
 * takes them, and may fault user pages in: the engine runs in a work item
 * under the state_lock mutex, never under a spinlock). The backend calls
 * dma_unmap without its own locks held except its device list.
 * Limitation, as for upstream mdev drivers: an engine pinning the same
 * range again between the callback and the backend's removal of the
 * mapping makes the backend call the callback again.
 */

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/vfio.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_fault.h"
#include "xe_sriov_sim_ppgtt.h"

/* Unpin (or free, for a stale copy) the page of @pin; the entry is free. */
static void pin_drop(struct xe_sriov_sim_vf *vf,
		     struct xe_sriov_sim_dma_pin *pin)
{
	if (!pin->page)
		return;
	if (pin->stale) {
		__free_page(pin->page);
	} else {
		vfio_unpin_pages(&vf->vdev, pin->iova, 1);
		vf->dma.unpins++;
	}
	pin->page = NULL;
	pin->stale = false;
}

/*
 * Fault dma-unmap-stale: swap the pinned page of @pin for a copy the sim
 * owns, and unpin it. False if no page could be had (then just drop it).
 */
static bool pin_keep_stale(struct xe_sriov_sim_vf *vf,
			   struct xe_sriov_sim_dma_pin *pin)
{
	struct page *copy;

	if (pin->stale)
		return true;
	copy = alloc_page(GFP_KERNEL);
	if (!copy)
		return false;
	copy_highpage(copy, pin->page);
	vfio_unpin_pages(&vf->vdev, pin->iova, 1);
	vf->dma.unpins++;
	pin->page = copy;
	pin->stale = true;
	return true;
}

/**
 * xe_sriov_sim_dma_ptr() - the kernel address of a byte of the DMA space
 * @vf: the VF, its device open
 * @iova: the byte's IOVA
 * @p: its kernel address; valid until state_lock is dropped or the cache
 *	takes in XE_SRIOV_SIM_DMA_PINS other pages
 *
 * Return: 0, or the error of vfio_pin_pages() (the page is not mapped).
 */
int xe_sriov_sim_dma_ptr(struct xe_sriov_sim_vf *vf, u64 iova, u8 **p)
{
	struct xe_sriov_sim_dma *dma = &vf->dma;
	u64 base = iova & PAGE_MASK;
	struct xe_sriov_sim_dma_pin *pin;
	struct page *page;
	unsigned int i;
	int ret;

	lockdep_assert_held(&vf->state_lock);
	if (!dma->open)
		return -ENODEV;
	for (i = 0; i < XE_SRIOV_SIM_DMA_PINS; i++) {
		pin = &dma->pin[i];
		if (pin->page && pin->iova == base)
			goto found;
	}

	pin = &dma->pin[dma->next];
	pin_drop(vf, pin);
	ret = vfio_pin_pages(&vf->vdev, base, 1, IOMMU_READ | IOMMU_WRITE,
			     &page);
	if (ret != 1)
		return ret < 0 ? ret : -EFAULT;
	if (WARN_ON_ONCE(PageHighMem(page))) {
		vfio_unpin_pages(&vf->vdev, base, 1);
		return -EFAULT;
	}
	dma->pins++;
	pin->iova = base;
	pin->page = page;
	dma->next = (dma->next + 1) % XE_SRIOV_SIM_DMA_PINS;
found:
	*p = (u8 *)page_address(pin->page) + (iova & ~PAGE_MASK);
	return 0;
}

/**
 * xe_sriov_sim_dma_reset() - forget the DMA space (FLR, close, restore)
 * @vf: the VF, under state_lock or not yet visible
 *
 * Unpins every cached page and frees the stale copies.
 */
void xe_sriov_sim_dma_reset(struct xe_sriov_sim_vf *vf)
{
	unsigned int i;

	for (i = 0; i < XE_SRIOV_SIM_DMA_PINS; i++)
		pin_drop(vf, &vf->dma.pin[i]);
	vf->dma.next = 0;
	vf->dma.pins = 0;
	vf->dma.unpins = 0;
	vf->dma.unmaps = 0;
}

/**
 * xe_sriov_sim_dma_set_open() - the VF's VFIO device opens or closes
 * @vf: the VF
 * @open: after open_device (true), or before close_device's FLR (false)
 *
 * Closing forgets the DMA space at once: nothing is pinned once the
 * device is closed, as vfio_unpin_pages() requires.
 */
void xe_sriov_sim_dma_set_open(struct xe_sriov_sim_vf *vf, bool open)
{
	mutex_lock(&vf->state_lock);
	vf->dma.open = open;
	if (!open)
		xe_sriov_sim_dma_reset(vf);
	mutex_unlock(&vf->state_lock);
}

/**
 * xe_sriov_sim_dma_unmap() - &vfio_device_ops.dma_unmap of a VF
 * @vdev: the VF's VFIO device
 * @iova: first IOVA its user unmapped
 * @length: bytes
 *
 * Unpins and forgets every cached page in the range, so that the engine
 * faults PPGTT_DMA on its next access there (fault dma-unmap-stale: keeps
 * a copy instead).
 */
void xe_sriov_sim_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	struct xe_sriov_sim_vf *vf = vdev_to_vf(vdev);
	bool stale = xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_DMA_UNMAP_STALE);
	unsigned int i;

	mutex_lock(&vf->state_lock);
	for (i = 0; i < XE_SRIOV_SIM_DMA_PINS; i++) {
		struct xe_sriov_sim_dma_pin *pin = &vf->dma.pin[i];

		if (!pin->page || pin->iova < iova ||
		    pin->iova - iova >= length)
			continue;
		vf->dma.unmaps++;
		if (stale && pin_keep_stale(vf, pin))
			continue;
		pin_drop(vf, pin);
	}
	mutex_unlock(&vf->state_lock);
}

/**
 * xe_sriov_sim_dma_print() - the debugfs view of the pin cache
 * @vf: the VF, under state_lock
 * @m: where to print "key: value" lines
 */
void xe_sriov_sim_dma_print(struct xe_sriov_sim_vf *vf, struct seq_file *m)
{
	unsigned int i, used = 0;

	lockdep_assert_held(&vf->state_lock);
	for (i = 0; i < XE_SRIOV_SIM_DMA_PINS; i++)
		used += !!vf->dma.pin[i].page;
	seq_printf(m, "dma_pinned: %u\n", used);
	seq_printf(m, "dma_pins: %llu\n", vf->dma.pins);
	seq_printf(m, "dma_unpins: %llu\n", vf->dma.unpins);
	seq_printf(m, "dma_unmaps: %llu\n", vf->dma.unmaps);
}
