// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_migration_smoke
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: VF lifecycle and VFIO access
 * Description: The ground every migration test stands on: the PF driver is
 *	there, VFs come and go, each opens through VFIO and reports whether it
 *	supports VFIO migration.
 *
 * SUBTEST: module-loaded
 * Run type: BAT
 * Description: The simulated PF driver is loaded and exposes at least one PF.
 *
 * SUBTEST: vf-create-remove
 * Run type: BAT
 * Description: Create a VF on every PF, check its VF id, remove it, check
 *	it is gone and its VF id is free again.
 *
 * SUBTEST: vf-open-vfio
 * Run type: BAT
 * Description: Each VF opens through the VFIO group/container API and
 *	answers VFIO_DEVICE_GET_INFO as a PCI device with reset.
 *
 * SUBTEST: migration-feature
 * Run type: BAT
 * Description: VFIO_DEVICE_FEATURE_MIGRATION is queried on a VF; it must
 *	report STOP_COPY (and P2P, as xe-vfio-pci does).
 *
 * SUBTEST: fault-knobs
 * Run type: BAT
 * Description: The fault-injection knob: the debugfs file
 *	xe_sriov_sim/fault lists every fault of uapi/xe_sriov_sim_faults.h
 *	with its defect, off ("none") by default; each name written there
 *	becomes the active one (marked, and the module parameter agrees);
 *	an unknown name is refused with EINVAL and changes nothing; "none"
 *	turns it off again.
 *
 * SUBTEST: debugfs-dirs
 * Run type: BAT
 * Description: Each PF has one DRM-style debugfs directory dri/<N>, N in
 *	the minors DRM never allocates (64..127), a different one per PF,
 *	found by its name file ("xe_sriov_sim dev=pf<N>") and linked from
 *	xe_sriov_sim/pf<N>/dri; a VF's xe files are in it, its sim-only
 *	files (guc_state, engine, ccs) are not, they are under
 *	xe_sriov_sim/pf<N>/vf<id>/.
 */

#include <errno.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "pf_backend.h"
#include "sim_pf.h"
#include "sysfs_util.h"
#include "uapi/xe_sriov_sim.h"
#include "uapi/xe_sriov_sim_faults.h"
#include "vfio_dev.h"

IGT_TEST_DESCRIPTION("Smoke test of the SR-IOV PF, its VFs and their VFIO access.");

#define MAX_PFS 8

struct smoke {
	struct sim_pf pfs[MAX_PFS];
	int num_pfs;
	/* One VF per PF, created for the subtests that need one. */
	struct sim_vf vfs[MAX_PFS];
	int num_vfs;
};

static void remove_vfs(struct smoke *s)
{
	while (s->num_vfs > 0)
		igt_warn_on(sim_vf_remove(&s->vfs[--s->num_vfs]));
}

static void create_vfs(struct smoke *s)
{
	for (int i = 0; i < s->num_pfs; i++) {
		int err = sim_vf_create(&s->pfs[i], &s->vfs[i]);

		igt_assert_f(!err, "%s: cannot create a VF: %s\n",
			     s->pfs[i].name, strerror(-err));
		s->num_vfs++;
	}
}

static void vf_create_remove(struct smoke *s)
{
	for (int i = 0; i < s->num_pfs; i++) {
		struct sim_vf a, b;
		unsigned int id;

		igt_assert_eq(sim_vf_create(&s->pfs[i], &a), 0);
		igt_assert_eq(sim_vf_create(&s->pfs[i], &b), 0);
		igt_debug("%s: VF%u %s, VF%u %s\n", s->pfs[i].name,
			  a.vf_id, a.uuid, b.vf_id, b.uuid);
		igt_assert_lte(1, a.vf_id);
		igt_assert_neq(a.vf_id, b.vf_id);
		igt_assert_eq(access(a.sysfs, F_OK), 0);

		igt_assert_eq(sim_vf_remove(&a), 0);
		igt_assert_f(access(a.sysfs, F_OK) && errno == ENOENT,
			     "%s still exists after remove\n", a.sysfs);
		/* VF ids are the lowest free, from 1: a's id comes back. */
		id = a.vf_id;
		igt_assert_eq(sim_vf_create(&s->pfs[i], &a), 0);
		igt_assert_eq(a.vf_id, id);
		igt_assert_eq(sim_vf_remove(&a), 0);
		igt_assert_eq(sim_vf_remove(&b), 0);
	}
}

