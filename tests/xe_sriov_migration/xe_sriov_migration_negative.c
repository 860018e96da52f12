// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_migration_negative
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: restore of broken streams
 * Description: A broken or foreign stream is refused as xe refuses it
 *	(ENODEV for another device's stream, EINVAL for a malformed packet,
 *	ETIMEDOUT when the trailer never comes), through the VFIO resuming fd
 *	and through the PF's debugfs; it writes nothing into any other VF, and
 *	the target VF works again after a reset: a valid stream then restores
 *	into it. What xe tolerates (packet order it does not check, unknown
 *	packet types it skips) must not harm either.
 *
 * SUBTEST: truncated
 * Run type: FULL
 * Description: The stream cut at every packet boundary and in the middle
 *	of every header and payload: the restore waits for the trailer and
 *	fails with ETIMEDOUT (xe_sriov_sim's restore_timeout_ms is lowered for
 *	the test). One dynamic subtest per cut.
 *
 * SUBTEST: bad-header
 * Run type: BAT
 * Description: A wrong version or type 0 (EINVAL), a header whose size
 *	runs past the end; an unknown type is skipped as xe skips it and the
 *	VF holds the stream's content. One dynamic subtest per defect.
 *
 * SUBTEST: wrong-device
 * Run type: BAT
 * Description: A stream of the second PF (other devid), and descriptors
 *	with a patched devid or revid, are refused with ENODEV.
 *
 * SUBTEST: bad-sizes
 * Run type: BAT
 * Description: GGTT and MMIO payloads one entry short or long, VRAM
 *	chunks out of the LMEM object's bounds (EINVAL); a chunk sent twice
 *	is tolerated.
 *
 * SUBTEST: bad-order
 * Run type: BAT
 * Description: A missing trailer (ETIMEDOUT), a second trailer or data
 *	after it (EINVAL); a missing, late or doubled descriptor, which xe
 *	does not check, must at least not harm.
 *
 * SUBTEST: garbage
 * Run type: BAT
 * Description: Random bytes, and a valid stream with its payloads
 *	scrambled, never restore and never hurt the kernel.
 *
 * SUBTEST: fuzz
 * Run type: FULL
 * Description: The good stream with 1 to 8 random bytes changed (mostly
 *	in the headers and small payloads at its start), 16 rounds from a
 *	printed seed: each restore ends in success or one of the errnos
 *	xe's restore gives (EINVAL, ENODEV, EIO, ETIMEDOUT), never another
 *	result, and afterwards the destination resets, takes the good
 *	stream and the other VFs are unchanged.
 *
 * SUBTEST: debugfs-restore
 * Run type: BAT
 * Description: The same refusals through the PF's debugfs restore and
 *	migration_data files, with the same errnos.
 */

#include <errno.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "mig_data.h"
#include "sriov_fixture.h"
#include "sysfs_util.h"
#include "vf_state.h"
#include "vfio_mig.h"
#include "vfio_migrate.h"
#include "xe_stream.h"
#include "xe_stream_edit.h"

IGT_TEST_DESCRIPTION("Broken migration streams are refused and harm nothing.");

static struct sriov_fixture fx;
static struct sriov_vf *src, *dst;
static uint8_t *ref, *foreign;
static size_t ref_len, foreign_len;
static struct xe_stream ref_s;
static char report[4096];

/*
 * A restore missing its trailer waits restore_timeout_ms (xe: 20 s) before
 * ETIMEDOUT. The sim lets the test shorten that; xe cannot be hurried.
 */
#define SIM_RESTORE_TIMEOUT "/sys/module/xe_sriov_sim/parameters/restore_timeout_ms"
static char saved_timeout[32];

static void shorten_restore_timeout(void)
{
	if (fx.ops != &pf_backend_sim ||
	    sysfs_read_str(SIM_RESTORE_TIMEOUT, saved_timeout, sizeof(saved_timeout)))
		return;
	igt_assert_eq(sysfs_write_str(SIM_RESTORE_TIMEOUT, "1000"), 0);
}

