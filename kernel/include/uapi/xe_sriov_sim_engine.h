/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The engine (command streamer) of an xe_sriov_sim VF as its driver sees
 * it: the BAR0 engine registers, the command encoding, the context image
 * the engine writes when it is paused, and the engine section of the GUC
 * packet. Shared by the kernel module and user space.
 *
 * Everything is little endian. Registers are 32 bits wide (naturally
 * aligned 4-byte accesses through VFIO region 0, like the others in
 * xe_sriov_sim_regs.h). GGTT addresses are addresses in the VF's GGTT
 * slice (XE_SRIOV_SIM_KLV_VF_CFG_GGTT_START/SIZE); every access of the
 * engine goes through the slice's PTEs to the VF's LMEM.
 */
#ifndef _UAPI_XE_SRIOV_SIM_ENGINE_H_
#define _UAPI_XE_SRIOV_SIM_ENGINE_H_

#include <linux/const.h>
#include <linux/types.h>

/*
 * Engine registers, at xe's RCS0 ring register offsets (RING_TAIL,
 * RING_HEAD, RING_START at base 0x2000; RING_SIZE sits where xe has
 * RING_CTL), then sim specific ones. An FLR zeroes all of them.
 */
#define XE_SRIOV_SIM_ENGINE_BASE		0x2000

/*
 * RING_TAIL (RW, VF owned): byte offset in the ring where the VF's commands
 * end. Bits 1:0 are ignored (read 0). The engine reads it before every
 * command; a value at or past RING_SIZE faults the engine (BAD_RING) when
 * it next runs. Writing it does not start the engine: ring the DOORBELL.
 */
#define XE_SRIOV_SIM_RING_TAIL			0x2030
/*
 * RING_HEAD (RO, engine owned): byte offset in the ring of the next
 * command. While a batch runs it points just past the BATCH_START that
 * entered it. Writes are ignored.
 */
#define XE_SRIOV_SIM_RING_HEAD			0x2034
/* RING_START (RW): GGTT address of the ring, bits 31:12; 11:0 read 0. */
#define XE_SRIOV_SIM_RING_START			0x2038
#define   XE_SRIOV_SIM_RING_START_MASK		0xfffff000u
/*
 * RING_SIZE (RW): bytes, a power of two from XE_SRIOV_SIM_RING_SIZE_MIN to
 * XE_SRIOV_SIM_RING_SIZE_MAX. Any value is stored; the engine faults
 * (BAD_RING) when it runs with one out of range.
 */
#define XE_SRIOV_SIM_RING_SIZE			0x203c
#define   XE_SRIOV_SIM_RING_SIZE_MIN		256u
#define   XE_SRIOV_SIM_RING_SIZE_MAX		(16u << 20)
/*
 * DOORBELL (RW): writing any value kicks the engine: it executes from
 * RING_HEAD until RING_HEAD == RING_TAIL. While the engine may not run (the
 * VF is paused, stopped or VF_RESFIX_BLOCKED) the kick is remembered and
 * acted on once it may; bit 0 reads 1 while a kick is remembered. A hung
 * engine ignores kicks.
 */
#define XE_SRIOV_SIM_ENGINE_DOORBELL		0x2040
#define   XE_SRIOV_SIM_DOORBELL_PENDING		_BITUL(0)
/*
 * CONTEXT (RW): GGTT address of the context image (struct
 * xe_sriov_sim_engine_context), bits 31:6; 5:0 read 0. 0: no context image.
 */
#define XE_SRIOV_SIM_ENGINE_CONTEXT		0x2044
#define   XE_SRIOV_SIM_ENGINE_CONTEXT_MASK	0xffffffc0u
/* ENGINE_STATUS (RO). */
#define XE_SRIOV_SIM_ENGINE_STATUS		0x2048
/* Bits 1:0: the engine state. */
#define   XE_SRIOV_SIM_ENGINE_STATE_MASK	0x3u
#define   XE_SRIOV_SIM_ENGINE_STATE_IDLE	0u	/* nothing to do */
#define   XE_SRIOV_SIM_ENGINE_STATE_RUNNING	1u	/* executing or spinning */
#define   XE_SRIOV_SIM_ENGINE_STATE_PAUSED	2u	/* held: VF paused, stopped
							 * or VF_RESFIX_BLOCKED
							 */
