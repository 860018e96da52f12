// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_migration_fsm
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: VFIO migration state machine
 * Description: The VF's VFIO migration FSM behaves as the uAPI
 *	(include/uapi/linux/vfio.h) and xe-vfio-pci promise: the declared
 *	flags, every pair of supported states, refusals, reset, and the
 *	lifetime of data fds.
 *
 * SUBTEST: migration-flags
 * Run type: BAT
 * Description: VFIO_DEVICE_FEATURE_MIGRATION reports STOP_COPY and P2P
 *	(exactly these on xe_sriov_sim, like xe-vfio-pci without pre-copy).
 *
 * SUBTEST: state-pairs
 * Run type: FULL
 * Description: For every ordered pair of supported states: reach the first
 *	by the planner's shortest path, one arc at a time, each read back;
 *	then ask for the second in a single SET_STATE, as QEMU may, and check
 *	the state read back and that a data fd comes back exactly for
 *	STOP_COPY and RESUMING. A saving fd is read to EOF and a resuming fd
 *	gets a whole stream before their state is left, as in a migration.
 *	One dynamic subtest per pair.
 *
 * SUBTEST: unsupported-states
 * Run type: BAT
 * Description: PRE_COPY, PRE_COPY_P2P, ERROR and out-of-range states are
 *	refused with EINVAL and the state read back is unchanged; as
 *	xe-vfio-pci does on such a request (xe_sriov_vfio_error()), the VF
 *	is stopped (RUNNING -> RUNNING_P2P is EPERM) until a reset.
 *
 * SUBTEST: reset-from-every-state
 * Run type: FULL
 * Description: VFIO_DEVICE_RESET from every supported state leaves the VF
 *	RUNNING, and ends the data fd of the state it left. One dynamic
 *	subtest per state.
 *
 * SUBTEST: stop-copy-abort
 * Run type: BAT
 * Description: Leaving STOP_COPY before the saving fd reached EOF does
 *	what xe-vfio-pci does: the fd is disabled (ENODEV), the arc fails
 *	with EIO and the state stays STOP_COPY; VFIO_DEVICE_RESET recovers
 *	the VF.
 *
 * SUBTEST: stop-copy-ring
 * Run type: BAT
 * Description: The save is done once every GT has fewer than 5
 *	packets left unread, as with xe's ring of 5 per GT (its worker waits
 *	on a full ring before it finds it has nothing left to produce):
 *	STOP_COPY -> STOP fails with EIO when the reader stopped just before
 *	the 5th packet from the end of the primary GT's, and succeeds one
 *	byte later. Needs a GT with 5 packets or more.
 *
 * SUBTEST: reset-during-resuming-stop
 * Run type: BAT
 * Description: RESUMING -> STOP without the trailer waits for the restore
 *	timeout (xe: 20 s); a VFIO_DEVICE_RESET from another thread meanwhile
 *	returns at once and ends that wait (the FLR ends the restore, as
 *	xe-vfio-pci's reset_done does): the SET_STATE fails with EIO right
 *	away and the VF is RUNNING.
 *
 * SUBTEST: data-fd-ends
 * Run type: BAT
 * Description: A saving fd reads to EOF and stays at EOF; once STOP_COPY
 *	is left it is dead: read fails with ENODEV (not EOF), as
 *	xe-vfio-pci's disabled fd; a resuming fd's write fails with ENODEV
 *	once RESUMING is left. Neither accepts an offset (ESPIPE).
 *
 * SUBTEST: data-fd-outlives-device
 * Run type: FULL
 * Description: A saving fd in the middle of its stream outlives the
 *	device fd (closing the device is an FLR: the fd is dead, ENODEV),
 *	then the VF itself (VFs disabled: still ENODEV, no oops); closing it
 *	last is clean, and re-enabled VFs migrate again.
 *
 * SUBTEST: pf-controls
 * Run type: BAT
 * Description: The PF's control state machine through its debugfs
 *	files, with xe's errnos (xe_gt_sriov_pf_control.c): resume of a
 *	running VF and pause or resume of a stopped one are EPERM, a second
 *	pause or stop ESTALE; an FLR makes a stopped VF pausable again.
 *
 * SUBTEST: debugfs-sessions
 * Run type: BAT
 * Description: Save and restore sessions through the PF's debugfs: both
 *	need a paused VF (EPERM), a second trigger is EALREADY, the other
 *	kind and resume are EBUSY meanwhile, finishing a save that was not
 *	started or not read is EIO, migration_data takes no offset
 *	(ESPIPE); a save read to its end finishes, and its stream restores
 *	into the VF and finishes.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/vfio.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "mig_data.h"
#include "sriov_fixture.h"
#include "sysfs_util.h"
#include "vfio_mig.h"
#include "vfio_migrate.h"
#include "xe_log.h"
#include "xe_stream.h"

IGT_TEST_DESCRIPTION("Conformance of a VF's VFIO migration state machine.");

static struct sriov_fixture fx;
static struct vfio_dev *dev;	/* VF1 of the first PF */
static uint64_t flags;
/* A stream saved from the VF, to feed RESUMING so it can be left. */
static uint8_t *stream;
static size_t stream_len;

static const char *state_dyn_name(uint32_t s)
{
	static const char *const names[] = {
		[VFIO_DEVICE_STATE_ERROR] = "error",
		[VFIO_DEVICE_STATE_STOP] = "stop",
		[VFIO_DEVICE_STATE_RUNNING] = "running",
		[VFIO_DEVICE_STATE_STOP_COPY] = "stop-copy",
		[VFIO_DEVICE_STATE_RESUMING] = "resuming",
		[VFIO_DEVICE_STATE_RUNNING_P2P] = "running-p2p",
		[VFIO_DEVICE_STATE_PRE_COPY] = "pre-copy",
		[VFIO_DEVICE_STATE_PRE_COPY_P2P] = "pre-copy-p2p",
	};

	return s < VFIO_MIG_NUM_STATES ? names[s] : "invalid";
}

static uint32_t state_now(void)
{
	uint32_t s;

	igt_assert_eq(vfio_mig_get_state(dev, &s), 0);
	return s;
}

static bool has_fd(uint32_t s)
{
	return s == VFIO_DEVICE_STATE_STOP_COPY || s == VFIO_DEVICE_STATE_RESUMING;
}

/* Back to RUNNING from anywhere: reset is the one arc that always exists. */
static void back_to_running(void)
{
	igt_assert_eq(vfio_dev_reset(dev), 0);
	igt_assert_eq_u32(state_now(), VFIO_DEVICE_STATE_RUNNING);
}

static void save_reference_stream(void)
{
	int fd;

	igt_assert_eq(vfio_mig_goto(dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL), 0);
	igt_assert_eq(mig_data_read_all(fd, 1 << 20, &stream, &stream_len, NULL), 0);
	close(fd);
	igt_assert_lt(0, (int)stream_len);
	back_to_running();
}

static void drain(int fd)
{
	uint8_t *buf;
	size_t len;

	igt_assert_eq(mig_data_read_all(fd, 1 << 20, &buf, &len, NULL), 0);
	igt_assert_eq(len, stream_len);
	free(buf);
}

/* Reach from step by step; a RESUMING fd is fed the reference stream. */
static int enter(uint32_t from)
{
	uint32_t reached;
	int fd;

	igt_assert_f(vfio_mig_goto(dev, from, &fd, &reached) == 0,
		     "cannot reach %s: stopped at %s\n", vfio_mig_state_name(from),
		     vfio_mig_state_name(reached));
	igt_assert_eq_u32(state_now(), from);
	if (from == VFIO_DEVICE_STATE_RESUMING)
		igt_assert_eq(mig_data_write_all(fd, stream, stream_len, 4096, NULL), 0);
	if (from == VFIO_DEVICE_STATE_STOP_COPY)
		drain(fd);
	return fd;
}

static void state_pair(uint32_t from, uint32_t to)
{
	int fd, new_fd = -1, err;

	back_to_running();	/* whatever an earlier failure left */
	fd = enter(from);
	err = vfio_mig_set_state(dev, to, &new_fd);

	igt_assert_f(!err, "%s -> %s in one SET_STATE: %s\n", vfio_mig_state_name(from),
		     vfio_mig_state_name(to), strerror(-err));
	igt_assert_eq_u32(state_now(), to);
	if (has_fd(to) && from != to)
		igt_assert_f(new_fd >= 0, "no data fd on entering %s\n",
			     vfio_mig_state_name(to));
	else
		igt_assert_f(new_fd < 0, "a data fd (%d) on entering %s\n", new_fd,
			     vfio_mig_state_name(to));
	if (new_fd >= 0)
		close(new_fd);
	if (fd >= 0)
		close(fd);
	back_to_running();
}

static void state_pairs(void)
{
	for (uint32_t from = 0; from < VFIO_MIG_NUM_STATES; from++) {
		if (!vfio_mig_state_supported(flags, from) || from == VFIO_DEVICE_STATE_ERROR)
			continue;
		for (uint32_t to = 0; to < VFIO_MIG_NUM_STATES; to++) {
			if (to == from || to == VFIO_DEVICE_STATE_ERROR ||
			    !vfio_mig_state_supported(flags, to))
				continue;
			igt_dynamic_f("%s-to-%s", state_dyn_name(from), state_dyn_name(to))
				state_pair(from, to);
		}
	}
}

static void unsupported_states(void)
{
	const uint32_t bad[] = {
		VFIO_DEVICE_STATE_PRE_COPY, VFIO_DEVICE_STATE_PRE_COPY_P2P,
		VFIO_DEVICE_STATE_ERROR, 8, 0xffff,
	};

	back_to_running();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int fd = -1, err;

		if (vfio_mig_state_supported(flags, bad[i]) && bad[i] != VFIO_DEVICE_STATE_ERROR)
			continue;
		err = vfio_mig_set_state(dev, bad[i], &fd);
		igt_assert_f(err == -EINVAL, "state %u (%s): got %d, expected -EINVAL\n",
			     bad[i], vfio_mig_state_name(bad[i]), err);
		igt_assert_eq(fd, -1);
		igt_assert_eq_u32(state_now(), VFIO_DEVICE_STATE_RUNNING);
		/* xe-vfio-pci stops the VF (xe_sriov_vfio_error()): it cannot pause. */
		err = vfio_mig_set_state(dev, VFIO_DEVICE_STATE_RUNNING_P2P, NULL);
		igt_assert_f(err == -EPERM,
			     "after refusing state %u: RUNNING -> RUNNING_P2P gave %s, expected EPERM (the VF stopped)\n",
			     bad[i], err ? strerror(-err) : "success");
		back_to_running();
		igt_assert_eq(vfio_mig_set_state(dev, VFIO_DEVICE_STATE_RUNNING_P2P, NULL), 0);
		back_to_running();
	}
}

