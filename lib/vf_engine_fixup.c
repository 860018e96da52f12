// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The engine's post-migration fixups, run by vf_driver_recover() between
 * RESFIX_START and RESFIX_DONE while the engine is held: the contract of
 * kernel/xe_sriov_sim/README.md ("Pause, migration and fixups"), step by
 * step as vf_engine.h lists it. Every inconsistency is an error with a
 * message in e->error: a fixup that guesses would turn a restore bug into
 * a silent wrong result later.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "uapi/xe_sriov_sim_ppgtt.h"
#include "uapi/xe_sriov_sim_regs.h"
#include "vf_cmd.h"
#include "vf_engine.h"

/* Bytes of a BATCH_START: header and a 64-bit address. */
#define BB_BYTES (4u * (1 + XE_SRIOV_SIM_LEN_BATCH_START))

/* The engine registers the fixups read, as restored. */
struct regs {
	uint32_t ring_start, context, head, tail, status;
};

static int fail(struct vf_engine *e, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->error, sizeof(e->error), fmt, ap);
	va_end(ap);
	return err;
}

static int read_regs(struct vf_engine *e, struct regs *r)
{
	const struct vf_io *io = &e->drv->io;
	int err;

	err = vf_io_read32(io, XE_SRIOV_SIM_RING_START, &r->ring_start);
	err = err ?: vf_io_read32(io, XE_SRIOV_SIM_ENGINE_CONTEXT, &r->context);
	err = err ?: vf_io_read32(io, XE_SRIOV_SIM_RING_HEAD, &r->head);
	err = err ?: vf_io_read32(io, XE_SRIOV_SIM_RING_TAIL, &r->tail);
	err = err ?: vf_io_read32(io, XE_SRIOV_SIM_ENGINE_STATUS, &r->status);
	return err ? fail(e, err, "reading the engine registers: %s", strerror(-err)) : 0;
}

/* Step 1: the registers holding GGTT addresses. */
static int fix_registers(struct vf_engine *e, const struct regs *r, int64_t shift)
{
	const struct vf_io *io = &e->drv->io;
	uint64_t ring = vf_bo_ggtt(e->drv, &e->ring), ctx = vf_bo_ggtt(e->drv, &e->ctx);
	uint32_t start = (uint32_t)(r->ring_start + shift);
	int err;

	if (start != ring)
		return fail(e, -EPROTO,
			    "restored RING_START %#x + shift %lld = %#x, but the ring is at GGTT %#llx: the engine state does not match this driver's",
			    r->ring_start, (long long)shift, start, (unsigned long long)ring);
	if (r->context && (uint32_t)(r->context + shift) != ctx)
		return fail(e, -EPROTO,
			    "restored CONTEXT %#x + shift %lld is not the context image at GGTT %#llx",
			    r->context, (long long)shift, (unsigned long long)ctx);
	if (r->tail != e->submitted)
		return fail(e, -EPROTO, "restored RING_TAIL %#x, but the driver kicked up to %#x",
			    r->tail, e->submitted);
	err = vf_io_write32(io, XE_SRIOV_SIM_RING_START, start);
	if (!err && r->context)
		err = vf_io_write32(io, XE_SRIOV_SIM_ENGINE_CONTEXT, (uint32_t)(r->context + shift));
	return err ? fail(e, err, "writing RING_START/CONTEXT: %s", strerror(-err)) : 0;
}

static struct vf_cmd_stream ring_stream(const struct vf_engine *e)
{
	return (struct vf_cmd_stream){ vf_bo_map(e->drv, &e->ring), e->ring_size, true };
}

static struct vf_cmd_stream batch_stream(const struct vf_engine *e, const struct vf_batch *b)
{
	return (struct vf_cmd_stream){ vf_bo_map(e->drv, &b->bo), (uint32_t)b->bo.size, false };
}

/* Step 2a: what the engine has not run yet, and what is not kicked yet. */
static int fix_ring(struct vf_engine *e, const struct regs *r, int64_t shift)
{
	struct vf_cmd_stream s = ring_stream(e);
	struct vf_cmd_walk_stats st = { 0 };
	uint32_t bad = 0;

	if (r->head >= e->ring_size || r->head & 3)
		return fail(e, -EPROTO, "restored RING_HEAD %#x is not in the %#x-byte ring",
			    r->head, e->ring_size);
	if (vf_cmd_shift_range(&s, r->head, e->tail, shift, &st, &bad))
		return fail(e, -EBADMSG,
			    "ring offset %#x (between head %#x and tail %#x): %#010x is not a complete command",
			    bad, r->head, e->tail, vf_cmd_stream_read(&s, bad));
	e->fixup.ring_commands = st.commands;
	e->fixup.ring_addrs = st.addrs;
	return 0;
}

/* Step 2b: every batch the driver owns, each once and whole. */
static int fix_batches(struct vf_engine *e, int64_t shift)
{
	for (struct vf_batch *b = e->batches; b; b = b->next) {
		struct vf_cmd_stream s = batch_stream(e, b);
		struct vf_cmd_walk_stats st = { 0 };
		uint32_t bad = 0;

		if (vf_cmd_shift_range(&s, 0, b->used, shift, &st, &bad))
			return fail(e, -EBADMSG,
				    "batch at GGTT %#llx, offset %#x: %#010x is not a complete command",
				    (unsigned long long)vf_bo_ggtt(e->drv, &b->bo), bad,
				    vf_cmd_stream_read(&s, bad));
		e->fixup.batch_addrs += st.addrs;
		e->fixup.batches++;
	}
	return 0;
}

