// SPDX-License-Identifier: MIT
/* The plain files of an igt_runner results directory. */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "results_dir.h"

static int dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int empty = 1;

	if (!d)
		return -1;
	while (empty && (de = readdir(d)))
		empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
	closedir(d);
	return empty;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	/* Level 0 is the results directory itself: keep it. */
	return ftw->level ? remove(path) : 0;
}

int results_dir_prepare(const char *path, bool overwrite, FILE *err)
{
	int empty;

	if (mkdir(path, 0755) == 0)
		return 0;
	if (errno != EEXIST) {
		fprintf(err, "xe_migtest_runner: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	empty = dir_is_empty(path);
	if (empty < 0) {
		fprintf(err, "xe_migtest_runner: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (empty)
		return 0;
	if (!overwrite) {
		fprintf(err, "xe_migtest_runner: %s is not empty; use -o to overwrite it\n",
			path);
		return -1;
	}
	if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS)) {
		fprintf(err, "xe_migtest_runner: cannot empty %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static FILE *open_in(const char *dir, const char *name)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return fopen(path, "w");
}

static int write_file(const char *dir, const char *name, const char *fmt, ...)
{
	FILE *f = open_in(dir, name);
	va_list ap;
	int rc;

	if (!f)
		return -1;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	rc = ferror(f);
	return fclose(f) || rc ? -1 : 0;
}

static double epoch_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int results_dir_write_start(const char *path, const struct runner_settings *s,
			    const struct job_list *list)
{
	struct utsname u;
	FILE *f;
	int rc = 0;

	f = open_in(path, "metadata.txt");
	if (!f)
		return -1;
	rc |= settings_write_metadata(s, f);
	rc |= fclose(f);
	f = open_in(path, "joblist.txt");
	if (!f)
		return -1;
	job_list_write(list, f);
	rc |= fclose(f);
	uname(&u);
	rc |= write_file(path, "uname.txt", "%s %s %s %s %s\n", u.sysname,
			 u.nodename, u.release, u.version, u.machine);
	rc |= write_file(path, "starttime.txt", "%f\n", epoch_now());
	return rc ? -1 : 0;
}

int results_dir_write_end(const char *path)
{
	return write_file(path, "endtime.txt", "%f\n", epoch_now());
}

int results_dir_write_aborted(const char *path, const char *reason)
{
	return write_file(path, "aborted.txt", "%s\n", reason);
}
