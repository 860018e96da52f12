// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: VFIO migration
 *
 * A VF claims VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P, like
 * xe-vfio-pci, and implements its arcs with the PF control operations:
 *
 * ==========================  =====================================
 * RUNNING -> RUNNING_P2P      pause
 * RUNNING_P2P -> RUNNING      resume
 * RUNNING_P2P <-> STOP        nothing (STOP is the paused VF too)
 * STOP -> STOP_COPY           new saving fd, then trigger save
 * STOP_COPY -> STOP           disable the fd, then finish save
 * STOP -> RESUMING            new resuming fd, then trigger restore
 * RESUMING -> STOP            disable the fd, then finish restore
 * ==========================  =====================================
 *
 * Longer requests are walked with vfio_mig_get_next_state(). A failed arc
 * returns its errno and leaves the state at the last arc that succeeded
 * (no ERROR state). A request the FSM cannot reach (PRE_COPY, ERROR) fails
 * with its errno and, as in xe-vfio-pci, stops the VF (it then needs a
 * reset). VFIO_MIG_DATA_SIZE is xe's estimate (see the stream DOC).
 *
 * The data fds are streams (stream_open): read() returns 0 at the end of
 * the saved stream, writes may be segmented any way, pread()/pwrite() fail
 * with ESPIPE. A disabled fd (its state left, or the device reset or
 * closed) fails with ENODEV. VFIO_DEVICE_RESET, open and close are an FLR
 * and put the migration state back to RUNNING.
 *
 * Locking: &xe_sriov_sim_vf.mig_lock, then a data file's lock, then the
 * VF's state_lock. No user page is faulted in under any of them: reads and
 * writes go through xe_sriov_sim_stream_io(). A disabled file never touches its VF again, so it may
 * outlive the device. SET_STATE holds mig_lock across its arcs, also while
 * RESUMING -> STOP waits for the restore to end (up to
 * restore_timeout_ms), and GET_STATE waits for it, as xe-vfio-pci's
 * state_mutex does. An FLR (VFIO_DEVICE_RESET, open, close) never waits
 * for mig_lock: it resets the device first, which ends that wait, and if
 * mig_lock is held it leaves the migration side (files, state) to the
 * holder's unlock, as xe-vfio-pci's reset_done (deferred_reset) does.
 */

#include <linux/anon_inodes.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_control.h"
#include "xe_sriov_sim_fault.h"
#include "xe_sriov_sim_migration.h"
#include "xe_sriov_sim_stream.h"

/*
 * A slow copy engine: xe moves each VRAM chunk with the blitter and waits
 * up to 5 s for it (xe_migrate_vram_copy_chunk()). Tests that must act
 * while a stream is on its way (cancel in STOP_COPY, a destination that
 * dies while RESUMING) widen that window with this delay.
 */
static unsigned int mig_data_delay_ms;
module_param(mig_data_delay_ms, uint, 0644);
MODULE_PARM_DESC(mig_data_delay_ms,
		 "Sleep this long before each read or write of a migration data fd (default 0)");

/**
 * struct xe_sriov_sim_mig_file - a migration data fd
 * @filp: its file
 * @lock: serialises reads/writes against disabling
 * @vf: the VF; not touched once @disabled
 * @disabled: the fd's session is over
 */
struct xe_sriov_sim_mig_file {
	struct file *filp;
	struct mutex lock; /* protects disabled, serialises I/O */
	struct xe_sriov_sim_vf *vf;
	bool disabled;
};

/*
 * One try of a read or write of @migf: the stream functions never fault a
 * user page in, so no lock is held while one is (see the save DOC).
 */
static ssize_t mig_file_io_once(void *ctx, char __user *buf, size_t len,
				bool saving)
{
	struct xe_sriov_sim_mig_file *migf = ctx;
	ssize_t ret;

	mutex_lock(&migf->lock);
	if (migf->disabled)
		ret = -ENODEV;
	else if (saving)
		ret = xe_sriov_sim_save_read(migf->vf, buf, len);
	else
		ret = xe_sriov_sim_restore_write(migf->vf, buf, len);
	if (ret > 0)
		atomic64_add(ret, &migf->vf->mig_bytes);
	mutex_unlock(&migf->lock);
	return ret;
}

