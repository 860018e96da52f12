// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The xe_sriov_sim PF backend. Names come from the module's uapi header
 * so the two cannot drift apart.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uapi/xe_sriov_sim.h"
#include "uapi/xe_sriov_sim_ccs.h"
#include "uapi/xe_sriov_sim_faults.h"
#include "sim_pf.h"
#include "sysfs_util.h"

#define SIM_CLASS_DIR	"/sys/class/" XE_SRIOV_SIM_CLASS
#define MDEV_DEVICES	"/sys/bus/mdev/devices"

static int read_pf(const char *name, struct sim_pf *pf)
{
	char path[PATH_MAX];
	int err;

	memset(pf, 0, sizeof(*pf));
	snprintf(pf->name, sizeof(pf->name), "%s", name);
	snprintf(pf->sysfs, sizeof(pf->sysfs), SIM_CLASS_DIR "/%s", name);

	snprintf(path, sizeof(path), "%s/device_id", pf->sysfs);
	err = sysfs_read_uint(path, &pf->device_id);
	snprintf(path, sizeof(path), "%s/revision_id", pf->sysfs);
	err = err ?: sysfs_read_uint(path, &pf->revision_id);
	snprintf(path, sizeof(path), "%s/max_vfs", pf->sysfs);
	err = err ?: sysfs_read_uint(path, &pf->max_vfs);
	if (!err) {
		char flavour[16];

		/* A module without the attribute predates flavours: dgfx. */
		snprintf(path, sizeof(path), "%s/" XE_SRIOV_SIM_PF_FLAVOUR_ATTR, pf->sysfs);
		if (!sysfs_read_str(path, flavour, sizeof(flavour)))
			pf->igfx = !strcmp(flavour, XE_SRIOV_SIM_FLAVOUR_IGFX);
	}
	return err;
}

static int cmp_pf(const void *a, const void *b)
{
	const struct sim_pf *x = a, *y = b;

	/* pf2 before pf10: same prefix, so compare the length first. */
	if (strlen(x->name) != strlen(y->name))
		return strlen(x->name) < strlen(y->name) ? -1 : 1;
	return strcmp(x->name, y->name);
}

int sim_pf_list(struct sim_pf *pfs, int max)
{
	const size_t plen = strlen(XE_SRIOV_SIM_PF_PREFIX);
	struct dirent *de;
	int n = 0, err = 0;
	DIR *dir;

	dir = opendir(SIM_CLASS_DIR);
	if (!dir)
		return -errno;
	while ((de = readdir(dir)) && n < max) {
		if (strncmp(de->d_name, XE_SRIOV_SIM_PF_PREFIX, plen))
			continue;
		err = read_pf(de->d_name, &pfs[n]);
		if (err)
			break;
		n++;
	}
	closedir(dir);
	if (err)
		return err;
	qsort(pfs, n, sizeof(*pfs), cmp_pf);
	return n;
}

static int new_uuid(char *uuid, size_t size)
{
	return sysfs_read_str("/proc/sys/kernel/random/uuid", uuid, size);
}

int sim_vf_create(const struct sim_pf *pf, struct sim_vf *vf)
{
	char path[PATH_MAX];
	int err;

	memset(vf, 0, sizeof(*vf));
	err = new_uuid(vf->uuid, sizeof(vf->uuid));
	if (err)
		return err;
	snprintf(vf->pf, sizeof(vf->pf), "%s", pf->name);
	snprintf(path, sizeof(path), "%s/mdev_supported_types/%s/create",
		 pf->sysfs, XE_SRIOV_SIM_MDEV_TYPE_DIR);
	err = sysfs_write_str(path, vf->uuid);
	if (err)
		return err;

	snprintf(vf->sysfs, sizeof(vf->sysfs), MDEV_DEVICES "/%s", vf->uuid);
	snprintf(path, sizeof(path), "%s/vf_id", vf->sysfs);
	err = sysfs_read_uint(path, &vf->vf_id);
	if (err)
		sim_vf_remove(vf);
	return err;
}

int sim_vf_remove(struct sim_vf *vf)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/remove", vf->sysfs);
	return sysfs_write_str(path, "1");
}

#define SIM_PARAMS "/sys/module/xe_sriov_sim/parameters"
#define SIM_PARAM_MARK "xemt-simparam."

/*
 * A run-time parameter changed by a test stays changed if the test is
 * killed. The first change writes /tmp/xemt-simparam.<name> with the
 * changer's pid and the value it found; putting that value back removes
 * it; sim_param_restore_stale() puts back what a dead changer left.
 */
static void mark_param(const char *name, const char *value)
{
	char mark[PATH_MAX], tmp[PATH_MAX + 8], path[PATH_MAX], orig[256] = "";
	FILE *f;
	int pid;

	snprintf(mark, sizeof(mark), "/tmp/" SIM_PARAM_MARK "%s", name);
	f = fopen(mark, "r");
	if (f) {
		bool back = fscanf(f, "%d %255[^\n]", &pid, orig) == 2 && !strcmp(orig, value);

		fclose(f);
		if (back)
			unlink(mark);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", SIM_PARAMS, name);
	if (sysfs_read_str(path, orig, sizeof(orig)) < 0)
		return;
	orig[strcspn(orig, "\n")] = '\0';
	if (!orig[0] || !strcmp(orig, value))
		return;
	snprintf(tmp, sizeof(tmp), "%s.%d", mark, (int)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%d %s\n", (int)getpid(), orig);
	if (fclose(f) || rename(tmp, mark))
		unlink(tmp);
}

int sim_param_set(const char *name, const char *value)
{
	char path[PATH_MAX];

	mark_param(name, value);
	snprintf(path, sizeof(path), "%s/%s", SIM_PARAMS, name);
	return sysfs_write_str(path, value);
}

int sim_param_restore_stale(void)
{
	DIR *d = opendir("/tmp");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d))) {
		const char *name = de->d_name + strlen(SIM_PARAM_MARK);
		char mark[PATH_MAX], path[PATH_MAX], orig[256];
		FILE *f;
		int pid;
		bool ok;

		if (strncmp(de->d_name, SIM_PARAM_MARK, strlen(SIM_PARAM_MARK)) ||
		    strchr(name, '.'))
			continue;
		snprintf(mark, sizeof(mark), "/tmp/%s", de->d_name);
		f = fopen(mark, "r");
		if (!f)
			continue;
		ok = fscanf(f, "%d %255[^\n]", &pid, orig) == 2;
		fclose(f);
		if (ok && pid > 0 && (!kill(pid, 0) || errno != ESRCH))
			continue;
		snprintf(path, sizeof(path), "%s/%s", SIM_PARAMS, name);
		if (ok && !sysfs_write_str(path, orig))
			n++;
		unlink(mark);
	}
	if (d)
		closedir(d);
	return n;
}

int sim_param_set_uint(const char *name, unsigned int value)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", value);
	return sim_param_set(name, buf);
}

int sim_fault_plant(const char *fault)
{
	char now[64];
	int err = sim_param_set("fault", fault);

	err = err ?: sysfs_read_str(XE_SRIOV_SIM_FAULT_PARAM, now, sizeof(now));
	if (!err && strcmp(now, fault))
		err = -EINVAL;
	return err;
}

void sim_fault_unplant(int sig)
{
	(void)sig;
	sim_fault_plant(XE_SRIOV_SIM_FAULT_NONE_NAME);
}
