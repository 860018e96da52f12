// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The real-hardware PF backend: an Intel GPU bound to xe with SR-IOV.
 *
 * Facts this file relies on (upstream Linux):
 *
 * - The PF's debugfs directory is DRM's for its device, found by its name
 *   file ("xe dev=<BDF> ..."; drivers/gpu/drm/drm_debugfs.c:
 *   drm_name_info()); xe puts its SR-IOV tree there
 *   (drivers/gpu/drm/xe/xe_debugfs.c: xe_debugfs_register() ->
 *   xe_sriov_pf_debugfs_register()). The files under it, shared with the
 *   sim backend, are described in pf_control.c.
 *
 * - VFs: writing n to sriov_numvfs creates virtfn0..virtfn<n-1> links to
 *   the VF devices (drivers/pci/iov.c); it must be 0 before a new n.
 *   xe-vfio-pci binds through driver_override, unbind and drivers_probe
 *   (Documentation/ABI/testing/sysfs-bus-pci, driver_override).
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pf_backend.h"
#include "kmod_util.h"
#include "sysfs_util.h"
#include "xe_pf_discover.h"

#define VFIO_DRIVER	"xe-vfio-pci"
#define XE_MODULE	"xe"

/* The last component of a symlink's target: the driver or device name. */
static int link_name(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (!*base || strlen(base) >= size)
		return -EINVAL;
	strcpy(buf, base);
	return 0;
}

/* ---- list ---- */

/*
 * A PF from what discovery found (BDF, ids); sriov_totalvfs, which no
 * library reports, from the PF's sysfs (drivers/pci/iov.c).
 */
static int read_pf(const char *root, const struct xe_pci_dev *dev,
		   struct xemig_pf *pf)
{
	char path[PATH_MAX];
	int err;

	memset(pf, 0, sizeof(*pf));
	pf->ops = &pf_backend_xe;
	snprintf(pf->root, sizeof(pf->root), "%s", root);
	snprintf(pf->name, sizeof(pf->name), "%s", dev->bdf);
	pf->device_id = dev->device;
	pf->revision_id = dev->revision;
	err = sysfs_pathf(pf->sysfs, "%s/sys/bus/pci/devices/%s", root, dev->bdf);
	err = err ?: sysfs_pathf(path, "%s/sriov_totalvfs", pf->sysfs);
	err = err ?: sysfs_read_uint(path, &pf->total_vfs);
	/* By its name file; else where newer kernels put it, for messages. */
	if (!err && pf_dri_find(root, dev->driver, dev->bdf, pf->debugfs,
				sizeof(pf->debugfs)))
		err = sysfs_pathf(pf->debugfs, "%s/sys/kernel/debug/dri/%s", root,
			    dev->bdf);
	/*
	 * Of the parts xe-vfio-pci binds (INTEL_BMG_IDS, INTEL_PTL_IDS,
	 * INTEL_WCL_IDS), Battlemage (0xe2xx) is the discrete one.
	 */
	pf->igfx = (pf->device_id & 0xff00) != 0xe200;
	return err;
}

/* xe-driven Intel functions that can have VFs (VFs have no sriov_*). */
static int list_pfs(const char *root, struct xemig_pf *pfs, int max)
{
	struct xe_pci_dev *devs, *cand;
	int n, k, m = 0;

	n = xe_pci_discover(&devs);
	if (n < 0) {
		fprintf(stderr, "pf_backend_xe: DRM device discovery: %s\n",
			strerror(-n));
		return n;
	}
	cand = calloc(n ?: 1, sizeof(*cand));
	if (!cand) {
		free(devs);
		return -ENOMEM;
	}
	n = xe_pci_select_pfs(devs, n, cand, n);
	for (k = 0; k < n && m < max; k++)
		if (!read_pf(root, &cand[k], &pfs[m]) && pfs[m].total_vfs)
			m++;
	free(cand);
	free(devs);
	return m ?: -ENOENT;
}

/*
 * On the live system, no xe PF may mean xe is not loaded: load it and
 * look again; a module that cannot load says why.
 */
static int xe_list(const char *root, struct xemig_pf *pfs, int max)
{
	int n = list_pfs(root, pfs, max);

	if (n != -ENOENT || root[0])
		return n;
	if (kmod_util_require(XE_MODULE, "xe PFs"))
		return -ENOENT;
	return list_pfs(root, pfs, max);
}

/* ---- VFs ---- */

static int numvfs_path(const struct xemig_pf *pf, char *path)
{
	return sysfs_pathf(path, "%s/sriov_numvfs", pf->sysfs);
}

static int xe_disable_vfs(struct xemig_pf *pf)
{
	char path[PATH_MAX];

	return numvfs_path(pf, path) ?: sysfs_write_str(path, "0");
}

