/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * DOC: the VF driver model's VM (xe_vm for one VF)
 *
 * The per-process GPU address space of uapi/xe_sriov_sim_ppgtt.h: the
 * page-table mirror of vf_pt.h over a pool of page-table pages allocated
 * as one buffer of the VF's LMEM (so it is mapped in the GGTT too, which
 * is how the bind jobs reach it), PPGTT_ROOT pointing at the root page.
 *
 * Binds (xe_vm_bind_ioctl -> xe_pt_update_ops_prepare/_run):
 *
 *   vm->lock                      binds are serialized (xe: vm->lock)
 *     pin the userptr             its notifier sequence read now
 *                                 (xe_vma_userptr_pin_pages)
 *     stage                       pages allocated, entries built in the
 *                                 staging view (xe_pt_stage_bind)
 *     notifier_lock (read)        (xe_pt.c xe_pt_userptr_pre_commit)
 *       sequence changed?         the notifier ran since the pin:
 *                                 abort, drop the staging, -EAGAIN, retry
 *       commit                    children[] takes the staging
 *       CPU writes of new pages   through BAR2, before the job
 *       queue the job             STORE_DWORDs into page-table pages at
 *                                 their GGTT addresses, PTE high dword
 *                                 first, the PDE switch last, then a
 *                                 STORE_SEQNO fence (xe's bind job on the
 *                                 migrate engine)
 *
 * The userptr notifier (xe_vm.c vma_userptr_invalidate), called before the
 * process unmaps the range or its VFIO DMA mapping goes:
 *
 *   notifier_lock (write)
 *     mark the userptr invalid, bump its sequence
 *     wait for the VM's fences     (xe: dma_resv_wait_timeout on the VM's
 *                                  resv, BOOKKEEP: binds and execs; here
 *                                  the engine's last fence, since the VM
 *                                  owns the VF's only engine)
 *     zap its PTEs                 walking children[] (xe_pt_zap_ptes),
 *                                  CPU writes through BAR2
 *
 * Execs take the notifier lock for read and refuse a userptr that is
 * invalid (xe_exec: xe_vm_userptr_check_repin under the lock), so once
 * the notifier returned no engine work reaches the range.
 *
 * The seed's race (drm-xe-staging-tree-for-vm-binds): with
 * opts.no_staging a bind writes children[] when it stages, as xe did
 * before the fix. A notifier running between stage and commit then walks
 * a new leaf the engine does not walk yet (the bind's copy, switched in
 * later by the job's PDE store) and zaps there, leaving the userptr's
 * present PTE in the old leaf the engine still walks: after the VFIO
 * unmap, an access through it reaches an IOVA that is not mapped.
 * opts.check_zap scans the engine's view (from PPGTT_ROOT through LMEM)
 * under the notifier lock after each zap and records such a PTE as a
 * violation; with the staging tree there is none.
 *
 * Limits of the model: one VM per VF on the VF's only engine (binds and
 * execs share its ring, so "wait for the VM's fences" is "wait for the
 * ring"); 4 KiB pages only; an operation stays within one leaf (2 MiB of
 * VA); every operation copies the leaf it changes (vf_pt.h); userptr
 * pinning is a flag the test sets when it maps the range again (xe pins
 * pages with get_user_pages and HMM). A VM (and its PPGTT_ROOT) moves
 * with the VF's LMEM and GuC state: no fixup is needed, only the bind
 * jobs' GGTT addresses in the ring, which the engine fixups patch.
 *
 * Migration: the process pauses the VM with vf_vm_freeze() (the vCPUs
 * stop at their next device access; no thread holds a device access
 * across a wait) and resumes it with vf_vm_thaw() after the recovery.
 */
#ifndef XEMIG_VF_VM_H
#define XEMIG_VF_VM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "vf_engine.h"
#include "vf_pt.h"

