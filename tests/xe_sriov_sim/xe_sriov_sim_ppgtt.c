// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_sim_ppgtt
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: per-VF PPGTT, system memory through VFIO DMA, migration
 * Description: The sim's per-VF page tables (uapi/xe_sriov_sim_ppgtt.h):
 *	a VF driver builds a four-level tree in its LMEM, sets PPGTT_ROOT
 *	and runs PPGTT batches whose addresses walk it, to LMEM pages (DM)
 *	and to pages of its DMA space (system memory the test maps with
 *	VFIO_IOMMU_MAP_DMA, reached by the sim with vfio_pin_pages() as an
 *	mdev reaches it). Faults of the walk, the invalidation a DMA unmap
 *	must be, and a busy PPGTT batch migrating to another VF.
 *
 * SUBTEST: root-register
 * Run type: BAT
 * Description: PPGTT_ROOT_LO/HI keep ENABLE and the address bits 46:12
 *	and read 0 elsewhere; an FLR zeroes them.
 *
 * SUBTEST: walk
 * Run type: BAT
 * Description: A PPGTT batch stores and copies through LMEM PTEs and
 *	system-memory PTEs (STORE_DWORD, STORE_SEQNO, COPY, COPY|COMPRESS,
 *	RESOLVE, CTRL_SURF_COPY), starts a nested PPGTT batch, and copies across
 *	page boundaries whose pages are mapped in reverse order (each page
 *	translated on its own); every byte lands where the PTEs say, in LMEM
 *	and in the test's own memory.
 *
 * SUBTEST: faults
 * Run type: BAT
 * Description: One dynamic subtest per walk fault: PPGTT disabled, an
 *	entry not present at each of the four levels, an LMEM address past
 *	the VF's LMEM, MBZ bits, a VA past 48 bits, a write through a
 *	read-only PTE, an IOVA that is not DMA mapped, and a BATCH_START
 *	without the PPGTT flag inside a PPGTT batch. Each hangs the engine
 *	with its ENGINE_STATUS fault reason and FAULT_ADDR the virtual
 *	address (of the access, or of the command for BAD_FLAGS), and the
 *	stores before it landed.
 *
 * SUBTEST: dma-unmap
 * Run type: BAT
 * Description: The engine writes through a system-memory PTE, then the
 *	test unmaps the IOVA range (VFIO_IOMMU_UNMAP_DMA): the next engine
 *	write there must fault PPGTT_DMA at that VA and leave the old page
 *	untouched. Catches dma-unmap-stale (the sim serving the unmapped
 *	range from a copy).
 *
 * SUBTEST: migrate
 * Run type: BAT
 * Description: A VF with PPGTT enabled spins inside a PPGTT batch (its
 *	gate in LMEM through a PTE) after writing LMEM and system memory,
 *	migrates VF1 -> VF2 (the same memory mapped at the same IOVA for the
 *	destination, as a VMM does) and recovers with xe's fixups, which
 *	leave PPGTT addresses alone. The context image the pause wrote holds
 *	the root and marks level 1 a PPGTT batch; PPGTT_ROOT reads the same
 *	after the hop,
 *	and once the gate opens the batch finishes on the destination with
 *	the results the CPU expects, in LMEM and in system memory.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "igt.h"
#include "sriov_fixture.h"
#include "uapi/xe_sriov_sim_ppgtt.h"
#include "vf_cmd.h"
#include "vf_guest.h"
#include "vf_ppgtt_build.h"

IGT_TEST_DESCRIPTION("The sim's per-VF PPGTT: walk, faults, DMA unmap, migration.");

#define NUM_VFS		2
#define PAGE		4096u
#define TIMEOUT_MS	10000
#define TABLES		24

