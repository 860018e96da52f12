// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The sim PF backend: xe_sriov_sim's PFs (sim_pf.c) behind the common PF
 * interface. VFs are mdev instances; the module registers each as a VFIO
 * device itself, so there is nothing to bind. The module lays out xe's
 * debugfs files as xe does under a dri/<N> found by its name file
 * ("xe_sriov_sim dev=pf<N>"), driven by the code both backends share
 * (pf_control.c); the sim-only files (the list of VFs, ccs) are under
 * /sys/kernel/debug/xe_sriov_sim/pf<N>/.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uapi/xe_sriov_sim.h"
#include "uapi/xe_sriov_sim_regs.h"
#include "uapi/xe_sriov_sim_ccs.h"
#include "pf_backend.h"
#include "sim_pf.h"
#include "sysfs_util.h"

#define SIM_DEBUGFS "/sys/kernel/debug/" XE_SRIOV_SIM_DEBUGFS_ROOT
#define SIM_MAX_PFS XE_SRIOV_SIM_MAX_PFS

static int sim_list(const char *root, struct xemig_pf *pfs, int max)
{
	struct sim_pf sp[SIM_MAX_PFS];
	int n;

	/* The sim lives only on a live system; fixtures are for xe. */
	if (root && *root)
		return -EINVAL;
	n = sim_pf_list(sp, SIM_MAX_PFS);
	if (n < 0)
		return n;
	if (!n)
		return -ENOENT;
	for (int i = 0; i < n && i < max; i++) {
		memset(&pfs[i], 0, sizeof(pfs[i]));
		pfs[i].ops = &pf_backend_sim;
		snprintf(pfs[i].name, sizeof(pfs[i].name), "%s", sp[i].name);
		snprintf(pfs[i].sysfs, sizeof(pfs[i].sysfs), "%s", sp[i].sysfs);
		if (pf_dri_find("", XE_SRIOV_SIM_DRI_DRIVER, sp[i].name,
				pfs[i].debugfs, sizeof(pfs[i].debugfs)))
			fprintf(stderr, "pf_backend_sim: %s: no debugfs dri/ directory"
				" (is debugfs mounted?)\n", sp[i].name);
		pfs[i].device_id = sp[i].device_id;
		pfs[i].revision_id = sp[i].revision_id;
		pfs[i].total_vfs = sp[i].max_vfs;
		pfs[i].igfx = sp[i].igfx;
	}
	return n < max ? n : max;
}

/* The sim-only xe_sriov_sim/pf<N>/vfs: one "<id> <uuid>" line per VF. */
static FILE *open_vf_list(struct xemig_pf *pf)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), SIM_DEBUGFS "/%s/vfs", pf->name);
	return fopen(path, "r");
}

