// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_sim_engine
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: xe_sriov_sim engine model
 * Description: The command engine xe_sriov_sim gives each VF, checked
 *	from the VF's side (VFIO: BAR0 registers, BAR2 LMEM, the MSI) and
 *	through the sim's own debugfs (sriov/vf<id>/engine, ccs) and module
 *	parameters: the commands and their exact effects, batches, the pause
 *	and its context image, every fault reason, random rings, PF controls
 *	racing submissions, and the engine section of the GUC packet. The
 *	migration tests build on this engine; these subtests pin its
 *	behaviour down on its own. Needs xe_sriov_sim (skips on xe).
 *	--extended runs the random and racing subtests longer.
 *
 * SUBTEST: commands
 * Run type: BAT
 * Description: STORE_DWORD, STORE_SEQNO, NOOP and USER_INTERRUPT do
 *	exactly what they say once the doorbell rings, and nothing before:
 *	RING_TAIL alone starts nothing. RING_HEAD reaches the tail; the USER
 *	interrupt sets its status bit and fires the MSI; debugfs counts the
 *	commands and the last seqno. A command straddling the ring's end
 *	wraps. RING_START bits 11:0 and CONTEXT bits 5:0 read 0, RING_HEAD
 *	is read-only.
 *
 * SUBTEST: copy
 * Run type: BAT
 * Description: COPY across GGTT pages mapped to scattered LMEM pages at
 *	unaligned offsets; COPY|COMPRESS writes src ^ ccs and the CCS byte of
 *	each 256-byte block (its checksum byte); RESOLVE gives the source
 *	back and leaves the destination's CCS 0; CTRL_SURF_COPY copies the
 *	CCS bytes out; a stale CCS byte spoils the resolve of its block only.
 *
 * SUBTEST: batches
 * Run type: BAT
 * Description: Batches nested three deep run in order and return, the
 *	depth back to 0, 11 commands counted; a SPIN_UNTIL with a maximum
 *	gives up after it; a batch of NOOPs across 5 pages runs whole.
 *
 * SUBTEST: pause
 * Run type: BAT
 * Description: The PF's pause stops the engine mid-spin in a batch
 *	(PAUSED, SPINNING) and writes the context image (head, batch address
 *	and position, spin count); while paused nothing runs, no spin
 *	iteration is taken and a doorbell is remembered (KICK_PENDING);
 *	resume runs everything; a stopped VF's engine does nothing.
 *
 * SUBTEST: faults
 * Run type: BAT
 * Description: One dynamic subtest per fault the engine reports: the
 *	ring that provokes it hangs the engine (HUNG) with that reason and
 *	the faulting address in FAULT_ADDR, raises the ERROR interrupt and
 *	the MSI, shows in debugfs, and ignores further doorbells; an FLR
 *	resets the engine. Includes a context image behind an invalid PTE,
 *	which hangs the engine at the pause.
 *
 * SUBTEST: random-rings
 * Run type: FULL
 * Description: Rings and batches of random commands with random
 *	operands (mostly well formed, addresses mostly in the VF's mapped
 *	pages): each ends HUNG or idle within 3 s (never stuck, never a
 *	kernel warning), and afterwards an FLR'd engine runs a program
 *	correctly. 48 rings (--extended: 400).
 *
 * SUBTEST: pf-control-race
 * Run type: FULL
 * Description: A thread hammers the VF's PF controls (pause, resume,
 *	stop, reset, save, finish save) and reads its engine debugfs while
 *	the test keeps programming the engine and submitting random work,
 *	batches and compressing copies, with FLRs now and then; for 2 s
 *	(--extended: 20 s). Afterwards the PF's reset, and then VFIO's,
 *	each leave a VF that runs a program correctly with exactly its
 *	commands counted.
 *
 * SUBTEST: held-after-restore
 * Run type: BAT
 * Description: A VF spinning two batches deep with work queued behind is
 *	migrated through VFIO. The destination's engine is held (PAUSED,
 *	BUSY, SPINNING, depth 2) with the saved head and the source's
 *	RING_START and CONTEXT, the batch addresses unknown in debugfs until
 *	the rebase; while VF_RESFIX_BLOCKED and after RESFIX_START nothing
 *	runs and a doorbell is remembered. With only the registers fixed
 *	the engine faults OUT_OF_SLICE in the source's batch. Migrated there
 *	and back before any fixup, the VF writes no context image while held
 *	and runs every command exactly once.
 *
 * SUBTEST: guc-blob
 * Run type: BAT
 * Description: A busy VF saved through debugfs carries a version 2 GUC
 *	packet with the engine section (BUSY, two batch levels at their
 *	positions, the spin count). Restore refuses (EINVAL) each engine
 *	section a save cannot produce: bad magic, size, state, flags, depth,
 *	idle with a level, hung without a reason, a reason without a hang,
 *	unaligned or impossible batch positions, unaligned RING_START or
 *	CONTEXT, head past the largest ring, PPGTT_ROOT bits the register
 *	does not keep, reserved bits, a short section
 *	(the GT packet is refused, logged with EINVAL, and finishing the
 *	restore fails with EIO, as in xe); a version 1 blob restores with the engine reset; the good blob
 *	restores the busy engine two levels deep.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "pf_backend.h"
#include "sim_pf.h"
#include "sriov_fixture.h"
#include "sysfs_util.h"
#include "uapi/xe_sriov_packet.h"
#include "uapi/xe_sriov_sim_engine.h"
#include "uapi/xe_sriov_sim_regs.h"
#include "vf_cmd.h"
#include "vf_driver.h"
#include "vf_engine.h"
#include "vf_guc.h"
#include "vf_irq.h"
#include "vfio_migrate.h"
#include "xe_log.h"
#include "xe_stream.h"
#include "xe_stream_edit.h"

IGT_TEST_DESCRIPTION("The xe_sriov_sim engine: commands, batches, pause, faults, races.");

#define RING		4096u
#define PAGE		4096u
#define MMIO		XE_SRIOV_SIM_BAR_MMIO
#define WAIT_MS		3000
#define SPIN_LIMIT_PARAM "engine_spin_limit"
#define SPIN_LIMIT_DEFAULT 30000

static struct {
	bool extended;
} opt;

static struct sriov_fixture fx;
static struct sriov_vf *vf, *vf2;
static struct vf_driver drv;
static struct vf_engine eng;
static int efd = -1;
/* Buffers of the current engine session, in the VF's GGTT slice. */
static struct vf_bo data, area;

/* ---- registers, status ---- */

static uint32_t rd(uint32_t reg)
{
	uint32_t val = 0xdeadbeef;

	igt_assert_eq(vfio_dev_read32(&vf->dev, MMIO, reg, &val), 0);
	return val;
}

static void wr(uint32_t reg, uint32_t val)
{
	igt_assert_eq(vfio_dev_write32(&vf->dev, MMIO, reg, val), 0);
}

static uint32_t st_state(uint32_t st)
{
	return st & XE_SRIOV_SIM_ENGINE_STATE_MASK;
}

static uint32_t st_fault(uint32_t st)
{
	return (st & XE_SRIOV_SIM_ENGINE_STATUS_FAULT_MASK) >>
	       XE_SRIOV_SIM_ENGINE_STATUS_FAULT_SHIFT;
}

static uint32_t st_depth(uint32_t st)
{
	return (st & XE_SRIOV_SIM_ENGINE_STATUS_DEPTH_MASK) >>
	       XE_SRIOV_SIM_ENGINE_STATUS_DEPTH_SHIFT;
}

static bool st_idle(uint32_t st)
{
	return st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_IDLE &&
	       !(st & XE_SRIOV_SIM_ENGINE_STATUS_BUSY);
}

static uint32_t status(void)
{
	return rd(XE_SRIOV_SIM_ENGINE_STATUS);
}

/* Until (status & mask) == val or ms pass; the last status. */
static uint32_t wait_status(uint32_t mask, uint32_t val, unsigned int ms)
{
	uint32_t st = status();

	for (unsigned int i = 0; (st & mask) != val && i < ms; i++) {
		usleep(1000);
		st = status();
	}
	return st;
}

/* Until the engine is idle or hung (it does not hang on its own). */
static uint32_t wait_done(unsigned int ms)
{
	uint32_t st = status();

	for (unsigned int i = 0; i < ms; i++) {
		if (st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG || st_idle(st))
			break;
		usleep(1000);
		st = status();
	}
	return st;
}

static uint64_t eng_u64(const char *key)
{
	uint64_t val = 0;
	int err = pf_sim_vf_debugfs_u64(&vf->vf, "engine", key, &val);

	igt_assert_f(!err, "debugfs engine %s: %s\n", key, strerror(-err));
	return val;
}

static const char *eng_str(const char *key, char *buf, size_t size)
{
	int err = pf_sim_vf_debugfs_field(&vf->vf, "engine", key, buf, size);

	igt_assert_f(!err, "debugfs engine %s: %s\n", key, strerror(-err));
	return buf;
}

