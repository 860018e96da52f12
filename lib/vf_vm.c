// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The VF driver model's VM: binds with the staging tree, the userptr
 * notifier, execs and fence waits (see vf_vm.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "uapi/xe_sriov_sim_ppgtt.h"
#include "uapi/xe_sriov_sim_regs.h"
#include "vf_cmd.h"
#include "vf_vm.h"

static __thread char error[640];

const char *vf_vm_error(void)
{
	return error;
}

static int set_error(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int set_error(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error, sizeof(error), fmt, ap);
	va_end(ap);
	return err;
}

void vf_vm_dev_get(struct vf_vm *vm)
{
	pthread_rwlock_rdlock(&vm->dev);
}

void vf_vm_dev_put(struct vf_vm *vm)
{
	pthread_rwlock_unlock(&vm->dev);
}

void vf_vm_freeze(struct vf_vm *vm)
{
	pthread_rwlock_wrlock(&vm->dev);
}

void vf_vm_thaw(struct vf_vm *vm)
{
	pthread_rwlock_unlock(&vm->dev);
}

/* The pool page's GGTT address now (it moves with the VF's GGTT slice). */
static uint64_t pt_ggtt(struct vf_vm *vm, uint64_t lmem_off)
{
	return vf_bo_ggtt(vm->drv, &vm->pool_bo) + (lmem_off - vm->pool_bo.lmem_off);
}

static uint64_t *lmem_qw(struct vf_vm *vm, uint64_t lmem_off)
{
	return (uint64_t *)(vm->drv->lmem + lmem_off);
}

static int write_root(struct vf_vm *vm)
{
	uint64_t root = vf_pt_pool_lmem(&vm->tree.pool, vm->tree.root->page);
	uint64_t val = root | XE_SRIOV_SIM_PPGTT_ROOT_ENABLE;
	int err = vf_io_write32(&vm->drv->io, XE_SRIOV_SIM_PPGTT_ROOT_HI, (uint32_t)(val >> 32));

	return err ?: vf_io_write32(&vm->drv->io, XE_SRIOV_SIM_PPGTT_ROOT_LO, (uint32_t)val);
}

static void init_locks(struct vf_vm *vm)
{
	pthread_rwlockattr_t a;

	pthread_mutex_init(&vm->lock, NULL);
	pthread_rwlock_init(&vm->notifier_lock, NULL);
	pthread_mutex_init(&vm->ring, NULL);
	/* The pause must get in while threads keep taking device accesses. */
	pthread_rwlockattr_init(&a);
	pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&vm->dev, &a);
	pthread_rwlockattr_destroy(&a);
}

int vf_vm_init(struct vf_vm *vm, struct vf_driver *drv, struct vf_engine *eng,
	       const struct vf_vm_opts *opts)
{
	unsigned int pages;
	int err;

	memset(vm, 0, sizeof(*vm));
	init_locks(vm);		/* vf_vm_fini() after a failed init destroys them */
	vm->drv = drv;
	vm->eng = eng;
	if (opts)
		vm->opts = *opts;
	pages = vm->opts.pool_pages ?: VF_VM_POOL_PAGES;
	err = vf_driver_bo_create(drv, (uint64_t)pages * VF_PT_PAGE, &vm->pool_bo);
	err = err ?: vf_driver_bo_create(drv, 4 * VF_VM_LOG, &vm->log_bo);
	if (err)
		return set_error(err, "VM: page-table pool of %u pages: %s", pages, strerror(-err));
	/* A fresh page table is all "not present"; so is a fresh log. */
	memset(vf_bo_map(drv, &vm->pool_bo), 0, vm->pool_bo.size);
	memset(vf_bo_map(drv, &vm->log_bo), 0, vm->log_bo.size);
	err = vf_pt_tree_init(&vm->tree, vm->pool_bo.lmem_off, pages);
	err = err ?: write_root(vm);
	if (err)
		return set_error(err, "VM: root page and PPGTT_ROOT: %s", strerror(-err));
	return 0;
}

void vf_vm_fini(struct vf_vm *vm)
{
	vf_pt_tree_fini(&vm->tree);
	pthread_mutex_destroy(&vm->lock);
	pthread_rwlock_destroy(&vm->notifier_lock);
	pthread_rwlock_destroy(&vm->dev);
	pthread_mutex_destroy(&vm->ring);
}

