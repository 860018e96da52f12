// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "unix_sock.h"

#define RETRY_US	20000

long long unix_sock_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int unix_sock_connect(const char *path, int flags, long long deadline)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	for (;;) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
		int err;

		if (fd < 0)
			return -errno;
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		err = -errno;
		close(fd);
		if (unix_sock_now_ms() >= deadline)
			return err;
		usleep(RETRY_US);
	}
}

/* Room for at least chunk more bytes. */
static int reserve(struct unix_sock_lines *l, size_t chunk)
{
	size_t cap = l->cap * 2 + chunk;
	char *nb;

	if (l->len + chunk <= l->cap)
		return 0;
	nb = realloc(l->buf, cap);
	if (!nb)
		return -ENOMEM;
	l->buf = nb;
	l->cap = cap;
	return 0;
}

long unix_sock_read_line(int fd, struct unix_sock_lines *l, size_t chunk,
			 long long deadline)
{
	for (;;) {
		char *nl = l->len ? memchr(l->buf, '\n', l->len) : NULL;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left;
		ssize_t n;

		if (nl)
			return nl - l->buf + 1;
		if (reserve(l, chunk))
			return -ENOMEM;
		left = deadline - unix_sock_now_ms();
		if (left <= 0 || poll(&p, 1, left) == 0)
			return -ETIMEDOUT;
		n = recv(fd, l->buf + l->len, l->cap - l->len, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -EPIPE;
		l->len += n;
	}
}

void unix_sock_consume(struct unix_sock_lines *l, size_t n)
{
	memmove(l->buf, l->buf + n, l->len - n);
	l->len -= n;
}

void unix_sock_lines_free(struct unix_sock_lines *l)
{
	free(l->buf);
	l->buf = NULL;
	l->len = l->cap = 0;
}
