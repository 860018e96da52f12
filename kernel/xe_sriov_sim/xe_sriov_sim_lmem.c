// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: BAR2 (LMEM) and CCS
 *
 * A VF's memory is one vmalloc_user() buffer: lmem_size bytes of LMEM,
 * then lmem_size / 256 bytes of flat CCS metadata (one byte per 256 bytes
 * of LMEM), as flat CCS is a carve-out that only the GPU reaches. VFIO
 * region 2 (BAR2) is the LMEM part only: readable, writable and mmap-able
 * (MAP_SHARED) through the device fd. The CCS is in no BAR and in no
 * stream packet: the LMEM object the PF saves and restores is the LMEM
 * alone (xe_sriov_sim_lmem_obj_size()). On a dgfx PF a save reads it
 * decompressed (xe_sriov_sim_lmem_read_resolved(), as xe's
 * xe_migrate_vram_copy_chunk() reads through a compression PAT on Xe2) and
 * a restore writes it uncompressed (xe_sriov_sim_lmem_ccs_clear()); on an
 * igfx PF the VF's own batches move the CCS (xe_sriov_sim_guc_ccs.c).
 * debugfs vf<id>/ccs reads and writes the CCS for tests.
 *
 * BAR2 accesses do not take the VF's state lock: like real VRAM, the memory
 * stays valid as long as the VF exists, and concurrent accesses race the
 * way they would on hardware. An FLR zeroes LMEM and CCS.
 */

#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_lmem.h"

/**
 * xe_sriov_sim_lmem_obj_size() - bytes of the LMEM object the PF migrates
 * @vf: the VF
 *
 * Return: lmem_size on a dgfx VF; 0 on an igfx VF, which has no VRAM.
 */
u64 xe_sriov_sim_lmem_obj_size(struct xe_sriov_sim_vf *vf)
{
	return vf->igfx ? 0 : vf->lmem_size;
}

/**
 * xe_sriov_sim_lmem_ccs() - the flat CCS bytes of a VF
 * @vf: the VF
 *
 * Return: @vf->ccs_size bytes, CCS byte i for LMEM block i.
 */
u8 *xe_sriov_sim_lmem_ccs(struct xe_sriov_sim_vf *vf)
{
	return (u8 *)vf->lmem + vf->lmem_size;
}

/**
 * xe_sriov_sim_lmem_read_resolved() - LMEM bytes as a decompressing read
 * sees them
 * @vf: the VF; the caller holds its state_lock
 * @off: byte offset in LMEM
 * @buf: @len bytes out
 * @len: bytes, [@off, @off + @len) inside LMEM
 *
 * Each byte of a compressed block (CCS byte not 0) comes out XORed with
 * the block's CCS byte: the original bytes (the engine's RESOLVE).
 */
void xe_sriov_sim_lmem_read_resolved(struct xe_sriov_sim_vf *vf, u64 off,
				     u8 *buf, size_t len)
{
	const u8 *ccs = xe_sriov_sim_lmem_ccs(vf);
	const u8 *src = vf->lmem;
	size_t i;

	lockdep_assert_held(&vf->state_lock);
	for (i = 0; i < len; i++)
		buf[i] = src[off + i] ^ ccs[(off + i) / XE_SRIOV_SIM_CCS_BLOCK];
}

/**
 * xe_sriov_sim_lmem_ccs_clear() - mark LMEM blocks uncompressed
 * @vf: the VF; the caller holds its state_lock
 * @off: byte offset in LMEM
 * @len: bytes, [@off, @off + @len) inside LMEM
 *
 * What writing them through an uncompressed PAT does to their CCS: every
 * block the range touches gets CCS byte 0.
 */
void xe_sriov_sim_lmem_ccs_clear(struct xe_sriov_sim_vf *vf, u64 off,
				 size_t len)
{
	u64 first = off / XE_SRIOV_SIM_CCS_BLOCK;
	u64 last = (off + len + XE_SRIOV_SIM_CCS_BLOCK - 1) /
		   XE_SRIOV_SIM_CCS_BLOCK;

	lockdep_assert_held(&vf->state_lock);
	if (len)
		memset(xe_sriov_sim_lmem_ccs(vf) + first, 0, last - first);
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
	u64 size = vf->lmem_size + vf->ccs_size;

	lockdep_assert_held(&vf->state_lock);
	memset64(vf->lmem, 0, size / 8);
	memset(vf->lmem + round_down(size, 8), 0, size % 8);
}
