// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: GuC model
 *
 * A VF has two GTs, as BMG-class parts: the primary GT (gt_id 0, which has
 * the engine) and the media GT (gt_id 1). Each GT has its own GuC, so its
 * own VF state (enum xe_sriov_sim_guc_vf_state), as in the VF restore DOC
 * of xe_sriov_vf.c:
 *
 * - VF_READY: provisioned, after creation or an FLR. The first mailbox
 *   request of the VF driver makes it VF_RUNNING.
 * - VF_READY_PAUSED: paused by the PF (the state left is remembered and
 *   comes back on resume).
 * - VF_RESFIX_PAUSED: paused, and the GT's GUC packet was restored.
 * - VF_RESFIX_BLOCKED: resumed after a restore; the GT's GuC raised its
 *   MIGRATED interrupt (GUC_INTR_SW_INT_0) and waits for
 *   RESFIX_START(marker), then RESFIX_DONE(marker).
 * - VF_RUNNING: normal operation.
 * - STOPPED: stopped by the PF; only an FLR gets it out.
 *
 * The PF controls act on both GTs, as xe's device-level controls
 * (xe_sriov_pf_control.c) loop over the GTs. The engine runs only while
 * the primary GT is VF_READY or VF_RUNNING.
 *
 * The MMIO mailbox of a GT is its VF_SW_FLAG(0..3) (MED_VF_SW_FLAG(0..3) on
 * the media GT), as in xe_guc_mmio_send_recv(): the VF writes an HXG
 * request there and notifies the GuC by writing GUC_HOST_INTERRUPT
 * (MED_GUC_HOST_INTERRUPT); the GuC replies in the same four registers.
 * Actions:
 *
 * - MATCH_VERSION(branch, major, minor): the VF ABI the GuC speaks, 1.27.0,
 *   for "any" or major 1; another branch or major fails with
 *   INVALID_PARAMS.
 * - QUERY_SINGLE_KLV(key): GGTT start/size, LMEM size (0 on the media GT:
 *   xe provisions LMEM through the primary GT), number of contexts and of
 *   doorbells; any other key fails with INVALID_KLV_KEY.
 * - RESFIX_START(marker): only in VF_RESFIX_BLOCKED (else INVALID_STATE),
 *   marker nonzero (else INVALID_PARAMS); remembers the marker.
 * - RESFIX_DONE(marker): only in VF_RESFIX_BLOCKED (else INVALID_STATE);
 *   the marker of the last RESFIX_START makes the GT VF_RUNNING, any other
 *   marker fails with VF_MIGRATED: the VF was migrated again after its
 *   RESFIX_START (the double migration case) and must start over.
 *
 * - REGISTER_CONTEXT(flags, ctx, batch): an igfx VF's CCS save/restore
 *   context (xe_sriov_sim_guc_ccs.c).
 *
 * Anything else fails with UNKNOWN_ACTION, a malformed dword 0 with
 * ERROR_PROTOCOL. The reply fills all four registers (unused dwords 0).
 * While the VF is paused or stopped a request stays pending (VF_SW_FLAG(0)
 * keeps ORIGIN=HOST) and is answered on resume.
 *
 * Each GT's GUC packet carries its &struct xe_sriov_sim_guc_state; the
 * primary GT's is followed by the engine section (&struct
 * xe_sriov_sim_engine_state). Restoring it puts that GT in
 * VF_RESFIX_PAUSED with no marker and, on the primary GT, loads the engine;
 * the engine runs again only after the primary GT's RESFIX_DONE.
 *
 * All functions run under &xe_sriov_sim_vf.state_lock.
 */

#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/string.h>

#include <uapi/xe_sriov_sim_ccs.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_fault.h"
#include "xe_sriov_sim_engine.h"
#include "xe_sriov_sim_guc.h"
#include "xe_sriov_sim_guc_ccs.h"
#include "xe_sriov_sim_irq.h"

static const char * const guc_state_names[] = {
	[XE_SRIOV_SIM_VF_READY] = "VF_READY",
	[XE_SRIOV_SIM_VF_READY_PAUSED] = "VF_READY_PAUSED",
	[XE_SRIOV_SIM_VF_RESFIX_PAUSED] = "VF_RESFIX_PAUSED",
	[XE_SRIOV_SIM_VF_RESFIX_BLOCKED] = "VF_RESFIX_BLOCKED",
	[XE_SRIOV_SIM_VF_RUNNING] = "VF_RUNNING",
	[XE_SRIOV_SIM_VF_STOPPED] = "STOPPED",
};