/* Virtual addresses: batch, LMEM data, system memory, the fault target. */
#define VA_BATCH	0x000010000000ull
#define VA_BATCH2	0x000010100000ull
#define VA_LMEM		0x000020000000ull
#define VA_SYS		0x000030000000ull
/* Another level-3 entry than the others: its walk shares only the root. */
#define VA_FAR		0x008040201000ull
/* Where the test's system memory sits in the VF's DMA space. */
#define IOVA_SYS	0x100000000ull
#define SYS_PAGES	2

static struct sriov_fixture fx;
static struct vf_guest guest;
static struct vf_ppgtt pt;
/* The test's system memory: SYS_PAGES pages, mapped at IOVA_SYS. */
static uint8_t *sys;

static struct sriov_vf *vf(int i)
{
	return &fx.vfs[0][i];
}

static int dma_map(struct sriov_vf *v, void *mem, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)mem,
		.iova = iova,
		.size = size,
	};

	return ioctl(v->dev.container, VFIO_IOMMU_MAP_DMA, &map) ? -errno : 0;
}

static int dma_unmap(struct sriov_vf *v, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = iova,
		.size = size,
	};

	return ioctl(v->dev.container, VFIO_IOMMU_UNMAP_DMA, &unmap) ? -errno : 0;
}

/*
 * A fresh guest on v with an empty, enabled PPGTT and the test's system
 * memory (zeroed) mapped at IOVA_SYS in v's container.
 */
static void setup(struct sriov_vf *v)
{
	vf_guest_stop(&guest);
	igt_assert_f(!vf_guest_start(&guest, v, 0), "%s\n", guest.error);
	igt_assert_eq(vf_ppgtt_init(&pt, &guest.drv, TABLES), 0);
	igt_assert_eq(vf_ppgtt_enable(&pt), 0);
	memset(sys, 0, SYS_PAGES * PAGE);
	dma_unmap(v, IOVA_SYS, SYS_PAGES * PAGE);	/* what a failed subtest left */
	igt_assert_eq(dma_map(v, sys, IOVA_SYS, SYS_PAGES * PAGE), 0);
}

/* LMEM pages, not GGTT-visible to the batch: its data through PTEs. */
static struct vf_bo lmem_bo(unsigned int pages)
{
	struct vf_bo bo;

	igt_assert_eq(vf_driver_bo_create(&guest.drv, (uint64_t)pages * PAGE, &bo), 0);
	memset(vf_bo_map(&guest.drv, &bo), 0, bo.size);
	return bo;
}

static void map_lmem(uint64_t va, const struct vf_bo *bo, unsigned int page, uint64_t flags)
{
	igt_assert_eq(vf_ppgtt_map(&pt, va, bo->lmem_off + (uint64_t)page * PAGE,
				   XE_SRIOV_SIM_PPGTT_DM | flags), 0);
}

static void map_sys(uint64_t va, unsigned int page)
{
	igt_assert_eq(vf_ppgtt_map(&pt, va, IOVA_SYS + (uint64_t)page * PAGE,
				   XE_SRIOV_SIM_PPGTT_RW), 0);
}

/* A batch being written in LMEM, reached at a PPGTT VA. */
struct pbatch {
	struct vf_bo bo;
	uint32_t used;
};

static void pbatch_new(struct pbatch *b, uint64_t va)
{
	b->bo = lmem_bo(1);
	b->used = 0;
	map_lmem(va, &b->bo, 0, 0);
}

static void pbatch_emit(struct pbatch *b, const uint32_t *cs, unsigned int n)
{
	igt_assert(b->used + 4 * n <= b->bo.size);
	memcpy((uint8_t *)vf_bo_map(&guest.drv, &b->bo) + b->used, cs, 4 * n);
	b->used += 4 * n;
}

static void pb_store(struct pbatch *b, uint64_t va, uint32_t val)
{
	uint32_t cs[VF_CMD_MAX_DWORDS];

	pbatch_emit(b, cs, vf_cmd_store(cs, va, val));
}

