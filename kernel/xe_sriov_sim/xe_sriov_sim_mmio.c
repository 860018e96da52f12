// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: BAR0 (MMIO)
 *
 * VFIO region 0, XE_SRIOV_SIM_BAR0_SIZE bytes, read and written through
 * the device fd (no mmap). The register map is in
 * include/uapi/xe_sriov_sim_regs.h:
 *
 * - VF_CAP_REG (read only): bit 0 set.
 * - VF_SW_FLAG(0..3) and MED_VF_SW_FLAG(0..3): the MMIO mailbox of the
 *   primary and the media GT, migrated by each GT's MMIO packet.
 * - GUC_HOST_INTERRUPT and MED_GUC_HOST_INTERRUPT: a write notifies that
 *   GT's GuC of a mailbox request (see the GuC DOC).
 * - VF_IRQ_STATUS: interrupt status, write 1 to clear.
 * - the engine registers from XE_SRIOV_SIM_RING_TAIL (see the engine DOC).
 * - the GGTT PTE window from XE_SRIOV_SIM_GGTT_WINDOW (see the GGTT DOC).
 *
 * Registers take naturally aligned 4-byte accesses, the PTE window 4 or 8
 * bytes; a longer read or write is split into such accesses. Unaligned or
 * odd-sized accesses and accesses past the VF's GGTT slice fail with
 * EINVAL. Other register offsets read 0 and ignore writes, as unclaimed
 * MMIO does.
 */

#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_engine.h"
#include "xe_sriov_sim_ggtt.h"
#include "xe_sriov_sim_guc.h"
#include "xe_sriov_sim_mmio.h"

static u32 reg_read(struct xe_sriov_sim_vf *vf, u32 reg)
{
	switch (reg) {
	case XE_SRIOV_SIM_VF_CAP_REG:
		return XE_SRIOV_SIM_VF_CAP;
	case XE_SRIOV_SIM_VF_IRQ_STATUS:
		return vf->irq_status;
	case XE_SRIOV_SIM_VF_SW_FLAG(0) ...
	     XE_SRIOV_SIM_VF_SW_FLAG(XE_SRIOV_SIM_VF_SW_FLAG_COUNT - 1):
		return vf->gt[XE_SRIOV_SIM_GT_PRIMARY]
			.sw_flag[(reg - XE_SRIOV_SIM_VF_SW_FLAG(0)) / 4];
	case XE_SRIOV_SIM_MED_VF_SW_FLAG(0) ...
	     XE_SRIOV_SIM_MED_VF_SW_FLAG(XE_SRIOV_SIM_VF_SW_FLAG_COUNT - 1):
		return vf->gt[XE_SRIOV_SIM_GT_MEDIA]
			.sw_flag[(reg - XE_SRIOV_SIM_MED_VF_SW_FLAG(0)) / 4];
	case XE_SRIOV_SIM_ENGINE_REG_FIRST ... XE_SRIOV_SIM_ENGINE_REG_LAST:
		return xe_sriov_sim_engine_reg_read(vf, reg);
	default:
		return 0;
	}
}

static void reg_write(struct xe_sriov_sim_vf *vf, u32 reg, u32 val)
{
	switch (reg) {
	case XE_SRIOV_SIM_GUC_HOST_INTERRUPT:
		xe_sriov_sim_guc_notify(vf, XE_SRIOV_SIM_GT_PRIMARY);
		break;
	case XE_SRIOV_SIM_MED_GUC_HOST_INTERRUPT:
		xe_sriov_sim_guc_notify(vf, XE_SRIOV_SIM_GT_MEDIA);
		break;
	case XE_SRIOV_SIM_VF_IRQ_STATUS:
		vf->irq_status &= ~val;
		break;
	case XE_SRIOV_SIM_VF_SW_FLAG(0) ...
	     XE_SRIOV_SIM_VF_SW_FLAG(XE_SRIOV_SIM_VF_SW_FLAG_COUNT - 1):
		vf->gt[XE_SRIOV_SIM_GT_PRIMARY]
			.sw_flag[(reg - XE_SRIOV_SIM_VF_SW_FLAG(0)) / 4] = val;
		break;
	case XE_SRIOV_SIM_MED_VF_SW_FLAG(0) ...
	     XE_SRIOV_SIM_MED_VF_SW_FLAG(XE_SRIOV_SIM_VF_SW_FLAG_COUNT - 1):
		vf->gt[XE_SRIOV_SIM_GT_MEDIA]
			.sw_flag[(reg - XE_SRIOV_SIM_MED_VF_SW_FLAG(0)) / 4] = val;
		break;
	case XE_SRIOV_SIM_ENGINE_REG_FIRST ... XE_SRIOV_SIM_ENGINE_REG_LAST:
		xe_sriov_sim_engine_reg_write(vf, reg, val);
		break;
	default:
		break;
	}
}

