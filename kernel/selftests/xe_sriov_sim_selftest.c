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

#include <linux/vfio.h>

#include "uapi/xe_sriov_packet.h"
#include "uapi/xe_sriov_sim.h"
#include "uapi/xe_sriov_sim_engine.h"
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
	      ri.size == v.lmem_size,
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
	fill(buf, ccs, ~seed);
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
	fill(want, ccs, ~seed);
	CHECK(!ccs_io(v, got, ccs, false) && !memcmp(want, got, ccs),
	      "%s: CCS content", what);
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
	const uint64_t lmem = src->lmem_size, obj = lmem + lmem / 256;
	size_t pos = 0, n = 0, bad_pte = 0;
	uint64_t vram_next = 0;
	bool order_ok = true, ccs_split = false;
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
			if (h.offset == lmem)
				ccs_split = true;
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
	CHECK(vram_next == obj && ccs_split,
	      "stream: VRAM chunks tile LMEM+CCS (%#llx), CCS from %#llx",
	      (unsigned long long)obj, (unsigned long long)lmem);
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
	      src.lmem_size + src.lmem_size / 256 + 24,
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
	} else {
		fprintf(stderr,
			"usage: %s basic|control|lifetime UUID | migrate|debugfs|negative SRC DST | stress SRC DST SECS | fuzz SRC DST N\n",
			argv[0]);
		return 2;
	}
	printf("# %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
