// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
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

/*
 * Pump buffers are mapped populated: under TCG a page fault per 4 KiB of a
 * fresh 16 MiB malloc() buffer cost more than the copy through it.
 */
static uint8_t *pump_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int mig_data_pump_serial(int from, int to, size_t bufsize, struct mig_data_stats *st)
{
	uint8_t *buf = pump_alloc(bufsize);
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
	if (r < 0 && !err)
		err = r;
	stats_end(st, t0);
	munmap(buf, bufsize);
	return err;
}

/*
 * The pipelined pump: a reader thread fills PUMP_SLOTS buffers in turn
 * while the caller writes the ones it filled, as in a real migration,
 * where the source reads and the destination writes on two hosts at once.
 * A slot holds what one read() returned: > 0 bytes, 0 at EOF, or -errno.
 *
 * With one CPU there is nothing to overlap, and the serial pump does it.
 * Tried and left out (A/B, hop by hop, in the sim VM under TCG on a
 * shared 2-core host): pinning reader and writer to different CPUs (no
 * better than letting the scheduler place them), and spinning before
 * sleeping (much worse when the host is busy: the spinner takes the CPU
 * the other side needs).
 */
#define PUMP_SLOTS	2

/*
 * Where a slot's data starts, in pages after the slot's start: it moves
 * when one copy of a chunk is much slower than the other. Reading and
 * writing a chunk move the same bytes with the same instruction
 * (copy_to_user out of the source VF's LMEM, copy_from_user into the
 * destination's), so a side 4 times slower than the other is not load,
 * it is aliasing: under TCG, when the user page and the kernel page of a
 * copy share an entry of QEMU's direct-mapped soft TLB every access
 * misses, and that copy runs 20-40 times slower (1 in 64 page offsets in
 * the sim VM). Both pages advance together, so it lasts the whole stream
 * unless the buffer moves. One page further breaks the tie. Other load
 * slows a copy once in a while; aliasing slows every one, so a slot moves
 * after two lopsided chunks in a row.
 */
#define PUMP_SHIFTS	8
#define PAGE		4096u
#define ALIASED		4	/* one copy this many times slower than the other */

struct pump {
	int from;
	size_t bufsize;
	size_t stride;			/* bufsize + PUMP_SHIFTS pages */
	uint8_t *buf;			/* PUMP_SLOTS * stride */
	ssize_t len[PUMP_SLOTS];
	uint64_t read_ns[PUMP_SLOTS];	/* how long the read into the slot took */
	unsigned int shift[PUMP_SLOTS];	/* pages: see PUMP_SHIFTS */
	unsigned int lopsided[PUMP_SLOTS]; /* chunks in a row */
	bool full[PUMP_SLOTS];
	bool stop;			/* the writer gave up */
	unsigned int moves;		/* slots moved for aliasing */
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static uint8_t *slot_data(struct pump *p, unsigned int i)
{
	return p->buf + i * p->stride + (size_t)p->shift[i] * PAGE;
}

static void slot_post(struct pump *p, unsigned int i, ssize_t len, uint64_t ns)
{
	pthread_mutex_lock(&p->lock);
	p->len[i] = len;
	p->read_ns[i] = ns;
	p->full[i] = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

/* After writing slot i in write_ns: move it if one side looked aliased. */
static void slot_check(struct pump *p, unsigned int i, uint64_t write_ns)
{
	uint64_t rd = p->read_ns[i];

	/* Small chunks are all syscall; only whole-page copies alias. */
	if (p->len[i] < 16 * PAGE || !rd || !write_ns)
		return;
	if (rd <= ALIASED * write_ns && write_ns <= ALIASED * rd) {
		p->lopsided[i] = 0;
	} else if (++p->lopsided[i] == 2) {
		p->lopsided[i] = 0;
		p->shift[i] = (p->shift[i] + 1) % PUMP_SHIFTS;
		p->moves++;
	}
}

static void *pump_reader(void *arg)
{
	struct pump *p = arg;

	for (unsigned int i = 0;; i = (i + 1) % PUMP_SLOTS) {
		uint64_t t0;
		ssize_t r;
		bool stop;

		pthread_mutex_lock(&p->lock);
		while (p->full[i] && !p->stop)
			pthread_cond_wait(&p->cond, &p->lock);
		stop = p->stop;
		pthread_mutex_unlock(&p->lock);
		if (stop)
			break;
		t0 = now_ns();
		r = read_some(p->from, slot_data(p, i), p->bufsize);
		slot_post(p, i, r, now_ns() - t0);
		if (r <= 0)
			break;
	}
	return NULL;
}

int mig_data_pump(int from, int to, size_t bufsize, struct mig_data_stats *st)
{
	struct pump p = {
		.from = from,
		.bufsize = bufsize,
		.stride = (bufsize + PAGE - 1) / PAGE * PAGE + PUMP_SHIFTS * PAGE,
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
	};
	struct mig_data_stats w;
	pthread_t reader;
	cpu_set_t cpus;
	uint64_t t0;
	int err = 0;

	if (sched_getaffinity(0, sizeof(cpus), &cpus) || CPU_COUNT(&cpus) < 2)
		return mig_data_pump_serial(from, to, bufsize, st);
	p.buf = pump_alloc(PUMP_SLOTS * p.stride);
	if (!p.buf)
		return -ENOMEM;
	stats_begin(st, &t0);
	if (pthread_create(&reader, NULL, pump_reader, &p)) {
		munmap(p.buf, PUMP_SLOTS * p.stride);
		return mig_data_pump_serial(from, to, bufsize, st);
	}
	for (unsigned int i = 0;; i = (i + 1) % PUMP_SLOTS) {
		uint64_t tw;
		ssize_t r;

		pthread_mutex_lock(&p.lock);
		while (!p.full[i])
			pthread_cond_wait(&p.cond, &p.lock);
		r = p.len[i];
		pthread_mutex_unlock(&p.lock);
		if (r <= 0) {
			err = r;
			break;
		}
		tw = now_ns();
		err = mig_data_write_all(to, slot_data(&p, i), r, r, &w);
		if (err)
			break;
		stats_add(st, r);
		pthread_mutex_lock(&p.lock);
		slot_check(&p, i, now_ns() - tw);
		p.full[i] = false;
		pthread_cond_broadcast(&p.cond);
		pthread_mutex_unlock(&p.lock);
	}
	/* A read in flight still ends (the saving fd returns data or EOF). */
	pthread_mutex_lock(&p.lock);
	p.stop = true;
	pthread_cond_broadcast(&p.cond);
	pthread_mutex_unlock(&p.lock);
	pthread_join(reader, NULL);
	stats_end(st, t0);
	if (st)
		st->moves = p.moves;
	munmap(p.buf, PUMP_SLOTS * p.stride);
	return err;
}
