// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_sim_vm_bind
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: VM binds, userptr invalidation and per-VF page tables across migrations
 * Description: The VF driver model's VM (lib/vf_vm.h: xe_vm for one VF)
 *	binds LMEM buffers and userptr ranges (process memory the VF reaches
 *	through its VFIO container's DMA mappings) into the VF's PPGTT with
 *	bind jobs on its engine, and runs a userptr notifier before each
 *	userptr's DMA mapping goes, as xe does (seed
 *	drm-xe-staging-tree-for-vm-binds: binds stage into a separate tree
 *	and commit under the notifier lock). The guest migrates VF1 <-> VF2
 *	with binds queued and running and an invalidation just before the
 *	pause, and recovers as xe's VF driver does. Options: --duration S
 *	(the race's time, default 3 s; --extended 60 s), --seed S (printed,
 *	replays a run's choices), --extended.
 *
 * SUBTEST: race
 * Run type: BAT
 * Description: Threads bind, unbind, invalidate userptrs (notifier, VFIO
 *	unmap, new memory mapped at the same IOVA) and run PPGTT batches
 *	that write and copy through bound ranges, for a fixed time, while
 *	the guest hops between two VFs. Verified: no present PTE into an
 *	invalidated range in the tree the engine walks after any notifier
 *	(scanned from PPGTT_ROOT under the notifier lock); the engine never
 *	faults (PPGTT_DMA would be an access to an unmapped IOVA); after
 *	each hop every successful bind is visible exactly once (its PTEs in
 *	the engine's tree, one PTE per backing page, its job's log dword
 *	written), unbound and invalidated ranges have no PTE, and every
 *	bound buffer holds what the batches left in it. Last, a userptr's
 *	DMA mapping is pulled without the notifier: the engine's next access
 *	must fault PPGTT_DMA at its VA, not reach the old memory.
 *
 * SUBTEST: race-unstaged
 * Run type: BAT
 * Description: The same stress with the VM's staging tree switched off
 *	(binds write the live tree when they stage: xe before the seed's
 *	fix) must report the race: a notifier in the window between stage
 *	and commit (a yield point the test widens, as in race) zaps the
 *	bind's new leaf and leaves a present PTE into the invalidated range
 *	in the leaf the engine walks.
 *
 * SUBTEST: binds-in-flight
 * Run type: BAT
 * Description: 10 hops VF1 <-> VF2, each with a bind job in flight at the
 *	pause, held by a gate (a SPIN_UNTIL) the VM puts in that job
 *	(vf_vm_gate_arm): on odd hops the job is running, stopped between
 *	its PTE stores, on even hops it is queued, the gate before its first
 *	command; binds and unbinds are queued behind it. Before the pause
 *	and again after recovery (gate still closed) RING_HEAD is the job's
 *	SPIN_UNTIL and the job's new leaf holds the first half of its PTEs
 *	(running) or none (queued), the rest clear, the PDE not switched;
 *	the context image the pause wrote shows the engine spinning there.
 *	Then the gate opens: every job completes on the destination (log
 *	dwords written, PTEs present or cleared as the last operation
 *	says), the gated job's start and end counts (COPYs of a record onto
 *	itself, not idempotent) say it ran exactly once, not replayed from
 *	its start, and PPGTT batches through its PTEs and the other bound
 *	buffers read and write the right memory.
 */

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "sim_pf.h"
#include "sriov_fixture.h"
#include "vf_cmd.h"
#include "vf_guest.h"
#include "vf_vm.h"

IGT_TEST_DESCRIPTION("VM binds and userptr invalidation racing, across VF migrations.");

#define NUM_VFS		2
#define VA_BASE		0x1000000000ull		/* leaves of slots */
#define N_LEAVES	2
#define SLOTS_PER_LEAF	8			/* even: LMEM, odd: userptr */
#define N_SLOTS		(N_LEAVES * SLOTS_PER_LEAF)
#define SLOT_PAGES	2
#define SLOT_SIZE	(SLOT_PAGES * 4096ull)
#define SLOT_STRIDE	(4 * 4096ull)		/* slots spread over the leaf */
#define BATCH_VA	(VA_BASE + 8 * VF_PT_LEAF_SPAN)
#define BATCH_SLOTS	64
#define BATCH_SLOT	64
#define IOVA_BASE	0x200000000ull
#define CHECK_BYTES	256
#define HOP_MS		400

static struct sriov_fixture fx;
static struct vf_guest guest;
static struct vf_vm vm;
static struct vf_bo batch_bo;

static struct {
	unsigned int duration_s;
	uint64_t seed;
	bool seed_set, extended;
} opt;

struct slot {
	uint64_t va;
	bool userptr;
	struct vf_bo bo;		/* LMEM */
	struct vf_userptr up;		/* userptr: up.va == va */
	uint8_t *mem;			/* userptr: the process memory */
	bool bound, busy;
	uint32_t bind_fence;
	uint8_t want[CHECK_BYTES];	/* what the first bytes must hold */
};

static struct slot slots[N_SLOTS];
static pthread_mutex_t state = PTHREAD_MUTEX_INITIALIZER;
/* Workers hold it (read) across an operation; verifiers quiesce (write). */
static pthread_rwlock_t world;
static volatile bool stop;
static char failure[1024];
static unsigned int hops, window_hits, window_misses, window_self;

