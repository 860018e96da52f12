/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * VFIO live migration of a VF: the migration ops and the data files.
 */
#ifndef _XE_SRIOV_SIM_MIGRATION_H_
#define _XE_SRIOV_SIM_MIGRATION_H_

#include <linux/types.h>

struct seq_file;
struct xe_sriov_sim_vf;

void xe_sriov_sim_migration_init(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_migration_fini(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_migration_reset(struct xe_sriov_sim_vf *vf, bool ioctl);
void xe_sriov_sim_migration_print(struct xe_sriov_sim_vf *vf,
				  struct seq_file *m);

#endif /* _XE_SRIOV_SIM_MIGRATION_H_ */
