// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The VF driver model's engine: ring and context set-up, emission with
 * ring wrap, doorbell, batches, fences and waits. The fixups are in
 * vf_engine_fixup.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "uapi/xe_sriov_sim_regs.h"
#include "vf_cmd.h"
#include "vf_engine.h"

/* How long emitting waits for the engine to free ring space. */
#define SPACE_TIMEOUT_MS 10000

static void set_error(struct vf_engine *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->error, sizeof(e->error), fmt, ap);
	va_end(ap);
}

static int reg_read(struct vf_engine *e, uint32_t reg, uint32_t *val)
{
	return vf_io_read32(&e->drv->io, reg, val);
}

static int reg_write(struct vf_engine *e, uint32_t reg, uint32_t val)
{
	return vf_io_write32(&e->drv->io, reg, val);
}

static int program(struct vf_engine *e)
{
	int err;

	err = reg_write(e, XE_SRIOV_SIM_RING_START, (uint32_t)vf_bo_ggtt(e->drv, &e->ring));
	err = err ?: reg_write(e, XE_SRIOV_SIM_RING_SIZE, e->ring_size);
	err = err ?: reg_write(e, XE_SRIOV_SIM_ENGINE_CONTEXT,
			       (uint32_t)vf_bo_ggtt(e->drv, &e->ctx));
	/* The head is the engine's: start where it stands (0 after an FLR). */
	err = err ?: reg_read(e, XE_SRIOV_SIM_RING_HEAD, &e->tail);
	err = err ?: reg_write(e, XE_SRIOV_SIM_RING_TAIL, e->tail);
	e->submitted = e->tail;
	return err;
}

int vf_engine_init(struct vf_engine *e, struct vf_driver *drv, uint32_t ring_size)
{
	int err;

	memset(e, 0, sizeof(*e));
	e->drv = drv;
	e->ring_size = ring_size ? ring_size : VF_ENGINE_RING_SIZE;
	if (e->ring_size & (e->ring_size - 1) || e->ring_size < XE_SRIOV_SIM_RING_SIZE_MIN ||
	    e->ring_size > XE_SRIOV_SIM_RING_SIZE_MAX)
		return -EINVAL;
	err = vf_driver_bo_create(drv, e->ring_size, &e->ring);
	err = err ?: vf_driver_bo_create(drv, sizeof(struct xe_sriov_sim_engine_context),
					 &e->ctx);
	err = err ?: vf_driver_bo_create(drv, 4, &e->hwsp);
	if (err)
		return err;
	/* A zeroed ring is NOOPs, a zeroed fence is "nothing signalled yet". */
	memset(vf_bo_map(drv, &e->ring), 0, e->ring.size);
	memset(vf_bo_map(drv, &e->ctx), 0, e->ctx.size);
	memset(vf_bo_map(drv, &e->hwsp), 0, e->hwsp.size);
	err = program(e);
	if (err)
		return err;
	drv->fixup = vf_engine_fixup;
	drv->fixup_data = e;
	return 0;
}

static void free_batches(struct vf_engine *e)
{
	while (e->batches) {
		struct vf_batch *b = e->batches;

		e->batches = b->next;
		free(b);
	}
	e->n_batches = 0;
}

void vf_engine_fini(struct vf_engine *e)
{
	free_batches(e);
	if (e->drv && e->drv->fixup_data == e) {
		e->drv->fixup = NULL;
		e->drv->fixup_data = NULL;
	}
}

static struct vf_cmd_stream ring_stream(const struct vf_engine *e)
{
	return (struct vf_cmd_stream){ vf_bo_map(e->drv, &e->ring), e->ring_size, true };
}