#define   XE_SRIOV_SIM_ENGINE_STATE_HUNG	3u	/* faulted; until an FLR */
/* Bit 2: work is left (kicked and not done), whatever the state. */
#define   XE_SRIOV_SIM_ENGINE_STATUS_BUSY	_BITUL(2)
/* Bit 3: the command at the head is a SPIN_UNTIL that is waiting. */
#define   XE_SRIOV_SIM_ENGINE_STATUS_SPINNING	_BITUL(3)
/* Bit 4: a DOORBELL write is remembered (see DOORBELL). */
#define   XE_SRIOV_SIM_ENGINE_STATUS_KICK_PENDING _BITUL(4)
/* Bits 9:8: batch nesting depth, 0 (ring) .. XE_SRIOV_SIM_BATCH_DEPTH_MAX. */
#define   XE_SRIOV_SIM_ENGINE_STATUS_DEPTH_SHIFT 8
#define   XE_SRIOV_SIM_ENGINE_STATUS_DEPTH_MASK	(0x3u << 8)
/* Bits 23:16: enum xe_sriov_sim_engine_fault of the last fault, 0 none. */
#define   XE_SRIOV_SIM_ENGINE_STATUS_FAULT_SHIFT 16
#define   XE_SRIOV_SIM_ENGINE_STATUS_FAULT_MASK	(0xffu << 16)
/* Bits 7:5, 15:10 and 31:24 read 0. */

/*
 * FAULT_ADDR_LO/HI (RO): the GGTT address of the last fault, or the PPGTT
 * virtual address for a fault inside a PPGTT batch (xe_sriov_sim_ppgtt.h).
 */
#define XE_SRIOV_SIM_ENGINE_FAULT_ADDR_LO	0x204c
#define XE_SRIOV_SIM_ENGINE_FAULT_ADDR_HI	0x2050

/*
 * First and last engine register, for decoders; the last is
 * XE_SRIOV_SIM_PPGTT_ROOT_HI of xe_sriov_sim_ppgtt.h.
 */
#define XE_SRIOV_SIM_ENGINE_REG_FIRST		XE_SRIOV_SIM_RING_TAIL
#define XE_SRIOV_SIM_ENGINE_REG_LAST		0x2058

/*
 * Fault reasons (ENGINE_STATUS bits 23:16). FAULT_ADDR is the GGTT address
 * that faulted for the memory reasons (PTE_*, OUT_OF_SLICE), else the GGTT
 * address of the faulting command (RING_START for BAD_RING). The head stays
 * on the faulting command.
 */
enum xe_sriov_sim_engine_fault {
	XE_SRIOV_SIM_ENGINE_FAULT_NONE = 0,
	XE_SRIOV_SIM_ENGINE_FAULT_PTE_INVALID = 1,	/* PTE valid bit clear */
	XE_SRIOV_SIM_ENGINE_FAULT_PTE_FOREIGN = 2,	/* PTE of another VF id */
	XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE = 3,	/* not in the VF's slice */
	XE_SRIOV_SIM_ENGINE_FAULT_PTE_RANGE = 4,	/* PTE past the VF's LMEM */
	XE_SRIOV_SIM_ENGINE_FAULT_BAD_OPCODE = 5,	/* unknown opcode */
	XE_SRIOV_SIM_ENGINE_FAULT_BAD_LENGTH = 6,	/* length not the opcode's */
	XE_SRIOV_SIM_ENGINE_FAULT_BAD_FLAGS = 7,	/* MBZ bits or flags */
	XE_SRIOV_SIM_ENGINE_FAULT_TRUNCATED = 8,	/* command passes the tail */
	XE_SRIOV_SIM_ENGINE_FAULT_BAD_RING = 9,		/* size, head or tail */
	XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT = 10,	/* address/size alignment */
	XE_SRIOV_SIM_ENGINE_FAULT_BATCH_DEPTH = 11,	/* BATCH_START too deep */
	XE_SRIOV_SIM_ENGINE_FAULT_BATCH_END = 12,	/* BATCH_END in the ring */
	XE_SRIOV_SIM_ENGINE_FAULT_SPIN_TIMEOUT = 13,	/* hangcheck */
};

