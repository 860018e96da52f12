/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Mutating migration streams for negative tests and fuzzing: copy a
 * parsed stream into an editable packet list, change headers, payloads
 * and the packet order, and serialize it back to bytes.
 */
#ifndef XEMIG_XE_STREAM_EDIT_H
#define XEMIG_XE_STREAM_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "xe_stream.h"

struct xe_stream_edit_pkt {
	struct xe_sriov_packet_hdr hdr;	/* host order; size follows payload */
	uint8_t *payload;
	size_t len;
};

struct xe_stream_edit {
	struct xe_stream_edit_pkt *pkts;
	size_t count;
};

int xe_stream_edit_from(struct xe_stream_edit *e, const struct xe_stream *s);
void xe_stream_edit_free(struct xe_stream_edit *e);
/* Index of the first packet of type at or after from, or -1. */
int xe_stream_edit_find(const struct xe_stream_edit *e, unsigned int type, size_t from);
/* Remove packet i; insert a copy of packet i at position at. */
int xe_stream_edit_drop(struct xe_stream_edit *e, size_t i);
int xe_stream_edit_dup(struct xe_stream_edit *e, size_t i, size_t at);
/* Change packet i's payload length (zero-filled when growing). */
int xe_stream_edit_resize(struct xe_stream_edit *e, size_t i, size_t len);
/*
 * Bytes of the edited stream. Header sizes are the payload lengths unless
 * keep_sizes is set (then a header may lie about its payload). The result
 * is malloc()ed.
 */
int xe_stream_edit_bytes(const struct xe_stream_edit *e, bool keep_sizes,
			 uint8_t **buf, size_t *len);

#endif
