// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Figures: what each kind is called, adding one to a part, finding one.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"

static const struct {
	const char *name;
	const char *label;
	bool time;
} kinds[BENCH_NUM_KINDS] = {
	[BENCH_MEMCPY] = { "memcpy", "memcpy (the physical limit)", false },
	[BENCH_MEMCPY_MT] = { "memcpy_mt", "memcpy, all CPUs at once", false },
	[BENCH_PIPE] = { "pipe", "pipe write()/read() (naive pump)", false },
	[BENCH_REP_MOVSB] = { "rep_movsb", "rep movsb (copy_*_user with ERMS/FSRM)", false },
	[BENCH_REP_MOVSQ] = { "rep_movsq", "rep movsq (copy_*_user without)", false },
	[BENCH_PUMP] = { "pump", "data pump STOP_COPY fd -> RESUMING fd", false },
	[BENCH_PUMP_SERIAL] = { "pump_serial", "data pump in one thread", false },
	[BENCH_DOWNTIME] = { "downtime", "downtime per hop", true },
	[BENCH_SAVE] = { "save", "module save path (STOP_COPY fd -> memory)", false },
	[BENCH_RESTORE] = { "restore", "module restore path (memory -> RESUMING fd, commit)", false },
	[BENCH_VERIFY] = { "verify", "verification (vf_state capture + compare)", false },
	[BENCH_SCALING] = { "scaling", "concurrent pairs, aggregate", false },
	[BENCH_IDLE] = { "idle", "one pair's downtime with idle VFs", true },
};

const char *bench_kind_name(enum bench_kind k)
{
	return (unsigned int)k < BENCH_NUM_KINDS ? kinds[k].name : "?";
}

const char *bench_kind_label(enum bench_kind k)
{
	return (unsigned int)k < BENCH_NUM_KINDS ? kinds[k].label : "?";
}

int bench_kind_by_name(const char *name)
{
	for (int k = 0; k < BENCH_NUM_KINDS; k++)
		if (!strcmp(kinds[k].name, name))
			return k;
	return -1;
}

bool bench_kind_is_time(enum bench_kind k)
{
	return (unsigned int)k < BENCH_NUM_KINDS && kinds[k].time;
}

struct bench_fig *bench_fig_add(struct bench_part *p, enum bench_kind k,
				uint64_t bytes)
{
	struct bench_fig *f;

	if (p->n_figs == BENCH_MAX_FIGS)
		return NULL;
	f = &p->figs[p->n_figs++];
	memset(f, 0, sizeof(*f));
	f->kind = k;
	f->bytes = bytes;
	return f;
}

struct paired {
	struct bench_ctx *b;
	struct bench_fig *f;
	int (*measure)(void *ctx, double *value);
	void *ctx;
	int i;
};

static int paired_sample(void *arg, double *value)
{
	struct paired *p = arg;

	p->f->ref[p->i++] = p->b->ref.src ? bench_ref_sample(p->b) : 0;
	return p->measure(p->ctx, value);
}

int bench_measure(struct bench_ctx *b, struct bench_fig *f,
		  int (*measure)(void *ctx, double *value), void *ctx)
{
	struct paired p = { b, f, measure, ctx, 0 };
	int n = bench_repeat(&b->policy, paired_sample, &p, f->v);

	f->n = n < 0 ? 0 : n;
	return n < 0 ? n : 0;
}

void bench_fig_ratios(const struct bench_part *p, const struct bench_fig *f,
		      struct bench_ratio *r)
{
	double v[BENCH_MAX_REPS], best = bench_part_memcpy_best(p), med = bench_part_memcpy(p);
	bool time = bench_kind_is_time(f->kind);
	int n = 0;

	r->best = r->median = 0;
	if (best <= 0 || !f->n || f->s.min <= 0)
		return;
	/* time: ms against the ms memcpy takes for the bytes */
	r->best = time ? f->s.min / (f->bytes / best / 1e3) : f->s.max / best;
	for (int i = 0; i < f->n && f->ref[i] > 0; i++)
		v[n++] = time ? f->v[i] / (f->bytes / f->ref[i] / 1e3) : f->v[i] / f->ref[i];
	if (n == f->n)
		r->median = bench_median(v, n);
	else if (med > 0)
		r->median = time ? f->s.median / (f->bytes / med / 1e3) : f->s.median / med;
}

void bench_fig_done(struct bench_ctx *b, struct bench_fig *f)
{
	char size[32], buf[32] = "";
	const char *unit = bench_kind_is_time(f->kind) ? "ms" : "MB/s";

	bench_summarize(f->v, f->n, &f->s);
	bench_format_size(f->lmem ? f->lmem : f->bytes, size, sizeof(size));
	if (f->buf)
		bench_format_size(f->buf, buf, sizeof(buf));
	printf("bench: %-9s %8s", bench_kind_name(f->kind), size);
	if (f->buf)
		printf(" buf %s", buf);
	if (f->pairs)
		printf(" x%u", f->pairs);
	if (f->kind == BENCH_IDLE)
		printf(" idle %u", f->idle);
	printf(": %.1f %s median (%.1f .. %.1f, %d reps, spread %.0f%%)\n",
	       f->s.median, unit, f->s.min, f->s.max, f->n, 100 * f->s.spread);
	fflush(stdout);
}

const struct bench_fig *bench_part_find(const struct bench_part *p,
					enum bench_kind k, uint64_t lmem,
					uint64_t buf, unsigned int pairs,
					unsigned int idle)
{
	for (int i = 0; i < p->n_figs; i++) {
		const struct bench_fig *f = &p->figs[i];

		if (f->kind == k && (lmem == BENCH_ANY || f->lmem == lmem) &&
		    (buf == BENCH_ANY || f->buf == buf) &&
		    (pairs == ~0u || f->pairs == pairs) &&
		    (idle == ~0u || f->idle == idle))
			return f;
	}
	return NULL;
}

double bench_part_memcpy(const struct bench_part *p)
{
	const struct bench_fig *f = bench_part_find(p, BENCH_MEMCPY, BENCH_ANY,
						    BENCH_ANY, ~0u, ~0u);

	return f ? f->s.median : 0;
}

double bench_part_memcpy_best(const struct bench_part *p)
{
	double best = 0;

	for (int i = 0; i < p->n_figs; i++) {
		const struct bench_fig *f = &p->figs[i];

		for (int j = 0; j < f->n; j++) {
			best = f->ref[j] > best ? f->ref[j] : best;
			if (f->kind == BENCH_MEMCPY && f->v[j] > best)
				best = f->v[j];
		}
	}
	return best;
}
