// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: engine
 *
 * Each VF has one engine (command streamer): a ring in its GGTT
 * (RING_START, RING_SIZE), a head the engine advances and a tail the VF
 * writes, a DOORBELL, a CONTEXT image address and a status (registers and
 * commands: include/uapi/xe_sriov_sim_engine.h).
 *
 * Execution. A DOORBELL write makes the engine busy and queues its work
 * item (a delayed_work on system_unbound_wq). The work item takes the VF's
 * state_lock and executes commands one at a time from RING_HEAD, or from
 * the current batch, until the head reaches RING_TAIL at ring level (idle),
 * a SPIN_UNTIL has to wait (the item is requeued a jiffy later), a command
 * faults (hung), or the run's budget of XE_SRIOV_SIM_ENGINE_BUDGET units
 * is spent (requeued at once, so other work runs in between; with the
 * module parameter engine_unit_ms, a run is one unit and the next comes
 * that much later: a slow engine for tests). Every loop
 * is bounded: a command is at most 6 dwords, a copy at most the GGTT
 * slice, BATCH_START nests at most XE_SRIOV_SIM_BATCH_DEPTH_MAX deep, and
 * a SPIN_UNTIL hangs the engine after engine_spin_limit iterations.
 *
 * The engine runs only while the GuC state is VF_READY or VF_RUNNING. In
 * any other state (paused, stopped, VF_RESFIX_BLOCKED) the work item does
 * nothing and a DOORBELL write is only remembered (kick pending); a resume
 * or RESFIX_DONE that lets the engine run again acts on it. Because the
 * work item holds state_lock across each command and each SPIN_UNTIL
 * check, a pause (which takes state_lock) always finds the engine at a
 * command boundary or between two iterations of a SPIN_UNTIL.
 *
 * Faults (see the engine memory DOC and the fault reasons in the uapi
 * header) hang the engine: state HUNG, the reason in ENGINE_STATUS, the
 * address in FAULT_ADDR, the head left on the faulting command, and the
 * ERROR interrupt. A hung engine ignores DOORBELL writes until an FLR,
 * which resets the engine and all its registers.
 *
 * Pause, save, restore and resume::
 *
 *   source VF                              target VF
 *   ---------                              ---------
 *   engine running (VF_RUNNING)
 *   PF pause / VFIO RUNNING -> RUNNING_P2P
 *     engine stops between two commands
 *     (or two SPIN_UNTIL iterations);
 *     context image written at CONTEXT
 *   save: GUC packet = GuC state +
 *     engine section (registers, head,
 *     batch positions, spin count, ...)  ->  restore: engine section checked
 *                                            and loaded as it is (GGTT
 *                                            addresses of the source);
 *                                            VF_RESFIX_PAUSED
 *                                          resume: VF_RESFIX_BLOCKED,
 *                                            MIGRATED interrupt; the engine
 *                                            is held, DOORBELL remembered
 *                                          VF: RESFIX_START(marker)
 *                                          VF: fixups, new GGTT base:
 *                                            RING_START, CONTEXT registers;
 *                                            GGTT addresses in the ring and
 *                                            batches, including the active
 *                                            BATCH_STARTs
 *                                          VF: RESFIX_DONE(marker)
 *                                            VF_RUNNING: the engine re-reads
 *                                            the BATCH_START of each active
 *                                            batch level, then continues at
 *                                            the saved head (no command
 *                                            replayed or skipped)
 *
 * The engine state holds no batch address: only the offsets of the next
 * command in the ring and in each batch level. A batch's address comes
 * from the BATCH_START that entered it, which sits just before the return
 * point in the parent level; after a restore the engine reads it again
 * (and faults if it is stale), so the ring space and batch bytes of an
 * active BATCH_START must stay in place until that batch returns, as a
 * request's ring space does on xe. A plain pause and resume keeps the
 * addresses it has.
 *
 * PPGTT batches (see the PPGTT walk DOC): the address space of each batch
 * level comes from its BATCH_START's PPGTT flag, re-read at the same
 * time. PPGTT_ROOT is engine state and travels in the engine section; the
 * page tables are in LMEM and move with it, and PPGTT addresses are the
 * same on any VF: nothing of a PPGTT batch is fixed up.
 *
 * Time slices. A kick can start work that never ends in practice (three
 * batch levels of NOOP sleds are some 1e13 commands), and the work item
 * runs on a kworker that no VF is charged for. So each VF's engine has a
 * budget per time slice: at most engine_slice_units units (a command, plus
 * one per 4 KiB copied) every engine_slice_ms. When a run finds the budget
 * of the current slice spent, the engine counts the slice as throttled and
 * requeues itself for the start of the next slice, so a busy VF takes a
 * bounded share of a CPU, other VFs' engines and the rest of the system
 * progress, and a pause or FLR of the busy VF finds state_lock free at
 * once. engine_slice_units = 0 turns the limit off.
 *
 * Locking: every function here runs under &xe_sriov_sim_vf.state_lock,
 * except xe_sriov_sim_engine_init(), xe_sriov_sim_engine_fini() and the
 * work item, which take it.
 */

#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include <uapi/xe_sriov_sim_ppgtt.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_engine.h"
#include "xe_sriov_sim_guc.h"
#include "xe_sriov_sim_fault.h"
#include "xe_sriov_sim_irq.h"
#include "xe_sriov_sim_ppgtt.h"

