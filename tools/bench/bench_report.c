// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The report: every part of a bench directory merged into one table, one
 * bench.json and SVG plots, each figure next to its reference and, where
 * the issue sets one, its target. A target is a ratio; a miss is printed
 * as MISS and never fails the command. Ratios divide by the memcpy of the
 * machine (VM) the figure was measured in.
 *
 *   pump, buffers >= 1 MiB   median MB/s >= 0.8 x memcpy
 *   verification             >= 0.8 x memcpy
 *   module save path         >= 0.5 x memcpy
 *   downtime, largest state  <= 2 x state bytes / memcpy bandwidth
 *   idle VFs                 one pair's downtime with them <= 1.1 x without
 */
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "svg_plot.h"

#define QEMU_BUF	(1u << 20)	/* QEMU's VFIO migration buffer */

struct target {
	double ratio;		/* what was measured, as a ratio */
	double limit;		/* the target */
	bool at_most;		/* ratio <= limit passes (else >=) */
	bool set;		/* a target applies */
};

struct report {
	struct bench_part *parts;
	int n;
	const struct bench_part *main;	/* the largest state with a pump sweep */
	const struct bench_part *host;	/* the host's references, if measured */
	struct bench_machine host_machine;
	const struct bench_report_opts *o;
	bool have_fit;
	struct bench_fit fit;		/* downtime ms against state MiB */
	int fit_points;
	int pass, miss;
	json_t *targets;
};

static bool is_pass(const struct target *t)
{
	return t->at_most ? t->ratio <= t->limit : t->ratio >= t->limit;
}

static const struct bench_part *largest_with_downtime(const struct report *r)
{
	const struct bench_part *best = NULL;

	for (int i = 0; i < r->n; i++)
		if (bench_part_find(&r->parts[i], BENCH_DOWNTIME, BENCH_ANY, QEMU_BUF, ~0u, ~0u) &&
		    (!best || r->parts[i].stream_bytes > best->stream_bytes))
			best = &r->parts[i];
	return best;
}

/*
 * Downtime with idle VFs over downtime without: best against best (the
 * fastest hop of each), and median against median. The two runs cannot
 * interleave (the idle VFs exist or not), so the best samples, the least
 * disturbed by other load, decide.
 */
static void idle_ratios(const struct bench_fig *with, const struct bench_fig *without,
			struct bench_ratio *r)
{
	r->best = without->s.min > 0 ? with->s.min / without->s.min : 0;
	r->median = without->s.median > 0 ? with->s.median / without->s.median : 0;
}

/* The ratios of a figure to its reference, and its target if it has one. */
static struct target judge(const struct report *r, const struct bench_part *p,
			   const struct bench_fig *f, struct bench_ratio *ratio)
{
	struct target t = { 0 };

	bench_fig_ratios(p, f, ratio);
	switch (f->kind) {
	case BENCH_DOWNTIME:
		t.limit = 2.0;
		t.at_most = true;
		t.set = f->buf == QEMU_BUF && p == largest_with_downtime(r);
		break;
	case BENCH_IDLE: {
		const struct bench_fig *none = bench_part_find(p, BENCH_IDLE, BENCH_ANY,
							       BENCH_ANY, ~0u, 0);

		if (none)
			idle_ratios(f, none, ratio);
		t.limit = 1.10;
		t.at_most = true;
		t.set = f->idle > 0 && none;
		break;
	}
	case BENCH_PUMP:
		t.limit = 0.8;
		t.set = f->buf >= QEMU_BUF;
		break;
	case BENCH_VERIFY:
		t.limit = 0.8;
		t.set = true;
		break;
	case BENCH_SAVE:
		t.limit = 0.5;
		t.set = true;
		break;
	default:
		break;
	}
	t.ratio = ratio->best;
	t.set &= ratio->best > 0;
	return t;
}

#define PLOT_NOTE "points: the fastest sample; bars reach the median"

