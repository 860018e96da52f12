/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The VF side of each GT's GuC MMIO mailbox, as xe's VF driver uses it
 * (xe_guc.c xe_guc_mmio_send_recv(), xe_gt_sriov_vf.c): the request goes
 * into the GT's VF_SW_FLAG(0..3) (MED_VF_SW_FLAG on the media GT), a write
 * to GUC_HOST_INTERRUPT (MED_GUC_HOST_INTERRUPT) notifies its GuC, the
 * reply comes back in the same registers. MATCH_VERSION, QUERY_SINGLE_KLV
 * for the VF's configuration, RESFIX_START/RESFIX_DONE around
 * post-migration fixups. Register layout and message format:
 * uapi/xe_sriov_sim_regs.h.
 */
#ifndef XEMIG_VF_GUC_H
#define XEMIG_VF_GUC_H

#include <stdint.h>

#include "vfio_dev.h"

/* GTs of a VF: 0 primary (engine, GGTT, LMEM), 1 media. */
#define VF_GUC_NUM_GTS	2
#define VF_GUC_GT_PRIMARY	0
#define VF_GUC_GT_MEDIA		1

/* What the VF learns about itself on one GT (the VF_CFG_* KLVs). */
struct vf_guc_config {
	uint64_t ggtt_start;
	uint64_t ggtt_size;
	uint64_t lmem_size;	/* asked on the primary GT only, as xe; else 0 */
	uint32_t num_ctxs;
	uint32_t num_dbs;
};

/*
 * Send request dwords (1..4) to GT gt's GuC and get the reply. Returns the
 * reply's DATA0 (>= 0) on success, -EREMCHG for GuC's VF_MIGRATED answer,
 * -EIO for another GuC error (*guc_error gets its code when not NULL),
 * -EBUSY when the request stays unanswered (a paused VF: VF_SW_FLAG(0)
 * still holds the request), -EPROTO for a malformed reply, or -errno.
 */
int vf_guc_send(struct vfio_dev *dev, unsigned int gt, const uint32_t *req, int n,
		uint32_t *reply, uint32_t *guc_error);

/* VF2GUC_MATCH_VERSION with "any": *version = branch.major.minor.patch. */
int vf_guc_match_version(struct vfio_dev *dev, unsigned int gt, uint32_t *version);
int vf_guc_query_klv(struct vfio_dev *dev, unsigned int gt, uint16_t key, uint64_t *value);
/* The KLVs xe's xe_gt_sriov_vf_query_config() asks of GT gt. */
int vf_guc_query_config(struct vfio_dev *dev, unsigned int gt, struct vf_guc_config *cfg);
/* marker: 1..4095 (12 bits); a larger one is sent masked, as a 12-bit field. */
int vf_guc_resfix_start(struct vfio_dev *dev, unsigned int gt, uint16_t marker);
int vf_guc_resfix_done(struct vfio_dev *dev, unsigned int gt, uint16_t marker);

/*
 * A migrated VF's recovery as xe's VF driver does it, on every GT:
 * RESFIX_START with @marker, the configuration queried again (into *cfg,
 * the primary GT's; the media GT must report the same GGTT start), then
 * RESFIX_DONE. 0, -EXDEV when the GTs disagree, or the mailbox's -errno.
 */
int vf_guc_recover(struct vfio_dev *dev, uint16_t marker, struct vf_guc_config *cfg);

/* The same through any transport (vf_io.h): what the VF driver model uses. */
struct vf_io;
int vf_guc_send_io(const struct vf_io *io, unsigned int gt, const uint32_t *req, int n,
		   uint32_t *reply, uint32_t *guc_error);
int vf_guc_match_version_io(const struct vf_io *io, unsigned int gt, uint32_t *version);
int vf_guc_query_klv_io(const struct vf_io *io, unsigned int gt, uint16_t key,
			uint64_t *value);
int vf_guc_query_config_io(const struct vf_io *io, unsigned int gt, struct vf_guc_config *cfg);
int vf_guc_resfix_start_io(const struct vf_io *io, unsigned int gt, uint16_t marker);
int vf_guc_resfix_done_io(const struct vf_io *io, unsigned int gt, uint16_t marker);

/* The RESFIX marker after last: 1..4095, wrapping from 4095 to 1. */
static inline uint16_t vf_guc_next_marker(uint16_t last)
{
	return last >= 0xfff ? 1 : last + 1;
}

#endif
