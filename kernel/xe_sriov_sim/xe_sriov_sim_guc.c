// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: GuC model
 *
 * The GuC keeps one state per VF (enum xe_sriov_sim_guc_vf_state), as in
 * the VF restore DOC of xe_sriov_vf.c:
 *
 * - VF_READY: provisioned, after creation or an FLR. The first mailbox
 *   request of the VF driver makes it VF_RUNNING.
 * - VF_READY_PAUSED: paused by the PF (the state left is remembered and
 *   comes back on resume).
 * - VF_RESFIX_PAUSED: paused, and a GUC packet was restored into it.
 * - VF_RESFIX_BLOCKED: resumed after a restore; the VF got the MIGRATED
 *   interrupt and must send RESFIX_START(marker), then
 *   RESFIX_DONE(marker).
 * - VF_RUNNING: normal operation.
 * - STOPPED: stopped by the PF; only an FLR gets it out.
 *
 * The MMIO mailbox takes an HXG request in XE_SRIOV_SIM_GUC_MBX(0..3) and
 * a write of XE_SRIOV_SIM_GUC_MBX_SEND to XE_SRIOV_SIM_GUC_MBX_TRIGGER;
 * the reply replaces the request. Actions:
 *
 * - QUERY_SINGLE_KLV(key): GGTT start/size, LMEM size, number of contexts;
 *   any other key fails with INVALID_KLV_KEY.
 * - RESFIX_START(marker): only in VF_RESFIX_BLOCKED (else INVALID_STATE),
 *   marker nonzero (else INVALID_PARAMS); remembers the marker.
 * - RESFIX_DONE(marker): only in VF_RESFIX_BLOCKED (else INVALID_STATE);
 *   the marker of the last RESFIX_START makes the VF VF_RUNNING, any other
 *   marker fails with VF_MIGRATED: the VF was migrated again after its
 *   RESFIX_START (the double migration case) and must start over.
 *
 * - REGISTER_CONTEXT(flags, ctx, batch): an igfx VF's CCS save/restore
 *   context (xe_sriov_sim_guc_ccs.c).
 *
 * Anything else fails with UNKNOWN_ACTION, a malformed dword 0 with
 * ERROR_PROTOCOL. While the VF is paused or stopped a request stays
 * pending and is answered on resume.
 *
 * The GUC packet carries &struct xe_sriov_sim_guc_state, version 2 followed
 * by the engine section (&struct xe_sriov_sim_engine_state). Restoring it
 * puts the VF in VF_RESFIX_PAUSED with no marker and loads the engine; the
 * engine runs again only after RESFIX_DONE.
 *
 * All functions run under &xe_sriov_sim_vf.state_lock.
 */

#include <linux/errno.h>
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
 * Return: true in VF_READY_PAUSED and VF_RESFIX_PAUSED.
 */
bool xe_sriov_sim_guc_is_paused(struct xe_sriov_sim_vf *vf)
{
	return vf->guc_state == XE_SRIOV_SIM_VF_READY_PAUSED ||
	       vf->guc_state == XE_SRIOV_SIM_VF_RESFIX_PAUSED;
}

/**
 * xe_sriov_sim_guc_reset() - the GuC side of an FLR
 * @vf: the VF
 *
 * Back to VF_READY, no marker, no pending mailbox request.
 */
void xe_sriov_sim_guc_reset(struct xe_sriov_sim_vf *vf)
{
	vf->guc_state = XE_SRIOV_SIM_VF_READY;
	vf->paused_from = XE_SRIOV_SIM_VF_READY;
	vf->resfix_marker = 0;
	vf->mbx_pending = false;
	memset(vf->mbx, 0, sizeof(vf->mbx));
	xe_sriov_sim_guc_ccs_reset(vf);
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

static bool vf_is_active(struct xe_sriov_sim_vf *vf)
{
	return vf->guc_state == XE_SRIOV_SIM_VF_READY ||
	       vf->guc_state == XE_SRIOV_SIM_VF_RUNNING ||
	       vf->guc_state == XE_SRIOV_SIM_VF_RESFIX_BLOCKED;
}

static u32 query_single_klv(struct xe_sriov_sim_vf *vf, u32 *reply)
{
	u32 key = vf->mbx[1] & XE_SRIOV_SIM_KLV_QUERY_KEY_MASK;
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
		value = vf->lmem_size;
		len = 2;
		break;
	case XE_SRIOV_SIM_KLV_VF_CFG_NUM_CONTEXTS:
		value = vf->num_ctxs;
		len = 1;
		break;
	default:
		return hxg_failure(XE_SRIOV_SIM_GUC_ERR_INVALID_KLV_KEY);
	}
	reply[1] = lower_32_bits(value);
	reply[2] = len > 1 ? upper_32_bits(value) : 0;
	return hxg_success(len);
}

