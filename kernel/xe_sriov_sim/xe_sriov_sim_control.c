// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: PF control
 *
 * The operations of xe's PF control state machine (xe_gt_sriov_pf_control.c)
 * with its error codes; the sim carries each out synchronously and, as
 * xe's device-level controls (xe_sriov_pf_control.c), on both GTs:
 *
 * - pause: -EPERM if stopped, -ESTALE if already paused. Enters
 *   VF_READY_PAUSED and remembers the state it left; the engine stops
 *   between two commands (see the engine DOC); on an igfx VF the GuC then
 *   runs the VF's CCS save batch (xe_sriov_sim_guc_ccs.c).
 * - resume: -EPERM if stopped or not paused, -EBUSY while a save or restore
 *   is in progress. Each GT whose GUC packet was restored
 *   (VF_RESFIX_PAUSED) enters VF_RESFIX_BLOCKED and raises its MIGRATED
 *   interrupt; the others go back to the state the pause left. Mailbox
 *   requests left pending by the pause are answered.
 * - stop: -ESTALE if already stopped. Any save or restore in progress
 *   fails; the VF stays STOPPED until an FLR.
 * - reset (FLR): always works. Resets PCI config space. Ends any save or restore, writes the
 *   VF-id-only PTEs into the GGTT slice, zeroes LMEM, CCS, VF_SW_FLAG and
 *   the interrupt status, and puts the GuC state back to VF_READY, as xe's
 *   FLR (config sanitize, FLR_RESET_MMIO) does.
 * - trigger save: -EPERM if stopped or not paused, -EBUSY while restoring,
 *   -EALREADY while saving. Snapshots the VF (see the stream DOC); if that
 *   fails the save is failed (SAVE_FAILED): reads and finishing give -EIO.
 * - finish save: -EIO unless the save is done (SAVE_DATA_DONE); a save
 *   still in progress stays so (resume gives -EBUSY until it is finished
 *   or the VF is reset), a failed one ends. Unread data is dropped.
 * - trigger restore: -EPERM if stopped or not paused, -EBUSY while saving,
 *   -EALREADY while restoring. As in xe, it does not clear RESTORE_FAILED:
 *   after a failed restore the VF must be resumed, stopped or reset before
 *   another restore can succeed (until then its GT packets fail with -EIO
 *   and its trailer does not complete it).
 * - the restore ends when the stream's trailer is taken (RESTORED) or a GT
 *   packet fails (RESTORE_FAILED), as xe's control worker ends it
 *   (pf_enter_vf_restored(), pf_enter_vf_restore_failed()); either way the
 *   VF can be resumed again without finishing the restore first.
 * - finish restore: waits up to ``restore_timeout_ms`` (xe: 20 s) for the
 *   restore to end, without holding state_lock; -ETIMEDOUT leaves the
 *   restore in progress (the VF needs more data or an FLR, and an FLR
 *   ends the wait at once), -EIO if the restore failed, was cancelled or
 *   never started.
 * - pause, resume and stop clear the FAILED flags, as xe's
 *   pf_exit_vf_mismatch() does when it enters PAUSED, RESUMED or STOPPED.
 */

#include <linux/jiffies.h>
#include <linux/moduleparam.h>

#include <linux/errno.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_control.h"
#include "xe_sriov_sim_fault.h"
#include "xe_sriov_sim_engine.h"
#include "xe_sriov_sim_ggtt.h"
#include "xe_sriov_sim_guc.h"
#include "xe_sriov_sim_guc_ccs.h"
#include "xe_sriov_sim_irq.h"
#include "xe_sriov_sim_lmem.h"
#include "xe_sriov_sim_mmio.h"
#include "xe_sriov_sim_stream.h"

static unsigned int restore_timeout_ms = 20000;
module_param(restore_timeout_ms, uint, 0644);
MODULE_PARM_DESC(restore_timeout_ms,
		 "How long finishing a restore waits for the trailer (default 20000, as xe)");

/* End the save and restore sessions; the caller holds state_lock. */
static void end_sessions(struct xe_sriov_sim_vf *vf)
{
	xe_sriov_sim_save_end(vf);
	xe_sriov_sim_restore_end(vf);
}

/* xe's pf_exit_vf_mismatch(): a completed pause, resume or stop. */
static void clear_failed(struct xe_sriov_sim_vf *vf)
{
	lockdep_assert_held(&vf->state_lock);
	clear_bit(XE_SRIOV_SIM_SAVE_FAILED, &vf->ctl);
	clear_bit(XE_SRIOV_SIM_RESTORE_FAILED, &vf->ctl);
}

