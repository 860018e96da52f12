// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_sim_qemu_vf
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: VF live migration with QEMU
 * Description: A sim VF passed to a QEMU 10 guest with vfio-pci
 *	(sysfsdev=, enable-migration=on) and migrated live by QEMU, inside
 *	the sim VM where xe_sriov_sim's VFs exist. The nested guest runs no
 *	OS (its firmware halts the vCPU); the test is its driver through
 *	QEMU's qtest socket: config cycles on ports 0xcf8/0xcfc, BAR reads
 *	and writes in its physical address space, every one of them going
 *	through QEMU's vfio-pci to the VF. A VF is reset when QEMU opens and
 *	closes it (as vfio-pci resets a real VF), so what a VF holds is
 *	written and checked while QEMU holds it. Skips without a sim PF
 *	(on the host) or without QEMU.
 *
 * SUBTEST: sim-vf-in-qemu
 * Run type: BAT
 * Description: The guest finds the VF, sizes its BARs (BAR0 16 MiB 64-bit
 *	non-prefetchable, BAR2 LMEM 64-bit prefetchable), finds its MSI
 *	capability, assigns the BARs, enables memory, bus mastering and MSI
 *	(address in guest RAM), and fills LMEM, the scratch registers and
 *	the GGTT PTEs with a seeded pattern (nonzero CCS through the PF's
 *	debugfs: a compressed LMEM). QEMU then migrates the guest to a second QEMU holding
 *	another VF (return-path, switchover-ack, explicit downtime-limit and
 *	max-bandwidth; the device state travels in the stream), and back to
 *	a third holding the first VF (--hops, default 2). After every hop the
 *	destination guest's BARs are where the source put them, the VF's
 *	MIGRATED interrupt reached the guest as its MSI write, scratch and
 *	PTEs (with the destination's VF id) are the source's, and LMEM is
 *	the source's decompressed with CCS all 0 (a dgfx PF's stream carries
 *	VRAM decompressed, no CCS). Skips on an igfx PF. Each hop's total time, downtime and VFIO device bytes are
 *	printed and, with XEMT_RESULTS_DIR, appended to vm-migration.jsonl.
 *	Once QEMU quits, each VF opens through VFIO again, reset.
 *
 * SUBTEST: wrong-device
 * Run type: BAT
 * Description: The same source guest, migrated to a QEMU holding a VF of
 *	the second PF (another PCI device id): the VF's restore refuses the
 *	stream's descriptor with ENODEV, which fails QEMU's load ("No such
 *	device") before its own PCI config check would; the hop fails on both sides,
 *	the source resumes ("running") and its guest still finds LMEM,
 *	scratch, PTEs and CCS as it wrote them (compressed). Then a QEMU holding a VF of
 *	the source's PF takes the guest, checked as in sim-vf-in-qemu. Skips
 *	with a single PF.
 *
 * SUBTEST: busy-vf-hops
 * Run type: BAT
 * Description: The guest's VF driver is the project's VF driver model
 *	(lib/vf_driver, vf_engine, the workloads) over the qtest transport
 *	(lib/vf_io.h: BAR0 and BAR2 through the guest's physical address
 *	space, the MSI polled in guest RAM, LMEM through a shadow). With a
 *	mix workload queued behind a closed gate, running on a slowed engine
 *	or spinning on a gate in its middle (in turn), a seqno workload
 *	queued behind it and a ccs workload (spinning with a compressed
 *	surface in front of a queued mix), QEMU migrates the VM VF1 -> VF2
 *	-> VF1 ... (--busy-hops, default 3, 12 with --extended; return-path,
 *	switchover-ack, downtime limit, bandwidth). After each hop, before the
 *	guest touches it, the destination holds what the stopped source
 *	holds (read through its QEMU): VRAM decompressed, CCS 0, PTEs with
 *	the destination's VF id, scratch; then the guest takes the MIGRATED
 *	MSI of both GTs and recovers as xe does (RESFIX_START, requery,
 *	engine fixups, RESFIX_DONE), the fence has not gone back, every
 *	workload completes and verifies (gate records: no lost or replayed
 *	command; contents; CCS), the fence ends at the last seqno emitted,
 *	and a bystander VF (VF3, filled through VFIO) is unchanged. Per-hop
 *	metrics, with the guest's MIGRATED and recovery times and fixup
 *	counts, go to vm-migration.jsonl. The hops are a plan (lib/replay.h:
 *	per hop the VF, the phase, the workload in that phase, its seed, and
 *	a fault planted from that hop on, one found planted by hand
 *	included), from --busy-seed or given by --busy-plan; a failure prints
 *	the one command that replays it up to the hop that failed, and with
 *	--minimize shrinks it by delta debugging (fewer hops, the mix down to
 *	one workload, smaller --busy-scale) while it fails the same way, and
 *	prints the smallest. Skips on an igfx PF or with fewer than 3 VFs.
 *
 * SUBTEST: busy-vf-hops-planted
 * Run type: BAT
 * Description: busy-vf-hops (3 hops) with a data-path defect of
 *	xe_sriov_sim planted, one dynamic subtest each, must fail with that
 *	defect's message: vram-flip (the destination's LMEM differs from the
 *	stopped source's), ccs-drop (VRAM arrived as stored, compressed
 *	blocks without their CCS), ggtt-vfid (PTEs carry another VF id),
 *	cmd-lost (a gate wait passed while closed: its SPIN_UNTIL lost). The
 *	fault is set back to none and the QEMUs end (resetting the VFs),
 *	also when the check fails.
 *
 * SUBTEST: cancel-phases
 * Run type: BAT
 * Description: The busy guest of busy-vf-hops (VF1, bystander VF3), a
 *	seqno workload spinning on a closed gate in its middle (half its
 *	jobs done, half queued), and a migration to a QEMU holding VF2 that
 *	does not happen, cut at every phase, one dynamic subtest each:
 *	ram (migrate_cancel while RAM moves: 8 MiB of guest RAM filled,
 *	max-bandwidth 1 MiB/s, the cut once query-migrate shows 256 KiB
 *	gone), stop-copy (the source's VF in STOP_COPY with its stream part
 *	read, the sim's data fds slowed down: QEMU holds the BQL until the
 *	device state is sent, so a migrate_cancel sent then waits; yank on an
 *	out-of-band monitor cuts the channel), dest-resuming (the destination
 *	QEMU SIGKILLed while its VF is RESUMING with part of the stream
 *	loaded), dest-dies-ram (SIGKILLed while RAM moves). After each the
 *	source QEMU runs again, its VF is in RUNNING (sim debugfs
 *	migration), QEMU did not reset it (a STOP_COPY left before the data
 *	is drained fails with EIO in xe, and QEMU then resets the VF: not
 *	the case in stop-copy, since at most the 4 VRAM chunks are unread,
 *	which xe's 5-packet ring takes: stop-copy skips on a VF where it
 *	would be), no MIGRATED was raised, the fence has not moved while the
 *	gate was closed, the destination's VF is in RUNNING and clear once
 *	its QEMU is gone, every job then runs exactly once, a new workload
 *	completes, the bystander is unchanged and no fd is left open.
 *	stop-copy-undrained: the cut of stop-copy on a save in 4 KiB VRAM
 *	chunks (the sim's vram_chunk_size written at run time, after
 *	out-of-range values were refused with EINVAL and left it unchanged;
 *	the old size written back once the save is in STOP_COPY, and on
 *	failure), so that more than xe's ring is unread: the outcome xe
 *	documents, QEMU's line says the arc to RUNNING_P2P failed with EIO
 *	and it reset the device, the source runs again with its VF in
 *	RUNNING, engine idle, ring registers and VF_IRQ_STATUS zero and the
 *	LMEM its driver wrote cleared (the work in flight is lost); the
 *	guest's driver probes and inits again and a new workload completes;
 *	the destination, bystander and fd checks are as above. Then
 *	dest-takes-guest: a new QEMU on VF2 takes the guest in a real hop
 *	with work queued, and the guest recovers there.
 */

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <inttypes.h>
#include <linux/pci_regs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt.h"
#include "qemu_migrate.h"
#include "qemu_vm.h"
#include "qtest.h"
#include "replay.h"
#include "sim_pf.h"
#include "sriov_fixture.h"
#include "sysfs_util.h"
#include "uapi/xe_sriov_sim.h"
#include "uapi/xe_sriov_sim_faults.h"
#include "uapi/xe_sriov_sim_regs.h"
#include "vf_driver.h"
#include "vf_engine.h"
#include "vf_guc.h"
#include "vf_guest.h"
#include "vf_io.h"
#include "vf_irq.h"
#include "vf_state.h"
#include "wl_phase.h"
#include "wl_ref.h"
#include "workload.h"
#include "xe_log.h"

IGT_TEST_DESCRIPTION("A sim VF in a QEMU guest, migrated live by QEMU, its contents checked through the guest.");

#define MIB		(1ULL << 20)
#define GUEST_MEM_MB	32
/* Where the guest puts the BARs: below 4 GiB for BAR0, above for BAR2. */
#define GUEST_BAR0	0xe0000000ull
#define GUEST_BAR2	0x100000000ull
/* The MSI goes to guest RAM, so the test sees it as a memory write. */
#define GUEST_MSI_ADDR	0x7000u
#define GUEST_MSI_DATA	0x4d49u
#define MAX_HOPS	16
/* busy-vf-hops: hops in check, with --extended, at most. */
#define BUSY_HOPS	3
#define BUSY_HOPS_EXTENDED	12
#define MAX_BUSY_HOPS	1000

struct guest {
	struct qemu_vm vm;
	struct qtest qt;
	struct sriov_vf *vf;	/* the VF it holds */
	struct vf_io_qtest qio;	/* its VF as the guest's driver reaches it */
	struct qmp oob;		/* its second monitor, out-of-band (cancel-phases) */
	int devfn;
	char name[32];
	char oob_opt[160];
};

struct test {
	struct sriov_fixture fx;
	char dir[64];		/* sockets: short, for sun_path */
	char log_dir[4096];
	char firmware[128];
	char qemu_version[32];
	unsigned int hops;
	unsigned int busy_hops;	/* 0: BUSY_HOPS, or BUSY_HOPS_EXTENDED */
	bool extended;
	struct replay_opts replay;	/* --busy-seed, --busy-plan, --busy-scale, --minimize */
	FILE *metrics;		/* vm-migration.jsonl, or NULL */
	struct guest g[2];
	unsigned int started;
	const char *subtest;	/* for the metrics */
	uint16_t marker;	/* the guest driver's last RESFIX marker */
	bool oob_monitor;	/* QEMUs get a second QMP socket, <name>.oob */
};

static struct test t = { .hops = 2 };
static char report[4096];

static int opt_handler(int opt, int opt_index, void *data)
{
	switch (opt) {
	case 'H':
		t.hops = strtoul(optarg, NULL, 10);
		return t.hops && t.hops <= MAX_HOPS ? IGT_OPT_HANDLER_SUCCESS :
						       IGT_OPT_HANDLER_ERROR;
	case 'B':
		t.busy_hops = strtoul(optarg, NULL, 10);
		return t.busy_hops && t.busy_hops <= MAX_BUSY_HOPS ? IGT_OPT_HANDLER_SUCCESS :
								    IGT_OPT_HANDLER_ERROR;
	case 'X':
		t.extended = true;
		return IGT_OPT_HANDLER_SUCCESS;
	}
	return replay_opt(&t.replay, opt, optarg, workload_known) ? IGT_OPT_HANDLER_ERROR :
								    IGT_OPT_HANDLER_SUCCESS;
}

static const struct option long_opts[] = {
	{ "hops", required_argument, NULL, 'H' },
	{ "busy-hops", required_argument, NULL, 'B' },
	{ "extended", no_argument, NULL, 'X' },
	REPLAY_LONG_OPTS("busy-"),
	{ 0 }
};

static const char help_str[] =
	"  --hops N        hops of sim-vf-in-qemu, alternating between two VFs (default 2)\n"
	"  --busy-hops N   hops of busy-vf-hops (default 3, 12 with --extended)\n"
	"  --extended      more busy hops\n"
	REPLAY_HELP("busy-", "busy-vf-hops");

/* Exit and signal handler: kill(2) only, unless it is a plain exit. */
static void cleanup(int sig)
{
	qemu_vm_kill_all();
	if (!sig && t.dir[0])
		qemu_vm_remove_dir(t.dir);
}

/*
 * The guest's firmware: 64 KiB whose reset vector (at 0xfff0, mapped at
 * 0xfffffff0) is "cli; hlt; jmp .-1". The vCPU halts at once, so nothing
 * in the guest touches the PCI devices but the test.
 */
static void write_firmware(void)
{
	static const unsigned char reset_vector[] = { 0xfa, 0xf4, 0xeb, 0xfd };
	unsigned char *img = calloc(1, 65536);
	FILE *f;

	igt_assert(img);
	memcpy(img + 0xfff0, reset_vector, sizeof(reset_vector));
	snprintf(t.firmware, sizeof(t.firmware), "%s/halt.bin", t.dir);
	f = fopen(t.firmware, "w");
	igt_assert_f(f && fwrite(img, 65536, 1, f) == 1 && !fclose(f),
		     "cannot write %s: %m\n", t.firmware);
	free(img);
}

