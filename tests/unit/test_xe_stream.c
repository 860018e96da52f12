// SPDX-License-Identifier: MIT
/*
 * The migration stream codec (lib/xe_stream*.c): parsing, xe's restore
 * checks and the structural rules of a save, dump and diff.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xe_stream.h"
#include "xe_stream_edit.h"

#define DEVID 0xe20b
#define REVID 0x00
#define LMEM (3 * 4096)
#define GGTT 64

struct buf {
	uint8_t data[65536];
	size_t len;
};

static void put(struct buf *b, uint8_t type, uint8_t gt, uint64_t off,
		const void *payload, uint64_t size)
{
	struct xe_sriov_packet_hdr h = {
		.version = XE_SRIOV_PACKET_VERSION, .type = type, .gt_id = gt,
		.offset = off, .size = size,
	};

	memcpy(b->data + b->len, &h, sizeof(h));
	b->len += sizeof(h);
	if (payload)
		memcpy(b->data + b->len, payload, size);
	else
		memset(b->data + b->len, 0x5a, size);
	b->len += size;
}

static void put_descriptor(struct buf *b, uint32_t devid, uint32_t revid)
{
	uint32_t klv[] = {
		XE_SRIOV_KLV_HDR(XE_SRIOV_MIGRATION_KLV_DEVID, 1), devid,
		XE_SRIOV_KLV_HDR(0xf0ff, 1), 0xdead,	/* unknown: skipped */
		XE_SRIOV_KLV_HDR(XE_SRIOV_MIGRATION_KLV_REVID, 1), revid,
	};

	put(b, XE_SRIOV_PACKET_TYPE_DESCRIPTOR, 0, 0, klv, sizeof(klv));
}

/* A stream as xe saves it: descriptor, GUC, GGTT, MMIO, 2 VRAM chunks, trailer. */
static void good_stream(struct buf *b)
{
	b->len = 0;
	put_descriptor(b, DEVID, REVID);
	put(b, XE_SRIOV_PACKET_TYPE_GUC, 0, 0, NULL, 100);
	put(b, XE_SRIOV_PACKET_TYPE_GGTT, 0, 0, NULL, GGTT);
	put(b, XE_SRIOV_PACKET_TYPE_MMIO, 0, 0, NULL, XE_SRIOV_MMIO_PAYLOAD_SIZE);
	put(b, XE_SRIOV_PACKET_TYPE_VRAM, 0, 0, NULL, 2 * 4096);
	put(b, XE_SRIOV_PACKET_TYPE_VRAM, 0, 2 * 4096, NULL, 4096);
	put(b, XE_SRIOV_PACKET_TYPE_TRAILER, 0, 0, NULL, 0);
}

static const struct xe_stream_expect expect = {
	.devid = DEVID, .revid = REVID, .check_ids = true,
	.ggtt_size = GGTT, .vram_size = LMEM,
};

static int parse_validate(struct buf *b, struct xe_stream_error *err)
{
	struct xe_stream s;
	int ret = xe_stream_parse(b->data, b->len, &s, err);

	if (ret)
		return ret;
	ret = xe_stream_validate(&s, &expect, err);
	xe_stream_free(&s);
	return ret;
}

static void test_good(void **state)
{
	struct xe_stream_error err;
	struct xe_stream s;
	struct buf b;
	uint32_t devid, revid;

	good_stream(&b);
	assert_int_equal(xe_stream_parse(b.data, b.len, &s, &err), 0);
	assert_int_equal(s.count, 7);
	assert_int_equal(s.len, b.len);
	assert_int_equal(s.pkts[5].hdr.offset, 2 * 4096);
	assert_int_equal(xe_stream_descriptor_ids(&s.pkts[0], &devid, &revid), 0);
	assert_int_equal(devid, DEVID);
	assert_int_equal(xe_stream_validate(&s, &expect, &err), 0);
	xe_stream_free(&s);
}

