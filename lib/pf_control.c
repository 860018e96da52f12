// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * VF control and save/restore through the PF's debugfs, the same files on
 * xe (xe_sriov_pf_debugfs.c) and on xe_sriov_sim:
 *
 *   <debugfs>/sriov/vf<id>/pause|resume|stop|reset   write "1"
 *   <debugfs>/sriov/vf<id>/save|restore              write "1" to start,
 *                                                    read to finish: the
 *                                                    read fails with the
 *                                                    operation's errno
 *   <debugfs>/sriov/vf<id>/migration_data            the stream (offset 0 only)
 *   <debugfs>/sriov/vf<id>/migration_size            "%zd\n"
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uapi/xe_sriov_sim.h"
#include "mig_data.h"
#include "pf_backend.h"
#include "sysfs_util.h"

static const char *const control_files[] = {
	[PF_VF_PAUSE] = "pause",
	[PF_VF_RESUME] = "resume",
	[PF_VF_STOP] = "stop",
	[PF_VF_RESET] = "reset",
};

const struct pf_backend_ops *pf_backend_by_name(const char *name)
{
	if (!strcmp(name, "sim"))
		return &pf_backend_sim;
	if (!strcmp(name, "xe"))
		return &pf_backend_xe;
	return NULL;
}

const struct pf_backend_ops *pf_backend_default(void)
{
	const char *name = getenv("XEMT_PF_BACKEND");

	if (name && *name)
		return pf_backend_by_name(name);
	if (access("/sys/class/" XE_SRIOV_SIM_CLASS, F_OK) == 0)
		return &pf_backend_sim;
	return &pf_backend_xe;
}

void pf_vf_debugfs_dir(const struct xemig_vf *vf, char *buf, size_t size)
{
	snprintf(buf, size, "%s/sriov/vf%u", vf->pf->debugfs, vf->vf_id);
}

static void vf_file(const struct xemig_vf *vf, const char *name, char *buf, size_t size)
{
	char dir[PATH_MAX];

	pf_vf_debugfs_dir(vf, dir, sizeof(dir));
	snprintf(buf, size, "%s/%s", dir, name);
}

int pf_vf_control(struct xemig_vf *vf, enum pf_vf_control op)
{
	char path[PATH_MAX + 32];

	if ((unsigned int)op >= sizeof(control_files) / sizeof(control_files[0]))
		return -EINVAL;
	vf_file(vf, control_files[op], path, sizeof(path));
	return sysfs_write_str(path, "1");
}

/* Read save/restore: finishes the operation; the read's errno is its result. */
static int finish(struct xemig_vf *vf, const char *name)
{
	char path[PATH_MAX + 32], buf[64];
	int fd, err = 0;

	vf_file(vf, name, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (read(fd, buf, sizeof(buf)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int open_data(struct xemig_vf *vf, int flags)
{
	char path[PATH_MAX + 32];
	int fd;

	vf_file(vf, "migration_data", path, sizeof(path));
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int pf_vf_save(struct xemig_vf *vf, uint8_t **buf, size_t *len)
{
	char path[PATH_MAX + 32];
	int fd, err, fin;

	*buf = NULL;
	*len = 0;
	vf_file(vf, "save", path, sizeof(path));
	err = sysfs_write_str(path, "1");
	if (err)
		return err;
	fd = open_data(vf, O_RDONLY);
	if (fd < 0)
		err = fd;
	else
		err = mig_data_read_all(fd, 64 << 10, buf, len, NULL);
	if (fd >= 0)
		close(fd);
	/* Always finish, so a failed read does not leave the PF saving. */
	fin = finish(vf, "save");
	if (err || fin) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return err ?: fin;
}

int pf_vf_restore(struct xemig_vf *vf, const uint8_t *buf, size_t len, size_t seg)
{
	char path[PATH_MAX + 32];
	int fd, err, fin;

	vf_file(vf, "restore", path, sizeof(path));
	err = sysfs_write_str(path, "1");
	if (err)
		return err;
	fd = open_data(vf, O_WRONLY);
	if (fd < 0)
		err = fd;
	else
		err = mig_data_write_all(fd, buf, len, seg ? seg : len ? len : 1, NULL);
	if (fd >= 0 && close(fd) && !err)
		err = -errno;
	fin = finish(vf, "restore");
	return err ?: fin;
}

int pf_vf_migration_size(struct xemig_vf *vf, uint64_t *bytes)
{
	char path[PATH_MAX + 32], buf[32], *end;
	long long v;
	int err;

	vf_file(vf, "migration_size", path, sizeof(path));
	err = sysfs_read_str(path, buf, sizeof(buf));
	if (err)
		return err;
	v = strtoll(buf, &end, 0);
	if (end == buf || v < 0)
		return -EINVAL;
	*bytes = v;
	return 0;
}