/* The delay of mig_data_delay_ms; a signal (QEMU killed) cuts it short. */
static void mig_file_delay(void)
{
	unsigned int ms = READ_ONCE(mig_data_delay_ms);

	if (ms)
		msleep_interruptible(ms);
}

static ssize_t mig_file_read(struct file *filp, char __user *buf, size_t len,
			     loff_t *pos)
{
	if (pos)
		return -ESPIPE;
	mig_file_delay();
	return xe_sriov_sim_stream_io(mig_file_io_once, filp->private_data, buf,
				     len, true);
}

static ssize_t mig_file_write(struct file *filp, const char __user *buf,
			      size_t len, loff_t *pos)
{
	if (pos)
		return -ESPIPE;
	mig_file_delay();
	return xe_sriov_sim_stream_io(mig_file_io_once, filp->private_data,
				     (char __user *)buf, len, false);
}

static int mig_file_release(struct inode *inode, struct file *filp)
{
	struct xe_sriov_sim_mig_file *migf = filp->private_data;

	mutex_destroy(&migf->lock);
	kfree(migf);
	return 0;
}

static const struct file_operations save_fops = {
	.owner = THIS_MODULE,
	.read = mig_file_read,
	.release = mig_file_release,
};

static const struct file_operations resume_fops = {
	.owner = THIS_MODULE,
	.write = mig_file_write,
	.release = mig_file_release,
};

static struct xe_sriov_sim_mig_file *mig_file_create(struct xe_sriov_sim_vf *vf,
						     bool saving)
{
	struct xe_sriov_sim_mig_file *migf;

	migf = kzalloc(sizeof(*migf), GFP_KERNEL);
	if (!migf)
		return ERR_PTR(-ENOMEM);

	migf->filp = anon_inode_getfile("xe_sriov_sim_mig",
					saving ? &save_fops : &resume_fops,
					migf, saving ? O_RDONLY : O_WRONLY);
	if (IS_ERR(migf->filp)) {
		struct file *err = migf->filp;

		kfree(migf);
		return ERR_CAST(err);
	}
	stream_open(migf->filp->f_inode, migf->filp);
	mutex_init(&migf->lock);
	migf->vf = vf;
	return migf;
}

static void mig_file_disable(struct xe_sriov_sim_mig_file *migf)
{
	mutex_lock(&migf->lock);
	migf->disabled = true;
	mutex_unlock(&migf->lock);
	fput(migf->filp);
}

/* Make every data fd of @vf reach its end; the caller holds mig_lock. */
static void disable_files(struct xe_sriov_sim_vf *vf)
{
	if (vf->saving) {
		mig_file_disable(vf->saving);
		vf->saving = NULL;
	}
	if (vf->resuming) {
		mig_file_disable(vf->resuming);
		vf->resuming = NULL;
	}
}

/* The migration side of an FLR; the caller holds mig_lock. */
static void reset_migration(struct xe_sriov_sim_vf *vf, bool ioctl)
{
	lockdep_assert_held(&vf->mig_lock);
	disable_files(vf);
	/* Fault reset-state: VFIO_DEVICE_RESET leaves RESUMING as it is. */
	if (!(ioctl && vf->mig_state == VFIO_DEVICE_STATE_RESUMING &&
	      xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_RESET_STATE)))
		WRITE_ONCE(vf->mig_state, VFIO_DEVICE_STATE_RUNNING);
}

/*
 * Release mig_lock, first doing the migration side of an FLR that came
 * meanwhile (xe-vfio-pci: xe_vfio_pci_state_mutex_unlock()).
 */
static void mig_unlock(struct xe_sriov_sim_vf *vf)
{
	bool ioctl;

again:
	spin_lock(&vf->reset_lock);
	if (vf->deferred_reset) {
		vf->deferred_reset = false;
		ioctl = vf->deferred_reset_ioctl;
		spin_unlock(&vf->reset_lock);
		reset_migration(vf, ioctl);
		goto again;
	}
	mutex_unlock(&vf->mig_lock);
	spin_unlock(&vf->reset_lock);
}

static struct file *start_session(struct xe_sriov_sim_vf *vf, bool saving)
{
	struct xe_sriov_sim_mig_file *migf;
	int ret;

	/* A saving fd fault fd-alive left live ends here. */
	disable_files(vf);
	migf = mig_file_create(vf, saving);
	if (IS_ERR(migf))
		return ERR_CAST(migf);