static void setup(void)
{
	int err = sriov_fixture_init(&t.fx);
	int killed;

	igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
	/* The guest's driver here is the test itself, on the sim's register model. */
	sriov_require_cap(&t.fx, PF_CAP_SIM_VF_REGS | PF_CAP_SIM_CCS,
			  "a guest driven through qtest with no xe inside it");
	igt_require_f(qemu_vm_version_ok(t.qemu_version, sizeof(t.qemu_version)),
		      "no qemu-system-x86_64 >= 9.1 in PATH (found '%s'); the sim VM's initramfs packs the host's QEMU (runner/vm/mkinitramfs.sh)\n",
		      t.qemu_version);
	igt_install_exit_handler(cleanup);
	killed = qemu_vm_reap_stale();
	if (killed)
		igt_info("killed %d QEMU left running by an earlier run\n", killed);
	snprintf(t.dir, sizeof(t.dir), "/tmp/xemt-qvf.%d.XXXXXX", (int)getpid());
	igt_assert_f(mkdtemp(t.dir), "mkdtemp: %m\n");
	write_firmware();
	err = qemu_vm_results_open(t.dir, t.log_dir, sizeof(t.log_dir), &t.metrics);
	igt_assert_f(!err, "cannot open $XEMT_RESULTS_DIR/vm-migration.jsonl: %s\n",
		     strerror(-err));
	igt_info("QEMU %s (tcg), guest %u MiB, PF %s\n", t.qemu_version, GUEST_MEM_MB,
		 t.fx.pfs[0].name);
}

/* ---- the guest's view of the VF, through qtest ---- */

static struct guest *guest_of(void *ctx)
{
	return ctx;
}

static int bar0_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	return qtest_memread(&guest_of(ctx)->qt, GUEST_BAR0 + off, buf, len);
}

static int bar0_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	return qtest_memwrite(&guest_of(ctx)->qt, GUEST_BAR0 + off, buf, len);
}

static int bar2_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	return qtest_memread(&guest_of(ctx)->qt, GUEST_BAR2 + off, buf, len);
}

static int bar2_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	return qtest_memwrite(&guest_of(ctx)->qt, GUEST_BAR2 + off, buf, len);
}

static struct vf_access guest_access(struct guest *g)
{
	return (struct vf_access) {
		.ctx = g, .lmem_size = g->vf->cfg.lmem_size,
		.mmio_read = bar0_read, .mmio_write = bar0_write,
		.lmem_read = bar2_read, .lmem_write = bar2_write,
	};
}

static uint32_t cfg_read(struct guest *g, unsigned int off)
{
	uint32_t v = 0;

	igt_assert_f(!qtest_pci_read32(&g->qt, g->devfn, off, &v), "%s: %s\n", g->name,
		     g->qt.error);
	return v;
}

static void cfg_write(struct guest *g, unsigned int off, uint32_t v)
{
	igt_assert_f(!qtest_pci_write32(&g->qt, g->devfn, off, v), "%s: %s\n", g->name,
		     g->qt.error);
}

static uint32_t reg_read(struct guest *g, uint64_t off)
{
	uint32_t v = 0;

	igt_assert_f(!qtest_readl(&g->qt, GUEST_BAR0 + off, &v), "%s: %s\n", g->name,
		     g->qt.error);
	return v;
}

static void reg_write(struct guest *g, uint64_t off, uint32_t v)
{
	igt_assert_f(!qtest_writel(&g->qt, GUEST_BAR0 + off, v), "%s: %s\n", g->name,
		     g->qt.error);
}

static uint32_t ram_read(struct guest *g, uint64_t addr)
{
	uint32_t v = 0;

	igt_assert_f(!qtest_readl(&g->qt, addr, &v), "%s: %s\n", g->name, g->qt.error);
	return v;
}

/* Write all-ones to a 64-bit BAR pair and read back what the VF decodes. */
static uint64_t size_bar(struct guest *g, unsigned int bar)
{
	uint64_t v;

	cfg_write(g, bar, 0xffffffff);
	cfg_write(g, bar + 4, 0xffffffff);
	v = cfg_read(g, bar) | (uint64_t)cfg_read(g, bar + 4) << 32;
	cfg_write(g, bar, 0);
	cfg_write(g, bar + 4, 0);
	return v;
}

static void check_bar(struct guest *g, unsigned int bar, uint64_t size, uint32_t type)
{
	uint64_t got = size_bar(g, bar);
	uint64_t want = ~(size - 1) | type;

	igt_assert_f(got == want, "BAR at %#x sizes as %#" PRIx64 ", expected %#" PRIx64
		     " (%" PRIu64 " bytes, type %#x)\n", bar, got, want, size, type);
}

