/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * xe_sriov_sim user-visible names and identities, shared by the kernel
 * module (kernel/xe_sriov_sim) and the harness (lib/).
 */
#ifndef _UAPI_XE_SRIOV_SIM_H_
#define _UAPI_XE_SRIOV_SIM_H_

/* The device class: /sys/class/xe_sriov_sim/pf<N>. */
#define XE_SRIOV_SIM_CLASS		"xe_sriov_sim"
/* PF device names: "pf0", "pf1", ... */
#define XE_SRIOV_SIM_PF_PREFIX		"pf"
/* Upper bound of the num_pfs module parameter. */
#define XE_SRIOV_SIM_MAX_PFS		8

/*
 * The mdev type of a VF. Its sysfs directory is "<class>-<type>" as mdev
 * names it: /sys/class/xe_sriov_sim/pf0/mdev_supported_types/xe_sriov_sim-vf.
 */
#define XE_SRIOV_SIM_MDEV_TYPE		"vf"
#define XE_SRIOV_SIM_MDEV_TYPE_DIR	XE_SRIOV_SIM_CLASS "-" XE_SRIOV_SIM_MDEV_TYPE

/* VF ids are 1-based like xe's (VF0 is the PF); at most this many VFs per PF. */
#define XE_SRIOV_SIM_MAX_VFS		24

/* PCI identity: Battlemage (BMG), like the GPUs xe-vfio-pci binds to. */
#define XE_SRIOV_SIM_VENDOR_ID		0x8086
#define XE_SRIOV_SIM_PF0_DEVICE_ID	0xe20b
/* Later PFs differ in device id so incompatible-destination tests exist. */
#define XE_SRIOV_SIM_PF1_DEVICE_ID	0xe211
#define XE_SRIOV_SIM_REVISION_ID	0x00
/* PCI_CLASS_DISPLAY_OTHER << 8: what an Xe VF reports in config space. */
#define XE_SRIOV_SIM_CLASS_CODE		0x038000
/* Subsystem identity in a VF's config space. */
#define XE_SRIOV_SIM_SUBSYSTEM_VENDOR_ID	0x8086
#define XE_SRIOV_SIM_SUBSYSTEM_ID	0x1000

/*
 * A VF's VFIO regions sit at (index << XE_SRIOV_SIM_REGION_SHIFT) in the
 * device fd, as vfio-pci places them; VFIO_DEVICE_GET_REGION_INFO reports
 * the same offsets.
 */
#define XE_SRIOV_SIM_REGION_SHIFT	40

/*
 * debugfs. The files xe has sit where xe puts them, under a DRM-style
 * directory of the PF, /sys/kernel/debug/dri/<N>/sriov/...; N is picked
 * from XE_SRIOV_SIM_DRI_MINOR_FIRST..LAST, minors DRM never allocates, so
 * find a PF's directory by its "name" file, which reads as DRM's does:
 * "xe_sriov_sim dev=pf<N> unique=pf<N>". Files only the sim has live
 * under /sys/kernel/debug/xe_sriov_sim/: fault, and pf<N>/{vfs, dri,
 * vf<id>/{guc_state,engine,ccs}}.
 */
#define XE_SRIOV_SIM_DEBUGFS_ROOT	XE_SRIOV_SIM_CLASS
#define XE_SRIOV_SIM_DRI_DRIVER		XE_SRIOV_SIM_CLASS
#define XE_SRIOV_SIM_DRI_MINOR_FIRST	64
#define XE_SRIOV_SIM_DRI_MINOR_LAST	127

#endif /* _UAPI_XE_SRIOV_SIM_H_ */
