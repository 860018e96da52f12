/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Driving VFs through the VFIO migration FSM: walk to a state one arc at a
 * time (the planner's shortest legal path, each arc checked by reading the
 * state back), and migrate one VF's state into another, as QEMU does:
 *
 *   src RUNNING -> RUNNING_P2P -> STOP -> STOP_COPY  (saving fd)
 *   dst RUNNING -> RUNNING_P2P -> STOP -> RESUMING   (resuming fd)
 *   pump saving fd -> resuming fd
 *   src STOP_COPY -> STOP;  dst RESUMING -> STOP (the restore commits)
 *   dst STOP -> RUNNING_P2P -> RUNNING
 */
#ifndef XEMIG_VFIO_MIGRATE_H
#define XEMIG_VFIO_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mig_data.h"
#include "vfio_dev.h"

/*
 * Walk dev from its current state to target. If target is STOP_COPY or
 * RESUMING, *data_fd gets its data fd (else -1; data_fd may be NULL). On
 * error, *reached (if not NULL) holds the state read back. 0 or -errno.
 */
int vfio_mig_goto(struct vfio_dev *dev, uint32_t target, int *data_fd,
		  uint32_t *reached);

struct vfio_migrate_opts {
	size_t bufsize;		/* pump buffer; 0: 1 MiB */
	bool leave_stopped;	/* do not resume the destination */
	bool serial_pump;	/* read and write in one thread (mig_data_pump_serial) */
	/*
	 * An igfx VF (pf_backend.h): its memory is the VM's, not in the
	 * stream. Copy BAR2 (the sim's stand-in for those pages) from src to
	 * dst once both are stopped, as the VMM's last RAM pass would.
	 */
	bool copy_sysmem;
};

struct vfio_migrate_result {
	struct mig_data_stats data;
	uint64_t size_estimate;	/* MIG_DATA_SIZE in STOP_COPY */
	uint64_t downtime_ns;	/* src leaves RUNNING .. dst RUNNING again */
	uint64_t sysmem_bytes;	/* copied for copy_sysmem */
};

/* Move src's state into dst. src is left STOP; dst RUNNING unless asked. */
int vfio_migrate(struct vfio_dev *src, struct vfio_dev *dst,
		 const struct vfio_migrate_opts *opts,
		 struct vfio_migrate_result *res);

#endif