/* Budget of one run of the work item, in units (see the commands DOC). */
#define XE_SRIOV_SIM_ENGINE_BUDGET	256
/* Default budget per time slice (engine_slice_units). */
#define XE_SRIOV_SIM_ENGINE_SLICE_UNITS	4096

/*
 * A slow engine: one unit of work per engine_unit_ms, so that a migration
 * started right after a kick finds the work still running.
 */
static unsigned int engine_unit_ms;
module_param(engine_unit_ms, uint, 0644);
MODULE_PARM_DESC(engine_unit_ms,
		 "Run one unit of engine work per this many ms; 0 = as fast as the host runs it (default)");

/*
 * The per-VF budget per time slice (see the DOC above). With the defaults
 * a NOOP sled runs at about a fifth of what one TCG vCPU could execute
 * (some 300k commands/s); the suite's workloads (copies count a unit per
 * 4 KiB) rarely meet the limit.
 */
static unsigned int engine_slice_ms = 10;
module_param(engine_slice_ms, uint, 0644);
MODULE_PARM_DESC(engine_slice_ms,
		 "Length of an engine time slice in ms (default 10)");

static unsigned int engine_slice_units = XE_SRIOV_SIM_ENGINE_SLICE_UNITS;
module_param(engine_slice_units, uint, 0644);
MODULE_PARM_DESC(engine_slice_units,
		 "Units of work (commands, 4 KiB copied) a VF's engine may spend per time slice; 0 = no limit");

/* Bytes of a BATCH_START command. */
#define BATCH_START_BYTES	(4 * (1 + XE_SRIOV_SIM_LEN_BATCH_START))

static_assert(sizeof(struct xe_sriov_sim_engine_context) == 128);
static_assert(sizeof(struct xe_sriov_sim_engine_state) == 128);
static_assert(sizeof(struct xe_sriov_sim_guc_state) == 64);

static struct xe_sriov_sim_vf *engine_to_vf(struct xe_sriov_sim_engine *eng)
{
	return container_of(eng, struct xe_sriov_sim_vf, engine);
}

/* May the engine execute: the GuC lets the VF run. */
static bool may_run(struct xe_sriov_sim_vf *vf)
{
	return xe_sriov_sim_guc_engine_may_run(vf);
}

static bool ring_ok(struct xe_sriov_sim_engine *eng)
{
	return is_power_of_2(eng->ring_size) &&
	       eng->ring_size >= XE_SRIOV_SIM_RING_SIZE_MIN &&
	       eng->ring_size <= XE_SRIOV_SIM_RING_SIZE_MAX &&
	       eng->ring_head < eng->ring_size &&
	       eng->ring_tail < eng->ring_size;
}

static void queue(struct xe_sriov_sim_engine *eng, unsigned long delay)
{
	if (!eng->dead)
		queue_delayed_work(system_unbound_wq, &eng->work, delay);
}

static void hang(struct xe_sriov_sim_vf *vf)
{
	vf->engine.state = XE_SRIOV_SIM_ENGINE_RUN_HUNG;
	vf->engine.kick_pending = false;
	xe_sriov_sim_irq_raise(vf, XE_SRIOV_SIM_VF_IRQ_ERROR);
}

/*
 * GGTT address of dword @i of the command at byte @pos of level @level
 * (0: the ring, which wraps).
 */
static u64 cmd_dw_addr(struct xe_sriov_sim_engine *eng, unsigned int level,
		       u32 pos, unsigned int i)
{
	if (!level)
		return eng->ring_start + ((pos + 4 * i) & (eng->ring_size - 1));
	return eng->batch_base[level - 1] + pos + 4 * i;
}

static u32 *cur_pos(struct xe_sriov_sim_engine *eng)
{
	return eng->depth ? &eng->batch_pos[eng->depth - 1] : &eng->ring_head;
}

/* Address space of @level: the ring is GGTT, a batch as it was entered. */
static u32 level_space(struct xe_sriov_sim_engine *eng, unsigned int level)
{
	if (level && (eng->batch_ppgtt & BIT(level - 1)))
		return XE_SRIOV_SIM_SPACE_PPGTT;
	return XE_SRIOV_SIM_SPACE_GGTT;
}

/*
 * Read dwords @first..@end - 1 of the command at byte @pos of @level. The
 * engine's accesses are in @level's space from here on: the command's
 * operands are too.
 */
