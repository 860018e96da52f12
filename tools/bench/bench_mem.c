// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The references: memcpy of a buffer larger than any cache (the machine's
 * copy bandwidth, what every ratio divides by), the same bytes through a
 * pipe with plain write()/read() (a naive pump), memcpy on every CPU at
 * once, and on x86-64 the two instructions the kernel's copy_to_user /
 * copy_from_user use for large copies: rep movsb when the CPU says ERMS or
 * FSRM, rep movsq otherwise. Emulators execute them at very different
 * speeds, and the module's save and restore paths are those copies.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

struct mem_ctx {
	uint8_t *src, *dst;
	size_t size;
	size_t buf;
	unsigned int threads;
	void (*copy)(void *d, const void *s, size_t n);
};

/*
 * src and dst in one mapping, dst an odd number of pages after the end of
 * src: two buffers a power-of-two apart alias in direct-mapped TLBs and
 * caches. Under TCG that made rep movsq between two 16 MiB mmaps 10 times
 * slower (QEMU's soft TLB is direct mapped). Touched before any timing:
 * page faults are not the copy.
 */
#define GAP	(17ul << 12)

static uint8_t *alloc_pair(size_t size, uint8_t **dst)
{
	uint8_t *p = mmap(NULL, 2 * size + GAP, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0x5a, size);
	*dst = p + size + GAP;
	memset(*dst, 0xa5, size);
	return p;
}

static void copy_memcpy(void *d, const void *s, size_t n)
{
	memcpy(d, s, n);
}

#ifdef __x86_64__
static void copy_movsb(void *d, const void *s, size_t n)
{
	asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

static void copy_movsq(void *d, const void *s, size_t n)
{
	size_t q = n / 8;

	asm volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(q) : : "memory");
}
#endif

static int measure_copy(void *arg, double *mbps)
{
	struct mem_ctx *c = arg;
	uint64_t t0 = bench_now_ns();

	c->copy(c->dst, c->src, c->size);
	*mbps = bench_mbps(c->size, bench_now_ns() - t0);
	/* Keep the copy from being optimized into nothing. */
	return c->dst[c->size - 1] == c->src[c->size - 1] ? 0 : -EIO;
}

struct slice {
	struct mem_ctx *c;
	unsigned int i;
	struct bench_gate *go;
};

static void *copy_slice(void *arg)
{
	struct slice *s = arg;
	size_t per = s->c->size / s->c->threads;

	bench_gate_wait(s->go);
	memcpy(s->c->dst + s->i * per, s->c->src + s->i * per, per);
	return NULL;
}

/* Every CPU copies its slice; the time is the slowest one's. */
static int measure_copy_mt(void *arg, double *mbps)
{
	struct bench_gate go = BENCH_GATE_INIT;
	struct mem_ctx *c = arg;
	struct slice s[64];
	pthread_t th[64];
	unsigned int i, started;
	uint64_t t0;

	for (started = 1; started < c->threads; started++) {
		s[started] = (struct slice){ c, started, &go };
		if (pthread_create(&th[started], NULL, copy_slice, &s[started]))
			break;
	}
	s[0] = (struct slice){ c, 0, &go };
	t0 = bench_now_ns();
	bench_gate_open(&go);
	copy_slice(&s[0]);
	for (i = 1; i < started; i++)
		pthread_join(th[i], NULL);
	*mbps = bench_mbps(c->size / c->threads * c->threads, bench_now_ns() - t0);
	return started == c->threads ? 0 : -EAGAIN;
}

struct pipe_writer {
	int fd;
	const uint8_t *src;
	size_t size, buf;
	int err;
};

static void *pipe_write(void *arg)
{
	struct pipe_writer *w = arg;
	size_t done = 0;

	while (done < w->size) {
		size_t n = w->size - done < w->buf ? w->size - done : w->buf;
		ssize_t r = write(w->fd, w->src + done, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			w->err = r < 0 ? -errno : -EIO;
			break;
		}
		done += r;
	}
	close(w->fd);
	return NULL;
}

