// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: restoring the migration stream
 *
 * Writes may split the stream anywhere. Each packet is checked as xe's
 * restore checks it (xe_sriov_packet.c, xe_sriov_pf_migration.c,
 * xe_gt_sriov_pf_migration.c), as soon as its header is complete where
 * the header says enough, else when its payload is complete:
 *
 * - version other than 1: -EINVAL; type 0: -EINVAL.
 * - DESCRIPTOR: tile/GT not 0, size not a multiple of 4 or a truncated
 *   KLV: -EINVAL; device or revision id other than the target PF's:
 *   -ENODEV. Unknown keys are skipped.
 * - GUC, GGTT, MMIO, VRAM and unknown types: tile or GT not 0: -EINVAL.
 * - GGTT: size other than the target slice's PTE bytes: -EINVAL. The PTEs
 *   get the target's VF id.
 * - MMIO: size other than 16: -EINVAL.
 * - VRAM: on an igfx target, which has no LMEM object: -ENXIO (xe finds
 *   no LMEM object). Else offset + size past the target's LMEM object (the
 *   LMEM, lmem_size bytes; the CCS is no part of it) or overflowing:
 *   -EINVAL. Both are logged (notice) with the VF, as xe logs "Failed to
 *   restore VF%u VRAM data". Chunks are written straight into LMEM,
 *   uncompressed: the CCS of every block they touch becomes 0.
 * - GUC: not a version 1 or 2 sim GuC state, or a bad engine section:
 *   -EINVAL (see the GuC and engine DOCs).
 * - TRAILER: tile, GT, offset or size not 0: -EINVAL. It completes the
 *   restore (RESTORE_DATA_DONE).
 * - types 7 and up are skipped, for forward compatibility, as xe does.
 *
 * Stricter than xe, where xe would allocate without bound or corrupt its
 * state: a DESCRIPTOR over 4 KiB and a GUC payload over
 * XE_SRIOV_SIM_GUC_STATE_MAX_SIZE are -EINVAL, and so is any byte after
 * the trailer (xe ignores a second trailer and marks a mismatch).
 *
 * The first error fails the restore (RESTORE_FAILED) and is returned by
 * the write that completed the bad header or payload (xe returns it, or
 * -EIO, a write later: its worker checks packets asynchronously). Every
 * later write fails with -EIO; finishing the restore then fails with -EIO.
 * A missing trailer is noticed by finishing, which times out like xe's.
 * Nothing in a stream can do more than fail the restore: the VF stays
 * recoverable by an FLR.
 */

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <uapi/xe_sriov_packet.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_fault.h"
#include "xe_sriov_sim_ggtt.h"
#include "xe_sriov_sim_guc.h"
#include "xe_sriov_sim_lmem.h"
#include "xe_sriov_sim_mmio.h"
#include "xe_sriov_sim_stream.h"

#define HDR_SIZE		sizeof(struct xe_sriov_packet_hdr)
#define DESC_MAX_SIZE		4096

/**
 * struct xe_sriov_sim_restore - a restore session
 * @hdr: the header being received, then the current packet's
 * @hdr_filled: header bytes received
 * @done: payload bytes of the current packet received
 * @buf: payload of the current packet, except VRAM and skipped types
 * @trailer: the trailer was received
 */
struct xe_sriov_sim_restore {
	struct xe_sriov_packet_hdr hdr;
	unsigned int hdr_filled;
	u64 done;
	void *buf;
	bool trailer;
};

/**
 * xe_sriov_sim_restore_start() - start consuming a stream into a VF
 * @vf: the VF; the caller holds its state_lock
 *
 * Return: 0 or -ENOMEM.
 */
int xe_sriov_sim_restore_start(struct xe_sriov_sim_vf *vf)
{
	vf->restore = kzalloc(sizeof(*vf->restore), GFP_KERNEL);
	return vf->restore ? 0 : -ENOMEM;
}

/**
 * xe_sriov_sim_restore_end() - drop the restore session
 * @vf: the VF; the caller holds its state_lock
 */
void xe_sriov_sim_restore_end(struct xe_sriov_sim_vf *vf)
{
	if (!vf->restore)
		return;
	kvfree(vf->restore->buf);
	kfree(vf->restore);
	vf->restore = NULL;
}

static bool skipped_type(u8 type)
{
	return type > XE_SRIOV_PACKET_TYPE_VRAM;
}

/*
 * A VRAM chunk's place in the target's LMEM object, as xe's
 * pf_restore_vf_vram_mig_data() checks it: -ENXIO without an object (igfx),
 * -EINVAL past its end (a chunk at or past lmem_size, where the sim's CCS
 * tail used to travel, is one), both logged.
 */
