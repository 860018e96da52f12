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
 * Description: A broken or foreign stream is refused where and as xe
 *	refuses it: the write that carries a bad header, descriptor or trailer
 *	fails (ENODEV for another device's stream, EINVAL for a malformed
 *	packet); a GT packet xe's restore worker refuses (GGTT or MMIO size,
 *	GuC blob, VRAM bounds) is logged with its errno and fails the next GT
 *	packet's write or RESUMING->STOP with EIO; a missing trailer makes
 *	RESUMING->STOP wait and fail with ETIMEDOUT. Through the VFIO resuming
 *	fd and through the PF's debugfs; it writes nothing into any other VF,
 *	and the target VF works again after a reset: a valid stream then
 *	restores into it. What xe tolerates (packet order it does not check,
 *	unknown packet types it skips, data after the trailer) restores the
 *	stream's content.
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
 * Description: A wrong version, type 0, a descriptor whose size is not
 *	a multiple of 4 or a packet for a GT the VF does not have (gt_id 2)
 *	get EINVAL from the write; a header whose size runs past the end (the
 *	trailer never comes: ETIMEDOUT); a GGTT packet of the media GT and the
 *	two GTs' GuC states swapped are refused by the restore worker (EIO,
 *	the errno logged); an unknown type is skipped as xe skips it and the
 *	VF holds the stream's content. One dynamic subtest per defect.
 *
 * SUBTEST: wrong-device
 * Run type: BAT
 * Description: A stream of the second PF (other devid), and descriptors
 *	with a patched devid or revid, also in KLVs of length 2 and 0 (xe
 *	checks the first value dword whatever the length), are refused with
 *	ENODEV by the write that carries the descriptor.
 *
 * SUBTEST: bad-sizes
 * Run type: BAT
 * Description: GGTT and MMIO payloads one entry short or long, VRAM
 *	chunks out of the LMEM object's bounds: EIO at the next GT packet's
 *	write or at RESUMING->STOP, and the kernel log names the packet and
 *	EINVAL ("Failed to restore VF<n> GGTT data (-EINVAL)"); a chunk sent
 *	twice is tolerated.
 *
 * SUBTEST: bad-order
 * Run type: BAT
 * Description: A missing trailer (ETIMEDOUT), a trailer with a nonzero
 *	offset (EINVAL); a second trailer, data after the trailer and a
 *	missing, late or doubled descriptor, which xe does not check, restore
 *	the stream's content.
 *
 * SUBTEST: garbage
 * Run type: BAT
 * Description: Random bytes (EINVAL), and a valid stream with its GuC
 *	blob scrambled (the GuC refuses it: EIO, logged), never restore and
 *	never hurt the kernel.
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
 *
 * SUBTEST: resume-after-failed-restore
 * Run type: BAT
 * Description: A restore whose GuC blob the GuC refuses ends at once, as
 *	xe's control worker ends it (RESTORE_FAILED): the next GT packet's
 *	write fails with EIO, the VF can be resumed through debugfs without
 *	finishing the restore (xe does not refuse that resume), it gets no
 *	MIGRATED interrupt for the refused stream and goes back to running;
 *	finishing the restore then fails with EIO.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "kmsg_watch.h"
#include "mig_data.h"
#include "sriov_fixture.h"
#include "sysfs_util.h"
#include "vf_irq.h"
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
	if (!sriov_has_cap(&fx, PF_CAP_SIM_PARAMS) ||
	    sysfs_read_str(SIM_RESTORE_TIMEOUT, saved_timeout, sizeof(saved_timeout)))
		return;
	/* Only streams without a trailer wait: the others end before it. */
	igt_assert_eq(sysfs_write_str(SIM_RESTORE_TIMEOUT, "250"), 0);
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
		igt_assert_eq(sriov_vf_capture(&fx, ov[i], &st), 0);
		igt_assert_f(vf_state_equal(&others[i], &st, ov[i]->vf.vf_id, report,
					    sizeof(report)),
			     "VF%u changed by a refused restore:\n%s", ov[i]->vf.vf_id, report);
		vf_state_free(&st);
	}
	igt_assert_eq(restore_vfio(ref, ref_len), 0);
	igt_assert_eq(vfio_mig_goto(&dst->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL), 0);
}

/*
 * What xe (and the sim) log, as errors, for the streams this test sends,
 * and the note its ratelimited ones (xe_sriov_err_ratelimited()) leave
 * after a burst: "<function>: N callbacks suppressed".
 */
#define RESTORE_REFUSALS \
	"Failed to restore VF[0-9]+ [A-Za-z]+ data|Aborting migration|" \
	"Received invalid restore packet|callbacks suppressed"

