// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_sim_fixups
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: VF post-migration recovery with a busy engine
 * Description: A VF migrates while its engine has work queued, running or
 *	paused inside a SPIN_UNTIL, to a VF whose GGTT slice has another
 *	base. The guest's VF driver attaches to the destination, takes the
 *	MIGRATED interrupt and recovers as xe does (RESFIX_START, config
 *	query, engine fixups of every GGTT address the engine holds,
 *	RESFIX_DONE); the work then completes exactly once and every
 *	workload's verifier agrees with its CPU reference. Without the
 *	fixups the engine faults: they are what makes it work.
 *
 * SUBTEST: mid-flight
 * Run type: BAT
 * Description: Every workload (seqno, fill, ccs, batch-chain, spinner,
 *	mix) in every phase (queued behind a closed gate at the ring's
 *	head; running, migrated right after the kick on an engine slowed
 *	down to one unit of work per RUNNING_UNIT_MS, so the pause finds it
 *	part way; spinning, paused on a gate in the middle of the work, 3
 *	batch levels deep for batch-chain) migrated VF1 -> VF2 and
 *	recovered with the engine fixups: results verified (with every gate
 *	wait passed exactly once, only when open), work was pending at the
 *	migration, the engine never faulted. One dynamic subtest per
 *	<workload>-<phase>.
 *
 * SUBTEST: double-migration
 * Run type: BAT
 * Description: The guest migrates again between RESFIX_START and
 *	RESFIX_DONE (after its fixups): RESFIX_DONE answers VF_MIGRATED, the
 *	recovery requeues on the new VF (its MIGRATED interrupt raised),
 *	fixes up by the second shift and completes; the mix workload paused
 *	on its gate then finishes correctly.
 *
 * SUBTEST: submit-in-window
 * Run type: BAT
 * Description: Work submitted inside the migration window, after the
 *	switch to the destination and before the recovery (VF_RESFIX_BLOCKED):
 *	its buffers are mapped and its commands emitted with the old GGTT
 *	base and kicked. The engine must hold it (the doorbell remembered,
 *	nothing runs), the recovery's fixups patch it with the work that was
 *	in flight, and after RESFIX_DONE both complete exactly once and
 *	verify, as xe's paused-then-resumed submissions do.
 *
 * SUBTEST: provisioning-change
 * Run type: BAT
 * Description: The destination VF is provisioned with one GuC context
 *	fewer (debugfs contexts_quota, as xe's). The restore takes the
 *	stream, but the guest's post-migration query finds the count
 *	changed: the recovery refuses it with EREMCHG before RESFIX_DONE and
 *	declares the VF wedged, as xe does; the engine stays held with the
 *	queued work not run, and a later recovery is refused at once.
 *
 * SUBTEST: no-fixups-faults
 * Run type: BAT
 * Description: The same recovery with the engine fixups skipped on
 *	purpose: the engine must hang with OUT_OF_SLICE at an address of
 *	the source's GGTT slice and raise the ERROR interrupt, proving the
 *	fixups matter (and that a stale address cannot reach another VF).
 *
 * SUBTEST: marker-wrap
 * Run type: BAT
 * Description: The VF driver's RESFIX marker is 12 bits and never 0
 *	(VF ABI 1.27): a guest whose last marker was 4094 migrates three
 *	times (VF1 -> VF2 -> VF1 -> VF2) and recovers each time with markers
 *	4095, 1 and 2 on both GTs; a marker kept in 16 bits would go out as
 *	0 after 4095 recoveries, be refused and wedge the VF. The seqno
 *	workload then completes.
 *
 * SUBTEST: planted
 * Run type: FULL
 * Description: Each engine and recovery defect xe_sriov_sim can plant,
 *	one dynamic subtest each, must be reported by the checks above:
 *	cmd-lost and cmd-replay (a command lost or run twice at the pause)
 *	by the gate record of mid-flight mix-spinning, no-irq (no MIGRATED
 *	interrupt) by the guest's recovery, marker-kept (the RESFIX marker
 *	survives a restore) and marker-ignored (RESFIX_DONE does not check
 *	it) by double-migration. Each check first runs without the fault
 *	and must pass. The fault is set back to none and the VFs reset after
 *	each, also when the check fails.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "sim_pf.h"
#include "sriov_fixture.h"
#include "uapi/xe_sriov_sim_regs.h"
#include "vf_guest.h"
#include "vf_irq.h"
#include "wl_phase.h"
#include "workload.h"

