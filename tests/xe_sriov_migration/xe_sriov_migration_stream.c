// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_migration_stream
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: migration data stream
 * Description: The bytes a VF saves are xe's migration stream
 *	(xe_sriov_packet.c): well formed, complete, the same however they
 *	are read or written, and the same through VFIO and through the PF's
 *	debugfs.
 *
 * SUBTEST: layout
 * Run type: BAT
 * Description: A saved stream parses into version-1 packets, DESCRIPTOR
 *	first with this PF's devid/revid, TRAILER last, one GUC, GGTT (one PTE
 *	per page of the VF's slice) and MMIO (16 bytes) packet, and, on a
 *	dgfx PF, VRAM chunks that tile the VF's LMEM exactly once and no
 *	offset at or past its size (xe's stream has no CCS: it saves VRAM
 *	decompressed); on an igfx PF no VRAM packet at all. It passes the
 *	restore-side validation.
 *
 * SUBTEST: size-estimate
 * Run type: BAT
 * Description: MIG_DATA_SIZE in STOP_COPY and debugfs migration_size are
 *	reported and compared with the real size (printed, not required to
 *	be equal: both are estimates).
 *
 * SUBTEST: read-segmentation
 * Run type: FULL
 * Description: Reading the saving fd in pieces of any size (1 byte, odd
 *	sizes, a page, more than the stream) yields the same stream. One
 *	dynamic subtest per pattern.
 *
 * SUBTEST: write-segmentation
 * Run type: FULL
 * Description: Writing a stream into another VF's resuming fd in pieces of
 *	any size restores it: that VF then saves the identical stream, but
 *	for its GuC state, which now says it was migrated (RESFIX_BLOCKED).
 *	One dynamic subtest per pattern.
 *
 * SUBTEST: debugfs-equals-vfio
 * Run type: BAT
 * Description: The stream saved through the PF's debugfs (save,
 *	migration_data) equals the one saved through VFIO.
 */

#include <errno.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "mig_data.h"
#include "pf_backend.h"
#include "sriov_fixture.h"
#include "vf_state.h"
#include "vfio_mig.h"
#include "vfio_migrate.h"
#include "xe_stream.h"

IGT_TEST_DESCRIPTION("Format and transport of a VF's migration stream.");

/* Read piece sizes cycle through the pattern; 0 ends it. */
static const struct seg_pattern {
	const char *name;
	size_t sizes[8];
} patterns[] = {
	{ "bytes", { 1 } },
	{ "odd", { 7, 1, 23, 4097 } },
	{ "header-sized", { 24, 1, 23 } },
	{ "page", { 4096 } },
	{ "large", { 8 << 20 } },
};

/* Patterns of tiny pieces stop after this many bytes (TCG is slow). */
#define TINY_LIMIT	(256u << 10)

static struct sriov_fixture fx;
static struct sriov_vf *a, *b;
static uint8_t *ref;
static size_t ref_len;
static struct xe_stream ref_s;

static void save_vfio(struct vfio_dev *dev, uint8_t **buf, size_t *len)
{
	int fd;

	igt_assert_eq(vfio_mig_goto(dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL), 0);
	igt_assert_eq(mig_data_read_all(fd, 1 << 20, buf, len, NULL), 0);
	close(fd);
	igt_assert_eq(vfio_mig_goto(dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL), 0);
}

/* Read a saving fd in the pattern's piece sizes. */
static void read_pattern(int fd, const struct seg_pattern *p, uint8_t **buf, size_t *len)
{
	size_t cap = 1 << 20, n = 0, k = 0;
	uint8_t *out = malloc(cap);

	igt_assert(out);
	for (;;) {
		size_t want = p->sizes[k] ? p->sizes[k] : p->sizes[0];
		ssize_t r;

		if (want < 64 && n >= TINY_LIMIT)
			want = 1 << 20;
		k = p->sizes[k + 1] ? k + 1 : 0;
		if (n + want > cap) {
			cap = (n + want) * 2;
			out = realloc(out, cap);
			igt_assert(out);
		}
		r = read(fd, out + n, want);
		igt_assert_f(r >= 0, "read of %zu bytes at %zu: %s\n", want, n, strerror(errno));
		if (!r)
			break;
		n += r;
	}
	*buf = out;
	*len = n;
}

static void assert_same_stream(const uint8_t *x, size_t xl, const uint8_t *y, size_t yl)
{
	struct xe_stream sx, sy;
	struct xe_stream_error err;

	if (xl == yl && !memcmp(x, y, xl))
		return;
	if (!xe_stream_parse(x, xl, &sx, &err) && !xe_stream_parse(y, yl, &sy, &err)) {
		xe_stream_diff(stdout, &sx, &sy);
		xe_stream_free(&sx);
		xe_stream_free(&sy);
	}
	igt_assert_f(false, "streams differ (%zu and %zu bytes)\n", xl, yl);
}