/* The test's yield point between stage and commit (vf_vm_opts.window). */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int leaf, asked, served;
	struct slot *self;	/* the slot being bound */
} win = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, NULL };

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&state);
	if (!failure[0]) {
		va_start(ap, fmt);
		vsnprintf(failure, sizeof(failure), fmt, ap);
		va_end(ap);
	}
	stop = true;
	pthread_mutex_unlock(&state);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static struct sriov_vf *vf(int i)
{
	return &fx.vfs[0][i];
}

/* The VMM's side: DMA maps of the process memory, in every VF's container. */
static int dma_map(void *mem, uint64_t iova, uint64_t size)
{
	for (int i = 0; i < NUM_VFS; i++) {
		struct vfio_iommu_type1_dma_map m = {
			.argsz = sizeof(m),
			.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
			.vaddr = (uintptr_t)mem, .iova = iova, .size = size,
		};

		if (ioctl(vf(i)->dev.container, VFIO_IOMMU_MAP_DMA, &m))
			return -errno;
	}
	return 0;
}

static int dma_unmap(uint64_t iova, uint64_t size)
{
	for (int i = 0; i < NUM_VFS; i++) {
		struct vfio_iommu_type1_dma_unmap u = {
			.argsz = sizeof(u), .iova = iova, .size = size,
		};

		if (ioctl(vf(i)->dev.container, VFIO_IOMMU_UNMAP_DMA, &u))
			return -errno;
	}
	return 0;
}

/* CPU view of a slot's first bytes (device access held for LMEM). */
static const uint8_t *slot_cpu(const struct slot *s)
{
	return s->userptr ? s->mem : vf_bo_map(&guest.drv, &s->bo);
}

static void fill(uint8_t *p, uint64_t seed)
{
	for (unsigned int i = 0; i < CHECK_BYTES; i++)
		p[i] = (uint8_t)(rnd(&seed) >> 24);
}

/* New process memory for a userptr slot, mapped at its IOVA. */
static int map_userptr(struct slot *s, uint64_t seed)
{
	s->mem = mmap(NULL, SLOT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->mem == MAP_FAILED)
		return -errno;
	fill(s->mem, seed | 1);
	memcpy(s->want, s->mem, CHECK_BYTES);
	return dma_map(s->mem, s->up.iova, SLOT_SIZE);
}

static int slots_init(uint64_t seed)
{
	for (unsigned int i = 0; i < N_SLOTS; i++) {
		struct slot *s = &slots[i];
		int err;

		memset(s, 0, sizeof(*s));
		s->va = VA_BASE + (i / SLOTS_PER_LEAF) * VF_PT_LEAF_SPAN +
			(i % SLOTS_PER_LEAF) * SLOT_STRIDE;
		s->userptr = i % 2;
		if (s->userptr) {
			s->up = (struct vf_userptr){ .va = s->va, .iova = IOVA_BASE + i * SLOT_SIZE,
						     .size = SLOT_SIZE, .valid = true };
			err = map_userptr(s, seed + i);
		} else {
			err = vf_driver_bo_create(&guest.drv, SLOT_SIZE, &s->bo);
			if (!err) {
				fill(vf_bo_map(&guest.drv, &s->bo), seed + i);
				memcpy(s->want, vf_bo_map(&guest.drv, &s->bo), CHECK_BYTES);
			}
		}
		if (err)
			return err;
	}
	return 0;
}

static void slots_fini(void)
{
	for (unsigned int i = 0; i < N_SLOTS; i++) {
		struct slot *s = &slots[i];

		if (s->userptr && s->mem) {
			dma_unmap(s->up.iova, SLOT_SIZE);
			munmap(s->mem, SLOT_SIZE);
			s->mem = NULL;
		}
	}
}

/* Pick a slot that is not busy and matches; mark it busy. NULL if none. */
static struct slot *grab(uint64_t *rng, int kind, bool bound, int leaf)
{
	struct slot *got = NULL;
	unsigned int start = (unsigned int)(rnd(rng) % N_SLOTS);

	pthread_mutex_lock(&state);
	for (unsigned int k = 0; k < N_SLOTS && !got; k++) {
		struct slot *s = &slots[(start + k) % N_SLOTS];

		if (s->busy || s->bound != bound || (kind >= 0 && s->userptr != kind) ||
		    (leaf >= 0 && (s->va - VA_BASE) / VF_PT_LEAF_SPAN != (uint64_t)leaf) ||
		    (s->userptr && !s->up.valid))
			continue;
		got = s;
		got->busy = true;
	}
	pthread_mutex_unlock(&state);
	return got;
}

static void release(struct slot *s)
{
	pthread_mutex_lock(&state);
	s->busy = false;
	pthread_mutex_unlock(&state);
}

static int bind_slot(struct slot *s)
{
	uint32_t fence;
	int err = s->userptr ? vf_vm_bind_userptr(&vm, &s->up, &fence) :
			       vf_vm_bind_lmem(&vm, s->va, s->bo.lmem_off, SLOT_SIZE, &fence);

	if (!err) {
		s->bound = true;
		s->bind_fence = fence;
	} else if (err != -EAGAIN && err != -EFAULT) {
		fail("bind of %s VA %#llx: %s", s->userptr ? "userptr" : "LMEM",
		     (unsigned long long)s->va, vf_vm_error());
	}
	return err;
}

static int unbind_slot(struct slot *s)
{
	uint32_t fence;
	int err = vf_vm_unbind(&vm, s->va, SLOT_SIZE, &fence);

	if (err)
		fail("unbind of VA %#llx: %s", (unsigned long long)s->va, vf_vm_error());
	else
		s->bound = false;
	return err;
}