#define VF_VM_POOL_PAGES	64
/* How often a bind retries after the notifier invalidated its userptr. */
#define VF_VM_BIND_RETRIES	8
#define VF_VM_FENCE_TIMEOUT_MS	20000

struct vf_vm_opts {
	/* The pre-seed behaviour, only to prove a stress catches the race. */
	bool no_staging;
	/* Scan the engine's view after each zap, under the notifier lock. */
	bool check_zap;
	unsigned int pool_pages;	/* 0: VF_VM_POOL_PAGES */
	/* A test's yield point between stage and commit (vm->lock held). */
	void (*window)(void *data, uint64_t va);
	void *window_data;
};

/* A userptr VMA: process memory at iova of the VF's DMA space, at va. */
struct vf_userptr {
	uint64_t va, iova, size;
	uint32_t seq;		/* notifier sequence, bumped per invalidation */
	bool valid;		/* pinned: DMA mapped and not invalidated */
};

/*
 * Test-only: a gate in a bind job, so that a test can pause the VF with a
 * bind job queued behind it or part-way through its page-table stores
 * (issue 15: a bind in flight at the pause completes exactly once on the
 * destination). vf_vm_gate_arm() closes the gate; the next bind job (not
 * an unbind) takes it and is emitted as
 *
 *   RUNNING  count "started", the first half of its PTE stores (at least
 *            one PTE), SPIN_UNTIL the gate opens, the other PTE stores,
 *            the PDE switch, count "ended", log, fence
 *   QUEUED   SPIN_UNTIL the gate opens, count "started", every store,
 *            count "ended", log, fence
 *
 * A count is a COPY of a 16-byte record onto itself one dword down
 * ([0,1,2,3] -> [1,2,3,3]): not idempotent, so the record's first dword
 * is how many times the engine ran that point of the job (the seqno
 * workload's replay detector). The SPIN_UNTIL and the COPYs are GGTT
 * addressed in the ring, so the engine fixups patch them like the stores.
 */
enum vf_vm_gate_at {
	VF_VM_GATE_QUEUED,	/* the job waits before its first command */
	VF_VM_GATE_RUNNING,	/* it waits between its PTE stores */
};

struct vf_vm_gate {
	struct vf_bo bo;	/* the gate dword, then the two records */
	bool have_bo, armed;
	enum vf_vm_gate_at at;
	/* The job that took the gate, once one did (used). */
	bool used;
	uint32_t seqno;		/* its fence */
	uint32_t spin_off;	/* ring offset of its SPIN_UNTIL */
	uint64_t va;
	uint64_t leaf_lmem;	/* its PTEs: leaf_lmem + 8 * i, i < count */
	unsigned int count, before;	/* PTEs stored before the gate */
	uint64_t pte[VF_PT_ENTRIES];
	uint64_t pde_lmem, pde;	/* the switch: pde at pde_lmem */
};

/* What the gated job did so far, read from LMEM (vf_vm_gate_read). */
struct vf_vm_gate_state {
	uint32_t started, ended;	/* runs of the job's two counts */
	unsigned int written;		/* of its PTEs, holding their value */
	unsigned int prefix;		/* leading ones holding it */
	unsigned int cleared;		/* still 0 */
	bool switched;			/* the PDE holds the new leaf */
};

struct vf_vm {
	struct vf_driver *drv;
	struct vf_engine *eng;
	struct vf_vm_opts opts;
	struct vf_bo pool_bo;
	struct vf_pt_tree tree;
	pthread_mutex_t lock;			/* xe: vm->lock (binds) */
	pthread_rwlock_t notifier_lock;		/* xe: vm->userptr.notifier_lock */
	pthread_rwlock_t dev;			/* read: a device access; write: paused */
	pthread_mutex_t ring;			/* emission and kick */
	struct vf_bo log_bo;	/* bind log: job n writes n at dword n % VF_VM_LOG */
	/* Counters (atomic). */
	unsigned int binds, unbinds, retries, invalidations, zapped, execs;
	unsigned int violations;
	char violation[512];	/* the first */
	struct vf_vm_gate gate;	/* test-only, see above */
};

