/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The xe migration stream of a VF: save (produce) and restore (consume).
 */
#ifndef _XE_SRIOV_SIM_STREAM_H_
#define _XE_SRIOV_SIM_STREAM_H_

#include <linux/types.h>

struct xe_sriov_sim_vf;

/* xe's XE_GT_SRIOV_PF_MIGRATION_RING_SIZE: packets produced ahead. */
#define XE_SRIOV_SIM_SAVE_RING_SIZE	5

/* xe_sriov_sim_stream_save.c */
int xe_sriov_sim_save_start(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_save_end(struct xe_sriov_sim_vf *vf);
ssize_t xe_sriov_sim_save_read(struct xe_sriov_sim_vf *vf, char __user *buf,
			       size_t len);
u64 xe_sriov_sim_migration_size(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_save_rewind(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_save_drop(struct xe_sriov_sim_vf *vf, u8 type);

/* xe_sriov_sim_stream_restore.c */
int xe_sriov_sim_restore_start(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_restore_end(struct xe_sriov_sim_vf *vf);
ssize_t xe_sriov_sim_restore_write(struct xe_sriov_sim_vf *vf,
				   const char __user *buf, size_t len);

#endif /* _XE_SRIOV_SIM_STREAM_H_ */
