/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The statistics of xe_migtest_bench: repeat a measurement until its
 * spread is small, summarize it (min/median/max), and fit a line through
 * points by least squares. No I/O: unit-tested natively.
 */
#ifndef XEMT_BENCH_STATS_H
#define XEMT_BENCH_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_MAX_REPS	32

/* When to stop repeating: at least min_reps, at most max_reps, and in
 * between as soon as (max - min) / median < max_spread. */
struct bench_policy {
	int min_reps;
	int max_reps;
	double max_spread;
};

/* The default of a full run: 3..15 repetitions, spread under 10 %. */
#define BENCH_POLICY_FULL ((struct bench_policy){ 3, 15, 0.10 })

struct bench_summary {
	int n;
	double min, median, max;
	double spread;		/* (max - min) / median; 0 when median is 0 */
};

/* Median of v[0..n) (mean of the middle two for even n); v is not changed. */
double bench_median(const double *v, int n);

/* Summary of v[0..n); n == 0 gives all zeros. */
void bench_summarize(const double *v, int n, struct bench_summary *s);

/* Whether n samples v[] satisfy the policy (enough, or too many already). */
bool bench_enough(const struct bench_policy *p, const double *v, int n);

/*
 * Call measure(ctx, &value) until bench_enough(); samples go to v[] (room
 * for BENCH_MAX_REPS; max_reps is clamped to it). Returns the number of
 * samples, or the first negative errno measure() returned.
 */
int bench_repeat(const struct bench_policy *p,
		 int (*measure)(void *ctx, double *value), void *ctx, double *v);

/* y = intercept + slope * x, and how well it fits. */
struct bench_fit {
	double slope;
	double intercept;
	double r2;		/* coefficient of determination; 1 for a perfect fit */
};

/*
 * Least squares line through (x[i], y[i]), i < n. -EINVAL for fewer than
 * two points or when all x are equal.
 */
int bench_linear_fit(const double *x, const double *y, int n, struct bench_fit *fit);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

/*
 * A size with a binary suffix: "64K", "1M", "256M", "1G" or plain bytes.
 * 0 or -EINVAL.
 */
int bench_parse_size(const char *s, uint64_t *bytes);

/* "64 KiB", "1 MiB", "1.5 MiB": the shortest exact binary form. */
void bench_format_size(uint64_t bytes, char *buf, size_t size);

#endif
