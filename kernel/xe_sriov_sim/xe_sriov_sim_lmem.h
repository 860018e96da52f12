/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * BAR2 of a VF: its LMEM; and the flat CCS behind it.
 */
#ifndef _XE_SRIOV_SIM_LMEM_H_
#define _XE_SRIOV_SIM_LMEM_H_

#include <linux/types.h>

struct vm_area_struct;
struct xe_sriov_sim_vf;

ssize_t xe_sriov_sim_lmem_rw(struct xe_sriov_sim_vf *vf, char __user *buf,
			     size_t count, u64 off, bool write);
int xe_sriov_sim_lmem_mmap(struct xe_sriov_sim_vf *vf,
			   struct vm_area_struct *vma, u64 off);
void xe_sriov_sim_lmem_clear(struct xe_sriov_sim_vf *vf);
u64 xe_sriov_sim_lmem_obj_size(struct xe_sriov_sim_vf *vf);
u8 *xe_sriov_sim_lmem_ccs(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_lmem_read_resolved(struct xe_sriov_sim_vf *vf, u64 off,
				     u8 *buf, size_t len);
void xe_sriov_sim_lmem_ccs_clear(struct xe_sriov_sim_vf *vf, u64 off,
				 size_t len);

#endif /* _XE_SRIOV_SIM_LMEM_H_ */
