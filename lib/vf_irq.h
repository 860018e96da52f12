/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The VF's interrupt as its driver takes it: one MSI vector (an eventfd
 * through VFIO) and the VF_IRQ_STATUS register behind it (MIGRATED of the
 * primary and of the media GT, USER, ERROR; write 1 to clear). On xe the
 * GuC's MIGRATED (GUC_INTR_SW_INT_0) reaches the VF through memirq; the
 * sim's MSI plus VF_IRQ_STATUS stand in for memirq.
 */
#ifndef XEMIG_VF_IRQ_H
#define XEMIG_VF_IRQ_H

#include <stdint.h>

#include "vfio_dev.h"

/* An eventfd on the VF's MSI. Returns it or -errno. */
int vf_irq_open(struct vfio_dev *dev);
/* Detach and close it. */
void vf_irq_close(struct vfio_dev *dev, int efd);

/*
 * Wait until VF_IRQ_STATUS has one of bits set (sleeping on the eventfd),
 * then clear those bits. *status (may be NULL) gets the whole register as
 * found. 0, -ETIMEDOUT or -errno.
 */
int vf_irq_wait(struct vfio_dev *dev, int efd, uint32_t bits, unsigned int timeout_ms,
		uint32_t *status);

/*
 * Wait until every one of bits has been seen in VF_IRQ_STATUS (they may
 * come one at a time, e.g. the MIGRATED bit of each GT), clearing each as
 * it is seen. *seen (may be NULL) gets the bits seen. 0, -ETIMEDOUT or
 * -errno.
 */
int vf_irq_wait_all(struct vfio_dev *dev, int efd, uint32_t bits, unsigned int timeout_ms,
		    uint32_t *seen);

/*
 * The sim's VF_IRQ_STATUS (PF_CAP_SIM_VF_REGS), for tests that keep no sim
 * header: VF_IRQ_MIGRATED_ALL is MIGRATED of both GTs. vf_irq_status()
 * reads it, vf_irq_ack() clears bits. 0 or -errno.
 */
extern const uint32_t VF_IRQ_MIGRATED_PRIMARY, VF_IRQ_MIGRATED_ALL;
int vf_irq_status(struct vfio_dev *dev, uint32_t *status);
int vf_irq_ack(struct vfio_dev *dev, uint32_t bits);

/* The same through any transport (vf_io.h): the MSI as io->ops->irq_wait sees it. */
struct vf_io;
int vf_irq_wait_io(const struct vf_io *io, uint32_t bits, unsigned int timeout_ms,
		   uint32_t *status);
int vf_irq_wait_all_io(const struct vf_io *io, uint32_t bits, unsigned int timeout_ms,
		       uint32_t *seen);

#endif