static void restore_restore_timeout(void)
{
	if (saved_timeout[0])
		sysfs_write_str(SIM_RESTORE_TIMEOUT, saved_timeout);
}

static void save(struct sriov_vf *v, uint8_t **buf, size_t *len)
{
	int fd;

	igt_assert_eq(vfio_mig_goto(&v->dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL), 0);
	igt_assert_eq(mig_data_read_all(fd, 1 << 20, buf, len, NULL), 0);
	close(fd);
	igt_assert_eq(vfio_mig_goto(&v->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL), 0);
}

/*
 * Feed buf to dst through VFIO and leave RESUMING. The first error
 * (write() or the RESUMING -> STOP commit) is the result.
 */
static int restore_vfio(const uint8_t *buf, size_t len)
{
	int fd, err;

	igt_assert_eq(vfio_dev_reset(&dst->dev), 0);
	igt_assert_eq(vfio_mig_goto(&dst->dev, VFIO_DEVICE_STATE_RESUMING, &fd, NULL), 0);
	err = mig_data_write_all(fd, buf, len, 64 << 10, NULL);
	close(fd);
	if (!err)
		err = vfio_mig_set_state(&dst->dev, VFIO_DEVICE_STATE_STOP, NULL);
	return err;
}

/* After a refusal: others untouched, dst usable after reset. */
static void assert_recovers(struct vf_state *others, int n_others, struct sriov_vf **ov)
{
	struct vf_state st;

	igt_assert_eq(vfio_dev_reset(&dst->dev), 0);
	igt_assert_eq(vfio_mig_goto(&dst->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL), 0);
	for (int i = 0; i < n_others; i++) {
		igt_assert_eq(vf_state_capture(&ov[i]->dev, sriov_vf_n_ptes(ov[i]), &st), 0);
		igt_assert_f(vf_state_equal(&others[i], &st, ov[i]->vf.vf_id, report,
					    sizeof(report)),
			     "VF%u changed by a refused restore:\n%s", ov[i]->vf.vf_id, report);
		vf_state_free(&st);
	}
	igt_assert_eq(restore_vfio(ref, ref_len), 0);
	igt_assert_eq(vfio_mig_goto(&dst->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL), 0);
}

/* A result is one of allowed[], a 0-terminated list of errnos; OK = 0 first. */
#define OK		0
#define TOLERATED	-1	/* success or EINVAL: xe does not check it */

static bool allowed_result(int err, int want)
{
	if (want == TOLERATED)
		return err == 0 || err == -EINVAL;
	return err == -want;
}

static void expect_refused(const uint8_t *buf, size_t len, int want)
{
	struct sriov_vf *ov[SRIOV_FIXTURE_MAX_VFS];
	struct vf_state others[SRIOV_FIXTURE_MAX_VFS];
	int n = 0, err;

	for (unsigned int i = 0; i < fx.n_vfs[0]; i++)
		if (&fx.vfs[0][i] != dst) {
			ov[n] = &fx.vfs[0][i];
			igt_assert_eq(vf_state_capture(&ov[n]->dev, sriov_vf_n_ptes(ov[n]),
						       &others[n]), 0);
			n++;
		}
	err = restore_vfio(buf, len);
	igt_assert_f(allowed_result(err, want),
		     "restore of a broken %zu-byte stream: %s, expected %s\n", len,
		     err ? strerror(-err) : "success",
		     want == TOLERATED ? "success or EINVAL" : strerror(want));
	if (want == TOLERATED)
		igt_info("tolerated: %s\n", err ? strerror(-err) : "accepted");
	assert_recovers(others, n, ov);
	for (int i = 0; i < n; i++)
		vf_state_free(&others[i]);
}