/* Equal to the reference packet by packet, the GUC payload aside. */
static void assert_same_but_guc(const uint8_t *buf, size_t len)
{
	struct xe_stream s;
	struct xe_stream_error err;

	igt_assert_f(!xe_stream_parse(buf, len, &s, &err), "parse: %s\n", err.msg);
	igt_assert_eq(s.count, ref_s.count);
	for (size_t i = 0; i < s.count; i++) {
		const struct xe_stream_packet *p = &s.pkts[i], *q = &ref_s.pkts[i];

		igt_assert_f(!memcmp(&p->hdr, &q->hdr, sizeof(p->hdr)),
			     "packet %zu: header differs\n", i);
		if (p->hdr.type == XE_SRIOV_PACKET_TYPE_GUC)
			continue;
		igt_assert_f(!memcmp(p->payload, q->payload, p->hdr.size),
			     "packet %zu (%s): payload differs\n", i,
			     xe_stream_type_name(p->hdr.type));
	}
	xe_stream_free(&s);
}

static void count_types(const struct xe_stream *s, unsigned int *count)
{
	for (size_t i = 0; i < s->count; i++)
		if (s->pkts[i].hdr.type < 8)
			count[s->pkts[i].hdr.type]++;
}

static void layout(void)
{
	struct xe_stream_expect exp = {
		.devid = fx.pfs[0].device_id, .revid = fx.pfs[0].revision_id,
		.check_ids = true,
		.ggtt_size = sriov_vf_n_ptes(a) * 8,
		/* No CCS in xe's stream; no VRAM at all on an igfx PF. */
		.vram_size = fx.pfs[0].igfx ? 0 : a->cfg.lmem_size,
	};
	struct xe_stream s;
	struct xe_stream_error err;
	unsigned int count[8] = { 0 };

	igt_assert_f(!xe_stream_parse(ref, ref_len, &s, &err), "parse: at %llu: %s\n",
		     (unsigned long long)err.pos, err.msg);
	xe_stream_dump(stdout, &s);
	igt_assert_lt(2, (int)s.count);
	igt_assert_eq(s.pkts[0].hdr.type, XE_SRIOV_PACKET_TYPE_DESCRIPTOR);
	igt_assert_eq(s.pkts[s.count - 1].hdr.type, XE_SRIOV_PACKET_TYPE_TRAILER);
	for (size_t i = 0; i < s.count; i++) {
		igt_assert_eq(s.pkts[i].hdr.version, XE_SRIOV_PACKET_VERSION);
		igt_assert_eq(s.pkts[i].hdr.tile_id, 0);
		igt_assert_eq(s.pkts[i].hdr.gt_id, 0);
	}
	count_types(&s, count);
	igt_assert_eq(count[XE_SRIOV_PACKET_TYPE_GUC], 1);
	igt_assert_eq(count[XE_SRIOV_PACKET_TYPE_GGTT], 1);
	igt_assert_eq(count[XE_SRIOV_PACKET_TYPE_MMIO], 1);
	if (fx.pfs[0].igfx)
		igt_assert_f(!count[XE_SRIOV_PACKET_TYPE_VRAM],
			     "%u VRAM packets from a VF of an igfx PF\n",
			     count[XE_SRIOV_PACKET_TYPE_VRAM]);
	else
		igt_assert_lte(1, count[XE_SRIOV_PACKET_TYPE_VRAM]);
	for (size_t i = 0; i < s.count; i++)
		igt_assert_f(s.pkts[i].hdr.type != XE_SRIOV_PACKET_TYPE_VRAM ||
			     s.pkts[i].hdr.offset < a->cfg.lmem_size,
			     "VRAM chunk at %#llx, at or past the LMEM size %#llx\n",
			     (unsigned long long)s.pkts[i].hdr.offset,
			     (unsigned long long)a->cfg.lmem_size);
	igt_assert_f(!xe_stream_validate(&s, &exp, &err), "validate: at %llu: %s\n",
		     (unsigned long long)err.pos, err.msg);
	xe_stream_free(&s);
}

/* xe fails STOP_COPY -> STOP while data is unread: read it all. */
static void drain(int fd)
{
	uint8_t *buf;
	size_t len;

	igt_assert_eq(mig_data_read_all(fd, 1 << 20, &buf, &len, NULL), 0);
	free(buf);
}

