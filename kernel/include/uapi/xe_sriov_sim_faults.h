/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The faults xe_sriov_sim can plant, for mutation testing of the suite:
 * each one is a single realistic defect of the device model that some
 * subtest must turn into a failure. One is active at a time, chosen by the
 * module parameter "fault" (at load time or later through sysfs); the
 * default is XE_SRIOV_SIM_FAULT_NONE_NAME. Shared by the kernel module
 * and user space; plain C89, no kernel types.
 *
 * XE_SRIOV_SIM_FAULTS(X) calls X(ID, name, description) once per fault.
 * ID is an upper-case identifier (the module's enum is
 * XE_SRIOV_SIM_FAULT_##ID), name the string the parameter takes and
 * description a one-line summary of the defect. For example:
 *
 *	struct fault { const char *name, *desc; };
 *	#define FAULT_ENTRY(id, name, desc) { name, desc },
 *	static const struct fault faults[] = {
 *		XE_SRIOV_SIM_FAULTS(FAULT_ENTRY)
 *	};
 */
#ifndef _UAPI_XE_SRIOV_SIM_FAULTS_H_
#define _UAPI_XE_SRIOV_SIM_FAULTS_H_

/* The parameter: read the active fault's name, write a name to change it. */
#define XE_SRIOV_SIM_FAULT_PARAM \
	"/sys/module/xe_sriov_sim/parameters/fault"

/* The parameter's value while no fault is planted. */
#define XE_SRIOV_SIM_FAULT_NONE_NAME	"none"

#define XE_SRIOV_SIM_FAULTS(X) \
	X(VRAM_FLIP, "vram-flip", \
	  "save flips one byte of the first VRAM chunk") \
	X(CCS_DROP, "ccs-drop", \
	  "CCS lost: dgfx save sends compressed VRAM as stored (not decompressed); igfx GuC skips the restore batch") \
	X(GGTT_VFID, "ggtt-vfid", \
	  "restore leaves the PTE VF id field 0 instead of the target's") \
	X(GGTT_SLICE, "ggtt-slice", \
	  "restore writes the PTEs one slice too far (the next VF's, else nowhere)") \
	X(MMIO_SKIP, "mmio-skip", \
	  "restore does not load VF_SW_FLAG") \
	X(SIZE_ZERO, "size-zero", \
	  "MIG_DATA_SIZE and migration_size report 0") \
	X(DEVID_LAX, "devid-lax", \
	  "restore ignores a device or revision id mismatch") \
	X(TRAILER_LAX, "trailer-lax", \
	  "restore takes a trailer whose tile, GT, offset or size is not 0") \
	X(BOUNDS_LAX, "bounds-lax", \
	  "restore clamps VRAM chunks out of the object's bounds instead of refusing them") \
	X(P2P_ARC, "p2p-arc", \
	  "RUNNING -> RUNNING_P2P fails with EIO as a step of a longer SET_STATE") \
	X(NO_IRQ, "no-irq", \
	  "resume after a restore raises no MIGRATED interrupt") \
	X(MARKER_KEPT, "marker-kept", \
	  "restore keeps the saved RESFIX marker") \
	X(FLR_KEEP_LMEM, "flr-keep-lmem", \
	  "FLR does not clear LMEM") \
	X(READ_SEG, "read-seg", \
	  "a saving read that ends inside a packet header skips the header's rest") \
	X(WRITE_SEG, "write-seg", \
	  "a resuming write that ends inside a packet header loses that part") \
	X(FD_ALIVE, "fd-alive", \
	  "leaving STOP_COPY keeps the saving fd live, rewound to the stream's start") \
	X(RESET_STATE, "reset-state", \
	  "VFIO_DEVICE_RESET in RESUMING leaves the migration state RESUMING") \
	X(DEBUGFS_NO_MMIO, "debugfs-no-mmio", \
	  "the stream saved through debugfs lacks the MMIO packet") \
	X(CMD_LOST, "cmd-lost", \
	  "save records the engine one command ahead: the command it stopped at never runs") \
	X(CMD_REPLAY, "cmd-replay", \
	  "save records the engine one command back: the last command before the pause runs twice") \
	X(MARKER_IGNORED, "marker-ignored", \
	  "RESFIX_DONE does not check the marker: a migration during recovery goes unreported") \
	X(DMA_UNMAP_STALE, "dma-unmap-stale", \
	  "dma_unmap unpins but keeps serving the range from a stale copy: the engine reads and writes an unmapped IOVA without a fault")

#endif /* _UAPI_XE_SRIOV_SIM_FAULTS_H_ */