/*
 * A data fd whose state was left is dead, as xe-vfio-pci disables it
 * (drivers/vfio/pci/xe/main.c, xe_vfio_pci_disable_file(); save_read and
 * resume_write then return -ENODEV): not at EOF, not silently accepting.
 */
static void assert_fd_ended(int fd, uint32_t state)
{
	uint8_t b = 0;
	ssize_t n;

	errno = 0;
	if (state == VFIO_DEVICE_STATE_STOP_COPY) {
		n = read(fd, &b, 1);
		igt_assert_f(n == -1 && errno == ENODEV,
			     "saving fd after leaving STOP_COPY: read gave %zd (%s), expected ENODEV\n",
			     n, n < 0 ? strerror(errno) : n ? "data" : "EOF");
	} else {
		n = write(fd, &b, 1);
		igt_assert_f(n == -1 && errno == ENODEV,
			     "resuming fd after leaving RESUMING: write gave %zd (%s), expected ENODEV\n",
			     n, n < 0 ? strerror(errno) : "accepted");
	}
}

static void reset_from(uint32_t s)
{
	int fd;

	back_to_running();
	fd = enter(s);

	igt_assert_eq(vfio_dev_reset(dev), 0);
	igt_assert_eq_u32(state_now(), VFIO_DEVICE_STATE_RUNNING);
	if (fd >= 0) {
		assert_fd_ended(fd, s);
		close(fd);
	}
}

