// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * What the xe and sim backends share: finding a PF's DRM debugfs
 * directory by its name file, and xe's SR-IOV files under it, which
 * xe_sriov_sim lays out as xe does. Upstream Linux, drivers/gpu/drm/:
 *
 * - drm_debugfs.c, drm_name_info(): every DRM debugfs directory has a
 *   "name" file, "<driver> dev=<dev_name>[ master=...][ unique=...]\n".
 *   Newer kernels name the directory dri/<unique> (the PCI BDF) and make
 *   dri/<minor> a link to it (drm_debugfs_dev_init(),
 *   drm_debugfs_register()); older ones only have dri/<minor>. The sim's
 *   PFs are dri/<N> with "xe_sriov_sim dev=pf<N> unique=pf<N>".
 *
 * - xe/xe_sriov_pf_debugfs.c, pf_populate_vf() and
 *   from_file_write_to_vf_call() / from_file_read_to_vf_call():
 *     sriov/vf<id>/pause|resume|stop|reset   0200, write a bool ("1")
 *     sriov/vf<id>/save|restore              0600, write "1" to start,
 *                                            read to finish: the read
 *                                            fails with the operation's
 *                                            errno
 *     (a write at a non-zero offset is EINVAL: write from offset 0)
 *     sriov/vf<id>/migration_data            0600, the stream; the
 *                                            position stays 0, any other
 *                                            is ESPIPE
 *     sriov/vf<id>/migration_size            0400, "%zd\n"
 *
 * - The quotas and listings (xe_tile_sriov_pf_debugfs.c,
 *   xe_gt_sriov_pf_debugfs.c: xe_gt_sriov_pf_debugfs_populate()):
 *     sriov/vf<id>/tile0/ggtt_quota               u64 bytes, "%llu\n"
 *     sriov/vf<id>/tile0/vram_quota               u64 bytes, dGFX only
 *     sriov/vf<id>/tile0/gt0/contexts_quota       u32, "%llu\n"
 *     sriov/vf<id>/tile0/gt0/{ggtt,lmem}_quota    compat links to
 *                                                 ../ggtt_quota, ../vram_quota
 *     sriov/pf/tile0/ggtt_provisioned             (gt0/ has a compat link)
 *   The first tile-level trees had no compat links and may predate
 *   vram_quota; so tile0/ first, then tile0/gt0/ names. Older kernels
 *   had it all per GT (xe_gt_sriov_pf_debugfs_register() before the
 *   sriov/ tree): gt0/vf<id>/{ggtt,lmem,contexts}_quota and
 *   gt0/pf/ggtt_provisioned; lmem_quota only on dGFX (xe_device_has_lmtt),
 *   so a missing lmem file means no VRAM, not an error.
 *
 * - ggtt_provisioned (xe_gt_sriov_pf_config.c:
 *   xe_gt_sriov_pf_config_print_ggtt()) has one line per VF that has GGTT,
 *   "VF%u:\t%#0llx-%#llx\t(%s)\n": start, inclusive end, and a
 *   string_get_size() string ("64.0 MiB"); a zero start prints as "0".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "uapi/xe_sriov_sim.h"
#include "mig_data.h"
#include "pf_backend.h"
#include "sysfs_util.h"

static const char *const control_files[] = {
	[PF_VF_PAUSE] = "pause",
	[PF_VF_RESUME] = "resume",
	[PF_VF_STOP] = "stop",
	[PF_VF_RESET] = "reset",
};

const char *pf_cap_name(unsigned int cap)
{
	static const char *const names[] = {
		"fault planting (xe_sriov_sim's fault knob)",
		"xe_sriov_sim's module parameters",
		"the sim's engine model and workloads",
		"CCS access through xe_sriov_sim's debugfs ccs",
		"xe_sriov_sim's own debugfs files",
		"the sim's VF register model in BAR0 (GGTT PTE window, VF_IRQ_STATUS, GuC mailbox)",
		"VF BARs through VFIO",
		"two GTs per VF",
		"a known platform flavour",
		"a stable GuC blob",
		"errnos exactly as xe's",
		"re-provisioning a VF's contexts",
		"an exact MIG_DATA_SIZE",
	};

	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (cap == 1u << i)
			return names[i];
	return "?";
}

const struct pf_backend_ops *pf_backend_by_name(const char *name)
{
	if (!strcmp(name, "sim"))
		return &pf_backend_sim;
	if (!strcmp(name, "xe"))
		return &pf_backend_xe;
	return NULL;
}

