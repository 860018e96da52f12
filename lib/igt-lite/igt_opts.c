// SPDX-License-Identifier: MIT
/*
 * The command line of a test binary: the core options every IGT test has,
 * merged with the test's own (igt_main_args()), parsed with getopt_long.
 *
 * One table (core_opts[]) drives everything: the getopt_long array, the
 * --help text and the clash check against the test's options. Each core
 * option has an id at or above CORE_ID_FIRST, far above the values tests
 * give their own long options.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "igt_lite_internal.h"

#define CORE_ID_FIRST 500

enum core_id {
	CID_LIST = CORE_ID_FIRST,
	CID_TESTLIST,
	CID_DESCRIBE,
	CID_RUN,
	CID_DYNAMIC,
	CID_DEBUG,
	CID_INTERACTIVE,
	CID_NO_CRC,
	CID_OOPS_TRACE,
	CID_HELP_DESCRIPTION,
	CID_DEVICE,
	CID_VERSION,
	CID_HELP = 'h',		/* also the short option -h */
};

static const struct core_opt {
	const char *name;
	int arg;		/* no_argument, required_argument, ... */
	enum core_id id;
	const char *usage;	/* the --help line, after the option */
} core_opts[] = {
	{ "list-subtests",     no_argument,       CID_LIST,         "" },
	{ "show-testlist",     no_argument,       CID_TESTLIST,     "" },
	{ "run-subtest",       required_argument, CID_RUN,          " <pattern>" },
	{ "dynamic-subtest",   required_argument, CID_DYNAMIC,      " <pattern>" },
	{ "debug",             optional_argument, CID_DEBUG,        "[=log-domain]" },
	{ "interactive-debug", optional_argument, CID_INTERACTIVE,  "[=domain]" },
	{ "skip-crc-compare",  no_argument,       CID_NO_CRC,       "" },
	{ "trace-on-oops",     no_argument,       CID_OOPS_TRACE,   "" },
	{ "help-description",  no_argument,       CID_HELP_DESCRIPTION, "" },
	{ "describe",          optional_argument, CID_DESCRIBE,     "[=pattern]" },
	{ "device",            required_argument, CID_DEVICE,       " filters" },
	{ "version",           no_argument,       CID_VERSION,      "" },
	{ "help",              no_argument,       CID_HELP,         "|-h" },
};
#define N_CORE_OPTS (sizeof(core_opts) / sizeof(core_opts[0]))

/* Short options of the core: only -h. */
static bool core_has_short(int c)
{
	return c == CID_HELP;
}

static const struct core_opt *core_by_name(const char *name)
{
	for (size_t i = 0; i < N_CORE_OPTS; i++)
		if (!strcmp(core_opts[i].name, name))
			return &core_opts[i];
	return NULL;
}

static const struct core_opt *core_by_id(int id)
{
	for (size_t i = 0; i < N_CORE_OPTS; i++)
		if ((int)core_opts[i].id == id)
			return &core_opts[i];
	return NULL;
}