static bool in_window(u64 off)
{
	return off >= XE_SRIOV_SIM_GGTT_WINDOW &&
	       off < XE_SRIOV_SIM_GGTT_WINDOW + XE_SRIOV_SIM_GGTT_WINDOW_SIZE;
}

static int access_one(struct xe_sriov_sim_vf *vf, u64 off, unsigned int size,
		      u64 *val, bool write)
{
	if (in_window(off)) {
		off -= XE_SRIOV_SIM_GGTT_WINDOW;
		if (write)
			return xe_sriov_sim_ggtt_window_write(vf, off, size, *val);
		return xe_sriov_sim_ggtt_window_read(vf, off, size, val);
	}

	if (size != 4)
		return -EINVAL;
	if (write)
		reg_write(vf, off, *val);
	else
		*val = reg_read(vf, off);
	return 0;
}

/**
 * xe_sriov_sim_mmio_rw() - read or write BAR0 from user space
 * @vf: the VF
 * @buf: user buffer
 * @count: bytes; a multiple of 4
 * @off: offset in BAR0; 4-byte aligned
 * @write: direction
 *
 * Return: @count, or -EINVAL / -EFAULT. Accesses done before an error
 * stay done.
 */
ssize_t xe_sriov_sim_mmio_rw(struct xe_sriov_sim_vf *vf, char __user *buf,
			     size_t count, u64 off, bool write)
{
	size_t done = 0;
	int ret = 0;

	if (off >= XE_SRIOV_SIM_BAR0_SIZE ||
	    count > XE_SRIOV_SIM_BAR0_SIZE - off ||
	    !IS_ALIGNED(off, 4) || !IS_ALIGNED(count, 4))
		return -EINVAL;

	while (done < count) {
		u64 pos = off + done;
		unsigned int size = 4;
		u64 val = 0;

		if (in_window(pos) && IS_ALIGNED(pos, 8) && count - done >= 8)
			size = 8;

		if (write && copy_from_user(&val, buf + done, size))
			return -EFAULT;
		val = le64_to_cpu((__force __le64)val);

		mutex_lock(&vf->state_lock);
		ret = access_one(vf, pos, size, &val, write);
		mutex_unlock(&vf->state_lock);
		if (ret)
			return ret;

		val = (__force u64)cpu_to_le64(val);
		if (!write && copy_to_user(buf + done, &val, size))
			return -EFAULT;
		done += size;
	}
	return done;
}

/**
 * xe_sriov_sim_mmio_reset() - the register side of an FLR
 * @vf: the VF; the caller holds its state_lock
 *
 * Clears VF_SW_FLAG(0..3) and MED_VF_SW_FLAG(0..3) (xe's FLR_RESET_MMIO)
 * and the interrupt status.
 */
void xe_sriov_sim_mmio_reset(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_gt *gt;

	lockdep_assert_held(&vf->state_lock);
	for_each_sim_gt(gt, vf)
		memset(gt->sw_flag, 0, sizeof(gt->sw_flag));
	vf->irq_status = 0;
}

/**
 * xe_sriov_sim_mmio_save() - a GT's MMIO packet payload
 * @vf: the VF
 * @gt_id: the GT
 * @buf: XE_SRIOV_MMIO_PAYLOAD_SIZE bytes: VF_SW_FLAG(0..3) (media GT:
 *	MED_VF_SW_FLAG(0..3)), little endian, as xe's pf_migration_mmio_save()
 */
void xe_sriov_sim_mmio_save(struct xe_sriov_sim_vf *vf, unsigned int gt_id,
			    void *buf)
{
	__le32 *p = buf;
	unsigned int i;

	lockdep_assert_held(&vf->state_lock);
	for (i = 0; i < XE_SRIOV_SIM_VF_SW_FLAG_COUNT; i++)
		p[i] = cpu_to_le32(vf->gt[gt_id].sw_flag[i]);
}

/**
 * xe_sriov_sim_mmio_restore() - load a GT's MMIO packet payload
 * @vf: the VF
 * @gt_id: the GT
 * @buf: XE_SRIOV_MMIO_PAYLOAD_SIZE bytes
 *
 * Only the registers: the GuC is not notified, as on hardware.
 */
void xe_sriov_sim_mmio_restore(struct xe_sriov_sim_vf *vf, unsigned int gt_id,
			       const void *buf)
{
	const __le32 *p = buf;
	unsigned int i;

	lockdep_assert_held(&vf->state_lock);
	for (i = 0; i < XE_SRIOV_SIM_VF_SW_FLAG_COUNT; i++)
		vf->gt[gt_id].sw_flag[i] = le32_to_cpu(p[i]);
}