/*
 * A userptr's invalidation as the process does it: the notifier, then
 * the VFIO unmap and munmap, then new memory at the same IOVA.
 */
static void invalidate_slot(struct slot *s, uint64_t seed)
{
	int err = vf_vm_userptr_invalidate(&vm, &s->up);

	if (err) {
		fail("userptr notifier for VA %#llx: %s", (unsigned long long)s->va,
		     vf_vm_error());
		return;
	}
	s->bound = false;	/* zapped: it needs a bind again */
	err = dma_unmap(s->up.iova, SLOT_SIZE);
	munmap(s->mem, SLOT_SIZE);
	err = err ?: map_userptr(s, seed);
	if (err) {
		fail("remapping userptr IOVA %#llx: %s", (unsigned long long)s->up.iova,
		     strerror(-err));
		return;
	}
	vf_vm_userptr_repin(&vm, &s->up);
}

static void *binder(void *arg)
{
	uint64_t rng = (uintptr_t)arg;

	while (!stop) {
		bool bind = rnd(&rng) % 3;
		struct slot *s = grab(&rng, -1, !bind, -1);

		if (!s) {
			usleep(200);
			continue;
		}
		pthread_rwlock_rdlock(&world);
		if (bind)
			bind_slot(s);
		else
			unbind_slot(s);
		pthread_rwlock_unlock(&world);
		release(s);
	}
	return NULL;
}

/* A window request pending: the leaf, else -1. */
static int window_wait(unsigned int ms)
{
	struct timespec ts;
	int leaf = -1;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += ms * 1000000l;
	ts.tv_sec += ts.tv_nsec / 1000000000l;
	ts.tv_nsec %= 1000000000l;
	pthread_mutex_lock(&win.lock);
	if (win.served == win.asked)
		pthread_cond_timedwait(&win.cond, &win.lock, &ts);
	if (win.served != win.asked)
		leaf = (int)win.leaf;
	pthread_mutex_unlock(&win.lock);
	return leaf;
}

static void window_done(void)
{
	pthread_mutex_lock(&win.lock);
	win.served = win.asked;
	pthread_cond_broadcast(&win.cond);
	pthread_mutex_unlock(&win.lock);
}

/*
 * Serve a bind's window: invalidate the userptr being bound itself (its
 * commit must then abort and retry), or a bound one of the leaf the bind
 * changes (the seed's race). The binder holds the world for us, parked.
 */
static void serve_window(int leaf, uint64_t *rng)
{
	struct slot *self = win.self, *s;

	if (self && self->userptr && rnd(rng) % 4 == 0) {
		invalidate_slot(self, rnd(rng));
		__atomic_add_fetch(&window_self, 1, __ATOMIC_RELAXED);
	} else if ((s = grab(rng, 1, true, leaf))) {
		invalidate_slot(s, rnd(rng));
		release(s);
		__atomic_add_fetch(&window_hits, 1, __ATOMIC_RELAXED);
	} else {
		__atomic_add_fetch(&window_misses, 1, __ATOMIC_RELAXED);
	}
	window_done();
}

/*
 * The world for an invalidation, serving windows meanwhile: a binder
 * parked in its window holds the world and waits for us, and a verifier
 * waiting to quiesce the world keeps new holders out. False on stop.
 */
static bool world_get_serving(uint64_t *rng)
{
	while (pthread_rwlock_tryrdlock(&world)) {
		int leaf = window_wait(1);

		if (stop)
			return false;
		if (leaf >= 0)
			serve_window(leaf, rng);
	}
	return true;
}

static void *invalidator(void *arg)
{
	uint64_t rng = (uintptr_t)arg;

	while (!stop) {
		int leaf = window_wait(1 + (unsigned int)(rnd(&rng) % 4));
		struct slot *s;

		if (leaf >= 0) {
			serve_window(leaf, &rng);
			continue;
		}
		s = grab(&rng, 1, rnd(&rng) % 2, -1);
		if (s && world_get_serving(&rng)) {
			invalidate_slot(s, rnd(&rng));
			pthread_rwlock_unlock(&world);
		}
		if (s)
			release(s);
	}
	window_done();
	return NULL;
}

/*
 * vf_vm_opts.window: wake the invalidator for this leaf and wait until it
 * served the window (it takes no lock this thread holds, and the stop
 * flag ends the wait).
 */
static void bind_window(void *data, uint64_t va)
{
	struct slot *self = NULL;

	if (stop)
		return;
	for (unsigned int i = 0; i < N_SLOTS; i++)
		if (slots[i].va == va)
			self = &slots[i];
	pthread_mutex_lock(&win.lock);
	win.leaf = (unsigned int)((va - VA_BASE) / VF_PT_LEAF_SPAN);
	win.self = self;
	win.asked++;
	pthread_cond_broadcast(&win.cond);
	while (win.served != win.asked && !stop) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000000l;
		ts.tv_sec += ts.tv_nsec / 1000000000l;
		ts.tv_nsec %= 1000000000l;
		pthread_cond_timedwait(&win.cond, &win.lock, &ts);
	}
	pthread_mutex_unlock(&win.lock);
}

