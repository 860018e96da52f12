// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The page-table tree mirror with its staging view (see vf_pt.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vf_pt.h"

#define PRESENT	XE_SRIOV_SIM_PPGTT_PRESENT
#define RW	XE_SRIOV_SIM_PPGTT_RW
#define DM	XE_SRIOV_SIM_PPGTT_DM
#define ADDR	XE_SRIOV_SIM_PPGTT_ADDR_MASK

int vf_pt_pool_init(struct vf_pt_pool *p, uint64_t lmem_off, unsigned int n_pages)
{
	memset(p, 0, sizeof(*p));
	p->lmem_off = lmem_off;
	p->n_pages = n_pages;
	p->used = calloc(n_pages, 1);
	p->deferred = calloc(n_pages, sizeof(*p->deferred));
	return p->used && p->deferred ? 0 : -ENOMEM;
}

void vf_pt_pool_fini(struct vf_pt_pool *p)
{
	free(p->used);
	free(p->deferred);
	memset(p, 0, sizeof(*p));
}

int vf_pt_pool_alloc(struct vf_pt_pool *p, unsigned int *page)
{
	for (unsigned int i = 0; i < p->n_pages; i++) {
		if (!p->used[i]) {
			p->used[i] = 1;
			p->n_used++;
			*page = i;
			return 0;
		}
	}
	return -ENOSPC;
}

void vf_pt_pool_free(struct vf_pt_pool *p, unsigned int page)
{
	if (page < p->n_pages && p->used[page]) {
		p->used[page] = 0;
		p->n_used--;
	}
}

int vf_pt_pool_defer(struct vf_pt_pool *p, unsigned int page, uint32_t seqno)
{
	if (p->n_deferred == p->n_pages)
		return -ENOSPC;
	p->deferred[p->n_deferred++] = (struct vf_pt_deferred){ page, seqno };
	return 0;
}

unsigned int vf_pt_pool_reclaim(struct vf_pt_pool *p, uint32_t done)
{
	unsigned int freed = 0, i = 0;

	while (i < p->n_deferred) {
		if ((int32_t)(done - p->deferred[i].seqno) >= 0) {
			vf_pt_pool_free(p, p->deferred[i].page);
			p->deferred[i] = p->deferred[--p->n_deferred];
			freed++;
		} else {
			i++;
		}
	}
	return freed;
}

uint64_t vf_pt_pde(uint64_t lmem_off)
{
	return (lmem_off & ADDR) | PRESENT | RW;
}

uint64_t vf_pt_pte_lmem(uint64_t lmem_off)
{
	return (lmem_off & ADDR) | PRESENT | RW | DM;
}

uint64_t vf_pt_pte_sys(uint64_t iova)
{
	return (iova & ADDR) | PRESENT | RW;
}

static struct vf_pt *node_new(struct vf_pt_pool *p, unsigned int level)
{
	struct vf_pt *pt = calloc(1, sizeof(*pt));

	if (!pt)
		return NULL;
	if (vf_pt_pool_alloc(p, &pt->page)) {
		free(pt);
		return NULL;
	}
	pt->level = level;
	return pt;
}

/* A node that never reached the engine: its page is free at once. */
static void node_drop(struct vf_pt_pool *p, struct vf_pt *pt)
{
	vf_pt_pool_free(p, pt->page);
	free(pt);
}

int vf_pt_tree_init(struct vf_pt_tree *t, uint64_t pool_lmem_off, unsigned int n_pages)
{
	int err = vf_pt_pool_init(&t->pool, pool_lmem_off, n_pages);

	if (err)
		return err;
	t->root = node_new(&t->pool, VF_PT_LEVELS - 1);
	return t->root ? 0 : -ENOSPC;
}

/* Frees the mirror; the pages are LMEM the caller releases. */
static void node_free_tree(struct vf_pt *pt)
{
	if (!pt)
		return;
	for (unsigned int i = 0; pt->level && i < VF_PT_ENTRIES; i++) {
		/* A staged pointer differs only while an operation is staged. */
		if (pt->staging[i] != pt->children[i])
			node_free_tree(pt->staging[i]);
		node_free_tree(pt->children[i]);
	}
	free(pt);
}

void vf_pt_tree_fini(struct vf_pt_tree *t)
{
	node_free_tree(t->root);
	t->root = NULL;
	vf_pt_pool_fini(&t->pool);
}

static unsigned int index_of(uint64_t va, unsigned int level)
{
	return XE_SRIOV_SIM_PPGTT_INDEX(va, level);
}