/**
 * xe_sriov_sim_control_init() - initial state of a new VF
 * @vf: the VF, not yet visible to anyone
 */
void xe_sriov_sim_control_init(struct xe_sriov_sim_vf *vf)
{
	mutex_init(&vf->state_lock);
	init_waitqueue_head(&vf->ctl_wq);
	spin_lock_init(&vf->irq_lock);
	xe_sriov_sim_guc_reset(vf);
	xe_sriov_sim_engine_init(vf);
}

/**
 * xe_sriov_sim_control_fini() - drop what is left of a VF's sessions
 * @vf: the VF, being released
 *
 * A save or restore started through debugfs, or a stream fault fd-alive
 * kept, has no FLR to end it if the VF goes away unopened.
 */
void xe_sriov_sim_control_fini(struct xe_sriov_sim_vf *vf)
{
	mutex_lock(&vf->state_lock);
	end_sessions(vf);
	mutex_unlock(&vf->state_lock);
}

/**
 * xe_sriov_sim_control_pause() - pause a VF
 * @vf: the VF
 *
 * Return: 0, -EPERM (stopped) or -ESTALE (already paused).
 */
int xe_sriov_sim_control_pause(struct xe_sriov_sim_vf *vf)
{
	int ret = 0;

	mutex_lock(&vf->state_lock);
	if (xe_sriov_sim_guc_is_stopped(vf)) {
		ret = -EPERM;
	} else if (xe_sriov_sim_guc_is_paused(vf)) {
		ret = -ESTALE;
	} else {
		xe_sriov_sim_engine_pause(vf);
		xe_sriov_sim_guc_ccs_pause(vf);
		xe_sriov_sim_guc_pause(vf);
		clear_bit(XE_SRIOV_SIM_SAVED, &vf->ctl);
		clear_bit(XE_SRIOV_SIM_RESTORED, &vf->ctl);
		clear_failed(vf);
	}
	mutex_unlock(&vf->state_lock);
	return ret;
}

/**
 * xe_sriov_sim_control_resume() - resume a paused VF
 * @vf: the VF
 *
 * Return: 0, -EPERM (stopped, not paused) or -EBUSY (save or restore in
 * progress).
 */
int xe_sriov_sim_control_resume(struct xe_sriov_sim_vf *vf)
{
	int ret = 0;

	mutex_lock(&vf->state_lock);
	if (!xe_sriov_sim_guc_is_paused(vf)) {
		ret = -EPERM;
	} else if (test_bit(XE_SRIOV_SIM_SAVE_WIP, &vf->ctl) ||
		   test_bit(XE_SRIOV_SIM_RESTORE_WIP, &vf->ctl)) {
		ret = -EBUSY;
	} else {
		xe_sriov_sim_guc_resume(vf);
		clear_bit(XE_SRIOV_SIM_SAVED, &vf->ctl);
		clear_bit(XE_SRIOV_SIM_RESTORED, &vf->ctl);
		clear_failed(vf);
		xe_sriov_sim_engine_update(vf);
	}
	mutex_unlock(&vf->state_lock);
	return ret;
}

/**
 * xe_sriov_sim_control_stop() - stop a VF
 * @vf: the VF
 *
 * Return: 0 or -ESTALE (already stopped).
 */
int xe_sriov_sim_control_stop(struct xe_sriov_sim_vf *vf)
{
	int ret = 0;

	mutex_lock(&vf->state_lock);
	if (xe_sriov_sim_guc_is_stopped(vf)) {
		ret = -ESTALE;
	} else {
		xe_sriov_sim_guc_stop(vf);
		clear_failed(vf);
		if (test_bit(XE_SRIOV_SIM_SAVE_WIP, &vf->ctl))
			set_bit(XE_SRIOV_SIM_SAVE_FAILED, &vf->ctl);
		clear_bit(XE_SRIOV_SIM_SAVE_WIP, &vf->ctl);
		clear_bit(XE_SRIOV_SIM_RESTORE_WIP, &vf->ctl);
		clear_bit(XE_SRIOV_SIM_RESTORED, &vf->ctl);
		end_sessions(vf);
	}
	mutex_unlock(&vf->state_lock);
	wake_up_all(&vf->ctl_wq);
	return ret;
}

