// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_sim_ccs
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: compression metadata across migration
 * Description: Surfaces the engine compressed before a migration resolve
 *	to their original bytes after it, the way xe moves compression
 *	metadata (CCS) on each platform flavour, which the test asks the
 *	PF backend for:
 *	- dgfx (flat CCS on a discrete GPU, like Battlemage): the PF saves
 *	  VRAM decompressed (xe_migrate_vram_copy_chunk) and no CCS travels;
 *	  the surface arrives uncompressed and reads back equal.
 *	- igfx (flat CCS on an integrated GPU, like Panther Lake): no VRAM in
 *	  the stream; the VF driver's CCS save/restore contexts, registered
 *	  with the GuC (xe_sriov_vf_ccs.c), carry the CCS through the VM's
 *	  memory; the surface arrives still compressed.
 *	On xe_sriov_sim a PF without VFs can be switched to the flavour
 *	wanted (pf<N>/flavour), and is switched back afterwards.
 *
 * SUBTEST: preserved
 * Run type: BAT
 * Description: The ccs workload compresses, waits on a gate, migrates
 *	(one dynamic subtest per flavour and route: one hop, a round trip,
 *	four hops over three VFs, and two hops where the second leaves
 *	before the fixups of the first), then resolves and ctrl-surf-copies on the
 *	destination: the resolved bytes are the original ones, and every
 *	block is in its flavour's form: decompressed with CCS 0 (dgfx) or
 *	compressed with its CCS (igfx).
 *
 * SUBTEST: stream
 * Run type: BAT
 * Description: The stream a VF with a compressed surface saves, one
 *	dynamic subtest per flavour: dgfx: VRAM chunks only inside the LMEM
 *	(no offset at or past its size: no CCS tail) and the surface in them
 *	as its original, decompressed bytes; igfx: no VRAM packet at all.
 *	The VF then resumes and its workload still verifies.
 *
 * SUBTEST: lmem-resolved
 * Run type: BAT
 * Description: A dgfx PF saves compressed VRAM decompressed, as xe's
 *	xe_migrate_vram_copy_chunk() on a flat-CCS Xe2 dGPU: LMEM filled
 *	from a seed with nonzero CCS bytes (one per 256, through the sim's
 *	debugfs ccs file, which no BAR maps) arrives as its decompressed
 *	bytes with every CCS byte 0 (was xe_sriov_migration_data@ccs).
 *
 * SUBTEST: dropped-detected
 * Run type: BAT
 * Description: With xe_sriov_sim's fault ccs-drop planted for one
 *	migration (dgfx: the save does not decompress, so the destination
 *	gets compressed bytes without their CCS; igfx: the GuC skips the
 *	restore batch), the verifier must report the lost metadata, one
 *	dynamic subtest per flavour. The fault is set back to none after the
 *	migration and in an exit handler.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "pf_backend.h"
#include "sim_pf.h"
#include "sriov_fixture.h"
#include "uapi/xe_sriov_packet.h"
#include "uapi/xe_sriov_sim_faults.h"
#include "vf_ccs.h"
#include "vf_guest.h"
#include "vfio_migrate.h"
#include "vf_state.h"
#include "vf_guc.h"
#include "wl_phase.h"
#include "workload.h"
#include "xe_stream.h"

IGT_TEST_DESCRIPTION("CCS (compression metadata) moves with the VF as xe moves it, per flavour, and its loss is seen.");

#define NUM_VFS		3
#define SCALE		4	/* 64 compressed blocks */
#define DONE_TIMEOUT_MS	20000

static struct sriov_fixture fx;
static struct vf_guest guest;
static char msg[1024];
/* The PF the VFs are on, and a PF whose flavour this test switched. */
static int cur_pf = -1, switched_pf = -1;
static bool switched_from;

static const char *flavour_name(bool igfx)
{
	return igfx ? "igfx" : "dgfx";
}

static struct sriov_vf *vf(int i)
{
	return &fx.vfs[cur_pf][i];
}

/* Back to the flavour the PF had; its VFs go first (it must have none). */
static void restore_flavour(int sig)
{
	if (switched_pf < 0)
		return;
	vf_guest_stop(&guest);
	sriov_fixture_disable(&fx, switched_pf);
	if (cur_pf == switched_pf)
		cur_pf = -1;
	if (pf_set_flavour(&fx.pfs[switched_pf], switched_from))
		igt_warn("could not set %s back to %s\n", fx.pfs[switched_pf].name,
			 flavour_name(switched_from));
	switched_pf = -1;
}