static void reset_from_every_state(void)
{
	for (uint32_t s = 0; s < VFIO_MIG_NUM_STATES; s++)
		if (s != VFIO_DEVICE_STATE_ERROR && vfio_mig_state_supported(flags, s))
			igt_dynamic_f("from-%s", state_dyn_name(s))
				reset_from(s);
}

static void stop_copy_abort(void)
{
	uint8_t b[64];
	int fd, err;

	igt_emit_ignore_dmesg_regex(XE_LOG_FINISH_SAVE_REFUSED);
	back_to_running();
	igt_assert_eq(vfio_mig_goto(dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL), 0);
	igt_assert_eq(read(fd, b, sizeof(b)), (int)sizeof(b));
	err = vfio_mig_set_state(dev, VFIO_DEVICE_STATE_STOP, NULL);
	igt_info("STOP_COPY -> STOP with unread data: %s, state %s\n",
		 err ? strerror(-err) : "ok", vfio_mig_state_name(state_now()));
	igt_assert_eq(err, -EIO);
	igt_assert_eq_u32(state_now(), VFIO_DEVICE_STATE_STOP_COPY);
	igt_assert_eq(read(fd, b, sizeof(b)), -1);
	igt_assert_eq(errno, ENODEV);
	close(fd);
	back_to_running();
	/* And it migrates again. */
	igt_assert_eq(vfio_mig_goto(dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL), 0);
	drain(fd);
	close(fd);
	back_to_running();
}