/* A figure on a plot: its fastest sample, with a bar to its median. */
static void plot_fig(struct svg_series *s, double x, const struct bench_fig *f)
{
	double best = bench_kind_is_time(f->kind) ? f->s.min : f->s.max;

	svg_point(s, x, best, fmin(best, f->s.median), fmax(best, f->s.median));
}

static const char *size_str(uint64_t b, char *buf, size_t n)
{
	if (!b)
		snprintf(buf, n, "-");
	else
		bench_format_size(b, buf, n);
	return buf;
}

static void row(struct report *r, FILE *out, const char *label,
		const struct bench_part *p, const struct bench_fig *f)
{
	struct bench_ratio ratio;
	struct target t = judge(r, p, f, &ratio);
	char size[32], buf[32], tgt[32] = "", best[16] = "", med[16] = "";
	const char *verdict = "";
	json_t *o;

	if (ratio.best > 0)
		snprintf(best, sizeof(best), "%.2f", ratio.best);
	if (ratio.median > 0)
		snprintf(med, sizeof(med), "%.2f", ratio.median);
	if (t.set) {
		snprintf(tgt, sizeof(tgt), "%s%.2f", t.at_most ? "<=" : ">=", t.limit);
		verdict = is_pass(&t) ? "PASS" : "MISS";
		is_pass(&t) ? r->pass++ : r->miss++;
		o = json_pack("{s:s, s:s, s:I, s:I, s:i, s:i, s:f, s:f, s:s, s:f, s:s}",
			      "part", p->name, "kind", bench_kind_name(f->kind),
			      "lmem_bytes", (json_int_t)f->lmem, "buf_bytes", (json_int_t)f->buf,
			      "pairs", (int)f->pairs, "idle", (int)f->idle,
			      "ratio_best", ratio.best, "ratio_median", ratio.median,
			      "op", t.at_most ? "<=" : ">=", "target", t.limit,
			      "verdict", verdict);
		json_array_append_new(r->targets, o);
	}
	fprintf(out, "  %-38s %8s %7s %8.1f %8.1f %8.1f %-4s %4d %5s %5s %6s %s\n", label,
		size_str(f->kind == BENCH_DOWNTIME || f->kind == BENCH_IDLE ? f->bytes :
			 f->lmem ? f->lmem : f->bytes, size, sizeof(size)),
		size_str(f->buf, buf, sizeof(buf)), f->s.min, f->s.median, f->s.max,
		bench_kind_is_time(f->kind) ? "ms" : "MB/s", f->n, best, med, tgt, verdict);
}

static void header(FILE *out, const char *title)
{
	fprintf(out, "\n%s\n", title);
}

static int cmp_part(const void *a, const void *b)
{
	const struct bench_part *x = a, *y = b;

	/* The host's references first, then by state size. */
	if (!x->lmem != !y->lmem)
		return x->lmem ? 1 : -1;
	return x->lmem < y->lmem ? -1 : x->lmem > y->lmem;
}

static int load(struct report *r)
{
	char pattern[4200];
	glob_t g;
	int err = 0;

	snprintf(pattern, sizeof(pattern), "%s/part-*.json", r->o->dir);
	if (glob(pattern, 0, NULL, &g)) {
		fprintf(stderr, "bench: no part-*.json in %s\n", r->o->dir);
		return -ENOENT;
	}
	r->parts = calloc(g.gl_pathc, sizeof(*r->parts));
	if (!r->parts) {
		globfree(&g);
		return -ENOMEM;
	}
	for (size_t i = 0; i < g.gl_pathc && !err; i++)
		err = bench_part_read(&r->parts[r->n++], g.gl_pathv[i]);
	globfree(&g);
	if (err)
		return err;
	qsort(r->parts, r->n, sizeof(*r->parts), cmp_part);
	/* main: the most pump buffer sizes, then the largest state */
	for (int i = 0, most = 0; i < r->n; i++) {
		const struct bench_part *p = &r->parts[i];
		int pumps = 0;

		for (int j = 0; j < p->n_figs; j++)
			pumps += p->figs[j].kind == BENCH_PUMP;
		if (!p->lmem && !strcmp(p->name, "host"))
			r->host = p;
		if (pumps && pumps >= most) {
			most = pumps;
			r->main = p;
		}
	}
	return 0;
}

