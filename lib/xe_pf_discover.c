// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * xe PF discovery through libdrm (see xe_pf_discover.h).
 *
 * drmGetDevices2() (libdrm xf86drm.c) walks /dev/dri and, per node, the
 * device's sysfs; with DRM_DEVICE_GET_PCI_REVISION it also reads the
 * revision. It returns -errno when /dev/dri cannot be opened: on a host
 * without any DRM driver that is ENOENT, which here means "no device".
 * It knows nothing about drivers: the driver is what DRM_IOCTL_VERSION
 * (drmGetVersion()) names on one of the device's nodes, "xe" for xe
 * (drivers/gpu/drm/xe/xe_device.c: driver.name = DRIVER_NAME).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "xe_pf_discover.h"

int xe_pci_from_drm(const drmDevice *d, const char *driver,
		    struct xe_pci_dev *out)
{
	const drmPciBusInfo *b;
	const drmPciDeviceInfo *i;

	if (d->bustype != DRM_BUS_PCI || !d->businfo.pci || !d->deviceinfo.pci)
		return -ENODEV;
	b = d->businfo.pci;
	i = d->deviceinfo.pci;
	memset(out, 0, sizeof(*out));
	snprintf(out->bdf, sizeof(out->bdf), "%04x:%02x:%02x.%u",
		 b->domain, b->bus, b->dev, b->func & 7);
	out->vendor = i->vendor_id;
	out->device = i->device_id;
	out->revision = i->revision_id;
	snprintf(out->driver, sizeof(out->driver), "%s", driver ?: "");
	return 0;
}

/* The driver's name through the render node, else the primary one. */
static void drm_driver_name(const drmDevice *d, char *buf, size_t size)
{
	static const int order[] = { DRM_NODE_RENDER, DRM_NODE_PRIMARY };
	drmVersionPtr v;
	int fd;

	buf[0] = '\0';
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		if (!(d->available_nodes & (1 << order[k])))
			continue;
		fd = open(d->nodes[order[k]], O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		close(fd);
		if (v) {
			snprintf(buf, size, "%s", v->name ?: "");
			drmFreeVersion(v);
			return;
		}
	}
}

int xe_pci_discover_drm(struct xe_pci_dev **devs)
{
	const uint32_t flags = DRM_DEVICE_GET_PCI_REVISION;
	drmDevicePtr *drm;
	int n, k, count = 0;
	char drv[32];

	*devs = NULL;
	n = drmGetDevices2(flags, NULL, 0);
	if (n == -ENOENT || n == 0)
		return 0;	/* no /dev/dri: no DRM device at all */
	if (n < 0)
		return n;
	drm = calloc(n, sizeof(*drm));
	*devs = calloc(n, sizeof(**devs));
	if (!drm || !*devs) {
		free(drm);
		free(*devs);
		*devs = NULL;
		return -ENOMEM;
	}
	n = drmGetDevices2(flags, drm, n);
	for (k = 0; k < n; k++) {
		drm_driver_name(drm[k], drv, sizeof(drv));
		if (!xe_pci_from_drm(drm[k], drv, &(*devs)[count]))
			count++;
	}
	if (n > 0)
		drmFreeDevices(drm, n);
	free(drm);
	if (n < 0) {
		free(*devs);
		*devs = NULL;
		return n == -ENOENT ? 0 : n;
	}
	return count;
}

static int cmp_bdf(const void *a, const void *b)
{
	return strcmp(((const struct xe_pci_dev *)a)->bdf,
		      ((const struct xe_pci_dev *)b)->bdf);
}

int xe_pci_select_pfs(const struct xe_pci_dev *devs, int n,
		      struct xe_pci_dev *out, int max)
{
	struct xe_pci_dev *all;
	int k, m = 0;

	all = n > 0 ? calloc(n, sizeof(*all)) : NULL;
	if (n > 0 && !all)
		return -ENOMEM;
	for (k = 0; k < n; k++)
		if (devs[k].vendor == XE_PCI_VENDOR_INTEL &&
		    !strcmp(devs[k].driver, "xe"))
			all[m++] = devs[k];
	qsort(all, m, sizeof(*all), cmp_bdf);
	if (m > max)
		m = max;
	if (m > 0)
		memcpy(out, all, m * sizeof(*all));
	free(all);
	return m;
}

static xe_pci_discover_fn discover_fn = xe_pci_discover_drm;

int xe_pci_discover(struct xe_pci_dev **devs)
{
	return discover_fn(devs);
}

void xe_pci_set_discover(xe_pci_discover_fn fn)
{
	discover_fn = fn ?: xe_pci_discover_drm;
}
