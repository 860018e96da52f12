// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_sim_stress
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: many migrations of busy VFs
 * Description: Guests (a VF driver with its engine) hop from VF to VF
 *	many times with work in flight during each hop and more work
 *	between hops. Every hop is verified against a snapshot of the
 *	source taken when it stopped, just before it was saved: the
 *	destination holds exactly that (VRAM checksums, GGTT PTEs with the
 *	destination's VF id, scratch, CCS on the sim) and so does the source
 *	afterwards (saving changes nothing); the recovery fixes the engine up,
 *	every workload's verifier passes (CCS included), seqnos continue
 *	without a gap or a step back, and VFs not involved do not change.
 *	Hops done, bytes moved and per-hop downtime are printed (and written
 *	to $XEMT_RESULTS_DIR/stress.json when that is set). Options: --hops,
 *	--vfs, --scale (workload sizes), --duration (hop until then), --seed
 *	(printed, reproduces a run), --extended. A failing ping-pong or
 *	round-robin prints one command that replays it: --plan, per hop the
 *	VF index it goes to, the phase (q, r, s), the workload, its seed and
 *	a fault planted from that hop on (lib/replay.h); with --minimize the
 *	failing plan is shrunk by delta debugging (fewer hops, each mix down
 *	to one workload, smaller scales), every candidate run from reset VFs
 *	and kept while it fails with the same class of message, and the
 *	smallest is printed.
 *
 * SUBTEST: ping-pong
 * Run type: FULL
 * Description: One guest between two VFs, --hops hops.
 *
 * SUBTEST: round-robin
 * Run type: FULL
 * Description: One guest round-robin over --vfs VFs, --hops hops; the
 *	VFs it is not on at a hop must not change during it.
 *
 * SUBTEST: concurrent
 * Run type: FULL
 * Description: Two guests per PF (three with --extended), each in its own
 *	thread, round-robin over its own --vfs VFs, --hops hops each, while
 *	the main thread keeps checking a bystander VF.
 *
 * SUBTEST: planted
 * Run type: FULL
 * Description: The per-hop checks must report each data-path defect
 *	xe_sriov_sim can plant, one dynamic subtest each: vram-flip (a
 *	flipped VRAM byte), ccs-drop (CCS not migrated), ggtt-vfid and
 *	ggtt-slice (PTEs not relocated to the destination), cmd-lost and
 *	cmd-replay (a command lost or run twice at the pause). Each plants
 *	the fault for a round-robin chain of up to 3 hops (every phase of
 *	in-flight work once) and requires a failed check; then the fault is
 *	set back to none and the PF's VFs are reset.
 *
 * SUBTEST: replay-minimize
 * Run type: FULL
 * Description: Reproducing a failure, end to end in one process: with
 *	ccs-drop planted, a 2-hop ping-pong plan whose only hop with
 *	compressed blocks in flight is the second (seqno, then ccs spinning
 *	between its compress and its resolves) fails at that hop; the replay line it prints is parsed back and run, and must fail
 *	the same way (lib/replay.h's failure class); --minimize's ddmin then
 *	shrinks it to that one hop, which fails the same way once more.
 *	Skips on an igfx PF.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "replay.h"
#include "sim_pf.h"
#include "sriov_fixture.h"
#include "vf_guest.h"
#include "vf_state.h"
#include "vfio_migrate.h"
#include "wl_phase.h"
#include "wl_ref.h"
#include "workload.h"

IGT_TEST_DESCRIPTION("Many hops of busy VFs, each verified; hop rate and downtime.");

#define MAX_GROUP	8
#define MAX_GUESTS	(SRIOV_FIXTURE_MAX_PFS * 3)
#define DONE_TIMEOUT_MS	20000

/*
 * One hop of a chain's plan (lib/replay.h): the VF it goes to (index in
 * the group), the phase its work is in, the workload, the seed its work
 * comes from, and a fault planted from it on. A run's plan follows from
 * --seed; --plan gives one explicitly (what a failure prints and
 * --minimize shrinks).
 */
#define MAX_PLAN	REPLAY_MAX_STEPS

/* Command line. */
static struct {
	unsigned int hops, vfs, guests_per_pf, scale, duration_s;
	uint64_t seed;
	bool extended, seed_set, hops_set, minimize;
	struct replay_step plan[MAX_PLAN];	/* --plan */
	unsigned int n_plan;
} opt = { .hops = 10, .vfs = 3 };

/* Hops per guest when only --duration bounds a run. */
#define DURATION_MAX_HOPS	100000

static struct sriov_fixture fx;
static struct vf_state bystander_want[SRIOV_FIXTURE_MAX_PFS];

/* One guest hopping around its group of VFs; results for the main thread. */
struct chain {
	struct sriov_vf *vf[MAX_GROUP];
	unsigned int n, hops;
	uint64_t seed;
	uint64_t deadline_ns;	/* --duration: no hop starts after it; 0: none */
	bool check_bystander;	/* single-threaded: after every hop */
	struct replay_step *plan;	/* hops steps */
	struct vf_guest g;
	uint32_t fence;		/* last fence seen: seqnos never go back */
	/* results */
	unsigned int done;
	uint64_t bytes;
	uint64_t *downtime_ns, *vfio_ns, *recover_ns;
	uint64_t *start_ns;	/* when each hop began (the report's timeline) */
	char error[1536];
};

static int opt_handler(int o, int index, void *data)
{
	char *end;

	switch (o) {
	case 'H':
		opt.hops = strtoul(optarg, &end, 0);
		opt.hops_set = true;
		return *end || !opt.hops ? IGT_OPT_HANDLER_ERROR : IGT_OPT_HANDLER_SUCCESS;
	case 'C':
		opt.scale = strtoul(optarg, &end, 0);
		return *end || !opt.scale || opt.scale > 64 ? IGT_OPT_HANDLER_ERROR :
							      IGT_OPT_HANDLER_SUCCESS;
	case 'D':
		opt.duration_s = strtoul(optarg, &end, 0);
		return *end || !opt.duration_s ? IGT_OPT_HANDLER_ERROR : IGT_OPT_HANDLER_SUCCESS;
	case 'V':
		opt.vfs = strtoul(optarg, &end, 0);
		return *end || opt.vfs < 2 || opt.vfs > MAX_GROUP ? IGT_OPT_HANDLER_ERROR :
								   IGT_OPT_HANDLER_SUCCESS;
	case 'S':
		opt.seed = strtoull(optarg, &end, 0);
		opt.seed_set = true;
		return *end ? IGT_OPT_HANDLER_ERROR : IGT_OPT_HANDLER_SUCCESS;
	case 'X':
		opt.extended = true;
		return IGT_OPT_HANDLER_SUCCESS;
	case 'P':
		return replay_plan_parse(optarg, opt.plan, MAX_PLAN, &opt.n_plan,
					 workload_known) ? IGT_OPT_HANDLER_ERROR :
							   IGT_OPT_HANDLER_SUCCESS;
	case 'M':
		opt.minimize = true;
		return IGT_OPT_HANDLER_SUCCESS;
	}
	return IGT_OPT_HANDLER_ERROR;
}

static const struct option long_opts[] = {
	{ "hops", required_argument, NULL, 'H' },
	{ "vfs", required_argument, NULL, 'V' },
	{ "scale", required_argument, NULL, 'C' },
	{ "duration", required_argument, NULL, 'D' },
	{ "seed", required_argument, NULL, 'S' },
	{ "extended", no_argument, NULL, 'X' },
	{ "plan", required_argument, NULL, 'P' },
	{ "minimize", no_argument, NULL, 'M' },
	{ NULL, 0, NULL, 0 },
};

static const char help_str[] =
	"  --hops N\thops per guest (default 10; --extended: 8x)\n"
	"  --vfs K\tVFs each round-robin guest cycles over, 2..8 (default 3)\n"
	"  --scale N\tworkload sizes, 1..64 (default 1; --extended: 2)\n"
	"  --duration S\tkeep hopping for S seconds (at most --hops hops when given)\n"
	"  --seed S\tseed of every workload and phase (default: from the clock, printed)\n"
	"  --extended\tmore hops, bigger workloads, three guests per PF\n"
	"  --plan P\tping-pong/round-robin: these hops, DST.PHASE.WORKLOAD.SEED[.FAULT],...\n"
	"\t\t(PHASE q, r or s; FAULT planted from that hop on; what a failure\n"
	"\t\tprints to replay it)\n"
	"  --minimize\tping-pong/round-robin: on a failure, shrink its plan (fewer hops,\n"
	"\t\tsingle workloads, smaller scale) while it still fails; print the smallest\n";

static int fail(struct chain *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct chain *c, const char *fmt, ...)
{
	va_list ap;
	/* The seed of the hop's own work, as its --plan step shows it. */
	uint64_t seed = c->plan && c->done < c->hops ? c->plan[c->done].seed : c->seed;
	int len = snprintf(c->error, sizeof(c->error), "hop %u (seed %#llx): ", c->done + 1,
			   (unsigned long long)seed);

	va_start(ap, fmt);
	vsnprintf(c->error + len, sizeof(c->error) - len, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *vf_name(const struct sriov_vf *v)
{
	static __thread char buf[2][40];
	static __thread int i;

	i ^= 1;
	snprintf(buf[i], sizeof(buf[i]), "%s VF%u", v->vf.pf->name, v->vf.vf_id);
	return buf[i];
}

/*
 * What the source holds when it stops, just before it is saved: VRAM,
 * PTEs, scratch and (on the sim, whose debugfs shows it) the CCS; on a
 * dgfx sim PF also VRAM as a decompressing read sees it, which is what a
 * dgfx hop must put on the destination (xe saves VRAM decompressed). The
 * ccs workload sees a lost CCS only when a hop falls between its compress
 * and its resolve; the snapshot sees it at every hop.
 */
struct snapshot {
	struct vf_state st;
	struct vf_state resolved;	/* dgfx sim only */
	bool dgfx_sim;
	uint8_t *ccs;		/* NULL off the sim */
	size_t ccs_len;
};

static void snapshot_free(struct snapshot *s)
{
	vf_state_free(&s->st);
	if (s->dgfx_sim)
		vf_state_free(&s->resolved);
	free(s->ccs);
	memset(s, 0, sizeof(*s));
}

static int snapshot_take(struct chain *c, struct sriov_vf *v, bool resolved,
			 struct snapshot *s)
{
	int err;

	memset(s, 0, sizeof(*s));
	err = vf_state_capture(&v->dev, sriov_vf_n_ptes(v), &s->st);
	if (!err && sriov_has_cap(&fx, PF_CAP_SIM_CCS)) {
		s->ccs_len = v->cfg.lmem_size / WL_BLOCK;
		s->ccs = malloc(s->ccs_len);
		err = s->ccs ? pf_sim_vf_ccs_read(&v->vf, s->ccs, s->ccs_len) : -ENOMEM;
	}
	if (!err && resolved && s->ccs && !v->vf.pf->igfx) {
		err = vf_state_capture_resolved(&v->dev, sriov_vf_n_ptes(v), s->ccs,
						&s->resolved);
		s->dgfx_sim = !err;
	}
	if (err) {
		snapshot_free(s);
		return fail(c, "capturing %s: %s", vf_name(v), strerror(-err));
	}
	return 0;
}

/*
 * The CCS of v against the snapshot: the same bytes on the source; on a
 * dgfx destination every byte 0 (restored uncompressed); an igfx
 * destination's CCS comes back only with the restore batch after
 * RESFIX_DONE, while the engine resumes (xe_sriov_sim_ccs checks it).
 */
static bool ccs_as_expected(const struct snapshot *want, const struct snapshot *got,
			    bool moved, char *report, size_t size)
{
	for (size_t i = 0; i < got->ccs_len; i++) {
		uint8_t exp = moved ? 0 : want->ccs[i];

		if (moved && !want->dgfx_sim)
			return true;
		if (got->ccs[i] != exp) {
			snprintf(report, size, "CCS byte %zu (LMEM %#zx) is %#x, expected %#x%s\n",
				 i, i * WL_BLOCK, got->ccs[i], exp,
				 moved ? " (a dgfx hop restores uncompressed)" : "");
			return false;
		}
	}
	return true;
}

/*
 * v holds what the snapshot held: VRAM, PTEs (with vf_id, 0: not checked)
 * and scratch, and the CCS; a destination (moved) of a dgfx hop holds the
 * decompressed view. what says whose snapshot it is.
 */
static int check_snapshot(struct chain *c, struct sriov_vf *v, const struct snapshot *want,
			  unsigned int vf_id, bool moved, const char *what)
{
	const struct vf_state *exp = moved && want->dgfx_sim ? &want->resolved : &want->st;
	struct snapshot got;
	char report[1024];
	int ok;

	if (snapshot_take(c, v, false, &got))
		return -1;
	ok = vf_state_equal(exp, &got.st, vf_id, report, sizeof(report)) &&
	     ccs_as_expected(want, &got, moved, report, sizeof(report));
	snapshot_free(&got);
	return ok ? 0 : fail(c, "%s does not hold what %s:\n%s", vf_name(v), what, report);
}

static int check_unchanged(struct chain *c, struct sriov_vf *v, const struct vf_state *want)
{
	struct vf_state now;
	char report[1024];
	int err = vf_state_capture(&v->dev, sriov_vf_n_ptes(v), &now), ok;

	if (err)
		return fail(c, "capturing %s: %s", vf_name(v), strerror(-err));
	ok = vf_state_equal(want, &now, 0, report, sizeof(report));
	vf_state_free(&now);
	return ok ? 0 : fail(c, "%s, not part of the hop, changed:\n%s", vf_name(v), report);
}

/* Wait for w, verify it, and check the fence is exactly the last seqno. */
static int finish(struct chain *c, struct workload *w, const char *when)
{
	char msg[1024];
	int err = vf_engine_wait_seqno(&c->g.eng, w->done_seqno, DONE_TIMEOUT_MS);

	if (err)
		return fail(c, "%s %s: %s", when, w->ops->name, c->g.eng.error);
	if (workload_verify(w, msg, sizeof(msg)))
		return fail(c, "%s: %s", when, msg);
	if (vf_engine_check_healthy(&c->g.eng))
		return fail(c, "%s: %s", when, c->g.eng.error);
	if (vf_engine_seqno(&c->g.eng) != c->g.eng.seqno)
		return fail(c, "%s: fence %u after the last seqno emitted (%u)", when,
			    vf_engine_seqno(&c->g.eng), c->g.eng.seqno);
	c->fence = c->g.eng.seqno;
	return 0;
}

static int start_work(struct chain *c, const char *name, uint64_t seed, enum wl_phase p,
		      struct wl_gate *gate, struct workload **w)
{
	int err = workload_create(name, &c->g.drv, &c->g.eng, seed, opt.scale, w);

	err = err ?: workload_prepare(*w);
	err = err ?: wl_gate_create(&c->g.drv, gate);
	if (err)
		return fail(c, "%s: %s", name, strerror(-err));
	err = wl_phase_start(*w, gate, p);
	return err ? fail(c, "%s-%s: %s", name, wl_phase_name(p), c->g.eng.error) : 0;
}

/* Snapshot the group's VFs that the hop src -> dst must leave alone. */
static int capture_idle(struct chain *c, struct sriov_vf *src, struct sriov_vf *dst,
			struct vf_state *st)
{
	for (unsigned int i = 0; i < c->n; i++) {
		int err;

		if (c->vf[i] == src || c->vf[i] == dst)
			continue;
		err = vf_state_capture(&c->vf[i]->dev, sriov_vf_n_ptes(c->vf[i]), &st[i]);
		if (err)
			return fail(c, "capturing %s: %s", vf_name(c->vf[i]), strerror(-err));
	}
	return 0;
}

static int check_idle(struct chain *c, struct sriov_vf *src, struct sriov_vf *dst,
		      struct vf_state *st)
{
	int err = 0;

	for (unsigned int i = 0; i < c->n; i++) {
		if (c->vf[i] == src || c->vf[i] == dst)
			continue;
		err = err ?: check_unchanged(c, c->vf[i], &st[i]);
		vf_state_free(&st[i]);
	}
	return err;
}

/*
 * Move and recover, verifying the move in between and the seqno on arrival.
 * The source is stopped first (as QEMU stops the VM) and snapshotted: after
 * the hop the destination must hold the snapshot with its own VF id, and
 * the source must still hold it (saving must not change it). The stop's
 * time is added back to the hop's downtime, the snapshot's is not.
 */
static int hop(struct chain *c, struct sriov_vf *dst)
{
	struct sriov_vf *src = c->g.vf;
	struct vf_state idle[MAX_GROUP] = { 0 };
	struct snapshot before = { 0 };
	struct vf_guest_hop h;
	uint64_t start = vf_guest_now_ns(), t0, stop_ns = 0;
	int err = capture_idle(c, src, dst, idle);

	t0 = vf_guest_now_ns();
	if (!err && vfio_mig_goto(&src->dev, VFIO_DEVICE_STATE_STOP, NULL, NULL))
		err = fail(c, "stopping %s", vf_name(src));
	stop_ns = vf_guest_now_ns() - t0;
	err = err ?: snapshot_take(c, src, true, &before);
	if (!err && vf_guest_move(&c->g, dst, &h))
		err = fail(c, "%s", c->g.error);
	err = err ?: check_snapshot(c, dst, &before, dst->vf.vf_id, true,
				    "the source held when it stopped");
	err = err ?: check_snapshot(c, src, &before, 0, false, "it held before it was saved");
	if (!err && !vf_seqno_passed(vf_engine_seqno(&c->g.eng), c->fence))
		err = fail(c, "fence went back from %u to %u on %s", c->fence,
			   vf_engine_seqno(&c->g.eng), vf_name(dst));
	h.start_ns -= stop_ns;
	h.mig.downtime_ns += stop_ns;
	if (!err && vf_guest_recover(&c->g, &h))
		err = fail(c, "%s", c->g.error);
	snapshot_free(&before);
	err = check_idle(c, src, dst, idle) ?: err;
	if (err)
		return err;
	c->bytes += h.mig.data.bytes;
	c->downtime_ns[c->done] = h.downtime_ns;
	c->vfio_ns[c->done] = h.mig.downtime_ns;
	c->recover_ns[c->done] = h.recover_ns;
	c->start_ns[c->done] = start;
	return 0;
}

/* One hop with a mix in flight, then a seqno round on the new VF. */
static int hop_with_work(struct chain *c, struct sriov_vf *dst)
{
	const struct replay_step *st = &c->plan[c->done];
	uint64_t rng = st->seed;
	enum wl_phase p = st->phase;
	struct vf_mark mark = vf_driver_mark(&c->g.drv);
	struct workload *during = NULL, *after = NULL;
	struct wl_gate gate, gate2;
	int err;

	/* A fault the plan plants from this hop on (a replay of a planted run). */
	if (st->fault[0] && sim_fault_plant(st->fault))
		return fail(c, "cannot plant %s", st->fault);
	err = start_work(c, st->workload, wl_rand64(&rng), p, &gate, &during);
	err = err ?: hop(c, dst);
	if (!err && wl_phase_release(during, &gate))
		err = fail(c, "releasing the gate: %s", c->g.eng.error);
	err = err ?: finish(c, during, "in flight during the hop");
	err = err ?: start_work(c, "seqno", wl_rand64(&rng), WL_PHASE_RUNNING, &gate2, &after);
	err = err ?: finish(c, after, "between hops");
	workload_destroy(during);
	workload_destroy(after);
	if (!err && vf_engine_retire_batches(&c->g.eng))
		err = fail(c, "%s", c->g.eng.error);
	if (!err && vf_driver_release(&c->g.drv, mark))
		err = fail(c, "releasing the round's buffers");
	return err;
}

static int check_bystanders(struct chain *c)
{
	for (int p = 0; p < fx.n_pfs; p++) {
		struct sriov_vf *v = &fx.vfs[p][fx.n_vfs[p] - 1];

		if (check_unchanged(c, v, &bystander_want[p]))
			return -1;
	}
	return 0;
}

static void *run_chain(void *arg)
{
	struct chain *c = arg;

	if (vf_guest_start(&c->g, c->vf[0], 0)) {
		snprintf(c->error, sizeof(c->error), "%s", c->g.error);
		return NULL;
	}
	for (; c->done < c->hops; c->done++) {
		if (c->deadline_ns && vf_guest_now_ns() >= c->deadline_ns)
			break;
		if (c->plan[c->done].dst >= c->n || c->vf[c->plan[c->done].dst] == c->g.vf) {
			fail(c, "plan step %u goes to VF index %u, where the guest is or beyond %u VFs",
			     c->done, c->plan[c->done].dst, c->n);
			break;
		}
		if (hop_with_work(c, c->vf[c->plan[c->done].dst]))
			break;
		if (c->check_bystander && check_bystanders(c))
			break;
	}
	vf_guest_stop(&c->g);
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct summary {
	unsigned int hops;
	uint64_t bytes;
	double seconds;
	double down[3], vfio[3], recover[3];	/* min, median, max, ms */
};

static void min_med_max(uint64_t *v, unsigned int n, double out[3])
{
	qsort(v, n, sizeof(*v), cmp_u64);
	out[0] = v[0] / 1e6;
	out[1] = (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) / 1e6;
	out[2] = v[n - 1] / 1e6;
}

static void summarize(struct chain *c, int n, double seconds, struct summary *s)
{
	unsigned int total = 0, k = 0;
	uint64_t *d, *f, *r;

	for (int i = 0; i < n; i++)
		total += c[i].done;
	memset(s, 0, sizeof(*s));
	s->hops = total;
	s->seconds = seconds;
	if (!total)
		return;
	d = malloc(total * sizeof(*d));
	f = malloc(total * sizeof(*f));
	r = malloc(total * sizeof(*r));
	igt_assert(d && f && r);
	for (int i = 0; i < n; i++) {
		s->bytes += c[i].bytes;
		memcpy(d + k, c[i].downtime_ns, c[i].done * sizeof(*d));
		memcpy(f + k, c[i].vfio_ns, c[i].done * sizeof(*f));
		memcpy(r + k, c[i].recover_ns, c[i].done * sizeof(*r));
		k += c[i].done;
	}
	min_med_max(d, total, s->down);
	min_med_max(f, total, s->vfio);
	min_med_max(r, total, s->recover);
	free(d);
	free(f);
	free(r);
}

static json_t *triple(const double v[3])
{
	return json_pack("{s:f, s:f, s:f}", "min", v[0], "median", v[1], "max", v[2]);
}

/* Every hop of every guest: start (from the first hop's), downtimes. */
static json_t *hop_list(const struct chain *c, int n)
{
	json_t *list = json_array();
	uint64_t t0 = UINT64_MAX;

	for (int i = 0; i < n; i++)
		for (unsigned int k = 0; k < c[i].done; k++)
			t0 = c[i].start_ns[k] < t0 ? c[i].start_ns[k] : t0;
	for (int i = 0; i < n; i++)
		for (unsigned int k = 0; k < c[i].done; k++)
			json_array_append_new(list, json_pack("{s:i, s:i, s:f, s:f, s:f, s:f}",
				"guest", i, "hop", (int)k + 1,
				"start_ms", (c[i].start_ns[k] - t0) / 1e6,
				"downtime_ms", c[i].downtime_ns[k] / 1e6,
				"vfio_downtime_ms", c[i].vfio_ns[k] / 1e6,
				"recovery_ms", c[i].recover_ns[k] / 1e6));
	return list;
}

/* $XEMT_RESULTS_DIR/stress.json: one key per subtest (each runs in its own exec). */
static void write_json(const char *subtest, int guests, unsigned int vfs,
		       const struct summary *s, const struct chain *c)
{
	const char *dir = getenv("XEMT_RESULTS_DIR");
	char path[PATH_MAX], seed[24];
	json_t *root, *entry;

	if (!dir || !*dir)
		return;
	snprintf(path, sizeof(path), "%s/stress.json", dir);
	root = json_load_file(path, 0, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		root = json_object();
	}
	snprintf(seed, sizeof(seed), "%#llx", (unsigned long long)opt.seed);
	entry = json_pack("{s:s, s:i, s:i, s:i, s:I, s:f, s:f, s:o, s:o, s:o}",
			  "seed", seed, "guests", guests, "vfs_per_guest", (int)vfs, "hops", (int)s->hops, "bytes", (json_int_t)s->bytes,
			  "seconds", s->seconds, "hops_per_second",
			  s->seconds > 0 ? s->hops / s->seconds : 0.0, "downtime_ms",
			  triple(s->down), "vfio_downtime_ms", triple(s->vfio), "recovery_ms",
			  triple(s->recover));
	json_object_set_new(entry, "hop_list", hop_list(c, guests));
	json_object_set_new(root, subtest, entry);
	if (json_dump_file(root, path, JSON_INDENT(2) | JSON_SORT_KEYS))
		igt_warn("could not write %s\n", path);
	json_decref(root);
}

static void report(const char *subtest, struct chain *c, int n, double seconds)
{
	struct summary s;

	summarize(c, n, seconds, &s);
	igt_info("%s: %u hops by %d guest(s) in %.2f s (%.2f hops/s), %.1f MiB moved\n",
		 subtest, s.hops, n, seconds, seconds > 0 ? s.hops / seconds : 0.0,
		 s.bytes / 1048576.0);
	if (s.hops) {
		igt_info("%s: per-hop downtime (pause to engine running again) min/median/max %.2f/%.2f/%.2f ms\n",
			 subtest, s.down[0], s.down[1], s.down[2]);
		igt_info("%s: of which VFIO save+restore %.2f/%.2f/%.2f ms, recovery with fixups %.2f/%.2f/%.2f ms\n",
			 subtest, s.vfio[0], s.vfio[1], s.vfio[2], s.recover[0], s.recover[1],
			 s.recover[2]);
	}
	write_json(subtest, n, c[0].n, &s, c);
}

static void chain_init(struct chain *c, int pf, unsigned int first, unsigned int n,
		       uint64_t seed)
{
	memset(c, 0, sizeof(*c));
	c->n = n;
	c->hops = opt.hops;
	c->seed = seed;
	if (opt.duration_s)
		c->deadline_ns = vf_guest_now_ns() + opt.duration_s * 1000000000ull;
	for (unsigned int i = 0; i < n; i++)
		c->vf[i] = &fx.vfs[pf][first + i];
	c->downtime_ns = calloc(c->hops, sizeof(uint64_t));
	c->vfio_ns = calloc(c->hops, sizeof(uint64_t));
	c->recover_ns = calloc(c->hops, sizeof(uint64_t));
	c->start_ns = calloc(c->hops, sizeof(uint64_t));
	c->plan = calloc(c->hops, sizeof(*c->plan));
	igt_assert(c->downtime_ns && c->vfio_ns && c->recover_ns && c->start_ns && c->plan);
	/* Round-robin, every phase in turn from a seeded start, a mix each. */
	for (unsigned int i = 0; i < c->hops; i++)
		c->plan[i] = (struct replay_step){
			.dst = (i + 1) % n,
			.phase = (enum wl_phase)((seed % WL_PHASE_COUNT + i) % WL_PHASE_COUNT),
			.workload = "mix",
			.seed = seed ^ (0x9e37ull * (i + 1)),
		};
}

static void chain_fini(struct chain *c)
{
	free(c->downtime_ns);
	free(c->vfio_ns);
	free(c->recover_ns);
	free(c->start_ns);
	free(c->plan);
}

static double since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Every hop asked for, or with --duration at least one. */
static void assert_all_hops(const struct chain *c)
{
	if (opt.duration_s)
		igt_assert_f(c->done > 0, "no hop within %u s\n", opt.duration_s);
	else
		igt_assert_eq(c->done, opt.hops);
}

static void bystander_init(int p);

/* After a failed chain: the group's VFs reset, the bystander as it was. */
static void reset_group(unsigned int n_vfs)
{
	for (unsigned int i = 0; i < n_vfs; i++)
		igt_assert_eq(vfio_dev_reset(&fx.vfs[0][i].dev), 0);
	bystander_init(0);
}

/* After a plan that planted a fault: none. */
static void plan_unplant(const struct replay_step *plan, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (plan[i].fault[0]) {
			sim_fault_unplant(0);
			return;
		}
}

/* Run plan (n steps) at scale as one chain; 1 if a check fails (why). */
static int plan_fails(unsigned int n_vfs, const struct replay_step *plan, unsigned int n,
		      unsigned int scale, char *why, size_t size)
{
	unsigned int hops = opt.hops, saved_scale = opt.scale, duration = opt.duration_s;
	struct chain c;
	bool failed;

	opt.hops = n;
	opt.scale = scale;
	opt.duration_s = 0;
	chain_init(&c, 0, 0, n_vfs, 0);
	memcpy(c.plan, plan, n * sizeof(*plan));
	c.check_bystander = true;
	run_chain(&c);
	plan_unplant(plan, n);
	opt.hops = hops;
	opt.scale = saved_scale;
	opt.duration_s = duration;
	failed = c.error[0];
	if (failed)
		snprintf(why, size, "%s", c.error);
	chain_fini(&c);
	if (failed)
		reset_group(n_vfs);
	return failed;
}

/* The group size is the candidate's context: run_chain() needs nothing else. */
static int candidate_fails(void *ctx, const struct replay_step *plan, unsigned int n,
			   unsigned int scale, char *why, size_t size)
{
	unsigned int n_vfs = *(unsigned int *)ctx;
	int failed = plan_fails(n_vfs, plan, n, scale, why, size);

	igt_debug("--minimize: %u hops at scale %u: %s\n", n, scale, failed ? why : "passed");
	return failed;
}

/* The one command that replays plan (n hops at scale) of subtest on n_vfs VFs. */
static void replay_line(char *buf, size_t size, const char *subtest, unsigned int n_vfs,
			const struct replay_step *plan, unsigned int n, unsigned int scale)
{
	static char opts[REPLAY_PLAN_CHARS + 64];
	int len = snprintf(opts, sizeof(opts), "--vfs %u --scale %u ", n_vfs, scale);

	if (n > MAX_PLAN) {
		snprintf(opts + len, sizeof(opts) - len, "--seed %#llx --hops %u",
			 (unsigned long long)opt.seed, n);
	} else {
		len += snprintf(opts + len, sizeof(opts) - len, "--plan ");
		replay_plan_format(plan, n, opts + len, sizeof(opts) - len);
	}
	replay_command(buf, size, NULL, program_invocation_name, subtest, opts);
}

static void print_replay(const char *what, const char *subtest, unsigned int n_vfs,
			 const struct replay_step *plan, unsigned int n, unsigned int scale)
{
	static char buf[REPLAY_PLAN_CHARS + 512];

	replay_line(buf, sizeof(buf), subtest, n_vfs, plan, n, scale);
	igt_info("%s (%u hops): %s\n", what, n, buf);
}

/*
 * lib/replay.h's ddmin over the failing plan's hops, then each mix down to
 * a single workload, then smaller scales: every candidate run from reset
 * VFs and kept only while it fails the same way (why's class). Prints the
 * smallest; out (if not NULL) gets what replay_minimize() found.
 */
static void minimize(const char *subtest, unsigned int n_vfs, const struct replay_step *failing,
		     unsigned int n, unsigned int scale, const char *why, struct replay_min *out)
{
	static struct replay_min m;
	struct replay_target t = {
		.ctx = &n_vfs, .run = candidate_fails, .simpler = workload_simpler,
		.n_vfs = n_vfs,
	};

	if (!out)
		out = &m;
	if (replay_minimize(&t, failing, n, scale, why, out)) {
		igt_warn("--minimize: %u hops, at most %u are shrunk\n", n, MAX_PLAN);
		return;
	}
	if (!out->confirmed) {
		igt_warn("--minimize: the smallest plan did not fail the same way on its last run (a flaky failure): %s\n",
			 out->why);
		return;
	}
	igt_info("--minimize: %u runs; the smallest failing plan fails with: %s\n", out->runs,
		 out->why);
	print_replay("minimized replay", subtest, n_vfs, out->plan, out->n, out->scale);
}

static void single(const char *subtest, unsigned int n_vfs)
{
	struct chain c;
	struct timespec t0;

	igt_info("%s: seed %#llx (--seed %#llx reproduces), %s%u hops over %u VFs, scale %u\n",
		 subtest, (unsigned long long)opt.seed, (unsigned long long)opt.seed,
		 opt.duration_s ? "for --duration, up to " : "", opt.hops, n_vfs, opt.scale);
	chain_init(&c, 0, 0, n_vfs, wl_seed_for(opt.seed, subtest));
	if (opt.n_plan) {
		memcpy(c.plan, opt.plan, opt.n_plan * sizeof(*c.plan));
		replay_plan_repair(c.plan, opt.n_plan, n_vfs);
		igt_install_exit_handler(sim_fault_unplant);
	}
	c.check_bystander = true;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_chain(&c);
	plan_unplant(c.plan, c.hops);
	report(subtest, &c, 1, since(&t0));
	if (c.error[0]) {
		unsigned int n = c.done < c.hops ? c.done + 1 : c.hops;

		print_replay("replay", subtest, n_vfs, c.plan, n, opt.scale);
		if (opt.minimize) {
			reset_group(n_vfs);
			minimize(subtest, n_vfs, c.plan, n, opt.scale, c.error, NULL);
		}
	}
	igt_assert_f(!c.error[0], "%s\n", c.error);
	assert_all_hops(&c);
	chain_fini(&c);
}

/*
 * The main thread's part: check the bystanders until every guest is done.
 * No assert before all are joined: the fixture must not tear the VFs down
 * under a running guest.
 */
static int watch_bystanders(pthread_t *th, int n, struct chain *watch)
{
	bool joined[MAX_GUESTS] = { false };
	unsigned int checks = 0, left = n;
	int err = 0;

	while (left) {
		if (!err)
			err = check_bystanders(watch);
		checks++;
		for (int i = 0; i < n; i++)
			if (!joined[i] && !pthread_tryjoin_np(th[i], NULL)) {
				joined[i] = true;
				left--;
			}
	}
	igt_debug("bystanders checked %u times while the guests hopped\n", checks);
	return err;
}

static void concurrent(void)
{
	struct chain c[MAX_GUESTS], watch = { 0 };
	pthread_t th[MAX_GUESTS];
	struct timespec t0;
	int n = 0, err;

	igt_info("concurrent: seed %#llx (--seed %#llx reproduces), %u guests per PF, %u hops each over %u VFs\n",
		 (unsigned long long)opt.seed, (unsigned long long)opt.seed, opt.guests_per_pf,
		 opt.hops, opt.vfs);
	for (int p = 0; p < fx.n_pfs; p++)
		for (unsigned int g = 0; g < opt.guests_per_pf; g++, n++)
			chain_init(&c[n], p, g * opt.vfs, opt.vfs,
				   wl_seed_for(opt.seed, "concurrent") + n);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++)
		igt_assert_eq(pthread_create(&th[i], NULL, run_chain, &c[i]), 0);
	err = watch_bystanders(th, n, &watch);
	report("concurrent", c, n, since(&t0));
	igt_assert_f(!err, "while the guests hopped: %s\n", watch.error);
	for (int i = 0; i < n; i++) {
		igt_assert_f(!c[i].error[0], "guest %d (%s VF%u..): %s\n", i,
			     c[i].vf[0]->vf.pf->name, c[i].vf[0]->vf.vf_id, c[i].error);
		assert_all_hops(&c[i]);
		chain_fini(&c[i]);
	}
}

/* The data-path defects, each planted for one short chain. */
static const char *const planted_faults[] = {
	"vram-flip", "ccs-drop", "ggtt-vfid", "ggtt-slice", "cmd-lost", "cmd-replay",
};

/* The PF's last VF: filled from the seed, watched by every subtest. */
static void bystander_init(int p)
{
	struct sriov_vf *b = &fx.vfs[p][fx.n_vfs[p] - 1];

	vf_state_free(&bystander_want[p]);
	igt_assert_eq(vfio_dev_reset(&b->dev), 0);
	igt_assert_eq(vf_state_fill(&b->dev, sriov_vf_n_ptes(b), opt.seed + p), 0);
	igt_assert_eq(vf_state_capture(&b->dev, sriov_vf_n_ptes(b), &bystander_want[p]), 0);
}

static void planted_one(const char *fault)
{
	struct chain c;
	int err;

	chain_init(&c, 0, 0, opt.vfs, wl_seed_for(opt.seed, fault));
	c.hops = opt.hops < WL_PHASE_COUNT ? opt.hops : WL_PHASE_COUNT;
	c.check_bystander = true;
	err = sim_fault_plant(fault);
	igt_assert_f(!err, "cannot plant %s: %s\n", fault, strerror(-err));
	run_chain(&c);
	sim_fault_unplant(0);
	if (c.error[0]) {
		/* The replay plants it itself, from the first hop on. */
		snprintf(c.plan[0].fault, sizeof(c.plan[0].fault), "%s", fault);
		print_replay("replay", "round-robin", opt.vfs, c.plan,
			     c.done < c.hops ? c.done + 1 : c.hops, opt.scale);
	}
	/* What the fault left behind (PTEs in another slice) lasts until an FLR. */
	for (unsigned int i = 0; i < fx.n_vfs[0]; i++)
		igt_assert_eq(vfio_dev_reset(&fx.vfs[0][i].dev), 0);
	bystander_init(0);
	chain_fini(&c);
	igt_assert_f(c.error[0], "%s planted, but %u hops passed every check\n", fault, c.done);
	igt_info("%s caught: %s\n", fault, c.error);
}

static void planted(void)
{
	sriov_require_cap(&fx, PF_CAP_FAULTS, "planting data-path defects");
	igt_install_exit_handler(sim_fault_unplant);
	for (size_t i = 0; i < sizeof(planted_faults) / sizeof(planted_faults[0]); i++)
		igt_dynamic(planted_faults[i])
			planted_one(planted_faults[i]);
}

/*
 * replay-minimize: what a failing run prints replays it, and --minimize
 * shrinks it, through lib/replay.h in this process. ccs-drop harms only a
 * hop that moves compressed blocks: of a ping-pong plan whose second hop
 * has the ccs workload spinning between its compress and its resolves
 * (the first, seqno, compresses nothing), only that hop fails. Its
 * replay line is parsed back and run (the same failure), then minimized:
 * one hop that still fails the same way. 6 hops in all.
 */
static void replay_minimize_planted(void)
{
	static const char *const wl[] = { "seqno", "ccs" };
	static struct replay_step plan[2], back[MAX_PLAN];
	static char line[REPLAY_PLAN_CHARS + 512], again[REPLAY_WHY_MAX];
	static struct replay_min m;
	unsigned int n, n_back = 0, hops;
	const char *arg;
	struct chain c;
	int err;

	sriov_require_cap(&fx, PF_CAP_FAULTS | PF_CAP_SIM_CCS, "planting ccs-drop");
	igt_require_f(!fx.pfs[0].igfx, "%s is an igfx PF: its hops carry no VRAM to lose the CCS of\n",
		      fx.pfs[0].name);
	for (unsigned int i = 0; i < 2; i++) {
		plan[i] = (struct replay_step){ .dst = (i + 1) % 2, .phase = WL_PHASE_SPINNING,
						.seed = wl_seed_for(opt.seed, wl[i]) };
		snprintf(plan[i].workload, sizeof(plan[i].workload), "%s", wl[i]);
	}
	igt_install_exit_handler(sim_fault_unplant);
	err = sim_fault_plant("ccs-drop");
	igt_assert_f(!err, "cannot plant ccs-drop: %s\n", strerror(-err));

	/* The run: its failure and the line a failure prints. */
	hops = opt.hops;
	opt.hops = 2;
	chain_init(&c, 0, 0, 2, 0);
	opt.hops = hops;
	memcpy(c.plan, plan, sizeof(plan));
	c.check_bystander = true;
	run_chain(&c);
	n = c.done < c.hops ? c.done + 1 : c.hops;
	replay_line(line, sizeof(line), "ping-pong", 2, c.plan, n, opt.scale);
	igt_info("failed: %s\nreplay: %s\n", c.error[0] ? c.error : "(passed)", line);
	igt_assert_f(c.error[0] && c.done == 1, "ccs-drop planted: %s at hop %u, expected hop 2 to fail\n",
		     c.error[0] ? c.error : "every hop passed", c.done + 1);
	reset_group(2);

	/* The line, read back as the test's --plan option would, replays it. */
	arg = strstr(line, " --plan ");
	igt_assert(arg);
	igt_assert_eq(replay_plan_parse(arg + 8, back, MAX_PLAN, &n_back, workload_known), 0);
	igt_assert_eq(n_back, n);
	igt_assert(!memcmp(back, plan, n * sizeof(*back)));
	igt_assert_f(plan_fails(2, back, n_back, opt.scale, again, sizeof(again)),
		     "the replay passed\n");
	igt_assert_f(replay_same_failure(c.error, again), "the replay failed otherwise: %s\n",
		     again);

	/* --minimize: fewer hops, the same failure. */
	minimize("ping-pong", 2, back, n_back, opt.scale, c.error, &m);
	sim_fault_unplant(0);
	reset_group(2);
	chain_fini(&c);
	igt_assert_f(m.confirmed, "the smallest plan did not fail again: %s\n", m.why);
	igt_assert_f(m.n < n, "minimized to %u hops of %u\n", m.n, n);
	igt_assert(replay_same_failure(c.error, m.why));
	igt_assert_eq(m.n, 1);
	igt_assert(!strcmp(m.plan[0].workload, "ccs"));
}

static void setup(void)
{
	unsigned int need;
	int err;

	if (opt.duration_s && !opt.hops_set)
		opt.hops = DURATION_MAX_HOPS;
	else if (opt.extended)
		opt.hops *= 8;
	if (!opt.scale)
		opt.scale = opt.extended ? 2 : 1;
	if (opt.n_plan) {
		opt.hops = opt.n_plan;
		opt.hops_set = true;
		opt.duration_s = 0;
	}
	opt.guests_per_pf = opt.extended ? 3 : 2;
	if (!opt.seed_set) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		opt.seed = (uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec;
	}
	err = sriov_fixture_init(&fx);
	igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
	sriov_require_cap(&fx, PF_CAP_SIM_ENGINE | PF_CAP_SIM_VF_REGS,
			  "guests with work on the sim's engine");
	/* Each PF: the guests' groups, then one bystander VF. */
	need = opt.guests_per_pf * opt.vfs + 1;
	for (int p = 0; p < fx.n_pfs; p++) {
		igt_require_f(!sriov_fixture_enable(&fx, p, need), "cannot enable %u VFs on %s\n",
			      need, fx.pfs[p].name);
		bystander_init(p);
	}
}

int igt_main_args("", long_opts, help_str, opt_handler, NULL)
{
	igt_fixture()
		setup();

	igt_describe("One guest between two VFs, every hop verified.");
	igt_subtest("ping-pong")
		single("ping-pong", 2);

	igt_describe("One guest round-robin over --vfs VFs; the others stay as they are.");
	igt_subtest("round-robin")
		single("round-robin", opt.vfs);

	igt_describe("Guests hopping in parallel threads on every PF, a bystander watched.");
	igt_subtest("concurrent")
		concurrent();

	igt_describe("A failing plan's printed replay fails the same way, and --minimize shrinks it to the one hop that still fails (ccs-drop planted, in-process).");
	igt_subtest("replay-minimize")
		replay_minimize_planted();

	igt_describe("Each planted data-path defect is reported by the per-hop checks.");
	igt_subtest_with_dynamic("planted")
		planted();

	igt_fixture() {
		for (int p = 0; p < fx.n_pfs; p++)
			vf_state_free(&bystander_want[p]);
		sriov_fixture_disable(&fx, -1);
	}
}
