// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * xe_sriov_sim_selftest: checks of the xe_sriov_sim device model from user
 * space, through VFIO (group/container) and the PF debugfs. Run as root in
 * the sim VM with the module loaded:
 *
 *   xe_sriov_sim_selftest basic UUID          BARs, mailbox, PTE window, MSI
 *   xe_sriov_sim_selftest control UUID        pause/resume/stop/FLR errnos
 *   xe_sriov_sim_selftest migrate SRC DST     VFIO save of SRC, restore in DST
 *   xe_sriov_sim_selftest debugfs SRC DST     the same through PF debugfs
 *   xe_sriov_sim_selftest negative SRC DST    broken streams into DST
 *   xe_sriov_sim_selftest stress SRC DST SECS debugfs controls racing VFIO
 *                                             migrations into DST
 *   xe_sriov_sim_selftest fuzz SRC DST N      N randomly damaged streams
 *   xe_sriov_sim_selftest lifetime UUID       a data fd outliving the
 *                                             device (removes the VF)
 *   xe_sriov_sim_selftest engine UUID         the engine: commands, batches,
 *                                             pause, faults, random rings
 *   xe_sriov_sim_selftest migrate-busy SRC DST
 *                                             a spinning engine migrated,
 *                                             RESFIX fixups, exactly-once
 *   xe_sriov_sim_selftest engine-stress UUID SECS
 *                                             PF controls racing submissions
 *   xe_sriov_sim_selftest spin UUID SECS      leave a spinner running SECS
 *                                             seconds with the device open
 *
 * Prints one line per check and exits 1 if any failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "uapi/xe_sriov_packet.h"
#include "uapi/xe_sriov_sim.h"
#include "uapi/xe_sriov_sim_engine.h"
#include "uapi/xe_sriov_sim_regs.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int failures;
static int checks;

#define CHECK(cond, ...) check(!!(cond), #cond, __LINE__, __VA_ARGS__)

static void check(bool ok, const char *expr, int line, const char *fmt, ...)
{
	va_list ap;

	checks++;
	printf("%s: ", ok ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok) {
		printf("  [line %d: %s]", line, expr);
		failures++;
	}
	printf("\n");
	fflush(stdout);
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

struct vf {
	char uuid[64];
	char pf[64];
	unsigned int id;
	char dbg[256];
	int container, group, fd;
	uint64_t lmem_size;		/* provisioned LMEM */
	uint64_t bar2_size;		/* BAR2: LMEM rounded up to a power of two */
	uint64_t ggtt_start, ggtt_size;
	int msi;
};

static uint64_t region_off(unsigned int index)
{
	return (uint64_t)index << XE_SRIOV_SIM_REGION_SHIFT;
}

static int read_sysfs(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return n;
}

/* Write str to a debugfs file of the VF; 0 or -errno. */
static int dbg_write(struct vf *v, const char *file, const char *str)
{
	char path[512];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", v->dbg, file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, str, strlen(str)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int dbg_read(struct vf *v, const char *file, char *buf, size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", v->dbg, file);
	return read_sysfs(path, buf, len);
}

static bool guc_state_is(struct vf *v, const char *state)
{
	char buf[512], want[64];

	if (dbg_read(v, "guc_state", buf, sizeof(buf)) < 0)
		return false;
	snprintf(want, sizeof(want), "state: %s\n", state);
	return !strncmp(buf, want, strlen(want));
}

static void vf_lookup(struct vf *v, const char *uuid)
{
	char path[512], buf[256];

	memset(v, 0, sizeof(*v));
	v->container = -1;
	v->group = -1;
	v->fd = -1;
	v->msi = -1;
	snprintf(v->uuid, sizeof(v->uuid), "%s", uuid);
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/vf_id", uuid);
	if (read_sysfs(path, buf, sizeof(buf)) < 0)
		die(path);
	v->id = strtoul(buf, NULL, 0);
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/pf", uuid);
	if (read_sysfs(path, buf, sizeof(buf)) < 0)
		die(path);
	buf[strcspn(buf, "\n")] = 0;
	snprintf(v->pf, sizeof(v->pf), "%.32s", buf);
	snprintf(v->dbg, sizeof(v->dbg),
		 "/sys/kernel/debug/xe_sriov_sim/%s/sriov/vf%u", v->pf, v->id);
	if (dbg_read(v, "ggtt_provisioned", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "VF%*u:\t%" SCNx64 "-%" SCNx64, &v->ggtt_start,
		   &v->ggtt_size) != 2)
		die("ggtt_provisioned");
	v->ggtt_size = v->ggtt_size - v->ggtt_start + 1;
}

static void vf_open(struct vf *v)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	char path[512], link[512], buf[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group",
		 v->uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		die(path);
	link[n] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s", strrchr(link, '/') + 1);

	v->container = open("/dev/vfio/vfio", O_RDWR);
	if (v->container < 0)
		die("/dev/vfio/vfio");
	v->group = open(path, O_RDWR);
	if (v->group < 0)
		die(path);
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &status) ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		die("group not viable");
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container))
		die("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die("VFIO_SET_IOMMU");
	v->fd = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, v->uuid);
	if (v->fd < 0)
		die("VFIO_GROUP_GET_DEVICE_FD");

	ri.index = XE_SRIOV_SIM_BAR_LMEM;
	if (ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO, &ri))
		die("VFIO_DEVICE_GET_REGION_INFO");
	v->bar2_size = ri.size;
	if (dbg_read(v, "vram_provisioned", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "VF%*u:\t%" SCNu64, &v->lmem_size) != 1)
		die("vram_provisioned");
}

static void vf_close(struct vf *v)
{
	if (v->msi >= 0)
		close(v->msi);
	close(v->fd);
	close(v->group);
	close(v->container);
	v->fd = -1;
	v->group = -1;
	v->container = -1;
	v->msi = -1;
}

/* BAR0 access: 0 or -errno. */
static int bar0_read(struct vf *v, uint32_t off, void *val, size_t size)
{
	ssize_t n = pread(v->fd, val, size, region_off(0) + off);

	return n == (ssize_t)size ? 0 : n < 0 ? -errno : -EIO;
}

static int bar0_write(struct vf *v, uint32_t off, const void *val,
		      size_t size)
{
	ssize_t n = pwrite(v->fd, val, size, region_off(0) + off);

	return n == (ssize_t)size ? 0 : n < 0 ? -errno : -EIO;
}

static uint32_t rd32(struct vf *v, uint32_t off)
{
	uint32_t val = 0xdeadbeef;

	if (bar0_read(v, off, &val, 4))
		die("BAR0 read");
	return val;
}

static void wr32(struct vf *v, uint32_t off, uint32_t val)
{
	if (bar0_write(v, off, &val, 4))
		die("BAR0 write");
}

static uint64_t pte_rd(struct vf *v, unsigned int i)
{
	uint64_t val = 0;

	if (bar0_read(v, XE_SRIOV_SIM_GGTT_WINDOW + 8 * i, &val, 8))
		die("PTE read");
	return val;
}

static void pte_wr(struct vf *v, unsigned int i, uint64_t val)
{
	if (bar0_write(v, XE_SRIOV_SIM_GGTT_WINDOW + 8 * i, &val, 8))
		die("PTE write");
}

static uint32_t hxg_req(uint32_t action, uint32_t data0)
{
	return (XE_SRIOV_SIM_HXG_TYPE_REQUEST << XE_SRIOV_SIM_HXG_TYPE_SHIFT) |
	       (data0 << XE_SRIOV_SIM_HXG_DATA0_SHIFT) | action;
}

/* Send a request; returns the reply dword 0, reply[] gets all 4. */
static uint32_t mbx(struct vf *v, uint32_t dw0, uint32_t dw1, uint32_t *reply)
{
	uint32_t r[4];
	int i;

	wr32(v, XE_SRIOV_SIM_GUC_MBX(0), dw0);
	wr32(v, XE_SRIOV_SIM_GUC_MBX(1), dw1);
	wr32(v, XE_SRIOV_SIM_GUC_MBX(2), 0);
	wr32(v, XE_SRIOV_SIM_GUC_MBX(3), 0);
	wr32(v, XE_SRIOV_SIM_GUC_MBX_TRIGGER, XE_SRIOV_SIM_GUC_MBX_SEND);
	for (i = 0; i < 4; i++)
		r[i] = rd32(v, XE_SRIOV_SIM_GUC_MBX(i));
	if (reply)
		memcpy(reply, r, sizeof(r));
	return r[0];
}

static uint32_t hxg_type(uint32_t dw0)
{
	return (dw0 & XE_SRIOV_SIM_HXG_TYPE_MASK) >> XE_SRIOV_SIM_HXG_TYPE_SHIFT;
}

static bool reply_ok(uint32_t dw0)
{
	return dw0 >> 31 && hxg_type(dw0) == XE_SRIOV_SIM_HXG_TYPE_RESPONSE_SUCCESS;
}

static bool reply_err(uint32_t dw0, uint32_t err)
{
	return dw0 >> 31 &&
	       hxg_type(dw0) == XE_SRIOV_SIM_HXG_TYPE_RESPONSE_FAILURE &&
	       (dw0 & 0xffff) == err;
}

static uint64_t query_klv(struct vf *v, uint32_t key, uint32_t *len)
{
	uint32_t r[4];

	mbx(v, hxg_req(XE_SRIOV_SIM_VF2GUC_QUERY_SINGLE_KLV, 0), key, r);
	if (!reply_ok(r[0]))
		return ~0ull;
	*len = r[0] & XE_SRIOV_SIM_KLV_QUERY_LEN_MASK;
	return r[1] | (uint64_t)r[2] << 32;
}

static void msi_attach(struct vf *v)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *set = (void *)buf;
	int32_t fd;

	v->msi = eventfd(0, EFD_NONBLOCK);
	if (v->msi < 0)
		die("eventfd");
	fd = v->msi;
	set->argsz = sizeof(buf);
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_MSI_IRQ_INDEX;
	set->start = 0;
	set->count = 1;
	memcpy(set->data, &fd, sizeof(fd));
	if (ioctl(v->fd, VFIO_DEVICE_SET_IRQS, set))
		die("VFIO_DEVICE_SET_IRQS eventfd");
}

/* Events counted on the MSI eventfd since the last call. */
static uint64_t msi_count(struct vf *v)
{
	uint64_t n = 0;

	if (read(v->msi, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

static void fill(void *buf, size_t len, uint32_t seed)
{
	uint32_t *p = buf;
	size_t i;

	for (i = 0; i < len / 4; i++)
		p[i] = seed ^ (uint32_t)(i * 2654435761u);
}

static uint32_t cfg_rd(struct vf *v, unsigned int off, unsigned int size)
{
	uint32_t val = 0;

	if (pread(v->fd, &val, size, region_off(VFIO_PCI_CONFIG_REGION_INDEX) + off) !=
	    (ssize_t)size)
		die("config read");
	return val;
}

static void cfg_wr(struct vf *v, unsigned int off, unsigned int size, uint32_t val)
{
	if (pwrite(v->fd, &val, size, region_off(VFIO_PCI_CONFIG_REGION_INDEX) + off) !=
	    (ssize_t)size)
		die("config write");
}

/* All-ones into a 64-bit BAR pair, read back, restore 0. */
static uint64_t cfg_size_bar(struct vf *v, unsigned int bar)
{
	uint64_t got;

	cfg_wr(v, bar, 4, 0xffffffff);
	cfg_wr(v, bar + 4, 4, 0xffffffff);
	got = cfg_rd(v, bar, 4) | (uint64_t)cfg_rd(v, bar + 4, 4) << 32;
	cfg_wr(v, bar, 4, 0);
	cfg_wr(v, bar + 4, 4, 0);
	return got;
}

/* What QEMU's vfio-pci reads and writes in config space and region info. */
static void test_config(struct vf *v)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	struct vfio_irq_info ii = { .argsz = sizeof(ii) };
	struct {
		struct vfio_region_info info;
		struct vfio_region_info_cap_sparse_mmap sparse;
		struct vfio_region_sparse_mmap_area area;
	} big = { .info.argsz = sizeof(big), .info.index = XE_SRIOV_SIM_BAR_LMEM };
	static const unsigned int absent[] = {
		1, 3, 4, 5, VFIO_PCI_ROM_REGION_INDEX, VFIO_PCI_VGA_REGION_INDEX,
	};
	uint64_t bar2 = 1;
	unsigned int msi, i;
	uint8_t cfg[256];

	while (bar2 < v->lmem_size)
		bar2 <<= 1;
	CHECK(v->bar2_size == bar2, "BAR2 region %#" PRIx64 ": LMEM %#" PRIx64
	      " rounded up to a power of two", v->bar2_size, v->lmem_size);
	CHECK(!ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO, &big.info) &&
	      (bar2 == v->lmem_size ? !(big.info.flags & VFIO_REGION_INFO_FLAG_CAPS) :
	       (big.info.flags & VFIO_REGION_INFO_FLAG_CAPS) &&
	       big.info.cap_offset == sizeof(big.info) &&
	       big.sparse.header.id == VFIO_REGION_INFO_CAP_SPARSE_MMAP &&
	       big.sparse.nr_areas == 1 && big.area.offset == 0 &&
	       big.area.size == v->lmem_size),
	      "BAR2 sparse mmap capability only when LMEM is not a power of two");
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		ri.index = absent[i];
		CHECK(!ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO, &ri) && !ri.size,
		      "region %u (BAR/ROM/VGA) absent", absent[i]);
	}
	ii.index = VFIO_PCI_ERR_IRQ_INDEX;
	CHECK(ioctl(v->fd, VFIO_DEVICE_GET_IRQ_INFO, &ii) && errno == EINVAL,
	      "no error IRQ index: EINVAL, as vfio-pci without PCIe");
	ii.index = VFIO_PCI_INTX_IRQ_INDEX;
	CHECK(!ioctl(v->fd, VFIO_DEVICE_GET_IRQ_INFO, &ii) && !ii.count, "no INTx");

	CHECK(pread(v->fd, cfg, sizeof(cfg), region_off(VFIO_PCI_CONFIG_REGION_INDEX)) ==
	      sizeof(cfg), "config space: one 256-byte pread");
	CHECK(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST, "status: capability list");
	CHECK(cfg[PCI_BASE_ADDRESS_0] == PCI_BASE_ADDRESS_MEM_TYPE_64,
	      "BAR0: 64-bit memory, unassigned");
	CHECK(cfg[PCI_BASE_ADDRESS_2] ==
	      (PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH),
	      "BAR2: 64-bit prefetchable memory, unassigned");
	CHECK(!cfg[PCI_INTERRUPT_PIN], "no INTx pin");
	msi = cfg[PCI_CAPABILITY_LIST];
	CHECK(msi >= 0x40 && msi < 0xf0 && cfg[msi] == PCI_CAP_ID_MSI && !cfg[msi + 1],
	      "capability list: MSI alone at %#x", msi);
	CHECK(msi < 0xf0 && (cfg[msi + PCI_MSI_FLAGS] & PCI_MSI_FLAGS_64BIT) &&
	      !(cfg[msi + PCI_MSI_FLAGS] & (PCI_MSI_FLAGS_QMASK | PCI_MSI_FLAGS_MASKBIT)),
	      "MSI: 64-bit, one vector, no masking");
	if (msi >= 0xf0)
		return;

	CHECK(cfg_size_bar(v, PCI_BASE_ADDRESS_0) ==
	      (~(uint64_t)(XE_SRIOV_SIM_BAR0_SIZE - 1) | PCI_BASE_ADDRESS_MEM_TYPE_64),
	      "BAR0 sizing: 16 MiB");
	CHECK(cfg_size_bar(v, PCI_BASE_ADDRESS_2) ==
	      (~(bar2 - 1) | PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH),
	      "BAR2 sizing: %#" PRIx64, bar2);
	cfg_wr(v, PCI_BASE_ADDRESS_4, 4, 0xffffffff);
	cfg_wr(v, PCI_ROM_ADDRESS, 4, 0xffffffff);
	CHECK(!cfg_rd(v, PCI_BASE_ADDRESS_4, 4) && !cfg_rd(v, PCI_ROM_ADDRESS, 4),
	      "BAR4 and ROM absent: all-ones reads 0");
	cfg_wr(v, PCI_BASE_ADDRESS_0, 4, 0xe1234567);
	cfg_wr(v, PCI_BASE_ADDRESS_1, 4, 0x1);
	CHECK(cfg_rd(v, PCI_BASE_ADDRESS_0, 4) == 0xe1000004 &&
	      cfg_rd(v, PCI_BASE_ADDRESS_1, 4) == 1, "BAR0 keeps an aligned address");
	cfg_wr(v, PCI_COMMAND, 2, 0xffff);
	CHECK(cfg_rd(v, PCI_COMMAND, 2) == (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER),
	      "command: only memory and bus master writable");
	cfg_wr(v, PCI_VENDOR_ID, 4, 0);
	CHECK(cfg_rd(v, PCI_VENDOR_ID, 2) == XE_SRIOV_SIM_VENDOR_ID, "vendor id read-only");
	cfg_wr(v, msi + PCI_MSI_ADDRESS_LO, 4, 0xffffffff);
	cfg_wr(v, msi + PCI_MSI_ADDRESS_HI, 4, 0x12345678);
	cfg_wr(v, msi + PCI_MSI_DATA_64, 2, 0xabcd);
	cfg_wr(v, msi + PCI_MSI_FLAGS, 2, 0xffff);
	CHECK(cfg_rd(v, msi + PCI_MSI_ADDRESS_LO, 4) == 0xfffffffc &&
	      cfg_rd(v, msi + PCI_MSI_ADDRESS_HI, 4) == 0x12345678 &&
	      cfg_rd(v, msi + PCI_MSI_DATA_64, 2) == 0xabcd &&
	      cfg_rd(v, msi + PCI_MSI_FLAGS, 2) ==
	      (PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_ENABLE),
	      "MSI address, data and enable writable, the rest read-only");
	CHECK(pwrite(v->fd, cfg, 4, region_off(VFIO_PCI_CONFIG_REGION_INDEX) + 254) < 0 &&
	      errno == EINVAL, "config write past 256 bytes: EINVAL");

	CHECK(!ioctl(v->fd, VFIO_DEVICE_RESET), "VFIO_DEVICE_RESET");
	CHECK(!cfg_rd(v, PCI_COMMAND, 2) &&
	      cfg_rd(v, PCI_BASE_ADDRESS_0, 4) == PCI_BASE_ADDRESS_MEM_TYPE_64 &&
	      !cfg_rd(v, PCI_BASE_ADDRESS_1, 4) &&
	      !(cfg_rd(v, msi + PCI_MSI_FLAGS, 2) & PCI_MSI_FLAGS_ENABLE) &&
	      !cfg_rd(v, msi + PCI_MSI_ADDRESS_LO, 4),
	      "FLR: command 0, BARs unassigned, MSI off");
}

