// SPDX-License-Identifier: MIT
/*
 * The statistics of xe_migtest_bench (tools/bench/bench_stats.c): median,
 * spread, the repetition policy and the least squares line.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bench_stats.h"

#define EPS 1e-9

static void test_median(void **state)
{
	const double odd[] = { 5, 1, 3 };
	const double even[] = { 4, 1, 3, 2 };
	const double one[] = { 7 };
	double copy[4];

	memcpy(copy, even, sizeof(copy));
	assert_float_equal(bench_median(odd, 3), 3, EPS);
	assert_float_equal(bench_median(even, 4), 2.5, EPS);
	assert_memory_equal(copy, even, sizeof(copy));	/* input untouched */
	assert_float_equal(bench_median(one, 1), 7, EPS);
	assert_float_equal(bench_median(one, 0), 0, EPS);
}

static void test_summary(void **state)
{
	const double v[] = { 10, 12, 11, 9, 100 };
	struct bench_summary s;

	bench_summarize(v, 5, &s);
	assert_int_equal(s.n, 5);
	assert_float_equal(s.min, 9, EPS);
	assert_float_equal(s.max, 100, EPS);
	assert_float_equal(s.median, 11, EPS);
	assert_float_equal(s.spread, 91.0 / 11, EPS);
	bench_summarize(v, 0, &s);
	assert_int_equal(s.n, 0);
	assert_float_equal(s.spread, 0, EPS);
}

static void test_enough(void **state)
{
	const struct bench_policy p = BENCH_POLICY_FULL;
	const double tight[] = { 100, 101, 99, 100 };
	const double loose[] = { 100, 150, 99, 100 };
	double many[BENCH_MAX_REPS];

	/* Never fewer than min_reps, even when equal. */
	assert_false(bench_enough(&p, tight, 0));
	assert_false(bench_enough(&p, tight, 2));
	assert_true(bench_enough(&p, tight, 3));
	/* A wide spread keeps going... */
	assert_false(bench_enough(&p, loose, 4));
	/* ...until max_reps. */
	for (int i = 0; i < BENCH_MAX_REPS; i++)
		many[i] = i % 2 ? 1 : 1000;
	assert_false(bench_enough(&p, many, 14));
	assert_true(bench_enough(&p, many, 15));
	/* The spread is relative to the median: 11 / 105 is too much,
	 * 10 / 105 and 10.5 / 105 (under 10 %) are not; 10 / 100 is not
	 * under 10 %. */
	assert_false(bench_enough(&p, (const double[]){ 100, 111, 105 }, 3));
	assert_true(bench_enough(&p, (const double[]){ 100, 110, 105 }, 3));
	assert_false(bench_enough(&p, (const double[]){ 95, 105, 100 }, 3));
}

struct fake {
	const double *values;
	int calls;
	int fail_at;
};

static int fake_measure(void *ctx, double *value)
{
	struct fake *f = ctx;

	if (f->calls == f->fail_at)
		return -EIO;
	*value = f->values[f->calls++];
	return 0;
}

static void test_repeat(void **state)
{
	const double settles[] = { 50, 180, 101, 99, 100, 100 };
	const double never[] = { 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2 };
	const struct bench_policy p = BENCH_POLICY_FULL;
	const struct bench_policy smoke = { 1, 2, 0.10 };
	const struct bench_policy huge = { 3, 1000, 0.10 };
	double v[BENCH_MAX_REPS];
	struct fake f = { settles, 0, -1 };

	/* A spread that never drops runs to max_reps. */
	f = (struct fake){ never, 0, -1 };
	assert_int_equal(bench_repeat(&p, fake_measure, &f, v), 15);
	assert_int_equal(f.calls, 15);

	f = (struct fake){ settles + 2, 0, -1 };	/* 101 99 100 */
	assert_int_equal(bench_repeat(&p, fake_measure, &f, v), 3);
	assert_float_equal(v[2], 100, EPS);

	/* Smoke: one sample has no spread, so one is enough. */
	f = (struct fake){ never, 0, -1 };
	assert_int_equal(bench_repeat(&smoke, fake_measure, &f, v), 1);
	/* With two at least, a spread stops at max_reps. */
	f = (struct fake){ never, 0, -1 };
	assert_int_equal(bench_repeat(&(struct bench_policy){ 2, 2, 0.1 },
				      fake_measure, &f, v), 2);

	/* max_reps beyond the sample array is clamped. */
	f = (struct fake){ never, 0, -1 };
	{
		double big[BENCH_MAX_REPS * 2];

		for (int i = 0; i < BENCH_MAX_REPS * 2; i++)
			big[i] = i % 2 + 1;
		f.values = big;
		assert_int_equal(bench_repeat(&huge, fake_measure, &f, v), BENCH_MAX_REPS);
	}

	/* The first error stops it and is returned. */
	f = (struct fake){ never, 0, 1 };
	assert_int_equal(bench_repeat(&p, fake_measure, &f, v), -EIO);
}

