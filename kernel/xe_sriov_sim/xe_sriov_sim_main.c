// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: xe_sriov_sim overview
 *
 * xe_sriov_sim simulates Intel Xe SR-IOV physical functions whose virtual
 * functions are mediated devices, each exposed to user space as a VFIO PCI
 * device behind an emulated IOMMU (group/container API). It lets the
 * xe-migtest harness exercise VF life cycle and, later, VFIO live migration
 * without Intel hardware.
 *
 * Layout, one concern per file:
 *
 * - the main file (this one): module parameters, the "xe_sriov_sim"
 *   class, init and exit.
 * - xe_sriov_sim_pf.c: the PF class devices pf0..pfN-1, their sysfs
 *   attributes (device_id, revision_id, max_vfs, num_vfs) and the VF id
 *   bookkeeping; each PF is an mdev parent.
 * - xe_sriov_sim_vf.c: the mdev driver and the "vf" mdev type; probe creates
 *   a VF (VF id, VFIO device), remove destroys it; VF sysfs (vf_id, pf).
 * - xe_sriov_sim_vfio.c: the &vfio_device_ops of a VF: ioctls, config space
 *   read/write. No migration ops yet.
 * - xe_sriov_sim_pci_config.c: the emulated PCI type-0 configuration header.
 * - xe_sriov_sim_debugfs.c: /sys/kernel/debug/xe_sriov_sim/pf<N>/sriov/.
 *
 * Object lifetime: a PF is owned by its class device and freed by its
 * release callback. A VF is owned by its &vfio_device; the mdev core removes
 * every VF of a PF in mdev_unregister_parent(), so unloading the module with
 * VFs present is safe.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device/class.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

#include <uapi/xe_sriov_sim.h>

#include "xe_sriov_sim.h"

static unsigned int num_pfs = 2;
module_param(num_pfs, uint, 0444);
MODULE_PARM_DESC(num_pfs, "Number of simulated PFs (1.."
		 __stringify(XE_SRIOV_SIM_MAX_PFS) ", default 2)");

const struct class xe_sriov_sim_class = {
	.name = XE_SRIOV_SIM_CLASS,
};

static struct xe_sriov_sim_pf *xe_sriov_sim_pfs[XE_SRIOV_SIM_MAX_PFS];

static void destroy_pfs(void)
{
	unsigned int i;

	for (i = XE_SRIOV_SIM_MAX_PFS; i-- > 0;) {
		if (!xe_sriov_sim_pfs[i])
			continue;
		xe_sriov_sim_pf_destroy(xe_sriov_sim_pfs[i]);
		xe_sriov_sim_pfs[i] = NULL;
	}
}

static int create_pfs(void)
{
	struct xe_sriov_sim_pf *pf;
	unsigned int i;

	for (i = 0; i < num_pfs; i++) {
		pf = xe_sriov_sim_pf_create(i);
		if (IS_ERR(pf)) {
			destroy_pfs();
			return PTR_ERR(pf);
		}
		xe_sriov_sim_pfs[i] = pf;
	}
	return 0;
}

static int __init xe_sriov_sim_init(void)
{
	int ret;

	if (num_pfs < 1 || num_pfs > XE_SRIOV_SIM_MAX_PFS) {
		pr_err("num_pfs=%u out of range 1..%u\n",
		       num_pfs, XE_SRIOV_SIM_MAX_PFS);
		return -EINVAL;
	}
	ret = xe_sriov_sim_provision_check_params();
	if (ret)
		return ret;

	xe_sriov_sim_debugfs_init();

	ret = mdev_register_driver(&xe_sriov_sim_mdev_driver);
	if (ret)
		goto err_debugfs;

	ret = class_register(&xe_sriov_sim_class);
	if (ret)
		goto err_driver;

	ret = create_pfs();
	if (ret)
		goto err_class;

	return 0;

err_class:
	class_unregister(&xe_sriov_sim_class);
err_driver:
	mdev_unregister_driver(&xe_sriov_sim_mdev_driver);
err_debugfs:
	xe_sriov_sim_debugfs_fini();
	return ret;
}

static void __exit xe_sriov_sim_exit(void)
{
	destroy_pfs();
	class_unregister(&xe_sriov_sim_class);
	mdev_unregister_driver(&xe_sriov_sim_mdev_driver);
	xe_sriov_sim_debugfs_fini();
}

module_init(xe_sriov_sim_init);
module_exit(xe_sriov_sim_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The xe-migtest authors");
MODULE_DESCRIPTION("Simulated Intel Xe SR-IOV PF with mdev/VFIO VFs");
MODULE_VERSION("0.1.0");