/* src -> pipe -> dst, buf bytes per write() and read(). */
static int measure_pipe(void *arg, double *mbps)
{
	struct mem_ctx *c = arg;
	struct pipe_writer w = { .src = c->src, .size = c->size, .buf = c->buf };
	size_t done = 0;
	pthread_t th;
	uint64_t t0;
	int p[2], err = 0;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	/* As large as an unprivileged pump gets (pipe-max-size, 1 MiB). */
	fcntl(p[1], F_SETPIPE_SZ, (int)(c->buf < (1u << 20) ? c->buf : 1u << 20));
	w.fd = p[1];
	t0 = bench_now_ns();
	if (pthread_create(&th, NULL, pipe_write, &w)) {
		close(p[0]);
		close(p[1]);
		return -EAGAIN;
	}
	while (done < c->size) {
		size_t n = c->size - done < c->buf ? c->size - done : c->buf;
		ssize_t r = read(p[0], c->dst + done, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? -errno : -EIO;
			break;
		}
		done += r;
	}
	*mbps = bench_mbps(done, bench_now_ns() - t0);
	close(p[0]);
	pthread_join(th, NULL);
	return err ?: w.err;
}

static int run(struct bench_ctx *b, struct mem_ctx *c, enum bench_kind k,
	       int (*measure)(void *, double *))
{
	struct bench_fig *f = bench_fig_add(&b->part, k, c->size);
	int err;

	if (!f)
		return -ENOSPC;
	f->buf = k == BENCH_PIPE ? c->buf : 0;
	f->pairs = k == BENCH_MEMCPY_MT ? c->threads : 0;
	err = bench_measure(b, f, measure, c);
	if (err)
		return err;
	bench_fig_done(b, f);
	return 0;
}

int bench_mem(struct bench_ctx *b, uint64_t size, uint64_t pipe_buf, bool full)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct mem_ctx c = {
		.size = size,
		.buf = pipe_buf,
		.threads = cpus < 1 ? 1 : cpus > 64 ? 64 : cpus,
		.copy = copy_memcpy,
	};
	int err;

	c.src = alloc_pair(size, &c.dst);
	if (!c.src)
		return -ENOMEM;
	/* Whatever the order, the first copies warm the code paths up. */
	copy_memcpy(c.dst, c.src, size);
	err = run(b, &c, BENCH_MEMCPY, measure_copy);
	if (!err && full)
		err = run(b, &c, BENCH_PIPE, measure_pipe);
	if (!err && full && c.threads > 1)
		err = run(b, &c, BENCH_MEMCPY_MT, measure_copy_mt);
#ifdef __x86_64__
	if (!err && full) {
		c.copy = copy_movsb;
		err = run(b, &c, BENCH_REP_MOVSB, measure_copy);
		c.copy = copy_movsq;
		err = err ?: run(b, &c, BENCH_REP_MOVSQ, measure_copy);
	}
#endif
	munmap(c.src, 2 * size + GAP);
	return err;
}

int bench_ref_init(struct bench_ctx *b, uint64_t size)
{
	b->ref.src = alloc_pair(size, &b->ref.dst);
	b->ref.size = b->ref.src ? size : 0;
	return b->ref.src ? 0 : -ENOMEM;
}

double bench_ref_sample(struct bench_ctx *b)
{
	struct mem_ctx c = { .src = b->ref.src, .dst = b->ref.dst, .size = b->ref.size,
			     .copy = copy_memcpy };
	double mbps = 0;

	return measure_copy(&c, &mbps) ? 0 : mbps;
}

void bench_ref_fini(struct bench_ctx *b)
{
	if (b->ref.src)
		munmap(b->ref.src, 2 * b->ref.size + GAP);
	b->ref.src = b->ref.dst = NULL;
}