IGT_TEST_DESCRIPTION("Busy-engine migration: xe's recovery with the engine fixups.");

#define NUM_VFS		3
#define SCALE		2
#define DONE_TIMEOUT_MS	20000
#define SEED		0x5eed0f1cull
/* The running phase's slow engine: even ccs (5 commands) lasts 0.4 s. */
#define RUNNING_UNIT_MS	100

static struct sriov_fixture fx;
static struct vf_guest guest;
/* Why the last step failed: steps return -1 so planted faults can expect it. */
static char why[2048];

/* A workload on the guest, with its gate. */
struct run {
	struct workload *w;
	struct wl_gate gate;
	uint64_t seed;
};

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return -1;
}

static struct sriov_vf *vf(int i)
{
	return &fx.vfs[0][i];
}

static int start_guest(struct sriov_vf *on)
{
	vf_guest_stop(&guest);	/* what a failed subtest left */
	return vf_guest_start(&guest, on, 0) ? fail("%s", guest.error) : 0;
}

static int start_run(struct run *r, const char *name, enum wl_phase p, uint64_t seed)
{
	int err;

	r->seed = seed;
	r->w = NULL;
	err = workload_create(name, &guest.drv, &guest.eng, seed, SCALE, &r->w);
	if (err)
		return fail("workload %s: %s", name, strerror(-err));
	err = workload_prepare(r->w);
	err = err ?: wl_gate_create(&guest.drv, &r->gate);
	if (err)
		return fail("%s: prepare: %s", name, strerror(-err));
	err = wl_phase_start(r->w, &r->gate, p);
	if (err)
		return fail("%s-%s (seed %#llx): %s: %s", name, wl_phase_name(p),
			    (unsigned long long)seed, strerror(-err), guest.eng.error);
	return 0;
}

/* Release the gate, wait for the last fence, verify, require a healthy engine. */
static int finish_run(struct run *r)
{
	const char *name = r->w->ops->name;
	char msg[1024];

	if (wl_phase_release(r->w, &r->gate) ||
	    vf_engine_wait_seqno(&guest.eng, r->w->done_seqno, DONE_TIMEOUT_MS))
		return fail("%s (seed %#llx): %s", name, (unsigned long long)r->seed,
			    guest.eng.error);
	if (workload_verify(r->w, msg, sizeof(msg)))
		return fail("%s (seed %#llx): %s", name, (unsigned long long)r->seed, msg);
	if (vf_engine_check_healthy(&guest.eng))
		return fail("%s", guest.eng.error);
	return 0;
}

static void drop_run(struct run *r)
{
	workload_destroy(r->w);
	r->w = NULL;
}

static int migrate_guest(struct sriov_vf *dst)
{
	struct vf_guest_hop hop;

	if (vf_guest_migrate(&guest, dst, &hop))
		return fail("%s", guest.error);
	igt_debug("hop to VF%u: %llu bytes, downtime %.3f ms (VFIO %.3f, recovery %.3f); fixups: %u ring commands, %u+%u operands, %u batches, %u active levels%s\n",
		  dst->vf.vf_id, (unsigned long long)hop.mig.data.bytes, hop.downtime_ns / 1e6,
		  hop.mig.downtime_ns / 1e6, hop.recover_ns / 1e6, guest.eng.fixup.ring_commands,
		  guest.eng.fixup.ring_addrs, guest.eng.fixup.batch_addrs,
		  guest.eng.fixup.batches, guest.eng.fixup.active_levels,
		  guest.eng.fixup.chain_checked ? " (chain checked)" : "");
	return 0;
}

/* Where the engine must have been held, as the phase says. */
static int check_caught(const char *name, enum wl_phase p)
{
	const struct vf_engine_fixup_stats *s = &guest.eng.fixup;

	if (!s->ring_commands)
		return fail("%s-%s: nothing was pending at the migration", name,
			    wl_phase_name(p));
	if (p == WL_PHASE_QUEUED && s->active_levels)
		return fail("%s-queued: %u batch levels active behind a closed gate", name,
			    s->active_levels);
	if (p == WL_PHASE_SPINNING && !strcmp(name, "batch-chain") &&
	    (s->active_levels != 3 || !s->chain_checked))
		return fail("batch-chain paused %u levels deep (chain %s), expected 3",
			    s->active_levels, s->chain_checked ? "checked" : "not checked");
	return 0;
}

/* Also on a failed assert or a signal: no fault planted, a fast engine. */
static void sim_defaults(int sig)
{
	sim_fault_unplant(sig);
	sim_param_set_uint("engine_unit_ms", 0);
}

