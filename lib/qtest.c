// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * qtest client: one command line out, one answer line back ("OK", "OK
 * <value>", or "FAIL <why>"); asynchronous "IRQ ..." lines (only with
 * irq_intercept, which we never ask for) are skipped. Every wait has a
 * timeout, so a QEMU that hangs fails the call instead of the test.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qtest.h"
#include "unix_sock.h"

#define CMD_TIMEOUT_MS	60000
#define B64_PIECE	(256u << 10)

static void set_error(struct qtest *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_error(struct qtest *q, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->error, sizeof(q->error), fmt, ap);
	va_end(ap);
}

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t qtest_b64_encode(const void *in, size_t len, char *out)
{
	const uint8_t *p = in;
	size_t o = 0;

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = i + 1 < len ? b64_alphabet[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? b64_alphabet[v & 63] : '=';
	}
	out[o] = '\0';
	return o;
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64_alphabet, c) : NULL;

	return p ? (int)(p - b64_alphabet) : -1;
}

long qtest_b64_decode(const char *in, void *out, size_t max)
{
	uint8_t *o = out;
	uint32_t acc = 0;
	size_t n = 0;
	int bits = 0;

	for (; *in && *in != '='; in++) {
		int v = b64_value(*in);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == max)
				return -1;
			o[n++] = (acc >> bits) & 0xff;
		}
	}
	return (long)n;
}

int qtest_connect(struct qtest *q, const char *path, int timeout_ms)
{
	int fd;

	memset(q, 0, sizeof(*q));
	q->fd = -1;
	fd = unix_sock_connect(path, 0, unix_sock_now_ms() + timeout_ms);
	if (fd == -ENAMETOOLONG) {
		set_error(q, "qtest: socket path too long: %s", path);
		return fd;
	}
	if (fd < 0) {
		set_error(q, "qtest: cannot connect to %s: %s", path, strerror(-fd));
		return fd;
	}
	q->fd = fd;
	return 0;
}

void qtest_close(struct qtest *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	unix_sock_lines_free(&q->in);
}

static int send_all(struct qtest *q, const char *s, size_t len)
{
	while (len) {
		ssize_t n = send(q->fd, s, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			set_error(q, "qtest: send: %s", n < 0 ? strerror(errno) : "closed");
			return -EIO;
		}
		s += n;
		len -= n;
	}
	return 0;
}

/* The next line, NUL-terminated in q->in.buf; the caller consumes it. */
static char *read_line(struct qtest *q, size_t *consumed, long long deadline)
{
	long line = unix_sock_read_line(q->fd, &q->in, 65536, deadline);

	if (line == -ETIMEDOUT)
		set_error(q, "qtest: no answer in time");
	else if (line == -ENOMEM)
		set_error(q, "qtest: out of memory");
	else if (line < 0)
		set_error(q, "qtest: QEMU closed the connection");
	if (line < 0)
		return NULL;
	q->in.buf[line - 1] = '\0';
	*consumed = line;
	return q->in.buf;
}

/*
 * Send @cmd (a whole line, newline included) and wait for its answer. On
 * "OK", copies what follows it (at most @size - 1 bytes) to @val.
 */
static int exchange(struct qtest *q, const char *cmd, size_t len, char *val, size_t size)
{
	long long deadline = unix_sock_now_ms() + CMD_TIMEOUT_MS;
	size_t used;
	char *line;

	if (q->fd < 0) {
		set_error(q, "qtest: not connected");
		return -EIO;
	}
	if (send_all(q, cmd, len))
		return -EIO;
	for (;;) {
		line = read_line(q, &used, deadline);
		if (!line)
			return -EIO;
		if (strncmp(line, "IRQ", 3))
			break;
		unix_sock_consume(&q->in, used);
	}
	if (strncmp(line, "OK", 2) || (line[2] && line[2] != ' ')) {
		set_error(q, "qtest: '%.60s' failed: %.200s", cmd, line);
		unix_sock_consume(&q->in, used);
		return -EIO;
	}
	if (val && size) {
		const char *v = line[2] ? line + 3 : "";
		size_t n = strlen(v);

		if (n >= size)
			n = size - 1;
		memcpy(val, v, n);
		val[n] = '\0';
	}
	unix_sock_consume(&q->in, used);
	return 0;
}