/* A PPGTT batch: a store into a, then a copy of a's first bytes to b. */
static int write_batch(unsigned int n, const struct slot *a, const struct slot *b,
		       unsigned int off, uint32_t val, uint64_t *va)
{
	uint32_t cs[16];
	unsigned int len = vf_cmd_store(cs, a->va + 4 * off, val);

	len += vf_cmd_copy(cs + len, XE_SRIOV_SIM_OP_COPY, 0, a->va, b->va, CHECK_BYTES);
	len += vf_cmd_batch_end(cs + len);
	*va = BATCH_VA + (n % BATCH_SLOTS) * BATCH_SLOT;
	vf_vm_dev_get(&vm);
	memcpy((uint8_t *)vf_bo_map(&guest.drv, &batch_bo) + (n % BATCH_SLOTS) * BATCH_SLOT, cs,
	       4 * len);
	vf_vm_dev_put(&vm);
	return 0;
}

/* Compare a slot's first bytes with what they must be. */
static int check_contents(const struct slot *s, const char *when)
{
	uint8_t got[CHECK_BYTES];

	vf_vm_dev_get(&vm);
	memcpy(got, slot_cpu(s), CHECK_BYTES);
	vf_vm_dev_put(&vm);
	for (unsigned int i = 0; i < CHECK_BYTES; i++) {
		if (got[i] == s->want[i])
			continue;
		if (s->userptr)
			fail("%s: userptr VA %#llx byte %u is %#x in the process memory, expected %#x: the engine's accesses did not reach the memory mapped at IOVA %#llx now (a stale DMA page?)",
			     when, (unsigned long long)s->va, i, got[i], s->want[i],
			     (unsigned long long)s->up.iova);
		else
			fail("%s: LMEM VA %#llx byte %u is %#x, expected %#x", when,
			     (unsigned long long)s->va, i, got[i], s->want[i]);
		return -1;
	}
	return 0;
}

/* One exec through two bound slots; waits for it and checks by CPU. */
static int exec_pair(struct slot *a, struct slot *b, unsigned int n, uint64_t *rng)
{
	struct vf_userptr *ups[2];
	unsigned int nu = 0, off = (unsigned int)(rnd(rng) % (CHECK_BYTES / 4));
	uint32_t val = (uint32_t)rnd(rng), fence;
	uint64_t batch;
	int err;

	if (a->userptr)
		ups[nu++] = &a->up;
	if (b->userptr)
		ups[nu++] = &b->up;
	write_batch(n, a, b, off, val, &batch);
	err = vf_vm_exec(&vm, batch, ups, nu, &fence);
	if (err == -EAGAIN)
		return 0;
	if (err) {
		fail("%s", vf_vm_error());
		return err;
	}
	err = vf_vm_wait(&vm, fence, VF_VM_FENCE_TIMEOUT_MS);
	if (err) {
		fail("VIOLATION: PPGTT batch storing to VA %#llx and copying it to VA %#llx: %s",
		     (unsigned long long)a->va + 4 * off, (unsigned long long)b->va,
		     vf_vm_error());
		return err;
	}
	memcpy(&a->want[4 * off], &val, 4);
	memcpy(b->want, a->want, CHECK_BYTES);
	return check_contents(a, "after a PPGTT batch") ?: check_contents(b, "after a PPGTT batch");
}

static void *executor(void *arg)
{
	uint64_t rng = (uintptr_t)arg;

	for (unsigned int n = 0; !stop; n++) {
		struct slot *a = grab(&rng, -1, true, -1), *b = a ? grab(&rng, -1, true, -1) : NULL;

		if (a && b) {
			pthread_rwlock_rdlock(&world);
			exec_pair(a, b, n, &rng);
			pthread_rwlock_unlock(&world);
		} else {
			usleep(200);
		}
		if (a)
			release(a);
		if (b)
			release(b);
	}
	return NULL;
}

/* The engine's view against the slots: counts per backing page. */
struct view_check {
	unsigned int ptes[N_SLOTS][SLOT_PAGES];
	unsigned int other;
	uint64_t other_va, other_pte;
};

static uint64_t want_pte(const struct slot *s, unsigned int p)
{
	return s->userptr ? vf_pt_pte_sys(s->up.iova + p * 4096ull) :
			    vf_pt_pte_lmem(s->bo.lmem_off + p * 4096ull);
}

static int count_pte(void *data, uint64_t va, uint64_t pte)
{
	struct view_check *c = data;

	for (unsigned int i = 0; i < N_SLOTS; i++) {
		for (unsigned int p = 0; p < SLOT_PAGES; p++) {
			if (vf_pt_addr(pte) == vf_pt_addr(want_pte(&slots[i], p)) &&
			    (pte & XE_SRIOV_SIM_PPGTT_DM) ==
			    (want_pte(&slots[i], p) & XE_SRIOV_SIM_PPGTT_DM)) {
				if (va == slots[i].va + p * 4096ull)
					c->ptes[i][p]++;
				else
					c->other++;
				return 0;
			}
		}
	}
	if (va < BATCH_VA || va >= BATCH_VA + 4096) {
		c->other_va = va;
		c->other_pte = pte;
		c->other++;
	}
	return 0;
}