static const char *xfmt_size(double x, char *buf, int size)
{
	bench_format_size((uint64_t)x, buf, size);
	return buf;
}

static const char *xfmt_mib(double x, char *buf, int size)
{
	snprintf(buf, size, "%g", x);
	return buf;
}

static void machine_line(FILE *out, const char *what, const struct bench_machine *m)
{
	fprintf(out, "%s: %s, %u CPUs, %.1f GiB, %s, accel %s, load average %s\n", what,
		m->cpu, m->cores, m->mem_bytes / 1073741824.0, m->kernel, m->accel,
		m->load[0] ? m->load : "?");
}

static void section_refs(struct report *r, FILE *out)
{
	static const struct {
		enum bench_kind k;
		const char *label;
	} refs[] = {
		{ BENCH_MEMCPY, "memcpy (the physical limit)" },
		{ BENCH_PIPE, "pipe write/read (naive pump)" },
		{ BENCH_MEMCPY_MT, "memcpy, every CPU at once" },
		{ BENCH_REP_MOVSB, "rep movsb (copy_*_user, ERMS/FSRM)" },
		{ BENCH_REP_MOVSQ, "rep movsq (copy_*_user otherwise)" },
	};
	const struct bench_part *src[2] = { r->main, r->host };
	const char *where[2] = { "sim VM", "host, natively" };

	for (int s = 0; s < 2; s++) {
		char title[128];

		if (!src[s])
			continue;
		snprintf(title, sizeof(title), "references (%s, part %s)", where[s], src[s]->name);
		header(out, title);
		for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
			const struct bench_fig *f = bench_part_find(src[s], refs[i].k, BENCH_ANY,
								    BENCH_ANY, ~0u, ~0u);

			if (f)
				row(r, out, refs[i].label, src[s], f);
		}
	}
}

static void section_pump(struct report *r, FILE *out, struct svg_plot *plot)
{
	const struct bench_part *p = r->main;
	struct svg_series *pump, *mc, *tgt, *pipe;
	const struct bench_fig *fpipe;
	char title[160], size[32];
	double x0 = 0, x1 = 0, m;

	if (!p)
		return;
	m = bench_part_memcpy_best(p);
	snprintf(title, sizeof(title), "data pump by buffer size, LMEM %s, stream %.1f MiB (part %s)",
		 size_str(p->lmem, size, sizeof(size)), p->stream_bytes / 1048576.0, p->name);
	header(out, title);
	snprintf(plot->title, sizeof(plot->title), "Data pump, LMEM %s per VF", size);
	plot->xlabel = "pump buffer (read()/write() size)";
	plot->ylabel = "MB/s";
	plot->xlog2 = true;
	plot->xfmt = xfmt_size;
	plot->note = PLOT_NOTE;
	pump = svg_add(plot, "pump", "#1f77b4", false);
	for (int i = 0; i < p->n_figs; i++) {
		const struct bench_fig *f = &p->figs[i];

		if (f->kind != BENCH_PUMP)
			continue;
		row(r, out, f->buf == QEMU_BUF ? "pump  <- QEMU's 1 MiB default" : "pump", p, f);
		plot_fig(pump, f->buf, f);
		if (f->buf == QEMU_BUF && pump->n)
			snprintf(pump->tag[pump->n - 1], sizeof(pump->tag[0]), "QEMU default");
		x0 = x0 && x0 < f->buf ? x0 : f->buf;
		x1 = x1 > f->buf ? x1 : f->buf;
	}
	for (int i = 0; i < p->n_figs; i++)
		if (p->figs[i].kind == BENCH_PUMP_SERIAL)
			row(r, out, "pump in one thread (read, write, ...)", p, &p->figs[i]);
	fpipe = bench_part_find(p, BENCH_PUMP_SERIAL, BENCH_ANY, BENCH_ANY, ~0u, ~0u);
	if (fpipe) {
		struct svg_series *ser = svg_add(plot, "pump in one thread", "#2ca02c", false);

		plot_fig(ser, fpipe->buf, fpipe);
	}
	if (m > 0 && x1 > x0) {
		mc = svg_add(plot, "memcpy (fastest)", "#d62728", true);
		svg_point(mc, x0, m, 0, 0);
		svg_point(mc, x1, m, 0, 0);
		tgt = svg_add(plot, "target 0.8 x memcpy", "#ff7f0e", true);
		svg_point(tgt, x0, 0.8 * m, 0, 0);
		svg_point(tgt, x1, 0.8 * m, 0, 0);
	}
	fpipe = bench_part_find(p, BENCH_PIPE, BENCH_ANY, BENCH_ANY, ~0u, ~0u);
	if (fpipe && x1 > x0) {
		pipe = svg_add(plot, "pipe, 1 MiB (naive)", "#7f7f7f", true);
		svg_point(pipe, x0, fpipe->s.max, 0, 0);
		svg_point(pipe, x1, fpipe->s.max, 0, 0);
	}
}

