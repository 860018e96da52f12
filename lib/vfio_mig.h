/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The VFIO migration v2 FSM from user space: the arc table a device with
 * given VFIO_MIGRATION_* flags must implement, the shortest legal path
 * between two states (what vfio_mig_get_next_state() walks), and the
 * VFIO_DEVICE_FEATURE calls that drive and read back a device's state.
 */
#ifndef XEMIG_VFIO_MIG_H
#define XEMIG_VFIO_MIG_H

#include <linux/vfio.h>
#include <stdbool.h>
#include <stdint.h>

#include "vfio_dev.h"

#define VFIO_MIG_NUM_STATES	8	/* ERROR .. PRE_COPY_P2P */

const char *vfio_mig_state_name(uint32_t state);

/* Whether a device with these migration flags has this state at all. */
bool vfio_mig_state_supported(uint64_t flags, uint32_t state);

/* Whether from -> to is one arc the device must implement itself. */
bool vfio_mig_arc_valid(uint64_t flags, uint32_t from, uint32_t to);

/*
 * The shortest legal path from -> to: single arcs, saving-group states
 * (PRE_COPY*, STOP_COPY) only at its ends. path[] gets the states after
 * from, up to and including to. Returns the number of arcs (0 if from ==
 * to), or -EINVAL when a state is unsupported or to is unreachable.
 */
int vfio_mig_plan(uint64_t flags, uint32_t from, uint32_t to,
		  uint32_t *path, int max);

/* MIG_DEVICE_STATE SET; *data_fd gets the new fd or -1. 0 or -errno. */
int vfio_mig_set_state(struct vfio_dev *dev, uint32_t state, int *data_fd);
/* MIG_DEVICE_STATE GET. 0 or -errno. */
int vfio_mig_get_state(struct vfio_dev *dev, uint32_t *state);
/* MIG_DATA_SIZE: the device's estimate of the stop-copy bytes. */
int vfio_mig_data_size(struct vfio_dev *dev, uint64_t *bytes);

#endif