static void read_exactly(int fd, size_t n)
{
	uint8_t b[4096];

	while (n) {
		ssize_t r = read(fd, b, n < sizeof(b) ? n : sizeof(b));

		igt_assert_lt(0, (int)r);
		n -= r;
	}
}

/* Read n bytes of a new save, then leave STOP_COPY: the arc's errno. */
static int leave_stop_copy_after(size_t n)
{
	int fd, err;

	back_to_running();
	igt_assert_eq(vfio_mig_goto(dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL), 0);
	read_exactly(fd, n);
	usleep(100 * 1000);	/* xe's worker produces asynchronously */
	err = vfio_mig_set_state(dev, VFIO_DEVICE_STATE_STOP, NULL);
	close(fd);
	back_to_running();
	return err;
}

static bool is_gt_packet(const struct xe_stream_packet *p)
{
	return p->hdr.type != XE_SRIOV_PACKET_TYPE_DESCRIPTOR &&
	       p->hdr.type != XE_SRIOV_PACKET_TYPE_TRAILER;
}

/*
 * Each GT has its own ring: the save is done once every GT has fewer than
 * 5 packets unread. The last position where some GT still has 5 unread is
 * the start of the 5th-from-last packet of the GT that has most.
 */
static void stop_copy_ring(void)
{
	struct xe_stream_error serr;
	struct xe_stream st;
	size_t n_gt[256] = { 0 }, seen[256] = { 0 }, fifth = 0;
	bool ring_full = false;
	int err;

	igt_emit_ignore_dmesg_regex(XE_LOG_FINISH_SAVE_REFUSED);
	igt_assert_f(!xe_stream_parse(stream, stream_len, &st, &serr), "%s\n", serr.msg);
	for (size_t i = 0; i < st.count; i++)
		if (is_gt_packet(&st.pkts[i]))
			n_gt[st.pkts[i].hdr.gt_id]++;
	for (size_t i = 0; i < st.count; i++) {
		uint8_t gt = st.pkts[i].hdr.gt_id;

		if (!is_gt_packet(&st.pkts[i]) || n_gt[gt] < 5)
			continue;
		if (seen[gt]++ == n_gt[gt] - 5 && st.pkts[i].pos > fifth) {
			fifth = st.pkts[i].pos;
			ring_full = true;
		}
	}
	xe_stream_free(&st);
	igt_require_f(ring_full, "no GT has 5 packets (fewer VRAM chunks than the ring)\n");

	err = leave_stop_copy_after(fifth);
	igt_assert_f(err == -EIO, "STOP_COPY -> STOP with a GT's 5 packets unread: %s\n",
		     err ? strerror(-err) : "ok");
	err = leave_stop_copy_after(fifth + 1);
	igt_assert_f(!err, "STOP_COPY -> STOP with at most 4 packets of each GT unread: %s\n",
		     strerror(-err));
}

