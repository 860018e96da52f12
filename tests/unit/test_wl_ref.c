// SPDX-License-Identifier: MIT
/*
 * The workloads' CPU references (workloads/wl_ref.c): the CCS formula,
 * compress/resolve, the one-dword shift, the seqno job records,
 * the seeded generator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wl_ref.h"

static void test_ccs_of(void **state)
{
	uint8_t b[WL_BLOCK] = { 0 };

	assert_int_equal(wl_ref_ccs_of(b), 1);		/* 1 + 0 % 255 */
	b[17] = 1;
	assert_int_equal(wl_ref_ccs_of(b), 2);
	memset(b, 0xff, sizeof(b));			/* 65280 = 256 * 255 */
	assert_int_equal(wl_ref_ccs_of(b), 1);
	memset(b, 0, sizeof(b));
	b[0] = 254;
	assert_int_equal(wl_ref_ccs_of(b), 255);	/* the largest CCS byte */
}

static void test_compress_resolve(void **state)
{
	uint8_t src[4 * WL_BLOCK], cmp[sizeof(src)], res[sizeof(src)], ccs[4], inplace[sizeof(src)];
	uint64_t rng = 42;

	wl_rand_bytes(&rng, src, sizeof(src));
	wl_ref_compress(src, cmp, ccs, sizeof(src));
	for (int b = 0; b < 4; b++) {
		assert_int_equal(ccs[b], wl_ref_ccs_of(src + b * WL_BLOCK));
		assert_true(ccs[b] >= 1);
		assert_int_equal(cmp[b * WL_BLOCK + 5], src[b * WL_BLOCK + 5] ^ ccs[b]);
	}
	wl_ref_resolve(cmp, ccs, res, sizeof(src));
	assert_memory_equal(res, src, sizeof(src));
	/* The engine compresses in place through a bounce buffer: same result. */
	memcpy(inplace, src, sizeof(src));
	wl_ref_compress(inplace, inplace, ccs, sizeof(src));
	assert_memory_equal(inplace, cmp, sizeof(src));
	/* A lost CCS (0) resolves to the compressed bytes. */
	memset(ccs, 0, sizeof(ccs));
	wl_ref_resolve(cmp, ccs, res, sizeof(src));
	assert_memory_equal(res, cmp, sizeof(src));
}

static void test_shift(void **state)
{
	uint8_t b[WL_BLOCK], once[WL_BLOCK];

	for (int k = 0; k < WL_BLOCK; k++)
		b[k] = (uint8_t)k;
	wl_ref_shift(b);
	/* one dword down, the last dword stays */
	assert_int_equal(b[0], 4);
	assert_int_equal(b[WL_BLOCK - 5], WL_BLOCK - 1);
	assert_int_equal(b[WL_BLOCK - 1], WL_BLOCK - 1);
	memcpy(once, b, WL_BLOCK);
	wl_ref_shift(b);
	assert_memory_not_equal(b, once, WL_BLOCK);
}

static void test_seqno_record(void **state)
{
	for (unsigned int i = 0; i < 200; i++) {
		uint32_t r[3], once[3];

		wl_ref_seqno_rec_init(7, i, r);
		assert_true(r[0] != r[1] && r[1] != r[2] && r[0] != r[2]);
		assert_int_equal(wl_ref_seqno_rec_runs(7, i, r), 0);
		wl_ref_seqno_rec_run(r);
		/* [a, b, c] -> [b, c, c] */
		memcpy(once, r, sizeof(r));
		assert_int_equal(once[1], once[2]);
		assert_int_equal(wl_ref_seqno_rec_runs(7, i, r), 1);
		/* another job's record, or another seed, is not this one */
		assert_int_equal(wl_ref_seqno_rec_runs(7, i + 1, r), -1);
		assert_int_equal(wl_ref_seqno_rec_runs(8, i, r), -1);
		wl_ref_seqno_rec_run(r);
		assert_int_equal(wl_ref_seqno_rec_runs(7, i, r), 2);
		wl_ref_seqno_rec_run(r);
		assert_int_equal(wl_ref_seqno_rec_runs(7, i, r), 2);
		r[0] ^= 1;
		assert_int_equal(wl_ref_seqno_rec_runs(7, i, r), -1);
	}
}

static void test_generator(void **state)
{
	uint64_t a = 1, b = 1, c = 2;

	assert_true(wl_rand64(&a) == wl_rand64(&b));
	assert_true(wl_rand64(&a) != wl_rand64(&c));
	assert_true(wl_seed_for(1, "fill") != wl_seed_for(1, "ccs"));
	assert_true(wl_seed_for(1, "fill") == wl_seed_for(1, "fill"));
	assert_true(wl_seed_for(1, "fill") != wl_seed_for(2, "fill"));
	assert_int_equal(wl_ref_fill_value(9, 100), wl_ref_fill_value(9, 100));
	assert_true(wl_ref_fill_value(9, 100) != wl_ref_fill_value(9, 101));
	assert_true(wl_ref_fill_value(9, 100) != wl_ref_fill_value(10, 100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ccs_of),
		cmocka_unit_test(test_compress_resolve),
		cmocka_unit_test(test_shift),
		cmocka_unit_test(test_seqno_record),
		cmocka_unit_test(test_generator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