static int read_cmd(struct xe_sriov_sim_vf *vf, unsigned int level, u32 pos,
		    u32 *cmd, unsigned int first, unsigned int end)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;
	unsigned int i;
	int ret;

	xe_sriov_sim_engine_set_space(vf, level_space(eng, level));
	for (i = first; i < end; i++) {
		ret = xe_sriov_sim_engine_mem_rd32(vf,
						   cmd_dw_addr(eng, level, pos, i),
						   &cmd[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* Batch level @index + 1 is in the space its BATCH_START @dw0 asks for. */
static void set_batch_space(struct xe_sriov_sim_engine *eng,
			    unsigned int index, u32 dw0)
{
	if (dw0 & XE_SRIOV_SIM_BATCH_PPGTT)
		eng->batch_ppgtt |= BIT(index);
	else
		eng->batch_ppgtt &= ~BIT(index);
}

/*
 * After a restore: find the address and address space of each active batch
 * again, from the BATCH_START just before its return point (the VF has
 * patched GGTT ones; PPGTT ones need no patch).
 */
static int rebase(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;
	u32 cmd[1 + XE_SRIOV_SIM_LEN_BATCH_START];
	unsigned int level;
	u32 pos;
	int ret;

	for (level = 0; level < eng->depth; level++) {
		if (!level) {
			if (!ring_ok(eng))
				return xe_sriov_sim_engine_fault(vf,
								 XE_SRIOV_SIM_ENGINE_FAULT_BAD_RING,
								 eng->ring_start);
			pos = (eng->ring_head - BATCH_START_BYTES) &
			      (eng->ring_size - 1);
		} else {
			pos = eng->batch_pos[level - 1] - BATCH_START_BYTES;
		}
		ret = read_cmd(vf, level, pos, cmd, 0, ARRAY_SIZE(cmd));
		if (ret)
			return ret;
		if ((cmd[0] & ~XE_SRIOV_SIM_BATCH_PPGTT) !=
		    XE_SRIOV_SIM_CMD(XE_SRIOV_SIM_OP_BATCH_START, 0,
				     XE_SRIOV_SIM_LEN_BATCH_START))
			return xe_sriov_sim_engine_fault(vf,
							 XE_SRIOV_SIM_ENGINE_FAULT_BAD_OPCODE,
							 cmd_dw_addr(eng, level, pos, 0));
		if (level_space(eng, level) == XE_SRIOV_SIM_SPACE_PPGTT &&
		    !(cmd[0] & XE_SRIOV_SIM_BATCH_PPGTT))
			return xe_sriov_sim_engine_fault(vf,
							 XE_SRIOV_SIM_ENGINE_FAULT_BAD_FLAGS,
							 cmd_dw_addr(eng, level, pos, 0));
		set_batch_space(eng, level, cmd[0]);
		eng->batch_base[level] = cmd[1] | (u64)cmd[2] << 32;
		if (!IS_ALIGNED(eng->batch_base[level], 4))
			return xe_sriov_sim_engine_fault(vf,
							 XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT,
							 cmd_dw_addr(eng, level, pos, 0));
	}
	eng->rebase = false;
	return 0;
}

/* Advance the current level past a command of @ndw dwords. */
static void advance(struct xe_sriov_sim_engine *eng, unsigned int ndw)
{
	if (eng->depth)
		eng->batch_pos[eng->depth - 1] += 4 * ndw;
	else
		eng->ring_head = (eng->ring_head + 4 * ndw) &
				 (eng->ring_size - 1);
}

/* Fetch and execute the next command. */
static enum xe_sriov_sim_engine_step step(struct xe_sriov_sim_vf *vf,
					  unsigned int *units, bool *idle)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;
	u32 cmd[XE_SRIOV_SIM_CMD_MAX_DWORDS];
	enum xe_sriov_sim_engine_step next;
	unsigned int level = eng->depth;
	u32 pos = *cur_pos(eng), reason;
	u64 addr, batch = 0;
	int len;

	*idle = false;
	if (!eng->depth) {
		if (!ring_ok(eng)) {
			xe_sriov_sim_engine_fault(vf, XE_SRIOV_SIM_ENGINE_FAULT_BAD_RING,
						  eng->ring_start);
			return XE_SRIOV_SIM_STEP_FAULT;
		}
		if (eng->ring_head == eng->ring_tail) {
			*idle = true;
			return XE_SRIOV_SIM_STEP_NEXT;
		}
	}

	addr = cmd_dw_addr(eng, eng->depth, pos, 0);
	if (read_cmd(vf, eng->depth, pos, cmd, 0, 1))
		return XE_SRIOV_SIM_STEP_FAULT;
	len = xe_sriov_sim_engine_cmd_len(cmd[0], &reason);
	if (len < 0) {
		xe_sriov_sim_engine_fault(vf, reason, addr);
		return XE_SRIOV_SIM_STEP_FAULT;
	}
	if (!eng->depth &&
	    4 * (1 + len) > ((eng->ring_tail - pos) & (eng->ring_size - 1))) {
		xe_sriov_sim_engine_fault(vf, XE_SRIOV_SIM_ENGINE_FAULT_TRUNCATED,
					  addr);
		return XE_SRIOV_SIM_STEP_FAULT;
	}
	/* dword 0 is not read again: it is what was checked. */
	if (read_cmd(vf, eng->depth, pos, cmd, 1, 1 + len))
		return XE_SRIOV_SIM_STEP_FAULT;

	(*units)++;
	next = xe_sriov_sim_engine_cmd_exec(vf, cmd, addr, &batch, units);
	switch (next) {
	case XE_SRIOV_SIM_STEP_NEXT:
		advance(eng, 1 + len);
		break;
	case XE_SRIOV_SIM_STEP_BATCH_START:
		if (eng->depth == XE_SRIOV_SIM_BATCH_DEPTH_MAX) {
			xe_sriov_sim_engine_fault(vf,
						  XE_SRIOV_SIM_ENGINE_FAULT_BATCH_DEPTH,
						  addr);
			return XE_SRIOV_SIM_STEP_FAULT;
		}
		advance(eng, 1 + len);
		set_batch_space(eng, eng->depth, cmd[0]);
		eng->batch_base[eng->depth] = batch;
		eng->batch_pos[eng->depth] = 0;
		eng->depth++;
		break;
	case XE_SRIOV_SIM_STEP_BATCH_END:
		if (!eng->depth) {
			xe_sriov_sim_engine_fault(vf,
						  XE_SRIOV_SIM_ENGINE_FAULT_BATCH_END,
						  addr);
			return XE_SRIOV_SIM_STEP_FAULT;
		}
		eng->depth--;
		eng->batch_base[eng->depth] = 0;
		eng->batch_pos[eng->depth] = 0;
		eng->batch_ppgtt &= ~BIT(eng->depth);
		break;
	default:
		return next;
	}
	/* A SPIN_UNTIL's count only lives while it waits at the head. */
	eng->spin_iterations = 0;
	eng->cmds_executed++;
	eng->prev_depth = level;
	eng->prev_pos = pos;
	eng->prev_valid = true;
	return XE_SRIOV_SIM_STEP_NEXT;
}

/*
 * Units the engine may still spend in this time slice (a new slice starts
 * when the last one has passed); U32_MAX without a limit.
 */
static u32 slice_left(struct xe_sriov_sim_engine *eng, unsigned long now,
		      unsigned long slice, u32 limit)
{
	if (!limit)
		return U32_MAX;
	if (time_after_eq(now, eng->slice_start + slice)) {
		eng->slice_start = now;
		eng->slice_units = 0;
	}
	return limit > eng->slice_units ? limit - eng->slice_units : 0;
}

/* Budget of this slice spent: wait for the next one. */
static void throttle(struct xe_sriov_sim_engine *eng, unsigned long now,
		     unsigned long slice)
{
	unsigned long next = eng->slice_start + slice;

	eng->throttled++;
	queue(eng, time_after(next, now) ? next - now : 1);
}

static void engine_work(struct work_struct *work)
{
	struct xe_sriov_sim_engine *eng =
		container_of(to_delayed_work(work), struct xe_sriov_sim_engine,
			     work);
	struct xe_sriov_sim_vf *vf = engine_to_vf(eng);
	unsigned int units = 0, unit_ms = READ_ONCE(engine_unit_ms);
	unsigned long now = jiffies;
	unsigned long slice = max(msecs_to_jiffies(READ_ONCE(engine_slice_ms)), 1UL);
	u32 limit = READ_ONCE(engine_slice_units), left, budget;
	bool idle;

	mutex_lock(&vf->state_lock);
	if (eng->dead || eng->state != XE_SRIOV_SIM_ENGINE_RUN_BUSY ||
	    !may_run(vf))
		goto out;
	left = slice_left(eng, now, slice, limit);
	if (!left) {
		throttle(eng, now, slice);
		goto out;
	}
	if (eng->rebase && rebase(vf)) {
		hang(vf);
		goto out;
	}

	budget = min_t(u32, unit_ms ? 1 : XE_SRIOV_SIM_ENGINE_BUDGET, left);
	while (units < budget) {
		switch (step(vf, &units, &idle)) {
		case XE_SRIOV_SIM_STEP_NEXT:
			if (idle) {
				eng->state = XE_SRIOV_SIM_ENGINE_RUN_IDLE;
				goto out;
			}
			break;
		case XE_SRIOV_SIM_STEP_WAIT:
			queue(eng, 1);
			goto out;
		default:
			hang(vf);
			goto out;
		}
	}
	/* Budget spent: let others run (or the unit's time pass), then go on. */
	if (limit && units >= left)
		throttle(eng, now, slice);
	else
		queue(eng, unit_ms ? msecs_to_jiffies(unit_ms) : 0);
out:
	if (limit)
		eng->slice_units += units;
	mutex_unlock(&vf->state_lock);
}

/* Act on a kick, or remember it while the engine may not run. */
static void kick(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;

	if (eng->state == XE_SRIOV_SIM_ENGINE_RUN_HUNG)
		return;
	if (!may_run(vf)) {
		eng->kick_pending = true;
		return;
	}
	eng->kick_pending = false;
	eng->state = XE_SRIOV_SIM_ENGINE_RUN_BUSY;
	queue(eng, 0);
}

/**
 * xe_sriov_sim_engine_init() - set up the engine of a new VF
 * @vf: the VF, not yet visible
 */
void xe_sriov_sim_engine_init(struct xe_sriov_sim_vf *vf)
{
	INIT_DELAYED_WORK(&vf->engine.work, engine_work);
	xe_sriov_sim_engine_reset(vf);
}

/**
 * xe_sriov_sim_engine_fini() - stop the engine of a VF for good
 * @vf: the VF, being removed; its device is closed
 *
 * Takes state_lock; the work item is idle when this returns.
 */
void xe_sriov_sim_engine_fini(struct xe_sriov_sim_vf *vf)
{
	mutex_lock(&vf->state_lock);
	vf->engine.dead = true;
	mutex_unlock(&vf->state_lock);
	cancel_delayed_work_sync(&vf->engine.work);
}

/**
 * xe_sriov_sim_engine_reset() - the engine side of an FLR
 * @vf: the VF
 *
 * Idle, registers (PPGTT_ROOT too) and counters zero, fault cleared,
 * nothing pending, no system-memory page pinned any more. A queued work
 * item finds nothing to do.
 */
void xe_sriov_sim_engine_reset(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;
	bool dead = eng->dead;

	xe_sriov_sim_dma_reset(vf);
	memset_after(eng, 0, work);
	eng->dead = dead;
	eng->state = XE_SRIOV_SIM_ENGINE_RUN_IDLE;
}

static u32 status(struct xe_sriov_sim_vf *vf, bool running)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;
	u32 val;

	if (eng->state == XE_SRIOV_SIM_ENGINE_RUN_HUNG)
		val = XE_SRIOV_SIM_ENGINE_STATE_HUNG;
	else if (!running)
		val = XE_SRIOV_SIM_ENGINE_STATE_PAUSED;
	else if (eng->state == XE_SRIOV_SIM_ENGINE_RUN_BUSY)
		val = XE_SRIOV_SIM_ENGINE_STATE_RUNNING;
	else
		val = XE_SRIOV_SIM_ENGINE_STATE_IDLE;

	if (eng->state == XE_SRIOV_SIM_ENGINE_RUN_BUSY)
		val |= XE_SRIOV_SIM_ENGINE_STATUS_BUSY;
	if (eng->spin_iterations)
		val |= XE_SRIOV_SIM_ENGINE_STATUS_SPINNING;
	if (eng->kick_pending)
		val |= XE_SRIOV_SIM_ENGINE_STATUS_KICK_PENDING;
	val |= eng->depth << XE_SRIOV_SIM_ENGINE_STATUS_DEPTH_SHIFT;
	val |= (eng->fault_reason << XE_SRIOV_SIM_ENGINE_STATUS_FAULT_SHIFT) &
	       XE_SRIOV_SIM_ENGINE_STATUS_FAULT_MASK;
	return val;
}

/* Write the context image; a fault hangs the engine. */
static void context_save(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;
	struct xe_sriov_sim_engine_context img = {};
	unsigned int i;
	u32 space;
	int ret;

	img.magic = cpu_to_le32(XE_SRIOV_SIM_ENGINE_CONTEXT_MAGIC);
	img.saves = cpu_to_le32(eng->ctx_saves + 1);
	img.ring_start = cpu_to_le32(eng->ring_start);
	img.ring_size = cpu_to_le32(eng->ring_size);
	img.ring_head = cpu_to_le32(eng->ring_head);
	img.ring_tail = cpu_to_le32(eng->ring_tail);
	img.status = cpu_to_le32(status(vf, true));
	img.depth = cpu_to_le32(eng->depth);
	for (i = 0; i < eng->depth; i++) {
		img.batch_addr[i] = cpu_to_le32(eng->batch_base[i]);
		img.batch_pos[i] = cpu_to_le32(eng->batch_pos[i]);
	}
	img.spin_iterations = cpu_to_le32(eng->spin_iterations);
	img.last_seqno = cpu_to_le32(eng->last_seqno);
	img.ppgtt_root_lo = cpu_to_le32(lower_32_bits(eng->ppgtt_root));
	img.ppgtt_root_hi = cpu_to_le32(upper_32_bits(eng->ppgtt_root));
	img.batch_ppgtt = cpu_to_le32(eng->batch_ppgtt);

	/* The context image is GGTT addressed. */
	space = xe_sriov_sim_engine_set_space(vf, XE_SRIOV_SIM_SPACE_GGTT);
	ret = xe_sriov_sim_engine_mem_write(vf, eng->context, &img, sizeof(img));
	xe_sriov_sim_engine_set_space(vf, space);
	if (ret) {
		hang(vf);
		return;
	}
	eng->ctx_saves++;
}

/**
 * xe_sriov_sim_engine_pause() - the PF is about to pause the VF
 * @vf: the VF, in the GuC state it is leaving
 *
 * If the engine was allowed to run, it is stopped here (the caller holds
 * state_lock, so it is between two commands) and, unless hung or without
 * a CONTEXT, writes its context image: a context switch out.
 */
void xe_sriov_sim_engine_pause(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;

	if (!may_run(vf) || !eng->context ||
	    eng->state == XE_SRIOV_SIM_ENGINE_RUN_HUNG)
		return;
	/* Batch addresses are not known yet after a restore: none to save. */
	if (eng->rebase)
		return;
	context_save(vf);
}

/**
 * xe_sriov_sim_engine_update() - the GuC state of the VF changed
 * @vf: the VF
 *
 * Called after a resume and after RESFIX_DONE: if the engine may run now,
 * a remembered kick is acted on and a busy engine goes on.
 */
void xe_sriov_sim_engine_update(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;

	if (!may_run(vf))
		return;
	if (eng->kick_pending)
		kick(vf);
	else if (eng->state == XE_SRIOV_SIM_ENGINE_RUN_BUSY)
		queue(eng, 0);
}

/**
 * xe_sriov_sim_engine_reg_read() - read an engine register
 * @vf: the VF
 * @reg: XE_SRIOV_SIM_ENGINE_REG_FIRST..XE_SRIOV_SIM_ENGINE_REG_LAST
 *
 * Return: its value.
 */
u32 xe_sriov_sim_engine_reg_read(struct xe_sriov_sim_vf *vf, u32 reg)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;

	switch (reg) {
	case XE_SRIOV_SIM_RING_TAIL:
		return eng->ring_tail;
	case XE_SRIOV_SIM_RING_HEAD:
		return eng->ring_head;
	case XE_SRIOV_SIM_RING_START:
		return eng->ring_start;
	case XE_SRIOV_SIM_RING_SIZE:
		return eng->ring_size;
	case XE_SRIOV_SIM_ENGINE_DOORBELL:
		return eng->kick_pending ? XE_SRIOV_SIM_DOORBELL_PENDING : 0;
	case XE_SRIOV_SIM_ENGINE_CONTEXT:
		return eng->context;
	case XE_SRIOV_SIM_ENGINE_STATUS:
		return status(vf, may_run(vf));
	case XE_SRIOV_SIM_ENGINE_FAULT_ADDR_LO:
		return lower_32_bits(eng->fault_addr);
	case XE_SRIOV_SIM_ENGINE_FAULT_ADDR_HI:
		return upper_32_bits(eng->fault_addr);
	case XE_SRIOV_SIM_PPGTT_ROOT_LO:
		return lower_32_bits(eng->ppgtt_root);
	case XE_SRIOV_SIM_PPGTT_ROOT_HI:
		return upper_32_bits(eng->ppgtt_root);
	default:
		return 0;
	}
}