static int check_vram(struct xe_sriov_sim_vf *vf,
		      const struct xe_sriov_packet_hdr *h)
{
	u64 obj = xe_sriov_sim_lmem_obj_size(vf), end;
	int ret = 0;

	if (!obj)
		ret = -ENXIO;
	else if (check_add_overflow(h->offset, h->size, &end) || end > obj)
		ret = -EINVAL;
	/* Fault bounds-lax: write_payload() clamps instead. */
	if (!ret || xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_BOUNDS_LAX))
		return 0;
	dev_notice_ratelimited(&vf->mdev->dev,
			       "VF%u: failed to restore VRAM data [%#llx, +%#llx) into a %#llx byte LMEM object (%pe)\n",
			       vf->id, h->offset, h->size, obj, ERR_PTR(ret));
	return ret;
}

static int begin_packet(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_restore *r = vf->restore;
	const struct xe_sriov_packet_hdr *h = &r->hdr;

	/* Fault trailer-lax: packets after the trailer are taken. */
	if (r->trailer && !xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_TRAILER_LAX))
		return -EINVAL;
	if (h->version != XE_SRIOV_PACKET_VERSION || !h->type)
		return -EINVAL;

	switch (h->type) {
	case XE_SRIOV_PACKET_TYPE_DESCRIPTOR:
		if (h->tile_id || h->gt_id || h->size % 4 ||
		    h->size > DESC_MAX_SIZE)
			return -EINVAL;
		break;
	case XE_SRIOV_PACKET_TYPE_TRAILER:
		if (h->tile_id || h->gt_id || h->offset || h->size)
			return -EINVAL;
		return 0;
	default:
		if (h->tile_id || h->gt_id)
			return -EINVAL;
		break;
	}

	switch (h->type) {
	case XE_SRIOV_PACKET_TYPE_GUC:
		if (h->size < sizeof(struct xe_sriov_sim_guc_state) ||
		    h->size > XE_SRIOV_SIM_GUC_STATE_MAX_SIZE)
			return -EINVAL;
		break;
	case XE_SRIOV_PACKET_TYPE_GGTT:
		if (h->size != xe_sriov_sim_ggtt_save_size(vf))
			return -EINVAL;
		break;
	case XE_SRIOV_PACKET_TYPE_MMIO:
		if (h->size != XE_SRIOV_MMIO_PAYLOAD_SIZE)
			return -EINVAL;
		break;
	case XE_SRIOV_PACKET_TYPE_VRAM:
		return check_vram(vf, h);
	default:
		if (skipped_type(h->type)) {
			dev_dbg_ratelimited(&vf->mdev->dev,
					    "VF%u: skipping packet type %u\n",
					    vf->id, h->type);
			return 0;
		}
		break;
	}

	if (h->size) {
		r->buf = kvzalloc(h->size, GFP_KERNEL);
		if (!r->buf)
			return -ENOMEM;
	}
	return 0;
}

static int process_descriptor(struct xe_sriov_sim_vf *vf, const __le32 *klv,
			      size_t dwords)
{
	/* Fault devid-lax: another device's stream is taken. */
	bool lax = xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_DEVID_LAX);
	size_t i = 0;

	while (i < dwords) {
		u32 key = XE_SRIOV_KLV_KEY(le32_to_cpu(klv[i]));
		u32 len = XE_SRIOV_KLV_LEN(le32_to_cpu(klv[i]));

		i++;
		if (len > dwords - i)
			return -EINVAL;
		if (key == XE_SRIOV_MIGRATION_KLV_DEVID && len == 1 &&
		    le32_to_cpu(klv[i]) != vf->pf->device_id && !lax)
			return -ENODEV;
		if (key == XE_SRIOV_MIGRATION_KLV_REVID && len == 1 &&
		    le32_to_cpu(klv[i]) != vf->pf->revision_id && !lax)
			return -ENODEV;
		i += len;
	}
	return 0;
}

