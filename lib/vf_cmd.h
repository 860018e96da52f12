/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The engine's command encoding (uapi/xe_sriov_sim_engine.h) for the VF
 * driver model: builders that write one command into a dword buffer, a
 * decoder that says where a command's GGTT address operands are, and the
 * walk that adds a GGTT shift to every one of them in a command stream
 * (a ring that wraps, or a batch). Pure functions over memory, so the
 * fixup logic is unit tested without a device.
 */
#ifndef XEMIG_VF_CMD_H
#define XEMIG_VF_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/xe_sriov_sim_engine.h"

/* The longest command, header included. */
#define VF_CMD_MAX_DWORDS	XE_SRIOV_SIM_CMD_MAX_DWORDS
/* GGTT address operands of one command: at most src and dst. */
#define VF_CMD_MAX_ADDRS	2

/* Each builder fills cs[] and returns the number of dwords written. */
unsigned int vf_cmd_noop(uint32_t *cs);
unsigned int vf_cmd_store(uint32_t *cs, uint64_t addr, uint32_t value);
unsigned int vf_cmd_seqno(uint32_t *cs, uint64_t addr, uint32_t seqno);
unsigned int vf_cmd_user_interrupt(uint32_t *cs);
unsigned int vf_cmd_batch_start(uint32_t *cs, uint64_t addr);
/* BATCH_START of a PPGTT batch (XE_SRIOV_SIM_BATCH_PPGTT): va is a PPGTT address. */
unsigned int vf_cmd_batch_start_ppgtt(uint32_t *cs, uint64_t va);
unsigned int vf_cmd_batch_end(uint32_t *cs);
unsigned int vf_cmd_spin_until(uint32_t *cs, uint64_t addr, uint32_t value,
			       uint32_t max_iterations);
/* op: XE_SRIOV_SIM_OP_COPY, _RESOLVE or _CTRL_SURF_COPY. */
unsigned int vf_cmd_copy(uint32_t *cs, uint32_t op, uint32_t flags, uint64_t src,
			 uint64_t dst, uint32_t bytes);

/*
 * Decode a header: the command's length in dwords (header included) and
 * the dword indexes (within the command) of its 64-bit GGTT address
 * operands (a PPGTT BATCH_START has none: its address is virtual and
 * needs no fixup). Returns the number of address operands, or -EBADMSG for a
 * header the engine would fault on (unknown opcode, wrong length, MBZ or
 * unknown flags).
 */
int vf_cmd_decode(uint32_t header, unsigned int *dwords,
		  unsigned int addr_idx[VF_CMD_MAX_ADDRS]);

/* A short name for messages: "STORE_DWORD", ...; "?" if unknown. */
const char *vf_cmd_name(uint32_t header);

/*
 * A command stream in CPU-visible memory: size bytes at dw. A ring wraps
 * dword by dword at size (a power of two), as the engine reads it; a
 * batch does not wrap.
 */
struct vf_cmd_stream {
	uint32_t *dw;
	uint32_t size;
	bool ring;
};

struct vf_cmd_walk_stats {
	unsigned int commands;		/* decoded */
	unsigned int addrs;		/* GGTT address operands patched */
	unsigned int batch_starts;	/* of them, BATCH_START targets */
};

/*
 * Add shift to every GGTT address operand of the commands in [from, to)
 * (byte offsets; in a ring, to may be below from: it wraps). from must be
 * a command boundary and the commands must end exactly at to. 0, or
 * -EBADMSG with *bad set to the offset of the first command that does not
 * decode or overruns to; nothing after it is patched.
 */
int vf_cmd_shift_range(const struct vf_cmd_stream *s, uint32_t from, uint32_t to,
		       int64_t shift, struct vf_cmd_walk_stats *stats, uint32_t *bad);

/* The dword at byte offset off of the stream (wrapping in a ring). */
uint32_t vf_cmd_stream_read(const struct vf_cmd_stream *s, uint32_t off);
void vf_cmd_stream_write(const struct vf_cmd_stream *s, uint32_t off, uint32_t val);

/* 64-bit operand (low dword first) at byte offset off. */
uint64_t vf_cmd_stream_read64(const struct vf_cmd_stream *s, uint32_t off);
void vf_cmd_stream_write64(const struct vf_cmd_stream *s, uint32_t off, uint64_t val);

#endif
