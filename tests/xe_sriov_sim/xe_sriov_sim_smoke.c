// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_sim_smoke
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: xe_sriov_sim's debugfs and fault knob
 * Description: What the sim adds around the PF that xe lays out: its
 *	fault-injection knob and where its debugfs directories are. Needs
 *	xe_sriov_sim loaded with a PF (the fixture requires both; the VF
 *	lifecycle on any backend is xe_sriov_migration_smoke).
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

IGT_TEST_DESCRIPTION("xe_sriov_sim's fault knob and debugfs layout.");

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

	igt_fixture() {
		igt_require_f(access("/sys/module/xe_sriov_sim", F_OK) == 0,
			      "xe_sriov_sim is not loaded\n");
		s.num_pfs = sim_pf_list(s.pfs, MAX_PFS);
		igt_require_f(s.num_pfs > 0, "no xe_sriov_sim PF: %s\n",
			      s.num_pfs < 0 ? strerror(-s.num_pfs) : "none");
	}

	igt_describe("The fault knob lists every fault, plants each, refuses unknown names.");
	igt_subtest("fault-knobs")
		fault_knobs();

	igt_subtest_group() {
		igt_fixture()
			create_vfs(&s);

		igt_describe("Each PF's dri/<N>: its own minor, found by name; sim-only files outside.");
		igt_subtest("debugfs-dirs")
			debugfs_dirs(&s);

		igt_fixture()
			remove_vfs(&s);
	}
}
