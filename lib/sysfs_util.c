// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfs_util.h"

int sysfs_read_str(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd, err;

	if (!size)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int sysfs_read_uint(const char *path, unsigned int *val)
{
	char buf[64], *end;
	unsigned long v;
	int err;

	err = sysfs_read_str(path, buf, sizeof(buf));
	if (err)
		return err;
	errno = 0;
	v = strtoul(buf, &end, 0);
	if (errno || end == buf || *end || v > 0xffffffffUL)
		return -EINVAL;
	*val = v;
	return 0;
}

int sysfs_write_str(const char *path, const char *str)
{
	size_t len = strlen(str);
	ssize_t n;
	int fd, err;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, str, len);
	err = n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

int sysfs_pathf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	return n < 0 ? -EINVAL : n >= PATH_MAX ? -ENAMETOOLONG : 0;
}
