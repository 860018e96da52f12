/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Reproducing a failure of a sequence of hops: the sequence as a plan
 * (per hop the VF it goes to, the phase of the work in flight, the
 * workload and its seed), the one command line that replays it, and
 * delta debugging (ddmin) that shrinks a failing plan (fewer hops, single
 * workloads, smaller sizes) while the same failure reproduces. No IGT and
 * no device here: the test supplies how a plan runs (struct replay_target).
 */
#ifndef XEMT_REPLAY_H
#define XEMT_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <getopt.h>

#define REPLAY_WORKLOAD_MAX	16
/* Longest plan a command line carries and --minimize shrinks. */
#define REPLAY_MAX_STEPS	256
/* Room for one formatted plan ("DST.PHASE.WORKLOAD.SEED.FAULT," per step). */
#define REPLAY_PLAN_CHARS	(REPLAY_MAX_STEPS * 80)
/* Room for a failure's message, as the tests keep it. */
#define REPLAY_WHY_MAX		2048

/* The phase letters of a step, in the order of workloads/wl_phase.h. */
#define REPLAY_PHASES		"qrs"

/*
 * One hop: the group's VF index it goes to, the phase its work is in
 * when it moves (0 queued, 1 running, 2 spinning: enum wl_phase), the
 * workload in flight and the seed its work comes from; and, on the sim,
 * a fault planted from this hop on (a run records where it found one
 * planted, so that a fault planted by hand mid-run replays at its hop).
 */
struct replay_step {
	unsigned int dst;
	unsigned int phase;
	char workload[REPLAY_WORKLOAD_MAX];
	uint64_t seed;
	char fault[REPLAY_WORKLOAD_MAX];	/* "": none */
};

/*
 * "DST.PHASE.WORKLOAD.SEED[.FAULT],..." (PHASE q, r or s; SEED in hex) into plan
 * (at most max steps), *n set. known, if not NULL, must accept every
 * workload name. 0, or -EINVAL (empty, malformed, too long, unknown).
 */
int replay_plan_parse(const char *arg, struct replay_step *plan, unsigned int max,
		      unsigned int *n, bool (*known)(const char *workload));

/* The plan in replay_plan_parse()'s form; the length it needed (as snprintf). */
size_t replay_plan_format(const struct replay_step *plan, unsigned int n, char *buf,
			  size_t size);

/*
 * A shrunk plan may send the guest where it is (it starts on VF index 0)
 * or past the group: such a step goes to the next VF instead.
 */
void replay_plan_repair(struct replay_step *plan, unsigned int n, unsigned int n_vfs);

/*
 * What kind of failure a message is, so that a shrunk run counts only if
 * it fails the same way: the last clause of the first line (after its
 * last ": ", where the tests put the check that failed; the "hop N",
 * seed and workload prefixes fall away), with every number as '#'; a
 * first line ending in ':' adds the label of the next line (LMEM, GGTT,
 * ...: which part differs).
 */
void replay_failure_class(const char *msg, char *cls, size_t size);
bool replay_same_failure(const char *a, const char *b);

/*
 * The command line that replays a run: env (assignments, or NULL), the
 * binary, --run-subtest subtest and opts (already formatted options).
 * Words with characters the shell treats specially are single-quoted.
 * The length it needed (as snprintf).
 */
size_t replay_command(char *buf, size_t size, const char *env, const char *binary,
		      const char *subtest, const char *opts);

/*
 * A test's replay options, under a prefix of its choosing (a test with
 * several sequences names whose they are): --<p>seed S, --<p>plan P,
 * --<p>scale N and --minimize. Their getopt values sit between the
 * characters and IGT's core options (500 and up).
 */
enum {
	REPLAY_OPT_SEED = 0x180,
	REPLAY_OPT_PLAN,
	REPLAY_OPT_SCALE,
	REPLAY_OPT_MINIMIZE,
};

#define REPLAY_LONG_OPTS(p) \
	{ p "seed", required_argument, NULL, REPLAY_OPT_SEED }, \
	{ p "plan", required_argument, NULL, REPLAY_OPT_PLAN }, \
	{ p "scale", required_argument, NULL, REPLAY_OPT_SCALE }, \
	{ "minimize", no_argument, NULL, REPLAY_OPT_MINIMIZE }

#define REPLAY_HELP(p, what) \
	"  --" p "seed S\n" \
	"                  " what ": the seed its plan comes from (default: from the pid, printed)\n" \
	"  --" p "plan P\n" \
	"                  " what ": these hops, DST.PHASE.WORKLOAD.SEED[.FAULT],... (PHASE q, r\n" \
	"                  or s; FAULT planted from that hop on; what a failure prints to replay it)\n" \
	"  --" p "scale N\n" \
	"                  " what ": workload sizes, 1..64 (default 1)\n" \
	"  --minimize      on a failure of " what ", shrink its plan (fewer hops, single\n" \
	"                  workloads, smaller scale) while it fails the same way; print the smallest\n"

struct replay_opts {
	uint64_t seed;
	bool seed_set, minimize;
	unsigned int scale;	/* 0: not given */
	unsigned int n_plan;	/* 0: no --plan */
	struct replay_step plan[REPLAY_MAX_STEPS];
};

/* Take option opt (a REPLAY_OPT_*) with arg into o. 0, or -EINVAL (also for another opt). */
int replay_opt(struct replay_opts *o, int opt, const char *arg,
	       bool (*known)(const char *workload));

/*
 * A plan of n hops from a seed, as a test runs by default: hop i (from 0)
 * goes to VF (i + 1) % n_vfs, its work in phase (first_phase + i) % 3,
 * workload, seed seed ^ (mul * (i + 1)).
 */
void replay_plan_from_seed(struct replay_step *plan, unsigned int n, unsigned int n_vfs,
			   uint64_t seed, uint64_t mul, unsigned int first_phase,
			   const char *workload);

/* How the test runs a candidate plan. */
struct replay_target {
	void *ctx;
	/*
	 * Run plan[0..n) at scale from a clean start (VFs reset). 1 if a
	 * check failed (its message in why), 0 if every check passed.
	 */
	int (*run)(void *ctx, const struct replay_step *plan, unsigned int n,
		   unsigned int scale, char *why, size_t size);
	/* The k-th workload simpler than name (a part of a mix), or NULL. */
	const char *(*simpler)(const char *name, unsigned int k);
	unsigned int n_vfs;	/* for replay_plan_repair() after a cut */
};

/* What replay_minimize() found. */
struct replay_min {
	struct replay_step plan[REPLAY_MAX_STEPS];
	unsigned int n, scale;
	unsigned int runs;	/* candidates run, the confirming run included */
	bool confirmed;		/* the smallest failed the same way once more */
	char why[REPLAY_WHY_MAX];	/* its failure on that run */
};

/*
 * Shrink failing (n steps at scale, which failed with message failure):
 * ddmin over the steps (complements of ever smaller chunks; the fault of
 * a cut step moves to the next step kept, as it was planted from its hop
 * on), then each
 * step's workload down to a simpler one, then the scale halved down to
 * 1; a candidate is kept only if it fails with failure's class. Then the
 * smallest runs once more (confirmed). 0, or -EINVAL (n is 0 or above
 * REPLAY_MAX_STEPS).
 */
int replay_minimize(const struct replay_target *t, const struct replay_step *failing,
		    unsigned int n, unsigned int scale, const char *failure,
		    struct replay_min *out);

#endif
