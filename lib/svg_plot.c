// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Plain SVG plots for the bench report and the results page, written by
 * hand: no library, and any browser shows them.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "svg_plot.h"

#define W	780
#define H	440
#define ML	80	/* margins: room for tick labels and the legend */
#define MR	250
#define MT	50
#define MB	60

struct axes {
	double x0, x1, y0, y1;
	bool xlog2;
};

struct svg_series *svg_add(struct svg_plot *p, const char *name, const char *color,
			   bool dashed)
{
	struct svg_series *s;

	if (p->n == SVG_MAX_SERIES)
		return NULL;
	s = &p->s[p->n++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->color = color;
	s->dashed = dashed;
	return s;
}

void svg_point(struct svg_series *s, double x, double y, double lo, double hi)
{
	if (!s || s->n == SVG_MAX_POINTS)
		return;
	s->x[s->n] = x;
	s->y[s->n] = y;
	s->lo[s->n] = lo;
	s->hi[s->n] = hi;
	s->tag[s->n][0] = '\0';
	s->n++;
}

static double tx(const struct axes *a, double x)
{
	double u = a->xlog2 ? (log2(x) - log2(a->x0)) / (log2(a->x1) - log2(a->x0)) :
			      (x - a->x0) / (a->x1 - a->x0);

	return ML + u * (W - ML - MR);
}

static double ty(const struct axes *a, double y)
{
	return H - MB - (y - a->y0) / (a->y1 - a->y0) * (H - MT - MB);
}

/* A "nice" tick step: 1, 2 or 5 times a power of ten, about n ticks. */
static double nice_step(double range, int n)
{
	double raw = range / n, p = pow(10, floor(log10(raw))), m = raw / p;

	return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

static void bounds(const struct svg_plot *p, struct axes *a)
{
	bool first = true;

	a->xlog2 = p->xlog2;
	a->y0 = 0;
	a->y1 = 0;
	for (int i = 0; i < p->n; i++) {
		for (int j = 0; j < p->s[i].n; j++) {
			double x = p->s[i].x[j];
			double hi = fmax(p->s[i].y[j], p->s[i].hi[j]);

			if (first || x < a->x0)
				a->x0 = x;
			if (first || x > a->x1)
				a->x1 = x;
			a->y1 = fmax(a->y1, hi);
			first = false;
		}
	}
	if (first || a->x1 <= a->x0) {
		a->x0 = first ? 1 : a->x0 / 2;
		a->x1 = first ? 2 : a->x1 * 2;
	}
	if (!a->xlog2) {
		double pad = (a->x1 - a->x0) * 0.05;

		a->x0 = fmax(0, a->x0 - pad);
		a->x1 += pad;
	} else {
		a->x0 /= 1.4;
		a->x1 *= 1.4;
	}
	a->y1 = a->y1 > 0 ? a->y1 * 1.12 : 1;
}

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else
			fputc(*s, f);
	}
}

