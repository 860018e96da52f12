// SPDX-License-Identifier: MIT
/*
 * Parse a job's files the way igt_runner's resultgen.c does for the text
 * protocol:
 *
 *   out.txt   "Starting subtest: X" ... "Subtest X: RESULT (T s)" sections,
 *             with "Starting dynamic subtest: Y" / "Dynamic subtest Y: ..."
 *             inside; each section is that test's "out".
 *   err.txt   the same sentinels (IGT_SENTINEL_ON_STDERR); anything else
 *             in a passing test's section makes it "warn".
 *   dmesg.txt /dev/kmsg records, split at "[IGT] bin: starting subtest X";
 *             a record at or below --dmesg-warn-level turns pass/warn into
 *             dmesg-warn and fail into dmesg-fail.
 *   journal.txt  the last line "exit:RC (T s)" or "timeout:RC (T s)".
 */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "kmsg.h"
#include "resultgen.h"

struct span {
	const char *p;
	size_t len;
};

struct job_files {
	char *out, *err, *dmesg, *journal;
	bool finished, timed_out;
	int exit_code;
	double elapsed;
	char *igt_version;
};

static const char *const totals_keys[] = {
	"pass", "fail", "skip", "crash", "timeout", "incomplete", "abort",
	"notrun", "dmesg-warn", "dmesg-fail", "warn",
};

