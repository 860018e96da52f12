// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The real-hardware PF backend: an Intel GPU bound to xe with SR-IOV.
 *
 * Facts this file relies on (upstream Linux, drivers/gpu/drm/xe/ unless
 * said otherwise):
 *
 * - DRM debugfs has one directory per device named by dev->unique, the
 *   PCI BDF, and makes /sys/kernel/debug/dri/<minor> a symlink to it
 *   (drivers/gpu/drm/drm_debugfs.c: drm_debugfs_dev_init(),
 *   drm_debugfs_register()). Older kernels only had dri/<minor>; the
 *   primary minor is N of the device's sysfs drm/cardN.
 *
 * - New layout (xe_sriov_pf_debugfs.c, xe_tile_sriov_pf_debugfs.c,
 *   xe_gt_sriov_pf_debugfs.c: xe_gt_sriov_pf_debugfs_populate()):
 *     dri/<BDF>/sriov/vf<N>/tile0/ggtt_quota		u64 bytes, "%llu\n"
 *     dri/<BDF>/sriov/vf<N>/tile0/vram_quota		u64 bytes, dGFX only
 *     dri/<BDF>/sriov/vf<N>/tile0/gt0/contexts_quota	u32, "%llu\n"
 *     dri/<BDF>/sriov/vf<N>/tile0/gt0/{ggtt,lmem}_quota	compat symlinks
 *							to ../ggtt_quota, ../vram_quota
 *     dri/<BDF>/sriov/pf/tile0/ggtt_provisioned		(gt0/ has a compat link)
 *   The first tile-level trees had no compat links and may predate
 *   vram_quota; so tile0/ first, then tile0/gt0/ names.
 *
 * - Old layout (xe_gt_sriov_pf_debugfs.c, xe_gt_sriov_pf_debugfs_register()
 *   before the sriov/ tree): everything per GT,
 *     dri/<minor>/gt0/vf<N>/{ggtt_quota,lmem_quota,contexts_quota}
 *     dri/<minor>/gt0/pf/ggtt_provisioned
 *   lmem_quota only exists on dGFX (IS_DGFX / xe_device_has_lmtt), so a
 *   missing lmem file means no VRAM, not an error.
 *
 * - ggtt_provisioned (xe_gt_sriov_pf_config.c:
 *   xe_gt_sriov_pf_config_print_ggtt()) has one line per VF that has GGTT,
 *     drm_printf(p, "VF%u:\t%#0llx-%#llx\t(%s)\n", n, start, end, size)
 *   with end inclusive and size a string_get_size() string ("64.0 MiB").
 *   %#0llx prints a zero start as "0", not "0x0".
 *
 * - VFs: writing n to sriov_numvfs creates virtfn0..virtfn<n-1> links to
 *   the VF devices (drivers/pci/iov.c); it must be 0 before a new n.
 *   xe-vfio-pci binds through driver_override, unbind and drivers_probe
 *   (Documentation/ABI/testing/sysfs-bus-pci, driver_override).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pf_backend.h"
#include "sysfs_util.h"

#define XE_DRIVER	"xe"
#define VFIO_DRIVER	"xe-vfio-pci"
#define INTEL_VENDOR	0x8086

/* snprintf() into a PATH_MAX buffer; a cut path would name another file. */
static int __attribute__((format(printf, 2, 3)))
pathf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	return n < 0 ? -EINVAL : n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

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

/* One u64 attribute, as xe's debugfs prints them ("%llu\n"). */
static int read_u64(const char *path, uint64_t *val)
{
	char buf[64], *end;
	unsigned long long v;
	int err;

	err = sysfs_read_str(path, buf, sizeof(buf));
	if (err)
		return err;
	errno = 0;
	v = strtoull(buf, &end, 0);
	if (errno || end == buf || *end || buf[0] == '-') {
		fprintf(stderr, "pf_backend_xe: %s: not a number: \"%s\"\n",
			path, buf);
		return -EINVAL;
	}
	*val = v;
	return 0;
}

/* ---- list ---- */