/**
 * xe_sriov_sim_guc_state_name() - name of a GuC VF state
 * @state: enum xe_sriov_sim_guc_vf_state
 *
 * Return: "VF_READY" ... "STOPPED", or "?" for a value out of range.
 */
const char *xe_sriov_sim_guc_state_name(unsigned int state)
{
	if (state >= ARRAY_SIZE(guc_state_names) || !guc_state_names[state])
		return "?";
	return guc_state_names[state];
}

/**
 * xe_sriov_sim_guc_is_paused() - is the VF paused by the PF
 * @vf: the VF
 *
 * The GTs are paused and resumed together; the primary GT answers.
 *
 * Return: true in VF_READY_PAUSED and VF_RESFIX_PAUSED.
 */
bool xe_sriov_sim_guc_is_paused(struct xe_sriov_sim_vf *vf)
{
	enum xe_sriov_sim_guc_vf_state st =
		vf->gt[XE_SRIOV_SIM_GT_PRIMARY].guc_state;

	lockdep_assert_held(&vf->state_lock);
	return st == XE_SRIOV_SIM_VF_READY_PAUSED ||
	       st == XE_SRIOV_SIM_VF_RESFIX_PAUSED;
}

/**
 * xe_sriov_sim_guc_is_stopped() - is the VF stopped by the PF
 * @vf: the VF
 *
 * Return: true if the GTs are STOPPED.
 */
bool xe_sriov_sim_guc_is_stopped(struct xe_sriov_sim_vf *vf)
{
	lockdep_assert_held(&vf->state_lock);
	return vf->gt[XE_SRIOV_SIM_GT_PRIMARY].guc_state ==
	       XE_SRIOV_SIM_VF_STOPPED;
}

/**
 * xe_sriov_sim_guc_engine_may_run() - does the GuC let the engine run
 * @vf: the VF
 *
 * Return: true while the primary GT (the engine's) is VF_READY or
 * VF_RUNNING.
 */
bool xe_sriov_sim_guc_engine_may_run(struct xe_sriov_sim_vf *vf)
{
	enum xe_sriov_sim_guc_vf_state st =
		vf->gt[XE_SRIOV_SIM_GT_PRIMARY].guc_state;

	return st == XE_SRIOV_SIM_VF_READY || st == XE_SRIOV_SIM_VF_RUNNING;
}

static void gt_set_state(struct xe_sriov_sim_gt *gt,
			 enum xe_sriov_sim_guc_vf_state state)
{
	gt->guc_state = state;
}

/**
 * xe_sriov_sim_guc_reset() - the GuC side of an FLR
 * @vf: the VF
 *
 * Every GT back to VF_READY, no marker, no pending mailbox request. The
 * mailbox registers themselves are cleared with the other registers
 * (xe_sriov_sim_mmio_reset()).
 */
void xe_sriov_sim_guc_reset(struct xe_sriov_sim_vf *vf)
{
	unsigned int i;

	for (i = 0; i < XE_SRIOV_SIM_NUM_GTS; i++) {
		struct xe_sriov_sim_gt *gt = &vf->gt[i];

		gt->id = i;
		gt_set_state(gt, XE_SRIOV_SIM_VF_READY);
		gt->paused_from = XE_SRIOV_SIM_VF_READY;
		gt->resfix_marker = 0;
		gt->mbx_pending = false;
	}
	xe_sriov_sim_guc_ccs_reset(vf);
}

/**
 * xe_sriov_sim_guc_pause() - PF2GUC_VF_CONTROL(PAUSE) on every GT
 * @vf: the VF, not paused or stopped
 */
void xe_sriov_sim_guc_pause(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_gt *gt;

	lockdep_assert_held(&vf->state_lock);
	for_each_sim_gt(gt, vf) {
		gt->paused_from = gt->guc_state;
		gt_set_state(gt, XE_SRIOV_SIM_VF_READY_PAUSED);
	}
}

static void mbx_process(struct xe_sriov_sim_vf *vf, struct xe_sriov_sim_gt *gt);

static bool gt_is_active(struct xe_sriov_sim_gt *gt)
{
	return gt->guc_state == XE_SRIOV_SIM_VF_READY ||
	       gt->guc_state == XE_SRIOV_SIM_VF_RUNNING ||
	       gt->guc_state == XE_SRIOV_SIM_VF_RESFIX_BLOCKED;
}

