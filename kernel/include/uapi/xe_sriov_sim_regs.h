/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The device model of an xe_sriov_sim VF as its driver sees it: BAR0
 * registers, the GGTT PTE format and window, the GuC MMIO mailbox (xe's
 * HXG message format, action ids and KLV keys), the VF interrupt and the
 * GuC state blob the GUC packet of the migration stream carries. Shared by
 * the kernel module and user space (lib/).
 *
 * Everything is little endian. Registers are 32 bits wide and accessed with
 * naturally aligned 4-byte reads and writes through VFIO region 0.
 */
#ifndef _UAPI_XE_SRIOV_SIM_REGS_H_
#define _UAPI_XE_SRIOV_SIM_REGS_H_

#include <linux/const.h>
#include <linux/types.h>

/* VFIO region indexes of the BARs (VFIO_PCI_BAR0/2_REGION_INDEX). */
#define XE_SRIOV_SIM_BAR_MMIO			0
#define XE_SRIOV_SIM_BAR_LMEM			2

/* BAR0: 16 MiB of registers, read/write through the device fd, no mmap. */
#define XE_SRIOV_SIM_BAR0_SIZE			0x1000000

/*
 * GTs of a VF, as on BMG-class parts: the primary GT (gt_id 0, the engine
 * and the GGTT/VRAM packets) and the media GT (gt_id 1). Each has its own
 * GuC, hence its own GuC VF state machine and MMIO mailbox.
 */
#define XE_SRIOV_SIM_GT_PRIMARY			0
#define XE_SRIOV_SIM_GT_MEDIA			1
#define XE_SRIOV_SIM_NUM_GTS			2

/*
 * xe's GUC_HOST_INTERRUPT and MED_GUC_HOST_INTERRUPT (regs/xe_guc_regs.h):
 * a write of any value notifies that GT's GuC (xe_guc_notify()), which then
 * reads the request from the GT's VF_SW_FLAG(0..3) and writes its reply
 * there. While the VF is paused or stopped the request stays unanswered
 * (VF_SW_FLAG(0) keeps ORIGIN=HOST) and is answered on resume; otherwise
 * it is answered before the write returns. An FLR drops it. Reads 0.
 */
#define XE_SRIOV_SIM_GUC_HOST_INTERRUPT		0x1901f0
#define XE_SRIOV_SIM_MED_GUC_HOST_INTERRUPT	0x190304

/* xe's VF_CAP_REG: bit 0 reads 1 on a VF. Read only. */
#define XE_SRIOV_SIM_VF_CAP_REG			0x1901f8
#define   XE_SRIOV_SIM_VF_CAP			_BITUL(0)

/*
 * xe's VF_SW_FLAG(0..3) (primary GT) and MED_VF_SW_FLAG(0..3) (media GT):
 * the VF <-> GuC MMIO mailbox of each GT (xe_guc_mmio_send_recv()), read
 * and write. xe's MMIO packet migrates exactly these, 4 per GT
 * (XE_SRIOV_MMIO_PAYLOAD_SIZE bytes: the registers in order); an FLR
 * clears them.
 */
#define XE_SRIOV_SIM_VF_SW_FLAG(n)		(0x190240 + 4 * (n))
#define XE_SRIOV_SIM_MED_VF_SW_FLAG(n)		(0x190310 + 4 * (n))
#define XE_SRIOV_SIM_VF_SW_FLAG_COUNT		4
/* The mailbox registers of GT @gt (0 or 1). */
#define XE_SRIOV_SIM_GT_SW_FLAG(gt, n) \
	((gt) ? XE_SRIOV_SIM_MED_VF_SW_FLAG(n) : XE_SRIOV_SIM_VF_SW_FLAG(n))
#define XE_SRIOV_SIM_GT_GUC_HOST_INTERRUPT(gt) \
	((gt) ? XE_SRIOV_SIM_MED_GUC_HOST_INTERRUPT : \
		XE_SRIOV_SIM_GUC_HOST_INTERRUPT)

/*
 * VF interrupt status (sim specific), write 1 to clear. A set bit raises
 * the VF's single MSI vector (VFIO_PCI_MSI_IRQ_INDEX, vector 0) once.
 */
