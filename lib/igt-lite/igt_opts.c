// SPDX-License-Identifier: MIT
/*
 * Command line of an IGT test binary: IGT's core options merged with the
 * test's own (igt_main_args), parsed with getopt_long like IGT does.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "igt_lite_internal.h"

/* Core long options use values above anything a test would pick. */
enum {
	OPT_LIST_SUBTESTS = 500,
	OPT_SHOW_TESTLIST,
	OPT_DESCRIBE_SUBTESTS,
	OPT_RUN_SUBTEST,
	OPT_RUN_DYNAMIC_SUBTEST,
	OPT_DESCRIPTION,
	OPT_DEBUG,
	OPT_INTERACTIVE_DEBUG,
	OPT_SKIP_CRC,
	OPT_TRACE_OOPS,
	OPT_DEVICE,
	OPT_VERSION,
	OPT_HELP = 'h',
};

static const struct option core_long_opts[] = {
	{ "list-subtests",     no_argument,       NULL, OPT_LIST_SUBTESTS },
	{ "show-testlist",     no_argument,       NULL, OPT_SHOW_TESTLIST },
	{ "describe",          optional_argument, NULL, OPT_DESCRIBE_SUBTESTS },
	{ "run-subtest",       required_argument, NULL, OPT_RUN_SUBTEST },
	{ "dynamic-subtest",   required_argument, NULL, OPT_RUN_DYNAMIC_SUBTEST },
	{ "help-description",  no_argument,       NULL, OPT_DESCRIPTION },
	{ "debug",             optional_argument, NULL, OPT_DEBUG },
	{ "interactive-debug", optional_argument, NULL, OPT_INTERACTIVE_DEBUG },
	{ "skip-crc-compare",  no_argument,       NULL, OPT_SKIP_CRC },
	{ "trace-on-oops",     no_argument,       NULL, OPT_TRACE_OOPS },
	{ "device",            required_argument, NULL, OPT_DEVICE },
	{ "version",           no_argument,       NULL, OPT_VERSION },
	{ "help",              no_argument,       NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};
#define N_CORE_LONG_OPTS (sizeof(core_long_opts) / sizeof(core_long_opts[0]))

static const char core_short_opts[] = "h";

void igt_lite_print_wrapped(FILE *f, const char *indent, const char *text)
{
	const int width = 80 - (int)strlen(indent);
	int col = 0;
	const char *p = text;

	fputs(indent, f);
	for (;;) {
		const char *sp = strchr(p, ' ');
		int len = sp ? (int)(sp - p) : (int)strlen(p);

		if (col > 0 && col + 1 + len > width) {
			fprintf(f, "\n%s", indent);
			col = 0;
		}
		if (col > 0) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, (size_t)len, f);
		col += len;
		if (!sp)
			break;
		p = sp + 1;
	}
	fputc('\n', f);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void print_usage(FILE *f, const char *argv0, const char *help_str)
{
	fprintf(f, "Usage: %s [OPTIONS]\n", base_name(argv0));
	fputs("  --list-subtests\n"
	      "  --show-testlist\n"
	      "  --run-subtest <pattern>\n"
	      "  --dynamic-subtest <pattern>\n"
	      "  --debug[=log-domain]\n"
	      "  --interactive-debug[=domain]\n"
	      "  --skip-crc-compare\n"
	      "  --trace-on-oops\n"
	      "  --help-description\n"
	      "  --describe\n"
	      "  --device filters\n"
	      "  --version\n"
	      "  --help|-h\n", f);
	if (help_str)
		fprintf(f, "%s\n", help_str);
}

static void print_description(FILE *f, const char *desc, bool describing)
{
	if (!desc)
		return;
	igt_lite_print_wrapped(f, "", desc);
	if (describing)
		fputc('\n', f);
}

static void print_version(FILE *f)
{
	struct utsname uts;

	if (uname(&uts))
		memset(&uts, 0, sizeof(uts));
	fprintf(f, "IGT-Version: %s (%s) (%s: %s %s)\n", IGT_LITE_VERSION,
		uts.machine, uts.sysname, uts.release, uts.machine);
}

/* Test options must not shadow core ones, by name or by value. */
static bool options_conflict(const char *extra_short_opts,
			     const struct option *extra_long_opts, FILE *err)
{
	for (const struct option *e = extra_long_opts; e && e->name; e++) {
		for (const struct option *c = core_long_opts; c->name; c++) {
			if (!strcmp(e->name, c->name)) {
				fprintf(err, "Conflicting extra long option defined --%s\n",
					c->name);
				return true;
			}
			if (e->val == c->val) {
				fprintf(err, "Conflicting long option 'val' representation between --%s and --%s\n",
					e->name, c->name);
				return true;
			}
		}
		if (e->val != ':' && e->val > 0 && e->val < 256 &&
		    strchr(core_short_opts, e->val)) {
			fprintf(err, "Conflicting long and short option 'val' representation between --%s and -%c\n",
				e->name, e->val);
			return true;
		}
	}

	for (const char *s = extra_short_opts; s && *s; s++) {
		if (*s == ':')
			continue;
		if (strchr(core_short_opts, *s)) {
			fprintf(err, "Conflicting short option: -%c\n", *s);
			return true;
		}
		for (const struct option *c = core_long_opts; c->name; c++) {
			if (c->val == *s) {
				fprintf(err, "Conflicting short option and long option 'val' representation: --%s and -%c\n",
					c->name, *s);
				return true;
			}
		}
	}

	return false;
}

static void replace(char **slot, const char *value)
{
	free(*slot);
	*slot = value ? strdup(value) : NULL;
}

enum igt_lite_opts_result
igt_lite_parse_opts(struct igt_lite_opts *opts, int *argc, char **argv,
		    const char *extra_short_opts,
		    const struct option *extra_long_opts,
		    const char *help_str,
		    igt_opt_handler_t extra_opt_handler, void *handler_data,
		    const char *test_description, FILE *out, FILE *err)
{
	enum igt_lite_opts_result result = IGT_LITE_OPTS_RUN;
	struct option *all_long;
	size_t n_extra = 0;
	char *all_short;
	int c, index = 0;

	if (options_conflict(extra_short_opts, extra_long_opts, err))
		return IGT_LITE_OPTS_CONFLICT;

	while (extra_long_opts && extra_long_opts[n_extra].name)
		n_extra++;

	/* The test's options first, then the core ones and their terminator. */
	all_long = calloc(n_extra + N_CORE_LONG_OPTS, sizeof(*all_long));
	if (n_extra)
		memcpy(all_long, extra_long_opts, n_extra * sizeof(*all_long));
	memcpy(all_long + n_extra, core_long_opts, sizeof(core_long_opts));
	if (asprintf(&all_short, "%s%s", extra_short_opts ? extra_short_opts : "",
		     core_short_opts) < 0)
		all_short = NULL;
	if (!all_long || !all_short) {
		fprintf(err, "out of memory parsing options\n");
		free(all_long);
		free(all_short);
		return IGT_LITE_OPTS_EXIT_INVALID;
	}

	optind = 0; /* full getopt re-initialisation, glibc style */
	while ((c = getopt_long(*argc, argv, all_short, all_long, &index)) != -1) {
		switch (c) {
		case OPT_INTERACTIVE_DEBUG:
			replace(&opts->interactive_debug,
				optarg && *optarg ? optarg : "all");
			break;
		case OPT_DEBUG:
			opts->debug = true;
			if (optarg && *optarg)
				replace(&opts->debug_domain, optarg);
			break;
		case OPT_LIST_SUBTESTS:
			/* As IGT: ignored once a --run-subtest was given. */
			if (!opts->run_subtest)
				opts->list_subtests = true;
			break;
		case OPT_SHOW_TESTLIST:
			opts->show_testlist = true;
			break;
		case OPT_DESCRIBE_SUBTESTS:
			if (optarg)
				replace(&opts->run_subtest, optarg);
			opts->list_subtests = true;
			opts->describe = true;
			print_description(out, test_description, true);
			break;
		case OPT_RUN_SUBTEST:
			/* As IGT: ignored once listing was asked for. */
			if (!opts->list_subtests && !opts->show_testlist)
				replace(&opts->run_subtest, optarg);
			break;
		case OPT_RUN_DYNAMIC_SUBTEST:
			if (!opts->list_subtests && !opts->show_testlist)
				replace(&opts->dynamic_subtest, optarg);
			break;
		case OPT_DESCRIPTION:
			print_description(out, test_description, false);
			result = IGT_LITE_OPTS_EXIT_OK;
			goto out;
		case OPT_SKIP_CRC:
			opts->skip_crc_compare = true;
			break;
		case OPT_TRACE_OOPS:
			opts->trace_on_oops = true;
			break;
		case OPT_DEVICE:
			replace(&opts->device, optarg);
			break;
		case OPT_VERSION:
			print_version(out);
			result = IGT_LITE_OPTS_EXIT_OK;
			goto out;
		case OPT_HELP:
			print_usage(out, argv[0], help_str);
			result = IGT_LITE_OPTS_EXIT_OK;
			goto out;
		case '?':
			print_usage(err, argv[0], help_str);
			result = IGT_LITE_OPTS_EXIT_INVALID;
			goto out;
		default: {
			int ret = extra_opt_handler ?
				  extra_opt_handler(c, index, handler_data) :
				  IGT_OPT_HANDLER_ERROR;

			if (ret) {
				/* IGT: -1 exits quietly with 0, anything else is invalid. */
				opts->handler_ret = ret;
				result = ret == -1 ? IGT_LITE_OPTS_EXIT_OK :
						     IGT_LITE_OPTS_EXIT_INVALID;
				goto out;
			}
			break;
		}
		}
	}

out:
	/* Keep argv[0], then whatever getopt left over. */
	if (result == IGT_LITE_OPTS_RUN) {
		int rest = *argc - optind;

		memmove(&argv[1], &argv[optind], (size_t)rest * sizeof(*argv));
		*argc = rest + 1;
		argv[*argc] = NULL;
	}
	free(all_short);
	free(all_long);

	return result;
}

void igt_lite_opts_free(struct igt_lite_opts *opts)
{
	free(opts->run_subtest);
	free(opts->dynamic_subtest);
	free(opts->debug_domain);
	free(opts->device);
	free(opts->interactive_debug);
	memset(opts, 0, sizeof(*opts));
}

bool igt_lite_parse_log_level(const char *s, enum igt_log_level *level)
{
	static const struct {
		const char *name;
		enum igt_log_level level;
	} levels[] = {
		{ "debug", IGT_LOG_DEBUG },
		{ "info", IGT_LOG_INFO },
		{ "warn", IGT_LOG_WARN },
		{ "critical", IGT_LOG_CRITICAL },
		{ "none", IGT_LOG_NONE },
	};

	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (!strcmp(s, levels[i].name)) {
			*level = levels[i].level;
			return true;
		}
	}

	return false;
}
