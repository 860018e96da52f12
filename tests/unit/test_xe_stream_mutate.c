// SPDX-License-Identifier: MIT
/*
 * The stream mutator of the restore-path fuzzer (lib/xe_stream_mutate.c):
 * replayable from a seed, every mutation kind reachable, exact cuts, and
 * segmentations that cover a transfer.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xe_stream.h"
#include "xe_stream_mutate.h"

#define VRAM_CHUNK (128u << 10)

static uint8_t base_buf[8 * VRAM_CHUNK];
static size_t base_len;
static struct xe_stream base, donor;

static void put(uint8_t *b, size_t *len, uint8_t type, uint64_t off, uint64_t size, uint8_t fill)
{
	struct xe_sriov_packet_hdr h = {
		.version = XE_SRIOV_PACKET_VERSION, .type = type, .offset = off, .size = size,
	};

	memcpy(b + *len, &h, sizeof(h));
	*len += sizeof(h);
	memset(b + *len, fill, size);
	*len += size;
}

/* descriptor, GUC, GGTT, MMIO, 4 VRAM chunks, trailer */
static size_t build(uint8_t *b, uint8_t fill)
{
	uint32_t klv[] = {
		XE_SRIOV_KLV_HDR(XE_SRIOV_MIGRATION_KLV_DEVID, 1), 0xe20b,
		XE_SRIOV_KLV_HDR(XE_SRIOV_MIGRATION_KLV_REVID, 1), 0,
	};
	size_t len = 0;

	put(b, &len, XE_SRIOV_PACKET_TYPE_DESCRIPTOR, 0, sizeof(klv), 0);
	memcpy(b + len - sizeof(klv), klv, sizeof(klv));
	put(b, &len, XE_SRIOV_PACKET_TYPE_GUC, 0, 192, fill);
	put(b, &len, XE_SRIOV_PACKET_TYPE_GGTT, 0, 256 * 8, fill);
	put(b, &len, XE_SRIOV_PACKET_TYPE_MMIO, 0, 16, fill);
	for (unsigned int i = 0; i < 4; i++)
		put(b, &len, XE_SRIOV_PACKET_TYPE_VRAM, i * VRAM_CHUNK, VRAM_CHUNK, fill + i);
	put(b, &len, XE_SRIOV_PACKET_TYPE_TRAILER, 0, 0, 0);
	return len;
}

static int setup(void **state)
{
	static uint8_t donor_buf[8 * VRAM_CHUNK];
	struct xe_stream_error err;

	base_len = build(base_buf, 0x11);
	assert_int_equal(xe_stream_parse(base_buf, base_len, &base, &err), 0);
	assert_int_equal(xe_stream_parse(donor_buf, build(donor_buf, 0x77), &donor, &err), 0);
	return 0;
}

static int teardown(void **state)
{
	xe_stream_free(&base);
	xe_stream_free(&donor);
	return 0;
}

static struct xe_stream_mutator mutator(bool compact)
{
	struct xe_stream_mutator m = {
		.base = &base, .donors = { &donor }, .n_donors = 1,
		.obj_size = 4 * VRAM_CHUNK, .compact = compact,
	};

	return m;
}

static void test_rng(void **state)
{
	struct xe_rng a, b;

	xe_rng_seed(&a, 42);
	xe_rng_seed(&b, 42);
	for (int i = 0; i < 100; i++)
		assert_int_equal(xe_rng_next(&a), xe_rng_next(&b));
	for (int i = 0; i < 1000; i++)
		assert_true(xe_rng_below(&a, 7) < 7);
	assert_int_equal(xe_rng_below(&a, 0), 0);
	assert_int_not_equal(xe_rng_iter_seed(1, 0), xe_rng_iter_seed(1, 1));
	assert_int_not_equal(xe_rng_iter_seed(1, 5), xe_rng_iter_seed(2, 5));
	assert_int_equal(xe_rng_iter_seed(9, 5), xe_rng_iter_seed(9, 5));
}