/* Hang child at parent's idx in the view(s) a stage writes. */
static void link(struct vf_pt *parent, unsigned int idx, struct vf_pt *child, bool live)
{
	parent->staging[idx] = child;
	if (live)
		parent->children[idx] = child;
}

/*
 * A new, unconnected subtree from level down to a leaf: its internal
 * links are set in both views (nothing walks it until the job's PDE).
 */
static struct vf_pt *build_subtree(struct vf_pt_tree *t, struct vf_pt_update *u,
				   unsigned int level)
{
	struct vf_pt *top = NULL, *up = NULL;

	for (int l = (int)level; l >= 0; l--) {
		struct vf_pt *pt = node_new(&t->pool, (unsigned int)l);

		if (!pt)
			return NULL;
		u->new_nodes[u->n_new++] = pt;
		if (up) {
			unsigned int i = index_of(u->va, up->level);

			up->children[i] = pt;
			up->staging[i] = pt;
			up->ent[i] = vf_pt_pde(vf_pt_pool_lmem(&t->pool, pt->page));
		}
		top = top ?: pt;
		up = pt;
	}
	u->leaf = up;
	return top;
}

static void drop_new(struct vf_pt_tree *t, struct vf_pt_update *u)
{
	while (u->n_new)
		node_drop(&t->pool, u->new_nodes[--u->n_new]);
}

/* The leaf takes the old leaf's entries (all but the operation's). */
static void inherit(struct vf_pt_update *u)
{
	if (!u->old)
		return;
	for (unsigned int i = 0; i < VF_PT_ENTRIES; i++)
		if (i < u->first || i >= u->first + u->count)
			u->leaf->ent[i] = u->old->ent[i];
}

int vf_pt_stage(struct vf_pt_tree *t, uint64_t va, unsigned int count, const uint64_t *pte,
		bool live, struct vf_pt_update *u)
{
	struct vf_pt *pt = t->root, *top;
	unsigned int level;

	memset(u, 0, sizeof(*u));
	u->first = index_of(va, 0);
	if (!count || va % VF_PT_PAGE || va >= VF_PT_VA_LIMIT || u->first + count > VF_PT_ENTRIES)
		return -EINVAL;
	u->va = va;
	u->count = count;
	u->live = live;
	for (unsigned int i = 0; i < count; i++)
		u->pte[i] = pte ? pte[i] : 0;
	/* Down the staged view to the level-1 dir or the first hole. */
	for (level = VF_PT_LEVELS - 1; level > 1; level--) {
		struct vf_pt *next = pt->staging[index_of(va, level)];

		if (!next)
			break;
		pt = next;
	}
	u->parent = pt;
	u->idx = index_of(va, pt->level);
	u->old = pt->staging[u->idx];
	if (!u->old && !pte)
		return -ENOENT;
	/* A leaf exists: copy on write. A hole: a new subtree below pt. */
	top = build_subtree(t, u, pt->level - 1);
	if (!top) {
		drop_new(t, u);
		return -ENOSPC;
	}
	u->top = top;
	link(pt, u->idx, top, live);
	if (live)
		inherit(u);	/* pre-seed: from the live view, now */
	return 0;
}

void vf_pt_commit(struct vf_pt_tree *t, struct vf_pt_update *u)
{
	u->parent->children[u->idx] = u->parent->staging[u->idx];
	u->parent->ent[u->idx] = vf_pt_pde(vf_pt_pool_lmem(&t->pool, u->top->page));
	/* Under the notifier lock: zaps of the old leaf until now are kept. */
	if (!u->live)
		inherit(u);
	for (unsigned int i = 0; i < u->count; i++)
		u->leaf->ent[u->first + i] = u->pte[i];
}

void vf_pt_abort(struct vf_pt_tree *t, struct vf_pt_update *u)
{
	link(u->parent, u->idx, u->old, u->live);
	drop_new(t, u);
	u->top = u->leaf = NULL;
}

int vf_pt_retire(struct vf_pt_tree *t, struct vf_pt_update *u, uint32_t seqno)
{
	int err = 0;

	if (u->old) {
		err = vf_pt_pool_defer(&t->pool, u->old->page, seqno);
		free(u->old);
		u->old = NULL;
	}
	return err;
}

void vf_pt_page_image(const struct vf_pt *pt, const struct vf_pt_update *u, uint64_t *img)
{
	memcpy(img, pt->ent, sizeof(pt->ent));
	if (pt == u->leaf)
		memset(img + u->first, 0, u->count * sizeof(*img));
}

