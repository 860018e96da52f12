// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: restoring the migration stream
 *
 * Writes may split the stream anywhere. Packets are taken as xe takes them
 * (xe_sriov_packet.c, xe_sriov_pf_migration.c, xe_gt_sriov_pf_migration.c,
 * xe_gt_sriov_pf_control.c), and their errors surface where xe's do.
 *
 * Refused by the write that carries them (the write fails, nothing else
 * changes, as in xe; the next byte starts a new packet):
 *
 * - a complete header: version other than 1 (xe_sriov_packet_init_from_hdr)
 *   or a GT the VF does not have, gt_id 2 and up (pkt_init): -EINVAL; a payload over INT_MAX
 *   bytes, which xe cannot allocate: -ENOMEM;
 * - a complete DESCRIPTOR (xe_sriov_packet_process_descriptor): tile/GT
 *   not 0, size not a multiple of 4 or a truncated KLV: -EINVAL; a
 *   device or revision id KLV whose first value dword is not the target
 *   PF's, whatever the KLV's length: -ENODEV (with a length of 0 that is
 *   the next KLV's first dword, as in xe; a devid/revid key of length 0
 *   that ends the payload, where xe reads past its buffer: -EINVAL).
 *   Unknown keys are skipped. Stricter than xe: over 4 KiB, -EINVAL;
 * - a complete TRAILER with tile, GT, offset or size not 0: -EINVAL;
 * - a complete packet of type 0 or another tile: -EINVAL;
 * - a complete GT packet (GUC, GGTT, MMIO, VRAM, types 7 and up) once the
 *   restore has failed: -EIO (xe_gt_sriov_pf_migration_restore_produce).
 *
 * A GT packet is consumed when it is complete, as xe's worker consumes it
 * from the ring; its errors are logged with their errno and fail the
 * restore (RESTORE_FAILED ends the restore at once), but the write that
 * carried it succeeds: a GGTT size other than the target slice's, an MMIO
 * size other than 16, a GUC blob the GuC model refuses (or one too large
 * for it), a VRAM chunk past the target's LMEM object or overflowing. The
 * next GT packet's write, and finishing the restore, then fail with -EIO.
 * GGTT and VRAM on the media GT, which has neither, fail the same way; a
 * VRAM chunk for an igfx VF, which has no LMEM object, fails with -ENXIO.
 * The LMEM object is the LMEM, lmem_size bytes: the flat CCS is no part of
 * it, and VRAM chunks are written into it uncompressed (the CCS of every
 * block they touch becomes 0).
 * GUC and MMIO go to the GT of their gt_id (VF_SW_FLAG(0..3) of that GT).
 * PTEs get the target's VF id; VRAM chunks go straight into the target's
 * object. Types 7 and up are skipped (logged), as xe does.
 *
 * The trailer completes the restore (RESTORE_DATA_DONE). What comes after
 * it is taken as xe takes it once its worker has seen the trailer: the
 * checks above still apply, a second trailer is accepted, and GT packets
 * are accepted and never applied.
 *
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
#include "xe_sriov_sim_control.h"
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
 * @buf: payload of the current packet when it is kept (DESCRIPTOR, and
 *	GUC, GGTT and MMIO packets that will be applied), else NULL
 * @vram: the current packet is a VRAM chunk written into the LMEM object
 *	as it arrives
 */
struct xe_sriov_sim_restore {
	struct xe_sriov_packet_hdr hdr;
	unsigned int hdr_filled;
	u64 done;
	void *buf;
	bool vram;
};

/**
 * xe_sriov_sim_restore_start() - start consuming a stream into a VF
 * @vf: the VF; the caller holds its state_lock
 *
 * Return: 0 or -ENOMEM.
 */
int xe_sriov_sim_restore_start(struct xe_sriov_sim_vf *vf)
{
	lockdep_assert_held(&vf->state_lock);
	xe_sriov_sim_restore_end(vf);
	vf->restore = kzalloc(sizeof(*vf->restore), GFP_KERNEL);
	return vf->restore ? 0 : -ENOMEM;
}

/**
 * xe_sriov_sim_restore_end() - drop the restore session
 * @vf: the VF; the caller holds its state_lock
 */
