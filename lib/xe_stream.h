/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The xe VF migration stream codec: split a saved stream into packets,
 * validate it the way xe's restore does (and stricter, where xe trusts),
 * dump it for people and diff two streams.
 */
#ifndef XEMIG_XE_STREAM_H
#define XEMIG_XE_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "uapi/xe_sriov_packet.h"

struct xe_stream_packet {
	struct xe_sriov_packet_hdr hdr;	/* host order copy */
	uint64_t pos;			/* stream offset of the header */
	const uint8_t *payload;		/* into the parsed buffer */
};

struct xe_stream {
	struct xe_stream_packet *pkts;
	size_t count;
	size_t len;			/* bytes covered by pkts */
};

/* Where and why a stream is broken. */
struct xe_stream_error {
	uint64_t pos;
	char msg[160];
};

/*
 * What the restoring side expects. A zero field is not checked, except
 * that VRAM coverage is checked whenever any VRAM packet is present.
 */
struct xe_stream_expect {
	uint32_t devid;
	uint32_t revid;
	bool check_ids;		/* devid/revid must match */
	uint64_t ggtt_size;	/* exact GGTT payload size */
	uint64_t vram_size;	/* the LMEM object the chunks must tile */
	/*
	 * GTs of the device (BMG: 2, primary and media). When set, every GT
	 * 0..num_gts-1 sends one GUC and one MMIO packet, GGTT and VRAM come
	 * from GT 0 only, no packet names another GT, and the GTs come one
	 * after the other in gt_id order, as xe's pf_migration_consume()
	 * drains GT 0 before GT 1.
	 */
	unsigned int num_gts;
};

/*
 * Split buf into packets (headers whole, version 1, type not 0, payloads
 * inside buf). The packets point into buf, which must outlive s.
 * 0, or -EINVAL with err filled; -ENOMEM.
 */
int xe_stream_parse(const void *buf, size_t len, struct xe_stream *s,
		    struct xe_stream_error *err);
void xe_stream_free(struct xe_stream *s);

/*
 * The restore-side checks: descriptor first and well formed, trailer last
 * and empty, known types, exact MMIO/GGTT sizes, VRAM chunks inside the
 * object and covering it exactly once. Returns xe's errno for the defect:
 * -ENODEV for a devid/revid mismatch, -EINVAL for everything else.
 */
int xe_stream_validate(const struct xe_stream *s,
		       const struct xe_stream_expect *exp,
		       struct xe_stream_error *err);

/* devid/revid from a DESCRIPTOR packet; -EINVAL if its KLVs are broken. */
int xe_stream_descriptor_ids(const struct xe_stream_packet *p,
			     uint32_t *devid, uint32_t *revid);

const char *xe_stream_type_name(unsigned int type);

/* One line per packet: index, position, type, tile/gt, offset, size, xxh64. */
void xe_stream_dump(FILE *f, const struct xe_stream *s);

/* Print where a and b differ; returns the number of differing packets. */
size_t xe_stream_diff(FILE *f, const struct xe_stream *a,
		      const struct xe_stream *b);

/* Packet kinds of VF state for xe_stream_state_equal(). */
#define XE_STREAM_STATE_GGTT	(1u << 0)
#define XE_STREAM_STATE_MMIO	(1u << 1)
#define XE_STREAM_STATE_GUC	(1u << 2)

/*
 * Whether two saves agree on the packets of the kinds in @what, matched by
 * type, tile, GT and offset: the same size and bytes, GGTT PTEs compared
 * with their VF id field (xe's GGTT_PTE_VFID) masked. One line per
 * difference into report (at most size bytes).
 */
bool xe_stream_state_equal(const struct xe_stream *want, const struct xe_stream *got,
			   unsigned int what, char *report, size_t size);

#endif
