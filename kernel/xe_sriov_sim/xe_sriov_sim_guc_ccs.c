// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: GuC CCS save/restore contexts (igfx)
 *
 * On an integrated GPU with flat CCS the PF's stream carries no CCS (and
 * no VRAM): the VF driver moves its compression metadata itself, as xe's
 * xe_sriov_vf_ccs.c does. It registers two contexts with the GuC,
 * GUC_CONTEXT_COMPRESSION_SAVE and GUC_CONTEXT_COMPRESSION_RESTORE
 * (xe_guc_register_vf_exec_queue()), each running a batch of CCS copies
 * (xe_migrate_ccs_rw_copy(): XY_CTRL_SURF_COPY between every BO's CCS and
 * a system memory copy of it). The GuC runs the save batch when the PF
 * pauses the VF, and the restore batch once the VF's RESFIX_DONE succeeds
 * on the destination.
 *
 * The sim's VF reaches its GuC through the MMIO mailbox only, so the
 * registration is one mailbox action, REGISTER_CONTEXT (layout in
 * include/uapi/xe_sriov_sim_ccs.h), handled by
 * xe_sriov_sim_guc_ccs_register(). The GuC keeps each batch's address as
 * an offset from the VF's GGTT base: the registration travels in the GUC
 * packet and means the same place in the destination's slice. The batch's
 * commands hold GGTT addresses of the source slice until the VF fixes them
 * (xe_sriov_vf_ccs_rebase() rewrites what the GuC runs), so a VF that
 * skips that fixup finds its restore batch faulting.
 *
 * A batch runs on the VF's engine hardware but outside its ring: the GuC
 * switches to the CCS context between two commands of the paused engine
 * (not for a VF still waiting for its fixups, whose CCS is not back yet),
 * so the ring's position and the engine's last fault are left as they
 * were. Commands: NOOP, COPY, CTRL_SURF_COPY (either direction), up to a
 * BATCH_END; anything else, a fault, or more than
 * XE_SRIOV_SIM_CCS_BB_MAX_CMDS commands fail the run, counted per context
 * in debugfs guc_state (ccs_save/ccs_restore: runs, failed, last error).
 *
 * Fault ccs-drop on an igfx VF: the GuC skips the restore batch.
 *
 * All functions run under &xe_sriov_sim_vf.state_lock.
 */

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include <uapi/xe_sriov_sim_ccs.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_engine.h"
#include "xe_sriov_sim_fault.h"
#include "xe_sriov_sim_guc_ccs.h"

enum { CCS_SAVE, CCS_RESTORE };

static const char * const ccs_ctx_names[] = { "ccs_save", "ccs_restore" };

/**
 * xe_sriov_sim_guc_ccs_register() - REGISTER_CONTEXT from the VF
 * @vf: the VF
 * @flags: the request's DATA0: CONTEXT_REGISTRATION_FLAG_*
 * @ctx_id: dword 1, the context id
 * @lo: dword 2, the batch's GGTT address, low dword (0: deregister)
 * @hi: dword 3, high dword
 *
 * Return: 0, or the GuC error to answer: INVALID_PARAMS on a dgfx VF, for
 * a type other than the two CCS ones, a context id outside the VF's, or a
 * batch address not 4-byte aligned inside the VF's slice.
 */
u32 xe_sriov_sim_guc_ccs_register(struct xe_sriov_sim_vf *vf, u32 flags,
				  u32 ctx_id, u32 lo, u32 hi)
{
	u32 type = (flags & XE_SRIOV_SIM_CTX_REG_FLAG_TYPE_MASK) >>
		   XE_SRIOV_SIM_CTX_REG_FLAG_TYPE_SHIFT;
	struct xe_sriov_sim_ccs_ctx *ctx;
	u64 addr = (u64)hi << 32 | lo;

	lockdep_assert_held(&vf->state_lock);
	if (!vf->igfx)
		return XE_SRIOV_SIM_GUC_ERR_INVALID_PARAMS;
	if (type == XE_SRIOV_SIM_GUC_CONTEXT_COMPRESSION_SAVE)
		ctx = &vf->ccs_ctx[CCS_SAVE];
	else if (type == XE_SRIOV_SIM_GUC_CONTEXT_COMPRESSION_RESTORE)
		ctx = &vf->ccs_ctx[CCS_RESTORE];
	else
		return XE_SRIOV_SIM_GUC_ERR_INVALID_PARAMS;
	if (ctx_id >= vf->num_ctxs)
		return XE_SRIOV_SIM_GUC_ERR_INVALID_PARAMS;
	if (!addr) {
		ctx->registered = false;
		return 0;
	}
	if (!IS_ALIGNED(addr, 4) || addr < vf->ggtt_start ||
	    addr - vf->ggtt_start >= vf->ggtt_size)
		return XE_SRIOV_SIM_GUC_ERR_INVALID_PARAMS;
	ctx->registered = true;
	ctx->ctx_id = ctx_id;
	ctx->bb = addr - vf->ggtt_start;
	return 0;
}

