// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * VF contents through VFIO: BAR0 (scratch registers, GGTT PTE window) with
 * pread/pwrite, BAR2 (LMEM) through mmap. The LMEM pattern is xxh64 of
 * the word index and the seed, so any misplaced or stale 8 bytes show.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "uapi/xe_sriov_sim_regs.h"
#include "vf_state.h"

#define MMIO XE_SRIOV_SIM_BAR_MMIO

/* Register i of VF_STATE_SW_FLAGS: GT i / 4's VF_SW_FLAG(i % 4). */
static uint64_t sw_flag(int i)
{
	return XE_SRIOV_SIM_GT_SW_FLAG(i / XE_SRIOV_SIM_VF_SW_FLAG_COUNT,
				       i % XE_SRIOV_SIM_VF_SW_FLAG_COUNT);
}

static const char *sw_flag_name(int i)
{
	return i < XE_SRIOV_SIM_VF_SW_FLAG_COUNT ? "VF_SW_FLAG" : "MED_VF_SW_FLAG";
}
#define PAGE XE_SRIOV_SIM_GGTT_PAGE_SIZE

unsigned int vf_state_pte_vfid(uint64_t pte)
{
	return (pte & XE_SRIOV_SIM_PTE_VFID_MASK) >> XE_SRIOV_SIM_PTE_VFID_SHIFT;
}

bool vf_state_pte_valid(uint64_t pte)
{
	return pte & XE_SRIOV_SIM_PTE_VALID;
}

uint64_t vf_state_pte_addr(uint64_t pte)
{
	return pte & XE_SRIOV_SIM_PTE_ADDR_MASK;
}

int vf_state_read_ptes(struct vfio_dev *dev, size_t n, uint64_t *ptes)
{
	return vfio_dev_region_read(dev, MMIO, XE_SRIOV_SIM_GGTT_WINDOW, ptes,
				    n * sizeof(*ptes));
}

static uint64_t pattern(uint64_t index, uint64_t seed)
{
	return XXH64(&index, sizeof(index), seed);
}

/* Mapped once per open device (vfio_dev_region_map): not unmapped here. */
static int map_lmem(struct vfio_dev *dev, uint64_t **p, size_t *size)
{
	return vfio_dev_region_map(dev, XE_SRIOV_SIM_BAR_LMEM, (void **)p, size);
}

int vf_state_map_lmem(struct vfio_dev *dev, uint8_t **p, size_t *size)
{
	return map_lmem(dev, (uint64_t **)p, size);
}

int vf_state_fill_lmem(struct vfio_dev *dev, uint64_t seed)
{
	uint64_t *lmem;
	size_t size;
	int err = map_lmem(dev, &lmem, &size);

	if (err)
		return err;
	for (size_t i = 0; i < size / 8; i++)
		lmem[i] = pattern(i, seed);
	return 0;
}

static uint64_t pte_for(size_t i, size_t lmem_pages, uint64_t seed)
{
	/* Scatter: PTE i maps a seed-dependent LMEM page. */
	uint64_t page = (i * 7 + seed) % (lmem_pages ? lmem_pages : 1);

	return XE_SRIOV_SIM_PTE_VALID | ((page * PAGE) & XE_SRIOV_SIM_PTE_ADDR_MASK);
}

int vf_state_fill(struct vfio_dev *dev, size_t n_ptes, uint64_t seed)
{
	uint64_t *lmem;
	size_t size;
	int err = vf_state_fill_lmem(dev, seed) ?: map_lmem(dev, &lmem, &size);

	if (err)
		return err;
	for (int i = 0; i < VF_STATE_SW_FLAGS && !err; i++)
		err = vfio_dev_write32(dev, MMIO, sw_flag(i),
				       (uint32_t)pattern(~(uint64_t)i, seed));
	for (size_t i = 0; i < n_ptes && !err; i++) {
		uint64_t pte = pte_for(i, size / PAGE, seed);

		err = vfio_dev_region_write(dev, MMIO, XE_SRIOV_SIM_GGTT_WINDOW + 8 * i,
					    &pte, sizeof(pte));
	}
	return err;
}

