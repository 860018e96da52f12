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
 * xe-migtest harness exercise VF life cycle and VFIO live migration
 * without Intel hardware.
 *
 * Layout, one concern per file:
 *
 * - the main file (this one): the num_pfs parameter, the class, init/exit.
 * - xe_sriov_sim_pf.c: PF class devices, sysfs, VF ids; mdev parents.
 * - xe_sriov_sim_vf.c: the mdev driver and "vf" type, VF probe/remove.
 * - xe_sriov_sim_vfio.c: &vfio_device_ops: regions, ioctls, mmap, reset.
 * - xe_sriov_sim_pci_config.c: the PCI type-0 configuration header.
 * - xe_sriov_sim_provision.c: provisioning parameters, GGTT slice, LMEM
 *   and CCS object, contexts.
 * - xe_sriov_sim_ggtt.c: PTEs, the BAR0 PTE window, GGTT save/restore.
 * - xe_sriov_sim_mmio.c: BAR0 registers.
 * - xe_sriov_sim_lmem.c: BAR2 (LMEM) read/write/mmap, FLR clearing.
 * - xe_sriov_sim_irq.c: the MSI eventfd and the interrupt status.
 * - xe_sriov_sim_guc.c: GuC VF states, MMIO mailbox, GuC state blob.
 * - xe_sriov_sim_control.c: pause, resume, stop, FLR, save, restore.
 * - xe_sriov_sim_engine.c: the engine: execution, registers, pause and
 *   restart, engine state save/restore; xe_sriov_sim_engine_cmds.c: command
 *   decode and execution; xe_sriov_sim_engine_mem.c: engine accesses in
 *   their address space (GGTT translation, CCS); xe_sriov_sim_ppgtt.c: the
 *   per-VF PPGTT walk; xe_sriov_sim_dma.c: the VF's system memory (pinned
 *   pages of its DMA space, dma_unmap).
 * - xe_sriov_sim_stream_save.c, xe_sriov_sim_stream_restore.c: the xe
 *   migration stream.
 * - xe_sriov_sim_migration.c: VFIO migration ops and data fds.
 * - xe_sriov_sim_debugfs.c: xe's PF debugfs files under dri/<N>/, the
 *   sim-only ones under xe_sriov_sim/.
 * - xe_sriov_sim_fault.c: the fault parameter (planted defects for
 *   mutation testing), off by default.
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