/* Cut at every byte: parse or validation must fail, never crash. */
static void test_truncated_everywhere(void **state)
{
	struct xe_stream_error err;
	struct buf b;
	size_t full;

	good_stream(&b);
	full = b.len;
	for (size_t cut = 0; cut < full; cut++) {
		b.len = cut;
		assert_int_equal(parse_validate(&b, &err), -EINVAL);
	}
}

static void test_bad_header(void **state)
{
	struct xe_stream_error err;
	struct buf b;

	good_stream(&b);
	b.data[0] = 2;			/* version */
	assert_int_equal(parse_validate(&b, &err), -EINVAL);
	assert_int_equal(err.pos, 0);
	assert_non_null(strstr(err.msg, "version"));

	good_stream(&b);
	b.data[sizeof(struct xe_sriov_packet_hdr) + 24 + 1] = 0;	/* GUC type */
	assert_int_equal(parse_validate(&b, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "type 0"));
}

static void test_id_mismatch(void **state)
{
	struct xe_stream_error err;
	struct buf b = { .len = 0 };

	put_descriptor(&b, 0xe211, REVID);
	put(&b, XE_SRIOV_PACKET_TYPE_TRAILER, 0, 0, NULL, 0);
	assert_int_equal(parse_validate(&b, &err), -ENODEV);

	b.len = 0;
	put_descriptor(&b, DEVID, 0x01);
	put(&b, XE_SRIOV_PACKET_TYPE_TRAILER, 0, 0, NULL, 0);
	assert_int_equal(parse_validate(&b, &err), -ENODEV);
}

static void test_broken_klv(void **state)
{
	uint32_t klv[] = { XE_SRIOV_KLV_HDR(XE_SRIOV_MIGRATION_KLV_DEVID, 3), DEVID };
	struct xe_stream_error err;
	struct buf b = { .len = 0 };

	put(&b, XE_SRIOV_PACKET_TYPE_DESCRIPTOR, 0, 0, klv, sizeof(klv));
	put(&b, XE_SRIOV_PACKET_TYPE_TRAILER, 0, 0, NULL, 0);
	assert_int_equal(parse_validate(&b, &err), -EINVAL);

	b.len = 0;
	put(&b, XE_SRIOV_PACKET_TYPE_DESCRIPTOR, 0, 0, klv, 6);	/* not dwords */
	put(&b, XE_SRIOV_PACKET_TYPE_TRAILER, 0, 0, NULL, 0);
	assert_int_equal(parse_validate(&b, &err), -EINVAL);
}

/* Build a stream from descriptor + the given packets + trailer. */
static void stream_of(struct buf *b, const uint8_t *types, const uint64_t *sizes,
		      const uint64_t *offs, int n, bool trailer)
{
	b->len = 0;
	put_descriptor(b, DEVID, REVID);
	for (int i = 0; i < n; i++)
		put(b, types[i], 0, offs ? offs[i] : 0, NULL, sizes[i]);
	if (trailer)
		put(b, XE_SRIOV_PACKET_TYPE_TRAILER, 0, 0, NULL, 0);
}

enum { G = XE_SRIOV_PACKET_TYPE_GUC, T = XE_SRIOV_PACKET_TYPE_GGTT,
       M = XE_SRIOV_PACKET_TYPE_MMIO, V = XE_SRIOV_PACKET_TYPE_VRAM,
       D = XE_SRIOV_PACKET_TYPE_DESCRIPTOR, E = XE_SRIOV_PACKET_TYPE_TRAILER };

static void expect_invalid(const uint8_t *types, const uint64_t *sizes,
			   const uint64_t *offs, int n, bool trailer,
			   const char *why)
{
	struct xe_stream_error err;
	struct buf b;

	stream_of(&b, types, sizes, offs, n, trailer);
	assert_int_equal(parse_validate(&b, &err), -EINVAL);
	if (!strstr(err.msg, why))
		fail_msg("'%s' does not say '%s'", err.msg, why);
}

