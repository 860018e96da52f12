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

/* PF-level *_provisioned: one xe-style line per VF, in VF id order. */
static void pf_print_all(struct xe_sriov_sim_pf *pf, struct seq_file *m,
			 void (*print)(struct xe_sriov_sim_vf *vf,
				       struct seq_file *m))
{
	struct xe_sriov_sim_vf *vf;
	unsigned int id;

	mutex_lock(&pf->lock);
	for (id = 1; id <= pf->max_vfs; id++) {
		vf = xe_sriov_sim_pf_find_vf(pf, id);
		if (vf)
			print(vf, m);
	}
	mutex_unlock(&pf->lock);
}

static int pf_ggtt_provisioned_show(struct seq_file *m, void *data)
{
	pf_print_all(m->private, m, xe_sriov_sim_provision_print_ggtt);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pf_ggtt_provisioned);

static int pf_vram_provisioned_show(struct seq_file *m, void *data)
{
	pf_print_all(m->private, m, xe_sriov_sim_provision_print_vram);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pf_vram_provisioned);

static int pf_contexts_provisioned_show(struct seq_file *m, void *data)
{
	pf_print_all(m->private, m, xe_sriov_sim_provision_print_ctxs);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pf_contexts_provisioned);

static int vf_ggtt_provisioned_show(struct seq_file *m, void *data)
{
	xe_sriov_sim_provision_print_ggtt(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vf_ggtt_provisioned);

static int vf_vram_provisioned_show(struct seq_file *m, void *data)
{
	xe_sriov_sim_provision_print_vram(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vf_vram_provisioned);

static int vf_contexts_provisioned_show(struct seq_file *m, void *data)
{
	xe_sriov_sim_provision_print_ctxs(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vf_contexts_provisioned);

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
	debugfs_create_file("ggtt_provisioned", 0400, pf->debugfs_sriov, pf,
			    &pf_ggtt_provisioned_fops);
	debugfs_create_file("vram_provisioned", 0400, pf->debugfs_sriov, pf,
			    &pf_vram_provisioned_fops);
	debugfs_create_file("contexts_provisioned", 0400, pf->debugfs_sriov, pf,
			    &pf_contexts_provisioned_fops);
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
	debugfs_create_file("ggtt_provisioned", 0400, vf->debugfs, vf,
			    &vf_ggtt_provisioned_fops);
	debugfs_create_file("vram_provisioned", 0400, vf->debugfs, vf,
			    &vf_vram_provisioned_fops);
	debugfs_create_file("contexts_provisioned", 0400, vf->debugfs, vf,
			    &vf_contexts_provisioned_fops);
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