/*
 * Commands: dword 0 is the header, operands follow. A command is 1 +
 * LENGTH dwords and each opcode has exactly one length. Header bits:
 *
 *   31:24 opcode (XE_SRIOV_SIM_OP_*)
 *   23:16 flags, per opcode; a flag the opcode does not know faults
 *   15:8  must be zero
 *   7:0   LENGTH: dwords after the header
 *
 * 64-bit GGTT addresses are two dwords, low first. Layouts (dword: content):
 *
 *   NOOP            0: hdr(0x00, len 0)
 *   STORE_DWORD     0: hdr(0x01, len 3)  1: addr lo  2: addr hi  3: value
 *   STORE_SEQNO     0: hdr(0x02, len 3)  1: addr lo  2: addr hi  3: seqno
 *   USER_INTERRUPT  0: hdr(0x03, len 0)
 *   BATCH_START     0: hdr(0x04, len 2)  1: addr lo  2: addr hi
 *   BATCH_END       0: hdr(0x05, len 0)
 *   SPIN_UNTIL      0: hdr(0x06, len 4)  1: addr lo  2: addr hi  3: value
 *                   4: max iterations (0: none)
 *   COPY            0: hdr(0x07, flags, len 5)  1: src lo  2: src hi
 *                   3: dst lo  4: dst hi  5: bytes
 *   RESOLVE         0: hdr(0x08, len 5)  same operands as COPY
 *   CTRL_SURF_COPY  0: hdr(0x09, len 5)  same operands as COPY
 *
 * Semantics:
 *
 * - STORE_DWORD, STORE_SEQNO: write the dword at addr (4-byte aligned).
 *   STORE_SEQNO is the fence write; the engine also remembers the seqno.
 * - USER_INTERRUPT: set XE_SRIOV_SIM_VF_IRQ_USER and raise the MSI.
 * - BATCH_START: continue at addr (4-byte aligned), one level deeper, at
 *   most XE_SRIOV_SIM_BATCH_DEPTH_MAX levels; BATCH_END returns to the
 *   command after the BATCH_START. BATCH_END in the ring faults.
 * - SPIN_UNTIL: wait until the dword at addr (4-byte aligned) equals value,
 *   checking once per iteration (about one per jiffy). After max
 *   iterations without a match the engine goes on with the next command.
 *   The engine may be paused between iterations; the iteration count is
 *   kept (and migrated). Past the module's engine_spin_limit iterations,
 *   whatever max says, the engine hangs (SPIN_TIMEOUT).
 * - COPY: copy bytes from src to dst. Ranges that overlap inside one 4 KiB
 *   page copy as memmove does; other overlaps give undefined data. With
 *   XE_SRIOV_SIM_COPY_COMPRESS, src, dst and bytes must be multiples of
 *   XE_SRIOV_SIM_CCS_BLOCK: for each block the engine computes
 *   ccs = XE_SRIOV_SIM_CCS_OF(sum of the block's bytes), writes
 *   src[i] ^ ccs to dst and ccs to dst's CCS byte. Without the flag the
 *   bytes are copied as they are and no CCS changes.
 * - RESOLVE: decompress: for each block of src (alignment as COMPRESS),
 *   dst[i] = src[i] ^ ccs(src block), and dst's CCS byte becomes 0. A CCS
 *   byte of 0 means uncompressed; a stale or lost CCS gives wrong bytes.
 * - CTRL_SURF_COPY: write the bytes / 256 CCS bytes of the src range
 *   (aligned as COMPRESS) to dst, one byte each, in order. With
 *   XE_SRIOV_SIM_CSC_TO_CCS the other way (xe's dst_is_pltt): read
 *   bytes / 256 bytes at src and make them the CCS bytes of the dst range
 *   (dst and bytes aligned as COMPRESS), the main surface untouched.
 */
#define XE_SRIOV_SIM_CMD_OPCODE_SHIFT		24
#define XE_SRIOV_SIM_CMD_OPCODE(dw)		((__u32)(dw) >> 24)
#define XE_SRIOV_SIM_CMD_FLAGS_MASK		0x00ff0000u
#define XE_SRIOV_SIM_CMD_MBZ_MASK		0x0000ff00u
#define XE_SRIOV_SIM_CMD_LEN_MASK		0x000000ffu
#define XE_SRIOV_SIM_CMD(op, flags, len) \
	(((__u32)(op) << 24) | ((flags) & XE_SRIOV_SIM_CMD_FLAGS_MASK) | \
	 ((len) & XE_SRIOV_SIM_CMD_LEN_MASK))

