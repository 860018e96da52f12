/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The simulated PF backend: find xe_sriov_sim PFs and create or remove
 * their VFs (mdev instances) through sysfs.
 */
#ifndef XEMIG_SIM_PF_H
#define XEMIG_SIM_PF_H

#include <limits.h>
#include <stdbool.h>

/** A PF of xe_sriov_sim, as /sys/class/xe_sriov_sim/pf<N> describes it. */
struct sim_pf {
	char name[32];			/* "pf0" */
	char sysfs[PATH_MAX];		/* /sys/class/xe_sriov_sim/pf0 */
	unsigned int device_id;
	unsigned int revision_id;
	unsigned int max_vfs;
	bool igfx;			/* flavour "igfx", else "dgfx" */
};

/** A VF: one mdev instance of a PF. */
struct sim_vf {
	char uuid[37];
	char sysfs[PATH_MAX];		/* /sys/bus/mdev/devices/<uuid> */
	char pf[32];			/* name of its PF */
	unsigned int vf_id;		/* 1-based, as xe numbers VFs */
};

/*
 * Fill pfs[] with up to max PFs sorted by name. Returns how many were
 * found, or -ENOENT if the module is not loaded, or another -errno.
 */
int sim_pf_list(struct sim_pf *pfs, int max);

/* Create a VF on pf with a fresh UUID and read back its VF id. */
int sim_vf_create(const struct sim_pf *pf, struct sim_vf *vf);

/* Remove a VF made by sim_vf_create(); -ENOENT if it is already gone. */
int sim_vf_remove(struct sim_vf *vf);

/*
 * The module's run-time parameters (/sys/module/xe_sriov_sim/parameters):
 * "fault" (uapi/xe_sriov_sim_faults.h), "engine_unit_ms" (a slow engine),
 * "engine_spin_limit", "restore_timeout_ms", "mig_data_delay_ms" (slow data
 * fds). 0 or -errno.
 */
int sim_param_set(const char *name, const char *value);
int sim_param_set_uint(const char *name, unsigned int value);
/*
 * Put back the run-time parameters a killed test changed (sim_param_set()
 * records the value it found until it is put back). Returns how many.
 */
int sim_param_restore_stale(void);
/* Plant a fault ("none": none); the fault parameter, checked on the way. */
int sim_fault_plant(const char *fault);
/*
 * Plant none, ignoring errors. Shaped as an igt exit handler, so that a
 * failed assert or a signal never leaves a fault planted.
 */
void sim_fault_unplant(int sig);

#endif