/**
 * xe_sriov_sim_guc_resume() - PF2GUC_VF_CONTROL(RESUME) on every GT
 * @vf: the VF, paused
 *
 * A GT whose GUC packet was restored enters VF_RESFIX_BLOCKED and its GuC
 * raises MIGRATED (GUC_INTR_SW_INT_0); the others go back to the state the
 * pause left. Mailbox requests left pending by the pause are answered.
 */
void xe_sriov_sim_guc_resume(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_gt *gt;

	lockdep_assert_held(&vf->state_lock);
	for_each_sim_gt(gt, vf) {
		if (gt->guc_state != XE_SRIOV_SIM_VF_RESFIX_PAUSED) {
			gt_set_state(gt, gt->paused_from);
			continue;
		}
		gt_set_state(gt, XE_SRIOV_SIM_VF_RESFIX_BLOCKED);
		/* Fault no-irq: the VF is not told it was migrated. */
		if (!xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_NO_IRQ))
			xe_sriov_sim_irq_raise(vf,
					       XE_SRIOV_SIM_VF_IRQ_MIGRATED_GT(gt->id));
	}
	for_each_sim_gt(gt, vf)
		if (gt->mbx_pending && gt_is_active(gt))
			mbx_process(vf, gt);
}

/**
 * xe_sriov_sim_guc_stop() - PF2GUC_VF_CONTROL(STOP) on every GT
 * @vf: the VF
 */
void xe_sriov_sim_guc_stop(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_gt *gt;

	lockdep_assert_held(&vf->state_lock);
	for_each_sim_gt(gt, vf)
		gt_set_state(gt, XE_SRIOV_SIM_VF_STOPPED);
}

static u32 hxg_success(u32 data0)
{
	return (XE_SRIOV_SIM_HXG_ORIGIN_GUC << XE_SRIOV_SIM_HXG_ORIGIN_SHIFT) |
	       (XE_SRIOV_SIM_HXG_TYPE_RESPONSE_SUCCESS <<
		XE_SRIOV_SIM_HXG_TYPE_SHIFT) |
	       (data0 & XE_SRIOV_SIM_HXG_RESP_DATA0_MASK);
}

static u32 hxg_failure(u32 error)
{
	return (XE_SRIOV_SIM_HXG_ORIGIN_GUC << XE_SRIOV_SIM_HXG_ORIGIN_SHIFT) |
	       (XE_SRIOV_SIM_HXG_TYPE_RESPONSE_FAILURE <<
		XE_SRIOV_SIM_HXG_TYPE_SHIFT) |
	       (error & XE_SRIOV_SIM_HXG_FAIL_ERROR_MASK);
}

static u32 match_version(struct xe_sriov_sim_gt *gt, u32 *reply)
{
	u32 want = gt->sw_flag[1];

	if (XE_SRIOV_SIM_VERSION_PATCH(want) ||
	    XE_SRIOV_SIM_VERSION_BRANCH(want) ||
	    (XE_SRIOV_SIM_VERSION_MAJOR(want) &&
	     XE_SRIOV_SIM_VERSION_MAJOR(want) != XE_SRIOV_SIM_VF_ABI_MAJOR))
		return hxg_failure(XE_SRIOV_SIM_GUC_ERR_INVALID_PARAMS);
	reply[1] = XE_SRIOV_SIM_VERSION(0, XE_SRIOV_SIM_VF_ABI_MAJOR,
					XE_SRIOV_SIM_VF_ABI_MINOR,
					XE_SRIOV_SIM_VF_ABI_PATCH);
	return hxg_success(0);
}

static u32 query_single_klv(struct xe_sriov_sim_vf *vf,
			    struct xe_sriov_sim_gt *gt, u32 *reply)
{
	u32 key = gt->sw_flag[1] & XE_SRIOV_SIM_KLV_QUERY_KEY_MASK;
	u64 value;
	u32 len;