static void test_basic(const char *uuid)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	struct vfio_irq_info ii = { .argsz = sizeof(ii) };
	struct vf v;
	uint32_t r[4], len = 0, val;
	uint64_t q, pte, val64;
	size_t i, n;
	uint8_t *buf, *map;
	unsigned int ptes;
	char sbuf[64];
	int ret;

	vf_lookup(&v, uuid);
	vf_open(&v);
	printf("# VF%u of %s, GGTT %#" PRIx64 "+%#" PRIx64 ", LMEM %#" PRIx64 "\n",
	       v.id, v.pf, v.ggtt_start, v.ggtt_size, v.lmem_size);
	ptes = v.ggtt_size / 4096;

	ri.index = 0;
	CHECK(!ioctl(v.fd, VFIO_DEVICE_GET_REGION_INFO, &ri) &&
	      ri.size == XE_SRIOV_SIM_BAR0_SIZE &&
	      !(ri.flags & VFIO_REGION_INFO_FLAG_MMAP),
	      "BAR0 region: 16 MiB, no mmap");
	ri.index = 2;
	ret = ioctl(v.fd, VFIO_DEVICE_GET_REGION_INFO, &ri);
	CHECK(!ret && (ri.flags & VFIO_REGION_INFO_FLAG_MMAP) &&
	      ri.size == v.bar2_size && ri.size >= v.lmem_size,
	      "BAR2 region: %#llx, mmap", (unsigned long long)ri.size);
	test_config(&v);

	CHECK(rd32(&v, XE_SRIOV_SIM_VF_CAP_REG) == 1, "VF_CAP_REG bit0");
	for (i = 0; i < 4; i++)
		wr32(&v, XE_SRIOV_SIM_VF_SW_FLAG(i), 0x1000 + i);
	for (i = 0; i < 4; i++)
		CHECK(rd32(&v, XE_SRIOV_SIM_VF_SW_FLAG(i)) == 0x1000 + i,
		      "VF_SW_FLAG(%zu) keeps its value", i);
	CHECK(rd32(&v, 0x100000) == 0, "unclaimed register reads 0");
	CHECK(bar0_read(&v, XE_SRIOV_SIM_VF_SW_FLAG(0) + 1, &val, 4) == -EINVAL,
	      "unaligned BAR0 read: EINVAL");
	CHECK(bar0_read(&v, XE_SRIOV_SIM_VF_SW_FLAG(0), &val, 2) == -EINVAL,
	      "2-byte BAR0 read: EINVAL");

	CHECK(pte_rd(&v, 0) == (uint64_t)v.id << 2,
	      "fresh PTE holds only the VF id: %#" PRIx64, pte_rd(&v, 0));
	pte_wr(&v, 1 % ptes, 0x5000 | XE_SRIOV_SIM_PTE_VALID | (0x3ffull << 2));
	pte = pte_rd(&v, 1 % ptes);
	CHECK(pte == (0x5000 | XE_SRIOV_SIM_PTE_VALID | (uint64_t)v.id << 2),
	      "PTE write: VF id forced: %#" PRIx64, pte);
	val = 0x7001;
	CHECK(!bar0_write(&v, XE_SRIOV_SIM_GGTT_WINDOW + 8 * (2 % ptes), &val, 4) &&
	      pte_rd(&v, 2 % ptes) == (0x7001 | (uint64_t)v.id << 2),
	      "4-byte PTE write: low half, VF id forced");
	val64 = 1;
	CHECK(bar0_write(&v, XE_SRIOV_SIM_GGTT_WINDOW + 8 * ptes, &val64, 8) ==
	      -EINVAL, "PTE write past the slice: EINVAL");
	CHECK(bar0_read(&v, XE_SRIOV_SIM_GGTT_WINDOW + 8 * ptes, &val64, 8) ==
	      -EINVAL, "PTE read past the slice: EINVAL");
	CHECK(!bar0_read(&v, XE_SRIOV_SIM_GGTT_WINDOW + 8 * (ptes - 1), &val64, 8),
	      "last PTE of the slice readable");

	q = query_klv(&v, XE_SRIOV_SIM_KLV_VF_CFG_GGTT_START, &len);
	CHECK(q == v.ggtt_start && len == 2, "QUERY GGTT_START = %#" PRIx64, q);
	q = query_klv(&v, XE_SRIOV_SIM_KLV_VF_CFG_GGTT_SIZE, &len);
	CHECK(q == v.ggtt_size && len == 2, "QUERY GGTT_SIZE = %#" PRIx64, q);
	q = query_klv(&v, XE_SRIOV_SIM_KLV_VF_CFG_LMEM_SIZE, &len);
	CHECK(q == v.lmem_size && len == 2, "QUERY LMEM_SIZE = %#" PRIx64, q);
	q = query_klv(&v, XE_SRIOV_SIM_KLV_VF_CFG_NUM_CONTEXTS, &len);
	dbg_read(&v, "contexts_provisioned", sbuf, sizeof(sbuf));
	CHECK(len == 1 && q == strtoull(strchr(sbuf, '(') + 1, NULL, 0),
	      "QUERY NUM_CONTEXTS = %" PRIu64, q);
	CHECK(reply_err(mbx(&v, hxg_req(XE_SRIOV_SIM_VF2GUC_QUERY_SINGLE_KLV, 0),
			    0x0042, r), XE_SRIOV_SIM_GUC_ERR_INVALID_KLV_KEY),
	      "QUERY unknown key: INVALID_KLV_KEY");
	CHECK(reply_err(mbx(&v, hxg_req(0x1234, 0), 0, r),
			XE_SRIOV_SIM_GUC_ERR_UNKNOWN_ACTION),
	      "unknown action: UNKNOWN_ACTION");
	CHECK(reply_err(mbx(&v, 1u << 31, 0, r), XE_SRIOV_SIM_GUC_ERR_PROTOCOL),
	      "reply-origin request: ERROR_PROTOCOL");
	CHECK(reply_err(mbx(&v, hxg_req(XE_SRIOV_SIM_VF2GUC_RESFIX_START, 5), 0, r),
			XE_SRIOV_SIM_GUC_ERR_INVALID_STATE),
	      "RESFIX_START while running: INVALID_STATE");
	CHECK(reply_err(mbx(&v, hxg_req(XE_SRIOV_SIM_VF2GUC_RESFIX_DONE, 5), 0, r),
			XE_SRIOV_SIM_GUC_ERR_INVALID_STATE),
	      "RESFIX_DONE while running: INVALID_STATE");
	CHECK(guc_state_is(&v, "VF_RUNNING"), "GuC state VF_RUNNING after mailbox");

	n = v.lmem_size;
	buf = malloc(n);
	fill(buf, n, 0x1234);
	CHECK(pwrite(v.fd, buf, n, region_off(2)) == (ssize_t)n, "BAR2 pwrite all");
	map = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, v.fd,
		   region_off(2));
	CHECK(map != MAP_FAILED && !memcmp(map, buf, n), "BAR2 mmap sees pwrite");
	if (map != MAP_FAILED) {
		map[n - 1] ^= 0xff;
		buf[n - 1] ^= 0xff;
		memset(buf + 4096, 0, 8);
		CHECK(pread(v.fd, buf + 4096, 8, region_off(2) + 4096) == 8 &&
		      !memcmp(buf, map, n), "pread sees mmap writes");
		munmap(map, n);
	}
	map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, v.fd, region_off(2));
	CHECK(map == MAP_FAILED, "private BAR2 mmap refused");
	map = mmap(NULL, 8192, PROT_READ, MAP_SHARED, v.fd,
		   region_off(2) + n - 4096);
	CHECK(map == MAP_FAILED, "BAR2 mmap past the LMEM refused");
	if (v.bar2_size > n) {
		memset(buf, 0xff, 8);
		CHECK(pread(v.fd, buf, 8, region_off(2) + n) == 8 && !buf[0] && !buf[7] &&
		      pwrite(v.fd, buf, 8, region_off(2) + n) == 8,
		      "BAR2 tail past the LMEM: reads 0, takes writes");
	}
	CHECK(pread(v.fd, buf, 8, region_off(2) + v.bar2_size - 4) < 0 && errno == EINVAL,
	      "BAR2 read past the BAR: EINVAL");
	free(buf);

	ii.index = VFIO_PCI_MSI_IRQ_INDEX;
	CHECK(!ioctl(v.fd, VFIO_DEVICE_GET_IRQ_INFO, &ii) && ii.count == 1 &&
	      (ii.flags & VFIO_IRQ_INFO_EVENTFD), "MSI: one eventfd vector");
	msi_attach(&v);
	{
		struct vfio_irq_set set = {
			.argsz = sizeof(set),
			.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			.index = VFIO_PCI_MSI_IRQ_INDEX, .count = 1,
		};

		CHECK(!ioctl(v.fd, VFIO_DEVICE_SET_IRQS, &set) && msi_count(&v) == 1,
		      "MSI loopback trigger");
	}
	CHECK(rd32(&v, XE_SRIOV_SIM_VF_IRQ_STATUS) == 0, "no interrupt pending");
	vf_close(&v);
}

static void test_control(const char *uuid)
{
	struct vf v;
	uint8_t ccs[16], zero[16] = {}, b[16];
	uint32_t r[4];
	int ret;

	vf_lookup(&v, uuid);
	vf_open(&v);
	CHECK(guc_state_is(&v, "VF_READY"), "VF_READY after open (FLR)");
	CHECK(dbg_write(&v, "resume", "1") == -EPERM, "resume of a running VF: EPERM");
	CHECK(dbg_write(&v, "pause", "1") == 0, "pause");
	CHECK(guc_state_is(&v, "VF_READY_PAUSED"), "VF_READY_PAUSED");
	CHECK(dbg_write(&v, "pause", "1") == -ESTALE, "pause of a paused VF: ESTALE");
	CHECK(dbg_write(&v, "pause", "0") == 0, "pause 0: no-op");
	CHECK(dbg_write(&v, "pause", "x") == -EINVAL, "pause x: EINVAL");

	wr32(&v, XE_SRIOV_SIM_GUC_MBX(0),
	     hxg_req(XE_SRIOV_SIM_VF2GUC_QUERY_SINGLE_KLV, 0));
	wr32(&v, XE_SRIOV_SIM_GUC_MBX(1), XE_SRIOV_SIM_KLV_VF_CFG_GGTT_SIZE);
	wr32(&v, XE_SRIOV_SIM_GUC_MBX_TRIGGER, 1);
	CHECK(rd32(&v, XE_SRIOV_SIM_GUC_MBX_TRIGGER) == 1,
	      "mailbox request pending while paused");
	CHECK(dbg_write(&v, "resume", "1") == 0, "resume");
	CHECK(rd32(&v, XE_SRIOV_SIM_GUC_MBX_TRIGGER) == 0 &&
	      reply_ok(rd32(&v, XE_SRIOV_SIM_GUC_MBX(0))) &&
	      rd32(&v, XE_SRIOV_SIM_GUC_MBX(1)) == v.ggtt_size,
	      "pending request answered on resume");
	CHECK(guc_state_is(&v, "VF_RUNNING"), "VF_RUNNING after resume");

	CHECK(dbg_write(&v, "save", "1") == -EPERM, "save of a running VF: EPERM");
	CHECK(dbg_write(&v, "restore", "1") == -EPERM,
	      "restore into a running VF: EPERM");
	CHECK(dbg_write(&v, "stop", "1") == 0, "stop");
	CHECK(guc_state_is(&v, "STOPPED"), "STOPPED");
	CHECK(dbg_write(&v, "stop", "1") == -ESTALE, "stop of a stopped VF: ESTALE");
	CHECK(dbg_write(&v, "pause", "1") == -EPERM, "pause of a stopped VF: EPERM");
	CHECK(dbg_write(&v, "resume", "1") == -EPERM, "resume of a stopped VF: EPERM");
	CHECK(reply_err(mbx(&v, hxg_req(XE_SRIOV_SIM_VF2GUC_QUERY_SINGLE_KLV, 0),
			    1, r), 0) || rd32(&v, XE_SRIOV_SIM_GUC_MBX_TRIGGER) == 1,
	      "mailbox of a stopped VF stays pending");
	CHECK(dbg_write(&v, "reset", "1") == 0, "reset (FLR) of a stopped VF");
	CHECK(guc_state_is(&v, "VF_READY"), "VF_READY after FLR");
	CHECK(rd32(&v, XE_SRIOV_SIM_GUC_MBX_TRIGGER) == 0, "FLR drops the request");

	/* FLR clears what xe's FLR clears. */
	wr32(&v, XE_SRIOV_SIM_VF_SW_FLAG(3), 0xabcd);
	pte_wr(&v, 0, 0x3000 | 1);
	memset(ccs, 0x5a, sizeof(ccs));
	{
		char path[512];
		int fd;

		snprintf(path, sizeof(path), "%s/ccs", v.dbg);
		fd = open(path, O_RDWR);
		CHECK(fd >= 0 && pwrite(fd, ccs, sizeof(ccs), 0) == sizeof(ccs) &&
		      pread(fd, b, sizeof(b), 0) == sizeof(b) &&
		      !memcmp(b, ccs, sizeof(b)), "debugfs ccs write/read");
		CHECK(pwrite(v.fd, ccs, sizeof(ccs), region_off(2) + 64) ==
		      sizeof(ccs), "LMEM write");
		ret = ioctl(v.fd, VFIO_DEVICE_RESET);
		CHECK(!ret, "VFIO_DEVICE_RESET");
		CHECK(pread(fd, b, sizeof(b), 0) == sizeof(b) &&
		      !memcmp(b, zero, sizeof(b)), "FLR zeroes CCS");
		close(fd);
	}
	CHECK(pread(v.fd, b, sizeof(b), region_off(2) + 64) == sizeof(b) &&
	      !memcmp(b, zero, sizeof(b)), "FLR zeroes LMEM");
	CHECK(rd32(&v, XE_SRIOV_SIM_VF_SW_FLAG(3)) == 0, "FLR zeroes VF_SW_FLAG");
	CHECK(pte_rd(&v, 0) == (uint64_t)v.id << 2, "FLR clears the PTEs");
	vf_close(&v);
}

/* ---- migration helpers ---- */

static int mig_set(struct vf *v, uint32_t state, int *data_fd)
{
	char buf[sizeof(struct vfio_device_feature) +
		 sizeof(struct vfio_device_feature_mig_state)];
	struct vfio_device_feature *f = (void *)buf;
	struct vfio_device_feature_mig_state *st = (void *)f->data;

	f->argsz = sizeof(buf);
	f->flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
	st->device_state = state;
	st->data_fd = -1;
	if (ioctl(v->fd, VFIO_DEVICE_FEATURE, f))
		return -errno;
	if (data_fd)
		*data_fd = st->data_fd;
	else if (st->data_fd >= 0)
		close(st->data_fd);
	return 0;
}

static uint32_t mig_get(struct vf *v)
{
	char buf[sizeof(struct vfio_device_feature) +
		 sizeof(struct vfio_device_feature_mig_state)];
	struct vfio_device_feature *f = (void *)buf;
	struct vfio_device_feature_mig_state *st = (void *)f->data;

	f->argsz = sizeof(buf);
	f->flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
	if (ioctl(v->fd, VFIO_DEVICE_FEATURE, f))
		return ~0u;
	return st->device_state;
}

static uint64_t mig_feature(struct vf *v, uint32_t feature)
{
	char buf[sizeof(struct vfio_device_feature) + sizeof(uint64_t)];
	struct vfio_device_feature *f = (void *)buf;
	uint64_t val;

	f->argsz = sizeof(buf);
	f->flags = VFIO_DEVICE_FEATURE_GET | feature;
	if (ioctl(v->fd, VFIO_DEVICE_FEATURE, f))
		return ~0ull;
	memcpy(&val, f->data, sizeof(val));
	return val;
}

struct blob {
	uint8_t *p;
	size_t len, cap;
};

static void blob_put(struct blob *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		b->cap = (b->len + len) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			die("realloc");
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

/* Read fd to its end in odd-sized pieces; -errno on error. */
static int read_all(int fd, struct blob *b)
{
	uint8_t buf[7777];
	ssize_t n;

	b->len = 0;
	while ((n = read(fd, buf, 777 + b->len % 5000)) > 0)
		blob_put(b, buf, n);
	return n < 0 ? -errno : 0;
}

/* Write all of buf in pieces of 1, 23, 4097, ... bytes; 0 or -errno. */
static int write_segmented(int fd, const uint8_t *buf, size_t len)
{
	static const size_t seg[] = { 1, 23, 4097, 5, 65536, 100 };
	size_t done = 0, i = 0;
	ssize_t n;

	while (done < len) {
		size_t want = seg[i++ % 6];

		if (want > len - done)
			want = len - done;
		n = write(fd, buf + done, want);
		if (n < 0)
			return -errno;
		done += n;
	}
	return 0;
}

static int dbg_fd(struct vf *v, const char *file, int flags)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", v->dbg, file);
	return open(path, flags);
}

