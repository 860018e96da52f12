// SPDX-License-Identifier: MIT
/*
 * The VF driver model's page-table mirror (lib/vf_pt.c) over a fake LMEM:
 * binds build subtrees and copy-on-write leaves that the engine's walk
 * finds only once the job ran; the page pool and its deferred frees; the
 * notifier's zap walking the live view; and the seed's race itself: with
 * live staging a zap in the window between stage and commit clears the
 * new leaf while the engine still walks the old one, with the staging
 * tree it does not.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vf_pt.h"

#define LMEM_SIZE	(1u << 20)
#define POOL_OFF	0x40000u
#define POOL_PAGES	32
#define VA		0x8000000000ull	/* level 3 index 1 */
#define IOVA		0x100000000ull

static uint8_t *lmem;
static struct vf_pt_tree tree;

static int setup(void **state)
{
	(void)state;
	lmem = calloc(1, LMEM_SIZE);
	return lmem && !vf_pt_tree_init(&tree, POOL_OFF, POOL_PAGES) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	vf_pt_tree_fini(&tree);
	free(lmem);
	return 0;
}

static uint64_t root(void)
{
	return vf_pt_pool_lmem(&tree.pool, tree.root->page);
}

/* What the VM layer does after the commit: CPU images, then the job. */
static void write_pages(const struct vf_pt_update *u)
{
	for (unsigned int i = 0; i < u->n_new; i++)
		vf_pt_page_image(u->new_nodes[i], u,
				 (uint64_t *)(lmem + vf_pt_pool_lmem(&tree.pool,
								     u->new_nodes[i]->page)));
}

static void run_job(const struct vf_pt_update *u, unsigned int stop_after)
{
	struct vf_pt_store st[VF_PT_JOB_MAX_STORES];
	unsigned int n = vf_pt_job(&tree, u, st);

	for (unsigned int i = 0; i < n && i < stop_after; i++)
		memcpy(lmem + st[i].lmem_off, &st[i].value, 4);
}

static void zap_cpu(void *data, uint64_t off)
{
	(void)data;
	memset(lmem + off, 0, 8);
}

static int bind(uint64_t va, unsigned int n, uint64_t iova, bool live)
{
	uint64_t pte[VF_PT_ENTRIES];
	struct vf_pt_update u;
	int err;

	for (unsigned int i = 0; i < n; i++)
		pte[i] = vf_pt_pte_sys(iova + i * VF_PT_PAGE);
	err = vf_pt_stage(&tree, va, n, pte, live, &u);
	if (err)
		return err;
	vf_pt_commit(&tree, &u);
	write_pages(&u);
	run_job(&u, ~0u);
	return vf_pt_retire(&tree, &u, 1);
}

static uint64_t lookup(uint64_t va)
{
	uint64_t pte = 0;
	int err = vf_pt_hw_lookup(lmem, LMEM_SIZE, root(), va, &pte);

	return err ? 0xdead0000ull | (unsigned int)err : pte;
}

static void test_pool(void **state)
{
	struct vf_pt_pool p;
	unsigned int a, b, c;

	(void)state;
	assert_int_equal(vf_pt_pool_init(&p, 0x1000, 2), 0);
	assert_int_equal(vf_pt_pool_alloc(&p, &a), 0);
	assert_int_equal(vf_pt_pool_alloc(&p, &b), 0);
	assert_int_equal(vf_pt_pool_alloc(&p, &c), -ENOSPC);
	assert_int_equal(vf_pt_pool_lmem(&p, b), 0x2000);
	assert_int_equal(vf_pt_pool_defer(&p, a, 10), 0);
	assert_int_equal(vf_pt_pool_reclaim(&p, 9), 0);
	assert_int_equal(vf_pt_pool_alloc(&p, &c), -ENOSPC);
	/* Across the seqno wrap too. */
	assert_int_equal(vf_pt_pool_reclaim(&p, 10), 1);
	assert_int_equal(vf_pt_pool_alloc(&p, &c), 0);
	assert_int_equal(c, a);
	vf_pt_pool_free(&p, b);
	assert_int_equal(vf_pt_pool_defer(&p, b, 0xfffffff0u), 0);
	assert_int_equal(vf_pt_pool_reclaim(&p, 5), 1);
	vf_pt_pool_fini(&p);
}

static void test_bind_new_subtree(void **state)
{
	uint64_t pte = vf_pt_pte_sys(IOVA);
	struct vf_pt_update u;

	(void)state;
	assert_int_equal(vf_pt_stage(&tree, VA, 1, &pte, false, &u), 0);
	assert_int_equal(u.n_new, 3);	/* levels 2, 1, 0 under the root */
	assert_ptr_equal(u.parent, tree.root);
	assert_null(tree.root->children[1]);	/* staged only */
	vf_pt_commit(&tree, &u);
	assert_ptr_equal(tree.root->children[1], u.top);
	write_pages(&u);
	/* Not connected until the job's PDE store: the engine sees a hole. */
	assert_int_equal(lookup(VA), 0xdead0000ull | 4);
	run_job(&u, 2);	/* the PTE only */
	assert_int_equal(lookup(VA), 0xdead0000ull | 4);
	run_job(&u, ~0u);
	assert_int_equal(lookup(VA), pte);
	assert_int_equal(vf_pt_retire(&tree, &u, 1), 0);
}