static int read_pf(const char *root, const char *bdf, struct xemig_pf *pf)
{
	char path[PATH_MAX];
	int err;

	memset(pf, 0, sizeof(*pf));
	pf->ops = &pf_backend_xe;
	snprintf(pf->root, sizeof(pf->root), "%s", root);
	snprintf(pf->name, sizeof(pf->name), "%s", bdf);
	err = pathf(pf->sysfs, "%s/sys/bus/pci/devices/%s", root, bdf);
	err = err ?: pathf(pf->debugfs, "%s/sys/kernel/debug/dri/%s", root, bdf);
	err = err ?: pathf(path, "%s/device", pf->sysfs);
	err = err ?: sysfs_read_uint(path, &pf->device_id);
	err = err ?: pathf(path, "%s/revision", pf->sysfs);
	err = err ?: sysfs_read_uint(path, &pf->revision_id);
	err = err ?: pathf(path, "%s/sriov_totalvfs", pf->sysfs);
	err = err ?: sysfs_read_uint(path, &pf->total_vfs);
	/*
	 * Of the parts xe-vfio-pci binds (INTEL_BMG_IDS, INTEL_PTL_IDS,
	 * INTEL_WCL_IDS), Battlemage (0xe2xx) is the discrete one.
	 */
	pf->igfx = (pf->device_id & 0xff00) != 0xe200;
	return err;
}

/* An xe-bound Intel function that can have VFs; VFs have no sriov_* files. */
static bool is_xe_pf(const struct xemig_pf *pf)
{
	char path[PATH_MAX], drv[64];
	unsigned int vendor;

	if (pathf(path, "%s/driver", pf->sysfs) ||
	    link_name(path, drv, sizeof(drv)) || strcmp(drv, XE_DRIVER))
		return false;
	if (pathf(path, "%s/vendor", pf->sysfs) ||
	    sysfs_read_uint(path, &vendor) || vendor != INTEL_VENDOR)
		return false;
	return pf->total_vfs > 0;
}

static int cmp_pf(const void *a, const void *b)
{
	return strcmp(((const struct xemig_pf *)a)->name,
		      ((const struct xemig_pf *)b)->name);
}

static int xe_list(const char *root, struct xemig_pf *pfs, int max)
{
	struct xemig_pf *all = NULL, *tmp;
	char dir[PATH_MAX];
	struct dirent *de;
	int n = 0, cap = 0, err;
	DIR *d;

	err = pathf(dir, "%s/sys/bus/pci/devices", root);
	if (err)
		return err;
	d = opendir(dir);
	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			tmp = realloc(all, cap * sizeof(*all));
			if (!tmp) {
				err = -ENOMEM;
				break;
			}
			all = tmp;
		}
		/* Functions without the attributes are not xe PFs: skip. */
		if (!read_pf(root, de->d_name, &all[n]) &&
		    is_xe_pf(&all[n]))
			n++;
	}
	closedir(d);
	if (!err && !n)
		err = -ENOENT;
	if (!err) {
		qsort(all, n, sizeof(*all), cmp_pf);
		if (n > max)
			n = max;
		memcpy(pfs, all, n * sizeof(*all));
	}
	free(all);
	return err ?: n;
}

/* ---- VFs ---- */

