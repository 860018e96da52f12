/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The VF side of the GuC MMIO mailbox, as xe's VF driver uses it
 * (xe_gt_sriov_vf.c): QUERY_SINGLE_KLV for the VF's configuration,
 * RESFIX_START/RESFIX_DONE around post-migration fixups. Register layout
 * and message format: uapi/xe_sriov_sim_regs.h.
 */
#ifndef XEMIG_VF_GUC_H
#define XEMIG_VF_GUC_H

#include <stdint.h>

#include "vfio_dev.h"

/* What the VF learns about itself (the VF_CFG_* KLVs). */
struct vf_guc_config {
	uint64_t ggtt_start;
	uint64_t ggtt_size;
	uint64_t lmem_size;
	uint32_t num_ctxs;
};

/*
 * Send request dwords (1..4) and get the reply. Returns the reply's
 * DATA0 (>= 0) on success, -EREMCHG for GuC's VF_MIGRATED answer, -EIO
 * for another GuC error (*guc_error gets its code when not NULL),
 * -EBUSY when the request stays pending (a paused VF), or -errno.
 */
int vf_guc_send(struct vfio_dev *dev, const uint32_t *req, int n, uint32_t *reply,
		uint32_t *guc_error);

int vf_guc_query_klv(struct vfio_dev *dev, uint16_t key, uint64_t *value);
int vf_guc_query_config(struct vfio_dev *dev, struct vf_guc_config *cfg);
int vf_guc_resfix_start(struct vfio_dev *dev, uint16_t marker);
int vf_guc_resfix_done(struct vfio_dev *dev, uint16_t marker);

#endif
