// SPDX-License-Identifier: MIT
/*
 * xe_migtest_runner command line. Names and meanings follow igt_runner's
 * (runner/settings.c upstream) so CI scripts can call either.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"

static const char usage_text[] =
	"usage: xe_migtest_runner [OPTIONS] [TEST_ROOT] RESULTS_PATH\n"
	"\n"
	"Runs the IGT test binaries listed in TEST_ROOT/test-list.txt, one\n"
	"subtest per process, and writes an igt_runner results directory.\n"
	"TEST_ROOT defaults to $IGT_TEST_ROOT.\n"
	"\n"
	"  -t, --include-tests REGEX  run only tests matching REGEX (igt@bin@sub);\n"
	"                             may be given more than once\n"
	"  -x, --exclude-tests REGEX  do not run tests matching REGEX\n"
	"      --test-list FILE       run the tests listed in FILE (igt@bin,\n"
	"                             igt@bin@sub or igt@bin@sub@dyn; # comments)\n"
	"  -L, --list-all             print the selected tests and exit\n"
	"  -l, --log-level quiet|normal|verbose\n"
	"      --per-test-timeout S   SIGQUIT a subtest after S seconds, SIGKILL\n"
	"                             after --kill-grace more (default 20)\n"
	"      --overall-timeout S    start no test after S seconds\n"
	"      --kill-grace S         seconds between SIGQUIT and SIGKILL\n"
	"      --abort-on-monitored-error[=taint|all]\n"
	"                             stop the run when the kernel gets a fatal taint\n"
	"      --dmesg-warn-level N   kmsg level at or below which a line makes a\n"
	"                             result dmesg-warn/dmesg-fail (default 4)\n"
	"  -m, --multiple-mode        run all subtests of a binary in one process\n"
	"  -d, --dry-run              write the job list, run nothing\n"
	"  -o, --overwrite            replace an existing, non-empty RESULTS_PATH\n"
	"  -n, --name NAME            the run's name in results.json\n"
	"  -h, --help                 this text\n";

enum {
	OPT_TEST_LIST = 1000,
	OPT_PER_TEST_TIMEOUT,
	OPT_OVERALL_TIMEOUT,
	OPT_KILL_GRACE,
	OPT_ABORT_ON_ERROR,
	OPT_DMESG_WARN_LEVEL,
};

static int parse_uint(const char *arg, const char *opt, unsigned int *out,
		      FILE *err)
{
	char *end;
	unsigned long v;

	v = strtoul(arg, &end, 10);
	if (!*arg || *end || arg[0] == '-' || v > 1000000) {
		fprintf(err, "xe_migtest_runner: %s wants a non-negative number, not '%s'\n",
			opt, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int add_filter(regex_t *res, int *n, const char *re, FILE *err)
{
	char msg[128];
	int rc;

	if (*n == RUNNER_MAX_FILTERS) {
		fprintf(err, "xe_migtest_runner: at most %d -t/-x filters\n",
			RUNNER_MAX_FILTERS);
		return -1;
	}
	rc = regcomp(&res[*n], re, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (rc) {
		regerror(rc, &res[*n], msg, sizeof(msg));
		fprintf(err, "xe_migtest_runner: bad regex '%s': %s\n", re, msg);
		return -1;
	}
	(*n)++;
	return 0;
}

static int parse_abort_mask(const char *arg, unsigned int *mask, FILE *err)
{
	if (!arg || !strcmp(arg, "all") || !strcmp(arg, "taint")) {
		*mask = arg && !strcmp(arg, "taint") ? ABORT_TAINT : ABORT_ALL;
		return 0;
	}
	fprintf(err, "xe_migtest_runner: --abort-on-monitored-error: unknown condition '%s' (taint, all)\n",
		arg);
	return -1;
}

static int parse_log_level(const char *arg, enum runner_log_level *l, FILE *err)
{
	if (!strcmp(arg, "quiet"))
		*l = LOG_QUIET;
	else if (!strcmp(arg, "normal"))
		*l = LOG_NORMAL;
	else if (!strcmp(arg, "verbose"))
		*l = LOG_VERBOSE;
	else {
		fprintf(err, "xe_migtest_runner: unknown log level '%s'\n", arg);
		return -1;
	}
	return 0;
}

static int parse_one(struct runner_settings *s, int opt, FILE *err)
{
	switch (opt) {
	case 't':
		return add_filter(s->include, &s->n_include, optarg, err);
	case 'x':
		return add_filter(s->exclude, &s->n_exclude, optarg, err);
	case 'L':
		s->list_only = true;
		return 0;
	case 'l':
		return parse_log_level(optarg, &s->log_level, err);
	case 'm':
		s->multiple_mode = true;
		return 0;
	case 'd':
		s->dry_run = true;
		return 0;
	case 'o':
		s->overwrite = true;
		return 0;
	case 'n':
		s->name = optarg;
		return 0;
	case OPT_TEST_LIST:
		s->test_list = optarg;
		return 0;
	case OPT_PER_TEST_TIMEOUT:
		return parse_uint(optarg, "--per-test-timeout", &s->per_test_timeout, err);
	case OPT_OVERALL_TIMEOUT:
		return parse_uint(optarg, "--overall-timeout", &s->overall_timeout, err);
	case OPT_KILL_GRACE:
		return parse_uint(optarg, "--kill-grace", &s->kill_grace, err);
	case OPT_ABORT_ON_ERROR:
		return parse_abort_mask(optarg, &s->abort_mask, err);
	case OPT_DMESG_WARN_LEVEL: {
		unsigned int lvl;

		if (parse_uint(optarg, "--dmesg-warn-level", &lvl, err) || lvl > 7)
			return -1;
		s->dmesg_warn_level = lvl;
		return 0;
	}
	}
	return -1;
}

static int take_paths(struct runner_settings *s, int argc, char **argv, FILE *err)
{
	int left = argc - optind;

	if (left == 2) {
		s->test_root = argv[optind];
		s->results_path = argv[optind + 1];
	} else if (left == 1) {
		s->test_root = getenv("IGT_TEST_ROOT");
		s->results_path = argv[optind];
	}
	if (s->list_only && left == 1 && !s->test_root) {
		s->test_root = argv[optind];
		s->results_path = NULL;
	}
	if (!s->test_root || (!s->results_path && !s->list_only) || left < 1 || left > 2) {
		fprintf(err, "xe_migtest_runner: need [TEST_ROOT] RESULTS_PATH (see --help)\n");
		return -1;
	}
	return 0;
}

int settings_parse(struct runner_settings *s, int argc, char **argv, FILE *err)
{
	static const struct option opts[] = {
		{ "include-tests", required_argument, NULL, 't' },
		{ "exclude-tests", required_argument, NULL, 'x' },
		{ "test-list", required_argument, NULL, OPT_TEST_LIST },
		{ "list-all", no_argument, NULL, 'L' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "per-test-timeout", required_argument, NULL, OPT_PER_TEST_TIMEOUT },
		{ "overall-timeout", required_argument, NULL, OPT_OVERALL_TIMEOUT },
		{ "kill-grace", required_argument, NULL, OPT_KILL_GRACE },
		{ "abort-on-monitored-error", optional_argument, NULL, OPT_ABORT_ON_ERROR },
		{ "dmesg-warn-level", required_argument, NULL, OPT_DMESG_WARN_LEVEL },
		{ "multiple-mode", no_argument, NULL, 'm' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "overwrite", no_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int opt;

	memset(s, 0, sizeof(*s));
	s->dmesg_warn_level = 4;
	s->kill_grace = 20;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "t:x:Ll:mdon:h", opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage_text, stdout);
			return 1;
		}
		if (opt == '?' || parse_one(s, opt, err)) {
			fprintf(err, "xe_migtest_runner: bad arguments (see --help)\n");
			return -1;
		}
	}
	return take_paths(s, argc, argv, err);
}

void settings_free(struct runner_settings *s)
{
	for (int i = 0; i < s->n_include; i++)
		regfree(&s->include[i]);
	for (int i = 0; i < s->n_exclude; i++)
		regfree(&s->exclude[i]);
	s->n_include = s->n_exclude = 0;
}

bool settings_name_selected(const struct runner_settings *s, const char *name)
{
	bool in = s->n_include == 0;

	for (int i = 0; i < s->n_include && !in; i++)
		in = !regexec(&s->include[i], name, 0, NULL, 0);
	for (int i = 0; i < s->n_exclude && in; i++)
		in = regexec(&s->exclude[i], name, 0, NULL, 0) != 0;
	return in;
}

/* A string as IGT's escape_str() writes it: '\\' and newline as \x<hex>h. */
static void put_str(FILE *f, const char *key, const char *val)
{
	if (!val)
		return;
	fprintf(f, "%s : ", key);
	for (; *val; val++)
		if (*val == '\\' || *val == '\n')
			fprintf(f, "\\x%xh", *val);
		else
			fputc(*val, f);
	fputc('\n', f);
}

