// SPDX-License-Identifier: MIT
/*
 * The engine command codec and the GGTT-shift walk behind the VF
 * driver's fixups (lib/vf_cmd.c): builders, decoding, every address
 * operand shifted exactly once and nothing else touched, rings that wrap
 * mid-command, malformed streams refused with the offset.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vf_cmd.h"

#define OLD	0x1000000ull
#define SHIFT	0x200000ll

static void test_builders_and_decode(void **state)
{
	uint32_t cs[VF_CMD_MAX_DWORDS];
	unsigned int n, idx[VF_CMD_MAX_ADDRS];

	assert_int_equal(vf_cmd_store(cs, 0x123456789ull, 7), 4);
	assert_int_equal(cs[0], 0x01000003);
	assert_int_equal(cs[1], 0x23456789);
	assert_int_equal(cs[2], 0x1);
	assert_int_equal(vf_cmd_decode(cs[0], &n, idx), 1);
	assert_int_equal(n, 4);
	assert_int_equal(idx[0], 1);
	assert_int_equal(vf_cmd_copy(cs, XE_SRIOV_SIM_OP_COPY, XE_SRIOV_SIM_COPY_COMPRESS,
				     OLD, OLD + 256, 256), 6);
	assert_int_equal(vf_cmd_decode(cs[0], &n, idx), 2);
	assert_int_equal(idx[1], 3);
	assert_int_equal(vf_cmd_spin_until(cs, OLD, 1, 0), 5);
	assert_int_equal(vf_cmd_batch_start(cs, OLD), 3);
	assert_int_equal(vf_cmd_decode(cs[0], &n, idx), 1);
	/* A PPGTT batch: a VA, which the fixups must leave alone. */
	assert_int_equal(vf_cmd_batch_start_ppgtt(cs, 0x8000000000ull), 3);
	assert_int_equal(cs[0], 0x04010002);
	assert_int_equal(vf_cmd_decode(cs[0], &n, idx), 0);
	assert_int_equal(n, 3);
	assert_int_equal(vf_cmd_batch_start(cs, OLD), 3);
	assert_int_equal(vf_cmd_decode(cs[0], &n, idx), 1);
	assert_int_equal(vf_cmd_batch_end(cs), 1);
	assert_int_equal(vf_cmd_decode(cs[0], &n, idx), 0);
	assert_string_equal(vf_cmd_name(cs[0]), "BATCH_END");
	/* What the engine faults on does not decode. */
	assert_int_equal(vf_cmd_decode(0x0a000000, &n, idx), -EBADMSG);	/* opcode */
	assert_int_equal(vf_cmd_decode(0x01000004, &n, idx), -EBADMSG);	/* length */
	assert_int_equal(vf_cmd_decode(0x01000103, &n, idx), -EBADMSG);	/* MBZ */
	assert_int_equal(vf_cmd_decode(0x08010005, &n, idx), -EBADMSG);	/* flag */
}

/* Every command kind; returns dwords written. addrs[] gets operand offsets. */
static unsigned int program(uint32_t *dw, unsigned int *addr_off, unsigned int *n_addr)
{
	unsigned int n = 0, k = 0;

#define ADDR(i) (addr_off[k++] = 4 * (n + (i)))
	ADDR(1); n += vf_cmd_store(dw + n, OLD + 0x10, 0xaaaa);
	ADDR(1); n += vf_cmd_seqno(dw + n, OLD + 0x20, 5);
	n += vf_cmd_user_interrupt(dw + n);
	ADDR(1); n += vf_cmd_spin_until(dw + n, OLD + 0x30, 1, 0);
	ADDR(1); ADDR(3);
	n += vf_cmd_copy(dw + n, XE_SRIOV_SIM_OP_COPY, XE_SRIOV_SIM_COPY_COMPRESS, OLD + 0x100,
			 OLD + 0x200, 256);
	ADDR(1); ADDR(3);
	n += vf_cmd_copy(dw + n, XE_SRIOV_SIM_OP_RESOLVE, 0, OLD + 0x200, OLD + 0x300, 256);
	ADDR(1); ADDR(3);
	n += vf_cmd_copy(dw + n, XE_SRIOV_SIM_OP_CTRL_SURF_COPY, 0, OLD + 0x200, OLD + 0x400, 256);
	ADDR(1); n += vf_cmd_batch_start(dw + n, OLD + 0x800);
	n += vf_cmd_noop(dw + n);
	n += vf_cmd_batch_end(dw + n);
#undef ADDR
	*n_addr = k;
	return n;
}