#define XE_SRIOV_SIM_VF_IRQ_STATUS		0x190270
/*
 * GUC_INTR_SW_INT_0 of the primary GT's GuC: "you were migrated", raised
 * by resume after a restore of that GT's GUC packet. xe receives it
 * through memirq; this register and the MSI stand in for memirq.
 */
#define   XE_SRIOV_SIM_VF_IRQ_MIGRATED		_BITUL(0)
/* The engine executed USER_INTERRUPT (xe_sriov_sim_engine.h). */
#define   XE_SRIOV_SIM_VF_IRQ_USER		_BITUL(1)
/* The engine faulted and hung; ENGINE_STATUS and FAULT_ADDR say why. */
#define   XE_SRIOV_SIM_VF_IRQ_ERROR		_BITUL(2)
/* GUC_INTR_SW_INT_0 of the media GT's GuC. */
#define   XE_SRIOV_SIM_VF_IRQ_MIGRATED_MEDIA	_BITUL(3)
/* The MIGRATED bit of GT @gt. */
#define XE_SRIOV_SIM_VF_IRQ_MIGRATED_GT(gt) \
	((gt) ? XE_SRIOV_SIM_VF_IRQ_MIGRATED_MEDIA : \
		XE_SRIOV_SIM_VF_IRQ_MIGRATED)

/*
 * GGTT PTE window: one 8-byte PTE per 4 KiB page of the VF's own GGTT
 * slice, entry i mapping GGTT address ggtt_start + i * 4096. Reads return
 * the PTE as stored, VF id included. Writes store the value with the VF id
 * field forced to the VF's id. Accesses are 4 or 8 bytes, naturally aligned;
 * anything past the slice fails with EINVAL.
 */
#define XE_SRIOV_SIM_GGTT_WINDOW		0x800000
#define XE_SRIOV_SIM_GGTT_WINDOW_SIZE		0x800000

/*
 * GGTT PTE format. xe: GGTT_PTE_VFID is GENMASK_ULL(11, 2), the address
 * XE_PTE_ADDR_MASK 51:12. The sim's address field is 46:12 and holds a byte
 * offset into the VF's own LMEM (BAR2), so a PTE needs no relocation when
 * the VF's LMEM moves; only the VF id is rewritten on restore.
 */
#define XE_SRIOV_SIM_PTE_VALID			_BITULL(0)
#define XE_SRIOV_SIM_PTE_VFID_SHIFT		2
#define XE_SRIOV_SIM_PTE_VFID_MASK		(0x3ffull << 2)
#define XE_SRIOV_SIM_PTE_ADDR_MASK		(((1ull << 47) - 1) & ~0xfffull)
#define XE_SRIOV_SIM_GGTT_PAGE_SIZE		4096

/*
 * GGTT address space of a PF: VF slices follow one another from this base
 * (below it: the PF's own GGTT, i.e. WOPCM and friends). VF n's slice
 * starts at XE_SRIOV_SIM_GGTT_VF_BASE + (n - 1) * ggtt_size.
 */
#define XE_SRIOV_SIM_GGTT_VF_BASE		0x1000000ull

/* GuC context ids 0..XE_SRIOV_SIM_PF_CTXS-1 belong to the PF. */
#define XE_SRIOV_SIM_PF_CTXS			1024

/*
 * GuC HXG message format (xe abi/guc_messages_abi.h), dword 0 of a request
 * and of its reply.
 */
#define XE_SRIOV_SIM_HXG_ORIGIN_SHIFT		31
#define XE_SRIOV_SIM_HXG_ORIGIN_HOST		0u
#define XE_SRIOV_SIM_HXG_ORIGIN_GUC		1u
#define XE_SRIOV_SIM_HXG_TYPE_SHIFT		28
#define XE_SRIOV_SIM_HXG_TYPE_MASK		(0x7u << 28)
#define XE_SRIOV_SIM_HXG_TYPE_REQUEST		0u
#define XE_SRIOV_SIM_HXG_TYPE_RESPONSE_FAILURE	6u
#define XE_SRIOV_SIM_HXG_TYPE_RESPONSE_SUCCESS	7u
/* Request: DATA0 27:16, ACTION 15:0. Success: DATA0 27:0. */
#define XE_SRIOV_SIM_HXG_DATA0_SHIFT		16
#define XE_SRIOV_SIM_HXG_DATA0_MASK		(0xfffu << 16)
#define XE_SRIOV_SIM_HXG_ACTION_MASK		0xffffu
#define XE_SRIOV_SIM_HXG_RESP_DATA0_MASK	0x0fffffffu
/* Failure: HINT 27:16, ERROR 15:0 (enum xe_guc_response_status). */
#define XE_SRIOV_SIM_HXG_FAIL_ERROR_MASK	0xffffu

