// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: engine memory access
 *
 * Every access of the engine (command fetch, operands, context image) is an
 * address in one of two address spaces, a property of the access path
 * (&xe_sriov_sim_engine.space): the level a command was fetched from sets
 * it for the command's fetch and operands (the ring and GGTT batches:
 * GGTT; batches entered with XE_SRIOV_SIM_BATCH_PPGTT: PPGTT); the
 * context image and GuC batches are always GGTT. Both translate one 4 KiB
 * page at a time and share everything else here (splitting, alignment,
 * the LMEM and CCS bytes).
 *
 * GGTT addresses are translated through the VF's own slice:
 *
 * 1. The address must lie in the VF's slice, [ggtt_start, ggtt_start +
 *    ggtt_size); else OUT_OF_SLICE.
 * 2. The PTE of its 4 KiB page must be valid (PTE_INVALID) and carry the
 *    VF's id (PTE_FOREIGN).
 * 3. The PTE's address field is a byte offset into the VF's LMEM; the page
 *    must lie inside it (PTE_RANGE).
 *
 * PPGTT addresses are walked through the VF's page tables (see the PPGTT
 * walk DOC) to an LMEM offset or, for a system-memory PTE, to an IOVA of
 * the VF's DMA space, whose pinned page the engine then uses (see the DMA
 * DOC). System memory has no CCS: its CCS byte reads 0 and takes no write.
 *
 * The LMEM byte is then lmem[page + (address & 4095)], and the CCS
 * byte of the 256-byte block holding it lmem[lmem_size + offset / 256].
 * A failed translation records the fault reason and address in the engine
 * and returns -EFAULT; the engine then hangs. Accesses that cross a page
 * are split and each page is translated on its own, so a range may map to
 * scattered pages. Dword accesses must be 4-byte aligned (ALIGNMENT).
 *
 * All functions run under &xe_sriov_sim_vf.state_lock, which keeps the
 * PTEs, the LMEM object and the pinned pages stable against the PF (FLR,
 * restore) and the DMA unmap callback. The VF itself may write LMEM
 * through BAR2 at any time, as it could race a GPU.
 */

#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/string.h>

#include <uapi/xe_sriov_sim_ppgtt.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_engine.h"
#include "xe_sriov_sim_ppgtt.h"

#define GGTT_PAGE	XE_SRIOV_SIM_GGTT_PAGE_SIZE

/**
 * xe_sriov_sim_engine_fault() - record an engine fault
 * @vf: the VF
 * @reason: enum xe_sriov_sim_engine_fault
 * @addr: the GGTT address (PPGTT: virtual address) that faulted
 *
 * Return: -EFAULT, for the caller to pass on.
 */
int xe_sriov_sim_engine_fault(struct xe_sriov_sim_vf *vf, u32 reason,
			      u64 addr)
{
	vf->engine.fault_reason = reason;
	vf->engine.fault_addr = addr;
	return -EFAULT;
}

static int ggtt_translate(struct xe_sriov_sim_vf *vf, u64 addr, u64 *off)
{
	u64 rel, pte, page;
	unsigned int vfid;

	if (addr < vf->ggtt_start)
		return xe_sriov_sim_engine_fault(vf,
						 XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE,
						 addr);
	rel = addr - vf->ggtt_start;
	if (rel >= vf->ggtt_size)
		return xe_sriov_sim_engine_fault(vf,
						 XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE,
						 addr);

	pte = vf->ggtt[rel / GGTT_PAGE];
	if (!(pte & XE_SRIOV_SIM_PTE_VALID))
		return xe_sriov_sim_engine_fault(vf,
						 XE_SRIOV_SIM_ENGINE_FAULT_PTE_INVALID,
						 addr);
	vfid = (pte & XE_SRIOV_SIM_PTE_VFID_MASK) >> XE_SRIOV_SIM_PTE_VFID_SHIFT;
	if (vfid != vf->id)
		return xe_sriov_sim_engine_fault(vf,
						 XE_SRIOV_SIM_ENGINE_FAULT_PTE_FOREIGN,
						 addr);
	page = pte & XE_SRIOV_SIM_PTE_ADDR_MASK;
	/* lmem_size is a page multiple: a page below it is wholly inside. */
	if (page >= vf->lmem_size)
		return xe_sriov_sim_engine_fault(vf,
						 XE_SRIOV_SIM_ENGINE_FAULT_PTE_RANGE,
						 addr);
	*off = page + (addr & (GGTT_PAGE - 1));
	return 0;
}

/**
 * xe_sriov_sim_engine_set_space() - the address space of the next accesses
 * @vf: the VF
 * @space: enum xe_sriov_sim_space
 *
 * Return: the space it replaces, for a caller that puts it back.
 */
u32 xe_sriov_sim_engine_set_space(struct xe_sriov_sim_vf *vf, u32 space)
{
	u32 old = vf->engine.space;

	lockdep_assert_held(&vf->state_lock);
	vf->engine.space = space;
	return old;
}

/*
 * The byte at @addr in the engine's current space: in LMEM (*@off, *@p
 * NULL) or in a pinned system-memory page (*@p).
 */
static int translate(struct xe_sriov_sim_vf *vf, u64 addr, bool write,
		     u64 *off, u8 **p)
{
	bool lmem;
	int ret;

	*p = NULL;
	if (vf->engine.space != XE_SRIOV_SIM_SPACE_PPGTT)
		return ggtt_translate(vf, addr, off);
	ret = xe_sriov_sim_ppgtt_walk(vf, addr, write, off, &lmem);
	if (ret || lmem)
		return ret;
	if (xe_sriov_sim_dma_ptr(vf, *off, p))
		return xe_sriov_sim_engine_fault(vf,
						 XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_DMA,
						 addr);
	return 0;
}

