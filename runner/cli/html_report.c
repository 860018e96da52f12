// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * report.html: one self-contained page per results directory (inline CSS
 * and SVG, no script, no link out) that a person reads instead of
 * results.json. What it shows comes only from files the run wrote:
 *
 *   results.json        counts, and every failure with its message and,
 *                       where the test printed one, the VF state diff
 *                       (lib/vf_state.c's "GGTT:", "LMEM:", "VF_SW_FLAG"
 *                       lines that stress and data print on a mismatch);
 *   vm-migration.jsonl  each QEMU hop's downtime and bytes, plotted;
 *   stress.json         the VF stress subtests: figures, each hop's
 *                       downtime plotted, and a timeline of every hop of
 *                       every guest as a bar over time.
 *
 * A check/run directory holds the sim VM's results and the host phase's
 * in host/: both go on the same page. The plots are lib/svg_plot's.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "html_report.h"
#include "svg_plot.h"

#define MIB (1024.0 * 1024.0)

static const char *const colors[SVG_MAX_SERIES] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
};

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void esc_n(FILE *f, const char *s, size_t n)
{
	char *copy = strndup(s, n);

	esc(f, copy);
	free(copy);
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static double num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* One results directory: the sim VM's or the host phase's. */
struct part {
	const char *label;
	char dir[4200];
	json_t *results;	/* results.json, or NULL */
	json_t *stress;		/* stress.json, or NULL */
	json_t *hops;		/* vm-migration.jsonl's lines, an array */
};

static json_t *load_jsonl(const char *path)
{
	json_t *all = json_array();
	FILE *f = fopen(path, "r");
	char line[8192];

	while (f && fgets(line, sizeof(line), f)) {
		json_t *o = json_loads(line, 0, NULL);

		if (json_is_object(o))
			json_array_append_new(all, o);
		else
			json_decref(o);
	}
	if (f)
		fclose(f);
	return all;
}

static bool part_load(struct part *p, const char *label, const char *dir)
{
	char path[4400];

	memset(p, 0, sizeof(*p));
	p->label = label;
	snprintf(p->dir, sizeof(p->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/results.json", dir);
	p->results = json_load_file(path, 0, NULL);
	snprintf(path, sizeof(path), "%s/stress.json", dir);
	p->stress = json_load_file(path, 0, NULL);
	snprintf(path, sizeof(path), "%s/vm-migration.jsonl", dir);
	p->hops = load_jsonl(path);
	return p->results || p->stress || json_array_size(p->hops);
}

static void part_free(struct part *p)
{
	json_decref(p->results);
	json_decref(p->stress);
	json_decref(p->hops);
}

enum verdict { V_PASS, V_SKIP, V_FAIL };

static enum verdict verdict(const char *result)
{
	if (!strcmp(result, "pass"))
		return V_PASS;
	if (!strcmp(result, "skip") || !strcmp(result, "notrun"))
		return V_SKIP;
	return V_FAIL;
}

/* "igt@bin@sub" -> the binary's length in @name. */
static size_t binary_len(const char *name)
{
	const char *at = strchr(name + 4, '@');

	return at ? (size_t)(at - name) : strlen(name);
}

static void summary(FILE *f, const struct part *p)
{
	json_t *tests = json_object_get(p->results, "tests"), *t;
	unsigned int n[3] = { 0 };
	const char *name;
	char bin[256] = "";
	unsigned int b[3] = { 0 };
	bool rows = false;

	json_object_foreach(tests, name, t)
		n[verdict(str(t, "result"))]++;
	fprintf(f, "<h3>%s</h3>\n<p class='counts'><span class='pass'>%u passed</span> "
		"<span class='%s'>%u failed</span> <span class='skip'>%u skipped</span>"
		" <span class='dim'>of %u, in %s</span></p>\n",
		p->label, n[V_PASS], n[V_FAIL] ? "fail" : "zero", n[V_FAIL], n[V_SKIP],
		n[V_PASS] + n[V_FAIL] + n[V_SKIP], p->dir);
	/* Per binary: results.json's keys come sorted, so a binary's subtests are adjacent. */
	fputs("<table><tr><th>binary</th><th>passed</th><th>failed</th><th>skipped</th></tr>\n", f);
	json_object_foreach(tests, name, t) {
		size_t len = binary_len(name);

		if (strncmp(bin, name, len) || bin[len]) {
			if (bin[0])
				fprintf(f, "<tr><td>%s</td><td>%u</td><td class='%s'>%u</td><td>%u</td></tr>\n",
					bin + 4, b[0], b[2] ? "fail" : "", b[2], b[1]);
			snprintf(bin, sizeof(bin), "%.*s", (int)len, name);
			memset(b, 0, sizeof(b));
		}
		b[verdict(str(t, "result")) == V_PASS ? 0 : verdict(str(t, "result")) == V_SKIP ? 1 : 2]++;
		rows = true;
	}
	if (rows)
		fprintf(f, "<tr><td>%s</td><td>%u</td><td class='%s'>%u</td><td>%u</td></tr>\n",
			bin + 4, b[0], b[2] ? "fail" : "", b[2], b[1]);
	fputs("</table>\n", f);
}

static bool is_diff_line(const char *l)
{
	l += strspn(l, " \t");
	return !strncmp(l, "GGTT:", 5) || !strncmp(l, "LMEM:", 5) ||
	       !strncmp(l, "VF_SW_FLAG(", 11);
}

static bool is_message_line(const char *l)
{
	return strstr(l, "CRITICAL") || strstr(l, "FAIL") || strstr(l, "fail") ||
	       strstr(l, "error") || strstr(l, "Error") || strstr(l, "not ") ||
	       strstr(l, "Subtest") || strstr(l, "Dynamic subtest");
}

static bool seen(char *const *said, int n, const char *line)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(said[i], line))
			return true;
	return false;
}

/*
 * The failure's message: up to @max lines of @text that say why, or its
 * last lines when none does. Diff lines (and the line that introduces
 * them) go to @diff instead.
 */
static int excerpt(const char *text, int max, FILE *msg, FILE *diff, bool *has_diff)
{
	const char *l = text, *prev = NULL;
	size_t prev_n = 0;
	int shown = 0, lines = 0;
	char *said[32];

	if (max > 32)
		max = 32;

	for (const char *p = text; p && *p; p++)
		lines += *p == '\n';
	while (l && *l) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		char *line = strndup(l, n);

		if (is_diff_line(line)) {
			/* "VF1 after migration:" / "..., changed:" says whose diff it is. */
			if (prev && prev_n && prev[prev_n - 1] == ':' && !is_diff_line(prev)) {
				esc_n(diff, prev, prev_n);
				fputc('\n', diff);
				prev = NULL;
			}
			esc(diff, line);
			fputc('\n', diff);
			*has_diff = true;
		} else if (shown < max && is_message_line(line) && !seen(said, shown, line)) {
			/* IGT repeats a failure's lines at the subtest's end: once is enough. */
			esc(msg, line);
			fputc('\n', msg);
			said[shown++] = strdup(line);
		}
		free(line);
		prev = l;
		prev_n = n;
		l = nl ? nl + 1 : NULL;
	}
	for (int i = 0; i < shown; i++)
		free(said[i]);
	if (!shown && max) {
		/* Nothing says why: the tail. */
		int skip = lines > max ? lines - max : 0;

		for (l = text; l && *l && skip; l++)
			skip -= *l == '\n';
		esc(msg, l);
		shown = l && *l;
	}
	return shown;
}