/* Quiesced (world held for write): every slot as its last operation says. */
static int check_view(const char *when)
{
	static struct view_check c;
	int err;

	memset(&c, 0, sizeof(c));
	err = vf_vm_wait(&vm, guest.eng.seqno, VF_VM_FENCE_TIMEOUT_MS);
	if (err) {
		fail("%s: VIOLATION: %s", when, vf_vm_error());
		return err;
	}
	vf_vm_dev_get(&vm);
	err = vf_vm_hw_scan(&vm, count_pte, &c);
	vf_vm_dev_put(&vm);
	if (err)
		fail("%s: scanning the engine's page tables: %d", when, err);
	if (c.other)
		fail("%s: %u PTEs the VM did not bind, e.g. VA %#llx -> %#llx", when, c.other,
		     (unsigned long long)c.other_va, (unsigned long long)c.other_pte);
	for (unsigned int i = 0; i < N_SLOTS && !stop; i++) {
		struct slot *s = &slots[i];
		bool on = s->bound && (!s->userptr || s->up.valid);

		for (unsigned int p = 0; p < SLOT_PAGES; p++)
			if (c.ptes[i][p] != on)
				fail("%s: %s VA %#llx page %u: %u PTEs in the engine's tree, expected %u (%s)",
				     when, s->userptr ? "userptr" : "LMEM",
				     (unsigned long long)s->va, p, c.ptes[i][p], on,
				     on ? "bound" : "unbound or invalidated");
		if (on && guest.eng.seqno - s->bind_fence < VF_VM_LOG &&
		    vf_vm_log(&vm, s->bind_fence) != s->bind_fence)
			fail("%s: the bind job of VA %#llx (fence %u) did not run: log dword %u",
			     when, (unsigned long long)s->va, s->bind_fence,
			     vf_vm_log(&vm, s->bind_fence));
		if (on)
			check_contents(s, when);
	}
	if (vm.violations)
		fail("%s: VIOLATION: %s", when, vm.violation);
	return stop ? -1 : 0;
}

static int hop(unsigned int n)
{
	struct sriov_vf *dst = vf(guest.vf == vf(0) ? 1 : 0);
	int err;

	vf_vm_freeze(&vm);
	err = vf_guest_move(&guest, dst, NULL) ?: vf_guest_recover(&guest, NULL);
	vf_vm_thaw(&vm);
	if (err)
		fail("hop %u to VF%u: %s", n, dst->vf.vf_id, guest.error);
	else
		hops++;
	return err;
}

/* Just before the pause: a bind queued and a userptr invalidated. */
static void before_pause(uint64_t *rng)
{
	struct slot *s = grab(rng, -1, false, -1);

	if (s) {
		bind_slot(s);
		release(s);
	}
	s = grab(rng, 1, true, -1);
	if (s) {
		invalidate_slot(s, rnd(rng));
		release(s);
	}
}

static void setup_guest(bool staging)
{
	struct vf_vm_opts o = { .no_staging = !staging, .check_zap = true };
	uint32_t fence;
	int err;

	stop = false;
	failure[0] = '\0';
	hops = window_hits = window_misses = window_self = 0;
	win.asked = win.served = 0;
	igt_assert_f(!vf_guest_start(&guest, vf(0), 0), "%s\n", guest.error);
	igt_assert_f(!vf_vm_init(&vm, &guest.drv, &guest.eng, &o), "%s\n", vf_vm_error());
	igt_assert_eq(vf_driver_bo_create(&guest.drv, 4096, &batch_bo), 0);
	igt_assert_eq(slots_init(opt.seed), 0);
	err = vf_vm_bind_lmem(&vm, BATCH_VA, batch_bo.lmem_off, 4096, &fence);
	igt_assert_f(!err, "binding the batch buffer: %s\n", vf_vm_error());
	/* From now on an invalidator serves the windows (see stress()). */
	vm.opts.window = bind_window;
}

static void teardown_guest(void)
{
	slots_fini();
	vf_vm_fini(&vm);
	vf_guest_stop(&guest);
}

static uint64_t now_ms(void)
{
	return vf_guest_now_ns() / 1000000;
}

/* The stress: workers for duration_ms, hops and checks from this thread. */
static void stress(unsigned int duration_ms)
{
	pthread_t th[3];
	void *(*fn[3])(void *) = { binder, invalidator, executor };
	uint64_t rng = opt.seed | 1, end = now_ms() + duration_ms, next_hop = now_ms() + HOP_MS;

	for (int i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, fn[i], (void *)(uintptr_t)(opt.seed * (i + 3) | 1));
	while (!stop && now_ms() < end) {
		usleep(2000);
		if (now_ms() < next_hop)
			continue;
		before_pause(&rng);
		hop(hops + 1);
		pthread_rwlock_wrlock(&world);
		check_view("after the hop");
		pthread_rwlock_unlock(&world);
		next_hop = now_ms() + HOP_MS;
	}
	stop = true;
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	if (!failure[0])
		check_view("at the end");
	igt_info("%u hops; VM: %u binds, %u unbinds, %u userptr retries, %u invalidations (%u PTEs zapped), %u execs; window: %u invalidations of a bound userptr in a bind's leaf, %u of the userptr being bound, %u without a bound userptr to hit\n",
		 hops, vm.binds, vm.unbinds, vm.retries, vm.invalidations, vm.zapped, vm.execs,
		 window_hits, window_self, window_misses);
}

/*
 * The VMM pulls a bound userptr's DMA mapping without the notifier: the
 * sim must stop using it, so the engine's next access faults PPGTT_DMA
 * at its VA instead of reaching the memory that was there.
 */
