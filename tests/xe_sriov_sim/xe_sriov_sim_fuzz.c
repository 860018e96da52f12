// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_sim_fuzz
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: robustness of the restore path and the VF engine
 * Description: Whoever owns a VF can write any bytes into its resuming
 *	data fd, and the kernel parses them. These subtests feed the restore
 *	path thousands of mutated streams, keep one VF's engine busy with
 *	work that would run for days, and race save, restore, reset and the
 *	PF's debugfs controls on several VFs at once. The kernel must stay
 *	clean (no WARN, BUG, oops, lockdep report or new taint in
 *	/proc/sys/kernel/tainted and /dev/kmsg), every VF must recover by a
 *	reset and then take a valid stream with its contents intact. Errnos
 *	are recorded, not judged: negative holds the per-defect errnos.
 *
 * SUBTEST: restore
 * Run type: FULL
 * Description: Valid streams saved from two VFs of pf0 and one of pf1
 *	(another device id) are mutated (lib/xe_stream_mutate.c: header
 *	fields to boundary values, sizes and offsets huge, wrapping or
 *	unaligned, size lies, packets dropped, duplicated, swapped, moved,
 *	spliced or replaced from another VF's or another device's stream,
 *	field-aware changes in descriptor KLVs, GGTT PTEs, GUC and MMIO
 *	dwords, bit flips, cuts) and restored through VFIO into one VF in a
 *	random write segmentation: RESUMING, the writes, STOP, RUNNING and,
 *	for some, RESFIX_START/DONE so the engine runs a fuzzed engine
 *	state. Before the random mutants, the stream is cut at and inside
 *	every packet. Every step's errno is recorded; after each stream the
 *	VF is reset and must be back in RUNNING, and the kernel clean. Every
 *	--verify-every streams and at the end a valid stream restores and
 *	the VF's LMEM, scratch and PTEs must be the source's (checksummed),
 *	and the sources untouched. 2000 streams (--streams, --extended
 *	100000), seeded (--seed, printed) and replayable alone
 *	(--iteration); a failing stream goes to $XEMT_RESULTS_DIR (or /tmp)
 *	as fuzz-<seed>-<iteration>.bin, and the run's errno histogram and
 *	rate to fuzz-restore.json there.
 *
 * SUBTEST: engine-fair-share
 * Run type: FULL
 * Description: One VF kicks a NOOP sled three batch levels deep (on the
 *	order of 1e13 commands). Its engine may execute at most
 *	engine_slice_units commands per engine_slice_ms (the sim's budget
 *	per time slice; debugfs commands_executed is sampled over a second),
 *	so it cannot take a whole CPU. Meanwhile another VF's small job
 *	completes within 2 s, and an FLR of the busy VF returns within
 *	1 s and leaves its engine idle.
 *
 * SUBTEST: concurrent-control
 * Run type: FULL
 * Description: For a few seconds (--duration), threads save one VF
 *	through VFIO, restore valid and mutated streams into another, reset
 *	and kick a third, and drive the PF's debugfs pause, resume, save,
 *	restore and reset of the same VFs at once. The errnos of the races
 *	are counted, not judged. At the end every VF recovers by a reset and
 *	migrates a valid stream with its contents verified; the kernel
 *	stays clean.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/vfio.h>
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "kcheck.h"
#include "mig_data.h"
#include "pf_backend.h"
#include "sim_pf.h"
#include "sriov_fixture.h"
#include "sysfs_util.h"
#include "vf_cmd.h"
#include "vf_engine.h"
#include "vf_guc.h"
#include "vf_state.h"
#include "vfio_mig.h"
#include "vfio_migrate.h"
#include "xe_log.h"
#include "xe_stream.h"
#include "xe_stream_mutate.h"
#include "uapi/xe_sriov_sim_regs.h"

IGT_TEST_DESCRIPTION("Mutated streams, runaway engines and racing controls harm nothing.");

static struct {
	uint64_t seed, streams, iteration, verify_every;
	unsigned int duration_s;
	bool seed_set, streams_set, one, extended;
} opt = { .verify_every = 250, .duration_s = 4 };

static int opt_handler(int o, int index, void *data)
{
	char *end;

	switch (o) {
	case 'S':
		opt.seed = strtoull(optarg, &end, 0);
		opt.seed_set = true;
		return *end ? IGT_OPT_HANDLER_ERROR : IGT_OPT_HANDLER_SUCCESS;
	case 'N':
		opt.streams = strtoull(optarg, &end, 0);
		opt.streams_set = true;
		return *end || !opt.streams ? IGT_OPT_HANDLER_ERROR : IGT_OPT_HANDLER_SUCCESS;
	case 'I':
		opt.iteration = strtoull(optarg, &end, 0);
		opt.one = true;
		return *end ? IGT_OPT_HANDLER_ERROR : IGT_OPT_HANDLER_SUCCESS;
	case 'V':
		opt.verify_every = strtoull(optarg, &end, 0);
		return *end || !opt.verify_every ? IGT_OPT_HANDLER_ERROR : IGT_OPT_HANDLER_SUCCESS;
	case 'D':
		opt.duration_s = strtoul(optarg, &end, 0);
		return *end || !opt.duration_s ? IGT_OPT_HANDLER_ERROR : IGT_OPT_HANDLER_SUCCESS;
	case 'X':
		opt.extended = true;
		return IGT_OPT_HANDLER_SUCCESS;
	}
	return IGT_OPT_HANDLER_ERROR;
}