	ret = saving ? xe_sriov_sim_control_trigger_save(vf) :
		       xe_sriov_sim_control_trigger_restore(vf);
	if (ret) {
		migf->disabled = true;
		fput(migf->filp);
		return ERR_PTR(ret);
	}

	atomic64_set(&vf->mig_bytes, 0);
	get_file(migf->filp);
	if (saving)
		vf->saving = migf;
	else
		vf->resuming = migf;
	return migf->filp;
}

static struct file *step_state(struct xe_sriov_sim_vf *vf,
			       enum vfio_device_mig_state next)
{
	enum vfio_device_mig_state cur = vf->mig_state;
	int ret;

	if (cur == VFIO_DEVICE_STATE_RUNNING &&
	    next == VFIO_DEVICE_STATE_RUNNING_P2P) {
		ret = xe_sriov_sim_control_pause(vf);
		return ret ? ERR_PTR(ret) : NULL;
	}
	if (cur == VFIO_DEVICE_STATE_RUNNING_P2P &&
	    next == VFIO_DEVICE_STATE_RUNNING) {
		ret = xe_sriov_sim_control_resume(vf);
		return ret ? ERR_PTR(ret) : NULL;
	}
	if ((cur == VFIO_DEVICE_STATE_RUNNING_P2P &&
	     next == VFIO_DEVICE_STATE_STOP) ||
	    (cur == VFIO_DEVICE_STATE_STOP &&
	     next == VFIO_DEVICE_STATE_RUNNING_P2P))
		return NULL;
	if (cur == VFIO_DEVICE_STATE_STOP &&
	    next == VFIO_DEVICE_STATE_STOP_COPY)
		return start_session(vf, true);
	if (cur == VFIO_DEVICE_STATE_STOP_COPY &&
	    next == VFIO_DEVICE_STATE_STOP) {
		/* Fault fd-alive: the saving fd stays live. */
		if (!xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_FD_ALIVE))
			disable_files(vf);
		ret = xe_sriov_sim_control_finish_save(vf);
		return ret ? ERR_PTR(ret) : NULL;
	}
	if (cur == VFIO_DEVICE_STATE_STOP &&
	    next == VFIO_DEVICE_STATE_RESUMING)
		return start_session(vf, false);
	if (cur == VFIO_DEVICE_STATE_RESUMING &&
	    next == VFIO_DEVICE_STATE_STOP) {
		disable_files(vf);
		ret = xe_sriov_sim_control_finish_restore(vf);
		return ret ? ERR_PTR(ret) : NULL;
	}

	dev_err(&vf->mdev->dev, "VF%u: unsupported migration arc %u -> %u\n",
		vf->id, cur, next);
	return ERR_PTR(-EINVAL);
}

static struct file *
xe_sriov_sim_set_state(struct vfio_device *vdev,
		       enum vfio_device_mig_state new_state)
{
	struct xe_sriov_sim_vf *vf = vdev_to_vf(vdev);
	enum vfio_device_mig_state next;
	struct file *res = NULL;
	int ret;

	mutex_lock(&vf->mig_lock);
	while (new_state != vf->mig_state) {
		ret = vfio_mig_get_next_state(vdev, vf->mig_state, new_state,
					      &next);
		if (ret) {
			/* xe-vfio-pci: xe_sriov_vfio_error() stops the VF. */
			xe_sriov_sim_control_stop(vf);
			res = ERR_PTR(ret);
			break;
		}
		/* Fault p2p-arc: the arc fails on the way to another state. */
		if (vf->mig_state == VFIO_DEVICE_STATE_RUNNING &&
		    next == VFIO_DEVICE_STATE_RUNNING_P2P && next != new_state &&
		    xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_P2P_ARC))
			res = ERR_PTR(-EIO);
		else
			res = step_state(vf, next);
		if (IS_ERR(res))
			break;
		WRITE_ONCE(vf->mig_state, next);
		if (res && next != new_state) {
			/* A data fd in the middle of a path: cannot be. */
			fput(res);
			res = ERR_PTR(-EINVAL);
			break;
		}
	}
	mig_unlock(vf);
	return res;
}

