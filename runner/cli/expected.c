// SPDX-License-Identifier: MIT
/* The list of expected results: parsing and look-up (see expected.h). */
#include <stdlib.h>
#include <string.h>

#include "expected.h"

static const char *skip_word = "skip";

/* "NAME" or "NAME skip REGEX" into @t; -1 with a message otherwise. */
static int parse_line(char *line, struct expected_test *t, const char **why)
{
	char *name = line + strspn(line, " \t");
	char *rest = name + strcspn(name, " \t");

	if (*rest)
		*rest++ = '\0';
	rest += strspn(rest, " \t");
	*t = (struct expected_test){ 0 };
	if (strncmp(name, "igt@", 4) || !name[4]) {
		*why = "not igt@binary[@subtest[@dynamic]]";
		return -1;
	}
	t->name = strdup(name);
	if (!*rest)
		return 0;
	if (strncmp(rest, skip_word, 4) || (rest[4] && rest[4] != ' ' && rest[4] != '\t')) {
		*why = "after the name only \"skip REGEX\" may follow";
		return -1;
	}
	rest += 4 + strspn(rest + 4, " \t");
	if (!*rest || regcomp(&t->re, rest, REG_EXTENDED | REG_ICASE | REG_NOSUB)) {
		*why = "\"skip\" needs a valid POSIX ERE: the reason of the skip";
		return -1;
	}
	t->skip_reason = strdup(rest);
	return 0;
}

static void free_test(struct expected_test *t)
{
	if (t->skip_reason)
		regfree(&t->re);
	free(t->skip_reason);
	free(t->name);
}

static int add_test(struct expected_list *l, struct expected_test *t, const char **why)
{
	struct expected_test *grown;

	if (expected_find(l, t->name)) {
		*why = "listed twice";
		return -1;
	}
	grown = realloc(l->tests, (l->n + 1) * sizeof(*grown));
	if (!grown) {
		*why = "out of memory";
		return -1;
	}
	l->tests = grown;
	l->tests[l->n++] = *t;
	return 0;
}

int expected_parse(struct expected_list *l, FILE *in, const char *path, FILE *err)
{
	char *line = NULL;
	size_t size = 0;
	unsigned int lineno = 0;
	int rc = 0;

	*l = (struct expected_list){ .path = strdup(path) };
	while (getline(&line, &size, in) >= 0) {
		struct expected_test t;
		const char *why = NULL;
		char *p = line + strspn(line, " \t");

		lineno++;
		p[strcspn(p, "\r\n")] = '\0';
		if (!*p || *p == '#')
			continue;
		if (parse_line(p, &t, &why) || add_test(l, &t, &why)) {
			fprintf(err, "%s:%u: %s: %s\n", path, lineno, why, p);
			free_test(&t);
			rc = -1;
		}
	}
	free(line);
	return rc;
}

int expected_load(struct expected_list *l, const char *path, FILE *err)
{
	FILE *f = fopen(path, "r");
	int rc;

	if (!f) {
		fprintf(err, "%s: %m\n", path);
		*l = (struct expected_list){ 0 };
		return -1;
	}
	rc = expected_parse(l, f, path, err);
	fclose(f);
	return rc;
}

const struct expected_test *expected_find(const struct expected_list *l,
					  const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->tests[i].name, name))
			return &l->tests[i];
	return NULL;
}

bool expected_skip_matches(const struct expected_test *t, const char *text)
{
	return t->skip_reason && !regexec(&t->re, text, 0, NULL, 0);
}

void expected_free(struct expected_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free_test(&l->tests[i]);
	free(l->tests);
	free(l->path);
	*l = (struct expected_list){ 0 };
}
