// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * ccs: compression metadata must survive. COPY|COMPRESS src -> cmp (cmp's
 * CCS bytes written), then, after the gate, RESOLVE cmp -> res (needs
 * cmp's CCS) and CTRL_SURF_COPY cmp -> csc (cmp's CCS bytes as data), and
 * last RESOLVE cmp onto itself, so the workload leaves nothing compressed
 * behind in memory it frees (xe clears the CCS of a new BO; this model's
 * allocator does not).
 *
 * Verified against the CPU reference, block by block, in one of the two
 * forms a migration between the halves may leave: still compressed (csc =
 * the CCS bytes: nothing moved, or an igfx migration whose CCS batches
 * carried the CCS), or decompressed (csc = 0: a dgfx migration, which
 * saves VRAM decompressed and restores it uncompressed). Either way res =
 * src and, after the last resolve, cmp = src. A lost CCS leaves compressed
 * bytes with CCS 0: csc = 0 and res = cmp's compressed bytes, not src.
 * wl_ccs_forms() tells how many blocks were in each form.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wl_ref.h"
#include "workload.h"

/* csc starts zeroed: a compressed block's CCS is 1..255, never 0. */
#define CSC_UNWRITTEN 0x00

struct ccs_wl {
	uint32_t bytes;
	struct vf_bo src, cmp, res, csc;
	uint8_t *want_cmp, *want_ccs, *src_copy;
	unsigned int kept, plain;	/* blocks in each form, by the last verify */
};

static int ccs_prepare(struct workload *w)
{
	struct ccs_wl *c = calloc(1, sizeof(*c));
	uint64_t rng = wl_seed_for(w->seed, "ccs");
	int err;

	if (!c)
		return -ENOMEM;
	w->priv = c;
	c->bytes = 16 * WL_BLOCK * w->scale;
	c->src_copy = malloc(c->bytes);
	c->want_cmp = malloc(c->bytes);
	c->want_ccs = malloc(c->bytes / WL_BLOCK);
	if (!c->src_copy || !c->want_cmp || !c->want_ccs)
		return -ENOMEM;
	err = vf_driver_bo_create(w->drv, c->bytes, &c->src);
	err = err ?: vf_driver_bo_create(w->drv, c->bytes, &c->cmp);
	err = err ?: vf_driver_bo_create(w->drv, c->bytes, &c->res);
	err = err ?: vf_driver_bo_create(w->drv, c->bytes / WL_BLOCK, &c->csc);
	if (err)
		return err;
	wl_rand_bytes(&rng, c->src_copy, c->bytes);
	wl_ref_compress(c->src_copy, c->want_cmp, c->want_ccs, c->bytes);
	memcpy(vf_bo_map(w->drv, &c->src), c->src_copy, c->bytes);
	memset(vf_bo_map(w->drv, &c->cmp), 0, c->bytes);
	memset(vf_bo_map(w->drv, &c->res), 0, c->bytes);
	memset(vf_bo_map(w->drv, &c->csc), CSC_UNWRITTEN, c->bytes / WL_BLOCK);
	return 0;
}

static int ccs_emit(struct workload *w, struct wl_gate *gate)
{
	struct ccs_wl *c = w->priv;
	struct wl_cs cs = { .eng = w->eng };
	uint64_t src = vf_bo_ggtt(w->drv, &c->src), cmp = vf_bo_ggtt(w->drv, &c->cmp);

	wl_cs_copy(&cs, XE_SRIOV_SIM_OP_COPY, XE_SRIOV_SIM_COPY_COMPRESS, src, cmp, c->bytes);
	wl_cs_gate(&cs, gate);
	wl_cs_copy(&cs, XE_SRIOV_SIM_OP_RESOLVE, 0, cmp, vf_bo_ggtt(w->drv, &c->res), c->bytes);
	wl_cs_copy(&cs, XE_SRIOV_SIM_OP_CTRL_SURF_COPY, 0, cmp, vf_bo_ggtt(w->drv, &c->csc),
		   c->bytes);
	wl_cs_copy(&cs, XE_SRIOV_SIM_OP_RESOLVE, 0, cmp, cmp, c->bytes);
	wl_cs_fence(&cs, &w->done_seqno);
	return cs.err;
}

/* First differing byte of two buffers, or -1. */
static long first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return (long)i;
	return -1;
}

static int ccs_verify(struct workload *w, char *msg, size_t size)
{
	struct ccs_wl *c = w->priv;
	const uint8_t *cmp = vf_bo_map(w->drv, &c->cmp), *res = vf_bo_map(w->drv, &c->res);
	const uint8_t *csc = vf_bo_map(w->drv, &c->csc);
	long at;

	c->kept = c->plain = 0;
	at = first_diff(res, c->src_copy, c->bytes);
	if (at >= 0)
		return wl_mismatch(msg, size,
				   "ccs: resolved byte %ld (block %ld): %#x, expected the original %#x%s",
				   at, at / WL_BLOCK, res[at], c->src_copy[at],
				   res[at] == c->want_cmp[at] ?
				   " (resolved with CCS 0: the compression metadata was lost)" : "");
	for (uint32_t b = 0; b < c->bytes / WL_BLOCK; b++) {
		if (csc[b] == c->want_ccs[b])
			c->kept++;
		else if (csc[b] == 0)
			c->plain++;
		else
			return wl_mismatch(msg, size,
					   "ccs: CTRL_SURF_COPY: CCS of block %u is %#x, expected %#x (compressed) or 0 (decompressed by a dgfx migration)",
					   b, csc[b], c->want_ccs[b]);
	}
	at = first_diff(cmp, c->src_copy, c->bytes);
	if (at >= 0)
		return wl_mismatch(msg, size,
				   "ccs: the compressed surface resolved in place: byte %ld (block %ld) is %#x, expected the original %#x",
				   at, at / WL_BLOCK, cmp[at], c->src_copy[at]);
	return 0;
}

int wl_ccs_surface(const struct workload *w, uint64_t *lmem_off, uint32_t *bytes,
		   const uint8_t **orig)
{
	const struct ccs_wl *c = w->priv;

	if (w->ops != &wl_ccs_ops || !c)
		return -EINVAL;
	*lmem_off = c->cmp.lmem_off;
	*bytes = c->bytes;
	*orig = c->src_copy;
	return 0;
}

int wl_ccs_forms(const struct workload *w, unsigned int *kept, unsigned int *plain)
{
	const struct ccs_wl *c = w->priv;

	if (w->ops != &wl_ccs_ops || !c)
		return -EINVAL;
	*kept = c->kept;
	*plain = c->plain;
	return 0;
}

static void ccs_fini(struct workload *w)
{
	struct ccs_wl *c = w->priv;

	if (!c)
		return;
	free(c->src_copy);
	free(c->want_cmp);
	free(c->want_ccs);
}

const struct workload_ops wl_ccs_ops = {
	.name = "ccs",
	.summary = "compress-copy, then resolve and ctrl-surf-copy of the compressed surface",
	.prepare = ccs_prepare,
	.emit = ccs_emit,
	.verify = ccs_verify,
	.fini = ccs_fini,
};
