/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The per-VF PPGTT of an xe_sriov_sim VF as its driver sees it: the root
 * register, the page-table entry format, the walk, how a batch selects
 * the PPGTT, and the faults a walk reports. Shared by the kernel module
 * and user space.
 *
 * As in xe (xe_pt.c, xe_vm.c), a VF owns its per-process page tables: a
 * four-level tree of 4 KiB page-table pages of 512 8-byte entries,
 * allocated by the VF driver in the VF's own LMEM and written by the VF
 * (its CPU through BAR2, or its engine with STORE_DWORD: a bind job).
 * Because every page-table page and every device-memory address in the
 * tree is an offset into the VF's LMEM, the tree moves with the LMEM
 * during migration and needs no fixup: on xe the LMTT makes the VF's LMEM
 * look the same on any PF. Only the root register travels in the GuC
 * state (the context image, as xe's LRC carries the PDP).
 *
 * Virtual address (48 bits, bits 63:48 must be 0):
 *
 *   47:39 level 3 index   38:30 level 2 index   29:21 level 1 index
 *   20:12 level 0 index   11:0  byte in the 4 KiB page
 *
 * Levels 3..1 hold page-directory entries (PDE), level 0 page-table
 * entries (PTE). No huge pages: every walk goes down to level 0.
 */
#ifndef _UAPI_XE_SRIOV_SIM_PPGTT_H_
#define _UAPI_XE_SRIOV_SIM_PPGTT_H_

#include <linux/const.h>
#include <linux/types.h>

/*
 * PPGTT_ROOT_LO/HI (RW, in the engine register block after FAULT_ADDR_HI):
 * the LMEM offset of the level 3 page (bits 46:12) and ENABLE (bit 0).
 * Other bits read 0. 0 (the value after an FLR): the VF has no PPGTT and
 * a PPGTT batch faults (PPGTT_DISABLED). The engine reads it when it
 * enters a PPGTT batch and at every walk; the VF changes it only while
 * the engine is idle. It is engine state: the GUC packet carries it.
 */
#define XE_SRIOV_SIM_PPGTT_ROOT_LO		0x2054
#define XE_SRIOV_SIM_PPGTT_ROOT_HI		0x2058
#define   XE_SRIOV_SIM_PPGTT_ROOT_ENABLE	_BITULL(0)
#define   XE_SRIOV_SIM_PPGTT_ROOT_ADDR_MASK	(((1ull << 47) - 1) & ~0xfffull)

/* Entry bits (xe: XE_PAGE_PRESENT, XE_PAGE_RW, XE_PPGTT_PTE_DM). */
#define XE_SRIOV_SIM_PPGTT_PRESENT		_BITULL(0)
#define XE_SRIOV_SIM_PPGTT_RW			_BITULL(1)
/*
 * DM (device memory), PTEs only: the address is an offset in the VF's
 * LMEM. Clear: the address is an IOVA of the VF's DMA address space (the
 * VFIO container's or IOAS's mappings: for a VM, guest physical memory),
 * which the sim reaches as an mdev does (vfio_pin_pages()/vfio_dma_rw()).
 * PDEs always point to LMEM; their DM bit is ignored.
 */
#define XE_SRIOV_SIM_PPGTT_DM			_BITULL(11)
/* Address, bits 46:12 (LMEM offset or IOVA). Bits 10:2 and 63:47 MBZ. */
#define XE_SRIOV_SIM_PPGTT_ADDR_MASK		(((1ull << 47) - 1) & ~0xfffull)

#define XE_SRIOV_SIM_PPGTT_LEVELS		4
#define XE_SRIOV_SIM_PPGTT_ENTRIES		512
#define XE_SRIOV_SIM_PPGTT_PAGE_SIZE		4096
#define XE_SRIOV_SIM_PPGTT_VA_BITS		48
/* Index of @va at @level (0 = PTE level). */
#define XE_SRIOV_SIM_PPGTT_INDEX(va, level) \
	((unsigned int)(((__u64)(va) >> (12 + 9 * (level))) & 511))

/*
 * Selecting the PPGTT: BATCH_START with XE_SRIOV_SIM_BATCH_PPGTT (flag
 * bit 16; xe's MI_BATCH_BUFFER_START address-space indicator) takes its
 * address as a PPGTT virtual address, and so does every address of every
 * command of that batch and of the batches it starts (which must carry
 * the flag too, or the engine faults BAD_FLAGS). The ring, the context
 * image and BATCH_START in the ring without the flag stay GGTT addressed.
 */
#define XE_SRIOV_SIM_BATCH_PPGTT		_BITUL(16)

/*
 * PPGTT faults (ENGINE_STATUS bits 23:16, after the GGTT ones of
 * enum xe_sriov_sim_engine_fault). FAULT_ADDR is the virtual address
 * that faulted. The engine hangs, as for a GGTT fault, until an FLR.
 */
enum xe_sriov_sim_ppgtt_fault {
	/* PPGTT batch while PPGTT_ROOT has no ENABLE */
	XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_DISABLED = 14,
	/* an entry of the walk without PRESENT */
	XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_NOT_PRESENT = 15,
	/* an LMEM address past the VF's LMEM, MBZ bits, VA past 48 bits */
	XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_RANGE = 16,
	/* a write through a PTE without RW */
	XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_READ_ONLY = 17,
	/* a system-memory PTE whose IOVA is not DMA mapped (any more) */
	XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_DMA = 18,
};

#endif /* _UAPI_XE_SRIOV_SIM_PPGTT_H_ */
