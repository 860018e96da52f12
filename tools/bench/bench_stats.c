// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Repetition, summaries and the least squares fit of xe_migtest_bench.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bench_median(const double *v, int n)
{
	double s[BENCH_MAX_REPS], *w = s, m;

	if (n <= 0)
		return 0;
	if (n > BENCH_MAX_REPS) {
		w = malloc(n * sizeof(*w));
		if (!w)
			return NAN;
	}
	memcpy(w, v, n * sizeof(*w));
	qsort(w, n, sizeof(*w), cmp_double);
	m = n % 2 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;
	if (w != s)
		free(w);
	return m;
}

void bench_summarize(const double *v, int n, struct bench_summary *s)
{
	memset(s, 0, sizeof(*s));
	if (n <= 0)
		return;
	s->n = n;
	s->min = s->max = v[0];
	for (int i = 1; i < n; i++) {
		s->min = v[i] < s->min ? v[i] : s->min;
		s->max = v[i] > s->max ? v[i] : s->max;
	}
	s->median = bench_median(v, n);
	s->spread = s->median != 0 ? (s->max - s->min) / fabs(s->median) : 0;
}

static int clamp_max(const struct bench_policy *p)
{
	int max = p->max_reps < 1 ? 1 : p->max_reps;

	return max > BENCH_MAX_REPS ? BENCH_MAX_REPS : max;
}

bool bench_enough(const struct bench_policy *p, const double *v, int n)
{
	struct bench_summary s;

	if (n >= clamp_max(p))
		return true;
	if (n < p->min_reps || n < 1)
		return false;
	bench_summarize(v, n, &s);
	return s.spread < p->max_spread;
}

int bench_repeat(const struct bench_policy *p,
		 int (*measure)(void *ctx, double *value), void *ctx, double *v)
{
	int n = 0;

	while (!bench_enough(p, v, n)) {
		int err = measure(ctx, &v[n]);

		if (err)
			return err;
		n++;
	}
	return n;
}

int bench_linear_fit(const double *x, const double *y, int n, struct bench_fit *fit)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0, syy = 0;

	if (n < 2)
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= n;
	my /= n;
	/* Centered sums: no cancellation with large x (bytes) and small y. */
	for (int i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
		syy += (y[i] - my) * (y[i] - my);
	}
	if (sxx == 0)
		return -EINVAL;
	fit->slope = sxy / sxx;
	fit->intercept = my - fit->slope * mx;
	fit->r2 = syy == 0 ? 1 : sxy * sxy / (sxx * syy);
	return 0;
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int bench_parse_size(const char *s, uint64_t *bytes)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case '\0':
		break;
	default:
		return -EINVAL;
	}
	if (*end && end[1] && strcmp(end + 1, "iB") && strcmp(end + 1, "B"))
		return -EINVAL;
	if (v > (~0ull >> shift))
		return -EINVAL;
	*bytes = v << shift;
	return 0;
}

void bench_format_size(uint64_t bytes, char *buf, size_t size)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;
	double v = bytes;

	while (u < 4 && v >= 1024) {
		v /= 1024;
		u++;
	}
	if (v == (uint64_t)v)
		snprintf(buf, size, "%llu %s", (unsigned long long)v, unit[u]);
	else
		snprintf(buf, size, "%.3g %s", v, unit[u]);
}