static uint64_t pow2_roundup(uint64_t x)
{
	uint64_t p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

/*
 * What a guest driver does at probe: identify the VF, size the BARs, find
 * MSI, then assign the BARs, enable memory, bus mastering and MSI.
 */
static void guest_probe(struct guest *g)
{
	const struct xemig_pf *pf = g->vf->vf.pf;
	uint32_t class, ptr, cap, cmd;

	g->devfn = qtest_pci_find(&g->qt, XE_SRIOV_SIM_VENDOR_ID, pf->device_id);
	igt_assert_f(g->devfn >= 0, "%s: %s\n", g->name, g->qt.error);
	class = cfg_read(g, PCI_CLASS_REVISION);
	igt_assert_f(class >> 8 == XE_SRIOV_SIM_CLASS_CODE && (class & 0xff) == pf->revision_id,
		     "class/revision %#x\n", class);
	igt_assert_eq_u32(cfg_read(g, PCI_SUBSYSTEM_VENDOR_ID),
			  XE_SRIOV_SIM_SUBSYSTEM_ID << 16 | XE_SRIOV_SIM_SUBSYSTEM_VENDOR_ID);

	check_bar(g, PCI_BASE_ADDRESS_0, XE_SRIOV_SIM_BAR0_SIZE,
		  PCI_BASE_ADDRESS_MEM_TYPE_64);
	check_bar(g, PCI_BASE_ADDRESS_2, pow2_roundup(g->vf->cfg.lmem_size),
		  PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH);
	cfg_write(g, PCI_BASE_ADDRESS_4, 0xffffffff);
	igt_assert_eq_u32(cfg_read(g, PCI_BASE_ADDRESS_4), 0);
	igt_assert_eq_u32(cfg_read(g, PCI_BASE_ADDRESS_5), 0);
	igt_assert_eq_u32(cfg_read(g, PCI_ROM_ADDRESS), 0);
	igt_assert_eq_u32(cfg_read(g, PCI_INTERRUPT_LINE) >> 8 & 0xff, 0);	/* no INTx pin */

	igt_assert_f(cfg_read(g, PCI_COMMAND) >> 16 & PCI_STATUS_CAP_LIST,
		     "no capability list\n");
	ptr = cfg_read(g, PCI_CAPABILITY_LIST) & 0xfc;
	igt_assert_f(ptr >= 0x40, "capability pointer %#x\n", ptr);
	cap = cfg_read(g, ptr);
	igt_assert_f((cap & 0xff) == PCI_CAP_ID_MSI && !(cap >> 8 & 0xff),
		     "capability at %#x is %#x, expected MSI alone\n", ptr, cap & 0xffff);
	igt_assert_f(cap >> 16 & PCI_MSI_FLAGS_64BIT && !(cap >> 16 & PCI_MSI_FLAGS_QMASK),
		     "MSI flags %#x: want 64-bit, one vector\n", cap >> 16);
	igt_info("guest: VF at 00:%02x.%x, BAR0 %u MiB, BAR2 %" PRIu64 " MiB, MSI at %#x\n",
		 g->devfn >> 3, g->devfn & 7, XE_SRIOV_SIM_BAR0_SIZE >> 20,
		 pow2_roundup(g->vf->cfg.lmem_size) >> 20, ptr);

	cfg_write(g, PCI_BASE_ADDRESS_0, (uint32_t)GUEST_BAR0);
	cfg_write(g, PCI_BASE_ADDRESS_1, GUEST_BAR0 >> 32);
	cfg_write(g, PCI_BASE_ADDRESS_2, (uint32_t)GUEST_BAR2);
	cfg_write(g, PCI_BASE_ADDRESS_3, GUEST_BAR2 >> 32);
	cfg_write(g, ptr + PCI_MSI_ADDRESS_LO, GUEST_MSI_ADDR);
	cfg_write(g, ptr + PCI_MSI_ADDRESS_HI, 0);
	cfg_write(g, ptr + PCI_MSI_DATA_64, GUEST_MSI_DATA);
	cfg_write(g, ptr, (cap >> 16 | PCI_MSI_FLAGS_ENABLE) << 16 | (cap & 0xffff));
	cmd = cfg_read(g, PCI_COMMAND) & 0xffff;
	cfg_write(g, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

/* After a hop: the destination's config space is the one the source guest set. */
static void check_guest_config(struct guest *g)
{
	uint32_t ptr, cap;

	g->devfn = qtest_pci_find(&g->qt, XE_SRIOV_SIM_VENDOR_ID, g->vf->vf.pf->device_id);
	igt_assert_f(g->devfn >= 0, "%s: %s\n", g->name, g->qt.error);
	igt_assert_f(cfg_read(g, PCI_BASE_ADDRESS_0) == ((uint32_t)GUEST_BAR0 |
			PCI_BASE_ADDRESS_MEM_TYPE_64) &&
		     cfg_read(g, PCI_BASE_ADDRESS_1) == GUEST_BAR0 >> 32,
		     "%s: BAR0 reads %#x:%#x, the source put it at %#llx\n", g->name,
		     cfg_read(g, PCI_BASE_ADDRESS_1), cfg_read(g, PCI_BASE_ADDRESS_0),
		     GUEST_BAR0);
	igt_assert_f(cfg_read(g, PCI_BASE_ADDRESS_2) == ((uint32_t)GUEST_BAR2 |
			PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH) &&
		     cfg_read(g, PCI_BASE_ADDRESS_3) == GUEST_BAR2 >> 32,
		     "%s: BAR2 reads %#x:%#x, the source put it at %#llx\n", g->name,
		     cfg_read(g, PCI_BASE_ADDRESS_3), cfg_read(g, PCI_BASE_ADDRESS_2),
		     GUEST_BAR2);
	igt_assert_f((cfg_read(g, PCI_COMMAND) & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)) ==
		     (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER), "%s: command %#x\n", g->name,
		     cfg_read(g, PCI_COMMAND) & 0xffff);
	ptr = cfg_read(g, PCI_CAPABILITY_LIST) & 0xfc;
	cap = cfg_read(g, ptr);
	igt_assert_f(cap >> 16 & PCI_MSI_FLAGS_ENABLE, "%s: MSI not enabled (%#x)\n", g->name,
		     cap >> 16);
}

/*
 * The MIGRATED interrupt arrives in guest RAM as the MSI's data, within
 * 5 s (the resume that raises it is over when QEMU reports the hop done
 * and the destination running), as long as the VF driver model waits for
 * it (VF_GUEST_IRQ_TIMEOUT_MS). The sim raises it in that resume
 * (xe_sriov_sim_guc_resume()): a VF_IRQ_STATUS without MIGRATED then
 * means no MSI is coming, and the wait ends.
 */
static void wait_migrated_msi(struct guest *g)
{
	uint32_t v = 0, st;

	for (int i = 0; i < 100; i++) {
		v = ram_read(g, GUEST_MSI_ADDR);
		if (v == GUEST_MSI_DATA)
			break;
		st = reg_read(g, XE_SRIOV_SIM_VF_IRQ_STATUS);
		if (!(st & (XE_SRIOV_SIM_VF_IRQ_MIGRATED | XE_SRIOV_SIM_VF_IRQ_MIGRATED_MEDIA))) {
			igt_info("%s: VF_IRQ_STATUS %#x once running: no MIGRATED raised\n",
				 g->name, st);
			break;
		}
		usleep(50000);
	}
	igt_assert_f(v == GUEST_MSI_DATA,
		     "%s: no MSI from VF%u after the hop: guest RAM %#x holds %#x, expected %#x\n",
		     g->name, g->vf->vf.vf_id, GUEST_MSI_ADDR, v, GUEST_MSI_DATA);
	v = reg_read(g, XE_SRIOV_SIM_VF_IRQ_STATUS);
	/* Each GT's GuC raised its own MIGRATED (SW_INT_0). */
	igt_assert_f((v & (XE_SRIOV_SIM_VF_IRQ_MIGRATED | XE_SRIOV_SIM_VF_IRQ_MIGRATED_MEDIA)) ==
		     (XE_SRIOV_SIM_VF_IRQ_MIGRATED | XE_SRIOV_SIM_VF_IRQ_MIGRATED_MEDIA),
		     "%s: VF_IRQ_STATUS %#x, not the MIGRATED of both GTs\n", g->name, v);
	/* Acknowledged, so the next hop's interrupt is its own. */
	reg_write(g, XE_SRIOV_SIM_VF_IRQ_STATUS, v);
	igt_assert_f(!qtest_writel(&g->qt, GUEST_MSI_ADDR, 0), "%s\n", g->qt.error);
}

/*
 * The guest's VF driver asks GT @gt's GuC, as xe_guc_mmio_send_recv():
 * request in the GT's VF_SW_FLAG(0..n-1), a posting read, a write to its
 * GUC_HOST_INTERRUPT, the reply back from the same registers.
 */
static uint32_t guest_guc_send(struct guest *g, unsigned int gt, const uint32_t *req, int n,
			       uint32_t *reply)
{
	for (int i = 0; i < n; i++)
		reg_write(g, XE_SRIOV_SIM_GT_SW_FLAG(gt, i), req[i]);
	(void)reg_read(g, XE_SRIOV_SIM_GT_SW_FLAG(gt, XE_SRIOV_SIM_VF_SW_FLAG_COUNT - 1));
	reg_write(g, XE_SRIOV_SIM_GT_GUC_HOST_INTERRUPT(gt), 0);
	for (int i = 0; i < XE_SRIOV_SIM_VF_SW_FLAG_COUNT; i++)
		reply[i] = reg_read(g, XE_SRIOV_SIM_GT_SW_FLAG(gt, i));
	return reply[0];
}

static uint32_t hxg_request(uint16_t action, uint16_t data0)
{
	return XE_SRIOV_SIM_HXG_TYPE_REQUEST << XE_SRIOV_SIM_HXG_TYPE_SHIFT |
	       ((uint32_t)data0 << XE_SRIOV_SIM_HXG_DATA0_SHIFT & XE_SRIOV_SIM_HXG_DATA0_MASK) |
	       action;
}

static void guest_guc_ok(struct guest *g, unsigned int gt, const uint32_t *req, int n,
			 uint32_t *reply, const char *what)
{
	uint32_t r = guest_guc_send(g, gt, req, n, reply);

	igt_assert_f(r >> XE_SRIOV_SIM_HXG_ORIGIN_SHIFT == XE_SRIOV_SIM_HXG_ORIGIN_GUC &&
		     (r & XE_SRIOV_SIM_HXG_TYPE_MASK) >> XE_SRIOV_SIM_HXG_TYPE_SHIFT ==
		     XE_SRIOV_SIM_HXG_TYPE_RESPONSE_SUCCESS,
		     "%s: GT%u %s: GuC reply %#x\n", g->name, gt, what, r);
}

/*
 * The guest driver's post-migration recovery, on every GT through its own
 * mailbox: RESFIX_START, the GGTT base (the destination's), RESFIX_DONE.
 * The mailboxes then hold the last replies: they are what the next hop
 * migrates, so @want takes them.
 */
static void guest_recover(struct guest *g, struct vf_state *want)
{
	uint16_t marker = t.marker = vf_guc_next_marker(t.marker);
	uint32_t start = hxg_request(XE_SRIOV_SIM_VF2GUC_RESFIX_START, marker);
	uint32_t done = hxg_request(XE_SRIOV_SIM_VF2GUC_RESFIX_DONE, marker);
	uint32_t reply[XE_SRIOV_SIM_VF_SW_FLAG_COUNT];

	for (unsigned int gt = 0; gt < VF_GUC_NUM_GTS; gt++)
		guest_guc_ok(g, gt, &start, 1, reply, "RESFIX_START");
	for (unsigned int gt = 0; gt < VF_GUC_NUM_GTS; gt++) {
		uint32_t q[2] = { hxg_request(XE_SRIOV_SIM_VF2GUC_QUERY_SINGLE_KLV, 0),
				  XE_SRIOV_SIM_KLV_VF_CFG_GGTT_START };

		guest_guc_ok(g, gt, q, 2, reply, "QUERY_SINGLE_KLV(GGTT_START)");
		igt_assert_f((reply[1] | (uint64_t)reply[2] << 32) == g->vf->cfg.ggtt_start,
			     "%s: GT%u: GGTT start %#x%08x, VF%u's is %#" PRIx64 "\n", g->name, gt,
			     reply[2], reply[1], g->vf->vf.vf_id, g->vf->cfg.ggtt_start);
	}
	for (unsigned int gt = 0; gt < VF_GUC_NUM_GTS; gt++)
		guest_guc_ok(g, gt, &done, 1, reply, "RESFIX_DONE");
	for (int i = 0; i < VF_STATE_SW_FLAGS; i++)
		want->scratch[i] = reg_read(g, XE_SRIOV_SIM_GT_SW_FLAG(i / 4, i % 4));
}

/* ---- QEMU ---- */

static void vm_config(struct guest *g, bool incoming, char *qtest_opt, size_t size,
		      struct qemu_vm_config *c)
{
	int n = 0;

	snprintf(g->name, sizeof(g->name), "qvf%u", t.started++);
	snprintf(qtest_opt, size, "unix:%s/%s.qt,server=on,wait=off", t.dir, g->name);
	*c = (struct qemu_vm_config) {
		.name = g->name, .sock_dir = t.dir, .log_dir = t.log_dir,
		.accel = "tcg", .mem_mb = GUEST_MEM_MB,
		.vfio = g->vf->vf.sysfs, .incoming = incoming,
	};
	c->extra[n++] = "-bios";
	c->extra[n++] = t.firmware;
	c->extra[n++] = "-qtest";
	c->extra[n++] = qtest_opt;
	c->extra[n++] = "-qtest-log";
	c->extra[n++] = "none";
	/* The source stays stopped until the guest driver did its part. */
	if (!incoming)
		c->extra[n++] = "-S";
	/* A monitor for yank: out-of-band, it runs while the BQL is held. */
	if (t.oob_monitor) {
		snprintf(g->oob_opt, sizeof(g->oob_opt), "unix:%s/%s.oob,server=on,wait=off",
			 t.dir, g->name);
		c->extra[n++] = "-qmp";
		c->extra[n++] = g->oob_opt;
	}
}

static void start_guest(struct guest *g, struct sriov_vf *vf, bool incoming)
{
	struct qemu_vm_config c;
	char qtest_opt[160], path[128];
	int err;

	/* Marked in use first, so a failed start is cleaned up too. */
	memset(&g->qt, 0, sizeof(g->qt));
	g->qt.fd = -1;
	memset(&g->oob, 0, sizeof(g->oob));
	g->oob.fd = -1;
	g->vf = vf;
	vm_config(g, incoming, qtest_opt, sizeof(qtest_opt), &c);
	err = qemu_vm_start(&g->vm, &c, 60000);
	igt_assert_f(!err, "%s with VF%u (%s): %s\n", g->name, vf->vf.vf_id, vf->vf.name,
		     g->vm.error);
	snprintf(path, sizeof(path), "%s/%s.qt", t.dir, g->name);
	igt_assert_f(!qtest_connect(&g->qt, path, 10000), "%s: %s\n", g->name, g->qt.error);
}

static void stop_guest(struct guest *g)
{
	qmp_close(&g->oob);
	qtest_close(&g->qt);
	qemu_vm_quit(&g->vm);
	g->vf = NULL;
}

/* ---- the VFs ---- */

static size_t n_ptes(const struct sriov_vf *v)
{
	return sriov_vf_n_ptes(v);
}

static void check_ccs(struct sriov_vf *v, const uint8_t *want, size_t len)
{
	uint8_t *got = calloc(1, len);
	size_t bad = 0, first = 0;

	igt_assert(got);
	igt_assert_eq(pf_sim_vf_ccs_read(&v->vf, got, len), 0);
	for (size_t i = 0; i < len; i++)
		if (got[i] != want[i] && !bad++)
			first = i;
	igt_assert_f(!bad, "VF%u: %zu CCS bytes differ, first %zu (LMEM %#zx): %#x, expected %#x\n",
		     v->vf.vf_id, bad, first, first * 256, got[first], want[first]);
	free(got);
}

/* QEMU released the VF: it opens through VFIO again, reset by the close. */
static void check_released(struct sriov_vf *v)
{
	struct vf_state st;
	int err = vfio_dev_open(&v->dev, v->vf.sysfs);

	igt_assert_f(!err, "VF%u does not open after QEMU quit: %s\n", v->vf.vf_id,
		     strerror(-err));
	v->open = true;
	igt_assert_eq(vf_state_capture(&v->dev, n_ptes(v), &st), 0);
	igt_assert_f(vf_state_is_clear(&st, report, sizeof(report)),
		     "VF%u after QEMU closed it:\n%s", v->vf.vf_id, report);
	vf_state_free(&st);
}

/* ---- the hop ---- */

static void record_hop(unsigned int n, const struct guest *src, const struct guest *dst,
		       const struct qemu_mig_result *r, json_t *extra)
{
	const struct qemu_mig_stats *st = &r->src;
	json_t *o;

	igt_info("hop %u: VF%u -> VF%u, %s, total %lld ms, downtime %lld ms (setup %lld ms, expected downtime %lld ms), RAM %.1f MiB in %" PRIu64 " syncs, VFIO device state %" PRIu64 " bytes (%.2f MiB)%s, %.0f MiB/s\n",
		 n, src->vf->vf.vf_id, dst->vf->vf.vf_id, st->status,
		 (long long)st->total_time_ms, (long long)st->downtime_ms,
		 (long long)st->setup_time_ms, (long long)st->expected_downtime_ms,
		 (double)st->ram_transferred / MIB, st->ram_dirty_syncs,
		 st->vfio_transferred, (double)st->vfio_transferred / MIB,
		 st->has_vfio ? "" : " (no \"vfio\" in query-migrate)", st->throughput_mib_s);
	if (!t.metrics) {
		json_decref(extra);
		return;
	}
	o = qemu_mig_stats_json(st);
	json_object_set_new(o, "test", json_string("xe_sriov_sim_qemu_vf"));
	json_object_set_new(o, "subtest", json_string(t.subtest));
	json_object_set_new(o, "hop", json_integer(n));
	json_object_set_new(o, "src_vf", json_integer(src->vf->vf.vf_id));
	json_object_set_new(o, "dst_vf", json_integer(dst->vf->vf.vf_id));
	json_object_set_new(o, "accel", json_string("tcg"));
	json_object_set_new(o, "guest_mem_mb", json_integer(GUEST_MEM_MB));
	json_object_set_new(o, "lmem_bytes", json_integer(src->vf->cfg.lmem_size));
	json_object_set_new(o, "vfio", json_true());
	if (extra)
		json_object_update(o, extra);
	json_decref(extra);
	json_dumpf(o, t.metrics, JSON_COMPACT);
	fputc('\n', t.metrics);
	fflush(t.metrics);
	json_decref(o);
}

/*
 * What the source guest put in its VF, to find again after every hop:
 * want is its content as a decompressing read sees it (LMEM XOR the CCS
 * the PF wrote), since a dgfx hop saves VRAM decompressed and restores it
 * uncompressed (CCS 0).
 */
struct payload {
	struct vf_state want;
	uint8_t *ccs;
	size_t ccs_len;
};

/* A guest's BARs, LMEM XORed with a CCS (one byte per 256). */
struct resolved_ctx {
	struct vf_access raw;
	const uint8_t *ccs;
};

static int resolved_mmio_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct resolved_ctx *r = ctx;

	return r->raw.mmio_read(r->raw.ctx, off, buf, len);
}

static int resolved_lmem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct resolved_ctx *r = ctx;
	int err = r->raw.lmem_read(r->raw.ctx, off, buf, len);

	for (size_t i = 0; !err && i < len; i++)
		((uint8_t *)buf)[i] ^= r->ccs[(off + i) / 256];
	return err;
}

/* The guest's view of its VF as a decompressing read sees it, CCS @ccs. */
static int capture_resolved(struct guest *g, const uint8_t *ccs, struct vf_state *st)
{
	struct resolved_ctx r = { .raw = guest_access(g), .ccs = ccs };
	struct vf_access a = {
		.ctx = &r, .lmem_size = r.raw.lmem_size,
		.mmio_read = resolved_mmio_read, .lmem_read = resolved_lmem_read,
	};

	return vf_state_capture_access(&a, n_ptes(g->vf), st);
}

static struct qemu_mig_params hop_params(void)
{
	return (struct qemu_mig_params) {
		.downtime_limit_ms = 300,
		.max_bandwidth = 1024 * MIB,	/* a local socket: effectively unthrottled */
		/*
		 * The guest is idle: after the first RAM pass QEMU measures
		 * ~0 bytes/s and the 4 MiB of device state would never fit
		 * the downtime limit. Tell it the link's real capacity.
		 */
		.switchover_bandwidth = 1024 * MIB,
		.vfio = true,
		.timeout_ms = 120000,
	};
}

/*
 * The guest of @g holds @p in its VF (@vf_id in the PTEs): after a (dgfx)
 * hop uncompressed, CCS all 0; where it was written (@moved false), with
 * the CCS as the PF wrote it.
 */
static void check_payload(struct guest *g, const struct payload *p, bool moved,
			  const char *when)
{
	uint8_t *zero = calloc(1, p->ccs_len);
	const uint8_t *ccs = moved ? zero : p->ccs;
	struct vf_state got;

	igt_assert(zero);
	igt_assert_f(!capture_resolved(g, ccs, &got), "%s: %s\n", g->name, g->qt.error);
	igt_assert_f(vf_state_equal(&p->want, &got, g->vf->vf.vf_id, report, sizeof(report)),
		     "%s: VF%u in %s differs from what the source guest wrote:\n%s", when,
		     g->vf->vf.vf_id, g->name, report);
	vf_state_free(&got);
	check_ccs(g->vf, ccs, p->ccs_len);
	free(zero);
}

/*
 * The first source: QEMU with @vf, stopped (-S); its guest probes the VF,
 * enables it and fills it from @seed; the CCS through the PF. Then cont.
 */