static void test_structure(void **state)
{
	const uint64_t sz[] = { 100, GGTT, 16, LMEM, 0 };
	const uint64_t off[] = { 0, 0, 0, 0, 0 };

	expect_invalid((uint8_t[]){ G, T, M, V }, sz, off, 4, false, "no TRAILER");
	expect_invalid((uint8_t[]){ G, T, M, V, E }, sz, off, 5, true, "TRAILER before");
	expect_invalid((uint8_t[]){ G, T, D, V }, (uint64_t[]){ 100, GGTT, 24, LMEM },
		       off, 4, true, "second DESCRIPTOR");
	expect_invalid((uint8_t[]){ G, T, 7, V }, sz, off, 4, true, "unknown packet type 7");
	expect_invalid((uint8_t[]){ G, T, M, V }, (uint64_t[]){ 100, GGTT, 12, LMEM },
		       off, 4, true, "MMIO: size 12");
	expect_invalid((uint8_t[]){ G, T, M, V }, (uint64_t[]){ 100, 8, 16, LMEM },
		       off, 4, true, "GGTT: size 8");
	expect_invalid((uint8_t[]){ T, G, M, V }, (uint64_t[]){ GGTT, 100, 16, LMEM },
		       off, 4, true, "GUC out of order");
}

static void test_vram_cover(void **state)
{
	const uint8_t t[] = { G, T, M, V, V };

	/* Out of the object, overlap, gap, short, missing. */
	expect_invalid(t, (uint64_t[]){ 100, GGTT, 16, 4096, 4096 },
		       (uint64_t[]){ 0, 0, 0, 0, LMEM }, 5, true, "outside");
	expect_invalid(t, (uint64_t[]){ 100, GGTT, 16, 8192, 8192 },
		       (uint64_t[]){ 0, 0, 0, 0, 4096 }, 5, true, "overlap");
	expect_invalid(t, (uint64_t[]){ 100, GGTT, 16, 4096, 4096 },
		       (uint64_t[]){ 0, 0, 0, 0, 8192 }, 5, true, "gap");
	expect_invalid(t, (uint64_t[]){ 100, GGTT, 16, 4096, 4096 },
		       (uint64_t[]){ 0, 0, 0, 0, 4096 }, 5, true, "cover");
	expect_invalid(t, (uint64_t[]){ 100, GGTT, 16 }, NULL, 3, true, "no VRAM");
	/* offset + size wraps around */
	expect_invalid(t, (uint64_t[]){ 100, GGTT, 16, 4096, 0 },
		       (uint64_t[]){ 0, 0, 0, UINT64_MAX - 100, 0 }, 4, true, "outside");
}

/* A BMG-class stream: GT 0's GUC, GGTT, MMIO, VRAM, then GT 1's GUC, MMIO. */
static void two_gt_stream(struct buf *b)
{
	b->len = 0;
	put_descriptor(b, DEVID, REVID);
	put(b, XE_SRIOV_PACKET_TYPE_GUC, 0, 0, NULL, 100);
	put(b, XE_SRIOV_PACKET_TYPE_GGTT, 0, 0, NULL, GGTT);
	put(b, XE_SRIOV_PACKET_TYPE_MMIO, 0, 0, NULL, XE_SRIOV_MMIO_PAYLOAD_SIZE);
	put(b, XE_SRIOV_PACKET_TYPE_VRAM, 0, 0, NULL, LMEM);
	put(b, XE_SRIOV_PACKET_TYPE_GUC, 1, 0, NULL, 64);
	put(b, XE_SRIOV_PACKET_TYPE_MMIO, 1, 0, NULL, XE_SRIOV_MMIO_PAYLOAD_SIZE);
	put(b, XE_SRIOV_PACKET_TYPE_TRAILER, 0, 0, NULL, 0);
}