static void test_cow_leaf(void **state)
{
	unsigned int used;
	struct vf_pt *leaf;

	(void)state;
	assert_int_equal(bind(VA, 2, IOVA, false), 0);
	leaf = tree.root->children[1]->children[0]->children[0];
	used = tree.pool.n_used;
	assert_int_equal(bind(VA + 2 * VF_PT_PAGE, 1, IOVA + 0x10000, false), 0);
	/* A new leaf switched in, the old one deferred, entries inherited. */
	assert_ptr_not_equal(tree.root->children[1]->children[0]->children[0], leaf);
	assert_int_equal(tree.pool.n_used, used + 1);
	assert_int_equal(tree.pool.n_deferred, 1);
	assert_int_equal(lookup(VA + VF_PT_PAGE), vf_pt_pte_sys(IOVA + VF_PT_PAGE));
	assert_int_equal(lookup(VA + 2 * VF_PT_PAGE), vf_pt_pte_sys(IOVA + 0x10000));
	assert_int_equal(vf_pt_pool_reclaim(&tree.pool, 1), 1);
}

static void test_unbind_and_abort(void **state)
{
	struct vf_pt_update u;
	struct vf_pt *leaf;

	(void)state;
	assert_int_equal(vf_pt_stage(&tree, VA + VF_PT_LEAF_SPAN * 8, 1, NULL, false, &u),
			 -ENOENT);
	assert_int_equal(bind(VA, 3, IOVA, false), 0);
	assert_int_equal(vf_pt_stage(&tree, VA + VF_PT_PAGE, 1, NULL, false, &u), 0);
	vf_pt_commit(&tree, &u);
	write_pages(&u);
	run_job(&u, ~0u);
	vf_pt_retire(&tree, &u, 2);
	assert_false(vf_pt_present(lookup(VA + VF_PT_PAGE)));
	assert_true(vf_pt_present(lookup(VA + 2 * VF_PT_PAGE)));
	/* An aborted stage leaves both views as they were and frees its pages. */
	leaf = tree.root->children[1]->children[0]->children[0];
	assert_int_equal(vf_pt_stage(&tree, VA, 1, NULL, false, &u), 0);
	vf_pt_abort(&tree, &u);
	assert_ptr_equal(tree.root->children[1]->children[0]->staging[0], leaf);
	assert_int_equal(tree.pool.n_used, 4 + tree.pool.n_deferred);
	assert_int_equal(vf_pt_stage(&tree, 0x1000, VF_PT_ENTRIES, NULL, false, &u), -EINVAL);
}

/* The notifier's zap in the window between stage and commit. */
static void race_window(bool live)
{
	uint64_t pte = vf_pt_pte_sys(IOVA + 0x40000);
	struct vf_pt_update u;

	/* The userptr at VA, then another bind into the same leaf. */
	assert_int_equal(bind(VA, 1, IOVA, false), 0);
	assert_int_equal(vf_pt_stage(&tree, VA + VF_PT_PAGE, 1, &pte, live, &u), 0);
	assert_int_equal(vf_pt_zap(&tree, VA, VA + VF_PT_PAGE, zap_cpu, NULL), 1);
	/* Right after the notifier, the page the engine walks: */
	if (live)
		assert_true(vf_pt_present(lookup(VA)));	/* the race */
	else
		assert_false(vf_pt_present(lookup(VA)));
	vf_pt_commit(&tree, &u);
	write_pages(&u);
	run_job(&u, ~0u);
	vf_pt_retire(&tree, &u, 3);
	/* And once the job switched the leaf: the zap was kept. */
	assert_false(vf_pt_present(lookup(VA)));
	assert_int_equal(lookup(VA + VF_PT_PAGE), pte);
}

static void test_race_live(void **state)
{
	(void)state;
	race_window(true);
}

static void test_race_staged(void **state)
{
	(void)state;
	race_window(false);
}

static int count_visit(void *data, uint64_t va, uint64_t pte)
{
	(void)va;
	(void)pte;
	++*(unsigned int *)data;
	return 0;
}

static void test_hw_scan(void **state)
{
	unsigned int n = 0;

	(void)state;
	assert_int_equal(bind(VA, 4, IOVA, false), 0);
	assert_int_equal(bind(VA + 5 * VF_PT_LEAF_SPAN, 2, IOVA, false), 0);
	assert_int_equal(vf_pt_hw_scan(lmem, LMEM_SIZE, root(), count_visit, &n), 0);
	assert_int_equal(n, 6);
	/* A PDE past LMEM is reported, not followed. */
	*(uint64_t *)(lmem + root() + 8 * 7) = vf_pt_pde(LMEM_SIZE);
	assert_int_equal(vf_pt_hw_scan(lmem, LMEM_SIZE, root(), count_visit, &n), -EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool),
		cmocka_unit_test_setup_teardown(test_bind_new_subtree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cow_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unbind_and_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_race_live, setup, teardown),
		cmocka_unit_test_setup_teardown(test_race_staged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hw_scan, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
