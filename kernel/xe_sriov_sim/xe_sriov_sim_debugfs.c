// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: debugfs
 *
 * /sys/kernel/debug/xe_sriov_sim/pf<N>/sriov/:
 *
 * - vfs: "<vf_id> <uuid>" per VF.
 * - ggtt_provisioned, vram_provisioned, contexts_provisioned: one line per
 *   VF in xe's format.
 * - vf<id>/: the same three files for the VF alone; contexts_quota (read
 *   or set the VF's context count, as xe's file); pause, resume, stop,
 *   reset (write a bool); save, restore (write a bool to trigger, read to
 *   finish: the read fails with the error of finishing); migration_data
 *   (read the saved stream, write a stream to restore; position 0 only);
 *   migration_size; and, sim only, guc_state (GuC state, control flags,
 *   flavour, the CCS contexts),
 *   engine (engine state, registers, last fault) and ccs (the flat CCS,
 *   read/write).
 *
 * Every helper tolerates a missing or failed debugfs.
 */

#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include <uapi/xe_sriov_packet.h>
#include <uapi/xe_sriov_sim.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_control.h"
#include "xe_sriov_sim_fault.h"
#include "xe_sriov_sim_engine.h"
#include "xe_sriov_sim_guc.h"
#include "xe_sriov_sim_guc_ccs.h"
#include "xe_sriov_sim_stream.h"

static struct dentry *xe_sriov_sim_debugfs_root;

/**
 * xe_sriov_sim_debugfs_init() - create the module's debugfs root
 */
void xe_sriov_sim_debugfs_init(void)
{
	xe_sriov_sim_debugfs_root =
		debugfs_create_dir(XE_SRIOV_SIM_DEBUGFS_ROOT, NULL);
	xe_sriov_sim_fault_debugfs(xe_sriov_sim_debugfs_root);
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

/*
 * pause, resume, stop, reset: write a bool ("1", "y") to trigger, as xe's
 * sriov/vfN/ files; a false value does nothing.
 */
static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t count, int (*op)(struct xe_sriov_sim_vf *vf))
{
	struct xe_sriov_sim_vf *vf = file->private_data;
	bool yes;
	int ret;

	ret = kstrtobool_from_user(ubuf, count, &yes);
	if (ret)
		return ret;
	if (!yes)
		return count;
	ret = op(vf);
	return ret ? ret : count;
}

static int do_reset(struct xe_sriov_sim_vf *vf)
{
	xe_sriov_sim_control_reset(vf);
	return 0;
}

#define DEFINE_CONTROL_FILE(name, op)					\
static ssize_t name##_write(struct file *file, const char __user *ubuf,	\
			    size_t count, loff_t *pos)			\
{									\
	return control_write(file, ubuf, count, op);			\
}									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = simple_open,						\
	.write = name##_write,						\
	.llseek = default_llseek,					\
}

DEFINE_CONTROL_FILE(pause, xe_sriov_sim_control_pause);
DEFINE_CONTROL_FILE(resume, xe_sriov_sim_control_resume);
DEFINE_CONTROL_FILE(stop, xe_sriov_sim_control_stop);
DEFINE_CONTROL_FILE(reset, do_reset);

/*
 * save, restore: write a bool to trigger, read to finish; the read returns
 * the error of finishing, or 0 bytes on success (xe's semantics).
 */
#define DEFINE_SAVE_RESTORE_FILE(name)					\
static ssize_t name##_write(struct file *file, const char __user *ubuf,	\
			    size_t count, loff_t *pos)			\
{									\
	return control_write(file, ubuf, count,				\
			     xe_sriov_sim_control_trigger_##name);	\
}									\
static ssize_t name##_read(struct file *file, char __user *ubuf,	\
			   size_t count, loff_t *pos)			\
{									\
	return xe_sriov_sim_control_finish_##name(file->private_data);	\
}									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = simple_open,						\
	.read = name##_read,						\
	.write = name##_write,						\
	.llseek = default_llseek,					\
}

DEFINE_SAVE_RESTORE_FILE(save);
DEFINE_SAVE_RESTORE_FILE(restore);

/*
 * migration_data: read = the saved stream, write = a stream to restore.
 * It is a stream: the file position stays 0, and an access at any other
 * position (pread/pwrite) fails with ESPIPE, as in xe.
 */
static ssize_t migration_data_read(struct file *file, char __user *ubuf,
				   size_t count, loff_t *pos)
{
	if (*pos)
		return -ESPIPE;
	/* Fault debugfs-no-mmio: this path's stream has no MMIO packet. */
	if (xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_DEBUGFS_NO_MMIO))
		xe_sriov_sim_save_drop(file->private_data,
				       XE_SRIOV_PACKET_TYPE_MMIO);
	return xe_sriov_sim_save_read(file->private_data, ubuf, count);
}

static ssize_t migration_data_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *pos)
{
	if (*pos)
		return -ESPIPE;
	return xe_sriov_sim_restore_write(file->private_data, ubuf, count);
}

static const struct file_operations migration_data_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = migration_data_read,
	.write = migration_data_write,
	.llseek = noop_llseek,
};

