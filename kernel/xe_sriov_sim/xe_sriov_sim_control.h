/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * PF control of a VF: pause, resume, stop, FLR, save, restore.
 */
#ifndef _XE_SRIOV_SIM_CONTROL_H_
#define _XE_SRIOV_SIM_CONTROL_H_

struct xe_sriov_sim_vf;

void xe_sriov_sim_control_init(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_control_fini(struct xe_sriov_sim_vf *vf);
int xe_sriov_sim_control_pause(struct xe_sriov_sim_vf *vf);
int xe_sriov_sim_control_resume(struct xe_sriov_sim_vf *vf);
int xe_sriov_sim_control_stop(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_control_reset(struct xe_sriov_sim_vf *vf);
int xe_sriov_sim_control_trigger_save(struct xe_sriov_sim_vf *vf);
int xe_sriov_sim_control_finish_save(struct xe_sriov_sim_vf *vf);
int xe_sriov_sim_control_trigger_restore(struct xe_sriov_sim_vf *vf);
int xe_sriov_sim_control_finish_restore(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_control_restore_data_done(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_control_restore_failed(struct xe_sriov_sim_vf *vf);

#endif /* _XE_SRIOV_SIM_CONTROL_H_ */