/*
 * VFs on a PF of the flavour: one that has it, else (sim) the last PF,
 * switched to it while it has no VF. Skips when neither is possible.
 */
static void use_flavour(bool igfx)
{
	int p = -1, err;

	if (cur_pf >= 0 && fx.pfs[cur_pf].igfx == igfx)
		return;
	vf_guest_stop(&guest);
	if (cur_pf >= 0)
		sriov_fixture_disable(&fx, cur_pf);
	cur_pf = -1;
	for (int i = 0; i < fx.n_pfs && p < 0; i++)
		if (fx.pfs[i].igfx == igfx)
			p = i;
	if (p < 0) {
		p = fx.n_pfs - 1;
		if (switched_pf < 0) {
			switched_pf = p;
			switched_from = fx.pfs[p].igfx;
			igt_install_exit_handler(restore_flavour);
		}
		err = pf_set_flavour(&fx.pfs[p], igfx);
		igt_require_f(err != -EOPNOTSUPP, "no %s PF, and %s's flavour is the hardware's\n",
			      flavour_name(igfx), fx.pfs[p].name);
		igt_assert_f(!err, "%s to %s: %s\n", fx.pfs[p].name, flavour_name(igfx),
			     strerror(-err));
	}
	igt_require_f(!sriov_fixture_enable(&fx, p, NUM_VFS), "cannot enable %d VFs on %s\n",
		      NUM_VFS, fx.pfs[p].name);
	cur_pf = p;
	igt_info("%s: %s\n", fx.pfs[p].name, flavour_name(igfx));
}

/* Compress, then park the engine on the gate before resolving. */
static struct workload *start_ccs(uint64_t seed, struct wl_gate *gate)
{
	struct workload *w;
	int err;

