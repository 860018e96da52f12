// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: engine commands
 *
 * Decoding and executing one command (encoding and semantics:
 * include/uapi/xe_sriov_sim_engine.h). A command header is checked before
 * its operands are fetched: an unknown opcode faults BAD_OPCODE, a length
 * other than the opcode's BAD_LENGTH, a must-be-zero bit or a flag the
 * opcode does not take BAD_FLAGS. Execution only touches memory through
 * the GGTT (see the engine memory DOC) and reports what the engine has to
 * do next (enum xe_sriov_sim_engine_step); control flow (advancing, batch
 * levels, waiting) is the execution loop's. Addresses are in the engine's
 * current space (GGTT, or PPGTT inside a PPGTT batch); BATCH_START without
 * XE_SRIOV_SIM_BATCH_PPGTT in a PPGTT batch faults BAD_FLAGS.
 *
 * Cost: a command costs one unit of the engine's budget per run, plus one
 * per 4 KiB a copying command moves, so a big COPY ends a run.
 *
 * Runs under &xe_sriov_sim_vf.state_lock.
 */

#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/string.h>

#include <uapi/xe_sriov_sim_ppgtt.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_engine.h"
#include "xe_sriov_sim_irq.h"

#define GGTT_PAGE	XE_SRIOV_SIM_GGTT_PAGE_SIZE
#define BLOCK		XE_SRIOV_SIM_CCS_BLOCK

unsigned int xe_sriov_sim_engine_spin_limit = 30000;
module_param_named(engine_spin_limit, xe_sriov_sim_engine_spin_limit, uint,
		   0644);
MODULE_PARM_DESC(engine_spin_limit,
		 "SPIN_UNTIL iterations (about one a jiffy) before the engine hangs (default 30000)");

/**
 * struct cmd_desc - what the decoder knows of an opcode
 * @name: for debugfs and logs
 * @len: its LENGTH
 * @flags: flags (header bits 23:16) it takes
 */
struct cmd_desc {
	const char *name;
	u8 len;
	u32 flags;
};

static const struct cmd_desc cmd_descs[] = {
	[XE_SRIOV_SIM_OP_NOOP] = {
		"NOOP", XE_SRIOV_SIM_LEN_NOOP, 0 },
	[XE_SRIOV_SIM_OP_STORE_DWORD] = {
		"STORE_DWORD", XE_SRIOV_SIM_LEN_STORE_DWORD, 0 },
	[XE_SRIOV_SIM_OP_STORE_SEQNO] = {
		"STORE_SEQNO", XE_SRIOV_SIM_LEN_STORE_SEQNO, 0 },
	[XE_SRIOV_SIM_OP_USER_INTERRUPT] = {
		"USER_INTERRUPT", XE_SRIOV_SIM_LEN_USER_INTERRUPT, 0 },
	[XE_SRIOV_SIM_OP_BATCH_START] = {
		"BATCH_START", XE_SRIOV_SIM_LEN_BATCH_START,
		XE_SRIOV_SIM_BATCH_PPGTT },
	[XE_SRIOV_SIM_OP_BATCH_END] = {
		"BATCH_END", XE_SRIOV_SIM_LEN_BATCH_END, 0 },
	[XE_SRIOV_SIM_OP_SPIN_UNTIL] = {
		"SPIN_UNTIL", XE_SRIOV_SIM_LEN_SPIN_UNTIL, 0 },
	[XE_SRIOV_SIM_OP_COPY] = {
		"COPY", XE_SRIOV_SIM_LEN_COPY, XE_SRIOV_SIM_COPY_COMPRESS },
	[XE_SRIOV_SIM_OP_RESOLVE] = {
		"RESOLVE", XE_SRIOV_SIM_LEN_RESOLVE, 0 },
	[XE_SRIOV_SIM_OP_CTRL_SURF_COPY] = {
		"CTRL_SURF_COPY", XE_SRIOV_SIM_LEN_CTRL_SURF_COPY,
		XE_SRIOV_SIM_CSC_TO_CCS },
};