void xe_sriov_sim_restore_end(struct xe_sriov_sim_vf *vf)
{
	lockdep_assert_held(&vf->state_lock);
	if (!vf->restore)
		return;
	kvfree(vf->restore->buf);
	kfree(vf->restore);
	vf->restore = NULL;
}

/* The packet's GT exists (xe: xe_device_get_gt() in pkt_init()). */
static bool gt_exists(u8 gt_id)
{
	return gt_id < XE_SRIOV_SIM_NUM_GTS;
}

/* GGTT and VRAM belong to the primary GT; the media GT has neither. */
static bool gt_has_type(u8 gt_id, u8 type)
{
	return gt_id == XE_SRIOV_SIM_GT_PRIMARY ||
	       (type != XE_SRIOV_PACKET_TYPE_GGTT &&
		type != XE_SRIOV_PACKET_TYPE_VRAM);
}

/* The tile the packet's GT belongs to (xe: gt->tile->id). */
static u8 gt_tile(u8 gt_id)
{
	return 0;
}

static bool gt_packet(u8 type)
{
	return type != XE_SRIOV_PACKET_TYPE_DESCRIPTOR &&
	       type != XE_SRIOV_PACKET_TYPE_TRAILER;
}

/* GT packets are applied while the restore takes data, as xe's worker. */
static bool applying(struct xe_sriov_sim_vf *vf)
{
	return test_bit(XE_SRIOV_SIM_RESTORE_WIP, &vf->ctl) &&
	       !test_bit(XE_SRIOV_SIM_RESTORE_DATA_DONE, &vf->ctl) &&
	       !test_bit(XE_SRIOV_SIM_RESTORE_FAILED, &vf->ctl);
}

static bool vram_in_bounds(struct xe_sriov_sim_vf *vf,
			   const struct xe_sriov_packet_hdr *h)
{
	u64 end;

	return !check_add_overflow(h->offset, h->size, &end) &&
	       end <= xe_sriov_sim_lmem_obj_size(vf);
}

/* Whether the payload of the packet in @h is kept for end_packet(). */
static bool keep_payload(struct xe_sriov_sim_vf *vf,
			 const struct xe_sriov_packet_hdr *h)
{
	switch (h->type) {
	case XE_SRIOV_PACKET_TYPE_DESCRIPTOR:
		return true;
	case XE_SRIOV_PACKET_TYPE_GUC:
		return h->size <= XE_SRIOV_SIM_GUC_STATE_MAX_SIZE;
	case XE_SRIOV_PACKET_TYPE_GGTT:
		return h->size == xe_sriov_sim_ggtt_save_size(vf);
	case XE_SRIOV_PACKET_TYPE_MMIO:
		return h->size == XE_SRIOV_MMIO_PAYLOAD_SIZE;
	default:
		return false;
	}
}

/*
 * A header is complete: xe_sriov_packet_init_from_hdr() and pkt_init().
 * Decides where the payload goes: kept, into LMEM, or dropped.
 */
static int begin_packet(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_restore *r = vf->restore;
	const struct xe_sriov_packet_hdr *h = &r->hdr;
	bool apply = gt_packet(h->type) && applying(vf);

	if (h->version != XE_SRIOV_PACKET_VERSION || !gt_exists(h->gt_id))
		return -EINVAL;
	if (h->size > INT_MAX)
		return -ENOMEM;
	if (h->type == XE_SRIOV_PACKET_TYPE_DESCRIPTOR &&
	    h->size > DESC_MAX_SIZE)
		return -EINVAL;

	/* Fault bounds-lax: an out-of-bounds chunk is clamped, not refused. */
	r->vram = apply && h->type == XE_SRIOV_PACKET_TYPE_VRAM &&
		  gt_has_type(h->gt_id, h->type) &&
		  (vram_in_bounds(vf, h) ||
		   xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_BOUNDS_LAX));
	if (h->size && (apply || !gt_packet(h->type)) &&
	    gt_has_type(h->gt_id, h->type) && keep_payload(vf, h)) {
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
		const char *what;
		u32 want;

		i++;
		if (len > dwords - i)
			return -EINVAL;
		if (key == XE_SRIOV_MIGRATION_KLV_DEVID) {
			what = "devid";
			want = vf->pf->device_id;
		} else if (key == XE_SRIOV_MIGRATION_KLV_REVID) {
			what = "revid";
			want = vf->pf->revision_id;
		} else {
			i += len;
			continue;
		}
		/*
		 * xe checks the dword after the key whatever the length; with
		 * a length of 0 at the payload's end that is past its buffer.
		 */
		if (i >= dwords)
			return -EINVAL;
		if (le32_to_cpu(klv[i]) != want && !lax) {
			dev_warn_ratelimited(&vf->mdev->dev,
					     "VF%u: Aborting migration, %s mismatch %#06x!=%#06x\n",
					     vf->id, what, le32_to_cpu(klv[i]), want);
			return -ENODEV;
		}
		i += len;
	}
	return 0;
}

