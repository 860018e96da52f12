/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The GuC's CCS save/restore contexts of an igfx VF.
 */
#ifndef _XE_SRIOV_SIM_GUC_CCS_H_
#define _XE_SRIOV_SIM_GUC_CCS_H_

#include <linux/types.h>

struct seq_file;
struct xe_sriov_sim_guc_state;
struct xe_sriov_sim_vf;

u32 xe_sriov_sim_guc_ccs_register(struct xe_sriov_sim_vf *vf, u32 flags,
				  u32 ctx_id, u32 lo, u32 hi);
void xe_sriov_sim_guc_ccs_pause(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_guc_ccs_resfix_done(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_guc_ccs_reset(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_guc_ccs_save(struct xe_sriov_sim_vf *vf,
			       struct xe_sriov_sim_guc_state *st);
int xe_sriov_sim_guc_ccs_check(struct xe_sriov_sim_vf *vf,
			       const struct xe_sriov_sim_guc_state *st);
void xe_sriov_sim_guc_ccs_restore(struct xe_sriov_sim_vf *vf,
				  const struct xe_sriov_sim_guc_state *st);
void xe_sriov_sim_guc_ccs_print(struct xe_sriov_sim_vf *vf, struct seq_file *m);

#endif /* _XE_SRIOV_SIM_GUC_CCS_H_ */
