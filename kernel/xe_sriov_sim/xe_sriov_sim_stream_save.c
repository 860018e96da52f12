// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: saving the migration stream
 *
 * The stream is xe's, byte for byte (include/uapi/xe_sriov_packet.h):
 * packets of a packed 24-byte header (version 1, tile 0, the GT's gt_id,
 * flags 0) and a payload, in xe's order: the descriptor, then each GT's
 * packets in GT order (xe's pf_migration_consume() drains GT 0 before it
 * looks at GT 1), then the trailer:
 *
 * 1. DESCRIPTOR (gt 0): KLVs 0xf001 (PCI device id) and 0xf002 (revision
 *    id), one dword each: 16 bytes.
 * 2. GT 0 GUC: &struct xe_sriov_sim_guc_state and the engine section (192
 *    bytes, see the GuC and engine DOCs).
 * 3. GT 0 GGTT: the slice's PTEs, 8 bytes each, VF id field zeroed.
 * 4. GT 0 MMIO: VF_SW_FLAG(0..3), 16 bytes.
 * 5. GT 0 VRAM chunks of at most vram_chunk_size bytes, hdr.offset = byte
 *    offset in the VF's LMEM object, [0, lmem_size), read decompressed: as
 *    xe's xe_migrate_vram_copy_chunk() on a flat-CCS Xe2 dGPU, a compressed
 *    block goes out as its original bytes and no CCS is sent. An igfx VF
 *    has no VRAM and no VRAM packet: its CCS moves through its own batches
 *    (xe_sriov_sim_guc_ccs.c), its memory with the VM's.
 * 6. GT 1 GUC: the media GT's &struct xe_sriov_sim_guc_state, 64 bytes.
 * 7. GT 1 MMIO: MED_VF_SW_FLAG(0..3), 16 bytes.
 * 8. TRAILER (gt 0): empty.
 *
 * GGTT and VRAM belong to the primary GT only, as in xe's
 * xe_gt_sriov_pf_migration_save_init().
 *
 * Triggering a save snapshots descriptor, GUC, GGTT and MMIO; VRAM chunks
 * are copied out of LMEM when they are read. The session keeps one entry
 * for the whole VRAM run and makes each chunk's header from its index when
 * the reader gets to it, so its size does not grow with lmem_size /
 * vram_chunk_size (a table of 40-byte entries per chunk is 10 MiB for
 * 1 GiB in 4 KiB chunks, past what kmalloc can give). A save takes the
 * vram_chunk_size of the moment it starts and keeps it to its end, so a new
 * value written at run time only changes the saves that start afterwards.
 *
 * User memory is copied with page faults disabled while the VF's
 * state_lock is held (xe_sriov_sim_save_read() and
 * xe_sriov_sim_restore_write() never sleep on a user page fault): a page
 * that is not there ends the copy short, the caller drops every lock,
 * faults the page in (xe_sriov_sim_stream_fault_in(), which may wait
 * for as long as userfaultfd or FUSE take) and tries again, so a fault
 * that never completes cannot hold up an FLR, close or VF removal. The
 * stream position moves by exactly the bytes copied. Reads may split packets and
 * headers anywhere and return 0 at the end of the stream. As in xe, the
 * producer of each GT runs at most XE_SRIOV_SIM_SAVE_RING_SIZE packets
 * (GUC, GGTT, MMIO, VRAM) ahead of the reader. xe's worker finds that it
 * has nothing left to produce (SAVE_DATA_DONE, which finishing a save
 * requires) only when the ring is not full (pf_handle_vf_save() checks the
 * ring first): the save is done once every GT has fewer than
 * XE_SRIOV_SIM_SAVE_RING_SIZE packets left unread (a packet counts as read
 * once its first byte is).
 *
 * xe_sriov_sim_migration_size() is xe's estimate, summed over the GTs
 * (xe_sriov_pf_migration_size()): per GT, the GuC's answer to the size
 * query plus the GGTT, MMIO and provisioned LMEM sizes of that GT, plus one
 * header for each of them that is not empty
 * (xe_gt_sriov_pf_migration_size()). It leaves out the descriptor, the
 * trailer and the extra VRAM headers (and has no VRAM on an igfx VF), and
 * counts the GuC size asked rather than used, as xe's does.
 *
 * The header fields are host endian (little endian on x86), like xe's.
 */