/**
 * xe_sriov_sim_engine_reg_write() - write an engine register
 * @vf: the VF
 * @reg: XE_SRIOV_SIM_ENGINE_REG_FIRST..XE_SRIOV_SIM_ENGINE_REG_LAST
 * @val: the value; read-only registers ignore it
 */
void xe_sriov_sim_engine_reg_write(struct xe_sriov_sim_vf *vf, u32 reg,
				   u32 val)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;
	u64 root;

	switch (reg) {
	case XE_SRIOV_SIM_RING_TAIL:
		eng->ring_tail = val & ~3u;
		break;
	case XE_SRIOV_SIM_RING_START:
		eng->ring_start = val & XE_SRIOV_SIM_RING_START_MASK;
		break;
	case XE_SRIOV_SIM_RING_SIZE:
		eng->ring_size = val;
		break;
	case XE_SRIOV_SIM_ENGINE_DOORBELL:
		kick(vf);
		break;
	case XE_SRIOV_SIM_ENGINE_CONTEXT:
		eng->context = val & XE_SRIOV_SIM_ENGINE_CONTEXT_MASK;
		break;
	case XE_SRIOV_SIM_PPGTT_ROOT_LO:
		root = (eng->ppgtt_root & GENMASK_ULL(63, 32)) | val;
		eng->ppgtt_root = xe_sriov_sim_ppgtt_root(root);
		break;
	case XE_SRIOV_SIM_PPGTT_ROOT_HI:
		root = lower_32_bits(eng->ppgtt_root) | (u64)val << 32;
		eng->ppgtt_root = xe_sriov_sim_ppgtt_root(root);
		break;
	default:
		break;
	}
}

