// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: PFs
 *
 * A PF is a class device /sys/class/xe_sriov_sim/pf<N> with sysfs identity
 * attributes, an mdev parent offering the "vf" type, the GGTT PTE array of
 * its VF slices, and the VF id allocator: a new VF gets the lowest free id
 * (1-based, as xe's) and is provisioned under the PF lock.
 *
 * pf<N>/flavour is the PF's platform flavour, "dgfx" or "igfx" (see
 * include/uapi/xe_sriov_sim_ccs.h): tests read it to know how CCS moves.
 * Writing a flavour name changes it while the PF has no VF (else -EBUSY;
 * another name: -EINVAL), so one VM can test both.
 */

#include <linux/err.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include <uapi/xe_sriov_sim.h>

#include "xe_sriov_sim.h"

static ssize_t vendor_id_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0x%04x\n", XE_SRIOV_SIM_VENDOR_ID);
}
static DEVICE_ATTR_RO(vendor_id);

static ssize_t device_id_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0x%04x\n", to_xe_sriov_sim_pf(dev)->device_id);
}
static DEVICE_ATTR_RO(device_id);

static ssize_t revision_id_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0x%02x\n", to_xe_sriov_sim_pf(dev)->revision_id);
}
static DEVICE_ATTR_RO(revision_id);

static ssize_t max_vfs_show(struct device *dev,
			    struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_xe_sriov_sim_pf(dev)->max_vfs);
}
static DEVICE_ATTR_RO(max_vfs);

static ssize_t num_vfs_show(struct device *dev,
			    struct device_attribute *attr, char *buf)
{
	struct xe_sriov_sim_pf *pf = to_xe_sriov_sim_pf(dev);
	unsigned int n;

	mutex_lock(&pf->lock);
	n = pf->num_vfs;
	mutex_unlock(&pf->lock);

	return sysfs_emit(buf, "%u\n", n);
}
static DEVICE_ATTR_RO(num_vfs);

static ssize_t flavour_show(struct device *dev,
			    struct device_attribute *attr, char *buf)
{
	struct xe_sriov_sim_pf *pf = to_xe_sriov_sim_pf(dev);
	bool igfx;

	mutex_lock(&pf->lock);
	igfx = pf->igfx;
	mutex_unlock(&pf->lock);

	return sysfs_emit(buf, "%s\n", xe_sriov_sim_flavour_name(igfx));
}

static ssize_t flavour_store(struct device *dev,
			     struct device_attribute *attr, const char *buf,
			     size_t count)
{
	struct xe_sriov_sim_pf *pf = to_xe_sriov_sim_pf(dev);
	bool igfx;
	int ret;

	ret = xe_sriov_sim_flavour_parse(buf, &igfx);
	if (ret)
		return ret;
	mutex_lock(&pf->lock);
	if (pf->num_vfs)
		ret = -EBUSY;
	else
		pf->igfx = igfx;
	mutex_unlock(&pf->lock);
	return ret ?: count;
}
static DEVICE_ATTR_RW(flavour);

static struct attribute *xe_sriov_sim_pf_attrs[] = {
	&dev_attr_vendor_id.attr,
	&dev_attr_device_id.attr,
	&dev_attr_revision_id.attr,
	&dev_attr_max_vfs.attr,
	&dev_attr_num_vfs.attr,
	&dev_attr_flavour.attr,
	NULL,
};
ATTRIBUTE_GROUPS(xe_sriov_sim_pf);

static void xe_sriov_sim_pf_release(struct device *dev)
{
	struct xe_sriov_sim_pf *pf = to_xe_sriov_sim_pf(dev);

	WARN_ON(!list_empty(&pf->vfs));
	xe_sriov_sim_provision_pf_fini(pf);
	ida_destroy(&pf->vf_ida);
	mutex_destroy(&pf->lock);
	kfree(pf);
}

static u16 pf_device_id(unsigned int index)
{
	return index ? XE_SRIOV_SIM_PF1_DEVICE_ID : XE_SRIOV_SIM_PF0_DEVICE_ID;
}

static struct xe_sriov_sim_pf *pf_alloc(unsigned int index)
{
	struct xe_sriov_sim_pf *pf;