static const struct option long_opts[] = {
	{ "seed", required_argument, NULL, 'S' },
	{ "streams", required_argument, NULL, 'N' },
	{ "iteration", required_argument, NULL, 'I' },
	{ "verify-every", required_argument, NULL, 'V' },
	{ "duration", required_argument, NULL, 'D' },
	{ "extended", no_argument, NULL, 'X' },
	{ NULL, 0, NULL, 0 },
};

static const char help_str[] =
	"  --seed S\t\tseed of the run (default: from the clock, printed)\n"
	"  --streams N\t\tmutated streams restored (default 2000; --extended: 100000)\n"
	"  --iteration I\t\treplay iteration I of --seed alone\n"
	"  --verify-every N\ta valid stream restored and verified every N streams (250)\n"
	"  --duration S\t\tseconds of concurrent-control (default 4; --extended: 60)\n"
	"  --extended\t\tthe long runs\n";

/* The sources: A and B of pf0, F of pf1 (another device id), target T of pf0. */
enum { SRC_A, SRC_B, SRC_F, N_SRC };

static struct sriov_fixture fx;
static struct sriov_vf *vf_a, *vf_b, *vf_f, *vf_t;
static struct {
	uint8_t *buf;
	size_t len;
	struct xe_stream s;
	struct vf_state want;	/* the source's contents when saved */
	bool ok;
} src[N_SRC];
static bool is_sim;
static char saved_timeout[32];
static char report[4096];

#define SIM_RESTORE_TIMEOUT "/sys/module/xe_sriov_sim/parameters/restore_timeout_ms"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void restore_timeout_back(int sig)
{
	if (saved_timeout[0])
		sysfs_write_str(SIM_RESTORE_TIMEOUT, saved_timeout);
}

/*
 * On the sim a restore without its trailer fails at once instead of after
 * xe's 20 s; on xe only streams that end with a trailer are committed.
 */
static void shorten_restore_timeout(void)
{
	if (!is_sim || saved_timeout[0] ||
	    sysfs_read_str(SIM_RESTORE_TIMEOUT, saved_timeout, sizeof(saved_timeout)))
		return;
	saved_timeout[strcspn(saved_timeout, "\n")] = 0;
	igt_install_exit_handler(restore_timeout_back);
	igt_assert_eq(sysfs_write_str(SIM_RESTORE_TIMEOUT, "1"), 0);
}

static void save_vfio(struct sriov_vf *v, uint8_t **buf, size_t *len)
{
	int fd;

	igt_assert_eq(vfio_mig_goto(&v->dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL), 0);
	igt_assert_eq(mig_data_read_all(fd, 1 << 20, buf, len, NULL), 0);
	close(fd);
	igt_assert_eq(vfio_mig_goto(&v->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL), 0);
}

static void take_source(int i, struct sriov_vf *v, uint64_t seed)
{
	struct xe_stream_error err;

	igt_assert_eq(vfio_dev_reset(&v->dev), 0);
	igt_assert_eq(vf_state_fill(&v->dev, sriov_vf_n_ptes(v), seed), 0);
	igt_assert_eq(vf_state_capture(&v->dev, sriov_vf_n_ptes(v), &src[i].want), 0);
	save_vfio(v, &src[i].buf, &src[i].len);
	igt_assert_f(!xe_stream_parse(src[i].buf, src[i].len, &src[i].s, &err),
		     "saved stream does not parse: %s\n", err.msg);
	src[i].ok = true;
}

static void setup(void)
{
	int err;

	/*
	 * Mutants of a 4 MiB stream come and go thousands of times: keep
	 * them on the heap, not in fresh mmaps whose every page faults (a
	 * page fault is dear under TCG).
	 */
	mallopt(M_MMAP_THRESHOLD, 256 << 20);
	mallopt(M_TRIM_THRESHOLD, 512 << 20);
	err = sriov_fixture_init(&fx);

	igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
	igt_require_f(!sriov_fixture_enable(&fx, 0, 5), "cannot enable 5 VFs\n");
	is_sim = fx.ops == &pf_backend_sim;
	vf_a = &fx.vfs[0][0];
	vf_t = &fx.vfs[0][1];
	vf_b = &fx.vfs[0][2];
	take_source(SRC_A, vf_a, 0xa11ce);
	take_source(SRC_B, vf_b, 0xb0b);
	if (fx.n_pfs > 1 && !sriov_fixture_enable(&fx, 1, 1)) {
		vf_f = &fx.vfs[1][0];
		take_source(SRC_F, vf_f, 0xf00);
	}
	if (opt.extended) {
		if (!opt.streams_set)
			opt.streams = 100000;
		if (opt.duration_s == 4)
			opt.duration_s = 60;
	} else if (!opt.streams_set) {
		opt.streams = 2000;
	}
	if (!opt.seed_set)
		opt.seed = now_ns() ^ (uint64_t)getpid() << 32;
}

/* ---- restore ------------------------------------------------------------ */