static const char * const fault_names[] = {
	[XE_SRIOV_SIM_ENGINE_FAULT_NONE] = "none",
	[XE_SRIOV_SIM_ENGINE_FAULT_PTE_INVALID] = "PTE_INVALID",
	[XE_SRIOV_SIM_ENGINE_FAULT_PTE_FOREIGN] = "PTE_FOREIGN",
	[XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE] = "OUT_OF_SLICE",
	[XE_SRIOV_SIM_ENGINE_FAULT_PTE_RANGE] = "PTE_RANGE",
	[XE_SRIOV_SIM_ENGINE_FAULT_BAD_OPCODE] = "BAD_OPCODE",
	[XE_SRIOV_SIM_ENGINE_FAULT_BAD_LENGTH] = "BAD_LENGTH",
	[XE_SRIOV_SIM_ENGINE_FAULT_BAD_FLAGS] = "BAD_FLAGS",
	[XE_SRIOV_SIM_ENGINE_FAULT_TRUNCATED] = "TRUNCATED",
	[XE_SRIOV_SIM_ENGINE_FAULT_BAD_RING] = "BAD_RING",
	[XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT] = "ALIGNMENT",
	[XE_SRIOV_SIM_ENGINE_FAULT_BATCH_DEPTH] = "BATCH_DEPTH",
	[XE_SRIOV_SIM_ENGINE_FAULT_BATCH_END] = "BATCH_END",
	[XE_SRIOV_SIM_ENGINE_FAULT_SPIN_TIMEOUT] = "SPIN_TIMEOUT",
	[XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_DISABLED] = "PPGTT_DISABLED",
	[XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_NOT_PRESENT] = "PPGTT_NOT_PRESENT",
	[XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_RANGE] = "PPGTT_RANGE",
	[XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_READ_ONLY] = "PPGTT_READ_ONLY",
	[XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_DMA] = "PPGTT_DMA",
};

/**
 * xe_sriov_sim_engine_fault_name() - name of a fault reason
 * @reason: enum xe_sriov_sim_engine_fault
 *
 * Return: "none", "PTE_INVALID", ..., or "?" for an unknown value.
 */
const char *xe_sriov_sim_engine_fault_name(u32 reason)
{
	if (reason >= ARRAY_SIZE(fault_names) || !fault_names[reason])
		return "?";
	return fault_names[reason];
}

/**
 * xe_sriov_sim_engine_cmd_len() - check a command header
 * @dw0: the header
 * @reason: the fault reason if the header is bad
 *
 * Return: the command's LENGTH (dwords after the header), or -EINVAL.
 */
int xe_sriov_sim_engine_cmd_len(u32 dw0, u32 *reason)
{
	u32 op = XE_SRIOV_SIM_CMD_OPCODE(dw0);
	const struct cmd_desc *d;

	if (op >= ARRAY_SIZE(cmd_descs) || !cmd_descs[op].name) {
		*reason = XE_SRIOV_SIM_ENGINE_FAULT_BAD_OPCODE;
		return -EINVAL;
	}
	d = &cmd_descs[op];
	if ((dw0 & XE_SRIOV_SIM_CMD_LEN_MASK) != d->len) {
		*reason = XE_SRIOV_SIM_ENGINE_FAULT_BAD_LENGTH;
		return -EINVAL;
	}
	if ((dw0 & XE_SRIOV_SIM_CMD_MBZ_MASK) ||
	    (dw0 & XE_SRIOV_SIM_CMD_FLAGS_MASK & ~d->flags)) {
		*reason = XE_SRIOV_SIM_ENGINE_FAULT_BAD_FLAGS;
		return -EINVAL;
	}
	return d->len;
}

static u64 addr64(const u32 *cmd, unsigned int i)
{
	return cmd[i] | (u64)cmd[i + 1] << 32;
}

static enum xe_sriov_sim_engine_step step_of(int ret)
{
	return ret ? XE_SRIOV_SIM_STEP_FAULT : XE_SRIOV_SIM_STEP_NEXT;
}

static enum xe_sriov_sim_engine_step
spin_until(struct xe_sriov_sim_vf *vf, const u32 *cmd, u64 addr)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;
	u32 val;

	if (xe_sriov_sim_engine_mem_rd32(vf, addr64(cmd, 1), &val))
		return XE_SRIOV_SIM_STEP_FAULT;
	if (val == cmd[3]) {
		eng->spin_iterations = 0;
		return XE_SRIOV_SIM_STEP_NEXT;
	}
	eng->spin_iterations++;
	if (cmd[4] && eng->spin_iterations >= cmd[4]) {
		eng->spin_iterations = 0;
		return XE_SRIOV_SIM_STEP_NEXT;
	}
	if (eng->spin_iterations >= READ_ONCE(xe_sriov_sim_engine_spin_limit)) {
		xe_sriov_sim_engine_fault(vf, XE_SRIOV_SIM_ENGINE_FAULT_SPIN_TIMEOUT,
					  addr);
		return XE_SRIOV_SIM_STEP_FAULT;
	}
	return XE_SRIOV_SIM_STEP_WAIT;
}

