// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: GGTT
 *
 * Each PF has one array of u64 PTEs for the VF part of its GGTT, and each
 * VF owns one slice of it (see the provisioning DOC). A PTE is xe's:
 * bit 0 valid, bits 11:2 the VF id (GGTT_PTE_VFID), bits 46:12 a page
 * address, which in the sim is a byte offset into the VF's own LMEM.
 *
 * The VF sees its slice through the PTE window of BAR0
 * (XE_SRIOV_SIM_GGTT_WINDOW): reads show the PTEs as stored, writes store
 * the value with the VF id field forced to the VF's id, accesses past the
 * slice fail. Save and restore work like xe_ggtt_node_save() and
 * xe_ggtt_node_load(): save requires every PTE to carry the VF's id
 * (else -EPERM) and zeroes the field, restore stamps the target's id.
 *
 * All functions here run under &xe_sriov_sim_vf.state_lock.
 */

#include <linux/errno.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_fault.h"
#include "xe_sriov_sim_ggtt.h"

static u64 pte_set_vfid(u64 pte, unsigned int vfid)
{
	return (pte & ~XE_SRIOV_SIM_PTE_VFID_MASK) |
	       (((u64)vfid << XE_SRIOV_SIM_PTE_VFID_SHIFT) &
		XE_SRIOV_SIM_PTE_VFID_MASK);
}

static unsigned int pte_vfid(u64 pte)
{
	return (pte & XE_SRIOV_SIM_PTE_VFID_MASK) >> XE_SRIOV_SIM_PTE_VFID_SHIFT;
}

/**
 * xe_sriov_sim_ggtt_clear() - reset every PTE of a VF's slice
 * @vf: the VF
 *
 * Each PTE becomes invalid and carries only the VF id, as after
 * provisioning or an FLR.
 */
void xe_sriov_sim_ggtt_clear(struct xe_sriov_sim_vf *vf)
{
	unsigned int i;

	for (i = 0; i < vf->ggtt_ptes; i++)
		vf->ggtt[i] = pte_set_vfid(0, vf->id);
}

static int window_check(struct xe_sriov_sim_vf *vf, u64 off,
			unsigned int size)
{
	if ((size != 4 && size != 8) || !IS_ALIGNED(off, size))
		return -EINVAL;
	if (off >= (u64)vf->ggtt_ptes * sizeof(u64))
		return -EINVAL;
	return 0;
}

/**
 * xe_sriov_sim_ggtt_window_read() - read the PTE window
 * @vf: the VF
 * @off: byte offset in the window
 * @size: 4 or 8, naturally aligned
 * @val: the PTE, or its low/high half
 *
 * Return: 0, or -EINVAL for a bad access or one past the slice.
 */
int xe_sriov_sim_ggtt_window_read(struct xe_sriov_sim_vf *vf, u64 off,
				  unsigned int size, u64 *val)
{
	u64 pte;
	int ret;

	ret = window_check(vf, off, size);
	if (ret)
		return ret;

	pte = vf->ggtt[off / sizeof(u64)];
	if (size == 4)
		pte = (u32)(pte >> (8 * (off & 4)));
	*val = pte;
	return 0;
}

/**
 * xe_sriov_sim_ggtt_window_write() - write the PTE window
 * @vf: the VF
 * @off: byte offset in the window
 * @size: 4 or 8, naturally aligned; 4 replaces one half of the PTE
 * @val: the value
 *
 * The device forces the VF id field to the VF's own id.
 *
 * Return: 0, or -EINVAL for a bad access or one past the slice.
 */
int xe_sriov_sim_ggtt_window_write(struct xe_sriov_sim_vf *vf, u64 off,
				   unsigned int size, u64 val)
{
	u64 *pte;
	int ret;

	ret = window_check(vf, off, size);
	if (ret)
		return ret;

	pte = &vf->ggtt[off / sizeof(u64)];
	if (size == 4) {
		unsigned int shift = 8 * (off & 4);

		val = (*pte & ~(0xffffffffull << shift)) |
		      ((val & 0xffffffffull) << shift);
	}
	*pte = pte_set_vfid(val, vf->id);
	return 0;
}

/**
 * xe_sriov_sim_ggtt_save_size() - bytes of a VF's GGTT packet payload
 * @vf: the VF
 *
 * Return: 8 bytes per PTE of the slice.
 */
size_t xe_sriov_sim_ggtt_save_size(struct xe_sriov_sim_vf *vf)
{
	return (size_t)vf->ggtt_ptes * sizeof(u64);
}

/**
 * xe_sriov_sim_ggtt_save() - copy out a VF's PTEs with the VF id zeroed
 * @vf: the VF
 * @buf: xe_sriov_sim_ggtt_save_size() bytes, little endian PTEs
 *
 * Return: 0, or -EPERM if a PTE carries a foreign VF id (as xe).
 */
int xe_sriov_sim_ggtt_save(struct xe_sriov_sim_vf *vf, __le64 *buf)
{
	unsigned int i;

	for (i = 0; i < vf->ggtt_ptes; i++) {
		if (pte_vfid(vf->ggtt[i]) != vf->id)
			return -EPERM;
		buf[i] = cpu_to_le64(pte_set_vfid(vf->ggtt[i], 0));
	}
	return 0;
}

/**
 * xe_sriov_sim_ggtt_restore() - load saved PTEs into a VF's slice
 * @vf: the target VF
 * @buf: xe_sriov_sim_ggtt_save_size() bytes of little endian PTEs
 *
 * Every PTE gets the target's VF id; the LMEM offsets stay as they are,
 * because they are relative to the VF's own LMEM.
 */
void xe_sriov_sim_ggtt_restore(struct xe_sriov_sim_vf *vf, const __le64 *buf)
{
	unsigned int vfid = vf->id;
	u64 *dst = vf->ggtt;
	unsigned int i;

	/* Fault ggtt-vfid: the PTEs keep the zeroed VF id field. */
	if (xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_GGTT_VFID))
		vfid = 0;
	/* Fault ggtt-slice: the PTEs land one slice too far, if it exists. */
	if (xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_GGTT_SLICE))
		dst = vf->id < vf->pf->max_vfs ? vf->ggtt + vf->ggtt_ptes : NULL;

	for (i = 0; dst && i < vf->ggtt_ptes; i++)
		WRITE_ONCE(dst[i], pte_set_vfid(le64_to_cpu(buf[i]), vfid));
}