static int dbg_finish(struct vf *v, const char *file)
{
	char c;
	int fd = dbg_fd(v, file, O_RDONLY), ret;

	if (fd < 0)
		return -errno;
	ret = read(fd, &c, 1) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static int ccs_io(struct vf *v, void *buf, size_t len, bool write)
{
	int fd = dbg_fd(v, "ccs", write ? O_WRONLY : O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write ? pwrite(fd, buf, len, 0) : pread(fd, buf, len, 0);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

/* Give a VF recognisable state: LMEM, CCS, PTEs, scratch. */
static void populate(struct vf *v, uint32_t seed)
{
	size_t ccs = v->lmem_size / 256;
	uint8_t *buf = malloc(v->lmem_size);
	unsigned int i;
	uint32_t len;

	fill(buf, v->lmem_size, seed);
	if (pwrite(v->fd, buf, v->lmem_size, region_off(2)) != (ssize_t)v->lmem_size)
		die("LMEM write");
	/* Uncompressed (CCS 0): a dgfx save would decompress anything else. */
	memset(buf, 0, ccs);
	if (ccs_io(v, buf, ccs, true))
		die("CCS write");
	for (i = 0; i < v->ggtt_size / 4096; i += 3)
		pte_wr(v, i, ((uint64_t)(i * 7 % (v->lmem_size / 4096)) << 12) |
		       XE_SRIOV_SIM_PTE_VALID);
	for (i = 0; i < 4; i++)
		wr32(v, XE_SRIOV_SIM_VF_SW_FLAG(i), seed + i);
	query_klv(v, XE_SRIOV_SIM_KLV_VF_CFG_GGTT_SIZE, &len);
	free(buf);
}

/* Does v hold what populate(src..., seed) put into a VF with src_ptes? */
static void verify(struct vf *v, uint32_t seed, const char *what)
{
	size_t ccs = v->lmem_size / 256;
	uint8_t *want = malloc(v->lmem_size), *got = malloc(v->lmem_size);
	unsigned int i, bad = 0;

	fill(want, v->lmem_size, seed);
	CHECK(pread(v->fd, got, v->lmem_size, region_off(2)) ==
	      (ssize_t)v->lmem_size && !memcmp(want, got, v->lmem_size),
	      "%s: LMEM content", what);
	memset(want, 0, ccs);
	CHECK(!ccs_io(v, got, ccs, false) && !memcmp(want, got, ccs),
	      "%s: CCS content (uncompressed)", what);
	for (i = 0; i < v->ggtt_size / 4096; i++) {
		uint64_t exp = (uint64_t)v->id << 2;

		if (i % 3 == 0)
			exp |= ((uint64_t)(i * 7 % (v->lmem_size / 4096)) << 12) |
			       XE_SRIOV_SIM_PTE_VALID;
		bad += pte_rd(v, i) != exp;
	}
	CHECK(!bad, "%s: PTEs relocated to VF%u's id (%u bad)", what, v->id, bad);
	for (i = 0; i < 4; i++)
		bad += rd32(v, XE_SRIOV_SIM_VF_SW_FLAG(i)) != seed + i;
	CHECK(!bad, "%s: VF_SW_FLAG(0..3)", what);
	free(want);
	free(got);
}

/* Stream layout checks: xe's order, sizes, VF id zeroed, VRAM tiling. */
static void check_stream(struct vf *src, const struct blob *b)
{
	const uint64_t lmem = src->lmem_size;
	size_t pos = 0, n = 0, bad_pte = 0;
	uint64_t vram_next = 0;
	bool order_ok = true, past_lmem = false;
	int last = 0;

	while (pos + sizeof(struct xe_sriov_packet_hdr) <= b->len) {
		struct xe_sriov_packet_hdr h;
		const uint8_t *pl;
		int rank;

		memcpy(&h, b->p + pos, sizeof(h));
		pl = b->p + pos + sizeof(h);
		rank = h.type == 1 ? 0 : h.type == 5 ? 1 : h.type == 3 ? 2 :
		       h.type == 4 ? 3 : h.type == 6 ? 4 : h.type == 2 ? 5 : 9;
		if (h.version != 1 || rank < last || h.tile_id || h.gt_id ||
		    h.flags || (rank < 4 && rank == last && n))
			order_ok = false;
		last = rank;
		if (h.type == XE_SRIOV_PACKET_TYPE_GGTT) {
			for (size_t i = 0; i < h.size / 8; i++) {
				uint64_t pte;

				memcpy(&pte, pl + 8 * i, 8);
				bad_pte += !!(pte & XE_SRIOV_SIM_PTE_VFID_MASK);
			}
			CHECK(h.size == src->ggtt_size / 4096 * 8,
			      "stream: GGTT %llu bytes", (unsigned long long)h.size);
		}
		if (h.type == XE_SRIOV_PACKET_TYPE_MMIO)
			CHECK(h.size == 16, "stream: MMIO 16 bytes");
		if (h.type == XE_SRIOV_PACKET_TYPE_DESCRIPTOR)
			CHECK(h.size == 16, "stream: DESCRIPTOR 16 bytes");
		if (h.type == XE_SRIOV_PACKET_TYPE_VRAM) {
			if (h.offset != vram_next)
				order_ok = false;
			if (h.offset + h.size > lmem)
				past_lmem = true;
			vram_next = h.offset + h.size;
		}
		if (h.type == XE_SRIOV_PACKET_TYPE_TRAILER)
			CHECK(!h.size && !h.offset && pos + sizeof(h) == b->len,
			      "stream: empty trailer at the end");
		pos += sizeof(h) + h.size;
		n++;
	}
	CHECK(pos == b->len, "stream: %zu packets tile %zu bytes", n, b->len);
	CHECK(order_ok, "stream: DESCRIPTOR GUC GGTT MMIO VRAM.. TRAILER, v1");
	CHECK(!bad_pte, "stream: PTE VF id fields zeroed");
	CHECK(vram_next == lmem && !past_lmem,
	      "stream: VRAM chunks tile the LMEM (%#llx), no CCS past it",
	      (unsigned long long)lmem);
}

static void resfix(struct vf *v, uint32_t marker, const char *what)
{
	uint32_t r[4];

	CHECK(reply_ok(mbx(v, hxg_req(XE_SRIOV_SIM_VF2GUC_RESFIX_START, marker),
			   0, r)), "%s: RESFIX_START(%u)", what, marker);
	CHECK(reply_ok(mbx(v, hxg_req(XE_SRIOV_SIM_VF2GUC_RESFIX_DONE, marker),
			   0, r)), "%s: RESFIX_DONE(%u)", what, marker);
	CHECK(guc_state_is(v, "VF_RUNNING"), "%s: VF_RUNNING", what);
}

static void test_migrate(const char *src_uuid, const char *dst_uuid)
{
	struct vf src, dst;
	struct blob b = {}, b2 = {};
	uint64_t q;
	uint32_t r[4], len;
	int fd, ret;
	char c;

	vf_lookup(&src, src_uuid);
	vf_lookup(&dst, dst_uuid);
	vf_open(&src);
	vf_open(&dst);
	printf("# VF%u -> VF%u\n", src.id, dst.id);

	CHECK(mig_feature(&src, VFIO_DEVICE_FEATURE_MIGRATION) ==
	      (VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P),
	      "migration flags STOP_COPY|P2P");
	CHECK(mig_get(&src) == VFIO_DEVICE_STATE_RUNNING, "initial state RUNNING");
	populate(&src, 0xc0ffee);
	q = mig_feature(&src, VFIO_DEVICE_FEATURE_MIG_DATA_SIZE);
	CHECK(q == sizeof(struct xe_sriov_sim_guc_state) +
	      sizeof(struct xe_sriov_sim_engine_state) + 24 +
	      src.ggtt_size / 4096 * 8 + 24 + 16 + 24 +
	      src.lmem_size + 24,
	      "MIG_DATA_SIZE = xe's estimate %llu", (unsigned long long)q);

	ret = mig_set(&src, VFIO_DEVICE_STATE_STOP_COPY, &fd);
	CHECK(!ret && fd >= 0, "src RUNNING -> STOP_COPY gives a saving fd");
	CHECK(guc_state_is(&src, "VF_READY_PAUSED"), "src paused");
	CHECK(pread(fd, &c, 1, 0) < 0 && errno == ESPIPE, "pread on data fd: ESPIPE");
	ret = read_all(fd, &b);
	CHECK(!ret && b.len > src.lmem_size, "read stream to EOF: %zu bytes", b.len);
	CHECK(read(fd, &c, 1) == 0, "read after the end returns 0");
	CHECK(!mig_set(&src, VFIO_DEVICE_STATE_STOP, NULL), "src STOP_COPY -> STOP");
	CHECK(read(fd, &c, 1) < 0 && errno == ENODEV, "saving fd after STOP: ENODEV");
	close(fd);
	check_stream(&src, &b);

	msi_attach(&dst);
	ret = mig_set(&dst, VFIO_DEVICE_STATE_RESUMING, &fd);
	CHECK(!ret && fd >= 0, "dst RUNNING -> RESUMING gives a resuming fd");
	CHECK(pwrite(fd, b.p, 1, 0) < 0 && errno == ESPIPE, "pwrite on data fd: ESPIPE");
	CHECK(!write_segmented(fd, b.p, b.len), "segmented write of the stream");
	ret = mig_set(&dst, VFIO_DEVICE_STATE_RUNNING, NULL);
	CHECK(!ret, "dst RESUMING -> RUNNING (%d)", ret);
	close(fd);
	CHECK(mig_get(&dst) == VFIO_DEVICE_STATE_RUNNING, "dst RUNNING");
	CHECK(guc_state_is(&dst, "VF_RESFIX_BLOCKED"), "dst VF_RESFIX_BLOCKED");
	CHECK(msi_count(&dst) == 1, "dst got the MSI");
	CHECK(rd32(&dst, XE_SRIOV_SIM_VF_IRQ_STATUS) == XE_SRIOV_SIM_VF_IRQ_MIGRATED,
	      "dst IRQ status MIGRATED");
	wr32(&dst, XE_SRIOV_SIM_VF_IRQ_STATUS, XE_SRIOV_SIM_VF_IRQ_MIGRATED);
	CHECK(rd32(&dst, XE_SRIOV_SIM_VF_IRQ_STATUS) == 0, "IRQ status write-1-clear");
	verify(&dst, 0xc0ffee, "dst");
	q = query_klv(&dst, XE_SRIOV_SIM_KLV_VF_CFG_GGTT_START, &len);
	CHECK(q == dst.ggtt_start, "dst QUERY GGTT_START = its own %#llx",
	      (unsigned long long)q);
	CHECK(reply_err(mbx(&dst, hxg_req(XE_SRIOV_SIM_VF2GUC_RESFIX_DONE, 9), 0, r),
			XE_SRIOV_SIM_GUC_ERR_VF_MIGRATED),
	      "RESFIX_DONE without START: VF_MIGRATED");

	/* Double migration: dst migrates again between START and DONE. */
	CHECK(reply_ok(mbx(&dst, hxg_req(XE_SRIOV_SIM_VF2GUC_RESFIX_START, 7), 0, r)),
	      "dst RESFIX_START(7)");
	ret = mig_set(&dst, VFIO_DEVICE_STATE_STOP_COPY, &fd);
	CHECK(!ret && !read_all(fd, &b2), "dst saved again mid-recovery");
	CHECK(!mig_set(&dst, VFIO_DEVICE_STATE_STOP, NULL), "dst STOP_COPY -> STOP");
	close(fd);
	ret = mig_set(&src, VFIO_DEVICE_STATE_RESUMING, &fd);
	CHECK(!ret && !write_segmented(fd, b2.p, b2.len), "restore dst's stream into src");
	CHECK(!mig_set(&src, VFIO_DEVICE_STATE_RUNNING, NULL), "src RESUMING -> RUNNING");
	close(fd);
	CHECK(guc_state_is(&src, "VF_RESFIX_BLOCKED"), "src VF_RESFIX_BLOCKED");
	CHECK(reply_err(mbx(&src, hxg_req(XE_SRIOV_SIM_VF2GUC_RESFIX_DONE, 7), 0, r),
			XE_SRIOV_SIM_GUC_ERR_VF_MIGRATED),
	      "stale RESFIX_DONE(7) on the new GuC: VF_MIGRATED");
	resfix(&src, 8, "src");
	verify(&src, 0xc0ffee, "src after double migration");

	/* dst resumes where it was: RESFIX_BLOCKED with its marker. */
	CHECK(!mig_set(&dst, VFIO_DEVICE_STATE_RUNNING, NULL), "dst STOP -> RUNNING");
	CHECK(guc_state_is(&dst, "VF_RESFIX_BLOCKED"), "dst back to VF_RESFIX_BLOCKED");
	CHECK(reply_ok(mbx(&dst, hxg_req(XE_SRIOV_SIM_VF2GUC_RESFIX_DONE, 7), 0, r)),
	      "dst RESFIX_DONE(7) on its own GuC");

	/* Aborted STOP_COPY: more than 5 GT packets unread. */
	ret = mig_set(&src, VFIO_DEVICE_STATE_STOP_COPY, &fd);
	CHECK(!ret, "src RUNNING -> STOP_COPY");
	ret = mig_set(&src, VFIO_DEVICE_STATE_STOP, NULL);
	CHECK(ret == -EIO && mig_get(&src) == VFIO_DEVICE_STATE_STOP_COPY,
	      "STOP_COPY -> STOP with the save unread: EIO, stays STOP_COPY");
	CHECK(read(fd, &c, 1) < 0 && errno == ENODEV, "the fd is disabled: ENODEV");
	close(fd);
	CHECK(dbg_write(&src, "resume", "1") == -EBUSY, "resume while SAVE_WIP: EBUSY");
	CHECK(!ioctl(src.fd, VFIO_DEVICE_RESET) &&
	      mig_get(&src) == VFIO_DEVICE_STATE_RUNNING && guc_state_is(&src, "VF_READY"),
	      "VFIO_DEVICE_RESET: RUNNING, VF_READY");

	ret = mig_set(&src, VFIO_DEVICE_STATE_PRE_COPY, NULL);
	CHECK(ret == -EINVAL && mig_get(&src) == VFIO_DEVICE_STATE_RUNNING &&
	      guc_state_is(&src, "STOPPED"),
	      "PRE_COPY: EINVAL, state RUNNING, VF stopped (as xe-vfio-pci)");
	ret = mig_set(&src, VFIO_DEVICE_STATE_RUNNING_P2P, NULL);
	CHECK(ret == -EPERM, "pause of the stopped VF via P2P: EPERM");
	CHECK(!ioctl(src.fd, VFIO_DEVICE_RESET) && guc_state_is(&src, "VF_READY"),
	      "reset recovers it");
	CHECK(!mig_set(&src, VFIO_DEVICE_STATE_RUNNING_P2P, NULL) &&
	      !mig_set(&src, VFIO_DEVICE_STATE_RUNNING, NULL),
	      "RUNNING <-> RUNNING_P2P");

	free(b.p);
	free(b2.p);
	vf_close(&src);
	vf_close(&dst);
}

static void test_debugfs(const char *src_uuid, const char *dst_uuid)
{
	struct vf src, dst;
	struct blob b = {};
	char buf[64], c;
	int fd, ret;

	vf_lookup(&src, src_uuid);
	vf_lookup(&dst, dst_uuid);
	vf_open(&src);
	vf_open(&dst);
	populate(&src, 0xabc);
	CHECK(dbg_read(&src, "migration_size", buf, sizeof(buf)) > 0 &&
	      strtoull(buf, NULL, 0) == mig_feature(&src, VFIO_DEVICE_FEATURE_MIG_DATA_SIZE),
	      "migration_size = MIG_DATA_SIZE");
	CHECK(dbg_write(&src, "pause", "1") == 0, "pause src");
	CHECK(dbg_finish(&src, "save") == -EIO, "finish save without save: EIO");
	CHECK(dbg_write(&src, "save", "1") == 0, "save=1");
	CHECK(dbg_write(&src, "save", "1") == -EALREADY, "save twice: EALREADY");
	CHECK(dbg_write(&src, "restore", "1") == -EBUSY, "restore while saving: EBUSY");
	CHECK(dbg_finish(&src, "save") == -EIO, "finish save before reading: EIO");
	fd = dbg_fd(&src, "migration_data", O_RDONLY);
	CHECK(pread(fd, &c, 1, 5) < 0 && errno == ESPIPE, "migration_data pread: ESPIPE");
	ret = read_all(fd, &b);
	CHECK(!ret, "read migration_data: %zu bytes", b.len);
	close(fd);
	CHECK(dbg_finish(&src, "save") == 0, "finish save");
	check_stream(&src, &b);

	CHECK(dbg_write(&dst, "restore", "1") == -EPERM, "restore into running VF: EPERM");
	CHECK(dbg_write(&dst, "pause", "1") == 0, "pause dst");
	CHECK(dbg_write(&dst, "restore", "1") == 0, "restore=1");
	CHECK(dbg_write(&dst, "restore", "1") == -EALREADY, "restore twice: EALREADY");
	CHECK(dbg_write(&dst, "save", "1") == -EBUSY, "save while restoring: EBUSY");
	CHECK(dbg_write(&dst, "resume", "1") == -EBUSY, "resume while restoring: EBUSY");
	fd = dbg_fd(&dst, "migration_data", O_WRONLY);
	CHECK(!write_segmented(fd, b.p, b.len), "write migration_data");
	close(fd);
	CHECK(dbg_finish(&dst, "restore") == 0, "finish restore");
	CHECK(guc_state_is(&dst, "VF_RESFIX_PAUSED"), "dst VF_RESFIX_PAUSED");
	msi_attach(&dst);
	CHECK(dbg_write(&dst, "resume", "1") == 0, "resume dst");
	CHECK(guc_state_is(&dst, "VF_RESFIX_BLOCKED") && msi_count(&dst) == 1,
	      "dst VF_RESFIX_BLOCKED, MSI raised");
	verify(&dst, 0xabc, "dst");
	resfix(&dst, 1, "dst");
	CHECK(dbg_write(&src, "resume", "1") == 0 && guc_state_is(&src, "VF_RUNNING"),
	      "src resumes to VF_RUNNING");
	free(b.p);
	vf_close(&src);
	vf_close(&dst);
}

/* ---- negative streams ---- */

struct pkt {
	struct xe_sriov_packet_hdr h;
	const uint8_t *pl;
};

static size_t split(const struct blob *b, struct pkt *p, size_t max)
{
	size_t pos = 0, n = 0;

	while (pos < b->len && n < max) {
		memcpy(&p[n].h, b->p + pos, sizeof(p[n].h));
		p[n].pl = b->p + pos + sizeof(p[n].h);
		pos += sizeof(p[n].h) + p[n].h.size;
		n++;
	}
	return n;
}

static void emit(struct blob *out, const struct xe_sriov_packet_hdr *h,
		 const void *pl, size_t pl_len)
{
	blob_put(out, h, sizeof(*h));
	if (pl_len)
		blob_put(out, pl, pl_len);
}

/* Restore s into dst via debugfs; returns the write errno and finish's. */
static void try_restore(struct vf *dst, const struct blob *s, int *wr, int *fin)
{
	int fd;

	dbg_write(dst, "reset", "1");
	dbg_write(dst, "pause", "1");
	dbg_write(dst, "restore", "1");
	fd = dbg_fd(dst, "migration_data", O_WRONLY);
	*wr = s->len ? write_segmented(fd, s->p, s->len) : 0;
	close(fd);
	*fin = dbg_finish(dst, "restore");
}

enum mut {
	M_VERSION, M_TYPE0, M_DEVID, M_REVID, M_DESC_ODD, M_DESC_TRUNC,
	M_GGTT_SHORT, M_GGTT_GT1, M_MMIO_SIZE, M_MMIO_TILE1, M_VRAM_OOB,
	M_VRAM_OVF, M_TRAILER_SIZE, M_TRAILER_OFF, M_DUP_TRAILER,
	M_NO_TRAILER, M_TRUNC_VRAM, M_GUC_MAGIC, M_GUC_HUGE, M_UNKNOWN_TYPE,
	M_GARBAGE, M_COUNT
};

static const struct {
	const char *name;
	int wr, fin;
} mut_expect[M_COUNT] = {
	[M_VERSION] = { "version 2", -EINVAL, -EIO },
	[M_TYPE0] = { "type 0", -EINVAL, -EIO },
	[M_DEVID] = { "devid mismatch", -ENODEV, -EIO },
	[M_REVID] = { "revid mismatch", -ENODEV, -EIO },
	[M_DESC_ODD] = { "descriptor size 6", -EINVAL, -EIO },
	[M_DESC_TRUNC] = { "truncated KLV", -EINVAL, -EIO },
	[M_GGTT_SHORT] = { "GGTT size - 8", -EINVAL, -EIO },
	[M_GGTT_GT1] = { "GGTT gt_id 1", -EINVAL, -EIO },
	[M_MMIO_SIZE] = { "MMIO size 12", -EINVAL, -EIO },
	[M_MMIO_TILE1] = { "MMIO tile_id 1", -EINVAL, -EIO },
	[M_VRAM_OOB] = { "VRAM past the object", -EINVAL, -EIO },
	[M_VRAM_OVF] = { "VRAM offset+size overflow", -EINVAL, -EIO },
	[M_TRAILER_SIZE] = { "trailer size 4", -EINVAL, -EIO },
	[M_TRAILER_OFF] = { "trailer offset 1", -EINVAL, -EIO },
	[M_DUP_TRAILER] = { "duplicated trailer", -EINVAL, -EIO },
	[M_NO_TRAILER] = { "missing trailer", 0, -ETIMEDOUT },
	[M_TRUNC_VRAM] = { "cut inside a VRAM chunk", 0, -ETIMEDOUT },
	[M_GUC_MAGIC] = { "GUC bad magic", -EINVAL, -EIO },
	[M_GUC_HUGE] = { "GUC size 1 TiB", -EINVAL, -EIO },
	[M_UNKNOWN_TYPE] = { "unknown type 9 (skipped)", 0, 0 },
	[M_GARBAGE] = { "garbage bytes", -EINVAL, -EIO },
};

static void mutate(const struct blob *good, enum mut m, struct blob *out)
{
	struct pkt p[4096];
	size_t n = split(good, p, 4096), i;
	uint8_t tmp[4096];

	out->len = 0;
	if (m == M_GARBAGE) {
		for (i = 0; i < 5000; i++) {
			uint8_t byte = (uint8_t)(i * 37 + 11);

			blob_put(out, &byte, 1);
		}
		out->p[0] = 1;	/* version 1 ... */
		out->p[1] = 0;	/* ... type 0 */
		return;
	}
	for (i = 0; i < n; i++) {
		struct xe_sriov_packet_hdr h = p[i].h;
		const uint8_t *pl = p[i].pl;
		size_t len = h.size;

		switch (h.type) {
		case XE_SRIOV_PACKET_TYPE_DESCRIPTOR:
			memcpy(tmp, pl, len);
			if (m == M_VERSION)
				h.version = 2;
			if (m == M_TYPE0)
				h.type = 0;
			if (m == M_DEVID)
				tmp[4] ^= 1;
			if (m == M_REVID)
				tmp[12] ^= 1;
			if (m == M_DESC_ODD)
				len = 6;
			if (m == M_DESC_TRUNC)
				tmp[8 + 0] = 5;	/* REVID KLV says 5 dwords */
			pl = tmp;
			break;
		case XE_SRIOV_PACKET_TYPE_GUC:
			memcpy(tmp, pl, len);
			if (m == M_GUC_MAGIC)
				tmp[0] ^= 0xff;
			if (m == M_GUC_HUGE) {
				h.size = 1ull << 40;
				emit(out, &h, NULL, 0);
				return;
			}
			pl = tmp;
			break;
		case XE_SRIOV_PACKET_TYPE_GGTT:
			if (m == M_GGTT_SHORT)
				len -= 8;
			if (m == M_GGTT_GT1)
				h.gt_id = 1;
			break;
		case XE_SRIOV_PACKET_TYPE_MMIO:
			if (m == M_MMIO_SIZE)
				len = 12;
			if (m == M_MMIO_TILE1)
				h.tile_id = 1;
			if (m == M_UNKNOWN_TYPE) {
				struct xe_sriov_packet_hdr u = h;

				u.type = 9;
				emit(out, &u, pl, len);
			}
			break;
		case XE_SRIOV_PACKET_TYPE_VRAM:
			if (m == M_VRAM_OOB && i == n - 2)
				h.offset += 4096;
			if (m == M_VRAM_OVF && i == n - 2)
				h.offset = ~0ull - 10;
			if (m == M_TRUNC_VRAM && i == n - 2) {
				emit(out, &h, pl, len / 2);
				return;
			}
			break;
		case XE_SRIOV_PACKET_TYPE_TRAILER:
			if (m == M_NO_TRAILER)
				return;
			if (m == M_TRAILER_SIZE) {
				h.size = 4;
				emit(out, &h, "abcd", 4);
				return;
			}
			if (m == M_TRAILER_OFF)
				h.offset = 1;
			if (m == M_DUP_TRAILER)
				emit(out, &h, NULL, 0);
			break;
		}
		if (len != h.size)
			h.size = len;
		emit(out, &h, pl, len);
	}
}

static void test_negative(const char *src_uuid, const char *dst_uuid)
{
	struct vf src, dst;
	struct blob good = {}, bad = {};
	int fd, wr, fin, m;
	FILE *f;

	f = fopen("/sys/module/xe_sriov_sim/parameters/restore_timeout_ms", "w");
	if (!f || fprintf(f, "300\n") < 0 || fclose(f))
		die("restore_timeout_ms");

	vf_lookup(&src, src_uuid);
	vf_lookup(&dst, dst_uuid);
	dbg_write(&src, "reset", "1");
	dbg_write(&src, "pause", "1");
	dbg_write(&src, "save", "1");
	fd = dbg_fd(&src, "migration_data", O_RDONLY);
	if (fd < 0 || read_all(fd, &good))
		die("save src");
	close(fd);
	if (dbg_finish(&src, "save"))
		die("finish save");

	for (m = 0; m < M_COUNT; m++) {
		mutate(&good, m, &bad);
		try_restore(&dst, &bad, &wr, &fin);
		CHECK(wr == mut_expect[m].wr && fin == mut_expect[m].fin,
		      "%s: write %d, finish %d", mut_expect[m].name, wr, fin);
		if (wr) {
			fd = dbg_fd(&dst, "migration_data", O_WRONLY);
			CHECK(write(fd, good.p, 24) < 0 && (errno == EIO || errno == EINVAL),
			      "%s: later writes fail", mut_expect[m].name);
			close(fd);
		}
	}
	try_restore(&dst, &good, &wr, &fin);
	CHECK(!wr && !fin, "the good stream still restores (write %d, finish %d)",
	      wr, fin);
	CHECK(dbg_write(&dst, "resume", "1") == 0 &&
	      guc_state_is(&dst, "VF_RESFIX_BLOCKED"), "dst usable after it all");
	dbg_write(&dst, "reset", "1");
	dbg_write(&src, "reset", "1");
	free(good.p);
	free(bad.p);
}

/*
 * A data fd outliving the device fd and the VF itself. (A BAR2 mapping
 * cannot: it keeps the device open, so removing the VF would wait for it,
 * as with vfio-pci.)
 */
static void test_lifetime(const char *uuid)
{
	struct vf v;
	char path[512], c;
	uint8_t *map;
	int fd, ret;
	FILE *f;

	vf_lookup(&v, uuid);
	vf_open(&v);
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, v.fd,
		   region_off(2));
	CHECK(map != MAP_FAILED, "BAR2 mapped");
	ret = mig_set(&v, VFIO_DEVICE_STATE_STOP_COPY, &fd);
	CHECK(!ret && fd >= 0, "saving fd");
	CHECK(read(fd, &c, 1) == 1, "saving fd reads");
	if (map != MAP_FAILED)
		munmap(map, 4096);
	vf_close(&v);
	CHECK(read(fd, &c, 1) < 0 && errno == ENODEV,
	      "saving fd after the device is closed: ENODEV");
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/remove", uuid);
	f = fopen(path, "w");
	CHECK(f && fprintf(f, "1\n") > 0 && !fclose(f), "VF removed");
	CHECK(read(fd, &c, 1) < 0 && errno == ENODEV,
	      "saving fd after the VF is gone: ENODEV");
	close(fd);
}

/*
 * Races: a child hammers DST's PF debugfs controls and stream files while
 * the parent migrates SRC -> DST through VFIO, ignoring errors. Afterwards
 * both VFs must still reset and migrate cleanly.
 */
static void test_stress(const char *src_uuid, const char *dst_uuid, int secs)
{
	static const char * const ops[] = {
		"pause", "resume", "stop", "reset", "save", "restore",
	};
	struct vf src, dst;
	struct blob b = {};
	time_t end = time(NULL) + secs;
	unsigned int rounds = 0;
	pid_t child;
	int fd, status;

	vf_lookup(&src, src_uuid);
	vf_lookup(&dst, dst_uuid);
	child = fork();
	if (!child) {
		unsigned int seed = 1;
		char buf[4096];

		while (time(NULL) < end) {
			int op = rand_r(&seed) % 8;

			if (op < 6) {
				dbg_write(&dst, ops[op], "1");
			} else if (op == 6) {
				dbg_finish(&dst, rand_r(&seed) & 1 ? "save" : "restore");
			} else {
				int f = dbg_fd(&dst, "migration_data", O_RDWR);

				if (f >= 0) {
					if (read(f, buf, sizeof(buf)) < 0 ||
					    write(f, buf, rand_r(&seed) % 64) < 0)
						(void)0;
					close(f);
				}
			}
		}
		_exit(0);
	}

	vf_open(&src);
	vf_open(&dst);
	while (time(NULL) < end) {
		mig_set(&src, VFIO_DEVICE_STATE_RUNNING, NULL);
		if (!mig_set(&src, VFIO_DEVICE_STATE_STOP_COPY, &fd)) {
			read_all(fd, &b);
			close(fd);
		}
		mig_set(&src, VFIO_DEVICE_STATE_STOP, NULL);
		if (mig_set(&dst, VFIO_DEVICE_STATE_RESUMING, &fd)) {
			ioctl(dst.fd, VFIO_DEVICE_RESET);
			continue;
		}
		write_segmented(fd, b.p, b.len);
		close(fd);
		if (mig_set(&dst, VFIO_DEVICE_STATE_RUNNING, NULL))
			ioctl(dst.fd, VFIO_DEVICE_RESET);
		ioctl(src.fd, VFIO_DEVICE_RESET);
		rounds++;
	}
	waitpid(child, &status, 0);
	printf("# %u migration rounds under debugfs fire\n", rounds);
	CHECK(!ioctl(src.fd, VFIO_DEVICE_RESET) && !ioctl(dst.fd, VFIO_DEVICE_RESET),
	      "both VFs reset");
	populate(&src, 0x5eed);
	CHECK(!mig_set(&src, VFIO_DEVICE_STATE_STOP_COPY, &fd) && !read_all(fd, &b),
	      "clean save");
	close(fd);
	CHECK(!mig_set(&dst, VFIO_DEVICE_STATE_RESUMING, &fd) &&
	      !write_segmented(fd, b.p, b.len), "clean restore");
	close(fd);
	CHECK(!mig_set(&dst, VFIO_DEVICE_STATE_RUNNING, NULL) &&
	      guc_state_is(&dst, "VF_RESFIX_BLOCKED"), "dst VF_RESFIX_BLOCKED");
	verify(&dst, 0x5eed, "dst after stress");
	free(b.p);
	vf_close(&src);
	vf_close(&dst);
}

/* Random byte flips and cuts of a good stream; then the good one. */
static void test_fuzz(const char *src_uuid, const char *dst_uuid, int rounds)
{
	struct vf src, dst;
	struct blob good = {}, bad = {};
	unsigned int seed = 42, errs = 0;
	int fd, wr, fin, i, j;
	FILE *f;

	f = fopen("/sys/module/xe_sriov_sim/parameters/restore_timeout_ms", "w");
	if (!f || fprintf(f, "0\n") < 0 || fclose(f))
		die("restore_timeout_ms");
	vf_lookup(&src, src_uuid);
	vf_lookup(&dst, dst_uuid);
	dbg_write(&src, "reset", "1");
	dbg_write(&src, "pause", "1");
	dbg_write(&src, "save", "1");
	fd = dbg_fd(&src, "migration_data", O_RDONLY);
	if (fd < 0 || read_all(fd, &good))
		die("save src");
	close(fd);
	dbg_finish(&src, "save");

	for (i = 0; i < rounds; i++) {
		int flips = 1 + rand_r(&seed) % 8;

		bad.len = 0;
		blob_put(&bad, good.p, good.len);
		for (j = 0; j < flips; j++) {
			/* Mostly headers and small payloads: the first 400 bytes. */
			size_t pos = rand_r(&seed) % (j & 1 ? bad.len : 400);

			bad.p[pos] = rand_r(&seed);
		}
		if (rand_r(&seed) % 4 == 0)
			bad.len = rand_r(&seed) % bad.len;
		try_restore(&dst, &bad, &wr, &fin);
		errs += wr || fin;
	}
	printf("# %d fuzzed streams, %u rejected\n", rounds, errs);
	try_restore(&dst, &good, &wr, &fin);
	CHECK(!wr && !fin, "the good stream restores after fuzzing (%d, %d)", wr, fin);
	CHECK(dbg_write(&dst, "resume", "1") == 0 &&
	      guc_state_is(&dst, "VF_RESFIX_BLOCKED"), "dst resumes");
	dbg_write(&dst, "reset", "1");
	dbg_write(&src, "reset", "1");
	free(good.p);
	free(bad.p);
}

/* ---- engine ---- */

#define ENG_RING_SIZE	4096u
/* GGTT pages of the engine tests' layout. */
enum {
	PG_RING = 0, PG_BB1 = 1, PG_BB2 = 2, PG_BB3 = 3, PG_BB4 = 4,
	PG_CTX = 5, PG_DATA = 6, PG_SRC = 8, PG_CMP = 12, PG_RES = 16,
	PG_CSC = 20, PG_NOOPS = 24, PG_MAPPED = 48, PG_UNMAPPED = 60,
};

/* A VF as the engine tests drive it: BAR2 mapped, a ring emitter. */
struct eng {
	struct vf *v;
	uint8_t *lmem;
	uint32_t tail;		/* ring offset of the next dword the test writes */
	uint64_t ptes[PG_MAPPED];	/* the PTEs, as the test wrote them */
};

/* A place commands go to: the ring (wraps) or a batch. */
struct em {
	struct eng *e;
	uint64_t base;		/* GGTT address */
	uint32_t pos;
	bool ring;
};

static uint64_t ga(struct vf *v, unsigned int page, uint32_t off)
{
	return v->ggtt_start + (uint64_t)page * 4096 + off;
}

/* LMEM behind a GGTT address of the VF, through its PTE window. */
static uint8_t *lp(struct eng *e, uint64_t addr)
{
	uint64_t rel = addr - e->v->ggtt_start;
	uint64_t pte = pte_rd(e->v, rel / 4096);

	return e->lmem + (pte & XE_SRIOV_SIM_PTE_ADDR_MASK) + (rel & 4095);
}

/* LMEM dwords the engine reads and writes concurrently: atomic accesses. */
static uint32_t lrd(struct eng *e, uint64_t addr)
{
	return __atomic_load_n((uint32_t *)lp(e, addr), __ATOMIC_SEQ_CST);
}

static void lwr(struct eng *e, uint64_t addr, uint32_t val)
{
	__atomic_store_n((uint32_t *)lp(e, addr), val, __ATOMIC_SEQ_CST);
}

static void eng_map(struct eng *e, struct vf *v)
{
	size_t len = v->lmem_size;

	memset(e, 0, sizeof(*e));
	e->v = v;
	e->lmem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd,
		       region_off(2));
	if (e->lmem == MAP_FAILED)
		die("mmap BAR2");
}

/*
 * Map GGTT pages 0..PG_MAPPED-1 to scattered LMEM pages, point the ring
 * and the context at their pages, and start the ring at offset 0.
 */
static void eng_setup(struct eng *e)
{
	unsigned int lpages = e->v->lmem_size / 4096, i;

	for (i = 0; i < PG_MAPPED; i++) {
		e->ptes[i] = ((uint64_t)((i * 5 + 16) % lpages) << 12) |
			     XE_SRIOV_SIM_PTE_VALID;
		pte_wr(e->v, i, e->ptes[i]);
	}
	wr32(e->v, XE_SRIOV_SIM_RING_START, ga(e->v, PG_RING, 0));
	wr32(e->v, XE_SRIOV_SIM_RING_SIZE, ENG_RING_SIZE);
	wr32(e->v, XE_SRIOV_SIM_ENGINE_CONTEXT, ga(e->v, PG_CTX, 0));
	e->tail = rd32(e->v, XE_SRIOV_SIM_RING_TAIL);
}

static void eng_unmap(struct eng *e)
{
	munmap(e->lmem, e->v->lmem_size);
}

static struct em ring_em(struct eng *e)
{
	return (struct em){ e, ga(e->v, PG_RING, 0), e->tail, true };
}

static struct em batch_em(struct eng *e, unsigned int page)
{
	return (struct em){ e, ga(e->v, page, 0), 0, false };
}

static void dw(struct em *m, uint32_t val)
{
	lwr(m->e, m->base + m->pos, val);
	m->pos += 4;
	if (m->ring)
		m->pos %= ENG_RING_SIZE;
}

static void c_noop(struct em *m)
{
	dw(m, XE_SRIOV_SIM_CMD(XE_SRIOV_SIM_OP_NOOP, 0, 0));
}

static void c_store(struct em *m, uint64_t a, uint32_t val)
{
	dw(m, XE_SRIOV_SIM_CMD(XE_SRIOV_SIM_OP_STORE_DWORD, 0,
			       XE_SRIOV_SIM_LEN_STORE_DWORD));
	dw(m, a);
	dw(m, a >> 32);
	dw(m, val);
}

static void c_seqno(struct em *m, uint64_t a, uint32_t val)
{
	dw(m, XE_SRIOV_SIM_CMD(XE_SRIOV_SIM_OP_STORE_SEQNO, 0,
			       XE_SRIOV_SIM_LEN_STORE_SEQNO));
	dw(m, a);
	dw(m, a >> 32);
	dw(m, val);
}

static void c_irq(struct em *m)
{
	dw(m, XE_SRIOV_SIM_CMD(XE_SRIOV_SIM_OP_USER_INTERRUPT, 0, 0));
}

static void c_bb(struct em *m, uint64_t a)
{
	dw(m, XE_SRIOV_SIM_CMD(XE_SRIOV_SIM_OP_BATCH_START, 0,
			       XE_SRIOV_SIM_LEN_BATCH_START));
	dw(m, a);
	dw(m, a >> 32);
}

static void c_bb_end(struct em *m)
{
	dw(m, XE_SRIOV_SIM_CMD(XE_SRIOV_SIM_OP_BATCH_END, 0, 0));
}

static void c_spin(struct em *m, uint64_t a, uint32_t val, uint32_t max)
{
	dw(m, XE_SRIOV_SIM_CMD(XE_SRIOV_SIM_OP_SPIN_UNTIL, 0,
			       XE_SRIOV_SIM_LEN_SPIN_UNTIL));
	dw(m, a);
	dw(m, a >> 32);
	dw(m, val);
	dw(m, max);
}

static void c_copy(struct em *m, uint32_t op, uint32_t flags, uint64_t src,
		   uint64_t dst, uint32_t bytes)
{
	dw(m, XE_SRIOV_SIM_CMD(op, flags, XE_SRIOV_SIM_LEN_COPY));
	dw(m, src);
	dw(m, src >> 32);
	dw(m, dst);
	dw(m, dst >> 32);
	dw(m, bytes);
}

/* Ring the doorbell for everything emitted into the ring so far. */
static void submit(struct eng *e, struct em *ring)
{
	e->tail = ring->pos;
	wr32(e->v, XE_SRIOV_SIM_RING_TAIL, e->tail);
	wr32(e->v, XE_SRIOV_SIM_ENGINE_DOORBELL, 1);
}

static uint32_t eng_status(struct vf *v)
{
	return rd32(v, XE_SRIOV_SIM_ENGINE_STATUS);
}

static uint32_t st_state(uint32_t st)
{
	return st & XE_SRIOV_SIM_ENGINE_STATE_MASK;
}

static uint32_t st_fault(uint32_t st)
{
	return (st & XE_SRIOV_SIM_ENGINE_STATUS_FAULT_MASK) >>
	       XE_SRIOV_SIM_ENGINE_STATUS_FAULT_SHIFT;
}

static uint32_t st_depth(uint32_t st)
{
	return (st & XE_SRIOV_SIM_ENGINE_STATUS_DEPTH_MASK) >>
	       XE_SRIOV_SIM_ENGINE_STATUS_DEPTH_SHIFT;
}

static void sleep_ms(unsigned int ms)
{
	usleep(ms * 1000);
}

/* Wait until (status & mask) == val; returns the last status. */
static uint32_t wait_status(struct vf *v, uint32_t mask, uint32_t val,
			    unsigned int ms)
{
	uint32_t st = eng_status(v);

	while ((st & mask) != val && ms--) {
		sleep_ms(1);
		st = eng_status(v);
	}
	return st;
}

/* Wait for the engine to be idle (not busy) or hung. */
static uint32_t wait_idle(struct vf *v, unsigned int ms)
{
	uint32_t st = eng_status(v);

	while (st_state(st) != XE_SRIOV_SIM_ENGINE_STATE_HUNG &&
	       (st & XE_SRIOV_SIM_ENGINE_STATUS_BUSY) && ms--) {
		sleep_ms(1);
		st = eng_status(v);
	}
	return st;
}

static bool st_idle(uint32_t st)
{
	return st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_IDLE &&
	       !(st & XE_SRIOV_SIM_ENGINE_STATUS_BUSY);
}

/* A "key: value" line of debugfs vf<id>/engine, or "" if absent. */
static const char *eng_dbg(struct vf *v, const char *key, char *out,
			   size_t len)
{
	char buf[2048], *p;
	size_t klen = strlen(key);

	out[0] = 0;
	if (dbg_read(v, "engine", buf, sizeof(buf)) < 0)
		return out;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, key, klen) && p[klen] == ':' && p[klen + 1] == ' ') {
			p += klen + 2;
			snprintf(out, len, "%.*s", (int)strcspn(p, "\n"), p);
			break;
		}
	}
	return out;
}

