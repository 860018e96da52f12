/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * A small line/point plot as plain SVG text: linear or log2 x axis,
 * series with optional min..max bars, dashed reference lines, a legend.
 * Shared by the bench report (tools/bench) and the results page
 * (runner/cli/html_report.c).
 */
#ifndef XEMT_SVG_PLOT_H
#define XEMT_SVG_PLOT_H

#include <stdbool.h>
#include <stdio.h>

#define SVG_MAX_POINTS	64
#define SVG_MAX_SERIES	8

struct svg_series {
	char name[64];
	const char *color;
	bool dashed;		/* a reference: dashed line, no markers */
	int n;
	double x[SVG_MAX_POINTS], y[SVG_MAX_POINTS];
	double lo[SVG_MAX_POINTS], hi[SVG_MAX_POINTS];	/* bars if lo < hi */
	char tag[SVG_MAX_POINTS][32];			/* text by a point, or "" */
};

struct svg_plot {
	char title[128];
	const char *note;	/* a smaller line under the title, or NULL */
	const char *xlabel, *ylabel;
	bool xlog2;		/* x ticks at powers of two */
	const char *(*xfmt)(double x, char *buf, int size);	/* tick text */
	struct svg_series s[SVG_MAX_SERIES];
	int n;
};

/* A new series (NULL when full). */
struct svg_series *svg_add(struct svg_plot *p, const char *name, const char *color,
			   bool dashed);
void svg_point(struct svg_series *s, double x, double y, double lo, double hi);

/* Write the plot to path (an SVG file). 0 or -errno. */
int svg_write(const struct svg_plot *p, const char *path);

/* The <svg> element alone, for a page that inlines it. */
void svg_fprint(const struct svg_plot *p, FILE *f);

#endif