/**
 * xe_sriov_sim_engine_mem_ptr() - the memory behind a range inside one page
 * @vf: the VF
 * @addr: address in the engine's current space
 * @len: bytes, 1..(bytes left in @addr's page)
 * @write: the caller writes the bytes (a PPGTT PTE must allow it)
 * @p: the bytes (LMEM or a pinned system-memory page)
 *
 * Return: 0, or -EFAULT with the fault recorded.
 */
int xe_sriov_sim_engine_mem_ptr(struct xe_sriov_sim_vf *vf, u64 addr,
				size_t len, bool write, u8 **p)
{
	u64 off;
	int ret;

	if (WARN_ON_ONCE(!len || len > GGTT_PAGE - (addr & (GGTT_PAGE - 1))))
		return xe_sriov_sim_engine_fault(vf,
						 XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT,
						 addr);
	ret = translate(vf, addr, write, &off, p);
	if (ret)
		return ret;
	if (!*p)
		*p = (u8 *)vf->lmem + off;
	return 0;
}

/**
 * xe_sriov_sim_engine_mem_ccs() - the CCS byte of a 256-byte block
 * @vf: the VF
 * @addr: address of the block, XE_SRIOV_SIM_CCS_BLOCK aligned
 * @write: the caller writes the byte
 * @ccs: the CCS byte (system memory: a scratch byte that reads 0)
 *
 * Return: 0, or -EFAULT with the fault recorded.
 */
int xe_sriov_sim_engine_mem_ccs(struct xe_sriov_sim_vf *vf, u64 addr,
				bool write, u8 **ccs)
{
	u64 off;
	u8 *p;
	int ret;

	ret = translate(vf, addr, write, &off, &p);
	if (ret)
		return ret;
	if (p) {
		vf->engine.sys_ccs = 0;
		*ccs = &vf->engine.sys_ccs;
		return 0;
	}
	*ccs = (u8 *)vf->lmem + vf->lmem_size + off / XE_SRIOV_SIM_CCS_BLOCK;
	return 0;
}

/* Walk [addr, addr + len) page by page; copy to or from buf. */
static int mem_rw(struct xe_sriov_sim_vf *vf, u64 addr, void *buf,
		  size_t len, bool write)
{
	size_t done = 0;
	u64 end;
	int ret;

	if (check_add_overflow(addr, (u64)len, &end)) {
		u32 reason = XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE;

		if (vf->engine.space == XE_SRIOV_SIM_SPACE_PPGTT)
			reason = XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_RANGE;
		return xe_sriov_sim_engine_fault(vf, reason, addr);
	}
	while (done < len) {
		u64 pos = addr + done;
		size_t n = min_t(u64, len - done,
				 GGTT_PAGE - (pos & (GGTT_PAGE - 1)));
		u8 *p;

		ret = xe_sriov_sim_engine_mem_ptr(vf, pos, n, write, &p);
		if (ret)
			return ret;
		if (write)
			memcpy(p, buf + done, n);
		else
			memcpy(buf + done, p, n);
		done += n;
	}
	return 0;
}

/**
 * xe_sriov_sim_engine_mem_read() - read a range
 * @vf: the VF
 * @addr: address in the engine's current space
 * @buf: destination
 * @len: bytes
 *
 * Return: 0, or -EFAULT with the fault recorded (part may be read).
 */
int xe_sriov_sim_engine_mem_read(struct xe_sriov_sim_vf *vf, u64 addr,
				 void *buf, size_t len)
{
	return mem_rw(vf, addr, buf, len, false);
}

/**
 * xe_sriov_sim_engine_mem_write() - write a range
 * @vf: the VF
 * @addr: address in the engine's current space
 * @buf: source
 * @len: bytes
 *
 * Return: 0, or -EFAULT with the fault recorded (part may be written).
 */
int xe_sriov_sim_engine_mem_write(struct xe_sriov_sim_vf *vf, u64 addr,
				  const void *buf, size_t len)
{
	return mem_rw(vf, addr, (void *)buf, len, true);
}

/**
 * xe_sriov_sim_engine_mem_rd32() - read a little endian dword
 * @vf: the VF
 * @addr: address in the engine's current space, 4-byte aligned
 * @val: the value
 *
 * Return: 0, or -EFAULT with the fault recorded.
 */
int xe_sriov_sim_engine_mem_rd32(struct xe_sriov_sim_vf *vf, u64 addr,
				 u32 *val)
{
	u8 *p;
	int ret;

	if (!IS_ALIGNED(addr, 4))
		return xe_sriov_sim_engine_fault(vf,
						 XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT,
						 addr);
	ret = xe_sriov_sim_engine_mem_ptr(vf, addr, 4, false, &p);
	if (ret)
		return ret;
	*val = le32_to_cpu(READ_ONCE(*(__le32 *)p));
	return 0;
}

/**
 * xe_sriov_sim_engine_mem_wr32() - write a little endian dword
 * @vf: the VF
 * @addr: address in the engine's current space, 4-byte aligned
 * @val: the value
 *
 * Return: 0, or -EFAULT with the fault recorded.
 */
int xe_sriov_sim_engine_mem_wr32(struct xe_sriov_sim_vf *vf, u64 addr,
				 u32 val)
{
	u8 *p;
	int ret;

	if (!IS_ALIGNED(addr, 4))
		return xe_sriov_sim_engine_fault(vf,
						 XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT,
						 addr);
	ret = xe_sriov_sim_engine_mem_ptr(vf, addr, 4, true, &p);
	if (ret)
		return ret;
	WRITE_ONCE(*(__le32 *)p, cpu_to_le32(val));
	return 0;
}