static void section_sizes(struct report *r, FILE *out, struct svg_plot *plot)
{
	static const struct {
		enum bench_kind k;
		const char *label;
		const char *color;
	} kinds[] = {
		{ BENCH_MEMCPY, "memcpy (this VM)", "#d62728" },
		{ BENCH_PUMP, "pump", "#1f77b4" },
		{ BENCH_SAVE, "save path", "#2ca02c" },
		{ BENCH_RESTORE, "restore path", "#9467bd" },
		{ BENCH_VERIFY, "verify", "#8c564b" },
	};
	bool any = false;

	for (int i = 0; i < r->n; i++)
		any |= r->parts[i].lmem != 0;
	if (!any)
		return;
	header(out, "by state size, 1 MiB buffer (ratios against the memcpy of the same VM)");
	snprintf(plot->title, sizeof(plot->title), "Throughput by LMEM size");
	plot->note = PLOT_NOTE;
	plot->xlabel = "LMEM per VF (MiB)";
	plot->ylabel = "MB/s";
	plot->xlog2 = true;
	plot->xfmt = xfmt_mib;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct svg_series *s = svg_add(plot, kinds[k].label, kinds[k].color,
					       kinds[k].k == BENCH_MEMCPY);

		for (int i = 0; i < r->n; i++) {
			const struct bench_part *p = &r->parts[i];
			const struct bench_fig *f;
			char label[64];

			if (!p->lmem)
				continue;
			f = bench_part_find(p, kinds[k].k, BENCH_ANY,
					    kinds[k].k == BENCH_PUMP ? QEMU_BUF : BENCH_ANY,
					    ~0u, ~0u);
			if (!f)
				continue;
			snprintf(label, sizeof(label), "%s, LMEM %llu MiB", kinds[k].label,
				 (unsigned long long)(p->lmem >> 20));
			row(r, out, label, p, f);
			plot_fig(s, p->lmem >> 20, f);
		}
	}
}