#define XE_SRIOV_SIM_OP_NOOP			0x00
#define XE_SRIOV_SIM_OP_STORE_DWORD		0x01
#define XE_SRIOV_SIM_OP_STORE_SEQNO		0x02
#define XE_SRIOV_SIM_OP_USER_INTERRUPT		0x03
#define XE_SRIOV_SIM_OP_BATCH_START		0x04
#define XE_SRIOV_SIM_OP_BATCH_END		0x05
#define XE_SRIOV_SIM_OP_SPIN_UNTIL		0x06
#define XE_SRIOV_SIM_OP_COPY			0x07
#define XE_SRIOV_SIM_OP_RESOLVE			0x08
#define XE_SRIOV_SIM_OP_CTRL_SURF_COPY		0x09

/* LENGTH of each opcode: dwords after the header. */
#define XE_SRIOV_SIM_LEN_NOOP			0
#define XE_SRIOV_SIM_LEN_STORE_DWORD		3
#define XE_SRIOV_SIM_LEN_STORE_SEQNO		3
#define XE_SRIOV_SIM_LEN_USER_INTERRUPT		0
#define XE_SRIOV_SIM_LEN_BATCH_START		2
#define XE_SRIOV_SIM_LEN_BATCH_END		0
#define XE_SRIOV_SIM_LEN_SPIN_UNTIL		4
#define XE_SRIOV_SIM_LEN_COPY			5
#define XE_SRIOV_SIM_LEN_RESOLVE		5
#define XE_SRIOV_SIM_LEN_CTRL_SURF_COPY		5
/* The longest command, header included, in dwords. */
#define XE_SRIOV_SIM_CMD_MAX_DWORDS		6

/* COPY flag (bit 16): compress into dst and write dst's CCS. */
#define XE_SRIOV_SIM_COPY_COMPRESS		_BITUL(16)
/* CTRL_SURF_COPY flag (bit 16): memory at src into the CCS of dst. */
#define XE_SRIOV_SIM_CSC_TO_CCS			_BITUL(16)

/* Bytes of LMEM one CCS byte describes. */
#define XE_SRIOV_SIM_CCS_BLOCK			256
/* The CCS byte of a compressed block whose bytes sum to s: 1..255. */
#define XE_SRIOV_SIM_CCS_OF(s)			((__u8)(1 + (__u32)(s) % 255))

/* Batch levels below the ring: BATCH_START nests at most this deep. */
#define XE_SRIOV_SIM_BATCH_DEPTH_MAX		3

/*
 * struct xe_sriov_sim_engine_context - the context image (128 bytes)
 * @magic: XE_SRIOV_SIM_ENGINE_CONTEXT_MAGIC
 * @saves: context saves since the last FLR, this one included
 * @ring_start: RING_START
 * @ring_size: RING_SIZE
 * @ring_head: RING_HEAD
 * @ring_tail: RING_TAIL
 * @status: ENGINE_STATUS as the engine was running (state RUNNING or IDLE)
 * @depth: batch levels active, 0..XE_SRIOV_SIM_BATCH_DEPTH_MAX
 * @batch_addr: GGTT address of the batch of level 1..@depth (0 unused)
 * @batch_pos: byte offset in that batch of its next command
 * @spin_iterations: iterations of the SPIN_UNTIL at the head so far
 * @last_seqno: the last STORE_SEQNO value
 * @ppgtt_root_lo: PPGTT_ROOT_LO (xe_sriov_sim_ppgtt.h; xe's LRC PDP)
 * @ppgtt_root_hi: PPGTT_ROOT_HI
 * @batch_ppgtt: bit n - 1 set: batch level n is a PPGTT batch, its
 *	@batch_addr the low half of a virtual address
 * @reserved: zero
 *
 * Written at CONTEXT when a PF pause stops a running engine (a context
 * switch out); not when the VF was already held (VF_RESFIX_BLOCKED), and
 * not by a hung engine. The engine never reads it back: it is the VF
 * driver's view of where the engine stopped. A fault writing it hangs the
 * engine.
 */