static void start_source(struct guest *g, struct sriov_vf *vf, uint64_t seed, struct payload *p)
{
	struct vf_access a;

	start_guest(g, vf, false);
	guest_probe(g);
	a = guest_access(g);
	igt_assert_f(!vf_state_fill_access(&a, n_ptes(vf), seed), "fill: %s\n", g->qt.error);
	p->ccs_len = vf->cfg.lmem_size / 256;
	p->ccs = malloc(p->ccs_len);
	igt_assert(p->ccs);
	for (size_t i = 0; i < p->ccs_len; i++)
		p->ccs[i] = (uint8_t)(i * 37 + seed) | 1;
	igt_assert_eq(pf_sim_vf_ccs_write(&vf->vf, p->ccs, p->ccs_len), 0);
	igt_assert_f(!capture_resolved(g, p->ccs, &p->want), "capture: %s\n", g->qt.error);
	for (size_t i = 0; i < p->want.n_ptes; i++)
		igt_assert_f(vf_state_pte_vfid(p->want.ptes[i]) == vf->vf.vf_id,
			     "PTE %zu written through the guest: %#" PRIx64 ", not VF%u's\n", i,
			     p->want.ptes[i], vf->vf.vf_id);
	igt_assert_f(!qmp_cmd_ok(&g->vm.qmp, "cont", NULL, 10000), "cont: %s\n",
		     g->vm.qmp.error);
}

static void payload_free(struct payload *p)
{
	vf_state_free(&p->want);
	free(p->ccs);
	p->ccs = NULL;
}

/*
 * QEMUs a failed subtest left behind go first: they hold VFs open, and
 * removing an open VF waits for its close.
 */
static void stop_guests(void)
{
	for (int i = 0; i < 2; i++)
		if (t.g[i].vf)
			stop_guest(&t.g[i]);
}

/* Enable @n VFs on PF @pf and close our VFIO fds: QEMU takes the groups. */
static void enable_vfs(int pf, unsigned int n)
{
	stop_guests();
	igt_assert_eq(sriov_fixture_enable(&t.fx, pf, n), 0);
	for (unsigned int i = 0; i < n; i++) {
		/* Closing resets the VF; QEMU's open does it again. */
		vfio_dev_close(&t.fx.vfs[pf][i].dev);
		t.fx.vfs[pf][i].open = false;
	}
}

static void hop(unsigned int n, struct guest *src, struct guest *dst, struct sriov_vf *vf,
		struct payload *pl)
{
	struct qemu_mig_params p = hop_params();
	struct qemu_mig_result r;
	char uri[128], why[2048];

	start_guest(dst, vf, true);
	snprintf(uri, sizeof(uri), "unix:%s/hop%u.sock", t.dir, n);
	if (qemu_migrate(&src->vm, &dst->vm, uri, &p, &r)) {
		record_hop(n, src, dst, &r, NULL);
		qemu_mig_describe_failure(&r, why, sizeof(why));
		igt_assert_f(false, "hop %u (VF%u -> VF%u): %s\n", n, src->vf->vf.vf_id,
			     vf->vf.vf_id, why);
	}
	unlink(uri + 5);
	record_hop(n, src, dst, &r, NULL);
	igt_assert_f(r.src.has_vfio && r.src.vfio_transferred > pl->want.lmem_size,
		     "hop %u: %" PRIu64 " bytes of VFIO device state, the LMEM alone is %" PRIu64 "\n",
		     n, r.src.vfio_transferred, pl->want.lmem_size);

	check_guest_config(dst);
	wait_migrated_msi(dst);
	check_payload(dst, pl, true, "after the hop");
	guest_recover(dst, &pl->want);
	/* The old source ends; its VF is free for a later hop. */
	stop_guest(src);
}

static void sim_vf_in_qemu(void)
{
	struct sriov_vf *vf[2] = { &t.fx.vfs[0][0], &t.fx.vfs[0][1] };
	struct payload pl;
	int cur = 0;

	t.subtest = "sim-vf-in-qemu";
	igt_require_f(!t.fx.pfs[0].igfx,
		      "%s is an igfx PF: its VFs' memory is the VM's, which QEMU cannot see behind BAR2\n",
		      t.fx.pfs[0].name);
	enable_vfs(0, 2);
	igt_info("VF%u (%s) and VF%u (%s) of %s: LMEM %" PRIu64 " MiB, %zu PTEs\n",
		 vf[0]->vf.vf_id, vf[0]->vf.name, vf[1]->vf.vf_id, vf[1]->vf.name,
		 vf[0]->vf.pf->name, vf[0]->cfg.lmem_size >> 20, n_ptes(vf[0]));
	start_source(&t.g[0], vf[0], 0x51f00000 + getpid(), &pl);
	for (unsigned int n = 1; n <= t.hops; n++) {
		hop(n, &t.g[cur], &t.g[!cur], vf[n % 2], &pl);
		cur = !cur;
	}
	stop_guest(&t.g[cur]);
	for (int i = 0; i < 2; i++)
		check_released(vf[i]);
	payload_free(&pl);
	sriov_fixture_disable(&t.fx, 0);
}

/*
 * A destination VF of another PF (another device id): the VF refuses the
 * stream's descriptor (ENODEV), QEMU fails the hop, the source resumes
 * with its VF as it was; a VF of the same PF then takes it.
 */
static void wrong_device(void)
{
	struct sriov_vf *a = &t.fx.vfs[0][0], *b = &t.fx.vfs[0][1], *other = &t.fx.vfs[1][0];
	struct qemu_mig_params p = hop_params();
	struct qemu_mig_result r;
	struct qemu_vm *src = &t.g[0].vm;
	char uri[128];
	struct payload pl;
	json_t *resume;

	t.subtest = "wrong-device";
	igt_require_f(t.fx.n_pfs >= 2, "one PF only: no VF with another device id\n");
	igt_require_f(t.fx.pfs[1].device_id != t.fx.pfs[0].device_id,
		      "%s and %s have the same device id\n", t.fx.pfs[0].name, t.fx.pfs[1].name);
	igt_require_f(!t.fx.pfs[0].igfx,
		      "%s is an igfx PF: its VFs' memory is the VM's, which QEMU cannot see behind BAR2\n",
		      t.fx.pfs[0].name);
	/* The destination's restore refuses the descriptor, as xe logs it. */
	igt_emit_ignore_dmesg_regex("Aborting migration, (devid|revid) mismatch");
	enable_vfs(0, 2);
	enable_vfs(1, 1);
	start_source(&t.g[0], a, 0x5eed0000 + getpid(), &pl);

	start_guest(&t.g[1], other, true);
	snprintf(uri, sizeof(uri), "unix:%s/wrong.sock", t.dir);
	igt_assert_f(qemu_migrate(src, &t.g[1].vm, uri, &p, &r),
		     "%s VF%u (device %04x) took the stream of %s VF%u (device %04x)\n",
		     t.fx.pfs[1].name, other->vf.vf_id, t.fx.pfs[1].device_id,
		     t.fx.pfs[0].name, a->vf.vf_id, t.fx.pfs[0].device_id);
	unlink(uri + 5);
	igt_info("refused: source %s: %s; destination %s: %s\n", r.src.status, r.src.error,
		 r.dst_status, r.dst_error);
	igt_assert_f(!strcmp(r.src.status, "failed"), "source migration '%s', not failed\n",
		     r.src.status);
	igt_assert_f(!strcmp(r.dst_status, "failed") && r.dst_error[0],
		     "destination '%s' gave no reason\n", r.dst_status);
	/*
	 * The VF's own refusal (xe's restore: ENODEV for a foreign device id)
	 * fails the load, before QEMU's check of the PCI config vmstate would.
	 */
	igt_assert_f(strstr(r.dst_error, strerror(ENODEV)),
		     "destination failed, but not with the VF's ENODEV: %s\n", r.dst_error);
	/* The source stopped its vCPUs and its VF for the switchover: both run again. */
	resume = qmp_wait_event(&src->qmp, "RESUME", 10000);
	igt_assert_f(resume || !strcmp(r.src_run_state, "running"),
		     "source never resumed (%s): %s\n", r.src_run_state, src->qmp.error);
	json_decref(resume);
	igt_assert_f(!qemu_vm_status(src, r.src_run_state, sizeof(r.src_run_state)) &&
		     !strcmp(r.src_run_state, "running"), "source is '%s' after the refusal\n",
		     r.src_run_state);
	stop_guest(&t.g[1]);
	check_payload(&t.g[0], &pl, false, "after the refused hop");

	/* The control: a VF of the source's PF takes it. */
	hop(1, &t.g[0], &t.g[1], b, &pl);
	stop_guest(&t.g[1]);
	payload_free(&pl);
	sriov_fixture_disable(&t.fx, -1);
}

/* ---- busy-vf-hops: the guest's VF driver with work in flight ---- */

#define BUSY_SCALE		1
#define BUSY_DONE_TIMEOUT_MS	30000
#define BUSY_IRQ_TIMEOUT_MS	20000
/* The running phase's slow engine: the mix is still running at the switchover. */
#define BUSY_RUNNING_UNIT_MS	100

/*
 * The guest's side: the VF driver model (lib/vf_driver.h, vf_engine.h,
 * the workloads) over the qtest transport of the guest that holds the VF
 * now, and the bystander VF that no hop may touch.
 */
struct busy {
	struct guest *g;
	struct vf_driver drv;
	struct vf_engine eng;
	bool started;
	uint64_t seed;
	uint32_t fence;		/* the last fence seen: never goes back */
	unsigned int ccs_hops;	/* hops that moved compressed blocks */
	struct sriov_vf *bystander;
	struct vf_state bystander_want;
	struct replay_step *plan;	/* per hop: VF index, phase, workload, seed, fault */
	unsigned int scale;	/* the workloads' */
	unsigned int hop;	/* the hop under way (from 1) */
	char fault[REPLAY_WORKLOAD_MAX];	/* planted now, as the plan knows it ("": none) */
	bool adopted;		/* a fault found planted by hand: the plan has it now */
};

static struct busy busy;
/* Why the last busy step failed: they return -1 so planted faults can expect it. */
static char why[2048];

static int bfail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bfail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return -1;
}

/* The guest's BARs and MSI as guest_probe() assigned them. */
static struct vf_io guest_io(struct guest *g)
{
	g->qio = (struct vf_io_qtest){
		.qt = &g->qt, .bar0 = GUEST_BAR0, .bar2 = GUEST_BAR2,
		.msi_addr = GUEST_MSI_ADDR, .msi_data = GUEST_MSI_DATA,
	};
	return vf_io_qtest(&g->qio);
}

static void busy_stop(void)
{
	if (busy.started) {
		vf_engine_fini(&busy.eng);
		vf_driver_fini(&busy.drv);
		busy.started = false;
	}
	if (busy.bystander) {
		vf_state_free(&busy.bystander_want);
		busy.bystander = NULL;
	}
}

/* Wait for w, verify it (its gate's record included), require a healthy engine. */
static int busy_finish(struct workload *w, const char *when)
{
	char msg[1024];

	if (vf_engine_wait_seqno(&busy.eng, w->done_seqno, BUSY_DONE_TIMEOUT_MS))
		return bfail("%s: %s: %s", when, w->ops->name, busy.eng.error);
	if (workload_verify(w, msg, sizeof(msg)))
		return bfail("%s: %s", when, msg);
	if (vf_engine_check_healthy(&busy.eng))
		return bfail("%s: %s", when, busy.eng.error);
	return 0;
}

static int busy_start_work(const char *name, uint64_t seed, enum wl_phase p,
			   struct wl_gate *gate, struct workload **w)
{
	int err = workload_create(name, &busy.drv, &busy.eng, seed, busy.scale, w);

	err = err ?: workload_prepare(*w);
	err = err ?: wl_gate_create(&busy.drv, gate);
	if (err)
		return bfail("%s (seed %#llx): %s", name, (unsigned long long)seed,
			     strerror(-err));
	err = wl_phase_start(*w, gate, p);
	return err ? bfail("%s-%s (seed %#llx): %s", name, wl_phase_name(p),
			   (unsigned long long)seed, busy.eng.error) : 0;
}

static int busy_check_bystander(const char *when)
{
	struct vf_state now;
	int err = vf_state_capture(&busy.bystander->dev, n_ptes(busy.bystander), &now), ok;

	if (err)
		return bfail("capturing bystander VF%u: %s", busy.bystander->vf.vf_id,
			     strerror(-err));
	ok = vf_state_equal(&busy.bystander_want, &now, 0, report, sizeof(report));
	vf_state_free(&now);
	return ok ? 0 : bfail("bystander VF%u changed %s:\n%s", busy.bystander->vf.vf_id,
			      when, report);
}

/* A VF's raw contents through its guest, and its CCS through the PF. */
static int busy_capture(struct guest *g, struct vf_state *st, uint8_t *ccs, size_t ccs_len)
{
	struct vf_access a = guest_access(g);
	int err = vf_state_capture_access(&a, n_ptes(g->vf), st);

	if (err)
		return bfail("%s: capturing VF%u through the guest: %s", g->name,
			     g->vf->vf.vf_id, g->qt.error);
	err = pf_sim_vf_ccs_read(&g->vf->vf, ccs, ccs_len);
	return err ? bfail("VF%u: reading its CCS: %s", g->vf->vf.vf_id, strerror(-err)) : 0;
}

/*
 * The hop's data path, before the guest touches the destination (its
 * engine held, VF_RESFIX_BLOCKED): the destination holds what the source
 * held when it stopped, as a decompressing read sees it (a dgfx stream
 * carries VRAM decompressed), with CCS all 0, the destination's VF id in
 * every PTE, the same scratch. The source is read through its own QEMU,
 * stopped (postmigrate).
 */