static void expect_edit_refused(struct xe_stream_edit *e, bool keep_sizes, int want)
{
	uint8_t *buf;
	size_t len;

	igt_assert_eq(xe_stream_edit_bytes(e, keep_sizes, &buf, &len), 0);
	expect_refused(buf, len, want);
	free(buf);
	xe_stream_edit_free(e);
}

static void edit(struct xe_stream_edit *e)
{
	igt_assert_eq(xe_stream_edit_from(e, &ref_s), 0);
}

static int find(struct xe_stream_edit *e, unsigned int type)
{
	int i = xe_stream_edit_find(e, type, 0);

	igt_assert_lte(0, i);
	return i;
}

static void truncated(void)
{
	for (size_t i = 0; i < ref_s.count; i++) {
		const struct xe_stream_packet *p = &ref_s.pkts[i];

		igt_dynamic_f("at-packet-%zu", i)
			expect_refused(ref, p->pos, ETIMEDOUT);
		igt_dynamic_f("mid-header-%zu", i)
			expect_refused(ref, p->pos + 11, ETIMEDOUT);
		if (p->hdr.size > 1)
			igt_dynamic_f("mid-payload-%zu", i)
				expect_refused(ref, p->pos + 24 + p->hdr.size / 2, ETIMEDOUT);
	}
}

/* xe skips packets of unknown type: forward compatibility. */
static void unknown_type_skipped(void)
{
	struct xe_stream_edit e;
	struct vf_state want, got;
	uint8_t *buf;
	size_t len;

	edit(&e);
	igt_assert_eq(xe_stream_edit_dup(&e, find(&e, XE_SRIOV_PACKET_TYPE_MMIO), 1), 0);
	e.pkts[1].hdr.type = 0x42;
	igt_assert_eq(xe_stream_edit_bytes(&e, false, &buf, &len), 0);
	xe_stream_edit_free(&e);
	igt_assert_eq(vf_state_capture(&src->dev, sriov_vf_n_ptes(src), &want), 0);
	igt_assert_eq(restore_vfio(buf, len), 0);
	igt_assert_eq(vfio_mig_goto(&dst->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL), 0);
	igt_assert_eq(vf_state_capture(&dst->dev, sriov_vf_n_ptes(dst), &got), 0);
	igt_assert_f(vf_state_equal(&want, &got, dst->vf.vf_id, report, sizeof(report)),
		     "after a stream with an unknown packet:\n%s", report);
	vf_state_free(&want);
	vf_state_free(&got);
	free(buf);
}

static void bad_header(void)
{
	struct xe_stream_edit e;

	igt_dynamic("version") {
		edit(&e);
		e.pkts[find(&e, XE_SRIOV_PACKET_TYPE_GGTT)].hdr.version = 2;
		expect_edit_refused(&e, false, EINVAL);
	}
	igt_dynamic("type-zero") {
		edit(&e);
		e.pkts[find(&e, XE_SRIOV_PACKET_TYPE_MMIO)].hdr.type = 0;
		expect_edit_refused(&e, false, EINVAL);
	}
	igt_dynamic("unknown-type-skipped")
		unknown_type_skipped();
	igt_dynamic("size-past-end") {
		edit(&e);
		e.pkts[find(&e, XE_SRIOV_PACKET_TYPE_GUC)].hdr.size = 1ull << 40;
		expect_edit_refused(&e, true, EINVAL);
	}
}

/* The descriptor's KLV value for key, to patch it. */
static uint32_t *descriptor_klv(struct xe_stream_edit *e, uint32_t key)
{
	struct xe_stream_edit_pkt *d = &e->pkts[find(e, XE_SRIOV_PACKET_TYPE_DESCRIPTOR)];
	uint32_t *dw = (uint32_t *)d->payload;
	size_t n = d->len / 4;

	for (size_t i = 0; i < n; i += 1 + XE_SRIOV_KLV_LEN(dw[i]))
		if (XE_SRIOV_KLV_KEY(dw[i]) == key && i + 1 < n)
			return &dw[i + 1];
	igt_assert_f(false, "no KLV %#x in the descriptor\n", key);
	return NULL;
}