/* What each step of one restore answered (0, or a positive errno; -1: not run). */
struct outcome {
	int resuming, write, stop, running, resfix;
	size_t written;		/* bytes the kernel took */
	unsigned int writes;
};

static const char *en(int e)
{
	static __thread char b[8][24];
	static __thread int k;

	if (e < 0)
		return "-";
	if (!e)
		return "ok";
	k = (k + 1) % 8;
	snprintf(b[k], sizeof(b[k]), "%s", strerrorname_np(e) ? strerrorname_np(e) : "?");
	return b[k];
}

static bool ends_with_trailer(const uint8_t *buf, size_t len)
{
	struct xe_stream_error err;
	struct xe_stream s;
	bool t;

	if (xe_stream_parse(buf, len, &s, &err))
		return false;
	t = s.count && s.pkts[s.count - 1].hdr.type == XE_SRIOV_PACKET_TYPE_TRAILER;
	xe_stream_free(&s);
	return t;
}

/*
 * Restore buf into v through VFIO in a segmentation drawn from rng, as far
 * as the kernel takes it, then STOP and RUNNING (and a RESFIX handshake
 * when resfix). Records every step; never asserts on an errno.
 */
static void restore_fuzzed(struct sriov_vf *v, const uint8_t *buf, size_t len,
			   struct xe_rng *rng, bool resfix, struct outcome *o)
{
	size_t pos = 0;
	int fd = -1;

	*o = (struct outcome){ -1, -1, -1, -1, -1, 0, 0 };
	o->resuming = -vfio_mig_goto(&v->dev, VFIO_DEVICE_STATE_RESUMING, &fd, NULL);
	if (o->resuming)
		return;
	o->write = 0;
	while (pos < len) {
		size_t n = xe_rng_segment(rng, len - pos);
		ssize_t w = write(fd, buf + pos, n);

		o->writes++;
		if (w < 0) {
			o->write = errno;
			break;
		}
		if (!w) {
			o->write = EPIPE;
			break;
		}
		pos += w;
	}
	o->written = pos;
	close(fd);
	if (o->write || (!is_sim && !ends_with_trailer(buf, len)))
		return;
	o->stop = -vfio_mig_set_state(&v->dev, VFIO_DEVICE_STATE_STOP, NULL);
	if (o->stop)
		return;
	o->running = -vfio_mig_set_state(&v->dev, VFIO_DEVICE_STATE_RUNNING, NULL);
	if (o->running || !resfix)
		return;
	/* Let the engine run the restored (fuzzed) engine state. */
	o->resfix = -vf_guc_resfix_start(&v->dev, XE_SRIOV_SIM_GT_PRIMARY, 0x5a);
	if (!o->resfix)
		o->resfix = -vf_guc_resfix_done(&v->dev, XE_SRIOV_SIM_GT_PRIMARY, 0x5a);
}

/* Errno histogram, one key per distinct outcome. */
#define MAX_KEYS 256
static struct {
	char key[96];
	uint64_t n;
} hist[MAX_KEYS];
static unsigned int n_hist;

static void count(const struct outcome *o)
{
	char key[96];
	unsigned int i;

	snprintf(key, sizeof(key), "resuming=%s write=%s stop=%s running=%s resfix=%s",
		 en(o->resuming), en(o->write), en(o->stop), en(o->running), en(o->resfix));
	for (i = 0; i < n_hist; i++)
		if (!strcmp(hist[i].key, key))
			break;
	if (i == n_hist) {
		if (n_hist == MAX_KEYS)
			return;
		snprintf(hist[n_hist++].key, sizeof(hist[0].key), "%s", key);
	}
	hist[i].n++;
}

static const char *results_dir(void)
{
	const char *d = getenv("XEMT_RESULTS_DIR");

	return d && *d ? d : "/tmp";
}

/* The stream of a failing iteration, for a replay or a look with `stream dump`. */
static void keep_stream(uint64_t iter, const uint8_t *buf, size_t len, const char *log)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/fuzz-%#" PRIx64 "-%" PRIu64 ".bin", results_dir(),
		 opt.seed, iter);
	f = fopen(path, "w");
	if (!f) {
		igt_warn("cannot write %s: %s\n", path, strerror(errno));
		return;
	}
	fwrite(buf, 1, len, f);
	fclose(f);
	igt_info("failing stream (%zu bytes, %s) written to %s\n", len, log, path);
	igt_info("replay: --run-subtest restore --seed %#" PRIx64 " --iteration %" PRIu64 "\n",
		 opt.seed, iter);
}

struct iter_ctx {
	uint64_t iter;
	const uint8_t *buf;
	size_t len;
	const char *log;
};