static bool guc_state_is(struct sriov_vf *v, const char *want)
{
	char buf[64];

	return !pf_sim_vf_debugfs_field(&v->vf, "guc_state", "state", buf, sizeof(buf)) &&
	       !strcmp(buf, want);
}

/* MSI events since the last call. */
static uint64_t msi_count(void)
{
	uint64_t n = 0;

	if (read(efd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

static void clear_irqs(void)
{
	wr(XE_SRIOV_SIM_VF_IRQ_STATUS, ~0u);
	msi_count();
}

/* ---- the engine session ---- */

/*
 * A fresh VF: FLR, the driver's allocators rewound, ring/context/fence
 * buffers and registers programmed again, a data page and a 48-page area.
 */
static void session(bool flr)
{
	vf_engine_fini(&eng);
	if (flr)
		igt_assert_eq(vfio_dev_reset(&vf->dev), 0);
	drv.lmem_next = 0;
	drv.ggtt_next = 0;
	drv.wedged = false;
	igt_assert_eq(vf_engine_init(&eng, &drv, RING), 0);
	igt_assert_eq(vf_driver_bo_create(&drv, PAGE, &data), 0);
	igt_assert_eq(vf_driver_bo_create(&drv, 48 * PAGE, &area), 0);
	clear_irqs();
}

static void start(void)
{
	session(true);
}

static uint64_t ga(const struct vf_bo *bo, uint64_t off)
{
	return vf_bo_ggtt(&drv, bo) + off;
}

/* A GGTT address of the slice no PTE maps (start() leaves them invalid). */
static uint64_t unmapped(uint64_t off)
{
	return drv.cfg.ggtt_start + drv.ggtt_next + 4 * PAGE + off;
}

static volatile uint32_t *dword(const struct vf_bo *bo, uint64_t off)
{
	return (volatile uint32_t *)((uint8_t *)vf_bo_map(&drv, bo) + off);
}

static uint32_t get(const struct vf_bo *bo, uint64_t off)
{
	return __atomic_load_n(dword(bo, off), __ATOMIC_SEQ_CST);
}

static void put(const struct vf_bo *bo, uint64_t off, uint32_t val)
{
	__atomic_store_n(dword(bo, off), val, __ATOMIC_SEQ_CST);
}

static void emit(const uint32_t *cs, unsigned int n)
{
	igt_assert_f(!vf_engine_emit(&eng, cs, n), "emit: %s\n", eng.error);
}

#define EMIT(builder, ...) do { \
	uint32_t cs_[VF_CMD_MAX_DWORDS]; \
	emit(cs_, builder(cs_, ##__VA_ARGS__)); \
} while (0)

#define BEMIT(b, builder, ...) do { \
	uint32_t cs_[VF_CMD_MAX_DWORDS]; \
	igt_assert_eq(vf_engine_batch_emit(&eng, b, cs_, builder(cs_, ##__VA_ARGS__)), 0); \
} while (0)

static void kick(void)
{
	igt_assert_eq(vf_engine_kick(&eng), 0);
}

static struct vf_batch *batch(uint64_t size)
{
	struct vf_batch *b;

	igt_assert_eq(vf_engine_batch_create(&eng, size, &b), 0);
	return b;
}

static uint64_t bga(const struct vf_batch *b, uint32_t off)
{
	return vf_batch_ggtt(&eng, b, off);
}

/* ---- commands ---- */

static void commands(void)
{
	uint64_t ring, ctx, cmds;
	uint32_t st, n0, n;

	start();
	ring = ga(&eng.ring, 0);
	ctx = ga(&eng.ctx, 0);
	igt_assert_eq_u32(rd(XE_SRIOV_SIM_RING_START), (uint32_t)ring);
	igt_assert_eq_u32(rd(XE_SRIOV_SIM_RING_SIZE), RING);
	igt_assert_eq_u32(rd(XE_SRIOV_SIM_ENGINE_CONTEXT), (uint32_t)ctx);
	wr(XE_SRIOV_SIM_RING_START, ring + 0x123);
	wr(XE_SRIOV_SIM_ENGINE_CONTEXT, ctx + 0x3f);
	wr(XE_SRIOV_SIM_RING_HEAD, 0x40);
	igt_assert_eq_u32(rd(XE_SRIOV_SIM_RING_START), (uint32_t)ring);
	igt_assert_eq_u32(rd(XE_SRIOV_SIM_ENGINE_CONTEXT), (uint32_t)ctx);
	igt_assert_eq_u32(rd(XE_SRIOV_SIM_RING_HEAD), 0);
	st = status();
	igt_assert_f(st == XE_SRIOV_SIM_ENGINE_STATE_IDLE, "fresh engine status %#x\n", st);

	EMIT(vf_cmd_store, ga(&data, 0), 0x1234);
	EMIT(vf_cmd_seqno, ga(&data, 4), 1);
	EMIT(vf_cmd_noop);
	EMIT(vf_cmd_user_interrupt);
	usleep(10000);
	igt_assert_f(!get(&data, 0) && !status(), "something ran before the doorbell\n");
	kick();
	st = wait_done(WAIT_MS);
	igt_assert_f(st_idle(st), "engine not idle after the ring: %#x\n", st);
	igt_assert_eq_u32(get(&data, 0), 0x1234);
	igt_assert_eq_u32(get(&data, 4), 1);
	igt_assert_eq_u32(rd(XE_SRIOV_SIM_RING_HEAD), eng.tail);
	igt_assert_eq_u32(rd(XE_SRIOV_SIM_VF_IRQ_STATUS), XE_SRIOV_SIM_VF_IRQ_USER);
	igt_assert_eq_u64(msi_count(), 1);
	clear_irqs();
	igt_assert_eq_u64(eng_u64("commands_executed"), 4);
	igt_assert_eq_u64(eng_u64("last_seqno"), 1);

	/* RING_TAIL alone does not start the engine; the doorbell does. */
	EMIT(vf_cmd_store, ga(&data, 8), 0x55);
	wr(XE_SRIOV_SIM_RING_TAIL, eng.tail);
	eng.submitted = eng.tail;
	usleep(20000);
	igt_assert_f(!get(&data, 8), "RING_TAIL alone started the engine\n");
	wr(XE_SRIOV_SIM_ENGINE_DOORBELL, 0);
	st = wait_done(WAIT_MS);
	igt_assert_f(st_idle(st) && get(&data, 8) == 0x55, "the doorbell did not run it (%#x)\n",
		     st);

	/* A STORE straddling the ring's end. */
	n0 = eng.tail;
	while (eng.tail != RING - 8)
		EMIT(vf_cmd_noop);
	n = (RING - 8 - n0) / 4;
	EMIT(vf_cmd_store, ga(&data, 12), 0x77);
	EMIT(vf_cmd_seqno, ga(&data, 16), 2);
	cmds = eng_u64("commands_executed");
	kick();
	st = wait_done(WAIT_MS);
	igt_assert_f(st_idle(st), "engine %#x after the wrap\n", st);
	igt_assert_eq_u32(get(&data, 12), 0x77);
	igt_assert_eq_u32(get(&data, 16), 2);
	igt_assert_eq_u32(eng.tail, 24);
	igt_assert_eq_u32(rd(XE_SRIOV_SIM_RING_HEAD), 24);
	igt_assert_eq_u64(eng_u64("commands_executed") - cmds, n + 2);
}

/* ---- copy ---- */

/* CPU view of a buffer through its PTEs (which the test may scatter). */
struct view {
	uint8_t *page[16];
};

static void view_of(const struct vf_bo *bo, struct view *v)
{
	igt_assert(bo->size / PAGE <= 16);
	for (uint64_t i = 0; i < bo->size / PAGE; i++) {
		uint64_t pte = 0;

		igt_assert_eq(vfio_dev_region_read(&vf->dev, MMIO, XE_SRIOV_SIM_GGTT_WINDOW +
						   8 * (bo->ggtt_off / PAGE + i), &pte,
						   sizeof(pte)), 0);
		igt_assert(pte & XE_SRIOV_SIM_PTE_VALID);
		v->page[i] = drv.lmem + (pte & XE_SRIOV_SIM_PTE_ADDR_MASK);
	}
}

static uint8_t *at(const struct view *v, uint64_t off)
{
	return v->page[off / PAGE] + off % PAGE;
}

/* LMEM offset of byte off of the view, for its CCS byte. */
static size_t lmem_of(const struct view *v, uint64_t off)
{
	return at(v, off) - drv.lmem;
}

/* Map the buffer's GGTT pages to its LMEM pages in reverse order. */
static void scatter(const struct vf_bo *bo)
{
	uint64_t n = bo->size / PAGE;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t pte = XE_SRIOV_SIM_PTE_VALID |
			       ((bo->lmem_off + (n - 1 - i) * PAGE) & XE_SRIOV_SIM_PTE_ADDR_MASK);

		igt_assert_eq(vfio_dev_region_write(&vf->dev, MMIO, XE_SRIOV_SIM_GGTT_WINDOW +
						    8 * (bo->ggtt_off / PAGE + i), &pte,
						    sizeof(pte)), 0);
	}
}

static void read_ccs(uint8_t *ccs, size_t len)
{
	igt_assert_eq(pf_sim_vf_ccs_read(&vf->vf, ccs, len), 0);
}

static void run_ring(const char *what)
{
	uint32_t st;

	kick();
	st = wait_done(WAIT_MS);
	igt_assert_f(st_idle(st), "%s: engine %#x, not idle\n", what, st);
}

static void copy(void)
{
	const uint32_t n = 4 * PAGE, blocks = n / XE_SRIOV_SIM_CCS_BLOCK;
	size_t ccs_len = drv.cfg.lmem_size / XE_SRIOV_SIM_CCS_BLOCK;
	uint8_t *ccs = malloc(ccs_len), want_ccs[64];
	struct vf_bo src, cmp, res, csc;
	struct view vs, vc, vr, vcs;
	unsigned int bad = 0, bad_ccs = 0, which = ~0u;

	igt_assert(ccs);
	start();
	igt_assert_eq(vf_driver_bo_create(&drv, n, &src), 0);
	igt_assert_eq(vf_driver_bo_create(&drv, n, &cmp), 0);
	igt_assert_eq(vf_driver_bo_create(&drv, n + PAGE, &res), 0);
	igt_assert_eq(vf_driver_bo_create(&drv, PAGE, &csc), 0);
	scatter(&src);
	scatter(&res);
	view_of(&src, &vs);
	view_of(&cmp, &vc);
	view_of(&res, &vr);
	view_of(&csc, &vcs);
	for (uint32_t i = 0; i < n; i++)
		*at(&vs, i) = (uint8_t)(i * 2654435761u >> 13);

	EMIT(vf_cmd_copy, XE_SRIOV_SIM_OP_COPY, 0, ga(&src, 3), ga(&res, 1), n - 100);
	run_ring("COPY");
	for (uint32_t i = 0; i < n - 100; i++)
		bad += *at(&vs, 3 + i) != *at(&vr, 1 + i);
	igt_assert_f(!bad, "COPY of %u bytes, unaligned, scattered pages: %u bytes wrong\n",
		     n - 100, bad);

	EMIT(vf_cmd_copy, XE_SRIOV_SIM_OP_COPY, XE_SRIOV_SIM_COPY_COMPRESS, ga(&src, 0),
	     ga(&cmp, 0), n);
	run_ring("COPY|COMPRESS");
	read_ccs(ccs, ccs_len);
	for (uint32_t b = 0; b < blocks; b++) {
		uint32_t sum = 0;
		uint8_t c;

		for (uint32_t i = 0; i < 256; i++)
			sum += *at(&vs, b * 256 + i);
		c = XE_SRIOV_SIM_CCS_OF(sum);
		want_ccs[b] = c;
		bad_ccs += ccs[lmem_of(&vc, b * 256) / 256] != c;
		for (uint32_t i = 0; i < 256; i++)
			bad += *at(&vc, b * 256 + i) != (*at(&vs, b * 256 + i) ^ c);
	}
	igt_assert_f(!bad && !bad_ccs,
		     "COPY|COMPRESS: %u bytes not src ^ ccs, %u CCS bytes not the checksum\n",
		     bad, bad_ccs);

	EMIT(vf_cmd_copy, XE_SRIOV_SIM_OP_RESOLVE, 0, ga(&cmp, 0), ga(&res, 0), n);
	EMIT(vf_cmd_copy, XE_SRIOV_SIM_OP_CTRL_SURF_COPY, 0, ga(&cmp, 0), ga(&csc, 1), n);
	run_ring("RESOLVE, CTRL_SURF_COPY");
	for (uint32_t i = 0; i < n; i++)
		bad += *at(&vr, i) != *at(&vs, i);
	igt_assert_f(!bad, "RESOLVE: %u bytes differ from the source\n", bad);
	read_ccs(ccs, ccs_len);
	for (uint32_t b = 0; b < blocks; b++)
		bad_ccs += ccs[lmem_of(&vr, b * 256) / 256] != 0;
	igt_assert_f(!bad_ccs, "RESOLVE: %u destination CCS bytes not 0\n", bad_ccs);
	for (uint32_t b = 0; b < blocks; b++)
		bad += *at(&vcs, 1 + b) != want_ccs[b];
	igt_assert_f(!bad, "CTRL_SURF_COPY: %u of %u CCS bytes wrong\n", bad, blocks);

	/* A stale CCS byte: that block resolves wrong, the others right. */
	ccs[lmem_of(&vc, PAGE + 512) / 256] ^= 0x5a;
	igt_assert_eq(pf_sim_vf_ccs_write(&vf->vf, ccs, ccs_len), 0);
	EMIT(vf_cmd_copy, XE_SRIOV_SIM_OP_RESOLVE, 0, ga(&cmp, 0), ga(&res, 0), n);
	run_ring("RESOLVE of a stale block");
	for (uint32_t b = 0; b < blocks; b++) {
		unsigned int diff = 0;

		for (uint32_t i = 0; i < 256; i++)
			diff += *at(&vr, b * 256 + i) != *at(&vs, b * 256 + i);
		if (diff) {
			bad++;
			which = b;
		}
	}
	igt_assert_f(bad == 1 && which == (PAGE + 512) / 256,
		     "stale CCS: %u blocks resolve wrong (last #%u), expected only #%u\n", bad,
		     which, (PAGE + 512) / 256);
	free(ccs);
}

/* ---- batches ---- */

static void batches(void)
{
	struct vf_batch *b1, *b2, *b3, *nb;
	uint32_t n_noops = 5 * PAGE / 4 - 5, st;
	uint64_t cmds;

	start();
	b1 = batch(PAGE);
	b2 = batch(PAGE);
	b3 = batch(PAGE);
	BEMIT(b1, vf_cmd_store, ga(&data, 0x100), 1);
	BEMIT(b1, vf_cmd_batch_start, bga(b2, 0));
	BEMIT(b1, vf_cmd_store, ga(&data, 0x10c), 4);
	BEMIT(b1, vf_cmd_batch_end);
	BEMIT(b2, vf_cmd_store, ga(&data, 0x104), 2);
	BEMIT(b2, vf_cmd_batch_start, bga(b3, 0));
	BEMIT(b2, vf_cmd_batch_end);
	BEMIT(b3, vf_cmd_store, ga(&data, 0x108), 3);
	BEMIT(b3, vf_cmd_batch_end);
	EMIT(vf_cmd_batch_start, bga(b1, 0));
	EMIT(vf_cmd_seqno, ga(&data, 0x110), 5);
	cmds = eng_u64("commands_executed");
	run_ring("nested batches");
	for (uint32_t i = 0; i < 5; i++)
		igt_assert_f(get(&data, 0x100 + 4 * i) == i + 1,
			     "nested batches: store %u is %#x, not %u\n", i,
			     get(&data, 0x100 + 4 * i), i + 1);
	igt_assert_eq_u64(eng_u64("commands_executed") - cmds, 11);
	igt_assert_eq_u32(st_depth(status()), 0);

	/* A SPIN_UNTIL that never matches, at most 5 checks: it goes on. */
	EMIT(vf_cmd_spin_until, ga(&data, 0x114), 0xabc, 5);
	EMIT(vf_cmd_store, ga(&data, 0x118), 6);
	kick();
	st = wait_done(WAIT_MS);
	igt_assert_f(st_idle(st) && get(&data, 0x118) == 6,
		     "SPIN_UNTIL with a maximum did not give up (%#x)\n", st);

	/* A batch of NOOPs across 5 pages: many budget requeues. */
	nb = batch(5 * PAGE);
	for (uint32_t i = 0; i < n_noops; i++)
		BEMIT(nb, vf_cmd_noop);
	BEMIT(nb, vf_cmd_store, ga(&data, 0x11c), 7);
	BEMIT(nb, vf_cmd_batch_end);
	EMIT(vf_cmd_batch_start, bga(nb, 0));
	cmds = eng_u64("commands_executed");
	kick();
	st = wait_done(10000);
	igt_assert_f(st_idle(st) && get(&data, 0x11c) == 7, "NOOP batch: %#x\n", st);
	igt_assert_eq_u64(eng_u64("commands_executed") - cmds, n_noops + 3);
}

/* ---- pause ---- */

static void pause_(void)
{
	const struct xe_sriov_sim_engine_context *img;
	struct vf_batch *b1;
	uint32_t st, head, spins;
	char buf[64];

	start();
	img = vf_bo_map(&drv, &eng.ctx);
	b1 = batch(PAGE);
	BEMIT(b1, vf_cmd_spin_until, ga(&data, 0x200), 0x600d, 0);
	BEMIT(b1, vf_cmd_store, ga(&data, 0x204), 0xb0);
	BEMIT(b1, vf_cmd_batch_end);
	EMIT(vf_cmd_store, ga(&data, 0x208), 0xa0);
	EMIT(vf_cmd_batch_start, bga(b1, 0));
	head = eng.tail;
	EMIT(vf_cmd_seqno, ga(&data, 0x20c), 9);
	kick();
	st = wait_status(XE_SRIOV_SIM_ENGINE_STATUS_SPINNING,
			 XE_SRIOV_SIM_ENGINE_STATUS_SPINNING, WAIT_MS);
	igt_assert_f(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_RUNNING &&
		     (st & XE_SRIOV_SIM_ENGINE_STATUS_BUSY) && st_depth(st) == 1,
		     "spinning in a batch: %#x, expected RUNNING|BUSY|SPINNING depth 1\n", st);
	igt_assert_eq(strcmp(eng_str("state", buf, sizeof(buf)), "RUNNING"), 0);

	igt_assert_eq(pf_vf_control(&vf->vf, PF_VF_PAUSE), 0);
	st = status();
	igt_assert_f(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_PAUSED &&
		     (st & XE_SRIOV_SIM_ENGINE_STATUS_SPINNING), "paused mid-spin: %#x\n", st);
	igt_assert_f(img->magic == XE_SRIOV_SIM_ENGINE_CONTEXT_MAGIC && img->saves == 1 &&
		     img->depth == 1 && img->ring_head == head &&
		     img->batch_addr[0] == (uint32_t)bga(b1, 0) && img->batch_pos[0] == 0 &&
		     img->spin_iterations > 0 && img->ring_start == (uint32_t)ga(&eng.ring, 0),
		     "context image: magic %#x saves %u depth %u head %#x (want %#x) batch %#x+%#x spins %u\n",
		     img->magic, img->saves, img->depth, img->ring_head, head, img->batch_addr[0],
		     img->batch_pos[0], img->spin_iterations);
	spins = eng_u64("spin_iterations");

	/* Paused: the spin's condition met and a doorbell rung, nothing runs. */
	put(&data, 0x200, 0x600d);
	EMIT(vf_cmd_store, ga(&data, 0x210), 0xc0);
	kick();
	usleep(30000);
	st = status();
	igt_assert_f(!get(&data, 0x204) && !get(&data, 0x210), "work ran on a paused VF\n");
	igt_assert_f(st & XE_SRIOV_SIM_ENGINE_STATUS_KICK_PENDING,
		     "doorbell while paused not remembered: %#x\n", st);
	igt_assert_eq_u32(rd(XE_SRIOV_SIM_ENGINE_DOORBELL), XE_SRIOV_SIM_DOORBELL_PENDING);
	igt_assert_eq_u64(eng_u64("spin_iterations"), spins);

	igt_assert_eq(pf_vf_control(&vf->vf, PF_VF_RESUME), 0);
	st = wait_done(WAIT_MS);
	igt_assert_f(st_idle(st) && !(st & XE_SRIOV_SIM_ENGINE_STATUS_KICK_PENDING),
		     "after resume: %#x\n", st);
	igt_assert_eq_u32(get(&data, 0x204), 0xb0);
	igt_assert_eq_u32(get(&data, 0x208), 0xa0);
	igt_assert_eq_u32(get(&data, 0x20c), 9);
	igt_assert_eq_u32(get(&data, 0x210), 0xc0);

	/* A stopped VF holds its engine too. */
	EMIT(vf_cmd_store, ga(&data, 0x214), 0xd0);
	igt_assert_eq(pf_vf_control(&vf->vf, PF_VF_STOP), 0);
	kick();
	usleep(20000);
	igt_assert_f(!get(&data, 0x214) &&
		     st_state(status()) == XE_SRIOV_SIM_ENGINE_STATE_PAUSED,
		     "a stopped VF's engine ran (%#x)\n", status());
	igt_assert_eq(vfio_dev_reset(&vf->dev), 0);
	igt_assert(guc_state_is(vf, "VF_READY"));
}

/* ---- faults ---- */

struct fault_case {
	const char *name;
	uint32_t reason;
	/* Build the faulting ring (not kicked); returns the faulting address. */
	uint64_t (*build)(void);
};

static void noop(void)
{
	EMIT(vf_cmd_noop);
}

static uint64_t f_pte_invalid(void)
{
	EMIT(vf_cmd_store, ga(&data, 0), 1);
	EMIT(vf_cmd_store, unmapped(8), 1);
	return unmapped(8);
}

static uint64_t f_out_of_slice(void)
{
	EMIT(vf_cmd_store, drv.cfg.ggtt_start - 4, 1);
	return drv.cfg.ggtt_start - 4;
}

static uint64_t f_far(void)
{
	EMIT(vf_cmd_spin_until, 0xffffffff00000000ull, 0, 0);
	return 0xffffffff00000000ull;
}

static uint64_t f_pte_range(void)
{
	uint64_t pte = XE_SRIOV_SIM_PTE_VALID | drv.cfg.lmem_size;

	igt_assert_eq(vfio_dev_region_write(&vf->dev, MMIO, XE_SRIOV_SIM_GGTT_WINDOW +
					    8 * ((unmapped(0) - drv.cfg.ggtt_start) / PAGE),
					    &pte, sizeof(pte)), 0);
	EMIT(vf_cmd_store, unmapped(0), 1);
	return unmapped(0);
}

static uint64_t f_bad_opcode(void)
{
	uint32_t dw = 0x7f000000;

	noop();
	emit(&dw, 1);
	return ga(&eng.ring, 4);
}

static uint64_t f_bad_length(void)
{
	uint32_t cs[3] = { XE_SRIOV_SIM_CMD(XE_SRIOV_SIM_OP_STORE_DWORD, 0, 2), 0, 0 };

	noop();
	emit(cs, 3);
	return ga(&eng.ring, 4);
}

static uint64_t f_bad_flags(void)
{
	noop();
	EMIT(vf_cmd_copy, XE_SRIOV_SIM_OP_RESOLVE, XE_SRIOV_SIM_COPY_COMPRESS, ga(&area, 0),
	     ga(&area, PAGE), 256);
	return ga(&eng.ring, 4);
}

static uint64_t f_truncated(void)
{
	noop();
	EMIT(vf_cmd_store, ga(&data, 0), 1);
	eng.tail -= 4;
	return ga(&eng.ring, 4);
}

static uint64_t f_bad_ring(void)
{
	noop();
	wr(XE_SRIOV_SIM_RING_SIZE, 3000);
	return ga(&eng.ring, 0);
}

static uint64_t f_align(void)
{
	noop();
	EMIT(vf_cmd_copy, XE_SRIOV_SIM_OP_COPY, XE_SRIOV_SIM_COPY_COMPRESS, ga(&area, 0),
	     ga(&area, PAGE + 4), 256);
	return ga(&eng.ring, 4);
}

static uint64_t f_unaligned_store(void)
{
	EMIT(vf_cmd_store, ga(&data, 2), 1);
	return ga(&data, 2);
}

static uint64_t f_depth(void)
{
	struct vf_batch *b[4];

	for (int i = 0; i < 4; i++)
		b[i] = batch(PAGE);
	for (int i = 0; i < 4; i++) {
		if (i < 3)
			BEMIT(b[i], vf_cmd_batch_start, bga(b[i + 1], 0));
		BEMIT(b[i], vf_cmd_batch_end);
	}
	EMIT(vf_cmd_batch_start, bga(b[0], 0));
	return bga(b[2], 0);
}

static uint64_t f_bb_end(void)
{
	noop();
	EMIT(vf_cmd_batch_end);
	return ga(&eng.ring, 4);
}

static uint64_t f_batch_unmapped(void)
{
	EMIT(vf_cmd_batch_start, unmapped(16));
	return unmapped(16);
}

static uint64_t f_ring_unmapped(void)
{
	noop();
	wr(XE_SRIOV_SIM_RING_START, unmapped(0));
	return unmapped(0);
}

static uint64_t f_spin_limit(void)
{
	igt_assert_eq(sim_param_set_uint(SPIN_LIMIT_PARAM, 3), 0);
	noop();
	EMIT(vf_cmd_spin_until, ga(&data, 0), 1, 0);
	return ga(&eng.ring, 4);
}

static const struct fault_case fault_cases[] = {
	{ "pte-invalid", XE_SRIOV_SIM_ENGINE_FAULT_PTE_INVALID, f_pte_invalid },
	{ "out-of-slice", XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE, f_out_of_slice },
	{ "64-bit-address", XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE, f_far },
	{ "pte-past-lmem", XE_SRIOV_SIM_ENGINE_FAULT_PTE_RANGE, f_pte_range },
	{ "bad-opcode", XE_SRIOV_SIM_ENGINE_FAULT_BAD_OPCODE, f_bad_opcode },
	{ "bad-length", XE_SRIOV_SIM_ENGINE_FAULT_BAD_LENGTH, f_bad_length },
	{ "resolve-compress", XE_SRIOV_SIM_ENGINE_FAULT_BAD_FLAGS, f_bad_flags },
	{ "past-the-tail", XE_SRIOV_SIM_ENGINE_FAULT_TRUNCATED, f_truncated },
	{ "ring-size-3000", XE_SRIOV_SIM_ENGINE_FAULT_BAD_RING, f_bad_ring },
	{ "compress-unaligned", XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT, f_align },
	{ "store-unaligned", XE_SRIOV_SIM_ENGINE_FAULT_ALIGNMENT, f_unaligned_store },
	{ "batch-depth", XE_SRIOV_SIM_ENGINE_FAULT_BATCH_DEPTH, f_depth },
	{ "batch-end-in-ring", XE_SRIOV_SIM_ENGINE_FAULT_BATCH_END, f_bb_end },
	{ "batch-unmapped", XE_SRIOV_SIM_ENGINE_FAULT_PTE_INVALID, f_batch_unmapped },
	{ "ring-unmapped", XE_SRIOV_SIM_ENGINE_FAULT_PTE_INVALID, f_ring_unmapped },
	{ "spin-timeout", XE_SRIOV_SIM_ENGINE_FAULT_SPIN_TIMEOUT, f_spin_limit },
};

/* The hang a faulting ring leaves: registers, interrupt, debugfs, doorbell. */
static void assert_hung(const char *name, uint32_t reason, uint64_t addr)
{
	uint32_t st = status(), head;
	uint64_t got = rd(XE_SRIOV_SIM_ENGINE_FAULT_ADDR_LO) |
		       (uint64_t)rd(XE_SRIOV_SIM_ENGINE_FAULT_ADDR_HI) << 32;
	char buf[128], want[64];

	igt_assert_f(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG && st_fault(st) == reason &&
		     got == addr,
		     "%s: status %#x (state %u, reason %u: %s), address %#" PRIx64
		     "; expected HUNG, reason %u (%s) at %#" PRIx64 "\n",
		     name, st, st_state(st), st_fault(st), vf_engine_fault_name(st_fault(st)),
		     got, reason, vf_engine_fault_name(reason), addr);
	igt_assert_f(rd(XE_SRIOV_SIM_VF_IRQ_STATUS) & XE_SRIOV_SIM_VF_IRQ_ERROR,
		     "%s: no ERROR interrupt\n", name);
	igt_assert_f(msi_count() >= 1, "%s: no MSI\n", name);
	snprintf(want, sizeof(want), "addr %#" PRIx64, addr);
	igt_assert_f(strstr(eng_str("last_fault", buf, sizeof(buf)), want),
		     "%s: debugfs last_fault '%s', expected '%s'\n", name, buf, want);
	igt_assert_eq(strcmp(eng_str("state", buf, sizeof(buf)), "HUNG"), 0);
	head = rd(XE_SRIOV_SIM_RING_HEAD);
	wr(XE_SRIOV_SIM_ENGINE_DOORBELL, 1);
	usleep(10000);
	st = status();
	igt_assert_f(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG &&
		     rd(XE_SRIOV_SIM_RING_HEAD) == head &&
		     !(st & XE_SRIOV_SIM_ENGINE_STATUS_KICK_PENDING),
		     "%s: a hung engine took the doorbell (%#x)\n", name, st);
}

static void fault_one(const struct fault_case *c)
{
	uint64_t addr;

	start();
	addr = c->build();
	kick();
	wait_done(WAIT_MS);
	assert_hung(c->name, c->reason, addr);
	sim_param_set_uint(SPIN_LIMIT_PARAM, SPIN_LIMIT_DEFAULT);
	if (c->reason == XE_SRIOV_SIM_ENGINE_FAULT_PTE_INVALID && c->build == f_pte_invalid) {
		uint32_t st;

		igt_assert_f(get(&data, 0) == 1 && rd(XE_SRIOV_SIM_RING_HEAD) == 16,
			     "the store before the fault did not land, or head %#x is not on the faulting one\n",
			     rd(XE_SRIOV_SIM_RING_HEAD));
		igt_assert_eq(vfio_dev_reset(&vf->dev), 0);
		st = status();
		igt_assert_f(!st && !rd(XE_SRIOV_SIM_RING_HEAD) && !rd(XE_SRIOV_SIM_RING_START) &&
			     !rd(XE_SRIOV_SIM_ENGINE_FAULT_ADDR_LO),
			     "FLR did not reset the engine (%#x)\n", st);
	}
}

/* A context image behind an invalid PTE: the pause's image write faults. */
static void fault_context_save(void)
{
	uint32_t st;

	start();
	EMIT(vf_cmd_spin_until, ga(&data, 0), 1, 0);
	wr(XE_SRIOV_SIM_ENGINE_CONTEXT, unmapped(64));
	kick();
	wait_status(XE_SRIOV_SIM_ENGINE_STATUS_SPINNING, XE_SRIOV_SIM_ENGINE_STATUS_SPINNING,
		    WAIT_MS);
	igt_assert_eq(pf_vf_control(&vf->vf, PF_VF_PAUSE), 0);
	st = status();
	igt_assert_f(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG &&
		     st_fault(st) == XE_SRIOV_SIM_ENGINE_FAULT_PTE_INVALID &&
		     rd(XE_SRIOV_SIM_ENGINE_FAULT_ADDR_LO) == (uint32_t)unmapped(64) &&
		     (rd(XE_SRIOV_SIM_VF_IRQ_STATUS) & XE_SRIOV_SIM_VF_IRQ_ERROR),
		     "context save fault: %#x, expected HUNG, PTE_INVALID at the image\n", st);
	igt_assert_eq(pf_vf_control(&vf->vf, PF_VF_RESUME), 0);
	igt_assert_eq_u32(st_state(status()), XE_SRIOV_SIM_ENGINE_STATE_HUNG);
}

static void faults(void)
{
	for (size_t i = 0; i < sizeof(fault_cases) / sizeof(fault_cases[0]); i++)
		igt_dynamic(fault_cases[i].name)
			fault_one(&fault_cases[i]);
	igt_dynamic("context-save")
		fault_context_save();
}

/* ---- random rings ---- */

/* xorshift64*: reproducible from the printed seed. */
static uint32_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (uint32_t)((*s * 0x2545f4914f6cdd1dull) >> 32);
}

/* Mostly an address in the 48-page area (its last page unmapped), dword aligned or not. */
static uint64_t garbage_addr(uint64_t *s)
{
	uint32_t x = rnd(s);

	if (x % 32 == 0)
		return (uint64_t)rnd(s) << 32 | rnd(s);
	return ga(&area, 0) + (uint64_t)(x / 32 % 49) * PAGE +
	       ((x >> 12) & (x & 1 ? 0xf00 : 0xffc));
}

/* A random command, mostly well formed, with random operands. */
static unsigned int garbage_cmd(uint32_t *cs, uint64_t *s)
{
	uint32_t x = rnd(s), y = rnd(s);
	uint64_t a = garbage_addr(s), b = garbage_addr(s);
	uint32_t bytes = x & 0x100 ? (y % 16) * 256 : y % 8192;

	switch (x % 11 == 10 && y % 8 ? XE_SRIOV_SIM_OP_NOOP : x % 11) {
	case XE_SRIOV_SIM_OP_NOOP:
		return vf_cmd_noop(cs);
	case XE_SRIOV_SIM_OP_STORE_DWORD:
		return vf_cmd_store(cs, a, y);
	case XE_SRIOV_SIM_OP_STORE_SEQNO:
		return vf_cmd_seqno(cs, a, y);
	case XE_SRIOV_SIM_OP_USER_INTERRUPT:
		return vf_cmd_user_interrupt(cs);
	case XE_SRIOV_SIM_OP_BATCH_START:
		return vf_cmd_batch_start(cs, y % 8 ? ga(&area, (1 + y % 4) * PAGE +
							 y / 4 % 16 * 4) : a);
	case XE_SRIOV_SIM_OP_BATCH_END:
		return vf_cmd_batch_end(cs);
	case XE_SRIOV_SIM_OP_SPIN_UNTIL:
		return vf_cmd_spin_until(cs, a, y % 2, y % 6);
	case XE_SRIOV_SIM_OP_COPY:
	case XE_SRIOV_SIM_OP_RESOLVE:
	case XE_SRIOV_SIM_OP_CTRL_SURF_COPY:
		return vf_cmd_copy(cs, x % 12, x & 0x200 ? XE_SRIOV_SIM_COPY_COMPRESS : 0, a, b,
				   bytes);
	default:
		cs[0] = y;
		return 1;
	}
}

/* Batches 1..4 of the area: 2 KiB of random commands each. */
static void garbage_batches(uint64_t *s)
{
	for (int j = 1; j <= 4; j++) {
		uint32_t *p = (uint32_t *)((uint8_t *)vf_bo_map(&drv, &area) + j * PAGE);
		unsigned int pos = 0;

		while (pos < 512)
			pos += garbage_cmd(p + pos, s);
	}
}

/*
 * After an ordeal: a VF reset (by VFIO's FLR, or flr false: already reset
 * by the PF) runs a small program exactly.
 */
static void assert_engine_works(bool flr)
{
	struct vf_batch *b;
	uint32_t st;

	session(flr);
	b = batch(PAGE);
	BEMIT(b, vf_cmd_store, ga(&data, 8), 0x99);
	BEMIT(b, vf_cmd_batch_end);
	EMIT(vf_cmd_store, ga(&data, 0), 0x42);
	EMIT(vf_cmd_batch_start, bga(b, 0));
	EMIT(vf_cmd_seqno, ga(&data, 4), 7);
	kick();
	st = wait_done(WAIT_MS);
	igt_assert_f(st_idle(st) && get(&data, 0) == 0x42 && get(&data, 8) == 0x99 &&
		     get(&data, 4) == 7,
		     "the engine does not run a program after it (%#x)\n", st);
	igt_assert_eq_u64(eng_u64("commands_executed"), 5);
}

static uint64_t clock_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000007ull ^ ts.tv_nsec ^ 0x9e3779b97f4a7c15ull;
}

static void random_rings(void)
{
	unsigned int rounds = opt.extended ? 400 : 48, hung = 0, idle = 0;
	uint64_t seed = clock_seed(), s = seed;

	igt_info("random-rings: %u rings, seed %#" PRIx64 "\n", rounds, seed);
	igt_assert_eq(sim_param_set_uint(SPIN_LIMIT_PARAM, 20), 0);
	for (unsigned int i = 0; i < rounds; i++) {
		uint32_t cs[VF_CMD_MAX_DWORDS], st;

		start();
		garbage_batches(&s);
		for (uint32_t j = rnd(&s) % 16; j < 16; j++)
			emit(cs, garbage_cmd(cs, &s));
		kick();
		st = wait_done(WAIT_MS);
		igt_assert_f(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG || st_idle(st),
			     "ring %u (seed %#" PRIx64 "): neither hung nor idle after %u ms: %#x\n",
			     i, seed, WAIT_MS, st);
		hung += st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG;
		idle += st_idle(st);
	}
	igt_assert_eq(sim_param_set_uint(SPIN_LIMIT_PARAM, SPIN_LIMIT_DEFAULT), 0);
	igt_info("random-rings: %u hung, %u idle\n", hung, idle);
	assert_engine_works(true);
}

/* ---- PF controls racing submissions ---- */

struct hammer {
	atomic_bool stop;
	unsigned int ops;
};

static void *hammer_controls(void *arg)
{
	static const char * const ops[] = { "pause", "resume", "resume", "stop", "reset", "save" };
	struct hammer *h = arg;
	char dir[PATH_MAX], sim_dir[PATH_MAX], path[PATH_MAX + 32], buf[2048];
	uint64_t s = 11;

	pf_vf_debugfs_dir(&vf->vf, dir, sizeof(dir));
	pf_sim_vf_debugfs_dir(&vf->vf, sim_dir, sizeof(sim_dir));
	while (!atomic_load(&h->stop)) {
		unsigned int op = rnd(&s) % 8;

		if (op < 6) {
			snprintf(path, sizeof(path), "%s/%s", dir, ops[op]);
			sysfs_write_str(path, "1");
		} else if (op == 6) {
			snprintf(path, sizeof(path), "%s/save", dir);
			sysfs_read_str(path, buf, sizeof(buf));	/* finish a save */
		} else {
			snprintf(path, sizeof(path), "%s/engine", sim_dir);
			igt_assert_eq(sysfs_read_str(path, buf, sizeof(buf)), 0);
		}
		h->ops++;
		usleep(rnd(&s) % 2000);
	}
	return NULL;
}

static void pf_control_race(void)
{
	unsigned int secs = opt.extended ? 20 : 2, rounds = 0;
	struct hammer h = { .stop = false };
	uint64_t s = clock_seed(), seed = s;
	time_t end;
	pthread_t t;

	igt_emit_ignore_dmesg_regex(XE_LOG_FINISH_SAVE_REFUSED);
	start();
	igt_assert_eq(pthread_create(&t, NULL, hammer_controls, &h), 0);
	end = time(NULL) + secs;
	while (time(NULL) < end) {
		uint32_t cs[VF_CMD_MAX_DWORDS];
		uint64_t b = ga(&area, (1 + rounds % 3) * PAGE);
		uint32_t *bp = (uint32_t *)((uint8_t *)vf_bo_map(&drv, &area) +
					    (1 + rounds % 3) * PAGE);
		unsigned int n;

		/* Whatever the PF did meanwhile: PTEs and registers again. */
		vf_engine_fini(&eng);
		drv.lmem_next = drv.ggtt_next = 0;
		drv.wedged = false;
		if (vf_engine_init(&eng, &drv, RING) ||
		    vf_driver_bo_create(&drv, PAGE, &data) ||
		    vf_driver_bo_create(&drv, 48 * PAGE, &area))
			continue;
		n = vf_cmd_store(bp, ga(&data, 64), rounds);
		n += vf_cmd_spin_until(bp + n, ga(&data, 68), 1, 3);
		vf_cmd_batch_end(bp + n);
		for (int i = 0; i < 8; i++) {
			if (vf_engine_emit(&eng, cs, garbage_cmd(cs, &s)) ||
			    vf_engine_emit(&eng, cs, vf_cmd_batch_start(cs, b)) ||
			    vf_engine_emit(&eng, cs, vf_cmd_copy(cs, XE_SRIOV_SIM_OP_COPY,
								 XE_SRIOV_SIM_COPY_COMPRESS,
								 ga(&area, 8 * PAGE),
								 ga(&area, 12 * PAGE), PAGE)))
				break;
		}
		vf_engine_kick(&eng);
		usleep(rnd(&s) % 5000);
		msi_count();
		if (rnd(&s) % 8 == 0)
			vfio_dev_reset(&vf->dev);
		rounds++;
	}
	atomic_store(&h.stop, true);
	pthread_join(t, NULL);
	igt_info("pf-control-race: %u submissions against %u PF control operations in %u s (seed %#" PRIx64 ")\n",
		 rounds, h.ops, secs, seed);
	igt_assert_lt(0, (int)rounds);
	/* The PF's own reset leaves a working VF; so does VFIO's. */
	igt_assert_eq(pf_vf_control(&vf->vf, PF_VF_RESET), 0);
	igt_assert(guc_state_is(vf, "VF_READY"));
	assert_engine_works(false);
	assert_engine_works(true);
}

/* ---- a busy engine, two batches deep ---- */

/* Slots of the busy program in the data page. */
enum {
	SLOT_PRE = 0x00, SLOT_POST = 0x20, SLOT_FENCE = 0x3c, SLOT_FLAG = 0x40,
	SLOT_QUEUED = 0x80, N_QUEUED = 8,
};

/*
 * ring = STORE pre0; BATCH_START b1; STORE_SEQNO fence 100
 * b1   = STORE pre1; BATCH_START b2; STORE post1; BATCH_END
 * b2   = STORE pre2; SPIN_UNTIL flag == 0x600d; STORE post0; BATCH_END
 * Emitted, not kicked; *b1 gets the first batch. 11 commands.
 */
static unsigned int busy_program(struct vf_batch **b1)
{
	struct vf_batch *b2;

	*b1 = batch(PAGE);
	b2 = batch(PAGE);
	BEMIT(b2, vf_cmd_store, ga(&data, SLOT_PRE + 8), 0xa2);
	BEMIT(b2, vf_cmd_spin_until, ga(&data, SLOT_FLAG), 0x600d, 0);
	BEMIT(b2, vf_cmd_store, ga(&data, SLOT_POST), 0xb0);
	BEMIT(b2, vf_cmd_batch_end);
	BEMIT(*b1, vf_cmd_store, ga(&data, SLOT_PRE + 4), 0xa1);
	BEMIT(*b1, vf_cmd_batch_start, bga(b2, 0));
	BEMIT(*b1, vf_cmd_store, ga(&data, SLOT_POST + 4), 0xb1);
	BEMIT(*b1, vf_cmd_batch_end);
	EMIT(vf_cmd_store, ga(&data, SLOT_PRE), 0xa0);
	EMIT(vf_cmd_batch_start, bga(*b1, 0));
	EMIT(vf_cmd_seqno, ga(&data, SLOT_FENCE), 100);
	return 11;
}

/* Work queued behind the spinner: N_QUEUED stores and fence 200. */
static unsigned int busy_queue(void)
{
	for (unsigned int i = 0; i < N_QUEUED; i++)
		EMIT(vf_cmd_store, ga(&data, SLOT_QUEUED + 4 * i), 0xc0 + i);
	EMIT(vf_cmd_seqno, ga(&data, SLOT_FENCE), 200);
	kick();
	return N_QUEUED + 1;
}

static uint32_t rd_of(struct sriov_vf *v, uint32_t reg)
{
	uint32_t val = 0xdeadbeef;

	igt_assert_eq(vfio_dev_read32(&v->dev, MMIO, reg, &val), 0);
	return val;
}

static void wr_of(struct sriov_vf *v, uint32_t reg, uint32_t val)
{
	igt_assert_eq(vfio_dev_write32(&v->dev, MMIO, reg, val), 0);
}

/* The dword at byte off of the data page, in v's LMEM (same offsets). */
static volatile uint32_t *data_of(struct sriov_vf *v, uint32_t off)
{
	uint8_t *lmem;
	size_t size;

	igt_assert_eq(vfio_dev_region_map(&v->dev, XE_SRIOV_SIM_BAR_LMEM, (void **)&lmem,
					  &size), 0);
	return (volatile uint32_t *)(lmem + data.lmem_off + off);
}

static void migrate_vf(struct sriov_vf *from, struct sriov_vf *to)
{
	int err;

	igt_assert_eq(vfio_dev_reset(&to->dev), 0);
	err = vfio_migrate(&from->dev, &to->dev, NULL, NULL);
	igt_assert_f(!err, "VF%u -> VF%u: %s\n", from->vf.vf_id, to->vf.vf_id, strerror(-err));
	igt_assert(guc_state_is(to, "VF_RESFIX_BLOCKED"));
}

static void held_after_restore(void)
{
	int64_t delta = (int64_t)vf2->cfg.ggtt_start - (int64_t)vf->cfg.ggtt_start;
	char batch1[64];
	struct vf_batch *b1;
	uint32_t st, head, src_ring, src_ctx, ncmds, fault;

	/* A source spinning two batches deep, with work queued behind. */
	start();
	ncmds = busy_program(&b1);
	kick();
	igt_assert_eq(vf_engine_wait_spinning(&eng, WAIT_MS), 0);
	ncmds += busy_queue();
	head = rd(XE_SRIOV_SIM_RING_HEAD);
	src_ring = rd(XE_SRIOV_SIM_RING_START);
	src_ctx = rd(XE_SRIOV_SIM_ENGINE_CONTEXT);
	migrate_vf(vf, vf2);

	/* Restored, not yet fixed: held whatever happens, as saved. */
	st = rd_of(vf2, XE_SRIOV_SIM_ENGINE_STATUS);
	igt_assert_f(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_PAUSED &&
		     (st & XE_SRIOV_SIM_ENGINE_STATUS_BUSY) &&
		     (st & XE_SRIOV_SIM_ENGINE_STATUS_SPINNING) && st_depth(st) == 2,
		     "restored engine %#x, expected PAUSED|BUSY|SPINNING depth 2\n", st);
	igt_assert_eq_u32(rd_of(vf2, XE_SRIOV_SIM_RING_HEAD), head);
	igt_assert_eq_u32(rd_of(vf2, XE_SRIOV_SIM_RING_START), src_ring);
	igt_assert_eq_u32(rd_of(vf2, XE_SRIOV_SIM_ENGINE_CONTEXT), src_ctx);
	igt_assert_eq(pf_sim_vf_debugfs_field(&vf2->vf, "engine", "batch1", batch1,
					      sizeof(batch1)), 0);
	igt_assert_f(!strcmp(batch1, "base ? pos 0x1c"),
		     "debugfs batch1 '%s': the batch address must be unknown before the rebase\n",
		     batch1);
	*data_of(vf2, SLOT_FLAG) = 0x600d;
	wr_of(vf2, XE_SRIOV_SIM_ENGINE_DOORBELL, 1);
	usleep(50000);
	st = rd_of(vf2, XE_SRIOV_SIM_ENGINE_STATUS);
	igt_assert_f(!*data_of(vf2, SLOT_POST) &&
		     st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_PAUSED &&
		     (st & XE_SRIOV_SIM_ENGINE_STATUS_KICK_PENDING),
		     "VF_RESFIX_BLOCKED: work ran or the doorbell was lost (%#x)\n", st);
	igt_assert_eq(vf_guc_resfix_start(&vf2->dev, XE_SRIOV_SIM_GT_PRIMARY, 3), 0);
	usleep(20000);
	igt_assert_f(!*data_of(vf2, SLOT_POST), "work ran after RESFIX_START\n");

	/* Registers fixed, the active BATCH_STARTs not: the old batch faults. */
	wr_of(vf2, XE_SRIOV_SIM_RING_START, src_ring + delta);
	wr_of(vf2, XE_SRIOV_SIM_ENGINE_CONTEXT, src_ctx + delta);
	igt_assert_eq(vf_guc_resfix_done(&vf2->dev, XE_SRIOV_SIM_GT_PRIMARY, 3), 0);
	for (int i = 0; i < WAIT_MS; i++) {
		st = rd_of(vf2, XE_SRIOV_SIM_ENGINE_STATUS);
		if (st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG || st_idle(st))
			break;
		usleep(1000);
	}
	fault = rd_of(vf2, XE_SRIOV_SIM_ENGINE_FAULT_ADDR_LO);
	igt_assert_f(st_state(st) == XE_SRIOV_SIM_ENGINE_STATE_HUNG &&
		     st_fault(st) == XE_SRIOV_SIM_ENGINE_FAULT_OUT_OF_SLICE &&
		     fault == (uint32_t)bga(b1, 16),
		     "stale BATCH_START: %#x at %#x, expected HUNG OUT_OF_SLICE at %#x (the old batch)\n",
		     st, fault, (uint32_t)bga(b1, 16));

	/*
	 * Migrated there and back before any fixup: home again the addresses
	 * are right, no context image was written while held (one: the first
	 * pause's), and every command runs exactly once.
	 */
	igt_assert_eq(vfio_dev_reset(&vf2->dev), 0);
	start();
	ncmds = busy_program(&b1);
	kick();
	igt_assert_eq(vf_engine_wait_spinning(&eng, WAIT_MS), 0);
	ncmds += busy_queue();
	migrate_vf(vf, vf2);
	migrate_vf(vf2, vf);
	igt_assert_eq_u64(eng_u64("context_saves"), 1);
	put(&data, SLOT_FLAG, 0x600d);
	igt_assert_eq(vf_guc_resfix_start(&vf->dev, XE_SRIOV_SIM_GT_PRIMARY, 6), 0);
	igt_assert_eq(vf_guc_resfix_done(&vf->dev, XE_SRIOV_SIM_GT_PRIMARY, 6), 0);
	st = wait_done(WAIT_MS);
	igt_assert_f(st_idle(st), "home again: engine %#x, not idle\n", st);
	igt_assert_eq_u32(get(&data, SLOT_POST), 0xb0);
	igt_assert_eq_u32(get(&data, SLOT_POST + 4), 0xb1);
	for (unsigned int i = 0; i < N_QUEUED; i++)
		igt_assert_eq_u32(get(&data, SLOT_QUEUED + 4 * i), 0xc0 + i);
	igt_assert_eq_u32(get(&data, SLOT_FENCE), 200);
	igt_assert_eq_u64(eng_u64("commands_executed"), ncmds);
	igt_assert_eq(vfio_dev_reset(&vf2->dev), 0);
	igt_assert_eq(vfio_dev_reset(&vf->dev), 0);
}

/* ---- the engine section of the GUC packet ---- */

enum blob_mut {
	BM_MAGIC, BM_SIZE, BM_STATE, BM_FLAGS, BM_DEPTH, BM_IDLE_DEPTH, BM_HUNG_NO_REASON,
	BM_REASON_NOT_HUNG, BM_POS_ALIGN, BM_POS_PAST_DEPTH, BM_POS_NO_ROOM, BM_RING_START,
	BM_CONTEXT, BM_HEAD, BM_PPGTT_ROOT, BM_RESERVED, BM_SHORT, BM_COUNT
};

static const char * const blob_mut_name[BM_COUNT] = {
	"bad-magic", "bad-size", "state-3", "unknown-flag", "depth-4", "idle-at-depth-1",
	"hung-without-reason", "reason-not-hung", "unaligned-batch-pos", "pos-past-depth",
	"no-room-for-batch-start", "ring-start-unaligned", "context-unaligned",
	"head-past-largest-ring", "ppgtt-root-bits", "reserved-set", "short-section",
};

static void restore_into(struct sriov_vf *v, const uint8_t *buf, size_t len, int want,
			 const char *what)
{
	int err;

	igt_assert_eq(pf_vf_control(&v->vf, PF_VF_RESET), 0);
	igt_assert_eq(pf_vf_control(&v->vf, PF_VF_PAUSE), 0);
	err = pf_vf_restore(&v->vf, buf, len, 0);
	igt_assert_f(err == want, "%s: restore gave %s, expected %s\n", what,
		     err ? strerror(-err) : "success", want ? strerror(-want) : "success");
}

static void mutate(struct xe_sriov_sim_guc_state *g, struct xe_sriov_sim_engine_state *x,
		   struct xe_stream_edit *e, int gi, enum blob_mut m)
{
	switch (m) {
	case BM_MAGIC:
		x->magic ^= 1;
		break;
	case BM_SIZE:
		x->size += 4;
		break;
	case BM_STATE:
		x->state = 3;
		break;
	case BM_FLAGS:
		x->flags |= 2;
		break;
	case BM_DEPTH:
		x->depth = 4;
		break;
	case BM_IDLE_DEPTH:
		x->state = XE_SRIOV_SIM_ENGINE_RUN_IDLE;
		x->spin_iterations = 0;
		x->depth = 1;
		x->batch_pos[1] = 0;
		break;
	case BM_HUNG_NO_REASON:
		x->state = XE_SRIOV_SIM_ENGINE_RUN_HUNG;
		break;
	case BM_REASON_NOT_HUNG:
		x->fault_reason = 1;
		break;
	case BM_POS_ALIGN:
		x->batch_pos[1] = 18;
		break;
	case BM_POS_PAST_DEPTH:
		x->batch_pos[2] = 4;
		break;
	case BM_POS_NO_ROOM:
		x->batch_pos[0] = 8;
		break;
	case BM_RING_START:
		x->ring_start |= 0x800;
		break;
	case BM_CONTEXT:
		x->context |= 4;
		break;
	case BM_HEAD:
		x->ring_head = XE_SRIOV_SIM_RING_SIZE_MAX;
		break;
	case BM_PPGTT_ROOT:
		x->ppgtt_root_lo |= 2;	/* PPGTT_ROOT keeps bits 46:12 and 0 only */
		break;
	case BM_RESERVED:
		x->reserved[8] = 1;
		break;
	case BM_SHORT:
		/* The engine section cut to 64 bytes; the sizes agree with it. */
		g->size = sizeof(*g) + 64;
		igt_assert_eq(xe_stream_edit_resize(e, gi, sizeof(*g) + 64), 0);
		break;
	case BM_COUNT:
		break;
	}
}

static void guc_blob(void)
{
	struct xe_sriov_sim_guc_state *g;
	struct xe_sriov_sim_engine_state *x;
	struct vf_batch *b1;
	struct xe_stream_error serr;
	struct xe_stream s;
	uint8_t *good, *bad;
	size_t good_len, bad_len;
	uint32_t st;
	int gi;

	/* The refused blobs are logged as xe logs a refused GT packet. */
	igt_emit_ignore_dmesg_regex("Failed to restore VF[0-9]+ GuC data");
	start();
	busy_program(&b1);
	kick();
	igt_assert_eq(vf_engine_wait_spinning(&eng, WAIT_MS), 0);
	igt_assert_eq(pf_vf_control(&vf->vf, PF_VF_PAUSE), 0);
	igt_assert_eq(pf_vf_save(&vf->vf, &good, &good_len), 0);
	igt_assert_f(!xe_stream_parse(good, good_len, &s, &serr), "%s\n", serr.msg);

	for (int m = 0; m <= BM_COUNT + 1; m++) {
		struct xe_stream_edit e;

		igt_assert_eq(xe_stream_edit_from(&e, &s), 0);
		gi = xe_stream_edit_find(&e, XE_SRIOV_PACKET_TYPE_GUC, 0);
		igt_assert_lte(0, gi);
		igt_assert_lte(sizeof(*g) + sizeof(*x), e.pkts[gi].len);
		g = (void *)e.pkts[gi].payload;
		x = (void *)(g + 1);
		if (m == 0)
			igt_assert_f(g->version == XE_SRIOV_SIM_GUC_STATE_VERSION &&
				     g->size == sizeof(*g) + sizeof(*x) &&
				     x->magic == XE_SRIOV_SIM_ENGINE_STATE_MAGIC &&
				     x->state == XE_SRIOV_SIM_ENGINE_RUN_BUSY && x->depth == 2 &&
				     x->batch_pos[0] == 28 && x->batch_pos[1] == 16 &&
				     x->spin_iterations > 0 &&
				     x->ring_start == (uint32_t)ga(&eng.ring, 0),
				     "GUC blob v%u, %u bytes: engine state %u depth %u positions %#x %#x spins %u\n",
				     g->version, g->size, x->state, x->depth, x->batch_pos[0],
				     x->batch_pos[1], x->spin_iterations);
		if (m < BM_COUNT) {
			mutate(g, x, &e, gi, m);
			/* Refused at the GUC packet: GGTT, MMIO, VRAM need not follow. */
			while ((size_t)gi + 2 < e.count)
				igt_assert_eq(xe_stream_edit_drop(&e, gi + 1), 0);
		} else if (m == BM_COUNT) {
			/* Version 1: no engine section. */
			g->version = XE_SRIOV_SIM_GUC_STATE_VERSION_1;
			g->size = sizeof(*g);
			igt_assert_eq(xe_stream_edit_resize(&e, gi, sizeof(*g)), 0);
		}
		igt_assert_eq(xe_stream_edit_bytes(&e, false, &bad, &bad_len), 0);
		xe_stream_edit_free(&e);
		if (m < BM_COUNT) {
			/* A GT packet the GuC refuses: EIO at the end (xe). */
			restore_into(vf2, bad, bad_len, -EIO, blob_mut_name[m]);
		} else {
			restore_into(vf2, bad, bad_len, 0, m == BM_COUNT ? "version 1" : "good");
			igt_assert_eq(pf_vf_control(&vf2->vf, PF_VF_RESUME), 0);
			igt_assert_eq(vfio_dev_read32(&vf2->dev, MMIO, XE_SRIOV_SIM_ENGINE_STATUS,
						      &st), 0);
			if (m == BM_COUNT) {
				uint32_t start_reg = ~0u;

				igt_assert_eq(vfio_dev_read32(&vf2->dev, MMIO,
							      XE_SRIOV_SIM_RING_START, &start_reg), 0);
				igt_assert_f(st == XE_SRIOV_SIM_ENGINE_STATE_PAUSED && !start_reg,
					     "GUC blob v1: engine %#x RING_START %#x, expected a reset engine, held\n",
					     st, start_reg);
			} else {
				igt_assert_f(st_depth(st) == 2 &&
					     (st & XE_SRIOV_SIM_ENGINE_STATUS_BUSY),
					     "good blob: engine %#x, expected BUSY 2 levels deep\n", st);
			}
		}
		free(bad);
	}
	xe_stream_free(&s);
	free(good);
	igt_assert_eq(pf_vf_control(&vf2->vf, PF_VF_RESET), 0);
	igt_assert_eq(vfio_dev_reset(&vf->dev), 0);
}

/* ---- main ---- */

static int opt_handler(int o, int index, void *data)
{
	if (o == 'X') {
		opt.extended = true;
		return IGT_OPT_HANDLER_SUCCESS;
	}
	return IGT_OPT_HANDLER_ERROR;
}

static const struct option long_opts[] = {
	{ "extended", no_argument, NULL, 'X' },
	{ NULL, 0, NULL, 0 },
};

static const char help_str[] =
	"  --extended\trandom-rings: 400 rings; pf-control-race: 20 s\n";

/* Also on a failed assert or a signal: the module's defaults back. */
static void sim_defaults(int sig)
{
	sim_param_set_uint(SPIN_LIMIT_PARAM, SPIN_LIMIT_DEFAULT);
}

int igt_main_args("", long_opts, help_str, opt_handler, NULL)
{
	igt_fixture() {
		int err = sriov_fixture_init(&fx);

		igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
		sriov_require_cap(&fx, PF_CAP_SIM_ENGINE | PF_CAP_SIM_VF_REGS,
				  "the sim's engine model");
		igt_require_f(!sriov_fixture_enable(&fx, 0, 2), "cannot enable 2 VFs on %s\n",
			      fx.pfs[0].name);
		vf = &fx.vfs[0][0];
		vf2 = &fx.vfs[0][1];
		igt_install_exit_handler(sim_defaults);
		igt_assert_eq(vf_driver_init(&drv, &vf->dev), 0);
		efd = vf_irq_open(&vf->dev);
		igt_assert_f(efd >= 0, "MSI eventfd: %s\n", strerror(-efd));
	}

	igt_describe("Each command's effect, only after the doorbell; ring wrap; register masks.");
	igt_subtest("commands")
		commands();

	igt_describe("COPY, COPY|COMPRESS, RESOLVE, CTRL_SURF_COPY, and a stale CCS byte.");
	igt_subtest("copy")
		copy();

	igt_describe("Nested batches, SPIN_UNTIL with a maximum, a long batch.");
	igt_subtest("batches")
		batches();

	igt_describe("The PF's pause: context image, doorbell remembered, resume, stop.");
	igt_subtest("pause")
		pause_();

	igt_describe("Every fault: reason, address, interrupt, debugfs, hung until FLR.");
	igt_subtest_with_dynamic("faults")
		faults();

	igt_describe("Random rings end hung or idle; the engine works afterwards.");
	igt_subtest("random-rings")
		random_rings();

	igt_describe("PF controls racing submissions; the engine works afterwards.");
	igt_subtest("pf-control-race")
		pf_control_race();

	igt_describe("A busy engine restored: held, as saved, until fixed; exactly once home.");
	igt_subtest("held-after-restore")
		held_after_restore();

	igt_describe("The GUC packet's engine section: saved, refused when impossible, v1.");
	igt_subtest("guc-blob")
		guc_blob();

	igt_fixture() {
		sim_defaults(0);
		vf_engine_fini(&eng);
		if (efd >= 0)
			vf_irq_close(&vf->dev, efd);
		vf_driver_fini(&drv);
		sriov_fixture_disable(&fx, -1);
	}
}