static int busy_check_moved(struct guest *src, struct guest *dst)
{
	size_t ccs_len = src->vf->cfg.lmem_size / 256, nz = 0;
	uint8_t *src_ccs = malloc(ccs_len), *dst_ccs = malloc(ccs_len);
	struct vf_state s_raw = { 0 }, s_res = { 0 }, d_raw = { 0 };
	char raw_report[64];
	int err;

	igt_assert(src_ccs && dst_ccs);
	err = busy_capture(dst, &d_raw, dst_ccs, ccs_len) ?:
	      busy_capture(src, &s_raw, src_ccs, ccs_len);
	if (!err && capture_resolved(src, src_ccs, &s_res))
		err = bfail("%s: capturing VF%u resolved: %s", src->name, src->vf->vf.vf_id,
			    src->qt.error);
	for (size_t i = 0; !err && i < ccs_len; i++)
		nz += src_ccs[i] != 0;
	if (!err && !vf_state_equal(&s_res, &d_raw, dst->vf->vf.vf_id, report,
				    sizeof(report))) {
		/* Compressed bytes arrived as stored, their CCS left behind. */
		if (nz && vf_state_equal(&s_raw, &d_raw, 0, raw_report, sizeof(raw_report)))
			err = bfail("VF%u -> VF%u: VRAM arrived as stored, %zu compressed blocks without their CCS: the CCS was lost (a dgfx save must decompress):\n%s",
				    src->vf->vf.vf_id, dst->vf->vf.vf_id, nz, report);
		else
			err = bfail("VF%u -> VF%u: the destination does not hold what the source held when it stopped:\n%s",
				    src->vf->vf.vf_id, dst->vf->vf.vf_id, report);
	}
	for (size_t i = 0; !err && i < ccs_len; i++)
		if (dst_ccs[i])
			err = bfail("VF%u: CCS byte %zu (LMEM %#zx) is %#x after a dgfx hop, expected 0",
				    dst->vf->vf.vf_id, i, i * 256, dst_ccs[i]);
	busy.ccs_hops += !err && nz;
	vf_state_free(&s_raw);
	vf_state_free(&s_res);
	vf_state_free(&d_raw);
	free(src_ccs);
	free(dst_ccs);
	return err;
}

/*
 * One hop of the busy guest: QEMU migrates src's VM to a new QEMU holding
 * vf; the data path is checked; the source QEMU ends; the guest's driver
 * attaches to the destination's view, takes the MIGRATED MSI of both GTs
 * from guest RAM and recovers as xe does (RESFIX_START, requery, engine
 * fixups, RESFIX_DONE).
 */
static int busy_hop(unsigned int n, struct guest *src, struct guest *dst, struct sriov_vf *vf,
		    enum wl_phase p, bool check_moved)
{
	struct qemu_mig_params mp = hop_params();
	struct qemu_mig_result r;
	struct vf_io io;
	uint64_t t0, irq_ns, recover_ns;
	char uri[128];
	uint32_t seen = 0, fence;
	json_t *extra;
	int err;

	start_guest(dst, vf, true);
	snprintf(uri, sizeof(uri), "unix:%s/busy%u.sock", t.dir, n);
	if (qemu_migrate(&src->vm, &dst->vm, uri, &mp, &r)) {
		record_hop(n, src, dst, &r, NULL);
		qemu_mig_describe_failure(&r, report, sizeof(report));
		return bfail("hop %u (VF%u -> VF%u): %s", n, src->vf->vf.vf_id, vf->vf.vf_id,
			     report);
	}
	unlink(uri + 5);
	check_guest_config(dst);
	err = check_moved ? busy_check_moved(src, dst) : 0;
	if (err)
		return err;

	io = guest_io(dst);
	err = vf_driver_attach_io(&busy.drv, &io);
	if (err)
		return bfail("attaching to %s: %s", dst->name, strerror(-err));
	fence = vf_engine_seqno(&busy.eng);
	if (!vf_seqno_passed(fence, busy.fence))
		return bfail("hop %u: the fence went back from %u to %u on VF%u", n, busy.fence,
			     fence, vf->vf.vf_id);
	t0 = vf_guest_now_ns();
	err = vf_irq_wait_all_io(&busy.drv.io, VF_GUEST_MIGRATED_BITS, BUSY_IRQ_TIMEOUT_MS,
				 &seen);
	if (err)
		return bfail("%s: no MIGRATED MSI from VF%u (%s): %s", dst->name, vf->vf.vf_id,
			     seen ? "media GT missing" : "none", strerror(-err));
	irq_ns = vf_guest_now_ns() - t0;
	t0 = vf_guest_now_ns();
	err = vf_driver_recover(&busy.drv, VF_GUEST_MAX_REQUEUES);
	recover_ns = vf_guest_now_ns() - t0;
	if (err)
		return bfail("%s: recovery on VF%u: %s", dst->name, vf->vf.vf_id,
			     busy.drv.error[0] ? busy.drv.error :
			     busy.eng.error[0] ? busy.eng.error : strerror(-err));
	busy.g = dst;

	extra = json_pack("{s:b, s:s, s:f, s:f, s:i, s:i, s:i, s:i, s:i}",
			  "busy", 1, "phase", wl_phase_name(p), "guest_irq_ms", irq_ns / 1e6,
			  "guest_recover_ms", recover_ns / 1e6,
			  "fixup_ring_commands", busy.eng.fixup.ring_commands,
			  "fixup_ring_addrs", busy.eng.fixup.ring_addrs,
			  "fixup_batch_addrs", busy.eng.fixup.batch_addrs,
			  "fixup_active_levels", busy.eng.fixup.active_levels,
			  "recoveries", busy.drv.recoveries);
	record_hop(n, src, dst, &r, extra);
	/* The old source ends; its VF is free for a later hop. */
	stop_guest(src);
	igt_info("hop %u (%s): MIGRATED after %.1f ms, recovery %.1f ms; fixups: %u ring commands, %u+%u operands, %u active batch levels\n",
		 n, wl_phase_name(p), irq_ns / 1e6, recover_ns / 1e6,
		 busy.eng.fixup.ring_commands, busy.eng.fixup.ring_addrs,
		 busy.eng.fixup.batch_addrs, busy.eng.fixup.active_levels);
	return 0;
}

/*
 * The fault a hop runs with: the one its step names, planted here; else
 * one planted since the last hop (by hand, mid-run) is written into the
 * step, so that the replay line plants it at this hop.
 */
static int busy_fault(struct replay_step *st)
{
	char now[REPLAY_WORKLOAD_MAX] = "";

	if (st->fault[0]) {
		igt_install_exit_handler(sim_fault_unplant);
		if (sim_fault_plant(st->fault))
			return bfail("hop %u: cannot plant %s", busy.hop, st->fault);
	} else if (!sysfs_read_str(XE_SRIOV_SIM_FAULT_PARAM, now, sizeof(now)) &&
		   strcmp(now, busy.fault[0] ? busy.fault : XE_SRIOV_SIM_FAULT_NONE_NAME)) {
		snprintf(st->fault, sizeof(st->fault), "%s", now);
		busy.adopted = true;
	}
	if (st->fault[0])
		snprintf(busy.fault, sizeof(busy.fault), "%s", st->fault);
	return 0;
}

/*
 * One round: a mix in phase p (queued behind a closed gate, running on a
 * slowed engine, or spinning on a gate in its middle) and a seqno
 * workload queued behind it, and a ccs workload: in front of a queued
 * mix it spins on its gate between its compress and its resolves (a
 * compressed surface in flight, as the spinning mix has one), else it
 * ran before and is checked again after the hop. Then the hop; then
 * everything completes and verifies, the fence ends at the last seqno
 * emitted, the bystander is unchanged.
 */
static int busy_round(unsigned int n, struct guest *dst, struct sriov_vf *vf)
{
	struct replay_step *st = &busy.plan[n - 1];
	uint64_t rng = st->seed;
	enum wl_phase p = (enum wl_phase)st->phase;
	struct vf_mark mark = vf_driver_mark(&busy.drv);
	struct workload *rest = NULL, *mix = NULL, *behind = NULL;
	struct wl_gate g_rest, g_mix, g_behind;
	bool slow = p == WL_PHASE_RUNNING;
	char when[64];
	int err;

	snprintf(when, sizeof(when), "hop %u (%s)", n, wl_phase_name(p));
	err = busy_fault(st);
	err = err ?: busy_start_work("ccs", wl_rand64(&rng),
			      p == WL_PHASE_QUEUED ? WL_PHASE_SPINNING : WL_PHASE_RUNNING,
			      &g_rest, &rest);
	if (!err && p != WL_PHASE_QUEUED)
		err = busy_finish(rest, "before the hop");
	if (!err)
		busy.fence = vf_engine_seqno(&busy.eng);
	if (!err && slow && sim_param_set_uint("engine_unit_ms", BUSY_RUNNING_UNIT_MS))
		err = bfail("cannot slow the engine down");
	err = err ?: busy_start_work(st->workload, wl_rand64(&rng), p, &g_mix, &mix);
	err = err ?: busy_start_work("seqno", wl_rand64(&rng), WL_PHASE_RUNNING, &g_behind,
				     &behind);
	err = err ?: busy_hop(n, busy.g, dst, vf, p, true);
	if (slow)
		sim_param_set_uint("engine_unit_ms", 0);
	if (!err && !busy.eng.fixup.ring_commands)
		err = bfail("%s: nothing was pending at the migration", when);
	if (!err && p == WL_PHASE_QUEUED && wl_phase_release(rest, &g_rest))
		err = bfail("%s: releasing the ccs gate: %s", when, busy.eng.error);
	if (!err && wl_phase_release(mix, &g_mix))
		err = bfail("%s: releasing the gate: %s", when, busy.eng.error);
	err = err ?: busy_finish(mix, when);
	err = err ?: busy_finish(behind, "queued behind it");
	err = err ?: busy_finish(rest, p == WL_PHASE_QUEUED ? "ccs spinning in front" :
					 "ccs done before the hop");
	if (!err && vf_engine_seqno(&busy.eng) != busy.eng.seqno)
		err = bfail("%s: fence %u after the last seqno emitted (%u)", when,
			    vf_engine_seqno(&busy.eng), busy.eng.seqno);
	if (!err)
		busy.fence = busy.eng.seqno;
	err = err ?: busy_check_bystander(when);
	workload_destroy(behind);
	workload_destroy(mix);
	workload_destroy(rest);
	if (!err && vf_engine_retire_batches(&busy.eng))
		err = bfail("%s: %s", when, busy.eng.error);
	if (!err && vf_driver_release(&busy.drv, mark))
		err = bfail("%s: releasing the round's buffers", when);
	return err;
}

/*
 * VF1 and VF2 of PF0 take turns in QEMUs; VF3 is the bystander, filled
 * through VFIO. The first QEMU, on VF1, has its guest probe the VF and
 * start its driver (over qtest). 0, or -1 with why.
 */
static int busy_begin(struct replay_step *plan, unsigned int hops, uint64_t seed,
		      unsigned int scale)
{
	struct sriov_vf *vf[2] = { &t.fx.vfs[0][0], &t.fx.vfs[0][1] };
	struct sriov_vf *by = &t.fx.vfs[0][2];
	struct vf_io io;
	int err;

	busy_stop();	/* what an assert in an earlier chain left */
	sim_param_set_uint("engine_unit_ms", 0);
	enable_vfs(0, 3);
	igt_assert_eq(vfio_dev_open(&by->dev, by->vf.sysfs), 0);
	by->open = true;
	igt_assert_eq(vf_state_fill(&by->dev, n_ptes(by), seed ^ 0xb7), 0);
	igt_assert_eq(vf_state_capture(&by->dev, n_ptes(by), &busy.bystander_want), 0);
	busy.bystander = by;
	busy.seed = seed;
	busy.plan = plan;
	busy.scale = scale;
	busy.hop = 0;
	busy.fault[0] = '\0';
	busy.fence = 0;
	igt_info("busy guest on VF%u <-> VF%u of %s (LMEM %" PRIu64 " MiB), bystander VF%u, seed %#" PRIx64 ", %u hops\n",
		 vf[0]->vf.vf_id, vf[1]->vf.vf_id, vf[0]->vf.pf->name,
		 vf[0]->cfg.lmem_size >> 20, by->vf.vf_id, seed, hops);

	start_guest(&t.g[0], vf[0], false);
	guest_probe(&t.g[0]);
	igt_assert_f(!qmp_cmd_ok(&t.g[0].vm.qmp, "cont", NULL, 10000), "cont: %s\n",
		     t.g[0].vm.qmp.error);
	io = guest_io(&t.g[0]);
	err = vf_driver_init_io(&busy.drv, &io);
	if (err)
		return bfail("VF driver init through the guest: %s", strerror(-err));
	busy.started = true;
	err = vf_engine_init(&busy.eng, &busy.drv, 0);
	if (err)
		return bfail("engine init through the guest: %s", strerror(-err));
	busy.g = &t.g[0];
	busy.ccs_hops = 0;
	return 0;
}

/* busy_begin(), then the rounds of @plan hop. 0, or -1 with why. */
static int busy_chain(struct replay_step *plan, unsigned int hops, uint64_t seed,
		      unsigned int scale)
{
	struct sriov_vf *vf[2] = { &t.fx.vfs[0][0], &t.fx.vfs[0][1] };
	int cur = 0, err = busy_begin(plan, hops, seed, scale);

	for (unsigned int n = 1; n <= hops && !err; n++) {
		busy.hop = n;
		err = busy_round(n, &t.g[!cur], vf[plan[n - 1].dst % 2]);
		cur = !cur;
	}
	if (!err && !busy.ccs_hops)
		err = bfail("no hop moved a compressed block: the CCS path went unchecked");
	return err;
}

static unsigned int busy_hops(void)
{
	return t.busy_hops ?: t.extended ? BUSY_HOPS_EXTENDED : BUSY_HOPS;
}