static uint64_t eng_dbg_u64(struct vf *v, const char *key)
{
	char buf[128];

	return strtoull(eng_dbg(v, key, buf, sizeof(buf)), NULL, 0);
}

/* Fill GGTT pages [page, page + n) with a pattern, page by page. */
static void fill_pages(struct eng *e, unsigned int page, unsigned int n,
		       uint32_t seed)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		fill(lp(e, ga(e->v, page + i, 0)), 4096, seed + i);
}

static uint8_t byte_at(struct eng *e, unsigned int page, uint32_t off)
{
	return *lp(e, ga(e->v, page + off / 4096, off % 4096));
}

/* CCS byte of the 256-byte block at GGTT page/offset, from debugfs ccs. */
static uint8_t ccs_at(struct eng *e, const uint8_t *ccs, unsigned int page,
		      uint32_t off)
{
	uint64_t pte = pte_rd(e->v, page + off / 4096);

	return ccs[((pte & XE_SRIOV_SIM_PTE_ADDR_MASK) + off % 4096) / 256];
}

static void clear_irqs(struct vf *v)
{
	wr32(v, XE_SRIOV_SIM_VF_IRQ_STATUS, ~0u);
	msi_count(v);
}

static void test_engine_basic(struct eng *e)
{
	struct vf *v = e->v;
	uint64_t d = ga(v, PG_DATA, 0);
	struct em r = ring_em(e);
	uint32_t st, n0;
	uint64_t cmds;

	CHECK(rd32(v, XE_SRIOV_SIM_RING_START) == ga(v, PG_RING, 0) &&
	      rd32(v, XE_SRIOV_SIM_RING_SIZE) == ENG_RING_SIZE &&
	      rd32(v, XE_SRIOV_SIM_ENGINE_CONTEXT) == ga(v, PG_CTX, 0),
	      "engine registers keep RING_START, RING_SIZE, CONTEXT");
	wr32(v, XE_SRIOV_SIM_RING_START, ga(v, PG_RING, 0x123));
	wr32(v, XE_SRIOV_SIM_ENGINE_CONTEXT, ga(v, PG_CTX, 0x3f));
	wr32(v, XE_SRIOV_SIM_RING_HEAD, 0x40);
	CHECK(rd32(v, XE_SRIOV_SIM_RING_START) == ga(v, PG_RING, 0) &&
	      rd32(v, XE_SRIOV_SIM_ENGINE_CONTEXT) == ga(v, PG_CTX, 0) &&
	      rd32(v, XE_SRIOV_SIM_RING_HEAD) == 0,
	      "RING_START 11:0 and CONTEXT 5:0 read 0, RING_HEAD read only");
	st = eng_status(v);
	CHECK(st == XE_SRIOV_SIM_ENGINE_STATE_IDLE, "ENGINE_STATUS idle: %#x", st);

	c_store(&r, d, 0x1234);
	c_seqno(&r, d + 4, 1);
	c_noop(&r);
	c_irq(&r);
	CHECK(rd32(v, XE_SRIOV_SIM_ENGINE_STATUS) == 0 && lrd(e, d) == 0,
	      "nothing runs before the doorbell");
	submit(e, &r);
	st = wait_idle(v, 2000);
	CHECK(st_idle(st), "engine idle after the ring (%#x)", st);
	CHECK(lrd(e, d) == 0x1234 && lrd(e, d + 4) == 1,
	      "STORE_DWORD and STORE_SEQNO landed");
	CHECK(rd32(v, XE_SRIOV_SIM_RING_HEAD) == e->tail,
	      "RING_HEAD = RING_TAIL = %#x", e->tail);
	CHECK(rd32(v, XE_SRIOV_SIM_VF_IRQ_STATUS) == XE_SRIOV_SIM_VF_IRQ_USER &&
	      msi_count(v) == 1, "USER_INTERRUPT: status bit and MSI");
	clear_irqs(v);
	CHECK(eng_dbg_u64(v, "commands_executed") == 4 &&
	      eng_dbg_u64(v, "last_seqno") == 1,
	      "debugfs engine: 4 commands, last seqno 1");

	/* Tail without doorbell: nothing; then the doorbell. */
	r = ring_em(e);
	c_store(&r, d + 8, 0x55);
	e->tail = r.pos;
	wr32(v, XE_SRIOV_SIM_RING_TAIL, e->tail);
	sleep_ms(20);
	CHECK(lrd(e, d + 8) == 0, "RING_TAIL alone does not start the engine");
	wr32(v, XE_SRIOV_SIM_ENGINE_DOORBELL, 0);
	wait_idle(v, 2000);
	CHECK(lrd(e, d + 8) == 0x55, "the doorbell does");

	/* Wrap around the end of the ring. */
	r = ring_em(e);
	n0 = r.pos;
	while (r.pos != ENG_RING_SIZE - 8)
		c_noop(&r);
	c_store(&r, d + 12, 0x77);
	c_seqno(&r, d + 16, 2);
	cmds = eng_dbg_u64(v, "commands_executed");
	submit(e, &r);
	st = wait_idle(v, 2000);
	CHECK(st_idle(st) && lrd(e, d + 12) == 0x77 && lrd(e, d + 16) == 2 &&
	      rd32(v, XE_SRIOV_SIM_RING_HEAD) == e->tail && e->tail == 24,
	      "a STORE wrapping around the ring end (head %#x)",
	      rd32(v, XE_SRIOV_SIM_RING_HEAD));
	CHECK(eng_dbg_u64(v, "commands_executed") - cmds ==
	      (ENG_RING_SIZE - 8 - n0) / 4 + 2,
	      "%u NOOPs and 2 stores counted (budget requeues on the way)",
	      (ENG_RING_SIZE - 8 - n0) / 4);
}