static uint32_t ring_used(const struct vf_engine *e, uint32_t head)
{
	return (e->tail - head) & (e->ring_size - 1);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

/* Space for n more dwords: wait for the engine to move RING_HEAD. */
static int wait_space(struct vf_engine *e, unsigned int n)
{
	int64_t deadline = now_ms() + SPACE_TIMEOUT_MS;
	uint32_t head = 0, status = 0;
	int err;

	if (4 * n + VF_ENGINE_RING_GAP > e->ring_size)
		return -E2BIG;
	for (;;) {
		err = reg_read(e, XE_SRIOV_SIM_RING_HEAD, &head);
		if (err)
			return err;
		if (ring_used(e, head) + 4 * n + VF_ENGINE_RING_GAP <= e->ring_size)
			return 0;
		if (now_ms() > deadline)
			break;
		usleep(500);
	}
	reg_read(e, XE_SRIOV_SIM_ENGINE_STATUS, &status);
	set_error(e, "ring full: %u bytes to emit, head %#x, tail %#x, kicked %#x, status %#x (work queued behind a closed gate must fit the ring)",
		  4 * n, head, e->tail, e->submitted, status);
	return -ENOSPC;
}

int vf_engine_emit(struct vf_engine *e, const uint32_t *cs, unsigned int n)
{
	struct vf_cmd_stream s = ring_stream(e);
	int err = wait_space(e, n);

	if (err)
		return err;
	for (unsigned int i = 0; i < n; i++) {
		vf_cmd_stream_write(&s, e->tail, cs[i]);
		e->tail = (e->tail + 4) & (e->ring_size - 1);
	}
	return 0;
}

int vf_engine_emit_fence(struct vf_engine *e, uint32_t *seqno)
{
	uint32_t cs[2 * VF_CMD_MAX_DWORDS];
	uint32_t next = e->seqno + 1;
	unsigned int n = vf_cmd_seqno(cs, vf_bo_ggtt(e->drv, &e->hwsp), next);
	int err;

	n += vf_cmd_user_interrupt(cs + n);
	err = vf_engine_emit(e, cs, n);

	if (err)
		return err;
	e->seqno = next;
	if (seqno)
		*seqno = next;
	return 0;
}

int vf_engine_kick(struct vf_engine *e)
{
	/*
	 * The ring's and the batches' stores reach the VF first (a shadow's
	 * flush; over VFIO the syscalls order them).
	 */
	int err = vf_driver_lmem_flush(e->drv);

	err = err ?: reg_write(e, XE_SRIOV_SIM_RING_TAIL, e->tail);

	err = err ?: reg_write(e, XE_SRIOV_SIM_ENGINE_DOORBELL, 1);
	if (!err)
		e->submitted = e->tail;
	return err;
}

int vf_engine_batch_create(struct vf_engine *e, uint64_t size, struct vf_batch **out)
{
	struct vf_batch *b = calloc(1, sizeof(*b));
	int err;

	if (!b)
		return -ENOMEM;
	err = vf_driver_bo_create(e->drv, size, &b->bo);
	if (err) {
		free(b);
		return err;
	}
	memset(vf_bo_map(e->drv, &b->bo), 0, b->bo.size);
	b->next = e->batches;
	e->batches = b;
	e->n_batches++;
	*out = b;
	return 0;
}

int vf_engine_batch_emit(struct vf_engine *e, struct vf_batch *b, const uint32_t *cs,
			 unsigned int n)
{
	struct vf_cmd_stream s = { vf_bo_map(e->drv, &b->bo), (uint32_t)b->bo.size, false };

	if (b->used + 4ull * n > b->bo.size) {
		set_error(e, "batch at GGTT %#llx full: %u of %llu bytes used, %u more",
			  (unsigned long long)vf_bo_ggtt(e->drv, &b->bo), b->used,
			  (unsigned long long)b->bo.size, 4 * n);
		return -ENOSPC;
	}
	for (unsigned int i = 0; i < n; i++, b->used += 4)
		vf_cmd_stream_write(&s, b->used, cs[i]);
	return 0;
}

uint64_t vf_batch_ggtt(const struct vf_engine *e, const struct vf_batch *b, uint32_t off)
{
	return vf_bo_ggtt(e->drv, &b->bo) + off;
}

uint32_t vf_engine_seqno(const struct vf_engine *e)
{
	return vf_driver_lmem_read32(e->drv, e->hwsp.lmem_off);
}

static uint32_t st_state(uint32_t st)
{
	return st & XE_SRIOV_SIM_ENGINE_STATE_MASK;
}

static bool st_idle(uint32_t st)
{
	return st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_IDLE &&
	       !(st & (XE_SRIOV_SIM_ENGINE_STATUS_BUSY | XE_SRIOV_SIM_ENGINE_STATUS_KICK_PENDING));
}

int vf_engine_retire_batches(struct vf_engine *e)
{
	uint32_t st = 0;
	int err = reg_read(e, XE_SRIOV_SIM_ENGINE_STATUS, &st);

	if (err)
		return err;
	if (!st_idle(st)) {
		set_error(e, "batches still in use: engine status %#x", st);
		return -EBUSY;
	}
	free_batches(e);
	return 0;
}

int vf_engine_read_fault(struct vf_engine *e, struct vf_engine_fault *f)
{
	uint32_t lo = 0, hi = 0;
	int err;

	memset(f, 0, sizeof(*f));
	err = reg_read(e, XE_SRIOV_SIM_ENGINE_STATUS, &f->status);
	err = err ?: reg_read(e, XE_SRIOV_SIM_ENGINE_FAULT_ADDR_LO, &lo);
	err = err ?: reg_read(e, XE_SRIOV_SIM_ENGINE_FAULT_ADDR_HI, &hi);
	err = err ?: reg_read(e, XE_SRIOV_SIM_RING_HEAD, &f->head);
	err = err ?: reg_read(e, XE_SRIOV_SIM_RING_TAIL, &f->tail);
	err = err ?: reg_read(e, XE_SRIOV_SIM_RING_START, &f->ring_start);
	err = err ?: reg_read(e, XE_SRIOV_SIM_VF_IRQ_STATUS, &f->irq_status);
	f->state = st_state(f->status);
	f->reason = (f->status & XE_SRIOV_SIM_ENGINE_STATUS_FAULT_MASK) >>
		    XE_SRIOV_SIM_ENGINE_STATUS_FAULT_SHIFT;
	f->depth = (f->status & XE_SRIOV_SIM_ENGINE_STATUS_DEPTH_MASK) >>
		   XE_SRIOV_SIM_ENGINE_STATUS_DEPTH_SHIFT;
	f->addr = lo | (uint64_t)hi << 32;
	return err;
}

const char *vf_engine_fault_name(uint32_t reason)
{
	static const char *const names[] = {
		"NONE", "PTE_INVALID", "PTE_FOREIGN", "OUT_OF_SLICE", "PTE_RANGE",
		"BAD_OPCODE", "BAD_LENGTH", "BAD_FLAGS", "TRUNCATED", "BAD_RING",
		"ALIGNMENT", "BATCH_DEPTH", "BATCH_END", "SPIN_TIMEOUT",
		"PPGTT_DISABLED", "PPGTT_NOT_PRESENT", "PPGTT_RANGE", "PPGTT_READ_ONLY",
		"PPGTT_DMA",
	};

	return reason < sizeof(names) / sizeof(names[0]) ? names[reason] : "UNKNOWN";
}

static const char *state_name(uint32_t state)
{
	static const char *const names[] = { "IDLE", "RUNNING", "PAUSED", "HUNG" };

	return names[state & 3];
}

void vf_engine_fault_str(const struct vf_engine *e, const struct vf_engine_fault *f,
			 char *buf, size_t size)
{
	const struct vf_guc_config *c = &e->drv->cfg;
	bool in_slice = f->addr >= c->ggtt_start && f->addr < c->ggtt_start + c->ggtt_size;

	snprintf(buf, size,
		 "engine %s, fault %s (%u) at GGTT %#llx (%s the VF's slice %#llx-%#llx), head %#x in %s (depth %u), tail %#x, RING_START %#x, status %#x, irq %#x",
		 state_name(f->state), vf_engine_fault_name(f->reason), f->reason,
		 (unsigned long long)f->addr, in_slice ? "inside" : "outside",
		 (unsigned long long)c->ggtt_start,
		 (unsigned long long)(c->ggtt_start + c->ggtt_size - 1), f->head,
		 f->depth ? "a batch" : "the ring", f->depth, f->tail, f->ring_start, f->status,
		 f->irq_status);
}

/* e->error from the fault registers; always -EIO. */
static int fault_error(struct vf_engine *e, const char *what)
{
	struct vf_engine_fault f;
	char line[400];

	vf_engine_read_fault(e, &f);
	vf_engine_fault_str(e, &f, line, sizeof(line));
	set_error(e, "%s: %s", what, line);
	return -EIO;
}

int vf_engine_check_healthy(struct vf_engine *e)
{
	struct vf_engine_fault f;
	int err = vf_engine_read_fault(e, &f);

	if (err)
		return err;
	if (f.reason || f.state == XE_SRIOV_SIM_ENGINE_STATE_HUNG ||
	    (f.irq_status & XE_SRIOV_SIM_VF_IRQ_ERROR))
		return fault_error(e, "the engine faulted");
	return 0;
}

/* What a wait waits for; returns true when reached. */
typedef bool (*reached_fn)(struct vf_engine *e, uint32_t status, uint32_t arg);

static bool idle_reached(struct vf_engine *e, uint32_t status, uint32_t unused)
{
	uint32_t head = ~0u;

	return st_idle(status) && !reg_read(e, XE_SRIOV_SIM_RING_HEAD, &head) &&
	       head == e->submitted;
}

/*
 * The fence got there, or the engine ran out of work without getting
 * there (the status was read before the fence, so idle is final).
 */
static bool seqno_or_idle(struct vf_engine *e, uint32_t status, uint32_t seqno)
{
	return vf_seqno_passed(vf_engine_seqno(e), seqno) || idle_reached(e, status, 0);
}

static bool spinning_reached(struct vf_engine *e, uint32_t status, uint32_t unused)
{
	return status & XE_SRIOV_SIM_ENGINE_STATUS_SPINNING;
}

/*
 * Sleep until the MSI fires or nap_us pass. The USER bit is cleared after
 * the wake-up and before the caller checks again: a fence written after
 * that check fires the eventfd anew, so no wake-up is lost.
 */
static void nap(struct vf_engine *e, unsigned int nap_us)
{
	const struct vf_io *io = &e->drv->io;

	if (io->ops == &vf_io_vfio_ops && io->efd < 0) {
		usleep(nap_us);
		return;
	}
	if (io->ops->irq_wait(io, (nap_us + 999) / 1000) > 0)
		e->irq_wakeups++;
	reg_write(e, XE_SRIOV_SIM_VF_IRQ_STATUS, XE_SRIOV_SIM_VF_IRQ_USER);
}

/*
 * Wait: the condition, ENGINE_STATUS (HUNG) and VF_IRQ_STATUS (ERROR)
 * each round, sleeping on the MSI (or polling) from 50 us up to 2 ms so
 * short waits stay short.
 */
static int wait_for(struct vf_engine *e, reached_fn reached, uint32_t arg,
		    unsigned int timeout_ms, const char *what)
{
	int64_t deadline = now_ms() + timeout_ms;
	unsigned int nap_us = 50;
	uint32_t st = 0, irq = 0;
	int err;

	for (;;) {
		err = reg_read(e, XE_SRIOV_SIM_ENGINE_STATUS, &st);
		err = err ?: reg_read(e, XE_SRIOV_SIM_VF_IRQ_STATUS, &irq);
		if (err)
			return err;
		if (reached(e, st, arg))
			return 0;
		if (st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG ||
		    (irq & XE_SRIOV_SIM_VF_IRQ_ERROR))
			return fault_error(e, what);
		if (now_ms() > deadline)
			break;
		nap(e, nap_us);
		nap_us = nap_us < 2000 ? nap_us * 2 : 2000;
	}
	err = fault_error(e, what);
	strncat(e->error, ": timed out", sizeof(e->error) - strlen(e->error) - 1);
	return err == -EIO ? -ETIMEDOUT : err;
}

int vf_engine_wait_seqno(struct vf_engine *e, uint32_t seqno, unsigned int timeout_ms)
{
	char what[80];
	int err;

	snprintf(what, sizeof(what), "waiting for seqno %u", seqno);
	err = wait_for(e, seqno_or_idle, seqno, timeout_ms, what);
	if (!err && !vf_seqno_passed(vf_engine_seqno(e), seqno)) {
		set_error(e, "engine idle at head %#x (all kicked work done) but the fence is %u, not %u: work was lost",
			  e->submitted, vf_engine_seqno(e), seqno);
		return -ENODATA;
	}
	if (err == -ETIMEDOUT) {
		size_t len = strlen(e->error);

		snprintf(e->error + len, sizeof(e->error) - len, " (fence at %u)",
			 vf_engine_seqno(e));
	}
	return err;
}

int vf_engine_wait_idle(struct vf_engine *e, unsigned int timeout_ms)
{
	return wait_for(e, idle_reached, 0, timeout_ms, "waiting for idle");
}

int vf_engine_wait_spinning(struct vf_engine *e, unsigned int timeout_ms)
{
	return wait_for(e, spinning_reached, 0, timeout_ms, "waiting for a spinning head");
}

static bool settled(struct vf_engine *e, uint32_t status, uint32_t unused)
{
	return spinning_reached(e, status, 0) || idle_reached(e, status, 0);
}

int vf_engine_wait_settled(struct vf_engine *e, unsigned int timeout_ms)
{
	return wait_for(e, settled, 0, timeout_ms, "waiting for a spinning head or idle");
}