static void busy_require(void)
{
	igt_require_f(!t.fx.pfs[0].igfx,
		      "%s is an igfx PF: its VFs' memory is the VM's, which QEMU cannot see behind BAR2\n",
		      t.fx.pfs[0].name);
	igt_require_f(t.fx.pfs[0].total_vfs >= 3, "%s has fewer than 3 VFs\n",
		      t.fx.pfs[0].name);
}

/* After a busy chain, passed or not: no QEMU, no driver, VFs disabled, no fault it knew. */
static void busy_cleanup(void)
{
	/*
	 * One planted by hand is the plan's now, and goes as the test's own:
	 * not marked as this run's change, or the next run would put it back.
	 */
	if (busy.adopted)
		sysfs_write_str(XE_SRIOV_SIM_FAULT_PARAM, XE_SRIOV_SIM_FAULT_NONE_NAME);
	if (busy.fault[0])
		sim_fault_unplant(0);
	busy.fault[0] = '\0';
	busy.adopted = false;
	sim_param_set_uint("engine_unit_ms", 0);
	busy_stop();
	stop_guests();
	sriov_fixture_disable(&t.fx, 0);
}

/* One candidate of --minimize: the plan from a clean start; 1 if it failed (msg). */
static int busy_candidate(void *ctx, const struct replay_step *plan, unsigned int n,
			  unsigned int scale, char *msg, size_t size)
{
	static struct replay_step cand[REPLAY_MAX_STEPS];
	int err;

	memcpy(cand, plan, n * sizeof(*cand));
	err = busy_chain(cand, n, *(uint64_t *)ctx, scale);

	busy_cleanup();
	if (err)
		snprintf(msg, size, "%s", why);
	igt_info("--minimize: %u hop(s) at scale %u: %s\n", n, scale, err ? msg : "passed");
	return !!err;
}

/* The command that replays a busy plan (its faults planted at their hops). */
static void busy_print_replay(const char *what, uint64_t seed, const struct replay_step *plan,
			      unsigned int n, unsigned int scale)
{
	static char opts[REPLAY_PLAN_CHARS + 128], line[REPLAY_PLAN_CHARS + 1024];
	int len = snprintf(opts, sizeof(opts), "--busy-seed %#llx --busy-scale %u --busy-plan ",
			   (unsigned long long)seed, scale);

	replay_plan_format(plan, n, opts + len, sizeof(opts) - len);
	replay_command(line, sizeof(line), NULL, program_invocation_name, "busy-vf-hops", opts);
	igt_info("%s (%u hops): %s\n", what, n, line);
}

/*
 * Run busy-vf-hops' plan (--busy-plan, else hops hops from --busy-seed or
 * def_seed); on a failure print the line that replays it (up to the hop
 * that failed) and, with --minimize, shrink it. 0, or -1 with why (the
 * run's own failure).
 */
static int busy_run(unsigned int hops, uint64_t def_seed)
{
	static struct replay_step plan[REPLAY_MAX_STEPS];
	static struct replay_min m;
	static char first[sizeof(why)];
	uint64_t seed = t.replay.seed_set ? t.replay.seed : def_seed;
	unsigned int scale = t.replay.scale ?: BUSY_SCALE, n = hops;
	struct replay_target target = {
		.ctx = &seed, .run = busy_candidate, .simpler = workload_simpler, .n_vfs = 2,
	};
	int err;

	if (t.replay.n_plan) {
		n = t.replay.n_plan;
		memcpy(plan, t.replay.plan, n * sizeof(*plan));
		replay_plan_repair(plan, n, 2);
	} else {
		replay_plan_from_seed(plan, n, 2, seed, 0x9e3779b9ull, WL_PHASE_SPINNING, "mix");
	}
	err = busy_chain(plan, n, seed, scale);
	if (busy.hop && busy.hop < n)
		n = busy.hop;
	/* A fault planted by hand during the hop that failed. */
	if (err && busy.hop && !plan[n - 1].fault[0])
		busy_fault(&plan[n - 1]);
	busy_cleanup();
	if (!err)
		return 0;
	busy_print_replay("replay", seed, plan, n, scale);
	if (!t.replay.minimize)
		return err;
	snprintf(first, sizeof(first), "%s", why);
	replay_minimize(&target, plan, n, scale, first, &m);
	if (m.confirmed) {
		igt_info("--minimize: %u runs; the smallest failing plan fails with: %s\n", m.runs,
			 m.why);
		busy_print_replay("minimized replay", seed, m.plan, m.n, m.scale);
	} else {
		igt_warn("--minimize: the smallest plan did not fail the same way on its last run (a flaky failure): %s\n",
			 m.why);
	}
	snprintf(why, sizeof(why), "%s", first);
	return err;
}

static void busy_vf_hops(void)
{
	int err;

	t.subtest = "busy-vf-hops";
	busy_require();
	err = busy_run(busy_hops(), 0xb05e0000ull + getpid());
	igt_assert_f(!err, "%s\n", why);
}

/* A planted data-path defect and what busy-vf-hops must then say. */
static const struct {
	const char *fault;
	const char *expect;
} busy_planted[] = {
	{ "vram-flip", "when it stopped:\nLMEM: " },
	{ "ccs-drop", "the CCS was lost" },
	{ "ggtt-vfid", "PTEs carry another VF id" },
	{ "cmd-lost", "SPIN_UNTIL lost" },
};

static void busy_planted_one(const char *fault, const char *expect)
{
	int err;

	t.subtest = "busy-vf-hops-planted";
	err = sim_fault_plant(fault);
	igt_assert_f(!err, "cannot plant %s: %s\n", fault, strerror(-err));
	err = busy_run(BUSY_HOPS, 0xfa170000ull + getpid());
	sim_fault_unplant(0);
	igt_assert_f(err, "%s planted, but %u busy hops passed every check\n", fault, BUSY_HOPS);
	igt_assert_f(strstr(why, expect), "%s planted: failed, but not with \"%s\":\n%s\n",
		     fault, expect, why);
	igt_info("%s caught: %s\n", fault, why);
}

static void busy_vf_hops_planted(void)
{
	busy_require();
	igt_install_exit_handler(sim_fault_unplant);
	for (size_t i = 0; i < sizeof(busy_planted) / sizeof(busy_planted[0]); i++)
		igt_dynamic(busy_planted[i].fault)
			busy_planted_one(busy_planted[i].fault, busy_planted[i].expect);
}

/* ---- cancel-phases: a migration that does not happen, at every phase ---- */

/* RAM moves this slowly while a RAM phase waits: 4 MiB of RAM take ~4 s. */
#define CANCEL_RAM_BW		(1 * MIB)
/* RAM bytes gone before the cut: the RAM phase has surely begun. */
#define CANCEL_RAM_BYTES	(256 * 1024)
/*
 * Guest RAM the phase fills (zero pages take a few bytes each in QEMU's
 * stream, so the idle guest's RAM would be gone in an instant): 8 MiB at
 * 8 MiB, clear of the firmware and the MSI page.
 */
#define CANCEL_RAM_FILL_AT	(8 * MIB)
#define CANCEL_RAM_FILL		(8 * MIB)
/*
 * The device phase's slow copy (the sim's mig_data_delay_ms, before every
 * read or write of a data fd): the destination loads the stream in
 * writes of at most 32 KiB (QEMU's buffer), so 4 MiB take seconds, and
 * the source stays in STOP_COPY meanwhile, its writes blocked on the
 * socket.
 */
#define CANCEL_DATA_DELAY_MS	50
#define CANCEL_WAIT_MS		20000
/* xe's save ring (XE_GT_SRIOV_PF_MIGRATION_RING_SIZE): packets per GT. */
#define XE_SAVE_RING_SIZE	5

enum cancel_how {
	CANCEL_BY_SOURCE,	/* migrate_cancel (and yank in STOP_COPY) */
	CANCEL_DEST_DIES,	/* SIGKILL of the destination QEMU */
};

static const struct cancel_phase {
	const char *name;
	enum cancel_how how;
	bool device;		/* during the device's stream, else while RAM moves */
	bool undrained;		/* VRAM in small chunks: more than xe's ring left unread */
} cancel_phases[] = {
	{ "ram", CANCEL_BY_SOURCE, false, false },
	{ "stop-copy", CANCEL_BY_SOURCE, true, false },
	{ "dest-resuming", CANCEL_DEST_DIES, true, false },
	{ "dest-dies-ram", CANCEL_DEST_DIES, false, false },
	{ "stop-copy-undrained", CANCEL_BY_SOURCE, true, true },
};

/*
 * The undrained phase's VRAM chunks: a 4 MiB LMEM is 1024 packets, far
 * more than xe's ring of 5 that QEMU's reads before the cut can have
 * emptied. The sim's vram_chunk_size applies to saves that start after
 * it is written; the one the sim VM loads is put back afterwards.
 */
#define CANCEL_SMALL_CHUNK	4096u
#define VRAM_CHUNK_PARAM	"/sys/module/xe_sriov_sim/parameters/vram_chunk_size"
/* vram_chunk_size as the phase found it; 0 while it is not changed. */
static uint64_t cancel_chunk_saved;

/* The sim's view of a VF's VFIO migration: its state and data fd bytes. */
static int vf_mig(struct sriov_vf *v, char *state, size_t size, uint64_t *bytes)
{
	int err = pf_sim_vf_debugfs_field(&v->vf, "migration", "state", state, size);

	return err ?: pf_sim_vf_debugfs_u64(&v->vf, "migration", "bytes", bytes);
}

/* Wait until @v is in @state with more than @min_bytes moved; 0 or -1 (why). */
static int wait_vf_mig(struct sriov_vf *v, const char *state, uint64_t min_bytes,
		       uint64_t *bytes)
{
	char now[32] = "";
	int err = 0;

	for (int i = 0; i < CANCEL_WAIT_MS / 2; i++) {
		err = vf_mig(v, now, sizeof(now), bytes);
		if (err || (!strcmp(now, state) && *bytes > min_bytes))
			break;
		usleep(2000);
	}
	if (err)
		return bfail("VF%u: reading its migration debugfs: %s", v->vf.vf_id,
			     strerror(-err));
	if (strcmp(now, state) || *bytes <= min_bytes)
		return bfail("VF%u never reached %s with data moving (now %s, %" PRIu64 " bytes)",
			     v->vf.vf_id, state, now, *bytes);
	return 0;
}

