// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * QMP over a unix socket with jansson. Reads are non-blocking with
 * poll() against a deadline, so nothing here can hang on a wedged QEMU.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qmp.h"
#include "unix_sock.h"

static void set_error(struct qmp *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_error(struct qmp *q, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->error, sizeof(q->error), fmt, ap);
	va_end(ap);
}

/* One whole line from the socket as JSON, or NULL (error set). */
static json_t *read_message(struct qmp *q, long long deadline)
{
	long line = unix_sock_read_line(q->fd, &q->in, 4096, deadline);
	json_error_t jerr;
	json_t *msg;

	if (line == -ETIMEDOUT)
		set_error(q, "QMP: no answer from QEMU in time");
	else if (line == -ENOMEM)
		set_error(q, "QMP: out of memory");
	else if (line < 0)
		set_error(q, "QMP: QEMU closed the connection%s%s", line == -EPIPE ? "" : ": ",
			  line == -EPIPE ? "" : strerror(-line));
	if (line < 0)
		return NULL;
	msg = json_loadb(q->in.buf, line, 0, &jerr);
	unix_sock_consume(&q->in, line);
	if (!msg)
		set_error(q, "QMP: bad JSON from QEMU: %s", jerr.text);
	return msg;
}

static int send_message(struct qmp *q, json_t *msg)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	size_t len, off = 0;
	int err = 0;

	if (!text)
		return -ENOMEM;
	len = strlen(text);
	text[len] = '\n';	/* json_dumps leaves room for the NUL */
	while (off <= len && !err) {
		ssize_t n = send(q->fd, text + off, len + 1 - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = q->fd, .events = POLLOUT };

			poll(&p, 1, 1000);
			continue;
		}
		if (n < 0)
			err = -errno;
		else
			off += n;
	}
	free(text);
	if (err)
		set_error(q, "QMP: sending to QEMU: %s", strerror(-err));
	return err;
}

static json_t *run_cmd(struct qmp *q, const char *how, const char *cmd, json_t *args,
		    int timeout_ms);

/* Connect; with @oob, ask for out-of-band execution (-ENOTSUP if not offered). */
static int connect_caps(struct qmp *q, const char *path, int timeout_ms, bool oob)
{
	long long deadline = unix_sock_now_ms() + timeout_ms;
	json_t *ok, *args = NULL;

	memset(q, 0, sizeof(*q));
	q->events = json_array();
	q->fd = unix_sock_connect(path, SOCK_NONBLOCK, deadline);
	if (q->fd < 0) {
		set_error(q, "QMP: cannot connect to %s: %s", path, strerror(-q->fd));
		return q->fd;
	}
	q->greeting = read_message(q, deadline);
	if (!q->greeting || !json_object_get(q->greeting, "QMP")) {
		if (q->greeting)
			set_error(q, "QMP: %s sent no greeting", path);
		qmp_close(q);
		return -EPROTO;
	}
	if (oob) {
		json_t *caps = json_object_get(json_object_get(q->greeting, "QMP"),
					       "capabilities");
		bool offered = false;

		for (size_t i = 0; i < json_array_size(caps); i++)
			offered |= !strcmp(json_string_value(json_array_get(caps, i)) ?: "",
					   "oob");
		if (!offered) {
			set_error(q, "QMP: %s offers no out-of-band execution", path);
			qmp_close(q);
			return -ENOTSUP;
		}
		args = json_pack("{s:[s]}", "enable", "oob");
	}
	ok = run_cmd(q, "execute", "qmp_capabilities", args, deadline - unix_sock_now_ms());
	if (!ok) {
		qmp_close(q);
		return -EPROTO;
	}
	json_decref(ok);
	return 0;
}

int qmp_connect(struct qmp *q, const char *path, int timeout_ms)
{
	return connect_caps(q, path, timeout_ms, false);
}

int qmp_connect_oob(struct qmp *q, const char *path, int timeout_ms)
{
	return connect_caps(q, path, timeout_ms, true);
}

void qmp_close(struct qmp *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	unix_sock_lines_free(&q->in);
	json_decref(q->greeting);
	json_decref(q->events);
	q->greeting = q->events = NULL;
}

/* The answer to id: events that come first are queued. */
static json_t *wait_answer(struct qmp *q, json_int_t id, long long deadline)
{
	for (;;) {
		json_t *msg = read_message(q, deadline);
		json_t *err;

		if (!msg)
			return NULL;
		if (json_object_get(msg, "event")) {
			json_array_append_new(q->events, msg);
			continue;
		}
		if (json_integer_value(json_object_get(msg, "id")) != id) {
			json_decref(msg);
			continue;
		}
		err = json_object_get(msg, "error");
		if (err) {
			set_error(q, "%s: %s",
				  json_string_value(json_object_get(err, "class")) ?: "Error",
				  json_string_value(json_object_get(err, "desc")) ?: "(no description)");
			json_decref(msg);
			return NULL;
		}
		return msg;
	}
}

static json_t *run_cmd(struct qmp *q, const char *how, const char *cmd, json_t *args,
		    int timeout_ms)
{
	json_int_t id = ++q->next_id;
	json_t *msg = json_pack("{s:s, s:I}", how, cmd, "id", id);
	json_t *answer, *ret;

	if (args)
		json_object_set_new(msg, "arguments", args);
	if (q->fd < 0 || send_message(q, msg)) {
		if (q->fd < 0)
			set_error(q, "QMP: not connected");
		json_decref(msg);
		return NULL;
	}
	json_decref(msg);
	answer = wait_answer(q, id, unix_sock_now_ms() + timeout_ms);
	if (!answer) {
		size_t len = strlen(q->error);

		snprintf(q->error + len, sizeof(q->error) - len, " (%s)", cmd);
		return NULL;
	}
	ret = json_incref(json_object_get(answer, "return"));
	json_decref(answer);
	return ret ? ret : json_object();
}

json_t *qmp_cmd(struct qmp *q, const char *cmd, json_t *args, int timeout_ms)
{
	return run_cmd(q, "execute", cmd, args, timeout_ms);
}

json_t *qmp_cmd_oob(struct qmp *q, const char *cmd, json_t *args, int timeout_ms)
{
	return run_cmd(q, "exec-oob", cmd, args, timeout_ms);
}

int qmp_cmd_ok(struct qmp *q, const char *cmd, json_t *args, int timeout_ms)
{
	json_t *r = qmp_cmd(q, cmd, args, timeout_ms);

	json_decref(r);
	return r ? 0 : -1;
}

static json_t *take_queued(struct qmp *q, const char *name)
{
	for (size_t i = 0; i < json_array_size(q->events); i++) {
		json_t *e = json_array_get(q->events, i);
		const char *n = json_string_value(json_object_get(e, "event"));

		if (!name || (n && !strcmp(n, name))) {
			json_incref(e);
			json_array_remove(q->events, i);
			return e;
		}
	}
	return NULL;
}

json_t *qmp_wait_event(struct qmp *q, const char *name, int timeout_ms)
{
	long long deadline = unix_sock_now_ms() + timeout_ms;
	json_t *e = take_queued(q, name);

	while (!e) {
		json_t *msg = read_message(q, deadline);

		if (!msg) {
			size_t len = strlen(q->error);

			snprintf(q->error + len, sizeof(q->error) - len, " (waiting for %s)",
				 name ? name : "an event");
			return NULL;
		}
		if (json_object_get(msg, "event"))
			json_array_append_new(q->events, msg);
		else
			json_decref(msg);
		e = take_queued(q, name);
	}
	return e;
}