static void check_device_info(const struct sim_vf *vf)
{
	struct vfio_device_info info;
	struct vfio_dev dev;

	igt_assert_eq(vfio_dev_open(&dev, vf->sysfs), 0);
	igt_assert_eq(vfio_dev_get_info(&dev, &info), 0);
	igt_debug("%s: flags 0x%x regions %u irqs %u\n", vf->uuid,
		  info.flags, info.num_regions, info.num_irqs);
	igt_assert(info.flags & VFIO_DEVICE_FLAGS_PCI);
	igt_assert(info.flags & VFIO_DEVICE_FLAGS_RESET);
	igt_assert_lte(VFIO_PCI_NUM_REGIONS, info.num_regions);
	igt_assert_lte(VFIO_PCI_NUM_IRQS, info.num_irqs);
	vfio_dev_close(&dev);
}

static void migration_feature(const struct sim_vf *vf)
{
	struct vfio_dev dev;
	uint64_t flags = 0;
	int err;

	igt_assert_eq(vfio_dev_open(&dev, vf->sysfs), 0);
	err = vfio_dev_migration_flags(&dev, &flags);
	vfio_dev_close(&dev);
	igt_skip_on_f(err == -ENOTTY,
		      "the VF has no VFIO migration support yet (VFIO_DEVICE_FEATURE_MIGRATION: ENOTTY)\n");
	igt_assert_f(!err, "VFIO_DEVICE_FEATURE_MIGRATION: %s\n", strerror(-err));
	igt_assert(flags & VFIO_MIGRATION_STOP_COPY);
	igt_assert(flags & VFIO_MIGRATION_P2P);
}

#define FAULT_DEBUGFS	"/sys/kernel/debug/" XE_SRIOV_SIM_DEBUGFS_ROOT "/fault"

#define FAULT_NAME(id, name, desc) name,
static const char *const fault_names[] = {
	XE_SRIOV_SIM_FAULT_NONE_NAME, XE_SRIOV_SIM_FAULTS(FAULT_NAME)
};

/* The debugfs list: every fault listed, only expect marked active. */
static void check_list(const char *expect)
{
	char buf[8192], line[160];
	int marked = 0;

	igt_assert_eq(sysfs_read_str(FAULT_DEBUGFS, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]); i++) {
		bool active = !strcmp(fault_names[i], expect);

		snprintf(line, sizeof(line), "%c %s: ", active ? '*' : ' ', fault_names[i]);
		igt_assert_f(strstr(buf, line), "no line \"%s\" in the list:\n%s\n", line, buf);
	}
	for (const char *p = buf; (p = strchr(p, '*')); p++)
		marked++;
	igt_assert_eq(marked, 1);
	igt_assert_eq(sysfs_read_str(XE_SRIOV_SIM_FAULT_PARAM, line, sizeof(line)), 0);
	igt_assert_f(!strcmp(line, expect), "parameter says %s, expected %s\n", line, expect);
}

static void knob_off(int sig)
{
	sysfs_write_str(FAULT_DEBUGFS, XE_SRIOV_SIM_FAULT_NONE_NAME);
}

static void fault_knobs(void)
{
	igt_require_f(access(FAULT_DEBUGFS, W_OK) == 0, "no %s (debugfs not mounted?)\n",
		      FAULT_DEBUGFS);
	check_list(XE_SRIOV_SIM_FAULT_NONE_NAME);
	igt_install_exit_handler(knob_off);
	for (size_t i = 1; i < sizeof(fault_names) / sizeof(fault_names[0]); i++) {
		igt_assert_eq(sysfs_write_str(FAULT_DEBUGFS, fault_names[i]), 0);
		check_list(fault_names[i]);
		igt_assert_eq(sysfs_write_str(FAULT_DEBUGFS, "no-such-fault"), -EINVAL);
		check_list(fault_names[i]);
	}
	igt_assert_eq(sysfs_write_str(FAULT_DEBUGFS, XE_SRIOV_SIM_FAULT_NONE_NAME), 0);
	check_list(XE_SRIOV_SIM_FAULT_NONE_NAME);
}

#define SIM_DEBUGFS	"/sys/kernel/debug/" XE_SRIOV_SIM_DEBUGFS_ROOT