static void pb_copy(struct pbatch *b, uint64_t src, uint64_t dst, uint32_t bytes)
{
	uint32_t cs[VF_CMD_MAX_DWORDS];

	pbatch_emit(b, cs, vf_cmd_copy(cs, XE_SRIOV_SIM_OP_COPY, 0, src, dst, bytes));
}

static void pb_end(struct pbatch *b)
{
	uint32_t cs[VF_CMD_MAX_DWORDS];

	pbatch_emit(b, cs, vf_cmd_batch_end(cs));
}

/* Ring: BATCH_START(PPGTT, va), a fence, kick. The fence's seqno. */
static uint32_t submit(uint64_t va)
{
	uint32_t cs[VF_CMD_MAX_DWORDS], seqno = 0;

	igt_assert_eq(vf_engine_emit(&guest.eng, cs, vf_cmd_batch_start_ppgtt(cs, va)), 0);
	igt_assert_eq(vf_engine_emit_fence(&guest.eng, &seqno), 0);
	igt_assert_eq(vf_engine_kick(&guest.eng), 0);
	return seqno;
}

static void run(uint64_t va)
{
	uint32_t seqno = submit(va);

	igt_assert_f(!vf_engine_wait_seqno(&guest.eng, seqno, TIMEOUT_MS), "%s\n",
		     guest.eng.error);
	igt_assert_f(!vf_engine_check_healthy(&guest.eng), "%s\n", guest.eng.error);
}

/* Until the engine hangs or goes idle (or the time is up): its fault. */
static struct vf_engine_fault wait_hung(void)
{
	struct vf_engine_fault f = { 0 };

	for (int i = 0; i < TIMEOUT_MS / 10; i++) {
		igt_assert_eq(vf_engine_read_fault(&guest.eng, &f), 0);
		if (f.state == XE_SRIOV_SIM_ENGINE_STATE_HUNG ||
		    (f.state == XE_SRIOV_SIM_ENGINE_STATE_IDLE &&
		     !(f.status & XE_SRIOV_SIM_ENGINE_STATUS_BUSY)))
			break;	/* faulted, or ran out of work without */
		usleep(10000);
	}
	return f;
}

static uint32_t lmem32(const struct vf_bo *bo, uint32_t off)
{
	return vf_driver_lmem_read32(&guest.drv, bo->lmem_off + off);
}

static uint32_t sys32(uint32_t off)
{
	return __atomic_load_n((uint32_t *)(sys + off), __ATOMIC_RELAXED);
}

static void root_register(void)
{
	uint64_t keep = XE_SRIOV_SIM_PPGTT_ROOT_ADDR_MASK | XE_SRIOV_SIM_PPGTT_ROOT_ENABLE;
	uint64_t val = 0;

	setup(vf(0));
	igt_assert_eq(vf_ppgtt_set_root(&pt, ~0ull), 0);
	igt_assert_eq(vf_ppgtt_read_root(&guest.drv, &val), 0);
	igt_assert_f(val == keep, "PPGTT_ROOT %#llx after writing all ones, expected %#llx\n",
		     (unsigned long long)val, (unsigned long long)keep);
	igt_assert_eq(vfio_dev_reset(&vf(0)->dev), 0);
	igt_assert_eq(vf_ppgtt_read_root(&guest.drv, &val), 0);
	igt_assert_f(val == 0, "PPGTT_ROOT %#llx after an FLR, expected 0\n",
		     (unsigned long long)val);
}