static u32 resfix_start(struct xe_sriov_sim_vf *vf, u32 marker)
{
	if (!marker)
		return hxg_failure(XE_SRIOV_SIM_GUC_ERR_INVALID_PARAMS);
	if (vf->guc_state != XE_SRIOV_SIM_VF_RESFIX_BLOCKED)
		return hxg_failure(XE_SRIOV_SIM_GUC_ERR_INVALID_STATE);
	vf->resfix_marker = marker;
	return hxg_success(0);
}

static u32 resfix_done(struct xe_sriov_sim_vf *vf, u32 marker)
{
	if (!marker)
		return hxg_failure(XE_SRIOV_SIM_GUC_ERR_INVALID_PARAMS);
	if (vf->guc_state != XE_SRIOV_SIM_VF_RESFIX_BLOCKED)
		return hxg_failure(XE_SRIOV_SIM_GUC_ERR_INVALID_STATE);
	/* Fault marker-ignored: a stale marker is taken as the current one. */
	if (marker != vf->resfix_marker &&
	    !xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_MARKER_IGNORED))
		return hxg_failure(XE_SRIOV_SIM_GUC_ERR_VF_MIGRATED);
	vf->resfix_marker = 0;
	vf->guc_state = XE_SRIOV_SIM_VF_RUNNING;
	xe_sriov_sim_guc_ccs_resfix_done(vf);
	xe_sriov_sim_engine_update(vf);
	return hxg_success(0);
}

static void mbx_process(struct xe_sriov_sim_vf *vf)
{
	u32 dw0 = vf->mbx[0];
	u32 action = dw0 & XE_SRIOV_SIM_HXG_ACTION_MASK;
	u32 data0 = (dw0 & XE_SRIOV_SIM_HXG_DATA0_MASK) >>
		    XE_SRIOV_SIM_HXG_DATA0_SHIFT;
	u32 reply[XE_SRIOV_SIM_GUC_MBX_COUNT] = {};
	u32 err;

	if ((dw0 >> XE_SRIOV_SIM_HXG_ORIGIN_SHIFT) !=
	    XE_SRIOV_SIM_HXG_ORIGIN_HOST ||
	    (dw0 & XE_SRIOV_SIM_HXG_TYPE_MASK) >> XE_SRIOV_SIM_HXG_TYPE_SHIFT !=
	    XE_SRIOV_SIM_HXG_TYPE_REQUEST) {
		reply[0] = hxg_failure(XE_SRIOV_SIM_GUC_ERR_PROTOCOL);
		goto out;
	}

	if (vf->guc_state == XE_SRIOV_SIM_VF_READY)
		vf->guc_state = XE_SRIOV_SIM_VF_RUNNING;

	switch (action) {
	case XE_SRIOV_SIM_VF2GUC_QUERY_SINGLE_KLV:
		reply[0] = query_single_klv(vf, reply);
		break;
	case XE_SRIOV_SIM_VF2GUC_RESFIX_START:
		reply[0] = resfix_start(vf, data0);
		break;
	case XE_SRIOV_SIM_VF2GUC_RESFIX_DONE:
		reply[0] = resfix_done(vf, data0);
		break;
	case XE_SRIOV_SIM_GUC_ACTION_REGISTER_CONTEXT:
		err = xe_sriov_sim_guc_ccs_register(vf, data0, vf->mbx[1],
						    vf->mbx[2], vf->mbx[3]);
		reply[0] = err ? hxg_failure(err) : hxg_success(0);
		break;
	default:
		reply[0] = hxg_failure(XE_SRIOV_SIM_GUC_ERR_UNKNOWN_ACTION);
		break;
	}
out:
	memcpy(vf->mbx, reply, sizeof(reply));
	vf->mbx_pending = false;
}

/**
 * xe_sriov_sim_guc_mbx_send() - the VF rang the mailbox doorbell
 * @vf: the VF
 *
 * Answers at once if the VF is active, else leaves the request pending.
 */
void xe_sriov_sim_guc_mbx_send(struct xe_sriov_sim_vf *vf)
{
	vf->mbx_pending = true;
	if (vf_is_active(vf))
		mbx_process(vf);
}

/**
 * xe_sriov_sim_guc_mbx_flush() - answer a request left pending by a pause
 * @vf: the VF, just resumed
 */
void xe_sriov_sim_guc_mbx_flush(struct xe_sriov_sim_vf *vf)
{
	if (vf->mbx_pending && vf_is_active(vf))
		mbx_process(vf);
}