/* COPY, COPY|COMPRESS, RESOLVE, CTRL_SURF_COPY, and a stale CCS byte. */
static void test_engine_copy(struct eng *e)
{
	struct vf *v = e->v;
	const uint32_t n = 4 * 4096, blocks = n / 256;
	size_t ccs_len = v->lmem_size / 256;
	uint8_t *ccs = malloc(ccs_len), want_ccs[64];
	unsigned int bad = 0, bad_ccs = 0, i, b, which = ~0u;
	struct em r = ring_em(e);
	uint32_t st;

	fill_pages(e, PG_SRC, 4, 0xfeed);
	/* Plain copy, unaligned, across scattered pages. */
	c_copy(&r, XE_SRIOV_SIM_OP_COPY, 0, ga(v, PG_SRC, 3), ga(v, PG_RES, 1),
	       n - 100);
	submit(e, &r);
	st = wait_idle(v, 2000);
	for (i = 0; i < n - 100; i++)
		bad += byte_at(e, PG_SRC, 3 + i) != byte_at(e, PG_RES, 1 + i);
	CHECK(st_idle(st) && !bad, "COPY: %u bytes, unaligned, scattered pages (%u bad)",
	      n - 100, bad);

	r = ring_em(e);
	c_copy(&r, XE_SRIOV_SIM_OP_COPY, XE_SRIOV_SIM_COPY_COMPRESS,
	       ga(v, PG_SRC, 0), ga(v, PG_CMP, 0), n);
	submit(e, &r);
	st = wait_idle(v, 2000);
	CHECK(st_idle(st), "COPY|COMPRESS done (%#x)", st);
	if (ccs_io(v, ccs, ccs_len, false))
		die("ccs read");
	bad = 0;
	for (b = 0; b < blocks; b++) {
		uint32_t sum = 0;
		uint8_t c;

		for (i = 0; i < 256; i++)
			sum += byte_at(e, PG_SRC, b * 256 + i);
		c = XE_SRIOV_SIM_CCS_OF(sum);
		want_ccs[b] = c;
		bad_ccs += ccs_at(e, ccs, PG_CMP, b * 256) != c;
		for (i = 0; i < 256; i++)
			bad += byte_at(e, PG_CMP, b * 256 + i) !=
			       (byte_at(e, PG_SRC, b * 256 + i) ^ c);
	}
	CHECK(!bad && !bad_ccs,
	      "COPY|COMPRESS: dst = src ^ ccs, CCS = checksum byte (%u/%u bad)",
	      bad, bad_ccs);

	r = ring_em(e);
	c_copy(&r, XE_SRIOV_SIM_OP_RESOLVE, 0, ga(v, PG_CMP, 0),
	       ga(v, PG_RES, 0), n);
	c_copy(&r, XE_SRIOV_SIM_OP_CTRL_SURF_COPY, 0, ga(v, PG_CMP, 0),
	       ga(v, PG_CSC, 1), n);
	submit(e, &r);
	st = wait_idle(v, 2000);
	bad = 0;
	for (i = 0; i < n; i++)
		bad += byte_at(e, PG_RES, i) != byte_at(e, PG_SRC, i);
	CHECK(st_idle(st) && !bad, "RESOLVE gives the source back (%u bad)", bad);
	if (ccs_io(v, ccs, ccs_len, false))
		die("ccs read");
	bad_ccs = 0;
	for (b = 0; b < blocks; b++)
		bad_ccs += ccs_at(e, ccs, PG_RES, b * 256) != 0;
	CHECK(!bad_ccs, "RESOLVE: dst CCS 0 (uncompressed)");
	bad = 0;
	for (b = 0; b < blocks; b++)
		bad += byte_at(e, PG_CSC, 1 + b) != want_ccs[b];
	CHECK(!bad, "CTRL_SURF_COPY: %u CCS bytes to an unaligned dst", blocks);

	/* A stale CCS byte: that block resolves wrong, the others right. */
	{
		uint64_t pte = pte_rd(v, PG_CMP + 1);
		size_t at = ((pte & XE_SRIOV_SIM_PTE_ADDR_MASK) + 512) / 256;

		ccs[at] ^= 0x5a;
		if (ccs_io(v, ccs, ccs_len, true))
			die("ccs write");
	}
	r = ring_em(e);
	c_copy(&r, XE_SRIOV_SIM_OP_RESOLVE, 0, ga(v, PG_CMP, 0),
	       ga(v, PG_RES, 0), n);
	submit(e, &r);
	wait_idle(v, 2000);
	bad = 0;
	for (b = 0; b < blocks; b++) {
		unsigned int diff = 0;

		for (i = 0; i < 256; i++)
			diff += byte_at(e, PG_RES, b * 256 + i) !=
				byte_at(e, PG_SRC, b * 256 + i);
		if (diff) {
			bad++;
			which = b;
		}
	}
	CHECK(bad == 1 && which == (4096 + 512) / 256,
	      "stale CCS: only its block resolves wrong (%u blocks, #%u)",
	      bad, which);
	free(ccs);
}

/* Batches nested 3 deep, a timed SPIN_UNTIL, the budget. */
static void test_engine_batches(struct eng *e)
{
	struct vf *v = e->v;
	uint64_t d = ga(v, PG_DATA, 0x100);
	struct em r = ring_em(e), b1 = batch_em(e, PG_BB1),
		  b2 = batch_em(e, PG_BB2), b3 = batch_em(e, PG_BB3),
		  nb = batch_em(e, PG_NOOPS);
	uint32_t st, i, n_noops = 5 * 4096 / 4 - 5;
	uint64_t cmds;

	c_store(&b1, d, 1);
	c_bb(&b1, ga(v, PG_BB2, 0));
	c_store(&b1, d + 12, 4);
	c_bb_end(&b1);
	c_store(&b2, d + 4, 2);
	c_bb(&b2, ga(v, PG_BB3, 0));
	c_bb_end(&b2);
	c_store(&b3, d + 8, 3);
	c_bb_end(&b3);
	c_bb(&r, ga(v, PG_BB1, 0));
	c_seqno(&r, d + 16, 5);
	cmds = eng_dbg_u64(v, "commands_executed");
	submit(e, &r);
	st = wait_idle(v, 2000);
	CHECK(st_idle(st) && lrd(e, d) == 1 && lrd(e, d + 4) == 2 &&
	      lrd(e, d + 8) == 3 && lrd(e, d + 12) == 4 && lrd(e, d + 16) == 5,
	      "batches nested 3 deep run in order, then return (%#x)", st);
	CHECK(eng_dbg_u64(v, "commands_executed") - cmds == 11 && !st_depth(st),
	      "11 commands, depth back to 0");

	/* SPIN_UNTIL that never matches, max 5: goes on after 5 checks. */
	r = ring_em(e);
	c_spin(&r, d + 20, 0xabc, 5);
	c_store(&r, d + 24, 6);
	submit(e, &r);
	st = wait_status(v, XE_SRIOV_SIM_ENGINE_STATUS_SPINNING,
			 XE_SRIOV_SIM_ENGINE_STATUS_SPINNING, 1000);
	CHECK(st & XE_SRIOV_SIM_ENGINE_STATUS_SPINNING, "SPIN_UNTIL waits (%#x)", st);
	st = wait_idle(v, 2000);
	CHECK(st_idle(st) && lrd(e, d + 24) == 6,
	      "SPIN_UNTIL gives up after max iterations");

	/* A long batch of NOOPs: many budget requeues. */
	for (i = 0; i < n_noops; i++)
		c_noop(&nb);
	c_store(&nb, d + 28, 7);
	c_bb_end(&nb);
	r = ring_em(e);
	c_bb(&r, ga(v, PG_NOOPS, 0));
	cmds = eng_dbg_u64(v, "commands_executed");
	submit(e, &r);
	st = wait_idle(v, 5000);
	CHECK(st_idle(st) && lrd(e, d + 28) == 7 &&
	      eng_dbg_u64(v, "commands_executed") - cmds == n_noops + 3,
	      "a batch of %u NOOPs across 5 pages", n_noops);
}

