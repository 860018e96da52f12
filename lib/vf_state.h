/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * What a VF holds that migration must move, seen through VFIO: the
 * registers xe's MMIO packets carry (VF_SW_FLAG 0..3 of the primary GT,
 * MED_VF_SW_FLAG 0..3 of the media GT: the GuC mailboxes, so a GuC request
 * between fill and capture changes them), its GGTT PTEs (BAR0 window) and
 * its LMEM (BAR2). Fill it with a seeded pattern, capture it, compare two
 * captures, and say exactly what differs.
 */
#ifndef XEMIG_VF_STATE_H
#define XEMIG_VF_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vfio_dev.h"

/* LMEM is hashed per block so a difference is located, not just seen. */
#define VF_STATE_LMEM_BLOCK	(64u << 10)

/* Registers of xe's MMIO packets: 4 per GT, primary GT first. */
#define VF_STATE_SW_FLAGS	8

struct vf_state {
	uint32_t scratch[VF_STATE_SW_FLAGS];
	uint64_t *ptes;		/* as read: VF id field included */
	size_t n_ptes;
	uint64_t *lmem_hash;	/* xxh64 per VF_STATE_LMEM_BLOCK */
	size_t n_blocks;
	uint64_t lmem_size;
};

/*
 * Write a pattern derived from seed: scratch registers, one valid PTE per
 * GGTT page of the VF's slice (n_ptes, pointing into LMEM) and all of
 * LMEM. 0 or -errno.
 */
int vf_state_fill(struct vfio_dev *dev, size_t n_ptes, uint64_t seed);
int vf_state_capture(struct vfio_dev *dev, size_t n_ptes, struct vf_state *st);

/*
 * vf_state_capture(), with LMEM as a decompressing read sees it: every
 * byte XORed with its 256-byte block's CCS byte (ccs: lmem_size / 256
 * bytes, e.g. from pf_sim_vf_ccs_read()). What a dgfx migration, which
 * saves VRAM decompressed, must reproduce on the destination.
 */
int vf_state_capture_resolved(struct vfio_dev *dev, size_t n_ptes, const uint8_t *ccs,
			      struct vf_state *st);

/*
 * The same VF contents reached another way than through our own VFIO fd:
 * e.g. the BARs of a VF that a QEMU holds, through its guest's physical
 * address space (lib/qtest). BAR0 accesses are 4 bytes (scratch) or
 * multiples of 8 (PTEs); LMEM is lmem_size bytes from BAR2 offset 0,
 * moved in pieces of VF_STATE_LMEM_BLOCK. The pattern and the capture are
 * those of vf_state_fill() and vf_state_capture() for a VF whose BAR2 is
 * lmem_size bytes. Each op returns 0 or -errno.
 */
struct vf_access {
	void *ctx;
	uint64_t lmem_size;
	int (*mmio_read)(void *ctx, uint64_t off, void *buf, size_t len);
	int (*mmio_write)(void *ctx, uint64_t off, const void *buf, size_t len);
	int (*lmem_read)(void *ctx, uint64_t off, void *buf, size_t len);
	int (*lmem_write)(void *ctx, uint64_t off, const void *buf, size_t len);
};

int vf_state_fill_access(const struct vf_access *a, size_t n_ptes, uint64_t seed);
int vf_state_capture_access(const struct vf_access *a, size_t n_ptes, struct vf_state *st);
void vf_state_free(struct vf_state *st);

/*
 * LMEM only (BAR2 through VFIO, which every backend offers): the pattern
 * and capture of vf_state_fill()/vf_state_capture() without the registers
 * and PTEs of the sim's BAR0 model (captured as zero and none).
 */
int vf_state_fill_lmem(struct vfio_dev *dev, uint64_t seed);
int vf_state_capture_lmem(struct vfio_dev *dev, struct vf_state *st);

/* The VF's LMEM (BAR2) mapped: *p, *size. 0 or -errno. */
int vf_state_map_lmem(struct vfio_dev *dev, uint8_t **p, size_t *size);

/* n PTEs from the sim's GGTT PTE window in BAR0. 0 or -errno. */
int vf_state_read_ptes(struct vfio_dev *dev, size_t n, uint64_t *ptes);

/* The VF id field of a PTE, its valid bit, its address (an LMEM offset). */
unsigned int vf_state_pte_vfid(uint64_t pte);
bool vf_state_pte_valid(uint64_t pte);
uint64_t vf_state_pte_addr(uint64_t pte);

/*
 * Compare got against want, ignoring the PTEs' VF id field, and require
 * every valid PTE of got to carry vf_id (0: don't check). Writes one line
 * per kind of difference (at most size bytes) to report; true if equal.
 */
bool vf_state_equal(const struct vf_state *want, const struct vf_state *got,
		    unsigned int vf_id, char *report, size_t size);

/*
 * Whether the VF looks as after an FLR: scratch and LMEM zero, PTEs
 * invalid with no address (they keep their VF id, as on xe).
 */
bool vf_state_is_clear(const struct vf_state *st, char *report, size_t size);

#endif