static void size_estimate(void)
{
	uint64_t est = 0, dbg = 0;
	int fd;

	igt_assert_eq(vfio_mig_goto(&a->dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL), 0);
	igt_assert_eq(vfio_mig_data_size(&a->dev, &est), 0);
	drain(fd);
	close(fd);
	igt_assert_eq(vfio_mig_goto(&a->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL), 0);
	igt_assert_eq(pf_vf_migration_size(&a->vf, &dbg), 0);
	igt_info("stream %zu bytes; MIG_DATA_SIZE %llu (%+.2f%%); migration_size %llu (%+.2f%%)\n",
		 ref_len, (unsigned long long)est, 100.0 * ((double)est - ref_len) / ref_len,
		 (unsigned long long)dbg, 100.0 * ((double)dbg - ref_len) / ref_len);
	igt_assert_f(est > 0 && dbg > 0, "a size estimate of 0 for a %zu-byte stream\n", ref_len);
}

static void read_segmentation(const struct seg_pattern *p)
{
	uint8_t *buf;
	size_t len;
	int fd;

	igt_assert_eq(vfio_mig_goto(&a->dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL), 0);
	read_pattern(fd, p, &buf, &len);
	close(fd);
	igt_assert_eq(vfio_mig_goto(&a->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL), 0);
	assert_same_stream(ref, ref_len, buf, len);
	free(buf);
}

static void write_pattern(int fd, const struct seg_pattern *p)
{
	size_t n = 0, k = 0;

	while (n < ref_len) {
		size_t want = p->sizes[k];
		ssize_t w;

		if (want < 64 && n >= TINY_LIMIT)
			want = 1 << 20;
		k = p->sizes[k + 1] ? k + 1 : 0;
		if (want > ref_len - n)
			want = ref_len - n;
		w = write(fd, ref + n, want);
		igt_assert_f(w > 0, "write of %zu bytes at %zu: %s\n", want, n, strerror(errno));
		n += w;
	}
}

static void write_segmentation(const struct seg_pattern *p)
{
	uint8_t *buf;
	size_t len;
	int fd;

	igt_assert_eq(vfio_dev_reset(&b->dev), 0);
	igt_assert_eq(vfio_mig_goto(&b->dev, VFIO_DEVICE_STATE_RESUMING, &fd, NULL), 0);
	write_pattern(fd, p);
	close(fd);
	igt_assert_eq(vfio_mig_goto(&b->dev, VFIO_DEVICE_STATE_STOP, NULL, NULL), 0);
	save_vfio(&b->dev, &buf, &len);
	assert_same_but_guc(buf, len);
	free(buf);
}

static void debugfs_equals_vfio(void)
{
	uint8_t *buf;
	size_t len;

	igt_assert_eq(pf_vf_control(&a->vf, PF_VF_PAUSE), 0);
	igt_assert_eq(pf_vf_save(&a->vf, &buf, &len), 0);
	igt_assert_eq(pf_vf_control(&a->vf, PF_VF_RESUME), 0);
	assert_same_stream(ref, ref_len, buf, len);
	free(buf);
}

int igt_main()
{
	igt_fixture() {
		struct xe_stream_error perr;
		int err = sriov_fixture_init(&fx);

		igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
		igt_require_f(!sriov_fixture_enable(&fx, 0, 2), "cannot enable 2 VFs\n");
		a = &fx.vfs[0][0];
		b = &fx.vfs[0][1];
		igt_assert_eq(vf_state_fill(&a->dev, sriov_vf_n_ptes(a), 0x5eed), 0);
		save_vfio(&a->dev, &ref, &ref_len);
		igt_assert(!xe_stream_parse(ref, ref_len, &ref_s, &perr));
	}

	igt_describe("Packets, order and coverage of a saved stream.");
	igt_subtest("layout")
		layout();

	igt_describe("Size estimates against the real size.");
	igt_subtest("size-estimate")
		size_estimate();

	igt_describe("Any read segmentation yields the same stream.");
	igt_subtest_with_dynamic("read-segmentation")
		for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
			igt_dynamic(patterns[i].name)
				read_segmentation(&patterns[i]);

	igt_describe("Any write segmentation restores the same stream.");
	igt_subtest_with_dynamic("write-segmentation")
		for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
			igt_dynamic(patterns[i].name)
				write_segmentation(&patterns[i]);

	igt_describe("debugfs and VFIO save the same stream.");
	igt_subtest("debugfs-equals-vfio")
		debugfs_equals_vfio();

	igt_fixture() {
		xe_stream_free(&ref_s);
		free(ref);
		sriov_fixture_disable(&fx, -1);
	}
}