static int validate_gts(struct buf *b, unsigned int num_gts, struct xe_stream_error *err)
{
	struct xe_stream_expect exp = expect;
	struct xe_stream s;
	int ret = xe_stream_parse(b->data, b->len, &s, err);

	if (ret)
		return ret;
	exp.num_gts = num_gts;
	ret = xe_stream_validate(&s, &exp, err);
	xe_stream_free(&s);
	return ret;
}

/* Set gt_id of packet i (0 = descriptor) of a stream built by put(). */
static void set_gt(struct buf *b, size_t i, uint8_t gt)
{
	size_t pos = 0;

	for (; i; i--) {
		struct xe_sriov_packet_hdr h;

		memcpy(&h, b->data + pos, sizeof(h));
		pos += sizeof(h) + h.size;
	}
	b->data[pos + offsetof(struct xe_sriov_packet_hdr, gt_id)] = gt;
}

static void test_gts(void **state)
{
	struct xe_stream_error err;
	struct buf b;

	two_gt_stream(&b);
	assert_int_equal(validate_gts(&b, 2, &err), 0);
	/* Without a GT count the rules are per GT only. */
	assert_int_equal(validate_gts(&b, 0, &err), 0);
	/* A GT the device does not have. */
	assert_int_equal(validate_gts(&b, 1, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "has 1 GTs"));
	/* GT 1's GUC before GT 0's VRAM: xe drains GT 0 first. */
	b.len = 0;
	put_descriptor(&b, DEVID, REVID);
	put(&b, XE_SRIOV_PACKET_TYPE_GUC, 0, 0, NULL, 100);
	put(&b, XE_SRIOV_PACKET_TYPE_GGTT, 0, 0, NULL, GGTT);
	put(&b, XE_SRIOV_PACKET_TYPE_GUC, 1, 0, NULL, 64);
	put(&b, XE_SRIOV_PACKET_TYPE_MMIO, 0, 0, NULL, XE_SRIOV_MMIO_PAYLOAD_SIZE);
	put(&b, XE_SRIOV_PACKET_TYPE_VRAM, 0, 0, NULL, LMEM);
	put(&b, XE_SRIOV_PACKET_TYPE_MMIO, 1, 0, NULL, XE_SRIOV_MMIO_PAYLOAD_SIZE);
	put(&b, XE_SRIOV_PACKET_TYPE_TRAILER, 0, 0, NULL, 0);
	assert_int_equal(validate_gts(&b, 2, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "after gt 1"));
	/* VRAM from the media GT. */
	two_gt_stream(&b);
	set_gt(&b, 4, 1);
	assert_int_equal(validate_gts(&b, 2, &err), -EINVAL);
	/* The media GT's MMIO missing: a 1-GT stream for a 2-GT device. */
	good_stream(&b);
	assert_int_equal(validate_gts(&b, 2, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "gt 1: 0 GUC and 0 MMIO"));
}

static void test_trailer_fields(void **state)
{
	struct xe_stream_error err;
	struct buf b;

	good_stream(&b);
	/* Trailer is the last 24 bytes; set its offset. */
	b.data[b.len - 16] = 1;
	assert_int_equal(parse_validate(&b, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "TRAILER: tile 0 gt 0 offset 1"));
}

static void test_dump_diff(void **state)
{
	struct xe_stream a, b2;
	struct buf b, c;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);

	good_stream(&b);
	good_stream(&c);
	c.data[b.len - 24 - 100] ^= 0xff;	/* a byte of the last VRAM chunk */
	assert_int_equal(xe_stream_parse(b.data, b.len, &a, NULL), 0);
	assert_int_equal(xe_stream_parse(c.data, c.len, &b2, NULL), 0);
	assert_int_equal(xe_stream_diff(f, &a, &a), 0);
	assert_int_equal(xe_stream_diff(f, &a, &b2), 1);
	xe_stream_dump(f, &a);
	fclose(f);
	assert_non_null(strstr(out, "packet 5 (VRAM): 1 of 4096 payload bytes differ, first at +0xf9c"));
	assert_non_null(strstr(out, "devid 0xe20b revid 0x00"));
	assert_non_null(strstr(out, "7 packets"));
	free(out);
	xe_stream_free(&a);
	xe_stream_free(&b2);
}