#include <linux/errno.h>
#include <linux/minmax.h>
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

#define HDR_SIZE	sizeof(struct xe_sriov_packet_hdr)
#define DESC_SIZE	(4 * sizeof(u32))

/**
 * struct xe_sriov_sim_save_pkt - one packet of a saved stream, or a run of
 *	VRAM chunks
 * @hdr: its header; for a VRAM run, @hdr.offset and @hdr.size span the
 *	whole run (see pkt_hdr())
 * @buf: its payload, or NULL for VRAM (read decompressed from LMEM at
 *	@hdr.offset)
 * @count: packets it stands for: the chunks of a VRAM run, else 1
 * @gt: a GT packet, i.e. one that goes through xe's ring (@hdr.gt_id's)
 */
struct xe_sriov_sim_save_pkt {
	struct xe_sriov_packet_hdr hdr;
	const void *buf;
	u64 count;
	bool gt;
};

/**
 * struct xe_sriov_sim_save - a save session
 * @desc: DESCRIPTOR payload
 * @guc: GUC payload of each GT
 * @ggtt: GGTT payload
 * @mmio: MMIO payload of each GT
 * @bounce: a page for decompressing VRAM on its way out
 * @pkts: the packets, in stream order
 * @n_pkts: number of @pkts
 * @cur: the entry of @pkts being read
 * @cur_chunk: the packet of @cur being read (index of the VRAM chunk)
 * @cur_off: bytes of that packet (header included) already read
 * @gt_id: the GT whose packets add_pkt() is laying out
 * @n_gt: packets of each GT in @pkts
 * @taken: packets of each GT whose reading has started
 * @chunk: the VRAM chunk size of this save, vram_chunk_size when it started
 */
struct xe_sriov_sim_save {
	__le32 desc[DESC_SIZE / 4];
	u8 *guc[XE_SRIOV_SIM_NUM_GTS];
	__le64 *ggtt;
	u8 mmio[XE_SRIOV_SIM_NUM_GTS][XE_SRIOV_MMIO_PAYLOAD_SIZE];
	u8 *bounce;
	struct xe_sriov_sim_save_pkt pkts[XE_SRIOV_SIM_SAVE_MAX_PKTS];
	unsigned int n_pkts;
	unsigned int cur;
	u64 cur_chunk;
	u64 cur_off;
	unsigned int gt_id;
	u64 n_gt[XE_SRIOV_SIM_NUM_GTS];
	u64 taken[XE_SRIOV_SIM_NUM_GTS];
	u64 chunk;
};

static struct xe_sriov_sim_save_pkt *add_pkt(struct xe_sriov_sim_save *s,
					     u8 type, u64 offset, u64 size,
					     const void *buf)
{
	struct xe_sriov_sim_save_pkt *p = &s->pkts[s->n_pkts++];

	p->hdr.version = XE_SRIOV_PACKET_VERSION;
	p->hdr.type = type;
	p->hdr.offset = offset;
	p->hdr.size = size;
	p->buf = buf;
	p->count = 1;
	p->gt = type != XE_SRIOV_PACKET_TYPE_DESCRIPTOR &&
		type != XE_SRIOV_PACKET_TYPE_TRAILER;
	if (p->gt) {
		p->hdr.gt_id = s->gt_id;
		s->n_gt[s->gt_id]++;
	}
	return p;
}

/* The VRAM chunks of [start, start + size): one entry, no chunk if empty. */
static void add_vram(struct xe_sriov_sim_save *s, u64 start, u64 size)
{
	struct xe_sriov_sim_save_pkt *p;

	if (!size)
		return;
	p = add_pkt(s, XE_SRIOV_PACKET_TYPE_VRAM, start, size, NULL);
	p->count = DIV_ROUND_UP_ULL(size, s->chunk);
	s->n_gt[s->gt_id] += p->count - 1;
}

