// SPDX-License-Identifier: MIT
/*
 * Subtest name matching for --run-subtest, --dynamic-subtest and
 * --describe=<pattern>: RFC 3977 wildmat expressions as IGT evaluates them
 * with its vendored uwildmat().
 */
#include <ctype.h>
#include <string.h>

#include "igt_lite_internal.h"

/* IGT's matcher folds the text, not the pattern: "Foo" matches "foo". */
static bool char_matches(unsigned char t, unsigned char p)
{
	return t == p || (unsigned char)tolower(t) == p;
}

static bool in_range(unsigned char t, unsigned char lo, unsigned char hi)
{
	unsigned char lt = (unsigned char)tolower(t);

	return (t >= lo && t <= hi) || (lt >= lo && lt <= hi);
}

/*
 * [set, end) is the inside of a bracket expression, without the brackets.
 * A leading '^' inverts it; "a-z" is a range; '-' first, or after a range,
 * is literal; a ']' right after '[' or "[^" is a member.
 */
static bool class_matches(unsigned char t, const char *set, const char *end)
{
	bool inverted = (*set == '^');
	bool range_ok = false;
	unsigned char prev = 0;
	const char *p = set + inverted;

	while (p < end) {
		if (range_ok && *p == '-' && p + 1 < end) {
			if (in_range(t, prev, (unsigned char)p[1]))
				return !inverted;
			p += 2;
			range_ok = false;
			continue;
		}
		prev = (unsigned char)*p++;
		if (char_matches(t, prev))
			return !inverted;
		range_ok = true;
	}

	return inverted;
}

/* One pattern, [p, end), no commas and no leading '!'. */
static bool pattern_matches(const char *text, const char *p, const char *end)
{
	while (p < end) {
		switch (*p) {
		case '*':
			while (p < end && *p == '*')
				p++;
			if (p == end)
				return true;
			for (;; text++) {
				if (pattern_matches(text, p, end))
					return true;
				if (!*text)
					return false;
			}
		case '?':
			if (!*text)
				return false;
			text++;
			p++;
			break;
		case '[': {
			const char *set = p + 1;
			const char *first = set + (*set == '^') + 1;
			const char *close;

			if (!*text || first >= end)
				return false;
			close = memchr(first, ']', (size_t)(end - first));
			if (!close)
				return false; /* malformed: matches nothing */
			if (!class_matches((unsigned char)*text, set, close))
				return false;
			text++;
			p = close + 1;
			break;
		}
		case '\\':
			if (++p == end)
				return false;
			/* fall through */
		default:
			if (!*text || !char_matches((unsigned char)*text,
						    (unsigned char)*p))
				return false;
			text++;
			p++;
			break;
		}
	}

	return *text == '\0';
}

/* End of the pattern starting at p: the first comma outside [] and not escaped. */
static const char *pattern_end(const char *p)
{
	bool escaped = false;

	for (; *p; p++) {
		if (*p == '[') {
			p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']')
				p++;
			if (!*p)
				break;
		}
		if (*p == ',' && !escaped)
			break;
		escaped = (*p == '\\') ? !escaped : false;
	}

	return p;
}

bool igt_lite_wildmat(const char *text, const char *pattern)
{
	bool matched = false;
	const char *p = pattern;

	if (!strcmp(pattern, "*"))
		return true;
	if (!*pattern)
		return !*text;

	for (;;) {
		bool negated = (*p == '!');
		const char *end;

		p += negated;
		end = pattern_end(p);

		/* The last matching pattern decides; skip those that cannot change it. */
		if (matched != !negated && pattern_matches(text, p, end))
			matched = !negated;

		if (!*end)
			break;
		p = end + 1;
	}

	return matched;
}

bool igt_lite_valid_subtest_name(const char *name)
{
	for (; *name; name++) {
		unsigned char c = (unsigned char)*name;

		if (!(isalnum(c) && c < 0x80) && c != '-' && c != '_')
			return false;
	}

	return true;
}
