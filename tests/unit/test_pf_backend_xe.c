// SPDX-License-Identifier: MIT
/*
 * The xe PF backend (lib/pf_backend_xe.c) and the debugfs code both
 * backends share (lib/pf_control.c) against fixture trees laid out as the
 * real sysfs and debugfs are: devices under sys/devices, relative links
 * from sys/bus/pci/devices and to sys/bus/pci/drivers, virtfnN next to the
 * PF, and xe's debugfs as upstream Linux lays it out (drivers/gpu/drm/):
 *
 * - drm_debugfs.c: dri/<dev->unique> per device with dri/<minor> links to
 *   it (drm_debugfs_dev_init(), drm_debugfs_register()), or on older
 *   kernels dri/<minor> directories; each holds a "name" file,
 *   "<driver> dev=<dev_name> unique=<unique>" (drm_name_info()).
 * - xe/xe_sriov_pf_debugfs.c, pf_populate_vf(): sriov/vf<N>/{pause,
 *   resume,stop,reset} 0200, {save,restore,migration_data} 0600,
 *   migration_size 0400.
 * - xe/xe_tile_sriov_pf_debugfs.c: sriov/{pf,vf<N>}/tile0/ with
 *   ggtt_quota, vram_quota, and in pf/ ggtt_provisioned.
 * - xe/xe_gt_sriov_pf_debugfs.c: sriov/vf<N>/tile0/gt0/contexts_quota and
 *   the compat links (pf_add_compat_attrs()); the older per-GT tree
 *   dri/<minor>/gt0/{pf,vf<N>}/ (xe_gt_sriov_pf_debugfs_register()).
 *
 * PFs are found through libdrm (lib/xe_pf_discover.c), which reads the
 * real /dev/dri: here its result is the fixture's, fixture_drm[] below,
 * and the libdrm layer itself is tested for what this host has.
 *
 * Each test gets a fresh tree in a mkdtemp() directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <xf86drm.h>

#include "pf_backend.h"
#include "xe_pf_discover.h"

#define IGPU	"0000:00:02.0"	/* LNL-ish iGPU PF, old debugfs, dri/1 only */
#define DGPU	"0000:03:00.0"	/* BMG-ish dGPU PF, new debugfs sriov/ */
#define VF1	"0000:03:00.1"
#define VF2	"0000:03:00.2"
#define DGPU_DIR "devices/pci0000:00/0000:00:01.0/" DGPU
#define DFS_NEW	"sys/kernel/debug/dri/" DGPU
#define DFS_OLD	"sys/kernel/debug/dri/1/gt0"
#define MIB	(1024ull * 1024)

static char root[PATH_MAX];

/* ---- fixture builder ---- */

static void abspath(char *buf, const char *rel)
{
	assert_true(snprintf(buf, PATH_MAX, "%s/%s", root, rel) < PATH_MAX);
}

static void mkdirs(const char *rel)
{
	char path[PATH_MAX], *p;

	abspath(path, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		assert_true(!mkdir(path, 0755) || errno == EEXIST);
		*p = '/';
	}
	assert_true(!mkdir(path, 0755) || errno == EEXIST);
}

static void mkparent(const char *rel)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", rel);
	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
}