static const char *gt_packet_name(u8 type)
{
	switch (type) {
	case XE_SRIOV_PACKET_TYPE_GUC:
		return "GuC";
	case XE_SRIOV_PACKET_TYPE_GGTT:
		return "GGTT";
	case XE_SRIOV_PACKET_TYPE_MMIO:
		return "MMIO";
	default:
		return "VRAM";
	}
}

/* xe_gt_sriov_pf_control.c: pf_handle_vf_restore_data(), one packet. */
static int apply_gt_packet(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_restore *r = vf->restore;
	const struct xe_sriov_packet_hdr *h = &r->hdr;

	switch (h->type) {
	case XE_SRIOV_PACKET_TYPE_GUC:
		if (!r->buf)
			return h->size ? -ENOBUFS : -ENODATA;
		return xe_sriov_sim_guc_restore(vf, h->gt_id, r->buf, h->size);
	case XE_SRIOV_PACKET_TYPE_GGTT:
		if (!r->buf)
			return -EINVAL;
		xe_sriov_sim_ggtt_restore(vf, r->buf);
		return 0;
	case XE_SRIOV_PACKET_TYPE_MMIO:
		if (!r->buf)
			return -EINVAL;
		/* Fault mmio-skip: VF_SW_FLAG keeps what it had. */
		if (!xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_MMIO_SKIP))
			xe_sriov_sim_mmio_restore(vf, h->gt_id, r->buf);
		return 0;
	case XE_SRIOV_PACKET_TYPE_VRAM:
		if (r->vram)
			return 0;
		/* pf_restore_vf_vram_mig_data(): an igfx VF has no object. */
		return xe_sriov_sim_lmem_obj_size(vf) ? -EINVAL : -ENXIO;
	default:
		dev_notice_ratelimited(&vf->mdev->dev,
				       "GT%u: PF: Skipping VF%u unknown data type: %u\n",
				       h->gt_id, vf->id, h->type);
		return 0;
	}
}

/* A payload is complete: xe_sriov_pf_migration_restore_produce(). */
static int end_packet(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_restore *r = vf->restore;
	const struct xe_sriov_packet_hdr *h = &r->hdr;
	int err;

	switch (h->type) {
	case XE_SRIOV_PACKET_TYPE_DESCRIPTOR:
		if (h->tile_id || h->gt_id || h->size % 4)
			return -EINVAL;
		return process_descriptor(vf, r->buf, h->size / 4);
	case XE_SRIOV_PACKET_TYPE_TRAILER:
		/* Fault trailer-lax: a trailer with other fields is taken. */
		if ((h->tile_id || h->gt_id || h->offset || h->size) &&
		    !xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_TRAILER_LAX))
			return -EINVAL;
		xe_sriov_sim_control_restore_data_done(vf);
		return 0;
	}

	if (!h->type || h->tile_id != gt_tile(h->gt_id)) {
		dev_err_ratelimited(&vf->mdev->dev,
				    "Received invalid restore packet for VF%u (type:%u, tile:%u, GT:%u)\n",
				    vf->id, h->type, h->tile_id, h->gt_id);
		return -EINVAL;
	}
	if (test_bit(XE_SRIOV_SIM_RESTORE_FAILED, &vf->ctl))
		return -EIO;
	if (!applying(vf))
		return 0;

	err = apply_gt_packet(vf);
	if (err) {
		dev_err(&vf->mdev->dev,
			"GT%u: PF: Failed to restore VF%u %s data (%pe)\n",
			h->gt_id, vf->id, gt_packet_name(h->type),
			ERR_PTR(err));
		xe_sriov_sim_control_restore_failed(vf);
	}
	return 0;
}

