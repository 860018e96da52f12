/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The VF driver model's page-table tree (the PPGTT of
 * uapi/xe_sriov_sim_ppgtt.h), as xe keeps it in xe_pt.c: a mirror of the
 * page-table pages with, per directory node, two arrays of child nodes:
 *
 *   children[]  the live view: what the engine walks once the bind jobs
 *               already queued have run. The userptr notifier zaps PTEs
 *               by walking it (xe_pt_zap_ptes).
 *   staging[]   the view with the bind being prepared: a bind stages
 *               here without the notifier lock (it allocates pages), and
 *               vf_pt_commit() copies the staged pointer into children[]
 *               under that lock (xe_pt_commit_prepare_bind, xe_pt_commit
 *               after "drm/xe: Add staging tree for VM binds").
 *
 * Pure bookkeeping over memory: nothing here touches the device. The
 * caller writes the pages (vf_pt_page_image() by CPU, vf_pt_job() as
 * engine stores) and frees replaced pages once the job's fence passed.
 *
 * The model's one deliberate simplification: every bind or unbind into an
 * existing leaf builds a new copy of that leaf and switches it in with one
 * PDE store (copy on write). xe does that only when an operation replaces
 * an existing page-table page (a new subtree or a huge entry covering it);
 * the model makes every operation take that path, the one the seed's race
 * lives on. An operation must stay within one leaf (2 MiB of VA).
 */
#ifndef XEMIG_VF_PT_H
#define XEMIG_VF_PT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/xe_sriov_sim_ppgtt.h"

#define VF_PT_LEVELS	XE_SRIOV_SIM_PPGTT_LEVELS
#define VF_PT_ENTRIES	XE_SRIOV_SIM_PPGTT_ENTRIES
#define VF_PT_PAGE	XE_SRIOV_SIM_PPGTT_PAGE_SIZE
/* VA covered by one leaf (level 0 page): 2 MiB. */
#define VF_PT_LEAF_SPAN	((uint64_t)VF_PT_ENTRIES * VF_PT_PAGE)
#define VF_PT_VA_LIMIT	(1ull << XE_SRIOV_SIM_PPGTT_VA_BITS)

/* Page-table pages: a range of LMEM pages the VM owns. */
struct vf_pt_pool {
	uint64_t lmem_off;	/* LMEM offset of page 0 */
	unsigned int n_pages;
	uint8_t *used;		/* per page: allocated */
	unsigned int n_used;
	/* Replaced pages the engine may still walk: freed once seqno passed. */
	struct vf_pt_deferred {
		unsigned int page;
		uint32_t seqno;
	} *deferred;
	unsigned int n_deferred;
};

struct vf_pt {
	unsigned int level;	/* 0: a leaf of PTEs */
	unsigned int page;	/* in the pool */
	/* The entries as the page holds them once the queued jobs ran. */
	uint64_t ent[VF_PT_ENTRIES];
	struct vf_pt *children[VF_PT_ENTRIES];	/* level > 0: live */
	struct vf_pt *staging[VF_PT_ENTRIES];	/* level > 0: staged */
};

struct vf_pt_tree {
	struct vf_pt_pool pool;
	struct vf_pt *root;	/* level 3 */
};

/*
 * One staged operation on the PTEs [first, first + count) of the leaf
 * covering va. The new pages hang at parent->staging[idx] (top), replacing
 * old (the old leaf, or NULL where nothing was mapped).
 */
struct vf_pt_update {
	uint64_t va;
	unsigned int first, count;
	uint64_t pte[VF_PT_ENTRIES];	/* new values of those PTEs (0: unbind) */
	struct vf_pt *parent;
	unsigned int idx;
	struct vf_pt *top, *old, *leaf;
	struct vf_pt *new_nodes[VF_PT_LEVELS];
	unsigned int n_new;
	bool live;		/* staged straight into children[] (no staging) */
};

/* A dword store of a bind job: value at LMEM offset lmem_off. */
struct vf_pt_store {
	uint64_t lmem_off;
	uint32_t value;
};

/* Stores of one job at most: every PTE of a leaf (2 dwords) and the PDE. */
#define VF_PT_JOB_MAX_STORES	(2 * VF_PT_ENTRIES + 2)