static unsigned int store64(struct vf_pt_store *st, uint64_t lmem_off, uint64_t val)
{
	st[0] = (struct vf_pt_store){ lmem_off + 4, (uint32_t)(val >> 32) };
	st[1] = (struct vf_pt_store){ lmem_off, (uint32_t)val };
	return 2;
}

unsigned int vf_pt_job(const struct vf_pt_tree *t, const struct vf_pt_update *u,
		       struct vf_pt_store *st)
{
	uint64_t leaf = vf_pt_pool_lmem(&t->pool, u->leaf->page);
	uint64_t parent = vf_pt_pool_lmem(&t->pool, u->parent->page);
	unsigned int n = 0;

	for (unsigned int i = 0; i < u->count; i++)
		n += store64(st + n, leaf + 8ull * (u->first + i), u->pte[i]);
	/*
	 * The switch: in LMEM below 4 GiB the high dword stays 0, so the low
	 * store swaps the whole subtree in at once.
	 */
	n += store64(st + n, parent + 8ull * u->idx, u->parent->ent[u->idx]);
	return n;
}

static unsigned int zap_node(struct vf_pt_tree *t, struct vf_pt *pt, uint64_t base,
			     uint64_t start, uint64_t end,
			     void (*zap)(void *data, uint64_t lmem_off), void *data)
{
	uint64_t span = (uint64_t)VF_PT_PAGE << (9 * pt->level);
	unsigned int n = 0;

	for (unsigned int i = 0; i < VF_PT_ENTRIES; i++) {
		uint64_t lo = base + i * span, hi = lo + span;

		if (hi <= start || lo >= end)
			continue;
		if (pt->level) {
			if (pt->children[i])
				n += zap_node(t, pt->children[i], lo, start, end, zap, data);
		} else if (vf_pt_present(pt->ent[i])) {
			pt->ent[i] = 0;
			zap(data, vf_pt_pool_lmem(&t->pool, pt->page) + 8ull * i);
			n++;
		}
	}
	return n;
}

unsigned int vf_pt_zap(struct vf_pt_tree *t, uint64_t start, uint64_t end,
		       void (*zap)(void *data, uint64_t lmem_off), void *data)
{
	return zap_node(t, t->root, 0, start, end, zap, data);
}

static int hw_entry(const uint8_t *lmem, uint64_t lmem_size, uint64_t page, unsigned int i,
		    uint64_t *e)
{
	if (page >= lmem_size || lmem_size - page < VF_PT_PAGE)
		return -EFAULT;
	*e = __atomic_load_n((const uint64_t *)(lmem + page) + i, __ATOMIC_RELAXED);
	return 0;
}

int vf_pt_hw_lookup(const uint8_t *lmem, uint64_t lmem_size, uint64_t root_lmem, uint64_t va,
		    uint64_t *pte)
{
	uint64_t page = root_lmem, e = 0;

	for (int level = VF_PT_LEVELS - 1; level >= 0; level--) {
		int err = hw_entry(lmem, lmem_size, page, index_of(va, (unsigned int)level), &e);

		if (err)
			return err;
		if (!level)
			break;
		if (!vf_pt_present(e))
			return level + 1;
		page = vf_pt_addr(e);
	}
	*pte = e;
	return 0;
}

struct scan {
	const uint8_t *lmem;
	uint64_t lmem_size;
	int (*visit)(void *data, uint64_t va, uint64_t pte);
	void *data;
};

static int scan_page(const struct scan *s, uint64_t page, unsigned int level, uint64_t base)
{
	uint64_t span = (uint64_t)VF_PT_PAGE << (9 * level);

	for (unsigned int i = 0; i < VF_PT_ENTRIES; i++) {
		uint64_t e;
		int err = hw_entry(s->lmem, s->lmem_size, page, i, &e);

		if (err)
			return err;
		if (!vf_pt_present(e))
			continue;
		err = level ? scan_page(s, vf_pt_addr(e), level - 1, base + i * span) :
			      s->visit(s->data, base + i * span, e);
		if (err)
			return err;
	}
	return 0;
}

int vf_pt_hw_scan(const uint8_t *lmem, uint64_t lmem_size, uint64_t root_lmem,
		  int (*visit)(void *data, uint64_t va, uint64_t pte), void *data)
{
	struct scan s = { lmem, lmem_size, visit, data };

	return scan_page(&s, root_lmem, VF_PT_LEVELS - 1, 0);
}