/* Forget the current packet: the next byte starts a header. */
static void next_packet(struct xe_sriov_sim_restore *r)
{
	kvfree(r->buf);
	r->buf = NULL;
	r->vram = false;
	r->hdr_filled = 0;
	r->done = 0;
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

/* Take up to @len payload bytes; returns how many (fewer on a fault). */
static size_t write_payload(struct xe_sriov_sim_vf *vf,
			    const char __user *ubuf, size_t len)
{
	struct xe_sriov_sim_restore *r = vf->restore;
	size_t n = min_t(u64, r->hdr.size - r->done, len);
	size_t copy = n;
	void *dst = NULL;

	if (r->vram)
		dst = vram_dst(vf, &copy);
	else if (r->buf)
		dst = r->buf + r->done;

	if (dst) {
		size_t copied = xe_sriov_sim_copy_from_user_nofault(dst, ubuf,
								    copy);

		/* Written through an uncompressed PAT: those blocks are plain. */
		if (r->hdr.type == XE_SRIOV_PACKET_TYPE_VRAM)
			xe_sriov_sim_lmem_ccs_clear(vf, dst - vf->lmem, copied);
		if (copied < copy)
			n = copied;
	}
	r->done += n;
	return n;
}

/**
 * xe_sriov_sim_restore_write() - consume stream bytes
 * @vf: the VF
 * @buf: user buffer
 * @len: bytes
 *
 * Copies with page faults disabled (see the save DOC): a write that meets
 * a page that is not there ends short; the caller faults it in without
 * locks and writes the rest.
 *
 * Return: @len, or fewer if a user page was not there, -EFAULT if the
 * first byte was not, -EINVAL without a restore session, or the error of
 * a packet this write completed (see the DOC): the bytes before it are
 * consumed, as in xe.
 */
ssize_t xe_sriov_sim_restore_write(struct xe_sriov_sim_vf *vf,
				   const char __user *buf, size_t len)
{
	struct xe_sriov_sim_restore *r;
	size_t done = 0;
	ssize_t ret;

	mutex_lock(&vf->state_lock);
	r = vf->restore;
	if (!r) {
		ret = -EINVAL;
		goto out;
	}

	while (done < len) {
		if (r->hdr_filled < HDR_SIZE) {
			size_t n = min(HDR_SIZE - r->hdr_filled, len - done);
			size_t copied;

			copied = xe_sriov_sim_copy_from_user_nofault((u8 *)&r->hdr +
								     r->hdr_filled,
								     buf + done, n);
			r->hdr_filled += copied;
			done += copied;
			if (copied < n)
				goto short_copy;
			/* Fault write-seg: the first part of a split header is lost. */
			if (r->hdr_filled < HDR_SIZE &&
			    xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_WRITE_SEG))
				r->hdr_filled = 0;
			if (r->hdr_filled < HDR_SIZE)
				break;
			ret = begin_packet(vf);
			if (ret)
				goto refuse;
		} else {
			size_t n = min_t(u64, r->hdr.size - r->done, len - done);
			size_t copied = write_payload(vf, buf + done, len - done);

			done += copied;
			if (copied < n)
				goto short_copy;
		}
		if (r->done == r->hdr.size) {
			ret = end_packet(vf);
			if (ret)
				goto refuse;
			next_packet(r);
		}
	}
	ret = done;
	goto out;

short_copy:
	ret = done ? done : -EFAULT;
	goto out;

refuse:
	dev_dbg_ratelimited(&vf->mdev->dev,
			    "VF%u: restore refused packet type %u (%zd)\n",
			    vf->id, r->hdr.type, ret);
	next_packet(r);
out:
	mutex_unlock(&vf->state_lock);
	return ret;
}
