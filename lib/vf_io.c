// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The two transports of vf_io.h.
 */
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "uapi/xe_sriov_sim_regs.h"
#include "vf_io.h"

/* ---- VFIO: today's code, the device fd and the MSI eventfd ---- */

static int vfio_mmio_read(const struct vf_io *io, uint64_t off, void *buf, size_t len)
{
	return vfio_dev_region_read(io->dev, XE_SRIOV_SIM_BAR_MMIO, off, buf, len);
}

static int vfio_mmio_write(const struct vf_io *io, uint64_t off, const void *buf, size_t len)
{
	return vfio_dev_region_write(io->dev, XE_SRIOV_SIM_BAR_MMIO, off, buf, len);
}

static int vfio_lmem_read(const struct vf_io *io, uint64_t off, void *buf, size_t len)
{
	return vfio_dev_region_read(io->dev, XE_SRIOV_SIM_BAR_LMEM, off, buf, len);
}

static int vfio_lmem_write(const struct vf_io *io, uint64_t off, const void *buf, size_t len)
{
	return vfio_dev_region_write(io->dev, XE_SRIOV_SIM_BAR_LMEM, off, buf, len);
}

static int vfio_irq_wait(const struct vf_io *io, unsigned int timeout_ms)
{
	struct pollfd p = { .fd = io->efd, .events = POLLIN };
	uint64_t count;
	int n;

	if (io->efd < 0) {
		usleep(timeout_ms * 1000);
		return 0;
	}
	n = poll(&p, 1, (int)timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	if (n && read(io->efd, &count, sizeof(count)) == sizeof(count))
		return 1;
	return 0;
}

const struct vf_io_ops vf_io_vfio_ops = {
	.name = "vfio",
	.mmio_read = vfio_mmio_read,
	.mmio_write = vfio_mmio_write,
	.lmem_read = vfio_lmem_read,
	.lmem_write = vfio_lmem_write,
	.irq_wait = vfio_irq_wait,
};

/* ---- qtest: the guest's view through QEMU ---- */

static int qt_err(int err)
{
	return err ? -EIO : 0;
}

static int qtest_mmio_read(const struct vf_io *io, uint64_t off, void *buf, size_t len)
{
	if (len == 4)
		return qt_err(qtest_readl(io->qt->qt, io->qt->bar0 + off, buf));
	return qt_err(qtest_memread(io->qt->qt, io->qt->bar0 + off, buf, len));
}

static int qtest_mmio_write(const struct vf_io *io, uint64_t off, const void *buf, size_t len)
{
	if (len == 4)
		return qt_err(qtest_writel(io->qt->qt, io->qt->bar0 + off,
					       *(const uint32_t *)buf));
	return qt_err(qtest_memwrite(io->qt->qt, io->qt->bar0 + off, buf, len));
}

static int qtest_lmem_read(const struct vf_io *io, uint64_t off, void *buf, size_t len)
{
	if (len == 4)
		return qt_err(qtest_readl(io->qt->qt, io->qt->bar2 + off, buf));
	return qt_err(qtest_memread(io->qt->qt, io->qt->bar2 + off, buf, len));
}

static int qtest_lmem_write(const struct vf_io *io, uint64_t off, const void *buf, size_t len)
{
	if (len == 4)
		return qt_err(qtest_writel(io->qt->qt, io->qt->bar2 + off,
					       *(const uint32_t *)buf));
	return qt_err(qtest_memwrite(io->qt->qt, io->qt->bar2 + off, buf, len));
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ll + ts.tv_nsec / 1000;
}

/*
 * The MSI is a memory write of msi_data to msi_addr in guest RAM: poll
 * that dword, and clear it once seen so the next MSI is its own.
 */
static int qtest_irq_wait(const struct vf_io *io, unsigned int timeout_ms)
{
	int64_t deadline = now_us() + timeout_ms * 1000ll;
	uint32_t v = 0;

	for (;;) {
		if (qtest_readl(io->qt->qt, io->qt->msi_addr, &v))
			return -EIO;
		if (v == io->qt->msi_data)
			return qtest_writel(io->qt->qt, io->qt->msi_addr, 0) ? -EIO : 1;
		if (now_us() >= deadline)
			return 0;
		usleep(200);
	}
}

const struct vf_io_ops vf_io_qtest_ops = {
	.name = "qtest",
	.mmio_read = qtest_mmio_read,
	.mmio_write = qtest_mmio_write,
	.lmem_read = qtest_lmem_read,
	.lmem_write = qtest_lmem_write,
	.irq_wait = qtest_irq_wait,
};
