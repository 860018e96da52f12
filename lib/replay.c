// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * A failing sequence of hops: its plan, the command that replays it, and
 * its shrinking by delta debugging (Zeller's ddmin, complements only).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

int replay_plan_parse(const char *arg, struct replay_step *plan, unsigned int max,
		      unsigned int *n, bool (*known)(const char *workload))
{
	char *copy = strdup(arg ? arg : ""), *save = NULL, *tok;
	int err = copy ? 0 : -ENOMEM;

	*n = 0;
	for (tok = copy ? strtok_r(copy, ",", &save) : NULL; tok && !err;
	     tok = strtok_r(NULL, ",", &save)) {
		struct replay_step *st = &plan[*n];
		char ph = 0, wl[REPLAY_WORKLOAD_MAX] = "", fault[REPLAY_WORKLOAD_MAX] = "";
		unsigned long long seed;
		const char *q;
		int end = 0, fend = 0;

		if (*n < max)
			memset(st, 0, sizeof(*st));
		if (*n == max ||
		    sscanf(tok, "%u.%c.%15[a-z-].%llx%n", &st->dst, &ph, wl, &seed, &end) != 4 ||
		    (tok[end] && (sscanf(tok + end, ".%15[a-z-]%n", fault, &fend) != 1 ||
				  tok[end + fend]))) {
			err = -EINVAL;
			break;
		}
		q = ph ? strchr(REPLAY_PHASES, ph) : NULL;
		if (!q || (known && !known(wl))) {
			err = -EINVAL;
			break;
		}
		st->phase = (unsigned int)(q - REPLAY_PHASES);
		snprintf(st->workload, sizeof(st->workload), "%s", wl);
		snprintf(st->fault, sizeof(st->fault), "%s", fault);
		st->seed = seed;
		(*n)++;
	}
	free(copy);
	return err ?: *n ? 0 : -EINVAL;
}

int replay_opt(struct replay_opts *o, int opt, const char *arg,
	       bool (*known)(const char *workload))
{
	char *end = NULL;

	switch (opt) {
	case REPLAY_OPT_SEED:
		o->seed = strtoull(arg, &end, 0);
		o->seed_set = true;
		return *arg && !*end ? 0 : -EINVAL;
	case REPLAY_OPT_PLAN:
		return replay_plan_parse(arg, o->plan, REPLAY_MAX_STEPS, &o->n_plan, known);
	case REPLAY_OPT_SCALE:
		o->scale = strtoul(arg, &end, 0);
		return *arg && !*end && o->scale && o->scale <= 64 ? 0 : -EINVAL;
	case REPLAY_OPT_MINIMIZE:
		o->minimize = true;
		return 0;
	}
	return -EINVAL;
}

void replay_plan_from_seed(struct replay_step *plan, unsigned int n, unsigned int n_vfs,
			   uint64_t seed, uint64_t mul, unsigned int first_phase,
			   const char *workload)
{
	for (unsigned int i = 0; i < n; i++) {
		plan[i] = (struct replay_step){
			.dst = n_vfs ? (i + 1) % n_vfs : 0,
			.phase = (first_phase + i) % 3,
			.seed = seed ^ (mul * (i + 1)),
		};
		snprintf(plan[i].workload, sizeof(plan[i].workload), "%s", workload);
	}
}

size_t replay_plan_format(const struct replay_step *plan, unsigned int n, char *buf,
			  size_t size)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	for (unsigned int i = 0; i < n; i++) {
		char step[80];
		int k = snprintf(step, sizeof(step), "%s%u.%c.%s.%#llx%s%s", i ? "," : "",
				 plan[i].dst, REPLAY_PHASES[plan[i].phase % 3], plan[i].workload,
				 (unsigned long long)plan[i].seed, plan[i].fault[0] ? "." : "",
				 plan[i].fault);

		if (len + k < size)
			memcpy(buf + len, step, k + 1);
		else if (size)
			buf[len < size ? len : size - 1] = '\0';
		len += k;
	}
	return len;
}

void replay_plan_repair(struct replay_step *plan, unsigned int n, unsigned int n_vfs)
{
	unsigned int cur = 0;

	for (unsigned int i = 0; i < n && n_vfs > 1; i++) {
		if (plan[i].dst >= n_vfs || plan[i].dst == cur)
			plan[i].dst = (cur + 1) % n_vfs;
		cur = plan[i].dst;
	}
}

/* s[0..len) with every number (a digit and the hex digits after it) as '#'. */
static size_t put_class(char *out, size_t size, size_t at, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (isdigit((unsigned char)c)) {
			while (i + 1 < len && (isxdigit((unsigned char)s[i + 1]) || s[i + 1] == 'x'))
				i++;
			c = '#';
		}
		if (at + 1 < size)
			out[at++] = c;
	}
	if (size)
		out[at < size ? at : size - 1] = '\0';
	return at;
}

void replay_failure_class(const char *msg, char *cls, size_t size)
{
	const char *eol = strchr(msg, '\n'), *start = msg, *p;
	size_t len = eol ? (size_t)(eol - msg) : strlen(msg), at;
	bool labelled;

	while (len && (isspace((unsigned char)msg[len - 1]) || msg[len - 1] == ':'))
		len--;
	labelled = eol && eol > msg && eol[-1] == ':';
	for (p = msg; p + 1 < msg + len; p++)
		if (p[0] == ':' && p[1] == ' ')
			start = p + 2;
	at = put_class(cls, size, 0, start, msg + len - start);
	if (labelled) {
		const char *next = eol + 1, *colon = strchr(next, ':');
		const char *nl = strchr(next, '\n');

		if (colon && (!nl || colon < nl)) {
			at = put_class(cls, size, at, " / ", 3);
			put_class(cls, size, at, next, colon - next);
		}
	}
}