/* Plain COPY: page-sized pieces, each translated on both sides. */
static int copy_plain(struct xe_sriov_sim_vf *vf, u64 src, u64 dst, u32 bytes)
{
	u32 done = 0;
	int ret;

	while (done < bytes) {
		u64 s = src + done, d = dst + done;
		size_t n = min3((u64)(bytes - done),
				GGTT_PAGE - (s & (GGTT_PAGE - 1)),
				GGTT_PAGE - (d & (GGTT_PAGE - 1)));
		u8 *sp, *dp;

		ret = xe_sriov_sim_engine_mem_ptr(vf, s, n, false, &sp);
		if (ret)
			return ret;
		ret = xe_sriov_sim_engine_mem_ptr(vf, d, n, true, &dp);
		if (ret)
			return ret;
		memmove(dp, sp, n);
		done += n;
		cond_resched();
	}
	return 0;
}

enum block_op { BLOCK_COMPRESS, BLOCK_RESOLVE, BLOCK_CTRL_SURF };

/* One CCS block of COPY|COMPRESS, RESOLVE or CTRL_SURF_COPY. */
static int block_one(struct xe_sriov_sim_vf *vf, enum block_op op, u64 src,
		     u64 dst, u8 *csc_out)
{
	u8 *bounce = vf->engine.bounce;
	u8 *sp, *dp, *sccs, *dccs;
	u32 sum = 0;
	u8 ccs;
	int ret, i;

	ret = xe_sriov_sim_engine_mem_ccs(vf, src, false, &sccs);
	if (ret)
		return ret;
	if (op == BLOCK_CTRL_SURF) {
		*csc_out = *sccs;
		return 0;
	}
	ret = xe_sriov_sim_engine_mem_ptr(vf, src, BLOCK, false, &sp);
	if (ret)
		return ret;
	memcpy(bounce, sp, BLOCK);
	ret = xe_sriov_sim_engine_mem_ptr(vf, dst, BLOCK, true, &dp);
	if (ret)
		return ret;
	ret = xe_sriov_sim_engine_mem_ccs(vf, dst, true, &dccs);
	if (ret)
		return ret;

	if (op == BLOCK_COMPRESS) {
		for (i = 0; i < BLOCK; i++)
			sum += bounce[i];
		ccs = XE_SRIOV_SIM_CCS_OF(sum);
	} else {
		ccs = *sccs;
	}
	for (i = 0; i < BLOCK; i++)
		dp[i] = bounce[i] ^ ccs;
	*dccs = op == BLOCK_COMPRESS ? ccs : 0;
	return 0;
}

/*
 * CTRL_SURF_COPY|TO_CCS: the bytes / 256 bytes at src become the CCS bytes
 * of the dst range, read through the bounce buffer a block at a time.
 */
static int ccs_from_mem(struct xe_sriov_sim_vf *vf, u64 src, u64 dst,
			u32 bytes, u64 addr)
{
	u8 *in = vf->engine.bounce;
	u32 blocks = bytes / BLOCK, blk, n;
	u8 *dccs;
	int ret;

	if (!IS_ALIGNED(dst, BLOCK) || !IS_ALIGNED(bytes, BLOCK))
		return xe_sriov_sim_engine_fault(vf,
						 XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT,
						 addr);
	for (blk = 0; blk < blocks; blk += n) {
		u32 i;

		n = min_t(u32, blocks - blk, BLOCK);
		ret = xe_sriov_sim_engine_mem_read(vf, src + blk, in, n);
		if (ret)
			return ret;
		for (i = 0; i < n; i++) {
			ret = xe_sriov_sim_engine_mem_ccs(vf, dst + (u64)(blk + i) * BLOCK,
							  true, &dccs);
			if (ret)
				return ret;
			*dccs = in[i];
		}
		cond_resched();
	}
	return 0;
}

/* COPY|COMPRESS, RESOLVE, CTRL_SURF_COPY: block by block. */
static int copy_blocks(struct xe_sriov_sim_vf *vf, enum block_op op, u64 src,
		       u64 dst, u32 bytes, u64 addr)
{
	u8 *out = vf->engine.bounce;
	u32 blk, n = 0;
	int ret;

	if (!IS_ALIGNED(src, BLOCK) || !IS_ALIGNED(bytes, BLOCK) ||
	    (op != BLOCK_CTRL_SURF && !IS_ALIGNED(dst, BLOCK)))
		return xe_sriov_sim_engine_fault(vf,
						 XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT,
						 addr);

	for (blk = 0; blk < bytes / BLOCK; blk++) {
		ret = block_one(vf, op, src + (u64)blk * BLOCK,
				dst + (u64)blk * BLOCK, &out[n]);
		if (ret)
			return ret;
		if (op == BLOCK_CTRL_SURF && ++n == BLOCK) {
			ret = xe_sriov_sim_engine_mem_write(vf, dst + blk + 1 - n,
							    out, n);
			if (ret)
				return ret;
			n = 0;
		}
		if (blk % (GGTT_PAGE / BLOCK) == GGTT_PAGE / BLOCK - 1)
			cond_resched();
	}
	if (n)
		return xe_sriov_sim_engine_mem_write(vf, dst + blk - n, out, n);
	return 0;
}