static void debugfs_dirs(struct smoke *s)
{
	static const char *const sim_only[] = { "guc_state", "engine", "ccs" };
	long minors[MAX_PFS];

	igt_require_f(access(SIM_DEBUGFS, F_OK) == 0, "no %s (debugfs not mounted?)\n",
		      SIM_DEBUGFS);
	for (int i = 0; i < s->num_pfs; i++) {
		const struct sim_pf *pf = &s->pfs[i];
		const struct sim_vf *vf = &s->vfs[i];
		char dir[PATH_MAX], path[PATH_MAX + 64], link[64], want[64];
		const char *base;
		char *end;
		ssize_t n;

		igt_assert_eq(pf_dri_find("", XE_SRIOV_SIM_DRI_DRIVER, pf->name, dir,
					  sizeof(dir)), 0);
		base = strrchr(dir, '/') + 1;
		minors[i] = strtol(base, &end, 10);
		igt_info("%s: %s\n", pf->name, dir);
		igt_assert_f(!*end && minors[i] >= XE_SRIOV_SIM_DRI_MINOR_FIRST &&
			     minors[i] <= XE_SRIOV_SIM_DRI_MINOR_LAST,
			     "%s: dri/%s is not a minor DRM leaves free\n", pf->name, base);
		for (int j = 0; j < i; j++)
			igt_assert_neq(minors[j], minors[i]);

		snprintf(path, sizeof(path), SIM_DEBUGFS "/%s/dri", pf->name);
		n = readlink(path, link, sizeof(link) - 1);
		igt_assert_f(n > 0, "%s: %s\n", path, strerror(errno));
		link[n] = '\0';
		snprintf(want, sizeof(want), "../../dri/%ld", minors[i]);
		igt_assert_f(!strcmp(link, want), "%s -> %s, not %s\n", path, link, want);

		/* the VF's xe files in dri/, its sim-only ones outside */
		snprintf(path, sizeof(path), "%s/sriov/vf%u/migration_data", dir, vf->vf_id);
		igt_assert_f(!access(path, F_OK), "%s: %s\n", path, strerror(errno));
		for (size_t k = 0; k < sizeof(sim_only) / sizeof(sim_only[0]); k++) {
			snprintf(path, sizeof(path), "%s/sriov/vf%u/%s", dir, vf->vf_id,
				 sim_only[k]);
			igt_assert_f(access(path, F_OK), "sim-only %s among xe's files\n", path);
			snprintf(path, sizeof(path), SIM_DEBUGFS "/%s/vf%u/%s", pf->name,
				 vf->vf_id, sim_only[k]);
			igt_assert_f(!access(path, F_OK), "%s: %s\n", path, strerror(errno));
		}
	}
}

int igt_main()
{
	struct smoke s = { 0 };

	igt_fixture()
		s.num_pfs = sim_pf_list(s.pfs, MAX_PFS);

	igt_describe("The simulated PF driver is loaded and exposes at least one PF.");
	igt_subtest("module-loaded") {
		igt_assert_f(access("/sys/module/xe_sriov_sim", F_OK) == 0,
			     "xe_sriov_sim is not loaded\n");
		igt_assert_f(s.num_pfs > 0, "no PF found: %s\n",
			     s.num_pfs < 0 ? strerror(-s.num_pfs) : "none");
	}

	igt_fixture()
		igt_require_f(s.num_pfs > 0, "no xe_sriov_sim PF\n");

	igt_describe("The fault knob lists every fault, plants each, refuses unknown names.");
	igt_subtest("fault-knobs")
		fault_knobs();

	igt_describe("VFs are created on every PF, numbered from 1, and removed.");
	igt_subtest("vf-create-remove")
		vf_create_remove(&s);

	igt_subtest_group() {
		igt_fixture()
			create_vfs(&s);

		igt_describe("Each VF opens through VFIO and answers GET_INFO.");
		igt_subtest_with_dynamic("vf-open-vfio") {
			for (int i = 0; i < s.num_vfs; i++)
				igt_dynamic_f("%s-vf%u", s.pfs[i].name, s.vfs[i].vf_id)
					check_device_info(&s.vfs[i]);
		}

		igt_describe("VFIO_DEVICE_FEATURE_MIGRATION reports STOP_COPY and P2P.");
		igt_subtest("migration-feature")
			migration_feature(&s.vfs[0]);

		igt_describe("Each PF's dri/<N>: its own minor, found by name; sim-only files outside.");
		igt_subtest("debugfs-dirs")
			debugfs_dirs(&s);

		igt_fixture()
			remove_vfs(&s);
	}
}