/* New pages get their image by CPU before the job makes them reachable. */
static void write_new_pages(struct vf_vm *vm, const struct vf_pt_update *u)
{
	uint64_t img[VF_PT_ENTRIES];

	for (unsigned int i = 0; i < u->n_new; i++) {
		uint64_t *page = lmem_qw(vm, vf_pt_pool_lmem(&vm->tree.pool, u->new_nodes[i]->page));

		vf_pt_page_image(u->new_nodes[i], u, img);
		for (unsigned int j = 0; j < VF_PT_ENTRIES; j++)
			__atomic_store_n(&page[j], img[j], __ATOMIC_RELAXED);
	}
}

/* The gate buffer: the gate dword, then the two count records. */
#define GATE_OPEN	1u
#define GATE_STARTED	64u
#define GATE_ENDED	128u

static bool gated(const struct vf_vm *vm, const struct vf_pt_update *u)
{
	return vm->gate.armed && u->count && vf_pt_present(u->pte[0]);
}

/* Remember what the gated job writes, so the test can see how far it got. */
static void gate_take(struct vf_vm *vm, const struct vf_pt_update *u, uint32_t seqno)
{
	struct vf_vm_gate *g = &vm->gate;

	g->armed = false;
	g->used = true;
	g->seqno = seqno;
	g->va = u->va;
	g->leaf_lmem = vf_pt_pool_lmem(&vm->tree.pool, u->leaf->page) + 8ull * u->first;
	g->count = u->count;
	g->before = g->at == VF_VM_GATE_RUNNING ? (u->count + 1) / 2 : 0;
	memcpy(g->pte, u->pte, sizeof(g->pte[0]) * u->count);
	g->pde_lmem = vf_pt_pool_lmem(&vm->tree.pool, u->parent->page) + 8ull * u->idx;
	g->pde = u->parent->ent[u->idx];
}

/* A count: the record at off shifted one dword down (not idempotent). */
static int emit_count(struct vf_vm *vm, uint32_t off)
{
	uint64_t rec = vf_bo_ggtt(vm->drv, &vm->gate.bo) + off;
	uint32_t cs[VF_CMD_MAX_DWORDS];

	return vf_engine_emit(vm->eng, cs,
			      vf_cmd_copy(cs, XE_SRIOV_SIM_OP_COPY, 0, rec + 4, rec, 12));
}

/* The gated job's commands before its store i (i == n: after the last). */
static int emit_gate_point(struct vf_vm *vm, unsigned int i)
{
	struct vf_vm_gate *g = &vm->gate;
	uint32_t cs[VF_CMD_MAX_DWORDS];
	int err = 0;

	if (i == 0 && g->at == VF_VM_GATE_RUNNING)
		err = emit_count(vm, GATE_STARTED);
	if (!err && i == 2 * g->before) {
		g->spin_off = vm->eng->tail;
		err = vf_engine_emit(vm->eng, cs,
				     vf_cmd_spin_until(cs, vf_bo_ggtt(vm->drv, &g->bo),
						       GATE_OPEN, 0));
		if (!err && g->at == VF_VM_GATE_QUEUED)
			err = emit_count(vm, GATE_STARTED);
	}
	return err;
}

/* The job: the stores, the bind log, the fence; kicked. Ring lock held. */
static int emit_job(struct vf_vm *vm, const struct vf_pt_update *u, uint32_t *fence)
{
	static __thread struct vf_pt_store st[VF_PT_JOB_MAX_STORES];
	uint32_t cs[VF_CMD_MAX_DWORDS], next = vm->eng->seqno + 1;
	unsigned int n = vf_pt_job(&vm->tree, u, st);
	bool gate = gated(vm, u);
	int err = 0;

	if (gate)
		gate_take(vm, u, next);
	for (unsigned int i = 0; i < n && !err; i++) {
		if (gate)
			err = emit_gate_point(vm, i);
		err = err ?: vf_engine_emit(vm->eng, cs,
					    vf_cmd_store(cs, pt_ggtt(vm, st[i].lmem_off),
							 st[i].value));
	}
	if (gate)
		err = err ?: emit_count(vm, GATE_ENDED);
	/* The log: which jobs ran on which VF, checked after migrations. */
	err = err ?: vf_engine_emit(vm->eng, cs,
				    vf_cmd_store(cs, vf_bo_ggtt(vm->drv, &vm->log_bo) +
						 4 * (next % VF_VM_LOG), next));
	err = err ?: vf_engine_emit_fence(vm->eng, fence);
	err = err ?: vf_engine_kick(vm->eng);
	if (err)
		return set_error(err, "bind job at VA %#llx: %s", (unsigned long long)u->va,
				 vm->eng->error[0] ? vm->eng->error : strerror(-err));
	return 0;
}

