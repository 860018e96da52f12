// SPDX-License-Identifier: MIT
/* One planted fault: caught, and for the right reason? (mutant_verdict.h) */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "mutant_verdict.h"

#define EXCERPT_LINES 8

static const char *const outcome_words[] = {
	[MUTANT_CAUGHT] = "caught",
	[MUTANT_NOT_CAUGHT] = "NOT CAUGHT",
	[MUTANT_WRONG_REASON] = "CAUGHT FOR THE WRONG REASON",
	[MUTANT_NO_BASELINE] = "NO BASELINE",
	[MUTANT_NOT_PLANTED] = "NOT PLANTED",
};

struct judged {
	enum mutant_outcome outcome;
	char why[512];
	const char *excerpt_of;	/* output to quote, or NULL */
};

static const char *text_of(json_t *test, const char *key)
{
	const char *s = json_string_value(json_object_get(test, key));

	return s ? s : "";
}

static bool is_sentinel(const char *line)
{
	return !strncmp(line, "Starting ", 9) || !strncmp(line, "Subtest ", 8) ||
	       !strncmp(line, "Dynamic subtest ", 16);
}

/* Up to EXCERPT_LINES lines of @text that say something, indented. */
static void print_excerpt(const char *text, FILE *out)
{
	int n = 0;

	for (const char *p = text; *p && n < EXCERPT_LINES; ) {
		size_t len = strcspn(p, "\n");

		if (len && !is_sentinel(p)) {
			fprintf(out, "                       | %.*s\n", (int)len, p);
			n++;
		}
		p += len + (p[len] == '\n');
	}
	if (!n)
		fprintf(out, "                       | (no output)\n");
}

static bool matches(const char *pattern, const char *text)
{
	regex_t re;
	bool m;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB))
		return false;
	m = !regexec(&re, text, 0, NULL, 0);
	regfree(&re);
	return m;
}

static bool one_of(const char *r, const char *a, const char *b)
{
	return !strcmp(r, a) || !strcmp(r, b);
}

/* The failure output a pattern is matched against: err, then out. */
static char *failure_text(json_t *test)
{
	char *s;

	if (asprintf(&s, "%s\n%s", text_of(test, "err"), text_of(test, "out")) < 0)
		return NULL;
	return s;
}

static void judge_planted(const struct mutant_fault *f, json_t *t, struct judged *j)
{
	const char *r = text_of(t, "result");
	char *text;

	if (one_of(r, "pass", "warn") || !strcmp(r, "dmesg-warn")) {
		j->outcome = MUTANT_NOT_CAUGHT;
		snprintf(j->why, sizeof(j->why), "%s with the fault planted", r);
		return;
	}
	if (!one_of(r, "fail", "dmesg-fail")) {
		j->outcome = MUTANT_WRONG_REASON;
		snprintf(j->why, sizeof(j->why), "%s with the fault planted, not a failure:", r);
		j->excerpt_of = text_of(t, "err");
		return;
	}
	text = failure_text(t);
	if (text && matches(f->pattern, text)) {
		free(text);
		return;
	}
	free(text);
	j->outcome = MUTANT_WRONG_REASON;
	snprintf(j->why, sizeof(j->why),
		 "%s, but its output does not match /%s/ (xe_sriov_sim_fault_catchers.h):",
		 r, f->pattern);
	j->excerpt_of = *text_of(t, "err") ? text_of(t, "err") : text_of(t, "out");
}

static void judge_subtest(const struct mutant_fault *f, const char *name, json_t *baseline,
			  json_t *planted, struct judged *j)
{
	json_t *b = json_object_get(baseline, name), *p = json_object_get(planted, name);

	*j = (struct judged){ .outcome = MUTANT_CAUGHT };
	if (!b || strcmp(text_of(b, "result"), "pass")) {
		j->outcome = MUTANT_NO_BASELINE;
		snprintf(j->why, sizeof(j->why), "%s without the fault, so failing with it proves nothing%s",
			 b ? text_of(b, "result") : "no result (not run?)", b ? ":" : "");
		j->excerpt_of = b ? text_of(b, "err") : NULL;
	} else if (!p) {
		j->outcome = MUTANT_WRONG_REASON;
		snprintf(j->why, sizeof(j->why), "no result with the fault planted (not run?)");
	} else {
		judge_planted(f, p, j);
	}
}

static void print_subtest(const char *name, const struct judged *j, FILE *out)
{
	fprintf(out, "                     %s: %s\n", mutant_short_name(name), j->why);
	if (j->excerpt_of)
		print_excerpt(j->excerpt_of, out);
}

enum mutant_outcome mutant_judge(const struct mutant_fault *f, json_t *baseline,
				 json_t *planted, FILE *out)
{
	enum mutant_outcome worst = MUTANT_CAUGHT;
	struct judged j[MUTANT_MAX_CATCHERS];

	if (!planted) {
		fprintf(out, "  %-16s %s: the fault could not be planted\n", f->name,
			outcome_words[MUTANT_NOT_PLANTED]);
		return MUTANT_NOT_PLANTED;
	}
	for (int i = 0; i < f->n_subtests; i++) {
		judge_subtest(f, f->subtests[i], baseline, planted, &j[i]);
		if (j[i].outcome > worst)
			worst = j[i].outcome;
	}
	fprintf(out, "  %-16s %s%s", f->name, outcome_words[worst],
		worst == MUTANT_CAUGHT ? " by" : " (" );
	if (worst == MUTANT_CAUGHT) {
		for (int i = 0; i < f->n_subtests; i++)
			fprintf(out, " %s", mutant_short_name(f->subtests[i]));
		fprintf(out, "\n");
		return worst;
	}
	fprintf(out, "%s)\n", f->what);
	for (int i = 0; i < f->n_subtests; i++)
		if (j[i].outcome != MUTANT_CAUGHT)
			print_subtest(f->subtests[i], &j[i], out);
	return worst;
}
