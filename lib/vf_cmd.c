// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Command builders, decoder and the GGTT-shift walk (see vf_cmd.h). The
 * engine reads the same LMEM pages through the kernel while the CPU writes
 * them, so stream accesses are single atomic dword loads and stores: a
 * torn or merged access would show the engine a command that never was.
 */
#include <errno.h>

#include "uapi/xe_sriov_sim_ppgtt.h"
#include "vf_cmd.h"

#define CMD(op, flags, len) XE_SRIOV_SIM_CMD(op, flags, len)

static unsigned int put_addr(uint32_t *cs, uint64_t addr)
{
	cs[0] = (uint32_t)addr;
	cs[1] = (uint32_t)(addr >> 32);
	return 2;
}

unsigned int vf_cmd_noop(uint32_t *cs)
{
	cs[0] = CMD(XE_SRIOV_SIM_OP_NOOP, 0, 0);
	return 1;
}

static unsigned int store_like(uint32_t *cs, uint32_t op, uint64_t addr, uint32_t value)
{
	cs[0] = CMD(op, 0, XE_SRIOV_SIM_LEN_STORE_DWORD);
	put_addr(cs + 1, addr);
	cs[3] = value;
	return 4;
}

unsigned int vf_cmd_store(uint32_t *cs, uint64_t addr, uint32_t value)
{
	return store_like(cs, XE_SRIOV_SIM_OP_STORE_DWORD, addr, value);
}

unsigned int vf_cmd_seqno(uint32_t *cs, uint64_t addr, uint32_t seqno)
{
	return store_like(cs, XE_SRIOV_SIM_OP_STORE_SEQNO, addr, seqno);
}

unsigned int vf_cmd_user_interrupt(uint32_t *cs)
{
	cs[0] = CMD(XE_SRIOV_SIM_OP_USER_INTERRUPT, 0, 0);
	return 1;
}

unsigned int vf_cmd_batch_start(uint32_t *cs, uint64_t addr)
{
	cs[0] = CMD(XE_SRIOV_SIM_OP_BATCH_START, 0, XE_SRIOV_SIM_LEN_BATCH_START);
	put_addr(cs + 1, addr);
	return 3;
}

unsigned int vf_cmd_batch_start_ppgtt(uint32_t *cs, uint64_t va)
{
	cs[0] = CMD(XE_SRIOV_SIM_OP_BATCH_START, XE_SRIOV_SIM_BATCH_PPGTT,
		    XE_SRIOV_SIM_LEN_BATCH_START);
	put_addr(cs + 1, va);
	return 3;
}

unsigned int vf_cmd_batch_end(uint32_t *cs)
{
	cs[0] = CMD(XE_SRIOV_SIM_OP_BATCH_END, 0, 0);
	return 1;
}

unsigned int vf_cmd_spin_until(uint32_t *cs, uint64_t addr, uint32_t value,
			       uint32_t max_iterations)
{
	cs[0] = CMD(XE_SRIOV_SIM_OP_SPIN_UNTIL, 0, XE_SRIOV_SIM_LEN_SPIN_UNTIL);
	put_addr(cs + 1, addr);
	cs[3] = value;
	cs[4] = max_iterations;
	return 5;
}

unsigned int vf_cmd_copy(uint32_t *cs, uint32_t op, uint32_t flags, uint64_t src,
			 uint64_t dst, uint32_t bytes)
{
	cs[0] = CMD(op, flags, XE_SRIOV_SIM_LEN_COPY);
	put_addr(cs + 1, src);
	put_addr(cs + 3, dst);
	cs[5] = bytes;
	return 6;
}

/* Per opcode: operand dwords, flags it takes, address operand positions. */
static const struct {
	const char *name;
	uint8_t len;
	uint32_t flags;
	uint8_t n_addrs;
	uint8_t addr[VF_CMD_MAX_ADDRS];
} ops[] = {
	[XE_SRIOV_SIM_OP_NOOP] = { "NOOP", 0, 0, 0, { 0 } },
	[XE_SRIOV_SIM_OP_STORE_DWORD] = { "STORE_DWORD", 3, 0, 1, { 1 } },
	[XE_SRIOV_SIM_OP_STORE_SEQNO] = { "STORE_SEQNO", 3, 0, 1, { 1 } },
	[XE_SRIOV_SIM_OP_USER_INTERRUPT] = { "USER_INTERRUPT", 0, 0, 0, { 0 } },
	[XE_SRIOV_SIM_OP_BATCH_START] = { "BATCH_START", 2, XE_SRIOV_SIM_BATCH_PPGTT, 1, { 1 } },
	[XE_SRIOV_SIM_OP_BATCH_END] = { "BATCH_END", 0, 0, 0, { 0 } },
	[XE_SRIOV_SIM_OP_SPIN_UNTIL] = { "SPIN_UNTIL", 4, 0, 1, { 1 } },
	[XE_SRIOV_SIM_OP_COPY] = { "COPY", 5, XE_SRIOV_SIM_COPY_COMPRESS, 2, { 1, 3 } },
	[XE_SRIOV_SIM_OP_RESOLVE] = { "RESOLVE", 5, 0, 2, { 1, 3 } },
	[XE_SRIOV_SIM_OP_CTRL_SURF_COPY] = { "CTRL_SURF_COPY", 5, XE_SRIOV_SIM_CSC_TO_CCS, 2,
					     { 1, 3 } },
};

