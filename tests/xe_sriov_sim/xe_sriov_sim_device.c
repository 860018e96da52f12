// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_sim_device
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: xe_sriov_sim device model
 * Description: The VF device xe_sriov_sim presents through VFIO, as QEMU's
 *	vfio-pci and the VF driver see it: regions and IRQ indexes, PCI
 *	config space and what an FLR does to it, the BAR0 registers and the
 *	GGTT PTE window, BAR2 LMEM through read/write and mmap, the MSI, and
 *	the GuC MMIO mailbox with its errors and its behaviour while the VF
 *	is paused or stopped. Values are the sim's model of an xe VF (BAR0
 *	16 MiB, one MSI vector, xe's register offsets); needs xe_sriov_sim
 *	(skips on xe).
 *
 * SUBTEST: regions
 * Run type: BAT
 * Description: BAR0 is 16 MiB without mmap; BAR2 is the LMEM rounded up
 *	to a power of two, mmap-able, with a sparse mmap capability (one
 *	area, the LMEM) exactly when it is larger than the LMEM; BARs 1, 3,
 *	4, 5, ROM and VGA are absent; no INTx, no error IRQ index (EINVAL),
 *	one MSI vector with eventfd.
 *
 * SUBTEST: config-space
 * Run type: BAT
 * Description: Config space reads whole: capability list with MSI alone
 *	(64-bit, one vector, no masking), BAR0 64-bit and BAR2 64-bit
 *	prefetchable, both unassigned, no INTx pin. BAR sizing returns the
 *	region sizes; BAR4 and ROM read 0 after all-ones; BAR0 keeps an
 *	aligned address; only memory and bus master are writable in the
 *	command register; the vendor id is read-only; MSI address, data and
 *	enable are writable, the rest read-only; a write past 256 bytes is
 *	EINVAL. An FLR clears command, BARs and MSI.
 *
 * SUBTEST: bar0
 * Run type: BAT
 * Description: VF_CAP_REG reads 1; VF_SW_FLAG(0..3) keep what is written;
 *	an unclaimed register reads 0; unaligned or 2-byte accesses are
 *	EINVAL. The PTE window: a fresh PTE holds only the VF id; a write
 *	gets the VF id forced in, a 4-byte write sets the low half; accesses
 *	past the slice are EINVAL, its last PTE is readable.
 *
 * SUBTEST: bar2
 * Run type: BAT
 * Description: LMEM written with pwrite is what a shared mmap sees, and
 *	writes through the mapping are what pread sees; a private mapping
 *	and a mapping past the LMEM are refused; the BAR's tail past the
 *	LMEM reads 0 and takes writes; a read past the BAR is EINVAL.
 *
 * SUBTEST: msi
 * Run type: BAT
 * Description: VFIO_DEVICE_SET_IRQS with DATA_NONE triggers the MSI
 *	eventfd once (the loopback QEMU uses); no VF interrupt is pending.
 *
 * SUBTEST: mailbox
 * Run type: BAT
 * Description: QUERY_SINGLE_KLV answers the provisioning the PF shows in
 *	debugfs (GGTT start and size, LMEM size: 2 dwords; contexts: 1);
 *	an unknown key is INVALID_KLV_KEY, an unknown action
 *	UNKNOWN_ACTION, a request with the GuC origin bit PROTOCOL,
 *	RESFIX_START/DONE on a running VF INVALID_STATE. A request sent
 *	while the PF has the VF paused or stopped stays unanswered; after
 *	the resume, or an FLR of the stopped VF, requests are answered.
 */

#include <errno.h>
#include <inttypes.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "pf_backend.h"
#include "sriov_fixture.h"
#include "sysfs_util.h"
#include "uapi/xe_sriov_sim.h"
#include "uapi/xe_sriov_sim_regs.h"
#include "vf_guc.h"
#include "vfio_dev.h"

IGT_TEST_DESCRIPTION("The VF device of xe_sriov_sim: regions, config space, BARs, MSI, mailbox.");

