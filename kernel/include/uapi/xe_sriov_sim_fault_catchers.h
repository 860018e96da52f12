/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Which subtests catch each fault of xe_sriov_sim_faults.h, and by what
 * message: the contract `xe-migtest mutants` enforces. For every fault,
 * in one sim VM: each subtest listed passes without the fault, then fails
 * with it planted, and its failure output (err and out of the subtest in
 * results.json) matches the pattern. A failure that does not match, a
 * crash, a timeout or a skip is "caught for the wrong reason" and fails
 * the check like a pass does. User space only; plain C89.
 *
 * XE_SRIOV_SIM_FAULT_CATCHERS(X) calls X(name, subtests, pattern), one
 * line per fault, every fault of XE_SRIOV_SIM_FAULTS exactly once:
 *   name      the fault's name
 *   subtests  space-separated binary@subtest[@dynamic], the binary without
 *             its "xe_sriov_migration_" prefix, or a whole xe_sriov_sim_*
 *             name (the sim family)
 *   pattern   POSIX ERE, case-insensitive, that every listed subtest's
 *             failure output must match
 *
 * Every claim "X catches fault Y" of README.md and
 * kernel/xe_sriov_sim/README.md is a line here.
 */
#ifndef _UAPI_XE_SRIOV_SIM_FAULT_CATCHERS_H_
#define _UAPI_XE_SRIOV_SIM_FAULT_CATCHERS_H_

/* The prefix the subtests of the table leave out. */
#define XE_SRIOV_SIM_CATCHER_BINARY_PREFIX "xe_sriov_migration_"

#define XE_SRIOV_SIM_FAULT_CATCHERS(X) \
	X("vram-flip", "data@migrate xe_sriov_sim_qemu_vf@sim-vf-in-qemu xe_sriov_sim_stress@ping-pong", "LMEM: [0-9]+ of [0-9]+ blocks of [0-9]+ KiB differ") \
	X("ccs-drop", "xe_sriov_sim_ccs@lmem-resolved xe_sriov_sim_stress@ping-pong", "LMEM: [0-9]+ of [0-9]+ blocks of [0-9]+ KiB differ") \
	X("ggtt-vfid", "data@migrate xe_sriov_sim_stress@ping-pong", "GGTT: [0-9]+ PTEs carry another VF id, first #[0-9]+: VF0,|GGTT gt0: differs at byte|VF[0-9]+ saved again: Input/output error") \
	X("ggtt-slice", "data@migrate xe_sriov_sim_stress@ping-pong", "GGTT: [0-9]+ PTEs differ, first #|GGTT gt0: differs at byte") \
	X("mmio-skip", "data@migrate", "VF_SW_FLAG\\([0-3]\\): 0, expected|MMIO gt[01]: differs at byte") \
	X("size-zero", "stream@size-estimate", "MIG_DATA_SIZE 0 is below xe.s formula") \
	X("devid-lax", "negative@wrong-device@devid negative@wrong-device@revid xe_sriov_sim_qemu_vf@wrong-device", "success, expected No such device|not with the VF.s ENODEV") \
	X("trailer-lax", "negative@bad-order@trailer-fields", "broken [0-9]+-byte stream: success, expected Invalid argument") \
	X("bounds-lax", "negative@bad-sizes@vram-past-end negative@bad-sizes@vram-straddling-end negative@bad-sizes@vram-offset-wraps", "broken [0-9]+-byte stream: success, expected Input/output error") \
	X("p2p-arc", "fsm@state-pairs@running-to-stop fsm@state-pairs@running-to-stop-copy", "RUNNING -> [A-Z_]+ in one SET_STATE: Input/output error") \
	X("no-irq", "data@migrated-interrupt xe_sriov_sim_qemu_vf@sim-vf-in-qemu xe_sriov_sim_fixups@mid-flight@seqno-queued", "no MIGRATED interrupt|no MSI from VF[0-9]+ after the hop") \
	X("marker-kept", "data@double-migration xe_sriov_sim_fixups@double-migration", "resfix_done\\(.*stale\\) == -78|fixups ran 1 times, expected 2") \
	X("flr-keep-lmem", "data@flr-clears", "LMEM: [0-9]+ blocks not cleared by FLR") \
	X("read-seg", "stream@read-segmentation@header-sized stream@read-segmentation@odd", "streams differ \\([0-9]+ and [0-9]+ bytes\\)") \
	X("write-seg", "stream@write-segmentation@header-sized stream@write-segmentation@odd", "write of [0-9]+ bytes at [0-9]+: Invalid argument") \
	X("fd-alive", "fsm@data-fd-ends", "saving fd after leaving STOP_COPY: read gave [0-9]+ \\(data\\), expected ENODEV") \
	X("reset-state", "fsm@reset-from-every-state@from-resuming", "error: 0x4 != 0x2") \
	X("debugfs-no-mmio", "stream@debugfs-equals-vfio", "streams differ \\([0-9]+ and [0-9]+ bytes\\)") \
	X("cmd-lost", "xe_sriov_sim_fixups@mid-flight@seqno-queued", "passed while the gate was closed \\(its SPIN_UNTIL lost\\)") \
	X("cmd-replay", "xe_sriov_sim_fixups@mid-flight@seqno-queued", "its arrival ran twice \\(a command replayed at the pause\\)") \
	X("marker-ignored", "data@double-migration xe_sriov_sim_fixups@double-migration", "resfix_done\\(.*stale\\) == -78|fixups ran 1 times, expected 2") \
	X("dma-unmap-stale", "xe_sriov_sim_ppgtt@dma-unmap xe_sriov_sim_vm_bind@race", "engine used IOVA 0x[0-9a-f]+ after its DMA unmap|did not reach the memory mapped at IOVA 0x[0-9a-f]+ now")

#endif /* _UAPI_XE_SRIOV_SIM_FAULT_CATCHERS_H_ */