/* The owned batch holding GGTT address addr (already fixed), or NULL. */
static struct vf_batch *batch_at(struct vf_engine *e, uint64_t addr, uint32_t *off)
{
	for (struct vf_batch *b = e->batches; b; b = b->next) {
		uint64_t base = vf_bo_ggtt(e->drv, &b->bo);

		if (addr >= base && addr < base + b->used) {
			*off = (uint32_t)(addr - base);
			return b;
		}
	}
	return NULL;
}

static bool is_batch_start(uint32_t header)
{
	return (header & ~XE_SRIOV_SIM_BATCH_PPGTT) ==
	       XE_SRIOV_SIM_CMD(XE_SRIOV_SIM_OP_BATCH_START, 0, XE_SRIOV_SIM_LEN_BATCH_START);
}

/*
 * A PPGTT batch (XE_SRIOV_SIM_BATCH_PPGTT): its address and everything in
 * it are PPGTT addresses, which a migration leaves valid (the page tables
 * move with the LMEM); nothing below it is fixed or followed.
 */
static bool is_ppgtt_batch_start(uint32_t header)
{
	return is_batch_start(header) && (header & XE_SRIOV_SIM_BATCH_PPGTT);
}

/*
 * Step 3 for level 1: the BATCH_START that entered it is the 3 dwords
 * before RING_HEAD, behind the head, so step 2 did not see it.
 */
static int fix_level1(struct vf_engine *e, const struct regs *r, int64_t shift,
		      uint64_t *entry, bool *ppgtt)
{
	struct vf_cmd_stream s = ring_stream(e);
	uint32_t at = (r->head - BB_BYTES) & (e->ring_size - 1);
	uint32_t hdr = vf_cmd_stream_read(&s, at);

	if (!is_batch_start(hdr))
		return fail(e, -EPROTO,
			    "batch depth %u but the dwords before RING_HEAD %#x are %#010x (%s), not a BATCH_START",
			    e->fixup.active_levels, r->head, hdr, vf_cmd_name(hdr));
	*ppgtt = is_ppgtt_batch_start(hdr);
	if (*ppgtt)
		return 0;
	*entry = vf_cmd_stream_read64(&s, at + 4) + shift;
	vf_cmd_stream_write64(&s, at + 4, *entry);
	e->fixup.ring_addrs++;
	return 0;
}

/* The context image, if it describes the engine as restored. */
static bool current_image(struct vf_engine *e, const struct regs *r,
			  struct xe_sriov_sim_engine_context *img)
{
	memcpy(img, vf_bo_map(e->drv, &e->ctx), sizeof(*img));
	return img->magic == XE_SRIOV_SIM_ENGINE_CONTEXT_MAGIC &&
	       img->depth == e->fixup.active_levels && img->ring_head == r->head &&
	       img->ring_tail == r->tail;
}

/*
 * Step 3 for the deeper levels: their BATCH_STARTs are inside parent
 * batches (fixed by step 2b). Follow the chain with the saved offsets and
 * check each level is a batch of ours whose entry is a BATCH_START.
 */
static int check_chain(struct vf_engine *e, const struct regs *r, uint64_t entry)
{
	struct xe_sriov_sim_engine_context img;

	if (!current_image(e, r, &img))
		return 0;	/* e.g. held since the last pause: nothing to follow */
	for (unsigned int level = 1;; level++) {
		uint32_t off = 0, at;
		struct vf_batch *b = batch_at(e, entry, &off);
		struct vf_cmd_stream s;

		if (!b)
			return fail(e, -EFAULT,
				    "active batch level %u at GGTT %#llx is not one of the driver's batches: its commands were not fixed",
				    level, (unsigned long long)entry);
		if (level == img.depth)
			break;
		s = batch_stream(e, b);
		at = off + img.batch_pos[level - 1] - BB_BYTES;
		if (img.batch_pos[level - 1] < BB_BYTES || at + BB_BYTES > b->used ||
		    !is_batch_start(vf_cmd_stream_read(&s, at)))
			return fail(e, -EPROTO,
				    "level %u returns to batch offset %#x, which does not follow a BATCH_START",
				    level + 1, off + img.batch_pos[level - 1]);
		if (is_ppgtt_batch_start(vf_cmd_stream_read(&s, at)))
			break;
		entry = vf_cmd_stream_read64(&s, at + 4);
	}
	e->fixup.chain_checked = true;
	return 0;
}

static int fix_active_levels(struct vf_engine *e, const struct regs *r, int64_t shift)
{
	uint64_t entry = 0;
	bool ppgtt = false;
	int err;

	e->fixup.active_levels = (r->status & XE_SRIOV_SIM_ENGINE_STATUS_DEPTH_MASK) >>
				 XE_SRIOV_SIM_ENGINE_STATUS_DEPTH_SHIFT;
	if (!e->fixup.active_levels)
		return 0;
	err = fix_level1(e, r, shift, &entry, &ppgtt);
	if (!err && ppgtt)
		return 0;	/* level 1 is a PPGTT batch: nothing below to fix */
	return err ?: check_chain(e, r, entry);
}

int vf_engine_fixup(struct vf_driver *drv, int64_t shift, void *data)
{
	struct vf_engine *e = data;
	struct regs r;
	int err;

	memset(&e->fixup, 0, sizeof(e->fixup));
	e->error[0] = '\0';
	err = read_regs(e, &r);
	err = err ?: fix_registers(e, &r, shift);
	err = err ?: fix_ring(e, &r, shift);
	err = err ?: fix_batches(e, shift);
	return err ?: fix_active_levels(e, &r, shift);
}