static size_t block_len(const struct vf_state *st, size_t b)
{
	size_t off = b * VF_STATE_LMEM_BLOCK;

	return st->lmem_size - off < VF_STATE_LMEM_BLOCK ? st->lmem_size - off :
							    VF_STATE_LMEM_BLOCK;
}

/* ccs: NULL, or one byte per 256 of LMEM to XOR in (a resolved view). */
static int capture_lmem(struct vfio_dev *dev, const uint8_t *ccs, struct vf_state *st)
{
	uint8_t *tmp = NULL;
	uint64_t *lmem;
	size_t size;
	int err = map_lmem(dev, &lmem, &size);

	if (err)
		return err;
	st->lmem_size = size;
	st->n_blocks = (size + VF_STATE_LMEM_BLOCK - 1) / VF_STATE_LMEM_BLOCK;
	st->lmem_hash = calloc(st->n_blocks, sizeof(*st->lmem_hash));
	if (ccs)
		tmp = malloc(VF_STATE_LMEM_BLOCK);
	if (!st->lmem_hash || (ccs && !tmp))
		err = -ENOMEM;
	for (size_t b = 0; !err && b < st->n_blocks; b++) {
		const uint8_t *p = (uint8_t *)lmem + b * VF_STATE_LMEM_BLOCK;
		size_t len = block_len(st, b);

		if (ccs) {
			for (size_t i = 0; i < len; i++)
				tmp[i] = p[i] ^ ccs[(b * VF_STATE_LMEM_BLOCK + i) / 256];
			p = tmp;
		}
		st->lmem_hash[b] = XXH64(p, len, 0);
	}
	free(tmp);
	return err;
}

static int capture(struct vfio_dev *dev, size_t n_ptes, const uint8_t *ccs,
		   struct vf_state *st);

int vf_state_capture_lmem(struct vfio_dev *dev, struct vf_state *st)
{
	int err;

	memset(st, 0, sizeof(*st));
	st->ptes = calloc(1, sizeof(*st->ptes));
	err = st->ptes ? capture_lmem(dev, NULL, st) : -ENOMEM;
	if (err)
		vf_state_free(st);
	return err;
}

int vf_state_capture(struct vfio_dev *dev, size_t n_ptes, struct vf_state *st)
{
	return capture(dev, n_ptes, NULL, st);
}

int vf_state_capture_resolved(struct vfio_dev *dev, size_t n_ptes, const uint8_t *ccs,
			      struct vf_state *st)
{
	return capture(dev, n_ptes, ccs, st);
}

static int capture(struct vfio_dev *dev, size_t n_ptes, const uint8_t *ccs,
		   struct vf_state *st)
{
	int err = 0;

	memset(st, 0, sizeof(*st));
	for (int i = 0; i < VF_STATE_SW_FLAGS && !err; i++)
		err = vfio_dev_read32(dev, MMIO, sw_flag(i), &st->scratch[i]);
	st->n_ptes = n_ptes;
	st->ptes = calloc(n_ptes ? n_ptes : 1, sizeof(*st->ptes));
	if (!err && !st->ptes)
		err = -ENOMEM;
	if (!err && n_ptes)
		err = vfio_dev_region_read(dev, MMIO, XE_SRIOV_SIM_GGTT_WINDOW, st->ptes,
					   n_ptes * sizeof(*st->ptes));
	err = err ?: capture_lmem(dev, ccs, st);
	if (err)
		vf_state_free(st);
	return err;
}