/**
 * xe_sriov_sim_engine_save_size() - bytes of the GUC packet's engine section
 *
 * Return: sizeof(struct xe_sriov_sim_engine_state).
 */
size_t xe_sriov_sim_engine_save_size(void)
{
	return sizeof(struct xe_sriov_sim_engine_state);
}

/* Read dword 0 at @pos of the current level, leaving no fault behind. */
static int peek_cmd(struct xe_sriov_sim_vf *vf, u32 pos, u32 *dw0)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;
	u32 reason = eng->fault_reason;
	u64 addr = eng->fault_addr;
	int ret = read_cmd(vf, eng->depth, pos, dw0, 0, 1);

	eng->fault_reason = reason;
	eng->fault_addr = addr;
	return ret;
}

/*
 * Faults cmd-lost and cmd-replay: the saved position of the current level
 * one command ahead or back. The live engine is untouched, so only a
 * restore of this stream goes wrong; an engine without a command there
 * (idle, batch addresses unknown, no earlier command at this level) is
 * saved as it is.
 */
static void save_shifted(struct xe_sriov_sim_vf *vf,
			 struct xe_sriov_sim_engine_state *st)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;
	u32 pos = *cur_pos(eng), dw0, reason;
	int len;

	if (eng->state != XE_SRIOV_SIM_ENGINE_RUN_BUSY || (eng->depth && eng->rebase))
		return;
	if (xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_CMD_REPLAY)) {
		if (!eng->prev_valid || eng->prev_depth != eng->depth)
			return;
		pos = eng->prev_pos;
	} else if (xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_CMD_LOST)) {
		if (!eng->depth && eng->ring_head == eng->ring_tail)
			return;
		if (!eng->depth && !ring_ok(eng))
			return;
		if (peek_cmd(vf, pos, &dw0))
			return;
		len = xe_sriov_sim_engine_cmd_len(dw0, &reason);
		if (len < 0)
			return;
		pos += 4 * (1 + len);
		if (!eng->depth)
			pos &= eng->ring_size - 1;
	} else {
		return;
	}
	st->spin_iterations = 0;
	if (eng->depth)
		st->batch_pos[eng->depth - 1] = cpu_to_le32(pos);
	else
		st->ring_head = cpu_to_le32(pos);
}