	vf_guest_stop(&guest);
	err = vf_guest_start(&guest, vf(0), 0);
	igt_assert_f(!err, "%s\n", guest.error);
	igt_assert_eq(!!guest.drv.ccs, fx.pfs[cur_pf].igfx);
	err = workload_create("ccs", &guest.drv, &guest.eng, seed, SCALE, &w);
	err = err ?: workload_prepare(w);
	err = err ?: wl_gate_create(&guest.drv, gate);
	igt_assert_f(!err, "ccs workload: %s\n", strerror(-err));
	err = wl_phase_start(w, gate, WL_PHASE_SPINNING);
	igt_assert_f(!err, "ccs workload: %s\n", guest.eng.error);
	if (fx.pfs[cur_pf].igfx)
		igt_debug("%u buffers in the CCS batches\n", vf_ccs_attached(&guest.drv));
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

/* Every block in the form the flavour leaves after at least one hop. */
static void check_forms(struct workload *w, int hops)
{
	unsigned int kept, plain;
	bool igfx = fx.pfs[cur_pf].igfx;

	igt_assert_eq(wl_ccs_forms(w, &kept, &plain), 0);
	igt_info("%s, %d hops: %u blocks compressed, %u decompressed\n", flavour_name(igfx),
		 hops, kept, plain);
	if (igfx)
		igt_assert_f(!plain, "igfx: %u blocks arrived decompressed: the CCS batches did not carry their CCS\n",
			     plain);
	else
		igt_assert_f(!kept, "dgfx: %u blocks arrived still compressed: a dgfx save decompresses VRAM\n",
			     kept);
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
	check_forms(w, n);
	workload_destroy(w);
	vf_guest_stop(&guest);
}

/*
 * Migrated on before its fixups: the first destination never ran its
 * restore batch, so its CCS is not back when it is paused again.
 */
static void preserved_before_fixups(uint64_t seed)
{
	struct wl_gate gate;
	struct workload *w = start_ccs(seed, &gate);
	int err;

	err = vf_guest_move(&guest, vf(1), NULL);
	igt_assert_f(!err, "%s\n", guest.error);
	hop(vf(2));
	err = finish_ccs(w, &gate);
	igt_assert_f(!err, "migrated again before the fixups (seed %#llx): %s\n",
		     (unsigned long long)seed, msg);
	check_forms(w, 2);
	workload_destroy(w);
	vf_guest_stop(&guest);
}

static void preserved(void)
{
	static const int one[] = { 1 }, back[] = { 1, 0 }, chain[] = { 1, 2, 0, 1 };

	for (int igfx = 0; igfx < 2; igfx++) {
		const char *f = flavour_name(igfx);
		char name[32];

		snprintf(name, sizeof(name), "%s-one-hop", f);
		igt_dynamic(name) {
			use_flavour(igfx);
			preserved_route(one, 1, 0xcc5001);
		}
		snprintf(name, sizeof(name), "%s-round-trip", f);
		igt_dynamic(name) {
			use_flavour(igfx);
			preserved_route(back, 2, 0xcc5002);
		}
		snprintf(name, sizeof(name), "%s-four-hops", f);
		igt_dynamic(name) {
			use_flavour(igfx);
			preserved_route(chain, 4, 0xcc5003);
		}
		snprintf(name, sizeof(name), "%s-before-fixups", f);
		igt_dynamic(name) {
			use_flavour(igfx);
			preserved_before_fixups(0xcc5004);
		}
	}
}

/* The stream of the VF of @g, saved through the PF's debugfs. */
static void check_saved_stream(struct vf_guest *g, struct workload *w)
{
	struct sriov_vf *v = g->vf;
	bool igfx = fx.pfs[cur_pf].igfx;
	const uint8_t *orig;
	struct xe_stream s;
	struct xe_stream_error e;
	uint64_t off, vram = 0;
	uint32_t bytes;
	uint8_t *buf;
	size_t len;
	bool seen = false;

	igt_assert_eq(wl_ccs_surface(w, &off, &bytes, &orig), 0);
	igt_assert_eq(pf_vf_control(&v->vf, PF_VF_PAUSE), 0);
	igt_assert_eq(pf_vf_save(&v->vf, &buf, &len), 0);
	igt_assert_eq(pf_vf_control(&v->vf, PF_VF_RESUME), 0);
	igt_assert_f(!xe_stream_parse(buf, len, &s, &e), "parse: at %llu: %s\n",
		     (unsigned long long)e.pos, e.msg);
	for (size_t i = 0; i < s.count; i++) {
		const struct xe_stream_packet *p = &s.pkts[i];
		uint64_t lo, hi;

		if (p->hdr.type != XE_SRIOV_PACKET_TYPE_VRAM)
			continue;
		igt_assert_f(!igfx, "igfx: a VRAM packet (offset %#llx, %llu bytes)\n",
			     (unsigned long long)p->hdr.offset, (unsigned long long)p->hdr.size);
		igt_assert_f(p->hdr.offset < v->cfg.lmem_size &&
			     p->hdr.size <= v->cfg.lmem_size - p->hdr.offset,
			     "dgfx: VRAM chunk [%#llx, +%#llx) passes the LMEM (%#llx): a CCS tail?\n",
			     (unsigned long long)p->hdr.offset, (unsigned long long)p->hdr.size,
			     (unsigned long long)v->cfg.lmem_size);
		vram += p->hdr.size;
		/* The part of the compressed surface in this chunk: decompressed. */
		lo = off > p->hdr.offset ? off : p->hdr.offset;
		hi = off + bytes < p->hdr.offset + p->hdr.size ? off + bytes :
								 p->hdr.offset + p->hdr.size;
		for (uint64_t a = lo; a < hi; a++) {
			seen = true;
			igt_assert_f(p->payload[a - p->hdr.offset] == orig[a - off],
				     "dgfx: surface byte %llu in the stream is %#x, expected the decompressed %#x\n",
				     (unsigned long long)(a - off), p->payload[a - p->hdr.offset],
				     orig[a - off]);
		}
	}
	if (!igfx) {
		igt_assert_f(vram == v->cfg.lmem_size, "dgfx: %llu VRAM bytes, the LMEM is %llu\n",
			     (unsigned long long)vram, (unsigned long long)v->cfg.lmem_size);
		igt_assert_f(seen, "dgfx: the compressed surface is in no VRAM chunk\n");
	}
	igt_info("%s: %zu bytes, %llu of VRAM\n", flavour_name(igfx), len,
		 (unsigned long long)vram);
	xe_stream_free(&s);
	free(buf);
}

static void stream(void)
{
	for (int igfx = 0; igfx < 2; igfx++) {
		igt_dynamic(flavour_name(igfx)) {
			struct wl_gate gate;
			struct workload *w;
			int err;

			use_flavour(igfx);
			w = start_ccs(0xcc55a0 + igfx, &gate);
			check_saved_stream(&guest, w);
			err = finish_ccs(w, &gate);
			igt_assert_f(!err, "after the save: %s\n", msg);
			workload_destroy(w);
			vf_guest_stop(&guest);
		}
	}
}

static void dropped_one(void)
{
	struct wl_gate gate;
	struct workload *w;
	int err;

	w = start_ccs(0xcc5d0d, &gate);
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

static void dropped_detected(void)
{
	sriov_require_cap(&fx, PF_CAP_FAULTS, "planting a dropped CCS");
	igt_require_f(access(XE_SRIOV_SIM_FAULT_PARAM, W_OK) == 0, "no %s\n",
		      XE_SRIOV_SIM_FAULT_PARAM);
	igt_install_exit_handler(sim_fault_unplant);
	for (int igfx = 0; igfx < 2; igfx++) {
		igt_dynamic(flavour_name(igfx)) {
			use_flavour(igfx);
			dropped_one();
		}
	}
}

/* Was xe_sriov_migration_data@ccs: a dgfx VF's compressed LMEM, resolved by the save. */
static void lmem_resolved(void)
{
	struct sriov_vf *a, *b;
	struct vf_guc_config cfg;
	struct vfio_migrate_result r;
	struct vfio_migrate_opts o = { 0 };
	struct vf_state want, got_st;
	uint8_t *ccs, *got;
	size_t len;
	int err;

	sriov_require_cap(&fx, PF_CAP_SIM_CCS | PF_CAP_SIM_VF_REGS,
			  "writing and reading the CCS of a dgfx VF's LMEM");
	vf_guest_stop(&guest);
	use_flavour(false);
	a = vf(0);
	b = vf(1);
	len = a->cfg.lmem_size / 256;
	ccs = malloc(len);
	got = calloc(1, len);
	igt_assert(ccs && got);
	for (size_t i = 0; i < len; i++)
		ccs[i] = (uint8_t)(i * 31 + 7) | 1;
	igt_assert_eq(vfio_dev_reset(&a->dev), 0);
	igt_assert_eq(vfio_dev_reset(&b->dev), 0);
	igt_assert_eq(vf_state_fill(&a->dev, sriov_vf_n_ptes(a), 0xcc5), 0);
	igt_assert_eq(pf_sim_vf_ccs_write(&a->vf, ccs, len), 0);
	igt_assert_eq(vf_state_capture_resolved(&a->dev, sriov_vf_n_ptes(a), ccs, &want), 0);
	err = vfio_migrate(&a->dev, &b->dev, &o, &r);
	igt_assert_f(!err, "VF%u -> VF%u: %s\n", a->vf.vf_id, b->vf.vf_id, strerror(-err));
	/* Compressed on the source, plain on the destination: the same bytes. */
	igt_assert_eq(vf_state_capture(&b->dev, sriov_vf_n_ptes(b), &got_st), 0);
	igt_assert_f(vf_state_equal(&want, &got_st, b->vf.vf_id, msg, sizeof(msg)),
		     "VF%u after migration:\n%s", b->vf.vf_id, msg);
	vf_state_free(&got_st);
	vf_state_free(&want);
	err = vf_guc_recover(&b->dev, 0x5cc, &cfg);
	igt_assert_f(!err, "VF%u recovery: %s\n", b->vf.vf_id, strerror(-err));
	igt_assert_eq(pf_sim_vf_ccs_read(&b->vf, got, len), 0);
	for (size_t i = 0; i < len; i++)
		igt_assert_f(got[i] == 0,
			     "CCS byte %zu (LMEM %#zx): %#x, expected 0 (restored uncompressed)\n",
			     i, i * 256, got[i]);
	free(ccs);
	free(got);
}

int igt_main()
{
	igt_fixture() {
		int err = sriov_fixture_init(&fx);

		igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
		sriov_require_cap(&fx, PF_CAP_SIM_ENGINE | PF_CAP_SIM_CCS | PF_CAP_SIM_VF_REGS,
				  "compressed surfaces written by the sim's engine");
	}

	igt_describe("Compressed before, resolved after, in each flavour's form: bytes and CCS as the reference.");
	igt_subtest_with_dynamic("preserved")
		preserved();

	igt_describe("dgfx streams carry VRAM decompressed and no CCS tail; igfx streams no VRAM.");
	igt_subtest_with_dynamic("stream")
		stream();

	igt_describe("A dgfx VF's compressed LMEM arrives decompressed, its CCS 0.");
	igt_subtest("lmem-resolved")
		lmem_resolved();

	igt_describe("A migration that drops the CCS is reported by the verifier, in each flavour.");
	igt_subtest_with_dynamic("dropped-detected")
		dropped_detected();

	igt_fixture() {
		restore_flavour(0);
		vf_guest_stop(&guest);
		sriov_fixture_disable(&fx, -1);
	}
}
