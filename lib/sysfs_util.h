/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Small sysfs/debugfs file helpers. All return 0 or a negative errno.
 */
#ifndef XEMIG_SYSFS_UTIL_H
#define XEMIG_SYSFS_UTIL_H

#include <stddef.h>

/* Read a whole attribute into buf (NUL-terminated, trailing newline cut). */
int sysfs_read_str(const char *path, char *buf, size_t size);
/* Read an attribute holding one unsigned number (decimal or 0x hex). */
int sysfs_read_uint(const char *path, unsigned int *val);
/* Write str to an attribute in one write(), as sysfs store() expects. */
int sysfs_write_str(const char *path, const char *str);
/*
 * snprintf() into a PATH_MAX buffer: -ENAMETOOLONG rather than a cut
 * path, which would name another file.
 */
int sysfs_pathf(char *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