const struct pf_backend_ops *pf_backend_default(void)
{
	const char *name = getenv("XEMT_PF_BACKEND");

	if (name && *name)
		return pf_backend_by_name(name);
	if (access("/sys/class/" XE_SRIOV_SIM_CLASS, F_OK) == 0)
		return &pf_backend_sim;
	return &pf_backend_xe;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* ---- finding the PF's dri/ directory ---- */

/* Does dir/name say "<driver> ... dev=<dev> ..."? */
static bool name_matches(const char *dir, const char *driver, const char *dev)
{
	char path[PATH_MAX], buf[512], *tok, *save;

	if (sysfs_pathf(path, "%s/name", dir) || sysfs_read_str(path, buf, sizeof(buf)))
		return false;
	tok = strtok_r(buf, " \n", &save);
	if (!tok || strcmp(tok, driver))
		return false;
	while ((tok = strtok_r(NULL, " \n", &save)))
		if (!strncmp(tok, "dev=", 4) && !strcmp(tok + 4, dev))
			return true;
	return false;
}

/* A minor's number, or -1 for a name that is not one (dri/<BDF>, client-N). */
static long minor_of(const char *name)
{
	char *end;
	long v = strtol(name, &end, 10);

	return end == name || *end || v < 0 ? -1 : v;
}

int pf_dri_find(const char *root, const char *driver, const char *dev,
		char *buf, size_t size)
{
	char dri[PATH_MAX], path[PATH_MAX], best[NAME_MAX + 1] = "";
	long best_minor = -1;
	struct dirent *de;
	DIR *d;
	int err;

	err = sysfs_pathf(dri, "%s/sys/kernel/debug/dri", root);
	/* dri/<dev> itself, where DRM names directories by device */
	err = err ?: sysfs_pathf(path, "%s/%s", dri, dev);
	if (err)
		return err;
	if (name_matches(path, driver, dev))
		return snprintf(buf, size, "%s", path) < (int)size ? 0 : -ENAMETOOLONG;

	d = opendir(dri);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		long m = minor_of(de->d_name);

		/* the lowest minor: the primary node of the device */
		if (m < 0 || (best_minor >= 0 && m >= best_minor))
			continue;
		if (sysfs_pathf(path, "%s/%s", dri, de->d_name) ||
		    !name_matches(path, driver, dev))
			continue;
		best_minor = m;
		snprintf(best, sizeof(best), "%s", de->d_name);
	}
	closedir(d);
	if (best_minor < 0)
		return -ENOENT;
	return snprintf(buf, size, "%s/%s", dri, best) < (int)size ? 0 : -ENAMETOOLONG;
}

/* ---- sriov/vf<id>/ control and migration ---- */

void pf_vf_debugfs_dir(const struct xemig_vf *vf, char *buf, size_t size)
{
	snprintf(buf, size, "%s/sriov/vf%u", vf->pf->debugfs, vf->vf_id);
}

static void vf_file(const struct xemig_vf *vf, const char *name, char *buf, size_t size)
{
	char dir[PATH_MAX];

	pf_vf_debugfs_dir(vf, dir, sizeof(dir));
	snprintf(buf, size, "%s/%s", dir, name);
}

int pf_vf_control(struct xemig_vf *vf, enum pf_vf_control op)
{
	char path[PATH_MAX + 32];

	if ((unsigned int)op >= sizeof(control_files) / sizeof(control_files[0]))
		return -EINVAL;
	vf_file(vf, control_files[op], path, sizeof(path));
	return sysfs_write_str(path, "1");
}

