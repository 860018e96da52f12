// SPDX-License-Identifier: MIT
/* Results against the list of expected results (see verdict.h). */
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

static const char *const kind_words[] = {
	[VERDICT_SKIP] = "skip",
	[VERDICT_NOTRUN] = "notrun",
	[VERDICT_SKIP_REASON] = "skip",
	[VERDICT_PASS] = "pass",
	[VERDICT_MISSING] = "missing",
	[VERDICT_EXTRA] = "extra",
};

static int add(struct verdict *v, enum verdict_kind kind, const char *name,
	       bool in_fixture, char *why)
{
	struct verdict_item *grown = realloc(v->items, (v->n + 1) * sizeof(*grown));

	if (!grown) {
		free(why);
		return -1;
	}
	v->items = grown;
	v->items[v->n++] = (struct verdict_item){
		.kind = kind, .name = strdup(name), .in_fixture = in_fixture, .why = why,
	};
	return 0;
}

static bool is_sentinel(const char *line)
{
	return !strncmp(line, "Subtest ", 8) || !strncmp(line, "Dynamic subtest ", 16) ||
	       !strncmp(line, "Starting ", 9) || !strncmp(line, "IGT-Version: ", 13) ||
	       !strncmp(line, "Using IGT_SRANDOM", 17);
}

/* Line @p (up to '\n') appended to @buf as " | line". */
static void append_line(char *buf, size_t size, const char *p)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, "%s%.*s", len ? " | " : "", (int)strcspn(p, "\n"), p);
}

static const char *next_line(const char *p)
{
	p = strchr(p, '\n');
	return p ? p + 1 : NULL;
}

char *verdict_skip_reason(const char *out)
{
	const char *req = strstr(out, "Test requirement: ");
	const char *last = NULL, *next;
	char buf[512] = "";

	if (req) {
		append_line(buf, sizeof(buf), req);
		next = next_line(req);
		if (next && *next && !is_sentinel(next))
			append_line(buf, sizeof(buf), next);
		return strdup(buf);
	}
	/* igt_skip() without a requirement: its message, the last line said. */
	for (const char *p = out; p && *p; p = next_line(p))
		if (*p != '\n' && !is_sentinel(p))
			last = p;
	if (last)
		append_line(buf, sizeof(buf), last);
	return strdup(buf[0] ? buf : "(no message)");
}

static bool started(const char *out)
{
	return strstr(out, "Starting subtest: ") || strstr(out, "Starting dynamic subtest: ");
}

static const char *str_of(json_t *test, const char *key)
{
	const char *s = json_string_value(json_object_get(test, key));

	return s ? s : "";
}

/* One result against its entry (@want may be NULL: not listed). */
static int check_result(struct verdict *v, const char *name, json_t *test,
			const struct expected_test *want)
{
	const char *r = str_of(test, "result"), *out = str_of(test, "out");
	bool skip = !strcmp(r, "skip");

	if (!want)
		return add(v, VERDICT_EXTRA, name, false, strdup(r));
	if (!strcmp(r, "notrun"))
		return add(v, VERDICT_NOTRUN, name, false, NULL);
	if (!want->skip_reason && skip)
		return add(v, VERDICT_SKIP, name, !started(out), verdict_skip_reason(out));
	if (want->skip_reason && skip && !expected_skip_matches(want, out))
		return add(v, VERDICT_SKIP_REASON, name, !started(out),
			   verdict_skip_reason(out));
	if (want->skip_reason && !strcmp(r, "pass"))
		return add(v, VERDICT_PASS, name, false, NULL);
	return 0;
}

static int check_missing(struct verdict *v, json_t *tests, const struct expected_test *t,
			 verdict_selected_fn selected, void *ctx)
{
	if (json_object_get(tests, t->name) || (selected && !selected(t->name, ctx)))
		return 0;
	return add(v, VERDICT_MISSING, t->name, false, NULL);
}

int verdict_compare(json_t *tests, const struct expected_list *exp,
		    verdict_selected_fn selected, void *ctx, struct verdict *v)
{
	const char *name;
	json_t *test;
	int rc = 0;

	*v = (struct verdict){ 0 };
	json_object_foreach(tests, name, test)
		rc |= check_result(v, name, test, expected_find(exp, name));
	for (size_t i = 0; i < exp->n; i++)
		rc |= check_missing(v, tests, &exp->tests[i], selected, ctx);
	return rc ? -1 : 0;
}

static void print_item(const struct verdict_item *it, const struct expected_test *want,
		       FILE *out)
{
	fprintf(out, "  %-8s %s: ", kind_words[it->kind], it->name);
	switch (it->kind) {
	case VERDICT_SKIP:
		fprintf(out, "expected to pass; %s: %s\n",
			it->in_fixture ? "its set-up (a fixture) skipped it" : "it skipped",
			it->why);
		break;
	case VERDICT_SKIP_REASON:
		fprintf(out, "expected to skip matching '%s'; %s: %s\n", want->skip_reason,
			it->in_fixture ? "its set-up (a fixture) skipped it" : "it skipped",
			it->why);
		break;
	case VERDICT_NOTRUN:
		fprintf(out, "expected to run, not run\n");
		break;
	case VERDICT_PASS:
		fprintf(out, "expected to skip ('%s'), passed: drop the skip from the list\n",
			want->skip_reason);
		break;
	case VERDICT_MISSING:
		fprintf(out, "listed, but no such result (removed or renamed?)\n");
		break;
	case VERDICT_EXTRA:
		fprintf(out, "%s, but not listed (add it to the list)\n", it->why);
		break;
	}
}

void verdict_print(const struct verdict *v, const struct expected_list *exp, FILE *out)
{
	if (!v->n)
		return;
	fprintf(out, "not as expected (%s):\n", exp->path);
	for (size_t i = 0; i < v->n; i++)
		print_item(&v->items[i], expected_find(exp, v->items[i].name), out);
}

void verdict_free(struct verdict *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->items[i].name);
		free(v->items[i].why);
	}
	free(v->items);
	*v = (struct verdict){ 0 };
}