/**
 * xe_sriov_sim_engine_save() - serialise the engine of a paused VF
 * @vf: the VF
 * @buf: xe_sriov_sim_engine_save_size() bytes
 */
void xe_sriov_sim_engine_save(struct xe_sriov_sim_vf *vf, void *buf)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;
	struct xe_sriov_sim_engine_state *st = buf;
	unsigned int i;

	memset(st, 0, sizeof(*st));
	st->magic = cpu_to_le32(XE_SRIOV_SIM_ENGINE_STATE_MAGIC);
	st->size = cpu_to_le32(sizeof(*st));
	st->state = cpu_to_le32(eng->state);
	st->flags = cpu_to_le32(eng->kick_pending ?
				XE_SRIOV_SIM_ENGINE_STATE_F_KICK_PENDING : 0);
	st->ring_start = cpu_to_le32(eng->ring_start);
	st->ring_size = cpu_to_le32(eng->ring_size);
	st->ring_head = cpu_to_le32(eng->ring_head);
	st->ring_tail = cpu_to_le32(eng->ring_tail);
	st->context = cpu_to_le32(eng->context);
	st->depth = cpu_to_le32(eng->depth);
	for (i = 0; i < eng->depth; i++)
		st->batch_pos[i] = cpu_to_le32(eng->batch_pos[i]);
	st->spin_iterations = cpu_to_le32(eng->spin_iterations);
	st->fault_reason = cpu_to_le32(eng->fault_reason);
	st->last_seqno = cpu_to_le32(eng->last_seqno);
	st->fault_addr = cpu_to_le64(eng->fault_addr);
	st->cmds_executed = cpu_to_le64(eng->cmds_executed);
	st->ctx_saves = cpu_to_le32(eng->ctx_saves);
	st->ppgtt_root_lo = cpu_to_le32(lower_32_bits(eng->ppgtt_root));
	st->ppgtt_root_hi = cpu_to_le32(upper_32_bits(eng->ppgtt_root));
	save_shifted(vf, st);
}

