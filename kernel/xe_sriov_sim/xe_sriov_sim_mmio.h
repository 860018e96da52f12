/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * BAR0 of a VF: registers and the GGTT PTE window.
 */
#ifndef _XE_SRIOV_SIM_MMIO_H_
#define _XE_SRIOV_SIM_MMIO_H_

#include <linux/types.h>

struct xe_sriov_sim_vf;

ssize_t xe_sriov_sim_mmio_rw(struct xe_sriov_sim_vf *vf, char __user *buf,
			     size_t count, u64 off, bool write);
void xe_sriov_sim_mmio_reset(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_mmio_save(struct xe_sriov_sim_vf *vf, unsigned int gt_id,
			    void *buf);
void xe_sriov_sim_mmio_restore(struct xe_sriov_sim_vf *vf, unsigned int gt_id,
			       const void *buf);

#endif /* _XE_SRIOV_SIM_MMIO_H_ */