/* VF k is what virtfn<k-1> points at (drivers/pci/iov.c numbers from 0). */
static int read_vf(struct xemig_pf *pf, unsigned int k, struct xemig_vf *vf)
{
	char path[PATH_MAX];
	int err;

	memset(vf, 0, sizeof(*vf));
	vf->pf = pf;
	vf->vf_id = k;
	err = sysfs_pathf(path, "%s/virtfn%u", pf->sysfs, k - 1);
	err = err ?: link_name(path, vf->name, sizeof(vf->name));
	err = err ?: sysfs_pathf(vf->sysfs, "%s/sys/bus/pci/devices/%s",
			   pf->root, vf->name);
	if (err)
		fprintf(stderr, "pf_backend_xe: %s: VF%u not found: %s\n",
			pf->name, k, strerror(-err));
	return err;
}

static int xe_enable_vfs(struct xemig_pf *pf, unsigned int n,
			 struct xemig_vf *vfs)
{
	char path[PATH_MAX], num[16];
	unsigned int cur, k;
	int err;

	if (!n || n > pf->total_vfs)
		return -EINVAL;
	err = numvfs_path(pf, path) ?: sysfs_read_uint(path, &cur);
	if (err)
		return err;
	/* The PCI core refuses n -> m without 0 between; say so plainly. */
	if (cur)
		return -EBUSY;
	snprintf(num, sizeof(num), "%u", n);
	err = sysfs_write_str(path, num);
	if (err)
		return err;
	for (k = 1; k <= n; k++) {
		err = read_vf(pf, k, &vfs[k - 1]);
		if (err) {
			/* Half a set of VFs helps nobody. */
			xe_disable_vfs(pf);
			return err;
		}
	}
	return 0;
}

static int vf_driver(const struct xemig_vf *vf, char *drv, size_t size)
{
	char path[PATH_MAX];
	int err;

	err = sysfs_pathf(path, "%s/driver", vf->sysfs);
	if (err)
		return err;
	err = link_name(path, drv, size);
	if (err == -ENOENT)
		drv[0] = '\0';	/* unbound */
	return err == -ENOENT ? 0 : err;
}

/*
 * xe-vfio-pci (drivers/vfio/pci/xe) and the VFIO modules under it, in the
 * running kernel before a VF is handed to it; vfio-pci as the lab's
 * fallback driver, as IGT's vmtb loads it (bench/machines/host.py).
 */
static int require_vfio_modules(void)
{
	static const char *const mods[] = { "vfio", "vfio_pci", "xe_vfio_pci" };
	int err;

	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		err = kmod_util_require(mods[i], "VFs on " VFIO_DRIVER);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The driver_override dance: only xe-vfio-pci may take the VF, the current
 * driver lets go, and drivers_probe binds it. The PCI core probes
 * synchronously here, so the driver link tells right away.
 */
static int xe_bind_vfio(struct xemig_vf *vf)
{
	const char *root = vf->pf ? vf->pf->root : "";
	char path[PATH_MAX], drv[64];
	int err;

	if (!root[0]) {
		err = require_vfio_modules();
		if (err)
			return err;
	}
	err = vf_driver(vf, drv, sizeof(drv));
	if (err)
		return err;
	if (!strcmp(drv, VFIO_DRIVER))
		return 0;

	err = sysfs_pathf(path, "%s/driver_override", vf->sysfs) ?:
	      sysfs_write_str(path, VFIO_DRIVER);
	if (err)
		return err;
	if (drv[0]) {
		err = sysfs_pathf(path, "%s/driver/unbind", vf->sysfs) ?:
		      sysfs_write_str(path, vf->name);
		if (err)
			return err;
	}
	/* No matching driver is not a write error on every kernel: check. */
	err = sysfs_pathf(path, "%s/sys/bus/pci/drivers_probe", root) ?:
	      sysfs_write_str(path, vf->name);

	if (vf_driver(vf, drv, sizeof(drv)) || strcmp(drv, VFIO_DRIVER)) {
		fprintf(stderr, "pf_backend_xe: %s: not bound to " VFIO_DRIVER
			" (driver now \"%s\"%s%s); is the xe-vfio-pci module"
			" loaded?\n", vf->name, drv,
			err ? ", drivers_probe: " : "",
			err ? strerror(-err) : "");
		return -ENODEV;
	}
	return 0;
}

static const char *const xe_modules[] = { XE_MODULE, "xe_vfio_pci", NULL };

/*
 * What xe and xe-vfio-pci offer for certain: the VF's BARs through VFIO,
 * the flavour from the device id, and errnos where xe documents them
 * (drivers/vfio/pci/xe/main.c, drivers/gpu/drm/xe/xe_sriov_packet.c). Not
 * declared: the GuC blob's stability (GuC may rewrite its own state), the
 * number of GTs (per platform), and everything of the sim's own model.
 */
const struct pf_backend_ops pf_backend_xe = {
	.name		= "xe",
	.caps		= PF_CAP_VFIO_BARS | PF_CAP_FLAVOUR | PF_CAP_XE_ERRNOS,
	.dri_driver	= "xe",
	.modules	= xe_modules,
	.list		= xe_list,
	.enable_vfs	= xe_enable_vfs,
	.get_vf		= read_vf,
	.disable_vfs	= xe_disable_vfs,
	.bind_vfio	= xe_bind_vfio,
	.vf_config	= pf_vf_config_debugfs,
};
