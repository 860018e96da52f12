// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * VFIO group/container access (Documentation/driver-api/vfio.rst):
 * container -> group (viable?) -> set container -> set IOMMU -> device fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vfio_dev.h"

static int iommu_group_of(const char *sysfs, unsigned int *group_id)
{
	char link[PATH_MAX], target[PATH_MAX], *end;
	unsigned long id;
	ssize_t n;

	snprintf(link, sizeof(link), "%s/iommu_group", sysfs);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	errno = 0;
	id = strtoul(basename(target), &end, 10);
	if (errno || *end)
		return -EINVAL;
	*group_id = id;
	return 0;
}

static int open_container(void)
{
	int fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (ioctl(fd, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		close(fd);
		return -EPROTO;
	}
	return fd;
}

static int open_group(unsigned int group_id)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/vfio/%u", group_id);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &status)) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		/* Another device of the group is bound to a host driver. */
		close(fd);
		return -EBUSY;
	}
	return fd;
}

static int set_iommu(int container)
{
	static const int types[] = { VFIO_TYPE1v2_IOMMU, VFIO_TYPE1_IOMMU };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (ioctl(container, VFIO_CHECK_EXTENSION, types[i]) <= 0)
			continue;
		return ioctl(container, VFIO_SET_IOMMU, types[i]) ? -errno : 0;
	}
	return -ENODEV;
}

static int attach(struct vfio_dev *dev)
{
	int fd;

	if (ioctl(dev->group, VFIO_GROUP_SET_CONTAINER, &dev->container))
		return -errno;
	fd = set_iommu(dev->container);
	if (fd)
		return fd;
	fd = ioctl(dev->group, VFIO_GROUP_GET_DEVICE_FD, dev->name);
	if (fd < 0)
		return -errno;
	dev->fd = fd;
	return 0;
}

int vfio_dev_open(struct vfio_dev *dev, const char *sysfs)
{
	char copy[PATH_MAX];
	int err;

	memset(dev, 0, sizeof(*dev));
	dev->container = dev->group = dev->fd = -1;
	snprintf(copy, sizeof(copy), "%s", sysfs);
	snprintf(dev->name, sizeof(dev->name), "%s", basename(copy));

	err = iommu_group_of(sysfs, &dev->group_id);
	if (err)
		return err;
	dev->container = open_container();
	if (dev->container < 0) {
		err = dev->container;
		goto fail;
	}
	dev->group = open_group(dev->group_id);
	if (dev->group < 0) {
		err = dev->group;
		goto fail;
	}
	err = attach(dev);
	if (err)
		goto fail;
	return 0;
fail:
	vfio_dev_close(dev);
	return err;
}

void vfio_dev_close(struct vfio_dev *dev)
{
	/* A mapping holds the device open: it goes before the fd. */
	for (int i = 0; i < VFIO_DEV_MAX_MAPS; i++) {
		if (dev->maps[i].ptr)
			munmap(dev->maps[i].ptr, dev->maps[i].size);
		dev->maps[i].ptr = NULL;
	}
	/* Device first: the group keeps its container until it is closed. */
	if (dev->fd >= 0)
		close(dev->fd);
	if (dev->group >= 0)
		close(dev->group);
	if (dev->container >= 0)
		close(dev->container);
	dev->fd = dev->group = dev->container = -1;
}

int vfio_dev_get_info(struct vfio_dev *dev, struct vfio_device_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	return ioctl(dev->fd, VFIO_DEVICE_GET_INFO, info) ? -errno : 0;
}

int vfio_dev_get_region_info(struct vfio_dev *dev, unsigned int index,
			     struct vfio_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(dev->fd, VFIO_DEVICE_GET_REGION_INFO, info) ? -errno : 0;
}

int vfio_dev_migration_flags(struct vfio_dev *dev, uint64_t *flags)
{
	struct {
		struct vfio_device_feature hdr;
		struct vfio_device_feature_migration mig;
	} feat = {
		.hdr.argsz = sizeof(feat),
		.hdr.flags = VFIO_DEVICE_FEATURE_GET |
			     VFIO_DEVICE_FEATURE_MIGRATION,
	};

	if (ioctl(dev->fd, VFIO_DEVICE_FEATURE, &feat))
		return -errno;
	*flags = feat.mig.flags;
	return 0;
}

int vfio_dev_reset(struct vfio_dev *dev)
{
	return ioctl(dev->fd, VFIO_DEVICE_RESET) ? -errno : 0;
}

static int region_offset(struct vfio_dev *dev, unsigned int index, uint64_t off,
			 size_t len, uint64_t *pos)
{
	struct vfio_region_info ri;
	int err = vfio_dev_get_region_info(dev, index, &ri);

	if (err)
		return err;
	if (off > ri.size || len > ri.size - off)
		return -ERANGE;
	*pos = ri.offset + off;
	return 0;
}

