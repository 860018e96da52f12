// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Streams for people: a packet table with payload checksums (xxh64), and
 * a diff that names the first differing byte of every differing packet.
 */
#include <inttypes.h>
#include <xxhash.h>

#include "xe_stream.h"

static void dump_descriptor(FILE *f, const struct xe_stream_packet *p)
{
	uint32_t devid, revid;

	if (xe_stream_descriptor_ids(p, &devid, &revid))
		fprintf(f, "  (broken KLVs)");
	else
		fprintf(f, "  devid 0x%04x revid 0x%02x", devid, revid);
}

void xe_stream_dump(FILE *f, const struct xe_stream *s)
{
	fprintf(f, "%4s %10s %-10s %4s %3s %12s %12s %16s\n",
		"#", "pos", "type", "tile", "gt", "offset", "size", "xxh64");
	for (size_t i = 0; i < s->count; i++) {
		const struct xe_stream_packet *p = &s->pkts[i];

		fprintf(f, "%4zu %10" PRIu64 " %-10s %4u %3u %#12llx %12llu %016llx",
			i, p->pos, xe_stream_type_name(p->hdr.type),
			p->hdr.tile_id, p->hdr.gt_id,
			(unsigned long long)p->hdr.offset,
			(unsigned long long)p->hdr.size,
			(unsigned long long)XXH64(p->payload, p->hdr.size, 0));
		if (p->hdr.type == XE_SRIOV_PACKET_TYPE_DESCRIPTOR)
			dump_descriptor(f, p);
		fputc('\n', f);
	}
	fprintf(f, "%zu packets, %zu bytes\n", s->count, s->len);
}

static bool same_header(const struct xe_sriov_packet_hdr *a,
			const struct xe_sriov_packet_hdr *b)
{
	return a->version == b->version && a->type == b->type &&
	       a->tile_id == b->tile_id && a->gt_id == b->gt_id &&
	       a->flags == b->flags && a->offset == b->offset &&
	       a->size == b->size;
}

/* Print one differing packet pair; false if they are the same. */
static bool diff_packet(FILE *f, size_t i, const struct xe_stream_packet *a,
			const struct xe_stream_packet *b)
{
	uint64_t first = UINT64_MAX, ndiff = 0;

	if (!same_header(&a->hdr, &b->hdr)) {
		fprintf(f, "packet %zu: header differs: %s tile %u gt %u offset %#llx size %llu"
			" vs %s tile %u gt %u offset %#llx size %llu\n", i,
			xe_stream_type_name(a->hdr.type), a->hdr.tile_id, a->hdr.gt_id,
			(unsigned long long)a->hdr.offset, (unsigned long long)a->hdr.size,
			xe_stream_type_name(b->hdr.type), b->hdr.tile_id, b->hdr.gt_id,
			(unsigned long long)b->hdr.offset, (unsigned long long)b->hdr.size);
		return true;
	}
	for (uint64_t o = 0; o < a->hdr.size; o++) {
		if (a->payload[o] == b->payload[o])
			continue;
		if (first == UINT64_MAX)
			first = o;
		ndiff++;
	}
	if (!ndiff)
		return false;
	fprintf(f, "packet %zu (%s): %" PRIu64 " of %llu payload bytes differ, first at +%#" PRIx64
		" (%02x vs %02x)\n", i, xe_stream_type_name(a->hdr.type), ndiff,
		(unsigned long long)a->hdr.size, first, a->payload[first], b->payload[first]);
	return true;
}

size_t xe_stream_diff(FILE *f, const struct xe_stream *a,
		      const struct xe_stream *b)
{
	size_t n = a->count < b->count ? a->count : b->count, ndiff = 0;

	for (size_t i = 0; i < n; i++)
		ndiff += diff_packet(f, i, &a->pkts[i], &b->pkts[i]);
	if (a->count != b->count) {
		fprintf(f, "packet count differs: %zu vs %zu\n", a->count, b->count);
		ndiff += (a->count > b->count ? a->count : b->count) - n;
	}
	return ndiff;
}