/*
 * The fields igt_runner writes (IGT runner/settings.c:
 * serialize_settings()) that we have, read back by igt_results and
 * igt_resume with fscanf("%ms : %m[^\n]") (read_settings_from_file()).
 * A string that is not set is left out, as there: an empty value would
 * make that fscanf take the next line as the value. prune_mode 2 is
 * PRUNE_KEEP_ALL, igt_runner's default and what results.json holds
 * (subtests and their dynamic subtests); without the line igt_results
 * takes 0, keep-dynamic-subtests, and drops every parent of a dynamic
 * subtest.
 */
int settings_write_metadata(const struct runner_settings *s, FILE *f)
{
	fprintf(f, "abort_mask : %u\n", s->abort_mask);
	put_str(f, "test_list", s->test_list);
	put_str(f, "name", s->name);
	fprintf(f, "dry_run : %d\n", s->dry_run);
	fprintf(f, "multiple_mode : %d\n", s->multiple_mode);
	fprintf(f, "per_test_timeout : %u\n", s->per_test_timeout);
	fprintf(f, "overall_timeout : %u\n", s->overall_timeout);
	fprintf(f, "dmesg_warn_level : %d\n", s->dmesg_warn_level);
	fprintf(f, "prune_mode : %d\n", 2);
	put_str(f, "test_root", s->test_root);
	put_str(f, "results_path", s->results_path);
	return ferror(f) ? -1 : 0;
}