int vf_state_fill_access(const struct vf_access *a, size_t n_ptes, uint64_t seed)
{
	size_t pages = a->lmem_size / PAGE;
	uint64_t *buf = malloc(VF_STATE_LMEM_BLOCK);
	int err = buf ? 0 : -ENOMEM;

	for (uint64_t off = 0; !err && off < a->lmem_size; off += VF_STATE_LMEM_BLOCK) {
		size_t n = a->lmem_size - off < VF_STATE_LMEM_BLOCK ? a->lmem_size - off :
								      VF_STATE_LMEM_BLOCK;

		for (size_t i = 0; i < n / 8; i++)
			buf[i] = pattern(off / 8 + i, seed);
		err = a->lmem_write(a->ctx, off, buf, n);
	}
	for (int i = 0; i < VF_STATE_SW_FLAGS && !err; i++) {
		uint32_t v = (uint32_t)pattern(~(uint64_t)i, seed);

		err = a->mmio_write(a->ctx, sw_flag(i), &v, sizeof(v));
	}
	/* The PTEs in runs of a block's worth. */
	for (size_t i = 0; i < n_ptes && !err; i += VF_STATE_LMEM_BLOCK / 8) {
		size_t n = n_ptes - i < VF_STATE_LMEM_BLOCK / 8 ? n_ptes - i :
								  VF_STATE_LMEM_BLOCK / 8;

		for (size_t j = 0; j < n; j++)
			buf[j] = pte_for(i + j, pages, seed);
		err = a->mmio_write(a->ctx, XE_SRIOV_SIM_GGTT_WINDOW + 8 * i, buf, 8 * n);
	}
	free(buf);
	return err;
}

int vf_state_capture_access(const struct vf_access *a, size_t n_ptes, struct vf_state *st)
{
	uint8_t *buf = malloc(VF_STATE_LMEM_BLOCK);
	int err = buf ? 0 : -ENOMEM;

	memset(st, 0, sizeof(*st));
	for (int i = 0; i < VF_STATE_SW_FLAGS && !err; i++)
		err = a->mmio_read(a->ctx, sw_flag(i), &st->scratch[i],
				   sizeof(st->scratch[i]));
	st->n_ptes = n_ptes;
	st->ptes = calloc(n_ptes ? n_ptes : 1, sizeof(*st->ptes));
	if (!err && !st->ptes)
		err = -ENOMEM;
	if (!err && n_ptes)
		err = a->mmio_read(a->ctx, XE_SRIOV_SIM_GGTT_WINDOW, st->ptes,
				   n_ptes * sizeof(*st->ptes));
	st->lmem_size = a->lmem_size;
	st->n_blocks = (a->lmem_size + VF_STATE_LMEM_BLOCK - 1) / VF_STATE_LMEM_BLOCK;
	st->lmem_hash = calloc(st->n_blocks ? st->n_blocks : 1, sizeof(*st->lmem_hash));
	if (!err && !st->lmem_hash)
		err = -ENOMEM;
	for (size_t b = 0; !err && b < st->n_blocks; b++) {
		size_t len = block_len(st, b);

		err = a->lmem_read(a->ctx, b * VF_STATE_LMEM_BLOCK, buf, len);
		if (!err)
			st->lmem_hash[b] = XXH64(buf, len, 0);
	}
	free(buf);
	if (err)
		vf_state_free(st);
	return err;
}

void vf_state_free(struct vf_state *st)
{
	free(st->ptes);
	free(st->lmem_hash);
	memset(st, 0, sizeof(*st));
}

struct report {
	char *buf;
	size_t size, len;
	bool ok;
};

static void note(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct report *r, const char *fmt, ...)
{
	va_list ap;

	r->ok = false;
	if (!r->buf || r->len >= r->size)
		return;
	va_start(ap, fmt);
	r->len += vsnprintf(r->buf + r->len, r->size - r->len, fmt, ap);
	va_end(ap);
}

