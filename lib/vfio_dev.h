/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Open a VF through VFIO's group/container API and talk to it. Works for
 * any VFIO device named by its sysfs directory: an mdev VF of xe_sriov_sim
 * (/sys/bus/mdev/devices/<uuid>) or a PCI VF bound to xe-vfio-pci
 * (/sys/bus/pci/devices/<bdf>).
 */
#ifndef XEMIG_VFIO_DEV_H
#define XEMIG_VFIO_DEV_H

#include <linux/vfio.h>
#include <stddef.h>
#include <stdint.h>

#define VFIO_DEV_MAX_MAPS	4

struct vfio_dev {
	int container;		/* /dev/vfio/vfio */
	int group;		/* /dev/vfio/<group> */
	int fd;			/* the device */
	unsigned int group_id;
	char name[64];		/* basename of the sysfs path */
	struct {		/* vfio_dev_region_map(): kept until close */
		unsigned int index;
		void *ptr;
		size_t size;
	} maps[VFIO_DEV_MAX_MAPS];
};

/*
 * Open the device at sysfs: its IOMMU group joins a fresh container with
 * the type1 IOMMU (v2 when available). 0 or -errno; on error nothing
 * stays open.
 */
int vfio_dev_open(struct vfio_dev *dev, const char *sysfs);
void vfio_dev_close(struct vfio_dev *dev);

int vfio_dev_get_info(struct vfio_dev *dev, struct vfio_device_info *info);
int vfio_dev_get_region_info(struct vfio_dev *dev, unsigned int index,
			     struct vfio_region_info *info);

/*
 * VFIO_DEVICE_FEATURE_MIGRATION: the VFIO_MIGRATION_* flags the device
 * supports. -ENOTTY when the device has no migration support.
 */
int vfio_dev_migration_flags(struct vfio_dev *dev, uint64_t *flags);

/* VFIO_DEVICE_RESET: a function level reset (FLR on xe). */
int vfio_dev_reset(struct vfio_dev *dev);

/*
 * Read or write len bytes at off in region index through the device fd
 * (registers: 4-byte aligned accesses of 4 or 8 bytes). 0 or -errno.
 */
int vfio_dev_region_read(struct vfio_dev *dev, unsigned int index, uint64_t off,
			 void *buf, size_t len);
int vfio_dev_region_write(struct vfio_dev *dev, unsigned int index, uint64_t off,
			  const void *buf, size_t len);
int vfio_dev_read32(struct vfio_dev *dev, unsigned int index, uint64_t off,
		    uint32_t *val);
int vfio_dev_write32(struct vfio_dev *dev, unsigned int index, uint64_t off,
		     uint32_t val);

/*
 * mmap a region read/write from its start: all of it, or only its first
 * sparse mmap area when the region info has one at offset 0 (a BAR larger
 * than what backs it); *size gets the mapped size. munmap() to undo.
 */
int vfio_dev_region_mmap(struct vfio_dev *dev, unsigned int index, void **ptr,
			 size_t *size);

/*
 * The same mapping, made once per open device and kept until
 * vfio_dev_close() (do not munmap it). Mapping a large BAR costs as much
 * as reading it (every page is inserted, and zapped again on munmap), so
 * code that looks at LMEM often maps it once.
 */
int vfio_dev_region_map(struct vfio_dev *dev, unsigned int index, void **ptr,
			size_t *size);

/*
 * An eventfd signalled by vector 0 of IRQ index (VFIO_PCI_MSI_IRQ_INDEX
 * for the VF's MSI). Returns the eventfd or -errno; close it and call
 * vfio_dev_irq_disable() to undo.
 */
int vfio_dev_irq_eventfd(struct vfio_dev *dev, unsigned int index);
int vfio_dev_irq_disable(struct vfio_dev *dev, unsigned int index);

#endif
