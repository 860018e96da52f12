// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: BAR2 (LMEM) and CCS
 *
 * A VF's LMEM object is one vmalloc_user() buffer: lmem_size bytes of LMEM,
 * then lmem_size / 256 bytes of CCS metadata (one byte per 256 bytes of
 * LMEM). VFIO region 2 (BAR2) is the LMEM part only: readable, writable
 * and mmap-able (MAP_SHARED) through the device fd. The CCS tail is not in
 * any BAR; the migration stream carries it (see the stream DOC) and debugfs
 * vf<id>/ccs reads and writes it for tests.
 *
 * BAR2 accesses do not take the VF's state lock: like real VRAM, the memory
 * stays valid as long as the VF exists, and concurrent accesses race the
 * way they would on hardware. An FLR zeroes LMEM and CCS.
 */

#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_lmem.h"

/**
 * xe_sriov_sim_lmem_obj_size() - bytes of the LMEM object, CCS included
 * @vf: the VF
 *
 * Return: lmem_size + ccs_size.
 */
u64 xe_sriov_sim_lmem_obj_size(struct xe_sriov_sim_vf *vf)
{
	return vf->lmem_size + vf->ccs_size;
}

/**
 * xe_sriov_sim_lmem_rw() - read or write BAR2 from user space
 * @vf: the VF
 * @buf: user buffer
 * @count: bytes
 * @off: offset in BAR2
 * @write: direction
 *
 * Return: @count, -EINVAL for an access past the LMEM, or -EFAULT.
 */
ssize_t xe_sriov_sim_lmem_rw(struct xe_sriov_sim_vf *vf, char __user *buf,
			     size_t count, u64 off, bool write)
{
	if (off >= vf->lmem_size || count > vf->lmem_size - off)
		return -EINVAL;

	if (write) {
		if (copy_from_user(vf->lmem + off, buf, count))
			return -EFAULT;
	} else {
		if (copy_to_user(buf, vf->lmem + off, count))
			return -EFAULT;
	}
	return count;
}

/**
 * xe_sriov_sim_lmem_mmap() - map part of BAR2 into user space
 * @vf: the VF
 * @vma: the mapping; MAP_SHARED, inside the LMEM
 * @off: page aligned offset in BAR2 of the mapping's start
 *
 * Return: 0, or -EINVAL for a private mapping or one past the LMEM.
 */
int xe_sriov_sim_lmem_mmap(struct xe_sriov_sim_vf *vf,
			   struct vm_area_struct *vma, u64 off)
{
	unsigned long size = vma->vm_end - vma->vm_start;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (!PAGE_ALIGNED(off) || off >= vf->lmem_size ||
	    size > vf->lmem_size - off)
		return -EINVAL;

	/* Maps the whole VMA; the checks above keep it out of the CCS. */
	return remap_vmalloc_range(vma, vf->lmem, off >> PAGE_SHIFT);
}

/**
 * xe_sriov_sim_lmem_clear() - zero LMEM and CCS, as xe's FLR does
 * @vf: the VF; the caller holds its state_lock
 *
 * In 8-byte stores: memset() is ``rep stosb`` on CPUs with ERMS, which
 * QEMU's TCG runs byte by byte, several times slower than ``rep stosq``
 * (memset64()); the sim VM resets VFs thousands of times per run.
 */
void xe_sriov_sim_lmem_clear(struct xe_sriov_sim_vf *vf)
{
	u64 size = xe_sriov_sim_lmem_obj_size(vf);

	lockdep_assert_held(&vf->state_lock);
	memset64(vf->lmem, 0, size / 8);
	memset(vf->lmem + round_down(size, 8), 0, size % 8);
}
