/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The engine side of the VF driver model (vf_driver.h): a ring and a
 * context image in LMEM mapped through the GGTT, commands emitted at the
 * ring's tail, the doorbell, fences, waits that turn an engine fault into
 * a clear message, batches the driver owns, and the post-migration
 * fixups, plugged in as the driver's fixup callback.
 *
 * Fences: STORE_SEQNO of the next seqno into the fence buffer, then
 * USER_INTERRUPT, as xe's breadcrumbs. Waits sleep on the VF's MSI
 * through the driver's transport (vf_io.h: the eventfd vf_guest wires
 * and moves with the VF, or the MSI's write into a QEMU guest's RAM),
 * and wake on the fence's interrupt; they re-check the fence,
 * ENGINE_STATUS and VF_IRQ_STATUS (ERROR) on every wake and at least
 * every 2 ms, so a lost interrupt costs time, never a result.
 *
 * Ring: RING_SIZE bytes (a power of two), circular. Commands are written
 * dword by dword at the software tail and may straddle the ring's end: the
 * engine reads the ring dword by dword modulo its size, and so do the
 * fixups. Emitting waits for the engine to free space (RING_HEAD moves);
 * 16 bytes behind the head are never reused, so the BATCH_START that
 * entered an active batch (the 3 dwords before RING_HEAD, which the engine
 * re-reads after a migration) stays in place, and a full ring never looks
 * empty. Work queued behind a closed gate must fit the ring (or batches).
 *
 * Fixups (kernel/xe_sriov_sim/README.md, "Pause, migration and fixups"),
 * with shift = new GGTT base - old, between RESFIX_START and RESFIX_DONE:
 *
 *   1. RING_START += shift; CONTEXT += shift if set. RING_START + shift
 *      must be the ring's GGTT address, else the restore lost something.
 *   2. Every GGTT address operand of every command from RING_HEAD to the
 *      driver's tail (RING_TAIL and anything emitted but not yet kicked),
 *      and of every command of every batch the driver owns (each batch
 *      walked once, whole: completed commands are harmless to patch, and a
 *      batch started from two places is still patched once).
 *   3. The BATCH_START of each active batch level: for level 1 the 3
 *      dwords just before RING_HEAD (wrapping); deeper ones sit in parent
 *      batches, already patched by 2. When the context image is the
 *      current one, the chain of levels is followed through its saved
 *      offsets and each level checked to be one of the driver's batches.
 *
 * No re-emission: the engine resumes at the saved head with the saved
 * batch levels and spin count, so patching in place keeps every command
 * exactly once. xe takes the other road (the VF migration rework of its
 * GuC submission): it rebases the GGTT references it tracks, then re-emits
 * and replays the jobs that had not completed, which is correct there
 * because a job's commands may run again up to its seqno write. On this
 * engine a replay would run commands twice; the seqno workload's
 * non-idempotent step exists to catch exactly that.
 */
#ifndef XEMIG_VF_ENGINE_H
#define XEMIG_VF_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/xe_sriov_sim_engine.h"
#include "vf_driver.h"

#define VF_ENGINE_RING_SIZE	(16u << 10)
/* Bytes behind RING_HEAD that emitting never reuses (see above). */
#define VF_ENGINE_RING_GAP	16u

/* A batch buffer the driver owns: fixups walk its commands. */
struct vf_batch {
	struct vf_bo bo;
	uint32_t used;		/* bytes of commands from offset 0 */
	struct vf_batch *next;
};

/* What the engine registers say about the last fault. */
struct vf_engine_fault {
	uint32_t status;	/* ENGINE_STATUS */
	uint32_t state;		/* XE_SRIOV_SIM_ENGINE_STATE_* */
	uint32_t reason;	/* enum xe_sriov_sim_engine_fault, 0 none */
	uint32_t depth;		/* batch level the head is in */
	uint64_t addr;		/* FAULT_ADDR */
	uint32_t head, tail, ring_start;
	uint32_t irq_status;	/* VF_IRQ_STATUS */
};

