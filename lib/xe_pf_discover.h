/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Finding xe PFs the way the graphics stack does: libdrm's
 * drmGetDevices2() lists the DRM devices (PCI address, vendor, device and
 * revision ids), drmGetVersion() on one of its nodes names the driver.
 *
 * Two layers, so that the interesting one is testable without a GPU:
 *
 *   xe_pci_discover_drm()  the thin libdrm layer: DRM devices -> list
 *   xe_pci_select_pfs()    pure: which of a list are xe PF candidates
 *
 * The list is the seam: pf_backend_xe gets it from the current discover
 * function, which unit tests replace with one returning a fixture's
 * devices (xe_pci_set_discover()).
 */
#ifndef XEMIG_XE_PF_DISCOVER_H
#define XEMIG_XE_PF_DISCOVER_H

#include <stdint.h>

struct _drmDevice;

#define XE_PCI_VENDOR_INTEL	0x8086

/** One PCI function with a DRM driver, as discovery reports it. */
struct xe_pci_dev {
	char bdf[16];		/* "0000:03:00.0" */
	uint16_t vendor;
	uint16_t device;
	uint8_t revision;
	char driver[32];	/* drmVersion.name: "xe", "i915", ... */
};

/*
 * A discover function: *devs gets a malloc()ed array (NULL when empty);
 * the count, or -errno.
 */
typedef int (*xe_pci_discover_fn)(struct xe_pci_dev **devs);

/*
 * libdrm: every PCI DRM device. No /dev/dri, or no DRM device, is 0
 * devices, not an error.
 */
int xe_pci_discover_drm(struct xe_pci_dev **devs);

/*
 * One drmDevice to an xe_pci_dev with the given driver name. -ENODEV if
 * it is not a PCI device (platform, USB, host1x have no BDF).
 */
int xe_pci_from_drm(const struct _drmDevice *d, const char *driver,
		    struct xe_pci_dev *out);

/*
 * The xe PF candidates of devs[0..n): Intel functions driven by xe,
 * sorted by BDF, at most max into out[]. Whether one can have VFs
 * (sriov_totalvfs) is the backend's to check. Returns the count.
 */
int xe_pci_select_pfs(const struct xe_pci_dev *devs, int n,
		      struct xe_pci_dev *out, int max);

/* Discovery as pf_backend_xe uses it: the current discover function. */
int xe_pci_discover(struct xe_pci_dev **devs);

/* Replace the discover function (NULL: back to libdrm); unit tests. */
void xe_pci_set_discover(xe_pci_discover_fn fn);

#endif
