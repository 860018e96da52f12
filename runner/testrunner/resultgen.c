// SPDX-License-Identifier: MIT
/*
 * Parse a job's files the way igt_runner's resultgen.c does for the text
 * protocol:
 *
 *   out.txt   "Starting subtest: X" ... "Subtest X: RESULT (T s)", with
 *             "Starting dynamic subtest: Y" / "Dynamic subtest Y: ..."
 *             inside; each test's "out" is its part (sections.h).
 *   err.txt   the same marks (IGT_SENTINEL_ON_STDERR); other text before a
 *             mark in a passing test's part makes it "warn".
 *   dmesg.txt /dev/kmsg records, split at IGT's "starting (dynamic)
 *             subtest" records (dmesg_for()); a record at or below
 *             --dmesg-warn-level turns pass/warn into dmesg-warn and fail
 *             into dmesg-fail, unless it matches a regex the job declared
 *             before it with igt_emit_ignore_dmesg_regex() (a record "add
 *             ignored dmesg regex: RE").
 *   journal.txt  one line per subtest the job entered (or printed a result
 *             for), then "exit:RC (T s)" or "timeout:RC (T s)".
 *
 * Where a result line is missing, the result is the one IGT's igt_results
 * gives for the same directory (IGT 2.2, runner/resultgen.c:
 * fill_from_journal(), result_from_exitcode(), fill_from_output(),
 * process_dynamic_subtest_output()), so that results.json can be rebuilt
 * by either tool and agree:
 *   - a subtest in the journal without a result line is incomplete; the
 *     journal's last subtest becomes timeout on a timeout, abort on exit
 *     112;
 *   - with no subtest in the journal, the job's (first) subtest, or the
 *     binary without subtests, gets the exit code's result: 0 pass, 77
 *     and 79 skip, 112 abort, no exit line incomplete, anything else fail;
 *   - a dynamic subtest without a result line is incomplete, or abort /
 *     notrun when its parent is.
 */
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "kmsg.h"
#include "resultgen.h"
#include "sections.h"

struct span {
	const char *p;
	size_t len;
};