/* A stream xe takes although it is not as xe saves it: 0 and its content. */
#define TOLERATED	0

/*
 * What xe's restore worker logs for a GT packet it refuses
 * (xe_gt_sriov_pf_migration.c: "Failed to restore VF%u %s data (%pe)"):
 * the packet (GGTT, MMIO, GuC, VRAM) and the errno, EINVAL or -22.
 */
struct gt_refusal {
	const char *what;
	const char *errname;
	int errnum;
};

static void assert_logged(struct kmsg_watch *w, const struct gt_refusal *r)
{
	char needle[96], line[512], sym[40], num[16];

	snprintf(needle, sizeof(needle), "Failed to restore VF%u %s data (",
		 dst->vf.vf_id, r->what);
	snprintf(sym, sizeof(sym), "(-%s)", r->errname);
	snprintf(num, sizeof(num), "(-%d)", r->errnum);
	igt_assert_f(kmsg_watch_find(w, needle, line, sizeof(line)) == 1,
		     "no \"%s...\" in the kernel log\n", needle);
	igt_assert_f(strstr(line, sym) || strstr(line, num),
		     "logged \"%s\", expected %s\n", line, sym);
}

/*
 * A refusal: xe's errno where the backend declares xe's (the sim; xe where
 * xe documents it, e.g. ENODEV for a foreign descriptor at its write:
 * xe_sriov_packet.c xe_sriov_packet_process_descriptor()), else only that
 * it failed.
 */
static void assert_refused(int err, int want, const char *what)
{
	if (sriov_has_cap(&fx, PF_CAP_XE_ERRNOS))
		igt_assert_f(err == -want, "%s: %s, expected %s\n", what,
			     err ? strerror(-err) : "success", strerror(want));
	else
		igt_assert_f(err < 0, "%s: success, expected a failure\n", what);
}

/* The target holds what src saved (after a stream xe tolerates). */
static void assert_holds_src(void)
{
	struct vf_state want, got;

	igt_assert_eq(vfio_mig_goto(&dst->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL), 0);
	igt_assert_eq(sriov_vf_capture(&fx, src, &want), 0);
	igt_assert_eq(sriov_vf_capture(&fx, dst, &got), 0);
	igt_assert_f(vf_state_equal(&want, &got, dst->vf.vf_id, report, sizeof(report)),
		     "the target after a stream xe tolerates:\n%s", report);
	vf_state_free(&want);
	vf_state_free(&got);
}

static void expect_result(const uint8_t *buf, size_t len, int want,
			  const struct gt_refusal *r)
{
	struct sriov_vf *ov[SRIOV_FIXTURE_MAX_VFS];
	struct vf_state others[SRIOV_FIXTURE_MAX_VFS];
	struct kmsg_watch w = { .fd = -1 };
	int n = 0, err;

	for (unsigned int i = 0; i < fx.n_vfs[0]; i++)
		if (&fx.vfs[0][i] != dst) {
			ov[n] = &fx.vfs[0][i];
			igt_assert_eq(sriov_vf_capture(&fx, ov[n], &others[n]), 0);
			n++;
		}
	if (r && sriov_has_cap(&fx, PF_CAP_XE_ERRNOS))
		igt_assert_eq(kmsg_watch_start(&w), 0);
	err = restore_vfio(buf, len);
	/*
	 * What xe guarantees for a refused stream: the restore fails by
	 * RESUMING->STOP at the latest (restore_vfio() stops at the first
	 * failure) and a reset recovers the VF (assert_recovers()). Which
	 * errno, and at which write, only where the backend gives xe's.
	 */
	if (want && !sriov_has_cap(&fx, PF_CAP_XE_ERRNOS))
		igt_assert_f(err < 0, "restore of a broken %zu-byte stream: success\n", len);
	else
		igt_assert_f(err == -want,
			     "restore of a broken %zu-byte stream: %s, expected %s\n", len,
			     err ? strerror(-err) : "success", want ? strerror(want) : "success");
	if (r && sriov_has_cap(&fx, PF_CAP_XE_ERRNOS)) {
		assert_logged(&w, r);
		kmsg_watch_stop(&w);
	}
	if (want == TOLERATED)
		assert_holds_src();
	assert_recovers(others, n, ov);
	for (int i = 0; i < n; i++)
		vf_state_free(&others[i]);
}

static void expect_refused(const uint8_t *buf, size_t len, int want)
{
	expect_result(buf, len, want, NULL);
}