static void iter_fail(const struct iter_ctx *it, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void iter_fail(const struct iter_ctx *it, const char *fmt, ...)
{
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (it)
		keep_stream(it->iter, it->buf, it->len, it->log);
	igt_assert_f(false, "seed %#" PRIx64 " iteration %" PRIu64 " (%s): %s\n", opt.seed,
		     it ? it->iter : 0, it ? it->log : "-", why);
}

static uint64_t t_reset;

/* The VF comes back with a reset: RUNNING, and the kernel is clean. */
static void recover(struct sriov_vf *v, struct kcheck *kc, const struct iter_ctx *it)
{
	uint32_t st = 0;
	char why[1024];
	uint64_t t = now_ns();
	int err;

	err = vfio_dev_reset(&v->dev);
	t_reset += now_ns() - t;
	if (err)
		iter_fail(it, "reset of VF%u: %s", v->vf.vf_id, strerror(-err));
	err = vfio_mig_get_state(&v->dev, &st);
	if (err || st != VFIO_DEVICE_STATE_RUNNING)
		iter_fail(it, "VF%u after reset: state %s (%s)", v->vf.vf_id,
			  vfio_mig_state_name(st), strerror(-err));
	if (kcheck_poll(kc, why, sizeof(why)))
		iter_fail(it, "%s", why);
}

/*
 * The full check: a valid stream of A restores into v and v then holds
 * A's contents; A and B are as they were saved.
 */
static void verify_valid(struct sriov_vf *v, struct kcheck *kc, const struct iter_ctx *last)
{
	struct xe_rng rng;
	struct outcome o;
	struct vf_state got;

	xe_rng_seed(&rng, opt.seed);
	restore_fuzzed(v, src[SRC_A].buf, src[SRC_A].len, &rng, false, &o);
	if (o.resuming || o.write || o.stop || o.running)
		iter_fail(last, "valid stream after the fuzzing: resuming %s write %s at %zu, stop %s, running %s",
			  en(o.resuming), en(o.write), o.written, en(o.stop), en(o.running));
	igt_assert_eq(vf_state_capture(&v->dev, sriov_vf_n_ptes(v), &got), 0);
	if (!vf_state_equal(&src[SRC_A].want, &got, v->vf.vf_id, report, sizeof(report)))
		iter_fail(last, "VF%u after a valid restore:\n%s", v->vf.vf_id, report);
	vf_state_free(&got);
	for (int i = SRC_A; i <= SRC_B; i++) {
		struct sriov_vf *s = i == SRC_A ? vf_a : vf_b;

		igt_assert_eq(vf_state_capture(&s->dev, sriov_vf_n_ptes(s), &got), 0);
		if (!vf_state_equal(&src[i].want, &got, s->vf.vf_id, report, sizeof(report)))
			iter_fail(last, "source VF%u changed:\n%s", s->vf.vf_id, report);
		vf_state_free(&got);
	}
	recover(v, kc, last);
}

/* Iterations below this are the systematic cuts of A's stream. */
static uint64_t n_cuts(void)
{
	return 3 * src[SRC_A].s.count;
}

/* The mutant of iteration iter: a cut, or mutations of a source's stream. */
static void make_mutant(uint64_t iter, struct xe_stream_mutant *mt, struct xe_rng *rng)
{
	struct xe_stream_mutator m = { .max_steps = 4 };
	int base, ret;

	xe_rng_seed(rng, xe_rng_iter_seed(opt.seed, iter));
	if (iter < n_cuts()) {
		ret = xe_stream_mutate_cut(&src[SRC_A].s, iter / 3, iter % 3, mt);
		igt_assert_eq(ret, 0);
		return;
	}
	/* A most often; B (a sibling VF) and F (another device) too. */
	base = xe_rng_below(rng, 8);
	base = base < 5 ? SRC_A : base < 7 || !src[SRC_F].ok ? SRC_B : SRC_F;
	m.base = &src[base].s;
	for (int i = 0; i < N_SRC; i++)
		if (i != base && src[i].ok)
			m.donors[m.n_donors++] = &src[i].s;
	m.obj_size = vf_t->cfg.lmem_size + vf_t->cfg.lmem_size / 256;
	/* One in 16 keeps the whole LMEM: full-size streams, slower. */
	m.compact = xe_rng_below(rng, 16) != 0;
	ret = xe_stream_mutate(&m, xe_rng_next(rng), mt);
	igt_assert_eq(ret, 0);
}

static void write_summary(uint64_t streams, double secs, uint64_t bytes)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/fuzz-restore.json", results_dir());
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "{\"seed\": \"%#" PRIx64 "\", \"streams\": %" PRIu64
		", \"seconds\": %.3f, \"streams_per_s\": %.1f, \"bytes\": %" PRIu64
		", \"outcomes\": {", opt.seed, streams, secs, streams / secs, bytes);
	for (unsigned int i = 0; i < n_hist; i++)
		fprintf(f, "%s\"%s\": %" PRIu64, i ? ", " : "", hist[i].key, hist[i].n);
	fprintf(f, "}}\n");
	fclose(f);
}