/*
 * A pause stops the engine between SPIN_UNTIL iterations and writes the
 * context image; a doorbell while paused is remembered.
 */
static void test_engine_pause(struct eng *e)
{
	struct vf *v = e->v;
	uint64_t d = ga(v, PG_DATA, 0x200), ctx = ga(v, PG_CTX, 0);
	struct em r = ring_em(e), b1 = batch_em(e, PG_BB1);
	struct xe_sriov_sim_engine_context img;
	uint32_t st, head, spins;
	char buf[128];

	c_spin(&b1, d, 0x600d, 0);
	c_store(&b1, d + 4, 0xb0);
	c_bb_end(&b1);
	c_store(&r, d + 8, 0xa0);
	c_bb(&r, ga(v, PG_BB1, 0));
	head = r.pos;
	c_seqno(&r, d + 12, 9);
	submit(e, &r);
	st = wait_status(v, XE_SRIOV_SIM_ENGINE_STATUS_SPINNING,
			 XE_SRIOV_SIM_ENGINE_STATUS_SPINNING, 1000);
	CHECK(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_RUNNING &&
	      (st & XE_SRIOV_SIM_ENGINE_STATUS_BUSY) && st_depth(st) == 1,
	      "spinning in a batch: RUNNING|BUSY|SPINNING, depth 1 (%#x)", st);
	CHECK(!strcmp(eng_dbg(v, "state", buf, sizeof(buf)), "RUNNING"),
	      "debugfs engine: RUNNING");
	CHECK(dbg_write(v, "pause", "1") == 0, "pause the VF");
	st = eng_status(v);
	CHECK(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_PAUSED &&
	      (st & XE_SRIOV_SIM_ENGINE_STATUS_SPINNING),
	      "engine PAUSED mid-spin (%#x)", st);
	memcpy(&img, lp(e, ctx), sizeof(img));
	CHECK(img.magic == XE_SRIOV_SIM_ENGINE_CONTEXT_MAGIC && img.saves == 1 &&
	      img.depth == 1 && img.ring_head == head &&
	      img.batch_addr[0] == ga(v, PG_BB1, 0) && img.batch_pos[0] == 0 &&
	      img.spin_iterations > 0 && img.ring_start == ga(v, PG_RING, 0),
	      "context image: head %#x, batch %#x+%#x, %u spins",
	      img.ring_head, img.batch_addr[0], img.batch_pos[0],
	      img.spin_iterations);
	spins = img.spin_iterations;

	lwr(e, d, 0x600d);
	r = ring_em(e);
	c_store(&r, d + 16, 0xc0);
	submit(e, &r);
	sleep_ms(30);
	st = eng_status(v);
	CHECK(lrd(e, d + 4) == 0 && lrd(e, d + 16) == 0 &&
	      (st & XE_SRIOV_SIM_ENGINE_STATUS_KICK_PENDING) &&
	      rd32(v, XE_SRIOV_SIM_ENGINE_DOORBELL) == XE_SRIOV_SIM_DOORBELL_PENDING,
	      "nothing runs while paused; the doorbell is remembered (%#x)", st);
	CHECK(eng_dbg_u64(v, "spin_iterations") == spins,
	      "no spin iteration while paused");
	CHECK(dbg_write(v, "resume", "1") == 0, "resume");
	st = wait_idle(v, 2000);
	CHECK(st_idle(st) && lrd(e, d + 4) == 0xb0 && lrd(e, d + 8) == 0xa0 &&
	      lrd(e, d + 12) == 9 && lrd(e, d + 16) == 0xc0 &&
	      !(st & XE_SRIOV_SIM_ENGINE_STATUS_KICK_PENDING),
	      "after resume the spin ends and everything runs (%#x)", st);

	/* A stopped VF holds the engine too. */
	r = ring_em(e);
	c_store(&r, d + 20, 0xd0);
	CHECK(dbg_write(v, "stop", "1") == 0, "stop the VF");
	submit(e, &r);
	sleep_ms(20);
	CHECK(lrd(e, d + 20) == 0 &&
	      st_state(eng_status(v)) == XE_SRIOV_SIM_ENGINE_STATE_PAUSED,
	      "a stopped VF's engine does nothing");
}

struct fault_case {
	const char *name;
	uint32_t reason;
};

/*
 * Run one faulting ring on a freshly reset VF and check the hang: state,
 * reason, address, ERROR interrupt and MSI, debugfs, kicks ignored, FLR.
 */
static void engine_fault(struct eng *e, const char *name, uint32_t reason,
			 uint64_t addr, void (*build)(struct eng *e, struct em *r))
{
	struct vf *v = e->v;
	struct em r;
	uint32_t st, head, fault_lo, fault_hi;
	char buf[128], want[128];

	ioctl(v->fd, VFIO_DEVICE_RESET);
	eng_setup(e);
	clear_irqs(v);
	r = ring_em(e);
	build(e, &r);
	submit(e, &r);
	st = wait_idle(v, 3000);
	fault_lo = rd32(v, XE_SRIOV_SIM_ENGINE_FAULT_ADDR_LO);
	fault_hi = rd32(v, XE_SRIOV_SIM_ENGINE_FAULT_ADDR_HI);
	CHECK(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG &&
	      st_fault(st) == reason &&
	      (fault_lo | (uint64_t)fault_hi << 32) == addr,
	      "%s: HUNG, reason %u (%u), address %#" PRIx64 " (%#x%08x)", name,
	      reason, st_fault(st), addr, fault_hi, fault_lo);
	CHECK((rd32(v, XE_SRIOV_SIM_VF_IRQ_STATUS) & XE_SRIOV_SIM_VF_IRQ_ERROR) &&
	      msi_count(v) >= 1, "%s: ERROR interrupt and MSI", name);
	snprintf(want, sizeof(want), "addr %#" PRIx64, addr);
	eng_dbg(v, "last_fault", buf, sizeof(buf));
	CHECK(strstr(buf, want) && !strcmp(eng_dbg(v, "state", want, sizeof(want)),
					   "HUNG"),
	      "%s: debugfs engine: HUNG, last_fault %s", name, buf);
	head = rd32(v, XE_SRIOV_SIM_RING_HEAD);
	wr32(v, XE_SRIOV_SIM_ENGINE_DOORBELL, 1);
	sleep_ms(10);
	CHECK(st_state(eng_status(v)) == XE_SRIOV_SIM_ENGINE_STATE_HUNG &&
	      rd32(v, XE_SRIOV_SIM_RING_HEAD) == head &&
	      !(eng_status(v) & XE_SRIOV_SIM_ENGINE_STATUS_KICK_PENDING),
	      "%s: a hung engine ignores the doorbell", name);
}

static void f_pte_invalid(struct eng *e, struct em *r)
{
	c_store(r, ga(e->v, PG_DATA, 0), 1);
	c_store(r, ga(e->v, PG_UNMAPPED, 8), 1);
}

static void f_out_of_slice(struct eng *e, struct em *r)
{
	c_store(r, e->v->ggtt_start - 4, 1);
}

static void f_far(struct eng *e, struct em *r)
{
	(void)e;
	c_spin(r, 0xffffffff00000000ull, 0, 0);
}

static void f_bad_opcode(struct eng *e, struct em *r)
{
	(void)e;
	c_noop(r);
	dw(r, 0x7f000000);
}

static void f_bad_length(struct eng *e, struct em *r)
{
	(void)e;
	c_noop(r);
	dw(r, XE_SRIOV_SIM_CMD(XE_SRIOV_SIM_OP_STORE_DWORD, 0, 2));
	dw(r, 0);
	dw(r, 0);
}

static void f_bad_flags(struct eng *e, struct em *r)
{
	c_noop(r);
	c_copy(r, XE_SRIOV_SIM_OP_RESOLVE, XE_SRIOV_SIM_COPY_COMPRESS,
	       ga(e->v, PG_SRC, 0), ga(e->v, PG_RES, 0), 256);
}

static void f_truncated(struct eng *e, struct em *r)
{
	c_noop(r);
	c_store(r, ga(e->v, PG_DATA, 0), 1);
	r->pos -= 4;
}

static void f_bad_ring(struct eng *e, struct em *r)
{
	c_noop(r);
	wr32(e->v, XE_SRIOV_SIM_RING_SIZE, 3000);
}

static void f_align(struct eng *e, struct em *r)
{
	c_noop(r);
	c_copy(r, XE_SRIOV_SIM_OP_COPY, XE_SRIOV_SIM_COPY_COMPRESS,
	       ga(e->v, PG_SRC, 0), ga(e->v, PG_CMP, 4), 256);
}

static void f_unaligned_store(struct eng *e, struct em *r)
{
	c_store(r, ga(e->v, PG_DATA, 2), 1);
}

static void f_depth(struct eng *e, struct em *r)
{
	struct em b[4];
	int i;

	for (i = 0; i < 4; i++) {
		b[i] = batch_em(e, PG_BB1 + i);
		if (i < 3)
			c_bb(&b[i], ga(e->v, PG_BB1 + i + 1, 0));
		c_bb_end(&b[i]);
	}
	c_bb(r, ga(e->v, PG_BB1, 0));
}

static void f_bb_end(struct eng *e, struct em *r)
{
	(void)e;
	c_noop(r);
	c_bb_end(r);
}

static void f_pte_range(struct eng *e, struct em *r)
{
	pte_wr(e->v, PG_UNMAPPED, e->v->lmem_size | XE_SRIOV_SIM_PTE_VALID);
	c_store(r, ga(e->v, PG_UNMAPPED, 0), 1);
}

static void f_batch_unmapped(struct eng *e, struct em *r)
{
	c_bb(r, ga(e->v, PG_UNMAPPED, 16));
}

static void f_ring_unmapped(struct eng *e, struct em *r)
{
	c_noop(r);
	wr32(e->v, XE_SRIOV_SIM_RING_START, ga(e->v, PG_UNMAPPED, 0));
}

static void f_ctx_pause(struct eng *e, struct em *r)
{
	c_spin(r, ga(e->v, PG_DATA, 0), 1, 0);
	wr32(e->v, XE_SRIOV_SIM_ENGINE_CONTEXT, ga(e->v, PG_UNMAPPED, 64));
}

static void f_spin_limit(struct eng *e, struct em *r)
{
	c_noop(r);
	c_spin(r, ga(e->v, PG_DATA, 0), 1, 0);
}

static void set_spin_limit(unsigned int n)
{
	FILE *f = fopen("/sys/module/xe_sriov_sim/parameters/engine_spin_limit", "w");

	if (!f || fprintf(f, "%u\n", n) < 0 || fclose(f))
		die("engine_spin_limit");
}

static void test_engine_faults(struct eng *e)
{
	struct vf *v = e->v;
	uint32_t st;

	engine_fault(e, "invalid PTE", XE_SRIOV_SIM_ENGINE_FAULT_PTE_INVALID,
		     ga(v, PG_UNMAPPED, 8), f_pte_invalid);
	CHECK(lrd(e, ga(v, PG_DATA, 0)) == 1 &&
	      rd32(v, XE_SRIOV_SIM_RING_HEAD) == 16,
	      "invalid PTE: the store before it landed, head on the faulting one");
	CHECK(!ioctl(v->fd, VFIO_DEVICE_RESET), "FLR");
	st = eng_status(v);
	CHECK(st == 0 && rd32(v, XE_SRIOV_SIM_RING_HEAD) == 0 &&
	      rd32(v, XE_SRIOV_SIM_RING_START) == 0 &&
	      rd32(v, XE_SRIOV_SIM_ENGINE_FAULT_ADDR_LO) == 0,
	      "FLR resets the engine (%#x)", st);

	engine_fault(e, "out of the slice", XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE,
		     v->ggtt_start - 4, f_out_of_slice);
	engine_fault(e, "64-bit address", XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE,
		     0xffffffff00000000ull, f_far);
	engine_fault(e, "PTE past the LMEM", XE_SRIOV_SIM_ENGINE_FAULT_PTE_RANGE,
		     ga(v, PG_UNMAPPED, 0), f_pte_range);
	engine_fault(e, "unknown opcode", XE_SRIOV_SIM_ENGINE_FAULT_BAD_OPCODE,
		     ga(v, PG_RING, 4), f_bad_opcode);
	engine_fault(e, "wrong length", XE_SRIOV_SIM_ENGINE_FAULT_BAD_LENGTH,
		     ga(v, PG_RING, 4), f_bad_length);
	engine_fault(e, "flag RESOLVE does not take",
		     XE_SRIOV_SIM_ENGINE_FAULT_BAD_FLAGS, ga(v, PG_RING, 4),
		     f_bad_flags);
	engine_fault(e, "command past the tail", XE_SRIOV_SIM_ENGINE_FAULT_TRUNCATED,
		     ga(v, PG_RING, 4), f_truncated);
	engine_fault(e, "RING_SIZE 3000", XE_SRIOV_SIM_ENGINE_FAULT_BAD_RING,
		     ga(v, PG_RING, 0), f_bad_ring);
	engine_fault(e, "COMPRESS to an unaligned dst",
		     XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT, ga(v, PG_RING, 4),
		     f_align);
	engine_fault(e, "unaligned STORE", XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT,
		     ga(v, PG_DATA, 2), f_unaligned_store);
	engine_fault(e, "4 nested batches", XE_SRIOV_SIM_ENGINE_FAULT_BATCH_DEPTH,
		     ga(v, PG_BB3, 0), f_depth);
	engine_fault(e, "BATCH_END in the ring", XE_SRIOV_SIM_ENGINE_FAULT_BATCH_END,
		     ga(v, PG_RING, 4), f_bb_end);
	engine_fault(e, "batch behind an invalid PTE",
		     XE_SRIOV_SIM_ENGINE_FAULT_PTE_INVALID, ga(v, PG_UNMAPPED, 16),
		     f_batch_unmapped);
	engine_fault(e, "ring behind an invalid PTE",
		     XE_SRIOV_SIM_ENGINE_FAULT_PTE_INVALID, ga(v, PG_UNMAPPED, 0),
		     f_ring_unmapped);
	set_spin_limit(3);
	engine_fault(e, "SPIN_UNTIL past engine_spin_limit",
		     XE_SRIOV_SIM_ENGINE_FAULT_SPIN_TIMEOUT, ga(v, PG_RING, 4),
		     f_spin_limit);
	set_spin_limit(30000);

	/* A context image behind an invalid PTE: the pause hangs the engine. */
	ioctl(v->fd, VFIO_DEVICE_RESET);
	eng_setup(e);
	clear_irqs(v);
	{
		struct em r = ring_em(e);

		f_ctx_pause(e, &r);
		submit(e, &r);
	}
	wait_status(v, XE_SRIOV_SIM_ENGINE_STATUS_SPINNING,
		    XE_SRIOV_SIM_ENGINE_STATUS_SPINNING, 1000);
	CHECK(dbg_write(v, "pause", "1") == 0, "pause with a bad CONTEXT");
	st = eng_status(v);
	CHECK(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG &&
	      st_fault(st) == XE_SRIOV_SIM_ENGINE_FAULT_PTE_INVALID &&
	      rd32(v, XE_SRIOV_SIM_ENGINE_FAULT_ADDR_LO) == ga(v, PG_UNMAPPED, 64) &&
	      (rd32(v, XE_SRIOV_SIM_VF_IRQ_STATUS) & XE_SRIOV_SIM_VF_IRQ_ERROR),
	      "context save fault: HUNG, PTE_INVALID at the image (%#x)", st);
	CHECK(dbg_write(v, "resume", "1") == 0 &&
	      st_state(eng_status(v)) == XE_SRIOV_SIM_ENGINE_STATE_HUNG,
	      "still hung after resume");
	ioctl(v->fd, VFIO_DEVICE_RESET);
}

/* A random GGTT address: mostly in the first 49 pages (48 is unmapped). */
static uint64_t garbage_addr(struct vf *v, unsigned int *seed)
{
	uint32_t x = rand_r(seed);

	if (x % 32 == 0)
		return (uint64_t)rand_r(seed) << 33 ^ rand_r(seed);
	return ga(v, x / 32 % 49, (x >> 12) & (x & 1 ? 0xf00 : 0xffc));
}

/* A random command, mostly well formed, with random operands. */
static void garbage_cmd(struct em *m, struct vf *v, unsigned int *seed)
{
	uint32_t x = rand_r(seed), y = rand_r(seed);
	uint64_t a = garbage_addr(v, seed), b = garbage_addr(v, seed);
	uint32_t bytes = x & 0x100 ? (y % 16) * 256 : y % 8192;

	switch (x % 11 == 10 && y % 8 ? XE_SRIOV_SIM_OP_NOOP : x % 11) {
	case XE_SRIOV_SIM_OP_NOOP:
		c_noop(m);
		break;
	case XE_SRIOV_SIM_OP_STORE_DWORD:
		c_store(m, a, y);
		break;
	case XE_SRIOV_SIM_OP_STORE_SEQNO:
		c_seqno(m, a, y);
		break;
	case XE_SRIOV_SIM_OP_USER_INTERRUPT:
		c_irq(m);
		break;
	case XE_SRIOV_SIM_OP_BATCH_START:
		c_bb(m, y % 8 ? ga(v, PG_BB1 + y % 4, y / 4 % 16 * 4) : a);
		break;
	case XE_SRIOV_SIM_OP_BATCH_END:
		c_bb_end(m);
		break;
	case XE_SRIOV_SIM_OP_SPIN_UNTIL:
		c_spin(m, a, y % 2, y % 6);
		break;
	case XE_SRIOV_SIM_OP_COPY:
	case XE_SRIOV_SIM_OP_RESOLVE:
	case XE_SRIOV_SIM_OP_CTRL_SURF_COPY:
		c_copy(m, x % 12, x & 0x200 ? XE_SRIOV_SIM_COPY_COMPRESS : 0, a, b,
		       bytes);
		break;
	default:
		dw(m, y);
		break;
	}
}