int vf_vm_gate_arm(struct vf_vm *vm, enum vf_vm_gate_at at)
{
	struct vf_vm_gate *g = &vm->gate;
	uint32_t *map;
	int err;

	if (!g->have_bo) {
		err = vf_driver_bo_create(vm->drv, 4096, &g->bo);
		if (err)
			return set_error(err, "VM gate buffer: %s", strerror(-err));
		g->have_bo = true;
	}
	vf_vm_dev_get(vm);
	map = vf_bo_map(vm->drv, &g->bo);
	memset(map, 0, 4096);
	for (unsigned int i = 0; i < 4; i++) {
		map[GATE_STARTED / 4 + i] = i;
		map[GATE_ENDED / 4 + i] = i;
	}
	vf_vm_dev_put(vm);
	g->at = at;
	g->armed = true;
	g->used = false;
	return 0;
}

void vf_vm_gate_open(struct vf_vm *vm)
{
	vf_vm_dev_get(vm);
	__atomic_store_n((uint32_t *)vf_bo_map(vm->drv, &vm->gate.bo), GATE_OPEN,
			 __ATOMIC_RELEASE);
	vf_vm_dev_put(vm);
}

int vf_vm_gate_read(struct vf_vm *vm, struct vf_vm_gate_state *st)
{
	const struct vf_vm_gate *g = &vm->gate;
	const uint32_t *map;
	bool gap = false;

	if (!g->used)
		return set_error(-ENOENT, "no bind job took the gate");
	memset(st, 0, sizeof(*st));
	vf_vm_dev_get(vm);
	map = vf_bo_map(vm->drv, &g->bo);
	st->started = __atomic_load_n(&map[GATE_STARTED / 4], __ATOMIC_ACQUIRE);
	st->ended = __atomic_load_n(&map[GATE_ENDED / 4], __ATOMIC_ACQUIRE);
	for (unsigned int i = 0; i < g->count; i++) {
		uint64_t v = __atomic_load_n(lmem_qw(vm, g->leaf_lmem + 8ull * i),
					     __ATOMIC_RELAXED);

		if (v == g->pte[i]) {
			st->written++;
			st->prefix += !gap;
		} else {
			gap = true;
			st->cleared += !v;
		}
	}
	st->switched = __atomic_load_n(lmem_qw(vm, g->pde_lmem), __ATOMIC_RELAXED) == g->pde;
	vf_vm_dev_put(vm);
	return 0;
}

/* Commit and queue, under the notifier lock (read) and a device access. */
static int commit_and_queue(struct vf_vm *vm, struct vf_pt_update *u, uint32_t *fence)
{
	int err;

	vf_pt_commit(&vm->tree, u);
	vf_vm_dev_get(vm);
	write_new_pages(vm, u);
	pthread_mutex_lock(&vm->ring);
	err = emit_job(vm, u, fence);
	pthread_mutex_unlock(&vm->ring);
	vf_vm_dev_put(vm);
	/* The replaced leaf is walked until the job ran: freed after it. */
	return err ?: vf_pt_retire(&vm->tree, u, *fence);
}

static void reclaim(struct vf_vm *vm)
{
	uint32_t done;

	vf_vm_dev_get(vm);
	done = vf_engine_seqno(vm->eng);
	vf_vm_dev_put(vm);
	vf_pt_pool_reclaim(&vm->tree.pool, done);
}

/*
 * One operation: stage, window, then under the notifier lock the
 * userptr check (up, pinned at seq) and the commit. vm->lock held.
 */
static int bind_once(struct vf_vm *vm, uint64_t va, unsigned int n, const uint64_t *pte,
		     struct vf_userptr *up, uint32_t seq, uint32_t *fence)
{
	static __thread struct vf_pt_update u;
	int err;