/**
 * xe_sriov_sim_engine_cmd_exec() - execute one command
 * @vf: the VF
 * @cmd: the command, header checked by xe_sriov_sim_engine_cmd_len()
 * @addr: its address (the fault address of argument errors)
 * @batch: for XE_SRIOV_SIM_STEP_BATCH_START, the batch address
 * @units: budget units used; the command's copy cost is added
 *
 * Return: what the engine has to do next; on XE_SRIOV_SIM_STEP_FAULT the
 * fault is recorded.
 */
enum xe_sriov_sim_engine_step
xe_sriov_sim_engine_cmd_exec(struct xe_sriov_sim_vf *vf, const u32 *cmd,
			     u64 addr, u64 *batch, unsigned int *units)
{
	u32 op = XE_SRIOV_SIM_CMD_OPCODE(cmd[0]);

	switch (op) {
	case XE_SRIOV_SIM_OP_NOOP:
		return XE_SRIOV_SIM_STEP_NEXT;
	case XE_SRIOV_SIM_OP_STORE_SEQNO:
		vf->engine.last_seqno = cmd[3];
		fallthrough;
	case XE_SRIOV_SIM_OP_STORE_DWORD:
		return step_of(xe_sriov_sim_engine_mem_wr32(vf, addr64(cmd, 1),
							    cmd[3]));
	case XE_SRIOV_SIM_OP_USER_INTERRUPT:
		xe_sriov_sim_irq_raise(vf, XE_SRIOV_SIM_VF_IRQ_USER);
		return XE_SRIOV_SIM_STEP_NEXT;
	case XE_SRIOV_SIM_OP_BATCH_START:
		*batch = addr64(cmd, 1);
		/* A PPGTT batch starts only PPGTT batches. */
		if (vf->engine.space == XE_SRIOV_SIM_SPACE_PPGTT &&
		    !(cmd[0] & XE_SRIOV_SIM_BATCH_PPGTT)) {
			xe_sriov_sim_engine_fault(vf,
						  XE_SRIOV_SIM_ENGINE_FAULT_BAD_FLAGS,
						  addr);
			return XE_SRIOV_SIM_STEP_FAULT;
		}
		if (!IS_ALIGNED(*batch, 4)) {
			xe_sriov_sim_engine_fault(vf,
						  XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT,
						  addr);
			return XE_SRIOV_SIM_STEP_FAULT;
		}
		return XE_SRIOV_SIM_STEP_BATCH_START;
	case XE_SRIOV_SIM_OP_BATCH_END:
		return XE_SRIOV_SIM_STEP_BATCH_END;
	case XE_SRIOV_SIM_OP_SPIN_UNTIL:
		return spin_until(vf, cmd, addr);
	case XE_SRIOV_SIM_OP_COPY:
		*units += cmd[5] / GGTT_PAGE;
		if (cmd[0] & XE_SRIOV_SIM_COPY_COMPRESS)
			return step_of(copy_blocks(vf, BLOCK_COMPRESS,
						   addr64(cmd, 1), addr64(cmd, 3),
						   cmd[5], addr));
		return step_of(copy_plain(vf, addr64(cmd, 1), addr64(cmd, 3),
					  cmd[5]));
	case XE_SRIOV_SIM_OP_RESOLVE:
		*units += cmd[5] / GGTT_PAGE;
		return step_of(copy_blocks(vf, BLOCK_RESOLVE, addr64(cmd, 1),
					   addr64(cmd, 3), cmd[5], addr));
	case XE_SRIOV_SIM_OP_CTRL_SURF_COPY:
		*units += cmd[5] / GGTT_PAGE;
		if (cmd[0] & XE_SRIOV_SIM_CSC_TO_CCS)
			return step_of(ccs_from_mem(vf, addr64(cmd, 1),
						    addr64(cmd, 3), cmd[5], addr));
		return step_of(copy_blocks(vf, BLOCK_CTRL_SURF, addr64(cmd, 1),
					   addr64(cmd, 3), cmd[5], addr));
	default:
		/* The decoder lets no other opcode through. */
		xe_sriov_sim_engine_fault(vf, XE_SRIOV_SIM_ENGINE_FAULT_BAD_OPCODE,
					  addr);
		return XE_SRIOV_SIM_STEP_FAULT;
	}
}