static int command(struct qtest *q, char *val, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int command(struct qtest *q, char *val, size_t size, const char *fmt, ...)
{
	char cmd[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return exchange(q, cmd, n, val, size);
}

static int parse_u64(struct qtest *q, const char *s, uint64_t *val)
{
	char *end;

	errno = 0;
	*val = strtoull(s, &end, 0);
	if (errno || end == s) {
		set_error(q, "qtest: bad value '%.40s'", s);
		return -EIO;
	}
	return 0;
}

int qtest_outl(struct qtest *q, uint16_t port, uint32_t val)
{
	return command(q, NULL, 0, "outl 0x%x 0x%" PRIx32 "\n", port, val);
}

int qtest_inl(struct qtest *q, uint16_t port, uint32_t *val)
{
	char v[64];
	uint64_t x;
	int err = command(q, v, sizeof(v), "inl 0x%x\n", port);

	err = err ?: parse_u64(q, v, &x);
	if (!err)
		*val = (uint32_t)x;
	return err;
}

int qtest_readl(struct qtest *q, uint64_t addr, uint32_t *val)
{
	char v[64];
	uint64_t x;
	int err = command(q, v, sizeof(v), "readl 0x%" PRIx64 "\n", addr);

	err = err ?: parse_u64(q, v, &x);
	if (!err)
		*val = (uint32_t)x;
	return err;
}

int qtest_writel(struct qtest *q, uint64_t addr, uint32_t val)
{
	return command(q, NULL, 0, "writel 0x%" PRIx64 " 0x%" PRIx32 "\n", addr, val);
}

int qtest_readq(struct qtest *q, uint64_t addr, uint64_t *val)
{
	char v[64];
	int err = command(q, v, sizeof(v), "readq 0x%" PRIx64 "\n", addr);

	return err ?: parse_u64(q, v, val);
}

int qtest_writeq(struct qtest *q, uint64_t addr, uint64_t val)
{
	return command(q, NULL, 0, "writeq 0x%" PRIx64 " 0x%" PRIx64 "\n", addr, val);
}

int qtest_memset(struct qtest *q, uint64_t addr, uint64_t len, uint8_t byte)
{
	return command(q, NULL, 0, "memset 0x%" PRIx64 " 0x%" PRIx64 " 0x%02x\n", addr, len,
		       byte);
}

int qtest_memwrite(struct qtest *q, uint64_t addr, const void *buf, size_t len)
{
	char *cmd = malloc(64 + 4 * ((B64_PIECE + 2) / 3) + 2);
	const uint8_t *p = buf;
	int err = 0;

	if (!cmd) {
		set_error(q, "qtest: out of memory");
		return -ENOMEM;
	}
	for (size_t off = 0; off < len && !err; off += B64_PIECE) {
		size_t n = len - off < B64_PIECE ? len - off : B64_PIECE;
		int h = sprintf(cmd, "b64write 0x%" PRIx64 " 0x%zx ", addr + off, n);
		size_t e = qtest_b64_encode(p + off, n, cmd + h);

		cmd[h + e] = '\n';
		err = exchange(q, cmd, h + e + 1, NULL, 0);
	}
	free(cmd);
	return err;
}

int qtest_memread(struct qtest *q, uint64_t addr, void *buf, size_t len)
{
	size_t vsize = 4 * ((B64_PIECE + 2) / 3) + 16;
	char *v = malloc(vsize);
	uint8_t *p = buf;
	int err = 0;

	if (!v) {
		set_error(q, "qtest: out of memory");
		return -ENOMEM;
	}
	for (size_t off = 0; off < len && !err; off += B64_PIECE) {
		size_t n = len - off < B64_PIECE ? len - off : B64_PIECE;

		err = command(q, v, vsize, "b64read 0x%" PRIx64 " 0x%zx\n", addr + off, n);
		if (!err && qtest_b64_decode(v, p + off, n) != (long)n) {
			set_error(q, "qtest: b64read of %zu bytes at %#" PRIx64 ": bad answer",
				  n, addr + off);
			err = -EIO;
		}
	}
	free(v);
	return err;
}

static uint32_t cf8(unsigned int devfn, unsigned int off)
{
	return 0x80000000u | (devfn & 0xff) << 8 | (off & 0xfc);
}

int qtest_pci_read32(struct qtest *q, unsigned int devfn, unsigned int off, uint32_t *val)
{
	return qtest_outl(q, 0xcf8, cf8(devfn, off)) ?: qtest_inl(q, 0xcfc, val);
}

int qtest_pci_write32(struct qtest *q, unsigned int devfn, unsigned int off, uint32_t val)
{
	return qtest_outl(q, 0xcf8, cf8(devfn, off)) ?: qtest_outl(q, 0xcfc, val);
}

int qtest_pci_find(struct qtest *q, uint16_t vendor, uint16_t device)
{
	uint32_t want = (uint32_t)device << 16 | vendor;

	for (unsigned int slot = 0; slot < 32; slot++) {
		uint32_t id;
		int err = qtest_pci_read32(q, slot << 3, 0, &id);

		if (err)
			return err;
		if (id == want)
			return slot << 3;
	}
	set_error(q, "qtest: no PCI device %04x:%04x on bus 0", vendor, device);
	return -ENODEV;
}