/* Random rings and batches: whatever they hold, the engine idles or hangs. */
static void test_engine_garbage(struct eng *e, unsigned int rounds)
{
	struct vf *v = e->v;
	unsigned int seed = 7, i, j, hung = 0, idle = 0;

	set_spin_limit(20);
	for (i = 0; i < rounds; i++) {
		struct em r;
		uint32_t st;

		ioctl(v->fd, VFIO_DEVICE_RESET);
		eng_setup(e);
		for (j = 0; j < 4; j++) {
			struct em b = batch_em(e, PG_BB1 + j);

			while (b.pos < 2048)
				garbage_cmd(&b, v, &seed);
		}
		r = ring_em(e);
		for (j = rand_r(&seed) % 16; j < 16; j++)
			garbage_cmd(&r, v, &seed);
		submit(e, &r);
		st = wait_idle(v, 3000);
		if (st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG)
			hung++;
		else if (st_idle(st))
			idle++;
	}
	set_spin_limit(30000);
	printf("# %u random rings: %u hung, %u idle\n", rounds, hung, idle);
	CHECK(hung + idle == rounds, "random rings end hung or idle (%u of %u)",
	      hung + idle, rounds);
	ioctl(v->fd, VFIO_DEVICE_RESET);
}

static void test_engine(const char *uuid)
{
	struct vf v;
	struct eng e;

	vf_lookup(&v, uuid);
	vf_open(&v);
	msi_attach(&v);
	eng_map(&e, &v);
	eng_setup(&e);
	printf("# VF%u engine, GGTT %#" PRIx64 "\n", v.id, v.ggtt_start);
	test_engine_basic(&e);
	test_engine_copy(&e);
	test_engine_batches(&e);
	test_engine_pause(&e);
	CHECK(!ioctl(v.fd, VFIO_DEVICE_RESET) && guc_state_is(&v, "VF_READY"),
	      "FLR recovers the stopped VF");
	test_engine_faults(&e);
	test_engine_garbage(&e, 200);
	set_spin_limit(30000);
	eng_unmap(&e);
	vf_close(&v);
}

/* ---- migrate-busy ---- */

static bool addr_op(uint32_t op)
{
	return op == XE_SRIOV_SIM_OP_STORE_DWORD ||
	       op == XE_SRIOV_SIM_OP_STORE_SEQNO ||
	       op == XE_SRIOV_SIM_OP_BATCH_START ||
	       op == XE_SRIOV_SIM_OP_SPIN_UNTIL ||
	       op == XE_SRIOV_SIM_OP_COPY || op == XE_SRIOV_SIM_OP_RESOLVE ||
	       op == XE_SRIOV_SIM_OP_CTRL_SURF_COPY;
}

static void patch64(struct eng *e, uint64_t at, int64_t delta)
{
	uint64_t a = lrd(e, at) | (uint64_t)lrd(e, at + 4) << 32;

	a += delta;
	lwr(e, at, a);
	lwr(e, at + 4, a >> 32);
}

/*
 * The VF driver's fixups of one command stream (the ring from @pos to @end,
 * or a batch up to its BATCH_END): add @delta to every GGTT address
 * operand, following BATCH_STARTs. @base is the stream's address in the
 * new GGTT. Returns the number of operands patched.
 */
static unsigned int patch_stream(struct eng *e, uint64_t base, uint32_t pos,
				 uint32_t end, bool ring, int64_t delta,
				 unsigned int depth)
{
	unsigned int n = 0, guard = 0;

	while ((ring ? pos != end : true) && guard++ < 4096 && depth < 4) {
		uint64_t at = base + (ring ? pos % ENG_RING_SIZE : pos);
		uint32_t dw0 = lrd(e, at);
		uint32_t op = XE_SRIOV_SIM_CMD_OPCODE(dw0);
		uint32_t len = dw0 & XE_SRIOV_SIM_CMD_LEN_MASK;
		uint64_t a;

		if (!ring && op == XE_SRIOV_SIM_OP_BATCH_END)
			break;
		if (addr_op(op)) {
			/* (a ring command never wraps in this test) */
			patch64(e, at + 4, delta);
			n++;
		}
		if (op == XE_SRIOV_SIM_OP_COPY || op == XE_SRIOV_SIM_OP_RESOLVE ||
		    op == XE_SRIOV_SIM_OP_CTRL_SURF_COPY) {
			patch64(e, at + 12, delta);
			n++;
		}
		if (op == XE_SRIOV_SIM_OP_BATCH_START) {
			a = lrd(e, at + 4) | (uint64_t)lrd(e, at + 8) << 32;
			n += patch_stream(e, a, 0, 0, false, delta, depth + 1);
		}
		pos += 4 * (1 + len);
		if (ring)
			pos %= ENG_RING_SIZE;
	}
	return n;
}

/* Slots of the migrate-busy program, in the data page. */
enum {
	SLOT_PRE = 0, SLOT_POST = 16, SLOT_QUEUED = 32, SLOT_FENCE = 60,
	SLOT_FLAG = 62, N_PRE = 3, N_POST = 2, N_QUEUED = 8,
};

static uint64_t slot(struct vf *v, unsigned int i)
{
	return ga(v, PG_DATA, 4 * i);
}

/*
 * Source program: ring = STORE pre0; BATCH_START bb1; STORE_SEQNO fence 100
 * bb1 = STORE pre1; BATCH_START bb2; STORE post1; BATCH_END
 * bb2 = STORE pre2; SPIN_UNTIL flag == 0x600d; STORE post0; BATCH_END
 * then, queued while it spins: N_QUEUED STOREs, a COPY|COMPRESS, a
 * USER_INTERRUPT and STORE_SEQNO fence 200. 18 + N_QUEUED commands.
 */
static unsigned int busy_program(struct eng *e)
{
	struct vf *v = e->v;
	struct em r = ring_em(e), b1 = batch_em(e, PG_BB1),
		  b2 = batch_em(e, PG_BB2);

	c_store(&b2, slot(v, SLOT_PRE + 2), 0xa2);
	c_spin(&b2, slot(v, SLOT_FLAG), 0x600d, 0);
	c_store(&b2, slot(v, SLOT_POST + 0), 0xb0);
	c_bb_end(&b2);
	c_store(&b1, slot(v, SLOT_PRE + 1), 0xa1);
	c_bb(&b1, ga(v, PG_BB2, 0));
	c_store(&b1, slot(v, SLOT_POST + 1), 0xb1);
	c_bb_end(&b1);
	c_store(&r, slot(v, SLOT_PRE + 0), 0xa0);
	c_bb(&r, ga(v, PG_BB1, 0));
	c_seqno(&r, slot(v, SLOT_FENCE), 100);
	submit(e, &r);
	return 11;
}

static unsigned int busy_queue(struct eng *e)
{
	struct vf *v = e->v;
	struct em r = ring_em(e);
	unsigned int i;

	for (i = 0; i < N_QUEUED; i++)
		c_store(&r, slot(v, SLOT_QUEUED + i), 0xc0 + i);
	c_copy(&r, XE_SRIOV_SIM_OP_COPY, XE_SRIOV_SIM_COPY_COMPRESS,
	       ga(v, PG_SRC, 0), ga(v, PG_CMP, 0), 8192);
	c_irq(&r);
	c_seqno(&r, slot(v, SLOT_FENCE), 200);
	submit(e, &r);
	return N_QUEUED + 3;
}

/* Migrate src to dst through VFIO; dst ends VF_RESFIX_BLOCKED. */
static bool vfio_migrate(struct vf *src, struct vf *dst, const char *what)
{
	struct blob b = {};
	int fd, ret;
	bool ok;

	ret = mig_set(src, VFIO_DEVICE_STATE_STOP_COPY, &fd);
	ok = !ret && !read_all(fd, &b);
	if (!ret)
		close(fd);
	ok = ok && !mig_set(src, VFIO_DEVICE_STATE_STOP, NULL);
	ret = mig_set(dst, VFIO_DEVICE_STATE_RESUMING, &fd);
	ok = ok && !ret && !write_segmented(fd, b.p, b.len);
	if (!ret)
		close(fd);
	ok = ok && !mig_set(dst, VFIO_DEVICE_STATE_RUNNING, NULL) &&
	     guc_state_is(dst, "VF_RESFIX_BLOCKED");
	CHECK(ok, "%s: VFIO migration VF%u -> VF%u, dst VF_RESFIX_BLOCKED", what,
	      src->id, dst->id);
	free(b.p);
	return ok;
}

static uint32_t resfix_start(struct vf *v, uint32_t marker)
{
	return mbx(v, hxg_req(XE_SRIOV_SIM_VF2GUC_RESFIX_START, marker), 0, NULL);
}

static uint32_t resfix_done(struct vf *v, uint32_t marker)
{
	return mbx(v, hxg_req(XE_SRIOV_SIM_VF2GUC_RESFIX_DONE, marker), 0, NULL);
}

/* Every fixup: RING_START, CONTEXT, the ring from 0 to the tail, batches. */
static unsigned int fixups(struct eng *e, int64_t delta)
{
	struct vf *v = e->v;
	uint32_t start = rd32(v, XE_SRIOV_SIM_RING_START) + delta;

	wr32(v, XE_SRIOV_SIM_RING_START, start);
	wr32(v, XE_SRIOV_SIM_ENGINE_CONTEXT,
	     rd32(v, XE_SRIOV_SIM_ENGINE_CONTEXT) + delta);
	return patch_stream(e, start, 0, rd32(v, XE_SRIOV_SIM_RING_TAIL), true,
			    delta, 0);
}

/* Save a paused, busy VF through debugfs. */
static void dbg_save(struct vf *v, struct blob *b)
{
	int fd;

	dbg_write(v, "save", "1");
	fd = dbg_fd(v, "migration_data", O_RDONLY);
	if (fd < 0 || read_all(fd, b))
		die("save");
	close(fd);
	if (dbg_finish(v, "save"))
		die("finish save");
}

enum engine_mut {
	EM_MAGIC, EM_SIZE, EM_STATE, EM_FLAGS, EM_DEPTH, EM_IDLE_DEPTH,
	EM_HUNG_NO_REASON, EM_REASON_NOT_HUNG, EM_POS_ALIGN, EM_POS_PAST_DEPTH,
	EM_POS_NO_ROOM, EM_RING_START, EM_CONTEXT, EM_HEAD, EM_RESERVED,
	EM_SHORT, EM_COUNT
};

static const char * const engine_mut_name[EM_COUNT] = {
	"engine magic", "engine size", "engine state 3", "unknown flag",
	"depth 4", "idle at depth 1", "hung without a reason",
	"fault reason but not hung", "unaligned batch position",
	"position past the depth", "no room for a BATCH_START",
	"RING_START not 4K aligned", "CONTEXT not 64-byte aligned",
	"head past the largest ring", "reserved not zero",
	"blob without the whole engine section",
};

/* The GUC packet's payload in a saved stream, or NULL. */
static struct xe_sriov_sim_guc_state *find_guc(struct blob *b, size_t *hdr_pos)
{
	size_t pos = 0;

	while (pos + sizeof(struct xe_sriov_packet_hdr) <= b->len) {
		struct xe_sriov_packet_hdr h;

		memcpy(&h, b->p + pos, sizeof(h));
		if (h.type == XE_SRIOV_PACKET_TYPE_GUC) {
			*hdr_pos = pos;
			return (void *)(b->p + pos + sizeof(h));
		}
		pos += sizeof(h) + h.size;
	}
	return NULL;
}

/*
 * The GUC blob: version 2 with the engine section; restore refuses what a
 * save cannot produce, and takes a version 1 blob with an idle engine.
 */
static void test_engine_blob(struct eng *es, struct vf *dst)
{
	struct vf *src = es->v;
	struct blob good = {}, bad = {};
	struct xe_sriov_sim_guc_state *g;
	struct xe_sriov_sim_engine_state *st;
	struct xe_sriov_packet_hdr h;
	size_t hp;
	int m, wr, fin;
	uint32_t est;

	ioctl(src->fd, VFIO_DEVICE_RESET);
	eng_setup(es);
	busy_program(es);
	wait_status(src, XE_SRIOV_SIM_ENGINE_STATUS_SPINNING,
		    XE_SRIOV_SIM_ENGINE_STATUS_SPINNING, 1000);
	dbg_write(src, "pause", "1");
	dbg_save(src, &good);
	g = find_guc(&good, &hp);
	st = (void *)(g + 1);
	CHECK(g && g->version == XE_SRIOV_SIM_GUC_STATE_VERSION &&
	      g->size == sizeof(*g) + sizeof(*st) &&
	      st->magic == XE_SRIOV_SIM_ENGINE_STATE_MAGIC &&
	      st->state == XE_SRIOV_SIM_ENGINE_RUN_BUSY && st->depth == 2 &&
	      st->batch_pos[0] == 28 && st->batch_pos[1] == 16 &&
	      st->spin_iterations > 0 && st->ring_start == ga(src, PG_RING, 0),
	      "GUC blob v2, %u bytes: engine BUSY, depth 2, positions 0x1c 0x10",
	      g ? g->size : 0);
	if (!g)
		goto out;

	for (m = 0; m < EM_COUNT; m++) {
		struct xe_sriov_sim_engine_state *x;

		bad.len = 0;
		blob_put(&bad, good.p, good.len);
		x = (void *)(bad.p + hp + sizeof(h) + sizeof(*g));
		switch (m) {
		case EM_MAGIC:
			x->magic ^= 1;
			break;
		case EM_SIZE:
			x->size += 4;
			break;
		case EM_STATE:
			x->state = 3;
			break;
		case EM_FLAGS:
			x->flags |= 2;
			break;
		case EM_DEPTH:
			x->depth = 4;
			break;
		case EM_IDLE_DEPTH:
			x->state = XE_SRIOV_SIM_ENGINE_RUN_IDLE;
			x->spin_iterations = 0;
			x->depth = 1;
			x->batch_pos[1] = 0;
			break;
		case EM_HUNG_NO_REASON:
			x->state = XE_SRIOV_SIM_ENGINE_RUN_HUNG;
			break;
		case EM_REASON_NOT_HUNG:
			x->fault_reason = 1;
			break;
		case EM_POS_ALIGN:
			x->batch_pos[1] = 18;
			break;
		case EM_POS_PAST_DEPTH:
			x->batch_pos[2] = 4;
			break;
		case EM_POS_NO_ROOM:
			x->batch_pos[0] = 8;
			break;
		case EM_RING_START:
			x->ring_start |= 0x800;
			break;
		case EM_CONTEXT:
			x->context |= 4;
			break;
		case EM_HEAD:
			x->ring_head = XE_SRIOV_SIM_RING_SIZE_MAX;
			break;
		case EM_RESERVED:
			x->reserved[10] = 1;
			break;
		case EM_SHORT: {
			/* Cut the engine section to 64 bytes; sizes agree. */
			struct xe_sriov_sim_guc_state *y = (void *)(bad.p + hp + sizeof(h));
			size_t cut = sizeof(*x) - 64;

			y->size -= cut;
			memcpy(&h, bad.p + hp, sizeof(h));
			h.size -= cut;
			memcpy(bad.p + hp, &h, sizeof(h));
			memmove(bad.p + hp + sizeof(h) + h.size,
				bad.p + hp + sizeof(h) + h.size + cut,
				bad.len - (hp + sizeof(h) + h.size + cut));
			bad.len -= cut;
			break;
		}
		}
		try_restore(dst, &bad, &wr, &fin);
		CHECK(wr == -EINVAL && fin == -EIO, "GUC blob, %s: write %d, finish %d",
		      engine_mut_name[m], wr, fin);
	}

	/* Version 1: no engine section; the engine comes up reset. */
	bad.len = 0;
	blob_put(&bad, good.p, good.len);
	{
		struct xe_sriov_sim_guc_state *y = (void *)(bad.p + hp + sizeof(h));
		size_t cut = sizeof(*st);

		y->version = XE_SRIOV_SIM_GUC_STATE_VERSION_1;
		y->size = sizeof(*y);
		memcpy(&h, bad.p + hp, sizeof(h));
		h.size = sizeof(*y);
		memcpy(bad.p + hp, &h, sizeof(h));
		memmove(bad.p + hp + sizeof(h) + sizeof(*y),
			bad.p + hp + sizeof(h) + sizeof(*y) + cut,
			bad.len - (hp + sizeof(h) + sizeof(*y) + cut));
		bad.len -= cut;
	}
	try_restore(dst, &bad, &wr, &fin);
	est = dbg_write(dst, "resume", "1") ? ~0u : eng_status(dst);
	CHECK(!wr && !fin && est == XE_SRIOV_SIM_ENGINE_STATE_PAUSED &&
	      rd32(dst, XE_SRIOV_SIM_RING_START) == 0,
	      "GUC blob v1 restores, engine reset (write %d, finish %d, %#x)",
	      wr, fin, est);
	try_restore(dst, &good, &wr, &fin);
	est = dbg_write(dst, "resume", "1") ? ~0u : eng_status(dst);
	CHECK(!wr && !fin && st_depth(est) == 2 &&
	      (est & XE_SRIOV_SIM_ENGINE_STATUS_BUSY),
	      "the good blob restores (%#x)", est);
out:
	dbg_write(dst, "reset", "1");
	ioctl(src->fd, VFIO_DEVICE_RESET);
	free(good.p);
	free(bad.p);
}