static int count_vfs(struct xemig_pf *pf)
{
	FILE *f = open_vf_list(pf);
	char line[128];
	int n = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

static int to_sim_pf(struct xemig_pf *pf, struct sim_pf *sp)
{
	memset(sp, 0, sizeof(*sp));
	snprintf(sp->name, sizeof(sp->name), "%s", pf->name);
	snprintf(sp->sysfs, sizeof(sp->sysfs), "%s", pf->sysfs);
	sp->max_vfs = pf->total_vfs;
	return 0;
}

static int sim_disable_vfs(struct xemig_pf *pf)
{
	FILE *f = open_vf_list(pf);
	char uuid[64];
	unsigned int id;
	int err = 0;

	if (!f)
		return -errno;
	while (fscanf(f, "%u %63s", &id, uuid) == 2) {
		struct sim_vf sv = { 0 };
		int e;

		snprintf(sv.sysfs, sizeof(sv.sysfs), "/sys/bus/mdev/devices/%s", uuid);
		e = sim_vf_remove(&sv);
		if (e && e != -ENOENT && !err)
			err = e;
	}
	fclose(f);
	return err;
}

static int sim_get_vf(struct xemig_pf *pf, unsigned int vf_id, struct xemig_vf *vf)
{
	FILE *f = open_vf_list(pf);
	char uuid[64];
	unsigned int id;
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (err && fscanf(f, "%u %63s", &id, uuid) == 2) {
		if (id != vf_id)
			continue;
		memset(vf, 0, sizeof(*vf));
		vf->pf = pf;
		vf->vf_id = id;
		snprintf(vf->name, sizeof(vf->name), "%s", uuid);
		snprintf(vf->sysfs, sizeof(vf->sysfs), "/sys/bus/mdev/devices/%s", uuid);
		err = 0;
	}
	fclose(f);
	return err;
}

static int sim_enable_vfs(struct xemig_pf *pf, unsigned int n, struct xemig_vf *vfs)
{
	struct sim_pf sp;
	int existing = count_vfs(pf);

	if (existing < 0)
		return existing;
	if (existing)
		return -EBUSY;
	if (!n || n > pf->total_vfs)
		return -EINVAL;
	to_sim_pf(pf, &sp);
	for (unsigned int i = 0; i < n; i++) {
		struct sim_vf sv;
		int err = sim_vf_create(&sp, &sv);

		if (err) {
			sim_disable_vfs(pf);
			return err;
		}
		memset(&vfs[i], 0, sizeof(vfs[i]));
		vfs[i].pf = pf;
		vfs[i].vf_id = sv.vf_id;
		snprintf(vfs[i].sysfs, sizeof(vfs[i].sysfs), "%s", sv.sysfs);
		snprintf(vfs[i].name, sizeof(vfs[i].name), "%s", sv.uuid);
	}
	return 0;
}

static int sim_bind_vfio(struct xemig_vf *vf)
{
	return 0;
}

void pf_sim_vf_debugfs_dir(const struct xemig_vf *vf, char *buf, size_t size)
{
	snprintf(buf, size, SIM_DEBUGFS "/%s/vf%u", vf->pf->name, vf->vf_id);
}

/* One write of @wbuf, or (NULL @wbuf) one read into @rbuf. */
static int ccs_io(struct xemig_vf *vf, void *rbuf, const void *wbuf, size_t len)
{
	char dir[PATH_MAX], path[PATH_MAX + 8];
	ssize_t n;
	int fd;

	pf_sim_vf_debugfs_dir(vf, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/ccs", dir);
	fd = open(path, (wbuf ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = wbuf ? write(fd, wbuf, len) : read(fd, rbuf, len);
	close(fd);
	return n < 0 ? -errno : (size_t)n == len ? 0 : -EIO;
}

int pf_sim_vf_ccs_read(struct xemig_vf *vf, void *buf, size_t len)
{
	return ccs_io(vf, buf, NULL, len);
}

int pf_sim_vf_ccs_write(struct xemig_vf *vf, const void *buf, size_t len)
{
	return ccs_io(vf, NULL, buf, len);
}

int pf_set_flavour(struct xemig_pf *pf, bool igfx)
{
	char path[PATH_MAX + 16];
	int err;

	if (pf->ops != &pf_backend_sim)
		return -EOPNOTSUPP;
	snprintf(path, sizeof(path), "%s/" XE_SRIOV_SIM_PF_FLAVOUR_ATTR, pf->sysfs);
	err = sysfs_write_str(path, igfx ? XE_SRIOV_SIM_FLAVOUR_IGFX :
					   XE_SRIOV_SIM_FLAVOUR_DGFX);
	if (!err)
		pf->igfx = igfx;
	return err;
}

int pf_sim_vf_debugfs_field(struct xemig_vf *vf, const char *file, const char *key,
			    char *val, size_t size)
{
	char dir[PATH_MAX], path[PATH_MAX + 64], text[4096];
	size_t klen = strlen(key);
	int err;

	pf_sim_vf_debugfs_dir(vf, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	err = sysfs_read_str(path, text, sizeof(text));
	if (err)
		return err;
	for (char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (strncmp(line, key, klen) || line[klen] != ':' || line[klen + 1] != ' ')
			continue;
		line += klen + 2;
		snprintf(val, size, "%.*s", (int)strcspn(line, "\n"), line);
		return 0;
	}
	return -ENOENT;
}

int pf_sim_vf_debugfs_u64(struct xemig_vf *vf, const char *file, const char *key,
			  uint64_t *val)
{
	char buf[128], *end;
	int err = pf_sim_vf_debugfs_field(vf, file, key, buf, sizeof(buf));

	if (err)
		return err;
	*val = strtoull(buf, &end, 0);
	return end == buf || *end ? -EINVAL : 0;
}

static const char *const sim_modules[] = { "xe_sriov_sim", NULL };

/*
 * The sim models nearly every capability: it is the device the suite tests
 * itself on. Not a stable GuC blob: like a GuC, it records the VF's state
 * before the pause (RUNNING on a source, the restored state on a
 * destination saved again before it runs), so two saves differ there.
 */
const struct pf_backend_ops pf_backend_sim = {
	.name = "sim",
	.caps = PF_CAP_FAULTS | PF_CAP_SIM_PARAMS | PF_CAP_SIM_ENGINE | PF_CAP_SIM_CCS |
		PF_CAP_SIM_DEBUGFS | PF_CAP_SIM_VF_REGS | PF_CAP_VFIO_BARS |
		PF_CAP_TWO_GTS | PF_CAP_FLAVOUR |
		PF_CAP_XE_ERRNOS | PF_CAP_REPROVISION | PF_CAP_EXACT_SIZE,
	.dri_driver = XE_SRIOV_SIM_DRI_DRIVER,
	.guc_state_query_size = XE_SRIOV_SIM_GUC_STATE_QUERY_SIZE,
	.modules = sim_modules,
	.list = sim_list,
	.enable_vfs = sim_enable_vfs,
	.get_vf = sim_get_vf,
	.disable_vfs = sim_disable_vfs,
	.bind_vfio = sim_bind_vfio,
	.vf_config = pf_vf_config_debugfs,
};
