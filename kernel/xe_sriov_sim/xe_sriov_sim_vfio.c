// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: VFIO device
 *
 * The &vfio_device_ops of a VF: a PCI device with a 256-byte config space
 * (region 7, see xe_sriov_sim_pci_config.c), BAR0 (region 0, registers),
 * BAR2 (region 2, LMEM, mmap-able) and one MSI vector. Region i sits at
 * file offset i << XE_SRIOV_SIM_REGION_SHIFT. Open, close and
 * VFIO_DEVICE_RESET are a function level reset. Live migration:
 * xe_sriov_sim_migration.c.
 *
 * The region sizes are the BAR sizes of the config space, which a VMM
 * (QEMU's vfio-pci) requires to be powers of two. When lmem_size is not
 * one, BAR2 is lmem_size rounded up: the tail past the LMEM reads 0 and
 * ignores writes, and a sparse mmap capability tells that only the LMEM
 * can be mapped.
 */

#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <uapi/xe_sriov_sim.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_control.h"
#include "xe_sriov_sim_irq.h"
#include "xe_sriov_sim_lmem.h"
#include "xe_sriov_sim_migration.h"
#include "xe_sriov_sim_mmio.h"
#include "xe_sriov_sim_ppgtt.h"

#define XE_SRIOV_SIM_OFFSET_TO_INDEX(off) ((off) >> XE_SRIOV_SIM_REGION_SHIFT)
#define XE_SRIOV_SIM_INDEX_TO_OFFSET(index) \
	((u64)(index) << XE_SRIOV_SIM_REGION_SHIFT)
#define XE_SRIOV_SIM_OFFSET_MASK \
	(XE_SRIOV_SIM_INDEX_TO_OFFSET(1) - 1)

static int xe_sriov_sim_vfio_init(struct vfio_device *vdev)
{
	struct xe_sriov_sim_vf *vf = vdev_to_vf(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);

	vf->mdev = mdev;
	vf->pf = mdev_to_pf(mdev);
	INIT_LIST_HEAD(&vf->link);
	mutex_init(&vf->lock);
	xe_sriov_sim_pci_config_init(&vf->config, vf->pf->device_id,
				     vf->pf->revision_id, XE_SRIOV_SIM_BAR0_SIZE,
				     roundup_pow_of_two(xe_sriov_sim_params.lmem_size));
	xe_sriov_sim_control_init(vf);
	xe_sriov_sim_migration_init(vf);
	return 0;
}

static void xe_sriov_sim_vfio_release(struct vfio_device *vdev)
{
	struct xe_sriov_sim_vf *vf = vdev_to_vf(vdev);

	xe_sriov_sim_control_fini(vf);
	xe_sriov_sim_migration_fini(vf);
	mutex_destroy(&vf->state_lock);
	mutex_destroy(&vf->lock);
}

/* FLR: config space, the whole device model, the migration state. */
static void xe_sriov_sim_vf_reset(struct xe_sriov_sim_vf *vf, bool ioctl)
{
	xe_sriov_sim_migration_reset(vf, ioctl);
}

static int xe_sriov_sim_vfio_open(struct vfio_device *vdev)
{
	xe_sriov_sim_vf_reset(vdev_to_vf(vdev), false);
	xe_sriov_sim_dma_set_open(vdev_to_vf(vdev), true);
	return 0;
}

static void xe_sriov_sim_vfio_close(struct vfio_device *vdev)
{
	struct xe_sriov_sim_vf *vf = vdev_to_vf(vdev);

	xe_sriov_sim_irq_release(vf);
	xe_sriov_sim_dma_set_open(vf, false);
	xe_sriov_sim_vf_reset(vf, false);
}

/* Largest naturally aligned access (4, 2 or 1 bytes) at @pos, within @left. */
static unsigned int access_size(u64 pos, size_t left)
{
	if (left >= 4 && !(pos & 3))
		return 4;
	if (left >= 2 && !(pos & 1))
		return 2;
	return 1;
}

static int config_rw_one(struct xe_sriov_sim_vf *vf, char __user *buf,
			 unsigned int off, unsigned int size, bool write)
{
	u32 val = 0;
	int ret;

	if (write) {
		if (copy_from_user(&val, buf, size))
			return -EFAULT;
		val = le32_to_cpu((__force __le32)val);
		mutex_lock(&vf->lock);
		ret = xe_sriov_sim_pci_config_write(&vf->config, off, size, val);
		mutex_unlock(&vf->lock);
		return ret;
	}

	mutex_lock(&vf->lock);
	ret = xe_sriov_sim_pci_config_read(&vf->config, off, size, &val);
	mutex_unlock(&vf->lock);
	if (ret)
		return ret;
	val = (__force u32)cpu_to_le32(val);
	return copy_to_user(buf, &val, size) ? -EFAULT : 0;
}

/*
 * Config space is accessed in naturally aligned 1/2/4-byte pieces, so that
 * a pread() of the whole header works like on vfio-pci.
 */
static ssize_t config_rw(struct xe_sriov_sim_vf *vf, char __user *buf,
			 size_t count, u64 off, bool write)
{
	size_t done = 0;
	int ret;

	if (off >= XE_SRIOV_SIM_CONFIG_SIZE ||
	    count > XE_SRIOV_SIM_CONFIG_SIZE - off)
		return -EINVAL;

	while (done < count) {
		unsigned int size = access_size(off + done, count - done);

		ret = config_rw_one(vf, buf + done, off + done, size, write);
		if (ret)
			return ret;
		done += size;
	}
	return done;
}

/*
 * BAR2: the LMEM, then (lmem_size not a power of two) a tail up to the BAR
 * size that reads 0 and drops writes.
 */
static ssize_t lmem_bar_rw(struct xe_sriov_sim_vf *vf, char __user *buf,
			   size_t count, u64 off, bool write)
{
	u64 bar = vf->config.bar2_size;
	size_t part;
	ssize_t ret;

	if (off >= bar || count > bar - off)
		return -EINVAL;
	if (off + count <= vf->lmem_size)
		return xe_sriov_sim_lmem_rw(vf, buf, count, off, write);

	part = off < vf->lmem_size ? vf->lmem_size - off : 0;
	if (part) {
		ret = xe_sriov_sim_lmem_rw(vf, buf, part, off, write);
		if (ret < 0)
			return ret;
	}
	if (!write && clear_user(buf + part, count - part))
		return -EFAULT;
	return count;
}

static ssize_t region_rw(struct vfio_device *vdev, char __user *buf,
			 size_t count, loff_t *ppos, bool write)
{
	u64 pos = *ppos;
	u64 index = XE_SRIOV_SIM_OFFSET_TO_INDEX(pos);
	u64 off = pos & XE_SRIOV_SIM_OFFSET_MASK;
	ssize_t ret;

	if (*ppos < 0 || !count)
		return -EINVAL;

	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = config_rw(vdev_to_vf(vdev), buf, count, off, write);
		break;
	case XE_SRIOV_SIM_BAR_MMIO:
		ret = xe_sriov_sim_mmio_rw(vdev_to_vf(vdev), buf, count, off,
					   write);
		break;
	case XE_SRIOV_SIM_BAR_LMEM:
		ret = lmem_bar_rw(vdev_to_vf(vdev), buf, count, off, write);
		break;
	default:
		return -EINVAL;
	}
	if (ret > 0)
		*ppos += ret;
	return ret;
}