static void restore_fuzz(void)
{
	uint64_t first = opt.one ? opt.iteration : 0;
	uint64_t end = opt.one ? opt.iteration + 1 : opt.streams;
	uint64_t t0, bytes = 0, kinds_seen = 0, t_mut = 0, t_res = 0, t_rec = 0, t;
	struct kcheck kc;
	double secs;

	igt_assert_eq(kcheck_start(&kc), 0);
	shorten_restore_timeout();
	igt_info("seed %#" PRIx64 ", streams %" PRIu64 "..%" PRIu64
		 ", %" PRIu64 " systematic cuts first, verified every %" PRIu64 "\n",
		 opt.seed, first, end - 1, n_cuts(), opt.verify_every);
	recover(vf_t, &kc, NULL);
	t0 = now_ns();
	for (uint64_t i = first; i < end; i++) {
		struct xe_stream_mutant mt;
		struct xe_rng rng;
		struct outcome o;
		struct iter_ctx it;

		t = now_ns();
		make_mutant(i, &mt, &rng);
		t_mut += now_ns() - t;
		it = (struct iter_ctx){ i, mt.buf, mt.len, mt.log };
		t = now_ns();
		restore_fuzzed(vf_t, mt.buf, mt.len, &rng, xe_rng_below(&rng, 4) == 0, &o);
		t_res += now_ns() - t;
		igt_debug("iteration %" PRIu64 ": %zu bytes [%s] resuming=%s write=%s at %zu/%u stop=%s running=%s resfix=%s\n",
			  i, mt.len, mt.log, en(o.resuming), en(o.write), o.written, o.writes,
			  en(o.stop), en(o.running), en(o.resfix));
		if (o.resuming)
			iter_fail(&it, "VF%u cannot enter RESUMING after a reset: %s", vf_t->vf.vf_id,
				  en(o.resuming));
		count(&o);
		bytes += o.written;
		kinds_seen |= mt.kinds;
		t = now_ns();
		recover(vf_t, &kc, &it);
		t_rec += now_ns() - t;
		if ((i + 1 - first) % opt.verify_every == 0)
			verify_valid(vf_t, &kc, &it);
		xe_stream_mutant_free(&mt);
	}
	verify_valid(vf_t, &kc, NULL);
	secs = (now_ns() - t0) / 1e9;
	kcheck_stop(&kc);

	for (unsigned int i = 0; i < n_hist; i++)
		igt_info("%8" PRIu64 "  %s\n", hist[i].n, hist[i].key);
	igt_info("%" PRIu64 " streams in %.1f s: %.1f streams/s, %.1f MiB taken by the kernel\n",
		 end - first, secs, (end - first) / secs, bytes / 1048576.0);
	igt_info("time: mutating %.1f s, restoring %.1f s, recovering %.1f s (resets %.1f s)\n",
		 t_mut / 1e9, t_res / 1e9, t_rec / 1e9, t_reset / 1e9);
	write_summary(end - first, secs, bytes);
	if (!opt.one && end > n_cuts() + 500)
		for (int k = 0; k < XE_MUT_COUNT; k++)
			igt_assert_f(kinds_seen & (1ull << k), "mutation %s never drawn\n",
				     xe_mut_kind_name(k));
}


/* ---- engine-fair-share ---------------------------------------------------- */

#define SIM_PARAM(n) "/sys/module/xe_sriov_sim/parameters/" n
/* The module's documented defaults, for a module that has no such knob. */
#define DEFAULT_SLICE_MS	10
#define DEFAULT_SLICE_UNITS	4096

static unsigned int sim_param_uint(const char *path, unsigned int dflt)
{
	char b[32];

	if (sysfs_read_str(path, b, sizeof(b)))
		return dflt;
	return strtoul(b, NULL, 0);
}

/* A "key: value" number of the VF's sim-only debugfs engine file; dflt if absent. */
static uint64_t engine_stat_or(struct sriov_vf *v, const char *key, uint64_t dflt)
{
	char dir[4096], path[4200], buf[2048], *p;
	FILE *f;
	size_t n;

	pf_vf_debugfs_dir(&v->vf, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/engine", dir);
	f = fopen(path, "r");
	if (!f) {
		/* Where the sim keeps its own files when the PF's are DRM's. */
		snprintf(path, sizeof(path), "/sys/kernel/debug/xe_sriov_sim/%s/vf%u/engine",
			 v->vf.pf->name, v->vf.vf_id);
		f = fopen(path, "r");
	}
	igt_assert_f(f, "%s: %s\n", path, strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strstr(buf, key);
	return p ? strtoull(p + strlen(key) + 2, NULL, 0) : dflt;
}

static uint64_t engine_stat(struct sriov_vf *v, const char *key)
{
	uint64_t val = engine_stat_or(v, key, UINT64_MAX);

	igt_assert_f(val != UINT64_MAX, "no %s in VF%u's debugfs engine\n", key, v->vf.vf_id);
	return val;
}

/* CPU time (all CPUs, in USER_HZ ticks) that was not idle, from /proc/stat. */
static uint64_t cpu_busy_ticks(uint64_t *total)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
			 &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8) {
		if (f)
			fclose(f);
		*total = 0;
		return 0;
	}
	fclose(f);
	*total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
	return *total - v[3] - v[4];
}

/*
 * A sled three batch levels deep: level 3 is NOOPs, levels 2 and 1 are
 * BATCH_STARTs of the level below, the ring starts level 1 then fences.
 */
static void emit_sled(struct vf_engine *e)
{
	const uint32_t level_bytes = 256 << 10;
	struct vf_batch *b[3];
	uint32_t *cs = calloc(level_bytes / 4, 4), n, seqno;

	igt_assert(cs);
	for (int l = 2; l >= 0; l--) {
		igt_assert_eq(vf_engine_batch_create(e, level_bytes, &b[l]), 0);
		n = 0;
		if (l == 2) {
			n = level_bytes / 4 - 1;	/* zeroed: NOOPs */
		} else {
			while (n + 3 + 1 <= level_bytes / 4)
				n += vf_cmd_batch_start(cs + n, vf_batch_ggtt(e, b[l + 1], 0));
		}
		if (l == 2)
			memset(cs, 0, 4 * n);
		n += vf_cmd_batch_end(cs + n);
		igt_assert_eq(vf_engine_batch_emit(e, b[l], cs, n), 0);
	}
	n = vf_cmd_batch_start(cs, vf_batch_ggtt(e, b[0], 0));
	igt_assert_eq(vf_engine_emit(e, cs, n), 0);
	igt_assert_eq(vf_engine_emit_fence(e, &seqno), 0);
	igt_assert_eq(vf_engine_kick(e), 0);
	free(cs);
}

