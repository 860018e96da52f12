/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * A minimal PPGTT builder for tests of the sim's per-VF page tables
 * (uapi/xe_sriov_sim_ppgtt.h): page-table pages from the VF driver's LMEM
 * allocator, entries written by the CPU through the BAR2 mapping, one
 * 4 KiB page at a time. No bind jobs, no unmap of tables: what a VM_BIND
 * model builds on.
 */
#ifndef XEMIG_VF_PPGTT_BUILD_H
#define XEMIG_VF_PPGTT_BUILD_H

#include <stdint.h>

#include "uapi/xe_sriov_sim_ppgtt.h"
#include "vf_driver.h"

struct vf_ppgtt {
	struct vf_driver *drv;
	struct vf_bo pool;	/* the page-table pages */
	uint32_t used, max;	/* pages of pool handed out */
	uint64_t root;		/* LMEM offset of the level 3 page */
};

/* Up to max_tables table pages (the root included), all zero. 0 or -errno. */
int vf_ppgtt_init(struct vf_ppgtt *p, struct vf_driver *drv, unsigned int max_tables);
/*
 * Map the 4 KiB page at va: its PTE gets addr (an LMEM offset with
 * XE_SRIOV_SIM_PPGTT_DM in flags, else an IOVA) | PRESENT | flags, the
 * missing directories are made PRESENT. 0, -ENOSPC, -EINVAL (unaligned).
 */
int vf_ppgtt_map(struct vf_ppgtt *p, uint64_t va, uint64_t addr, uint64_t flags);
/*
 * The entry at level (0: PTE) on va's walk, for a test to change; NULL if
 * a directory above it is missing.
 */
volatile uint64_t *vf_ppgtt_entry(struct vf_ppgtt *p, uint64_t va, unsigned int level);
/* PPGTT_ROOT_HI/LO: the root, enabled or not. 0 or -errno. */
int vf_ppgtt_set_root(struct vf_ppgtt *p, uint64_t value);
int vf_ppgtt_enable(struct vf_ppgtt *p);
/* PPGTT_ROOT_HI:LO as the VF reads it. 0 or -errno. */
int vf_ppgtt_read_root(struct vf_driver *drv, uint64_t *value);

#endif