static void walk(void)
{
	/* Two LMEM pages mapped in reverse: VA page 0 -> LMEM page 1. */
	struct pbatch b, b2;
	struct vf_bo data;
	uint32_t sum = 0;
	uint8_t *d;

	setup(vf(0));
	data = lmem_bo(2);
	d = vf_bo_map(&guest.drv, &data);
	map_lmem(VA_LMEM, &data, 1, XE_SRIOV_SIM_PPGTT_RW);
	map_lmem(VA_LMEM + PAGE, &data, 0, XE_SRIOV_SIM_PPGTT_RW);
	/* System memory likewise: VA page 0 -> IOVA page 1. */
	map_sys(VA_SYS, 1);
	map_sys(VA_SYS + PAGE, 0);
	for (unsigned int i = 0; i < 64; i++)
		d[PAGE + 0x100 + i] = (uint8_t)(0xa0 + i);	/* VA_LMEM + 0x100 */
	for (unsigned int i = 0; i < 256; i++) {
		d[PAGE + 0x400 + i] = (uint8_t)(i * i + 3);	/* VA_LMEM + 0x400 */
		sum += d[PAGE + 0x400 + i];
	}

	pbatch_new(&b, VA_BATCH);
	pbatch_new(&b2, VA_BATCH2);
	pb_store(&b, VA_LMEM + 0x10, 0x11111111);
	pb_store(&b, VA_SYS + 0x20, 0x22222222);
	pb_copy(&b, VA_LMEM + 0x100, VA_SYS + 0x200, 64);
	{
		uint32_t cs[VF_CMD_MAX_DWORDS];

		pbatch_emit(&b, cs, vf_cmd_batch_start_ppgtt(cs, VA_BATCH2));
	}
	pb_store(&b, VA_LMEM + 0x14, 0x33333333);
	/* The CCS commands: compress in LMEM, resolve and read the CCS out to system memory. */
	{
		uint32_t cs[VF_CMD_MAX_DWORDS];

		pbatch_emit(&b, cs, vf_cmd_copy(cs, XE_SRIOV_SIM_OP_COPY, XE_SRIOV_SIM_COPY_COMPRESS,
						VA_LMEM + 0x400, VA_LMEM + 0x800, 256));
		pbatch_emit(&b, cs, vf_cmd_copy(cs, XE_SRIOV_SIM_OP_RESOLVE, 0, VA_LMEM + 0x800,
						VA_SYS + 0x400, 256));
		pbatch_emit(&b, cs, vf_cmd_copy(cs, XE_SRIOV_SIM_OP_CTRL_SURF_COPY, 0,
						VA_LMEM + 0x800, VA_SYS + 0x600, 256));
		pbatch_emit(&b, cs, vf_cmd_seqno(cs, VA_LMEM + 0x18, 0x55555555));
	}
	pb_end(&b);
	/* Nested: store, then page-crossing copies LMEM -> system -> LMEM. */
	pb_store(&b2, VA_SYS + PAGE + 0x30, 0x44444444);
	pb_copy(&b2, VA_LMEM + 0x100, VA_SYS + PAGE - 32, 64);
	pb_copy(&b2, VA_SYS + PAGE - 32, VA_LMEM + PAGE - 16, 64);
	pb_end(&b2);

	run(VA_BATCH);
	/* Cross-check through the GGTT: the CCS byte the PPGTT COMPRESS wrote. */
	{
		uint64_t g = vf_bo_ggtt(&guest.drv, &data) + PAGE;
		uint32_t cs[VF_CMD_MAX_DWORDS], seqno;

		igt_assert_eq(vf_engine_emit(&guest.eng, cs,
					     vf_cmd_copy(cs, XE_SRIOV_SIM_OP_CTRL_SURF_COPY, 0,
							 g + 0x800, g + 0xc00, 256)), 0);
		igt_assert_eq(vf_engine_emit_fence(&guest.eng, &seqno), 0);
		igt_assert_eq(vf_engine_kick(&guest.eng), 0);
		igt_assert_f(!vf_engine_wait_seqno(&guest.eng, seqno, TIMEOUT_MS), "%s\n",
			     guest.eng.error);
	}

	/* VA_LMEM page 0 is LMEM page 1; VA_SYS page 0 is IOVA page 1. */
	igt_assert_eq_u32(lmem32(&data, PAGE + 0x10), 0x11111111);
	igt_assert_eq_u32(lmem32(&data, PAGE + 0x14), 0x33333333);
	igt_assert_eq_u32(sys32(PAGE + 0x20), 0x22222222);
	igt_assert_eq_u32(sys32(0x30), 0x44444444);
	igt_assert_eq_u32(lmem32(&data, PAGE + 0x18), 0x55555555);
	/* Compressed in LMEM page 1 (its CCS there), resolved into system memory. */
	igt_assert_f(d[PAGE + 0x800] == (uint8_t)(d[PAGE + 0x400] ^ XE_SRIOV_SIM_CCS_OF(sum)),
		     "COMPRESS through the PPGTT: %#x, expected %#x\n", d[PAGE + 0x800],
		     (uint8_t)(d[PAGE + 0x400] ^ XE_SRIOV_SIM_CCS_OF(sum)));
	igt_assert_f(!memcmp(sys + PAGE + 0x400, d + PAGE + 0x400, 256),
		     "RESOLVE through the PPGTT did not give the original bytes back\n");
	igt_assert_f(d[PAGE + 0xc00] == XE_SRIOV_SIM_CCS_OF(sum),
		     "the block COMPRESS wrote through the PPGTT has CCS %#x seen through the GGTT, expected %#x\n",
		     d[PAGE + 0xc00], XE_SRIOV_SIM_CCS_OF(sum));
	igt_assert_f(sys[PAGE + 0x600] == XE_SRIOV_SIM_CCS_OF(sum),
		     "CTRL_SURF_COPY through the PPGTT read CCS %#x, expected %#x\n",
		     sys[PAGE + 0x600], XE_SRIOV_SIM_CCS_OF(sum));
	for (unsigned int i = 0; i < 64; i++) {
		uint8_t want = (uint8_t)(0xa0 + i);
		/* COPY 1: VA_SYS + 0x200 is sys[PAGE + 0x200]. */
		uint8_t c1 = sys[PAGE + 0x200 + i];
		/* COPY 2: 32 bytes at the end of IOVA page 1, 32 at IOVA page 0's start. */
		uint8_t c2 = i < 32 ? sys[PAGE + PAGE - 32 + i] : sys[i - 32];
		/* COPY 3: 16 bytes at the end of LMEM page 1, 48 at LMEM page 0's start. */
		uint8_t c3 = i < 16 ? d[PAGE + PAGE - 16 + i] : d[i - 16];

		igt_assert_f(c1 == want && c2 == want && c3 == want,
			     "byte %u: copies gave %#x %#x %#x, expected %#x\n", i, c1, c2, c3,
			     want);
	}
}