static void __attribute__((format(printf, 2, 3)))
put(const char *rel, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	FILE *f;

	mkparent(rel);
	abspath(path, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	assert_int_equal(fclose(f), 0);
}

static void lnk(const char *target, const char *rel)
{
	char path[PATH_MAX];

	mkparent(rel);
	abspath(path, rel);
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
}

/* sys/<dir>/<name> -> sys/<to>, relative as sysfs makes its links. */
static void sys_link(const char *dir, const char *name, const char *to)
{
	char target[PATH_MAX] = "", rel[PATH_MAX];
	const char *p;

	strcat(target, "../");
	for (p = dir; (p = strchr(p, '/')); p++)
		strcat(target, "../");
	strcat(target, to);
	snprintf(rel, sizeof(rel), "sys/%s/%s", dir, name);
	lnk(target, rel);
}

/* The file's contents, untrimmed; "<none>" if it does not exist. */
static const char *get(const char *rel)
{
	static char buf[4096];
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	abspath(path, rel);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return "<none>";
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

static void rmrf(const char *rel)
{
	char path[PATH_MAX];

	abspath(path, rel);
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A PCI function; totalvfs < 0: no SR-IOV capability, no sriov_* files. */
static void add_dev(const char *parent, const char *bdf, unsigned int vendor,
		    unsigned int device, unsigned int rev, const char *driver,
		    int totalvfs)
{
	char dir[PATH_MAX], rel[PATH_MAX], to[PATH_MAX];

	snprintf(dir, sizeof(dir), "devices/%s/%s", parent, bdf);
	snprintf(rel, sizeof(rel), "sys/%s/vendor", dir);
	put(rel, "0x%04x\n", vendor);
	snprintf(rel, sizeof(rel), "sys/%s/device", dir);
	put(rel, "0x%04x\n", device);
	snprintf(rel, sizeof(rel), "sys/%s/revision", dir);
	put(rel, "0x%02x\n", rev);
	snprintf(rel, sizeof(rel), "sys/%s/driver_override", dir);
	put(rel, "(null)\n");
	if (driver) {
		snprintf(to, sizeof(to), "bus/pci/drivers/%s", driver);
		sys_link(dir, "driver", to);
	}
	if (totalvfs >= 0) {
		snprintf(rel, sizeof(rel), "sys/%s/sriov_totalvfs", dir);
		put(rel, "%d\n", totalvfs);
		/* one digit, no newline: the backend's writes overwrite it */
		snprintf(rel, sizeof(rel), "sys/%s/sriov_numvfs", dir);
		put(rel, "0");
	}
	sys_link("bus/pci/devices", bdf, dir);
}

static void add_driver(const char *name)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "sys/bus/pci/drivers/%s/bind", name);
	put(rel, "%s", "");
	snprintf(rel, sizeof(rel), "sys/bus/pci/drivers/%s/unbind", name);
	put(rel, "%s", "");
}

/* A file with a mode, as debugfs_create_file() makes it. */
static void put_mode(const char *rel, mode_t mode, const char *text)
{
	char path[PATH_MAX];

	put(rel, "%s", text);
	abspath(path, rel);
	assert_int_equal(chmod(path, mode), 0);
}

/* sriov/vf<N>/: xe_sriov_pf_debugfs.c, pf_populate_vf(), xe's modes. */
static void add_vf_files(unsigned int vf)
{
	static const struct { const char *name; mode_t mode; } f[] = {
		{ "pause", 0200 }, { "resume", 0200 }, { "stop", 0200 },
		{ "reset", 0200 }, { "save", 0600 }, { "restore", 0600 },
		{ "migration_data", 0600 }, { "migration_size", 0400 },
	};
	char rel[PATH_MAX];

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		snprintf(rel, sizeof(rel), DFS_NEW "/sriov/vf%u/%s", vf, f[i].name);
		put_mode(rel, f[i].mode, "");
	}
}

/* New layout: dri/<BDF>/sriov/{pf,vfN}/tile0[/gt0], compat links included. */
static void add_debugfs_new(void)
{
	for (unsigned int vf = 1; vf <= 2; vf++) {
		char t[PATH_MAX], rel[PATH_MAX + 32];

		snprintf(t, sizeof(t), DFS_NEW "/sriov/vf%u/tile0", vf);
		snprintf(rel, sizeof(rel), "%s/ggtt_quota", t);
		put(rel, "%llu\n", 64 * MIB);
		snprintf(rel, sizeof(rel), "%s/vram_quota", t);
		put(rel, "%llu\n", vf * 512 * MIB);
		snprintf(rel, sizeof(rel), "%s/gt0/contexts_quota", t);
		put(rel, "%u\n", vf * 1024);
		snprintf(rel, sizeof(rel), "%s/gt0/ggtt_quota", t);
		lnk("../ggtt_quota", rel);
		snprintf(rel, sizeof(rel), "%s/gt0/lmem_quota", t);
		lnk("../vram_quota", rel);
		add_vf_files(vf);
	}
	put(DFS_NEW "/sriov/pf/tile0/ggtt_provisioned",
	    "VF1:\t0x1000000-0x4ffffff\t(64.0 MiB)\n"
	    "VF2:\t0x5000000-0x8ffffff\t(64.0 MiB)\n");
	lnk("../ggtt_provisioned",
	    DFS_NEW "/sriov/pf/tile0/gt0/ggtt_provisioned");
	put(DFS_NEW "/name", "xe dev=" DGPU " unique=" DGPU "\n");
	lnk(DGPU, "sys/kernel/debug/dri/0");
	lnk(DGPU, "sys/kernel/debug/dri/128");
	/* not xe PFs: a sim PF, another driver, a client directory */
	put("sys/kernel/debug/dri/64/name", "xe_sriov_sim dev=pf0 unique=pf0\n");
	put("sys/kernel/debug/dri/2/name", "i915 dev=0000:05:00.0 unique=0000:05:00.0\n");
	mkdirs("sys/kernel/debug/dri/client-3");
}

/*
 * Old layout, from before dri/<BDF>: dri/<minor>/gt0/{pf,vfN}. An iGPU:
 * no lmem_quota. VF2 is unprovisioned, so ggtt_provisioned skips it.
 */
static void add_debugfs_old(void)
{
	put("sys/kernel/debug/dri/1/name", "xe dev=" IGPU " unique=" IGPU "\n");
	put(DFS_OLD "/vf1/ggtt_quota", "%llu\n", 64 * MIB);
	put(DFS_OLD "/vf1/contexts_quota", "1024\n");
	put(DFS_OLD "/vf2/ggtt_quota", "0\n");
	put(DFS_OLD "/vf2/contexts_quota", "0\n");
	put(DFS_OLD "/vf3/ggtt_quota", "%llu\n", 64 * MIB);
	put(DFS_OLD "/vf3/contexts_quota", "1024\n");
	/* %#0llx prints a zero start as "0" */
	put(DFS_OLD "/pf/ggtt_provisioned",
	    "VF1:\t0-0x3ffffff\t(64.0 MiB)\n"
	    "VF3:\t0x4000000-0x7ffffff\t(64.0 MiB)\n");
}