static void section_downtime(struct report *r, FILE *out, struct svg_plot *plot)
{
	double x[BENCH_MAX_PARTS], y[BENCH_MAX_PARTS];
	const struct bench_part *big = largest_with_downtime(r);
	struct svg_series *pts, *line, *floor2, *floor1;
	double xmax = 0, m = big ? bench_part_memcpy_best(big) : 0;
	int n = 0;

	if (!big)
		return;
	header(out, "downtime per hop (vfio_migrate: src leaves RUNNING .. dst RUNNING), 1 MiB buffer");
	snprintf(plot->title, sizeof(plot->title), "Downtime per hop against state size");
	plot->xlabel = "migration stream (MiB)";
	plot->ylabel = "downtime (ms)";
	plot->xfmt = xfmt_mib;
	plot->note = PLOT_NOTE;
	pts = svg_add(plot, "downtime", "#1f77b4", false);
	for (int i = 0; i < r->n && n < BENCH_MAX_PARTS; i++) {
		const struct bench_part *p = &r->parts[i];
		const struct bench_fig *f = bench_part_find(p, BENCH_DOWNTIME, BENCH_ANY,
							    QEMU_BUF, ~0u, ~0u);
		char label[64];

		if (!f)
			continue;
		snprintf(label, sizeof(label), "downtime, LMEM %llu MiB",
			 (unsigned long long)(p->lmem >> 20));
		row(r, out, label, p, f);
		x[n] = f->bytes / 1048576.0;
		y[n] = f->s.min;	/* the least disturbed hop, as the ratios */
		plot_fig(pts, x[n], f);
		xmax = fmax(xmax, x[n]);
		n++;
	}
	r->fit_points = n;
	r->have_fit = !bench_linear_fit(x, y, n, &r->fit);
	if (r->have_fit) {
		fprintf(out, "  fit of the fastest hops over %d sizes: downtime = %.2f ms + %.3f ms/MiB"
			" x state (r^2 %.4f): %.0f MB/s while down\n", n, r->fit.intercept,
			r->fit.slope, r->fit.r2,
			r->fit.slope > 0 ? 1048576.0 / (r->fit.slope * 1e3) : 0);
		line = svg_add(plot, "least squares fit", "#1f77b4", true);
		svg_point(line, 0, r->fit.intercept, 0, 0);
		svg_point(line, xmax, r->fit.intercept + r->fit.slope * xmax, 0, 0);
	} else {
		fprintf(out, "  fit: needs two state sizes or more (have %d)\n", n);
	}
	if (m > 0) {
		double ms_per_mib = 1048576.0 / m / 1e3;

		fprintf(out, "  state / fastest memcpy at %.1f MiB: %.1f ms; the target allows %.1f ms\n",
			big->stream_bytes / 1048576.0, big->stream_bytes / m / 1e3,
			2 * big->stream_bytes / m / 1e3);
		floor1 = svg_add(plot, "state / memcpy", "#d62728", true);
		svg_point(floor1, 0, 0, 0, 0);
		svg_point(floor1, xmax, xmax * ms_per_mib, 0, 0);
		floor2 = svg_add(plot, "target: 2 x state / memcpy", "#ff7f0e", true);
		svg_point(floor2, 0, 0, 0, 0);
		svg_point(floor2, xmax, 2 * xmax * ms_per_mib, 0, 0);
	}
}

