// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * MSI eventfd plus VF_IRQ_STATUS. The register is the truth: an MSI may
 * have fired before the wait began (its eventfd count is just drained),
 * and one MSI may stand for several bits.
 */
#include <errno.h>
#include <linux/vfio.h>
#include <time.h>
#include <unistd.h>

#include "uapi/xe_sriov_sim_regs.h"
#include "vf_io.h"
#include "vf_irq.h"

int vf_irq_open(struct vfio_dev *dev)
{
	return vfio_dev_irq_eventfd(dev, VFIO_PCI_MSI_IRQ_INDEX);
}

void vf_irq_close(struct vfio_dev *dev, int efd)
{
	if (efd < 0)
		return;
	vfio_dev_irq_disable(dev, VFIO_PCI_MSI_IRQ_INDEX);
	close(efd);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

int vf_irq_wait_io(const struct vf_io *io, uint32_t bits, unsigned int timeout_ms,
		   uint32_t *status)
{
	int64_t deadline = now_ms() + timeout_ms;
	uint32_t st = 0;
	int err;

	for (;;) {
		int64_t left = deadline - now_ms();

		err = vf_io_read32(io, XE_SRIOV_SIM_VF_IRQ_STATUS, &st);
		if (err)
			return err;
		if (st & bits)
			break;
		if (left <= 0)
			return -ETIMEDOUT;
		err = io->ops->irq_wait(io, (unsigned int)left);
		if (err < 0)
			return err;
	}
	if (status)
		*status = st;
	return vf_io_write32(io, XE_SRIOV_SIM_VF_IRQ_STATUS, st & bits);
}

int vf_irq_wait_all_io(const struct vf_io *io, uint32_t bits, unsigned int timeout_ms,
		       uint32_t *seen)
{
	int64_t deadline = now_ms() + timeout_ms;
	uint32_t got = 0;
	int err = 0;

	while (!err && (got & bits) != bits) {
		int64_t left = deadline - now_ms();
		uint32_t st = 0;

		err = left > 0 ? vf_irq_wait_io(io, bits & ~got, (unsigned int)left, &st) :
				 -ETIMEDOUT;
		got |= st & bits;
	}
	if (seen)
		*seen = got;
	return err;
}

const uint32_t VF_IRQ_MIGRATED_PRIMARY = XE_SRIOV_SIM_VF_IRQ_MIGRATED;
const uint32_t VF_IRQ_MIGRATED_ALL = XE_SRIOV_SIM_VF_IRQ_MIGRATED |
				     XE_SRIOV_SIM_VF_IRQ_MIGRATED_MEDIA;

int vf_irq_status(struct vfio_dev *dev, uint32_t *status)
{
	return vfio_dev_read32(dev, XE_SRIOV_SIM_BAR_MMIO, XE_SRIOV_SIM_VF_IRQ_STATUS, status);
}

int vf_irq_ack(struct vfio_dev *dev, uint32_t bits)
{
	return vfio_dev_write32(dev, XE_SRIOV_SIM_BAR_MMIO, XE_SRIOV_SIM_VF_IRQ_STATUS, bits);
}

int vf_irq_wait(struct vfio_dev *dev, int efd, uint32_t bits, unsigned int timeout_ms,
		uint32_t *status)
{
	struct vf_io io = vf_io_vfio(dev, efd);

	return vf_irq_wait_io(&io, bits, timeout_ms, status);
}

int vf_irq_wait_all(struct vfio_dev *dev, int efd, uint32_t bits, unsigned int timeout_ms,
		    uint32_t *seen)
{
	struct vf_io io = vf_io_vfio(dev, efd);

	return vf_irq_wait_all_io(&io, bits, timeout_ms, seen);
}