/* Unedited, the editor writes back the very same bytes. */
static void test_edit_roundtrip(void **state)
{
	struct xe_stream_error err;
	struct xe_stream_edit e;
	struct xe_stream s;
	struct buf b;
	uint8_t *out;
	size_t len;

	good_stream(&b);
	assert_int_equal(xe_stream_parse(b.data, b.len, &s, &err), 0);
	assert_int_equal(xe_stream_edit_from(&e, &s), 0);
	assert_int_equal(xe_stream_edit_bytes(&e, false, &out, &len), 0);
	assert_int_equal(len, b.len);
	assert_memory_equal(out, b.data, len);
	free(out);
	xe_stream_edit_free(&e);
	xe_stream_free(&s);
}

static int edited_validate(struct xe_stream_edit *e, bool keep_sizes)
{
	struct xe_stream_error err;
	struct buf b;
	uint8_t *out;
	size_t len;
	int ret;

	assert_int_equal(xe_stream_edit_bytes(e, keep_sizes, &out, &len), 0);
	assert_true(len <= sizeof(b.data));
	memcpy(b.data, out, len);
	b.len = len;
	free(out);
	ret = parse_validate(&b, &err);
	xe_stream_edit_free(e);
	return ret;
}

static void edit_good(struct xe_stream_edit *e)
{
	struct xe_stream_error err;
	struct xe_stream s;
	static struct buf b;

	good_stream(&b);
	assert_int_equal(xe_stream_parse(b.data, b.len, &s, &err), 0);
	assert_int_equal(xe_stream_edit_from(e, &s), 0);
	xe_stream_free(&s);
}

/* Each edit the negative tests make is caught by the restore-side checks. */
static void test_edit_mutations(void **state)
{
	struct xe_stream_edit e;

	edit_good(&e);
	assert_int_equal(xe_stream_edit_find(&e, XE_SRIOV_PACKET_TYPE_MMIO, 0), 3);
	assert_int_equal(xe_stream_edit_find(&e, XE_SRIOV_PACKET_TYPE_VRAM, 5), 5);
	assert_int_equal(xe_stream_edit_find(&e, 0x42, 0), -1);
	assert_int_equal(edited_validate(&e, false), 0);

	edit_good(&e);
	assert_int_equal(xe_stream_edit_drop(&e, 6), 0);		/* no trailer */
	assert_int_equal(edited_validate(&e, false), -EINVAL);
	edit_good(&e);
	assert_int_equal(xe_stream_edit_dup(&e, 6, 7), 0);		/* two trailers */
	assert_int_equal(edited_validate(&e, false), -EINVAL);
	edit_good(&e);
	assert_int_equal(xe_stream_edit_dup(&e, 4, 5), 0);		/* VRAM overlap */
	assert_int_equal(edited_validate(&e, false), -EINVAL);
	edit_good(&e);
	assert_int_equal(xe_stream_edit_resize(&e, 3, 12), 0);		/* MMIO short */
	assert_int_equal(e.pkts[3].hdr.size, 12);
	assert_int_equal(edited_validate(&e, false), -EINVAL);
	edit_good(&e);
	assert_int_equal(xe_stream_edit_resize(&e, 2, GGTT + 8), 0);	/* GGTT long */
	assert_int_equal(edited_validate(&e, false), -EINVAL);
	edit_good(&e);
	e.pkts[1].hdr.size = 1 << 20;				/* header lies */
	assert_int_equal(edited_validate(&e, true), -EINVAL);
	edit_good(&e);
	assert_int_equal(xe_stream_edit_drop(&e, 9), -EINVAL);
	assert_int_equal(xe_stream_edit_dup(&e, 0, 9), -EINVAL);
	xe_stream_edit_free(&e);
}