static int numvfs_path(const struct xemig_pf *pf, char *path)
{
	return pathf(path, "%s/sriov_numvfs", pf->sysfs);
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
	err = pathf(path, "%s/virtfn%u", pf->sysfs, k - 1);
	err = err ?: link_name(path, vf->name, sizeof(vf->name));
	err = err ?: pathf(vf->sysfs, "%s/sys/bus/pci/devices/%s",
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

	err = pathf(path, "%s/driver", vf->sysfs);
	if (err)
		return err;
	err = link_name(path, drv, size);
	if (err == -ENOENT)
		drv[0] = '\0';	/* unbound */
	return err == -ENOENT ? 0 : err;
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

	err = vf_driver(vf, drv, sizeof(drv));
	if (err)
		return err;
	if (!strcmp(drv, VFIO_DRIVER))
		return 0;

	err = pathf(path, "%s/driver_override", vf->sysfs) ?:
	      sysfs_write_str(path, VFIO_DRIVER);
	if (err)
		return err;
	if (drv[0]) {
		err = pathf(path, "%s/driver/unbind", vf->sysfs) ?:
		      sysfs_write_str(path, vf->name);
		if (err)
			return err;
	}
	/* No matching driver is not a write error on every kernel: check. */
	err = pathf(path, "%s/sys/bus/pci/drivers_probe", root) ?:
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

/* ---- provisioning ---- */

/*
 * The line "VF<id>:\t<start>-<end>\t(<size>)" of ggtt_provisioned.
 * -ENODATA if the VF has no line (no GGTT), -EINVAL if it is garbled.
 */
static int parse_ggtt_provisioned(const char *path, unsigned int vf_id,
				  uint64_t *start)
{
	char buf[8192], *line, *save, *p, *end;
	unsigned long long s, e;
	unsigned long id;
	int err;

	err = sysfs_read_str(path, buf, sizeof(buf));
	if (err)
		return err;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "VF", 2))
			goto bad;
		id = strtoul(line + 2, &p, 10);
		if (p == line + 2 || *p != ':')
			goto bad;
		if (id != vf_id)
			continue;
		errno = 0;
		s = strtoull(p + 1, &end, 0);	/* skips the tab */
		if (errno || end == p + 1 || *end != '-')
			goto bad;
		p = end + 1;
		errno = 0;
		e = strtoull(p, &end, 0);
		if (errno || end == p || e < s)
			goto bad;
		*start = s;
		return 0;
	}
	return -ENODATA;
bad:
	fprintf(stderr, "pf_backend_xe: %s: unexpected line \"%s\"\n",
		path, line);
	return -EINVAL;
}

/* Where one layout keeps a VF's quota files and the PF's GGTT listing. */
struct cfg_paths {
	char ggtt[2][PATH_MAX];		/* ggtt_quota, first that exists */
	char lmem[2][PATH_MAX];		/* optional: iGPUs have none */
	char ctxs[PATH_MAX];
	char prov[2][PATH_MAX];		/* ggtt_provisioned */
};

/* New: dri/<BDF>/sriov/vf<N>/tile0[/gt0], see the top of the file. */
static int paths_new(const struct xemig_vf *vf, struct cfg_paths *cp)
{
	const char *dfs = vf->pf->debugfs;
	char t[PATH_MAX];
	int err;

	err = pathf(t, "%s/sriov/vf%u/tile0", dfs, vf->vf_id);
	if (err || !is_dir(t))
		return err ?: -ENOENT;
	return pathf(cp->ggtt[0], "%s/ggtt_quota", t) ?:
	       pathf(cp->ggtt[1], "%s/gt0/ggtt_quota", t) ?:
	       pathf(cp->lmem[0], "%s/vram_quota", t) ?:
	       pathf(cp->lmem[1], "%s/gt0/lmem_quota", t) ?:
	       pathf(cp->ctxs, "%s/gt0/contexts_quota", t) ?:
	       pathf(cp->prov[0], "%s/sriov/pf/tile0/ggtt_provisioned", dfs) ?:
	       pathf(cp->prov[1], "%s/sriov/pf/tile0/gt0/ggtt_provisioned", dfs);
}

/* The primary minor: N of <PF sysfs>/drm/cardN. */
static int drm_minor(const struct xemig_pf *pf, unsigned int *minor)
{
	char path[PATH_MAX];
	struct dirent *de;
	int err = -ENOENT;
	DIR *d;

	if (pathf(path, "%s/drm", pf->sysfs) || !(d = opendir(path)))
		return -ENOENT;
	while ((de = readdir(d)))
		if (sscanf(de->d_name, "card%u", minor) == 1) {
			err = 0;
			break;
		}
	closedir(d);
	return err;
}