/* A GT packet refused by the restore worker: EIO, its errno logged. */
static void expect_edit_gt_refused(struct xe_stream_edit *e, const struct gt_refusal *r)
{
	uint8_t *buf;
	size_t len;

	igt_assert_eq(xe_stream_edit_bytes(e, false, &buf, &len), 0);
	expect_result(buf, len, EIO, r);
	free(buf);
	xe_stream_edit_free(e);
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
	igt_assert_eq(sriov_vf_capture(&fx, src, &want), 0);
	igt_assert_eq(restore_vfio(buf, len), 0);
	igt_assert_eq(vfio_mig_goto(&dst->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL), 0);
	igt_assert_eq(sriov_vf_capture(&fx, dst, &got), 0);
	igt_assert_f(vf_state_equal(&want, &got, dst->vf.vf_id, report, sizeof(report)),
		     "after a stream with an unknown packet:\n%s", report);
	vf_state_free(&want);
	vf_state_free(&got);
	free(buf);
}

static const struct gt_refusal refused_ggtt = { "GGTT", "EINVAL", EINVAL };
static const struct gt_refusal refused_mmio = { "MMIO", "EINVAL", EINVAL };
static const struct gt_refusal refused_vram = { "VRAM", "EINVAL", EINVAL };
static const struct gt_refusal refused_guc = { "GuC", "EINVAL", EINVAL };

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
	igt_dynamic("descriptor-odd-size") {
		int i;

		edit(&e);
		i = find(&e, XE_SRIOV_PACKET_TYPE_DESCRIPTOR);
		igt_assert_eq(xe_stream_edit_resize(&e, i, e.pkts[i].len + 2), 0);
		expect_edit_refused(&e, false, EINVAL);
	}
	igt_dynamic("size-past-end") {
		int i;

		/* The trailer ends up inside the payload: it never comes. */
		edit(&e);
		i = find(&e, XE_SRIOV_PACKET_TYPE_GUC);
		e.pkts[i].hdr.size = ref_len - ref_s.pkts[i].pos + 4096;
		expect_edit_refused(&e, true, ETIMEDOUT);
	}
	/* xe_sriov_pf_migration_restore_produce(): no such GT. */
	igt_dynamic("unknown-gt") {
		edit(&e);
		e.pkts[find(&e, XE_SRIOV_PACKET_TYPE_MMIO)].hdr.gt_id = 2;
		expect_edit_refused(&e, false, EINVAL);
	}
	/* The GGTT is the primary GT's. */
	igt_dynamic("ggtt-of-media-gt") {
		edit(&e);
		e.pkts[find(&e, XE_SRIOV_PACKET_TYPE_GGTT)].hdr.gt_id = 1;
		expect_edit_gt_refused(&e, &refused_ggtt);
	}
	/* Each GT's GuC takes only its own GT's state. */
	igt_dynamic("guc-states-swapped") {
		int g0, g1;

		edit(&e);
		g0 = find(&e, XE_SRIOV_PACKET_TYPE_GUC);
		g1 = xe_stream_edit_find(&e, XE_SRIOV_PACKET_TYPE_GUC, g0 + 1);
		igt_assert_lt(g0, g1);
		e.pkts[g0].hdr.gt_id = 1;
		e.pkts[g1].hdr.gt_id = 0;
		expect_edit_gt_refused(&e, &refused_guc);
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

/* Replace the descriptor's KLVs. */
static void set_descriptor(struct xe_stream_edit *e, const uint32_t *klv, size_t len)
{
	int i = find(e, XE_SRIOV_PACKET_TYPE_DESCRIPTOR);

	igt_assert_eq(xe_stream_edit_resize(e, i, len), 0);
	memcpy(e->pkts[i].payload, klv, len);
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
	/* xe checks the dword after the key whatever the KLV's length. */
	igt_dynamic("devid-len-2") {
		uint32_t klv[] = { XE_SRIOV_KLV_HDR(XE_SRIOV_MIGRATION_KLV_DEVID, 2), 0, 0,
				   XE_SRIOV_KLV_HDR(XE_SRIOV_MIGRATION_KLV_REVID, 1), 0 };

		edit(&e);
		klv[1] = *descriptor_klv(&e, XE_SRIOV_MIGRATION_KLV_DEVID) ^ 0x1;
		klv[4] = *descriptor_klv(&e, XE_SRIOV_MIGRATION_KLV_REVID);
		set_descriptor(&e, klv, sizeof(klv));
		expect_edit_refused(&e, false, ENODEV);
	}
	igt_dynamic("devid-len-0") {
		uint32_t klv[] = { XE_SRIOV_KLV_HDR(XE_SRIOV_MIGRATION_KLV_DEVID, 0),
				   XE_SRIOV_KLV_HDR(XE_SRIOV_MIGRATION_KLV_REVID, 1), 0 };

		edit(&e);
		klv[2] = *descriptor_klv(&e, XE_SRIOV_MIGRATION_KLV_REVID);
		set_descriptor(&e, klv, sizeof(klv));
		expect_edit_refused(&e, false, ENODEV);
	}
}

static void resize_by(unsigned int type, long delta, const struct gt_refusal *r)
{
	struct xe_stream_edit e;
	int i;

	edit(&e);
	i = find(&e, type);
	igt_assert_eq(xe_stream_edit_resize(&e, i, e.pkts[i].len + delta), 0);
	expect_edit_gt_refused(&e, r);
}

static void vram_offset(int64_t (*pick)(uint64_t vram, const struct xe_stream_edit_pkt *p))
{
	struct xe_stream_edit e;
	/* xe's LMEM object; past_end is where the sim's CCS tail once went. */
	uint64_t vram = src->cfg.lmem_size;
	int i;

	edit(&e);
	i = xe_stream_edit_find(&e, XE_SRIOV_PACKET_TYPE_VRAM, 0);
	igt_assert_lte(0, i);
	e.pkts[i].hdr.offset = pick(vram, &e.pkts[i]);
	expect_edit_gt_refused(&e, &refused_vram);
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
		resize_by(XE_SRIOV_PACKET_TYPE_GGTT, -8, &refused_ggtt);
	igt_dynamic("ggtt-long")
		resize_by(XE_SRIOV_PACKET_TYPE_GGTT, 8, &refused_ggtt);
	igt_dynamic("mmio-short")
		resize_by(XE_SRIOV_PACKET_TYPE_MMIO, -4, &refused_mmio);
	igt_dynamic("mmio-long")
		resize_by(XE_SRIOV_PACKET_TYPE_MMIO, 4, &refused_mmio);
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
	igt_dynamic("trailer-fields") {
		edit(&e);
		e.pkts[find(&e, XE_SRIOV_PACKET_TYPE_TRAILER)].hdr.offset = 1;
		expect_edit_refused(&e, false, EINVAL);
	}
	igt_dynamic("two-trailers") {
		edit(&e);
		igt_assert_eq(xe_stream_edit_dup(&e, e.count - 1, e.count), 0);
		expect_edit_refused(&e, false, TOLERATED);
	}
	igt_dynamic("data-after-trailer") {
		edit(&e);
		igt_assert_eq(xe_stream_edit_dup(&e, find(&e, XE_SRIOV_PACKET_TYPE_MMIO),
						 e.count), 0);
		expect_edit_refused(&e, false, TOLERATED);
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
		expect_edit_gt_refused(&e, &refused_guc);
	}
}

#define FUZZ_ROUNDS 16

static void fuzz(void)
{
	/* -ENOMEM: a payload size over INT_MAX, which xe cannot allocate. */
	const int allowed[] = { 0, -EINVAL, -ENODEV, -EIO, -ETIMEDOUT, -ENOMEM };
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
			igt_assert_eq(sriov_vf_capture(&fx, ov[n], &others[n]), 0);
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
	struct kmsg_watch w;
	uint8_t *buf;
	size_t len;
	int err, i;

	igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_PAUSE), 0);
	err = pf_vf_restore(&dst->vf, ref, ref_s.pkts[ref_s.count - 1].pos, 0);
	assert_refused(err, ETIMEDOUT, "truncated stream via debugfs");
	igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_RESET), 0);
	igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_PAUSE), 0);
	/*
	 * A refused descriptor or header fails its write and leaves the
	 * restore waiting for its trailer, as in xe: reset before the next.
	 */
	if (foreign) {
		err = pf_vf_restore(&dst->vf, foreign, foreign_len, 0);
		assert_refused(err, ENODEV, "foreign stream via debugfs");
		igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_RESET), 0);
		igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_PAUSE), 0);
	}
	edit(&e);
	e.pkts[find(&e, XE_SRIOV_PACKET_TYPE_GGTT)].hdr.version = 9;
	igt_assert_eq(xe_stream_edit_bytes(&e, false, &buf, &len), 0);
	err = pf_vf_restore(&dst->vf, buf, len, 0);
	assert_refused(err, EINVAL, "bad version via debugfs");
	free(buf);
	xe_stream_edit_free(&e);
	igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_RESET), 0);
	igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_PAUSE), 0);
	/* A GT packet the restore refuses: EIO, and the errno in the log. */
	edit(&e);
	i = find(&e, XE_SRIOV_PACKET_TYPE_GGTT);
	igt_assert_eq(xe_stream_edit_resize(&e, i, e.pkts[i].len + 8), 0);
	igt_assert_eq(xe_stream_edit_bytes(&e, false, &buf, &len), 0);
	igt_assert_eq(kmsg_watch_start(&w), 0);
	err = pf_vf_restore(&dst->vf, buf, len, 0);
	assert_refused(err, EIO, "GGTT too long via debugfs");
	if (sriov_has_cap(&fx, PF_CAP_XE_ERRNOS))
		assert_logged(&w, &refused_ggtt);
	kmsg_watch_stop(&w);
	free(buf);
	xe_stream_edit_free(&e);
	igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_RESET), 0);
	igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_PAUSE), 0);
	/* And a good one still goes in. */
	igt_assert_eq(pf_vf_restore(&dst->vf, ref, ref_len, 4096), 0);
	igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_RESUME), 0);
	igt_assert_eq(vfio_dev_reset(&dst->dev), 0);
}

