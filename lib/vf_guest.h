/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * A guest: the VF driver model (vf_driver.h) with its engine
 * (vf_engine.h) and MSI, as a VM with one VF sees it, following its VF
 * across migrations. A hop is what QEMU and the guest kernel do together:
 *
 *   dst: FLR (a fresh VF), MSI eventfd attached
 *   vfio_migrate(src, dst)              src STOP, dst RUNNING and
 *                                       VF_RESFIX_BLOCKED (engine held)
 *   vf_driver_attach(dst)               the guest now runs on dst
 *   wait MIGRATED of both GTs           (MSI + VF_IRQ_STATUS)
 *   vf_driver_recover()                 per GT RESFIX_START, query; engine
 *                                       fixups; per GT RESFIX_DONE: engine
 *                                       runs
 *
 * vf_guest_move() and vf_guest_recover() are the two halves, so a test can
 * look at both VFs in between (the source stopped, the destination held).
 */
#ifndef XEMIG_VF_GUEST_H
#define XEMIG_VF_GUEST_H

#include <stdint.h>

#include "sriov_fixture.h"
#include "uapi/xe_sriov_sim_regs.h"
#include "vf_driver.h"
#include "vf_engine.h"
#include "vfio_migrate.h"

/* The MIGRATED interrupts a guest waits for: one per GT. */
#define VF_GUEST_MIGRATED_BITS \
	(XE_SRIOV_SIM_VF_IRQ_MIGRATED | XE_SRIOV_SIM_VF_IRQ_MIGRATED_MEDIA)
/*
 * How long a guest waits for every GT's MIGRATED interrupt once
 * VF_IRQ_STATUS shows one (the sim raises them in the resume, so a status
 * without any once the VF runs fails at once).
 */
#define VF_GUEST_IRQ_TIMEOUT_MS	5000
/* RESFIX_DONE answered VF_MIGRATED this often at most: then wedged. */
#define VF_GUEST_MAX_REQUEUES	4

struct vf_guest {
	struct sriov_vf *vf;	/* where the guest runs now */
	int efd;		/* MSI eventfd of vf */
	struct vf_driver drv;
	struct vf_engine eng;
	unsigned int hops;
	char error[640];	/* why the last failing call failed */
};

struct vf_guest_hop {
	struct vfio_migrate_result mig;	/* bytes, vfio downtime */
	uint64_t start_ns;		/* CLOCK_MONOTONIC at the source's pause */
	uint64_t irq_ns;		/* dst RUNNING .. MIGRATED seen */
	uint64_t recover_ns;		/* vf_driver_recover() */
	uint64_t downtime_ns;		/* source paused .. engine runs on dst */
};

/*
 * Start on vf: FLR, MSI, driver and engine (ring_size 0: the default).
 * 0 or -errno (g->error says why).
 */
int vf_guest_start(struct vf_guest *g, struct sriov_vf *vf, uint32_t ring_size);
void vf_guest_stop(struct vf_guest *g);

/* First half of a hop: migrate to dst and attach. hop may be NULL. */
int vf_guest_move(struct vf_guest *g, struct sriov_vf *dst, struct vf_guest_hop *hop);
/* Second half: MIGRATED interrupt, then the recovery with the fixups. */
int vf_guest_recover(struct vf_guest *g, struct vf_guest_hop *hop);
/* Both. */
int vf_guest_migrate(struct vf_guest *g, struct sriov_vf *dst, struct vf_guest_hop *hop);

uint64_t vf_guest_now_ns(void);

#endif