const char *resultgen_map_result(const char *word)
{
	static const struct { const char *word, *result; } map[] = {
		{ "SUCCESS", "pass" }, { "SKIP", "skip" }, { "FAIL", "fail" },
		{ "CRASH", "crash" }, { "TIMEOUT", "timeout" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(word, map[i].word))
			return map[i].result;
	return "fail";
}

/* The file's text with ANSI colour sequences removed ("" if missing). */
static char *read_text(const char *dir, const char *name)
{
	char path[4200], *buf = NULL, *w;
	size_t size = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f || getdelim(&buf, &size, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	if (f)
		fclose(f);
	for (char *r = w = buf; r && *r; r++) {
		if (r[0] == '\x1b' && r[1] == '[') {
			r += strspn(r + 2, "0123456789;") + 2;
			if (!*r)
				break;
			continue;
		}
		*w++ = *r;
	}
	if (buf)
		*w = '\0';
	return buf;
}

/* Start of the first line at or after @from that begins with @prefix. */
static const char *find_line(const char *text, const char *from, const char *end,
			     const char *prefix)
{
	size_t plen = strlen(prefix);

	for (const char *p = from; p && p < end; ) {
		if ((p == text || p[-1] == '\n') && !strncmp(p, prefix, plen) &&
		    (size_t)(end - p) >= plen)
			return p;
		p = memchr(p, '\n', end - p);
		if (p)
			p++;
	}
	return NULL;
}

static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', end - p);

	return nl ? nl + 1 : end;
}

/*
 * Where the output of a test that never started begins: after the last
 * result line of its kind before @r, else at the start of @in. What lies
 * between is what decided its result: a fixture's skip or failure.
 */
static const char *unstarted_start(const char *text, struct span in, const char *r,
				   const char *kind_result)
{
	const char *from = in.p;

	for (const char *p = find_line(text, in.p, r, kind_result); p;
	     p = find_line(text, line_end(p, r), r, kind_result))
		from = line_end(p, r);
	return from;
}

/*
 * The section of @text for one (dynamic) subtest: from its "Starting"
 * line to its result line, or to the next "Starting" line of the same
 * kind. A subtest with a result line but no "Starting" line (a fixture
 * skipped or failed it) gets the output before its result line too.
 * *result_line gets the result line or NULL.
 */
static struct span section(const char *text, struct span in, const char *kind_start,
			   const char *kind_result, const char *name,
			   const char **result_line)
{
	char start_pfx[1200], result_pfx[1200];
	const char *end = in.p + in.len, *s, *r, *next;

	snprintf(start_pfx, sizeof(start_pfx), "%s%s\n", kind_start, name);
	snprintf(result_pfx, sizeof(result_pfx), "%s%s: ", kind_result, name);
	s = find_line(text, in.p, end, start_pfx);
	r = find_line(text, s ? s : in.p, end, result_pfx);
	*result_line = r;
	if (!s && !r)
		return (struct span){ in.p, 0 };
	if (!s) {
		const char *from = unstarted_start(text, in, r, kind_result);

		return (struct span){ from, line_end(r, end) - from };
	}
	if (r)
		return (struct span){ s, line_end(r, end) - s };
	next = find_line(text, line_end(s, end), end, kind_start);
	return (struct span){ s, (next ? next : end) - s };
}

/* "...: SUCCESS (1.234s)" -> result name and seconds. */
static const char *parse_result_line(const char *line, double *secs)
{
	char word[32] = "";
	const char *colon = strstr(line, ": ");

	*secs = 0;
	if (!colon || sscanf(colon + 2, "%31[A-Z] (%lfs)", word, secs) < 1)
		return "fail";
	return resultgen_map_result(word);
}

/* Result for a test that started (or should have) but printed no result. */
static const char *missing_result(const struct job_files *jf, bool started)
{
	if (!jf->finished)
		return started ? "incomplete" : "notrun";
	if (jf->timed_out)
		return "timeout";
	if (jf->exit_code < 0)
		return "crash";
	if (jf->exit_code == 112)
		return "abort";
	if (!started)
		return jf->exit_code == 77 ? "skip" : "notrun";
	return "incomplete";
}

/* Anything on stderr but the sentinels is a warning. */
static bool has_warnings(struct span err)
{
	static const char *const sentinels[] = {
		"Starting subtest: ", "Subtest ", "Starting dynamic subtest: ",
		"Dynamic subtest ",
	};
	const char *end = err.p + err.len;

	for (const char *p = err.p; p < end; p = line_end(p, end)) {
		bool ok = *p == '\n';

		for (size_t i = 0; !ok && i < 4; i++)
			ok = !strncmp(p, sentinels[i], strlen(sentinels[i]));
		if (!ok)
			return true;
	}
	return false;
}

/*
 * Timing noise of an emulated (TCG) or overloaded machine, not a driver's
 * fault; like the entries of igt_runner's built-in dmesg whitelist.
 */
static const char *const dmesg_noise[] = {
	"clocksource: Long readout interval",
	"clocksource: timekeeping watchdog",
	"clocksource: wd-",
	"hrtimer: interrupt took",
	"sched: RT throttling activated",
};

/* "[IGT] <bin>[pid]: ..." or "[IGT] <bin>: ..." of another test binary. */
static bool other_igt_binary(const struct kmsg_record *rec, const char *binary)
{
	static const char tag[] = "[IGT] ";
	size_t t = sizeof(tag) - 1, n = strlen(binary);

	if ((size_t)rec->msg_len < t || memcmp(rec->msg, tag, t))
		return false;
	if ((size_t)rec->msg_len < t + n + 1 || memcmp(rec->msg + t, binary, n))
		return true;
	return rec->msg[t + n] != ':' && rec->msg[t + n] != '[';
}

static bool is_noise(const struct kmsg_record *rec, const char *binary)
{
	/* Another test's own messages, e.g. a concurrent run on the host. */
	if (other_igt_binary(rec, binary))
		return true;
	for (size_t i = 0; i < sizeof(dmesg_noise) / sizeof(dmesg_noise[0]); i++) {
		size_t n = strlen(dmesg_noise[i]);

		if ((size_t)rec->msg_len >= n && !memcmp(rec->msg, dmesg_noise[i], n))
			return true;
	}
	return false;
}

/* Any of IGT's "[IGT] bin: starting (dynamic) subtest X" records. */
static bool is_any_marker(const struct kmsg_record *rec)
{
	char *m = strndup(rec->msg, rec->msg_len);
	bool yes = m && strstr(m, ": starting ");

	free(m);
	return yes;
}

/* The record ends with @marker: "x" must not match "x-2". */
static bool is_marker(const struct kmsg_record *rec, const char *marker)
{
	size_t len = strlen(marker);

	return (size_t)rec->msg_len >= len &&
	       !memcmp(rec->msg + rec->msg_len - len, marker, len);
}

/*
 * dmesg of one (dynamic) subtest as "<lvl> [sec.usec] msg" lines, and the
 * lines at or below the warn level. A multi-test job is split at IGT's
 * "starting subtest" markers; a job with one test gets the whole log.
 */
static void dmesg_section(const char *dmesg, const char *binary, const char *marker,
			  bool whole, int warn_level, json_t *test)
{
	char *all = NULL, *warn = NULL;
	size_t all_len = 0, warn_len = 0;
	FILE *fa = open_memstream(&all, &all_len);
	FILE *fw = open_memstream(&warn, &warn_len);
	struct kmsg_record rec;
	bool inside;

	/* Without IGT's markers (no /dev/kmsg access) all of it belongs here. */
	if (!whole && !strstr(dmesg, marker))
		whole = true;
	inside = whole;
	for (const char *p = dmesg; *p; p = line_end(p, p + strlen(p))) {
		if (!kmsg_parse(p, &rec))
			continue;
		if (!whole && is_any_marker(&rec))
			inside = is_marker(&rec, marker);
		if (!inside)
			continue;
		fprintf(fa, "<%d> [%llu.%06llu] %.*s\n", rec.level, rec.usec / 1000000,
			rec.usec % 1000000, rec.msg_len, rec.msg);
		if (rec.level <= warn_level && !is_noise(&rec, binary))
			fprintf(fw, "<%d> [%llu.%06llu] %.*s\n", rec.level,
				rec.usec / 1000000, rec.usec % 1000000, rec.msg_len, rec.msg);
	}
	fclose(fa);
	fclose(fw);
	json_object_set_new(test, "dmesg", json_string(all ? all : ""));
	if (warn_len)
		json_object_set_new(test, "dmesg-warnings", json_string(warn));
	free(all);
	free(warn);
}

static json_t *time_attr(double secs)
{
	return json_pack("{s:s, s:f, s:f}", "__type__", "TimeAttribute",
			 "start", 0.0, "end", secs);
}

static void set_span(json_t *test, const char *key, struct span s)
{
	json_object_set_new(test, key, json_stringn_nocheck(s.p, s.len));
}

/* Apply warn / dmesg-warn / dmesg-fail to a result. */
static const char *adjust_result(const char *result, bool warned, json_t *test)
{
	bool dmesg_warned = json_object_get(test, "dmesg-warnings") != NULL;

	if (warned && !strcmp(result, "pass"))
		result = "warn";
	if (!dmesg_warned)
		return result;
	if (!strcmp(result, "pass") || !strcmp(result, "warn"))
		return "dmesg-warn";
	if (!strcmp(result, "fail"))
		return "dmesg-fail";
	return result;
}

struct test_ctx {
	const struct job_files *jf;
	const struct runner_settings *s;
	const char *binary;
	bool whole_dmesg;
	json_t *tests;
};

static json_t *new_test(const struct test_ctx *c, struct span out, struct span err,
			const char *marker, bool whole_dmesg)
{
	json_t *t = json_object();

	set_span(t, "out", out);
	set_span(t, "err", err);
	dmesg_section(c->jf->dmesg, c->binary, marker, whole_dmesg, c->s->dmesg_warn_level, t);
	if (c->jf->igt_version)
		json_object_set_new(t, "igt-version", json_string(c->jf->igt_version));
	return t;
}

static void finish_test(const struct test_ctx *c, const char *name, json_t *t,
			const char *result, double secs, struct span err)
{
	result = adjust_result(result, !strcmp(result, "pass") && has_warnings(err), t);
	json_object_set_new(t, "result", json_string(result));
	json_object_set_new(t, "time", time_attr(secs));
	json_object_set_new(c->tests, name, t);
}

/* The dynamic subtests printed inside one subtest's section. */
static void add_dynamic(const struct test_ctx *c, const char *sub, struct span out,
			struct span err, const char *only)
{
	static const char start[] = "Starting dynamic subtest: ";
	const char *end = out.p + out.len;

	for (const char *p = find_line(c->jf->out, out.p, end, start); p;
	     p = find_line(c->jf->out, line_end(p, end), end, start)) {
		const char *rl, *erl;
		const char *q = p + sizeof(start) - 1;
		char *dyn = strndup(q, strcspn(q, "\n"));
		char name[1200], marker[1200];
		struct span o, e;
		double secs = 0;
		const char *result;
		json_t *t;

		if (!dyn || (only && strcmp(dyn, only))) {
			free(dyn);
			continue;
		}
		o = section(c->jf->out, out, start, "Dynamic subtest ", dyn, &rl);
		e = section(c->jf->err, err, start, "Dynamic subtest ", dyn, &erl);
		snprintf(name, sizeof(name), "igt@%s@%s@%s", c->binary, sub, dyn);
		snprintf(marker, sizeof(marker), ": starting dynamic subtest %s", dyn);
		t = new_test(c, o, e, marker, false);
		result = rl ? parse_result_line(rl, &secs) : missing_result(c->jf, true);
		finish_test(c, name, t, result, rl ? secs : c->jf->elapsed, e);
		free(dyn);
	}
}

static void add_subtest(const struct test_ctx *c, const char *sub, const char *only)
{
	struct span all_out = { c->jf->out, strlen(c->jf->out) };
	struct span all_err = { c->jf->err, strlen(c->jf->err) };
	const char *rl, *erl, *result;
	char name[1200], marker[1200];
	struct span o, e;
	double secs = 0;
	json_t *t;

	o = section(c->jf->out, all_out, "Starting subtest: ", "Subtest ", sub, &rl);
	e = section(c->jf->err, all_err, "Starting subtest: ", "Subtest ", sub, &erl);
	snprintf(name, sizeof(name), "igt@%s@%s", c->binary, sub);
	snprintf(marker, sizeof(marker), ": starting subtest %s", sub);
	t = new_test(c, o, e, marker, c->whole_dmesg);
	if (rl)
		result = parse_result_line(rl, &secs);
	else
		result = missing_result(c->jf, o.len > 0);
	finish_test(c, name, t, result, rl ? secs : c->jf->elapsed, e);
	add_dynamic(c, sub, o, e, only);
}

/* A binary without subtests: the exit code is the result. */
static void add_whole_binary(const struct test_ctx *c)
{
	struct span o = { c->jf->out, strlen(c->jf->out) };
	struct span e = { c->jf->err, strlen(c->jf->err) };
	const struct job_files *jf = c->jf;
	const char *result;
	char name[1200];
	json_t *t;

	snprintf(name, sizeof(name), "igt@%s", c->binary);
	t = new_test(c, o, e, "", true);
	if (!jf->finished)
		result = "incomplete";
	else if (jf->timed_out)
		result = "timeout";
	else if (jf->exit_code < 0)
		result = "crash";
	else
		result = jf->exit_code == 0 ? "pass" :
			 jf->exit_code == 77 ? "skip" :
			 jf->exit_code == 79 ? "notrun" :
			 jf->exit_code == 112 ? "abort" : "fail";
	finish_test(c, name, t, result, jf->elapsed, e);
}

/* The journal's last line tells how the job ended. */
static void parse_journal(struct job_files *jf)
{
	const char *last = NULL;

	for (const char *p = jf->journal; *p; p = line_end(p, p + strlen(p)))
		if (!strncmp(p, "exit:", 5) || !strncmp(p, "timeout:", 8))
			last = p;
	if (!last)
		return;
	jf->finished = true;
	jf->timed_out = last[0] == 't';
	sscanf(strchr(last, ':') + 1, "%d (%lfs)", &jf->exit_code, &jf->elapsed);
}

static void find_igt_version(struct job_files *jf)
{
	const char *v = find_line(jf->out, jf->out, jf->out + strlen(jf->out),
				  "IGT-Version: ");

	if (v)
		jf->igt_version = strndup(v, strcspn(v, "\n"));
}

int resultgen_job(const char *job_dir, const struct job *job,
		  const struct runner_settings *s, json_t *tests)
{
	struct job_files jf = {
		.out = read_text(job_dir, "out.txt"),
		.err = read_text(job_dir, "err.txt"),
		.dmesg = read_text(job_dir, "dmesg.txt"),
		.journal = read_text(job_dir, "journal.txt"),
	};
	struct test_ctx c = {
		.jf = &jf, .s = s, .binary = job->binary, .tests = tests,
		.whole_dmesg = job->n_subtests <= 1,
	};
	int rc = -1;

	if (!jf.out || !jf.err || !jf.dmesg || !jf.journal)
		goto out;
	parse_journal(&jf);
	find_igt_version(&jf);
	if (!job->subtests)
		add_whole_binary(&c);
	for (int i = 0; i < job->n_subtests; i++)
		add_subtest(&c, job->subtests[i], job->dynamic);
	rc = 0;
out:
	free(jf.out);
	free(jf.err);
	free(jf.dmesg);
	free(jf.journal);
	free(jf.igt_version);
	return rc;
}

void resultgen_notrun(const struct job *job, json_t *tests)
{
	for (int i = 0; i < (job->subtests ? job->n_subtests : 1); i++) {
		char *name = job_test_name(job, i);
		json_t *t = json_pack("{s:s, s:s, s:s, s:s, s:o}", "result", "notrun",
				      "out", "", "err", "", "dmesg", "",
				      "time", time_attr(0));

		if (name)
			json_object_set_new(tests, name, t);
		else
			json_decref(t);
		free(name);
	}
}

static json_t *new_totals(void)
{
	json_t *t = json_object();

	for (size_t i = 0; i < sizeof(totals_keys) / sizeof(totals_keys[0]); i++)
		json_object_set_new(t, totals_keys[i], json_integer(0));
	return t;
}

static void count(json_t *totals, const char *group, const char *result)
{
	json_t *g = json_object_get(totals, group);
	json_t *n;

	if (!g) {
		g = new_totals();
		json_object_set_new(totals, group, g);
	}
	n = json_object_get(g, result);
	if (n)
		json_integer_set(n, json_integer_value(n) + 1);
}

/* "igt@bin" of "igt@bin@sub[@dyn]". */
static void binary_key(const char *name, char *buf, size_t size)
{
	const char *at = strchr(name + 4, '@');

	snprintf(buf, size, "%.*s", at ? (int)(at - name) : (int)strlen(name), name);
}

/* igt@bin@sub@dyn: three '@'. */
static bool is_dynamic(const char *name)
{
	int n = 0;

	for (; *name; name++)
		n += *name == '@';
	return n >= 3;
}

/* totals: "", "root" and one per binary; runtimes: time per binary. */
static void add_totals(json_t *doc, json_t *tests)
{
	json_t *totals = json_object(), *runtimes = json_object(), *t;
	const char *name;
	char bin[1024];

	json_object_set_new(totals, "", new_totals());
	json_object_set_new(totals, "root", new_totals());
	json_object_foreach(tests, name, t) {
		const char *r = json_string_value(json_object_get(t, "result"));
		json_t *time = json_object_get(json_object_get(t, "time"), "end");
		json_t *rt;

		binary_key(name, bin, sizeof(bin));
		count(totals, "", r);
		count(totals, "root", r);
		count(totals, bin, r);
		/* Dynamic subtests run inside their parent: count time once. */
		if (is_dynamic(name))
			continue;
		rt = json_object_get(runtimes, bin);
		if (!rt) {
			rt = json_pack("{s:o}", "time", time_attr(0));
			json_object_set_new(runtimes, bin, rt);
		}
		rt = json_object_get(json_object_get(rt, "time"), "end");
		json_real_set(rt, json_real_value(rt) + json_number_value(time));
	}
	json_object_set_new(doc, "totals", totals);
	json_object_set_new(doc, "runtimes", runtimes);
}

static double read_epoch(const char *dir, const char *file)
{
	char *text = read_text(dir, file);
	double v = text ? strtod(text, NULL) : 0;

	free(text);
	return v;
}

static void add_abort(const char *results_path, json_t *tests)
{
	char *reason = read_text(results_path, "aborted.txt");

	if (reason && *reason)
		json_object_set_new(tests, "igt@runner@aborted",
				    json_pack("{s:s, s:s, s:s, s:s, s:o}",
					      "result", "fail", "out", reason,
					      "err", "", "dmesg", "",
					      "time", time_attr(0)));
	free(reason);
}

json_t *resultgen_document(const char *results_path,
			   const struct runner_settings *s, json_t *tests)
{
	char *uname_text = read_text(results_path, "uname.txt");
	const char *name = s->name;
	json_t *doc;

	if (uname_text)
		uname_text[strcspn(uname_text, "\n")] = '\0';
	if (!name) {
		name = strrchr(results_path, '/');
		name = name && name[1] ? name + 1 : results_path;
	}
	add_abort(results_path, tests);
	doc = json_pack("{s:s, s:i, s:s, s:s, s:{s:s, s:f, s:f}}",
			"__type__", "TestrunResult", "results_version", 10,
			"name", name,
			"uname", uname_text ? uname_text : "",
			"time_elapsed", "__type__", "TimeAttribute",
			"start", read_epoch(results_path, "starttime.txt"),
			"end", read_epoch(results_path, "endtime.txt"));
	free(uname_text);
	if (!doc) {
		json_decref(tests);
		return NULL;
	}
	add_totals(doc, tests);
	json_object_set_new(doc, "tests", tests);
	return doc;
}

int resultgen_write(const char *results_path, json_t *doc)
{
	char path[4200], tmp[4300];

	snprintf(path, sizeof(path), "%s/results.json", results_path);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (json_dump_file(doc, tmp, JSON_INDENT(2) | JSON_SORT_KEYS))
		return -1;
	return rename(tmp, path);
}
