/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Connecting to a unix stream socket that a just-started QEMU has not
 * created yet (QMP, qtest): retry until a deadline instead of failing on
 * the first ENOENT/ECONNREFUSED; then read it line by line against a
 * deadline. Shared so that the QMP and the qtest client wait for QEMU the
 * same way, on the same clock.
 */
#ifndef XEMIG_UNIX_SOCK_H
#define XEMIG_UNIX_SOCK_H

/* CLOCK_MONOTONIC in milliseconds: the clock of the deadlines below. */
long long unix_sock_now_ms(void);

/*
 * Connect to the socket at @path, retrying every 20 ms until @deadline
 * (unix_sock_now_ms() time). @flags go to socket() with SOCK_STREAM
 * (SOCK_CLOEXEC is always set; add SOCK_NONBLOCK for a non-blocking fd).
 * Returns the fd, or -errno of the last attempt; -ENAMETOOLONG at once
 * for a path that does not fit sun_path.
 */
int unix_sock_connect(const char *path, int flags, long long deadline);

/* Bytes read from a line-oriented socket and not yet consumed. */
struct unix_sock_lines {
	char *buf;
	size_t len, cap;
};

/*
 * Wait until lines->buf starts with a whole line, reading from @fd (which
 * may be non-blocking) in pieces of up to @chunk bytes. Returns the line's
 * length with its '\n' (the caller consumes it when done), -ETIMEDOUT at
 * @deadline, -EPIPE when the peer closed, -ENOMEM or the read's -errno.
 */
long unix_sock_read_line(int fd, struct unix_sock_lines *lines, size_t chunk,
			 long long deadline);
/* Drop the first n bytes. */
void unix_sock_consume(struct unix_sock_lines *lines, size_t n);
void unix_sock_lines_free(struct unix_sock_lines *lines);

#endif