static void dma_unmap_probe(void)
{
	uint64_t rng = opt.seed ^ 0xd3a, batch;
	struct slot *a = grab(&rng, 1, false, -1), *b = grab(&rng, 0, false, -1);
	uint32_t fence;
	int err;

	igt_assert(a && b);
	igt_assert_eq(bind_slot(a), 0);
	igt_assert_eq(bind_slot(b), 0);
	/* A read first, so the sim has the page pinned and cached. */
	write_batch(0, a, b, 0, 0x5ca1ab1e, &batch);
	igt_assert_f(!vf_vm_exec(&vm, batch, NULL, 0, &fence) &&
		     !vf_vm_wait(&vm, fence, VF_VM_FENCE_TIMEOUT_MS), "%s\n", vf_vm_error());
	igt_assert_eq(dma_unmap(a->up.iova, SLOT_SIZE), 0);
	write_batch(1, a, b, 1, 0x0dd0beef, &batch);
	igt_assert_f(!vf_vm_exec(&vm, batch, NULL, 0, &fence), "%s\n", vf_vm_error());
	err = vf_vm_wait(&vm, fence, 5000);
	igt_assert_f(err == -EIO,
		     "engine used IOVA %#llx after its DMA unmap: a PPGTT batch stored to VA %#llx and copied from it (%s), expected a PPGTT_DMA fault\n",
		     (unsigned long long)a->up.iova, (unsigned long long)a->va,
		     err ? vf_vm_error() : "it completed");
	igt_assert_f(strstr(vf_vm_error(), "PPGTT_DMA") &&
		     strstr(vf_vm_error(), "VA 0x"), "expected a PPGTT_DMA fault: %s\n",
		     vf_vm_error());
	igt_info("the engine's access after the DMA unmap: %s\n", vf_vm_error());
	/* Already unmapped: what slots_fini() would do again fails harmlessly. */
	munmap(a->mem, SLOT_SIZE);
	a->mem = NULL;
}

static unsigned int race_ms(void)
{
	return 1000 * (opt.duration_s ?: opt.extended ? 60 : 3);
}

static void race(void)
{
	igt_info("seed %#llx (replay with --seed %#llx)\n", (unsigned long long)opt.seed,
		 (unsigned long long)opt.seed);
	setup_guest(true);
	stress(race_ms());
	if (!failure[0])
		dma_unmap_probe();
	teardown_guest();
	igt_assert_f(!failure[0], "%s (seed %#llx)\n", failure, (unsigned long long)opt.seed);
}

static void race_unstaged(void)
{
	unsigned int violations;
	char first[512];

	igt_info("seed %#llx (replay with --seed %#llx)\n", (unsigned long long)opt.seed,
		 (unsigned long long)opt.seed);
	setup_guest(false);
	stress(race_ms());
	violations = vm.violations;
	snprintf(first, sizeof(first), "%s", vm.violation);
	teardown_guest();
	igt_assert_f(violations,
		     "without the staging tree the stress found no race in %u s (%u windows hit; seed %#llx); other failure: %s\n",
		     race_ms() / 1000, window_hits, (unsigned long long)opt.seed,
		     failure[0] ? failure : "none");
	igt_info("race detected (%u violations): %s\n", violations, first);
}

static const char *gate_at_name(enum vf_vm_gate_at at)
{
	return at == VF_VM_GATE_RUNNING ? "running (part-way through its PTE stores)" :
					  "queued (not started)";
}

static const char *slot_kind(const struct slot *s)
{
	return s->userptr ? "userptr" : "LMEM";
}

/* Where the engine is: RING_HEAD and ENGINE_STATUS. */
static int engine_where(uint32_t *head, uint32_t *status)
{
	int err;

	vf_vm_dev_get(&vm);
	err = vf_io_read32(&guest.drv.io, XE_SRIOV_SIM_RING_HEAD, head) ?:
	      vf_io_read32(&guest.drv.io, XE_SRIOV_SIM_ENGINE_STATUS, status);
	vf_vm_dev_put(&vm);
	return err;
}

/* The engine waits at the gated job's SPIN_UNTIL (when: for messages). */
static int check_spinning_at_gate(unsigned int n, const char *when)
{
	uint32_t head = 0, status = 0;
	int err;

	vf_vm_dev_get(&vm);
	err = vf_engine_wait_spinning(&guest.eng, 2000);
	vf_vm_dev_put(&vm);
	if (err) {
		fail("hop %u, %s: the engine does not spin at the bind job's gate: %s", n, when,
		     guest.eng.error);
		return err;
	}
	err = engine_where(&head, &status);
	if (!err && head != vm.gate.spin_off)
		err = -EINVAL;
	if (err)
		fail("hop %u, %s: RING_HEAD %#x (status %#x), expected the bind job's SPIN_UNTIL at %#x",
		     n, when, head, status, vm.gate.spin_off);
	return err;
}

/*
 * The gated job while its gate is closed: started or not (by its count),
 * not ended, the first half of its PTEs in its new leaf and the rest
 * clear, its PDE not switched.
 */
