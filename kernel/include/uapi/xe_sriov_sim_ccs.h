/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Compression metadata (CCS) as xe handles it, per platform flavour, and
 * the names user space needs for it. Shared by the kernel module and the
 * harness.
 *
 * A PF has one of two flavours (sysfs /sys/class/xe_sriov_sim/pf<N>/flavour,
 * module parameter "flavour"):
 *
 * - "dgfx": a discrete GPU with flat CCS, like Battlemage. The VF has LMEM
 *   (BAR2). The PF saves it with xe_migrate_vram_copy_chunk(), which reads
 *   through a compression PAT on Xe2: the VRAM packets carry decompressed
 *   bytes and no CCS, and a restored chunk is written uncompressed (CCS 0).
 *   A VRAM chunk at or past the LMEM size is refused (-EINVAL).
 * - "igfx": an integrated GPU with flat CCS, like Panther Lake. There is no
 *   VRAM: the stream has no VRAM packet (a restore refuses one, -ENXIO, as
 *   xe finds no LMEM object). The memory the VF's GGTT maps stands for the
 *   VM's system memory: the sim keeps it in the same per-VF buffer behind
 *   BAR2 (it has no guest RAM to pin), but it is the VMM's job to move it,
 *   as QEMU moves guest RAM. The CCS reaches the destination only through
 *   the VF's own batches (xe_sriov_vf_ccs.c): the VF driver registers a
 *   save and a restore batch with the GuC (REGISTER_CONTEXT below), the
 *   GuC runs the save batch when the VF is paused and the restore batch
 *   once RESFIX_DONE succeeds.
 */
#ifndef _UAPI_XE_SRIOV_SIM_CCS_H_
#define _UAPI_XE_SRIOV_SIM_CCS_H_

/* sysfs attribute of a PF, and its two values. */
#define XE_SRIOV_SIM_PF_FLAVOUR_ATTR		"flavour"
#define XE_SRIOV_SIM_FLAVOUR_DGFX		"dgfx"
#define XE_SRIOV_SIM_FLAVOUR_IGFX		"igfx"

/*
 * REGISTER_CONTEXT (xe: XE_GUC_ACTION_REGISTER_CONTEXT, sent over the CT
 * by xe_guc_register_vf_exec_queue() with the context type in the flags).
 * The sim's VF has no CT buffer: the request goes through the same MMIO
 * mailbox as the other VF2GUC actions, in four dwords:
 *
 *   dword 0: HXG request header, ACTION = REGISTER_CONTEXT (below),
 *            DATA0 = the registration flags (xe's CONTEXT_REGISTRATION_FLAG_*:
 *            bit 0 KMD, bits 2:1 the context type)
 *   dword 1: context id, as the VF numbers its contexts: 0 .. its number of
 *            contexts (QUERY_SINGLE_KLV NUM_CONTEXTS) - 1
 *   dword 2: GGTT address of the batch the context runs, low dword (xe: the
 *            LRC whose ring starts the CCS batch pool); 4-byte aligned,
 *            inside the VF's slice; 0 deregisters the type
 *   dword 3: high dword, 0
 *
 * Only the two CCS types are served, and only on an "igfx" PF (xe registers
 * them only when !IS_DGFX && has_flat_ccs): a NORMAL context or a "dgfx" PF
 * answer INVALID_PARAMS (0x60). A new registration of a type replaces the
 * old one. The GuC keeps the address relative to the VF's GGTT base, so a
 * registration survives a migration (in the GUC packet) and points into the
 * destination's slice; the batch's own GGTT operands are the VF's to fix
 * (xe_sriov_vf_ccs_rebase()).
 *
 * The batch: commands from the address until a BATCH_END, at most
 * XE_SRIOV_SIM_CCS_BB_MAX_CMDS of them, only NOOP, COPY and
 * CTRL_SURF_COPY (both directions) and BATCH_END; anything else, or a
 * fault, ends it and counts as a failed run (debugfs guc_state).
 */
#define XE_SRIOV_SIM_GUC_ACTION_REGISTER_CONTEXT	0x4502
#define XE_SRIOV_SIM_CTX_REG_FLAG_KMD		0x1u
#define XE_SRIOV_SIM_CTX_REG_FLAG_TYPE_SHIFT	1
#define XE_SRIOV_SIM_CTX_REG_FLAG_TYPE_MASK	(0x3u << 1)
#define XE_SRIOV_SIM_GUC_CONTEXT_NORMAL		0
#define XE_SRIOV_SIM_GUC_CONTEXT_COMPRESSION_SAVE	1
#define XE_SRIOV_SIM_GUC_CONTEXT_COMPRESSION_RESTORE	2
#define XE_SRIOV_SIM_CCS_BB_MAX_CMDS		65536

/* GUC packet (struct xe_sriov_sim_guc_state): @ccs_flags bits. */
#define XE_SRIOV_SIM_GUC_STATE_F_CCS_SAVE	0x1u	/* ccs_bb[0] registered */
#define XE_SRIOV_SIM_GUC_STATE_F_CCS_RESTORE	0x2u	/* ccs_bb[1] registered */

#endif /* _UAPI_XE_SRIOV_SIM_CCS_H_ */