/*
 * What drmGetDevices2() and drmGetVersion() report for the fixture: every
 * function a DRM driver drives, VFs bound to xe included, in /dev/dri's
 * order, not sorted.
 */
static const struct xe_pci_dev fixture_drm[] = {
	{ DGPU, 0x8086, 0xe20b, 0x00, "xe" },
	{ "0000:05:00.0", 0x8086, 0x56a0, 0x08, "xe" },	/* no SR-IOV */
	{ VF2, 0x8086, 0xe20b, 0x00, "xe" },		/* a VF on xe */
	{ "0000:07:00.0", 0x8086, 0x56c0, 0x08, "i915" },	/* SR-IOV, not xe */
	{ IGPU, 0x8086, 0x64a0, 0x04, "xe" },
	{ "0000:08:00.0", 0x1a03, 0x2000, 0x41, "ast" },	/* a BMC's VGA */
	{ "0000:06:00.0", 0x8086, 0x56a1, 0x08, "xe" },	/* totalvfs 0 */
};
#define N_FIXTURE_DRM	(int)(sizeof(fixture_drm) / sizeof(fixture_drm[0]))

static int fixture_discover(struct xe_pci_dev **devs)
{
	*devs = malloc(sizeof(fixture_drm));
	assert_non_null(*devs);
	memcpy(*devs, fixture_drm, sizeof(fixture_drm));
	return N_FIXTURE_DRM;
}

static int setup(void **state)
{
	xe_pci_set_discover(fixture_discover);
	snprintf(root, sizeof(root), "%s/test_pf_backend_xe.XXXXXX",
		 getenv("TMPDIR") ?: "/tmp");
	assert_non_null(mkdtemp(root));

	add_driver("xe");
	add_driver("xe-vfio-pci");
	add_driver("pcieport");
	add_driver("xhci_hcd");
	add_driver("mlx5_core");
	put("sys/bus/pci/drivers_probe", "%s", "");

	/* the two xe PFs */
	add_dev("pci0000:00", IGPU, 0x8086, 0x64a0, 0x04, "xe", 7);
	mkdirs("sys/devices/pci0000:00/" IGPU "/drm/card1");
	mkdirs("sys/devices/pci0000:00/" IGPU "/drm/renderD129");
	add_dev("pci0000:00", "0000:00:01.0", 0x8086, 0xa70d, 0x01,
		"pcieport", -1);
	add_dev("pci0000:00/0000:00:01.0", DGPU, 0x8086, 0xe20b, 0x00, "xe", 2);
	mkdirs("sys/" DGPU_DIR "/drm/card0");
	/* its VFs, made at once here: VF1 unbound, VF2 taken by xe */
	add_dev("pci0000:00/0000:00:01.0", VF1, 0x8086, 0xe20b, 0x00, NULL, -1);
	add_dev("pci0000:00/0000:00:01.0", VF2, 0x8086, 0xe20b, 0x00, "xe", -1);
	lnk("../" VF1, "sys/" DGPU_DIR "/virtfn0");
	lnk("../" VF2, "sys/" DGPU_DIR "/virtfn1");
	lnk("../" DGPU, "sys/devices/pci0000:00/0000:00:01.0/" VF1 "/physfn");
	lnk("../" DGPU, "sys/devices/pci0000:00/0000:00:01.0/" VF2 "/physfn");

	/* not PFs: Intel non-xe, non-Intel with SR-IOV, xe without SR-IOV */
	add_dev("pci0000:00", "0000:00:14.0", 0x8086, 0x7e7d, 0x20,
		"xhci_hcd", -1);
	add_dev("pci0000:00", "0000:04:00.0", 0x15b3, 0x101d, 0x00,
		"mlx5_core", 8);
	add_dev("pci0000:00", "0000:05:00.0", 0x8086, 0x56a0, 0x08, "xe", -1);
	add_dev("pci0000:00", "0000:06:00.0", 0x8086, 0x56a1, 0x08, "xe", 0);
	add_driver("i915");
	add_driver("ast");
	add_dev("pci0000:00", "0000:07:00.0", 0x8086, 0x56c0, 0x08, "i915", 7);
	add_dev("pci0000:00", "0000:08:00.0", 0x1a03, 0x2000, 0x41, "ast", -1);

	add_debugfs_new();
	add_debugfs_old();
	return 0;
}