static unsigned int failures(FILE *f, const struct part *p)
{
	json_t *tests = json_object_get(p->results, "tests"), *t;
	const char *name;
	unsigned int n = 0;

	json_object_foreach(tests, name, t) {
		char *mbuf = NULL, *dbuf = NULL;
		size_t msize = 0, dsize = 0;
		FILE *msg, *diff;
		bool has_diff = false;

		if (verdict(str(t, "result")) != V_FAIL)
			continue;
		msg = open_memstream(&mbuf, &msize);
		diff = open_memstream(&dbuf, &dsize);
		if (!msg || !diff)
			break;
		/* Why from stderr; else stdout's tail. Diffs from either. */
		if (!excerpt(str(t, "err"), 14, msg, diff, &has_diff))
			excerpt(str(t, "out"), 14, msg, diff, &has_diff);
		else if (!has_diff)
			excerpt(str(t, "out"), 0, msg, diff, &has_diff);
		fclose(msg);
		fclose(diff);
		fprintf(f, "<div class='failure'><h4><span class='badge'>%s</span> ", str(t, "result"));
		esc(f, name);
		fprintf(f, " <span class='dim'>(%s)</span></h4>\n<pre>%s</pre>\n", p->label, mbuf);
		if (has_diff)
			fprintf(f, "<p class='difftitle'>VF state diff</p><pre class='diff'>%s</pre>\n",
				dbuf);
		fputs("</div>\n", f);
		free(mbuf);
		free(dbuf);
		n++;
	}
	return n;
}

