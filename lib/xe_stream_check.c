// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Stream validation: what xe's restore checks (descriptor KLVs and ids,
 * trailer fields, exact MMIO/GGTT sizes, VRAM chunk bounds) plus what a
 * well-formed save must hold even where xe's restore trusts it (descriptor
 * first, one trailer last, per-GT order GUC, GGTT, MMIO, VRAM, the GTs one
 * after the other, chunks that tile the LMEM object exactly once).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xe_stream.h"
#include "xe_stream_internal.h"

#define MAX_GTS (256 * 256)	/* every (tile_id, gt_id) a header can name */

/* Position of each data type in xe's per-GT save order. */
static int order_rank(unsigned int type)
{
	switch (type) {
	case XE_SRIOV_PACKET_TYPE_GUC:
		return 1;
	case XE_SRIOV_PACKET_TYPE_GGTT:
		return 2;
	case XE_SRIOV_PACKET_TYPE_MMIO:
		return 3;
	case XE_SRIOV_PACKET_TYPE_VRAM:
		return 4;
	default:
		return 0;
	}
}

static int check_descriptor(const struct xe_stream_packet *p,
			    const struct xe_stream_expect *exp,
			    struct xe_stream_error *err)
{
	uint32_t devid = 0, revid = 0;

	if (p->hdr.type != XE_SRIOV_PACKET_TYPE_DESCRIPTOR) {
		xe_stream_error_set(err, p->pos, "first packet is %s, not DESCRIPTOR",
				    xe_stream_type_name(p->hdr.type));
		return -EINVAL;
	}
	if (xe_stream_descriptor_ids(p, &devid, &revid)) {
		xe_stream_error_set(err, p->pos,
				    "DESCRIPTOR: broken KLVs or no devid/revid");
		return -EINVAL;
	}
	if (exp && exp->check_ids && (devid != exp->devid || revid != exp->revid)) {
		xe_stream_error_set(err, p->pos,
				    "DESCRIPTOR: device %04x rev %02x, expected %04x rev %02x",
				    devid, revid, exp->devid, exp->revid);
		return -ENODEV;
	}
	return 0;
}

static int check_trailer(const struct xe_stream *s, struct xe_stream_error *err)
{
	const struct xe_stream_packet *p = &s->pkts[s->count - 1];
	const struct xe_sriov_packet_hdr *h = &p->hdr;

	if (h->type != XE_SRIOV_PACKET_TYPE_TRAILER) {
		xe_stream_error_set(err, s->len, "no TRAILER at the end");
		return -EINVAL;
	}
	if (h->tile_id || h->gt_id || h->offset || h->size) {
		xe_stream_error_set(err, p->pos,
				    "TRAILER: tile %u gt %u offset %llu size %llu, all must be 0",
				    h->tile_id, h->gt_id,
				    (unsigned long long)h->offset,
				    (unsigned long long)h->size);
		return -EINVAL;
	}
	return 0;
}

static int check_size(const struct xe_stream_packet *p, uint64_t want,
		      struct xe_stream_error *err)
{
	if (p->hdr.size == want)
		return 0;
	xe_stream_error_set(err, p->pos, "%s: size %llu, expected %llu",
			    xe_stream_type_name(p->hdr.type),
			    (unsigned long long)p->hdr.size,
			    (unsigned long long)want);
	return -EINVAL;
}

static int check_data_packet(const struct xe_stream_packet *p,
			     const struct xe_stream_expect *exp,
			     struct xe_stream_error *err)
{
	const struct xe_sriov_packet_hdr *h = &p->hdr;

	switch (h->type) {
	case XE_SRIOV_PACKET_TYPE_MMIO:
		return check_size(p, XE_SRIOV_MMIO_PAYLOAD_SIZE, err);
	case XE_SRIOV_PACKET_TYPE_GGTT:
		if (exp && exp->ggtt_size)
			return check_size(p, exp->ggtt_size, err);
		if (h->size % sizeof(uint64_t) == 0 && h->size)
			return 0;
		xe_stream_error_set(err, p->pos, "GGTT: size %llu is not whole PTEs",
				    (unsigned long long)h->size);
		return -EINVAL;
	case XE_SRIOV_PACKET_TYPE_VRAM:
		if (h->offset + h->size >= h->offset &&
		    (!exp || !exp->vram_size || h->offset + h->size <= exp->vram_size))
			return 0;
		xe_stream_error_set(err, p->pos,
				    "VRAM: chunk %#llx+%#llx outside the LMEM object",
				    (unsigned long long)h->offset,
				    (unsigned long long)h->size);
		return -EINVAL;
	case XE_SRIOV_PACKET_TYPE_GUC:
		return 0;
	case XE_SRIOV_PACKET_TYPE_DESCRIPTOR:
		xe_stream_error_set(err, p->pos, "a second DESCRIPTOR");
		return -EINVAL;
	case XE_SRIOV_PACKET_TYPE_TRAILER:
		xe_stream_error_set(err, p->pos, "TRAILER before the end of the stream");
		return -EINVAL;
	default:
		xe_stream_error_set(err, p->pos, "unknown packet type %u", h->type);
		return -EINVAL;
	}
}

/* Per GT, each of GUC/GGTT/MMIO once and in xe's order, VRAM last. */
static int check_order(const struct xe_stream *s, struct xe_stream_error *err)
{
	int *last = calloc(MAX_GTS, sizeof(*last));
	int ret = 0;

	if (!last)
		return -ENOMEM;
	for (size_t i = 1; i + 1 < s->count && !ret; i++) {
		const struct xe_stream_packet *p = &s->pkts[i];
		int gt = p->hdr.tile_id << 8 | p->hdr.gt_id;
		int rank = order_rank(p->hdr.type);

		if (rank < last[gt] ||
		    (rank == last[gt] && p->hdr.type != XE_SRIOV_PACKET_TYPE_VRAM)) {
			xe_stream_error_set(err, p->pos,
					    "%s out of order for tile %u gt %u",
					    xe_stream_type_name(p->hdr.type),
					    p->hdr.tile_id, p->hdr.gt_id);
			ret = -EINVAL;
		}
		last[gt] = rank;
	}
	free(last);
	return ret;
}

