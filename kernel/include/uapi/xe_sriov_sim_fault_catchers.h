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
 *             its "xe_sriov_migration_" prefix
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
	X("vram-flip", "data@migrate qemu_vf@sim-vf-in-qemu stress@ping-pong", "TODO-PATTERN") \
	X("ccs-drop", "data@ccs ccs@preserved qemu_vf@sim-vf-in-qemu stress@ping-pong", "TODO-PATTERN") \
	X("ggtt-vfid", "data@migrate qemu_vf@sim-vf-in-qemu stress@ping-pong", "TODO-PATTERN") \
	X("ggtt-slice", "data@migrate qemu_vf@sim-vf-in-qemu stress@ping-pong", "TODO-PATTERN") \
	X("mmio-skip", "data@migrate qemu_vf@sim-vf-in-qemu", "TODO-PATTERN") \
	X("size-zero", "stream@size-estimate", "TODO-PATTERN") \
	X("devid-lax", "negative@wrong-device qemu_vf@wrong-device", "TODO-PATTERN") \
	X("trailer-lax", "negative@bad-order", "TODO-PATTERN") \
	X("bounds-lax", "negative@bad-sizes", "TODO-PATTERN") \
	X("p2p-arc", "fsm@state-pairs", "TODO-PATTERN") \
	X("no-irq", "data@migrated-interrupt qemu_vf@sim-vf-in-qemu fixups@mid-flight", "TODO-PATTERN") \
	X("marker-kept", "data@double-migration fixups@double-migration", "TODO-PATTERN") \
	X("flr-keep-lmem", "data@flr-clears qemu_vf@sim-vf-in-qemu", "TODO-PATTERN") \
	X("read-seg", "stream@read-segmentation", "TODO-PATTERN") \
	X("write-seg", "stream@write-segmentation", "TODO-PATTERN") \
	X("fd-alive", "fsm@data-fd-ends", "TODO-PATTERN") \
	X("reset-state", "fsm@reset-from-every-state", "TODO-PATTERN") \
	X("debugfs-no-mmio", "stream@debugfs-equals-vfio", "TODO-PATTERN") \
	X("cmd-lost", "fixups@mid-flight stress@ping-pong", "TODO-PATTERN") \
	X("cmd-replay", "fixups@mid-flight stress@ping-pong", "TODO-PATTERN") \
	X("marker-ignored", "data@double-migration fixups@double-migration", "TODO-PATTERN")

#endif /* _UAPI_XE_SRIOV_SIM_FAULT_CATCHERS_H_ */