static int xe_sriov_sim_get_state(struct vfio_device *vdev,
				  enum vfio_device_mig_state *state)
{
	struct xe_sriov_sim_vf *vf = vdev_to_vf(vdev);

	mutex_lock(&vf->mig_lock);
	*state = vf->mig_state;
	mig_unlock(vf);
	return 0;
}

static int xe_sriov_sim_get_data_size(struct vfio_device *vdev,
				      unsigned long *len)
{
	*len = xe_sriov_sim_migration_size(vdev_to_vf(vdev));
	return 0;
}

static const struct vfio_migration_ops xe_sriov_sim_mig_ops = {
	.migration_set_state = xe_sriov_sim_set_state,
	.migration_get_state = xe_sriov_sim_get_state,
	.migration_get_data_size = xe_sriov_sim_get_data_size,
};

static const char *const mig_state_names[] = {
	[VFIO_DEVICE_STATE_ERROR] = "ERROR",
	[VFIO_DEVICE_STATE_STOP] = "STOP",
	[VFIO_DEVICE_STATE_RUNNING] = "RUNNING",
	[VFIO_DEVICE_STATE_STOP_COPY] = "STOP_COPY",
	[VFIO_DEVICE_STATE_RESUMING] = "RESUMING",
	[VFIO_DEVICE_STATE_RUNNING_P2P] = "RUNNING_P2P",
	[VFIO_DEVICE_STATE_PRE_COPY] = "PRE_COPY",
	[VFIO_DEVICE_STATE_PRE_COPY_P2P] = "PRE_COPY_P2P",
};

/**
 * xe_sriov_sim_migration_print() - the VFIO migration side of a VF, for
 *	debugfs
 * @vf: the VF
 * @m: where to print
 *
 * Prints "state: <VFIO state>" and "bytes: <n>", the bytes moved through the
 * data fd of the current or last session. Takes no lock: a SET_STATE may
 * hold mig_lock for as long as a restore takes to end, and a test watches
 * the state change meanwhile.
 */
void xe_sriov_sim_migration_print(struct xe_sriov_sim_vf *vf,
				  struct seq_file *m)
{
	enum vfio_device_mig_state state = READ_ONCE(vf->mig_state);

	seq_printf(m, "state: %s\n",
		   (unsigned int)state < ARRAY_SIZE(mig_state_names) ?
		   mig_state_names[state] : "?");
	seq_printf(m, "bytes: %lld\n", (long long)atomic64_read(&vf->mig_bytes));
}

/**
 * xe_sriov_sim_migration_init() - make a new VF migratable
 * @vf: the VF, from the vfio_device init callback (before registration)
 */
void xe_sriov_sim_migration_init(struct xe_sriov_sim_vf *vf)
{
	mutex_init(&vf->mig_lock);
	spin_lock_init(&vf->reset_lock);
	vf->mig_state = VFIO_DEVICE_STATE_RUNNING;
	vf->vdev.migration_flags = VFIO_MIGRATION_STOP_COPY |
				   VFIO_MIGRATION_P2P;
	vf->vdev.mig_ops = &xe_sriov_sim_mig_ops;
}

/**
 * xe_sriov_sim_migration_fini() - counterpart of
 * xe_sriov_sim_migration_init()
 * @vf: the VF, being released
 */
void xe_sriov_sim_migration_fini(struct xe_sriov_sim_vf *vf)
{
	mutex_destroy(&vf->mig_lock);
}

/**
 * xe_sriov_sim_migration_reset() - FLR from VFIO: reset, open or close
 * @vf: the VF
 * @ioctl: it is VFIO_DEVICE_RESET (not open or close)
 *
 * Resets the device, which ends a restore or save in progress and so any
 * SET_STATE waiting for one; then ends the data fds and puts the migration
 * state back to RUNNING, at once, or when the SET_STATE in progress
 * releases mig_lock.
 */
void xe_sriov_sim_migration_reset(struct xe_sriov_sim_vf *vf, bool ioctl)
{
	xe_sriov_sim_control_reset(vf);

	spin_lock(&vf->reset_lock);
	vf->deferred_reset = true;
	vf->deferred_reset_ioctl = ioctl;
	if (!mutex_trylock(&vf->mig_lock)) {
		spin_unlock(&vf->reset_lock);
		return;
	}
	spin_unlock(&vf->reset_lock);
	mig_unlock(vf);
}
