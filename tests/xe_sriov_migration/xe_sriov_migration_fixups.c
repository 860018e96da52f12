// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_migration_fixups
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
 *	head; running, migrated right after the kick; spinning, paused on
 *	a gate in the middle of the work, 3 batch levels deep for
 *	batch-chain) migrated VF1 -> VF2 and recovered with the engine
 *	fixups: results verified, the engine never faulted. One dynamic
 *	subtest per <workload>-<phase>.
 *
 * SUBTEST: double-migration
 * Run type: BAT
 * Description: The guest migrates again between RESFIX_START and
 *	RESFIX_DONE (after its fixups): RESFIX_DONE answers VF_MIGRATED, the
 *	recovery requeues on the new VF (its MIGRATED interrupt raised),
 *	fixes up by the second shift and completes; the mix workload paused
 *	on its gate then finishes correctly.
 *
 * SUBTEST: no-fixups-faults
 * Run type: BAT
 * Description: The same recovery with the engine fixups skipped on
 *	purpose: the engine must hang with OUT_OF_SLICE at an address of
 *	the source's GGTT slice and raise the ERROR interrupt, proving the
 *	fixups matter (and that a stale address cannot reach another VF).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "igt.h"
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

static struct sriov_fixture fx;
static struct vf_guest guest;
static char msg[1024];

/* A workload on the guest, with its gate. */
struct run {
	struct workload *w;
	struct wl_gate gate;
	uint64_t seed;
};

static struct sriov_vf *vf(int i)
{
	return &fx.vfs[0][i];
}

static void start_guest(struct sriov_vf *on)
{
	int err;

	vf_guest_stop(&guest);	/* what a failed subtest left */
	err = vf_guest_start(&guest, on, 0);

	igt_assert_f(!err, "%s\n", guest.error);
}

static void start_run(struct run *r, const char *name, enum wl_phase p, uint64_t seed)
{
	int err;

	r->seed = seed;
	err = workload_create(name, &guest.drv, &guest.eng, seed, SCALE, &r->w);
	igt_assert_f(!err, "workload %s: %s\n", name, strerror(-err));
	err = workload_prepare(r->w);
	err = err ?: wl_gate_create(&guest.drv, &r->gate);
	igt_assert_f(!err, "%s: prepare: %s\n", name, strerror(-err));
	err = wl_phase_start(r->w, &r->gate, p);
	igt_assert_f(!err, "%s-%s (seed %#llx): %s: %s\n", name, wl_phase_name(p),
		     (unsigned long long)seed, strerror(-err), guest.eng.error);
}

/* Open the gate, wait for the last fence, verify, require a healthy engine. */
static void finish_run(struct run *r)
{
	const char *name = r->w->ops->name;
	int err;

	wl_gate_open(&guest.drv, &r->gate);
	err = vf_engine_wait_seqno(&guest.eng, r->w->done_seqno, DONE_TIMEOUT_MS);
	igt_assert_f(!err, "%s (seed %#llx): %s\n", name, (unsigned long long)r->seed,
		     guest.eng.error);
	err = workload_verify(r->w, msg, sizeof(msg));
	igt_assert_f(!err, "%s (seed %#llx): %s\n", name, (unsigned long long)r->seed, msg);
	igt_assert_f(!vf_engine_check_healthy(&guest.eng), "%s\n", guest.eng.error);
	workload_destroy(r->w);
	r->w = NULL;
}

static void migrate_guest(struct sriov_vf *dst)
{
	struct vf_guest_hop hop;
	int err = vf_guest_migrate(&guest, dst, &hop);

	igt_assert_f(!err, "%s\n", guest.error);
	igt_debug("hop to VF%u: %llu bytes, downtime %.3f ms (VFIO %.3f, recovery %.3f); fixups: %u ring commands, %u+%u operands, %u batches, %u active levels%s\n",
		  dst->vf.vf_id, (unsigned long long)hop.mig.data.bytes, hop.downtime_ns / 1e6,
		  hop.mig.downtime_ns / 1e6, hop.recover_ns / 1e6, guest.eng.fixup.ring_commands,
		  guest.eng.fixup.ring_addrs, guest.eng.fixup.batch_addrs,
		  guest.eng.fixup.batches, guest.eng.fixup.active_levels,
		  guest.eng.fixup.chain_checked ? " (chain checked)" : "");
}