int vfio_dev_region_read(struct vfio_dev *dev, unsigned int index, uint64_t off,
			 void *buf, size_t len)
{
	uint64_t pos;
	ssize_t n;
	int err = region_offset(dev, index, off, len, &pos);

	if (err)
		return err;
	n = pread(dev->fd, buf, len, pos);
	return n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
}

int vfio_dev_region_write(struct vfio_dev *dev, unsigned int index, uint64_t off,
			  const void *buf, size_t len)
{
	uint64_t pos;
	ssize_t n;
	int err = region_offset(dev, index, off, len, &pos);

	if (err)
		return err;
	n = pwrite(dev->fd, buf, len, pos);
	return n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
}

int vfio_dev_read32(struct vfio_dev *dev, unsigned int index, uint64_t off,
		    uint32_t *val)
{
	return vfio_dev_region_read(dev, index, off, val, sizeof(*val));
}

int vfio_dev_write32(struct vfio_dev *dev, unsigned int index, uint64_t off,
		     uint32_t val)
{
	return vfio_dev_region_write(dev, index, off, &val, sizeof(val));
}

/*
 * How much of region @ri can be mapped from its start: all of it, or the
 * first area of its sparse mmap capability when it has one at offset 0 (a
 * BAR rounded up to a power of two past what backs it).
 */
static int mmap_size(struct vfio_dev *dev, const struct vfio_region_info *ri, size_t *size)
{
	struct vfio_region_info *full;
	uint32_t off;
	int err = 0;

	*size = ri->size;
	if (!(ri->flags & VFIO_REGION_INFO_FLAG_CAPS) || ri->argsz <= sizeof(*ri) ||
	    ri->argsz > 65536)
		return 0;
	full = calloc(1, ri->argsz);
	if (!full)
		return -ENOMEM;
	full->argsz = ri->argsz;
	full->index = ri->index;
	if (ioctl(dev->fd, VFIO_DEVICE_GET_REGION_INFO, full)) {
		err = -errno;
		goto out;
	}
	for (off = full->cap_offset; off && off + sizeof(struct vfio_info_cap_header) <= full->argsz;) {
		struct vfio_info_cap_header *h = (void *)((char *)full + off);
		struct vfio_region_info_cap_sparse_mmap *sp = (void *)h;

		if (h->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP &&
		    off + sizeof(*sp) + sizeof(sp->areas[0]) <= full->argsz &&
		    sp->nr_areas && !sp->areas[0].offset) {
			*size = sp->areas[0].size;
			break;
		}
		if (h->next <= off)
			break;
		off = h->next;
	}
out:
	free(full);
	return err;
}

int vfio_dev_region_mmap(struct vfio_dev *dev, unsigned int index, void **ptr,
			 size_t *size)
{
	struct vfio_region_info ri;
	int err = vfio_dev_get_region_info(dev, index, &ri);
	size_t len;
	void *p;

	if (err)
		return err;
	if (!(ri.flags & VFIO_REGION_INFO_FLAG_MMAP) || !ri.size)
		return -EOPNOTSUPP;
	err = mmap_size(dev, &ri, &len);
	if (err)
		return err;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd, ri.offset);
	if (p == MAP_FAILED)
		return -errno;
	*ptr = p;
	*size = len;
	return 0;
}

int vfio_dev_region_map(struct vfio_dev *dev, unsigned int index, void **ptr,
			size_t *size)
{
	int i, free_slot = -1, err;

	for (i = 0; i < VFIO_DEV_MAX_MAPS; i++) {
		if (dev->maps[i].ptr && dev->maps[i].index == index) {
			*ptr = dev->maps[i].ptr;
			*size = dev->maps[i].size;
			return 0;
		}
		if (!dev->maps[i].ptr && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0)
		return -ENOSPC;
	err = vfio_dev_region_mmap(dev, index, ptr, size);
	if (err)
		return err;
	dev->maps[free_slot].index = index;
	dev->maps[free_slot].ptr = *ptr;
	dev->maps[free_slot].size = *size;
	return 0;
}

static int set_irqs(struct vfio_dev *dev, unsigned int index, uint32_t flags,
		    int count, int32_t efd)
{
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} req = {
		.set.argsz = sizeof(req),
		.set.flags = flags,
		.set.index = index,
		.set.start = 0,
		.set.count = count,
		.fd = efd,
	};

	return ioctl(dev->fd, VFIO_DEVICE_SET_IRQS, &req) ? -errno : 0;
}

int vfio_dev_irq_eventfd(struct vfio_dev *dev, unsigned int index)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int err;

	if (efd < 0)
		return -errno;
	err = set_irqs(dev, index, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		       1, efd);
	if (err) {
		close(efd);
		return err;
	}
	return efd;
}

int vfio_dev_irq_disable(struct vfio_dev *dev, unsigned int index)
{
	return set_irqs(dev, index, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			0, -1);
}