static ssize_t xe_sriov_sim_vfio_read(struct vfio_device *vdev,
				      char __user *buf, size_t count,
				      loff_t *ppos)
{
	return region_rw(vdev, buf, count, ppos, false);
}

static ssize_t xe_sriov_sim_vfio_write(struct vfio_device *vdev,
				       const char __user *buf, size_t count,
				       loff_t *ppos)
{
	return region_rw(vdev, (char __user *)buf, count, ppos, true);
}

static long ioctl_get_info(void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int xe_sriov_sim_vfio_mmap(struct vfio_device *vdev,
				  struct vm_area_struct *vma)
{
	u64 pos = (u64)vma->vm_pgoff << PAGE_SHIFT;

	if (XE_SRIOV_SIM_OFFSET_TO_INDEX(pos) != XE_SRIOV_SIM_BAR_LMEM)
		return -EINVAL;
	return xe_sriov_sim_lmem_mmap(vdev_to_vf(vdev), vma,
				      pos & XE_SRIOV_SIM_OFFSET_MASK);
}

/*
 * BAR2 when it is larger than the LMEM: only [0, lmem_size) can be mapped.
 * Adds the capability to @info and copies it out after it, or (argsz too
 * small) tells the size needed, as vfio-pci does.
 */
static int lmem_sparse_mmap(struct xe_sriov_sim_vf *vf,
			    struct vfio_region_info *info, void __user *arg)
{
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	struct vfio_region_info_cap_sparse_mmap *sparse;
	size_t size = struct_size(sparse, areas, 1);
	int ret;

	sparse = kzalloc(size, GFP_KERNEL);
	if (!sparse)
		return -ENOMEM;
	sparse->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
	sparse->header.version = 1;
	sparse->nr_areas = 1;
	sparse->areas[0].offset = 0;
	sparse->areas[0].size = vf->lmem_size;
	ret = vfio_info_add_capability(&caps, &sparse->header, size);
	kfree(sparse);
	if (ret)
		return ret;

	info->flags |= VFIO_REGION_INFO_FLAG_CAPS;
	if (info->argsz < sizeof(*info) + caps.size) {
		info->argsz = sizeof(*info) + caps.size;
		info->cap_offset = 0;
	} else {
		vfio_info_cap_shift(&caps, sizeof(*info));
		if (copy_to_user((u8 __user *)arg + sizeof(*info), caps.buf,
				 caps.size))
			ret = -EFAULT;
		info->cap_offset = sizeof(*info);
	}
	kfree(caps.buf);
	return ret;
}

static long ioctl_get_region_info(struct xe_sriov_sim_vf *vf,
				  void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;

	info.offset = XE_SRIOV_SIM_INDEX_TO_OFFSET(info.index);
	info.cap_offset = 0;
	switch (info.index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info.size = XE_SRIOV_SIM_CONFIG_SIZE;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		break;
	case XE_SRIOV_SIM_BAR_MMIO:
		info.size = vf->config.bar0_size;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		break;
	case XE_SRIOV_SIM_BAR_LMEM:
		info.size = vf->config.bar2_size;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE |
			     VFIO_REGION_INFO_FLAG_MMAP;
		if (vf->lmem_size < info.size) {
			ret = lmem_sparse_mmap(vf, &info, arg);
			if (ret)
				return ret;
		}
		break;
	default:
		/* The other BARs, ROM and VGA are absent. */
		info.size = 0;
		info.flags = 0;
		break;
	}

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long xe_sriov_sim_vfio_ioctl(struct vfio_device *vdev,
				    unsigned int cmd, unsigned long arg)
{
	struct xe_sriov_sim_vf *vf = vdev_to_vf(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return ioctl_get_info(uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return ioctl_get_region_info(vf, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return xe_sriov_sim_irq_get_info(uarg);
	case VFIO_DEVICE_SET_IRQS:
		return xe_sriov_sim_irq_set_irqs(vf, uarg);
	case VFIO_DEVICE_RESET:
		xe_sriov_sim_vf_reset(vf, true);
		return 0;
	default:
		return -ENOTTY;
	}
}

/*
 * VFIO device ops of a simulated VF, registered with
 * vfio_register_emulated_iommu_dev(). The migration ops are set by
 * xe_sriov_sim_migration_init() from the init callback.
 */
const struct vfio_device_ops xe_sriov_sim_vfio_ops = {
	.name = XE_SRIOV_SIM_MDEV_TYPE_DIR,
	.init = xe_sriov_sim_vfio_init,
	.release = xe_sriov_sim_vfio_release,
	.open_device = xe_sriov_sim_vfio_open,
	.close_device = xe_sriov_sim_vfio_close,
	.read = xe_sriov_sim_vfio_read,
	.write = xe_sriov_sim_vfio_write,
	.ioctl = xe_sriov_sim_vfio_ioctl,
	.mmap = xe_sriov_sim_vfio_mmap,
	.dma_unmap = xe_sriov_sim_dma_unmap,
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
};