static void test_migrate_busy(const char *src_uuid, const char *dst_uuid)
{
	struct vf src, dst;
	struct eng es, ed;
	struct xe_sriov_sim_engine_context img;
	uint32_t st, head, r, i, bad;
	unsigned int ncmds, patched;
	int64_t delta;
	char buf[128];

	vf_lookup(&src, src_uuid);
	vf_lookup(&dst, dst_uuid);
	vf_open(&src);
	vf_open(&dst);
	msi_attach(&dst);
	eng_map(&es, &src);
	eng_map(&ed, &dst);
	eng_setup(&es);
	delta = (int64_t)dst.ggtt_start - (int64_t)src.ggtt_start;
	printf("# VF%u (GGTT %#" PRIx64 ") -> VF%u (GGTT %#" PRIx64 ")\n",
	       src.id, src.ggtt_start, dst.id, dst.ggtt_start);
	fill_pages(&es, PG_SRC, 2, 0x1111);

	ncmds = busy_program(&es);
	st = wait_status(&src, XE_SRIOV_SIM_ENGINE_STATUS_SPINNING |
			 XE_SRIOV_SIM_ENGINE_STATUS_DEPTH_MASK,
			 XE_SRIOV_SIM_ENGINE_STATUS_SPINNING |
			 2 << XE_SRIOV_SIM_ENGINE_STATUS_DEPTH_SHIFT, 2000);
	CHECK((st & XE_SRIOV_SIM_ENGINE_STATUS_SPINNING) && st_depth(st) == 2,
	      "src spins in a batch at depth 2 (%#x)", st);
	ncmds += busy_queue(&es);
	sleep_ms(20);
	CHECK(lrd(&es, slot(&src, SLOT_PRE + 2)) == 0xa2 &&
	      !lrd(&es, slot(&src, SLOT_POST)) &&
	      !lrd(&es, slot(&src, SLOT_QUEUED)),
	      "src: pre-spin stores landed, the rest waits behind the spinner");
	head = rd32(&src, XE_SRIOV_SIM_RING_HEAD);

	if (!vfio_migrate(&src, &dst, "busy"))
		goto out;
	memcpy(&img, lp(&es, ga(&src, PG_CTX, 0)), sizeof(img));
	CHECK(img.magic == XE_SRIOV_SIM_ENGINE_CONTEXT_MAGIC && img.depth == 2 &&
	      img.ring_head == head && img.batch_addr[0] == ga(&src, PG_BB1, 0) &&
	      img.batch_addr[1] == ga(&src, PG_BB2, 0) && img.batch_pos[1] == 16 &&
	      img.spin_iterations > 0,
	      "src context image at pause: head %#x, batches %#x+%#x %#x+%#x",
	      img.ring_head, img.batch_addr[0], img.batch_pos[0],
	      img.batch_addr[1], img.batch_pos[1]);

	/* Restored, not yet fixed: the engine is held whatever happens. */
	st = eng_status(&dst);
	CHECK(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_PAUSED &&
	      (st & XE_SRIOV_SIM_ENGINE_STATUS_BUSY) &&
	      (st & XE_SRIOV_SIM_ENGINE_STATUS_SPINNING) && st_depth(st) == 2,
	      "dst engine PAUSED|BUSY|SPINNING, depth 2 (%#x)", st);
	CHECK(rd32(&dst, XE_SRIOV_SIM_RING_HEAD) == head &&
	      rd32(&dst, XE_SRIOV_SIM_RING_START) == ga(&src, PG_RING, 0) &&
	      rd32(&dst, XE_SRIOV_SIM_ENGINE_CONTEXT) == ga(&src, PG_CTX, 0),
	      "dst RING_HEAD as saved; RING_START/CONTEXT still the source's");
	CHECK(!strcmp(eng_dbg(&dst, "batch1", buf, sizeof(buf)), "base ? pos 0x1c"),
	      "debugfs: batch address unknown until the BATCH_STARTs are read (%s)",
	      buf);
	for (i = 0; i < N_PRE; i++)
		lwr(&ed, slot(&dst, SLOT_PRE + i), 0xdead);
	lwr(&ed, slot(&dst, SLOT_FLAG), 0x600d);
	wr32(&dst, XE_SRIOV_SIM_ENGINE_DOORBELL, 1);
	sleep_ms(50);
	st = eng_status(&dst);
	CHECK(!lrd(&ed, slot(&dst, SLOT_POST)) &&
	      st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_PAUSED &&
	      (st & XE_SRIOV_SIM_ENGINE_STATUS_KICK_PENDING),
	      "VF_RESFIX_BLOCKED: spinner released, doorbell rung, nothing runs");

	r = resfix_start(&dst, 3);
	CHECK(reply_ok(r), "RESFIX_START(3)");
	sleep_ms(20);
	CHECK(!lrd(&ed, slot(&dst, SLOT_POST)), "nothing runs after RESFIX_START");
	patched = fixups(&ed, delta);
	CHECK(patched == 20, "fixups: RING_START, CONTEXT, %u GGTT operands", patched);
	CHECK(reply_ok(resfix_done(&dst, 3)) && guc_state_is(&dst, "VF_RUNNING"),
	      "RESFIX_DONE(3): VF_RUNNING");
	st = wait_idle(&dst, 3000);
	CHECK(st_idle(st), "dst engine runs to idle (%#x)", st);
	CHECK(lrd(&ed, slot(&dst, SLOT_FENCE)) == 200, "fence 200 signalled");
	bad = 0;
	for (i = 0; i < N_PRE; i++)
		bad += lrd(&ed, slot(&dst, SLOT_PRE + i)) != 0xdead;
	CHECK(!bad, "no command before the saved head ran again (%u)", bad);
	bad = 0;
	for (i = 0; i < N_POST; i++)
		bad += lrd(&ed, slot(&dst, SLOT_POST + i)) != 0xb0 + i;
	for (i = 0; i < N_QUEUED; i++)
		bad += lrd(&ed, slot(&dst, SLOT_QUEUED + i)) != 0xc0 + i;
	CHECK(!bad, "every store after the spinner landed on dst (%u missing)", bad);
	CHECK(eng_dbg_u64(&dst, "commands_executed") == ncmds,
	      "each of the %u commands executed exactly once (%llu)", ncmds,
	      (unsigned long long)eng_dbg_u64(&dst, "commands_executed"));
	{
		uint8_t want = 0;
		uint32_t sum = 0;

		for (i = 0; i < 256; i++)
			sum += byte_at(&ed, PG_SRC, i);
		want = XE_SRIOV_SIM_CCS_OF(sum);
		CHECK(byte_at(&ed, PG_CMP, 7) == (byte_at(&ed, PG_SRC, 7) ^ want),
		      "the queued COPY|COMPRESS ran on dst");
	}
	CHECK((rd32(&dst, XE_SRIOV_SIM_VF_IRQ_STATUS) &
	       (XE_SRIOV_SIM_VF_IRQ_MIGRATED | XE_SRIOV_SIM_VF_IRQ_USER)) ==
	      (XE_SRIOV_SIM_VF_IRQ_MIGRATED | XE_SRIOV_SIM_VF_IRQ_USER) &&
	      msi_count(&dst) == 2, "dst interrupts: MIGRATED, then USER");
	clear_irqs(&dst);

	/* Back to src without fixups: the stale RING_START faults. */
	CHECK(!ioctl(src.fd, VFIO_DEVICE_RESET), "reset src");
	ed.tail = rd32(&dst, XE_SRIOV_SIM_RING_TAIL);
	{
		struct em rr = ring_em(&ed);

		c_spin(&rr, slot(&dst, SLOT_FLAG), 0x1, 0);
		c_store(&rr, slot(&dst, SLOT_POST + 4), 0xe0);
		submit(&ed, &rr);
	}
	wait_status(&dst, XE_SRIOV_SIM_ENGINE_STATUS_SPINNING,
		    XE_SRIOV_SIM_ENGINE_STATUS_SPINNING, 1000);
	if (!vfio_migrate(&dst, &src, "no fixups"))
		goto out;
	msi_attach(&src);
	CHECK(reply_ok(resfix_start(&src, 4)) && reply_ok(resfix_done(&src, 4)),
	      "RESFIX handshake without fixups");
	st = wait_idle(&src, 2000);
	CHECK(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG &&
	      st_fault(st) == XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE &&
	      rd32(&src, XE_SRIOV_SIM_ENGINE_FAULT_ADDR_LO) ==
	      rd32(&src, XE_SRIOV_SIM_RING_START) + rd32(&src, XE_SRIOV_SIM_RING_HEAD),
	      "missing fixups: HUNG, OUT_OF_SLICE at the stale ring (%#x)", st);
	CHECK(rd32(&src, XE_SRIOV_SIM_VF_IRQ_STATUS) & XE_SRIOV_SIM_VF_IRQ_ERROR,
	      "ERROR interrupt");

	/* Again with the registers fixed but the active BATCH_START stale. */
	ioctl(src.fd, VFIO_DEVICE_RESET);
	ioctl(dst.fd, VFIO_DEVICE_RESET);
	eng_setup(&ed);
	busy_program(&ed);
	wait_status(&dst, XE_SRIOV_SIM_ENGINE_STATUS_SPINNING,
		    XE_SRIOV_SIM_ENGINE_STATUS_SPINNING, 1000);
	if (!vfio_migrate(&dst, &src, "stale batch"))
		goto out;
	wr32(&src, XE_SRIOV_SIM_RING_START,
	     rd32(&src, XE_SRIOV_SIM_RING_START) - delta);
	wr32(&src, XE_SRIOV_SIM_ENGINE_CONTEXT,
	     rd32(&src, XE_SRIOV_SIM_ENGINE_CONTEXT) - delta);
	CHECK(reply_ok(resfix_start(&src, 5)) && reply_ok(resfix_done(&src, 5)),
	      "RESFIX handshake with register fixups only");
	st = wait_idle(&src, 2000);
	CHECK(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG &&
	      st_fault(st) == XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE &&
	      rd32(&src, XE_SRIOV_SIM_ENGINE_FAULT_ADDR_LO) ==
	      ga(&dst, PG_BB1, 0) + 16,
	      "stale BATCH_START: HUNG, OUT_OF_SLICE in the old batch (%#x)", st);

	/*
	 * Double migration before any fixup: src -> dst -> src. Back home the
	 * addresses are right again, the engine state went through a save of
	 * a restored engine that never ran, and no context image was written
	 * while the VF was held.
	 */
	ioctl(src.fd, VFIO_DEVICE_RESET);
	ioctl(dst.fd, VFIO_DEVICE_RESET);
	eng_setup(&es);
	fill_pages(&es, PG_SRC, 2, 0x2222);
	ncmds = busy_program(&es);
	wait_status(&src, XE_SRIOV_SIM_ENGINE_STATUS_SPINNING,
		    XE_SRIOV_SIM_ENGINE_STATUS_SPINNING, 1000);
	ncmds += busy_queue(&es);
	if (!vfio_migrate(&src, &dst, "double, first") ||
	    !vfio_migrate(&dst, &src, "double, second"))
		goto out;
	CHECK(eng_dbg_u64(&src, "context_saves") == 1,
	      "one context image: none while held in VF_RESFIX_BLOCKED");
	lwr(&es, slot(&src, SLOT_FLAG), 0x600d);
	CHECK(reply_ok(resfix_start(&src, 6)) && reply_ok(resfix_done(&src, 6)),
	      "RESFIX handshake back home, nothing to fix");
	st = wait_idle(&src, 3000);
	bad = 0;
	for (i = 0; i < N_POST; i++)
		bad += lrd(&es, slot(&src, SLOT_POST + i)) != 0xb0 + i;
	for (i = 0; i < N_QUEUED; i++)
		bad += lrd(&es, slot(&src, SLOT_QUEUED + i)) != 0xc0 + i;
	CHECK(st_idle(st) && !bad && lrd(&es, slot(&src, SLOT_FENCE)) == 200 &&
	      eng_dbg_u64(&src, "commands_executed") == ncmds,
	      "after src -> dst -> src every command ran once (%#x, %u bad)",
	      st, bad);

	test_engine_blob(&es, &dst);

out:
	ioctl(src.fd, VFIO_DEVICE_RESET);
	ioctl(dst.fd, VFIO_DEVICE_RESET);
	eng_unmap(&es);
	eng_unmap(&ed);
	vf_close(&src);
	vf_close(&dst);
}

/*
 * Races: a child hammers the VF's PF controls (pause, resume, stop, reset,
 * save) and reads debugfs engine, while the parent keeps submitting work
 * (stores, spins, copies, batches) and ringing. Afterwards a reset VF must
 * run a program correctly.
 */
static void test_engine_stress(const char *uuid, int secs)
{
	static const char * const ops[] = {
		"pause", "resume", "resume", "stop", "reset", "save",
	};
	time_t end = time(NULL) + secs;
	unsigned int rounds = 0, seed = 3;
	struct vf v;
	struct eng e;
	pid_t child;
	int status;

	vf_lookup(&v, uuid);
	child = fork();
	if (!child) {
		unsigned int cseed = 11;
		char buf[2048];

		while (time(NULL) < end) {
			unsigned int op = rand_r(&cseed) % (ARRAY_LEN(ops) + 2);

			if (op < ARRAY_LEN(ops))
				dbg_write(&v, ops[op], "1");
			else if (op == ARRAY_LEN(ops))
				dbg_finish(&v, "save");
			else
				dbg_read(&v, "engine", buf, sizeof(buf));
			usleep(rand_r(&cseed) % 2000);
		}
		_exit(0);
	}

	vf_open(&v);
	msi_attach(&v);
	eng_map(&e, &v);
	while (time(NULL) < end) {
		struct em r, b;
		int i;

		eng_setup(&e);
		b = batch_em(&e, PG_BB1 + rounds % 3);
		c_store(&b, ga(&v, PG_DATA, 64), rounds);
		c_spin(&b, ga(&v, PG_DATA, 68), 1, 3);
		c_bb_end(&b);
		r = ring_em(&e);
		for (i = 0; i < 8; i++) {
			garbage_cmd(&r, &v, &seed);
			c_bb(&r, b.base);
			c_copy(&r, XE_SRIOV_SIM_OP_COPY, XE_SRIOV_SIM_COPY_COMPRESS,
			       ga(&v, PG_SRC, 0), ga(&v, PG_CMP, 0), 4096);
		}
		submit(&e, &r);
		sleep_ms(rand_r(&seed) % 5);
		msi_count(&v);
		if (rand_r(&seed) % 8 == 0)
			ioctl(v.fd, VFIO_DEVICE_RESET);
		rounds++;
	}
	waitpid(child, &status, 0);
	printf("# %u submissions under PF control fire\n", rounds);

	CHECK(!ioctl(v.fd, VFIO_DEVICE_RESET), "reset after the stress");
	eng_setup(&e);
	{
		struct em r = ring_em(&e), b = batch_em(&e, PG_BB2);
		uint32_t st;

		c_store(&b, ga(&v, PG_DATA, 8), 0x99);
		c_bb_end(&b);
		c_store(&r, ga(&v, PG_DATA, 0), 0x42);
		c_bb(&r, ga(&v, PG_BB2, 0));
		c_seqno(&r, ga(&v, PG_DATA, 4), 7);
		submit(&e, &r);
		st = wait_idle(&v, 2000);
		CHECK(st_idle(st) && lrd(&e, ga(&v, PG_DATA, 0)) == 0x42 &&
		      lrd(&e, ga(&v, PG_DATA, 8)) == 0x99 &&
		      lrd(&e, ga(&v, PG_DATA, 4)) == 7 &&
		      eng_dbg_u64(&v, "commands_executed") == 5,
		      "the engine works after the stress (%#x)", st);
	}
	eng_unmap(&e);
	vf_close(&v);
}

/*
 * Leave an engine spinning (and one faulted) and sleep with the device
 * open; for rmmod/remove checks from the outside.
 */
static void test_spin(const char *uuid, int secs)
{
	struct vf v;
	struct eng e;
	struct em r;

	vf_lookup(&v, uuid);
	vf_open(&v);
	eng_map(&e, &v);
	eng_setup(&e);
	r = ring_em(&e);
	c_spin(&r, ga(&v, PG_DATA, 0), 1, 0);
	submit(&e, &r);
	CHECK(wait_status(&v, XE_SRIOV_SIM_ENGINE_STATUS_SPINNING,
			  XE_SRIOV_SIM_ENGINE_STATUS_SPINNING, 1000) &
	      XE_SRIOV_SIM_ENGINE_STATUS_SPINNING, "spinning");
	fflush(stdout);
	sleep(secs);
	/* exit without cleanup: close is an FLR */
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "basic")) {
		test_basic(argv[2]);
	} else if (argc == 3 && !strcmp(argv[1], "control")) {
		test_control(argv[2]);
	} else if (argc == 3 && !strcmp(argv[1], "lifetime")) {
		test_lifetime(argv[2]);
	} else if (argc == 4 && !strcmp(argv[1], "migrate")) {
		test_migrate(argv[2], argv[3]);
	} else if (argc == 4 && !strcmp(argv[1], "debugfs")) {
		test_debugfs(argv[2], argv[3]);
	} else if (argc == 5 && !strcmp(argv[1], "stress")) {
		test_stress(argv[2], argv[3], atoi(argv[4]));
	} else if (argc == 5 && !strcmp(argv[1], "fuzz")) {
		test_fuzz(argv[2], argv[3], atoi(argv[4]));
	} else if (argc == 4 && !strcmp(argv[1], "negative")) {
		test_negative(argv[2], argv[3]);
	} else if (argc == 3 && !strcmp(argv[1], "engine")) {
		test_engine(argv[2]);
	} else if (argc == 4 && !strcmp(argv[1], "migrate-busy")) {
		test_migrate_busy(argv[2], argv[3]);
	} else if (argc == 4 && !strcmp(argv[1], "engine-stress")) {
		test_engine_stress(argv[2], atoi(argv[3]));
	} else if (argc == 4 && !strcmp(argv[1], "spin")) {
		test_spin(argv[2], atoi(argv[3]));
	} else {
		fprintf(stderr,
			"usage: %s basic|control|lifetime|engine UUID | migrate|debugfs|negative|migrate-busy SRC DST | stress SRC DST SECS | fuzz SRC DST N | spin|engine-stress UUID SECS\n",
			argv[0]);
		return 2;
	}
	printf("# %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
