// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_sim_hostile
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: xe_sriov_sim robustness against a VF owner
 * Description: What any VF owner (whoever holds the VFIO device) can do to
 *	xe_sriov_sim's migration paths, and that it stays harmless: no
 *	kernel WARN or taint, no lock an FLR needs held hostage by user
 *	memory. Needs xe_sriov_sim (skips on xe); reload-chunks reloads the
 *	module with other parameters and puts the old ones back.
 *
 * SUBTEST: reload-chunks
 * Run type: FULL
 * Description: With lmem_size=448M and vram_chunk_size=4K (in range;
 *	114688 VRAM chunks: a table with an entry per chunk, which the
 *	sim once kept, would pass KMALLOC_MAX_SIZE), a STOP_COPY succeeds and its stream holds every chunk in order with
 *	the LMEM contents, and the kernel shows no new taint and no WARN.
 *
 * SUBTEST: uffd-save-read
 * Run type: BAT
 * Description: A read() of the STOP_COPY data fd into a userfaultfd
 *	range whose fault is left pending: VFIO_DEVICE_RESET and the PF's
 *	debugfs reset complete within 5 s while it is pending; once it is
 *	resolved the read fails with ENODEV and the VF saves again.
 *
 * SUBTEST: uffd-resume-write
 * Run type: BAT
 * Description: The same for a write() to the RESUMING data fd from a
 *	userfaultfd range.
 *
 * SUBTEST: kill-anywhere
 * Run type: FULL
 * Description: A child process that is a test run of its own (own
 *	fixture, two VFs, sim parameters changed, a fault planted) is
 *	SIGKILLed at a random point: stop-copy (reading the saving fd),
 *	resuming-write (writing a stream into the resuming fd in 512-byte
 *	pieces), qemu-hop (QEMUs holding the VFs migrate back and forth;
 *	a QEMU or the child is killed), orphan-qemu (a QEMU that lost its
 *	parent-death signal holds a VF), runner (xe_migtest_runner in the
 *	middle of migration tests: its test processes must die with it).
 *	Three times each; after each, what the next run's fixture set-up
 *	does must leave nothing of the killed run: no QEMU, no socket dir,
 *	the module's parameters as before, exactly the VFs it made, and a
 *	VF-to-VF migration that carries LMEM.
 */

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/userfaultfd.h>
#include <linux/vfio.h>
#include <poll.h>
#include <signal.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "kmsg_watch.h"
#include "mig_data.h"
#include "pf_backend.h"
#include "qemu_migrate.h"
#include "qemu_vm.h"
#include "sim_pf.h"
#include "sriov_fixture.h"
#include "sysfs_util.h"
#include "uapi/xe_sriov_packet.h"
#include "uapi/xe_sriov_sim.h"
#include "uapi/xe_sriov_sim_regs.h"
#include "vfio_dev.h"
#include "vfio_mig.h"
#include "vfio_migrate.h"

IGT_TEST_DESCRIPTION("xe_sriov_sim against a hostile VF owner: huge chunk counts, stalled user memory.");

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define PARAMS		"/sys/module/xe_sriov_sim/parameters"
#define BOUND_MS	5000
#define BIG_LMEM	(UINT64_C(448) << 20)
#define SMALL_CHUNK	UINT64_C(4096)

static struct sriov_fixture fx;
static bool fx_ready;
static char saved_params[1024];
static bool reloaded;
static int data_fd = -1;	/* reload-chunks' STOP_COPY fd, closed on failure too */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned long taint(void)
{
	char buf[32] = "";

	igt_assert_eq(sysfs_read_str("/proc/sys/kernel/tainted", buf, sizeof(buf)) < 0, 0);
	return strtoul(buf, NULL, 10);
}

/* ---- module reload ------------------------------------------------------ */

/* Drop the last component of an absolute path, in place. */
static void path_up(char *path)
{
	char *slash = strrchr(path, '/');

	if (slash && slash != path)
		*slash = '\0';
}