static void engine_fair_share(void)
{
	unsigned int slice_ms = sim_param_uint(SIM_PARAM("engine_slice_ms"), DEFAULT_SLICE_MS);
	unsigned int units = sim_param_uint(SIM_PARAM("engine_slice_units"), DEFAULT_SLICE_UNITS);
	struct sriov_vf *busy = &fx.vfs[0][3], *other = &fx.vfs[0][4];
	struct vf_driver dbusy, dother;
	struct vf_engine ebusy, eother;
	uint64_t c0, c1, t0, t1, b0, b1, tot0, tot1, thr, wait_ns, flr_ns;
	struct vf_engine_fault f;
	struct kcheck kc;
	char why[1024];
	double rate, max_rate, cpu;
	uint32_t seqno;
	int err;

	igt_require_f(is_sim, "the engine is xe_sriov_sim's\n");
	igt_require_f(units, "engine_slice_units is 0: no budget to check\n");
	/* A CPU taken by a runaway engine may stall this process too. */
	igt_set_timeout(60, "engine-fair-share");
	igt_assert_eq(kcheck_start(&kc), 0);
	for (int i = 0; i < 2; i++) {
		struct sriov_vf *v = i ? other : busy;

		igt_assert_eq(vfio_dev_reset(&v->dev), 0);
		igt_assert_eq(vf_driver_init(i ? &dother : &dbusy, &v->dev), 0);
		igt_assert_eq(vf_engine_init(i ? &eother : &ebusy, i ? &dother : &dbusy, 0), 0);
	}
	emit_sled(&ebusy);
	igt_info("VF%u kicked a NOOP sled 3 batch levels deep\n", busy->vf.vf_id);
	usleep(200 * 1000);
	/* The busy VF's rate over a second against its budget. */
	c0 = engine_stat(busy, "commands_executed");
	b0 = cpu_busy_ticks(&tot0);
	t0 = now_ns();
	usleep(1000 * 1000);
	c1 = engine_stat(busy, "commands_executed");
	t1 = now_ns();
	b1 = cpu_busy_ticks(&tot1);
	thr = engine_stat_or(busy, "slices_throttled", 0);
	rate = (c1 - c0) / ((t1 - t0) / 1e9);
	max_rate = units * 1000.0 / slice_ms;
	cpu = tot1 > tot0 ? 100.0 * (b1 - b0) / (tot1 - tot0) : 0;
	igt_info("busy VF%u: %.0f commands/s (budget %u per %u ms: at most %.0f/s), %" PRIu64
		 " slices throttled; all CPUs %.0f%% busy\n", busy->vf.vf_id, rate, units,
		 slice_ms, max_rate, thr, cpu);
	igt_assert_f(c1 > c0, "the sled does not run\n");
	igt_assert_f(rate <= 1.25 * max_rate + units,
		     "VF%u's engine ran %.0f commands/s, over its budget of %u per %u ms\n",
		     busy->vf.vf_id, rate, units, slice_ms);

	/* Another VF's small job completes while the sled runs. */
	igt_info("VF%u submits a fence\n", other->vf.vf_id);
	t0 = now_ns();
	igt_assert_eq(vf_engine_emit_fence(&eother, &seqno), 0);
	igt_assert_eq(vf_engine_kick(&eother), 0);
	err = vf_engine_wait_seqno(&eother, seqno, 2000);
	wait_ns = now_ns() - t0;
	igt_assert_f(!err, "VF%u's fence did not signal within 2 s beside a sled: %s\n",
		     other->vf.vf_id, eother.error);
	igt_assert_f(!vf_seqno_passed(vf_engine_seqno(&ebusy), 1), "the sled finished?\n");

	/* An FLR of the busy VF returns promptly and stops it. */
	igt_info("other VF's fence after %.1f ms; FLR of VF%u\n", wait_ns / 1e6, busy->vf.vf_id);
	t0 = now_ns();
	igt_assert_eq(vfio_dev_reset(&busy->dev), 0);
	flr_ns = now_ns() - t0;
	igt_assert_eq(vf_engine_read_fault(&ebusy, &f), 0);
	igt_info("FLR of the busy VF %.1f ms, then %s\n", flr_ns / 1e6,
		 f.state == XE_SRIOV_SIM_ENGINE_STATE_IDLE ? "idle" : "not idle");
	igt_assert_f(flr_ns < 1000000000ull, "FLR of a busy VF took %.1f ms\n", flr_ns / 1e6);
	igt_assert_eq(f.state, XE_SRIOV_SIM_ENGINE_STATE_IDLE);
	vf_engine_fini(&ebusy);
	vf_driver_fini(&dbusy);
	vf_engine_fini(&eother);
	vf_driver_fini(&dother);
	igt_assert_eq(vfio_dev_reset(&other->dev), 0);
	igt_assert_f(!kcheck_poll(&kc, why, sizeof(why)), "%s\n", why);
	kcheck_stop(&kc);
	igt_reset_timeout();
}