/* The header of packet @chunk of @p: @p's own, or a chunk of its run. */
static void pkt_hdr(const struct xe_sriov_sim_save *s,
		    const struct xe_sriov_sim_save_pkt *p, u64 chunk,
		    struct xe_sriov_packet_hdr *hdr)
{
	u64 size = s->chunk;
	u64 off = chunk * size;

	*hdr = p->hdr;
	if (p->hdr.type != XE_SRIOV_PACKET_TYPE_VRAM)
		return;
	hdr->offset = p->hdr.offset + off;
	hdr->size = min(size, p->hdr.size - off);
}

/* The packet being read is read: go on to the next one. */
static void next_pkt(struct xe_sriov_sim_save *s)
{
	s->cur_off = 0;
	if (++s->cur_chunk == s->pkts[s->cur].count) {
		s->cur_chunk = 0;
		s->cur++;
	}
}

static void update_data_done(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_save *s = vf->save;
	unsigned int i;

	for (i = 0; i < XE_SRIOV_SIM_NUM_GTS; i++)
		if (s->n_gt[i] - s->taken[i] >= XE_SRIOV_SIM_SAVE_RING_SIZE)
			return;
	set_bit(XE_SRIOV_SIM_SAVE_DATA_DONE, &vf->ctl);
}

static void save_free(struct xe_sriov_sim_save *s)
{
	unsigned int i;

	if (!s)
		return;
	kfree(s->bounce);
	kvfree(s->ggtt);
	for (i = 0; i < XE_SRIOV_SIM_NUM_GTS; i++)
		kfree(s->guc[i]);
	kfree(s);
}

/* The packets of the media GT: GUC and MMIO (no GGTT, no VRAM). */
static void add_media_gt(struct xe_sriov_sim_save *s, size_t guc_used)
{
	s->gt_id = XE_SRIOV_SIM_GT_MEDIA;
	add_pkt(s, XE_SRIOV_PACKET_TYPE_GUC, 0, guc_used,
		s->guc[XE_SRIOV_SIM_GT_MEDIA]);
	add_pkt(s, XE_SRIOV_PACKET_TYPE_MMIO, 0, XE_SRIOV_MMIO_PAYLOAD_SIZE,
		s->mmio[XE_SRIOV_SIM_GT_MEDIA]);
	s->gt_id = XE_SRIOV_SIM_GT_PRIMARY;
}

/**
 * xe_sriov_sim_save_start() - snapshot a paused VF and lay out its stream
 * @vf: the VF; the caller holds its state_lock
 *
 * Return: 0, -ENOMEM, or -EPERM if a PTE of the slice has a foreign VF id.
 */
