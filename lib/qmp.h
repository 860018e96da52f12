/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * A QMP client (QEMU Machine Protocol, docs/interop/qmp-spec.rst): one
 * JSON object per line over a unix socket. Connect reads the greeting
 * and negotiates capabilities; commands carry ids and wait for their
 * answer; events that arrive meanwhile are queued for qmp_wait_event().
 * Every wait has a timeout, and QEMU's errors come back as text.
 */
#ifndef XEMIG_QMP_H
#define XEMIG_QMP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "unix_sock.h"

struct qmp {
	int fd;
	struct unix_sock_lines in;	/* bytes read, not yet a whole line */
	json_t *greeting;	/* {"QMP": {"version": ..., "capabilities": [...]}} */
	json_t *events;		/* queued events, oldest first */
	unsigned int next_id;
	char error[512];	/* why the last call failed */
};

/*
 * Connect to QEMU's QMP socket (retrying until timeout_ms while QEMU
 * starts), read the greeting and enter command mode. 0 or -errno, with
 * q->error set.
 */
int qmp_connect(struct qmp *q, const char *path, int timeout_ms);
/*
 * qmp_connect() with out-of-band execution enabled (the "oob" capability):
 * qmp_cmd_oob() then runs a command marked allow-oob (yank, migrate-pause)
 * at once, even while the main loop waits for the big QEMU lock (held, for
 * example, across a migration's switchover). -ENOTSUP if QEMU does not
 * offer it on that monitor.
 */
int qmp_connect_oob(struct qmp *q, const char *path, int timeout_ms);
void qmp_close(struct qmp *q);

/*
 * Run a command; args (may be NULL) is stolen. Returns the "return" value
 * (a new reference), or NULL with q->error = "<class>: <desc>" from QEMU,
 * or why no answer came (timeout, connection closed).
 */
json_t *qmp_cmd(struct qmp *q, const char *cmd, json_t *args, int timeout_ms);

/* qmp_cmd() as "exec-oob", on a session from qmp_connect_oob(). */
json_t *qmp_cmd_oob(struct qmp *q, const char *cmd, json_t *args, int timeout_ms);
/* qmp_cmd() that only cares about success: 0 or -1 (q->error). */
int qmp_cmd_ok(struct qmp *q, const char *cmd, json_t *args, int timeout_ms);

/*
 * The next event named name (NULL: any), from the queue or the socket,
 * waiting at most timeout_ms. Events of other names stay queued. A new
 * reference, or NULL with q->error set.
 */
json_t *qmp_wait_event(struct qmp *q, const char *name, int timeout_ms);

#endif
