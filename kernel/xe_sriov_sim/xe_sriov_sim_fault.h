/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Fault injection: one planted defect at a time, for mutation testing.
 */
#ifndef _XE_SRIOV_SIM_FAULT_H_
#define _XE_SRIOV_SIM_FAULT_H_

#include <linux/types.h>

/**
 * enum xe_sriov_sim_fault - the faults of XE_SRIOV_SIM_FAULTS()
 * @XE_SRIOV_SIM_FAULT_NONE: no fault, the default
 * @XE_SRIOV_SIM_FAULT_VRAM_FLIP: "vram-flip"
 * @XE_SRIOV_SIM_FAULT_CCS_DROP: "ccs-drop"
 * @XE_SRIOV_SIM_FAULT_GGTT_VFID: "ggtt-vfid"
 * @XE_SRIOV_SIM_FAULT_GGTT_SLICE: "ggtt-slice"
 * @XE_SRIOV_SIM_FAULT_MMIO_SKIP: "mmio-skip"
 * @XE_SRIOV_SIM_FAULT_SIZE_ZERO: "size-zero"
 * @XE_SRIOV_SIM_FAULT_DEVID_LAX: "devid-lax"
 * @XE_SRIOV_SIM_FAULT_TRAILER_LAX: "trailer-lax"
 * @XE_SRIOV_SIM_FAULT_BOUNDS_LAX: "bounds-lax"
 * @XE_SRIOV_SIM_FAULT_P2P_ARC: "p2p-arc"
 * @XE_SRIOV_SIM_FAULT_NO_IRQ: "no-irq"
 * @XE_SRIOV_SIM_FAULT_MARKER_KEPT: "marker-kept"
 * @XE_SRIOV_SIM_FAULT_FLR_KEEP_LMEM: "flr-keep-lmem"
 * @XE_SRIOV_SIM_FAULT_READ_SEG: "read-seg"
 * @XE_SRIOV_SIM_FAULT_WRITE_SEG: "write-seg"
 * @XE_SRIOV_SIM_FAULT_FD_ALIVE: "fd-alive"
 * @XE_SRIOV_SIM_FAULT_RESET_STATE: "reset-state"
 * @XE_SRIOV_SIM_FAULT_DEBUGFS_NO_MMIO: "debugfs-no-mmio"
 * @XE_SRIOV_SIM_FAULT_CMD_LOST: "cmd-lost"
 * @XE_SRIOV_SIM_FAULT_CMD_REPLAY: "cmd-replay"
 * @XE_SRIOV_SIM_FAULT_MARKER_IGNORED: "marker-ignored"
 * @XE_SRIOV_SIM_FAULT_DMA_UNMAP_STALE: "dma-unmap-stale"
 * @XE_SRIOV_SIM_FAULT_COUNT: number of values, NONE included
 *
 * Spelled out rather than generated from the uapi list (an X-macro helper
 * would leave arguments unused); xe_sriov_sim_fault.c fails to build if
 * the list names a fault the enum lacks or ends short of the enum.
 */
enum xe_sriov_sim_fault {
	XE_SRIOV_SIM_FAULT_NONE,
	XE_SRIOV_SIM_FAULT_VRAM_FLIP,
	XE_SRIOV_SIM_FAULT_CCS_DROP,
	XE_SRIOV_SIM_FAULT_GGTT_VFID,
	XE_SRIOV_SIM_FAULT_GGTT_SLICE,
	XE_SRIOV_SIM_FAULT_MMIO_SKIP,
	XE_SRIOV_SIM_FAULT_SIZE_ZERO,
	XE_SRIOV_SIM_FAULT_DEVID_LAX,
	XE_SRIOV_SIM_FAULT_TRAILER_LAX,
	XE_SRIOV_SIM_FAULT_BOUNDS_LAX,
	XE_SRIOV_SIM_FAULT_P2P_ARC,
	XE_SRIOV_SIM_FAULT_NO_IRQ,
	XE_SRIOV_SIM_FAULT_MARKER_KEPT,
	XE_SRIOV_SIM_FAULT_FLR_KEEP_LMEM,
	XE_SRIOV_SIM_FAULT_READ_SEG,
	XE_SRIOV_SIM_FAULT_WRITE_SEG,
	XE_SRIOV_SIM_FAULT_FD_ALIVE,
	XE_SRIOV_SIM_FAULT_RESET_STATE,
	XE_SRIOV_SIM_FAULT_DEBUGFS_NO_MMIO,
	XE_SRIOV_SIM_FAULT_CMD_LOST,
	XE_SRIOV_SIM_FAULT_CMD_REPLAY,
	XE_SRIOV_SIM_FAULT_MARKER_IGNORED,
	XE_SRIOV_SIM_FAULT_DMA_UNMAP_STALE,
	XE_SRIOV_SIM_FAULT_COUNT
};

struct dentry;

bool xe_sriov_sim_fault(enum xe_sriov_sim_fault f);
void xe_sriov_sim_fault_debugfs(struct dentry *root);

#endif /* _XE_SRIOV_SIM_FAULT_H_ */