static int try_mid_flight(const char *name, enum wl_phase p, uint64_t seed)
{
	bool slow = p == WL_PHASE_RUNNING && sriov_has_cap(&fx, PF_CAP_SIM_PARAMS);
	struct run r = { 0 };
	int err = slow ? sim_param_set_uint("engine_unit_ms", RUNNING_UNIT_MS) : 0;

	if (err)
		return fail("cannot slow the engine down: %s", strerror(-err));
	err = start_guest(vf(0)) ?: start_run(&r, name, p, seed);
	err = err ?: migrate_guest(vf(1));
	if (slow)
		sim_param_set_uint("engine_unit_ms", 0);
	err = err ?: check_caught(name, p);
	err = err ?: finish_run(&r);
	drop_run(&r);
	vf_guest_stop(&guest);
	return err;
}

static void mid_flight(void)
{
	unsigned int n = 0;

	for (int i = 0; workload_list[i]; i++)
		for (enum wl_phase p = 0; p < WL_PHASE_COUNT; p++, n++)
			igt_dynamic_f("%s-%s", workload_list[i]->name, wl_phase_name(p))
				igt_assert_f(!try_mid_flight(workload_list[i]->name, p, SEED + n),
					     "%s\n", why);
}

/* The second migration, from inside the first recovery. */
static int migrations_in_fixup;

static int fixup_then_migrate(struct vf_driver *drv, int64_t shift, void *data)
{
	int err = vf_engine_fixup(drv, shift, data);

	if (err || migrations_in_fixup++)
		return err;
	/* The VM migrates again before its driver sends RESFIX_DONE. */
	return vf_guest_move(&guest, vf(2), NULL);
}

static int check_requeued(void)
{
	uint32_t status = 0;
	int err;

	if (migrations_in_fixup != 2)
		return fail("the fixups ran %d times, expected 2 (RESFIX_DONE should answer VF_MIGRATED after the second migration)",
			    migrations_in_fixup);
	if (guest.vf != vf(2))
		return fail("the guest should run on VF%u now", vf(2)->vf.vf_id);
	if (guest.drv.requeues != 1 || guest.drv.recoveries != 1)
		return fail("%u requeues and %u recoveries, expected 1 and 1",
			    guest.drv.requeues, guest.drv.recoveries);
	if (guest.drv.cfg.ggtt_start != vf(2)->cfg.ggtt_start)
		return fail("the driver's GGTT base %#llx is not VF%u's %#llx",
			    (unsigned long long)guest.drv.cfg.ggtt_start, vf(2)->vf.vf_id,
			    (unsigned long long)vf(2)->cfg.ggtt_start);
	/* The second migration raised its own interrupt, taken by the requeue. */
	err = vf_irq_wait(&guest.vf->dev, guest.efd, XE_SRIOV_SIM_VF_IRQ_MIGRATED, 1000, &status);
	return err ? fail("no MIGRATED interrupt from the second migration: %s",
			  strerror(-err)) : 0;
}

static int try_marker_wrap(void)
{
	static const uint16_t want[] = { 4095, 1, 2 };
	struct run r = { 0 };
	int err;

	err = start_guest(vf(0)) ?: start_run(&r, "seqno", WL_PHASE_QUEUED, SEED ^ 0xfff);
	guest.drv.marker = 4094;
	for (unsigned int i = 0; !err && i < sizeof(want) / sizeof(want[0]); i++) {
		err = migrate_guest(vf((i + 1) % 2));
		if (!err && guest.drv.marker != want[i])
			err = fail("recovery %u used marker %u, expected %u", i + 1,
				   guest.drv.marker, want[i]);
	}
	if (!err && (guest.drv.wedged || guest.drv.recoveries != 3))
		err = fail("%u recoveries, wedged %d", guest.drv.recoveries, guest.drv.wedged);
	err = err ?: finish_run(&r);
	drop_run(&r);
	vf_guest_stop(&guest);
	return err;
}

static int try_double_migration(void)
{
	struct run r = { 0 };
	int err;

	err = start_guest(vf(0)) ?: start_run(&r, "mix", WL_PHASE_SPINNING, SEED ^ 0xd0b1e);
	if (!err && vf_guest_move(&guest, vf(1), NULL))
		err = fail("%s", guest.error);
	if (!err) {
		migrations_in_fixup = 0;
		guest.drv.fixup = fixup_then_migrate;
		if (vf_guest_recover(&guest, NULL))
			err = fail("%s", guest.error);
		guest.drv.fixup = vf_engine_fixup;
	}
	err = err ?: check_requeued();
	err = err ?: finish_run(&r);
	drop_run(&r);
	vf_guest_stop(&guest);
	return err;
}