struct vf_engine_fixup_stats {
	unsigned int ring_commands;	/* pending in the ring */
	unsigned int ring_addrs;	/* operands patched in the ring */
	unsigned int batch_addrs;	/* in batches */
	unsigned int batches;		/* batches walked */
	unsigned int active_levels;	/* batch levels active at the head */
	bool chain_checked;		/* levels followed via the context image */
};

struct vf_engine {
	struct vf_driver *drv;
	struct vf_bo ring, ctx, hwsp;	/* hwsp: the fence dword at offset 0 */
	uint32_t ring_size;
	uint32_t tail;			/* where the next dword goes */
	uint32_t submitted;		/* RING_TAIL as last written */
	uint32_t seqno;			/* last fence emitted */
	uint64_t irq_wakeups;		/* waits woken by the MSI */
	struct vf_batch *batches;
	unsigned int n_batches;
	struct vf_engine_fixup_stats fixup;	/* of the last fixup */
	char error[512];		/* why the last failing call failed */
};

/*
 * Set up the engine of the driver's VF: ring (ring_size bytes; 0 for
 * VF_ENGINE_RING_SIZE), context image and fence buffers, registers
 * programmed; plugs vf_engine_fixup() in as drv's fixup. 0 or -errno.
 */
int vf_engine_init(struct vf_engine *e, struct vf_driver *drv, uint32_t ring_size);
/* Forget the batches (the buffers stay: the driver's allocator owns them). */
void vf_engine_fini(struct vf_engine *e);

/* Append n dwords to the ring, waiting for space. 0, -ENOSPC or -errno. */
int vf_engine_emit(struct vf_engine *e, const uint32_t *cs, unsigned int n);
/* Append a STORE_SEQNO of the next seqno to the fence; *seqno gets it. */
int vf_engine_emit_fence(struct vf_engine *e, uint32_t *seqno);
/* RING_TAIL, then DOORBELL: run everything emitted so far. */
int vf_engine_kick(struct vf_engine *e);

/* A new batch of size bytes, owned by the engine (walked by fixups). */
int vf_engine_batch_create(struct vf_engine *e, uint64_t size, struct vf_batch **b);
/* Append n dwords to the batch. 0 or -ENOSPC. */
int vf_engine_batch_emit(struct vf_engine *e, struct vf_batch *b, const uint32_t *cs,
			 unsigned int n);
/* GGTT address of byte off of the batch, now. */
uint64_t vf_batch_ggtt(const struct vf_engine *e, const struct vf_batch *b, uint32_t off);
/* Drop every batch: only once the engine is idle. 0 or -EBUSY. */
int vf_engine_retire_batches(struct vf_engine *e);

/* The fence as the engine last wrote it (through the BAR2 mapping). */
uint32_t vf_engine_seqno(const struct vf_engine *e);
/* Whether seqno a is at or past b, across wrap-around. */
static inline bool vf_seqno_passed(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/*
 * Waits. 0 when reached; -EIO if the engine faulted (e->error says how),
 * -ETIMEDOUT (e->error says where the engine is), or -errno.
 */
int vf_engine_wait_seqno(struct vf_engine *e, uint32_t seqno, unsigned int timeout_ms);
int vf_engine_wait_idle(struct vf_engine *e, unsigned int timeout_ms);
/* Until the head is a SPIN_UNTIL that waits (a closed gate, a spinner). */
int vf_engine_wait_spinning(struct vf_engine *e, unsigned int timeout_ms);
/* Until it spins or has run out of work: where it rests on its own. */
int vf_engine_wait_settled(struct vf_engine *e, unsigned int timeout_ms);

int vf_engine_read_fault(struct vf_engine *e, struct vf_engine_fault *f);
const char *vf_engine_fault_name(uint32_t reason);
/* One line: state, reason, address (and whose slice it is in), head. */
void vf_engine_fault_str(const struct vf_engine *e, const struct vf_engine_fault *f,
			 char *buf, size_t size);
/* 0 if the engine never faulted (no reason, no ERROR irq), else -EIO. */
int vf_engine_check_healthy(struct vf_engine *e);

/* The fixups above, a vf_fixup_fn; data is the struct vf_engine. */
int vf_engine_fixup(struct vf_driver *drv, int64_t shift, void *data);

#endif