enum fault_kind {
	F_DISABLED, F_L3, F_L2, F_L1, F_L0, F_LMEM_PAST, F_PDE_PAST, F_MBZ, F_VA48,
	F_READ_ONLY, F_DMA, F_GGTT_BATCH,
};

static const struct {
	const char *name;
	enum fault_kind kind;
	uint32_t reason;
} fault_cases[] = {
	{ "disabled", F_DISABLED, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_DISABLED },
	{ "not-present-l3", F_L3, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_NOT_PRESENT },
	{ "not-present-l2", F_L2, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_NOT_PRESENT },
	{ "not-present-l1", F_L1, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_NOT_PRESENT },
	{ "not-present-l0", F_L0, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_NOT_PRESENT },
	{ "lmem-past-end", F_LMEM_PAST, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_RANGE },
	{ "pde-past-end", F_PDE_PAST, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_RANGE },
	{ "mbz-bits", F_MBZ, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_RANGE },
	{ "va-past-48-bits", F_VA48, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_RANGE },
	{ "read-only", F_READ_ONLY, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_READ_ONLY },
	{ "dma-not-mapped", F_DMA, XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_DMA },
	{ "ggtt-batch-in-ppgtt", F_GGTT_BATCH, XE_SRIOV_SIM_ENGINE_FAULT_BAD_FLAGS },
};

static void set_entry(uint64_t va, unsigned int level, uint64_t clear, uint64_t set)
{
	volatile uint64_t *e = vf_ppgtt_entry(&pt, va, level);

	igt_assert(e);
	*e = (*e & ~clear) | set;
}

