// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: PPGTT walk
 *
 * Each VF has a per-process GTT as xe's VMs have (xe_pt.c, xe_vm.c): a
 * four-level tree of 4 KiB pages of 512 little endian 8-byte entries, in
 * the VF's own LMEM, written by the VF (CPU through BAR2, or its engine:
 * a bind job). Layout and entry bits: include/uapi/xe_sriov_sim_ppgtt.h.
 *
 * PPGTT_ROOT_LO/HI (engine registers) hold the LMEM offset of the level 3
 * page and ENABLE. The engine uses the PPGTT for every access of a batch
 * entered with XE_SRIOV_SIM_BATCH_PPGTT (command fetch and operands, see
 * the engine memory DOC); the ring, the context image and GuC batches stay
 * GGTT addressed. A walk, for each 4 KiB page an access touches:
 *
 * 1. ROOT without ENABLE: PPGTT_DISABLED. VA bits 63:48 set, or a root
 *    page past the VF's LMEM: PPGTT_RANGE.
 * 2. Levels 3..1: the PDE at the VA's index must be PRESENT
 *    (PPGTT_NOT_PRESENT), have no MBZ bit set and point inside the LMEM
 *    (PPGTT_RANGE); its DM bit is ignored.
 * 3. Level 0: the PTE likewise; a write needs RW (PPGTT_READ_ONLY). DM
 *    set: the page is at that LMEM offset (inside the LMEM, else
 *    PPGTT_RANGE). DM clear: the page is at that IOVA of the VF's DMA
 *    space, reached as an mdev reaches it (see the DMA DOC); an IOVA that
 *    cannot be pinned is PPGTT_DMA.
 *
 * A fault records the VA in FAULT_ADDR and hangs the engine, as GGTT
 * faults do. Nothing is cached between walks (no TLB): a PTE the VF
 * changes is seen by the next access, as after an xe TLB invalidation.
 *
 * Migration: the tree is in LMEM and every address in it is an LMEM offset
 * or an IOVA, both the same on the destination (the LMEM moves whole, the
 * VMM maps guest memory at the same IOVAs), so nothing in it is fixed up.
 * Only the root register travels, in the GUC packet's engine section.
 *
 * Runs under &xe_sriov_sim_vf.state_lock, which keeps the LMEM object in
 * place; the VF may rewrite entries at any time, so each is read once.
 */

#include <linux/errno.h>
#include <linux/lockdep.h>

#include <uapi/xe_sriov_sim_ppgtt.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_engine.h"
#include "xe_sriov_sim_ppgtt.h"

#define ENTRY_MBZ	(~(XE_SRIOV_SIM_PPGTT_ADDR_MASK | \
			   XE_SRIOV_SIM_PPGTT_PRESENT | \
			   XE_SRIOV_SIM_PPGTT_RW | XE_SRIOV_SIM_PPGTT_DM))

/**
 * xe_sriov_sim_ppgtt_root() - the value PPGTT_ROOT keeps of a write
 * @val: PPGTT_ROOT_HI:LO as written
 *
 * Return: @val with the bits that read 0 cleared.
 */
u64 xe_sriov_sim_ppgtt_root(u64 val)
{
	return val & (XE_SRIOV_SIM_PPGTT_ROOT_ADDR_MASK |
		      XE_SRIOV_SIM_PPGTT_ROOT_ENABLE);
}

static int fault(struct xe_sriov_sim_vf *vf, u32 reason, u64 va)
{
	return xe_sriov_sim_engine_fault(vf, reason, va);
}

/* The entry at @index of the table page at LMEM offset @table. */
static u64 entry_at(struct xe_sriov_sim_vf *vf, u64 table, unsigned int index)
{
	const __le64 *e = vf->lmem + table + 8 * index;

	return le64_to_cpu(READ_ONCE(*e));
}

/**
 * xe_sriov_sim_ppgtt_walk() - translate a PPGTT virtual address
 * @vf: the VF
 * @va: the virtual address
 * @write: the access writes
 * @addr: the byte's LMEM offset (@lmem) or IOVA
 * @lmem: the PTE is a device-memory one
 *
 * Return: 0, or -EFAULT with the fault (reason, @va) recorded.
 */
int xe_sriov_sim_ppgtt_walk(struct xe_sriov_sim_vf *vf, u64 va, bool write,
			    u64 *addr, bool *lmem)
{
	u64 root = vf->engine.ppgtt_root, table, e = 0;
	int level;

	lockdep_assert_held(&vf->state_lock);
	if (!(root & XE_SRIOV_SIM_PPGTT_ROOT_ENABLE))
		return fault(vf, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_DISABLED, va);
	table = root & XE_SRIOV_SIM_PPGTT_ROOT_ADDR_MASK;
	if (va >> XE_SRIOV_SIM_PPGTT_VA_BITS || table >= vf->lmem_size)
		return fault(vf, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_RANGE, va);

	for (level = XE_SRIOV_SIM_PPGTT_LEVELS - 1; level >= 0; level--) {
		e = entry_at(vf, table, XE_SRIOV_SIM_PPGTT_INDEX(va, level));
		if (!(e & XE_SRIOV_SIM_PPGTT_PRESENT))
			return fault(vf, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_NOT_PRESENT,
				     va);
		if (e & ENTRY_MBZ)
			return fault(vf, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_RANGE, va);
		table = e & XE_SRIOV_SIM_PPGTT_ADDR_MASK;
		/* lmem_size is a page multiple: a page below it is inside. */
		if ((level || (e & XE_SRIOV_SIM_PPGTT_DM)) &&
		    table >= vf->lmem_size)
			return fault(vf, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_RANGE, va);
	}
	if (write && !(e & XE_SRIOV_SIM_PPGTT_RW))
		return fault(vf, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_READ_ONLY, va);
	*lmem = e & XE_SRIOV_SIM_PPGTT_DM;
	*addr = table + (va & (XE_SRIOV_SIM_PPGTT_PAGE_SIZE - 1));
	return 0;
}
