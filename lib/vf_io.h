/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * How the VF driver model (vf_driver.h, vf_engine.h, vf_guc.h, vf_irq.h
 * and the workloads) reaches its VF: one ops table, two transports.
 *
 *   VFIO    the test process owns the VF: BAR0 and BAR2 through the
 *           device fd, LMEM mapped (io->lmem set), the MSI an eventfd
 *   qtest   a QEMU holds the VF (vfio-pci) and the test is the driver in
 *           its guest: BAR0 and BAR2 at the guest-physical addresses the
 *           guest assigned, through QEMU's qtest socket; the MSI is the
 *           write of its data to an address in guest RAM, polled there
 *
 * A transport without a CPU mapping of LMEM (qtest) gets a shadow copy in
 * the driver, synced at the points a driver on non-coherent memory would
 * flush or invalidate (vf_driver_lmem_flush / _fetch).
 */
#ifndef XEMIG_VF_IO_H
#define XEMIG_VF_IO_H

#include <stddef.h>
#include <stdint.h>

#include "qtest.h"
#include "vfio_dev.h"

struct vf_io;

struct vf_io_ops {
	const char *name;
	/* BAR0 (registers, GGTT window) and BAR2 (LMEM): 0 or -errno. */
	int (*mmio_read)(const struct vf_io *io, uint64_t off, void *buf, size_t len);
	int (*mmio_write)(const struct vf_io *io, uint64_t off, const void *buf, size_t len);
	int (*lmem_read)(const struct vf_io *io, uint64_t off, void *buf, size_t len);
	int (*lmem_write)(const struct vf_io *io, uint64_t off, const void *buf, size_t len);
	/*
	 * Sleep until the VF's MSI arrives (consumed) or timeout_ms pass:
	 * 1 woken by the MSI, 0 timed out, -errno. Without an MSI wired it
	 * just sleeps.
	 */
	int (*irq_wait)(const struct vf_io *io, unsigned int timeout_ms);
};

/* Where a qtest guest put its VF. */
struct vf_io_qtest {
	struct qtest *qt;
	uint64_t bar0, bar2;	/* guest-physical BAR addresses */
	uint64_t msi_addr;	/* guest RAM the MSI writes msi_data to */
	uint32_t msi_data;
};

struct vf_io {
	const struct vf_io_ops *ops;
	struct vfio_dev *dev;		/* VFIO: the device */
	int efd;			/* VFIO: the MSI eventfd; -1: waits poll */
	const struct vf_io_qtest *qt;	/* qtest: the guest */
};

extern const struct vf_io_ops vf_io_vfio_ops;
extern const struct vf_io_ops vf_io_qtest_ops;

static inline struct vf_io vf_io_vfio(struct vfio_dev *dev, int efd)
{
	return (struct vf_io){ .ops = &vf_io_vfio_ops, .dev = dev, .efd = efd };
}

static inline struct vf_io vf_io_qtest(const struct vf_io_qtest *qt)
{
	return (struct vf_io){ .ops = &vf_io_qtest_ops, .efd = -1, .qt = qt };
}

static inline int vf_io_read32(const struct vf_io *io, uint64_t off, uint32_t *val)
{
	return io->ops->mmio_read(io, off, val, sizeof(*val));
}

static inline int vf_io_write32(const struct vf_io *io, uint64_t off, uint32_t val)
{
	return io->ops->mmio_write(io, off, &val, sizeof(val));
}

#endif