static void one_fault(enum fault_kind kind, uint32_t reason)
{
	struct vf_bo data, target;
	struct vf_engine_fault f;
	uint64_t va = VA_FAR + 0x40;
	struct pbatch b;

	setup(vf(0));
	data = lmem_bo(1);
	target = lmem_bo(1);
	map_lmem(VA_LMEM, &data, 0, XE_SRIOV_SIM_PPGTT_RW);
	map_lmem(VA_FAR, &target, 0, XE_SRIOV_SIM_PPGTT_RW);
	pbatch_new(&b, VA_BATCH);
	pb_store(&b, VA_LMEM, 0x600d);	/* lands before the fault */

	switch (kind) {
	case F_DISABLED:
		igt_assert_eq(vf_ppgtt_set_root(&pt, pt.root), 0);
		va = VA_BATCH;	/* the batch's first fetch */
		break;
	case F_L3:
	case F_L2:
	case F_L1:
	case F_L0:
		set_entry(VA_FAR, 3 - (kind - F_L3), XE_SRIOV_SIM_PPGTT_PRESENT, 0);
		break;
	case F_LMEM_PAST:
		set_entry(VA_FAR, 0, XE_SRIOV_SIM_PPGTT_ADDR_MASK, guest.drv.cfg.lmem_size);
		break;
	case F_PDE_PAST:
		set_entry(VA_FAR, 1, XE_SRIOV_SIM_PPGTT_ADDR_MASK,
			  guest.drv.cfg.lmem_size + 16 * PAGE);
		break;
	case F_MBZ:
		set_entry(VA_FAR, 0, 0, 1ull << 5);
		break;
	case F_VA48:
		va = 1ull << XE_SRIOV_SIM_PPGTT_VA_BITS | VA_LMEM;
		break;
	case F_READ_ONLY:
		set_entry(VA_FAR, 0, XE_SRIOV_SIM_PPGTT_RW, 0);
		break;
	case F_DMA:
		/* A system-memory PTE whose IOVA nobody mapped. */
		set_entry(VA_FAR, 0, XE_SRIOV_SIM_PPGTT_ADDR_MASK | XE_SRIOV_SIM_PPGTT_DM,
			  IOVA_SYS + 64 * PAGE);
		break;
	case F_GGTT_BATCH:
		break;
	}
	if (kind == F_GGTT_BATCH) {
		uint32_t cs[VF_CMD_MAX_DWORDS];

		va = VA_BATCH + b.used;	/* the command's address */
		pbatch_emit(&b, cs, vf_cmd_batch_start(cs, VA_BATCH2));
	} else {
		pb_store(&b, va, 0xbad);
	}
	pb_end(&b);
	submit(VA_BATCH);

	f = wait_hung();
	igt_assert_f(f.state == XE_SRIOV_SIM_ENGINE_STATE_HUNG,
		     "no fault: ENGINE_STATUS %#x, expected a hang with %s at %#llx\n", f.status,
		     vf_engine_fault_name(reason), (unsigned long long)va);
	igt_assert_f(f.reason == reason && f.addr == va,
		     "fault %s at %#llx, expected %s at %#llx\n", vf_engine_fault_name(f.reason),
		     (unsigned long long)f.addr, vf_engine_fault_name(reason),
		     (unsigned long long)va);
	if (kind != F_DISABLED)
		igt_assert_eq_u32(lmem32(&data, 0), 0x600d);
	igt_assert_eq_u32(lmem32(&target, 0x40), 0);
}

static void faults(void)
{
	for (size_t i = 0; i < sizeof(fault_cases) / sizeof(fault_cases[0]); i++)
		igt_dynamic(fault_cases[i].name)
			one_fault(fault_cases[i].kind, fault_cases[i].reason);
}