/* The series of @plot named @name, added with the next colour if new. */
static struct svg_series *series(struct svg_plot *plot, const char *name)
{
	for (int i = 0; i < plot->n; i++)
		if (!strcmp(plot->s[i].name, name))
			return &plot->s[i];
	return svg_add(plot, name, colors[plot->n % SVG_MAX_SERIES], false);
}

/* Hop numbers: integers only. */
static const char *int_ticks(double x, char *buf, int size)
{
	if (x != (long)x)
		return "";
	snprintf(buf, size, "%ld", (long)x);
	return buf;
}

static void vm_hops(FILE *f, const struct part *p)
{
	struct svg_plot *down = calloc(2, sizeof(*down)), *bytes = down + 1;
	json_t *h;
	size_t i;

	if (!down)
		return;
	snprintf(down->title, sizeof(down->title), "QEMU migration downtime per hop (%s)", p->label);
	down->xlabel = "hop (in the order run)";
	down->xfmt = int_ticks;
	bytes->xfmt = int_ticks;
	down->ylabel = "ms";
	down->note = "one series per subtest; total time as the bar's top";
	snprintf(bytes->title, sizeof(bytes->title), "Bytes moved per hop (%s)", p->label);
	bytes->xlabel = "hop (in the order run)";
	bytes->ylabel = "MiB";
	bytes->note = "guest RAM plus VFIO device state";
	json_array_foreach(p->hops, i, h) {
		char name[64];
		double x = i + 1;

		snprintf(name, sizeof(name), "%s", str(h, "subtest"));
		svg_point(series(down, name), x, num(h, "downtime_ms"), num(h, "downtime_ms"),
			  num(h, "total_time_ms"));
		svg_point(series(bytes, name), x,
			  (num(h, "ram_transferred_bytes") + num(h, "vfio_transferred_bytes")) / MIB,
			  0, 0);
	}
	fputs("<div class='plots'>", f);
	svg_fprint(down, f);
	svg_fprint(bytes, f);
	fputs("</div>\n", f);
	free(down);
}

/* Every hop of every guest as a bar from its start, as long as its downtime. */
static void timeline(FILE *f, const char *subtest, json_t *list)
{
	const int W = 780, ML = 80, MR = 20, MT = 40, ROW = 26;
	int guests = 0, H;
	double end = 0, scale, step;
	json_t *h;
	size_t i;

	json_array_foreach(list, i, h) {
		if ((int)num(h, "guest") + 1 > guests)
			guests = (int)num(h, "guest") + 1;
		if (num(h, "start_ms") + num(h, "downtime_ms") > end)
			end = num(h, "start_ms") + num(h, "downtime_ms");
	}
	if (!guests || end <= 0)
		return;
	H = MT + guests * ROW + 46;
	scale = (W - ML - MR) / end;
	fprintf(f, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' "
		"font-family='sans-serif' font-size='12'>\n<rect width='100%%' height='100%%' fill='white'/>\n"
		"<text x='%d' y='22' text-anchor='middle' font-weight='bold'>Stress timeline: ",
		W, H, W, H, W / 2);
	esc(f, subtest);
	fputs(" (each hop's downtime as a bar)</text>\n", f);
	/* Time ticks: 1, 2 or 5 times a power of ten, about 8 of them. */
	step = pow(10, floor(log10(end / 8)));
	step *= end / 8 / step < 1.5 ? 1 : end / 8 / step < 3.5 ? 2 : end / 8 / step < 7.5 ? 5 : 10;
	for (double t = 0; t <= end; t += step) {
		double x = ML + t * scale;

		fprintf(f, "<line x1='%.1f' x2='%.1f' y1='%d' y2='%d' stroke='#e4e4e4'/>\n"
			"<text x='%.1f' y='%d' text-anchor='middle'>%g</text>\n",
			x, x, MT - 4, MT + guests * ROW, x, MT + guests * ROW + 16, t / 1000);
	}
	fprintf(f, "<text x='%d' y='%d' text-anchor='middle'>seconds since the first hop</text>\n",
		(ML + W - MR) / 2, H - 8);
	for (int g = 0; g < guests; g++)
		fprintf(f, "<text x='%d' y='%d' text-anchor='end'>guest %d</text>\n", ML - 8,
			MT + g * ROW + ROW / 2 + 4, g);
	json_array_foreach(list, i, h) {
		int g = (int)num(h, "guest");
		double x = ML + num(h, "start_ms") * scale, w = num(h, "downtime_ms") * scale;

		fprintf(f, "<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='%s' opacity='0.85'>"
			"<title>guest %d hop %d: start %.0f ms, downtime %.1f ms (VFIO %.1f, recovery %.1f)</title></rect>\n",
			x, MT + g * ROW + 4, w < 1.5 ? 1.5 : w, ROW - 8, colors[g % SVG_MAX_SERIES], g,
			(int)num(h, "hop"), num(h, "start_ms"), num(h, "downtime_ms"),
			num(h, "vfio_downtime_ms"), num(h, "recovery_ms"));
	}
	fputs("</svg>\n", f);
}

