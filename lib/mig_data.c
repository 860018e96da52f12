// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "mig_data.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void stats_begin(struct mig_data_stats *st, uint64_t *t0)
{
	if (st)
		*st = (struct mig_data_stats){ 0 };
	*t0 = now_ns();
}

static void stats_add(struct mig_data_stats *st, size_t n)
{
	if (st) {
		st->bytes += n;
		st->calls++;
	}
}

static void stats_end(struct mig_data_stats *st, uint64_t t0)
{
	if (st)
		st->ns = now_ns() - t0;
}

/* One read(), retried on EINTR. */
static ssize_t read_some(int fd, void *p, size_t n)
{
	ssize_t r;

	do
		r = read(fd, p, n);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

static int grow(uint8_t **buf, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 65536;
	uint8_t *p;

	while (n < need)
		n *= 2;
	if (n == *cap)
		return 0;
	p = realloc(*buf, n);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = n;
	return 0;
}

int mig_data_read_all(int fd, size_t chunk, uint8_t **buf, size_t *len,
		      struct mig_data_stats *st)
{
	size_t cap = 0;
	uint64_t t0;
	ssize_t r;
	int err;

	*buf = NULL;
	*len = 0;
	stats_begin(st, &t0);
	for (;;) {
		err = grow(buf, &cap, *len + chunk);
		if (err)
			break;
		r = read_some(fd, *buf + *len, chunk);
		if (r <= 0) {
			err = r;
			break;
		}
		*len += r;
		stats_add(st, r);
	}
	stats_end(st, t0);
	if (err) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return err;
}

int mig_data_write_all(int fd, const uint8_t *buf, size_t len, size_t seg,
		       struct mig_data_stats *st)
{
	size_t done = 0;
	uint64_t t0;

	stats_begin(st, &t0);
	while (done < len) {
		size_t n = len - done < seg ? len - done : seg;
		ssize_t w = write(fd, buf + done, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;	/* a device must take bytes or fail */
		done += w;
		stats_add(st, w);
	}
	stats_end(st, t0);
	return 0;
}

int mig_data_pump(int from, int to, size_t bufsize, struct mig_data_stats *st)
{
	uint8_t *buf = malloc(bufsize);
	struct mig_data_stats w;
	uint64_t t0;
	ssize_t r;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	stats_begin(st, &t0);
	while ((r = read_some(from, buf, bufsize)) > 0) {
		err = mig_data_write_all(to, buf, r, r, &w);
		if (err)
			break;
		stats_add(st, r);
	}
	if (r < 0)
		err = r;
	stats_end(st, t0);
	free(buf);
	return err;
}
