// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: engine memory access
 *
 * Every access of the engine (command fetch, operands, context image) is a
 * GGTT address, translated through the VF's own slice:
 *
 * 1. The address must lie in the VF's slice, [ggtt_start, ggtt_start +
 *    ggtt_size); else OUT_OF_SLICE.
 * 2. The PTE of its 4 KiB page must be valid (PTE_INVALID) and carry the
 *    VF's id (PTE_FOREIGN).
 * 3. The PTE's address field is a byte offset into the VF's LMEM; the page
 *    must lie inside it (PTE_RANGE).
 *
 * The LMEM byte is then lmem[pte page + (address & 4095)], and the CCS
 * byte of the 256-byte block holding it lmem[lmem_size + offset / 256].
 * A failed translation records the fault reason and address in the engine
 * and returns -EFAULT; the engine then hangs. Accesses that cross a page
 * are split and each page is translated on its own, so a range may map to
 * scattered LMEM pages. Dword accesses must be 4-byte aligned (ALIGNMENT).
 *
 * All functions run under &xe_sriov_sim_vf.state_lock, which keeps the
 * PTEs and the LMEM object stable against the PF (FLR, restore). The VF
 * itself may write LMEM through BAR2 at any time, as it could race a GPU.
 */

#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/string.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_engine.h"

#define GGTT_PAGE	XE_SRIOV_SIM_GGTT_PAGE_SIZE

/**
 * xe_sriov_sim_engine_fault() - record an engine fault
 * @vf: the VF
 * @reason: enum xe_sriov_sim_engine_fault
 * @addr: the GGTT address that faulted
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

static int translate(struct xe_sriov_sim_vf *vf, u64 addr, u64 *off)
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
 * xe_sriov_sim_engine_mem_ptr() - LMEM behind a range inside one GGTT page
 * @vf: the VF
 * @addr: GGTT address
 * @len: bytes, 1..(bytes left in @addr's page)
 * @p: the LMEM bytes
 *
 * Return: 0, or -EFAULT with the fault recorded.
 */
int xe_sriov_sim_engine_mem_ptr(struct xe_sriov_sim_vf *vf, u64 addr,
				size_t len, u8 **p)
{
	u64 off;
	int ret;

	if (WARN_ON_ONCE(!len || len > GGTT_PAGE - (addr & (GGTT_PAGE - 1))))
		return xe_sriov_sim_engine_fault(vf,
						 XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT,
						 addr);
	ret = translate(vf, addr, &off);
	if (ret)
		return ret;
	*p = (u8 *)vf->lmem + off;
	return 0;
}

/**
 * xe_sriov_sim_engine_mem_ccs() - the CCS byte of a 256-byte block
 * @vf: the VF
 * @addr: GGTT address of the block, XE_SRIOV_SIM_CCS_BLOCK aligned
 * @ccs: the CCS byte
 *
 * Return: 0, or -EFAULT with the fault recorded.
 */
int xe_sriov_sim_engine_mem_ccs(struct xe_sriov_sim_vf *vf, u64 addr,
				u8 **ccs)
{
	u64 off;
	int ret;

	ret = translate(vf, addr, &off);
	if (ret)
		return ret;
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

	if (check_add_overflow(addr, (u64)len, &end))
		return xe_sriov_sim_engine_fault(vf,
						 XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE,
						 addr);
	while (done < len) {
		u64 pos = addr + done;
		size_t n = min_t(u64, len - done,
				 GGTT_PAGE - (pos & (GGTT_PAGE - 1)));
		u8 *p;

		ret = xe_sriov_sim_engine_mem_ptr(vf, pos, n, &p);
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
 * xe_sriov_sim_engine_mem_read() - read a GGTT range
 * @vf: the VF
 * @addr: GGTT address
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
 * xe_sriov_sim_engine_mem_write() - write a GGTT range
 * @vf: the VF
 * @addr: GGTT address
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
 * @addr: GGTT address, 4-byte aligned
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
	ret = xe_sriov_sim_engine_mem_ptr(vf, addr, 4, &p);
	if (ret)
		return ret;
	*val = le32_to_cpu(READ_ONCE(*(__le32 *)p));
	return 0;
}

/**
 * xe_sriov_sim_engine_mem_wr32() - write a little endian dword
 * @vf: the VF
 * @addr: GGTT address, 4-byte aligned
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
	ret = xe_sriov_sim_engine_mem_ptr(vf, addr, 4, &p);
	if (ret)
		return ret;
	WRITE_ONCE(*(__le32 *)p, cpu_to_le32(val));
	return 0;
}