static int try_submit_in_window(void)
{
	struct run in_flight = { 0 }, late = { 0 };
	uint32_t fence;
	int err;

	err = start_guest(vf(0));
	err = err ?: start_run(&in_flight, "mix", WL_PHASE_SPINNING, SEED ^ 0x5b);
	if (!err && vf_guest_move(&guest, vf(1), NULL))
		err = fail("%s", guest.error);
	fence = vf_engine_seqno(&guest.eng);
	/* The guest submits before it has taken the MIGRATED interrupt. */
	err = err ?: start_run(&late, "seqno", WL_PHASE_RUNNING, SEED ^ 0x5c);
	if (!err) {
		usleep(20000);
		if (vf_engine_seqno(&guest.eng) != fence)
			err = fail("work ran before RESFIX_DONE: fence %u -> %u", fence,
				   vf_engine_seqno(&guest.eng));
	}
	if (!err && vf_guest_recover(&guest, NULL))
		err = fail("%s", guest.error);
	err = err ?: finish_run(&in_flight);
	err = err ?: finish_run(&late);
	drop_run(&in_flight);
	drop_run(&late);
	vf_guest_stop(&guest);
	return err;
}

static void provisioning_change(void)
{
	unsigned int ctxs = vf(2)->cfg.num_ctxs;
	struct vf_engine_fault f = { 0 };
	struct run r = { 0 };
	uint32_t fence, fence_after;
	int err, again;

	sriov_require_cap(&fx, PF_CAP_REPROVISION, "a destination provisioned differently");
	igt_require(ctxs > 1);
	igt_assert_eq(pf_vf_set_contexts_quota(&vf(2)->vf, ctxs - 1), 0);
	err = start_guest(vf(0)) ?: start_run(&r, "seqno", WL_PHASE_SPINNING, SEED ^ 0x9c7);
	igt_assert_f(!err, "%s\n", why);
	err = vf_guest_migrate(&guest, vf(2), NULL);
	igt_info("to a VF with %u contexts instead of %u: %s\n", ctxs - 1, ctxs, guest.error);
	again = vf_driver_recover(&guest.drv, 0);
	/* The engine may not move on: open its gate and give it time. */
	fence = vf_engine_seqno(&guest.eng);
	wl_gate_open(&guest.drv, &r.gate);
	usleep(50000);
	fence_after = vf_engine_seqno(&guest.eng);
	vf_engine_read_fault(&guest.eng, &f);
	/* Undo before asserting: the other subtests use VF3. */
	drop_run(&r);
	vf_guest_stop(&guest);
	igt_assert_eq(vfio_dev_reset(&vf(2)->dev), 0);
	igt_assert_eq(pf_vf_set_contexts_quota(&vf(2)->vf, ctxs), 0);

	igt_assert_f(err == -EREMCHG, "recovery: %s, expected EREMCHG\n", strerror(-err));
	igt_assert_f(again == -EIO, "a wedged VF recovered again: %s\n", strerror(-again));
	igt_assert_f(f.state == XE_SRIOV_SIM_ENGINE_STATE_PAUSED,
		     "the engine should be held (PAUSED), ENGINE_STATUS %#x\n", f.status);
	igt_assert_f(fence_after == fence, "work ran on the refused VF: fence %u -> %u\n", fence,
		     fence_after);
}