#define MMIO	XE_SRIOV_SIM_BAR_MMIO
#define LMEM	XE_SRIOV_SIM_BAR_LMEM
#define CFG	VFIO_PCI_CONFIG_REGION_INDEX

static struct sriov_fixture fx;
static struct sriov_vf *vf;
static struct vfio_dev *dev;

static uint64_t pow2_roundup(uint64_t x)
{
	uint64_t p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

static uint64_t bar2_size(void)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri) };

	igt_assert_eq(vfio_dev_get_region_info(dev, LMEM, &ri), 0);
	return ri.size;
}

static uint64_t region_base(unsigned int index)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri) };

	igt_assert_eq(vfio_dev_get_region_info(dev, index, &ri), 0);
	return ri.offset;
}

/*
 * pread/pwrite at off of a region without vfio_dev's bounds check, so the
 * device's own answer to an access past the region is seen. 0 or -errno.
 */
static int raw_io(unsigned int index, uint64_t off, void *buf, size_t len, bool write)
{
	uint64_t pos = region_base(index) + off;
	ssize_t n = write ? pwrite(dev->fd, buf, len, pos) : pread(dev->fd, buf, len, pos);

	return n < 0 ? -errno : (size_t)n == len ? 0 : -EIO;
}

static uint32_t rd(uint32_t reg)
{
	uint32_t val = 0xdeadbeef;

	igt_assert_eq(vfio_dev_read32(dev, MMIO, reg, &val), 0);
	return val;
}

static void wr(uint32_t reg, uint32_t val)
{
	igt_assert_eq(vfio_dev_write32(dev, MMIO, reg, val), 0);
}

/* ---- regions ---- */

static void regions(void)
{
	static const unsigned int absent[] = {
		1, 3, 4, 5, VFIO_PCI_ROM_REGION_INDEX, VFIO_PCI_VGA_REGION_INDEX,
	};
	struct {
		struct vfio_region_info info;
		struct vfio_region_info_cap_sparse_mmap sparse;
		struct vfio_region_sparse_mmap_area area;
	} big = { .info.argsz = sizeof(big), .info.index = LMEM };
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	struct vfio_irq_info ii = { .argsz = sizeof(ii) };
	uint64_t lmem = vf->cfg.lmem_size, bar2 = pow2_roundup(lmem);

	igt_assert_eq(vfio_dev_get_region_info(dev, MMIO, &ri), 0);
	igt_assert_eq_u64(ri.size, XE_SRIOV_SIM_BAR0_SIZE);
	igt_assert_f(!(ri.flags & VFIO_REGION_INFO_FLAG_MMAP), "BAR0 offers mmap\n");
	igt_assert_eq(vfio_dev_get_region_info(dev, LMEM, &ri), 0);
	igt_assert_f(ri.size == bar2 && (ri.flags & VFIO_REGION_INFO_FLAG_MMAP),
		     "BAR2: %#llx bytes, flags %#x; expected %#" PRIx64 " (LMEM %#" PRIx64
		     " rounded up), mmap\n", (unsigned long long)ri.size, ri.flags, bar2, lmem);
	igt_assert_eq(ioctl(dev->fd, VFIO_DEVICE_GET_REGION_INFO, &big.info), 0);
	if (bar2 == lmem)
		igt_assert_f(!(big.info.flags & VFIO_REGION_INFO_FLAG_CAPS),
			     "a sparse mmap capability on a BAR2 the LMEM fills\n");
	else
		igt_assert_f((big.info.flags & VFIO_REGION_INFO_FLAG_CAPS) &&
			     big.info.cap_offset == sizeof(big.info) &&
			     big.sparse.header.id == VFIO_REGION_INFO_CAP_SPARSE_MMAP &&
			     big.sparse.nr_areas == 1 && big.area.offset == 0 &&
			     big.area.size == lmem,
			     "BAR2 larger than the LMEM: no sparse mmap area of the LMEM\n");
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		igt_assert_eq(vfio_dev_get_region_info(dev, absent[i], &ri), 0);
		igt_assert_f(!ri.size, "region %u has %llu bytes\n", absent[i],
			     (unsigned long long)ri.size);
	}
	ii.index = VFIO_PCI_ERR_IRQ_INDEX;
	igt_assert_f(ioctl(dev->fd, VFIO_DEVICE_GET_IRQ_INFO, &ii) && errno == EINVAL,
		     "an error IRQ index (vfio-pci has none without PCIe)\n");
	ii.index = VFIO_PCI_INTX_IRQ_INDEX;
	igt_assert_eq(ioctl(dev->fd, VFIO_DEVICE_GET_IRQ_INFO, &ii), 0);
	igt_assert_eq_u32(ii.count, 0);
	ii.index = VFIO_PCI_MSI_IRQ_INDEX;
	igt_assert_eq(ioctl(dev->fd, VFIO_DEVICE_GET_IRQ_INFO, &ii), 0);
	igt_assert_f(ii.count == 1 && (ii.flags & VFIO_IRQ_INFO_EVENTFD),
		     "MSI: %u vectors, flags %#x; expected one eventfd vector\n", ii.count,
		     ii.flags);
}