static bool ccs_bb_cmd_ok(u32 op)
{
	return op == XE_SRIOV_SIM_OP_NOOP || op == XE_SRIOV_SIM_OP_COPY ||
	       op == XE_SRIOV_SIM_OP_CTRL_SURF_COPY;
}

/* Execute one batch at GGTT address @addr; 0 or -errno. */
static int ccs_bb_exec(struct xe_sriov_sim_vf *vf, u64 addr)
{
	u32 cmd[XE_SRIOV_SIM_CMD_MAX_DWORDS];
	unsigned int n, units = 0, i;
	u32 reason;
	int len;
	u64 batch;

	for (n = 0; n < XE_SRIOV_SIM_CCS_BB_MAX_CMDS; n++) {
		if (xe_sriov_sim_engine_mem_rd32(vf, addr, &cmd[0]))
			return -EFAULT;
		len = xe_sriov_sim_engine_cmd_len(cmd[0], &reason);
		if (len < 0)
			return -EINVAL;
		if (XE_SRIOV_SIM_CMD_OPCODE(cmd[0]) == XE_SRIOV_SIM_OP_BATCH_END)
			return 0;
		if (!ccs_bb_cmd_ok(XE_SRIOV_SIM_CMD_OPCODE(cmd[0])))
			return -EINVAL;
		for (i = 1; i <= len; i++)
			if (xe_sriov_sim_engine_mem_rd32(vf, addr + 4 * i, &cmd[i]))
				return -EFAULT;
		if (xe_sriov_sim_engine_cmd_exec(vf, cmd, addr, &batch, &units) !=
		    XE_SRIOV_SIM_STEP_NEXT)
			return -EFAULT;
		addr += 4 * (1 + len);
		cond_resched();
	}
	return -E2BIG;
}

/* Run context @idx if registered; the engine's own fault record is kept. */
static void ccs_run(struct xe_sriov_sim_vf *vf, unsigned int idx)
{
	struct xe_sriov_sim_ccs_ctx *ctx = &vf->ccs_ctx[idx];
	u32 reason = vf->engine.fault_reason;
	u64 fault_addr = vf->engine.fault_addr;
	u32 space;
	int ret;

	lockdep_assert_held(&vf->state_lock);
	if (!vf->igfx || !ctx->registered)
		return;
	/* GuC batches are GGTT addressed, whatever level the engine is in. */
	space = xe_sriov_sim_engine_set_space(vf, XE_SRIOV_SIM_SPACE_GGTT);
	ret = ccs_bb_exec(vf, vf->ggtt_start + ctx->bb);
	xe_sriov_sim_engine_set_space(vf, space);
	vf->engine.fault_reason = reason;
	vf->engine.fault_addr = fault_addr;
	ctx->runs++;
	if (ret) {
		ctx->failed++;
		ctx->last_err = ret;
		dev_notice_ratelimited(&vf->mdev->dev,
				       "VF%u: GuC: %s batch at %#llx failed (%pe)\n",
				       vf->id, ccs_ctx_names[idx],
				       vf->ggtt_start + ctx->bb, ERR_PTR(ret));
	}
}

/**
 * xe_sriov_sim_guc_ccs_pause() - the GuC saves the CCS of a pausing VF
 * @vf: the VF, its engine just stopped, its GuC state not yet changed
 *
 * Not while the VF waits for its fixups (VF_RESFIX_BLOCKED): its restore
 * batch has not run, so its CCS is not back yet and the copy in its
 * memory, which moves on with it, is still the one to keep.
 */
void xe_sriov_sim_guc_ccs_pause(struct xe_sriov_sim_vf *vf)
{
	/* The CCS contexts run on the primary GT, where the engine is. */
	if (vf->gt[XE_SRIOV_SIM_GT_PRIMARY].guc_state ==
	    XE_SRIOV_SIM_VF_RESFIX_BLOCKED)
		return;
	ccs_run(vf, CCS_SAVE);
}

/**
 * xe_sriov_sim_guc_ccs_resfix_done() - the GuC restores the CCS of a VF
 * whose fixups are done
 * @vf: the VF, its RESFIX_DONE just accepted
 */
