// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The guest agent of the migration loop: PID 1's only job in the tiny
 * initramfs guest (runner/vm/mkguest.sh). It gives the harness two things
 * to check on the destination after every hop:
 *
 *   continuity  a tick counter in guest RAM, printed every period: it must
 *               never go back or restart after a migration;
 *   memory      a buffer filled from a seed, rewritten one chunk per tick
 *               (so RAM is dirtied while it migrates and the dirty pages
 *               must be sent again) and verified a slice per tick; one
 *               wrong word makes every later line say mem=BAD.
 *
 * Output, one line per tick on stdout (the serial console):
 *
 *   XEMT-AGENT start seed=<hex> mib=<n> chunks=<n>
 *   XEMT-AGENT tick=<n> mem=ok|BAD passes=<full verifications done>
 *
 * Settings come from the kernel command line (xemt.seed=, xemt.mib=,
 * xemt.period_ms=), since a bare initramfs has nowhere else to put them.
 * Built static: the guest has no shared libraries.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define CHUNK_BYTES	(256u << 10)
#define CHUNK_WORDS	(CHUNK_BYTES / sizeof(uint64_t))
#define MAX_CHUNKS	4096

struct agent {
	uint64_t seed;
	unsigned int mib;
	unsigned int period_ms;
	unsigned int nchunks;
	unsigned int verify_per_tick;	/* chunks checked each tick */
	uint64_t *mem;
	/* Generation of each chunk: part of the pattern, and in guest RAM too. */
	uint32_t gen[MAX_CHUNKS];
	uint64_t tick;
	uint64_t passes;		/* full verifications of the buffer */
	unsigned int cursor;		/* next chunk to verify */
	bool bad;
	unsigned int bad_chunk;
	size_t bad_word;
};

/* splitmix64's finaliser: every word differs, cheap enough for TCG. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t chunk_base(const struct agent *a, unsigned int c)
{
	return a->seed ^ ((uint64_t)c << 44) ^ ((uint64_t)a->gen[c] << 24);
}

static void fill_chunk(struct agent *a, unsigned int c)
{
	uint64_t *w = a->mem + (size_t)c * CHUNK_WORDS;
	uint64_t base = chunk_base(a, c);

	for (size_t i = 0; i < CHUNK_WORDS; i++)
		w[i] = mix(base + i);
}

static void verify_chunk(struct agent *a, unsigned int c)
{
	const uint64_t *w = a->mem + (size_t)c * CHUNK_WORDS;
	uint64_t base = chunk_base(a, c);

	for (size_t i = 0; i < CHUNK_WORDS; i++) {
		if (w[i] != mix(base + i) && !a->bad) {
			a->bad = true;
			a->bad_chunk = c;
			a->bad_word = i;
		}
	}
}

/* The value of key=... on the kernel command line, or def. */
static uint64_t cmdline_u64(const char *key, uint64_t def)
{
	static char line[4096];
	static bool loaded;
	char pat[64];
	const char *p;

	if (!loaded) {
		FILE *f = fopen("/proc/cmdline", "r");

		/* A leading space: every key, the first too, follows one. */
		line[0] = ' ';
		if (f) {
			if (!fgets(line + 1, sizeof(line) - 1, f))
				line[1] = '\0';
			fclose(f);
		}
		loaded = true;
	}
	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	return p ? strtoull(p + strlen(pat), NULL, 0) : def;
}

static int setup(struct agent *a)
{
	size_t bytes;

	a->seed = cmdline_u64("xemt.seed", 0x5eed);
	a->mib = cmdline_u64("xemt.mib", 32);
	a->period_ms = cmdline_u64("xemt.period_ms", 100);
	a->nchunks = ((size_t)a->mib << 20) / CHUNK_BYTES;
	if (!a->nchunks || a->nchunks > MAX_CHUNKS || !a->period_ms)
		return -EINVAL;
	/* The whole buffer is checked about every 8 ticks. */
	a->verify_per_tick = (a->nchunks + 7) / 8;
	bytes = (size_t)a->nchunks * CHUNK_BYTES;
	a->mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (a->mem == MAP_FAILED)
		return -errno;
	for (unsigned int c = 0; c < a->nchunks; c++)
		fill_chunk(a, c);
	return 0;
}

static void one_tick(struct agent *a)
{
	unsigned int w = a->tick % a->nchunks;

	a->tick++;
	a->gen[w]++;
	fill_chunk(a, w);
	for (unsigned int i = 0; i < a->verify_per_tick; i++) {
		verify_chunk(a, a->cursor);
		if (++a->cursor == a->nchunks) {
			a->cursor = 0;
			a->passes++;
		}
	}
}

static void report(const struct agent *a)
{
	if (a->bad)
		printf("XEMT-AGENT tick=%" PRIu64 " mem=BAD passes=%" PRIu64
		       " chunk=%u word=%zu\n", a->tick, a->passes,
		       a->bad_chunk, a->bad_word);
	else
		printf("XEMT-AGENT tick=%" PRIu64 " mem=ok passes=%" PRIu64 "\n",
		       a->tick, a->passes);
	fflush(stdout);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int main(void)
{
	static struct agent a;
	int err = setup(&a);

	if (err) {
		printf("XEMT-AGENT fatal: setup failed: %s\n", strerror(-err));
		fflush(stdout);
		/* PID 1 must not exit: that panics the guest, which is louder. */
		for (;;)
			pause();
	}
	printf("XEMT-AGENT start seed=0x%" PRIx64 " mib=%u chunks=%u\n",
	       a.seed, a.mib, a.nchunks);
	fflush(stdout);
	for (;;) {
		one_tick(&a);
		report(&a);
		sleep_ms(a.period_ms);
	}
}