/**
 * xe_sriov_sim_engine_check() - validate a saved engine section
 * @buf: the section
 * @size: bytes at @buf
 *
 * Accepts exactly what xe_sriov_sim_engine_save() can produce: the magic
 * and size, a known state and flags, register values as the registers
 * keep them (RING_START 4K aligned, CONTEXT 64-byte aligned, head and tail
 * dword aligned, head inside the largest ring), at most
 * XE_SRIOV_SIM_BATCH_DEPTH_MAX levels with dword aligned positions (room
 * for a BATCH_START before the return point of each inner level, zero past
 * the depth), idle only at ring level without a spin, a fault reason iff
 * hung, no kick pending on a hung engine, PPGTT_ROOT with only the bits
 * the register keeps, reserved fields zero.
 *
 * Return: 0 or -EINVAL.
 */
int xe_sriov_sim_engine_check(const void *buf, size_t size)
{
	const struct xe_sriov_sim_engine_state *st = buf;
	u32 state, depth, reason, flags, pos;
	unsigned int i;
	u64 root;

	if (size < sizeof(*st) ||
	    le32_to_cpu(st->magic) != XE_SRIOV_SIM_ENGINE_STATE_MAGIC ||
	    le32_to_cpu(st->size) != sizeof(*st))
		return -EINVAL;

	state = le32_to_cpu(st->state);
	depth = le32_to_cpu(st->depth);
	reason = le32_to_cpu(st->fault_reason);
	flags = le32_to_cpu(st->flags);
	if (state > XE_SRIOV_SIM_ENGINE_RUN_HUNG ||
	    flags & ~XE_SRIOV_SIM_ENGINE_STATE_F_KICK_PENDING ||
	    depth > XE_SRIOV_SIM_BATCH_DEPTH_MAX ||
	    reason > XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_DMA)
		return -EINVAL;
	root = le32_to_cpu(st->ppgtt_root_lo) |
	       (u64)le32_to_cpu(st->ppgtt_root_hi) << 32;
	if (root != xe_sriov_sim_ppgtt_root(root))
		return -EINVAL;
	if (le32_to_cpu(st->ring_start) & ~XE_SRIOV_SIM_RING_START_MASK ||
	    le32_to_cpu(st->context) & ~XE_SRIOV_SIM_ENGINE_CONTEXT_MASK ||
	    le32_to_cpu(st->ring_tail) & 3 ||
	    le32_to_cpu(st->ring_head) & 3 ||
	    le32_to_cpu(st->ring_head) >= XE_SRIOV_SIM_RING_SIZE_MAX)
		return -EINVAL;
	for (i = 0; i < XE_SRIOV_SIM_BATCH_DEPTH_MAX; i++) {
		pos = le32_to_cpu(st->batch_pos[i]);
		if (pos & 3 || (i >= depth && pos) ||
		    (i + 1 < depth && pos < BATCH_START_BYTES))
			return -EINVAL;
	}
	if (state == XE_SRIOV_SIM_ENGINE_RUN_IDLE &&
	    (depth || le32_to_cpu(st->spin_iterations)))
		return -EINVAL;
	if (state == XE_SRIOV_SIM_ENGINE_RUN_HUNG ? !reason : reason)
		return -EINVAL;
	if (state == XE_SRIOV_SIM_ENGINE_RUN_HUNG && flags)
		return -EINVAL;
	if (memchr_inv(st->reserved, 0, sizeof(st->reserved)))
		return -EINVAL;
	return 0;
}