	switch (key) {
	case XE_SRIOV_SIM_KLV_VF_CFG_GGTT_START:
		value = vf->ggtt_start;
		len = 2;
		break;
	case XE_SRIOV_SIM_KLV_VF_CFG_GGTT_SIZE:
		value = vf->ggtt_size;
		len = 2;
		break;
	case XE_SRIOV_SIM_KLV_VF_CFG_LMEM_SIZE:
		value = gt->id == XE_SRIOV_SIM_GT_PRIMARY ? vf->lmem_size : 0;
		len = 2;
		break;
	case XE_SRIOV_SIM_KLV_VF_CFG_NUM_CONTEXTS:
		value = vf->num_ctxs;
		len = 1;
		break;
	case XE_SRIOV_SIM_KLV_VF_CFG_NUM_DOORBELLS:
		value = XE_SRIOV_SIM_VF_NUM_DBS;
		len = 1;
		break;
	default:
		return hxg_failure(XE_SRIOV_SIM_GUC_ERR_INVALID_KLV_KEY);
	}
	reply[1] = lower_32_bits(value);
	reply[2] = len > 1 ? upper_32_bits(value) : 0;
	return hxg_success(len);
}

static u32 resfix_start(struct xe_sriov_sim_gt *gt, u32 marker)
{
	if (!marker)
		return hxg_failure(XE_SRIOV_SIM_GUC_ERR_INVALID_PARAMS);
	if (gt->guc_state != XE_SRIOV_SIM_VF_RESFIX_BLOCKED)
		return hxg_failure(XE_SRIOV_SIM_GUC_ERR_INVALID_STATE);
	gt->resfix_marker = marker;
	return hxg_success(0);
}

static u32 resfix_done(struct xe_sriov_sim_vf *vf, struct xe_sriov_sim_gt *gt,
		       u32 marker)
{
	if (!marker)
		return hxg_failure(XE_SRIOV_SIM_GUC_ERR_INVALID_PARAMS);
	if (gt->guc_state != XE_SRIOV_SIM_VF_RESFIX_BLOCKED)
		return hxg_failure(XE_SRIOV_SIM_GUC_ERR_INVALID_STATE);
	/* Fault marker-ignored: a stale marker is taken as the current one. */
	if (marker != gt->resfix_marker &&
	    !xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_MARKER_IGNORED))
		return hxg_failure(XE_SRIOV_SIM_GUC_ERR_VF_MIGRATED);
	gt->resfix_marker = 0;
	gt_set_state(gt, XE_SRIOV_SIM_VF_RUNNING);
	/* The CCS contexts run on the primary GT, where the engine is. */
	if (gt->id == XE_SRIOV_SIM_GT_PRIMARY)
		xe_sriov_sim_guc_ccs_resfix_done(vf);
	xe_sriov_sim_engine_update(vf);
	return hxg_success(0);
}

static void mbx_process(struct xe_sriov_sim_vf *vf, struct xe_sriov_sim_gt *gt)
{
	u32 dw0 = gt->sw_flag[0];
	u32 action = dw0 & XE_SRIOV_SIM_HXG_ACTION_MASK;
	u32 data0 = (dw0 & XE_SRIOV_SIM_HXG_DATA0_MASK) >>
		    XE_SRIOV_SIM_HXG_DATA0_SHIFT;
	u32 reply[XE_SRIOV_SIM_VF_SW_FLAG_COUNT] = {};
	u32 err;

	gt->mbx_pending = false;
	if ((dw0 >> XE_SRIOV_SIM_HXG_ORIGIN_SHIFT) !=
	    XE_SRIOV_SIM_HXG_ORIGIN_HOST ||
	    (dw0 & XE_SRIOV_SIM_HXG_TYPE_MASK) >> XE_SRIOV_SIM_HXG_TYPE_SHIFT !=
	    XE_SRIOV_SIM_HXG_TYPE_REQUEST) {
		reply[0] = hxg_failure(XE_SRIOV_SIM_GUC_ERR_PROTOCOL);
		goto out;
	}

	if (gt->guc_state == XE_SRIOV_SIM_VF_READY)
		gt_set_state(gt, XE_SRIOV_SIM_VF_RUNNING);

	switch (action) {
	case XE_SRIOV_SIM_VF2GUC_MATCH_VERSION:
		reply[0] = match_version(gt, reply);
		break;
	case XE_SRIOV_SIM_VF2GUC_QUERY_SINGLE_KLV:
		reply[0] = query_single_klv(vf, gt, reply);
		break;
	case XE_SRIOV_SIM_VF2GUC_RESFIX_START:
		reply[0] = resfix_start(gt, data0);
		break;
	case XE_SRIOV_SIM_VF2GUC_RESFIX_DONE:
		reply[0] = resfix_done(vf, gt, data0);
		break;
	case XE_SRIOV_SIM_GUC_ACTION_REGISTER_CONTEXT:
		err = xe_sriov_sim_guc_ccs_register(vf, data0, gt->sw_flag[1],
						    gt->sw_flag[2],
						    gt->sw_flag[3]);
		reply[0] = err ? hxg_failure(err) : hxg_success(0);
		break;
	default:
		reply[0] = hxg_failure(XE_SRIOV_SIM_GUC_ERR_UNKNOWN_ACTION);
		break;
	}
out:
	memcpy(gt->sw_flag, reply, sizeof(reply));
}

