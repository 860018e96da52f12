// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: VF interrupts
 *
 * A VF has one MSI vector (VFIO_PCI_MSI_IRQ_INDEX, count 1; the MSI
 * capability of its config space) and no INTx, MSI-X or device request
 * vectors (count 0). Like vfio-pci for a function without a PCIe
 * capability, it has no error (AER) index: VFIO_DEVICE_GET_IRQ_INFO of
 * VFIO_PCI_ERR_IRQ_INDEX is -EINVAL, so a VMM does not expect error
 * recovery. User space attaches an eventfd with VFIO_DEVICE_SET_IRQS
 * (DATA_EVENTFD | ACTION_TRIGGER, start 0, count 1; fd -1 detaches) and can
 * fire it with DATA_NONE or DATA_BOOL for a loopback test. DATA_NONE with
 * count 0 detaches, on every index (the only request the other indexes
 * take).
 *
 * The device raises the vector when it sets a bit in
 * XE_SRIOV_SIM_VF_IRQ_STATUS (write 1 to clear): the MIGRATED bit on resume
 * after a restore, the USER and ERROR bits from the engine. The eventfd
 * survives an FLR and is dropped when the device is closed.
 */

#include <linux/eventfd.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_irq.h"

static void msi_fire(struct xe_sriov_sim_vf *vf)
{
	unsigned long flags;

	spin_lock_irqsave(&vf->irq_lock, flags);
	if (vf->msi_trigger)
		eventfd_signal(vf->msi_trigger);
	spin_unlock_irqrestore(&vf->irq_lock, flags);
}

static void msi_set_trigger(struct xe_sriov_sim_vf *vf,
			    struct eventfd_ctx *ctx)
{
	struct eventfd_ctx *old;
	unsigned long flags;

	spin_lock_irqsave(&vf->irq_lock, flags);
	old = vf->msi_trigger;
	vf->msi_trigger = ctx;
	spin_unlock_irqrestore(&vf->irq_lock, flags);
	if (old)
		eventfd_ctx_put(old);
}

/**
 * xe_sriov_sim_irq_raise() - set status bits and raise the MSI vector
 * @vf: the VF; the caller holds its state_lock
 * @bits: XE_SRIOV_SIM_VF_IRQ_* bits
 */
void xe_sriov_sim_irq_raise(struct xe_sriov_sim_vf *vf, u32 bits)
{
	vf->irq_status |= bits;
	msi_fire(vf);
}

/**
 * xe_sriov_sim_irq_release() - detach the MSI eventfd
 * @vf: the VF
 */
void xe_sriov_sim_irq_release(struct xe_sriov_sim_vf *vf)
{
	msi_set_trigger(vf, NULL);
}

/**
 * xe_sriov_sim_irq_get_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @arg: the user's struct vfio_irq_info
 *
 * Return: 0, -EFAULT or -EINVAL (also for the error index).
 */
long xe_sriov_sim_irq_get_info(void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS ||
	    info.index == VFIO_PCI_ERR_IRQ_INDEX)
		return -EINVAL;

	if (info.index == VFIO_PCI_MSI_IRQ_INDEX) {
		info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
		info.count = 1;
	} else {
		info.flags = 0;
		info.count = 0;
	}

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long set_msi(struct xe_sriov_sim_vf *vf, struct vfio_irq_set *hdr,
		    void __user *data)
{
	struct eventfd_ctx *ctx;
	u8 fire;
	s32 fd;

	if (!hdr->count) {
		if ((hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) !=
		    VFIO_IRQ_SET_DATA_NONE)
			return -EINVAL;
		msi_set_trigger(vf, NULL);
		return 0;
	}

	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		msi_fire(vf);
		return 0;
	case VFIO_IRQ_SET_DATA_BOOL:
		if (hdr->argsz < sizeof(*hdr) + sizeof(fire) ||
		    copy_from_user(&fire, data, sizeof(fire)))
			return -EINVAL;
		if (fire)
			msi_fire(vf);
		return 0;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		if (hdr->argsz < sizeof(*hdr) + sizeof(fd) ||
		    copy_from_user(&fd, data, sizeof(fd)))
			return -EINVAL;
		if (fd == -1) {
			msi_set_trigger(vf, NULL);
			return 0;
		}
		if (fd < 0)
			return -EINVAL;
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
		msi_set_trigger(vf, ctx);
		return 0;
	default:
		return -EINVAL;
	}
}

/**
 * xe_sriov_sim_irq_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @vf: the VF
 * @arg: the user's struct vfio_irq_set and its data
 *
 * Return: 0, -EFAULT, -EINVAL, or the eventfd lookup error.
 */
long xe_sriov_sim_irq_set_irqs(struct xe_sriov_sim_vf *vf, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	u32 type;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	if (hdr.argsz < minsz || hdr.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	if (hdr.flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK |
			  VFIO_IRQ_SET_ACTION_TYPE_MASK))
		return -EINVAL;
	if ((hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	type = hdr.flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	if (type != VFIO_IRQ_SET_DATA_NONE && type != VFIO_IRQ_SET_DATA_BOOL &&
	    type != VFIO_IRQ_SET_DATA_EVENTFD)
		return -EINVAL;

	if (hdr.index != VFIO_PCI_MSI_IRQ_INDEX) {
		/* No vectors: only "disable everything" is valid, a no-op. */
		if (type != VFIO_IRQ_SET_DATA_NONE || hdr.start || hdr.count)
			return -EINVAL;
		return 0;
	}

	if (hdr.start || hdr.count > 1)
		return -EINVAL;
	return set_msi(vf, &hdr, (u8 __user *)arg + minsz);
}