	pf = kzalloc(sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return NULL;

	pf->index = index;
	pf->device_id = pf_device_id(index);
	pf->revision_id = XE_SRIOV_SIM_REVISION_ID;
	pf->max_vfs = XE_SRIOV_SIM_MAX_VFS;
	pf->igfx = xe_sriov_sim_provision_pf_flavour(index);
	mutex_init(&pf->lock);
	INIT_LIST_HEAD(&pf->vfs);
	ida_init(&pf->vf_ida);
	if (xe_sriov_sim_provision_pf_init(pf)) {
		ida_destroy(&pf->vf_ida);
		mutex_destroy(&pf->lock);
		kfree(pf);
		return NULL;
	}

	device_initialize(&pf->dev);
	pf->dev.class = &xe_sriov_sim_class;
	pf->dev.groups = xe_sriov_sim_pf_groups;
	pf->dev.release = xe_sriov_sim_pf_release;
	return pf;
}

/**
 * xe_sriov_sim_pf_create() - create and register PF number @index
 * @index: PF number; the device is named "pf<index>"
 *
 * Registers the class device, its debugfs directory and the mdev parent
 * offering the "vf" type.
 *
 * Return: the new PF or an ERR_PTR().
 */
struct xe_sriov_sim_pf *xe_sriov_sim_pf_create(unsigned int index)
{
	struct xe_sriov_sim_pf *pf;
	int ret;

	pf = pf_alloc(index);
	if (!pf)
		return ERR_PTR(-ENOMEM);

	ret = dev_set_name(&pf->dev, XE_SRIOV_SIM_PF_PREFIX "%u", index);
	if (ret)
		goto err_put;

	ret = device_add(&pf->dev);
	if (ret)
		goto err_put;

	xe_sriov_sim_debugfs_pf_add(pf);
	xe_sriov_sim_vf_type_init(pf);

	ret = mdev_register_parent(&pf->parent, &pf->dev,
				   &xe_sriov_sim_mdev_driver, pf->types,
				   ARRAY_SIZE(pf->types));
	if (ret)
		goto err_del;

	return pf;

err_del:
	xe_sriov_sim_debugfs_pf_remove(pf);
	device_del(&pf->dev);
err_put:
	put_device(&pf->dev);
	return ERR_PTR(ret);
}

/**
 * xe_sriov_sim_pf_destroy() - remove a PF and all of its VFs
 * @pf: PF from xe_sriov_sim_pf_create()
 *
 * mdev_unregister_parent() removes every remaining VF (waiting for their
 * VFIO users to go away) before the PF itself is unregistered.
 */
void xe_sriov_sim_pf_destroy(struct xe_sriov_sim_pf *pf)
{
	mdev_unregister_parent(&pf->parent);
	xe_sriov_sim_debugfs_pf_remove(pf);
	device_unregister(&pf->dev);
}

/**
 * xe_sriov_sim_pf_add_vf() - give @vf the lowest free VF id of @pf and
 * provision it
 * @pf: the PF
 * @vf: the new VF; @vf->id is set on success
 *
 * Return: 0, -ENOSPC when @pf already has max_vfs VFs, or -ENOMEM.
 */
int xe_sriov_sim_pf_add_vf(struct xe_sriov_sim_pf *pf,
			   struct xe_sriov_sim_vf *vf)
{
	int id, ret;

	mutex_lock(&pf->lock);
	id = ida_alloc_range(&pf->vf_ida, 1, pf->max_vfs, GFP_KERNEL);
	if (id < 0) {
		ret = id;
		goto out;
	}
	vf->id = id;
	ret = xe_sriov_sim_provision_vf(vf);
	if (ret) {
		ida_free(&pf->vf_ida, id);
		goto out;
	}
	list_add_tail(&vf->link, &pf->vfs);
	pf->num_vfs++;
out:
	mutex_unlock(&pf->lock);
	return ret;
}

/**
 * xe_sriov_sim_pf_remove_vf() - unprovision @vf and release its VF id
 * @pf: the PF
 * @vf: a VF added with xe_sriov_sim_pf_add_vf()
 */
void xe_sriov_sim_pf_remove_vf(struct xe_sriov_sim_pf *pf,
			       struct xe_sriov_sim_vf *vf)
{
	mutex_lock(&pf->lock);
	list_del_init(&vf->link);
	pf->num_vfs--;
	xe_sriov_sim_unprovision_vf(vf);
	ida_free(&pf->vf_ida, vf->id);
	mutex_unlock(&pf->lock);
}

/**
 * xe_sriov_sim_pf_find_vf() - look up a VF by id
 * @pf: the PF; the caller holds @pf->lock
 * @id: the VF id
 *
 * Return: the VF, or NULL if @pf has no VF @id.
 */
struct xe_sriov_sim_vf *xe_sriov_sim_pf_find_vf(struct xe_sriov_sim_pf *pf,
						unsigned int id)
{
	struct xe_sriov_sim_vf *vf;

	lockdep_assert_held(&pf->lock);
	list_for_each_entry(vf, &pf->vfs, link)
		if (vf->id == id)
			return vf;
	return NULL;
}