/* VF to GuC actions served by the mailbox (abi/guc_actions_sriov_abi.h). */
#define XE_SRIOV_SIM_VF2GUC_MATCH_VERSION	0x5500
#define XE_SRIOV_SIM_VF2GUC_RESFIX_DONE		0x5508
#define XE_SRIOV_SIM_VF2GUC_QUERY_SINGLE_KLV	0x5509
#define XE_SRIOV_SIM_VF2GUC_RESFIX_START	0x550f
/*
 * RESFIX_START and RESFIX_DONE carry a nonzero marker in DATA0 (27:16).
 * QUERY_SINGLE_KLV: dword 1 bits 15:0 = key; reply DATA0 bits 11:0 = value
 * length in dwords, dwords 1..3 = value (64-bit values low dword first).
 */
#define XE_SRIOV_SIM_KLV_QUERY_KEY_MASK		0xffffu
#define XE_SRIOV_SIM_KLV_QUERY_LEN_MASK		0xfffu
/*
 * MATCH_VERSION: dword 1 = branch 31:24, major 23:16, minor 15:8 (0 =
 * any), 7:0 MBZ; reply dword 1 = branch, major, minor, patch of the VF
 * interface the GuC will speak. The sim's GuC speaks VF ABI 1.27.0 (the
 * first with RESFIX_START and its marker).
 */
#define XE_SRIOV_SIM_VF_ABI_MAJOR		1
#define XE_SRIOV_SIM_VF_ABI_MINOR		27
#define XE_SRIOV_SIM_VF_ABI_PATCH		0
#define XE_SRIOV_SIM_VERSION(branch, major, minor, patch) \
	(((__u32)(branch) << 24) | ((__u32)(major) << 16) | \
	 ((__u32)(minor) << 8) | (__u32)(patch))
#define XE_SRIOV_SIM_VERSION_BRANCH(v)		(((v) >> 24) & 0xff)
#define XE_SRIOV_SIM_VERSION_MAJOR(v)		(((v) >> 16) & 0xff)
#define XE_SRIOV_SIM_VERSION_MINOR(v)		(((v) >> 8) & 0xff)
#define XE_SRIOV_SIM_VERSION_PATCH(v)		((v) & 0xff)
/* The RESFIX marker is 12 bits (DATA0) and never 0: 1..4095. */
#define XE_SRIOV_SIM_RESFIX_MARKER_MAX		0xfffu

/* GuC KLV keys of a VF's configuration (abi/guc_klvs_abi.h) and lengths. */
#define XE_SRIOV_SIM_KLV_VF_CFG_GGTT_START	0x0001	/* 2 dwords */
#define XE_SRIOV_SIM_KLV_VF_CFG_GGTT_SIZE	0x0002	/* 2 dwords */
#define XE_SRIOV_SIM_KLV_VF_CFG_LMEM_SIZE	0x0003	/* 2 dwords */
#define XE_SRIOV_SIM_KLV_VF_CFG_NUM_CONTEXTS	0x0004	/* 1 dword */
#define XE_SRIOV_SIM_KLV_VF_CFG_NUM_DOORBELLS	0x0006	/* 1 dword */
/* Doorbells the sim provisions to each VF on each GT. */
#define XE_SRIOV_SIM_VF_NUM_DBS			8

/* GuC error codes the mailbox answers with (abi/guc_errors_abi.h). */
#define XE_SRIOV_SIM_GUC_ERR_PROTOCOL		0x04
#define XE_SRIOV_SIM_GUC_ERR_INVALID_STATE	0x0a
#define XE_SRIOV_SIM_GUC_ERR_UNKNOWN_ACTION	0x30
#define XE_SRIOV_SIM_GUC_ERR_INVALID_PARAMS	0x60
#define XE_SRIOV_SIM_GUC_ERR_INVALID_KLV_KEY	0x105
#define XE_SRIOV_SIM_GUC_ERR_VF_MIGRATED	0x107