#define VF_VM_LOG	1024

/* Set up the VM on drv's engine: pool, root, PPGTT_ROOT. 0 or -errno. */
int vf_vm_init(struct vf_vm *vm, struct vf_driver *drv, struct vf_engine *eng,
	       const struct vf_vm_opts *opts);
void vf_vm_fini(struct vf_vm *vm);

/* Why the calling thread's last failing vf_vm call failed. */
const char *vf_vm_error(void);

/*
 * Bind [va, va + size) to LMEM at lmem_off, or a userptr at its va. The
 * job is queued, not waited for: *fence is its seqno. 0, -EFAULT (the
 * userptr is invalid: not mapped), -EAGAIN (invalidated on every retry),
 * or -errno.
 */
int vf_vm_bind_lmem(struct vf_vm *vm, uint64_t va, uint64_t lmem_off, uint64_t size,
		    uint32_t *fence);
int vf_vm_bind_userptr(struct vf_vm *vm, struct vf_userptr *up, uint32_t *fence);
int vf_vm_unbind(struct vf_vm *vm, uint64_t va, uint64_t size, uint32_t *fence);

/* The notifier (above). 0 or -errno (the wait failed: vf_vm_error()). */
int vf_vm_userptr_invalidate(struct vf_vm *vm, struct vf_userptr *up);
/* The range is DMA mapped again: the next bind pins it. */
void vf_vm_userptr_repin(struct vf_vm *vm, struct vf_userptr *up);

/*
 * Run the PPGTT batch at batch_va, which reaches the userptrs ups[0..n):
 * refused with -EAGAIN if one is invalid. *fence its seqno.
 */
int vf_vm_exec(struct vf_vm *vm, uint64_t batch_va, struct vf_userptr *const *ups,
	       unsigned int n, uint32_t *fence);

/*
 * Wait for the engine's fence to reach seqno without holding a device
 * access across the wait. 0, -EIO (the engine faulted: vf_vm_error()
 * names the fault, a PPGTT address and what the VM maps there) or
 * -ETIMEDOUT.
 */
int vf_vm_wait(struct vf_vm *vm, uint32_t seqno, unsigned int timeout_ms);

/* The engine's view: the PTE at va (0 and not present for a hole). */
uint64_t vf_vm_hw_pte(struct vf_vm *vm, uint64_t va);
/*
 * Every present PTE of the engine's view: visit(data, va, pte). Under a
 * device access; the caller keeps binds and the notifier out if it wants
 * a stable view. 0 or the first non-zero visit() or -EFAULT.
 */
int vf_vm_hw_scan(struct vf_vm *vm, int (*visit)(void *data, uint64_t va, uint64_t pte),
		  void *data);

/* A device access (read) and the VM's pause (write), see above. */
void vf_vm_dev_get(struct vf_vm *vm);
void vf_vm_dev_put(struct vf_vm *vm);
void vf_vm_freeze(struct vf_vm *vm);
void vf_vm_thaw(struct vf_vm *vm);

/* The bind log dword of seqno, as the engine wrote it. */
uint32_t vf_vm_log(struct vf_vm *vm, uint32_t seqno);

/*
 * The gate (above): close it and make the next bind job take it, at.
 * 0 or -errno (its buffer). No other thread binds meanwhile.
 */
int vf_vm_gate_arm(struct vf_vm *vm, enum vf_vm_gate_at at);
/* Open it: the engine goes on within a SPIN_UNTIL iteration. */
void vf_vm_gate_open(struct vf_vm *vm);
/* What the gated job did so far. -ENOENT if no job took the gate. */
int vf_vm_gate_read(struct vf_vm *vm, struct vf_vm_gate_state *st);

/* What an engine fault at a PPGTT address means for this VM, in one line. */
void vf_vm_fault_str(struct vf_vm *vm, char *buf, size_t size);

#endif
