/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Connecting to a unix stream socket that a just-started QEMU has not
 * created yet (QMP, qtest): retry until a deadline instead of failing on
 * the first ENOENT/ECONNREFUSED. Shared so that the QMP and the qtest
 * client wait for QEMU the same way, on the same clock.
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

#endif
