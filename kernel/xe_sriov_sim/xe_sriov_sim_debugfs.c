// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * debugfs: /sys/kernel/debug/xe_sriov_sim/pf<N>/sriov/{vfs,vf<id>/}.
 * Every helper tolerates a missing or failed debugfs.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <uapi/xe_sriov_sim.h>

#include "xe_sriov_sim.h"

static struct dentry *xe_sriov_sim_debugfs_root;

/**
 * xe_sriov_sim_debugfs_init() - create the module's debugfs root
 */
void xe_sriov_sim_debugfs_init(void)
{
	xe_sriov_sim_debugfs_root =
		debugfs_create_dir(XE_SRIOV_SIM_DEBUGFS_ROOT, NULL);
}

/**
 * xe_sriov_sim_debugfs_fini() - remove the module's debugfs root
 */
void xe_sriov_sim_debugfs_fini(void)
{
	debugfs_remove_recursive(xe_sriov_sim_debugfs_root);
	xe_sriov_sim_debugfs_root = NULL;
}

/* One "<vf_id> <uuid>" line per VF, in creation order. */
static int vfs_show(struct seq_file *m, void *data)
{
	struct xe_sriov_sim_pf *pf = m->private;
	struct xe_sriov_sim_vf *vf;

	mutex_lock(&pf->lock);
	list_for_each_entry(vf, &pf->vfs, link)
		seq_printf(m, "%u %pUl\n", vf->id, &vf->mdev->uuid);
	mutex_unlock(&pf->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfs);

/**
 * xe_sriov_sim_debugfs_pf_add() - create pf<N>/sriov/ and its files
 * @pf: the PF
 */
void xe_sriov_sim_debugfs_pf_add(struct xe_sriov_sim_pf *pf)
{
	pf->debugfs = debugfs_create_dir(dev_name(&pf->dev),
					 xe_sriov_sim_debugfs_root);
	pf->debugfs_sriov = debugfs_create_dir("sriov", pf->debugfs);
	debugfs_create_file("vfs", 0400, pf->debugfs_sriov, pf, &vfs_fops);
}

/**
 * xe_sriov_sim_debugfs_pf_remove() - remove pf<N>/ recursively
 * @pf: the PF
 */
void xe_sriov_sim_debugfs_pf_remove(struct xe_sriov_sim_pf *pf)
{
	debugfs_remove_recursive(pf->debugfs);
	pf->debugfs = NULL;
	pf->debugfs_sriov = NULL;
}

/**
 * xe_sriov_sim_debugfs_vf_add() - create pf<N>/sriov/vf<id>/
 * @vf: the VF, with its id assigned
 */
void xe_sriov_sim_debugfs_vf_add(struct xe_sriov_sim_vf *vf)
{
	char name[16];

	snprintf(name, sizeof(name), "vf%u", vf->id);
	vf->debugfs = debugfs_create_dir(name, vf->pf->debugfs_sriov);
}

/**
 * xe_sriov_sim_debugfs_vf_remove() - remove pf<N>/sriov/vf<id>/
 * @vf: the VF
 */
void xe_sriov_sim_debugfs_vf_remove(struct xe_sriov_sim_vf *vf)
{
	debugfs_remove_recursive(vf->debugfs);
	vf->debugfs = NULL;
}
