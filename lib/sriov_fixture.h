/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The set-up every migration test shares: pick the PF backend (sim, or
 * xe on real hardware), find the PFs, enable VFs, bind and open them
 * through VFIO, learn each VF's configuration through its GuC mailbox;
 * and undo all of it, also after a failed test.
 *
 * XEMT_PF_BACKEND=sim|xe chooses the backend; by default sim when
 * xe_sriov_sim is loaded, else xe.
 */
#ifndef XEMIG_SRIOV_FIXTURE_H
#define XEMIG_SRIOV_FIXTURE_H

#include <stdbool.h>

#include "pf_backend.h"
#include "vf_guc.h"
#include "vf_state.h"
#include "vfio_dev.h"

#define SRIOV_FIXTURE_MAX_PFS	8
#define SRIOV_FIXTURE_MAX_VFS	24

struct sriov_vf {
	struct xemig_vf vf;
	struct vfio_dev dev;
	struct vf_guc_config cfg;	/* as the VF queried it */
	bool open;
};

struct sriov_fixture {
	const struct pf_backend_ops *ops;
	struct xemig_pf pfs[SRIOV_FIXTURE_MAX_PFS];
	int n_pfs;
	struct sriov_vf vfs[SRIOV_FIXTURE_MAX_PFS][SRIOV_FIXTURE_MAX_VFS];
	unsigned int n_vfs[SRIOV_FIXTURE_MAX_PFS];
};

/*
 * Skip the subtest (or the group, in a fixture) unless the backend declares
 * every bit of @cap (enum pf_cap): the skip message names what is missing
 * and what the test wanted it for. Tests never ask which backend they got.
 */
#define sriov_require_cap(fx, cap, what)					\
	igt_require_f(pf_backend_has((fx)->ops, (cap)),				\
		      "the %s PF backend lacks %s, needed for %s\n",		\
		      (fx)->ops ? (fx)->ops->name : "(no)",			\
		      pf_cap_name(cap), (what))

/* Whether the backend declares every bit of @cap. */
static inline bool sriov_has_cap(const struct sriov_fixture *fx, unsigned int cap)
{
	return pf_backend_has(fx->ops, cap);
}

/*
 * Choose the backend, make sure its kernel modules are loaded (xe and
 * xe_vfio_pci, or xe_sriov_sim: lib/kmod_util, the reason printed), and
 * list PFs. 0, -ENOENT (no PF), the module's -errno, or -errno.
 */
int sriov_fixture_init(struct sriov_fixture *fx);

/*
 * Enable n VFs on PF pf (removing any left by a crashed run first), bind
 * and open each, query its configuration. 0 or -errno.
 */
int sriov_fixture_enable(struct sriov_fixture *fx, int pf, unsigned int n);

/* Close and disable the VFs of PF pf (of every PF if pf < 0). */
void sriov_fixture_disable(struct sriov_fixture *fx, int pf);

/* The VF with id vf_id (1-based) of PF pf, or NULL. */
struct sriov_vf *sriov_fixture_vf(struct sriov_fixture *fx, int pf,
				  unsigned int vf_id);

/*
 * Fill / capture what a VF holds, as far as the backend lets us reach it:
 * with PF_CAP_SIM_VF_REGS the registers, PTEs and LMEM (vf_state_fill()),
 * else LMEM through BAR2 only (vf_state_fill_lmem()). 0 or -errno.
 */
int sriov_vf_fill(const struct sriov_fixture *fx, struct sriov_vf *v, uint64_t seed);
int sriov_vf_capture(const struct sriov_fixture *fx, struct sriov_vf *v, struct vf_state *st);

/* GGTT PTEs in a VF's slice. */
static inline size_t sriov_vf_n_ptes(const struct sriov_vf *v)
{
	return v->cfg.ggtt_size / 4096;
}

#endif
