// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * ccs: compression metadata must survive. COPY|COMPRESS src -> cmp (cmp's
 * CCS bytes written), then, after the gate, RESOLVE cmp -> res (needs
 * cmp's CCS) and CTRL_SURF_COPY cmp -> csc (cmp's CCS bytes as data).
 * Verified against the CPU reference: cmp = src ^ ccs, res = src, csc =
 * the CCS bytes. A CCS lost in a migration between the two halves makes
 * res equal cmp and csc zeros.
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

	at = first_diff(cmp, c->want_cmp, c->bytes);
	if (at >= 0)
		return wl_mismatch(msg, size,
				   "ccs: compressed byte %ld (block %ld): %#x, expected %#x",
				   at, at / WL_BLOCK, cmp[at], c->want_cmp[at]);
	at = first_diff(csc, c->want_ccs, c->bytes / WL_BLOCK);
	if (at >= 0)
		return wl_mismatch(msg, size,
				   "ccs: CTRL_SURF_COPY: CCS of block %ld is %#x, expected %#x%s",
				   at, csc[at], c->want_ccs[at],
				   csc[at] == 0 ? " (the compression metadata was lost)" : "");
	at = first_diff(res, c->src_copy, c->bytes);
	if (at >= 0)
		return wl_mismatch(msg, size,
				   "ccs: resolved byte %ld (block %ld): %#x, expected the original %#x%s",
				   at, at / WL_BLOCK, res[at], c->src_copy[at],
				   res[at] == cmp[at] ? " (resolved with CCS 0: metadata lost)" : "");
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
