// SPDX-License-Identifier: MIT
/* Subtest parts of out.txt/err.txt as igt_results cuts them; see sections.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sections.h"

static const char *const prefix[] = {
	[MARK_START] = "Starting subtest: ",
	[MARK_RESULT] = "Subtest ",
	[MARK_DYN_START] = "Starting dynamic subtest: ",
	[MARK_DYN_RESULT] = "Dynamic subtest ",
};

/* After the line at @p; NULL at the end. */
static const char *next_line(const char *p, const char *end)
{
	const char *nl;

	if (!p)
		return NULL;
	nl = memchr(p, '\n', end - p);
	return nl && nl + 1 < end ? nl + 1 : NULL;
}

static bool name_char(char c)
{
	return c == '-' || c == '_' || isalnum((unsigned char)c);
}

/* "<name>: " after the prefix of a result line. */
static bool result_name_ok(const char *p, const char *end)
{
	if (p >= end || !name_char(*p))
		return false;
	while (p < end && name_char(*p))
		p++;
	return end - p >= 2 && p[0] == ':' && p[1] == ' ';
}

static void add_mark(struct marks *m, const char *where, enum mark_kind kind)
{
	struct mark *v = realloc(m->v, (m->n + 1) * sizeof(*v));

	if (!v)
		return;
	m->v = v;
	v[m->n++] = (struct mark){ where, kind };
}

void marks_find(struct marks *m, const char *buf, size_t len)
{
	const char *end = buf + len;

	m->buf = buf;
	m->end = end;
	m->v = NULL;
	m->n = 0;
	for (const char *p = len ? buf : NULL; p; p = next_line(p, end)) {
		for (int k = MARK_START; k <= MARK_DYN_RESULT; k++) {
			size_t plen = strlen(prefix[k]);

			if ((size_t)(end - p) < plen || memcmp(p, prefix[k], plen))
				continue;
			if ((k == MARK_RESULT || k == MARK_DYN_RESULT) &&
			    !result_name_ok(p + plen, end))
				continue;
			add_mark(m, p, k);
			break;
		}
	}
}

void marks_free(struct marks *m)
{
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

/*
 * The first mark of @kind in [first, last) for @name: "<prefix><name>\n"
 * for a start, "<prefix><name>: " for a result (compared up to the end of
 * the text, as igt_results does).
 */
static int find_idx(const struct marks *m, enum mark_kind kind, const char *name,
		    int first, int last)
{
	char *line;
	int len, k;

	if (kind == MARK_START || kind == MARK_DYN_START)
		len = asprintf(&line, "%s%s\n", prefix[kind], name);
	else
		len = asprintf(&line, "%s%s: ", prefix[kind], name);
	if (len < 0)
		return -1;
	for (k = first; k < last; k++) {
		ptrdiff_t rem = m->end - m->v[k].where;

		if (m->v[k].kind == kind &&
		    !memcmp(m->v[k].where, line, rem < len ? rem : len))
			break;
	}
	free(line);
	return k == last ? -1 : k;
}

static const char *begin_limit(const struct marks *m, int b, int r,
			       const char *beg, const char *end, int first)
{
	const char *p;

	if (b < first && r < first)
		return beg;
	if (b < first) {
		if (r <= first)
			return beg;
		p = next_line(m->v[r - 1].where, end);
		return p ? p : end;
	}
	if (b <= first)
		return beg;
	p = next_line(m->v[b - 1].where, end);
	return p ? p : end;
}

static const char *end_limit(const struct marks *m, int b, int r,
			     const char *end, int first, int last)
{
	if (b < first && r < first)
		return end;
	if (r < first) {
		for (int k = b + 1; k < last; k++)
			if (m->v[k].kind == MARK_START || m->v[k].kind == MARK_RESULT)
				return m->v[k].where;
		return end;
	}
	if (r < last - 1)
		return m->v[r + 1].where;
	return end;
}

struct part marks_subtest(const struct marks *m, const char *name)
{
	struct part p;

	p.start_idx = find_idx(m, MARK_START, name, 0, m->n);
	p.result_idx = find_idx(m, MARK_RESULT, name, 0, m->n);
	p.beg = begin_limit(m, p.start_idx, p.result_idx, m->buf, m->end, 0);
	p.end = end_limit(m, p.start_idx, p.result_idx, m->end, 0, m->n);
	p.result_line = p.result_idx >= 0 ? m->v[p.result_idx].where : NULL;
	return p;
}

/* Where the parent's dynamic subtests end: its result, else the next subtest. */
static int dynamic_last(const struct marks *m, const struct part *parent)
{
	int k;

	if (parent->result_idx >= 0)
		return parent->result_idx;
	for (k = parent->start_idx + 1; k < m->n; k++)
		if (m->v[k].kind == MARK_START || m->v[k].kind == MARK_RESULT)
			break;
	return k;
}

static struct part dynamic_part(const struct marks *m, const struct part *parent,
				int k, const char *name, int last)
{
	struct part p;

	p.start_idx = k;
	p.result_idx = find_idx(m, MARK_DYN_RESULT, name, k, last);
	p.beg = begin_limit(m, k, p.result_idx, parent->beg, parent->end,
			    parent->start_idx + 1);
	p.end = end_limit(m, k, p.result_idx, parent->end, parent->start_idx + 1,
			  last);
	p.result_line = p.result_idx >= 0 ? m->v[p.result_idx].where : NULL;
	return p;
}

/* The name after "Starting dynamic subtest: ", up to white space. */
static char *dyn_name(const struct mark *mk, const char *end)
{
	const char *p = mk->where + strlen(prefix[MARK_DYN_START]);
	size_t n = 0;

	while (p + n < end && !isspace((unsigned char)p[n]))
		n++;
	return n ? strndup(p, n) : NULL;
}

void marks_dynamic(const struct marks *m, const struct part *parent,
		   void (*fn)(void *ctx, const char *name, const struct part *p),
		   void *ctx)
{
	int last = dynamic_last(m, parent);

	for (int k = parent->start_idx + 1; k < last; k++) {
		struct part p;
		char *name;

		if (m->v[k].kind != MARK_DYN_START)
			continue;
		name = dyn_name(&m->v[k], m->end);
		if (!name)
			continue;
		p = dynamic_part(m, parent, k, name, last);
		fn(ctx, name, &p);
		free(name);
	}
}

struct part marks_dynamic_named(const struct marks *m, const struct part *parent,
				const char *name)
{
	int last = dynamic_last(m, parent);
	struct part none = { parent->beg, parent->beg, NULL, -1, -1 };

	for (int k = parent->start_idx + 1; k < last; k++) {
		char *n;
		bool same;

		if (m->v[k].kind != MARK_DYN_START)
			continue;
		n = dyn_name(&m->v[k], m->end);
		same = n && !strcmp(n, name);
		free(n);
		if (same)
			return dynamic_part(m, parent, k, name, last);
	}
	return none;
}

bool part_has_warnings(const struct marks *m, const struct part *p)
{
	const char *line = p->beg;

	for (int k = 0; k < m->n; k++) {
		if (m->v[k].where < p->beg || m->v[k].where >= p->end)
			continue;
		if (m->v[k].where != line)
			return true;
		line = next_line(line, p->end);
	}
	return false;
}