static void check_shifted(const struct vf_cmd_stream *s, const uint32_t *orig, uint32_t base,
			  unsigned int n, const unsigned int *addr_off, unsigned int n_addr)
{
	for (unsigned int i = 0; i < n; i++) {
		uint32_t off = base + 4 * i;
		bool is_addr = false;

		for (unsigned int k = 0; k < n_addr; k++)
			if (addr_off[k] == 4 * i) {
				assert_true(vf_cmd_stream_read64(s, off) ==
					    (uint64_t)((int64_t)(orig[i] | (uint64_t)orig[i + 1] << 32) + SHIFT));
				is_addr = true;
				i++;
			}
		if (!is_addr)
			assert_int_equal(vf_cmd_stream_read(s, off), orig[i]);
	}
}

static void test_batch_shift(void **state)
{
	uint32_t mem[64] = { 0 }, orig[64];
	unsigned int addr_off[16], n_addr, n = program(orig, addr_off, &n_addr);
	struct vf_cmd_stream s = { mem, sizeof(mem), false };
	struct vf_cmd_walk_stats st = { 0 };
	uint32_t bad = ~0u;

	memcpy(mem, orig, 4 * n);
	assert_int_equal(vf_cmd_shift_range(&s, 0, 4 * n, SHIFT, &st, &bad), 0);
	assert_int_equal(st.commands, 10);
	assert_int_equal(st.addrs, n_addr);
	assert_int_equal(st.batch_starts, 1);
	check_shifted(&s, orig, 0, n, addr_off, n_addr);
	/* And back: a negative shift (a VF with a lower base). */
	assert_int_equal(vf_cmd_shift_range(&s, 0, 4 * n, -SHIFT, NULL, &bad), 0);
	assert_memory_equal(mem, orig, 4 * n);
}

static void test_ring_wraps_mid_command(void **state)
{
	uint32_t ring[64], orig[64];	/* 256 bytes, the smallest ring */
	unsigned int addr_off[16], n_addr, n = program(orig, addr_off, &n_addr);
	struct vf_cmd_stream s = { ring, sizeof(ring), true };
	uint32_t head = 256 - 24, bad = ~0u;	/* the seqno's address straddles the end */
	struct vf_cmd_walk_stats st = { 0 };

	memset(ring, 0xcc, sizeof(ring));
	for (unsigned int i = 0; i < n; i++)
		vf_cmd_stream_write(&s, head + 4 * i, orig[i]);
	assert_int_equal(vf_cmd_shift_range(&s, head, (head + 4 * n) % 256, SHIFT, &st, &bad), 0);
	assert_int_equal(st.addrs, n_addr);
	check_shifted(&s, orig, head, n, addr_off, n_addr);
	/* Outside [head, tail) nothing moved. */
	for (uint32_t off = (head + 4 * n) % 256; off != head; off = (off + 4) % 256)
		assert_int_equal(vf_cmd_stream_read(&s, off), 0xcccccccc);
	/* An empty range is no work. */
	assert_int_equal(vf_cmd_shift_range(&s, head, head, SHIFT, &st, &bad), 0);
}

static void test_malformed(void **state)
{
	uint32_t mem[16] = { 0 };
	struct vf_cmd_stream s = { mem, sizeof(mem), false };
	uint32_t bad = ~0u;

	vf_cmd_store(mem, OLD, 1);
	mem[4] = 0x0b000000;	/* unknown opcode at byte 16 */
	assert_int_equal(vf_cmd_shift_range(&s, 0, 24, SHIFT, NULL, &bad), -EBADMSG);
	assert_int_equal(bad, 16);
	/* The store before it was patched, nothing after. */
	assert_true(vf_cmd_stream_read64(&s, 4) == OLD + SHIFT);
	/* A command running past the end of the range. */
	vf_cmd_store(mem, OLD, 1);
	assert_int_equal(vf_cmd_shift_range(&s, 0, 8, SHIFT, NULL, &bad), -EBADMSG);
	assert_int_equal(bad, 0);
	assert_true(vf_cmd_stream_read64(&s, 4) == OLD);
	/* A batch range past the buffer. */
	assert_int_equal(vf_cmd_shift_range(&s, 0, 68, SHIFT, NULL, &bad), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builders_and_decode),
		cmocka_unit_test(test_batch_shift),
		cmocka_unit_test(test_ring_wraps_mid_command),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