static void no_fixups_faults(void)
{
	uint64_t old_base = vf(0)->cfg.ggtt_start, size = vf(0)->cfg.ggtt_size;
	struct vf_engine_fault f;
	struct run r;
	int err;

	igt_assert_f(!start_guest(vf(0)) &&
		     !start_run(&r, "batch-chain", WL_PHASE_SPINNING, SEED ^ 0xfa17), "%s\n", why);
	err = vf_guest_move(&guest, vf(1), NULL);
	igt_assert_f(!err, "%s\n", guest.error);
	guest.drv.fixup = NULL;	/* the RESFIX handshake alone */
	err = vf_guest_recover(&guest, NULL);
	igt_assert_f(!err, "%s\n", guest.error);
	wl_gate_open(&guest.drv, &r.gate);
	err = vf_engine_wait_seqno(&guest.eng, r.w->done_seqno, DONE_TIMEOUT_MS);
	igt_assert_f(err == -EIO, "without fixups the engine should fault, got %s (%s)\n",
		     strerror(-err), guest.eng.error);
	igt_info("without fixups: %s\n", guest.eng.error);
	igt_assert_eq(vf_engine_read_fault(&guest.eng, &f), 0);
	igt_assert_f(f.state == XE_SRIOV_SIM_ENGINE_STATE_HUNG &&
		     f.reason == XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE,
		     "expected HUNG with OUT_OF_SLICE, got %s\n", guest.eng.error);
	igt_assert_f(f.addr >= old_base && f.addr < old_base + size,
		     "fault address %#llx is not in the source's slice %#llx+%#llx\n",
		     (unsigned long long)f.addr, (unsigned long long)old_base,
		     (unsigned long long)size);
	igt_assert_f(f.irq_status & XE_SRIOV_SIM_VF_IRQ_ERROR, "no ERROR interrupt (%#x)\n",
		     f.irq_status);
	drop_run(&r);
	vf_guest_stop(&guest);
}

static int mix_spinning(void)
{
	return try_mid_flight("mix", WL_PHASE_SPINNING, SEED ^ 0x91a7);
}

/* A planted fault and the check that must report it. */
static const struct {
	const char *fault;
	int (*check)(void);
} planted_checks[] = {
	{ "cmd-lost", mix_spinning },
	{ "cmd-replay", mix_spinning },
	{ "no-irq", mix_spinning },
	{ "marker-kept", try_double_migration },
	{ "marker-ignored", try_double_migration },
};

static void planted_one(const char *fault, int (*check)(void))
{
	int err, caught;

	igt_assert_f(!check(), "without a fault: %s\n", why);
	err = sim_fault_plant(fault);
	igt_assert_f(!err, "cannot plant %s: %s\n", fault, strerror(-err));
	caught = check();
	sim_defaults(0);
	for (int i = 0; i < NUM_VFS; i++)	/* what the fault left behind */
		igt_assert_eq(vfio_dev_reset(&vf(i)->dev), 0);
	igt_assert_f(caught, "%s planted, but the check passed\n", fault);
	igt_info("%s caught: %s\n", fault, why);
}

static void planted(void)
{
	sriov_require_cap(&fx, PF_CAP_FAULTS, "planting recovery defects");
	for (size_t i = 0; i < sizeof(planted_checks) / sizeof(planted_checks[0]); i++)
		igt_dynamic(planted_checks[i].fault)
			planted_one(planted_checks[i].fault, planted_checks[i].check);
}

int igt_main()
{
	igt_fixture() {
		int err = sriov_fixture_init(&fx);

		igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
		sriov_require_cap(&fx, PF_CAP_SIM_ENGINE | PF_CAP_SIM_VF_REGS,
				  "work on the sim's engine, recovered through its mailbox");
		igt_require_f(!sriov_fixture_enable(&fx, 0, NUM_VFS),
			      "cannot enable %d VFs on %s\n", NUM_VFS, fx.pfs[0].name);
		if (sriov_has_cap(&fx, PF_CAP_SIM_PARAMS))
			igt_install_exit_handler(sim_defaults);
	}

	igt_describe("Every workload in every phase, migrated and recovered with fixups.");
	igt_subtest_with_dynamic("mid-flight")
		mid_flight();

	igt_describe("Migrated again between RESFIX_START and RESFIX_DONE.");
	igt_subtest("double-migration")
		igt_assert_f(!try_double_migration(), "%s\n", why);

	igt_describe("Work submitted between the switch and the recovery runs once, fixed up.");
	igt_subtest("submit-in-window")
		igt_assert_f(!try_submit_in_window(), "%s\n", why);

	igt_describe("A destination with another context count is refused: EREMCHG, wedged.");
	igt_subtest("provisioning-change")
		provisioning_change();

	igt_describe("Without the engine fixups the engine faults OUT_OF_SLICE.");
	igt_subtest("no-fixups-faults")
		no_fixups_faults();

	igt_describe("The RESFIX marker wraps from 4095 to 1 across recoveries, never 0.");
	igt_subtest("marker-wrap")
		igt_assert_f(!try_marker_wrap(), "%s\n", why);

	igt_describe("Each planted engine or recovery defect is reported by its check.");
	igt_subtest_with_dynamic("planted")
		planted();

	igt_fixture() {
		vf_guest_stop(&guest);
		sriov_fixture_disable(&fx, -1);
	}
}