/* migration_size: xe's estimate of the stream size, "%zd\n". */
static int migration_size_show(struct seq_file *m, void *data)
{
	seq_printf(m, "%llu\n", xe_sriov_sim_migration_size(m->private));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(migration_size);

static const char * const ctl_bit_names[] = {
	[XE_SRIOV_SIM_SAVE_WIP] = "SAVE_WIP",
	[XE_SRIOV_SIM_SAVE_DATA_DONE] = "SAVE_DATA_DONE",
	[XE_SRIOV_SIM_SAVE_FAILED] = "SAVE_FAILED",
	[XE_SRIOV_SIM_SAVED] = "SAVED",
	[XE_SRIOV_SIM_RESTORE_WIP] = "RESTORE_WIP",
	[XE_SRIOV_SIM_RESTORE_DATA_DONE] = "RESTORE_DATA_DONE",
	[XE_SRIOV_SIM_RESTORE_FAILED] = "RESTORE_FAILED",
	[XE_SRIOV_SIM_RESTORED] = "RESTORED",
};

/* guc_state: the GuC VF state and the PF control flags, for tests. */
static int guc_state_show(struct seq_file *m, void *data)
{
	struct xe_sriov_sim_vf *vf = m->private;
	unsigned int bit;

	mutex_lock(&vf->state_lock);
	seq_printf(m, "state: %s\n", xe_sriov_sim_guc_state_name(vf->guc_state));
	seq_printf(m, "paused_from: %s\n",
		   xe_sriov_sim_guc_state_name(vf->paused_from));
	seq_printf(m, "resfix_marker: %#x\n", vf->resfix_marker);
	seq_printf(m, "mbx_pending: %u\n", vf->mbx_pending);
	seq_printf(m, "irq_status: %#x\n", vf->irq_status);
	seq_puts(m, "control:");
	for (bit = 0; bit < ARRAY_SIZE(ctl_bit_names); bit++)
		if (test_bit(bit, &vf->ctl))
			seq_printf(m, " %s", ctl_bit_names[bit]);
	seq_puts(m, "\n");
	seq_printf(m, "flavour: %s\n", xe_sriov_sim_flavour_name(vf->igfx));
	xe_sriov_sim_guc_ccs_print(vf, m);
	mutex_unlock(&vf->state_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(guc_state);

/* contexts_quota: the VF's context count, as xe's file of that name. */
static int contexts_quota_show(struct seq_file *m, void *data)
{
	struct xe_sriov_sim_vf *vf = m->private;

	seq_printf(m, "%u\n", READ_ONCE(vf->num_ctxs));
	return 0;
}

static int contexts_quota_open(struct inode *inode, struct file *file)
{
	return single_open(file, contexts_quota_show, inode->i_private);
}

static ssize_t contexts_quota_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *pos)
{
	struct xe_sriov_sim_vf *vf =
		((struct seq_file *)file->private_data)->private;
	u32 n;
	int ret = kstrtou32_from_user(ubuf, count, 0, &n);

	if (ret)
		return ret;
	mutex_lock(&vf->state_lock);
	ret = xe_sriov_sim_provision_set_ctxs(vf, n);
	mutex_unlock(&vf->state_lock);
	return ret ? ret : count;
}

static const struct file_operations contexts_quota_fops = {
	.owner = THIS_MODULE,
	.open = contexts_quota_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = contexts_quota_write,
};

/* engine: the engine's state, registers, batch levels, last fault. */
static int engine_show(struct seq_file *m, void *data)
{
	struct xe_sriov_sim_vf *vf = m->private;

	mutex_lock(&vf->state_lock);
	xe_sriov_sim_engine_print(vf, m);
	mutex_unlock(&vf->state_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(engine);

/* ccs: the flat CCS behind the LMEM, which no BAR and no stream exposes. */
static ssize_t ccs_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *pos)
{
	struct xe_sriov_sim_vf *vf = file->private_data;

	return simple_read_from_buffer(ubuf, count, pos,
				       vf->lmem + vf->lmem_size, vf->ccs_size);
}

static ssize_t ccs_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *pos)
{
	struct xe_sriov_sim_vf *vf = file->private_data;

	return simple_write_to_buffer(vf->lmem + vf->lmem_size, vf->ccs_size,
				      pos, ubuf, count);
}

static const struct file_operations ccs_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = ccs_read,
	.write = ccs_write,
	.llseek = default_llseek,
};

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
	debugfs_create_file("contexts_quota", 0600, vf->debugfs, vf,
			    &contexts_quota_fops);
	debugfs_create_file("pause", 0200, vf->debugfs, vf, &pause_fops);
	debugfs_create_file("resume", 0200, vf->debugfs, vf, &resume_fops);
	debugfs_create_file("stop", 0200, vf->debugfs, vf, &stop_fops);
	debugfs_create_file("reset", 0200, vf->debugfs, vf, &reset_fops);
	debugfs_create_file("save", 0600, vf->debugfs, vf, &save_fops);
	debugfs_create_file("restore", 0600, vf->debugfs, vf, &restore_fops);
	debugfs_create_file("migration_data", 0600, vf->debugfs, vf,
			    &migration_data_fops);
	debugfs_create_file("migration_size", 0400, vf->debugfs, vf,
			    &migration_size_fops);
	debugfs_create_file("guc_state", 0400, vf->debugfs, vf,
			    &guc_state_fops);
	debugfs_create_file("engine", 0400, vf->debugfs, vf, &engine_fops);
	debugfs_create_file_size("ccs", 0600, vf->debugfs, vf, &ccs_fops,
				 vf->ccs_size);
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
