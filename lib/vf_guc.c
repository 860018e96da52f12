// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * GuC MMIO mailbox, as xe_guc_mmio_send_recv(): write the request to the
 * GT's VF_SW_FLAG(0..n-1), read the last flag back (posting), write
 * GUC_HOST_INTERRUPT, then read the reply from the same registers; the
 * GuC has answered when VF_SW_FLAG(0) has ORIGIN=GUC. HXG dword 0 of a
 * request is ORIGIN=HOST, TYPE=REQUEST, DATA0 27:16, ACTION 15:0.
 */
#include <errno.h>

#include "uapi/xe_sriov_sim_regs.h"
#include "vf_guc.h"
#include "vf_io.h"

#define NFLAGS XE_SRIOV_SIM_VF_SW_FLAG_COUNT

static uint32_t request(uint16_t action, uint16_t data0)
{
	return (XE_SRIOV_SIM_HXG_ORIGIN_HOST << XE_SRIOV_SIM_HXG_ORIGIN_SHIFT) |
	       (XE_SRIOV_SIM_HXG_TYPE_REQUEST << XE_SRIOV_SIM_HXG_TYPE_SHIFT) |
	       (((uint32_t)data0 << XE_SRIOV_SIM_HXG_DATA0_SHIFT) &
		XE_SRIOV_SIM_HXG_DATA0_MASK) | action;
}

int vf_guc_send_io(const struct vf_io *io, unsigned int gt, const uint32_t *req, int n,
		   uint32_t *reply, uint32_t *guc_error)
{
	uint32_t r[NFLAGS] = { 0 }, type, posting;
	int err = 0;

	if (n < 1 || n > NFLAGS || gt >= VF_GUC_NUM_GTS)
		return -EINVAL;
	for (int i = 0; i < n && !err; i++)
		err = vf_io_write32(io, XE_SRIOV_SIM_GT_SW_FLAG(gt, i), req[i]);
	err = err ?: vf_io_read32(io, XE_SRIOV_SIM_GT_SW_FLAG(gt, NFLAGS - 1),
				     &posting);
	err = err ?: vf_io_write32(io, XE_SRIOV_SIM_GT_GUC_HOST_INTERRUPT(gt), 0);
	for (int i = 0; i < NFLAGS && !err; i++)
		err = vf_io_read32(io, XE_SRIOV_SIM_GT_SW_FLAG(gt, i), &r[i]);
	if (err)
		return err;
	/* No reply yet: the GuC holds requests of a paused VF. */
	if (r[0] >> XE_SRIOV_SIM_HXG_ORIGIN_SHIFT != XE_SRIOV_SIM_HXG_ORIGIN_GUC)
		return -EBUSY;
	if (reply)
		for (int i = 0; i < NFLAGS; i++)
			reply[i] = r[i];
	type = (r[0] & XE_SRIOV_SIM_HXG_TYPE_MASK) >> XE_SRIOV_SIM_HXG_TYPE_SHIFT;
	if (type == XE_SRIOV_SIM_HXG_TYPE_RESPONSE_SUCCESS)
		return r[0] & XE_SRIOV_SIM_HXG_RESP_DATA0_MASK;
	if (type != XE_SRIOV_SIM_HXG_TYPE_RESPONSE_FAILURE)
		return -EPROTO;
	if (guc_error)
		*guc_error = r[0] & XE_SRIOV_SIM_HXG_FAIL_ERROR_MASK;
	/* xe maps VF_MIGRATED to -EREMCHG and restarts its recovery. */
	if ((r[0] & XE_SRIOV_SIM_HXG_FAIL_ERROR_MASK) == XE_SRIOV_SIM_GUC_ERR_VF_MIGRATED)
		return -EREMCHG;
	return -EIO;
}

int vf_guc_match_version_io(const struct vf_io *io, unsigned int gt, uint32_t *version)
{
	uint32_t req[2] = { request(XE_SRIOV_SIM_VF2GUC_MATCH_VERSION, 0), 0 };
	uint32_t reply[NFLAGS];
	int ret = vf_guc_send_io(io, gt, req, 2, reply, NULL);

	if (ret < 0)
		return ret;
	*version = reply[1];
	return 0;
}

int vf_guc_query_klv_io(const struct vf_io *io, unsigned int gt, uint16_t key, uint64_t *value)
{
	uint32_t req[2] = { request(XE_SRIOV_SIM_VF2GUC_QUERY_SINGLE_KLV, 0), key };
	uint32_t reply[NFLAGS];
	int len = vf_guc_send_io(io, gt, req, 2, reply, NULL);

	if (len < 0)
		return len;
	len &= XE_SRIOV_SIM_KLV_QUERY_LEN_MASK;
	if (len < 1 || len > 2)
		return -EPROTO;
	*value = reply[1] | (len == 2 ? (uint64_t)reply[2] << 32 : 0);
	return 0;
}