int xe_sriov_sim_save_start(struct xe_sriov_sim_vf *vf)
{
	size_t ggtt_size = xe_sriov_sim_ggtt_save_size(vf);
	size_t guc_used[XE_SRIOV_SIM_NUM_GTS];
	struct xe_sriov_sim_save *s;
	unsigned int i;
	int ret = -ENOMEM;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->chunk = READ_ONCE(xe_sriov_sim_params.vram_chunk_size);

	s->ggtt = kvzalloc(ggtt_size, GFP_KERNEL);
	s->bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!s->ggtt || !s->bounce)
		goto err;
	/* As xe: a zeroed buffer of the size the GuC asked for, per GT. */
	for (i = 0; i < XE_SRIOV_SIM_NUM_GTS; i++) {
		s->guc[i] = kzalloc(xe_sriov_sim_guc_save_size(vf, i),
				    GFP_KERNEL);
		if (!s->guc[i])
			goto err;
		guc_used[i] = xe_sriov_sim_guc_save(vf, i, s->guc[i]);
		xe_sriov_sim_mmio_save(vf, i, s->mmio[i]);
	}

	s->desc[0] = cpu_to_le32(XE_SRIOV_KLV_HDR(XE_SRIOV_MIGRATION_KLV_DEVID, 1));
	s->desc[1] = cpu_to_le32(vf->pf->device_id);
	s->desc[2] = cpu_to_le32(XE_SRIOV_KLV_HDR(XE_SRIOV_MIGRATION_KLV_REVID, 1));
	s->desc[3] = cpu_to_le32(vf->pf->revision_id);
	ret = xe_sriov_sim_ggtt_save(vf, s->ggtt);
	if (ret)
		goto err;

	add_pkt(s, XE_SRIOV_PACKET_TYPE_DESCRIPTOR, 0, DESC_SIZE, s->desc);
	add_pkt(s, XE_SRIOV_PACKET_TYPE_GUC, 0, guc_used[XE_SRIOV_SIM_GT_PRIMARY],
		s->guc[XE_SRIOV_SIM_GT_PRIMARY]);
	add_pkt(s, XE_SRIOV_PACKET_TYPE_GGTT, 0, ggtt_size, s->ggtt);
	add_pkt(s, XE_SRIOV_PACKET_TYPE_MMIO, 0, XE_SRIOV_MMIO_PAYLOAD_SIZE,
		s->mmio[XE_SRIOV_SIM_GT_PRIMARY]);
	add_vram(s, 0, xe_sriov_sim_lmem_obj_size(vf));
	add_media_gt(s, guc_used[XE_SRIOV_SIM_GT_MEDIA]);
	add_pkt(s, XE_SRIOV_PACKET_TYPE_TRAILER, 0, 0, NULL);

	vf->save = s;
	update_data_done(vf);
	return 0;

err:
	save_free(s);
	return ret;
}

/**
 * xe_sriov_sim_save_end() - drop the save session, read or not
 * @vf: the VF; the caller holds its state_lock
 */
void xe_sriov_sim_save_end(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_save *s = vf->save;
	unsigned int i;

	/* xe_gt_sriov_pf_migration_ring_free(): what the reader never took. */
	for (i = 0; s && i < XE_SRIOV_SIM_NUM_GTS; i++)
		if (s->taken[i] < s->n_gt[i])
			dev_notice(&vf->mdev->dev,
				   "GT%u: PF: VF%u unprocessed migration data left in the ring!\n",
				   i, vf->id);
	save_free(s);
	vf->save = NULL;
}

/*
 * Copy @n bytes of a VRAM chunk from LMEM offset @off on to user space,
 * decompressed a page at a time. Returns the bytes copied.
 */
static size_t copy_vram(struct xe_sriov_sim_vf *vf, u64 off, char __user *ubuf,
			size_t n)
{
	u8 *bounce = vf->save->bounce;
	size_t done = 0;

	/* Fault ccs-drop: compressed blocks go out as stored, CCS lost. */
	if (xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_CCS_DROP))
		return xe_sriov_sim_copy_to_user_nofault(ubuf, vf->lmem + off,
							 n);
	while (done < n) {
		size_t k = min_t(size_t, n - done, PAGE_SIZE);
		size_t copied;

		xe_sriov_sim_lmem_read_resolved(vf, off + done, bounce, k);
		copied = xe_sriov_sim_copy_to_user_nofault(ubuf + done, bounce,
							   k);
		done += copied;
		if (copied < k)
			break;
	}
	return done;
}

/*
 * Copy @n bytes of the payload of @hdr's packet (of @p) from @pos on to
 * user space. Returns the bytes copied.
 */
static size_t copy_payload(struct xe_sriov_sim_vf *vf,
			   const struct xe_sriov_sim_save_pkt *p,
			   const struct xe_sriov_packet_hdr *hdr, u64 pos,
			   char __user *ubuf, size_t n)
{
	size_t done;
	u8 first;

	if (hdr->type != XE_SRIOV_PACKET_TYPE_VRAM)
		return xe_sriov_sim_copy_to_user_nofault(ubuf,
							 (const u8 *)p->buf + pos,
							 n);
	done = copy_vram(vf, hdr->offset + pos, ubuf, n);
	/* Fault vram-flip: the first byte of the first chunk goes out flipped. */
	if (!hdr->offset && !pos && done &&
	    xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_VRAM_FLIP)) {
		if (xe_sriov_sim_copy_from_user_nofault(&first, ubuf, 1) != 1)
			return 0;
		first ^= 0xff;
		if (xe_sriov_sim_copy_to_user_nofault(ubuf, &first, 1) != 1)
			return 0;
	}
	return done;
}