static void stress(FILE *f, const struct part *p)
{
	const char *sub;
	json_t *s;

	fputs("<table><tr><th>subtest</th><th>guests</th><th>hops</th><th>hops/s</th><th>MiB moved</th>"
	      "<th>downtime ms<br>min / median / max</th><th>VFIO save+restore ms</th>"
	      "<th>recovery ms</th><th>seed</th></tr>\n", f);
	json_object_foreach(p->stress, sub, s) {
		json_t *d = json_object_get(s, "downtime_ms"), *v = json_object_get(s, "vfio_downtime_ms");
		json_t *r = json_object_get(s, "recovery_ms");

		fputs("<tr><td>", f);
		esc(f, sub);
		fprintf(f, "</td><td>%d</td><td>%d</td><td>%.2f</td><td>%.1f</td>"
			"<td>%.1f / %.1f / %.1f</td><td>%.1f / %.1f / %.1f</td><td>%.2f / %.2f / %.2f</td><td>",
			(int)num(s, "guests"), (int)num(s, "hops"), num(s, "hops_per_second"),
			num(s, "bytes") / MIB, num(d, "min"), num(d, "median"), num(d, "max"),
			num(v, "min"), num(v, "median"), num(v, "max"), num(r, "min"),
			num(r, "median"), num(r, "max"));
		esc(f, str(s, "seed"));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	json_object_foreach(p->stress, sub, s) {
		json_t *list = json_object_get(s, "hop_list"), *h;
		struct svg_plot *plot;
		size_t i;

		if (!json_array_size(list))
			continue;
		plot = calloc(1, sizeof(*plot));
		if (!plot)
			return;
		snprintf(plot->title, sizeof(plot->title), "Stress %s: downtime per hop", sub);
		plot->note = "point: pause to engine running again; bar: VFIO save+restore to the top";
		plot->xlabel = "hop start, seconds since the first hop";
		plot->ylabel = "ms";
		json_array_foreach(list, i, h) {
			char name[32];

			snprintf(name, sizeof(name), "guest %d", (int)num(h, "guest"));
			svg_point(series(plot, name), num(h, "start_ms") / 1000, num(h, "downtime_ms"),
				  num(h, "downtime_ms") - num(h, "vfio_downtime_ms"),
				  num(h, "downtime_ms"));
		}
		/* Points of one guest in time order make its line; hop_list is by guest. */
		fputs("<div class='plots'>", f);
		timeline(f, sub, list);
		svg_fprint(plot, f);
		fputs("</div>\n", f);
		free(plot);
	}
}

static const char css[] =
	"body{font-family:sans-serif;margin:24px 32px;color:#222;max-width:1640px}"
	"h1{font-size:22px;margin-bottom:4px}h2{border-bottom:2px solid #ccc;padding-bottom:3px;margin-top:32px}"
	"h3{margin-bottom:4px}.dim{color:#777;font-weight:normal;font-size:13px}"
	".counts span{display:inline-block;padding:4px 10px;margin-right:6px;border-radius:4px;font-weight:bold}"
	".counts .pass{background:#d9f2d9;color:#165c16}.counts .fail{background:#f8d0d0;color:#8a1414}"
	".counts .zero{background:#eee;color:#555}.counts .skip{background:#fff1c9;color:#6b5200}"
	".counts .dim{background:none;padding:0}"
	"table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:3px 9px;"
	"text-align:right;font-size:13px}td:first-child,th:first-child{text-align:left}th{background:#f2f2f2}"
	"td.fail{background:#f8d0d0;font-weight:bold}"
	".failure{border-left:4px solid #c62828;padding:2px 12px;margin:12px 0;background:#fdf6f6}"
	".failure h4{margin:6px 0;font-family:monospace;font-size:14px}"
	".badge{background:#c62828;color:white;padding:1px 6px;border-radius:3px;font-family:sans-serif}"
	"pre{background:#fff;border:1px solid #e2e2e2;padding:8px;overflow-x:auto;font-size:12px;"
	"white-space:pre-wrap;word-break:break-all}"
	"pre.diff{background:#fff8e1;border-color:#e0c060}.difftitle{margin:6px 0 2px;font-weight:bold}"
	".plots{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:12px;align-items:flex-start}"
	".plots svg{border:1px solid #ddd;flex:1 1 520px;max-width:780px;height:auto}"
	".ok{color:#165c16;font-weight:bold}";

int html_report_write(const char *dir)
{
	struct part parts[2];
	char path[4200], host[4200], when[64];
	unsigned int nparts = 0, nfail = 0;
	bool any_hops = false, any_stress = false;
	time_t now = time(NULL);
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "%s/vm-console.log", dir);
	if (part_load(&parts[nparts], access(path, F_OK) ? "host" : "sim VM", dir))
		nparts++;
	else
		part_free(&parts[nparts]);
	snprintf(host, sizeof(host), "%s/host", dir);
	if (part_load(&parts[nparts], "host", host))
		nparts++;
	else
		part_free(&parts[nparts]);
	if (!nparts)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/report.html", dir);
	f = fopen(path, "w");
	if (!f) {
		err = -errno;
		goto out;
	}
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	fprintf(f, "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>\n<title>xe-migtest: ");
	esc(f, dir);
	fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>xe-migtest results</h1>\n"
		"<p class='dim'>", css);
	esc(f, dir);
	fprintf(f, " &middot; page written %s", when);
	for (unsigned int i = 0; i < nparts; i++) {
		const char *uname = str(parts[i].results, "uname");

		if (*uname) {
			fputs(" &middot; ", f);
			esc(f, uname);
			break;
		}
	}
	fputs("</p>\n<h2>Summary</h2>\n", f);
	for (unsigned int i = 0; i < nparts; i++)
		if (parts[i].results)
			summary(f, &parts[i]);
	fputs("<h2>Failures</h2>\n", f);
	for (unsigned int i = 0; i < nparts; i++)
		nfail += parts[i].results ? failures(f, &parts[i]) : 0;
	if (!nfail)
		fputs("<p class='ok'>None: every test passed or skipped.</p>\n", f);
	for (unsigned int i = 0; i < nparts; i++)
		any_hops |= json_array_size(parts[i].hops) > 0;
	if (any_hops) {
		fputs("<h2>VM migration per hop</h2>\n<p class='dim'>From vm-migration.jsonl: each "
		      "QEMU live migration the tests made (xe_sriov_migration_vm, _qemu_vf).</p>\n", f);
		for (unsigned int i = 0; i < nparts; i++)
			if (json_array_size(parts[i].hops))
				vm_hops(f, &parts[i]);
	}
	for (unsigned int i = 0; i < nparts; i++)
		any_stress |= json_object_size(parts[i].stress) > 0;
	if (any_stress) {
		fputs("<h2>VF stress</h2>\n<p class='dim'>From stress.json: xe_sriov_sim_stress, "
		      "guests hopping between VFs with work in flight.</p>\n", f);
		for (unsigned int i = 0; i < nparts; i++)
			if (json_object_size(parts[i].stress))
				stress(f, &parts[i]);
	}
	fputs("</body></html>\n", f);
	if (fclose(f))
		err = -errno;
out:
	for (unsigned int i = 0; i < nparts; i++)
		part_free(&parts[i]);
	return err;
}

int cmd_report(int argc, char **argv)
{
	int err;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: xe-migtest report RESULTS_DIR\n");
		return 2;
	}
	err = html_report_write(argv[1]);
	if (err) {
		fprintf(stderr, "xe-migtest: no report for %s: %s\n", argv[1],
			err == -ENOENT ? "no results.json, stress.json or vm-migration.jsonl there" :
					 strerror(-err));
		return 1;
	}
	printf("xe-migtest: %s/report.html\n", argv[1]);
	return 0;
}