/* Read save/restore: finishes the operation; the read's errno is its result. */
static int finish(struct xemig_vf *vf, const char *name)
{
	char path[PATH_MAX + 32], buf[64];
	int fd, err = 0;

	vf_file(vf, name, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (read(fd, buf, sizeof(buf)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int open_data(struct xemig_vf *vf, int flags)
{
	char path[PATH_MAX + 32];
	int fd;

	vf_file(vf, "migration_data", path, sizeof(path));
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int pf_vf_save(struct xemig_vf *vf, uint8_t **buf, size_t *len)
{
	char path[PATH_MAX + 32];
	int fd, err, fin;

	*buf = NULL;
	*len = 0;
	vf_file(vf, "save", path, sizeof(path));
	err = sysfs_write_str(path, "1");
	if (err)
		return err;
	fd = open_data(vf, O_RDONLY);
	if (fd < 0)
		err = fd;
	else
		err = mig_data_read_all(fd, 64 << 10, buf, len, NULL);
	if (fd >= 0)
		close(fd);
	/* Always finish, so a failed read does not leave the PF saving. */
	fin = finish(vf, "save");
	if (err || fin) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return err ?: fin;
}

int pf_vf_restore(struct xemig_vf *vf, const uint8_t *buf, size_t len, size_t seg)
{
	char path[PATH_MAX + 32];
	int fd, err, fin;

	vf_file(vf, "restore", path, sizeof(path));
	err = sysfs_write_str(path, "1");
	if (err)
		return err;
	fd = open_data(vf, O_WRONLY);
	if (fd < 0)
		err = fd;
	else
		err = mig_data_write_all(fd, buf, len, seg ? seg : len ? len : 1, NULL);
	if (fd >= 0 && close(fd) && !err)
		err = -errno;
	fin = finish(vf, "restore");
	return err ?: fin;
}

int pf_vf_migration_size(struct xemig_vf *vf, uint64_t *bytes)
{
	char path[PATH_MAX + 32], buf[32], *end;
	long long v;
	int err;

	vf_file(vf, "migration_size", path, sizeof(path));
	err = sysfs_read_str(path, buf, sizeof(buf));
	if (err)
		return err;
	v = strtoll(buf, &end, 0);
	if (end == buf || v < 0)
		return -EINVAL;
	*bytes = v;
	return 0;
}

int pf_vf_set_contexts_quota(struct xemig_vf *vf, unsigned int n)
{
	char path[PATH_MAX + 32], val[16];

	vf_file(vf, "tile0/gt0/contexts_quota", path, sizeof(path));
	snprintf(val, sizeof(val), "%u", n);
	return sysfs_write_str(path, val);
}

/* ---- provisioning ---- */

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
		fprintf(stderr, "pf_debugfs: %s: not a number: \"%s\"\n",
			path, buf);
		return -EINVAL;
	}
	*val = v;
	return 0;
}

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
	fprintf(stderr, "pf_debugfs: %s: unexpected line \"%s\"\n",
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

/* sriov/vf<N>/tile0[/gt0], see the top of the file. */
static int paths_new(const struct xemig_vf *vf, struct cfg_paths *cp)
{
	const char *dfs = vf->pf->debugfs;
	char t[PATH_MAX];
	int err;

	err = sysfs_pathf(t, "%s/sriov/vf%u/tile0", dfs, vf->vf_id);
	if (err || !is_dir(t))
		return err ?: -ENOENT;
	return sysfs_pathf(cp->ggtt[0], "%s/ggtt_quota", t) ?:
	       sysfs_pathf(cp->ggtt[1], "%s/gt0/ggtt_quota", t) ?:
	       sysfs_pathf(cp->lmem[0], "%s/vram_quota", t) ?:
	       sysfs_pathf(cp->lmem[1], "%s/gt0/lmem_quota", t) ?:
	       sysfs_pathf(cp->ctxs, "%s/gt0/contexts_quota", t) ?:
	       sysfs_pathf(cp->prov[0], "%s/sriov/pf/tile0/ggtt_provisioned", dfs) ?:
	       sysfs_pathf(cp->prov[1], "%s/sriov/pf/tile0/gt0/ggtt_provisioned", dfs);
}

/* Old: gt0/vf<N>/ and gt0/pf/ in the PF's directory. */
static int paths_old(const struct xemig_vf *vf, struct cfg_paths *cp)
{
	char gt[PATH_MAX], v[PATH_MAX];
	int err;

	err = sysfs_pathf(gt, "%s/gt0", vf->pf->debugfs);
	err = err ?: sysfs_pathf(v, "%s/vf%u", gt, vf->vf_id);
	if (err || !is_dir(v))
		return err ?: -ENOENT;
	strcpy(cp->ggtt[0], "");
	strcpy(cp->lmem[0], "");
	strcpy(cp->prov[0], "");
	return sysfs_pathf(cp->ggtt[1], "%s/ggtt_quota", v) ?:
	       sysfs_pathf(cp->lmem[1], "%s/lmem_quota", v) ?:
	       sysfs_pathf(cp->ctxs, "%s/contexts_quota", v) ?:
	       sysfs_pathf(cp->prov[1], "%s/pf/ggtt_provisioned", gt);
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
		fprintf(stderr, "pf_debugfs: %s: %s\n", path, strerror(-err));
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
		fprintf(stderr, "pf_debugfs: %s: %llu contexts?\n", path,
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
		fprintf(stderr, "pf_debugfs: %s: no line for VF%u\n",
			path, vf->vf_id);
	return err == -EINVAL ? err : report(path, err);
}

int pf_vf_config_debugfs(struct xemig_vf *vf, struct pf_vf_config *cfg)
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
		fprintf(stderr, "pf_debugfs: %s: no SR-IOV debugfs for VF%u"
			" under %s (debugfs mounted? PF driver loaded?)\n",
			vf->pf->name, vf->vf_id, vf->pf->debugfs);
	err = err ?: read_config(vf, cp, cfg);
	free(cp);
	return err;
}