/* After a read that ended inside a header: go on to its payload. */
static void skip_header_rest(struct xe_sriov_sim_save *s)
{
	struct xe_sriov_packet_hdr hdr;

	pkt_hdr(s, &s->pkts[s->cur], s->cur_chunk, &hdr);
	s->cur_off = HDR_SIZE;
	if (!hdr.size)
		next_pkt(s);
}

/**
 * xe_sriov_sim_save_read() - read the saved stream
 * @vf: the VF
 * @buf: user buffer
 * @len: bytes wanted
 *
 * Copies with page faults disabled (see the DOC): a read that meets a page
 * that is not there ends short; the caller faults it in without locks and
 * reads again.
 *
 * Return: bytes read (0 at the end of the stream), -EIO if the save failed
 * or was cancelled, -ENODATA without a save session, -EFAULT if the first
 * byte could not be copied.
 */
ssize_t xe_sriov_sim_save_read(struct xe_sriov_sim_vf *vf, char __user *buf,
			       size_t len)
{
	struct xe_sriov_sim_save *s;
	bool faulted = false;
	size_t done = 0;
	ssize_t ret;

	mutex_lock(&vf->state_lock);
	s = vf->save;
	if (!s) {
		ret = test_bit(XE_SRIOV_SIM_SAVE_FAILED, &vf->ctl) ?
		      -EIO : -ENODATA;
		goto out;
	}

	while (done < len && s->cur < s->n_pkts) {
		const struct xe_sriov_sim_save_pkt *p = &s->pkts[s->cur];
		struct xe_sriov_packet_hdr hdr;
		size_t n, copied;

		pkt_hdr(s, p, s->cur_chunk, &hdr);
		if (s->cur_off < HDR_SIZE) {
			n = min_t(u64, HDR_SIZE - s->cur_off, len - done);
			copied = xe_sriov_sim_copy_to_user_nofault(buf + done,
								   (const u8 *)&hdr + s->cur_off,
								   n);
		} else {
			u64 pos = s->cur_off - HDR_SIZE;

			n = min_t(u64, hdr.size - pos, len - done);
			copied = copy_payload(vf, p, &hdr, pos, buf + done, n);
		}
		/* A packet is taken once its first byte is read. */
		if (!s->cur_off && copied && p->gt) {
			s->taken[hdr.gt_id]++;
			update_data_done(vf);
		}
		done += copied;
		s->cur_off += copied;
		if (copied < n) {
			faulted = true;
			break;
		}
		if (s->cur_off == HDR_SIZE + hdr.size)
			next_pkt(s);
	}
	/* Fault read-seg: the rest of a header this read split is lost. */
	if (!faulted && s->cur_off && s->cur_off < HDR_SIZE &&
	    xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_READ_SEG))
		skip_header_rest(s);
	ret = (done || !faulted) ? done : -EFAULT;
out:
	mutex_unlock(&vf->state_lock);
	return ret;
}

/**
 * xe_sriov_sim_stream_io() - a whole stream read or write
 * @once: one try; takes its locks, copies with page faults disabled (as
 *	xe_sriov_sim_save_read() and xe_sriov_sim_restore_write() do) and
 *	returns bytes, 0 at the end of a saved stream, or an errno
 * @ctx: @once's context
 * @buf: user buffer
 * @len: its length
 * @saving: a read (of a saved stream), else a write
 *
 * Calls @once until @len bytes are done, the saved stream ends or @once
 * fails; when it stops at a user page that is not there, faults that page
 * in between tries with no lock held, so a fault that never completes
 * holds up nothing but this call.
 *
 * Return: bytes done; an error after some bytes returns those bytes,
 * except a write's error other than -EFAULT (a refused packet), which is
 * returned as @once returns it.
 */