int vf_guc_query_config_io(const struct vf_io *io, unsigned int gt, struct vf_guc_config *cfg)
{
	uint64_t ctxs = 0, dbs = 0;
	int err;

	cfg->lmem_size = 0;
	err = vf_guc_query_klv_io(io, gt, XE_SRIOV_SIM_KLV_VF_CFG_GGTT_START, &cfg->ggtt_start);
	err = err ?: vf_guc_query_klv_io(io, gt, XE_SRIOV_SIM_KLV_VF_CFG_GGTT_SIZE,
				      &cfg->ggtt_size);
	if (!err && gt == XE_SRIOV_SIM_GT_PRIMARY)
		err = vf_guc_query_klv_io(io, gt, XE_SRIOV_SIM_KLV_VF_CFG_LMEM_SIZE,
				       &cfg->lmem_size);
	err = err ?: vf_guc_query_klv_io(io, gt, XE_SRIOV_SIM_KLV_VF_CFG_NUM_CONTEXTS, &ctxs);
	err = err ?: vf_guc_query_klv_io(io, gt, XE_SRIOV_SIM_KLV_VF_CFG_NUM_DOORBELLS, &dbs);
	cfg->num_ctxs = ctxs;
	cfg->num_dbs = dbs;
	return err;
}

static int resfix(const struct vf_io *io, unsigned int gt, uint16_t action, uint16_t marker)
{
	uint32_t req = request(action, marker);
	int ret = vf_guc_send_io(io, gt, &req, 1, NULL, NULL);

	return ret < 0 ? ret : 0;
}

int vf_guc_resfix_start_io(const struct vf_io *io, unsigned int gt, uint16_t marker)
{
	return resfix(io, gt, XE_SRIOV_SIM_VF2GUC_RESFIX_START, marker);
}

int vf_guc_resfix_done_io(const struct vf_io *io, unsigned int gt, uint16_t marker)
{
	return resfix(io, gt, XE_SRIOV_SIM_VF2GUC_RESFIX_DONE, marker);
}

/* The same over VFIO: the test process owns the VF. */
int vf_guc_send(struct vfio_dev *dev, unsigned int gt, const uint32_t *req, int n,
		uint32_t *reply, uint32_t *guc_error)
{
	struct vf_io io = vf_io_vfio(dev, -1);

	return vf_guc_send_io(&io, gt, req, n, reply, guc_error);
}

int vf_guc_match_version(struct vfio_dev *dev, unsigned int gt, uint32_t *version)
{
	struct vf_io io = vf_io_vfio(dev, -1);

	return vf_guc_match_version_io(&io, gt, version);
}

int vf_guc_query_klv(struct vfio_dev *dev, unsigned int gt, uint16_t key, uint64_t *value)
{
	struct vf_io io = vf_io_vfio(dev, -1);

	return vf_guc_query_klv_io(&io, gt, key, value);
}

int vf_guc_query_config(struct vfio_dev *dev, unsigned int gt, struct vf_guc_config *cfg)
{
	struct vf_io io = vf_io_vfio(dev, -1);

	return vf_guc_query_config_io(&io, gt, cfg);
}

int vf_guc_resfix_start(struct vfio_dev *dev, unsigned int gt, uint16_t marker)
{
	struct vf_io io = vf_io_vfio(dev, -1);

	return vf_guc_resfix_start_io(&io, gt, marker);
}

int vf_guc_resfix_done(struct vfio_dev *dev, unsigned int gt, uint16_t marker)
{
	struct vf_io io = vf_io_vfio(dev, -1);

	return vf_guc_resfix_done_io(&io, gt, marker);
}

int vf_guc_recover(struct vfio_dev *dev, uint16_t marker, struct vf_guc_config *cfg)
{
	struct vf_guc_config media;
	int err = 0;

	for (unsigned int gt = 0; gt < VF_GUC_NUM_GTS && !err; gt++)
		err = vf_guc_resfix_start(dev, gt, marker);
	err = err ?: vf_guc_query_config(dev, VF_GUC_GT_PRIMARY, cfg);
	err = err ?: vf_guc_query_config(dev, VF_GUC_GT_MEDIA, &media);
	if (!err && media.ggtt_start != cfg->ggtt_start)
		err = -EXDEV;
	for (unsigned int gt = 0; gt < VF_GUC_NUM_GTS && !err; gt++)
		err = vf_guc_resfix_done(dev, gt, marker);
	return err;
}