struct xe_sriov_sim_engine_context {
	__le32 magic;
	__le32 saves;
	__le32 ring_start;
	__le32 ring_size;
	__le32 ring_head;
	__le32 ring_tail;
	__le32 status;
	__le32 depth;
	__le32 batch_addr[XE_SRIOV_SIM_BATCH_DEPTH_MAX];
	__le32 batch_pos[XE_SRIOV_SIM_BATCH_DEPTH_MAX];
	__le32 spin_iterations;
	__le32 last_seqno;
	__le32 ppgtt_root_lo;
	__le32 ppgtt_root_hi;
	__le32 batch_ppgtt;
	__le32 reserved[13];
};

#define XE_SRIOV_SIM_ENGINE_CONTEXT_MAGIC	0x43455358	/* "XSEC" */

/* enum of &xe_sriov_sim_engine_state.state */
enum xe_sriov_sim_engine_run_state {
	XE_SRIOV_SIM_ENGINE_RUN_IDLE = 0,	/* nothing to do */
	XE_SRIOV_SIM_ENGINE_RUN_BUSY = 1,	/* kicked, work left */
	XE_SRIOV_SIM_ENGINE_RUN_HUNG = 2,	/* faulted */
};

/*
 * struct xe_sriov_sim_engine_state - the engine section of the GUC packet
 * @magic: XE_SRIOV_SIM_ENGINE_STATE_MAGIC
 * @size: sizeof(struct xe_sriov_sim_engine_state)
 * @state: enum xe_sriov_sim_engine_run_state
 * @flags: XE_SRIOV_SIM_ENGINE_STATE_F_*
 * @ring_start: RING_START (a GGTT address of the source VF)
 * @ring_size: RING_SIZE
 * @ring_head: RING_HEAD
 * @ring_tail: RING_TAIL
 * @context: CONTEXT (a GGTT address of the source VF)
 * @depth: batch levels active, 0..XE_SRIOV_SIM_BATCH_DEPTH_MAX
 * @batch_pos: byte offset of the next command in batch level 1..@depth,
 *	4-byte aligned; 0 for levels past @depth. The return point of level
 *	n is @batch_pos[n - 2] (@ring_head for level 1): just past the
 *	BATCH_START that entered level n.
 * @spin_iterations: iterations of the SPIN_UNTIL at the head so far (not
 *	0: it is waiting)
 * @fault_reason: enum xe_sriov_sim_engine_fault of the last fault
 * @last_seqno: the last STORE_SEQNO value
 * @fault_addr: FAULT_ADDR of the last fault
 * @cmds_executed: commands completed since the last FLR
 * @ctx_saves: context images written since the last FLR
 * @ppgtt_root_lo: PPGTT_ROOT_LO (xe_sriov_sim_ppgtt.h): an LMEM offset,
 *	valid on any VF as the page tables move with the LMEM
 * @ppgtt_root_hi: PPGTT_ROOT_HI
 * @reserved: zero
 *
 * It holds no batch address: a batch's address is only in the BATCH_START
 * that entered it (see the pause DOC in the README), and so does a batch's
 * address space (the BATCH_START's XE_SRIOV_SIM_BATCH_PPGTT flag). All positions are
 * relative, so the blob needs no relocation; the GGTT addresses in it
 * (@ring_start, @context) are restored as they are, for the VF to fix.
 */
struct xe_sriov_sim_engine_state {
	__le32 magic;
	__le32 size;
	__le32 state;
	__le32 flags;
	__le32 ring_start;
	__le32 ring_size;
	__le32 ring_head;
	__le32 ring_tail;
	__le32 context;
	__le32 depth;
	__le32 batch_pos[XE_SRIOV_SIM_BATCH_DEPTH_MAX];
	__le32 spin_iterations;
	__le32 fault_reason;
	__le32 last_seqno;
	__le64 fault_addr;
	__le64 cmds_executed;
	__le32 ctx_saves;
	__le32 ppgtt_root_lo;
	__le32 ppgtt_root_hi;
	__le32 reserved[9];
};

#define XE_SRIOV_SIM_ENGINE_STATE_MAGIC		0x4e455358	/* "XSEN" */
/* A DOORBELL write waits for the engine to be allowed to run. */
#define XE_SRIOV_SIM_ENGINE_STATE_F_KICK_PENDING _BITUL(0)

#endif /* _UAPI_XE_SRIOV_SIM_ENGINE_H_ */