/* ---- config space ---- */

static uint32_t cfg_rd(unsigned int off, unsigned int size)
{
	uint32_t val = 0;

	igt_assert_eq(vfio_dev_region_read(dev, CFG, off, &val, size), 0);
	return val;
}

static void cfg_wr(unsigned int off, unsigned int size, uint32_t val)
{
	igt_assert_eq(vfio_dev_region_write(dev, CFG, off, &val, size), 0);
}

/* All-ones into a 64-bit BAR pair, read back, 0 again. */
static uint64_t size_bar(unsigned int bar)
{
	uint64_t got;

	cfg_wr(bar, 4, 0xffffffff);
	cfg_wr(bar + 4, 4, 0xffffffff);
	got = cfg_rd(bar, 4) | (uint64_t)cfg_rd(bar + 4, 4) << 32;
	cfg_wr(bar, 4, 0);
	cfg_wr(bar + 4, 4, 0);
	return got;
}

static void config_space(void)
{
	uint64_t bar2 = pow2_roundup(vf->cfg.lmem_size);
	uint8_t cfg[256];
	unsigned int msi;

	igt_assert_eq(vfio_dev_reset(dev), 0);
	igt_assert_eq(vfio_dev_region_read(dev, CFG, 0, cfg, sizeof(cfg)), 0);
	igt_assert(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST);
	igt_assert_eq(cfg[PCI_BASE_ADDRESS_0], PCI_BASE_ADDRESS_MEM_TYPE_64);
	igt_assert_eq(cfg[PCI_BASE_ADDRESS_2],
		      PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH);
	igt_assert_eq(cfg[PCI_INTERRUPT_PIN], 0);
	msi = cfg[PCI_CAPABILITY_LIST];
	igt_assert_f(msi >= 0x40 && msi < 0xf0 && cfg[msi] == PCI_CAP_ID_MSI && !cfg[msi + 1],
		     "capability list: %#x at %#x, expected MSI alone\n",
		     msi < 0xf0 ? cfg[msi] : 0, msi);
	igt_assert_f((cfg[msi + PCI_MSI_FLAGS] & PCI_MSI_FLAGS_64BIT) &&
		     !(cfg[msi + PCI_MSI_FLAGS] & (PCI_MSI_FLAGS_QMASK | PCI_MSI_FLAGS_MASKBIT)),
		     "MSI flags %#x: want 64-bit, one vector, no masking\n",
		     cfg[msi + PCI_MSI_FLAGS]);

	igt_assert_eq_u64(size_bar(PCI_BASE_ADDRESS_0),
			  ~(uint64_t)(XE_SRIOV_SIM_BAR0_SIZE - 1) | PCI_BASE_ADDRESS_MEM_TYPE_64);
	igt_assert_eq_u64(size_bar(PCI_BASE_ADDRESS_2),
			  ~(bar2 - 1) | PCI_BASE_ADDRESS_MEM_TYPE_64 |
			  PCI_BASE_ADDRESS_MEM_PREFETCH);
	cfg_wr(PCI_BASE_ADDRESS_4, 4, 0xffffffff);
	cfg_wr(PCI_ROM_ADDRESS, 4, 0xffffffff);
	igt_assert_eq_u32(cfg_rd(PCI_BASE_ADDRESS_4, 4), 0);
	igt_assert_eq_u32(cfg_rd(PCI_ROM_ADDRESS, 4), 0);
	cfg_wr(PCI_BASE_ADDRESS_0, 4, 0xe1234567);
	cfg_wr(PCI_BASE_ADDRESS_1, 4, 0x1);
	igt_assert_eq_u32(cfg_rd(PCI_BASE_ADDRESS_0, 4), 0xe1000004);
	igt_assert_eq_u32(cfg_rd(PCI_BASE_ADDRESS_1, 4), 1);
	cfg_wr(PCI_COMMAND, 2, 0xffff);
	igt_assert_eq_u32(cfg_rd(PCI_COMMAND, 2), PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	cfg_wr(PCI_VENDOR_ID, 4, 0);
	igt_assert_eq_u32(cfg_rd(PCI_VENDOR_ID, 2), XE_SRIOV_SIM_VENDOR_ID);
	cfg_wr(msi + PCI_MSI_ADDRESS_LO, 4, 0xffffffff);
	cfg_wr(msi + PCI_MSI_ADDRESS_HI, 4, 0x12345678);
	cfg_wr(msi + PCI_MSI_DATA_64, 2, 0xabcd);
	cfg_wr(msi + PCI_MSI_FLAGS, 2, 0xffff);
	igt_assert_eq_u32(cfg_rd(msi + PCI_MSI_ADDRESS_LO, 4), 0xfffffffc);
	igt_assert_eq_u32(cfg_rd(msi + PCI_MSI_ADDRESS_HI, 4), 0x12345678);
	igt_assert_eq_u32(cfg_rd(msi + PCI_MSI_DATA_64, 2), 0xabcd);
	igt_assert_eq_u32(cfg_rd(msi + PCI_MSI_FLAGS, 2),
			  PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_ENABLE);
	igt_assert_eq(raw_io(CFG, 254, cfg, 4, true), -EINVAL);

	igt_assert_eq(vfio_dev_reset(dev), 0);
	igt_assert_eq_u32(cfg_rd(PCI_COMMAND, 2), 0);
	igt_assert_eq_u32(cfg_rd(PCI_BASE_ADDRESS_0, 4), PCI_BASE_ADDRESS_MEM_TYPE_64);
	igt_assert_eq_u32(cfg_rd(PCI_BASE_ADDRESS_1, 4), 0);
	igt_assert_f(!(cfg_rd(msi + PCI_MSI_FLAGS, 2) & PCI_MSI_FLAGS_ENABLE) &&
		     !cfg_rd(msi + PCI_MSI_ADDRESS_LO, 4), "FLR left the MSI set up\n");
}

/* ---- BAR0 ---- */

static uint64_t pte_rd(size_t i)
{
	uint64_t pte = 0;

	igt_assert_eq(vfio_dev_region_read(dev, MMIO, XE_SRIOV_SIM_GGTT_WINDOW + 8 * i, &pte,
					   8), 0);
	return pte;
}

static void bar0(void)
{
	size_t ptes = sriov_vf_n_ptes(vf);
	uint64_t id = (uint64_t)vf->vf.vf_id << XE_SRIOV_SIM_PTE_VFID_SHIFT, val64;
	uint32_t val;

	igt_assert_eq(vfio_dev_reset(dev), 0);
	igt_assert_eq_u32(rd(XE_SRIOV_SIM_VF_CAP_REG), 1);
	for (int i = 0; i < XE_SRIOV_SIM_VF_SW_FLAG_COUNT; i++)
		wr(XE_SRIOV_SIM_VF_SW_FLAG(i), 0x1000 + i);
	for (int i = 0; i < XE_SRIOV_SIM_VF_SW_FLAG_COUNT; i++)
		igt_assert_eq_u32(rd(XE_SRIOV_SIM_VF_SW_FLAG(i)), 0x1000 + i);
	igt_assert_eq_u32(rd(0x100000), 0);
	igt_assert_eq(vfio_dev_region_read(dev, MMIO, XE_SRIOV_SIM_VF_SW_FLAG(0) + 1, &val, 4),
		      -EINVAL);
	igt_assert_eq(vfio_dev_region_read(dev, MMIO, XE_SRIOV_SIM_VF_SW_FLAG(0), &val, 2),
		      -EINVAL);

	igt_assert_f(pte_rd(0) == id, "fresh PTE %#" PRIx64 ", expected only the VF id\n",
		     pte_rd(0));
	val64 = 0x5000 | XE_SRIOV_SIM_PTE_VALID | XE_SRIOV_SIM_PTE_VFID_MASK;
	igt_assert_eq(vfio_dev_region_write(dev, MMIO, XE_SRIOV_SIM_GGTT_WINDOW + 8, &val64, 8),
		      0);
	igt_assert_f(pte_rd(1) == (0x5000 | XE_SRIOV_SIM_PTE_VALID | id),
		     "PTE write: %#" PRIx64 ", the VF id not forced\n", pte_rd(1));
	val = 0x7001;
	igt_assert_eq(vfio_dev_region_write(dev, MMIO, XE_SRIOV_SIM_GGTT_WINDOW + 16, &val, 4),
		      0);
	igt_assert_eq_u64(pte_rd(2), 0x7001 | id);
	igt_assert_eq(vfio_dev_region_write(dev, MMIO, XE_SRIOV_SIM_GGTT_WINDOW + 8 * ptes,
					    &val64, 8), -EINVAL);
	igt_assert_eq(vfio_dev_region_read(dev, MMIO, XE_SRIOV_SIM_GGTT_WINDOW + 8 * ptes,
					   &val64, 8), -EINVAL);
	igt_assert_eq(vfio_dev_region_read(dev, MMIO, XE_SRIOV_SIM_GGTT_WINDOW + 8 * (ptes - 1),
					   &val64, 8), 0);
	igt_assert_eq(vfio_dev_reset(dev), 0);
}

/* ---- BAR2 ---- */

static void bar2(void)
{
	size_t n = vf->cfg.lmem_size;
	uint64_t size = bar2_size(), off = region_base(LMEM);
	uint8_t *buf = malloc(n), *map, tail[8];

	igt_assert(buf);
	igt_assert_eq(vfio_dev_reset(dev), 0);
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 11);
	igt_assert_eq(vfio_dev_region_write(dev, LMEM, 0, buf, n), 0);
	map = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd, off);
	igt_assert_f(map != MAP_FAILED, "shared mmap of the LMEM: %m\n");
	igt_assert_f(!memcmp(map, buf, n), "the mapping does not see what pwrite wrote\n");
	map[n - 1] ^= 0xff;
	map[4096] ^= 0x5a;
	buf[n - 1] ^= 0xff;
	buf[4096] ^= 0x5a;
	memset(buf + 4096 - 4, 0, 8);
	igt_assert_eq(vfio_dev_region_read(dev, LMEM, 4096 - 4, buf + 4096 - 4, 8), 0);
	igt_assert_eq(vfio_dev_region_read(dev, LMEM, n - 1, buf + n - 1, 1), 0);
	igt_assert_f(!memcmp(buf, map, n), "pread does not see the mapping's writes\n");
	munmap(map, n);
	map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, dev->fd, off);
	igt_assert_f(map == MAP_FAILED, "a private mapping of BAR2 was allowed\n");
	map = mmap(NULL, 8192, PROT_READ, MAP_SHARED, dev->fd, off + n - 4096);
	igt_assert_f(map == MAP_FAILED, "a mapping past the LMEM was allowed\n");
	if (size > n) {
		memset(tail, 0xff, sizeof(tail));
		igt_assert_eq(vfio_dev_region_read(dev, LMEM, n, tail, 8), 0);
		igt_assert_f(!tail[0] && !tail[7], "BAR2 past the LMEM does not read 0\n");
		igt_assert_eq(vfio_dev_region_write(dev, LMEM, n, tail, 8), 0);
	}
	igt_assert_eq(raw_io(LMEM, size - 4, tail, 8, false), -EINVAL);
	free(buf);
	igt_assert_eq(vfio_dev_reset(dev), 0);
}

