// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kmsg_watch.h"

int kmsg_watch_start(struct kmsg_watch *w)
{
	w->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->fd < 0)
		return -errno;
	if (lseek(w->fd, 0, SEEK_END) < 0) {
		int err = -errno;

		close(w->fd);
		w->fd = -1;
		return err;
	}
	return 0;
}

int kmsg_watch_find(struct kmsg_watch *w, const char *needle, char *line, size_t size)
{
	char rec[8192];

	for (;;) {
		ssize_t n = read(w->fd, rec, sizeof(rec) - 1);
		const char *text;
		char *nl;

		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten: go on */
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		rec[n] = '\0';
		/* "prio,seq,time,flags;text\n" then continuation lines */
		text = strchr(rec, ';');
		text = text ? text + 1 : rec;
		nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		if (strstr(text, needle)) {
			if (size) {
				strncpy(line, text, size - 1);
				line[size - 1] = '\0';
			}
			return 1;
		}
	}
}

void kmsg_watch_stop(struct kmsg_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}