struct stop_waiter {
	pthread_t thread;
	int err;
	bool done;
};

static void *stop_waiter_run(void *arg)
{
	struct stop_waiter *w = arg;

	w->err = vfio_mig_set_state(dev, VFIO_DEVICE_STATE_STOP, NULL);
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void reset_during_resuming_stop(void)
{
	struct xe_stream_error serr;
	struct stop_waiter w = { 0 };
	struct xe_stream st;
	double t0, t_reset;
	int fd;

	igt_assert_f(!xe_stream_parse(stream, stream_len, &st, &serr), "%s\n", serr.msg);
	back_to_running();
	igt_assert_eq(vfio_mig_goto(dev, VFIO_DEVICE_STATE_RESUMING, &fd, NULL), 0);
	/* Everything but the trailer. */
	igt_assert_eq(mig_data_write_all(fd, stream, st.pkts[st.count - 1].pos, 1 << 20,
					 NULL), 0);
	xe_stream_free(&st);

	igt_assert_eq(pthread_create(&w.thread, NULL, stop_waiter_run, &w), 0);
	usleep(500 * 1000);
	igt_assert_f(!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE),
		     "RESUMING -> STOP without a trailer returned at once: %s\n",
		     strerror(-w.err));
	t0 = now_s();
	igt_assert_eq(vfio_dev_reset(dev), 0);
	t_reset = now_s() - t0;
	pthread_join(w.thread, NULL);
	igt_info("reset took %.3f s, RESUMING -> STOP returned %.3f s after it: %s\n",
		 t_reset, now_s() - t0, strerror(-w.err));
	igt_assert_f(t_reset < 3.0, "VFIO_DEVICE_RESET waited %.1f s behind RESUMING -> STOP\n",
		     t_reset);
	igt_assert_f(now_s() - t0 < 3.0, "the FLR did not end the restore's wait\n");
	igt_assert_f(w.err == -EIO, "RESUMING -> STOP ended by an FLR: %s, expected EIO\n",
		     w.err ? strerror(-w.err) : "success");
	igt_assert_eq_u32(state_now(), VFIO_DEVICE_STATE_RUNNING);
	close(fd);
	back_to_running();
}

static void data_fd_ends(void)
{
	uint8_t *buf, b = 0;
	size_t len;
	int fd;

	back_to_running();
	fd = enter(VFIO_DEVICE_STATE_STOP_COPY);
	igt_assert_eq(pread(fd, &b, 1, 0), -1);
	igt_assert_eq(errno, ESPIPE);
	igt_assert_eq(mig_data_read_all(fd, 4096, &buf, &len, NULL), 0);
	free(buf);
	igt_assert_eq(read(fd, &b, 1), 0);	/* EOF stays EOF */
	igt_assert_eq(vfio_mig_goto(dev, VFIO_DEVICE_STATE_STOP, NULL, NULL), 0);
	assert_fd_ended(fd, VFIO_DEVICE_STATE_STOP_COPY);
	close(fd);

	fd = enter(VFIO_DEVICE_STATE_RESUMING);
	igt_assert_eq(pwrite(fd, &b, 1, 0), -1);
	igt_assert_eq(errno, ESPIPE);
	igt_assert_eq(vfio_mig_goto(dev, VFIO_DEVICE_STATE_STOP, NULL, NULL), 0);
	assert_fd_ended(fd, VFIO_DEVICE_STATE_RESUMING);
	close(fd);
	back_to_running();
}

