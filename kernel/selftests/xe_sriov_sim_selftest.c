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
#include <unistd.h>

#include <linux/vfio.h>

#include "uapi/xe_sriov_packet.h"
#include "uapi/xe_sriov_sim.h"
#include "uapi/xe_sriov_sim_regs.h"

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
	uint64_t lmem_size;
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
	v->container = v->group = v->fd = v->msi = -1;
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
	char path[512], link[512];
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
	v->lmem_size = ri.size;
}

static void vf_close(struct vf *v)
{
	if (v->msi >= 0)
		close(v->msi);
	close(v->fd);
	close(v->group);
	close(v->container);
	v->fd = v->group = v->container = v->msi = -1;
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
	CHECK(!ioctl(v.fd, VFIO_DEVICE_GET_REGION_INFO, &ri) &&
	      (ri.flags & VFIO_REGION_INFO_FLAG_MMAP) && ri.size == v.lmem_size,
	      "BAR2 region: LMEM size %#llx, mmap", (unsigned long long)ri.size);

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
	pte_wr(&v, 1, 0x5000 | XE_SRIOV_SIM_PTE_VALID | (0x3ffull << 2));
	pte = pte_rd(&v, 1);
	CHECK(pte == (0x5000 | XE_SRIOV_SIM_PTE_VALID | (uint64_t)v.id << 2),
	      "PTE write: VF id forced: %#" PRIx64, pte);
	val = 0x7001;
	CHECK(!bar0_write(&v, XE_SRIOV_SIM_GGTT_WINDOW + 16, &val, 4) &&
	      pte_rd(&v, 2) == (0x7001 | (uint64_t)v.id << 2),
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
	CHECK(pread(v.fd, buf, 8, region_off(2) + n - 4) < 0 && errno == EINVAL,
	      "BAR2 read past the LMEM: EINVAL");
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

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "basic"))
		test_basic(argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "control"))
		test_control(argv[2]);
	else {
		fprintf(stderr, "usage: %s basic|control UUID\n", argv[0]);
		return 2;
	}
	printf("# %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
