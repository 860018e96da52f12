/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The GuC as a VF sees it: VF states, the MMIO mailbox, the state blob.
 */
#ifndef _XE_SRIOV_SIM_GUC_H_
#define _XE_SRIOV_SIM_GUC_H_

#include <linux/types.h>

struct xe_sriov_sim_vf;

const char *xe_sriov_sim_guc_state_name(unsigned int state);
bool xe_sriov_sim_guc_is_paused(struct xe_sriov_sim_vf *vf);
bool xe_sriov_sim_guc_is_stopped(struct xe_sriov_sim_vf *vf);
bool xe_sriov_sim_guc_engine_may_run(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_guc_reset(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_guc_pause(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_guc_resume(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_guc_stop(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_guc_notify(struct xe_sriov_sim_vf *vf, unsigned int gt_id);
size_t xe_sriov_sim_guc_save_size(struct xe_sriov_sim_vf *vf,
				  unsigned int gt_id);
size_t xe_sriov_sim_guc_save(struct xe_sriov_sim_vf *vf, unsigned int gt_id,
			     void *buf);
int xe_sriov_sim_guc_restore(struct xe_sriov_sim_vf *vf, unsigned int gt_id,
			     const void *buf, size_t size);

#endif /* _XE_SRIOV_SIM_GUC_H_ */