static void section_scaling(struct report *r, FILE *out, struct svg_plot *plot)
{
	struct svg_series *s = NULL, *mc = NULL, *mt = NULL;

	for (int i = 0; i < r->n; i++) {
		const struct bench_part *p = &r->parts[i];
		const struct bench_fig *one = bench_part_find(p, BENCH_SCALING, BENCH_ANY,
							      BENCH_ANY, 1, ~0u);
		const struct bench_fig *fmt = bench_part_find(p, BENCH_MEMCPY_MT, BENCH_ANY,
							      BENCH_ANY, ~0u, ~0u);
		double m = bench_part_memcpy_best(p);
		unsigned int most = 0;

		for (int j = 0; j < p->n_figs; j++) {
			const struct bench_fig *f = &p->figs[j];
			char label[64];

			if (f->kind != BENCH_SCALING)
				continue;
			if (!s) {
				header(out, "scaling: N pairs migrating at once (threads), aggregate");
				snprintf(plot->title, sizeof(plot->title),
					 "Concurrent migrations, LMEM %llu MiB per VF",
					 (unsigned long long)(p->lmem >> 20));
				plot->xlabel = "pairs migrating at once";
				plot->ylabel = "aggregate MB/s";
				plot->xlog2 = true;
				plot->note = PLOT_NOTE;
				s = svg_add(plot, "aggregate", "#1f77b4", false);
			}
			snprintf(label, sizeof(label), "%u pair%s, x%.2f of 1 pair", f->pairs,
				 f->pairs > 1 ? "s" : "",
				 one && one->s.median > 0 ? f->s.median / one->s.median : 0);
			row(r, out, label, p, f);
			plot_fig(s, f->pairs, f);
			most = f->pairs > most ? f->pairs : most;
		}
		if (s && most > 1 && m > 0 && !mc) {
			mc = svg_add(plot, "memcpy, 1 CPU (fastest)", "#d62728", true);
			svg_point(mc, 1, m, 0, 0);
			svg_point(mc, most, m, 0, 0);
			if (fmt) {
				mt = svg_add(plot, "memcpy, every CPU (fastest)", "#ff7f0e", true);
				svg_point(mt, 1, fmt->s.max, 0, 0);
				svg_point(mt, most, fmt->s.max, 0, 0);
			}
		}
	}
}

static void section_idle(struct report *r, FILE *out)
{
	bool first = true;

	for (int i = 0; i < r->n; i++) {
		const struct bench_part *p = &r->parts[i];

		/* without idle VFs first, whatever order they ran in */
		for (int pass = 0; pass < 2; pass++) {
			for (int j = 0; j < p->n_figs; j++) {
				const struct bench_fig *f = &p->figs[j];
				char label[64];

				if (f->kind != BENCH_IDLE || !f->idle != !pass)
					continue;
				if (first)
					header(out, "idle VFs: one pair's downtime with other VFs enabled and"
					       " open but untouched, then without them");
				first = false;
				snprintf(label, sizeof(label), "1 pair, %u idle VFs", f->idle);
				row(r, out, label, p, f);
			}
		}
	}
}

static double fig_best(const struct bench_part *p, enum bench_kind k, uint64_t buf)
{
	const struct bench_fig *f = p ? bench_part_find(p, k, BENCH_ANY, buf, ~0u, ~0u) : NULL;

	return f ? f->s.max : 0;
}