/* The GT layout of xe's save, when the expectation names the GT count. */
static int check_gts(const struct xe_stream *s, const struct xe_stream_expect *exp,
		     struct xe_stream_error *err)
{
	unsigned int guc[256] = { 0 }, mmio[256] = { 0 }, ggtt = 0, last = 0;

	if (!exp || !exp->num_gts)
		return 0;
	for (size_t i = 1; i + 1 < s->count; i++) {
		const struct xe_stream_packet *p = &s->pkts[i];
		unsigned int gt = p->hdr.gt_id, type = p->hdr.type;

		if (p->hdr.tile_id || gt >= exp->num_gts) {
			xe_stream_error_set(err, p->pos, "%s for tile %u gt %u: the device has %u GTs",
					    xe_stream_type_name(type), p->hdr.tile_id, gt,
					    exp->num_gts);
			return -EINVAL;
		}
		if (gt < last) {
			xe_stream_error_set(err, p->pos, "%s of gt %u after gt %u's packets",
					    xe_stream_type_name(type), gt, last);
			return -EINVAL;
		}
		last = gt;
		if (gt && (type == XE_SRIOV_PACKET_TYPE_GGTT ||
			   type == XE_SRIOV_PACKET_TYPE_VRAM)) {
			xe_stream_error_set(err, p->pos, "%s from gt %u: only the primary GT has it",
					    xe_stream_type_name(type), gt);
			return -EINVAL;
		}
		guc[gt] += type == XE_SRIOV_PACKET_TYPE_GUC;
		mmio[gt] += type == XE_SRIOV_PACKET_TYPE_MMIO;
		ggtt += type == XE_SRIOV_PACKET_TYPE_GGTT;
	}
	for (unsigned int gt = 0; gt < exp->num_gts; gt++) {
		if (guc[gt] != 1 || mmio[gt] != 1) {
			xe_stream_error_set(err, s->len, "gt %u: %u GUC and %u MMIO packets, want 1 each",
					    gt, guc[gt], mmio[gt]);
			return -EINVAL;
		}
	}
	if (ggtt != 1) {
		xe_stream_error_set(err, s->len, "%u GGTT packets, want 1", ggtt);
		return -EINVAL;
	}
	return 0;
}

static int cmp_chunk(const void *a, const void *b)
{
	const struct xe_stream_packet *x = *(const struct xe_stream_packet *const *)a;
	const struct xe_stream_packet *y = *(const struct xe_stream_packet *const *)b;

	return x->hdr.offset < y->hdr.offset ? -1 : x->hdr.offset > y->hdr.offset;
}

static int check_chunk_cover(const struct xe_stream_packet **c, size_t n,
			     uint64_t want, struct xe_stream_error *err)
{
	uint64_t end = 0;

	qsort(c, n, sizeof(*c), cmp_chunk);
	for (size_t i = 0; i < n; i++) {
		if (c[i]->hdr.offset != end) {
			xe_stream_error_set(err, c[i]->pos, "VRAM: %s at %#llx, expected %#llx",
					    c[i]->hdr.offset < end ? "overlap" : "gap",
					    (unsigned long long)c[i]->hdr.offset,
					    (unsigned long long)end);
			return -EINVAL;
		}
		end += c[i]->hdr.size;
	}
	if (want && end != want) {
		xe_stream_error_set(err, 0, "VRAM: chunks cover %#llx of %#llx bytes",
				    (unsigned long long)end, (unsigned long long)want);
		return -EINVAL;
	}
	return 0;
}

/* VRAM chunks tile [0, size) exactly once; no chunks is fine without LMEM. */
static int check_vram_cover(const struct xe_stream *s,
			    const struct xe_stream_expect *exp,
			    struct xe_stream_error *err)
{
	const struct xe_stream_packet **c = calloc(s->count, sizeof(*c));
	size_t n = 0;
	int ret;

	if (!c)
		return -ENOMEM;
	for (size_t i = 0; i < s->count; i++)
		if (s->pkts[i].hdr.type == XE_SRIOV_PACKET_TYPE_VRAM)
			c[n++] = &s->pkts[i];
	if (!n && exp && exp->vram_size) {
		xe_stream_error_set(err, s->len, "no VRAM packet for %#llx bytes of LMEM",
				    (unsigned long long)exp->vram_size);
		ret = -EINVAL;
	} else {
		ret = check_chunk_cover(c, n, exp ? exp->vram_size : 0, err);
	}
	free(c);
	return ret;
}

int xe_stream_validate(const struct xe_stream *s,
		       const struct xe_stream_expect *exp,
		       struct xe_stream_error *err)
{
	int ret;

	if (!s->count) {
		xe_stream_error_set(err, 0, "empty stream");
		return -EINVAL;
	}
	ret = check_descriptor(&s->pkts[0], exp, err);
	for (size_t i = 1; !ret && i + 1 < s->count; i++)
		ret = check_data_packet(&s->pkts[i], exp, err);
	if (!ret && s->count < 2) {
		xe_stream_error_set(err, s->len, "no TRAILER at the end");
		ret = -EINVAL;
	}
	ret = ret ?: check_trailer(s, err);
	ret = ret ?: check_order(s, err);
	ret = ret ?: check_gts(s, exp, err);
	return ret ?: check_vram_cover(s, exp, err);
}