/*
 * GuC VF states (the seed's xe_sriov_vf.c DOC), as debugfs guc_state
 * prints them and the GUC packet carries them.
 */
enum xe_sriov_sim_guc_vf_state {
	XE_SRIOV_SIM_VF_READY = 1,
	XE_SRIOV_SIM_VF_READY_PAUSED = 2,
	XE_SRIOV_SIM_VF_RESFIX_PAUSED = 3,
	XE_SRIOV_SIM_VF_RESFIX_BLOCKED = 4,
	XE_SRIOV_SIM_VF_RUNNING = 5,
	XE_SRIOV_SIM_VF_STOPPED = 6,
};

/*
 * struct xe_sriov_sim_guc_state - payload of the GUC packet
 * @magic: XE_SRIOV_SIM_GUC_STATE_MAGIC
 * @version: XE_SRIOV_SIM_GUC_STATE_VERSION
 * @size: bytes of the blob; at least sizeof(struct xe_sriov_sim_guc_state)
 * @vf_state: the VF's GuC state before it was paused (READY, RUNNING or
 *	RESFIX_BLOCKED)
 * @resfix_marker: the RESFIX_START marker at save time; a restore does not
 *	take it over (the new GuC forgets it, so a RESFIX_DONE sent for the
 *	old migration answers VF_MIGRATED)
 * @num_ctxs: contexts provisioned to the saved VF (information only)
 * @flags: XE_SRIOV_SIM_GUC_STATE_F_*
 * @gt_id: the GT whose GuC saved it (version 2); a GuC takes only its own
 *	GT's blob
 * @ccs_bb: the CCS save and restore batches registered by the VF
 *	(xe_sriov_sim_ccs.h), as offsets from the VF's GGTT base
 * @ccs_ctx: their context ids
 * @ccs_flags: XE_SRIOV_SIM_GUC_STATE_F_CCS_* (xe_sriov_sim_ccs.h)
 * @reserved: zero
 *
 * One blob per GT, each the payload of that GT's GUC packet, @size bytes.
 * Version 2 (what the sim saves): this structure, followed on the primary
 * GT by struct xe_sriov_sim_engine_state (xe_sriov_sim_engine.h) at byte
 * 64, @size = 64 + 128; the media GT has no engine, its blob is the 64
 * bytes alone. Version 1 (primary GT only, @gt_id ignored) has no engine
 * section; restoring it leaves the engine as an FLR does. Bytes past the
 * known sections are ignored.
 *
 * As xe sizes the GUC packet (xe_gt_sriov_pf_migration.c): the size asked
 * of the GuC, XE_SRIOV_SIM_GUC_STATE_QUERY_SIZE, counts in
 * migration_size; the packet carries only the bytes the GuC used.
 */
struct xe_sriov_sim_guc_state {
	__le32 magic;
	__le32 version;
	__le32 size;
	__le32 vf_state;
	__le32 resfix_marker;
	__le32 num_ctxs;
	__le32 flags;
	__le32 gt_id;
	__le32 ccs_bb[2];
	__le32 ccs_ctx[2];
	__le32 ccs_flags;
	__le32 reserved[3];
};

#define XE_SRIOV_SIM_GUC_STATE_MAGIC		0x53475358	/* "XSGS" */
#define XE_SRIOV_SIM_GUC_STATE_VERSION		2
/* The version without an engine section, still restored. */
#define XE_SRIOV_SIM_GUC_STATE_VERSION_1	1
/* A MIGRATED interrupt was raised and not yet cleared at save time. */
#define XE_SRIOV_SIM_GUC_STATE_F_IRQ_PENDING	_BITUL(0)
/* The GuC's answer to "how big is a VF's state" (save with size 0). */
#define XE_SRIOV_SIM_GUC_STATE_QUERY_SIZE	256
/* Upper bound of a GUC payload the sim accepts on restore. */
#define XE_SRIOV_SIM_GUC_STATE_MAX_SIZE		4096

#endif /* _UAPI_XE_SRIOV_SIM_REGS_H_ */