/* Two saves: PTEs with VF ids vfid (and a flipped address bit), MMIO byte. */
static void state_stream(struct buf *b, unsigned int vfid, uint64_t addr_flip, uint8_t mmio0,
			 bool guc)
{
	uint64_t ptes[GGTT / 8];
	uint8_t mmio[XE_SRIOV_MMIO_PAYLOAD_SIZE] = { mmio0 };

	for (size_t i = 0; i < GGTT / 8; i++)
		ptes[i] = 1 | ((uint64_t)vfid << 2) | ((i * 4096) ^ (i == 3 ? addr_flip : 0));
	b->len = 0;
	put_descriptor(b, DEVID, REVID);
	if (guc)
		put(b, XE_SRIOV_PACKET_TYPE_GUC, 0, 0, NULL, 100);
	put(b, XE_SRIOV_PACKET_TYPE_GGTT, 0, 0, ptes, sizeof(ptes));
	put(b, XE_SRIOV_PACKET_TYPE_MMIO, 0, 0, mmio, sizeof(mmio));
	put(b, XE_SRIOV_PACKET_TYPE_TRAILER, 0, 0, NULL, 0);
}

static bool state_equal(struct buf *a, struct buf *b, unsigned int what, char *rep)
{
	struct xe_stream sa, sb;
	struct xe_stream_error err;
	bool eq;

	assert_int_equal(xe_stream_parse(a->data, a->len, &sa, &err), 0);
	assert_int_equal(xe_stream_parse(b->data, b->len, &sb, &err), 0);
	eq = xe_stream_state_equal(&sa, &sb, what, rep, 512);
	xe_stream_free(&sa);
	xe_stream_free(&sb);
	return eq;
}

static void test_state_equal(void **state)
{
	static struct buf a, b;
	const unsigned int all = XE_STREAM_STATE_GGTT | XE_STREAM_STATE_MMIO |
				 XE_STREAM_STATE_GUC;
	char rep[512];

	(void)state;
	state_stream(&a, 1, 0, 7, true);
	state_stream(&b, 2, 0, 7, true);
	/* Only the VF ids differ: equal. */
	assert_true(state_equal(&a, &b, all, rep));
	assert_string_equal(rep, "");
	/* A PTE's address: GGTT differs, at PTE 3. */
	state_stream(&b, 2, 1ull << 20, 7, true);
	assert_false(state_equal(&a, &b, all, rep));
	assert_non_null(strstr(rep, "GGTT gt0: differs at byte 24"));
	assert_true(state_equal(&a, &b, XE_STREAM_STATE_MMIO, rep));
	/* A register. */
	state_stream(&b, 1, 0, 8, true);
	assert_false(state_equal(&a, &b, all, rep));
	assert_non_null(strstr(rep, "MMIO gt0: differs at byte 0"));
	assert_true(state_equal(&a, &b, XE_STREAM_STATE_GGTT, rep));
	/* The GuC blob missing, or extra. */
	state_stream(&b, 1, 0, 7, false);
	assert_false(state_equal(&a, &b, all, rep));
	assert_non_null(strstr(rep, "missing"));
	assert_true(state_equal(&a, &b, XE_STREAM_STATE_GGTT | XE_STREAM_STATE_MMIO, rep));
	assert_false(state_equal(&b, &a, all, rep));
	assert_non_null(strstr(rep, "not in the source's save"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_id_mismatch),
		cmocka_unit_test(test_broken_klv),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_vram_cover),
		cmocka_unit_test(test_trailer_fields),
		cmocka_unit_test(test_gts),
		cmocka_unit_test(test_dump_diff),
		cmocka_unit_test(test_edit_roundtrip),
		cmocka_unit_test(test_edit_mutations),
		cmocka_unit_test(test_state_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