/* Wait until the source's RAM phase has moved CANCEL_RAM_BYTES. */
static int wait_ram_moving(struct guest *src)
{
	struct qemu_mig_stats st = { 0 };

	for (int i = 0; i < CANCEL_WAIT_MS / 5; i++) {
		json_t *info = qmp_cmd(&src->vm.qmp, "query-migrate", NULL, 10000);

		if (!info)
			return bfail("%s: query-migrate: %s", src->name, src->vm.qmp.error);
		qemu_mig_parse_stats(info, &st);
		json_decref(info);
		if (!strcmp(st.status, "active") && st.ram_transferred >= CANCEL_RAM_BYTES)
			return 0;
		if (strcmp(st.status, "setup") && strcmp(st.status, "active"))
			break;
		usleep(5000);
	}
	return bfail("%s: RAM never moved: migration %s, %" PRIu64 " bytes", src->name,
		     st.status, st.ram_transferred);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	igt_assert(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/*
 * GT0 packets of @v's stream still unread, at most, once QEMU's first
 * read of STOP_COPY data is done: that read takes at least the GT's GUC,
 * GGTT and MMIO packets, so at most the VRAM chunks are left. xe finishes
 * a save once fewer than a ring's worth are left to produce
 * (xe_gt_sriov_pf_control.c: pf_handle_vf_save() sets SAVE_DATA_DONE);
 * with more, STOP_COPY->STOP fails with EIO and QEMU resets the VF
 * (hw/vfio/migration.c: vfio_migration_set_state() with ERROR as the
 * recover state).
 */
static unsigned int cancel_unread_max(const struct sriov_vf *v)
{
	char buf[64] = "";
	uint64_t chunk;
	FILE *f = fopen(VRAM_CHUNK_PARAM, "r");

	igt_assert(f && fgets(buf, sizeof(buf), f));
	fclose(f);
	chunk = strtoull(buf, NULL, 0);
	igt_assert(chunk);
	return (v->cfg.lmem_size + chunk - 1) / chunk;
}

/*
 * The destination's QEMU ended: its VF is back in RUNNING and, opened
 * through VFIO, reset and clear (the close was an FLR, which ends
 * RESUMING whatever it had loaded).
 */
static int cancel_check_dest_clean(struct sriov_vf *v, const char *phase)
{
	char st[32] = "";
	struct vf_state now;
	uint64_t bytes;
	bool clear;
	int err = vf_mig(v, st, sizeof(st), &bytes);

	if (err)
		return bfail("%s: VF%u migration debugfs: %s", phase, v->vf.vf_id, strerror(-err));
	if (strcmp(st, "RUNNING"))
		return bfail("%s: destination VF%u is in %s after its QEMU ended: the close did not reset it",
			     phase, v->vf.vf_id, st);
	err = vfio_dev_open(&v->dev, v->vf.sysfs);
	if (err)
		return bfail("%s: destination VF%u does not open after its QEMU: %s", phase,
			     v->vf.vf_id, strerror(-err));
	err = vf_state_capture(&v->dev, n_ptes(v), &now);
	clear = !err && vf_state_is_clear(&now, report, sizeof(report));
	if (!err)
		vf_state_free(&now);
	vfio_dev_close(&v->dev);
	if (err)
		return bfail("%s: capturing VF%u: %s", phase, v->vf.vf_id, strerror(-err));
	return clear ? 0 : bfail("%s: destination VF%u after its QEMU ended:\n%s", phase,
				 v->vf.vf_id, report);
}

/*
 * No QEMU left behind: the destination's process (@pid, 0 if it was
 * killed and reaped already) is gone, and no child of ours has exited
 * unreaped (the source QEMU is the only one left running).
 */
static int cancel_check_reaped(pid_t pid, const char *phase)
{
	pid_t z;

	if (pid > 0 && !kill(pid, 0))
		return bfail("%s: the destination QEMU (pid %d) is still there", phase, (int)pid);
	z = waitpid(-1, NULL, WNOHANG);
	if (z > 0)
		return bfail("%s: a QEMU (pid %d) had exited and was never reaped", phase, (int)z);
	return 0;
}

/*
 * After a cut: wait (10 s) until the source QEMU runs again, then its log's
 * tail into @tail and in @reset the line where QEMU says it reset the
 * device (hw/vfio/migration.c), cut at its end, or NULL. 0, or -1 with why.
 */
static int cancel_source_runs(struct guest *src, const char *phase, char *tail,
			      size_t size, char **reset)
{
	char st[32] = "";

	for (int i = 0; i < 200; i++) {
		if (qemu_vm_status(&src->vm, st, sizeof(st)))
			return bfail("%s: source QEMU: %s", phase, src->vm.error);
		if (!strcmp(st, "running"))
			break;
		usleep(50000);
	}
	if (strcmp(st, "running"))
		return bfail("%s: the source QEMU is '%s', not running again", phase, st);
	qemu_vm_stderr_tail(&src->vm, tail, size);
	*reset = strstr(tail, "Resetting device");
	if (*reset) {
		while (*reset > tail && (*reset)[-1] != '\n')
			(*reset)--;
		(*reset)[strcspn(*reset, "\n")] = 0;
	}
	return 0;
}

/* The source runs again, as itself: no reset, its VF back in RUNNING. */
static int cancel_check_source(struct guest *src, const char *phase)
{
	char st[32] = "", tail[2048], *reset;
	uint64_t bytes;
	uint32_t irq;
	int err;

	if (cancel_source_runs(src, phase, tail, sizeof(tail), &reset))
		return -1;
	if (reset) {
		/* QEMU's line: "<dev>: Failed setting device state to X, err: E. ..." */
		return bfail("%s: QEMU reset the source's VF%u (the guest's work is lost): a STOP_COPY->STOP or ->RUNNING arc failed, but xe finishes a save whose unread packets fit its ring (at most %u unread here, ring %u); QEMU said: %s",
			     phase, src->vf->vf.vf_id, cancel_unread_max(src->vf),
			     XE_SAVE_RING_SIZE, reset);
	}
	err = vf_mig(src->vf, st, sizeof(st), &bytes);
	if (err)
		return bfail("%s: VF%u migration debugfs: %s", phase, src->vf->vf.vf_id,
			     strerror(-err));
	if (strcmp(st, "RUNNING"))
		return bfail("%s: the source QEMU runs, but its VF%u is in %s, not RUNNING", phase,
			     src->vf->vf.vf_id, st);
	if (qtest_readl(&src->qt, GUEST_BAR0 + XE_SRIOV_SIM_VF_IRQ_STATUS, &irq))
		return bfail("%s: %s: %s", phase, src->name, src->qt.error);
	if (irq & VF_GUEST_MIGRATED_BITS)
		return bfail("%s: the source's VF%u raised MIGRATED (VF_IRQ_STATUS %#x), yet it never left",
			     phase, src->vf->vf.vf_id, irq);
	return 0;
}

/* Small VRAM chunks for the saves that start now (@on), or the old size back. */
static int cancel_small_chunks(bool on)
{
	char buf[32];

	if (on) {
		FILE *f = fopen(VRAM_CHUNK_PARAM, "r");
		bool ok = f && fgets(buf, sizeof(buf), f);

		if (f)
			fclose(f);
		cancel_chunk_saved = ok ? strtoull(buf, NULL, 0) : 0;
		if (!cancel_chunk_saved)
			return bfail("cannot read %s", VRAM_CHUNK_PARAM);
		/* Out of range (not a page multiple, too small, too big): refused, unchanged. */
		for (unsigned int i = 0; i < 3; i++) {
			static const char *const bad[] = { "5000", "0", "1073741824" };
			int err = sysfs_write_str(VRAM_CHUNK_PARAM, bad[i]);

			f = fopen(VRAM_CHUNK_PARAM, "r");
			ok = f && fgets(buf, sizeof(buf), f);
			if (f)
				fclose(f);
			if (err != -EINVAL || !ok || strtoull(buf, NULL, 0) != cancel_chunk_saved) {
				uint64_t now = ok ? strtoull(buf, NULL, 0) : 0;

				return bfail("vram_chunk_size=%s: %s, the parameter now %" PRIu64 " (want EINVAL and %" PRIu64 " kept)",
					     bad[i], err ? strerror(-err) : "accepted", now,
					     cancel_chunk_saved);
			}
		}
		snprintf(buf, sizeof(buf), "%u", CANCEL_SMALL_CHUNK);
		return sim_param_set("vram_chunk_size", buf) ?
		       bfail("cannot set vram_chunk_size=%s", buf) : 0;
	}
	if (!cancel_chunk_saved)
		return 0;
	snprintf(buf, sizeof(buf), "%" PRIu64, cancel_chunk_saved);
	cancel_chunk_saved = 0;
	return sim_param_set("vram_chunk_size", buf) ?
	       bfail("cannot put vram_chunk_size=%s back", buf) : 0;
}

/*
 * The undrained cut, as xe and QEMU document it: QEMU asked the source's
 * VF for RUNNING, xe-vfio-pci's STOP_COPY->STOP arc failed with EIO (more
 * than a ring of packets unread: xe_gt_sriov_pf_control_finish_save_vf()),
 * and QEMU reset the VF (hw/vfio/migration.c: vfio_migration_set_state(),
 * recover state ERROR). The source runs again with a VF in RUNNING that an
 * FLR cleared: engine idle, ring registers zero, the LMEM the guest's
 * driver wrote reads zero. The guest's driver sees that: its work in
 * flight is lost.
 */
static int cancel_check_reset(struct guest *src, const char *phase)
{
	char st[32] = "", tail[4096], *line;
	struct vf_engine_fault f;
	uint64_t bytes;
	int err;

	if (cancel_source_runs(src, phase, tail, sizeof(tail), &line))
		return -1;
	if (!line) {
		size_t len = strlen(tail);

		return bfail("%s: QEMU did not reset the source's VF%u: its save (%" PRIu64 " VRAM packets of %u bytes) had more than xe's ring of %u packets unread, so leaving STOP_COPY must fail with EIO as in xe (xe_gt_sriov_pf_control_finish_save_vf) and QEMU then resets the VF; QEMU's log ends: %s",
			     phase, src->vf->vf.vf_id, src->vf->cfg.lmem_size / CANCEL_SMALL_CHUNK,
			     CANCEL_SMALL_CHUNK, XE_SAVE_RING_SIZE,
			     tail + (len > 400 ? len - 400 : 0));
	}
	/* QEMU asks RUNNING_P2P, then RUNNING: the walk's first arc fails. */
	if (!strstr(line, "Failed setting device state to RUNNING") ||
	    !strstr(line, strerror(EIO)))
		return bfail("%s: QEMU reset the source's VF%u, but not for an EIO on the way to RUNNING_P2P/RUNNING: %s",
			     phase, src->vf->vf.vf_id, line);
	igt_info("%s: QEMU: %s\n", phase, line);

	err = vf_mig(src->vf, st, sizeof(st), &bytes);
	if (err)
		return bfail("%s: VF%u migration debugfs: %s", phase, src->vf->vf.vf_id,
			     strerror(-err));
	if (strcmp(st, "RUNNING"))
		return bfail("%s: the source QEMU runs, but its VF%u is in %s after the reset, not RUNNING",
			     phase, src->vf->vf.vf_id, st);

	/* The guest's driver looks at its device: what it had programmed is gone. */
	if (vf_engine_read_fault(&busy.eng, &f))
		return bfail("%s: reading the engine: %s", phase, busy.eng.error);
	if (f.state != XE_SRIOV_SIM_ENGINE_STATE_IDLE || f.head || f.tail || f.ring_start ||
	    f.irq_status)
		return bfail("%s: VF%u not reset: engine state %u, RING_HEAD %#x, RING_TAIL %#x, RING_START %#x, VF_IRQ_STATUS %#x (an FLR leaves them idle and zero)",
			     phase, src->vf->vf.vf_id, f.state, f.head, f.tail, f.ring_start,
			     f.irq_status);
	{
		/* Straight from the VF: no flush of the driver's shadow first. */
		uint64_t len = busy.drv.lmem_next, off;
		uint32_t *lm = malloc(len);

		igt_assert(lm);
		err = busy.drv.io.ops->lmem_read(&busy.drv.io, 0, lm, len);
		for (off = 0; !err && off < len && !lm[off / 4]; off += 4)
			;
		if (!err && off < len)
			err = bfail("%s: VF%u's LMEM at %#" PRIx64 " is %#x after the reset (an FLR clears it)",
				    phase, src->vf->vf.vf_id, off, lm[off / 4]);
		else if (err)
			err = bfail("%s: reading LMEM through the guest: %s", phase,
				    strerror(-err));
		free(lm);
		if (err)
			return err;
	}
	igt_info("%s: the guest's VF driver sees VF%u reset (ring gone, fence %u -> 0): the work in flight is lost, as xe documents\n",
		 phase, src->vf->vf.vf_id, busy.fence);
	return 0;
}

/*
 * The guest's driver after its device was reset: it drops the lost work
 * and its state, probes the VF again and re-inits, as xe's VF driver does
 * after an FLR.
 */
static int cancel_reinit(struct guest *g, struct workload **lost)
{
	struct vf_io io;
	int err;

	workload_destroy(*lost);
	*lost = NULL;
	vf_engine_fini(&busy.eng);
	vf_driver_fini(&busy.drv);
	busy.started = false;
	guest_probe(g);
	io = guest_io(g);
	err = vf_driver_init_io(&busy.drv, &io);
	if (err)
		return bfail("VF driver re-init after the reset: %s", strerror(-err));
	busy.started = true;
	err = vf_engine_init(&busy.eng, &busy.drv, 0);
	if (err)
		return bfail("engine re-init after the reset: %s", strerror(-err));
	busy.fence = 0;
	return 0;
}

/*
 * The cut, at @ph's point: the destination is told to take the source's
 * VM, and the source cancels, or the destination dies. Returns the
 * source's migration status in @status.
 */
static int cancel_cut(const struct cancel_phase *ph, struct guest *src, struct guest *dst,
		      char *status, size_t size)
{
	char info[256] = "";
	uint64_t sbytes = 0, dbytes = 0;
	int err;

	if (!ph->device) {
		err = wait_ram_moving(src);
		if (err)
			return err;
		/* No PRE_COPY (xe): the device runs on while RAM moves. */
		if (vf_mig(src->vf, info, sizeof(info), &sbytes) || strcmp(info, "RUNNING"))
			return bfail("%s: source VF%u is in %s while RAM moves, not RUNNING",
				     ph->name, src->vf->vf.vf_id, info);
	} else {
		err = wait_vf_mig(src->vf, "STOP_COPY", 0, &sbytes);
		/* The save under way keeps its small chunks: the old size goes back now. */
		if (!err && ph->undrained)
			err = cancel_small_chunks(false);
		if (!err && ph->how == CANCEL_DEST_DIES)
			err = wait_vf_mig(dst->vf, "RESUMING", 0, &dbytes);
		if (err)
			return err;
	}

	if (ph->how == CANCEL_DEST_DIES) {
		qemu_vm_kill(&dst->vm);
		if (ph->device)
			igt_info("%s: destination killed, source VF%u %" PRIu64 " bytes read, destination VF%u %" PRIu64 " bytes loaded\n",
				 ph->name, src->vf->vf.vf_id, sbytes, dst->vf->vf.vf_id, dbytes);
	} else if (!ph->device) {
		if (qmp_cmd_ok(&src->vm.qmp, "migrate_cancel", NULL, 10000))
			return bfail("%s: migrate_cancel: %s", ph->name, src->vm.qmp.error);
	} else {
		json_t *r;

		/*
		 * QEMU holds the BQL from the switchover until the device
		 * state is sent (migration_completion_precopy), so an
		 * in-band migrate_cancel waits for the end of STOP_COPY: it
		 * is sent (its late answer dropped) and cannot act yet.
		 * yank, out-of-band, cuts the channel meanwhile.
		 */
		qmp_cmd_ok(&src->vm.qmp, "migrate_cancel", NULL, 0);
		r = qmp_cmd_oob(&src->oob, "yank",
				json_pack("{s:[{s:s}]}", "instances", "type", "migration"), 5000);
		if (!r)
			return bfail("%s: yank: %s", src->name, src->oob.error);
		json_decref(r);
		qmp_close(&src->oob);
		igt_info("%s: migration channel yanked with VF%u in STOP_COPY, %" PRIu64 " bytes read\n",
			 ph->name, src->vf->vf.vf_id, sbytes);
	}
	err = qemu_mig_wait(&src->vm, CANCEL_WAIT_MS, status, size);
	if (err)
		return bfail("%s: the source's migration never ended: %s", ph->name,
			     err == -ETIMEDOUT ? "timeout" : src->vm.error);
	return 0;
}

/*
 * How the source's migration ends: migrate_cancel cancels it; a dead
 * destination fails it; yank fails it, unless the migrate_cancel sent
 * before it (queued behind the BQL) runs first.
 */
static bool cancel_status_ok(const struct cancel_phase *ph, const char *status)
{
	if (ph->how == CANCEL_DEST_DIES)
		return !strcmp(status, "failed");
	if (!ph->device)
		return !strcmp(status, "cancelled");
	return !strcmp(status, "failed") || !strcmp(status, "cancelled");
}

/*
 * One phase: a seqno workload spinning on a gate in its middle (half its
 * jobs done, half queued); the destination QEMU starts on @to; the
 * migration is cut at @ph's point. Then the source runs on as if nothing
 * happened (running, its VF in RUNNING, not reset, no MIGRATED, the fence
 * where it was), the destination's VF is reset and clear once its QEMU
 * is gone, the work completes with every job run exactly once, the VF
 * takes new work, the bystander is as it was, and no fd is left open.
 */
static int cancel_one(const struct cancel_phase *ph, unsigned int n, struct sriov_vf *to)
{
	struct guest *src = busy.g, *dst = &t.g[busy.g == &t.g[0]];
	uint64_t rng = busy.seed ^ (0x9e3779b9ull * n);
	struct vf_mark mark = vf_driver_mark(&busy.drv);
	struct workload *spin = NULL, *more = NULL;
	struct wl_gate g_spin, g_more;
	struct qemu_mig_params mp = hop_params();
	char uri[128], status[32] = "", st[32] = "";
	uint64_t bytes;
	uint32_t fence;
	pid_t dst_pid;
	int fds, err;

	/* Half its jobs done, the engine spinning on a closed gate, half queued. */
	err = busy_start_work("seqno", wl_rand64(&rng), WL_PHASE_SPINNING, &g_spin, &spin);
	if (err)
		goto out;
	busy.fence = vf_engine_seqno(&busy.eng);

	if (qtest_memset(&src->qt, CANCEL_RAM_FILL_AT, CANCEL_RAM_FILL, 0xc0 | n)) {
		err = bfail("%s: filling guest RAM: %s", src->name, src->qt.error);
		goto out;
	}
	fds = count_fds();
	start_guest(dst, to, true);
	if (!ph->device) {
		mp.max_bandwidth = CANCEL_RAM_BW;
		/* QEMU's estimate (1 MiB/s): the RAM does not fit the downtime. */
		mp.switchover_bandwidth = 0;
	} else if (sim_param_set_uint("mig_data_delay_ms", CANCEL_DATA_DELAY_MS))
		err = bfail("cannot slow the data fds down");
	if (!err && ph->undrained)
		err = cancel_small_chunks(true);
	snprintf(uri, sizeof(uri), "unix:%s/cancel%u.sock", t.dir, n);
	/* Its capabilities negotiated in-band: before the BQL is taken. */
	if (!err && ph->device && ph->how == CANCEL_BY_SOURCE) {
		char path[160];

		snprintf(path, sizeof(path), "%s/%s.oob", t.dir, src->name);
		if (qmp_connect_oob(&src->oob, path, 5000))
			err = bfail("%s: %s", src->name, src->oob.error);
	}
	if (!err && (qemu_mig_prepare(&src->vm, &dst->vm, &mp, why, sizeof(why)) ||
		     qemu_mig_start(&src->vm, &dst->vm, uri, why, sizeof(why))))
		err = -1;
	err = err ?: cancel_cut(ph, src, dst, status, sizeof(status));
	sim_param_set_uint("mig_data_delay_ms", 0);
	if (cancel_small_chunks(false))
		err = -1;
	unlink(uri + 5);
	if (err)
		goto out;
	igt_info("%s: source migration %s\n", ph->name, status);
	if (!cancel_status_ok(ph, status)) {
		err = bfail("%s: the source's migration ended '%s'", ph->name, status);
		goto out;
	}
	err = ph->undrained ? cancel_check_reset(src, ph->name) :
			      cancel_check_source(src, ph->name);
	if (err)
		goto out;
	/* The engine spins on the closed gate: no job may have moved the fence. */
	fence = ph->undrained ? busy.fence : vf_engine_seqno(&busy.eng);
	if (fence != busy.fence) {
		err = bfail("%s: the fence moved from %u to %u while the engine spun on a closed gate",
			    ph->name, busy.fence, fence);
		goto out;
	}

	/* The destination: what QEMU left of it goes; its VF is reset by the close. */
	err = vf_mig(to, st, sizeof(st), &bytes);
	if (!err)
		igt_info("%s: destination VF%u %s, %" PRIu64 " bytes loaded, its QEMU %s\n",
			 ph->name, to->vf.vf_id, st, bytes, dst->vm.pid ? "up" : "gone");
	if (!err && ph->device && bytes >= to->cfg.lmem_size) {
		err = bfail("%s: the destination loaded %" PRIu64 " bytes, the whole stream: the cut came after STOP_COPY",
			    ph->name, bytes);
		goto out;
	}
	dst_pid = dst->vm.pid;
	stop_guest(dst);
	err = err ?: cancel_check_reaped(dst_pid, ph->name);
	err = err ?: cancel_check_dest_clean(to, ph->name);
	if (err)
		goto out;
	if (count_fds() != fds) {
		err = bfail("%s: %d fds open after the destination ended, %d before", ph->name,
			    count_fds(), fds);
		goto out;
	}

	if (ph->undrained) {
		/* Its work is lost: the driver starts over, and the VF takes new work. */
		err = cancel_reinit(src, &spin);
		mark = vf_driver_mark(&busy.drv);
		err = err ?: busy_start_work("seqno", wl_rand64(&rng), WL_PHASE_RUNNING, &g_more,
					     &more);
		err = err ?: busy_finish(more, "new work after the reset");
		err = err ?: busy_check_bystander(ph->name);
		if (!err && vf_engine_retire_batches(&busy.eng))
			err = bfail("%s: %s", ph->name, busy.eng.error);
		goto out;
	}
	/* The source's work: nothing lost, nothing replayed. */
	if (wl_phase_release(spin, &g_spin)) {
		err = bfail("%s: releasing the gate: %s", ph->name, busy.eng.error);
		goto out;
	}
	err = busy_finish(spin, ph->name);
	if (!err && vf_engine_seqno(&busy.eng) != busy.eng.seqno)
		err = bfail("%s: fence %u after the last seqno emitted (%u)", ph->name,
			    vf_engine_seqno(&busy.eng), busy.eng.seqno);
	/* And it takes new work. */
	err = err ?: busy_start_work("seqno", wl_rand64(&rng), WL_PHASE_RUNNING, &g_more, &more);
	err = err ?: busy_finish(more, "new work after the cancel");
	err = err ?: busy_check_bystander(ph->name);
	if (!err && vf_engine_retire_batches(&busy.eng))
		err = bfail("%s: %s", ph->name, busy.eng.error);
out:
	workload_destroy(more);
	workload_destroy(spin);
	if (!err && vf_driver_release(&busy.drv, mark))
		err = bfail("%s: releasing the phase's buffers", ph->name);
	return err;
}

/*
 * After the cuts: the VF that was the destination of each takes the busy
 * guest in a real hop, with work queued, and the guest recovers there.
 */
static int cancel_then_migrate(unsigned int n, struct sriov_vf *to)
{
	struct guest *dst = &t.g[busy.g == &t.g[0]];
	struct vf_mark mark = vf_driver_mark(&busy.drv);
	uint64_t rng = busy.seed ^ (0x9e3779b9ull * n);
	struct workload *w = NULL;
	struct wl_gate g;
	int fds = count_fds();
	int err = busy_start_work("seqno", wl_rand64(&rng), WL_PHASE_QUEUED, &g, &w);

	err = err ?: busy_hop(n, busy.g, dst, to, WL_PHASE_QUEUED, false);
	if (!err && wl_phase_release(w, &g))
		err = bfail("after the hop: releasing the gate: %s", busy.eng.error);
	err = err ?: busy_finish(w, "queued across the hop");
	if (!err && vf_engine_seqno(&busy.eng) != busy.eng.seqno)
		err = bfail("after the hop: fence %u after the last seqno emitted (%u)",
			    vf_engine_seqno(&busy.eng), busy.eng.seqno);
	err = err ?: busy_check_bystander("after the hop");
	if (!err && count_fds() != fds)
		err = bfail("%d fds open after the hop, %d before", count_fds(), fds);
	workload_destroy(w);
	if (!err && vf_engine_retire_batches(&busy.eng))
		err = bfail("after the hop: %s", busy.eng.error);
	if (!err && vf_driver_release(&busy.drv, mark))
		err = bfail("after the hop: releasing its buffers");
	return err;
}

/*
 * After a failed phase: every QEMU of the guests goes, whether a guest
 * still claims its VF or not, so that disabling the VFs never waits for a
 * QEMU the phase left holding one.
 */
static void cancel_kill_guests(void)
{
	for (int i = 0; i < 2; i++) {
		qmp_close(&t.g[i].oob);
		qemu_vm_kill(&t.g[i].vm);
	}
	sim_param_set_uint("mig_data_delay_ms", 0);
	cancel_small_chunks(false);
	busy_cleanup();
}

/* Set by a failed phase (a static: igt_dynamic's failure path longjmps). */
static int cancel_err;

static void cancel_phases_run(void)
{
	struct sriov_vf *vf[2] = { &t.fx.vfs[0][0], &t.fx.vfs[0][1] };
	const unsigned int n = sizeof(cancel_phases) / sizeof(cancel_phases[0]);
	int err;

	t.subtest = "cancel-phases";
	busy_require();
	t.oob_monitor = true;
	cancel_err = 0;
	for (int i = 0; i < 2; i++)
		t.g[i].oob.fd = -1;
	err = busy_begin(NULL, 0, 0xca4c0000ull + getpid(), BUSY_SCALE);
	igt_assert_f(!err, "%s\n", why);
	for (unsigned int i = 0; i < n; i++) {
		const struct cancel_phase *ph = &cancel_phases[i];

		igt_dynamic(ph->name) {
			struct sriov_vf *to = vf[busy.g->vf == vf[0]];

			if (ph->device && ph->how == CANCEL_BY_SOURCE && !ph->undrained)
				igt_require_f(cancel_unread_max(busy.g->vf) < XE_SAVE_RING_SIZE,
					      "VF%u's stream has up to %u VRAM packets unread after QEMU's first read, xe finishes a save with at most %u: xe may refuse STOP_COPY->STOP (EIO) and QEMU then resets the VF, the outcome stop-copy-undrained follows, not this phase\n",
					      busy.g->vf->vf.vf_id, cancel_unread_max(busy.g->vf),
					      XE_SAVE_RING_SIZE - 1);
			if (ph->undrained)
				igt_emit_ignore_dmesg_regex(XE_LOG_FINISH_SAVE_REFUSED);
			cancel_err = -1;
			err = cancel_one(ph, i + 1, to);
			if (err)
				cancel_kill_guests();
			igt_assert_f(!err, "%s\n", why);
			cancel_err = 0;
		}
		/* The guest is gone after a failed phase: the rest cannot run. */
		if (cancel_err)
			break;
	}
	if (!cancel_err)
		igt_dynamic("dest-takes-guest") {
			cancel_err = cancel_then_migrate(n + 1, vf[busy.g->vf == vf[0]]);
			igt_assert_f(!cancel_err, "%s\n", why);
		}
	cancel_kill_guests();
	t.oob_monitor = false;
}

int igt_main_args("", long_opts, help_str, opt_handler, NULL)
{
	igt_fixture()
		setup();

	igt_describe("A QEMU guest drives a sim VF through vfio-pci (BAR sizing, MSI, BAR accesses); QEMU migrates it to another QEMU holding another VF and back; the VF's contents, config and MIGRATED interrupt are checked through the destination guest after every hop.");
	igt_subtest("sim-vf-in-qemu")
		sim_vf_in_qemu();

	igt_describe("A destination QEMU holding a VF of another PF (another device id): the VF refuses the stream, QEMU fails the hop, the source guest resumes with its VF intact, and a VF of the source's PF then takes it.");
	igt_subtest("wrong-device")
		wrong_device();

	igt_describe("A QEMU guest's VF driver (over qtest) has work queued, running and spinning while QEMU migrates the VM VF1 -> VF2 -> VF1 ...; after every hop the data path is checked, the guest recovers as xe does and every workload verifies; a bystander VF stays untouched.");
	igt_subtest("busy-vf-hops")
		busy_vf_hops();

	igt_describe("Each planted data-path defect (vram-flip, ccs-drop, ggtt-vfid, cmd-lost) makes busy-vf-hops fail with its own message.");
	igt_subtest_with_dynamic("busy-vf-hops-planted")
		busy_vf_hops_planted();

	igt_describe("A busy guest's migration is cut at every phase (migrate_cancel while RAM moves, yank in STOP_COPY, a destination killed while RESUMING or while RAM moves): the source runs on with its VF in RUNNING, its work completes with no lost or replayed command, it takes new work, the bystander is untouched, nothing leaks, and the destination VF then takes the guest. stop-copy-undrained: a yank in STOP_COPY with more than xe's ring unread ends as xe documents: EIO, QEMU resets the VF, the work in flight is lost, the guest's driver re-inits and the VF takes new work.");
	igt_subtest_with_dynamic("cancel-phases")
		cancel_phases_run();

	igt_fixture() {
		busy_stop();
		stop_guests();
		sriov_fixture_disable(&t.fx, -1);
		if (t.metrics)
			fclose(t.metrics);
	}
}
