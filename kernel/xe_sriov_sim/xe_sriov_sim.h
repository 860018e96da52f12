/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Internal structures of the xe_sriov_sim module.
 */
#ifndef _XE_SRIOV_SIM_H_
#define _XE_SRIOV_SIM_H_

#include <linux/device.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/vfio.h>

#include "xe_sriov_sim_pci_config.h"

struct dentry;

/**
 * struct xe_sriov_sim_pf - a simulated SR-IOV physical function
 * @dev: the class device /sys/class/xe_sriov_sim/pf<N>; owns this struct
 * @parent: mdev parent state, registered on @dev
 * @vf_type: the single mdev type ("vf") this PF offers
 * @types: array of mdev types handed to mdev_register_parent()
 * @index: PF number N
 * @device_id: PCI device id reported by the PF and its VFs
 * @revision_id: PCI revision id reported by the PF and its VFs
 * @max_vfs: upper bound of VFs (and of VF ids)
 * @lock: protects @vfs, @num_vfs and @vf_ida
 * @vfs: list of &struct xe_sriov_sim_vf, linked by &xe_sriov_sim_vf.link
 * @num_vfs: number of VFs on @vfs
 * @vf_ida: allocator of the 1-based VF ids
 * @debugfs: pf<N>/ in the module's debugfs root, or NULL/error
 * @debugfs_sriov: pf<N>/sriov/, parent of the per-VF directories
 */
struct xe_sriov_sim_pf {
	struct device dev;
	struct mdev_parent parent;
	struct mdev_type vf_type;
	struct mdev_type *types[1];
	unsigned int index;
	u16 device_id;
	u8 revision_id;
	unsigned int max_vfs;

	struct mutex lock; /* protects vfs, num_vfs, vf_ida */
	struct list_head vfs;
	unsigned int num_vfs;
	struct ida vf_ida;

	struct dentry *debugfs;
	struct dentry *debugfs_sriov;
};

/**
 * struct xe_sriov_sim_vf - a simulated SR-IOV virtual function (an mdev)
 * @vdev: the VFIO device; must stay the first member (vfio_alloc_device)
 * @pf: the PF this VF belongs to
 * @mdev: the mdev instance backing this VF
 * @link: entry in &xe_sriov_sim_pf.vfs
 * @id: 1-based VF id, unique within @pf
 * @lock: serialises config space accesses and reset
 * @config: emulated PCI configuration space
 * @debugfs: pf<N>/sriov/vf<id>/, or NULL/error
 */
struct xe_sriov_sim_vf {
	struct vfio_device vdev;
	struct xe_sriov_sim_pf *pf;
	struct mdev_device *mdev;
	struct list_head link;
	unsigned int id;
	struct mutex lock; /* protects config */
	struct xe_sriov_sim_pci_config config;
	struct dentry *debugfs;
};

static inline struct xe_sriov_sim_pf *to_xe_sriov_sim_pf(struct device *dev)
{
	return container_of(dev, struct xe_sriov_sim_pf, dev);
}

static inline struct xe_sriov_sim_pf *mdev_to_pf(struct mdev_device *mdev)
{
	return container_of(mdev->type, struct xe_sriov_sim_pf, vf_type);
}

static inline struct xe_sriov_sim_vf *vdev_to_vf(struct vfio_device *vdev)
{
	return container_of(vdev, struct xe_sriov_sim_vf, vdev);
}

/* xe_sriov_sim_main.c */
extern const struct class xe_sriov_sim_class;

/* xe_sriov_sim_pf.c */
struct xe_sriov_sim_pf *xe_sriov_sim_pf_create(unsigned int index);
void xe_sriov_sim_pf_destroy(struct xe_sriov_sim_pf *pf);
int xe_sriov_sim_pf_add_vf(struct xe_sriov_sim_pf *pf,
			   struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_pf_remove_vf(struct xe_sriov_sim_pf *pf,
			       struct xe_sriov_sim_vf *vf);

/* xe_sriov_sim_vf.c */
extern struct mdev_driver xe_sriov_sim_mdev_driver;
void xe_sriov_sim_vf_type_init(struct xe_sriov_sim_pf *pf);

/* xe_sriov_sim_vfio.c */
extern const struct vfio_device_ops xe_sriov_sim_vfio_ops;

/* xe_sriov_sim_debugfs.c */
void xe_sriov_sim_debugfs_init(void);
void xe_sriov_sim_debugfs_fini(void);
void xe_sriov_sim_debugfs_pf_add(struct xe_sriov_sim_pf *pf);
void xe_sriov_sim_debugfs_pf_remove(struct xe_sriov_sim_pf *pf);
void xe_sriov_sim_debugfs_vf_add(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_debugfs_vf_remove(struct xe_sriov_sim_vf *vf);

#endif /* _XE_SRIOV_SIM_H_ */