/* Read the VF's debugfs restore file: finish the restore, its errno. */
static int debugfs_finish_restore(void)
{
	char path[PATH_MAX + 16], c;
	int fd, err = 0;

	pf_vf_debugfs_dir(&dst->vf, path, PATH_MAX);
	strcat(path, "/restore");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	igt_assert_lte(0, fd);
	if (read(fd, &c, 1) < 0)
		err = -errno;
	close(fd);
	return err;
}

static void resume_after_failed_restore(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	struct xe_stream_edit e;
	struct xe_stream_edit_pkt *g;
	struct kmsg_watch w;
	uint32_t status = 0;
	uint8_t *buf;
	size_t len;
	int fd, err;

	edit(&e);
	g = &e.pkts[find(&e, XE_SRIOV_PACKET_TYPE_GUC)];
	for (size_t i = 0; i < g->len; i++)
		g->payload[i] ^= 0xa5 + i;
	igt_assert_eq(xe_stream_edit_bytes(&e, false, &buf, &len), 0);
	xe_stream_edit_free(&e);

	igt_assert_eq(vfio_dev_reset(&dst->dev), 0);
	igt_assert_eq(pf_vf_control(&dst->vf, PF_VF_PAUSE), 0);
	pf_vf_debugfs_dir(&dst->vf, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/restore", dir);
	igt_assert_eq(sysfs_write_str(path, "1"), 0);
	snprintf(path, sizeof(path), "%s/migration_data", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	igt_assert_lte(0, fd);
	igt_assert_eq(kmsg_watch_start(&w), 0);
	err = mig_data_write_all(fd, buf, len, 64 << 10, NULL);
	close(fd);
	assert_refused(err, EIO, "stream with a refused GuC blob");
	if (sriov_has_cap(&fx, PF_CAP_XE_ERRNOS))
		assert_logged(&w, &refused_guc);
	kmsg_watch_stop(&w);

	/* xe's worker ended the restore: resume needs no finish first. */
	err = pf_vf_control(&dst->vf, PF_VF_RESUME);
	igt_assert_f(!err, "resume after a failed restore: %s\n", strerror(-err));
	if (sriov_has_cap(&fx, PF_CAP_SIM_VF_REGS)) {
		igt_assert_eq(vf_irq_status(&dst->dev, &status), 0);
		igt_assert_f(!(status & VF_IRQ_MIGRATED_PRIMARY),
			     "MIGRATED raised for a stream whose GuC blob was refused\n");
	}
	err = debugfs_finish_restore();
	assert_refused(err, EIO, "finishing the failed restore");
	free(buf);
	igt_assert_eq(vfio_dev_reset(&dst->dev), 0);
}

int igt_main()
{
	igt_fixture() {
		struct xe_stream_error err;
		int e = sriov_fixture_init(&fx);

		igt_require_f(!e, "no SR-IOV PF: %s\n", strerror(-e));
		igt_require_f(!sriov_fixture_enable(&fx, 0, 3), "cannot enable 3 VFs\n");
		igt_emit_ignore_dmesg_regex(RESTORE_REFUSALS);
		src = &fx.vfs[0][0];
		dst = &fx.vfs[0][1];
		shorten_restore_timeout();
		igt_assert_eq(sriov_vf_fill(&fx, src, 0xbad), 0);
		igt_assert_eq(sriov_vf_fill(&fx, &fx.vfs[0][2], 0x0dd), 0);
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

	igt_describe("A failed restore ends at once; resume then raises no MIGRATED.");
	igt_subtest("resume-after-failed-restore")
		resume_after_failed_restore();

	igt_fixture() {
		restore_restore_timeout();
		xe_stream_free(&ref_s);
		free(ref);
		free(foreign);
		sriov_fixture_disable(&fx, -1);
	}
}
