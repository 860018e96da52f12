/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Watch the kernel log from now on: find the record a driver logged for
 * an error it could not return to the caller (xe logs the errno of a GT
 * packet its restore worker refused, and returns EIO later).
 */
#ifndef XEMIG_KMSG_WATCH_H
#define XEMIG_KMSG_WATCH_H

#include <stddef.h>

struct kmsg_watch {
	int fd;
};

/* Start watching: records logged before this call are never seen. */
int kmsg_watch_start(struct kmsg_watch *w);
/*
 * Look through the records logged since the start (or the last match) for
 * one whose text contains needle; copy that text into line.
 * Return: 1 found, 0 not (yet), or a negative errno.
 */
int kmsg_watch_find(struct kmsg_watch *w, const char *needle, char *line, size_t size);
void kmsg_watch_stop(struct kmsg_watch *w);

#endif
