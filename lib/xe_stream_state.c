// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Two saves of VF state compared packet by packet, for state no BAR shows
 * on hardware: the GGTT PTEs and MMIO registers xe's packets carry, and the
 * GuC blob where the backend says it is stable. The destination is saved
 * again after its restore (before it runs) and compared with the source's
 * save; only the VF id field of each PTE may differ (xe's GGTT_PTE_VFID,
 * GENMASK_ULL(11, 2) in regs/xe_gtt_defs.h, which xe's GGTT restore
 * rewrites for the destination: xe_ggtt.c xe_ggtt_node_load()).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xe_stream.h"

#define GGTT_PTE_VFID	(0x3ffull << 2)

static void note(char *report, size_t size, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(report + *used, size - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used += (size_t)n;
}

static unsigned int kind(unsigned int type)
{
	switch (type) {
	case XE_SRIOV_PACKET_TYPE_GGTT:
		return XE_STREAM_STATE_GGTT;
	case XE_SRIOV_PACKET_TYPE_MMIO:
		return XE_STREAM_STATE_MMIO;
	case XE_SRIOV_PACKET_TYPE_GUC:
		return XE_STREAM_STATE_GUC;
	default:
		return 0;
	}
}

static const struct xe_stream_packet *find(const struct xe_stream *s,
					   const struct xe_stream_packet *like)
{
	for (size_t i = 0; i < s->count; i++) {
		const struct xe_sriov_packet_hdr *h = &s->pkts[i].hdr;

		if (h->type == like->hdr.type && h->gt_id == like->hdr.gt_id &&
		    h->tile_id == like->hdr.tile_id && h->offset == like->hdr.offset)
			return &s->pkts[i];
	}
	return NULL;
}

/* The first differing byte offset of two payloads, or -1. */
static long long first_diff(const struct xe_stream_packet *a, const struct xe_stream_packet *b)
{
	uint64_t n = a->hdr.size;

	if (a->hdr.type != XE_SRIOV_PACKET_TYPE_GGTT) {
		for (uint64_t i = 0; i < n; i++)
			if (a->payload[i] != b->payload[i])
				return (long long)i;
		return -1;
	}
	for (uint64_t i = 0; i + 8 <= n; i += 8) {
		uint64_t x, y;

		memcpy(&x, a->payload + i, 8);
		memcpy(&y, b->payload + i, 8);
		if ((x & ~GGTT_PTE_VFID) != (y & ~GGTT_PTE_VFID))
			return (long long)i;
	}
	for (uint64_t i = n & ~7ull; i < n; i++)
		if (a->payload[i] != b->payload[i])
			return (long long)i;
	return -1;
}

bool xe_stream_state_equal(const struct xe_stream *want, const struct xe_stream *got,
			   unsigned int what, char *report, size_t size)
{
	size_t used = 0;
	bool equal = true;

	if (size)
		report[0] = '\0';
	for (size_t i = 0; i < want->count; i++) {
		const struct xe_stream_packet *w = &want->pkts[i], *g;
		const char *name = xe_stream_type_name(w->hdr.type);
		long long at;

		if (!(kind(w->hdr.type) & what))
			continue;
		g = find(got, w);
		if (!g) {
			note(report, size, &used, "%s gt%u: missing\n", name, w->hdr.gt_id);
			equal = false;
			continue;
		}
		if (g->hdr.size != w->hdr.size) {
			note(report, size, &used, "%s gt%u: %llu bytes, expected %llu\n", name,
			     w->hdr.gt_id, (unsigned long long)g->hdr.size,
			     (unsigned long long)w->hdr.size);
			equal = false;
			continue;
		}
		at = first_diff(w, g);
		if (at >= 0) {
			note(report, size, &used, "%s gt%u: differs at byte %lld%s\n", name,
			     w->hdr.gt_id, at,
			     w->hdr.type == XE_SRIOV_PACKET_TYPE_GGTT ?
			     " (VF id fields normalised)" : "");
			equal = false;
		}
	}
	for (size_t i = 0; i < got->count; i++) {
		const struct xe_stream_packet *g = &got->pkts[i];

		if ((kind(g->hdr.type) & what) && !find(want, g)) {
			note(report, size, &used, "%s gt%u: not in the source's save\n",
			     xe_stream_type_name(g->hdr.type), g->hdr.gt_id);
			equal = false;
		}
	}
	return equal;
}