/* ---- MSI ---- */

static void msi(void)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = VFIO_PCI_MSI_IRQ_INDEX,
		.count = 1,
	};
	int efd = vfio_dev_irq_eventfd(dev, VFIO_PCI_MSI_IRQ_INDEX);
	uint64_t n = 0;

	igt_assert_f(efd >= 0, "MSI eventfd: %s\n", strerror(-efd));
	igt_assert_eq(ioctl(dev->fd, VFIO_DEVICE_SET_IRQS, &set), 0);
	igt_assert_eq(read(efd, &n, sizeof(n)), (int)sizeof(n));
	igt_assert_eq_u64(n, 1);
	igt_assert_eq_u32(rd(XE_SRIOV_SIM_VF_IRQ_STATUS), 0);
	igt_assert_eq(vfio_dev_irq_disable(dev, VFIO_PCI_MSI_IRQ_INDEX), 0);
	close(efd);
}

/* ---- mailbox ---- */

static uint32_t req(uint32_t action, uint32_t data0)
{
	return (XE_SRIOV_SIM_HXG_TYPE_REQUEST << XE_SRIOV_SIM_HXG_TYPE_SHIFT) |
	       (data0 << XE_SRIOV_SIM_HXG_DATA0_SHIFT) | action;
}

/* One request; the GuC error code, or 0 for a success. */
static uint32_t guc_error_of(uint32_t dw0, uint32_t dw1)
{
	uint32_t r[2] = { dw0, dw1 }, reply[4], error = 0;
	int ret = vf_guc_send(dev, XE_SRIOV_SIM_GT_PRIMARY, r, 2, reply, &error);

	igt_assert_f(ret >= 0 || ret == -EIO || ret == -EREMCHG,
		     "request %#x %#x: %s\n", dw0, dw1, strerror(-ret));
	return ret >= 0 ? 0 : error;
}