static void test_fit_exact(void **state)
{
	/* downtime_ns = 2e6 + 0.5 * bytes, at state sizes 16..256 MiB. */
	double x[5], y[5];
	struct bench_fit fit;

	for (int i = 0; i < 5; i++) {
		x[i] = (double)(16ull << 20 << i);
		y[i] = 2e6 + 0.5 * x[i];
	}
	assert_int_equal(bench_linear_fit(x, y, 5, &fit), 0);
	assert_float_equal(fit.slope, 0.5, 1e-12);
	assert_float_equal(fit.intercept, 2e6, 1e-3);
	assert_float_equal(fit.r2, 1, 1e-12);
}

static void test_fit_noise(void **state)
{
	/* By hand: mean x 2.5, mean y 6, Sxx 17.5, Sxy 33.5. */
	const double x[] = { 0, 1, 2, 3, 4, 5 };
	const double y[] = { 1.5, 2.5, 5.5, 6.5, 9.5, 10.5 };
	struct bench_fit fit;

	assert_int_equal(bench_linear_fit(x, y, 6, &fit), 0);
	assert_float_equal(fit.slope, 33.5 / 17.5, 1e-12);
	assert_float_equal(fit.intercept, 6 - 2.5 * 33.5 / 17.5, 1e-12);
	assert_true(fit.r2 > 0.95 && fit.r2 < 1);
}

static void test_fit_degenerate(void **state)
{
	const double x[] = { 3, 3, 3 };
	const double y[] = { 1, 2, 3 };
	const double flat[] = { 4, 4, 4 };
	const double xs[] = { 1, 2, 3 };
	struct bench_fit fit;

	assert_int_equal(bench_linear_fit(x, y, 1, &fit), -EINVAL);
	assert_int_equal(bench_linear_fit(x, y, 3, &fit), -EINVAL);
	assert_int_equal(bench_linear_fit(xs, flat, 3, &fit), 0);
	assert_float_equal(fit.slope, 0, EPS);
	assert_float_equal(fit.intercept, 4, EPS);
	assert_float_equal(fit.r2, 1, EPS);
}

static void test_sizes(void **state)
{
	uint64_t b;
	char buf[32];

	assert_int_equal(bench_parse_size("64K", &b), 0);
	assert_int_equal(b, 64 << 10);
	assert_int_equal(bench_parse_size("256M", &b), 0);
	assert_int_equal(b, 256 << 20);
	assert_int_equal(bench_parse_size("1GiB", &b), 0);
	assert_int_equal(b, 1 << 30);
	assert_int_equal(bench_parse_size("4096", &b), 0);
	assert_int_equal(b, 4096);
	assert_int_equal(bench_parse_size("", &b), -EINVAL);
	assert_int_equal(bench_parse_size("M", &b), -EINVAL);
	assert_int_equal(bench_parse_size("12X", &b), -EINVAL);
	assert_int_equal(bench_parse_size("12Mx", &b), -EINVAL);
	bench_format_size(64 << 10, buf, sizeof(buf));
	assert_string_equal(buf, "64 KiB");
	bench_format_size(16 << 20, buf, sizeof(buf));
	assert_string_equal(buf, "16 MiB");
	bench_format_size(3 << 19, buf, sizeof(buf));
	assert_string_equal(buf, "1.5 MiB");
	bench_format_size(100, buf, sizeof(buf));
	assert_string_equal(buf, "100 B");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_enough),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_fit_exact),
		cmocka_unit_test(test_fit_noise),
		cmocka_unit_test(test_fit_degenerate),
		cmocka_unit_test(test_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