ssize_t xe_sriov_sim_stream_io(ssize_t (*once)(void *ctx, char __user *buf,
					       size_t len, bool saving),
			       void *ctx, char __user *buf, size_t len,
			       bool saving)
{
	size_t done = 0;
	ssize_t ret;
	int err;

	while (done < len) {
		ret = once(ctx, buf + done, len - done, saving);
		if (ret > 0) {
			done += ret;
			continue;
		}
		if (!ret)
			break;
		if (ret != -EFAULT) {
			if (!saving || !done)
				return ret;
			break;
		}
		err = xe_sriov_sim_stream_fault_in(buf + done, len - done,
						   saving);
		if (err)
			return done ? done : err;
	}
	return done;
}

/**
 * xe_sriov_sim_save_rewind() - start the stream over
 * @vf: the VF; the caller holds its state_lock
 *
 * Only for fault fd-alive, which keeps a finished save's stream readable.
 */
void xe_sriov_sim_save_rewind(struct xe_sriov_sim_vf *vf)
{
	struct xe_sriov_sim_save *s = vf->save;

	if (!s)
		return;
	s->cur = 0;
	s->cur_chunk = 0;
	s->cur_off = 0;
	memset(s->taken, 0, sizeof(s->taken));
}

/**
 * xe_sriov_sim_save_drop() - take a packet type out of a stream not read yet
 * @vf: the VF
 * @type: enum xe_sriov_packet_type
 *
 * Only for fault debugfs-no-mmio. Does nothing without a save session or
 * once reading has started.
 */
void xe_sriov_sim_save_drop(struct xe_sriov_sim_vf *vf, u8 type)
{
	struct xe_sriov_sim_save *s;
	unsigned int i, n = 0;

	mutex_lock(&vf->state_lock);
	s = vf->save;
	if (!s || s->cur || s->cur_chunk || s->cur_off)
		goto out;
	for (i = 0; i < s->n_pkts; i++) {
		if (s->pkts[i].hdr.type != type)
			s->pkts[n++] = s->pkts[i];
		else if (s->pkts[i].gt)
			s->n_gt[s->pkts[i].hdr.gt_id] -= s->pkts[i].count;
	}
	s->n_pkts = n;
	update_data_done(vf);
out:
	mutex_unlock(&vf->state_lock);
}

/* One packet of a GT's estimate: its size plus a header, 0 if empty. */
static u64 size_pkt(u64 size)
{
	return size ? size + HDR_SIZE : 0;
}

/* xe_gt_sriov_pf_migration_size() */
static u64 migration_size_gt(struct xe_sriov_sim_vf *vf, unsigned int gt_id)
{
	bool primary = gt_id == XE_SRIOV_SIM_GT_PRIMARY;

	return size_pkt(xe_sriov_sim_guc_save_size(vf, gt_id)) +
	       size_pkt(primary ? xe_sriov_sim_ggtt_save_size(vf) : 0) +
	       size_pkt(XE_SRIOV_MMIO_PAYLOAD_SIZE) +
	       size_pkt(primary ? xe_sriov_sim_lmem_obj_size(vf) : 0);
}

/**
 * xe_sriov_sim_migration_size() - xe's estimate of the stream size
 * @vf: the VF
 *
 * Return: the sum over the GTs of their GUC (size asked), GGTT, MMIO and
 * provisioned LMEM sizes plus one header for each that is not empty.
 */
u64 xe_sriov_sim_migration_size(struct xe_sriov_sim_vf *vf)
{
	u64 size = 0;
	unsigned int i;

	/* Fault size-zero: no estimate. */
	if (xe_sriov_sim_fault(XE_SRIOV_SIM_FAULT_SIZE_ZERO))
		return 0;
	for (i = 0; i < XE_SRIOV_SIM_NUM_GTS; i++)
		size += migration_size_gt(vf, i);
	return size;
}