/* Where the engine must have been held, for the phases that say. */
static void check_caught(const char *name, enum wl_phase p)
{
	const struct vf_engine_fixup_stats *s = &guest.eng.fixup;

	if (p == WL_PHASE_RUNNING)
		return;
	igt_assert_f(s->ring_commands > 0, "%s-%s: nothing was pending at the migration\n",
		     name, wl_phase_name(p));
	if (p == WL_PHASE_QUEUED)
		igt_assert_eq(s->active_levels, 0);
	if (p == WL_PHASE_SPINNING && !strcmp(name, "batch-chain"))
		igt_assert_f(s->active_levels == 3 && s->chain_checked,
			     "batch-chain paused %u levels deep (chain %s), expected 3\n",
			     s->active_levels, s->chain_checked ? "checked" : "not checked");
}

static void mid_flight_one(const char *name, enum wl_phase p, uint64_t seed)
{
	struct run r;

	start_guest(vf(0));
	start_run(&r, name, p, seed);
	igt_assert_neq_u64(vf(0)->cfg.ggtt_start, vf(1)->cfg.ggtt_start);
	migrate_guest(vf(1));
	check_caught(name, p);
	finish_run(&r);
	vf_guest_stop(&guest);
}

static void mid_flight(void)
{
	unsigned int n = 0;

	for (int i = 0; workload_list[i]; i++)
		for (enum wl_phase p = 0; p < WL_PHASE_COUNT; p++, n++)
			igt_dynamic_f("%s-%s", workload_list[i]->name, wl_phase_name(p))
				mid_flight_one(workload_list[i]->name, p, SEED + n);
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

static void double_migration(void)
{
	struct run r;
	uint32_t status = 0;
	int err;

	start_guest(vf(0));
	start_run(&r, "mix", WL_PHASE_SPINNING, SEED ^ 0xd0b1e);
	err = vf_guest_move(&guest, vf(1), NULL);
	igt_assert_f(!err, "%s\n", guest.error);
	migrations_in_fixup = 0;
	guest.drv.fixup = fixup_then_migrate;
	err = vf_guest_recover(&guest, NULL);
	guest.drv.fixup = vf_engine_fixup;
	igt_assert_f(!err, "%s\n", guest.error);
	igt_assert_eq(migrations_in_fixup, 2);
	igt_assert_f(guest.vf == vf(2), "the guest should run on VF%u now\n", vf(2)->vf.vf_id);
	igt_assert_eq(guest.drv.requeues, 1);
	igt_assert_eq(guest.drv.recoveries, 1);
	igt_assert_eq_u64(guest.drv.cfg.ggtt_start, vf(2)->cfg.ggtt_start);
	/* The second migration raised its own interrupt, taken by the requeue. */
	err = vf_irq_wait(&guest.vf->dev, guest.efd, XE_SRIOV_SIM_VF_IRQ_MIGRATED, 1000, &status);
	igt_assert_f(!err, "no MIGRATED interrupt from the second migration: %s\n",
		     strerror(-err));
	finish_run(&r);
	vf_guest_stop(&guest);
}

static void no_fixups_faults(void)
{
	uint64_t old_base = vf(0)->cfg.ggtt_start, size = vf(0)->cfg.ggtt_size;
	struct vf_engine_fault f;
	struct run r;
	int err;

	start_guest(vf(0));
	start_run(&r, "batch-chain", WL_PHASE_SPINNING, SEED ^ 0xfa17);
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
	workload_destroy(r.w);
	vf_guest_stop(&guest);
}

int igt_main()
{
	igt_fixture() {
		int err = sriov_fixture_init(&fx);

		igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
		igt_require_f(!sriov_fixture_enable(&fx, 0, NUM_VFS),
			      "cannot enable %d VFs on %s\n", NUM_VFS, fx.pfs[0].name);
	}

	igt_describe("Every workload in every phase, migrated and recovered with fixups.");
	igt_subtest_with_dynamic("mid-flight")
		mid_flight();

	igt_describe("Migrated again between RESFIX_START and RESFIX_DONE.");
	igt_subtest("double-migration")
		double_migration();

	igt_describe("Without the engine fixups the engine faults OUT_OF_SLICE.");
	igt_subtest("no-fixups-faults")
		no_fixups_faults();

	igt_fixture() {
		vf_guest_stop(&guest);
		sriov_fixture_disable(&fx, -1);
	}
}