/* Same seed, same mutant; other seeds, other mutants. */
static void test_replayable(void **state)
{
	struct xe_stream_mutator m = mutator(true);
	unsigned int differ = 0;

	for (uint64_t s = 0; s < 200; s++) {
		struct xe_stream_mutant x, y;

		assert_int_equal(xe_stream_mutate(&m, s, &x), 0);
		assert_int_equal(xe_stream_mutate(&m, s, &y), 0);
		assert_int_equal(x.len, y.len);
		assert_memory_equal(x.buf, y.buf, x.len);
		assert_string_equal(x.log, y.log);
		assert_true(x.steps >= 1 && x.steps <= 4);
		if (x.len != base_len || memcmp(x.buf, base_buf, x.len))
			differ++;
		xe_stream_mutant_free(&x);
		xe_stream_mutant_free(&y);
	}
	/* A mutation may be a no-op (swap with itself); most are not. */
	assert_true(differ > 180);
}

/* Every kind is drawn, nothing crashes, the output parses or is refused. */
static void test_every_kind(void **state)
{
	struct xe_stream_mutator m = mutator(false);
	uint32_t seen = 0;

	m.max_steps = 6;
	for (uint64_t s = 0; s < 4000; s++) {
		struct xe_stream_mutant x;
		struct xe_stream_error err;
		struct xe_stream p;

		assert_int_equal(xe_stream_mutate(&m, xe_rng_iter_seed(7, s), &x), 0);
		seen |= x.kinds;
		assert_true(x.log[0]);
		if (!xe_stream_parse(x.buf, x.len, &p, &err))
			xe_stream_free(&p);
		if (x.kinds == 1u << XE_MUT_TRUNCATE)
			assert_true(x.len <= base_len);
		xe_stream_mutant_free(&x);
	}
	for (int k = 0; k < XE_MUT_COUNT; k++)
		if (!(seen & (1u << k)))
			fail_msg("kind %s never drawn", xe_mut_kind_name(k));
}

/* compact: at most two VRAM packets of at most 64 KiB (before mutations). */
static void test_compact(void **state)
{
	struct xe_stream_mutator m = mutator(true);
	unsigned int smaller = 0;

	m.max_steps = 1;
	for (uint64_t s = 0; s < 200; s++) {
		struct xe_stream_mutant x;

		assert_int_equal(xe_stream_mutate(&m, s, &x), 0);
		if (!(x.kinds & (1u << XE_MUT_DUP | 1u << XE_MUT_SPLICE | 1u << XE_MUT_REPLACE |
				 1u << XE_MUT_RESIZE | 1u << XE_MUT_HDR_SIZE))) {
			assert_true(x.len <= base_len - 2 * VRAM_CHUNK);
			smaller++;
		}
		xe_stream_mutant_free(&x);
	}
	assert_true(smaller > 100);
}

static void test_cut(void **state)
{
	struct xe_stream_mutant x;

	for (size_t i = 0; i <= base.count; i++) {
		size_t at = i < base.count ? base.pkts[i].pos : base_len;

		assert_int_equal(xe_stream_mutate_cut(&base, i, 0, &x), 0);
		assert_int_equal(x.len, at);
		assert_memory_equal(x.buf, base_buf, x.len);
		xe_stream_mutant_free(&x);
		if (i == base.count)
			break;
		assert_int_equal(xe_stream_mutate_cut(&base, i, 1, &x), 0);
		assert_true(x.len > at && x.len < at + sizeof(struct xe_sriov_packet_hdr));
		xe_stream_mutant_free(&x);
		assert_int_equal(xe_stream_mutate_cut(&base, i, 2, &x), 0);
		assert_true(x.len >= at + sizeof(struct xe_sriov_packet_hdr));
		assert_true(x.len <= at + sizeof(struct xe_sriov_packet_hdr) +
				      base.pkts[i].hdr.size);
		xe_stream_mutant_free(&x);
	}
	assert_int_equal(xe_stream_mutate_cut(&base, base.count + 1, 0, &x), -EINVAL);
	assert_int_equal(xe_stream_mutate_cut(&base, base.count, 1, &x), -EINVAL);
}

static void test_segments(void **state)
{
	struct xe_rng r;
	unsigned int ones = 0, big = 0;

	xe_rng_seed(&r, 3);
	for (int t = 0; t < 200; t++) {
		size_t left = 1 + xe_rng_below(&r, 1 << 20), total = 0, n;

		while (left) {
			n = xe_rng_segment(&r, left);
			assert_true(n >= 1 && n <= left);
			ones += n == 1;
			big += n >= (64u << 10);
			left -= n;
			total += n;
		}
		assert_true(total > 0);
	}
	assert_true(ones > 0);
	assert_true(big > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_replayable),
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_segments),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