void xe_sriov_sim_guc_ccs_resfix_done(struct xe_sriov_sim_vf *vf)
{
	/* Fault ccs-drop: the restore batch never runs. */
	if (xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_CCS_DROP))
		return;
	ccs_run(vf, CCS_RESTORE);
}

/**
 * xe_sriov_sim_guc_ccs_reset() - an FLR forgets the registrations
 * @vf: the VF
 */
void xe_sriov_sim_guc_ccs_reset(struct xe_sriov_sim_vf *vf)
{
	memset(vf->ccs_ctx, 0, sizeof(vf->ccs_ctx));
}

/**
 * xe_sriov_sim_guc_ccs_save() - registrations into the GUC packet
 * @vf: the VF
 * @st: the GuC state being saved
 */
void xe_sriov_sim_guc_ccs_save(struct xe_sriov_sim_vf *vf,
			       struct xe_sriov_sim_guc_state *st)
{
	static const u32 bit[] = { XE_SRIOV_SIM_GUC_STATE_F_CCS_SAVE,
				   XE_SRIOV_SIM_GUC_STATE_F_CCS_RESTORE };
	u32 flags = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vf->ccs_ctx); i++) {
		if (!vf->ccs_ctx[i].registered)
			continue;
		flags |= bit[i];
		st->ccs_bb[i] = cpu_to_le32(vf->ccs_ctx[i].bb);
		st->ccs_ctx[i] = cpu_to_le32(vf->ccs_ctx[i].ctx_id);
	}
	st->ccs_flags = cpu_to_le32(flags);
}

/**
 * xe_sriov_sim_guc_ccs_check() - are a GUC packet's registrations valid
 * @vf: the target VF
 * @st: the GuC state being restored
 *
 * Return: 0, or -EINVAL for unknown flags, a batch offset outside the
 * target's slice or not 4-byte aligned, or registrations on a dgfx target.
 */
int xe_sriov_sim_guc_ccs_check(struct xe_sriov_sim_vf *vf,
			       const struct xe_sriov_sim_guc_state *st)
{
	u32 flags = le32_to_cpu(st->ccs_flags);
	unsigned int i;

	if (flags & ~(XE_SRIOV_SIM_GUC_STATE_F_CCS_SAVE |
		      XE_SRIOV_SIM_GUC_STATE_F_CCS_RESTORE))
		return -EINVAL;
	if (flags && !vf->igfx)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(vf->ccs_ctx); i++) {
		u32 bb = le32_to_cpu(st->ccs_bb[i]);

		if ((flags & BIT(i)) && (bb >= vf->ggtt_size || !IS_ALIGNED(bb, 4)))
			return -EINVAL;
	}
	return 0;
}

/**
 * xe_sriov_sim_guc_ccs_restore() - registrations from a checked GUC packet
 * @vf: the target VF
 * @st: the GuC state, passed by xe_sriov_sim_guc_ccs_check()
 *
 * The run counters are the target's and stay.
 */
void xe_sriov_sim_guc_ccs_restore(struct xe_sriov_sim_vf *vf,
				  const struct xe_sriov_sim_guc_state *st)
{
	u32 flags = le32_to_cpu(st->ccs_flags);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vf->ccs_ctx); i++) {
		vf->ccs_ctx[i].registered = flags & BIT(i);
		vf->ccs_ctx[i].bb = le32_to_cpu(st->ccs_bb[i]);
		vf->ccs_ctx[i].ctx_id = le32_to_cpu(st->ccs_ctx[i]);
	}
}

/**
 * xe_sriov_sim_guc_ccs_print() - the CCS contexts, for debugfs guc_state
 * @vf: the VF
 * @m: one line per context: "<name>: <bb GGTT address>|none ctx <id>
 *	runs <n> failed <n> last_err <errno>"
 */
void xe_sriov_sim_guc_ccs_print(struct xe_sriov_sim_vf *vf, struct seq_file *m)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vf->ccs_ctx); i++) {
		const struct xe_sriov_sim_ccs_ctx *c = &vf->ccs_ctx[i];

		if (c->registered)
			seq_printf(m, "%s: %#llx ctx %u", ccs_ctx_names[i],
				   vf->ggtt_start + c->bb, c->ctx_id);
		else
			seq_printf(m, "%s: none", ccs_ctx_names[i]);
		seq_printf(m, " runs %u failed %u last_err %d\n", c->runs,
			   c->failed, c->last_err);
	}
}
