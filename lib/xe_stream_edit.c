// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * An editable copy of a stream. Headers are kept in host order and
 * written back little endian, exactly 24 packed bytes each.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xe_stream_edit.h"

static int copy_pkt(struct xe_stream_edit_pkt *d, const struct xe_sriov_packet_hdr *hdr,
		    const uint8_t *payload, size_t len)
{
	d->hdr = *hdr;
	d->len = len;
	d->payload = malloc(len ? len : 1);
	if (!d->payload)
		return -ENOMEM;
	if (len)
		memcpy(d->payload, payload, len);
	return 0;
}

int xe_stream_edit_from(struct xe_stream_edit *e, const struct xe_stream *s)
{
	e->count = 0;
	e->pkts = calloc(s->count + 1, sizeof(*e->pkts));
	if (!e->pkts)
		return -ENOMEM;
	for (size_t i = 0; i < s->count; i++) {
		if (copy_pkt(&e->pkts[i], &s->pkts[i].hdr, s->pkts[i].payload,
			     s->pkts[i].hdr.size)) {
			xe_stream_edit_free(e);
			return -ENOMEM;
		}
		e->count++;
	}
	return 0;
}

void xe_stream_edit_free(struct xe_stream_edit *e)
{
	for (size_t i = 0; i < e->count; i++)
		free(e->pkts[i].payload);
	free(e->pkts);
	e->pkts = NULL;
	e->count = 0;
}

int xe_stream_edit_find(const struct xe_stream_edit *e, unsigned int type, size_t from)
{
	for (size_t i = from; i < e->count; i++)
		if (e->pkts[i].hdr.type == type)
			return i;
	return -1;
}

int xe_stream_edit_drop(struct xe_stream_edit *e, size_t i)
{
	if (i >= e->count)
		return -EINVAL;
	free(e->pkts[i].payload);
	memmove(&e->pkts[i], &e->pkts[i + 1], (e->count - i - 1) * sizeof(*e->pkts));
	e->count--;
	return 0;
}

int xe_stream_edit_dup(struct xe_stream_edit *e, size_t i, size_t at)
{
	struct xe_stream_edit_pkt copy, *np;

	if (i >= e->count || at > e->count)
		return -EINVAL;
	if (copy_pkt(&copy, &e->pkts[i].hdr, e->pkts[i].payload, e->pkts[i].len))
		return -ENOMEM;
	np = realloc(e->pkts, (e->count + 1) * sizeof(*np));
	if (!np) {
		free(copy.payload);
		return -ENOMEM;
	}
	e->pkts = np;
	memmove(&np[at + 1], &np[at], (e->count - at) * sizeof(*np));
	np[at] = copy;
	e->count++;
	return 0;
}

int xe_stream_edit_resize(struct xe_stream_edit *e, size_t i, size_t len)
{
	uint8_t *p;

	if (i >= e->count)
		return -EINVAL;
	p = realloc(e->pkts[i].payload, len ? len : 1);
	if (!p)
		return -ENOMEM;
	if (len > e->pkts[i].len)
		memset(p + e->pkts[i].len, 0, len - e->pkts[i].len);
	e->pkts[i].payload = p;
	e->pkts[i].len = len;
	e->pkts[i].hdr.size = len;
	return 0;
}

static void hdr_to_le(uint8_t *out, const struct xe_sriov_packet_hdr *h, uint64_t size)
{
	struct xe_sriov_packet_hdr le = *h;

	le.flags = htole32(h->flags);
	le.offset = htole64(h->offset);
	le.size = htole64(size);
	memcpy(out, &le, sizeof(le));
}

int xe_stream_edit_bytes(const struct xe_stream_edit *e, bool keep_sizes,
			 uint8_t **buf, size_t *len)
{
	const size_t hsz = sizeof(struct xe_sriov_packet_hdr);
	size_t total = 0, pos = 0;
	uint8_t *out;

	for (size_t i = 0; i < e->count; i++)
		total += hsz + e->pkts[i].len;
	out = malloc(total ? total : 1);
	if (!out)
		return -ENOMEM;
	for (size_t i = 0; i < e->count; i++) {
		const struct xe_stream_edit_pkt *p = &e->pkts[i];

		hdr_to_le(out + pos, &p->hdr, keep_sizes ? p->hdr.size : p->len);
		pos += hsz;
		memcpy(out + pos, p->payload, p->len);
		pos += p->len;
	}
	*buf = out;
	*len = total;
	return 0;
}