/**
 * xe_sriov_sim_guc_notify() - the VF wrote GUC_HOST_INTERRUPT of a GT
 * @vf: the VF
 * @gt_id: the GT
 *
 * The GT's GuC takes the request in its VF_SW_FLAG(0..3): at once if the
 * GT is active, else the request waits for the resume.
 */
void xe_sriov_sim_guc_notify(struct xe_sriov_sim_vf *vf, unsigned int gt_id)
{
	struct xe_sriov_sim_gt *gt = &vf->gt[gt_id];

	lockdep_assert_held(&vf->state_lock);
	gt->mbx_pending = true;
	if (gt_is_active(gt))
		mbx_process(vf, gt);
}

/**
 * xe_sriov_sim_guc_save_size() - the GuC's answer to the size query
 * @vf: the VF
 * @gt_id: the GT
 *
 * xe asks the GuC how big a VF's state is (PF2GUC_SAVE_RESTORE_VF, SAVE
 * with size 0) and counts that in migration_size.
 *
 * Return: XE_SRIOV_SIM_GUC_STATE_QUERY_SIZE.
 */
size_t xe_sriov_sim_guc_save_size(struct xe_sriov_sim_vf *vf,
				  unsigned int gt_id)
{
	return XE_SRIOV_SIM_GUC_STATE_QUERY_SIZE;
}

static size_t used_size(unsigned int gt_id)
{
	size_t size = sizeof(struct xe_sriov_sim_guc_state);

	if (gt_id == XE_SRIOV_SIM_GT_PRIMARY)
		size += xe_sriov_sim_engine_save_size();
	return size;
}

/**
 * xe_sriov_sim_guc_save() - serialise the GuC state of a paused VF's GT
 * @vf: the VF
 * @gt_id: the GT
 * @buf: xe_sriov_sim_guc_save_size() zeroed bytes
 *
 * Return: the bytes the GuC used, which the GUC packet carries (xe
 * shrinks the packet to the dwords the GuC reports used).
 */
size_t xe_sriov_sim_guc_save(struct xe_sriov_sim_vf *vf, unsigned int gt_id,
			     void *buf)
{
	struct xe_sriov_sim_gt *gt = &vf->gt[gt_id];
	struct xe_sriov_sim_guc_state *st = buf;
	size_t used = used_size(gt_id);
	u32 flags = 0;

	BUILD_BUG_ON(sizeof(struct xe_sriov_sim_guc_state) +
		     sizeof(struct xe_sriov_sim_engine_state) >
		     XE_SRIOV_SIM_GUC_STATE_QUERY_SIZE);
	if (vf->irq_status & XE_SRIOV_SIM_VF_IRQ_MIGRATED_GT(gt_id))
		flags |= XE_SRIOV_SIM_GUC_STATE_F_IRQ_PENDING;

	memset(st, 0, sizeof(*st));
	st->magic = cpu_to_le32(XE_SRIOV_SIM_GUC_STATE_MAGIC);
	st->version = cpu_to_le32(XE_SRIOV_SIM_GUC_STATE_VERSION);
	st->size = cpu_to_le32(used);
	/*
	 * Restored but not resumed yet: it was migrated, so wherever it is
	 * resumed next it must wait for its fixups.
	 */
	st->vf_state = cpu_to_le32(gt->guc_state == XE_SRIOV_SIM_VF_RESFIX_PAUSED ?
				   XE_SRIOV_SIM_VF_RESFIX_BLOCKED : gt->paused_from);
	st->resfix_marker = cpu_to_le32(gt->resfix_marker);
	st->num_ctxs = cpu_to_le32(vf->num_ctxs);
	st->flags = cpu_to_le32(flags);
	st->gt_id = cpu_to_le32(gt_id);
	if (gt_id == XE_SRIOV_SIM_GT_PRIMARY) {
		xe_sriov_sim_guc_ccs_save(vf, st);
		xe_sriov_sim_engine_save(vf, st + 1);
	}
	return used;
}