	reclaim(vm);
	err = vf_pt_stage(&vm->tree, va, n, pte, vm->opts.no_staging, &u);
	if (err)
		return set_error(err, "staging %u PTEs at VA %#llx: %s", n,
				 (unsigned long long)va, strerror(-err));
	/* Without staging the new leaf is in children[] already: write it now. */
	if (vm->opts.no_staging) {
		vf_vm_dev_get(vm);
		write_new_pages(vm, &u);
		vf_vm_dev_put(vm);
	}
	if (vm->opts.window)
		vm->opts.window(vm->opts.window_data, va);
	pthread_rwlock_rdlock(&vm->notifier_lock);
	if (up && __atomic_load_n(&up->seq, __ATOMIC_ACQUIRE) != seq) {
		/* xe_pt_userptr_pre_commit(): invalidated since the pin. */
		vf_pt_abort(&vm->tree, &u);
		pthread_rwlock_unlock(&vm->notifier_lock);
		return -EAGAIN;
	}
	err = commit_and_queue(vm, &u, fence);
	pthread_rwlock_unlock(&vm->notifier_lock);
	return err;
}

static int check_range(uint64_t va, uint64_t size)
{
	if (!size || size % VF_PT_PAGE || va % VF_PT_PAGE ||
	    va / VF_PT_LEAF_SPAN != (va + size - 1) / VF_PT_LEAF_SPAN)
		return set_error(-EINVAL, "VA range %#llx+%#llx: not pages within one 2 MiB leaf",
				 (unsigned long long)va, (unsigned long long)size);
	return 0;
}

int vf_vm_bind_lmem(struct vf_vm *vm, uint64_t va, uint64_t lmem_off, uint64_t size,
		    uint32_t *fence)
{
	uint64_t pte[VF_PT_ENTRIES];
	unsigned int n = (unsigned int)(size / VF_PT_PAGE);
	int err = check_range(va, size);

	if (err)
		return err;
	for (unsigned int i = 0; i < n; i++)
		pte[i] = vf_pt_pte_lmem(lmem_off + (uint64_t)i * VF_PT_PAGE);
	pthread_mutex_lock(&vm->lock);
	err = bind_once(vm, va, n, pte, NULL, 0, fence);
	pthread_mutex_unlock(&vm->lock);
	if (!err)
		__atomic_add_fetch(&vm->binds, 1, __ATOMIC_RELAXED);
	return err;
}

/* xe_vma_userptr_pin_pages(): -EFAULT if the range is not mapped. */
static int pin(struct vf_vm *vm, struct vf_userptr *up, uint32_t *seq)
{
	int err = 0;

	pthread_rwlock_rdlock(&vm->notifier_lock);
	*seq = up->seq;
	if (!up->valid)
		err = set_error(-EFAULT, "userptr VA %#llx (IOVA %#llx): not mapped",
				(unsigned long long)up->va, (unsigned long long)up->iova);
	pthread_rwlock_unlock(&vm->notifier_lock);
	return err;
}

