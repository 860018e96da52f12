// SPDX-License-Identifier: MIT
/*
 * The workloads' CPU references (workloads/wl_ref.c): the CCS formula,
 * compress/resolve, the seqno job chain and its replay/skip diagnosis,
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

#define JOBS 24

static void seqno_setup(uint8_t init[WL_BLOCK], uint32_t values[JOBS])
{
	uint64_t rng = wl_seed_for(7, "seqno");

	for (int i = 0; i < JOBS; i++)
		values[i] = wl_rand32(&rng);
	wl_rand_bytes(&rng, init, WL_BLOCK);
}

static void test_seqno_job(void **state)
{
	uint8_t b[WL_BLOCK] = { 0 };

	b[WL_BLOCK - 1] = 0x5a;
	wl_ref_seqno_job(b, 65, 0x04030201);	/* slot 1 */
	/* bytes 4..7 = 1,2,3,4, then everything one dword down */
	assert_int_equal(b[0], 1);
	assert_int_equal(b[3], 4);
	assert_int_equal(b[4], 0);
	/* the last dword stays, and the one before it is the old last one */
	assert_int_equal(b[WL_BLOCK - 1], 0x5a);
	assert_int_equal(b[WL_BLOCK - 5], 0x5a);
}

static void test_seqno_replay_and_skip_change_the_block(void **state)
{
	uint8_t init[WL_BLOCK], want[WL_BLOCK], got[WL_BLOCK];
	uint32_t values[JOBS];
	char msg[160];

	seqno_setup(init, values);
	memcpy(want, init, WL_BLOCK);
	wl_ref_seqno_run(want, values, JOBS, -1, -1);
	for (int j = 0; j < JOBS; j++) {
		memcpy(got, init, WL_BLOCK);
		wl_ref_seqno_run(got, values, JOBS, j, -1);
		assert_memory_not_equal(got, want, WL_BLOCK);
		assert_int_equal(wl_ref_seqno_diagnose(init, values, JOBS, got, msg, sizeof(msg)), j);
		assert_non_null(strstr(msg, "twice"));
		memcpy(got, init, WL_BLOCK);
		wl_ref_seqno_run(got, values, JOBS, -1, j);
		assert_memory_not_equal(got, want, WL_BLOCK);
		assert_int_equal(wl_ref_seqno_diagnose(init, values, JOBS, got, msg, sizeof(msg)), j);
		assert_non_null(strstr(msg, "never ran"));
	}
	memset(got, 0, WL_BLOCK);
	assert_int_equal(wl_ref_seqno_diagnose(init, values, JOBS, got, msg, sizeof(msg)), -1);
}

static void test_seqno_order_matters(void **state)
{
	uint8_t init[WL_BLOCK], want[WL_BLOCK], got[WL_BLOCK];
	uint32_t values[JOBS];

	seqno_setup(init, values);
	memcpy(want, init, WL_BLOCK);
	wl_ref_seqno_run(want, values, JOBS, -1, -1);
	/* Jobs 3 and 4 in the other order (the same slots get the same values). */
	memcpy(got, init, WL_BLOCK);
	for (int i = 0; i < JOBS; i++) {
		int j = i == 3 ? 4 : i == 4 ? 3 : i;

		wl_ref_seqno_job(got, (unsigned int)j, values[j]);
	}
	assert_memory_not_equal(got, want, WL_BLOCK);
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
		cmocka_unit_test(test_seqno_job),
		cmocka_unit_test(test_seqno_replay_and_skip_change_the_block),
		cmocka_unit_test(test_seqno_order_matters),
		cmocka_unit_test(test_generator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