static void axes_draw(FILE *f, const struct svg_plot *p, const struct axes *a)
{
	double step = nice_step(a->y1 - a->y0, 6);
	char buf[32];

	fprintf(f, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#444'/>\n",
		ML, MT, W - ML - MR, H - MT - MB);
	for (double y = a->y0; y <= a->y1 + step / 1000; y += step) {
		fprintf(f, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#ddd'/>\n",
			ML, W - MR, ty(a, y), ty(a, y));
		fprintf(f, "<text x='%d' y='%.1f' text-anchor='end' dy='4'>%g</text>\n",
			ML - 6, ty(a, y), y);
	}
	if (a->xlog2) {
		for (double x = exp2(ceil(log2(a->x0))); x <= a->x1; x *= 2) {
			fprintf(f, "<line x1='%.1f' x2='%.1f' y1='%d' y2='%d' stroke='#eee'/>\n",
				tx(a, x), tx(a, x), MT, H - MB);
			fprintf(f, "<text x='%.1f' y='%d' text-anchor='middle'>", tx(a, x),
				H - MB + 16);
			esc(f, p->xfmt ? p->xfmt(x, buf, sizeof(buf)) : (snprintf(buf, sizeof(buf), "%g", x), buf));
			fputs("</text>\n", f);
		}
	} else {
		double xs = nice_step(a->x1 - a->x0, 6);

		for (double x = ceil(a->x0 / xs) * xs; x <= a->x1; x += xs) {
			fprintf(f, "<line x1='%.1f' x2='%.1f' y1='%d' y2='%d' stroke='#eee'/>\n",
				tx(a, x), tx(a, x), MT, H - MB);
			fprintf(f, "<text x='%.1f' y='%d' text-anchor='middle'>", tx(a, x),
				H - MB + 16);
			esc(f, p->xfmt ? p->xfmt(x, buf, sizeof(buf)) : (snprintf(buf, sizeof(buf), "%g", x), buf));
			fputs("</text>\n", f);
		}
	}
	fprintf(f, "<text x='%d' y='%d' text-anchor='middle'>", (ML + W - MR) / 2, H - 18);
	esc(f, p->xlabel);
	fprintf(f, "</text>\n<text transform='translate(18,%d) rotate(-90)' text-anchor='middle'>",
		(MT + H - MB) / 2);
	esc(f, p->ylabel);
	fprintf(f, "</text>\n<text x='%d' y='24' text-anchor='middle' font-weight='bold'>",
		(ML + W - MR) / 2);
	esc(f, p->title);
	fputs("</text>\n", f);
	if (p->note) {
		fprintf(f, "<text x='%d' y='40' text-anchor='middle' font-size='11' fill='#555'>",
			(ML + W - MR) / 2);
		esc(f, p->note);
		fputs("</text>\n", f);
	}
}

static void series_draw(FILE *f, const struct svg_series *s, const struct axes *a,
			int index)
{
	double ly = MT + 10 + 20 * index;

	if (s->n > 1) {
		fprintf(f, "<polyline fill='none' stroke='%s' stroke-width='2'%s points='",
			s->color, s->dashed ? " stroke-dasharray='6,4'" : "");
		for (int j = 0; j < s->n; j++)
			fprintf(f, "%.1f,%.1f ", tx(a, s->x[j]), ty(a, s->y[j]));
		fputs("'/>\n", f);
	}
	for (int j = 0; j < s->n && !s->dashed; j++) {
		double x = tx(a, s->x[j]);

		if (s->lo[j] < s->hi[j])
			fprintf(f, "<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='%s'/>\n"
				"<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='%s'/>\n"
				"<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='%s'/>\n",
				x, x, ty(a, s->lo[j]), ty(a, s->hi[j]), s->color,
				x - 4, x + 4, ty(a, s->lo[j]), ty(a, s->lo[j]), s->color,
				x - 4, x + 4, ty(a, s->hi[j]), ty(a, s->hi[j]), s->color);
		fprintf(f, "<circle cx='%.1f' cy='%.1f' r='3.5' fill='%s'/>\n", x,
			ty(a, s->y[j]), s->color);
		if (s->tag[j][0]) {
			fprintf(f, "<text x='%.1f' y='%.1f' text-anchor='middle' font-size='11'>", x,
				ty(a, s->y[j]) - 10);
			esc(f, s->tag[j]);
			fputs("</text>\n", f);
		}
	}
	fprintf(f, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='%s' stroke-width='2'%s/>\n",
		W - MR + 12, W - MR + 36, ly, ly, s->color,
		s->dashed ? " stroke-dasharray='6,4'" : "");
	fprintf(f, "<text x='%d' y='%.1f' dy='4' font-size='12'>", W - MR + 42, ly);
	esc(f, s->name);
	fputs("</text>\n", f);
}

void svg_fprint(const struct svg_plot *p, FILE *f)
{
	struct axes a;

	bounds(p, &a);
	fprintf(f, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
		"viewBox='0 0 %d %d' font-family='sans-serif' font-size='12'>\n"
		"<rect width='100%%' height='100%%' fill='white'/>\n", W, H, W, H);
	axes_draw(f, p, &a);
	for (int i = 0; i < p->n; i++)
		series_draw(f, &p->s[i], &a, i);
	fputs("</svg>\n", f);
}

int svg_write(const struct svg_plot *p, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fputs("<?xml version='1.0' encoding='UTF-8'?>\n", f);
	svg_fprint(p, f);
	return fclose(f) ? -errno : 0;
}