/**
 * xe_sriov_sim_control_reset() - function level reset of a VF
 * @vf: the VF
 *
 * The device side only; the VFIO migration state is reset by the caller
 * (see xe_sriov_sim_migration_reset()).
 */
void xe_sriov_sim_control_reset(struct xe_sriov_sim_vf *vf)
{
	mutex_lock(&vf->lock);
	xe_sriov_sim_pci_config_reset(&vf->config);
	mutex_unlock(&vf->lock);

	mutex_lock(&vf->state_lock);
	end_sessions(vf);
	vf->ctl = 0;
	xe_sriov_sim_ggtt_clear(vf);
	/* Fault flr-keep-lmem: LMEM and CCS survive the FLR. */
	if (!xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_FLR_KEEP_LMEM))
		xe_sriov_sim_lmem_clear(vf);
	xe_sriov_sim_mmio_reset(vf);
	xe_sriov_sim_guc_reset(vf);
	xe_sriov_sim_engine_reset(vf);
	mutex_unlock(&vf->state_lock);
	wake_up_all(&vf->ctl_wq);
}

/* Save and restore need a paused VF that is not stopped. */
static int check_paused(struct xe_sriov_sim_vf *vf)
{
	if (xe_sriov_sim_guc_is_stopped(vf) ||
	    !xe_sriov_sim_guc_is_paused(vf))
		return -EPERM;
	return 0;
}

/**
 * xe_sriov_sim_control_trigger_save() - start saving a paused VF
 * @vf: the VF
 *
 * Return: 0, -EPERM, -EBUSY or -EALREADY.
 */
int xe_sriov_sim_control_trigger_save(struct xe_sriov_sim_vf *vf)
{
	int ret;

	mutex_lock(&vf->state_lock);
	ret = check_paused(vf);
	if (ret)
		goto out;
	if (test_bit(XE_SRIOV_SIM_RESTORE_WIP, &vf->ctl)) {
		ret = -EBUSY;
		goto out;
	}
	if (test_bit(XE_SRIOV_SIM_SAVE_WIP, &vf->ctl)) {
		ret = -EALREADY;
		goto out;
	}
	clear_bit(XE_SRIOV_SIM_SAVED, &vf->ctl);
	clear_bit(XE_SRIOV_SIM_SAVE_DATA_DONE, &vf->ctl);
	clear_bit(XE_SRIOV_SIM_SAVE_FAILED, &vf->ctl);
	set_bit(XE_SRIOV_SIM_SAVE_WIP, &vf->ctl);
	/* The stream of a finished save, if fault fd-alive kept it. */
	xe_sriov_sim_save_end(vf);
	if (xe_sriov_sim_save_start(vf))
		set_bit(XE_SRIOV_SIM_SAVE_FAILED, &vf->ctl);
out:
	mutex_unlock(&vf->state_lock);
	return ret;
}

/*
 * xe_gt_sriov_pf_control_finish_save_vf(): a save not at SAVE_DATA_DONE
 * (still running, failed, or none) is refused with an error xe logs; the
 * primary GT is the first xe asks.
 */
static int refuse_finish_save(struct xe_sriov_sim_vf *vf)
{
	dev_err(&vf->mdev->dev, "GT0: PF: VF%u save is still in progress!\n",
		vf->id);
	return -EIO;
}

/**
 * xe_sriov_sim_control_finish_save() - end a save
 * @vf: the VF
 *
 * Return: 0 once the save is done, else -EIO (logged as xe logs it).
 */
int xe_sriov_sim_control_finish_save(struct xe_sriov_sim_vf *vf)
{
	int ret = 0;

	mutex_lock(&vf->state_lock);
	if (!test_bit(XE_SRIOV_SIM_SAVE_WIP, &vf->ctl)) {
		ret = refuse_finish_save(vf);
	} else if (test_bit(XE_SRIOV_SIM_SAVE_FAILED, &vf->ctl)) {
		clear_bit(XE_SRIOV_SIM_SAVE_WIP, &vf->ctl);
		xe_sriov_sim_save_end(vf);
		ret = refuse_finish_save(vf);
	} else if (!test_bit(XE_SRIOV_SIM_SAVE_DATA_DONE, &vf->ctl)) {
		ret = refuse_finish_save(vf);
	} else {
		clear_bit(XE_SRIOV_SIM_SAVE_WIP, &vf->ctl);
		clear_bit(XE_SRIOV_SIM_SAVE_DATA_DONE, &vf->ctl);
		set_bit(XE_SRIOV_SIM_SAVED, &vf->ctl);
		/* Fault fd-alive: the stream is rewound, not dropped. */
		if (xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_FD_ALIVE))
			xe_sriov_sim_save_rewind(vf);
		else
			xe_sriov_sim_save_end(vf);
	}
	mutex_unlock(&vf->state_lock);
	return ret;
}