/**
 * xe_sriov_sim_guc_save_size() - bytes of the GUC packet payload
 * @vf: the VF
 *
 * Return: sizeof(struct xe_sriov_sim_guc_state) plus the engine section.
 */
size_t xe_sriov_sim_guc_save_size(struct xe_sriov_sim_vf *vf)
{
	return sizeof(struct xe_sriov_sim_guc_state) +
	       xe_sriov_sim_engine_save_size();
}

/**
 * xe_sriov_sim_guc_save() - serialise the GuC state of a paused VF
 * @vf: the VF
 * @buf: xe_sriov_sim_guc_save_size() bytes
 */
void xe_sriov_sim_guc_save(struct xe_sriov_sim_vf *vf, void *buf)
{
	struct xe_sriov_sim_guc_state *st = buf;
	u32 flags = 0;

	if (vf->irq_status & XE_SRIOV_SIM_VF_IRQ_MIGRATED)
		flags |= XE_SRIOV_SIM_GUC_STATE_F_IRQ_PENDING;

	memset(st, 0, sizeof(*st));
	st->magic = cpu_to_le32(XE_SRIOV_SIM_GUC_STATE_MAGIC);
	st->version = cpu_to_le32(XE_SRIOV_SIM_GUC_STATE_VERSION);
	st->size = cpu_to_le32(xe_sriov_sim_guc_save_size(vf));
	/*
	 * Restored but not resumed yet: it was migrated, so wherever it is
	 * resumed next it must wait for its fixups.
	 */
	st->vf_state = cpu_to_le32(vf->guc_state == XE_SRIOV_SIM_VF_RESFIX_PAUSED ?
				   XE_SRIOV_SIM_VF_RESFIX_BLOCKED : vf->paused_from);
	st->resfix_marker = cpu_to_le32(vf->resfix_marker);
	st->num_ctxs = cpu_to_le32(vf->num_ctxs);
	st->flags = cpu_to_le32(flags);
	xe_sriov_sim_guc_ccs_save(vf, st);
	xe_sriov_sim_engine_save(vf, st + 1);
}

static bool saved_state_ok(u32 state)
{
	return state == XE_SRIOV_SIM_VF_READY ||
	       state == XE_SRIOV_SIM_VF_RUNNING ||
	       state == XE_SRIOV_SIM_VF_RESFIX_BLOCKED;
}

/**
 * xe_sriov_sim_guc_restore() - load a GUC packet into a paused VF
 * @vf: the target VF
 * @buf: the payload
 * @size: bytes at @buf
 *
 * Version 2 carries the engine section, checked before anything is
 * loaded; version 1 has none and leaves the engine as an FLR does.
 *
 * Return: 0, or -EINVAL for a blob that is not a version 1 or 2 sim GuC
 * state of a consistent size, that holds a state a VF cannot be paused
 * from, or whose engine section is not one a save can produce.
 */
int xe_sriov_sim_guc_restore(struct xe_sriov_sim_vf *vf, const void *buf,
			     size_t size)
{
	const struct xe_sriov_sim_guc_state *st = buf;
	u32 version;

	if (size < sizeof(*st))
		return -EINVAL;
	version = le32_to_cpu(st->version);
	if (le32_to_cpu(st->magic) != XE_SRIOV_SIM_GUC_STATE_MAGIC ||
	    (version != XE_SRIOV_SIM_GUC_STATE_VERSION &&
	     version != XE_SRIOV_SIM_GUC_STATE_VERSION_1) ||
	    le32_to_cpu(st->size) != size ||
	    !saved_state_ok(le32_to_cpu(st->vf_state)))
		return -EINVAL;
	if (version == XE_SRIOV_SIM_GUC_STATE_VERSION &&
	    xe_sriov_sim_engine_check(st + 1, size - sizeof(*st)))
		return -EINVAL;
	if (xe_sriov_sim_guc_ccs_check(vf, st))
		return -EINVAL;

	vf->guc_state = XE_SRIOV_SIM_VF_RESFIX_PAUSED;
	vf->resfix_marker = 0;
	/* Fault marker-kept: the source's RESFIX marker comes along. */
	if (xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_MARKER_KEPT))
		vf->resfix_marker = le32_to_cpu(st->resfix_marker);
	xe_sriov_sim_guc_ccs_restore(vf, st);
	if (version == XE_SRIOV_SIM_GUC_STATE_VERSION)
		xe_sriov_sim_engine_restore(vf, st + 1);
	else
		xe_sriov_sim_engine_reset(vf);
	return 0;
}