/* A debugfs file of VF1: write "1" (or read, to finish); 0 or -errno. */
static int dbg_write(const char *file)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];

	pf_vf_debugfs_dir(&fx.vfs[0][0].vf, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return sysfs_write_str(path, "1");
}

static int dbg_finish(const char *file)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], buf[64];

	pf_vf_debugfs_dir(&fx.vfs[0][0].vf, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return sysfs_read_str(path, buf, sizeof(buf));
}

static int dbg_open_data(int flags)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	int fd;

	pf_vf_debugfs_dir(&fx.vfs[0][0].vf, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/migration_data", dir);
	fd = open(path, flags);
	igt_assert_f(fd >= 0, "%s: %m\n", path);
	return fd;
}

#define assert_errno(expr, want) do { \
	int err_ = (expr); \
	igt_assert_f(err_ == (want), "%s: %s, expected %s\n", #expr, \
		     err_ ? strerror(-err_) : "success", (want) ? strerror(-(want)) : "success"); \
} while (0)

static void pf_controls(void)
{
	struct xemig_vf *x = &fx.vfs[0][0].vf;

	back_to_running();
	assert_errno(pf_vf_control(x, PF_VF_RESUME), -EPERM);
	assert_errno(pf_vf_control(x, PF_VF_PAUSE), 0);
	assert_errno(pf_vf_control(x, PF_VF_PAUSE), -ESTALE);
	assert_errno(pf_vf_control(x, PF_VF_RESUME), 0);
	assert_errno(pf_vf_control(x, PF_VF_RESUME), -EPERM);
	assert_errno(pf_vf_control(x, PF_VF_STOP), 0);
	assert_errno(pf_vf_control(x, PF_VF_STOP), -ESTALE);
	assert_errno(pf_vf_control(x, PF_VF_PAUSE), -EPERM);
	assert_errno(pf_vf_control(x, PF_VF_RESUME), -EPERM);
	assert_errno(pf_vf_control(x, PF_VF_RESET), 0);
	assert_errno(pf_vf_control(x, PF_VF_PAUSE), 0);
	assert_errno(pf_vf_control(x, PF_VF_RESUME), 0);
	back_to_running();
}

static void debugfs_sessions(void)
{
	struct xemig_vf *x = &fx.vfs[0][0].vf;
	uint8_t *buf, b;
	size_t len;
	int fd;

	igt_emit_ignore_dmesg_regex(XE_LOG_FINISH_SAVE_REFUSED);
	back_to_running();
	assert_errno(dbg_finish("save"), -EIO);
	assert_errno(dbg_write("save"), -EPERM);
	assert_errno(dbg_write("restore"), -EPERM);
	assert_errno(pf_vf_control(x, PF_VF_PAUSE), 0);
	assert_errno(dbg_write("save"), 0);
	assert_errno(dbg_write("save"), -EALREADY);
	assert_errno(dbg_write("restore"), -EBUSY);
	assert_errno(pf_vf_control(x, PF_VF_RESUME), -EBUSY);
	assert_errno(dbg_finish("save"), -EIO);
	fd = dbg_open_data(O_RDONLY);
	igt_assert_eq(pread(fd, &b, 1, 5), -1);
	igt_assert_eq(errno, ESPIPE);
	igt_assert_eq(mig_data_read_all(fd, 1 << 20, &buf, &len, NULL), 0);
	close(fd);
	assert_errno(dbg_finish("save"), 0);
	igt_assert_eq(len, stream_len);

	assert_errno(dbg_write("restore"), 0);
	assert_errno(dbg_write("restore"), -EALREADY);
	assert_errno(dbg_write("save"), -EBUSY);
	assert_errno(pf_vf_control(x, PF_VF_RESUME), -EBUSY);
	fd = dbg_open_data(O_WRONLY);
	igt_assert_eq(mig_data_write_all(fd, buf, len, 4097, NULL), 0);
	close(fd);
	assert_errno(dbg_finish("restore"), 0);
	assert_errno(pf_vf_control(x, PF_VF_RESUME), 0);
	free(buf);
	back_to_running();
}

