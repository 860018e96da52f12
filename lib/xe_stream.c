// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Splitting a migration stream into packets. Like xe's writer this is
 * byte-exact and trusts nothing: a header is 24 packed little-endian bytes,
 * the payload follows at once, the next header right after it.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xe_stream.h"
#include "xe_stream_internal.h"

void xe_stream_error_set(struct xe_stream_error *err, uint64_t pos,
			 const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->pos = pos;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

static void hdr_from_le(struct xe_sriov_packet_hdr *hdr, const uint8_t *p)
{
	memcpy(hdr, p, sizeof(*hdr));
	hdr->flags = le32toh(hdr->flags);
	hdr->offset = le64toh(hdr->offset);
	hdr->size = le64toh(hdr->size);
}

static int push_packet(struct xe_stream *s, size_t *cap,
		       const struct xe_stream_packet *pkt)
{
	if (s->count == *cap) {
		size_t n = *cap ? *cap * 2 : 16;
		struct xe_stream_packet *p = realloc(s->pkts, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		s->pkts = p;
		*cap = n;
	}
	s->pkts[s->count++] = *pkt;
	return 0;
}

static int parse_one(const uint8_t *buf, size_t len, size_t pos,
		     struct xe_stream_packet *pkt, struct xe_stream_error *err)
{
	const size_t hsz = sizeof(pkt->hdr);

	if (len - pos < hsz) {
		xe_stream_error_set(err, pos,
				    "truncated header: %zu of %zu bytes",
				    len - pos, hsz);
		return -EINVAL;
	}
	hdr_from_le(&pkt->hdr, buf + pos);
	pkt->pos = pos;
	pkt->payload = buf + pos + hsz;
	if (pkt->hdr.version != XE_SRIOV_PACKET_VERSION) {
		xe_stream_error_set(err, pos, "unsupported version %u",
				    pkt->hdr.version);
		return -EINVAL;
	}
	if (pkt->hdr.type == 0) {
		xe_stream_error_set(err, pos, "packet type 0");
		return -EINVAL;
	}
	if (pkt->hdr.size > len - pos - hsz) {
		xe_stream_error_set(err, pos,
				    "truncated %s payload: %zu of %llu bytes",
				    xe_stream_type_name(pkt->hdr.type),
				    len - pos - hsz,
				    (unsigned long long)pkt->hdr.size);
		return -EINVAL;
	}
	return 0;
}

int xe_stream_parse(const void *buf, size_t len, struct xe_stream *s,
		    struct xe_stream_error *err)
{
	struct xe_stream_packet pkt;
	size_t pos = 0, cap = 0;
	int ret = 0;

	memset(s, 0, sizeof(*s));
	while (pos < len) {
		ret = parse_one(buf, len, pos, &pkt, err);
		if (ret)
			break;
		ret = push_packet(s, &cap, &pkt);
		if (ret)
			break;
		pos += sizeof(pkt.hdr) + pkt.hdr.size;
	}
	if (ret) {
		xe_stream_free(s);
		return ret;
	}
	s->len = pos;
	return 0;
}

void xe_stream_free(struct xe_stream *s)
{
	free(s->pkts);
	memset(s, 0, sizeof(*s));
}

const char *xe_stream_type_name(unsigned int type)
{
	static const char *const names[] = {
		[XE_SRIOV_PACKET_TYPE_DESCRIPTOR] = "DESCRIPTOR",
		[XE_SRIOV_PACKET_TYPE_TRAILER] = "TRAILER",
		[XE_SRIOV_PACKET_TYPE_GGTT] = "GGTT",
		[XE_SRIOV_PACKET_TYPE_MMIO] = "MMIO",
		[XE_SRIOV_PACKET_TYPE_GUC] = "GUC",
		[XE_SRIOV_PACKET_TYPE_VRAM] = "VRAM",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "UNKNOWN";
}

uint32_t xe_stream_dword(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

int xe_stream_descriptor_ids(const struct xe_stream_packet *p,
			     uint32_t *devid, uint32_t *revid)
{
	uint64_t n = p->hdr.size / 4, i = 0;
	bool have_dev = false, have_rev = false;

	if (p->hdr.size % 4)
		return -EINVAL;	/* "not in KLV format" */
	while (i < n) {
		uint32_t dw = xe_stream_dword(p->payload + i * 4);
		uint32_t key = XE_SRIOV_KLV_KEY(dw), klen = XE_SRIOV_KLV_LEN(dw);

		if (klen > n - i - 1)
			return -EINVAL;	/* truncated KLV */
		if (klen == 1 && key == XE_SRIOV_MIGRATION_KLV_DEVID) {
			*devid = xe_stream_dword(p->payload + (i + 1) * 4);
			have_dev = true;
		} else if (klen == 1 && key == XE_SRIOV_MIGRATION_KLV_REVID) {
			*revid = xe_stream_dword(p->payload + (i + 1) * 4);
			have_rev = true;
		}
		/* Unknown keys are skipped: forward compatibility, as xe. */
		i += 1 + klen;
	}
	return have_dev && have_rev ? 0 : -EINVAL;
}