static int check_gate_closed(unsigned int n, const char *when)
{
	const struct vf_vm_gate *g = &vm.gate;
	bool running = g->at == VF_VM_GATE_RUNNING;
	struct vf_vm_gate_state st;

	if (vf_vm_gate_read(&vm, &st)) {
		fail("hop %u, %s: %s", n, when, vf_vm_error());
		return -1;
	}
	if (st.started != running || st.ended)
		fail("hop %u, %s: the bind job of VA %#llx (fence %u), %s at the gate, started %u and ended %u times, expected %u and 0",
		     n, when, (unsigned long long)g->va, g->seqno, gate_at_name(g->at),
		     st.started, st.ended, running);
	else if (st.prefix != g->before || st.written != g->before ||
		 st.cleared != g->count - g->before)
		fail("hop %u, %s: the bind job of VA %#llx (fence %u), %s, has %u of its %u PTEs written (%u leading, %u still clear) in its new leaf, expected the first %u written and the rest clear",
		     n, when, (unsigned long long)g->va, g->seqno, gate_at_name(g->at),
		     st.written, g->count, st.prefix, st.cleared, g->before);
	else if (st.switched)
		fail("hop %u, %s: the bind job of VA %#llx (fence %u) switched its PDE behind a closed gate",
		     n, when, (unsigned long long)g->va, g->seqno);
	return stop ? -1 : 0;
}

/* The context image the pause wrote: the engine stopped at the gate. */
static int check_context_image(unsigned int n, uint32_t saves_before)
{
	struct xe_sriov_sim_engine_context c;

	vf_vm_dev_get(&vm);
	memcpy(&c, vf_bo_map(&guest.drv, &guest.eng.ctx), sizeof(c));
	vf_vm_dev_put(&vm);
	if (c.magic != XE_SRIOV_SIM_ENGINE_CONTEXT_MAGIC || c.saves == saves_before ||
	    c.ring_head != vm.gate.spin_off || c.depth ||
	    !(c.status & XE_SRIOV_SIM_ENGINE_STATUS_SPINNING) || !c.spin_iterations ||
	    vf_seqno_passed(c.last_seqno, vm.gate.seqno))
		fail("hop %u: the context image of the pause (magic %#x, save %u, before %u) has RING_HEAD %#x, depth %u, status %#x, %u spin iterations, last seqno %u: expected the engine spinning in the ring at the bind job's SPIN_UNTIL (%#x) before its fence %u",
		     n, c.magic, c.saves, saves_before, c.ring_head, c.depth, c.status,
		     c.spin_iterations, c.last_seqno, vm.gate.spin_off, vm.gate.seqno);
	return stop ? -1 : 0;
}

/* After the gate opened and every job ran: the gated job ran exactly once. */
static int check_gate_done(unsigned int n)
{
	const struct vf_vm_gate *g = &vm.gate;
	struct vf_vm_gate_state st;

	if (vf_vm_gate_read(&vm, &st)) {
		fail("hop %u: %s", n, vf_vm_error());
		return -1;
	}
	if (st.started != 1 || st.ended != 1)
		fail("hop %u: the bind job of VA %#llx (fence %u), %s at the pause, started %u and ended %u times, expected exactly once each: %s",
		     n, (unsigned long long)g->va, g->seqno, gate_at_name(g->at), st.started,
		     st.ended, st.started > 1 ? "recovery replayed it from its start" :
		     "recovery lost a part of it");
	/*
	 * Its own leaf, not only the engine's view: a job queued behind it in
	 * the same leaf copies the leaf from the VM's mirror and would hide
	 * a store it lost. No bind ran since, so the page is not reused.
	 */
	else if (st.written != g->count)
		fail("hop %u: the bind job of VA %#llx (fence %u), %s at the pause, left %u of its %u PTEs written in its leaf (%u leading, %u clear): its stores after the gate did not all run",
		     n, (unsigned long long)g->va, g->seqno, gate_at_name(g->at), st.written,
		     g->count, st.prefix, st.cleared);
	return stop ? -1 : 0;
}

/* An unbound slot, one unbound first if none is: marked busy. */
static struct slot *grab_unbound(uint64_t *rng)
{
	struct slot *s = grab(rng, -1, false, -1);

	if (!s) {
		s = grab(rng, -1, true, -1);
		if (s && unbind_slot(s)) {
			release(s);
			s = NULL;
		}
	}
	return s;
}

/*
 * One hop with a bind job in flight: queued behind its gate (even hops)
 * or stopped at the gate in the middle of its PTE stores (odd hops), with
 * more binds and unbinds queued behind it.
 */