static uint64_t klv(uint16_t key, unsigned int *len)
{
	uint32_t r[2] = { req(XE_SRIOV_SIM_VF2GUC_QUERY_SINGLE_KLV, 0), key };
	uint32_t reply[4];
	int ret = vf_guc_send(dev, XE_SRIOV_SIM_GT_PRIMARY, r, 2, reply, NULL);

	igt_assert_f(ret >= 0, "QUERY_SINGLE_KLV %#x: %s\n", key, strerror(-ret));
	*len = ret & XE_SRIOV_SIM_KLV_QUERY_LEN_MASK;
	return reply[1] | (*len == 2 ? (uint64_t)reply[2] << 32 : 0);
}

/* A QUERY of GGTT_SIZE; 0 when answered, or vf_guc_send's -errno. */
static int pending_send(void)
{
	uint32_t r[2] = { req(XE_SRIOV_SIM_VF2GUC_QUERY_SINGLE_KLV, 0),
			  XE_SRIOV_SIM_KLV_VF_CFG_GGTT_SIZE };
	uint32_t reply[4];
	int ret = vf_guc_send(dev, XE_SRIOV_SIM_GT_PRIMARY, r, 2, reply, NULL);

	return ret < 0 ? ret : 0;
}

static void mailbox(void)
{
	struct pf_vf_config pc;
	unsigned int len;
	uint64_t q;

	igt_assert_eq(vfio_dev_reset(dev), 0);
	igt_assert_eq(fx.ops->vf_config(&vf->vf, &pc), 0);
	q = klv(XE_SRIOV_SIM_KLV_VF_CFG_GGTT_START, &len);
	igt_assert_f(q == pc.ggtt_start && len == 2, "GGTT_START %#" PRIx64 " (%u dwords)\n", q,
		     len);
	q = klv(XE_SRIOV_SIM_KLV_VF_CFG_GGTT_SIZE, &len);
	igt_assert_f(q == pc.ggtt_size && len == 2, "GGTT_SIZE %#" PRIx64 " (%u dwords)\n", q,
		     len);
	q = klv(XE_SRIOV_SIM_KLV_VF_CFG_LMEM_SIZE, &len);
	igt_assert_f(q == pc.lmem_size && len == 2, "LMEM_SIZE %#" PRIx64 " (%u dwords)\n", q,
		     len);
	q = klv(XE_SRIOV_SIM_KLV_VF_CFG_NUM_CONTEXTS, &len);
	igt_assert_f(q == pc.num_ctxs && len == 1, "NUM_CONTEXTS %" PRIu64 " (%u dwords)\n", q,
		     len);
	igt_assert_eq_u32(guc_error_of(req(XE_SRIOV_SIM_VF2GUC_QUERY_SINGLE_KLV, 0), 0x42),
			  XE_SRIOV_SIM_GUC_ERR_INVALID_KLV_KEY);
	igt_assert_eq_u32(guc_error_of(req(0x1234, 0), 0), XE_SRIOV_SIM_GUC_ERR_UNKNOWN_ACTION);
	igt_assert_eq_u32(guc_error_of(1u << XE_SRIOV_SIM_HXG_ORIGIN_SHIFT, 0),
			  XE_SRIOV_SIM_GUC_ERR_PROTOCOL);
	igt_assert_eq_u32(guc_error_of(req(XE_SRIOV_SIM_VF2GUC_RESFIX_START, 5), 0),
			  XE_SRIOV_SIM_GUC_ERR_INVALID_STATE);
	igt_assert_eq_u32(guc_error_of(req(XE_SRIOV_SIM_VF2GUC_RESFIX_DONE, 5), 0),
			  XE_SRIOV_SIM_GUC_ERR_INVALID_STATE);

	/*
	 * Paused or stopped: a request stays unanswered (vf_guc_send sees the
	 * send bit still set: EBUSY). Resume, or an FLR of the stopped VF,
	 * and requests are answered again.
	 */
	igt_assert_eq(pf_vf_control(&vf->vf, PF_VF_PAUSE), 0);
	igt_assert_eq(pending_send(), -EBUSY);
	igt_assert_eq(pf_vf_control(&vf->vf, PF_VF_RESUME), 0);
	q = klv(XE_SRIOV_SIM_KLV_VF_CFG_GGTT_SIZE, &len);
	igt_assert_eq_u64(q, pc.ggtt_size);
	igt_assert_eq(pf_vf_control(&vf->vf, PF_VF_STOP), 0);
	igt_assert_eq(pending_send(), -EBUSY);
	usleep(10000);
	igt_assert_eq(pending_send(), -EBUSY);
	igt_assert_eq(vfio_dev_reset(dev), 0);
	q = klv(XE_SRIOV_SIM_KLV_VF_CFG_GGTT_SIZE, &len);
	igt_assert_eq_u64(q, pc.ggtt_size);
}