bool replay_same_failure(const char *a, const char *b)
{
	char ca[256], cb[256];

	replay_failure_class(a, ca, sizeof(ca));
	replay_failure_class(b, cb, sizeof(cb));
	return !strcmp(ca, cb);
}

/* word, single-quoted if the shell would read it otherwise. */
static size_t put_word(char *buf, size_t size, size_t len, const char *word)
{
	bool plain = *word;
	char tmp[8];

	for (const char *c = word; *c && plain; c++)
		plain = isalnum((unsigned char)*c) || strchr("%+,-./:=@_", *c);
	if (plain)
		return len + snprintf(len < size ? buf + len : tmp,
				      len < size ? size - len : sizeof(tmp), "%s", word);
	len += snprintf(len < size ? buf + len : tmp, len < size ? size - len : sizeof(tmp),
			"'");
	for (const char *c = word; *c; c++)
		len += snprintf(len < size ? buf + len : tmp,
				len < size ? size - len : sizeof(tmp), "%s",
				*c == '\'' ? "'\\''" : (char[2]){ *c, 0 });
	return len + snprintf(len < size ? buf + len : tmp,
			      len < size ? size - len : sizeof(tmp), "'");
}

size_t replay_command(char *buf, size_t size, const char *env, const char *binary,
		      const char *subtest, const char *opts)
{
	char tmp[8];
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	if (env && *env)
		len += snprintf(buf, size, "%s ", env);
	len = put_word(buf, size, len, binary);
	len += snprintf(len < size ? buf + len : tmp, len < size ? size - len : sizeof(tmp),
			" --run-subtest ");
	len = put_word(buf, size, len, subtest);
	if (opts && *opts)
		len += snprintf(len < size ? buf + len : tmp,
				len < size ? size - len : sizeof(tmp), " %s", opts);
	return len;
}

/* Run a candidate; true if it failed the way the original did. */
static bool still_fails(const struct replay_target *t, struct replay_step *cand,
			unsigned int m, unsigned int scale, const char *failure,
			struct replay_min *out)
{
	char why[REPLAY_WHY_MAX] = "";

	out->runs++;
	if (!m || t->run(t->ctx, cand, m, scale, why, sizeof(why)) != 1)
		return false;
	if (!replay_same_failure(failure, why))
		return false;
	snprintf(out->why, sizeof(out->why), "%s", why);
	return true;
}

/* ddmin over out->plan's steps: the complement of each chunk, chunks ever smaller. */
static void shrink_steps(const struct replay_target *t, const char *failure,
			 struct replay_min *out)
{
	static __thread struct replay_step cand[REPLAY_MAX_STEPS];
	unsigned int gran = 2;

	while (out->n >= 2) {
		unsigned int n = out->n, chunk = (n + gran - 1) / gran;
		bool reduced = false;

		for (unsigned int start = 0; start < n && !reduced; start += chunk) {
			char carry[REPLAY_WORKLOAD_MAX] = "";
			unsigned int m = 0;

			/* A cut step's fault was planted from it on: the next kept step plants it. */
			for (unsigned int i = 0; i < n; i++) {
				if (i >= start && i < start + chunk) {
					if (out->plan[i].fault[0])
						memcpy(carry, out->plan[i].fault, sizeof(carry));
					continue;
				}
				cand[m] = out->plan[i];
				if (carry[0] && !cand[m].fault[0])
					memcpy(cand[m].fault, carry, sizeof(carry));
				carry[0] = '\0';
				m++;
			}
			replay_plan_repair(cand, m, t->n_vfs);
			if (still_fails(t, cand, m, out->scale, failure, out)) {
				memcpy(out->plan, cand, m * sizeof(*cand));
				out->n = m;
				gran = gran > 2 ? gran - 1 : 2;
				reduced = true;
			}
		}
		if (!reduced) {
			if (gran >= n)
				break;
			gran = gran * 2 < n ? gran * 2 : n;
		}
	}
}

/* Each step's workload down to the first simpler one that still fails. */
static void shrink_workloads(const struct replay_target *t, const char *failure,
			     struct replay_min *out)
{
	static __thread struct replay_step cand[REPLAY_MAX_STEPS];

	if (!t->simpler)
		return;
	for (unsigned int i = 0; i < out->n; i++) {
		const char *name;

		for (unsigned int k = 0; (name = t->simpler(out->plan[i].workload, k)); k++) {
			memcpy(cand, out->plan, out->n * sizeof(*cand));
			snprintf(cand[i].workload, sizeof(cand[i].workload), "%s", name);
			if (still_fails(t, cand, out->n, out->scale, failure, out)) {
				out->plan[i] = cand[i];
				break;
			}
		}
	}
}

int replay_minimize(const struct replay_target *t, const struct replay_step *failing,
		    unsigned int n, unsigned int scale, const char *failure,
		    struct replay_min *out)
{
	memset(out, 0, sizeof(*out));
	if (!n || n > REPLAY_MAX_STEPS)
		return -EINVAL;
	memcpy(out->plan, failing, n * sizeof(*failing));
	out->n = n;
	out->scale = scale ?: 1;
	snprintf(out->why, sizeof(out->why), "%s", failure);
	shrink_steps(t, failure, out);
	shrink_workloads(t, failure, out);
	while (out->scale > 1 &&
	       still_fails(t, out->plan, out->n, out->scale / 2, failure, out))
		out->scale /= 2;
	/* The smallest, once more: it must still fail, and says how. */
	out->confirmed = still_fails(t, out->plan, out->n, out->scale, failure, out);
	return 0;
}
