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
 * Description: The ground every migration test stands on, on any PF
 *	backend (xe + xe-vfio-pci, or xe_sriov_sim): the backend's modules
 *	are loaded and a PF is there (the fixture requires both), VFs come
 *	and go, each opens through VFIO and reports VFIO migration.
 *
 * SUBTEST: vf-create-remove
 * Run type: BAT
 * Description: Enable two VFs on every PF: ids 1 and 2, each with a
 *	device directory; disable them: gone, no VF 1 any more; enable again:
 *	the same ids.
 *
 * SUBTEST: vf-open-vfio
 * Run type: BAT
 * Description: Each VF opens through the VFIO group/container API and
 *	answers VFIO_DEVICE_GET_INFO as a PCI device with reset.
 *
 * SUBTEST: migration-feature
 * Run type: BAT
 * Description: VFIO_DEVICE_FEATURE_MIGRATION is queried on a VF; it must
 *	report STOP_COPY and P2P, as xe-vfio-pci does.
 */

#include <errno.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "sriov_fixture.h"
#include "vfio_dev.h"

IGT_TEST_DESCRIPTION("Smoke test of the SR-IOV PF, its VFs and their VFIO access.");

static struct sriov_fixture fx;

static void vf_create_remove(void)
{
	for (int p = 0; p < fx.n_pfs; p++) {
		struct xemig_pf *pf = &fx.pfs[p];
		struct xemig_vf vfs[2], again;

		igt_require_f(pf->total_vfs >= 2,
			      "%s has %u VFs\n", pf->name, pf->total_vfs);
		sriov_fixture_disable(&fx, p);
		pf->ops->disable_vfs(pf);
		igt_assert_eq(pf->ops->enable_vfs(pf, 2, vfs), 0);
		igt_debug("%s: VF%u %s, VF%u %s\n", pf->name, vfs[0].vf_id, vfs[0].name,
			  vfs[1].vf_id, vfs[1].name);
		igt_assert_eq(vfs[0].vf_id, 1);
		igt_assert_eq(vfs[1].vf_id, 2);
		for (int i = 0; i < 2; i++)
			igt_assert_f(!access(vfs[i].sysfs, F_OK), "%s: %s\n", vfs[i].sysfs,
				     strerror(errno));
		igt_assert_eq(pf->ops->disable_vfs(pf), 0);
		for (int i = 0; i < 2; i++)
			igt_assert_f(access(vfs[i].sysfs, F_OK) && errno == ENOENT,
				     "%s still exists after disable\n", vfs[i].sysfs);
		igt_assert_eq(pf->ops->get_vf(pf, 1, &again), -ENOENT);
		igt_assert_eq(pf->ops->enable_vfs(pf, 2, vfs), 0);
		igt_assert_eq(vfs[0].vf_id, 1);
		igt_assert_eq(vfs[1].vf_id, 2);
		igt_assert_eq(pf->ops->disable_vfs(pf), 0);
	}
}

static void check_device_info(struct sriov_vf *v)
{
	struct vfio_device_info info;

	igt_assert_eq(vfio_dev_get_info(&v->dev, &info), 0);
	igt_debug("%s: flags 0x%x regions %u irqs %u\n", v->vf.name,
		  info.flags, info.num_regions, info.num_irqs);
	igt_assert(info.flags & VFIO_DEVICE_FLAGS_PCI);
	igt_assert(info.flags & VFIO_DEVICE_FLAGS_RESET);
	igt_assert_lte(VFIO_PCI_NUM_REGIONS, info.num_regions);
	igt_assert_lte(VFIO_PCI_NUM_IRQS, info.num_irqs);
}

static void migration_feature(struct sriov_vf *v)
{
	uint64_t flags = 0;
	int err = vfio_dev_migration_flags(&v->dev, &flags);

	igt_skip_on_f(err == -ENOTTY,
		      "the VF has no VFIO migration (VFIO_DEVICE_FEATURE_MIGRATION: ENOTTY)\n");
	igt_assert_f(!err, "VFIO_DEVICE_FEATURE_MIGRATION: %s\n", strerror(-err));
	igt_assert(flags & VFIO_MIGRATION_STOP_COPY);
	igt_assert(flags & VFIO_MIGRATION_P2P);
}

int igt_main()
{
	igt_fixture() {
		/* Was module-loaded: the backend's modules and a PF, or a skip. */
		int err = sriov_fixture_init(&fx);

		igt_require_f(!err, "no SR-IOV PF: %s\n", strerror(-err));
	}

	igt_describe("VFs are enabled on every PF, numbered from 1, and disabled.");
	igt_subtest("vf-create-remove")
		vf_create_remove();

	igt_subtest_group() {
		igt_fixture() {
			for (int p = 0; p < fx.n_pfs; p++)
				igt_require_f(!sriov_fixture_enable(&fx, p, 1),
					      "cannot enable a VF on %s\n", fx.pfs[p].name);
		}

		igt_describe("Each VF opens through VFIO and answers GET_INFO.");
		igt_subtest_with_dynamic("vf-open-vfio") {
			for (int p = 0; p < fx.n_pfs; p++)
				igt_dynamic_f("%s-vf%u", fx.pfs[p].name, fx.vfs[p][0].vf.vf_id)
					check_device_info(&fx.vfs[p][0]);
		}

		igt_describe("VFIO_DEVICE_FEATURE_MIGRATION reports STOP_COPY and P2P.");
		igt_subtest("migration-feature")
			migration_feature(&fx.vfs[0][0]);
	}

	igt_fixture()
		sriov_fixture_disable(&fx, -1);
}