static void hop_with_bind(unsigned int n, uint64_t *rng)
{
	enum vf_vm_gate_at at = n % 2 ? VF_VM_GATE_RUNNING : VF_VM_GATE_QUEUED;
	struct slot *s, *t, *gated;
	unsigned int behind = 0;
	uint32_t saves;

	/* Contents to carry: a batch through two bound slots. */
	for (int k = 0; k < 2; k++) {
		s = grab(rng, -1, false, -1);
		if (s) {
			bind_slot(s);
			release(s);
		}
	}
	s = grab(rng, -1, true, -1);
	t = s ? grab(rng, -1, true, -1) : NULL;
	if (s && t)
		exec_pair(s, t, n, rng);
	if (t)
		release(t);
	if (s)
		release(s);
	if (stop)
		return;
	vf_vm_wait(&vm, guest.eng.seqno, VF_VM_FENCE_TIMEOUT_MS);

	gated = grab_unbound(rng);
	if (!gated) {
		fail("hop %u: no slot to bind", n);
		return;
	}
	if (vf_vm_gate_arm(&vm, at)) {
		fail("hop %u: %s", n, vf_vm_error());
		release(gated);
		return;
	}
	/* It stays busy: the operations queued behind leave it alone. */
	bind_slot(gated);
	if (stop || !vm.gate.used) {
		fail("hop %u: the bind of VA %#llx did not take the gate", n,
		     (unsigned long long)gated->va);
		release(gated);
		return;
	}
	/* Binds and unbinds queued behind it. */
	for (int k = 0; k < 3; k++) {
		s = grab(rng, -1, k % 2 == 0, -1);
		if (!s)
			continue;
		if (k % 2)
			bind_slot(s);
		else
			unbind_slot(s);
		release(s);
		behind++;
	}
	if (check_spinning_at_gate(n, "before the pause") ||
	    check_gate_closed(n, "before the pause")) {
		release(gated);
		return;
	}
	vf_vm_dev_get(&vm);
	saves = ((const struct xe_sriov_sim_engine_context *)
		 vf_bo_map(&guest.drv, &guest.eng.ctx))->saves;
	vf_vm_dev_put(&vm);

	if (hop(n) || check_context_image(n, saves) ||
	    check_spinning_at_gate(n, "after recovery, gate closed") ||
	    check_gate_closed(n, "after recovery, gate closed")) {
		release(gated);
		return;
	}
	vf_vm_gate_open(&vm);
	pthread_rwlock_wrlock(&world);
	check_view("after a hop with a bind in flight");
	pthread_rwlock_unlock(&world);
	if (check_gate_done(n)) {
		release(gated);
		return;
	}
	/* The gated bind's PTEs lead to its memory: a batch through them. */
	t = grab(rng, -1, true, -1);
	if (t) {
		exec_pair(gated, t, n + 100, rng);
		release(t);
	}
	release(gated);
	igt_info("hop %u to VF%u: bind of %s VA %#llx (fence %u) %s at the pause, SPIN_UNTIL at ring offset %#x, %u of its %u PTEs written, %u jobs queued behind; ran once on the destination\n",
		 n, guest.vf->vf.vf_id, slot_kind(gated), (unsigned long long)gated->va,
		 vm.gate.seqno, gate_at_name(at), vm.gate.spin_off, vm.gate.before,
		 vm.gate.count, behind);
}

/* Hops with a bind job queued or part-way through at each pause. */
static void binds_in_flight(void)
{
	uint64_t rng = opt.seed ^ 0xb1d;

	igt_info("seed %#llx (replay with --seed %#llx)\n", (unsigned long long)opt.seed,
		 (unsigned long long)opt.seed);
	setup_guest(true);
	vm.opts.window = NULL;
	for (unsigned int n = 1; n <= 10 && !stop; n++)
		hop_with_bind(n, &rng);
	if (stop)
		vf_vm_gate_open(&vm);	/* let the engine go for the teardown */
	teardown_guest();
	igt_assert_f(!failure[0], "%s (seed %#llx)\n", failure, (unsigned long long)opt.seed);
	igt_assert_eq(hops, 10);
}

static int opt_handler(int o, int index, void *data)
{
	char *end;

	switch (o) {
	case 'D':
		opt.duration_s = strtoul(optarg, &end, 0);
		return *end || !opt.duration_s ? IGT_OPT_HANDLER_ERROR : IGT_OPT_HANDLER_SUCCESS;
	case 'S':
		opt.seed = strtoull(optarg, &end, 0);
		opt.seed_set = true;
		return *end ? IGT_OPT_HANDLER_ERROR : IGT_OPT_HANDLER_SUCCESS;
	case 'X':
		opt.extended = true;
		return IGT_OPT_HANDLER_SUCCESS;
	}
	return IGT_OPT_HANDLER_ERROR;
}

static const struct option long_opts[] = {
	{ "duration", required_argument, NULL, 'D' },
	{ "seed", required_argument, NULL, 'S' },
	{ "extended", no_argument, NULL, 'X' },
	{ NULL, 0, NULL, 0 },
};

static const char help_str[] =
	"  --duration S\tthe race stresses run S seconds (default 3; --extended: 60)\n"
	"  --seed S\tseed of every choice (default: from the clock, printed)\n"
	"  --extended\tthe long race\n";

static void sim_defaults(int sig)
{
	sim_fault_unplant(sig);
	sim_param_set_uint("engine_unit_ms", 0);
}

int igt_main_args("", long_opts, help_str, opt_handler, NULL)
{
	igt_fixture() {
		pthread_rwlockattr_t a;
		int err = sriov_fixture_init(&fx);

		igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
		sriov_require_cap(&fx, PF_CAP_SIM_ENGINE | PF_CAP_SIM_VF_REGS | PF_CAP_SIM_PARAMS,
				  "the sim's engine with its PPGTT and the sim's parameters");
		igt_require_f(!sriov_fixture_enable(&fx, 0, NUM_VFS),
			      "cannot enable %d VFs on %s\n", NUM_VFS, fx.pfs[0].name);
		igt_install_exit_handler(sim_defaults);
		if (!opt.seed_set) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			opt.seed = (uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec;
		}
		pthread_rwlockattr_init(&a);
		pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
		pthread_rwlock_init(&world, &a);
	}

	igt_describe("Binds, unbinds, userptr invalidations and PPGTT batches racing across hops.");
	igt_subtest("race")
		race();

	igt_describe("Without the staging tree the same stress must report the seed's race.");
	igt_subtest("race-unstaged")
		race_unstaged();

	igt_describe("A bind job queued or part-way through at 10 pauses completes once after recovery.");
	igt_subtest("binds-in-flight")
		binds_in_flight();

	igt_fixture() {
		vf_guest_stop(&guest);
		sriov_fixture_disable(&fx, -1);
	}
}