static void dma_unmap_invalidates(void)
{
	struct vf_engine_fault f;
	struct pbatch b, b2;

	setup(vf(0));
	map_sys(VA_SYS, 0);
	pbatch_new(&b, VA_BATCH);
	pb_store(&b, VA_SYS, 0x11110000);
	pb_end(&b);
	pbatch_new(&b2, VA_BATCH2);
	pb_store(&b2, VA_SYS + 4, 0x22220000);
	pb_end(&b2);

	run(VA_BATCH);
	igt_assert_eq_u32(sys32(0), 0x11110000);	/* pinned, written */

	igt_assert_eq(dma_unmap(vf(0), IOVA_SYS, SYS_PAGES * PAGE), 0);
	submit(VA_BATCH2);
	f = wait_hung();
	igt_assert_f(f.state == XE_SRIOV_SIM_ENGINE_STATE_HUNG,
		     "engine used IOVA %#llx after its DMA unmap: no fault (ENGINE_STATUS %#x)\n",
		     (unsigned long long)IOVA_SYS + 4, f.status);
	igt_assert_f(f.reason == XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_DMA && f.addr == VA_SYS + 4,
		     "fault %s at %#llx, expected PPGTT_DMA at %#llx\n",
		     vf_engine_fault_name(f.reason), (unsigned long long)f.addr,
		     (unsigned long long)VA_SYS + 4);
	igt_assert_f(sys32(4) == 0,
		     "engine used IOVA %#llx after its DMA unmap: the old page got %#x\n",
		     (unsigned long long)IOVA_SYS + 4, sys32(4));
}

