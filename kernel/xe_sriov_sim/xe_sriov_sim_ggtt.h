/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * A VF's slice of its PF's GGTT.
 */
#ifndef _XE_SRIOV_SIM_GGTT_H_
#define _XE_SRIOV_SIM_GGTT_H_

#include <linux/types.h>

struct xe_sriov_sim_vf;

void xe_sriov_sim_ggtt_clear(struct xe_sriov_sim_vf *vf);
int xe_sriov_sim_ggtt_window_read(struct xe_sriov_sim_vf *vf, u64 off,
				  unsigned int size, u64 *val);
int xe_sriov_sim_ggtt_window_write(struct xe_sriov_sim_vf *vf, u64 off,
				   unsigned int size, u64 val);
size_t xe_sriov_sim_ggtt_save_size(struct xe_sriov_sim_vf *vf);
int xe_sriov_sim_ggtt_save(struct xe_sriov_sim_vf *vf, __le64 *buf);
void xe_sriov_sim_ggtt_restore(struct xe_sriov_sim_vf *vf, const __le64 *buf);

#endif /* _XE_SRIOV_SIM_GGTT_H_ */