int vf_vm_bind_userptr(struct vf_vm *vm, struct vf_userptr *up, uint32_t *fence)
{
	uint64_t pte[VF_PT_ENTRIES];
	unsigned int n = (unsigned int)(up->size / VF_PT_PAGE);
	int err = check_range(up->va, up->size);

	if (err)
		return err;
	for (unsigned int i = 0; i < n; i++)
		pte[i] = vf_pt_pte_sys(up->iova + (uint64_t)i * VF_PT_PAGE);
	pthread_mutex_lock(&vm->lock);
	for (unsigned int i = 0; i < VF_VM_BIND_RETRIES; i++) {
		uint32_t seq;

		err = pin(vm, up, &seq);
		err = err ?: bind_once(vm, up->va, n, pte, up, seq, fence);
		if (err != -EAGAIN)
			break;
		__atomic_add_fetch(&vm->retries, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&vm->lock);
	if (err == -EAGAIN)
		set_error(err, "userptr VA %#llx: invalidated on each of %u tries",
			  (unsigned long long)up->va, VF_VM_BIND_RETRIES);
	if (!err)
		__atomic_add_fetch(&vm->binds, 1, __ATOMIC_RELAXED);
	return err;
}

int vf_vm_unbind(struct vf_vm *vm, uint64_t va, uint64_t size, uint32_t *fence)
{
	int err = check_range(va, size);

	if (err)
		return err;
	pthread_mutex_lock(&vm->lock);
	err = bind_once(vm, va, (unsigned int)(size / VF_PT_PAGE), NULL, NULL, 0, fence);
	pthread_mutex_unlock(&vm->lock);
	if (!err)
		__atomic_add_fetch(&vm->unbinds, 1, __ATOMIC_RELAXED);
	return err;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

int vf_vm_wait(struct vf_vm *vm, uint32_t seqno, unsigned int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;

	for (;;) {
		uint32_t st = 0, done;
		int err;

		vf_vm_dev_get(vm);
		done = vf_engine_seqno(vm->eng);
		err = vf_io_read32(&vm->drv->io, XE_SRIOV_SIM_ENGINE_STATUS, &st);
		if (!err && (st & XE_SRIOV_SIM_ENGINE_STATE_MASK) == XE_SRIOV_SIM_ENGINE_STATE_HUNG)
			vf_vm_fault_str(vm, error, sizeof(error));
		vf_vm_dev_put(vm);
		if (err)
			return set_error(err, "engine status: %s", strerror(-err));
		if (vf_seqno_passed(done, seqno))
			return 0;
		if ((st & XE_SRIOV_SIM_ENGINE_STATE_MASK) == XE_SRIOV_SIM_ENGINE_STATE_HUNG)
			return -EIO;
		if (now_ms() > deadline)
			return set_error(-ETIMEDOUT, "fence %u not reached in %u ms (at %u, status %#x)",
					 seqno, timeout_ms, done, st);
		usleep(100);
	}
}

/* Every fence of the VF's engine so far: binds and execs (the VM's resv). */
static uint32_t last_fence(struct vf_vm *vm)
{
	uint32_t s;

	pthread_mutex_lock(&vm->ring);
	s = vm->eng->seqno;
	pthread_mutex_unlock(&vm->ring);
	return s;
}

static void zap_cpu(void *data, uint64_t lmem_off)
{
	__atomic_store_n(lmem_qw(data, lmem_off), 0, __ATOMIC_RELAXED);
}

struct zap_check {
	struct vf_vm *vm;
	const struct vf_userptr *up;
};

/* A present PTE into the invalidated range, wherever the engine finds it. */
static int stale_pte(void *data, uint64_t va, uint64_t pte)
{
	const struct zap_check *c = data;
	const struct vf_userptr *up = c->up;
	uint64_t a = vf_pt_addr(pte);
	bool sys = !(pte & XE_SRIOV_SIM_PPGTT_DM);

	if (!(sys && a >= up->iova && a < up->iova + up->size) &&
	    !(va >= up->va && va < up->va + up->size))
		return 0;
	if (!__atomic_fetch_add(&c->vm->violations, 1, __ATOMIC_RELAXED))
		snprintf(c->vm->violation, sizeof(c->vm->violation),
			 "present PTE %#llx at VA %#llx (IOVA %#llx) in the page table the engine walks, after the notifier invalidated userptr VA %#llx+%#llx (IOVA %#llx): the zap missed it",
			 (unsigned long long)pte, (unsigned long long)va, (unsigned long long)a,
			 (unsigned long long)up->va, (unsigned long long)up->size,
			 (unsigned long long)up->iova);
	return 1;
}

int vf_vm_userptr_invalidate(struct vf_vm *vm, struct vf_userptr *up)
{
	struct zap_check c = { vm, up };
	unsigned int n;
	int err;

	pthread_rwlock_wrlock(&vm->notifier_lock);
	__atomic_store_n(&up->seq, up->seq + 1, __ATOMIC_RELEASE);
	up->valid = false;
	err = vf_vm_wait(vm, last_fence(vm), VF_VM_FENCE_TIMEOUT_MS);
	if (!err) {
		vf_vm_dev_get(vm);
		n = vf_pt_zap(&vm->tree, up->va, up->va + up->size, zap_cpu, vm);
		if (vm->opts.check_zap)
			vf_vm_hw_scan(vm, stale_pte, &c);
		vf_vm_dev_put(vm);
		__atomic_add_fetch(&vm->zapped, n, __ATOMIC_RELAXED);
		__atomic_add_fetch(&vm->invalidations, 1, __ATOMIC_RELAXED);
	}
	pthread_rwlock_unlock(&vm->notifier_lock);
	return err;
}

void vf_vm_userptr_repin(struct vf_vm *vm, struct vf_userptr *up)
{
	pthread_rwlock_wrlock(&vm->notifier_lock);
	up->valid = true;
	pthread_rwlock_unlock(&vm->notifier_lock);
}

int vf_vm_exec(struct vf_vm *vm, uint64_t batch_va, struct vf_userptr *const *ups,
	       unsigned int n, uint32_t *fence)
{
	uint32_t cs[VF_CMD_MAX_DWORDS];
	int err = 0;

	pthread_rwlock_rdlock(&vm->notifier_lock);
	for (unsigned int i = 0; i < n && !err; i++)
		if (!ups[i]->valid)
			err = set_error(-EAGAIN, "exec: userptr VA %#llx is invalid",
					(unsigned long long)ups[i]->va);
	if (!err) {
		vf_vm_dev_get(vm);
		pthread_mutex_lock(&vm->ring);
		err = vf_engine_emit(vm->eng, cs, vf_cmd_batch_start_ppgtt(cs, batch_va));
		err = err ?: vf_engine_emit_fence(vm->eng, fence);
		err = err ?: vf_engine_kick(vm->eng);
		if (err)
			set_error(err, "exec of the PPGTT batch at %#llx: %s",
				  (unsigned long long)batch_va, vm->eng->error);
		pthread_mutex_unlock(&vm->ring);
		vf_vm_dev_put(vm);
	}
	pthread_rwlock_unlock(&vm->notifier_lock);
	if (!err)
		__atomic_add_fetch(&vm->execs, 1, __ATOMIC_RELAXED);
	return err;
}

static uint64_t root_lmem(struct vf_vm *vm)
{
	return vf_pt_pool_lmem(&vm->tree.pool, vm->tree.root->page);
}

uint64_t vf_vm_hw_pte(struct vf_vm *vm, uint64_t va)
{
	uint64_t pte = 0;

	vf_vm_dev_get(vm);
	if (vf_pt_hw_lookup(vm->drv->lmem, vm->drv->cfg.lmem_size, root_lmem(vm), va, &pte))
		pte = 0;
	vf_vm_dev_put(vm);
	return pte;
}

int vf_vm_hw_scan(struct vf_vm *vm, int (*visit)(void *data, uint64_t va, uint64_t pte),
		  void *data)
{
	return vf_pt_hw_scan(vm->drv->lmem, vm->drv->cfg.lmem_size, root_lmem(vm), visit,
			     data);
}

uint32_t vf_vm_log(struct vf_vm *vm, uint32_t seqno)
{
	uint32_t v;

	vf_vm_dev_get(vm);
	v = vf_driver_lmem_read32(vm->drv, vm->log_bo.lmem_off + 4 * (seqno % VF_VM_LOG));
	vf_vm_dev_put(vm);
	return v;
}

static const char *ppgtt_fault_name(uint32_t reason)
{
	switch (reason) {
	case XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_DISABLED: return "PPGTT_DISABLED";
	case XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_NOT_PRESENT: return "PPGTT_NOT_PRESENT";
	case XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_RANGE: return "PPGTT_RANGE";
	case XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_READ_ONLY: return "PPGTT_READ_ONLY";
	case XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_DMA: return "PPGTT_DMA";
	default: return NULL;
	}
}

/* Device access held. */
void vf_vm_fault_str(struct vf_vm *vm, char *buf, size_t size)
{
	struct vf_engine_fault f;
	const char *name;
	uint64_t pte = 0;
	int err;

	vf_engine_read_fault(vm->eng, &f);
	name = ppgtt_fault_name(f.reason);
	if (!name) {
		vf_engine_fault_str(vm->eng, &f, buf, size);
		return;
	}
	err = vf_pt_hw_lookup(vm->drv->lmem, vm->drv->cfg.lmem_size, root_lmem(vm), f.addr, &pte);
	snprintf(buf, size,
		 "engine fault %s at VA %#llx (the engine's PTE %#llx: %s %#llx%s), status %#x",
		 name, (unsigned long long)f.addr, (unsigned long long)pte,
		 err ? "no PTE, hole at level" : (pte & XE_SRIOV_SIM_PPGTT_DM) ? "LMEM" : "IOVA",
		 err ? (unsigned long long)err : (unsigned long long)vf_pt_addr(pte),
		 f.reason == XE_SRIOV_SIM_ENGINE_FAULT_PPGTT_DMA ?
		 ": an access to an IOVA that is not DMA mapped (any more)" : "",
		 f.status);
}