static int teardown(void **state)
{
	xe_pci_set_discover(NULL);
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static void get_pf(const char *bdf, struct xemig_pf *pf)
{
	struct xemig_pf pfs[8];
	int n = pf_backend_xe.list(root, pfs, 8);

	for (int i = 0; i < n; i++)
		if (!strcmp(pfs[i].name, bdf)) {
			*pf = pfs[i];
			return;
		}
	fail_msg("PF %s not listed", bdf);
}

/* stderr into a file between begin and end; captured is what it got. */
static char captured[4096];

static void capture_begin(int *saved)
{
	char path[PATH_MAX];
	int fd;

	abspath(path, "stderr.txt");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	*saved = dup(2);
	dup2(fd, 2);
	close(fd);
}

static void capture_end(int saved)
{
	dup2(saved, 2);
	close(saved);
	snprintf(captured, sizeof(captured), "%s", get("stderr.txt"));
}

/* ---- list ---- */

static void test_list(void **state)
{
	struct xemig_pf pfs[8];
	char path[PATH_MAX];

	assert_int_equal(pf_backend_xe.list(root, pfs, 8), 2);
	assert_string_equal(pfs[0].name, IGPU);
	assert_string_equal(pfs[1].name, DGPU);

	assert_ptr_equal(pfs[1].ops, &pf_backend_xe);
	assert_string_equal(pfs[1].root, root);
	assert_int_equal(pfs[1].device_id, 0xe20b);
	assert_int_equal(pfs[1].revision_id, 0);
	assert_int_equal(pfs[1].total_vfs, 2);
	abspath(path, "sys/bus/pci/devices/" DGPU);
	assert_string_equal(pfs[1].sysfs, path);
	abspath(path, "sys/kernel/debug/dri/" DGPU);
	assert_string_equal(pfs[1].debugfs, path);
	/* an older kernel: only dri/<minor>, found by its name file */
	abspath(path, "sys/kernel/debug/dri/1");
	assert_string_equal(pfs[0].debugfs, path);
	assert_int_equal(pfs[0].device_id, 0x64a0);
	assert_int_equal(pfs[0].revision_id, 4);
	assert_int_equal(pfs[0].total_vfs, 7);

	/* max cuts the sorted list */
	memset(pfs, 0, sizeof(pfs));
	assert_int_equal(pf_backend_xe.list(root, pfs, 1), 1);
	assert_string_equal(pfs[0].name, IGPU);
	assert_string_equal(pfs[1].name, "");
}

static void test_list_none(void **state)
{
	struct xemig_pf pfs[8];

	rmrf("sys/bus/pci/devices/" IGPU);
	rmrf("sys/bus/pci/devices/" DGPU);
	assert_int_equal(pf_backend_xe.list(root, pfs, 8), -ENOENT);
	rmrf("sys");
	assert_int_equal(pf_backend_xe.list(root, pfs, 8), -ENOENT);
}

static int discover_none(struct xe_pci_dev **devs)
{
	*devs = NULL;
	return 0;
}

static int discover_eacces(struct xe_pci_dev **devs)
{
	*devs = NULL;
	return -EACCES;
}

static void test_list_discovery(void **state)
{
	struct xemig_pf pfs[8];
	int saved;

	xe_pci_set_discover(discover_none);
	assert_int_equal(pf_backend_xe.list(root, pfs, 8), -ENOENT);
	xe_pci_set_discover(discover_eacces);
	capture_begin(&saved);
	assert_int_equal(pf_backend_xe.list(root, pfs, 8), -EACCES);
	capture_end(saved);
	assert_non_null(strstr(captured, "DRM device discovery: Permission"));
}

/* ---- discovery: the selection, and the libdrm layer ---- */

static void test_select_pfs(void **state)
{
	struct xe_pci_dev out[N_FIXTURE_DRM];
	static const char *const want[] = {
		IGPU, DGPU, VF2, "0000:05:00.0", "0000:06:00.0",
	};

	/* Intel and xe only, sorted by BDF; sriov_totalvfs is not its job */
	assert_int_equal(xe_pci_select_pfs(fixture_drm, N_FIXTURE_DRM, out,
					   N_FIXTURE_DRM), 5);
	for (int i = 0; i < 5; i++)
		assert_string_equal(out[i].bdf, want[i]);
	assert_int_equal(out[0].device, 0x64a0);
	assert_int_equal(out[0].revision, 0x04);
	assert_int_equal(xe_pci_select_pfs(fixture_drm, N_FIXTURE_DRM, out, 2), 2);
	assert_string_equal(out[1].bdf, DGPU);
	assert_int_equal(xe_pci_select_pfs(fixture_drm, 0, out, 2), 0);
}

static void test_from_drm(void **state)
{
	drmPciBusInfo bus = { .domain = 0x10, .bus = 0x4d, .dev = 0x1f, .func = 2 };
	drmPciDeviceInfo dev = { .vendor_id = 0x8086, .device_id = 0xe20b,
				 .revision_id = 0x11 };
	drmDevice d = { .bustype = DRM_BUS_PCI, .businfo.pci = &bus,
			.deviceinfo.pci = &dev };
	struct xe_pci_dev out;

	assert_int_equal(xe_pci_from_drm(&d, "xe", &out), 0);
	assert_string_equal(out.bdf, "0010:4d:1f.2");
	assert_int_equal(out.vendor, 0x8086);
	assert_int_equal(out.device, 0xe20b);
	assert_int_equal(out.revision, 0x11);
	assert_string_equal(out.driver, "xe");
	d.bustype = DRM_BUS_PLATFORM;
	assert_int_equal(xe_pci_from_drm(&d, "xe", &out), -ENODEV);
}

/*
 * The libdrm layer on this host. Without /dev/dri (a build host, the sim
 * VM) that is no device and no error; with it, whatever is listed must be
 * a well-formed PCI function.
 */
static void test_discover_drm(void **state)
{
	struct xe_pci_dev *devs = (void *)1;
	unsigned int d, b, s, f;
	int n;

	n = xe_pci_discover_drm(&devs);
	assert_true(n >= 0);
	if (access("/dev/dri", F_OK)) {
		assert_int_equal(n, 0);
		assert_null(devs);
		return;
	}
	for (int i = 0; i < n; i++)
		assert_int_equal(sscanf(devs[i].bdf, "%4x:%2x:%2x.%1u",
					&d, &b, &s, &f), 4);
	free(devs);
}

/* ---- VFs ---- */

static void test_enable_disable(void **state)
{
	struct xemig_vf vfs[2];
	struct xemig_pf pf;
	char path[PATH_MAX];

	get_pf(DGPU, &pf);
	assert_int_equal(pf_backend_xe.enable_vfs(&pf, 2, vfs), 0);
	assert_string_equal(get("sys/" DGPU_DIR "/sriov_numvfs"), "2");
	for (int i = 0; i < 2; i++) {
		assert_ptr_equal(vfs[i].pf, &pf);
		assert_int_equal(vfs[i].vf_id, i + 1);
	}
	assert_string_equal(vfs[0].name, VF1);
	assert_string_equal(vfs[1].name, VF2);
	abspath(path, "sys/bus/pci/devices/" VF2);
	assert_string_equal(vfs[1].sysfs, path);

	assert_int_equal(pf_backend_xe.disable_vfs(&pf), 0);
	assert_string_equal(get("sys/" DGPU_DIR "/sriov_numvfs"), "0");
}

static void test_enable_busy(void **state)
{
	struct xemig_vf vfs[2];
	struct xemig_pf pf;

	get_pf(DGPU, &pf);
	put("sys/" DGPU_DIR "/sriov_numvfs", "1");
	assert_int_equal(pf_backend_xe.enable_vfs(&pf, 2, vfs), -EBUSY);
	assert_string_equal(get("sys/" DGPU_DIR "/sriov_numvfs"), "1");
}

static void test_enable_bad_count(void **state)
{
	struct xemig_vf vfs[3];
	struct xemig_pf pf;
	int saved;

	get_pf(DGPU, &pf);
	assert_int_equal(pf_backend_xe.enable_vfs(&pf, 3, vfs), -EINVAL);
	assert_int_equal(pf_backend_xe.enable_vfs(&pf, 0, vfs), -EINVAL);
	assert_string_equal(get("sys/" DGPU_DIR "/sriov_numvfs"), "0");

	/* VFs that do not show up: error, and the PF is left with none */
	rmrf("sys/" DGPU_DIR "/virtfn1");
	capture_begin(&saved);
	assert_int_equal(pf_backend_xe.enable_vfs(&pf, 2, vfs), -ENOENT);
	capture_end(saved);
	assert_non_null(strstr(captured, "VF2 not found"));
	assert_string_equal(get("sys/" DGPU_DIR "/sriov_numvfs"), "0");
}

/* ---- bind_vfio: the fixture has no kernel, so check what was written ---- */

static void enable(struct xemig_pf *pf, struct xemig_vf *vfs)
{
	get_pf(DGPU, pf);
	assert_int_equal(pf_backend_xe.enable_vfs(pf, 2, vfs), 0);
}

static void test_bind_already(void **state)
{
	struct xemig_vf vfs[2];
	struct xemig_pf pf;

	enable(&pf, vfs);
	sys_link("devices/pci0000:00/0000:00:01.0/" VF1, "driver",
		 "bus/pci/drivers/xe-vfio-pci");
	assert_int_equal(pf_backend_xe.bind_vfio(&vfs[0]), 0);
	assert_string_equal(get("sys/bus/pci/devices/" VF1 "/driver_override"),
			    "(null)\n");
	assert_string_equal(get("sys/bus/pci/drivers_probe"), "");
}

static void test_bind_rebind(void **state)
{
	struct xemig_vf vfs[2];
	struct xemig_pf pf;
	int saved;

	enable(&pf, vfs);
	/* VF2 is bound to xe: override, unbind from xe, probe */
	capture_begin(&saved);
	assert_int_equal(pf_backend_xe.bind_vfio(&vfs[1]), -ENODEV);
	capture_end(saved);
	assert_string_equal(get("sys/bus/pci/devices/" VF2 "/driver_override"),
			    "xe-vfio-pci");
	assert_string_equal(get("sys/bus/pci/drivers/xe/unbind"), VF2);
	assert_string_equal(get("sys/bus/pci/drivers_probe"), VF2);

	/* what the kernel would have done; now it is bound */
	sys_link("devices/pci0000:00/0000:00:01.0/" VF2, "driver",
		 "bus/pci/drivers/xe-vfio-pci");
	put("sys/bus/pci/drivers/xe/unbind", "%s", "");
	put("sys/bus/pci/drivers_probe", "%s", "");
	assert_int_equal(pf_backend_xe.bind_vfio(&vfs[1]), 0);
	assert_string_equal(get("sys/bus/pci/drivers/xe/unbind"), "");
	assert_string_equal(get("sys/bus/pci/drivers_probe"), "");
}

static void test_bind_fails(void **state)
{
	struct xemig_vf vfs[2];
	struct xemig_pf pf;
	int saved;

	enable(&pf, vfs);
	/* VF1 is unbound: nothing to unbind; no driver takes it */
	capture_begin(&saved);
	assert_int_equal(pf_backend_xe.bind_vfio(&vfs[0]), -ENODEV);
	capture_end(saved);
	assert_string_equal(get("sys/bus/pci/devices/" VF1 "/driver_override"),
			    "xe-vfio-pci");
	assert_string_equal(get("sys/bus/pci/drivers/xe/unbind"), "");
	assert_string_equal(get("sys/bus/pci/drivers_probe"), VF1);
	assert_non_null(strstr(captured, VF1 ": not bound to xe-vfio-pci"));
	assert_non_null(strstr(captured, "module loaded?"));
}

/* ---- vf_config ---- */

static int config(const char *bdf, unsigned int vf_id, struct pf_vf_config *cfg)
{
	struct xemig_pf pf;
	struct xemig_vf vf = { .pf = &pf, .vf_id = vf_id };

	get_pf(bdf, &pf);
	memset(cfg, 0xa5, sizeof(*cfg));
	return pf_backend_xe.vf_config(&vf, cfg);
}

static void test_config_new(void **state)
{
	struct pf_vf_config cfg;

	assert_int_equal(config(DGPU, 2, &cfg), 0);
	assert_int_equal(cfg.ggtt_start, 0x5000000);
	assert_int_equal(cfg.ggtt_size, 64 * MIB);
	assert_int_equal(cfg.lmem_size, 1024 * MIB);
	assert_int_equal(cfg.num_ctxs, 2048);

	/* first tile-level trees: no tile0 quotas, only the gt0/ names */
	rmrf(DFS_NEW "/sriov/vf1/tile0/gt0/ggtt_quota");
	rmrf(DFS_NEW "/sriov/vf1/tile0/gt0/lmem_quota");
	rmrf(DFS_NEW "/sriov/pf/tile0/gt0/ggtt_provisioned");
	{
		char a[PATH_MAX], b[PATH_MAX];

		abspath(a, DFS_NEW "/sriov/vf1/tile0/ggtt_quota");
		abspath(b, DFS_NEW "/sriov/vf1/tile0/gt0/ggtt_quota");
		assert_int_equal(rename(a, b), 0);
		abspath(a, DFS_NEW "/sriov/vf1/tile0/vram_quota");
		abspath(b, DFS_NEW "/sriov/vf1/tile0/gt0/lmem_quota");
		assert_int_equal(rename(a, b), 0);
		abspath(a, DFS_NEW "/sriov/pf/tile0/ggtt_provisioned");
		abspath(b, DFS_NEW "/sriov/pf/tile0/gt0/ggtt_provisioned");
		assert_int_equal(rename(a, b), 0);
	}
	assert_int_equal(config(DGPU, 1, &cfg), 0);
	assert_int_equal(cfg.ggtt_start, 0x1000000);
	assert_int_equal(cfg.ggtt_size, 64 * MIB);
	assert_int_equal(cfg.lmem_size, 512 * MIB);
	assert_int_equal(cfg.num_ctxs, 1024);
}

static void test_config_old(void **state)
{
	struct pf_vf_config cfg;

	/* dri/1, found by its name file; an iGPU has no lmem_quota */
	assert_int_equal(config(IGPU, 1, &cfg), 0);
	assert_int_equal(cfg.ggtt_start, 0);
	assert_int_equal(cfg.ggtt_size, 64 * MIB);
	assert_int_equal(cfg.lmem_size, 0);
	assert_int_equal(cfg.num_ctxs, 1024);
	assert_int_equal(config(IGPU, 3, &cfg), 0);
	assert_int_equal(cfg.ggtt_start, 0x4000000);

	/* unprovisioned: not in ggtt_provisioned, all zero */
	assert_int_equal(config(IGPU, 2, &cfg), 0);
	assert_int_equal(cfg.ggtt_start, 0);
	assert_int_equal(cfg.ggtt_size, 0);
	assert_int_equal(cfg.num_ctxs, 0);

	/* a kernel with dri/<BDF> but no sriov/ tree: dri/<BDF>/gt0 */
	rmrf(DFS_NEW "/sriov");
	put(DFS_NEW "/gt0/vf1/ggtt_quota", "%llu\n", 32 * MIB);
	put(DFS_NEW "/gt0/vf1/lmem_quota", "%llu\n", 256 * MIB);
	put(DFS_NEW "/gt0/vf1/contexts_quota", "512\n");
	put(DFS_NEW "/gt0/pf/ggtt_provisioned",
	    "VF1:\t0xfee00000-0xffdfffff\t(16.0 MiB)\n");
	assert_int_equal(config(DGPU, 1, &cfg), 0);
	assert_int_equal(cfg.ggtt_start, 0xfee00000);
	assert_int_equal(cfg.ggtt_size, 32 * MIB);
	assert_int_equal(cfg.lmem_size, 256 * MIB);
	assert_int_equal(cfg.num_ctxs, 512);
}

static void expect_config_err(const char *bdf, unsigned int vf_id, int err,
			      const char *msg)
{
	struct pf_vf_config cfg;
	int saved;

	capture_begin(&saved);
	assert_int_equal(config(bdf, vf_id, &cfg), err);
	capture_end(saved);
	if (!strstr(captured, msg))
		fail_msg("stderr \"%s\" lacks \"%s\"", captured, msg);
}

static void test_config_bad(void **state)
{
	/* no such VF directory in either layout */
	expect_config_err(DGPU, 5, -ENOENT, "no SR-IOV debugfs for VF5");

	put(DFS_NEW "/sriov/vf1/tile0/gt0/contexts_quota", "lots\n");
	expect_config_err(DGPU, 1, -EINVAL, "contexts_quota: not a number");

	put(DFS_NEW "/sriov/vf2/tile0/ggtt_quota", "-1\n");
	expect_config_err(DGPU, 2, -EINVAL, "ggtt_quota: not a number");

	put(DFS_OLD "/vf1/contexts_quota", "4294967296\n");
	expect_config_err(IGPU, 1, -ERANGE, "contexts?");

	rmrf(DFS_OLD "/vf3/ggtt_quota");
	expect_config_err(IGPU, 3, -ENOENT, "ggtt_quota: No such file");

	/* provisioned but missing from ggtt_provisioned */
	put(DFS_OLD "/pf/ggtt_provisioned", "VF1:\t0-0x3ffffff\t(64.0 MiB)\n");
	put(DFS_OLD "/vf3/ggtt_quota", "4096\n");
	expect_config_err(IGPU, 3, -ENODATA, "no line for VF3");

	/* a line in a format this code does not know */
	put(DFS_OLD "/pf/ggtt_provisioned", "VF3: [0x4000000, 0x8000000)\n");
	expect_config_err(IGPU, 3, -EINVAL, "unexpected line");
	put(DFS_OLD "/pf/ggtt_provisioned", "VF3:\t0x8000000-0x4000000\t(?)\n");
	expect_config_err(IGPU, 3, -EINVAL, "unexpected line");
	put(DFS_OLD "/pf/ggtt_provisioned", "GGTT: nothing\n");
	expect_config_err(IGPU, 3, -EINVAL, "unexpected line");

	rmrf(DFS_OLD "/pf/ggtt_provisioned");
	expect_config_err(IGPU, 3, -ENOENT, "ggtt_provisioned: No such file");
}

/* ---- finding dri/<...> by its name file (lib/pf_control.c) ---- */

static void test_find(void **state)
{
	char buf[PATH_MAX], path[PATH_MAX];

	/* dri/<BDF> itself, though dri/0 and dri/128 lead there too */
	assert_int_equal(pf_dri_find(root, "xe", DGPU, buf, sizeof(buf)), 0);
	abspath(path, "sys/kernel/debug/dri/" DGPU);
	assert_string_equal(buf, path);

	/* without dri/<BDF>: the lowest minor that names the device */
	rmrf("sys/kernel/debug/dri/0");
	rmrf("sys/kernel/debug/dri/128");
	{
		char a[PATH_MAX], b[PATH_MAX];

		abspath(a, DFS_NEW);
		abspath(b, "sys/kernel/debug/dri/128");
		assert_int_equal(rename(a, b), 0);
	}
	put("sys/kernel/debug/dri/0/name", "xe dev=" DGPU " unique=" DGPU "\n");
	assert_int_equal(pf_dri_find(root, "xe", DGPU, buf, sizeof(buf)), 0);
	abspath(path, "sys/kernel/debug/dri/0");
	assert_string_equal(buf, path);

	/* the sim's PFs, by driver and dev= */
	assert_int_equal(pf_dri_find(root, "xe_sriov_sim", "pf0", buf, sizeof(buf)), 0);
	abspath(path, "sys/kernel/debug/dri/64");
	assert_string_equal(buf, path);
	assert_int_equal(pf_dri_find(root, "xe_sriov_sim", "pf1", buf, sizeof(buf)),
			 -ENOENT);
	/* another driver's device, a dev= that only starts the same */
	assert_int_equal(pf_dri_find(root, "xe", "0000:05:00.0", buf, sizeof(buf)),
			 -ENOENT);
	assert_int_equal(pf_dri_find(root, "xe", "0000:03:00", buf, sizeof(buf)),
			 -ENOENT);

	rmrf("sys/kernel/debug");
	assert_int_equal(pf_dri_find(root, "xe", DGPU, buf, sizeof(buf)), -ENOENT);
}

/* ---- sriov/vf<N>/ control and migration files (lib/pf_control.c) ---- */

static void test_control(void **state)
{
	const char *vf1 = DFS_NEW "/sriov/vf1/";
	char rel[PATH_MAX];
	uint8_t *buf;
	size_t len;
	uint64_t size;
	struct xemig_pf pf;
	struct xemig_vf vf = { .pf = &pf, .vf_id = 1 };

	get_pf(DGPU, &pf);
#define F(name) (snprintf(rel, sizeof(rel), "%s%s", vf1, name), rel)
	assert_int_equal(pf_vf_control(&vf, PF_VF_PAUSE), 0);
	assert_string_equal(get(F("pause")), "1");
	assert_int_equal(pf_vf_control(&vf, PF_VF_RESET), 0);
	assert_string_equal(get(F("reset")), "1");
	assert_string_equal(get(F("resume")), "");

	/* save: "1" to save, migration_data to its end, read save */
	put(F("migration_data"), "%s", "STREAM");
	assert_int_equal(pf_vf_save(&vf, &buf, &len), 0);
	assert_int_equal(len, 6);
	assert_memory_equal(buf, "STREAM", 6);
	free(buf);
	assert_string_equal(get(F("save")), "1");

	/* restore: "1" to restore, the stream into migration_data */
	put(F("migration_data"), "%s", "");
	assert_int_equal(pf_vf_restore(&vf, (const uint8_t *)"XYZ", 3, 1), 0);
	assert_string_equal(get(F("restore")), "1");
	assert_string_equal(get(F("migration_data")), "XYZ");

	/* migration_size: "%zd\n" */
	put(F("migration_size"), "4213200\n");
	assert_int_equal(pf_vf_migration_size(&vf, &size), 0);
	assert_int_equal(size, 4213200);
	put(F("migration_size"), "-5\n");
	assert_int_equal(pf_vf_migration_size(&vf, &size), -EINVAL);

	/* contexts_quota, at tile0/gt0/ (a file here: empty it first) */
	put(F("tile0/gt0/contexts_quota"), "%s", "");
	assert_int_equal(pf_vf_set_contexts_quota(&vf, 512), 0);
	assert_string_equal(get(F("tile0/gt0/contexts_quota")), "512");
#undef F

	/* a VF whose directory is missing */
	vf.vf_id = 7;
	assert_int_equal(pf_vf_control(&vf, PF_VF_PAUSE), -ENOENT);
}

/*
 * Capabilities: xe declares only what xe and xe-vfio-pci offer, nothing of
 * the sim's model; every bit has a name for the skip message.
 */
static void test_caps(void **state)
{
	const unsigned int sim_only = PF_CAP_FAULTS | PF_CAP_SIM_PARAMS | PF_CAP_SIM_ENGINE |
				      PF_CAP_SIM_CCS | PF_CAP_SIM_DEBUGFS | PF_CAP_SIM_VF_REGS |
				      PF_CAP_REPROVISION | PF_CAP_EXACT_SIZE;

	(void)state;
	assert_int_equal(pf_backend_xe.caps & sim_only, 0);
	assert_true(pf_backend_has(&pf_backend_xe, PF_CAP_VFIO_BARS | PF_CAP_XE_ERRNOS));
	assert_false(pf_backend_has(&pf_backend_xe, PF_CAP_VFIO_BARS | PF_CAP_SIM_VF_REGS));
	assert_true(pf_backend_has(&pf_backend_sim, sim_only | PF_CAP_VFIO_BARS));
	assert_false(pf_backend_has(NULL, PF_CAP_VFIO_BARS));
	assert_string_equal(pf_backend_xe.dri_driver, "xe");
	assert_string_equal(pf_backend_xe.modules[0], "xe");
	assert_string_equal(pf_backend_xe.modules[1], "xe_vfio_pci");
	assert_null(pf_backend_xe.modules[2]);
	for (unsigned int b = 0; b < 13; b++)
		assert_string_not_equal(pf_cap_name(1u << b), "?");
	assert_string_equal(pf_cap_name(1u << 13), "?");
	assert_string_equal(pf_cap_name(PF_CAP_SIM_VF_REGS),
			    "the sim's VF register model in BAR0 (GGTT PTE window, VF_IRQ_STATUS, GuC mailbox)");
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_list),
		T(test_list_none),
		T(test_list_discovery),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_select_pfs),
		cmocka_unit_test(test_from_drm),
		cmocka_unit_test(test_discover_drm),
		T(test_enable_disable),
		T(test_enable_busy),
		T(test_enable_bad_count),
		T(test_bind_already),
		T(test_bind_rebind),
		T(test_bind_fails),
		T(test_config_new),
		T(test_config_old),
		T(test_config_bad),
		T(test_find),
		T(test_control),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