static void wrong_device(void)
{
	struct xe_stream_edit e;

	igt_dynamic("other-pf") {
		igt_require_f(foreign, "needs a second PF with another devid\n");
		expect_refused(foreign, foreign_len, ENODEV);
	}
	igt_dynamic("devid") {
		edit(&e);
		*descriptor_klv(&e, XE_SRIOV_MIGRATION_KLV_DEVID) ^= 0x1;
		expect_edit_refused(&e, false, ENODEV);
	}
	igt_dynamic("revid") {
		edit(&e);
		*descriptor_klv(&e, XE_SRIOV_MIGRATION_KLV_REVID) += 1;
		expect_edit_refused(&e, false, ENODEV);
	}
}

static void resize_by(unsigned int type, long delta)
{
	struct xe_stream_edit e;
	int i;

	edit(&e);
	i = find(&e, type);
	igt_assert_eq(xe_stream_edit_resize(&e, i, e.pkts[i].len + delta), 0);
	expect_edit_refused(&e, false, EINVAL);
}

static void vram_offset(int64_t (*pick)(uint64_t vram, const struct xe_stream_edit_pkt *p))
{
	struct xe_stream_edit e;
	uint64_t vram = src->cfg.lmem_size + src->cfg.lmem_size / 256;
	int i;

	edit(&e);
	i = xe_stream_edit_find(&e, XE_SRIOV_PACKET_TYPE_VRAM, 0);
	igt_assert_lte(0, i);
	e.pkts[i].hdr.offset = pick(vram, &e.pkts[i]);
	expect_edit_refused(&e, false, EINVAL);
}

static int64_t past_end(uint64_t vram, const struct xe_stream_edit_pkt *p)
{
	return vram;
}

static int64_t straddling(uint64_t vram, const struct xe_stream_edit_pkt *p)
{
	return vram - p->len / 2;
}

static int64_t wrapping(uint64_t vram, const struct xe_stream_edit_pkt *p)
{
	return -(int64_t)(p->len / 2);
}

static void overlapping(void)
{
	struct xe_stream_edit e;
	int i;

	edit(&e);
	i = xe_stream_edit_find(&e, XE_SRIOV_PACKET_TYPE_VRAM, 0);
	igt_assert_lte(0, i);
	igt_assert_eq(xe_stream_edit_dup(&e, i, i + 1), 0);
	expect_edit_refused(&e, false, TOLERATED);
}

static void bad_sizes(void)
{
	igt_dynamic("ggtt-short")
		resize_by(XE_SRIOV_PACKET_TYPE_GGTT, -8);
	igt_dynamic("ggtt-long")
		resize_by(XE_SRIOV_PACKET_TYPE_GGTT, 8);
	igt_dynamic("mmio-short")
		resize_by(XE_SRIOV_PACKET_TYPE_MMIO, -4);
	igt_dynamic("mmio-long")
		resize_by(XE_SRIOV_PACKET_TYPE_MMIO, 4);
	igt_dynamic("vram-past-end")
		vram_offset(past_end);
	igt_dynamic("vram-straddling-end")
		vram_offset(straddling);
	igt_dynamic("vram-offset-wraps")
		vram_offset(wrapping);
	igt_dynamic("vram-twice")
		overlapping();
}