/* What limits the figures, from the figures: printed under the table. */
static void notes(struct report *r, FILE *out)
{
	const struct bench_part *p = r->main;
	double mc = p ? bench_part_memcpy_best(p) : 0;
	double movsb = fig_best(p, BENCH_REP_MOVSB, BENCH_ANY);
	double movsq = fig_best(p, BENCH_REP_MOVSQ, BENCH_ANY);
	double save = fig_best(p, BENCH_SAVE, BENCH_ANY);
	double restore = fig_best(p, BENCH_RESTORE, BENCH_ANY);
	double pump = fig_best(p, BENCH_PUMP, QEMU_BUF);
	double serial = fig_best(p, BENCH_PUMP_SERIAL, BENCH_ANY);
	double mt = fig_best(p, BENCH_MEMCPY_MT, BENCH_ANY);
	double host = r->host ? bench_part_memcpy_best(r->host) : 0;
	float load = 0;

	if (!p || mc <= 0)
		return;
	fprintf(out, "\nnotes (from this run's figures):\n");
	if (host > 0 && !strcmp(p->machine.accel, "tcg"))
		fprintf(out, "- TCG: the VM's memcpy is %.0f MB/s, the host's %.0f (%.0fx): every guest\n"
			"  instruction is translated, so absolute speeds are TCG's; the ratios are ours.\n",
			mc, host, host / mc);
	if (movsb > 0 && movsq > 0)
		fprintf(out, "- copy_to_user/copy_from_user (the module's save and restore) run rep movsb\n"
			"  on CPUs with ERMS/FSRM: %.0f MB/s here (%.2fx memcpy) against rep movsq %.0f\n"
			"  (%.2fx). The VM's -cpu %s decides which the kernel uses.\n",
			movsb, movsb / mc, movsq, movsq / mc,
			r->o->cpu_model ? r->o->cpu_model : "(as given)");
	if (save > 0 && restore > 0 && pump > 0) {
		double bound = 1 / (1 / save + 1 / restore);

		fprintf(out, "- the pump copies every byte twice (out of the source, into the destination).\n"
			"  One copy after the other that is at most 1/(1/save + 1/restore) = %.0f MB/s\n"
			"  (%.2fx memcpy)", bound, bound / mc);
		if (serial > 0)
			fprintf(out, "; the serial pump reached %.0f (%.2fx)", serial, serial / mc);
		fprintf(out, ". The reader thread overlaps the\n  two copies: %.0f (%.2fx); that needs"
			" two CPUs at once", pump, pump / mc);
		if (mt > 0)
			fprintf(out, ", and memcpy on every CPU\n  at once reached %.2fx one CPU in this VM",
				mt / mc);
		fprintf(out, ".\n");
	}
	if (sscanf(p->machine.load, "%f", &load) == 1 && r->host_machine.cores &&
	    load >= r->host_machine.cores / 2.0)
		fprintf(out, "- the machine was busy (load average %s in the VM, %s on the host with %u\n"
			"  CPUs): medians carry other work; the targets use the fastest samples.\n",
			p->machine.load, r->host_machine.load, r->host_machine.cores);
}

static int write_json(struct report *r, const char *path, const char *date)
{
	json_t *parts = json_array(), *o, *fit = json_null();
	int err;

	for (int i = 0; i < r->n; i++) {
		const struct bench_part *p = &r->parts[i];
		json_t *figs = json_array();

		for (int j = 0; j < p->n_figs; j++) {
			const struct bench_fig *f = &p->figs[j];
			struct bench_ratio ratio;
			struct target t = judge(r, p, f, &ratio);
			json_t *fo = bench_fig_json(f);

			json_object_set_new(fo, "ratio_best", json_real(ratio.best));
			json_object_set_new(fo, "ratio_median", json_real(ratio.median));
			if (t.set) {
				json_object_set_new(fo, "target", json_real(t.limit));
				json_object_set_new(fo, "target_op", json_string(t.at_most ? "<=" : ">="));
				json_object_set_new(fo, "verdict",
						    json_string(is_pass(&t) ? "PASS" : "MISS"));
			}
			json_array_append_new(figs, fo);
		}
		json_array_append_new(parts, json_pack("{s:s, s:o, s:f, s:f, s:I, s:I, s:f, s:o}",
						       "name", p->name, "machine",
						       bench_machine_json(&p->machine),
						       "memcpy_median_mbps", bench_part_memcpy(p),
						       "memcpy_best_mbps", bench_part_memcpy_best(p),
						       "lmem_bytes", (json_int_t)p->lmem,
						       "stream_bytes", (json_int_t)p->stream_bytes,
						       "wall_s", p->wall_s, "figures", figs));
	}
	if (r->have_fit)
		fit = json_pack("{s:f, s:f, s:f, s:i, s:s}", "intercept_ms", r->fit.intercept,
				"slope_ms_per_mib", r->fit.slope, "r2", r->fit.r2,
				"points", r->fit_points, "x", "stream MiB");
	o = json_pack("{s:s, s:i, s:s, s:b, s:{s:o, s:s, s:s}, s:{s:i, s:i, s:f}, s:o, s:o, s:o, s:{s:i, s:i}}",
		      "tool", "xe-migtest bench", "version", 1, "date", date,
		      "smoke", r->o->smoke,
		      "machine", "host", bench_machine_json(&r->host_machine),
		      "accel", r->o->accel ? r->o->accel : "",
		      "vm_cpu_model", r->o->cpu_model ? r->o->cpu_model : "",
		      "policy", "min_reps", r->n ? r->parts[r->n - 1].policy.min_reps : 0,
		      "max_reps", r->n ? r->parts[r->n - 1].policy.max_reps : 0,
		      "max_spread", r->n ? r->parts[r->n - 1].policy.max_spread : 0.0,
		      "parts", parts, "downtime_fit", fit, "targets", json_incref(r->targets),
		      "summary", "pass", r->pass, "miss", r->miss);
	if (!o)
		return -ENOMEM;
	err = json_dump_file(o, path, JSON_INDENT(1)) ? -EIO : 0;
	json_decref(o);
	return err;
}

