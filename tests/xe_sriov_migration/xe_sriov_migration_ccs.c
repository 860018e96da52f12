// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_migration_ccs
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: compression metadata across migration
 * Description: Surfaces the engine compressed before a migration keep
 *	their compression metadata (CCS, which no BAR maps) on the
 *	destination: the engine resolves them there to the original bytes
 *	and copies out CCS bytes equal to the CPU reference. A migration
 *	that drops the CCS is caught by the same verifier.
 *
 * SUBTEST: preserved
 * Run type: BAT
 * Description: The ccs workload compresses, waits on a gate, migrates
 *	(one dynamic subtest per route: one hop, a round trip, a chain over
 *	three VFs), then resolves and ctrl-surf-copies on the destination;
 *	bytes and CCS match the CPU reference.
 *
 * SUBTEST: dropped-detected
 * Run type: BAT
 * Description: With xe_sriov_sim's fault ccs-drop planted for one
 *	migration (the saved CCS chunks are zeros), the verifier must report
 *	the lost metadata. The fault is set back to none after the migration
 *	and in an exit handler.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "sim_pf.h"
#include "sriov_fixture.h"
#include "uapi/xe_sriov_sim_faults.h"
#include "vf_guest.h"
#include "wl_phase.h"
#include "workload.h"

IGT_TEST_DESCRIPTION("CCS (compression metadata) moves with the VF and its loss is seen.");

#define NUM_VFS		3
#define SCALE		4	/* 64 compressed blocks */
#define DONE_TIMEOUT_MS	20000

static struct sriov_fixture fx;
static struct vf_guest guest;
static char msg[1024];

static struct sriov_vf *vf(int i)
{
	return &fx.vfs[0][i];
}

/* Compress, then park the engine on the gate before resolving. */
static struct workload *start_ccs(uint64_t seed, struct wl_gate *gate)
{
	struct workload *w;
	int err;

	vf_guest_stop(&guest);
	err = vf_guest_start(&guest, vf(0), 0);
	igt_assert_f(!err, "%s\n", guest.error);
	err = workload_create("ccs", &guest.drv, &guest.eng, seed, SCALE, &w);
	err = err ?: workload_prepare(w);
	err = err ?: wl_gate_create(&guest.drv, gate);
	igt_assert_f(!err, "ccs workload: %s\n", strerror(-err));
	err = wl_phase_start(w, gate, WL_PHASE_SPINNING);
	igt_assert_f(!err, "ccs workload: %s\n", guest.eng.error);
	return w;
}

static void hop(struct sriov_vf *dst)
{
	int err = vf_guest_migrate(&guest, dst, NULL);

	igt_assert_f(!err, "%s\n", guest.error);
}

/* Open the gate, run resolve and ctrl-surf-copy; the verifier's verdict. */
static int finish_ccs(struct workload *w, struct wl_gate *gate)
{
	int err;

	err = wl_phase_release(w, gate);
	err = err ?: vf_engine_wait_seqno(&guest.eng, w->done_seqno, DONE_TIMEOUT_MS);
	igt_assert_f(!err, "%s\n", guest.eng.error);
	igt_assert_f(!vf_engine_check_healthy(&guest.eng), "%s\n", guest.eng.error);
	return workload_verify(w, msg, sizeof(msg));
}

static void preserved_route(const int *route, int n, uint64_t seed)
{
	struct wl_gate gate;
	struct workload *w = start_ccs(seed, &gate);
	int err;

	for (int i = 0; i < n; i++)
		hop(vf(route[i]));
	err = finish_ccs(w, &gate);
	igt_assert_f(!err, "after %d hops (seed %#llx): %s\n", n, (unsigned long long)seed, msg);
	workload_destroy(w);
	vf_guest_stop(&guest);
}

static void preserved(void)
{
	static const int one[] = { 1 }, back[] = { 1, 0 }, chain[] = { 1, 2, 0, 1 };

	igt_dynamic("one-hop")
		preserved_route(one, 1, 0xcc5001);
	igt_dynamic("round-trip")
		preserved_route(back, 2, 0xcc5002);
	igt_dynamic("three-vfs")
		preserved_route(chain, 4, 0xcc5003);
}

static void dropped_detected(void)
{
	struct wl_gate gate;
	struct workload *w;
	int err;

	igt_require_f(fx.ops == &pf_backend_sim, "fault injection is xe_sriov_sim's\n");
	igt_require_f(access(XE_SRIOV_SIM_FAULT_PARAM, W_OK) == 0, "no %s\n",
		      XE_SRIOV_SIM_FAULT_PARAM);
	w = start_ccs(0xcc5d0d, &gate);
	igt_install_exit_handler(sim_fault_unplant);
	igt_assert_eq(sim_fault_plant("ccs-drop"), 0);
	err = vf_guest_migrate(&guest, vf(1), NULL);
	sim_fault_unplant(0);
	igt_assert_f(!err, "%s\n", guest.error);
	err = finish_ccs(w, &gate);
	igt_assert_f(err == -EBADMSG, "the verifier missed the dropped CCS (%s)\n",
		     err ? msg : "it passed");
	igt_assert_f(strstr(msg, "CCS") || strstr(msg, "metadata"),
		     "the report does not point at the CCS: %s\n", msg);
	igt_info("detected: %s\n", msg);
	workload_destroy(w);
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

	igt_describe("Compressed before, resolved after: bytes and CCS as the reference.");
	igt_subtest_with_dynamic("preserved")
		preserved();

	igt_describe("A migration that drops the CCS is reported by the verifier.");
	igt_subtest("dropped-detected")
		dropped_detected();

	igt_fixture() {
		vf_guest_stop(&guest);
		sriov_fixture_disable(&fx, -1);
	}
}