/* Old: <gt>/vf<N>/ and <gt>/pf/, gt0 under dri/<BDF> or dri/<minor>. */
static int paths_old(const struct xemig_vf *vf, struct cfg_paths *cp)
{
	const struct xemig_pf *pf = vf->pf;
	char gt[PATH_MAX], v[PATH_MAX];
	unsigned int minor;
	int err;

	err = pathf(gt, "%s/gt0", pf->debugfs);
	if (!err && !is_dir(gt)) {
		err = drm_minor(pf, &minor) ?:
		      pathf(gt, "%s/sys/kernel/debug/dri/%u/gt0", pf->root, minor);
	}
	err = err ?: pathf(v, "%s/vf%u", gt, vf->vf_id);
	if (err || !is_dir(v))
		return err ?: -ENOENT;
	strcpy(cp->ggtt[0], "");
	strcpy(cp->lmem[0], "");
	strcpy(cp->prov[0], "");
	return pathf(cp->ggtt[1], "%s/ggtt_quota", v) ?:
	       pathf(cp->lmem[1], "%s/lmem_quota", v) ?:
	       pathf(cp->ctxs, "%s/contexts_quota", v) ?:
	       pathf(cp->prov[1], "%s/pf/ggtt_provisioned", gt);
}

/* The first of two candidate files that exists; "" is no candidate. */
static const char *pick(char cand[2][PATH_MAX])
{
	if (cand[0][0] && !access(cand[0], F_OK))
		return cand[0];
	return cand[1];
}

static int report(const char *path, int err)
{
	if (err && err != -EINVAL)	/* read_u64 told about -EINVAL */
		fprintf(stderr, "pf_backend_xe: %s: %s\n", path, strerror(-err));
	return err;
}

static int read_config(const struct xemig_vf *vf, struct cfg_paths *cp,
		       struct pf_vf_config *cfg)
{
	const char *path;
	uint64_t ctxs;
	int err;

	path = pick(cp->ggtt);
	err = report(path, read_u64(path, &cfg->ggtt_size));
	if (err)
		return err;
	path = pick(cp->lmem);
	err = read_u64(path, &cfg->lmem_size);
	if (err == -ENOENT)
		cfg->lmem_size = 0;	/* integrated: no VRAM to provision */
	else if (report(path, err))
		return err;
	path = cp->ctxs;
	err = report(path, read_u64(path, &ctxs));
	if (err)
		return err;
	if (ctxs > UINT_MAX) {
		fprintf(stderr, "pf_backend_xe: %s: %llu contexts?\n", path,
			(unsigned long long)ctxs);
		return -ERANGE;
	}
	cfg->num_ctxs = ctxs;

	path = pick(cp->prov);
	err = parse_ggtt_provisioned(path, vf->vf_id, &cfg->ggtt_start);
	/* xe leaves VFs without GGTT out of the listing. */
	if (err == -ENODATA && !cfg->ggtt_size) {
		cfg->ggtt_start = 0;
		return 0;
	}
	if (err == -ENODATA)
		fprintf(stderr, "pf_backend_xe: %s: no line for VF%u\n",
			path, vf->vf_id);
	return err == -EINVAL ? err : report(path, err);
}

static int xe_vf_config(struct xemig_vf *vf, struct pf_vf_config *cfg)
{
	struct cfg_paths *cp;
	int err;

	if (!vf->pf || !vf->vf_id)
		return -EINVAL;
	cp = calloc(1, sizeof(*cp));
	if (!cp)
		return -ENOMEM;
	memset(cfg, 0, sizeof(*cfg));
	err = paths_new(vf, cp);
	if (err == -ENOENT)
		err = paths_old(vf, cp);
	if (err == -ENOENT)
		fprintf(stderr, "pf_backend_xe: %s: no SR-IOV debugfs for VF%u"
			" under %s (debugfs mounted? xe PF?)\n",
			vf->pf->name, vf->vf_id, vf->pf->debugfs);
	err = err ?: read_config(vf, cp, cfg);
	free(cp);
	return err;
}

const struct pf_backend_ops pf_backend_xe = {
	.name		= "xe",
	.list		= xe_list,
	.enable_vfs	= xe_enable_vfs,
	.get_vf		= read_vf,
	.disable_vfs	= xe_disable_vfs,
	.bind_vfio	= xe_bind_vfio,
	.vf_config	= xe_vf_config,
};
