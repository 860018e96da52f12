// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The arcs come from include/uapi/linux/vfio.h ("Arcs a driver must
 * implement"); the planner is a breadth-first search over them, which is
 * how the combination rules there read: take the shortest path, never
 * pass through a saving-group state.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vfio_mig.h"

#define S(x) VFIO_DEVICE_STATE_##x

const char *vfio_mig_state_name(uint32_t state)
{
	static const char *const names[VFIO_MIG_NUM_STATES] = {
		[S(ERROR)] = "ERROR", [S(STOP)] = "STOP",
		[S(RUNNING)] = "RUNNING", [S(STOP_COPY)] = "STOP_COPY",
		[S(RESUMING)] = "RESUMING", [S(RUNNING_P2P)] = "RUNNING_P2P",
		[S(PRE_COPY)] = "PRE_COPY", [S(PRE_COPY_P2P)] = "PRE_COPY_P2P",
	};

	return state < VFIO_MIG_NUM_STATES ? names[state] : "INVALID";
}

bool vfio_mig_state_supported(uint64_t flags, uint32_t state)
{
	const uint64_t p2p = VFIO_MIGRATION_P2P, pre = VFIO_MIGRATION_PRE_COPY;

	if (!(flags & VFIO_MIGRATION_STOP_COPY))
		return false;
	switch (state) {
	case S(STOP): case S(RUNNING): case S(STOP_COPY): case S(RESUMING):
		return true;
	case S(RUNNING_P2P):
		return flags & p2p;
	case S(PRE_COPY):
		return flags & pre;
	case S(PRE_COPY_P2P):
		return (flags & p2p) && (flags & pre);
	default:
		return false;	/* ERROR can never be requested */
	}
}

/* Arcs of a device with P2P; without it RUNNING <-> STOP replaces them. */
static bool p2p_arc(uint64_t flags, uint32_t from, uint32_t to)
{
	const bool pre = flags & VFIO_MIGRATION_PRE_COPY;

	switch (from) {
	case S(RUNNING):
		return to == S(RUNNING_P2P) || (pre && to == S(PRE_COPY));
	case S(RUNNING_P2P):
		return to == S(RUNNING) || to == S(STOP) || (pre && to == S(PRE_COPY_P2P));
	case S(STOP):
		return to == S(RUNNING_P2P) || to == S(STOP_COPY) || to == S(RESUMING);
	case S(PRE_COPY):
		return to == S(RUNNING) || to == S(STOP_COPY) || to == S(PRE_COPY_P2P);
	case S(PRE_COPY_P2P):
		return to == S(PRE_COPY) || to == S(RUNNING_P2P) || to == S(STOP_COPY);
	default:
		return false;
	}
}

static bool plain_arc(uint64_t flags, uint32_t from, uint32_t to)
{
	const bool pre = flags & VFIO_MIGRATION_PRE_COPY;

	switch (from) {
	case S(RUNNING):
		return to == S(STOP) || (pre && to == S(PRE_COPY));
	case S(STOP):
		return to == S(RUNNING) || to == S(STOP_COPY) || to == S(RESUMING);
	case S(PRE_COPY):
		return to == S(RUNNING) || to == S(STOP_COPY);
	default:
		return false;
	}
}

bool vfio_mig_arc_valid(uint64_t flags, uint32_t from, uint32_t to)
{
	if (!vfio_mig_state_supported(flags, from) ||
	    !vfio_mig_state_supported(flags, to))
		return false;
	/* The arcs every device has. */
	if ((from == S(STOP_COPY) || from == S(RESUMING)) && to == S(STOP))
		return true;
	if (flags & VFIO_MIGRATION_P2P)
		return p2p_arc(flags, from, to);
	return plain_arc(flags, from, to);
}

static bool saving_group(uint32_t state)
{
	return state == S(STOP_COPY) || state == S(PRE_COPY) ||
	       state == S(PRE_COPY_P2P);
}

/* Write the path to `to` recorded in prev[] into path[]; its length. */
static int unwind(const int *prev, uint32_t from, uint32_t to,
		  uint32_t *path, int max)
{
	int n = 0;

	for (uint32_t s = to; s != from; s = prev[s])
		n++;
	if (n > max)
		return -ENOSPC;
	for (uint32_t s = to, i = n; s != from; s = prev[s])
		path[--i] = s;
	return n;
}

int vfio_mig_plan(uint64_t flags, uint32_t from, uint32_t to,
		  uint32_t *path, int max)
{
	int prev[VFIO_MIG_NUM_STATES];
	uint32_t queue[VFIO_MIG_NUM_STATES];
	int head = 0, tail = 0;

	if (!vfio_mig_state_supported(flags, from) ||
	    !vfio_mig_state_supported(flags, to))
		return -EINVAL;
	/* vfio.h blocks these: a stop-copy session cannot go back to pre-copy. */
	if (from == S(STOP_COPY) && (to == S(PRE_COPY) || to == S(PRE_COPY_P2P)))
		return -EINVAL;
	for (int i = 0; i < VFIO_MIG_NUM_STATES; i++)
		prev[i] = -1;
	prev[from] = from;
	queue[tail++] = from;
	while (head < tail) {
		uint32_t s = queue[head++];

		if (s == to)
			return unwind(prev, from, to, path, max);
		/* A saving-group state may only start or end the path. */
		if (s != from && saving_group(s))
			continue;
		for (uint32_t n = 0; n < VFIO_MIG_NUM_STATES; n++) {
			if (prev[n] >= 0 || !vfio_mig_arc_valid(flags, s, n))
				continue;
			prev[n] = s;
			queue[tail++] = n;
		}
	}
	return -EINVAL;
}

int vfio_mig_set_state(struct vfio_dev *dev, uint32_t state, int *data_fd)
{
	struct {
		struct vfio_device_feature hdr;
		struct vfio_device_feature_mig_state st;
	} feat = {
		.hdr.argsz = sizeof(feat),
		.hdr.flags = VFIO_DEVICE_FEATURE_SET |
			     VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
		.st.device_state = state,
		.st.data_fd = -1,
	};
	int ret = ioctl(dev->fd, VFIO_DEVICE_FEATURE, &feat) ? -errno : 0;

	if (data_fd)
		*data_fd = ret ? -1 : feat.st.data_fd;
	return ret;
}

int vfio_mig_get_state(struct vfio_dev *dev, uint32_t *state)
{
	struct {
		struct vfio_device_feature hdr;
		struct vfio_device_feature_mig_state st;
	} feat = {
		.hdr.argsz = sizeof(feat),
		.hdr.flags = VFIO_DEVICE_FEATURE_GET |
			     VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
	};

	if (ioctl(dev->fd, VFIO_DEVICE_FEATURE, &feat))
		return -errno;
	*state = feat.st.device_state;
	return 0;
}

int vfio_mig_data_size(struct vfio_dev *dev, uint64_t *bytes)
{
	struct {
		struct vfio_device_feature hdr;
		struct vfio_device_feature_mig_data_size sz;
	} feat = {
		.hdr.argsz = sizeof(feat),
		.hdr.flags = VFIO_DEVICE_FEATURE_GET |
			     VFIO_DEVICE_FEATURE_MIG_DATA_SIZE,
	};

	if (ioctl(dev->fd, VFIO_DEVICE_FEATURE, &feat))
		return -errno;
	*bytes = feat.sz.stop_copy_length;
	return 0;
}