static void migrate(void)
{
	struct vf_bo data, gate;
	uint64_t root_before = 0, root_after = 0;
	struct xe_sriov_sim_engine_context img;
	struct vf_guest_hop hop;
	uint32_t cs[VF_CMD_MAX_DWORDS], seqno;
	struct pbatch b;
	int err;

	setup(vf(0));
	/* The destination reaches the same memory at the same IOVA. */
	dma_unmap(vf(1), IOVA_SYS, SYS_PAGES * PAGE);
	igt_assert_eq(dma_map(vf(1), sys, IOVA_SYS, SYS_PAGES * PAGE), 0);
	data = lmem_bo(2);
	gate = lmem_bo(1);
	map_lmem(VA_LMEM, &data, 1, XE_SRIOV_SIM_PPGTT_RW);
	map_lmem(VA_LMEM + PAGE, &data, 0, XE_SRIOV_SIM_PPGTT_RW);
	map_lmem(VA_FAR, &gate, 0, XE_SRIOV_SIM_PPGTT_RW);
	map_sys(VA_SYS, 1);
	map_sys(VA_SYS + PAGE, 0);

	pbatch_new(&b, VA_BATCH);
	pb_store(&b, VA_LMEM + PAGE - 4, 0xaaaa0001);
	pb_store(&b, VA_LMEM + PAGE, 0xeeee0005);
	pb_store(&b, VA_SYS + 0x40, 0xbbbb0002);
	pbatch_emit(&b, cs, vf_cmd_spin_until(cs, VA_FAR, 1, 0));
	/* Source and destination both cross a page, on the destination VF. */
	pb_copy(&b, VA_LMEM + PAGE - 4, VA_SYS + PAGE - 4, 8);
	pb_store(&b, VA_SYS + PAGE + 0x80, 0xcccc0003);
	pb_store(&b, VA_LMEM + 0x10, 0xdddd0004);
	pb_end(&b);

	seqno = submit(VA_BATCH);
	igt_assert_f(!vf_engine_wait_spinning(&guest.eng, TIMEOUT_MS), "%s\n", guest.eng.error);
	igt_assert_eq(vf_ppgtt_read_root(&guest.drv, &root_before), 0);
	igt_assert_eq_u64(root_before, pt.root | XE_SRIOV_SIM_PPGTT_ROOT_ENABLE);

	err = vf_guest_migrate(&guest, vf(1), &hop);
	igt_assert_f(!err, "%s\n", guest.error);
	/* The source's pause wrote the context image; it moved with the LMEM. */
	memcpy(&img, vf_bo_map(&guest.drv, &guest.eng.ctx), sizeof(img));
	igt_assert_f(img.magic == XE_SRIOV_SIM_ENGINE_CONTEXT_MAGIC &&
		     (img.ppgtt_root_lo | (uint64_t)img.ppgtt_root_hi << 32) == root_before &&
		     img.depth == 1 && img.batch_ppgtt == 1,
		     "context image: magic %#x root %#x:%#x depth %u batch_ppgtt %#x, expected root %#llx, level 1 PPGTT\n",
		     img.magic, img.ppgtt_root_hi, img.ppgtt_root_lo, img.depth, img.batch_ppgtt,
		     (unsigned long long)root_before);
	igt_assert_eq(vf_ppgtt_read_root(&guest.drv, &root_after), 0);
	igt_assert_f(root_after == root_before, "PPGTT_ROOT %#llx after the hop, was %#llx\n",
		     (unsigned long long)root_after, (unsigned long long)root_before);

	/* Open the gate through the BAR2 of the destination. */
	__atomic_store_n((uint32_t *)vf_bo_map(&guest.drv, &gate), 1, __ATOMIC_RELEASE);
	igt_assert_f(!vf_engine_wait_seqno(&guest.eng, seqno, TIMEOUT_MS), "%s\n",
		     guest.eng.error);
	igt_assert_f(!vf_engine_check_healthy(&guest.eng), "%s\n", guest.eng.error);

	/* VA_LMEM page 0 is LMEM page 1, VA_SYS page 0 IOVA page 1. */
	igt_assert_eq_u32(lmem32(&data, PAGE + PAGE - 4), 0xaaaa0001);
	igt_assert_eq_u32(lmem32(&data, 0), 0xeeee0005);
	igt_assert_eq_u32(sys32(PAGE + 0x40), 0xbbbb0002);
	igt_assert_eq_u32(sys32(PAGE + PAGE - 4), 0xaaaa0001);
	igt_assert_eq_u32(sys32(0), 0xeeee0005);
	igt_assert_eq_u32(sys32(0x80), 0xcccc0003);
	igt_assert_eq_u32(lmem32(&data, PAGE + 0x10), 0xdddd0004);
	dma_unmap(vf(1), IOVA_SYS, SYS_PAGES * PAGE);
}

int igt_main()
{
	igt_fixture() {
		int err = sriov_fixture_init(&fx);

		igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
		sriov_require_cap(&fx, PF_CAP_SIM_ENGINE | PF_CAP_SIM_VF_REGS,
				  "PPGTT batches on the sim's engine");
		igt_require_f(!sriov_fixture_enable(&fx, 0, NUM_VFS),
			      "cannot enable %d VFs on %s\n", NUM_VFS, fx.pfs[0].name);
		sys = mmap(NULL, SYS_PAGES * PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		igt_assert(sys != MAP_FAILED);
	}

	igt_describe("PPGTT_ROOT keeps its defined bits; an FLR zeroes it.");
	igt_subtest("root-register")
		root_register();

	igt_describe("PPGTT batches store and copy through LMEM and system-memory PTEs.");
	igt_subtest("walk")
		walk();

	igt_describe("Each walk fault hangs the engine with its reason at the virtual address.");
	igt_subtest_with_dynamic("faults")
		faults();

	igt_describe("A DMA unmap invalidates: the engine faults PPGTT_DMA, the page stays.");
	igt_subtest("dma-unmap")
		dma_unmap_invalidates();

	igt_describe("A busy PPGTT batch migrates VF1 -> VF2 and finishes with the same results.");
	igt_subtest("migrate")
		migrate();

	igt_fixture() {
		vf_guest_stop(&guest);
		sriov_fixture_disable(&fx, -1);
	}
}
