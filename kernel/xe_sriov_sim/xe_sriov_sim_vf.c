// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: VFs
 *
 * The mdev driver and the "vf" mdev type. Probe allocates the VFIO device,
 * takes a VF id and provisions the VF, registers it as an emulated-IOMMU
 * VFIO device and adds its debugfs directory; remove undoes it in reverse,
 * after VFIO has waited for the device to be closed.
 */

#include <linux/err.h>
#include <linux/module.h>
#include <linux/sysfs.h>

#include <uapi/xe_sriov_sim.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_engine.h"

static struct xe_sriov_sim_pf *mtype_to_pf(struct mdev_type *mtype)
{
	return container_of(mtype, struct xe_sriov_sim_pf, vf_type);
}

static ssize_t vf_id_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct xe_sriov_sim_vf *vf = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", vf->id);
}
static DEVICE_ATTR_RO(vf_id);

static ssize_t pf_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	struct xe_sriov_sim_vf *vf = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", dev_name(&vf->pf->dev));
}
static DEVICE_ATTR_RO(pf);

static struct attribute *xe_sriov_sim_vf_attrs[] = {
	&dev_attr_vf_id.attr,
	&dev_attr_pf.attr,
	NULL,
};
ATTRIBUTE_GROUPS(xe_sriov_sim_vf);

static int xe_sriov_sim_vf_probe(struct mdev_device *mdev)
{
	struct xe_sriov_sim_pf *pf = mdev_to_pf(mdev);
	struct xe_sriov_sim_vf *vf;
	int ret;

	vf = vfio_alloc_device(xe_sriov_sim_vf, vdev, &mdev->dev,
			       &xe_sriov_sim_vfio_ops);
	if (IS_ERR(vf))
		return PTR_ERR(vf);

	ret = xe_sriov_sim_pf_add_vf(pf, vf);
	if (ret)
		goto err_put;

	dev_set_drvdata(&mdev->dev, vf);

	ret = vfio_register_emulated_iommu_dev(&vf->vdev);
	if (ret)
		goto err_remove;

	xe_sriov_sim_debugfs_vf_add(vf);
	dev_dbg(&mdev->dev, "created VF%u on %s\n", vf->id, dev_name(&pf->dev));
	return 0;

err_remove:
	dev_set_drvdata(&mdev->dev, NULL);
	xe_sriov_sim_pf_remove_vf(pf, vf);
err_put:
	vfio_put_device(&vf->vdev);
	return ret;
}

static void xe_sriov_sim_vf_remove(struct mdev_device *mdev)
{
	struct xe_sriov_sim_vf *vf = dev_get_drvdata(&mdev->dev);

	xe_sriov_sim_debugfs_vf_remove(vf);
	vfio_unregister_group_dev(&vf->vdev);
	xe_sriov_sim_engine_fini(vf);
	dev_set_drvdata(&mdev->dev, NULL);
	xe_sriov_sim_pf_remove_vf(vf->pf, vf);
	vfio_put_device(&vf->vdev);
}

static unsigned int xe_sriov_sim_vf_get_available(struct mdev_type *mtype)
{
	struct xe_sriov_sim_pf *pf = mtype_to_pf(mtype);
	unsigned int avail;

	mutex_lock(&pf->lock);
	avail = pf->max_vfs - pf->num_vfs;
	mutex_unlock(&pf->lock);

	return avail;
}

static ssize_t xe_sriov_sim_vf_show_description(struct mdev_type *mtype,
						char *buf)
{
	struct xe_sriov_sim_pf *pf = mtype_to_pf(mtype);

	return sysfs_emit(buf, "Simulated Xe SR-IOV VF of %s (%04x:%04x)\n",
			  dev_name(&pf->dev), XE_SRIOV_SIM_VENDOR_ID,
			  pf->device_id);
}

/*
 * No max_instances: get_available() is the budget, and the VF id
 * allocation in probe enforces it (mdev only checks its own counter when
 * a driver has no get_available()).
 */
struct mdev_driver xe_sriov_sim_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = XE_SRIOV_SIM_CLASS,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = xe_sriov_sim_vf_groups,
	},
	.probe = xe_sriov_sim_vf_probe,
	.remove = xe_sriov_sim_vf_remove,
	.get_available = xe_sriov_sim_vf_get_available,
	.show_description = xe_sriov_sim_vf_show_description,
};

/**
 * xe_sriov_sim_vf_type_init() - describe the "vf" mdev type of @pf
 * @pf: PF about to be registered as an mdev parent
 */
void xe_sriov_sim_vf_type_init(struct xe_sriov_sim_pf *pf)
{
	pf->vf_type.sysfs_name = XE_SRIOV_SIM_MDEV_TYPE;
	pf->vf_type.pretty_name = "Xe SR-IOV VF (sim)";
	pf->types[0] = &pf->vf_type;
}