/* ---- concurrent-control --------------------------------------------------- */

#define MAX_ERRNO 160

/* One racing thread: what it does and how its calls ended. */
struct racer {
	const char *name;
	void (*op)(struct racer *r);
	struct xe_rng rng;
	pthread_t thread;
	uint64_t calls, ends[MAX_ERRNO];	/* ends[0]: success */
};

static atomic_bool race_stop;

static void tally(struct racer *r, int err)
{
	err = err < 0 ? -err : err;
	r->calls++;
	r->ends[err < MAX_ERRNO ? err : MAX_ERRNO - 1]++;
}

/* VFIO save of A: STOP_COPY, read it all, back to RUNNING. */
static void race_save(struct racer *r)
{
	uint8_t *buf = NULL;
	size_t len;
	int fd = -1, err;

	err = vfio_mig_goto(&vf_a->dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL);
	if (!err) {
		err = mig_data_read_all(fd, 1 << 20, &buf, &len, NULL);
		close(fd);
		free(buf);
	}
	tally(r, err);
	err = vfio_mig_goto(&vf_a->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL);
	tally(r, err);
	/* A save the PF broke leaves STOP_COPY only through a reset, as on xe. */
	if (err)
		tally(r, vfio_dev_reset(&vf_a->dev));
}

/* VFIO restore into T: A's valid stream or a mutant of it, then a reset now and then. */
static void race_restore(struct racer *r)
{
	struct xe_stream_mutator m = { .base = &src[SRC_A].s, .compact = true };
	struct xe_stream_mutant mt = { 0 };
	struct outcome o;
	bool valid = xe_rng_below(&r->rng, 2);

	if (!valid)
		igt_assert_eq(xe_stream_mutate(&m, xe_rng_next(&r->rng), &mt), 0);
	restore_fuzzed(vf_t, valid ? src[SRC_A].buf : mt.buf, valid ? src[SRC_A].len : mt.len,
		       &r->rng, false, &o);
	tally(r, o.resuming > 0 ? o.resuming : o.write > 0 ? o.write :
		 o.stop > 0 ? o.stop : o.running > 0 ? o.running : 0);
	xe_stream_mutant_free(&mt);
	/* A restore the PF broke leaves RESUMING only through a reset. */
	if (!xe_rng_below(&r->rng, 4) ||
	    vfio_mig_goto(&vf_t->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL))
		tally(r, vfio_dev_reset(&vf_t->dev));
	else
		tally(r, 0);
}

/* B: reset, scratch written and read back, a pause and resume through VFIO. */
static void race_reset(struct racer *r)
{
	uint32_t v = (uint32_t)xe_rng_next(&r->rng), got = 0;

	tally(r, vfio_dev_reset(&vf_b->dev));
	tally(r, vfio_dev_write32(&vf_b->dev, VFIO_PCI_BAR0_REGION_INDEX,
				  XE_SRIOV_SIM_VF_SW_FLAG(0), v));
	tally(r, vfio_dev_read32(&vf_b->dev, VFIO_PCI_BAR0_REGION_INDEX,
				 XE_SRIOV_SIM_VF_SW_FLAG(0), &got));
	tally(r, vfio_mig_goto(&vf_b->dev, VFIO_DEVICE_STATE_RUNNING_P2P, NULL, NULL));
	tally(r, vfio_mig_goto(&vf_b->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL));
}

/* The PF's debugfs on the same VFs: pause, resume, save, restore, reset, stop, sizes. */
static void race_debugfs(struct racer *r)
{
	struct sriov_vf *v[] = { vf_a, vf_t, vf_b };
	struct sriov_vf *x = v[xe_rng_below(&r->rng, 3)];
	uint8_t *buf = NULL;
	uint64_t size;
	size_t len;

	switch (xe_rng_below(&r->rng, 16)) {
	case 0 ... 3:
		tally(r, pf_vf_control(&x->vf, PF_VF_PAUSE));
		break;
	case 4 ... 7:
		tally(r, pf_vf_control(&x->vf, PF_VF_RESUME));
		break;
	case 8:
		tally(r, pf_vf_control(&x->vf, PF_VF_RESET));
		break;
	case 9:
		tally(r, pf_vf_control(&x->vf, PF_VF_STOP));
		break;
	case 10 ... 11:
		tally(r, pf_vf_save(&x->vf, &buf, &len));
		free(buf);
		break;
	case 12 ... 13:
		tally(r, pf_vf_restore(&x->vf, src[SRC_A].buf, src[SRC_A].len,
				       xe_rng_segment(&r->rng, src[SRC_A].len)));
		break;
	default:
		tally(r, pf_vf_migration_size(&x->vf, &size));
		break;
	}
}

static void *racer_main(void *arg)
{
	struct racer *r = arg;

	while (!atomic_load(&race_stop))
		r->op(r);
	return NULL;
}

