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
 *	first with this PF's devid/revid, TRAILER last, and in between xe's
 *	per-GT order for a BMG-class VF: the primary GT (gt_id 0) GUC, GGTT
 *	(one PTE per page of the VF's slice), MMIO (16 bytes) and, on a dgfx
 *	PF, VRAM chunks that tile the VF's LMEM exactly once and no offset at
 *	or past its size (xe's stream has no CCS: it saves VRAM
 *	decompressed), on an igfx PF no VRAM packet at all; then the media GT
 *	(gt_id 1) GUC and MMIO. It passes the restore-side validation with
 *	two GTs.
 *
 * SUBTEST: size-estimate
 * Run type: BAT
 * Description: MIG_DATA_SIZE in STOP_COPY and debugfs migration_size are
 *	xe's estimate (xe_sriov_pf_migration_size, the sum over both GTs of
 *	xe_gt_sriov_pf_migration_size): the GuC, GGTT and MMIO payloads and
 *	the provisioned LMEM, plus 24 bytes for each of them, computed from
 *	the saved stream; at least that (a GuC blob may come out smaller
 *	than the size the PF asked the GuC for), and on xe_sriov_sim exactly
 *	that with each GT's GuC blob counted at the size its GuC answers.
 *	The bytes actually read are the estimate plus the descriptor, the
 *	trailer, the extra VRAM headers and the VRAM past the provisioned
 *	LMEM, minus what the GuC blobs came out smaller.
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
 *
 * SUBTEST: debugfs-files
 * Run type: BAT
 * Description: The PF's debugfs files behave as xe's
 *	(xe_sriov_pf_debugfs.c, xe_gt_sriov_pf_debugfs.c), one dynamic
 *	subtest each: name (the PF's dri/ directory is the one whose name
 *	file names its driver and device; sriov/pf/vfs counts the enabled
 *	VFs), provisioning (the quotas and the PF's *_provisioned lines give
 *	what the VF's GuC reports), modes (sriov/vfN/ files and
 *	contexts_quota have xe's modes, the gt0/ compat links point where
 *	xe's do), control-offset (a control write at
 *	a non-zero offset is EINVAL, a pwrite() of a control, save or restore
 *	file ESPIPE, and neither does anything), control-input
 *	(a false bool does nothing, a non-bool is EINVAL, "y"/"on" act, a
 *	read gives no bytes), data-seek (migration_data after a seek, pread
 *	and pwrite: ESPIPE), contexts-quota (reads the VF's contexts; a value
 *	past u32 is EOVERFLOW and changes nothing, pwrite() is ESPIPE).
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igt.h"
#include "mig_data.h"
#include "pf_backend.h"
#include "sriov_fixture.h"
#include "sysfs_util.h"
#include "vf_guc.h"
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

static void expect_pkt(const struct xe_stream *s, size_t i, unsigned int type,
		       unsigned int gt)
{
	igt_assert_f(i < s->count && s->pkts[i].hdr.type == type && s->pkts[i].hdr.gt_id == gt,
		     "packet %zu: %s of gt %u, xe's order wants %s of gt %u here\n", i,
		     i < s->count ? xe_stream_type_name(s->pkts[i].hdr.type) : "nothing",
		     i < s->count ? s->pkts[i].hdr.gt_id : 0, xe_stream_type_name(type), gt);
}