static void bad_order(void)
{
	struct xe_stream_edit e;

	igt_dynamic("no-trailer") {
		edit(&e);
		xe_stream_edit_drop(&e, find(&e, XE_SRIOV_PACKET_TYPE_TRAILER));
		expect_edit_refused(&e, false, ETIMEDOUT);
	}
	igt_dynamic("two-trailers") {
		edit(&e);
		igt_assert_eq(xe_stream_edit_dup(&e, e.count - 1, e.count), 0);
		expect_edit_refused(&e, false, EINVAL);
	}
	igt_dynamic("data-after-trailer") {
		edit(&e);
		igt_assert_eq(xe_stream_edit_dup(&e, find(&e, XE_SRIOV_PACKET_TYPE_MMIO),
						 e.count), 0);
		expect_edit_refused(&e, false, EINVAL);
	}
	igt_dynamic("no-descriptor") {
		edit(&e);
		xe_stream_edit_drop(&e, find(&e, XE_SRIOV_PACKET_TYPE_DESCRIPTOR));
		expect_edit_refused(&e, false, TOLERATED);
	}
	igt_dynamic("descriptor-not-first") {
		edit(&e);
		igt_assert_eq(xe_stream_edit_dup(&e, 0, 2), 0);
		xe_stream_edit_drop(&e, 0);
		expect_edit_refused(&e, false, TOLERATED);
	}
	igt_dynamic("two-descriptors") {
		edit(&e);
		igt_assert_eq(xe_stream_edit_dup(&e, 0, 1), 0);
		expect_edit_refused(&e, false, TOLERATED);
	}
}

static void garbage(void)
{
	igt_dynamic("random") {
		size_t len = 1 << 16;
		uint8_t *buf = malloc(len);

		srandom(0x9a5ba9e);
		for (size_t i = 0; i < len; i++)
			buf[i] = random();
		expect_refused(buf, len, EINVAL);
		free(buf);
	}
	igt_dynamic("zero-header") {
		uint8_t zero[24] = { 0 };

		expect_refused(zero, sizeof(zero), EINVAL);
	}
	igt_dynamic("empty")
		expect_refused(ref, 0, ETIMEDOUT);
	igt_dynamic("scrambled-guc") {
		struct xe_stream_edit e;
		struct xe_stream_edit_pkt *g;

		edit(&e);
		g = &e.pkts[find(&e, XE_SRIOV_PACKET_TYPE_GUC)];
		for (size_t i = 0; i < g->len; i++)
			g->payload[i] ^= 0xa5 + i;
		expect_edit_refused(&e, false, EINVAL);
	}
}

#define FUZZ_ROUNDS 16

static void fuzz(void)
{
	const int allowed[] = { 0, -EINVAL, -ENODEV, -EIO, -ETIMEDOUT };
	struct sriov_vf *ov[SRIOV_FIXTURE_MAX_VFS];
	struct vf_state others[SRIOV_FIXTURE_MAX_VFS];
	unsigned int seed = (unsigned int)time(NULL), rejected = 0;
	uint8_t *bad = malloc(ref_len);
	int n = 0;

	igt_assert(bad);
	igt_info("fuzz: seed %u\n", seed);
	for (unsigned int i = 0; i < fx.n_vfs[0]; i++)
		if (&fx.vfs[0][i] != dst) {
			ov[n] = &fx.vfs[0][i];
			igt_assert_eq(vf_state_capture(&ov[n]->dev, sriov_vf_n_ptes(ov[n]),
						       &others[n]), 0);
			n++;
		}
	for (int r = 0; r < FUZZ_ROUNDS; r++) {
		int flips = 1 + rand_r(&seed) % 8, err;
		bool known = false;

		memcpy(bad, ref, ref_len);
		for (int j = 0; j < flips; j++) {
			/* Odd flips anywhere, even ones in the first 400 bytes. */
			size_t pos = rand_r(&seed) % (j & 1 ? ref_len : 400);

			bad[pos] = rand_r(&seed);
		}
		err = restore_vfio(bad, ref_len);
		for (size_t k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++)
			known |= err == allowed[k];
		igt_assert_f(known, "fuzz round %d (seed above): restore gave %s\n", r,
			     strerror(-err));
		rejected += !!err;
		assert_recovers(others, n, ov);
	}
	igt_info("fuzz: %d streams, %u refused\n", FUZZ_ROUNDS, rejected);
	for (int i = 0; i < n; i++)
		vf_state_free(&others[i]);
	free(bad);
}