static void report_racer(const struct racer *r)
{
	char line[1024];
	int n = 0;

	for (int e = 0; e < MAX_ERRNO && n < (int)sizeof(line) - 40; e++)
		if (r->ends[e])
			n += snprintf(line + n, sizeof(line) - n, " %s=%" PRIu64,
				      e ? strerrorname_np(e) ?: "?" : "ok", r->ends[e]);
	igt_info("%-8s %6" PRIu64 " calls:%s\n", r->name, r->calls, line);
}

/* v holds what a valid migration from s left: migrated, verified. */
static void migrate_verified(struct sriov_vf *s, struct sriov_vf *d, uint64_t seed)
{
	struct vf_state want, got;

	igt_assert_eq(vf_state_fill(&s->dev, sriov_vf_n_ptes(s), seed), 0);
	igt_assert_eq(vf_state_capture(&s->dev, sriov_vf_n_ptes(s), &want), 0);
	igt_assert_eq(vfio_migrate(&s->dev, &d->dev, NULL, NULL), 0);
	igt_assert_eq(vf_state_capture(&d->dev, sriov_vf_n_ptes(d), &got), 0);
	igt_assert_f(vf_state_equal(&want, &got, d->vf.vf_id, report, sizeof(report)),
		     "VF%u -> VF%u after the races:\n%s", s->vf.vf_id, d->vf.vf_id, report);
	vf_state_free(&want);
	vf_state_free(&got);
}

static void concurrent_control(void)
{
	struct racer r[] = {
		{ .name = "save", .op = race_save },
		{ .name = "restore", .op = race_restore },
		{ .name = "reset", .op = race_reset },
		{ .name = "debugfs", .op = race_debugfs },
		{ .name = "debugfs", .op = race_debugfs },
	};
	struct sriov_vf *all[] = { vf_a, vf_t, vf_b };
	uint64_t end = now_ns() + opt.duration_s * 1000000000ull;
	struct kcheck kc;
	char why[1024];

	igt_emit_ignore_dmesg_regex(XE_LOG_FINISH_SAVE_REFUSED);
	igt_assert_eq(kcheck_start(&kc), 0);
	shorten_restore_timeout();
	igt_info("seed %#" PRIx64 ", %u s, %zu threads on VF%u (save), VF%u (restore), VF%u (reset), debugfs on all three\n",
		 opt.seed, opt.duration_s, sizeof(r) / sizeof(r[0]), vf_a->vf.vf_id,
		 vf_t->vf.vf_id, vf_b->vf.vf_id);
	atomic_store(&race_stop, false);
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		xe_rng_seed(&r[i].rng, xe_rng_iter_seed(opt.seed, i));
		igt_assert_eq(pthread_create(&r[i].thread, NULL, racer_main, &r[i]), 0);
	}
	while (now_ns() < end) {
		usleep(100 * 1000);
		if (kcheck_poll(&kc, why, sizeof(why))) {
			atomic_store(&race_stop, true);
			break;
		}
	}
	atomic_store(&race_stop, true);
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		pthread_join(r[i].thread, NULL);
		report_racer(&r[i]);
	}
	igt_assert_f(!kcheck_poll(&kc, why, sizeof(why)), "during the races: %s\n", why);

	/* Every VF recovers with a reset and migrates a valid stream intact. */
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		uint32_t st = 0;

		igt_assert_eq(vfio_dev_reset(&all[i]->dev), 0);
		igt_assert_eq(vfio_mig_get_state(&all[i]->dev, &st), 0);
		igt_assert_eq(st, VFIO_DEVICE_STATE_RUNNING);
	}
	migrate_verified(vf_a, vf_t, opt.seed ^ 1);
	migrate_verified(vf_t, vf_b, opt.seed ^ 2);
	migrate_verified(vf_b, vf_a, opt.seed ^ 3);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		igt_assert_eq(vfio_dev_reset(&all[i]->dev), 0);
	igt_assert_f(!kcheck_poll(&kc, why, sizeof(why)), "%s\n", why);
	kcheck_stop(&kc);
	/* The sources of restore hold other contents now. */
	src[SRC_A].ok = src[SRC_B].ok = false;
}

int igt_main_args("", long_opts, help_str, opt_handler, NULL)
{
	igt_fixture() {
		setup();
		/*
		 * What the restore path logs for what it refuses, as xe logs
		 * it, and the ratelimit's own notes: expected here. WARN,
		 * BUG, oops and taint are checked apart (lib/kcheck.c).
		 */
		igt_emit_ignore_dmesg_regex("Failed to restore VF[0-9]+ [A-Za-z]+ data|"
					    "Aborting migration|"
					    "Received invalid restore packet|"
					    "callbacks suppressed");
	}

	igt_describe("Mutated streams through VFIO: the kernel stays clean, the VF recovers.");
	igt_subtest("restore")
		restore_fuzz();

	igt_describe("A VF's endless batch takes its budget per time slice, not a CPU.");
	igt_subtest("engine-fair-share")
		engine_fair_share();

	igt_describe("Save, restore, reset and the PF's debugfs racing on three VFs.");
	igt_subtest("concurrent-control")
		concurrent_control();

	igt_fixture() {
		for (int i = 0; i < N_SRC; i++) {
			xe_stream_free(&src[i].s);
			free(src[i].buf);
			vf_state_free(&src[i].want);
		}
		sriov_fixture_disable(&fx, -1);
	}
}
