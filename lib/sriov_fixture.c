// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Shared test set-up over a PF backend. What a killed run left is cleaned
 * up first, so every test starts clean: its QEMUs (orphaned, they hold VFs
 * and their VFIO groups) and their socket dirs, the sim's run-time knobs
 * it changed (a planted fault), and the sim's VFs (mdevs) it left on any
 * PF that no process holds. Enabling VFs on a PF removes its VFs first.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmod_util.h"
#include "qemu_vm.h"
#include "sim_pf.h"
#include "sriov_fixture.h"
#include "uapi/xe_sriov_sim_regs.h"

/* Whether a process has /dev/vfio/<the VF's IOMMU group> open. */
static bool vf_held(const struct xemig_vf *vf)
{
	char path[PATH_MAX + 16], link[PATH_MAX], group[PATH_MAX];
	struct dirent *p, *f;
	bool held = false;
	DIR *procs, *fds;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/iommu_group", vf->sysfs);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	snprintf(group, sizeof(group), "/dev/vfio/%s", strrchr(link, '/') ? strrchr(link, '/') + 1 : link);
	procs = opendir("/proc");
	while (procs && !held && (p = readdir(procs))) {
		if (p->d_name[0] < '0' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		fds = opendir(path);
		while (fds && !held && (f = readdir(fds))) {
			snprintf(path, sizeof(path), "/proc/%s/fd/%s", p->d_name, f->d_name);
			n = readlink(path, link, sizeof(link) - 1);
			if (n > 0) {
				link[n] = '\0';
				held = !strcmp(link, group);
			}
		}
		if (fds)
			closedir(fds);
	}
	if (procs)
		closedir(procs);
	return held;
}

/*
 * The sim's VFs on every PF that no process holds: left by a killed run
 * (removing a held one would wait for its holder). 1 if the PF had some.
 */
static int sweep_sim_vfs(struct xemig_pf *pf)
{
	struct xemig_vf vf;
	bool any = false;

	for (unsigned int id = 1; id <= SRIOV_FIXTURE_MAX_VFS; id++) {
		if (pf->ops->get_vf(pf, id, &vf))
			continue;
		if (vf_held(&vf))
			return 0;
		any = true;
	}
	return any && !pf->ops->disable_vfs(pf);
}

/* Leftovers of killed runs: QEMUs first, they hold VFs. */
static void sweep_killed_runs(struct sriov_fixture *fx)
{
	int qemus = qemu_vm_reap_stale();
	int dirs = qemu_vm_sweep_dead_dirs("/tmp");
	int knobs = 0, pfs = 0;

	if (pf_backend_has(fx->ops, PF_CAP_SIM_PARAMS)) {
		knobs = sim_param_restore_stale();
		for (int i = 0; i < fx->n_pfs; i++)
			pfs += sweep_sim_vfs(&fx->pfs[i]);
	}
	if (qemus || dirs || knobs || pfs) {
		printf("sriov_fixture: cleaned up after a killed run: %d QEMU, %d dirs, %d sim parameters, VFs of %d PFs\n",
			qemus, dirs, knobs, pfs);
		fflush(stdout);
	}
}

int sriov_fixture_init(struct sriov_fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->ops = pf_backend_default();
	if (!fx->ops)
		return -EINVAL;
	/* The backend's modules (xe + xe_vfio_pci, or xe_sriov_sim), loaded if not yet. */
	for (const char *const *m = fx->ops->modules; m && *m; m++) {
		char why[64];
		int err;

		snprintf(why, sizeof(why), "the %s PF backend", fx->ops->name);
		err = kmod_util_require(*m, why);
		if (err)
			return err;
	}
	fx->n_pfs = fx->ops->list("", fx->pfs, SRIOV_FIXTURE_MAX_PFS);
	if (fx->n_pfs < 0) {
		int err = fx->n_pfs;

		fx->n_pfs = 0;
		return err;
	}
	sweep_killed_runs(fx);
	return fx->n_pfs ? 0 : -ENOENT;
}

/* The VF's configuration from the PF's provisioning files. */
static int pf_fixture_config(struct sriov_vf *v)
{
	struct pf_vf_config pc;
	int err = v->vf.pf->ops->vf_config(&v->vf, &pc);

	if (err)
		return err;
	memset(&v->cfg, 0, sizeof(v->cfg));
	v->cfg.ggtt_start = pc.ggtt_start;
	v->cfg.ggtt_size = pc.ggtt_size;
	v->cfg.lmem_size = pc.lmem_size;
	v->cfg.num_ctxs = pc.num_ctxs;
	return 0;
}

static int open_vf(struct sriov_fixture *fx, struct sriov_vf *v)
{
	int err = fx->ops->bind_vfio(&v->vf);

	err = err ?: vfio_dev_open(&v->dev, v->vf.sysfs);
	if (err)
		return err;
	v->open = true;
	/*
	 * The sim's VF answers its GuC mailbox with no guest driver; on xe the
	 * PF's provisioning (debugfs) says the same, without the VF's GuC.
	 */
	if (pf_backend_has(fx->ops, PF_CAP_SIM_VF_REGS))
		return vf_guc_query_config(&v->dev, XE_SRIOV_SIM_GT_PRIMARY, &v->cfg);
	return pf_fixture_config(v);
}

int sriov_fixture_enable(struct sriov_fixture *fx, int pf, unsigned int n)
{
	struct xemig_vf vfs[SRIOV_FIXTURE_MAX_VFS];
	struct xemig_pf *p = &fx->pfs[pf];
	int err;

	if (pf < 0 || pf >= fx->n_pfs || !n || n > SRIOV_FIXTURE_MAX_VFS)
		return -EINVAL;
	sriov_fixture_disable(fx, pf);
	/* Leftovers of a crashed run: start from no VFs. */
	p->ops->disable_vfs(p);
	err = p->ops->enable_vfs(p, n, vfs);
	if (err)
		return err;
	fx->n_vfs[pf] = n;
	for (unsigned int i = 0; i < n; i++) {
		struct sriov_vf *v = &fx->vfs[pf][i];

		memset(v, 0, sizeof(*v));
		v->vf = vfs[i];
		v->vf.pf = p;
		err = err ?: open_vf(fx, v);
	}
	if (err)
		sriov_fixture_disable(fx, pf);
	return err;
}

void sriov_fixture_disable(struct sriov_fixture *fx, int pf)
{
	for (int p = pf < 0 ? 0 : pf; p < (pf < 0 ? fx->n_pfs : pf + 1); p++) {
		for (unsigned int i = 0; i < fx->n_vfs[p]; i++) {
			struct sriov_vf *v = &fx->vfs[p][i];

			if (v->open)
				vfio_dev_close(&v->dev);
			v->open = false;
		}
		if (fx->n_vfs[p])
			fx->pfs[p].ops->disable_vfs(&fx->pfs[p]);
		fx->n_vfs[p] = 0;
	}
}

struct sriov_vf *sriov_fixture_vf(struct sriov_fixture *fx, int pf,
				  unsigned int vf_id)
{
	if (pf < 0 || pf >= fx->n_pfs)
		return NULL;
	for (unsigned int i = 0; i < fx->n_vfs[pf]; i++)
		if (fx->vfs[pf][i].vf.vf_id == vf_id)
			return &fx->vfs[pf][i];
	return NULL;
}

int sriov_vf_fill(const struct sriov_fixture *fx, struct sriov_vf *v, uint64_t seed)
{
	if (sriov_has_cap(fx, PF_CAP_SIM_VF_REGS))
		return vf_state_fill(&v->dev, sriov_vf_n_ptes(v), seed);
	return vf_state_fill_lmem(&v->dev, seed);
}

int sriov_vf_capture(const struct sriov_fixture *fx, struct sriov_vf *v, struct vf_state *st)
{
	if (sriov_has_cap(fx, PF_CAP_SIM_VF_REGS))
		return vf_state_capture(&v->dev, sriov_vf_n_ptes(v), st);
	return vf_state_capture_lmem(&v->dev, st);
}