void igt_lite_print_wrapped(FILE *f, const char *indent, const char *text)
{
	const size_t room = 80 - strlen(indent);
	size_t used = 0;

	fputs(indent, f);
	while (*text) {
		size_t word = strcspn(text, " ");

		if (used && used + 1 + word > room) {
			fputc('\n', f);
			fputs(indent, f);
			used = 0;
		} else if (used) {
			fputc(' ', f);
			used++;
		}
		fwrite(text, 1, word, f);
		used += word;
		text += word;
		if (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

void igt_lite_version_string(char *buf, size_t size)
{
	struct utsname u = { 0 };

	if (uname(&u))
		memset(&u, 0, sizeof(u));
	snprintf(buf, size, "IGT-Version: %s (%s) (%s: %s %s)\n", IGT_LITE_VERSION,
		 u.machine, u.sysname, u.release, u.machine);
}

static void show_help(FILE *f, const char *argv0, const char *help_str)
{
	const char *slash = strrchr(argv0, '/');

	fprintf(f, "Usage: %s [OPTIONS]\n", slash ? slash + 1 : argv0);
	for (size_t i = 0; i < N_CORE_OPTS; i++)
		fprintf(f, "  --%s%s\n", core_opts[i].name, core_opts[i].usage);
	if (help_str)
		fprintf(f, "%s\n", help_str);
}

/* --help-description prints the text; --describe adds an empty line after it. */
static void show_description(FILE *f, const char *text, bool blank_after)
{
	if (!text)
		return;
	igt_lite_print_wrapped(f, "", text);
	if (blank_after)
		fputc('\n', f);
}

/* A test option that shadows a core one, by name or by value, is a bug. */
static bool clashes_with_core(const char *test_short,
			      const struct option *test_long, FILE *err)
{
	for (const struct option *o = test_long; o && o->name; o++) {
		const struct core_opt *c = core_by_name(o->name);

		if (c) {
			fprintf(err, "test option --%s: a core option has that name\n",
				o->name);
			return true;
		}
		c = core_by_id(o->val);
		if (c) {
			fprintf(err, "test option --%s: its value is that of the core option --%s\n",
				o->name, c->name);
			return true;
		}
	}

	for (const char *s = test_short; s && *s; s++) {
		const struct core_opt *c;

		if (*s == ':')
			continue;
		if (core_has_short(*s)) {
			fprintf(err, "Conflicting short option: -%c\n", *s);
			return true;
		}
		c = core_by_id(*s);
		if (c) {
			fprintf(err, "test option -%c: its value is that of the core option --%s\n",
				*s, c->name);
			return true;
		}
	}

	return false;
}

static void set_str(char **slot, const char *value)
{
	free(*slot);
	*slot = value ? strdup(value) : NULL;
}

/* getopt_long's arrays: the test's options first, then the core ones. */
static bool build_getopt_tables(const char *test_short,
				const struct option *test_long,
				char **shorts, struct option **longs)
{
	size_t n = 0;

	while (test_long && test_long[n].name)
		n++;

	*longs = calloc(n + N_CORE_OPTS + 1, sizeof(**longs));
	if (asprintf(shorts, "%sh", test_short ? test_short : "") < 0)
		*shorts = NULL;
	if (!*longs || !*shorts) {
		free(*longs);
		free(*shorts);
		return false;
	}

	for (size_t i = 0; i < n; i++)
		(*longs)[i] = test_long[i];
	for (size_t i = 0; i < N_CORE_OPTS; i++) {
		(*longs)[n + i].name = core_opts[i].name;
		(*longs)[n + i].has_arg = core_opts[i].arg;
		(*longs)[n + i].val = core_opts[i].id;
	}
	return true;
}

/*
 * Applies one core option. Returns IGT_LITE_OPTS_RUN to go on parsing,
 * anything else to stop with that result.
 */
static enum igt_lite_opts_result
apply_core(struct igt_lite_opts *o, int id, const char *arg, const char *argv0,
	   const char *help_str, const char *test_description, FILE *out)
{
	bool listing = o->list_subtests || o->show_testlist;
	char version[256];

	switch (id) {
	case CID_LIST:
		/* A selection given earlier wins over listing. */
		o->list_subtests = o->list_subtests || !o->run_subtest;
		break;
	case CID_TESTLIST:
		o->show_testlist = true;
		break;
	case CID_DESCRIBE:
		o->describe = true;
		o->list_subtests = true;
		if (arg)
			set_str(&o->run_subtest, arg);
		show_description(out, test_description, true);
		break;
	case CID_RUN:
		/* Once listing was asked for, selections are ignored. */
		if (!listing)
			set_str(&o->run_subtest, arg);
		break;
	case CID_DYNAMIC:
		if (!listing)
			set_str(&o->dynamic_subtest, arg);
		break;
	case CID_DEBUG:
		o->debug = true;
		if (arg && *arg)
			set_str(&o->debug_domain, arg);
		break;
	case CID_INTERACTIVE:
		set_str(&o->interactive_debug, arg && *arg ? arg : "all");
		break;
	case CID_NO_CRC:
		o->skip_crc_compare = true;
		break;
	case CID_OOPS_TRACE:
		o->trace_on_oops = true;
		break;
	case CID_DEVICE:
		set_str(&o->device, arg);
		break;
	case CID_HELP_DESCRIPTION:
		show_description(out, test_description, false);
		return IGT_LITE_OPTS_EXIT_OK;
	case CID_VERSION:
		igt_lite_version_string(version, sizeof(version));
		fputs(version, out);
		return IGT_LITE_OPTS_EXIT_OK;
	case CID_HELP:
		show_help(out, argv0, help_str);
		return IGT_LITE_OPTS_EXIT_OK;
	}
	return IGT_LITE_OPTS_RUN;
}

/*
 * A test's own option refused its value: say which and how it is used,
 * rather than exit 79 without a word.
 */
static void report_bad_option(FILE *err, const char *argv0, const struct option *longs,
			      int c, const char *arg, const char *help_str)
{
	const char *name = NULL;

	for (const struct option *o = longs; o->name; o++)
		if (!o->flag && o->val == c) {
			name = o->name;
			break;
		}
	if (name)
		fprintf(err, "%s: --%s: bad value '%s'\n", argv0, name, arg ? arg : "");
	else
		fprintf(err, "%s: -%c: bad value '%s'\n", argv0, c, arg ? arg : "");
	show_help(err, argv0, help_str);
}

enum igt_lite_opts_result
igt_lite_parse_opts(struct igt_lite_opts *opts, int *argc, char **argv,
		    const char *extra_short_opts,
		    const struct option *extra_long_opts,
		    const char *help_str,
		    igt_opt_handler_t extra_opt_handler, void *handler_data,
		    const char *test_description, FILE *out, FILE *err)
{
	enum igt_lite_opts_result verdict = IGT_LITE_OPTS_RUN;
	struct option *longs;
	char *shorts;
	int c, idx = 0;

	if (clashes_with_core(extra_short_opts, extra_long_opts, err))
		return IGT_LITE_OPTS_CONFLICT;
	if (!build_getopt_tables(extra_short_opts, extra_long_opts, &shorts, &longs)) {
		fprintf(err, "igt-lite: no memory for the option tables\n");
		return IGT_LITE_OPTS_EXIT_INVALID;
	}

	optind = 0; /* glibc: start over, re-reading GNU extensions */
	while (verdict == IGT_LITE_OPTS_RUN &&
	       (c = getopt_long(*argc, argv, shorts, longs, &idx)) != -1) {
		int ret;

		if (c == '?') {
			show_help(err, argv[0], help_str);
			verdict = IGT_LITE_OPTS_EXIT_INVALID;
		} else if (core_by_id(c)) {
			verdict = apply_core(opts, c, optarg, argv[0], help_str,
					     test_description, out);
		} else {
			ret = extra_opt_handler ?
			      extra_opt_handler(c, idx, handler_data) :
			      IGT_OPT_HANDLER_ERROR;
			if (ret != IGT_OPT_HANDLER_SUCCESS) {
				/* -1 means "done, exit 0"; any other error is a bad command line */
				opts->handler_ret = ret;
				if (ret != -1)
					report_bad_option(err, argv[0], longs, c, optarg, help_str);
				verdict = ret == -1 ? IGT_LITE_OPTS_EXIT_OK :
						      IGT_LITE_OPTS_EXIT_INVALID;
			}
		}
	}

	if (verdict == IGT_LITE_OPTS_RUN) {
		/* argv[0] stays; the operands getopt moved to the end follow it. */
		int left = *argc - optind;

		memmove(argv + 1, argv + optind, (size_t)left * sizeof(char *));
		*argc = left + 1;
		argv[*argc] = NULL;
	}
	free(shorts);
	free(longs);
	return verdict;
}

void igt_lite_opts_free(struct igt_lite_opts *opts)
{
	char **strs[] = { &opts->run_subtest, &opts->dynamic_subtest,
			  &opts->debug_domain, &opts->device,
			  &opts->interactive_debug };

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(*strs[i]);
	memset(opts, 0, sizeof(*opts));
}

bool igt_lite_parse_log_level(const char *s, enum igt_log_level *level)
{
	static const char *const names[] = {
		[IGT_LOG_DEBUG] = "debug",
		[IGT_LOG_INFO] = "info",
		[IGT_LOG_WARN] = "warn",
		[IGT_LOG_CRITICAL] = "critical",
		[IGT_LOG_NONE] = "none",
	};

	for (int l = IGT_LOG_DEBUG; l <= IGT_LOG_NONE; l++) {
		if (!strcmp(s, names[l])) {
			*level = (enum igt_log_level)l;
			return true;
		}
	}
	return false;
}