#define N_OPS (sizeof(ops) / sizeof(ops[0]))

int vf_cmd_decode(uint32_t header, unsigned int *dwords,
		  unsigned int addr_idx[VF_CMD_MAX_ADDRS])
{
	uint32_t op = XE_SRIOV_SIM_CMD_OPCODE(header);
	uint32_t flags = header & XE_SRIOV_SIM_CMD_FLAGS_MASK;

	if (op >= N_OPS || (header & XE_SRIOV_SIM_CMD_MBZ_MASK) ||
	    (header & XE_SRIOV_SIM_CMD_LEN_MASK) != ops[op].len || (flags & ~ops[op].flags))
		return -EBADMSG;
	*dwords = 1 + ops[op].len;
	/* A PPGTT batch's address is a virtual address: no GGTT operand. */
	if (op == XE_SRIOV_SIM_OP_BATCH_START && (flags & XE_SRIOV_SIM_BATCH_PPGTT))
		return 0;
	for (unsigned int i = 0; i < ops[op].n_addrs; i++)
		addr_idx[i] = ops[op].addr[i];
	return ops[op].n_addrs;
}

const char *vf_cmd_name(uint32_t header)
{
	uint32_t op = XE_SRIOV_SIM_CMD_OPCODE(header);

	return op < N_OPS ? ops[op].name : "?";
}

static uint32_t *dw_at(const struct vf_cmd_stream *s, uint32_t off)
{
	if (s->ring)
		off &= s->size - 1;
	return &s->dw[off / 4];
}

uint32_t vf_cmd_stream_read(const struct vf_cmd_stream *s, uint32_t off)
{
	return __atomic_load_n(dw_at(s, off), __ATOMIC_RELAXED);
}

void vf_cmd_stream_write(const struct vf_cmd_stream *s, uint32_t off, uint32_t val)
{
	__atomic_store_n(dw_at(s, off), val, __ATOMIC_RELAXED);
}

uint64_t vf_cmd_stream_read64(const struct vf_cmd_stream *s, uint32_t off)
{
	return vf_cmd_stream_read(s, off) | (uint64_t)vf_cmd_stream_read(s, off + 4) << 32;
}

void vf_cmd_stream_write64(const struct vf_cmd_stream *s, uint32_t off, uint64_t val)
{
	vf_cmd_stream_write(s, off, (uint32_t)val);
	vf_cmd_stream_write(s, off + 4, (uint32_t)(val >> 32));
}

/* Bytes from a to b going forward (in a ring: modulo its size). */
static uint32_t span(const struct vf_cmd_stream *s, uint32_t a, uint32_t b)
{
	return s->ring ? (b - a) & (s->size - 1) : b - a;
}

int vf_cmd_shift_range(const struct vf_cmd_stream *s, uint32_t from, uint32_t to,
		       int64_t shift, struct vf_cmd_walk_stats *stats, uint32_t *bad)
{
	uint32_t left, pos = from;

	if (!s->ring && (to < from || to > s->size)) {
		*bad = from;
		return -EBADMSG;
	}
	left = span(s, from, to);
	while (left) {
		uint32_t hdr = vf_cmd_stream_read(s, pos);
		unsigned int n_dw, idx[VF_CMD_MAX_ADDRS];
		int n = vf_cmd_decode(hdr, &n_dw, idx);

		if (n < 0 || 4 * n_dw > left) {
			*bad = s->ring ? pos & (s->size - 1) : pos;
			return -EBADMSG;
		}
		for (int i = 0; i < n; i++) {
			uint32_t at = pos + 4 * idx[i];

			vf_cmd_stream_write64(s, at, vf_cmd_stream_read64(s, at) + shift);
		}
		if (stats) {
			stats->commands++;
			stats->addrs += n;
			stats->batch_starts +=
				XE_SRIOV_SIM_CMD_OPCODE(hdr) == XE_SRIOV_SIM_OP_BATCH_START;
		}
		pos += 4 * n_dw;
		left -= 4 * n_dw;
	}
	return 0;
}