static void debugfs_restore(void)
{
	struct xe_stream_edit e;
	uint8_t *buf;
	size_t len;
	int err;

	igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_PAUSE), 0);
	err = pf_vf_restore(&dst->vf, ref, ref_s.pkts[ref_s.count - 1].pos, 0);
	igt_assert_f(err == -ETIMEDOUT, "truncated stream via debugfs: %d\n", err);
	igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_RESET), 0);
	igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_PAUSE), 0);
	if (foreign) {
		err = pf_vf_restore(&dst->vf, foreign, foreign_len, 0);
		igt_assert_f(err == -ENODEV, "foreign stream via debugfs: %d\n", err);
	}
	edit(&e);
	e.pkts[find(&e, XE_SRIOV_PACKET_TYPE_GGTT)].hdr.version = 9;
	igt_assert_eq(xe_stream_edit_bytes(&e, false, &buf, &len), 0);
	err = pf_vf_restore(&dst->vf, buf, len, 0);
	igt_assert_f(err == -EINVAL, "bad version via debugfs: %d\n", err);
	free(buf);
	xe_stream_edit_free(&e);
	/* And a good one still goes in. */
	igt_assert_eq(pf_vf_restore(&dst->vf, ref, ref_len, 4096), 0);
	igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_RESUME), 0);
	igt_assert_eq(vfio_dev_reset(&dst->dev), 0);
}

int igt_main()
{
	igt_fixture() {
		struct xe_stream_error err;
		int e = sriov_fixture_init(&fx);

		igt_require_f(!e, "no SR-IOV PF: %s\n", strerror(-e));
		igt_require_f(!sriov_fixture_enable(&fx, 0, 3), "cannot enable 3 VFs\n");
		src = &fx.vfs[0][0];
		dst = &fx.vfs[0][1];
		shorten_restore_timeout();
		igt_assert_eq(vf_state_fill(&src->dev, sriov_vf_n_ptes(src), 0xbad), 0);
		igt_assert_eq(vf_state_fill(&fx.vfs[0][2].dev, sriov_vf_n_ptes(&fx.vfs[0][2]),
					    0x0dd), 0);
		save(src, &ref, &ref_len);
		igt_assert_f(!xe_stream_parse(ref, ref_len, &ref_s, &err), "%s\n", err.msg);
		if (fx.n_pfs > 1 && fx.pfs[1].device_id != fx.pfs[0].device_id &&
		    !sriov_fixture_enable(&fx, 1, 1))
			save(&fx.vfs[1][0], &foreign, &foreign_len);
	}

	igt_describe("Cut at every packet boundary and mid-packet.");
	igt_subtest_with_dynamic("truncated")
		truncated();

	igt_describe("Wrong version, unknown type, size past the end.");
	igt_subtest_with_dynamic("bad-header")
		bad_header();

	igt_describe("Another device's stream: ENODEV.");
	igt_subtest_with_dynamic("wrong-device")
		wrong_device();

	igt_describe("GGTT/MMIO sizes and VRAM chunk bounds.");
	igt_subtest_with_dynamic("bad-sizes")
		bad_sizes();

	igt_describe("Descriptor and trailer order and count.");
	igt_subtest_with_dynamic("bad-order")
		bad_order();

	igt_describe("Random and scrambled bytes.");
	igt_subtest_with_dynamic("garbage")
		garbage();

	igt_describe("Randomly damaged streams: xe's errnos only, nothing harmed.");
	igt_subtest("fuzz")
		fuzz();

	igt_describe("The same refusals through debugfs.");
	igt_subtest("debugfs-restore")
		debugfs_restore();

	igt_fixture() {
		restore_restore_timeout();
		xe_stream_free(&ref_s);
		free(ref);
		free(foreign);
		sriov_fixture_disable(&fx, -1);
	}
}