static int end_packet(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_restore *r = vf->restore;
	int ret = 0;

	switch (r->hdr.type) {
	case XE_SRIOV_PACKET_TYPE_DESCRIPTOR:
		ret = process_descriptor(vf, r->buf, r->hdr.size / 4);
		break;
	case XE_SRIOV_PACKET_TYPE_TRAILER:
		r->trailer = true;
		set_bit(XE_SRIOV_SIM_RESTORE_DATA_DONE, &vf->ctl);
		wake_up_all(&vf->ctl_wq);
		break;
	case XE_SRIOV_PACKET_TYPE_GUC:
		ret = xe_sriov_sim_guc_restore(vf, r->buf, r->hdr.size);
		break;
	case XE_SRIOV_PACKET_TYPE_GGTT:
		xe_sriov_sim_ggtt_restore(vf, r->buf);
		break;
	case XE_SRIOV_PACKET_TYPE_MMIO:
		/* Fault mmio-skip: VF_SW_FLAG keeps what it had. */
		if (!xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_MMIO_SKIP))
			xe_sriov_sim_mmio_restore(vf, r->buf);
		break;
	default:
		break;
	}

	kvfree(r->buf);
	r->buf = NULL;
	r->hdr_filled = 0;
	r->done = 0;
	return ret;
}

/*
 * Where the next payload bytes of a VRAM chunk go, and how many of @n fit
 * in the LMEM object: all of them, unless fault bounds-lax let an
 * out-of-bounds chunk in; the rest is dropped.
 */
static void *vram_dst(struct xe_sriov_sim_vf *vf, size_t *n)
{
	struct xe_sriov_sim_restore *r = vf->restore;
	u64 obj = xe_sriov_sim_lmem_obj_size(vf);

	if (r->hdr.offset >= obj || r->done >= obj - r->hdr.offset) {
		*n = 0;
		return NULL;
	}
	*n = min_t(u64, *n, obj - r->hdr.offset - r->done);
	return vf->lmem + r->hdr.offset + r->done;
}

static ssize_t write_payload(struct xe_sriov_sim_vf *vf,
			     const char __user *ubuf, size_t len)
{
	struct xe_sriov_sim_restore *r = vf->restore;
	size_t n = min_t(u64, r->hdr.size - r->done, len);
	size_t copy = n;
	void *dst = NULL;

	if (r->hdr.type == XE_SRIOV_PACKET_TYPE_VRAM)
		dst = vram_dst(vf, &copy);
	else if (!skipped_type(r->hdr.type))
		dst = r->buf + r->done;

	if (dst && copy_from_user(dst, ubuf, copy))
		return -EFAULT;
	/* Written through an uncompressed PAT: those blocks are plain now. */
	if (r->hdr.type == XE_SRIOV_PACKET_TYPE_VRAM && dst)
		xe_sriov_sim_lmem_ccs_clear(vf, dst - vf->lmem, copy);
	r->done += n;
	return n;
}

/**
 * xe_sriov_sim_restore_write() - consume stream bytes
 * @vf: the VF
 * @buf: user buffer
 * @len: bytes
 *
 * Return: @len, -EIO once the restore has failed, -EINVAL without a
 * restore session, or the error that failed the restore now.
 */
ssize_t xe_sriov_sim_restore_write(struct xe_sriov_sim_vf *vf,
				   const char __user *buf, size_t len)
{
	struct xe_sriov_sim_restore *r;
	size_t done = 0;
	ssize_t ret;

	mutex_lock(&vf->state_lock);
	r = vf->restore;
	if (test_bit(XE_SRIOV_SIM_RESTORE_FAILED, &vf->ctl)) {
		ret = -EIO;
		goto out;
	}
	if (!r) {
		ret = -EINVAL;
		goto out;
	}

	while (done < len) {
		if (r->hdr_filled < HDR_SIZE) {
			size_t n = min(HDR_SIZE - r->hdr_filled, len - done);

			if (copy_from_user((u8 *)&r->hdr + r->hdr_filled,
					   buf + done, n)) {
				ret = -EFAULT;
				goto out;
			}
			r->hdr_filled += n;
			done += n;
			/* Fault write-seg: the first part of a split header is lost. */
			if (r->hdr_filled < HDR_SIZE &&
			    xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_WRITE_SEG))
				r->hdr_filled = 0;
			if (r->hdr_filled < HDR_SIZE)
				break;
			ret = begin_packet(vf);
			if (ret)
				goto fail;
		} else {
			ret = write_payload(vf, buf + done, len - done);
			if (ret < 0)
				goto out;
			done += ret;
		}
		if (r->done == r->hdr.size) {
			ret = end_packet(vf);
			if (ret)
				goto fail;
		}
	}
	ret = done;
	goto out;

fail:
	set_bit(XE_SRIOV_SIM_RESTORE_FAILED, &vf->ctl);
	wake_up_all(&vf->ctl_wq);
	dev_dbg_ratelimited(&vf->mdev->dev,
			    "VF%u: restore failed at packet type %u (%zd)\n",
			    vf->id, r->hdr.type, ret);
out:
	mutex_unlock(&vf->state_lock);
	return ret;
}