int bench_report(const struct bench_report_opts *o, FILE *out)
{
	struct report r = { .o = o };
	struct svg_plot *plots = calloc(4, sizeof(*plots));
	static const char *const names[4] = { "pump.svg", "sizes.svg", "downtime.svg",
					      "scaling.svg" };
	char date[64], path[4200];
	time_t now = time(NULL);
	int err;

	if (!plots)
		return -ENOMEM;
	err = load(&r);
	if (err)
		goto out;
	r.targets = json_array();
	bench_machine_probe(&r.host_machine);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S %z", localtime(&now));
	fprintf(out, "\nxe-migtest bench%s, %s\n", o->smoke ? " --smoke (speeds mean nothing)" : "",
		date);
	machine_line(out, "host", &r.host_machine);
	for (int i = 0; i < r.n; i++)
		if (r.parts[i].lmem) {
			machine_line(out, "VM  ", &r.parts[i].machine);
			break;
		}
	if (r.n)
		fprintf(out, "repetitions: %d..%d, until (max-min)/median < %.0f%%\n",
			r.parts[r.n - 1].policy.min_reps, r.parts[r.n - 1].policy.max_reps,
			100 * r.parts[r.n - 1].policy.max_spread);
	if (o->accel || o->cpu_model)
		fprintf(out, "QEMU: accel %s, -cpu %s\n", o->accel ? o->accel : "?",
			o->cpu_model ? o->cpu_model : "?");
	fprintf(out, "\nratios: best = fastest sample / fastest memcpy of the same VM (the targets);\n"
		"        med = median of each sample / the memcpy sample taken just before it\n");
	fprintf(out, "\n  %-38s %8s %7s %8s %8s %8s %-4s %4s %5s %5s %6s\n", "figure", "size",
		"buffer", "min", "median", "max", "unit", "reps", "best", "med", "target");
	section_refs(&r, out);
	section_pump(&r, out, &plots[0]);
	section_sizes(&r, out, &plots[1]);
	section_downtime(&r, out, &plots[2]);
	section_scaling(&r, out, &plots[3]);
	section_idle(&r, out);
	fprintf(out, "\ntargets: %d PASS, %d MISS%s\n", r.pass, r.miss,
		r.miss ? " (a miss is reported, never a failure)" : "");
	notes(&r, out);
	for (int i = 0; i < 4; i++) {
		if (!plots[i].n)
			continue;
		snprintf(path, sizeof(path), "%s/%s", o->dir, names[i]);
		err = svg_write(&plots[i], path);
		if (err) {
			fprintf(stderr, "bench: writing %s: %s\n", path, strerror(-err));
			goto out;
		}
	}
	snprintf(path, sizeof(path), "%s/bench.json", o->dir);
	err = write_json(&r, path, date);
	if (err)
		fprintf(stderr, "bench: writing %s failed\n", path);
	else
		fprintf(out, "results: %s (bench.json, *.svg)\n", o->dir);
out:
	json_decref(r.targets);
	free(r.parts);
	free(plots);
	return err;
}