struct job_files {
	char *out, *err, *dmesg, *journal;
	char **journaled;	/* the subtests the journal names, in order */
	int n_journaled;
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
	return "incomplete";	/* as igt_results: parse_result_string() */
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

/* "...: SUCCESS (1.234s)" -> result name and seconds. */
static const char *parse_result_line(const char *line, double *secs)
{
	char word[32] = "";
	const char *colon = strstr(line, ": ");

	*secs = 0;
	if (!colon || sscanf(colon + 2, "%31[A-Z] (%lfs)", word, secs) < 1)
		return "incomplete";
	return resultgen_map_result(word);
}

/* A job whose journal names no subtest: the exit code tells. */
static const char *exit_result(const struct job_files *jf)
{
	if (!jf->finished)
		return "incomplete";
	if (jf->timed_out)
		return "timeout";
	switch (jf->exit_code) {
	case 0:
		return "pass";
	case 77:	/* IGT_EXIT_SKIP */
	case 79:	/* IGT_EXIT_INVALID: no such subtest */
		return "skip";
	case 112:	/* IGT_EXIT_ABORT */
		return "abort";
	default:
		return "fail";
	}
}

static int journal_index(const struct job_files *jf, const char *sub)
{
	for (int i = 0; i < jf->n_journaled; i++)
		if (!strcmp(jf->journaled[i], sub))
			return i;
	return -1;
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

/*
 * Regexes a test declared its own expected kernel messages with
 * (igt_emit_ignore_dmesg_regex(): "add ignored dmesg regex: <re>"); they
 * apply to the records that follow in the job.
 */
#define IGNORE_MARK	"add ignored dmesg regex: "
#define MAX_IGNORES	16

struct dmesg_ignores {
	regex_t re[MAX_IGNORES];
	int n;
};

static void ignores_add(struct dmesg_ignores *ig, const struct kmsg_record *rec)
{
	char *m = strndup(rec->msg, rec->msg_len);
	char *at = m ? strstr(m, IGNORE_MARK) : NULL;

	if (at && ig->n < MAX_IGNORES &&
	    !regcomp(&ig->re[ig->n], at + strlen(IGNORE_MARK), REG_EXTENDED | REG_NOSUB))
		ig->n++;
	free(m);
}

static bool ignored(const struct dmesg_ignores *ig, const struct kmsg_record *rec)
{
	char *m;
	bool yes = false;

	if (!ig->n)
		return false;
	m = strndup(rec->msg, rec->msg_len);
	for (int i = 0; m && !yes && i < ig->n; i++)
		yes = !regexec(&ig->re[i], m, 0, NULL, 0);
	free(m);
	return yes;
}

static void ignores_free(struct dmesg_ignores *ig)
{
	for (int i = 0; i < ig->n; i++)
		regfree(&ig->re[i]);
	ig->n = 0;
}

/* A growing string. */
struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_line(struct sbuf *b, const struct kmsg_record *rec)
{
	int n = snprintf(NULL, 0, "<%d> [%llu.%06llu] %.*s\n", rec->level,
			 rec->usec / 1000000, rec->usec % 1000000, rec->msg_len, rec->msg);
	char *p;

	if (n < 0)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;

		p = realloc(b->p, cap);
		if (!p)
			return;
		b->p = p;
		b->cap = cap;
	}
	snprintf(b->p + b->len, n + 1, "<%d> [%llu.%06llu] %.*s\n", rec->level,
		 rec->usec / 1000000, rec->usec % 1000000, rec->msg_len, rec->msg);
	b->len += n;
}

static void sb_copy(struct sbuf *to, const struct sbuf *from)
{
	free(to->p);
	*to = (struct sbuf){ NULL, 0, 0 };
	if (!from->len)
		return;
	to->p = strndup(from->p, from->len);
	to->len = to->p ? from->len : 0;
	to->cap = to->len;
}

/* The name after @marker in the record; false if it is not there. */
static bool marker_name(const struct kmsg_record *rec, const char *marker,
			char *name, size_t size)
{
	size_t mlen = strlen(marker);

	for (int i = 0; i + (int)mlen <= rec->msg_len; i++)
		if (!memcmp(rec->msg + i, marker, mlen)) {
			const char *n = rec->msg + i + mlen;
			int len = 0;

			/* up to white space, as IGT's piglit names are cut */
			while (i + (int)mlen + len < rec->msg_len &&
			       !isspace((unsigned char)n[len]))
				len++;
			snprintf(name, size, "%.*s", len, n);
			return true;
		}
	return false;
}

/*
 * The dmesg and dmesg-warnings of one test, attributed as igt_results does
 * (IGT 2.2 runner/resultgen.c: fill_from_dmesg()): a record holding
 * ": starting subtest X" starts X's log, one holding ": starting dynamic
 * subtest Y" inside a subtest starts Y's; each log runs to the next start
 * of its kind. The first subtest's log also holds what came before it; a
 * dynamic subtest's warnings are those seen since a subtest started.
 * Without any subtest start, each subtest gets the whole log without
 * warnings, a binary without subtests the whole log with them. Warnings
 * are records at or below the warn level that are not noise.
 */
static void dmesg_for(const char *dmesg, const char *binary, const char *sub,
		      const char *dyn, int warn_level, json_t *test)
{
	struct sbuf all = { 0 }, warn = { 0 }, dall = { 0 }, dwarn = { 0 };
	struct sbuf got = { 0 }, got_warn = { 0 };
	char cur[1024] = "", cur_dyn[1024] = "", name[1024];
	bool in_sub = false, in_dyn = false;
	struct dmesg_ignores ig = { .n = 0 };
	struct kmsg_record rec;

	for (const char *p = dmesg; *p; p = line_end(p, p + strlen(p))) {
		if (!kmsg_parse(p, &rec))
			continue;
		if (marker_name(&rec, ": starting subtest ", name, sizeof(name))) {
			if (in_sub) {
				if (!dyn && !strcmp(cur, sub)) {
					sb_copy(&got, &all);
					sb_copy(&got_warn, &warn);
				}
				if (dyn && in_dyn && !strcmp(cur, sub) && !strcmp(cur_dyn, dyn)) {
					sb_copy(&got, &dall);
					sb_copy(&got_warn, &dwarn);
				}
				all.len = warn.len = dall.len = dwarn.len = 0;
				in_dyn = false;
			}
			snprintf(cur, sizeof(cur), "%s", name);
			in_sub = true;
		}
		if (in_sub && marker_name(&rec, ": starting dynamic subtest ", name,
					  sizeof(name))) {
			if (dyn && in_dyn && !strcmp(cur, sub) && !strcmp(cur_dyn, dyn)) {
				sb_copy(&got, &dall);
				sb_copy(&got_warn, &dwarn);
			}
			if (in_dyn)
				dall.len = dwarn.len = 0;
			snprintf(cur_dyn, sizeof(cur_dyn), "%s", name);
			in_dyn = true;
		}
		if (rec.msg_len >= (int)strlen(IGNORE_MARK) && rec.level > warn_level)
			ignores_add(&ig, &rec);
		if (rec.level <= warn_level && !is_noise(&rec, binary) &&
		    !ignored(&ig, &rec)) {
			sb_line(&warn, &rec);
			if (in_sub)
				sb_line(&dwarn, &rec);
		}
		sb_line(&all, &rec);
		sb_line(&dall, &rec);
	}
	if (in_sub) {
		if (sub && !dyn && !strcmp(cur, sub)) {
			sb_copy(&got, &all);
			sb_copy(&got_warn, &warn);
		}
		if (sub && dyn && in_dyn && !strcmp(cur, sub) && !strcmp(cur_dyn, dyn)) {
			sb_copy(&got, &dall);
			sb_copy(&got_warn, &dwarn);
		}
	} else if (!dyn) {
		sb_copy(&got, &all);
		if (!sub)
			sb_copy(&got_warn, &warn);
	}
	json_object_set_new(test, "dmesg", json_stringn_nocheck(got.p ? got.p : "", got.len));
	if (got_warn.len)
		json_object_set_new(test, "dmesg-warnings",
				    json_stringn_nocheck(got_warn.p, got_warn.len));
	free(all.p);
	free(warn.p);
	free(dall.p);
	free(dwarn.p);
	free(got.p);
	free(got_warn.p);
	ignores_free(&ig);
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
	json_t *tests;
	struct marks out, err;	/* the marks of out.txt and err.txt */
};

static json_t *new_test(const struct test_ctx *c, struct span out, struct span err,
			const char *sub, const char *dyn)
{
	json_t *t = json_object();

	set_span(t, "out", out);
	set_span(t, "err", err);
	dmesg_for(c->jf->dmesg, c->binary, sub, dyn, c->s->dmesg_warn_level, t);
	if (c->jf->igt_version)
		json_object_set_new(t, "igt-version", json_string(c->jf->igt_version));
	return t;
}

static struct span span_of(const struct part *p)
{
	return (struct span){ p->beg, p->end - p->beg };
}

static void finish_test(const struct test_ctx *c, const char *name, json_t *t,
			const char *result, double secs, const struct part *err)
{
	bool warned = !strcmp(result, "pass") && part_has_warnings(&c->err, err);

	result = adjust_result(result, warned, t);
	json_object_set_new(t, "result", json_string(result));
	json_object_set_new(t, "time", time_attr(secs));
	json_object_set_new(c->tests, name, t);
}

struct dyn_ctx {
	const struct test_ctx *c;
	const char *sub, *only, *parent;
	const struct part *err_parent;
};

/* One dynamic subtest printed inside its parent's part of out.txt. */
static void add_one_dynamic(void *ctx, const char *dyn, const struct part *o)
{
	const struct dyn_ctx *d = ctx;
	const struct test_ctx *c = d->c;
	char name[1200];
	const char *result;
	struct part e;
	double secs = 0;
	json_t *t;

	if (d->only && strcmp(dyn, d->only))
		return;
	e = marks_dynamic_named(&c->err, d->err_parent, dyn);
	snprintf(name, sizeof(name), "igt@%s@%s@%s", c->binary, d->sub, dyn);
	t = new_test(c, span_of(o), span_of(&e), d->sub, dyn);
	result = o->result_line ? parse_result_line(o->result_line, &secs) : "incomplete";
	if (!strcmp(result, "incomplete") &&
	    (!strcmp(d->parent, "abort") || !strcmp(d->parent, "notrun")))
		result = d->parent;
	finish_test(c, name, t, result, o->result_line ? secs : c->jf->elapsed, &e);
}

/* What a subtest without its own result line gets (see the top). */
static const char *missing_result(const struct test_ctx *c, const char *sub, bool first)
{
	const struct job_files *jf = c->jf;
	int i = journal_index(jf, sub);

	if (i < 0)
		return !jf->n_journaled && first ? exit_result(jf) : "notrun";
	return "incomplete";
}

/* The journal's last subtest takes a timeout or an abort of the job. */
static const char *job_end_result(const struct test_ctx *c, const char *sub,
				  const char *result)
{
	const struct job_files *jf = c->jf;
	int i = journal_index(jf, sub);

	if (i < 0 || i != jf->n_journaled - 1)
		return result;
	if (jf->timed_out)
		return "timeout";
	if (jf->finished && jf->exit_code == 112)
		return "abort";
	return result;
}

static void add_subtest(const struct test_ctx *c, const char *sub, const char *only,
			bool first)
{
	struct part o = marks_subtest(&c->out, sub);
	struct part e = marks_subtest(&c->err, sub);
	char name[1200];
	const char *result;
	struct dyn_ctx d;
	double secs = 0;
	json_t *t;

	snprintf(name, sizeof(name), "igt@%s@%s", c->binary, sub);
	t = new_test(c, span_of(&o), span_of(&e), sub, NULL);
	if (o.result_line)
		result = parse_result_line(o.result_line, &secs);
	else
		result = missing_result(c, sub, first);
	result = job_end_result(c, sub, result);
	finish_test(c, name, t, result, o.result_line ? secs : c->jf->elapsed, &e);
	d = (struct dyn_ctx){ c, sub, only, result, &e };
	marks_dynamic(&c->out, &o, add_one_dynamic, &d);
}

/* A binary without subtests: the exit code is the result. */
static void add_whole_binary(const struct test_ctx *c)
{
	struct part o = { c->out.buf, c->out.end, NULL, -1, -1 };
	struct part e = { c->err.buf, c->err.end, NULL, -1, -1 };
	const struct job_files *jf = c->jf;
	char name[1200];
	json_t *t;

	snprintf(name, sizeof(name), "igt@%s", c->binary);
	t = new_test(c, span_of(&o), span_of(&e), NULL, NULL);
	finish_test(c, name, t, exit_result(jf), jf->elapsed, &e);
}

/* The subtests the job entered, and how it ended. */
static void parse_journal(struct job_files *jf)
{
	const char *last = NULL;

	for (const char *p = jf->journal; *p; p = line_end(p, p + strlen(p))) {
		size_t len = strcspn(p, "\n");
		char **v;

		if (!strncmp(p, "exit:", 5) || !strncmp(p, "timeout:", 8)) {
			last = p;
			continue;
		}
		if (!len)
			continue;
		v = realloc(jf->journaled, (jf->n_journaled + 1) * sizeof(*v));
		if (!v)
			break;
		jf->journaled = v;
		v[jf->n_journaled] = strndup(p, len);
		if (!v[jf->n_journaled])
			break;
		if (journal_index(jf, v[jf->n_journaled]) >= 0)
			free(v[jf->n_journaled]);	/* named twice */
		else
			jf->n_journaled++;
	}
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
	};
	int rc = -1;

	if (!jf.out || !jf.err || !jf.dmesg || !jf.journal)
		goto out;
	parse_journal(&jf);
	find_igt_version(&jf);
	marks_find(&c.out, jf.out, strlen(jf.out));
	marks_find(&c.err, jf.err, strlen(jf.err));
	if (!job->subtests)
		add_whole_binary(&c);
	for (int i = 0; i < job->n_subtests; i++)
		add_subtest(&c, job->subtests[i], job->dynamic, i == 0);
	rc = 0;
	marks_free(&c.out);
	marks_free(&c.err);
out:
	free(jf.out);
	free(jf.err);
	free(jf.dmesg);
	free(jf.journal);
	for (int i = 0; i < jf.n_journaled; i++)
		free(jf.journaled[i]);
	free(jf.journaled);
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