int igt_main()
{
	igt_fixture() {
		int err = sriov_fixture_init(&fx);

		igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
		sriov_require_cap(&fx, PF_CAP_SIM_VF_REGS | PF_CAP_SIM_DEBUGFS,
				  "the sim's VF device model");
		igt_require_f(!sriov_fixture_enable(&fx, 0, 1), "cannot enable a VF on %s\n",
			      fx.pfs[0].name);
		vf = &fx.vfs[0][0];
		dev = &vf->dev;
	}

	igt_describe("Regions and IRQ indexes as QEMU's vfio-pci probes them.");
	igt_subtest("regions")
		regions();

	igt_describe("PCI config space: capabilities, BAR sizing, write masks, FLR.");
	igt_subtest("config-space")
		config_space();

	igt_describe("BAR0 registers and the GGTT PTE window.");
	igt_subtest("bar0")
		bar0();

	igt_describe("BAR2: read/write and mmap agree; bad mappings refused.");
	igt_subtest("bar2")
		bar2();

	igt_describe("The MSI loopback trigger.");
	igt_subtest("msi")
		msi();

	igt_describe("The GuC mailbox: answers, errors, unanswered while paused or stopped.");
	igt_subtest("mailbox")
		mailbox();

	igt_fixture()
		sriov_fixture_disable(&fx, -1);
}