/**
 * xe_sriov_sim_control_trigger_restore() - start restoring into a paused VF
 * @vf: the VF
 *
 * Return: 0, -EPERM, -EBUSY, -EALREADY or -ENOMEM.
 */
int xe_sriov_sim_control_trigger_restore(struct xe_sriov_sim_vf *vf)
{
	int ret;

	mutex_lock(&vf->state_lock);
	ret = check_paused(vf);
	if (ret)
		goto out;
	if (test_bit(XE_SRIOV_SIM_SAVE_WIP, &vf->ctl)) {
		ret = -EBUSY;
		goto out;
	}
	if (test_bit(XE_SRIOV_SIM_RESTORE_WIP, &vf->ctl)) {
		ret = -EALREADY;
		goto out;
	}
	ret = xe_sriov_sim_restore_start(vf);
	if (ret)
		goto out;
	clear_bit(XE_SRIOV_SIM_RESTORED, &vf->ctl);
	clear_bit(XE_SRIOV_SIM_RESTORE_DATA_DONE, &vf->ctl);
	set_bit(XE_SRIOV_SIM_RESTORE_WIP, &vf->ctl);
out:
	mutex_unlock(&vf->state_lock);
	return ret;
}

/**
 * xe_sriov_sim_control_restore_data_done() - the stream's trailer was taken
 * @vf: the VF; the caller holds its state_lock
 *
 * Ends the restore as RESTORED (xe: RESTORE_DATA_DONE, then the worker's
 * pf_enter_vf_restored()), unless it already ended or has failed.
 */
void xe_sriov_sim_control_restore_data_done(struct xe_sriov_sim_vf *vf)
{
	lockdep_assert_held(&vf->state_lock);
	if (!test_bit(XE_SRIOV_SIM_RESTORE_WIP, &vf->ctl) ||
	    test_bit(XE_SRIOV_SIM_RESTORE_FAILED, &vf->ctl))
		return;
	clear_bit(XE_SRIOV_SIM_RESTORE_WIP, &vf->ctl);
	set_bit(XE_SRIOV_SIM_RESTORED, &vf->ctl);
	wake_up_all(&vf->ctl_wq);
}

/**
 * xe_sriov_sim_control_restore_failed() - a GT packet could not be restored
 * @vf: the VF; the caller holds its state_lock
 *
 * Ends the restore as RESTORE_FAILED (xe: pf_enter_vf_restore_failed()).
 */
void xe_sriov_sim_control_restore_failed(struct xe_sriov_sim_vf *vf)
{
	lockdep_assert_held(&vf->state_lock);
	set_bit(XE_SRIOV_SIM_RESTORE_FAILED, &vf->ctl);
	clear_bit(XE_SRIOV_SIM_RESTORE_WIP, &vf->ctl);
	wake_up_all(&vf->ctl_wq);
}

/**
 * xe_sriov_sim_control_finish_restore() - wait for a restore to complete
 * @vf: the VF
 *
 * Waits without holding state_lock, so reads of the VF's state and an FLR
 * (which ends the restore, and the wait) go on meanwhile.
 *
 * Return: 0, -ETIMEDOUT, -EIO, or -ERESTARTSYS if interrupted.
 */
int xe_sriov_sim_control_finish_restore(struct xe_sriov_sim_vf *vf)
{
	long left;
	int ret = 0;

	left = wait_event_interruptible_timeout(vf->ctl_wq,
						!test_bit(XE_SRIOV_SIM_RESTORE_WIP,
							  &vf->ctl),
						msecs_to_jiffies(restore_timeout_ms));
	if (left < 0)
		return left;

	mutex_lock(&vf->state_lock);
	if (test_bit(XE_SRIOV_SIM_RESTORE_WIP, &vf->ctl))
		ret = -ETIMEDOUT;
	else if (test_bit(XE_SRIOV_SIM_RESTORE_FAILED, &vf->ctl) ||
		 !test_bit(XE_SRIOV_SIM_RESTORED, &vf->ctl))
		ret = -EIO;
	if (ret != -ETIMEDOUT)
		xe_sriov_sim_restore_end(vf);
	mutex_unlock(&vf->state_lock);
	return ret;
}
