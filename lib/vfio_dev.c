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
#include <sys/ioctl.h>
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
