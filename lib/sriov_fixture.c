// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Shared test set-up over a PF backend. What a killed run left is cleaned
 * up first, so every test starts clean: its QEMUs (orphaned, they hold VFs
 * and their VFIO groups) and their socket dirs, the sim's run-time knobs
 * it changed (a planted fault), and, when VFs are enabled on a PF, the
 * VFs (mdevs) it left there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qemu_vm.h"
#include "sim_pf.h"
#include "sriov_fixture.h"
#include "uapi/xe_sriov_sim_regs.h"

/* Leftovers of killed runs that are not tied to one PF. */
static void sweep_killed_runs(const struct sriov_fixture *fx)
{
	int qemus = qemu_vm_reap_stale();
	int dirs = qemu_vm_sweep_dead_dirs("/tmp");
	int knobs = fx->ops == &pf_backend_sim ? sim_param_restore_stale() : 0;

	if (qemus || dirs || knobs)
		fprintf(stderr, "sriov_fixture: cleaned up after a killed run: %d QEMU, %d dirs, %d sim parameters\n",
			qemus, dirs, knobs);
}

int sriov_fixture_init(struct sriov_fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->ops = pf_backend_default();
	if (!fx->ops)
		return -EINVAL;
	sweep_killed_runs(fx);
	fx->n_pfs = fx->ops->list("", fx->pfs, SRIOV_FIXTURE_MAX_PFS);
	if (fx->n_pfs < 0) {
		int err = fx->n_pfs;

		fx->n_pfs = 0;
		return err;
	}
	return fx->n_pfs ? 0 : -ENOENT;
}

static int open_vf(struct sriov_fixture *fx, struct sriov_vf *v)
{
	int err = fx->ops->bind_vfio(&v->vf);

	err = err ?: vfio_dev_open(&v->dev, v->vf.sysfs);
	if (err)
		return err;
	v->open = true;
	return vf_guc_query_config(&v->dev, XE_SRIOV_SIM_GT_PRIMARY, &v->cfg);
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