int vf_pt_pool_init(struct vf_pt_pool *p, uint64_t lmem_off, unsigned int n_pages);
void vf_pt_pool_fini(struct vf_pt_pool *p);
int vf_pt_pool_alloc(struct vf_pt_pool *p, unsigned int *page);
void vf_pt_pool_free(struct vf_pt_pool *p, unsigned int page);
/* Free page once the fence reaches seqno (vf_pt_pool_reclaim). */
int vf_pt_pool_defer(struct vf_pt_pool *p, unsigned int page, uint32_t seqno);
/* Free the deferred pages whose seqno the fence (done) passed: how many. */
unsigned int vf_pt_pool_reclaim(struct vf_pt_pool *p, uint32_t done);

static inline uint64_t vf_pt_pool_lmem(const struct vf_pt_pool *p, unsigned int page)
{
	return p->lmem_off + (uint64_t)page * VF_PT_PAGE;
}

/* Entry encodings (uapi/xe_sriov_sim_ppgtt.h). */
uint64_t vf_pt_pde(uint64_t lmem_off);
uint64_t vf_pt_pte_lmem(uint64_t lmem_off);
uint64_t vf_pt_pte_sys(uint64_t iova);
static inline bool vf_pt_present(uint64_t e)
{
	return e & XE_SRIOV_SIM_PPGTT_PRESENT;
}

static inline uint64_t vf_pt_addr(uint64_t e)
{
	return e & XE_SRIOV_SIM_PPGTT_ADDR_MASK;
}

/* An empty tree: the root page allocated (its image all zero). */
int vf_pt_tree_init(struct vf_pt_tree *t, uint64_t pool_lmem_off, unsigned int n_pages);
void vf_pt_tree_fini(struct vf_pt_tree *t);

/*
 * Stage writing pte[0..count) (NULL: clearing, an unbind) at the PTEs of
 * [va, va + count pages). Without the notifier lock: it allocates. live:
 * the pre-seed behaviour, children[] changes now too and the new leaf
 * takes the live entries now. 0, -EINVAL (range), -ENOENT (unbind of
 * nothing), -ENOSPC (pool).
 */
int vf_pt_stage(struct vf_pt_tree *t, uint64_t va, unsigned int count, const uint64_t *pte,
		bool live, struct vf_pt_update *u);
/*
 * Under the notifier lock: children[] takes the staged pointer, and the
 * new leaf the old leaf's entries as they are now (zaps included), then
 * the operation's own values.
 */
void vf_pt_commit(struct vf_pt_tree *t, struct vf_pt_update *u);
/* Drop a staged operation (the notifier invalidated its userptr). */
void vf_pt_abort(struct vf_pt_tree *t, struct vf_pt_update *u);
/*
 * After the job is queued with fence seqno: the replaced leaf's page is
 * freed once the fence passes it (the engine may walk it until then), its
 * mirror now. 0 or -ENOSPC.
 */
int vf_pt_retire(struct vf_pt_tree *t, struct vf_pt_update *u, uint32_t seqno);

/*
 * After vf_pt_commit(): the image a new page gets by CPU before the job
 * (the operation's own PTEs still clear: the job writes them).
 */
void vf_pt_page_image(const struct vf_pt *pt, const struct vf_pt_update *u, uint64_t *img);
/*
 * After vf_pt_commit(): the job's stores, in order. Each PTE high dword
 * before low, so a job cut anywhere never exposes a present entry with a
 * half-written address; the PDE switch last. Returns how many.
 */
unsigned int vf_pt_job(const struct vf_pt_tree *t, const struct vf_pt_update *u,
		       struct vf_pt_store *st);

/*
 * The notifier's zap: walk children[] over [start, end) and clear every
 * present PTE. zap(data, lmem_off) is called for each (the CPU write the
 * caller does). Returns how many.
 */
unsigned int vf_pt_zap(struct vf_pt_tree *t, uint64_t start, uint64_t end,
		       void (*zap)(void *data, uint64_t lmem_off), void *data);

/*
 * The engine's view, read from an LMEM image (the BAR2 mapping): walk
 * from root_lmem to the PTE of va. 0 and *pte (present or not), or the
 * level (1..4: 4 = root) whose entry is not present, as a positive
 * number, or -EFAULT for an address outside lmem_size.
 */
int vf_pt_hw_lookup(const uint8_t *lmem, uint64_t lmem_size, uint64_t root_lmem, uint64_t va,
		    uint64_t *pte);
/*
 * Every present PTE the engine can reach: visit(data, va, pte) for each,
 * until it returns non-zero (returned). -EFAULT for a PDE outside LMEM.
 */
int vf_pt_hw_scan(const uint8_t *lmem, uint64_t lmem_size, uint64_t root_lmem,
		  int (*visit)(void *data, uint64_t va, uint64_t pte), void *data);

#endif