static void compare_ptes(const struct vf_state *want, const struct vf_state *got,
			 unsigned int vf_id, struct report *r)
{
	size_t bad = 0, bad_id = 0, first = 0, first_id = 0;

	for (size_t i = 0; i < want->n_ptes && i < got->n_ptes; i++) {
		uint64_t a = want->ptes[i] & ~XE_SRIOV_SIM_PTE_VFID_MASK;
		uint64_t b = got->ptes[i] & ~XE_SRIOV_SIM_PTE_VFID_MASK;

		if (a != b && !bad++)
			first = i;
		if (vf_id && (got->ptes[i] & XE_SRIOV_SIM_PTE_VALID) &&
		    vf_state_pte_vfid(got->ptes[i]) != vf_id && !bad_id++)
			first_id = i;
	}
	if (want->n_ptes != got->n_ptes)
		note(r, "GGTT: %zu PTEs, expected %zu\n", got->n_ptes, want->n_ptes);
	if (bad)
		note(r, "GGTT: %zu PTEs differ, first #%zu: %#llx, expected %#llx\n", bad,
		     first, (unsigned long long)got->ptes[first],
		     (unsigned long long)want->ptes[first]);
	if (bad_id)
		note(r, "GGTT: %zu PTEs carry another VF id, first #%zu: VF%u, expected VF%u\n",
		     bad_id, first_id, vf_state_pte_vfid(got->ptes[first_id]), vf_id);
}

static void compare_lmem(const struct vf_state *want, const struct vf_state *got,
			 struct report *r)
{
	size_t bad = 0, first = 0;

	if (want->lmem_size != got->lmem_size) {
		note(r, "LMEM: %llu bytes, expected %llu\n",
		     (unsigned long long)got->lmem_size, (unsigned long long)want->lmem_size);
		return;
	}
	for (size_t b = 0; b < want->n_blocks; b++)
		if (want->lmem_hash[b] != got->lmem_hash[b] && !bad++)
			first = b;
	if (bad)
		note(r, "LMEM: %zu of %zu blocks of %u KiB differ, first at offset %#zx\n",
		     bad, want->n_blocks, VF_STATE_LMEM_BLOCK >> 10,
		     first * (size_t)VF_STATE_LMEM_BLOCK);
}

bool vf_state_equal(const struct vf_state *want, const struct vf_state *got,
		    unsigned int vf_id, char *report, size_t size)
{
	struct report r = { report, size, 0, true };

	if (report && size)
		report[0] = '\0';
	for (int i = 0; i < VF_STATE_SW_FLAGS; i++)
		if (want->scratch[i] != got->scratch[i])
			note(&r, "%s(%d): %#x, expected %#x\n", sw_flag_name(i), i % 4,
			     got->scratch[i], want->scratch[i]);
	compare_ptes(want, got, vf_id, &r);
	compare_lmem(want, got, &r);
	return r.ok;
}

bool vf_state_is_clear(const struct vf_state *st, char *report, size_t size)
{
	struct report r = { report, size, 0, true };
	uint8_t *zero = calloc(1, VF_STATE_LMEM_BLOCK);
	size_t bad = 0;

	if (report && size)
		report[0] = '\0';
	for (int i = 0; i < VF_STATE_SW_FLAGS; i++)
		if (st->scratch[i])
			note(&r, "%s(%d) is %#x after FLR\n", sw_flag_name(i), i % 4,
			     st->scratch[i]);
	/* As xe's FLR (xe_ggtt_assign()): only the owner's VF id stays. */
	for (size_t i = 0; i < st->n_ptes; i++)
		bad += (st->ptes[i] & ~XE_SRIOV_SIM_PTE_VFID_MASK) != 0;
	if (bad)
		note(&r, "GGTT: %zu PTEs still set after FLR\n", bad);
	bad = 0;
	for (size_t b = 0; zero && b < st->n_blocks; b++)
		bad += st->lmem_hash[b] != XXH64(zero, block_len(st, b), 0);
	free(zero);
	if (bad)
		note(&r, "LMEM: %zu blocks not cleared by FLR\n", bad);
	return r.ok;
}