/* The xe_sriov_sim.ko this binary was built with (or $XEMT_SIM_KO). */
static bool module_path(char *path, size_t size)
{
	const char *env = getenv("XEMT_SIM_KO");
	char exe[PATH_MAX];
	ssize_t n;
	int i;

	if (env) {
		snprintf(path, size, "%s", env);
		return !access(path, R_OK);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return false;
	exe[n] = '\0';
	/* <root>/<build>/tests/xe_sriov_migration/<binary> */
	for (i = 0; i < 4; i++)
		path_up(exe);
	snprintf(path, size, "%s/kernel/xe_sriov_sim/xe_sriov_sim.ko", exe);
	return !access(path, R_OK);
}

/* The loaded module's parameters, as insmod arguments. */
static void read_params(char *out, size_t size)
{
	static const char *const names[] = {
		"num_pfs", "lmem_size", "ggtt_size", "vram_chunk_size", "num_ctxs",
		"flavour", "restore_timeout_ms", "engine_unit_ms", "engine_spin_limit",
		"fault",
	};
	size_t len = 0;
	unsigned int i;

	out[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char path[256], val[256] = "";

		snprintf(path, sizeof(path), PARAMS "/%s", names[i]);
		if (sysfs_read_str(path, val, sizeof(val)) < 0)
			continue;
		val[strcspn(val, "\n")] = '\0';
		if (!val[0] || !strcmp(val, "(null)") ||
		    (!strcmp(names[i], "fault") && !strcmp(val, "none")))
			continue;
		len += snprintf(out + len, size - len, "%s%s=%s", len ? " " : "",
				names[i], val);
		igt_assert(len < size);
	}
}

static int module_load(const char *params)
{
	char path[PATH_MAX];
	int fd, ret = 0;

	if (!module_path(path, sizeof(path)))
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		ret = -errno;
	close(fd);
	return ret;
}

static int module_unload(void)
{
	int i;

	for (i = 0; i < 50; i++) {
		if (!syscall(SYS_delete_module, "xe_sriov_sim", O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EBUSY)
			return -errno;
		usleep(100000);
	}
	return -EBUSY;
}

static void fixture_down(void)
{
	if (fx_ready)
		sriov_fixture_disable(&fx, -1);
	fx_ready = false;
}

static void fixture_up(void)
{
	int err = sriov_fixture_init(&fx);

	igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
	sriov_require_cap(&fx, PF_CAP_SIM_PARAMS, "reloading the sim with other parameters");
	sriov_require_cap(&fx, PF_CAP_SIM_DEBUGFS, "the sim's debugfs reset");
	igt_require_f(!sriov_fixture_enable(&fx, 0, 1), "cannot enable a VF on %s\n",
		      fx.pfs[0].name);
	fx_ready = true;
}

/* Put the module back with the parameters it was found with. */
static void restore_module(void)
{
	if (!reloaded)
		return;
	if (data_fd >= 0)
		close(data_fd);
	data_fd = -1;
	fixture_down();
	igt_assert_eq(module_unload(), 0);
	igt_assert_eq(module_load(saved_params), 0);
	reloaded = false;
}

/* ---- reload-chunks ------------------------------------------------------ */

static void reload_chunks(void)
{
	struct sriov_vf *v;
	struct kmsg_watch kw;
	char params[1200], line[512], path[PATH_MAX];
	uint64_t lmem_size, off = 0, n_vram = 0, left = 0;
	struct xe_sriov_packet_hdr h = { 0 };
	size_t hfill = 0;
	uint8_t *buf, page[4096];
	unsigned long taint0;
	bool trailer = false;
	size_t len = 0;
	ssize_t err;
	int fd;

	igt_require_f(module_path(path, sizeof(path)), "no xe_sriov_sim.ko to reload\n");
	read_params(saved_params, sizeof(saved_params));
	/* Another PF parameter set: keep it, only LMEM and chunks change. */
	snprintf(params, sizeof(params), "%s lmem_size=%" PRIu64 " vram_chunk_size=%" PRIu64 " num_pfs=1",
		 saved_params, BIG_LMEM, SMALL_CHUNK);
	igt_info("reloading %s with %s\n", path, params);

	fixture_down();
	igt_assert_eq(module_unload(), 0);
	reloaded = true;
	igt_assert_eq(module_load(params), 0);
	fixture_up();
	v = &fx.vfs[0][0];
	lmem_size = v->cfg.lmem_size;
	igt_assert_eq_u64(lmem_size, BIG_LMEM);

	/* Recognisable pages at both ends of LMEM. */
	memset(page, 0xa5, sizeof(page));
	igt_assert_eq(vfio_dev_region_write(&v->dev, XE_SRIOV_SIM_BAR_LMEM, 0, page,
					    sizeof(page)), 0);
	memset(page, 0x5a, sizeof(page));
	igt_assert_eq(vfio_dev_region_write(&v->dev, XE_SRIOV_SIM_BAR_LMEM,
					    lmem_size - sizeof(page), page, sizeof(page)), 0);

	taint0 = taint();
	igt_assert_eq(kmsg_watch_start(&kw), 0);
	err = vfio_mig_goto(&v->dev, VFIO_DEVICE_STATE_STOP_COPY, &data_fd, NULL);
	fd = data_fd;
	igt_assert_f(!err, "STOP_COPY with %" PRIu64 " VRAM chunks: %s\n",
		     lmem_size / SMALL_CHUNK, strerror((int)-err));
	/* Parsed as it goes by: the stream is near 450 MiB, none of it kept. */
	buf = malloc(1 << 20);
	igt_assert(buf);
	while ((err = read(fd, buf, 1 << 20)) > 0) {
		uint8_t *p = buf, *end = buf + err;

		len += err;
		while (p < end) {
			size_t n;

			if (left) {
				n = left < (uint64_t)(end - p) ? left : (size_t)(end - p);
				if (h.type == XE_SRIOV_PACKET_TYPE_VRAM && !h.offset &&
				    left == h.size)
					igt_assert_eq(p[0], 0xa5);
				if (h.type == XE_SRIOV_PACKET_TYPE_VRAM &&
				    h.offset + h.size == lmem_size && n == left)
					igt_assert_eq(p[n - 1], 0x5a);
				p += n;
				left -= n;
				continue;
			}
			n = sizeof(h) - hfill < (size_t)(end - p) ? sizeof(h) - hfill :
								     (size_t)(end - p);
			memcpy((uint8_t *)&h + hfill, p, n);
			p += n;
			hfill += n;
			if (hfill < sizeof(h))
				continue;
			hfill = 0;
			left = h.size;
			igt_assert_f(!trailer, "a packet after the trailer\n");
			trailer = h.type == XE_SRIOV_PACKET_TYPE_TRAILER;
			if (h.type == XE_SRIOV_PACKET_TYPE_VRAM) {
				igt_assert_eq_u64(h.offset, off);
				igt_assert_eq_u64(h.size, SMALL_CHUNK);
				off += h.size;
				n_vram++;
			}
		}
	}
	igt_assert_f(!err, "stream read at %zu: %s\n", len, strerror(errno));
	igt_assert_eq(hfill, 0);
	igt_assert_eq_u64(left, 0);
	free(buf);
	close(fd);
	data_fd = -1;
	igt_info("%zu bytes, %" PRIu64 " VRAM chunks\n", len, n_vram);
	igt_assert(trailer);
	igt_assert_eq_u64(n_vram, lmem_size / SMALL_CHUNK);
	igt_assert_eq_u64(off, lmem_size);

	igt_assert_f(kmsg_watch_find(&kw, "WARNING", line, sizeof(line)) != 1,
		     "kernel warned: %s\n", line);
	kmsg_watch_stop(&kw);
	igt_assert_f(taint() == taint0, "kernel taint %lu -> %lu\n", taint0, taint());
	igt_assert_eq(vfio_dev_reset(&v->dev), 0);
	restore_module();
}

/* ---- uffd --------------------------------------------------------------- */

struct uffd_io {
	int data_fd;
	bool saving;
	uint8_t *area;
	size_t len;
	ssize_t ret;
	int err;
	atomic_bool done;
};

static void *uffd_io_thread(void *arg)
{
	struct uffd_io *io = arg;

	if (io->saving)
		io->ret = read(io->data_fd, io->area, io->len);
	else
		io->ret = write(io->data_fd, io->area, io->len);
	io->err = errno;
	atomic_store(&io->done, true);
	return NULL;
}

struct op {
	struct sriov_vf *v;
	bool debugfs;
	int ret;
	atomic_bool done;
};

static void *op_thread(void *arg)
{
	struct op *op = arg;

	op->ret = op->debugfs ? pf_vf_control(&op->v->vf, PF_VF_RESET) :
				vfio_dev_reset(&op->v->dev);
	atomic_store(&op->done, true);
	return NULL;
}

static bool wait_flag(atomic_bool *flag, long ms)
{
	long end = now_ms() + ms;

	while (!atomic_load(flag)) {
		if (now_ms() > end)
			return false;
		usleep(1000);
	}
	return true;
}

/* Resolve every page of the range still missing with a page of zeroes. */
static void uffd_resolve(int uffd, uint8_t *area, size_t len)
{
	static uint8_t zero[4096] __attribute__((aligned(4096)));
	size_t off;

	for (off = 0; off < len; off += sizeof(zero)) {
		struct uffdio_copy c = {
			.dst = (uintptr_t)(area + off),
			.src = (uintptr_t)zero,
			.len = sizeof(zero),
		};

		if (ioctl(uffd, UFFDIO_COPY, &c))
			igt_assert_eq(errno, EEXIST);
	}
}

/*
 * Run the VFIO reset and the PF's debugfs reset while io is stuck in its
 * page fault; each must end within BOUND_MS. Returns the first that did
 * not (NULL: both did).
 */
static const char *resets_while_stuck(struct sriov_vf *v)
{
	static const char *const what[] = { "VFIO_DEVICE_RESET", "PF debugfs reset" };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		struct op *op = calloc(1, sizeof(*op));
		pthread_t t;
		long t0 = now_ms();

		op->v = v;
		op->debugfs = i;
		igt_assert_eq(pthread_create(&t, NULL, op_thread, op), 0);
		if (!wait_flag(&op->done, BOUND_MS)) {
			/* The thread ends once the fault is resolved: let it. */
			pthread_detach(t);
			return what[i];
		}
		pthread_join(t, NULL);
		igt_assert_f(!op->ret, "%s: %s\n", what[i], strerror(-op->ret));
		igt_info("%s took %ld ms with the fault pending\n", what[i], now_ms() - t0);
		free(op);
	}
	return NULL;
}

static void uffd_stall(bool saving)
{
	struct sriov_vf *v = &fx.vfs[0][0];
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };
	struct uffd_io io = { .saving = saving, .len = 2 * 4096 };
	struct pollfd pfd;
	struct uffd_msg msg;
	const char *stuck;
	pthread_t t;
	uint32_t state;
	uint8_t *stream;
	size_t len;
	int uffd, fd;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	igt_require_f(uffd >= 0, "userfaultfd: %s\n", strerror(errno));
	igt_assert_eq(ioctl(uffd, UFFDIO_API, &api), 0);
	io.area = mmap(NULL, io.len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(io.area != MAP_FAILED);
	reg.range.start = (uintptr_t)io.area;
	reg.range.len = io.len;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	igt_assert_eq(ioctl(uffd, UFFDIO_REGISTER, &reg), 0);

	igt_assert_eq(vfio_mig_goto(&v->dev, saving ? VFIO_DEVICE_STATE_STOP_COPY :
					      VFIO_DEVICE_STATE_RESUMING, &fd, NULL), 0);
	io.data_fd = fd;
	igt_assert_eq(pthread_create(&t, NULL, uffd_io_thread, &io), 0);

	/* The data fd's I/O is now in the fault, which stays pending. */
	pfd = (struct pollfd){ .fd = uffd, .events = POLLIN };
	igt_assert_eq(poll(&pfd, 1, BOUND_MS), 1);
	igt_assert_eq(read(uffd, &msg, sizeof(msg)), (ssize_t)sizeof(msg));
	igt_assert_eq(msg.event, UFFD_EVENT_PAGEFAULT);
	igt_assert(!atomic_load(&io.done));

	stuck = resets_while_stuck(v);

	uffd_resolve(uffd, io.area, io.len);
	igt_assert_f(wait_flag(&io.done, BOUND_MS), "the data fd's I/O still stuck\n");
	pthread_join(t, NULL);
	close(fd);
	munmap(io.area, io.len);
	close(uffd);
	igt_assert_f(!stuck, "%s did not end within %d ms while a user page fault of the data fd was pending\n",
		     stuck, BOUND_MS);
	igt_assert_eq(io.ret, -1);
	igt_assert_eq(io.err, ENODEV);

	/* Back to RUNNING, and a save works again. */
	igt_assert_eq(vfio_mig_get_state(&v->dev, &state), 0);
	igt_assert_eq_u32(state, VFIO_DEVICE_STATE_RUNNING);
	igt_assert_eq(vfio_mig_goto(&v->dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL), 0);
	igt_assert_eq(mig_data_read_all(fd, 4096, &stream, &len, NULL), 0);
	igt_assert_lt_u64(0, len);
	free(stream);
	close(fd);
	igt_assert_eq(vfio_dev_reset(&v->dev), 0);
}

/* ---- kill-anywhere ------------------------------------------------------ */

enum kill_case { KILL_STOP_COPY, KILL_RESUMING, KILL_QEMU_HOP, KILL_ORPHAN_QEMU, KILL_RUNNER };

static const char *const kill_case_name[] = {
	"stop-copy", "resuming-write", "qemu-hop", "orphan-qemu", "runner",
};

/* The runner's tests for the runner case: migrations, seconds each. */
#define KILL_RUNNER_TESTS \
	"igt@xe_sriov_migration_data@(migrate|round-trip|double-migration|concurrent)$"

/* This binary's directory (the test root), and the runner next to it. */
static bool runner_paths(char *root, size_t rsize, char *runner, size_t size)
{
	char exe[PATH_MAX], build[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return false;
	exe[n] = '\0';
	path_up(exe);
	snprintf(root, rsize, "%s", exe);
	snprintf(build, sizeof(build), "%s", exe);
	path_up(build);
	path_up(build);
	snprintf(runner, size, "%s/runner/xe_migtest_runner", build);
	return !access(runner, X_OK);
}

/* A test binary of @root still running (not this process), or 0. */
static pid_t test_process_in(const char *root)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t found = 0;

	while (d && !found && (de = readdir(d))) {
		char path[64], exe[PATH_MAX];
		ssize_t n;

		if (de->d_name[0] < '0' || de->d_name[0] > '9' || atoi(de->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/exe", de->d_name);
		n = readlink(path, exe, sizeof(exe) - 1);
		if (n <= 0)
			continue;
		exe[n] = '\0';
		if (!strncmp(exe, root, strlen(root)) && exe[strlen(root)] == '/')
			found = atoi(de->d_name);
	}
	if (d)
		closedir(d);
	return found;
}

/* In a child: give up (the parent sees it never got ready or died). */
static void __attribute__((noreturn)) child_fail(const char *what, int err)
{
	/* stdout: a run that ends this way after its QEMU was killed is expected. */
	printf("kill-anywhere child %d: %s: %s\n", (int)getpid(), what, strerror(err));
	fflush(stdout);
	_exit(1);
}

static void child_ready(int fd)
{
	if (fd >= 0 && write(fd, "r", 1) != 1)
		child_fail("ready", errno);
}

/* The halt-loop firmware QEMU boots (a reset vector: cli; hlt; jmp). */
static void child_firmware(const char *path)
{
	static const unsigned char reset_vector[] = { 0xfa, 0xf4, 0xeb, 0xfd };
	unsigned char *img = calloc(1, 65536);
	FILE *f = fopen(path, "w");

	if (!img || !f)
		child_fail("firmware", errno);
	memcpy(img + 0xfff0, reset_vector, sizeof(reset_vector));
	if (fwrite(img, 65536, 1, f) != 1 || fclose(f))
		child_fail("firmware", errno);
	free(img);
}

static void child_vm_config(struct qemu_vm_config *c, const char *name, const char *dir,
			    const char *fw, const char *vfio, bool incoming)
{
	*c = (struct qemu_vm_config) {
		.name = name, .sock_dir = dir, .accel = "tcg", .mem_mb = 32,
		.vfio = vfio, .incoming = incoming,
	};
	c->extra[0] = "-bios";
	c->extra[1] = fw;
}

/* A QEMU holding @vfio with no parent-death signal, reparented at once. */
static void child_orphan_qemu(const char *dir, const char *fw, const char *vfio)
{
	struct qemu_vm_config c;
	struct qemu_vm vm = { 0 };
	char **argv;
	pid_t pid;

	child_vm_config(&c, "orphan", dir, fw, vfio, false);
	if (qemu_vm_paths(&vm, &c, getpid()))
		child_fail("qemu paths", EINVAL);
	argv = qemu_vm_argv(&c, &vm);
	if (!argv)
		child_fail("qemu argv", ENOMEM);
	pid = fork();
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		setsid();
		if (fork())
			_exit(0);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	/* Up once its QMP socket is there. */
	for (int i = 0; i < 600 && access(vm.qmp_path, F_OK); i++)
		usleep(50000);
	if (access(vm.qmp_path, F_OK))
		child_fail("orphan QEMU never came up", ETIMEDOUT);
}

static void child_qemu(struct sriov_fixture *cfx, int ready, bool orphan)
{
	struct qemu_mig_params p = {
		.downtime_limit_ms = 300, .max_bandwidth = 1ull << 30, .vfio = true,
		.switchover_bandwidth = 1ull << 30, .timeout_ms = 60000,
	};
	struct qemu_vm vms[2];
	char dir[64], fw[96], name[16], uri[128];
	struct qemu_vm_config c;
	unsigned int src = 0, n = 0;

	snprintf(dir, sizeof(dir), "/tmp/xemt-kill.%d.XXXXXX", (int)getpid());
	if (!mkdtemp(dir))
		child_fail("mkdtemp", errno);
	snprintf(fw, sizeof(fw), "%s/halt.bin", dir);
	child_firmware(fw);
	if (orphan) {
		child_orphan_qemu(dir, fw, cfx->vfs[0][0].vf.sysfs);
		child_ready(ready);
		for (;;)
			pause();
	}
	memset(vms, 0, sizeof(vms));
	child_vm_config(&c, "k0", dir, fw, cfx->vfs[0][0].vf.sysfs, false);
	if (qemu_vm_start(&vms[0], &c, 60000))
		child_fail(vms[0].error, EIO);
	for (;;) {
		struct qemu_mig_result r;
		unsigned int dst = !src;

		snprintf(name, sizeof(name), "k%u", ++n);
		child_vm_config(&c, name, dir, fw, cfx->vfs[0][dst].vf.sysfs, true);
		if (qemu_vm_start(&vms[dst], &c, 60000))
			child_fail(vms[dst].error, EIO);
		child_ready(ready);
		ready = -1;
		snprintf(uri, sizeof(uri), "unix:%s/hop%u.sock", dir, n);
		if (qemu_migrate(&vms[src], &vms[dst], uri, &p, &r))
			child_fail(r.error[0] ? r.error : r.src.error, EIO);
		qemu_vm_quit(&vms[src]);
		src = dst;
	}
}

/* A test run of its own, killed somewhere in the middle. Never returns. */
static void __attribute__((noreturn)) kill_child(enum kill_case kc, int ready)
{
	struct sriov_fixture cfx;
	struct sriov_vf *a, *b;
	uint8_t *stream = NULL, buf[4096];
	size_t len = 0;
	int fd, err;

	err = sriov_fixture_init(&cfx);
	err = err ?: sriov_fixture_enable(&cfx, 0, 2);
	if (err)
		child_fail("fixture", -err);
	a = &cfx.vfs[0][0];
	b = &cfx.vfs[0][1];
	/* Knobs a killed run must not leave changed. */
	if (sim_param_set_uint("restore_timeout_ms", 4321) ||
	    sim_param_set_uint("engine_spin_limit", 1234) || sim_fault_plant("read-seg"))
		child_fail("sim parameters", EIO);

	switch (kc) {
	case KILL_STOP_COPY:
		for (;;) {
			if (vfio_mig_goto(&a->dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL))
				child_fail("STOP_COPY", EIO);
			child_ready(ready);
			ready = -1;
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
			vfio_dev_reset(&a->dev);
		}
	case KILL_RESUMING:
		sim_fault_plant("none");
		if (vfio_mig_goto(&a->dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL) ||
		    mig_data_read_all(fd, 1 << 20, &stream, &len, NULL))
			child_fail("save", EIO);
		close(fd);
		vfio_dev_reset(&a->dev);
		sim_fault_plant("read-seg");
		for (;;) {
			if (vfio_mig_goto(&b->dev, VFIO_DEVICE_STATE_RESUMING, &fd, NULL))
				child_fail("RESUMING", EIO);
			child_ready(ready);
			ready = -1;
			mig_data_write_all(fd, stream, len, 512, NULL);
			close(fd);
			vfio_mig_goto(&b->dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL);
			vfio_dev_reset(&b->dev);
		}
	case KILL_RUNNER:
		break;
	case KILL_QEMU_HOP:
	case KILL_ORPHAN_QEMU:
		/* QEMU opens the VFs itself. */
		for (unsigned int i = 0; i < 2; i++) {
			vfio_dev_close(&cfx.vfs[0][i].dev);
			cfx.vfs[0][i].open = false;
		}
		child_qemu(&cfx, ready, kc == KILL_ORPHAN_QEMU);
	}
	_exit(1);
}

/* /proc/<pid> of a QEMU whose marker names @owner, or 0. */
static pid_t qemu_of(pid_t owner)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t found = 0;

	while (d && !found && (de = readdir(d))) {
		char path[64], cmd[4096];
		ssize_t n;
		int fd;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, cmd, sizeof(cmd));
		close(fd);
		if (n > 0 && qemu_vm_cmdline_owner(cmd, n) == owner)
			found = atoi(de->d_name);
	}
	if (d)
		closedir(d);
	return found;
}

static unsigned int count_dir(const char *path, const char *prefix)
{
	DIR *d = opendir(path);
	struct dirent *de;
	unsigned int n = 0;

	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.' && !strncmp(de->d_name, prefix, strlen(prefix)))
			n++;
	if (d)
		closedir(d);
	return n;
}

/* What every run after the killed one needs: a clean start and a working VF. */
static void next_run(pid_t dead, const char *params_before, bool vfs_left)
{
	char params[1024], dir[64];
	struct vfio_migrate_opts o = { 0 };
	struct vfio_migrate_result r;
	uint8_t page[4096], back[4096];
	struct sriov_vf *a, *b;
	long t0 = now_ms();
	int err;

	if (vfs_left)
		igt_assert_lt(0, (int)count_dir("/sys/bus/mdev/devices", ""));
	err = sriov_fixture_init(&fx);
	igt_assert_eq(err, 0);
	igt_assert_eq(sriov_fixture_enable(&fx, 0, 2), 0);
	fx_ready = true;
	igt_info("set-up after the kill: %ld ms\n", now_ms() - t0);

	/* The killed run's QEMUs die (SIGKILL is not instant). */
	for (int i = 0; i < 100 && qemu_of(dead); i++)
		usleep(50000);
	igt_assert_f(!qemu_of(dead), "a QEMU of the killed run %d is still there\n", (int)dead);
	snprintf(dir, sizeof(dir), "xemt-kill.%d.", (int)dead);
	igt_assert_f(!count_dir("/tmp", dir), "/tmp/%s* is still there\n", dir);
	read_params(params, sizeof(params));
	igt_assert_f(!strcmp(params, params_before), "module parameters: '%s', were '%s'\n",
		     params, params_before);
	igt_assert_eq(count_dir("/sys/bus/mdev/devices", ""), 2);

	a = &fx.vfs[0][0];
	b = &fx.vfs[0][1];
	for (size_t i = 0; i < sizeof(page); i++)
		page[i] = (uint8_t)(i * 7 + dead);
	igt_assert_eq(vfio_dev_region_write(&a->dev, XE_SRIOV_SIM_BAR_LMEM, 4096, page,
					    sizeof(page)), 0);
	igt_assert_eq(vfio_migrate(&a->dev, &b->dev, &o, &r), 0);
	igt_assert_eq(vfio_dev_region_read(&b->dev, XE_SRIOV_SIM_BAR_LMEM, 4096, back,
					   sizeof(back)), 0);
	igt_assert(!memcmp(page, back, sizeof(page)));
}

/*
 * The runner runs migration tests; it is killed somewhere in them. Its
 * test processes must die with it (parent-death signal), and the next
 * run must be clean.
 */
static void kill_runner(const char *root, const char *runner, int it, const char *before)
{
	char results[64], out[sizeof(results) + 8], *argv[8];
	long delay = 0, window = 3000;
	pid_t pid = 0, left = 0;
	int status = 0;

	snprintf(results, sizeof(results), "/tmp/xemt-krun.%d.XXXXXX", (int)getpid());
	igt_assert(mkdtemp(results));
	argv[0] = (char *)runner;
	argv[1] = "-t";
	argv[2] = KILL_RUNNER_TESTS;
	argv[3] = "-l";
	argv[4] = "quiet";
	argv[5] = (char *)root;
	argv[6] = out;
	argv[7] = NULL;
	/* A runner that finished before the kill did not test anything: again, sooner. */
	for (int attempt = 0; attempt < 6; attempt++, window /= 2) {
		snprintf(out, sizeof(out), "%s/r%d", results, attempt);
		delay = 100 + rand() % window;
		fflush(NULL);
		pid = fork();
		igt_assert_lte(0, pid);
		if (!pid) {
			int null = open("/dev/null", O_RDWR);

			dup2(null, 1);
			dup2(null, 2);
			execv(runner, argv);
			_exit(127);
		}
		usleep(delay * 1000);
		left = test_process_in(root);
		kill(pid, SIGKILL);
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		if (WIFSIGNALED(status))
			break;
		igt_info("runner #%d: the runner was done within %ld ms, again\n", it, delay);
	}
	igt_info("runner #%d: killed the runner %d after %ld ms (%s)\n", it, (int)pid, delay,
		 left ? "in a test" : "between tests");
	igt_assert_f(WIFSIGNALED(status), "the runner exited %d before the kill\n",
		     WEXITSTATUS(status));
	for (int i = 0; i < 100 && (left = test_process_in(root)); i++)
		usleep(50000);
	igt_assert_f(!left, "test process %d outlived the killed runner\n", (int)left);
	qemu_vm_remove_dir(results);
	next_run(pid, before, false);
}

static void kill_anywhere(enum kill_case kc)
{
	char before[1024], root[PATH_MAX], runner[PATH_MAX + 32];

	if (kc == KILL_QEMU_HOP || kc == KILL_ORPHAN_QEMU) {
		char version[32];

		igt_require_f(qemu_vm_version_ok(version, sizeof(version)),
			      "no qemu-system-x86_64 >= 9.1 (found '%s')\n", version);
	}
	if (kc == KILL_RUNNER)
		igt_require_f(runner_paths(root, sizeof(root), runner, sizeof(runner)),
			      "no xe_migtest_runner next to this binary\n");
	/* What a clean start looks like: after the fixture's own sweep. */
	fixture_down();
	fixture_up();
	read_params(before, sizeof(before));
	for (int it = 0; it < 3; it++) {
		struct pollfd pfd;
		int p[2], status;
		long delay;
		pid_t pid, q = 0;

		fixture_down();
		if (kc == KILL_RUNNER) {
			kill_runner(root, runner, it, before);
			continue;
		}
		igt_assert_eq(pipe2(p, O_CLOEXEC), 0);
		fflush(NULL);
		pid = fork();
		igt_assert_lte(0, pid);
		if (!pid) {
			close(p[0]);
			kill_child(kc, p[1]);
		}
		close(p[1]);
		pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
		igt_assert_f(poll(&pfd, 1, 120000) == 1 && read(p[0], &status, 1) == 1,
			     "%s child never got going\n", kill_case_name[kc]);
		close(p[0]);
		/* Somewhere in the operation: a hop takes seconds, a save ms. */
		delay = kc == KILL_QEMU_HOP ? rand() % 3000 : rand() % 30;
		usleep(delay * 1000);
		if (kc == KILL_QEMU_HOP && rand() % 2) {
			q = qemu_of(pid);
			if (q)
				kill(q, SIGKILL);
			usleep(rand() % 200 * 1000);
		}
		kill(pid, SIGKILL);
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		igt_info("%s #%d: killed %s%d after %ld ms\n", kill_case_name[kc], it,
			 q ? "a QEMU, then the run " : "the run ", (int)pid, delay);
		/* A run whose QEMU was killed may end first, failing its hop. */
		igt_assert_f(WIFSIGNALED(status) || q, "%s child exited %d before the kill\n",
			     kill_case_name[kc], WEXITSTATUS(status));
		next_run(pid, before, true);
	}
}

int igt_main()
{
	igt_fixture()
		fixture_up();

	igt_describe("A STOP_COPY of 114688 VRAM chunks: no WARN, no taint, every chunk.");
	igt_subtest("reload-chunks")
		reload_chunks();

	igt_fixture() {
		restore_module();
		if (!fx_ready)
			fixture_up();
	}

	igt_describe("A read of the saving fd stalled in userfaultfd holds up no reset.");
	igt_subtest("uffd-save-read")
		uffd_stall(true);

	igt_describe("A write of the resuming fd stalled in userfaultfd holds up no reset.");
	igt_subtest("uffd-resume-write")
		uffd_stall(false);

	igt_describe("A run SIGKILLed anywhere leaves nothing the next run cannot clean.");
	igt_subtest_with_dynamic("kill-anywhere") {
		for (unsigned int kc = 0; kc < ARRAY_SIZE(kill_case_name); kc++)
			igt_dynamic(kill_case_name[kc])
				kill_anywhere(kc);
	}

	igt_fixture()
		fixture_down();
}