static void layout(void)
{
	struct xe_stream_expect exp = {
		.devid = fx.pfs[0].device_id, .revid = fx.pfs[0].revision_id,
		.check_ids = true,
		.ggtt_size = sriov_vf_n_ptes(a) * 8,
		/* No CCS in xe's stream; no VRAM at all on an igfx PF. */
		.vram_size = fx.pfs[0].igfx ? 0 : a->cfg.lmem_size,
		.num_gts = VF_GUC_NUM_GTS,
	};
	struct xe_stream s;
	struct xe_stream_error err;
	unsigned int count[8] = { 0 };
	size_t i = 1;

	igt_assert_f(!xe_stream_parse(ref, ref_len, &s, &err), "parse: at %llu: %s\n",
		     (unsigned long long)err.pos, err.msg);
	xe_stream_dump(stdout, &s);
	igt_assert_lt(2, (int)s.count);
	igt_assert_eq(s.pkts[0].hdr.type, XE_SRIOV_PACKET_TYPE_DESCRIPTOR);
	igt_assert_eq(s.pkts[s.count - 1].hdr.type, XE_SRIOV_PACKET_TYPE_TRAILER);
	for (size_t j = 0; j < s.count; j++) {
		igt_assert_eq(s.pkts[j].hdr.version, XE_SRIOV_PACKET_VERSION);
		igt_assert_eq(s.pkts[j].hdr.tile_id, 0);
	}
	igt_assert_eq(s.pkts[0].hdr.gt_id, 0);
	igt_assert_eq(s.pkts[s.count - 1].hdr.gt_id, 0);
	/*
	 * xe's save order: GT 0's GUC, GGTT, MMIO, VRAM... (none on an igfx
	 * PF), then GT 1's GUC, MMIO.
	 */
	expect_pkt(&s, i++, XE_SRIOV_PACKET_TYPE_GUC, 0);
	expect_pkt(&s, i++, XE_SRIOV_PACKET_TYPE_GGTT, 0);
	expect_pkt(&s, i++, XE_SRIOV_PACKET_TYPE_MMIO, 0);
	if (!fx.pfs[0].igfx)
		expect_pkt(&s, i++, XE_SRIOV_PACKET_TYPE_VRAM, 0);
	while (i < s.count && s.pkts[i].hdr.type == XE_SRIOV_PACKET_TYPE_VRAM)
		expect_pkt(&s, i++, XE_SRIOV_PACKET_TYPE_VRAM, 0);
	expect_pkt(&s, i++, XE_SRIOV_PACKET_TYPE_GUC, 1);
	expect_pkt(&s, i++, XE_SRIOV_PACKET_TYPE_MMIO, 1);
	igt_assert_eq(i, s.count - 1);
	count_types(&s, count);
	igt_assert_eq(count[XE_SRIOV_PACKET_TYPE_GUC], VF_GUC_NUM_GTS);
	igt_assert_eq(count[XE_SRIOV_PACKET_TYPE_GGTT], 1);
	igt_assert_eq(count[XE_SRIOV_PACKET_TYPE_MMIO], VF_GUC_NUM_GTS);
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

/* What xe's estimate would be for the stream st, and its other parts. */
struct size_parts {
	uint64_t formula;	/* GuC, GGTT, MMIO payloads, provisioned LMEM, +24 each */
	uint64_t guc;		/* GuC payload bytes in the stream */
	uint64_t ends;		/* descriptor and trailer, headers included */
	uint64_t vram_extra;	/* VRAM headers and bytes past one header + LMEM */
	uint64_t total;		/* every packet, header included */
	unsigned int guc_pkts;	/* GUC packets: one per GT */
};

static void size_parts(const struct xe_stream *st, uint64_t lmem, struct size_parts *sp)
{
	const uint64_t hdr = sizeof(struct xe_sriov_packet_hdr);
	unsigned int vram_gts = 0;
	uint64_t vram = 0;

	memset(sp, 0, sizeof(*sp));
	for (size_t i = 0; i < st->count; i++) {
		const struct xe_sriov_packet_hdr *h = &st->pkts[i].hdr;

		sp->total += hdr + h->size;
		switch (h->type) {
		case XE_SRIOV_PACKET_TYPE_DESCRIPTOR:
		case XE_SRIOV_PACKET_TYPE_TRAILER:
			sp->ends += hdr + h->size;
			break;
		case XE_SRIOV_PACKET_TYPE_VRAM:
			vram_gts |= 1u << (h->gt_id & 31);
			vram += hdr + h->size;
			break;
		case XE_SRIOV_PACKET_TYPE_GUC:
			sp->guc += h->size;
			sp->guc_pkts++;
			sp->formula += hdr + h->size;
			break;
		default:
			sp->formula += hdr + h->size;
			break;
		}
	}
	/* VRAM counts once per GT that has it: one header and the LMEM. */
	sp->formula += __builtin_popcount(vram_gts) * (hdr + lmem);
	sp->vram_extra = vram - __builtin_popcount(vram_gts) * (hdr + lmem);
}

/*
 * The exact estimate (PF_CAP_EXACT_SIZE): xe's formula with each GT's GuC
 * blob counted at the size the backend's GuC answers the size query with,
 * as xe counts it.
 */
static uint64_t exact_size_estimate(const struct size_parts *sp)
{
	return sp->formula - sp->guc +
	       (uint64_t)sp->guc_pkts * fx.ops->guc_state_query_size;
}

static void size_estimate(void)
{
	uint64_t est = 0, dbg = 0;
	struct size_parts sp;
	size_t len;
	uint8_t *buf;
	int fd;

	igt_assert_eq(vfio_mig_goto(&a->dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL), 0);
	igt_assert_eq(vfio_mig_data_size(&a->dev, &est), 0);
	igt_assert_eq(mig_data_read_all(fd, 1 << 20, &buf, &len, NULL), 0);
	close(fd);
	igt_assert_eq(vfio_mig_goto(&a->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL), 0);
	igt_assert_eq(pf_vf_migration_size(&a->vf, &dbg), 0);
	free(buf);

	size_parts(&ref_s, a->cfg.lmem_size, &sp);
	igt_info("stream %zu bytes (read now: %zu); MIG_DATA_SIZE %llu, migration_size %llu; "
		 "xe's formula %llu: GuC %llu, descriptor+trailer %llu, VRAM beyond %llu\n",
		 ref_len, len, (unsigned long long)est, (unsigned long long)dbg,
		 (unsigned long long)sp.formula, (unsigned long long)sp.guc,
		 (unsigned long long)sp.ends, (unsigned long long)sp.vram_extra);
	igt_assert_eq_u64(dbg, est);
	igt_assert_f(est >= sp.formula,
		     "MIG_DATA_SIZE %llu is below xe's formula %llu\n",
		     (unsigned long long)est, (unsigned long long)sp.formula);
	if (sriov_has_cap(&fx, PF_CAP_EXACT_SIZE))
		igt_assert_f(est == exact_size_estimate(&sp),
			     "MIG_DATA_SIZE %llu, xe's sum over the GTs gives %llu (%+lld)\n",
			     (unsigned long long)est, (unsigned long long)exact_size_estimate(&sp),
			     (long long)(est - exact_size_estimate(&sp)));
	/* The bytes read: the estimate and what it leaves out. */
	igt_assert_eq_u64(len, ref_len);
	igt_assert_eq_u64(sp.total, ref_len);
	igt_assert_f(len + (est - sp.formula) == est + sp.ends + sp.vram_extra,
		     "read %zu bytes, estimate %llu + descriptor/trailer %llu + VRAM beyond %llu"
		     " - GuC shrink %llu\n", len, (unsigned long long)est,
		     (unsigned long long)sp.ends, (unsigned long long)sp.vram_extra,
		     (unsigned long long)(est - sp.formula));
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

/* ---- debugfs-files: xe's semantics of the PF's files ---- */

/* A file of the VF's sriov/vf<id>/ directory. */
static void vf_path(const struct sriov_vf *v, const char *name, char *buf, size_t size)
{
	char dir[PATH_MAX];

	pf_vf_debugfs_dir(&v->vf, dir, sizeof(dir));
	igt_assert(snprintf(buf, size, "%s/%s", dir, name) < (int)size);
}

/*
 * Write str into the VF's file at off, its length or -errno: lseek()
 * there, then write(), so that the file's write sees *ppos == off; or,
 * positional, one pwrite() at off.
 */
static ssize_t vf_write_at(const struct sriov_vf *v, const char *name,
			   const char *str, off_t off, bool positional)
{
	char path[PATH_MAX + 64];
	ssize_t n;
	int fd;

	vf_path(v, name, path, sizeof(path));
	fd = open(path, O_WRONLY);
	igt_assert_f(fd >= 0, "%s: %s\n", path, strerror(errno));
	if (off && !positional)
		igt_assert_eq(lseek(fd, off, SEEK_SET), off);
	n = positional ? pwrite(fd, str, strlen(str), off) : write(fd, str, strlen(str));
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

static ssize_t vf_write(const struct sriov_vf *v, const char *name,
			const char *str, off_t off)
{
	return vf_write_at(v, name, str, off, false);
}

static ssize_t vf_pwrite(const struct sriov_vf *v, const char *name,
			 const char *str, off_t off)
{
	return vf_write_at(v, name, str, off, true);
}

/* dri/<...>/name: "<driver> dev=<PF> ..." (drm_name_info()). */
static void files_name(void)
{
	const struct xemig_pf *pf = b->vf.pf;
	const char *drv = fx.ops->dri_driver;
	char path[PATH_MAX + 8], text[256], want[128];

	snprintf(path, sizeof(path), "%s/name", pf->debugfs);
	igt_assert_eq(sysfs_read_str(path, text, sizeof(text)), 0);
	igt_info("%s: %s\n", path, text);
	snprintf(want, sizeof(want), "%s ", drv);
	igt_assert_f(!strncmp(text, want, strlen(want)), "driver is not %s\n", drv);
	snprintf(want, sizeof(want), " dev=%s", pf->name);
	igt_assert_f(strstr(text, want), "no \"%s\"\n", want);
	/* xe_sriov_pf_print_vfs_summary(): "enabled: <n>" */
	snprintf(path, sizeof(path), "%s/sriov/pf/vfs", pf->debugfs);
	igt_assert_eq(sysfs_read_str(path, text, sizeof(text)), 0);
	igt_assert_f(strstr(text, "enabled: ") &&
		     strtoul(strstr(text, "enabled: ") + 9, NULL, 10) == fx.n_vfs[0],
		     "%s: not \"enabled: %u\":\n%s\n", path, fx.n_vfs[0], text);
}

/* The VF's line of the PF's listing "VF<id>:\t..." (xe_gt_sriov_pf_config.c). */
static const char *vf_line(const struct sriov_vf *v, const char *file, char *text,
			   size_t size)
{
	char path[PATH_MAX + 64], want[16];
	const char *line;

	snprintf(path, sizeof(path), "%s/sriov/pf/%s", v->vf.pf->debugfs, file);
	igt_assert_eq(sysfs_read_str(path, text, size), 0);
	snprintf(want, sizeof(want), "VF%u:\t", v->vf.vf_id);
	line = strstr(text, want);
	igt_assert_f(line, "%s: no line for VF%u:\n%s\n", path, v->vf.vf_id, text);
	return line + strlen(want);
}

/* debugfs against the GuC: the quotas and listings say what the VF sees. */
static void files_provisioning(void)
{
	const struct sriov_vf *vs[] = { a, b };

	for (size_t i = 0; i < 2; i++) {
		const struct sriov_vf *v = vs[i];
		struct pf_vf_config cfg;
		unsigned long long x, y, n;
		char text[4096];

		igt_assert_eq(fx.ops->vf_config((struct xemig_vf *)&v->vf, &cfg), 0);
		igt_info("VF%u: debugfs GGTT %#llx+%#llx LMEM %llu ctxs %u; GuC %#llx+%#llx %llu %u\n",
			 v->vf.vf_id, (unsigned long long)cfg.ggtt_start,
			 (unsigned long long)cfg.ggtt_size, (unsigned long long)cfg.lmem_size,
			 cfg.num_ctxs, (unsigned long long)v->cfg.ggtt_start,
			 (unsigned long long)v->cfg.ggtt_size,
			 (unsigned long long)v->cfg.lmem_size, v->cfg.num_ctxs);
		igt_assert_eq(cfg.ggtt_start, v->cfg.ggtt_start);
		igt_assert_eq(cfg.ggtt_size, v->cfg.ggtt_size);
		igt_assert_eq(cfg.lmem_size, v->cfg.lmem_size);
		igt_assert_eq(cfg.num_ctxs, v->cfg.num_ctxs);

		/* print_lmem(): "<bytes>\t(<size>)"; print_ctxs(): "<first>-<last>\t(<n>)" */
		if (v->cfg.lmem_size) {
			igt_assert_eq(sscanf(vf_line(v, "tile0/vram_provisioned", text,
						     sizeof(text)), "%llu", &x), 1);
			igt_assert_eq(x, v->cfg.lmem_size);
		}
		igt_assert_eq(sscanf(vf_line(v, "tile0/gt0/contexts_provisioned", text,
					     sizeof(text)), "%llu-%llu\t(%llu)", &x, &y, &n), 3);
		igt_assert_eq(n, v->cfg.num_ctxs);
		igt_assert_eq(y - x + 1, n);
	}
}

/* pf_populate_vf() and xe_gt_sriov_pf_debugfs.c's pf_add_config_attrs(). */
static void files_modes(void)
{
	static const struct { const char *name; mode_t mode; } f[] = {
		{ "pause", 0200 }, { "resume", 0200 }, { "stop", 0200 },
		{ "reset", 0200 }, { "save", 0600 }, { "restore", 0600 },
		{ "migration_data", 0600 }, { "migration_size", 0400 },
		{ "tile0/gt0/contexts_quota", 0644 },
	};
	char path[PATH_MAX + 64];
	int bad = 0;

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		struct stat st;

		vf_path(b, f[i].name, path, sizeof(path));
		igt_assert_f(!stat(path, &st), "%s: %s\n", path, strerror(errno));
		if ((st.st_mode & 07777) != f[i].mode) {
			igt_warn("%s: mode %04o, xe's is %04o\n", f[i].name,
				 st.st_mode & 07777, f[i].mode);
			bad++;
		}
	}
	/* pf_add_compat_attrs(): links to the tile-level files */
	for (size_t i = 0; i < 2; i++) {
		static const char *const link[][2] = {
			{ "tile0/gt0/ggtt_quota", "../ggtt_quota" },
			{ "tile0/gt0/lmem_quota", "../vram_quota" },
		};
		char target[64];
		ssize_t n;

		vf_path(b, link[i][0], path, sizeof(path));
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0 && errno == ENOENT && i == 1 && !b->cfg.lmem_size)
			continue;	/* no LMTT: no lmem_quota */
		target[n < 0 ? 0 : n] = '\0';
		if (strcmp(target, link[i][1])) {
			igt_warn("%s: links to \"%s\", xe's to %s\n", link[i][0],
				 target, link[i][1]);
			bad++;
		}
	}
	igt_assert_eq(bad, 0);
}

/*
 * from_file_write_to_vf_call(): *ppos != 0 is EINVAL, before anything
 * (reached by a write after lseek()); the files are seq_files
 * (DEFINE_SHOW_STORE_ATTRIBUTE), which refuse pwrite() with ESPIPE.
 */
static void files_control_offset(void)
{
	igt_assert_eq(vf_write(b, "pause", "1", 1), -EINVAL);
	igt_assert_eq(vf_pwrite(b, "pause", "1", 0), -ESPIPE);
	/* not paused by either: a pause now works (ESTALE if it had) */
	igt_assert_eq(pf_vf_control(&b->vf, PF_VF_PAUSE), 0);
	igt_assert_eq(vf_write(b, "resume", "1", 1), -EINVAL);
	igt_assert_eq(vf_pwrite(b, "resume", "1", 0), -ESPIPE);
	/* (an lseek() of save or restore would already finish them) */
	igt_assert_eq(vf_pwrite(b, "save", "1", 0), -ESPIPE);
	igt_assert_eq(vf_pwrite(b, "restore", "1", 0), -ESPIPE);
	igt_assert_eq(pf_vf_control(&b->vf, PF_VF_RESUME), 0);
}

/* kstrtobool_from_user(): false does nothing; an empty show on read. */
static void files_control_input(void)
{
	char path[PATH_MAX + 64], buf[16];
	ssize_t n;
	int fd;

	igt_assert_eq(vf_write(b, "pause", "0", 0), 1);
	igt_assert_eq(pf_vf_control(&b->vf, PF_VF_PAUSE), 0);
	igt_assert_eq(vf_write(b, "resume", "2", 0), -EINVAL);
	igt_assert_eq(vf_write(b, "resume", "on", 0), 2);
	igt_assert_eq(vf_write(b, "pause", "y\n", 0), 2);
	igt_assert_eq(pf_vf_control(&b->vf, PF_VF_PAUSE), -ESTALE);
	igt_assert_eq(vf_write(b, "resume", "1", 0), 1);

	vf_path(b, "pause", path, sizeof(path));
	fd = open(path, O_RDONLY);
	igt_assert_f(fd >= 0, "%s: %s\n", path, strerror(errno));
	n = read(fd, buf, sizeof(buf));
	igt_assert_f(n == 0, "read of pause: %zd (%s), xe's gives no bytes\n",
		     n, n < 0 ? strerror(errno) : "bytes");
	close(fd);
}

/* data_read()/data_write(): the position must be 0; default_llseek. */
static void files_data_seek(void)
{
	char path[PATH_MAX + 64], c = 0;
	int fd;

	vf_path(b, "migration_data", path, sizeof(path));
	fd = open(path, O_RDONLY);
	igt_assert_f(fd >= 0, "%s: %s\n", path, strerror(errno));
	igt_assert_eq(pread(fd, &c, 1, 1), -1);
	igt_assert_eq(errno, ESPIPE);
	igt_assert_eq(lseek(fd, 1, SEEK_SET), 1);
	igt_assert_eq(read(fd, &c, 1), -1);
	igt_assert_eq(errno, ESPIPE);
	close(fd);
	fd = open(path, O_WRONLY);
	igt_assert_f(fd >= 0, "%s: %s\n", path, strerror(errno));
	igt_assert_eq(pwrite(fd, &c, 1, 1), -1);
	igt_assert_eq(errno, ESPIPE);
	close(fd);
}

/*
 * A DEFINE_DEBUGFS_ATTRIBUTE u32 (simple_attr: nonseekable, "%llu\n",
 * kstrtoull): past u32 is EOVERFLOW; pwrite() is ESPIPE.
 */
static void files_contexts_quota(void)
{
	char path[PATH_MAX + 64], text[32];

	vf_path(b, "tile0/gt0/contexts_quota", path, sizeof(path));
	igt_assert_eq(sysfs_read_str(path, text, sizeof(text)), 0);
	igt_assert_eq(strtoull(text, NULL, 10), b->cfg.num_ctxs);
	igt_assert_eq(vf_write(b, "tile0/gt0/contexts_quota", "4294967296", 0),
		      -EOVERFLOW);
	igt_assert_eq(vf_pwrite(b, "tile0/gt0/contexts_quota", "1", 0), -ESPIPE);
	igt_assert_eq(sysfs_read_str(path, text, sizeof(text)), 0);
	igt_assert_eq(strtoull(text, NULL, 10), b->cfg.num_ctxs);
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
		igt_assert_eq(sriov_vf_fill(&fx, a, 0x5eed), 0);
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

	igt_describe("The PF's debugfs files have xe's paths, modes and semantics.");
	igt_subtest_with_dynamic("debugfs-files") {
		igt_dynamic("name")
			files_name();
		igt_dynamic("provisioning")
			files_provisioning();
		igt_dynamic("modes")
			files_modes();
		igt_dynamic("control-offset")
			files_control_offset();
		igt_dynamic("control-input")
			files_control_input();
		igt_dynamic("data-seek")
			files_data_seek();
		igt_dynamic("contexts-quota")
			files_contexts_quota();
	}

	igt_fixture() {
		xe_stream_free(&ref_s);
		free(ref);
		sriov_fixture_disable(&fx, -1);
	}
}
