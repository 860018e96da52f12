// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The module's two halves of a migration, each alone:
 *
 *   save     src STOP -> STOP_COPY, then read() the saving fd into memory
 *            until EOF (timed: the reads), STOP_COPY -> STOP
 *   restore  dst STOP -> RESUMING, write() the stream (timed: the writes
 *            and RESUMING -> STOP, where the restore commits)
 *
 * The memory is allocated and touched once, before any timing, so page
 * faults in our buffer are not counted against the module. Reads and
 * writes go 1 MiB at a time, as QEMU's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "vfio_mig.h"
#include "vfio_migrate.h"

#define PATH_CHUNK	(1u << 20)

struct paths_ctx {
	struct sriov_vf *src, *dst;
	uint8_t *buf;
	size_t cap;
	size_t len;		/* the saved stream in buf */
};

static int save(void *arg, double *mbps)
{
	struct paths_ctx *c = arg;
	uint64_t t0;
	size_t len = 0;
	ssize_t r;
	int fd, err;

	err = vfio_mig_goto(&c->src->dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL);
	if (err)
		return err;
	t0 = bench_now_ns();
	for (;;) {
		size_t n = c->cap - len < PATH_CHUNK ? c->cap - len : PATH_CHUNK;

		r = n ? read(fd, c->buf + len, n) : -1;
		if (r < 0 && n && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += r;
	}
	*mbps = bench_mbps(len, bench_now_ns() - t0);
	err = r < 0 ? (len == c->cap ? -EFBIG : -errno) : 0;
	close(fd);
	err = err ?: vfio_mig_goto(&c->src->dev, VFIO_DEVICE_STATE_STOP, NULL, NULL);
	c->len = len;
	return err;
}

static int restore(void *arg, double *mbps)
{
	struct paths_ctx *c = arg;
	uint64_t t0;
	size_t done = 0;
	int fd, err;

	err = vfio_mig_goto(&c->dst->dev, VFIO_DEVICE_STATE_RESUMING, &fd, NULL);
	if (err)
		return err;
	t0 = bench_now_ns();
	while (done < c->len && !err) {
		size_t n = c->len - done < PATH_CHUNK ? c->len - done : PATH_CHUNK;
		ssize_t w = write(fd, c->buf + done, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			err = w < 0 ? -errno : -EIO;
		else
			done += w;
	}
	close(fd);
	/* The restore commits on RESUMING -> STOP: part of the path. */
	err = err ?: vfio_mig_goto(&c->dst->dev, VFIO_DEVICE_STATE_STOP, NULL, NULL);
	*mbps = bench_mbps(done, bench_now_ns() - t0);
	return err;
}

int bench_paths(struct bench_ctx *b, struct sriov_vf *src, struct sriov_vf *dst)
{
	struct paths_ctx c = { .src = src, .dst = dst };
	struct bench_fig *fs = bench_fig_add(&b->part, BENCH_SAVE, 0);
	struct bench_fig *fr = bench_fig_add(&b->part, BENCH_RESTORE, 0);
	uint64_t est = 0;
	int err;

	if (!fs || !fr)
		return -ENOSPC;
	err = vfio_mig_goto(&src->dev, VFIO_DEVICE_STATE_STOP, NULL, NULL);
	err = err ?: vfio_mig_data_size(&src->dev, &est);
	if (err)
		return err;
	/* The estimate leaves out a few headers: room for them. */
	c.cap = est + est / 64 + (1u << 20);
	c.buf = mmap(NULL, c.cap, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (c.buf == MAP_FAILED)
		return -ENOMEM;
	memset(c.buf, 0, c.cap);
	err = bench_measure(b, fs, save, &c);
	if (!err) {
		fs->bytes = c.len;
		fs->lmem = b->part.lmem;
		fs->buf = PATH_CHUNK;
		bench_fig_done(b, fs);
		err = bench_measure(b, fr, restore, &c);
	}
	if (!err) {
		fr->bytes = c.len;
		fr->lmem = b->part.lmem;
		fr->buf = PATH_CHUNK;
		bench_fig_done(b, fr);
	}
	munmap(c.buf, c.cap);
	return err;
}