static bool saved_state_ok(u32 state)
{
	return state == XE_SRIOV_SIM_VF_READY ||
	       state == XE_SRIOV_SIM_VF_RUNNING ||
	       state == XE_SRIOV_SIM_VF_RESFIX_BLOCKED;
}

/*
 * What the GuC checks before it takes a blob (PF2GUC_SAVE_RESTORE_VF,
 * RESTORE). Returns the version, or a negative errno.
 */
static int guc_blob_check(unsigned int gt_id, const void *buf, size_t size)
{
	const struct xe_sriov_sim_guc_state *st = buf;
	u32 version;

	if (size < sizeof(*st))
		return -EINVAL;
	version = le32_to_cpu(st->version);
	if (le32_to_cpu(st->magic) != XE_SRIOV_SIM_GUC_STATE_MAGIC ||
	    le32_to_cpu(st->size) != size ||
	    !saved_state_ok(le32_to_cpu(st->vf_state)))
		return -EINVAL;
	switch (version) {
	case XE_SRIOV_SIM_GUC_STATE_VERSION_1:
		/* No engine section, no GT id: the primary GT's only. */
		return gt_id == XE_SRIOV_SIM_GT_PRIMARY ? version : -EINVAL;
	case XE_SRIOV_SIM_GUC_STATE_VERSION:
		if (le32_to_cpu(st->gt_id) != gt_id)
			return -EINVAL;
		if (gt_id == XE_SRIOV_SIM_GT_PRIMARY &&
		    xe_sriov_sim_engine_check(st + 1, size - sizeof(*st)))
			return -EINVAL;
		return version;
	default:
		return -EINVAL;
	}
}

/**
 * xe_sriov_sim_guc_restore() - load a GUC packet into a paused VF's GT
 * @vf: the target VF
 * @gt_id: the GT the packet is for
 * @buf: the payload
 * @size: bytes at @buf
 *
 * The GT's GuC checks the blob before anything is loaded (see
 * guc_blob_check()): a version 1 or 2 sim GuC state of a consistent size
 * and a state a VF can be paused from; version 2 names this GT and, on
 * the primary GT, has an engine section a save can produce and CCS
 * registrations the target can take (xe_sriov_sim_guc_ccs_check()). Version 1
 * (primary GT only) has no engine section and leaves the engine as an FLR
 * does. A rejected blob is logged.
 *
 * Return: 0, or -EINVAL if the GuC rejects the blob.
 */
int xe_sriov_sim_guc_restore(struct xe_sriov_sim_vf *vf, unsigned int gt_id,
			     const void *buf, size_t size)
{
	const struct xe_sriov_sim_guc_state *st = buf;
	struct xe_sriov_sim_gt *gt = &vf->gt[gt_id];
	int version = guc_blob_check(gt_id, buf, size);

	/* The CCS registrations travel in the primary GT's blob. */
	if (version == XE_SRIOV_SIM_GUC_STATE_VERSION &&
	    gt_id == XE_SRIOV_SIM_GT_PRIMARY &&
	    xe_sriov_sim_guc_ccs_check(vf, st))
		version = -EINVAL;
	if (version < 0) {
		/*
		 * The caller logs the refusal as xe does ("Failed to restore
		 * VF%u GuC data"). Debug only: a ratelimited print would
		 * add its own "callbacks suppressed" warning to a burst of
		 * refused streams, a record xe does not write.
		 */
		dev_dbg(&vf->mdev->dev,
			"VF%u GT%u: GuC rejected the VF state (%d)\n",
			vf->id, gt_id, version);
		return version;
	}

	gt_set_state(gt, XE_SRIOV_SIM_VF_RESFIX_PAUSED);
	gt->resfix_marker = 0;
	/* Fault marker-kept: the source's RESFIX marker comes along. */
	if (xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_MARKER_KEPT))
		gt->resfix_marker = le32_to_cpu(st->resfix_marker);
	if (gt_id != XE_SRIOV_SIM_GT_PRIMARY)
		return 0;
	xe_sriov_sim_guc_ccs_restore(vf, st);
	if (version == XE_SRIOV_SIM_GUC_STATE_VERSION)
		xe_sriov_sim_engine_restore(vf, st + 1);
	else
		xe_sriov_sim_engine_reset(vf);
	return 0;
}
