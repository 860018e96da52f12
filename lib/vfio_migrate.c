// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * vfio_mig_goto() and vfio_migrate(): the FSM walks that every migration
 * test and the CLI share.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "vfio_mig.h"
#include "vfio_migrate.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static bool has_data_fd(uint32_t state)
{
	return state == VFIO_DEVICE_STATE_STOP_COPY ||
	       state == VFIO_DEVICE_STATE_RESUMING ||
	       state == VFIO_DEVICE_STATE_PRE_COPY ||
	       state == VFIO_DEVICE_STATE_PRE_COPY_P2P;
}

/* One arc, checked by reading the state back. */
static int step(struct vfio_dev *dev, uint32_t to, int *fd)
{
	uint32_t now;
	int err = vfio_mig_set_state(dev, to, fd);

	if (err)
		return err;
	err = vfio_mig_get_state(dev, &now);
	if (err)
		return err;
	return now == to ? 0 : -EPROTO;
}

int vfio_mig_goto(struct vfio_dev *dev, uint32_t target, int *data_fd,
		  uint32_t *reached)
{
	uint32_t path[VFIO_MIG_NUM_STATES], cur;
	uint64_t flags;
	int n, err, fd = -1;

	if (data_fd)
		*data_fd = -1;
	err = vfio_dev_migration_flags(dev, &flags);
	err = err ?: vfio_mig_get_state(dev, &cur);
	if (err)
		return err;
	n = vfio_mig_plan(flags, cur, target, path, VFIO_MIG_NUM_STATES);
	if (n < 0)
		return n;
	for (int i = 0; i < n && !err; i++) {
		if (fd >= 0)
			close(fd);
		fd = -1;
		err = step(dev, path[i], &fd);
	}
	if (reached && vfio_mig_get_state(dev, reached))
		*reached = VFIO_DEVICE_STATE_ERROR;
	if (!err && data_fd && has_data_fd(target))
		*data_fd = fd;
	else if (fd >= 0)
		close(fd);
	return err;
}

static int save_and_load(struct vfio_dev *src, struct vfio_dev *dst,
			 const struct vfio_migrate_opts *o,
			 struct vfio_migrate_result *res)
{
	int sfd, dfd, err;

	err = vfio_mig_goto(dst, VFIO_DEVICE_STATE_RESUMING, &dfd, NULL);
	if (err)
		return err;
	err = vfio_mig_goto(src, VFIO_DEVICE_STATE_STOP_COPY, &sfd, NULL);
	if (err) {
		close(dfd);
		return err;
	}
	vfio_mig_data_size(src, &res->size_estimate);
	err = (o->serial_pump ? mig_data_pump_serial : mig_data_pump)(sfd, dfd,
			o->bufsize ? o->bufsize : 1 << 20, &res->data);
	close(sfd);
	close(dfd);
	/* Both sides go back to STOP; the destination's restore commits here. */
	err = err ?: vfio_mig_goto(src, VFIO_DEVICE_STATE_STOP, NULL, NULL);
	return err ?: vfio_mig_goto(dst, VFIO_DEVICE_STATE_STOP, NULL, NULL);
}

/* BAR2 src -> dst, the igfx VF's memory moved as the VM's RAM. */
static int copy_sysmem(struct vfio_dev *src, struct vfio_dev *dst, uint64_t *bytes)
{
	struct vfio_region_info a, b;
	uint64_t size, off;
	size_t chunk = 1 << 20;
	uint8_t *buf;
	int err;

	err = vfio_dev_get_region_info(src, VFIO_PCI_BAR2_REGION_INDEX, &a);
	err = err ?: vfio_dev_get_region_info(dst, VFIO_PCI_BAR2_REGION_INDEX, &b);
	if (err)
		return err;
	size = a.size < b.size ? a.size : b.size;
	buf = malloc(chunk);
	if (!buf)
		return -ENOMEM;
	for (off = 0; off < size && !err; off += chunk) {
		size_t n = size - off < chunk ? size - off : chunk;

		err = vfio_dev_region_read(src, VFIO_PCI_BAR2_REGION_INDEX, off, buf, n);
		err = err ?: vfio_dev_region_write(dst, VFIO_PCI_BAR2_REGION_INDEX, off, buf, n);
	}
	free(buf);
	if (!err)
		*bytes = size;
	return err;
}

int vfio_migrate(struct vfio_dev *src, struct vfio_dev *dst,
		 const struct vfio_migrate_opts *opts,
		 struct vfio_migrate_result *res)
{
	struct vfio_migrate_opts o = opts ? *opts : (struct vfio_migrate_opts){ 0 };
	struct vfio_migrate_result r = { 0 };
	uint64_t t0 = now_ns();
	int err;

	err = vfio_mig_goto(src, VFIO_DEVICE_STATE_STOP, NULL, NULL);
	err = err ?: save_and_load(src, dst, &o, &r);
	if (!err && o.copy_sysmem)
		err = copy_sysmem(src, dst, &r.sysmem_bytes);
	if (!err && !o.leave_stopped)
		err = vfio_mig_goto(dst, VFIO_DEVICE_STATE_RUNNING, NULL, NULL);
	r.downtime_ns = now_ns() - t0;
	if (res)
		*res = r;
	return err;
}
