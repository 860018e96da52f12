// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: debugfs
 *
 * What xe has is laid out as xe lays it out, under a DRM-style directory
 * of the PF, /sys/kernel/debug/dri/<N>/ (xe: the DRM minor's debugfs root,
 * xe_debugfs.c: xe_debugfs_register() -> xe_sriov_pf_debugfs_register()):
 *
 * - name: "xe_sriov_sim dev=pf<N> unique=pf<N>", as DRM's name file
 *   (drm_debugfs.c: drm_name_info()); user space finds the PF by it.
 * - sriov/pf/vfs: total, supported and enabled VFs (xe_sriov_pf.c:
 *   xe_sriov_pf_print_vfs_summary()).
 * - sriov/pf/tile0/{ggtt,vram}_provisioned and
 *   sriov/pf/tile0/gt0/{contexts,doorbells}_provisioned, one line per VF
 *   in xe's format; gt0/ also has xe's compat links ggtt_provisioned and
 *   lmem_provisioned (xe_tile_sriov_pf_debugfs.c,
 *   xe_gt_sriov_pf_debugfs.c: pf_add_compat_attrs()).
 * - sriov/vf<id>/{pause,resume,stop,reset} (0200), {save,restore} (0600),
 *   migration_data (0600), migration_size (0400), with xe's semantics
 *   (xe_sriov_pf_debugfs.c: pf_populate_vf()).
 * - sriov/vf<id>/tile0/{ggtt,vram}_quota, sriov/vf<id>/tile0/gt0/
 *   {contexts,doorbells}_quota and the compat links gt0/{ggtt,lmem}_quota.
 *   Only contexts_quota can be written; the sim's GGTT slices, LMEM and
 *   (absent) doorbells are fixed at load.
 *
 * N is a minor DRM never hands out (the old control-node range, see
 * XE_SRIOV_SIM_DRI_MINOR_FIRST), skipping any name already there. The
 * dri/ directory is DRM's when DRM is loaded (or loadable: the module asks
 * for it first, and holds it while its directories live there); only
 * without DRM does the sim create dri/ itself, and remove it on unload.
 *
 * What only the sim has is under /sys/kernel/debug/xe_sriov_sim/: fault
 * (xe_sriov_sim_fault.c), and pf<N>/vfs ("<vf_id> <uuid>" per VF), pf<N>/dri
 * (a link to the PF's dri/<N>) and pf<N>/vf<id>/{guc_state,engine,ccs}:
 * guc_state has the GuC state per GT, the control flags, the flavour and the
 * CCS contexts; engine the engine state, registers and last fault; ccs the
 * flat CCS (read/write).
 *
 * Every helper tolerates a missing or failed debugfs.
 */

#include <linux/debugfs.h>
#include <linux/kmod.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
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
#include "xe_sriov_sim_migration.h"
#include "xe_sriov_sim_stream.h"

/*
 * A GPL export of drm.ko: holding it (symbol_get only takes GPL ones)
 * keeps DRM, and so its dri/ directory, loaded while ours are inside.
 */
#define DRM_PIN_SYMBOL	"drm_class_device_register"

static struct dentry *xe_sriov_sim_debugfs_root;
static struct dentry *xe_sriov_sim_dri_root;
static bool xe_sriov_sim_dri_owned;
static void *xe_sriov_sim_drm_pin;

/*
 * dri/: DRM's if it is there, or once DRM is loaded; else ours. The
 * lookup's reference on DRM's directory is kept until module exit.
 */
static void dri_root_get(void)
{
	struct dentry *dri = debugfs_lookup("dri", NULL);

	if (!dri && IS_MODULE(CONFIG_DRM) && !request_module("drm"))
		dri = debugfs_lookup("dri", NULL);
	if (dri) {
		xe_sriov_sim_drm_pin = __symbol_get(DRM_PIN_SYMBOL);
		xe_sriov_sim_dri_root = dri;
		return;
	}
	xe_sriov_sim_dri_root = debugfs_create_dir("dri", NULL);
	xe_sriov_sim_dri_owned = !IS_ERR(xe_sriov_sim_dri_root);
	if (xe_sriov_sim_dri_owned)
		pr_info("no DRM: created debugfs dri/ for the PF directories\n");
}

static void dri_root_put(void)
{
	if (xe_sriov_sim_dri_owned)
		debugfs_remove(xe_sriov_sim_dri_root);
	else if (!IS_ERR_OR_NULL(xe_sriov_sim_dri_root))
		dput(xe_sriov_sim_dri_root);
	if (xe_sriov_sim_drm_pin)
		symbol_put_addr(xe_sriov_sim_drm_pin);
	xe_sriov_sim_dri_root = NULL;
	xe_sriov_sim_dri_owned = false;
	xe_sriov_sim_drm_pin = NULL;
}

/**
 * xe_sriov_sim_debugfs_init() - create the module's debugfs roots
 *
 * xe_sriov_sim/ with the fault knob, and a hold on (or, without DRM, the
 * creation of) dri/.
 */
void xe_sriov_sim_debugfs_init(void)
{
	xe_sriov_sim_debugfs_root =
		debugfs_create_dir(XE_SRIOV_SIM_DEBUGFS_ROOT, NULL);
	xe_sriov_sim_fault_debugfs(xe_sriov_sim_debugfs_root);
	dri_root_get();
}

/**
 * xe_sriov_sim_debugfs_fini() - remove the module's debugfs roots
 *
 * Called after every PF directory is gone.
 */
void xe_sriov_sim_debugfs_fini(void)
{
	debugfs_remove_recursive(xe_sriov_sim_debugfs_root);
	xe_sriov_sim_debugfs_root = NULL;
	dri_root_put();
}

/* sim only, pf<N>/vfs: one "<vf_id> <uuid>" line per VF, in creation order. */
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

/* dri/<N>/name: as DRM's drm_name_info(), driver, dev= and unique=. */
static int name_show(struct seq_file *m, void *data)
{
	struct xe_sriov_sim_pf *pf = m->private;

	seq_printf(m, "%s dev=%s unique=%s\n", XE_SRIOV_SIM_DRI_DRIVER,
		   dev_name(&pf->dev), dev_name(&pf->dev));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(name);

/* sriov/pf/vfs: xe_sriov_pf_print_vfs_summary(). */
static int vfs_summary_show(struct seq_file *m, void *data)
{
	struct xe_sriov_sim_pf *pf = m->private;

	mutex_lock(&pf->lock);
	seq_printf(m, "total: %u\n", pf->max_vfs);
	seq_printf(m, "supported: %u\n", pf->max_vfs);
	seq_printf(m, "enabled: %u\n", pf->num_vfs);
	mutex_unlock(&pf->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfs_summary);

/* The *_provisioned files: one xe-style line per VF, in VF id order. */
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

static int ggtt_provisioned_show(struct seq_file *m, void *data)
{
	pf_print_all(m->private, m, xe_sriov_sim_provision_print_ggtt);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ggtt_provisioned);

static int vram_provisioned_show(struct seq_file *m, void *data)
{
	pf_print_all(m->private, m, xe_sriov_sim_provision_print_vram);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vram_provisioned);

static int contexts_provisioned_show(struct seq_file *m, void *data)
{
	pf_print_all(m->private, m, xe_sriov_sim_provision_print_ctxs);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(contexts_provisioned);

/*
 * doorbells_provisioned: xe lists the VFs that have GuC doorbells; the
 * sim's VFs have none (their engine's doorbell is a register), so no line.
 */
static int doorbells_provisioned_show(struct seq_file *m, void *data)
{
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(doorbells_provisioned);

/*
 * pause, resume, stop, reset, and the write side of save and restore, as
 * xe's from_file_write_to_vf_call(): a write at a non-zero offset is
 * EINVAL, the input is a bool (kstrtobool: "1", "y", "on", "0", ...), a
 * false one does nothing, and the operation's error is the write's.
 */
static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos,
			     int (*op)(struct xe_sriov_sim_vf *vf))
{
	struct xe_sriov_sim_vf *vf =
		((struct seq_file *)file->private_data)->private;
	bool yes;
	int ret;

	if (*ppos)
		return -EINVAL;
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

/* Reading a control file gives nothing, as xe's empty show. */
static int control_show(struct seq_file *m, void *data)
{
	return 0;
}

/*
 * A seq_file with xe's DEFINE_SHOW_STORE_ATTRIBUTE() shape: reads run
 * @show once per open, writes go to name##_write.
 */
#define DEFINE_CONTROL_FOPS(name, show)					\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return single_open(file, show, inode->i_private);		\
}									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = name##_open,						\
	.read = seq_read,						\
	.write = name##_write,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

#define DEFINE_CONTROL_FILE(name, op)					\
static ssize_t name##_write(struct file *file, const char __user *ubuf,	\
			    size_t count, loff_t *ppos)			\
{									\
	return control_write(file, ubuf, count, ppos, op);		\
}									\
DEFINE_CONTROL_FOPS(name, control_show)

DEFINE_CONTROL_FILE(pause, xe_sriov_sim_control_pause);
DEFINE_CONTROL_FILE(resume, xe_sriov_sim_control_resume);
DEFINE_CONTROL_FILE(stop, xe_sriov_sim_control_stop);
DEFINE_CONTROL_FILE(reset, do_reset);

/*
 * save, restore: write a bool to trigger; read to finish, as xe's
 * from_file_read_to_vf_call(): the read fails with the error of
 * finishing, or returns no bytes.
 */
#define DEFINE_SAVE_RESTORE_FILE(name)					\
static int name##_show(struct seq_file *m, void *data)			\
{									\
	return xe_sriov_sim_control_finish_##name(m->private);		\
}									\
static ssize_t name##_write(struct file *file, const char __user *ubuf,	\
			    size_t count, loff_t *ppos)			\
{									\
	return control_write(file, ubuf, count, ppos,			\
			     xe_sriov_sim_control_trigger_##name);	\
}									\
DEFINE_CONTROL_FOPS(name, name##_show)

DEFINE_SAVE_RESTORE_FILE(save);
DEFINE_SAVE_RESTORE_FILE(restore);

/*
 * migration_data: read = the saved stream, write = a stream to restore.
 * As xe's data_read()/data_write(): the position is never advanced, and
 * an access at any other position (pread/pwrite, or after lseek) fails
 * with ESPIPE.
 */
/* One try of a migration_data read or write (see xe_sriov_sim_stream_io()). */
static ssize_t migration_data_once(void *vf, char __user *ubuf, size_t count,
				   bool saving)
{
	if (saving)
		return xe_sriov_sim_save_read(vf, ubuf, count);
	return xe_sriov_sim_restore_write(vf, ubuf, count);
}

static ssize_t migration_data_read(struct file *file, char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	if (*ppos)
		return -ESPIPE;
	/* Fault debugfs-no-mmio: this path's stream has no MMIO packet. */
	if (xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_DEBUGFS_NO_MMIO))
		xe_sriov_sim_save_drop(file->private_data,
				       XE_SRIOV_PACKET_TYPE_MMIO);
	return xe_sriov_sim_stream_io(migration_data_once, file->private_data,
				      ubuf, count, true);
}

static ssize_t migration_data_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	if (*ppos)
		return -ESPIPE;
	return xe_sriov_sim_stream_io(migration_data_once, file->private_data,
				      (char __user *)ubuf, count, false);
}

static const struct file_operations migration_data_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = migration_data_read,
	.write = migration_data_write,
	.llseek = default_llseek,
};

/* migration_size: xe's size_read(), the estimate as "%zd\n" per read. */
static ssize_t migration_size_read(struct file *file, char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct xe_sriov_sim_vf *vf = file->private_data;
	char buf[21];
	int len;

	len = scnprintf(buf, sizeof(buf), "%lld\n",
			(long long)xe_sriov_sim_migration_size(vf));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations migration_size_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = migration_size_read,
	.llseek = default_llseek,
};

/*
 * The quota files, DEFINE_DEBUGFS_ATTRIBUTE()s as xe's: "%llu\n", a write
 * is parsed by kstrtoull(base 0) at any offset, a value too wide for the
 * quota is EOVERFLOW. Only contexts_quota has a setter here.
 */
static int ggtt_quota_get(void *data, u64 *val)
{
	struct xe_sriov_sim_vf *vf = data;

	*val = vf->ggtt_size;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(ggtt_quota_fops, ggtt_quota_get, NULL, "%llu\n");

static int vram_quota_get(void *data, u64 *val)
{
	struct xe_sriov_sim_vf *vf = data;

	*val = vf->lmem_size;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vram_quota_fops, vram_quota_get, NULL, "%llu\n");

static int doorbells_quota_get(void *data, u64 *val)
{
	*val = 0;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(doorbells_quota_fops, doorbells_quota_get, NULL,
			 "%llu\n");

static int contexts_quota_get(void *data, u64 *val)
{
	struct xe_sriov_sim_vf *vf = data;

	*val = READ_ONCE(vf->num_ctxs);
	return 0;
}

static int contexts_quota_set(void *data, u64 val)
{
	struct xe_sriov_sim_vf *vf = data;
	int ret;

	if (val > U32_MAX)
		return -EOVERFLOW;
	mutex_lock(&vf->state_lock);
	ret = xe_sriov_sim_provision_set_ctxs(vf, val);
	mutex_unlock(&vf->state_lock);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(contexts_quota_fops, contexts_quota_get,
			 contexts_quota_set, "%llu\n");

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

/* sim only, guc_state: the GuC VF state and the PF control flags. */
static int guc_state_show(struct seq_file *m, void *data)
{
	struct xe_sriov_sim_vf *vf = m->private;
	const struct xe_sriov_sim_gt *gt = &vf->gt[XE_SRIOV_SIM_GT_PRIMARY];
	unsigned int bit;

	mutex_lock(&vf->state_lock);
	/* The primary GT unprefixed (as before), then each GT as "gt<N>.". */
	seq_printf(m, "state: %s\n", xe_sriov_sim_guc_state_name(gt->guc_state));
	seq_printf(m, "paused_from: %s\n",
		   xe_sriov_sim_guc_state_name(gt->paused_from));
	seq_printf(m, "resfix_marker: %#x\n", gt->resfix_marker);
	seq_printf(m, "mbx_pending: %u\n", gt->mbx_pending);
	for_each_sim_gt(gt, vf) {
		seq_printf(m, "gt%u.state: %s\n", gt->id,
			   xe_sriov_sim_guc_state_name(gt->guc_state));
		seq_printf(m, "gt%u.paused_from: %s\n", gt->id,
			   xe_sriov_sim_guc_state_name(gt->paused_from));
		seq_printf(m, "gt%u.resfix_marker: %#x\n", gt->id,
			   gt->resfix_marker);
		seq_printf(m, "gt%u.mbx_pending: %u\n", gt->id, gt->mbx_pending);
	}
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

/* sim only, engine: the engine's state, registers, batch levels, fault. */
static int engine_show(struct seq_file *m, void *data)
{
	struct xe_sriov_sim_vf *vf = m->private;

	mutex_lock(&vf->state_lock);
	xe_sriov_sim_engine_print(vf, m);
	mutex_unlock(&vf->state_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(engine);

/* sim only, migration: the VFIO state and the bytes of the data fd. */
static int migration_show(struct seq_file *m, void *data)
{
	xe_sriov_sim_migration_print(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(migration);

/* sim only, ccs: the flat CCS behind LMEM; no BAR and no stream has it. */
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

/*
 * The first minor from the PF's own (FIRST + index) on, wrapping inside
 * FIRST..LAST, that has no entry under dri/ yet; -ENOSPC if none.
 */
static int pick_minor(struct xe_sriov_sim_pf *pf)
{
	const unsigned int n = XE_SRIOV_SIM_DRI_MINOR_LAST -
			       XE_SRIOV_SIM_DRI_MINOR_FIRST + 1;
	struct dentry *d;
	unsigned int i, minor;
	char name[16];

	for (i = 0; i < n; i++) {
		minor = XE_SRIOV_SIM_DRI_MINOR_FIRST + (pf->index + i) % n;
		snprintf(name, sizeof(name), "%u", minor);
		d = debugfs_lookup(name, xe_sriov_sim_dri_root);
		if (!d)
			return minor;
		dput(d);
	}
	return -ENOSPC;
}

/* dri/<N>/sriov/pf/: the summary and the provisioning listings. */
static void pf_add_provisioning(struct xe_sriov_sim_pf *pf,
				struct dentry *pfdir)
{
	struct dentry *tile, *gt;

	debugfs_create_file("vfs", 0444, pfdir, pf, &vfs_summary_fops);
	tile = debugfs_create_dir("tile0", pfdir);
	debugfs_create_file("ggtt_provisioned", 0444, tile, pf,
			    &ggtt_provisioned_fops);
	debugfs_create_file("vram_provisioned", 0444, tile, pf,
			    &vram_provisioned_fops);
	gt = debugfs_create_dir("gt0", tile);
	debugfs_create_file("contexts_provisioned", 0444, gt, pf,
			    &contexts_provisioned_fops);
	debugfs_create_file("doorbells_provisioned", 0444, gt, pf,
			    &doorbells_provisioned_fops);
	debugfs_create_symlink("ggtt_provisioned", gt, "../ggtt_provisioned");
	debugfs_create_symlink("lmem_provisioned", gt, "../vram_provisioned");
}

/**
 * xe_sriov_sim_debugfs_pf_add() - create the PF's directories
 * @pf: the PF, registered (its name set)
 *
 * dri/<N>/ with name and xe's sriov/ tree, and xe_sriov_sim/pf<N>/ with
 * the sim-only files and a dri link to dri/<N>/.
 */
void xe_sriov_sim_debugfs_pf_add(struct xe_sriov_sim_pf *pf)
{
	char name[16], target[32];
	int minor;

	pf->debugfs_sim = debugfs_create_dir(dev_name(&pf->dev),
					     xe_sriov_sim_debugfs_root);
	debugfs_create_file("vfs", 0400, pf->debugfs_sim, pf, &vfs_fops);

	if (IS_ERR_OR_NULL(xe_sriov_sim_dri_root))
		return;
	minor = pick_minor(pf);
	if (minor < 0) {
		dev_warn(&pf->dev, "no free debugfs dri/<minor> for the PF\n");
		return;
	}
	snprintf(name, sizeof(name), "%d", minor);
	pf->debugfs_dri = debugfs_create_dir(name, xe_sriov_sim_dri_root);
	debugfs_create_file("name", 0444, pf->debugfs_dri, pf, &name_fops);
	pf->debugfs_sriov = debugfs_create_dir("sriov", pf->debugfs_dri);
	pf_add_provisioning(pf, debugfs_create_dir("pf", pf->debugfs_sriov));

	snprintf(target, sizeof(target), "../../dri/%d", minor);
	debugfs_create_symlink("dri", pf->debugfs_sim, target);
}

/**
 * xe_sriov_sim_debugfs_pf_remove() - remove the PF's directories
 * @pf: the PF
 */
void xe_sriov_sim_debugfs_pf_remove(struct xe_sriov_sim_pf *pf)
{
	debugfs_remove_recursive(pf->debugfs_dri);
	debugfs_remove_recursive(pf->debugfs_sim);
	pf->debugfs_dri = NULL;
	pf->debugfs_sriov = NULL;
	pf->debugfs_sim = NULL;
}

/* dri/<N>/sriov/vf<id>/tile0/ and its gt0/: the VF's quotas. */
static void vf_add_quotas(struct xe_sriov_sim_vf *vf)
{
	struct dentry *tile, *gt;

	tile = debugfs_create_dir("tile0", vf->debugfs);
	debugfs_create_file_unsafe("ggtt_quota", 0444, tile, vf,
				   &ggtt_quota_fops);
	debugfs_create_file_unsafe("vram_quota", 0444, tile, vf,
				   &vram_quota_fops);
	gt = debugfs_create_dir("gt0", tile);
	debugfs_create_file_unsafe("contexts_quota", 0644, gt, vf,
				   &contexts_quota_fops);
	debugfs_create_file_unsafe("doorbells_quota", 0444, gt, vf,
				   &doorbells_quota_fops);
	debugfs_create_symlink("ggtt_quota", gt, "../ggtt_quota");
	debugfs_create_symlink("lmem_quota", gt, "../vram_quota");
}

/**
 * xe_sriov_sim_debugfs_vf_add() - create the VF's directories
 * @vf: the VF, with its id assigned
 *
 * xe's dri/<N>/sriov/vf<id>/ and the sim's xe_sriov_sim/pf<N>/vf<id>/.
 */
void xe_sriov_sim_debugfs_vf_add(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_pf *pf = vf->pf;
	char name[16];

	snprintf(name, sizeof(name), "vf%u", vf->id);
	if (!IS_ERR_OR_NULL(pf->debugfs_sriov)) {
		struct dentry *d = debugfs_create_dir(name, pf->debugfs_sriov);

		vf->debugfs = d;
		debugfs_create_file("pause", 0200, d, vf, &pause_fops);
		debugfs_create_file("resume", 0200, d, vf, &resume_fops);
		debugfs_create_file("stop", 0200, d, vf, &stop_fops);
		debugfs_create_file("reset", 0200, d, vf, &reset_fops);
		debugfs_create_file("save", 0600, d, vf, &save_fops);
		debugfs_create_file("restore", 0600, d, vf, &restore_fops);
		debugfs_create_file("migration_data", 0600, d, vf,
				    &migration_data_fops);
		debugfs_create_file("migration_size", 0400, d, vf,
				    &migration_size_fops);
		vf_add_quotas(vf);
	}

	vf->debugfs_sim = debugfs_create_dir(name, pf->debugfs_sim);
	debugfs_create_file("guc_state", 0400, vf->debugfs_sim, vf,
			    &guc_state_fops);
	debugfs_create_file("engine", 0400, vf->debugfs_sim, vf, &engine_fops);
	debugfs_create_file("migration", 0400, vf->debugfs_sim, vf,
			    &migration_fops);
	debugfs_create_file_size("ccs", 0600, vf->debugfs_sim, vf, &ccs_fops,
				 vf->ccs_size);
}

/**
 * xe_sriov_sim_debugfs_vf_remove() - remove the VF's directories
 * @vf: the VF
 */
void xe_sriov_sim_debugfs_vf_remove(struct xe_sriov_sim_vf *vf)
{
	debugfs_remove_recursive(vf->debugfs);
	debugfs_remove_recursive(vf->debugfs_sim);
	vf->debugfs = NULL;
	vf->debugfs_sim = NULL;
}
