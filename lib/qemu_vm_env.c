// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The host around a test's QEMUs, the same for every test that starts
 * them (xe_sriov_migration_vm, xe_sriov_sim_qemu_vf): the QEMU in
 * PATH new enough for the migration capabilities they use, their socket
 * dir removed afterwards, and one place for VM logs and per-hop metrics
 * so that the runner's summary finds every test's hops.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "qemu_vm.h"

bool qemu_vm_version_ok(char *version, size_t size)
{
	FILE *p = popen("qemu-system-x86_64 --version 2>/dev/null", "r");
	char line[256] = "";
	int major = 0, minor = 0;
	const char *v;

	if (!p)
		return false;
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	pclose(p);
	v = strstr(line, "version ");
	if (!v || sscanf(v, "version %d.%d", &major, &minor) != 2)
		return false;
	snprintf(version, size, "%d.%d", major, minor);
	return major > 9 || (major == 9 && minor >= 1);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

void qemu_vm_remove_dir(const char *dir)
{
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

int qemu_vm_sweep_dead_dirs(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *de;
	char path[4200], tag[32];
	int pid, n = 0;

	while (d && (de = readdir(d))) {
		if (de->d_type != DT_DIR ||
		    sscanf(de->d_name, "xemt-%31[a-z0-9_-].%d.", tag, &pid) != 2 || pid <= 0 ||
		    !kill(pid, 0) || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmp, de->d_name);
		qemu_vm_remove_dir(path);
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

int qemu_vm_results_open(const char *sock_dir, char *log_dir, size_t size, FILE **metrics)
{
	const char *results = getenv("XEMT_RESULTS_DIR");
	char path[4200];

	*metrics = NULL;
	if (!results || !*results) {
		snprintf(log_dir, size, "%s", sock_dir);
		return 0;
	}
	snprintf(log_dir, size, "%s/vm-logs", results);
	mkdir(log_dir, 0755);
	snprintf(path, sizeof(path), "%s/vm-migration.jsonl", results);
	*metrics = fopen(path, "a");
	return *metrics ? 0 : -errno;
}