/**
 * xe_sriov_sim_engine_restore() - load a checked engine section
 * @vf: the paused target VF
 * @buf: a section xe_sriov_sim_engine_check() accepted
 *
 * The registers get the saved values as they are: the GGTT addresses are
 * the source's until the VF fixes them; PPGTT_ROOT is an LMEM offset and
 * needs no fix. The batch addresses and spaces are unknown until the
 * engine next runs and reads the active BATCH_STARTs again.
 */
void xe_sriov_sim_engine_restore(struct xe_sriov_sim_vf *vf, const void *buf)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;
	const struct xe_sriov_sim_engine_state *st = buf;
	unsigned int i;

	xe_sriov_sim_engine_reset(vf);
	eng->state = le32_to_cpu(st->state);
	eng->kick_pending = le32_to_cpu(st->flags) &
			    XE_SRIOV_SIM_ENGINE_STATE_F_KICK_PENDING;
	eng->ring_start = le32_to_cpu(st->ring_start);
	eng->ring_size = le32_to_cpu(st->ring_size);
	eng->ring_head = le32_to_cpu(st->ring_head);
	eng->ring_tail = le32_to_cpu(st->ring_tail);
	eng->context = le32_to_cpu(st->context);
	eng->depth = le32_to_cpu(st->depth);
	for (i = 0; i < eng->depth; i++)
		eng->batch_pos[i] = le32_to_cpu(st->batch_pos[i]);
	eng->rebase = eng->depth > 0;
	eng->spin_iterations = le32_to_cpu(st->spin_iterations);
	eng->fault_reason = le32_to_cpu(st->fault_reason);
	eng->last_seqno = le32_to_cpu(st->last_seqno);
	eng->fault_addr = le64_to_cpu(st->fault_addr);
	eng->cmds_executed = le64_to_cpu(st->cmds_executed);
	eng->ctx_saves = le32_to_cpu(st->ctx_saves);
	eng->ppgtt_root = le32_to_cpu(st->ppgtt_root_lo) |
			  (u64)le32_to_cpu(st->ppgtt_root_hi) << 32;
}

static const char * const state_names[] = {
	[XE_SRIOV_SIM_ENGINE_STATE_IDLE] = "IDLE",
	[XE_SRIOV_SIM_ENGINE_STATE_RUNNING] = "RUNNING",
	[XE_SRIOV_SIM_ENGINE_STATE_PAUSED] = "PAUSED",
	[XE_SRIOV_SIM_ENGINE_STATE_HUNG] = "HUNG",
};

/**
 * xe_sriov_sim_engine_print() - the debugfs view of the engine
 * @vf: the VF
 * @m: where to print "key: value" lines
 */
void xe_sriov_sim_engine_print(struct xe_sriov_sim_vf *vf, struct seq_file *m)
{
	struct xe_sriov_sim_engine *eng = &vf->engine;
	u32 val = status(vf, may_run(vf));
	unsigned int i;

	seq_printf(m, "state: %s\n",
		   state_names[val & XE_SRIOV_SIM_ENGINE_STATE_MASK]);
	seq_printf(m, "status: %#x\n", val);
	seq_printf(m, "busy: %u\n", eng->state == XE_SRIOV_SIM_ENGINE_RUN_BUSY);
	seq_printf(m, "kick_pending: %u\n", eng->kick_pending);
	seq_printf(m, "ring_start: %#x\n", eng->ring_start);
	seq_printf(m, "ring_size: %#x\n", eng->ring_size);
	seq_printf(m, "head: %#x\n", eng->ring_head);
	seq_printf(m, "tail: %#x\n", eng->ring_tail);
	seq_printf(m, "context: %#x\n", eng->context);
	seq_printf(m, "batch_depth: %u\n", eng->depth);
	for (i = 0; i < eng->depth; i++) {
		if (eng->rebase)
			seq_printf(m, "batch%u: base ? pos %#x\n", i + 1,
				   eng->batch_pos[i]);
		else
			seq_printf(m, "batch%u: base %#llx pos %#x%s\n", i + 1,
				   eng->batch_base[i], eng->batch_pos[i],
				   eng->batch_ppgtt & BIT(i) ? " ppgtt" : "");
	}
	seq_printf(m, "spin_iterations: %u\n", eng->spin_iterations);
	seq_printf(m, "last_fault: %s addr %#llx\n",
		   xe_sriov_sim_engine_fault_name(eng->fault_reason),
		   eng->fault_addr);
	seq_printf(m, "commands_executed: %llu\n", eng->cmds_executed);
	seq_printf(m, "last_seqno: %#x\n", eng->last_seqno);
	seq_printf(m, "context_saves: %u\n", eng->ctx_saves);
	seq_printf(m, "slices_throttled: %llu\n", eng->throttled);
	seq_printf(m, "ppgtt_root: %#llx\n", eng->ppgtt_root);
	xe_sriov_sim_dma_print(vf, m);
}