/* Reopen VF1 of the first PF after a subtest disabled the VFs. */
static void reenable(void)
{
	igt_assert_eq(sriov_fixture_enable(&fx, 0, 1), 0);
	dev = &fx.vfs[0][0].dev;
}

static void data_fd_outlives_device(void)
{
	uint8_t b[64];
	int fd;

	back_to_running();
	igt_assert_eq(vfio_mig_goto(dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL), 0);
	igt_assert_eq(read(fd, b, sizeof(b)), (int)sizeof(b));

	vfio_dev_close(dev);
	fx.vfs[0][0].open = false;
	igt_assert_f(read(fd, b, sizeof(b)) == -1 && errno == ENODEV,
		     "saving fd after the device fd closed: not ENODEV (%s)\n", strerror(errno));

	sriov_fixture_disable(&fx, 0);
	igt_assert_f(read(fd, b, sizeof(b)) == -1 && errno == ENODEV,
		     "saving fd after the VF is gone: not ENODEV (%s)\n", strerror(errno));
	close(fd);

	reenable();
	igt_assert_eq(vfio_mig_goto(dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL), 0);
	drain(fd);
	close(fd);
	back_to_running();
}

int igt_main()
{
	igt_fixture() {
		int err = sriov_fixture_init(&fx);

		igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
		igt_require_f(!sriov_fixture_enable(&fx, 0, 1), "cannot enable a VF on %s\n",
			      fx.pfs[0].name);
		dev = &fx.vfs[0][0].dev;
		err = vfio_dev_migration_flags(dev, &flags);
		igt_require_f(!err, "VF has no VFIO migration: %s\n", strerror(-err));
		save_reference_stream();
	}

	igt_describe("The migration flags are STOP_COPY and P2P.");
	igt_subtest("migration-flags") {
		igt_assert(flags & VFIO_MIGRATION_STOP_COPY);
		igt_assert(flags & VFIO_MIGRATION_P2P);
		/* xe-vfio-pci sets exactly these (xe_vfio_pci_migration_init()). */
		igt_assert_eq_u64(flags, VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P);
	}

	igt_describe("Every ordered pair of supported states, by one SET_STATE.");
	igt_subtest_with_dynamic("state-pairs")
		state_pairs();

	igt_describe("Unsupported states are refused and nothing changes.");
	igt_subtest("unsupported-states")
		unsupported_states();

	igt_describe("Reset returns RUNNING from every state and ends data fds.");
	igt_subtest_with_dynamic("reset-from-every-state")
		reset_from_every_state();

	igt_describe("Leaving STOP_COPY early fails as on xe; reset recovers.");
	igt_subtest("stop-copy-abort")
		stop_copy_abort();

	igt_describe("The save is done with fewer than 5 GT packets unread (xe's ring).");
	igt_subtest("stop-copy-ring")
		stop_copy_ring();

	igt_describe("A reset ends a RESUMING -> STOP waiting for the trailer, at once.");
	igt_subtest("reset-during-resuming-stop")
		reset_during_resuming_stop();

	igt_describe("Data fds reach EOF, are dead (ENODEV) once their state is left; no offsets.");
	igt_subtest("data-fd-ends")
		data_fd_ends();

	igt_describe("The PF's pause/resume/stop/reset errnos, as xe's.");
	igt_subtest("pf-controls")
		pf_controls();

	igt_describe("Debugfs save and restore sessions: preconditions and errnos.");
	igt_subtest("debugfs-sessions")
		debugfs_sessions();

	igt_describe("A saving fd outlives its device fd and its VF, dead (ENODEV).");
	igt_subtest("data-fd-outlives-device")
		data_fd_outlives_device();

	igt_fixture() {
		free(stream);
		sriov_fixture_disable(&fx, -1);
	}
}
